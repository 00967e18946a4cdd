/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#ifdef HAVE_LIBPORTAL
#include <libportal/portal.h>
#include <libportal-gtk4/portal-gtk4.h>
#endif

#include "wc-application-private.h"
#include "wc-audit-view.h"
#include "wc-network-catalog.h"
#include "wc-schedule-dialog.h"
#include "wc-window.h"

/* The scheduling side of the application. The scheduler is made after the
 * first frame (opening the outbox must not delay the window), sends its
 * news as notifications, and while it has work of its own the application
 * is held so that it keeps running after its window is closed. Outside
 * Flatpak an XDG autostart entry starts Whitecoat in the background after
 * a log-in while posts wait; inside Flatpak the Background portal does. */

#define BENCH_ENV      "WHITECOAT_BENCH_EXIT_AFTER_FIRST_FRAME"
#define SNOOZE_SECONDS (10 * 60)
/* A background start with nothing to do stays this long, for the
 * scheduler to reconcile what was left in "sending". */
#define BACKGROUND_GRACE_SECONDS 60
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"

/* Whether a notification server listens. Outside a sandbox GLib sends
 * notifications to org.freedesktop.Notifications, and when nobody owns
 * that name it prints a warning (fatal in tests, noise for a user without
 * a notification daemon); such notifications are not sent. */
typedef enum
{
  NOTIFY_SERVER_UNKNOWN,  /* not asked yet, or no answer yet */
  NOTIFY_SERVER_PRESENT,
  NOTIFY_SERVER_ABSENT,
} NotifyServer;

typedef struct
{
  char          *id;
  GNotification *notification;
} PendingNotification;

typedef struct
{
  WcApplication *app;            /* unowned */
  GSettings     *settings;
  WcClock       *clock;
  WcScheduler   *scheduler;
  guint          create_idle;
  guint          grace_timeout;
  gboolean       holding;
  gboolean       background;     /* started with --background */
  gboolean       bench;
  guint          notify_watch;   /* g_bus_watch_name() */
  NotifyServer   notify_server;
  GPtrArray     *notify_pending; /* PendingNotification, until notify_server is known */
  gint64         marking_done;   /* the entry the user marks as posted, or 0 */
  gboolean       wanted;         /* asked for while the outbox was locked */
#ifdef HAVE_LIBPORTAL
  XdpPortal     *portal;
  int            portal_autostart;  /* -1 unknown, 0, 1: what was last asked */
#endif
} Scheduling;

static guint scheduler_ready_signal;
static guint open_uri_signal;

static Scheduling *
get_scheduling (WcApplication *self)
{
  return g_object_get_data (G_OBJECT (self), "wc-scheduling");
}

static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* --- Entries, accounts and words ------------------------------------- */

