/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests view end to end, under Xvfb, against the Mastodon test
 * server and the real keyring: a locked personal account receives three
 * follow requests — a patient on the roster, a colleague who follows the
 * professional account, a stranger — and the verdicts, the banner citing
 * R2 and the notification must be right; every answer must reach the
 * server and the audit log, without a name in the log; the manual check
 * of a typed name; the review of followers; polling only with a personal
 * account that can have requests. With WC_SHOT_DIR set, it also saves
 * screenshots of the view with its banner (light, dark, 360 px). */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-preferences-window.h"
#include "wc-requests-view.h"
#include "wc-roster.h"
#include "wc-store-requests.h"
#include "wc-test-ui.h"
#include "wc-window.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6,
  7, 8, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4,
};

static gboolean have_keyring;

/* The notifications the view sends are read back from the notification
 * server of wc-test-ui.c, as "summary\nbody". */
static char *
dup_notification (guint n)
{
  WcTestNotification *notification = wc_test_ui_wait_notification (n);

  return g_strdup_printf ("%s\n%s", notification->summary, notification->body);
}

static void
wait_notifications (guint n)
{
  wc_test_ui_wait_notification (n);
}

typedef struct
{
  WcMastodonServer *server;
  char             *base;
  char             *host;
  WcApplication    *app;
  WcHasher         *hasher;
  WcStore          *store;
  WcWindow         *window;
  WcRequestsView   *view;
  gint64            personal_id;
  gint64            professional_id;
  GHashTable       *ids;    /* username → account id on the server */
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

static gint64
add_account (Fixture        *f,
             WcIdentityKind  identity,
             const char     *username,
             gboolean        connected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccount) account = wc_account_new (identity, "mastodon");
  g_autoptr(GAsyncResult) stored = NULL;
  g_autofree char *handle = g_strdup_printf ("@%s@%s", username, f->host);
  g_autofree char *token = wc_mastodon_server_create_token (f->server, username, WC_MASTODON_SCOPES);

  wc_account_set_handle (account, handle);
  wc_account_set_server (account, f->base);
  if (connected)
    wc_account_set_connected_at (account, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  if (!have_keyring)
    return wc_account_get_id (account);
  wc_keyring_store_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN, "Whitecoat test token", token,
                          NULL, store_result, &stored);
  g_assert_true (wc_keyring_store_finish (await (&stored), &error));
  g_assert_no_error (error);
  return wc_account_get_id (account);
}

static void
add_user (Fixture    *f,
          const char *username,
          const char *display_name,
          const char *note,
          gboolean    locked)
{
  WcMastodonUser user = { 0 };

  user.username = username;
  user.display_name = display_name;
  user.note = note;
  user.locked = locked;
  user.discoverable = TRUE;
  g_hash_table_insert (f->ids, g_strdup (username), wc_mastodon_server_add_user_full (f->server, &user));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* 0: no personal account; 1: one Whitecoat is signed in to; 2: one it
   * is not signed in to. */
  int personal = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(WcIdentity) professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);

  wc_test_ui_clear_notifications ();
  f->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->server = wc_mastodon_server_new ();
  add_user (f, "eva", "Eva", "", TRUE);
  add_user (f, "drsmit", "Dr. E. Smit", "Cardiologist", FALSE);
  add_user (f, "anna", "Jansen, Anna", "Loves dogs", FALSE);
  add_user (f, "chris", "Chris de Wit", "Nurse, ICU", FALSE);
  add_user (f, "sam", "Sam Stranger", "Birdwatcher", FALSE);
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  f->host = g_strdup (g_uri_get_host (uri));

  /* The colleague follows the professional account; all three ask to
   * follow the locked personal one. */
  wc_mastodon_server_follow (f->server, "chris", "drsmit");
  wc_mastodon_server_follow (f->server, "anna", "eva");
  wc_mastodon_server_follow (f->server, "chris", "eva");
  wc_mastodon_server_follow (f->server, "sam", "eva");
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 3);

  f->app = wc_test_ui_create_app ();
  wc_test_ui_reset_settings (wc_application_get_settings (f->app));
  g_settings_set_boolean (wc_application_get_settings (f->app), "onboarding-done", TRUE);
  f->hasher = wc_hasher_new (test_key, sizeof test_key);
  wc_application_set_hasher (f->app, f->hasher);
  f->store = wc_application_get_store (f->app);
  g_assert_nonnull (f->store);

  wc_identity_set_name (professional, "Dr. E. Smit");
  wc_identity_add_marker (professional, WC_MARKER_ORGANISATION, "St. Elsewhere Hospital");
  g_assert_true (wc_store_save_identity (f->store, professional, &error));
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, "Anna Jansen", NULL, NULL, &error));
  g_assert_no_error (error);

  if (personal > 0)
    f->personal_id = add_account (f, WC_IDENTITY_PERSONAL, "eva", personal == 1);
  f->professional_id = add_account (f, WC_IDENTITY_PROFESSIONAL, "drsmit", TRUE);

  f->window = wc_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (f->window), "requests");
  f->view = WC_REQUESTS_VIEW (wc_window_get_requests_view (f->window));
  wc_test_ui_iterate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) cleared = NULL;

  wc_test_ui_destroy_toplevels ();
  if (have_keyring)
    {
      wc_keyring_clear_async (-1, NULL, NULL, store_result, &cleared);
      wc_keyring_clear_finish (await (&cleared), NULL);
    }
  g_clear_pointer (&f->hasher, wc_hasher_unref);
  g_clear_object (&f->app);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
  g_free (f->host);
  g_clear_pointer (&f->ids, g_hash_table_unref);
}

