/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bluesky wired into the rest of Whitecoat, against the reference PDS and
 * the small app view (tests/servers/bluesky, Node), with a real store and
 * the real keyring, under Xvfb: the follower sync reads a Bluesky
 * account's followers and its logged-out visibility into the store; new
 * followers of a personal Bluesky account are screened in the Requests
 * view (a roster patient, a colleague who follows the professional
 * Bluesky account, a stranger), and block and mute reach the PDS, the
 * store's follow_requests and the audit log; the walkthrough's two
 * API-backed Bluesky steps are read and applied on the PDS. The server
 * tests skip when Node is missing. */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-bluesky.h"
#include "wc-composer.h"
#include "wc-connection.h"
#include "wc-follower-sync.h"
#include "wc-keyring.h"
#include "wc-privacy-settings.h"
#include "wc-requests-view.h"
#include "wc-roster.h"
#include "wc-store-requests.h"
#include "wc-test-bluesky.h"
#include "wc-test-ui.h"
#include "wc-walkthrough.h"
#include "wc-window.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6,
  7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2,
};

static WcTestBluesky *servers;
static char *skip_reason;
static gboolean tried_servers;
static gboolean have_keyring;
static guint account_counter;

typedef struct
{
  WcApplication *app;
  WcHasher      *hasher;
  WcStore       *store;
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

static gboolean
need_servers (void)
{
  if (!have_keyring)
    {
      g_test_skip ("No keyring on the session bus (run under build-aux/test or runtests.sh)");
      return FALSE;
    }
  if (!tried_servers)
    {
      tried_servers = TRUE;
      servers = wc_test_bluesky_start (&skip_reason);
    }
  if (servers == NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static WcTestBlueskyAccount *
new_account (const char *prefix)
{
  g_autofree char *name = g_strdup_printf ("%s%u-%x", prefix, ++account_counter, g_random_int () & 0xffff);

  return wc_test_bluesky_create_account (servers, name);
}

static void
set_profile (WcTestBlueskyAccount *who,
             const char           *display_name,
             const char           *description)
{
  g_autofree char *body = g_strdup_printf ("{\"repo\":\"%s\",\"collection\":\"app.bsky.actor.profile\",\"rkey\":\"self\","
                                           "\"record\":{\"$type\":\"app.bsky.actor.profile\",\"displayName\":\"%s\","
                                           "\"description\":\"%s\"}}",
                                           who->did, display_name, description);
  guint status;
  g_autoptr(JsonNode) answer = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.repo.putRecord", NULL, body,
                                                     who->access_jwt, &status);

  g_assert_cmpuint (status, ==, 200);
}

static void
keyring_store (gint64      account_id,
               const char *kind,
               const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wc_keyring_store_async (account_id, kind, "Whitecoat test", secret, NULL, store_result, &result);
  g_assert_true (wc_keyring_store_finish (await (&result), &error));
  g_assert_no_error (error);
}

/* A stored, connected Bluesky account, signed in with its app password
 * as the sign-in dialog does, its tokens in the keyring. */
static WcAccount *
add_account (Fixture              *f,
             WcIdentityKind        identity,
             WcTestBlueskyAccount *who)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskySession) session = NULL;
  WcAccount *account = wc_account_new (identity, "bluesky");

  wc_bluesky_sign_in_async (servers->session, who->handle, who->app_password, servers->pds, servers->plc,
                            NULL, store_result, &result);
  session = wc_bluesky_sign_in_finish (await (&result), &error);
  g_assert_no_error (error);
  wc_account_set_handle (account, session->handle);
  wc_account_set_server (account, session->pds_url);
  wc_account_set_remote_id (account, session->did);
  wc_account_set_connected_at (account, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  keyring_store (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN, session->access_jwt);
  keyring_store (wc_account_get_id (account), WC_SECRET_REFRESH_TOKEN, session->refresh_jwt);
  return account;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcIdentity) professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);

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
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) cleared = NULL;

  wc_test_ui_destroy_toplevels ();
  /* Each test that needs a notification server starts its own. */
  if (wc_test_ui_notification_server_is_running ())
    {
      wc_test_ui_stop_notification_server ();
      wc_test_ui_clear_notifications ();
    }
  if (have_keyring)
    {
      wc_keyring_clear_async (-1, NULL, NULL, store_result, &cleared);
      wc_keyring_clear_finish (await (&cleared), NULL);
    }
  g_clear_pointer (&f->hasher, wc_hasher_unref);
  g_clear_object (&f->app);
}

