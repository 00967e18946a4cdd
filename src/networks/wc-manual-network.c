/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-manual-network"

#include "config.h"

#include "wc-manual-network.h"

struct _WcManualNetwork
{
  GObject    parent_instance;

  WcAccount *account;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
};

static void wc_network_iface_init (WcNetworkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcManualNetwork, wc_manual_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WC_TYPE_NETWORK, wc_network_iface_init))

static WcNetworkCapabilities
wc_manual_network_get_capabilities (WcNetwork *network)
{
  return WC_NETWORK_CAPABILITY_NONE;
}

static void
wc_network_iface_init (WcNetworkInterface *iface)
{
  iface->get_capabilities = wc_manual_network_get_capabilities;
}

static void
wc_manual_network_dispose (GObject *object)
{
  WcManualNetwork *self = (WcManualNetwork *) object;

  g_clear_object (&self->account);

  G_OBJECT_CLASS (wc_manual_network_parent_class)->dispose (object);
}

static void
wc_manual_network_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WcManualNetwork *self = WC_MANUAL_NETWORK (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_manual_network_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WcManualNetwork *self = WC_MANUAL_NETWORK (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_manual_network_class_init (WcManualNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_manual_network_dispose;
  object_class->get_property = wc_manual_network_get_property;
  object_class->set_property = wc_manual_network_set_property;

  g_object_class_override_property (object_class, PROP_ACCOUNT, "account");
}

static void
wc_manual_network_init (WcManualNetwork *self)
{
}

/**
 * wc_manual_network_new:
 * @account: the account
 *
 * Returns: (transfer full): a network object for @account
 */
WcNetwork *
wc_manual_network_new (WcAccount *account)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);
  return g_object_new (WC_TYPE_MANUAL_NETWORK, "account", account, NULL);
}
