/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wc-store-connect.h"
#include "wc-store-private.h"

void
wc_server_app_free (WcServerApp *app)
{
  if (app == NULL)
    return;
  g_free (app->network);
  g_free (app->server);
  g_free (app->client_id);
  g_free (app->redirect_uris);
  g_free (app->scopes);
  g_free (app);
}

static gboolean
check_open (WcStore  *self,
            GError  **error)
{
  if (_wc_store_get_db (self) == NULL)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                           _("Whitecoat’s database is closed."));
      return FALSE;
    }
  return TRUE;
}

/* --- Limits per server -------------------------------------------------- */

void
wc_server_config_free (WcServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->network);
  g_free (config->server);
  g_free (config);
}

/**
 * wc_store_save_server_config:
 * @server: the server as accounts store it (wc_account_get_server())
 * @limits: what the server said; 0 for what it did not say
 *
 * Remembers a server's limits (replacing what was read before), with the
 * time they were read.
 */
gboolean
wc_store_save_server_config (WcStore               *self,
                             const char            *network,
                             const char            *server,
                             const WcServerLimits  *limits,
                             GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (network != NULL && server != NULL && limits != NULL, FALSE);
  if (!check_open (self, error))
    return FALSE;

  stmt = _wc_store_prepare (self,
                            "INSERT OR REPLACE INTO server_configs (network, server, max_characters, "
                            "chars_per_url, max_media, description_limit, fetched_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, network, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, server, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limits->max_characters);
  sqlite3_bind_int64 (stmt, 4, limits->chars_per_url);
  sqlite3_bind_int64 (stmt, 5, limits->max_media);
  sqlite3_bind_int64 (stmt, 6, limits->description_limit);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "save server config", error);
  return TRUE;
}

static void
read_limits (sqlite3_stmt   *stmt,
             int             first,
             WcServerLimits *limits)
{
  limits->max_characters = (guint) MAX (sqlite3_column_int64 (stmt, first), 0);
  limits->chars_per_url = (guint) MAX (sqlite3_column_int64 (stmt, first + 1), 0);
  limits->max_media = (guint) MAX (sqlite3_column_int64 (stmt, first + 2), 0);
  limits->description_limit = (guint) MAX (sqlite3_column_int64 (stmt, first + 3), 0);
}

/**
 * wc_store_load_server_config:
 * @error: #WC_STORE_ERROR_NOT_FOUND when the server's limits were never read
 *
 * Returns: (transfer full) (nullable): the server's limits as last read
 */
WcServerConfig *
wc_store_load_server_config (WcStore     *self,
                             const char  *network,
                             const char  *server,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcServerConfig *config;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  g_return_val_if_fail (network != NULL && server != NULL, NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = _wc_store_prepare (self,
                            "SELECT max_characters, chars_per_url, max_media, description_limit, fetched_at "
                            "FROM server_configs WHERE network = ? AND server = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, network, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, server, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("Whitecoat has not read this server’s limits yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "load server config", error);
      return NULL;
    }

  config = g_new0 (WcServerConfig, 1);
  config->network = g_strdup (network);
  config->server = g_strdup (server);
  read_limits (stmt, 0, &config->limits);
  config->fetched_at = sqlite3_column_int64 (stmt, 4);
  return config;
}

/**
 * wc_store_load_account_server_limits:
 * @limits: (out): the limits of the account's server, all 0 when unknown
 *
 * The limits of the server an account is on, in one cheap query (for the
 * checks, once per change of targets).
 *
 * Returns: whether they were ever read
 */
gboolean
wc_store_load_account_server_limits (WcStore        *self,
                                     gint64          account_id,
                                     WcServerLimits *limits)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  memset (limits, 0, sizeof *limits);
  if (_wc_store_get_db (self) == NULL)
    return FALSE;
  stmt = _wc_store_prepare (self,
                            "SELECT c.max_characters, c.chars_per_url, c.max_media, c.description_limit "
                            "FROM accounts a JOIN server_configs c "
                            "ON c.network = a.network AND c.server = a.server WHERE a.id = ?", &error);
  if (stmt == NULL)
    {
      g_debug ("Cannot read a server's limits: %s", error->message);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  read_limits (stmt, 0, limits);
  return TRUE;
}

/* --- Registrations per server ------------------------------------------- */

/**
 * wc_store_save_server_app:
 * @app: the registration; created_at 0 means now
 *
 * Remembers Whitecoat's registration on a server (replacing an earlier
 * one), so that it registers only once per server. The client secret is
 * the caller's to keep in the keyring (wc_keyring_store_server_async()).
 */
gboolean
wc_store_save_server_app (WcStore            *self,
                          const WcServerApp  *app,
                          GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (app != NULL && app->network != NULL && app->server != NULL
                        && app->client_id != NULL, FALSE);
  if (!check_open (self, error))
    return FALSE;

  stmt = _wc_store_prepare (self,
                            "INSERT OR REPLACE INTO server_apps (network, server, client_id, "
                            "redirect_uris, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, app->network, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, app->server, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, app->client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, app->redirect_uris != NULL ? app->redirect_uris : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, app->scopes != NULL ? app->scopes : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, app->created_at > 0 ? app->created_at
                                                   : g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "save server app", error);
  return TRUE;
}

