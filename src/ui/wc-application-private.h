/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-application.h"

G_BEGIN_DECLS

/* The scheduling part of WcApplication, in wc-application-scheduling.c:
 * the scheduler made after the first frame, notifications, holding the
 * application while posts wait, autostart and the Background portal. */
void     wc_application_scheduling_init              (WcApplication *self);
void     wc_application_scheduling_dispose           (WcApplication *self);
void     wc_application_scheduling_store_changed     (WcApplication *self);
gboolean wc_application_scheduling_activate_background (WcApplication *self);
void     wc_application_scheduling_after_first_frame (WcApplication *self,
                                                      GtkWindow     *window);

G_END_DECLS
