/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-crosslink-audit.h"
#include "wc-mastodon.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* Fixing the cross-link audit's findings through the network's API. A
 * finding in a profile field or in the bio of a connected Mastodon account
 * can be removed with update_credentials: the field as a whole, or the
 * offending words, link or mention from the bio. The fix is planned from
 * the profile as the server reports it right now, shown to the user, and
 * only sent on the user's word; afterwards the profile is read back and
 * the change written to the audit log. Everything else (a display name,
 * an avatar, a handle, followers) the user fixes on the network's settings
 * page. */

typedef enum
{
  WC_PROFILE_FIX_REMOVE_FIELD,
  WC_PROFILE_FIX_EDIT_BIO,
} WcProfileFixKind;

/* What a fix will change, exactly as it will be sent. */
typedef struct
{
  WcProfileFixKind  kind;
  gint64            account_id;
  char             *handle;       /* the account, for the user */
  char             *where;        /* as in the finding: "bio", "field “Website”" */
  char             *evidence;     /* what is removed */
  char             *before;       /* the fields ("Name: value" lines) or the bio now */
  char             *after;        /* the same after the change */
  GStrv             fields;       /* REMOVE_FIELD: the fields sent (name, value, …) */
  char             *note;         /* EDIT_BIO: the bio sent */
} WcProfileFix;

void wc_profile_fix_free (WcProfileFix *fix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcProfileFix, wc_profile_fix_free)

/* The audit's input from what Mastodon reports: display name, bio (as the
 * user wrote it), fields (with rel=me). */
WcProfile    *wc_profile_from_mastodon     (WcAccount                *account,
                                            const WcMastodonProfile  *profile);

/* Whether Whitecoat can fix @finding on @account through the API. */
gboolean      wc_profile_fix_can_fix       (WcAccount                *account,
                                            const WcCrosslinkFinding *finding);
/* Where the user fixes @finding by hand: the account's profile or
 * followers settings page; %NULL when there is none. */
char         *wc_profile_fix_dup_settings_url (WcAccount                *account,
                                               const WcCrosslinkFinding *finding);

/* The fix for @finding in @profile; fails with %WC_NETWORK_ERROR_NOT_FOUND
 * when the profile no longer holds what the finding names. */
WcProfileFix *wc_profile_fix_plan          (const WcCrosslinkFinding *finding,
                                            const WcMastodonProfile  *profile,
                                            const char               *handle,
                                            GError                  **error);

/* Reads the profile now and plans the fix (nothing is sent). */
void          wc_profile_fix_prepare_async  (WcAccount                *account,
                                             const WcCrosslinkFinding *finding,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
WcProfileFix *wc_profile_fix_prepare_finish (GAsyncResult             *result,
                                             GError                  **error);

/* Sends @fix, reads the profile back and appends the change to the audit
 * log of @store (nullable). Returns the profile read back, for the audit. */
void          wc_profile_fix_apply_async    (WcAccount                *account,
                                             const WcProfileFix       *fix,
                                             WcStore                  *store,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
WcProfile    *wc_profile_fix_apply_finish   (GAsyncResult             *result,
                                             GError                  **error);

/* Reads a Mastodon account's profile for the audit, bio included. */
void          wc_profile_fix_read_async     (WcAccount                *account,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
WcProfile    *wc_profile_fix_read_finish    (GAsyncResult             *result,
                                             GError                  **error);

G_END_DECLS
