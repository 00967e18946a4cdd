/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "wc-network.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* Bluesky, or any AT Protocol PDS, through XRPC (../shared/NETWORKS.md §2).
 * The object speaks for one account: its DID (the account's remote id), its
 * PDS, and the session tokens the caller gives it from the keyring. When it
 * refreshes the session it writes the new tokens back to the keyring (for a
 * stored account) and emits "tokens-changed". */

#define WC_BLUESKY_ENTRYWAY      "https://bsky.social"
#define WC_BLUESKY_PLC_DIRECTORY "https://plc.directory"
#define WC_BLUESKY_MAX_IMAGE_BYTES 1000000  /* NETWORKS.md §2.5, §4 item 4 */
#define WC_BLUESKY_FOLLOWERS_PER_PAGE 100

/* --- Values ------------------------------------------------------------- */

typedef enum
{
  WC_BLUESKY_FACET_LINK,
  WC_BLUESKY_FACET_MENTION,
  WC_BLUESKY_FACET_TAG,
} WcBlueskyFacetKind;

/* A facet over the text as it is stored (links shortened); offsets are
 * UTF-8 byte offsets, start inclusive, end exclusive. */
typedef struct
{
  gsize               byte_start;
  gsize               byte_end;
  WcBlueskyFacetKind  kind;
  char               *value;  /* link: the full URI; mention: the handle; tag: without "#" */
  char               *did;    /* mention only, once resolved; nullable */
} WcBlueskyFacet;

void wc_bluesky_facet_free (WcBlueskyFacet *facet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBlueskyFacet, wc_bluesky_facet_free)

/* The session, as createSession or refreshSession gives it. The tokens
 * belong in the keyring only. */
typedef struct
{
  char *did;
  char *handle;
  char *email;        /* nullable */
  char *pds_url;      /* "https://…" without a trailing slash */
  char *access_jwt;
  char *refresh_jwt;
} WcBlueskySession;

void              wc_bluesky_session_free (WcBlueskySession *session);
WcBlueskySession *wc_bluesky_session_copy (const WcBlueskySession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBlueskySession, wc_bluesky_session_free)

/* Who may reply: WC_BLUESKY_REPLY_ANYONE writes no threadgate; NOBODY an
 * empty allow list; the other flags combine. */
typedef enum /*< flags >*/
{
  WC_BLUESKY_REPLY_ANYONE    = 0,
  WC_BLUESKY_REPLY_MENTIONED = 1 << 0,
  WC_BLUESKY_REPLY_FOLLOWING = 1 << 1,  /* people the author follows */
  WC_BLUESKY_REPLY_FOLLOWERS = 1 << 2,  /* the author's followers */
  WC_BLUESKY_REPLY_NOBODY    = 1 << 3,
} WcBlueskyReplyRule;

typedef struct
{
  const char *path;  /* JPEG or PNG; stripped and shrunk before upload */
  const char *alt;   /* nullable: "" is sent */
} WcBlueskyImage;

/* A post to publish. */
typedef struct
{
  const char           *text;         /* as written; links are shortened when sent */
  const char * const   *langs;        /* nullable; at most 3 */
  const char * const   *labels;       /* self-labels as content warnings: "sexual", "nudity", "porn", "graphic-media"; nullable */
  const WcBlueskyImage *images;       /* nullable */
  guint                 n_images;     /* at most 4 */
  WcBlueskyReplyRule    reply_rule;
  GDateTime            *created_at;   /* nullable: now */
} WcBlueskyPost;

typedef struct
{
  char     *uri;            /* at://did/app.bsky.feed.post/rkey */
  char     *cid;
  char     *rkey;
  gboolean  already_there;  /* a retry found the record written before */
} WcBlueskyPosted;

void wc_bluesky_posted_free (WcBlueskyPosted *posted);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBlueskyPosted, wc_bluesky_posted_free)

/* Another account: a follower or a new follower. */
typedef struct
{
  char   *did;
  char   *handle;
  char   *display_name;  /* nullable */
  char   *description;   /* nullable */
  char   *follow_uri;    /* new followers: their follow record; nullable */
  gint64  followed_at;   /* new followers: seconds since the epoch; 0 = unknown */
} WcBlueskyActor;

void wc_bluesky_actor_free (WcBlueskyActor *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcBlueskyActor, wc_bluesky_actor_free)

typedef void (*WcBlueskyFollowersProgress) (WcFollowerSnapshot *snapshot,
                                            const char         *next_cursor,
                                            gpointer            user_data);

/* --- Functions without a server ----------------------------------------- */

gboolean   wc_bluesky_looks_like_app_password (const char  *password);
const char *wc_bluesky_app_password_warning   (void);
gboolean   wc_bluesky_is_tid                  (const char  *rkey);
char      *wc_bluesky_tid_new                 (gint64       time_us,
                                               guint        clock_id);
char      *wc_bluesky_rkey_for_key            (const char  *idempotency_key,
                                               gint64       scheduled_us);
GPtrArray *wc_bluesky_parse_facets            (const char  *text,
                                               char       **stored_text);
gint64     wc_bluesky_jwt_expiry              (const char  *jwt);
char      *wc_bluesky_normalize_service       (const char  *service);

/* --- The object --------------------------------------------------------- */

#define WC_TYPE_BLUESKY (wc_bluesky_get_type ())
G_DECLARE_FINAL_TYPE (WcBluesky, wc_bluesky, WC, BLUESKY, GObject)

WcBluesky   *wc_bluesky_new             (WcAccount              *account,
                                         SoupSession            *session);
