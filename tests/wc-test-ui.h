/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-application.h"

G_BEGIN_DECLS

/* What every UI test needs: GTK set up for isolated test folders, a
 * registered (never run) application of its own per test, and a few ways to
 * wait for and find what the widgets did. */

void           wc_test_ui_init                (int         *argc,
                                               char      ***argv);
WcApplication *wc_test_ui_create_app          (void);
void           wc_test_ui_reset_settings      (GSettings   *settings);
void           wc_test_ui_iterate             (void);
void           wc_test_ui_wait                (guint        ms);
void           wc_test_ui_destroy_toplevels   (void);
gpointer       wc_test_ui_find_toplevel       (GType        type);
void           wc_test_ui_assert_fits_width   (GtkWidget   *window,
                                               int          width);

G_END_DECLS
