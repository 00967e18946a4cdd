/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "wc-audience.h"

G_BEGIN_DECLS

/* The picture of an audience: nested rings, the narrowest innermost; the
 * rings the post reaches filled with the identity's colour, the others
 * outlined (dashed where unknown); tagged people as dots of their tag's
 * colour inside their ring; a legend below. Screen readers get the same in
 * words. */

#define WC_TYPE_AUDIENCE_RINGS (wc_audience_rings_get_type ())
G_DECLARE_FINAL_TYPE (WcAudienceRings, wc_audience_rings, WC, AUDIENCE_RINGS, GtkWidget)

GtkWidget  *wc_audience_rings_new             (void);
WcAudience *wc_audience_rings_get_audience    (WcAudienceRings *self);
void        wc_audience_rings_set_audience    (WcAudienceRings *self,
                                               WcAudience      *audience);
void        wc_audience_rings_set_accent      (WcAudienceRings *self,
                                               const GdkRGBA   *accent);
/* What screen readers are told: the summary, and every ring in words. */
const char *wc_audience_rings_get_label       (WcAudienceRings *self);
const char *wc_audience_rings_get_description (WcAudienceRings *self);

/* The colour of a tag, for light or dark backgrounds. */
void        wc_person_tag_get_color           (WcPersonTag      tag,
                                               gboolean         dark,
                                               GdkRGBA         *color);
/* A small swatch of a tag's colour, or of a ring's reach. */
GtkWidget  *wc_tag_swatch_new                 (WcPersonTag      tag);
GtkWidget  *wc_reach_swatch_new               (WcReach          reach,
                                               const GdkRGBA   *accent);

G_END_DECLS
