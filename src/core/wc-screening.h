/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-identity.h"
#include "wc-person.h"
#include "wc-snapshot.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* Screening a follow or friend request: does the person who asks look like
 * a patient? Rule R2 (GUIDELINES.md): do not accept patients on personal
 * accounts; decline and point them to the professional presence.
 *
 * A WcScreener holds what the doctor told Whitecoat — the patient roster
 * and person tags (keyed hashes only), the professional markers, who
 * follows the professional accounts — and screens one person at a time.
 * Every signal comes with a translated reason that never repeats the
 * person's name; the verdict is worded for people. Nothing here reaches a
 * network or writes to the store. */

typedef enum
{
  WC_SCREENING_NO_SIGN,     /* "No sign of a patient" */
  WC_SCREENING_MAY_BE,      /* "May be a patient" */
  WC_SCREENING_LOOKS_LIKE,  /* "Looks like a patient" */
} WcScreeningVerdict;

/* How much a signal says. A strong signal alone makes "Looks like"; so do
 * two medium ones; one medium makes "May be". Weak signals are shown but
 * never change the verdict. A "clear" signal is the doctor's own word: "not
 * a patient" wins over everything; a colleague, family, employer or press
 * tag wins over the medium signals but not over the roster. */
typedef enum
{
  WC_SIGNAL_STRENGTH_CLEAR,
  WC_SIGNAL_STRENGTH_WEAK,
  WC_SIGNAL_STRENGTH_MEDIUM,
  WC_SIGNAL_STRENGTH_STRONG,
} WcSignalStrength;

typedef enum
{
  WC_SIGNAL_ROSTER_NAME,            /* the name, in some order or with initials, is on the roster */
  WC_SIGNAL_ROSTER_HANDLE,
  WC_SIGNAL_ROSTER_EMAIL,
  WC_SIGNAL_TAGGED_PATIENT,
  WC_SIGNAL_TAGGED_NOT_PATIENT,     /* the doctor said "not a patient" */
  WC_SIGNAL_TAGGED_OTHER,           /* tagged colleague, employer, press or family */
  WC_SIGNAL_FOLLOWS_PROFESSIONAL,   /* in a follower snapshot of a professional account */
  WC_SIGNAL_FOLLOWED_BY_PROFESSIONAL,
  WC_SIGNAL_INTERACTED_PROFESSIONAL,
  WC_SIGNAL_PROFESSIONAL_MARKER,    /* display name, bio or fields mention a professional marker */
  WC_SIGNAL_NEW_ACCOUNT,
  WC_SIGNAL_EMPTY_ACCOUNT,
} WcSignalKind;

typedef struct
{
  WcSignalKind      kind;
  WcSignalStrength  strength;
  char             *reason;  /* translated; never quotes the person's name */
} WcScreeningSignal;

/* Who asks. Only the display name, handle and e-mail identify the person;
 * the rest is what their profile says about them. Every member may be
 * NULL or unknown. */
typedef struct
{
  const char         *display_name;
  const char         *handle;          /* user@server, "@user@server", a profile link */
  const char         *email;
  const char         *note;            /* the bio; HTML or plain text */
  const char * const *fields;          /* NULL-terminated name, value, name, value … (HTML or text) */
  gint64              created_at;      /* seconds since the epoch; 0 = unknown */
  gint64              statuses_count;  /* -1 = unknown */
  gint64              followers_count; /* -1 = unknown */
} WcScreeningSubject;

#define WC_SCREENING_SUBJECT_INIT { NULL, NULL, NULL, NULL, NULL, 0, -1, -1 }

/* An account younger than this is "new" (a weak signal). */
#define WC_SCREENING_NEW_ACCOUNT_DAYS 30

typedef struct _WcScreening WcScreening;

#define WC_TYPE_SCREENING (wc_screening_get_type ())
GType               wc_screening_get_type        (void) G_GNUC_CONST;
WcScreening        *wc_screening_ref             (WcScreening *self);
void                wc_screening_unref           (WcScreening *self);
WcScreeningVerdict  wc_screening_get_verdict     (WcScreening *self);
GPtrArray          *wc_screening_get_signals     (WcScreening *self);
gboolean            wc_screening_has_signal      (WcScreening *self,
                                                  WcSignalKind kind);
const char         *wc_screening_get_person_hash (WcScreening *self);
char               *wc_screening_dup_summary     (WcScreening *self);

const char         *wc_screening_verdict_get_label     (WcScreeningVerdict verdict);
const char         *wc_screening_verdict_to_string     (WcScreeningVerdict verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcScreening, wc_screening_unref)

typedef struct _WcScreener WcScreener;

#define WC_TYPE_SCREENER (wc_screener_get_type ())
GType        wc_screener_get_type                  (void) G_GNUC_CONST;
WcScreener  *wc_screener_new                       (WcHasher           *hasher);
WcScreener  *wc_screener_new_from_store            (WcStore            *store,
                                                    WcHasher           *hasher,
                                                    GError            **error);
WcScreener  *wc_screener_ref                       (WcScreener         *self);
void         wc_screener_unref                     (WcScreener         *self);
gboolean     wc_screener_get_has_hasher            (WcScreener         *self);
void         wc_screener_set_now                   (WcScreener         *self,
                                                    gint64              now);
void         wc_screener_set_roster                (WcScreener         *self,
                                                    GHashTable         *names,
                                                    GHashTable         *handles,
                                                    GHashTable         *emails);
void         wc_screener_set_tags                  (WcScreener         *self,
                                                    GHashTable         *tags,
                                                    GHashTable         *not_patients);
void         wc_screener_add_marker                (WcScreener         *self,
                                                    WcMarkerKind        kind,
                                                    const char         *value);
void         wc_screener_add_professional_followers (WcScreener        *self,
                                                    const WcFollowerSnapshot *snapshot,
                                                    const char         *account_title);
void         wc_screener_add_professional_contact  (WcScreener         *self,
                                                    const char         *handle,
                                                    WcSignalKind        kind,
                                                    const char         *account_title);
WcScreening *wc_screener_screen                    (WcScreener         *self,
                                                    const WcScreeningSubject *subject);
char        *wc_screener_dup_person_hash           (WcScreener         *self,
                                                    const WcScreeningSubject *subject);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcScreener, wc_screener_unref)

/* Text helpers, also for the UI. */
char        *wc_screening_html_to_text             (const char         *html);
void         wc_screening_subject_set_typed        (WcScreeningSubject *subject,
                                                    const char         *typed);

G_END_DECLS
