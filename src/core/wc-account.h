/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-identity.h"
#include "wc-network-catalog.h"

G_BEGIN_DECLS

#define WC_ACCOUNT_ERROR (wc_account_error_quark ())

/* Each code names the field at fault, so that a form can show the message
 * next to that field. */
typedef enum
{
  WC_ACCOUNT_ERROR_NETWORK,
  WC_ACCOUNT_ERROR_HANDLE,
  WC_ACCOUNT_ERROR_SERVER,
  WC_ACCOUNT_ERROR_PROFILE_URL,
  WC_ACCOUNT_ERROR_DISPLAY_NAME,
  WC_ACCOUNT_ERROR_CUSTOM_NAME,
} WcAccountError;

GQuark wc_account_error_quark (void);

#define WC_ACCOUNT_MAX_DISPLAY_NAME 200
#define WC_ACCOUNT_MAX_URL          2000

#define WC_TYPE_ACCOUNT (wc_account_get_type ())
G_DECLARE_FINAL_TYPE (WcAccount, wc_account, WC, ACCOUNT, GObject)

WcAccount      *wc_account_new              (WcIdentityKind  identity,
                                             const char     *network);
gint64          wc_account_get_id           (WcAccount      *self);
void            wc_account_set_id           (WcAccount      *self,
                                             gint64          id);
WcIdentityKind  wc_account_get_identity     (WcAccount      *self);
void            wc_account_set_identity     (WcAccount      *self,
                                             WcIdentityKind  identity);
const char     *wc_account_get_network      (WcAccount      *self);
void            wc_account_set_network      (WcAccount      *self,
                                             const char     *network);
const char     *wc_account_get_handle       (WcAccount      *self);
void            wc_account_set_handle       (WcAccount      *self,
                                             const char     *handle);
const char     *wc_account_get_server       (WcAccount      *self);
void            wc_account_set_server       (WcAccount      *self,
                                             const char     *server);
const char     *wc_account_get_profile_url  (WcAccount      *self);
void            wc_account_set_profile_url  (WcAccount      *self,
                                             const char     *profile_url);
const char     *wc_account_get_display_name (WcAccount      *self);
void            wc_account_set_display_name (WcAccount      *self,
                                             const char     *display_name);
const char     *wc_account_get_custom_name  (WcAccount      *self);
void            wc_account_set_custom_name  (WcAccount      *self,
                                             const char     *custom_name);
const char     *wc_account_get_remote_id    (WcAccount      *self);
void            wc_account_set_remote_id    (WcAccount      *self,
                                             const char     *remote_id);
gint64          wc_account_get_connected_at (WcAccount      *self);
void            wc_account_set_connected_at (WcAccount      *self,
                                             gint64          connected_at);
gboolean        wc_account_is_connected     (WcAccount      *self);
char           *wc_account_dup_title        (WcAccount      *self);
char           *wc_account_dup_key          (WcAccount      *self);
gboolean        wc_account_validate         (WcAccount      *self,
                                             GError        **error);
void            wc_account_normalize        (WcAccount      *self);

G_END_DECLS
