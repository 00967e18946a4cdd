/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-application.h"

G_BEGIN_DECLS

/* Tags one account — patient, colleague, employer, press, family — or
 * takes its tag away. Only the keyed hash of the normalised handle is
 * stored (wc-person.h); the handle itself never is. */

#define WC_TYPE_PERSON_TAG_POPOVER (wc_person_tag_popover_get_type ())
G_DECLARE_FINAL_TYPE (WcPersonTagPopover, wc_person_tag_popover, WC, PERSON_TAG_POPOVER, GtkPopover)

GtkWidget   *wc_person_tag_popover_new        (WcApplication      *application);
void         wc_person_tag_popover_set_person (WcPersonTagPopover *self,
                                               const char         *ref,
                                               const char         *name,
                                               int                 tag);
void         wc_person_tag_popover_select_tag (WcPersonTagPopover *self,
                                               WcPersonTag         tag);
GtkEditable *wc_person_tag_popover_get_entry  (WcPersonTagPopover *self);
gboolean     wc_person_tag_popover_apply      (WcPersonTagPopover *self,
                                               GError            **error);
gboolean     wc_person_tag_popover_remove     (WcPersonTagPopover *self,
                                               GError            **error);

G_END_DECLS