static WcBluesky *
client_for (WcAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcNetwork *network;

  wc_connection_open_async (account, NULL, store_result, &result);
  network = wc_connection_open_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_true (WC_IS_BLUESKY (network));
  return WC_BLUESKY (network);
}

static void
set_restricted (WcBluesky *client,
                gboolean   restricted)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wc_bluesky_set_logged_out_restricted_async (client, restricted, NULL, store_result, &result);
  g_assert_true (wc_bluesky_set_logged_out_restricted_finish (client, await (&result), &error));
  g_assert_no_error (error);
}

static WcFollowerSnapshot *
sync_now (WcFollowerSync *sync,
          WcAccount      *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcFollowerSnapshot *snapshot;

  wc_follower_sync_refresh_async (sync, wc_account_get_id (account), NULL, store_result, &result);
  snapshot = wc_follower_sync_refresh_finish (sync, await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* --- The follower sync ---------------------------------------------------- */

static void
test_follower_sync (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) doc = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcFollowerSnapshot) stored = NULL;
  g_autoptr(WcAccountState) state = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const WcFollower *followers;
  guint n;

  if (!need_servers ())
    return;
  doc = new_account ("syncdoc");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(WcTestBlueskyAccount) fan = new_account ("syncfan");

      wc_test_bluesky_follow (servers, fan, doc->did);
      g_hash_table_add (expected, g_strdup (fan->handle));
    }
  account = add_account (f, WC_IDENTITY_PROFESSIONAL, doc);
  g_assert_true (wc_follower_sync_can_read (account));

  /* The label is set on the PDS; the sync must read it. */
  client = client_for (account);
  set_restricted (client, TRUE);

  sync = wc_follower_sync_new (f->store);
  wc_follower_sync_set_hasher (sync, f->hasher);
  snapshot = sync_now (sync, account);
  g_assert_true (wc_follower_snapshot_get_complete (snapshot));
  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (g_hash_table_remove (expected, followers[i].ref));
      g_assert_nonnull (followers[i].hash);
    }
  g_assert_cmpuint (g_hash_table_size (expected), ==, 0);
  /* No server configuration for Bluesky: its limits are fixed. */
  g_assert_false (wc_follower_sync_get_limits (sync, wc_account_get_id (account), NULL));

  /* Kept in the store, with the account's state. */
  stored = wc_store_load_follower_snapshot (f->store, wc_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  wc_follower_snapshot_get_followers (stored, &n);
  g_assert_cmpuint (n, ==, 3);
  state = wc_store_load_account_state (f->store, wc_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
  g_assert_cmpint (state->logged_out_restricted, ==, WC_TRISTATE_YES);
  g_assert_cmpint (state->followers_count, ==, 3);
  g_assert_cmpint (state->taken_at, >, 0);
  g_clear_pointer (&state, wc_account_state_free);
  g_clear_pointer (&snapshot, wc_follower_snapshot_unref);

  /* Lifted on the PDS: the next reading says so. */
  set_restricted (client, FALSE);
  snapshot = sync_now (sync, account);
  state = wc_store_load_account_state (f->store, wc_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_cmpint (state->logged_out_restricted, ==, WC_TRISTATE_NO);
}

/* --- New followers in the Requests view ---------------------------------- */

static void
wait_idle (WcRequestsView *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  wc_test_ui_iterate ();
  while (wc_requests_view_get_busy (view))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      wc_test_ui_wait (20);
    }
  wc_test_ui_iterate ();
}

static gboolean
lookup (WcRequestsView *view,
        const char     *handle,
        guint          *index)
{
  for (guint i = 0; i < wc_requests_view_get_n_requests (view); i++)
    if (g_strcmp0 (wc_requests_view_get_request_handle (view, i), handle) == 0)
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

static guint
find (WcRequestsView *view,
      const char     *handle)
{
  guint index = 0;

  g_assert_true (lookup (view, handle, &index));
  return index;
}

static GPtrArray *
request_audit (Fixture *f)
{
  g_autoptr(GPtrArray) all = wc_store_list_audit (f->store, NULL);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_audit_entry_free);

  for (guint i = 0; i < all->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (all, i);

      if (g_strcmp0 (entry->kind, "request") == 0)
        g_ptr_array_add (entries, g_ptr_array_steal_index (all, i--));
    }
  return entries;
}

static guint
count_request_audit (Fixture *f)
{
  g_autoptr(GPtrArray) entries = request_audit (f);

  return entries->len;
}

static guint
count_records (const char *did,
               const char *collection)
{
  g_autofree char *query = g_strdup_printf ("repo=%s&collection=%s&limit=100", did, collection);
  guint status;
  g_autoptr(JsonNode) answer = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.listRecords", query,
                                                     NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "records"));
}

