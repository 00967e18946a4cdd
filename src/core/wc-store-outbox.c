/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "wc-image-strip.h"
#include "wc-outbox-private.h"
#include "wc-store-outbox.h"
#include "wc-store-private.h"

#define COLUMNS "id, draft_id, account_id, identity, state, due_at, content, idempotency_key, " \
                "attempts, next_attempt_at, remote_id, remote_url, reason, created_at, updated_at, sent_at, " \
                "pending_content, media_ids"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The post as scheduled is sealed (see wc_store_set_data_key()). */
static WcOutboxContent *
content_from_column (WcStore       *self,
                     sqlite3_stmt  *stmt,
                     int            column,
                     const char    *context,
                     GError       **error)
{
  char *json = _wc_store_unseal (self, column_text (stmt, column), context, error);
  WcOutboxContent *content;

  if (json == NULL)
    return NULL;
  content = wc_outbox_content_new_from_json (json, error);
  wc_crypto_free_secret (json);
  return content;
}

static char *
content_to_sealed_json (WcStore                *self,
                        const WcOutboxContent  *content,
                        const char             *context,
                        GError                **error)
{
  char *json = wc_outbox_content_to_json (content);
  char *sealed = _wc_store_seal (self, json, context, error);

  wc_crypto_free_secret (json);
  return sealed;
}

static WcOutboxEntry *
entry_from_row (WcStore       *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(WcOutboxContent) content = NULL;
  g_autoptr(WcOutboxEntry) entry = NULL;
  WcIdentityKind identity;
  WcOutboxState state;

  content = content_from_column (self, stmt, 6, "outbox.content", error);
  if (content == NULL)
    return NULL;
  if (!wc_identity_kind_from_string (column_text (stmt, 3), &identity)
      || !wc_outbox_state_from_string (column_text (stmt, 4), &state))
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT,
                           _("A scheduled post in the database is damaged and cannot be read."));
      return NULL;
    }

  entry = wc_outbox_entry_new (sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                               identity, sqlite3_column_int64 (stmt, 5), content);
  _wc_outbox_entry_set_id (entry, sqlite3_column_int64 (stmt, 0));
  _wc_outbox_entry_set_row_identity (entry, sqlite3_column_int64 (stmt, 2), identity,
                                     sqlite3_column_int64 (stmt, 13));
  _wc_outbox_entry_set_state (entry, state);
  _wc_outbox_entry_set_idempotency_key (entry, column_text (stmt, 7));
  _wc_outbox_entry_set_attempts (entry, (guint) sqlite3_column_int64 (stmt, 8));
  _wc_outbox_entry_set_next_attempt_at (entry, sqlite3_column_int64 (stmt, 9));
  _wc_outbox_entry_set_remote_id (entry, column_text (stmt, 10));
  _wc_outbox_entry_set_remote_url (entry, column_text (stmt, 11));
  _wc_outbox_entry_set_reason (entry, column_text (stmt, 12));
  _wc_outbox_entry_set_updated_at (entry, sqlite3_column_int64 (stmt, 14));
  _wc_outbox_entry_set_sent_at (entry, sqlite3_column_int64 (stmt, 15));
  if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    {
      WcOutboxContent *pending = content_from_column (self, stmt, 16, "outbox.pending_content", error);

      if (pending == NULL)
        return NULL;
      _wc_outbox_entry_take_pending_content (entry, pending);
    }
  if (sqlite3_column_type (stmt, 17) != SQLITE_NULL)
    {
      WcOutboxMedia *media = wc_outbox_media_new_from_json (column_text (stmt, 17), error);

      if (media == NULL)
        return NULL;
      _wc_outbox_entry_take_media (entry, media);
    }
  return g_steal_pointer (&entry);
}

