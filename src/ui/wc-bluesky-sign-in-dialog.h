/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

/* Where Bluesky's app passwords are made. */
#define WC_BLUESKY_APP_PASSWORDS_URL "https://bsky.app/settings/app-passwords"

#define WC_TYPE_BLUESKY_SIGN_IN_DIALOG (wc_bluesky_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcBlueskySignInDialog, wc_bluesky_sign_in_dialog, WC, BLUESKY_SIGN_IN_DIALOG, AdwWindow)

WcBlueskySignInDialog *wc_bluesky_sign_in_dialog_new            (WcApplication         *application,
                                                                 GtkWindow             *parent,
                                                                 WcIdentityKind         identity,
                                                                 WcAccount             *account);
gint64                 wc_bluesky_sign_in_dialog_get_account_id (WcBlueskySignInDialog *self);

/* The fields and the button, as the user fills and presses them (for
 * tests); the PLC directory is plc.directory unless a test sets its own. */
void                   wc_bluesky_sign_in_dialog_set_identifier (WcBlueskySignInDialog *self,
                                                                 const char            *identifier);
void                   wc_bluesky_sign_in_dialog_set_password   (WcBlueskySignInDialog *self,
                                                                 const char            *password);
void                   wc_bluesky_sign_in_dialog_set_server     (WcBlueskySignInDialog *self,
                                                                 const char            *server);
void                   wc_bluesky_sign_in_dialog_set_plc_url    (WcBlueskySignInDialog *self,
                                                                 const char            *plc_url);
gboolean               wc_bluesky_sign_in_dialog_submit         (WcBlueskySignInDialog *self);
/* "form" or "working". */
const char            *wc_bluesky_sign_in_dialog_get_page       (WcBlueskySignInDialog *self);
/* The message shown, or NULL. */
const char            *wc_bluesky_sign_in_dialog_get_error      (WcBlueskySignInDialog *self);
/* The app-password warning, or NULL while it is hidden. */
const char            *wc_bluesky_sign_in_dialog_get_warning    (WcBlueskySignInDialog *self);

G_END_DECLS
