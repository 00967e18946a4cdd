/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "wc-crypto.h"

G_BEGIN_DECLS

/* Credentials live in the keyring and nowhere else. */

#define WC_KEYRING_ERROR (wc_keyring_error_quark ())

typedef enum
{
  WC_KEYRING_ERROR_UNAVAILABLE,  /* no Secret Service on the session bus */
  WC_KEYRING_ERROR_LOCKED,       /* the user did not unlock the keyring */
  WC_KEYRING_ERROR_NOT_FOUND,
  WC_KEYRING_ERROR_FAILED,
} WcKeyringError;

GQuark wc_keyring_error_quark (void);

/* Kinds of secret stored per account. */
#define WC_SECRET_ACCESS_TOKEN   "access-token"
#define WC_SECRET_REFRESH_TOKEN  "refresh-token"
#define WC_SECRET_CLIENT_SECRET  "client-secret"
#define WC_SECRET_APP_PASSWORD   "app-password"
#define WC_SECRET_HASH_KEY       "hash-key"
/* The key that seals drafts and scheduled posts in the database (app-wide,
 * account -1); see wc_keyring_load_data_key_async(). */
#define WC_SECRET_DATA_KEY       "data-key"

const SecretSchema *wc_keyring_get_schema (void) G_GNUC_CONST;

void      wc_keyring_store_async   (gint64               account_id,
                                    const char          *kind,
                                    const char          *label,
                                    const char          *secret,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  wc_keyring_store_finish  (GAsyncResult        *result,
                                    GError             **error);
void      wc_keyring_lookup_async  (gint64               account_id,
                                    const char          *kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *wc_keyring_lookup_finish (GAsyncResult        *result,
                                    GError             **error);
/* kind may be NULL to clear every secret of the account; account_id may be
 * -1 with kind NULL to clear every secret Whitecoat ever stored. */
void      wc_keyring_clear_async   (gint64               account_id,
                                    const char          *kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  wc_keyring_clear_finish  (GAsyncResult        *result,
                                    GError             **error);


/* Secrets of a server, not of an account (Whitecoat's client secret on a
 * Mastodon server). Finish with the functions above. */
void      wc_keyring_store_server_async  (const char          *network,
                                          const char          *server,
                                          const char          *kind,
                                          const char          *label,
                                          const char          *secret,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void      wc_keyring_lookup_server_async (const char          *network,
                                          const char          *server,
                                          const char          *kind,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void      wc_keyring_clear_server_async  (const char          *network,
                                          const char          *server,
                                          const char          *kind,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

/* The data key (wc-crypto.h). With @create, a key is made and stored the
 * first time; never when a key is there but locked (#WC_KEYRING_ERROR_LOCKED),
 * nor over a damaged one (#WC_KEYRING_ERROR_FAILED). Without @create a
 * missing key is #WC_KEYRING_ERROR_NOT_FOUND. Calls with @create made while
 * one runs share its answer, so only one key is ever made. */
void         wc_keyring_load_data_key_async  (gboolean             create,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
WcCryptoKey *wc_keyring_load_data_key_finish (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
