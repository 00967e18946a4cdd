/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encryption at rest in the store: nothing a doctor wrote lies in the
 * database file, its write-ahead log or the outbox's image copies in
 * plaintext; what an older Whitecoat left in plaintext is sealed and
 * scrubbed from the file; a wrong key or a changed value is an error.
 * Real SQLite files, searched byte by byte. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <stdio.h>
#include <png.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "wc-image-strip.h"
#include "wc-outbox.h"
#include "wc-store-outbox.h"
#include "wc-store.h"
#include "wc-test-key.h"

/* What must never be found in the files, and (as a check that the search
 * sees the file at all) what is stored in a column that is not sealed. */
#define MARKER       "Zorgvlied7781Patientname"
#define PLAIN_MARKER "Openbaar4417Naamkaartje"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("whitecoat-sealing-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* In the database file or its write-ahead log, byte for byte. */
static gboolean
database_contains (const char *path,
                   const char *needle)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return file_contains (path, needle) || file_contains (wal, needle);
}

static void
write_png (const char *path)
{
  FILE *file = fopen (path, "wb");
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  png_text text = { .compression = PNG_TEXT_COMPRESSION_NONE, .key = (char *) "Author", .text = (char *) MARKER };
  guint8 row[8 * 3];

  g_assert_nonnull (file);
  for (guint i = 0; i < sizeof row; i++)
    row[i] = (guint8) (i * 9);
  png_init_io (png, file);
  png_set_IHDR (png, info, 8, 8, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_text (png, info, &text, 1);
  png_write_info (png, info);
  for (guint y = 0; y < 8; y++)
    png_write_row (png, row);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  fclose (file);
}

static gboolean
is_plain_image (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return (length >= 8 && memcmp (contents, "\x89PNG\r\n\x1a\n", 8) == 0)
         || (length >= 3 && memcmp (contents, "\xff\xd8\xff", 3) == 0);
}

static gboolean
is_sealed_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return wc_crypto_data_is_sealed ((const guint8 *) contents, length);
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
add_account (WcStore *store)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");

  wc_account_set_handle (account, "@anna@med.example");
  wc_account_set_server (account, "https://med.example");
  g_assert_true (wc_store_add_account (store, account, NULL));
  return wc_account_get_id (account);
}

static void
check_outbox_image (const char *copy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autofree char *mime_type = NULL;
  guint width = 0, height = 0;

  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  g_assert_false (is_plain_image (copy));
  g_assert_true (is_sealed_file (copy));
  g_assert_false (file_contains (copy, MARKER));

  /* The upload opens it in memory, with the key the store holds. */
  opened = wc_image_strip_for_upload (copy, G_MAXSIZE, &mime_type, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime_type, ==, "image/png");
  g_assert_cmpuint (width, ==, 8);
  g_assert_cmpuint (height, ==, 8);
}

/* Drafts, their alt texts, dismissals, the audit copy of the reason and
 * scheduled posts with their images: none in the files, all read back. */
