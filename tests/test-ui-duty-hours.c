/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-application.h"
#include "wc-composer.h"
#include "wc-finding-row.h"
#include "wc-schedule-dialog.h"
#include "wc-scheduler.h"
#include "wc-test-ui.h"
#include "wc-window.h"

/* The duty-hours check (rule R1) where a time is chosen: the schedule
 * dialog shows the finding for the time picked, with its rule, before the
 * user confirms, and offers the end of the duty instead; a scheduled
 * draft is checked at its scheduled time, an unscheduled one at the time
 * Post Now would send it, and Post Now says so before it posts. Duty hours
 * come from the real settings; real store and scheduler, on a fake clock
 * that stands still. */

/* Wednesday 10 June 2026, 10:00 UTC. */
#define NOW 1781085600
#define HOUR 3600

typedef struct
{
  WcApplication *app;
  WcStore       *store;
  GSettings     *settings;
  WcClock       *clock;
  WcWindow      *window;
  WcComposer    *composer;
  gint64         personal;
  gint64         professional;
} Fixture;

static void
wait_ms (guint ms)
{
  wc_test_ui_wait (ms);
  wc_test_ui_iterate ();
}

static gint64
add_account (Fixture        *fixture,
             WcIdentityKind  identity,
             const char     *handle)
{
  g_autoptr(WcAccount) account = wc_account_new (identity, "linkedin");
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
  const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", NULL };

  g_setenv ("TZ", "UTC", TRUE);
  fixture->app = wc_test_ui_create_app ();
  fixture->settings = wc_application_get_settings (fixture->app);
  wc_test_ui_reset_settings (fixture->settings);
  g_settings_set_boolean (fixture->settings, "onboarding-done", TRUE);
  g_settings_set_uint (fixture->settings, "duty-start", 8 * 60);
  g_settings_set_uint (fixture->settings, "duty-end", 17 * 60 + 30);
  g_settings_set_strv (fixture->settings, "duty-days", weekdays);
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  fixture->clock = wc_clock_new_fake (NOW);
  wc_application_set_clock (fixture->app, fixture->clock);
  /* Drafts are sealed with a key from the keyring. */
  wc_test_ui_unlock_data (fixture->app);

  /* A network Whitecoat reminds about: nothing goes over the network. */
  fixture->personal = add_account (fixture, WC_IDENTITY_PERSONAL, "annie-weekends");
  fixture->professional = add_account (fixture, WC_IDENTITY_PROFESSIONAL, "anna-jansen-md");
  wc_application_set_active_identity (fixture->app, WC_IDENTITY_PERSONAL);

  fixture->window = wc_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->composer = wc_window_get_composer (fixture->window);
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

static WcDraftEditor *
get_editor (Fixture *fixture)
{
  WcDraftEditor *editor = wc_composer_get_editor (fixture->composer);

  g_assert_nonnull (editor);
  return editor;
}

static void
write_draft (Fixture    *fixture,
             const char *text)
{
  GtkFlowBox *targets = wc_composer_get_targets_box (fixture->composer);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wc_composer_get_text_view (fixture->composer));
  GtkFlowBoxChild *chip = gtk_flow_box_get_child_at_index (targets, 0);

  g_assert_nonnull (chip);
  g_assert_null (gtk_flow_box_get_child_at_index (targets, 1));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (chip)), TRUE);
  gtk_text_buffer_set_text (buffer, text, -1);
  wait_ms (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  wc_draft_editor_check_now (get_editor (fixture));
}

static WcFinding *
find_duty_finding (Fixture *fixture)
{
  GPtrArray *findings = wc_draft_editor_get_findings (get_editor (fixture));

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (findings, i)), "timing.duty-hours"))
      return g_ptr_array_index (findings, i);
  return NULL;
}

