/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-privacy"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-privacy-health.h"

void
wc_privacy_health_free (WcPrivacyHealth *health)
{
  if (health == NULL)
    return;
  g_clear_pointer (&health->not_done, g_ptr_array_unref);
  g_clear_pointer (&health->not_recommended, g_ptr_array_unref);
  g_clear_pointer (&health->drifted, g_ptr_array_unref);
  g_free (health->resume_step);
  g_free (health);
}

static const WcPrivacyStepRecord *
find_record (GPtrArray  *records,
             const char *step_id)
{
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const WcPrivacyStepRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (record->step_id, step_id) == 0)
        return record;
    }
  return NULL;
}

/**
 * wc_privacy_health_current_value:
 * @record: (nullable): the stored outcome
 * @state: (nullable): what the network last reported
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unknown
 */
char *
wc_privacy_health_current_value (const WcWalkthroughStep   *step,
                                 const WcPrivacyStepRecord *record,
                                 const WcAccountState      *state,
                                 int                        n_crosslinks)
{
  g_autofree char *read = NULL;

  g_return_val_if_fail (step != NULL, NULL);

  if (step->read == WC_WALKTHROUGH_READ_CROSSLINK && n_crosslinks >= 0)
    return g_strdup (n_crosslinks > 0 ? WC_WALKTHROUGH_LINKED : WC_WALKTHROUGH_SEPARATE);

  read = wc_walkthrough_step_read_state (step, state);
  if (read != NULL && (record == NULL || record->value == NULL || state->taken_at >= record->at))
    return g_steal_pointer (&read);
  return record != NULL ? g_strdup (record->value) : NULL;
}

/**
 * wc_privacy_health_compute:
 * @records: (element-type WcPrivacyStepRecord) (nullable): the outcomes
 * @review: (nullable): the account's review
 * @state: (nullable): what the network last reported
 * @n_crosslinks: cross-link findings on this account, or -1 when unknown
 * @now: seconds since the epoch
 * @review_days: the review interval
 *
 * Returns: (transfer full): the account's privacy health
 */
WcPrivacyHealth *
wc_privacy_health_compute (WcWalkthrough         *walkthrough,
                           WcAccount             *account,
                           GPtrArray             *records,
                           const WcPrivacyReview *review,
                           const WcAccountState  *state,
                           int                    n_crosslinks,
                           gint64                 now,
                           guint                  review_days)
{
  WcPrivacyHealth *health = g_new0 (WcPrivacyHealth, 1);
  WcIdentityKind identity = wc_account_get_identity (account);
  gint64 latest_outcome = 0;

  g_return_val_if_fail (WC_IS_WALKTHROUGH (walkthrough), NULL);

  health->account_id = wc_account_get_id (account);
  health->n_steps = wc_walkthrough_get_n_steps (walkthrough);
  health->not_done = g_ptr_array_new_with_free_func (g_free);
  health->not_recommended = g_ptr_array_new_with_free_func (g_free);
  health->drifted = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < health->n_steps; i++)
    {
      const WcWalkthroughStep *step = wc_walkthrough_get_step (walkthrough, i);
      const WcPrivacyStepRecord *record = find_record (records, step->id);
      g_autofree char *current = wc_privacy_health_current_value (step, record, state, n_crosslinks);
      g_autofree char *read = wc_walkthrough_step_read_state (step, state);

      if (record != NULL)
        latest_outcome = MAX (latest_outcome, record->at);

      if (g_strcmp0 (current, wc_walkthrough_step_get_recommended (step, identity)) == 0)
        health->n_as_recommended++;
      else
        g_ptr_array_add (health->not_recommended, g_strdup (step->id));

      if (record == NULL || record->outcome == WC_PRIVACY_OUTCOME_SKIPPED)
        g_ptr_array_add (health->not_done, g_strdup (step->id));

      /* Drift: the network now reports something else than what was put in
       * place (or found in place) — changed by hand, by another app, or by
       * the network's own new defaults. */
      if (record != NULL && record->outcome != WC_PRIVACY_OUTCOME_SKIPPED && record->value != NULL
          && read != NULL && state->taken_at > record->at && g_strcmp0 (read, record->value) != 0)
        g_ptr_array_add (health->drifted, g_strdup (step->id));
    }

  if (review != NULL && review->finished_at > 0)
    health->last_review = review->finished_at;
  else
    health->last_review = latest_outcome;
  if (review != NULL && review->current_step != NULL && review->finished_at < review->started_at)
    health->resume_step = g_strdup (review->current_step);

  health->review_overdue = health->last_review > 0
                           && now - health->last_review > (gint64) review_days * 24 * 60 * 60;
  return health;
}

/**
 * wc_privacy_health_load:
 *
 * Returns: (transfer full) (nullable): the health of @account, or %NULL
 *   when its network has no walkthrough or the store cannot be read
 */
WcPrivacyHealth *
wc_privacy_health_load (WcStore    *store,
                        WcAccount  *account,
                        int         n_crosslinks,
                        gint64      now,
                        guint       review_days,
                        GError    **error)
{
  g_autoptr(WcWalkthrough) walkthrough = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(WcPrivacyReview) review = NULL;
  g_autoptr(WcAccountState) state = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id = wc_account_get_id (account);

  walkthrough = wc_walkthrough_load (wc_account_get_network (account), error);
  if (walkthrough == NULL)
    return NULL;
  records = wc_store_list_privacy_steps (store, id, error);
  if (records == NULL)
    return NULL;
  review = wc_store_load_privacy_review (store, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  state = wc_store_load_account_state (store, id, NULL);
  return wc_privacy_health_compute (walkthrough, account, records, review, state, n_crosslinks,
                                    now, review_days);
}

char *
wc_privacy_health_dup_score_text (const WcPrivacyHealth *health)
{
  g_return_val_if_fail (health != NULL, NULL);

  /* Translators: "7 of 9 settings as recommended" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u setting as recommended",
                                       "%u of %u settings as recommended", health->n_steps),
                          health->n_as_recommended, health->n_steps);
}

int
wc_privacy_health_compare (const WcPrivacyHealth *a,
                           const WcPrivacyHealth *b)
{
  /* Compare a.good / a.total with b.good / b.total without dividing. */
  guint64 left = (guint64) a->n_as_recommended * MAX (b->n_steps, 1);
  guint64 right = (guint64) b->n_as_recommended * MAX (a->n_steps, 1);

  if (left != right)
    return left < right ? -1 : 1;
  if (a->drifted->len != b->drifted->len)
    return a->drifted->len > b->drifted->len ? -1 : 1;
  if (a->last_review != b->last_review)
    return a->last_review < b->last_review ? -1 : 1;
  return (a->account_id > b->account_id) - (a->account_id < b->account_id);
}
