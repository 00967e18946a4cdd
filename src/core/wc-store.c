/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wc-draft.h"
#include "wc-store-private.h"
#include "wc-util.h"

struct _WcStore
{
  GObject  parent_instance;

  sqlite3     *db;
  char        *path;
  WcCryptoKey *data_key;  /* NULL until the keyring gave it */
};

G_DEFINE_FINAL_TYPE (WcStore, wc_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-store-error-quark, wc_store_error)

/* Forward-only migrations: migrations[N] brings a database from version N to
 * version N + 1, in one transaction. Never edit a migration that has shipped;
 * add a new one and raise WC_STORE_SCHEMA_VERSION. */
static const char * const migrations[] = {
  /* 0 → 1: identities and accounts */
  "CREATE TABLE identities ("
  "  kind TEXT PRIMARY KEY CHECK (kind IN ('personal', 'professional')),"
  "  name TEXT NOT NULL,"
  "  color TEXT NOT NULL"
  ");"
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  identity TEXT NOT NULL CHECK (identity IN ('personal', 'professional')),"
  "  network TEXT NOT NULL,"
  "  handle TEXT NOT NULL,"
  "  server TEXT,"
  "  display_name TEXT,"
  "  account_key TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX accounts_by_identity ON accounts (identity);",

  /* 1 → 2: markers of identities; profile URL and site name of accounts */
  "CREATE TABLE markers ("
  "  id INTEGER PRIMARY KEY,"
  "  identity TEXT NOT NULL REFERENCES identities (kind) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  position INTEGER NOT NULL"
  ");"
  "CREATE INDEX markers_by_identity ON markers (identity, position);"
  "ALTER TABLE accounts ADD COLUMN profile_url TEXT;"
  "ALTER TABLE accounts ADD COLUMN custom_name TEXT;"
  "ALTER TABLE accounts ADD COLUMN updated_at INTEGER;",

  /* 2 → 3: drafts with their targets and images; the audit log */
  "CREATE TABLE drafts ("
  "  id INTEGER PRIMARY KEY,"
  "  identity TEXT NOT NULL CHECK (identity IN ('personal', 'professional')),"
  "  text TEXT NOT NULL,"
  "  content_warning TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX drafts_by_identity ON drafts (identity, updated_at);"
  "CREATE TABLE draft_targets ("
  "  draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  visibility TEXT NOT NULL,"
  "  PRIMARY KEY (draft_id, account_id)"
  ");"
  "CREATE TABLE draft_attachments ("
  "  draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  path TEXT NOT NULL,"
  "  alt_text TEXT NOT NULL DEFAULT '',"
  "  clinical INTEGER NOT NULL DEFAULT 0,"
  "  consent_at INTEGER NOT NULL DEFAULT 0,"
  "  source TEXT,"
  "  PRIMARY KEY (draft_id, position)"
  ");"
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  identity TEXT CHECK (identity IN ('personal', 'professional')),"
  "  account_id INTEGER,"
  "  kind TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  reason TEXT"
  ");"
  "CREATE INDEX audit_by_time ON audit_log (at);",

  /* 3 → 4: findings the user dismissed with a reason, per draft */
  "CREATE TABLE draft_dismissals ("
  "  draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
  "  check_id TEXT NOT NULL,"
  "  attachment INTEGER NOT NULL DEFAULT -1,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (draft_id, check_id, attachment)"
  ");",

  /* 4 → 5: person tags and the patient roster (keyed hashes only), account
   * states and follower snapshots for the audience */
  "CREATE TABLE person_tags ("
  "  hash TEXT PRIMARY KEY CHECK (length (hash) = 64),"
  "  tag TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE roster ("
  "  hash TEXT NOT NULL CHECK (length (hash) = 64),"
  "  kind TEXT NOT NULL CHECK (kind IN ('name', 'handle', 'email')),"
  "  refs INTEGER NOT NULL DEFAULT 1,"
  "  PRIMARY KEY (hash, kind)"
  ") WITHOUT ROWID;"
  "CREATE TABLE follower_snapshots ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  taken_at INTEGER NOT NULL,"
  "  complete INTEGER NOT NULL DEFAULT 1,"
  "  followers_count INTEGER,"
  "  hidden INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX follower_snapshots_by_account ON follower_snapshots (account_id, taken_at);"
  "CREATE TABLE snapshot_followers ("
  "  snapshot_id INTEGER NOT NULL REFERENCES follower_snapshots (id) ON DELETE CASCADE,"
  "  account_ref TEXT NOT NULL,"
  "  display_name TEXT,"
  "  hash TEXT CHECK (hash IS NULL OR length (hash) = 64)"
  ");"
  "CREATE INDEX snapshot_followers_by_snapshot ON snapshot_followers (snapshot_id);"
  "CREATE TABLE account_states ("
  "  account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,"
  "  taken_at INTEGER NOT NULL,"
  "  locked INTEGER,"
  "  discoverable INTEGER,"
  "  indexable INTEGER,"
  "  noindex INTEGER,"
  "  hide_collections INTEGER,"
  "  bot INTEGER,"
  "  default_visibility TEXT,"
  "  followers_count INTEGER,"
  "  following_count INTEGER,"
  "  logged_out_restricted INTEGER,"
  "  declared_settings TEXT"
  ");",

  /* 5 → 6: signing in (app registrations per server; whether and as whom an
   * account is connected), resumable follower fetches, the outbox, and the
   * outcomes of the privacy walkthrough */
  "CREATE TABLE server_apps ("
  "  network TEXT NOT NULL,"
  "  server TEXT NOT NULL,"
  "  client_id TEXT NOT NULL,"
  "  redirect_uris TEXT NOT NULL,"
  "  scopes TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (network, server)"
  ");"
  "ALTER TABLE accounts ADD COLUMN remote_id TEXT;"
  "ALTER TABLE accounts ADD COLUMN connected_at INTEGER;"
  "ALTER TABLE follower_snapshots ADD COLUMN next_cursor TEXT;"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER REFERENCES drafts (id) ON DELETE SET NULL,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  identity TEXT NOT NULL CHECK (identity IN ('personal', 'professional')),"
  "  state TEXT NOT NULL CHECK (state IN ('scheduled', 'server-scheduled', 'sending',"
  "                                       'sent', 'failed', 'held', 'cancelled')),"
  "  due_at INTEGER NOT NULL,"
  "  content TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER,"
  "  remote_id TEXT,"
  "  remote_url TEXT,"
  "  reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  sent_at INTEGER"
  ");"
  "CREATE INDEX outbox_by_state ON outbox (state, due_at);"
  "CREATE INDEX outbox_by_due ON outbox (due_at);"
  "CREATE INDEX outbox_by_draft ON outbox (draft_id);"
  "CREATE TABLE privacy_steps ("
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  step_id TEXT NOT NULL,"
  "  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'done', 'skipped', 'as-recommended')),"
  "  value TEXT,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, step_id)"
  ");"
  "CREATE TABLE privacy_reviews ("
  "  account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,"
  "  current_step TEXT,"
  "  started_at INTEGER,"
  "  finished_at INTEGER"
  ");",

  /* 6 → 7: each server's limits as last read (kept across restarts for the
   * checks), and what was done about each follow request (notified once,
   * answered) — by the requester's opaque id on the server, no name */
  "CREATE TABLE server_configs ("
  "  network TEXT NOT NULL,"
  "  server TEXT NOT NULL,"
  "  max_characters INTEGER NOT NULL DEFAULT 0,"
  "  chars_per_url INTEGER NOT NULL DEFAULT 0,"
  "  max_media INTEGER NOT NULL DEFAULT 0,"
  "  description_limit INTEGER NOT NULL DEFAULT 0,"
  "  fetched_at INTEGER NOT NULL,"
  "  PRIMARY KEY (network, server)"
  ");"
  "CREATE TABLE follow_requests ("
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  remote_id TEXT NOT NULL,"
  "  first_seen INTEGER NOT NULL,"
  "  notified_at INTEGER,"
  "  answered_at INTEGER,"
  "  answer TEXT,"
  "  PRIMARY KEY (account_id, remote_id)"
  ") WITHOUT ROWID;",

  /* 7 → 8: who may reply to a draft (where the network lets the author
   * choose) and the language it is written in (ISO 639-1; '' = not said) */
  "ALTER TABLE drafts ADD COLUMN reply_policy TEXT NOT NULL DEFAULT 'everyone'"
  "  CHECK (reply_policy IN ('everyone', 'following', 'mentioned', 'nobody'));"
  "ALTER TABLE drafts ADD COLUMN language TEXT NOT NULL DEFAULT '';",

  /* 8 → 9: what the outbox kept only in memory: a change to a post the
   * server holds, waiting for the server copy's withdrawal (the same JSON
   * as content, and sealed the same way), and the server's ids of the
   * images uploaded for the post (JSON: uploaded_at, ids, earlier) */
  "ALTER TABLE outbox ADD COLUMN pending_content TEXT;"
  "ALTER TABLE outbox ADD COLUMN media_ids TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == WC_STORE_SCHEMA_VERSION);

static gboolean
set_sqlite_error (GError      **error,
                  sqlite3      *db,
                  WcStoreError  code,
                  const char   *what)
{
  int rc = db ? sqlite3_errcode (db) : SQLITE_ERROR;

  /* The technical detail goes to the debug log; the message is for people. */
  g_debug ("%s: %s (%d)", what, db ? sqlite3_errmsg (db) : "no database", rc);

  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
    code = WC_STORE_ERROR_CORRUPT;

  switch (code)
    {
    case WC_STORE_ERROR_CORRUPT:
      g_set_error_literal (error, WC_STORE_ERROR, code,
                           _("Whitecoat’s database is damaged."));
      break;
    case WC_STORE_ERROR_OPEN:
      g_set_error_literal (error, WC_STORE_ERROR, code,
                           _("Whitecoat cannot open its database. Check that your home folder is writable and not full."));
      break;
    default:
      if (rc == SQLITE_FULL)
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                             _("The disk is full, so Whitecoat could not save. Free some space and try again."));
      else if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_IOERR)
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                             _("Whitecoat could not write its database. Check that your home folder is writable."));
      else
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                             _("Whitecoat could not save or read its data."));
      break;
    }
  return FALSE;
}

