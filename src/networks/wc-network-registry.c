/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-network-registry"

#include "config.h"

#include "wc-bluesky.h"
#include "wc-manual-network.h"
#include "wc-mastodon.h"
#include "wc-network-registry.h"

static GHashTable *registry;  /* network id → GType */

G_LOCK_DEFINE_STATIC (registry);

/**
 * wc_network_registry_register:
 * @network_id: a network id from the catalog
 * @type: a GObject type implementing #WcNetwork with an "account" property
 *
 * Makes @type speak for @network_id from now on.
 */
void
wc_network_registry_register (const char *network_id,
                              GType       type)
{
  g_return_if_fail (network_id != NULL);
  g_return_if_fail (g_type_is_a (type, WC_TYPE_NETWORK));

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (registry, g_strdup (network_id), GSIZE_TO_POINTER (type));
  G_UNLOCK (registry);
}

/**
 * wc_network_registry_ensure_builtin:
 *
 * Registers the implementations compiled into Whitecoat, once; a later
 * wc_network_registry_register() replaces one (tests do). Networks without
 * an implementation are handled as manual ones.
 */
void
wc_network_registry_ensure_builtin (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_type_ensure (WC_TYPE_MANUAL_NETWORK);
      wc_network_registry_register ("mastodon", WC_TYPE_MASTODON);
      wc_network_registry_register ("bluesky", WC_TYPE_BLUESKY);
      g_once_init_leave (&done, 1);
    }
}

/**
 * wc_network_registry_lookup_type:
 *
 * Returns: the type registered for @network_id, or the manual network's
 */
GType
wc_network_registry_lookup_type (const char *network_id)
{
  GType type = G_TYPE_INVALID;

  G_LOCK (registry);
  if (registry != NULL && network_id != NULL)
    type = GPOINTER_TO_SIZE (g_hash_table_lookup (registry, network_id));
  G_UNLOCK (registry);

  return type != G_TYPE_INVALID ? type : WC_TYPE_MANUAL_NETWORK;
}

/**
 * wc_network_registry_create:
 * @account: an account
 *
 * Returns: (transfer full): the network object that speaks for @account
 */
WcNetwork *
wc_network_registry_create (WcAccount *account)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);

  wc_network_registry_ensure_builtin ();
  return g_object_new (wc_network_registry_lookup_type (wc_account_get_network (account)),
                       "account", account,
                       NULL);
}
