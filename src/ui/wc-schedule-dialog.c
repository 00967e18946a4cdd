/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-application.h"
#include "wc-clock.h"
#include "wc-finding-row.h"
#include "wc-network-catalog.h"
#include "wc-schedule-dialog.h"
#include "wc-scheduler.h"

/* The "Schedule…" dialog. It only collects a time and explains what will
 * happen — where each target is posted, and whether a personal post would
 * appear during the duty hours (the checker's "timing.duty-hours", shown
 * as the composer shows findings); the composer hands the time to the
 * scheduler. */

struct _WcScheduleDialog
{
  AdwMessageDialog  parent_instance;

  GtkCalendar      *calendar;
  GtkSpinButton    *hour_spin;
  GtkSpinButton    *minute_spin;
  GtkLabel         *when_label;
  GtkLabel         *note_label;
  GtkListBox       *routes_list;
  GtkWidget        *scroller;
  GtkListBox       *finding_list;
  GtkWidget        *after_duty_button;
  int               monitor_height;  /* 0 until realized */

  GPtrArray        *accounts;  /* WcAccount */
  WcChecker        *checker;   /* nullable: no duty-hours check */
  WcIdentityKind    identity;
  WcDutyHours       duty;
  WcFinding        *finding;   /* the duty-hours finding for the time shown; nullable */
  gint64            duty_end;  /* when that duty ends, UTC seconds */
  GTimeZone        *tz;
  gint64            now;
  gint64            due_at;    /* -1 when the date does not exist */
  char             *summary;
  gboolean          syncing;
};

G_DEFINE_FINAL_TYPE (WcScheduleDialog, wc_schedule_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The choices scroll rather than push the responses off a short screen:
 * they get what the monitor leaves after the heading, the time, the
 * responses and (when shown) the finding, and never less than this. */
#define MIN_CHOICES_HEIGHT 200
#define RESERVED_HEIGHT    270
#define FINDING_HEIGHT     170

/* --- Routes ------------------------------------------------------------- */

/**
 * wc_route_for_account:
 * @account: a target account
 * @due_at: when the post is due, UTC seconds
 * @now: the time now, UTC seconds
 *
 * Returns: how the post reaches @account's network: on the server (Mastodon,
 *   at least WC_SCHEDULER_SERVER_MIN_LEAD ahead), by Whitecoat, or as a
 *   reminder for networks without an API
 */
WcRoute
wc_route_for_account (WcAccount *account,
                      gint64     due_at,
                      gint64     now)
{
  const char *network = wc_account_get_network (account);
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (), network);

  if (info == NULL || !wc_network_info_get_has_api (info))
    return WC_ROUTE_REMINDER;
  if (g_strcmp0 (network, "mastodon") == 0 && due_at - now >= WC_SCHEDULER_SERVER_MIN_LEAD)
    return WC_ROUTE_SERVER;
  return WC_ROUTE_LOCAL;
}

/**
 * wc_route_describe:
 *
 * Returns: a sentence on what @route means for the user
 */
const char *
wc_route_describe (WcRoute route)
{
  switch (route)
    {
    case WC_ROUTE_SERVER:
      return _("Kept on the server, which posts it on time even when this computer is off");
    case WC_ROUTE_LOCAL:
      return _("Posted by Whitecoat: this computer must be on, Whitecoat keeps running in the background");
    case WC_ROUTE_REMINDER:
      return _("A reminder: Whitecoat copies the text for you and opens the site, you post it");
    default:
      g_assert_not_reached ();
    }
}

/**
 * wc_route_describe_for_account:
 * @account: the target account
 * @route: its route, from wc_route_for_account()
 *
 * Like wc_route_describe(), but says why where the network is the reason:
 * Bluesky has no server-side scheduling at all, so its posts are always
 * sent by Whitecoat at their time, however far ahead they are.
 *
 * Returns: a sentence on how the post reaches @account's network
 */
const char *
wc_route_describe_for_account (WcAccount *account,
                               WcRoute    route)
{
  if (route == WC_ROUTE_LOCAL && g_strcmp0 (wc_account_get_network (account), "bluesky") == 0)
    return _("Sent by Whitecoat at that time, as Bluesky cannot schedule posts: this computer must be on, Whitecoat keeps running in the background");
  return wc_route_describe (route);
}

