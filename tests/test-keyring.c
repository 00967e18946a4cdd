/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs against the real gnome-keyring-daemon that build-aux/test starts in a
 * private D-Bus session, never against the user's keyring. */
#include "config.h"

#include <locale.h>

#include "wc-keyring.h"

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

  if (!g_test_subprocess ())
    have_keyring = probe_keyring ();

  return g_test_run ();
}
