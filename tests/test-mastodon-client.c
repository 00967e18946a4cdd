/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Mastodon client's own parts: PKCE, the loopback listener, error
 * classes, and the requests it sends, checked against a small loopback
 * server that records them. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>

#include "wc-mastodon.h"
#include "wc-oauth.h"

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_pkce (void)
{
  /* RFC 7636, appendix B. */
  g_autofree char *challenge = wc_pkce_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_autofree char *a = wc_pkce_new_verifier ();
  g_autofree char *b = wc_pkce_new_verifier ();
  g_autofree char *state = wc_oauth_new_state ();

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (strlen (a), >=, 43);
  g_assert_cmpuint (strlen (a), <=, 128);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  g_assert_cmpuint (strlen (state), >=, 20);
}

static void
test_base_url (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "mastodon.social", "https://mastodon.social" },
    { " https://mastodon.social/ ", "https://mastodon.social" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "ftp://example.org", NULL },
    { "", NULL },
    { "https://", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = wc_mastodon_dup_base_url (cases[i].in);
      g_assert_cmpstr (url, ==, cases[i].out);
    }
}

static void
test_authorize_url (void)
{
  g_autofree char *url = wc_mastodon_build_authorize_url ("med.example", "client-1",
                                                          "http://127.0.0.1:4567/callback", "s-123", "chal");
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);

  g_assert_cmpstr (g_uri_get_host (uri), ==, "med.example");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/oauth/authorize");
  g_assert_cmpstr (g_hash_table_lookup (query, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (query, "redirect_uri"), ==, "http://127.0.0.1:4567/callback");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "s-123");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge"), ==, "chal");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  /* Granular scopes only: no deprecated "follow". */
  g_assert_cmpstr (g_hash_table_lookup (query, "scope"), ==, WC_MASTODON_SCOPES);
  g_assert_null (strstr (WC_MASTODON_SCOPES, "follow "));
}

