/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The follower sync service against the Mastodon test server, with a real
 * SQLite store and the real keyring: a reading interrupted after a few
 * pages resumes from the stored cursor after a "restart" (new store, new
 * service) without reading anyone twice; the finished list stays what the
 * audience reads while a new reading is unfinished; the server's limits and
 * the account state are kept; a withdrawn token marks the account as not
 * connected. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wc-follower-sync.h"
#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-store-connect.h"

static gboolean have_keyring;

typedef struct
{
  WcMastodonServer *server;
  char             *base;
  char             *alice_id;
  char             *token;
  char             *dir;
  char             *path;
  WcStore          *store;
  gint64            account_id;
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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *handle = NULL;

  f->server = wc_mastodon_server_new ();
  f->alice_id = wc_mastodon_server_add_user (f->server, "alice", NULL);
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  f->token = wc_mastodon_server_create_token (f->server, "alice", WC_MASTODON_SCOPES);
  uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);

  f->dir = g_dir_make_tmp ("wc-follower-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);

  handle = g_strdup_printf ("@alice@%s", g_uri_get_host (uri));
  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_handle (account, handle);
  wc_account_set_server (account, f->base);
  wc_account_set_remote_id (account, f->alice_id);
  wc_account_set_connected_at (account, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = wc_account_get_id (account);

  if (!have_keyring)
    return;
  wc_keyring_store_async (f->account_id, WC_SECRET_ACCESS_TOKEN, "test", f->token, NULL,
                          store_result, &stored);
  g_assert_true (wc_keyring_store_finish (await (&stored), &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (have_keyring)
    {
      g_autoptr(GAsyncResult) cleared = NULL;

      wc_keyring_clear_async (f->account_id, NULL, NULL, store_result, &cleared);
      wc_keyring_clear_finish (await (&cleared), NULL);
    }
  g_clear_object (&f->store);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->alice_id);
  g_free (f->token);
}

static WcFollowerSnapshot *
refresh (WcFollowerSync  *sync,
         gint64           account_id,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_follower_sync_refresh_async (sync, account_id, NULL, store_result, &result);
  return wc_follower_sync_refresh_finish (sync, await (&result), error);
}

typedef struct
{
  guint pages;
  guint stop_after;
} Pages;

static void
on_progress (WcFollowerSync *sync,
             gint64          account_id,
             guint           n_read,
             gint64          n_total,
             Pages          *pages)
{
  pages->pages++;
  if (pages->stop_after > 0 && pages->pages == pages->stop_after)
    wc_follower_sync_stop (sync);   /* as quitting Whitecoat does */
}

static guint
count_followers_requests (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%s/followers", f->alice_id);

  return wc_mastodon_server_count_requests (f->server, "GET", path);
}

static void
assert_each_once (WcFollowerSnapshot *snapshot,
                  guint               expected)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const WcFollower *followers;
  guint n = 0;

  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  g_assert_cmpuint (n, ==, expected);
  for (guint i = 0; i < n; i++)
    {
      g_assert_false (g_hash_table_contains (seen, followers[i].ref));
      g_hash_table_add (seen, (gpointer) followers[i].ref);
      g_assert_nonnull (followers[i].hash);
    }
}

static WcHasher *
test_hasher (void)
{
  guint8 key[WC_HASHER_KEY_SIZE];

  for (guint i = 0; i < sizeof key; i++)
    key[i] = i * 5 + 1;
  return wc_hasher_new (key, sizeof key);
}

static void
test_resume_after_restart (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(WcFollowerSync) again = NULL;
  g_autoptr(WcFollowerSnapshot) interrupted = NULL;
  g_autoptr(WcFollowerSnapshot) progress = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcFollowerSnapshot) loaded = NULL;
  g_autoptr(WcHasher) hasher = test_hasher ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  Pages first = { .stop_after = 3 };
  Pages second = { 0 };
  guint n = 0;

  if (!have_keyring)
    {
      g_test_skip ("no keyring");
      return;
    }

  wc_mastodon_server_add_followers (f->server, "alice", 500);   /* 7 pages of 80 */

  sync = wc_follower_sync_new (f->store);
  wc_follower_sync_set_hasher (sync, hasher);
  wc_follower_sync_set_checkpoint_interval (sync, 0);
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress), &first);
  interrupted = refresh (sync, f->account_id, &error);
  g_assert_null (interrupted);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (first.pages, ==, 3);
  g_assert_cmpuint (count_followers_requests (f), ==, 3);

  /* What was read is in the database, with the cursor; the audience has
   * no finished list yet but sees what there is. */
  progress = wc_store_load_follower_progress (f->store, f->account_id, &cursor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cursor);
  g_assert_true (g_str_has_prefix (cursor, f->base));
  wc_follower_snapshot_get_followers (progress, &n);
  g_assert_cmpuint (n, ==, 240);
  g_assert_cmpint (wc_follower_snapshot_get_followers_count (progress), ==, 500);

  /* "Restart": everything in memory goes; the database is opened anew. */
  g_assert_finalize_object (g_steal_pointer (&sync));
  g_clear_pointer (&progress, wc_follower_snapshot_unref);
  g_clear_pointer (&cursor, g_free);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);

  again = wc_follower_sync_new (f->store);
  wc_follower_sync_set_hasher (again, hasher);
  g_signal_connect (again, "progress", G_CALLBACK (on_progress), &second);
  snapshot = refresh (again, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);

  /* Only the remaining 4 pages were read, and nobody twice. */
  g_assert_cmpuint (second.pages, ==, 4);
  g_assert_cmpuint (count_followers_requests (f), ==, 7);
  g_assert_true (wc_follower_snapshot_get_complete (snapshot));
  assert_each_once (snapshot, 500);

  loaded = wc_store_load_follower_snapshot (f->store, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_true (wc_follower_snapshot_get_complete (loaded));
  assert_each_once (loaded, 500);
  progress = wc_store_load_follower_progress (f->store, f->account_id, &cursor, &error);
  g_assert_null (progress);
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (wc_store_get_followers_taken_at (f->store, f->account_id), >, 0);
}

