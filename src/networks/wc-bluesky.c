/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-bluesky"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-bluesky.h"
#include "wc-image-strip.h"
#include "wc-keyring.h"
#include "wc-text.h"

#define USER_AGENT        "Whitecoat/" PACKAGE_VERSION
#define REQUEST_TIMEOUT   30      /* seconds */
#define MAX_SERVER_WORDS  300     /* characters of a server's error message we show */
#define REFRESH_MARGIN    120     /* seconds before expiry to refresh the access token */
#define NO_UNAUTHENTICATED "!no-unauthenticated"
#define TID_ALPHABET      "234567abcdefghijklmnopqrstuvwxyz"

struct _WcBluesky
{
  GObject      parent_instance;

  WcAccount   *account;
  SoupSession *session;
  char        *pds_url;
  char        *did;
  char        *access_jwt;   /* never logged */
  char        *refresh_jwt;  /* never logged */
  GPtrArray   *refresh_waiters;  /* of GTask; non-NULL while a refresh runs */
};

enum {
  PROP_0,
  PROP_ACCOUNT,
};

enum {
  TOKENS_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void wc_network_iface_init (WcNetworkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcBluesky, wc_bluesky, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WC_TYPE_NETWORK, wc_network_iface_init))

/* --- Values ------------------------------------------------------------- */

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

void
wc_bluesky_facet_free (WcBlueskyFacet *facet)
{
  if (facet == NULL)
    return;
  g_free (facet->value);
  g_free (facet->did);
  g_free (facet);
}

void
wc_bluesky_session_free (WcBlueskySession *session)
{
  if (session == NULL)
    return;
  g_free (session->did);
  g_free (session->handle);
  g_free (session->email);
  g_free (session->pds_url);
  wipe_free (session->access_jwt);
  wipe_free (session->refresh_jwt);
  g_free (session);
}

WcBlueskySession *
wc_bluesky_session_copy (const WcBlueskySession *session)
{
  WcBlueskySession *copy = g_new0 (WcBlueskySession, 1);

  copy->did = g_strdup (session->did);
  copy->handle = g_strdup (session->handle);
  copy->email = g_strdup (session->email);
  copy->pds_url = g_strdup (session->pds_url);
  copy->access_jwt = g_strdup (session->access_jwt);
  copy->refresh_jwt = g_strdup (session->refresh_jwt);
  return copy;
}

void
wc_bluesky_posted_free (WcBlueskyPosted *posted)
{
  if (posted == NULL)
    return;
  g_free (posted->uri);
  g_free (posted->cid);
  g_free (posted->rkey);
  g_free (posted);
}

void
wc_bluesky_actor_free (WcBlueskyActor *actor)
{
  if (actor == NULL)
    return;
  g_free (actor->did);
  g_free (actor->handle);
  g_free (actor->display_name);
  g_free (actor->description);
  g_free (actor->follow_uri);
  g_free (actor);
}

/* --- Without a server --------------------------------------------------- */

/**
 * wc_bluesky_looks_like_app_password:
 *
 * Returns: whether @password has the shape of an app password,
 *   `xxxx-xxxx-xxxx-xxxx` with lower-case letters and digits
 */
gboolean
wc_bluesky_looks_like_app_password (const char *password)
{
  if (password == NULL || strlen (password) != 19)
    return FALSE;
  for (guint i = 0; i < 19; i++)
    {
      if (i % 5 == 4)
        {
          if (password[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_islower (password[i]) && !g_ascii_isdigit (password[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * wc_bluesky_app_password_warning:
 *
 * Returns: the sentence to show next to a password that does not look like
 *   an app password
 */
const char *
wc_bluesky_app_password_warning (void)
{
  return _("This does not look like an app password. Whitecoat needs an app password, not "
           "your main Bluesky password: an app password can post but cannot change your "
           "account, and you can revoke it on its own. Make one in Bluesky under Settings → "
           "Privacy and security → App passwords; it looks like xxxx-xxxx-xxxx-xxxx.");
}

/**
 * wc_bluesky_is_tid:
 *
 * Returns: whether @rkey is a timestamp identifier (atproto.com /specs/tid)
 */
gboolean
wc_bluesky_is_tid (const char *rkey)
{
  if (rkey == NULL || strlen (rkey) != 13)
    return FALSE;
  if (strchr ("234567abcdefghij", rkey[0]) == NULL)
    return FALSE;
  for (guint i = 1; i < 13; i++)
    if (strchr (TID_ALPHABET, rkey[i]) == NULL || rkey[i] == '\0')
      return FALSE;
  return TRUE;
}

/**
 * wc_bluesky_tid_new:
 * @time_us: microseconds since the epoch
 * @clock_id: 0–1023
 *
 * Returns: (transfer full): the 13-character TID
 */
char *
wc_bluesky_tid_new (gint64 time_us,
                    guint  clock_id)
{
  guint64 value = (((guint64) time_us & G_GUINT64_CONSTANT (0x1fffffffffffff)) << 10) | (clock_id & 0x3ff);
  char tid[14];

  for (int i = 12; i >= 0; i--)
    {
      tid[i] = TID_ALPHABET[value & 0x1f];
      value >>= 5;
    }
  tid[13] = '\0';
  return g_strdup (tid);
}

/**
 * wc_bluesky_rkey_for_key:
 * @idempotency_key: the outbox entry's idempotency key
 * @created_us: when the entry was made (not when it is due), in
 *   microseconds since the epoch
 *
 * The record key of a scheduled post: a TID from the entry's creation time
 * and its key, the same on every attempt, so that the post and its
 * threadgate can be written only once.
 *
 * Returns: (transfer full): a TID
 */
char *
wc_bluesky_rkey_for_key (const char *idempotency_key,
                         gint64      created_us)
{
  g_autofree char *digest = NULL;
  guint64 bits;

  g_return_val_if_fail (idempotency_key != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, idempotency_key, -1);
  bits = g_ascii_strtoull (digest + 48, NULL, 16);  /* the last 64 bits */
  /* The low microseconds from the key too: two entries made in the same
   * millisecond still differ. */
  return wc_bluesky_tid_new ((created_us / 1000) * 1000 + (gint64) ((bits >> 10) % 1000),
                             (guint) (bits & 0x3ff));
}

static gboolean
is_handle (const char *handle)
{
  return handle != NULL && strchr (handle, '.') != NULL && handle[strlen (handle) - 1] != '.'
         && g_regex_match_simple ("^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$",
                                  handle, 0, 0);
}

static gboolean
overlaps (GPtrArray *facets,
          gsize      start,
          gsize      end)
{
  for (guint i = 0; i < facets->len; i++)
    {
      WcBlueskyFacet *facet = g_ptr_array_index (facets, i);

      if (start < facet->byte_end && facet->byte_start < end)
        return TRUE;
    }
  return FALSE;
}

static int
compare_facets (gconstpointer a,
                gconstpointer b)
{
  const WcBlueskyFacet *fa = *(WcBlueskyFacet * const *) a;
  const WcBlueskyFacet *fb = *(WcBlueskyFacet * const *) b;

  return fa->byte_start < fb->byte_start ? -1 : fa->byte_start > fb->byte_start;
}

static WcBlueskyFacet *
facet_new (gsize               start,
           gsize               end,
           WcBlueskyFacetKind  kind,
           const char         *value,
           gssize              value_length)
{
  WcBlueskyFacet *facet = g_new0 (WcBlueskyFacet, 1);

  facet->byte_start = start;
  facet->byte_end = end;
  facet->kind = kind;
  facet->value = value_length < 0 ? g_strdup (value) : g_strndup (value, value_length);
  return facet;
}

/**
 * wc_bluesky_parse_facets:
 * @text: the post as written
 * @stored_text: (out) (transfer full): the text to store: links shortened
 *   as Bluesky's app does (wc_text_shorten_links())
 *
 * Finds links, mentions (`@handle.example`) and hashtags in @text, as the
 * official app does, with their UTF-8 byte offsets in @stored_text.
 * Mentions still need their DID.
 *
 * Returns: (transfer full) (element-type WcBlueskyFacet): the facets, in
 *   order, never overlapping
 */
GPtrArray *
wc_bluesky_parse_facets (const char  *text,
                         char       **stored_text)
{
  g_autoptr(GPtrArray) facets = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_bluesky_facet_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GRegex) mention = NULL;
  g_autoptr(GRegex) tag = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  gsize pos = 0, start, end;

  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);
  g_return_val_if_fail (stored_text != NULL, NULL);

  /* Links, shortened in the stored text; the facet keeps the full URI. */
  while (wc_text_find_link (text, pos, &start, &end))
    {
      g_autofree char *url = g_strndup (text + start, end - start);
      g_autofree char *shown = wc_text_shorten_links (url);
      gsize facet_start;

      g_string_append_len (out, text + pos, start - pos);
      facet_start = out->len;
      g_string_append (out, shown);
      g_ptr_array_add (facets, facet_new (facet_start, out->len, WC_BLUESKY_FACET_LINK, url, -1));
      pos = end;
    }
  g_string_append (out, text + pos);

  /* Mentions, as social-app's detectFacets: after the start, a space or
   * "(", a handle with at least one dot. */
  mention = g_regex_new ("(?:^|\\s|\\()(@([a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]))", G_REGEX_OPTIMIZE, 0, NULL);
  g_regex_match (mention, out->str, 0, &match);
  while (g_match_info_matches (match))
    {
      int s, e, hs, he;

      g_match_info_fetch_pos (match, 1, &s, &e);
      g_match_info_fetch_pos (match, 2, &hs, &he);
      {
        g_autofree char *handle = g_ascii_strdown (out->str + hs, he - hs);

        if (is_handle (handle) && !overlaps (facets, s, e))
          g_ptr_array_add (facets, facet_new (s, e, WC_BLUESKY_FACET_MENTION, handle, -1));
      }
      g_match_info_next (match, NULL);
    }
  g_clear_pointer (&match, g_match_info_free);

  /* Hashtags: "#" or "＃" after the start or a space, up to the next
   * space; trailing punctuation is not part of it, and a tag of digits
   * alone is not one. */
  tag = g_regex_new ("(?:^|\\s)([#\\x{FF03}]([^\\s#\\x{FF03}\\x{00AD}\\x{2060}\\x{200A}\\x{200B}\\x{200C}\\x{200D}\\x{20E2}]+))",
                     G_REGEX_OPTIMIZE, 0, NULL);
  g_regex_match (tag, out->str, 0, &match);
  while (g_match_info_matches (match))
    {
      int s, e, ts, te;
      const char *p;
      gboolean has_non_digit = FALSE;

      g_match_info_fetch_pos (match, 1, &s, &e);
      g_match_info_fetch_pos (match, 2, &ts, &te);
      /* Drop trailing punctuation. */
      while (te > ts)
        {
          const char *last = g_utf8_find_prev_char (out->str + ts, out->str + te);
          gunichar c = last ? g_utf8_get_char (last) : 0;
          GUnicodeType type = g_unichar_type (c);

          if (last == NULL
              || !(type == G_UNICODE_CONNECT_PUNCTUATION || type == G_UNICODE_DASH_PUNCTUATION
                   || type == G_UNICODE_CLOSE_PUNCTUATION || type == G_UNICODE_FINAL_PUNCTUATION
                   || type == G_UNICODE_INITIAL_PUNCTUATION || type == G_UNICODE_OTHER_PUNCTUATION
                   || type == G_UNICODE_OPEN_PUNCTUATION))
            break;
          te = last - out->str;
        }
      e = te;
      for (p = out->str + ts; p < out->str + te; p = g_utf8_next_char (p))
        if (!g_unichar_isdigit (g_utf8_get_char (p)))
          has_non_digit = TRUE;
      if (te > ts && has_non_digit && wc_text_count_graphemes (out->str + ts, te - ts) <= 64
          && te - ts <= 640 && !overlaps (facets, s, e))
        g_ptr_array_add (facets, facet_new (s, e, WC_BLUESKY_FACET_TAG, out->str + ts, te - ts));
      g_match_info_next (match, NULL);
    }

  g_ptr_array_sort (facets, compare_facets);
  *stored_text = g_string_free (g_steal_pointer (&out), FALSE);
  return g_steal_pointer (&facets);
}

/**
 * wc_bluesky_jwt_expiry:
 *
 * The tokens are opaque by the spec, but the reference PDS issues JWTs;
 * their `exp` lets Whitecoat refresh before the server refuses.
 *
 * Returns: the token's expiry in seconds since the epoch, or 0 when it
 *   cannot be read
 */
gint64
wc_bluesky_jwt_expiry (const char *jwt)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guchar *decoded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) b64 = NULL;
  JsonNode *root;
  gsize length;

  if (jwt == NULL)
    return 0;
  parts = g_strsplit (jwt, ".", 4);
  if (g_strv_length (parts) != 3)
    return 0;
  b64 = g_string_new (parts[1]);
  g_string_replace (b64, "-", "+", 0);
  g_string_replace (b64, "_", "/", 0);
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  decoded = g_base64_decode (b64->str, &length);
  if (decoded == NULL || !json_parser_load_from_data (parser, (const char *) decoded, length, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  return json_object_get_int_member_with_default (json_node_get_object (root), "exp", 0);
}

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "127.0.0.1") == 0
         || g_strcmp0 (host, "::1") == 0 || g_strcmp0 (host, "[::1]") == 0;
}

/**
 * wc_bluesky_normalize_service:
 * @service: "pds.example", "https://pds.example/" …
 *
 * Returns: (transfer full) (nullable): "https://pds.example", or %NULL when
 *   @service is not an address Whitecoat sends a password to (http only to
 *   this computer)
 */
char *
wc_bluesky_normalize_service (const char *service)
{
  g_autofree char *stripped = g_strstrip (g_strdup (service ? service : ""));
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
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      && !(g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 && is_loopback (g_uri_get_host (uri))))
    return NULL;
  if (g_uri_get_path (uri) != NULL && *g_uri_get_path (uri) != '\0')
    return NULL;
  return g_steal_pointer (&with_scheme);
}

/* --- Errors ------------------------------------------------------------- */

typedef struct
{
  char *name;     /* "ExpiredToken" …; nullable */
  char *message;  /* shortened, one line; nullable */
} XrpcError;

static void
parse_xrpc_error (const char *body,
                  gsize       length,
                  XrpcError  *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *name, *message;

  out->name = NULL;
  out->message = NULL;
  if (body == NULL || length == 0 || !json_parser_load_from_data (parser, body, length, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  name = json_object_get_string_member_with_default (object, "error", NULL);
  message = json_object_get_string_member_with_default (object, "message", NULL);
  if (name != NULL && g_utf8_validate (name, -1, NULL))
    out->name = g_strdup (name);
  if (message != NULL && g_utf8_validate (message, -1, NULL))
    {
      g_autoptr(GString) clean = g_string_new (NULL);

      for (const char *p = message; *p && g_utf8_strlen (clean->str, -1) < MAX_SERVER_WORDS; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
        }
      out->message = g_string_free (g_steal_pointer (&clean), FALSE);
    }
}

/* RateLimit-Reset is in epoch seconds (NETWORKS.md §2.8); Retry-After in
 * seconds. */
static gint64
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *retry_after = headers ? soup_message_headers_get_one (headers, "Retry-After") : NULL;
  const char *reset = headers ? soup_message_headers_get_one (headers, "RateLimit-Reset") : NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (retry_after != NULL)
    {
      char *end = NULL;
      gint64 seconds = g_ascii_strtoll (retry_after, &end, 10);

      if (end != retry_after && *end == '\0')
        return MAX (seconds, 0);
    }
  if (reset != NULL)
    {
      char *end = NULL;
      gint64 at = g_ascii_strtoll (reset, &end, 10);

      if (end != reset && *end == '\0')
        return MAX (at - now, 0);
    }
  return 0;
}

/**
 * wc_bluesky_error_from_response:
 *
 * Sorts a failed XRPC answer into "retry later" (429, 5xx) and "will not
 * work", by HTTP status and the XRPC error name (NETWORKS.md §2.9).
 *
 * Returns: (transfer full): the error
 */
GError *
wc_bluesky_error_from_response (guint               status,
                                SoupMessageHeaders *headers,
                                const char         *body,
                                gsize               length)
{
  XrpcError said;
  GError *error;

  parse_xrpc_error (body, length, &said);
  g_debug ("Bluesky answered HTTP %u %s", status, said.name ? said.name : "");

  if (status == 429)
    error = wc_network_error_new_retry (retry_after_seconds (headers),
                                        _("Bluesky asks Whitecoat to slow down. It will try again later."));
  else if (status == SOUP_STATUS_NOT_IMPLEMENTED || g_strcmp0 (said.name, "MethodNotImplemented") == 0)
    error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                 _("This Bluesky server does not offer this."));
  else if (status >= 500)
    error = wc_network_error_new_retry (retry_after_seconds (headers),
                                        _("The Bluesky server has a problem right now. Whitecoat will try again later."));
  else if (g_strcmp0 (said.name, "ExpiredToken") == 0 || g_strcmp0 (said.name, "InvalidToken") == 0
           || status == SOUP_STATUS_UNAUTHORIZED)
    error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                 _("Bluesky no longer accepts Whitecoat’s sign-in. Sign in again."));
  else if (g_strcmp0 (said.name, "AccountTakedown") == 0)
    error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN,
                                 _("Bluesky has taken this account down."));
  else if (g_strcmp0 (said.name, "AuthFactorTokenRequired") == 0)
    error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                                 _("Bluesky asks for the code it e-mailed you. Use an app password instead: it does not need the code."));
  else if (g_strcmp0 (said.name, "RecordNotFound") == 0 || g_strcmp0 (said.name, "HandleNotFound") == 0
           || g_strcmp0 (said.name, "RepoNotFound") == 0 || status == SOUP_STATUS_NOT_FOUND)
    error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                                 _("Bluesky does not know this account or post (any more)."));
  else if (status == SOUP_STATUS_FORBIDDEN)
    error = said.message != NULL
            ? g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN, _("Bluesky did not allow this: %s"), said.message)
            : g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN, _("Bluesky did not allow this."));
  else
    error = said.message != NULL
            ? g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED, _("Bluesky refused: %s"), said.message)
            : g_error_new (WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                           _("Bluesky refused the request (HTTP %u)."), status);

  g_free (said.name);
  g_free (said.message);
  return error;
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
  return wc_network_error_new_retry (0, _("Whitecoat could not reach the Bluesky server. It will try again later."));
}