static void
wait_idle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  wc_test_ui_iterate ();
  while (wc_requests_view_get_busy (f->view))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();
}

static void
refresh (Fixture *f)
{
  wc_requests_view_refresh (f->view);
  g_assert_true (wc_requests_view_get_busy (f->view));
  wait_idle (f);
}

static guint
find (Fixture    *f,
      const char *username)
{
  g_autofree char *acct = g_strdup_printf ("%s@%s", username, f->host);

  for (guint i = 0; i < wc_requests_view_get_n_requests (f->view); i++)
    if (g_strcmp0 (wc_requests_view_get_request_handle (f->view, i), acct) == 0)
      return i;
  g_error ("No request from %s", username);
}

static WcScreeningVerdict
verdict_of (Fixture    *f,
            const char *username)
{
  return wc_screening_get_verdict (wc_requests_view_get_request_screening (f->view, find (f, username)));
}

static GPtrArray *
request_audit (Fixture *f)
{
  g_autoptr(GPtrArray) all = wc_store_list_audit (f->store, NULL);
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_audit_entry_free);

  for (guint i = 0; i < all->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (all, i);

      if (g_strcmp0 (entry->kind, "request") == 0)
        g_ptr_array_add (requests, g_ptr_array_steal_index (all, i--));
    }
  return requests;
}

static guint
count_audit (Fixture *f)
{
  g_autoptr(GPtrArray) entries = request_audit (f);

  return entries->len;
}

static guint
count_statuses (Fixture *f)
{
  g_autoptr(JsonArray) statuses = wc_mastodon_server_dup_statuses (f->server, "eva");

  return json_array_get_length (statuses);
}

static guint
count_not_patients (Fixture *f)
{
  g_autoptr(GHashTable) set = wc_store_load_not_patients (f->store, NULL);

  return g_hash_table_size (set);
}

/* No audit entry names a person who asked. */
static void
assert_audit_clean (Fixture *f)
{
  g_autoptr(GPtrArray) entries = request_audit (f);
  const char *names[] = { "Anna", "Jansen", "anna@", "Chris", "chris@", "Sam", "sam@", "Pat Nobody" };

  for (guint i = 0; i < entries->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (entries, i);

      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        {
          if (strstr (entry->summary, names[n]) != NULL
              || (entry->reason != NULL && strstr (entry->reason, names[n]) != NULL))
            g_error ("The audit log names “%s”: %s / %s", names[n], entry->summary, entry->reason);
        }
    }
}

static gboolean
last_audit_has (Fixture    *f,
                const char *text)
{
  g_autoptr(GPtrArray) entries = request_audit (f);
  WcAuditEntry *entry;

  if (entries->len == 0)
    return FALSE;
  entry = g_ptr_array_index (entries, entries->len - 1);
  return strstr (entry->summary, text) != NULL;
}

