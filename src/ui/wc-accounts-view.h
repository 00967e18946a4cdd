/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

#define WC_TYPE_ACCOUNTS_VIEW (wc_accounts_view_get_type ())
G_DECLARE_FINAL_TYPE (WcAccountsView, wc_accounts_view, WC, ACCOUNTS_VIEW, AdwBin)

GtkWidget      *wc_accounts_view_new             (void);
WcApplication  *wc_accounts_view_get_application (WcAccountsView *self);
void            wc_accounts_view_set_application (WcAccountsView *self,
                                                  WcApplication  *application);
/* For tests: what the view shows. */
guint           wc_accounts_view_get_n_accounts  (WcAccountsView *self);
AdwActionRow   *wc_accounts_view_get_row         (WcAccountsView *self,
                                                  guint           index);
gint64          wc_accounts_view_get_row_account_id (WcAccountsView *self,
                                                     guint           index);
const char     *wc_accounts_view_get_title       (WcAccountsView *self);
gboolean        wc_accounts_view_is_empty_state  (WcAccountsView *self);

G_END_DECLS