static GError *
bad_answer (void)
{
  return g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                              _("The Bluesky server answered something Whitecoat cannot read."));
}

/* --- Requests ----------------------------------------------------------- */

typedef struct
{
  SoupMessage *msg;
  char        *host;
  char        *error_name;  /* the XRPC error of a failed answer */
  gboolean     text;        /* the answer is text/plain: return it as a string node */
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_free (request->host);
  g_free (request->error_name);
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
  const char *data;
  guint status;
  gsize length;

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
      XrpcError said;

      parse_xrpc_error (data, length, &said);
      request->error_name = g_steal_pointer (&said.name);
      g_free (said.message);
      g_task_return_error (task, wc_bluesky_error_from_response (status,
                                                                 soup_message_get_response_headers (request->msg),
                                                                 data, length));
      return;
    }

  if (request->text)
    {
      g_autofree char *text = g_strndup (data ? data : "", length);
      JsonNode *node = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (node, g_strstrip (text));
      g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
      return;
    }

  /* Procedures without output (muteActor, deleteSession) answer nothing. */
  if (length == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (request->msg), NULL);
  /* DID documents come as application/did+ld+json. */
  if (content_type == NULL
      || (g_strcmp0 (content_type, "application/json") != 0 && !g_str_has_suffix (content_type, "+json"))
      || !json_parser_load_from_data (parser, data, length, NULL)
      || json_parser_get_root (parser) == NULL)
    {
      g_debug ("Unexpected answer from %s (%s)", request->host, content_type ? content_type : "no type");
      g_task_return_error (task, wc_network_error_new_retry (0,
        _("The Bluesky server’s answer could not be read. Whitecoat will try again later.")));
      return;
    }

  g_task_return_pointer (task, json_node_copy (json_parser_get_root (parser)), (GDestroyNotify) json_node_unref);
}

static void
send_request (SoupSession *session,
              SoupMessage *msg,
              const char  *token,
              gboolean     text,
              GTask       *task)
{
  Request *request = g_new0 (Request, 1);

  request->msg = g_object_ref (msg);
  request->host = g_strdup (g_uri_get_host (soup_message_get_uri (msg)));
  request->text = text;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                text ? "text/plain" : "application/json");
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    on_response, g_object_ref (task));
}

static GBytes *
json_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *body;
  gsize length;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  return g_bytes_new_take (body, length);
}

static GBytes *
builder_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_bytes (root);
}

static SoupMessage *
xrpc_message (const char *base,
              const char *method,
              const char *nsid,
              const char *query,
              GBytes     *body,
              const char *content_type)
{
  g_autofree char *url = g_strdup_printf ("%s/xrpc/%s%s%s", base, nsid, query ? "?" : "", query ? query : "");
  SoupMessage *msg = soup_message_new (method, url);

  if (msg != NULL && body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", body);
  return msg;
}

/* A query string from pairs; NULL values are left out. */
G_GNUC_NULL_TERMINATED static char *
make_query (const char *first_key,
            ...)
{
  g_autoptr(GString) query = g_string_new (NULL);
  va_list args;
  const char *key = first_key;

  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

          if (query->len > 0)
            g_string_append_c (query, '&');
          g_string_append_printf (query, "%s=%s", key, escaped);
        }
      key = va_arg (args, const char *);
    }
  va_end (args);
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* Sessionless calls (signing in, resolving): the answer as a JsonNode. */
static void
plain_xrpc_async (SoupSession         *session,
                  const char          *base,
                  const char          *method,
                  const char          *nsid,
                  const char          *query,
                  GBytes              *body,
                  const char          *token,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = xrpc_message (base, method, nsid, query, body, NULL);

  if (msg == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("“%s” is not a server address Whitecoat can use."), base);
      return;
    }
  send_request (session, msg, token, FALSE, task);
}

static JsonNode *
plain_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
error_name_of (GAsyncResult *result)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  return request != NULL ? request->error_name : NULL;
}

static JsonObject *
root_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  const char *value;

  if (object == NULL)
    return NULL;
  value = json_object_get_string_member_with_default (object, name, NULL);
  return value != NULL && *value != '\0' ? value : NULL;
}

/* --- Calls for the account, with refresh -------------------------------- */

typedef enum
{
  CALL_ACCESS  = 0,
  CALL_REFRESH = 1 << 0,  /* authenticate with the refresh token */
  CALL_NO_AUTH = 1 << 1,
} CallFlags;

typedef struct
{
  char      *method;
  char      *nsid;
  char      *query;
  GBytes    *body;
  char      *content_type;
  CallFlags  flags;
  gboolean   refreshed;
  char      *error_name;
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->nsid);
  g_free (call->query);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->content_type);
  g_free (call->error_name);
  g_free (call);
}