/**
 * wc_format_due_time:
 * @tz: (nullable): the time zone to show it in; %NULL for the local one
 * @due_at: UTC seconds
 * @now: UTC seconds
 *
 * Returns: (transfer full): "Today at 08:00", "Tomorrow at 08:00" or
 *   "Monday 7 December 2026 at 08:00"
 */
char *
wc_format_due_time (GTimeZone *tz,
                    gint64     due_at,
                    gint64     now)
{
  g_autoptr(GTimeZone) local = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  g_autoptr(GDateTime) due_utc = g_date_time_new_from_unix_utc (due_at);
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) due = g_date_time_to_timezone (due_utc, local);
  g_autoptr(GDateTime) today = g_date_time_to_timezone (now_utc, local);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autofree char *time = g_date_time_format (due, "%H:%M");
  g_autofree char *date = NULL;

  if (g_date_time_get_year (due) == g_date_time_get_year (today)
      && g_date_time_get_day_of_year (due) == g_date_time_get_day_of_year (today))
    /* Translators: %s is a time such as 08:00. */
    return g_strdup_printf (_("Today at %s"), time);
  if (g_date_time_get_year (due) == g_date_time_get_year (tomorrow)
      && g_date_time_get_day_of_year (due) == g_date_time_get_day_of_year (tomorrow))
    /* Translators: %s is a time such as 08:00. */
    return g_strdup_printf (_("Tomorrow at %s"), time);

  /* Translators: a date as in "Monday 7 December 2026", see g_date_time_format(). */
  date = g_date_time_format (due, _("%A %-d %B %Y"));
  /* Translators: the first %s is a date, the second a time such as 08:00. */
  return g_strdup_printf (_("%s at %s"), date, time);
}

/* --- The dialog --------------------------------------------------------- */

static char *
dup_account_label (WcAccount *account)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (account));
  const char *custom = wc_account_get_custom_name (account);
  const char *network = info != NULL ? wc_network_info_get_name (info) : wc_account_get_network (account);
  const char *handle = wc_account_get_handle (account);

  if (custom != NULL && custom[0] != '\0')
    network = custom;
  if (handle == NULL || handle[0] == '\0')
    return g_strdup (network);
  /* Translators: a target account: the network, then the account's handle. */
  return g_strdup_printf (_("%s · %s"), network, handle);
}

static void
remove_all_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
update_routes (WcScheduleDialog *self)
{
  remove_all_rows (self->routes_list);

  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);
      WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                       wc_account_get_network (account));
      WcRoute route = wc_route_for_account (account, MAX (self->due_at, self->now), self->now);
      g_autofree char *title = dup_account_label (account);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), wc_route_describe_for_account (account, route));
      icon = gtk_image_new_from_icon_name (info != NULL ? wc_network_info_get_icon_name (info)
                                                        : "network-server-symbolic");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->routes_list, row);
    }
}

static void
update_scroller_height (WcScheduleDialog *self)
{
  int reserved = RESERVED_HEIGHT + (self->finding != NULL ? FINDING_HEIGHT : 0);

  if (self->monitor_height > 0)
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller),
                                                MAX (MIN_CHOICES_HEIGHT, self->monitor_height - reserved));
}

/* The duty-hours check on the time shown, as the composer shows it, but
 * without the composer's buttons: here the answer is another time. */
