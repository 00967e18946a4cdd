/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "wc-outbox.h"

G_BEGIN_DECLS

/* Seven columns, Monday first, with the week's outbox entries drawn as
 * chips in their identity's colour, in time order. Signal
 * "entry-activated" (WcOutboxEntry *) when a chip is clicked. */

#define WC_TYPE_WEEK_VIEW (wc_week_view_get_type ())
G_DECLARE_FINAL_TYPE (WcWeekView, wc_week_view, WC, WEEK_VIEW, GtkWidget)

GtkWidget     *wc_week_view_new            (void);
void           wc_week_view_set_model      (WcWeekView  *self,
                                            GListModel  *entries);
void           wc_week_view_set_colors     (WcWeekView  *self,
                                            const char  *personal,
                                            const char  *professional);
void           wc_week_view_set_now        (WcWeekView  *self,
                                            gint64       now);
/* The Monday of the week shown, local midnight as UTC seconds. */
gint64         wc_week_view_get_week_start (WcWeekView  *self);
void           wc_week_view_show_week_of   (WcWeekView  *self,
                                            gint64       utc);
void           wc_week_view_move           (WcWeekView  *self,
                                            int          weeks);
char          *wc_week_view_dup_title      (WcWeekView  *self);
/* The entries drawn in column @day (0 = Monday). */
guint          wc_week_view_get_n_in_day   (WcWeekView  *self,
                                            guint        day);
WcOutboxEntry *wc_week_view_get_entry      (WcWeekView  *self,
                                            guint        day,
                                            guint        n);

G_END_DECLS
