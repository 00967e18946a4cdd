/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-identity.h"
#include "wc-store.h"

G_BEGIN_DECLS

#define WC_TYPE_IDENTITY_EDITOR (wc_identity_editor_get_type ())
G_DECLARE_FINAL_TYPE (WcIdentityEditor, wc_identity_editor, WC, IDENTITY_EDITOR, AdwBin)

GtkWidget      *wc_identity_editor_new              (WcIdentityKind    kind);
WcIdentityKind  wc_identity_editor_get_kind         (WcIdentityEditor *self);
void            wc_identity_editor_set_identity     (WcIdentityEditor *self,
                                                     WcIdentity       *identity);
WcIdentity     *wc_identity_editor_get_identity     (WcIdentityEditor *self);
gboolean        wc_identity_editor_get_modified     (WcIdentityEditor *self);
gboolean        wc_identity_editor_validate         (WcIdentityEditor *self,
                                                     GError          **error);
gboolean        wc_identity_editor_apply            (WcIdentityEditor *self,
                                                     WcStore          *store,
                                                     GError          **error);

/* The same code paths as typing in the fields, for tests and callers. */
void            wc_identity_editor_set_name         (WcIdentityEditor *self,
                                                     const char       *name);
gboolean        wc_identity_editor_set_color        (WcIdentityEditor *self,
                                                     const char       *color);
gboolean        wc_identity_editor_add_marker       (WcIdentityEditor *self,
                                                     WcMarkerKind      kind,
                                                     const char       *value);
gboolean        wc_identity_editor_remove_marker    (WcIdentityEditor *self,
                                                     WcMarkerKind      kind,
                                                     const char       *value);
void            wc_identity_editor_set_pending_marker (WcIdentityEditor *self,
                                                       WcMarkerKind      kind,
                                                       const char       *text);

/* The message shown at a field, or NULL when the field shows none. */
const char     *wc_identity_editor_get_name_error   (WcIdentityEditor *self);
const char     *wc_identity_editor_get_color_error  (WcIdentityEditor *self);
const char     *wc_identity_editor_get_marker_error (WcIdentityEditor *self,
                                                     WcMarkerKind      kind);

G_END_DECLS
