/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Mastodon client end to end against the Mastodon test server
 * (tests/servers/): signing in with a browser the test plays, the keyring
 * and revocation, media without metadata, exactly-once publishing under
 * faults, scheduling on the server and its limits, followers with paging
 * and resume, follow requests, settings, and every error class — with no
 * token in any message. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>

#include "wc-image-inspector.h"
#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-mastodon.h"

/* A 2×2 white JPEG without any metadata. */
static const char tiny_jpeg_base64[] =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
  "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAACAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAA"
  "AAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

#define DISTINCTIVE_TOKEN "wc-test-TOKEN-do-not-leak-5f2b9e"

static gboolean have_keyring;

/* Log lines of Whitecoat's own domains (not the test server's). */
static GMutex log_lock;
static GString *captured_log;

typedef struct
{
  WcMastodonServer *server;
  SoupSession      *session;
  char             *base;
  char             *domain;
  char             *alice_id;
  char             *token;
  WcAccount        *account;
  WcMastodon       *mastodon;
  gint64            t0;
} Fixture;

/* --- Helpers ------------------------------------------------------------ */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static WcMastodon *
new_client (Fixture     *f,
            SoupSession *session,
            const char  *token)
{
  WcMastodon *mastodon = wc_mastodon_new (f->account, session);

  wc_mastodon_set_access_token (mastodon, token);
  return mastodon;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 3, 2, 10, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  f->t0 = g_date_time_to_unix (t0);
  f->server = wc_mastodon_server_new ();
  wc_mastodon_server_set_now (f->server, f->t0);
  f->alice_id = wc_mastodon_server_add_user (f->server, "alice", NULL);
  g_free (wc_mastodon_server_add_user (f->server, "bob", "secret"));
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  f->domain = g_strdup (g_uri_get_host (uri));
  f->session = soup_session_new_with_options ("timeout", 20, NULL);
  f->token = wc_mastodon_server_create_token (f->server, "alice", WC_MASTODON_SCOPES);

  f->account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_server (f->account, f->base);
  f->mastodon = new_client (f, f->session, f->token);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->mastodon);
  g_clear_object (&f->account);
  g_clear_object (&f->session);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
  g_free (f->domain);
  g_free (f->alice_id);
  g_free (f->token);
}

static guint
count_array (JsonArray *array)
{
  guint n = json_array_get_length (array);

  json_array_unref (array);
  return n;
}

static WcMastodonPosted *
post (WcMastodon  *mastodon,
      const char  *text,
      const char  *visibility,
      const char  *key,
      GDateTime   *scheduled_at,
      GError     **error)
{
  WcMastodonPost p = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  p.text = text;
  p.visibility = visibility;
  p.scheduled_at = scheduled_at;
  wc_mastodon_post_status_async (mastodon, &p, key, NULL, store_result, &result);
  return wc_mastodon_post_status_finish (mastodon, await (&result), error);
}

static WcMastodonProfile *
verify (WcMastodon  *mastodon,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_mastodon_verify_credentials_async (mastodon, NULL, store_result, &result);
  return wc_mastodon_verify_credentials_finish (mastodon, await (&result), error);
}

/* --- The browser the test plays ----------------------------------------- */

typedef struct
{
  char       *authorize_url;
  char       *base;
  const char *user;
  const char *password;   /* non-NULL: use the login form */
  GThread    *thread;
  guint       loopback_status;
  char       *loopback_page;
} Browser;

static void
browser_clear (Browser *b)
{
  if (b->thread != NULL)
    g_thread_join (b->thread);
  g_free (b->authorize_url);
  g_free (b->loopback_page);
}

/* Fills the login form as a person would: the hidden inputs as they are,
 * the user name and the password. */
static SoupMessage *
fill_login_form (SoupSession *session,
                 Browser     *b)
{
  g_autoptr(SoupMessage) get = soup_message_new ("GET", b->authorize_url);
  g_autoptr(GBytes) page = soup_session_send_and_read (session, get, NULL, NULL);
  g_autoptr(GRegex) regex = g_regex_new ("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *html = NULL;
  g_autofree char *action = g_strconcat (b->base, "/oauth/authorize", NULL);

  g_assert_nonnull (page);
  g_assert_cmpuint (soup_message_get_status (get), ==, 200);
  html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  g_assert_nonnull (strstr (html, "Whitecoat"));
  g_regex_match (regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *value = g_match_info_fetch (match, 2);
      g_autoptr(GString) unescaped = g_string_new (value);

      g_string_replace (unescaped, "&amp;", "&", 0);
      g_hash_table_insert (form, g_match_info_fetch (match, 1), g_string_free (g_steal_pointer (&unescaped), FALSE));
      g_match_info_next (match, NULL);
    }
  g_assert_nonnull (g_hash_table_lookup (form, "code_challenge"));
  g_hash_table_insert (form, g_strdup ("username"), g_strdup (b->user));
  g_hash_table_insert (form, g_strdup ("password"), g_strdup (b->password));
  return soup_message_new_from_encoded_form ("POST", action, soup_form_encode_hash (form));
}

static gpointer
browser_thread (gpointer data)
{
  Browser *b = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) back = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  if (b->password != NULL)
    msg = fill_login_form (session, b);
  else
    {
      /* The test server approves at once for ?test_user=. */
      g_autofree char *url = g_strconcat (b->authorize_url, "&test_user=", b->user, NULL);

      msg = soup_message_new ("GET", url);
    }
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  g_clear_pointer (&body, g_bytes_unref);

  /* Follow the redirect to Whitecoat's loopback listener. */
  back = soup_message_new ("GET", location);
  body = soup_session_send_and_read (session, back, NULL, &error);
  g_assert_no_error (error);
  b->loopback_status = soup_message_get_status (back);
  b->loopback_page = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return NULL;
}

static void
open_in_browser (const char *uri,
                 gpointer    user_data)
{
  Browser *b = user_data;

  g_assert_null (b->thread);
  b->authorize_url = g_strdup (uri);
  b->thread = g_thread_new ("browser", browser_thread, b);
}

static WcMastodonCredentials *
sign_in (Fixture              *f,
         const WcMastodonApp  *known_app,
         Browser              *b,
         GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  b->base = f->base;
  wc_mastodon_sign_in_async (f->session, f->base, known_app, open_in_browser, b, cancellable,
                             store_result, &result);
  return wc_mastodon_sign_in_finish (await (&result), error);
}

/* --- Signing in --------------------------------------------------------- */

