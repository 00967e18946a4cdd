/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-mastodon"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

#include "wc-image-strip.h"
#include "wc-keyring.h"
#include "wc-mastodon.h"
#include "wc-oauth.h"

#define USER_AGENT       "Whitecoat/" PACKAGE_VERSION
#define REQUEST_TIMEOUT  30     /* seconds */
#define MAX_SERVER_WORDS 300    /* characters of a server's error message we show */

struct _WcMastodon
{
  GObject      parent_instance;

  WcAccount   *account;
  SoupSession *session;
  char        *base_url;
  char        *token;     /* never logged */
};

enum {
  PROP_0,
  PROP_ACCOUNT,
};

static void wc_network_iface_init (WcNetworkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcMastodon, wc_mastodon, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WC_TYPE_NETWORK, wc_network_iface_init))

/* --- Values ------------------------------------------------------------- */

/**
 * wc_mastodon_app_new:
 *
 * Returns: (transfer full): the registration, as remembered per server
 */
WcMastodonApp *
wc_mastodon_app_new (const char *client_id,
                     const char *client_secret)
{
  WcMastodonApp *app = g_new0 (WcMastodonApp, 1);

  app->client_id = g_strdup (client_id);
  app->client_secret = g_strdup (client_secret);
  return app;
}

WcMastodonApp *
wc_mastodon_app_copy (const WcMastodonApp *app)
{
  return app != NULL ? wc_mastodon_app_new (app->client_id, app->client_secret) : NULL;
}

void
wc_mastodon_app_free (WcMastodonApp *app)
{
  if (app == NULL)
    return;
  g_free (app->client_id);
  if (app->client_secret != NULL)
    memset (app->client_secret, 0, strlen (app->client_secret));
  g_free (app->client_secret);
  g_free (app);
}

void
wc_mastodon_profile_free (WcMastodonProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_free (profile->username);
  g_free (profile->acct);
  g_free (profile->display_name);
  g_free (profile->url);
  g_clear_pointer (&profile->state, wc_account_state_free);
  g_free (profile->handle);
  g_free (profile->avatar);
  g_clear_pointer (&profile->fields, g_ptr_array_unref);
  g_free (profile->note);
  g_free (profile->note_html);
  g_clear_pointer (&profile->source_fields, g_ptr_array_unref);
  g_free (profile);
}

void
wc_mastodon_field_free (WcMastodonField *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

void
wc_mastodon_account_free (WcMastodonAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->acct);
  g_free (account->display_name);
  g_free (account->note);
  g_free (account->url);
  g_free (account->avatar);
  g_clear_pointer (&account->fields, g_ptr_array_unref);
  g_free (account);
}

void
wc_mastodon_relationship_free (WcMastodonRelationship *relationship)
{
  if (relationship == NULL)
    return;
  g_free (relationship->id);
  g_free (relationship);
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
wc_mastodon_credentials_free (WcMastodonCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->base_url);
  g_clear_pointer (&credentials->app, wc_mastodon_app_free);
  wipe_free (credentials->token);
  g_clear_pointer (&credentials->profile, wc_mastodon_profile_free);
  g_free (credentials);
}

void
wc_mastodon_oob_sign_in_free (WcMastodonOobSignIn *oob)
{
  if (oob == NULL)
    return;
  g_free (oob->base_url);
  g_clear_pointer (&oob->app, wc_mastodon_app_free);
  g_free (oob->authorize_url);
  wipe_free (oob->verifier);
  g_free (oob);
}

void
wc_mastodon_posted_free (WcMastodonPosted *posted)
{
  if (posted == NULL)
    return;
  g_free (posted->id);
  g_free (posted->url);
  g_free (posted);
}

/* --- Errors ------------------------------------------------------------- */

/* The server's own words, shortened and on one line. */
static char *
server_message (const char *body,
                gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *text = NULL;
  g_autoptr(GString) clean = g_string_new (NULL);

  if (body == NULL || length == 0 || !json_parser_load_from_data (parser, body, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (json_object_has_member (object, "error_description"))
    text = json_object_get_string_member_with_default (object, "error_description", NULL);
  if (text == NULL)
    text = json_object_get_string_member_with_default (object, "error", NULL);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  for (const char *p = text; *p && g_utf8_strlen (clean->str, -1) < MAX_SERVER_WORDS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
    }
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* The limits of scheduled statuses (NETWORKS.md §1.7), in the server's
 * words: the error keys this project's test server adds, or Mastodon's own
 * English sentences. A number in the sentence is the server's limit. */
static GError *
scheduling_error (const char *said)
{
  const char *limit_text;
  guint64 limit = 0;

  if (said == NULL)
    return NULL;
  limit_text = strstr (said, "limit of ");
  if (limit_text != NULL)
    limit = g_ascii_strtoull (limit_text + strlen ("limit of "), NULL, 10);

  if (strstr (said, "over_daily_limit") != NULL
      || (strstr (said, "scheduled posts") != NULL
          && (strstr (said, "for today") != NULL || strstr (said, "that day") != NULL)))
    {
      if (limit == 0)
        limit = 25;
      return g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The server takes at most %u scheduled post a day, and that day is full. Choose another day, or post it now.",
                                       "The server takes at most %u scheduled posts a day, and that day is full. Choose another day, or post it now.",
                                       (gulong) limit),
                          (guint) limit);
    }
  if (strstr (said, "over_total_limit") != NULL || strstr (said, "scheduled posts") != NULL)
    {
      if (limit == 0)
        limit = 300;
      return g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The server keeps at most %u scheduled post for an account, and that many are waiting. Cancel one, or post it now.",
                                       "The server keeps at most %u scheduled posts for an account, and that many are waiting. Cancel one, or post it now.",
                                       (gulong) limit),
                          (guint) limit);
    }
  if (strstr (said, "must be in the future") != NULL)
    return g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                                _("The server schedules posts only at least 5 minutes ahead. Choose a later time, or post it now."));
  return NULL;
}

/* Seconds to wait from Retry-After (seconds or an HTTP date) or
 * X-RateLimit-Reset (an ISO 8601 time). */
static gint64
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *retry_after = headers ? soup_message_headers_get_one (headers, "Retry-After") : NULL;
  const char *reset = headers ? soup_message_headers_get_one (headers, "X-RateLimit-Reset") : NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (retry_after != NULL)
    {
      char *end = NULL;
      gint64 seconds = g_ascii_strtoll (retry_after, &end, 10);
      g_autoptr(GDateTime) when = NULL;

      if (end != retry_after && *end == '\0')
        return MAX (seconds, 0);
      when = soup_date_time_new_from_http_string (retry_after);
      if (when != NULL)
        return MAX (g_date_time_to_unix (when) - now, 0);
    }
  if (reset != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (reset, NULL);

      if (when != NULL)
        return MAX (g_date_time_to_unix (when) - now, 0);
    }
  return 0;
}

/**
 * wc_mastodon_error_from_response:
 * @status: the HTTP status of a response that is not a success
 * @headers: (nullable): its headers
 * @body: (nullable): its body
 *
 * Sorts a failed response into "retry later" (429, 5xx) and "will not work"
 * (401, 403, 404, 422 …), with a sentence for the user that carries the
 * server's own message where it gave one. No token is ever part of it.
 *
 * Returns: (transfer full): the error
 */
GError *
wc_mastodon_error_from_response (guint               status,
                                 SoupMessageHeaders *headers,
                                 const char         *body,
                                 gsize               length)
{
  g_autofree char *said = server_message (body, length);

  g_debug ("Mastodon answered HTTP %u", status);

  switch (status)
    {
    case 429:  /* Too Many Requests; libsoup 3.2 has no name for it */
      return wc_network_error_new_retry (retry_after_seconds (headers),
                                         _("The server asks Whitecoat to slow down. It will try again later."));
    case SOUP_STATUS_INTERNAL_SERVER_ERROR:
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      return wc_network_error_new_retry (retry_after_seconds (headers),
                                         _("The server has a problem right now. Whitecoat will try again later."));
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                  _("The server no longer accepts Whitecoat’s sign-in. Sign in again."));
    case SOUP_STATUS_FORBIDDEN:
      return said != NULL
             ? g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN,
                            _("The server did not allow this: %s"), said)
             : g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN,
                                    _("The server did not allow this."));
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_GONE:
      return g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                                  _("The server does not know this account or post (any more)."));
    default:
      if (status >= 500)
        return wc_network_error_new_retry (retry_after_seconds (headers),
                                           _("The server has a problem right now. Whitecoat will try again later."));
      if (status == 422)
        {
          GError *scheduling = scheduling_error (said);

          if (scheduling != NULL)
            return scheduling;
        }
      return said != NULL
             ? g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                            _("The server refused: %s"), said)
             : g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                            _("The server refused the request (HTTP %u)."), status);
    }
}

static GError *
error_from_transport (GError     *error,
                      const char *host)
{
  g_debug ("Request to %s failed: %s", host, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_INSECURE,
                        _("The security certificate of %s is not valid, so Whitecoat sent nothing."), host);
  return wc_network_error_new_retry (0, _("Whitecoat could not reach the server. It will try again later."));
}

/* --- Requests ----------------------------------------------------------- */

/* Turns a JSON answer into the call's result. */
typedef gpointer (*ConvertFunc) (GTask        *task,
                                 JsonNode     *root,
                                 SoupMessage  *msg,
                                 GError      **error);

typedef struct
{
  SoupMessage    *msg;
  char           *host;
  ConvertFunc     convert;
  GDestroyNotify  destroy;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_free (request->host);
  g_free (request);
}

static void
on_response (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *content_type;
  guint status;
  gsize length;
  const char *data;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error_from_transport (error, request->host));
      return;
    }

  status = soup_message_get_status (request->msg);
  data = g_bytes_get_data (bytes, &length);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, wc_mastodon_error_from_response (status,
                                                                  soup_message_get_response_headers (request->msg),
                                                                  data, length));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (request->msg), NULL);
  if (g_strcmp0 (content_type, "application/json") != 0
      || !json_parser_load_from_data (parser, data ? data : "", length, NULL)
      || json_parser_get_root (parser) == NULL)
    {
      /* A proxy's error page or a half answer: may work later. */
      g_debug ("Unexpected answer from %s (%s)", request->host, content_type ? content_type : "no type");
      g_task_return_error (task, wc_network_error_new_retry (0,
        _("The server’s answer could not be read. Whitecoat will try again later.")));
      return;
    }

  g_task_return_pointer (task, json_node_copy (json_parser_get_root (parser)), (GDestroyNotify) json_node_unref);
}

static void
send_request (SoupSession  *session,
              SoupMessage  *msg,
              const char   *token,
              GTask        *task)
{
  Request *request = g_new0 (Request, 1);

  request->msg = g_object_ref (msg);
  request->host = g_strdup (g_uri_get_host (soup_message_get_uri (msg)));
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    on_response, g_object_ref (task));
}

static SoupMessage *
new_json_message (const char  *method,
                  const char  *url,
                  JsonBuilder *builder)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  if (builder != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *body = NULL;
      gsize length;

      g_autoptr(GBytes) bytes = NULL;

      json_generator_set_root (generator, root);
      body = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (g_steal_pointer (&body), length);
      /* The message takes its own reference. */
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static SoupMessage *
new_form_message (const char *method,
                  const char *url,
                  GHashTable *form)
{
  SoupMessage *msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  char *body;

  if (msg == NULL)
    return NULL;
  body = soup_form_encode_hash (form);
  bytes = g_bytes_new_take (body, strlen (body));
  /* The message takes its own reference. */
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  return msg;
}

static gboolean
bad_server (GTask      *task,
            const char *server)
{
  g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                           _("“%s” is not a server address Whitecoat can use."), server ? server : "");
  return FALSE;
}

