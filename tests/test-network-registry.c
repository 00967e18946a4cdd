/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "wc-bluesky.h"
#include "wc-manual-network.h"
#include "wc-mastodon.h"
#include "wc-network-registry.h"

/* A stand-in implementation, registered by the test to check that the
 * registry hands accounts to whatever class registered for their network. */
#define TEST_TYPE_API_NETWORK (test_api_network_get_type ())
G_DECLARE_FINAL_TYPE (TestApiNetwork, test_api_network, TEST, API_NETWORK, GObject)

struct _TestApiNetwork
{
  GObject    parent_instance;
  WcAccount *account;
};

static WcNetworkCapabilities
test_api_network_get_capabilities (WcNetwork *network)
{
  return WC_NETWORK_CAPABILITY_SIGN_IN | WC_NETWORK_CAPABILITY_POST;
}

static void
test_api_network_iface_init (WcNetworkInterface *iface)
{
  iface->get_capabilities = test_api_network_get_capabilities;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestApiNetwork, test_api_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WC_TYPE_NETWORK, test_api_network_iface_init))

static void
test_api_network_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, TEST_API_NETWORK (object)->account);
}

static void
test_api_network_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TEST_API_NETWORK (object)->account = g_value_dup_object (value);
}

static void
test_api_network_dispose (GObject *object)
{
  g_clear_object (&TEST_API_NETWORK (object)->account);
  G_OBJECT_CLASS (test_api_network_parent_class)->dispose (object);
}

static void
test_api_network_class_init (TestApiNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_api_network_get_property;
  object_class->set_property = test_api_network_set_property;
  object_class->dispose = test_api_network_dispose;
  g_object_class_override_property (object_class, 1, "account");
}

static void
test_api_network_init (TestApiNetwork *self)
{
}

static void
test_registry_every_network_has_an_object (void)
{
  GPtrArray *networks = wc_network_catalog_list (wc_network_catalog_get_default ());

  g_assert_cmpuint (networks->len, ==, 10);
  for (guint i = 0; i < networks->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (networks, i);
      g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, wc_network_info_get_id (info));
      g_autoptr(WcNetwork) network = wc_network_registry_create (account);

      g_assert_true (WC_IS_NETWORK (network));
      g_assert_true (wc_network_get_account (network) == account);
      g_assert_true (wc_network_get_info (network) == info);
      if (g_str_equal (wc_network_info_get_id (info), "mastodon"))
        {
          g_assert_true (WC_IS_MASTODON (network));
          g_assert_false (wc_network_is_manual (network));
          g_assert_true (wc_network_get_capabilities (network) & WC_NETWORK_CAPABILITY_SIGN_IN);
        }
      else if (g_str_equal (wc_network_info_get_id (info), "bluesky"))
        {
          g_assert_true (WC_IS_BLUESKY (network));
          g_assert_false (wc_network_is_manual (network));
          g_assert_true (wc_network_get_capabilities (network) & WC_NETWORK_CAPABILITY_SIGN_IN);
          g_assert_false (wc_network_get_capabilities (network) & WC_NETWORK_CAPABILITY_SCHEDULE_REMOTE);
        }
      else
        {
          /* The others have no API implementation (yet): manual. */
          g_assert_true (WC_IS_MANUAL_NETWORK (network));
          g_assert_true (wc_network_is_manual (network));
          g_assert_cmpuint (wc_network_get_capabilities (network), ==, WC_NETWORK_CAPABILITY_NONE);
        }
      g_assert_finalize_object (g_steal_pointer (&network));
    }
}

static void
test_registry_registered_type_wins (void)
{
  g_autoptr(WcAccount) mastodon = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");
  g_autoptr(WcNetwork) api = NULL;
  g_autoptr(WcNetwork) manual = NULL;

  wc_network_registry_register ("mastodon", TEST_TYPE_API_NETWORK);
  g_assert_true (wc_network_registry_lookup_type ("mastodon") == TEST_TYPE_API_NETWORK);
  g_assert_true (wc_network_registry_lookup_type ("facebook") == WC_TYPE_MANUAL_NETWORK);
  g_assert_true (wc_network_registry_lookup_type (NULL) == WC_TYPE_MANUAL_NETWORK);

  api = wc_network_registry_create (mastodon);
  g_assert_true (TEST_IS_API_NETWORK (api));
  g_assert_false (wc_network_is_manual (api));
  g_assert_true (wc_network_get_capabilities (api) & WC_NETWORK_CAPABILITY_SIGN_IN);

  manual = wc_network_registry_create (facebook);
  g_assert_true (WC_IS_MANUAL_NETWORK (manual));
}

static void
test_network_error_classes (void)
{
  g_autoptr(GError) later = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER, "x");
  g_autoptr(GError) auth = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_true (wc_network_error_is_transient (later));
  g_assert_false (wc_network_error_is_transient (auth));
  g_assert_false (wc_network_error_is_transient (other));
  g_assert_false (wc_network_error_is_transient (NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/network-registry/every-network-has-an-object", test_registry_every_network_has_an_object);
  g_test_add_func ("/network-registry/registered-type-wins", test_registry_registered_type_wins);
  g_test_add_func ("/network/error-classes", test_network_error_classes);

  return g_test_run ();
}