/* The finding as the composer's Checks list shows it. */
static WcFindingRow *
find_duty_row (Fixture *fixture)
{
  GtkListBox *list = wc_composer_get_findings_list (fixture->composer);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (WC_IS_FINDING_ROW (child)
        && g_str_equal (wc_finding_get_id (wc_finding_row_get_finding (WC_FINDING_ROW (child))), "timing.duty-hours"))
      return WC_FINDING_ROW (child);
  return NULL;
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

static void
close_dialog (GtkWidget *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_ms (20);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Picking a time inside the duty hours shows the finding, with its rule,
 * in the dialog; "After Duty" moves the time to the end of that duty, and
 * the finding goes. Outside the duty hours, or for the professional
 * identity, nothing is shown. */
static void
test_schedule_dialog (Fixture       *fixture,
                      gconstpointer  data)
{
  WcScheduleDialog *dialog;
  GtkWidget *row;
  GtkWidget *button;
  WcFinding *finding;

  write_draft (fixture, "Koffie met de buren, eindelijk.");
  dialog = open_schedule_dialog (fixture);

  /* Tomorrow (Thursday) 08:00: the duty starts then. */
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_TOMORROW_MORNING);
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==, NOW + 22 * HOUR);
  finding = wc_schedule_dialog_get_finding (dialog);
  g_assert_nonnull (finding);
  g_assert_cmpstr (wc_finding_get_id (finding), ==, "timing.duty-hours");
  row = wc_schedule_dialog_get_finding_row (dialog);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_cmpstr (wc_finding_row_get_rule_text (WC_FINDING_ROW (row)), ==,
                   "R1 · Keep personal and professional presences separate");
  g_assert_cmpstr (wc_finding_row_get_severity_text (WC_FINDING_ROW (row)), ==, "Warning");
  g_assert_nonnull (find_label (row, "This personal post goes out inside your duty hours."));
  g_assert_nonnull (find_label (row, "08:00–17:30"));
  /* No dismiss button in the dialog: the answer here is another time. */
  g_assert_null (wc_finding_row_get_button (WC_FINDING_ROW (row), WC_RESOLUTION_DISMISS));
  /* Scheduling stays possible: it is a warning. */
  g_assert_true (wc_schedule_dialog_get_valid (dialog));

  button = wc_schedule_dialog_get_after_duty_button (dialog);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_After Duty: Tomorrow at 17:30");
  g_signal_emit_by_name (button, "clicked");
  wc_test_ui_iterate ();
  g_assert_cmpint (wc_schedule_dialog_get_due_at (dialog), ==, NOW + 31 * HOUR + 1800);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));
  g_assert_null (wc_schedule_dialog_get_finding_row (dialog));
  g_assert_false (gtk_widget_get_visible (button));

  /* Monday 09:00 is on duty, Saturday 10:00 is not, Friday 17:29 is. */
  wc_schedule_dialog_choose_quick (dialog, WC_QUICK_NEXT_MONDAY);
  g_assert_nonnull (wc_schedule_dialog_get_finding (dialog));
  wc_schedule_dialog_set_local (dialog, 2026, 6, 13, 10, 0);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));
  wc_schedule_dialog_set_local (dialog, 2026, 6, 12, 17, 29);
  g_assert_nonnull (wc_schedule_dialog_get_finding (dialog));
  /* A time that has passed is not checked: it cannot be scheduled. */
  wc_schedule_dialog_set_local (dialog, 2026, 6, 10, 9, 0);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));

  /* Preferences decide: with no duty on Fridays, Friday is free. */
  {
    const char * const days[] = { "mon", "tue", "wed", "thu", NULL };

    g_settings_set_strv (fixture->settings, "duty-days", days);
  }
  close_dialog (GTK_WIDGET (dialog));
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_set_local (dialog, 2026, 6, 12, 11, 0);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));
  wc_schedule_dialog_set_local (dialog, 2026, 6, 11, 11, 0);
  g_assert_nonnull (wc_schedule_dialog_get_finding (dialog));
  close_dialog (GTK_WIDGET (dialog));

  /* A professional post may go out at work. */
  wc_application_set_active_identity (fixture->app, WC_IDENTITY_PROFESSIONAL);
  wait_ms (50);
  write_draft (fixture, "Grand rounds at noon: sepsis pathway.");
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_set_local (dialog, 2026, 6, 11, 11, 0);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));
  g_assert_false (gtk_widget_get_visible (wc_schedule_dialog_get_after_duty_button (dialog)));
  close_dialog (GTK_WIDGET (dialog));
}

/* A draft is checked at the time it goes out: now while it is not
 * scheduled (it is 10:00 on a Wednesday, on duty), its scheduled time once
 * it is. */
