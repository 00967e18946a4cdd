/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "wc-network.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* Mastodon (and compatible servers), through its documented REST API
 * (../shared/NETWORKS.md §1). The object speaks for one account; the access
 * token is given by the caller, who keeps it in the keyring. */

#define WC_MASTODON_SCOPES "read write:statuses write:media write:accounts read:follows write:follows"
#define WC_MASTODON_OOB_REDIRECT "urn:ietf:wg:oauth:2.0:oob"

/* What the server says when Whitecoat registers itself. */
typedef struct
{
  char *client_id;
  char *client_secret;
} WcMastodonApp;

void wc_mastodon_app_free (WcMastodonApp *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonApp, wc_mastodon_app_free)

/* The server's limits. */
typedef struct
{
  guint max_characters;
  guint chars_per_url;
  guint max_media;
  guint description_limit;
} WcMastodonInstance;

/* The signed-in account, as verify_credentials reports it. */
typedef struct
{
  char           *id;
  char           *username;
  char           *acct;
  char           *display_name;
  char           *url;
  WcAccountState *state;
} WcMastodonProfile;

void wc_mastodon_profile_free (WcMastodonProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonProfile, wc_mastodon_profile_free)

/* A post to publish or schedule. */
typedef struct
{
  const char  *text;
  const char  *spoiler_text;   /* content warning; nullable */
  const char  *visibility;     /* public, unlisted, private, direct: always sent */
  const char  *language;       /* ISO 639-1; nullable */
  gboolean     sensitive;
  const char * const *media_ids;  /* nullable */
  GDateTime   *scheduled_at;   /* nullable: publish now */
} WcMastodonPost;

/* What the server made of it. */
typedef struct
{
  char     *id;
  char     *url;           /* NULL for a scheduled status */
  gboolean  scheduled;
  gint64    scheduled_at;  /* seconds since the epoch when scheduled */
} WcMastodonPosted;

void wc_mastodon_posted_free (WcMastodonPosted *posted);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonPosted, wc_mastodon_posted_free)

#define WC_TYPE_MASTODON (wc_mastodon_get_type ())
G_DECLARE_FINAL_TYPE (WcMastodon, wc_mastodon, WC, MASTODON, GObject)

WcMastodon  *wc_mastodon_new              (WcAccount     *account,
                                           SoupSession   *session);
SoupSession *wc_mastodon_default_session  (void);
char        *wc_mastodon_dup_base_url     (const char    *server);
void         wc_mastodon_set_access_token (WcMastodon    *self,
                                           const char    *token);

/* Signing in */
void           wc_mastodon_register_app_async   (SoupSession         *session,
                                                 const char          *server,
                                                 const char * const  *redirect_uris,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
WcMastodonApp *wc_mastodon_register_app_finish  (GAsyncResult        *result,
                                                 GError             **error);
char          *wc_mastodon_build_authorize_url  (const char          *server,
                                                 const char          *client_id,
                                                 const char          *redirect_uri,
                                                 const char          *state,
                                                 const char          *code_challenge);
void           wc_mastodon_exchange_code_async  (SoupSession         *session,
                                                 const char          *server,
                                                 const WcMastodonApp *app,
                                                 const char          *code,
                                                 const char          *code_verifier,
                                                 const char          *redirect_uri,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char          *wc_mastodon_exchange_code_finish (GAsyncResult        *result,
                                                 GError             **error);
void           wc_mastodon_revoke_async         (SoupSession         *session,
                                                 const char          *server,
                                                 const WcMastodonApp *app,
                                                 const char          *token,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       wc_mastodon_revoke_finish        (GAsyncResult        *result,
                                                 GError             **error);

/* The account */
void               wc_mastodon_verify_credentials_async  (WcMastodon          *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
WcMastodonProfile *wc_mastodon_verify_credentials_finish (WcMastodon          *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void               wc_mastodon_get_instance_async        (WcMastodon          *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean           wc_mastodon_get_instance_finish       (WcMastodon          *self,
                                                          GAsyncResult        *result,
                                                          WcMastodonInstance  *instance,
                                                          GError             **error);

/* Publishing */
void              wc_mastodon_post_status_async  (WcMastodon           *self,
                                                  const WcMastodonPost *post,
                                                  const char           *idempotency_key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
WcMastodonPosted *wc_mastodon_post_status_finish (WcMastodon           *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* For tests: how a response maps to an error. */
GError *wc_mastodon_error_from_response (guint        status,
                                         SoupMessageHeaders *headers,
                                         const char  *body,
                                         gsize        length);

G_END_DECLS
