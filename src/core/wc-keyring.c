/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-keyring.h"

G_DEFINE_QUARK (wc-keyring-error-quark, wc_keyring_error)

/* One schema for every credential: an account id (or a server) and the kind of secret.
 * A whole-app marker attribute lets "Delete all Whitecoat data" find every
 * item without knowing the accounts. */
const SecretSchema *
wc_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.whitecoat.Whitecoat.Credential",
    SECRET_SCHEMA_NONE,
    {
      { "app", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* Secrets of a server rather than an account (a client secret): they
       * carry no account-id, so no account lookup finds them. */
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  return &schema;
}

#define APP_ATTRIBUTE "whitecoat"

/* libsecret's errors come from D-Bus and the Secret Service; a doctor needs
 * to know what to do, the detail goes to the debug log. */
static GError *
map_error (GError *error)
{
  GError *mapped;

  g_debug ("Keyring error: %s (%s, %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_IS_LOCKED)
    mapped = g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_LOCKED,
                                  _("The keyring is locked. Unlock it when asked (it usually opens with your login password) and try again."));
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    mapped = g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_UNAVAILABLE,
                                  _("No keyring is available, so Whitecoat cannot keep your sign-in safe. Install and start GNOME Keyring (or another Secret Service) and try again."));
  else if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_NO_SUCH_OBJECT)
    mapped = g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND,
                                  _("The sign-in for this account is no longer in the keyring. Sign in again."));
  else
    mapped = g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED,
                                  _("The keyring refused the request. Try again; if it keeps failing, restart your session."));

  return mapped;
}

static GHashTable *
make_attributes (gint64      account_id,
                 const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "app", g_strdup (APP_ATTRIBUTE));
  if (account_id >= 0)
    g_hash_table_insert (attributes, (gpointer) "account-id",
                         g_strdup_printf ("%" G_GINT64_FORMAT, account_id));
  if (kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind));
  return attributes;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, map_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * wc_keyring_store_async:
 * @account_id: the account the secret belongs to (or -1 for app-wide secrets)
 * @kind: the kind of secret, such as %WC_SECRET_ACCESS_TOKEN
 * @label: what the keyring shows the user; never the secret itself
 * @secret: the secret
 *
 * Stores @secret in the default collection, replacing the one with the same
 * account and kind.
 */
void
wc_keyring_store_async (gint64               account_id,
                        const char          *kind,
                        const char          *label,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (kind != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_store_async);

  attributes = make_attributes (account_id, kind);
  secret_password_storev (wc_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, secret, cancellable, store_cb, g_steal_pointer (&task));
}

gboolean
wc_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (error));
  else if (secret == NULL)
    g_task_return_new_error (task, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND,
                             _("The sign-in for this account is not in the keyring. Sign in again."));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

/**
 * wc_keyring_lookup_async:
 *
 * Looks up the secret of @kind for @account_id. A missing secret is the
 * error #WC_KEYRING_ERROR_NOT_FOUND.
 */
void
wc_keyring_lookup_async (gint64               account_id,
                         const char          *kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (kind != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_lookup_async);

  attributes = make_attributes (account_id, kind);
  secret_password_lookupv (wc_keyring_get_schema (), attributes, cancellable,
                           lookup_cb, g_steal_pointer (&task));
}

/**
 * wc_keyring_lookup_finish:
 *
 * Returns: (transfer full): the secret; free it with secret_password_free()
 */
char *
wc_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to clear: fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wc_keyring_clear_async (gint64               account_id,
                        const char          *kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_clear_async);

  attributes = make_attributes (account_id, kind);
  secret_password_clearv (wc_keyring_get_schema (), attributes, cancellable,
                          clear_cb, g_steal_pointer (&task));
}

gboolean
wc_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GHashTable *
make_server_attributes (const char *network,
                        const char *server,
                        const char *kind)
{
  GHashTable *attributes = make_attributes (-1, kind);

  g_hash_table_insert (attributes, (gpointer) "server",
                       g_strdup_printf ("%s:%s", network, server));
  return attributes;
}

/**
 * wc_keyring_store_server_async:
 * @network: a network id, such as "mastodon"
 * @server: the server's base URL, such as "https://med.example"
 * @kind: the kind of secret, such as %WC_SECRET_CLIENT_SECRET
 * @label: what the keyring shows the user; never the secret itself
 *
 * Stores a secret that belongs to a server rather than to one account
 * (Whitecoat's client secret there), replacing the earlier one. Finish with
 * wc_keyring_store_finish().
 */
void
wc_keyring_store_server_async (const char          *network,
                               const char          *server,
                               const char          *kind,
                               const char          *label,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (network != NULL && server != NULL && kind != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_store_async);

  attributes = make_server_attributes (network, server, kind);
  secret_password_storev (wc_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, secret, cancellable, store_cb, g_steal_pointer (&task));
}

/**
 * wc_keyring_lookup_server_async:
 *
 * Looks up a server's secret of @kind; finish with
 * wc_keyring_lookup_finish(). A missing secret is
 * #WC_KEYRING_ERROR_NOT_FOUND.
 */
void
wc_keyring_lookup_server_async (const char          *network,
                                const char          *server,
                                const char          *kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (network != NULL && server != NULL && kind != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_lookup_async);

  attributes = make_server_attributes (network, server, kind);
  secret_password_lookupv (wc_keyring_get_schema (), attributes, cancellable,
                           lookup_cb, g_steal_pointer (&task));
}

/**
 * wc_keyring_clear_server_async:
 * @kind: (nullable): %NULL clears every secret of the server
 *
 * Finish with wc_keyring_clear_finish().
 */
void
wc_keyring_clear_server_async (const char          *network,
                               const char          *server,
                               const char          *kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (network != NULL && server != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_keyring_clear_async);

  attributes = make_server_attributes (network, server, kind);
  secret_password_clearv (wc_keyring_get_schema (), attributes, cancellable,
                          clear_cb, g_steal_pointer (&task));
}
