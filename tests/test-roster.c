/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The patient roster: CSV import, storage as keyed hashes only, and
 * recognition of roster names in drafts. Every name here is invented. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "wc-roster.h"
#include "wc-store.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4,
  3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 42, 43,
};

typedef struct
{
  char     *dir;
  char     *path;
  WcStore  *store;
  WcHasher *hasher;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("whitecoat-roster-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "whitecoat.db", NULL);
  fixture->store = wc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->hasher = wc_hasher_new (test_key, sizeof test_key);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->hasher, wc_hasher_unref);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static WcRosterRow *
row_at (WcRosterImport *import,
        guint           i)
{
  GPtrArray *rows = wc_roster_import_get_rows (import);

  g_assert_cmpuint (i, <, rows->len);
  return g_ptr_array_index (rows, i);
}

static void
assert_row (WcRosterImport *import,
            guint           i,
            guint           line,
            const char     *name,
            const char     *handle,
            const char     *email)
{
  WcRosterRow *row = row_at (import, i);

  g_assert_cmpuint (row->line, ==, line);
  g_assert_cmpstr (row->name, ==, name);
  g_assert_cmpstr (row->handle, ==, handle);
  g_assert_cmpstr (row->email, ==, email);
}

/* CSV */

static void
test_csv_plain (void)
{
  g_autoptr(WcRosterImport) import = wc_roster_parse (
    "Anna Jansen,@anna@med.example,anna@example.nl\n"
    "Bob Kuiper,,\n"
    ",,carla@example.nl\n"
    ",bob.bsky.social\n", -1);

  g_assert_false (wc_roster_import_get_has_header (import));
  g_assert_cmpint (wc_roster_import_get_separator (import), ==, ',');
  g_assert_cmpuint (wc_roster_import_get_problems (import)->len, ==, 0);
  g_assert_cmpuint (wc_roster_import_get_rows (import)->len, ==, 4);
  assert_row (import, 0, 1, "Anna Jansen", "@anna@med.example", "anna@example.nl");
  assert_row (import, 1, 2, "Bob Kuiper", NULL, NULL);
  assert_row (import, 2, 3, NULL, NULL, "carla@example.nl");
  assert_row (import, 3, 4, NULL, "bob.bsky.social", NULL);
}

static void
test_csv_headers (void)
{
  const struct
  {
    const char *csv;
    const char *name, *handle, *email;
  } cases[] = {
    { "Name,Handle,Email\nAnna Jansen,@anna@med.example,anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    { "NAME,HANDLE,E-MAIL\nAnna Jansen,@anna@med.example,anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    { "Naam;Gebruikersnaam;E-mailadres\nAnna Jansen;@anna@med.example;anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    { "Name;Benutzername;E-Mail\nAnna Jansen;@anna@med.example;anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    { "Nom;Identifiant;Courriel\nAnna Jansen;@anna@med.example;anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    { "Nom,Nom d'utilisateur,Adresse électronique\nAnna Jansen,@anna@med.example,anna@example.nl\n",
      "Anna Jansen", "@anna@med.example", "anna@example.nl" },
    /* another order, and a column we do not want (never stored) */
    { "email,geboortedatum,naam\nanna@example.nl,01-02-1980,Anna Jansen\n",
      "Anna Jansen", NULL, "anna@example.nl" },
    /* given and family names in two columns */
    { "Prénom;Nom;Courriel\nAnna;Jansen;anna@example.nl\n",
      "Anna Jansen", NULL, "anna@example.nl" },
    { "Voornaam,Achternaam\nJan,de Vries\n", "Jan de Vries", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcRosterImport) import = wc_roster_parse (cases[i].csv, -1);

      g_assert_true (wc_roster_import_get_has_header (import));
      g_assert_cmpuint (wc_roster_import_get_problems (import)->len, ==, 0);
      g_assert_cmpuint (wc_roster_import_get_rows (import)->len, ==, 1);
      assert_row (import, 0, 2, cases[i].name, cases[i].handle, cases[i].email);
    }
}

static void
test_csv_semicolon_quotes_bom (void)
{
  g_autoptr(WcRosterImport) semi = wc_roster_parse (
    "Jansen, Anna;@anna@med.example;anna@example.nl\r\n"
    "\"de Vries; Jan\";;\r\n", -1);
  g_autoptr(WcRosterImport) quoted = wc_roster_parse (
    "\"Jansen, Anna\",\"@anna@med.example\",\"\"\n"
    "\"Anna\nMaria Jansen\",,\n"
    "\"Bob \"\"the builder\"\" Kuiper\",,\n"
    "  \"Carla Smit\"  ,,\n", -1);
  g_autoptr(WcRosterImport) bom = wc_roster_parse (
    "\xEF\xBB\xBFnaam;e-mail\nZoë Müller;zoe@example.de\n", -1);
  g_autoptr(WcRosterImport) tabs = wc_roster_parse ("Anna Jansen\t\tanna@example.nl\n", -1);

  g_assert_cmpint (wc_roster_import_get_separator (semi), ==, ';');
  g_assert_cmpuint (wc_roster_import_get_problems (semi)->len, ==, 0);
  assert_row (semi, 0, 1, "Jansen, Anna", "@anna@med.example", "anna@example.nl");
  assert_row (semi, 1, 2, "de Vries; Jan", NULL, NULL);

  g_assert_cmpint (wc_roster_import_get_separator (quoted), ==, ',');
  g_assert_cmpuint (wc_roster_import_get_problems (quoted)->len, ==, 0);
  assert_row (quoted, 0, 1, "Jansen, Anna", "@anna@med.example", NULL);
  assert_row (quoted, 1, 2, "Anna\nMaria Jansen", NULL, NULL);
  /* The quoted newline moved the line count on. */
  assert_row (quoted, 2, 4, "Bob \"the builder\" Kuiper", NULL, NULL);
  assert_row (quoted, 3, 5, "Carla Smit", NULL, NULL);

  g_assert_true (wc_roster_import_get_has_header (bom));
  assert_row (bom, 0, 2, "Zoë Müller", NULL, "zoe@example.de");

  g_assert_cmpint (wc_roster_import_get_separator (tabs), ==, '\t');
  assert_row (tabs, 0, 1, "Anna Jansen", NULL, "anna@example.nl");
}

static const char bad_file[] =
  "name,handle,email\n"              /* 1 */
  "Anna Jansen,,anna@example.nl\n"   /* 2 */
  "\n"                               /* 3: empty, skipped */
  "Bob Kuiper,,bob-at-example.nl\n"  /* 4: bad e-mail */
  "Carla Smit,,,extra\n"             /* 5: too many columns */
  "Dirk \xff\xfe Visser,,\n"         /* 6: not UTF-8 */
  " , , \n"                          /* 7: nothing in it, skipped */
  "Eva Bakker,anna jansen,\n"        /* 8: bad handle */
  "Femke Mulder,,,,\n"               /* 9: trailing empty cells are fine */
  "\"Gijs Bos,,\n";                  /* 10: quote never closed */

static void
test_csv_bad_rows (void)
{
  g_autoptr(WcRosterImport) import = wc_roster_parse (bad_file, sizeof bad_file - 1);
  GPtrArray *problems = wc_roster_import_get_problems (import);
  const guint expected_lines[] = { 4, 5, 6, 8, 10 };
  const char *secrets[] = { "Bob", "Kuiper", "bob-at", "Carla", "extra", "Dirk", "Visser",
                            "Eva", "Bakker", "anna jansen", "Gijs" };

  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected_lines));
  for (guint i = 0; i < problems->len; i++)
    {
      WcRosterProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *number = g_strdup_printf ("%u", expected_lines[i]);

      g_assert_cmpuint (problem->line, ==, expected_lines[i]);
      /* The message names the line and never quotes the row. */
      g_assert_nonnull (strstr (problem->message, number));
      for (guint j = 0; j < G_N_ELEMENTS (secrets); j++)
        g_assert_null (strstr (problem->message, secrets[j]));
    }

  g_assert_cmpuint (wc_roster_import_get_rows (import)->len, ==, 2);
  assert_row (import, 0, 2, "Anna Jansen", NULL, "anna@example.nl");
  assert_row (import, 1, 9, "Femke Mulder", NULL, NULL);
}

static void
test_csv_empty (void)
{
  g_autoptr(WcRosterImport) nothing = wc_roster_parse ("", 0);
  g_autoptr(WcRosterImport) header_only = wc_roster_parse ("Name,Email\r\n\r\n", -1);
  g_autoptr(WcRosterImport) null = wc_roster_parse (NULL, 0);

  g_assert_cmpuint (wc_roster_import_get_rows (nothing)->len, ==, 0);
  g_assert_cmpuint (wc_roster_import_get_rows (header_only)->len, ==, 0);
  g_assert_true (wc_roster_import_get_has_header (header_only));
  g_assert_cmpuint (wc_roster_import_get_problems (null)->len, ==, 0);
}

/* Storing */

static gboolean
on_roster (Fixture      *fixture,
           WcRosterKind  kind,
           const char   *normal)
{
  g_autofree char *hash = wc_hasher_hash (fixture->hasher, normal);

  return wc_store_roster_contains (fixture->store, kind, hash);
}

static void
test_import_nothing_on_error (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(WcRosterImport) import = wc_roster_parse (bad_file, sizeof bad_file - 1);
  g_autoptr(WcRosterImport) empty = wc_roster_parse ("name\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_false (wc_roster_import_store (import, fixture->store, fixture->hasher, &error));
  g_assert_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "5"));
  g_clear_error (&error);

  /* Not even the good rows went in. */
  for (guint kind = 0; kind < 3; kind++)
    g_assert_cmpuint (wc_store_count_roster_hashes (fixture->store, kind), ==, 0);
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna jansen"));

  g_assert_false (wc_roster_import_store (empty, fixture->store, fixture->hasher, &error));
  g_assert_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_EMPTY);
}