static void call_send (GTask *task);
static void refresh_internal_async (WcBluesky           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);

static void
on_call_refreshed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_send (task);
}

static void
on_call_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    {
      const char *name = error_name_of (result);

      g_free (call->error_name);
      call->error_name = g_strdup (name);
      /* An expired access token: refresh once and send again. */
      if (g_strcmp0 (name, "ExpiredToken") == 0 && !(call->flags & (CALL_REFRESH | CALL_NO_AUTH))
          && !call->refreshed && self->refresh_jwt != NULL)
        {
          call->refreshed = TRUE;
          g_debug ("Access token expired; refreshing the session");
          refresh_internal_async (self, g_task_get_cancellable (task), on_call_refreshed, g_object_ref (task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
call_send (GTask *task)
{
  WcBluesky *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = xrpc_message (self->pds_url, call->method, call->nsid, call->query,
                                             call->body, call->content_type);
  GTask *inner;
  const char *token;

  if (msg == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("“%s” is not a server address Whitecoat can use."), self->pds_url);
      return;
    }
  token = (call->flags & CALL_NO_AUTH) ? NULL
          : (call->flags & CALL_REFRESH) ? self->refresh_jwt : self->access_jwt;
  inner = g_task_new (NULL, g_task_get_cancellable (task), on_call_answer, g_object_ref (task));
  send_request (self->session, msg, token, FALSE, inner);
  g_object_unref (inner);
}

static gboolean
check_ready (WcBluesky *self,
             GTask     *task,
             CallFlags  flags)
{
  if (self->pds_url == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("This account has no Bluesky server. Sign in again from Accounts."));
      return FALSE;
    }
  if (!(flags & CALL_NO_AUTH) && (self->access_jwt == NULL || self->did == NULL))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                               _("Whitecoat is not signed in to this Bluesky account. Sign in again from Accounts."));
      return FALSE;
    }
  return TRUE;
}

static void
xrpc_async (WcBluesky           *self,
            const char          *method,
            const char          *nsid,
            const char          *query,
            GBytes              *body,
            const char          *content_type,
            CallFlags            flags,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Call *call;
  gint64 expiry;

  g_task_set_source_tag (task, xrpc_async);
  if (!check_ready (self, task, flags & CALL_REFRESH ? CALL_NO_AUTH : flags))
    return;

  call = g_new0 (Call, 1);
  call->method = g_strdup (method);
  call->nsid = g_strdup (nsid);
  call->query = g_strdup (query);
  call->body = body != NULL ? g_bytes_ref (body) : NULL;
  call->content_type = g_strdup (content_type);
  call->flags = flags;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  /* Refresh before the server refuses, when the token says when. */
  expiry = flags == CALL_ACCESS ? wc_bluesky_jwt_expiry (self->access_jwt) : 0;
  if (expiry > 0 && expiry - REFRESH_MARGIN < g_get_real_time () / G_USEC_PER_SEC && self->refresh_jwt != NULL)
    {
      call->refreshed = TRUE;
      g_debug ("Access token about to expire; refreshing the session first");
      refresh_internal_async (self, cancellable, on_call_refreshed, g_steal_pointer (&task));
      return;
    }
  call_send (task);
}

static JsonNode *
xrpc_finish (GAsyncResult  *result,
             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
call_error_name (GAsyncResult *result)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  return call != NULL ? call->error_name : NULL;
}

static void
xrpc_json_async (WcBluesky           *self,
                 const char          *nsid,
                 JsonBuilder         *builder,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GBytes) body = builder_bytes (builder);

  xrpc_async (self, "POST", nsid, NULL, body, "application/json", CALL_ACCESS,
              cancellable, callback, user_data);
}

/* --- Refreshing and the session ------------------------------------------ */

static void
set_tokens (WcBluesky  *self,
            const char *access_jwt,
            const char *refresh_jwt)
{
  if (access_jwt != self->access_jwt)
    {
      wipe_free (self->access_jwt);
      self->access_jwt = g_strdup (access_jwt);
    }
  if (refresh_jwt != self->refresh_jwt)
    {
      wipe_free (self->refresh_jwt);
      self->refresh_jwt = g_strdup (refresh_jwt);
    }
}

static void
finish_refresh (WcBluesky *self,
                GError    *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_boolean (waiter, TRUE);
    }
}

typedef struct
{
  WcBluesky *self;
  guint      pending;
  GError    *error;
} Storing;

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Storing *storing = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_keyring_store_finish (result, &error) && storing->error == NULL)
    storing->error = g_steal_pointer (&error);
  if (--storing->pending > 0)
    return;

  if (storing->error == NULL)
    g_signal_emit (storing->self, signals[TOKENS_CHANGED], 0);
  else
    g_warning ("The refreshed Bluesky session could not be kept in the keyring: %s", storing->error->message);
  /* The tokens work either way; the keyring's trouble is reported, not
   * the call's. */
  finish_refresh (storing->self, NULL);
  g_clear_error (&storing->error);
  g_object_unref (storing->self);
  g_free (storing);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WcBluesky) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);
  const char *access_jwt = string_member (object, "accessJwt");
  const char *refresh_jwt = string_member (object, "refreshJwt");
  gint64 account_id;

  if (root == NULL)
    {
      if (error->domain == WC_NETWORK_ERROR && error->code == WC_NETWORK_ERROR_AUTH)
        {
          g_clear_error (&error);
          error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                       _("Bluesky ended Whitecoat’s session. Sign in again from Accounts."));
        }
      finish_refresh (self, error);
      return;
    }
  if (access_jwt == NULL || refresh_jwt == NULL)
    {
      g_autoptr(GError) bad = bad_answer ();
      finish_refresh (self, bad);
      return;
    }
  if (string_member (object, "did") != NULL && g_strcmp0 (string_member (object, "did"), self->did) != 0)
    {
      g_autoptr(GError) other = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                                     _("Bluesky answered for another account. Sign in again from Accounts."));
      finish_refresh (self, other);
      return;
    }

  set_tokens (self, access_jwt, refresh_jwt);
  account_id = self->account != NULL ? wc_account_get_id (self->account) : 0;
  if (account_id > 0)
    {
      Storing *storing = g_new0 (Storing, 1);
      g_autofree char *title = wc_account_dup_title (self->account);
      /* Translators: a keyring item's label; %s is an account */
      g_autofree char *label_access = g_strdup_printf (_("Whitecoat access token for %s"), title);
      /* Translators: a keyring item's label; %s is an account */
      g_autofree char *label_refresh = g_strdup_printf (_("Whitecoat refresh token for %s"), title);

      storing->self = g_object_ref (self);
      storing->pending = 2;
      wc_keyring_store_async (account_id, WC_SECRET_ACCESS_TOKEN, label_access, self->access_jwt,
                              NULL, on_token_stored, storing);
      wc_keyring_store_async (account_id, WC_SECRET_REFRESH_TOKEN, label_refresh, self->refresh_jwt,
                              NULL, on_token_stored, storing);
      return;
    }
  g_signal_emit (self, signals[TOKENS_CHANGED], 0);
  finish_refresh (self, NULL);
}

static void
refresh_internal_async (WcBluesky           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean running = self->refresh_waiters != NULL;

  if (self->refresh_jwt == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                               _("Whitecoat is not signed in to this Bluesky account. Sign in again from Accounts."));
      g_object_unref (task);
      return;
    }
  if (!running)
    self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->refresh_waiters, task);
  if (running)
    return;

  /* Not cancellable: the new tokens must be kept once the server rotated
   * them. */
  xrpc_async (self, "POST", "com.atproto.server.refreshSession", NULL, NULL, NULL, CALL_REFRESH,
              NULL, on_refreshed, g_object_ref (self));
}

/**
 * wc_bluesky_refresh_async:
 *
 * Asks for a new pair of tokens with the refresh token. Calls that find
 * the access token expired do this themselves; the new tokens go to the
 * keyring for a stored account, and "tokens-changed" is emitted.
 */
void
wc_bluesky_refresh_async (WcBluesky           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (WC_IS_BLUESKY (self));
  refresh_internal_async (self, cancellable, callback, user_data);
}

gboolean
wc_bluesky_refresh_finish (WcBluesky     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_session_deleted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);

  /* A session the server no longer knows is signed out all the same. */
  if (root == NULL && !(error->domain == WC_NETWORK_ERROR && error->code == WC_NETWORK_ERROR_AUTH))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_tokens (self, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * wc_bluesky_sign_out_async:
 *
 * Ends the session on the server (deleteSession with the refresh token)
 * and forgets the tokens. Clearing the keyring is the caller's, as for
 * every account removal.
 */
void
wc_bluesky_sign_out_async (WcBluesky           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_bluesky_sign_out_async);
  if (self->refresh_jwt == NULL)
    {
      set_tokens (self, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  xrpc_async (self, "POST", "com.atproto.server.deleteSession", NULL, NULL, NULL, CALL_REFRESH,
              cancellable, on_session_deleted, g_steal_pointer (&task));
}

gboolean
wc_bluesky_sign_out_finish (WcBluesky     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Resolving a handle -------------------------------------------------- */

typedef struct
{
  SoupSession *session;
  char        *handle;
  char        *service;
  char        *plc_url;
  char        *did;
  int          step;   /* 0 DNS, 1 well-known, 2 entryway */
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_clear_object (&resolve->session);
  g_free (resolve->handle);
  g_free (resolve->service);
  g_free (resolve->plc_url);
  g_free (resolve->did);
  g_free (resolve);
}

static void resolve_did_step (GTask *task);

static const char *
pds_from_did_doc (JsonObject *doc)
{
  JsonArray *services;

  if (doc == NULL || !json_object_has_member (doc, "service")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (doc, "service")))
    return NULL;
  services = json_object_get_array_member (doc, "service");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = root_object (json_array_get_element (services, i));
      const char *id = string_member (service, "id");
      const char *type = string_member (service, "type");

      if (id != NULL && g_str_has_suffix (id, "#atproto_pds")
          && g_strcmp0 (type, "AtprotoPersonalDataServer") == 0)
        return string_member (service, "serviceEndpoint");
    }
  return NULL;
}

static gboolean
did_doc_names_handle (JsonObject *doc,
                      const char *handle)
{
  g_autofree char *expected = g_strconcat ("at://", handle, NULL);
  JsonArray *aka;

  if (doc == NULL || !json_object_has_member (doc, "alsoKnownAs")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (doc, "alsoKnownAs")))
    return FALSE;
  aka = json_object_get_array_member (doc, "alsoKnownAs");
  for (guint i = 0; i < json_array_get_length (aka); i++)
    {
      const char *name = json_node_get_string (json_array_get_element (aka, i));

      if (name != NULL && g_ascii_strcasecmp (name, expected) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_did_doc (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = plain_finish (result, &error);
  JsonObject *doc = root_object (root);
  g_autofree char *pds = NULL;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_strcmp0 (string_member (doc, "id"), resolve->did) != 0)
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  if (!did_doc_names_handle (doc, resolve->handle))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               /* Translators: %s is a Bluesky handle */
                               _("The Bluesky account behind %s does not confirm that handle, so Whitecoat did not sign in."),
                               resolve->handle);
      return;
    }
  pds = wc_bluesky_normalize_service (pds_from_did_doc (doc));
  if (pds == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("The account’s DID document names no Bluesky server Whitecoat can use."));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&pds), g_free);
}

