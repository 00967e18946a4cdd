/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Fills a Whitecoat database for the "second start" figure of
 * tests/bench/startup: both identities with names, colours and markers, and
 * 200 accounts, 100 per identity, on X, Instagram, Threads and Mastodon.
 *
 *   seed-store PATH [N-ACCOUNTS]
 */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <stdlib.h>

#include "wc-network-catalog.h"
#include "wc-store.h"

static const char * const networks[] = { "x", "instagram", "threads", "mastodon" };

/* The handle of user @n on @network in the first form its catalog entry
 * accepts, so that the seeder follows the data files rather than its own
 * idea of them. */
static char *
make_handle (const char *network,
             guint       n)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (), network);
  g_autofree char *with_server = g_strdup_printf ("@user%u@bench.example", n);
  g_autofree char *with_at = g_strdup_printf ("@user%u", n);
  g_autofree char *bare = g_strdup_printf ("user%u", n);
  const char *candidates[] = { with_at, bare, with_server };

  if (info == NULL)
    g_error ("The network catalog has no “%s”", network);

  if (wc_network_info_get_needs_server (info))
    {
      candidates[0] = with_server;
      candidates[2] = with_at;
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (wc_network_info_validate_handle (info, candidates[i], NULL))
        return g_strdup (candidates[i]);
    }

  g_error ("No handle form for user%u is valid on %s", n, network);
  return NULL;
}

static void
save_identity (WcStore        *store,
               WcIdentityKind  kind)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (kind);
  g_autoptr(GError) error = NULL;

  if (kind == WC_IDENTITY_PROFESSIONAL)
    {
      wc_identity_set_name (identity, "Dr. Anna Jansen");
      wc_identity_add_marker (identity, WC_MARKER_REAL_NAME, "Anna Jansen");
      wc_identity_add_marker (identity, WC_MARKER_TITLE, "Dr.");
      wc_identity_add_marker (identity, WC_MARKER_SPECIALTY, "Radiology");
      wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "St. Example Hospital");
      wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "Jansen Imaging Practice");
      wc_identity_add_marker (identity, WC_MARKER_DOMAIN, "jansen-imaging.example");
    }
  else
    {
      wc_identity_set_name (identity, "Anna");
      wc_identity_add_marker (identity, WC_MARKER_NICKNAME, "annie_j");
      wc_identity_add_marker (identity, WC_MARKER_FAMILY_NAME, "De Vries");
      wc_identity_add_marker (identity, WC_MARKER_DOMAIN, "annie.example");
    }
  wc_identity_set_color (identity, wc_identity_kind_get_default_color (kind));

  if (!wc_store_save_identity (store, identity, &error))
    g_error ("Could not save the %s identity: %s",
             wc_identity_kind_to_string (kind), error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WcStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_accounts = 200;

  if (argc < 2 || argc > 3)
    {
      g_printerr ("Usage: %s PATH [N-ACCOUNTS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc == 3)
    n_accounts = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  store = wc_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("Could not open %s: %s\n", argv[1], error->message);
      return EXIT_FAILURE;
    }

  save_identity (store, WC_IDENTITY_PERSONAL);
  save_identity (store, WC_IDENTITY_PROFESSIONAL);

  for (guint n = 0; n < n_accounts; n++)
    {
      /* Half and half; numbers are unique across identities, as the same
       * account in both would be a cross-link the store refuses. */
      WcIdentityKind kind = n % 2 ? WC_IDENTITY_PROFESSIONAL : WC_IDENTITY_PERSONAL;
      const char *network = networks[(n / 2) % G_N_ELEMENTS (networks)];
      g_autoptr(WcAccount) account = wc_account_new (kind, network);
      g_autofree char *handle = make_handle (network, n);
      g_autofree char *display_name = g_strdup_printf ("Bench User %u", n);

      wc_account_set_handle (account, handle);
      wc_account_set_display_name (account, display_name);
      if (g_str_equal (network, "mastodon"))
        wc_account_set_server (account, "https://bench.example");

      if (!wc_store_add_account (store, account, &error))
        {
          g_printerr ("Could not add %s on %s: %s\n", handle, network, error->message);
          return EXIT_FAILURE;
        }
    }

  g_print ("%s: %u personal and %u professional accounts\n", argv[1],
           wc_store_count_accounts (store, WC_IDENTITY_PERSONAL),
           wc_store_count_accounts (store, WC_IDENTITY_PROFESSIONAL));
  wc_store_close (store);

  return EXIT_SUCCESS;
}
