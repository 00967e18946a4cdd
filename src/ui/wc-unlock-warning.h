/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-account.h"

G_BEGIN_DECLS

#define WC_UNLOCK_WARNING_RESPONSE_UNLOCK "unlock"
#define WC_UNLOCK_WARNING_RESPONSE_CANCEL "cancel"

/* Warns before a Mastodon account is unlocked: the server then accepts every pending follow request. */
GtkWidget *wc_unlock_warning_new        (GtkWindow           *parent,
                                         WcAccount           *account,
                                         gint64               n_pending);
void       wc_unlock_warning_run_async  (GtkWindow           *parent,
                                         WcAccount           *account,
                                         gint64               n_pending,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* TRUE when the user chose to unlock; FALSE (no error) when they kept the
 * account locked. */
gboolean   wc_unlock_warning_run_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