static void
test_finished_list_stays (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(WcFollowerSnapshot) first = NULL;
  g_autoptr(WcFollowerSnapshot) interrupted = NULL;
  g_autoptr(WcFollowerSnapshot) loaded = NULL;
  g_autoptr(WcFollowerSnapshot) progress = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  Pages pages = { .stop_after = 2 };
  guint n = 0;

  if (!have_keyring)
    {
      g_test_skip ("no keyring");
      return;
    }

  wc_mastodon_server_add_followers (f->server, "alice", 200);
  sync = wc_follower_sync_new (f->store);
  wc_follower_sync_set_checkpoint_interval (sync, 0);
  first = refresh (sync, f->account_id, &error);
  g_assert_no_error (error);
  wc_follower_snapshot_get_followers (first, &n);
  g_assert_cmpuint (n, ==, 200);

  /* More followers; the next reading is interrupted after two pages. */
  wc_mastodon_server_add_followers (f->server, "alice", 100);
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress), &pages);
  interrupted = refresh (sync, f->account_id, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The audience still reads the finished list of 200, not the 160 so far. */
  loaded = wc_store_load_follower_snapshot (f->store, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_true (wc_follower_snapshot_get_complete (loaded));
  wc_follower_snapshot_get_followers (loaded, &n);
  g_assert_cmpuint (n, ==, 200);
  progress = wc_store_load_follower_progress (f->store, f->account_id, &cursor, &error);
  g_assert_no_error (error);
  wc_follower_snapshot_get_followers (progress, &n);
  g_assert_cmpuint (n, ==, 160);
}

static void
test_state_and_limits (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcAccountState) state = NULL;
  g_autoptr(GError) error = NULL;
  WcMastodonInstance limits = { 0 };

  if (!have_keyring)
    {
      g_test_skip ("no keyring");
      return;
    }

  wc_mastodon_server_set_max_characters (f->server, 1234);
  wc_mastodon_server_add_followers (f->server, "alice", 3);
  sync = wc_follower_sync_new (f->store);
  g_assert_false (wc_follower_sync_get_limits (sync, f->account_id, &limits));
  snapshot = refresh (sync, f->account_id, &error);
  g_assert_no_error (error);

  g_assert_true (wc_follower_sync_get_limits (sync, f->account_id, &limits));
  g_assert_cmpuint (limits.max_characters, ==, 1234);
  state = wc_store_load_account_state (f->store, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state->followers_count, ==, 3);
  g_assert_cmpint (state->locked, ==, WC_TRISTATE_NO);

  /* After a restart (a new store and service on the same file) the limits
   * are known before anything is read from the server. */
  g_clear_object (&sync);
  g_clear_object (&f->store);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(WcServerConfig) config = wc_store_load_server_config (f->store, "mastodon", f->base, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (config->limits.max_characters, ==, 1234);
    g_assert_cmpuint (config->limits.chars_per_url, ==, 23);
  }
  sync = wc_follower_sync_new (f->store);
  memset (&limits, 0, sizeof limits);
  g_assert_true (wc_follower_sync_get_limits (sync, f->account_id, &limits));
  g_assert_cmpuint (limits.max_characters, ==, 1234);
  g_assert_cmpuint (limits.chars_per_url, ==, 23);
  g_assert_false (wc_follower_sync_is_busy (sync, f->account_id));
}

static void
on_account_changed (WcFollowerSync *sync,
                    gint64          account_id,
                    gint64         *changed)
{
  *changed = account_id;
}

static void
test_withdrawn_token (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WcFollowerSync) sync = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 changed = -1;

  if (!have_keyring)
    {
      g_test_skip ("no keyring");
      return;
    }

  /* The keyring holds a token the server does not know. */
  wc_keyring_store_async (f->account_id, WC_SECRET_ACCESS_TOKEN, "test", "not-a-valid-token", NULL,
                          store_result, &stored);
  g_assert_true (wc_keyring_store_finish (await (&stored), NULL));

  sync = wc_follower_sync_new (f->store);
  g_signal_connect (sync, "account-changed", G_CALLBACK (on_account_changed), &changed);
  snapshot = refresh (sync, f->account_id, &error);
  g_assert_null (snapshot);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_assert_cmpint (changed, ==, f->account_id);

  account = wc_store_get_account (f->store, f->account_id, NULL);
  g_assert_false (wc_account_is_connected (account));
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

#define ADD(path, func) \
  g_test_add ("/follower-sync/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("resume-after-restart", test_resume_after_restart);
  ADD ("finished-list-stays", test_finished_list_stays);
  ADD ("state-and-limits", test_state_and_limits);
  ADD ("withdrawn-token", test_withdrawn_token);

  have_keyring = probe_keyring ();
  return g_test_run ();
}
