/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsoup/soup.h>

#include "wc-mastodon-server.h"

/* Drives the Mastodon test server with a plain SoupSession, so that the
 * client's tests can rely on it behaving as NETWORKS.md §1 describes. */

typedef struct
{
  WcMastodonServer *server;
  SoupSession      *session;
  char             *base;
  char             *alice_id;
  char             *bob_id;
  char             *token;      /* alice, every scope */
  char             *bob_token;
  gint64            t0;
  GPtrArray        *strings;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;
  GError             *error;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 3, 2, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  f->t0 = g_date_time_to_unix (t0);
  f->strings = g_ptr_array_new_with_free_func (g_free);
  f->server = wc_mastodon_server_new ();
  wc_mastodon_server_set_now (f->server, f->t0);
  f->alice_id = wc_mastodon_server_add_user (f->server, "alice", NULL);
  f->bob_id = wc_mastodon_server_add_user (f->server, "bob", "secret");
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  f->session = soup_session_new ();
  f->token = wc_mastodon_server_create_token (f->server, "alice", "read write follow profile");
  f->bob_token = wc_mastodon_server_create_token (f->server, "bob", "read write follow profile");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
  g_free (f->alice_id);
  g_free (f->bob_id);
  g_free (f->token);
  g_free (f->bob_token);
  g_ptr_array_unref (f->strings);
}

/* Keeps a string until the end of the test. */
static const char *
keep (Fixture *f,
      char    *text)
{
  g_ptr_array_add (f->strings, text);
  return text;
}

static SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path,
             const char *token)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path)
                                                          : g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return msg;
}

static void
set_body (SoupMessage *msg,
          const char  *type,
          const char  *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, type, bytes);
}

static Response *
send_message_with (SoupSession *session,
                   SoupMessage *msg)
{
  Response *r = g_new0 (Response, 1);
  const char *type;

  r->body = soup_session_send_and_read (session, msg, NULL, &r->error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  type = soup_message_headers_get_content_type (r->headers, NULL);
  if (r->body != NULL && g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (r->body, &len);

      if (json_parser_load_from_data (parser, data, len, NULL))
        r->json = json_node_ref (json_parser_get_root (parser));
    }
  return r;
}

static Response *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  g_autoptr(SoupMessage) owned = msg;

  return send_message_with (f->session, owned);
}

/* A request with an optional form body. */
static Response *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *form)
{
  SoupMessage *msg = new_message (f, method, path, token);

  if (form != NULL)
    set_body (msg, "application/x-www-form-urlencoded", form);
  return send_message (f, msg);
}

static Response *
request_json (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *json)
{
  SoupMessage *msg = new_message (f, method, path, token);

  set_body (msg, "application/json", json);
  return send_message (f, msg);
}

static Response *
post_status (Fixture    *f,
             const char *token,
             const char *key,
             const char *form)
{
  SoupMessage *msg = new_message (f, "POST", "/api/v1/statuses", token);

  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  set_body (msg, "application/x-www-form-urlencoded", form);
  return send_message (f, msg);
}

static JsonObject *
obj (Response *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static JsonArray *
arr (Response *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r->json));
  return json_node_get_array (r->json);
}

static const char *
str (Response   *r,
     const char *member)
{
  return json_object_get_string_member (obj (r), member);
}

static void
assert_error (Response   *r,
              guint       status,
              const char *substring)
{
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, status);
  if (substring != NULL)
    g_assert_nonnull (strstr (str (r, "error"), substring));
}

static char *
iso_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
assert_time (const char *text,
             gint64      t)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, utc);

  g_assert_nonnull (dt);
  g_assert_cmpint (g_date_time_to_unix (dt), ==, t);
}

/* The URL of rel="next" (or "prev") in a Link header, or NULL. */
static char *
link_url (Response   *r,
          const char *rel)
{
  const char *link = soup_message_headers_get_one (r->headers, "Link");
  g_autofree char *wanted = g_strdup_printf ("rel=\"%s\"", rel);
  g_auto(GStrv) parts = NULL;

  if (link == NULL)
    return NULL;
  parts = g_strsplit (link, ",", -1);
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      const char *open = strchr (parts[i], '<');
      const char *close = strchr (parts[i], '>');

      if (strstr (parts[i], wanted) != NULL && open != NULL && close != NULL)
        return g_strndup (open + 1, close - open - 1);
    }
  return NULL;
}

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  char *encoded;
  GString *out;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &len);
  encoded = g_base64_encode (digest, len);
  out = g_string_new (encoded);
  g_free (encoded);
  g_string_replace (out, "+", "-", 0);
  g_string_replace (out, "/", "_", 0);
  g_string_replace (out, "=", "", 0);
  return g_string_free (out, FALSE);
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* Registers an app; returns the client id and secret. */
static void
register_app (Fixture     *f,
              const char  *redirect_uri,
              const char  *scopes,
              char       **client_id,
              char       **client_secret)
{
  g_autofree char *uri = escape (redirect_uri);
  g_autofree char *scope = escape (scopes);
  g_autofree char *form = g_strdup_printf ("client_name=Whitecoat&redirect_uris=%s&scopes=%s",
                                           uri, scope);
  g_autoptr(Response) r = request (f, "POST", "/api/v1/apps", NULL, form);

  g_assert_cmpuint (r->status, ==, 200);
  *client_id = g_strdup (str (r, "client_id"));
  *client_secret = g_strdup (str (r, "client_secret"));
}

/* Plays the browser: GET the authorize URL without following the redirect. */
static Response *
authorize (Fixture    *f,
           const char *query)
{
  g_autofree char *path = g_strconcat ("/oauth/authorize?", query, NULL);
  SoupMessage *msg = new_message (f, "GET", path, NULL);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return send_message (f, msg);
}

static GHashTable *
location_params (Response *r)
{
  const char *location = soup_message_headers_get_one (r->headers, "Location");
  g_autoptr(GUri) uri = NULL;

  g_assert_cmpuint (r->status, ==, 302);
  g_assert_nonnull (location);
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
}

static Response *
exchange_code (Fixture    *f,
               const char *client_id,
               const char *client_secret,
               const char *code,
               const char *redirect_uri,
               const char *verifier)
{
  g_autofree char *c = escape (code);
  g_autofree char *uri = escape (redirect_uri);
  g_autofree char *form = g_strdup_printf ("grant_type=authorization_code&client_id=%s&"
                                           "client_secret=%s&code=%s&redirect_uri=%s%s%s",
                                           client_id, client_secret, c, uri,
                                           verifier != NULL ? "&code_verifier=" : "",
                                           verifier != NULL ? verifier : "");

  return request (f, "POST", "/oauth/token", NULL, form);
}

static const char *all_scopes = "read write:statuses write:media write:accounts read:follows "
                                "write:follows";

/* ------------------------------------------------------------------------ */

static void
test_base_url (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(Response) r = request (f, "GET", "/api/v1/instance", NULL, NULL);

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (wc_mastodon_server_get_now (f->server), ==, f->t0);
}

static void
test_apps (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonArray) apps = NULL;
  JsonArray *uris;

  r = request (f, "POST", "/api/v1/apps", NULL,
               "client_name=Whitecoat&redirect_uris=http%3A%2F%2F127.0.0.1%2Fcallback"
               "&scopes=read+write%3Astatuses&website=https%3A%2F%2Fexample.org");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "name"), ==, "Whitecoat");
  g_assert_cmpstr (str (r, "website"), ==, "https://example.org");
  g_assert_cmpuint (strlen (str (r, "client_id")), >, 20);
  g_assert_cmpuint (strlen (str (r, "client_secret")), >, 20);
  g_assert_cmpint (json_object_get_int_member (obj (r), "client_secret_expires_at"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r), "scopes")), ==, 2);
  uris = json_object_get_array_member (obj (r), "redirect_uris");
  g_assert_cmpuint (json_array_get_length (uris), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (uris, 0), ==, "http://127.0.0.1/callback");
  g_clear_pointer (&r, response_free);

  /* An array of redirect URIs in JSON (4.3+). */
  r = request_json (f, "POST", "/api/v1/apps", NULL,
                    "{\"client_name\":\"Whitecoat\",\"redirect_uris\":[\"http://127.0.0.1/callback\","
                    "\"urn:ietf:wg:oauth:2.0:oob\"],\"scopes\":\"read\"}");
  g_assert_cmpuint (r->status, ==, 200);
  uris = json_object_get_array_member (obj (r), "redirect_uris");
  g_assert_cmpuint (json_array_get_length (uris), ==, 2);
  g_assert_cmpstr (str (r, "redirect_uri"), ==,
                   "http://127.0.0.1/callback\nurn:ietf:wg:oauth:2.0:oob");
  g_clear_pointer (&r, response_free);

  /* Custom schemes are allowed. */
  r = request (f, "POST", "/api/v1/apps", NULL,
               "client_name=W&redirect_uris=io.github.whitecoat%3A%2Fcallback");
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  r = request (f, "POST", "/api/v1/apps", NULL, "client_name=W&redirect_uris=not+a+uri");
  assert_error (r, 422, "must be an absolute URI");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/apps", NULL,
               "client_name=W&redirect_uris=javascript%3Aalert(1)");
  assert_error (r, 422, "forbidden");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/apps", NULL,
               "client_name=W&redirect_uris=http%3A%2F%2F127.0.0.1%2Fcb%23frag");
  assert_error (r, 422, "fragment");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/apps", NULL, "redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob");
  assert_error (r, 422, "name can't be blank");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/apps", NULL, "client_name=W");
  assert_error (r, 422, "Redirect URI can't be blank");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/apps", NULL,
               "client_name=W&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scopes=read+fly");
  assert_error (r, 422, "Scopes");

  apps = wc_mastodon_server_dup_apps (f->server);
  g_assert_cmpuint (json_array_get_length (apps), ==, 3);
}

