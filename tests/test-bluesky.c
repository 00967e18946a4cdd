/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Bluesky client. Without a server: app-password shapes, record keys,
 * facet byte offsets in several scripts, link shortening, token expiry and
 * error classes. Against the reference PDS (tests/servers/bluesky, Node):
 * signing in through the handle, the DID document and the PLC directory,
 * refreshing (before and after the server says ExpiredToken), the keyring,
 * signing out; publishing with facets read back from the record; images
 * stripped and shrunk, with alt text; exactly once after a lost answer;
 * threadgates; the logged-out label; followers paging; new followers,
 * block and mute. The server tests skip when Node is missing. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-keyring.h"
#include "wc-network-registry.h"
#include "wc-test-bluesky.h"
#include "wc-text.h"

static WcTestBluesky *servers;
static char *skip_reason;
static gboolean tried_servers;
static guint account_counter;

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

static gboolean
need_servers (void)
{
  if (!tried_servers)
    {
      tried_servers = TRUE;
      servers = wc_test_bluesky_start (&skip_reason);
    }
  if (servers == NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static WcTestBlueskyAccount *
new_account (const char *prefix)
{
  g_autofree char *name = g_strdup_printf ("%s%u-%x", prefix, ++account_counter, g_random_int () & 0xffff);

  return wc_test_bluesky_create_account (servers, name);
}

/* A client signed in with the app password, through the client's own
 * sign-in. */
static WcBluesky *
signed_in_client (WcTestBlueskyAccount *who,
                  gint64                account_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskySession) session = NULL;
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
  WcBluesky *client;

  wc_bluesky_sign_in_async (servers->session, who->handle, who->app_password, servers->pds, servers->plc,
                            NULL, store_result, &result);
  session = wc_bluesky_sign_in_finish (await (&result), &error);
  g_assert_no_error (error);

  wc_account_set_handle (account, session->handle);
  wc_account_set_server (account, session->pds_url);
  wc_account_set_remote_id (account, session->did);
  if (account_id > 0)
    wc_account_set_id (account, account_id);
  client = wc_bluesky_new (account, servers->session);
  wc_bluesky_set_session (client, session);
  return client;
}

static WcBlueskyPosted *
publish (WcBluesky           *client,
         const WcBlueskyPost *post,
         const char          *rkey,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_bluesky_publish_async (client, post, rkey, NULL, store_result, &result);
  return wc_bluesky_publish_finish (client, await (&result), error);
}

static JsonNode *
get_record (WcBluesky  *client,
            const char *collection,
            const char *rkey,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_bluesky_get_record_async (client, collection, rkey, NULL, store_result, &result);
  return wc_bluesky_get_record_finish (client, await (&result), NULL, error);
}

static char *
new_rkey (void)
{
  g_autofree char *key = g_uuid_string_random ();

  return wc_bluesky_rkey_for_key (key, g_get_real_time ());
}

/* The bytes a facet covers in the record's text. */
static char *
facet_slice (JsonObject *record,
             guint       index,
             const char **type,
             const char **value)
{
  const char *text = json_object_get_string_member (record, "text");
  JsonArray *facets = json_object_get_array_member (record, "facets");
  JsonObject *facet = json_array_get_object_element (facets, index);
  JsonObject *range = json_object_get_object_member (facet, "index");
  JsonObject *feature = json_array_get_object_element (json_object_get_array_member (facet, "features"), 0);
  gint64 start = json_object_get_int_member (range, "byteStart");
  gint64 end = json_object_get_int_member (range, "byteEnd");

  g_assert_cmpint (start, >=, 0);
  g_assert_cmpint (end, <=, (gint64) strlen (text));
  g_assert_cmpint (start, <, end);
  *type = json_object_get_string_member (feature, "$type");
  *value = json_object_has_member (feature, "uri") ? json_object_get_string_member (feature, "uri")
           : json_object_has_member (feature, "did") ? json_object_get_string_member (feature, "did")
           : json_object_get_string_member (feature, "tag");
  return g_strndup (text + start, end - start);
}

static guint
count_records (const char *did,
               const char *collection)
{
  g_autofree char *query = g_strdup_printf ("repo=%s&collection=%s&limit=100", did, collection);
  guint status;
  g_autoptr(JsonNode) answer = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.listRecords", query,
                                                     NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "records"));
}

/* --- Without a server --------------------------------------------------- */

static void
test_app_password_shape (void)
{
  g_assert_true (wc_bluesky_looks_like_app_password ("abcd-ef12-3456-7xyz"));
  g_assert_false (wc_bluesky_looks_like_app_password ("hunter22"));
  g_assert_false (wc_bluesky_looks_like_app_password ("ABCD-EF12-3456-7XYZ"));
  g_assert_false (wc_bluesky_looks_like_app_password ("abcd-ef12-3456-7xyz0"));
  g_assert_false (wc_bluesky_looks_like_app_password ("abcdeef12-3456-7xyz"));
  g_assert_false (wc_bluesky_looks_like_app_password (NULL));
  g_assert_nonnull (strstr (wc_bluesky_app_password_warning (), "xxxx-xxxx-xxxx-xxxx"));
}

static void
test_record_keys (void)
{
  g_autofree char *tid = wc_bluesky_tid_new (G_GINT64_CONSTANT (1700000000000000), 7);
  g_autofree char *a1 = wc_bluesky_rkey_for_key ("entry-a", G_GINT64_CONSTANT (1700000000123456));
  g_autofree char *a2 = wc_bluesky_rkey_for_key ("entry-a", G_GINT64_CONSTANT (1700000000123456));
  g_autofree char *b = wc_bluesky_rkey_for_key ("entry-b", G_GINT64_CONSTANT (1700000000123456));
  g_autofree char *later = wc_bluesky_tid_new (G_GINT64_CONSTANT (1700000000000001), 0);

  g_assert_cmpuint (strlen (tid), ==, 13);
  g_assert_true (wc_bluesky_is_tid (tid));
  g_assert_true (wc_bluesky_is_tid (a1));
  /* The same entry always gets the same key; another entry another. */
  g_assert_cmpstr (a1, ==, a2);
  g_assert_cmpstr (a1, !=, b);
  /* TIDs sort by time as strings. */
  g_assert_cmpint (strcmp (tid, later), <, 0);
  g_assert_false (wc_bluesky_is_tid ("self"));
  g_assert_false (wc_bluesky_is_tid ("zzzzzzzzzzzzz"));
  g_assert_false (wc_bluesky_is_tid ("3jzfcijpj2z2A"));
}