static char *
dup_text_view_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      char *text = dup_text_view_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* The first button labelled @label under @widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_expander (GtkWidget  *widget,
               const char *subtitle_prefix)
{
  if (ADW_IS_EXPANDER_ROW (widget)
      && g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)), subtitle_prefix))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_expander (child, subtitle_prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row of the request from @username. */
static GtkWidget *
find_row (Fixture    *f,
          const char *username)
{
  g_autofree char *prefix = g_strdup_printf ("@%s@%s asks", username, f->host);
  GtkWidget *row = find_expander (GTK_WIDGET (f->view), prefix);

  g_assert_nonnull (row);
  return row;
}

static void
save_shot (GtkWidget  *window,
           const char *name)
{
  const char *dir = g_getenv ("WC_SHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  wc_test_ui_wait (600);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static GtkScrolledWindow *
find_scrolled (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
take_shots (Fixture *f)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (g_getenv ("WC_SHOT_DIR") == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 760);
  save_shot (GTK_WIDGET (f->window), "requests-light.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_shot (GTK_WIDGET (f->window), "requests-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  save_shot (GTK_WIDGET (f->window), "requests-360.png");
  wc_test_ui_assert_fits_width (GTK_WIDGET (f->window), 360);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 760);
  wc_test_ui_iterate ();
}

/* The three requests: verdicts, order, banner, notification; then every
 * answer, on the server and in the audit log. */
static void
test_inbox (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  GtkWindow *dialog;
  g_autofree char *message = NULL;
  g_autofree char *mention = g_strdup_printf ("@anna@%s", f->host);
  guint audit_before;

  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }

  g_assert_false (wc_requests_view_get_banner_visible (f->view));
  refresh (f);

  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);
  /* The patient on the roster ("Jansen, Anna" is "Anna Jansen"). */
  g_assert_cmpint (verdict_of (f, "anna"), ==, WC_SCREENING_LOOKS_LIKE);
  g_assert_true (wc_screening_has_signal (wc_requests_view_get_request_screening (f->view, find (f, "anna")),
                                          WC_SIGNAL_ROSTER_NAME));
  /* The colleague follows the professional account: the follower sync
   * read its followers (and its server's limits) and kept them. */
  g_assert_cmpint (verdict_of (f, "chris"), ==, WC_SCREENING_MAY_BE);
  g_assert_true (wc_screening_has_signal (wc_requests_view_get_request_screening (f->view, find (f, "chris")),
                                          WC_SIGNAL_FOLLOWS_PROFESSIONAL));
  snapshot = wc_store_load_follower_snapshot (f->store, f->professional_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_true (wc_follower_sync_get_limits (wc_application_get_follower_sync (f->app), f->professional_id, NULL));
  g_assert_cmpint (verdict_of (f, "sam"), ==, WC_SCREENING_NO_SIGN);
  /* The likeliest patient first. */
  g_assert_cmpuint (find (f, "anna"), ==, 0);
  g_assert_cmpuint (find (f, "sam"), ==, 2);

  /* The banner cites R2; one notification, not repeated by a new check. */
  g_assert_true (wc_requests_view_get_banner_visible (f->view));
  g_assert_nonnull (strstr (wc_requests_view_get_banner_text (f->view), "R2"));
  g_assert_null (strstr (wc_requests_view_get_banner_text (f->view), "Jansen"));
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
  wait_notifications (1);
  {
    g_autofree char *notification = dup_notification (wc_test_ui_get_notifications ()->len);
    g_autofree char *account = g_strdup_printf ("@eva@%s", f->host);

    g_assert_nonnull (strstr (notification, "Personal Account"));
    g_assert_nonnull (strstr (notification, "R2"));
    g_assert_nonnull (strstr (notification, account));
    /* It may show on a locked screen: no name of who asks. */
    g_assert_null (strstr (notification, "Anna"));
    g_assert_null (strstr (notification, "Jansen"));
  }
  /* Nothing was answered on its own. */
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 3);
  take_shots (f);
  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
  g_assert_cmpuint (count_audit (f), ==, 0);

  /* Decline and point: the dialog shows the message first; Cancel sends
   * nothing. */
  dialog = wc_requests_view_open_point_dialog (f->view, find (f, "anna"));
  wc_test_ui_iterate ();
  message = dup_text_view_text (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, mention));
  g_assert_nonnull (strstr (message, "drsmit@"));
  save_shot (GTK_WIDGET (dialog), "requests-point-dialog.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 3);
  g_assert_cmpuint (count_statuses (f), ==, 0);

  /* … and Send sends it, privately, then declines. */
  dialog = wc_requests_view_open_point_dialog (f->view, find (f, "anna"));
  wc_test_ui_iterate ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  wait_idle (f);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 2);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 0);
  {
    g_autoptr(JsonArray) statuses = wc_mastodon_server_dup_statuses (f->server, "eva");
    JsonObject *status;

    g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
    status = json_array_get_object_element (statuses, 0);
    g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, "direct");
    g_assert_nonnull (strstr (json_object_get_string_member (status, "content"), "professional account"));
  }
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 2);
  g_assert_false (wc_requests_view_get_banner_visible (f->view));
  g_assert_true (last_audit_has (f, "pointed to the professional account"));
  g_assert_true (last_audit_has (f, "Looks like a patient"));

  /* The colleague: "not a patient" is remembered, then accepted. */
  audit_before = count_audit (f);
  wc_requests_view_answer (f->view, find (f, "chris"), WC_REQUEST_ANSWER_TAG_NOT_PATIENT, NULL);
  wait_idle (f);
  g_assert_cmpint (verdict_of (f, "chris"), ==, WC_SCREENING_NO_SIGN);
  g_assert_cmpuint (count_audit (f), ==, audit_before + 1);
  g_assert_cmpuint (count_not_patients (f), ==, 1);
  wc_requests_view_answer (f->view, find (f, "chris"), WC_REQUEST_ANSWER_ACCEPT, NULL);
  wait_idle (f);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 1);
  g_assert_true (last_audit_has (f, "Accepted a follow request"));

  /* The stranger is blocked. */
  wc_requests_view_answer (f->view, find (f, "sam"), WC_REQUEST_ANSWER_BLOCK, NULL);
  wait_idle (f);
  g_assert_true (wc_mastodon_server_is_blocking (f->server, "eva", "sam"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 0);
  g_assert_true (last_audit_has (f, "Blocked"));
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 0);

  /* A plain decline, of a request that came later. */
  wc_mastodon_server_add_follow_requests (f->server, "eva", 1);
  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 1);
  wc_requests_view_answer (f->view, 0, WC_REQUEST_ANSWER_DECLINE, NULL);
  wait_idle (f);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 0);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 1);
  g_assert_true (last_audit_has (f, "Declined a follow request"));

  /* The server's view agrees after a new check. */
  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 0);
  assert_audit_clean (f);
}

