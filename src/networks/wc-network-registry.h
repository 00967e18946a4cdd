/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-network.h"

G_BEGIN_DECLS

/* Which class speaks for which network. Implementations register their
 * GType under a network id from the catalog; a network with no implementation
 * is handled as a manual one. */

void       wc_network_registry_register       (const char *network_id,
                                               GType       type);
GType      wc_network_registry_lookup_type    (const char *network_id);
WcNetwork *wc_network_registry_create         (WcAccount  *account);
void       wc_network_registry_ensure_builtin (void);

G_END_DECLS