static void
test_sign_in_loopback (Fixture       *f,
                       gconstpointer  data)
{
  Browser b = { .user = "alice" };
  Browser again = { .user = "alice" };
  g_autoptr(WcMastodonCredentials) credentials = NULL;
  g_autoptr(WcMastodonCredentials) second = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(JsonArray) apps = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *app;
  JsonArray *redirects;

  credentials = sign_in (f, NULL, &b, &error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_cmpuint (b.loopback_status, ==, 200);
  g_assert_nonnull (strstr (b.loopback_page, "close this tab"));
  g_assert_cmpstr (credentials->base_url, ==, f->base);
  g_assert_nonnull (credentials->token);
  g_assert_nonnull (credentials->app);
  g_assert_nonnull (credentials->app->client_secret);
  g_assert_cmpstr (credentials->profile->acct, ==, "alice");
  g_assert_cmpstr (credentials->profile->id, ==, f->alice_id);
  g_assert_true (g_str_has_prefix (credentials->profile->handle, "alice@"));
  g_assert_cmpint (credentials->profile->state->locked, ==, WC_TRISTATE_NO);

  /* Registered once with the loopback and the out-of-band redirect URIs
   * and the granular scopes. */
  apps = wc_mastodon_server_dup_apps (f->server);
  g_assert_cmpuint (json_array_get_length (apps), ==, 1);
  app = json_array_get_object_element (apps, 0);
  redirects = json_object_get_array_member (app, "redirect_uris");
  g_assert_cmpuint (json_array_get_length (redirects), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (redirects, 0), ==, "http://127.0.0.1/callback");
  g_assert_cmpstr (json_array_get_string_element (redirects, 1), ==, WC_MASTODON_OOB_REDIRECT);

  /* The token works. */
  client = new_client (f, f->session, credentials->token);
  profile = verify (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->acct, ==, "alice");

  /* A second sign-in on the same server reuses the registration. */
  second = sign_in (f, credentials->app, &again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->app->client_id, ==, credentials->app->client_id);
  g_assert_cmpstr (second->token, !=, credentials->token);
  g_clear_pointer (&apps, json_array_unref);
  apps = wc_mastodon_server_dup_apps (f->server);
  g_assert_cmpuint (json_array_get_length (apps), ==, 1);

  browser_clear (&b);
  browser_clear (&again);
}

static void
test_sign_in_login_form (Fixture       *f,
                         gconstpointer  data)
{
  Browser b = { .user = "bob", .password = "secret" };
  g_autoptr(WcMastodonCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  wc_mastodon_server_set_login_form (f->server, TRUE);
  credentials = sign_in (f, NULL, &b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->profile->acct, ==, "bob");
  browser_clear (&b);
}

static void
give_up (const char *uri,
         gpointer    user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_sign_in_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonCredentials) credentials = NULL;

  /* The user closes the dialog instead of using the browser. */
  wc_mastodon_sign_in_async (f->session, f->base, NULL, give_up, cancellable, cancellable,
                             store_result, &result);
  credentials = wc_mastodon_sign_in_finish (await (&result), &error);
  g_assert_null (credentials);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_sign_in_oob (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) completed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonOobSignIn) oob = NULL;
  g_autoptr(WcMastodonCredentials) credentials = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pasted = NULL;
  const char *start, *end;

  wc_mastodon_sign_in_oob_begin_async (f->session, f->base, NULL, NULL, store_result, &result);
  oob = wc_mastodon_sign_in_oob_begin_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (oob->authorize_url, "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"));
  g_assert_nonnull (strstr (oob->authorize_url, "code_challenge_method=S256"));

  /* The browser shows the code. */
  url = g_strconcat (oob->authorize_url, "&test_user=alice", NULL);
  msg = soup_message_new ("GET", url);
  page = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  start = strstr (html, "<code id=\"code\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"code\">");
  end = strstr (start, "</code>");
  code = g_strndup (start, end - start);

  /* Pasted with the spaces a copy picks up. */
  pasted = g_strdup_printf ("  %s\n", code);
  wc_mastodon_sign_in_oob_complete_async (f->session, oob, pasted, NULL, store_result, &completed);
  credentials = wc_mastodon_sign_in_oob_complete_finish (await (&completed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->profile->acct, ==, "alice");
  g_assert_nonnull (credentials->app);
  g_assert_cmpstr (credentials->app->client_id, ==, oob->app->client_id);
}

static void
test_sign_in_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonCredentials) credentials = NULL;
  g_autoptr(WcMastodonCredentials) none = NULL;
  g_autofree char *pasted = g_strdup_printf (" %s ", f->token);

  wc_mastodon_sign_in_with_token_async (f->session, f->base, pasted, NULL, store_result, &result);
  credentials = wc_mastodon_sign_in_with_token_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_null (credentials->app);
  g_assert_cmpstr (credentials->token, ==, f->token);
  g_assert_cmpstr (credentials->profile->acct, ==, "alice");

  wc_mastodon_sign_in_with_token_async (f->session, f->base, DISTINCTIVE_TOKEN, NULL, store_result, &refused);
  none = wc_mastodon_sign_in_with_token_finish (await (&refused), &error);
  g_assert_null (none);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_assert_null (strstr (error->message, DISTINCTIVE_TOKEN));
}

static void
test_server_input (void)
{
  g_autofree char *handle = wc_mastodon_dup_base_url ("@anna@med.example");
  g_autofree char *bare = wc_mastodon_dup_base_url ("anna@med.example");
  g_autofree char *empty = wc_mastodon_dup_base_url ("@anna@");

  g_assert_cmpstr (handle, ==, "https://med.example");
  g_assert_cmpstr (bare, ==, "https://med.example");
  g_assert_null (empty);
}

/* Signs in through the browser and returns a client of an account with
 * @account_id. */
static WcMastodonCredentials *
signed_in (Fixture *f)
{
  Browser b = { .user = "alice" };
  g_autoptr(GError) error = NULL;
  WcMastodonCredentials *credentials = sign_in (f, NULL, &b, &error);

  g_assert_no_error (error);
  browser_clear (&b);
  return credentials;
}

static void
assert_revoked (Fixture    *f,
                const char *token)
{
  g_autoptr(WcMastodon) client = new_client (f, f->session, token);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = verify (client, &error);

  g_assert_null (profile);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
}

static void
test_sign_out_revokes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcMastodonCredentials) credentials = signed_in (f);
  g_autoptr(WcMastodon) client = new_client (f, f->session, credentials->token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Not stored (id -1): no keyring is touched. */
  wc_mastodon_sign_out_async (client, credentials->app, NULL, store_result, &result);
  g_assert_true (wc_mastodon_sign_out_finish (client, await (&result), &error));
  g_assert_no_error (error);
  assert_revoked (f, credentials->token);
}

