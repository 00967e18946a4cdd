/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "wc-network.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* Mastodon (and compatible servers), through its documented REST API
 * (../shared/NETWORKS.md §1). The object speaks for one account; the access
 * token is given by the caller, who keeps it in the keyring. */

#define WC_MASTODON_SCOPES "read write:statuses write:media write:accounts read:follows write:follows write:blocks"
#define WC_MASTODON_OOB_REDIRECT "urn:ietf:wg:oauth:2.0:oob"

/* What the server says when Whitecoat registers itself. */
typedef struct
{
  char *client_id;
  char *client_secret;
} WcMastodonApp;

WcMastodonApp *wc_mastodon_app_new  (const char          *client_id,
                                     const char          *client_secret);
WcMastodonApp *wc_mastodon_app_copy (const WcMastodonApp *app);
void           wc_mastodon_app_free (WcMastodonApp       *app);
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
/* A profile field; verified_at is 0 when the link was not verified. */
typedef struct
{
  char   *name;
  char   *value;        /* HTML, as the server sends it */
  gint64  verified_at;  /* seconds since the epoch */
} WcMastodonField;

void wc_mastodon_field_free (WcMastodonField *field);

typedef struct
{
  char           *id;
  char           *username;
  char           *acct;
  char           *display_name;
  char           *url;
  WcAccountState *state;
  /* Added for the settings and the walkthrough. */
  char           *handle;           /* always user@server */
  char           *avatar;           /* URL; nullable */
  GPtrArray      *fields;           /* of WcMastodonField */
  WcTristate      sensitive;        /* source[sensitive]: media marked sensitive by default */
  gint64          follow_requests_count;  /* -1 = unknown */
  /* Added for the cross-link audit and its fixes. */
  char           *note;           /* the bio as plain text: source[note] as the user wrote it,
                                   * else the text of the rendered bio; never NULL */
  char           *note_html;      /* the bio as the server renders it; nullable */
  gboolean        note_is_source; /* @note is source[note], safe to edit and send back */
  GPtrArray      *source_fields;  /* of WcMastodonField: source[fields], the values as written
                                   * (plain text); NULL when the server does not send them */
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

/* Another account: someone who asks to follow, or a follower. */
typedef struct
{
  char      *id;
  char      *acct;          /* always user@server, also for accounts of the same server */
  char      *display_name;
  char      *note;          /* HTML, as the server sends it */
  char      *url;
  char      *avatar;
  GPtrArray *fields;        /* of WcMastodonField */
  /* Added for screening follow requests. */
  gint64     created_at;       /* seconds since the epoch; 0 = unknown */
  gint64     statuses_count;   /* -1 = unknown */
  gint64     followers_count;  /* -1 = unknown */
  gint64     following_count;  /* -1 = unknown */
} WcMastodonAccount;

void wc_mastodon_account_free (WcMastodonAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonAccount, wc_mastodon_account_free)

typedef struct
{
  char     *id;
  gboolean  following;
  gboolean  followed_by;
  gboolean  requested;      /* my request to them is pending */
  gboolean  requested_by;   /* they asked to follow me */
  gboolean  blocking;
  gboolean  muting;
} WcMastodonRelationship;

void wc_mastodon_relationship_free (WcMastodonRelationship *relationship);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonRelationship, wc_mastodon_relationship_free)

/* What to change with update_credentials; WC_TRISTATE_UNKNOWN and NULL
 * leave a setting as it is. */
typedef struct
{
  WcTristate  locked;
  WcTristate  discoverable;
  WcTristate  indexable;
  WcTristate  hide_collections;
  const char *privacy;      /* source[privacy]: public, unlisted, private */
  WcTristate  sensitive;    /* source[sensitive] */
} WcMastodonSettings;

#define WC_MASTODON_SETTINGS_INIT { WC_TRISTATE_UNKNOWN, WC_TRISTATE_UNKNOWN, WC_TRISTATE_UNKNOWN, \
                                    WC_TRISTATE_UNKNOWN, NULL, WC_TRISTATE_UNKNOWN }

/* The result of signing in. The token and the client secret belong in the
 * keyring only. */
typedef struct
{
  char              *base_url;  /* "https://med.example" */
  WcMastodonApp     *app;       /* NULL when the user pasted a token */
  char              *token;
  WcMastodonProfile *profile;
} WcMastodonCredentials;

void wc_mastodon_credentials_free (WcMastodonCredentials *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonCredentials, wc_mastodon_credentials_free)

/* A sign-in with the out-of-band code, between opening the browser and
 * the user pasting the code. */
typedef struct
{
  char          *base_url;
  WcMastodonApp *app;
  char          *authorize_url;  /* open this in the browser */
  char          *verifier;       /* PKCE; never shown */
} WcMastodonOobSignIn;

