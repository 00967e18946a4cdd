/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-clock.h"
#include "wc-draft.h"
#include "wc-network.h"
#include "wc-outbox.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* The scheduler posts the outbox's entries once, on time, where intended:
 * on the server when the network can schedule and the time is at least
 * WC_SCHEDULER_SERVER_MIN_LEAD ahead, by Whitecoat otherwise, and by a
 * reminder for manual networks. It never posts late in silence: an entry
 * overdue by more than the hold limit is held for the user. */

#define WC_SCHEDULER_SERVER_MIN_LEAD (5 * 60)  /* seconds */

#define WC_TYPE_SCHEDULER (wc_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (WcScheduler, wc_scheduler, WC, SCHEDULER, GObject)

/* Signals:
 *   "entry-sent"      (WcOutboxEntry *entry)
 *   "entry-failed"    (WcOutboxEntry *entry)   reason in the entry
 *   "entry-held"      (WcOutboxEntry *entry)
 *   "reminder"        (WcOutboxEntry *entry)   a manual network's post is due
 * Properties:
 *   "has-local-work"  gboolean: something waits for Whitecoat itself to send
 *                     or remind; the application stays in the background
 *                     while it is TRUE
 *   "hold-after"      gint64 seconds overdue before an entry is held (default 3600)
 */

WcScheduler *wc_scheduler_new                (WcStore        *store,
                                              WcClock        *clock);
/* Reconciles entries left in "sending" with their servers, then arms the
 * timers. Call once. */
void         wc_scheduler_start              (WcScheduler    *self);
void         wc_scheduler_stop               (WcScheduler    *self);

/* Every entry not cancelled, as WcOutboxEntry, ordered by due time; the
 * same objects are updated in place when their state changes. */
GListModel  *wc_scheduler_get_entries        (WcScheduler    *self);
GPtrArray   *wc_scheduler_list_for_draft     (WcScheduler    *self,
                                              gint64          draft_id);
gboolean     wc_scheduler_get_has_local_work (WcScheduler    *self);
void         wc_scheduler_set_hold_after     (WcScheduler    *self,
                                              gint64          seconds);

/* One entry per target of @draft, due at @due_at (UTC seconds; 0 = now).
 * The caller has run the checks: blockers stop before this. */
gboolean     wc_scheduler_schedule_draft     (WcScheduler    *self,
                                              WcDraft        *draft,
                                              gint64          due_at,
                                              GError        **error);
/* Gives the draft's not yet sent entries the draft's current content. */
gboolean     wc_scheduler_update_content     (WcScheduler    *self,
                                              WcDraft        *draft,
                                              GError        **error);
gboolean     wc_scheduler_post_now           (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              GError        **error);
gboolean     wc_scheduler_reschedule         (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              gint64          due_at,
                                              GError        **error);
gboolean     wc_scheduler_cancel             (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              GError        **error);
/* Undo of a cancel: back to what it was, at its due time (held when that
 * has passed). */
gboolean     wc_scheduler_uncancel           (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              GError        **error);
gboolean     wc_scheduler_retry              (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              GError        **error);
/* Manual networks: the user posted it by hand, or wants it again later. */
gboolean     wc_scheduler_mark_done          (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              GError        **error);
gboolean     wc_scheduler_snooze             (WcScheduler    *self,
                                              WcOutboxEntry  *entry,
                                              gint64          seconds,
                                              GError        **error);

/* Added by the implementation (H2). */

/* Uses @network for @account_id instead of opening a connection through
 * wc_connection_open_async() (tests: a client with a short timeout). */
void         wc_scheduler_set_network        (WcScheduler    *self,
                                              gint64          account_id,
                                              WcNetwork      *network);
gint64       wc_scheduler_get_hold_after     (WcScheduler    *self);
/* Whether an operation on a server is under way (tests wait for it). */
gboolean     wc_scheduler_is_busy            (WcScheduler    *self);
WcOutboxEntry *wc_scheduler_lookup           (WcScheduler    *self,
                                              gint64          entry_id);

G_END_DECLS
