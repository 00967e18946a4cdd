/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Privacy view and the walkthrough under Xvfb, with a real store, the
 * real keyring and the Mastodon test server: accounts listed worst first
 * with their scores, the banner for accounts never reviewed, stepping
 * through a Mastodon walkthrough that reads and applies settings (the
 * server's state changes), the warning before unlocking, manual steps with
 * "I have done this" and "Skip", resuming after closing, drift and the
 * notification, and the cross-link findings. */
#include "config.h"

#include <glib/gstdio.h>

#include "wc-crosslink-audit.h"
#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-privacy-view.h"
#include "wc-store-privacy.h"
#include "wc-test-ui.h"
#include "wc-walkthrough-dialog.h"
#include "wc-window.h"

static gboolean have_keyring;

typedef struct
{
  WcApplication    *app;
  WcStore          *store;
  WcWindow         *window;
  WcPrivacyView    *view;
  WcMastodonServer *server;
  char             *base;
  WcAccount        *personal_masto;
  WcAccount        *professional_masto;
  WcAccount        *facebook;
} Fixture;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static WcAccount *
add_account (Fixture        *f,
             WcIdentityKind  identity,
             const char     *network,
             const char     *handle,
             const char     *display_name,
             const char     *username)
{
  WcAccount *account = wc_account_new (identity, network);
  g_autoptr(GError) error = NULL;

  wc_account_set_handle (account, handle);
  wc_account_set_display_name (account, display_name);
  if (username != NULL)
    {
      g_autofree char *token = wc_mastodon_server_create_token (f->server, username, WC_MASTODON_SCOPES);
      g_autoptr(GAsyncResult) stored = NULL;

      wc_account_set_server (account, f->base);
      wc_account_set_connected_at (account, 1780000000);
      g_assert_true (wc_store_add_account (f->store, account, &error));
      g_assert_no_error (error);
      wc_keyring_store_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN, "Whitecoat test token",
                              token, NULL, store_result, &stored);
      g_assert_true (wc_keyring_store_finish (await (&stored), &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_true (wc_store_add_account (f->store, account, &error));
      g_assert_no_error (error);
    }
  return account;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const fields[] = { "Blog", "https://annies-garden.example", NULL };
  static const char * const pro_fields[] = { "Practice", "https://praktijkjansen.example", NULL };
  WcMastodonUser annie = { 0 };
  WcMastodonUser jansen = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WcIdentity) professional = NULL;

  f->server = wc_mastodon_server_new ();
  annie.username = "annie";
  annie.display_name = "Annie B";
  annie.discoverable = TRUE;
  annie.indexable = TRUE;
  annie.privacy = "public";
  annie.fields = fields;
  g_free (wc_mastodon_server_add_user_full (f->server, &annie));
  jansen.username = "jansen";
  jansen.display_name = "Dr. Anna Jansen";
  jansen.locked = TRUE;
  jansen.discoverable = TRUE;
  jansen.indexable = TRUE;
  jansen.privacy = "public";
  jansen.fields = pro_fields;
  g_free (wc_mastodon_server_add_user_full (f->server, &jansen));
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);

  f->app = wc_test_ui_create_app ();
  f->store = wc_application_get_store (f->app);
  g_assert_nonnull (f->store);

  professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  wc_identity_set_name (professional, "Dr. Anna Jansen");
  wc_identity_add_marker (professional, WC_MARKER_REAL_NAME, "Anna Jansen");
  g_assert_true (wc_store_save_identity (f->store, professional, &error));

  if (have_keyring)
    {
      f->personal_masto = add_account (f, WC_IDENTITY_PERSONAL, "mastodon", "@annie@127.0.0.1", "Annie B", "annie");
      f->professional_masto = add_account (f, WC_IDENTITY_PROFESSIONAL, "mastodon", "@jansen@127.0.0.1",
                                           "Dr. Anna Jansen", "jansen");
    }
  /* A personal Facebook profile under the professional name: a cross-link. */
  f->facebook = add_account (f, WC_IDENTITY_PERSONAL, "facebook", "anna.jansen.77", "Anna Jansen", NULL);

  f->window = wc_window_new (f->app);
  f->view = WC_PRIVACY_VIEW (wc_window_get_privacy_view (f->window));
  g_assert_true (WC_IS_PRIVACY_VIEW (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (f->window), "privacy");
  wc_test_ui_iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  wc_test_ui_destroy_toplevels ();
  g_clear_object (&f->personal_masto);
  g_clear_object (&f->professional_masto);
  g_clear_object (&f->facebook);
  g_clear_object (&f->app);
  wc_mastodon_server_stop (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
}

static void
collect_shown_buttons (GtkWidget *widget,
                       GPtrArray *buttons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* The header bar's back and close buttons are always there. */
      if (ADW_IS_HEADER_BAR (child))
        continue;
      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child))
        g_ptr_array_add (buttons, child);
      collect_shown_buttons (child, buttons);
    }
}