static WcFollowRequestRecord *
load_record (Fixture    *f,
             const char *username)
{
  g_autoptr(GError) error = NULL;
  WcFollowRequestRecord *record =
    wc_store_load_follow_request (f->store, f->personal_id, g_hash_table_lookup (f->ids, username), &error);

  g_assert_no_error (error);
  return record;
}

/* A warning is raised once per request, ever: Whitecoat restarted (a new
 * application, store and view on the same database) does not raise it
 * again, but does for a new request; answers are recorded. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WcFollowRequestRecord) anna = NULL;
  g_autoptr(WcFollowRequestRecord) sam = NULL;
  g_autoptr(WcFollowRequestRecord) pat = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }

  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
  wait_notifications (1);
  anna = load_record (f, "anna");
  g_assert_cmpint (anna->first_seen, >, 0);
  g_assert_cmpint (anna->notified_at, >, 0);
  g_assert_null (anna->answer);
  sam = load_record (f, "sam");
  g_assert_cmpint (sam->first_seen, >, 0);
  g_assert_cmpint (sam->notified_at, ==, 0);
  g_clear_pointer (&sam, wc_follow_request_record_free);

  wc_requests_view_answer (f->view, find (f, "sam"), WC_REQUEST_ANSWER_DECLINE, NULL);
  wait_idle (f);
  sam = load_record (f, "sam");
  g_assert_cmpstr (sam->answer, ==, "decline");
  g_assert_cmpint (sam->answered_at, >, 0);

  /* Restart. */
  wc_test_ui_destroy_toplevels ();
  f->view = NULL;
  f->window = NULL;
  wc_test_ui_iterate ();
  /* The database is closed, as at quitting; the old application object
   * stays registered on the bus until it is released. */
  wc_application_close_store (f->app);
  g_clear_object (&f->app);
  f->app = wc_test_ui_create_app ();
  wc_application_set_hasher (f->app, f->hasher);
  f->store = wc_application_get_store (f->app);
  g_assert_nonnull (f->store);
  /* The server's limits read before the restart are known at once. */
  g_assert_true (wc_follower_sync_get_limits (wc_application_get_follower_sync (f->app), f->professional_id, NULL));
  f->window = wc_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (f->window), "requests");
  f->view = WC_REQUESTS_VIEW (wc_window_get_requests_view (f->window));
  wc_test_ui_iterate ();

  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 2);
  g_assert_cmpint (verdict_of (f, "anna"), ==, WC_SCREENING_LOOKS_LIKE);
  /* Still shown in the banner, but no second notification. */
  g_assert_true (wc_requests_view_get_banner_visible (f->view));
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 0);
  wc_test_ui_wait (300);
  g_assert_cmpuint (wc_test_ui_get_notifications ()->len, ==, 1);

  /* A new patient asks: warned about. */
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, "Pat Patient", NULL, NULL, &error));
  g_assert_no_error (error);
  add_user (f, "pat", "Pat Patient", "", FALSE);
  wc_mastodon_server_follow (f->server, "pat", "eva");
  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
  wait_notifications (2);
  pat = load_record (f, "pat");
  g_assert_cmpint (pat->notified_at, >, 0);
  refresh (f);
  g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
}

