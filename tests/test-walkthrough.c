/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privacy walkthrough's definitions (every network has one, every step
 * names a rule and has a recommended value for both identities), invalid
 * definitions refused, outcomes stored with their dates and in the audit
 * log, scores, steps not done, resuming, review overdue and drift. */
#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "wc-network-catalog.h"
#include "wc-privacy-health.h"
#include "wc-store-privacy.h"
#include "wc-walkthrough.h"

#define NOW ((gint64) 1780000000)
#define DAY ((gint64) 24 * 60 * 60)

/* --- Definitions -------------------------------------------------------- */

static void
test_every_network (void)
{
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  GPtrArray *networks = wc_network_catalog_list (catalog);
  guint n_api = 0;

  g_assert_cmpuint (networks->len, >=, 10);
  for (guint n = 0; n < networks->len; n++)
    {
      WcNetworkInfo *info = g_ptr_array_index (networks, n);
      g_autoptr(GError) error = NULL;
      g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_load (wc_network_info_get_id (info), &error);
      g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
      gboolean has_visibility_or_search = FALSE;

      g_test_message ("network %s", wc_network_info_get_id (info));
      g_assert_no_error (error);
      g_assert_nonnull (walkthrough);
      g_assert_cmpstr (wc_walkthrough_get_network (walkthrough), ==, wc_network_info_get_id (info));
      g_assert_cmpuint (wc_walkthrough_get_n_steps (walkthrough), >=, 2);

      for (guint i = 0; i < wc_walkthrough_get_n_steps (walkthrough); i++)
        {
          const WcWalkthroughStep *step = wc_walkthrough_get_step (walkthrough, i);
          const WcWalkthroughRule *rule = wc_walkthrough_lookup_rule (step->rule);

          g_assert_true (g_hash_table_add (ids, step->id));
          g_assert_nonnull (rule);
          g_assert_cmpstr (rule->sources, !=, "");
          g_assert_cmpstr (wc_walkthrough_step_get_title (step), !=, "");
          g_assert_cmpstr (wc_walkthrough_step_get_why (step), !=, "");
          for (WcIdentityKind k = 0; k < WC_N_IDENTITIES; k++)
            g_assert_nonnull (wc_walkthrough_step_lookup_value (step, wc_walkthrough_step_get_recommended (step, k)));
          if (step->apply == WC_WALKTHROUGH_APPLY_API)
            {
              g_assert_cmpint (step->read, ==, WC_WALKTHROUGH_READ_API);
              n_api++;
            }
          else
            {
              g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, wc_network_info_get_id (info));
              g_autofree char *url = NULL;

              wc_account_set_handle (account, "@anna@med.example");
              wc_account_set_profile_url (account, "https://forum.example/u/anna");
              url = wc_walkthrough_expand_url (step->apply_url, account);
              g_assert_true (g_str_has_prefix (url, "https://"));
              g_assert_null (strchr (url, '{'));
            }
          if (g_str_equal (step->id, "search-engines") || strstr (step->id, "visib") != NULL
              || strstr (step->id, "private") != NULL || strstr (step->id, "protect") != NULL
              || strstr (step->id, "public") != NULL || g_str_equal (step->id, "locked"))
            has_visibility_or_search = TRUE;
        }
      g_assert_true (has_visibility_or_search);
    }
  /* Mastodon applies its flags and default visibility through the API,
   * Bluesky its logged-out label and default who-can-reply. */
  g_assert_cmpuint (n_api, ==, 7);
}

