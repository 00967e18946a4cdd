/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wc-application.h"
#include "wc-audit-view.h"
#include "wc-composer.h"
#include "wc-preferences-window.h"
#include "wc-schedule-dialog.h"
#include "wc-scheduled-view.h"
#include "wc-store-outbox.h"
#include "wc-test-ui.h"
#include "wc-window.h"

/* Scheduling from the composer, the Scheduled view (days and week), cancel
 * with undo, updating scheduled posts after an edit, the schedule dialog's
 * times, and the activity log with its filters and exports. Real store,
 * real scheduler, on a fake clock that stands still: nothing falls due. */

/* Wednesday 10 June 2026, 10:00 UTC. */
#define NOW 1781085600

typedef struct
{
  WcApplication   *app;
  WcStore         *store;
  WcClock         *clock;
  WcWindow        *window;
  WcComposer      *composer;
  WcScheduledView *view;
  gint64           accounts[2];
} Fixture;

static void
wait_ms (guint ms)
{
  wc_test_ui_wait (ms);
  wc_test_ui_iterate ();
}

static gint64
add_account (Fixture    *fixture,
             const char *network,
             const char *handle)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, network);
  g_autoptr(GError) error = NULL;

  wc_account_set_handle (account, handle);
  g_assert_true (wc_store_add_account (fixture->store, account, &error));
  g_assert_no_error (error);
  return wc_account_get_id (account);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_setenv ("TZ", "UTC", TRUE);
  fixture->app = wc_test_ui_create_app ();
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  wc_test_ui_unlock_data (fixture->app);
  fixture->clock = wc_clock_new_fake (NOW);
  wc_application_set_clock (fixture->app, fixture->clock);

  /* Networks Whitecoat reminds about: nothing goes over the network. */
  fixture->accounts[0] = add_account (fixture, "linkedin", "anna-jansen-md");
  fixture->accounts[1] = add_account (fixture, "facebook", "anna.jansen.radiology");

  fixture->window = wc_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->composer = wc_window_get_composer (fixture->window);
  fixture->view = WC_SCHEDULED_VIEW (wc_window_get_scheduled_view (fixture->window));
  g_assert_true (WC_IS_SCHEDULED_VIEW (fixture->view));
  wait_ms (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wc_test_ui_destroy_toplevels ();
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->app);
}

static void
write_draft (Fixture    *fixture,
             const char *text)
{
  GtkFlowBox *targets = wc_composer_get_targets_box (fixture->composer);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wc_composer_get_text_view (fixture->composer));

  for (int i = 0; i < 2; i++)
    {
      GtkFlowBoxChild *chip = gtk_flow_box_get_child_at_index (targets, i);

      g_assert_nonnull (chip);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (chip)), TRUE);
    }
  gtk_text_buffer_set_text (buffer, text, -1);
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
}

