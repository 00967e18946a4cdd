/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-audience"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wc-audience.h"

/* The rules follow ../shared/NETWORKS.md: §1.6 for Mastodon's visibilities,
 * §1.3 for its account flags, §2.6 for Bluesky (everything is public; the
 * logged-out label is a request), §3.2 and the walkthrough's answers for the
 * networks without an API. */

typedef struct
{
  WcReach    reach;
  gint64     count;                       /* -1 = unknown */
  GArray    *flagged;                     /* WcFlaggedPerson */
  guint      n_tagged[WC_PERSON_N_TAGS];
  GPtrArray *notes;                       /* NULL-terminated, translated */
} Ring;

struct _WcAudience
{
  gatomicrefcount     ref_count;
  char               *network_id;
  char               *visibility;
  WcIdentityKind      identity;
  Ring                rings[WC_N_RINGS];
  WcFollowerSnapshot *snapshot;           /* keeps the flagged names alive */
  GStringChunk       *strings;            /* copies of the mentions */
  gint64              snapshot_taken_at;
  gint64              state_taken_at;
  char               *summary;
  GArray             *warnings;           /* WcAudienceWarning */
  gboolean            manual;             /* a network without an API */
};

G_DEFINE_BOXED_TYPE (WcAudience, wc_audience, wc_audience_ref, wc_audience_unref)

typedef enum
{
  NETWORK_MASTODON,
  NETWORK_BLUESKY,
  NETWORK_MANUAL,
} NetworkKind;

/* Networks without an API where an account can be made private, so that
 * "public" means "approved followers" (X: protected posts; Instagram and
 * Threads: private profiles). */
static const char * const networks_with_private_accounts[] = { "x", "instagram", "threads" };

/* Networks whose public posts search engines index unless the user turned
 * it off (NETWORKS.md §3.2 and the networks' audience descriptions). */
static const char * const networks_indexed_by_default[] = { "linkedin", "researchgate", "pinterest", "x" };

