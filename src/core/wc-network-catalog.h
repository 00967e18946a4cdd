/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a network is — name, icon, API, limits, audience options, handle form —
 * read from data/networks/<id>.json in the GResource. No network is described
 * in C code. */

#define WC_NETWORK_CATALOG_ERROR (wc_network_catalog_error_quark ())

typedef enum
{
  WC_NETWORK_CATALOG_ERROR_INVALID,
  WC_NETWORK_CATALOG_ERROR_UNKNOWN,
} WcNetworkCatalogError;

GQuark wc_network_catalog_error_quark (void);

typedef struct _WcAudienceOption WcAudienceOption;

struct _WcAudienceOption
{
  char *id;
  char *label;        /* untranslated; translate with g_dgettext (GETTEXT_PACKAGE, …) */
  char *description;  /* untranslated */
};

#define WC_TYPE_NETWORK_INFO (wc_network_info_get_type ())
G_DECLARE_FINAL_TYPE (WcNetworkInfo, wc_network_info, WC, NETWORK_INFO, GObject)

const char *wc_network_info_get_id                (WcNetworkInfo *self);
const char *wc_network_info_get_name              (WcNetworkInfo *self);
const char *wc_network_info_get_icon_name         (WcNetworkInfo *self);
gboolean    wc_network_info_get_has_api           (WcNetworkInfo *self);
gboolean    wc_network_info_get_needs_server      (WcNetworkInfo *self);
gboolean    wc_network_info_get_is_custom         (WcNetworkInfo *self);
guint       wc_network_info_get_char_limit        (WcNetworkInfo *self);
guint       wc_network_info_get_max_images        (WcNetworkInfo *self);
const char *wc_network_info_get_privacy_url       (WcNetworkInfo *self);
const char *wc_network_info_get_website           (WcNetworkInfo *self);
const char *wc_network_info_get_handle_example    (WcNetworkInfo *self);
const char *wc_network_info_get_handle_hint       (WcNetworkInfo *self);
const char *wc_network_info_get_default_server    (WcNetworkInfo *self);
GPtrArray  *wc_network_info_get_audience_options  (WcNetworkInfo *self);
gboolean    wc_network_info_validate_handle       (WcNetworkInfo *self,
                                                   const char    *handle,
                                                   GError       **error);
char       *wc_network_info_normalize_handle      (WcNetworkInfo *self,
                                                   const char    *handle);
WcNetworkInfo *wc_network_info_new_from_json      (const char    *json,
                                                   gssize         length,
                                                   GError       **error);

#define WC_TYPE_NETWORK_CATALOG (wc_network_catalog_get_type ())
G_DECLARE_FINAL_TYPE (WcNetworkCatalog, wc_network_catalog, WC, NETWORK_CATALOG, GObject)

WcNetworkCatalog *wc_network_catalog_get_default (void);
WcNetworkCatalog *wc_network_catalog_new_from_resource (const char *resource_dir,
                                                        GError    **error);
WcNetworkInfo    *wc_network_catalog_lookup   (WcNetworkCatalog *self,
                                               const char       *id);
GPtrArray        *wc_network_catalog_list     (WcNetworkCatalog *self);

G_END_DECLS
