/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealing values and files with AES-256-GCM (wc-crypto.h): what goes in
 * comes out with the right key and context, and anything else is an
 * error, never garbage and never a crash. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "wc-crypto.h"

static WcCryptoKey *
new_key (void)
{
  g_autoptr(GError) error = NULL;
  WcCryptoKey *key = wc_crypto_key_new_random (&error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static void
test_round_trip (void)
{
  const char *texts[] = {
    "Mrs. Jansen, born 12-03-1950, bed 4: discharge tomorrow",
    "",
    "Ünïcödé 🩺 ✓ — ‘quotes’",
    "a\nmultiline\ttext\n",
  };
  g_autoptr(WcCryptoKey) key = new_key ();

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sealed = wc_crypto_seal (key, texts[i], "drafts.text", &error);
      g_autofree char *opened = NULL;

      g_assert_no_error (error);
      g_assert_true (wc_crypto_is_sealed (sealed));
      g_assert_true (g_str_has_prefix (sealed, WC_CRYPTO_PREFIX));
      if (*texts[i] != '\0')
        g_assert_null (strstr (sealed, texts[i]));
      opened = wc_crypto_unseal (key, sealed, "drafts.text", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (opened, ==, texts[i]);
    }

  g_assert_false (wc_crypto_is_sealed ("plain text from before"));
  g_assert_false (wc_crypto_is_sealed (NULL));
}

/* A random nonce per value: the same text twice is sealed differently. */
static void
test_fresh_nonce (void)
{
  g_autoptr(WcCryptoKey) key = new_key ();
  g_autofree char *a = wc_crypto_seal (key, "same text", "drafts.text", NULL);
  g_autofree char *b = wc_crypto_seal (key, "same text", "drafts.text", NULL);
  g_autofree guchar *raw_a = NULL;
  g_autofree guchar *raw_b = NULL;
  gsize len_a, len_b;

  g_assert_cmpstr (a, !=, b);
  raw_a = g_base64_decode (a + strlen (WC_CRYPTO_PREFIX), &len_a);
  raw_b = g_base64_decode (b + strlen (WC_CRYPTO_PREFIX), &len_b);
  /* nonce (12) ‖ ciphertext ‖ tag (16) */
  g_assert_cmpuint (len_a, ==, 12 + strlen ("same text") + 16);
  g_assert_cmpuint (len_a, ==, len_b);
  g_assert_true (memcmp (raw_a, raw_b, 12) != 0);
}

static void
test_wrong_key_and_context (void)
{
  g_autoptr(WcCryptoKey) key = new_key ();
  g_autoptr(WcCryptoKey) other = new_key ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = wc_crypto_seal (key, "Patient X", "drafts.text", NULL);
  char *opened;

  g_assert_false (wc_crypto_key_equal (key, other));

  opened = wc_crypto_unseal (other, sealed, "drafts.text", &error);
  g_assert_null (opened);
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* Moved to another column, it does not open either. */
  opened = wc_crypto_unseal (key, sealed, "drafts.content_warning", &error);
  g_assert_null (opened);
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY);
}

/* Every single changed byte (nonce, ciphertext or tag) and every cut is
 * refused. */
static void
test_tampered (void)
{
  g_autoptr(WcCryptoKey) key = new_key ();
  g_autofree char *sealed = wc_crypto_seal (key, "Consent given by the patient's daughter", "draft_dismissals.reason", NULL);
  g_autofree guchar *raw = NULL;
  gsize length;
  const char *not_sealed[] = {
    "wc1:",
    "wc1:AAAA",
    "wc1:!!!!not base64!!!!",
    "wc2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "plain",
  };

  raw = g_base64_decode (sealed + strlen (WC_CRYPTO_PREFIX), &length);
  for (gsize i = 0; i < length; i++)
    for (guint bit = 0; bit < 8; bit += 3)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *encoded = NULL;
        g_autofree char *changed = NULL;
        g_autofree char *opened = NULL;

        raw[i] ^= 1 << bit;
        encoded = g_base64_encode (raw, length);
        changed = g_strconcat (WC_CRYPTO_PREFIX, encoded, NULL);
        raw[i] ^= 1 << bit;

        opened = wc_crypto_unseal (key, changed, "draft_dismissals.reason", &error);
        g_assert_null (opened);
        g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY);
      }

  for (gsize cut = 0; cut < length; cut += 5)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *encoded = g_base64_encode (raw, cut);
      g_autofree char *changed = g_strconcat (WC_CRYPTO_PREFIX, encoded, NULL);
      g_autofree char *opened = wc_crypto_unseal (key, changed, "draft_dismissals.reason", &error);

      g_assert_null (opened);
      g_assert_nonnull (error);
      g_assert_true (error->domain == WC_CRYPTO_ERROR);
    }

  for (guint i = 0; i < G_N_ELEMENTS (not_sealed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *opened = wc_crypto_unseal (key, not_sealed[i], "drafts.text", &error);

      g_assert_null (opened);
      g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_MALFORMED);
    }
}

