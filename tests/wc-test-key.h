/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-store.h"

G_BEGIN_DECLS

/* Drafts and scheduled posts are sealed with the data key. Tests of the
 * store that are not about the keyring give it a fixed key of their own;
 * tests of the application get theirs from the real keyring. */

static inline WcCryptoKey *
wc_test_key_new (void)
{
  guint8 data[WC_CRYPTO_KEY_SIZE];
  g_autoptr(GError) error = NULL;
  WcCryptoKey *key;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (0xa5 ^ (i * 7));
  key = wc_crypto_key_new (data, sizeof data, &error);
  g_assert_no_error (error);
  return key;
}

static inline void
wc_test_store_unlock (WcStore *store)
{
  g_autoptr(WcCryptoKey) key = wc_test_key_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_store_set_data_key (store, key, &error));
  g_assert_no_error (error);
}

G_END_DECLS