static WcOutboxEntry *
find_entry (Scheduling *sched,
            gint64      id)
{
  GListModel *entries;
  guint n;

  if (sched->scheduler == NULL)
    return NULL;
  entries = wc_scheduler_get_entries (sched->scheduler);
  n = g_list_model_get_n_items (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcOutboxEntry) entry = g_list_model_get_item (entries, i);

      if (wc_outbox_entry_get_id (entry) == id)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static WcAccount *
load_account (WcApplication *self,
              gint64         account_id)
{
  WcStore *store = wc_application_get_store (self);

  return store != NULL ? wc_store_get_account (store, account_id, NULL) : NULL;
}

static char *
dup_network_name (WcAccount *account)
{
  WcNetworkInfo *info;
  const char *custom;

  if (account == NULL)
    return g_strdup (_("the network"));
  custom = wc_account_get_custom_name (account);
  if (custom != NULL && custom[0] != '\0')
    return g_strdup (custom);
  info = wc_network_catalog_lookup (wc_network_catalog_get_default (), wc_account_get_network (account));
  return g_strdup (info != NULL ? wc_network_info_get_name (info) : wc_account_get_network (account));
}

/* "Facebook (personal)" */
static char *
dup_target_name (WcAccount      *account,
                 WcIdentityKind  identity)
{
  g_autofree char *network = dup_network_name (account);

  return g_strdup_printf (identity == WC_IDENTITY_PERSONAL
                          /* Translators: %s is a network, e.g. "Facebook (personal)". */
                          ? _("%s (personal)")
                          /* Translators: %s is a network, e.g. "Mastodon (professional)". */
                          : _("%s (professional)"),
                          network);
}

static char *
dup_entry_id (WcOutboxEntry *entry)
{
  return g_strdup_printf ("outbox-%" G_GINT64_FORMAT, wc_outbox_entry_get_id (entry));
}

/* --- Notifications ----------------------------------------------------- */

static gboolean
wants (WcApplication *self,
       const char    *key)
{
  return g_settings_get_boolean (wc_application_get_settings (self), key);
}

/* GLib uses the notification portal in a sandbox (it answers, or drops
 * the notification quietly); only org.freedesktop.Notifications needs a
 * listener. */
static gboolean
uses_notification_portal (void)
{
  return in_flatpak () || g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
}

static void
pending_notification_free (gpointer data)
{
  PendingNotification *pending = data;

  g_free (pending->id);
  g_clear_object (&pending->notification);
  g_free (pending);
}

static void
drop_pending (Scheduling *sched,
              const char *id)
{
  for (guint i = 0; sched->notify_pending != NULL && i < sched->notify_pending->len; i++)
    {
      PendingNotification *pending = g_ptr_array_index (sched->notify_pending, i);

      if (g_str_equal (pending->id, id))
        {
          g_ptr_array_remove_index (sched->notify_pending, i);
          return;
        }
    }
}

static void
on_notifications_name_appeared (GDBusConnection *connection,
                                const char      *name,
                                const char      *owner,
                                gpointer         user_data)
{
  Scheduling *sched = user_data;
  g_autoptr(GPtrArray) pending = g_steal_pointer (&sched->notify_pending);

  sched->notify_server = NOTIFY_SERVER_PRESENT;
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      PendingNotification *p = g_ptr_array_index (pending, i);

      g_application_send_notification (G_APPLICATION (sched->app), p->id, p->notification);
    }
}

static void
on_notifications_name_vanished (GDBusConnection *connection,
                                const char      *name,
                                gpointer         user_data)
{
  Scheduling *sched = user_data;

  sched->notify_server = NOTIFY_SERVER_ABSENT;
  if (sched->notify_pending != NULL && sched->notify_pending->len > 0)
    g_debug ("No notification server: %u notifications not shown", sched->notify_pending->len);
  g_clear_pointer (&sched->notify_pending, g_ptr_array_unref);
}

/* Sent when a notification server listens; until the first answer of the
 * name watch (made with the first notification, so that a server that is
 * started on demand is started only then), kept back. */
static void
deliver_notification (Scheduling    *sched,
                      const char    *id,
                      GNotification *notification)
{
  PendingNotification *pending;

  if (uses_notification_portal () || sched->notify_server == NOTIFY_SERVER_PRESENT)
    {
      g_application_send_notification (G_APPLICATION (sched->app), id, notification);
      return;
    }
  if (sched->notify_server == NOTIFY_SERVER_ABSENT)
    {
      g_debug ("No notification server: a notification not shown");
      return;
    }

  if (sched->notify_watch == 0)
    sched->notify_watch = g_bus_watch_name (G_BUS_TYPE_SESSION, NOTIFICATIONS_NAME,
                                            G_BUS_NAME_WATCHER_FLAGS_AUTO_START,
                                            on_notifications_name_appeared,
                                            on_notifications_name_vanished,
                                            sched, NULL);
  if (sched->notify_pending == NULL)
    sched->notify_pending = g_ptr_array_new_with_free_func (pending_notification_free);
  /* A newer notification for the same entry replaces the one kept back. */
  drop_pending (sched, id);
  pending = g_new0 (PendingNotification, 1);
  pending->id = g_strdup (id);
  pending->notification = g_object_ref (notification);
  g_ptr_array_add (sched->notify_pending, pending);
}

