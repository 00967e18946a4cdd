/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-identity-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-core-enums.h"
#include "wc-identity-editor.h"

/* One group of the editor: the values of one marker kind, and the entry row
 * that adds one. */
typedef struct
{
  WcIdentityEditor    *editor;
  WcMarkerKind         kind;
  AdwPreferencesGroup *group;
  AdwEntryRow         *entry;   /* owned: it is taken out and put back */
  GtkLabel            *error;
  GPtrArray           *rows;    /* AdwActionRow, owned by the group */
} MarkerGroup;

struct _WcIdentityEditor
{
  AdwBin           parent_instance;

  WcIdentityKind   kind;

  /* What is being edited, and what was last loaded or saved. The name lives
   * in the entry row. */
  char            *color;
  GPtrArray       *markers[WC_N_MARKER_KINDS];
  char            *saved_name;
  char            *saved_color;
  GPtrArray       *saved_markers[WC_N_MARKER_KINDS];

  MarkerGroup     *groups[WC_N_MARKER_KINDS];
  GPtrArray       *swatches;
  gboolean         syncing;
  gboolean         modified;

  /* Template widgets */
  AdwEntryRow     *name_row;
  GtkLabel        *name_error;
  AdwActionRow    *color_row;
  GtkColorButton  *color_button;
  GtkBox          *swatch_box;
  GtkLabel        *color_error;
  GtkBox          *markers_box;
};

G_DEFINE_FINAL_TYPE (WcIdentityEditor, wc_identity_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_KIND,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours that read well on light and dark backgrounds (GNOME palette). */
static const struct
{
  const char *color;
  const char *name;
} presets[] = {
  { "#3584e4", N_("Blue") },
  { "#2190a4", N_("Teal") },
  { "#2ec27e", N_("Green") },
  { "#e66100", N_("Orange") },
  { "#9141ac", N_("Purple") },
  { "#865e3c", N_("Brown") },
};

/* Indexed by WcMarkerKind. */
static const struct
{
  const char *hint;
  const char *personal_hint;
  const char *add_title;
} marker_texts[WC_N_MARKER_KINDS] = {
  { N_("Your name as it appears on professional profiles, for example “Anna de Vries”."),
    NULL,
    N_("Add a name") },
  { N_("Titles and letters after your name, for example “Dr.”, “MD” or “FRCR”."),
    NULL,
    N_("Add a title") },
  { N_("For example “radiology” or “general practice”."),
    NULL,
    N_("Add a specialty") },
  { N_("Hospitals, practices and clinics you work for."),
    NULL,
    N_("Add a hospital or practice") },
  { N_("Web sites of your practice or hospital, for example “example-clinic.org”."),
    N_("Your personal web sites and blogs, for example “anna-bakes.example”."),
    N_("Add a web domain") },
  { N_("Names friends use for you, and your handles on personal accounts."),
    NULL,
    N_("Add a nickname") },
  { N_("Names of family members, for example a partner or children."),
    NULL,
    N_("Add a name") },
};

static void rebuild_marker_rows (WcIdentityEditor *self,
                                 MarkerGroup      *mg);

static GPtrArray *
new_string_array (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static GPtrArray *
copy_string_array (GPtrArray *array)
{
  GPtrArray *copy = new_string_array ();

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));

  return copy;
}

static gboolean
string_arrays_equal (GPtrArray *a,
                     GPtrArray *b)
{
  guint a_len = a ? a->len : 0;
  guint b_len = b ? b->len : 0;

  if (a_len != b_len)
    return FALSE;

  for (guint i = 0; i < a_len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;

  return TRUE;
}

static char *
dup_stripped (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *stripped = dup_stripped (text);

  return stripped[0] == '\0';
}

static const char *
get_preset_name (const char *color)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (color != NULL && g_ascii_strcasecmp (presets[i].color, color) == 0)
      return _(presets[i].name);

  return NULL;
}