static void
test_oauth_loopback_pkce (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *client_id = NULL, *client_secret = NULL;
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-whitecoat-test";
  g_autofree char *challenge = pkce_challenge (verifier);
  const char *runtime_uri = "http://127.0.0.1:54321/callback";
  g_autofree char *uri = escape (runtime_uri);
  g_autofree char *scope = escape ("read write:statuses");
  g_autofree char *query = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(Response) r = NULL;
  g_autofree char *access_token = NULL;
  g_autofree char *code = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *credentials = NULL;
  SoupMessage *msg;

  register_app (f, "http://127.0.0.1/callback", all_scopes, &client_id, &client_secret);
  query = g_strdup_printf ("response_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=s123"
                           "&code_challenge=%s&code_challenge_method=S256&force_login=true"
                           "&test_user=bob", client_id, uri, scope, challenge);

  /* The port does not count between loopback IP literals. */
  r = authorize (f, query);
  params = location_params (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "s123");
  code = g_strdup (g_hash_table_lookup (params, "code"));
  g_assert_nonnull (code);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Location"),
                                   "http://127.0.0.1:54321/callback?code="));
  g_clear_pointer (&r, response_free);

  r = exchange_code (f, client_id, client_secret, code, runtime_uri, "wrong-verifier");
  assert_error (r, 400, "invalid_grant");
  g_clear_pointer (&r, response_free);
  r = exchange_code (f, client_id, client_secret, code, runtime_uri, NULL);
  assert_error (r, 400, "invalid_grant");
  g_clear_pointer (&r, response_free);
  r = exchange_code (f, client_id, client_secret, code, "http://127.0.0.1/callback", verifier);
  assert_error (r, 400, "invalid_grant");
  g_clear_pointer (&r, response_free);
  r = exchange_code (f, client_id, "not-the-secret", code, runtime_uri, verifier);
  assert_error (r, 401, "invalid_client");
  g_clear_pointer (&r, response_free);

  r = exchange_code (f, client_id, client_secret, code, runtime_uri, verifier);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "token_type"), ==, "Bearer");
  g_assert_cmpstr (str (r, "scope"), ==, "read write:statuses");
  g_assert_cmpint (json_object_get_int_member (obj (r), "created_at"), ==, f->t0);
  access_token = g_strdup (str (r, "access_token"));
  g_clear_pointer (&r, response_free);

  /* A code works once. */
  r = exchange_code (f, client_id, client_secret, code, runtime_uri, verifier);
  assert_error (r, 400, "invalid_grant");
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/accounts/verify_credentials", access_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "username"), ==, "bob");
  g_clear_pointer (&r, response_free);

  /* The token has only the scopes granted. */
  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", access_token, "locked=true");
  assert_error (r, 403, "This action is outside the authorized scopes");
  g_clear_pointer (&r, response_free);

  /* client_secret_basic works as well as client_secret_post. */
  g_hash_table_unref (g_steal_pointer (&params));
  r = authorize (f, query);
  params = location_params (r);
  g_clear_pointer (&r, response_free);
  g_free (code);
  code = escape (g_hash_table_lookup (params, "code"));
  msg = new_message (f, "POST", "/oauth/token", NULL);
  credentials = g_strdup_printf ("%s:%s", client_id, client_secret);
  basic = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  {
    g_autofree char *auth = g_strconcat ("Basic ", basic, NULL);
    g_autofree char *form = g_strdup_printf ("grant_type=authorization_code&code=%s"
                                             "&redirect_uri=%s&code_verifier=%s",
                                             code, uri, verifier);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    set_body (msg, "application/x-www-form-urlencoded", form);
  }
  r = send_message (f, msg);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (str (r, "access_token"));
}

static void
test_oauth_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *client_id = NULL, *client_secret = NULL;
  g_autofree char *local_id = NULL, *local_secret = NULL;
  g_autofree char *v6_id = NULL, *v6_secret = NULL;
  g_autofree char *host_id = NULL, *host_secret = NULL;
  g_autofree char *challenge = pkce_challenge ("verifier-verifier-verifier-verifier-verifier");
  g_autoptr(Response) r = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *query = NULL;

  register_app (f, "http://127.0.0.1/callback", "read write:statuses", &client_id, &client_secret);
  register_app (f, "http://localhost/callback", "read", &local_id, &local_secret);
  register_app (f, "http://[::1]/callback", "read", &v6_id, &v6_secret);
  register_app (f, "http://example.test/callback", "read", &host_id, &host_secret);

#define AUTHORIZE(...) \
  G_STMT_START { \
    g_clear_pointer (&r, response_free); \
    g_clear_pointer (&params, g_hash_table_unref); \
    g_free (query); \
    query = g_strdup_printf (__VA_ARGS__); \
    r = authorize (f, query); \
  } G_STMT_END

  AUTHORIZE ("response_type=code&client_id=nope&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%2Fcallback");
  assert_error (r, 401, "invalid_client");

  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fother",
             client_id);
  assert_error (r, 400, "invalid_redirect_uri");

  /* The name localhost is not a loopback IP literal: its port counts. */
  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2Flocalhost%%3A1234%%2Fcallback",
             local_id);
  assert_error (r, 400, "invalid_redirect_uri");
  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2Flocalhost%%2Fcallback",
             local_id);
  params = location_params (r);
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F%%5B%%3A%%3A1%%5D%%3A4000%%2Fcallback",
             v6_id);
  params = location_params (r);
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2Fexample.test%%3A8080%%2Fcallback",
             host_id);
  assert_error (r, 400, "invalid_redirect_uri");

  /* Errors after the redirect URI checks go back to the client. */
  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5%%2Fcallback"
             "&scope=read+write%%3Amedia&state=abc", client_id);
  params = location_params (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "invalid_scope");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "abc");
  g_assert_null (g_hash_table_lookup (params, "code"));

  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5%%2Fcallback"
             "&code_challenge=%s&code_challenge_method=plain", client_id, challenge);
  params = location_params (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "invalid_request");

  AUTHORIZE ("response_type=token&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5%%2Fcallback",
             client_id);
  params = location_params (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "unsupported_response_type");

  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5%%2Fcallback"
             "&test_user=nobody", client_id);
  assert_error (r, 400, "invalid_request");

  /* Without test_user the first user approves; the default scope is read. */
  AUTHORIZE ("response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5%%2Fcallback",
             client_id);
  params = location_params (r);
  {
    g_autoptr(Response) t = exchange_code (f, client_id, client_secret,
                                           g_hash_table_lookup (params, "code"),
                                           "http://127.0.0.1:5/callback", NULL);
    g_autoptr(Response) v = NULL;

    g_assert_cmpuint (t->status, ==, 200);
    g_assert_cmpstr (str (t, "scope"), ==, "read");
    v = request (f, "GET", "/api/v1/accounts/verify_credentials", str (t, "access_token"), NULL);
    g_assert_cmpstr (str (v, "username"), ==, "alice");
  }
#undef AUTHORIZE

  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/oauth/token", NULL, "grant_type=password&username=alice&password=x");
  assert_error (r, 400, "unsupported_grant_type");
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/oauth/token", NULL, "code=x");
  assert_error (r, 400, "invalid_request");

  /* The authorization server metadata (4.3+). */
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/.well-known/oauth-authorization-server", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (obj (r), "code_challenge_methods_supported"), 0),
                   ==, "S256");
}

static void
test_oauth_oob (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *client_id = NULL, *client_secret = NULL;
  g_autofree char *query = NULL;
  g_autofree char *page = NULL;
  g_autofree char *code = NULL;
  g_autoptr(Response) r = NULL;
  const char *start, *end;

  register_app (f, "urn:ietf:wg:oauth:2.0:oob", all_scopes, &client_id, &client_secret);
  query = g_strdup_printf ("response_type=code&client_id=%s"
                           "&redirect_uri=urn%%3Aietf%%3Awg%%3Aoauth%%3A2.0%%3Aoob&scope=read",
                           client_id);
  r = authorize (f, query);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "text/html");
  page = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  start = strstr (page, "id=\"code\">");
  g_assert_nonnull (start);
  start += strlen ("id=\"code\">");
  end = strchr (start, '<');
  code = g_strndup (start, end - start);
  g_clear_pointer (&r, response_free);

  r = exchange_code (f, client_id, client_secret, code, "urn:ietf:wg:oauth:2.0:oob", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "scope"), ==, "read");
}