static WcScheduleDialog *
open_schedule_dialog (Fixture *fixture)
{
  WcScheduleDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.schedule", NULL);
  wc_test_ui_iterate ();
  dialog = wc_test_ui_find_toplevel (WC_TYPE_SCHEDULE_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

/* The widgets of the list: rows that the list view really made. */
static void
collect_label_texts (GtkWidget *widget,
                     GString   *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (texts, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (texts, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_label_texts (child, texts);
}

static char *
dup_texts (GtkWidget *widget)
{
  GString *texts = g_string_new (NULL);

  collect_label_texts (widget, texts);
  return g_string_free (texts, FALSE);
}

static char *
dup_list_texts (Fixture *fixture)
{
  return wc_scheduled_view_dup_shown_text (fixture->view);
}

static void
test_schedule_cancel_undo (Fixture       *fixture,
                           gconstpointer  data)
{
  WcScheduleDialog *dialog;
  WcScheduler *scheduler;
  GListModel *entries;
  GListModel *rows;
  g_autoptr(WcOutboxEntry) first = NULL;
  g_autofree char *texts = NULL;
  WcWeekView *week;
  gint64 due;
  gint64 draft_id;
  AdwToast *toast;

  /* The view is empty before anything is scheduled. */
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "scheduled");
  wait_ms (50);
  g_assert_nonnull (wc_scheduled_view_get_scheduler (fixture->view));
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduled_view_get_rows (fixture->view)), ==, 0);
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "compose");

  write_draft (fixture, "Grand rounds tomorrow: heart failure with preserved ejection fraction.");
  draft_id = wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer)));
  g_assert_cmpint (draft_id, >, 0);

  /* Tomorrow 8:00, in the user's time zone (UTC here). */
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_TOMORROW_MORNING);
  due = wc_schedule_dialog_get_due_at (dialog);
  g_assert_cmpint (due, ==, NOW + 22 * 3600);
  g_assert_true (wc_schedule_dialog_get_valid (dialog));
  g_assert_cmpstr (wc_schedule_dialog_get_summary (dialog), ==, "Tomorrow at 08:00");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);

  /* One entry per target, kept as scheduled; a new draft is open. */
  scheduler = wc_application_peek_scheduler (fixture->app);
  g_assert_nonnull (scheduler);
  entries = wc_scheduler_get_entries (scheduler);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  first = g_list_model_get_item (entries, 0);
  g_assert_cmpint (wc_outbox_entry_get_due_at (first), ==, due);
  g_assert_cmpint (wc_outbox_entry_get_draft_id (first), ==, draft_id);
  g_assert_cmpint (wc_outbox_entry_get_state (first), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer))), <, 0);

  /* Reminders wait for Whitecoat itself: it starts in the background
   * after a log-in (outside Flatpak, an XDG autostart entry). */
  g_assert_true (wc_scheduler_get_has_local_work (scheduler));
  {
    g_autofree char *path = wc_application_dup_autostart_path ();
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "--background"));
    g_assert_nonnull (strstr (contents, "X-GNOME-Autostart-enabled=true"));
    /* Switched off in Preferences: gone; on again: back. */
    g_settings_set_boolean (wc_application_get_settings (fixture->app), "run-in-background", FALSE);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_settings_set_boolean (wc_application_get_settings (fixture->app), "run-in-background", TRUE);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* The day list: a heading for tomorrow, then both entries, drawn. */
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "scheduled");
  wait_ms (100);
  rows = wc_scheduled_view_get_rows (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_assert_cmpstr (wc_scheduled_view_get_row_heading (fixture->view, 0), ==, "Tomorrow · Thursday 11 June");
  g_assert_null (wc_scheduled_view_get_row_heading (fixture->view, 1));
  texts = dup_list_texts (fixture);
  g_test_message ("list shows:\n%s", texts);
  g_assert_nonnull (strstr (texts, "Tomorrow · Thursday 11 June"));
  g_assert_nonnull (strstr (texts, "08:00"));
  g_assert_nonnull (strstr (texts, "LinkedIn · anna-jansen-md"));
  g_assert_nonnull (strstr (texts, "Facebook · anna.jansen.radiology"));
  g_assert_nonnull (strstr (texts, "Grand rounds tomorrow"));
  g_assert_nonnull (strstr (texts, "Reminder"));

  /* The week: both on Thursday, the fourth column. */
  wc_scheduled_view_set_mode (fixture->view, "week");
  wait_ms (50);
  week = wc_scheduled_view_get_week_view (fixture->view);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (week)));
  g_assert_cmpuint (wc_week_view_get_n_in_day (week, 3), ==, 2);
  for (guint d = 0; d < 7; d++)
    if (d != 3)
      g_assert_cmpuint (wc_week_view_get_n_in_day (week, d), ==, 0);
  g_assert_true (wc_week_view_get_entry (week, 3, 0) == first);
  /* Clicking a chip goes back to the list. */
  g_signal_emit_by_name (week, "entry-activated", first);
  g_assert_cmpstr (wc_scheduled_view_get_mode (fixture->view), ==, "list");
  wait_ms (50);

  /* Cancel through the row's own action, as its menu does. */
  {
    GtkWidget *list = GTK_WIDGET (wc_scheduled_view_get_list_view (fixture->view));
    GtkWidget *row = NULL;

    /* Rows are made in order: the heading, then the entries. */
    for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        GtkWidget *inner = gtk_widget_get_first_child (child);

        /* The first entry's row, not the day's heading. */
        if (inner != NULL && wc_scheduled_view_get_row_entry (inner) != NULL)
          {
            row = inner;
            g_assert_true (gtk_widget_activate_action (inner, "row.cancel", NULL));
            break;
          }
      }
    g_assert_nonnull (row);
  }
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduled_view_get_rows (fixture->view)), ==, 2);
  toast = wc_scheduled_view_get_undo_toast (fixture->view);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");

  /* Undo: both are back, at the same time, in the list and the week. */
  g_signal_emit_by_name (toast, "button-clicked");
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduled_view_get_rows (fixture->view)), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WcOutboxEntry) entry = g_list_model_get_item (entries, i);

      g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
      g_assert_cmpint (wc_outbox_entry_get_due_at (entry), ==, due);
    }
  g_assert_cmpuint (wc_week_view_get_n_in_day (week, 3), ==, 2);

  /* Cancelling through the view's API as well, and leaving it cancelled. */
  g_assert_true (wc_scheduled_view_cancel_entry (fixture->view, first));
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  g_assert_cmpuint (wc_week_view_get_n_in_day (week, 3), ==, 1);

  /* Nothing left to do for Whitecoat: no autostart. */
  {
    g_autoptr(WcOutboxEntry) last = g_list_model_get_item (entries, 0);
    g_autofree char *path = wc_application_dup_autostart_path ();

    g_assert_true (wc_scheduled_view_cancel_entry (fixture->view, last));
    wait_ms (50);
    g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
    g_assert_false (wc_scheduler_get_has_local_work (scheduler));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* "Delete all Whitecoat data" replaces the store: the old outbox's
 * scheduler stops and the view shows the new, empty one. */
static void
test_store_replaced (Fixture       *fixture,
                     gconstpointer  data)
{
  WcScheduleDialog *dialog;
  WcScheduler *old;
  WcScheduler *now;
  g_autofree char *path = g_strdup (wc_store_get_path (fixture->store));
  g_autoptr(GError) error = NULL;

  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "scheduled");
  wait_ms (50);
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "compose");
  write_draft (fixture, "Journal club on Thursday.");
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_TOMORROW_MORNING);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);
  old = wc_application_peek_scheduler (fixture->app);
  g_assert_nonnull (old);
  g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (old)), ==, 2);
  g_assert_true (wc_scheduled_view_get_scheduler (fixture->view) == old);

  wc_store_close (fixture->store);
  g_assert_true (wc_store_delete_database (path, &error));
  g_assert_no_error (error);
  wc_application_reload_store (fixture->app);
  fixture->store = wc_application_get_store (fixture->app);
  /* The fresh store is locked, and has no scheduler, until its key (a
   * new one; "Delete all Whitecoat data" asks once the keyring is
   * cleared). */
  g_assert_null (wc_application_peek_scheduler (fixture->app));
  wc_test_ui_unlock_data (fixture->app);
  wait_ms (50);

  now = wc_application_peek_scheduler (fixture->app);
  g_assert_nonnull (now);
  g_assert_null (old);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (now)), ==, 0);
  g_assert_true (wc_scheduled_view_get_scheduler (fixture->view) == now);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduled_view_get_rows (fixture->view)), ==, 0);
  g_assert_false (wc_scheduler_get_has_local_work (now));
}

