/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-attachment-row.h"

/* One image of the draft: a thumbnail, the alt text, whether it is clinical,
 * the consent and where it came from. Edits go straight to the draft
 * editor; what needs a dialog (consent) or changes the list (removal) goes
 * through the composer's actions. */

#define THUMBNAIL_SIZE 64

struct _WcAttachmentRow
{
  GtkListBoxRow  parent_instance;

  /* template */
  GtkStack      *thumbnail_stack;
  GtkPicture    *picture;
  GtkLabel      *name_label;
  GtkLabel      *place_label;
  GtkWidget     *remove_button;
  GtkEntry      *alt_entry;
  GtkSwitch     *clinical_switch;
  GtkRevealer   *clinical_revealer;
  GtkLabel      *consent_label;
  GtkWidget     *consent_button;
  GtkSwitch     *foreign_switch;
  GtkEntry      *source_entry;

  WcDraftEditor *editor;
  guint          index;
  char          *path;
  GCancellable  *cancellable;
  gboolean       thumbnail_loaded;
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (WcAttachmentRow, wc_attachment_row, GTK_TYPE_LIST_BOX_ROW)

static WcAttachment *
get_attachment (WcAttachmentRow *self)
{
  GPtrArray *attachments;

  if (self->editor == NULL)
    return NULL;
  attachments = wc_draft_get_attachments (wc_draft_editor_get_draft (self->editor));
  if (self->index >= attachments->len)
    return NULL;
  return g_ptr_array_index (attachments, self->index);
}

static gboolean
is_own_copy (const char *path)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "whitecoat", "images", NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  return g_strcmp0 (dir, parent) == 0;
}

static void
warn_edit_failed (GError *error)
{
  /* The row is about to be rebuilt (the image went away meanwhile). */
  g_debug ("Cannot change the image: %s", error->message);
}

/* Thumbnails are decoded off the main thread: a photo of 20 megapixels
 * takes longer than a frame. */
static void
load_thumbnail_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  const char *path = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "wc-size"));
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;

  pixbuf = gdk_pixbuf_new_from_file_at_scale (path, size, size, TRUE, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, g_steal_pointer (&oriented), g_object_unref);
}

static void
load_thumbnail_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  WcAttachmentRow *self = WC_ATTACHMENT_ROW (source);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      /* DICOM files and unreadable images keep the icon. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable) || self->picture == NULL)
    return;

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->thumbnail_stack, "picture");
  self->thumbnail_loaded = TRUE;
}

static void
load_thumbnail (WcAttachmentRow *self)
{
  g_autoptr(GTask) task = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  task = g_task_new (self, self->cancellable, load_thumbnail_done, NULL);
  g_task_set_source_tag (task, load_thumbnail);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_object_set_data (G_OBJECT (task), "wc-size", GINT_TO_POINTER (THUMBNAIL_SIZE * MAX (scale, 1)));
  g_task_run_in_thread (task, load_thumbnail_thread);
}

static void
on_alt_entry_changed (WcAttachmentRow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->editor == NULL)
    return;
  if (!wc_draft_editor_set_image_alt_text (self->editor, self->index,
                                           gtk_editable_get_text (GTK_EDITABLE (self->alt_entry)),
                                           &error))
    warn_edit_failed (error);
}

static void
on_clinical_switch_active (WcAttachmentRow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->editor == NULL)
    return;
  if (!wc_draft_editor_set_image_clinical (self->editor, self->index,
                                           gtk_switch_get_active (self->clinical_switch),
                                           &error))
    warn_edit_failed (error);
  wc_attachment_row_update (self);
}

static void
record_source (WcAttachmentRow *self)
{
  g_autoptr(GError) error = NULL;
  const char *source = NULL;

  /* NULL: the user's own image; "": someone else's, origin not yet known. */
  if (gtk_switch_get_active (self->foreign_switch))
    source = gtk_editable_get_text (GTK_EDITABLE (self->source_entry));

  if (!wc_draft_editor_record_source (self->editor, self->index, source, &error))
    warn_edit_failed (error);
}

static void
on_foreign_switch_active (WcAttachmentRow *self)
{
  if (self->updating || self->editor == NULL)
    return;
  record_source (self);
  wc_attachment_row_update (self);
  if (gtk_switch_get_active (self->foreign_switch))
    gtk_widget_grab_focus (GTK_WIDGET (self->source_entry));
}

static void
on_source_entry_changed (WcAttachmentRow *self)
{
  if (self->updating || self->editor == NULL)
    return;
  record_source (self);
}

static void
wc_attachment_row_dispose (GObject *object)
{
  WcAttachmentRow *self = WC_ATTACHMENT_ROW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ATTACHMENT_ROW);
  g_clear_object (&self->editor);

  G_OBJECT_CLASS (wc_attachment_row_parent_class)->dispose (object);
}

static void
wc_attachment_row_finalize (GObject *object)
{
  WcAttachmentRow *self = WC_ATTACHMENT_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (wc_attachment_row_parent_class)->finalize (object);
}

static void
wc_attachment_row_class_init (WcAttachmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_attachment_row_dispose;
  object_class->finalize = wc_attachment_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-attachment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, picture);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, place_label);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, alt_entry);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, clinical_switch);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, clinical_revealer);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, consent_label);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, consent_button);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, foreign_switch);
  gtk_widget_class_bind_template_child (widget_class, WcAttachmentRow, source_entry);
}

