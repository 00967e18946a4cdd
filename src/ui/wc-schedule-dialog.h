/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-account.h"
#include "wc-checker.h"

G_BEGIN_DECLS

/* "Schedule…": a date and a time in the user's time zone, quick choices,
 * and where each target will be posted (on the server, by Whitecoat, or a
 * reminder). Responds "schedule" or "cancel"; the chosen time is
 * wc_schedule_dialog_get_due_at(). */

#define WC_TYPE_SCHEDULE_DIALOG (wc_schedule_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WcScheduleDialog, wc_schedule_dialog, WC, SCHEDULE_DIALOG, AdwMessageDialog)

typedef enum
{
  WC_ROUTE_SERVER,    /* the network holds it and publishes it */
  WC_ROUTE_LOCAL,     /* Whitecoat sends it, if it runs then */
  WC_ROUTE_REMINDER,  /* a manual network: the user posts it */
} WcRoute;

typedef enum
{
  WC_QUICK_IN_ONE_HOUR,
  WC_QUICK_TOMORROW_MORNING,
  WC_QUICK_NEXT_MONDAY,
} WcQuickChoice;

WcScheduleDialog *wc_schedule_dialog_new          (GtkWindow        *parent,
                                                   const char       *heading,
                                                   GPtrArray        *accounts,
                                                   GTimeZone        *tz,
                                                   gint64            now,
                                                   gint64            initial);
gint64            wc_schedule_dialog_get_due_at   (WcScheduleDialog *self);
void              wc_schedule_dialog_set_local    (WcScheduleDialog *self,
                                                   int               year,
                                                   int               month,
                                                   int               day,
                                                   int               hour,
                                                   int               minute);
void              wc_schedule_dialog_choose_quick (WcScheduleDialog *self,
                                                   WcQuickChoice     choice);
gboolean          wc_schedule_dialog_get_valid    (WcScheduleDialog *self);
const char       *wc_schedule_dialog_get_summary  (WcScheduleDialog *self);
void              wc_schedule_dialog_set_duty_hours (WcScheduleDialog  *self,
                                                     WcChecker         *checker,
                                                     WcIdentityKind     identity,
                                                     const WcDutyHours *duty);
WcFinding        *wc_schedule_dialog_get_finding  (WcScheduleDialog *self);
GtkWidget        *wc_schedule_dialog_get_finding_row (WcScheduleDialog *self);
GtkWidget        *wc_schedule_dialog_get_after_duty_button (WcScheduleDialog *self);

void              wc_duty_hours_from_settings     (GSettings        *settings,
                                                   WcDutyHours      *duty);

WcRoute           wc_route_for_account            (WcAccount        *account,
                                                   gint64            due_at,
                                                   gint64            now);
const char       *wc_route_describe               (WcRoute           route);
const char       *wc_route_describe_for_account   (WcAccount        *account,
                                                  WcRoute           route);
char             *wc_format_due_time              (GTimeZone        *tz,
                                                   gint64            due_at,
                                                   gint64            now);

G_END_DECLS
