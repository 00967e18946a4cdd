/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-store.h"

G_BEGIN_DECLS

/* The outcomes of the privacy walkthrough (tables privacy_steps and
 * privacy_reviews): per account and step what happened and when, and where
 * a review stands. Every outcome is written to the audit log as well. */

typedef enum
{
  WC_PRIVACY_OUTCOME_APPLIED,         /* Whitecoat applied it through the API */
  WC_PRIVACY_OUTCOME_DONE,            /* the user did it on the settings page */
  WC_PRIVACY_OUTCOME_SKIPPED,         /* the user left it as it is */
  WC_PRIVACY_OUTCOME_AS_RECOMMENDED,  /* it already had the recommended value */
} WcPrivacyOutcome;

const char *wc_privacy_outcome_to_string   (WcPrivacyOutcome  outcome);
gboolean    wc_privacy_outcome_from_string (const char       *str,
                                            WcPrivacyOutcome *outcome);

typedef struct
{
  char             *step_id;
  WcPrivacyOutcome  outcome;
  char             *value;   /* what the setting is now, as far as known; nullable */
  gint64            at;      /* seconds since the epoch */
} WcPrivacyStepRecord;

void wc_privacy_step_record_free (WcPrivacyStepRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcPrivacyStepRecord, wc_privacy_step_record_free)

typedef struct
{
  gint64  account_id;
  char   *current_step;  /* where to resume; NULL when not under way */
  gint64  started_at;    /* 0 = never */
  gint64  finished_at;   /* 0 = never finished */
} WcPrivacyReview;

void wc_privacy_review_free (WcPrivacyReview *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcPrivacyReview, wc_privacy_review_free)

/* Records the outcome of one step (replacing an earlier one) and appends
 * @audit_summary to the audit log, in one transaction. @at 0 means now. */
gboolean         wc_store_record_privacy_step   (WcStore          *self,
                                                 WcAccount        *account,
                                                 const char       *step_id,
                                                 WcPrivacyOutcome  outcome,
                                                 const char       *value,
                                                 gint64            at,
                                                 const char       *audit_summary,
                                                 GError          **error);
/* Returns: (element-type WcPrivacyStepRecord): the account's outcomes */
GPtrArray       *wc_store_list_privacy_steps    (WcStore          *self,
                                                 gint64            account_id,
                                                 GError          **error);
gboolean         wc_store_save_privacy_review   (WcStore          *self,
                                                 const WcPrivacyReview *review,
                                                 GError          **error);
/* Returns: (nullable): the review, or NULL (without an error) when the
 * account was never reviewed */
WcPrivacyReview *wc_store_load_privacy_review   (WcStore          *self,
                                                 gint64            account_id,
                                                 GError          **error);

G_END_DECLS
