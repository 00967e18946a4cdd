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

/* --- The data key ---------------------------------------------------------- */

typedef struct
{
  gboolean     create;
  GPtrArray   *tasks;  /* GTask: every caller waiting for this answer */
  WcCryptoKey *key;    /* a new key on its way into the keyring */
} DataKeyLoad;

/* The load that may make a key, while it runs: later callers join it. */
static DataKeyLoad *creating_data_key;

static GError *
data_key_locked_error (void)
{
  return g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_LOCKED,
                              _("The keyring is locked, so your drafts cannot be opened. Unlock it when asked (it usually opens with your login password) and try again."));
}

static void
data_key_load_done (DataKeyLoad *load,
                    WcCryptoKey *key,
                    GError      *error)
{
  if (load == creating_data_key)
    creating_data_key = NULL;

  /* The user closing the keyring's prompt is a locked keyring to them;
   * the callers' own cancellables are checked by their tasks. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = data_key_locked_error ();
    }

  for (guint i = 0; i < load->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (load->tasks, i);

      if (key != NULL)
        g_task_return_pointer (task, wc_crypto_key_ref (key), (GDestroyNotify) wc_crypto_key_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_clear_error (&error);
  g_ptr_array_unref (load->tasks);
  g_clear_pointer (&load->key, wc_crypto_key_unref);
  g_free (load);
}

static void
data_key_store_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DataKeyLoad *load = user_data;
  GError *error = NULL;

  if (!wc_keyring_store_finish (result, &error))
    {
      data_key_load_done (load, NULL, error);
      return;
    }
  g_debug ("Stored a new data key (id %s) in the keyring", wc_crypto_key_get_id (load->key));
  data_key_load_done (load, load->key, NULL);
}

static void
data_key_search_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DataKeyLoad *load = user_data;
  g_autoptr(GError) search_error = NULL;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &search_error);
  char *encoded;

  if (search_error != NULL)
    {
      data_key_load_done (load, NULL, map_error (search_error));
      return;
    }
  /* A key is there, but the lookup could not read it (the user closed the
   * prompt to unlock): a new key would replace it, and everything sealed
   * with it would be lost. */
  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      data_key_load_done (load, NULL, data_key_locked_error ());
      return;
    }

  load->key = wc_crypto_key_new_random (&error);
  if (load->key == NULL)
    {
      data_key_load_done (load, NULL, error);
      return;
    }
  encoded = wc_crypto_key_dup_base64 (load->key);
  wc_keyring_store_async (-1, WC_SECRET_DATA_KEY,
                          _("Whitecoat key for drafts and scheduled posts"),
                          encoded, NULL, data_key_store_cb, load);
  wc_crypto_free_secret (encoded);
}

static void
data_key_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DataKeyLoad *load = user_data;
  GError *error = NULL;
  char *secret = wc_keyring_lookup_finish (result, &error);
  g_autoptr(GHashTable) attributes = NULL;

  if (secret != NULL)
    {
      g_autoptr(WcCryptoKey) key = wc_crypto_key_new_from_base64 (secret, NULL);

      secret_password_free (secret);
      /* Never replaced: the drafts sealed with it would be lost for good. */
      if (key == NULL)
        error = g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_FAILED,
                                     _("The key that protects your drafts is damaged in the keyring, so your drafts and scheduled posts cannot be opened."));
      data_key_load_done (load, key, error);
      return;
    }

  if (!g_error_matches (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND))
    {
      data_key_load_done (load, NULL, error);
      return;
    }
  if (!load->create)
    {
      g_clear_error (&error);
      data_key_load_done (load, NULL,
                          g_error_new_literal (WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND,
                                               _("The key that protects your drafts is not in the keyring.")));
      return;
    }
  g_clear_error (&error);

  /* Not found, or found locked and not unlocked: look without unlocking. */
  attributes = make_attributes (-1, WC_SECRET_DATA_KEY);
  secret_password_searchv (wc_keyring_get_schema (), attributes, SECRET_SEARCH_ALL, NULL,
                           data_key_search_cb, load);
}

/**
 * wc_keyring_load_data_key_async:
 * @create: whether to make and store a key when there is none
 *
 * Finds the key that seals drafts and scheduled posts in the database, or
 * makes a random one and stores it when there is none and @create is set.
 */
void
wc_keyring_load_data_key_async (gboolean             create,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  DataKeyLoad *load;

  g_task_set_source_tag (task, wc_keyring_load_data_key_async);

  if (create && creating_data_key != NULL)
    {
      g_ptr_array_add (creating_data_key->tasks, task);
      return;
    }

  load = g_new0 (DataKeyLoad, 1);
  load->create = create;
  load->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (load->tasks, task);
  if (create)
    creating_data_key = load;

  /* Not cancelled with one caller: others may wait for the same answer. */
  wc_keyring_lookup_async (-1, WC_SECRET_DATA_KEY, NULL, data_key_lookup_cb, load);
}

/**
 * wc_keyring_load_data_key_finish:
 * @error: a #WC_KEYRING_ERROR, whose message tells the user what to do
 *
 * Returns: (transfer full): the key, or %NULL
 */
WcCryptoKey *
wc_keyring_load_data_key_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
