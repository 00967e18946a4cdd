/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-application.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-network-catalog.h"
#include "wc-preferences-window.h"
#include "wc-scheduler.h"
#include "wc-test-ui.h"

/* The scheduling notifications (GNotification, read back from a
 * notification server of the test's own on the private session bus) and
 * their buttons, pressed as GNOME Shell presses them (ActionInvoked):
 * reminders for manual networks with "Copy Text and Open …", "Snooze" and
 * "Mark as Posted"; failed with "Retry"; held with "Post Now"; sent with
 * "Open Post"; the Preferences switches; and no notification server at
 * all. Real store, real scheduler on a fake clock, the Mastodon test
 * server for the posts Whitecoat sends itself. */

/* Wednesday 10 June 2026, 10:00 UTC. */
#define NOW 1781085600
#define FACEBOOK_TEXT "Our ward's open day is on Saturday: come and meet the team."
#define MASTODON_TEXT "Journal club tonight: the new sepsis guidelines."

typedef struct
{
  WcApplication    *app;
  WcStore          *store;
  WcClock          *clock;
  WcScheduler      *scheduler;
  WcMastodonServer *server;
  SoupSession      *session;
  WcMastodon       *mastodon;
  gint64            facebook;  /* personal */
  gint64            toot;      /* professional, Mastodon */
  GPtrArray        *opened;    /* URIs "open-uri" was asked to open */
} Fixture;

static gboolean
on_open_uri (WcApplication *app,
             const char    *uri,
             Fixture       *f)
{
  g_ptr_array_add (f->opened, g_strdup (uri));
  return TRUE;
}

static gint64
add_account (Fixture        *f,
             WcAccount      *account)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  return wc_account_get_id (account);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");
  g_autoptr(WcAccount) toot = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *token = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  wc_test_ui_clear_notifications ();
  f->opened = g_ptr_array_new_with_free_func (g_free);

  f->server = wc_mastodon_server_new ();
  wc_mastodon_server_set_now (f->server, NOW);
  alice = wc_mastodon_server_add_user (f->server, "alice", NULL);
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  base = wc_mastodon_server_dup_base_url (f->server);
  token = wc_mastodon_server_create_token (f->server, "alice", WC_MASTODON_SCOPES);

  f->app = wc_test_ui_create_app ();
  g_signal_connect (f->app, "open-uri", G_CALLBACK (on_open_uri), f);
  f->store = wc_application_get_store (f->app);
  g_assert_nonnull (f->store);
  wc_test_ui_unlock_data (f->app);
  f->clock = wc_clock_new_fake (NOW);
  wc_application_set_clock (f->app, f->clock);

  wc_account_set_handle (facebook, "anna.jansen");
  f->facebook = add_account (f, facebook);
  wc_account_set_server (toot, base);
  wc_account_set_handle (toot, "@alice@127.0.0.1");
  wc_account_set_remote_id (toot, alice);
  f->toot = add_account (f, toot);

  /* The Mastodon account talks to the test server; no keyring needed. */
  f->session = soup_session_new_with_options ("timeout", 5, NULL);
  f->mastodon = wc_mastodon_new (toot, f->session);
  wc_mastodon_set_access_token (f->mastodon, token);
  f->scheduler = wc_application_get_scheduler (f->app);
  g_assert_nonnull (f->scheduler);
  wc_scheduler_set_network (f->scheduler, f->toot, WC_NETWORK (f->mastodon));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_test_ui_destroy_toplevels ();
  g_signal_handlers_disconnect_by_data (f->app, f);
  g_clear_object (&f->app);
  /* What is still on its way to the notification server arrives now,
   * not in the next test. */
  wc_test_ui_wait (100);
  g_clear_object (&f->mastodon);
  g_clear_object (&f->session);
  g_clear_object (&f->clock);
  wc_mastodon_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
}

/* Runs the main loop until the scheduler has nothing under way. */
static void
wait_idle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  wc_test_ui_iterate ();
  while (wc_scheduler_is_busy (f->scheduler))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();
}