static void
fetch_did_doc (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GTask *inner;

  if (g_str_has_prefix (resolve->did, "did:plc:"))
    {
      g_autofree char *escaped = g_uri_escape_string (resolve->did, ":", FALSE);
      url = g_strdup_printf ("%s/%s", resolve->plc_url, escaped);
    }
  else if (g_str_has_prefix (resolve->did, "did:web:") && strchr (resolve->did + 8, ':') == NULL)
    url = g_strdup_printf ("https://%s/.well-known/did.json", resolve->did + 8);
  else
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Whitecoat does not know this kind of Bluesky account identifier."));
      return;
    }
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  inner = g_task_new (NULL, g_task_get_cancellable (task), on_did_doc, g_object_ref (task));
  send_request (resolve->session, msg, NULL, FALSE, inner);
  g_object_unref (inner);
}

static gboolean
take_did (Resolve    *resolve,
          const char *did)
{
  if (did == NULL || !g_str_has_prefix (did, "did:") || strchr (did, ' ') != NULL)
    return FALSE;
  g_free (resolve->did);
  resolve->did = g_strdup (did);
  return TRUE;
}

static void
on_resolved_by_server (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = plain_finish (result, &error);

  if (root == NULL)
    {
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND)
          || g_strcmp0 (error_name_of (result), "InvalidRequest") == 0)
        g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                                 /* Translators: %s is a Bluesky handle */
                                 _("Bluesky does not know the handle %s. Check it, or give your server’s address."),
                                 resolve->handle);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!take_did (resolve, string_member (root_object (root), "did")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  fetch_did_doc (task);
}

static void
on_well_known (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = plain_finish (result, NULL);

  if (root != NULL && take_did (resolve, json_node_get_string (root)))
    {
      fetch_did_doc (task);
      return;
    }
  resolve->step = 2;
  resolve_did_step (task);
}

static void
on_txt_records (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, NULL);

  for (GList *l = records; l != NULL; l = l->next)
    {
      g_autofree const char **strings = NULL;

      g_variant_get (l->data, "(^a&s)", &strings);
      for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
        if (g_str_has_prefix (strings[i], "did=") && take_did (resolve, strings[i] + 4))
          break;
      if (resolve->did != NULL)
        break;
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (resolve->did != NULL)
    {
      fetch_did_doc (task);
      return;
    }
  resolve->step = 1;
  resolve_did_step (task);
}

/* Handle → DID: DNS TXT `_atproto.<handle>`, then
 * https://<handle>/.well-known/atproto-did, then the entryway's
 * resolveHandle (NETWORKS.md §2.2). */
static void
resolve_did_step (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (resolve->step)
    {
    case 0:
      {
        g_autoptr(GResolver) resolver = g_resolver_get_default ();
        g_autofree char *name = g_strconcat ("_atproto.", resolve->handle, NULL);

        g_resolver_lookup_records_async (resolver, name, G_RESOLVER_RECORD_TXT, cancellable,
                                         on_txt_records, g_object_ref (task));
      }
      break;
    case 1:
      {
        g_autofree char *url = g_strdup_printf ("https://%s/.well-known/atproto-did", resolve->handle);
        g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
        GTask *inner;

        if (msg == NULL)
          {
            resolve->step = 2;
            resolve_did_step (task);
            return;
          }
        inner = g_task_new (NULL, cancellable, on_well_known, g_object_ref (task));
        send_request (resolve->session, msg, NULL, TRUE, inner);
        g_object_unref (inner);
      }
      break;
    default:
      {
        g_autofree char *query = make_query ("handle", resolve->handle, NULL);

        plain_xrpc_async (resolve->session, resolve->service ? resolve->service : WC_BLUESKY_ENTRYWAY,
                          "GET", "com.atproto.identity.resolveHandle", query, NULL, NULL,
                          cancellable, on_resolved_by_server, g_object_ref (task));
      }
      break;
    }
}

/**
 * wc_bluesky_resolve_pds_async:
 * @handle: "name.bsky.social"
 * @service: (nullable): the self-hosted PDS to ask for the handle; with it
 *   the DNS and well-known steps are skipped
 * @plc_url: (nullable): the PLC directory, or %NULL for plc.directory
 *
 * Finds the account's DID and its PDS: handle → DID, the DID document, its
 * `#atproto_pds` service, and the document must name the handle back.
 */
void
wc_bluesky_resolve_pds_async (SoupSession         *session,
                              const char          *handle,
                              const char          *service,
                              const char          *plc_url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *clean = NULL;
  Resolve *resolve;

  g_task_set_source_tag (task, wc_bluesky_resolve_pds_async);

  clean = g_ascii_strdown (handle && handle[0] == '@' ? handle + 1 : (handle ? handle : ""), -1);
  g_strstrip (clean);
  if (!is_handle (clean))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Write the full handle, like name.bsky.social."));
      return;
    }

  resolve = g_new0 (Resolve, 1);
  resolve->session = g_object_ref (session);
  resolve->handle = g_steal_pointer (&clean);
  resolve->service = service != NULL ? wc_bluesky_normalize_service (service) : NULL;
  resolve->plc_url = wc_bluesky_normalize_service (plc_url ? plc_url : WC_BLUESKY_PLC_DIRECTORY);
  resolve->step = resolve->service != NULL ? 2 : 0;
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);

  if (service != NULL && resolve->service == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("“%s” is not a server address Whitecoat can use. It must begin with https://."),
                               service);
      return;
    }
  if (resolve->plc_url == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("“%s” is not a server address Whitecoat can use. It must begin with https://."),
                               plc_url);
      return;
    }
  resolve_did_step (task);
}

/**
 * wc_bluesky_resolve_pds_finish:
 * @did: (out) (optional) (transfer full): the account's DID
 *
 * Returns: (transfer full): the PDS address, or %NULL
 */
char *
wc_bluesky_resolve_pds_finish (GAsyncResult  *result,
                               char         **did,
                               GError       **error)
{
  char *pds;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  pds = g_task_propagate_pointer (G_TASK (result), error);
  if (did != NULL)
    {
      Resolve *resolve = g_task_get_task_data (G_TASK (result));
      *did = pds != NULL && resolve != NULL ? g_strdup (resolve->did) : NULL;
    }
  return pds;
}

/* --- Signing in ---------------------------------------------------------- */

typedef struct
{
  SoupSession *session;
  char        *identifier;
  char        *password;  /* wiped */
  char        *service;
  char        *plc_url;
  char        *did;       /* from resolving; nullable */
  char        *pds_url;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->session);
  g_free (sign_in->identifier);
  wipe_free (sign_in->password);
  g_free (sign_in->service);
  g_free (sign_in->plc_url);
  g_free (sign_in->did);
  g_free (sign_in->pds_url);
  g_free (sign_in);
}

static void
on_session_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = plain_finish (result, &error);
  JsonObject *object = root_object (root);
  g_autoptr(WcBlueskySession) session = NULL;
  g_autofree char *pds_from_doc = NULL;
  const char *status;

  if (root == NULL)
    {
      if (g_strcmp0 (error_name_of (result), "AuthenticationRequired") == 0
          || g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                 _("Bluesky did not accept this handle and password. Check both; "
                                   "the password is an app password from Bluesky’s settings."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  session = g_new0 (WcBlueskySession, 1);
  session->did = g_strdup (string_member (object, "did"));
  session->handle = g_strdup (string_member (object, "handle"));
  session->email = g_strdup (string_member (object, "email"));
  session->access_jwt = g_strdup (string_member (object, "accessJwt"));
  session->refresh_jwt = g_strdup (string_member (object, "refreshJwt"));
  if (session->did == NULL || session->handle == NULL || session->access_jwt == NULL
      || session->refresh_jwt == NULL)
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  if (sign_in->did != NULL && g_strcmp0 (sign_in->did, session->did) != 0)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("The server signed in another account than the handle names, so Whitecoat did not keep it."));
      return;
    }
  status = string_member (object, "status");
  if (status != NULL || (json_object_has_member (object, "active")
                         && !json_object_get_boolean_member_with_default (object, "active", TRUE)))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN,
                               /* Translators: %s is Bluesky's word for the state: takendown, suspended, deactivated */
                               _("This Bluesky account is not active (%s)."), status ? status : "deactivated");
      return;
    }

  /* Signed in at the entryway: later calls go straight to the account's
   * PDS, named in the DID document (NETWORKS.md §2.2 item 4). */
  if (json_object_has_member (object, "didDoc"))
    pds_from_doc = wc_bluesky_normalize_service (pds_from_did_doc (root_object (json_object_get_member (object, "didDoc"))));
  session->pds_url = pds_from_doc != NULL ? g_steal_pointer (&pds_from_doc) : g_strdup (sign_in->pds_url);

  g_task_return_pointer (task, g_steal_pointer (&session), (GDestroyNotify) wc_bluesky_session_free);
}

static void
create_session (GTask *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "identifier");
  json_builder_add_string_value (builder, sign_in->identifier);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, sign_in->password);
  json_builder_end_object (builder);
  body = builder_bytes (builder);

  plain_xrpc_async (sign_in->session, sign_in->pds_url, "POST", "com.atproto.server.createSession",
                    NULL, body, NULL, g_task_get_cancellable (task), on_session_created, g_object_ref (task));
}

static void
on_pds_resolved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  sign_in->pds_url = wc_bluesky_resolve_pds_finish (result, &sign_in->did, &error);
  if (sign_in->pds_url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  create_session (task);
}

/**
 * wc_bluesky_sign_in_async:
 * @identifier: a handle or an e-mail address
 * @password: an app password (see wc_bluesky_looks_like_app_password())
 * @service: (nullable): a self-hosted PDS, from the field for it
 * @plc_url: (nullable): the PLC directory, or %NULL for plc.directory
 *
 * Finds the account's PDS and creates a session there (createSession).
 * The caller keeps the tokens in the keyring and the DID as the account's
 * remote id.
 */
void
wc_bluesky_sign_in_async (SoupSession         *session,
                          const char          *identifier,
                          const char          *password,
                          const char          *service,
                          const char          *plc_url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SignIn *sign_in;
  g_autofree char *clean = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_task_set_source_tag (task, wc_bluesky_sign_in_async);

  clean = g_strstrip (g_strdup (identifier ? identifier : ""));
  if (*clean == '\0' || password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Write your handle and an app password."));
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->session = g_object_ref (session);
  sign_in->password = g_strdup (password);
  sign_in->service = service != NULL && *service != '\0' ? wc_bluesky_normalize_service (service) : NULL;
  sign_in->plc_url = g_strdup (plc_url);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  if (service != NULL && *service != '\0' && sign_in->service == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("“%s” is not a server address Whitecoat can use. It must begin with https://."),
                               service);
      return;
    }

  if (strchr (clean + 1, '@') != NULL)
    {
      /* An e-mail address: only the server knows whose it is. */
      sign_in->identifier = g_steal_pointer (&clean);
      sign_in->pds_url = g_strdup (sign_in->service ? sign_in->service : WC_BLUESKY_ENTRYWAY);
      create_session (task);
      return;
    }

  sign_in->identifier = g_ascii_strdown (clean[0] == '@' ? clean + 1 : clean, -1);
  wc_bluesky_resolve_pds_async (session, sign_in->identifier, sign_in->service, plc_url,
                                cancellable, on_pds_resolved, g_steal_pointer (&task));
}

/**
 * wc_bluesky_sign_in_finish:
 *
 * Returns: (transfer full): the session, or %NULL
 */
WcBlueskySession *
wc_bluesky_sign_in_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Records ------------------------------------------------------------- */

typedef struct
{
  char *cid;
} RecordData;

static void
on_record (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (object == NULL || !json_object_has_member (object, "value")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "value")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  g_task_set_task_data (task, g_strdup (string_member (object, "cid")), g_free);
  g_task_return_pointer (task, json_node_copy (json_object_get_member (object, "value")),
                         (GDestroyNotify) json_node_unref);
}

