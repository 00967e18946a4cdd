/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-finding.h"
#include "wc-person.h"
#include "wc-store.h"
#include "wc-text.h"

G_BEGIN_DECLS

/* The optional patient roster: a CSV file of names, handles and e-mail
 * addresses that the doctor imports. Parsing shows a preview and the bad
 * rows without storing anything; importing stores keyed hashes only, all
 * or nothing. Nothing here logs a row or puts one in an error message. */

#define WC_ROSTER_ERROR (wc_roster_error_quark ())

typedef enum
{
  WC_ROSTER_ERROR_INVALID,  /* the file has bad rows; nothing was imported */
  WC_ROSTER_ERROR_EMPTY,    /* nothing to import */
} WcRosterError;

GQuark wc_roster_error_quark (void);

/* The most words of a name found in a draft; longer names are found by
 * their shorter variants ("Anna van der Berg" for "Anna Maria van der Berg"). */
#define WC_ROSTER_MAX_WORDS 4

typedef struct
{
  guint  line;    /* where the row starts in the file, from 1 */
  char  *name;    /* nullable; trimmed */
  char  *handle;  /* nullable */
  char  *email;   /* nullable */
} WcRosterRow;

typedef struct
{
  guint  line;
  char  *message;  /* translated; never quotes the row */
} WcRosterProblem;

typedef struct _WcRosterImport WcRosterImport;

WcRosterImport *wc_roster_parse                (const char     *data,
                                                gssize          length);
void            wc_roster_import_free          (WcRosterImport *self);
GPtrArray      *wc_roster_import_get_rows      (WcRosterImport *self);
GPtrArray      *wc_roster_import_get_problems  (WcRosterImport *self);
gboolean        wc_roster_import_get_has_header (WcRosterImport *self);
char            wc_roster_import_get_separator (WcRosterImport *self);
gboolean        wc_roster_import_store         (WcRosterImport *self,
                                                WcStore        *store,
                                                WcHasher       *hasher,
                                                GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcRosterImport, wc_roster_import_free)

GArray   *wc_roster_entry_hashes   (WcHasher    *hasher,
                                    const char  *name,
                                    const char  *handle,
                                    const char  *email);
gboolean  wc_roster_add_entry      (WcStore     *store,
                                    WcHasher    *hasher,
                                    const char  *name,
                                    const char  *handle,
                                    const char  *email,
                                    GError     **error);
gboolean  wc_roster_remove_entry   (WcStore     *store,
                                    WcHasher    *hasher,
                                    const char  *name,
                                    const char  *handle,
                                    const char  *email,
                                    GError     **error);
gboolean  wc_roster_forget         (WcStore     *store,
                                    GError     **error);

/* Finding roster names in drafts. Load it once (one query per kind) and run
 * it on every change of the draft. */
typedef struct _WcRosterMatcher WcRosterMatcher;

#define WC_TYPE_ROSTER_MATCHER (wc_roster_matcher_get_type ())
GType            wc_roster_matcher_get_type       (void) G_GNUC_CONST;
WcRosterMatcher *wc_roster_matcher_new            (WcHasher           *hasher,
                                                   GHashTable         *names,
                                                   GHashTable         *handles);
WcRosterMatcher *wc_roster_matcher_new_from_store (WcStore            *store,
                                                   WcHasher           *hasher,
                                                   GError            **error);
WcRosterMatcher *wc_roster_matcher_ref            (WcRosterMatcher    *self);
void             wc_roster_matcher_unref          (WcRosterMatcher    *self);
gboolean         wc_roster_matcher_is_empty       (WcRosterMatcher    *self);
void             wc_roster_matcher_run            (WcRosterMatcher    *self,
                                                   const char         *text,
                                                   GArray             *hits);
void             wc_roster_matcher_run_folded     (WcRosterMatcher    *self,
                                                   const WcFoldedText *folded,
                                                   GArray             *hits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcRosterMatcher, wc_roster_matcher_unref)

G_END_DECLS
