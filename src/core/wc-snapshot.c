/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-snapshot"

#include "config.h"

#include <string.h>

#include "wc-snapshot.h"

struct _WcFollowerSnapshot
{
  gatomicrefcount  ref_count;
  gint64           id;
  gint64           account_id;
  gint64           taken_at;
  gint64           followers_count;
  gboolean         complete;
  gboolean         hidden;
  GArray          *followers;    /* WcFollower */
  GStringChunk    *strings;      /* every string the followers point to */
  gsize            string_bytes;
};

G_DEFINE_BOXED_TYPE (WcAccountState, wc_account_state, wc_account_state_copy, wc_account_state_free)
G_DEFINE_BOXED_TYPE (WcFollowerSnapshot, wc_follower_snapshot,
                     wc_follower_snapshot_ref, wc_follower_snapshot_unref)

/* Account state */

/**
 * wc_account_state_new:
 *
 * Returns: (transfer full): a state where everything is unknown
 */
WcAccountState *
wc_account_state_new (gint64 account_id)
{
  WcAccountState *state = g_new0 (WcAccountState, 1);

  state->account_id = account_id;
  state->locked = WC_TRISTATE_UNKNOWN;
  state->discoverable = WC_TRISTATE_UNKNOWN;
  state->indexable = WC_TRISTATE_UNKNOWN;
  state->noindex = WC_TRISTATE_UNKNOWN;
  state->hide_collections = WC_TRISTATE_UNKNOWN;
  state->bot = WC_TRISTATE_UNKNOWN;
  state->logged_out_restricted = WC_TRISTATE_UNKNOWN;
  state->followers_count = -1;
  state->following_count = -1;
  return state;
}

WcAccountState *
wc_account_state_copy (const WcAccountState *state)
{
  WcAccountState *copy;

  g_return_val_if_fail (state != NULL, NULL);
  copy = g_memdup2 (state, sizeof *state);
  copy->default_visibility = g_strdup (state->default_visibility);
  copy->declared_settings = g_strdup (state->declared_settings);
  return copy;
}

void
wc_account_state_free (WcAccountState *state)
{
  if (state == NULL)
    return;
  g_free (state->default_visibility);
  g_free (state->declared_settings);
  g_free (state);
}

/* Follower snapshot */

/**
 * wc_follower_snapshot_new:
 * @taken_at: when the list was read, in seconds since the epoch
 *
 * Returns: (transfer full): an empty, complete snapshot
 */
WcFollowerSnapshot *
wc_follower_snapshot_new (gint64 account_id,
                          gint64 taken_at)
{
  WcFollowerSnapshot *self = g_new0 (WcFollowerSnapshot, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = -1;
  self->account_id = account_id;
  self->taken_at = taken_at;
  self->followers_count = -1;
  self->complete = TRUE;
  self->followers = g_array_new (FALSE, FALSE, sizeof (WcFollower));
  self->strings = g_string_chunk_new (64 * 1024);
  return self;
}

WcFollowerSnapshot *
wc_follower_snapshot_ref (WcFollowerSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_follower_snapshot_unref (WcFollowerSnapshot *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->followers);
  g_string_chunk_free (self->strings);
  g_free (self);
}

gint64
wc_follower_snapshot_get_id (const WcFollowerSnapshot *self)
{
  return self->id;
}

void
wc_follower_snapshot_set_id (WcFollowerSnapshot *self,
                             gint64              id)
{
  self->id = id;
}

gint64
wc_follower_snapshot_get_account_id (const WcFollowerSnapshot *self)
{
  return self->account_id;
}

gint64
wc_follower_snapshot_get_taken_at (const WcFollowerSnapshot *self)
{
  return self->taken_at;
}

/**
 * wc_follower_snapshot_get_complete:
 *
 * Returns: whether every follower was read (a network may stop early: rate
 *   limits, a list too long to page through)
 */
gboolean
wc_follower_snapshot_get_complete (const WcFollowerSnapshot *self)
{
  return self->complete;
}

void
wc_follower_snapshot_set_complete (WcFollowerSnapshot *self,
                                   gboolean            complete)
{
  self->complete = !!complete;
}

/**
 * wc_follower_snapshot_get_hidden:
 *
 * Returns: whether the network would not give the list at all
 */
gboolean
wc_follower_snapshot_get_hidden (const WcFollowerSnapshot *self)
{
  return self->hidden;
}

void
wc_follower_snapshot_set_hidden (WcFollowerSnapshot *self,
                                 gboolean            hidden)
{
  self->hidden = !!hidden;
}

/**
 * wc_follower_snapshot_get_followers_count:
 *
 * Returns: the number of followers the network reported, or -1
 */
gint64
wc_follower_snapshot_get_followers_count (const WcFollowerSnapshot *self)
{
  return self->followers_count;
}

void
wc_follower_snapshot_set_followers_count (WcFollowerSnapshot *self,
                                          gint64              count)
{
  self->followers_count = count;
}

void
wc_follower_snapshot_reserve (WcFollowerSnapshot *self,
                              guint               n)
{
  if (n > self->followers->len)
    g_array_set_size (g_array_set_size (self->followers, n), self->followers->len);
}

static const char *
keep (WcFollowerSnapshot *self,
      const char         *str)
{
  if (str == NULL)
    return NULL;
  self->string_bytes += strlen (str) + 1;
  return g_string_chunk_insert (self->strings, str);
}

/**
 * wc_follower_snapshot_add:
 * @ref: the follower's public handle
 * @display_name: (nullable): their display name
 * @hash: (nullable): the keyed hash of the normalised handle
 *
 * Adds a follower; the strings are copied.
 */
void
wc_follower_snapshot_add (WcFollowerSnapshot *self,
                          const char         *ref,
                          const char         *display_name,
                          const char         *hash)
{
  WcFollower follower;

  g_return_if_fail (self != NULL);
  g_return_if_fail (ref != NULL);

  follower.ref = keep (self, ref);
  follower.display_name = display_name != NULL && *display_name ? keep (self, display_name) : NULL;
  follower.hash = keep (self, hash);
  g_array_append_val (self->followers, follower);
}

/**
 * wc_follower_snapshot_add_hashed:
 * @hasher: the doctor's hasher
 *
 * Adds a follower with the hash of its normalised handle, so that the
 * audience needs no hashing.
 *
 * Returns: whether @ref was a handle (the follower is added either way)
 */
gboolean
wc_follower_snapshot_add_hashed (WcFollowerSnapshot *self,
                                 WcHasher           *hasher,
                                 const char         *ref,
                                 const char         *display_name)
{
  g_autofree char *hash = wc_hasher_hash_handle (hasher, ref);

  wc_follower_snapshot_add (self, ref, display_name, hash);
  return hash != NULL;
}

/**
 * wc_follower_snapshot_get_followers:
 * @n_followers: (out): how many
 *
 * Returns: (transfer none) (array length=n_followers): the followers
 */
const WcFollower *
wc_follower_snapshot_get_followers (const WcFollowerSnapshot *self,
                                    guint                    *n_followers)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_followers != NULL)
    *n_followers = self->followers->len;
  return (const WcFollower *) (gpointer) self->followers->data;
}

/**
 * wc_follower_snapshot_get_memory_size:
 *
 * Returns: about how many bytes the snapshot holds (for the benchmark)
 */
gsize
wc_follower_snapshot_get_memory_size (const WcFollowerSnapshot *self)
{
  return sizeof *self + self->followers->len * sizeof (WcFollower) + self->string_bytes;
}