static void
test_sign_out_keyring (Fixture       *f,
                       gconstpointer  data)
{
  const gint64 account_id = 4242;
  g_autoptr(WcMastodonCredentials) credentials = NULL;
  g_autoptr(WcMastodon) client = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) stored_secret = NULL;
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(GAsyncResult) signed_out = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *missing = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus; build-aux/test starts one");
      return;
    }

  credentials = signed_in (f);
  wc_account_set_id (f->account, account_id);
  wc_keyring_store_async (account_id, WC_SECRET_ACCESS_TOKEN, "Whitecoat test token", credentials->token,
                          NULL, store_result, &stored);
  g_assert_true (wc_keyring_store_finish (await (&stored), &error));
  g_assert_no_error (error);
  wc_keyring_store_async (account_id, WC_SECRET_CLIENT_SECRET, "Whitecoat test secret",
                          credentials->app->client_secret, NULL, store_result, &stored_secret);
  g_assert_true (wc_keyring_store_finish (await (&stored_secret), &error));

  /* What the app does at start: the token from the keyring. */
  wc_keyring_lookup_async (account_id, WC_SECRET_ACCESS_TOKEN, NULL, store_result, &looked_up);
  token = wc_keyring_lookup_finish (await (&looked_up), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, credentials->token);

  client = new_client (f, f->session, token);
  wc_mastodon_sign_out_async (client, credentials->app, NULL, store_result, &signed_out);
  g_assert_true (wc_mastodon_sign_out_finish (client, await (&signed_out), &error));
  g_assert_no_error (error);

  assert_revoked (f, token);
  wc_keyring_lookup_async (account_id, WC_SECRET_ACCESS_TOKEN, NULL, store_result, &gone);
  missing = wc_keyring_lookup_finish (await (&gone), &error);
  g_assert_null (missing);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
}

/* --- Media -------------------------------------------------------------- */

/* Binary data has NUL bytes: g_strstr_len() would stop at the first. */
static gboolean
has_bytes (const char *data,
           gsize       length,
           const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static char *
write_jpeg_with_gps (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "patient-smith-knee.jpg", NULL);
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autofree guchar *jpeg = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  jpeg = g_base64_decode (tiny_jpeg_base64, &length);
  g_assert_true (g_file_set_contents (path, (const char *) jpeg, length, NULL));
  wc_image_init_gexiv2 ();
  metadata = gexiv2_metadata_new ();
  g_assert_true (gexiv2_metadata_open_path (metadata, path, NULL));
  g_assert_true (gexiv2_metadata_try_set_gps_info (metadata, 4.89, 52.37, 2.0, NULL));
  g_assert_true (gexiv2_metadata_save_file (metadata, path, NULL));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (has_bytes (contents, length, "Exif"));
  return g_steal_pointer (&path);
}

static guint
count_upload_temps (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "whitecoat-upload-"))
      n++;
  return n;
}

static void
test_media_upload (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wc-media-XXXXXX", NULL);
  g_autofree char *path = write_jpeg_with_gps (dir);
  g_autofree char *check_path = g_build_filename (dir, "uploaded.jpg", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) posted_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *media_id = NULL;
  g_autoptr(GBytes) uploaded = NULL;
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autoptr(JsonArray) media = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  g_autoptr(WcMastodonPosted) posted = NULL;
  g_autofree char *media_json = NULL;
  const char *media_ids[2] = { NULL, NULL };
  WcMastodonPost p = { 0 };
  guint temps = count_upload_temps ();
  JsonObject *status;
  JsonArray *attachments;
  gsize length;
  const char *bytes;

  /* Processing takes a while: 202, then 206 twice, then 200. */
  wc_mastodon_server_set_media_processing (f->server, 2, 0);
  wc_mastodon_upload_media_async (f->mastodon, path, "An X-ray of a knee", NULL, store_result, &result);
  media_id = wc_mastodon_upload_media_finish (f->mastodon, await (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (media_id);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/media/"), ==, 3);

  /* No metadata reached the server, and the stripped copy is gone. */
  uploaded = wc_mastodon_server_dup_media_bytes (f->server, media_id);
  g_assert_nonnull (uploaded);
  bytes = g_bytes_get_data (uploaded, &length);
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpuint ((guchar) bytes[0], ==, 0xff);
  g_assert_cmpuint ((guchar) bytes[1], ==, 0xd8);
  g_assert_false (has_bytes (bytes, length, "Exif"));
  g_assert_false (has_bytes (bytes, length, "GPS"));
  g_assert_true (g_file_set_contents (check_path, bytes, length, NULL));
  metadata = gexiv2_metadata_new ();
  g_assert_true (gexiv2_metadata_open_path (metadata, check_path, NULL));
  g_assert_false (gexiv2_metadata_try_has_tag (metadata, "Exif.GPSInfo.GPSLatitude", NULL));
  g_assert_cmpuint (count_upload_temps (), ==, temps);

  media = wc_mastodon_server_dup_media (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (media), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (media, 0), "description"),
                   ==, "An X-ray of a knee");
  /* The file name could name a patient: never sent. */
  media_json = json_to_string (json_array_get_element (media, 0), FALSE);
  g_assert_null (strstr (media_json, "smith"));

  /* Attached to a post. */
  media_ids[0] = media_id;
  p.text = "Look at this";
  p.visibility = "unlisted";
  p.media_ids = media_ids;
  wc_mastodon_post_status_async (f->mastodon, &p, "media-post-1", NULL, store_result, &posted_result);
  posted = wc_mastodon_post_status_finish (f->mastodon, await (&posted_result), &error);
  g_assert_no_error (error);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  status = json_array_get_object_element (statuses, 0);
  attachments = json_object_get_array_member (status, "media_attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0), "id"),
                   ==, media_id);

  g_unlink (path);
  g_unlink (check_path);
  g_rmdir (dir);
}

static void
test_media_not_an_image (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wc-media-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.jpg", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *media_id = NULL;

  g_assert_true (g_file_set_contents (path, "Mr Smith, born 1950", -1, NULL));
  wc_mastodon_upload_media_async (f->mastodon, path, NULL, NULL, store_result, &result);
  media_id = wc_mastodon_upload_media_finish (f->mastodon, await (&result), &error);
  g_assert_null (media_id);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v2/media"), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_every_visibility (Fixture       *f,
                       gconstpointer  data)
{
  const char *visibilities[] = { "public", "unlisted", "private", "direct" };
  g_autoptr(JsonArray) statuses = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (visibilities); i++)
    {
      g_autofree char *key = g_strdup_printf ("visibility-%u", i);
      g_autoptr(GError) error = NULL;
      g_autoptr(WcMastodonPosted) posted = post (f->mastodon, "Hello", visibilities[i], key, NULL, &error);

      g_assert_no_error (error);
      g_assert_false (posted->scheduled);
      g_assert_nonnull (posted->url);
    }
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (visibilities); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statuses, i), "visibility"),
                     ==, visibilities[i]);
}

/* --- Exactly once ------------------------------------------------------- */

typedef struct
{
  WcMastodonFault fault;
  guint           parameter;
  gboolean        stored;     /* the fault lets the server store the status */
} FaultCase;

