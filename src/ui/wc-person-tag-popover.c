/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-audience-rings.h"
#include "wc-person-tag-popover.h"

struct _WcPersonTagPopover
{
  GtkPopover      parent_instance;

  /* template */
  GtkLabel       *title_label;
  GtkEntry       *handle_entry;
  GtkBox         *tags_box;
  GtkLabel       *message_label;
  GtkWidget      *remove_button;
  GtkWidget      *apply_button;

  GtkCheckButton *checks[WC_PERSON_N_TAGS];
  WcApplication  *application;
  char           *ref;     /* fixed handle, or NULL: typed in the entry */
  int             tag;     /* the current tag, or -1 */
};

G_DEFINE_FINAL_TYPE (WcPersonTagPopover, wc_person_tag_popover, GTK_TYPE_POPOVER)

static int
selected_tag (WcPersonTagPopover *self)
{
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    if (gtk_check_button_get_active (self->checks[t]))
      return t;
  return -1;
}

static void
show_message (WcPersonTagPopover *self,
              const char         *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
update_state (WcPersonTagPopover *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->handle_entry));
  gboolean has_ref = self->ref != NULL || (typed != NULL && typed[0] != '\0');
  int tag = selected_tag (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag.apply", has_ref && tag >= 0 && tag != self->tag);
  gtk_widget_set_visible (self->remove_button, self->ref == NULL || self->tag >= 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tag.remove", has_ref);
}

static const char *
get_ref (WcPersonTagPopover *self)
{
  return self->ref != NULL ? self->ref : gtk_editable_get_text (GTK_EDITABLE (self->handle_entry));
}

/* The hash of the handle, or an error in words. */
static char *
hash_ref (WcPersonTagPopover  *self,
          GError             **error)
{
  WcHasher *hasher = self->application != NULL ? wc_application_get_hasher (self->application) : NULL;
  const GError *hasher_error;
  char *hash;

  if (hasher == NULL)
    {
      hasher_error = self->application != NULL ? wc_application_get_hasher_error (self->application) : NULL;
      if (hasher_error != NULL)
        g_set_error_literal (error, hasher_error->domain, hasher_error->code, hasher_error->message);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                             _("Whitecoat is still waiting for its key from the keyring. Try again in a moment."));
      return NULL;
    }

  hash = wc_hasher_hash_handle (hasher, get_ref (self));
  if (hash == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("This is not a handle. Type it as @name@server.example, name.bsky.social, or paste a link to the profile."));
  return hash;
}

static void
on_check_toggled (WcPersonTagPopover *self)
{
  show_message (self, NULL);
  update_state (self);
}

static void
finish (WcPersonTagPopover *self,
        gboolean            ok,
        GError             *error)
{
  if (!ok)
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, NULL);
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcPersonTagPopover *self = WC_PERSON_TAG_POPOVER (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* The audience below is rebuilt with the new tag, this popover with it. */
  g_object_ref (self);
  ok = wc_person_tag_popover_apply (self, &error);
  finish (self, ok, error);
  g_object_unref (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcPersonTagPopover *self = WC_PERSON_TAG_POPOVER (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_object_ref (self);
  ok = wc_person_tag_popover_remove (self, &error);
  finish (self, ok, error);
  g_object_unref (self);
}

static void
wc_person_tag_popover_dispose (GObject *object)
{
  WcPersonTagPopover *self = WC_PERSON_TAG_POPOVER (object);

  g_clear_object (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_PERSON_TAG_POPOVER);

  G_OBJECT_CLASS (wc_person_tag_popover_parent_class)->dispose (object);
}

static void
wc_person_tag_popover_finalize (GObject *object)
{
  WcPersonTagPopover *self = WC_PERSON_TAG_POPOVER (object);

  g_free (self->ref);

  G_OBJECT_CLASS (wc_person_tag_popover_parent_class)->finalize (object);
}

static void
wc_person_tag_popover_class_init (WcPersonTagPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_person_tag_popover_dispose;
  object_class->finalize = wc_person_tag_popover_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-person-tag-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, title_label);
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, handle_entry);
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, tags_box);
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, message_label);
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, remove_button);
  gtk_widget_class_bind_template_child (widget_class, WcPersonTagPopover, apply_button);

  gtk_widget_class_install_action (widget_class, "tag.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "tag.remove", NULL, remove_action);
}

static void
wc_person_tag_popover_init (WcPersonTagPopover *self)
{
  self->tag = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    {
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (wc_person_tag_get_label (t));

      gtk_box_append (GTK_BOX (box), wc_tag_swatch_new (t));
      gtk_box_append (GTK_BOX (box), label);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (check), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, wc_person_tag_get_label (t),
                                      -1);
      if (t > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->checks[0]);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
      gtk_box_append (self->tags_box, check);
      self->checks[t] = GTK_CHECK_BUTTON (check);
    }

  g_signal_connect_swapped (self->handle_entry, "changed", G_CALLBACK (on_check_toggled), self);
  gtk_popover_set_default_widget (GTK_POPOVER (self), self->apply_button);
  wc_person_tag_popover_set_person (self, NULL, NULL, -1);
}