static gboolean
in_list (const char         *id,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (id, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
clear_warning (gpointer data)
{
  WcAudienceWarning *warning = data;

  g_free (warning->detail);
}

static void
add_note (WcAudience *self,
          WcRing      ring,
          const char *note)
{
  GPtrArray *notes = self->rings[ring].notes;

  for (guint i = 0; i < notes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (notes, i), note) == 0)
      return;
  g_ptr_array_add (notes, g_strdup (note));
}

static void
set_reach (WcAudience *self,
           WcRing      ring,
           WcReach     reach)
{
  self->rings[ring].reach = reach;
}

/* Marks the rings from @from outwards as unknown until the walkthrough
 * tells us. */
static void
unknown_from (WcAudience *self,
              WcRing      from)
{
  for (guint r = from; r < WC_N_RINGS; r++)
    {
      set_reach (self, r, WC_REACH_UNKNOWN);
      add_note (self, r, _("Unknown — run the privacy walkthrough."));
    }
}

static void
no_from (WcAudience *self,
         WcRing      from)
{
  for (guint r = from; r < WC_N_RINGS; r++)
    set_reach (self, r, WC_REACH_NO);
}

static void
add_warning (WcAudience *self,
             const char *check_id,
             gboolean    escalate,
             char       *detail)
{
  WcAudienceWarning warning = { check_id, escalate, detail };

  g_array_append_val (self->warnings, warning);
}

/* Mastodon */

static void
compute_mastodon (WcAudience           *self,
                  const WcAccountState *state,
                  const char           *visibility,
                  guint                 n_mentions)
{
  WcTristate locked = state ? state->locked : WC_TRISTATE_UNKNOWN;
  WcTristate indexable = state ? state->indexable : WC_TRISTATE_UNKNOWN;
  WcTristate noindex = state ? state->noindex : WC_TRISTATE_UNKNOWN;
  WcTristate discoverable = state ? state->discoverable : WC_TRISTATE_UNKNOWN;

  if (visibility == NULL)
    visibility = state && state->default_visibility ? state->default_visibility : "public";

  set_reach (self, WC_RING_MENTIONED, WC_REACH_YES);

  if (g_str_equal (visibility, "public") || g_str_equal (visibility, "unlisted"))
    {
      gboolean listed = g_str_equal (visibility, "public");

      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      set_reach (self, WC_RING_BOOSTERS, WC_REACH_YES);
      set_reach (self, WC_RING_LINK, WC_REACH_YES);

      if (listed)
        {
          set_reach (self, WC_RING_PUBLIC, WC_REACH_YES);
          if (indexable == WC_TRISTATE_NO)
            add_note (self, WC_RING_PUBLIC, _("Not found by Mastodon’s full-text search: you have not opted in."));
          else if (indexable == WC_TRISTATE_YES)
            add_note (self, WC_RING_PUBLIC, _("Found by Mastodon’s full-text search: you opted in."));
          else
            add_note (self, WC_RING_PUBLIC, _("Whether Mastodon’s full-text search finds it depends on a setting Whitecoat could not read."));
          if (discoverable == WC_TRISTATE_YES)
            add_note (self, WC_RING_PUBLIC, _("Your profile is suggested to others, so more people come across your posts."));
        }
      else
        {
          set_reach (self, WC_RING_PUBLIC, WC_REACH_NO);
          add_note (self, WC_RING_PUBLIC, _("Not in public timelines, trends or search."));
        }

      if (noindex == WC_TRISTATE_YES)
        {
          set_reach (self, WC_RING_SEARCH_ENGINES, WC_REACH_NO);
          add_note (self, WC_RING_SEARCH_ENGINES, _("Search engines are asked not to index it — a request that most of them respect."));
        }
      else
        {
          set_reach (self, WC_RING_SEARCH_ENGINES, WC_REACH_YES);
          if (noindex == WC_TRISTATE_UNKNOWN)
            add_note (self, WC_RING_SEARCH_ENGINES, _("Whitecoat could not read whether you asked search engines not to index your posts."));
          if (!listed)
            add_note (self, WC_RING_SEARCH_ENGINES, _("Its page is public: search engines can find it through your profile."));
        }
    }
  else if (g_str_equal (visibility, "private"))
    {
      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      no_from (self, WC_RING_BOOSTERS);
      if (locked == WC_TRISTATE_NO)
        add_note (self, WC_RING_FOLLOWERS, _("Your account is not locked: anyone can follow you and then read it."));
      else if (locked == WC_TRISTATE_UNKNOWN)
        add_note (self, WC_RING_FOLLOWERS, _("Whitecoat does not know whether your account is locked; if it is not, anyone can follow you and then read it."));
      add_note (self, WC_RING_BOOSTERS, _("Cannot be boosted."));
      add_note (self, WC_RING_LINK, _("The link works only for followers and mentioned people who are signed in."));
      add_note (self, WC_RING_PUBLIC, _("Not in public timelines or search."));
      add_note (self, WC_RING_SEARCH_ENGINES, _("Not shown to search engines."));
    }
  else if (g_str_equal (visibility, "direct"))
    {
      no_from (self, WC_RING_FOLLOWERS);
      if (n_mentions == 0)
        add_note (self, WC_RING_MENTIONED, _("Nobody is mentioned: only you will see it."));
      add_note (self, WC_RING_MENTIONED, _("Not end-to-end encrypted: the administrators of the servers involved can read it."));
      add_note (self, WC_RING_FOLLOWERS, _("Followers do not see it unless they are mentioned."));
      add_note (self, WC_RING_BOOSTERS, _("Cannot be boosted."));
      add_note (self, WC_RING_LINK, _("The link works only for the people mentioned."));
      add_note (self, WC_RING_PUBLIC, _("Not in public timelines or search."));
      add_note (self, WC_RING_SEARCH_ENGINES, _("Not shown to search engines."));
    }
  else
    {
      for (guint r = WC_RING_FOLLOWERS; r < WC_N_RINGS; r++)
        {
          set_reach (self, r, WC_REACH_UNKNOWN);
          add_note (self, r, _("Whitecoat does not know this visibility."));
        }
    }
}

/* Bluesky: every post is public (NETWORKS.md §2.6). */
static void
compute_bluesky (WcAudience           *self,
                 const WcAccountState *state)
{
  WcTristate restricted = state ? state->logged_out_restricted : WC_TRISTATE_UNKNOWN;

  for (guint r = 0; r < WC_N_RINGS; r++)
    set_reach (self, r, WC_REACH_YES);

  add_note (self, WC_RING_LINK, _("Every Bluesky post is public: there are no follower-only posts."));
  if (restricted == WC_TRISTATE_YES)
    {
      add_note (self, WC_RING_LINK, _("Not shown to logged-out visitors — a request that apps may ignore."));
      add_note (self, WC_RING_SEARCH_ENGINES, _("Hidden from logged-out visitors on request, which keeps most search engines away; other apps may ignore it."));
    }
  else if (restricted == WC_TRISTATE_NO)
    add_note (self, WC_RING_LINK, _("Shown to logged-out visitors too: you have not asked apps to hide your posts from "
                                    "them (a request apps may ignore)."));
  else
    add_note (self, WC_RING_LINK, _("Whitecoat could not read whether you asked apps to hide your posts from logged-out visitors."));
}

/* Networks without an API: what the user declared in the walkthrough. */
typedef struct
{
  gboolean   known;          /* the walkthrough said anything at all */
  WcTristate private_account;
  WcTristate search_engines;
  gint64     followers_count;
} Declared;

static WcTristate
read_bool (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return WC_TRISTATE_UNKNOWN;
  return json_node_get_boolean (node) ? WC_TRISTATE_YES : WC_TRISTATE_NO;
}

static Declared
read_declared (const WcAccountState *state)
{
  Declared declared = { FALSE, WC_TRISTATE_UNKNOWN, WC_TRISTATE_UNKNOWN, -1 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *count;

  if (state == NULL || state->declared_settings == NULL || *state->declared_settings == '\0')
    return declared;
  root = json_from_string (state->declared_settings, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Declared settings are not a JSON object");
      return declared;
    }
  object = json_node_get_object (root);
  declared.known = json_object_get_size (object) > 0;
  declared.private_account = read_bool (object, WC_DECLARED_PRIVATE);
  declared.search_engines = read_bool (object, WC_DECLARED_SEARCH_ENGINES);
  count = json_object_get_member (object, WC_DECLARED_FOLLOWERS_COUNT);
  if (count != NULL && JSON_NODE_HOLDS_VALUE (count)
      && json_node_get_value_type (count) == G_TYPE_INT64 && json_node_get_int (count) >= 0)
    declared.followers_count = json_node_get_int (count);
  return declared;
}

static void
closed_audience (WcAudience *self)
{
  no_from (self, WC_RING_BOOSTERS);
  add_note (self, WC_RING_BOOSTERS, _("Cannot be shared beyond this audience."));
  add_note (self, WC_RING_LINK, _("The link works only for the people in this audience."));
  add_note (self, WC_RING_PUBLIC, _("Not in public feeds or search."));
  add_note (self, WC_RING_SEARCH_ENGINES, _("Not shown to search engines."));
}

static void
compute_manual (WcAudience           *self,
                const char           *network_id,
                const char           *visibility,
                const Declared       *declared)
{
  gboolean has_private = in_list (network_id, networks_with_private_accounts,
                                  G_N_ELEMENTS (networks_with_private_accounts));
  WcTristate private_account = has_private ? declared->private_account : WC_TRISTATE_NO;

  if (visibility == NULL)
    visibility = "public";

  set_reach (self, WC_RING_MENTIONED, WC_REACH_YES);

  if (!declared->known)
    add_note (self, WC_RING_FOLLOWERS, _("Whitecoat knows this account only from what you tell it in the privacy walkthrough."));

  if (g_str_equal (visibility, "only-me"))
    {
      no_from (self, WC_RING_MENTIONED);
      add_note (self, WC_RING_MENTIONED, _("Only you can see it."));
    }
  else if (g_str_equal (visibility, "secret-board"))
    {
      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      add_note (self, WC_RING_FOLLOWERS, _("Only you and the people you invited to the board."));
      closed_audience (self);
    }
  else if (g_str_equal (visibility, "friends") || g_str_equal (visibility, "connections"))
    {
      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      closed_audience (self);
    }
  else if (g_str_equal (visibility, "friends-of-friends"))
    {
      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      set_reach (self, WC_RING_BOOSTERS, WC_REACH_YES);
      add_note (self, WC_RING_BOOSTERS, _("The friends of your friends see it too."));
      no_from (self, WC_RING_LINK);
      add_note (self, WC_RING_LINK, _("The link works only for your friends and their friends."));
      add_note (self, WC_RING_PUBLIC, _("Not in public feeds or search."));
      add_note (self, WC_RING_SEARCH_ENGINES, _("Not shown to search engines."));
    }
  else if (g_str_equal (visibility, "public") || g_str_equal (visibility, "followers"))
    {
      set_reach (self, WC_RING_FOLLOWERS, WC_REACH_YES);
      if (private_account == WC_TRISTATE_YES)
        {
          add_note (self, WC_RING_FOLLOWERS, _("Your account is private: only the followers you approved see it."));
          closed_audience (self);
        }
      else if (private_account == WC_TRISTATE_UNKNOWN)
        unknown_from (self, WC_RING_BOOSTERS);
      else
        {
          WcTristate search = declared->search_engines;

          set_reach (self, WC_RING_BOOSTERS, WC_REACH_YES);
          set_reach (self, WC_RING_LINK, WC_REACH_YES);
          set_reach (self, WC_RING_PUBLIC, WC_REACH_YES);
          if (search == WC_TRISTATE_UNKNOWN
              && in_list (network_id, networks_indexed_by_default, G_N_ELEMENTS (networks_indexed_by_default)))
            search = WC_TRISTATE_YES;
          if (search == WC_TRISTATE_YES)
            set_reach (self, WC_RING_SEARCH_ENGINES, WC_REACH_YES);
          else if (search == WC_TRISTATE_NO)
            {
              set_reach (self, WC_RING_SEARCH_ENGINES, WC_REACH_NO);
              add_note (self, WC_RING_SEARCH_ENGINES, _("You told Whitecoat that search engines may not list your profile."));
            }
          else
            unknown_from (self, WC_RING_SEARCH_ENGINES);
        }
    }
  else
    unknown_from (self, WC_RING_FOLLOWERS);
}

/* Tagged people */

static gboolean
lookup_tag (GHashTable  *tags,
            const char  *hash,
            WcPersonTag *tag)
{
  gpointer value;

  if (hash == NULL || !g_hash_table_lookup_extended (tags, hash, NULL, &value))
    return FALSE;
  *tag = GPOINTER_TO_INT (value);
  return (guint) *tag < WC_PERSON_N_TAGS;
}

static void
place_mentions (WcAudience               *self,
                const WcAudienceMentions *mentioned,
                GHashTable               *tags)
{
  Ring *ring = &self->rings[WC_RING_MENTIONED];
  guint n = 0;

  for (guint i = 0; mentioned != NULL && i < mentioned->n_items; i++)
    {
      const WcMention *mention = &mentioned->items[i];
      WcPersonTag tag;
      gboolean seen = FALSE;

      if (mention->ref == NULL)
        continue;
      for (guint j = 0; j < i && !seen; j++)
        seen = mention->hash != NULL && g_strcmp0 (mentioned->items[j].hash, mention->hash) == 0;
      if (seen)
        continue;
      n++;
      if (tags != NULL && lookup_tag (tags, mention->hash, &tag))
        {
          WcFlaggedPerson person;

          person.ref = g_string_chunk_insert (self->strings, mention->ref);
          person.name = person.ref;
          person.tag = tag;
          g_array_append_val (ring->flagged, person);
          ring->n_tagged[tag]++;
        }
    }
  ring->count = n;
}

static gboolean
is_mentioned (const WcAudienceMentions *mentioned,
              const char               *hash)
{
  for (guint i = 0; mentioned != NULL && i < mentioned->n_items; i++)
    if (mentioned->items[i].hash != NULL && strcmp (mentioned->items[i].hash, hash) == 0)
      return TRUE;
  return FALSE;
}

/* One pass over the followers; the flagged ones are grouped by tag, in the
 * order of the snapshot. */
static void
place_followers (WcAudience               *self,
                 const WcFollowerSnapshot *snapshot,
                 GHashTable               *tags,
                 const WcAudienceMentions *mentioned)
{
  Ring *ring = &self->rings[WC_RING_FOLLOWERS];
  GArray *by_tag[WC_PERSON_N_TAGS];
  const WcFollower *followers;
  guint n;
  gboolean check_mentions = mentioned != NULL && mentioned->n_items > 0;

  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    by_tag[t] = g_array_new (FALSE, FALSE, sizeof (WcFlaggedPerson));

  for (guint i = 0; i < n; i++)
    {
      const WcFollower *follower = &followers[i];
      WcPersonTag tag;
      WcFlaggedPerson person;

      if (!lookup_tag (tags, follower->hash, &tag))
        continue;
      /* A mentioned follower stands in the narrowest ring only. */
      if (check_mentions && is_mentioned (mentioned, follower->hash))
        continue;
      person.name = follower->display_name ? follower->display_name : follower->ref;
      person.ref = follower->ref;
      person.tag = tag;
      g_array_append_val (by_tag[tag], person);
    }

  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    {
      ring->n_tagged[t] = by_tag[t]->len;
      g_array_append_vals (ring->flagged, by_tag[t]->data, by_tag[t]->len);
      g_array_unref (by_tag[t]);
    }
}

static void
count_tags (GHashTable *tags,
            guint       totals[WC_PERSON_N_TAGS])
{
  GHashTableIter iter;
  gpointer value;

  memset (totals, 0, sizeof (guint) * WC_PERSON_N_TAGS);
  if (tags == NULL)
    return;
  g_hash_table_iter_init (&iter, tags);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((guint) GPOINTER_TO_INT (value) < WC_PERSON_N_TAGS)
      totals[GPOINTER_TO_INT (value)]++;
}

/* Summary and warnings */

static char *
tag_phrase (WcPersonTag tag,
            guint       n)
{
  switch (tag)
    {
    case WC_PERSON_TAG_PATIENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u you tagged as patient", "%u you tagged as patients", n), n);
    case WC_PERSON_TAG_COLLEAGUE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u you tagged as colleague", "%u you tagged as colleagues", n), n);
    case WC_PERSON_TAG_EMPLOYER:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u you tagged as employer", "%u you tagged as employer", n), n);
    case WC_PERSON_TAG_PRESS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u you tagged as press", "%u you tagged as press", n), n);
    case WC_PERSON_TAG_FAMILY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u you tagged as family", "%u you tagged as family", n), n);
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

static gboolean
any_unknown (WcAudience *self)
{
  for (guint r = 0; r < WC_N_RINGS; r++)
    if (self->rings[r].reach == WC_REACH_UNKNOWN)
      return TRUE;
  return FALSE;
}

static char *
headline (WcAudience *self)
{
  int widest = wc_audience_get_widest_ring (self);
  Ring *followers = &self->rings[WC_RING_FOLLOWERS];

  gboolean search = self->rings[WC_RING_SEARCH_ENGINES].reach == WC_REACH_YES;

  if (self->rings[WC_RING_PUBLIC].reach == WC_REACH_YES)
    return g_strdup (search ? _("Public: anyone, including search engines") : _("Public: anyone"));
  if (self->rings[WC_RING_LINK].reach == WC_REACH_YES)
    return g_strdup (search ? _("Anyone with the link; search engines may list it") : _("Anyone with the link"));

  switch (widest)
    {
    case WC_RING_BOOSTERS:
      return g_strdup (_("Followers and their followers"));
    case WC_RING_FOLLOWERS:
      if (followers->count >= 0)
        {
          g_autofree char *count = format_count (followers->count);

          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Followers only: %s person",
                                               "Followers only: %s people",
                                               (gulong) MIN (followers->count, G_MAXULONG)),
                                  count);
        }
      return g_strdup (_("Followers only: number unknown"));
    case WC_RING_MENTIONED:
      if (self->rings[WC_RING_MENTIONED].count > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mentioned people only: %u person",
                                             "Mentioned people only: %u people",
                                             (gulong) self->rings[WC_RING_MENTIONED].count),
                                (guint) self->rings[WC_RING_MENTIONED].count);
      return g_strdup (_("Only you: nobody is mentioned"));
    default:
      if (any_unknown (self))
        return g_strdup (_("Unknown — run the privacy walkthrough"));
      return g_strdup (_("Only you"));
    }
}

static void
make_summary (WcAudience *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *head = headline (self);
  int widest = wc_audience_get_widest_ring (self);

  g_string_append (summary, head);
  if (widest >= 0 && self->manual && any_unknown (self))
    {
      /* Known up to a ring, unknown beyond it. */
      g_string_append (summary, _(", perhaps more — run the privacy walkthrough"));
    }
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    {
      guint n = wc_audience_count_tagged_reached (self, t);

      if (n > 0)
        {
          g_autofree char *phrase = tag_phrase (t, n);

          g_string_append (summary, ", ");
          g_string_append (summary, phrase);
        }
    }
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
}

static gboolean
reaches_anyone (WcAudience *self)
{
  return self->rings[WC_RING_LINK].reach == WC_REACH_YES
         || self->rings[WC_RING_PUBLIC].reach == WC_REACH_YES;
}

static void
make_warnings (WcAudience  *self,
               NetworkKind  kind,
               WcTristate   account_private)
{
  guint patients = wc_audience_count_tagged_reached (self, WC_PERSON_TAG_PATIENT);
  guint colleagues = wc_audience_count_tagged_reached (self, WC_PERSON_TAG_COLLEAGUE);
  guint employers = wc_audience_count_tagged_reached (self, WC_PERSON_TAG_EMPLOYER);
  gboolean personal = self->identity == WC_IDENTITY_PERSONAL;

  if (personal && patients + colleagues > 0)
    {
      char *detail;

      if (patients > 0 && colleagues > 0)
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u person you tagged as patient or colleague can see it.",
                                               "%u people you tagged as patient or colleague can see it.",
                                               patients + colleagues),
                                  patients + colleagues);
      else if (patients > 0)
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u person you tagged as patient can see it.",
                                               "%u people you tagged as patient can see it.",
                                               patients),
                                  patients);
      else
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u person you tagged as colleague can see it.",
                                               "%u people you tagged as colleague can see it.",
                                               colleagues),
                                  colleagues);
      /* Patients weigh more than colleagues (rule R2). */
      add_warning (self, "audience.tagged-in-personal", patients > 0, detail);
    }

  if (personal && account_private != WC_TRISTATE_YES && reaches_anyone (self))
    add_warning (self, "audience.personal-public", FALSE, NULL);

  if (!personal && account_private == WC_TRISTATE_NO
      && self->rings[WC_RING_FOLLOWERS].reach == WC_REACH_YES
      && self->rings[WC_RING_BOOSTERS].reach == WC_REACH_NO
      && self->rings[WC_RING_MENTIONED].reach == WC_REACH_YES
      && self->visibility != NULL
      && ((kind == NETWORK_MASTODON && g_str_equal (self->visibility, "private"))
          || (kind == NETWORK_MANUAL && (g_str_equal (self->visibility, "friends")
                                         || g_str_equal (self->visibility, "connections")))))
    add_warning (self, "audience.professional-followers-only", FALSE, NULL);

  if (employers > 0)
    add_warning (self, "audience.employer", personal,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u person you tagged as employer can see it.",
                                               "%u people you tagged as employer can see it.",
                                               employers),
                                  employers));
}

