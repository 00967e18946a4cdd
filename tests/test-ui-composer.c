/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-application.h"
#include "wc-test-ui.h"
#include "wc-attachment-row.h"
#include "wc-composer.h"
#include "wc-store-connect.h"
#include "wc-finding-row.h"
#include "wc-keyring.h"
#include "wc-window.h"

/* A 2×2 white JPEG without any metadata (as in test-check-command.c). */
static const char tiny_jpeg_base64[] =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
  "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAACAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAA"
  "AAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

/* "Patiënt geboren " is 16 characters (17 bytes: the ë takes two). */
#define DOB_TEXT      "Patiënt geboren 12-03-1957"
#define DOB_START     16
#define DOB_END       26

typedef struct
{
  WcApplication *app;
  WcWindow      *window;
  WcComposer    *composer;
  WcStore       *store;
  GtkWidget     *schedule_probe;
  GtkWidget     *post_probe;
} Fixture;

static gboolean
quit_loop_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds, as a user who waits. */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_loop_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  wc_test_ui_iterate ();
}

static GtkWidget *
add_probe (Fixture    *fixture,
           const char *action)
{
  /* A button bound to the composer's action shows whether the action is
   * enabled, the way the real buttons do. */
  GtkWidget *probe = gtk_button_new_with_label (action);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  gtk_box_append (wc_composer_get_side_panel (fixture->composer), probe);
  return probe;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = wc_test_ui_create_app ();
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  wc_test_ui_unlock_data (fixture->app);

  fixture->window = wc_window_new (fixture->app);
  fixture->composer = wc_window_get_composer (fixture->window);
  g_assert_true (WC_IS_COMPOSER (fixture->composer));
  fixture->schedule_probe = add_probe (fixture, "composer.schedule");
  fixture->post_probe = add_probe (fixture, "composer.post-now");
  gtk_window_present (GTK_WINDOW (fixture->window));
  wc_test_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  wc_test_ui_iterate ();

  g_clear_object (&fixture->app);
}

static GtkTextBuffer *
get_buffer (Fixture *fixture)
{
  return gtk_text_view_get_buffer (wc_composer_get_text_view (fixture->composer));
}

static void
type_text (Fixture    *fixture,
           const char *text)
{
  gtk_text_buffer_insert_at_cursor (get_buffer (fixture), text, -1);
}

/* The checks run once the typing pauses. */
static void
wait_for_checks (void)
{
  wait_ms (WC_DRAFT_EDITOR_CHECK_DELAY_MS + 100);
}

static void
wait_until_idle (WcDraftEditor *editor)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (wc_draft_editor_get_busy (editor))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static WcFindingRow *
find_finding_row (Fixture    *fixture,
                  const char *id,
                  guint      *position)
{
  GtkListBox *list = wc_composer_get_findings_list (fixture->composer);
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (wc_finding_get_id (wc_finding_row_get_finding (WC_FINDING_ROW (row))), id) == 0)
      {
        if (position != NULL)
          *position = i;
        return WC_FINDING_ROW (row);
      }
  return NULL;
}

static char *
write_tiny_jpeg (const char *name)
{
  gsize length = 0;
  g_autofree guchar *jpeg = g_base64_decode (tiny_jpeg_base64, &length);
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, (const char *) jpeg, length, NULL));
  return path;
}

static WcDraft *
save_draft (Fixture        *fixture,
            WcIdentityKind  kind,
            const char     *text)
{
  WcDraft *draft = wc_draft_new (kind);
  g_autoptr(GError) error = NULL;

  wc_draft_set_text (draft, text);
  wc_store_save_draft (fixture->store, draft, &error);
  g_assert_no_error (error);
  return draft;
}

static guint
count_stored_drafts (Fixture        *fixture,
                     WcIdentityKind  kind)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  drafts = wc_store_list_drafts (fixture->store, kind, &error);
  g_assert_no_error (error);
  return drafts->len;
}