static void
check_exactly_once (Fixture         *f,
                    WcMastodon      *client,
                    const FaultCase *c,
                    const char      *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) first = NULL;
  g_autoptr(WcMastodonPosted) again = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  guint before = count_array (wc_mastodon_server_dup_statuses (f->server, "alice"));

  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", c->fault, 1, c->parameter);
  first = post (client, "Only once, please", "public", key, NULL, &error);
  g_assert_null (first);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  g_assert_true (wc_network_error_is_transient (error));
  g_assert_null (strstr (error->message, f->token));
  if (c->fault == WC_MASTODON_FAULT_STATUS_429)
    g_assert_cmpint (wc_network_error_get_retry_after (error), ==, c->parameter);
  g_assert_cmpuint (count_array (wc_mastodon_server_dup_statuses (f->server, "alice")), ==,
                    before + (c->stored ? 1 : 0));
  g_clear_error (&error);

  /* The retry, with the same key. */
  again = post (client, "Only once, please", "public", key, NULL, &error);
  g_assert_no_error (error);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, before + 1);
  g_assert_cmpstr (again->id, ==,
                   json_object_get_string_member (json_array_get_object_element (statuses, before), "id"));
}

static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  const FaultCase cases[] = {
    { WC_MASTODON_FAULT_DROP_AFTER_STORE, 0, TRUE },
    { WC_MASTODON_FAULT_STATUS_429, 7, FALSE },
    { WC_MASTODON_FAULT_STATUS_500, 0, FALSE },
    { WC_MASTODON_FAULT_STATUS_503, 0, FALSE },
    { WC_MASTODON_FAULT_MALFORMED_JSON, 0, TRUE },
    { WC_MASTODON_FAULT_WRONG_CONTENT_TYPE, 0, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("exactly-once-%u", i);

      g_test_message ("fault %d", cases[i].fault);
      check_exactly_once (f, f->mastodon, &cases[i], key);
    }
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(WcMastodon) client = new_client (f, impatient, f->token);
  const FaultCase c = { WC_MASTODON_FAULT_TIMEOUT, 0, FALSE };

  check_exactly_once (f, client, &c, "timeout-1");
}

/* --- Scheduling on the server ------------------------------------------- */

static GDateTime *
server_time (Fixture *f,
             gint64   seconds_from_now)
{
  return g_date_time_new_from_unix_utc (wc_mastodon_server_get_now (f->server) + seconds_from_now);
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) in_ten = server_time (f, 600);
  g_autoptr(GDateTime) in_twenty = server_time (f, 1200);
  g_autoptr(GDateTime) in_one = server_time (f, 60);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) scheduled = NULL;
  g_autoptr(WcMastodonPosted) moved = NULL;
  g_autoptr(WcMastodonPosted) too_soon = NULL;
  g_autoptr(WcMastodonPosted) later = NULL;
  g_autoptr(GAsyncResult) moved_result = NULL;
  g_autoptr(GAsyncResult) soon_result = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(JsonArray) statuses = NULL;

  scheduled = post (f->mastodon, "Tomorrow's talk", "public", "schedule-1", in_ten, &error);
  g_assert_no_error (error);
  g_assert_true (scheduled->scheduled);
  g_assert_null (scheduled->url);
  g_assert_cmpint (scheduled->scheduled_at, ==, g_date_time_to_unix (in_ten));
  g_assert_cmpuint (count_array (wc_mastodon_server_dup_scheduled_statuses (f->server, "alice")), ==, 1);
  g_assert_cmpuint (count_array (wc_mastodon_server_dup_statuses (f->server, "alice")), ==, 0);

  wc_mastodon_reschedule_async (f->mastodon, scheduled->id, in_twenty, NULL, store_result, &moved_result);
  moved = wc_mastodon_reschedule_finish (f->mastodon, await (&moved_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (moved->id, ==, scheduled->id);
  g_assert_cmpint (moved->scheduled_at, ==, g_date_time_to_unix (in_twenty));

  /* Less than five minutes ahead: refused with a sentence to act on. */
  wc_mastodon_reschedule_async (f->mastodon, scheduled->id, in_one, NULL, store_result, &soon_result);
  too_soon = wc_mastodon_reschedule_finish (f->mastodon, await (&soon_result), &error);
  g_assert_null (too_soon);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "5 minutes"));
  g_clear_error (&error);

  wc_mastodon_cancel_scheduled_async (f->mastodon, scheduled->id, NULL, store_result, &cancelled);
  g_assert_true (wc_mastodon_cancel_scheduled_finish (f->mastodon, await (&cancelled), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_array (wc_mastodon_server_dup_scheduled_statuses (f->server, "alice")), ==, 0);

  wc_mastodon_cancel_scheduled_async (f->mastodon, scheduled->id, NULL, store_result, &missing);
  g_assert_false (wc_mastodon_cancel_scheduled_finish (f->mastodon, await (&missing), &error));
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* It appears when its time comes, with the computer off. */
  later = post (f->mastodon, "Published by the server", "unlisted", "schedule-2", in_ten, &error);
  g_assert_no_error (error);
  g_assert_true (later->scheduled);
  wc_mastodon_server_advance (f->server, 601);
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statuses, 0), "visibility"),
                   ==, "unlisted");
  g_assert_cmpuint (count_array (wc_mastodon_server_dup_scheduled_statuses (f->server, "alice")), ==, 0);
}

static void
test_schedule_daily_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) refused = NULL;
  g_autoptr(GDateTime) last = server_time (f, 2 * 3600 + 30 * 60);
  g_autoptr(WcMastodonPosted) next_day = NULL;
  g_autoptr(GDateTime) tomorrow = server_time (f, 24 * 3600);

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GDateTime) when = server_time (f, 3600 + i * 60);
      g_autofree char *key = g_strdup_printf ("daily-%u", i);
      g_autoptr(WcMastodonPosted) posted = post (f->mastodon, "Scheduled", "public", key, when, &error);

      g_assert_no_error (error);
      g_assert_true (posted->scheduled);
    }

  refused = post (f->mastodon, "One too many", "public", "daily-25", last, &error);
  g_assert_null (refused);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_false (wc_network_error_is_transient (error));
  g_assert_nonnull (strstr (error->message, "25 scheduled posts a day"));
  g_assert_null (strstr (error->message, "over_daily_limit"));
  g_clear_error (&error);

  /* Another day has room. */
  next_day = post (f->mastodon, "Tomorrow", "public", "daily-26", tomorrow, &error);
  g_assert_no_error (error);
  g_assert_true (next_day->scheduled);
}

