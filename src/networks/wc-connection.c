/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-connection"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-keyring.h"
#include "wc-mastodon.h"
#include "wc-network-registry.h"

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcNetwork *network = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *token = wc_keyring_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (g_error_matches (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND))
        {
          g_autofree char *title = wc_account_dup_title (wc_network_get_account (network));

          g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                   /* Translators: %s is an account, e.g. "@anna@med.example" */
                                   _("Whitecoat is not signed in to %s. Sign in again from Accounts."),
                                   title);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  wc_mastodon_set_access_token (WC_MASTODON (network), token);
  secret_password_free (token);
  g_task_return_pointer (task, g_object_ref (network), g_object_unref);
}

static void
wipe_string (gpointer secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* Bluesky: both tokens, then a refresh when the access token has expired
 * or is about to (the refreshed pair goes back to the keyring). */
static void
on_bluesky_refreshed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_bluesky_refresh_finish (WC_BLUESKY (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
}

static void
lookup_bluesky_refresh_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *bluesky = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *refresh = wc_keyring_lookup_finish (result, &error);
  const char *access = g_object_get_data (G_OBJECT (task), "access");
  gint64 expiry;

  if (refresh == NULL && !g_error_matches (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  wc_bluesky_set_tokens (bluesky, access, refresh);
  if (refresh != NULL)
    secret_password_free (refresh);

  expiry = wc_bluesky_jwt_expiry (access);
  g_object_set_data (G_OBJECT (task), "access", NULL);
  if (expiry > 0 && expiry - 120 < g_get_real_time () / G_USEC_PER_SEC && wc_bluesky_has_tokens (bluesky))
    {
      wc_bluesky_refresh_async (bluesky, g_task_get_cancellable (task), on_bluesky_refreshed,
                                g_object_ref (task));
      return;
    }
  g_task_return_pointer (task, g_object_ref (bluesky), g_object_unref);
}

static void
lookup_bluesky_access_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WcBluesky *bluesky = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *access = wc_keyring_lookup_finish (result, &error);

  if (access == NULL)
    {
      if (g_error_matches (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND))
        {
          g_autofree char *title = wc_account_dup_title (wc_network_get_account (WC_NETWORK (bluesky)));

          g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                                   /* Translators: %s is an account, e.g. "@anna@med.example" */
                                   _("Whitecoat is not signed in to %s. Sign in again from Accounts."),
                                   title);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Kept on the task (never logged) until the refresh token is read. */
  g_object_set_data_full (G_OBJECT (task), "access", g_strdup (access), wipe_string);
  secret_password_free (access);
  wc_keyring_lookup_async (wc_account_get_id (wc_network_get_account (WC_NETWORK (bluesky))),
                           WC_SECRET_REFRESH_TOKEN, g_task_get_cancellable (task),
                           lookup_bluesky_refresh_cb, g_object_ref (task));
}

/**
 * wc_connection_open_async:
 * @account: a stored account (it has an id)
 *
 * Makes the network object for @account and gives it its credentials.
 */
void
wc_connection_open_async (WcAccount           *account,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WcNetwork) network = NULL;

  g_return_if_fail (WC_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_connection_open_async);

  wc_network_registry_ensure_builtin ();
  network = wc_network_registry_create (account);
  g_task_set_task_data (task, g_object_ref (network), g_object_unref);

  if (WC_IS_BLUESKY (network))
    {
      wc_keyring_lookup_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN,
                               cancellable, lookup_bluesky_access_cb, g_steal_pointer (&task));
      return;
    }

  if (WC_IS_MASTODON (network))
    {
      wc_keyring_lookup_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN,
                               cancellable, lookup_token_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&network), g_object_unref);
}

WcNetwork *
wc_connection_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