static void
update_finding (WcScheduleDialog *self)
{
  g_autoptr(GDateTime) at_utc = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) end = NULL;
  WcCheckContext context = { 0 };
  WcFinding *finding = NULL;

  remove_all_rows (self->finding_list);
  g_clear_pointer (&self->finding, wc_finding_unref);
  self->duty_end = 0;

  if (self->checker != NULL && self->due_at > self->now)
    {
      at_utc = g_date_time_new_from_unix_utc (self->due_at);
      at = g_date_time_to_timezone (at_utc, self->tz);
      context.identity = self->identity;
      context.scheduled_at = at;
      context.duty = self->duty;
      finding = wc_checker_check_timing (self->checker, &context);
    }

  if (finding != NULL)
    {
      const WcRule *rule = wc_checker_lookup_rule (self->checker, wc_finding_get_rule (finding));
      g_autofree char *when = NULL;
      g_autofree char *label = NULL;

      wc_finding_set_resolutions (finding, WC_RESOLUTION_NONE);
      gtk_list_box_append (self->finding_list, wc_finding_row_new (finding, rule, 0, self->identity, NULL));
      self->finding = finding;

      end = wc_duty_hours_get_end (&self->duty, at);
      self->duty_end = end != NULL ? g_date_time_to_unix (end) : 0;
      if (self->duty_end > 0)
        {
          when = wc_format_due_time (self->tz, self->duty_end, self->now);
          /* Translators: %s is a time such as "Today at 17:00". */
          label = g_strdup_printf (_("_After Duty: %s"), when);
          gtk_button_set_label (GTK_BUTTON (self->after_duty_button), label);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->finding_list), self->finding != NULL);
  gtk_widget_set_visible (self->after_duty_button, self->duty_end > 0);
  update_scroller_height (self);
}

static void
update_state (WcScheduleDialog *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  int year = g_date_time_get_year (date);
  int month = g_date_time_get_month (date);
  int day = g_date_time_get_day_of_month (date);
  int hour = gtk_spin_button_get_value_as_int (self->hour_spin);
  int minute = gtk_spin_button_get_value_as_int (self->minute_spin);
  g_autofree char *when = NULL;
  const char *note = NULL;
  g_autofree char *note_owned = NULL;
  gboolean valid;

  self->due_at = wc_clock_local_to_utc (self->tz, year, month, day, hour, minute);
  valid = self->due_at >= 0 && self->due_at > self->now;

  g_clear_pointer (&self->summary, g_free);
  if (self->due_at < 0)
    {
      self->summary = g_strdup (_("This date does not exist"));
    }
  else
    {
      when = wc_format_due_time (self->tz, self->due_at, self->now);
      self->summary = g_strdup (when);
    }

  if (self->due_at >= 0 && self->due_at <= self->now)
    note = _("This time has passed: choose a later one, or use Post Now");
  else if (wc_clock_local_is_skipped (self->tz, year, month, day, hour, minute))
    note = _("The clocks go forward that night and this time does not exist: it is posted an hour later by the clock");
  else if (wc_clock_local_is_repeated (self->tz, year, month, day, hour, minute))
    note = _("The clocks go back that night and this time comes twice: it is posted the first time");
  else
    {
      /* Translators: %s is the name of a time zone, such as "Europe/Amsterdam". */
      note_owned = g_strdup_printf (_("In your time zone, %s"), g_time_zone_get_identifier (self->tz));
      note = note_owned;
    }

  gtk_label_set_text (self->when_label, self->summary);
  gtk_label_set_text (self->note_label, note);
  if (self->due_at >= 0 && self->due_at <= self->now)
    gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->note_label), "error");

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "schedule", valid);
  update_finding (self);
  update_routes (self);
}

static void
on_input_changed (WcScheduleDialog *self)
{
  if (!self->syncing)
    update_state (self);
}

static void
set_from_utc (WcScheduleDialog *self,
              gint64            utc)
{
  g_autoptr(GDateTime) at_utc = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at_utc, self->tz);

  wc_schedule_dialog_set_local (self,
                                g_date_time_get_year (local),
                                g_date_time_get_month (local),
                                g_date_time_get_day_of_month (local),
                                g_date_time_get_hour (local),
                                g_date_time_get_minute (local));
}

static void
on_quick_clicked (GtkButton        *button,
                  WcScheduleDialog *self)
{
  wc_schedule_dialog_choose_quick (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "choice")));
}

static void
on_after_duty_clicked (WcScheduleDialog *self)
{
  if (self->duty_end > 0)
    set_from_utc (self, self->duty_end);
}

static void
on_realize (GtkWidget *widget)
{
  WcScheduleDialog *self = WC_SCHEDULE_DIALOG (widget);
  GdkDisplay *display = gtk_widget_get_display (widget);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));
  g_autoptr(GdkMonitor) first = NULL;
  GdkMonitor *monitor = surface != NULL ? gdk_display_get_monitor_at_surface (display, surface) : NULL;
  GdkRectangle geometry;

  if (monitor == NULL)
    monitor = first = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  self->monitor_height = geometry.height;
  update_scroller_height (self);
}

