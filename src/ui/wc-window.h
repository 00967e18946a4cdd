/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-composer.h"

G_BEGIN_DECLS

#define WC_TYPE_WINDOW (wc_window_get_type ())
G_DECLARE_FINAL_TYPE (WcWindow, wc_window, WC, WINDOW, AdwApplicationWindow)

WcWindow     *wc_window_new                (WcApplication *application);
void          wc_window_add_toast          (WcWindow      *self,
                                            AdwToast      *toast);
AdwViewStack *wc_window_get_view_stack     (WcWindow      *self);
WcComposer   *wc_window_get_composer       (WcWindow      *self);
GtkWidget    *wc_window_get_accounts_view  (WcWindow      *self);
GtkWidget    *wc_window_get_requests_view  (WcWindow      *self);
GtkWidget    *wc_window_get_scheduled_view (WcWindow      *self);
GtkWidget    *wc_window_get_privacy_view   (WcWindow      *self);
/* For tests: what the header shows and the colour of the identity band. */
const char   *wc_window_get_identity_text  (WcWindow      *self);
const char   *wc_window_get_band_color     (WcWindow      *self);

G_END_DECLS