/**
 * wc_mastodon_dup_base_url:
 * @server: "mastodon.social", "https://mastodon.social/" …
 *
 * Returns: (transfer full) (nullable): "https://mastodon.social", or %NULL
 *   when @server is not an http(s) address
 */
char *
wc_mastodon_dup_base_url (const char *server)
{
  g_autofree char *stripped = g_strstrip (g_strdup (server ? server : ""));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize length;

  if (*stripped == '\0')
    return NULL;
  /* "@anna@med.example" or "anna@med.example": the server is after the last @. */
  if (strstr (stripped, "://") == NULL && strrchr (stripped, '@') != NULL)
    {
      char *server_part = g_strdup (strrchr (stripped, '@') + 1);

      g_free (stripped);
      stripped = server_part;
      if (*stripped == '\0')
        return NULL;
    }
  with_scheme = strstr (stripped, "://") ? g_strdup (stripped) : g_strconcat ("https://", stripped, NULL);
  length = strlen (with_scheme);
  while (length > 0 && with_scheme[length - 1] == '/')
    with_scheme[--length] = '\0';

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    return NULL;
  return g_steal_pointer (&with_scheme);
}

/**
 * wc_mastodon_default_session:
 *
 * Returns: (transfer full): a session with Whitecoat's user agent and a
 *   timeout; certificates are verified against the system's authorities
 */
SoupSession *
wc_mastodon_default_session (void)
{
  return soup_session_new_with_options ("user-agent", USER_AGENT,
                                        "timeout", REQUEST_TIMEOUT,
                                        NULL);
}

/* --- Signing in --------------------------------------------------------- */

static void
on_app_registered (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  JsonObject *object;
  g_autoptr(WcMastodonApp) app = NULL;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL
      || json_object_get_string_member_with_default (object, "client_id", NULL) == NULL
      || json_object_get_string_member_with_default (object, "client_secret", NULL) == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server did not register Whitecoat. Is it a Mastodon server?"));
      return;
    }

  app = g_new0 (WcMastodonApp, 1);
  app->client_id = g_strdup (json_object_get_string_member (object, "client_id"));
  app->client_secret = g_strdup (json_object_get_string_member (object, "client_secret"));
  g_task_return_pointer (task, g_steal_pointer (&app), (GDestroyNotify) wc_mastodon_app_free);
}

/**
 * wc_mastodon_register_app_async:
 * @server: the server, as the user typed it
 * @redirect_uris: where the server may send the browser back: the loopback
 *   listener's URI form and the out-of-band one
 *
 * Registers Whitecoat on @server (POST /api/v1/apps) with the granular
 * scopes it needs. Remember the result per server.
 */
void
wc_mastodon_register_app_async (SoupSession         *session,
                                const char          *server,
                                const char * const  *redirect_uris,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *base = wc_mastodon_dup_base_url (server);
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_register_app_async);
  if (base == NULL)
    {
      bad_server (task, server);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_name");
  json_builder_add_string_value (builder, "Whitecoat");
  json_builder_set_member_name (builder, "redirect_uris");
  json_builder_begin_array (builder);
  for (guint i = 0; redirect_uris != NULL && redirect_uris[i] != NULL; i++)
    json_builder_add_string_value (builder, redirect_uris[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "scopes");
  json_builder_add_string_value (builder, WC_MASTODON_SCOPES);
  json_builder_set_member_name (builder, "website");
  json_builder_add_string_value (builder, "https://github.com/whitecoat/whitecoat");
  json_builder_end_object (builder);

  url = g_strconcat (base, "/api/v1/apps", NULL);
  msg = new_json_message ("POST", url, builder);
  inner = g_task_new (NULL, cancellable, on_app_registered, g_steal_pointer (&task));
  send_request (session, msg, NULL, inner);
}

/**
 * wc_mastodon_register_app_finish:
 *
 * Returns: (transfer full): the client id and secret; keep the secret in the
 *   keyring
 */
WcMastodonApp *
wc_mastodon_register_app_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_build_authorize_url:
 * @code_challenge: wc_pkce_challenge_s256() of the verifier
 *
 * Returns: (transfer full): the address to open in the system browser
 */
char *
wc_mastodon_build_authorize_url (const char *server,
                                 const char *client_id,
                                 const char *redirect_uri,
                                 const char *state,
                                 const char *code_challenge)
{
  g_autofree char *base = wc_mastodon_dup_base_url (server);
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;

  if (base == NULL)
    return NULL;

  g_hash_table_insert (query, (gpointer) "response_type", (gpointer) "code");
  g_hash_table_insert (query, (gpointer) "client_id", (gpointer) client_id);
  g_hash_table_insert (query, (gpointer) "redirect_uri", (gpointer) redirect_uri);
  g_hash_table_insert (query, (gpointer) "scope", (gpointer) WC_MASTODON_SCOPES);
  g_hash_table_insert (query, (gpointer) "state", (gpointer) state);
  g_hash_table_insert (query, (gpointer) "code_challenge", (gpointer) code_challenge);
  g_hash_table_insert (query, (gpointer) "code_challenge_method", (gpointer) "S256");
  /* Lets a user sign in to a second account on the same server. */
  g_hash_table_insert (query, (gpointer) "force_login", (gpointer) "true");
  encoded = soup_form_encode_hash (query);

  return g_strconcat (base, "/oauth/authorize?", encoded, NULL);
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  const char *token = NULL;

  if (root == NULL)
    {
      /* A refused code is not worth retrying: the user signs in again. */
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED))
        {
          g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                   _("The server did not accept the sign-in code. Sign in again."));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    token = json_object_get_string_member_with_default (json_node_get_object (root), "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server gave no access token."));
      return;
    }
  g_task_return_pointer (task, g_strdup (token), g_free);
}

/**
 * wc_mastodon_exchange_code_async:
 *
 * Trades the authorization code and the PKCE verifier for an access token
 * (POST /oauth/token).
 */
void
wc_mastodon_exchange_code_async (SoupSession         *session,
                                 const char          *server,
                                 const WcMastodonApp *app,
                                 const char          *code,
                                 const char          *code_verifier,
                                 const char          *redirect_uri,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *base = wc_mastodon_dup_base_url (server);
  g_autofree char *url = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (code ? code : ""));

  g_task_set_source_tag (task, wc_mastodon_exchange_code_async);
  if (base == NULL)
    {
      bad_server (task, server);
      return;
    }

  g_hash_table_insert (form, (gpointer) "grant_type", (gpointer) "authorization_code");
  g_hash_table_insert (form, (gpointer) "code", trimmed);
  g_hash_table_insert (form, (gpointer) "client_id", app->client_id);
  g_hash_table_insert (form, (gpointer) "client_secret", app->client_secret);
  g_hash_table_insert (form, (gpointer) "redirect_uri", (gpointer) redirect_uri);
  g_hash_table_insert (form, (gpointer) "code_verifier", (gpointer) code_verifier);
  g_hash_table_insert (form, (gpointer) "scope", (gpointer) WC_MASTODON_SCOPES);

  url = g_strconcat (base, "/oauth/token", NULL);
  msg = new_form_message ("POST", url, form);
  inner = g_task_new (NULL, cancellable, on_token, g_steal_pointer (&task));
  send_request (session, msg, NULL, inner);
}

/**
 * wc_mastodon_exchange_code_finish:
 *
 * Returns: (transfer full): the access token; keep it in the keyring only
 */
char *
wc_mastodon_exchange_code_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_revoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * wc_mastodon_revoke_async:
 *
 * Revokes @token (POST /oauth/revoke), when an account is removed.
 */
void
wc_mastodon_revoke_async (SoupSession         *session,
                          const char          *server,
                          const WcMastodonApp *app,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *base = wc_mastodon_dup_base_url (server);
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_revoke_async);
  if (base == NULL)
    {
      bad_server (task, server);
      return;
    }

  g_hash_table_insert (form, (gpointer) "client_id", app->client_id);
  g_hash_table_insert (form, (gpointer) "client_secret", app->client_secret);
  g_hash_table_insert (form, (gpointer) "token", (gpointer) token);
  url = g_strconcat (base, "/oauth/revoke", NULL);
  msg = new_form_message ("POST", url, form);
  inner = g_task_new (NULL, cancellable, on_revoked, g_steal_pointer (&task));
  send_request (session, msg, NULL, inner);
}

gboolean
wc_mastodon_revoke_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- The account -------------------------------------------------------- */

/* json_object_get_object_member() complains about a missing member;
 * servers leave members out. */
static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static WcTristate
tristate_member (JsonObject *object,
                 const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return WC_TRISTATE_UNKNOWN;
  return json_node_get_boolean (node) ? WC_TRISTATE_YES : WC_TRISTATE_NO;
}

/* "anna" on med.example is "anna@med.example"; remote accounts already
 * carry their server. */
static char *
full_acct (const char *acct,
           const char *domain)
{
  if (acct == NULL)
    return NULL;
  if (strchr (acct, '@') != NULL || domain == NULL)
    return g_strdup (acct);
  return g_strconcat (acct, "@", domain, NULL);
}

static char *
domain_of (const char *base_url)
{
  g_autoptr(GUri) uri = base_url ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL ? g_strdup (g_uri_get_host (uri)) : NULL;
}

static GPtrArray *
fields_from_json (JsonObject *object)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_field_free);
  JsonNode *node = object ? json_object_get_member (object, "fields") : NULL;
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      WcMastodonField *field;
      const char *verified;

      if (item == NULL)
        continue;
      field = g_new0 (WcMastodonField, 1);
      field->name = g_strdup (json_object_get_string_member_with_default (item, "name", ""));
      field->value = g_strdup (json_object_get_string_member_with_default (item, "value", ""));
      verified = json_object_get_string_member_with_default (item, "verified_at", NULL);
      if (verified != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (verified, NULL);

          field->verified_at = when != NULL ? g_date_time_to_unix (when) : 0;
        }
      g_ptr_array_add (fields, field);
    }
  return fields;
}

/* The bio and the fields as the user wrote them (source[note],
 * source[fields]): what can be edited and sent back. Without a source the
 * bio's text is read from its HTML. */
static void
profile_read_texts (WcMastodonProfile *profile,
                    JsonObject        *object,
                    JsonObject        *source)
{
  const char *written = source != NULL ? json_object_get_string_member_with_default (source, "note", NULL) : NULL;
  JsonNode *source_fields = source != NULL ? json_object_get_member (source, "fields") : NULL;

  profile->note_html = g_strdup (json_object_get_string_member_with_default (object, "note", NULL));
  if (written != NULL)
    {
      profile->note = g_strdup (written);
      profile->note_is_source = TRUE;
    }
  else
    profile->note = wc_mastodon_normalize_text (profile->note_html, TRUE);
  if (source_fields != NULL && JSON_NODE_HOLDS_ARRAY (source_fields))
    profile->source_fields = fields_from_json (source);
}