static void
wc_attachment_row_init (WcAttachmentRow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->alt_entry, "changed",
                            G_CALLBACK (on_alt_entry_changed), self);
  g_signal_connect_swapped (self->clinical_switch, "notify::active",
                            G_CALLBACK (on_clinical_switch_active), self);
  g_signal_connect_swapped (self->foreign_switch, "notify::active",
                            G_CALLBACK (on_foreign_switch_active), self);
  g_signal_connect_swapped (self->source_entry, "changed",
                            G_CALLBACK (on_source_entry_changed), self);
}

/**
 * wc_attachment_row_new:
 * @editor: the draft's editor
 * @index: the image's place in the draft
 *
 * Returns: (transfer floating): a row for image @index of the draft
 */
GtkWidget *
wc_attachment_row_new (WcDraftEditor *editor,
                       guint          index)
{
  WcAttachmentRow *self;
  WcAttachment *attachment;
  g_autofree char *name = NULL;
  g_autofree char *place = NULL;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (editor), NULL);

  self = g_object_new (WC_TYPE_ATTACHMENT_ROW, NULL);
  self->editor = g_object_ref (editor);
  self->index = index;

  attachment = get_attachment (self);
  g_return_val_if_fail (attachment != NULL, GTK_WIDGET (self));
  self->path = g_strdup (attachment->path);

  name = wc_attachment_dup_display_name (self->path);
  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
  if (is_own_copy (self->path))
    place = g_strdup (_("Kept by Whitecoat"));
  else
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      const char *home = g_get_home_dir ();

      if (home != NULL && g_str_has_prefix (dir, home) && home[1] != '\0')
        place = g_strconcat ("~", dir + strlen (home), NULL);
      else
        place = g_steal_pointer (&dir);
    }
  gtk_label_set_text (self->place_label, place);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->place_label), self->path);

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button),
                                          g_variant_new_uint32 (index));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->consent_button),
                                          g_variant_new_uint32 (index));

  wc_attachment_row_update (self);
  load_thumbnail (self);

  return GTK_WIDGET (self);
}

/**
 * wc_attachment_row_update:
 *
 * Shows the image's state as the draft has it now. Fields the user is
 * typing in are left alone when they already say the same.
 */
void
wc_attachment_row_update (WcAttachmentRow *self)
{
  WcAttachment *attachment;
  gboolean foreign;

  g_return_if_fail (WC_IS_ATTACHMENT_ROW (self));

  attachment = get_attachment (self);
  if (attachment == NULL)
    return;

  self->updating = TRUE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->alt_entry)),
                 attachment->alt_text ? attachment->alt_text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->alt_entry), attachment->alt_text ? attachment->alt_text : "");

  gtk_switch_set_active (self->clinical_switch, attachment->clinical);
  gtk_revealer_set_reveal_child (self->clinical_revealer, attachment->clinical);

  if (attachment->consent_at > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (attachment->consent_at);
      g_autofree char *date = at != NULL ? g_date_time_format (at, "%x") : g_strdup ("");
      /* Translators: %s is a date. */
      g_autofree char *text = g_strdup_printf (_("Consent and de-identification confirmed on %s"), date);

      gtk_label_set_text (self->consent_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->consent_label), "warning");
      gtk_widget_set_visible (self->consent_button, FALSE);
    }
  else
    {
      gtk_label_set_text (self->consent_label, _("No consent recorded yet"));
      gtk_widget_add_css_class (GTK_WIDGET (self->consent_label), "warning");
      gtk_widget_set_visible (self->consent_button, TRUE);
    }

  foreign = attachment->source != NULL;
  gtk_switch_set_active (self->foreign_switch, foreign);
  gtk_widget_set_visible (GTK_WIDGET (self->source_entry), foreign);
  if (foreign && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->source_entry)), attachment->source) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->source_entry), attachment->source);

  self->updating = FALSE;
}

guint
wc_attachment_row_get_index (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), 0);
  return self->index;
}

/**
 * wc_attachment_row_get_path:
 *
 * Returns: the file the row was built for
 */
const char *
wc_attachment_row_get_path (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), NULL);
  return self->path;
}

char *
wc_attachment_row_dup_display_name (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), NULL);
  return g_strdup (gtk_label_get_text (self->name_label));
}

gboolean
wc_attachment_row_get_thumbnail_loaded (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), FALSE);
  return self->thumbnail_loaded;
}

GtkSwitch *
wc_attachment_row_get_clinical_switch (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), NULL);
  return self->clinical_switch;
}

GtkEntry *
wc_attachment_row_get_alt_entry (WcAttachmentRow *self)
{
  g_return_val_if_fail (WC_IS_ATTACHMENT_ROW (self), NULL);
  return self->alt_entry;
}

/**
 * wc_attachment_dup_display_name:
 * @path: an image of a draft
 *
 * Returns: (transfer full): what to call the image in the interface
 */
char *
wc_attachment_dup_display_name (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (is_own_copy (path))
    return g_strdup (_("Copy without metadata"));
  return g_filename_display_basename (path);
}
