/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-scheduler.h"
#include "wc-week-view.h"

G_BEGIN_DECLS

/* The Scheduled view: the outbox as a list grouped by day (a GtkListView
 * over the scheduler's model, with a day row wherever the day changes) or
 * as a drawn week; each entry with its identity's colour, network, time,
 * state and audience, and what can be done with it. */

#define WC_TYPE_SCHEDULED_VIEW (wc_scheduled_view_get_type ())
G_DECLARE_FINAL_TYPE (WcScheduledView, wc_scheduled_view, WC, SCHEDULED_VIEW, AdwBin)

GtkWidget   *wc_scheduled_view_new             (void);
void         wc_scheduled_view_set_application (WcScheduledView *self,
                                                WcApplication   *application);
/* Normally the application's; tests and benchmarks may give their own. */
void         wc_scheduled_view_set_scheduler   (WcScheduledView *self,
                                                WcScheduler     *scheduler);
WcScheduler *wc_scheduled_view_get_scheduler   (WcScheduledView *self);

/* "list" or "week" */
void         wc_scheduled_view_set_mode        (WcScheduledView *self,
                                                const char      *mode);
const char  *wc_scheduled_view_get_mode        (WcScheduledView *self);

/* For tests and benchmarks. */
GtkListView *wc_scheduled_view_get_list_view   (WcScheduledView *self);
WcWeekView  *wc_scheduled_view_get_week_view   (WcScheduledView *self);
/* The rows of the list: day headings and entries. */
GListModel  *wc_scheduled_view_get_rows        (WcScheduledView *self);
/* The day heading of a row that is one, else NULL. */
const char  *wc_scheduled_view_get_row_heading (WcScheduledView *self,
                                                guint            position);
/* The entry a row widget of the list shows, or NULL (a day heading). */
WcOutboxEntry *wc_scheduled_view_get_row_entry (GtkWidget      *row);
/* The text of the rows the list view made and shows. */
char        *wc_scheduled_view_dup_shown_text  (WcScheduledView *self);
/* What the view does with an entry, as its row's menu does. */
gboolean     wc_scheduled_view_cancel_entry    (WcScheduledView *self,
                                                WcOutboxEntry   *entry);
AdwToast    *wc_scheduled_view_get_undo_toast  (WcScheduledView *self);

G_END_DECLS