/* What the walkthrough shows matches what it allows: every button shown
 * on the page can be pressed, and one of them goes on (or closes it at
 * the end). */
static void
assert_buttons_match (WcWalkthroughDialog *dialog)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean way_on = FALSE;

  if (wc_walkthrough_dialog_get_busy (dialog))
    return;
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  collect_shown_buttons (GTK_WIDGET (dialog), buttons);
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));

      g_assert_nonnull (action);
      g_assert_true (gtk_widget_is_sensitive (button));
      if (wc_walkthrough_dialog_get_finished (dialog))
        g_assert_cmpstr (action, ==, "window.close");
      else
        g_assert_true (g_str_has_prefix (action, "walkthrough."));
      if (g_str_equal (action, "walkthrough.next") || g_str_equal (action, "walkthrough.apply")
          || g_str_equal (action, "walkthrough.done") || g_str_equal (action, "window.close"))
        way_on = TRUE;
    }
  g_assert_true (way_on);
}

static void
wait_not_busy (WcWalkthroughDialog *dialog)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  wc_test_ui_iterate ();
  while (wc_walkthrough_dialog_get_busy (dialog) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wc_walkthrough_dialog_get_busy (dialog));
  wc_test_ui_iterate ();
  assert_buttons_match (dialog);
}

static void
wait_checked (WcPrivacyView *view)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (wc_privacy_view_get_checking (view) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wc_privacy_view_get_checking (view));
}

static void
activate (WcWalkthroughDialog *dialog,
          const char          *action)
{
  /* A disabled action does nothing; the tests check what the dialog shows. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), action, NULL);
  wc_test_ui_iterate ();
  assert_buttons_match (dialog);
}

static gboolean
server_flag (Fixture    *f,
             const char *user,
             const char *member)
{
  g_autoptr(JsonObject) account = wc_mastodon_server_dup_account (f->server, user);

  return json_object_get_boolean_member (account, member);
}

static WcWalkthroughDialog *
open_for (Fixture   *f,
          WcAccount *account)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  WcWalkthroughDialog *dialog;

  g_ptr_array_add (accounts, account);
  dialog = wc_privacy_view_open_walkthrough (f->view, accounts);
  g_assert_nonnull (dialog);
  wait_not_busy (dialog);
  return dialog;
}

static const WcPrivacyStepRecord *
find_record (GPtrArray  *records,
             const char *step)
{
  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (((WcPrivacyStepRecord *) g_ptr_array_index (records, i))->step_id, step))
      return g_ptr_array_index (records, i);
  return NULL;
}

static void
test_view (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GArray) order = NULL;
  GPtrArray *findings;
  const char *summary;
  gboolean found_name = FALSE;

  wc_privacy_view_reload (f->view);
  order = wc_privacy_view_dup_account_order (f->view);
  g_assert_cmpuint (order->len, ==, have_keyring ? 3 : 1);
  g_assert_true (wc_privacy_view_get_banner_visible (f->view));

  /* Accounts never reviewed: the walkthrough is offered once, ever; the
   * banner keeps the offer after that. */
  {
    GSettings *settings = wc_application_get_settings (f->app);

    g_settings_set_boolean (settings, "onboarding-done", TRUE);
    g_assert_false (g_settings_get_boolean (settings, "walkthrough-offered"));
    wc_privacy_view_check_now (f->view);
    wait_checked (f->view);
    g_assert_true (g_settings_get_boolean (settings, "walkthrough-offered"));
  }
  summary = wc_privacy_view_get_account_summary (f->view, wc_account_get_id (f->facebook));
  g_assert_nonnull (strstr (summary, "0 of 7 settings as recommended"));
  g_assert_nonnull (strstr (summary, "7 steps not done"));
  g_assert_nonnull (strstr (summary, "Never reviewed"));

  /* The Facebook profile shows the professional real name. */
  findings = wc_privacy_view_get_findings (f->view);
  for (guint i = 0; i < findings->len; i++)
    {
      WcCrosslinkFinding *finding = g_ptr_array_index (findings, i);

      if (finding->account_id == wc_account_get_id (f->facebook) && finding->kind == WC_CROSSLINK_MENTION)
        found_name = TRUE;
    }
  g_assert_true (found_name);

  /* The view fits a phone (the header bar is the window's business). */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
}