static gboolean
exec_sql (WcStore     *self,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "exec");
  return TRUE;
}

static sqlite3_stmt *
prepare (WcStore     *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "prepare");
      return NULL;
    }
  return stmt;
}

static gboolean
begin (WcStore  *self,
       GError  **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (WcStore  *self,
        GError  **error)
{
  return exec_sql (self, "COMMIT", error);
}

static void
rollback (WcStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

sqlite3 *
_wc_store_get_db (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return self->db;
}

gboolean
_wc_store_set_error (WcStore     *self,
                     const char  *what,
                     GError     **error)
{
  return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, what);
}

gboolean
_wc_store_exec (WcStore     *self,
                const char  *sql,
                GError     **error)
{
  return exec_sql (self, sql, error);
}

sqlite3_stmt *
_wc_store_prepare (WcStore     *self,
                   const char  *sql,
                   GError     **error)
{
  return prepare (self, sql, error);
}

gboolean
_wc_store_begin (WcStore  *self,
                 GError  **error)
{
  return begin (self, error);
}

gboolean
_wc_store_commit (WcStore  *self,
                  GError  **error)
{
  return commit (self, error);
}

void
_wc_store_rollback (WcStore *self)
{
  rollback (self);
}

void
_wc_store_bind_text_or_null (sqlite3_stmt *stmt,
                             int           index,
                             const char   *text)
{
  bind_text_or_null (stmt, index, text);
}

static int
read_user_version (WcStore  *self,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "user_version");
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (WcStore  *self,
         int       target,
         GError  **error)
{
  int version = read_user_version (self, error);
  g_autofree char *bump = NULL;

  if (version < 0)
    return FALSE;

  if (version > WC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, WC_STORE_ERROR, WC_STORE_ERROR_TOO_NEW,
                   _("The database was written by a newer version of Whitecoat (schema %d; this version knows up to %d)."),
                   version, WC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version >= target)
    return TRUE;

  /* Every step up to the target in one transaction: a database is either
   * at its old version or at the new one, never in between. */
  if (!begin (self, error))
    return FALSE;
  for (; version < target; version++)
    {
      g_debug ("Migrating the database from schema %d to %d", version, version + 1);
      if (!exec_sql (self, migrations[version], error))
        {
          rollback (self);
          return FALSE;
        }
    }
  bump = g_strdup_printf ("PRAGMA user_version = %d", target);
  if (!exec_sql (self, bump, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Whether @path is missing, empty (SQLite makes a database of both) or
 * starts as every SQLite database does. */
static gboolean
has_database_header (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char header[sizeof magic];
  FILE *file = g_fopen (path, "rb");
  gsize n;

  if (file == NULL)
    return TRUE;
  n = fread (header, 1, sizeof header, file);
  fclose (file);
  return n == 0 || (n == sizeof header && memcmp (header, magic, sizeof magic) == 0);
}

static WcStore *
open_internal (const char  *path,
               int          target_version,
               GError     **error)
{
  g_autoptr(WcStore) self = g_object_new (WC_TYPE_STORE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(sqlite3_stmt) check = NULL;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_debug ("Cannot create %s: %s", dir, g_strerror (saved_errno));
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                           _("Whitecoat cannot create the folder for its database. Check that your home folder is writable."));
      return NULL;
    }

  /* A file that is not a database is refused before SQLite opens it: SQLite
   * would otherwise treat a write-ahead log beside it as its own. */
  if (!has_database_header (path))
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT,
                           _("Whitecoat’s database is damaged."));
      return NULL;
    }

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_OPEN, "open");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 5000);

  /* Reading the header finds a file that is not a database at all; the
   * quick check finds damage inside one. Both are cheap at our sizes. */
  check = prepare (self, "PRAGMA quick_check(1)", error);
  if (check == NULL)
    return NULL;
  if (sqlite3_step (check) != SQLITE_ROW
      || g_strcmp0 ((const char *) sqlite3_column_text (check, 0), "ok") != 0)
    {
      g_debug ("quick_check: %s", sqlite3_column_text (check, 0)
               ? (const char *) sqlite3_column_text (check, 0) : sqlite3_errmsg (self->db));
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT,
                           _("Whitecoat’s database is damaged."));
      return NULL;
    }
  g_clear_pointer (&check, sqlite3_finalize);

  if (!exec_sql (self, "PRAGMA journal_mode = WAL", error) ||
      !exec_sql (self, "PRAGMA foreign_keys = ON", error) ||
      !exec_sql (self, "PRAGMA synchronous = FULL", error))
    return NULL;

  if (!migrate (self, target_version, error))
    return NULL;

  /* Drafts can hold what a patient must not lose: readable by the user
   * only, whatever the umask (the folder is 0700 too). */
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix = i == 0 ? "" : i == 1 ? "-wal" : "-shm";
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      if (g_chmod (file, 0600) != 0 && errno != ENOENT)
        g_debug ("Cannot restrict %s: %s", file, g_strerror (errno));
    }

  return g_steal_pointer (&self);
}

static gboolean
move_aside (const char  *path,
            const char  *reason,
            char       **moved_to,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = NULL;

  for (guint i = 0; ; i++)
    {
      g_free (target);
      if (i == 0)
        target = g_strdup_printf ("%s.%s-%s", path, reason, stamp);
      else
        target = g_strdup_printf ("%s.%s-%s-%u", path, reason, stamp, i);
      if (!g_file_test (target, G_FILE_TEST_EXISTS))
        break;
    }

  if (g_rename (path, target) != 0)
    {
      int saved_errno = errno;

      g_debug ("Cannot move %s aside: %s", path, g_strerror (saved_errno));
      g_set_error (error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                   _("Whitecoat cannot open its database at %s and cannot move it out of the way."),
                   path);
      return FALSE;
    }

  /* The write-ahead log belongs with its database. */
  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i == 0 ? "-wal" : "-shm";
      g_autofree char *from = g_strconcat (path, suffix, NULL);
      g_autofree char *to = g_strconcat (target, suffix, NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  g_message ("Moved the database aside to %s (%s)", target, reason);
  if (moved_to != NULL)
    *moved_to = g_steal_pointer (&target);
  return TRUE;
}

static void
wc_store_finalize (GObject *object)
{
  WcStore *self = (WcStore *) object;

  wc_store_close (self);
  g_clear_pointer (&self->path, g_free);
  if (self->data_key != NULL)
    wc_crypto_unregister_key (self->data_key);
  g_clear_pointer (&self->data_key, wc_crypto_key_unref);

  G_OBJECT_CLASS (wc_store_parent_class)->finalize (object);
}

static void
wc_store_class_init (WcStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_store_finalize;
}

static void
wc_store_init (WcStore *self)
{
}

/**
 * wc_store_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/whitecoat/whitecoat.db`
 */
char *
wc_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "whitecoat", "whitecoat.db", NULL);
}

/**
 * wc_store_open:
 * @path: the database file; it and its folder are created when missing
 * @error: #WC_STORE_ERROR_CORRUPT, #WC_STORE_ERROR_TOO_NEW or
 *   #WC_STORE_ERROR_OPEN
 *
 * Opens the database and migrates it to the current schema.
 *
 * Returns: (transfer full): the store, or %NULL
 */
WcStore *
wc_store_open (const char  *path,
               GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return open_internal (path, WC_STORE_SCHEMA_VERSION, error);
}

/**
 * wc_store_open_at_version:
 * @version: the schema version to migrate to, at most the current one
 *
 * For tests of the migrations: opens @path and migrates it only as far as
 * @version.
 *
 * Returns: (transfer full): the store, or %NULL
 */
WcStore *
wc_store_open_at_version (const char  *path,
                          int          version,
                          GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= WC_STORE_SCHEMA_VERSION, NULL);
  return open_internal (path, version, error);
}

/**
 * wc_store_open_or_recover:
 * @path: the database file
 * @moved_aside_path: (out) (optional) (nullable): where an unusable file was
 *   moved to, or %NULL when nothing was moved
 * @error: set only when even a fresh database cannot be made
 *
 * Opens @path. A file that is damaged, not a database, or written by a newer
 * Whitecoat is moved aside — never deleted — and a fresh database is made in
 * its place. The caller tells the user where the old file went.
 *
 * Returns: (transfer full): the store, or %NULL
 */