/**
 * wc_bluesky_get_record_async:
 *
 * Reads one record of the account's repository (getRecord).
 */
void
wc_bluesky_get_record_async (WcBluesky           *self,
                             const char          *collection,
                             const char          *rkey,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *query = NULL;

  g_task_set_source_tag (task, wc_bluesky_get_record_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  query = make_query ("repo", self->did, "collection", collection, "rkey", rkey, NULL);
  xrpc_async (self, "GET", "com.atproto.repo.getRecord", query, NULL, NULL, CALL_ACCESS,
              cancellable, on_record, g_steal_pointer (&task));
}

/**
 * wc_bluesky_get_record_finish:
 * @cid: (out) (optional) (transfer full): the record's CID
 *
 * Returns: (transfer full): the record's value, or %NULL (a
 *   %WC_NETWORK_ERROR_NOT_FOUND when there is none)
 */
JsonNode *
wc_bluesky_get_record_finish (WcBluesky     *self,
                              GAsyncResult  *result,
                              char         **cid,
                              GError       **error)
{
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  node = g_task_propagate_pointer (G_TASK (result), error);
  if (cid != NULL)
    *cid = node != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;
  return node;
}

/* --- Publishing ---------------------------------------------------------- */

/* Who may reply, as threadgate rules (and the default's rules). */
static const struct
{
  WcBlueskyReplyRule  flag;
  const char         *type;
} reply_rules[] = {
  { WC_BLUESKY_REPLY_MENTIONED, "app.bsky.feed.threadgate#mentionRule" },
  { WC_BLUESKY_REPLY_FOLLOWING, "app.bsky.feed.threadgate#followingRule" },
  { WC_BLUESKY_REPLY_FOLLOWERS, "app.bsky.feed.threadgate#followerRule" },
};


typedef struct
{
  GBytes *bytes;
  char   *mime_type;
  guint   width;
  guint   height;
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->bytes, g_bytes_unref);
  g_free (prepared->mime_type);
  g_free (prepared);
}

typedef struct
{
  char      *text;
  char      *stored_text;
  GStrv      langs;
  GStrv      labels;
  GStrv      image_paths;
  GStrv      image_alts;
  WcBlueskyReplyRule reply_rule;
  char      *created_at;
  char      *rkey;
  GPtrArray *facets;     /* of WcBlueskyFacet */
  guint      next_facet;
  GPtrArray *prepared;   /* of Prepared */
  GPtrArray *blobs;      /* of JsonNode */
  GError    *write_error;
} Publish;

static void
publish_free (Publish *publish)
{
  g_free (publish->text);
  g_free (publish->stored_text);
  g_strfreev (publish->langs);
  g_strfreev (publish->labels);
  g_strfreev (publish->image_paths);
  g_strfreev (publish->image_alts);
  g_free (publish->created_at);
  g_free (publish->rkey);
  g_clear_pointer (&publish->facets, g_ptr_array_unref);
  g_clear_pointer (&publish->prepared, g_ptr_array_unref);
  g_clear_pointer (&publish->blobs, g_ptr_array_unref);
  g_clear_error (&publish->write_error);
  g_free (publish);
}

static void publish_resolve_next (GTask *task);
static void publish_upload_next (GTask *task);

static char *
post_uri (WcBluesky  *self,
          const char *rkey)
{
  return g_strdup_printf ("at://%s/app.bsky.feed.post/%s", self->did, rkey);
}

static void
add_post_record (WcBluesky   *self,
                 Publish     *publish,
                 JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "$type");
  json_builder_add_string_value (builder, "app.bsky.feed.post");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, publish->stored_text);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, publish->created_at);

  if (publish->langs != NULL && publish->langs[0] != NULL)
    {
      json_builder_set_member_name (builder, "langs");
      json_builder_begin_array (builder);
      for (guint i = 0; publish->langs[i] != NULL && i < 3; i++)
        json_builder_add_string_value (builder, publish->langs[i]);
      json_builder_end_array (builder);
    }

  if (publish->facets->len > 0)
    {
      json_builder_set_member_name (builder, "facets");
      json_builder_begin_array (builder);
      for (guint i = 0; i < publish->facets->len; i++)
        {
          WcBlueskyFacet *facet = g_ptr_array_index (publish->facets, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "$type");
          json_builder_add_string_value (builder, "app.bsky.richtext.facet");
          json_builder_set_member_name (builder, "index");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "byteStart");
          json_builder_add_int_value (builder, facet->byte_start);
          json_builder_set_member_name (builder, "byteEnd");
          json_builder_add_int_value (builder, facet->byte_end);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "features");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "$type");
          switch (facet->kind)
            {
            case WC_BLUESKY_FACET_LINK:
              json_builder_add_string_value (builder, "app.bsky.richtext.facet#link");
              json_builder_set_member_name (builder, "uri");
              json_builder_add_string_value (builder, facet->value);
              break;
            case WC_BLUESKY_FACET_MENTION:
              json_builder_add_string_value (builder, "app.bsky.richtext.facet#mention");
              json_builder_set_member_name (builder, "did");
              json_builder_add_string_value (builder, facet->did);
              break;
            case WC_BLUESKY_FACET_TAG:
            default:
              json_builder_add_string_value (builder, "app.bsky.richtext.facet#tag");
              json_builder_set_member_name (builder, "tag");
              json_builder_add_string_value (builder, facet->value);
              break;
            }
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (publish->blobs->len > 0)
    {
      json_builder_set_member_name (builder, "embed");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "$type");
      json_builder_add_string_value (builder, "app.bsky.embed.images");
      json_builder_set_member_name (builder, "images");
      json_builder_begin_array (builder);
      for (guint i = 0; i < publish->blobs->len; i++)
        {
          Prepared *prepared = g_ptr_array_index (publish->prepared, i);
          const char *alt = publish->image_alts[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "alt");
          json_builder_add_string_value (builder, alt);
          json_builder_set_member_name (builder, "image");
          json_builder_add_value (builder, json_node_copy (g_ptr_array_index (publish->blobs, i)));
          json_builder_set_member_name (builder, "aspectRatio");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "width");
          json_builder_add_int_value (builder, prepared->width);
          json_builder_set_member_name (builder, "height");
          json_builder_add_int_value (builder, prepared->height);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (publish->labels != NULL && publish->labels[0] != NULL)
    {
      json_builder_set_member_name (builder, "labels");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "$type");
      json_builder_add_string_value (builder, "com.atproto.label.defs#selfLabels");
      json_builder_set_member_name (builder, "values");
      json_builder_begin_array (builder);
      for (guint i = 0; publish->labels[i] != NULL && i < 10; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "val");
          json_builder_add_string_value (builder, publish->labels[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_threadgate_record (WcBluesky   *self,
                       Publish     *publish,
                       JsonBuilder *builder)
{
  g_autofree char *uri = post_uri (self, publish->rkey);
  WcBlueskyReplyRule rule = publish->reply_rule;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "$type");
  json_builder_add_string_value (builder, "app.bsky.feed.threadgate");
  json_builder_set_member_name (builder, "post");
  json_builder_add_string_value (builder, uri);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, publish->created_at);
  /* An empty list means nobody may reply. */
  json_builder_set_member_name (builder, "allow");
  json_builder_begin_array (builder);
  if (!(rule & WC_BLUESKY_REPLY_NOBODY))
    {
      for (guint i = 0; i < G_N_ELEMENTS (reply_rules); i++)
        if (rule & reply_rules[i].flag)
          {
            json_builder_begin_object (builder);
            json_builder_set_member_name (builder, "$type");
            json_builder_add_string_value (builder, reply_rules[i].type);
            json_builder_end_object (builder);
          }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static WcBlueskyPosted *
posted_new (WcBluesky  *self,
            const char *rkey,
            const char *cid,
            gboolean    already_there)
{
  WcBlueskyPosted *posted = g_new0 (WcBlueskyPosted, 1);

  posted->uri = post_uri (self, rkey);
  posted->cid = g_strdup (cid);
  posted->rkey = g_strdup (rkey);
  posted->already_there = already_there;
  return posted;
}

static void
on_existing_post (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = WC_BLUESKY (source);
  Publish *publish = g_task_get_task_data (task);
  g_autofree char *cid = NULL;
  g_autoptr(JsonNode) record = wc_bluesky_get_record_finish (self, result, &cid, NULL);

  if (record == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&publish->write_error));
      return;
    }
  g_debug ("The post %s was already written; counting it as sent", publish->rkey);
  g_task_return_pointer (task, posted_new (self, publish->rkey, cid, TRUE),
                         (GDestroyNotify) wc_bluesky_posted_free);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = WC_BLUESKY (source);
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);
  JsonArray *results;
  JsonObject *first;

  if (root == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The write may have happened with its answer lost, or happened on
       * an earlier attempt: the record key says. */
      publish->write_error = g_steal_pointer (&error);
      wc_bluesky_get_record_async (self, "app.bsky.feed.post", publish->rkey, NULL,
                                   on_existing_post, g_steal_pointer (&task));
      return;
    }

  if (object == NULL || !json_object_has_member (object, "results")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "results")))
    {
      /* Older servers answer applyWrites with nothing: it was written. */
      g_task_return_pointer (task, posted_new (self, publish->rkey, NULL, FALSE),
                             (GDestroyNotify) wc_bluesky_posted_free);
      return;
    }
  results = json_object_get_array_member (object, "results");
  first = json_array_get_length (results) > 0 ? root_object (json_array_get_element (results, 0)) : NULL;
  g_task_return_pointer (task, posted_new (self, publish->rkey, string_member (first, "cid"), FALSE),
                         (GDestroyNotify) wc_bluesky_posted_free);
}

static void
publish_write (GTask *task)
{
  WcBluesky *self = g_task_get_source_object (task);
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "repo");
  json_builder_add_string_value (builder, self->did);
  json_builder_set_member_name (builder, "writes");
  json_builder_begin_array (builder);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "$type");
  json_builder_add_string_value (builder, "com.atproto.repo.applyWrites#create");
  json_builder_set_member_name (builder, "collection");
  json_builder_add_string_value (builder, "app.bsky.feed.post");
  json_builder_set_member_name (builder, "rkey");
  json_builder_add_string_value (builder, publish->rkey);
  json_builder_set_member_name (builder, "value");
  add_post_record (self, publish, builder);
  json_builder_end_object (builder);

  /* The threadgate in the same commit, with the post's record key
   * (NETWORKS.md §2.6). */
  if (publish->reply_rule != WC_BLUESKY_REPLY_ANYONE)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "$type");
      json_builder_add_string_value (builder, "com.atproto.repo.applyWrites#create");
      json_builder_set_member_name (builder, "collection");
      json_builder_add_string_value (builder, "app.bsky.feed.threadgate");
      json_builder_set_member_name (builder, "rkey");
      json_builder_add_string_value (builder, publish->rkey);
      json_builder_set_member_name (builder, "value");
      add_threadgate_record (self, publish, builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  xrpc_json_async (self, "com.atproto.repo.applyWrites", builder, g_task_get_cancellable (task),
                   on_written, g_object_ref (task));
}

static void
on_blob_uploaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (object == NULL || !json_object_has_member (object, "blob")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "blob")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  g_ptr_array_add (publish->blobs, json_node_copy (json_object_get_member (object, "blob")));
  publish_upload_next (task);
}