static void
wait_state (WcOutboxEntry *entry,
            WcOutboxState  state)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (wc_outbox_entry_get_state (entry) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Time passes for Whitecoat and the server alike. */
static void
advance (Fixture *f,
         gint64   seconds)
{
  wc_mastodon_server_set_now (f->server, wc_clock_get_now (f->clock) + seconds);
  wc_clock_advance (f->clock, seconds);
  wait_idle (f);
}

static WcOutboxEntry *
schedule (Fixture        *f,
          WcIdentityKind  identity,
          gint64          account_id,
          const char     *text,
          gint64          due_at)
{
  g_autoptr(WcDraft) draft = wc_draft_new (identity);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  wc_draft_set_text (draft, text);
  wc_draft_set_target (draft, account_id, "public");
  g_assert_true (wc_store_save_draft (f->store, draft, &error));
  g_assert_no_error (error);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, due_at, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

static guint
n_notifications (void)
{
  return wc_test_ui_get_notifications ()->len;
}

/* What a locked screen may show: the network and the time, never the
 * post. */
static void
assert_no_post_text (const WcTestNotification *n,
                     const char               *text)
{
  g_assert_null (strstr (n->summary, text));
  g_assert_null (strstr (n->body, text));
}

static void
assert_action (const WcTestNotification *n,
               const char               *label,
               const char               *action,
               WcOutboxEntry            *entry)
{
  const char *key = wc_test_notification_get_action (n, label);
  g_autofree char *expected = g_action_print_detailed_name (action,
                                                            g_variant_new_int64 (wc_outbox_entry_get_id (entry)));

  g_assert_nonnull (key);
  g_assert_cmpstr (key, ==, expected);
}

/* Whether the notification @id was withdrawn (CloseNotification), waiting
 * a moment for the call. */
static gboolean
was_closed (guint32 id)
{
  GArray *closed = wc_test_ui_get_closed_notifications ();
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < closed->len; i++)
        if (g_array_index (closed, guint32, i) == id)
          return TRUE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return FALSE;
}

static void
on_text_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*text);
}

static char *
read_clipboard (void)
{
  GdkClipboard *clipboard = gdk_display_get_clipboard (gdk_display_get_default ());
  char *text = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gdk_clipboard_read_text_async (clipboard, NULL, on_text_read, &text);
  while (text == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return text;
}

static guint
count_audit (Fixture    *f,
             gint64      account_id,
             const char *kind)
{
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  audit = wc_store_list_audit (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      WcAuditEntry *line = g_ptr_array_index (audit, i);

      if (line->account_id == account_id && g_str_equal (line->kind, kind))
        {
          g_test_message ("Audit: %s", line->summary);
          /* The log names the account, never the post's text. */
          g_assert_null (strstr (line->summary, FACEBOOK_TEXT));
          n++;
        }
    }
  return n;
}

/* Facebook (personal) falls due: one reminder with both buttons; "Copy
 * Text and Open Facebook" copies the post and opens Facebook, then asks
 * whether it was posted; "Mark as Posted" records it as sent, in the
 * audit log. */
static void
test_reminder (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, WC_IDENTITY_PERSONAL, f->facebook, FACEBOOK_TEXT, NOW + 600);
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (), "facebook");
  WcTestNotification *reminder, *asked;
  g_autofree char *clipboard = NULL;
  guint32 reminder_id;

  g_assert_nonnull (info);
  g_assert_nonnull (wc_network_info_get_website (info));

  /* Not before its time. */
  advance (f, 599);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 0);

  advance (f, 1);
  reminder = wc_test_ui_wait_notification (1);
  reminder_id = reminder->id;
  g_test_message ("Reminder: %s / %s", reminder->summary, reminder->body);
  g_assert_cmpstr (reminder->summary, ==, "Time to post to Facebook (personal)");
  assert_action (reminder, "Copy Text and Open Facebook", "app.reminder-open", entry);
  assert_action (reminder, "Snooze", "app.reminder-snooze", entry);
  g_assert_cmpuint (g_strv_length (reminder->actions), ==, 6);  /* default + the two buttons */
  assert_no_post_text (reminder, FACEBOOK_TEXT);

  /* Exactly one, also while time goes on. */
  advance (f, 120);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (f->opened->len, ==, 0);

  /* "Copy Text and Open Facebook". */
  wc_test_notification_invoke (reminder, wc_test_notification_get_action (reminder, "Copy Text and Open Facebook"));
  asked = wc_test_ui_wait_notification (2);
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_test_message ("Opened: %s", (char *) g_ptr_array_index (f->opened, 0));
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, wc_network_info_get_website (info));
  clipboard = read_clipboard ();
  g_assert_cmpstr (clipboard, ==, FACEBOOK_TEXT);

  g_test_message ("Then: %s / %s", asked->summary, asked->body);
  g_assert_cmpstr (asked->summary, ==, "Did you post it to Facebook (personal)?");
  g_assert_cmpuint (asked->replaces_id, ==, reminder_id);  /* in place of the reminder */
  assert_action (asked, "Mark as Posted", "app.reminder-done", entry);
  assert_action (asked, "Snooze", "app.reminder-snooze", entry);
  assert_no_post_text (asked, FACEBOOK_TEXT);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (count_audit (f, f->facebook, "publish"), ==, 0);

  /* "Mark as Posted": sent, in the audit log, the question withdrawn. */
  wc_test_notification_invoke (asked, wc_test_notification_get_action (asked, "Mark as Posted"));
  wait_state (entry, WC_OUTBOX_STATE_SENT);
  g_assert_cmpint (wc_outbox_entry_get_sent_at (entry), ==, NOW + 720);
  g_assert_cmpuint (count_audit (f, f->facebook, "publish"), ==, 1);
  g_assert_true (was_closed (asked->id));
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  /* The opener ran once: marking it posted opens nothing; and the user,
   * who just said so, gets no "Posted" notification. */
  g_assert_cmpuint (f->opened->len, ==, 1);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 2);
}

