/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"
#include "wc-identity-editor.h"

G_BEGIN_DECLS

#define WC_TYPE_ONBOARDING (wc_onboarding_get_type ())
G_DECLARE_FINAL_TYPE (WcOnboarding, wc_onboarding, WC, ONBOARDING, AdwWindow)

GtkWindow        *wc_onboarding_new        (WcApplication   *app,
                                            GtkWindow       *parent);
WcIdentityEditor *wc_onboarding_get_editor (WcOnboarding    *self,
                                            WcIdentityKind   kind);
guint             wc_onboarding_get_page   (WcOnboarding    *self);
guint             wc_onboarding_get_n_pages (WcOnboarding   *self);

G_END_DECLS