static void
test_template (Fixture       *fixture,
               gconstpointer  data)
{
  WcDraftEditor *editor = wc_composer_get_editor (fixture->composer);

  /* A new, empty draft of the active identity, not stored until written. */
  g_assert_nonnull (editor);
  g_assert_cmpint (wc_draft_get_identity (wc_draft_editor_get_draft (editor)), ==, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (editor)), <, 0);
  g_assert_cmpuint (count_rows (wc_composer_get_findings_list (fixture->composer)), ==, 0);
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (fixture->schedule_probe));
  g_assert_true (gtk_widget_get_sensitive (fixture->post_probe));

  /* The side panel holds the checks first; later views are appended. */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (wc_composer_get_findings_list (fixture->composer)),
                                         GTK_WIDGET (wc_composer_get_side_panel (fixture->composer))));

  /* Without an account to post to, posting says so and posts nothing
   * (scheduling itself is tested in test-ui-scheduled.c). */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.post-now", NULL);
  g_assert_nonnull (wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)),
                   ==, "No Account Chosen");
}

static void
test_underline_date_of_birth (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkTextBuffer *buffer = get_buffer (fixture);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "finding-blocker");
  WcFindingRow *row;
  GtkTextIter iter, start, end;
  g_autofree char *selected = NULL;
  guint position = G_MAXUINT;

  g_assert_nonnull (tag);
  type_text (fixture, DOB_TEXT);
  wait_for_checks ();

  /* Listed, with its severity and rule. */
  row = find_finding_row (fixture, "phi.date-of-birth", &position);
  g_assert_nonnull (row);
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpstr (wc_finding_row_get_severity_text (row), ==, "Blocker");
  g_assert_true (g_str_has_prefix (wc_finding_row_get_rule_text (row), "R3 · "));
  g_assert_nonnull (wc_finding_row_get_button (row, WC_RESOLUTION_EDIT));
  g_assert_nonnull (wc_finding_row_get_button (row, WC_RESOLUTION_DISMISS));

  /* Underlined exactly where the date is. */
  for (int i = 0; i < gtk_text_buffer_get_char_count (buffer); i++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, i);
      g_assert_cmpint (gtk_text_iter_has_tag (&iter, tag), ==, i >= DOB_START && i < DOB_END);
    }

  /* A blocker stops posting and scheduling. */
  g_assert_false (gtk_widget_get_sensitive (fixture->schedule_probe));
  g_assert_false (gtk_widget_get_sensitive (fixture->post_probe));

  /* Activating the finding selects the words. */
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, DOB_START);
  g_assert_cmpint (gtk_text_iter_get_offset (&end), ==, DOB_END);
  selected = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (selected, ==, "12-03-1957");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (wc_composer_get_text_view (fixture->composer))));

  /* Editing the date away clears the underline and the finding. */
  gtk_text_buffer_get_iter_at_offset (buffer, &start, DOB_START);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  type_text (fixture, "1957");
  wait_for_checks ();
  g_assert_null (find_finding_row (fixture, "phi.date-of-birth", NULL));
  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_false (gtk_text_iter_forward_to_tag_toggle (&start, tag));
  g_assert_true (gtk_widget_get_sensitive (fixture->schedule_probe));
}

