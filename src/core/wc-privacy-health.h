/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-store-privacy.h"
#include "wc-walkthrough.h"

G_BEGIN_DECLS

/* How an account's privacy settings stand against the walkthrough: how many
 * settings have the recommended value, which steps are not done, when the
 * account was last reviewed, whether that is too long ago, and which
 * settings read through the API have drifted from what was applied. A pure
 * function of the definitions, the stored outcomes and the last state the
 * network reported. */

#define WC_PRIVACY_DEFAULT_REVIEW_DAYS 180

typedef struct
{
  gint64      account_id;
  guint       n_steps;
  guint       n_as_recommended;
  GPtrArray  *not_done;        /* of char *: step ids with no outcome or skipped */
  GPtrArray  *not_recommended; /* of char *: step ids whose known value differs */
  GPtrArray  *drifted;         /* of char *: step ids whose value read differs from the one applied */
  gint64      last_review;     /* seconds since the epoch; 0 = never */
  gboolean    review_overdue;
  char       *resume_step;     /* nullable: where an unfinished review stopped */
} WcPrivacyHealth;

void wc_privacy_health_free (WcPrivacyHealth *health);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcPrivacyHealth, wc_privacy_health_free)

/* The value a step has now, as far as Whitecoat knows: the network's own
 * report when it is newer than the outcome, else the outcome's value. For a
 * cross-link step @n_crosslinks (>= 0) decides; -1 means unknown. */
char *wc_privacy_health_current_value (const WcWalkthroughStep   *step,
                                       const WcPrivacyStepRecord *record,
                                       const WcAccountState      *state,
                                       int                        n_crosslinks);

WcPrivacyHealth *wc_privacy_health_compute (WcWalkthrough         *walkthrough,
                                            WcAccount             *account,
                                            GPtrArray             *records,
                                            const WcPrivacyReview *review,
                                            const WcAccountState  *state,
                                            int                    n_crosslinks,
                                            gint64                 now,
                                            guint                  review_days);
/* Reads the outcomes, the review and the state from @store. */
WcPrivacyHealth *wc_privacy_health_load    (WcStore               *store,
                                            WcAccount             *account,
                                            int                    n_crosslinks,
                                            gint64                 now,
                                            guint                  review_days,
                                            GError               **error);
/* "7 of 9 settings as recommended", translated. */
char            *wc_privacy_health_dup_score_text (const WcPrivacyHealth *health);
/* Worst first: lowest share as recommended, drift, never reviewed. */
int              wc_privacy_health_compare (const WcPrivacyHealth *a,
                                            const WcPrivacyHealth *b);

G_END_DECLS
