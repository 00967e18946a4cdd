/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-checker.h"
#include "wc-follower-sync.h"
#include "wc-clock.h"
#include "wc-person.h"
#include "wc-scheduler.h"
#include "wc-store.h"

G_BEGIN_DECLS

#define WC_TYPE_APPLICATION (wc_application_get_type ())
G_DECLARE_FINAL_TYPE (WcApplication, wc_application, WC, APPLICATION, AdwApplication)

WcApplication  *wc_application_new                 (void);
WcStore        *wc_application_get_store           (WcApplication  *self);
WcStore        *wc_application_peek_store          (WcApplication  *self);
void            wc_application_send_notification   (WcApplication  *self,
                                                    const char     *id,
                                                    GNotification  *notification);
GSettings      *wc_application_get_settings        (WcApplication  *self);
WcIdentityKind  wc_application_get_active_identity (WcApplication  *self);
void            wc_application_set_active_identity (WcApplication  *self,
                                                    WcIdentityKind  kind);
/* Emitted as "identity-changed" (WcIdentityKind) when an identity's name,
 * colour or markers were saved, and "accounts-changed" when an account was
 * added, changed or removed. */
void            wc_application_notify_identity_changed (WcApplication  *self,
                                                        WcIdentityKind  kind);
void            wc_application_notify_accounts_changed (WcApplication  *self);

/* The identity as stored, never NULL: falls back to the defaults when the
 * store cannot be read. */
WcIdentity     *wc_application_dup_identity        (WcApplication  *self,
                                                    WcIdentityKind  kind);
/* The identity's accent colour as "#rrggbb", always a valid colour. */
char           *wc_application_dup_identity_color  (WcApplication  *self,
                                                    WcIdentityKind  kind);
/* The identity's name, or its label when the user gave it no name. */
char           *wc_application_dup_identity_name   (WcApplication  *self,
                                                    WcIdentityKind  kind);
/* Closes the store, e.g. before "Delete all Whitecoat data" removes the
 * file; the next wc_application_get_store() opens a fresh one. Call the
 * notify functions afterwards so that the views reload. */
void            wc_application_close_store         (WcApplication  *self);
/* Where a database that could not be opened was moved to, or NULL. */
const char     *wc_application_get_moved_aside_path (WcApplication *self);

/* --- Added for the preferences window ("Delete all Whitecoat data") --- */
/* Drops the current store (closed or not) and opens a fresh one at the
 * default path, then emits "identity-changed" for both identities and
 * "accounts-changed" so that every view reloads. */
void            wc_application_reload_store        (WcApplication  *self);

/* --- Added for the composer --- */
/* The checks, loaded once and shared by every open draft; NULL only when
 * the check definitions cannot be read. */
WcChecker      *wc_application_get_checker         (WcApplication  *self);

/* --- Added for the audience preview and the patient roster --- */
/* The keyed hash of person tags and the roster. Its key is in the keyring,
 * so it comes late: NULL until then (notify::hasher says when), and for
 * good when the keyring cannot be used (see the error). */
WcHasher       *wc_application_get_hasher          (WcApplication  *self);
const GError   *wc_application_get_hasher_error    (WcApplication  *self);
void            wc_application_load_hasher         (WcApplication  *self);
void            wc_application_set_hasher          (WcApplication  *self,
                                                    WcHasher       *hasher);
/* Emitted as "people-changed" when person tags or the roster changed, or a
 * network told something new about followers. */
void            wc_application_notify_people_changed (WcApplication *self);

/* --- Added for scheduling --- */
/* The wall clock the scheduler runs on (the system clock unless a test set
 * another before the scheduler was made), and its time now, UTC seconds. */
WcClock        *wc_application_get_clock           (WcApplication  *self);
void            wc_application_set_clock           (WcApplication  *self,
                                                    WcClock        *clock);
gint64          wc_application_get_now             (WcApplication  *self);
/* The scheduler, made and started on first use (at the latest right after
 * the first frame); NULL only without a store. "scheduler-ready" is
 * emitted once it exists. peek does not make it. */
WcScheduler    *wc_application_get_scheduler       (WcApplication  *self);
WcScheduler    *wc_application_peek_scheduler      (WcApplication  *self);
/* The autostart entry written outside Flatpak while posts wait, or NULL. */
char           *wc_application_dup_autostart_path  (void);

/* --- Added for encryption at rest --- */
/* Drafts and scheduled posts are sealed in the database with a key from
 * the keyring (wc-crypto.h). The store opens without it; the key is asked
 * for after the first frame (wc_application_unlock_data()), never before.
 * "data-unlocked" is TRUE once the store has it, "data-unlocking" while
 * the keyring is being asked; wc_application_get_data_error() says, in
 * words for the user, why the last attempt failed. A store opened anew
 * ("Delete all Whitecoat data") is locked until the next unlock. */
gboolean        wc_application_get_data_unlocked   (WcApplication  *self);
gboolean        wc_application_get_data_unlocking  (WcApplication  *self);
const GError   *wc_application_get_data_error      (WcApplication  *self);
void            wc_application_unlock_data         (WcApplication  *self);

/* --- Added for Mastodon sign-in --- */
/* Keeps the followers, states and server limits (wc_follower_sync_get_limits())
 * of connected accounts fresh. */
WcFollowerSync *wc_application_get_follower_sync   (WcApplication  *self);

G_END_DECLS