static void
test_login_form (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *client_id = NULL, *client_secret = NULL;
  g_autofree char *query = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Response) r = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessage *msg;

  wc_mastodon_server_set_login_form (f->server, TRUE);
  register_app (f, "http://127.0.0.1/callback", "read", &client_id, &client_secret);
  query = g_strdup_printf ("response_type=code&client_id=%s"
                           "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A7%%2Fcallback&state=q",
                           client_id);
  r = authorize (f, query);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                  "name=\"password\""));
  g_clear_pointer (&r, response_free);

  msg = new_message (f, "POST", "/oauth/authorize", NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  form = g_strdup_printf ("%s&username=bob&password=wrong", query);
  set_body (msg, "application/x-www-form-urlencoded", form);
  r = send_message (f, msg);
  g_assert_cmpuint (r->status, ==, 401);
  g_clear_pointer (&r, response_free);

  msg = new_message (f, "POST", "/oauth/authorize", NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_free (form);
  form = g_strdup_printf ("%s&username=bob&password=secret", query);
  set_body (msg, "application/x-www-form-urlencoded", form);
  r = send_message (f, msg);
  params = location_params (r);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "q");
  {
    g_autoptr(Response) t = exchange_code (f, client_id, client_secret,
                                           g_hash_table_lookup (params, "code"),
                                           "http://127.0.0.1:7/callback", NULL);
    g_autoptr(Response) v = request (f, "GET", "/api/v1/accounts/verify_credentials",
                                     str (t, "access_token"), NULL);

    g_assert_cmpstr (str (v, "username"), ==, "bob");
  }
}

static char *
oauth_token (Fixture    *f,
             const char *client_id,
             const char *client_secret)
{
  g_autofree char *query = g_strdup_printf ("response_type=code&client_id=%s"
                                            "&redirect_uri=urn%%3Aietf%%3Awg%%3Aoauth%%3A2.0%%3Aoob"
                                            "&scope=read", client_id);
  g_autoptr(Response) r = authorize (f, query);
  g_autofree char *page = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  const char *start = strstr (page, "id=\"code\">") + strlen ("id=\"code\">");
  g_autofree char *code = g_strndup (start, strchr (start, '<') - start);
  g_autoptr(Response) t = exchange_code (f, client_id, client_secret, code,
                                         "urn:ietf:wg:oauth:2.0:oob", NULL);

  g_assert_cmpuint (t->status, ==, 200);
  return g_strdup (str (t, "access_token"));
}

static void
test_revoke (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a_id = NULL, *a_secret = NULL, *b_id = NULL, *b_secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonArray) tokens = NULL;
  gboolean found = FALSE;

  register_app (f, "urn:ietf:wg:oauth:2.0:oob", "read", &a_id, &a_secret);
  register_app (f, "urn:ietf:wg:oauth:2.0:oob", "read", &b_id, &b_secret);
  token = oauth_token (f, a_id, a_secret);

  form = g_strdup_printf ("client_id=%s&client_secret=%s&token=%s", b_id, b_secret, token);
  r = request (f, "POST", "/oauth/revoke", NULL, form);
  assert_error (r, 403, "unauthorized_client");
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/api/v1/accounts/verify_credentials", token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  g_free (form);
  form = g_strdup_printf ("client_id=%s&client_secret=%s&token=%s", a_id, a_secret, token);
  for (int i = 0; i < 2; i++)
    {
      r = request (f, "POST", "/oauth/revoke", NULL, form);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (json_object_get_size (obj (r)), ==, 0);
      g_clear_pointer (&r, response_free);
    }

  r = request (f, "GET", "/api/v1/accounts/verify_credentials", token, NULL);
  assert_error (r, 401, "The access token is invalid");

  tokens = wc_mastodon_server_dup_tokens (f->server);
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *t = json_array_get_object_element (tokens, i);

      if (g_str_equal (json_object_get_string_member (t, "access_token"), token))
        {
          g_assert_true (json_object_get_boolean_member (t, "revoked"));
          g_assert_cmpstr (json_object_get_string_member (t, "client_id"), ==, a_id);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  const char *paths[][2] = {
    { "GET", "/api/v1/accounts/verify_credentials" },
    { "PATCH", "/api/v1/accounts/update_credentials" },
    { "POST", "/api/v1/statuses" },
    { "POST", "/api/v2/media" },
    { "GET", "/api/v1/scheduled_statuses" },
    { "GET", "/api/v1/follow_requests" },
    { "GET", "/api/v1/accounts/relationships?id[]=1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) missing = request (f, paths[i][0], paths[i][1], NULL, NULL);
      g_autoptr(Response) invalid = request (f, paths[i][0], paths[i][1], "not-a-token", NULL);

      assert_error (missing, 401, "The access token is invalid");
      assert_error (invalid, 401, "The access token is invalid");
      g_assert_null (soup_message_headers_get_one (missing->headers, "X-RateLimit-Limit"));
    }

  /* A public endpoint answers without a token but not with a bad one. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%s/followers", f->alice_id);
    g_autoptr(Response) open = request (f, "GET", path, NULL, NULL);
    g_autoptr(Response) bad = request (f, "GET", path, "not-a-token", NULL);

    g_assert_cmpuint (open->status, ==, 200);
    assert_error (bad, 401, "The access token is invalid");
  }
}

static void
test_scopes (Fixture       *f,
             gconstpointer  data)
{
  struct {
    const char *scopes;
    const char *method;
    const char *path;
    const char *form;
    guint       status;
  } cases[] = {
    { "read", "GET", "/api/v1/accounts/verify_credentials", NULL, 200 },
    { "profile", "GET", "/api/v1/accounts/verify_credentials", NULL, 200 },
    { "write", "GET", "/api/v1/accounts/verify_credentials", NULL, 403 },
    { "read", "POST", "/api/v1/statuses", "status=hi", 403 },
    { "write:statuses", "POST", "/api/v1/statuses", "status=hi", 200 },
    { "write:media", "POST", "/api/v1/statuses", "status=hi", 403 },
    { "write", "POST", "/api/v1/statuses", "status=hi2", 200 },
    { "read:statuses", "GET", "/api/v1/scheduled_statuses", NULL, 200 },
    { "write:statuses", "GET", "/api/v1/scheduled_statuses", NULL, 403 },
    { "write:accounts", "PATCH", "/api/v1/accounts/update_credentials", "note=x", 200 },
    { "write:statuses", "PATCH", "/api/v1/accounts/update_credentials", "note=x", 403 },
    { "read:follows", "GET", "/api/v1/follow_requests", NULL, 200 },
    { "follow", "GET", "/api/v1/follow_requests", NULL, 200 },
    { "read:accounts", "GET", "/api/v1/follow_requests", NULL, 403 },
    { "read:follows", "GET", "/api/v1/accounts/relationships?id[]=2", NULL, 200 },
    { "read:follows", "POST", "/api/v1/follow_requests/2/authorize", NULL, 403 },
    { "write:follows", "POST", "/api/v1/follow_requests/2/authorize", NULL, 404 },
    { "write:media", "GET", "/api/v1/media/1", NULL, 404 },
    { "read", "GET", "/api/v1/media/1", NULL, 403 },
    { "write:statuses", "GET", "/api/v1/accounts/1/followers", NULL, 403 },
    { "read:accounts", "GET", "/api/v1/accounts/1/followers", NULL, 200 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = wc_mastodon_server_create_token (f->server, "alice", cases[i].scopes);
      g_autoptr(Response) r = request (f, cases[i].method, cases[i].path, token, cases[i].form);

      g_test_message ("%s %s with %s", cases[i].method, cases[i].path, cases[i].scopes);
      g_assert_cmpuint (r->status, ==, cases[i].status);
      if (cases[i].status == 403)
        assert_error (r, 403, "This action is outside the authorized scopes");
    }
}

static void
test_verify_credentials (Fixture       *f,
                         gconstpointer  data)
{
  const char * const fields[] = { "Web", "https://carol.example", "Clinic", "Ward 3", NULL };
  WcMastodonUser spec = {
    .username = "carol",
    .display_name = "Dr Carol",
    .note = "GP & <teacher>",
    .locked = TRUE,
    .discoverable = FALSE,
    .indexable = FALSE,
    .hide_collections = TRUE,
    .bot = FALSE,
    .privacy = "private",
    .fields = fields,
  };
  g_autofree char *id = wc_mastodon_server_add_user_full (f->server, &spec);
  g_autofree char *token = NULL;
  g_autoptr(Response) r = NULL;
  JsonObject *account, *source, *field;
  JsonArray *array;

  wc_mastodon_server_set_field_verified (f->server, "carol", 0, f->t0 - 3600);
  wc_mastodon_server_add_followers (f->server, "carol", 7);
  wc_mastodon_server_add_follow_requests (f->server, "carol", 2);
  wc_mastodon_server_follow (f->server, "alice", "carol");
  token = wc_mastodon_server_create_token (f->server, "carol", "read");

  r = request (f, "GET", "/api/v1/accounts/verify_credentials", token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  account = obj (r);
  g_assert_cmpstr (json_object_get_string_member (account, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, "carol");
  g_assert_cmpstr (json_object_get_string_member (account, "acct"), ==, "carol");
  g_assert_cmpstr (json_object_get_string_member (account, "display_name"), ==, "Dr Carol");
  g_assert_true (json_object_get_boolean_member (account, "locked"));
  g_assert_false (json_object_get_boolean_member (account, "bot"));
  g_assert_false (json_object_get_boolean_member (account, "discoverable"));
  g_assert_false (json_object_get_boolean_member (account, "indexable"));
  g_assert_true (json_object_get_boolean_member (account, "hide_collections"));
  g_assert_cmpstr (json_object_get_string_member (account, "note"), ==,
                   "<p>GP &amp; &lt;teacher&gt;</p>");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (account, "avatar"), f->base));
  g_assert_cmpint (json_object_get_int_member (account, "followers_count"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (account, "following_count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (account, "statuses_count"), ==, 0);
  array = json_object_get_array_member (account, "fields");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  field = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (field, "name"), ==, "Web");
  /* Rendered as Mastodon does: a link with rel="me"; source[fields] keeps the text. */
  g_assert_cmpstr (json_object_get_string_member (field, "value"), ==,
                   "<a href=\"https://carol.example\" target=\"_blank\" rel=\"nofollow noopener me\" "
                   "translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">carol.example"
                   "</span><span class=\"invisible\"></span></a>");
  g_assert_false (json_object_get_null_member (field, "verified_at"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 1),
                                              "verified_at"));

  source = json_object_get_object_member (account, "source");
  g_assert_cmpstr (json_object_get_string_member (source, "privacy"), ==, "private");
  g_assert_false (json_object_get_boolean_member (source, "sensitive"));
  g_assert_true (json_object_get_null_member (source, "language"));
  g_assert_cmpstr (json_object_get_string_member (source, "note"), ==, "GP & <teacher>");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (source, "fields")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (source, "fields"), 0),
                                                  "value"), ==, "https://carol.example");
  /* Alice's follow of a locked account is a request too. */
  g_assert_cmpint (json_object_get_int_member (source, "follow_requests_count"), ==, 3);
  g_assert_false (json_object_get_boolean_member (source, "discoverable"));
  g_assert_false (json_object_get_boolean_member (source, "indexable"));
  g_assert_true (json_object_get_boolean_member (source, "hide_collections"));
  g_assert_nonnull (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"));
}