void wc_mastodon_oob_sign_in_free (WcMastodonOobSignIn *oob);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonOobSignIn, wc_mastodon_oob_sign_in_free)

/**
 * WcMastodonOpenUriFunc:
 * @uri: the authorize address
 *
 * Opens @uri in the user's browser; the UI passes a wrapper of
 * gtk_show_uri().
 */
typedef void (*WcMastodonOpenUriFunc) (const char *uri,
                                       gpointer    user_data);

/**
 * WcMastodonFollowersProgress:
 * @snapshot: the followers read so far
 * @next_cursor: (nullable): where to resume, or %NULL when the list is
 *   complete
 *
 * Called after each page. Keep @snapshot and @next_cursor together: they
 * resume the fetch after a restart.
 */
typedef void (*WcMastodonFollowersProgress) (WcFollowerSnapshot *snapshot,
                                             const char         *next_cursor,
                                             gpointer            user_data);

#define WC_MASTODON_FOLLOWERS_PER_PAGE 80

#define WC_TYPE_MASTODON (wc_mastodon_get_type ())
G_DECLARE_FINAL_TYPE (WcMastodon, wc_mastodon, WC, MASTODON, GObject)

WcMastodon  *wc_mastodon_new              (WcAccount     *account,
                                           SoupSession   *session);
SoupSession *wc_mastodon_default_session  (void);
char        *wc_mastodon_dup_base_url     (const char    *server);
void         wc_mastodon_set_access_token (WcMastodon    *self,
                                           const char    *token);
const char  *wc_mastodon_get_base_url     (WcMastodon    *self);

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

