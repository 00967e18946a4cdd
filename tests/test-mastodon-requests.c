/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the requests inbox added to the Mastodon client, against the test
 * server: blocking (and its scope), followers with their ids page by page,
 * and the profile counts and dates that screening reads. */
#include "config.h"

#include <string.h>

#include "wc-mastodon-server.h"
#include "wc-mastodon.h"

typedef struct
{
  WcMastodonServer *server;
  SoupSession      *session;
  char             *base;
  WcAccount        *account;
  WcMastodon       *mastodon;
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
  g_autofree char *token = NULL;
  WcMastodonUser eva = { 0 };

  f->server = wc_mastodon_server_new ();
  wc_mastodon_server_set_now (f->server, 1772445600);
  eva.username = "eva";
  eva.locked = TRUE;
  g_free (wc_mastodon_server_add_user_full (f->server, &eva));
  g_free (wc_mastodon_server_add_user (f->server, "sam", NULL));
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  f->session = soup_session_new_with_options ("timeout", 20, NULL);
  f->account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  wc_account_set_server (f->account, f->base);
  f->mastodon = wc_mastodon_new (f->account, f->session);
  token = wc_mastodon_server_create_token (f->server, "eva", data != NULL ? data : WC_MASTODON_SCOPES);
  wc_mastodon_set_access_token (f->mastodon, token);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->mastodon);
  g_clear_object (&f->account);
  g_clear_object (&f->session);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
}

static GPtrArray *
list_requests (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  wc_mastodon_list_follow_requests_async (f->mastodon, NULL, NULL, store_result, &result);
  accounts = wc_mastodon_list_follow_requests_finish (f->mastodon, await (&result), NULL, &error);
  g_assert_no_error (error);
  return accounts;
}

static void
test_block (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonRelationship) relationship = NULL;
  WcMastodonAccount *sam;

  wc_mastodon_server_follow (f->server, "sam", "eva");
  requests = list_requests (f);
  g_assert_cmpuint (requests->len, ==, 1);
  sam = g_ptr_array_index (requests, 0);
  /* What screening reads: counts and the account's age. */
  g_assert_cmpint (sam->statuses_count, ==, 0);
  g_assert_cmpint (sam->followers_count, ==, 0);
  g_assert_cmpint (sam->following_count, ==, 0);
  g_assert_cmpint (sam->created_at, >, 0);
  g_assert_cmpint (sam->created_at, <=, 1772445600);
  g_assert_cmpint (1772445600 - sam->created_at, <, 86400);

  wc_mastodon_block_async (f->mastodon, sam->id, NULL, store_result, &result);
  relationship = wc_mastodon_relationship_finish (f->mastodon, await (&result), &error);
  g_assert_no_error (error);
  g_assert_true (relationship->blocking);
  g_assert_false (relationship->requested_by);
  g_assert_true (wc_mastodon_server_is_blocking (f->server, "eva", "sam"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 0);
}

/* A token signed in before blocking was asked for cannot block: the
 * error says "forbidden", so the view can say to sign in again. */
static void
test_block_without_scope (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonRelationship) relationship = NULL;

  wc_mastodon_server_follow (f->server, "sam", "eva");
  requests = list_requests (f);
  wc_mastodon_block_async (f->mastodon, ((WcMastodonAccount *) g_ptr_array_index (requests, 0))->id,
                           NULL, store_result, &result);
  relationship = wc_mastodon_relationship_finish (f->mastodon, await (&result), &error);
  g_assert_null (relationship);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN);
  g_assert_false (wc_mastodon_server_is_blocking (f->server, "eva", "sam"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "eva"), ==, 1);
}

static void
test_list_followers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GAsyncResult) profile_result = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint pages = 0;

  wc_mastodon_server_add_followers (f->server, "eva", 170);
  wc_mastodon_verify_credentials_async (f->mastodon, NULL, store_result, &profile_result);
  profile = wc_mastodon_verify_credentials_finish (f->mastodon, await (&profile_result), &error);
  g_assert_no_error (error);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      g_autofree char *next = NULL;

      wc_mastodon_list_followers_async (f->mastodon, profile->id, cursor, NULL, store_result, &result);
      accounts = wc_mastodon_list_followers_finish (f->mastodon, await (&result), &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (accounts->len, <=, WC_MASTODON_FOLLOWERS_PER_PAGE);
      for (guint i = 0; i < accounts->len; i++)
        {
          WcMastodonAccount *account = g_ptr_array_index (accounts, i);

          g_assert_nonnull (account->id);
          g_assert_nonnull (strchr (account->acct, '@'));
          g_assert_true (g_hash_table_add (ids, g_strdup (account->id)));
        }
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 170);

  /* The ids act: one is removed from the followers. */
  {
    GHashTableIter iter;
    gpointer id;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(WcMastodonRelationship) relationship = NULL;

    g_hash_table_iter_init (&iter, ids);
    g_assert_true (g_hash_table_iter_next (&iter, &id, NULL));
    wc_mastodon_remove_from_followers_async (f->mastodon, id, NULL, store_result, &result);
    relationship = wc_mastodon_relationship_finish (f->mastodon, await (&result), &error);
    g_assert_no_error (error);
    g_assert_false (relationship->followed_by);
    g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "eva"), ==, 169);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/mastodon-requests/block", Fixture, NULL, fixture_setup, test_block, fixture_teardown);
  g_test_add ("/mastodon-requests/block-without-scope", Fixture,
              "read write:statuses write:media write:accounts read:follows write:follows",
              fixture_setup, test_block_without_scope, fixture_teardown);
  g_test_add ("/mastodon-requests/list-followers", Fixture, NULL, fixture_setup, test_list_followers,
              fixture_teardown);

  return g_test_run ();
}
