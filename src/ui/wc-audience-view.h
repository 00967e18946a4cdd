/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-audience-rings.h"
#include "wc-draft-editor.h"

G_BEGIN_DECLS

/* "Who can see this": for every target account of the open draft, the
 * audience in one line, in a picture and as a plain list of rings with the
 * tagged people by name and what is not reached. It follows the editor:
 * visibility, targets, mentions and tags. */

#define WC_TYPE_AUDIENCE_VIEW (wc_audience_view_get_type ())
G_DECLARE_FINAL_TYPE (WcAudienceView, wc_audience_view, WC, AUDIENCE_VIEW, AdwBin)

GtkWidget       *wc_audience_view_new              (void);
void             wc_audience_view_set_application  (WcAudienceView *self,
                                                    WcApplication  *application);
void             wc_audience_view_set_editor       (WcAudienceView *self,
                                                    WcDraftEditor  *editor);
WcDraftEditor   *wc_audience_view_get_editor       (WcAudienceView *self);

/* For tests: what is shown, synchronously up to date. */
guint            wc_audience_view_get_n_sections   (WcAudienceView *self);
gint64           wc_audience_view_get_section_account (WcAudienceView *self,
                                                    guint           n);
WcAudienceRings *wc_audience_view_get_rings        (WcAudienceView *self,
                                                    gint64          account_id);
char            *wc_audience_view_dup_text         (WcAudienceView *self,
                                                    gint64          account_id);
GtkPopover      *wc_audience_view_get_tag_popover  (WcAudienceView *self,
                                                    gint64          account_id,
                                                    const char     *ref);

G_END_DECLS