static gboolean
on_spin_output (GtkSpinButton *spin,
                gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static GtkWidget *
make_spin (int          max,
           int          step,
           const char  *accessible_label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_VERTICAL);
  g_signal_connect (spin, "output", G_CALLBACK (on_spin_output), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  return spin;
}

static void
wc_schedule_dialog_finalize (GObject *object)
{
  WcScheduleDialog *self = WC_SCHEDULE_DIALOG (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->checker);
  g_clear_pointer (&self->finding, wc_finding_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (wc_schedule_dialog_parent_class)->finalize (object);
}

static void
wc_schedule_dialog_class_init (WcScheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wc_schedule_dialog_finalize;
}

static void
wc_schedule_dialog_init (WcScheduleDialog *self)
{
  static const struct {
    WcQuickChoice  choice;
    const char    *label;
  } quick[] = {
    { WC_QUICK_IN_ONE_HOUR, N_("In 1 Hour") },
    { WC_QUICK_TOMORROW_MORNING, N_("Tomorrow 8:00") },
    { WC_QUICK_NEXT_MONDAY, N_("Monday 9:00") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *quick_box = gtk_flow_box_new ();
  GtkWidget *time_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *colon = gtk_label_new (":");
  GtkWidget *when_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->due_at = -1;

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (quick_box), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (quick_box), FALSE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (quick_box), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (quick_box), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (quick_box), 3);
  for (guint i = 0; i < G_N_ELEMENTS (quick); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(quick[i].label));

      g_object_set_data (G_OBJECT (button), "choice", GINT_TO_POINTER (quick[i].choice));
      g_signal_connect (button, "clicked", G_CALLBACK (on_quick_clicked), self);
      gtk_flow_box_append (GTK_FLOW_BOX (quick_box), button);
    }
  gtk_box_append (GTK_BOX (box), quick_box);

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->calendar), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->calendar));

  self->hour_spin = GTK_SPIN_BUTTON (make_spin (23, 1, _("Hour")));
  self->minute_spin = GTK_SPIN_BUTTON (make_spin (59, 5, _("Minutes")));
  gtk_widget_set_halign (time_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (time_box), GTK_WIDGET (self->hour_spin));
  gtk_widget_add_css_class (colon, "title-2");
  gtk_box_append (GTK_BOX (time_box), colon);
  gtk_box_append (GTK_BOX (time_box), GTK_WIDGET (self->minute_spin));
  gtk_box_append (GTK_BOX (box), time_box);

  self->when_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->when_label), "heading");
  gtk_label_set_wrap (self->when_label, TRUE);
  self->note_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->note_label, TRUE);
  gtk_label_set_justify (self->note_label, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "caption");
  gtk_box_append (GTK_BOX (when_box), GTK_WIDGET (self->when_label));
  gtk_box_append (GTK_BOX (when_box), GTK_WIDGET (self->note_label));

  self->routes_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->routes_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->routes_list), "boxed-list");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->routes_list));

  /* The choices scroll where the screen is short; the time chosen and the
   * duty-hours finding stay in view under them, right above the button
   * that confirms. */
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scroller), MIN_CHOICES_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), box);
  gtk_box_append (GTK_BOX (outer), self->scroller);
  gtk_box_append (GTK_BOX (outer), when_box);

  self->finding_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->finding_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->finding_list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->finding_list), FALSE);
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->finding_list));

  self->after_duty_button = gtk_button_new ();
  gtk_button_set_use_underline (GTK_BUTTON (self->after_duty_button), TRUE);
  gtk_widget_set_halign (self->after_duty_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->after_duty_button, "pill");
  gtk_widget_set_visible (self->after_duty_button, FALSE);
  g_signal_connect_swapped (self->after_duty_button, "clicked", G_CALLBACK (on_after_duty_clicked), self);
  gtk_box_append (GTK_BOX (outer), self->after_duty_button);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), outer);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "schedule", _("_Schedule"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "schedule",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "schedule");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");

  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (on_input_changed), self);
  g_signal_connect_swapped (self->hour_spin, "value-changed", G_CALLBACK (on_input_changed), self);
  g_signal_connect_swapped (self->minute_spin, "value-changed", G_CALLBACK (on_input_changed), self);
}