/* "Snooze": the reminder goes away and comes back ten minutes later; the
 * entry is not sent meanwhile. */
static void
test_snooze (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, WC_IDENTITY_PERSONAL, f->facebook, FACEBOOK_TEXT, NOW + 60);
  WcTestNotification *reminder, *again;
  guint32 reminder_id;
  gint64 snoozed_at;

  advance (f, 60);
  reminder = wc_test_ui_wait_notification (1);
  reminder_id = reminder->id;
  g_assert_cmpstr (reminder->summary, ==, "Time to post to Facebook (personal)");
  advance (f, 30);
  snoozed_at = wc_clock_get_now (f->clock);

  wc_test_notification_invoke (reminder, wc_test_notification_get_action (reminder, "Snooze"));
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (wc_outbox_entry_get_due_at (entry) == NOW + 60)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_test_message ("Snoozed from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                  (gint64) NOW + 60, wc_outbox_entry_get_due_at (entry));
  g_assert_cmpint (wc_outbox_entry_get_due_at (entry), ==, snoozed_at + 10 * 60);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpint (wc_outbox_entry_get_sent_at (entry), ==, 0);
  g_assert_cmpuint (count_audit (f, f->facebook, "publish"), ==, 0);
  g_assert_true (was_closed (reminder_id));
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));

  /* Back at the new time, not before. */
  advance (f, 10 * 60 - 1);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 1);
  advance (f, 1);
  again = wc_test_ui_wait_notification (2);
  g_assert_cmpstr (again->summary, ==, "Time to post to Facebook (personal)");
  assert_action (again, "Snooze", "app.reminder-snooze", entry);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
}

/* The server refuses the post: "Not posted", with the reason and "Retry";
 * Retry sends it again, and it goes out: "Posted", with "Open Post". */
static void
test_failed_retry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = NULL;
  WcTestNotification *failed, *sent;
  g_autoptr(JsonArray) statuses = NULL;

  wc_mastodon_server_set_max_characters (f->server, 10);
  entry = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, 0);
  wait_idle (f);
  failed = wc_test_ui_wait_notification (1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);
  g_test_message ("Failed: %s / %s", failed->summary, failed->body);
  g_assert_cmpstr (failed->summary, ==, "Not posted to Mastodon (professional)");
  g_assert_nonnull (wc_outbox_entry_get_reason (entry));
  g_assert_cmpstr (failed->body, ==, wc_outbox_entry_get_reason (entry));
  assert_action (failed, "Retry", "app.retry-entry", entry);
  assert_no_post_text (failed, MASTODON_TEXT);

  /* Not retried by itself. */
  advance (f, 3600);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (n_notifications (), ==, 1);

  /* "Retry", once the server takes longer posts. */
  wc_mastodon_server_set_max_characters (f->server, 500);
  wc_test_notification_invoke (failed, wc_test_notification_get_action (failed, "Retry"));
  wait_state (entry, WC_OUTBOX_STATE_SENT);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);

  sent = wc_test_ui_wait_notification (2);
  g_test_message ("Sent: %s / %s", sent->summary, sent->body);
  g_assert_cmpstr (sent->summary, ==, "Posted to Mastodon (professional)");
  assert_action (sent, "Open Post", "app.open-entry", entry);
  assert_no_post_text (sent, MASTODON_TEXT);

  /* "Open Post" opens the post on the server. */
  g_assert_nonnull (wc_outbox_entry_get_remote_url (entry));
  wc_test_notification_invoke (sent, wc_test_notification_get_action (sent, "Open Post"));
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (f->opened->len == 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, wc_outbox_entry_get_remote_url (entry));
}