/* The page shown by @app's window, or NULL without one. (Applications
 * of earlier tests stay registered, with windows of their own.) */
static const char *
visible_view (WcApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (WC_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return adw_view_stack_get_visible_child_name (wc_window_get_view_stack (l->data));
  return NULL;
}

/* Clicking the warning opens the Requests page: the notification server
 * says its default action was invoked, as GNOME Shell does; app.show-view
 * selects any page and opens a window when there is none. */
static void
test_notification_opens_requests (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  GActionGroup *actions = G_ACTION_GROUP (f->app);
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint id;

  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }

  g_assert_true (g_action_group_has_action (actions, "show-view"));
  g_assert_true (g_variant_type_equal (g_action_group_get_action_parameter_type (actions, "show-view"),
                                       G_VARIANT_TYPE_STRING));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (f->window), "compose");
  refresh (f);
  wait_notifications (1);
  id = wc_test_ui_wait_notification (wc_test_ui_get_notifications ()->len)->id;
  g_assert_cmpstr (visible_view (f->app), ==, "compose");

  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                 "ActionInvoked", g_variant_new ("(us)", id, "default"), &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_strcmp0 (visible_view (f->app), "requests") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_action_group_activate_action (actions, "show-view", g_variant_new_string ("accounts"));
  g_assert_cmpstr (visible_view (f->app), ==, "accounts");
  g_action_group_activate_action (actions, "show-view", g_variant_new_string ("no-such-page"));
  g_assert_cmpstr (visible_view (f->app), ==, "accounts");

  /* No window: one opens, at the page asked for. */
  wc_test_ui_destroy_toplevels ();
  f->window = NULL;
  f->view = NULL;
  g_assert_null (visible_view (f->app));
  g_action_group_activate_action (actions, "show-view", g_variant_new_string ("privacy"));
  wc_test_ui_iterate ();
  g_assert_cmpstr (visible_view (f->app), ==, "privacy");
}