/* Public API */

/**
 * wc_audience_compute:
 * @state: (nullable): the account's state; %NULL when never read
 * @followers: (nullable): the account's followers; %NULL when never read
 * @tags: (nullable) (element-type utf8 gint): person tags, from hash to
 *   GINT_TO_POINTER (WcPersonTag) (wc_store_load_person_tags())
 * @identity: the identity the draft is written as
 * @network_id: "mastodon", "bluesky" or a network without an API
 * @visibility: (nullable): an audience option id of the network; %NULL
 *   for the account's default
 * @mentioned: (nullable): the handles mentioned in the draft, with hashes
 *
 * Works out who can see a post. Pure: it reads nothing but its arguments,
 * and runs in one pass over the followers (a few milliseconds for 100,000).
 *
 * Returns: (transfer full): the audience
 */
WcAudience *
wc_audience_compute (const WcAccountState     *state,
                     const WcFollowerSnapshot *followers,
                     GHashTable               *tags,
                     WcIdentityKind            identity,
                     const char               *network_id,
                     const char               *visibility,
                     const WcAudienceMentions *mentioned)
{
  WcAudience *self;
  NetworkKind kind;
  WcTristate account_private = WC_TRISTATE_UNKNOWN;
  Declared declared = { FALSE, WC_TRISTATE_UNKNOWN, WC_TRISTATE_UNKNOWN, -1 };
  guint totals[WC_PERSON_N_TAGS];
  Ring *followers_ring;
  Ring *link_ring;

  g_return_val_if_fail (network_id != NULL, NULL);

  self = g_new0 (WcAudience, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->network_id = g_strdup (network_id);
  self->identity = identity;
  self->strings = g_string_chunk_new (256);
  self->warnings = g_array_new (FALSE, TRUE, sizeof (WcAudienceWarning));
  g_array_set_clear_func (self->warnings, clear_warning);
  for (guint r = 0; r < WC_N_RINGS; r++)
    {
      self->rings[r].reach = WC_REACH_NO;
      self->rings[r].count = -1;
      self->rings[r].flagged = g_array_new (FALSE, FALSE, sizeof (WcFlaggedPerson));
      self->rings[r].notes = g_ptr_array_new_null_terminated (2, g_free, TRUE);
    }
  if (state != NULL)
    self->state_taken_at = state->taken_at;
  if (followers != NULL)
    {
      self->snapshot = wc_follower_snapshot_ref ((WcFollowerSnapshot *) followers);
      self->snapshot_taken_at = wc_follower_snapshot_get_taken_at (followers);
    }

  if (g_str_equal (network_id, "mastodon"))
    kind = NETWORK_MASTODON;
  else if (g_str_equal (network_id, "bluesky"))
    kind = NETWORK_BLUESKY;
  else
    kind = NETWORK_MANUAL;

  switch (kind)
    {
    case NETWORK_MASTODON:
      if (visibility == NULL)
        visibility = state && state->default_visibility ? state->default_visibility : "public";
      self->visibility = g_strdup (visibility);
      account_private = state ? state->locked : WC_TRISTATE_UNKNOWN;
      compute_mastodon (self, state, visibility,
                        mentioned ? mentioned->n_items : 0);
      break;
    case NETWORK_BLUESKY:
      self->visibility = g_strdup ("public");
      account_private = WC_TRISTATE_NO;
      compute_bluesky (self, state);
      break;
    case NETWORK_MANUAL:
    default:
      self->manual = TRUE;
      declared = read_declared (state);
      self->visibility = g_strdup (visibility ? visibility : "public");
      account_private = in_list (network_id, networks_with_private_accounts,
                                 G_N_ELEMENTS (networks_with_private_accounts))
                        ? declared.private_account : WC_TRISTATE_NO;
      compute_manual (self, network_id, self->visibility, &declared);
      break;
    }

  /* Counts: only what a network reported; never an estimate. */
  followers_ring = &self->rings[WC_RING_FOLLOWERS];
  if (declared.followers_count >= 0)
    followers_ring->count = declared.followers_count;
  else if (state != NULL && state->followers_count >= 0)
    followers_ring->count = state->followers_count;
  else if (followers != NULL && wc_follower_snapshot_get_followers_count (followers) >= 0)
    followers_ring->count = wc_follower_snapshot_get_followers_count (followers);
  else if (followers != NULL && wc_follower_snapshot_get_complete (followers)
           && !wc_follower_snapshot_get_hidden (followers))
    {
      guint n;

      wc_follower_snapshot_get_followers (followers, &n);
      followers_ring->count = n;
    }

  place_mentions (self, mentioned, tags);
  if (followers != NULL && tags != NULL && g_hash_table_size (tags) > 0
      && !wc_follower_snapshot_get_hidden (followers))
    place_followers (self, followers, tags, mentioned);

  if (followers != NULL && wc_follower_snapshot_get_hidden (followers))
    add_note (self, WC_RING_FOLLOWERS, _("Whitecoat could not read your followers, so tagged followers are not shown."));
  else if (followers != NULL && !wc_follower_snapshot_get_complete (followers))
    add_note (self, WC_RING_FOLLOWERS, _("Whitecoat read only part of your followers: some tagged followers may be missing."));
  else if (followers == NULL && kind != NETWORK_MANUAL)
    add_note (self, WC_RING_FOLLOWERS, _("Whitecoat has not read your followers yet, so tagged followers are not shown."));
  else if (followers == NULL)
    add_note (self, WC_RING_FOLLOWERS, _("Whitecoat cannot see who follows you on this network, so tagged people are not shown by name."));

  /* "Anyone" includes every tagged person not already placed. */
  count_tags (tags, totals);
  link_ring = &self->rings[WC_RING_LINK];
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    {
      guint placed = self->rings[WC_RING_MENTIONED].n_tagged[t] + followers_ring->n_tagged[t];

      link_ring->n_tagged[t] = totals[t] > placed ? totals[t] - placed : 0;
    }

  make_summary (self);
  make_warnings (self, kind, account_private);
  return self;
}

WcAudience *
wc_audience_ref (WcAudience *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_audience_unref (WcAudience *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint r = 0; r < WC_N_RINGS; r++)
    {
      g_array_unref (self->rings[r].flagged);
      g_ptr_array_unref (self->rings[r].notes);
    }
  g_clear_pointer (&self->snapshot, wc_follower_snapshot_unref);
  g_string_chunk_free (self->strings);
  g_array_unref (self->warnings);
  g_free (self->network_id);
  g_free (self->visibility);
  g_free (self->summary);
  g_free (self);
}

const char *
wc_audience_get_network_id (WcAudience *self)
{
  return self->network_id;
}

/**
 * wc_audience_get_visibility:
 *
 * Returns: the visibility the audience was computed for (the account's
 *   default when none was given)
 */
const char *
wc_audience_get_visibility (WcAudience *self)
{
  return self->visibility;
}

WcIdentityKind
wc_audience_get_identity (WcAudience *self)
{
  return self->identity;
}

WcReach
wc_audience_get_reach (WcAudience *self,
                       WcRing      ring)
{
  g_return_val_if_fail ((guint) ring < WC_N_RINGS, WC_REACH_UNKNOWN);
  return self->rings[ring].reach;
}

/**
 * wc_audience_get_count:
 *
 * Returns: how many people are in @ring, when a network said so (followers)
 *   or the draft does (mentions); -1 for unknown
 */
gint64
wc_audience_get_count (WcAudience *self,
                       WcRing      ring)
{
  g_return_val_if_fail ((guint) ring < WC_N_RINGS, -1);
  return self->rings[ring].count;
}

/**
 * wc_audience_get_flagged:
 * @n_flagged: (out): how many
 *
 * The tagged people known to stand in @ring — mentioned people in
 * %WC_RING_MENTIONED, followers in %WC_RING_FOLLOWERS — grouped by tag
 * (patients first). A person stands only in the narrowest ring. Whether the
 * post reaches them is wc_audience_get_reach().
 *
 * Returns: (transfer none) (array length=n_flagged): the people
 */
const WcFlaggedPerson *
wc_audience_get_flagged (WcAudience *self,
                         WcRing      ring,
                         guint      *n_flagged)
{
  g_return_val_if_fail ((guint) ring < WC_N_RINGS, NULL);
  if (n_flagged != NULL)
    *n_flagged = self->rings[ring].flagged->len;
  return (const WcFlaggedPerson *) (gpointer) self->rings[ring].flagged->data;
}

/**
 * wc_audience_get_n_tagged:
 *
 * Returns: how many people tagged @tag stand in @ring; for %WC_RING_LINK
 *   ("anyone") the tagged people who are neither mentioned nor followers
 */
guint
wc_audience_get_n_tagged (WcAudience  *self,
                          WcRing       ring,
                          WcPersonTag  tag)
{
  g_return_val_if_fail ((guint) ring < WC_N_RINGS, 0);
  g_return_val_if_fail ((guint) tag < WC_PERSON_N_TAGS, 0);
  return self->rings[ring].n_tagged[tag];
}

/**
 * wc_audience_get_notes:
 *
 * Returns: (transfer none) (array zero-terminated=1): translated notes on
 *   @ring: what is not reached, what is only a request, what is unknown
 */
const char * const *
wc_audience_get_notes (WcAudience *self,
                       WcRing      ring)
{
  g_return_val_if_fail ((guint) ring < WC_N_RINGS, NULL);
  return (const char * const *) self->rings[ring].notes->pdata;
}

/**
 * wc_audience_get_widest_ring:
 *
 * Returns: the widest ring the post surely reaches (a #WcRing), or -1
 */
int
wc_audience_get_widest_ring (WcAudience *self)
{
  for (int r = WC_N_RINGS - 1; r >= 0; r--)
    if (self->rings[r].reach == WC_REACH_YES)
      return r;
  return -1;
}

/**
 * wc_audience_count_tagged_reached:
 *
 * Returns: how many people tagged @tag the post surely reaches
 */
guint
wc_audience_count_tagged_reached (WcAudience  *self,
                                  WcPersonTag  tag)
{
  guint n = 0;

  g_return_val_if_fail ((guint) tag < WC_PERSON_N_TAGS, 0);
  for (guint r = 0; r < WC_N_RINGS; r++)
    if (self->rings[r].reach == WC_REACH_YES)
      n += self->rings[r].n_tagged[tag];
  return n;
}

/**
 * wc_audience_get_summary:
 *
 * Returns: one translated line: "Followers only: 312 people, 2 you tagged
 *   as patients"
 */
const char *
wc_audience_get_summary (WcAudience *self)
{
  return self->summary;
}

/**
 * wc_ring_get_label:
 *
 * Returns: the ring's name, translated
 */
const char *
wc_ring_get_label (WcRing ring)
{
  switch (ring)
    {
    case WC_RING_MENTIONED:
      return _("People mentioned");
    case WC_RING_FOLLOWERS:
      return _("Followers");
    case WC_RING_BOOSTERS:
      return _("Followers of people who boost or share it");
    case WC_RING_LINK:
      return _("Anyone with the link");
    case WC_RING_PUBLIC:
      return _("Public timelines and search");
    case WC_RING_SEARCH_ENGINES:
      return _("Search engines");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * wc_audience_dup_ring_text:
 *
 * The ring in words, for screen readers and the plain list: "Followers:
 * reached, 312 people. Tagged: Anna (Patient). Cannot be boosted."
 *
 * Returns: (transfer full): the text
 */
char *
wc_audience_dup_ring_text (WcAudience *self,
                           WcRing      ring)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Ring *r;

  g_return_val_if_fail ((guint) ring < WC_N_RINGS, NULL);
  r = &self->rings[ring];

  g_string_append (text, wc_ring_get_label (ring));
  g_string_append (text, ": ");
  if (r->reach == WC_REACH_YES)
    g_string_append (text, _("reached"));
  else if (r->reach == WC_REACH_NO)
    g_string_append (text, _("not reached"));
  else
    g_string_append (text, _("unknown"));

  if (r->count >= 0 && ring != WC_RING_MENTIONED)
    {
      g_autofree char *count = format_count (r->count);

      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s person", "%s people",
                                                 (gulong) MIN (r->count, G_MAXULONG)),
                              count);
    }
  else if (ring == WC_RING_MENTIONED && r->count > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people",
                                                 (gulong) r->count),
                              (guint) r->count);
    }
  g_string_append (text, ".");

  if (r->flagged->len > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Tagged:"));
      for (guint i = 0; i < r->flagged->len; i++)
        {
          WcFlaggedPerson *person = &g_array_index (r->flagged, WcFlaggedPerson, i);

          g_string_append_printf (text, i == 0 ? " %s (%s)" : ", %s (%s)",
                                  person->name, wc_person_tag_get_label (person->tag));
        }
      g_string_append (text, ".");
    }
  else if (ring == WC_RING_LINK)
    {
      for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
        if (r->n_tagged[t] > 0)
          {
            g_autofree char *phrase = tag_phrase (t, r->n_tagged[t]);

            g_string_append_c (text, ' ');
            g_string_append_printf (text, _("Also %s."), phrase);
          }
    }

  for (guint i = 0; i < r->notes->len; i++)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, g_ptr_array_index (r->notes, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * wc_audience_get_snapshot_taken_at:
 *
 * Returns: when the followers were read (seconds since the epoch), or 0
 */
gint64
wc_audience_get_snapshot_taken_at (WcAudience *self)
{
  return self->snapshot_taken_at;
}

/**
 * wc_audience_get_state_taken_at:
 *
 * Returns: when the account's settings were read, or 0
 */
gint64
wc_audience_get_state_taken_at (WcAudience *self)
{
  return self->state_taken_at;
}

/**
 * wc_format_age:
 * @then: a time in seconds since the epoch
 * @now: the current time, likewise
 *
 * Returns: (transfer full): "just now", "5 minutes ago", "2 hours ago",
 *   "3 days ago", translated
 */
char *
wc_format_age (gint64 then,
               gint64 now)
{
  gint64 seconds = MAX (now - then, 0);

  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute ago", "%u minutes ago",
                                         (gulong) (seconds / 60)),
                            (guint) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour ago", "%u hours ago",
                                         (gulong) (seconds / 3600)),
                            (guint) (seconds / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago",
                                       (gulong) (seconds / 86400)),
                          (guint) (seconds / 86400));
}

