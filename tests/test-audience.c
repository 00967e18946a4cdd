/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who can see a post: every visibility of every kind of network, flagged
 * people in the right rings, the warnings, and the snapshot's date. The
 * accounts and people are synthetic. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wc-audience.h"
#include "wc-store.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = { 7, 7, 7, 7, 1, 2, 3, 4 };

static WcHasher *hasher;

#define NOW ((gint64) 1750000000)

typedef struct
{
  const char  *ref;
  const char  *name;
  int          tag;   /* -1: not tagged */
} Person;

/* Followers of the account; Eva is also mentioned in some drafts. */
static const Person followers[] = {
  { "anna@med.example", "Anna Patient", WC_PERSON_TAG_PATIENT },
  { "bob@med.example", "Bob Colleague", WC_PERSON_TAG_COLLEAGUE },
  { "carla@hospital.example", "Carla Employer", WC_PERSON_TAG_EMPLOYER },
  { "dirk@med.example", "Dirk", -1 },
  { "eva@med.example", NULL, WC_PERSON_TAG_PATIENT },
  { "fenna@press.example", "Fenna Press", WC_PERSON_TAG_PRESS },
};

/* Tagged people who do not follow the account. */
static const Person strangers[] = {
  { "gijs@med.example", "Gijs", WC_PERSON_TAG_PATIENT },
  { "hanna@med.example", "Hanna", WC_PERSON_TAG_PATIENT },
  { "ivo@family.example", "Ivo", WC_PERSON_TAG_FAMILY },
};

static char *
hash_of (const char *ref)
{
  return wc_hasher_hash_handle (hasher, ref);
}

static GHashTable *
make_tags (gboolean with_strangers,
           gboolean with_employer)
{
  GHashTable *tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (followers); i++)
    if (followers[i].tag >= 0 && (with_employer || followers[i].tag != WC_PERSON_TAG_EMPLOYER))
      g_hash_table_insert (tags, hash_of (followers[i].ref), GINT_TO_POINTER (followers[i].tag));
  for (guint i = 0; with_strangers && i < G_N_ELEMENTS (strangers); i++)
    g_hash_table_insert (tags, hash_of (strangers[i].ref), GINT_TO_POINTER (strangers[i].tag));
  return tags;
}

static WcFollowerSnapshot *
make_snapshot (void)
{
  WcFollowerSnapshot *snapshot = wc_follower_snapshot_new (1, NOW - 2 * 3600);

  for (guint i = 0; i < G_N_ELEMENTS (followers); i++)
    wc_follower_snapshot_add_hashed (snapshot, hasher, followers[i].ref, followers[i].name);
  return snapshot;
}

static WcAccountState *
make_state (WcTristate locked)
{
  WcAccountState *state = wc_account_state_new (1);

  state->taken_at = NOW - 600;
  state->locked = locked;
  state->indexable = WC_TRISTATE_NO;
  state->noindex = WC_TRISTATE_NO;
  state->discoverable = WC_TRISTATE_NO;
  state->followers_count = 312;
  state->following_count = 20;
  state->default_visibility = g_strdup ("public");
  return state;
}

static gboolean
has_note (WcAudience *audience,
          WcRing      ring,
          const char *fragment)
{
  const char * const *notes = wc_audience_get_notes (audience, ring);

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], fragment) != NULL)
      return TRUE;
  return FALSE;
}

/* "YNU…": the reach of the six rings, narrowest first. */
static void
assert_rings (WcAudience *audience,
              const char *expected)
{
  char got[WC_N_RINGS + 1];

  for (guint r = 0; r < WC_N_RINGS; r++)
    {
      WcReach reach = wc_audience_get_reach (audience, r);
      got[r] = reach == WC_REACH_YES ? 'Y' : reach == WC_REACH_NO ? 'N' : 'U';
    }
  got[WC_N_RINGS] = '\0';
  g_assert_cmpstr (got, ==, expected);
}

static WcAudience *
compute (const WcAccountState     *state,
         const WcFollowerSnapshot *snapshot,
         GHashTable               *tags,
         WcIdentityKind            identity,
         const char               *network,
         const char               *visibility,
         const WcAudienceMentions *mentions)
{
  WcAudience *audience = wc_audience_compute (state, snapshot, tags, identity, network, visibility, mentions);

  g_assert_nonnull (audience);
  g_assert_nonnull (wc_audience_get_summary (audience));
  return audience;
}

/* Mastodon */