static void
test_manual_steps_and_resume (Fixture       *f,
                              gconstpointer  data)
{
  WcWalkthroughDialog *dialog = open_for (f, f->facebook);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GArray) order = NULL;
  const WcPrivacyStepRecord *record;
  guint n_settings = 0;

  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "future-posts");
  g_assert_null (wc_walkthrough_dialog_get_current_value (dialog));
  /* A manual step cannot be applied by Whitecoat. */
  activate (dialog, "walkthrough.apply");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "future-posts");
  g_assert_null (wc_walkthrough_dialog_get_answer (dialog));
  activate (dialog, "walkthrough.done");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "limit-past-posts");
  activate (dialog, "walkthrough.skip");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "friend-requests");
  activate (dialog, "walkthrough.back");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "limit-past-posts");
  activate (dialog, "walkthrough.next");  /* not as recommended: nothing happens */
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "limit-past-posts");
  activate (dialog, "walkthrough.skip");
  activate (dialog, "walkthrough.done");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "friends-list");

  /* Closing keeps the place. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  dialog = open_for (f, f->facebook);
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "friends-list");
  g_assert_cmpuint (wc_walkthrough_dialog_get_step_index (dialog), ==, 3);
  for (guint i = 0; i < 4; i++)
    activate (dialog, "walkthrough.done");
  g_assert_true (wc_walkthrough_dialog_get_finished (dialog));

  records = wc_store_list_privacy_steps (f->store, wc_account_get_id (f->facebook), NULL);
  g_assert_cmpuint (records->len, ==, 7);
  record = find_record (records, "future-posts");
  g_assert_cmpint (record->outcome, ==, WC_PRIVACY_OUTCOME_DONE);
  g_assert_cmpstr (record->value, ==, "friends");
  g_assert_cmpint (record->at, >, 0);
  record = find_record (records, "limit-past-posts");
  g_assert_cmpint (record->outcome, ==, WC_PRIVACY_OUTCOME_SKIPPED);
  audit = wc_store_list_audit (f->store, NULL);
  for (guint i = 0; i < audit->len; i++)
    if (g_str_equal (((WcAuditEntry *) g_ptr_array_index (audit, i))->kind, "setting"))
      n_settings++;
  g_assert_cmpuint (n_settings, ==, 8);

  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  /* The view reloaded: 6 of 7, one step not done, reviewed today. */
  g_assert_nonnull (strstr (wc_privacy_view_get_account_summary (f->view, wc_account_get_id (f->facebook)),
                            "6 of 7 settings as recommended"));
  g_assert_nonnull (strstr (wc_privacy_view_get_account_summary (f->view, wc_account_get_id (f->facebook)),
                            "Last reviewed"));
  order = wc_privacy_view_dup_account_order (f->view);
  /* Worst first: the reviewed account comes last. */
  g_assert_cmpint (g_array_index (order, gint64, order->len - 1), ==, wc_account_get_id (f->facebook));
}

static void
test_mastodon_apply (Fixture       *f,
                     gconstpointer  data)
{
  WcWalkthroughDialog *dialog;
  g_autoptr(JsonObject) account = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  dialog = open_for (f, f->personal_masto);
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "locked");
  /* Read from the server: not locked. */
  g_assert_cmpstr (wc_walkthrough_dialog_get_current_value (dialog), ==, "off");
  g_assert_false (server_flag (f, "annie", "locked"));

  /* Locking needs no warning. */
  activate (dialog, "walkthrough.apply");
  wait_not_busy (dialog);
  g_assert_null (wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (server_flag (f, "annie", "locked"));
  g_assert_nonnull (strstr (wc_walkthrough_dialog_get_answer (dialog), "The server now reports: On"));
  activate (dialog, "walkthrough.next");

  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "discoverable");
  g_assert_cmpstr (wc_walkthrough_dialog_get_current_value (dialog), ==, "on");
  activate (dialog, "walkthrough.apply");
  wait_not_busy (dialog);
  g_assert_false (server_flag (f, "annie", "discoverable"));
  activate (dialog, "walkthrough.next");

  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "indexable");
  activate (dialog, "walkthrough.skip");
  g_assert_true (server_flag (f, "annie", "indexable"));

  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "hide-collections");
  activate (dialog, "walkthrough.apply");
  wait_not_busy (dialog);
  activate (dialog, "walkthrough.next");

  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "default-visibility");
  activate (dialog, "walkthrough.apply");
  wait_not_busy (dialog);
  activate (dialog, "walkthrough.next");
  account = wc_mastodon_server_dup_account (f->server, "annie");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (account, "source"), "privacy"),
                   ==, "private");
  g_assert_true (server_flag (f, "annie", "hide_collections"));

  /* Search engines: read through the API (on: indexable), changed on the web. */
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "search-engines");
  g_assert_cmpstr (wc_walkthrough_dialog_get_current_value (dialog), ==, "on");
  activate (dialog, "walkthrough.skip");
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "profile-links");
  activate (dialog, "walkthrough.done");
  g_assert_true (wc_walkthrough_dialog_get_finished (dialog));
}

