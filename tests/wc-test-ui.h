/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-application.h"

G_BEGIN_DECLS

/* What every UI test needs: GTK set up for isolated test folders, a
 * registered (never run) application of its own per test, and a few ways to
 * wait for and find what the widgets did. */

void           wc_test_ui_init                (int         *argc,
                                               char      ***argv);
WcApplication *wc_test_ui_create_app          (void);
void           wc_test_ui_reset_settings      (GSettings   *settings);
/* Gives the store its data key from the real keyring of the test session,
 * as the application does after its first frame, and waits for it. */
void           wc_test_ui_unlock_data         (WcApplication *app);
void           wc_test_ui_iterate             (void);
void           wc_test_ui_wait                (guint        ms);
void           wc_test_ui_destroy_toplevels   (void);
gpointer       wc_test_ui_find_toplevel       (GType        type);
void           wc_test_ui_assert_fits_width   (GtkWidget   *window,
                                               int          width);

/* A notification server of our own on the test's session bus, as
 * org.freedesktop.Notifications (what GNotification speaks outside a
 * sandbox), so that the notifications sent can be read back and their
 * buttons pressed. */
typedef struct
{
  guint32  id;           /* as Notify answered */
  guint32  replaces_id;
  char    *summary;
  char    *body;
  char   **actions;      /* key, label, key, label … */
  guint8   urgency;      /* hints["urgency"]; 1 (normal) when absent */
} WcTestNotification;

void                wc_test_ui_start_notification_server  (void);
void                wc_test_ui_stop_notification_server   (void);
gboolean            wc_test_ui_notification_server_is_running (void);
void                wc_test_ui_clear_notifications        (void);
/* Every Notify call in order (WcTestNotification), and the ids of every
 * CloseNotification call (guint32). */
GPtrArray          *wc_test_ui_get_notifications          (void);
GArray             *wc_test_ui_get_closed_notifications   (void);
/* Waits (up to 5 s) for the @n-th notification, counted from 1. */
WcTestNotification *wc_test_ui_wait_notification          (guint                     n);
/* The action key of the button labelled @label, or NULL. */
const char         *wc_test_notification_get_action       (const WcTestNotification *notification,
                                                           const char               *label);
/* Presses a button (or "default") as a notification server does. */
void                wc_test_notification_invoke           (const WcTestNotification *notification,
                                                           const char               *action_key);

G_END_DECLS
