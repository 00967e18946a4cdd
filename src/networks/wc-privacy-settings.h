/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-crosslink-audit.h"
#include "wc-network.h"
#include "wc-walkthrough.h"

G_BEGIN_DECLS

/* The privacy walkthrough's way to the networks: reads an account's privacy
 * settings and profile through its API, and applies a step's value. Opens
 * the account with wc_connection_open_async(), so the token comes from the
 * keyring. Mastodon and Bluesky have such an API (Bluesky: the logged-out
 * visibility label and the default who-can-reply, which the reading keeps
 * in declared_settings under WC_DECLARED_REPLY_DEFAULT); other networks
 * fail with %WC_NETWORK_ERROR_NOT_SUPPORTED. */

typedef struct
{
  WcAccountState *state;       /* with its account id and the time it was read */
  WcProfile      *profile;     /* display name, fields (with rel=me), no avatar hash */
  char           *avatar_url;  /* nullable */
  gint64          follow_requests;  /* pending; -1 = unknown */
} WcPrivacyReading;

void wc_privacy_reading_free (WcPrivacyReading *reading);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcPrivacyReading, wc_privacy_reading_free)

gboolean          wc_privacy_settings_can_read     (WcAccount               *account);

void              wc_privacy_settings_read_async   (WcAccount               *account,
                                                    GCancellable            *cancellable,
                                                    GAsyncReadyCallback      callback,
                                                    gpointer                 user_data);
WcPrivacyReading *wc_privacy_settings_read_finish  (GAsyncResult            *result,
                                                    GError                 **error);

/* Applies @value of an API step; the reading is the server's answer. */
void              wc_privacy_settings_apply_async  (WcAccount               *account,
                                                    const WcWalkthroughStep *step,
                                                    const char              *value,
                                                    GCancellable            *cancellable,
                                                    GAsyncReadyCallback      callback,
                                                    gpointer                 user_data);
WcPrivacyReading *wc_privacy_settings_apply_finish (GAsyncResult            *result,
                                                    GError                 **error);

/* Downloads a picture (at most 2 MB) and hashes it (wc_image_dhash()). */
void              wc_privacy_settings_hash_avatar_async  (const char          *url,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean          wc_privacy_settings_hash_avatar_finish (GAsyncResult        *result,
                                                          guint64             *hash,
                                                          GError             **error);

G_END_DECLS