/**
 * wc_schedule_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @heading: the dialog's heading
 * @accounts: (element-type WcAccount): the draft's target accounts
 * @tz: (nullable): the user's time zone; %NULL for the local one
 * @now: the time now, UTC seconds
 * @initial: the time to show first, UTC seconds; 0 for "tomorrow 8:00"
 *
 * Returns: (transfer floating): a new dialog, not shown yet
 */
WcScheduleDialog *
wc_schedule_dialog_new (GtkWindow  *parent,
                        const char *heading,
                        GPtrArray  *accounts,
                        GTimeZone  *tz,
                        gint64      now,
                        gint64      initial)
{
  WcScheduleDialog *self = g_object_new (WC_TYPE_SCHEDULE_DIALOG,
                                         "heading", heading,
                                         "transient-for", parent,
                                         "modal", TRUE,
                                         NULL);
  GtkApplication *application;

  self->accounts = accounts != NULL ? g_ptr_array_ref (accounts) : NULL;
  self->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  self->now = now;

  /* The duty hours of Preferences, for the accounts' identity. */
  application = parent != NULL ? gtk_window_get_application (parent) : NULL;
  if (WC_IS_APPLICATION (application) && accounts != NULL && accounts->len > 0)
    {
      WcDutyHours duty;

      wc_duty_hours_from_settings (wc_application_get_settings (WC_APPLICATION (application)), &duty);
      wc_schedule_dialog_set_duty_hours (self, wc_application_get_checker (WC_APPLICATION (application)),
                                         wc_account_get_identity (g_ptr_array_index (accounts, 0)), &duty);
    }
  if (initial > 0)
    set_from_utc (self, initial);
  else
    wc_schedule_dialog_choose_quick (self, WC_QUICK_TOMORROW_MORNING);

  return self;
}

/**
 * wc_schedule_dialog_set_local:
 *
 * Shows the given date and time, in the dialog's time zone.
 */
void
wc_schedule_dialog_set_local (WcScheduleDialog *self,
                              int               year,
                              int               month,
                              int               day,
                              int               hour,
                              int               minute)
{
  g_autoptr(GDateTime) date = NULL;

  g_return_if_fail (WC_IS_SCHEDULE_DIALOG (self));

  /* Noon UTC of that day: the calendar only looks at the date. */
  date = g_date_time_new_utc (year, month, day, 12, 0, 0);
  self->syncing = TRUE;
  if (date != NULL)
    gtk_calendar_select_day (self->calendar, date);
  gtk_spin_button_set_value (self->hour_spin, hour);
  gtk_spin_button_set_value (self->minute_spin, minute);
  self->syncing = FALSE;
  update_state (self);
}

/**
 * wc_schedule_dialog_choose_quick:
 *
 * Applies one of the quick choices: in one hour (on the next five minutes),
 * tomorrow at 8:00, or next Monday at 9:00.
 */
void
wc_schedule_dialog_choose_quick (WcScheduleDialog *self,
                                 WcQuickChoice     choice)
{
  g_autoptr(GDateTime) now_utc = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) day = NULL;
  int days;

  g_return_if_fail (WC_IS_SCHEDULE_DIALOG (self));

  now_utc = g_date_time_new_from_unix_utc (self->now);
  now = g_date_time_to_timezone (now_utc, self->tz);

  switch (choice)
    {
    case WC_QUICK_IN_ONE_HOUR:
      {
        /* Rounded up to the next five minutes, as the minute spin steps. */
        gint64 at = self->now + 3600;

        at = (at + 299) / 300 * 300;
        set_from_utc (self, at);
        return;
      }

    case WC_QUICK_TOMORROW_MORNING:
      day = g_date_time_add_days (now, 1);
      wc_schedule_dialog_set_local (self, g_date_time_get_year (day), g_date_time_get_month (day),
                                    g_date_time_get_day_of_month (day), 8, 0);
      return;

    case WC_QUICK_NEXT_MONDAY:
      /* The next Monday after today: a week ahead when today is Monday. */
      days = 8 - g_date_time_get_day_of_week (now);
      day = g_date_time_add_days (now, days);
      wc_schedule_dialog_set_local (self, g_date_time_get_year (day), g_date_time_get_month (day),
                                    g_date_time_get_day_of_month (day), 9, 0);
      return;

    default:
      g_return_if_reached ();
    }
}

