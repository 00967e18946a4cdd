/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-draft-editor.h"

G_BEGIN_DECLS

#define WC_TYPE_COMPOSER (wc_composer_get_type ())
G_DECLARE_FINAL_TYPE (WcComposer, wc_composer, WC, COMPOSER, AdwBin)

GtkWidget     *wc_composer_new                 (void);
WcApplication *wc_composer_get_application     (WcComposer    *self);
void           wc_composer_set_application     (WcComposer    *self,
                                                WcApplication *application);
WcDraftEditor *wc_composer_get_editor          (WcComposer    *self);
gboolean       wc_composer_add_file            (WcComposer    *self,
                                                GFile         *file,
                                                GError       **error);

/* The side panel beside (or below) the text: the checks come first; later
 * views, such as the audience preview, are appended to it. */
GtkBox        *wc_composer_get_side_panel      (WcComposer    *self);

/* For tests and benchmarks: the widgets the user works with. */
GtkTextView   *wc_composer_get_text_view       (WcComposer    *self);
GtkEntry      *wc_composer_get_content_warning_entry (WcComposer *self);
GtkListBox    *wc_composer_get_findings_list   (WcComposer    *self);
GtkListBox    *wc_composer_get_attachments_list (WcComposer   *self);
GtkFlowBox    *wc_composer_get_targets_box     (WcComposer    *self);
GtkListBox    *wc_composer_get_visibility_list (WcComposer    *self);
/* Who may reply (items in WcReplyPolicy order; shown for Bluesky targets)
 * and the language (items as in wc_composer_get_language_code()). */
AdwComboRow   *wc_composer_get_reply_row       (WcComposer    *self);
AdwComboRow   *wc_composer_get_language_row    (WcComposer    *self);
const char    *wc_composer_get_language_code   (WcComposer    *self,
                                                guint          position);
GtkLabel      *wc_composer_get_counter         (WcComposer    *self,
                                                const char    *network);
guint          wc_composer_get_n_drafts        (WcComposer    *self);
gint64         wc_composer_get_nth_draft_id    (WcComposer    *self,
                                                guint          n);
gboolean       wc_composer_get_side_by_side    (WcComposer    *self);
/* The bar that says the drafts are locked (shown until the keyring gave
 * their key) with its Retry button (composer.retry-unlock). */
GtkWidget     *wc_composer_get_lock_box        (WcComposer    *self);

G_END_DECLS