static void
publish_upload_next (GTask *task)
{
  WcBluesky *self = g_task_get_source_object (task);
  Publish *publish = g_task_get_task_data (task);
  Prepared *prepared;

  if (publish->blobs->len == publish->prepared->len)
    {
      publish_write (task);
      return;
    }
  prepared = g_ptr_array_index (publish->prepared, publish->blobs->len);
  xrpc_async (self, "POST", "com.atproto.repo.uploadBlob", NULL, prepared->bytes, prepared->mime_type,
              CALL_ACCESS, g_task_get_cancellable (task), on_blob_uploaded, g_object_ref (task));
}

static void
prepare_images_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  GStrv paths = task_data;
  g_autoptr(GPtrArray) prepared = g_ptr_array_new_with_free_func ((GDestroyNotify) prepared_free);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      Prepared *one = g_new0 (Prepared, 1);
      GError *error = NULL;

      one->bytes = wc_image_strip_for_upload (paths[i], WC_BLUESKY_MAX_IMAGE_BYTES, &one->mime_type,
                                              &one->width, &one->height, &error);
      if (one->bytes == NULL)
        {
          prepared_free (one);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (prepared, one);
      if (g_task_return_error_if_cancelled (task))
        return;
    }
  g_task_return_pointer (task, g_steal_pointer (&prepared), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_images_prepared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *prepared = g_task_propagate_pointer (G_TASK (result), &error);

  if (prepared == NULL)
    {
      /* The image domain's message says what is wrong with the picture. */
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED, "%s", error->message);
      return;
    }
  publish->prepared = prepared;
  publish_upload_next (task);
}

static void
publish_prepare_images (GTask *task)
{
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(GTask) thread_task = NULL;

  if (publish->image_paths == NULL || publish->image_paths[0] == NULL)
    {
      publish->prepared = g_ptr_array_new_with_free_func ((GDestroyNotify) prepared_free);
      publish_upload_next (task);
      return;
    }
  thread_task = g_task_new (NULL, g_task_get_cancellable (task), on_images_prepared, g_object_ref (task));
  g_task_set_task_data (thread_task, g_strdupv (publish->image_paths), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (thread_task, prepare_images_in_thread);
}

static void
on_mention_resolved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Publish *publish = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  WcBlueskyFacet *facet = g_ptr_array_index (publish->facets, publish->next_facet);
  const char *did = string_member (root_object (root), "did");

  if (root == NULL && wc_network_error_is_transient (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (did != NULL && g_str_has_prefix (did, "did:"))
    {
      facet->did = g_strdup (did);
      publish->next_facet++;
    }
  else
    {
      /* A handle nobody has stays plain text (NETWORKS.md §2.4). */
      g_debug ("A mention could not be resolved; leaving it as text");
      g_ptr_array_remove_index (publish->facets, publish->next_facet);
    }
  publish_resolve_next (task);
}

static void
publish_resolve_next (GTask *task)
{
  WcBluesky *self = g_task_get_source_object (task);
  Publish *publish = g_task_get_task_data (task);

  while (publish->next_facet < publish->facets->len)
    {
      WcBlueskyFacet *facet = g_ptr_array_index (publish->facets, publish->next_facet);

      if (facet->kind == WC_BLUESKY_FACET_MENTION && facet->did == NULL)
        {
          g_autofree char *query = make_query ("handle", facet->value, NULL);

          xrpc_async (self, "GET", "com.atproto.identity.resolveHandle", query, NULL, NULL, CALL_ACCESS,
                      g_task_get_cancellable (task), on_mention_resolved, g_object_ref (task));
          return;
        }
      publish->next_facet++;
    }
  publish_prepare_images (task);
}

static char *
format_created_at (GDateTime *when)
{
  g_autoptr(GDateTime) now = when == NULL ? g_date_time_new_now_utc () : g_date_time_to_utc (when);

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/**
 * wc_bluesky_publish_async:
 * @post: what to publish; copied
 * @rkey: the record key chosen when the post was scheduled, a TID
 *   (wc_bluesky_rkey_for_key())
 *
 * Publishes @post: facets at UTF-8 byte offsets in the text as stored
 * (links shortened, mentions resolved to DIDs), images stripped of their
 * metadata and shrunk below 1,000,000 bytes, uploaded, with alt text and
 * aspect ratio; self-labels; and, unless anyone may reply, a threadgate in
 * the same applyWrites call with the same record key.
 *
 * Exactly once: when the write fails, or its answer is lost, the record
 * key is looked up; a post already there counts as sent. Errors otherwise
 * are %WC_NETWORK_ERROR, transient ones (wc_network_error_is_transient())
 * worth retrying with the same @rkey.
 */
void
wc_bluesky_publish_async (WcBluesky           *self,
                          const WcBlueskyPost *post,
                          const char          *rkey,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Publish *publish;
  guint n_graphemes;

  g_return_if_fail (WC_IS_BLUESKY (self));
  g_return_if_fail (post != NULL && post->text != NULL);
  g_task_set_source_tag (task, wc_bluesky_publish_async);

  if (!check_ready (self, task, CALL_ACCESS))
    return;
  if (!wc_bluesky_is_tid (rkey))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               /* Translators: %s is a technical identifier */
                               _("Whitecoat made no valid record key for this post (%s)."), rkey ? rkey : "");
      return;
    }
  if (post->n_images > 4)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("Bluesky takes at most 4 pictures in a post."));
      return;
    }
  if (!g_utf8_validate (post->text, -1, NULL))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("The text of this post is damaged (not UTF-8)."));
      return;
    }

  publish = g_new0 (Publish, 1);
  publish->text = g_strdup (post->text);
  publish->facets = wc_bluesky_parse_facets (post->text, &publish->stored_text);
  publish->langs = g_strdupv ((GStrv) post->langs);
  publish->labels = g_strdupv ((GStrv) post->labels);
  publish->reply_rule = post->reply_rule;
  publish->created_at = format_created_at (post->created_at);
  publish->rkey = g_strdup (rkey);
  publish->blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  if (post->n_images > 0)
    {
      publish->image_paths = g_new0 (char *, post->n_images + 1);
      publish->image_alts = g_new0 (char *, post->n_images + 1);
      for (guint i = 0; i < post->n_images; i++)
        {
          publish->image_paths[i] = g_strdup (post->images[i].path);
          publish->image_alts[i] = g_strdup (post->images[i].alt ? post->images[i].alt : "");
        }
    }
  g_task_set_task_data (task, publish, (GDestroyNotify) publish_free);

  /* The server checks the stored text: ≤ 300 graphemes, ≤ 3000 bytes. */
  n_graphemes = wc_text_count_graphemes (publish->stored_text, -1);
  if (n_graphemes > 300 || strlen (publish->stored_text) > 3000)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "This post is %u character long; Bluesky takes at most 300.",
                                            "This post is %u characters long; Bluesky takes at most 300.",
                                            n_graphemes),
                               n_graphemes);
      return;
    }

  publish_resolve_next (task);
}

/**
 * wc_bluesky_publish_finish:
 *
 * Returns: (transfer full): the post, or %NULL
 */
WcBlueskyPosted *
wc_bluesky_publish_finish (WcBluesky     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Followers ----------------------------------------------------------- */

typedef struct
{
  WcHasher                   *hasher;
  WcFollowerSnapshot         *snapshot;
  char                       *cursor;
  WcBlueskyFollowersProgress  progress;
  gpointer                    progress_data;
} Followers;

static void
followers_free (Followers *followers)
{
  g_clear_pointer (&followers->hasher, wc_hasher_unref);
  g_clear_pointer (&followers->snapshot, wc_follower_snapshot_unref);
  g_free (followers->cursor);
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
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);
  JsonObject *subject;
  JsonArray *array;
  const char *cursor;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (object == NULL || !json_object_has_member (object, "followers")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "followers")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }

  subject = json_object_has_member (object, "subject") ? root_object (json_object_get_member (object, "subject")) : NULL;
  if (subject != NULL && json_object_has_member (subject, "followersCount"))
    wc_follower_snapshot_set_followers_count (followers->snapshot,
                                              json_object_get_int_member_with_default (subject, "followersCount", -1));

  array = json_object_get_array_member (object, "followers");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *actor = root_object (json_array_get_element (array, i));
      const char *handle = string_member (actor, "handle");
      const char *display_name = string_member (actor, "displayName");

      if (handle == NULL)
        continue;
      if (followers->hasher != NULL)
        wc_follower_snapshot_add_hashed (followers->snapshot, followers->hasher, handle, display_name);
      else
        wc_follower_snapshot_add (followers->snapshot, handle, display_name, NULL);
    }

  cursor = string_member (object, "cursor");
  /* A cursor that does not move would loop forever. */
  if (cursor != NULL && (json_array_get_length (array) == 0 || g_strcmp0 (cursor, followers->cursor) == 0))
    cursor = NULL;
  g_free (followers->cursor);
  followers->cursor = g_strdup (cursor);

  if (cursor == NULL)
    {
      guint n;

      wc_follower_snapshot_get_followers (followers->snapshot, &n);
      wc_follower_snapshot_set_complete (followers->snapshot, TRUE);
      if (wc_follower_snapshot_get_followers_count (followers->snapshot) < 0)
        wc_follower_snapshot_set_followers_count (followers->snapshot, n);
    }
  if (followers->progress != NULL)
    followers->progress (followers->snapshot, followers->cursor, followers->progress_data);

  if (cursor == NULL)
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
  WcBluesky *self = g_task_get_source_object (task);
  Followers *followers = g_task_get_task_data (task);
  g_autofree char *limit = g_strdup_printf ("%u", WC_BLUESKY_FOLLOWERS_PER_PAGE);
  g_autofree char *query = make_query ("actor", self->did, "limit", limit, "cursor", followers->cursor, NULL);

  xrpc_async (self, "GET", "app.bsky.graph.getFollowers", query, NULL, NULL, CALL_ACCESS,
              g_task_get_cancellable (task), on_followers_page, g_object_ref (task));
}

/**
 * wc_bluesky_fetch_followers_async:
 * @hasher: (nullable): to give every follower the keyed hash of its handle
 * @snapshot: (nullable): the unfinished snapshot that goes with
 *   @resume_cursor, or %NULL to start one
 * @resume_cursor: (nullable): a cursor @progress reported
 * @progress: (nullable) (scope call): called after every page
 *
 * Reads every follower with getFollowers, 100 a page, until the server
 * gives no cursor. Followers are handles; the list of any account is
 * public on Bluesky and cannot be hidden.
 */
void
wc_bluesky_fetch_followers_async (WcBluesky                  *self,
                                  WcHasher                   *hasher,
                                  WcFollowerSnapshot         *snapshot,
                                  const char                 *resume_cursor,
                                  WcBlueskyFollowersProgress  progress,
                                  gpointer                    progress_data,
                                  GCancellable               *cancellable,
                                  GAsyncReadyCallback         callback,
                                  gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Followers *followers;

  g_task_set_source_tag (task, wc_bluesky_fetch_followers_async);
  g_return_if_fail (resume_cursor == NULL || snapshot != NULL);
  if (!check_ready (self, task, CALL_ACCESS))
    return;

  followers = g_new0 (Followers, 1);
  followers->hasher = hasher != NULL ? wc_hasher_ref (hasher) : NULL;
  followers->snapshot = snapshot != NULL
                        ? wc_follower_snapshot_ref (snapshot)
                        : wc_follower_snapshot_new (self->account ? wc_account_get_id (self->account) : 0,
                                                    g_get_real_time () / G_USEC_PER_SEC);
  if (snapshot == NULL)
    wc_follower_snapshot_set_followers_count (followers->snapshot, -1);
  followers->cursor = g_strdup (resume_cursor);
  followers->progress = progress;
  followers->progress_data = progress_data;
  g_task_set_task_data (task, followers, (GDestroyNotify) followers_free);

  fetch_followers_page (task);
}

