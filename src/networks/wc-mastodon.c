/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-mastodon"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-mastodon.h"

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
  g_free (profile);
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

typedef struct
{
  SoupMessage *msg;
  char        *host;
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

      json_generator_set_root (generator, root);
      body = json_generator_to_data (generator, &length);
      soup_message_set_request_body_from_bytes (msg, "application/json",
                                                g_bytes_new_take (g_steal_pointer (&body), length));
    }
  return msg;
}

static SoupMessage *
new_form_message (const char *method,
                  const char *url,
                  GHashTable *form)
{
  SoupMessage *msg = soup_message_new (method, url);
  char *body;

  if (msg == NULL)
    return NULL;
  body = soup_form_encode_hash (form);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                            g_bytes_new_take (body, strlen (body)));
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

static WcMastodonProfile *
profile_from_json (WcMastodon *self,
                   JsonObject *object)
{
  WcMastodonProfile *profile = g_new0 (WcMastodonProfile, 1);
  JsonObject *source = object_member (object, "source");
  WcTristate value;

  profile->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  profile->username = g_strdup (json_object_get_string_member_with_default (object, "username", NULL));
  profile->acct = g_strdup (json_object_get_string_member_with_default (object, "acct", NULL));
  profile->display_name = g_strdup (json_object_get_string_member_with_default (object, "display_name", NULL));
  profile->url = g_strdup (json_object_get_string_member_with_default (object, "url", NULL));

  profile->state = wc_account_state_new (wc_account_get_id (self->account));
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
    g_task_return_pointer (task, profile_from_json (self, json_node_get_object (root)),
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

/* --- The object --------------------------------------------------------- */

static WcNetworkCapabilities
wc_mastodon_get_capabilities (WcNetwork *network)
{
  return WC_NETWORK_CAPABILITY_SIGN_IN | WC_NETWORK_CAPABILITY_POST | WC_NETWORK_CAPABILITY_SCHEDULE_REMOTE;
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