static void
test_schedule_messages (void)
{
  /* Mastodon's own English sentences map to the same messages. */
  const char *daily = "{\"error\":\"Validation failed: You have exceeded the limit of 25 scheduled posts for today\"}";
  const char *total = "{\"error\":\"Validation failed: You have exceeded the limit of 300 scheduled posts\"}";
  const char *keyed = "{\"error\":\"over_total_limit\"}";
  const char *past = "{\"error\":\"Validation failed: Scheduled at The scheduled date must be in the future\"}";
  g_autoptr(GError) e1 = wc_mastodon_error_from_response (422, NULL, daily, strlen (daily));
  g_autoptr(GError) e2 = wc_mastodon_error_from_response (422, NULL, total, strlen (total));
  g_autoptr(GError) e3 = wc_mastodon_error_from_response (422, NULL, keyed, strlen (keyed));
  g_autoptr(GError) e4 = wc_mastodon_error_from_response (422, NULL, past, strlen (past));

  g_assert_error (e1, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_nonnull (strstr (e1->message, "25 scheduled posts a day"));
  g_assert_nonnull (strstr (e2->message, "300 scheduled posts for an account"));
  g_assert_nonnull (strstr (e3->message, "300 scheduled posts for an account"));
  g_assert_nonnull (strstr (e4->message, "5 minutes"));
}

/* --- Followers ---------------------------------------------------------- */

static WcHasher *
test_hasher (void)
{
  guint8 key[WC_HASHER_KEY_SIZE];

  for (guint i = 0; i < sizeof key; i++)
    key[i] = i * 7 + 3;
  return wc_hasher_new (key, sizeof key);
}

typedef struct
{
  guint         pages;
  guint         cancel_after;   /* 0: never */
  GCancellable *cancellable;
  char         *cursor;
  guint         followers_at_cursor;
} Progress;

static void
on_progress (WcFollowerSnapshot *snapshot,
             const char         *next_cursor,
             gpointer            user_data)
{
  Progress *progress = user_data;

  progress->pages++;
  g_free (progress->cursor);
  progress->cursor = g_strdup (next_cursor);
  wc_follower_snapshot_get_followers (snapshot, &progress->followers_at_cursor);
  if (progress->cancel_after != 0 && progress->pages == progress->cancel_after)
    g_cancellable_cancel (progress->cancellable);
}

static WcFollowerSnapshot *
fetch_followers (WcMastodon          *mastodon,
                 WcHasher            *hasher,
                 WcFollowerSnapshot  *snapshot,
                 const char          *cursor,
                 Progress            *progress,
                 char               **note,
                 GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_mastodon_fetch_followers_async (mastodon, hasher, snapshot, cursor, on_progress, progress,
                                     progress->cancellable, store_result, &result);
  return wc_mastodon_fetch_followers_finish (mastodon, await (&result), note, error);
}

static void
assert_followers_once (WcFollowerSnapshot *snapshot,
                       guint               expected,
                       const char         *local_ref)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const WcFollower *followers;
  guint n;

  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  g_assert_cmpuint (n, ==, expected);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (strchr (followers[i].ref, '@'));
      g_assert_nonnull (followers[i].hash);
      g_assert_true (g_hash_table_add (seen, (gpointer) followers[i].ref));
    }
  g_assert_true (g_hash_table_contains (seen, local_ref));
}

static void
test_followers_paging (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcHasher) hasher = test_hasher ();
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *bob = g_strdup_printf ("bob@%s", f->domain);
  g_autofree char *followers_path = NULL;
  Progress progress = { 0 };

  wc_mastodon_server_follow (f->server, "bob", "alice");
  wc_mastodon_server_add_followers (f->server, "alice", 250);

  snapshot = fetch_followers (f->mastodon, hasher, NULL, NULL, &progress, &note, &error);
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_cmpuint (progress.pages, ==, 4);   /* 80 + 80 + 80 + 11 */
  g_assert_null (progress.cursor);
  g_assert_true (wc_follower_snapshot_get_complete (snapshot));
  g_assert_false (wc_follower_snapshot_get_hidden (snapshot));
  g_assert_cmpint (wc_follower_snapshot_get_followers_count (snapshot), ==, 251);
  assert_followers_once (snapshot, 251, bob);
  followers_path = g_strdup_printf ("/api/v1/accounts/%s/followers", f->alice_id);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", followers_path), ==, 4);
}

static void
test_followers_resume (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcHasher) hasher = test_hasher ();
  g_autoptr(WcFollowerSnapshot) partial = NULL;
  g_autoptr(WcFollowerSnapshot) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *bob = g_strdup_printf ("bob@%s", f->domain);
  g_autofree char *cursor = NULL;
  Progress first = { .cancel_after = 2, .cancellable = cancellable };
  Progress second = { 0 };
  WcFollowerSnapshot *kept;
  guint n;

  wc_mastodon_server_add_followers (f->server, "alice", 200);
  wc_mastodon_server_follow (f->server, "bob", "alice");

  /* Stopped after two pages, as a quit would. The caller keeps its
   * snapshot (the one it passed in) and the last cursor. */
  kept = wc_follower_snapshot_new (-1, 1);
  partial = fetch_followers (f->mastodon, hasher, kept, NULL, &first, NULL, &error);
  g_assert_null (partial);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_nonnull (first.cursor);
  g_assert_true (g_str_has_prefix (first.cursor, f->base));
  wc_follower_snapshot_get_followers (kept, &n);
  g_assert_cmpuint (n, ==, 160);
  g_assert_cmpuint (first.followers_at_cursor, ==, 160);
  g_assert_false (wc_follower_snapshot_get_complete (kept));

  /* A new follower meanwhile does not disturb the pages still to read. */
  cursor = g_strdup (first.cursor);
  resumed = fetch_followers (f->mastodon, hasher, kept, cursor, &second, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (resumed == kept);
  g_assert_true (wc_follower_snapshot_get_complete (resumed));
  assert_followers_once (resumed, 201, bob);
  wc_follower_snapshot_unref (kept);

  g_free (first.cursor);
  g_free (second.cursor);
}

typedef struct
{
  Progress          progress;
  WcMastodonServer *server;
  char             *path;
} Throttle;

/* After the first page the server starts refusing, as Mastodon's paging
 * limit (300 per 15 minutes) does on a large account. */
static void
on_progress_throttle (WcFollowerSnapshot *snapshot,
                      const char         *next_cursor,
                      gpointer            user_data)
{
  Throttle *throttle = user_data;

  on_progress (snapshot, next_cursor, &throttle->progress);
  if (throttle->progress.pages == 1)
    wc_mastodon_server_add_fault_full (throttle->server, "GET", throttle->path,
                                       WC_MASTODON_FAULT_STATUS_429, 1, 90);
}

static void
test_followers_rate_limited (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WcHasher) hasher = test_hasher ();
  g_autoptr(WcFollowerSnapshot) kept = wc_follower_snapshot_new (-1, 1);
  g_autoptr(WcFollowerSnapshot) failed = NULL;
  g_autoptr(WcFollowerSnapshot) resumed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob = g_strdup_printf ("bob@%s", f->domain);
  Throttle throttle = { .server = f->server };
  Progress later = { 0 };
  guint n;

  wc_mastodon_server_follow (f->server, "bob", "alice");
  wc_mastodon_server_add_followers (f->server, "alice", 199);
  throttle.path = g_strdup_printf ("/api/v1/accounts/%s/followers", f->alice_id);

  wc_mastodon_fetch_followers_async (f->mastodon, hasher, kept, NULL, on_progress_throttle, &throttle,
                                     NULL, store_result, &result);
  failed = wc_mastodon_fetch_followers_finish (f->mastodon, await (&result), NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  g_assert_cmpint (wc_network_error_get_retry_after (error), ==, 90);
  g_clear_error (&error);
  wc_follower_snapshot_get_followers (kept, &n);
  g_assert_cmpuint (n, ==, 80);

  /* Later, from the stored cursor. */
  resumed = fetch_followers (f->mastodon, hasher, kept, throttle.progress.cursor, &later, NULL, &error);
  g_assert_no_error (error);
  assert_followers_once (resumed, 200, bob);

  g_free (throttle.path);
  g_free (throttle.progress.cursor);
  g_free (later.cursor);
}

