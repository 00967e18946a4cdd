/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Person tags, normalisation and the keyed hash. The key tests run against
 * the real gnome-keyring-daemon that build-aux/test starts in a private
 * D-Bus session, never against the user's keyring. */
#include "config.h"

#include <locale.h>

#include "wc-keyring.h"
#include "wc-person.h"

static gboolean have_keyring;

static const guint8 key_a[WC_HASHER_KEY_SIZE] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static const guint8 key_b[WC_HASHER_KEY_SIZE] = {
  32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
};

static void
test_person_tags (void)
{
  for (guint i = 0; i < WC_PERSON_N_TAGS; i++)
    {
      WcPersonTag tag;

      g_assert_true (wc_person_tag_from_string (wc_person_tag_to_string (i), &tag));
      g_assert_cmpint (tag, ==, i);
      g_assert_nonnull (wc_person_tag_get_label (i));
    }
  g_assert_cmpstr (wc_person_tag_to_string (WC_PERSON_TAG_PATIENT), ==, "patient");
  g_assert_cmpstr (wc_person_tag_to_string (WC_PERSON_TAG_FAMILY), ==, "family");
  g_assert_false (wc_person_tag_from_string ("friend", NULL));
  g_assert_false (wc_person_tag_from_string (NULL, NULL));

  for (guint i = 0; i < 3; i++)
    {
      WcRosterKind kind;

      g_assert_true (wc_roster_kind_from_string (wc_roster_kind_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_false (wc_roster_kind_from_string ("phone", NULL));
}

static void
test_person_normalize_words (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Anna Jansen", "anna jansen" },
    { "  ANNA   JANSEN  ", "anna jansen" },
    { "Anne-Marie O’Brien.", "anne marie o brien" },
    { "Zoë Ça\u0301rdenas", "zoe cardenas" },
    { "José\tMaría\nGarcía", "jose maria garcia" },
    { "Ångström, Åsa", "angstrom asa" },
    { "J.  de Vries", "j de vries" },
    { "", "" },
    { "?!", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = wc_person_normalize_words (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_person_normalize_handle (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "@Anna@Med.Example", "anna@med.example" },
    { "anna@med.example", "anna@med.example" },
    { "  @anna@med.example ", "anna@med.example" },
    { "acct:anna@med.example", "anna@med.example" },
    { "https://med.example/@Anna", "anna@med.example" },
    { "https://med.example/@anna@other.example", "anna@other.example" },
    { "https://med.example/users/anna", "anna@med.example" },
    { "Anna.bsky.social", "anna.bsky.social" },
    { "@anna.bsky.social", "anna.bsky.social" },
    { "https://bsky.app/profile/Anna.bsky.social", "anna.bsky.social" },
    { "@dr_zoë@med.example", "dr_zoe@med.example" },
    { "", NULL },
    { "@", NULL },
    { "anna jansen", NULL },
    { "https://med.example/about", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = wc_person_normalize_handle (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (wc_person_normalize_handle (NULL));
}

static void
test_person_normalize_email (void)
{
  g_autofree char *a = wc_person_normalize_email ("  Anna.Jansen@Example.NL ");
  g_autofree char *b = wc_person_normalize_email ("mailto:anna.jansen@example.nl");
  g_autofree char *c = wc_person_normalize_email ("   ");

  g_assert_cmpstr (a, ==, "anna.jansen@example.nl");
  g_assert_cmpstr (b, ==, "anna.jansen@example.nl");
  g_assert_null (c);

  g_assert_true (wc_person_email_is_valid ("anna@example.nl"));
  g_assert_true (wc_person_email_is_valid (" Anna.Jansen+x@mail.example.org "));
  g_assert_false (wc_person_email_is_valid ("anna"));
  g_assert_false (wc_person_email_is_valid ("anna@"));
  g_assert_false (wc_person_email_is_valid ("@example.nl"));
  g_assert_false (wc_person_email_is_valid ("anna@example"));
  g_assert_false (wc_person_email_is_valid ("anna@@example.nl"));
  g_assert_false (wc_person_email_is_valid ("anna jansen@example.nl"));
  g_assert_false (wc_person_email_is_valid ("anna@example..nl"));
  g_assert_false (wc_person_email_is_valid ("anna@example.nl."));
  g_assert_false (wc_person_email_is_valid (NULL));
}

static gboolean
variants_contain (GStrv       variants,
                  const char *written)
{
  g_autofree char *normal = wc_person_normalize_words (written);

  return g_strv_contains ((const char * const *) variants, normal);
}

/* "Matches what it should and nothing more": a roster name, and how it may
 * or may not be written in a text. */
static void
test_person_name_variants (void)
{
  const struct
  {
    const char *name;
    const char *written;
    gboolean    matches;
  } pairs[] = {
    /* accents, case, white space */
    { "Anna Jansen", "Anna Jansen", TRUE },
    { "Anna Jansen", "ANNA   jansen", TRUE },
    { "Zoë Müller", "Zoe Muller", TRUE },
    { "Zoe Muller", "Zoë Müller", TRUE },
    /* name order */
    { "Anna Jansen", "Jansen, Anna", TRUE },
    { "Anna Jansen", "Jansen Anna", TRUE },
    { "Jansen, Anna", "Anna Jansen", TRUE },
    /* initials */
    { "Anna Jansen", "A. Jansen", TRUE },
    { "Anna Jansen", "A Jansen", TRUE },
    { "Anna Jansen", "Jansen, A.", TRUE },
    { "Anna Maria Jansen", "A.M. Jansen", TRUE },
    { "Anna Maria Jansen", "A. Jansen", TRUE },
    { "Anna Maria Jansen", "Anna Jansen", TRUE },
    { "Anna Maria Jansen", "Maria Jansen", TRUE },
    { "Anne-Marie Jansen", "A.M. Jansen", TRUE },
    { "Anne-Marie Jansen", "Anne Marie Jansen", TRUE },
    /* particles */
    { "de Vries, Jan", "Jan de Vries", TRUE },
    { "de Vries, Jan", "J. de Vries", TRUE },
    { "de Vries, Jan", "J de Vries", TRUE },
    { "de Vries, Jan", "de Vries J", TRUE },
    { "de Vries, Jan", "de Vries, Jan", TRUE },
    { "Jan de Vries", "de Vries, Jan", TRUE },
    { "Jan de Vries", "Vries, Jan de", TRUE },
    { "Jan de Vries", "Vries, J. de", TRUE },
    { "Vries, Jan de", "Jan de Vries", TRUE },
    { "Jan van der Berg", "J. van der Berg", TRUE },
    { "Anna Jansen-de Vries", "A. Jansen-de Vries", TRUE },
    { "Jan in 't Veld", "J. in ’t Veld", TRUE },
    /* nothing more */
    { "Anna Jansen", "Anna", FALSE },
    { "Anna Jansen", "Jansen", FALSE },
    { "Anna Jansen", "Anna Janssen", FALSE },
    { "Anna Jansen", "B. Jansen", FALSE },
    { "Anna Jansen", "Hanna Jansen", FALSE },
    { "Anna Jansen", "An Jansen", FALSE },
    { "Anna Maria Jansen", "Maria", FALSE },
    { "Jan de Vries", "de Vries", FALSE },
    { "Jan de Vries", "Vries", FALSE },
    { "Jan de Vries", "Jan Vries", FALSE },
    { "Jan de Vries", "J. Vries", FALSE },
    { "Jan de Vries", "Jan de", FALSE },
    { "Jan van der Berg", "van der Berg", FALSE },
    { "Jan van der Berg", "J. Berg", FALSE },
    { "Anna Jansen-de Vries", "Vries", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_auto(GStrv) variants = wc_person_name_variants (pairs[i].name);

      if (variants_contain (variants, pairs[i].written) != pairs[i].matches)
        {
          g_autofree char *list = g_strjoinv (" | ", variants);
          g_test_message ("“%s” vs “%s”: variants %s", pairs[i].name, pairs[i].written, list);
          g_test_fail ();
        }
    }

  /* No variant of a name of several words is a single word. */
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_auto(GStrv) variants = wc_person_name_variants (pairs[i].name);

      for (guint j = 0; variants[j] != NULL; j++)
        g_assert_nonnull (strchr (variants[j], ' '));
    }

  /* A single word stays itself; nothing gives nothing. */
  {
    g_auto(GStrv) one = wc_person_name_variants ("Jansen");
    g_auto(GStrv) none = wc_person_name_variants (" .. ");
    g_auto(GStrv) null = wc_person_name_variants (NULL);

    g_assert_cmpuint (g_strv_length (one), ==, 1);
    g_assert_cmpstr (one[0], ==, "jansen");
    g_assert_cmpuint (g_strv_length (none), ==, 0);
    g_assert_cmpuint (g_strv_length (null), ==, 0);
  }

  /* The name as written comes first. */
  {
    g_auto(GStrv) variants = wc_person_name_variants ("Anna Jansen");
    g_assert_cmpstr (variants[0], ==, "anna jansen");
  }
}

static void
test_person_hash (void)
{
  g_autoptr(WcHasher) a = wc_hasher_new (key_a, sizeof key_a);
  g_autoptr(WcHasher) a2 = wc_hasher_new (key_a, sizeof key_a);
  g_autoptr(WcHasher) b = wc_hasher_new (key_b, sizeof key_b);
  g_autofree char *h1 = wc_hasher_hash (a, "anna jansen");
  g_autofree char *h2 = wc_hasher_hash (a2, "anna jansen");
  g_autofree char *h3 = wc_hasher_hash (b, "anna jansen");
  g_autofree char *h4 = wc_hasher_hash (a, "anna janssen");
  g_autofree char *expected = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key_a, sizeof key_a,
                                                         "anna jansen", -1);
  g_autofree char *handle1 = wc_hasher_hash_handle (a, "@Anna@Med.Example");
  g_autofree char *handle2 = wc_hasher_hash_handle (a, "https://med.example/@anna");
  g_autofree char *handle3 = wc_hasher_hash_handle (a, "not a handle");

  g_assert_true (wc_hash_is_valid (h1));
  g_assert_cmpuint (strlen (h1), ==, WC_HASH_HEX_LENGTH);
  /* It is HMAC-SHA256, as GLib computes it. */
  g_assert_cmpstr (h1, ==, expected);
  /* Stable for a key, different for another key and another name. */
  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpstr (h1, !=, h3);
  g_assert_cmpstr (h1, !=, h4);
  g_assert_cmpstr (handle1, ==, handle2);
  g_assert_null (handle3);

  /* A known vector (computed elsewhere), so that a change of the hash
   * shows: it would orphan every stored tag. */
  g_assert_cmpstr (h1, ==, "75c04e3080fe15dc693c107cc2b84019d52c1db8d51dfd9a12b6f5c28f52f060");

  g_assert_false (wc_hash_is_valid ("anna jansen"));
  g_assert_false (wc_hash_is_valid (NULL));
  g_assert_false (wc_hash_is_valid ("ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
  g_assert_false (wc_hash_is_valid ("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678"));
  g_assert_true (wc_hash_is_valid ("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
}

static gpointer
hash_in_thread (gpointer data)
{
  WcHasher *hasher = data;
  char *last = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      g_free (last);
      last = wc_hasher_hash (hasher, "anna jansen");
    }
  return last;
}

static void
test_person_hash_threads (void)
{
  g_autoptr(WcHasher) hasher = wc_hasher_new (key_a, sizeof key_a);
  g_autofree char *expected = wc_hasher_hash (hasher, "anna jansen");
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hash", hash_in_thread, hasher);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *got = g_thread_join (threads[i]);
      g_assert_cmpstr (got, ==, expected);
    }
}

/* The key in the keyring */

static GAsyncResult *pending;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data ? user_data : &pending;

  *slot = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static WcHasher *
load_hasher (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_hasher_load_async (NULL, store_result, NULL);
  result = await (&pending);
  return wc_hasher_load_finish (result, error);
}

static void
clear_key (void)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_keyring_clear_async (-1, WC_SECRET_HASH_KEY, NULL, store_result, NULL);
  result = await (&pending);
  g_assert_true (wc_keyring_clear_finish (result, NULL));
}

static void
test_person_key_create_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcHasher) first = NULL;
  g_autoptr(WcHasher) again = NULL;
  g_autoptr(WcHasher) fresh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;
  gsize len = 0;
  g_autofree guchar *key = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }

  clear_key ();

  /* No key yet: one is made and stored. */
  first = load_hasher (&error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  wc_keyring_lookup_async (-1, WC_SECRET_HASH_KEY, NULL, store_result, NULL);
  result = await (&pending);
  stored = wc_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  key = g_base64_decode (stored, &len);
  g_assert_cmpuint (len, ==, WC_HASHER_KEY_SIZE);

  /* Loading again finds the same key. */
  again = load_hasher (&error);
  g_assert_no_error (error);
  h1 = wc_hasher_hash (first, "anna jansen");
  h2 = wc_hasher_hash (again, "anna jansen");
  g_assert_cmpstr (h1, ==, h2);
  {
    g_autoptr(WcHasher) direct = wc_hasher_new (key, len);
    g_autofree char *h = wc_hasher_hash (direct, "anna jansen");
    g_assert_cmpstr (h, ==, h1);
  }

  /* Without the key, a new random one gives other hashes. */
  clear_key ();
  fresh = load_hasher (&error);
  g_assert_no_error (error);
  h3 = wc_hasher_hash (fresh, "anna jansen");
  g_assert_cmpstr (h3, !=, h1);
  clear_key ();
}

static void
test_person_key_concurrent (void)
{
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(WcHasher) a = NULL;
  g_autoptr(WcHasher) b = NULL;
  g_autofree char *ha = NULL;
  g_autofree char *hb = NULL;
  GAsyncResult *slot1 = NULL, *slot2 = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }
  clear_key ();

  /* Two loads at once must not make two keys. */
  wc_hasher_load_async (NULL, store_result, &slot1);
  wc_hasher_load_async (NULL, store_result, &slot2);
  r1 = await (&slot1);
  r2 = await (&slot2);
  a = wc_hasher_load_finish (r1, NULL);
  b = wc_hasher_load_finish (r2, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  ha = wc_hasher_hash (a, "x");
  hb = wc_hasher_hash (b, "x");
  g_assert_cmpstr (ha, ==, hb);
  clear_key ();
}

static void
test_person_key_damaged (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcHasher) hasher = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }

  wc_keyring_store_async (-1, WC_SECRET_HASH_KEY, "Whitecoat test key", "c2hvcnQ=", NULL, store_result, NULL);
  result = await (&pending);
  g_assert_true (wc_keyring_store_finish (result, NULL));

  hasher = load_hasher (&error);
  g_assert_null (hasher);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED);
  clear_key ();
}

static void
test_person_key_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcHasher) hasher = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/whitecoat-test-bus", TRUE);
      hasher = load_hasher (&error);
      g_assert_null (hasher);
      /* The doctor is told that the keyring is needed. */
      g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "keyring"));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-2, "probe", "probe", "probe", NULL, store_result, NULL);
  result = await (&pending);
  if (!wc_keyring_store_finish (result, &error))
    {
      g_printerr ("# keyring probe failed: %s\n", error->message);
      return FALSE;
    }
  g_clear_object (&result);
  wc_keyring_clear_async (-2, "probe", NULL, store_result, NULL);
  result = await (&pending);
  return wc_keyring_clear_finish (result, NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/person/tags", test_person_tags);
  g_test_add_func ("/person/normalize-words", test_person_normalize_words);
  g_test_add_func ("/person/normalize-handle", test_person_normalize_handle);
  g_test_add_func ("/person/normalize-email", test_person_normalize_email);
  g_test_add_func ("/person/name-variants", test_person_name_variants);
  g_test_add_func ("/person/hash", test_person_hash);
  g_test_add_func ("/person/hash-threads", test_person_hash_threads);
  g_test_add_func ("/person/key-unavailable", test_person_key_unavailable);
  g_test_add_func ("/person/key-create-lookup", test_person_key_create_lookup);
  g_test_add_func ("/person/key-concurrent", test_person_key_concurrent);
  g_test_add_func ("/person/key-damaged", test_person_key_damaged);

  if (!g_test_subprocess ())
    have_keyring = probe_keyring ();

  return g_test_run ();
}
