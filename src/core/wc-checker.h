/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-account.h"
#include "wc-draft.h"
#include "wc-finding.h"
#include "wc-identity.h"
#include "wc-image-inspector.h"
#include "wc-limits.h"
#include "wc-network-catalog.h"
#include "wc-roster.h"

G_BEGIN_DECLS

/* Duty hours, as Preferences keeps them (duty-start, duty-end, duty-days). */
typedef struct
{
  guint start;  /* minutes after midnight */
  guint end;    /* an end before the start: the duty runs past midnight */
  guint days;   /* bit 0 Monday … bit 6 Sunday, the days a duty starts on; 0 = none */
} WcDutyHours;

/* Everything a check may look at besides the draft's text. Every member may
 * be left empty (NULL or 0): the checks that need it then stay silent. */
typedef struct
{
  WcIdentityKind      identity;         /* the identity the draft is written as */
  WcIdentity         *own;              /* that identity, with its markers */
  WcIdentity         *other;            /* the other identity */
  GPtrArray          *other_accounts;   /* WcAccount of the other identity */
  GPtrArray          *targets;          /* WcNetworkInfo the draft goes to */
  const WcServerLimits *target_limits;  /* nullable; one per target: the server's own
                                         * limits, each member 0 for the network's default */
  const char         *content_warning;
  const char * const *other_texts;      /* drafts and scheduled posts of the other identity */
  GDateTime          *scheduled_at;     /* when it goes out: its scheduled time, or the time
                                         * now for a post that is not scheduled; read in its
                                         * own time zone, the one the duty hours are meant in */
  gboolean            posting_now;      /* scheduled_at is now: the post is not scheduled */
  WcDutyHours         duty;
  guint               n_images;         /* images attached to the draft */
  WcRosterMatcher    *roster;           /* the patient roster, when the user keeps one */
} WcCheckContext;

#define WC_CHECKER_ERROR (wc_checker_error_quark ())

typedef enum
{
  WC_CHECKER_ERROR_DEFINITIONS,
} WcCheckerError;

GQuark wc_checker_error_quark (void);

typedef struct
{
  const char *id;
  const char *title;    /* untranslated; translate with g_dgettext */
  const char *sources;
} WcRule;

#define WC_TYPE_CHECKER (wc_checker_get_type ())
G_DECLARE_FINAL_TYPE (WcChecker, wc_checker, WC, CHECKER, GObject)

WcChecker    *wc_checker_new              (GError          **error);
GPtrArray    *wc_checker_check_text       (WcChecker        *self,
                                           const WcCheckContext *context,
                                           const char       *text);
const WcRule *wc_checker_lookup_rule      (WcChecker        *self,
                                           const char       *rule_id);
gboolean      wc_checker_has_check        (WcChecker        *self,
                                           const char       *check_id);
WcFinding    *wc_checker_make_finding     (WcChecker        *self,
                                           const char       *check_id,
                                           gboolean          escalate,
                                           const char       *detail);
GPtrArray    *wc_checker_check_image      (WcChecker        *self,
                                           const WcImageReport *report,
                                           int               index,
                                           const WcAttachment *attachment);
WcSeverity    wc_findings_max_severity    (GPtrArray        *findings);
WcFinding    *wc_checker_check_timing     (WcChecker        *self,
                                           const WcCheckContext *context);

guint         wc_duty_days_from_strv      (const char * const *days);
gboolean      wc_duty_hours_contain       (const WcDutyHours *duty,
                                           GDateTime        *at);
GDateTime    *wc_duty_hours_get_end       (const WcDutyHours *duty,
                                           GDateTime        *at);

G_END_DECLS