static void
test_clinical_image_consent (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = write_tiny_jpeg ("scan.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  WcDraftEditor *editor = wc_composer_get_editor (fixture->composer);
  GtkListBox *images = wc_composer_get_attachments_list (fixture->composer);
  WcAttachmentRow *image_row;
  AdwMessageDialog *dialog;
  gboolean audited = FALSE;
  guint position = G_MAXUINT;

  type_text (fixture, "Interesting fracture pattern.");
  g_assert_true (wc_composer_add_file (fixture->composer, file, &error));
  g_assert_no_error (error);

  /* Until the image is inspected, nothing goes out. */
  g_assert_true (wc_draft_editor_get_busy (editor));
  g_assert_false (gtk_widget_get_sensitive (fixture->schedule_probe));
  wait_until_idle (editor);
  g_assert_cmpuint (count_rows (images), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (fixture->schedule_probe));

  /* The user says it is a clinical image: a blocker until consent. */
  image_row = WC_ATTACHMENT_ROW (gtk_list_box_get_row_at_index (images, 0));
  gtk_switch_set_active (wc_attachment_row_get_clinical_switch (image_row), TRUE);
  wc_test_ui_iterate ();
  g_assert_true (wc_draft_get_attachments (wc_draft_editor_get_draft (editor))->len == 1);
  g_assert_nonnull (find_finding_row (fixture, "image.consent", &position));
  g_assert_false (gtk_widget_get_sensitive (fixture->schedule_probe));
  g_assert_false (gtk_widget_get_sensitive (fixture->post_probe));

  /* Cancelling the confirmation changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.finding-consent", "u", position);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "burned-in text"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  g_assert_false (gtk_widget_get_sensitive (fixture->schedule_probe));

  /* Confirming records it: the action comes back. */
  g_assert_nonnull (find_finding_row (fixture, "image.consent", &position));
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.finding-consent", "u", position);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();

  g_assert_null (find_finding_row (fixture, "image.consent", NULL));
  g_assert_true (gtk_widget_get_sensitive (fixture->schedule_probe));
  g_assert_cmpint (((WcAttachment *) g_ptr_array_index (wc_draft_get_attachments (wc_draft_editor_get_draft (editor)), 0))->consent_at,
                   >, 0);

  audit = wc_store_list_audit (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    if (g_strcmp0 (((WcAuditEntry *) g_ptr_array_index (audit, i))->kind, "consent") == 0)
      audited = TRUE;
  g_assert_true (audited);

  /* "Remove Image" from the alt-text warning takes it out of the draft. */
  g_assert_nonnull (find_finding_row (fixture, "limit.alt-text", &position));
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.remove-image", "u", 0);
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_rows (images), ==, 0);
  g_assert_null (find_finding_row (fixture, "limit.alt-text", NULL));
}

static void
test_dismiss_needs_reason (Fixture       *fixture,
                           gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  WcAuditEntry *last;
  guint position = G_MAXUINT;

  type_text (fixture, DOB_TEXT);
  wait_for_checks ();
  g_assert_nonnull (find_finding_row (fixture, "phi.date-of-birth", &position));
  g_assert_false (gtk_widget_get_sensitive (fixture->schedule_probe));

  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.finding-dismiss", "u", position);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "dismiss"), ==, "_Override");

  /* No reason, no override. */
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "dismiss"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "dismiss"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "A fictional case for teaching");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "dismiss"));
  adw_message_dialog_response (dialog, "dismiss");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();

  g_assert_null (find_finding_row (fixture, "phi.date-of-birth", NULL));
  g_assert_true (gtk_widget_get_sensitive (fixture->schedule_probe));

  audit = wc_store_list_audit (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, >, 0);
  last = g_ptr_array_index (audit, audit->len - 1);
  g_assert_cmpstr (last->kind, ==, "override");
  g_assert_cmpstr (last->reason, ==, "A fictional case for teaching");
}

