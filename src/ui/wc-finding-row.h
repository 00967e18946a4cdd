/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-checker.h"
#include "wc-finding.h"
#include "wc-identity.h"

G_BEGIN_DECLS

#define WC_TYPE_FINDING_ROW (wc_finding_row_get_type ())
G_DECLARE_FINAL_TYPE (WcFindingRow, wc_finding_row, WC, FINDING_ROW, GtkListBoxRow)

GtkWidget  *wc_finding_row_new          (WcFinding      *finding,
                                         const WcRule   *rule,
                                         guint           position,
                                         WcIdentityKind  identity,
                                         const char     *image_name);
WcFinding  *wc_finding_row_get_finding  (WcFindingRow   *self);
gboolean    wc_finding_row_matches      (WcFindingRow   *self,
                                         WcFinding      *finding,
                                         WcIdentityKind  identity,
                                         const char     *image_name);
void        wc_finding_row_set_finding  (WcFindingRow   *self,
                                         WcFinding      *finding);
const char *wc_finding_row_get_severity_text (WcFindingRow *self);
const char *wc_finding_row_get_rule_text     (WcFindingRow *self);
GtkWidget  *wc_finding_row_get_button   (WcFindingRow   *self,
                                         WcResolutions   resolution);

G_END_DECLS
