/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

/* The privacy walkthrough: one step per page for each account in turn, the
 * current value beside the recommended one, "Apply" where the network's API
 * allows it (with the server's answer shown, and a warning before a
 * Mastodon account is unlocked), "Open Settings Page" with "I Have Done
 * This" or "Skip" elsewhere. Every outcome is stored with its date and
 * audited; closing keeps the place, and the next walkthrough resumes there.
 *
 * Actions (for the buttons and for tests): walkthrough.apply,
 * walkthrough.done, walkthrough.skip, walkthrough.next, walkthrough.back,
 * walkthrough.open-settings. */

#define WC_TYPE_WALKTHROUGH_DIALOG (wc_walkthrough_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcWalkthroughDialog, wc_walkthrough_dialog, WC, WALKTHROUGH_DIALOG, AdwWindow)

/* @accounts (element-type WcAccount): reviewed in this order.
 * @crosslinks (nullable): account id (gint64 *) → number of cross-link
 * findings (GUINT_TO_POINTER), for the steps the audit answers. */
WcWalkthroughDialog *wc_walkthrough_dialog_new              (WcApplication       *application,
                                                             GtkWindow           *parent,
                                                             GPtrArray           *accounts,
                                                             GHashTable          *crosslinks);
WcAccount           *wc_walkthrough_dialog_get_account      (WcWalkthroughDialog *self);
/* NULL on the closing page. */
const char          *wc_walkthrough_dialog_get_step_id      (WcWalkthroughDialog *self);
guint                wc_walkthrough_dialog_get_step_index   (WcWalkthroughDialog *self);
/* Reading or applying through the network ("notify::busy"). */
gboolean             wc_walkthrough_dialog_get_busy         (WcWalkthroughDialog *self);
/* The current value as shown (a value id), or NULL when unknown. */
const char          *wc_walkthrough_dialog_get_current_value (WcWalkthroughDialog *self);
/* What the server answered to "Apply", or the error, as shown. */
const char          *wc_walkthrough_dialog_get_answer       (WcWalkthroughDialog *self);
gboolean             wc_walkthrough_dialog_get_finished     (WcWalkthroughDialog *self);

G_END_DECLS