static void
on_popover_show (WcPersonTagPopover *self)
{
  if (self->application != NULL)
    wc_application_load_hasher (self->application);
}

/**
 * wc_person_tag_popover_new:
 * @application: for the store and the hasher
 *
 * Returns: (transfer floating): a popover to tag someone
 */
GtkWidget *
wc_person_tag_popover_new (WcApplication *application)
{
  WcPersonTagPopover *self = g_object_new (WC_TYPE_PERSON_TAG_POPOVER, NULL);

  g_set_object (&self->application, application);
  /* Tags are kept as keyed hashes: the key comes from the keyring, asked
   * for when the user first opens the popover. */
  g_signal_connect (self, "show", G_CALLBACK (on_popover_show), NULL);
  return GTK_WIDGET (self);
}

/**
 * wc_person_tag_popover_set_person:
 * @ref: (nullable): the handle, or %NULL to let the user type one
 * @name: (nullable): the name shown, e.g. the display name
 * @tag: the current tag, or -1 for none
 */
void
wc_person_tag_popover_set_person (WcPersonTagPopover *self,
                                  const char         *ref,
                                  const char         *name,
                                  int                 tag)
{
  g_autofree char *title = NULL;

  g_return_if_fail (WC_IS_PERSON_TAG_POPOVER (self));

  g_free (self->ref);
  self->ref = g_strdup (ref);
  self->tag = tag >= 0 && tag < WC_PERSON_N_TAGS ? tag : -1;

  if (ref == NULL)
    title = g_strdup (_("Tag an Account"));
  else
    /* Translators: %s is a person's name or handle. */
    title = g_strdup_printf (_("Tag %s"), name != NULL ? name : ref);
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->handle_entry), ref == NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->handle_entry), "");

  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    gtk_check_button_set_active (self->checks[t], (int) t == self->tag);
  show_message (self, NULL);
  update_state (self);
}

void
wc_person_tag_popover_select_tag (WcPersonTagPopover *self,
                                  WcPersonTag         tag)
{
  g_return_if_fail (WC_IS_PERSON_TAG_POPOVER (self));
  g_return_if_fail ((guint) tag < WC_PERSON_N_TAGS);
  gtk_check_button_set_active (self->checks[tag], TRUE);
}

/**
 * wc_person_tag_popover_get_entry:
 *
 * Returns: (transfer none): where the handle is typed when none is given
 */
GtkEditable *
wc_person_tag_popover_get_entry (WcPersonTagPopover *self)
{
  g_return_val_if_fail (WC_IS_PERSON_TAG_POPOVER (self), NULL);
  return GTK_EDITABLE (self->handle_entry);
}

/**
 * wc_person_tag_popover_apply:
 *
 * Stores the chosen tag for the handle and tells every view.
 */
gboolean
wc_person_tag_popover_apply (WcPersonTagPopover  *self,
                             GError             **error)
{
  WcStore *store;
  g_autofree char *hash = NULL;
  int tag;

  g_return_val_if_fail (WC_IS_PERSON_TAG_POPOVER (self), FALSE);

  tag = selected_tag (self);
  if (tag < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a tag."));
      return FALSE;
    }
  hash = hash_ref (self, error);
  if (hash == NULL)
    return FALSE;
  store = wc_application_get_store (self->application);
  if (store == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Whitecoat cannot save anything: its database is not available."));
      return FALSE;
    }
  if (!wc_store_set_person_tag (store, hash, tag, error))
    return FALSE;

  self->tag = tag;
  update_state (self);
  wc_application_notify_people_changed (self->application);
  return TRUE;
}

/**
 * wc_person_tag_popover_remove:
 *
 * Takes the tag away from the handle and tells every view.
 */
gboolean
wc_person_tag_popover_remove (WcPersonTagPopover  *self,
                              GError             **error)
{
  WcStore *store;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (WC_IS_PERSON_TAG_POPOVER (self), FALSE);

  hash = hash_ref (self, error);
  if (hash == NULL)
    return FALSE;
  store = wc_application_get_store (self->application);
  if (store == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Whitecoat cannot save anything: its database is not available."));
      return FALSE;
    }
  if (!wc_store_remove_person_tag (store, hash, error))
    return FALSE;

  self->tag = -1;
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    gtk_check_button_set_active (self->checks[t], FALSE);
  update_state (self);
  wc_application_notify_people_changed (self->application);
  return TRUE;
}