static void
show_error (GtkWidget  *field,
            GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static const char *
get_shown_error (GtkLabel *label)
{
  if (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;

  return gtk_label_get_text (label);
}

static void
show_name_error (WcIdentityEditor *self,
                 const char       *message)
{
  show_error (GTK_WIDGET (self->name_row), self->name_error, message);
}

static void
show_color_error (WcIdentityEditor *self,
                  const char       *message)
{
  show_error (GTK_WIDGET (self->color_row), self->color_error, message);
}

static void
show_marker_error (MarkerGroup *mg,
                   const char  *message)
{
  show_error (GTK_WIDGET (mg->entry), mg->error, message);
}

static gboolean
compute_modified (WcIdentityEditor *self)
{
  g_autofree char *name = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  if (g_strcmp0 (name, self->saved_name) != 0)
    return TRUE;

  if (g_ascii_strcasecmp (self->color ? self->color : "",
                          self->saved_color ? self->saved_color : "") != 0)
    return TRUE;

  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      if (!string_arrays_equal (self->markers[k], self->saved_markers[k]))
        return TRUE;

      /* Text typed but not yet added is an edit too: it must not be lost. */
      if (self->groups[k] != NULL &&
          !is_blank (gtk_editable_get_text (GTK_EDITABLE (self->groups[k]->entry))))
        return TRUE;
    }

  return FALSE;
}

static void
update_modified (WcIdentityEditor *self)
{
  gboolean modified;

  if (self->syncing)
    return;

  modified = compute_modified (self);

  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
}

static void
sync_color_widgets (WcIdentityEditor *self)
{
  const char *preset_name = get_preset_name (self->color);
  GdkRGBA rgba;
  gboolean was_syncing = self->syncing;

  self->syncing = TRUE;

  for (guint i = 0; i < self->swatches->len; i++)
    {
      GtkToggleButton *swatch = g_ptr_array_index (self->swatches, i);
      const char *color = g_object_get_data (G_OBJECT (swatch), "wc-color");
      gboolean active = self->color != NULL && g_ascii_strcasecmp (color, self->color) == 0;

      gtk_toggle_button_set_active (swatch, active);
      gtk_widget_queue_draw (gtk_button_get_child (GTK_BUTTON (swatch)));
    }

  if (self->color != NULL && gdk_rgba_parse (&rgba, self->color))
    gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);

  adw_action_row_set_subtitle (self->color_row,
                               preset_name ? preset_name : _("Custom colour"));

  self->syncing = was_syncing;
}

static gboolean
set_color_internal (WcIdentityEditor *self,
                    const char       *color)
{
  if (color == NULL || !wc_color_is_valid (color))
    {
      show_color_error (self, _("This is not a colour Whitecoat can use. Pick one of the suggested colours or a custom one."));
      sync_color_widgets (self);
      return FALSE;
    }

  show_color_error (self, NULL);
  g_free (self->color);
  self->color = g_ascii_strdown (color, -1);
  sync_color_widgets (self);
  update_modified (self);

  return TRUE;
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  GtkToggleButton *swatch = GTK_TOGGLE_BUTTON (user_data);
  const char *color = g_object_get_data (G_OBJECT (swatch), "wc-color");
  double size = MIN (width, height);
  double cx = width / 2.0;
  double cy = height / 2.0;
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, color))
    return;

  cairo_arc (cr, cx, cy, size / 2.0, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill (cr);

  if (gtk_toggle_button_get_active (swatch))
    {
      cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_move_to (cr, cx - size * 0.22, cy + size * 0.02);
      cairo_line_to (cr, cx - size * 0.06, cy + size * 0.18);
      cairo_line_to (cr, cx + size * 0.24, cy - size * 0.16);
      cairo_stroke (cr);
    }
}