WcStore *
wc_store_open_or_recover (const char  *path,
                          char       **moved_aside_path,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  WcStore *self;
  const char *reason;

  if (moved_aside_path != NULL)
    *moved_aside_path = NULL;

  self = wc_store_open (path, &local_error);
  if (self != NULL)
    return self;

  if (g_error_matches (local_error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT))
    reason = "damaged";
  else if (g_error_matches (local_error, WC_STORE_ERROR, WC_STORE_ERROR_TOO_NEW))
    reason = "newer";
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    reason = "unreadable";
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_message ("Cannot use the database: %s", local_error->message);
  if (!move_aside (path, reason, moved_aside_path, error))
    return NULL;

  return wc_store_open (path, error);
}

const char *
wc_store_get_path (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return self->path;
}

int
wc_store_get_schema_version (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), -1);
  if (self->db == NULL)
    return -1;
  return read_user_version (self, NULL);
}

/**
 * wc_store_close:
 *
 * Closes the database; later calls fail. Finalizing the store closes it too.
 */
void
wc_store_close (WcStore *self)
{
  g_return_if_fail (WC_IS_STORE (self));
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

static gboolean
check_open (WcStore  *self,
            GError  **error)
{
  if (self->db != NULL)
    return TRUE;
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                       _("Whitecoat’s database is closed."));
  return FALSE;
}

static char *
images_dir_for (const char *database_path)
{
  g_autofree char *dir = g_path_get_dirname (database_path);

  return g_build_filename (dir, "images", NULL);
}

/**
 * wc_store_dup_images_dir:
 *
 * Returns: (transfer full): the folder, beside the database, where images
 *   cleaned of their metadata are kept for the drafts
 */
char *
wc_store_dup_images_dir (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return images_dir_for (self->path);
}

static gboolean
remove_file (const char  *file,
             GError     **error)
{
  if (g_unlink (file) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_debug ("Cannot remove %s: %s", file, g_strerror (saved_errno));
      g_set_error (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                   _("Whitecoat could not remove %s. Remove it by hand or check its permissions."),
                   file);
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_store_delete_database:
 * @path: a database file (closed)
 *
 * Removes the database, its write-ahead log and the images kept for the
 * drafts. Used by "Delete all Whitecoat data".
 *
 * Returns: whether every file is gone
 */
gboolean
wc_store_delete_database (const char  *path,
                          GError     **error)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *images = images_dir_for (path);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (!remove_file (file, error))
        return FALSE;
    }

  /* The images cleaned of their metadata belong to the drafts. */
  dir = g_dir_open (images, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (images, name, NULL);

      if (!remove_file (file, error))
        return FALSE;
    }
  if (dir != NULL && g_rmdir (images) != 0 && errno != ENOENT)
    {
      g_set_error (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                   _("Whitecoat could not remove %s. Remove it by hand or check its permissions."), images);
      return FALSE;
    }
  return TRUE;
}

/* Deletes the row @id with @sql; a row that is not there is
 * #WC_STORE_ERROR_NOT_FOUND with @gone as its message. */
static gboolean
delete_by_id (WcStore     *self,
              const char  *sql,
              gint64       id,
              const char  *gone,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!check_open (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "delete");
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND, gone);
      return FALSE;
    }
  return TRUE;
}

/* Identities */

/**
 * wc_store_load_identity:
 *
 * Returns: (transfer full): the identity with its markers; the default
 *   identity of @kind when none was saved yet
 */
WcIdentity *
wc_store_load_identity (WcStore         *self,
                        WcIdentityKind   kind,
                        GError         **error)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (kind);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) markers = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_marker_free);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT name, color FROM identities WHERE kind = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, wc_identity_kind_to_string (kind), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      wc_identity_set_name (identity, (const char *) sqlite3_column_text (stmt, 0));
      wc_identity_set_color (identity, (const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load identity");
      return NULL;
    }

  markers = prepare (self, "SELECT kind, value FROM markers WHERE identity = ? ORDER BY position", error);
  if (markers == NULL)
    return NULL;
  sqlite3_bind_text (markers, 1, wc_identity_kind_to_string (kind), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (markers)) == SQLITE_ROW)
    {
      WcMarkerKind marker_kind;

      if (!wc_marker_kind_from_string ((const char *) sqlite3_column_text (markers, 0), &marker_kind))
        continue;  /* a kind this version does not know; keep it in the database */
      g_ptr_array_add (list, wc_marker_new (marker_kind, (const char *) sqlite3_column_text (markers, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load markers");
      return NULL;
    }
  wc_identity_set_markers (identity, list);

  return g_steal_pointer (&identity);
}

static gboolean
write_identity_rows (WcStore    *self,
                     WcIdentity *identity)
{
  const char *kind = wc_identity_kind_to_string (wc_identity_get_kind (identity));
  GPtrArray *markers = wc_identity_get_markers (identity);
  g_autofree char *name = wc_strip_dup (wc_identity_get_name (identity));
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  if (!(upsert = prepare (self,
                          "INSERT INTO identities (kind, name, color) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (kind) DO UPDATE SET name = ?2, color = ?3", NULL)) ||
      !(clear = prepare (self, "DELETE FROM markers WHERE identity = ?", NULL)) ||
      !(insert = prepare (self,
                          "INSERT INTO markers (identity, kind, value, position) VALUES (?, ?, ?, ?)",
                          NULL)))
    return FALSE;

  sqlite3_bind_text (upsert, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 3, wc_identity_get_color (identity), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    return FALSE;

  sqlite3_bind_text (clear, 1, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (clear) != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (markers, i);
      g_autofree char *value = wc_strip_dup (marker->value);

      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, wc_marker_kind_to_string (marker->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (insert, 4, i);
      if (sqlite3_step (insert) != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/**
 * wc_store_save_identity:
 *
 * Saves the name, colour and markers of @identity in one transaction, after
 * validating them; nothing is saved when anything is wrong.
 *
 * Returns: whether it was saved
 */
gboolean
wc_store_save_identity (WcStore     *self,
                        WcIdentity  *identity,
                        GError     **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_IDENTITY (identity), FALSE);

  if (!check_open (self, error) || !wc_identity_validate (identity, error))
    return FALSE;

  if (!begin (self, error))
    return FALSE;
  if (!write_identity_rows (self, identity))
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save identity");
      rollback (self);
      return FALSE;
    }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Accounts */

#define ACCOUNT_COLUMNS "id, identity, network, handle, server, display_name, profile_url, custom_name, " \
                        "remote_id, coalesce (connected_at, 0)"

static WcAccount *
account_from_row (sqlite3_stmt *stmt)
{
  WcIdentityKind identity = WC_IDENTITY_PERSONAL;
  WcAccount *account;

  wc_identity_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &identity);
  account = wc_account_new (identity, (const char *) sqlite3_column_text (stmt, 2));
  wc_account_set_id (account, sqlite3_column_int64 (stmt, 0));
  wc_account_set_handle (account, (const char *) sqlite3_column_text (stmt, 3));
  wc_account_set_server (account, (const char *) sqlite3_column_text (stmt, 4));
  wc_account_set_display_name (account, (const char *) sqlite3_column_text (stmt, 5));
  wc_account_set_profile_url (account, (const char *) sqlite3_column_text (stmt, 6));
  wc_account_set_custom_name (account, (const char *) sqlite3_column_text (stmt, 7));
  wc_account_set_remote_id (account, (const char *) sqlite3_column_text (stmt, 8));
  wc_account_set_connected_at (account, sqlite3_column_int64 (stmt, 9));
  return account;
}

static GPtrArray *
list_accounts (WcStore     *self,
               const char  *identity,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (!check_open (self, error))
    return NULL;

  if (identity != NULL)
    stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE identity = ? "
                          "ORDER BY network, lower(coalesce(display_name, handle)), id", error);
  else
    stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts "
                          "ORDER BY identity, network, lower(coalesce(display_name, handle)), id", error);
  if (stmt == NULL)
    return NULL;
  if (identity != NULL)
    sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "list accounts");
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/**
 * wc_store_list_accounts:
 *
 * Returns: (transfer full) (element-type WcAccount): the accounts of @kind
 */
GPtrArray *
wc_store_list_accounts (WcStore         *self,
                        WcIdentityKind   kind,
                        GError         **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_accounts (self, wc_identity_kind_to_string (kind), error);
}

/**
 * wc_store_list_all_accounts:
 *
 * Returns: (transfer full) (element-type WcAccount): the accounts of both
 *   identities
 */
GPtrArray *
wc_store_list_all_accounts (WcStore  *self,
                            GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_accounts (self, NULL, error);
}

guint
wc_store_count_accounts (WcStore        *self,
                         WcIdentityKind  kind)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), 0);
  if (self->db == NULL)
    return 0;

  stmt = prepare (self, "SELECT count(*) FROM accounts WHERE identity = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, wc_identity_kind_to_string (kind), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

/**
 * wc_store_get_account:
 *
 * Returns: (transfer full): the account, or %NULL with #WC_STORE_ERROR_NOT_FOUND
 */
WcAccount *
wc_store_get_account (WcStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return account_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                         _("The account no longer exists."));
  else
    set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "get account");
  return NULL;
}