static char *
dup_answer (Fixture    *f,
            WcAccount  *account,
            const char *did)
{
  g_autoptr(WcFollowRequestRecord) record = wc_store_load_follow_request (f->store, wc_account_get_id (account),
                                                                          did, NULL);

  if (record == NULL || record->answered_at <= 0)
    return NULL;
  return g_strdup (record->answer);
}

static void
test_new_followers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) eva = NULL;
  g_autoptr(WcTestBlueskyAccount) drsmit = NULL;
  g_autoptr(WcTestBlueskyAccount) anna = NULL;
  g_autoptr(WcTestBlueskyAccount) chris = NULL;
  g_autoptr(WcTestBlueskyAccount) sam = NULL;
  g_autoptr(WcAccount) personal = NULL;
  g_autoptr(WcAccount) professional = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *answer = NULL;
  GtkWindow *window;
  WcRequestsView *view;
  WcScreening *screening;
  guint before;

  if (!need_servers ())
    return;
  eva = new_account ("eva");
  drsmit = new_account ("drsmit");
  anna = new_account ("anna");
  chris = new_account ("chris");
  sam = new_account ("sam");
  set_profile (anna, "Jansen, Anna", "Loves dogs");
  set_profile (chris, "Chris de Wit", "Nurse, ICU");
  set_profile (sam, "Sam Stranger", "Birdwatcher");
  /* The colleague follows the professional account; all three follow the
   * personal one (Bluesky has no requests to approve). */
  wc_test_bluesky_follow (servers, chris, drsmit->did);
  wc_test_bluesky_follow (servers, anna, eva->did);
  wc_test_bluesky_follow (servers, chris, eva->did);
  wc_test_bluesky_follow (servers, sam, eva->did);

  personal = add_account (f, WC_IDENTITY_PERSONAL, eva);
  professional = add_account (f, WC_IDENTITY_PROFESSIONAL, drsmit);
  /* The warning about a patient is a desktop notification: something must
   * listen for it. */
  wc_test_ui_start_notification_server ();

  /* The view alone in a window of its own: only its own calls run. */
  window = GTK_WINDOW (gtk_window_new ());
  view = WC_REQUESTS_VIEW (wc_requests_view_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_set_default_size (window, 600, 800);
  wc_requests_view_set_application (view, f->app);
  gtk_window_present (window);
  wc_test_ui_iterate ();

  /* A personal Bluesky account is polled: the first check comes by
   * itself, a few seconds after the first frame. */
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (wc_requests_view_get_n_requests (view) == 0)
      {
        if (g_get_monotonic_time () >= deadline)
          g_test_message ("status: %s; busy %d; polling %d", wc_requests_view_get_status_text (view),
                          wc_requests_view_get_busy (view), wc_requests_view_get_polling (view));
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        wc_test_ui_wait (20);
      }
  }
  wait_idle (view);
  g_test_message ("status: %s", wc_requests_view_get_status_text (view));
  g_assert_true (wc_requests_view_get_polling (view));
  g_assert_cmpuint (wc_requests_view_get_n_requests (view), ==, 3);

  screening = wc_requests_view_get_request_screening (view, find (view, anna->handle));
  g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
  g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME));
  /* The professional Bluesky account's followers were read for this. */
  screening = wc_requests_view_get_request_screening (view, find (view, chris->handle));
  g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_FOLLOWS_PROFESSIONAL));
  g_assert_cmpint (wc_screening_get_verdict (screening), !=, WC_SCREENING_NO_SIGN);
  screening = wc_requests_view_get_request_screening (view, find (view, sam->handle));
  g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_NO_SIGN);
  /* The patient comes first, with the R2 banner and one notification. */
  g_assert_cmpstr (wc_requests_view_get_request_handle (view, 0), ==, anna->handle);
  g_assert_true (wc_requests_view_get_banner_visible (view));
  g_assert_nonnull (strstr (wc_requests_view_get_banner_text (view), "R2"));
  g_assert_cmpuint (wc_requests_view_get_n_notifications (view), ==, 1);

  /* Accept has no meaning here: refused, nothing recorded. */
  before = count_request_audit (f);
  wc_requests_view_answer (view, find (view, sam->handle), WC_REQUEST_ANSWER_ACCEPT, NULL);
  wait_idle (view);
  g_assert_true (lookup (view, sam->handle, NULL));
  g_assert_cmpuint (count_request_audit (f), ==, before);
  g_assert_null (dup_answer (f, personal, sam->did));

  /* Block the patient: a block record on the PDS, the answer kept by the
   * patient's DID, an audit entry without their name. */
  g_assert_cmpuint (count_records (eva->did, "app.bsky.graph.block"), ==, 0);
  wc_requests_view_answer (view, find (view, anna->handle), WC_REQUEST_ANSWER_BLOCK, NULL);
  wait_idle (view);
  g_assert_false (lookup (view, anna->handle, NULL));
  g_assert_cmpuint (count_records (eva->did, "app.bsky.graph.block"), ==, 1);
  answer = dup_answer (f, personal, anna->did);
  g_assert_cmpstr (answer, ==, "block");
  g_clear_pointer (&answer, g_free);

  /* Mute the stranger: private, kept by the app view. */
  wc_requests_view_answer (view, find (view, sam->handle), WC_REQUEST_ANSWER_MUTE, NULL);
  wait_idle (view);
  g_assert_false (lookup (view, sam->handle, NULL));
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(WcBlueskySession) session = NULL;
    g_autoptr(JsonNode) mutes = NULL;
    JsonArray *list;
    guint status;

    wc_bluesky_sign_in_async (servers->session, eva->handle, eva->app_password, servers->pds, servers->plc,
                              NULL, store_result, &result);
    session = wc_bluesky_sign_in_finish (await (&result), &error);
    g_assert_no_error (error);
    mutes = wc_test_bluesky_xrpc (servers, "GET", "app.bsky.graph.getMutes", NULL, NULL, session->access_jwt,
                                  &status);
    g_assert_cmpuint (status, ==, 200);
    list = json_object_get_array_member (json_node_get_object (mutes), "mutes");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "did"), ==, sam->did);
  }
  /* Muting writes no public record. */
  g_assert_cmpuint (count_records (eva->did, "app.bsky.graph.block"), ==, 1);
  answer = dup_answer (f, personal, sam->did);
  g_assert_cmpstr (answer, ==, "mute");
  g_clear_pointer (&answer, g_free);

  audit = request_audit (f);
  g_assert_cmpuint (audit->len, ==, before + 2);
  for (guint i = 0; i < audit->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (audit, i);

      g_test_message ("audit: %s", entry->summary);
      g_assert_nonnull (strstr (entry->summary, "Bluesky"));
      g_assert_null (strstr (entry->summary, "Anna"));
      g_assert_null (strstr (entry->summary, anna->handle));
      g_assert_null (strstr (entry->summary, sam->handle));
      g_assert_true (entry->reason == NULL || strstr (entry->reason, "Jansen") == NULL);
      g_assert_cmpint (entry->account_id, ==, wc_account_get_id (personal));
    }
  g_assert_nonnull (strstr (((WcAuditEntry *) g_ptr_array_index (audit, audit->len - 1))->summary, "Muted"));
  g_clear_pointer (&audit, g_ptr_array_unref);

  /* Tagging the colleague as not a patient answers too. */
  wc_requests_view_answer (view, find (view, chris->handle), WC_REQUEST_ANSWER_TAG_NOT_PATIENT, NULL);
  wait_idle (view);
  g_assert_false (lookup (view, chris->handle, NULL));
  answer = dup_answer (f, personal, chris->did);
  g_assert_cmpstr (answer, ==, "tag-not-patient");
  g_assert_cmpuint (count_request_audit (f), ==, before + 3);

  /* Answered followers do not come back. */
  wc_requests_view_refresh (view);
  wait_idle (view);
  g_assert_cmpuint (wc_requests_view_get_n_requests (view), ==, 0);
  g_assert_false (wc_requests_view_get_banner_visible (view));
}

