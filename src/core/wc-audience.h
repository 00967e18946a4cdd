/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-checker.h"
#include "wc-identity.h"
#include "wc-person.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* Who can see a post: a pure function of the account's state, its
 * followers, the person tags, the identity, the network and the
 * visibility. The answer is a set of rings, narrowest first, each reached
 * or not, with a count where one is known, the tagged people inside it and
 * notes on what is not reached; a one-line summary; and the warnings the
 * audience raises (check ids of data/checks/checks.json). */

typedef enum
{
  WC_RING_MENTIONED,       /* people mentioned in the post */
  WC_RING_FOLLOWERS,       /* followers, friends, connections */
  WC_RING_BOOSTERS,        /* followers of people who boost or share it */
  WC_RING_LINK,            /* anyone with the link */
  WC_RING_PUBLIC,          /* public timelines and search on the network */
  WC_RING_SEARCH_ENGINES,  /* search engines */
} WcRing;

#define WC_N_RINGS 6

typedef enum
{
  WC_REACH_NO,
  WC_REACH_YES,
  WC_REACH_UNKNOWN,
} WcReach;

/* A person mentioned in the draft: the handle as written, and the keyed
 * hash of its normalised form (wc_hasher_hash_handle()), or NULL. */
typedef struct
{
  const char *ref;
  const char *hash;
} WcMention;

typedef struct
{
  const WcMention *items;
  guint            n_items;
} WcAudienceMentions;

/* A tagged person inside a ring. The strings belong to the snapshot or the
 * mentions the audience was computed from; the audience keeps the snapshot
 * alive, and copies the mentions. */
typedef struct
{
  const char  *name;  /* display name, or the handle when there is none */
  const char  *ref;   /* the handle */
  WcPersonTag  tag;
} WcFlaggedPerson;

/* A warning the audience raises: a check id of data/checks/checks.json, and
 * a translated sentence to append to the check's message (nullable). */
typedef struct
{
  const char *check_id;
  gboolean    escalate;
  char       *detail;
} WcAudienceWarning;

typedef struct _WcAudience WcAudience;

#define WC_TYPE_AUDIENCE (wc_audience_get_type ())
GType        wc_audience_get_type        (void) G_GNUC_CONST;

WcAudience  *wc_audience_compute         (const WcAccountState     *state,
                                          const WcFollowerSnapshot *followers,
                                          GHashTable               *tags,
                                          WcIdentityKind            identity,
                                          const char               *network_id,
                                          const char               *visibility,
                                          const WcAudienceMentions *mentioned);
WcAudience  *wc_audience_ref             (WcAudience   *self);
void         wc_audience_unref           (WcAudience   *self);

const char  *wc_audience_get_network_id  (WcAudience   *self);
const char  *wc_audience_get_visibility  (WcAudience   *self);
WcIdentityKind wc_audience_get_identity  (WcAudience   *self);

WcReach      wc_audience_get_reach       (WcAudience   *self,
                                          WcRing        ring);
gint64       wc_audience_get_count       (WcAudience   *self,
                                          WcRing        ring);
const WcFlaggedPerson *wc_audience_get_flagged (WcAudience *self,
                                          WcRing        ring,
                                          guint        *n_flagged);
guint        wc_audience_get_n_tagged    (WcAudience   *self,
                                          WcRing        ring,
                                          WcPersonTag   tag);
const char * const *wc_audience_get_notes (WcAudience  *self,
                                          WcRing        ring);
int          wc_audience_get_widest_ring (WcAudience   *self);
guint        wc_audience_count_tagged_reached (WcAudience *self,
                                          WcPersonTag   tag);
const char  *wc_audience_get_summary     (WcAudience   *self);
char        *wc_audience_dup_ring_text   (WcAudience   *self,
                                          WcRing        ring);

gint64       wc_audience_get_snapshot_taken_at (WcAudience *self);
gint64       wc_audience_get_state_taken_at    (WcAudience *self);
char        *wc_audience_dup_snapshot_age      (WcAudience *self,
                                                gint64      now);

const WcAudienceWarning *wc_audience_get_warnings (WcAudience *self,
                                                   guint      *n_warnings);
gboolean     wc_audience_has_warning     (WcAudience   *self,
                                          const char   *check_id);
GPtrArray   *wc_audience_make_findings   (WcAudience   *self,
                                          WcChecker    *checker);

const char  *wc_ring_get_label           (WcRing        ring);
char        *wc_format_age               (gint64        then,
                                          gint64        now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcAudience, wc_audience_unref)

G_END_DECLS
