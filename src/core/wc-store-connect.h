/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-limits.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* Connecting accounts to their networks: Whitecoat's registration on each
 * server (its client secret is in the keyring, never here), and follower
 * fetches that were interrupted, to resume after a restart. */

typedef struct
{
  char   *network;
  char   *server;         /* base URL: "https://med.example" */
  char   *client_id;
  char   *redirect_uris;  /* space-separated */
  char   *scopes;
  gint64  created_at;
} WcServerApp;

void         wc_server_app_free             (WcServerApp  *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcServerApp, wc_server_app_free)

gboolean     wc_store_save_server_app       (WcStore            *self,
                                             const WcServerApp  *app,
                                             GError            **error);
WcServerApp *wc_store_load_server_app       (WcStore            *self,
                                             const char         *network,
                                             const char         *server,
                                             GError            **error);
gboolean     wc_store_forget_server_app     (WcStore            *self,
                                             const char         *network,
                                             const char         *server,
                                             GError            **error);

/* A server's limits as Whitecoat last read them (a Mastodon server's
 * /api/v2/instance), kept so that the checks use them after a restart. */
typedef struct
{
  char           *network;
  char           *server;      /* as the account stores it: "https://med.example" */
  WcServerLimits  limits;
  gint64          fetched_at;  /* seconds since the epoch */
} WcServerConfig;

void            wc_server_config_free               (WcServerConfig        *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcServerConfig, wc_server_config_free)

gboolean        wc_store_save_server_config         (WcStore               *self,
                                                     const char            *network,
                                                     const char            *server,
                                                     const WcServerLimits  *limits,
                                                     GError               **error);
WcServerConfig *wc_store_load_server_config         (WcStore               *self,
                                                     const char            *network,
                                                     const char            *server,
                                                     GError               **error);
gboolean        wc_store_load_account_server_limits (WcStore               *self,
                                                     gint64                 account_id,
                                                     WcServerLimits        *limits);

/* An unfinished follower fetch: the followers read so far and the cursor
 * to go on from. It is kept apart from the account's finished snapshot,
 * which the audience keeps using meanwhile; wc_store_save_follower_snapshot()
 * of the finished list drops it. */
gboolean            wc_store_save_follower_progress (WcStore             *self,
                                                     WcFollowerSnapshot  *snapshot,
                                                     const char          *next_cursor,
                                                     GError             **error);
WcFollowerSnapshot *wc_store_load_follower_progress (WcStore             *self,
                                                     gint64               account_id,
                                                     char               **next_cursor,
                                                     GError             **error);
gboolean            wc_store_drop_follower_progress (WcStore             *self,
                                                     gint64               account_id,
                                                     GError             **error);

/* When the account's finished follower list was read (seconds since the
 * epoch), or 0 when never; cheap, it reads no followers. */
gint64              wc_store_get_followers_taken_at (WcStore             *self,
                                                     gint64               account_id);

G_END_DECLS
