/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-store"

#include "config.h"

#include "wc-store-private.h"
#include "wc-store-privacy.h"

static const char * const outcome_names[] = {
  [WC_PRIVACY_OUTCOME_APPLIED] = "applied",
  [WC_PRIVACY_OUTCOME_DONE] = "done",
  [WC_PRIVACY_OUTCOME_SKIPPED] = "skipped",
  [WC_PRIVACY_OUTCOME_AS_RECOMMENDED] = "as-recommended",
};

const char *
wc_privacy_outcome_to_string (WcPrivacyOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcome_names), NULL);
  return outcome_names[outcome];
}

gboolean
wc_privacy_outcome_from_string (const char       *str,
                                WcPrivacyOutcome *outcome)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outcome_names); i++)
    if (g_str_equal (str, outcome_names[i]))
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

void
wc_privacy_step_record_free (WcPrivacyStepRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->step_id);
  g_free (record->value);
  g_free (record);
}

void
wc_privacy_review_free (WcPrivacyReview *review)
{
  if (review == NULL)
    return;
  g_free (review->current_step);
  g_free (review);
}

/**
 * wc_store_record_privacy_step:
 * @account: a stored account
 * @value: (nullable): the value the setting has now
 * @audit_summary: what happened, in words, for the audit log
 *
 * Returns: whether the outcome and its audit entry were written
 */
gboolean
wc_store_record_privacy_step (WcStore          *self,
                              WcAccount        *account,
                              const char       *step_id,
                              WcPrivacyOutcome  outcome,
                              const char       *value,
                              gint64            at,
                              const char       *audit_summary,
                              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcAuditEntry entry = { 0 };

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (WC_IS_ACCOUNT (account) && wc_account_get_id (account) > 0, FALSE);
  g_return_val_if_fail (step_id != NULL && audit_summary != NULL, FALSE);

  if (at == 0)
    at = g_get_real_time () / G_USEC_PER_SEC;
  if (!_wc_store_begin (self, error))
    return FALSE;

  stmt = _wc_store_prepare (self, "INSERT OR REPLACE INTO privacy_steps (account_id, step_id, outcome, value, at) "
                                  "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    {
      _wc_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, wc_account_get_id (account));
  sqlite3_bind_text (stmt, 2, step_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, wc_privacy_outcome_to_string (outcome), -1, SQLITE_STATIC);
  _wc_store_bind_text_or_null (stmt, 4, value);
  sqlite3_bind_int64 (stmt, 5, at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _wc_store_set_error (self, "record privacy step", error);
      _wc_store_rollback (self);
      return FALSE;
    }

  entry.at = at;
  entry.has_identity = TRUE;
  entry.identity = wc_account_get_identity (account);
  entry.account_id = wc_account_get_id (account);
  entry.kind = (char *) "setting";
  entry.summary = (char *) audit_summary;
  if (!wc_store_append_audit (self, &entry, error))
    {
      _wc_store_rollback (self);
      return FALSE;
    }
  return _wc_store_commit (self, error);
}

GPtrArray *
wc_store_list_privacy_steps (WcStore  *self,
                             gint64    account_id,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_privacy_step_record_free);
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);

  stmt = _wc_store_prepare (self, "SELECT step_id, outcome, value, at FROM privacy_steps "
                                  "WHERE account_id = ? ORDER BY at, step_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WcPrivacyStepRecord *record = g_new0 (WcPrivacyStepRecord, 1);

      record->step_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (!wc_privacy_outcome_from_string ((const char *) sqlite3_column_text (stmt, 1), &record->outcome))
        record->outcome = WC_PRIVACY_OUTCOME_SKIPPED;
      record->value = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      record->at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (records, record);
    }
  if (rc != SQLITE_DONE)
    {
      _wc_store_set_error (self, "list privacy steps", error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gboolean
wc_store_save_privacy_review (WcStore               *self,
                              const WcPrivacyReview *review,
                              GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (WC_IS_STORE (self), FALSE);
  g_return_val_if_fail (review != NULL && review->account_id > 0, FALSE);

  stmt = _wc_store_prepare (self, "INSERT OR REPLACE INTO privacy_reviews "
                                  "(account_id, current_step, started_at, finished_at) VALUES (?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, review->account_id);
  _wc_store_bind_text_or_null (stmt, 2, review->current_step);
  if (review->started_at > 0)
    sqlite3_bind_int64 (stmt, 3, review->started_at);
  else
    sqlite3_bind_null (stmt, 3);
  if (review->finished_at > 0)
    sqlite3_bind_int64 (stmt, 4, review->finished_at);
  else
    sqlite3_bind_null (stmt, 4);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wc_store_set_error (self, "save privacy review", error);
  return TRUE;
}

WcPrivacyReview *
wc_store_load_privacy_review (WcStore  *self,
                              gint64    account_id,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  WcPrivacyReview *review;
  int rc;

  g_return_val_if_fail (WC_IS_STORE (self), NULL);

  stmt = _wc_store_prepare (self, "SELECT current_step, coalesce (started_at, 0), coalesce (finished_at, 0) "
                                  "FROM privacy_reviews WHERE account_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _wc_store_set_error (self, "load privacy review", error);
      return NULL;
    }
  review = g_new0 (WcPrivacyReview, 1);
  review->account_id = account_id;
  review->current_step = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  review->started_at = sqlite3_column_int64 (stmt, 1);
  review->finished_at = sqlite3_column_int64 (stmt, 2);
  return review;
}