/* Found two hours late (a suspend): held, "A post … waits for you" with
 * "Post Now", which posts it. */
static void
test_held_post_now (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, NOW + 60);
  WcTestNotification *held;
  g_autoptr(JsonArray) statuses = NULL;

  wait_idle (f);
  wc_mastodon_server_set_now (f->server, NOW + 2 * 3600);
  wc_clock_jump (f->clock, NOW + 2 * 3600);
  wait_idle (f);
  held = wc_test_ui_wait_notification (1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_HELD);
  g_test_message ("Held: %s / %s", held->summary, held->body);
  g_assert_cmpstr (held->summary, ==, "A post to Mastodon (professional) waits for you");
  assert_action (held, "Post Now", "app.post-entry-now", entry);
  assert_no_post_text (held, MASTODON_TEXT);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 0);
  g_clear_pointer (&statuses, json_array_unref);

  wc_test_notification_invoke (held, wc_test_notification_get_action (held, "Post Now"));
  wait_state (entry, WC_OUTBOX_STATE_SENT);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  /* The held notification gives way to "Posted". */
  g_assert_cmpstr (wc_test_ui_wait_notification (2)->summary, ==, "Posted to Mastodon (professional)");
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_switch (GtkWidget *widget)
{
  if (GTK_IS_SWITCH (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_switch (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Switches off a kind in Preferences, by activating its row. */
static void
switch_off (WcPreferencesWindow *prefs,
            const char          *key,
            GSettings           *settings)
{
  GtkWidget *row = find_named (GTK_WIDGET (prefs), key);
  GtkWidget *toggle;

  g_assert_nonnull (row);
  toggle = find_switch (row);
  g_assert_nonnull (toggle);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (g_settings_get_boolean (settings, key));
  adw_action_row_activate (ADW_ACTION_ROW (row));
  /* The switch moves with an animation before it changes. */
  for (int i = 0; i < 100 && gtk_switch_get_active (GTK_SWITCH (toggle)); i++)
    wc_test_ui_wait (10);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (g_settings_get_boolean (settings, key));
}

/* Reminders, failures and sent posts switched off in Preferences: a
 * reminder, a failure and a post that went out make no notification; held
 * is still on, and its notification is the only one. */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GSettings *settings = wc_application_get_settings (f->app);
  WcPreferencesWindow *prefs = wc_preferences_window_new (f->app);
  g_autoptr(WcOutboxEntry) reminder = NULL;
  g_autoptr(WcOutboxEntry) failed = NULL;
  g_autoptr(WcOutboxEntry) sent = NULL;
  g_autoptr(WcOutboxEntry) held = NULL;
  GtkWidget *page;

  gtk_window_present (GTK_WINDOW (prefs));
  page = find_named (GTK_WIDGET (prefs), "scheduling_page");
  g_assert_true (ADW_IS_PREFERENCES_PAGE (page));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  wc_test_ui_wait (100);
  switch_off (prefs, "notify-reminders", settings);
  switch_off (prefs, "notify-failed", settings);
  switch_off (prefs, "notify-sent", settings);
  g_assert_true (g_settings_get_boolean (settings, "notify-held"));
  gtk_window_destroy (GTK_WINDOW (prefs));
  wc_test_ui_iterate ();

  reminder = schedule (f, WC_IDENTITY_PERSONAL, f->facebook, FACEBOOK_TEXT, NOW + 60);
  advance (f, 60);
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));  /* reminded, still waiting */

  wc_mastodon_server_set_max_characters (f->server, 10);
  failed = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, 0);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (failed), ==, WC_OUTBOX_STATE_FAILED);
  wc_mastodon_server_set_max_characters (f->server, 500);
  sent = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, "Short", 0);
  wait_state (sent, WC_OUTBOX_STATE_SENT);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 0);

  held = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, wc_clock_get_now (f->clock) + 60);
  wait_idle (f);
  wc_mastodon_server_set_now (f->server, wc_clock_get_now (f->clock) + 3 * 3600);
  wc_clock_jump (f->clock, wc_clock_get_now (f->clock) + 3 * 3600);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (held), ==, WC_OUTBOX_STATE_HELD);
  /* The reminder already given is not held: it waits for the user. */
  g_assert_cmpint (wc_outbox_entry_get_state (reminder), ==, WC_OUTBOX_STATE_SCHEDULED);
  wc_test_ui_wait_notification (1);
  wc_test_ui_wait (200);
  g_assert_cmpuint (n_notifications (), ==, 1);
  g_assert_cmpstr (wc_test_ui_wait_notification (1)->summary, ==, "A post to Mastodon (professional) waits for you");

  /* Back on: the next failure is told. */
  g_settings_set_boolean (settings, "notify-failed", TRUE);
  wc_mastodon_server_set_max_characters (f->server, 10);
  g_clear_object (&failed);
  failed = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, 0);
  g_assert_cmpstr (wc_test_ui_wait_notification (2)->summary, ==, "Not posted to Mastodon (professional)");
}