typedef struct
{
  WcBlueskyFacetKind kind;
  const char        *covered;  /* the bytes of the stored text it covers */
  const char        *value;
} ExpectedFacet;

static void
check_facets (const char          *text,
              const char          *expected_stored,
              const ExpectedFacet *expected,
              guint                n_expected)
{
  g_autofree char *stored = NULL;
  g_autoptr(GPtrArray) facets = wc_bluesky_parse_facets (text, &stored);

  g_assert_cmpstr (stored, ==, expected_stored);
  g_assert_cmpuint (facets->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      WcBlueskyFacet *facet = g_ptr_array_index (facets, i);
      g_autofree char *covered = g_strndup (stored + facet->byte_start, facet->byte_end - facet->byte_start);

      g_assert_cmpint (facet->kind, ==, expected[i].kind);
      g_assert_cmpstr (covered, ==, expected[i].covered);
      g_assert_cmpstr (facet->value, ==, expected[i].value);
    }
}

static void
test_facet_offsets (void)
{
  /* Emoji with skin-tone modifiers (4 + 4 bytes each) before a mention. */
  {
    const char *text = "👩🏽‍⚕️👍🏿 thanks @dr-jansen.bsky.social for #MedEd";
    const ExpectedFacet expected[] = {
      { WC_BLUESKY_FACET_MENTION, "@dr-jansen.bsky.social", "dr-jansen.bsky.social" },
      { WC_BLUESKY_FACET_TAG, "#MedEd", "MedEd" },
    };
    g_autofree char *stored = NULL;
    g_autoptr(GPtrArray) facets = wc_bluesky_parse_facets (text, &stored);
    WcBlueskyFacet *mention;

    check_facets (text, text, expected, G_N_ELEMENTS (expected));
    /* 👩🏽‍⚕️ is 4+4+3+3+3 = 17 bytes, 👍🏿 8, then " thanks " 8: byte 33,
     * where JavaScript's UTF-16 index would be 16. */
    mention = g_ptr_array_index (facets, 0);
    g_assert_cmpuint (mention->byte_start, ==, 33);
    g_assert_cmpuint (mention->byte_end, ==, 33 + strlen ("@dr-jansen.bsky.social"));
  }
  /* CJK: three bytes a character; a tag in CJK, trailing full stop not in
   * it. */
  {
    const char *text = "今日は学会です #医学教育。 @yuki.example.jp さん";
    const ExpectedFacet expected[] = {
      { WC_BLUESKY_FACET_TAG, "#医学教育", "医学教育" },
      { WC_BLUESKY_FACET_MENTION, "@yuki.example.jp", "yuki.example.jp" },
    };

    check_facets (text, text, expected, G_N_ELEMENTS (expected));
  }
  /* Combining accents (e + U+0301) in the text and in the tag. */
  {
    const char *text = "Re\xcc\x81sume\xcc\x81 du congre\xcc\x80s #sante\xcc\x81 https://example.org/a";
    const ExpectedFacet expected[] = {
      { WC_BLUESKY_FACET_TAG, "#sante\xcc\x81", "sante\xcc\x81" },
      { WC_BLUESKY_FACET_LINK, "example.org/a", "https://example.org/a" },
    };

    check_facets (text, "Re\xcc\x81sume\xcc\x81 du congre\xcc\x80s #sante\xcc\x81 example.org/a",
                  expected, G_N_ELEMENTS (expected));
  }
  /* Not facets: digits only, an e-mail address, a handle without a dot,
   * "#" inside a word. */
  {
    g_autofree char *stored = NULL;
    g_autoptr(GPtrArray) facets = wc_bluesky_parse_facets ("#123 mail a@b.example @nodot c#sharp", &stored);

    g_assert_cmpuint (facets->len, ==, 0);
  }
}

static void
test_link_shortening (void)
{
  const char *text = "Guideline: https://www.example.org/guidelines/2026/sepsis-management?ref=whitecoat (new), "
                     "short https://ex.org/abc.";
  g_autofree char *stored = NULL;
  g_autofree char *counted = wc_text_shorten_links (text);
  g_autoptr(GPtrArray) facets = wc_bluesky_parse_facets (text, &stored);
  WcBlueskyFacet *first, *second;

  /* The stored text is what Whitecoat counts, so the counts agree. */
  g_assert_cmpstr (stored, ==, counted);
  g_assert_cmpuint (facets->len, ==, 2);
  first = g_ptr_array_index (facets, 0);
  second = g_ptr_array_index (facets, 1);
  g_assert_cmpstr (first->value, ==, "https://www.example.org/guidelines/2026/sepsis-management?ref=whitecoat");
  g_assert_cmpint (strncmp (stored + first->byte_start, "www.example.org/guidelines/2...", 31), ==, 0);
  g_assert_cmpuint (first->byte_end - first->byte_start, ==, strlen ("www.example.org/guidelines/2..."));
  g_assert_cmpstr (second->value, ==, "https://ex.org/abc");
  g_assert_cmpint (strncmp (stored + second->byte_start, "ex.org/abc", second->byte_end - second->byte_start), ==, 0);
}

