/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

#define WC_TYPE_ACCOUNT_DIALOG (wc_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcAccountDialog, wc_account_dialog, WC, ACCOUNT_DIALOG, AdwWindow)

WcAccountDialog *wc_account_dialog_new               (WcApplication   *application,
                                                      GtkWindow       *parent,
                                                      WcIdentityKind   identity,
                                                      WcAccount       *account);
WcIdentityKind   wc_account_dialog_get_identity      (WcAccountDialog *self);
gboolean         wc_account_dialog_is_editing        (WcAccountDialog *self);

/* The form, field by field. WC_ACCOUNT_ERROR_NETWORK stands for the network
 * choice, whose text is the network id. */
gboolean         wc_account_dialog_set_network       (WcAccountDialog *self,
                                                      const char      *network);
const char      *wc_account_dialog_get_network       (WcAccountDialog *self);
void             wc_account_dialog_set_field         (WcAccountDialog *self,
                                                      WcAccountError   field,
                                                      const char      *text);
const char      *wc_account_dialog_get_field         (WcAccountDialog *self,
                                                      WcAccountError   field);
gboolean         wc_account_dialog_get_field_visible (WcAccountDialog *self,
                                                      WcAccountError   field);
/* The message shown at @field, or NULL when the field shows none. */
const char      *wc_account_dialog_get_error         (WcAccountDialog *self,
                                                      WcAccountError   field);
/* A message that belongs to no field (the database is unavailable), or NULL. */
const char      *wc_account_dialog_get_general_error (WcAccountDialog *self);
/* What activating "dialog.save" does; returns whether the account was stored. */
gboolean         wc_account_dialog_save              (WcAccountDialog *self);

G_END_DECLS
