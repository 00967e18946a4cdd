/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * WcMastodonFault:
 * @WC_MASTODON_FAULT_DELAY: answer normally, but only after a delay (the
 *   fault's parameter, in milliseconds; 200 by default)
 * @WC_MASTODON_FAULT_STATUS_429: answer 429 without processing the request,
 *   with `Retry-After` (the parameter, in seconds; 1 by default) and
 *   `X-RateLimit-*` headers
 * @WC_MASTODON_FAULT_STATUS_500: answer 500 without processing the request
 * @WC_MASTODON_FAULT_STATUS_503: answer 503 without processing the request
 * @WC_MASTODON_FAULT_DROP_AFTER_STORE: process the request (a status is
 *   stored), then close the connection without sending any response
 * @WC_MASTODON_FAULT_MALFORMED_JSON: process the request, then send a
 *   truncated JSON body with the right status and content type
 * @WC_MASTODON_FAULT_WRONG_CONTENT_TYPE: process the request, then answer
 *   with the status code but an HTML page (`text/html`) instead of JSON, as a
 *   captive portal or a misconfigured proxy would
 * @WC_MASTODON_FAULT_TIMEOUT: never answer (the request is not processed);
 *   the connection stays open until the client gives up or the server stops
 *
 * What an injected fault does to a matching request.
 */
typedef enum
{
  WC_MASTODON_FAULT_DELAY,
  WC_MASTODON_FAULT_STATUS_429,
  WC_MASTODON_FAULT_STATUS_500,
  WC_MASTODON_FAULT_STATUS_503,
  WC_MASTODON_FAULT_DROP_AFTER_STORE,
  WC_MASTODON_FAULT_MALFORMED_JSON,
  WC_MASTODON_FAULT_WRONG_CONTENT_TYPE,
  WC_MASTODON_FAULT_TIMEOUT,
} WcMastodonFault;

/**
 * WcMastodonUser:
 * @username: the local user name (required)
 * @password: the password for the login form; %NULL gives "<username>-password"
 * @display_name: %NULL gives the user name
 * @note: the profile note, plain text
 * @locked: follows need approval
 * @discoverable: listed in the profile directory
 * @indexable: public posts searchable by anyone
 * @hide_collections: follower and following lists hidden
 * @bot: an automated account
 * @privacy: default visibility (`source[privacy]`); %NULL gives "public"
 * @fields: %NULL-terminated name, value, name, value … profile fields
 *
 * A user to add with wc_mastodon_server_add_user_full().
 */
typedef struct
{
  const char         *username;
  const char         *password;
  const char         *display_name;
  const char         *note;
  gboolean            locked;
  gboolean            discoverable;
  gboolean            indexable;
  gboolean            hide_collections;
  gboolean            bot;
  const char         *privacy;
  const char * const *fields;
} WcMastodonUser;

#define WC_TYPE_MASTODON_SERVER (wc_mastodon_server_get_type ())
G_DECLARE_FINAL_TYPE (WcMastodonServer, wc_mastodon_server, WC, MASTODON_SERVER, GObject)

WcMastodonServer *wc_mastodon_server_new                  (void);
gboolean          wc_mastodon_server_start                (WcMastodonServer     *self,
                                                           guint                 port,
                                                           GError              **error);
void              wc_mastodon_server_stop                 (WcMastodonServer     *self);
char             *wc_mastodon_server_dup_base_url         (WcMastodonServer     *self);

/* Users and their followers. */
char             *wc_mastodon_server_add_user             (WcMastodonServer     *self,
                                                           const char           *username,
                                                           const char           *password);
char             *wc_mastodon_server_add_user_full        (WcMastodonServer     *self,
                                                           const WcMastodonUser *user);
void              wc_mastodon_server_set_field_verified   (WcMastodonServer     *self,
                                                           const char           *username,
                                                           guint                 index,
                                                           gint64                verified_at);
void              wc_mastodon_server_add_followers        (WcMastodonServer     *self,
                                                           const char           *username,
                                                           guint                 n);
void              wc_mastodon_server_add_follow_requests  (WcMastodonServer     *self,
                                                           const char           *username,
                                                           guint                 n);
void              wc_mastodon_server_follow               (WcMastodonServer     *self,
                                                           const char           *follower,
                                                           const char           *target);
guint             wc_mastodon_server_get_follower_count   (WcMastodonServer     *self,
                                                           const char           *username);
guint             wc_mastodon_server_get_follow_request_count (WcMastodonServer *self,
                                                           const char           *username);
gboolean          wc_mastodon_server_is_blocking          (WcMastodonServer     *self,
                                                           const char           *username,
                                                           const char           *other);
char             *wc_mastodon_server_create_token         (WcMastodonServer     *self,
                                                           const char           *username,
                                                           const char           *scopes);

/* The fake clock. */
gint64            wc_mastodon_server_get_now              (WcMastodonServer     *self);
void              wc_mastodon_server_set_now              (WcMastodonServer     *self,
                                                           gint64                unix_seconds);
void              wc_mastodon_server_advance              (WcMastodonServer     *self,
                                                           gint64                seconds);

/* Behaviour. */
void              wc_mastodon_server_set_rate_limit       (WcMastodonServer     *self,
                                                           guint                 limit,
                                                           guint                 window_seconds);
void              wc_mastodon_server_set_media_processing (WcMastodonServer     *self,
                                                           guint                 polls,
                                                           guint                 seconds);
void              wc_mastodon_server_set_instance_v2      (WcMastodonServer     *self,
                                                           gboolean              available);
void              wc_mastodon_server_set_max_characters   (WcMastodonServer     *self,
                                                           guint                 max_characters);
void              wc_mastodon_server_set_login_form       (WcMastodonServer     *self,
                                                           gboolean              enabled);
void              wc_mastodon_server_set_scheduled_page_max (WcMastodonServer   *self,
                                                           guint                 max);

/* Fault injection. */
void              wc_mastodon_server_add_fault            (WcMastodonServer     *self,
                                                           const char           *method,
                                                           const char           *path_prefix,
                                                           WcMastodonFault       fault,
                                                           guint                 count);
void              wc_mastodon_server_add_fault_full       (WcMastodonServer     *self,
                                                           const char           *method,
                                                           const char           *path_prefix,
                                                           WcMastodonFault       fault,
                                                           guint                 count,
                                                           guint                 parameter);
void              wc_mastodon_server_clear_faults         (WcMastodonServer     *self);

/* Inspection. */
JsonArray        *wc_mastodon_server_dup_statuses         (WcMastodonServer     *self,
                                                           const char           *username);
JsonArray        *wc_mastodon_server_dup_scheduled_statuses (WcMastodonServer   *self,
                                                           const char           *username);
JsonArray        *wc_mastodon_server_dup_media            (WcMastodonServer     *self,
                                                           const char           *username);
GBytes           *wc_mastodon_server_dup_media_bytes      (WcMastodonServer     *self,
                                                           const char           *media_id);
JsonArray        *wc_mastodon_server_dup_apps             (WcMastodonServer     *self);
JsonArray        *wc_mastodon_server_dup_tokens           (WcMastodonServer     *self);
JsonObject       *wc_mastodon_server_dup_account          (WcMastodonServer     *self,
                                                           const char           *username);
guint             wc_mastodon_server_count_requests       (WcMastodonServer     *self,
                                                           const char           *method,
                                                           const char           *path_prefix);

G_END_DECLS
