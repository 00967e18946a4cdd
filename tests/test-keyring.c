/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs against the real gnome-keyring-daemon that build-aux/test starts in a
 * private D-Bus session, never against the user's keyring. */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "wc-keyring.h"
#include "wc-store.h"

static gboolean have_keyring;

static GAsyncResult *pending;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  pending = g_object_ref (result);
}

static GAsyncResult *
await (void)
{
  while (pending == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&pending);
}

static gboolean
store_secret (gint64      account_id,
              const char *kind,
              const char *secret,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_keyring_store_async (account_id, kind, "Whitecoat test credential", secret, NULL, store_result, NULL);
  result = await ();
  return wc_keyring_store_finish (result, error);
}

static char *
lookup_secret (gint64      account_id,
               const char *kind,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_keyring_lookup_async (account_id, kind, NULL, store_result, NULL);
  result = await ();
  return wc_keyring_lookup_finish (result, error);
}

static gboolean
clear_secret (gint64      account_id,
              const char *kind,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_keyring_clear_async (account_id, kind, NULL, store_result, NULL);
  result = await ();
  return wc_keyring_clear_finish (result, error);
}

static gboolean
skip_without_keyring (void)
{
  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return TRUE;
    }
  return FALSE;
}

static void
test_keyring_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store_secret (7, WC_SECRET_ACCESS_TOKEN, "token-seven", &error));
  g_assert_no_error (error);
  g_assert_true (store_secret (7, WC_SECRET_CLIENT_SECRET, "client-seven", &error));
  g_assert_true (store_secret (8, WC_SECRET_ACCESS_TOKEN, "token-eight", &error));

  secret = lookup_secret (7, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "token-seven");
  g_clear_pointer (&secret, g_free);

  /* Storing again replaces. */
  g_assert_true (store_secret (7, WC_SECRET_ACCESS_TOKEN, "token-seven-b", &error));
  secret = lookup_secret (7, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_cmpstr (secret, ==, "token-seven-b");
  g_clear_pointer (&secret, g_free);

  /* Clearing one kind leaves the other. */
  g_assert_true (clear_secret (7, WC_SECRET_ACCESS_TOKEN, &error));
  g_assert_no_error (error);
  secret = lookup_secret (7, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_null (secret);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  secret = lookup_secret (7, WC_SECRET_CLIENT_SECRET, &error);
  g_assert_cmpstr (secret, ==, "client-seven");
  g_clear_pointer (&secret, g_free);

  /* Clearing an account clears all its kinds, not other accounts'. */
  g_assert_true (clear_secret (7, NULL, &error));
  secret = lookup_secret (7, WC_SECRET_CLIENT_SECRET, &error);
  g_assert_null (secret);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  secret = lookup_secret (8, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_cmpstr (secret, ==, "token-eight");
  g_clear_pointer (&secret, g_free);

  /* Clearing what is not there is not an error. */
  g_assert_true (clear_secret (12345, NULL, &error));
  g_assert_no_error (error);
}

static void
test_keyring_clear_all (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store_secret (1, WC_SECRET_ACCESS_TOKEN, "a", NULL));
  g_assert_true (store_secret (2, WC_SECRET_APP_PASSWORD, "b", NULL));
  g_assert_true (store_secret (-1, WC_SECRET_HASH_KEY, "c", NULL));

  g_assert_true (clear_secret (-1, NULL, &error));
  g_assert_no_error (error);

  secret = lookup_secret (1, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  secret = lookup_secret (2, WC_SECRET_APP_PASSWORD, &error);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  secret = lookup_secret (-1, WC_SECRET_HASH_KEY, &error);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
}

static void
test_keyring_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *secret = NULL;

      /* Before libsecret first touches the bus: point it nowhere. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/whitecoat-test-bus", TRUE);

      g_assert_false (store_secret (1, WC_SECRET_ACCESS_TOKEN, "x", &error));
      g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "keyring"));
      /* The message is for people: no D-Bus jargon. */
      g_assert_null (strstr (error->message, "org.freedesktop"));
      g_clear_error (&error);

      secret = lookup_secret (1, WC_SECRET_ACCESS_TOKEN, &error);
      g_assert_null (secret);
      g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_UNAVAILABLE);
      g_clear_error (&error);

      g_assert_false (clear_secret (-1, NULL, &error));
      g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static WcCryptoKey *
load_data_key (gboolean   create,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_keyring_load_data_key_async (create, NULL, store_result, NULL);
  result = await ();
  return wc_keyring_load_data_key_finish (result, error);
}

static GPtrArray *results;

static void
collect_result (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_ptr_array_add (results, g_object_ref (result));
}

/* The data key: made once, the first time, and found again in the real
 * keyring, also by a store opened anew. Calls made at the same time get
 * the same key. */
static void
test_keyring_data_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcCryptoKey) first = NULL;
  g_autoptr(WcCryptoKey) again = NULL;
  g_autoptr(WcCryptoKey) other = NULL;
  g_autoptr(WcStore) store = NULL;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) loaded = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stored = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (clear_secret (-1, WC_SECRET_DATA_KEY, NULL));
  g_assert_null (load_data_key (FALSE, &error));
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Three callers at once, before the keyring answered: one key. */
  results = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 3; i++)
    wc_keyring_load_data_key_async (TRUE, NULL, collect_result, NULL);
  while (results->len < 3)
    g_main_context_iteration (NULL, TRUE);
  first = wc_keyring_load_data_key_finish (results->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  for (guint i = 1; i < 3; i++)
    {
      g_autoptr(WcCryptoKey) same = wc_keyring_load_data_key_finish (results->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_true (wc_crypto_key_equal (same, first));
    }
  g_clear_pointer (&results, g_ptr_array_unref);

  /* What the keyring keeps is the key, nothing else. */
  stored = lookup_secret (-1, WC_SECRET_DATA_KEY, &error);
  g_assert_no_error (error);
  other = wc_crypto_key_new_from_base64 (stored, &error);
  g_assert_no_error (error);
  g_assert_true (wc_crypto_key_equal (other, first));
  g_clear_pointer (&other, wc_crypto_key_unref);

  /* A draft sealed with it, in a store closed and opened again with the
   * key as the keyring gives it then. */
  dir = g_dir_make_tmp ("whitecoat-keyring-XXXXXX", NULL);
  path = g_build_filename (dir, "whitecoat.db", NULL);
  store = wc_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (wc_store_set_data_key (store, first, &error));
  g_assert_no_error (error);
  wc_draft_set_text (draft, "Follow-up for the patient in bed 4");
  g_assert_true (wc_store_save_draft (store, draft, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  again = load_data_key (TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (wc_crypto_key_equal (again, first));
  store = wc_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (wc_store_set_data_key (store, again, &error));
  g_assert_no_error (error);
  loaded = wc_store_load_draft (store, wc_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (loaded), ==, "Follow-up for the patient in bed 4");

  /* Another key does not open it: it is refused, not used. */
  other = wc_crypto_key_new_random (&error);
  g_assert_no_error (error);
  g_clear_object (&store);
  store = wc_store_open (path, &error);
  g_assert_false (wc_store_set_data_key (store, other, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY);
  g_assert_false (wc_store_has_data_key (store));
  g_clear_object (&store);

  wc_store_delete_database (path, NULL);
  g_rmdir (dir);
}

/* "Delete all Whitecoat data" clears every item of the app: the data key
 * goes too, and the next load makes a new one. */
static void
test_keyring_data_key_cleared (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcCryptoKey) before = NULL;
  g_autoptr(WcCryptoKey) after = NULL;

  if (skip_without_keyring ())
    return;

  before = load_data_key (TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (clear_secret (-1, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (load_data_key (FALSE, &error));
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = load_data_key (TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (wc_crypto_key_equal (after, before));
}

/* A damaged key in the keyring is an error, and stays there: a new key
 * in its place would lose everything sealed with the old one. */
static void
test_keyring_data_key_damaged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store_secret (-1, WC_SECRET_DATA_KEY, "c2hvcnQ=", NULL));
  g_assert_null (load_data_key (TRUE, &error));
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED);
  kept = lookup_secret (-1, WC_SECRET_DATA_KEY, NULL);
  g_assert_cmpstr (kept, ==, "c2hvcnQ=");
  g_assert_true (clear_secret (-1, WC_SECRET_DATA_KEY, NULL));
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  if (!store_secret (-2, "probe", "probe", &error))
    {
      g_printerr ("# keyring probe failed: %s\n", error->message);
      return FALSE;
    }
  return clear_secret (-2, "probe", NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/unavailable", test_keyring_unavailable);
  g_test_add_func ("/keyring/store-lookup-clear", test_keyring_store_lookup_clear);
  g_test_add_func ("/keyring/clear-all", test_keyring_clear_all);
  g_test_add_func ("/keyring/data-key", test_keyring_data_key);
  g_test_add_func ("/keyring/data-key-cleared", test_keyring_data_key_cleared);
  g_test_add_func ("/keyring/data-key-damaged", test_keyring_data_key_damaged);

  if (!g_test_subprocess ())
    have_keyring = probe_keyring ();

  return g_test_run ();
}
