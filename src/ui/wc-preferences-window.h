/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-identity-editor.h"

G_BEGIN_DECLS

#define WC_TYPE_PREFERENCES_WINDOW (wc_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (WcPreferencesWindow, wc_preferences_window, WC, PREFERENCES_WINDOW, AdwPreferencesWindow)

WcPreferencesWindow *wc_preferences_window_new          (WcApplication       *app);
WcIdentityEditor    *wc_preferences_window_get_editor   (WcPreferencesWindow *self,
                                                         WcIdentityKind       kind);
void                 wc_preferences_window_edit_identity (WcPreferencesWindow *self,
                                                          WcIdentityKind       kind);
gboolean             wc_preferences_window_save_identity (WcPreferencesWindow *self,
                                                          WcIdentityKind       kind,
                                                          GError             **error);

G_END_DECLS