/* "Someone asked on Facebook…", and the followers' review. */
static void
test_manual_and_review (Fixture       *f,
                        gconstpointer  data)
{
  WcScreening *screening;
  g_autofree char *chris = NULL;
  guint audit_before;

  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }

  wc_requests_view_check_typed (f->view, "facebook", "Jansen, Anna");
  screening = wc_requests_view_get_manual_screening (f->view);
  g_assert_nonnull (screening);
  g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
  g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME));
  g_assert_true (last_audit_has (f, "Checked a request typed in by hand"));
  g_assert_true (last_audit_has (f, "Facebook"));

  if (g_getenv ("WC_SHOT_DIR") != NULL)
    {
      GtkAdjustment *adjustment;

      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
      wc_test_ui_wait (300);
      adjustment = gtk_scrolled_window_get_vadjustment (find_scrolled (GTK_WIDGET (f->view)));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      save_shot (GTK_WIDGET (f->window), "requests-manual-360.png");
      gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 760);
    }

  wc_requests_view_check_typed (f->view, "linkedin", "Pat Nobody");
  g_assert_cmpint (wc_screening_get_verdict (wc_requests_view_get_manual_screening (f->view)), ==,
                   WC_SCREENING_NO_SIGN);
  /* Tag them: the next check of the same name says so. */
  wc_requests_view_tag_manual (f->view, WC_REQUEST_ANSWER_TAG_PATIENT);
  wc_requests_view_check_typed (f->view, "linkedin", "pat  NOBODY");
  g_assert_true (wc_screening_has_signal (wc_requests_view_get_manual_screening (f->view),
                                          WC_SIGNAL_TAGGED_PATIENT));
  g_assert_cmpint (wc_screening_get_verdict (wc_requests_view_get_manual_screening (f->view)), ==,
                   WC_SCREENING_LOOKS_LIKE);

  /* Accepting a likely patient on a personal account asks first. */
  refresh (f);
  {
    GtkWidget *accept = find_button (find_row (f, "anna"), "_Accept");
    AdwMessageDialog *dialog;

    g_assert_nonnull (accept);
    g_signal_emit_by_name (accept, "clicked");
    wc_test_ui_iterate ();
    dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "R2"));
    adw_message_dialog_response (dialog, "cancel");
    wait_idle (f);
    g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 0);
    g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);

    accept = find_button (find_row (f, "anna"), "_Accept");
    g_signal_emit_by_name (accept, "clicked");
    wc_test_ui_iterate ();
    dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    adw_message_dialog_response (dialog, "accept");
    wait_idle (f);
    g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 1);
    g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 2);
  }

  /* Accept the others, then review: the patient on the roster is found
   * among the followers and removed. */
  while (wc_requests_view_get_n_requests (f->view) > 0)
    {
      wc_requests_view_answer (f->view, 0, WC_REQUEST_ANSWER_ACCEPT, NULL);
      wait_idle (f);
    }
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 3);

  wc_requests_view_review_followers (f->view);
  wait_idle (f);
  /* Anna (roster) and Chris (follows the professional account); not Sam. */
  g_assert_cmpuint (wc_requests_view_get_n_review (f->view), ==, 2);
  chris = g_strdup_printf ("chris@%s", f->host);
  g_assert_cmpstr (wc_requests_view_get_review_handle (f->view, 1), ==, chris);

  if (g_getenv ("WC_SHOT_DIR") != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (find_scrolled (GTK_WIDGET (f->view)));

      wc_test_ui_wait (300);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      save_shot (GTK_WIDGET (f->window), "requests-review.png");
    }

  audit_before = count_audit (f);
  wc_requests_view_answer_review (f->view, 0, WC_REQUEST_ANSWER_REMOVE_FOLLOWER);
  wait_idle (f);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 2);
  g_assert_cmpuint (wc_requests_view_get_n_review (f->view), ==, 1);
  g_assert_cmpuint (count_audit (f), ==, audit_before + 1);
  g_assert_true (last_audit_has (f, "Removed a follower"));

  /* "Not a patient" takes Chris off the list at the next review. */
  wc_requests_view_answer_review (f->view, 0, WC_REQUEST_ANSWER_TAG_NOT_PATIENT);
  wc_requests_view_review_followers (f->view);
  wait_idle (f);
  g_assert_cmpuint (wc_requests_view_get_n_review (f->view), ==, 0);
  assert_audit_clean (f);
}

/* Polling runs after the first frame, and only with a personal account
 * that can have requests. */
static void
test_polling (Fixture       *f,
              gconstpointer  data)
{
  gboolean with_personal = GPOINTER_TO_INT (data) == 1;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }

  /* Nothing before the first frame's wait is over. */
  g_assert_false (wc_requests_view_get_busy (f->view));
  g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 0);
  if (with_personal)
    {
      while (wc_requests_view_get_n_requests (f->view) == 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
      wait_idle (f);
      g_assert_true (wc_requests_view_get_polling (f->view));
      g_assert_cmpuint (wc_requests_view_get_n_requests (f->view), ==, 3);
      g_assert_true (wc_requests_view_get_banner_visible (f->view));
      g_assert_cmpuint (wc_requests_view_get_n_notifications (f->view), ==, 1);
    }
  else
    {
      wc_test_ui_wait (5000);
      g_assert_false (wc_requests_view_get_polling (f->view));
      g_assert_false (wc_requests_view_get_busy (f->view));
      g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/follow_requests"), ==, 0);
    }
}

