/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-person.h"

G_BEGIN_DECLS

/* What a network told us about an account at one moment: its privacy flags
 * and counts (WcAccountState), and who follows it (WcFollowerSnapshot). The
 * network layer fills them, the store keeps them with their date, and
 * wc_audience_compute() reads them. */

typedef enum
{
  WC_TRISTATE_UNKNOWN = -1,
  WC_TRISTATE_NO = 0,
  WC_TRISTATE_YES = 1,
} WcTristate;

typedef struct
{
  gint64      account_id;
  gint64      taken_at;               /* seconds since the epoch; 0 = never read */
  WcTristate  locked;                 /* follows need approval (Mastodon locked) */
  WcTristate  discoverable;           /* profile directory and suggestions */
  WcTristate  indexable;              /* public posts in full-text search */
  WcTristate  noindex;                /* opted out of search-engine indexing */
  WcTristate  hide_collections;       /* follower and following lists hidden */
  WcTristate  bot;
  WcTristate  logged_out_restricted;  /* Bluesky "!no-unauthenticated" */
  char       *default_visibility;     /* nullable */
  gint64      followers_count;        /* -1 = unknown */
  gint64      following_count;        /* -1 = unknown */
  char       *declared_settings;      /* JSON object from the walkthrough (manual networks); nullable */
} WcAccountState;

/* The keys of declared_settings that the audience reads. The walkthrough
 * writes them when the user answers; a key missing means "not asked yet". */
#define WC_DECLARED_WALKTHROUGH_AT  "walkthrough-at"   /* int: when the walkthrough ran */
#define WC_DECLARED_PRIVATE         "private"          /* bool: only approved followers/friends see posts */
#define WC_DECLARED_SEARCH_ENGINES  "search-engines"   /* bool: search engines may index the profile */
#define WC_DECLARED_FOLLOWERS_COUNT "followers-count"  /* int: followers/friends/connections */
/* Read through an API, kept here for want of a column: Bluesky's default
 * who-can-reply, as a walkthrough value ("everybody", "following" …). */
#define WC_DECLARED_REPLY_DEFAULT   "reply-default"

#define WC_TYPE_ACCOUNT_STATE (wc_account_state_get_type ())
GType           wc_account_state_get_type (void) G_GNUC_CONST;
WcAccountState *wc_account_state_new      (gint64                account_id);
WcAccountState *wc_account_state_copy     (const WcAccountState *state);
void            wc_account_state_free     (WcAccountState       *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcAccountState, wc_account_state_free)

/* One follower. The strings live in the snapshot's string chunk. */
typedef struct
{
  const char *ref;           /* public handle or acct: "anna@med.example" */
  const char *display_name;  /* nullable */
  const char *hash;          /* keyed hash of the normalised handle; nullable */
} WcFollower;

typedef struct _WcFollowerSnapshot WcFollowerSnapshot;

#define WC_TYPE_FOLLOWER_SNAPSHOT (wc_follower_snapshot_get_type ())
GType               wc_follower_snapshot_get_type          (void) G_GNUC_CONST;
WcFollowerSnapshot *wc_follower_snapshot_new               (gint64              account_id,
                                                            gint64              taken_at);
WcFollowerSnapshot *wc_follower_snapshot_ref               (WcFollowerSnapshot *self);
void                wc_follower_snapshot_unref             (WcFollowerSnapshot *self);

gint64              wc_follower_snapshot_get_id            (const WcFollowerSnapshot *self);
void                wc_follower_snapshot_set_id            (WcFollowerSnapshot *self,
                                                            gint64              id);
gint64              wc_follower_snapshot_get_account_id    (const WcFollowerSnapshot *self);
gint64              wc_follower_snapshot_get_taken_at      (const WcFollowerSnapshot *self);
gboolean            wc_follower_snapshot_get_complete      (const WcFollowerSnapshot *self);
void                wc_follower_snapshot_set_complete      (WcFollowerSnapshot *self,
                                                            gboolean            complete);
gboolean            wc_follower_snapshot_get_hidden        (const WcFollowerSnapshot *self);
void                wc_follower_snapshot_set_hidden        (WcFollowerSnapshot *self,
                                                            gboolean            hidden);
gint64              wc_follower_snapshot_get_followers_count (const WcFollowerSnapshot *self);
void                wc_follower_snapshot_set_followers_count (WcFollowerSnapshot *self,
                                                            gint64              count);

void                wc_follower_snapshot_reserve           (WcFollowerSnapshot *self,
                                                            guint               n);
void                wc_follower_snapshot_add               (WcFollowerSnapshot *self,
                                                            const char         *ref,
                                                            const char         *display_name,
                                                            const char         *hash);
gboolean            wc_follower_snapshot_add_hashed        (WcFollowerSnapshot *self,
                                                            WcHasher           *hasher,
                                                            const char         *ref,
                                                            const char         *display_name);
const WcFollower   *wc_follower_snapshot_get_followers     (const WcFollowerSnapshot *self,
                                                            guint              *n_followers);
gsize               wc_follower_snapshot_get_memory_size   (const WcFollowerSnapshot *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcFollowerSnapshot, wc_follower_snapshot_unref)

G_END_DECLS