static char *
fake_jwt (const char *payload)
{
  g_autofree char *body = g_base64_encode ((const guchar *) payload, strlen (payload));

  /* base64url without padding */
  g_strdelimit (body, "+", '-');
  g_strdelimit (body, "/", '_');
  for (char *p = body + strlen (body); p > body && p[-1] == '='; p--)
    p[-1] = '\0';
  return g_strconcat ("eyJhbGciOiJIUzI1NiJ9.", body, ".c2lnbmF0dXJl", NULL);
}

static void
test_jwt_expiry (void)
{
  g_autofree char *jwt = fake_jwt ("{\"scope\":\"com.atproto.appPass\",\"sub\":\"did:plc:abc\",\"exp\":1900000000}");

  g_assert_cmpint (wc_bluesky_jwt_expiry (jwt), ==, 1900000000);
  g_assert_cmpint (wc_bluesky_jwt_expiry ("not-a-jwt"), ==, 0);
  g_assert_cmpint (wc_bluesky_jwt_expiry ("a.!!!.c"), ==, 0);
  g_assert_cmpint (wc_bluesky_jwt_expiry (NULL), ==, 0);
}

static void
test_error_classes (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *reset = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC + 120);
  const char *expired = "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}";
  const char *swap = "{\"error\":\"InvalidSwap\",\"message\":\"Record was at bafy\"}";
  GError *error;

  error = wc_bluesky_error_from_response (400, NULL, expired, strlen (expired));
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_clear_error (&error);

  soup_message_headers_replace (headers, "RateLimit-Reset", reset);
  error = wc_bluesky_error_from_response (429, headers, NULL, 0);
  g_assert_true (wc_network_error_is_transient (error));
  g_assert_cmpint (wc_network_error_get_retry_after (error), >=, 110);
  g_assert_cmpint (wc_network_error_get_retry_after (error), <=, 120);
  g_clear_error (&error);

  error = wc_bluesky_error_from_response (502, NULL, NULL, 0);
  g_assert_true (wc_network_error_is_transient (error));
  g_clear_error (&error);

  error = wc_bluesky_error_from_response (400, NULL, swap, strlen (swap));
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Record was at bafy"));
  g_clear_error (&error);
}

static void
test_service_addresses (void)
{
  g_autofree char *a = wc_bluesky_normalize_service ("pds.example.org/");
  g_autofree char *b = wc_bluesky_normalize_service ("http://pds.example.org");
  g_autofree char *c = wc_bluesky_normalize_service ("http://127.0.0.1:2583");
  g_autofree char *d = wc_bluesky_normalize_service ("https://pds.example.org/xrpc");

  g_assert_cmpstr (a, ==, "https://pds.example.org");
  /* A password goes over http only to this computer. */
  g_assert_null (b);
  g_assert_cmpstr (c, ==, "http://127.0.0.1:2583");
  g_assert_null (d);
}

/* --- Against the PDS ----------------------------------------------------- */

static void
on_tokens_changed (WcBluesky *client,
                   guint     *count)
{
  (*count)++;
}