/* Refuses an account whose key is already taken by another row, with the
 * message the account dialog shows at the handle field. */
static gboolean
check_account_key (WcStore     *self,
                   WcAccount   *account,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcIdentityKind owner = WC_IDENTITY_PERSONAL;
  int rc;

  stmt = prepare (self, "SELECT identity FROM accounts WHERE account_key = ? AND id != ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, wc_account_get_id (account));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "check account");

  wc_identity_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &owner);
  if (owner == wc_account_get_identity (account))
    g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_DUPLICATE,
                         _("This account is already in this identity."));
  else if (owner == WC_IDENTITY_PERSONAL)
    g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK,
                         _("The same account cannot belong to both identities. It already belongs to your personal identity; adding it here would link the two."));
  else
    g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK,
                         _("The same account cannot belong to both identities. It already belongs to your professional identity; adding it here would link the two."));
  return FALSE;
}

static gboolean
prepare_account (WcAccount  *account,
                 GError    **error)
{
  /* A WC_ACCOUNT_ERROR names the field at fault, for the form. */
  wc_account_normalize (account);
  return wc_account_validate (account, error);
}

/* Writes @account in one transaction: its own row when it has an id, a new
 * row otherwise. */
static gboolean
write_account (WcStore    *self,
               WcAccount  *account,
               GError    **error)
{
  gboolean is_new = wc_account_get_id (account) < 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = NULL;

  if (!check_open (self, error) || !prepare_account (account, error))
    return FALSE;

  key = wc_account_dup_key (account);
  if (!begin (self, error))
    return FALSE;
  if (!check_account_key (self, account, key, error))
    {
      rollback (self);
      return FALSE;
    }

  if (is_new)
    stmt = prepare (self,
                    "INSERT INTO accounts (identity, network, handle, server, display_name, "
                    "profile_url, custom_name, account_key, updated_at, created_at, "
                    "remote_id, connected_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?11, ?12)", error);
  else
    stmt = prepare (self,
                    "UPDATE accounts SET identity = ?1, network = ?2, handle = ?3, server = ?4, "
                    "display_name = ?5, profile_url = ?6, custom_name = ?7, account_key = ?8, "
                    "updated_at = ?9, remote_id = ?11, connected_at = ?12 WHERE id = ?10", error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, wc_identity_kind_to_string (wc_account_get_identity (account)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, wc_account_get_network (account), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, wc_account_get_handle (account), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, wc_account_get_server (account));
  bind_text_or_null (stmt, 5, wc_account_get_display_name (account));
  bind_text_or_null (stmt, 6, wc_account_get_profile_url (account));
  bind_text_or_null (stmt, 7, wc_account_get_custom_name (account));
  sqlite3_bind_text (stmt, 8, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, now);
  if (!is_new)
    sqlite3_bind_int64 (stmt, 10, wc_account_get_id (account));
  bind_text_or_null (stmt, 11, wc_account_get_remote_id (account));
  if (wc_account_get_connected_at (account) > 0)
    sqlite3_bind_int64 (stmt, 12, wc_account_get_connected_at (account));
  else
    sqlite3_bind_null (stmt, 12);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "write account");
      rollback (self);
      return FALSE;
    }
  if (!is_new && sqlite3_changes (self->db) == 0)
    {
      rollback (self);
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("The account no longer exists."));
      return FALSE;
    }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  if (is_new)
    wc_account_set_id (account, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

/**
 * wc_store_add_account:
 * @account: a new account (id -1); it is normalised, and its id is set
 * @error: a #WC_ACCOUNT_ERROR naming the field at fault, or
 *   #WC_STORE_ERROR_CROSS_LINK / #WC_STORE_ERROR_DUPLICATE
 *
 * Returns: whether the account was stored
 */
gboolean
wc_store_add_account (WcStore    *self,
                      WcAccount  *account,
                      GError    **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (wc_account_get_id (account) < 0, FALSE);

  return write_account (self, account, error);
}

/**
 * wc_store_update_account:
 * @account: a stored account; it is normalised
 *
 * Returns: whether the changes were stored
 */
gboolean
wc_store_update_account (WcStore    *self,
                         WcAccount  *account,
                         GError    **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (wc_account_get_id (account) >= 0, FALSE);

  return write_account (self, account, error);
}

/**
 * wc_store_remove_account:
 *
 * Removes the account's row. Its keyring items are the caller's to clear
 * (wc_keyring_clear_async()).
 *
 * Returns: whether it was removed
 */
gboolean
wc_store_remove_account (WcStore  *self,
                         gint64    id,
                         GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  return delete_by_id (self, "DELETE FROM accounts WHERE id = ?", id,
                       _("The account no longer exists."), error);
}

/* Encryption at rest */

/* Every column that holds what a doctor wrote, sealed with the data key,
 * its "table.column" the associated data; in the rows @where says, when
 * set. A column the schema does not have (yet) is skipped. */
static const struct
{
  const char *table;
  const char *column;
  const char *where;
} sealed_columns[] = {
  { "drafts", "text", NULL },
  { "drafts", "content_warning", NULL },
  { "draft_attachments", "alt_text", NULL },
  /* A file's name or where a picture came from can name the patient. */
  { "draft_attachments", "path", NULL },
  { "draft_attachments", "source", NULL },
  { "draft_dismissals", "reason", NULL },
  /* The audit log keeps a copy of the reason a finding was dismissed. */
  { "audit_log", "reason", "kind = 'override'" },
  { "outbox", "content", NULL },
  { "outbox", "pending_content", NULL },
};

WcCryptoKey *
_wc_store_get_data_key (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return self->data_key;
}

static gboolean
set_locked_error (GError **error)
{
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_LOCKED,
                       _("Your drafts are still locked: Whitecoat is waiting for their key from your keyring."));
  return FALSE;
}

gboolean
_wc_store_check_unlocked (WcStore  *self,
                          GError  **error)
{
  return self->data_key != NULL || set_locked_error (error);
}

char *
_wc_store_seal (WcStore     *self,
                const char  *plaintext,
                const char  *context,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *sealed;

  if (self->data_key == NULL)
    {
      set_locked_error (error);
      return NULL;
    }
  sealed = wc_crypto_seal (self->data_key, plaintext, context, &local_error);
  if (sealed == NULL)
    {
      g_debug ("Could not seal %s: %s", context, local_error->message);
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED, local_error->message);
    }
  return sealed;
}

char *
_wc_store_unseal (WcStore     *self,
                  const char  *stored,
                  const char  *context,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *plaintext;

  /* Written before encryption: sealed once the key is set. */
  if (stored == NULL || !wc_crypto_is_sealed (stored))
    return g_strdup (stored);
  if (self->data_key == NULL)
    {
      set_locked_error (error);
      return NULL;
    }
  plaintext = wc_crypto_unseal (self->data_key, stored, context, &local_error);
  if (plaintext == NULL)
    {
      g_debug ("Could not open a value of %s: %s", context, local_error->message);
      if (g_error_matches (local_error, WC_CRYPTO_ERROR, WC_CRYPTO_ERROR_WRONG_KEY))
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY,
                             _("A saved draft or scheduled post cannot be opened with the key in your keyring: it was locked with another key, or it was changed."));
      else
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT,
                             _("A saved draft or scheduled post is damaged and cannot be opened."));
    }
  return plaintext;
}

static gboolean
column_exists (WcStore    *self,
               const char *table,
               const char *column)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT 1 FROM pragma_table_info (?1) WHERE name = ?2", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* Whether @key opens the sealed values there are: a few of each column
 * are tried, and one that opens is enough (one changed value must not
 * lock the user out of everything else). */
static gboolean
key_opens_store (WcStore      *self,
                 WcCryptoKey  *key,
                 GError      **error)
{
  gboolean any_sealed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sealed_columns); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *context = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!column_exists (self, sealed_columns[i].table, sealed_columns[i].column))
        continue;
      sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s GLOB '" WC_CRYPTO_PREFIX "*' AND (%s) LIMIT 3",
                             sealed_columns[i].column, sealed_columns[i].table, sealed_columns[i].column,
                             sealed_columns[i].where != NULL ? sealed_columns[i].where : "1");
      context = g_strdup_printf ("%s.%s", sealed_columns[i].table, sealed_columns[i].column);
      stmt = prepare (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          char *plaintext = wc_crypto_unseal (key, (const char *) sqlite3_column_text (stmt, 0), context, NULL);

          any_sealed = TRUE;
          if (plaintext != NULL)
            {
              wc_crypto_free_secret (plaintext);
              return TRUE;
            }
        }
    }
  if (!any_sealed)
    return TRUE;

  g_debug ("Data key %s opens none of the sealed values", wc_crypto_key_get_id (key));
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_WRONG_KEY,
                       _("Your saved drafts and scheduled posts were locked with another key than the one in your keyring, so they cannot be opened."));
  return FALSE;
}

/* Seals every value of column @i of sealed_columns that is still
 * plaintext: read first, then written, so that no write moves under the
 * reading statement. */