static void
test_nothing_in_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (f->path, &error);
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) loaded = NULL;
  g_autoptr(WcOutboxContent) content = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) dismissals = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(WcOutboxEntry) stored = NULL;
  g_autofree char *image = g_build_filename (f->dir, "wound-" MARKER ".png", NULL);
  g_autofree char *images_dir = NULL;
  g_autofree char *copy = NULL;
  WcAuditEntry entry = { 0, 0, TRUE, WC_IDENTITY_PROFESSIONAL, -1,
                         (char *) "override", (char *) "Dismissed phi.name in draft 1", (char *) "Reason " MARKER };
  WcAttachment *attachment;
  WcOutboxEntry *scheduled;
  gint64 account_id;

  g_assert_no_error (error);
  wc_test_store_unlock (store);
  account_id = add_account (store);

  /* Not sealed: an identity's name. */
  identity = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, NULL);
  wc_identity_set_name (identity, PLAIN_MARKER);
  g_assert_true (wc_store_save_identity (store, identity, &error));
  g_assert_no_error (error);

  write_png (image);
  wc_draft_set_text (draft, "Mrs. " MARKER " (bed 4) goes home tomorrow");
  wc_draft_set_content_warning (draft, "CW " MARKER);
  wc_draft_set_target (draft, account_id, "unlisted");
  attachment = wc_draft_add_attachment (draft, image);
  g_free (attachment->alt_text);
  attachment->alt_text = g_strdup ("The wound of " MARKER);
  attachment->source = g_strdup ("Photo by " MARKER "'s daughter");
  g_assert_true (wc_store_save_draft (store, draft, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_add_dismissal (store, wc_draft_get_id (draft), "phi.name", -1,
                                         "Consent from " MARKER, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_append_audit (store, &entry, &error));
  g_assert_no_error (error);

  content = wc_outbox_content_new_from_draft (draft, account_id);
  scheduled = wc_outbox_entry_new (wc_draft_get_id (draft), account_id, WC_IDENTITY_PROFESSIONAL, 5000, content);
  g_ptr_array_add (entries, scheduled);
  g_assert_true (wc_store_add_outbox_entries (store, entries, &error));
  g_assert_no_error (error);

  /* The search sees what is written, so the marker would be found. */
  g_assert_true (database_contains (f->path, PLAIN_MARKER));
  g_assert_false (database_contains (f->path, MARKER));

  /* Read back, in plaintext, through the store. */
  loaded = wc_store_load_draft (store, wc_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (loaded), ==, "Mrs. " MARKER " (bed 4) goes home tomorrow");
  g_assert_cmpstr (wc_draft_get_content_warning (loaded), ==, "CW " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (loaded)->pdata[0])->alt_text, ==, "The wound of " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (loaded)->pdata[0])->path, ==, image);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (loaded)->pdata[0])->source, ==, "Photo by " MARKER "'s daughter");
  dismissals = wc_store_list_dismissals (store, wc_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WcDismissal *) dismissals->pdata[0])->reason, ==, "Consent from " MARKER);
  audit = wc_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WcAuditEntry *) audit->pdata[0])->reason, ==, "Reason " MARKER);
  stored = wc_store_get_outbox_entry (store, wc_outbox_entry_get_id (scheduled), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_outbox_entry_get_content (stored)->text, ==, "Mrs. " MARKER " (bed 4) goes home tomorrow");
  g_assert_cmpstr (((WcAttachment *) wc_outbox_entry_get_content (stored)->attachments->pdata[0])->alt_text,
                   ==, "The wound of " MARKER);

  /* The outbox's own copy of the image is sealed, never a plain image. */
  images_dir = wc_store_dup_images_dir (store);
  copy = g_strdup (((WcAttachment *) wc_outbox_entry_get_content (stored)->attachments->pdata[0])->path);
  g_assert_true (g_str_has_prefix (copy, images_dir));
  check_outbox_image (copy);

  /* Closed: the log is folded into the file; still nothing. */
  g_clear_object (&stored);
  g_clear_object (&loaded);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_true (database_contains (f->path, PLAIN_MARKER));
  g_assert_false (database_contains (f->path, MARKER));

  /* Without the store (and its key) the copy does not open: an error,
   * not something that looks like a picture. */
  {
    g_autofree char *mime_type = NULL;
    g_autoptr(GBytes) bytes = wc_image_strip_for_upload (copy, G_MAXSIZE, &mime_type, NULL, NULL, &error);

    g_assert_null (bytes);
    g_assert_error (error, WC_IMAGE_ERROR, WC_IMAGE_ERROR_FAILED);
  }
}