static void
test_mastodon_public (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_NO);
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(GHashTable) tags = make_tags (TRUE, TRUE);
  g_autoptr(WcAudience) audience = NULL;

  audience = compute (state, snapshot, tags, WC_IDENTITY_PROFESSIONAL, "mastodon", "public", NULL);
  assert_rings (audience, "YYYYYY");
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 312);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_BOOSTERS), ==, -1);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_PUBLIC), ==, -1);
  g_assert_cmpint (wc_audience_get_widest_ring (audience), ==, WC_RING_SEARCH_ENGINES);
  g_assert_true (has_note (audience, WC_RING_PUBLIC, "full-text search"));
  g_assert_true (g_str_has_prefix (wc_audience_get_summary (audience), "Public: anyone, including search engines"));
  g_assert_cmpstr (wc_audience_get_visibility (audience), ==, "public");
  g_clear_pointer (&audience, wc_audience_unref);

  /* Opted out of search engines; opted in to search and discovery. */
  state->noindex = WC_TRISTATE_YES;
  state->indexable = WC_TRISTATE_YES;
  state->discoverable = WC_TRISTATE_YES;
  audience = compute (state, snapshot, tags, WC_IDENTITY_PROFESSIONAL, "mastodon", "public", NULL);
  assert_rings (audience, "YYYYYN");
  g_assert_true (has_note (audience, WC_RING_SEARCH_ENGINES, "a request"));
  g_assert_true (has_note (audience, WC_RING_PUBLIC, "you opted in"));
  g_assert_true (has_note (audience, WC_RING_PUBLIC, "suggested"));
  g_assert_true (g_str_has_prefix (wc_audience_get_summary (audience), "Public: anyone"));
  g_assert_null (strstr (wc_audience_get_summary (audience), "search engines"));
  g_clear_pointer (&audience, wc_audience_unref);

  /* Nothing known about the account: still public, said so. */
  audience = compute (NULL, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "mastodon", "public", NULL);
  assert_rings (audience, "YYYYYY");
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, -1);
  g_assert_true (has_note (audience, WC_RING_SEARCH_ENGINES, "could not read"));
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "not read your followers"));
}

static void
test_mastodon_unlisted (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_NO);
  g_autoptr(WcAudience) audience = NULL;

  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "mastodon", "unlisted", NULL);
  assert_rings (audience, "YYYYNY");
  g_assert_true (has_note (audience, WC_RING_PUBLIC, "Not in public timelines"));
  g_assert_true (has_note (audience, WC_RING_SEARCH_ENGINES, "through your profile"));
  g_assert_true (g_str_has_prefix (wc_audience_get_summary (audience), "Anyone with the link"));
  g_clear_pointer (&audience, wc_audience_unref);

  state->noindex = WC_TRISTATE_YES;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "mastodon", "unlisted", NULL);
  assert_rings (audience, "YYYYNN");
  g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Anyone with the link");
}

static void
test_mastodon_private (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_YES);
  g_autoptr(WcAudience) audience = NULL;

  audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  assert_rings (audience, "YYNNNN");
  g_assert_true (has_note (audience, WC_RING_BOOSTERS, "Cannot be boosted"));
  g_assert_true (has_note (audience, WC_RING_PUBLIC, "Not in public timelines"));
  g_assert_true (has_note (audience, WC_RING_LINK, "signed in"));
  g_assert_false (has_note (audience, WC_RING_FOLLOWERS, "anyone can follow"));
  g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Followers only: 312 people");
  g_clear_pointer (&audience, wc_audience_unref);

  /* Followers-only is private only when the account is locked. */
  state->locked = WC_TRISTATE_NO;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  assert_rings (audience, "YYNNNN");
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "anyone can follow you and then read it"));
  g_clear_pointer (&audience, wc_audience_unref);

  state->locked = WC_TRISTATE_UNKNOWN;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "does not know whether your account is locked"));
}

static void
test_mastodon_direct (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_NO);
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(GHashTable) tags = make_tags (FALSE, TRUE);
  g_autofree char *eva = hash_of ("@eva@med.example");
  WcMention mention = { "@eva@med.example", eva };
  WcAudienceMentions mentions = { &mention, 1 };
  g_autoptr(WcAudience) audience = NULL;
  const WcFlaggedPerson *flagged;
  guint n;

  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "direct", &mentions);
  assert_rings (audience, "YNNNNN");
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_MENTIONED), ==, 1);
  g_assert_true (has_note (audience, WC_RING_BOOSTERS, "Cannot be boosted"));
  g_assert_true (has_note (audience, WC_RING_MENTIONED, "end-to-end"));
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "unless they are mentioned"));
  g_assert_true (g_str_has_prefix (wc_audience_get_summary (audience), "Mentioned people only: 1 person"));
  /* Eva is tagged as a patient and mentioned. */
  flagged = wc_audience_get_flagged (audience, WC_RING_MENTIONED, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (flagged[0].ref, ==, "@eva@med.example");
  g_assert_cmpint (flagged[0].tag, ==, WC_PERSON_TAG_PATIENT);
  g_assert_true (g_str_has_suffix (wc_audience_get_summary (audience), "1 you tagged as patient"));
  g_clear_pointer (&audience, wc_audience_unref);

  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "direct", NULL);
  assert_rings (audience, "YNNNNN");
  g_assert_true (has_note (audience, WC_RING_MENTIONED, "Nobody is mentioned"));
  g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Only you: nobody is mentioned");
}

static void
test_mastodon_default_visibility (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_YES);
  g_autoptr(WcAudience) audience = NULL;

  g_free (state->default_visibility);
  state->default_visibility = g_strdup ("unlisted");
  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "mastodon", NULL, NULL);
  g_assert_cmpstr (wc_audience_get_visibility (audience), ==, "unlisted");
  assert_rings (audience, "YYYYNY");
  g_clear_pointer (&audience, wc_audience_unref);

  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "mastodon", "everyone-ish", NULL);
  assert_rings (audience, "YUUUUU");
}

/* Bluesky */

