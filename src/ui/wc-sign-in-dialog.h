/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-mastodon.h"

G_BEGIN_DECLS

#define WC_TYPE_SIGN_IN_DIALOG (wc_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcSignInDialog, wc_sign_in_dialog, WC, SIGN_IN_DIALOG, AdwWindow)

WcSignInDialog *wc_sign_in_dialog_new              (WcApplication         *application,
                                                    GtkWindow             *parent,
                                                    WcIdentityKind         identity,
                                                    WcAccount             *account);
/* How the authorize page is opened; gtk_show_uri() unless a test plays the
 * browser. */
void            wc_sign_in_dialog_set_uri_opener   (WcSignInDialog        *self,
                                                    WcMastodonOpenUriFunc  opener,
                                                    gpointer               user_data);
gint64          wc_sign_in_dialog_get_account_id   (WcSignInDialog        *self);

/* The steps, as the buttons do them (for tests). */
void            wc_sign_in_dialog_set_server       (WcSignInDialog        *self,
                                                    const char            *text);
gboolean        wc_sign_in_dialog_start            (WcSignInDialog        *self);
void            wc_sign_in_dialog_use_code         (WcSignInDialog        *self);
void            wc_sign_in_dialog_submit_code      (WcSignInDialog        *self,
                                                    const char            *code);
void            wc_sign_in_dialog_use_token        (WcSignInDialog        *self);
void            wc_sign_in_dialog_submit_token     (WcSignInDialog        *self,
                                                    const char            *token);
/* "server", "browser", "code", "token" or "working". */
const char     *wc_sign_in_dialog_get_page         (WcSignInDialog        *self);
/* The message shown, or NULL. */
const char     *wc_sign_in_dialog_get_error        (WcSignInDialog        *self);

G_END_DECLS