/* --- Reviewing the followers of a personal Bluesky account --------------- */

static void
collect_widget_texts (GtkWidget *widget,
                      GString   *labels,
                      GString   *buttons)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (labels, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (labels, '\n');
    }
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      g_string_append (buttons, gtk_button_get_label (GTK_BUTTON (widget)));
      g_string_append_c (buttons, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_texts (child, labels, buttons);
}

static gboolean
lookup_review (WcRequestsView *view,
               const char     *handle,
               guint          *index)
{
  for (guint i = 0; i < wc_requests_view_get_n_review (view); i++)
    if (g_strcmp0 (wc_requests_view_get_review_handle (view, i), handle) == 0)
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

static guint
find_review (WcRequestsView *view,
             const char     *handle)
{
  guint index = 0;

  g_assert_true (lookup_review (view, handle, &index));
  return index;
}

/* "Review followers" reads a personal Bluesky account's followers with
 * getFollowers and screens them as requests are screened: the roster
 * patient and the colleague who follows the professional account are
 * listed, the stranger is not. Bluesky cannot remove a follower: the
 * review says so and offers block and mute, which reach the PDS and the
 * app view, and are kept so the inbox does not list them again. */
static void
test_review_followers (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) eva = NULL;
  g_autoptr(WcTestBlueskyAccount) drsmit = NULL;
  g_autoptr(WcTestBlueskyAccount) anna = NULL;
  g_autoptr(WcTestBlueskyAccount) chris = NULL;
  g_autoptr(WcTestBlueskyAccount) sam = NULL;
  g_autoptr(WcAccount) personal = NULL;
  g_autoptr(WcAccount) professional = NULL;
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autoptr(GString) buttons = g_string_new (NULL);
  g_autofree char *answer = NULL;
  GtkWindow *window;
  WcRequestsView *view;
  guint before;

  if (!need_servers ())
    return;
  eva = new_account ("reva");
  drsmit = new_account ("rsmit");
  anna = new_account ("ranna");
  chris = new_account ("rchris");
  sam = new_account ("rsam");
  set_profile (anna, "Jansen, Anna", "Loves dogs");
  set_profile (chris, "Chris de Wit", "Nurse, ICU");
  set_profile (sam, "Sam Stranger", "Birdwatcher");
  wc_test_bluesky_follow (servers, chris, drsmit->did);
  wc_test_bluesky_follow (servers, anna, eva->did);
  wc_test_bluesky_follow (servers, chris, eva->did);
  wc_test_bluesky_follow (servers, sam, eva->did);

  personal = add_account (f, WC_IDENTITY_PERSONAL, eva);
  professional = add_account (f, WC_IDENTITY_PROFESSIONAL, drsmit);
  /* Who follows the professional account, kept in the store. */
  sync = wc_follower_sync_new (f->store);
  wc_follower_sync_set_hasher (sync, f->hasher);
  snapshot = sync_now (sync, professional);
  wc_test_ui_start_notification_server ();

  window = GTK_WINDOW (gtk_window_new ());
  view = WC_REQUESTS_VIEW (wc_requests_view_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_set_default_size (window, 600, 800);
  wc_requests_view_set_application (view, f->app);
  gtk_window_present (window);
  wc_test_ui_iterate ();

  wc_requests_view_review_followers (view);
  wait_idle (view);
  g_assert_cmpuint (wc_requests_view_get_n_review (view), ==, 2);
  g_assert_true (lookup_review (view, anna->handle, NULL));
  g_assert_true (lookup_review (view, chris->handle, NULL));
  g_assert_false (lookup_review (view, sam->handle, NULL));
  /* The patient first. */
  g_assert_cmpstr (wc_requests_view_get_review_handle (view, 0), ==, anna->handle);

  /* What the network cannot do is said, not offered. */
  collect_widget_texts (GTK_WIDGET (view), labels, buttons);
  g_test_message ("buttons: %s", buttons->str);
  g_assert_nonnull (strstr (labels->str, "2 followers of personal accounts may be patients."));
  g_assert_nonnull (strstr (labels->str, "Bluesky cannot remove a follower."));
  g_assert_null (strstr (buttons->str, "_Remove from Followers"));
  g_assert_nonnull (strstr (buttons->str, "_Block"));
  g_assert_nonnull (strstr (buttons->str, "_Mute"));
  g_assert_nonnull (strstr (buttons->str, "Tag as Pa_tient"));

  /* Asked anyway, removing is refused: nothing happens, nothing is kept. */
  before = count_request_audit (f);
  wc_requests_view_answer_review (view, find_review (view, chris->handle), WC_REQUEST_ANSWER_REMOVE_FOLLOWER);
  wait_idle (view);
  g_assert_true (lookup_review (view, chris->handle, NULL));
  g_assert_cmpuint (count_request_audit (f), ==, before);
  g_assert_null (dup_answer (f, personal, chris->did));

  /* Block the patient: a block record of Eva's naming Anna's DID. */
  g_assert_cmpuint (count_records (eva->did, "app.bsky.graph.block"), ==, 0);
  wc_requests_view_answer_review (view, find_review (view, anna->handle), WC_REQUEST_ANSWER_BLOCK);
  wait_idle (view);
  g_assert_false (lookup_review (view, anna->handle, NULL));
  g_assert_cmpuint (count_records (eva->did, "app.bsky.graph.block"), ==, 1);
  {
    g_autofree char *query = g_strdup_printf ("repo=%s&collection=app.bsky.graph.block&limit=10", eva->did);
    guint status;
    g_autoptr(JsonNode) list = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.listRecords", query,
                                                     NULL, NULL, &status);
    JsonObject *record = json_array_get_object_element (json_object_get_array_member (json_node_get_object (list),
                                                                                      "records"), 0);

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "value"), "subject"),
                     ==, anna->did);
  }
  answer = dup_answer (f, personal, anna->did);
  g_assert_cmpstr (answer, ==, "block");
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (count_request_audit (f), ==, before + 1);

  /* Mute the colleague: private, kept by the app view. */
  wc_requests_view_answer_review (view, find_review (view, chris->handle), WC_REQUEST_ANSWER_MUTE);
  wait_idle (view);
  g_assert_cmpuint (wc_requests_view_get_n_review (view), ==, 0);
  {
    guint status;
    g_autoptr(JsonNode) mutes = wc_test_bluesky_xrpc (servers, "GET", "app.bsky.graph.getMutes", NULL, NULL,
                                                      eva->access_jwt, &status);
    JsonArray *list;

    g_assert_cmpuint (status, ==, 200);
    list = json_object_get_array_member (json_node_get_object (mutes), "mutes");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "did"), ==, chris->did);
  }
  answer = dup_answer (f, personal, chris->did);
  g_assert_cmpstr (answer, ==, "mute");
  g_assert_cmpuint (count_request_audit (f), ==, before + 2);

  /* Answered in the review, they are not new followers to answer again. */
  wc_requests_view_refresh (view);
  wait_idle (view);
  g_assert_cmpuint (wc_requests_view_get_n_requests (view), ==, 1);
  g_assert_cmpstr (wc_requests_view_get_request_handle (view, 0), ==, sam->handle);
}

