/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-audience-rings.h"
#include "wc-audience-view.h"
#include "wc-composer.h"
#include "wc-person-tag-popover.h"
#include "wc-test-ui.h"
#include "wc-window.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

#define PATIENT_REF   "maria@health.example"
#define PATIENT_NAME  "Maria Peters"

typedef struct
{
  WcApplication  *app;
  WcHasher       *hasher;
  WcStore        *store;
  WcWindow       *window;
  WcComposer     *composer;
  WcAudienceView *view;
  WcDraftEditor  *editor;
  gint64          account_id;
} Fixture;

static WcAudienceView *
find_audience_view (WcComposer *composer)
{
  GtkWidget *panel = GTK_WIDGET (wc_composer_get_side_panel (composer));

  for (GtkWidget *child = gtk_widget_get_first_child (panel);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (WC_IS_AUDIENCE_VIEW (child))
      return WC_AUDIENCE_VIEW (child);
  return NULL;
}

static char *
hash_of (Fixture    *fixture,
         const char *ref)
{
  return wc_hasher_hash_handle (fixture->hasher, ref);
}

static void
save_state (Fixture    *fixture,
            WcTristate  locked)
{
  g_autoptr(WcAccountState) state = wc_account_state_new (fixture->account_id);
  g_autoptr(GError) error = NULL;

  state->taken_at = g_get_real_time () / G_USEC_PER_SEC - 2 * 3600;
  state->locked = locked;
  state->discoverable = WC_TRISTATE_NO;
  state->indexable = WC_TRISTATE_NO;
  state->noindex = WC_TRISTATE_NO;
  state->followers_count = 312;
  g_assert_true (wc_store_save_account_state (fixture->store, state, &error));
  g_assert_no_error (error);
}

/* A personal Mastodon account with a stored state and three followers, one
 * of them tagged patient; the composer open on a new personal draft. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean with_snapshot = GPOINTER_TO_INT (data);
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autoptr(GError) error = NULL;

  fixture->app = wc_test_ui_create_app ();
  fixture->hasher = wc_hasher_new (test_key, sizeof test_key);
  wc_application_set_hasher (fixture->app, fixture->hasher);
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  wc_test_ui_unlock_data (fixture->app);

  wc_account_set_handle (account, "@annie@social.example");
  wc_account_set_server (account, "https://social.example");
  wc_account_set_display_name (account, "Annie");
  g_assert_true (wc_store_add_account (fixture->store, account, &error));
  g_assert_no_error (error);
  fixture->account_id = wc_account_get_id (account);

  if (with_snapshot)
    {
      g_autoptr(WcFollowerSnapshot) snapshot = NULL;
      g_autofree char *hash = NULL;

      save_state (fixture, WC_TRISTATE_NO);
      snapshot = wc_follower_snapshot_new (fixture->account_id, g_get_real_time () / G_USEC_PER_SEC - 2 * 3600 - 60);
      g_assert_true (wc_follower_snapshot_add_hashed (snapshot, fixture->hasher, PATIENT_REF, PATIENT_NAME));
      g_assert_true (wc_follower_snapshot_add_hashed (snapshot, fixture->hasher, "tom@social.example", "Tom"));
      g_assert_true (wc_follower_snapshot_add_hashed (snapshot, fixture->hasher, "lena@social.example", NULL));
      wc_follower_snapshot_set_complete (snapshot, TRUE);
      g_assert_true (wc_store_save_follower_snapshot (fixture->store, snapshot, &error));
      g_assert_no_error (error);

      hash = hash_of (fixture, PATIENT_REF);
      g_assert_true (wc_store_set_person_tag (fixture->store, hash, WC_PERSON_TAG_PATIENT, &error));
      g_assert_no_error (error);
    }

  wc_application_set_active_identity (fixture->app, WC_IDENTITY_PERSONAL);
  fixture->window = wc_window_new (fixture->app);
  fixture->composer = wc_window_get_composer (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wc_test_ui_iterate ();

  fixture->editor = wc_composer_get_editor (fixture->composer);
  g_assert_nonnull (fixture->editor);
  g_assert_true (wc_draft_editor_get_hasher (fixture->editor) == fixture->hasher);
  fixture->view = find_audience_view (fixture->composer);
  g_assert_nonnull (fixture->view);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wc_test_ui_destroy_toplevels ();
  g_clear_pointer (&fixture->hasher, wc_hasher_unref);
  g_clear_object (&fixture->app);
}

static void
set_visibility (Fixture    *fixture,
                const char *visibility)
{
  wc_draft_editor_set_target (fixture->editor, fixture->account_id, visibility);
  wc_draft_editor_check_now (fixture->editor);
  wc_test_ui_iterate ();
}

static gboolean
has_finding (Fixture    *fixture,
             const char *id)
{
  GPtrArray *findings = wc_draft_editor_get_findings (fixture->editor);

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (findings, i)), id))
      return TRUE;
  return FALSE;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static gboolean
flagged_in (WcAudience  *audience,
            WcRing       ring,
            const char  *name,
            WcPersonTag  tag)
{
  guint n = 0;
  const WcFlaggedPerson *flagged = wc_audience_get_flagged (audience, ring, &n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (flagged[i].name, name) && flagged[i].tag == tag)
      return TRUE;
  return FALSE;
}

/* The accessible text says what the picture shows, ring by ring. */
static void
assert_rings_match (WcAudienceRings *rings,
                    WcAudience      *audience)
{
  g_autofree char *label = g_strdup_printf ("Who can see this: %s", wc_audience_get_summary (audience));
  g_auto(GStrv) lines = g_strsplit (wc_audience_rings_get_description (rings), "\n", -1);

  g_assert_true (wc_audience_rings_get_audience (rings) == audience);
  g_assert_cmpstr (wc_audience_rings_get_label (rings), ==, label);
  g_assert_cmpuint (g_strv_length (lines), ==, WC_N_RINGS);
  for (int r = 0; r < WC_N_RINGS; r++)
    {
      g_autofree char *text = wc_audience_dup_ring_text (audience, r);

      g_assert_cmpstr (lines[r], ==, text);
    }
  gtk_test_accessible_assert_role (rings, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (rings, GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  gtk_test_accessible_assert_property (rings, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       wc_audience_rings_get_description (rings));
}

/* The picture alone: it builds, says in words what it draws, and keeps its
 * shape on a phone. */
static void
test_rings_widget (void)
{
  g_autoptr(WcHasher) hasher = wc_hasher_new (test_key, sizeof test_key);
  g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_snapshot_new (1, 1000);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(WcAudience) audience = NULL;
  g_autoptr(WcAudience) narrower = NULL;
  GtkWidget *window = gtk_window_new ();
  WcAudienceRings *rings = WC_AUDIENCE_RINGS (wc_audience_rings_new ());
  int minimum = 0, natural = 0;

  wc_follower_snapshot_add_hashed (snapshot, hasher, PATIENT_REF, PATIENT_NAME);
  wc_follower_snapshot_add_hashed (snapshot, hasher, "boss@hospital.example", "The Hospital");
  wc_follower_snapshot_set_complete (snapshot, TRUE);
  g_hash_table_insert (tags, wc_hasher_hash_handle (hasher, PATIENT_REF), GINT_TO_POINTER (WC_PERSON_TAG_PATIENT));
  g_hash_table_insert (tags, wc_hasher_hash_handle (hasher, "boss@hospital.example"),
                       GINT_TO_POINTER (WC_PERSON_TAG_EMPLOYER));
  audience = wc_audience_compute (NULL, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "public", NULL);
  narrower = wc_audience_compute (NULL, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "direct", NULL);

  /* Empty, it says so. */
  g_assert_cmpstr (wc_audience_rings_get_label (rings), ==, "Who can see this: not known yet");

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (rings));
  wc_audience_rings_set_audience (rings, audience);
  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();
  assert_rings_match (rings, audience);
  g_assert_true (flagged_in (audience, WC_RING_FOLLOWERS, PATIENT_NAME, WC_PERSON_TAG_PATIENT));
  g_assert_true (strstr (wc_audience_rings_get_description (rings), PATIENT_NAME) != NULL);

  /* The words follow the picture. */
  wc_audience_rings_set_audience (rings, narrower);
  wc_test_ui_iterate ();
  assert_rings_match (rings, narrower);
  g_assert_true (strstr (wc_audience_rings_get_description (rings), "Followers: not reached") != NULL);

  /* A fixed shape that fits a phone: never wider than 360 px asks for,
   * as tall as wide (plus the legend). */
  gtk_widget_measure (GTK_WIDGET (rings), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 320);
  gtk_widget_measure (GTK_WIDGET (rings), GTK_ORIENTATION_VERTICAL, 160, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, >=, 160);
  g_assert_cmpint (minimum, <, 160 + 120);
  gtk_widget_measure (GTK_WIDGET (rings), GTK_ORIENTATION_VERTICAL, 1000, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <, 400);

  gtk_window_destroy (GTK_WINDOW (window));
  wc_test_ui_iterate ();
}

static void
test_public_and_followers_only (Fixture       *fixture,
                                gconstpointer  data)
{
  WcAudienceRings *rings;
  WcAudience *audience;
  g_autofree char *text = NULL;
  g_autofree char *private_text = NULL;
  g_autofree char *locked_text = NULL;

  /* No target yet: the view says what to do. */
  g_assert_cmpuint (wc_audience_view_get_n_sections (fixture->view), ==, 0);
  wc_draft_editor_set_text (fixture->editor, "Lovely walk today");

  set_visibility (fixture, "public");
  g_assert_cmpuint (wc_audience_view_get_n_sections (fixture->view), ==, 1);
  g_assert_cmpint (wc_audience_view_get_section_account (fixture->view, 0), ==, fixture->account_id);
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  g_assert_nonnull (audience);
  rings = wc_audience_view_get_rings (fixture->view, fixture->account_id);
  g_assert_nonnull (rings);
  assert_rings_match (rings, audience);

  g_assert_cmpint (wc_audience_get_reach (audience, WC_RING_PUBLIC), ==, WC_REACH_YES);
  g_assert_true (flagged_in (audience, WC_RING_FOLLOWERS, PATIENT_NAME, WC_PERSON_TAG_PATIENT));
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 312);

  text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (text, wc_audience_get_summary (audience)));
  g_assert_nonnull (strstr (text, "Public: anyone"));
  g_assert_nonnull (strstr (text, "Followers\nReached · 312 people\n" PATIENT_NAME "\nPatient"));
  g_assert_nonnull (strstr (text, "Followers as of 2 hours ago"));
  g_assert_nonnull (strstr (text, "Mastodon · Public"));

  /* The audience's warnings are checks like the others. */
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));
  g_assert_true (has_finding (fixture, "audience.personal-public"));
  g_assert_cmpuint (count_rows (wc_composer_get_findings_list (fixture->composer)), >=, 2);

  /* Typing does not compute the audience again. */
  wc_draft_editor_set_text (fixture->editor, "Lovely walk today, again");
  wc_draft_editor_check_now (fixture->editor);
  g_assert_true (wc_draft_editor_get_audience (fixture->editor, fixture->account_id) == audience);

  /* Followers only, on an account that is not locked. */
  set_visibility (fixture, "private");
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  rings = wc_audience_view_get_rings (fixture->view, fixture->account_id);
  assert_rings_match (rings, audience);
  g_assert_cmpint (wc_audience_get_reach (audience, WC_RING_BOOSTERS), ==, WC_REACH_NO);
  g_assert_cmpint (wc_audience_get_reach (audience, WC_RING_PUBLIC), ==, WC_REACH_NO);
  private_text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (private_text, "Your account is not locked"));
  g_assert_nonnull (strstr (private_text, "Cannot be boosted."));
  g_assert_nonnull (strstr (private_text, "Mastodon · Followers"));
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));
  g_assert_false (has_finding (fixture, "audience.personal-public"));

  /* The network says the account is locked now. */
  save_state (fixture, WC_TRISTATE_YES);
  wc_application_notify_people_changed (fixture->app);
  wc_test_ui_iterate ();
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  locked_text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_null (strstr (locked_text, "Your account is not locked"));
  g_assert_true (flagged_in (audience, WC_RING_FOLLOWERS, PATIENT_NAME, WC_PERSON_TAG_PATIENT));
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));

  /* Only mentioned people: the patient no longer sees it. */
  set_visibility (fixture, "direct");
  g_assert_false (has_finding (fixture, "audience.tagged-in-personal"));

  /* No target, no section. */
  wc_draft_editor_remove_target (fixture->editor, fixture->account_id);
  wc_draft_editor_check_now (fixture->editor);
  g_assert_cmpuint (wc_audience_view_get_n_sections (fixture->view), ==, 0);
}

