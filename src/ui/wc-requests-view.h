/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-screening.h"
#include "wc-store-requests.h"

G_BEGIN_DECLS

/* The Requests view: one inbox of follow requests for every account,
 * personal accounts first, each screened (wc-screening) with its signals;
 * a banner citing rule R2 and a notification when a request on a personal
 * account looks like a patient; the answers (accept, decline, decline and
 * point to the professional account, block, tag), each written to the
 * audit log; a check of a name typed by hand for networks Whitecoat cannot
 * read; and a review of the followers of personal accounts. Nothing is
 * ever answered without the user's click. */

#define WC_TYPE_REQUESTS_VIEW (wc_requests_view_get_type ())
G_DECLARE_FINAL_TYPE (WcRequestsView, wc_requests_view, WC, REQUESTS_VIEW, AdwBin)

GtkWidget   *wc_requests_view_new                  (void);
void         wc_requests_view_set_application      (WcRequestsView  *self,
                                                    WcApplication   *application);
/* Checks every account for requests now (also the refresh button). */
void         wc_requests_view_refresh              (WcRequestsView  *self);
/* Whether a refresh, a review or an answer is under way. */
gboolean     wc_requests_view_get_busy             (WcRequestsView  *self);
/* Whether a personal account can have requests, so that polling runs. */
gboolean     wc_requests_view_get_polling          (WcRequestsView  *self);

/* The requests as listed (personal first), for tests. */
guint        wc_requests_view_get_n_requests       (WcRequestsView  *self);
const char  *wc_requests_view_get_request_handle   (WcRequestsView  *self,
                                                    guint            index);
WcScreening *wc_requests_view_get_request_screening (WcRequestsView *self,
                                                    guint            index);
gboolean     wc_requests_view_get_banner_visible   (WcRequestsView  *self);
const char  *wc_requests_view_get_banner_text      (WcRequestsView  *self);
guint        wc_requests_view_get_n_notifications  (WcRequestsView  *self);
const char  *wc_requests_view_get_status_text      (WcRequestsView  *self);

/* What the answer buttons do once the user has confirmed. @message is the
 * private message of %WC_REQUEST_ANSWER_DECLINE_AND_POINT (NULL: none). */
void         wc_requests_view_answer               (WcRequestsView  *self,
                                                    guint            index,
                                                    WcRequestAnswer  answer,
                                                    const char      *message);
/* The template of that message, in the user's language. */
char        *wc_requests_view_dup_point_message    (WcRequestsView  *self,
                                                    guint            index);
/* Opens the dialog the "Decline and point…" button opens. */
GtkWindow   *wc_requests_view_open_point_dialog    (WcRequestsView  *self,
                                                    guint            index);

/* The manual check ("Someone asked on Facebook…"). */
void         wc_requests_view_check_typed          (WcRequestsView  *self,
                                                    const char      *network_id,
                                                    const char      *typed);
WcScreening *wc_requests_view_get_manual_screening (WcRequestsView  *self);
void         wc_requests_view_tag_manual           (WcRequestsView  *self,
                                                    WcRequestAnswer  answer);

/* Review followers of personal accounts. */
void         wc_requests_view_review_followers     (WcRequestsView  *self);
guint        wc_requests_view_get_n_review         (WcRequestsView  *self);
const char  *wc_requests_view_get_review_handle    (WcRequestsView  *self,
                                                    guint            index);
void         wc_requests_view_answer_review        (WcRequestsView  *self,
                                                    guint            index,
                                                    WcRequestAnswer  answer);

G_END_DECLS
