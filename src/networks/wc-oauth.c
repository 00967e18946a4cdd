/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-oauth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "wc-network.h"
#include "wc-oauth.h"

#define VERIFIER_BYTES 48   /* 64 characters of base64url: within 43..128 */
#define STATE_BYTES    24

struct _WcOAuthListener
{
  GObject     parent_instance;

  SoupServer *server;
  char       *state;
  char       *redirect_uri;
  GTask      *waiting;
  GCancellable *cancellable;
  gulong      cancelled_id;
  char       *code;
  GError     *error;
};

G_DEFINE_FINAL_TYPE (WcOAuthListener, wc_oauth_listener, G_TYPE_OBJECT)

/* base64url without padding (RFC 4648 §5), as PKCE wants it. */
static char *
base64url (const guint8 *data,
           gsize         length)
{
  g_autofree char *b64 = g_base64_encode (data, length);
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
random_token (gsize n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  g_autoptr(GInputStream) urandom = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/urandom");
  gsize read = 0;

  urandom = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  if (urandom == NULL || !g_input_stream_read_all (urandom, bytes, n_bytes, &read, NULL, NULL)
      || read != n_bytes)
    g_error ("Cannot read random bytes from /dev/urandom");
  return base64url (bytes, n_bytes);
}

/**
 * wc_pkce_new_verifier:
 *
 * Returns: (transfer full): a fresh PKCE code verifier
 */
char *
wc_pkce_new_verifier (void)
{
  return random_token (VERIFIER_BYTES);
}

/**
 * wc_pkce_challenge_s256:
 *
 * Returns: (transfer full): BASE64URL(SHA256(verifier))
 */
char *
wc_pkce_challenge_s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return base64url (digest, length);
}

/**
 * wc_oauth_new_state:
 *
 * Returns: (transfer full): a random `state` to tie the browser's answer to
 *   this sign-in
 */
char *
wc_oauth_new_state (void)
{
  return random_token (STATE_BYTES);
}

static const char page_template[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Whitecoat</title>"
  "<style>body{font-family:sans-serif;max-width:30em;margin:4em auto;text-align:center}</style>"
  "</head><body><h1>%s</h1><p>%s</p></body></html>";

static void
disconnect_cancellable (WcOAuthListener *self)
{
  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_signal_handler_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
}

static void
finish (WcOAuthListener *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->waiting);

  disconnect_cancellable (self);
  if (task == NULL)
    return;
  if (self->code != NULL)
    g_task_return_pointer (task, g_strdup (self->code), g_free);
  else if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  WcOAuthListener *self = user_data;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *denied = query ? g_hash_table_lookup (query, "error") : NULL;
  g_autofree char *page = NULL;

  if (!g_str_equal (path, "/callback"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  /* An answer without our state is not ours: ignore it, keep waiting. */
  if (g_strcmp0 (state, self->state) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }

  if (self->code == NULL && self->error == NULL)
    {
      if (code != NULL && *code != '\0')
        self->code = g_strdup (code);
      else
        self->error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_FORBIDDEN,
                                           denied != NULL
                                           ? _("The server did not allow Whitecoat to sign in. Try again, and choose “Authorize”.")
                                           : _("The server’s answer had no sign-in code. Try again."));
    }

  {
    /* Translations go into HTML: escape them. */
    g_autofree char *title = g_markup_escape_text (self->code != NULL ? _("Signed in") : _("Not signed in"), -1);
    g_autofree char *text = g_markup_escape_text (self->code != NULL
                                                  ? _("Whitecoat has your sign-in. You can close this tab.")
                                                  : _("Go back to Whitecoat to try again. You can close this tab."),
                                                  -1);

    page = g_strdup_printf (page_template, title, text);
  }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, page, strlen (page));
  finish (self);
}

static void
wc_oauth_listener_dispose (GObject *object)
{
  WcOAuthListener *self = (WcOAuthListener *) object;

  wc_oauth_listener_stop (self);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (wc_oauth_listener_parent_class)->dispose (object);
}

static void
wc_oauth_listener_finalize (GObject *object)
{
  WcOAuthListener *self = (WcOAuthListener *) object;

  g_free (self->state);
  g_free (self->redirect_uri);
  g_free (self->code);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (wc_oauth_listener_parent_class)->finalize (object);
}

static void
wc_oauth_listener_class_init (WcOAuthListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_oauth_listener_dispose;
  object_class->finalize = wc_oauth_listener_finalize;
}

static void
wc_oauth_listener_init (WcOAuthListener *self)
{
}

/**
 * wc_oauth_listener_new:
 * @state: the `state` sent with the authorize request
 *
 * Returns: (transfer full): a listener, not yet listening
 */
WcOAuthListener *
wc_oauth_listener_new (const char *state)
{
  WcOAuthListener *self = g_object_new (WC_TYPE_OAUTH_LISTENER, NULL);

  self->state = g_strdup (state);
  return self;
}

/**
 * wc_oauth_listener_start:
 *
 * Listens on a free port of 127.0.0.1 — the loopback address only, never
 * another interface.
 */
gboolean
wc_oauth_listener_start (WcOAuthListener  *self,
                         GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (WC_IS_OAUTH_LISTENER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "Whitecoat", NULL);
  soup_server_add_handler (self->server, NULL, callback_cb, self, NULL);
  if (!soup_server_listen (self->server, address, 0, &local_error))
    {
      g_debug ("Cannot listen on the loopback address: %s", local_error->message);
      g_set_error_literal (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                           _("Whitecoat cannot receive the sign-in from your browser. Use the code or access token fields instead."));
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  /* http://127.0.0.1:PORT/callback — Mastodon matches loopback IP redirect
   * URIs whatever the port (RFC 8252 §7.3). */
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
wc_oauth_listener_get_redirect_uri (WcOAuthListener *self)
{
  g_return_val_if_fail (WC_IS_OAUTH_LISTENER (self), NULL);
  return self->redirect_uri;
}

/* The user gave up on the browser: stop waiting. */
static void
on_cancelled (WcOAuthListener *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->waiting);

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Sign-in cancelled"));
}

/**
 * wc_oauth_listener_wait_async:
 *
 * Waits for the browser to arrive at the redirect URI with the code.
 */
void
wc_oauth_listener_wait_async (WcOAuthListener     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WC_IS_OAUTH_LISTENER (self));
  g_return_if_fail (self->waiting == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_oauth_listener_wait_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  self->waiting = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_signal_connect_swapped (cancellable, "cancelled",
                                                     G_CALLBACK (on_cancelled), self);
    }
  if (self->code != NULL || self->error != NULL)
    finish (self);
}

/**
 * wc_oauth_listener_wait_finish:
 *
 * Returns: (transfer full): the authorization code
 */
char *
wc_oauth_listener_wait_finish (WcOAuthListener  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wc_oauth_listener_stop (WcOAuthListener *self)
{
  g_return_if_fail (WC_IS_OAUTH_LISTENER (self));
  disconnect_cancellable (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
}