static void
test_identity_switches_drafts (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(WcDraft) professional_1 = save_draft (fixture, WC_IDENTITY_PROFESSIONAL, "Grand rounds on Thursday");
  g_autoptr(WcDraft) professional_2 = save_draft (fixture, WC_IDENTITY_PROFESSIONAL, "New guideline out");
  g_autoptr(WcDraft) personal = save_draft (fixture, WC_IDENTITY_PERSONAL, "Ran 10 km this morning");
  WcDraft *open;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-identity", NULL);
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 1);
  g_assert_cmpint (wc_composer_get_nth_draft_id (fixture->composer, 0), ==, wc_draft_get_id (personal));
  open = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  g_assert_cmpint (wc_draft_get_id (open), ==, wc_draft_get_id (personal));
  g_assert_cmpint (wc_draft_get_identity (open), ==, WC_IDENTITY_PERSONAL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-identity", NULL);
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 2);
  open = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  g_assert_cmpint (wc_draft_get_identity (open), ==, WC_IDENTITY_PROFESSIONAL);

  /* Reopening from the list shows its text. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.open-draft", "x",
                              wc_draft_get_id (professional_1));
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (get_buffer (fixture), &start, &end);
    text = gtk_text_buffer_get_text (get_buffer (fixture), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Grand rounds on Thursday");
  }

  /* Duplicating stores a copy and opens it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.duplicate-draft", "x",
                              wc_draft_get_id (professional_1));
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 3);
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 3);
  open = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  g_assert_cmpint (wc_draft_get_id (open), !=, wc_draft_get_id (professional_1));
  g_assert_cmpstr (wc_draft_get_text (open), ==, "Grand rounds on Thursday");
}

static void
test_saved_after_delay (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  type_text (fixture, "Journal club: ");
  type_text (fixture, "new trial on statins");
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 0);

  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  drafts = wc_store_list_drafts (fixture->store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (wc_draft_get_text (g_ptr_array_index (drafts, 0)), ==, "Journal club: new trial on statins");
}

static void
test_delete_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  WcDraftEditor *editor;
  gint64 id;

  type_text (fixture, "Conference in Lisbon next month");
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  editor = wc_composer_get_editor (fixture->composer);
  id = wc_draft_get_id (wc_draft_editor_get_draft (editor));
  g_assert_cmpint (id, >=, 0);
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 1);

  /* Deleting hides it and opens another draft; the toast offers undo. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.delete-draft", "x", id);
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 0);
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer))), !=, id);

  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.undo-delete", NULL);
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 1);
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer))), ==, id);
  g_assert_cmpstr (wc_draft_get_text (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer))),
                   ==, "Conference in Lisbon next month");

  /* Without undo, the deletion is carried out at the latest when the
   * window closes. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.delete-draft", "x", id);
  wc_test_ui_iterate ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 0);
}

static void
test_close_saves (Fixture       *fixture,
                  gconstpointer  data)
{
  /* Closed before the save delay: the editor saves on the way out. */
  type_text (fixture, "Typed just before closing");
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);
}