/* Closing the window while a check and an answer run. */
static void
test_close_while_busy (Fixture       *f,
                       gconstpointer  data)
{
  if (!have_keyring)
    {
      g_test_skip ("No keyring");
      return;
    }
  refresh (f);
  wc_mastodon_server_add_fault_full (f->server, "GET", "/api/v1/follow_requests", WC_MASTODON_FAULT_DELAY, 1, 300);
  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/follow_requests", WC_MASTODON_FAULT_DELAY, 1, 300);
  wc_requests_view_answer (f->view, find (f, "sam"), WC_REQUEST_ANSWER_DECLINE, NULL);
  wc_requests_view_refresh (f->view);
  g_assert_true (wc_requests_view_get_busy (f->view));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->view = NULL;
  wc_test_ui_wait (800);
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

static GtkSpinButton *
find_spin (GtkWidget *widget)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    return GTK_SPIN_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkSpinButton *found = find_spin (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences → Patients sets how often the view checks. */
static void
test_preference (Fixture       *f,
                 gconstpointer  data)
{
  WcPreferencesWindow *preferences = wc_preferences_window_new (f->app);
  GSettings *settings = wc_application_get_settings (f->app);
  GtkWidget *row;
  GtkSpinButton *spin;

  gtk_window_present (GTK_WINDOW (preferences));
  wc_test_ui_iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "requests-poll-minutes"), ==, 15);
  row = find_named (GTK_WIDGET (preferences), "requests-poll-minutes");
  g_assert_nonnull (row);
  spin = find_spin (row);
  g_assert_nonnull (spin);
  g_assert_cmpint ((int) gtk_spin_button_get_value (spin), ==, 15);
  gtk_spin_button_set_value (spin, 60);
  g_assert_cmpuint (g_settings_get_uint (settings, "requests-poll-minutes"), ==, 60);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-2, "probe", "probe", "probe", NULL, store_result, &stored);
  if (!wc_keyring_store_finish (await (&stored), &error))
    {
      g_printerr ("# keyring probe failed: %s\n", error->message);
      return FALSE;
    }
  wc_keyring_clear_async (-2, "probe", NULL, store_result, &cleared);
  return wc_keyring_clear_finish (await (&cleared), NULL);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);
  have_keyring = probe_keyring ();
  wc_test_ui_start_notification_server ();

  g_test_add ("/ui-requests/inbox", Fixture, GINT_TO_POINTER (1), fixture_setup, test_inbox, fixture_teardown);
  g_test_add ("/ui-requests/restart", Fixture, GINT_TO_POINTER (1), fixture_setup, test_restart,
              fixture_teardown);
  g_test_add ("/ui-requests/notification-opens-requests", Fixture, GINT_TO_POINTER (1), fixture_setup,
              test_notification_opens_requests, fixture_teardown);
  g_test_add ("/ui-requests/manual-and-review", Fixture, GINT_TO_POINTER (1), fixture_setup,
              test_manual_and_review, fixture_teardown);
  g_test_add ("/ui-requests/polling", Fixture, GINT_TO_POINTER (1), fixture_setup, test_polling,
              fixture_teardown);
  g_test_add ("/ui-requests/no-polling-without-personal", Fixture, GINT_TO_POINTER (0), fixture_setup,
              test_polling, fixture_teardown);
  g_test_add ("/ui-requests/close-while-busy", Fixture, GINT_TO_POINTER (1), fixture_setup, test_close_while_busy,
              fixture_teardown);
  g_test_add ("/ui-requests/preference", Fixture, GINT_TO_POINTER (0), fixture_setup, test_preference,
              fixture_teardown);
  g_test_add ("/ui-requests/no-polling-signed-out", Fixture, GINT_TO_POINTER (2), fixture_setup,
              test_polling, fixture_teardown);

  return g_test_run ();
}