/**
 * wc_application_send_notification:
 * @self: a #WcApplication
 * @id: the notification's id; a later one with the same id replaces it
 * @notification: the notification
 *
 * Sends @notification when something can show it: outside a sandbox only
 * when a notification server listens on the session bus (GLib would
 * otherwise warn), held back until the first answer of the watch.
 */
void
wc_application_send_notification (WcApplication *self,
                                  const char    *id,
                                  GNotification *notification)
{
  g_return_if_fail (WC_IS_APPLICATION (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (G_IS_NOTIFICATION (notification));

  if (get_scheduling (self) == NULL)
    return;
  deliver_notification (get_scheduling (self), id, notification);
}

static void
send_notification (WcApplication *self,
                   WcOutboxEntry *entry,
                   GNotification *notification)
{
  g_autofree char *id = dup_entry_id (entry);

  g_notification_set_default_action (notification, "app.show-scheduled");
  deliver_notification (get_scheduling (self), id, notification);
}

static void
withdraw_notification (WcApplication *self,
                       WcOutboxEntry *entry)
{
  g_autofree char *id = dup_entry_id (entry);

  drop_pending (get_scheduling (self), id);
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

/* Notifications may show on a locked screen: they name the network and
 * the time, never the text of the post. */
static void
on_entry_sent (WcScheduler   *scheduler,
               WcOutboxEntry *entry,
               WcApplication *self)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;

  /* Marked as posted by the user: nothing to tell. */
  if (!wants (self, "notify-sent") || wc_outbox_entry_get_id (entry) == get_scheduling (self)->marking_done)
    return;
  account = load_account (self, wc_outbox_entry_get_account_id (entry));
  target = dup_target_name (account, wc_outbox_entry_get_identity (entry));
  /* Translators: %s is a network and identity, e.g. "Mastodon (professional)". */
  title = g_strdup_printf (_("Posted to %s"), target);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("Your scheduled post went out."));
  if (wc_outbox_entry_get_remote_url (entry) != NULL)
    g_notification_add_button_with_target (notification, _("Open Post"), "app.open-entry",
                                           "x", wc_outbox_entry_get_id (entry));
  send_notification (self, entry, notification);
}

static void
on_entry_failed (WcScheduler   *scheduler,
                 WcOutboxEntry *entry,
                 WcApplication *self)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;

  if (!wants (self, "notify-failed"))
    return;
  account = load_account (self, wc_outbox_entry_get_account_id (entry));
  target = dup_target_name (account, wc_outbox_entry_get_identity (entry));
  /* Translators: %s is a network and identity, e.g. "Mastodon (professional)". */
  title = g_strdup_printf (_("Not posted to %s"), target);
  notification = g_notification_new (title);
  g_notification_set_body (notification, wc_outbox_entry_get_reason (entry) != NULL
                                         ? wc_outbox_entry_get_reason (entry)
                                         : _("The network refused the post. Your draft is kept."));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, _("Retry"), "app.retry-entry",
                                         "x", wc_outbox_entry_get_id (entry));
  send_notification (self, entry, notification);
}

static void
on_entry_held (WcScheduler   *scheduler,
               WcOutboxEntry *entry,
               WcApplication *self)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;

  if (!wants (self, "notify-held"))
    return;
  account = load_account (self, wc_outbox_entry_get_account_id (entry));
  target = dup_target_name (account, wc_outbox_entry_get_identity (entry));
  when = wc_format_due_time (NULL, wc_outbox_entry_get_due_at (entry), wc_application_get_now (self));
  /* Translators: %s is a network and identity, e.g. "Mastodon (professional)". */
  title = g_strdup_printf (_("A post to %s waits for you"), target);
  /* Translators: %s is when the post was due, e.g. "Today at 08:00". */
  body = g_strdup_printf (_("It was due %s and was not posted late without asking. Post it now, "
                            "reschedule or cancel it."), when);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, _("Post Now"), "app.post-entry-now",
                                         "x", wc_outbox_entry_get_id (entry));
  send_notification (self, entry, notification);
}

