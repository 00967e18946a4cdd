/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-store-private.h"
#include "wc-store-requests.h"

static const char * const answer_ids[] = {
  "accept", "decline", "decline-and-point", "block", "remove-follower",
  "tag-patient", "tag-not-patient", "checked", "mute",
};

const char *
wc_request_answer_to_string (WcRequestAnswer answer)
{
  g_return_val_if_fail ((guint) answer < G_N_ELEMENTS (answer_ids), NULL);
  return answer_ids[answer];
}

/**
 * wc_store_set_not_patient:
 * @hash: the keyed hash of the person (wc_screener_dup_person_hash())
 *
 * Remembers that the doctor said this person is not a patient; it replaces
 * a patient tag, and a later patient tag replaces it.
 */
gboolean
wc_store_set_not_patient (WcStore     *self,
                          const char  *hash,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (!wc_hash_is_valid (hash))
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                           _("Only a keyed hash can be stored for a person."));
      return FALSE;
    }

  stmt = _wc_store_prepare (self, "INSERT INTO person_tags (hash, tag, created_at) VALUES (?, ?, ?) "
                                  "ON CONFLICT (hash) DO UPDATE SET tag = excluded.tag", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, WC_PERSON_TAG_NOT_PATIENT_ID, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "set not-patient", error);
  return TRUE;
}

/**
 * wc_store_load_not_patients:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of hashes of
 *   people the doctor said are not patients
 */
GHashTable *
wc_store_load_not_patients (WcStore  *self,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);

  stmt = _wc_store_prepare (self, "SELECT hash FROM person_tags WHERE tag = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, WC_PERSON_TAG_NOT_PATIENT_ID, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _wc_store_set_error (self, "load not-patients", error);
      return NULL;
    }
  return g_steal_pointer (&set);
}