/* Never read: the view says so, and invents no number. */
static void
test_unknown_followers (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *text = NULL;
  WcAudience *audience;

  set_visibility (fixture, "public");
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, -1);
  text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (text, "Reached · number unknown"));
  g_assert_nonnull (strstr (text, "Followers not read yet"));
  g_assert_null (strstr (text, "Followers as of"));
  g_assert_false (has_finding (fixture, "audience.tagged-in-personal"));
}

static WcPersonTag
stored_tag (Fixture    *fixture,
            const char *ref,
            gboolean   *found)
{
  g_autoptr(GHashTable) tags = wc_store_load_person_tags (fixture->store, NULL);
  g_autofree char *hash = hash_of (fixture, ref);
  gpointer value = NULL;

  *found = g_hash_table_lookup_extended (tags, hash, NULL, &value);
  return GPOINTER_TO_INT (value);
}

/* Tagging from the preview: the store, the picture, the list and the
 * checks follow. */
static void
test_tag_from_preview (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkPopover *popover;
  gboolean found = FALSE;
  g_autofree char *colleague_text = NULL;
  g_autofree char *untagged_text = NULL;
  g_autofree char *retagged_text = NULL;

  set_visibility (fixture, "public");

  /* Patient → colleague */
  popover = wc_audience_view_get_tag_popover (fixture->view, fixture->account_id, PATIENT_REF);
  g_assert_true (WC_IS_PERSON_TAG_POPOVER (popover));
  wc_person_tag_popover_select_tag (WC_PERSON_TAG_POPOVER (popover), WC_PERSON_TAG_COLLEAGUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "tag.apply", NULL));
  wc_test_ui_iterate ();
  g_assert_cmpint (stored_tag (fixture, PATIENT_REF, &found), ==, WC_PERSON_TAG_COLLEAGUE);
  g_assert_true (found);
  g_assert_true (flagged_in (wc_draft_editor_get_audience (fixture->editor, fixture->account_id),
                             WC_RING_FOLLOWERS, PATIENT_NAME, WC_PERSON_TAG_COLLEAGUE));
  colleague_text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (colleague_text, PATIENT_NAME "\nColleague"));
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));

  /* Untag */
  popover = wc_audience_view_get_tag_popover (fixture->view, fixture->account_id, PATIENT_REF);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "tag.remove", NULL));
  wc_test_ui_iterate ();
  stored_tag (fixture, PATIENT_REF, &found);
  g_assert_false (found);
  untagged_text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_null (strstr (untagged_text, PATIENT_NAME));
  g_assert_null (wc_audience_view_get_tag_popover (fixture->view, fixture->account_id, PATIENT_REF));
  g_assert_false (has_finding (fixture, "audience.tagged-in-personal"));

  /* Tag someone by typing the handle, in any of its forms. */
  popover = wc_audience_view_get_tag_popover (fixture->view, fixture->account_id, NULL);
  g_assert_nonnull (popover);
  gtk_editable_set_text (wc_person_tag_popover_get_entry (WC_PERSON_TAG_POPOVER (popover)),
                         "@Maria@Health.example");
  wc_person_tag_popover_select_tag (WC_PERSON_TAG_POPOVER (popover), WC_PERSON_TAG_PATIENT);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "tag.apply", NULL));
  wc_test_ui_iterate ();
  g_assert_cmpint (stored_tag (fixture, PATIENT_REF, &found), ==, WC_PERSON_TAG_PATIENT);
  g_assert_true (found);
  retagged_text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (retagged_text, PATIENT_NAME "\nPatient"));
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));
}