static gboolean
seal_legacy_column (WcStore     *self,
                    guint        i,
                    guint       *n_sealed,
                    GError     **error)
{
  const char *table = sealed_columns[i].table;
  const char *column = sealed_columns[i].column;
  g_autofree char *select = g_strdup_printf ("SELECT rowid, %s FROM %s WHERE %s IS NOT NULL "
                                             "AND %s NOT GLOB '" WC_CRYPTO_PREFIX "*' AND (%s)",
                                             column, table, column, column,
                                             sealed_columns[i].where != NULL ? sealed_columns[i].where : "1");
  g_autofree char *update = g_strdup_printf ("UPDATE %s SET %s = ?1 WHERE rowid = ?2", table, column);
  g_autofree char *context = g_strdup_printf ("%s.%s", table, column);
  g_autoptr(sqlite3_stmt) rows = prepare (self, select, error);
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) sealed = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (rows == NULL || !(write = prepare (self, update, error)))
    return FALSE;
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (rows, 0);
      char *value = _wc_store_seal (self, (const char *) sqlite3_column_text (rows, 1), context, error);

      if (value == NULL)
        return FALSE;
      g_array_append_val (rowids, rowid);
      g_ptr_array_add (sealed, value);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "seal");

  for (guint j = 0; j < sealed->len; j++)
    {
      sqlite3_reset (write);
      sqlite3_bind_text (write, 1, g_ptr_array_index (sealed, j), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (write, 2, g_array_index (rowids, gint64, j));
      if (sqlite3_step (write) != SQLITE_DONE)
        return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "seal");
    }
  *n_sealed += sealed->len;
  return TRUE;
}

static gboolean
checkpoint (WcStore  *self,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA wal_checkpoint(TRUNCATE)", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "checkpoint");
  /* Another connection reading (`whitecoat check`): the log is emptied
   * by a later checkpoint. */
  if (sqlite3_column_int (stmt, 0) != 0)
    g_debug ("The checkpoint could not finish: the database is in use");
  return TRUE;
}

/* Plaintext from before lingers in freed pages and in the write-ahead log
 * until they are overwritten: secure_delete zeroes what is deleted from
 * now on, the checkpoint moves the log into the file and empties it, and
 * VACUUM writes the file anew without its free pages. */
static gboolean
scrub (WcStore  *self,
       GError  **error)
{
  return checkpoint (self, error)
         && exec_sql (self, "VACUUM", error)
         && checkpoint (self, error);
}

/* Seals what an older Whitecoat left in plaintext: the outbox's image
 * copies, then every column in one transaction; then the file is
 * scrubbed of the plaintext. */
static gboolean
seal_legacy (WcStore  *self,
             GError  **error)
{
  guint n_sealed = 0;
  int n_files;

  n_files = _wc_store_outbox_seal_images (self, error);
  if (n_files < 0)
    return FALSE;

  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sealed_columns); i++)
    if (column_exists (self, sealed_columns[i].table, sealed_columns[i].column)
        && !seal_legacy_column (self, i, &n_sealed, error))
      {
        rollback (self);
        return FALSE;
      }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  if (n_sealed == 0 && n_files == 0)
    return TRUE;
  g_debug ("Sealed %u values and %d images left in plaintext", n_sealed, n_files);
  return n_sealed == 0 || scrub (self, error);
}

/**
 * wc_store_set_data_key:
 * @key: the data key from the keyring, or a key of a test's own
 * @error: #WC_STORE_ERROR_WRONG_KEY when @key opens none of the sealed
 *   values; another error when what was in plaintext could not be sealed
 *
 * Gives the store its data key: from now on drafts and scheduled posts
 * can be read and written. What an older Whitecoat left in plaintext is
 * sealed and scrubbed from the file (secure_delete, a checkpoint that
 * empties the write-ahead log, VACUUM). When that fails the key is set all
 * the same, and the next call tries again.
 *
 * Returns: whether the key was set and nothing is left in plaintext
 */
gboolean
wc_store_set_data_key (WcStore      *self,
                       WcCryptoKey  *key,
                       GError      **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!check_open (self, error) || !key_opens_store (self, key, error))
    return FALSE;

  if (self->data_key != key)
    {
      wc_crypto_register_key (key);
      if (self->data_key != NULL)
        wc_crypto_unregister_key (self->data_key);
      g_clear_pointer (&self->data_key, wc_crypto_key_unref);
      self->data_key = wc_crypto_key_ref (key);
    }
  g_debug ("Data key %s set", wc_crypto_key_get_id (key));

  /* From now on what is deleted is zeroed, not only unlinked. */
  if (!exec_sql (self, "PRAGMA secure_delete = ON", error))
    return FALSE;
  return seal_legacy (self, error);
}

/**
 * wc_store_has_data_key:
 *
 * Returns: whether drafts and scheduled posts can be read and written
 */
gboolean
wc_store_has_data_key (WcStore *self)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  return self->data_key != NULL;
}

/* Drafts */