static GPtrArray *
list_query (WcStore    *self,
            const char *sql,
            gint64      a,
            gint64      b,
            int         n_bind,
            const char *text,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _wc_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else
    {
      if (n_bind >= 1)
        sqlite3_bind_int64 (stmt, 1, a);
      if (n_bind >= 2)
        sqlite3_bind_int64 (stmt, 2, b);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WcOutboxEntry *entry = entry_from_row (self, stmt, error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _wc_store_set_error (self, "list outbox", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* --- Images ------------------------------------------------------------ */

static gboolean
is_outbox_image (WcStore    *self,
                 const char *path)
{
  g_autofree char *dir = wc_store_dup_images_dir (self);
  g_autofree char *parent = path != NULL ? g_path_get_dirname (path) : NULL;
  g_autofree char *base = path != NULL ? g_path_get_basename (path) : NULL;

  /* Only the entries' own copies, never a draft's image. */
  return parent != NULL && g_str_equal (parent, dir) && g_str_has_prefix (base, "outbox-");
}

static void
remove_images (WcStore               *self,
               const WcOutboxContent *content)
{
  for (guint i = 0; content != NULL && content->attachments != NULL && i < content->attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);

      if (is_outbox_image (self, attachment->path) && g_unlink (attachment->path) != 0 && errno != ENOENT)
        g_debug ("Could not remove an image of a finished post: %s", g_strerror (errno));
    }
}

/* Gives @content its own metadata-free copies of its images, in the
 * store's images folder. On failure the copies made so far are removed and
 * @content is left as it was. */
static gboolean
copy_images (WcStore          *self,
             const char       *key,
             WcOutboxContent  *content,
             GError          **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);

  if (content->attachments == NULL || content->attachments->len == 0)
    return TRUE;
  if (!_wc_store_check_unlocked (self, error))
    return FALSE;

  dir = wc_store_dup_images_dir (self);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                           _("Whitecoat could not make the folder for the images of scheduled posts."));
      return FALSE;
    }
  /* A new name for every copy, so that new content never overwrites the
   * images of the content it replaces before the database says so. */
  batch = g_uuid_string_random ();
  batch[8] = '\0';

  for (guint i = 0; i < content->attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *mime_type = NULL;
      g_autoptr(GBytes) stripped = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autofree char *name = NULL;
      g_autofree char *dest = NULL;

      /* Stripped in memory and sealed before anything is written: no
       * plain copy ever lies on disk, not even for a moment. */
      stripped = wc_image_strip_for_upload (attachment->path, G_MAXSIZE, &mime_type, NULL, NULL, &local_error);
      if (stripped == NULL)
        {
          /* The message may name the file; the log gets the code only. */
          g_debug ("Could not copy an image for a scheduled post (%s %d)",
                   g_quark_to_string (local_error->domain), local_error->code);
          g_set_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                       _("Image %u could not be prepared for the scheduled post: %s"),
                       i + 1, local_error->message);
          for (guint j = 0; j < made->len; j++)
            g_unlink (g_ptr_array_index (made, j));
          return FALSE;
        }
      sealed = wc_crypto_seal_data (_wc_store_get_data_key (self), g_bytes_get_data (stripped, NULL),
                                    g_bytes_get_size (stripped), &local_error);
      name = g_strdup_printf ("outbox-%s-%s-%u.sealed", key, batch, i);
      dest = g_build_filename (dir, name, NULL);
      if (sealed == NULL
          || !g_file_set_contents_full (dest, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                                        G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
        {
          g_debug ("Could not keep an image for a scheduled post: %s", local_error->message);
          g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                               _("Whitecoat could not keep an image of the scheduled post. Check the free space."));
          for (guint j = 0; j < made->len; j++)
            g_unlink (g_ptr_array_index (made, j));
          return FALSE;
        }
      g_ptr_array_add (made, g_steal_pointer (&dest));
    }

  for (guint i = 0; i < content->attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);

      g_free (attachment->path);
      attachment->path = g_strdup (g_ptr_array_index (made, i));
    }
  return TRUE;
}