static void
test_targets_and_counters (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(WcAccount) mastodon = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcAccount) personal = wc_account_new (WC_IDENTITY_PERSONAL, "bluesky");
  g_autoptr(GError) error = NULL;
  GtkFlowBox *targets = wc_composer_get_targets_box (fixture->composer);
  GtkWidget *chip;
  AdwComboRow *row;
  GtkLabel *counter;
  const WcDraftTarget *target;
  WcDraft *draft;
  g_autofree char *long_text = NULL;

  wc_account_set_handle (mastodon, "@dr_jansen@med.example");
  wc_account_set_display_name (mastodon, "Dr. Jansen");
  g_assert_true (wc_store_add_account (fixture->store, mastodon, &error));
  wc_account_set_handle (personal, "anna.bsky.social");
  g_assert_true (wc_store_add_account (fixture->store, personal, &error));
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);

  /* Only the active identity's accounts are offered. */
  g_assert_nonnull (gtk_flow_box_get_child_at_index (targets, 0));
  g_assert_null (gtk_flow_box_get_child_at_index (targets, 1));
  chip = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (targets, 0));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (chip));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (wc_composer_get_visibility_list (fixture->composer))));

  /* Choosing it offers Mastodon's audiences, the first by default. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), TRUE);
  draft = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  target = wc_draft_find_target (draft, wc_account_get_id (mastodon));
  g_assert_nonnull (target);
  g_assert_cmpstr (target->visibility, ==, "public");
  row = ADW_COMBO_ROW (gtk_list_box_get_row_at_index (wc_composer_get_visibility_list (fixture->composer), 0));
  g_assert_nonnull (row);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, 4);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  adw_combo_row_set_selected (row, 2);
  target = wc_draft_find_target (draft, wc_account_get_id (mastodon));
  g_assert_cmpstr (target->visibility, ==, "private");

  /* A counter per network, red over the limit. */
  counter = wc_composer_get_counter (fixture->composer, "mastodon");
  g_assert_nonnull (counter);
  g_assert_cmpstr (gtk_label_get_text (counter), ==, "Mastodon 0/500");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (counter), "error"));
  long_text = g_strnfill (501, 'a');
  type_text (fixture, long_text);
  counter = wc_composer_get_counter (fixture->composer, "mastodon");
  g_assert_cmpstr (gtk_label_get_text (counter), ==, "Mastodon 501/500");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (counter), "error"));
  g_assert_null (wc_composer_get_counter (fixture->composer, "bluesky"));

  /* Unchecking the chip drops the target. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), FALSE);
  g_assert_null (wc_draft_find_target (draft, wc_account_get_id (mastodon)));
  g_assert_null (wc_composer_get_counter (fixture->composer, "mastodon"));
}

/* The counter uses the limit the account's own server announced. */
static void
test_server_limit_counter (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(WcAccount) big = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcAccount) standard = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  WcServerLimits limits = { .max_characters = 1000, .chars_per_url = 23 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (501, 'a');
  GtkFlowBox *targets = wc_composer_get_targets_box (fixture->composer);
  GtkLabel *counter;

  wc_account_set_handle (big, "@dr_jansen@long.example");
  g_assert_true (wc_store_add_account (fixture->store, big, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_save_server_config (fixture->store, "mastodon",
                                              wc_account_get_server (big), &limits, &error));
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (targets, 0))),
                                TRUE);
  type_text (fixture, text);
  counter = wc_composer_get_counter (fixture->composer, "mastodon");
  g_assert_nonnull (counter);
  g_assert_cmpstr (gtk_label_get_text (counter), ==, "Mastodon 501/1000");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (counter), "error"));

  /* A second Mastodon account on a server with the default limit gets a
   * counter of its own, over the limit. */
  wc_account_set_handle (standard, "@jansen@plain.example");
  g_assert_true (wc_store_add_account (fixture->store, standard, &error));
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);
  for (guint i = 0; gtk_flow_box_get_child_at_index (targets, i) != NULL; i++)
    {
      GtkToggleButton *chip = GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (targets, i)));

      gtk_toggle_button_set_active (chip, TRUE);
    }
  for (guint i = 0; i < 100; i++)
    {
      counter = wc_composer_get_counter (fixture->composer, "mastodon");
      if (counter != NULL && gtk_widget_get_next_sibling (GTK_WIDGET (counter)) != NULL)
        break;
      wc_test_ui_wait (20);
    }
  {
    GtkWidget *first = GTK_WIDGET (wc_composer_get_counter (fixture->composer, "mastodon"));
    GtkWidget *second = gtk_widget_get_next_sibling (first);
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (first)));
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (second)));
    g_assert_true (g_str_equal (texts->pdata[0], "Mastodon 501/1000") || g_str_equal (texts->pdata[1], "Mastodon 501/1000"));
    g_assert_true (g_str_equal (texts->pdata[0], "Mastodon 501/500") || g_str_equal (texts->pdata[1], "Mastodon 501/500"));
  }
}

static void
test_move_identity (Fixture       *fixture,
                    gconstpointer  data)
{
  WcDraft *draft;
  gint64 id;

  type_text (fixture, "Lovely walk with the dog");
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  draft = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  id = wc_draft_get_id (draft);
  g_assert_cmpint (id, >=, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.move-identity", NULL);
  wc_test_ui_iterate ();

  /* The draft stays open and Whitecoat now acts as its identity. */
  g_assert_cmpint (wc_application_get_active_identity (fixture->app), ==, WC_IDENTITY_PERSONAL);
  draft = wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer));
  g_assert_cmpint (wc_draft_get_id (draft), ==, id);
  g_assert_cmpint (wc_draft_get_identity (draft), ==, WC_IDENTITY_PERSONAL);
  g_assert_cmpuint (wc_composer_get_n_drafts (fixture->composer), ==, 1);
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PERSONAL), ==, 1);
  g_assert_cmpuint (count_stored_drafts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 0);
}

