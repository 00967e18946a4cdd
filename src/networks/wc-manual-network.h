/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-network.h"

G_BEGIN_DECLS

/* A network Whitecoat cannot reach through an API: posting is a reminder with
 * the text on the clipboard, settings are a checklist with deep links. */
#define WC_TYPE_MANUAL_NETWORK (wc_manual_network_get_type ())
G_DECLARE_FINAL_TYPE (WcManualNetwork, wc_manual_network, WC, MANUAL_NETWORK, GObject)

WcNetwork *wc_manual_network_new (WcAccount *account);

G_END_DECLS