static void
test_scheduled_draft (Fixture       *fixture,
                      gconstpointer  data)
{
  WcScheduleDialog *dialog;
  WcFindingRow *row;
  WcFinding *finding;
  gint64 evening_draft, morning_draft;

  write_draft (fixture, "Eindelijk vakantie geboekt!");
  finding = find_duty_finding (fixture);
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "Posted now"));
  row = find_duty_row (fixture);
  g_assert_nonnull (row);
  g_assert_cmpstr (wc_finding_row_get_rule_text (row), ==, "R1 · Keep personal and professional presences separate");
  evening_draft = wc_draft_get_id (wc_draft_editor_get_draft (get_editor (fixture)));
  g_assert_cmpint (evening_draft, >, 0);

  /* Scheduled for 19:00 today, after the duty: the draft, opened again, has
   * no such finding, though it is still 10:00 now. */
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_set_local (dialog, 2026, 6, 10, 19, 0);
  g_assert_null (wc_schedule_dialog_get_finding (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (wc_application_peek_scheduler (fixture->app))),
                    ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.open-draft", "x", evening_draft);
  wait_ms (20);
  g_assert_cmpint (wc_draft_get_id (wc_draft_editor_get_draft (get_editor (fixture))), ==, evening_draft);
  wc_draft_editor_check_now (get_editor (fixture));
  g_assert_null (find_duty_finding (fixture));
  g_assert_null (find_duty_row (fixture));

  /* Scheduled for tomorrow 11:00, on duty: the finding, said of the
   * scheduled time, not of now. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.new-draft", NULL);
  wait_ms (20);
  write_draft (fixture, "Nieuwe fiets!");
  morning_draft = wc_draft_get_id (wc_draft_editor_get_draft (get_editor (fixture)));
  dialog = open_schedule_dialog (fixture);
  wc_schedule_dialog_set_local (dialog, 2026, 6, 11, 11, 0);
  g_assert_nonnull (wc_schedule_dialog_get_finding (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "schedule");
  wait_ms (50);
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.open-draft", "x", morning_draft);
  wait_ms (20);
  finding = find_duty_finding (fixture);
  g_assert_nonnull (finding);
  g_assert_null (strstr (wc_finding_get_message (finding), "Posted now"));
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "You are on duty then"));
  g_assert_nonnull (find_duty_row (fixture));

  /* When the duty hours change in Preferences, the open draft follows. */
  g_settings_set_uint (fixture->settings, "duty-end", 10 * 60 + 30);
  wait_ms (20);
  g_assert_null (find_duty_finding (fixture));
  g_assert_null (find_duty_row (fixture));
}

/* Post Now during the duty hours counts: the confirmation says so, with
 * the rule, before anything is posted; off duty it does not. */
static void
test_post_now (Fixture       *fixture,
               gconstpointer  data)
{
  AdwMessageDialog *dialog;
  const char *body;

  write_draft (fixture, "Wat een mooie dag voor een fietstocht.");
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.post-now", NULL);
  wc_test_ui_iterate ();
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("Post Now: %s", body);
  g_assert_nonnull (strstr (body, "This personal post goes out inside your duty hours."));
  g_assert_nonnull (strstr (body, "Posted now"));
  g_assert_nonnull (strstr (body, "R1 · Keep personal and professional presences separate"));
  /* Nothing was posted yet. */
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (wc_application_peek_scheduler (fixture->app))),
                    ==, 0);
  close_dialog (GTK_WIDGET (dialog));

  /* At 18:00 the duty is over: the same draft is fine. */
  wc_clock_advance (fixture->clock, 8 * HOUR);
  wc_draft_editor_check_now (get_editor (fixture));
  g_assert_null (find_duty_finding (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->composer), "composer.post-now", NULL);
  wc_test_ui_iterate ();
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "duty hours"));
  close_dialog (GTK_WIDGET (dialog));
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  g_test_add ("/ui-duty-hours/schedule-dialog", Fixture, NULL, fixture_set_up, test_schedule_dialog,
              fixture_tear_down);
  g_test_add ("/ui-duty-hours/scheduled-draft", Fixture, NULL, fixture_set_up, test_scheduled_draft,
              fixture_tear_down);
  g_test_add ("/ui-duty-hours/post-now", Fixture, NULL, fixture_set_up, test_post_now, fixture_tear_down);

  return g_test_run ();
}