static void
test_import_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(WcRosterImport) import = wc_roster_parse (
    "naam;handle;e-mail\n"
    "Jansen, Anna;@Anna@Med.Example;Anna.Jansen@Example.NL\n"
    "Jan de Vries;;\n"
    "Joost de Vries;;\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_roster_import_store (import, fixture->store, fixture->hasher, &error));
  g_assert_no_error (error);

  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna jansen"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "jansen anna"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "a jansen"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "j de vries"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "joost de vries"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_HANDLE, "anna@med.example"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_EMAIL, "anna.jansen@example.nl"));
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna"));
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "jansen"));
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "de vries"));
  /* A handle is not a name. */
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna@med.example"));

  /* Removing Jan keeps "J. de Vries" for Joost. */
  g_assert_true (wc_roster_remove_entry (fixture->store, fixture->hasher, "Jan de Vries", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "jan de vries"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "j de vries"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "joost de vries"));

  /* Single entries. */
  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Zoë Müller", "zoe.bsky.social", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "zoe muller"));
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_HANDLE, "zoe.bsky.social"));
  g_assert_false (wc_roster_add_entry (fixture->store, fixture->hasher, " ", NULL, "", &error));
  g_assert_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (wc_roster_add_entry (fixture->store, fixture->hasher, NULL, NULL, "not-an-address", &error));
  g_assert_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wc_roster_add_entry (fixture->store, fixture->hasher, "Zoë Müller", "zoe mueller", NULL, &error));
  g_assert_error (error, WC_ROSTER_ERROR, WC_ROSTER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (wc_roster_remove_entry (fixture->store, fixture->hasher, "Zoe Muller", "@zoe.bsky.social", NULL, &error));
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "zoe muller"));
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_HANDLE, "zoe.bsky.social"));

  /* The roster survives reopening. */
  g_clear_object (&fixture->store);
  fixture->store = wc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna jansen"));

  /* Forget it. */
  g_assert_true (wc_roster_forget (fixture->store, &error));
  g_assert_no_error (error);
  for (guint kind = 0; kind < 3; kind++)
    g_assert_cmpuint (wc_store_count_roster_hashes (fixture->store, kind), ==, 0);
  g_assert_false (on_roster (fixture, WC_ROSTER_KIND_NAME, "anna jansen"));
}