WcFollowerSnapshot *
wc_bluesky_fetch_followers_finish (WcBluesky     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Followers as people ------------------------------------------------- */

static void
on_follower_actors (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);
  g_autoptr(GPtrArray) actors = NULL;
  const char *cursor;
  JsonArray *array;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (object == NULL || !json_object_has_member (object, "followers")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "followers")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }

  actors = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_bluesky_actor_free);
  array = json_object_get_array_member (object, "followers");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *view = root_object (json_array_get_element (array, i));
      WcBlueskyActor *actor;

      if (string_member (view, "did") == NULL || string_member (view, "handle") == NULL)
        continue;
      actor = g_new0 (WcBlueskyActor, 1);
      actor->did = g_strdup (string_member (view, "did"));
      actor->handle = g_strdup (string_member (view, "handle"));
      actor->display_name = g_strdup (string_member (view, "displayName"));
      actor->description = g_strdup (string_member (view, "description"));
      g_ptr_array_add (actors, actor);
    }

  /* A cursor that does not move, or an empty page, ends the list. */
  cursor = string_member (object, "cursor");
  if (cursor != NULL && (json_array_get_length (array) == 0
                         || g_strcmp0 (cursor, g_task_get_task_data (task)) == 0))
    cursor = NULL;
  g_task_set_task_data (task, g_strdup (cursor), g_free);
  g_task_return_pointer (task, g_steal_pointer (&actors), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * wc_bluesky_list_followers_async:
 * @cursor: (nullable): where the previous page ended
 *
 * One page (WC_BLUESKY_FOLLOWERS_PER_PAGE) of the account's followers from
 * getFollowers, the call wc_bluesky_fetch_followers_async() makes, with
 * what the snapshot leaves out: each follower's DID (to block or mute
 * them) and profile description (for the screening).
 */
void
wc_bluesky_list_followers_async (WcBluesky           *self,
                                 const char          *cursor,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *limit = g_strdup_printf ("%u", WC_BLUESKY_FOLLOWERS_PER_PAGE);
  g_autofree char *query = NULL;

  g_task_set_source_tag (task, wc_bluesky_list_followers_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  g_task_set_task_data (task, g_strdup (cursor), g_free);
  query = make_query ("actor", self->did, "limit", limit, "cursor", cursor, NULL);
  xrpc_async (self, "GET", "app.bsky.graph.getFollowers", query, NULL, NULL, CALL_ACCESS,
              cancellable, on_follower_actors, g_steal_pointer (&task));
}

/**
 * wc_bluesky_list_followers_finish:
 * @next_cursor: (out) (optional) (transfer full): for the next page; %NULL
 *   at the end
 *
 * Returns: (transfer full) (element-type WcBlueskyActor): the followers of
 *   the page
 */
GPtrArray *
wc_bluesky_list_followers_finish (WcBluesky     *self,
                                  GAsyncResult  *result,
                                  char         **next_cursor,
                                  GError       **error)
{
  GPtrArray *actors;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  actors = g_task_propagate_pointer (G_TASK (result), error);
  if (next_cursor != NULL)
    *next_cursor = actors != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;
  return actors;
}

/* --- New followers, block, mute ------------------------------------------ */

static void
on_notifications (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonObject *object = root_object (root);
  g_autoptr(GPtrArray) actors = NULL;
  JsonArray *array;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (object == NULL || !json_object_has_member (object, "notifications")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "notifications")))
    {
      g_task_return_error (task, bad_answer ());
      return;
    }

  actors = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_bluesky_actor_free);
  array = json_object_get_array_member (object, "notifications");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = root_object (json_array_get_element (array, i));
      JsonObject *author = item && json_object_has_member (item, "author")
                           ? root_object (json_object_get_member (item, "author")) : NULL;
      WcBlueskyActor *actor;
      const char *indexed_at = string_member (item, "indexedAt");

      if (g_strcmp0 (string_member (item, "reason"), "follow") != 0
          || string_member (author, "did") == NULL || string_member (author, "handle") == NULL)
        continue;
      actor = g_new0 (WcBlueskyActor, 1);
      actor->did = g_strdup (string_member (author, "did"));
      actor->handle = g_strdup (string_member (author, "handle"));
      actor->display_name = g_strdup (string_member (author, "displayName"));
      actor->description = g_strdup (string_member (author, "description"));
      actor->follow_uri = g_strdup (string_member (item, "uri"));
      if (indexed_at != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (indexed_at, NULL);
          actor->followed_at = when != NULL ? g_date_time_to_unix (when) : 0;
        }
      g_ptr_array_add (actors, actor);
    }
  g_task_set_task_data (task, g_strdup (string_member (object, "cursor")), g_free);
  g_task_return_pointer (task, g_steal_pointer (&actors), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * wc_bluesky_list_new_followers_async:
 * @cursor: (nullable): where the previous page ended
 *
 * Bluesky has no follow requests: the accounts that followed lately, from
 * listNotifications with reason follow, newest first, for screening after
 * the fact (block or mute).
 */
void
wc_bluesky_list_new_followers_async (WcBluesky           *self,
                                     const char          *cursor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *query = NULL;

  g_task_set_source_tag (task, wc_bluesky_list_new_followers_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  query = make_query ("reasons", "follow", "limit", "50", "cursor", cursor, NULL);
  xrpc_async (self, "GET", "app.bsky.notification.listNotifications", query, NULL, NULL, CALL_ACCESS,
              cancellable, on_notifications, g_steal_pointer (&task));
}

/**
 * wc_bluesky_list_new_followers_finish:
 * @next_cursor: (out) (optional) (transfer full): for the next page; %NULL
 *   at the end
 *
 * Returns: (transfer full) (element-type WcBlueskyActor): the new followers
 */
GPtrArray *
wc_bluesky_list_new_followers_finish (WcBluesky     *self,
                                      GAsyncResult  *result,
                                      char         **next_cursor,
                                      GError       **error)
{
  GPtrArray *actors;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  actors = g_task_propagate_pointer (G_TASK (result), error);
  if (next_cursor != NULL)
    *next_cursor = actors != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;
  return actors;
}

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * wc_bluesky_block_async:
 * @did: the account to block
 *
 * Writes an app.bsky.graph.block record: public, like every record.
 */
void
wc_bluesky_block_async (WcBluesky           *self,
                        const char          *did,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = format_created_at (NULL);

  g_task_set_source_tag (task, wc_bluesky_block_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "repo");
  json_builder_add_string_value (builder, self->did);
  json_builder_set_member_name (builder, "collection");
  json_builder_add_string_value (builder, "app.bsky.graph.block");
  json_builder_set_member_name (builder, "record");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "$type");
  json_builder_add_string_value (builder, "app.bsky.graph.block");
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, did);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  xrpc_json_async (self, "com.atproto.repo.createRecord", builder, cancellable,
                   on_action_done, g_steal_pointer (&task));
}

/**
 * wc_bluesky_mute_async:
 * @did: the account to mute
 *
 * Mutes through the app view (muteActor): private, no record.
 */
void
wc_bluesky_mute_async (WcBluesky           *self,
                       const char          *did,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_task_set_source_tag (task, wc_bluesky_mute_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, did);
  json_builder_end_object (builder);
  xrpc_json_async (self, "app.bsky.graph.muteActor", builder, cancellable,
                   on_action_done, g_steal_pointer (&task));
}

gboolean
wc_bluesky_action_finish (WcBluesky     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Logged-out visibility ----------------------------------------------- */

static gboolean
has_no_unauthenticated (JsonNode *record)
{
  JsonObject *object = root_object (record);
  JsonObject *labels;
  JsonArray *values;

  if (object == NULL || !json_object_has_member (object, "labels"))
    return FALSE;
  labels = root_object (json_object_get_member (object, "labels"));
  if (labels == NULL || !json_object_has_member (labels, "values")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (labels, "values")))
    return FALSE;
  values = json_object_get_array_member (labels, "values");
  for (guint i = 0; i < json_array_get_length (values); i++)
    if (g_strcmp0 (string_member (root_object (json_array_get_element (values, i)), "val"),
                   NO_UNAUTHENTICATED) == 0)
      return TRUE;
  return FALSE;
}

static void
on_profile_for_get (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = wc_bluesky_get_record_finish (WC_BLUESKY (source), result, NULL, &error);

  if (record == NULL && !g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, has_no_unauthenticated (record) ? WC_TRISTATE_YES : WC_TRISTATE_NO);
}

/**
 * wc_bluesky_get_logged_out_restricted_async:
 *
 * Reads whether the profile record carries "!no-unauthenticated": a
 * request to apps not to show the account to logged-out visitors, which
 * apps may ignore.
 */
void
wc_bluesky_get_logged_out_restricted_async (WcBluesky           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_bluesky_get_logged_out_restricted_async);
  wc_bluesky_get_record_async (self, "app.bsky.actor.profile", "self", cancellable,
                               on_profile_for_get, task);
}

WcTristate
wc_bluesky_get_logged_out_restricted_finish (WcBluesky     *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), WC_TRISTATE_UNKNOWN);
  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return WC_TRISTATE_UNKNOWN;
    }
  return (WcTristate) value;
}

typedef struct
{
  gboolean restricted;
  guint    attempts;
} SetLabel;

static void set_label_begin (GTask *task);

static void
on_profile_put (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SetLabel *set = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);

  if (root == NULL)
    {
      /* The profile changed in between (another app): read it again. */
      if (g_strcmp0 (call_error_name (result), "InvalidSwap") == 0 && set->attempts < 3)
        {
          set_label_begin (task);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_profile_for_set (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = WC_BLUESKY (source);
  SetLabel *set = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *cid = NULL;
  g_autoptr(JsonNode) record = wc_bluesky_get_record_finish (self, result, &cid, &error);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *object;
  JsonObject *labels;
  JsonArray *values;
  g_autoptr(JsonArray) kept = json_array_new ();

  if (record == NULL && !g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (record == NULL)
    {
      record = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (record, json_object_new ());
    }
  if (has_no_unauthenticated (record) == set->restricted)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The whole record goes back, with only the label changed. */
  object = json_node_get_object (record);
  json_object_set_string_member (object, "$type", "app.bsky.actor.profile");
  labels = json_object_has_member (object, "labels") ? root_object (json_object_get_member (object, "labels")) : NULL;
  if (labels == NULL)
    {
      labels = json_object_new ();
      json_object_set_object_member (object, "labels", labels);
    }
  json_object_set_string_member (labels, "$type", "com.atproto.label.defs#selfLabels");
  values = json_object_has_member (labels, "values") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (labels, "values"))
           ? json_object_get_array_member (labels, "values") : NULL;
  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *value = json_array_get_element (values, i);

      if (g_strcmp0 (string_member (root_object (value), "val"), NO_UNAUTHENTICATED) != 0)
        json_array_add_element (kept, json_node_copy (value));
    }
  if (set->restricted)
    {
      JsonObject *label = json_object_new ();

      json_object_set_string_member (label, "val", NO_UNAUTHENTICATED);
      json_array_add_object_element (kept, label);
    }
  json_object_set_array_member (labels, "values", json_array_ref (kept));

  json_object_set_string_member (body, "repo", self->did);
  json_object_set_string_member (body, "collection", "app.bsky.actor.profile");
  json_object_set_string_member (body, "rkey", "self");
  json_object_set_member (body, "record", json_node_copy (record));
  if (cid != NULL)
    json_object_set_string_member (body, "swapRecord", cid);
  else
    json_object_set_null_member (body, "swapRecord");
  body_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body_node, body);
  bytes = json_bytes (body_node);

  set->attempts++;
  xrpc_async (self, "POST", "com.atproto.repo.putRecord", NULL, bytes, "application/json", CALL_ACCESS,
              g_task_get_cancellable (task), on_profile_put, g_object_ref (task));
}

