/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-walkthrough-dialog.h"

G_BEGIN_DECLS

/* The Privacy view: every account, worst first, with its score ("7 of 9
 * settings as recommended"), the steps not done and the date of its last
 * review; "Review All Accounts"; a banner that offers the walkthrough for
 * accounts never reviewed; and the cross-link audit's findings with how to
 * fix each. After the first frame and then daily it reads the settings of
 * connected accounts, and sends a notification when a review is overdue or
 * a setting drifted.
 *
 * Actions: privacy.review-all, privacy.review-unreviewed, privacy.check,
 * privacy.review-account (x: an account id), privacy.fix-finding (u: the
 * index of a cross-link finding that can be fixed through the API: reads
 * the profile, shows the change and sends it only on "Remove"),
 * privacy.open-settings (s: a settings page address). */

#define WC_TYPE_PRIVACY_VIEW (wc_privacy_view_get_type ())
G_DECLARE_FINAL_TYPE (WcPrivacyView, wc_privacy_view, WC, PRIVACY_VIEW, GtkWidget)

void        wc_privacy_view_set_application (WcPrivacyView *self,
                                             WcApplication *application);
/* Reads the stored outcomes and states again and runs the audit. */
void        wc_privacy_view_reload          (WcPrivacyView *self);
/* Reads connected accounts' settings and profiles from their networks,
 * then reloads and notifies; "notify::checking" says when it is done. */
void        wc_privacy_view_check_now       (WcPrivacyView *self);
gboolean    wc_privacy_view_get_checking    (WcPrivacyView *self);
/* Opens the walkthrough for @accounts (element-type WcAccount). */
WcWalkthroughDialog *wc_privacy_view_open_walkthrough (WcPrivacyView *self,
                                                       GPtrArray     *accounts);

/* For tests: the account ids in the order shown, the findings shown, and
 * whether the banner for accounts never reviewed is shown. */
GArray     *wc_privacy_view_dup_account_order (WcPrivacyView *self);
const char *wc_privacy_view_get_account_summary (WcPrivacyView *self,
                                                 gint64         account_id);
GPtrArray  *wc_privacy_view_get_findings    (WcPrivacyView *self);
gboolean    wc_privacy_view_get_banner_visible (WcPrivacyView *self);
/* The text of the last notification sent, or NULL. */
const char *wc_privacy_view_get_last_notification (WcPrivacyView *self);
/* Whether a fix is under way ("notify::fixing"), and its confirmation
 * while it is shown. */
gboolean    wc_privacy_view_get_fixing      (WcPrivacyView *self);
AdwMessageDialog *wc_privacy_view_get_fix_dialog (WcPrivacyView *self);

G_END_DECLS