static void
test_error_classes (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  const char *body = "{\"error\":\"Validation failed: Text can't be blank\"}";
  g_autoptr(GError) limited = NULL;
  g_autoptr(GError) down = NULL;
  g_autoptr(GError) auth = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) forbidden = NULL;
  g_autoptr(GError) odd = NULL;

  soup_message_headers_append (headers, "Retry-After", "120");
  limited = wc_mastodon_error_from_response (429, headers, "{\"error\":\"Too many requests\"}", 31);
  g_assert_error (limited, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  g_assert_true (wc_network_error_is_transient (limited));
  g_assert_cmpint (wc_network_error_get_retry_after (limited), ==, 120);

  down = wc_mastodon_error_from_response (503, NULL, NULL, 0);
  g_assert_error (down, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);

  auth = wc_mastodon_error_from_response (401, NULL, "{\"error\":\"The access token is invalid\"}", 38);
  g_assert_error (auth, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_assert_false (wc_network_error_is_transient (auth));
  g_assert_nonnull (strstr (auth->message, "Sign in again"));

  invalid = wc_mastodon_error_from_response (422, NULL, body, strlen (body));
  g_assert_error (invalid, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_nonnull (strstr (invalid->message, "Text can't be blank"));

  missing = wc_mastodon_error_from_response (404, NULL, NULL, 0);
  g_assert_error (missing, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND);

  forbidden = wc_mastodon_error_from_response (403, NULL, "{\"error\":\"This action is outside the authorized scopes\"}", 56);
  g_assert_error (forbidden, WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (forbidden->message, "outside the authorized scopes"));

  /* A body that is not JSON is not shown. */
  odd = wc_mastodon_error_from_response (418, NULL, "<html>teapot</html>", 19);
  g_assert_error (odd, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_null (strstr (odd->message, "html"));
}

static void
test_rate_limit_reset (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 300);
  g_autofree char *iso = g_date_time_format_iso8601 (later);
  g_autoptr(GError) error = NULL;
  gint64 wait;

  soup_message_headers_append (headers, "X-RateLimit-Reset", iso);
  error = wc_mastodon_error_from_response (429, headers, NULL, 0);
  wait = wc_network_error_get_retry_after (error);
  g_assert_cmpint (wait, >=, 295);
  g_assert_cmpint (wait, <=, 300);
}

/* The browser arrives at the loopback listener; the listener runs in this
 * thread's main loop, so the request is sent asynchronously. */
static guint
browse (SoupSession *session,
        const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  body = soup_session_send_and_read_finish (session, await (&result), NULL);
  return soup_message_get_status (msg);
}

static void
test_listener (void)
{
  g_autoptr(WcOAuthListener) listener = wc_oauth_listener_new ("the-state");
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autofree char *code = NULL;

  g_assert_true (wc_oauth_listener_start (listener, &error));
  g_assert_no_error (error);
  uri = g_uri_parse (wc_oauth_listener_get_redirect_uri (listener), G_URI_FLAGS_NONE, NULL);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/callback");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  wc_oauth_listener_wait_async (listener, NULL, store_result, &result);

  /* Another state is not ours: refused, still waiting. */
  wrong = g_strdup_printf ("%s?code=evil&state=other", wc_oauth_listener_get_redirect_uri (listener));
  g_assert_cmpuint (browse (browser, wrong), ==, 400);
  g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);

  right = g_strdup_printf ("%s?code=good-code&state=the-state", wc_oauth_listener_get_redirect_uri (listener));
  g_assert_cmpuint (browse (browser, right), ==, 200);
  code = wc_oauth_listener_wait_finish (listener, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "good-code");
}

static void
test_listener_cancel (void)
{
  g_autoptr(WcOAuthListener) listener = wc_oauth_listener_new ("s");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_true (wc_oauth_listener_start (listener, NULL));
  wc_oauth_listener_wait_async (listener, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  code = wc_oauth_listener_wait_finish (listener, await (&result), &error);
  g_assert_null (code);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A small loopback server that answers as Mastodon does and keeps what it
 * was sent. */
typedef struct
{
  SoupServer *server;
  char       *base_url;
  char       *last_authorization;
  char       *last_idempotency_key;
  JsonNode   *last_body;
  guint       v2_instance_status;
} Recorder;

static void
recorder_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Recorder *recorder = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *answer = "{}";
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  g_free (recorder->last_authorization);
  recorder->last_authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (recorder->last_idempotency_key);
  recorder->last_idempotency_key = g_strdup (soup_message_headers_get_one (request_headers, "Idempotency-Key"));
  g_clear_pointer (&recorder->last_body, json_node_unref);
  if (g_bytes_get_size (bytes) > 0)
    recorder->last_body = json_from_string (g_bytes_get_data (bytes, NULL), NULL);

  if (g_str_equal (path, "/api/v1/accounts/verify_credentials"))
    answer = "{\"id\":\"7\",\"username\":\"anna\",\"acct\":\"anna\",\"display_name\":\"Dr. Anna\","
             "\"locked\":true,\"bot\":false,\"discoverable\":false,\"indexable\":false,"
             "\"followers_count\":312,\"following_count\":40,"
             "\"source\":{\"privacy\":\"private\",\"hide_collections\":true}}";
  else if (g_str_equal (path, "/api/v1/statuses"))
    answer = "{\"id\":\"103\",\"url\":\"https://med.example/@anna/103\",\"visibility\":\"unlisted\"}";
  else if (g_str_equal (path, "/api/v2/instance"))
    {
      if (recorder->v2_instance_status != 200)
        {
          soup_server_message_set_status (msg, recorder->v2_instance_status, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"error\":\"Not found\"}", 21);
          return;
        }
      answer = "{\"configuration\":{\"statuses\":{\"max_characters\":1000,\"characters_reserved_per_url\":23,"
               "\"max_media_attachments\":4},\"media_attachments\":{\"description_limit\":1500}}}";
    }
  else if (g_str_equal (path, "/api/v1/instance"))
    answer = "{\"max_toot_chars\":5000}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
recorder_start (Recorder *recorder)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  recorder->v2_instance_status = 200;
  recorder->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (recorder->server, NULL, recorder_handler, recorder, NULL);
  g_assert_true (soup_server_listen (recorder->server, address, 0, NULL));
  uris = soup_server_get_uris (recorder->server);
  recorder->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
recorder_stop (Recorder *recorder)
{
  soup_server_disconnect (recorder->server);
  g_clear_object (&recorder->server);
  g_free (recorder->base_url);
  g_free (recorder->last_authorization);
  g_free (recorder->last_idempotency_key);
  g_clear_pointer (&recorder->last_body, json_node_unref);
}

static WcMastodon *
client_for (Recorder *recorder)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  WcMastodon *client;

  wc_account_set_handle (account, "@anna@med.example");
  wc_account_set_server (account, recorder->base_url);
  client = wc_mastodon_new (account, NULL);
  wc_mastodon_set_access_token (client, "secret-token");
  return client;
}

static void
test_verify_credentials (void)
{
  Recorder recorder = { NULL };
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  recorder_start (&recorder);
  client = client_for (&recorder);
  wc_mastodon_verify_credentials_async (client, NULL, store_result, &result);
  profile = wc_mastodon_verify_credentials_finish (client, await (&result), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (recorder.last_authorization, ==, "Bearer secret-token");
  g_assert_cmpstr (profile->acct, ==, "anna");
  g_assert_cmpint (profile->state->locked, ==, WC_TRISTATE_YES);
  g_assert_cmpint (profile->state->discoverable, ==, WC_TRISTATE_NO);
  g_assert_cmpint (profile->state->hide_collections, ==, WC_TRISTATE_YES);
  g_assert_cmpint (profile->state->noindex, ==, WC_TRISTATE_UNKNOWN);
  g_assert_cmpint (profile->state->followers_count, ==, 312);
  g_assert_cmpstr (profile->state->default_visibility, ==, "private");
  g_assert_cmpint (profile->state->taken_at, >, 0);
  recorder_stop (&recorder);
}

static void
test_post_status (void)
{
  Recorder recorder = { NULL };
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcMastodonPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  WcMastodonPost post = { 0 };
  JsonObject *body;

  recorder_start (&recorder);
  client = client_for (&recorder);
  post.text = "New guideline out today";
  post.visibility = "unlisted";
  post.spoiler_text = "medicine";
  post.language = "en";
  wc_mastodon_post_status_async (client, &post, "key-1", NULL, store_result, &result);
  posted = wc_mastodon_post_status_finish (client, await (&result), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (posted->id, ==, "103");
  g_assert_cmpstr (posted->url, ==, "https://med.example/@anna/103");
  g_assert_false (posted->scheduled);
  g_assert_cmpstr (recorder.last_idempotency_key, ==, "key-1");
  body = json_node_get_object (recorder.last_body);
  /* The visibility is always explicit: never the account's default. */
  g_assert_cmpstr (json_object_get_string_member (body, "visibility"), ==, "unlisted");
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "New guideline out today");
  g_assert_cmpstr (json_object_get_string_member (body, "spoiler_text"), ==, "medicine");
  g_assert_cmpstr (json_object_get_string_member (body, "language"), ==, "en");
  g_assert_false (json_object_has_member (body, "scheduled_at"));
  recorder_stop (&recorder);
}

static void
test_instance_fallback (void)
{
  Recorder recorder = { NULL };
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(GAsyncResult) v2 = NULL;
  g_autoptr(GAsyncResult) v1 = NULL;
  WcMastodonInstance instance = { 0 };
  g_autoptr(GError) error = NULL;

  recorder_start (&recorder);
  client = client_for (&recorder);
  wc_mastodon_get_instance_async (client, NULL, store_result, &v2);
  g_assert_true (wc_mastodon_get_instance_finish (client, await (&v2), &instance, &error));
  g_assert_cmpuint (instance.max_characters, ==, 1000);

  recorder.v2_instance_status = 404;
  wc_mastodon_get_instance_async (client, NULL, store_result, &v1);
  g_assert_true (wc_mastodon_get_instance_finish (client, await (&v1), &instance, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (instance.max_characters, ==, 5000);
  recorder_stop (&recorder);
}

static void
test_unreachable_is_retry_later (void)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  /* Port 9 on loopback: nothing listens. */
  wc_account_set_server (account, "http://127.0.0.1:9");
  client = wc_mastodon_new (account, NULL);
  wc_mastodon_set_access_token (client, "secret-token-xyz");
  wc_mastodon_verify_credentials_async (client, NULL, store_result, &result);
  profile = wc_mastodon_verify_credentials_finish (client, await (&result), &error);
  g_assert_null (profile);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  /* No token in an error message. */
  g_assert_null (strstr (error->message, "secret-token-xyz"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mastodon-client/pkce", test_pkce);
  g_test_add_func ("/mastodon-client/base-url", test_base_url);
  g_test_add_func ("/mastodon-client/authorize-url", test_authorize_url);
  g_test_add_func ("/mastodon-client/error-classes", test_error_classes);
  g_test_add_func ("/mastodon-client/rate-limit-reset", test_rate_limit_reset);
  g_test_add_func ("/mastodon-client/listener", test_listener);
  g_test_add_func ("/mastodon-client/listener-cancel", test_listener_cancel);
  g_test_add_func ("/mastodon-client/verify-credentials", test_verify_credentials);
  g_test_add_func ("/mastodon-client/post-status", test_post_status);
  g_test_add_func ("/mastodon-client/instance-fallback", test_instance_fallback);
  g_test_add_func ("/mastodon-client/unreachable-is-retry-later", test_unreachable_is_retry_later);

  return g_test_run ();
}
