/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* OAuth 2 for a native app (RFC 8252): PKCE (RFC 7636, S256 only) and a
 * loopback redirect listener on 127.0.0.1 that receives the code from the
 * system browser. */

char *wc_pkce_new_verifier       (void);
char *wc_pkce_challenge_s256     (const char *verifier);
char *wc_oauth_new_state         (void);

#define WC_TYPE_OAUTH_LISTENER (wc_oauth_listener_get_type ())
G_DECLARE_FINAL_TYPE (WcOAuthListener, wc_oauth_listener, WC, OAUTH_LISTENER, GObject)

WcOAuthListener *wc_oauth_listener_new          (const char       *state);
gboolean         wc_oauth_listener_start        (WcOAuthListener  *self,
                                                 GError          **error);
const char      *wc_oauth_listener_get_redirect_uri (WcOAuthListener *self);
void             wc_oauth_listener_wait_async   (WcOAuthListener     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char            *wc_oauth_listener_wait_finish  (WcOAuthListener  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
void             wc_oauth_listener_stop         (WcOAuthListener  *self);

G_END_DECLS