/* A handle that is none is refused in words, and nothing is stored. */
static void
test_tag_invalid_handle (Fixture       *fixture,
                         gconstpointer  data)
{
  WcPersonTagPopover *popover;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = NULL;

  set_visibility (fixture, "public");
  popover = WC_PERSON_TAG_POPOVER (wc_audience_view_get_tag_popover (fixture->view, fixture->account_id, NULL));
  gtk_editable_set_text (wc_person_tag_popover_get_entry (popover), "not a handle");
  wc_person_tag_popover_select_tag (popover, WC_PERSON_TAG_PRESS);
  g_assert_false (wc_person_tag_popover_apply (popover, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  tags = wc_store_load_person_tags (fixture->store, NULL);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 1);
}

/* A tagged person mentioned in a direct post is in the innermost ring. */
static void
test_mentioned_patient (Fixture       *fixture,
                        gconstpointer  data)
{
  WcAudience *audience;
  g_autofree char *text = NULL;

  wc_draft_editor_set_text (fixture->editor, "See you Sunday, @" PATIENT_REF "!");
  set_visibility (fixture, "direct");
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_MENTIONED), ==, 1);
  g_assert_true (flagged_in (audience, WC_RING_MENTIONED, "@" PATIENT_REF, WC_PERSON_TAG_PATIENT));
  g_assert_false (flagged_in (audience, WC_RING_FOLLOWERS, PATIENT_NAME, WC_PERSON_TAG_PATIENT));
  g_assert_true (has_finding (fixture, "audience.tagged-in-personal"));
  text = wc_audience_view_dup_text (fixture->view, fixture->account_id);
  g_assert_nonnull (strstr (text, "People mentioned\nReached · 1 person\n@" PATIENT_REF "\nPatient"));

  /* An e-mail address is no mention. */
  wc_draft_editor_set_text (fixture->editor, "Write to " PATIENT_REF);
  wc_draft_editor_check_now (fixture->editor);
  audience = wc_draft_editor_get_audience (fixture->editor, fixture->account_id);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_MENTIONED), ==, 0);
}