static void
test_update_credentials (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonObject) account = NULL;
  JsonObject *source;
  JsonArray *fields;

  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
               "locked=true&discoverable=false&indexable=0&hide_collections=1&bot=false"
               "&display_name=Dr+Alice&note=Paediatrics"
               "&fields_attributes%5B0%5D%5Bname%5D=Web"
               "&fields_attributes%5B0%5D%5Bvalue%5D=https%3A%2F%2Falice.example"
               "&fields_attributes%5B1%5D%5Bname%5D=Pronouns"
               "&fields_attributes%5B1%5D%5Bvalue%5D=she"
               "&source%5Bprivacy%5D=private&source%5Bsensitive%5D=true&source%5Blanguage%5D=de");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (obj (r), "locked"));
  g_assert_false (json_object_get_boolean_member (obj (r), "discoverable"));
  g_assert_false (json_object_get_boolean_member (obj (r), "indexable"));
  g_assert_true (json_object_get_boolean_member (obj (r), "hide_collections"));
  g_assert_cmpstr (str (r, "display_name"), ==, "Dr Alice");
  source = json_object_get_object_member (obj (r), "source");
  g_assert_cmpstr (json_object_get_string_member (source, "privacy"), ==, "private");
  g_assert_true (json_object_get_boolean_member (source, "sensitive"));
  g_assert_cmpstr (json_object_get_string_member (source, "language"), ==, "de");
  g_assert_cmpstr (json_object_get_string_member (source, "note"), ==, "Paediatrics");
  fields = json_object_get_array_member (source, "fields");
  g_assert_cmpuint (json_array_get_length (fields), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, 1),
                                                  "name"), ==, "Pronouns");
  g_clear_pointer (&r, response_free);

  /* JSON bodies are accepted too; fields not sent stay as they are. */
  r = request_json (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
                    "{\"discoverable\":true,\"source\":{\"privacy\":\"unlisted\"}}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (obj (r), "discoverable"));
  g_assert_true (json_object_get_boolean_member (obj (r), "locked"));
  g_clear_pointer (&r, response_free);
  r = request_json (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
                    "{\"fields_attributes\":[{\"name\":\"Only\",\"value\":\"one\"}]}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r), "fields")), ==, 1);
  g_clear_pointer (&r, response_free);

  account = wc_mastodon_server_dup_account (f->server, "alice");
  source = json_object_get_object_member (account, "source");
  g_assert_cmpstr (json_object_get_string_member (source, "privacy"), ==, "unlisted");
  g_assert_true (json_object_get_boolean_member (account, "hide_collections"));

  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
               "source%5Bprivacy%5D=everyone");
  assert_error (r, 422, "Validation failed");
  g_clear_pointer (&r, response_free);
  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
               "fields_attributes[0][name]=a&fields_attributes[0][value]=1"
               "&fields_attributes[1][name]=b&fields_attributes[1][value]=2"
               "&fields_attributes[2][name]=c&fields_attributes[2][value]=3"
               "&fields_attributes[3][name]=d&fields_attributes[3][value]=4"
               "&fields_attributes[4][name]=e&fields_attributes[4][value]=5");
  assert_error (r, 422, "Fields");
  g_clear_pointer (&r, response_free);
  r = request (f, "PUT", "/api/v1/accounts/update_credentials", f->token, "locked=true");
  g_assert_cmpuint (r->status, ==, 404);
}

static void
test_unlock_accepts_requests (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Response) r = NULL;

  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token, "locked=true");
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);
  wc_mastodon_server_add_follow_requests (f->server, "alice", 3);
  wc_mastodon_server_follow (f->server, "bob", "alice");
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "alice"), ==, 4);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 0);

  /* Saving other settings while locked changes nothing. */
  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token, "locked=true&note=x");
  g_clear_pointer (&r, response_free);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "alice"), ==, 4);

  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token, "locked=false");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (r), "followers_count"), ==, 4);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "alice"), ==, 0);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 4);
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/accounts/verify_credentials", f->bob_token, NULL);
  g_assert_cmpint (json_object_get_int_member (obj (r), "following_count"), ==, 1);
}

static void
test_instance (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/api/v2/instance", NULL, NULL);
  JsonObject *configuration, *statuses, *media;

  g_assert_cmpuint (r->status, ==, 200);
  configuration = json_object_get_object_member (obj (r), "configuration");
  statuses = json_object_get_object_member (configuration, "statuses");
  g_assert_cmpint (json_object_get_int_member (statuses, "max_characters"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (statuses, "characters_reserved_per_url"), ==, 23);
  g_assert_cmpint (json_object_get_int_member (statuses, "max_media_attachments"), ==, 4);
  media = json_object_get_object_member (configuration, "media_attachments");
  g_assert_cmpint (json_object_get_int_member (media, "description_limit"), ==, 1500);
  g_assert_cmpint (json_object_get_int_member (media, "image_size_limit"), ==, 16777216);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (media,
                                                                          "supported_mime_types")),
                    >, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (configuration,
                                                                              "accounts"),
                                               "max_profile_fields"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (r),
                                                                              "api_versions"),
                                               "mastodon"), >=, 1);
  g_assert_true (g_str_has_prefix (str (r, "domain"), "127.0.0.1:"));
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/instance", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (g_str_has_prefix (str (r, "uri"), "127.0.0.1:"));
  configuration = json_object_get_object_member (obj (r), "configuration");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (configuration,
                                                                              "statuses"),
                                               "max_characters"), ==, 500);
  g_clear_pointer (&r, response_free);

  /* An older server: v2 is missing, v1 answers. */
  wc_mastodon_server_set_instance_v2 (f->server, FALSE);
  wc_mastodon_server_set_max_characters (f->server, 1000);
  r = request (f, "GET", "/api/v2/instance", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/api/v1/instance", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "version"), ==, "3.5.3");
  configuration = json_object_get_object_member (obj (r), "configuration");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (configuration,
                                                                              "statuses"),
                                               "max_characters"), ==, 1000);
}

