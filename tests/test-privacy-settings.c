/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The walkthrough's Mastodon steps against the Mastodon test server, with
 * the token in the real keyring: reading the settings, applying every API
 * step (the round trip visible in the server's own state), what unlocking
 * does to pending requests (why the walkthrough warns), outcomes stored
 * with their dates, and drift when the setting is changed elsewhere. */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-privacy-health.h"
#include "wc-privacy-settings.h"
#include "wc-store-privacy.h"

static gboolean have_keyring;

typedef struct
{
  WcMastodonServer *server;
  char             *base;
  char             *token;
  char             *dir;
  WcStore          *store;
  WcAccount        *account;
  WcWalkthrough    *walkthrough;
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
  static const char * const fields[] = { "Blog", "https://annies-garden.example", NULL };
  WcMastodonUser user = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  f->server = wc_mastodon_server_new ();
  user.username = "annie";
  user.display_name = "Annie B";
  user.note = "Roses.";
  user.locked = FALSE;
  user.discoverable = TRUE;
  user.indexable = TRUE;
  user.hide_collections = FALSE;
  user.privacy = "public";
  user.fields = fields;
  id = wc_mastodon_server_add_user_full (f->server, &user);
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  f->token = wc_mastodon_server_create_token (f->server, "annie", WC_MASTODON_SCOPES);

  f->dir = g_dir_make_tmp ("wc-privacy-XXXXXX", &error);
  path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (path, &error);
  g_assert_no_error (error);
  f->account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  wc_account_set_server (f->account, f->base);
  wc_account_set_handle (f->account, "@annie@127.0.0.1");
  g_assert_true (wc_store_add_account (f->store, f->account, &error));
  g_assert_no_error (error);
  f->walkthrough = wc_walkthrough_load ("mastodon", &error);
  g_assert_no_error (error);

  if (have_keyring)
    {
      wc_keyring_store_async (wc_account_get_id (f->account), WC_SECRET_ACCESS_TOKEN, "Whitecoat test token",
                              f->token, NULL, store_result, &stored);
      g_assert_true (wc_keyring_store_finish (await (&stored), &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (wc_store_get_path (f->store));

  if (have_keyring)
    {
      g_autoptr(GAsyncResult) cleared = NULL;

      wc_keyring_clear_async (wc_account_get_id (f->account), NULL, NULL, store_result, &cleared);
      wc_keyring_clear_finish (await (&cleared), NULL);
    }
  g_clear_object (&f->walkthrough);
  g_assert_finalize_object (f->account);
  wc_store_close (f->store);
  g_assert_finalize_object (f->store);
  wc_store_delete_database (path, NULL);
  g_rmdir (f->dir);
  g_free (f->dir);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
  g_free (f->token);
}

static WcPrivacyReading *
read_settings (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_privacy_settings_read_async (f->account, NULL, store_result, &result);
  return wc_privacy_settings_read_finish (await (&result), error);
}

static WcPrivacyReading *
apply (Fixture    *f,
       const char *step_id,
       const char *value,
       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  int index = wc_walkthrough_find_step (f->walkthrough, step_id);

  g_assert_cmpint (index, >=, 0);
  wc_privacy_settings_apply_async (f->account, wc_walkthrough_get_step (f->walkthrough, index), value,
                                   NULL, store_result, &result);
  return wc_privacy_settings_apply_finish (await (&result), error);
}

static gboolean
server_flag (Fixture    *f,
             const char *member)
{
  g_autoptr(JsonObject) account = wc_mastodon_server_dup_account (f->server, "annie");

  return json_object_get_boolean_member (account, member);
}

static char *
server_privacy (Fixture *f)
{
  g_autoptr(JsonObject) account = wc_mastodon_server_dup_account (f->server, "annie");
  JsonObject *source = json_object_get_object_member (account, "source");

  return g_strdup (json_object_get_string_member (source, "privacy"));
}

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) reading = NULL;
  const char *expected[][2] = {
    { "locked", "off" }, { "discoverable", "on" }, { "indexable", "on" },
    { "hide-collections", "off" }, { "default-visibility", "public" }, { "search-engines", "on" },
  };

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  reading = read_settings (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reading->state->account_id, ==, wc_account_get_id (f->account));
  g_assert_cmpint (reading->state->taken_at, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const WcWalkthroughStep *step = wc_walkthrough_get_step (f->walkthrough,
                                                               wc_walkthrough_find_step (f->walkthrough, expected[i][0]));
      g_autofree char *value = wc_walkthrough_step_read_state (step, reading->state);

      g_assert_cmpstr (value, ==, expected[i][1]);
    }
  /* The profile for the cross-link audit. */
  g_assert_cmpstr (reading->profile->display_name, ==, "Annie B");
  g_assert_cmpuint (reading->profile->fields->len, ==, 1);
  g_assert_nonnull (reading->avatar_url);
}

static void
test_apply_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *privacy = NULL;
  g_autoptr(WcPrivacyHealth) health = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  /* Every step Whitecoat can apply, to the personal recommendation. */
  for (guint i = 0; i < wc_walkthrough_get_n_steps (f->walkthrough); i++)
    {
      const WcWalkthroughStep *step = wc_walkthrough_get_step (f->walkthrough, i);
      const char *target = wc_walkthrough_step_get_recommended (step, WC_IDENTITY_PERSONAL);
      g_autoptr(WcPrivacyReading) answer = NULL;
      g_autofree char *now = NULL;
      g_autofree char *summary = NULL;

      if (step->apply != WC_WALKTHROUGH_APPLY_API)
        continue;
      answer = apply (f, step->id, target, &error);
      g_assert_no_error (error);
      /* The server's answer already has the new value. */
      now = wc_walkthrough_step_read_state (step, answer->state);
      g_assert_cmpstr (now, ==, target);
      summary = g_strdup_printf ("Privacy walkthrough: %s set to %s", step->id, target);
      g_assert_true (wc_store_record_privacy_step (f->store, f->account, step->id, WC_PRIVACY_OUTCOME_APPLIED,
                                                   now, answer->state->taken_at - 1, summary, &error));
      g_assert_true (wc_store_save_account_state (f->store, answer->state, &error));
      g_assert_no_error (error);
    }

  /* The server's own state. */
  g_assert_true (server_flag (f, "locked"));
  g_assert_false (server_flag (f, "discoverable"));
  g_assert_false (server_flag (f, "indexable"));
  g_assert_true (server_flag (f, "hide_collections"));
  privacy = server_privacy (f);
  g_assert_cmpstr (privacy, ==, "private");

  health = wc_privacy_health_load (f->store, f->account, -1, g_get_real_time () / G_USEC_PER_SEC, 180, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (health->drifted->len, ==, 0);
  /* Five applied; "search-engines" follows from indexable on this server
   * (noindex = !indexable), so it is as recommended too. */
  g_assert_cmpuint (health->n_as_recommended, ==, 6);
}

static void
test_unlock_accepts_pending (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) locked = NULL;
  g_autoptr(WcPrivacyReading) unlocked = NULL;
  const WcWalkthroughStep *step;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  locked = apply (f, "locked", "on", &error);
  g_assert_no_error (error);
  wc_mastodon_server_add_follow_requests (f->server, "annie", 3);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "annie"), ==, 3);

  /* The walkthrough warns before this change, and not before locking. */
  step = wc_walkthrough_get_step (f->walkthrough, wc_walkthrough_find_step (f->walkthrough, "locked"));
  {
    g_autofree char *current = wc_walkthrough_step_read_state (step, locked->state);

    g_assert_true (wc_walkthrough_step_needs_confirm (step, current, "off"));
    g_assert_false (wc_walkthrough_step_needs_confirm (step, current, "on"));
  }

  /* What the warning is about: unlocking accepts every pending request. */
  unlocked = apply (f, "locked", "off", &error);
  g_assert_no_error (error);
  g_assert_false (server_flag (f, "locked"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "annie"), ==, 0);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "annie"), ==, 3);
}