static void
test_bluesky_steps (void)
{
  g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_load ("bluesky", NULL);
  g_autoptr(WcAccountState) state = wc_account_state_new (3);
  const WcWalkthroughStep *logged_out;
  const WcWalkthroughStep *replies;
  g_autofree char *value = NULL;

  g_assert_nonnull (walkthrough);
  logged_out = wc_walkthrough_get_step (walkthrough, wc_walkthrough_find_step (walkthrough, "logged-out-visibility"));
  replies = wc_walkthrough_get_step (walkthrough, wc_walkthrough_find_step (walkthrough, "reply-default"));
  g_assert_cmpint (logged_out->apply, ==, WC_WALKTHROUGH_APPLY_API);
  g_assert_cmpint (replies->apply, ==, WC_WALKTHROUGH_APPLY_API);
  g_assert_nonnull (strstr (logged_out->why, "request that apps may ignore"));

  /* Never read: nothing. */
  g_assert_null (wc_walkthrough_step_read_state (logged_out, state));
  state->taken_at = 1700000000;
  g_assert_null (wc_walkthrough_step_read_state (logged_out, state));
  g_assert_null (wc_walkthrough_step_read_state (replies, state));

  state->logged_out_restricted = WC_TRISTATE_YES;
  value = wc_walkthrough_step_read_state (logged_out, state);
  g_assert_cmpstr (value, ==, "on");
  g_clear_pointer (&value, g_free);

  /* The reply default lives in declared_settings. */
  state->declared_settings = g_strdup ("{\"reply-default\":\"following\"}");
  value = wc_walkthrough_step_read_state (replies, state);
  g_assert_cmpstr (value, ==, "following");
  g_clear_pointer (&value, g_free);
  g_free (state->declared_settings);
  state->declared_settings = g_strdup ("{\"reply-default\":3}");
  g_assert_null (wc_walkthrough_step_read_state (replies, state));
  g_free (state->declared_settings);
  state->declared_settings = g_strdup ("not json");
  g_assert_null (wc_walkthrough_step_read_state (replies, state));
}