static void
on_swatch_toggled (GtkToggleButton  *swatch,
                   WcIdentityEditor *self)
{
  if (self->syncing)
    return;

  /* Clicking the chosen colour again keeps it chosen. */
  set_color_internal (self, g_object_get_data (G_OBJECT (swatch), "wc-color"));
}

static void
add_swatches (WcIdentityEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      GtkWidget *swatch = gtk_toggle_button_new ();
      GtkWidget *area = gtk_drawing_area_new ();

      g_object_set_data (G_OBJECT (swatch), "wc-color", (gpointer) presets[i].color);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 24);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 24);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, swatch, NULL);
      gtk_button_set_child (GTK_BUTTON (swatch), area);

      gtk_widget_add_css_class (swatch, "flat");
      gtk_widget_add_css_class (swatch, "circular");
      gtk_widget_add_css_class (swatch, "wc-color-swatch");
      gtk_widget_set_tooltip_text (swatch, _(presets[i].name));
      gtk_accessible_update_property (GTK_ACCESSIBLE (swatch),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(presets[i].name),
                                      -1);
      g_signal_connect (swatch, "toggled", G_CALLBACK (on_swatch_toggled), self);

      gtk_box_append (self->swatch_box, swatch);
      g_ptr_array_add (self->swatches, swatch);
    }
}

static gboolean
marker_present (GPtrArray  *values,
                const char *value)
{
  g_autofree char *folded = g_utf8_casefold (value, -1);

  for (guint i = 0; i < values->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (values, i), -1);

      if (g_utf8_collate (folded, other) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The one path by which a marker gets added: the entry's Enter key, its add
 * button, and wc_identity_editor_add_marker(). */
static gboolean
add_marker_from_entry (WcIdentityEditor  *self,
                       MarkerGroup       *mg,
                       GError           **error)
{
  g_autofree char *value = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (mg->entry)));
  g_autoptr(GError) local_error = NULL;

  if (!wc_marker_validate (mg->kind, value, &local_error))
    {
      show_marker_error (mg, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (marker_present (self->markers[mg->kind], value))
    {
      g_set_error (&local_error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER,
                   _("“%s” is already in the list."), value);
      show_marker_error (mg, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_ptr_array_add (self->markers[mg->kind], g_steal_pointer (&value));

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (mg->entry), "");
  self->syncing = FALSE;

  show_marker_error (mg, NULL);
  rebuild_marker_rows (self, mg);
  update_modified (self);

  return TRUE;
}

static void
on_marker_entry_activated (AdwEntryRow *entry,
                           MarkerGroup *mg)
{
  /* The row was taken out and put back below the new value: keep typing. */
  if (add_marker_from_entry (mg->editor, mg, NULL))
    gtk_widget_grab_focus (GTK_WIDGET (mg->entry));
}

static void
on_marker_add_clicked (GtkButton   *button,
                       MarkerGroup *mg)
{
  if (add_marker_from_entry (mg->editor, mg, NULL))
    gtk_widget_grab_focus (GTK_WIDGET (mg->entry));
}

static void
on_marker_entry_changed (GtkEditable *entry,
                         MarkerGroup *mg)
{
  if (mg->editor->syncing)
    return;

  show_marker_error (mg, NULL);
  update_modified (mg->editor);
}

static gboolean
remove_marker_value (WcIdentityEditor *self,
                     WcMarkerKind      kind,
                     const char       *value)
{
  GPtrArray *values = self->markers[kind];

  for (guint i = 0; i < values->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (values, i), value) == 0)
        {
          g_ptr_array_remove_index (values, i);
          if (self->groups[kind] != NULL)
            rebuild_marker_rows (self, self->groups[kind]);
          update_modified (self);
          return TRUE;
        }
    }

  return FALSE;
}

static void
on_marker_remove_clicked (GtkButton   *button,
                          MarkerGroup *mg)
{
  g_autofree char *value = g_strdup (g_object_get_data (G_OBJECT (button), "wc-value"));

  remove_marker_value (mg->editor, mg->kind, value);
  gtk_widget_grab_focus (GTK_WIDGET (mg->entry));
}

static void
rebuild_marker_rows (WcIdentityEditor *self,
                     MarkerGroup      *mg)
{
  GPtrArray *values = self->markers[mg->kind];

  for (guint i = 0; i < mg->rows->len; i++)
    adw_preferences_group_remove (mg->group, g_ptr_array_index (mg->rows, i));
  g_ptr_array_set_size (mg->rows, 0);

  /* Keep the entry row last, below the values. */
  if (gtk_widget_get_parent (GTK_WIDGET (mg->entry)) != NULL)
    adw_preferences_group_remove (mg->group, GTK_WIDGET (mg->entry));

  for (guint i = 0; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), value);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                      -1);
      g_object_set_data_full (G_OBJECT (remove), "wc-value", g_strdup (value), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_marker_remove_clicked), mg);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (mg->group, row);
      g_ptr_array_add (mg->rows, row);
    }

  adw_preferences_group_add (mg->group, GTK_WIDGET (mg->entry));
}