static void
test_sign_in_refresh_sign_out (void)
{
  g_autoptr(WcTestBlueskyAccount) alice = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskySession) session = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autofree char *did = NULL;
  g_autofree char *pds = NULL;
  guint changed = 0;

  if (!need_servers ())
    return;
  alice = new_account ("alice");

  /* The PDS found through the handle, the DID and the PLC directory. */
  wc_bluesky_resolve_pds_async (servers->session, alice->handle, servers->pds, servers->plc, NULL,
                                store_result, &result);
  pds = wc_bluesky_resolve_pds_finish (await (&result), &did, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pds, ==, servers->pds);
  g_assert_cmpstr (did, ==, alice->did);
  g_clear_object (&result);

  /* An unknown handle. */
  wc_bluesky_resolve_pds_async (servers->session, "nobody-here.test", servers->pds, servers->plc, NULL,
                                store_result, &result);
  g_assert_null (wc_bluesky_resolve_pds_finish (await (&result), NULL, &error));
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A wrong password. */
  wc_bluesky_sign_in_async (servers->session, alice->handle, "aaaa-bbbb-cccc-dddd", servers->pds, servers->plc,
                            NULL, store_result, &result);
  g_assert_null (wc_bluesky_sign_in_finish (await (&result), &error));
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
  g_assert_null (strstr (error->message, "aaaa-bbbb"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* The app password, with the handle; then with the e-mail address. */
  g_assert_true (wc_bluesky_looks_like_app_password (alice->app_password));
  g_assert_false (wc_bluesky_looks_like_app_password (alice->password));
  wc_bluesky_sign_in_async (servers->session, alice->handle, alice->app_password, servers->pds, servers->plc,
                            NULL, store_result, &result);
  session = wc_bluesky_sign_in_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->did, ==, alice->did);
  g_assert_cmpstr (session->handle, ==, alice->handle);
  g_assert_cmpstr (session->pds_url, ==, servers->pds);
  g_assert_nonnull (session->access_jwt);
  g_assert_nonnull (session->refresh_jwt);
  g_assert_cmpint (wc_bluesky_jwt_expiry (session->access_jwt), >, g_get_real_time () / G_USEC_PER_SEC);
  g_clear_object (&result);
  {
    g_autofree char *email = g_strdup_printf ("%.*s@example.com", (int) (strlen (alice->handle) - 5), alice->handle);
    g_autoptr(WcBlueskySession) by_mail = NULL;

    wc_bluesky_sign_in_async (servers->session, email, alice->app_password, servers->pds, NULL,
                              NULL, store_result, &result);
    by_mail = wc_bluesky_sign_in_finish (await (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (by_mail->did, ==, alice->did);
    g_assert_cmpstr (by_mail->pds_url, ==, servers->pds);
    g_clear_object (&result);
  }

  client = signed_in_client (alice, 0);
  g_signal_connect (client, "tokens-changed", G_CALLBACK (on_tokens_changed), &changed);

  /* An explicit refresh rotates the tokens. */
  wc_bluesky_refresh_async (client, NULL, store_result, &result);
  g_assert_true (wc_bluesky_refresh_finish (client, await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_clear_object (&result);

  /* Two hours and a bit later the PDS says ExpiredToken; the call
   * refreshes and goes through. */
  wc_test_bluesky_control (servers, "/_test/clock?advance=7500");
  {
    g_autoptr(GPtrArray) none = NULL;

    wc_bluesky_list_new_followers_async (client, NULL, NULL, store_result, &result);
    none = wc_bluesky_list_new_followers_finish (client, await (&result), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (changed, ==, 2);
    g_clear_object (&result);
  }

  /* Signing out ends that session on the server: its refresh token no
   * longer works, while another session of the account goes on. */
  {
    g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
    g_autoptr(WcBluesky) leaving = NULL;
    g_autoptr(JsonNode) answer = NULL;
    guint status;

    wc_account_set_server (account, session->pds_url);
    wc_account_set_remote_id (account, session->did);
    leaving = wc_bluesky_new (account, servers->session);
    wc_bluesky_set_session (leaving, session);
    wc_bluesky_sign_out_async (leaving, NULL, store_result, &result);
    g_assert_true (wc_bluesky_sign_out_finish (leaving, await (&result), &error));
    g_assert_no_error (error);
    g_assert_false (wc_bluesky_has_tokens (leaving));
    g_clear_object (&result);

    answer = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.server.refreshSession", NULL, NULL,
                                   session->refresh_jwt, &status);
    g_assert_cmpuint (status, >=, 400);
    g_assert_cmpuint (status, <, 500);

    wc_bluesky_refresh_async (client, NULL, store_result, &result);
    g_assert_true (wc_bluesky_refresh_finish (client, await (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changed, ==, 3);
    g_clear_object (&result);
  }
}

/* Tokens the server made two hours ago expire in a minute by this
 * computer's clock: the client refreshes before sending, while the server
 * (whose clock is two hours behind) would still have taken the old one. */
static void
test_refresh_before_expiry (void)
{
  g_autoptr(WcTestBlueskyAccount) bea = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  guint changed = 0;

  if (!need_servers ())
    return;
  bea = new_account ("bea");
  wc_test_bluesky_control (servers, "/_test/clock?set=-7140");
  client = signed_in_client (bea, 0);
  g_signal_connect (client, "tokens-changed", G_CALLBACK (on_tokens_changed), &changed);

  wc_bluesky_list_new_followers_async (client, NULL, NULL, store_result, &result);
  none = wc_bluesky_list_new_followers_finish (client, await (&result), NULL, &error);
  wc_test_bluesky_control (servers, "/_test/clock?set=0");
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (changed, ==, 1);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  store_result (source, result, user_data);
}

static gboolean
keyring_store (gint64      account_id,
               const char *kind,
               const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wc_keyring_store_async (account_id, kind, "Whitecoat test", secret, NULL, on_stored, &result);
  if (!wc_keyring_store_finish (await (&result), &error))
    {
      g_test_message ("keyring: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
keyring_lookup (gint64      account_id,
                const char *kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;
  char *copy;

  wc_keyring_lookup_async (account_id, kind, NULL, store_result, &result);
  secret = wc_keyring_lookup_finish (await (&result), NULL);
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

/* Tokens only in the keyring: wc_connection_open_async() reads both and
 * refreshes an expired pair; the refreshed pair goes back to the keyring. */
static void
test_connection_keyring (void)
{
  g_autoptr(WcTestBlueskyAccount) carol = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = NULL;
  g_autofree char *stored_access = NULL;
  g_autofree char *refreshed_access = NULL;
  g_autoptr(GAsyncResult) posted_result = NULL;
  g_autoptr(WcBlueskyPosted) posted = NULL;
  g_autofree char *rkey = new_rkey ();
  WcBlueskyPost post = { .text = "Posted through the keyring" };
  const gint64 account_id = 7100 + g_random_int_range (0, 1000);

  if (!need_servers ())
    return;
  carol = new_account ("carol");

  {
    /* What the sign-in dialog stores. */
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(WcBlueskySession) session = NULL;

    wc_bluesky_sign_in_async (servers->session, carol->handle, carol->app_password, servers->pds, servers->plc,
                              NULL, store_result, &r);
    session = wc_bluesky_sign_in_finish (await (&r), &error);
    g_assert_no_error (error);
    if (!keyring_store (account_id, WC_SECRET_ACCESS_TOKEN, session->access_jwt)
        || !keyring_store (account_id, WC_SECRET_REFRESH_TOKEN, session->refresh_jwt))
      {
        g_test_skip ("No keyring on the session bus (run under build-aux/test or runtests.sh)");
        return;
      }
    account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
    wc_account_set_id (account, account_id);
    wc_account_set_handle (account, session->handle);
    wc_account_set_server (account, session->pds_url);
    wc_account_set_remote_id (account, session->did);
  }

  wc_connection_open_async (account, NULL, store_result, &result);
  network = wc_connection_open_finish (await (&result), &error);
  g_assert_no_error (error);
  g_assert_true (WC_IS_BLUESKY (network));
  g_assert_true (wc_bluesky_has_tokens (WC_BLUESKY (network)));
  g_assert_true (wc_network_get_capabilities (network) & WC_NETWORK_CAPABILITY_POST);
  g_clear_object (&result);

  /* The server's clock moves past the access token; the next call
   * refreshes and the keyring gets the new pair. */
  stored_access = keyring_lookup (account_id, WC_SECRET_ACCESS_TOKEN);
  wc_test_bluesky_control (servers, "/_test/clock?advance=7500");
  wc_bluesky_publish_async (WC_BLUESKY (network), &post, rkey, NULL, store_result, &posted_result);
  posted = wc_bluesky_publish_finish (WC_BLUESKY (network), await (&posted_result), &error);
  g_assert_no_error (error);
  g_assert_false (posted->already_there);
  refreshed_access = keyring_lookup (account_id, WC_SECRET_ACCESS_TOKEN);
  g_assert_nonnull (refreshed_access);
  g_assert_cmpstr (refreshed_access, !=, stored_access);

  /* Without tokens: sign in again. */
  {
    g_autoptr(WcAccount) stranger = wc_account_new (WC_IDENTITY_PERSONAL, "bluesky");
    g_autoptr(WcNetwork) none = NULL;

    wc_account_set_id (stranger, account_id + 5000);
    wc_account_set_server (stranger, servers->pds);
    wc_connection_open_async (stranger, NULL, store_result, &result);
    none = wc_connection_open_finish (await (&result), &error);
    g_assert_null (none);
    g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  {
    g_autoptr(GAsyncResult) cleared = NULL;

    wc_keyring_clear_async (account_id, NULL, NULL, store_result, &cleared);
    g_assert_true (wc_keyring_clear_finish (await (&cleared), NULL));
  }
}

static void
test_publish_facets (void)
{
  g_autoptr(WcTestBlueskyAccount) dana = NULL;
  g_autoptr(WcTestBlueskyAccount) eve = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskyPosted) posted = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *rkey = new_rkey ();
  g_autofree char *text = NULL;
  const char *langs[] = { "nl", "ja", NULL };
  WcBlueskyPost post = { 0 };
  JsonObject *object;
  struct { const char *covered; const char *type; const char *value; } expected[5];
  JsonArray *facets;

  if (!need_servers ())
    return;
  dana = new_account ("dana");
  eve = new_account ("eve");
  client = signed_in_client (dana, 0);

  text = g_strdup_printf ("👩🏽‍⚕️👋🏿 Dank @%s! 学会で #医学教育 について。 "
                          "Re\xcc\x81sume\xcc\x81 #sante\xcc\x81 "
                          "https://www.example.org/guidelines/2026/sepsis-management?ref=wc @nobody-at-all.test",
                          eve->handle);
  post.text = text;
  post.langs = langs;
  posted = publish (client, &post, rkey, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (posted->rkey, ==, rkey);
  g_assert_true (g_str_has_prefix (posted->uri, "at://"));
  g_assert_true (g_str_has_suffix (posted->uri, rkey));
  g_assert_nonnull (posted->cid);

  record = get_record (client, "app.bsky.feed.post", rkey, &error);
  g_assert_no_error (error);
  object = json_node_get_object (record);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "text"), "www.example.org/guidelines/2..."));
  g_assert_null (strstr (json_object_get_string_member (object, "text"), "https://"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "langs")), ==, 2);

  /* Read back from the server: each facet covers exactly its bytes. The
   * mention of an account that does not exist stays text. */
  {
    g_autofree char *mention = g_strdup_printf ("@%s", eve->handle);

    expected[0].covered = mention;
    expected[0].type = "app.bsky.richtext.facet#mention";
    expected[0].value = eve->did;
    expected[1].covered = "#医学教育";
    expected[1].type = "app.bsky.richtext.facet#tag";
    expected[1].value = "医学教育";
    expected[2].covered = "#sante\xcc\x81";
    expected[2].type = "app.bsky.richtext.facet#tag";
    expected[2].value = "sante\xcc\x81";
    expected[3].covered = "www.example.org/guidelines/2...";
    expected[3].type = "app.bsky.richtext.facet#link";
    expected[3].value = "https://www.example.org/guidelines/2026/sepsis-management?ref=wc";

    facets = json_object_get_array_member (object, "facets");
    g_assert_cmpuint (json_array_get_length (facets), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        const char *type, *value;
        g_autofree char *covered = facet_slice (object, i, &type, &value);

        g_assert_cmpstr (covered, ==, expected[i].covered);
        g_assert_cmpstr (type, ==, expected[i].type);
        g_assert_cmpstr (value, ==, expected[i].value);
      }
  }
}

static void
write_jpeg_with_comment (const char *path,
                         guint       width,
                         guint       height,
                         const char *comment)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  FILE *file = fopen (path, "wb");
  g_autofree guint8 *row = g_malloc (width * 3);

  g_assert_nonnull (file);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, file);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 95, TRUE);
  jpeg_start_compress (&cinfo, TRUE);
  jpeg_write_marker (&cinfo, JPEG_COM, (const JOCTET *) comment, strlen (comment));
  while (cinfo.next_scanline < height)
    {
      for (guint x = 0; x < width; x++)
        {
          row[x * 3] = (x * 255) / width;
          row[x * 3 + 1] = (cinfo.next_scanline * 255) / height;
          row[x * 3 + 2] = 128;
        }
      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  fclose (file);
}

/* Noise does not compress: a PNG of several megabytes. */
static void
write_noise_png (const char *path,
                 guint       width,
                 guint       height)
{
  png_image image = { .version = PNG_IMAGE_VERSION, .width = width, .height = height,
                      .format = PNG_FORMAT_RGB };
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 3);
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < (gsize) width * height * 3; i++)
    pixels[i] = g_rand_int (rand) & 0xff;
  g_rand_free (rand);
  g_assert_true (png_image_write_to_file (&image, path, FALSE, pixels, 0, NULL));
}

static GBytes *
fetch_blob (const char *did,
            const char *cid)
{
  g_autofree char *url = g_strdup_printf ("%s/xrpc/com.atproto.sync.getBlob?did=%s&cid=%s", servers->pds, did, cid);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = soup_session_send_and_read (servers->session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return bytes;
}

static void
test_images (void)
{
  g_autoptr(WcTestBlueskyAccount) fay = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskyPosted) posted = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wc-bluesky-XXXXXX", NULL);
  g_autofree char *small = g_build_filename (dir, "small.jpg", NULL);
  g_autofree char *large = g_build_filename (dir, "large.png", NULL);
  g_autofree char *rkey = new_rkey ();
  const char *labels[] = { "graphic-media", NULL };
  WcBlueskyImage images[] = {
    { small, "A gradient, for the test" },
    { large, "Noise: 1800 × 1200 pixels of it" },
  };
  WcBlueskyPost post = { .text = "Two pictures", .images = images, .n_images = 2, .labels = labels };
  JsonObject *embed;
  JsonArray *array;
  GStatBuf st;

  if (!need_servers ())
    return;
  write_jpeg_with_comment (small, 64, 48, "Patient: J. Doe, born 1970-01-01");
  write_noise_png (large, 1800, 1200);
  g_assert_cmpint (g_stat (large, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000000);

  fay = new_account ("fay");
  client = signed_in_client (fay, 0);
  posted = publish (client, &post, rkey, &error);
  g_assert_no_error (error);

  record = get_record (client, "app.bsky.feed.post", rkey, &error);
  g_assert_no_error (error);
  embed = json_object_get_object_member (json_node_get_object (record), "embed");
  g_assert_cmpstr (json_object_get_string_member (embed, "$type"), ==, "app.bsky.embed.images");
  array = json_object_get_array_member (embed, "images");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *image = json_array_get_object_element (array, i);
      JsonObject *blob = json_object_get_object_member (image, "image");
      JsonObject *ratio = json_object_get_object_member (image, "aspectRatio");
      const char *cid = json_object_get_string_member (json_object_get_object_member (blob, "ref"), "$link");
      g_autoptr(GBytes) bytes = fetch_blob (fay->did, cid);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      g_assert_cmpstr (json_object_get_string_member (image, "alt"), ==, images[i].alt);
      g_assert_cmpuint (length, <=, WC_BLUESKY_MAX_IMAGE_BYTES);
      g_assert_cmpint (json_object_get_int_member (blob, "size"), ==, (gint64) length);
      g_assert_null (g_strstr_len (data, length, "Patient"));
      if (i == 0)
        {
          g_assert_cmpint (json_object_get_int_member (ratio, "width"), ==, 64);
          g_assert_cmpint (json_object_get_int_member (ratio, "height"), ==, 48);
          g_assert_cmpstr (json_object_get_string_member (blob, "mimeType"), ==, "image/jpeg");
        }
      else
        {
          gint64 w = json_object_get_int_member (ratio, "width");
          gint64 h = json_object_get_int_member (ratio, "height");

          /* Shrunk, as a JPEG, with its shape kept. */
          g_assert_cmpstr (json_object_get_string_member (blob, "mimeType"), ==, "image/jpeg");
          g_assert_cmpint (w, <, 1800);
          g_assert_cmpint (ABS (w * 1200 - h * 1800), <=, 1800 * 2);
          g_test_message ("the 1800×1200 noise PNG went up as a %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT
                          " JPEG of %zu bytes", w, h, length);
        }
    }

  /* The content warning as a self-label. */
  {
    JsonObject *labels_object = json_object_get_object_member (json_node_get_object (record), "labels");
    JsonArray *values = json_object_get_array_member (labels_object, "values");

    g_assert_cmpstr (json_object_get_string_member (labels_object, "$type"), ==, "com.atproto.label.defs#selfLabels");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0), "val"), ==, "graphic-media");
  }

  g_unlink (small);
  g_unlink (large);
  g_rmdir (dir);
}