static const char png_bytes[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image data for tests";

static Response *
upload (Fixture    *f,
        const char *token,
        const char *path,
        const char *type,
        const char *description,
        const char *focus)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) bytes = g_bytes_new_static (png_bytes, sizeof png_bytes - 1);
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  SoupMessage *msg;

  if (type != NULL)
    soup_multipart_append_form_file (multipart, "file", "photo.png", type, bytes);
  if (description != NULL)
    soup_multipart_append_form_string (multipart, "description", description);
  if (focus != NULL)
    soup_multipart_append_form_string (multipart, "focus", focus);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return send_message (f, msg);
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(JsonArray) media = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *long_description = g_strnfill (1501, 'a');
  JsonObject *focus;

  wc_mastodon_server_set_media_processing (f->server, 2, 0);
  r = upload (f, f->token, "/api/v2/media", "image/png", "An X-ray of a hand", "0.5,-0.25");
  g_assert_cmpuint (r->status, ==, 202);
  g_assert_true (json_object_get_null_member (obj (r), "url"));
  g_assert_cmpstr (str (r, "type"), ==, "image");
  g_assert_cmpstr (str (r, "description"), ==, "An X-ray of a hand");
  focus = json_object_get_object_member (json_object_get_object_member (obj (r), "meta"), "focus");
  g_assert_cmpfloat (json_object_get_double_member (focus, "x"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (focus, "y"), ==, -0.25);
  id = g_strdup (str (r, "id"));
  path = g_strconcat ("/api/v1/media/", id, NULL);
  g_clear_pointer (&r, response_free);

  for (int i = 0; i < 2; i++)
    {
      r = request (f, "GET", path, f->token, NULL);
      g_assert_cmpuint (r->status, ==, 206);
      g_assert_true (json_object_get_null_member (obj (r), "url"));
      g_clear_pointer (&r, response_free);
    }
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (g_str_has_prefix (str (r, "url"), f->base));
  g_clear_pointer (&r, response_free);

  r = request (f, "PUT", path, f->token, "description=A+hand%2C+no+names");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "description"), ==, "A hand, no names");
  g_clear_pointer (&r, response_free);

  /* Someone else's media does not exist for bob. */
  r = request (f, "GET", path, f->bob_token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);

  stored = wc_mastodon_server_dup_media_bytes (f->server, id);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored),
                   png_bytes, sizeof png_bytes - 1);
  media = wc_mastodon_server_dup_media (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (media), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (media, 0),
                                                  "content_type"), ==, "image/png");

  /* Processed by the clock instead of by polls. */
  wc_mastodon_server_set_media_processing (f->server, 0, 30);
  r = upload (f, f->token, "/api/v2/media", "image/png", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 202);
  g_free (path);
  path = g_strconcat ("/api/v1/media/", str (r, "id"), NULL);
  g_clear_pointer (&r, response_free);
  for (int i = 0; i < 3; i++)
    {
      r = request (f, "GET", path, f->token, NULL);
      g_assert_cmpuint (r->status, ==, 206);
      g_clear_pointer (&r, response_free);
    }
  wc_mastodon_server_advance (f->server, 30);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  /* Small images processed at once, as since 4.0; v1 is always synchronous. */
  wc_mastodon_server_set_media_processing (f->server, 0, 0);
  r = upload (f, f->token, "/api/v2/media", "image/png", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_object_get_null_member (obj (r), "url"));
  g_clear_pointer (&r, response_free);
  wc_mastodon_server_set_media_processing (f->server, 5, 0);
  r = upload (f, f->token, "/api/v1/media", "image/png", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  r = upload (f, f->token, "/api/v2/media", "application/x-msdownload", NULL, NULL);
  assert_error (r, 422, "not supported");
  g_clear_pointer (&r, response_free);
  r = upload (f, f->token, "/api/v2/media", NULL, "no file", NULL);
  assert_error (r, 422, "File can't be blank");
  g_clear_pointer (&r, response_free);
  r = upload (f, f->token, "/api/v2/media", "image/png", long_description, NULL);
  assert_error (r, 422, "Description is too long");
  g_clear_pointer (&r, response_free);
  r = upload (f, f->token, "/api/v2/media", "image/png", NULL, "2,0");
  assert_error (r, 422, "Focus");
  g_clear_pointer (&r, response_free);
  r = upload (f, NULL, "/api/v2/media", "image/png", NULL, NULL);
  assert_error (r, 401, NULL);
}

static char *
upload_ready (Fixture    *f,
              const char *token)
{
  g_autoptr(Response) r = upload (f, token, "/api/v2/media", "image/png", "alt", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (str (r, "id"));
}

static void
test_status_media (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *form = NULL;
  g_autofree char *bobs = NULL;
  g_autoptr(GString) five = g_string_new ("status=many");
  g_autoptr(JsonArray) media = NULL;
  JsonArray *attachments;

  /* Not processed yet: 422, then fine once processed. */
  r = upload (f, f->token, "/api/v2/media", "image/png", "alt", NULL);
  id = g_strdup (str (r, "id"));
  g_clear_pointer (&r, response_free);
  form = g_strdup_printf ("status=Look&visibility=public&media_ids%%5B%%5D=%s", id);
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "have not finished processing");
  g_clear_pointer (&r, response_free);
  path = g_strconcat ("/api/v1/media/", id, NULL);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 206);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  r = post_status (f, f->token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
  attachments = json_object_get_array_member (obj (r), "media_attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0),
                                                  "description"), ==, "alt");
  g_clear_pointer (&r, response_free);

  /* Attached media cannot be reused and is no longer editable. */
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "not found");
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  media = wc_mastodon_server_dup_media (f->server, "alice");
  g_assert_false (json_object_get_null_member (json_array_get_object_element (media, 0),
                                               "status_id"));

  /* Media alone, in a JSON body. */
  wc_mastodon_server_set_media_processing (f->server, 0, 0);
  g_free (id);
  id = upload_ready (f, f->token);
  g_free (form);
  form = g_strdup_printf ("{\"media_ids\":[\"%s\"],\"visibility\":\"unlisted\"}", id);
  {
    SoupMessage *msg = new_message (f, "POST", "/api/v1/statuses", f->token);

    set_body (msg, "application/json", form);
    r = send_message (f, msg);
  }
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "visibility"), ==, "unlisted");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r),
                                                                         "media_attachments")),
                    ==, 1);
  g_clear_pointer (&r, response_free);

  /* At most four. */
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *m = upload_ready (f, f->token);

      g_string_append_printf (five, "&media_ids[]=%s", m);
    }
  r = post_status (f, f->token, NULL, five->str);
  assert_error (r, 422, "more than 4");
  g_clear_pointer (&r, response_free);

  /* Someone else's media. */
  bobs = upload_ready (f, f->bob_token);
  g_free (form);
  form = g_strdup_printf ("status=x&media_ids[]=%s", bobs);
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "not found");
}

static void
test_status_visibility (Fixture       *f,
                        gconstpointer  data)
{
  const char * const visibilities[] = { "public", "unlisted", "private", "direct" };
  char *ids[4] = { NULL };  /* g_autofree would free only the first */
  g_autoptr(Response) r = NULL;
  g_autofree char *path = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (visibilities); i++)
    {
      g_autofree char *form = g_strdup_printf ("status=Post+%s&visibility=%s&language=en",
                                               visibilities[i], visibilities[i]);

      r = post_status (f, f->token, NULL, form);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpstr (str (r, "visibility"), ==, visibilities[i]);
      g_assert_cmpstr (str (r, "language"), ==, "en");
      g_assert_cmpstr (str (r, "content"), ==,
                       keep (f, g_strdup_printf ("<p>Post %s</p>", visibilities[i])));
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (r),
                                                                                     "account"),
                                                      "username"), ==, "alice");
      ids[i] = g_strdup (str (r, "id"));
      g_clear_pointer (&r, response_free);
    }

  /* Who can read what. */
  for (gsize i = 0; i < G_N_ELEMENTS (visibilities); i++)
    {
      g_autofree char *p = g_strconcat ("/api/v1/statuses/", ids[i], NULL);
      g_autoptr(Response) anonymous = request (f, "GET", p, NULL, NULL);
      g_autoptr(Response) owner = request (f, "GET", p, f->token, NULL);
      g_autoptr(Response) stranger = request (f, "GET", p, f->bob_token, NULL);

      g_assert_cmpuint (owner->status, ==, 200);
      g_assert_cmpuint (anonymous->status, ==, i < 2 ? 200 : 404);
      g_assert_cmpuint (stranger->status, ==, i < 2 ? 200 : 404);
    }
  wc_mastodon_server_follow (f->server, "bob", "alice");
  path = g_strconcat ("/api/v1/statuses/", ids[2], NULL);
  r = request (f, "GET", path, f->bob_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);
  g_free (path);
  path = g_strconcat ("/api/v1/statuses/", ids[3], NULL);
  r = request (f, "GET", path, f->bob_token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);

  /* The account's statuses, newest first, as each reader may see them. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/accounts/%s/statuses", f->alice_id);
  r = request (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr (r), 0), "id"),
                   ==, ids[1]);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr (r), 0), "id"),
                   ==, ids[3]);
  g_clear_pointer (&r, response_free);
  g_free (path);
  path = g_strdup_printf ("/api/v1/accounts/%s/statuses?limit=2", f->alice_id);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 2);
  {
    g_autofree char *next = link_url (r, "next");
    g_autoptr(Response) page = NULL;

    g_assert_nonnull (next);
    page = request (f, "GET", next, f->token, NULL);
    g_assert_cmpuint (json_array_get_length (arr (page)), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr (page), 1),
                                                    "id"), ==, ids[0]);
  }
  g_clear_pointer (&r, response_free);

  /* Without visibility the account default is used. */
  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
               "source[privacy]=private");
  g_clear_pointer (&r, response_free);
  r = post_status (f, f->token, NULL, "status=Default");
  g_assert_cmpstr (str (r, "visibility"), ==, "private");
  g_clear_pointer (&r, response_free);

  /* A content warning makes a post sensitive. */
  r = post_status (f, f->token, NULL, "status=Body&spoiler_text=CW&visibility=public");
  g_assert_true (json_object_get_boolean_member (obj (r), "sensitive"));
  g_assert_cmpstr (str (r, "spoiler_text"), ==, "CW");
  g_clear_pointer (&r, response_free);

  r = post_status (f, f->token, NULL, "status=x&visibility=everyone");
  assert_error (r, 422, "visibility");
  g_clear_pointer (&r, response_free);
  r = post_status (f, f->token, NULL, "status=+++&visibility=public");
  assert_error (r, 422, "Validation failed: Text can't be blank");
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/statuses/12345", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  {
    g_autoptr(JsonArray) statuses = wc_mastodon_server_dup_statuses (f->server, "alice");

    g_assert_cmpuint (json_array_get_length (statuses), ==, 6);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statuses, 0),
                                                    "text"), ==, "Post public");
  }

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static Response *
post_text (Fixture    *f,
           const char *spoiler,
           const char *text)
{
  g_autofree char *t = escape (text);
  g_autofree char *s = spoiler != NULL ? escape (spoiler) : NULL;
  g_autofree char *form = g_strdup_printf ("visibility=public&status=%s%s%s", t,
                                           s != NULL ? "&spoiler_text=" : "", s != NULL ? s : "");

  return post_status (f, f->token, NULL, form);
}

