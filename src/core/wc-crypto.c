/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-crypto"

#include "config.h"

#include <string.h>
#include <gcrypt.h>
#include <glib/gi18n-lib.h>

#include "wc-crypto.h"

/* The libgcrypt that Debian 12 ships; GCM and gcry_cipher_checktag() are
 * much older. */
#define NEED_LIBGCRYPT_VERSION "1.8.0"

#define NONCE_SIZE 12
#define TAG_SIZE   16
#define ID_SIZE    8

/* Sealed files start with this (8 bytes, binary so that no text or image
 * format mistakes them), then the key's id. */
static const guint8 file_magic[8] = { 0x89, 'W', 'C', 'S', 'E', 'A', 'L', 0x01 };
#define FILE_HEADER_SIZE (sizeof file_magic + ID_SIZE)
#define FILE_CONTEXT     "file"

struct _WcCryptoKey
{
  gatomicrefcount  ref_count;
  guint8           key[WC_CRYPTO_KEY_SIZE];
  guint8           id[ID_SIZE];
  char             id_hex[ID_SIZE * 2 + 1];
};

G_DEFINE_QUARK (wc-crypto-error-quark, wc_crypto_error)
G_DEFINE_BOXED_TYPE (WcCryptoKey, wc_crypto_key, wc_crypto_key_ref, wc_crypto_key_unref)

static GMutex registry_lock;
static GPtrArray *registry;  /* WcCryptoKey, one entry per registration */

/* libsecret may have set libgcrypt up already (it uses it for its session
 * with the Secret Service); otherwise it is done here, once, in the way
 * its manual asks for. */
static gboolean
ensure_gcrypt (GError **error)
{
  static gsize initialized = 0;
  static gboolean usable = FALSE;

  if (g_once_init_enter (&initialized))
    {
      if (gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
        usable = gcry_check_version (NEED_LIBGCRYPT_VERSION) != NULL;
      else if (gcry_check_version (NEED_LIBGCRYPT_VERSION) != NULL)
        {
          /* Whitecoat keeps its key in ordinary memory (zeroed when
           * freed); no warning about locked memory on stderr. */
          gcry_control (GCRYCTL_DISABLE_SECMEM_WARN);
          gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
          usable = TRUE;
        }
      if (!usable)
        g_debug ("libgcrypt is older than %s", NEED_LIBGCRYPT_VERSION);
      g_once_init_leave (&initialized, 1);
    }

  if (!usable)
    g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_FAILED,
                         _("Whitecoat cannot encrypt: the encryption library on this computer is too old."));
  return usable;
}

static gboolean
set_gcry_error (GError      **error,
                gcry_error_t  err,
                const char   *what)
{
  g_debug ("%s: %s", what, gcry_strerror (err));
  g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_FAILED,
                       _("Whitecoat could not encrypt or decrypt your data."));
  return FALSE;
}

static void
set_wrong_key (GError **error)
{
  g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY,
                       _("Saved data could not be opened with the key in your keyring: it was locked with another key, or it was changed."));
}

static void
set_malformed (GError **error)
{
  g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_MALFORMED,
                       _("Saved data is damaged and cannot be opened."));
}

/* AES-256-GCM over @in into @out (the same length), with @tag written
 * (encrypt) or checked (decrypt). */
static gboolean
run_gcm (gboolean       encrypt,
         WcCryptoKey   *key,
         const guint8  *nonce,
         const void    *aad,
         gsize          aad_length,
         const guint8  *in,
         gsize          length,
         guint8        *out,
         guint8        *tag,
         GError       **error)
{
  gcry_cipher_hd_t handle = NULL;
  gcry_error_t err;

  err = gcry_cipher_open (&handle, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0);
  if (err == 0)
    err = gcry_cipher_setkey (handle, key->key, sizeof key->key);
  if (err == 0)
    err = gcry_cipher_setiv (handle, nonce, NONCE_SIZE);
  if (err == 0)
    err = gcry_cipher_authenticate (handle, aad, aad_length);
  if (err == 0 && length > 0)
    err = encrypt ? gcry_cipher_encrypt (handle, out, length, in, length)
                  : gcry_cipher_decrypt (handle, out, length, in, length);
  if (err == 0)
    err = encrypt ? gcry_cipher_gettag (handle, tag, TAG_SIZE)
                  : gcry_cipher_checktag (handle, tag, TAG_SIZE);
  gcry_cipher_close (handle);

  if (err == 0)
    return TRUE;
  if (!encrypt && gcry_err_code (err) == GPG_ERR_CHECKSUM)
    {
      /* What was decrypted is not to be trusted, nor left in memory. */
      if (length > 0)
        explicit_bzero (out, length);
      set_wrong_key (error);
      return FALSE;
    }
  return set_gcry_error (error, err, encrypt ? "encrypt" : "decrypt");
}