static void
test_exactly_once (void)
{
  g_autoptr(WcTestBlueskyAccount) gil = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskyPosted) first = NULL;
  g_autoptr(WcBlueskyPosted) again = NULL;
  g_autofree char *rkey = new_rkey ();
  WcBlueskyPost post = { .text = "Exactly once, even when the answer is lost",
                         .reply_rule = WC_BLUESKY_REPLY_FOLLOWING };
  guint before;

  if (!need_servers ())
    return;
  gil = new_account ("gil");
  client = signed_in_client (gil, 0);
  before = count_records (gil->did, "app.bsky.feed.post");

  /* The PDS writes, and the connection closes before the answer. */
  wc_test_bluesky_control (servers, "/_test/drop-next?nsid=com.atproto.repo.applyWrites");
  first = publish (client, &post, rkey, &error);
  if (first == NULL)
    {
      /* Or the client gives up for now; then the retry must find it. */
      g_assert_true (wc_network_error_is_transient (error));
      g_clear_error (&error);
    }
  else
    g_assert_true (first->already_there);

  /* The scheduler's retry, with the same record key. */
  again = publish (client, &post, rkey, &error);
  g_assert_no_error (error);
  g_assert_true (again->already_there);
  g_assert_cmpstr (again->rkey, ==, rkey);
  g_assert_nonnull (again->cid);

  g_assert_cmpuint (count_records (gil->did, "app.bsky.feed.post"), ==, before + 1);
  g_assert_cmpuint (count_records (gil->did, "app.bsky.feed.threadgate"), ==, 1);
}