static void
assert_length_ok (Fixture    *f,
                  const char *spoiler,
                  const char *text,
                  gboolean    ok)
{
  g_autoptr(Response) r = post_text (f, spoiler, text);

  if (ok)
    g_assert_cmpuint (r->status, ==, 200);
  else
    assert_error (r, 422, "Validation failed: Text character limit of 500 exceeded");
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_status_length (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a500 = g_strnfill (500, 'a');
  g_autofree char *a501 = g_strnfill (501, 'a');
  g_autofree char *a490 = g_strnfill (490, 'a');
  g_autofree char *a491 = g_strnfill (491, 'a');
  g_autofree char *a476 = g_strnfill (476, 'a');
  g_autofree char *a477 = g_strnfill (477, 'a');
  g_autofree char *long_url = g_strdup_printf ("https://example.org/%s", a490);
  g_autofree char *url_ok = g_strdup_printf ("%s %s", a476, long_url);
  g_autofree char *url_over = g_strdup_printf ("%s %s", a477, long_url);
  g_autofree char *mention_ok = g_strdup_printf ("@someone@a-very-long-domain.example %s", a491);
  g_autofree char *mention_over = g_strdup_printf ("@someone@a-very-long-domain.example %sa", a491);
  /* e + combining acute: two code points, one grapheme. */
  g_autofree char *accents = repeat ("e\xcc\x81", 500);
  g_autofree char *accents_over = repeat ("e\xcc\x81", 501);
  /* woman health worker: a ZWJ sequence of four code points. */
  g_autofree char *doctors = repeat ("\xf0\x9f\x91\xa9\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f", 500);
  g_autofree char *doctors_over = repeat ("\xf0\x9f\x91\xa9\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f",
                                          501);

  assert_length_ok (f, NULL, a500, TRUE);
  assert_length_ok (f, NULL, a501, FALSE);
  assert_length_ok (f, "0123456789", a490, TRUE);
  assert_length_ok (f, "0123456789", a491, FALSE);
  assert_length_ok (f, NULL, url_ok, TRUE);
  assert_length_ok (f, NULL, url_over, FALSE);
  assert_length_ok (f, NULL, mention_ok, TRUE);
  assert_length_ok (f, NULL, mention_over, FALSE);
  assert_length_ok (f, NULL, accents, TRUE);
  assert_length_ok (f, NULL, accents_over, FALSE);
  assert_length_ok (f, NULL, doctors, TRUE);
  assert_length_ok (f, NULL, doctors_over, FALSE);

  wc_mastodon_server_set_max_characters (f->server, 600);
  assert_length_ok (f, NULL, a501, TRUE);
}

static void
test_idempotency (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autofree char *first = NULL;
  g_autofree char *form = NULL;
  g_autofree char *when = iso_time (f->t0 + 3 * 86400);
  g_autoptr(JsonArray) statuses = NULL;

  r = post_status (f, f->token, "key-1", "status=Once&visibility=public");
  g_assert_cmpuint (r->status, ==, 200);
  first = g_strdup (str (r, "id"));
  g_clear_pointer (&r, response_free);

  /* A retry, even with another body, returns the original. */
  r = post_status (f, f->token, "key-1", "status=Twice&visibility=public");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "id"), ==, first);
  g_assert_cmpstr (str (r, "content"), ==, "<p>Once</p>");
  g_clear_pointer (&r, response_free);

  wc_mastodon_server_advance (f->server, 3599);
  r = post_status (f, f->token, "key-1", "status=Once&visibility=public");
  g_assert_cmpstr (str (r, "id"), ==, first);
  g_clear_pointer (&r, response_free);

  /* Another account's key is its own. */
  r = post_status (f, f->bob_token, "key-1", "status=Bob&visibility=public");
  g_assert_cmpstr (str (r, "id"), !=, first);
  g_clear_pointer (&r, response_free);

  /* After an hour the key is forgotten. */
  wc_mastodon_server_advance (f->server, 2);
  r = post_status (f, f->token, "key-1", "status=Once&visibility=public");
  g_assert_cmpstr (str (r, "id"), !=, first);
  g_clear_pointer (&r, response_free);

  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 2);

  /* A scheduled status is returned as the scheduled status. */
  form = g_strdup_printf ("status=Later&visibility=public&scheduled_at=%s", when);
  r = post_status (f, f->token, "key-2", form);
  g_assert_cmpuint (r->status, ==, 200);
  g_free (first);
  first = g_strdup (str (r, "id"));
  g_clear_pointer (&r, response_free);
  r = post_status (f, f->token, "key-2", form);
  g_assert_cmpstr (str (r, "id"), ==, first);
  g_assert_true (json_object_has_member (obj (r), "params"));
  g_clear_pointer (&r, response_free);
  {
    g_autoptr(JsonArray) scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, NULL);

    g_assert_cmpuint (json_array_get_length (scheduled), ==, 1);
    /* Kept by the server, but params.idempotency is null, as in Mastodon. */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scheduled, 0),
                                                    "idempotency_key"), ==, "key-2");
    g_assert_true (json_node_is_null (json_object_get_member (json_object_get_object_member (
                     json_array_get_object_element (scheduled, 0), "params"), "idempotency")));
  }
}

