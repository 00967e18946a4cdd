/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-mastodon.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* Keeps the follower snapshots (and account states and server limits) of
 * connected Mastodon and Bluesky accounts fresh (Bluesky: the followers
 * from getFollowers and the logged-out visibility label; its limits are
 * fixed, there is no server configuration): on connect, on demand, and every few
 * hours while Whitecoat runs. An interrupted fetch is checkpointed in the
 * store and resumes from its cursor after a restart. One account is read at
 * a time. */

#define WC_FOLLOWER_SYNC_DEFAULT_INTERVAL (4 * 60 * 60)

#define WC_TYPE_FOLLOWER_SYNC (wc_follower_sync_get_type ())
G_DECLARE_FINAL_TYPE (WcFollowerSync, wc_follower_sync, WC, FOLLOWER_SYNC, GObject)

WcFollowerSync     *wc_follower_sync_new            (WcStore             *store);
gboolean            wc_follower_sync_can_read       (WcAccount           *account);
void                wc_follower_sync_set_store      (WcFollowerSync      *self,
                                                     WcStore             *store);
void                wc_follower_sync_set_hasher     (WcFollowerSync      *self,
                                                     WcHasher            *hasher);
void                wc_follower_sync_set_interval   (WcFollowerSync      *self,
                                                     guint                seconds);
void                wc_follower_sync_set_checkpoint_interval (WcFollowerSync *self,
                                                     guint                seconds);
void                wc_follower_sync_start          (WcFollowerSync      *self);
void                wc_follower_sync_stop           (WcFollowerSync      *self);
gboolean            wc_follower_sync_is_running     (WcFollowerSync      *self);
void                wc_follower_sync_refresh_async  (WcFollowerSync      *self,
                                                     gint64               account_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
WcFollowerSnapshot *wc_follower_sync_refresh_finish (WcFollowerSync      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
gboolean            wc_follower_sync_is_busy        (WcFollowerSync      *self,
                                                     gint64               account_id);
/* A sentence for the user about the last reading (a hidden list), or NULL. */
const char         *wc_follower_sync_get_note       (WcFollowerSync      *self,
                                                     gint64               account_id);
/* The server's limits as last read for the account; FALSE when not read. */
gboolean            wc_follower_sync_get_limits     (WcFollowerSync      *self,
                                                     gint64               account_id,
                                                     WcMastodonInstance  *limits);
void                wc_follower_sync_set_limits     (WcFollowerSync      *self,
                                                     gint64               account_id,
                                                     const WcMastodonInstance *limits);

G_END_DECLS