static gboolean
has_image (const WcOutboxContent *content,
           const char            *path)
{
  for (guint i = 0; content != NULL && content->attachments != NULL && i < content->attachments->len; i++)
    if (g_strcmp0 (((WcAttachment *) g_ptr_array_index (content->attachments, i))->path, path) == 0)
      return TRUE;
  return FALSE;
}

/* Deletes the images of @content that neither @keep nor @keep_too uses. */
static void
remove_unused_images (WcStore               *self,
                      const WcOutboxContent *content,
                      const WcOutboxContent *keep,
                      const WcOutboxContent *keep_too)
{
  for (guint i = 0; content != NULL && content->attachments != NULL && i < content->attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);

      if (is_outbox_image (self, attachment->path) && !has_image (keep, attachment->path)
          && !has_image (keep_too, attachment->path) && g_unlink (attachment->path) != 0 && errno != ENOENT)
        g_debug ("Could not remove an image of a scheduled post: %s", g_strerror (errno));
    }
}

/* Whether @path is one of @entry's own copies, of its content or of the
 * change that waits. */
static gboolean
is_own_image (WcStore       *self,
              WcOutboxEntry *entry,
              const char    *path)
{
  return is_outbox_image (self, path)
         && (has_image (wc_outbox_entry_get_content (entry), path)
             || has_image (wc_outbox_entry_get_pending_content (entry), path));
}

/* copy_images() for content written to @entry: its own images (a change
 * that waited becoming the post) stay as they are, since they are copies
 * already; the others are copied. */
static gboolean
copy_new_images (WcStore          *self,
                 WcOutboxEntry    *entry,
                 WcOutboxContent  *content,
                 GError          **error)
{
  g_autoptr(WcOutboxContent) fresh = NULL;
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));

  if (content->attachments == NULL || content->attachments->len == 0)
    return TRUE;
  for (guint i = 0; i < content->attachments->len; i++)
    if (!is_own_image (self, entry, ((WcAttachment *) g_ptr_array_index (content->attachments, i))->path))
      g_array_append_val (positions, i);

  fresh = wc_outbox_content_copy (content);
  g_ptr_array_set_size (fresh->attachments, 0);
  for (guint j = 0; j < positions->len; j++)
    {
      const WcAttachment *from = g_ptr_array_index (content->attachments, g_array_index (positions, guint, j));
      WcAttachment *copy = g_new0 (WcAttachment, 1);

      copy->path = g_strdup (from->path);
      copy->alt_text = g_strdup (from->alt_text);
      g_ptr_array_add (fresh->attachments, copy);
    }
  if (!copy_images (self, wc_outbox_entry_get_idempotency_key (entry), fresh, error))
    return FALSE;
  for (guint j = 0; j < positions->len; j++)
    {
      WcAttachment *to = g_ptr_array_index (content->attachments, g_array_index (positions, guint, j));

      g_free (to->path);
      to->path = g_strdup (((WcAttachment *) g_ptr_array_index (fresh->attachments, j))->path);
    }
  return TRUE;
}

/* --- Public ------------------------------------------------------------ */

/**
 * wc_store_add_outbox_entries:
 * @entries: (element-type WcOutboxEntry): new entries
 *
 * Returns: whether all were stored; none are when one fails
 */