static void
test_followers_refuses_foreign_cursor (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_snapshot_new (-1, 1);
  g_autoptr(WcFollowerSnapshot) none = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };

  none = fetch_followers (f->mastodon, NULL, snapshot, "https://elsewhere.example/api/v1/accounts/1/followers",
                          &progress, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE);
}

/* A server that hides the followers list even from its owner, and one
 * whose Link header points to another host. */
static void
hiding_server_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *mode = user_data;
  const char *body;

  if (g_str_equal (path, "/api/v1/accounts/verify_credentials"))
    body = "{\"id\":\"7\",\"username\":\"anna\",\"acct\":\"anna\",\"locked\":true,"
           "\"hide_collections\":true,\"followers_count\":12,\"following_count\":3}";
  else if (g_str_equal (mode, "hidden"))
    body = "[]";
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link",
                                    "<https://evil.example/api/v1/accounts/7/followers?max_id=1>; rel=\"next\"");
      body = "[{\"id\":\"1\",\"acct\":\"x@y.example\",\"display_name\":\"X\"}]";
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
run_hiding_server (const char  *mode,
                   char       **note,
                   GError     **error,
                   WcFollowerSnapshot **snapshot)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSList) uris = NULL;
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autoptr(WcMastodon) mastodon = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = NULL;
  Progress progress = { 0 };

  soup_server_add_handler (server, NULL, hiding_server_cb, (gpointer) mode, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  wc_account_set_server (account, base);
  mastodon = wc_mastodon_new (account, session);
  wc_mastodon_set_access_token (mastodon, DISTINCTIVE_TOKEN);
  *snapshot = fetch_followers (mastodon, NULL, NULL, NULL, &progress, note, error);
  soup_server_disconnect (server);
}

static void
test_followers_hidden (void)
{
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(WcFollowerSnapshot) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  run_hiding_server ("hidden", &note, &error, &snapshot);
  g_assert_no_error (error);
  g_assert_true (wc_follower_snapshot_get_hidden (snapshot));
  g_assert_false (wc_follower_snapshot_get_complete (snapshot));
  g_assert_cmpint (wc_follower_snapshot_get_followers_count (snapshot), ==, 12);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "hides this list"));

  /* The token is never sent to the host of a foreign Link. */
  run_hiding_server ("foreign-link", NULL, &error, &none);
  g_assert_null (none);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE);
}

/* --- Follow requests ---------------------------------------------------- */

static WcMastodonRelationship *
decide (WcMastodon *mastodon,
        void      (*func) (WcMastodon *, const char *, GCancellable *, GAsyncReadyCallback, gpointer),
        const char *id,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  func (mastodon, id, NULL, store_result, &result);
  return wc_mastodon_relationship_finish (mastodon, await (&result), error);
}

static void
test_follow_request_decisions (Fixture       *f,
                               gconstpointer  data)
{
  const char * const fields[] = { "Clinic", "https://clinic.example", NULL };
  WcMastodonUser carol = { .username = "carol", .locked = TRUE };
  WcMastodonUser dave = { .username = "dave", .display_name = "Dr Dave", .note = "GP", .fields = fields };
  g_autofree char *carol_id = wc_mastodon_server_add_user_full (f->server, &carol);
  g_autofree char *dave_id = wc_mastodon_server_add_user_full (f->server, &dave);
  g_autofree char *carol_token = wc_mastodon_server_create_token (f->server, "carol", WC_MASTODON_SCOPES);
  g_autoptr(WcMastodon) client = new_client (f, f->session, carol_token);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_mastodon_account_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonRelationship) authorized = NULL;
  g_autoptr(WcMastodonRelationship) rejected = NULL;
  g_autoptr(WcMastodonRelationship) removed = NULL;
  g_autoptr(WcMastodonRelationship) unknown = NULL;
  g_autoptr(GAsyncResult) relationships_result = NULL;
  g_autoptr(GPtrArray) relationships = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *dave_acct = g_strdup_printf ("dave@%s", f->domain);
  WcMastodonAccount *from_dave = NULL;
  WcMastodonAccount *other = NULL;
  const char *ids[3] = { NULL, NULL, NULL };
  guint pages = 0;

  wc_mastodon_server_follow (f->server, "dave", "carol");
  wc_mastodon_server_add_follow_requests (f->server, "carol", 100);

  /* Every request once, through the Link header, 80 a page. */
  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *next = NULL;

      wc_mastodon_list_follow_requests_async (client, cursor, NULL, store_result, &result);
      page = wc_mastodon_list_follow_requests_finish (client, await (&result), &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 80);
      pages++;
      while (page->len > 0)
        g_ptr_array_add (all, g_ptr_array_steal_index (page, 0));
      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL && pages < 10);
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (all->len, ==, 101);

  for (guint i = 0; i < all->len; i++)
    {
      WcMastodonAccount *account = g_ptr_array_index (all, i);

      g_assert_nonnull (strchr (account->acct, '@'));
      if (g_str_equal (account->id, dave_id))
        from_dave = account;
      else if (other == NULL)
        other = account;
    }
  g_assert_nonnull (from_dave);
  g_assert_cmpstr (from_dave->acct, ==, dave_acct);
  g_assert_cmpstr (from_dave->display_name, ==, "Dr Dave");
  g_assert_nonnull (strstr (from_dave->note, "GP"));
  g_assert_cmpuint (from_dave->fields->len, ==, 1);
  g_assert_cmpstr (((WcMastodonField *) g_ptr_array_index (from_dave->fields, 0))->name, ==, "Clinic");

  ids[0] = from_dave->id;
  ids[1] = other->id;
  wc_mastodon_get_relationships_async (client, ids, NULL, store_result, &relationships_result);
  relationships = wc_mastodon_get_relationships_finish (client, await (&relationships_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relationships->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      WcMastodonRelationship *relationship = g_ptr_array_index (relationships, i);

      g_assert_true (relationship->requested_by);
      g_assert_false (relationship->followed_by);
    }

  authorized = decide (client, wc_mastodon_authorize_follow_request_async, from_dave->id, &error);
  g_assert_no_error (error);
  g_assert_true (authorized->followed_by);
  g_assert_false (authorized->requested_by);
  rejected = decide (client, wc_mastodon_reject_follow_request_async, other->id, &error);
  g_assert_no_error (error);
  g_assert_false (rejected->followed_by);
  g_assert_false (rejected->requested_by);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "carol"), ==, 99);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "carol"), ==, 1);

  /* A request that is no longer there. */
  unknown = decide (client, wc_mastodon_reject_follow_request_async, other->id, &error);
  g_assert_null (unknown);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  removed = decide (client, wc_mastodon_remove_from_followers_async, from_dave->id, &error);
  g_assert_no_error (error);
  g_assert_false (removed->followed_by);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "carol"), ==, 0);
}

