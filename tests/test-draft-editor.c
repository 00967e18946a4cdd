/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>

#include "wc-draft-editor.h"
#include "wc-store-connect.h"
#include "wc-test-key.h"

/* A 2×2 white JPEG without any metadata, and what gexiv2 adds to it. */
static const char tiny_jpeg_base64[] =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
  "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAACAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAA"
  "AAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

static WcChecker *checker;

typedef struct
{
  WcStore *store;
  char    *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->path = g_build_filename (g_get_user_data_dir (), "whitecoat", "whitecoat.db", NULL);
  fixture->store = wc_store_open (fixture->path, NULL);
  g_assert_nonnull (fixture->store);
  wc_test_store_unlock (fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->path);
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
wait_until_idle (WcDraftEditor *editor)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (wc_draft_editor_get_busy (editor) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wc_draft_editor_get_busy (editor));
}

static WcFinding *
find (WcDraftEditor *editor,
      const char    *id)
{
  GPtrArray *findings = wc_draft_editor_get_findings (editor);

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (findings, i)), id))
      return g_ptr_array_index (findings, i);
  return NULL;
}

static void
count_cb (gpointer instance,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

static char *
write_jpeg (const char *name)
{
  gsize length;
  g_autofree guchar *jpeg = g_base64_decode (tiny_jpeg_base64, &length);
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, (const char *) jpeg, length, NULL));
  return path;
}