static void
test_fits_phone (Fixture       *fixture,
                 gconstpointer  data)
{
  int minimum = 0;
  g_autofree char *path = write_tiny_jpeg ("photo.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "linkedin");
  g_autoptr(GError) error = NULL;

  /* With findings, an image and a target, which are the widest parts. */
  wc_account_set_handle (account, "anna-jansen-md");
  wc_account_set_display_name (account, "Dr. Anna Jansen, Radiologist at St. Example Hospital");
  g_assert_true (wc_store_add_account (fixture->store, account, &error));
  wc_application_notify_accounts_changed (fixture->app);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (
                                  gtk_flow_box_get_child_at_index (wc_composer_get_targets_box (fixture->composer), 0))),
                                TRUE);
  type_text (fixture, DOB_TEXT " Call 020-555 0134 or mail j.jansen@example.org");
  g_assert_true (wc_composer_add_file (fixture->composer, file, &error));
  wait_until_idle (wc_composer_get_editor (fixture->composer));
  wait_for_checks ();
  g_assert_cmpuint (count_rows (wc_composer_get_findings_list (fixture->composer)), >=, 2);

  /* Wide: the checks beside the text. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  wait_ms (200);
  g_assert_true (wc_composer_get_side_by_side (fixture->composer));

  /* Phones show only the close button (see test-ui-window.c); at 360 px
   * the checks go below the text and nothing needs more room. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  wait_ms (200);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  g_assert_false (wc_composer_get_side_by_side (fixture->composer));

  gtk_widget_measure (GTK_WIDGET (fixture->composer), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_test_message ("composer minimum width: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_test_message ("window minimum width: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

/* --- Locked until the keyring gives the drafts' key ------------------- */

static GAsyncResult *keyring_result;

static void
on_keyring_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  keyring_result = g_object_ref (result);
}

static GAsyncResult *
await_keyring (void)
{
  while (keyring_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&keyring_result);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_retry_button (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)),
                                         "composer.retry-unlock") == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_retry_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
buffer_text (WcComposer *composer)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wc_composer_get_text_view (composer));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The window comes first, with the composer greyed out and nothing to
 * type in; once the key is there the draft written before shows. */
static void
test_locked_until_key (void)
{
  g_autoptr(WcApplication) first = wc_test_ui_create_app ();
  g_autoptr(WcApplication) app = NULL;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextView *text_view;
  GtkWidget *lock_box;
  GtkWidget *retry;
  WcComposer *composer;
  WcWindow *window;
  gint64 end;
  gint64 id;

  /* A draft from an earlier session, sealed with the keyring's key. */
  g_assert_nonnull (wc_application_get_store (first));
  wc_test_ui_unlock_data (first);
  wc_draft_set_text (draft, "Ward round notes: restored after the keyring answered");
  g_assert_true (wc_store_save_draft (wc_application_get_store (first), draft, &error));
  g_assert_no_error (error);
  id = wc_draft_get_id (draft);
  wc_application_close_store (first);
  g_clear_object (&first);

  app = wc_test_ui_create_app ();
  window = wc_window_new (app);
  composer = wc_window_get_composer (window);
  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  /* Locked: no draft open, nothing can be typed in. */
  g_assert_false (wc_application_get_data_unlocked (app));
  g_assert_null (wc_composer_get_editor (composer));
  text_view = wc_composer_get_text_view (composer);
  g_assert_false (gtk_text_view_get_editable (text_view));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (wc_composer_get_content_warning_entry (composer))));
  text = buffer_text (composer);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  /* The key has a moment to come before the page says it waits for it
   * (usually it comes within it, and nothing flashes); then it says so. */
  lock_box = wc_composer_get_lock_box (composer);
  g_assert_false (gtk_widget_get_visible (lock_box));
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!gtk_widget_get_visible (lock_box))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      wc_test_ui_wait (20);
    }
  g_assert_false (wc_application_get_data_unlocked (app));
  g_assert_nonnull (find_label (lock_box, "Unlocking your drafts…"));
  /* Then the page is greyed out too. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (text_view)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (wc_composer_get_content_warning_entry (composer))));
  retry = find_retry_button (lock_box);
  g_assert_nonnull (retry);
  g_assert_false (gtk_widget_get_visible (retry));
  /* Nor does a new draft open (Ctrl+N). */
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.new-draft", NULL);
  wc_test_ui_iterate ();
  g_assert_null (wc_composer_get_editor (composer));

  wc_application_unlock_data (app);
  g_assert_true (wc_application_get_data_unlocking (app));
  g_assert_true (gtk_widget_get_visible (lock_box));
  wc_test_ui_unlock_data (app);
  wc_test_ui_iterate ();

  /* Unlocked: the draft from before, ready to type in. */
  g_assert_false (gtk_widget_get_visible (lock_box));
  g_assert_nonnull (wc_composer_get_editor (composer));
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (composer))), ==, id);
  text = buffer_text (composer);
  g_assert_cmpstr (text, ==, "Ward round notes: restored after the keyring answered");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (text_view)));
  g_assert_true (gtk_text_view_get_editable (text_view));

  /* What is typed now is saved (sealed) and read back. */
  gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (text_view), "Added: ", -1);
  g_assert_true (wc_draft_editor_save_now (wc_composer_get_editor (composer), &error));
  g_assert_no_error (error);
  stored = wc_store_load_draft (wc_application_get_store (app), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (stored), ==, "Added: Ward round notes: restored after the keyring answered");

  wc_test_ui_destroy_toplevels ();
}