gboolean
wc_store_add_outbox_entries (WcStore    *self,
                             GPtrArray  *entries,
                             GError    **error)
{
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_outbox_content_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = now_seconds ();

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);

  if (!_wc_store_check_unlocked (self, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(WcOutboxContent) content = wc_outbox_content_copy (wc_outbox_entry_get_content (entry));

      g_return_val_if_fail (wc_outbox_entry_get_id (entry) == 0, FALSE);
      if (!copy_images (self, wc_outbox_entry_get_idempotency_key (entry), content, error))
        {
          for (guint j = 0; j < contents->len; j++)
            remove_images (self, g_ptr_array_index (contents, j));
          return FALSE;
        }
      g_ptr_array_add (contents, g_steal_pointer (&content));
    }

  if (!_wc_store_begin (self, error))
    goto fail;
  stmt = _wc_store_prepare (self,
                            "INSERT INTO outbox (draft_id, account_id, identity, state, due_at, content, "
                            "idempotency_key, attempts, next_attempt_at, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *json = content_to_sealed_json (self, g_ptr_array_index (contents, i), "outbox.content", error);

      if (json == NULL)
        goto fail;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (wc_outbox_entry_get_draft_id (entry) > 0)
        sqlite3_bind_int64 (stmt, 1, wc_outbox_entry_get_draft_id (entry));
      else
        sqlite3_bind_null (stmt, 1);
      sqlite3_bind_int64 (stmt, 2, wc_outbox_entry_get_account_id (entry));
      sqlite3_bind_text (stmt, 3, wc_identity_kind_to_string (wc_outbox_entry_get_identity (entry)), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, wc_outbox_state_to_string (wc_outbox_entry_get_state (entry)), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, wc_outbox_entry_get_due_at (entry));
      sqlite3_bind_text (stmt, 6, json, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, wc_outbox_entry_get_idempotency_key (entry), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, now);
      sqlite3_bind_int64 (stmt, 9, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _wc_store_set_error (self, "add outbox entry", error);
          goto fail;
        }
    }
  if (!_wc_store_commit (self, error))
    goto fail;

  /* Committed: the objects get their ids and their own images. */
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(WcOutboxEntry) stored = NULL;
      g_autoptr(sqlite3_stmt) lookup = _wc_store_prepare (self, "SELECT " COLUMNS " FROM outbox WHERE idempotency_key = ?", NULL);

      if (lookup == NULL)
        continue;
      sqlite3_bind_text (lookup, 1, wc_outbox_entry_get_idempotency_key (entry), -1, SQLITE_STATIC);
      if (sqlite3_step (lookup) == SQLITE_ROW)
        stored = entry_from_row (self, lookup, NULL);
      if (stored != NULL)
        wc_outbox_entry_update_from (entry, stored);
    }
  return TRUE;

fail:
  _wc_store_rollback (self);
  for (guint j = 0; j < contents->len; j++)
    remove_images (self, g_ptr_array_index (contents, j));
  return FALSE;
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* Both writers: @to is the new state (may equal the current one for an
 * update). One transaction: read the row's state, check, write. */