static void
test_saves_within_the_delay (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autoptr(GPtrArray) drafts = NULL;

  /* An untouched new draft is not stored. */
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  drafts = wc_store_list_drafts (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_clear_pointer (&drafts, g_ptr_array_unref);

  wc_draft_editor_set_text (editor, "Journal club on Thursday");
  g_assert_true (wc_draft_editor_get_dirty (editor));
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  g_assert_false (wc_draft_editor_get_dirty (editor));

  drafts = wc_store_list_drafts (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (wc_draft_get_text (drafts->pdata[0]), ==, "Journal club on Thursday");
}

static void
test_typing_keeps_saving (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(WcDraft) stored = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Continuous typing for longer than the delay: saves happen during it,
   * not only after it. */
  while (g_get_monotonic_time () - start < 3 * WC_DRAFT_EDITOR_SAVE_DELAY_MS * 1000)
    {
      g_string_append_c (text, 'a');
      wc_draft_editor_set_text (editor, text->str);
      wait_ms (20);
    }
  g_assert_cmpint (wc_draft_get_id (draft), >, 0);
  stored = wc_store_load_draft (fixture->store, wc_draft_get_id (draft), NULL);
  g_assert_cmpuint (strlen (wc_draft_get_text (stored)), >, 0);
  g_assert_cmpuint (strlen (wc_draft_get_text (stored)), >=, text->len - (WC_DRAFT_EDITOR_SAVE_DELAY_MS / 20) - 5);
}

static void
test_checks_once_per_burst (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  const char *text = "Patient born 12-03-1957";
  guint runs = 0;

  g_signal_connect (editor, "findings-changed", G_CALLBACK (count_cb), &runs);
  for (gsize i = 1; i <= strlen (text); i++)
    {
      g_autofree char *prefix = g_strndup (text, i);
      wc_draft_editor_set_text (editor, prefix);
    }
  g_assert_cmpuint (runs, ==, 0);
  wait_ms (WC_DRAFT_EDITOR_CHECK_DELAY_MS + 100);
  g_assert_cmpuint (runs, ==, 1);
  g_assert_nonnull (find (editor, "phi.date-of-birth"));
  g_assert_false (wc_draft_editor_get_can_publish (editor));
}

static void
test_clinical_image_needs_consent (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autofree char *jpeg = write_jpeg ("xray.jpg");
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;

  wc_draft_editor_set_text (editor, "Interesting fracture pattern");
  g_assert_true (wc_draft_editor_add_image (editor, jpeg, &error));
  /* Not inspected yet: not publishable. */
  g_assert_false (wc_draft_editor_get_can_publish (editor));
  wait_until_idle (editor);
  g_assert_nonnull (find (editor, "limit.alt-text"));
  g_assert_true (wc_draft_editor_get_can_publish (editor));

  g_assert_true (wc_draft_editor_set_image_alt_text (editor, 0, "X-ray of a wrist", NULL));
  g_assert_true (wc_draft_editor_set_image_clinical (editor, 0, TRUE, NULL));
  g_assert_nonnull (find (editor, "image.consent"));
  g_assert_false (wc_draft_editor_get_can_publish (editor));

  g_assert_true (wc_draft_editor_record_consent (editor, 0, &error));
  g_assert_no_error (error);
  g_assert_null (find (editor, "image.consent"));
  g_assert_true (wc_draft_editor_get_can_publish (editor));

  audit = wc_store_list_audit (fixture->store, NULL);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_cmpstr (((WcAuditEntry *) audit->pdata[0])->kind, ==, "consent");

  /* Someone else's clinical image: where did it come from? */
  g_assert_true (wc_draft_editor_record_source (editor, 0, "", NULL));
  g_assert_nonnull (find (editor, "image.source"));
  g_assert_true (wc_draft_editor_record_source (editor, 0, "Radiology teaching file, St. Elisabeth", NULL));
  g_assert_null (find (editor, "image.source"));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_strip_image (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autofree char *jpeg = write_jpeg ("beach.jpg");
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *images_dir = g_build_filename (g_get_user_data_dir (), "whitecoat", "images", NULL);
  WcAttachment *attachment;
  GStatBuf st;

  /* Put a GPS position into the picture with the library we read with. */
  wc_image_init_gexiv2 ();
  metadata = gexiv2_metadata_new ();
  g_assert_true (gexiv2_metadata_open_path (metadata, jpeg, NULL));
  g_assert_true (gexiv2_metadata_try_set_gps_info (metadata, 4.89, 52.37, 2.0, NULL));
  g_assert_true (gexiv2_metadata_save_file (metadata, jpeg, NULL));

  g_assert_true (wc_draft_editor_add_image (editor, jpeg, NULL));
  wc_draft_editor_set_image_alt_text (editor, 0, "The beach", NULL);
  wait_until_idle (editor);
  g_assert_nonnull (find (editor, "image.gps"));
  g_assert_false (wc_draft_editor_get_can_publish (editor));

  wc_draft_editor_strip_image_async (editor, 0, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wc_draft_editor_strip_image_finish (editor, result, &error));
  g_assert_no_error (error);

  g_assert_null (find (editor, "image.gps"));
  g_assert_true (wc_draft_editor_get_can_publish (editor));

  /* The draft uses a private copy; the original is untouched. */
  attachment = g_ptr_array_index (wc_draft_get_attachments (draft), 0);
  g_assert_true (g_str_has_prefix (attachment->path, images_dir));
  g_assert_cmpint (g_stat (attachment->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_object (&metadata);
  metadata = gexiv2_metadata_new ();
  g_assert_true (gexiv2_metadata_open_path (metadata, jpeg, NULL));
  g_assert_true (gexiv2_metadata_try_has_tag (metadata, "Exif.GPSInfo.GPSLatitude", NULL));
}

static void
test_dismiss_needs_a_reason (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autoptr(WcDraftEditor) reopened = NULL;
  g_autoptr(WcDraft) loaded = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  WcFinding *finding;

  wc_draft_editor_set_text (editor, "Happy birthday to me, born 12-03-1957!");
  wc_draft_editor_check_now (editor);
  finding = find (editor, "phi.date-of-birth");
  g_assert_nonnull (finding);
  g_assert_false (wc_draft_editor_get_can_publish (editor));

  g_assert_false (wc_draft_editor_dismiss (editor, finding, "   ", &error));
  g_assert_error (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_NO_REASON);
  g_clear_error (&error);
  g_assert_nonnull (find (editor, "phi.date-of-birth"));

  g_assert_true (wc_draft_editor_dismiss (editor, finding, "It is my own birthday", &error));
  g_assert_no_error (error);
  g_assert_null (find (editor, "phi.date-of-birth"));
  g_assert_true (wc_draft_editor_get_can_publish (editor));

  audit = wc_store_list_audit (fixture->store, NULL);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_cmpstr (((WcAuditEntry *) audit->pdata[0])->kind, ==, "override");
  g_assert_cmpstr (((WcAuditEntry *) audit->pdata[0])->reason, ==, "It is my own birthday");
  /* The log names the check, never the draft's words. */
  g_assert_null (strstr (((WcAuditEntry *) audit->pdata[0])->summary, "1957"));

  /* The dismissal stays with the draft. */
  loaded = wc_store_load_draft (fixture->store, wc_draft_get_id (draft), NULL);
  reopened = wc_draft_editor_new (fixture->store, checker, loaded);
  g_assert_null (find (reopened, "phi.date-of-birth"));
  g_assert_true (wc_draft_editor_get_can_publish (reopened));
}

static void
test_move_to_other_identity (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcDraftEditor) editor = NULL;
  g_autoptr(GPtrArray) personal = NULL;
  g_autoptr(GPtrArray) professional = NULL;

  wc_account_set_handle (facebook, "anna.jansen.75");
  g_assert_true (wc_store_add_account (fixture->store, facebook, NULL));

  editor = wc_draft_editor_new (fixture->store, checker, draft);
  wc_draft_editor_set_text (editor, "Nachtdienst gehad, mijn patiënt was zo dankbaar.");
  wc_draft_editor_set_target (editor, wc_account_get_id (facebook), "friends");
  wc_draft_editor_check_now (editor);
  g_assert_nonnull (find (editor, "identity.clinical-in-personal"));

  g_assert_true (wc_draft_editor_move_to_identity (editor, WC_IDENTITY_PROFESSIONAL, NULL));
  g_assert_null (find (editor, "identity.clinical-in-personal"));
  g_assert_cmpuint (wc_draft_get_targets (draft)->len, ==, 0);

  personal = wc_store_list_drafts (fixture->store, WC_IDENTITY_PERSONAL, NULL);
  professional = wc_store_list_drafts (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_cmpuint (personal->len, ==, 0);
  g_assert_cmpuint (professional->len, ==, 1);
}

static void
test_targets_set_limits (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WcAccount) bluesky = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = NULL;
  g_autofree char *long_text = g_strnfill (350, 'a');

  wc_account_set_handle (bluesky, "dr-jansen.bsky.social");
  g_assert_true (wc_store_add_account (fixture->store, bluesky, NULL));

  editor = wc_draft_editor_new (fixture->store, checker, draft);
  wc_draft_editor_set_text (editor, long_text);
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "limit.length"));

  wc_draft_editor_set_target (editor, wc_account_get_id (bluesky), "public");
  wc_draft_editor_check_now (editor);
  g_assert_nonnull (find (editor, "limit.length"));
}

static void
test_dispose_saves (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  WcDraftEditor *editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autoptr(GPtrArray) drafts = NULL;

  wc_draft_editor_set_text (editor, "Closed before the save delay");
  g_object_unref (editor);

  drafts = wc_store_list_drafts (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (wc_draft_get_text (drafts->pdata[0]), ==, "Closed before the save delay");
}

/* A big follower list is counted in a worker thread: until it is done the
 * draft is not publishable, and then the audience's warning is there. */
static void
test_big_audience_in_a_thread (Fixture       *fixture,
                               gconstpointer  data)
{
  static const guint8 key[32] = { 42 };
  g_autoptr(WcHasher) hasher = wc_hasher_new (key, sizeof key);
  g_autoptr(WcAccount) mastodon = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autoptr(WcAccountState) state = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcDraftEditor) editor = NULL;
  g_autofree char *patient = NULL;
  gint64 end;

  wc_account_set_handle (mastodon, "@annie@social.example");
  g_assert_true (wc_store_add_account (fixture->store, mastodon, NULL));

  state = wc_account_state_new (wc_account_get_id (mastodon));
  state->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  state->locked = WC_TRISTATE_NO;
  state->followers_count = 40001;
  g_assert_true (wc_store_save_account_state (fixture->store, state, NULL));

  snapshot = wc_follower_snapshot_new (wc_account_get_id (mastodon), state->taken_at);
  for (guint i = 0; i < 40000; i++)
    {
      g_autofree char *ref = g_strdup_printf ("follower%u@social.example", i);
      g_assert_true (wc_follower_snapshot_add_hashed (snapshot, hasher, ref, NULL));
    }
  g_assert_true (wc_follower_snapshot_add_hashed (snapshot, hasher, "mrs.jansen@social.example", "Mrs Jansen"));
  wc_follower_snapshot_set_complete (snapshot, TRUE);
  wc_follower_snapshot_set_followers_count (snapshot, 40001);
  g_assert_true (wc_store_save_follower_snapshot (fixture->store, snapshot, NULL));

  patient = wc_hasher_hash_handle (hasher, "mrs.jansen@social.example");
  g_assert_true (wc_store_set_person_tag (fixture->store, patient, WC_PERSON_TAG_PATIENT, NULL));

  editor = wc_draft_editor_new (fixture->store, checker, draft);
  wc_draft_editor_set_hasher (editor, hasher);
  wc_draft_editor_set_text (editor, "Lovely weekend!");
  wc_draft_editor_set_target (editor, wc_account_get_id (mastodon), "public");
  wc_draft_editor_check_now (editor);

  /* Being counted: not publishable, and no audience warning yet. */
  g_assert_false (wc_draft_editor_get_can_publish (editor));

  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (find (editor, "audience.tagged-in-personal") == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (find (editor, "audience.tagged-in-personal"));
}

static WcAccount *
add_mastodon_account (WcStore    *store,
                      const char *handle,
                      const char *server)
{
  WcAccount *account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");

  wc_account_set_handle (account, handle);
  wc_account_set_server (account, server);
  g_assert_true (wc_store_add_account (store, account, NULL));
  return account;
}

/* The limits a server told (stored by the follower sync) are what the
 * checks use for the accounts on it; another server keeps the network's. */
static void
test_stored_server_limits (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraftEditor) editor = NULL;
  g_autoptr(WcAccount) big = add_mastodon_account (fixture->store, "@dr@big.example", "https://big.example");
  g_autoptr(WcAccount) plain = add_mastodon_account (fixture->store, "@dr@plain.example", "https://plain.example");
  g_autoptr(GString) text = g_string_new (NULL);
  WcServerLimits stored = { .max_characters = 1000, .chars_per_url = 23 };
  WcServerLimits limits = { 0 };
  WcFinding *finding;

  g_assert_true (wc_store_save_server_config (fixture->store, "mastodon", "https://big.example", &stored, NULL));
  for (guint i = 0; i < 70; i++)
    g_string_append (text, "abcdefghi ");

  editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_assert_true (wc_draft_editor_get_server_limits (editor, wc_account_get_id (big), &limits));
  g_assert_cmpuint (limits.max_characters, ==, 1000);
  g_assert_false (wc_draft_editor_get_server_limits (editor, wc_account_get_id (plain), &limits));
  g_assert_cmpuint (limits.max_characters, ==, 0);

  /* 700 characters fit on the 1,000-character server. */
  wc_draft_editor_set_text (editor, text->str);
  wc_draft_editor_set_target (editor, wc_account_get_id (big), "public");
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "limit.length"));

  /* Not on a server that said nothing: Mastodon's 500. */
  wc_draft_editor_set_target (editor, wc_account_get_id (plain), "public");
  wc_draft_editor_check_now (editor);
  finding = find (editor, "limit.length");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "700 characters of 500"));

  /* That server is read later (the follower sync stores it and the
   * application tells the editor to read the people again). */
  stored.max_characters = 800;
  g_assert_true (wc_store_save_server_config (fixture->store, "mastodon", "https://plain.example", &stored, NULL));
  wc_draft_editor_check_now (editor);
  g_assert_nonnull (find (editor, "limit.length"));  /* read once, not per check */
  wc_draft_editor_reload_people (editor);
  g_assert_null (find (editor, "limit.length"));
  wc_draft_editor_remove_target (editor, wc_account_get_id (plain));

  /* 900 characters: over the second's 800, under the first's 1,000. */
  for (guint i = 0; i < 20; i++)
    g_string_append (text, "abcdefghi ");
  wc_draft_editor_set_text (editor, text->str);
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "limit.length"));
  wc_draft_editor_set_target (editor, wc_account_get_id (plain), "public");
  wc_draft_editor_check_now (editor);
  finding = find (editor, "limit.length");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "900 characters of 800"));
}

