/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

/* Preferences → Patients: the optional patient roster. Import a CSV file
 * (previewed, all or nothing), add or remove one entry, forget it all. The
 * roster is kept only as keyed hashes, so it cannot be listed: the page
 * says so. */

#define WC_TYPE_ROSTER_PAGE (wc_roster_page_get_type ())
G_DECLARE_FINAL_TYPE (WcRosterPage, wc_roster_page, WC, ROSTER_PAGE, AdwPreferencesPage)

GtkWidget   *wc_roster_page_new             (WcApplication *application);
void         wc_roster_page_set_application (WcRosterPage  *self,
                                             WcApplication *application);
/* What "Import CSV…" does after the file chooser; the preview follows. */
void         wc_roster_page_open_file       (WcRosterPage  *self,
                                             GFile         *file);
/* For tests. */
GtkEditable *wc_roster_page_get_entry       (WcRosterPage  *self,
                                             WcRosterKind   kind);
const char  *wc_roster_page_get_counts_text (WcRosterPage  *self);
GtkWindow   *wc_roster_page_get_preview     (WcRosterPage  *self);

G_END_DECLS