/* A key the keyring cannot give (here: a damaged one) leaves the drafts
 * locked with the reason and a Retry button; Retry unlocks them once the
 * keyring can. */
static void
test_unlock_failed_retry (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcComposer *composer;
  WcWindow *window;
  GtkWidget *lock_box;
  GtkWidget *retry;
  const GError *error;
  gint64 end;

  wc_keyring_store_async (-1, WC_SECRET_DATA_KEY, "Whitecoat test: damaged key", "c2hvcnQ=", NULL,
                          on_keyring_done, NULL);
  g_object_unref (await_keyring ());

  window = wc_window_new (app);
  composer = wc_window_get_composer (window);
  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  wc_application_unlock_data (app);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (wc_application_get_data_unlocking (app))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();

  error = wc_application_get_data_error (app);
  g_assert_nonnull (error);
  g_assert_error ((GError *) error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED);
  g_assert_false (wc_application_get_data_unlocked (app));
  g_assert_null (wc_composer_get_editor (composer));
  lock_box = wc_composer_get_lock_box (composer);
  g_assert_true (gtk_widget_get_visible (lock_box));
  g_assert_nonnull (find_label (lock_box, "Your drafts are locked"));
  g_assert_nonnull (find_label (lock_box, error->message));
  retry = find_retry_button (lock_box);
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_true (gtk_widget_is_sensitive (retry));
  /* The damaged key was left alone, not replaced by a new one. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *kept = NULL;

    wc_keyring_lookup_async (-1, WC_SECRET_DATA_KEY, NULL, on_keyring_done, NULL);
    result = await_keyring ();
    kept = wc_keyring_lookup_finish (result, NULL);
    g_assert_cmpstr (kept, ==, "c2hvcnQ=");
  }

  /* The user sorts the keyring out, then presses Retry. */
  wc_keyring_clear_async (-1, WC_SECRET_DATA_KEY, NULL, on_keyring_done, NULL);
  g_object_unref (await_keyring ());
  g_signal_emit_by_name (retry, "clicked");
  g_assert_true (wc_application_get_data_unlocking (app));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!wc_application_get_data_unlocked (app))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_assert_null (wc_application_get_data_error (app));
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();
  g_assert_false (gtk_widget_get_visible (lock_box));
  g_assert_nonnull (wc_composer_get_editor (composer));

  wc_test_ui_destroy_toplevels ();
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/composer/locked-until-key", test_locked_until_key);
  g_test_add_func ("/ui/composer/unlock-failed-retry", test_unlock_failed_retry);

#define ADD(path, func) \
  g_test_add ("/ui/composer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("template", test_template);
  ADD ("underline-date-of-birth", test_underline_date_of_birth);
  ADD ("clinical-image-consent", test_clinical_image_consent);
  ADD ("dismiss-needs-reason", test_dismiss_needs_reason);
  ADD ("identity-switches-drafts", test_identity_switches_drafts);
  ADD ("saved-after-delay", test_saved_after_delay);
  ADD ("delete-and-undo", test_delete_and_undo);
  ADD ("close-saves", test_close_saves);
  ADD ("targets-and-counters", test_targets_and_counters);
  ADD ("server-limit-counter", test_server_limit_counter);
  ADD ("move-identity", test_move_identity);
  ADD ("fits-phone", test_fits_phone);

#undef ADD

  return g_test_run ();
}