static WcMastodonProfile *
profile_from_json (gint64      account_id,
                   const char *base_url,
                   JsonObject *object)
{
  WcMastodonProfile *profile = g_new0 (WcMastodonProfile, 1);
  JsonObject *source = object_member (object, "source");
  g_autofree char *domain = domain_of (base_url);
  WcTristate value;

  profile->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  profile->username = g_strdup (json_object_get_string_member_with_default (object, "username", NULL));
  profile->acct = g_strdup (json_object_get_string_member_with_default (object, "acct", NULL));
  profile->display_name = g_strdup (json_object_get_string_member_with_default (object, "display_name", NULL));
  profile->url = g_strdup (json_object_get_string_member_with_default (object, "url", NULL));

  profile->handle = full_acct (profile->acct, domain);
  profile->avatar = g_strdup (json_object_get_string_member_with_default (object, "avatar", NULL));
  profile->fields = fields_from_json (object);
  profile->sensitive = tristate_member (source, "sensitive");
  profile->follow_requests_count = source != NULL
                                   ? json_object_get_int_member_with_default (source, "follow_requests_count", -1)
                                   : -1;

  profile->state = wc_account_state_new (account_id);
  profile->state->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  profile->state->locked = tristate_member (object, "locked");
  profile->state->bot = tristate_member (object, "bot");
  profile->state->discoverable = tristate_member (object, "discoverable");
  profile->state->indexable = tristate_member (object, "indexable");
  profile->state->noindex = tristate_member (object, "noindex");
  profile->state->hide_collections = tristate_member (object, "hide_collections");
  /* Newer servers report some flags only under "source". */
  if (profile->state->indexable == WC_TRISTATE_UNKNOWN && (value = tristate_member (source, "indexable")) != WC_TRISTATE_UNKNOWN)
    profile->state->indexable = value;
  if (profile->state->hide_collections == WC_TRISTATE_UNKNOWN
      && (value = tristate_member (source, "hide_collections")) != WC_TRISTATE_UNKNOWN)
    profile->state->hide_collections = value;
  profile->state->followers_count = json_object_get_int_member_with_default (object, "followers_count", -1);
  profile->state->following_count = json_object_get_int_member_with_default (object, "following_count", -1);
  if (source != NULL)
    profile->state->default_visibility = g_strdup (json_object_get_string_member_with_default (source, "privacy", NULL));
  profile_read_texts (profile, object, source);
  return profile;
}

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (root)
           || json_object_get_string_member_with_default (json_node_get_object (root), "id", NULL) == NULL)
    g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                             _("The server did not describe the account."));
  else
    g_task_return_pointer (task, profile_from_json (wc_account_get_id (self->account), self->base_url,
                                                    json_node_get_object (root)),
                           (GDestroyNotify) wc_mastodon_profile_free);
}

static gboolean
check_ready (WcMastodon *self,
             GTask      *task)
{
  if (self->base_url == NULL)
    return bad_server (task, wc_account_get_server (self->account));
  if (self->token == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                               _("Sign in to this account first."));
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_mastodon_verify_credentials_async:
 *
 * Reads the signed-in account: its privacy flags and counts become a
 * #WcAccountState with today's date.
 */
void
wc_mastodon_verify_credentials_async (WcMastodon          *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_verify_credentials_async);
  if (!check_ready (self, task))
    return;

  url = g_strconcat (self->base_url, "/api/v1/accounts/verify_credentials", NULL);
  msg = soup_message_new ("GET", url);
  inner = g_task_new (NULL, cancellable, on_credentials, g_steal_pointer (&task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_verify_credentials_finish:
 *
 * Returns: (transfer full): the account as the server describes it
 */
WcMastodonProfile *
wc_mastodon_verify_credentials_finish (WcMastodon    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
parse_instance (JsonObject         *root,
                gboolean            v2,
                WcMastodonInstance *instance)
{
  JsonObject *configuration = object_member (root, "configuration");
  JsonObject *statuses = object_member (configuration, "statuses");
  JsonObject *media = object_member (configuration, "media_attachments");

  instance->max_characters = 500;
  instance->chars_per_url = 23;
  instance->max_media = 4;
  instance->description_limit = 1500;

  if (statuses != NULL)
    {
      instance->max_characters = json_object_get_int_member_with_default (statuses, "max_characters", 500);
      instance->chars_per_url = json_object_get_int_member_with_default (statuses, "characters_reserved_per_url", 23);
      instance->max_media = json_object_get_int_member_with_default (statuses, "max_media_attachments", 4);
    }
  else if (!v2)
    instance->max_characters = json_object_get_int_member_with_default (root, "max_toot_chars", 500);
  if (media != NULL)
    instance->description_limit = json_object_get_int_member_with_default (media, "description_limit", 1500);
}

static void
on_instance_v1 (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  WcMastodonInstance *instance;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, error ? g_steal_pointer (&error)
                                       : g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                                                              _("The server did not describe itself.")));
      return;
    }
  instance = g_new0 (WcMastodonInstance, 1);
  parse_instance (json_node_get_object (root), FALSE, instance);
  g_task_return_pointer (task, instance, g_free);
}

static void
on_instance_v2 (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  WcMastodonInstance *instance;

  /* Servers older than 4.0 know only the first version. */
  if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND))
    {
      g_autofree char *url = g_strconcat (self->base_url, "/api/v1/instance", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      GCancellable *cancellable = g_task_get_cancellable (task);
      g_autoptr(GTask) inner = g_task_new (NULL, cancellable, on_instance_v1, g_steal_pointer (&task));

      send_request (self->session, msg, NULL, inner);
      return;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, error ? g_steal_pointer (&error)
                                       : g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                                                              _("The server did not describe itself.")));
      return;
    }
  instance = g_new0 (WcMastodonInstance, 1);
  parse_instance (json_node_get_object (root), TRUE, instance);
  g_task_return_pointer (task, instance, g_free);
}

/**
 * wc_mastodon_get_instance_async:
 *
 * Reads the server's limits from /api/v2/instance, falling back to v1.
 */
void
wc_mastodon_get_instance_async (WcMastodon          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_get_instance_async);
  if (self->base_url == NULL)
    {
      bad_server (task, wc_account_get_server (self->account));
      return;
    }

  url = g_strconcat (self->base_url, "/api/v2/instance", NULL);
  msg = soup_message_new ("GET", url);
  inner = g_task_new (self, cancellable, on_instance_v2, g_steal_pointer (&task));
  send_request (self->session, msg, NULL, inner);
}

gboolean
wc_mastodon_get_instance_finish (WcMastodon          *self,
                                 GAsyncResult        *result,
                                 WcMastodonInstance  *instance,
                                 GError             **error)
{
  g_autofree WcMastodonInstance *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  *instance = *found;
  return TRUE;
}

/* --- Publishing --------------------------------------------------------- */

static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  JsonObject *object;
  g_autoptr(WcMastodonPosted) posted = NULL;
  const char *scheduled_at;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL || json_object_get_string_member_with_default (object, "id", NULL) == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server did not confirm the post."));
      return;
    }

  posted = g_new0 (WcMastodonPosted, 1);
  posted->id = g_strdup (json_object_get_string_member (object, "id"));
  /* A ScheduledStatus has scheduled_at and params; a Status has a url. */
  scheduled_at = json_object_get_string_member_with_default (object, "scheduled_at", NULL);
  if (scheduled_at != NULL && json_object_has_member (object, "params"))
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (scheduled_at, NULL);

      posted->scheduled = TRUE;
      posted->scheduled_at = when ? g_date_time_to_unix (when) : 0;
    }
  else
    posted->url = g_strdup (json_object_get_string_member_with_default (object, "url", NULL));

  g_task_return_pointer (task, g_steal_pointer (&posted), (GDestroyNotify) wc_mastodon_posted_free);
}

/**
 * wc_mastodon_post_status_async:
 * @post: what to post; the visibility is always sent, never left to the
 *   account's default
 * @idempotency_key: the same for every attempt of the same post, so that a
 *   retry after a lost answer cannot post twice
 *
 * Publishes, or schedules on the server when @post has a time (at least
 * five minutes ahead; the server refuses less).
 */
void
wc_mastodon_post_status_async (WcMastodon           *self,
                               const WcMastodonPost *post,
                               const char           *idempotency_key,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_post_status_async);
  g_return_if_fail (post != NULL && post->visibility != NULL);
  g_return_if_fail (idempotency_key != NULL);
  if (!check_ready (self, task))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, post->text ? post->text : "");
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, post->visibility);
  if (post->spoiler_text != NULL && *post->spoiler_text != '\0')
    {
      json_builder_set_member_name (builder, "spoiler_text");
      json_builder_add_string_value (builder, post->spoiler_text);
    }
  json_builder_set_member_name (builder, "sensitive");
  json_builder_add_boolean_value (builder, post->sensitive);
  if (post->language != NULL)
    {
      json_builder_set_member_name (builder, "language");
      json_builder_add_string_value (builder, post->language);
    }
  if (post->media_ids != NULL && post->media_ids[0] != NULL)
    {
      json_builder_set_member_name (builder, "media_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; post->media_ids[i] != NULL; i++)
        json_builder_add_string_value (builder, post->media_ids[i]);
      json_builder_end_array (builder);
    }
  if (post->scheduled_at != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (post->scheduled_at);
      g_autofree char *iso = g_date_time_format_iso8601 (utc);

      json_builder_set_member_name (builder, "scheduled_at");
      json_builder_add_string_value (builder, iso);
    }
  json_builder_end_object (builder);

  url = g_strconcat (self->base_url, "/api/v1/statuses", NULL);
  msg = new_json_message ("POST", url, builder);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", idempotency_key);
  inner = g_task_new (NULL, cancellable, on_posted, g_steal_pointer (&task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_post_status_finish:
 *
 * Returns: (transfer full): the status, or the scheduled status
 */
WcMastodonPosted *
wc_mastodon_post_status_finish (WcMastodon    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Calls that convert a JSON answer ----------------------------------- */

static void
on_converted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (G_TASK (result));
  ConvertFunc convert = request->convert;
  GDestroyNotify destroy = request->destroy;
  g_autoptr(SoupMessage) msg = g_object_ref (request->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  gpointer value;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  value = convert (task, root, msg, &error);
  if (value == NULL)
    {
      g_task_return_error (task, error != NULL
                                 ? g_steal_pointer (&error)
                                 : g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                                                        _("The server’s answer could not be read.")));
      return;
    }
  g_task_return_pointer (task, value, destroy);
}

/* Sends @msg with the account's token; @task gets what @convert makes of
 * the answer. */
static void
send_converted (WcMastodon     *self,
                SoupMessage    *msg,
                GTask          *task,
                ConvertFunc     convert,
                GDestroyNotify  destroy)
{
  g_autoptr(GTask) inner = g_task_new (NULL, g_task_get_cancellable (task), on_converted, g_object_ref (task));
  Request *request;

  send_request (self->session, msg, self->token, inner);
  request = g_task_get_task_data (inner);
  request->convert = convert;
  request->destroy = destroy;
}

static gpointer
convert_true (GTask        *task,
              JsonNode     *root,
              SoupMessage  *msg,
              GError      **error)
{
  return GINT_TO_POINTER (TRUE);
}

/* The rel="next" address of a Link header (RFC 8288), as Mastodon pages
 * followers and follow requests. */
static char *
link_next (SoupMessage *msg)
{
  const char *link = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Link");
  g_auto(GStrv) parts = NULL;

  if (link == NULL)
    return NULL;
  parts = g_strsplit (link, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *open = strchr (parts[i], '<');
      const char *close = open != NULL ? strchr (open, '>') : NULL;

      if (close == NULL)
        continue;
      if (strstr (close, "rel=\"next\"") != NULL || strstr (close, "rel=next") != NULL)
        return g_strndup (open + 1, close - open - 1);
    }
  return NULL;
}

/* A cursor is an address on the account's own server: the token is never
 * sent anywhere else, even if a Link header or a stored cursor says so. */
static gboolean
cursor_is_ours (WcMastodon *self,
                const char *cursor)
{
  gsize length = strlen (self->base_url);

  return cursor != NULL && strncmp (cursor, self->base_url, length) == 0 && cursor[length] == '/';
}

static GError *
foreign_cursor_error (void)
{
  return g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                              _("The server pointed Whitecoat to another address, so it stopped reading the list."));
}

static char *
escape_segment (const char *id)
{
  return g_uri_escape_string (id != NULL ? id : "", NULL, FALSE);
}

static WcMastodonAccount *
account_from_json (JsonObject *object,
                   const char *domain)
{
  WcMastodonAccount *account = g_new0 (WcMastodonAccount, 1);

  account->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  account->acct = full_acct (json_object_get_string_member_with_default (object, "acct", NULL), domain);
  account->display_name = g_strdup (json_object_get_string_member_with_default (object, "display_name", NULL));
  account->note = g_strdup (json_object_get_string_member_with_default (object, "note", NULL));
  account->url = g_strdup (json_object_get_string_member_with_default (object, "url", NULL));
  account->avatar = g_strdup (json_object_get_string_member_with_default (object, "avatar", NULL));
  account->fields = fields_from_json (object);
  account->statuses_count = json_object_get_int_member_with_default (object, "statuses_count", -1);
  account->followers_count = json_object_get_int_member_with_default (object, "followers_count", -1);
  account->following_count = json_object_get_int_member_with_default (object, "following_count", -1);
  {
    const char *created = json_object_get_string_member_with_default (object, "created_at", NULL);
    g_autoptr(GDateTime) when = created != NULL ? g_date_time_new_from_iso8601 (created, NULL) : NULL;

    account->created_at = when != NULL ? g_date_time_to_unix (when) : 0;
  }
  return account;
}

static WcMastodonRelationship *
relationship_from_json (JsonObject *object)
{
  WcMastodonRelationship *relationship = g_new0 (WcMastodonRelationship, 1);

  relationship->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  relationship->following = json_object_get_boolean_member_with_default (object, "following", FALSE);
  relationship->followed_by = json_object_get_boolean_member_with_default (object, "followed_by", FALSE);
  relationship->requested = json_object_get_boolean_member_with_default (object, "requested", FALSE);
  relationship->requested_by = json_object_get_boolean_member_with_default (object, "requested_by", FALSE);
  relationship->blocking = json_object_get_boolean_member_with_default (object, "blocking", FALSE);
  relationship->muting = json_object_get_boolean_member_with_default (object, "muting", FALSE);
  return relationship;
}

/* --- Media -------------------------------------------------------------- */

#define MEDIA_POLL_ATTEMPTS  30
#define MEDIA_POLL_FIRST_MS  250
#define MEDIA_POLL_MAX_MS    2000

typedef struct
{
  char    *path;
  char    *description;
  GBytes  *bytes;          /* the stripped image */
  char    *content_type;
  char    *media_id;
  guint    attempts;
} Upload;

static void
upload_free (Upload *upload)
{
  g_free (upload->path);
  g_free (upload->description);
  g_clear_pointer (&upload->bytes, g_bytes_unref);
  g_free (upload->content_type);
  g_free (upload->media_id);
  g_free (upload);
}

/* In a thread: a metadata-free copy, read into memory and deleted at once,
 * so that no stripped copy outlives the upload. */
static void
strip_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = wc_image_strip_to_temp (upload->path, &error);
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean read;

  if (temp == NULL)
    {
      /* The message may name the file, and a file name may name a
       * patient: the log gets the error code only. */
      g_debug ("Could not strip an image before uploading (%s %d)", g_quark_to_string (error->domain), error->code);
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Whitecoat did not upload this image, as it could not remove its hidden details: %s"),
                               error->message);
      return;
    }
  read = g_file_get_contents (temp, &contents, &length, &error);
  g_unlink (temp);
  if (!read)
    {
      g_debug ("Could not read the stripped image (%s %d)", g_quark_to_string (error->domain), error->code);
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Whitecoat could not read the image it prepared for uploading."));
      return;
    }
  upload->content_type = g_strdup (g_str_has_suffix (temp, ".png") ? "image/png" : "image/jpeg");
  upload->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_task_return_boolean (task, TRUE);
}