static gboolean
write_entry (WcStore              *self,
             WcOutboxEntry        *entry,
             WcOutboxState         to,
             gboolean              is_move,
             const WcOutboxUpdate *update,
             GError              **error)
{
  g_autoptr(sqlite3_stmt) check = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(WcOutboxContent) new_content = NULL;
  g_autoptr(WcOutboxContent) old_content = NULL;
  g_autoptr(WcOutboxContent) new_pending = NULL;
  g_autoptr(WcOutboxContent) old_pending = NULL;
  g_autoptr(WcOutboxEntry) stored = NULL;
  g_autoptr(GString) sql = g_string_new ("UPDATE outbox SET state = ?1, updated_at = ?2");
  WcOutboxFields fields = update != NULL ? update->fields : WC_OUTBOX_FIELD_NONE;
  WcOutboxState current = wc_outbox_entry_get_state (entry);
  WcOutboxState in_db;
  g_autofree char *json = NULL;
  g_autofree char *pending_json = NULL;
  g_autofree char *media_json = NULL;
  /* The rules of wc-store-outbox.h: no waiting change outside
   * "server-scheduled", no media of earlier content. */
  gboolean writes_pending = (fields & WC_OUTBOX_FIELD_PENDING_CONTENT) || to != WC_OUTBOX_STATE_SERVER_SCHEDULED;
  gboolean writes_media = (fields & (WC_OUTBOX_FIELD_MEDIA | WC_OUTBOX_FIELD_CONTENT)) != 0;
  gboolean had_pending;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);
  g_return_val_if_fail (wc_outbox_entry_get_id (entry) > 0, FALSE);

  if (is_move && !wc_outbox_state_can_move (current, to))
    {
      g_debug ("Refused outbox move %s → %s", wc_outbox_state_to_string (current), wc_outbox_state_to_string (to));
      return refuse (error, _("This post cannot change that way in its present state."));
    }

  g_return_val_if_fail (!(fields & WC_OUTBOX_FIELD_IDEMPOTENCY_KEY) || update->idempotency_key != NULL, FALSE);
  g_return_val_if_fail (!(fields & WC_OUTBOX_FIELD_PENDING_CONTENT) || update->pending_content == NULL
                        || to == WC_OUTBOX_STATE_SERVER_SCHEDULED, FALSE);
  if (fields & WC_OUTBOX_FIELD_CONTENT)
    {
      g_return_val_if_fail (update->content != NULL, FALSE);
      new_content = wc_outbox_content_copy (update->content);
      if (!copy_new_images (self, entry, new_content, error))
        return FALSE;
    }
  if ((fields & WC_OUTBOX_FIELD_PENDING_CONTENT) && update->pending_content != NULL)
    {
      new_pending = wc_outbox_content_copy (update->pending_content);
      if (!copy_new_images (self, entry, new_pending, error))
        {
          remove_unused_images (self, new_content, wc_outbox_entry_get_content (entry),
                                wc_outbox_entry_get_pending_content (entry));
          return FALSE;
        }
    }

  if (!_wc_store_begin (self, error))
    goto fail;

  check = _wc_store_prepare (self, "SELECT state, content, pending_content FROM outbox WHERE id = ?", error);
  if (check == NULL)
    goto fail;
  sqlite3_bind_int64 (check, 1, wc_outbox_entry_get_id (entry));
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("This scheduled post no longer exists."));
      goto fail;
    }
  if (!wc_outbox_state_from_string (column_text (check, 0), &in_db) || in_db != current)
    {
      refuse (error, _("This post changed meanwhile. Look at it again."));
      goto fail;
    }
  /* What was there, for the images no longer used once this is written. */
  had_pending = sqlite3_column_type (check, 2) != SQLITE_NULL;
  if (new_content != NULL || (writes_pending && had_pending))
    old_content = content_from_column (self, check, 1, "outbox.content", NULL);
  if ((new_content != NULL || writes_pending) && had_pending)
    old_pending = content_from_column (self, check, 2, "outbox.pending_content", NULL);

  if (fields & WC_OUTBOX_FIELD_DUE_AT)
    g_string_append (sql, ", due_at = ?3");
  if (fields & WC_OUTBOX_FIELD_ATTEMPTS)
    g_string_append (sql, ", attempts = ?4");
  if (fields & WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT)
    g_string_append (sql, ", next_attempt_at = ?5");
  if (fields & WC_OUTBOX_FIELD_REMOTE_ID)
    g_string_append (sql, ", remote_id = ?6");
  if (fields & WC_OUTBOX_FIELD_REMOTE_URL)
    g_string_append (sql, ", remote_url = ?7");
  if (fields & WC_OUTBOX_FIELD_REASON)
    g_string_append (sql, ", reason = ?8");
  if (fields & WC_OUTBOX_FIELD_SENT_AT)
    g_string_append (sql, ", sent_at = ?9");
  if (fields & WC_OUTBOX_FIELD_CONTENT)
    g_string_append (sql, ", content = ?10");
  if (fields & WC_OUTBOX_FIELD_IDEMPOTENCY_KEY)
    g_string_append (sql, ", idempotency_key = ?12");
  if (writes_pending)
    g_string_append (sql, ", pending_content = ?13");
  if (writes_media)
    g_string_append (sql, ", media_ids = ?14");
  g_string_append (sql, " WHERE id = ?11");

  write = _wc_store_prepare (self, sql->str, error);
  if (write == NULL)
    goto fail;
  sqlite3_bind_text (write, 1, wc_outbox_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 2, now_seconds ());
  if (fields & WC_OUTBOX_FIELD_DUE_AT)
    sqlite3_bind_int64 (write, 3, update->due_at);
  if (fields & WC_OUTBOX_FIELD_ATTEMPTS)
    sqlite3_bind_int64 (write, 4, update->attempts);
  if (fields & WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT)
    {
      if (update->next_attempt_at > 0)
        sqlite3_bind_int64 (write, 5, update->next_attempt_at);
      else
        sqlite3_bind_null (write, 5);
    }
  if (fields & WC_OUTBOX_FIELD_REMOTE_ID)
    _wc_store_bind_text_or_null (write, 6, update->remote_id);
  if (fields & WC_OUTBOX_FIELD_REMOTE_URL)
    _wc_store_bind_text_or_null (write, 7, update->remote_url);
  if (fields & WC_OUTBOX_FIELD_REASON)
    _wc_store_bind_text_or_null (write, 8, update->reason);
  if (fields & WC_OUTBOX_FIELD_SENT_AT)
    {
      if (update->sent_at > 0)
        sqlite3_bind_int64 (write, 9, update->sent_at);
      else
        sqlite3_bind_null (write, 9);
    }
  if (fields & WC_OUTBOX_FIELD_CONTENT)
    {
      json = content_to_sealed_json (self, new_content, "outbox.content", error);
      if (json == NULL)
        goto fail;
      sqlite3_bind_text (write, 10, json, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int64 (write, 11, wc_outbox_entry_get_id (entry));
  if (fields & WC_OUTBOX_FIELD_IDEMPOTENCY_KEY)
    sqlite3_bind_text (write, 12, update->idempotency_key, -1, SQLITE_STATIC);
  if (new_pending != NULL)
    {
      pending_json = content_to_sealed_json (self, new_pending, "outbox.pending_content", error);
      if (pending_json == NULL)
        goto fail;
      sqlite3_bind_text (write, 13, pending_json, -1, SQLITE_STATIC);
    }
  else if (writes_pending)
    sqlite3_bind_null (write, 13);
  if ((fields & WC_OUTBOX_FIELD_MEDIA) && update->media != NULL)
    {
      media_json = wc_outbox_media_to_json (update->media);
      sqlite3_bind_text (write, 14, media_json, -1, SQLITE_STATIC);
    }
  else if (writes_media)
    sqlite3_bind_null (write, 14);
  if (sqlite3_step (write) != SQLITE_DONE)
    {
      _wc_store_set_error (self, "move outbox entry", error);
      goto fail;
    }
  if (!_wc_store_commit (self, error))
    goto fail;

  /* Committed. The images the entry no longer needs go: those of content
   * or of a waiting change replaced or dropped (but for those the new ones
   * use), all of them once it is sent. */
  if (new_content != NULL)
    remove_unused_images (self, old_content, new_content, writes_pending ? new_pending : old_pending);
  if (writes_pending)
    remove_unused_images (self, old_pending, new_content != NULL ? new_content : old_content, new_pending);
  if (to == WC_OUTBOX_STATE_SENT)
    remove_images (self, new_content != NULL ? new_content : wc_outbox_entry_get_content (entry));

  stored = wc_store_get_outbox_entry (self, wc_outbox_entry_get_id (entry), NULL);
  if (stored != NULL)
    wc_outbox_entry_update_from (entry, stored);
  return TRUE;

fail:
  _wc_store_rollback (self);
  /* The copies made for this update; not the entry's own it reused. */
  remove_unused_images (self, new_content, wc_outbox_entry_get_content (entry),
                        wc_outbox_entry_get_pending_content (entry));
  remove_unused_images (self, new_pending, wc_outbox_entry_get_content (entry),
                        wc_outbox_entry_get_pending_content (entry));
  return FALSE;
}

/**
 * wc_store_move_outbox_entry:
 * @update: (nullable): fields to write with the move
 *
 * Returns: whether the move was made
 */
gboolean
wc_store_move_outbox_entry (WcStore              *self,
                            WcOutboxEntry        *entry,
                            WcOutboxState         to,
                            const WcOutboxUpdate *update,
                            GError              **error)
{
  return write_entry (self, entry, to, TRUE, update, error);
}

gboolean
wc_store_update_outbox_entry (WcStore              *self,
                              WcOutboxEntry        *entry,
                              const WcOutboxUpdate *update,
                              GError              **error)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);
  if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SENT)
    return refuse (error, _("This post was sent already."));
  return write_entry (self, entry, wc_outbox_entry_get_state (entry), FALSE, update, error);
}