/**
 * wc_schedule_dialog_get_due_at:
 *
 * Returns: the chosen time as UTC seconds, or -1 when the date does not exist
 */
gint64
wc_schedule_dialog_get_due_at (WcScheduleDialog *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), -1);

  return self->due_at;
}

/**
 * wc_schedule_dialog_get_valid:
 *
 * Returns: whether the chosen time exists and lies ahead
 */
gboolean
wc_schedule_dialog_get_valid (WcScheduleDialog *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), FALSE);

  return self->due_at >= 0 && self->due_at > self->now;
}

/**
 * wc_schedule_dialog_get_summary:
 *
 * Returns: the chosen time in words, as the dialog shows it
 */
const char *
wc_schedule_dialog_get_summary (WcScheduleDialog *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), NULL);

  return self->summary;
}

/**
 * wc_schedule_dialog_set_duty_hours:
 * @checker: (nullable): the checks; %NULL for no duty-hours check
 * @identity: the identity of the post
 * @duty: (nullable): the duty hours; %NULL for none
 *
 * Checks the time shown against the duty hours from now on: a personal
 * post inside them shows the finding, with its rule, and a button that
 * moves the time to the end of that duty. wc_schedule_dialog_new() does
 * this itself with the duty hours of Preferences when @parent belongs to
 * Whitecoat.
 */
void
wc_schedule_dialog_set_duty_hours (WcScheduleDialog  *self,
                                   WcChecker         *checker,
                                   WcIdentityKind     identity,
                                   const WcDutyHours *duty)
{
  WcDutyHours none = { 0 };

  g_return_if_fail (WC_IS_SCHEDULE_DIALOG (self));
  g_return_if_fail (checker == NULL || WC_IS_CHECKER (checker));

  g_set_object (&self->checker, checker);
  self->identity = identity;
  self->duty = duty != NULL ? *duty : none;
  if (!self->syncing)
    update_state (self);
}

/**
 * wc_schedule_dialog_get_finding:
 *
 * Returns: (transfer none) (nullable): the duty-hours finding for the time
 *   shown, or %NULL
 */
WcFinding *
wc_schedule_dialog_get_finding (WcScheduleDialog *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), NULL);

  return self->finding;
}

/**
 * wc_schedule_dialog_get_finding_row:
 *
 * Returns: (transfer none) (nullable): the row that shows the finding
 */
GtkWidget *
wc_schedule_dialog_get_finding_row (WcScheduleDialog *self)
{
  GtkWidget *row;

  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), NULL);

  row = gtk_widget_get_first_child (GTK_WIDGET (self->finding_list));
  return gtk_widget_get_visible (GTK_WIDGET (self->finding_list)) ? row : NULL;
}

/**
 * wc_schedule_dialog_get_after_duty_button:
 *
 * Returns: (transfer none): the button that moves the time to the end of
 *   the duty; hidden when the time is not on duty
 */
GtkWidget *
wc_schedule_dialog_get_after_duty_button (WcScheduleDialog *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULE_DIALOG (self), NULL);

  return self->after_duty_button;
}

/**
 * wc_duty_hours_from_settings:
 * @settings: Whitecoat's settings
 * @duty: (out): the duty hours they keep
 *
 * Reads duty-start, duty-end and duty-days.
 */
void
wc_duty_hours_from_settings (GSettings   *settings,
                             WcDutyHours *duty)
{
  g_auto(GStrv) days = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (duty != NULL);

  days = g_settings_get_strv (settings, "duty-days");
  duty->start = g_settings_get_uint (settings, "duty-start");
  duty->end = g_settings_get_uint (settings, "duty-end");
  duty->days = wc_duty_days_from_strv ((const char * const *) days);
}