/**
 * wc_store_load_server_app:
 * @error: #WC_STORE_ERROR_NOT_FOUND when Whitecoat never registered there
 *
 * Returns: (transfer full) (nullable): the registration
 */
WcServerApp *
wc_store_load_server_app (WcStore     *self,
                          const char  *network,
                          const char  *server,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcServerApp *app;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  g_return_val_if_fail (network != NULL && server != NULL, NULL);
  if (!check_open (self, error))
    return NULL;

  stmt = _wc_store_prepare (self,
                            "SELECT client_id, redirect_uris, scopes, created_at FROM server_apps "
                            "WHERE network = ? AND server = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, network, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, server, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("Whitecoat has not registered on this server yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "load server app", error);
      return NULL;
    }

  app = g_new0 (WcServerApp, 1);
  app->network = g_strdup (network);
  app->server = g_strdup (server);
  app->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  app->redirect_uris = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  app->scopes = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  app->created_at = sqlite3_column_int64 (stmt, 3);
  return app;
}

gboolean
wc_store_forget_server_app (WcStore     *self,
                            const char  *network,
                            const char  *server,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (!check_open (self, error))
    return FALSE;

  stmt = _wc_store_prepare (self, "DELETE FROM server_apps WHERE network = ? AND server = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, network, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, server, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "forget server app", error);
  return TRUE;
}

/* --- Unfinished follower fetches ---------------------------------------- */

/* The row of the account's unfinished fetch, or -1; its follower rows are
 * counted into @n_rows. */
static gint64
find_progress (WcStore  *self,
               gint64    account_id,
               guint    *n_rows,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _wc_store_prepare (self,
                            "SELECT id, (SELECT count (*) FROM snapshot_followers "
                            "            WHERE snapshot_id = follower_snapshots.id) "
                            "FROM follower_snapshots WHERE account_id = ? AND next_cursor IS NOT NULL "
                            "ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return -2;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return -1;
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "find follower progress", error);
      return -2;
    }
  if (n_rows != NULL)
    *n_rows = sqlite3_column_int (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
delete_progress (WcStore  *self,
                 gint64    account_id,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _wc_store_prepare (self, "DELETE FROM follower_snapshots "
                                  "WHERE account_id = ? AND next_cursor IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "drop follower progress", error);
  return TRUE;
}

static gboolean
has_finished_snapshot (WcStore *self,
                       gint64   account_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _wc_store_prepare (self, "SELECT 1 FROM follower_snapshots "
                                  "WHERE account_id = ? AND next_cursor IS NULL LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
write_progress (WcStore             *self,
                WcFollowerSnapshot  *snapshot,
                const char          *next_cursor,
                GError             **error)
{
  gint64 account_id = wc_follower_snapshot_get_account_id (snapshot);
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) row = NULL;
  const WcFollower *followers;
  guint n = 0, saved = 0;
  gint64 id;

  id = find_progress (self, account_id, &saved, error);
  if (id == -2)
    return FALSE;

  /* The same fetch as last time: only the new pages are written, so that
   * checkpoints of a long list stay cheap. Anything else starts over. */
  followers = wc_follower_snapshot_get_followers (snapshot, &n);
  if (id < 0 || id != wc_follower_snapshot_get_id (snapshot) || saved > n)
    {
      if (!delete_progress (self, account_id, error))
        return FALSE;
      /* While a finished list exists the audience keeps reading it: the
       * unfinished one sorts below it (taken_at 0) until it is finished. */
      head = _wc_store_prepare (self,
                                "INSERT INTO follower_snapshots (account_id, taken_at, complete, "
                                "followers_count, hidden, next_cursor) VALUES (?, ?, 0, ?, 0, ?)", error);
      if (head == NULL)
        return FALSE;
      sqlite3_bind_int64 (head, 1, account_id);
      sqlite3_bind_int64 (head, 2, has_finished_snapshot (self, account_id)
                                   ? 0 : wc_follower_snapshot_get_taken_at (snapshot));
      if (wc_follower_snapshot_get_followers_count (snapshot) >= 0)
        sqlite3_bind_int64 (head, 3, wc_follower_snapshot_get_followers_count (snapshot));
      else
        sqlite3_bind_null (head, 3);
      sqlite3_bind_text (head, 4, next_cursor, -1, SQLITE_STATIC);
      if (sqlite3_step (head) != SQLITE_DONE)
        return _wc_store_set_error (self, "save follower progress", error);
      id = sqlite3_last_insert_rowid (_wc_store_get_db (self));
      saved = 0;
    }
  else
    {
      head = _wc_store_prepare (self, "UPDATE follower_snapshots SET next_cursor = ?, followers_count = ? "
                                      "WHERE id = ?", error);
      if (head == NULL)
        return FALSE;
      sqlite3_bind_text (head, 1, next_cursor, -1, SQLITE_STATIC);
      if (wc_follower_snapshot_get_followers_count (snapshot) >= 0)
        sqlite3_bind_int64 (head, 2, wc_follower_snapshot_get_followers_count (snapshot));
      else
        sqlite3_bind_null (head, 2);
      sqlite3_bind_int64 (head, 3, id);
      if (sqlite3_step (head) != SQLITE_DONE)
        return _wc_store_set_error (self, "save follower progress", error);
    }

  row = _wc_store_prepare (self, "INSERT INTO snapshot_followers (snapshot_id, account_ref, "
                                 "display_name, hash) VALUES (?, ?, ?, ?)", error);
  if (row == NULL)
    return FALSE;
  for (guint i = saved; i < n; i++)
    {
      sqlite3_reset (row);
      sqlite3_bind_int64 (row, 1, id);
      sqlite3_bind_text (row, 2, followers[i].ref, -1, SQLITE_STATIC);
      _wc_store_bind_text_or_null (row, 3, followers[i].display_name);
      if (followers[i].hash != NULL && strlen (followers[i].hash) == 64)
        sqlite3_bind_text (row, 4, followers[i].hash, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (row, 4);
      if (sqlite3_step (row) != SQLITE_DONE)
        return _wc_store_set_error (self, "save follower", error);
    }

  wc_follower_snapshot_set_id (snapshot, id);
  return TRUE;
}

/**
 * wc_store_save_follower_progress:
 * @snapshot: the followers read so far of a stored account
 * @next_cursor: where the fetch goes on
 *
 * Keeps an unfinished fetch so that it resumes after a restart. Calling it
 * again for the same @snapshot writes only the followers added since.
 */
gboolean
wc_store_save_follower_progress (WcStore             *self,
                                 WcFollowerSnapshot  *snapshot,
                                 const char          *next_cursor,
                                 GError             **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (next_cursor != NULL, FALSE);
  if (!check_open (self, error) || !_wc_store_begin (self, error))
    return FALSE;
  if (!write_progress (self, snapshot, next_cursor, error) || !_wc_store_commit (self, error))
    {
      _wc_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * wc_store_load_follower_progress:
 * @next_cursor: (out): where to go on
 * @error: #WC_STORE_ERROR_NOT_FOUND when no fetch is unfinished
 *
 * Returns: (transfer full) (nullable): the followers read so far, to pass
 *   with @next_cursor to the network's follower fetch
 */
WcFollowerSnapshot *
wc_store_load_follower_progress (WcStore  *self,
                                 gint64    account_id,
                                 char    **next_cursor,
                                 GError  **error)
{
  g_autoptr(sqlite3_stmt) head = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  gint64 id, taken_at;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  g_return_val_if_fail (next_cursor != NULL, NULL);
  if (!check_open (self, error))
    return NULL;

  head = _wc_store_prepare (self,
                            "SELECT id, taken_at, followers_count, next_cursor FROM follower_snapshots "
                            "WHERE account_id = ? AND next_cursor IS NOT NULL ORDER BY id DESC LIMIT 1", error);
  if (head == NULL)
    return NULL;
  sqlite3_bind_int64 (head, 1, account_id);
  rc = sqlite3_step (head);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("No reading of followers was interrupted."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "load follower progress", error);
      return NULL;
    }

  id = sqlite3_column_int64 (head, 0);
  taken_at = sqlite3_column_int64 (head, 1);
  snapshot = wc_follower_snapshot_new (account_id, taken_at > 0 ? taken_at
                                                               : g_get_real_time () / G_USEC_PER_SEC);
  wc_follower_snapshot_set_id (snapshot, id);
  wc_follower_snapshot_set_complete (snapshot, FALSE);
  if (sqlite3_column_type (head, 2) != SQLITE_NULL)
    wc_follower_snapshot_set_followers_count (snapshot, sqlite3_column_int64 (head, 2));

  rows = _wc_store_prepare (self, "SELECT account_ref, display_name, hash FROM snapshot_followers "
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
      _wc_store_set_error (self, "load follower progress", error);
      return NULL;
    }

  *next_cursor = g_strdup ((const char *) sqlite3_column_text (head, 3));
  return g_steal_pointer (&snapshot);
}

gboolean
wc_store_drop_follower_progress (WcStore  *self,
                                 gint64    account_id,
                                 GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  return delete_progress (self, account_id, error);
}

gint64
wc_store_get_followers_taken_at (WcStore *self,
                                 gint64   account_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), 0);
  if (_wc_store_get_db (self) == NULL)
    return 0;
  stmt = _wc_store_prepare (self, "SELECT max (taken_at) FROM follower_snapshots "
                                  "WHERE account_id = ? AND next_cursor IS NULL", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}
