/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>

#include "wc-store.h"
#include "wc-test-key.h"

static const char *self_path;

/* G_TEST_OPTION_ISOLATE_DIRS gives each test its own data folder, removed
 * when the test ends. */
static char *
temp_db (void)
{
  return g_build_filename (g_get_user_data_dir (), "whitecoat", "whitecoat.db", NULL);
}

static WcAccount *
add_account (WcStore        *store,
             WcIdentityKind  identity,
             const char     *network,
             const char     *handle)
{
  WcAccount *account = wc_account_new (identity, network);

  wc_account_set_handle (account, handle);
  g_assert_true (wc_store_add_account (store, account, NULL));
  return account;
}

static void
count_changed (WcDraft  *draft,
               gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
test_draft_model (void)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) copy = NULL;
  g_autofree char *title = NULL;
  WcAttachment *image;
  guint changed = 0;

  g_signal_connect (draft, "changed", G_CALLBACK (count_changed), &changed);
  g_assert_cmpint (wc_draft_get_id (draft), ==, -1);
  g_assert_cmpstr (wc_draft_get_text (draft), ==, "");

  title = wc_draft_dup_title (draft);
  g_assert_cmpstr (title, ==, "Empty draft");
  g_clear_pointer (&title, g_free);

  wc_draft_set_text (draft, "Journal club tonight\nSecond line");
  wc_draft_set_text (draft, "Journal club tonight\nSecond line");  /* no change */
  g_assert_cmpuint (changed, ==, 1);
  title = wc_draft_dup_title (draft);
  g_assert_cmpstr (title, ==, "Journal club tonight");

  wc_draft_set_target (draft, 3, "public");
  wc_draft_set_target (draft, 3, "private");
  wc_draft_set_target (draft, 4, "public");
  g_assert_cmpuint (wc_draft_get_targets (draft)->len, ==, 2);
  g_assert_cmpstr (wc_draft_find_target (draft, 3)->visibility, ==, "private");
  g_assert_cmpuint (changed, ==, 4);

  image = wc_draft_add_attachment (draft, "/tmp/x.jpg");
  image->clinical = TRUE;
  g_assert_cmpuint (wc_draft_get_attachments (draft)->len, ==, 1);

  copy = wc_draft_duplicate (draft);
  g_assert_cmpint (wc_draft_get_id (copy), ==, -1);
  g_assert_cmpstr (wc_draft_get_text (copy), ==, wc_draft_get_text (draft));
  g_assert_cmpuint (wc_draft_get_targets (copy)->len, ==, 2);
  g_assert_true (((WcAttachment *) wc_draft_get_attachments (copy)->pdata[0])->clinical);

  /* Moving to the other identity drops the old identity's targets. */
  wc_draft_set_identity (draft, WC_IDENTITY_PERSONAL);
  g_assert_cmpuint (wc_draft_get_targets (draft)->len, ==, 0);
  g_assert_cmpuint (wc_draft_get_attachments (draft)->len, ==, 1);

  g_assert_true (wc_draft_remove_attachment (draft, 0));
  g_assert_false (wc_draft_remove_attachment (draft, 0));
}

/* A new draft is written in the interface's language until the user says
 * otherwise; who may reply and the language are copied and saved. */
static void
test_draft_reply_policy_and_language (void)
{
  g_autoptr(WcDraft) copy = NULL;
  g_autoptr(WcDraft) draft = NULL;
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  WcReplyPolicy policy = WC_REPLY_POLICY_EVERYONE;
  guint changed = 0;

  g_setenv ("LANGUAGE", "pt_BR.UTF-8:en", TRUE);
  draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_draft_get_language (draft), ==, "pt");
  g_assert_cmpint (wc_draft_get_reply_policy (draft), ==, WC_REPLY_POLICY_EVERYONE);
  g_clear_object (&draft);

  /* "C" is no language: the post says none rather than a wrong one. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_draft_get_language (draft), ==, "");
  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");

  g_signal_connect (draft, "changed", G_CALLBACK (count_changed), &changed);
  wc_draft_set_reply_policy (draft, WC_REPLY_POLICY_NOBODY);
  wc_draft_set_reply_policy (draft, WC_REPLY_POLICY_NOBODY);  /* no change */
  wc_draft_set_language (draft, "ES");
  wc_draft_set_language (draft, "es");  /* no change */
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpstr (wc_draft_get_language (draft), ==, "es");

  copy = wc_draft_duplicate (draft);
  g_assert_cmpint (wc_draft_get_reply_policy (copy), ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpstr (wc_draft_get_language (copy), ==, "es");

  for (WcReplyPolicy p = WC_REPLY_POLICY_EVERYONE; p <= WC_REPLY_POLICY_NOBODY; p++)
    {
      g_assert_true (wc_reply_policy_from_string (wc_reply_policy_to_string (p), &policy));
      g_assert_cmpint (policy, ==, p);
    }
  g_assert_false (wc_reply_policy_from_string ("friends", &policy));
  g_assert_false (wc_reply_policy_from_string (NULL, &policy));
}