static GtkToggleButton *
find_chip (Fixture *fixture,
           gint64   account_id)
{
  GtkFlowBox *targets = wc_composer_get_targets_box (fixture->composer);
  GtkFlowBoxChild *child;

  for (int i = 0; (child = gtk_flow_box_get_child_at_index (targets, i)) != NULL; i++)
    {
      GtkWidget *chip = gtk_flow_box_child_get_child (child);
      gint64 *id = g_object_get_data (G_OBJECT (chip), "wc-account-id");

      if (GTK_IS_TOGGLE_BUTTON (chip) && id != NULL && *id == account_id)
        return GTK_TOGGLE_BUTTON (chip);
    }
  g_assert_not_reached ();
}

static guint
find_language (Fixture    *fixture,
               const char *code)
{
  const char *at;

  for (guint i = 0; (at = wc_composer_get_language_code (fixture->composer, i)) != NULL; i++)
    if (g_str_equal (at, code))
      return i;
  g_assert_not_reached ();
}

/* Who may reply is offered only for a Bluesky target; "Nobody" and the
 * language chosen in the composer are what the scheduled entry will post,
 * and survive the store (the entry read back, the draft reopened). */
static void
test_bluesky_reply_policy (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 bluesky = add_account (fixture, "bluesky", "anna.bsky.example");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wc_composer_get_text_view (fixture->composer));
  AdwComboRow *reply_row;
  AdwComboRow *language_row;
  WcScheduleDialog *dialog;
  WcScheduler *scheduler;
  GListModel *entries;
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(WcOutboxEntry) stored = NULL;
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *texts = NULL;
  gint64 draft_id;

  wc_application_notify_accounts_changed (fixture->app);
  wait_ms (50);
  reply_row = wc_composer_get_reply_row (fixture->composer);
  language_row = wc_composer_get_language_row (fixture->composer);

  /* LinkedIn alone: a language, but no say over replies. */
  gtk_toggle_button_set_active (find_chip (fixture, fixture->accounts[0]), TRUE);
  wait_ms (20);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (language_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reply_row)));

  /* With Bluesky it appears; everyone may reply until the user says. */
  gtk_toggle_button_set_active (find_chip (fixture, bluesky), TRUE);
  wait_ms (20);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reply_row)));
  g_assert_cmpuint (adw_combo_row_get_selected (reply_row), ==, WC_REPLY_POLICY_EVERYONE);
  texts = dup_texts (GTK_WIDGET (fixture->composer));
  g_assert_nonnull (strstr (texts, "Who Can Reply"));
  g_assert_nonnull (strstr (texts, "Everyone"));

  gtk_text_buffer_set_text (buffer, "Our ward's new sepsis pathway, in short.", -1);
  adw_combo_row_set_selected (reply_row, WC_REPLY_POLICY_NOBODY);
  adw_combo_row_set_selected (language_row, find_language (fixture, "fr"));
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  g_clear_pointer (&texts, g_free);
  texts = dup_texts (GTK_WIDGET (fixture->composer));
  g_assert_nonnull (strstr (texts, "Nobody"));
  g_assert_nonnull (strstr (texts, "French"));

  draft_id = wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer)));
  g_assert_cmpint (draft_id, >, 0);
  draft = wc_store_load_draft (fixture->store, draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_draft_get_reply_policy (draft), ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpstr (wc_draft_get_language (draft), ==, "fr");

  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_TOMORROW_MORNING);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);

  scheduler = wc_application_peek_scheduler (fixture->app);
  entries = wc_scheduler_get_entries (scheduler);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WcOutboxEntry) item = g_list_model_get_item (entries, i);

      if (wc_outbox_entry_get_account_id (item) == bluesky)
        entry = g_steal_pointer (&item);
    }
  g_assert_nonnull (entry);
  g_assert_cmpint (wc_outbox_entry_get_content (entry)->reply_policy, ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->language, ==, "fr");

  /* As the store keeps it, for the scheduler to send at its time. */
  stored = wc_store_get_outbox_entry (fixture->store, wc_outbox_entry_get_id (entry), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_outbox_entry_get_content (stored)->reply_policy, ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpstr (wc_outbox_entry_get_content (stored)->language, ==, "fr");

  /* The draft reopened shows what was chosen. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.open-draft", "x", draft_id);
  wait_ms (20);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reply_row)));
  g_assert_cmpuint (adw_combo_row_get_selected (reply_row), ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpstr (wc_composer_get_language_code (fixture->composer, adw_combo_row_get_selected (language_row)),
                   ==, "fr");
}

static void
test_edit_asks_to_update (Fixture       *fixture,
                          gconstpointer  data)
{
  WcScheduleDialog *dialog;
  WcScheduler *scheduler;
  g_autoptr(GPtrArray) entries = NULL;
  GtkTextBuffer *buffer;
  g_autofree char *texts = NULL;
  gint64 draft_id;

  write_draft (fixture, "Journal club on Friday.");
  draft_id = wc_draft_get_id (wc_draft_editor_get_draft (wc_composer_get_editor (fixture->composer)));
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_IN_ONE_HOUR);
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==, NOW + 3600);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);
  scheduler = wc_application_peek_scheduler (fixture->app);

  /* Open it again and change it: the posts keep the old text until the
   * user says to update them. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.open-draft", "x", draft_id);
  wait_ms (50);
  texts = dup_texts (GTK_WIDGET (fixture->composer));
  g_assert_nonnull (strstr (texts, "Scheduled for Today at 11:00 on 2 accounts."));
  g_clear_pointer (&texts, g_free);
  buffer = gtk_text_view_get_buffer (wc_composer_get_text_view (fixture->composer));
  gtk_text_buffer_set_text (buffer, "Journal club on Friday, room 4.", -1);
  wait_ms (WC_DRAFT_EDITOR_CHECK_DELAY_MS + 100);
  texts = dup_texts (GTK_WIDGET (fixture->composer));
  g_assert_nonnull (strstr (texts, "You changed this draft after scheduling it. Update the 2 scheduled posts too?"));

  entries = wc_scheduler_list_for_draft (scheduler, draft_id);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (wc_outbox_entry_get_content (g_ptr_array_index (entries, 0))->text, ==, "Journal club on Friday.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.update-scheduled", NULL));
  wait_ms (50);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = wc_scheduler_list_for_draft (scheduler, draft_id);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpstr (wc_outbox_entry_get_content (g_ptr_array_index (entries, i))->text, ==,
                     "Journal club on Friday, room 4.");
}

static void
test_dialog_times (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GTimeZone) amsterdam = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WcAccount) mastodon = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  WcScheduleDialog *dialog;

  if (amsterdam == NULL)
    {
      g_test_skip ("No time zone data for Europe/Amsterdam");
      return;
    }

  g_ptr_array_add (accounts, g_object_ref (mastodon));
  dialog = wc_schedule_dialog_new (NULL, "Schedule", accounts, amsterdam, NOW, 0);
  g_object_ref_sink (dialog);

  /* Tomorrow 8:00 in Amsterdam (CEST, UTC+2) is 06:00 UTC. */
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==, NOW - 4 * 3600 + 24 * 3600);
  /* Monday 9:00 after Wednesday 10 June is 15 June, 07:00 UTC. */
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_NEXT_MONDAY);
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==, NOW + 5 * 24 * 3600 - 3 * 3600);

  /* The past cannot be chosen. */
  wc_schedule_dialog_set_local (dialog, 2026, 6, 10, 9, 0);
  g_assert_false (wc_schedule_dialog_get_valid (dialog));

  /* 02:30 on the night the clocks go forward does not exist; the dialog
   * passes the scheduler's defined answer on: 03:30 CEST = 01:30 UTC. */
  wc_clock_jump (fixture->clock, NOW);
  g_clear_object (&dialog);
  dialog = wc_schedule_dialog_new (NULL, "Schedule", accounts, amsterdam, 1774000000 /* March 2026 */, 0);
  g_object_ref_sink (dialog);
  wc_schedule_dialog_set_local (dialog, 2026, 3, 29, 2, 30);
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==,
                   wc_clock_local_to_utc (amsterdam, 2026, 3, 29, 2, 30));
  g_assert_true (wc_schedule_dialog_get_valid (dialog));

  /* Where a Mastodon post goes: the server from five minutes ahead. */
  g_assert_cmpint (wc_route_for_account (mastodon, NOW + 3600, NOW), ==, WC_ROUTE_SERVER);
  g_assert_cmpint (wc_route_for_account (mastodon, NOW + 60, NOW), ==, WC_ROUTE_LOCAL);
  {
    g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");

    g_assert_cmpint (wc_route_for_account (facebook, NOW + 3600, NOW), ==, WC_ROUTE_REMINDER);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_object (&dialog);

  /* Bluesky has no server-side scheduling: however far ahead, Whitecoat
   * sends it at its time, and the dialog says so and why. */
  {
    g_autoptr(WcAccount) bluesky = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
    g_autoptr(GPtrArray) both = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree char *texts = NULL;

    wc_account_set_handle (bluesky, "anna.bsky.social");
    g_assert_cmpint (wc_route_for_account (bluesky, NOW + 7 * 24 * 3600, NOW), ==, WC_ROUTE_LOCAL);
    g_assert_nonnull (strstr (wc_route_describe_for_account (bluesky, WC_ROUTE_LOCAL), "Bluesky cannot schedule"));
    g_assert_cmpstr (wc_route_describe_for_account (mastodon, WC_ROUTE_LOCAL), ==, wc_route_describe (WC_ROUTE_LOCAL));

    g_ptr_array_add (both, g_object_ref (mastodon));
    g_ptr_array_add (both, g_object_ref (bluesky));
    dialog = wc_schedule_dialog_new (NULL, "Schedule", both, amsterdam, NOW, 0);
    g_object_ref_sink (dialog);
    gtk_window_present (GTK_WINDOW (dialog));
    wait_ms (50);
    texts = dup_texts (GTK_WIDGET (dialog));
    g_assert_nonnull (strstr (texts, "anna.bsky.social"));
    g_assert_nonnull (strstr (texts, "Sent by Whitecoat at that time, as Bluesky cannot schedule posts"));
    g_assert_nonnull (strstr (texts, wc_route_describe (WC_ROUTE_SERVER)));
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_clear_object (&dialog);
  }
}