/**
 * wc_audience_dup_snapshot_age:
 * @now: the current time in seconds since the epoch
 *
 * Returns: (transfer full) (nullable): "Followers as of 2 hours ago", or
 *   %NULL when the followers were never read
 */
char *
wc_audience_dup_snapshot_age (WcAudience *self,
                              gint64      now)
{
  g_autofree char *age = NULL;

  if (self->snapshot_taken_at <= 0)
    return NULL;
  age = wc_format_age (self->snapshot_taken_at, now);
  /* Translators: %s is a time such as "2 hours ago". */
  return g_strdup_printf (_("Followers as of %s"), age);
}

/**
 * wc_audience_get_warnings:
 * @n_warnings: (out): how many
 *
 * Returns: (transfer none) (array length=n_warnings): the warnings
 */
const WcAudienceWarning *
wc_audience_get_warnings (WcAudience *self,
                          guint      *n_warnings)
{
  if (n_warnings != NULL)
    *n_warnings = self->warnings->len;
  return (const WcAudienceWarning *) (gpointer) self->warnings->data;
}

gboolean
wc_audience_has_warning (WcAudience *self,
                         const char *check_id)
{
  for (guint i = 0; i < self->warnings->len; i++)
    if (g_strcmp0 (g_array_index (self->warnings, WcAudienceWarning, i).check_id, check_id) == 0)
      return TRUE;
  return FALSE;
}

/**
 * wc_audience_make_findings:
 * @checker: the checker holding data/checks/checks.json
 *
 * Dresses the warnings as findings. A warning whose check the definitions
 * do not know is left out.
 *
 * Returns: (transfer full) (element-type WcFinding): the findings
 */
GPtrArray *
wc_audience_make_findings (WcAudience *self,
                           WcChecker  *checker)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_finding_unref);

  for (guint i = 0; i < self->warnings->len; i++)
    {
      WcAudienceWarning *warning = &g_array_index (self->warnings, WcAudienceWarning, i);

      if (!wc_checker_has_check (checker, warning->check_id))
        {
          g_debug ("No definition for %s", warning->check_id);
          continue;
        }
      g_ptr_array_add (findings, wc_checker_make_finding (checker, warning->check_id,
                                                          warning->escalate, warning->detail));
    }
  return findings;
}