static char *
string_aad (const char *context,
            gsize      *length)
{
  char *aad = g_strconcat (WC_CRYPTO_PREFIX, context != NULL ? context : "", NULL);

  *length = strlen (aad);
  return aad;
}

/* --- Keys --------------------------------------------------------------- */

/**
 * wc_crypto_key_new:
 * @data: %WC_CRYPTO_KEY_SIZE bytes
 *
 * Returns: (transfer full) (nullable): a key holding a copy of @data
 */
WcCryptoKey *
wc_crypto_key_new (const guint8  *data,
                   gsize          length,
                   GError       **error)
{
  static const char id_label[] = "whitecoat data key id";
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  WcCryptoKey *key;

  if (data == NULL || length != WC_CRYPTO_KEY_SIZE)
    {
      g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_MALFORMED,
                           _("The key that protects your drafts is damaged."));
      return NULL;
    }
  if (!ensure_gcrypt (error))
    return NULL;

  key = g_new0 (WcCryptoKey, 1);
  g_atomic_ref_count_init (&key->ref_count);
  memcpy (key->key, data, WC_CRYPTO_KEY_SIZE);

  /* The id says which key sealed a file without saying anything about
   * the key: a keyed hash of a fixed label. */
  hmac = g_hmac_new (G_CHECKSUM_SHA256, data, length);
  g_hmac_update (hmac, (const guchar *) id_label, sizeof id_label - 1);
  g_hmac_get_digest (hmac, digest, &digest_length);
  memcpy (key->id, digest, ID_SIZE);
  explicit_bzero (digest, sizeof digest);
  for (guint i = 0; i < ID_SIZE; i++)
    g_snprintf (key->id_hex + 2 * i, 3, "%02x", key->id[i]);
  return key;
}

/**
 * wc_crypto_key_new_random:
 *
 * Returns: (transfer full) (nullable): a new random 256-bit key
 */
WcCryptoKey *
wc_crypto_key_new_random (GError **error)
{
  guint8 data[WC_CRYPTO_KEY_SIZE];
  WcCryptoKey *key;

  if (!ensure_gcrypt (error))
    return NULL;
  gcry_randomize (data, sizeof data, GCRY_STRONG_RANDOM);
  key = wc_crypto_key_new (data, sizeof data, error);
  explicit_bzero (data, sizeof data);
  return key;
}

/**
 * wc_crypto_key_new_from_base64:
 * @encoded: the key as the keyring keeps it
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with
 *   %WC_CRYPTO_ERROR_MALFORMED when @encoded is not a key
 */
WcCryptoKey *
wc_crypto_key_new_from_base64 (const char  *encoded,
                               GError     **error)
{
  g_autofree guchar *data = NULL;
  gsize length = 0;
  WcCryptoKey *key;

  if (encoded != NULL)
    data = g_base64_decode (encoded, &length);
  key = wc_crypto_key_new (data, data != NULL ? length : 0, error);
  if (data != NULL)
    explicit_bzero (data, length);
  return key;
}

WcCryptoKey *
wc_crypto_key_ref (WcCryptoKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  g_atomic_ref_count_inc (&key->ref_count);
  return key;
}

void
wc_crypto_key_unref (WcCryptoKey *key)
{
  if (key == NULL)
    return;
  if (g_atomic_ref_count_dec (&key->ref_count))
    {
      explicit_bzero (key->key, sizeof key->key);
      g_free (key);
    }
}

/**
 * wc_crypto_key_dup_base64:
 *
 * Returns: (transfer full): the key in base64, for the keyring; free it
 *   with wc_crypto_free_secret()
 */
char *
wc_crypto_key_dup_base64 (WcCryptoKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return g_base64_encode (key->key, sizeof key->key);
}

const char *
wc_crypto_key_get_id (WcCryptoKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->id_hex;
}

gboolean
wc_crypto_key_equal (WcCryptoKey *a,
                     WcCryptoKey *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return memcmp (a->key, b->key, sizeof a->key) == 0;
}