void         wc_bluesky_set_session     (WcBluesky              *self,
                                         const WcBlueskySession *session);
void         wc_bluesky_set_tokens      (WcBluesky              *self,
                                         const char             *access_jwt,
                                         const char             *refresh_jwt);
const char  *wc_bluesky_get_did         (WcBluesky              *self);
const char  *wc_bluesky_get_pds_url     (WcBluesky              *self);
gboolean     wc_bluesky_has_tokens      (WcBluesky              *self);

/* Signing in: resolves the PDS from the handle (DNS, then
 * /.well-known/atproto-did, then the entryway) unless @service, the
 * self-hosted PDS field, is given; @plc_url is the PLC directory (NULL:
 * plc.directory). An e-mail address signs in at @service or the
 * entryway. */
void              wc_bluesky_sign_in_async   (SoupSession         *session,
                                              const char          *identifier,
                                              const char          *password,
                                              const char          *service,
                                              const char          *plc_url,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
WcBlueskySession *wc_bluesky_sign_in_finish  (GAsyncResult        *result,
                                              GError             **error);
void              wc_bluesky_resolve_pds_async  (SoupSession         *session,
                                                 const char          *handle,
                                                 const char          *service,
                                                 const char          *plc_url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char             *wc_bluesky_resolve_pds_finish (GAsyncResult        *result,
                                                 char               **did,
                                                 GError             **error);

void      wc_bluesky_refresh_async   (WcBluesky           *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  wc_bluesky_refresh_finish  (WcBluesky           *self,
                                      GAsyncResult        *result,
                                      GError             **error);
void      wc_bluesky_sign_out_async  (WcBluesky           *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  wc_bluesky_sign_out_finish (WcBluesky           *self,
                                      GAsyncResult        *result,
                                      GError             **error);

/* Publishing, exactly once: @rkey is chosen when the post is scheduled
 * (wc_bluesky_rkey_for_key()) and kept with it; calling again with the
 * same @rkey after a lost answer writes nothing new and returns the post
 * with already_there set. */
void             wc_bluesky_publish_async  (WcBluesky           *self,
                                            const WcBlueskyPost *post,
                                            const char          *rkey,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
WcBlueskyPosted *wc_bluesky_publish_finish (WcBluesky           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* A record of the account's repository, as JSON (for checks and tests). */
void       wc_bluesky_get_record_async  (WcBluesky           *self,
                                         const char          *collection,
                                         const char          *rkey,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonNode  *wc_bluesky_get_record_finish (WcBluesky           *self,
                                         GAsyncResult        *result,
                                         char               **cid,
                                         GError             **error);

/* Followers, paged (getFollowers), into @snapshot. */
void                wc_bluesky_fetch_followers_async  (WcBluesky                  *self,
                                                       WcHasher                   *hasher,
                                                       WcFollowerSnapshot         *snapshot,
                                                       const char                 *resume_cursor,
                                                       WcBlueskyFollowersProgress  progress,
                                                       gpointer                    progress_data,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
WcFollowerSnapshot *wc_bluesky_fetch_followers_finish (WcBluesky                  *self,
                                                       GAsyncResult               *result,
                                                       GError                    **error);

/* Followers with their DID and description: getFollowers, one page. */
void       wc_bluesky_list_followers_async      (WcBluesky           *self,
                                                 const char          *cursor,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray *wc_bluesky_list_followers_finish     (WcBluesky           *self,
                                                 GAsyncResult        *result,
                                                 char               **next_cursor,
                                                 GError             **error);

/* New followers: listNotifications with reason follow, one page. */
void       wc_bluesky_list_new_followers_async  (WcBluesky           *self,
                                                 const char          *cursor,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray *wc_bluesky_list_new_followers_finish (WcBluesky           *self,
                                                 GAsyncResult        *result,
                                                 char               **next_cursor,
                                                 GError             **error);

/* Answers to a follower: block (a public app.bsky.graph.block record) and
 * mute (private, kept by the app view). */
void      wc_bluesky_block_async   (WcBluesky           *self,
                                    const char          *did,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
void      wc_bluesky_mute_async    (WcBluesky           *self,
                                    const char          *did,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  wc_bluesky_action_finish (WcBluesky           *self,
                                    GAsyncResult        *result,
                                    GError             **error);

/* Logged-out visibility: the "!no-unauthenticated" self-label on the
 * profile record, written with putRecord and swapRecord. */
void       wc_bluesky_get_logged_out_restricted_async  (WcBluesky           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
WcTristate wc_bluesky_get_logged_out_restricted_finish (WcBluesky           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void       wc_bluesky_set_logged_out_restricted_async  (WcBluesky           *self,
                                                        gboolean             restricted,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean   wc_bluesky_set_logged_out_restricted_finish (WcBluesky           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The default who-can-reply for new posts (postInteractionSettingsPref):
 * the app applies it, the server does not. */
void               wc_bluesky_get_reply_default_async  (WcBluesky           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
WcBlueskyReplyRule wc_bluesky_get_reply_default_finish (WcBluesky           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void               wc_bluesky_set_reply_default_async  (WcBluesky           *self,
                                                        WcBlueskyReplyRule   rule,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           wc_bluesky_set_reply_default_finish (WcBluesky           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* For tests: how a failed XRPC answer maps to an error. */
GError *wc_bluesky_error_from_response (guint               status,
                                        SoupMessageHeaders *headers,
                                        const char         *body,
                                        gsize               length);

G_END_DECLS