static void
append_audit (Fixture        *fixture,
              gint64          at,
              WcIdentityKind  identity,
              gint64          account_id,
              const char     *kind,
              const char     *summary,
              const char     *reason)
{
  WcAuditEntry entry = { 0, at, TRUE, identity, account_id, (char *) kind, (char *) summary, (char *) reason };
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_store_append_audit (fixture->store, &entry, &error));
  g_assert_no_error (error);
}

static void
test_audit_log (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  WcAuditView *view;
  g_autofree char *dir = g_dir_make_tmp ("wc-audit-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "log.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "log.json", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autofree char *csv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  append_audit (fixture, now - 40 * 24 * 3600, WC_IDENTITY_PROFESSIONAL, fixture->accounts[0], "publish",
                "Posted to LinkedIn", NULL);
  append_audit (fixture, now - 2 * 24 * 3600, WC_IDENTITY_PROFESSIONAL, fixture->accounts[1], "override",
                "Overrode \"phi.date-of-birth\"", "It is my own, \"fictional\", date, with a comma");
  append_audit (fixture, now - 60, WC_IDENTITY_PERSONAL, -1, "consent", "=cmd|' /C calc'!A0", NULL);

  view = wc_audit_view_new (fixture->app, GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (view));
  wait_ms (50);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 3);
  {
    g_autofree char *texts = dup_texts (GTK_WIDGET (view));

    g_test_message ("activity log shows:\n%s", texts);
    g_assert_nonnull (strstr (texts, "Warning overridden"));
    g_assert_nonnull (strstr (texts, "Professional · Facebook · anna.jansen.radiology\n"
                                     "Reason: It is my own, \"fictional\", date, with a comma"));
    g_assert_nonnull (strstr (texts, "Consent recorded"));
  }

  wc_audit_view_set_filter (view, WC_IDENTITY_PROFESSIONAL, -1, NULL, WC_AUDIT_PERIOD_ANY);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 2);
  wc_audit_view_set_filter (view, -1, fixture->accounts[1], NULL, WC_AUDIT_PERIOD_ANY);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 1);
  wc_audit_view_set_filter (view, -1, -1, "publish", WC_AUDIT_PERIOD_ANY);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 1);
  wc_audit_view_set_filter (view, -1, -1, NULL, WC_AUDIT_PERIOD_MONTH);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 2);
  wc_audit_view_set_filter (view, -1, -1, NULL, WC_AUDIT_PERIOD_TODAY);
  g_assert_cmpuint (wc_audit_view_get_n_shown (view), ==, 1);

  /* Exports write what is shown: the last month. */
  wc_audit_view_set_filter (view, -1, -1, NULL, WC_AUDIT_PERIOD_MONTH);
  g_assert_true (wc_audit_view_export_csv (view, csv_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_test_message ("%s", csv);
  g_assert_true (g_str_has_prefix (csv, "time,identity,account,kind,summary,reason\r\n"));
  g_assert_nonnull (strstr (csv, "\"Facebook · anna.jansen.radiology\",\"override\",\"Overrode \"\"phi.date-of-birth\"\"\","
                                 "\"It is my own, \"\"fictional\"\", date, with a comma\"\r\n"));
  /* A formula is not left for a spreadsheet to run. */
  g_assert_nonnull (strstr (csv, "\"'=cmd|' /C calc'!A0\""));
  g_assert_null (strstr (csv, "Posted to LinkedIn"));

  g_assert_true (wc_audit_view_export_json (view, json_file, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "kind"), ==, "consent");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "identity"), ==,
                   "personal");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 0), "account_id"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "reason"), ==,
                   "It is my own, \"fictional\", date, with a comma");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 1), "account_id"), ==,
                   fixture->accounts[1]);

  gtk_window_destroy (GTK_WINDOW (view));
  g_unlink (csv_path);
  g_unlink (json_path);
  g_rmdir (dir);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  GtkWidget *found = NULL;

  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_named (child, name);
  return found;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  GtkWidget *found = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_type (child, type);
  return found;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings = wc_application_get_settings (fixture->app);
  GtkWidget *prefs = GTK_WIDGET (wc_preferences_window_new (fixture->app));
  GtkWidget *row;
  GtkWidget *toggle = NULL;
  GtkWidget *spin = NULL;

  gtk_window_present (GTK_WINDOW (prefs));
  wait_ms (50);
  g_assert_nonnull (find_named (prefs, "scheduling_page"));

  /* Each notification kind has its switch, bound to its key. */
  row = find_named (prefs, "notify-reminders");
  g_assert_nonnull (row);
  toggle = find_type (row, GTK_TYPE_SWITCH);
  g_assert_nonnull (toggle);
  g_assert_true (g_settings_get_boolean (settings, "notify-reminders"));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-reminders"));

  /* The hold-after limit, in minutes, goes to the scheduler as seconds. */
  row = find_named (prefs, "hold-after");
  g_assert_nonnull (row);
  spin = find_type (row, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpuint (g_settings_get_uint (settings, "hold-after"), ==, 60);
  wc_application_get_scheduler (fixture->app);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 120);
  g_assert_cmpuint (g_settings_get_uint (settings, "hold-after"), ==, 120);
  {
    gint64 hold_after = 0;

    g_object_get (wc_application_peek_scheduler (fixture->app), "hold-after", &hold_after, NULL);
    g_assert_cmpint (hold_after, ==, 7200);
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_fits_phone (Fixture       *fixture,
                 gconstpointer  data)
{
  int minimum = 0;
  WcScheduleDialog *dialog;

  write_draft (fixture, "Phones too.");
  dialog = open_schedule_dialog (fixture);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (fixture->window), "scheduled");
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  wait_ms (200);

  for (int mode = 0; mode < 2; mode++)
    {
      wc_scheduled_view_set_mode (fixture->view, mode == 0 ? "list" : "week");
      wait_ms (50);
      gtk_widget_measure (GTK_WIDGET (fixture->view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("Scheduled view (%s) minimum width: %d", mode == 0 ? "list" : "week", minimum);
      g_assert_cmpint (minimum, <=, 360);
    }
  dialog = open_schedule_dialog (fixture);
  gtk_widget_measure (GTK_WIDGET (dialog), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("schedule dialog minimum width: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/scheduled/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("schedule-cancel-undo", test_schedule_cancel_undo);
  ADD ("edit-asks-to-update", test_edit_asks_to_update);
  ADD ("store-replaced", test_store_replaced);
  ADD ("bluesky-reply-policy", test_bluesky_reply_policy);
  ADD ("dialog-times", test_dialog_times);
  ADD ("audit-log", test_audit_log);
  ADD ("preferences", test_preferences);
  ADD ("fits-phone", test_fits_phone);

#undef ADD

  return g_test_run ();
}