static void
on_reminder (WcScheduler   *scheduler,
             WcOutboxEntry *entry,
             WcApplication *self)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *target = NULL;
  g_autofree char *network = NULL;
  g_autofree char *title = NULL;
  g_autofree char *open = NULL;

  if (!wants (self, "notify-reminders"))
    return;
  account = load_account (self, wc_outbox_entry_get_account_id (entry));
  target = dup_target_name (account, wc_outbox_entry_get_identity (entry));
  network = dup_network_name (account);
  /* Translators: %s is a network and identity, e.g. "Facebook (personal)". */
  title = g_strdup_printf (_("Time to post to %s"), target);
  /* Translators: %s is a network, e.g. "Facebook". */
  open = g_strdup_printf (_("Copy Text and Open %s"), network);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("Whitecoat cannot post there for you. It copies the text, "
                                           "you paste it."));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, open, "app.reminder-open",
                                         "x", wc_outbox_entry_get_id (entry));
  g_notification_add_button_with_target (notification, _("Snooze"), "app.reminder-snooze",
                                         "x", wc_outbox_entry_get_id (entry));
  send_notification (self, entry, notification);
}

/* --- Notification and menu actions ---------------------------------------- */

static GtkWindow *
present_scheduled (WcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (wc_window_new (self));
      wc_application_scheduling_after_first_frame (self, window);
    }
  gtk_window_present (window);
  if (WC_IS_WINDOW (window))
    adw_view_stack_set_visible_child_name (wc_window_get_view_stack (WC_WINDOW (window)), "scheduled");
  return window;
}

/* Through "open-uri", so that a test can see what would open without a
 * browser starting; gtk_show_uri() when no handler took it. */
static void
open_uri (WcApplication *self,
          const char    *uri)
{
  gboolean handled = FALSE;

  g_signal_emit (self, open_uri_signal, 0, uri, &handled);
  if (!handled)
    gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)), uri, GDK_CURRENT_TIME);
}

static void
show_scheduled_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  present_scheduled (WC_APPLICATION (user_data));
}

static void
report_error (WcApplication *self,
              const char    *what,
              GError        *error)
{
  GtkWindow *window = present_scheduled (self);
  /* Translators: the first %s says what failed, the second why. */
  g_autofree char *title = g_strdup_printf (_("%s: %s"), what, error->message);

  if (WC_IS_WINDOW (window))
    wc_window_add_toast (WC_WINDOW (window), adw_toast_new (title));
}

static void
retry_entry_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  Scheduling *sched = get_scheduling (self);
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  wc_application_get_scheduler (self);
  entry = find_entry (sched, g_variant_get_int64 (parameter));
  if (entry != NULL && !wc_scheduler_retry (sched->scheduler, entry, &error))
    report_error (self, _("Could not retry"), error);
}

static void
post_entry_now_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  Scheduling *sched = get_scheduling (self);
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  wc_application_get_scheduler (self);
  entry = find_entry (sched, g_variant_get_int64 (parameter));
  if (entry != NULL && !wc_scheduler_post_now (sched->scheduler, entry, &error))
    report_error (self, _("Could not post"), error);
}

static void
open_entry_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  g_autoptr(WcOutboxEntry) entry = NULL;

  wc_application_get_scheduler (self);
  entry = find_entry (get_scheduling (self), g_variant_get_int64 (parameter));
  if (entry != NULL && wc_outbox_entry_get_remote_url (entry) != NULL)
    open_uri (self, wc_outbox_entry_get_remote_url (entry));
}

/* Where the user posts by hand: the account's own page for "Other", the
 * network's site otherwise. */
static const char *
get_manual_url (WcAccount *account)
{
  WcNetworkInfo *info;

  if (account == NULL)
    return NULL;
  if (wc_account_get_profile_url (account) != NULL && wc_account_get_profile_url (account)[0] != '\0'
      && g_strcmp0 (wc_account_get_network (account), "other") == 0)
    return wc_account_get_profile_url (account);
  info = wc_network_catalog_lookup (wc_network_catalog_get_default (), wc_account_get_network (account));
  return info != NULL ? wc_network_info_get_website (info) : NULL;
}