static void
test_threadgate (void)
{
  g_autoptr(WcTestBlueskyAccount) hal = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GError) error = NULL;
  struct { WcBlueskyReplyRule rule; guint n_allow; const char *first; } cases[] = {
    { WC_BLUESKY_REPLY_MENTIONED | WC_BLUESKY_REPLY_FOLLOWING, 2, "app.bsky.feed.threadgate#mentionRule" },
    { WC_BLUESKY_REPLY_FOLLOWERS, 1, "app.bsky.feed.threadgate#followerRule" },
    { WC_BLUESKY_REPLY_NOBODY, 0, NULL },
  };

  if (!need_servers ())
    return;
  hal = new_account ("hal");
  client = signed_in_client (hal, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rkey = new_rkey ();
      WcBlueskyPost post = { .text = "Who may reply", .reply_rule = cases[i].rule };
      g_autoptr(WcBlueskyPosted) posted = publish (client, &post, rkey, &error);
      g_autoptr(JsonNode) gate = NULL;
      JsonObject *object;
      JsonArray *allow;

      g_assert_no_error (error);
      gate = get_record (client, "app.bsky.feed.threadgate", rkey, &error);
      g_assert_no_error (error);
      object = json_node_get_object (gate);
      g_assert_cmpstr (json_object_get_string_member (object, "post"), ==, posted->uri);
      allow = json_object_get_array_member (object, "allow");
      g_assert_nonnull (allow);
      g_assert_cmpuint (json_array_get_length (allow), ==, cases[i].n_allow);
      if (cases[i].first != NULL)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (allow, 0), "$type"),
                         ==, cases[i].first);
    }

  /* Anyone: no threadgate at all. */
  {
    g_autofree char *rkey = new_rkey ();
    WcBlueskyPost post = { .text = "Anyone may reply" };
    g_autoptr(WcBlueskyPosted) posted = publish (client, &post, rkey, &error);
    g_autoptr(JsonNode) gate = NULL;

    g_assert_no_error (error);
    gate = get_record (client, "app.bsky.feed.threadgate", rkey, &error);
    g_assert_null (gate);
    g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND);
  }
}