/* No notification server on the bus (a desktop without a notification
 * daemon): the scheduler does its work and nothing warns (warnings are
 * fatal here). Once a server appears, notifications are shown again. */
static void
test_no_server (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) reminder = NULL;
  g_autoptr(WcOutboxEntry) failed = NULL;
  g_autoptr(WcOutboxEntry) later = NULL;

  wc_test_ui_stop_notification_server ();

  reminder = schedule (f, WC_IDENTITY_PERSONAL, f->facebook, FACEBOOK_TEXT, NOW + 60);
  advance (f, 60);
  wc_mastodon_server_set_max_characters (f->server, 10);
  failed = schedule (f, WC_IDENTITY_PROFESSIONAL, f->toot, MASTODON_TEXT, 0);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (failed), ==, WC_OUTBOX_STATE_FAILED);
  /* Long enough for an answer from the bus that nobody listens. */
  wc_test_ui_wait (500);
  g_assert_cmpuint (n_notifications (), ==, 0);

  /* The actions still work without the notifications. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "reminder-done",
                                  g_variant_new_int64 (wc_outbox_entry_get_id (reminder)));
  g_assert_cmpint (wc_outbox_entry_get_state (reminder), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_audit (f, f->facebook, "publish"), ==, 1);
  wc_test_ui_wait (300);
  g_assert_cmpuint (n_notifications (), ==, 0);

  /* A notification daemon starts. */
  wc_test_ui_start_notification_server ();
  wc_test_ui_wait (200);
  later = schedule (f, WC_IDENTITY_PERSONAL, f->facebook, FACEBOOK_TEXT, wc_clock_get_now (f->clock) + 60);
  advance (f, 60);
  g_assert_cmpstr (wc_test_ui_wait_notification (1)->summary, ==, "Time to post to Facebook (personal)");
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);
  wc_test_ui_start_notification_server ();

  g_test_add ("/ui-notifications/reminder", Fixture, NULL, fixture_setup, test_reminder, fixture_teardown);
  g_test_add ("/ui-notifications/snooze", Fixture, NULL, fixture_setup, test_snooze, fixture_teardown);
  g_test_add ("/ui-notifications/failed-retry", Fixture, NULL, fixture_setup, test_failed_retry,
              fixture_teardown);
  g_test_add ("/ui-notifications/held-post-now", Fixture, NULL, fixture_setup, test_held_post_now,
              fixture_teardown);
  g_test_add ("/ui-notifications/preferences", Fixture, NULL, fixture_setup, test_preferences,
              fixture_teardown);
  g_test_add ("/ui-notifications/no-server", Fixture, NULL, fixture_setup, test_no_server, fixture_teardown);

  return g_test_run ();
}