static void poll_media (GTask *task);

static gboolean
on_poll_timeout (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    poll_media (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  guint delay = MIN (MEDIA_POLL_FIRST_MS << MIN (upload->attempts, 4u), MEDIA_POLL_MAX_MS);
  g_autoptr(GSource) source = g_timeout_source_new (delay);

  g_source_set_callback (source, on_poll_timeout, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
on_media_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Request *request = g_task_get_task_data (G_TASK (result));
  guint status = soup_message_get_status (request->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  const char *id = NULL;

  if (root == NULL)
    {
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED) && upload->media_id != NULL)
        {
          /* 422 while polling: the server could not process the file. */
          g_debug ("Media processing failed: %s", error->message);
          g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                                   _("The server could not process this image. Try another picture."));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    id = json_object_get_string_member_with_default (json_node_get_object (root), "id", NULL);
  if (id == NULL && upload->media_id == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server did not confirm the upload."));
      return;
    }
  if (upload->media_id == NULL)
    upload->media_id = g_strdup (id);

  /* 200: ready. 202 after the upload, 206 while polling: still processing. */
  if (status == SOUP_STATUS_OK)
    {
      g_task_return_pointer (task, g_steal_pointer (&upload->media_id), g_free);
      return;
    }
  if (upload->attempts >= MEDIA_POLL_ATTEMPTS)
    {
      g_task_return_error (task, wc_network_error_new_retry (0,
        _("The server is still processing the image. Whitecoat will try again later.")));
      return;
    }
  upload->attempts++;
  schedule_poll (task);
}

static void
poll_media (GTask *task)
{
  WcMastodon *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (task);
  g_autofree char *id = escape_segment (upload->media_id);
  g_autofree char *url = g_strconcat (self->base_url, "/api/v1/media/", id, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GTask) inner = g_task_new (NULL, g_task_get_cancellable (task), on_media_answer, g_object_ref (task));

  send_request (self->session, msg, self->token, inner);
}

static void
on_stripped (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  SoupMultipart *multipart;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The original file name may say who is in the picture: never send it. */
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "file",
                                   g_str_equal (upload->content_type, "image/png") ? "image.png" : "image.jpg",
                                   upload->content_type, upload->bytes);
  if (upload->description != NULL && *upload->description != '\0')
    soup_multipart_append_form_string (multipart, "description", upload->description);
  url = g_strconcat (self->base_url, "/api/v2/media", NULL);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  g_clear_pointer (&upload->bytes, g_bytes_unref);

  inner = g_task_new (NULL, g_task_get_cancellable (task), on_media_answer, g_object_ref (task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_upload_media_async:
 * @path: a JPEG or PNG image
 * @description: (nullable): the alt text
 *
 * Uploads an image for a post: a copy without any metadata is made first
 * (wc_image_strip_to_temp(), deleted right after reading), sent with
 * `POST /api/v2/media` under a neutral file name, and polled with
 * `GET /api/v1/media/:id` until the server has processed it (a bounded
 * number of times, with a short delay).
 */
void
wc_mastodon_upload_media_async (WcMastodon          *self,
                                const char          *path,
                                const char          *description,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) strip = NULL;
  Upload *upload;

  g_task_set_source_tag (task, wc_mastodon_upload_media_async);
  g_return_if_fail (path != NULL);
  if (!check_ready (self, task))
    return;

  upload = g_new0 (Upload, 1);
  upload->path = g_strdup (path);
  upload->description = g_strdup (description);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  strip = g_task_new (self, cancellable, on_stripped, g_object_ref (task));
  g_task_set_task_data (strip, upload, NULL);
  g_task_run_in_thread (strip, strip_in_thread);
}

/**
 * wc_mastodon_upload_media_finish:
 *
 * Returns: (transfer full): the media id to pass in #WcMastodonPost
 */
char *
wc_mastodon_upload_media_finish (WcMastodon    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Scheduled on the server -------------------------------------------- */

/**
 * wc_mastodon_reschedule_async:
 * @scheduled_id: the id of a scheduled status
 * @scheduled_at: the new time, at least five minutes ahead
 *
 * Moves a scheduled status (`PUT /api/v1/scheduled_statuses/:id`). Only the
 * time can change: for a new text, cancel and post again.
 */
void
wc_mastodon_reschedule_async (WcMastodon          *self,
                              const char          *scheduled_id,
                              GDateTime           *scheduled_at,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_reschedule_async);
  g_return_if_fail (scheduled_id != NULL && scheduled_at != NULL);
  if (!check_ready (self, task))
    return;

  utc = g_date_time_to_utc (scheduled_at);
  iso = g_date_time_format_iso8601 (utc);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scheduled_at");
  json_builder_add_string_value (builder, iso);
  json_builder_end_object (builder);

  id = escape_segment (scheduled_id);
  url = g_strconcat (self->base_url, "/api/v1/scheduled_statuses/", id, NULL);
  msg = new_json_message ("PUT", url, builder);
  inner = g_task_new (NULL, cancellable, on_posted, g_steal_pointer (&task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_reschedule_finish:
 *
 * Returns: (transfer full): the scheduled status with its new time
 */
WcMastodonPosted *
wc_mastodon_reschedule_finish (WcMastodon    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_cancel_scheduled_async:
 *
 * Deletes a scheduled status (`DELETE /api/v1/scheduled_statuses/:id`).
 */
void
wc_mastodon_cancel_scheduled_async (WcMastodon          *self,
                                    const char          *scheduled_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_cancel_scheduled_async);
  g_return_if_fail (scheduled_id != NULL);
  if (!check_ready (self, task))
    return;

  id = escape_segment (scheduled_id);
  url = g_strconcat (self->base_url, "/api/v1/scheduled_statuses/", id, NULL);
  msg = soup_message_new ("DELETE", url);
  send_converted (self, msg, task, convert_true, NULL);
}

gboolean
wc_mastodon_cancel_scheduled_finish (WcMastodon    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* --- Reconciling the outbox --------------------------------------------- */

void
wc_mastodon_status_free (WcMastodonStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->id);
  g_free (status->url);
  g_free (status->text);
  g_free (status->spoiler_text);
  g_free (status->visibility);
  g_free (status->idempotency);
  g_strfreev (status->media_ids);
  g_free (status);
}

static void
append_entity (GString    *out,
               const char *entity,
               gsize       length)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" }, { "nbsp", " " },
  };
  g_autofree char *name = g_strndup (entity, length);

  if (name[0] == '#')
    {
      gunichar c = (name[1] == 'x' || name[1] == 'X')
                   ? (gunichar) g_ascii_strtoull (name + 2, NULL, 16)
                   : (gunichar) g_ascii_strtoull (name + 1, NULL, 10);

      if (g_unichar_validate (c) && c != 0)
        g_string_append_unichar (out, c);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (name, named[i].name))
      {
        g_string_append (out, named[i].text);
        return;
      }
  g_string_append_c (out, '&');
  g_string_append (out, name);
  g_string_append_c (out, ';');
}

/* <br>, <p> and </p>: the tags that separate words. */
static gboolean
is_break_tag (const char *name)
{
  gsize length = 0;

  if (*name == '/')
    name++;
  while (g_ascii_isalnum (name[length]))
    length++;
  return (length == 2 && g_ascii_strncasecmp (name, "br", 2) == 0)
         || (length == 1 && g_ascii_tolower (name[0]) == 'p');
}

/* Mastodon shows a mention of another server's account as "@user", its
 * domain only on hover: "@user@domain" becomes "@user" on both sides. An
 * e-mail address (a word character before the "@") is left alone. */
static void
drop_mention_domains (GString *text)
{
  g_autoptr(GString) out = g_string_sized_new (text->len);
  const char *s = text->str;
  gsize i = 0;

  while (i < text->len)
    {
      gsize user_end = i + 1;
      gsize domain_end;

      if (s[i] != '@' || (i > 0 && (g_ascii_isalnum (s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '@'
                                    || s[i - 1] == '/' || (guchar) s[i - 1] >= 0x80)))
        {
          g_string_append_c (out, s[i++]);
          continue;
        }
      while (g_ascii_isalnum (s[user_end]) || s[user_end] == '_')
        user_end++;
      domain_end = user_end + 1;
      if (user_end == i + 1 || s[user_end] != '@')
        {
          g_string_append_len (out, s + i, user_end - i);
          i = user_end;
          continue;
        }
      while (g_ascii_isalnum (s[domain_end]) || s[domain_end] == '.' || s[domain_end] == '-'
             || s[domain_end] == '_')
        domain_end++;
      /* A sentence's full stop is not part of the domain. */
      while (domain_end > user_end + 1 && (s[domain_end - 1] == '.' || s[domain_end - 1] == '-'))
        domain_end--;
      g_string_append_len (out, s + i, user_end - i);
      i = domain_end > user_end + 1 ? domain_end : user_end;
    }
  g_string_assign (text, out->str);
}

/**
 * wc_mastodon_normalize_text:
 * @text: (nullable): a status's content (HTML) or the text that was sent
 * @is_html: whether @text is the server's HTML
 *
 * Returns: (transfer full): the text to compare
 */
char *
wc_mastodon_normalize_text (const char *text,
                            gboolean    is_html)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  if (!is_html)
    g_string_append (plain, text);
  else
    for (const char *p = text; *p != '\0';)
      {
        if (*p == '<')
          {
            const char *end = strchr (p, '>');

            if (end == NULL)
              break;
            /* Line breaks and paragraphs are white space; every other tag
             * (links, hashtags, mentions and the "invisible" and
             * "ellipsis" spans inside a link, which together hold the
             * whole address) vanishes and leaves its text. */
            if (is_break_tag (p + 1))
              g_string_append_c (plain, ' ');
            p = end + 1;
          }
        else if (*p == '&')
          {
            const char *end = strchr (p, ';');

            if (end != NULL && end - p <= 10)
              {
                append_entity (plain, p + 1, end - p - 1);
                p = end + 1;
              }
            else
              g_string_append_c (plain, *p++);
          }
        else
          g_string_append_c (plain, *p++);
      }

  if (!g_utf8_validate (plain->str, -1, NULL))
    return g_strdup ("");
  drop_mention_domains (plain);
  for (const char *p = plain->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A Status's media_attachments[].id, or a ScheduledStatus's
 * params.media_ids (its media_attachments when those are absent). */
static GStrv
media_ids_from_json (JsonObject *object,
                     JsonObject *params)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = params != NULL ? json_object_get_member (params, "media_ids") : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *ids = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *id = json_array_get_element (ids, i);

          if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (id));
        }
      return g_strv_builder_end (builder);
    }
  node = json_object_get_member (object, "media_attachments");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *media = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (media); i++)
        {
          JsonNode *item = json_array_get_element (media, i);
          const char *id = JSON_NODE_HOLDS_OBJECT (item)
                           ? json_object_get_string_member_with_default (json_node_get_object (item), "id", NULL)
                           : NULL;

          if (id != NULL)
            g_strv_builder_add (builder, id);
        }
    }
  return g_strv_builder_end (builder);
}