/* --- The account's default who-can-reply in the composer ---------------- */

static GtkToggleButton *
find_chip (WcComposer *composer,
           gint64      account_id)
{
  GtkFlowBox *targets = wc_composer_get_targets_box (composer);
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

/* The account's postInteractionSettingsPref, set on the PDS as the
 * official app sets it, is what a new draft to that account starts with:
 * "People you follow" in the composer and in the saved draft. A composer
 * that ignored it would stay at "Everyone". */
static void
test_composer_reply_default (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) eva = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcDraft) stored = NULL;
  WcWindow *window;
  WcComposer *composer;
  AdwComboRow *reply_row;
  WcDraftEditor *editor;
  gint64 deadline;
  gint64 draft_id;

  if (!need_servers ())
    return;
  eva = new_account ("reply");
  account = add_account (f, WC_IDENTITY_PERSONAL, eva);
  client = client_for (account);
  wc_bluesky_set_reply_default_async (client, WC_BLUESKY_REPLY_FOLLOWING, NULL, store_result, &result);
  g_assert_true (wc_bluesky_set_reply_default_finish (client, await (&result), &error));
  g_assert_no_error (error);

  wc_test_ui_unlock_data (f->app);
  wc_application_set_active_identity (f->app, WC_IDENTITY_PERSONAL);
  window = wc_window_new (f->app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  composer = wc_window_get_composer (window);
  wc_test_ui_wait (100);
  wc_test_ui_iterate ();

  gtk_toggle_button_set_active (find_chip (composer, wc_account_get_id (account)), TRUE);
  wc_test_ui_iterate ();
  reply_row = wc_composer_get_reply_row (composer);
  g_assert_nonnull (reply_row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reply_row)));

  /* Read from the PDS in the background. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (adw_combo_row_get_selected (reply_row) != WC_REPLY_POLICY_FOLLOWING)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      wc_test_ui_wait (20);
    }
  editor = wc_composer_get_editor (composer);
  g_assert_cmpint (wc_draft_get_reply_policy (wc_draft_editor_get_draft (editor)), ==, WC_REPLY_POLICY_FOLLOWING);

  /* Kept with the draft, as a choice of its own. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (wc_composer_get_text_view (composer)),
                            "Zondag de hele dag in de tuin.", -1);
  wc_test_ui_wait (WC_DRAFT_EDITOR_SAVE_DELAY_MS + 100);
  draft_id = wc_draft_get_id (wc_draft_editor_get_draft (editor));
  g_assert_cmpint (draft_id, >, 0);
  stored = wc_store_load_draft (f->store, draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_draft_get_reply_policy (stored), ==, WC_REPLY_POLICY_FOLLOWING);
}

/* --- The walkthrough's Bluesky steps -------------------------------------- */

