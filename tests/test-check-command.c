/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `whitecoat check` as a doctor runs it: the real executable, on files the
 * test writes, in a home folder of the test's own. */
#include "config.h"

#include <gexiv2/gexiv2.h>
#include <json-glib/json-glib.h>
#include <locale.h>

#include "wc-image-inspector.h"
#include "wc-keyring.h"
#include "wc-roster.h"
#include "wc-store.h"

/* A 2×2 white JPEG without any metadata. */
static const char tiny_jpeg_base64[] =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
  "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAACAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAA"
  "AAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

static const char *whitecoat;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_check (Run         *run,
           const char  *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) whitecoat);
  g_ptr_array_add (argv, (gpointer) "check");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* The isolated XDG folders of this test are in the environment. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static char *
write_temp (const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
test_clean_text (void)
{
  g_autofree char *path = write_temp ("clean.txt",
    "Great session on heart failure at ESC Congress 30 August 2026 in Munich. "
    "Slides: https://example.org/slides — ran the marathon in 3:12:45 too!\n", -1);
  g_auto(Run) run = { 0 };

  run_check (&run, path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "no findings"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_findings_and_exit_status (void)
{
  g_autofree char *path = write_temp ("case.txt",
    "Interesting case today: Mrs. Jansen, 67, born 12-03-1957, room 12.\n", -1);
  g_auto(Run) run = { 0 };

  run_check (&run, "--identity", "professional", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "phi.date-of-birth"));
  g_assert_nonnull (strstr (run.out, "blocker"));
  /* Lines and columns point at the finding: "born" is on line 1. */
  g_assert_nonnull (strstr (run.out, "case.txt:1:"));
}

static void
test_json_shape (void)
{
  const char *text = "Call me: +31 6 12345678. My patient was discharged.\n";
  g_autofree char *path = write_temp ("json.txt", text, -1);
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *file;
  JsonArray *files, *findings;
  gboolean saw_phone = FALSE;

  run_check (&run, "--json", "--identity", "personal", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "identity"), ==, "personal");
  files = json_object_get_array_member (root, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  file = json_array_get_object_element (files, 0);
  g_assert_cmpstr (json_object_get_string_member (file, "file"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (file, "kind"), ==, "text");
  findings = json_object_get_array_member (file, "findings");
  g_assert_cmpuint (json_array_get_length (findings), >, 0);

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);
      JsonArray *spans = json_object_get_array_member (finding, "spans");

      g_assert_true (json_object_has_member (finding, "severity"));
      g_assert_true (json_object_has_member (finding, "message"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (finding, "rule"), "R"));
      if (g_str_equal (json_object_get_string_member (finding, "id"), "phi.phone"))
        {
          JsonObject *span = json_array_get_object_element (spans, 0);
          gint64 start = json_object_get_int_member (span, "start");
          gint64 end = json_object_get_int_member (span, "end");

          /* Byte spans into the file. */
          g_assert_cmpint (strncmp (text + start, "+31 6 12345678", end - start), ==, 0);
          saw_phone = TRUE;
        }
    }
  g_assert_true (saw_phone);
}

static void
test_bad_input (void)
{
  g_autofree char *latin1 = write_temp ("latin1.txt", "Patient \xe9\xe9n", -1);
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.txt", NULL);
  g_autofree char *good = write_temp ("good.txt", "Hello", -1);
  g_auto(Run) not_utf8 = { 0 };
  g_auto(Run) not_there = { 0 };
  g_auto(Run) bad_identity = { 0 };
  g_auto(Run) no_files = { 0 };

  run_check (&not_utf8, good, latin1, NULL);
  g_assert_cmpint (not_utf8.status, ==, 2);
  g_assert_cmpstr (not_utf8.out, ==, "");  /* no partial report */
  g_assert_nonnull (strstr (not_utf8.err, "latin1.txt"));
  g_assert_cmpuint (strchr (not_utf8.err, '\n') - not_utf8.err + 1, ==, strlen (not_utf8.err));

  run_check (&not_there, missing, NULL);
  g_assert_cmpint (not_there.status, ==, 2);
  g_assert_nonnull (strstr (not_there.err, "missing.txt"));

  run_check (&bad_identity, "--identity", "boss", good, NULL);
  g_assert_cmpint (bad_identity.status, ==, 2);

  run_check (&no_files, NULL);
  g_assert_cmpint (no_files.status, ==, 2);
}

static void
test_fresh_machine_creates_nothing (void)
{
  g_autofree char *path = write_temp ("fresh.txt", "Hello world", -1);
  g_autofree char *db = wc_store_dup_default_path ();
  g_auto(Run) run = { 0 };

  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  run_check (&run, path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_uses_the_users_markers (void)
{
  g_autofree char *db = wc_store_dup_default_path ();
  g_autoptr(WcStore) store = wc_store_open (db, NULL);
  g_autoptr(WcIdentity) professional = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autofree char *path = write_temp ("party.txt",
    "Great party at the Sint-Elisabeth Ziekenhuis! Follow @dr_jansen for more.\n", -1);
  g_auto(Run) personal = { 0 };
  g_auto(Run) as_professional = { 0 };

  wc_identity_add_marker (professional, WC_MARKER_ORGANISATION, "Sint-Elisabeth Ziekenhuis");
  g_assert_true (wc_store_save_identity (store, professional, NULL));
  wc_account_set_handle (account, "@dr_jansen@med.example");
  g_assert_true (wc_store_add_account (store, account, NULL));
  g_clear_object (&store);

  run_check (&personal, "--identity", "personal", path, NULL);
  g_assert_cmpint (personal.status, ==, 1);
  g_assert_nonnull (strstr (personal.out, "crosslink.marker"));
  g_assert_nonnull (strstr (personal.out, "crosslink.account"));

  /* The same text is no cross-link for the identity it belongs to. */
  run_check (&as_professional, "--identity", "professional", path, NULL);
  g_assert_null (strstr (as_professional.out, "crosslink"));
}

static void
test_images (void)
{
  gsize length;
  g_autofree guchar *jpeg = g_base64_decode (tiny_jpeg_base64, &length);
  g_autofree char *clean = write_temp ("clean.jpg", (const char *) jpeg, length);
  g_autofree char *located = write_temp ("located.jpg", (const char *) jpeg, length);
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) clean_run = { 0 };
  g_auto(Run) located_run = { 0 };
  g_auto(Run) dicom_run = { 0 };
  GString *dicom = g_string_new (NULL);
  g_autofree char *dicom_path = NULL;
  static const guint8 patient_name[] = { 0x10, 0x00, 0x10, 0x00, 'P', 'N', 8, 0, 'D', 'o', 'e', '^', 'J', 'a', 'n', 'e' };

  wc_image_init_gexiv2 ();
  metadata = gexiv2_metadata_new ();
  g_assert_true (gexiv2_metadata_open_path (metadata, located, &error));
  g_assert_true (gexiv2_metadata_try_set_gps_info (metadata, 4.89, 52.37, 2.0, &error));
  g_assert_true (gexiv2_metadata_save_file (metadata, located, &error));
  g_assert_no_error (error);

  run_check (&clean_run, clean, NULL);
  g_assert_cmpint (clean_run.status, ==, 0);

  run_check (&located_run, located, NULL);
  g_assert_cmpint (located_run.status, ==, 1);
  g_assert_nonnull (strstr (located_run.out, "image.gps"));
  g_assert_nonnull (strstr (located_run.out, "GPS position"));

  /* A DICOM file with its preamble, explicit VR little endian. */
  for (guint i = 0; i < 128; i++)
    g_string_append_c (dicom, '\0');
  g_string_append (dicom, "DICM");
  g_string_append_len (dicom, (const char *) patient_name, sizeof patient_name);
  dicom_path = write_temp ("scan.dcm", dicom->str, dicom->len);
  g_string_free (dicom, TRUE);

  run_check (&dicom_run, "--json", dicom_path, NULL);
  g_assert_cmpint (dicom_run.status, ==, 1);
  g_assert_nonnull (strstr (dicom_run.out, "image.dicom"));
  g_assert_nonnull (strstr (dicom_run.out, "PatientName"));
  /* Names only: the patient's name itself is never printed. */
  g_assert_null (strstr (dicom_run.out, "Doe"));
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The roster's key lives in the keyring, shared by the test and the
 * command it runs (both on the test's private session bus). */
static void
test_uses_the_roster (void)
{
  g_autofree char *db = wc_store_dup_default_path ();
  g_autoptr(WcStore) store = wc_store_open (db, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcHasher) hasher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp ("roster.txt", "Vanmiddag kwam mevrouw Bakker-Smit op controle.\n", -1);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_auto(Run) run = { 0 };

  wc_hasher_load_async (NULL, loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  hasher = wc_hasher_load_finish (result, &error);
  if (hasher == NULL)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }

  g_assert_true (wc_roster_add_entry (store, hasher, "Bakker-Smit", NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  run_check (&run, "--identity", "professional", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "phi.roster-name"));
  /* The database holds no trace of the name. */
  g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_null (memmem (contents, length, "Bakker", strlen ("Bakker")));
}

/* The other identity's drafts are sealed: the command looks their key up
 * in the keyring (never makes one) to compare the text with them. */
static void
test_reads_sealed_drafts (void)
{
  static const char text[] = "Our department party is on Friday at the lake, bring the kids and the dog.\n";
  g_autofree char *db = wc_store_dup_default_path ();
  g_autoptr(WcStore) store = wc_store_open (db, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcCryptoKey) key = NULL;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp ("crosspost.txt", text, -1);
  g_auto(Run) with_key = { 0 };
  g_auto(Run) without_key = { 0 };

  wc_keyring_load_data_key_async (TRUE, NULL, loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  key = wc_keyring_load_data_key_finish (result, &error);
  g_clear_object (&result);
  if (key == NULL)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }

  g_assert_true (wc_store_set_data_key (store, key, &error));
  g_assert_no_error (error);
  wc_draft_set_text (draft, text);
  g_assert_true (wc_store_save_draft (store, draft, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  run_check (&with_key, "--identity", "professional", path, NULL);
  g_assert_nonnull (strstr (with_key.out, "crosspost.similar"));

  /* Without the key in the keyring: checked without those drafts, said
   * on stderr, and no new key is made. */
  wc_keyring_clear_async (-1, WC_SECRET_DATA_KEY, NULL, loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wc_keyring_clear_finish (result, NULL));
  g_clear_object (&result);
  run_check (&without_key, "--identity", "professional", path, NULL);
  g_assert_null (strstr (without_key.out, "crosspost.similar"));
  g_assert_nonnull (strstr (without_key.err, "drafts of your other identity"));
  wc_keyring_load_data_key_async (FALSE, NULL, loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (wc_keyring_load_data_key_finish (result, &error));
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  whitecoat = g_getenv ("WHITECOAT_BIN");
  if (whitecoat == NULL)
    g_error ("WHITECOAT_BIN must name the whitecoat executable");

  g_test_add_func ("/check-command/clean-text", test_clean_text);
  g_test_add_func ("/check-command/findings-and-exit-status", test_findings_and_exit_status);
  g_test_add_func ("/check-command/json-shape", test_json_shape);
  g_test_add_func ("/check-command/bad-input", test_bad_input);
  g_test_add_func ("/check-command/fresh-machine-creates-nothing", test_fresh_machine_creates_nothing);
  g_test_add_func ("/check-command/uses-the-users-markers", test_uses_the_users_markers);
  g_test_add_func ("/check-command/images", test_images);
  g_test_add_func ("/check-command/uses-the-roster", test_uses_the_roster);
  g_test_add_func ("/check-command/reads-sealed-drafts", test_reads_sealed_drafts);

  return g_test_run ();
}