static gboolean
write_draft_rows (WcStore  *self,
                  WcDraft  *draft,
                  gint64    now,
                  GError  **error)
{
  const char *identity = wc_identity_kind_to_string (wc_draft_get_identity (draft));
  gboolean is_new = wc_draft_get_id (draft) < 0;
  GPtrArray *targets = wc_draft_get_targets (draft);
  GPtrArray *attachments = wc_draft_get_attachments (draft);
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) owner = NULL;
  g_autoptr(sqlite3_stmt) clear_targets = NULL;
  g_autoptr(sqlite3_stmt) clear_attachments = NULL;
  g_autoptr(sqlite3_stmt) add_target = NULL;
  g_autoptr(sqlite3_stmt) add_attachment = NULL;
  g_autofree char *text = NULL;
  g_autofree char *content_warning = NULL;
  gint64 id;

  text = _wc_store_seal (self, wc_draft_get_text (draft), "drafts.text", error);
  if (text == NULL)
    return FALSE;
  content_warning = _wc_store_seal (self, wc_draft_get_content_warning (draft), "drafts.content_warning", error);
  if (content_warning == NULL)
    return FALSE;

  if (is_new)
    row = prepare (self, "INSERT INTO drafts (identity, text, content_warning, created_at, updated_at, "
                         "reply_policy, language) VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?8)", error);
  else
    row = prepare (self, "UPDATE drafts SET identity = ?1, text = ?2, content_warning = ?3, "
                         "updated_at = ?5, reply_policy = ?7, language = ?8 WHERE id = ?6", error);
  if (row == NULL ||
      !(owner = prepare (self, "SELECT identity FROM accounts WHERE id = ?", error)) ||
      !(clear_targets = prepare (self, "DELETE FROM draft_targets WHERE draft_id = ?", error)) ||
      !(clear_attachments = prepare (self, "DELETE FROM draft_attachments WHERE draft_id = ?", error)) ||
      !(add_target = prepare (self, "INSERT INTO draft_targets (draft_id, account_id, visibility) "
                                    "VALUES (?, ?, ?)", error)) ||
      !(add_attachment = prepare (self, "INSERT INTO draft_attachments (draft_id, position, path, "
                                        "alt_text, clinical, consent_at, source) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;

  sqlite3_bind_text (row, 1, identity, -1, SQLITE_STATIC);
  sqlite3_bind_text (row, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (row, 3, content_warning, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (row, 4, wc_draft_get_created_at (draft));
  sqlite3_bind_int64 (row, 5, now);
  if (!is_new)
    sqlite3_bind_int64 (row, 6, wc_draft_get_id (draft));
  sqlite3_bind_text (row, 7, wc_reply_policy_to_string (wc_draft_get_reply_policy (draft)), -1, SQLITE_STATIC);
  sqlite3_bind_text (row, 8, wc_draft_get_language (draft), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (row) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save draft");
  if (!is_new && sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("The draft no longer exists."));
      return FALSE;
    }
  id = is_new ? sqlite3_last_insert_rowid (self->db) : wc_draft_get_id (draft);

  sqlite3_bind_int64 (clear_targets, 1, id);
  sqlite3_bind_int64 (clear_attachments, 1, id);
  if (sqlite3_step (clear_targets) != SQLITE_DONE || sqlite3_step (clear_attachments) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save draft");

  for (guint i = 0; i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);

      /* A draft never targets both identities. */
      sqlite3_reset (owner);
      sqlite3_bind_int64 (owner, 1, target->account_id);
      if (sqlite3_step (owner) != SQLITE_ROW)
        {
          g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                               _("One of the draft’s accounts no longer exists."));
          return FALSE;
        }
      if (g_strcmp0 ((const char *) sqlite3_column_text (owner, 0), identity) != 0)
        {
          g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK,
                               _("A draft can only go to accounts of the identity it is written as."));
          return FALSE;
        }

      sqlite3_reset (add_target);
      sqlite3_bind_int64 (add_target, 1, id);
      sqlite3_bind_int64 (add_target, 2, target->account_id);
      sqlite3_bind_text (add_target, 3, target->visibility, -1, SQLITE_STATIC);
      if (sqlite3_step (add_target) != SQLITE_DONE)
        return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save draft target");
    }

  for (guint i = 0; i < attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *alt_text = _wc_store_seal (self, attachment->alt_text, "draft_attachments.alt_text", error);
      g_autofree char *path = NULL;
      g_autofree char *source = NULL;

      if (alt_text == NULL
          || !(path = _wc_store_seal (self, attachment->path, "draft_attachments.path", error))
          || (attachment->source != NULL
              && !(source = _wc_store_seal (self, attachment->source, "draft_attachments.source", error))))
        return FALSE;
      sqlite3_reset (add_attachment);
      sqlite3_bind_int64 (add_attachment, 1, id);
      sqlite3_bind_int (add_attachment, 2, i);
      sqlite3_bind_text (add_attachment, 3, path, -1, SQLITE_STATIC);
      sqlite3_bind_text (add_attachment, 4, alt_text, -1, SQLITE_STATIC);
      sqlite3_bind_int (add_attachment, 5, attachment->clinical ? 1 : 0);
      sqlite3_bind_int64 (add_attachment, 6, attachment->consent_at);
      bind_text_or_null (add_attachment, 7, source);
      if (sqlite3_step (add_attachment) != SQLITE_DONE)
        return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save draft image");
    }

  if (is_new)
    wc_draft_set_id (draft, id);
  return TRUE;
}

/**
 * wc_store_save_draft:
 * @draft: a draft; a new one (id -1) gets its id
 *
 * Saves the draft with its targets and images in one transaction. Targets
 * must be accounts of the draft's identity (#WC_STORE_ERROR_CROSS_LINK).
 *
 * Returns: whether it was saved
 */
gboolean
wc_store_save_draft (WcStore  *self,
                     WcDraft  *draft,
                     GError  **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean was_new;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_DRAFT (draft), FALSE);

  if (!check_open (self, error) || !begin (self, error))
    return FALSE;

  was_new = wc_draft_get_id (draft) < 0;
  if (!write_draft_rows (self, draft, now, error))
    {
      rollback (self);
      if (was_new)
        wc_draft_set_id (draft, -1);
      return FALSE;
    }
  if (!commit (self, error))
    {
      rollback (self);
      if (was_new)
        wc_draft_set_id (draft, -1);
      return FALSE;
    }
  wc_draft_set_updated_at (draft, now);
  return TRUE;
}

static gboolean
load_draft_parts (WcStore  *self,
                  WcDraft  *draft,
                  GError  **error)
{
  g_autoptr(sqlite3_stmt) targets = NULL;
  g_autoptr(sqlite3_stmt) attachments = NULL;
  int rc;

  targets = prepare (self, "SELECT account_id, visibility FROM draft_targets WHERE draft_id = ? "
                           "ORDER BY rowid", error);
  attachments = prepare (self, "SELECT path, alt_text, clinical, consent_at, source FROM draft_attachments "
                               "WHERE draft_id = ? ORDER BY position", error);
  if (targets == NULL || attachments == NULL)
    return FALSE;

  sqlite3_bind_int64 (targets, 1, wc_draft_get_id (draft));
  while ((rc = sqlite3_step (targets)) == SQLITE_ROW)
    wc_draft_set_target (draft, sqlite3_column_int64 (targets, 0),
                         (const char *) sqlite3_column_text (targets, 1));
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load draft targets");

  sqlite3_bind_int64 (attachments, 1, wc_draft_get_id (draft));
  while ((rc = sqlite3_step (attachments)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      char *alt_text = _wc_store_unseal (self, (const char *) sqlite3_column_text (attachments, 1),
                                         "draft_attachments.alt_text", error);
      g_autofree char *path = NULL;
      char *source;
      WcAttachment *attachment;

      if (alt_text == NULL)
        return FALSE;
      path = _wc_store_unseal (self, (const char *) sqlite3_column_text (attachments, 0),
                               "draft_attachments.path", error);
      /* NULL is a value here: no source was said. */
      source = _wc_store_unseal (self, (const char *) sqlite3_column_text (attachments, 4),
                                 "draft_attachments.source", &local_error);
      if (path == NULL || local_error != NULL)
        {
          if (path != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          g_free (source);
          g_free (alt_text);
          return FALSE;
        }
      attachment = wc_draft_add_attachment (draft, path);
      g_free (attachment->alt_text);
      attachment->alt_text = alt_text;
      attachment->clinical = sqlite3_column_int (attachments, 2) != 0;
      attachment->consent_at = sqlite3_column_int64 (attachments, 3);
      attachment->source = source;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load draft images");
  return TRUE;
}

#define DRAFT_COLUMNS "id, identity, text, content_warning, created_at, updated_at, reply_policy, language"

static WcDraft *
draft_from_row (WcStore       *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  WcIdentityKind identity = WC_IDENTITY_PERSONAL;
  WcReplyPolicy reply_policy = WC_REPLY_POLICY_EVERYONE;
  g_autoptr(WcDraft) draft = NULL;
  char *text;
  char *content_warning;

  text = _wc_store_unseal (self, (const char *) sqlite3_column_text (stmt, 2), "drafts.text", error);
  if (text == NULL)
    return NULL;
  content_warning = _wc_store_unseal (self, (const char *) sqlite3_column_text (stmt, 3),
                                      "drafts.content_warning", error);
  if (content_warning == NULL)
    {
      wc_crypto_free_secret (text);
      return NULL;
    }

  wc_identity_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &identity);
  draft = wc_draft_new (identity);
  wc_draft_set_id (draft, sqlite3_column_int64 (stmt, 0));
  wc_draft_set_text (draft, text);
  wc_draft_set_content_warning (draft, content_warning);
  wc_crypto_free_secret (text);
  wc_crypto_free_secret (content_warning);
  wc_draft_set_created_at (draft, sqlite3_column_int64 (stmt, 4));
  wc_draft_set_updated_at (draft, sqlite3_column_int64 (stmt, 5));
  if (wc_reply_policy_from_string ((const char *) sqlite3_column_text (stmt, 6), &reply_policy))
    wc_draft_set_reply_policy (draft, reply_policy);
  wc_draft_set_language (draft, (const char *) sqlite3_column_text (stmt, 7));
  return g_steal_pointer (&draft);
}

/**
 * wc_store_load_draft:
 *
 * Returns: (transfer full): the draft with its targets and images, or %NULL
 *   with #WC_STORE_ERROR_NOT_FOUND
 */
WcDraft *
wc_store_load_draft (WcStore  *self,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(WcDraft) draft = NULL;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT " DRAFT_COLUMNS " FROM drafts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("The draft no longer exists."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load draft");
      return NULL;
    }
  draft = draft_from_row (self, stmt, error);
  if (draft == NULL || !load_draft_parts (self, draft, error))
    return NULL;
  return g_steal_pointer (&draft);
}

/**
 * wc_store_list_drafts:
 *
 * Returns: (transfer full) (element-type WcDraft): the drafts of @kind, the
 *   most recently changed first
 */
GPtrArray *
wc_store_list_drafts (WcStore         *self,
                      WcIdentityKind   kind,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT " DRAFT_COLUMNS " FROM drafts WHERE identity = ? "
                        "ORDER BY updated_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, wc_identity_kind_to_string (kind), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WcDraft *draft = draft_from_row (self, stmt, error);

      if (draft == NULL)
        return NULL;
      g_ptr_array_add (drafts, draft);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "list drafts");
      return NULL;
    }

  for (guint i = 0; i < drafts->len; i++)
    if (!load_draft_parts (self, g_ptr_array_index (drafts, i), error))
      return NULL;
  return g_steal_pointer (&drafts);
}

gboolean
wc_store_delete_draft (WcStore  *self,
                       gint64    id,
                       GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  return delete_by_id (self, "DELETE FROM drafts WHERE id = ?", id,
                       _("The draft no longer exists."), error);
}

/* Audit log */

void
wc_audit_entry_free (WcAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->summary);
  g_free (entry->reason);
  g_free (entry);
}

/**
 * wc_store_append_audit:
 * @entry: the entry; its id is ignored, and a zero time means now
 *
 * Returns: whether the entry was written
 */
gboolean
wc_store_append_audit (WcStore             *self,
                       const WcAuditEntry  *entry,
                       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sealed = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->kind != NULL && entry->summary != NULL, FALSE);
  if (!check_open (self, error))
    return FALSE;

  /* The reason a finding in a draft was dismissed is as private as the
   * draft (see sealed_columns). */
  if (entry->reason != NULL && g_str_equal (entry->kind, "override"))
    {
      sealed = _wc_store_seal (self, entry->reason, "audit_log.reason", error);
      if (sealed == NULL)
        return FALSE;
    }

  stmt = prepare (self, "INSERT INTO audit_log (at, identity, account_id, kind, summary, reason) "
                        "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->at ? entry->at : g_get_real_time () / G_USEC_PER_SEC);
  bind_text_or_null (stmt, 2, entry->has_identity ? wc_identity_kind_to_string (entry->identity) : NULL);
  if (entry->account_id >= 0)
    sqlite3_bind_int64 (stmt, 3, entry->account_id);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, entry->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->summary, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 6, sealed != NULL ? sealed : entry->reason);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "append audit");
  return TRUE;
}

/**
 * wc_store_list_audit:
 *
 * Returns: (transfer full) (element-type WcAuditEntry): the audit log,
 *   oldest first
 */
