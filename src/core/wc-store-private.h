/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "wc-store.h"

G_BEGIN_DECLS

/* For the store's own source files (wc-store-*.c), which keep one area of
 * the schema each. Nothing outside src/core includes this header. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_wc_store_get_db            (WcStore       *self);
/* Sets a %WC_STORE_ERROR from the database's last error, in words a person
 * can act on; the SQLite detail goes to the debug log. Returns %FALSE. */
gboolean      _wc_store_set_error         (WcStore       *self,
                                           const char    *what,
                                           GError       **error);
gboolean      _wc_store_exec              (WcStore       *self,
                                           const char    *sql,
                                           GError       **error);
sqlite3_stmt *_wc_store_prepare           (WcStore       *self,
                                           const char    *sql,
                                           GError       **error);
/* BEGIN IMMEDIATE … COMMIT; rollback does nothing outside a transaction. */
gboolean      _wc_store_begin             (WcStore       *self,
                                           GError       **error);
gboolean      _wc_store_commit            (WcStore       *self,
                                           GError       **error);
void          _wc_store_rollback          (WcStore       *self);
void          _wc_store_bind_text_or_null (sqlite3_stmt  *stmt,
                                           int            index,
                                           const char    *text);

/* Encryption at rest. @context names the column ("drafts.text"). Sealing
 * without the data key is #WC_STORE_ERROR_LOCKED. Unsealing passes
 * plaintext from before encryption through unchanged and %NULL as %NULL
 * (without an error); a sealed value needs the key. */
WcCryptoKey  *_wc_store_get_data_key      (WcStore       *self);
/* %FALSE with #WC_STORE_ERROR_LOCKED while there is no data key. */
gboolean      _wc_store_check_unlocked    (WcStore       *self,
                                           GError       **error);
char         *_wc_store_seal              (WcStore       *self,
                                           const char    *plaintext,
                                           const char    *context,
                                           GError       **error);
char         *_wc_store_unseal            (WcStore       *self,
                                           const char    *stored,
                                           const char    *context,
                                           GError       **error);
/* For wc-store-outbox.c: seals the outbox's image copies left in
 * plaintext; returns how many, or -1 on error. */
int           _wc_store_outbox_seal_images (WcStore      *self,
                                            GError      **error);

G_END_DECLS