static void
test_bluesky (void)
{
  g_autoptr(WcAccountState) state = wc_account_state_new (2);
  g_autoptr(WcAudience) audience = NULL;

  state->followers_count = 40;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "bluesky", "public", NULL);
  assert_rings (audience, "YYYYYY");
  g_assert_true (has_note (audience, WC_RING_LINK, "Every Bluesky post is public"));
  g_assert_true (has_note (audience, WC_RING_LINK, "could not read"));
  g_assert_false (has_note (audience, WC_RING_LINK, "logged-out visitors — a request"));
  g_clear_pointer (&audience, wc_audience_unref);

  /* The logged-out label is only a request: still reached. */
  state->logged_out_restricted = WC_TRISTATE_YES;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PROFESSIONAL, "bluesky", NULL, NULL);
  assert_rings (audience, "YYYYYY");
  g_assert_cmpstr (wc_audience_get_visibility (audience), ==, "public");
  g_assert_true (has_note (audience, WC_RING_LINK, "Not shown to logged-out visitors — a request that apps may ignore."));
  g_assert_true (has_note (audience, WC_RING_SEARCH_ENGINES, "may ignore"));
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 40);
  g_clear_pointer (&audience, wc_audience_unref);

  /* Read, and not asked for: said so, still only a request. */
  state->logged_out_restricted = WC_TRISTATE_NO;
  audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "bluesky", NULL, NULL);
  assert_rings (audience, "YYYYYY");
  g_assert_true (has_note (audience, WC_RING_LINK, "Shown to logged-out visitors too"));
  g_assert_true (has_note (audience, WC_RING_LINK, "a request apps may ignore"));
  g_assert_false (has_note (audience, WC_RING_LINK, "could not read"));
}

/* Networks without an API */

static WcAccountState *
declared_state (const char *json)
{
  WcAccountState *state = wc_account_state_new (3);

  state->declared_settings = g_strdup (json);
  return state;
}

static void
test_manual (void)
{
  const struct
  {
    const char *network;
    const char *visibility;
    const char *declared;
    const char *rings;
    WcRing      note_ring;
    const char *note;
  } cases[] = {
    /* Before the walkthrough: only what the option itself says. */
    { "facebook", "public", NULL, "YYYYYU", WC_RING_SEARCH_ENGINES, "run the privacy walkthrough" },
    { "facebook", "friends", NULL, "YYNNNN", WC_RING_BOOSTERS, "Cannot be shared" },
    { "facebook", "friends-of-friends", NULL, "YYYNNN", WC_RING_BOOSTERS, "friends of your friends" },
    { "facebook", "only-me", NULL, "NNNNNN", WC_RING_MENTIONED, "Only you" },
    { "x", "public", NULL, "YYUUUU", WC_RING_BOOSTERS, "run the privacy walkthrough" },
    { "instagram", "followers", NULL, "YYUUUU", WC_RING_LINK, "run the privacy walkthrough" },
    { "threads", "public", "{}", "YYUUUU", WC_RING_PUBLIC, "run the privacy walkthrough" },
    { "other", "public", NULL, "YYYYYU", WC_RING_SEARCH_ENGINES, "run the privacy walkthrough" },
    { "facebook", "public", NULL, "YYYYYU", WC_RING_FOLLOWERS, "privacy walkthrough" },
    { "linkedin", "public", NULL, "YYYYYY", WC_RING_FOLLOWERS, "" },
    { "linkedin", "connections", NULL, "YYNNNN", WC_RING_LINK, "only for the people in this audience" },
    { "researchgate", "public", NULL, "YYYYYY", WC_RING_FOLLOWERS, "" },
    { "pinterest", "secret-board", NULL, "YYNNNN", WC_RING_FOLLOWERS, "invited" },
    /* After the walkthrough. */
    { "facebook", "public", "{\"search-engines\": false}", "YYYYYN", WC_RING_SEARCH_ENGINES, "may not list" },
    { "facebook", "public", "{\"search-engines\": true}", "YYYYYY", WC_RING_FOLLOWERS, "" },
    { "x", "public", "{\"private\": true}", "YYNNNN", WC_RING_FOLLOWERS, "Your account is private" },
    { "x", "public", "{\"private\": false}", "YYYYYY", WC_RING_FOLLOWERS, "" },
    { "instagram", "followers", "{\"private\": false}", "YYYYYU", WC_RING_SEARCH_ENGINES, "walkthrough" },
    { "instagram", "followers", "{\"private\": true}", "YYNNNN", WC_RING_BOOSTERS, "Cannot be shared" },
    { "linkedin", "public", "{\"search-engines\": false}", "YYYYYN", WC_RING_SEARCH_ENGINES, "may not list" },
    /* Broken or unknown input. */
    { "facebook", "public", "not json", "YYYYYU", WC_RING_SEARCH_ENGINES, "walkthrough" },
    { "facebook", "close-friends", NULL, "YUUUUU", WC_RING_FOLLOWERS, "walkthrough" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcAccountState) state = declared_state (cases[i].declared);
      g_autoptr(WcAudience) audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL,
                                                cases[i].network, cases[i].visibility, NULL);

      g_test_message ("%s %s %s", cases[i].network, cases[i].visibility,
                      cases[i].declared ? cases[i].declared : "(nothing declared)");
      assert_rings (audience, cases[i].rings);
      if (*cases[i].note)
        g_assert_true (has_note (audience, cases[i].note_ring, cases[i].note));
    }

  /* The count the user declared. */
  {
    g_autoptr(WcAccountState) state = declared_state ("{\"private\": true, \"followers-count\": 85}");
    g_autoptr(WcAudience) audience = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "x", "public", NULL);

    g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 85);
    g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Followers only: 85 people");
  }
  {
    g_autoptr(WcAudience) audience = compute (NULL, NULL, NULL, WC_IDENTITY_PERSONAL, "x", "public", NULL);

    g_assert_cmpstr (wc_audience_get_summary (audience), ==,
                     "Followers only: number unknown, perhaps more — run the privacy walkthrough");
  }
}