/**
 * wc_store_get_outbox_entry:
 *
 * Returns: (transfer full) (nullable): the entry
 */
WcOutboxEntry *
wc_store_get_outbox_entry (WcStore  *self,
                           gint64    id,
                           GError  **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);

  found = list_query (self, "SELECT " COLUMNS " FROM outbox WHERE id = ?", id, 0, 1, NULL, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("This scheduled post no longer exists."));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (found, 0));
}

/**
 * wc_store_list_outbox:
 *
 * Returns: (transfer full) (element-type WcOutboxEntry): the entries due in
 *   [@from, @to)
 */
GPtrArray *
wc_store_list_outbox (WcStore  *self,
                      gint64    from,
                      gint64    to,
                      GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_query (self, "SELECT " COLUMNS " FROM outbox WHERE due_at >= ? AND due_at < ? "
                           "ORDER BY due_at, id", from, to, 2, NULL, error);
}

GPtrArray *
wc_store_list_outbox_due (WcStore  *self,
                          gint64    now,
                          GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_query (self, "SELECT " COLUMNS " FROM outbox WHERE state = 'scheduled' AND due_at <= ?1 "
                           "AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY due_at, id",
                     now, 0, 1, NULL, error);
}

GPtrArray *
wc_store_list_outbox_in_state (WcStore        *self,
                               WcOutboxState   state,
                               GError        **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_query (self, "SELECT " COLUMNS " FROM outbox WHERE state = ? ORDER BY due_at, id",
                     0, 0, 0, wc_outbox_state_to_string (state), error);
}