static void
reminder_open_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  const WcOutboxContent *content;
  const char *url;

  wc_application_get_scheduler (self);
  entry = find_entry (get_scheduling (self), g_variant_get_int64 (parameter));
  if (entry == NULL)
    return;
  content = wc_outbox_entry_get_content (entry);
  account = load_account (self, wc_outbox_entry_get_account_id (entry));

  if (display != NULL && content != NULL && content->text != NULL)
    gdk_clipboard_set_text (gdk_display_get_clipboard (display), content->text);
  url = get_manual_url (account);
  if (url != NULL)
    open_uri (self, url);

  /* The next question: posted, or later? */
  target = dup_target_name (account, wc_outbox_entry_get_identity (entry));
  /* Translators: %s is a network and identity, e.g. "Facebook (personal)". */
  title = g_strdup_printf (_("Did you post it to %s?"), target);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("The text is on the clipboard. Mark it as posted once it is there."));
  g_notification_add_button_with_target (notification, _("Mark as Posted"), "app.reminder-done",
                                         "x", wc_outbox_entry_get_id (entry));
  g_notification_add_button_with_target (notification, _("Snooze"), "app.reminder-snooze",
                                         "x", wc_outbox_entry_get_id (entry));
  send_notification (self, entry, notification);
}

static void
reminder_snooze_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  Scheduling *sched = get_scheduling (self);
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  wc_application_get_scheduler (self);
  entry = find_entry (sched, g_variant_get_int64 (parameter));
  if (entry == NULL)
    return;
  withdraw_notification (self, entry);
  if (!wc_scheduler_snooze (sched->scheduler, entry, SNOOZE_SECONDS, &error))
    report_error (self, _("Could not snooze"), error);
}

static void
reminder_done_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  Scheduling *sched = get_scheduling (self);
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  wc_application_get_scheduler (self);
  entry = find_entry (sched, g_variant_get_int64 (parameter));
  if (entry == NULL)
    return;
  withdraw_notification (self, entry);
  sched->marking_done = wc_outbox_entry_get_id (entry);
  if (!wc_scheduler_mark_done (sched->scheduler, entry, &error))
    report_error (self, _("Could not mark it as posted"), error);
  sched->marking_done = 0;
}

static void
activity_log_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);

  gtk_window_present (GTK_WINDOW (wc_audit_view_new (self, gtk_application_get_active_window (GTK_APPLICATION (self)))));
}

static const GActionEntry scheduling_entries[] = {
  { "show-scheduled", show_scheduled_action },
  { "activity-log", activity_log_action },
  { "retry-entry", retry_entry_action, "x" },
  { "post-entry-now", post_entry_now_action, "x" },
  { "open-entry", open_entry_action, "x" },
  { "reminder-open", reminder_open_action, "x" },
  { "reminder-snooze", reminder_snooze_action, "x" },
  { "reminder-done", reminder_done_action, "x" },
};

/* --- Running in the background ---------------------------------------- */

/**
 * wc_application_dup_autostart_path:
 *
 * Returns: (transfer full): where the XDG autostart entry goes
 */
char *
wc_application_dup_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* Desktop entry Exec quoting: double quotes, with \ " ` $ escaped. */
static char *
quote_exec_arg (const char *arg)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = arg; *p != '\0'; p++)
    {
      if (strchr ("\\\"`$", *p) != NULL)
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

static void
write_autostart (gboolean wanted)
{
  g_autofree char *path = wc_application_dup_autostart_path ();
  g_autoptr(GError) error = NULL;

  if (!wanted)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Cannot remove the autostart entry: %s", g_strerror (errno));
      return;
    }

  {
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autofree char *exec = quote_exec_arg (exe != NULL ? exe : "whitecoat");
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *contents = NULL;

    contents = g_strdup_printf ("[Desktop Entry]\n"
                                "Type=Application\n"
                                "Name=%s\n"
                                "Comment=%s\n"
                                "Exec=%s --background\n"
                                "Icon=" APP_ID "\n"
                                "NoDisplay=true\n"
                                "X-GNOME-Autostart-enabled=true\n",
                                _("Whitecoat"),
                                _("Sends the posts you scheduled"),
                                exec);
    if (g_mkdir_with_parents (dir, 0700) != 0
        || !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
      g_warning ("Cannot write the autostart entry: %s", error != NULL ? error->message : g_strerror (errno));
  }
}

#ifdef HAVE_LIBPORTAL
static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    g_debug ("The Background portal said no: %s", error->message);
}