static void
test_drift (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) applied = NULL;
  g_autoptr(WcPrivacyReading) later = NULL;
  g_autoptr(WcPrivacyHealth) health = NULL;
  g_autoptr(WcMastodon) web = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  WcMastodonSettings elsewhere = WC_MASTODON_SETTINGS_INIT;
  g_autofree char *value = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus");
      return;
    }

  applied = apply (f, "discoverable", "off", &error);
  g_assert_no_error (error);
  g_assert_true (wc_store_record_privacy_step (f->store, f->account, "discoverable", WC_PRIVACY_OUTCOME_APPLIED,
                                               "off", applied->state->taken_at - 10, "Privacy walkthrough: discoverable off",
                                               &error));

  /* Someone turns discovery back on, elsewhere. */
  web = wc_mastodon_new (f->account, NULL);
  wc_mastodon_set_access_token (web, f->token);
  elsewhere.discoverable = WC_TRISTATE_YES;
  wc_mastodon_update_settings_async (web, &elsewhere, NULL, store_result, &result);
  profile = wc_mastodon_update_settings_finish (web, await (&result), &error);
  g_assert_no_error (error);

  /* The daily check reads the settings again and stores what it read. */
  later = read_settings (f, &error);
  g_assert_no_error (error);
  value = wc_walkthrough_step_read_state (wc_walkthrough_get_step (f->walkthrough, 1), later->state);
  g_assert_cmpstr (value, ==, "on");
  g_assert_true (wc_store_save_account_state (f->store, later->state, &error));
  health = wc_privacy_health_load (f->store, f->account, -1, later->state->taken_at, 180, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (health->drifted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (health->drifted, 0), ==, "discoverable");
}

static void
test_manual_network (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");
  g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_load ("facebook", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) reading = NULL;

  wc_account_set_handle (facebook, "anna.b");
  g_assert_false (wc_privacy_settings_can_read (facebook));
  wc_privacy_settings_apply_async (facebook, wc_walkthrough_get_step (walkthrough, 0), "friends", NULL,
                                   store_result, &result);
  reading = wc_privacy_settings_apply_finish (await (&result), &error);
  g_assert_null (reading);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED);
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-3, "probe", "probe", "probe", NULL, store_result, &stored);
  if (!wc_keyring_store_finish (await (&stored), &error))
    {
      g_printerr ("# keyring probe failed: %s\n", error->message);
      return FALSE;
    }
  wc_keyring_clear_async (-3, "probe", NULL, store_result, &cleared);
  return wc_keyring_clear_finish (await (&cleared), NULL);
}

#define ADD(path, func) \
  g_test_add ("/privacy-settings/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("read", test_read);
  ADD ("apply-round-trip", test_apply_round_trip);
  ADD ("unlock-accepts-pending", test_unlock_accepts_pending);
  ADD ("drift", test_drift);
  ADD ("manual-network", test_manual_network);

  have_keyring = probe_keyring ();

  return g_test_run ();
}