static void
marker_group_free (MarkerGroup *mg)
{
  g_clear_object (&mg->entry);
  g_clear_pointer (&mg->rows, g_ptr_array_unref);
  g_free (mg);
}

static MarkerGroup *
ensure_marker_group (WcIdentityEditor *self,
                     WcMarkerKind      kind)
{
  MarkerGroup *mg;
  GtkWidget *add;
  const char *hint;

  g_return_val_if_fail (kind < WC_N_MARKER_KINDS, NULL);

  if (self->groups[kind] != NULL)
    return self->groups[kind];

  mg = g_new0 (MarkerGroup, 1);
  mg->editor = self;
  mg->kind = kind;
  mg->rows = g_ptr_array_new ();

  hint = marker_texts[kind].hint;
  if (self->kind == WC_IDENTITY_PERSONAL && marker_texts[kind].personal_hint != NULL)
    hint = marker_texts[kind].personal_hint;

  mg->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (mg->group, wc_marker_kind_get_label (kind));
  adw_preferences_group_set_description (mg->group, _(hint));

  mg->entry = g_object_ref_sink (ADW_ENTRY_ROW (adw_entry_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mg->entry), _(marker_texts[kind].add_title));
  if (kind == WC_MARKER_DOMAIN)
    adw_entry_row_set_input_purpose (mg->entry, GTK_INPUT_PURPOSE_URL);
  g_signal_connect (mg->entry, "entry-activated", G_CALLBACK (on_marker_entry_activated), mg);
  g_signal_connect (mg->entry, "changed", G_CALLBACK (on_marker_entry_changed), mg);

  add = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_tooltip_text (add, _("Add"));
  g_signal_connect (add, "clicked", G_CALLBACK (on_marker_add_clicked), mg);
  adw_entry_row_add_suffix (mg->entry, add);

  mg->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (mg->error, TRUE);
  gtk_label_set_xalign (mg->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (mg->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (mg->error), FALSE);
  adw_preferences_group_add (mg->group, GTK_WIDGET (mg->error));

  if (self->markers[kind] == NULL)
    self->markers[kind] = new_string_array ();

  self->groups[kind] = mg;
  rebuild_marker_rows (self, mg);
  gtk_box_append (self->markers_box, GTK_WIDGET (mg->group));

  return mg;
}

static void
on_name_row_changed (WcIdentityEditor *self)
{
  if (self->syncing)
    return;

  show_name_error (self, NULL);
  update_modified (self);
}

static void
on_color_button_color_set (WcIdentityEditor *self)
{
  GdkRGBA rgba;
  g_autofree char *color = NULL;

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
  color = g_strdup_printf ("#%02x%02x%02x",
                           (guint) CLAMP (rgba.red * 255.0 + 0.5, 0, 255),
                           (guint) CLAMP (rgba.green * 255.0 + 0.5, 0, 255),
                           (guint) CLAMP (rgba.blue * 255.0 + 0.5, 0, 255));
  set_color_internal (self, color);
}

/* Shows an error of wc_identity_validate() or the store at the field it is
 * about. Returns FALSE when it belongs to no field. */
static gboolean
show_identity_error (WcIdentityEditor *self,
                     const GError     *error)
{
  if (error->domain != WC_IDENTITY_ERROR)
    return FALSE;

  switch (error->code)
    {
    case WC_IDENTITY_ERROR_NAME:
      show_name_error (self, error->message);
      return TRUE;

    case WC_IDENTITY_ERROR_COLOR:
      show_color_error (self, error->message);
      return TRUE;

    case WC_IDENTITY_ERROR_MARKER:
      for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
        {
          GPtrArray *values = self->markers[k];

          for (guint i = 0; values != NULL && i < values->len; i++)
            {
              g_autoptr(GError) marker_error = NULL;

              if (!wc_marker_validate (k, g_ptr_array_index (values, i), &marker_error))
                {
                  show_marker_error (ensure_marker_group (self, k), marker_error->message);
                  return TRUE;
                }
            }
        }
      return FALSE;

    default:
      return FALSE;
    }
}

static void
wc_identity_editor_constructed (GObject *object)
{
  WcIdentityEditor *self = WC_IDENTITY_EDITOR (object);
  const WcMarkerKind *kinds;
  guint n_kinds = 0;
  g_autoptr(WcIdentity) defaults = NULL;

  G_OBJECT_CLASS (wc_identity_editor_parent_class)->constructed (object);

  kinds = wc_marker_kinds_for_identity (self->kind, &n_kinds);
  for (guint i = 0; i < n_kinds; i++)
    ensure_marker_group (self, kinds[i]);

  defaults = wc_identity_new (self->kind);
  wc_identity_editor_set_identity (self, defaults);
}

static void
wc_identity_editor_dispose (GObject *object)
{
  WcIdentityEditor *self = WC_IDENTITY_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_IDENTITY_EDITOR);

  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    g_clear_pointer (&self->groups[k], marker_group_free);

  G_OBJECT_CLASS (wc_identity_editor_parent_class)->dispose (object);
}

