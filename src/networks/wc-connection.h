/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-network.h"

G_BEGIN_DECLS

/* The one way to reach an account's network with its credentials: the
 * network object from the registry, given the secrets it needs from the
 * keyring. The scheduler, the requests inbox and the privacy walkthrough all
 * open accounts through here. */

void       wc_connection_open_async  (WcAccount           *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
/* Fails with %WC_NETWORK_ERROR_AUTH ("sign in again") when the account has
 * no credentials, and with the keyring's error when it cannot be read. A
 * manual network opens without credentials. */
WcNetwork *wc_connection_open_finish (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