void              wc_mastodon_upload_media_async  (WcMastodon          *self,
                                                   const char          *path,
                                                   const char          *description,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char             *wc_mastodon_upload_media_finish (WcMastodon          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Scheduled on the server */
void              wc_mastodon_reschedule_async         (WcMastodon          *self,
                                                        const char          *scheduled_id,
                                                        GDateTime           *scheduled_at,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
WcMastodonPosted *wc_mastodon_reschedule_finish        (WcMastodon          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              wc_mastodon_cancel_scheduled_async   (WcMastodon          *self,
                                                        const char          *scheduled_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          wc_mastodon_cancel_scheduled_finish  (WcMastodon          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Signing in, end to end */
void                   wc_mastodon_sign_in_async              (SoupSession           *session,
                                                               const char            *server,
                                                               const WcMastodonApp   *known_app,
                                                               WcMastodonOpenUriFunc  open_uri,
                                                               gpointer               open_uri_data,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
WcMastodonCredentials *wc_mastodon_sign_in_finish             (GAsyncResult          *result,
                                                               GError               **error);
void                   wc_mastodon_sign_in_oob_begin_async    (SoupSession           *session,
                                                               const char            *server,
                                                               const WcMastodonApp   *known_app,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
WcMastodonOobSignIn   *wc_mastodon_sign_in_oob_begin_finish   (GAsyncResult          *result,
                                                               GError               **error);
void                   wc_mastodon_sign_in_oob_complete_async (SoupSession           *session,
                                                               const WcMastodonOobSignIn *oob,
                                                               const char            *code,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
WcMastodonCredentials *wc_mastodon_sign_in_oob_complete_finish (GAsyncResult         *result,
                                                               GError               **error);
void                   wc_mastodon_sign_in_with_token_async   (SoupSession           *session,
                                                               const char            *server,
                                                               const char            *token,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
WcMastodonCredentials *wc_mastodon_sign_in_with_token_finish  (GAsyncResult          *result,
                                                               GError               **error);
void                   wc_mastodon_sign_out_async             (WcMastodon            *self,
                                                               const WcMastodonApp   *app,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
gboolean               wc_mastodon_sign_out_finish            (WcMastodon            *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);

/* Followers */
void                wc_mastodon_fetch_followers_async  (WcMastodon                  *self,
                                                        WcHasher                    *hasher,
                                                        WcFollowerSnapshot          *snapshot,
                                                        const char                  *resume_cursor,
                                                        WcMastodonFollowersProgress  progress,
                                                        gpointer                     progress_data,
                                                        GCancellable                *cancellable,
                                                        GAsyncReadyCallback          callback,
                                                        gpointer                     user_data);
WcFollowerSnapshot *wc_mastodon_fetch_followers_finish (WcMastodon                  *self,
                                                        GAsyncResult                *result,
                                                        char                       **note,
                                                        GError                     **error);

/* Follow requests and relationships */
void                    wc_mastodon_list_follow_requests_async     (WcMastodon          *self,
                                                                    const char          *cursor,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GPtrArray              *wc_mastodon_list_follow_requests_finish    (WcMastodon          *self,
                                                                    GAsyncResult        *result,
                                                                    char               **next_cursor,
                                                                    GError             **error);
void                    wc_mastodon_authorize_follow_request_async (WcMastodon          *self,
                                                                    const char          *account_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
void                    wc_mastodon_reject_follow_request_async    (WcMastodon          *self,
                                                                    const char          *account_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
void                    wc_mastodon_remove_from_followers_async    (WcMastodon          *self,
                                                                    const char          *account_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
WcMastodonRelationship *wc_mastodon_relationship_finish            (WcMastodon          *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);
void                    wc_mastodon_get_relationships_async        (WcMastodon          *self,
                                                                    const char * const  *account_ids,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GPtrArray              *wc_mastodon_get_relationships_finish       (WcMastodon          *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* Added for the requests inbox: blocking, and followers with their ids
 * (for "remove from followers"). */
void                    wc_mastodon_block_async                    (WcMastodon          *self,
                                                                    const char          *account_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
void                    wc_mastodon_list_followers_async           (WcMastodon          *self,
                                                                    const char          *own_id,
                                                                    const char          *cursor,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GPtrArray              *wc_mastodon_list_followers_finish          (WcMastodon          *self,
                                                                    GAsyncResult        *result,
                                                                    char               **next_cursor,
                                                                    GError             **error);

/* Settings */
void               wc_mastodon_update_settings_async  (WcMastodon               *self,
                                                       const WcMastodonSettings *settings,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
WcMastodonProfile *wc_mastodon_update_settings_finish (WcMastodon               *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);

/* Profile texts (added for the cross-link fixes). With @set_fields the
 * fields given replace all of the profile's fields (`fields_attributes[i]`;
 * no pairs remove them all; Mastodon allows 4); a %NULL @note leaves the
 * bio as it is. Values are plain text, as the user would type them. */
typedef struct
{
  gboolean            set_fields;
  const char * const *fields;  /* name, value, name, value …, NULL-terminated; nullable */
  const char         *note;    /* nullable */
} WcMastodonProfileUpdate;

void               wc_mastodon_update_profile_async   (WcMastodon                    *self,
                                                       const WcMastodonProfileUpdate *update,
                                                       GCancellable                  *cancellable,
                                                       GAsyncReadyCallback            callback,
                                                       gpointer                       user_data);
WcMastodonProfile *wc_mastodon_update_profile_finish  (WcMastodon                    *self,
                                                       GAsyncResult                  *result,
                                                       GError                       **error);

/* Reconciling the outbox (added for the scheduler): the account's recent
 * statuses and its scheduled statuses, to find a post whose answer was
 * lost. */
typedef struct
{
  char   *id;
  char   *url;          /* NULL for a scheduled status */
  char   *text;         /* plain text: the HTML content with tags removed */
  char   *spoiler_text;
  char   *visibility;
  gint64  created_at;   /* for a scheduled status: its scheduled_at */
  char   *idempotency;  /* scheduled statuses only; nullable (Mastodon sends null) */
  GStrv   media_ids;    /* the attachments' ids, in order; never NULL (added by F1) */
} WcMastodonStatus;

void wc_mastodon_status_free (WcMastodonStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMastodonStatus, wc_mastodon_status_free)

/* Newest first, at most @limit (up to 40), from the account's own timeline
 * (GET /api/v1/accounts/:id/statuses); the account's remote id is asked
 * with verify_credentials first when the account does not know it. */
void       wc_mastodon_list_own_statuses_async   (WcMastodon          *self,
                                                  guint                limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray *wc_mastodon_list_own_statuses_finish  (WcMastodon          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The same, page after page back in time until a status older than
 * @since (UTC seconds), at most @max_pages pages of 40; finish with
 * wc_mastodon_list_own_statuses_finish(). */
void       wc_mastodon_list_own_statuses_since_async (WcMastodon          *self,
                                                      gint64               since,
                                                      guint                max_pages,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* GET /api/v1/scheduled_statuses: all of them, page after page (at most
 * ten pages of 40; more is an error, as is a next page elsewhere). */
void       wc_mastodon_list_scheduled_async      (WcMastodon          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray *wc_mastodon_list_scheduled_finish     (WcMastodon          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The visible text of a status's HTML content, to compare with what was
 * sent: <br> and paragraphs as white space, every other tag removed with
 * its text kept (a link's "invisible" and "ellipsis" spans together give
 * the whole address), entities decoded, a mention's "@domain" dropped (as
 * Mastodon shows it), runs of white space as one space. Apply it to both
 * sides. */
char      *wc_mastodon_normalize_text            (const char          *text,
                                                  gboolean             is_html);

/* For tests: how a response maps to an error. */
GError *wc_mastodon_error_from_response (guint        status,
                                         SoupMessageHeaders *headers,
                                         const char  *body,
                                         gsize        length);

G_END_DECLS