static void
test_store_refuses_plain_text (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcRosterHash plain = { WC_ROSTER_KIND_NAME, "anna jansen" };
  g_autofree char *hash = wc_hasher_hash (fixture->hasher, "anna jansen");
  WcRosterHash good_then_bad[] = { { WC_ROSTER_KIND_NAME, hash }, plain };

  g_assert_false (wc_store_add_roster_hashes (fixture->store, &plain, 1, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "anna"));
  g_clear_error (&error);

  /* All or nothing. */
  g_assert_false (wc_store_add_roster_hashes (fixture->store, good_then_bad, 2, &error));
  g_clear_error (&error);
  g_assert_false (wc_store_roster_contains (fixture->store, WC_ROSTER_KIND_NAME, hash));

  g_assert_false (wc_store_set_person_tag (fixture->store, "@anna@med.example", WC_PERSON_TAG_PATIENT, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
}

static void
test_person_tags_round_trip (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = NULL;
  g_autofree char *anna = wc_hasher_hash_handle (fixture->hasher, "@anna@med.example");
  g_autofree char *bob = wc_hasher_hash_handle (fixture->hasher, "bob.bsky.social");
  gpointer value;

  g_assert_true (wc_store_set_person_tag (fixture->store, anna, WC_PERSON_TAG_PATIENT, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_set_person_tag (fixture->store, bob, WC_PERSON_TAG_COLLEAGUE, &error));
  /* Tagging again replaces. */
  g_assert_true (wc_store_set_person_tag (fixture->store, bob, WC_PERSON_TAG_PRESS, &error));

  tags = wc_store_load_person_tags (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 2);
  g_assert_true (g_hash_table_lookup_extended (tags, anna, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, WC_PERSON_TAG_PATIENT);
  g_assert_true (g_hash_table_lookup_extended (tags, bob, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, WC_PERSON_TAG_PRESS);
  g_clear_pointer (&tags, g_hash_table_unref);

  g_assert_true (wc_store_remove_person_tag (fixture->store, anna, &error));
  g_assert_true (wc_store_remove_person_tag (fixture->store, anna, &error));
  tags = wc_store_load_person_tags (fixture->store, &error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 1);
  g_assert_false (g_hash_table_contains (tags, anna));
}

/* The database holds no plain roster data. */

static GByteArray *
read_all_files (const char *dir_path)
{
  GByteArray *all = g_byte_array_new ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_byte_array_append (all, (const guint8 *) contents, length);
    }
  return all;
}

static void
assert_absent (const GByteArray *lowered,
               const char       *needle)
{
  g_autofree char *lower = g_utf8_strdown (needle, -1);
  g_autofree char *ascii = g_ascii_strdown (needle, -1);
  g_autofree char *folded = wc_person_normalize_words (needle);

  if (memmem (lowered->data, lowered->len, lower, strlen (lower)) != NULL
      || memmem (lowered->data, lowered->len, ascii, strlen (ascii)) != NULL
      || (*folded && memmem (lowered->data, lowered->len, folded, strlen (folded)) != NULL))
    g_error ("The database holds “%s”", needle);
}

static void
test_privacy_raw_bytes (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char roster[] =
    "Name;Handle;E-mail\n"
    "Wilhelmina Vlietstra;@wilhelmina@zorg.example;w.vlietstra@post.example\n"
    "Vlietstra, Quirijn;quirijn.bsky.social;\n"
    "Zoë Müllerström;;zoe.muellerstroem@mail.example\n"
    "Hendrik van Zuylen;;\n";
  static const char *plain[] = {
    "Wilhelmina Vlietstra", "Vlietstra Wilhelmina", "W. Vlietstra", "Wilhelmina", "Vlietstra",
    "wilhelmina@zorg.example", "zorg.example", "w.vlietstra@post.example", "post.example",
    "Quirijn", "quirijn.bsky.social", "Zoë Müllerström", "Müllerström", "Zoe Mullerstrom",
    "Mullerstrom", "zoe.muellerstroem", "mail.example", "Hendrik", "Zuylen", "van Zuylen",
  };
  g_autoptr(WcRosterImport) import = wc_roster_parse (roster, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *tagged = wc_hasher_hash_handle (fixture->hasher, "@wilhelmina@zorg.example");

  g_assert_true (wc_roster_import_store (import, fixture->store, fixture->hasher, &error));
  g_assert_no_error (error);
  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Quirijn Vlietstra", NULL,
                                      "quirijn@post.example", &error));
  g_assert_true (wc_store_set_person_tag (fixture->store, tagged, WC_PERSON_TAG_PATIENT, &error));
  g_assert_no_error (error);

  /* With the write-ahead log still there, and after closing. */
  for (guint round = 0; round < 2; round++)
    {
      if (round == 1)
        g_clear_object (&fixture->store);
      bytes = read_all_files (fixture->dir);
      g_assert_cmpuint (bytes->len, >, 0);
      for (guint i = 0; i < bytes->len; i++)
        bytes->data[i] = g_ascii_tolower (bytes->data[i]);
      /* UTF-8 capitals of the names (Ü, Ë) are lowered by searching both forms. */
      for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
        {
          g_autofree char *upper = g_utf8_strup (plain[i], -1);

          assert_absent (bytes, plain[i]);
          assert_absent (bytes, upper);
        }
      g_clear_pointer (&bytes, g_byte_array_unref);
    }
}

/* Drafts */

static WcRosterMatcher *
make_matcher (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  WcRosterMatcher *matcher = wc_roster_matcher_new_from_store (fixture->store, fixture->hasher, &error);

  g_assert_no_error (error);
  return matcher;
}

static void
test_match_draft (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcRosterMatcher) matcher = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));
  const char *draft =
    "Saw Anna Jansen today. Later J. de Vries and ZOË MÜLLER came by!\n"
    "Anna alone, Jansen alone, de Vries alone, Anna Janssen is someone else. "
    "Thanks @pat@med.example, not pat@med.example. Jansen's scan, Anna Jansen's too.";
  const char *expected[] = {
    "Anna Jansen", "J. de Vries", "ZOË MÜLLER", "Anna Jansen", "@pat@med.example",
  };

  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Anna Jansen", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "de Vries, Jan", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Zoë Müller", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, NULL, "@pat@med.example", NULL, &error));
  g_assert_no_error (error);

  matcher = make_matcher (fixture);
  g_assert_false (wc_roster_matcher_is_empty (matcher));
  wc_roster_matcher_run (matcher, draft, hits);

  g_assert_cmpuint (hits->len, ==, G_N_ELEMENTS (expected));
  /* Names first, in order, then mentions. */
  for (guint i = 0; i < hits->len; i++)
    {
      WcHit *hit = &g_array_index (hits, WcHit, i);
      g_autofree char *found = g_strndup (draft + hit->span.start, hit->span.end - hit->span.start);

      g_assert_cmpstr (hit->check_id, ==, "phi.roster-name");
      g_assert_cmpstr (found, ==, expected[i]);
    }
}