static void
wc_identity_editor_finalize (GObject *object)
{
  WcIdentityEditor *self = WC_IDENTITY_EDITOR (object);

  g_free (self->color);
  g_free (self->saved_name);
  g_free (self->saved_color);
  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      g_clear_pointer (&self->markers[k], g_ptr_array_unref);
      g_clear_pointer (&self->saved_markers[k], g_ptr_array_unref);
    }
  g_clear_pointer (&self->swatches, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_identity_editor_parent_class)->finalize (object);
}

static void
wc_identity_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WcIdentityEditor *self = WC_IDENTITY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_identity_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WcIdentityEditor *self = WC_IDENTITY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_identity_editor_class_init (WcIdentityEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wc_identity_editor_constructed;
  object_class->dispose = wc_identity_editor_dispose;
  object_class->finalize = wc_identity_editor_finalize;
  object_class->get_property = wc_identity_editor_get_property;
  object_class->set_property = wc_identity_editor_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       WC_TYPE_IDENTITY_KIND,
                       WC_IDENTITY_PROFESSIONAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* Whether anything differs from what was last loaded or saved,
   * including text typed into an add-marker field. */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-identity-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, color_row);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, color_button);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, swatch_box);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, color_error);
  gtk_widget_class_bind_template_child (widget_class, WcIdentityEditor, markers_box);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_color_button_color_set);
}

static void
wc_identity_editor_init (WcIdentityEditor *self)
{
  self->kind = WC_IDENTITY_PROFESSIONAL;
  self->swatches = g_ptr_array_new ();
  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    self->saved_markers[k] = new_string_array ();

  gtk_widget_init_template (GTK_WIDGET (self));

  add_swatches (self);
}