/* Flagged people */

static void
test_flagged_rings (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_NO);
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(GHashTable) tags = make_tags (TRUE, TRUE);
  g_autofree char *eva = hash_of ("eva@med.example");
  g_autofree char *gijs = hash_of ("gijs@med.example");
  WcMention mention_list[] = {
    { "@eva@med.example", eva },
    { "@gijs@med.example", gijs },
    { "@nobody@med.example", NULL },
    { "@eva@med.example", eva },  /* twice in the draft */
  };
  WcAudienceMentions mentions = { mention_list, G_N_ELEMENTS (mention_list) };
  g_autoptr(WcAudience) audience = NULL;
  const WcFlaggedPerson *flagged;
  guint n;
  g_autofree char *text = NULL;

  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "public", &mentions);

  /* Mentioned: Eva (a follower too) and Gijs; three distinct people. */
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_MENTIONED), ==, 3);
  flagged = wc_audience_get_flagged (audience, WC_RING_MENTIONED, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (flagged[0].ref, ==, "@eva@med.example");
  g_assert_cmpstr (flagged[1].ref, ==, "@gijs@med.example");
  g_assert_cmpuint (wc_audience_get_n_tagged (audience, WC_RING_MENTIONED, WC_PERSON_TAG_PATIENT), ==, 2);

  /* Followers: Anna, Bob, Carla, Fenna — not Eva (in the narrower ring),
   * not Dirk (untagged); grouped by tag, patients first. */
  flagged = wc_audience_get_flagged (audience, WC_RING_FOLLOWERS, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpstr (flagged[0].name, ==, "Anna Patient");
  g_assert_cmpint (flagged[0].tag, ==, WC_PERSON_TAG_PATIENT);
  g_assert_cmpstr (flagged[1].name, ==, "Bob Colleague");
  g_assert_cmpint (flagged[1].tag, ==, WC_PERSON_TAG_COLLEAGUE);
  g_assert_cmpstr (flagged[2].name, ==, "Carla Employer");
  g_assert_cmpstr (flagged[3].name, ==, "Fenna Press");
  g_assert_cmpstr (flagged[3].ref, ==, "fenna@press.example");

  /* Anyone: the tagged people who are neither mentioned nor followers. */
  g_assert_cmpuint (wc_audience_get_n_tagged (audience, WC_RING_LINK, WC_PERSON_TAG_PATIENT), ==, 1);  /* Hanna */
  g_assert_cmpuint (wc_audience_get_n_tagged (audience, WC_RING_LINK, WC_PERSON_TAG_FAMILY), ==, 1);   /* Ivo */
  g_assert_cmpuint (wc_audience_get_n_tagged (audience, WC_RING_LINK, WC_PERSON_TAG_COLLEAGUE), ==, 0);
  flagged = wc_audience_get_flagged (audience, WC_RING_LINK, &n);
  g_assert_cmpuint (n, ==, 0);

  /* Every tagged person can see a public post. */
  g_assert_cmpuint (wc_audience_count_tagged_reached (audience, WC_PERSON_TAG_PATIENT), ==, 4);
  g_assert_cmpstr (wc_audience_get_summary (audience), ==,
                   "Public: anyone, including search engines, 4 you tagged as patients, "
                   "1 you tagged as colleague, 1 you tagged as employer, 1 you tagged as press, "
                   "1 you tagged as family");

  text = wc_audience_dup_ring_text (audience, WC_RING_FOLLOWERS);
  g_assert_true (g_str_has_prefix (text, "Followers: reached, 312 people."));
  g_assert_nonnull (strstr (text, "Anna Patient (Patient)"));
  g_assert_nonnull (strstr (text, "Fenna Press (Press)"));
  g_clear_pointer (&text, g_free);
  text = wc_audience_dup_ring_text (audience, WC_RING_LINK);
  g_assert_nonnull (strstr (text, "Also 1 you tagged as patient."));
  g_clear_pointer (&audience, wc_audience_unref);

  /* Followers-only on a locked account: the strangers do not see it. */
  state->locked = WC_TRISTATE_YES;
  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpuint (wc_audience_count_tagged_reached (audience, WC_PERSON_TAG_PATIENT), ==, 2);  /* Anna, Eva */
  g_assert_cmpuint (wc_audience_count_tagged_reached (audience, WC_PERSON_TAG_FAMILY), ==, 0);
  g_assert_cmpstr (wc_audience_get_summary (audience), ==,
                   "Followers only: 312 people, 2 you tagged as patients, 1 you tagged as colleague, "
                   "1 you tagged as employer, 1 you tagged as press");
  flagged = wc_audience_get_flagged (audience, WC_RING_FOLLOWERS, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (flagged[1].ref, ==, "eva@med.example");
  g_assert_cmpstr (flagged[1].name, ==, "eva@med.example");  /* no display name */
  g_clear_pointer (&audience, wc_audience_unref);

  /* The audience keeps the names alive after the caller drops the snapshot. */
  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_clear_pointer (&snapshot, wc_follower_snapshot_unref);
  flagged = wc_audience_get_flagged (audience, WC_RING_FOLLOWERS, &n);
  g_assert_cmpstr (flagged[0].name, ==, "Anna Patient");
}

/* Warnings */

typedef struct
{
  const char     *network;
  const char     *visibility;
  WcIdentityKind  identity;
  WcTristate      locked;
  gboolean        followers;   /* with the snapshot */
  int             tags;        /* 0: none; 1: followers tagged; 2: strangers too */
  gboolean        employer;    /* Carla is tagged employer */
  const char     *expected;    /* warnings, in order, separated by spaces */
} WarningCase;

static void
test_warnings (void)
{
  const WarningCase cases[] = {
    /* Personal post reaching patients or colleagues. */
    { "mastodon", "private", WC_IDENTITY_PERSONAL, WC_TRISTATE_YES, TRUE, 1, FALSE,
      "audience.tagged-in-personal" },
    { "mastodon", "direct", WC_IDENTITY_PERSONAL, WC_TRISTATE_YES, TRUE, 2, TRUE, "" },
    { "mastodon", "private", WC_IDENTITY_PERSONAL, WC_TRISTATE_YES, FALSE, 1, FALSE, "" },
    { "mastodon", "private", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_YES, TRUE, 1, FALSE, "" },
    /* Personal post reaching anyone from an account that is not locked. */
    { "mastodon", "public", WC_IDENTITY_PERSONAL, WC_TRISTATE_NO, FALSE, 0, FALSE,
      "audience.personal-public" },
    { "mastodon", "unlisted", WC_IDENTITY_PERSONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE,
      "audience.personal-public" },
    { "mastodon", "public", WC_IDENTITY_PERSONAL, WC_TRISTATE_YES, FALSE, 0, FALSE, "" },
    { "mastodon", "private", WC_IDENTITY_PERSONAL, WC_TRISTATE_NO, FALSE, 0, FALSE, "" },
    { "mastodon", "public", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_NO, FALSE, 0, FALSE, "" },
    { "bluesky", "public", WC_IDENTITY_PERSONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE,
      "audience.personal-public" },
    { "facebook", "friends", WC_IDENTITY_PERSONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE, "" },
    { "x", "public", WC_IDENTITY_PERSONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE, "" },
    /* Both, with the tagged strangers who can read a public post. */
    { "mastodon", "public", WC_IDENTITY_PERSONAL, WC_TRISTATE_NO, FALSE, 2, FALSE,
      "audience.tagged-in-personal audience.personal-public" },
    /* Professional post set to followers-only while the account is public. */
    { "mastodon", "private", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_NO, FALSE, 0, FALSE,
      "audience.professional-followers-only" },
    { "mastodon", "private", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE, "" },
    { "mastodon", "unlisted", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_NO, FALSE, 0, FALSE, "" },
    { "mastodon", "private", WC_IDENTITY_PERSONAL, WC_TRISTATE_NO, FALSE, 0, FALSE, "" },
    { "linkedin", "connections", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE,
      "audience.professional-followers-only" },
    { "linkedin", "public", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_UNKNOWN, FALSE, 0, FALSE, "" },
    /* Reaching the employer. */
    { "mastodon", "private", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_YES, TRUE, 1, TRUE,
      "audience.employer" },
    { "mastodon", "direct", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_YES, TRUE, 1, TRUE, "" },
    { "mastodon", "public", WC_IDENTITY_PROFESSIONAL, WC_TRISTATE_NO, FALSE, 1, TRUE,
      "audience.employer" },
    { "mastodon", "private", WC_IDENTITY_PERSONAL, WC_TRISTATE_YES, TRUE, 1, TRUE,
      "audience.tagged-in-personal audience.employer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const WarningCase *c = &cases[i];
      g_autoptr(WcAccountState) state = make_state (c->locked);
      g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
      g_autoptr(GHashTable) tags = c->tags ? make_tags (c->tags == 2, c->employer)
                                           : g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(WcAudience) audience = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      const WcAudienceWarning *warnings;
      guint n;

      /* Without the snapshot, tagged followers are only "anyone". */
      audience = compute (state, c->followers ? snapshot : NULL, tags, c->identity,
                          c->network, c->visibility, NULL);
      warnings = wc_audience_get_warnings (audience, &n);
      for (guint j = 0; j < n; j++)
        {
          if (j > 0)
            g_string_append_c (got, ' ');
          g_string_append (got, warnings[j].check_id);
        }
      if (g_strcmp0 (got->str, c->expected) != 0)
        {
          g_test_message ("case %u (%s %s): expected “%s”, got “%s”", i, c->network, c->visibility,
                          c->expected, got->str);
          g_test_fail ();
        }
    }
}

static void
test_warning_details (void)
{
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_YES);
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(GHashTable) tags = make_tags (FALSE, TRUE);
  g_autoptr(WcAudience) audience = NULL;
  const WcAudienceWarning *warnings;
  guint n;

  audience = compute (state, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  warnings = wc_audience_get_warnings (audience, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (warnings[0].check_id, ==, "audience.tagged-in-personal");
  g_assert_cmpstr (warnings[0].detail, ==, "3 people you tagged as patient or colleague can see it.");
  /* Patients among them raise it. */
  g_assert_true (warnings[0].escalate);
  g_assert_cmpstr (warnings[1].check_id, ==, "audience.employer");
  g_assert_cmpstr (warnings[1].detail, ==, "1 person you tagged as employer can see it.");
  g_assert_true (warnings[1].escalate);
  g_assert_true (wc_audience_has_warning (audience, "audience.employer"));
  g_assert_false (wc_audience_has_warning (audience, "audience.personal-public"));

  /* No names of tagged people in the details. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < G_N_ELEMENTS (followers); j++)
      if (followers[j].name != NULL)
        g_assert_null (strstr (warnings[i].detail, followers[j].name));
}

static void
test_findings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcChecker) checker = wc_checker_new (&error);
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_NO);
  g_autoptr(GHashTable) tags = make_tags (TRUE, TRUE);
  g_autoptr(WcAudience) audience = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  guint n;

  g_assert_no_error (error);
  audience = compute (state, NULL, tags, WC_IDENTITY_PERSONAL, "mastodon", "public", NULL);
  wc_audience_get_warnings (audience, &n);
  g_assert_cmpuint (n, ==, 3);  /* tagged-in-personal, personal-public, employer */

  /* Warnings whose checks the definitions hold become findings; the others
   * are left out quietly. */
  findings = wc_audience_make_findings (audience, checker);
  g_assert_cmpuint (findings->len, <=, n);
  for (guint i = 0; i < findings->len; i++)
    {
      WcFinding *finding = g_ptr_array_index (findings, i);

      g_assert_true (g_str_has_prefix (wc_finding_get_id (finding), "audience."));
      g_assert_true (wc_checker_has_check (checker, wc_finding_get_id (finding)));
    }
  g_test_message ("%u of %u audience warnings are defined in checks.json", findings->len, n);
}

/* Counts and dates */

static void
test_counts (void)
{
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(WcAudience) audience = NULL;

  /* No state count: a complete snapshot counts itself. */
  audience = compute (NULL, snapshot, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, G_N_ELEMENTS (followers));
  g_clear_pointer (&audience, wc_audience_unref);

  /* The network's own count wins over the list. */
  wc_follower_snapshot_set_followers_count (snapshot, 1200);
  audience = compute (NULL, snapshot, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 1200);
  g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Followers only: 1200 people");
  g_clear_pointer (&audience, wc_audience_unref);

  /* A partial list is not a count. */
  wc_follower_snapshot_set_followers_count (snapshot, -1);
  wc_follower_snapshot_set_complete (snapshot, FALSE);
  audience = compute (NULL, snapshot, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, -1);
  g_assert_cmpstr (wc_audience_get_summary (audience), ==, "Followers only: number unknown");
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "only part of your followers"));
  g_clear_pointer (&audience, wc_audience_unref);

  wc_follower_snapshot_set_hidden (snapshot, TRUE);
  tags = make_tags (FALSE, FALSE);
  audience = compute (NULL, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_true (has_note (audience, WC_RING_FOLLOWERS, "could not read your followers"));
}

static void
test_snapshot_date (void)
{
  g_autoptr(WcFollowerSnapshot) snapshot = make_snapshot ();
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_YES);
  g_autoptr(WcAudience) audience = NULL;
  g_autoptr(WcAudience) without = NULL;
  g_autofree char *age = NULL;
  const struct { gint64 seconds; const char *text; } ages[] = {
    { 0, "just now" }, { 59, "just now" }, { 60, "1 minute ago" }, { 125, "2 minutes ago" },
    { 3600, "1 hour ago" }, { 7300, "2 hours ago" }, { 86400, "1 day ago" },
    { 3 * 86400 + 5, "3 days ago" }, { -30, "just now" },
  };

  audience = compute (state, snapshot, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpint (wc_audience_get_snapshot_taken_at (audience), ==, NOW - 2 * 3600);
  g_assert_cmpint (wc_audience_get_state_taken_at (audience), ==, NOW - 600);
  age = wc_audience_dup_snapshot_age (audience, NOW);
  g_assert_cmpstr (age, ==, "Followers as of 2 hours ago");

  without = compute (state, NULL, NULL, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  g_assert_cmpint (wc_audience_get_snapshot_taken_at (without), ==, 0);
  g_assert_null (wc_audience_dup_snapshot_age (without, NOW));

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      g_autofree char *text = wc_format_age (NOW - ages[i].seconds, NOW);
      g_assert_cmpstr (text, ==, ages[i].text);
    }
}

static void
test_ring_labels (void)
{
  for (guint r = 0; r < WC_N_RINGS; r++)
    {
      g_autoptr(WcAudience) audience = compute (NULL, NULL, NULL, WC_IDENTITY_PERSONAL, "bluesky", NULL, NULL);
      g_autofree char *text = wc_audience_dup_ring_text (audience, r);

      g_assert_nonnull (wc_ring_get_label (r));
      g_assert_true (g_str_has_prefix (text, wc_ring_get_label (r)));
    }
}

static void
test_many_followers (void)
{
  g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_snapshot_new (1, NOW);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(WcAudience) audience = NULL;
  gint64 start, elapsed;
  guint n;

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *ref = g_strdup_printf ("user%u@server%u.example", i, i % 50);
      g_autofree char *hash = hash_of (ref);

      wc_follower_snapshot_add (snapshot, ref, NULL, hash);
      if (i % 10 == 0)
        g_hash_table_insert (tags, g_steal_pointer (&hash), GINT_TO_POINTER (i % 20 == 0 ? WC_PERSON_TAG_PATIENT : WC_PERSON_TAG_COLLEAGUE));
    }

  start = g_get_monotonic_time ();
  audience = compute (NULL, snapshot, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("20,000 followers, 2,000 tags: %.2f ms", elapsed / 1000.0);

  wc_audience_get_flagged (audience, WC_RING_FOLLOWERS, &n);
  g_assert_cmpuint (n, ==, 2000);
  g_assert_cmpuint (wc_audience_get_n_tagged (audience, WC_RING_FOLLOWERS, WC_PERSON_TAG_PATIENT), ==, 1000);
  g_assert_cmpint (wc_audience_get_count (audience, WC_RING_FOLLOWERS), ==, 20000);
}

/* Snapshots in the store */

typedef struct
{
  char    *dir;
  char    *path;
  WcStore *store;
  gint64   account_id;
} StoreFixture;

static void
store_setup (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");

  fixture->dir = g_dir_make_tmp ("whitecoat-audience-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "whitecoat.db", NULL);
  fixture->store = wc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  wc_account_set_handle (account, "@me@med.example");
  wc_account_set_server (account, "https://med.example");
  g_assert_true (wc_store_add_account (fixture->store, account, &error));
  g_assert_no_error (error);
  fixture->account_id = wc_account_get_id (account);
}

static void
store_teardown (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
test_store_account_state (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccountState) state = make_state (WC_TRISTATE_YES);
  g_autoptr(WcAccountState) loaded = NULL;
  g_autoptr(WcAccountState) unknown = wc_account_state_new (fixture->account_id);
  g_autoptr(WcAccountState) orphan = wc_account_state_new (fixture->account_id + 100);

  loaded = wc_store_load_account_state (fixture->store, fixture->account_id, &error);
  g_assert_null (loaded);
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  state->account_id = fixture->account_id;
  state->hide_collections = WC_TRISTATE_NO;
  state->bot = WC_TRISTATE_YES;
  state->declared_settings = g_strdup ("{\"private\": true}");
  g_assert_true (wc_store_save_account_state (fixture->store, state, &error));
  g_assert_no_error (error);
  loaded = wc_store_load_account_state (fixture->store, fixture->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->taken_at, ==, state->taken_at);
  g_assert_cmpint (loaded->locked, ==, WC_TRISTATE_YES);
  g_assert_cmpint (loaded->indexable, ==, WC_TRISTATE_NO);
  g_assert_cmpint (loaded->noindex, ==, WC_TRISTATE_NO);
  g_assert_cmpint (loaded->discoverable, ==, WC_TRISTATE_NO);
  g_assert_cmpint (loaded->hide_collections, ==, WC_TRISTATE_NO);
  g_assert_cmpint (loaded->bot, ==, WC_TRISTATE_YES);
  g_assert_cmpint (loaded->logged_out_restricted, ==, WC_TRISTATE_UNKNOWN);
  g_assert_cmpint (loaded->followers_count, ==, 312);
  g_assert_cmpint (loaded->following_count, ==, 20);
  g_assert_cmpstr (loaded->default_visibility, ==, "public");
  g_assert_cmpstr (loaded->declared_settings, ==, "{\"private\": true}");
  g_clear_pointer (&loaded, wc_account_state_free);

  /* Saving again replaces; unknown stays unknown. */
  g_assert_true (wc_store_save_account_state (fixture->store, unknown, &error));
  loaded = wc_store_load_account_state (fixture->store, fixture->account_id, &error);
  g_assert_cmpint (loaded->locked, ==, WC_TRISTATE_UNKNOWN);
  g_assert_cmpint (loaded->followers_count, ==, -1);
  g_assert_null (loaded->default_visibility);
  g_assert_null (loaded->declared_settings);
  g_assert_cmpint (loaded->taken_at, >, 0);  /* zero means now */
  g_clear_pointer (&loaded, wc_account_state_free);

  g_assert_false (wc_store_save_account_state (fixture->store, orphan, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing the account removes its state. */
  g_assert_true (wc_store_remove_account (fixture->store, fixture->account_id, &error));
  loaded = wc_store_load_account_state (fixture->store, fixture->account_id, &error);
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
}

static void
test_store_snapshot (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_snapshot_new (fixture->account_id, NOW - 7200);
  g_autoptr(WcFollowerSnapshot) newer = wc_follower_snapshot_new (fixture->account_id, NOW);
  g_autoptr(WcFollowerSnapshot) loaded = NULL;
  g_autoptr(WcFollowerSnapshot) bad = wc_follower_snapshot_new (fixture->account_id, NOW);
  g_autoptr(WcAudience) audience = NULL;
  g_autoptr(GHashTable) tags = make_tags (FALSE, TRUE);
  const WcFollower *list;
  guint n;
  g_autofree char *age = NULL;

  loaded = wc_store_load_follower_snapshot (fixture->store, fixture->account_id, &error);
  g_assert_null (loaded);
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (followers); i++)
    wc_follower_snapshot_add_hashed (snapshot, hasher, followers[i].ref, followers[i].name);
  wc_follower_snapshot_add (snapshot, "not-a-handle with spaces", "Odd", NULL);
  wc_follower_snapshot_set_complete (snapshot, FALSE);
  wc_follower_snapshot_set_followers_count (snapshot, 400);
  g_assert_true (wc_store_save_follower_snapshot (fixture->store, snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_follower_snapshot_get_id (snapshot), >, 0);

  loaded = wc_store_load_follower_snapshot (fixture->store, fixture->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_follower_snapshot_get_id (loaded), ==, wc_follower_snapshot_get_id (snapshot));
  g_assert_cmpint (wc_follower_snapshot_get_taken_at (loaded), ==, NOW - 7200);
  g_assert_false (wc_follower_snapshot_get_complete (loaded));
  g_assert_false (wc_follower_snapshot_get_hidden (loaded));
  g_assert_cmpint (wc_follower_snapshot_get_followers_count (loaded), ==, 400);
  list = wc_follower_snapshot_get_followers (loaded, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (followers) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (followers); i++)
    {
      g_autofree char *hash = hash_of (followers[i].ref);

      g_assert_cmpstr (list[i].ref, ==, followers[i].ref);
      g_assert_cmpstr (list[i].display_name, ==, followers[i].name);
      g_assert_cmpstr (list[i].hash, ==, hash);
    }
  g_assert_null (list[n - 1].hash);

  /* The audience from what was loaded, with its date. */
  audience = compute (NULL, loaded, tags, WC_IDENTITY_PERSONAL, "mastodon", "private", NULL);
  wc_audience_get_flagged (audience, WC_RING_FOLLOWERS, &n);
  g_assert_cmpuint (n, ==, 5);
  age = wc_audience_dup_snapshot_age (audience, NOW);
  g_assert_cmpstr (age, ==, "Followers as of 2 hours ago");
  g_clear_pointer (&loaded, wc_follower_snapshot_unref);

  /* A newer snapshot replaces the older one. */
  wc_follower_snapshot_add_hashed (newer, hasher, "anna@med.example", NULL);
  g_assert_true (wc_store_save_follower_snapshot (fixture->store, newer, &error));
  loaded = wc_store_load_follower_snapshot (fixture->store, fixture->account_id, &error);
  g_assert_cmpint (wc_follower_snapshot_get_taken_at (loaded), ==, NOW);
  wc_follower_snapshot_get_followers (loaded, &n);
  g_assert_cmpuint (n, ==, 1);
  g_clear_pointer (&loaded, wc_follower_snapshot_unref);

  /* A hash that is not one is refused, and nothing is stored. */
  wc_follower_snapshot_add (bad, "x@med.example", NULL, "x@med.example");
  g_assert_false (wc_store_save_follower_snapshot (fixture->store, bad, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  loaded = wc_store_load_follower_snapshot (fixture->store, fixture->account_id, &error);
  g_assert_cmpint (wc_follower_snapshot_get_taken_at (loaded), ==, NOW);
  g_clear_pointer (&loaded, wc_follower_snapshot_unref);

  /* Removing the account removes its followers. */
  g_assert_true (wc_store_remove_account (fixture->store, fixture->account_id, &error));
  loaded = wc_store_load_follower_snapshot (fixture->store, fixture->account_id, &error);
  g_assert_null (loaded);
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  hasher = wc_hasher_new (test_key, sizeof test_key);

  g_test_add_func ("/audience/mastodon/public", test_mastodon_public);
  g_test_add_func ("/audience/mastodon/unlisted", test_mastodon_unlisted);
  g_test_add_func ("/audience/mastodon/private", test_mastodon_private);
  g_test_add_func ("/audience/mastodon/direct", test_mastodon_direct);
  g_test_add_func ("/audience/mastodon/default-visibility", test_mastodon_default_visibility);
  g_test_add_func ("/audience/bluesky", test_bluesky);
  g_test_add_func ("/audience/manual", test_manual);
  g_test_add_func ("/audience/flagged-rings", test_flagged_rings);
  g_test_add_func ("/audience/warnings", test_warnings);
  g_test_add_func ("/audience/warning-details", test_warning_details);
  g_test_add_func ("/audience/findings", test_findings);
  g_test_add_func ("/audience/counts", test_counts);
  g_test_add_func ("/audience/snapshot-date", test_snapshot_date);
  g_test_add_func ("/audience/ring-labels", test_ring_labels);
  g_test_add_func ("/audience/many-followers", test_many_followers);
  g_test_add ("/audience/store/account-state", StoreFixture, NULL,
              store_setup, test_store_account_state, store_teardown);
  g_test_add ("/audience/store/snapshot", StoreFixture, NULL,
              store_setup, test_store_snapshot, store_teardown);

  status = g_test_run ();
  wc_hasher_unref (hasher);
  return status;
}