static void
test_unlock_warns (Fixture       *f,
                   gconstpointer  data)
{
  WcWalkthroughDialog *dialog;
  AdwMessageDialog *warning;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  wc_mastodon_server_add_follow_requests (f->server, "jansen", 2);
  /* Professional: "Require follow requests" is recommended off. */
  dialog = open_for (f, f->professional_masto);
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "locked");
  g_assert_cmpstr (wc_walkthrough_dialog_get_current_value (dialog), ==, "on");

  activate (dialog, "walkthrough.apply");
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (warning), "2 people asked to follow"));
  /* Nothing was sent yet. */
  g_assert_true (server_flag (f, "jansen", "locked"));
  adw_message_dialog_response (warning, "cancel");
  wc_test_ui_iterate ();
  wait_not_busy (dialog);
  g_assert_true (server_flag (f, "jansen", "locked"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "jansen"), ==, 2);
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (dialog), ==, "locked");

  activate (dialog, "walkthrough.apply");
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (warning);
  adw_message_dialog_response (warning, "unlock");
  wc_test_ui_iterate ();
  wait_not_busy (dialog);
  g_assert_false (server_flag (f, "jansen", "locked"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "jansen"), ==, 0);
  g_assert_nonnull (strstr (wc_walkthrough_dialog_get_answer (dialog), "Off"));
}

static void
test_drift_notification (Fixture       *f,
                         gconstpointer  data)
{
  WcWalkthroughDialog *dialog;
  g_autoptr(WcMastodon) web = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  WcMastodonSettings elsewhere = WC_MASTODON_SETTINGS_INIT;
  const char *notification;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  dialog = open_for (f, f->personal_masto);
  activate (dialog, "walkthrough.apply");
  wait_not_busy (dialog);
  g_assert_true (server_flag (f, "annie", "locked"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();

  /* A second later someone unlocks the account on the web. */
  g_usleep (1100 * 1000);
  token = wc_mastodon_server_create_token (f->server, "annie", WC_MASTODON_SCOPES);
  web = wc_mastodon_new (f->personal_masto, NULL);
  wc_mastodon_set_access_token (web, token);
  elsewhere.locked = WC_TRISTATE_NO;
  wc_mastodon_update_settings_async (web, &elsewhere, NULL, store_result, &result);
  profile = wc_mastodon_update_settings_finish (web, await (&result), &error);
  g_assert_no_error (error);

  wc_privacy_view_check_now (f->view);
  wait_checked (f->view);
  notification = wc_privacy_view_get_last_notification (f->view);
  g_assert_nonnull (notification);
  g_assert_nonnull (strstr (notification, "Require follow requests"));
  /* And it reached the notification server. */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    gboolean seen = FALSE;

    while (!seen && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, FALSE);
        GPtrArray *notified = wc_test_ui_get_notifications ();

        for (guint i = 0; i < notified->len && !seen; i++)
          {
            WcTestNotification *n = g_ptr_array_index (notified, i);

            seen = g_str_has_suffix (n->summary, "A Privacy Setting Changed")
                   && g_str_has_prefix (n->body, "Changed since you set it");
          }
      }
    g_assert_true (seen);
  }
  g_assert_nonnull (strstr (wc_privacy_view_get_account_summary (f->view, wc_account_get_id (f->personal_masto)),
                            "Changed since you set it: Require follow requests"));
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-4, "probe", "probe", "probe", NULL, store_result, &stored);
  if (!wc_keyring_store_finish (await (&stored), NULL))
    return FALSE;
  wc_keyring_clear_async (-4, "probe", NULL, store_result, &cleared);
  return wc_keyring_clear_finish (await (&cleared), NULL);
}

#define ADD(path, func) \
  g_test_add ("/ui-privacy/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  ADD ("view", test_view);
  ADD ("manual-steps-and-resume", test_manual_steps_and_resume);
  ADD ("mastodon-apply", test_mastodon_apply);
  ADD ("unlock-warns", test_unlock_warns);
  ADD ("drift-notification", test_drift_notification);

  have_keyring = probe_keyring ();
  if (have_keyring)
    wc_test_ui_start_notification_server ();

  return g_test_run ();
}