/* Names on the roster become findings while typing. */
static void
test_roster_names_in_draft (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Johanna de Vries", NULL, NULL, &error));
  g_assert_no_error (error);
  wc_application_notify_people_changed (fixture->app);

  wc_draft_editor_set_text (fixture->editor, "Ran into J. de Vries at the market");
  wc_draft_editor_check_now (fixture->editor);
  g_assert_true (has_finding (fixture, "phi.roster-name"));
}

int
main (int   argc,
      char *argv[])
{
  /* The suite runs with GTK_A11Y=none; the test context keeps what the
   * widgets tell screen readers, so that it can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  wc_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/audience/rings", test_rings_widget);
  g_test_add ("/ui/audience/public-and-followers-only", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_public_and_followers_only, fixture_tear_down);
  g_test_add ("/ui/audience/unknown-followers", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_unknown_followers, fixture_tear_down);
  g_test_add ("/ui/audience/tag-from-preview", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_tag_from_preview, fixture_tear_down);
  g_test_add ("/ui/audience/tag-invalid-handle", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_tag_invalid_handle, fixture_tear_down);
  g_test_add ("/ui/audience/mentioned-patient", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_mentioned_patient, fixture_tear_down);
  g_test_add ("/ui/audience/roster-names-in-draft", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_roster_names_in_draft, fixture_tear_down);

  return g_test_run ();
}