static void
test_draft_store_round_trip (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(WcStore) store = wc_store_open (path, NULL);
  g_autoptr(WcAccount) mastodon = add_account (store, WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr@med.example");
  g_autoptr(WcAccount) linkedin = add_account (store, WC_IDENTITY_PROFESSIONAL, "linkedin", "anna-jansen");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) loaded = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  WcAttachment *image;

  wc_test_store_unlock (store);
  wc_draft_set_text (draft, "New guideline on hypertension 🩺");
  wc_draft_set_content_warning (draft, "medicine");
  wc_draft_set_target (draft, wc_account_get_id (mastodon), "unlisted");
  wc_draft_set_target (draft, wc_account_get_id (linkedin), "public");
  image = wc_draft_add_attachment (draft, "/home/anna/Pictures/chart.png");
  g_free (image->alt_text);
  image->alt_text = g_strdup ("Bar chart of blood pressure targets");
  image->clinical = TRUE;
  image->consent_at = 1700000000;
  image->source = g_strdup ("Colleague at the practice");

  g_assert_true (wc_store_save_draft (store, draft, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_draft_get_id (draft), >, 0);

  g_clear_object (&store);
  store = wc_store_open (path, NULL);
  wc_test_store_unlock (store);
  loaded = wc_store_load_draft (store, wc_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (loaded), ==, "New guideline on hypertension 🩺");
  g_assert_cmpstr (wc_draft_get_content_warning (loaded), ==, "medicine");
  g_assert_cmpint (wc_draft_get_identity (loaded), ==, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpuint (wc_draft_get_targets (loaded)->len, ==, 2);
  g_assert_cmpstr (wc_draft_find_target (loaded, wc_account_get_id (mastodon))->visibility, ==, "unlisted");
  image = wc_draft_get_attachments (loaded)->pdata[0];
  g_assert_cmpstr (image->path, ==, "/home/anna/Pictures/chart.png");
  g_assert_cmpstr (image->alt_text, ==, "Bar chart of blood pressure targets");
  g_assert_true (image->clinical);
  g_assert_cmpint (image->consent_at, ==, 1700000000);
  g_assert_cmpstr (image->source, ==, "Colleague at the practice");

  /* Update in place: fewer targets, no images. */
  wc_draft_remove_target (loaded, wc_account_get_id (linkedin));
  wc_draft_remove_attachment (loaded, 0);
  g_assert_true (wc_store_save_draft (store, loaded, &error));
  g_clear_object (&loaded);
  loaded = wc_store_load_draft (store, wc_draft_get_id (draft), NULL);
  g_assert_cmpuint (wc_draft_get_targets (loaded)->len, ==, 1);
  g_assert_cmpuint (wc_draft_get_attachments (loaded)->len, ==, 0);

  /* Removing an account takes it out of drafts. */
  g_assert_true (wc_store_remove_account (store, wc_account_get_id (mastodon), NULL));
  g_clear_object (&loaded);
  loaded = wc_store_load_draft (store, wc_draft_get_id (draft), NULL);
  g_assert_cmpuint (wc_draft_get_targets (loaded)->len, ==, 0);

  drafts = wc_store_list_drafts (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = wc_store_list_drafts (store, WC_IDENTITY_PERSONAL, &error);
  g_assert_cmpuint (drafts->len, ==, 0);

  g_assert_true (wc_store_delete_draft (store, wc_draft_get_id (draft), &error));
  g_assert_null (wc_store_load_draft (store, wc_draft_get_id (draft), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
}

static void
test_draft_never_targets_both_identities (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(WcStore) store = wc_store_open (path, NULL);
  g_autoptr(WcAccount) personal = add_account (store, WC_IDENTITY_PERSONAL, "facebook", "anna.jansen.75");
  g_autoptr(WcAccount) professional = add_account (store, WC_IDENTITY_PROFESSIONAL, "x", "@dr_jansen");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  wc_test_store_unlock (store);
  wc_draft_set_text (draft, "Holiday!");
  wc_draft_set_target (draft, wc_account_get_id (personal), "friends");
  wc_draft_set_target (draft, wc_account_get_id (professional), "public");

  g_assert_false (wc_store_save_draft (store, draft, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK);
  g_assert_cmpint (wc_draft_get_id (draft), ==, -1);

  drafts = wc_store_list_drafts (store, WC_IDENTITY_PERSONAL, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
}

static void
test_audit_log (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(WcStore) store = wc_store_open (path, NULL);
  g_autoptr(GPtrArray) entries = NULL;
  WcAuditEntry entry = { 0, 1700000000, TRUE, WC_IDENTITY_PERSONAL, -1,
                         (char *) "override", (char *) "Posted despite a warning", (char *) "It is my own birthday" };
  WcAuditEntry second = { 0, 0, FALSE, 0, 12, (char *) "consent", (char *) "Consent recorded", NULL };

  wc_test_store_unlock (store);
  g_assert_true (wc_store_append_audit (store, &entry, NULL));
  g_assert_true (wc_store_append_audit (store, &second, NULL));

  entries = wc_store_list_audit (store, NULL);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((WcAuditEntry *) entries->pdata[0])->kind, ==, "override");
  g_assert_cmpstr (((WcAuditEntry *) entries->pdata[0])->reason, ==, "It is my own birthday");
  g_assert_true (((WcAuditEntry *) entries->pdata[0])->has_identity);
  g_assert_cmpint (((WcAuditEntry *) entries->pdata[0])->account_id, ==, -1);
  g_assert_false (((WcAuditEntry *) entries->pdata[1])->has_identity);
  g_assert_cmpint (((WcAuditEntry *) entries->pdata[1])->account_id, ==, 12);
  g_assert_cmpint (((WcAuditEntry *) entries->pdata[1])->at, >, 1700000000);
}

/* The child: saves one draft over and over, telling the parent after each
 * commit which version is safely stored. */
static int
child_save_forever (const char *path)
{
  g_autoptr(WcStore) store = wc_store_open (path, NULL);
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);

  if (store == NULL)
    return 3;
  wc_test_store_unlock (store);
  for (guint64 version = 1; ; version++)
    {
      g_autofree char *text = g_strdup_printf ("version %" G_GUINT64_FORMAT " %s", version,
                                               "a reasonably long draft text to make every save do some work");

      wc_draft_set_text (draft, text);
      if (!wc_store_save_draft (store, draft, NULL))
        return 4;
      g_print ("%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n", wc_draft_get_id (draft), version);
      fflush (stdout);
    }
  return 0;
}

static void
test_draft_survives_killed_process (void)
{
  g_autofree char *path = temp_db ();
  const char *argv[] = { self_path, "--child-save", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(WcStore) store = NULL;
  g_autoptr(WcDraft) draft = NULL;
  g_autofree char *expected_prefix = NULL;
  gint64 draft_id = -1;
  guint64 last = 0;
  guint64 stored = 0;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  /* Let it commit a good number of times, then pull the plug mid-save. */
  while (last < 200)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_cmpint (sscanf (line, "%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT, &draft_id, &last), ==, 2);
    }
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (child));

  store = wc_store_open (path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (store);
  draft = wc_store_load_draft (store, draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (wc_draft_get_text (draft), "version %" G_GUINT64_FORMAT, &stored), ==, 1);
  /* Everything the child reported as saved is there; at most the one save
   * under way when it died is missing. */
  g_assert_cmpuint (stored, >=, last);
  expected_prefix = g_strdup_printf ("version %" G_GUINT64_FORMAT " ", stored);
  g_assert_true (g_str_has_prefix (wc_draft_get_text (draft), expected_prefix));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 3 && g_str_equal (argv[1], "--child-save"))
    return child_save_forever (argv[2]);

  self_path = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/draft/model", test_draft_model);
  g_test_add_func ("/draft/store-round-trip", test_draft_store_round_trip);
  g_test_add_func ("/draft/reply-policy-and-language", test_draft_reply_policy_and_language);
  g_test_add_func ("/draft/never-targets-both-identities", test_draft_never_targets_both_identities);
  g_test_add_func ("/draft/survives-killed-process", test_draft_survives_killed_process);
  g_test_add_func ("/audit/append-and-list", test_audit_log);

  return g_test_run ();
}