static void
request_background (Scheduling *sched,
                    gboolean    autostart)
{
  g_autoptr(GPtrArray) commandline = NULL;
  GtkWindow *window;
  XdpParent *parent = NULL;

  if (sched->portal_autostart == (autostart ? 1 : 0))
    return;
  sched->portal_autostart = autostart ? 1 : 0;
  if (sched->portal == NULL)
    sched->portal = xdp_portal_new ();

  commandline = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (commandline, g_strdup ("whitecoat"));
  g_ptr_array_add (commandline, g_strdup ("--background"));
  window = gtk_application_get_active_window (GTK_APPLICATION (sched->app));
  if (window != NULL)
    parent = xdp_parent_new_gtk (window);
  xdp_portal_request_background (sched->portal, parent,
                                 (char *) _("Whitecoat sends the posts you scheduled, also after you close its window."),
                                 commandline,
                                 autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_background_requested, NULL);
  g_clear_pointer (&parent, xdp_parent_free);
}
#endif

/* Held while the scheduler has work of its own; autostart while posts wait
 * and the user wants it. */
static void
update_background (Scheduling *sched)
{
  gboolean work = sched->scheduler != NULL && wc_scheduler_get_has_local_work (sched->scheduler);
  gboolean autostart = work && g_settings_get_boolean (sched->settings, "run-in-background");

  if (work && !sched->holding)
    {
      g_application_hold (G_APPLICATION (sched->app));
      sched->holding = TRUE;
    }
  else if (!work && sched->holding)
    {
      sched->holding = FALSE;
      g_application_release (G_APPLICATION (sched->app));
    }

  if (sched->bench)
    return;
  if (in_flatpak ())
    {
#ifdef HAVE_LIBPORTAL
      request_background (sched, autostart);
#endif
      return;
    }
  write_autostart (autostart);
}

static void
on_has_local_work_notify (Scheduling *sched)
{
  update_background (sched);
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     Scheduling *sched)
{
  if (g_str_equal (key, "hold-after") && sched->scheduler != NULL)
    wc_scheduler_set_hold_after (sched->scheduler, (gint64) g_settings_get_uint (settings, "hold-after") * 60);
  else if (g_str_equal (key, "run-in-background"))
    update_background (sched);
}

static gboolean
grace_timeout_cb (gpointer user_data)
{
  Scheduling *sched = user_data;

  sched->grace_timeout = 0;
  g_application_release (G_APPLICATION (sched->app));
  return G_SOURCE_REMOVE;
}

static gint
on_handle_local_options (GApplication *application,
                         GVariantDict *options,
                         gpointer      user_data)
{
  WcApplication *self = WC_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, "background"))
    return -1;

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Already running: it sends the posts; nothing to open. */
  if (g_application_get_is_remote (application))
    return 0;

  get_scheduling (self)->background = TRUE;
  return -1;
}

/* --- Making the scheduler ----------------------------------------------- */

/* Nothing is sent, nor the outbox read, before the store has its key. */
static void
on_data_unlocked (WcApplication *self,
                  GParamSpec    *pspec,
                  Scheduling    *sched)
{
  if (wc_application_get_data_unlocked (self) && sched->wanted && sched->scheduler == NULL)
    wc_application_get_scheduler (self);
}

static gboolean
create_scheduler_idle (gpointer user_data)
{
  WcApplication *self = user_data;

  get_scheduling (self)->create_idle = 0;
  /* The outbox is sealed: the scheduler starts once the keyring gave the
   * key (on_data_unlocked()), which is asked for now, after the first
   * frame. */
  wc_application_unlock_data (self);
  wc_application_get_scheduler (self);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  Scheduling *sched = get_scheduling (self);

  g_signal_handlers_disconnect_by_func (frame_clock, on_first_frame, user_data);
  if (sched->scheduler == NULL && sched->create_idle == 0)
    sched->create_idle = g_idle_add_full (G_PRIORITY_LOW, create_scheduler_idle, self, NULL);
}