static void
test_scheduled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autofree char *when = iso_time (f->t0 + 600);
  g_autofree char *later = iso_time (f->t0 + 1200);
  g_autofree char *too_soon = iso_time (f->t0 + 299);
  g_autofree char *past = iso_time (f->t0 - 60);
  g_autofree char *form = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media_id = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  JsonObject *params;

  wc_mastodon_server_set_media_processing (f->server, 0, 0);
  media_id = upload_ready (f, f->token);
  form = g_strdup_printf ("status=Clinic+news&visibility=unlisted&spoiler_text=Work&language=en"
                          "&scheduled_at=%s&media_ids[]=%s", when, media_id);
  r = post_status (f, f->token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
  id = g_strdup (str (r, "id"));
  assert_time (str (r, "scheduled_at"), f->t0 + 600);
  g_assert_false (json_object_has_member (obj (r), "content"));
  params = json_object_get_object_member (obj (r), "params");
  g_assert_cmpstr (json_object_get_string_member (params, "text"), ==, "Clinic news");
  g_assert_cmpstr (json_object_get_string_member (params, "visibility"), ==, "unlisted");
  g_assert_cmpstr (json_object_get_string_member (params, "spoiler_text"), ==, "Work");
  g_assert_cmpstr (json_object_get_string_member (params, "language"), ==, "en");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (params,
                                                                                "media_ids"), 0),
                   ==, media_id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r),
                                                                         "media_attachments")),
                    ==, 1);
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/scheduled_statuses", f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 1);
  g_clear_pointer (&r, response_free);
  path = g_strconcat ("/api/v1/scheduled_statuses/", id, NULL);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->bob_token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);

  /* Rescheduling: only scheduled_at, at least five minutes ahead. */
  g_free (form);
  form = g_strdup_printf ("scheduled_at=%s", too_soon);
  r = request (f, "PUT", path, f->token, form);
  assert_error (r, 422, "must be in the future");
  g_clear_pointer (&r, response_free);
  g_free (form);
  form = g_strdup_printf ("scheduled_at=%s", later);
  r = request (f, "PUT", path, f->token, form);
  g_assert_cmpuint (r->status, ==, 200);
  assert_time (str (r, "scheduled_at"), f->t0 + 1200);
  g_clear_pointer (&r, response_free);

  /* Published when the clock passes its time, not before. */
  wc_mastodon_server_advance (f->server, 1199);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 0);
  g_clear_pointer (&statuses, json_array_unref);
  wc_mastodon_server_advance (f->server, 1);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  {
    JsonObject *status = json_array_get_object_element (statuses, 0);
    g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, "Clinic news");
    g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, "unlisted");
    g_assert_true (json_object_get_boolean_member (status, "sensitive"));
    assert_time (json_object_get_string_member (status, "created_at"), f->t0 + 1200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status,
                                                                           "media_attachments")),
                      ==, 1);
  }
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);

  /* Too soon is refused; the past publishes at once. */
  g_free (form);
  form = g_strdup_printf ("status=Soon&visibility=public&scheduled_at=%s",
                          keep (f, iso_time (wc_mastodon_server_get_now (f->server) + 299)));
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "must be in the future");
  g_clear_pointer (&r, response_free);
  g_free (form);
  form = g_strdup_printf ("status=Past&visibility=public&scheduled_at=%s", past);
  r = post_status (f, f->token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "content"), ==, "<p>Past</p>");
  g_clear_pointer (&r, response_free);
  g_free (form);
  form = g_strdup_printf ("status=x&scheduled_at=tomorrow");
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "Scheduled at is invalid");
  g_clear_pointer (&r, response_free);

  /* Cancelling releases the media. */
  g_free (media_id);
  media_id = upload_ready (f, f->token);
  g_free (form);
  form = g_strdup_printf ("status=Cancel+me&scheduled_at=%s&media_ids[]=%s",
                          keep (f, iso_time (wc_mastodon_server_get_now (f->server) + 3600)), media_id);
  r = post_status (f, f->token, NULL, form);
  g_free (path);
  path = g_strconcat ("/api/v1/scheduled_statuses/", str (r, "id"), NULL);
  g_clear_pointer (&r, response_free);
  r = request (f, "DELETE", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (r)), ==, 0);
  g_clear_pointer (&r, response_free);
  r = request (f, "DELETE", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/api/v1/scheduled_statuses", f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 0);
  g_clear_pointer (&r, response_free);
  g_free (form);
  form = g_strdup_printf ("status=Reuse&media_ids[]=%s", media_id);
  r = post_status (f, f->token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_scheduled_limits (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(GDateTime) t0 = g_date_time_new_from_unix_utc (f->t0);
  gint64 day1;
  g_autofree char *form = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *path = NULL;

  wc_mastodon_server_set_rate_limit (f->server, 10000, 300);
  /* Midnight (UTC) of the next day. */
  day1 = f->t0 - f->t0 % 86400 + 86400;

  for (int i = 0; i < 25; i++)
    {
      g_autofree char *when = iso_time (day1 + i * 3000);

      g_free (form);
      form = g_strdup_printf ("status=Day+one+%d&scheduled_at=%s", i, when);
      r = post_status (f, f->token, NULL, form);
      g_assert_cmpuint (r->status, ==, 200);
      if (i == 0)
        first_id = g_strdup (str (r, "id"));
      g_clear_pointer (&r, response_free);
    }
  g_free (form);
  form = g_strdup_printf ("status=One+too+many&scheduled_at=%s", keep (f, iso_time (day1 + 86399)));
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "over_daily_limit");
  g_clear_pointer (&r, response_free);

  /* The next day has room; moving a post into the full day does not. */
  g_free (form);
  form = g_strdup_printf ("status=Day+two&scheduled_at=%s", keep (f, iso_time (day1 + 86400)));
  r = post_status (f, f->token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
  path = g_strconcat ("/api/v1/scheduled_statuses/", str (r, "id"), NULL);
  g_clear_pointer (&r, response_free);
  g_free (form);
  form = g_strdup_printf ("scheduled_at=%s", keep (f, iso_time (day1 + 600)));
  r = request (f, "PUT", path, f->token, form);
  assert_error (r, 422, "over_daily_limit");
  g_clear_pointer (&r, response_free);
  /* Moving within the same full day is fine. */
  g_free (path);
  path = g_strconcat ("/api/v1/scheduled_statuses/", first_id, NULL);
  r = request (f, "PUT", path, f->token, form);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  /* 300 in all. */
  for (int i = 0; i < 274; i++)
    {
      g_autofree char *when = iso_time (day1 + 2 * 86400 + (i / 25) * 86400 + (i % 25) * 60);

      g_free (form);
      form = g_strdup_printf ("status=Filler+%d&scheduled_at=%s", i, when);
      r = post_status (f, f->token, NULL, form);
      g_assert_cmpuint (r->status, ==, 200);
      g_clear_pointer (&r, response_free);
    }
  {
    g_autoptr(JsonArray) all = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");

    g_assert_cmpuint (json_array_get_length (all), ==, 300);
  }
  g_free (form);
  form = g_strdup_printf ("status=Too+many&scheduled_at=%s", keep (f, iso_time (day1 + 200 * 86400)));
  r = post_status (f, f->token, NULL, form);
  assert_error (r, 422, "over_total_limit");
  g_clear_pointer (&r, response_free);

  /* Bob has his own limits. */
  r = post_status (f, f->bob_token, NULL, form);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);

  /* Pagination of the list: 20 by default, at most 40, Link headers. */
  r = request (f, "GET", "/api/v1/scheduled_statuses", f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 20);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/api/v1/scheduled_statuses?limit=100", f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 40);
  g_clear_pointer (&r, response_free);
  {
    guint total = 0;
    g_autofree char *next = g_strdup ("/api/v1/scheduled_statuses?limit=40");
    guint64 last = G_MAXUINT64;

    while (next != NULL)
      {
        g_autoptr(Response) page = request (f, "GET", next, f->token, NULL);
        JsonArray *items = arr (page);

        for (guint i = 0; i < json_array_get_length (items); i++)
          {
            guint64 id = g_ascii_strtoull (json_object_get_string_member (
                                             json_array_get_object_element (items, i), "id"),
                                           NULL, 10);

            g_assert_cmpuint (id, <, last);
            last = id;
          }
        total += json_array_get_length (items);
        g_free (next);
        next = link_url (page, "next");
      }
    g_assert_cmpuint (total, ==, 300);
  }
}

static void
test_followers (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%s/followers", f->alice_id);
  g_autofree char *next = NULL;
  g_autofree char *prev = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(Response) r = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autofree char *first_of_page1 = NULL;
  guint pages = 0;

  wc_mastodon_server_add_followers (f->server, "alice", 5000);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 5000);

  r = request (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 40);
  g_assert_null (link_url (r, "nope"));
  g_clear_pointer (&r, response_free);
  g_free (next);
  next = g_strconcat (path, "?limit=500", NULL);
  r = request (f, "GET", next, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 80);
  g_clear_pointer (&r, response_free);

  /* Every follower once, through Link rel="next" only. */
  timer = g_timer_new ();
  g_free (next);
  next = g_strconcat (path, "?limit=80", NULL);
  while (next != NULL)
    {
      JsonArray *items;

      r = request (f, "GET", next, f->token, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      items = arr (r);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *account = json_array_get_object_element (items, i);

          g_assert_true (g_hash_table_add (seen,
                                           g_strdup (json_object_get_string_member (account, "acct"))));
          if (pages == 0 && i == 0)
            first_of_page1 = g_strdup (json_object_get_string_member (account, "id"));
        }
      pages++;
      if (pages == 2)
        prev = link_url (r, "prev");
      g_free (next);
      next = link_url (r, "next");
      if (next != NULL)
        g_assert_nonnull (strstr (next, "limit=80"));
      g_clear_pointer (&r, response_free);
    }
  g_test_message ("Paged 5,000 followers in %u pages in %.2f s", pages, g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5000);
  /* 62 full pages, a page of 40, and no next link after a partial page. */
  g_assert_cmpuint (pages, ==, 63);

  /* rel="prev" of page 2 leads back to page 1; the newest follower first. */
  g_assert_nonnull (prev);
  r = request (f, "GET", prev, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 80);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr (r), 0), "id"),
                   ==, first_of_page1);
  g_clear_pointer (&r, response_free);

  /* An exact multiple of the page size ends with an empty page. */
  wc_mastodon_server_add_followers (f->server, "bob", 160);
  g_free (next);
  next = g_strdup_printf ("/api/v1/accounts/%s/followers?limit=80", f->bob_id);
  pages = 0;
  while (next != NULL)
    {
      r = request (f, "GET", next, NULL, NULL);
      pages++;
      g_free (next);
      next = link_url (r, "next");
      g_clear_pointer (&r, response_free);
    }
  g_assert_cmpuint (pages, ==, 3);

  /* Hidden collections are empty for everyone but the owner. */
  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token, "hide_collections=true");
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 0);
  g_assert_null (soup_message_headers_get_one (r->headers, "Link"));
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->bob_token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 0);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", path, f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 40);
  g_clear_pointer (&r, response_free);

  r = request (f, "GET", "/api/v1/accounts/99999999/followers", NULL, NULL);
  assert_error (r, 404, "Record not found");
}

