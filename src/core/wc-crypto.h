/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Encryption at rest: what a doctor writes about patients (drafts, alt
 * texts, reasons, scheduled posts and their images) is sealed with
 * AES-256-GCM under a random data key that lives in the keyring
 * (wc_keyring_load_data_key_async()). Every value gets a random 96-bit
 * nonce, and is bound to where it is kept (its "context", such as
 * "drafts.text") as associated data, so that a sealed value moved to
 * another column does not open. A wrong key or a changed byte is an
 * error, never garbage. */

#define WC_CRYPTO_ERROR (wc_crypto_error_quark ())

typedef enum
{
  WC_CRYPTO_ERROR_FAILED,     /* the cipher library failed */
  WC_CRYPTO_ERROR_MALFORMED,  /* not a sealed value, or cut short */
  WC_CRYPTO_ERROR_WRONG_KEY,  /* does not open: another key, or changed */
  WC_CRYPTO_ERROR_NO_KEY,     /* a sealed file whose key is not loaded */
} WcCryptoError;

GQuark wc_crypto_error_quark (void);

#define WC_CRYPTO_KEY_SIZE 32

/* What sealed strings start with. */
#define WC_CRYPTO_PREFIX "wc1:"

typedef struct _WcCryptoKey WcCryptoKey;

#define WC_TYPE_CRYPTO_KEY (wc_crypto_key_get_type ())
GType        wc_crypto_key_get_type        (void) G_GNUC_CONST;

WcCryptoKey *wc_crypto_key_new             (const guint8  *data,
                                            gsize          length,
                                            GError       **error);
WcCryptoKey *wc_crypto_key_new_random      (GError       **error);
WcCryptoKey *wc_crypto_key_new_from_base64 (const char    *encoded,
                                            GError       **error);
WcCryptoKey *wc_crypto_key_ref             (WcCryptoKey   *key);
void         wc_crypto_key_unref           (WcCryptoKey   *key);
/* For the keyring only. Free with wc_crypto_free_secret(). */
char        *wc_crypto_key_dup_base64      (WcCryptoKey   *key);
/* A short public fingerprint (hex), for debug lines; never the key. */
const char  *wc_crypto_key_get_id          (WcCryptoKey   *key);
gboolean     wc_crypto_key_equal           (WcCryptoKey   *a,
                                            WcCryptoKey   *b);

/* Zeroes and frees a string that held a secret or plaintext. */
void         wc_crypto_free_secret         (char          *secret);

/* Strings: WC_CRYPTO_PREFIX + base64 (nonce ‖ ciphertext ‖ tag). */
gboolean     wc_crypto_is_sealed           (const char    *value);
char        *wc_crypto_seal                (WcCryptoKey   *key,
                                            const char    *plaintext,
                                            const char    *context,
                                            GError       **error);
char        *wc_crypto_unseal              (WcCryptoKey   *key,
                                            const char    *sealed,
                                            const char    *context,
                                            GError       **error);

/* Files: a magic header with the key's id, then nonce ‖ ciphertext ‖ tag. */
gboolean     wc_crypto_data_is_sealed      (const guint8  *data,
                                            gsize          length);
GBytes      *wc_crypto_seal_data           (WcCryptoKey   *key,
                                            const guint8  *data,
                                            gsize          length,
                                            GError       **error);
/* @key may be %NULL: the key is then found among the registered ones by
 * the id in the header. */
GBytes      *wc_crypto_unseal_data         (WcCryptoKey   *key,
                                            GBytes        *sealed,
                                            GError       **error);

/* The process-wide keys that sealed files are opened with by readers that
 * only have a path (an image being uploaded). The store registers its data
 * key; every registration is undone with one unregistration. */
void         wc_crypto_register_key        (WcCryptoKey   *key);
void         wc_crypto_unregister_key      (WcCryptoKey   *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcCryptoKey, wc_crypto_key_unref)

G_END_DECLS