void
wc_crypto_free_secret (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* --- Strings ------------------------------------------------------------ */

/**
 * wc_crypto_is_sealed:
 * @value: (nullable): a stored value
 *
 * Returns: whether @value is sealed (else it is plaintext from before)
 */
gboolean
wc_crypto_is_sealed (const char *value)
{
  return value != NULL && g_str_has_prefix (value, WC_CRYPTO_PREFIX);
}

/**
 * wc_crypto_seal:
 * @plaintext: UTF-8 text; %NULL is sealed as ""
 * @context: where the value is kept, such as "drafts.text"; opening
 *   needs the same
 *
 * Returns: (transfer full) (nullable): the sealed value
 */
char *
wc_crypto_seal (WcCryptoKey  *key,
                const char   *plaintext,
                const char   *context,
                GError      **error)
{
  g_autofree guint8 *blob = NULL;
  g_autofree char *aad = NULL;
  g_autofree char *encoded = NULL;
  gsize length, aad_length;

  g_return_val_if_fail (key != NULL, NULL);

  if (plaintext == NULL)
    plaintext = "";
  length = strlen (plaintext);
  blob = g_malloc (NONCE_SIZE + length + TAG_SIZE);
  gcry_create_nonce (blob, NONCE_SIZE);
  aad = string_aad (context, &aad_length);
  if (!run_gcm (TRUE, key, blob, aad, aad_length, (const guint8 *) plaintext, length,
                blob + NONCE_SIZE, blob + NONCE_SIZE + length, error))
    return NULL;

  encoded = g_base64_encode (blob, NONCE_SIZE + length + TAG_SIZE);
  return g_strconcat (WC_CRYPTO_PREFIX, encoded, NULL);
}

/**
 * wc_crypto_unseal:
 * @sealed: a value from wc_crypto_seal()
 * @context: the context it was sealed with
 *
 * Returns: (transfer full) (nullable): the text; %NULL with
 *   %WC_CRYPTO_ERROR_WRONG_KEY when it does not open with @key (another
 *   key, another context, or a changed value) or
 *   %WC_CRYPTO_ERROR_MALFORMED when it is not a sealed value
 */
char *
wc_crypto_unseal (WcCryptoKey  *key,
                  const char   *sealed,
                  const char   *context,
                  GError      **error)
{
  g_autofree guchar *blob = NULL;
  g_autofree char *aad = NULL;
  const char *encoded;
  char *plaintext;
  gsize blob_length = 0, length, aad_length;

  g_return_val_if_fail (key != NULL, NULL);

  if (!wc_crypto_is_sealed (sealed))
    {
      set_malformed (error);
      return NULL;
    }
  encoded = sealed + strlen (WC_CRYPTO_PREFIX);
  /* g_base64_decode() skips what is not base64: refuse that first. */
  for (const char *p = encoded; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      {
        set_malformed (error);
        return NULL;
      }
  blob = g_base64_decode (encoded, &blob_length);
  if (blob == NULL || blob_length < NONCE_SIZE + TAG_SIZE)
    {
      set_malformed (error);
      return NULL;
    }

  length = blob_length - NONCE_SIZE - TAG_SIZE;
  plaintext = g_malloc (length + 1);
  aad = string_aad (context, &aad_length);
  if (!run_gcm (FALSE, key, blob, aad, aad_length, blob + NONCE_SIZE, length,
                (guint8 *) plaintext, blob + NONCE_SIZE + length, error))
    {
      g_free (plaintext);
      return NULL;
    }
  plaintext[length] = '\0';

  /* Authentic, so Whitecoat sealed it; still, text must be text. */
  if (memchr (plaintext, '\0', length) != NULL || !g_utf8_validate (plaintext, length, NULL))
    {
      explicit_bzero (plaintext, length);
      g_free (plaintext);
      set_malformed (error);
      return NULL;
    }
  return plaintext;
}

/* --- Files -------------------------------------------------------------- */

/**
 * wc_crypto_data_is_sealed:
 *
 * Returns: whether @data starts as a sealed file does
 */
gboolean
wc_crypto_data_is_sealed (const guint8 *data,
                          gsize         length)
{
  return data != NULL && length >= sizeof file_magic && memcmp (data, file_magic, sizeof file_magic) == 0;
}

static guint8 *
file_aad (const guint8 *header,
          gsize        *length)
{
  guint8 *aad = g_malloc (FILE_HEADER_SIZE + strlen (FILE_CONTEXT));

  memcpy (aad, header, FILE_HEADER_SIZE);
  memcpy (aad + FILE_HEADER_SIZE, FILE_CONTEXT, strlen (FILE_CONTEXT));
  *length = FILE_HEADER_SIZE + strlen (FILE_CONTEXT);
  return aad;
}

/**
 * wc_crypto_seal_data:
 * @data: the contents of a file
 *
 * Returns: (transfer full) (nullable): what to write instead: a header
 *   naming the key's id, the nonce, the ciphertext and the tag
 */
GBytes *
wc_crypto_seal_data (WcCryptoKey   *key,
                     const guint8  *data,
                     gsize          length,
                     GError       **error)
{
  g_autofree guint8 *aad = NULL;
  guint8 *out;
  gsize aad_length, total;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  total = FILE_HEADER_SIZE + NONCE_SIZE + length + TAG_SIZE;
  out = g_malloc (total);
  memcpy (out, file_magic, sizeof file_magic);
  memcpy (out + sizeof file_magic, key->id, ID_SIZE);
  gcry_create_nonce (out + FILE_HEADER_SIZE, NONCE_SIZE);
  aad = file_aad (out, &aad_length);
  if (!run_gcm (TRUE, key, out + FILE_HEADER_SIZE, aad, aad_length, data, length,
                out + FILE_HEADER_SIZE + NONCE_SIZE, out + FILE_HEADER_SIZE + NONCE_SIZE + length, error))
    {
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, total);
}

static WcCryptoKey *
find_registered (const guint8 *id)
{
  WcCryptoKey *found = NULL;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; registry != NULL && i < registry->len && found == NULL; i++)
    {
      WcCryptoKey *key = g_ptr_array_index (registry, i);

      if (memcmp (key->id, id, ID_SIZE) == 0)
        found = wc_crypto_key_ref (key);
    }
  g_mutex_unlock (&registry_lock);
  return found;
}

/**
 * wc_crypto_unseal_data:
 * @key: (nullable): the key, or %NULL to use the registered key the file
 *   names
 * @sealed: what wc_crypto_seal_data() made
 *
 * Thread-safe.
 *
 * Returns: (transfer full) (nullable): the contents
 */
GBytes *
wc_crypto_unseal_data (WcCryptoKey  *key,
                       GBytes       *sealed,
                       GError      **error)
{
  g_autoptr(WcCryptoKey) use = NULL;
  g_autofree guint8 *aad = NULL;
  const guint8 *data;
  guint8 *out;
  gsize length, aad_length, plain_length;

  g_return_val_if_fail (sealed != NULL, NULL);

  data = g_bytes_get_data (sealed, &length);
  if (!wc_crypto_data_is_sealed (data, length) || length < FILE_HEADER_SIZE + NONCE_SIZE + TAG_SIZE)
    {
      set_malformed (error);
      return NULL;
    }

  use = key != NULL ? wc_crypto_key_ref (key) : find_registered (data + sizeof file_magic);
  if (use == NULL)
    {
      g_set_error_literal (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_NO_KEY,
                           _("This file is locked with a key Whitecoat has not loaded from your keyring."));
      return NULL;
    }

  plain_length = length - FILE_HEADER_SIZE - NONCE_SIZE - TAG_SIZE;
  out = g_malloc (MAX (plain_length, 1));
  aad = file_aad (data, &aad_length);
  if (!run_gcm (FALSE, use, data + FILE_HEADER_SIZE, aad, aad_length,
                data + FILE_HEADER_SIZE + NONCE_SIZE, plain_length, out,
                (guint8 *) data + FILE_HEADER_SIZE + NONCE_SIZE + plain_length, error))
    {
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, plain_length);
}

/**
 * wc_crypto_register_key:
 *
 * Makes @key available to wc_crypto_unseal_data() without a key, for
 * readers that only have a file's path.
 */
void
wc_crypto_register_key (WcCryptoKey *key)
{
  g_return_if_fail (key != NULL);

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_crypto_key_unref);
  g_ptr_array_add (registry, wc_crypto_key_ref (key));
  g_mutex_unlock (&registry_lock);
}

void
wc_crypto_unregister_key (WcCryptoKey *key)
{
  g_return_if_fail (key != NULL);

  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    g_ptr_array_remove (registry, key);
  g_mutex_unlock (&registry_lock);
}