/* The duty-hours check needs to know when the draft goes out: its
 * scheduled time, else now by the clock given; without either it stays
 * silent. Wednesday 10 June 2026, 10:00 UTC, duty 08:00–17:00 on
 * weekdays. */
static void
test_timing (Fixture       *fixture,
             gconstpointer  data)
{
  const gint64 now = 1781085600;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcDraftEditor) editor = wc_draft_editor_new (fixture->store, checker, draft);
  g_autoptr(WcClock) clock = wc_clock_new_fake (now);
  WcDutyHours duty = { 8 * 60, 17 * 60, 0x1f };
  WcFinding *finding;

  g_setenv ("TZ", "UTC", TRUE);
  wc_draft_editor_set_text (editor, "Koffie!");
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "timing.duty-hours"));

  /* Not scheduled: Post Now would send it at 10:00, on duty. */
  wc_draft_editor_set_timing (editor, clock, 0, &duty);
  finding = find (editor, "timing.duty-hours");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "Posted now"));

  /* Scheduled for 19:00: the scheduled time counts, not now. */
  wc_draft_editor_set_timing (editor, clock, now + 9 * 3600, &duty);
  g_assert_null (find (editor, "timing.duty-hours"));
  /* Scheduled for tomorrow 09:00: on duty then. */
  wc_draft_editor_set_timing (editor, clock, now + 23 * 3600, &duty);
  finding = find (editor, "timing.duty-hours");
  g_assert_nonnull (finding);
  g_assert_null (strstr (wc_finding_get_message (finding), "Posted now"));

  /* Not scheduled again, and the clock moved on to 18:00: off duty. */
  wc_draft_editor_set_timing (editor, clock, 0, &duty);
  g_assert_nonnull (find (editor, "timing.duty-hours"));
  wc_clock_advance (clock, 8 * 3600);
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "timing.duty-hours"));

  /* No duty hours, or no clock: nothing to say. */
  wc_clock_jump (clock, now);
  wc_draft_editor_set_timing (editor, clock, 0, NULL);
  g_assert_null (find (editor, "timing.duty-hours"));
  wc_draft_editor_set_timing (editor, NULL, 0, &duty);
  g_assert_null (find (editor, "timing.duty-hours"));

  /* A professional draft may go out on duty. */
  wc_draft_editor_set_timing (editor, clock, 0, &duty);
  g_assert_nonnull (find (editor, "timing.duty-hours"));
  g_assert_true (wc_draft_editor_move_to_identity (editor, WC_IDENTITY_PROFESSIONAL, NULL));
  wc_draft_editor_check_now (editor);
  g_assert_null (find (editor, "timing.duty-hours"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  checker = wc_checker_new (&error);
  g_assert_no_error (error);

#define ADD(name, func) g_test_add ("/draft-editor/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("saves-within-the-delay", test_saves_within_the_delay);
  ADD ("typing-keeps-saving", test_typing_keeps_saving);
  ADD ("checks-once-per-burst", test_checks_once_per_burst);
  ADD ("clinical-image-needs-consent", test_clinical_image_needs_consent);
  ADD ("strip-image", test_strip_image);
  ADD ("dismiss-needs-a-reason", test_dismiss_needs_a_reason);
  ADD ("move-to-other-identity", test_move_to_other_identity);
  ADD ("targets-set-limits", test_targets_set_limits);
  ADD ("stored-server-limits", test_stored_server_limits);
  ADD ("dispose-saves", test_dispose_saves);
  ADD ("big-audience-in-a-thread", test_big_audience_in_a_thread);
  ADD ("timing", test_timing);
#undef ADD

  status = g_test_run ();
  g_clear_object (&checker);
  return status;
}
