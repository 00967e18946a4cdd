/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

/* The activity log: every audit entry (publishes, overrides with their
 * reasons, consent records, answered requests, changed privacy settings),
 * filtered by identity, account, kind and date, exported as CSV or JSON. */

#define WC_TYPE_AUDIT_VIEW (wc_audit_view_get_type ())
G_DECLARE_FINAL_TYPE (WcAuditView, wc_audit_view, WC, AUDIT_VIEW, AdwWindow)

typedef enum
{
  WC_AUDIT_PERIOD_ANY,
  WC_AUDIT_PERIOD_TODAY,
  WC_AUDIT_PERIOD_WEEK,
  WC_AUDIT_PERIOD_MONTH,
  WC_AUDIT_PERIOD_YEAR,
} WcAuditPeriod;

WcAuditView *wc_audit_view_new             (WcApplication  *application,
                                            GtkWindow      *parent);
void         wc_audit_view_reload          (WcAuditView    *self);
/* Filters; -1 / NULL / WC_AUDIT_PERIOD_ANY for all. */
void         wc_audit_view_set_filter      (WcAuditView    *self,
                                            int             identity,
                                            gint64          account_id,
                                            const char     *kind,
                                            WcAuditPeriod   period);
guint        wc_audit_view_get_n_shown     (WcAuditView    *self);
gboolean     wc_audit_view_export_csv      (WcAuditView    *self,
                                            GFile          *file,
                                            GError        **error);
gboolean     wc_audit_view_export_json     (WcAuditView    *self,
                                            GFile          *file,
                                            GError        **error);

G_END_DECLS