static WcMastodonStatus *
status_from_json (JsonObject *object)
{
  WcMastodonStatus *status = g_new0 (WcMastodonStatus, 1);
  JsonObject *params = object_member (object, "params");
  const char *when;
  g_autoptr(GDateTime) time = NULL;

  status->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  if (params != NULL)
    {
      /* A ScheduledStatus: the text as it was sent. */
      status->text = wc_mastodon_normalize_text (json_object_get_string_member_with_default (params, "text", NULL), FALSE);
      status->spoiler_text = g_strdup (json_object_get_string_member_with_default (params, "spoiler_text", NULL));
      status->visibility = g_strdup (json_object_get_string_member_with_default (params, "visibility", NULL));
      status->idempotency = g_strdup (json_object_get_string_member_with_default (params, "idempotency", NULL));
      when = json_object_get_string_member_with_default (object, "scheduled_at", NULL);
    }
  else
    {
      status->url = g_strdup (json_object_get_string_member_with_default (object, "url", NULL));
      status->text = wc_mastodon_normalize_text (json_object_get_string_member_with_default (object, "content", NULL), TRUE);
      status->spoiler_text = g_strdup (json_object_get_string_member_with_default (object, "spoiler_text", NULL));
      status->visibility = g_strdup (json_object_get_string_member_with_default (object, "visibility", NULL));
      when = json_object_get_string_member_with_default (object, "created_at", NULL);
    }
  time = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
  status->created_at = time != NULL ? g_date_time_to_unix (time) : 0;
  status->media_ids = media_ids_from_json (object, params);
  return status;
}

static gpointer
convert_statuses (GTask        *task,
                  JsonNode     *root,
                  SoupMessage  *msg,
                  GError      **error)
{
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_status_free);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (node)
          || json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL) == NULL)
        continue;
      g_ptr_array_add (statuses, status_from_json (json_node_get_object (node)));
    }
  return g_steal_pointer (&statuses);
}

/* Paging back through the account's statuses (list_own_statuses_since):
 * the statuses so far, and where the next page is. */
typedef struct
{
  GPtrArray *statuses;
  gint64     since;
  guint      pages_left;
} OwnPages;

static void
own_pages_free (OwnPages *pages)
{
  g_ptr_array_unref (pages->statuses);
  g_free (pages);
}

static gpointer
convert_statuses_page (GTask        *task,
                       JsonNode     *root,
                       SoupMessage  *msg,
                       GError      **error)
{
  GPtrArray *page = convert_statuses (task, root, msg, error);

  if (page != NULL)
    g_object_set_data_full (G_OBJECT (task), "next", link_next (msg), g_free);
  return page;
}

static void fetch_own_page (GTask      *task,
                            const char *url);