static WcTristate
logged_out (WcBluesky *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcTristate value;

  wc_bluesky_get_logged_out_restricted_async (client, NULL, store_result, &result);
  value = wc_bluesky_get_logged_out_restricted_finish (client, await (&result), &error);
  g_assert_no_error (error);
  return value;
}

static void
set_logged_out (WcBluesky *client,
                gboolean   restricted)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wc_bluesky_set_logged_out_restricted_async (client, restricted, NULL, store_result, &result);
  g_assert_true (wc_bluesky_set_logged_out_restricted_finish (client, await (&result), &error));
  g_assert_no_error (error);
}

static void
test_profile_label (void)
{
  g_autoptr(WcTestBlueskyAccount) ivy = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autofree char *body = NULL;
  JsonObject *object;
  JsonArray *values;
  guint status;

  if (!need_servers ())
    return;
  ivy = new_account ("ivy");
  client = signed_in_client (ivy, 0);

  /* No profile record yet: not restricted; then restricted, creating it. */
  g_assert_cmpint (logged_out (client), ==, WC_TRISTATE_NO);
  set_logged_out (client, TRUE);
  g_assert_cmpint (logged_out (client), ==, WC_TRISTATE_YES);

  /* Another app changes the profile meanwhile: the display name and a
   * label of its own stay when Whitecoat removes its label. */
  body = g_strdup_printf ("{\"repo\":\"%s\",\"collection\":\"app.bsky.actor.profile\",\"rkey\":\"self\","
                          "\"record\":{\"$type\":\"app.bsky.actor.profile\",\"displayName\":\"Dr Ivy\","
                          "\"labels\":{\"$type\":\"com.atproto.label.defs#selfLabels\",\"values\":"
                          "[{\"val\":\"!no-unauthenticated\"},{\"val\":\"sexual\"}]}}}", ivy->did);
  answer = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.repo.putRecord", NULL, body, ivy->access_jwt, &status);
  g_assert_cmpuint (status, ==, 200);

  set_logged_out (client, FALSE);
  g_assert_cmpint (logged_out (client), ==, WC_TRISTATE_NO);
  profile = get_record (client, "app.bsky.actor.profile", "self", &error);
  g_assert_no_error (error);
  object = json_node_get_object (profile);
  g_assert_cmpstr (json_object_get_string_member (object, "displayName"), ==, "Dr Ivy");
  values = json_object_get_array_member (json_object_get_object_member (object, "labels"), "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0), "val"), ==, "sexual");

  /* And back on. */
  set_logged_out (client, TRUE);
  g_assert_cmpint (logged_out (client), ==, WC_TRISTATE_YES);
}

static WcBlueskyReplyRule
reply_default (WcBluesky *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WcBlueskyReplyRule rule;

  wc_bluesky_get_reply_default_async (client, NULL, store_result, &result);
  rule = wc_bluesky_get_reply_default_finish (client, await (&result), &error);
  g_assert_no_error (error);
  return rule;
}

static void
set_reply_default (WcBluesky          *client,
                   WcBlueskyReplyRule  rule)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  wc_bluesky_set_reply_default_async (client, rule, NULL, store_result, &result);
  g_assert_true (wc_bluesky_set_reply_default_finish (client, await (&result), &error));
  g_assert_no_error (error);
}

static void
test_reply_default (void)
{
  g_autoptr(WcTestBlueskyAccount) jo = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) prefs = NULL;
  JsonArray *array;
  gboolean kept = FALSE;
  guint status;

  if (!need_servers ())
    return;
  jo = new_account ("jo");
  client = signed_in_client (jo, 0);

  /* A preference of another kind, set by another app. */
  answer = wc_test_bluesky_xrpc (servers, "POST", "app.bsky.actor.putPreferences", NULL,
                                 "{\"preferences\":[{\"$type\":\"app.bsky.actor.defs#contentLabelPref\","
                                 "\"label\":\"gore\",\"visibility\":\"warn\"}]}", jo->access_jwt, &status);
  g_assert_cmpuint (status, ==, 200);

  g_assert_cmpint (reply_default (client), ==, WC_BLUESKY_REPLY_ANYONE);
  set_reply_default (client, WC_BLUESKY_REPLY_MENTIONED | WC_BLUESKY_REPLY_FOLLOWING);
  g_assert_cmpint (reply_default (client), ==, WC_BLUESKY_REPLY_MENTIONED | WC_BLUESKY_REPLY_FOLLOWING);
  set_reply_default (client, WC_BLUESKY_REPLY_NOBODY);
  g_assert_cmpint (reply_default (client), ==, WC_BLUESKY_REPLY_NOBODY);

  prefs = wc_test_bluesky_xrpc (servers, "GET", "app.bsky.actor.getPreferences", NULL, NULL, jo->access_jwt, &status);
  g_assert_cmpuint (status, ==, 200);
  array = json_object_get_array_member (json_node_get_object (prefs), "preferences");
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i), "$type"),
                   "app.bsky.actor.defs#contentLabelPref") == 0)
      kept = TRUE;
  g_assert_true (kept);

  set_reply_default (client, WC_BLUESKY_REPLY_ANYONE);
  g_assert_cmpint (reply_default (client), ==, WC_BLUESKY_REPLY_ANYONE);
}

