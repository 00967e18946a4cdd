/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "wc-draft-editor.h"

G_BEGIN_DECLS

#define WC_TYPE_ATTACHMENT_ROW (wc_attachment_row_get_type ())
G_DECLARE_FINAL_TYPE (WcAttachmentRow, wc_attachment_row, WC, ATTACHMENT_ROW, GtkListBoxRow)

GtkWidget  *wc_attachment_row_new         (WcDraftEditor   *editor,
                                           guint            index);
void        wc_attachment_row_update      (WcAttachmentRow *self);
guint       wc_attachment_row_get_index   (WcAttachmentRow *self);
const char *wc_attachment_row_get_path    (WcAttachmentRow *self);
char       *wc_attachment_row_dup_display_name (WcAttachmentRow *self);
gboolean    wc_attachment_row_get_thumbnail_loaded (WcAttachmentRow *self);
GtkSwitch  *wc_attachment_row_get_clinical_switch (WcAttachmentRow *self);
GtkEntry   *wc_attachment_row_get_alt_entry       (WcAttachmentRow *self);

/* The name to show for an image the draft holds: the file's name, or a
 * plain description of the copy Whitecoat made without metadata. */
char       *wc_attachment_dup_display_name (const char     *path);

G_END_DECLS
