/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  WC_IDENTITY_PERSONAL,
  WC_IDENTITY_PROFESSIONAL,
} WcIdentityKind;

#define WC_N_IDENTITIES 2

/* What a marker says about its identity. Professional identities use the first
 * five, personal ones the last three (and DOMAIN); nothing stops either from
 * using any kind. */
typedef enum
{
  WC_MARKER_REAL_NAME,
  WC_MARKER_TITLE,
  WC_MARKER_SPECIALTY,
  WC_MARKER_ORGANISATION,
  WC_MARKER_DOMAIN,
  WC_MARKER_NICKNAME,
  WC_MARKER_FAMILY_NAME,
} WcMarkerKind;

#define WC_N_MARKER_KINDS 7

#define WC_IDENTITY_ERROR (wc_identity_error_quark ())

typedef enum
{
  WC_IDENTITY_ERROR_NAME,
  WC_IDENTITY_ERROR_COLOR,
  WC_IDENTITY_ERROR_MARKER,
} WcIdentityError;

GQuark wc_identity_error_quark (void);

typedef struct _WcMarker WcMarker;

struct _WcMarker
{
  WcMarkerKind kind;
  char *value;
};

#define WC_TYPE_MARKER (wc_marker_get_type ())
GType       wc_marker_get_type        (void) G_GNUC_CONST;
WcMarker   *wc_marker_new             (WcMarkerKind  kind,
                                       const char   *value);
WcMarker   *wc_marker_copy            (const WcMarker *marker);
void        wc_marker_free            (WcMarker     *marker);
gboolean    wc_marker_validate        (WcMarkerKind  kind,
                                       const char   *value,
                                       GError      **error);
const char *wc_marker_kind_to_string  (WcMarkerKind  kind);
gboolean    wc_marker_kind_from_string (const char  *str,
                                        WcMarkerKind *kind);
const char *wc_marker_kind_get_label  (WcMarkerKind  kind);
const WcMarkerKind *wc_marker_kinds_for_identity (WcIdentityKind kind,
                                                  guint         *n_kinds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcMarker, wc_marker_free)

const char *wc_identity_kind_to_string   (WcIdentityKind  kind);
gboolean    wc_identity_kind_from_string (const char     *str,
                                          WcIdentityKind *kind);
const char *wc_identity_kind_get_label   (WcIdentityKind  kind);
const char *wc_identity_kind_get_default_color (WcIdentityKind kind);
WcIdentityKind wc_identity_kind_other    (WcIdentityKind  kind);

#define WC_TYPE_IDENTITY (wc_identity_get_type ())
G_DECLARE_FINAL_TYPE (WcIdentity, wc_identity, WC, IDENTITY, GObject)

WcIdentity     *wc_identity_new          (WcIdentityKind  kind);
WcIdentityKind  wc_identity_get_kind     (WcIdentity     *self);
const char     *wc_identity_get_name     (WcIdentity     *self);
void            wc_identity_set_name     (WcIdentity     *self,
                                          const char     *name);
const char     *wc_identity_get_color    (WcIdentity     *self);
void            wc_identity_set_color    (WcIdentity     *self,
                                          const char     *color);
GPtrArray      *wc_identity_get_markers  (WcIdentity     *self);
void            wc_identity_set_markers  (WcIdentity     *self,
                                          GPtrArray      *markers);
void            wc_identity_add_marker   (WcIdentity     *self,
                                          WcMarkerKind    kind,
                                          const char     *value);
char          **wc_identity_dup_marker_values (WcIdentity  *self,
                                               WcMarkerKind kind);
gboolean        wc_identity_validate     (WcIdentity     *self,
                                          GError        **error);
gboolean        wc_color_is_valid        (const char     *color);

G_END_DECLS