static void
on_own_page (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = g_task_get_source_object (task);
  OwnPages *pages = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_task_propagate_pointer (G_TASK (result), &error);
  const char *next = g_object_get_data (G_OBJECT (result), "next");
  gboolean older_reached = FALSE;

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < page->len; i++)
    {
      WcMastodonStatus *status = g_ptr_array_index (page, i);

      older_reached |= status->created_at < pages->since;
      g_ptr_array_add (pages->statuses, g_steal_pointer (&page->pdata[i]));
    }
  if (page->len == 0 || older_reached || next == NULL || pages->pages_left == 0 || !cursor_is_ours (self, next))
    {
      g_task_return_pointer (task, g_ptr_array_ref (pages->statuses), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  fetch_own_page (task, next);
}

static void
fetch_own_page (GTask      *task,
                const char *url)
{
  WcMastodon *self = g_task_get_source_object (task);
  OwnPages *pages = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GTask) page = g_task_new (self, g_task_get_cancellable (task), on_own_page, g_object_ref (task));

  pages->pages_left--;
  send_converted (self, msg, page, convert_statuses_page, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_own_statuses (GTask      *task,
                   const char *remote_id)
{
  WcMastodon *self = g_task_get_source_object (task);
  guint limit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "limit"));
  g_autofree char *id = escape_segment (remote_id);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/accounts/%s/statuses?limit=%u", self->base_url, id, limit);
  g_autoptr(SoupMessage) msg = NULL;

  if (g_task_get_task_data (task) != NULL)
    {
      fetch_own_page (task, url);
      return;
    }
  msg = soup_message_new ("GET", url);
  send_converted (self, msg, task, convert_statuses, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_own_id (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result, &error);

  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  list_own_statuses (task, profile->id);
}

/**
 * wc_mastodon_list_own_statuses_async:
 * @limit: how many, newest first (1–40)
 *
 * Reads the account's latest statuses, to find out whether a post whose
 * answer was lost was made after all.
 */
void
wc_mastodon_list_own_statuses_async (WcMastodon          *self,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *remote_id;

  g_task_set_source_tag (task, wc_mastodon_list_own_statuses_async);
  if (!check_ready (self, task))
    return;
  g_object_set_data (G_OBJECT (task), "limit", GUINT_TO_POINTER (CLAMP (limit, 1, 40)));

  remote_id = wc_account_get_remote_id (self->account);
  if (remote_id != NULL && *remote_id != '\0')
    list_own_statuses (task, remote_id);
  else
    wc_mastodon_verify_credentials_async (self, cancellable, on_own_id, g_steal_pointer (&task));
}

/**
 * wc_mastodon_list_own_statuses_finish:
 *
 * Returns: (transfer full) (element-type WcMastodonStatus): newest first
 */
GPtrArray *
wc_mastodon_list_own_statuses_finish (WcMastodon    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_list_own_statuses_since_async:
 * @since: UTC seconds: page back until a status older than this
 * @max_pages: at most this many pages of 40
 *
 * Like wc_mastodon_list_own_statuses_async(), but follows the pages back
 * in time, for a post made a while ago.
 */
void
wc_mastodon_list_own_statuses_since_async (WcMastodon          *self,
                                           gint64               since,
                                           guint                max_pages,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OwnPages *pages;
  const char *remote_id;

  g_task_set_source_tag (task, wc_mastodon_list_own_statuses_async);
  if (!check_ready (self, task))
    return;
  g_object_set_data (G_OBJECT (task), "limit", GUINT_TO_POINTER (40));
  pages = g_new0 (OwnPages, 1);
  pages->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_status_free);
  pages->since = since;
  pages->pages_left = MAX (max_pages, 1);
  g_task_set_task_data (task, pages, (GDestroyNotify) own_pages_free);

  remote_id = wc_account_get_remote_id (self->account);
  if (remote_id != NULL && *remote_id != '\0')
    list_own_statuses (task, remote_id);
  else
    wc_mastodon_verify_credentials_async (self, cancellable, on_own_id, g_steal_pointer (&task));
}

/* Mastodon keeps at most 300 scheduled statuses for an account: ten pages
 * of 40 hold them all, and a longer list is not believed. */
#define SCHEDULED_PAGES 10

/* Paging through the scheduled statuses: those so far, the pages left. */
typedef struct
{
  GPtrArray *statuses;
  guint      pages_left;
} ScheduledPages;

static void
scheduled_pages_free (ScheduledPages *pages)
{
  g_ptr_array_unref (pages->statuses);
  g_free (pages);
}

static void fetch_scheduled_page (GTask      *task,
                                  const char *url);

static void
on_scheduled_page (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = g_task_get_source_object (task);
  ScheduledPages *pages = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = g_task_propagate_pointer (G_TASK (result), &error);
  const char *next = g_object_get_data (G_OBJECT (result), "next");

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (pages->statuses, g_steal_pointer (&page->pdata[i]));
  if (page->len == 0 || next == NULL)
    {
      g_task_return_pointer (task, g_ptr_array_ref (pages->statuses), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  /* Half a list would make a post that is there look withdrawn. */
  if (!cursor_is_ours (self, next))
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  if (pages->pages_left == 0)
    {
      g_debug ("More than %u pages of scheduled statuses", SCHEDULED_PAGES);
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server lists more scheduled posts than Mastodon allows, so Whitecoat could not look through them."));
      return;
    }
  fetch_scheduled_page (task, next);
}

static void
fetch_scheduled_page (GTask      *task,
                      const char *url)
{
  WcMastodon *self = g_task_get_source_object (task);
  ScheduledPages *pages = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GTask) page = g_task_new (self, g_task_get_cancellable (task), on_scheduled_page, g_object_ref (task));

  pages->pages_left--;
  send_converted (self, msg, page, convert_statuses_page, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * wc_mastodon_list_scheduled_async:
 *
 * Reads every scheduled status of the account, page after page (40 a
 * page, following the `Link` header's next page), so that a post is never
 * taken for withdrawn because it is beyond the first page. More pages than
 * Mastodon's limit of 300 statuses fills, or a next page on another
 * server, end in an error rather than half a list.
 */
void
wc_mastodon_list_scheduled_async (WcMastodon          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = NULL;
  ScheduledPages *pages;

  g_task_set_source_tag (task, wc_mastodon_list_scheduled_async);
  if (!check_ready (self, task))
    return;
  pages = g_new0 (ScheduledPages, 1);
  pages->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_status_free);
  pages->pages_left = SCHEDULED_PAGES;
  g_task_set_task_data (task, pages, (GDestroyNotify) scheduled_pages_free);
  url = g_strconcat (self->base_url, "/api/v1/scheduled_statuses?limit=40", NULL);
  fetch_scheduled_page (task, url);
}

/**
 * wc_mastodon_list_scheduled_finish:
 *
 * Returns: (transfer full) (element-type WcMastodonStatus): the scheduled
 *   statuses, created_at holding their time
 */
GPtrArray *
wc_mastodon_list_scheduled_finish (WcMastodon    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Signing in, end to end --------------------------------------------- */

#define LOOPBACK_REDIRECT "http://127.0.0.1/callback"

typedef struct
{
  SoupSession           *session;
  char                  *base_url;
  WcMastodonApp         *app;
  WcOAuthListener       *listener;
  char                  *verifier;
  char                  *state;
  char                  *redirect_uri;
  char                  *token;
  WcMastodonOpenUriFunc  open_uri;
  gpointer               open_uri_data;
  gboolean               oob;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->session);
  g_free (sign_in->base_url);
  g_clear_pointer (&sign_in->app, wc_mastodon_app_free);
  if (sign_in->listener != NULL)
    wc_oauth_listener_stop (sign_in->listener);
  g_clear_object (&sign_in->listener);
  wipe_free (sign_in->verifier);
  g_free (sign_in->state);
  g_free (sign_in->redirect_uri);
  wipe_free (sign_in->token);
  g_free (sign_in);
}

static SignIn *
sign_in_new (GTask       *task,
             SoupSession *session,
             const char  *server)
{
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->session = g_object_ref (session);
  sign_in->base_url = wc_mastodon_dup_base_url (server);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  return sign_in;
}

static void
on_sign_in_verified (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  WcMastodonCredentials *credentials;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || json_object_get_string_member_with_default (json_node_get_object (root), "id", NULL) == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server did not describe the account."));
      return;
    }

  credentials = g_new0 (WcMastodonCredentials, 1);
  credentials->base_url = g_strdup (sign_in->base_url);
  credentials->app = g_steal_pointer (&sign_in->app);
  credentials->token = g_steal_pointer (&sign_in->token);
  credentials->profile = profile_from_json (-1, sign_in->base_url, json_node_get_object (root));
  g_task_return_pointer (task, credentials, (GDestroyNotify) wc_mastodon_credentials_free);
}

static void
sign_in_verify (GTask *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (sign_in->base_url, "/api/v1/accounts/verify_credentials", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GTask) inner = g_task_new (NULL, g_task_get_cancellable (task), on_sign_in_verified, g_object_ref (task));

  send_request (sign_in->session, msg, sign_in->token, inner);
}

static void
on_sign_in_exchanged (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (sign_in->listener != NULL)
    wc_oauth_listener_stop (sign_in->listener);
  sign_in->token = wc_mastodon_exchange_code_finish (result, &error);
  if (sign_in->token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sign_in_verify (task);
}

static void
sign_in_exchange (GTask      *task,
                  const char *code)
{
  SignIn *sign_in = g_task_get_task_data (task);

  wc_mastodon_exchange_code_async (sign_in->session, sign_in->base_url, sign_in->app, code,
                                   sign_in->verifier, sign_in->redirect_uri,
                                   g_task_get_cancellable (task), on_sign_in_exchanged, g_object_ref (task));
}

static void
on_sign_in_code (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = wc_oauth_listener_wait_finish (sign_in->listener, result, &error);

  /* The listener is stopped once the code is exchanged (or with the
   * sign-in): stopping it here would cut off the page the browser is still
   * being sent. */
  if (code == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sign_in_exchange (task, code);
}

static void
sign_in_open_browser (GTask *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;

  sign_in->verifier = wc_pkce_new_verifier ();
  sign_in->state = wc_oauth_new_state ();
  challenge = wc_pkce_challenge_s256 (sign_in->verifier);

  if (sign_in->oob)
    {
      WcMastodonOobSignIn *oob = g_new0 (WcMastodonOobSignIn, 1);

      oob->base_url = g_strdup (sign_in->base_url);
      oob->app = g_steal_pointer (&sign_in->app);
      oob->verifier = g_steal_pointer (&sign_in->verifier);
      oob->authorize_url = wc_mastodon_build_authorize_url (sign_in->base_url, oob->app->client_id,
                                                            WC_MASTODON_OOB_REDIRECT, sign_in->state,
                                                            challenge);
      g_task_return_pointer (task, oob, (GDestroyNotify) wc_mastodon_oob_sign_in_free);
      return;
    }

  sign_in->listener = wc_oauth_listener_new (sign_in->state);
  if (!wc_oauth_listener_start (sign_in->listener, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sign_in->redirect_uri = g_strdup (wc_oauth_listener_get_redirect_uri (sign_in->listener));
  url = wc_mastodon_build_authorize_url (sign_in->base_url, sign_in->app->client_id,
                                         sign_in->redirect_uri, sign_in->state, challenge);
  wc_oauth_listener_wait_async (sign_in->listener, g_task_get_cancellable (task),
                                on_sign_in_code, g_object_ref (task));
  g_debug ("Opening the browser for the sign-in");
  sign_in->open_uri (url, sign_in->open_uri_data);
}

static void
on_sign_in_registered (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  sign_in->app = wc_mastodon_register_app_finish (result, &error);
  if (sign_in->app == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sign_in_open_browser (task);
}

static void
sign_in_start (GTask               *task,
               const char          *server,
               const WcMastodonApp *known_app)
{
  SignIn *sign_in = g_task_get_task_data (task);
  const char * const redirect_uris[] = { LOOPBACK_REDIRECT, WC_MASTODON_OOB_REDIRECT, NULL };

  if (sign_in->base_url == NULL)
    {
      bad_server (task, server);
      return;
    }
  if (known_app != NULL && known_app->client_id != NULL && known_app->client_secret != NULL)
    {
      sign_in->app = wc_mastodon_app_copy (known_app);
      sign_in_open_browser (task);
      return;
    }
  wc_mastodon_register_app_async (sign_in->session, sign_in->base_url, redirect_uris,
                                  g_task_get_cancellable (task), on_sign_in_registered, g_object_ref (task));
}

/**
 * wc_mastodon_sign_in_async:
 * @session: the HTTP session
 * @server: what the user typed: "med.example", "https://med.example" or
 *   "@anna@med.example"
 * @known_app: (nullable): Whitecoat's registration on this server, when it
 *   registered before; otherwise it registers now (`POST /api/v1/apps`,
 *   with the loopback and the out-of-band redirect URIs)
 * @open_uri: opens the authorize address in the browser
 * @cancellable: (nullable): cancel it when the user gives up — the sign-in
 *   otherwise waits for the browser for as long as it takes
 *
 * Signs in the way RFC 8252 describes: a loopback listener on 127.0.0.1
 * receives the code, PKCE (S256) and a random `state` protect it; the code
 * is exchanged for a token, and verify_credentials describes the account.
 */
void
wc_mastodon_sign_in_async (SoupSession           *session,
                           const char            *server,
                           const WcMastodonApp   *known_app,
                           WcMastodonOpenUriFunc  open_uri,
                           gpointer               open_uri_data,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in;

  g_task_set_source_tag (task, wc_mastodon_sign_in_async);
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (open_uri != NULL);

  sign_in = sign_in_new (task, session, server);
  sign_in->open_uri = open_uri;
  sign_in->open_uri_data = open_uri_data;
  sign_in_start (task, server, known_app);
}

/**
 * wc_mastodon_sign_in_finish:
 *
 * Returns: (transfer full): the token, the app and the account; the token
 *   and the client secret go to the keyring
 */
WcMastodonCredentials *
wc_mastodon_sign_in_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_sign_in_oob_begin_async:
 *
 * The first half of the out-of-band sign-in, for when the browser cannot
 * come back to Whitecoat: registers if needed and makes the authorize
 * address. Open it; the server shows a code for the user to paste, then
 * call wc_mastodon_sign_in_oob_complete_async().
 */
void
wc_mastodon_sign_in_oob_begin_async (SoupSession         *session,
                                     const char          *server,
                                     const WcMastodonApp *known_app,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in;

  g_task_set_source_tag (task, wc_mastodon_sign_in_oob_begin_async);
  g_return_if_fail (SOUP_IS_SESSION (session));

  sign_in = sign_in_new (task, session, server);
  sign_in->oob = TRUE;
  sign_in_start (task, server, known_app);
}

/**
 * wc_mastodon_sign_in_oob_begin_finish:
 *
 * Returns: (transfer full): the authorize address and what completing needs
 */
WcMastodonOobSignIn *
wc_mastodon_sign_in_oob_begin_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_sign_in_oob_complete_async:
 * @oob: from wc_mastodon_sign_in_oob_begin_finish()
 * @code: what the user pasted (spaces around it do not matter)
 */
void
wc_mastodon_sign_in_oob_complete_async (SoupSession               *session,
                                        const WcMastodonOobSignIn *oob,
                                        const char                *code,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in;

  g_task_set_source_tag (task, wc_mastodon_sign_in_oob_complete_async);
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (oob != NULL && oob->app != NULL);

  sign_in = sign_in_new (task, session, oob->base_url);
  sign_in->app = wc_mastodon_app_copy (oob->app);
  sign_in->verifier = g_strdup (oob->verifier);
  sign_in->redirect_uri = g_strdup (WC_MASTODON_OOB_REDIRECT);
  if (code == NULL || strspn (code, " \t\r\n") == strlen (code))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                               _("Paste the code the server showed you."));
      return;
    }
  sign_in_exchange (task, code);
}

WcMastodonCredentials *
wc_mastodon_sign_in_oob_complete_finish (GAsyncResult  *result,
                                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_sign_in_with_token_async:
 * @token: an access token the user made in the server's settings
 *   (Preferences → Development) and pasted
 *
 * For servers that refuse both redirects: only checks the token with
 * verify_credentials. The credentials have no app, so removing the account
 * cannot revoke such a token; the user withdraws it on the server.
 */
void
wc_mastodon_sign_in_with_token_async (SoupSession         *session,
                                      const char          *server,
                                      const char          *token,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in;

  g_task_set_source_tag (task, wc_mastodon_sign_in_with_token_async);
  g_return_if_fail (SOUP_IS_SESSION (session));

  sign_in = sign_in_new (task, session, server);
  if (sign_in->base_url == NULL)
    {
      bad_server (task, server);
      return;
    }
  sign_in->token = g_strstrip (g_strdup (token != NULL ? token : ""));
  if (*sign_in->token == '\0')
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                               _("Paste the access token from the server’s settings."));
      return;
    }
  sign_in_verify (task);
}

WcMastodonCredentials *
wc_mastodon_sign_in_with_token_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Signing out: revoke, then forget. */

static void
on_keyring_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *revoke_error = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!wc_keyring_clear_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (revoke_error != NULL)
    g_task_return_error (task, g_error_copy (revoke_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_forget (GTask *task)
{
  WcMastodon *self = g_task_get_source_object (task);
  gint64 account_id = wc_account_get_id (self->account);

  wc_mastodon_set_access_token (self, NULL);
  /* -1 would mean every secret Whitecoat has: only a stored account's. */
  if (account_id > 0)
    wc_keyring_clear_async (account_id, NULL, g_task_get_cancellable (task), on_keyring_cleared,
                            g_object_ref (task));
  else
    {
      GError *revoke_error = g_task_get_task_data (task);

      if (revoke_error != NULL)
        g_task_return_error (task, g_error_copy (revoke_error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
on_sign_out_revoked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_mastodon_revoke_finish (result, &error))
    {
      g_debug ("Could not revoke the token: %s", error->message);
      g_task_set_task_data (task, g_error_new (WC_NETWORK_ERROR, error->code,
                                               _("Whitecoat forgot the sign-in, but could not tell the server: %s "
                                                 "Withdraw Whitecoat’s access in the server’s settings (Preferences → Account → Authorized apps)."),
                                               error->message),
                            (GDestroyNotify) g_error_free);
    }
  sign_out_forget (task);
}

/**
 * wc_mastodon_sign_out_async:
 * @app: (nullable): the registration the token was made for; %NULL for a
 *   pasted token, which Whitecoat cannot revoke
 *
 * When an account is removed: revokes the token (`POST /oauth/revoke`),
 * forgets it, and clears the account's secrets from the keyring — the
 * keyring is cleared even when the server could not be reached. An error
 * then says what the user still has to do on the server.
 */
void
wc_mastodon_sign_out_async (WcMastodon          *self,
                            const WcMastodonApp *app,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_mastodon_sign_out_async);
  if (self->base_url != NULL && self->token != NULL && app != NULL)
    {
      wc_mastodon_revoke_async (self->session, self->base_url, app, self->token, cancellable,
                                on_sign_out_revoked, g_object_ref (task));
      return;
    }
  if (self->token != NULL)
    g_task_set_task_data (task, g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                                     _("Whitecoat forgot the access token, but cannot withdraw a pasted token. "
                                                       "Withdraw it in the server’s settings (Preferences → Development).")),
                          (GDestroyNotify) g_error_free);
  sign_out_forget (task);
}

gboolean
wc_mastodon_sign_out_finish (WcMastodon    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Followers ---------------------------------------------------------- */

typedef struct
{
  WcHasher                    *hasher;
  WcFollowerSnapshot          *snapshot;
  char                        *next_url;
  char                        *domain;
  WcMastodonFollowersProgress  progress;
  gpointer                     progress_data;
  gboolean                     first_page;
  char                        *note;
} Followers;

static void
followers_free (Followers *followers)
{
  g_clear_pointer (&followers->hasher, wc_hasher_unref);
  g_clear_pointer (&followers->snapshot, wc_follower_snapshot_unref);
  g_free (followers->next_url);
  g_free (followers->domain);
  g_free (followers->note);
  g_free (followers);
}

static void fetch_followers_page (GTask *task);

static void
on_followers_page (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Followers *followers = g_task_get_task_data (task);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = g_task_propagate_pointer (G_TASK (result), &error);
  JsonArray *array;
  guint n;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The server’s list of followers could not be read."));
      return;
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      g_autofree char *ref = NULL;
      const char *display_name;

      if (object == NULL)
        continue;
      ref = full_acct (json_object_get_string_member_with_default (object, "acct", NULL), followers->domain);
      if (ref == NULL)
        continue;
      display_name = json_object_get_string_member_with_default (object, "display_name", NULL);
      if (display_name != NULL && *display_name == '\0')
        display_name = NULL;
      if (followers->hasher != NULL)
        wc_follower_snapshot_add_hashed (followers->snapshot, followers->hasher, ref, display_name);
      else
        wc_follower_snapshot_add (followers->snapshot, ref, display_name, NULL);
    }

  g_free (followers->next_url);
  followers->next_url = link_next (request->msg);

  /* An empty list for an account the server says has followers: the
   * server hides the list ("hide your network"), even from its owner. */
  if (followers->first_page && n == 0
      && wc_follower_snapshot_get_followers_count (followers->snapshot) > 0)
    {
      wc_follower_snapshot_set_hidden (followers->snapshot, TRUE);
      wc_follower_snapshot_set_complete (followers->snapshot, FALSE);
      followers->note = g_strdup (_("The server hides this list, so Whitecoat cannot see who follows you. "
                                    "The number of followers is still known."));
      g_task_return_pointer (task, wc_follower_snapshot_ref (followers->snapshot),
                             (GDestroyNotify) wc_follower_snapshot_unref);
      return;
    }
  followers->first_page = FALSE;

  if (followers->next_url != NULL && !cursor_is_ours (g_task_get_source_object (task), followers->next_url))
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  if (followers->next_url == NULL)
    wc_follower_snapshot_set_complete (followers->snapshot, TRUE);
  if (followers->progress != NULL)
    followers->progress (followers->snapshot, followers->next_url, followers->progress_data);

  if (followers->next_url == NULL)
    {
      g_task_return_pointer (task, wc_follower_snapshot_ref (followers->snapshot),
                             (GDestroyNotify) wc_follower_snapshot_unref);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  fetch_followers_page (task);
}

static void
fetch_followers_page (GTask *task)
{
  WcMastodon *self = g_task_get_source_object (task);
  Followers *followers = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", followers->next_url);
  g_autoptr(GTask) inner = NULL;

  if (msg == NULL)
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  inner = g_task_new (NULL, g_task_get_cancellable (task), on_followers_page, g_object_ref (task));
  send_request (self->session, msg, self->token, inner);
}

static void
on_followers_profile (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcMastodon *self = WC_MASTODON (source);
  Followers *followers = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = wc_mastodon_verify_credentials_finish (self, result, &error);

  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (followers->snapshot == NULL)
    followers->snapshot = wc_follower_snapshot_new (wc_account_get_id (self->account),
                                                    g_get_real_time () / G_USEC_PER_SEC);
  wc_follower_snapshot_set_followers_count (followers->snapshot, profile->state->followers_count);
  wc_follower_snapshot_set_complete (followers->snapshot, FALSE);
  wc_follower_snapshot_set_hidden (followers->snapshot, FALSE);

  if (followers->next_url == NULL)
    {
      g_autofree char *id = escape_segment (profile->id);

      followers->first_page = TRUE;
      followers->next_url = g_strdup_printf ("%s/api/v1/accounts/%s/followers?limit=%u",
                                             self->base_url, id, WC_MASTODON_FOLLOWERS_PER_PAGE);
      if (profile->state->followers_count > 0)
        wc_follower_snapshot_reserve (followers->snapshot,
                                      MIN (profile->state->followers_count, 1000000));
    }
  fetch_followers_page (task);
}

/**
 * wc_mastodon_fetch_followers_async:
 * @hasher: (nullable): the doctor's hasher, so that followers carry the
 *   keyed hash of their handle
 * @snapshot: (nullable): %NULL to start a new snapshot, or the unfinished
 *   snapshot that goes with @resume_cursor
 * @resume_cursor: (nullable): a cursor @progress reported, to go on from
 *   there (after a restart, say)
 * @progress: (nullable) (scope call): called after every page with the
 *   followers so far and the cursor to resume from
 * @progress_data: for @progress; it must live until the call finishes
 *
 * Reads the account's followers page by page, following the `Link`
 * header (80 per page), into a #WcFollowerSnapshot whose followers are
 * full `user@server` references and whose count comes from
 * verify_credentials. Cancelling keeps @snapshot as the last progress
 * report left it, so the fetch can resume from that cursor without
 * reading anyone twice.
 */
void
wc_mastodon_fetch_followers_async (WcMastodon                  *self,
                                   WcHasher                    *hasher,
                                   WcFollowerSnapshot          *snapshot,
                                   const char                  *resume_cursor,
                                   WcMastodonFollowersProgress  progress,
                                   gpointer                     progress_data,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Followers *followers;

  g_task_set_source_tag (task, wc_mastodon_fetch_followers_async);
  g_return_if_fail (resume_cursor == NULL || snapshot != NULL);
  if (!check_ready (self, task))
    return;
  if (resume_cursor != NULL && !cursor_is_ours (self, resume_cursor))
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }

  followers = g_new0 (Followers, 1);
  followers->hasher = hasher != NULL ? wc_hasher_ref (hasher) : NULL;
  followers->snapshot = snapshot != NULL ? wc_follower_snapshot_ref (snapshot) : NULL;
  followers->next_url = g_strdup (resume_cursor);
  followers->domain = domain_of (self->base_url);
  followers->progress = progress;
  followers->progress_data = progress_data;
  g_task_set_task_data (task, followers, (GDestroyNotify) followers_free);

  wc_mastodon_verify_credentials_async (self, cancellable, on_followers_profile, g_steal_pointer (&task));
}

/**
 * wc_mastodon_fetch_followers_finish:
 * @note: (out) (optional) (nullable): a sentence for the user when the
 *   list could not be read in full (a hidden list)
 *
 * Returns: (transfer full): the snapshot; complete unless hidden
 */
WcFollowerSnapshot *
wc_mastodon_fetch_followers_finish (WcMastodon    *self,
                                    GAsyncResult  *result,
                                    char         **note,
                                    GError       **error)
{
  Followers *followers;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  followers = g_task_get_task_data (G_TASK (result));
  if (note != NULL)
    *note = followers != NULL ? g_strdup (followers->note) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Follow requests and relationships ---------------------------------- */

typedef struct
{
  GPtrArray *accounts;
  char      *next;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->accounts, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

static gpointer
convert_accounts_page (GTask        *task,
                       JsonNode     *root,
                       SoupMessage  *msg,
                       GError      **error)
{
  WcMastodon *self = g_task_get_source_object (task);
  g_autofree char *domain = domain_of (self->base_url);
  JsonArray *array;
  Page *page;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  page = g_new0 (Page, 1);
  page->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_account_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (page->accounts, account_from_json (json_node_get_object (element), domain));
    }
  page->next = link_next (msg);
  if (page->next != NULL && !cursor_is_ours (self, page->next))
    {
      g_debug ("Ignoring a next page on another server");
      g_clear_pointer (&page->next, g_free);
    }
  return page;
}

/**
 * wc_mastodon_list_follow_requests_async:
 * @cursor: (nullable): %NULL for the first page, or the next cursor a
 *   previous page gave
 *
 * Lists pending follow requests (`GET /api/v1/follow_requests`), 80 at a
 * time; Mastodon pages them only through the `Link` header.
 */
void
wc_mastodon_list_follow_requests_async (WcMastodon          *self,
                                        const char          *cursor,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_list_follow_requests_async);
  if (!check_ready (self, task))
    return;
  if (cursor != NULL && !cursor_is_ours (self, cursor))
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  url = cursor != NULL ? g_strdup (cursor)
                       : g_strdup_printf ("%s/api/v1/follow_requests?limit=80", self->base_url);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  send_converted (self, msg, task, convert_accounts_page, (GDestroyNotify) page_free);
}

/**
 * wc_mastodon_list_follow_requests_finish:
 * @next_cursor: (out) (optional) (nullable): the next page, or %NULL
 *
 * Returns: (transfer container) (element-type WcMastodonAccount): who asks
 *   to follow
 */
GPtrArray *
wc_mastodon_list_follow_requests_finish (WcMastodon    *self,
                                         GAsyncResult  *result,
                                         char         **next_cursor,
                                         GError       **error)
{
  Page *page;
  GPtrArray *accounts;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;
  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&page->next);
  accounts = g_steal_pointer (&page->accounts);
  page_free (page);
  return accounts;
}

static gpointer
convert_relationship (GTask        *task,
                      JsonNode     *root,
                      SoupMessage  *msg,
                      GError      **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return relationship_from_json (json_node_get_object (root));
}

static void
post_for_relationship (WcMastodon          *self,
                       gpointer             source_tag,
                       const char          *prefix,
                       const char          *account_id,
                       const char          *suffix,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, source_tag);
  g_return_if_fail (account_id != NULL);
  if (!check_ready (self, task))
    return;
  id = escape_segment (account_id);
  url = g_strconcat (self->base_url, prefix, id, suffix, NULL);
  msg = soup_message_new ("POST", url);
  send_converted (self, msg, task, convert_relationship, (GDestroyNotify) wc_mastodon_relationship_free);
}

/**
 * wc_mastodon_authorize_follow_request_async:
 * @account_id: the id of the account that asked
 *
 * Accepts a follow request; finish with wc_mastodon_relationship_finish().
 */
void
wc_mastodon_authorize_follow_request_async (WcMastodon          *self,
                                            const char          *account_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  post_for_relationship (self, wc_mastodon_authorize_follow_request_async,
                         "/api/v1/follow_requests/", account_id, "/authorize",
                         cancellable, callback, user_data);
}

/**
 * wc_mastodon_reject_follow_request_async:
 *
 * Declines a follow request; finish with wc_mastodon_relationship_finish().
 */
void
wc_mastodon_reject_follow_request_async (WcMastodon          *self,
                                         const char          *account_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  post_for_relationship (self, wc_mastodon_reject_follow_request_async,
                         "/api/v1/follow_requests/", account_id, "/reject",
                         cancellable, callback, user_data);
}

/**
 * wc_mastodon_remove_from_followers_async:
 *
 * Removes someone who already follows; finish with
 * wc_mastodon_relationship_finish().
 */
void
wc_mastodon_remove_from_followers_async (WcMastodon          *self,
                                         const char          *account_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  post_for_relationship (self, wc_mastodon_remove_from_followers_async,
                         "/api/v1/accounts/", account_id, "/remove_from_followers",
                         cancellable, callback, user_data);
}

/**
 * wc_mastodon_block_async:
 * @account_id: the account to block
 *
 * Blocks an account (`POST /api/v1/accounts/:id/block`): it stops
 * following, and its pending follow request goes away. Finish with
 * wc_mastodon_relationship_finish().
 */
void
wc_mastodon_block_async (WcMastodon          *self,
                         const char          *account_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  post_for_relationship (self, wc_mastodon_block_async,
                         "/api/v1/accounts/", account_id, "/block",
                         cancellable, callback, user_data);
}

/**
 * wc_mastodon_list_followers_async:
 * @own_id: the account's own id on its server (verify_credentials)
 * @cursor: (nullable): %NULL for the first page, or the next cursor a
 *   previous page gave
 *
 * Lists followers with their ids and profiles, 80 at a time, for acting on
 * them (wc_mastodon_remove_from_followers_async()). For counting and the
 * audience use wc_mastodon_fetch_followers_async().
 */
void
wc_mastodon_list_followers_async (WcMastodon          *self,
                                  const char          *own_id,
                                  const char          *cursor,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_list_followers_async);
  if (!check_ready (self, task))
    return;
  if (cursor != NULL && !cursor_is_ours (self, cursor))
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  if (cursor != NULL)
    url = g_strdup (cursor);
  else
    {
      g_autofree char *id = escape_segment (own_id);

      url = g_strdup_printf ("%s/api/v1/accounts/%s/followers?limit=%u",
                             self->base_url, id, WC_MASTODON_FOLLOWERS_PER_PAGE);
    }
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_error (task, foreign_cursor_error ());
      return;
    }
  send_converted (self, msg, task, convert_accounts_page, (GDestroyNotify) page_free);
}

/**
 * wc_mastodon_list_followers_finish:
 * @next_cursor: (out) (optional) (nullable): the next page, or %NULL
 *
 * Returns: (transfer container) (element-type WcMastodonAccount): the
 *   followers of this page
 */
GPtrArray *
wc_mastodon_list_followers_finish (WcMastodon    *self,
                                   GAsyncResult  *result,
                                   char         **next_cursor,
                                   GError       **error)
{
  return wc_mastodon_list_follow_requests_finish (self, result, next_cursor, error);
}

/**
 * wc_mastodon_relationship_finish:
 *
 * Returns: (transfer full): the relationship after the decision
 */
WcMastodonRelationship *
wc_mastodon_relationship_finish (WcMastodon    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
convert_relationships (GTask        *task,
                       JsonNode     *root,
                       SoupMessage  *msg,
                       GError      **error)
{
  GPtrArray *relationships;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  relationships = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_relationship_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (relationships, relationship_from_json (json_node_get_object (element)));
    }
  return relationships;
}

/**
 * wc_mastodon_get_relationships_async:
 * @account_ids: the accounts to ask about
 *
 * `GET /api/v1/accounts/relationships`: whether each follows, asked to
 * follow, is followed …
 */
void
wc_mastodon_get_relationships_async (WcMastodon          *self,
                                     const char * const  *account_ids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GString) url = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_task_set_source_tag (task, wc_mastodon_get_relationships_async);
  if (!check_ready (self, task))
    return;

  url = g_string_new (self->base_url);
  g_string_append (url, "/api/v1/accounts/relationships");
  for (guint i = 0; account_ids != NULL && account_ids[i] != NULL; i++)
    {
      g_string_append (url, i == 0 ? "?id[]=" : "&id[]=");
      g_string_append_uri_escaped (url, account_ids[i], NULL, FALSE);
    }
  msg = soup_message_new ("GET", url->str);
  send_converted (self, msg, task, convert_relationships, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * wc_mastodon_get_relationships_finish:
 *
 * Returns: (transfer container) (element-type WcMastodonRelationship): one
 *   per account the server knows
 */
GPtrArray *
wc_mastodon_get_relationships_finish (WcMastodon    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Settings ----------------------------------------------------------- */

static void
add_flag (GHashTable *form,
          const char *name,
          WcTristate  value)
{
  if (value != WC_TRISTATE_UNKNOWN)
    g_hash_table_insert (form, (gpointer) name, (gpointer) (value == WC_TRISTATE_YES ? "true" : "false"));
}

/**
 * wc_mastodon_update_settings_async:
 * @settings: what to change; the rest stays as it is
 *
 * Applies privacy settings with `PATCH /api/v1/accounts/update_credentials`
 * (form-encoded) and returns the account as the server now describes it.
 *
 * Unlocking the account (locked from true to false) makes the server accept
 * **every pending follow request** at once. The UI must warn and let the
 * user go through the requests first.
 */
void
wc_mastodon_update_settings_async (WcMastodon               *self,
                                   const WcMastodonSettings *settings,
                                   GCancellable             *cancellable,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_update_settings_async);
  g_return_if_fail (settings != NULL);
  if (!check_ready (self, task))
    return;

  add_flag (form, "locked", settings->locked);
  add_flag (form, "discoverable", settings->discoverable);
  add_flag (form, "indexable", settings->indexable);
  add_flag (form, "hide_collections", settings->hide_collections);
  add_flag (form, "source[sensitive]", settings->sensitive);
  if (settings->privacy != NULL)
    g_hash_table_insert (form, (gpointer) "source[privacy]", (gpointer) settings->privacy);

  url = g_strconcat (self->base_url, "/api/v1/accounts/update_credentials", NULL);
  msg = new_form_message ("PATCH", url, form);
  inner = g_task_new (NULL, cancellable, on_credentials, g_steal_pointer (&task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_update_settings_finish:
 *
 * Returns: (transfer full): the account with its new settings
 */
WcMastodonProfile *
wc_mastodon_update_settings_finish (WcMastodon    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_mastodon_update_profile_async:
 * @update: the fields and the bio to send
 *
 * Changes profile texts with `PATCH /api/v1/accounts/update_credentials`
 * (form-encoded, `fields_attributes[i][name]`/`[value]`, `note`) and
 * returns the account as the server now describes it.
 */
void
wc_mastodon_update_profile_async (WcMastodon                    *self,
                                  const WcMastodonProfileUpdate *update,
                                  GCancellable                  *cancellable,
                                  GAsyncReadyCallback            callback,
                                  gpointer                       user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, wc_mastodon_update_profile_async);
  g_return_if_fail (update != NULL);
  if (!check_ready (self, task))
    return;

  if (update->set_fields)
    {
      guint n = 0;

      for (guint i = 0; update->fields != NULL && update->fields[i] != NULL && update->fields[i + 1] != NULL; i += 2)
        {
          g_hash_table_insert (form, g_strdup_printf ("fields_attributes[%u][name]", n),
                               (gpointer) update->fields[i]);
          g_hash_table_insert (form, g_strdup_printf ("fields_attributes[%u][value]", n),
                               (gpointer) update->fields[i + 1]);
          n++;
        }
      /* No field at all: one blank entry, which Mastodon drops, says
       * "none" where sending nothing would say "unchanged". */
      if (n == 0)
        {
          g_hash_table_insert (form, g_strdup ("fields_attributes[0][name]"), (gpointer) "");
          g_hash_table_insert (form, g_strdup ("fields_attributes[0][value]"), (gpointer) "");
        }
    }
  if (update->note != NULL)
    g_hash_table_insert (form, g_strdup ("note"), (gpointer) update->note);
  if (g_hash_table_size (form) == 0)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("There is nothing to change in the profile."));
      return;
    }

  url = g_strconcat (self->base_url, "/api/v1/accounts/update_credentials", NULL);
  msg = new_form_message ("PATCH", url, form);
  inner = g_task_new (NULL, cancellable, on_credentials, g_steal_pointer (&task));
  send_request (self->session, msg, self->token, inner);
}

/**
 * wc_mastodon_update_profile_finish:
 *
 * Returns: (transfer full): the account with its new profile texts
 */
WcMastodonProfile *
wc_mastodon_update_profile_finish (WcMastodon    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- The object --------------------------------------------------------- */

static WcNetworkCapabilities
wc_mastodon_get_capabilities (WcNetwork *network)
{
  return WC_NETWORK_CAPABILITY_SIGN_IN | WC_NETWORK_CAPABILITY_POST | WC_NETWORK_CAPABILITY_SCHEDULE_REMOTE
         | WC_NETWORK_CAPABILITY_FOLLOWERS | WC_NETWORK_CAPABILITY_REQUESTS | WC_NETWORK_CAPABILITY_SETTINGS;
}

static void
wc_network_iface_init (WcNetworkInterface *iface)
{
  iface->get_capabilities = wc_mastodon_get_capabilities;
}

static void
wc_mastodon_dispose (GObject *object)
{
  WcMastodon *self = (WcMastodon *) object;

  g_clear_object (&self->account);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wc_mastodon_parent_class)->dispose (object);
}

static void
wc_mastodon_finalize (GObject *object)
{
  WcMastodon *self = (WcMastodon *) object;

  g_free (self->base_url);
  wc_mastodon_set_access_token (self, NULL);

  G_OBJECT_CLASS (wc_mastodon_parent_class)->finalize (object);
}

static void
wc_mastodon_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WcMastodon *self = WC_MASTODON (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_mastodon_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WcMastodon *self = WC_MASTODON (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      if (self->account != NULL)
        self->base_url = wc_mastodon_dup_base_url (wc_account_get_server (self->account));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_mastodon_constructed (GObject *object)
{
  WcMastodon *self = (WcMastodon *) object;

  G_OBJECT_CLASS (wc_mastodon_parent_class)->constructed (object);

  /* Made by the network registry, it gets the default session. */
  if (self->session == NULL)
    self->session = wc_mastodon_default_session ();
}

static void
wc_mastodon_class_init (WcMastodonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = wc_mastodon_constructed;
  object_class->dispose = wc_mastodon_dispose;
  object_class->finalize = wc_mastodon_finalize;
  object_class->get_property = wc_mastodon_get_property;
  object_class->set_property = wc_mastodon_set_property;

  g_object_class_override_property (object_class, PROP_ACCOUNT, "account");
}

static void
wc_mastodon_init (WcMastodon *self)
{
}

/**
 * wc_mastodon_new:
 * @account: a Mastodon account (its server is used)
 * @session: (nullable): the HTTP session, or %NULL for
 *   wc_mastodon_default_session()
 *
 * Returns: (transfer full): the object speaking for @account
 */
WcMastodon *
wc_mastodon_new (WcAccount   *account,
                 SoupSession *session)
{
  WcMastodon *self;

  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);

  self = g_object_new (WC_TYPE_MASTODON, "account", account, NULL);
  if (session != NULL)
    g_set_object (&self->session, session);
  return self;
}

/**
 * wc_mastodon_set_access_token:
 * @token: (nullable): the token from the keyring
 *
 * The token is wiped from memory when replaced.
 */
/**
 * wc_mastodon_get_base_url:
 *
 * Returns: (nullable): "https://med.example", or %NULL when the account's
 *   server is not an address
 */
const char *
wc_mastodon_get_base_url (WcMastodon *self)
{
  g_return_val_if_fail (WC_IS_MASTODON (self), NULL);
  return self->base_url;
}

void
wc_mastodon_set_access_token (WcMastodon *self,
                              const char *token)
{
  g_return_if_fail (WC_IS_MASTODON (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}