static void
test_match_empty_roster (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WcRosterMatcher) matcher = make_matcher (fixture);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));

  g_assert_true (wc_roster_matcher_is_empty (matcher));
  wc_roster_matcher_run (matcher, "Anna Jansen", hits);
  g_assert_cmpuint (hits->len, ==, 0);
}

static const char * const given_names[] = {
  "Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Julia",
  "Koen", "Lotte", "Milan", "Noor", "Olaf", "Pien", "Quinten", "Rosa", "Sem", "Tess",
};
static const char * const family_names[] = {
  "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
  "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
  "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
  "de Haan", "Vermeulen", "van den Berg", "van der Heijden", "Schouten", "van Beek",
  "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
  "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jong", "Kuipers",
  "van Veen", "Post", "Kuiper", "Veenstra", "Kramer",
};

static void
test_match_performance (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (WcRosterHash));
  g_autoptr(WcRosterMatcher) matcher = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));
  g_autoptr(GString) draft = g_string_new (NULL);
  static const char * const filler[] = {
    "the", "patient", "scan", "showed", "a", "clear", "improvement", "after", "two",
    "weeks", "of", "treatment", "and", "we", "discussed", "next", "steps", "with", "team",
  };
  gint64 start, elapsed;
  guint n = 0;

  /* 1,000 entries: 20 given names × 50 family names. */
  for (guint g = 0; g < G_N_ELEMENTS (given_names); g++)
    for (guint f = 0; f < G_N_ELEMENTS (family_names); f++)
      {
        g_autofree char *name = g_strdup_printf ("%s %s", given_names[g], family_names[f]);
        g_autoptr(GArray) hashes = wc_roster_entry_hashes (fixture->hasher, name, NULL, NULL);

        g_array_append_vals (all, hashes->data, hashes->len);
        g_array_set_clear_func (hashes, NULL);  /* the strings moved to @all */
        n++;
      }
  g_assert_cmpuint (n, ==, 1000);
  g_assert_true (wc_store_add_roster_hashes (fixture->store, (WcRosterHash *) (gpointer) all->data, all->len, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    g_free ((char *) g_array_index (all, WcRosterHash, i).hash);

  matcher = make_matcher (fixture);

  /* 5,000 characters of ordinary words with three roster names in them. */
  for (guint i = 0; draft->len < 5000; i++)
    {
      g_string_append (draft, filler[(i * 7) % G_N_ELEMENTS (filler)]);
      g_string_append_c (draft, (i % 13 == 12) ? '.' : ' ');
      if (i == 100)
        g_string_append (draft, "Noor van der Meer ");
      if (i == 400)
        g_string_append (draft, "Q. Dijkstra ");
      if (i == 700)
        g_string_append (draft, "Veenstra, Tess ");
    }

  start = g_get_monotonic_time ();
  wc_roster_matcher_run (matcher, draft->str, hits);
  elapsed = g_get_monotonic_time () - start;

  g_test_message ("Roster matching: %" G_GSIZE_FORMAT " characters, 1,000 entries (%u hashes): %.2f ms",
                  draft->len, wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_NAME),
                  elapsed / 1000.0);
  g_printerr ("# roster matching of %" G_GSIZE_FORMAT " characters against 1,000 entries: %.2f ms\n",
              draft->len, elapsed / 1000.0);
  g_assert_cmpuint (hits->len, ==, 3);
  /* A few ms in a plain build; generous bounds for slow machines and for
   * the sanitizers, whose malloc is slow. */
#if defined(__SANITIZE_ADDRESS__)
  g_assert_cmpint (elapsed, <, 1000 * 1000);
#else
  g_assert_cmpint (elapsed, <, 50 * 1000);
#endif
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/roster/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/roster/csv/plain", test_csv_plain);
  g_test_add_func ("/roster/csv/headers", test_csv_headers);
  g_test_add_func ("/roster/csv/semicolon-quotes-bom", test_csv_semicolon_quotes_bom);
  g_test_add_func ("/roster/csv/bad-rows", test_csv_bad_rows);
  g_test_add_func ("/roster/csv/empty", test_csv_empty);
  ADD ("import/nothing-on-error", test_import_nothing_on_error);
  ADD ("import/round-trip", test_import_round_trip);
  ADD ("store/refuses-plain-text", test_store_refuses_plain_text);
  ADD ("store/person-tags", test_person_tags_round_trip);
  ADD ("privacy/raw-bytes", test_privacy_raw_bytes);
  ADD ("match/draft", test_match_draft);
  ADD ("match/empty-roster", test_match_empty_roster);
  ADD ("match/performance", test_match_performance);

  return g_test_run ();
}