GPtrArray *
wc_store_list_outbox_for_draft (WcStore  *self,
                                gint64    draft_id,
                                GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_query (self, "SELECT " COLUMNS " FROM outbox WHERE draft_id = ? ORDER BY due_at, id",
                     draft_id, 0, 1, NULL, error);
}

GPtrArray *
wc_store_list_outbox_active (WcStore  *self,
                             GError  **error)
{
  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  return list_query (self, "SELECT " COLUMNS " FROM outbox WHERE state != 'cancelled' ORDER BY due_at, id",
                     0, 0, 0, NULL, error);
}

gboolean
wc_store_get_next_outbox_time (WcStore  *self,
                               gint64   *at,
                               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);

  stmt = _wc_store_prepare (self, "SELECT MIN (MAX (due_at, IFNULL (next_attempt_at, 0))) FROM outbox "
                                  "WHERE state = 'scheduled'", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return FALSE;
  *at = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

guint
wc_store_purge_outbox (WcStore  *self,
                       gint64    before,
                       GError  **error)
{
  g_autoptr(GPtrArray) cancelled = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint removed = 0;

  g_return_val_if_fail (WC_IS_STORE (self), 0);

  cancelled = list_query (self, "SELECT " COLUMNS " FROM outbox WHERE state = 'cancelled' AND updated_at < ?",
                          before, 0, 1, NULL, error);
  if (cancelled == NULL)
    return 0;
  if (!_wc_store_begin (self, error))
    return 0;
  stmt = _wc_store_prepare (self, "DELETE FROM outbox WHERE id = ? AND state = 'cancelled'", error);
  if (stmt == NULL)
    {
      _wc_store_rollback (self);
      return 0;
    }
  for (guint i = 0; i < cancelled->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, wc_outbox_entry_get_id (g_ptr_array_index (cancelled, i)));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _wc_store_set_error (self, "purge outbox", error);
          _wc_store_rollback (self);
          return 0;
        }
      removed += sqlite3_changes (_wc_store_get_db (self));
    }
  if (!_wc_store_commit (self, error))
    {
      _wc_store_rollback (self);
      return 0;
    }
  for (guint i = 0; i < cancelled->len; i++)
    remove_images (self, wc_outbox_entry_get_content (g_ptr_array_index (cancelled, i)));

  /* Sent entries lose their images when they are sent; this catches a
   * crash between the commit and the deletion. */
  sent = wc_store_list_outbox_in_state (self, WC_OUTBOX_STATE_SENT, NULL);
  for (guint i = 0; sent != NULL && i < sent->len; i++)
    remove_images (self, wc_outbox_entry_get_content (g_ptr_array_index (sent, i)));
  return removed;
}