/* --- Settings ----------------------------------------------------------- */

static WcMastodonProfile *
update_settings (WcMastodon               *mastodon,
                 const WcMastodonSettings *settings,
                 GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_mastodon_update_settings_async (mastodon, settings, NULL, store_result, &result);
  return wc_mastodon_update_settings_finish (mastodon, await (&result), error);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  WcMastodonSettings settings = WC_MASTODON_SETTINGS_INIT;
  WcMastodonSettings unlock = WC_MASTODON_SETTINGS_INIT;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(WcMastodonProfile) unlocked = NULL;
  g_autoptr(WcMastodonProfile) read_back = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;

  settings.locked = WC_TRISTATE_YES;
  settings.discoverable = WC_TRISTATE_NO;
  settings.indexable = WC_TRISTATE_YES;
  settings.hide_collections = WC_TRISTATE_YES;
  settings.privacy = "private";
  settings.sensitive = WC_TRISTATE_YES;
  profile = update_settings (f->mastodon, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (profile->state->locked, ==, WC_TRISTATE_YES);
  g_assert_cmpint (profile->state->discoverable, ==, WC_TRISTATE_NO);
  g_assert_cmpint (profile->state->indexable, ==, WC_TRISTATE_YES);
  g_assert_cmpint (profile->state->hide_collections, ==, WC_TRISTATE_YES);
  g_assert_cmpstr (profile->state->default_visibility, ==, "private");
  g_assert_cmpint (profile->sensitive, ==, WC_TRISTATE_YES);

  /* In the server's own state. */
  account = wc_mastodon_server_dup_account (f->server, "alice");
  g_assert_true (json_object_get_boolean_member (account, "locked"));
  g_assert_false (json_object_get_boolean_member (account, "discoverable"));
  g_assert_true (json_object_get_boolean_member (account, "hide_collections"));
  read_back = verify (f->mastodon, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read_back->state->locked, ==, WC_TRISTATE_YES);
  g_assert_cmpstr (read_back->state->default_visibility, ==, "private");

  /* Unlocking accepts every pending request: why the UI warns first. */
  wc_mastodon_server_add_follow_requests (f->server, "alice", 5);
  unlock.locked = WC_TRISTATE_NO;
  unlocked = update_settings (f->mastodon, &unlock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (unlocked->state->locked, ==, WC_TRISTATE_NO);
  /* Untouched settings stay. */
  g_assert_cmpint (unlocked->state->hide_collections, ==, WC_TRISTATE_YES);
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "alice"), ==, 0);
  g_assert_cmpuint (wc_mastodon_server_get_follower_count (f->server, "alice"), ==, 5);
}

static WcMastodonProfile *
update_profile (WcMastodon                    *mastodon,
                const WcMastodonProfileUpdate *update,
                GError                       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_mastodon_update_profile_async (mastodon, update, NULL, store_result, &result);
  return wc_mastodon_update_profile_finish (mastodon, await (&result), error);
}

static WcMastodonField *
field_at (GPtrArray *fields,
          guint      i)
{
  g_assert_nonnull (fields);
  g_assert_cmpuint (i, <, fields->len);
  return g_ptr_array_index (fields, i);
}

/* The bio and the fields through update_credentials and back. */
static void
test_profile_texts (Fixture       *f,
                    gconstpointer  data)
{
  const char * const four[] = { "Web", "https://alice.example/", "Clinic", "Ward 3 & 4",
                                "Pronouns", "she/her", "Mastodon", "@bob@other.example", NULL };
  const char * const five[] = { "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", NULL };
  const char * const one[] = { "Clinic", "Ward 3 & 4", NULL };
  WcMastodonProfileUpdate update = { TRUE, four, "GP in Leiden.\nSee https://alice.example/about & more" };
  WcMastodonProfileUpdate too_many = { TRUE, five, NULL };
  WcMastodonProfileUpdate keep_fields = { FALSE, NULL, "Only the bio" };
  WcMastodonProfileUpdate fewer = { TRUE, one, NULL };
  WcMastodonProfileUpdate none = { TRUE, NULL, NULL };
  g_autoptr(WcMastodonProfile) written = NULL;
  g_autoptr(WcMastodonProfile) read_back = NULL;
  g_autoptr(WcMastodonProfile) refused = NULL;
  g_autoptr(WcMastodonProfile) bio_only = NULL;
  g_autoptr(WcMastodonProfile) one_left = NULL;
  g_autoptr(WcMastodonProfile) cleared = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(GError) error = NULL;

  written = update_profile (f->mastodon, &update, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written->note, ==, update.note);
  g_assert_true (written->note_is_source);

  read_back = verify (f->mastodon, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_back->note, ==, "GP in Leiden.\nSee https://alice.example/about & more");
  /* The rendered bio: a link, the ampersand escaped. */
  g_assert_nonnull (strstr (read_back->note_html, "href=\"https://alice.example/about\""));
  g_assert_nonnull (strstr (read_back->note_html, "&amp; more"));
  g_assert_cmpuint (read_back->fields->len, ==, 4);
  g_assert_cmpuint (read_back->source_fields->len, ==, 4);
  g_assert_cmpstr (field_at (read_back->fields, 0)->name, ==, "Web");
  /* fields: rendered HTML with rel="me"; source[fields]: as written. */
  g_assert_nonnull (strstr (field_at (read_back->fields, 0)->value, "rel=\"nofollow noopener me\""));
  g_assert_cmpstr (field_at (read_back->source_fields, 0)->value, ==, "https://alice.example/");
  g_assert_cmpstr (field_at (read_back->fields, 1)->value, ==, "Ward 3 &amp; 4");
  g_assert_cmpstr (field_at (read_back->source_fields, 1)->value, ==, "Ward 3 & 4");
  g_assert_cmpstr (field_at (read_back->source_fields, 3)->value, ==, "@bob@other.example");

  /* In the server's own state. */
  account = wc_mastodon_server_dup_account (f->server, "alice");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (account, "source"), "note"), ==,
                   update.note);

  /* At most four fields: the server refuses, nothing changes. */
  refused = update_profile (f->mastodon, &too_many, &error);
  g_assert_null (refused);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_clear_error (&error);

  /* The bio alone leaves the fields. */
  bio_only = update_profile (f->mastodon, &keep_fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bio_only->note, ==, "Only the bio");
  g_assert_cmpuint (bio_only->source_fields->len, ==, 4);

  /* Fields replace all fields; none removes them all. */
  one_left = update_profile (f->mastodon, &fewer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one_left->source_fields->len, ==, 1);
  g_assert_cmpstr (field_at (one_left->source_fields, 0)->name, ==, "Clinic");
  g_assert_cmpstr (one_left->note, ==, "Only the bio");
  cleared = update_profile (f->mastodon, &none, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cleared->fields->len, ==, 0);
  g_assert_cmpuint (cleared->source_fields->len, ==, 0);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "PATCH", "/api/v1/accounts/update_credentials"),
                    ==, 5);
}