/**
 * wc_identity_editor_new:
 * @kind: which identity the editor is for
 *
 * Creates an editor for the name, colour and markers of one identity. It
 * starts with the defaults; call wc_identity_editor_set_identity() to edit a
 * stored identity.
 *
 * Returns: (transfer floating): a new #WcIdentityEditor
 */
GtkWidget *
wc_identity_editor_new (WcIdentityKind kind)
{
  return g_object_new (WC_TYPE_IDENTITY_EDITOR,
                       "kind", kind,
                       NULL);
}

/**
 * wc_identity_editor_get_kind:
 * @self: a #WcIdentityEditor
 *
 * Returns: the identity kind this editor edits
 */
WcIdentityKind
wc_identity_editor_get_kind (WcIdentityEditor *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), WC_IDENTITY_PROFESSIONAL);

  return self->kind;
}

/**
 * wc_identity_editor_set_identity:
 * @self: a #WcIdentityEditor
 * @identity: the identity to edit; it is copied, not changed
 *
 * Loads @identity into the fields, drops unsaved edits and clears the
 * messages shown at the fields.
 */
void
wc_identity_editor_set_identity (WcIdentityEditor *self,
                                 WcIdentity       *identity)
{
  const char *name;
  const char *color;
  GPtrArray *markers;

  g_return_if_fail (WC_IS_IDENTITY_EDITOR (self));
  g_return_if_fail (WC_IS_IDENTITY (identity));

  if (wc_identity_get_kind (identity) != self->kind)
    g_debug ("Editing a %s identity in a %s editor",
             wc_identity_kind_to_string (wc_identity_get_kind (identity)),
             wc_identity_kind_to_string (self->kind));

  name = wc_identity_get_name (identity);
  if (name == NULL)
    name = wc_identity_kind_get_label (self->kind);

  color = wc_identity_get_color (identity);
  if (color == NULL || !wc_color_is_valid (color))
    color = wc_identity_kind_get_default_color (self->kind);

  self->syncing = TRUE;

  g_free (self->saved_name);
  self->saved_name = dup_stripped (name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);

  g_free (self->saved_color);
  self->saved_color = g_ascii_strdown (color, -1);
  g_free (self->color);
  self->color = g_ascii_strdown (color, -1);

  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      g_clear_pointer (&self->markers[k], g_ptr_array_unref);
      self->markers[k] = new_string_array ();
    }

  markers = wc_identity_get_markers (identity);
  for (guint i = 0; markers != NULL && i < markers->len; i++)
    {
      WcMarker *marker = g_ptr_array_index (markers, i);

      if (marker->kind >= WC_N_MARKER_KINDS || marker->value == NULL)
        continue;

      g_ptr_array_add (self->markers[marker->kind], g_strdup (marker->value));
    }

  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      g_clear_pointer (&self->saved_markers[k], g_ptr_array_unref);
      self->saved_markers[k] = copy_string_array (self->markers[k]);

      /* A marker of a kind this identity does not list still gets shown. */
      if (self->markers[k]->len > 0)
        ensure_marker_group (self, k);

      if (self->groups[k] != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->groups[k]->entry), "");
          show_marker_error (self->groups[k], NULL);
          rebuild_marker_rows (self, self->groups[k]);
        }
    }

  show_name_error (self, NULL);
  show_color_error (self, NULL);
  sync_color_widgets (self);

  self->syncing = FALSE;

  update_modified (self);
}

/**
 * wc_identity_editor_get_identity:
 * @self: a #WcIdentityEditor
 *
 * Returns the identity as edited, whether valid or not. Text typed into an
 * add-marker field but not added is not part of it.
 *
 * Returns: (transfer full): a new #WcIdentity
 */
