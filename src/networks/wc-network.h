/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-account.h"
#include "wc-network-catalog.h"

G_BEGIN_DECLS

#define WC_NETWORK_ERROR (wc_network_error_quark ())

/* Retry-later errors come first: a scheduler retries those and gives up on
 * the others. */
typedef enum
{
  WC_NETWORK_ERROR_RETRY_LATER,   /* timeouts, connection failures, 429, 5xx */
  WC_NETWORK_ERROR_AUTH,          /* 401: sign in again */
  WC_NETWORK_ERROR_FORBIDDEN,     /* 403 */
  WC_NETWORK_ERROR_NOT_FOUND,     /* 404 */
  WC_NETWORK_ERROR_REJECTED,      /* 422 and other refusals, with the server's message */
  WC_NETWORK_ERROR_NOT_SUPPORTED, /* the network has no such API */
  WC_NETWORK_ERROR_INSECURE,      /* the server's certificate did not verify */
  WC_NETWORK_ERROR_BAD_RESPONSE,  /* the server answered something that is not its API */
} WcNetworkErrorCode;

GQuark   wc_network_error_quark       (void);
gboolean wc_network_error_is_transient (const GError *error);
GError  *wc_network_error_new_retry   (gint64        retry_after_seconds,
                                       const char   *message);
gint64   wc_network_error_get_retry_after (const GError *error);

typedef enum /*< flags >*/
{
  WC_NETWORK_CAPABILITY_NONE             = 0,
  WC_NETWORK_CAPABILITY_SIGN_IN          = 1 << 0,
  WC_NETWORK_CAPABILITY_POST             = 1 << 1,
  WC_NETWORK_CAPABILITY_SCHEDULE_REMOTE  = 1 << 2,
  WC_NETWORK_CAPABILITY_FOLLOWERS        = 1 << 3,
  WC_NETWORK_CAPABILITY_REQUESTS         = 1 << 4,
  WC_NETWORK_CAPABILITY_SETTINGS         = 1 << 5,
} WcNetworkCapabilities;

#define WC_TYPE_NETWORK (wc_network_get_type ())
G_DECLARE_INTERFACE (WcNetwork, wc_network, WC, NETWORK, GObject)

/**
 * WcNetworkInterface:
 * @get_capabilities: what the implementation can do through the network's API
 *
 * One implementation per network kind. Every call that reaches a server is
 * asynchronous and cancellable and fails with a %WC_NETWORK_ERROR; a network
 * object never touches the store — it returns results and the core decides
 * what to keep. The network issues add their calls here.
 */
struct _WcNetworkInterface
{
  GTypeInterface parent_iface;

  WcNetworkCapabilities (*get_capabilities) (WcNetwork *self);
};

WcNetworkInfo         *wc_network_get_info         (WcNetwork *self);
WcAccount             *wc_network_get_account      (WcNetwork *self);
WcNetworkCapabilities  wc_network_get_capabilities (WcNetwork *self);
gboolean               wc_network_is_manual        (WcNetwork *self);

G_END_DECLS