static WcPrivacyReading *
read_settings (WcAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcPrivacyReading *reading;

  wc_privacy_settings_read_async (account, NULL, store_result, &result);
  reading = wc_privacy_settings_read_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reading);
  return reading;
}

static WcPrivacyReading *
apply_value (WcAccount               *account,
             const WcWalkthroughStep *step,
             const char              *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcPrivacyReading *reading;

  wc_privacy_settings_apply_async (account, step, value, NULL, store_result, &result);
  reading = wc_privacy_settings_apply_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reading);
  return reading;
}

static void
assert_step (const WcWalkthroughStep *step,
             const WcAccountState    *state,
             const char              *expected)
{
  g_autofree char *value = wc_walkthrough_step_read_state (step, state);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_walkthrough_steps (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) eva = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcPrivacyReading) reading = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) prefs = NULL;
  WcWalkthrough *walkthrough;
  const WcWalkthroughStep *logged_out, *replies;
  JsonArray *array;
  gboolean found = FALSE;
  guint status;

  walkthrough = wc_walkthrough_load ("bluesky", &error);
  g_assert_no_error (error);
  logged_out = wc_walkthrough_get_step (walkthrough, wc_walkthrough_find_step (walkthrough, "logged-out-visibility"));
  replies = wc_walkthrough_get_step (walkthrough, wc_walkthrough_find_step (walkthrough, "reply-default"));
  g_assert_cmpint (logged_out->apply, ==, WC_WALKTHROUGH_APPLY_API);
  g_assert_cmpint (replies->apply, ==, WC_WALKTHROUGH_APPLY_API);

  if (!need_servers ())
    return;
  eva = new_account ("walk");
  account = add_account (f, WC_IDENTITY_PERSONAL, eva);
  g_assert_true (wc_privacy_settings_can_read (account));

  /* A new account: shown to logged-out visitors, anybody may reply. */
  reading = read_settings (account);
  assert_step (logged_out, reading->state, "off");
  assert_step (replies, reading->state, "everybody");
  g_clear_pointer (&reading, wc_privacy_reading_free);

  /* Applied as recommended for a personal account; the reading is what
   * the PDS answers afterwards. */
  reading = apply_value (account, logged_out, wc_walkthrough_step_get_recommended (logged_out, WC_IDENTITY_PERSONAL));
  assert_step (logged_out, reading->state, "on");
  g_clear_pointer (&reading, wc_privacy_reading_free);
  reading = apply_value (account, replies, wc_walkthrough_step_get_recommended (replies, WC_IDENTITY_PERSONAL));
  assert_step (replies, reading->state, "following");
  assert_step (logged_out, reading->state, "on");
  /* Stored as the walkthrough dialog stores it, and read back. */
  g_assert_true (wc_store_save_account_state (f->store, reading->state, &error));
  g_assert_no_error (error);
  g_clear_pointer (&reading, wc_privacy_reading_free);
  {
    g_autoptr(WcAccountState) stored = wc_store_load_account_state (f->store, wc_account_get_id (account), &error);

    g_assert_no_error (error);
    assert_step (replies, stored, "following");
    assert_step (logged_out, stored, "on");
  }

  /* On the PDS itself: the label on the profile record, the preference. */
  {
    g_autofree char *query = g_strdup_printf ("repo=%s&collection=app.bsky.actor.profile&rkey=self", eva->did);
    g_autoptr(JsonNode) record = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.getRecord", query,
                                                       NULL, NULL, &status);
    g_autofree char *text = NULL;

    g_assert_cmpuint (status, ==, 200);
    text = json_to_string (record, FALSE);
    g_assert_nonnull (strstr (text, "!no-unauthenticated"));
  }
  prefs = wc_test_bluesky_xrpc (servers, "GET", "app.bsky.actor.getPreferences", NULL, NULL, eva->access_jwt,
                                &status);
  g_assert_cmpuint (status, ==, 200);
  array = json_object_get_array_member (json_node_get_object (prefs), "preferences");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *pref = json_array_get_object_element (array, i);
      JsonArray *rules;

      if (g_strcmp0 (json_object_get_string_member (pref, "$type"),
                     "app.bsky.actor.defs#postInteractionSettingsPref") != 0)
        continue;
      found = TRUE;
      rules = json_object_get_array_member (pref, "threadgateAllowRules");
      g_assert_cmpuint (json_array_get_length (rules), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rules, 0), "$type"), ==,
                       "app.bsky.feed.threadgate#followingRule");
    }
  g_assert_true (found);

  /* And back, to what a professional account is recommended. */
  reading = apply_value (account, logged_out, wc_walkthrough_step_get_recommended (logged_out, WC_IDENTITY_PROFESSIONAL));
  assert_step (logged_out, reading->state, "off");
  g_clear_pointer (&reading, wc_privacy_reading_free);
  reading = apply_value (account, replies, "nobody");
  assert_step (replies, reading->state, "nobody");
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
  int status;

  wc_test_ui_init (&argc, &argv);
  have_keyring = probe_keyring ();

  g_test_add ("/ui-bluesky-wiring/follower-sync", Fixture, NULL, fixture_setup, test_follower_sync,
              fixture_teardown);
  g_test_add ("/ui-bluesky-wiring/new-followers-screened", Fixture, NULL, fixture_setup, test_new_followers,
              fixture_teardown);
  g_test_add ("/ui-bluesky-wiring/review-followers", Fixture, NULL, fixture_setup, test_review_followers,
              fixture_teardown);
  g_test_add ("/ui-bluesky-wiring/composer-reply-default", Fixture, NULL, fixture_setup,
              test_composer_reply_default, fixture_teardown);
  g_test_add ("/ui-bluesky-wiring/walkthrough-steps", Fixture, NULL, fixture_setup, test_walkthrough_steps,
              fixture_teardown);

  status = g_test_run ();
  g_clear_pointer (&servers, wc_test_bluesky_stop);
  g_free (skip_reason);
  return status;
}