static void
set_label_begin (GTask *task)
{
  wc_bluesky_get_record_async (g_task_get_source_object (task), "app.bsky.actor.profile", "self",
                               g_task_get_cancellable (task), on_profile_for_set, g_object_ref (task));
}

/**
 * wc_bluesky_set_logged_out_restricted_async:
 *
 * Adds or removes the "!no-unauthenticated" self-label on the profile
 * record: putRecord with swapRecord, so that a change another app made in
 * between is not overwritten (it is read again and the label applied to
 * it).
 */
void
wc_bluesky_set_logged_out_restricted_async (WcBluesky           *self,
                                            gboolean             restricted,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SetLabel *set = g_new0 (SetLabel, 1);

  g_task_set_source_tag (task, wc_bluesky_set_logged_out_restricted_async);
  set->restricted = restricted;
  g_task_set_task_data (task, set, g_free);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  set_label_begin (task);
}

gboolean
wc_bluesky_set_logged_out_restricted_finish (WcBluesky     *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- The default who-can-reply ------------------------------------------- */

#define INTERACTION_PREF "app.bsky.actor.defs#postInteractionSettingsPref"


static JsonObject *
find_interaction_pref (JsonArray *preferences)
{
  for (guint i = 0; preferences != NULL && i < json_array_get_length (preferences); i++)
    {
      JsonObject *pref = root_object (json_array_get_element (preferences, i));

      if (g_strcmp0 (string_member (pref, "$type"), INTERACTION_PREF) == 0)
        return pref;
    }
  return NULL;
}

static JsonArray *
preferences_of (JsonNode *root)
{
  JsonObject *object = root_object (root);

  if (object == NULL || !json_object_has_member (object, "preferences")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "preferences")))
    return NULL;
  return json_object_get_array_member (object, "preferences");
}

static WcBlueskyReplyRule
reply_rule_from_pref (JsonObject *pref)
{
  WcBlueskyReplyRule rule = WC_BLUESKY_REPLY_ANYONE;
  JsonArray *allow;

  /* No rules: anyone; an empty list: nobody (as for a threadgate). */
  if (pref == NULL || !json_object_has_member (pref, "threadgateAllowRules")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (pref, "threadgateAllowRules")))
    return WC_BLUESKY_REPLY_ANYONE;
  allow = json_object_get_array_member (pref, "threadgateAllowRules");
  if (json_array_get_length (allow) == 0)
    return WC_BLUESKY_REPLY_NOBODY;
  for (guint i = 0; i < json_array_get_length (allow); i++)
    {
      const char *type = string_member (root_object (json_array_get_element (allow, i)), "$type");

      for (guint j = 0; j < G_N_ELEMENTS (reply_rules); j++)
        if (g_strcmp0 (type, reply_rules[j].type) == 0)
          rule |= reply_rules[j].flag;
    }
  return rule;
}

static void
on_preferences_for_get (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  JsonArray *preferences;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  preferences = preferences_of (root);
  if (preferences == NULL)
    {
      g_task_return_error (task, bad_answer ());
      return;
    }
  g_task_return_int (task, reply_rule_from_pref (find_interaction_pref (preferences)));
}

/**
 * wc_bluesky_get_reply_default_async:
 *
 * Reads the account's default for who may reply to new posts (the
 * postInteractionSettingsPref preference). Bluesky's apps apply it to new
 * posts; the server does not, so Whitecoat applies it too.
 */
void
wc_bluesky_get_reply_default_async (WcBluesky           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_bluesky_get_reply_default_async);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  xrpc_async (self, "GET", "app.bsky.actor.getPreferences", NULL, NULL, NULL, CALL_ACCESS,
              cancellable, on_preferences_for_get, g_steal_pointer (&task));
}

/**
 * wc_bluesky_get_reply_default_finish:
 *
 * Returns: the rule; %WC_BLUESKY_REPLY_ANYONE also on error (check @error)
 */
WcBlueskyReplyRule
wc_bluesky_get_reply_default_finish (WcBluesky     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), WC_BLUESKY_REPLY_ANYONE);
  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return WC_BLUESKY_REPLY_ANYONE;
    }
  return (WcBlueskyReplyRule) value;
}

static void
on_preferences_put (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_preferences_for_set (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *self = g_task_get_source_object (task);
  WcBlueskyReplyRule rule = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = xrpc_finish (result, &error);
  g_autoptr(JsonArray) allow = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonArray *preferences;
  JsonObject *pref;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  preferences = preferences_of (root);
  if (preferences == NULL)
    {
      g_task_return_error (task, bad_answer ());
      return;
    }

  /* Every other preference goes back as it was (NETWORKS.md §2.6). */
  pref = find_interaction_pref (preferences);
  if (pref == NULL)
    {
      pref = json_object_new ();
      json_object_set_string_member (pref, "$type", INTERACTION_PREF);
      json_array_add_object_element (preferences, pref);
    }

  allow = json_array_new ();
  if (json_object_has_member (pref, "threadgateAllowRules")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (pref, "threadgateAllowRules")))
    {
      JsonArray *old = json_object_get_array_member (pref, "threadgateAllowRules");

      /* List rules are the user's own; Whitecoat keeps them. */
      for (guint i = 0; i < json_array_get_length (old) && rule != WC_BLUESKY_REPLY_ANYONE
                        && !(rule & WC_BLUESKY_REPLY_NOBODY); i++)
        if (g_strcmp0 (string_member (root_object (json_array_get_element (old, i)), "$type"),
                       "app.bsky.feed.threadgate#listRule") == 0)
          json_array_add_element (allow, json_node_copy (json_array_get_element (old, i)));
    }
  if (!(rule & WC_BLUESKY_REPLY_NOBODY))
    for (guint j = 0; j < G_N_ELEMENTS (reply_rules); j++)
      if (rule & reply_rules[j].flag)
        {
          JsonObject *item = json_object_new ();

          json_object_set_string_member (item, "$type", reply_rules[j].type);
          json_array_add_object_element (allow, item);
        }
  if (rule == WC_BLUESKY_REPLY_ANYONE)
    json_object_remove_member (pref, "threadgateAllowRules");
  else
    json_object_set_array_member (pref, "threadgateAllowRules", json_array_ref (allow));

  bytes = json_bytes (root);
  xrpc_async (self, "POST", "app.bsky.actor.putPreferences", NULL, bytes, "application/json", CALL_ACCESS,
              g_task_get_cancellable (task), on_preferences_put, g_object_ref (task));
}

/**
 * wc_bluesky_set_reply_default_async:
 *
 * Writes the default who-can-reply, keeping every other preference (the
 * preferences are read, changed and written back whole).
 */
void
wc_bluesky_set_reply_default_async (WcBluesky           *self,
                                    WcBlueskyReplyRule   rule,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, wc_bluesky_set_reply_default_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (rule), NULL);
  if (!check_ready (self, task, CALL_ACCESS))
    return;
  xrpc_async (self, "GET", "app.bsky.actor.getPreferences", NULL, NULL, NULL, CALL_ACCESS,
              cancellable, on_preferences_for_set, g_steal_pointer (&task));
}

gboolean
wc_bluesky_set_reply_default_finish (WcBluesky     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- WcNetwork ----------------------------------------------------------- */

static WcNetworkCapabilities
wc_bluesky_get_capabilities (WcNetwork *network)
{
  return WC_NETWORK_CAPABILITY_SIGN_IN | WC_NETWORK_CAPABILITY_POST | WC_NETWORK_CAPABILITY_FOLLOWERS
         | WC_NETWORK_CAPABILITY_REQUESTS | WC_NETWORK_CAPABILITY_SETTINGS;
}

static void
wc_network_iface_init (WcNetworkInterface *iface)
{
  iface->get_capabilities = wc_bluesky_get_capabilities;
}

/* --- GObject ------------------------------------------------------------- */

static void
wc_bluesky_dispose (GObject *object)
{
  WcBluesky *self = (WcBluesky *) object;

  g_clear_object (&self->account);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wc_bluesky_parent_class)->dispose (object);
}

static void
wc_bluesky_finalize (GObject *object)
{
  WcBluesky *self = (WcBluesky *) object;

  g_free (self->pds_url);
  g_free (self->did);
  set_tokens (self, NULL, NULL);
  g_clear_pointer (&self->refresh_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_bluesky_parent_class)->finalize (object);
}

static void
wc_bluesky_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WcBluesky *self = WC_BLUESKY (object);

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
wc_bluesky_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WcBluesky *self = WC_BLUESKY (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      if (self->account != NULL)
        {
          self->pds_url = wc_bluesky_normalize_service (wc_account_get_server (self->account));
          self->did = g_strdup (wc_account_get_remote_id (self->account));
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_bluesky_constructed (GObject *object)
{
  WcBluesky *self = (WcBluesky *) object;

  G_OBJECT_CLASS (wc_bluesky_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                   "timeout", REQUEST_TIMEOUT,
                                                   NULL);
}

static void
wc_bluesky_class_init (WcBlueskyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = wc_bluesky_constructed;
  object_class->dispose = wc_bluesky_dispose;
  object_class->finalize = wc_bluesky_finalize;
  object_class->get_property = wc_bluesky_get_property;
  object_class->set_property = wc_bluesky_set_property;

  g_object_class_override_property (object_class, PROP_ACCOUNT, "account");

  /**
   * WcBluesky::tokens-changed:
   *
   * The session was refreshed; the new tokens are in the keyring for a
   * stored account.
   */
  signals[TOKENS_CHANGED] = g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
wc_bluesky_init (WcBluesky *self)
{
}

/**
 * wc_bluesky_new:
 * @account: a Bluesky account: its server is the PDS, its remote id the DID
 * @session: (nullable): the HTTP session
 *
 * Returns: (transfer full): the object speaking for @account
 */
WcBluesky *
wc_bluesky_new (WcAccount   *account,
                SoupSession *session)
{
  WcBluesky *self;

  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);

  self = g_object_new (WC_TYPE_BLUESKY, "account", account, NULL);
  if (session != NULL)
    g_set_object (&self->session, session);
  return self;
}

/**
 * wc_bluesky_set_session:
 *
 * Takes the PDS, the DID and the tokens of a fresh sign-in.
 */
void
wc_bluesky_set_session (WcBluesky              *self,
                        const WcBlueskySession *session)
{
  g_return_if_fail (WC_IS_BLUESKY (self));
  g_return_if_fail (session != NULL);

  g_free (self->pds_url);
  self->pds_url = g_strdup (session->pds_url);
  g_free (self->did);
  self->did = g_strdup (session->did);
  set_tokens (self, session->access_jwt, session->refresh_jwt);
}

/**
 * wc_bluesky_set_tokens:
 *
 * Gives the object the tokens from the keyring.
 */
void
wc_bluesky_set_tokens (WcBluesky  *self,
                       const char *access_jwt,
                       const char *refresh_jwt)
{
  g_return_if_fail (WC_IS_BLUESKY (self));
  set_tokens (self, access_jwt, refresh_jwt);
}

const char *
wc_bluesky_get_did (WcBluesky *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY (self), NULL);
  return self->did;
}

const char *
wc_bluesky_get_pds_url (WcBluesky *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY (self), NULL);
  return self->pds_url;
}

gboolean
wc_bluesky_has_tokens (WcBluesky *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY (self), FALSE);
  return self->access_jwt != NULL && self->refresh_jwt != NULL;
}