WcIdentity *
wc_identity_editor_get_identity (WcIdentityEditor *self)
{
  WcIdentity *identity;
  g_autofree char *name = NULL;

  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), NULL);

  name = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  identity = wc_identity_new (self->kind);
  wc_identity_set_name (identity, name);
  wc_identity_set_color (identity, self->color);

  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    for (guint i = 0; i < self->markers[k]->len; i++)
      wc_identity_add_marker (identity, k, g_ptr_array_index (self->markers[k], i));

  return identity;
}

/**
 * wc_identity_editor_get_modified:
 * @self: a #WcIdentityEditor
 *
 * Returns: whether the fields differ from what was last loaded or saved
 */
gboolean
wc_identity_editor_get_modified (WcIdentityEditor *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);

  return self->modified;
}

/**
 * wc_identity_editor_validate:
 * @self: a #WcIdentityEditor
 * @error: return location for the first problem found
 *
 * Adds what was typed into the add-marker fields, then checks the whole
 * identity. Every problem is shown at its field.
 *
 * Returns: %TRUE if the identity can be saved
 */
gboolean
wc_identity_editor_validate (WcIdentityEditor  *self,
                             GError           **error)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(WcIdentity) identity = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);

  /* What the user typed counts, even if they did not press Enter. */
  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      MarkerGroup *mg = self->groups[k];
      g_autoptr(GError) marker_error = NULL;

      if (mg == NULL)
        continue;

      if (is_blank (gtk_editable_get_text (GTK_EDITABLE (mg->entry))))
        {
          self->syncing = TRUE;
          gtk_editable_set_text (GTK_EDITABLE (mg->entry), "");
          self->syncing = FALSE;
          continue;
        }

      if (!add_marker_from_entry (self, mg, &marker_error) && first_error == NULL)
        first_error = g_steal_pointer (&marker_error);
    }

  name = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  if (name[0] == '\0')
    {
      g_autoptr(GError) name_error = g_error_new_literal (WC_IDENTITY_ERROR,
                                                          WC_IDENTITY_ERROR_NAME,
                                                          _("Enter the name Whitecoat shows for this identity."));

      show_name_error (self, name_error->message);
      if (first_error == NULL)
        first_error = g_steal_pointer (&name_error);
    }

  if (first_error == NULL)
    {
      identity = wc_identity_editor_get_identity (self);

      if (!wc_identity_validate (identity, &first_error))
        {
          if (!show_identity_error (self, first_error))
            show_name_error (self, first_error->message);
        }
    }

  update_modified (self);

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * wc_identity_editor_apply:
 * @self: a #WcIdentityEditor
 * @store: the store to save to
 * @error: return location for an error
 *
 * Validates the edited identity and saves it in one transaction. Problems
 * with a field are shown at the field and nothing is stored.
 *
 * Returns: %TRUE if the identity was saved
 */
gboolean
wc_identity_editor_apply (WcIdentityEditor  *self,
                          WcStore           *store,
                          GError           **error)
{
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);
  g_return_val_if_fail (WC_IS_STORE (store), FALSE);

  if (!wc_identity_editor_validate (self, error))
    return FALSE;

  identity = wc_identity_editor_get_identity (self);

  if (!wc_store_save_identity (store, identity, &local_error))
    {
      show_identity_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_free (self->saved_name);
  self->saved_name = g_strdup (wc_identity_get_name (identity));
  g_free (self->saved_color);
  self->saved_color = g_strdup (self->color);
  for (guint k = 0; k < WC_N_MARKER_KINDS; k++)
    {
      g_clear_pointer (&self->saved_markers[k], g_ptr_array_unref);
      self->saved_markers[k] = copy_string_array (self->markers[k]);
    }

  update_modified (self);

  return TRUE;
}

/**
 * wc_identity_editor_set_name:
 * @self: a #WcIdentityEditor
 * @name: the name, as if typed
 *
 * Puts @name into the name field, as typing would.
 */