guint
wc_store_count_outbox (WcStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), 0);

  stmt = _wc_store_prepare (self, "SELECT COUNT (*) FROM outbox", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

/* --- Sealing what an older Whitecoat left ----------------------------- */

/* Puts @sealed in place of the plain file at @path, atomically, then
 * overwrites the plain contents where they lay (through a descriptor kept
 * open on the old file), so that they are not left in its free blocks as
 * far as the file system allows. */
static gboolean
replace_with_sealed (const char  *path,
                     gsize        plain_length,
                     GBytes      *sealed,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);

  if (!g_file_set_contents_full (path, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_debug ("Could not seal an image of a scheduled post: %s", local_error->message);
      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                           _("Whitecoat could not lock an image of a scheduled post. Check the free space."));
      return FALSE;
    }

  if (fd >= 0)
    {
      static const guint8 zeros[65536] = { 0 };
      gsize left = plain_length;

      while (left > 0)
        {
          gssize n = write (fd, zeros, MIN (left, sizeof zeros));

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          left -= n;
        }
      fsync (fd);
      g_close (fd, NULL);
    }
  return TRUE;
}

/* Reads only the start: this runs at every start, over every copy. */
static gboolean
file_is_sealed (const char *path)
{
  guint8 start[16];
  gssize n = -1;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      do
        n = read (fd, start, sizeof start);
      while (n < 0 && errno == EINTR);
      g_close (fd, NULL);
    }
  return n > 0 && wc_crypto_data_is_sealed (start, (gsize) n);
}

/**
 * _wc_store_outbox_seal_images:
 *
 * Seals every image copy of the outbox (outbox-*) that is still a plain
 * image, in place: the entries keep their paths.
 *
 * Returns: how many were sealed, or -1
 */
int
_wc_store_outbox_seal_images (WcStore  *self,
                              GError  **error)
{
  g_autofree char *dir = wc_store_dup_images_dir (self);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  WcCryptoKey *key = _wc_store_get_data_key (self);
  const char *name;
  int n_sealed = 0;

  if (!_wc_store_check_unlocked (self, error))
    return -1;

  /* Listed first: replacing a file makes and renames one beside it. */
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "outbox-"))
      g_ptr_array_add (names, g_strdup (name));

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      gboolean replaced;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || file_is_sealed (path))
        continue;
      if (!g_file_get_contents (path, &contents, &length, &local_error))
        {
          g_debug ("Could not read an image of a scheduled post: %s", local_error->message);
          g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                               _("Whitecoat could not lock an image of a scheduled post. Check that your home folder is readable."));
          return -1;
        }
      if (wc_crypto_data_is_sealed ((const guint8 *) contents, length))
        continue;

      sealed = wc_crypto_seal_data (key, (const guint8 *) contents, length, &local_error);
      replaced = sealed != NULL && replace_with_sealed (path, length, sealed, error);
      if (sealed == NULL)
        g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED, local_error->message);
      explicit_bzero (contents, length);
      if (!replaced)
        return -1;
      n_sealed++;
    }
  return n_sealed;
}
