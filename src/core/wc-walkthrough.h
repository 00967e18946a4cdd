/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-account.h"
#include "wc-identity.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* The privacy walkthrough of one network, read from
 * data/walkthrough/<network>.json in the GResource: its steps, each with
 * why it matters, the rule it rests on, the value recommended for each
 * identity, how to read the current value and how to apply it. No step is
 * described in C code. */

#define WC_WALKTHROUGH_ERROR (wc_walkthrough_error_quark ())

typedef enum
{
  WC_WALKTHROUGH_ERROR_INVALID,
  WC_WALKTHROUGH_ERROR_UNKNOWN,
} WcWalkthroughError;

GQuark wc_walkthrough_error_quark (void);

/* How the current value of a setting is found. */
typedef enum
{
  WC_WALKTHROUGH_READ_API,        /* a field the network's API reports (WcAccountState) */
  WC_WALKTHROUGH_READ_ASK,        /* the user says what it is */
  WC_WALKTHROUGH_READ_CROSSLINK,  /* the cross-link audit of the profiles */
} WcWalkthroughRead;

/* How the recommended value is put in place. */
typedef enum
{
  WC_WALKTHROUGH_APPLY_API,            /* Whitecoat changes it through the API */
  WC_WALKTHROUGH_APPLY_SETTINGS_PAGE,  /* the user does, on the settings page */
} WcWalkthroughApply;

typedef struct
{
  char *id;
  char *label;  /* untranslated */
} WcWalkthroughValue;

typedef struct
{
  char               *id;
  char               *title;   /* untranslated: the setting as the network names it */
  char               *where;   /* untranslated: where it is in the network's settings */
  char               *why;     /* untranslated */
  char               *rule;    /* "R8" */
  GPtrArray          *values;  /* of WcWalkthroughValue */
  char               *recommended[WC_N_IDENTITIES];
  WcWalkthroughRead   read;
  char               *read_field;   /* READ_API: "locked", "noindex" … */
  gboolean            read_invert;  /* READ_API: the setting is the field's opposite */
  WcWalkthroughApply  apply;
  char               *apply_field;  /* APPLY_API */
  char               *apply_url;    /* APPLY_SETTINGS_PAGE; may hold {server}, {handle}, {url} */
  char               *confirm_to;   /* nullable: changing to this value asks first */
  char               *confirm_title;
  char               *confirm_body;
} WcWalkthroughStep;

/* Values of boolean settings. */
#define WC_WALKTHROUGH_ON        "on"
#define WC_WALKTHROUGH_OFF       "off"
/* Values of cross-link steps. */
#define WC_WALKTHROUGH_SEPARATE  "separate"
#define WC_WALKTHROUGH_LINKED    "linked"

const char *wc_walkthrough_step_get_recommended  (const WcWalkthroughStep *step,
                                                  WcIdentityKind           identity);
const WcWalkthroughValue *wc_walkthrough_step_lookup_value (const WcWalkthroughStep *step,
                                                  const char              *value_id);
/* The value's label, translated; the id itself when the step has no such value. */
const char *wc_walkthrough_step_get_value_label  (const WcWalkthroughStep *step,
                                                  const char              *value_id);
const char *wc_walkthrough_step_get_title        (const WcWalkthroughStep *step);
const char *wc_walkthrough_step_get_why          (const WcWalkthroughStep *step);
const char *wc_walkthrough_step_get_where        (const WcWalkthroughStep *step);
/* The current value from what the API reported, or NULL when the step is
 * not read through the API or @state does not know it. */
char       *wc_walkthrough_step_read_state       (const WcWalkthroughStep *step,
                                                  const WcAccountState    *state);
/* Whether changing from @current to @target needs a warning first. */
gboolean    wc_walkthrough_step_needs_confirm    (const WcWalkthroughStep *step,
                                                  const char              *current,
                                                  const char              *target);

/* A rule the steps rest on (../shared/GUIDELINES.md). */
typedef struct
{
  const char *id;
  const char *title;    /* untranslated */
  const char *sources;
} WcWalkthroughRule;

const WcWalkthroughRule *wc_walkthrough_lookup_rule (const char *rule_id);
const char *wc_walkthrough_rule_get_title (const WcWalkthroughRule *rule);

#define WC_TYPE_WALKTHROUGH (wc_walkthrough_get_type ())
G_DECLARE_FINAL_TYPE (WcWalkthrough, wc_walkthrough, WC, WALKTHROUGH, GObject)

WcWalkthrough *wc_walkthrough_new_from_json     (const char    *json,
                                                 gssize         length,
                                                 GError       **error);
/* From the GResource; the result is shared, do not change it. */
WcWalkthrough *wc_walkthrough_load              (const char    *network_id,
                                                 GError       **error);
const char    *wc_walkthrough_get_network       (WcWalkthrough *self);
const char    *wc_walkthrough_get_settings_url  (WcWalkthrough *self);
guint          wc_walkthrough_get_n_steps       (WcWalkthrough *self);
const WcWalkthroughStep *wc_walkthrough_get_step (WcWalkthrough *self,
                                                 guint          index);
/* The index of the step, or -1. */
int            wc_walkthrough_find_step         (WcWalkthrough *self,
                                                 const char    *step_id);
/* @template with {server} (the server's host), {handle} (without a leading
 * @ and without the server) and {url} (the profile address) of @account. */
char          *wc_walkthrough_expand_url        (const char    *template_,
                                                 WcAccount     *account);

G_END_DECLS