static void
test_mastodon_steps (void)
{
  g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_load ("mastodon", NULL);
  const char *expected[] = { "locked", "discoverable", "indexable", "hide-collections",
                             "default-visibility", "search-engines", "profile-links" };
  const WcWalkthroughStep *locked;
  const WcWalkthroughStep *search;
  g_autoptr(WcAccountState) state = wc_account_state_new (1);
  g_autofree char *value = NULL;
  g_autofree char *search_value = NULL;

  g_assert_cmpuint (wc_walkthrough_get_n_steps (walkthrough), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (wc_walkthrough_find_step (walkthrough, expected[i]), ==, i);

  locked = wc_walkthrough_get_step (walkthrough, 0);
  g_assert_cmpstr (wc_walkthrough_step_get_recommended (locked, WC_IDENTITY_PERSONAL), ==, "on");
  /* Unlocking warns first, locking does not. */
  g_assert_true (wc_walkthrough_step_needs_confirm (locked, "on", "off"));
  g_assert_true (wc_walkthrough_step_needs_confirm (locked, NULL, "off"));
  g_assert_false (wc_walkthrough_step_needs_confirm (locked, "off", "on"));
  g_assert_false (wc_walkthrough_step_needs_confirm (locked, "off", "off"));

  /* Read through the API: nothing before the state was ever read. */
  g_assert_null (wc_walkthrough_step_read_state (locked, state));
  state->taken_at = NOW;
  state->locked = WC_TRISTATE_YES;
  state->noindex = WC_TRISTATE_YES;
  value = wc_walkthrough_step_read_state (locked, state);
  g_assert_cmpstr (value, ==, "on");
  /* "Include profile page in search engines" is the opposite of noindex. */
  search = wc_walkthrough_get_step (walkthrough, wc_walkthrough_find_step (walkthrough, "search-engines"));
  search_value = wc_walkthrough_step_read_state (search, state);
  g_assert_cmpstr (search_value, ==, "off");
  g_assert_cmpint (search->apply, ==, WC_WALKTHROUGH_APPLY_SETTINGS_PAGE);
}

static void
test_invalid_definitions (void)
{
  static const char * const bad[] = {
    /* no rule */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\",\"professional\":\"off\"},\"read\":{\"kind\":\"ask\"},"
    "\"apply\":{\"kind\":\"settings-page\",\"url\":\"https://x\"}}]}",
    /* an unknown rule */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"rule\":\"R99\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\",\"professional\":\"off\"},\"read\":{\"kind\":\"ask\"},"
    "\"apply\":{\"kind\":\"settings-page\",\"url\":\"https://x\"}}]}",
    /* no professional value */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"rule\":\"R8\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\"},\"read\":{\"kind\":\"ask\"},"
    "\"apply\":{\"kind\":\"settings-page\",\"url\":\"https://x\"}}]}",
    /* a recommended value that is not a value */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"rule\":\"R8\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\",\"professional\":\"maybe\"},\"read\":{\"kind\":\"ask\"},"
    "\"apply\":{\"kind\":\"settings-page\",\"url\":\"https://x\"}}]}",
    /* applied through an API field that does not exist */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"rule\":\"R8\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\",\"professional\":\"off\"},\"read\":{\"kind\":\"api\",\"field\":\"locked\"},"
    "\"apply\":{\"kind\":\"api\",\"field\":\"password\"}}]}",
    /* a settings page over plain http */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[{\"id\":\"a\",\"title\":\"T\",\"where\":\"\","
    "\"why\":\"W\",\"rule\":\"R8\",\"values\":[{\"id\":\"on\",\"label\":\"On\"},{\"id\":\"off\",\"label\":\"Off\"}],"
    "\"recommended\":{\"personal\":\"on\",\"professional\":\"off\"},\"read\":{\"kind\":\"ask\"},"
    "\"apply\":{\"kind\":\"settings-page\",\"url\":\"http://x\"}}]}",
    /* no steps */
    "{\"network\":\"x\",\"settings_url\":\"https://x\",\"steps\":[]}",
    "not json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_new_from_json (bad[i], -1, &error);

      g_assert_null (walkthrough);
      g_assert_nonnull (error);
    }
  g_assert_null (wc_walkthrough_load ("no-such-network", NULL));
}

/* --- Outcomes, scores and drift ----------------------------------------- */

typedef struct
{
  char      *dir;
  WcStore   *store;
  WcAccount *account;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("wc-walkthrough-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (path, &error);
  g_assert_no_error (error);
  f->account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  wc_account_set_handle (f->account, "@anna@med.example");
  wc_account_set_server (f->account, "https://med.example");
  wc_store_add_account (f->store, f->account, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (wc_store_get_path (f->store));

  g_assert_finalize_object (f->account);
  wc_store_close (f->store);
  g_assert_finalize_object (f->store);
  g_assert_true (wc_store_delete_database (path, NULL));
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
record (Fixture          *f,
        const char       *step,
        WcPrivacyOutcome  outcome,
        const char       *value,
        gint64            at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = g_strdup_printf ("Privacy walkthrough: %s → %s", step, value ? value : "-");

  g_assert_true (wc_store_record_privacy_step (f->store, f->account, step, outcome, value, at, summary, &error));
  g_assert_no_error (error);
}

static WcPrivacyHealth *
health (Fixture *f,
        int      n_crosslinks,
        gint64   now)
{
  g_autoptr(GError) error = NULL;
  WcPrivacyHealth *h = wc_privacy_health_load (f->store, f->account, n_crosslinks, now, 180, &error);

  g_assert_no_error (error);
  g_assert_nonnull (h);
  return h;
}

static gboolean
contains (GPtrArray  *ids,
          const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}

static void
test_outcomes_stored (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  guint n_settings = 0;

  record (f, "locked", WC_PRIVACY_OUTCOME_APPLIED, "on", NOW - 100);
  record (f, "search-engines", WC_PRIVACY_OUTCOME_DONE, "off", NOW - 90);
  record (f, "hide-collections", WC_PRIVACY_OUTCOME_SKIPPED, "off", NOW - 80);
  /* A later outcome replaces the earlier one of the same step. */
  record (f, "hide-collections", WC_PRIVACY_OUTCOME_DONE, "on", NOW - 70);

  records = wc_store_list_privacy_steps (f->store, wc_account_get_id (f->account), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  for (guint i = 0; i < records->len; i++)
    {
      WcPrivacyStepRecord *r = g_ptr_array_index (records, i);

      if (g_str_equal (r->step_id, "hide-collections"))
        {
          g_assert_cmpint (r->outcome, ==, WC_PRIVACY_OUTCOME_DONE);
          g_assert_cmpstr (r->value, ==, "on");
          g_assert_cmpint (r->at, ==, NOW - 70);
        }
      else if (g_str_equal (r->step_id, "locked"))
        {
          g_assert_cmpint (r->outcome, ==, WC_PRIVACY_OUTCOME_APPLIED);
          g_assert_cmpint (r->at, ==, NOW - 100);
        }
    }

  /* Every outcome is in the audit log, with the account and the identity. */
  audit = wc_store_list_audit (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      WcAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_str_equal (entry->kind, "setting"))
        {
          n_settings++;
          g_assert_cmpint (entry->account_id, ==, wc_account_get_id (f->account));
          g_assert_true (entry->has_identity);
          g_assert_cmpint (entry->identity, ==, WC_IDENTITY_PERSONAL);
          g_assert_true (g_str_has_prefix (entry->summary, "Privacy walkthrough: "));
        }
    }
  g_assert_cmpuint (n_settings, ==, 4);
}

static void
test_scores (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcPrivacyHealth) never = health (f, -1, NOW);
  g_autoptr(WcPrivacyHealth) partial = NULL;
  g_autoptr(WcPrivacyHealth) with_links = NULL;
  g_autoptr(WcPrivacyHealth) clean = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (never->n_steps, ==, 7);
  g_assert_cmpuint (never->n_as_recommended, ==, 0);
  g_assert_cmpuint (never->not_done->len, ==, 7);
  g_assert_cmpint (never->last_review, ==, 0);
  g_assert_false (never->review_overdue);

  /* Personal Mastodon: locked on, discoverable off, indexable off … */
  record (f, "locked", WC_PRIVACY_OUTCOME_APPLIED, "on", NOW - 500);
  record (f, "discoverable", WC_PRIVACY_OUTCOME_AS_RECOMMENDED, "off", NOW - 490);
  record (f, "indexable", WC_PRIVACY_OUTCOME_SKIPPED, "on", NOW - 480);  /* not as recommended */
  record (f, "default-visibility", WC_PRIVACY_OUTCOME_APPLIED, "private", NOW - 470);
  record (f, "search-engines", WC_PRIVACY_OUTCOME_DONE, "off", NOW - 460);
  partial = health (f, -1, NOW);
  g_assert_cmpuint (partial->n_as_recommended, ==, 4);
  g_assert_cmpuint (partial->not_done->len, ==, 3);
  g_assert_true (contains (partial->not_done, "indexable"));
  g_assert_true (contains (partial->not_done, "hide-collections"));
  g_assert_true (contains (partial->not_done, "profile-links"));
  g_assert_true (contains (partial->not_recommended, "indexable"));
  g_assert_cmpint (partial->last_review, ==, NOW - 460);
  text = wc_privacy_health_dup_score_text (partial);
  g_assert_cmpstr (text, ==, "4 of 7 settings as recommended");

  /* The cross-link step takes the audit's word. */
  with_links = health (f, 2, NOW);
  clean = health (f, 0, NOW);
  g_assert_cmpuint (with_links->n_as_recommended, ==, 4);
  g_assert_cmpuint (clean->n_as_recommended, ==, 5);

  /* Worst first. */
  g_assert_cmpint (wc_privacy_health_compare (never, partial), <, 0);
  g_assert_cmpint (wc_privacy_health_compare (partial, clean), <, 0);
  g_assert_cmpint (wc_privacy_health_compare (clean, never), >, 0);
}

static void
test_review_resume_overdue (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcPrivacyReview review = { wc_account_get_id (f->account), (char *) "indexable", NOW - 200 * DAY, 0 };
  g_autoptr(WcPrivacyReview) loaded = NULL;
  g_autoptr(WcPrivacyHealth) under_way = NULL;
  g_autoptr(WcPrivacyHealth) finished = NULL;
  g_autoptr(WcPrivacyHealth) later = NULL;

  g_assert_null (wc_store_load_privacy_review (f->store, wc_account_get_id (f->account), &error));
  g_assert_no_error (error);

  record (f, "locked", WC_PRIVACY_OUTCOME_APPLIED, "on", NOW - 200 * DAY);
  g_assert_true (wc_store_save_privacy_review (f->store, &review, &error));
  loaded = wc_store_load_privacy_review (f->store, wc_account_get_id (f->account), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->current_step, ==, "indexable");
  g_assert_cmpint (loaded->started_at, ==, NOW - 200 * DAY);
  g_assert_cmpint (loaded->finished_at, ==, 0);

  under_way = health (f, -1, NOW);
  g_assert_cmpstr (under_way->resume_step, ==, "indexable");
  /* Its last outcome was 200 days ago: more than 180. */
  g_assert_true (under_way->review_overdue);

  review.current_step = NULL;
  review.finished_at = NOW - 10 * DAY;
  g_assert_true (wc_store_save_privacy_review (f->store, &review, &error));
  finished = health (f, -1, NOW);
  g_assert_null (finished->resume_step);
  g_assert_cmpint (finished->last_review, ==, NOW - 10 * DAY);
  g_assert_false (finished->review_overdue);

  later = health (f, -1, NOW + 171 * DAY);
  g_assert_true (later->review_overdue);
}

static void
test_drift (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccountState) state = wc_account_state_new (wc_account_get_id (f->account));
  g_autoptr(WcPrivacyHealth) before = NULL;
  g_autoptr(WcPrivacyHealth) same = NULL;
  g_autoptr(WcPrivacyHealth) drifted = NULL;

  record (f, "locked", WC_PRIVACY_OUTCOME_APPLIED, "on", NOW - 1000);
  record (f, "default-visibility", WC_PRIVACY_OUTCOME_APPLIED, "private", NOW - 1000);
  /* An answer the user gave is not read through the API: it cannot drift. */
  record (f, "profile-links", WC_PRIVACY_OUTCOME_DONE, "separate", NOW - 1000);

  /* A state read before the outcome says nothing about drift. */
  state->taken_at = NOW - 2000;
  state->locked = WC_TRISTATE_NO;
  state->default_visibility = g_strdup ("public");
  g_assert_true (wc_store_save_account_state (f->store, state, &error));
  g_assert_no_error (error);
  before = health (f, -1, NOW);
  g_assert_cmpuint (before->drifted->len, ==, 0);
  g_assert_cmpuint (before->n_as_recommended, ==, 3);

  /* Read again later, as applied. */
  state->taken_at = NOW - 500;
  state->locked = WC_TRISTATE_YES;
  g_free (state->default_visibility);
  state->default_visibility = g_strdup ("private");
  g_assert_true (wc_store_save_account_state (f->store, state, &error));
  same = health (f, -1, NOW);
  g_assert_cmpuint (same->drifted->len, ==, 0);

  /* Someone unlocked the account on the web. */
  state->taken_at = NOW - 100;
  state->locked = WC_TRISTATE_NO;
  g_assert_true (wc_store_save_account_state (f->store, state, &error));
  drifted = health (f, -1, NOW);
  g_assert_cmpuint (drifted->drifted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (drifted->drifted, 0), ==, "locked");
  g_assert_true (contains (drifted->not_recommended, "locked"));
  g_assert_cmpint (wc_privacy_health_compare (drifted, same), <, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/walkthrough/definitions/every-network", test_every_network);
  g_test_add_func ("/walkthrough/definitions/mastodon", test_mastodon_steps);
  g_test_add_func ("/walkthrough/definitions/bluesky", test_bluesky_steps);
  g_test_add_func ("/walkthrough/definitions/invalid", test_invalid_definitions);
  g_test_add ("/walkthrough/outcomes/stored-and-audited", Fixture, NULL, fixture_setup, test_outcomes_stored, fixture_teardown);
  g_test_add ("/walkthrough/health/scores", Fixture, NULL, fixture_setup, test_scores, fixture_teardown);
  g_test_add ("/walkthrough/health/review", Fixture, NULL, fixture_setup, test_review_resume_overdue, fixture_teardown);
  g_test_add ("/walkthrough/health/drift", Fixture, NULL, fixture_setup, test_drift, fixture_teardown);

  return g_test_run ();
}