static void
count_pages (WcFollowerSnapshot *snapshot,
             const char         *next_cursor,
             gpointer            user_data)
{
  guint *pages = user_data;

  (*pages)++;
}

static void
test_followers_paging (void)
{
  g_autoptr(WcTestBlueskyAccount) star = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const WcFollower *followers;
  guint n, pages = 0;
  const guint total = WC_BLUESKY_FOLLOWERS_PER_PAGE + 5;

  if (!need_servers ())
    return;
  star = new_account ("star");
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(WcTestBlueskyAccount) fan = new_account ("fan");

      wc_test_bluesky_follow (servers, fan, star->did);
      g_hash_table_add (expected, g_strdup (fan->handle));
    }

  client = signed_in_client (star, 0);
  wc_bluesky_fetch_followers_async (client, NULL, NULL, NULL, count_pages, &pages, NULL, store_result, &result);
  snapshot = wc_bluesky_fetch_followers_finish (client, await (&result), &error);
  g_assert_no_error (error);
  g_assert_true (wc_follower_snapshot_get_complete (snapshot));
  g_assert_cmpuint (pages, ==, 2);
  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  g_assert_cmpuint (n, ==, total);
  for (guint i = 0; i < n; i++)
    g_assert_true (g_hash_table_remove (expected, followers[i].ref));
  g_assert_cmpuint (g_hash_table_size (expected), ==, 0);
  g_assert_cmpint (wc_follower_snapshot_get_followers_count (snapshot), ==, total);
}

static void
test_new_follower (void)
{
  g_autoptr(WcTestBlueskyAccount) doc = NULL;
  g_autoptr(WcTestBlueskyAccount) patient = NULL;
  g_autoptr(WcBluesky) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actors = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonNode) mutes = NULL;
  WcBlueskyActor *actor;
  guint status;

  if (!need_servers ())
    return;
  doc = new_account ("doc");
  patient = new_account ("patient");
  client = signed_in_client (doc, 0);

  wc_bluesky_list_new_followers_async (client, NULL, NULL, store_result, &result);
  actors = wc_bluesky_list_new_followers_finish (client, await (&result), &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actors->len, ==, 0);
  g_clear_object (&result);
  g_clear_pointer (&actors, g_ptr_array_unref);

  wc_test_bluesky_follow (servers, patient, doc->did);
  wc_bluesky_list_new_followers_async (client, NULL, NULL, store_result, &result);
  actors = wc_bluesky_list_new_followers_finish (client, await (&result), &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actors->len, ==, 1);
  actor = g_ptr_array_index (actors, 0);
  g_assert_cmpstr (actor->did, ==, patient->did);
  g_assert_cmpstr (actor->handle, ==, patient->handle);
  g_assert_true (g_str_has_prefix (actor->follow_uri, "at://"));
  g_assert_cmpint (actor->followed_at, >, 0);
  g_assert_null (cursor);
  g_clear_object (&result);

  /* The answers: mute (private) and block (a public record). */
  wc_bluesky_mute_async (client, patient->did, NULL, store_result, &result);
  g_assert_true (wc_bluesky_action_finish (client, await (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (count_records (doc->did, "app.bsky.graph.block"), ==, 0);
  {
    g_autoptr(GAsyncResult) session_result = NULL;
    g_autoptr(WcBlueskySession) session = NULL;

    /* The app view knows the mute, through the PDS. */
    wc_bluesky_sign_in_async (servers->session, doc->handle, doc->app_password, servers->pds, servers->plc,
                              NULL, store_result, &session_result);
    session = wc_bluesky_sign_in_finish (await (&session_result), &error);
    g_assert_no_error (error);
    mutes = wc_test_bluesky_xrpc (servers, "GET", "app.bsky.graph.getMutes", NULL, NULL, session->access_jwt, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (mutes), "mutes")), ==, 1);
  }

  wc_bluesky_block_async (client, patient->did, NULL, store_result, &result);
  g_assert_true (wc_bluesky_action_finish (client, await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_records (doc->did, "app.bsky.graph.block"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/bluesky/app-password-shape", test_app_password_shape);
  g_test_add_func ("/bluesky/record-keys", test_record_keys);
  g_test_add_func ("/bluesky/facets/offsets", test_facet_offsets);
  g_test_add_func ("/bluesky/facets/link-shortening", test_link_shortening);
  g_test_add_func ("/bluesky/jwt-expiry", test_jwt_expiry);
  g_test_add_func ("/bluesky/errors/classes", test_error_classes);
  g_test_add_func ("/bluesky/service-addresses", test_service_addresses);
  g_test_add_func ("/bluesky/pds/sign-in-refresh-sign-out", test_sign_in_refresh_sign_out);
  g_test_add_func ("/bluesky/pds/refresh-before-expiry", test_refresh_before_expiry);
  g_test_add_func ("/bluesky/pds/connection-keyring", test_connection_keyring);
  g_test_add_func ("/bluesky/pds/publish-facets", test_publish_facets);
  g_test_add_func ("/bluesky/pds/images", test_images);
  g_test_add_func ("/bluesky/pds/exactly-once", test_exactly_once);
  g_test_add_func ("/bluesky/pds/threadgate", test_threadgate);
  g_test_add_func ("/bluesky/pds/profile-label", test_profile_label);
  g_test_add_func ("/bluesky/pds/reply-default", test_reply_default);
  g_test_add_func ("/bluesky/pds/followers-paging", test_followers_paging);
  g_test_add_func ("/bluesky/pds/new-follower", test_new_follower);

  status = g_test_run ();
  g_clear_pointer (&servers, wc_test_bluesky_stop);
  g_free (skip_reason);
  return status;
}