void
wc_identity_editor_set_name (WcIdentityEditor *self,
                             const char       *name)
{
  g_return_if_fail (WC_IS_IDENTITY_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
}

/**
 * wc_identity_editor_set_color:
 * @self: a #WcIdentityEditor
 * @color: a colour as "#rrggbb"
 *
 * Chooses @color, as a click on a swatch or the colour chooser would.
 *
 * Returns: %FALSE if @color was refused (the message is shown at the field)
 */
gboolean
wc_identity_editor_set_color (WcIdentityEditor *self,
                              const char       *color)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);

  return set_color_internal (self, color);
}

/**
 * wc_identity_editor_set_pending_marker:
 * @self: a #WcIdentityEditor
 * @kind: a marker kind
 * @text: text to put into the kind's add field, without adding it
 *
 * Types @text into the add field of @kind.
 */
void
wc_identity_editor_set_pending_marker (WcIdentityEditor *self,
                                       WcMarkerKind      kind,
                                       const char       *text)
{
  MarkerGroup *mg;

  g_return_if_fail (WC_IS_IDENTITY_EDITOR (self));
  g_return_if_fail (kind < WC_N_MARKER_KINDS);

  mg = ensure_marker_group (self, kind);
  gtk_editable_set_text (GTK_EDITABLE (mg->entry), text ? text : "");
}

/**
 * wc_identity_editor_add_marker:
 * @self: a #WcIdentityEditor
 * @kind: a marker kind
 * @value: the marker
 *
 * Types @value into the add field of @kind and adds it, as pressing Enter
 * there would.
 *
 * Returns: %TRUE if it was added; otherwise the message is shown at the field
 */
gboolean
wc_identity_editor_add_marker (WcIdentityEditor *self,
                               WcMarkerKind      kind,
                               const char       *value)
{
  MarkerGroup *mg;

  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);
  g_return_val_if_fail (kind < WC_N_MARKER_KINDS, FALSE);

  mg = ensure_marker_group (self, kind);
  gtk_editable_set_text (GTK_EDITABLE (mg->entry), value ? value : "");

  return add_marker_from_entry (self, mg, NULL);
}

/**
 * wc_identity_editor_remove_marker:
 * @self: a #WcIdentityEditor
 * @kind: a marker kind
 * @value: the marker
 *
 * Removes a marker, as its remove button would.
 *
 * Returns: %TRUE if there was such a marker
 */
gboolean
wc_identity_editor_remove_marker (WcIdentityEditor *self,
                                  WcMarkerKind      kind,
                                  const char       *value)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), FALSE);
  g_return_val_if_fail (kind < WC_N_MARKER_KINDS, FALSE);

  return remove_marker_value (self, kind, value);
}

/**
 * wc_identity_editor_get_name_error:
 * @self: a #WcIdentityEditor
 *
 * Returns: (nullable): the message shown at the name field
 */
const char *
wc_identity_editor_get_name_error (WcIdentityEditor *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), NULL);

  return get_shown_error (self->name_error);
}

/**
 * wc_identity_editor_get_color_error:
 * @self: a #WcIdentityEditor
 *
 * Returns: (nullable): the message shown at the colour field
 */
const char *
wc_identity_editor_get_color_error (WcIdentityEditor *self)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), NULL);

  return get_shown_error (self->color_error);
}

/**
 * wc_identity_editor_get_marker_error:
 * @self: a #WcIdentityEditor
 * @kind: a marker kind
 *
 * Returns: (nullable): the message shown at the add field of @kind
 */
const char *
wc_identity_editor_get_marker_error (WcIdentityEditor *self,
                                     WcMarkerKind      kind)
{
  g_return_val_if_fail (WC_IS_IDENTITY_EDITOR (self), NULL);
  g_return_val_if_fail (kind < WC_N_MARKER_KINDS, NULL);

  if (self->groups[kind] == NULL)
    return NULL;

  return get_shown_error (self->groups[kind]->error);
}