static char *
describe (WcRequestAnswer  answer,
          WcIdentityKind   identity,
          const char      *network)
{
  const char *where = wc_identity_kind_get_label (identity);

  switch (answer)
    {
    case WC_REQUEST_ANSWER_ACCEPT:
      /* Translators: in the audit log; the first %s is "Personal" or
       * "Professional", the second a network such as "Mastodon". */
      return g_strdup_printf (_("Accepted a follow request (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_DECLINE:
      return g_strdup_printf (_("Declined a follow request (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_DECLINE_AND_POINT:
      return g_strdup_printf (_("Declined a follow request and pointed to the professional account (%s account on %s)"),
                              where, network);
    case WC_REQUEST_ANSWER_BLOCK:
      return g_strdup_printf (_("Blocked someone who asked to follow or follows (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_REMOVE_FOLLOWER:
      return g_strdup_printf (_("Removed a follower (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_TAG_PATIENT:
      return g_strdup_printf (_("Tagged a person as a patient (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_TAG_NOT_PATIENT:
      return g_strdup_printf (_("Marked a person as not a patient (%s account on %s)"),
                              where, network);
    case WC_REQUEST_ANSWER_CHECKED:
      return g_strdup_printf (_("Checked a request typed in by hand (%s account on %s)"), where, network);
    case WC_REQUEST_ANSWER_MUTE:
      return g_strdup_printf (_("Muted a new follower (%s account on %s)"), where, network);
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * wc_store_append_request_audit:
 * @account_id: the account the request was made to, or -1
 * @network: the network's name, e.g. "Mastodon"
 * @verdict: (nullable): the screening's verdict in words
 * @person_hash: (nullable): the person's keyed hash
 * @reason: (nullable): why, in the doctor's words or the screening's
 *   signals; never the person's name
 *
 * Writes one audit entry of kind "request".
 */
gboolean
wc_store_append_request_audit (WcStore         *self,
                               gint64           account_id,
                               WcIdentityKind   identity,
                               const char      *network,
                               WcRequestAnswer  answer,
                               const char      *verdict,
                               const char      *person_hash,
                               const char      *reason,
                               GError         **error)
{
  g_autofree char *what = NULL;
  g_autoptr(GString) summary = NULL;
  WcAuditEntry entry = { 0 };

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (network != NULL, FALSE);
  g_return_val_if_fail (person_hash == NULL || wc_hash_is_valid (person_hash), FALSE);

  what = describe (answer, identity, network);
  summary = g_string_new (what);
  if (verdict != NULL)
    /* Translators: added to an audit entry; %s is e.g. "Looks like a patient". */
    g_string_append_printf (summary, _("; screening: %s"), verdict);
  if (person_hash != NULL)
    /* Translators: added to an audit entry; %.12s is the start of a keyed
     * hash that stands for the person without naming them. */
    g_string_append_printf (summary, _("; person #%.12s"), person_hash);

  entry.has_identity = TRUE;
  entry.identity = identity;
  entry.account_id = account_id;
  entry.kind = (char *) "request";
  entry.summary = summary->str;
  entry.reason = (char *) reason;
  return wc_store_append_audit (self, &entry, error);
}

/* --- Follow requests, by the requester's id on the server ---------------- */

void
wc_follow_request_record_free (WcFollowRequestRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->remote_id);
  g_free (record->answer);
  g_free (record);
}

static gboolean
check_remote_id (const char  *remote_id,
                 GError     **error)
{
  if (remote_id != NULL && *remote_id != '\0')
    return TRUE;
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                       _("The request has no id from its server."));
  return FALSE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * wc_store_note_follow_requests:
 * @account_id: the account the requests were made to
 * @remote_ids: (array zero-terminated=1): the requesters' opaque account
 *   ids on the server — not names or handles
 *
 * Remembers that the requests were seen (the first time only), in one
 * transaction.
 */
gboolean
wc_store_note_follow_requests (WcStore            *self,
                               gint64              account_id,
                               const char * const *remote_ids,
                               GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = now_seconds ();

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (remote_ids != NULL, FALSE);
  for (guint i = 0; remote_ids[i] != NULL; i++)
    if (!check_remote_id (remote_ids[i], error))
      return FALSE;
  if (remote_ids[0] == NULL)
    return TRUE;

  stmt = _wc_store_prepare (self, "INSERT OR IGNORE INTO follow_requests (account_id, remote_id, first_seen) "
                                  "VALUES (?, ?, ?)", error);
  if (stmt == NULL || !_wc_store_begin (self, error))
    return FALSE;
  for (guint i = 0; remote_ids[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_text (stmt, 2, remote_ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _wc_store_set_error (self, "note follow requests", error);
          _wc_store_rollback (self);
          return FALSE;
        }
    }
  return _wc_store_commit (self, error);
}

/**
 * wc_store_mark_follow_request_notified:
 * @first_time: (out) (optional): %TRUE when no warning had been raised
 *   about this request before — the caller raises it then, and only then
 *
 * Records that a warning about the request is raised, unless one was
 * already: a request is warned about once, ever.
 */
gboolean
wc_store_mark_follow_request_notified (WcStore     *self,
                                       gint64       account_id,
                                       const char  *remote_id,
                                       gboolean    *first_time,
                                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = now_seconds ();

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  if (first_time != NULL)
    *first_time = FALSE;
  if (!check_remote_id (remote_id, error))
    return FALSE;

  /* One statement: whether this call set it is what it changed. */
  stmt = _wc_store_prepare (self, "INSERT INTO follow_requests (account_id, remote_id, first_seen, notified_at) "
                                  "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (account_id, remote_id) "
                                  "DO UPDATE SET notified_at = excluded.notified_at WHERE notified_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, remote_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "mark follow request notified", error);
  if (first_time != NULL)
    *first_time = sqlite3_changes (_wc_store_get_db (self)) > 0;
  return TRUE;
}

/**
 * wc_store_record_follow_request_answer:
 * @answer: what the doctor did (accept, decline, decline and point, block)
 *
 * Records how the request was answered.
 */
gboolean
wc_store_record_follow_request_answer (WcStore          *self,
                                       gint64            account_id,
                                       const char       *remote_id,
                                       WcRequestAnswer   answer,
                                       GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *id = wc_request_answer_to_string (answer);

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  if (!check_remote_id (remote_id, error))
    return FALSE;

  stmt = _wc_store_prepare (self, "INSERT INTO follow_requests (account_id, remote_id, first_seen, answered_at, answer) "
                                  "VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT (account_id, remote_id) "
                                  "DO UPDATE SET answered_at = excluded.answered_at, answer = excluded.answer",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, remote_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_text (stmt, 4, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "record follow request answer", error);
  return TRUE;
}

/**
 * wc_store_load_follow_request:
 * @error: #WC_STORE_ERROR_NOT_FOUND when the request was never seen
 *
 * Returns: (transfer full) (nullable): what is known of the request
 */
WcFollowRequestRecord *
wc_store_load_follow_request (WcStore     *self,
                              gint64       account_id,
                              const char  *remote_id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcFollowRequestRecord *record;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);
  if (!check_remote_id (remote_id, error))
    return NULL;

  stmt = _wc_store_prepare (self, "SELECT first_seen, notified_at, answered_at, answer FROM follow_requests "
                                  "WHERE account_id = ? AND remote_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, remote_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND,
                           _("Whitecoat has not seen this request."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "load follow request", error);
      return NULL;
    }
  record = g_new0 (WcFollowRequestRecord, 1);
  record->account_id = account_id;
  record->remote_id = g_strdup (remote_id);
  record->first_seen = sqlite3_column_int64 (stmt, 0);
  record->notified_at = sqlite3_column_int64 (stmt, 1);
  record->answered_at = sqlite3_column_int64 (stmt, 2);
  record->answer = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return record;
}
