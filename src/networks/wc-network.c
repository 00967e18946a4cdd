/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-network"

#include "config.h"

#include "wc-network.h"

/* The error domain carries, for "retry later", how long the server asked
 * to wait (Retry-After or X-RateLimit-Reset). */
typedef struct
{
  gint64 retry_after;  /* seconds; 0 = the server did not say */
} WcNetworkErrorPrivate;

static void
wc_network_error_private_init (WcNetworkErrorPrivate *priv)
{
  priv->retry_after = 0;
}

static void
wc_network_error_private_copy (const WcNetworkErrorPrivate *src,
                               WcNetworkErrorPrivate       *dest)
{
  dest->retry_after = src->retry_after;
}

static void
wc_network_error_private_clear (WcNetworkErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (WcNetworkError, wc_network_error)
G_DEFINE_INTERFACE (WcNetwork, wc_network, G_TYPE_OBJECT)

static WcNetworkCapabilities
wc_network_real_get_capabilities (WcNetwork *self)
{
  return WC_NETWORK_CAPABILITY_NONE;
}

static void
wc_network_default_init (WcNetworkInterface *iface)
{
  iface->get_capabilities = wc_network_real_get_capabilities;

  g_object_interface_install_property (iface,
    g_param_spec_object ("account", NULL, NULL, WC_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

/**
 * wc_network_error_is_transient:
 * @error: (nullable): an error from a network call
 *
 * Returns: whether trying again later may succeed
 */
gboolean
wc_network_error_is_transient (const GError *error)
{
  return g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER);
}

/**
 * wc_network_error_new_retry:
 * @retry_after_seconds: how long the server asked to wait, or 0
 * @message: what to tell the user
 *
 * Returns: (transfer full): a #WC_NETWORK_ERROR_RETRY_LATER error
 */
GError *
wc_network_error_new_retry (gint64      retry_after_seconds,
                            const char *message)
{
  GError *error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER, message);
  WcNetworkErrorPrivate *priv = wc_network_error_get_private (error);

  priv->retry_after = MAX (retry_after_seconds, 0);
  return error;
}

/**
 * wc_network_error_get_retry_after:
 *
 * Returns: the seconds the server asked to wait before trying again, or 0
 */
gint64
wc_network_error_get_retry_after (const GError *error)
{
  WcNetworkErrorPrivate *priv;

  if (!g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER))
    return 0;
  priv = wc_network_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

/**
 * wc_network_get_account:
 *
 * Returns: (transfer none): the account this object speaks for
 */
WcAccount *
wc_network_get_account (WcNetwork *self)
{
  g_autoptr(WcAccount) account = NULL;

  g_return_val_if_fail (WC_IS_NETWORK (self), NULL);

  g_object_get (self, "account", &account, NULL);
  /* The object holds its own reference for its whole life. */
  return account;
}

/**
 * wc_network_get_info:
 *
 * Returns: (transfer none): what the network is, from its data file
 */
WcNetworkInfo *
wc_network_get_info (WcNetwork *self)
{
  WcAccount *account = wc_network_get_account (self);

  return wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                    wc_account_get_network (account));
}

WcNetworkCapabilities
wc_network_get_capabilities (WcNetwork *self)
{
  g_return_val_if_fail (WC_IS_NETWORK (self), WC_NETWORK_CAPABILITY_NONE);
  return WC_NETWORK_GET_IFACE (self)->get_capabilities (self);
}

/**
 * wc_network_is_manual:
 *
 * Returns: whether the user posts and answers requests by hand on this
 *   network, with Whitecoat reminding and checking
 */
gboolean
wc_network_is_manual (WcNetwork *self)
{
  return (wc_network_get_capabilities (self) & WC_NETWORK_CAPABILITY_POST) == 0;
}