/* --- Errors ------------------------------------------------------------- */

static void
assert_no_token (const GError *error,
                 const char   *token)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, token));
}

static void
test_error_classes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *read_only = wc_mastodon_server_create_token (f->server, "alice", "read");
  g_autoptr(WcMastodon) reader = new_client (f, f->session, read_only);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) forbidden = NULL;
  g_autoptr(WcMastodonPosted) blank = NULL;
  g_autoptr(WcMastodonPosted) unreachable = NULL;
  g_autoptr(WcAccount) nowhere = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autoptr(WcMastodon) lost = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *closed_url = NULL;

  /* 403: the token lacks the scope. */
  forbidden = post (reader, "Hello", "public", "errors-1", NULL, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "outside the authorized scopes"));
  assert_no_token (error, read_only);
  g_clear_error (&error);

  /* 422 with the server's words. */
  blank = post (f->mastodon, "", "public", "errors-2", NULL, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Text can't be blank"));
  g_clear_error (&error);

  /* Nobody listening: retry later. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  wc_account_set_server (nowhere, closed_url);
  lost = wc_mastodon_new (nowhere, f->session);
  wc_mastodon_set_access_token (lost, DISTINCTIVE_TOKEN);
  unreachable = post (lost, "Hello", "public", "errors-3", NULL, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  /* 401 is covered by the revocation tests; 404 by the scheduling test. */
}

static void
test_no_token_anywhere (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WcMastodon) client = new_client (f, f->session, DISTINCTIVE_TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;
  g_autoptr(WcMastodonPosted) posted = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(GAsyncResult) requests_result = NULL;
  g_autoptr(GAsyncResult) settings_result = NULL;
  g_autoptr(GAsyncResult) revoke_result = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(WcMastodonProfile) settings_profile = NULL;
  WcMastodonSettings settings = WC_MASTODON_SETTINGS_INIT;
  WcMastodonApp app = { (char *) "no-such-client", (char *) "no-such-secret" };
  Progress progress = { 0 };

  g_mutex_lock (&log_lock);
  g_string_truncate (captured_log, 0);
  g_mutex_unlock (&log_lock);

  profile = verify (client, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  posted = post (client, "Hello", "public", "leak-1", NULL, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  snapshot = fetch_followers (client, NULL, NULL, NULL, &progress, NULL, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  wc_mastodon_list_follow_requests_async (client, NULL, NULL, store_result, &requests_result);
  requests = wc_mastodon_list_follow_requests_finish (client, await (&requests_result), NULL, &error);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  settings.locked = WC_TRISTATE_YES;
  wc_mastodon_update_settings_async (client, &settings, NULL, store_result, &settings_result);
  settings_profile = wc_mastodon_update_settings_finish (client, await (&settings_result), &error);
  assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  /* Revoking with an unknown client fails: the message names no token. */
  wc_mastodon_revoke_async (f->session, f->base, &app, DISTINCTIVE_TOKEN, NULL, store_result, &revoke_result);
  g_assert_true (wc_mastodon_revoke_finish (await (&revoke_result), &error) || error != NULL);
  if (error != NULL)
    assert_no_token (error, DISTINCTIVE_TOKEN);
  g_clear_error (&error);

  /* Under the server's faults too. */
  wc_mastodon_server_add_fault (f->server, "GET", "/api/v1/accounts/verify_credentials",
                                WC_MASTODON_FAULT_STATUS_500, 1);
  g_clear_pointer (&profile, wc_mastodon_profile_free);
  profile = verify (client, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
  assert_no_token (error, DISTINCTIVE_TOKEN);

  /* Whitecoat's own log lines (every level, as under G_MESSAGES_DEBUG=all). */
  g_mutex_lock (&log_lock);
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_null (strstr (captured_log->str, DISTINCTIVE_TOKEN));
  g_mutex_unlock (&log_lock);
}

/* --- Main --------------------------------------------------------------- */

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (domain != NULL && message != NULL && g_str_has_prefix (domain, "whitecoat")
      && !g_str_equal (domain, "whitecoat-mastodon-server"))
    {
      g_mutex_lock (&log_lock);
      g_string_append_printf (captured_log, "%s: %s\n", domain, message);
      g_mutex_unlock (&log_lock);
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
probe_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  wc_keyring_store_async (-2, "probe", "probe", "probe", NULL, store_result, &stored);
  if (!wc_keyring_store_finish (await (&stored), &error))
    {
      g_printerr ("# keyring probe failed: %s\n", error->message);
      return FALSE;
    }
  wc_keyring_clear_async (-2, "probe", NULL, store_result, &cleared);
  return wc_keyring_clear_finish (await (&cleared), NULL);
}

#define ADD(path, func) \
  g_test_add ("/mastodon/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mastodon/sign-in/server-input", test_server_input);
  ADD ("sign-in/loopback", test_sign_in_loopback);
  ADD ("sign-in/login-form", test_sign_in_login_form);
  ADD ("sign-in/cancelled", test_sign_in_cancelled);
  ADD ("sign-in/out-of-band", test_sign_in_oob);
  ADD ("sign-in/pasted-token", test_sign_in_token);
  ADD ("sign-out/revokes", test_sign_out_revokes);
  ADD ("sign-out/keyring", test_sign_out_keyring);
  ADD ("media/upload-without-metadata", test_media_upload);
  ADD ("media/not-an-image", test_media_not_an_image);
  ADD ("publish/every-visibility", test_every_visibility);
  ADD ("publish/exactly-once", test_exactly_once);
  ADD ("publish/timeout", test_timeout);
  ADD ("schedule/round-trip", test_schedule);
  ADD ("schedule/daily-limit", test_schedule_daily_limit);
  g_test_add_func ("/mastodon/schedule/messages", test_schedule_messages);
  ADD ("followers/paging", test_followers_paging);
  ADD ("followers/resume", test_followers_resume);
  ADD ("followers/rate-limited", test_followers_rate_limited);
  ADD ("followers/foreign-cursor", test_followers_refuses_foreign_cursor);
  g_test_add_func ("/mastodon/followers/hidden", test_followers_hidden);
  ADD ("follow-requests/decisions", test_follow_request_decisions);
  ADD ("settings/round-trip", test_settings);
  ADD ("profile/note-and-fields", test_profile_texts);
  ADD ("errors/classes", test_error_classes);
  ADD ("errors/no-token-anywhere", test_no_token_anywhere);

  if (!g_test_subprocess ())
    have_keyring = probe_keyring ();

  return g_test_run ();
}