GPtrArray *
wc_store_list_audit (WcStore  *self,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_audit_entry_free);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT id, at, identity, account_id, kind, summary, reason FROM audit_log "
                        "ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WcAuditEntry *entry = g_new0 (WcAuditEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = sqlite3_column_int64 (stmt, 1);
      entry->has_identity = wc_identity_kind_from_string ((const char *) sqlite3_column_text (stmt, 2),
                                                          &entry->identity);
      entry->account_id = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 3);
      entry->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->reason = _wc_store_unseal (self, (const char *) sqlite3_column_text (stmt, 6), "audit_log.reason", NULL);
      /* The rest of the log stays readable without the key. */
      if (entry->reason == NULL && sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        entry->reason = g_strdup (self->data_key == NULL
                                  ? _("(locked until Whitecoat has the key from your keyring)")
                                  : _("(cannot be opened with the key in your keyring)"));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "list audit");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* Dismissed findings */

void
wc_dismissal_free (WcDismissal *dismissal)
{
  if (dismissal == NULL)
    return;
  g_free (dismissal->check_id);
  g_free (dismissal->reason);
  g_free (dismissal);
}

/**
 * wc_store_add_dismissal:
 * @draft_id: a stored draft
 * @check_id: the check whose finding the user dismissed
 * @attachment: the image it was about, or -1 for the text
 * @reason: why, in the user's words
 *
 * Returns: whether it was stored
 */
gboolean
wc_store_add_dismissal (WcStore     *self,
                        gint64       draft_id,
                        const char  *check_id,
                        int          attachment,
                        const char  *reason,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sealed = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (check_id != NULL && reason != NULL, FALSE);
  if (!check_open (self, error))
    return FALSE;

  sealed = _wc_store_seal (self, reason, "draft_dismissals.reason", error);
  if (sealed == NULL)
    return FALSE;

  stmt = prepare (self, "INSERT INTO draft_dismissals (draft_id, check_id, attachment, reason, at) "
                        "VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (draft_id, check_id, attachment) DO UPDATE SET reason = excluded.reason, "
                        "at = excluded.at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  sqlite3_bind_text (stmt, 2, check_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, attachment);
  sqlite3_bind_text (stmt, 4, sealed, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "add dismissal");
  return TRUE;
}

/**
 * wc_store_list_dismissals:
 *
 * Returns: (transfer full) (element-type WcDismissal): the findings dismissed
 *   in the draft
 */
GPtrArray *
wc_store_list_dismissals (WcStore  *self,
                          gint64    draft_id,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_dismissal_free);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT check_id, attachment, reason, at FROM draft_dismissals "
                        "WHERE draft_id = ? ORDER BY at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, draft_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *reason = _wc_store_unseal (self, (const char *) sqlite3_column_text (stmt, 2),
                                       "draft_dismissals.reason", error);
      WcDismissal *dismissal;

      if (reason == NULL)
        return NULL;
      dismissal = g_new0 (WcDismissal, 1);
      dismissal->check_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      dismissal->attachment = sqlite3_column_int (stmt, 1);
      dismissal->reason = reason;
      dismissal->at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (list, dismissal);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "list dismissals");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Person tags */

static gboolean
check_hash (const char  *hash,
            GError     **error)
{
  if (wc_hash_is_valid (hash))
    return TRUE;
  /* Never repeat what was passed: it might be a plain name. */
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                       _("Whitecoat refused to store a person in a form that is not protected."));
  return FALSE;
}

/**
 * wc_store_set_person_tag:
 * @hash: the keyed hash of the person's normalised handle
 *
 * Tags the person, replacing an earlier tag.
 *
 * Returns: whether it was stored
 */
gboolean
wc_store_set_person_tag (WcStore      *self,
                         const char   *hash,
                         WcPersonTag   tag,
                         GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) tag < WC_PERSON_N_TAGS, FALSE);
  if (!check_open (self, error) || !check_hash (hash, error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO person_tags (hash, tag, created_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (hash) DO UPDATE SET tag = excluded.tag", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, wc_person_tag_to_string (tag), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "set person tag");
  return TRUE;
}

/**
 * wc_store_remove_person_tag:
 *
 * Removes the tag of the person; removing a tag that is not there is not an
 * error.
 */
gboolean
wc_store_remove_person_tag (WcStore     *self,
                            const char  *hash,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (!check_open (self, error) || !check_hash (hash, error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM person_tags WHERE hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "remove person tag");
  return TRUE;
}

/**
 * wc_store_load_person_tags:
 *
 * Returns: (transfer full) (element-type utf8 gint): every tag, from hash
 *   to GINT_TO_POINTER (WcPersonTag); read it with
 *   g_hash_table_lookup_extended(), since a patient is 0
 */
GHashTable *
wc_store_load_person_tags (WcStore  *self,
                           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT hash, tag FROM person_tags", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WcPersonTag tag;

      if (!wc_person_tag_from_string ((const char *) sqlite3_column_text (stmt, 1), &tag))
        continue;  /* a tag this version does not know */
      g_hash_table_insert (tags, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           GINT_TO_POINTER (tag));
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load person tags");
      return NULL;
    }
  return g_steal_pointer (&tags);
}

/* The patient roster */

static gboolean
write_roster_hashes (WcStore            *self,
                     const char         *sql,
                     const WcRosterHash *hashes,
                     guint               n_hashes,
                     GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_hashes; i++)
    {
      if (!check_hash (hashes[i].hash, error))
        return FALSE;
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, hashes[i].hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, wc_roster_kind_to_string (hashes[i].kind), -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "write roster");
    }
  return TRUE;
}

/**
 * wc_store_add_roster_hashes:
 * @hashes: (array length=n_hashes): the hashes of the entries' variants
 *
 * Adds every hash, in one transaction: all or nothing. A hash added twice
 * (two patients named "J. de Vries") is counted, so that removing one entry
 * keeps the other.
 *
 * Returns: whether everything was stored
 */
