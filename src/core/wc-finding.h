/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a check says about a draft: an id from data/checks/checks.json, a
 * severity, a message, the byte spans of the text it concerns, the rule of
 * ../shared/GUIDELINES.md it rests on, and the ways to resolve it. */

typedef enum
{
  WC_SEVERITY_INFO,
  WC_SEVERITY_WARNING,
  WC_SEVERITY_BLOCKER,
} WcSeverity;

typedef enum /*< flags >*/
{
  WC_RESOLUTION_NONE            = 0,
  WC_RESOLUTION_EDIT            = 1 << 0,
  WC_RESOLUTION_REMOVE_IMAGE    = 1 << 1,
  WC_RESOLUTION_STRIP_METADATA  = 1 << 2,
  WC_RESOLUTION_RECORD_CONSENT  = 1 << 3,
  WC_RESOLUTION_RECORD_SOURCE   = 1 << 4,
  WC_RESOLUTION_MOVE_IDENTITY   = 1 << 5,
  WC_RESOLUTION_DISMISS         = 1 << 6,
} WcResolutions;

/* A stretch of the draft's text, in UTF-8 byte offsets: [start, end). */
typedef struct
{
  gsize start;
  gsize end;
} WcSpan;

/* What a detector reports before the checker dresses it as a finding:
 * @check_id is a static string naming a check in data/checks/checks.json;
 * @escalate raises the check's severity one step (e.g. a rare condition
 * named together with a date and the user's own hospital). */
typedef struct
{
  const char *check_id;
  WcSpan      span;
  gboolean    escalate;
} WcHit;

const char *wc_severity_to_string   (WcSeverity  severity);
gboolean    wc_severity_from_string (const char *str,
                                     WcSeverity *severity);

typedef struct _WcFinding WcFinding;

#define WC_TYPE_FINDING (wc_finding_get_type ())
GType          wc_finding_get_type        (void) G_GNUC_CONST;
WcFinding     *wc_finding_new             (const char    *id,
                                           WcSeverity     severity,
                                           const char    *message);
WcFinding     *wc_finding_ref             (WcFinding     *self);
void           wc_finding_unref           (WcFinding     *self);
const char    *wc_finding_get_id          (const WcFinding *self);
WcSeverity     wc_finding_get_severity    (const WcFinding *self);
const char    *wc_finding_get_message     (const WcFinding *self);
const char    *wc_finding_get_rule        (const WcFinding *self);
void           wc_finding_set_rule        (WcFinding     *self,
                                           const char    *rule);
WcResolutions  wc_finding_get_resolutions (const WcFinding *self);
void           wc_finding_set_resolutions (WcFinding     *self,
                                           WcResolutions  resolutions);
void           wc_finding_add_span        (WcFinding     *self,
                                           gsize          start,
                                           gsize          end);
const WcSpan  *wc_finding_get_spans       (const WcFinding *self,
                                           guint         *n_spans);
int            wc_finding_get_attachment  (const WcFinding *self);
void           wc_finding_set_attachment  (WcFinding     *self,
                                           int            index);
int            wc_finding_compare         (const WcFinding *a,
                                           const WcFinding *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcFinding, wc_finding_unref)

G_END_DECLS