void
wc_application_scheduling_after_first_frame (WcApplication *self,
                                             GtkWindow     *window)
{
  Scheduling *sched = get_scheduling (self);
  GdkSurface *surface;

  if (sched->bench || sched->scheduler != NULL || sched->create_idle != 0)
    return;

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (surface != NULL)
    g_signal_connect_object (gdk_surface_get_frame_clock (surface), "after-paint",
                             G_CALLBACK (on_first_frame), self, 0);
  else
    sched->create_idle = g_idle_add_full (G_PRIORITY_LOW, create_scheduler_idle, self, NULL);
}

/* The store was replaced ("Delete all Whitecoat data"): the scheduler of
 * the old one stops, and one on the new store takes its place for whoever
 * was watching (scheduler-ready). */
void
wc_application_scheduling_store_changed (WcApplication *self)
{
  Scheduling *sched = get_scheduling (self);

  if (sched == NULL || sched->scheduler == NULL)
    return;

  g_signal_handlers_disconnect_by_data (sched->scheduler, self);
  g_signal_handlers_disconnect_by_data (sched->scheduler, sched);
  wc_scheduler_stop (sched->scheduler);
  g_clear_object (&sched->scheduler);
  wc_application_get_scheduler (self);
}

gboolean
wc_application_scheduling_activate_background (WcApplication *self)
{
  Scheduling *sched = get_scheduling (self);

  if (!sched->background)
    return FALSE;
  /* Only the first activation: a later start by the user opens the window. */
  sched->background = FALSE;

  g_application_hold (G_APPLICATION (self));
  sched->grace_timeout = g_timeout_add_seconds (BACKGROUND_GRACE_SECONDS, grace_timeout_cb, sched);
  wc_application_unlock_data (self);
  wc_application_get_scheduler (self);
  return TRUE;
}

void
wc_application_scheduling_init (WcApplication *self)
{
  Scheduling *sched = g_new0 (Scheduling, 1);

  sched->app = self;
  sched->bench = g_strcmp0 (g_getenv (BENCH_ENV), "1") == 0;
#ifdef HAVE_LIBPORTAL
  sched->portal_autostart = -1;
#endif
  g_object_set_data (G_OBJECT (self), "wc-scheduling", sched);

  if (scheduler_ready_signal == 0)
    scheduler_ready_signal = g_signal_new ("scheduler-ready",
                                           WC_TYPE_APPLICATION,
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /* "open-uri" (const char *uri) → gboolean: a handler that returns TRUE
   * opened it (tests); otherwise gtk_show_uri() does. */
  if (open_uri_signal == 0)
    open_uri_signal = g_signal_new ("open-uri",
                                    WC_TYPE_APPLICATION,
                                    G_SIGNAL_RUN_LAST,
                                    0, g_signal_accumulator_true_handled, NULL, NULL,
                                    G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   scheduling_entries, G_N_ELEMENTS (scheduling_entries),
                                   self);
  g_application_add_main_option (G_APPLICATION (self), "background", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Start without a window, to send the posts you scheduled"), NULL);
  g_signal_connect (self, "handle-local-options", G_CALLBACK (on_handle_local_options), NULL);
  sched->settings = g_object_ref (wc_application_get_settings (self));
  g_signal_connect (sched->settings, "changed", G_CALLBACK (on_settings_changed), sched);
  g_signal_connect (self, "notify::data-unlocked", G_CALLBACK (on_data_unlocked), sched);
}

void
wc_application_scheduling_dispose (WcApplication *self)
{
  Scheduling *sched = get_scheduling (self);

  if (sched == NULL)
    return;

  g_clear_handle_id (&sched->create_idle, g_source_remove);
  g_clear_handle_id (&sched->grace_timeout, g_source_remove);
  g_clear_handle_id (&sched->notify_watch, g_bus_unwatch_name);
  g_clear_pointer (&sched->notify_pending, g_ptr_array_unref);
  if (sched->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (sched->scheduler, self);
      g_signal_handlers_disconnect_by_data (sched->scheduler, sched);
      wc_scheduler_stop (sched->scheduler);
    }
  g_clear_object (&sched->scheduler);
  g_clear_object (&sched->clock);
  g_signal_handlers_disconnect_by_data (sched->settings, sched);
  g_clear_object (&sched->settings);
  g_signal_handlers_disconnect_by_func (self, on_data_unlocked, sched);
#ifdef HAVE_LIBPORTAL
  g_clear_object (&sched->portal);
#endif
  g_object_set_data (G_OBJECT (self), "wc-scheduling", NULL);
  g_free (sched);
}

/* --- Public API --------------------------------------------------------- */

/**
 * wc_application_get_clock:
 *
 * Returns: (transfer none): the wall clock of the scheduler
 */
WcClock *
wc_application_get_clock (WcApplication *self)
{
  Scheduling *sched;

  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  sched = get_scheduling (self);
  if (sched->clock == NULL)
    sched->clock = wc_clock_new_system ();
  return sched->clock;
}

/**
 * wc_application_set_clock:
 * @clock: a clock, such as a fake one in tests
 *
 * Sets the clock the scheduler will run on; only before it was made.
 */
void
wc_application_set_clock (WcApplication *self,
                          WcClock       *clock)
{
  Scheduling *sched;

  g_return_if_fail (WC_IS_APPLICATION (self));
  g_return_if_fail (WC_IS_CLOCK (clock));

  sched = get_scheduling (self);
  g_return_if_fail (sched->scheduler == NULL);
  g_set_object (&sched->clock, clock);
}

/**
 * wc_application_get_now:
 *
 * Returns: the time now on the scheduler's clock, UTC seconds
 */
gint64
wc_application_get_now (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), 0);

  return wc_clock_get_now (wc_application_get_clock (self));
}