gboolean
wc_store_add_roster_hashes (WcStore             *self,
                            const WcRosterHash  *hashes,
                            guint                n_hashes,
                            GError             **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (hashes != NULL || n_hashes == 0, FALSE);
  if (!check_open (self, error) || !begin (self, error))
    return FALSE;
  if (!write_roster_hashes (self, "INSERT INTO roster (hash, kind) VALUES (?, ?) "
                                  "ON CONFLICT (hash, kind) DO UPDATE SET refs = refs + 1",
                            hashes, n_hashes, error)
      || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_store_remove_roster_hashes:
 * @hashes: (array length=n_hashes): the hashes of one entry's variants
 *
 * Removes one entry's hashes in one transaction; hashes another entry also
 * has stay.
 */
gboolean
wc_store_remove_roster_hashes (WcStore             *self,
                               const WcRosterHash  *hashes,
                               guint                n_hashes,
                               GError             **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (hashes != NULL || n_hashes == 0, FALSE);
  if (!check_open (self, error) || !begin (self, error))
    return FALSE;
  if (!write_roster_hashes (self, "UPDATE roster SET refs = refs - 1 WHERE hash = ?1 AND kind = ?2",
                            hashes, n_hashes, error)
      || !exec_sql (self, "DELETE FROM roster WHERE refs <= 0", error)
      || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_store_forget_roster:
 *
 * Removes the whole roster.
 */
gboolean
wc_store_forget_roster (WcStore  *self,
                        GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  return exec_sql (self, "DELETE FROM roster", error);
}

/**
 * wc_store_roster_contains:
 *
 * Returns: whether @hash is on the roster as @kind (%FALSE on errors)
 */
gboolean
wc_store_roster_contains (WcStore      *self,
                          WcRosterKind  kind,
                          const char   *hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (self->db == NULL || !wc_hash_is_valid (hash))
    return FALSE;

  stmt = prepare (self, "SELECT 1 FROM roster WHERE hash = ? AND kind = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, wc_roster_kind_to_string (kind), -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * wc_store_list_roster_hashes:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of hashes of
 *   @kind (keys and values are the same strings), for matching without a
 *   query per word
 */
GHashTable *
wc_store_list_roster_hashes (WcStore       *self,
                             WcRosterKind   kind,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self, "SELECT hash FROM roster WHERE kind = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, wc_roster_kind_to_string (kind), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "list roster");
      return NULL;
    }
  return g_steal_pointer (&set);
}

/**
 * wc_store_count_roster_hashes:
 *
 * Returns: how many hashes of @kind the roster holds (not entries: a name
 *   has several variants)
 */
guint
wc_store_count_roster_hashes (WcStore      *self,
                              WcRosterKind  kind)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), 0);
  if (self->db == NULL)
    return 0;
  stmt = prepare (self, "SELECT count (*) FROM roster WHERE kind = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, wc_roster_kind_to_string (kind), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

/* Account states and follower snapshots */

static void
bind_tristate (sqlite3_stmt *stmt,
               int           index,
               WcTristate    value)
{
  if (value == WC_TRISTATE_UNKNOWN)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int (stmt, index, value == WC_TRISTATE_YES);
}

static WcTristate
column_tristate (sqlite3_stmt *stmt,
                 int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return WC_TRISTATE_UNKNOWN;
  return sqlite3_column_int (stmt, column) ? WC_TRISTATE_YES : WC_TRISTATE_NO;
}

static void
bind_count (sqlite3_stmt *stmt,
            int           index,
            gint64        count)
{
  if (count < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, count);
}

static gint64
column_count (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;
  return sqlite3_column_int64 (stmt, column);
}

static gboolean
check_account_exists (WcStore  *self,
                      gint64    account_id,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT 1 FROM accounts WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return TRUE;
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                       _("The account no longer exists."));
  return FALSE;
}

/**
 * wc_store_save_account_state:
 * @state: the state of a stored account; a zero @taken_at means now
 *
 * Replaces the account's earlier state.
 */
gboolean
wc_store_save_account_state (WcStore               *self,
                             const WcAccountState  *state,
                             GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);
  if (!check_open (self, error) || !check_account_exists (self, state->account_id, error))
    return FALSE;

  stmt = prepare (self,
                  "INSERT INTO account_states (account_id, taken_at, locked, discoverable, indexable, "
                  "  noindex, hide_collections, bot, default_visibility, followers_count, "
                  "  following_count, logged_out_restricted, declared_settings) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                  "ON CONFLICT (account_id) DO UPDATE SET taken_at = ?2, locked = ?3, "
                  "  discoverable = ?4, indexable = ?5, noindex = ?6, hide_collections = ?7, "
                  "  bot = ?8, default_visibility = ?9, followers_count = ?10, "
                  "  following_count = ?11, logged_out_restricted = ?12, declared_settings = ?13",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, state->account_id);
  sqlite3_bind_int64 (stmt, 2, state->taken_at ? state->taken_at : g_get_real_time () / G_USEC_PER_SEC);
  bind_tristate (stmt, 3, state->locked);
  bind_tristate (stmt, 4, state->discoverable);
  bind_tristate (stmt, 5, state->indexable);
  bind_tristate (stmt, 6, state->noindex);
  bind_tristate (stmt, 7, state->hide_collections);
  bind_tristate (stmt, 8, state->bot);
  bind_text_or_null (stmt, 9, state->default_visibility);
  bind_count (stmt, 10, state->followers_count);
  bind_count (stmt, 11, state->following_count);
  bind_tristate (stmt, 12, state->logged_out_restricted);
  bind_text_or_null (stmt, 13, state->declared_settings);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save account state");
  return TRUE;
}

/**
 * wc_store_load_account_state:
 * @error: #WC_STORE_ERROR_NOT_FOUND when the account's state was never read
 *
 * Returns: (transfer full): the last state saved for the account, or %NULL
 */
WcAccountState *
wc_store_load_account_state (WcStore  *self,
                             gint64    account_id,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(WcAccountState) state = NULL;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = prepare (self,
                  "SELECT taken_at, locked, discoverable, indexable, noindex, hide_collections, bot, "
                  "  default_visibility, followers_count, following_count, logged_out_restricted, "
                  "  declared_settings "
                  "FROM account_states WHERE account_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("Whitecoat has not read this account’s settings yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load account state");
      return NULL;
    }

  state = wc_account_state_new (account_id);
  state->taken_at = sqlite3_column_int64 (stmt, 0);
  state->locked = column_tristate (stmt, 1);
  state->discoverable = column_tristate (stmt, 2);
  state->indexable = column_tristate (stmt, 3);
  state->noindex = column_tristate (stmt, 4);
  state->hide_collections = column_tristate (stmt, 5);
  state->bot = column_tristate (stmt, 6);
  state->default_visibility = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  state->followers_count = column_count (stmt, 8);
  state->following_count = column_count (stmt, 9);
  state->logged_out_restricted = column_tristate (stmt, 10);
  state->declared_settings = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  return g_steal_pointer (&state);
}

static gboolean
write_snapshot_rows (WcStore            *self,
                     WcFollowerSnapshot *snapshot,
                     gint64             *id,
                     GError            **error)
{
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;
  const WcFollower *followers;
  guint n;

  head = prepare (self, "INSERT INTO follower_snapshots (account_id, taken_at, complete, "
                        "followers_count, hidden) VALUES (?, ?, ?, ?, ?)", error);
  if (head == NULL)
    return FALSE;
  sqlite3_bind_int64 (head, 1, wc_follower_snapshot_get_account_id (snapshot));
  sqlite3_bind_int64 (head, 2, wc_follower_snapshot_get_taken_at (snapshot));
  sqlite3_bind_int (head, 3, wc_follower_snapshot_get_complete (snapshot));
  bind_count (head, 4, wc_follower_snapshot_get_followers_count (snapshot));
  sqlite3_bind_int (head, 5, wc_follower_snapshot_get_hidden (snapshot));
  if (sqlite3_step (head) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save snapshot");
  *id = sqlite3_last_insert_rowid (self->db);

  row = prepare (self, "INSERT INTO snapshot_followers (snapshot_id, account_ref, display_name, hash) "
                       "VALUES (?, ?, ?, ?)", error);
  if (row == NULL)
    return FALSE;
  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  for (guint i = 0; i < n; i++)
    {
      if (followers[i].hash != NULL && !check_hash (followers[i].hash, error))
        return FALSE;
      sqlite3_reset (row);
      sqlite3_bind_int64 (row, 1, *id);
      sqlite3_bind_text (row, 2, followers[i].ref, -1, SQLITE_STATIC);
      bind_text_or_null (row, 3, followers[i].display_name);
      if (followers[i].hash != NULL)
        sqlite3_bind_text (row, 4, followers[i].hash, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (row, 4);
      if (sqlite3_step (row) != SQLITE_DONE)
        return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "save follower");
    }

  /* Only the newest snapshot is kept: the audience needs no history. */
  prune = prepare (self, "DELETE FROM follower_snapshots WHERE account_id = ? AND id != ?", error);
  if (prune == NULL)
    return FALSE;
  sqlite3_bind_int64 (prune, 1, wc_follower_snapshot_get_account_id (snapshot));
  sqlite3_bind_int64 (prune, 2, *id);
  if (sqlite3_step (prune) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "prune snapshots");
  return TRUE;
}

/**
 * wc_store_save_follower_snapshot:
 * @snapshot: the followers of a stored account; its hashes must already be
 *   computed (wc_follower_snapshot_add_hashed())
 *
 * Stores the snapshot in one transaction, replacing the account's earlier
 * one, and sets its id. Slow for large lists: call it from a thread
 * (g_task_run_in_thread()).
 */
gboolean
wc_store_save_follower_snapshot (WcStore             *self,
                                 WcFollowerSnapshot  *snapshot,
                                 GError             **error)
{
  gint64 id = -1;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);
  if (!check_open (self, error)
      || !check_account_exists (self, wc_follower_snapshot_get_account_id (snapshot), error)
      || !begin (self, error))
    return FALSE;

  if (!write_snapshot_rows (self, snapshot, &id, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  wc_follower_snapshot_set_id (snapshot, id);
  return TRUE;
}

/**
 * wc_store_load_follower_snapshot:
 * @error: #WC_STORE_ERROR_NOT_FOUND when the followers were never read
 *
 * Loads the newest snapshot of the account with one query.
 *
 * Returns: (transfer full): the snapshot, or %NULL
 */
WcFollowerSnapshot *
wc_store_load_follower_snapshot (WcStore  *self,
                                 gint64    account_id,
                                 GError  **error)
{
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  gint64 id;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_open (self, error))
    return NULL;

  head = prepare (self, "SELECT id, taken_at, complete, followers_count, hidden, "
                        "  (SELECT count (*) FROM snapshot_followers WHERE snapshot_id = follower_snapshots.id) "
                        "FROM follower_snapshots WHERE account_id = ? "
                        "ORDER BY taken_at DESC, id DESC LIMIT 1", error);
  if (head == NULL)
    return NULL;
  sqlite3_bind_int64 (head, 1, account_id);
  rc = sqlite3_step (head);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("Whitecoat has not read this account’s followers yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load snapshot");
      return NULL;
    }

  id = sqlite3_column_int64 (head, 0);
  snapshot = wc_follower_snapshot_new (account_id, sqlite3_column_int64 (head, 1));
  wc_follower_snapshot_set_id (snapshot, id);
  wc_follower_snapshot_set_complete (snapshot, sqlite3_column_int (head, 2));
  wc_follower_snapshot_set_followers_count (snapshot, column_count (head, 3));
  wc_follower_snapshot_set_hidden (snapshot, sqlite3_column_int (head, 4));
  wc_follower_snapshot_reserve (snapshot, sqlite3_column_int (head, 5));

  rows = prepare (self, "SELECT account_ref, display_name, hash FROM snapshot_followers "
                        "WHERE snapshot_id = ? ORDER BY rowid", error);
  if (rows == NULL)
    return NULL;
  sqlite3_bind_int64 (rows, 1, id);
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    wc_follower_snapshot_add (snapshot,
                              (const char *) sqlite3_column_text (rows, 0),
                              (const char *) sqlite3_column_text (rows, 1),
                              (const char *) sqlite3_column_text (rows, 2));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, WC_STORE_ERROR_FAILED, "load followers");
      return NULL;
    }
  return g_steal_pointer (&snapshot);
}