static void
test_key_encoding (void)
{
  g_autoptr(WcCryptoKey) key = new_key ();
  g_autoptr(WcCryptoKey) again = NULL;
  g_autoptr(WcCryptoKey) bad = NULL;
  g_autoptr(GError) error = NULL;
  char *encoded = wc_crypto_key_dup_base64 (key);
  gsize length = 0;
  g_autofree guchar *raw = g_base64_decode (encoded, &length);

  g_assert_cmpuint (length, ==, WC_CRYPTO_KEY_SIZE);
  again = wc_crypto_key_new_from_base64 (encoded, &error);
  g_assert_no_error (error);
  g_assert_true (wc_crypto_key_equal (key, again));
  g_assert_cmpstr (wc_crypto_key_get_id (key), ==, wc_crypto_key_get_id (again));
  /* The id says which key, not what the key is. */
  g_assert_null (strstr (encoded, wc_crypto_key_get_id (key)));
  wc_crypto_free_secret (encoded);

  bad = wc_crypto_key_new_from_base64 ("c2hvcnQ=", &error);
  g_assert_null (bad);
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_MALFORMED);
}

static void
test_data (void)
{
  static const guint8 png_start[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'p', 'i', 'x', 'e', 'l', 's' };
  g_autoptr(WcCryptoKey) key = new_key ();
  g_autoptr(WcCryptoKey) other = new_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sealed = wc_crypto_seal_data (key, png_start, sizeof png_start, &error);
  g_autoptr(GBytes) opened = NULL;
  const guint8 *data;
  gsize length;

  g_assert_no_error (error);
  data = g_bytes_get_data (sealed, &length);
  g_assert_true (wc_crypto_data_is_sealed (data, length));
  g_assert_false (wc_crypto_data_is_sealed (png_start, sizeof png_start));
  g_assert_null (memmem (data, length, "pixels", 6));

  opened = wc_crypto_unseal_data (key, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened), png_start, sizeof png_start);
  g_clear_pointer (&opened, g_bytes_unref);

  g_assert_null (wc_crypto_unseal_data (other, sealed, &error));
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* Without a key: only a registered one that the header names opens it. */
  g_assert_null (wc_crypto_unseal_data (NULL, sealed, &error));
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_NO_KEY);
  g_clear_error (&error);
  wc_crypto_register_key (other);
  g_assert_null (wc_crypto_unseal_data (NULL, sealed, &error));
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_NO_KEY);
  g_clear_error (&error);
  wc_crypto_register_key (key);
  opened = wc_crypto_unseal_data (NULL, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (opened), ==, sizeof png_start);
  wc_crypto_unregister_key (key);
  wc_crypto_unregister_key (other);
  g_assert_null (wc_crypto_unseal_data (NULL, sealed, &error));
  g_assert_error (error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_NO_KEY);
  g_clear_error (&error);

  /* Any changed byte, the header included, is refused. */
  for (gsize i = 0; i < length; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, length);
      g_autoptr(GBytes) changed = NULL;
      g_autoptr(GBytes) result = NULL;

      copy[i] ^= 0x40;
      changed = g_bytes_new (copy, length);
      result = wc_crypto_unseal_data (key, changed, &error);
      g_assert_null (result);
      g_assert_nonnull (error);
      g_assert_true (error->domain == WC_CRYPTO_ERROR);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/round-trip", test_round_trip);
  g_test_add_func ("/crypto/fresh-nonce", test_fresh_nonce);
  g_test_add_func ("/crypto/wrong-key-and-context", test_wrong_key_and_context);
  g_test_add_func ("/crypto/tampered", test_tampered);
  g_test_add_func ("/crypto/key-encoding", test_key_encoding);
  g_test_add_func ("/crypto/data", test_data);

  return g_test_run ();
}
