/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-finding-row.h"

/* One finding of the draft's checks: how severe, what it says, the rule it
 * rests on, and a button for every way to resolve it. The buttons activate
 * the composer's actions with the finding's position in the list; the row
 * itself decides nothing. */

struct _WcFindingRow
{
  GtkListBoxRow   parent_instance;

  /* template */
  GtkImage       *severity_icon;
  GtkLabel       *severity_label;
  GtkLabel       *context_label;
  GtkLabel       *message_label;
  GtkLabel       *rule_label;
  GtkFlowBox     *buttons;

  WcFinding      *finding;
  WcIdentityKind  identity;
  char           *image_name;
  GHashTable     *buttons_by_resolution;  /* GUINT_TO_POINTER (flag) → GtkButton */
};

G_DEFINE_FINAL_TYPE (WcFindingRow, wc_finding_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
severity_icon_name (WcSeverity severity)
{
  switch (severity)
    {
    case WC_SEVERITY_BLOCKER:
      return "dialog-error-symbolic";
    case WC_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case WC_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_text (WcSeverity severity)
{
  switch (severity)
    {
    case WC_SEVERITY_BLOCKER:
      /* Translators: the severity of a finding that stops posting. */
      return _("Blocker");
    case WC_SEVERITY_WARNING:
      return _("Warning");
    case WC_SEVERITY_INFO:
    default:
      /* Translators: the severity of a finding that is only for information. */
      return _("Info");
    }
}

static void
add_button (WcFindingRow  *self,
            WcResolutions  resolution,
            const char    *label,
            const char    *tooltip,
            const char    *action,
            guint          position,
            gboolean       flat)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  GtkWidget *child;

  gtk_widget_set_halign (button, GTK_ALIGN_START);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (!g_str_equal (action, "composer.move-identity"))
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (position));
  if (flat)
    gtk_widget_add_css_class (button, "flat");

  gtk_flow_box_append (self->buttons, button);
  /* The flow box wraps each button in a child that would take a focus stop
   * of its own: the button is enough. */
  child = gtk_widget_get_parent (button);
  gtk_widget_set_focusable (child, FALSE);

  g_hash_table_insert (self->buttons_by_resolution, GUINT_TO_POINTER (resolution), button);
}

static void
build (WcFindingRow *self,
       const WcRule *rule,
       guint         position)
{
  WcSeverity severity = wc_finding_get_severity (self->finding);
  WcResolutions resolutions = wc_finding_get_resolutions (self->finding);
  /* Not "warning" or "error": libadwaita colours every widget with those. */
  static const char * const severity_classes[] = { "severity-info", "severity-warning", "severity-blocker" };
  guint n_spans = 0;

  gtk_widget_add_css_class (GTK_WIDGET (self), severity_classes[MIN (severity, 2)]);
  gtk_image_set_from_icon_name (self->severity_icon, severity_icon_name (severity));
  gtk_label_set_text (self->severity_label, severity_text (severity));
  gtk_label_set_text (self->message_label, wc_finding_get_message (self->finding));

  if (self->image_name != NULL)
    {
      gtk_label_set_text (self->context_label, self->image_name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->context_label), self->image_name);
      gtk_widget_set_visible (GTK_WIDGET (self->context_label), TRUE);
    }

  if (rule != NULL)
    {
      g_autofree char *text = NULL;
      g_autofree char *sources = NULL;

      /* Translators: a guideline's id and title, e.g. "R3 · Post no identifiable patient information". */
      text = g_strdup_printf (_("%s · %s"), rule->id, g_dgettext (GETTEXT_PACKAGE, rule->title));
      gtk_label_set_text (self->rule_label, text);
      if (rule->sources != NULL && rule->sources[0] != '\0')
        {
          /* Translators: %s lists the guidelines a rule comes from. */
          sources = g_strdup_printf (_("Sources: %s"), rule->sources);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->rule_label), sources);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->rule_label),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sources,
                                          -1);
        }
    }
  else
    {
      gtk_label_set_text (self->rule_label, wc_finding_get_rule (self->finding));
    }

  wc_finding_get_spans (self->finding, &n_spans);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self),
                                    n_spans > 0 || wc_finding_get_attachment (self->finding) >= 0);

  if (resolutions & WC_RESOLUTION_EDIT)
    add_button (self, WC_RESOLUTION_EDIT, _("Edit"),
                _("Select these words in the text"),
                "composer.finding-edit", position, FALSE);
  if (resolutions & WC_RESOLUTION_STRIP_METADATA)
    add_button (self, WC_RESOLUTION_STRIP_METADATA, _("Strip Now"),
                _("Use a copy of the image without any metadata; the original file is left as it is"),
                "composer.finding-strip", position, FALSE);
  if (resolutions & WC_RESOLUTION_RECORD_CONSENT)
    add_button (self, WC_RESOLUTION_RECORD_CONSENT, _("Record Consent…"),
                _("Confirm that the patient consented and that the image is fully de-identified"),
                "composer.finding-consent", position, FALSE);
  if (resolutions & WC_RESOLUTION_RECORD_SOURCE)
    add_button (self, WC_RESOLUTION_RECORD_SOURCE, _("Record Source…"),
                _("Write down where the image came from"),
                "composer.finding-source", position, FALSE);
  if (resolutions & WC_RESOLUTION_MOVE_IDENTITY)
    add_button (self, WC_RESOLUTION_MOVE_IDENTITY,
                self->identity == WC_IDENTITY_PERSONAL ? _("Move to Professional") : _("Move to Personal"),
                self->identity == WC_IDENTITY_PERSONAL
                ? _("Make this a draft of your professional identity; every check runs again")
                : _("Make this a draft of your personal identity; every check runs again"),
                "composer.move-identity", position, FALSE);
  if (resolutions & WC_RESOLUTION_REMOVE_IMAGE)
    add_button (self, WC_RESOLUTION_REMOVE_IMAGE, _("Remove Image"),
                _("Take the image out of the draft"),
                "composer.finding-remove-image", position, FALSE);
  if (resolutions & WC_RESOLUTION_DISMISS)
    add_button (self, WC_RESOLUTION_DISMISS,
                severity == WC_SEVERITY_BLOCKER ? _("Override…") : _("Dismiss…"),
                severity == WC_SEVERITY_BLOCKER
                ? _("Post anyway, saying why; the reason is kept in the audit log")
                : _("Hide this for this draft, saying why; the reason is kept in the audit log"),
                "composer.finding-dismiss", position, TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->buttons), resolutions != WC_RESOLUTION_NONE);
}