/**
 * wc_application_peek_scheduler:
 *
 * Returns: (transfer none) (nullable): the scheduler if it was made
 */
WcScheduler *
wc_application_peek_scheduler (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return get_scheduling (self)->scheduler;
}

/**
 * wc_application_get_scheduler:
 *
 * Makes and starts the scheduler on first use. The outbox is sealed: while
 * the store has no data key (wc_application_unlock_data()) there is no
 * scheduler yet; it is made, and "scheduler-ready" emitted, once the key
 * is there.
 *
 * Returns: (transfer none) (nullable): the scheduler; %NULL without a store
 *   or its key
 */
WcScheduler *
wc_application_get_scheduler (WcApplication *self)
{
  Scheduling *sched;
  WcStore *store;

  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  sched = get_scheduling (self);
  if (sched->scheduler != NULL)
    return sched->scheduler;

  store = wc_application_get_store (self);
  if (store == NULL)
    return NULL;
  if (!wc_store_has_data_key (store))
    {
      sched->wanted = TRUE;
      return NULL;
    }

  g_clear_handle_id (&sched->create_idle, g_source_remove);
  sched->scheduler = wc_scheduler_new (store, wc_application_get_clock (self));
  wc_scheduler_set_hold_after (sched->scheduler,
                               (gint64) g_settings_get_uint (wc_application_get_settings (self), "hold-after") * 60);
  g_signal_connect_object (sched->scheduler, "entry-sent", G_CALLBACK (on_entry_sent), self, 0);
  g_signal_connect_object (sched->scheduler, "entry-failed", G_CALLBACK (on_entry_failed), self, 0);
  g_signal_connect_object (sched->scheduler, "entry-held", G_CALLBACK (on_entry_held), self, 0);
  g_signal_connect_object (sched->scheduler, "reminder", G_CALLBACK (on_reminder), self, 0);
  g_signal_connect_swapped (sched->scheduler, "notify::has-local-work",
                            G_CALLBACK (on_has_local_work_notify), sched);
  wc_scheduler_start (sched->scheduler);
  update_background (sched);

  g_signal_emit (self, scheduler_ready_signal, 0);
  return sched->scheduler;
}