static gboolean
has_column (sqlite3    *db,
            const char *table,
            const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM pragma_table_info ('%s') WHERE name = '%s'", table, column);
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* A database as an older Whitecoat left it, with the marker in every
 * column that is now sealed (and in a deleted row, in a free page): once
 * the key is set, it is sealed, and gone from the file. */
static void
test_legacy_sealed_and_scrubbed (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (f->path, &error);
  g_autoptr(WcDraft) template = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcOutboxContent) content = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) dismissals = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autofree char *images_dir = NULL;
  g_autofree char *legacy_image = NULL;
  g_autofree char *json = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *big = NULL;
  gboolean has_pending;
  WcAttachment *attachment;
  WcDraft *draft;
  WcOutboxEntry *entry;
  sqlite3 *db = NULL;
  gint64 account_id;

  g_assert_no_error (error);
  account_id = add_account (store);
  images_dir = wc_store_dup_images_dir (store);
  g_assert_cmpint (g_mkdir_with_parents (images_dir, 0700), ==, 0);
  legacy_image = g_build_filename (images_dir, "outbox-legacykey-0.png", NULL);
  write_png (legacy_image);
  g_assert_true (is_plain_image (legacy_image));
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The post as an older version scheduled it: plain JSON. */
  wc_draft_set_text (template, "Scheduled about " MARKER);
  wc_draft_set_target (template, account_id, "unlisted");
  attachment = wc_draft_add_attachment (template, legacy_image);
  g_free (attachment->alt_text);
  attachment->alt_text = g_strdup ("Alt " MARKER);
  content = wc_outbox_content_new_from_draft (template, account_id);
  json = wc_outbox_content_to_json (content);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  has_pending = has_column (db, "outbox", "pending_content");
  exec_raw (db,
            "INSERT INTO drafts (id, identity, text, content_warning, created_at, updated_at) "
            "VALUES (1, 'professional', 'Text " MARKER "', 'CW " MARKER "', 1700000000, 1700000000);"
            "INSERT INTO draft_attachments (draft_id, position, path, alt_text, source) "
            "VALUES (1, 0, '/home/anna/" MARKER ".png', 'Alt " MARKER "', 'Source " MARKER "');"
            "INSERT INTO draft_attachments (draft_id, position, path, alt_text) "
            "VALUES (1, 1, '/home/anna/chart.png', '');"
            "INSERT INTO draft_dismissals (draft_id, check_id, attachment, reason, at) "
            "VALUES (1, 'phi.name', -1, 'Reason " MARKER "', 1700000000);"
            "INSERT INTO audit_log (at, identity, kind, summary, reason) "
            "VALUES (1700000000, 'professional', 'override', 'Dismissed phi.name in draft 1', 'Audit " MARKER "');");
  sql = sqlite3_mprintf ("INSERT INTO outbox (account_id, identity, state, due_at, content, idempotency_key, "
                         "created_at, updated_at) VALUES (%lld, 'professional', 'scheduled', 5000, %Q, "
                         "'legacykey', 1700000000, 1700000000)", (long long) account_id, json);
  exec_raw (db, sql);
  sqlite3_free (sql);
  sql = NULL;
  if (has_pending)
    {
      sql = sqlite3_mprintf ("UPDATE outbox SET pending_content = %Q WHERE idempotency_key = 'legacykey'", json);
      exec_raw (db, sql);
      sqlite3_free (sql);
      sql = NULL;
    }
  /* A draft deleted long ago: its words stay in a free page (where
   * SQLite was built without secure_delete, as not every build is). */
  exec_raw (db, "PRAGMA secure_delete = OFF");
  big = g_strnfill (3000, 'x');
  sql = sqlite3_mprintf ("INSERT INTO drafts (id, identity, text, created_at, updated_at) "
                         "VALUES (2, 'professional', 'Deleted " MARKER " %q', 1, 1)", big);
  exec_raw (db, sql);
  sqlite3_free (sql);
  sql = NULL;
  exec_raw (db, "DELETE FROM drafts WHERE id = 2");
  sqlite3_close (db);

  /* It really is in the file, in plaintext. */
  g_assert_true (database_contains (f->path, "Deleted " MARKER));
  g_assert_true (database_contains (f->path, "Text " MARKER));

  store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  /* Before the key: plaintext from before reads as it is. */
  drafts = wc_store_list_drafts (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_clear_pointer (&drafts, g_ptr_array_unref);

  wc_test_store_unlock (store);
  g_assert_false (database_contains (f->path, MARKER));
  g_assert_true (g_file_test (legacy_image, G_FILE_TEST_IS_REGULAR));
  g_assert_false (is_plain_image (legacy_image));
  g_assert_false (file_contains (legacy_image, MARKER));

  /* Nothing lost. */
  drafts = wc_store_list_drafts (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  draft = drafts->pdata[0];
  g_assert_cmpstr (wc_draft_get_text (draft), ==, "Text " MARKER);
  g_assert_cmpstr (wc_draft_get_content_warning (draft), ==, "CW " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (draft)->pdata[0])->alt_text, ==, "Alt " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (draft)->pdata[0])->path, ==, "/home/anna/" MARKER ".png");
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (draft)->pdata[0])->source, ==, "Source " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_draft_get_attachments (draft)->pdata[1])->path, ==, "/home/anna/chart.png");
  g_assert_null (((WcAttachment *) wc_draft_get_attachments (draft)->pdata[1])->source);
  dismissals = wc_store_list_dismissals (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WcDismissal *) dismissals->pdata[0])->reason, ==, "Reason " MARKER);
  audit = wc_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WcAuditEntry *) audit->pdata[0])->reason, ==, "Audit " MARKER);
  active = wc_store_list_outbox_active (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (active->len, ==, 1);
  entry = active->pdata[0];
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Scheduled about " MARKER);
  if (has_pending)
    g_assert_cmpstr (wc_outbox_entry_get_pending_content (entry)->text, ==, "Scheduled about " MARKER);
  g_assert_cmpstr (((WcAttachment *) wc_outbox_entry_get_content (entry)->attachments->pdata[0])->path,
                   ==, legacy_image);
  check_outbox_image (legacy_image);

  /* A second start has nothing left to seal, and reads the same. */
  g_clear_pointer (&active, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_false (database_contains (f->path, MARKER));
  store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (store);
  active = wc_store_list_outbox_active (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_outbox_entry_get_content (active->pdata[0])->text, ==, "Scheduled about " MARKER);
}

/* Without the key nothing sealed is read and nothing is written. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (f->path, &error);
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcOutboxContent) content = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) audit = NULL;
  WcAuditEntry entry = { 0, 0, TRUE, WC_IDENTITY_PROFESSIONAL, -1,
                         (char *) "override", (char *) "Dismissed", (char *) "Reason " MARKER };
  gint64 account_id;
  gint64 draft_id;

  g_assert_no_error (error);
  account_id = add_account (store);
  g_assert_false (wc_store_has_data_key (store));
  wc_draft_set_text (draft, "Text " MARKER);
  g_assert_false (wc_store_save_draft (store, draft, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_assert_cmpint (wc_draft_get_id (draft), ==, -1);
  g_clear_error (&error);
  g_assert_false (wc_store_append_audit (store, &entry, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  content = wc_outbox_content_new_from_draft (draft, account_id);
  g_ptr_array_add (entries, wc_outbox_entry_new (-1, account_id, WC_IDENTITY_PROFESSIONAL, 5000, content));
  g_assert_false (wc_store_add_outbox_entries (store, entries, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpuint (wc_store_count_outbox (store), ==, 0);
  g_assert_false (database_contains (f->path, MARKER));

  /* Saved with the key, read without it. */
  wc_test_store_unlock (store);
  g_assert_true (wc_store_save_draft (store, draft, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_add_dismissal (store, wc_draft_get_id (draft), "phi.name", -1, "Reason " MARKER, NULL));
  g_assert_true (wc_store_append_audit (store, &entry, NULL));
  g_assert_true (wc_store_add_outbox_entries (store, entries, &error));
  g_assert_no_error (error);
  draft_id = wc_draft_get_id (draft);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_null (wc_store_load_draft (store, draft_id, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (wc_store_list_drafts (store, WC_IDENTITY_PROFESSIONAL, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (wc_store_list_dismissals (store, draft_id, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (wc_store_list_outbox_active (store, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  /* What needs no key still works: counting, accounts, the audit log
   * (the reason shows as locked, never as the sealed value). */
  g_assert_cmpuint (wc_store_count_outbox (store), ==, 1);
  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PROFESSIONAL), ==, 1);
  audit = wc_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_false (g_str_has_prefix (((WcAuditEntry *) audit->pdata[0])->reason, WC_CRYPTO_PREFIX));
  g_assert_null (strstr (((WcAuditEntry *) audit->pdata[0])->reason, MARKER));
}

/* A key that opens nothing is refused and not set; a changed value, or one
 * moved to another column, is an error, and the rest still opens. */
static void
test_wrong_key_and_tampering (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (f->path, &error);
  g_autoptr(WcDraft) first = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) second = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcDraft) loaded = NULL;
  g_autoptr(WcCryptoKey) other = wc_crypto_key_new_random (NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  wc_test_store_unlock (store);
  wc_draft_set_text (first, "First " MARKER);
  wc_draft_set_content_warning (first, "Warning");
  wc_draft_set_text (second, "Second " MARKER);
  g_assert_true (wc_store_save_draft (store, first, NULL));
  g_assert_true (wc_store_save_draft (store, second, NULL));
  g_assert_finalize_object (g_steal_pointer (&store));

  store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (wc_store_set_data_key (store, other, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_false (wc_store_has_data_key (store));
  g_assert_null (wc_store_load_draft (store, wc_draft_get_id (first), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* One character of the first draft's text changed; the second's
   * content warning set to the first's (a value of another column). */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE drafts SET text = substr (text, 1, 20) || "
                         "CASE substr (text, 21, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr (text, 22) "
                         "WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE drafts SET text = (SELECT content_warning FROM drafts WHERE id = %" G_GINT64_FORMAT ") "
                         "WHERE id = %" G_GINT64_FORMAT,
                         wc_draft_get_id (first), wc_draft_get_id (first), wc_draft_get_id (second));
  exec_raw (db, sql);
  sqlite3_close (db);

  store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  /* The first draft's warning still opens, so the key is accepted. */
  wc_test_store_unlock (store);
  g_assert_null (wc_store_load_draft (store, wc_draft_get_id (first), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_null (wc_store_load_draft (store, wc_draft_get_id (second), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* Saving anew replaces the damaged value. */
  wc_draft_set_text (first, "First again");
  g_assert_true (wc_store_save_draft (store, first, &error));
  g_assert_no_error (error);
  loaded = wc_store_load_draft (store, wc_draft_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (loaded), ==, "First again");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) g_test_add ("/sealing/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("nothing-in-file", test_nothing_in_file);
  ADD ("legacy-sealed-and-scrubbed", test_legacy_sealed_and_scrubbed);
  ADD ("locked", test_locked);
  ADD ("wrong-key-and-tampering", test_wrong_key_and_tampering);
#undef ADD

  return g_test_run ();
}