static void
wc_finding_row_dispose (GObject *object)
{
  WcFindingRow *self = WC_FINDING_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_FINDING_ROW);

  G_OBJECT_CLASS (wc_finding_row_parent_class)->dispose (object);
}

static void
wc_finding_row_finalize (GObject *object)
{
  WcFindingRow *self = WC_FINDING_ROW (object);

  g_clear_pointer (&self->finding, wc_finding_unref);
  g_clear_pointer (&self->image_name, g_free);
  g_clear_pointer (&self->buttons_by_resolution, g_hash_table_unref);

  G_OBJECT_CLASS (wc_finding_row_parent_class)->finalize (object);
}

static void
wc_finding_row_class_init (WcFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_finding_row_dispose;
  object_class->finalize = wc_finding_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-finding-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, severity_icon);
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, severity_label);
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, context_label);
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, rule_label);
  gtk_widget_class_bind_template_child (widget_class, WcFindingRow, buttons);
}

static void
wc_finding_row_init (WcFindingRow *self)
{
  self->buttons_by_resolution = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wc_finding_row_new:
 * @finding: the finding
 * @rule: (nullable): the rule it rests on
 * @position: its place in the composer's list, the target of the buttons' actions
 * @identity: the identity the draft is written as
 * @image_name: (nullable): the image it concerns, for findings about an image
 *
 * Returns: (transfer floating): a row presenting @finding
 */
GtkWidget *
wc_finding_row_new (WcFinding      *finding,
                    const WcRule   *rule,
                    guint           position,
                    WcIdentityKind  identity,
                    const char     *image_name)
{
  WcFindingRow *self;

  g_return_val_if_fail (finding != NULL, NULL);

  self = g_object_new (WC_TYPE_FINDING_ROW, NULL);
  self->finding = wc_finding_ref (finding);
  self->identity = identity;
  self->image_name = g_strdup (image_name);
  build (self, rule, position);

  return GTK_WIDGET (self);
}

/**
 * wc_finding_row_get_finding:
 *
 * Returns: (transfer none): the finding shown
 */
WcFinding *
wc_finding_row_get_finding (WcFindingRow *self)
{
  g_return_val_if_fail (WC_IS_FINDING_ROW (self), NULL);
  return self->finding;
}

/**
 * wc_finding_row_matches:
 *
 * Whether the row would look the same for @finding but for its message
 * (which may count characters) and spans: then the composer keeps the row,
 * and the focus in it, and only hands it the new finding.
 */
gboolean
wc_finding_row_matches (WcFindingRow   *self,
                        WcFinding      *finding,
                        WcIdentityKind  identity,
                        const char     *image_name)
{
  g_return_val_if_fail (WC_IS_FINDING_ROW (self), FALSE);

  return self->identity == identity
         && g_strcmp0 (self->image_name, image_name) == 0
         && g_strcmp0 (wc_finding_get_id (self->finding), wc_finding_get_id (finding)) == 0
         && wc_finding_get_severity (self->finding) == wc_finding_get_severity (finding)
         && wc_finding_get_attachment (self->finding) == wc_finding_get_attachment (finding)
         && wc_finding_get_resolutions (self->finding) == wc_finding_get_resolutions (finding)
         && g_strcmp0 (wc_finding_get_rule (self->finding), wc_finding_get_rule (finding)) == 0;
}

/**
 * wc_finding_row_set_finding:
 *
 * Replaces the finding by a matching one (see wc_finding_row_matches())
 * whose message or spans may have changed.
 */
void
wc_finding_row_set_finding (WcFindingRow *self,
                            WcFinding    *finding)
{
  g_return_if_fail (WC_IS_FINDING_ROW (self));
  g_return_if_fail (finding != NULL);

  wc_finding_ref (finding);
  g_clear_pointer (&self->finding, wc_finding_unref);
  self->finding = finding;
  if (g_strcmp0 (gtk_label_get_text (self->message_label), wc_finding_get_message (finding)) != 0)
    gtk_label_set_text (self->message_label, wc_finding_get_message (finding));
}

const char *
wc_finding_row_get_severity_text (WcFindingRow *self)
{
  g_return_val_if_fail (WC_IS_FINDING_ROW (self), NULL);
  return gtk_label_get_text (self->severity_label);
}

const char *
wc_finding_row_get_rule_text (WcFindingRow *self)
{
  g_return_val_if_fail (WC_IS_FINDING_ROW (self), NULL);
  return gtk_label_get_text (self->rule_label);
}

/**
 * wc_finding_row_get_button:
 * @resolution: one resolution flag
 *
 * Returns: (transfer none) (nullable): the button offering @resolution
 */
GtkWidget *
wc_finding_row_get_button (WcFindingRow  *self,
                           WcResolutions  resolution)
{
  g_return_val_if_fail (WC_IS_FINDING_ROW (self), NULL);
  return g_hash_table_lookup (self->buttons_by_resolution, GUINT_TO_POINTER (resolution));
}