static void
test_follow_requests (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = g_strdup ("/api/v1/follow_requests?limit=2");
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  const char *synthetic;

  r = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token, "locked=true");
  g_clear_pointer (&r, response_free);
  wc_mastodon_server_add_follow_requests (f->server, "alice", 4);
  wc_mastodon_server_follow (f->server, "bob", "alice");

  while (next != NULL)
    {
      r = request (f, "GET", next, f->token, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (arr (r)), <=, 2);
      for (guint i = 0; i < json_array_get_length (arr (r)); i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                          json_array_get_object_element (arr (r), i), "id")));
      g_free (next);
      next = link_url (r, "next");
      g_clear_pointer (&r, response_free);
    }
  g_assert_cmpuint (ids->len, ==, 5);
  /* Newest first: bob asked last. */
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, f->bob_id);
  synthetic = g_ptr_array_index (ids, 1);

  query = g_strdup_printf ("/api/v1/accounts/relationships?id[]=%s&id[]=%s&id[]=424242",
                           f->bob_id, synthetic);
  r = request (f, "GET", query, f->token, NULL);
  g_assert_cmpuint (json_array_get_length (arr (r)), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (arr (r), 0),
                                                 "requested_by"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (arr (r), 0),
                                                  "followed_by"));
  g_clear_pointer (&r, response_free);
  /* Seen from bob: his request is pending. */
  g_free (query);
  query = g_strdup_printf ("/api/v1/accounts/relationships?id=%s", f->alice_id);
  r = request (f, "GET", query, f->bob_token, NULL);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (arr (r), 0),
                                                 "requested"));
  g_clear_pointer (&r, response_free);

  path = g_strdup_printf ("/api/v1/follow_requests/%s/authorize", f->bob_id);
  r = request (f, "POST", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str (r, "id"), ==, f->bob_id);
  g_assert_true (json_object_get_boolean_member (obj (r), "followed_by"));
  g_assert_false (json_object_get_boolean_member (obj (r), "requested_by"));
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", path, f->token, NULL);
  assert_error (r, 404, "Record not found");
  g_clear_pointer (&r, response_free);

  g_free (path);
  path = g_strdup_printf ("/api/v1/follow_requests/%s/reject", synthetic);
  r = request (f, "POST", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (obj (r), "followed_by"));
  g_assert_false (json_object_get_boolean_member (obj (r), "requested_by"));
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);
  r = request (f, "POST", "/api/v1/follow_requests/notanid/authorize", f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, response_free);

  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "alice"), ==, 3);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 1);

  g_free (path);
  path = g_strdup_printf ("/api/v1/accounts/%s/remove_from_followers", f->bob_id);
  r = request (f, "POST", path, f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (obj (r), "followed_by"));
  g_clear_pointer (&r, response_free);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 0);
  r = request (f, "POST", "/api/v1/accounts/99999999/remove_from_followers", f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(GDateTime) reset = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  wc_mastodon_server_set_rate_limit (f->server, 3, 60);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%d", 2 - i);

      r = request (f, "GET", "/api/v1/accounts/verify_credentials", f->token, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Limit"), ==, "3");
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"), ==,
                       expected);
      reset = g_date_time_new_from_iso8601 (soup_message_headers_get_one (r->headers,
                                                                          "X-RateLimit-Reset"),
                                            utc);
      g_assert_nonnull (reset);
      g_assert_cmpint (g_date_time_to_unix (reset), ==, f->t0 + 60);
      g_clear_pointer (&reset, g_date_time_unref);
      g_clear_pointer (&r, response_free);
    }
  r = request (f, "GET", "/api/v1/accounts/verify_credentials", f->token, NULL);
  assert_error (r, 429, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "60");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"), ==, "0");
  g_clear_pointer (&r, response_free);

  /* Another token has its own budget; a new window refills. */
  r = request (f, "GET", "/api/v1/accounts/verify_credentials", f->bob_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, response_free);
  wc_mastodon_server_advance (f->server, 60);
  r = request (f, "GET", "/api/v1/accounts/verify_credentials", f->token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"), ==, "2");
  g_clear_pointer (&r, response_free);

  /* Errors carry the headers too. */
  r = request (f, "GET", "/api/v1/statuses/1", f->token, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_assert_nonnull (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"));
}

static guint
count_statuses (Fixture *f)
{
  g_autoptr(JsonArray) statuses = wc_mastodon_server_dup_statuses (f->server, NULL);

  return json_array_get_length (statuses);
}

static void
test_fault_status_codes (Fixture       *f,
                         gconstpointer  data)
{
  struct {
    WcMastodonFault fault;
    guint           status;
  } cases[] = {
    { WC_MASTODON_FAULT_STATUS_429, 429 },
    { WC_MASTODON_FAULT_STATUS_500, 500 },
    { WC_MASTODON_FAULT_STATUS_503, 503 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) r = NULL;

      wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", cases[i].fault, 1);
      r = post_status (f, f->token, "k", "status=Hello&visibility=public");
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->status, ==, cases[i].status);
      g_assert_nonnull (str (r, "error"));
      /* Not processed. */
      g_assert_cmpuint (count_statuses (f), ==, 0);
      if (cases[i].status == 429)
        {
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          g_autoptr(GDateTime) reset =
            g_date_time_new_from_iso8601 (soup_message_headers_get_one (r->headers,
                                                                        "X-RateLimit-Reset"),
                                          utc);

          g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
          g_assert_nonnull (reset);
          g_assert_cmpint (g_date_time_to_unix (reset), ==, f->t0 + 1);
        }
    }

  /* The count runs out; the retry succeeds. */
  {
    g_autoptr(Response) r = post_status (f, f->token, "k", "status=Hello&visibility=public");

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* A count of 2, a chosen Retry-After, and matching by method and prefix. */
  wc_mastodon_server_add_fault_full (f->server, "GET", "/api/v1/accounts/",
                                     WC_MASTODON_FAULT_STATUS_429, 2, 30);
  {
    g_autoptr(Response) a = request (f, "GET", "/api/v1/accounts/verify_credentials", f->token, NULL);
    g_autoptr(Response) b = request (f, "PATCH", "/api/v1/accounts/update_credentials", f->token,
                                     "note=x");
    g_autoptr(Response) c = request (f, "GET", "/api/v1/instance", NULL, NULL);
    g_autoptr(Response) d = request (f, "GET", "/api/v1/accounts/1", NULL, NULL);
    g_autoptr(Response) e = request (f, "GET", "/api/v1/accounts/1", NULL, NULL);

    g_assert_cmpuint (a->status, ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (a->headers, "Retry-After"), ==, "30");
    g_assert_cmpuint (b->status, ==, 200);
    g_assert_cmpuint (c->status, ==, 200);
    g_assert_cmpuint (d->status, ==, 429);
    g_assert_cmpuint (e->status, ==, 200);
  }

  /* Count 0 lasts until cleared. */
  wc_mastodon_server_add_fault (f->server, NULL, NULL, WC_MASTODON_FAULT_STATUS_503, 0);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(Response) r = request (f, "GET", "/api/v1/instance", NULL, NULL);

      g_assert_cmpuint (r->status, ==, 503);
    }
  wc_mastodon_server_clear_faults (f->server);
  {
    g_autoptr(Response) r = request (f, "GET", "/api/v1/instance", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 4);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/instance"), ==, 5);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, NULL, NULL), ==, 13);
}

static void
test_fault_delay (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(Response) r = NULL;

  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses",
                                     WC_MASTODON_FAULT_DELAY, 1, 300);
  r = post_status (f, f->token, NULL, "status=Slow&visibility=public");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), >=, 0.29);
  g_assert_cmpuint (count_statuses (f), ==, 1);
  g_clear_pointer (&r, response_free);

  g_timer_start (timer);
  r = post_status (f, f->token, NULL, "status=Fast&visibility=public");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 0.29);
}

static void
test_fault_drop_after_store (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) retry = NULL;
  g_autoptr(Response) warm = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  SoupMessage *msg;

  /* On a kept-alive connection, where libsoup could be tempted to resend. */
  warm = request (f, "GET", "/api/v1/instance", NULL, NULL);
  g_assert_cmpuint (warm->status, ==, 200);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses",
                                WC_MASTODON_FAULT_DROP_AFTER_STORE, 1);
  msg = new_message (f, "POST", "/api/v1/statuses", f->token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", "d1");
  set_body (msg, "application/x-www-form-urlencoded", "status=Stored&visibility=public");
  r = send_message (f, msg);
  g_assert_nonnull (r->error);
  g_test_message ("The client saw: %s", r->error->message);
  g_assert_cmpuint (count_statuses (f), ==, 1);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 1);

  /* The retry with the same key gets the stored status: exactly one post. */
  retry = post_status (f, f->token, "d1", "status=Stored&visibility=public");
  g_assert_cmpuint (retry->status, ==, 200);
  statuses = wc_mastodon_server_dup_statuses (f->server, NULL);
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  g_assert_cmpstr (str (retry, "id"), ==,
                   json_object_get_string_member (json_array_get_object_element (statuses, 0), "id"));
}

static void
test_fault_malformed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses",
                                WC_MASTODON_FAULT_MALFORMED_JSON, 1);
  r = post_status (f, f->token, "m1", "status=Broken&visibility=public");
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/json");
  g_assert_null (r->json);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                              g_bytes_get_size (r->body), NULL));
  g_assert_cmpuint (count_statuses (f), ==, 1);
  g_clear_pointer (&r, response_free);

  wc_mastodon_server_add_fault (f->server, "GET", "/api/v2/instance",
                                WC_MASTODON_FAULT_WRONG_CONTENT_TYPE, 1);
  r = request (f, "GET", "/api/v2/instance", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "text/html");
  g_assert_null (r->json);
  g_clear_pointer (&r, response_free);
  r = request (f, "GET", "/api/v2/instance", NULL, NULL);
  g_assert_nonnull (r->json);
}

static void
test_fault_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses",
                                WC_MASTODON_FAULT_TIMEOUT, 1);
  msg = new_message (f, "POST", "/api/v1/statuses", f->token);
  set_body (msg, "application/x-www-form-urlencoded", "status=Never&visibility=public");
  r = send_message_with (impatient, msg);
  g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (count_statuses (f), ==, 0);

  /* The server still answers others. */
  after = post_status (f, f->token, NULL, "status=Now&visibility=public");
  g_assert_cmpuint (after->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mastodon-server/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("base-url", test_base_url);
  ADD ("apps", test_apps);
  ADD ("oauth/loopback-pkce", test_oauth_loopback_pkce);
  ADD ("oauth/errors", test_oauth_errors);
  ADD ("oauth/oob", test_oauth_oob);
  ADD ("oauth/login-form", test_login_form);
  ADD ("oauth/revoke", test_revoke);
  ADD ("auth/unauthorized", test_unauthorized);
  ADD ("auth/scopes", test_scopes);
  ADD ("accounts/verify-credentials", test_verify_credentials);
  ADD ("accounts/update-credentials", test_update_credentials);
  ADD ("accounts/unlock-accepts-requests", test_unlock_accepts_requests);
  ADD ("instance", test_instance);
  ADD ("media", test_media);
  ADD ("statuses/media", test_status_media);
  ADD ("statuses/visibility", test_status_visibility);
  ADD ("statuses/length", test_status_length);
  ADD ("statuses/idempotency", test_idempotency);
  ADD ("scheduled/lifecycle", test_scheduled);
  ADD ("scheduled/limits-and-paging", test_scheduled_limits);
  ADD ("followers", test_followers);
  ADD ("follow-requests", test_follow_requests);
  ADD ("rate-limit", test_rate_limit);
  ADD ("faults/status-codes", test_fault_status_codes);
  ADD ("faults/delay", test_fault_delay);
  ADD ("faults/drop-after-store", test_fault_drop_after_store);
  ADD ("faults/malformed", test_fault_malformed);
  ADD ("faults/timeout", test_fault_timeout);

#undef ADD

  return g_test_run ();
}
