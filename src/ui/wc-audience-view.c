/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-audience-view.h"
#include "wc-network-catalog.h"
#include "wc-person-tag-popover.h"

/* The editor computes the audiences (src/core/wc-audience.c holds every
 * rule); this view only shows them. A section is rebuilt only when its
 * audience changed, which the editor decides: typing alone never does. */

/* The age of the followers is refreshed this often while shown. */
#define AGE_REFRESH_SECONDS 60

typedef struct
{
  gint64           account_id;
  WcAudience      *audience;
  GtkWidget       *box;
  WcAudienceRings *rings;
  GtkLabel        *age_label;
  GHashTable      *popovers;   /* ref → WcPersonTagPopover; "" for "Tag an account" */
} Section;

struct _WcAudienceView
{
  AdwBin          parent_instance;

  /* template */
  GtkLabel       *title_label;
  GtkLabel       *placeholder_label;
  GtkBox         *sections_box;

  WcApplication  *application;
  WcDraftEditor  *editor;
  GPtrArray      *sections;    /* Section */
  guint           update_idle;
  guint           age_source;
};

G_DEFINE_FINAL_TYPE (WcAudienceView, wc_audience_view, ADW_TYPE_BIN)

static void
section_free (Section *section)
{
  g_clear_pointer (&section->audience, wc_audience_unref);
  g_clear_pointer (&section->popovers, g_hash_table_unref);
  g_free (section);
}

static Section *
find_section (WcAudienceView *self,
              gint64          account_id)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->account_id == account_id)
        return section;
    }
  return NULL;
}

static WcStore *
get_store (WcAudienceView *self)
{
  return self->application != NULL ? wc_application_get_store (self->application) : NULL;
}

static void
get_accent (WcAudienceView *self,
            GdkRGBA        *accent)
{
  WcIdentityKind kind = self->editor != NULL
                        ? wc_draft_get_identity (wc_draft_editor_get_draft (self->editor))
                        : WC_IDENTITY_PROFESSIONAL;
  g_autofree char *color = self->application != NULL
                           ? wc_application_dup_identity_color (self->application, kind)
                           : g_strdup (wc_identity_kind_get_default_color (kind));

  if (!gdk_rgba_parse (accent, color))
    gdk_rgba_parse (accent, wc_identity_kind_get_default_color (kind));
}

static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/* "Reached · 312 people", "Not reached", "Unknown". */
static char *
dup_ring_status (WcAudience *audience,
                 WcRing      ring)
{
  WcReach reach = wc_audience_get_reach (audience, ring);
  gint64 count = wc_audience_get_count (audience, ring);
  const char *state;
  g_autofree char *count_text = NULL;

  switch (reach)
    {
    case WC_REACH_YES:
      state = _("Reached");
      break;
    case WC_REACH_NO:
      state = _("Not reached");
      break;
    case WC_REACH_UNKNOWN:
    default:
      state = _("Unknown");
      break;
    }

  if (ring == WC_RING_MENTIONED && reach != WC_REACH_NO)
    {
      if (count > 0)
        count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", (gulong) count),
                                      (guint) count);
      else
        count_text = g_strdup (_("nobody mentioned"));
    }
  else if (ring == WC_RING_FOLLOWERS && reach != WC_REACH_NO)
    {
      if (count >= 0)
        {
          g_autofree char *number = format_count (count);

          count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person", "%s people",
                                                     (gulong) MIN (count, G_MAXULONG)),
                                        number);
        }
      else
        count_text = g_strdup (_("number unknown"));
    }

  if (count_text == NULL)
    return g_strdup (state);
  /* Translators: whether a ring is reached, and how many people are in it:
   * "Reached · 312 people". */
  return g_strdup_printf (_("%s · %s"), state, count_text);
}

static char *
dup_network_label (WcAccount *account)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (account));
  const char *custom = wc_account_get_custom_name (account);

  if (info != NULL && wc_network_info_get_is_custom (info) && custom != NULL && custom[0] != '\0')
    return g_strdup (custom);
  if (info != NULL)
    return g_strdup (wc_network_info_get_name (info));
  return g_strdup (wc_account_get_network (account));
}

static const char *
get_visibility_label (WcAccount  *account,
                      const char *visibility)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (account));
  GPtrArray *options = info != NULL ? wc_network_info_get_audience_options (info) : NULL;

  for (guint i = 0; options != NULL && i < options->len; i++)
    {
      WcAudienceOption *option = g_ptr_array_index (options, i);

      if (g_strcmp0 (option->id, visibility) == 0)
        return g_dgettext (GETTEXT_PACKAGE, option->label);
    }
  return visibility;
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
create_tag_button (WcAudienceView *self,
                   Section        *section,
                   const char     *ref,
                   const char     *name,
                   int             tag)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = wc_person_tag_popover_new (self->application);

  wc_person_tag_popover_set_person (WC_PERSON_TAG_POPOVER (popover), ref, name, tag);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  g_hash_table_replace (section->popovers, g_strdup (ref != NULL ? ref : ""), popover);
  return button;
}

static GtkWidget *
create_person_row (WcAudienceView        *self,
                   Section               *section,
                   const WcFlaggedPerson *person)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (person->name);
  GtkWidget *tag = gtk_label_new (wc_person_tag_get_label (person->tag));
  GtkWidget *button = create_tag_button (self, section, person->ref, person->name, person->tag);
  /* Translators: %s is a person's name. */
  g_autofree char *tooltip = g_strdup_printf (_("Change or remove the tag of %s"), person->name);

  gtk_widget_set_margin_start (box, 22);
  gtk_box_append (GTK_BOX (box), wc_tag_swatch_new (person->tag));

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_tooltip_text (name, person->ref);
  gtk_box_append (GTK_BOX (box), name);

  gtk_widget_add_css_class (tag, "dim-label");
  gtk_widget_add_css_class (tag, "caption");
  gtk_box_append (GTK_BOX (box), tag);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static GtkWidget *
create_ring_row (WcAudienceView *self,
                 Section        *section,
                 WcRing          ring,
                 const GdkRGBA  *accent)
{
  WcAudience *audience = section->audience;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = new_label (wc_ring_get_label (ring), NULL);
  g_autofree char *status_text = dup_ring_status (audience, ring);
  GtkWidget *status = gtk_label_new (status_text);
  const char * const *notes = wc_audience_get_notes (audience, ring);
  guint n_flagged = 0;
  const WcFlaggedPerson *flagged = wc_audience_get_flagged (audience, ring, &n_flagged);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "audience-ring");
  if (wc_audience_get_reach (audience, ring) == WC_REACH_NO)
    gtk_widget_add_css_class (row, "not-reached");

  gtk_box_append (GTK_BOX (head), wc_reach_swatch_new (wc_audience_get_reach (audience, ring), accent));
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "ring-title");
  gtk_box_append (GTK_BOX (head), title);
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_justify (GTK_LABEL (status), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_valign (status, GTK_ALIGN_START);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_add_css_class (status, "numeric");
  gtk_box_append (GTK_BOX (head), status);
  gtk_box_append (GTK_BOX (box), head);

  for (guint i = 0; i < n_flagged; i++)
    gtk_box_append (GTK_BOX (box), create_person_row (self, section, &flagged[i]));

  /* "Anyone": tagged people not known to follow, counted, not named. */
  if (n_flagged == 0 && ring == WC_RING_LINK)
    for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
      {
        guint n = wc_audience_get_n_tagged (audience, ring, t);
        g_autofree char *text = NULL;
        GtkWidget *line, *label;

        if (n == 0)
          continue;
        /* Translators: %u is a number of people, %s a tag such as "Patient". */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u more person tagged “%s”, not among your followers",
                                             "%u more people tagged “%s”, not among your followers", n),
                                n, wc_person_tag_get_label (t));
        line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
        gtk_widget_set_margin_start (line, 22);
        gtk_box_append (GTK_BOX (line), wc_tag_swatch_new (t));
        label = new_label (text, NULL);
        gtk_widget_set_hexpand (label, TRUE);
        gtk_box_append (GTK_BOX (line), label);
        gtk_box_append (GTK_BOX (box), line);
      }

  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    {
      GtkWidget *note = new_label (notes[i], "dim-label");

      gtk_widget_add_css_class (note, "caption");
      gtk_widget_set_margin_start (note, 22);
      gtk_box_append (GTK_BOX (box), note);
    }

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static char *
dup_age_text (WcAudience *audience)
{
  g_autofree char *age = wc_audience_dup_snapshot_age (audience, g_get_real_time () / G_USEC_PER_SEC);
  const char *network = wc_audience_get_network_id (audience);

  if (age != NULL)
    return g_steal_pointer (&age);
  if (g_strcmp0 (network, "mastodon") == 0 || g_strcmp0 (network, "bluesky") == 0)
    return g_strdup (_("Followers not read yet: their number and the tagged people among them are unknown."));
  return NULL;
}

static void
update_age (Section *section)
{
  g_autofree char *text = dup_age_text (section->audience);

  gtk_label_set_text (section->age_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (section->age_label), text != NULL);
}

static void
fill_section (WcAudienceView *self,
              Section        *section,
              WcAccount      *account,
              const char     *visibility)
{
  GtkWidget *box = section->box;
  GtkWidget *child, *head, *icon, *titles, *title, *subtitle, *summary, *list, *tag_button;
  WcNetworkInfo *info;
  g_autofree char *account_title = NULL;
  g_autofree char *network = NULL;
  g_autofree char *subtitle_text = NULL;
  GdkRGBA accent;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
  g_hash_table_remove_all (section->popovers);

  get_accent (self, &accent);

  /* Whose account, on which network, with which visibility */
  head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  info = account != NULL ? wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                      wc_account_get_network (account)) : NULL;
  icon = gtk_image_new_from_icon_name (info != NULL && wc_network_info_get_icon_name (info) != NULL
                                       ? wc_network_info_get_icon_name (info)
                                       : "network-server-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "network-icon");
  gtk_box_append (GTK_BOX (head), icon);

  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (titles, TRUE);
  account_title = account != NULL ? wc_account_dup_title (account) : g_strdup (_("Account"));
  title = new_label (account_title, "heading");
  gtk_box_append (GTK_BOX (titles), title);
  network = account != NULL ? dup_network_label (account) : g_strdup ("");
  /* Translators: a network and the visibility chosen on it: "Mastodon · Public". */
  subtitle_text = g_strdup_printf (_("%s · %s"), network,
                                   account != NULL ? get_visibility_label (account, visibility ? visibility
                                                                                   : wc_audience_get_visibility (section->audience))
                                                   : "");
  subtitle = new_label (subtitle_text, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (titles), subtitle);
  gtk_box_append (GTK_BOX (head), titles);
  gtk_box_append (GTK_BOX (box), head);

  /* In one line */
  summary = new_label (wc_audience_get_summary (section->audience), "audience-summary");
  gtk_box_append (GTK_BOX (box), summary);

  /* In a picture */
  section->rings = WC_AUDIENCE_RINGS (wc_audience_rings_new ());
  wc_audience_rings_set_accent (section->rings, &accent);
  wc_audience_rings_set_audience (section->rings, section->audience);
  gtk_widget_set_margin_top (GTK_WIDGET (section->rings), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (section->rings), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (section->rings));

  /* In words, ring by ring */
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Who can see this, ring by ring"), -1);
  for (int r = 0; r < WC_N_RINGS; r++)
    gtk_list_box_append (GTK_LIST_BOX (list), create_ring_row (self, section, r, &accent));
  gtk_box_append (GTK_BOX (box), list);

  section->age_label = GTK_LABEL (new_label (NULL, "dim-label"));
  gtk_widget_add_css_class (GTK_WIDGET (section->age_label), "caption");
  update_age (section);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (section->age_label));

  tag_button = create_tag_button (self, section, NULL, NULL, -1);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (tag_button), _("Tag an Account…"));
  gtk_widget_set_halign (tag_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (tag_button, _("Mark someone as patient, colleague, employer, press or family"));
  gtk_box_append (GTK_BOX (box), tag_button);
}

static Section *
create_section (WcAudienceView *self,
                gint64          account_id)
{
  Section *section = g_new0 (Section, 1);

  section->account_id = account_id;
  section->popovers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  section->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (section->box, "audience-section");
  return section;
}

/* Brings the sections in line with the editor's audiences. */
static void
update_sections (WcAudienceView *self,
                 gboolean        force)
{
  WcDraft *draft = self->editor != NULL ? wc_draft_editor_get_draft (self->editor) : NULL;
  GPtrArray *targets = draft != NULL ? wc_draft_get_targets (draft) : NULL;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();   /* WcDraftTarget with an audience */
  gboolean same_order;
  GtkWidget *child;

  g_clear_handle_id (&self->update_idle, g_source_remove);

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);

      if (wc_draft_editor_get_audience (self->editor, target->account_id) != NULL)
        g_ptr_array_add (wanted, target);
    }

  same_order = !force && wanted->len == self->sections->len;
  for (guint i = 0; same_order && i < wanted->len; i++)
    same_order = ((Section *) g_ptr_array_index (self->sections, i))->account_id
                 == ((WcDraftTarget *) g_ptr_array_index (wanted, i))->account_id;

  if (!same_order)
    {
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
        gtk_box_remove (self->sections_box, child);
      g_ptr_array_set_size (self->sections, 0);
      for (guint i = 0; i < wanted->len; i++)
        {
          Section *section = create_section (self, ((WcDraftTarget *) g_ptr_array_index (wanted, i))->account_id);

          g_ptr_array_add (self->sections, section);
          gtk_box_append (self->sections_box, section->box);
        }
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (wanted, i);
      Section *section = g_ptr_array_index (self->sections, i);
      WcAudience *audience = wc_draft_editor_get_audience (self->editor, target->account_id);
      g_autoptr(WcAccount) account = NULL;
      WcStore *store = get_store (self);

      if (section->audience == audience)
        continue;
      g_clear_pointer (&section->audience, wc_audience_unref);
      section->audience = wc_audience_ref (audience);
      if (store != NULL)
        account = wc_store_get_account (store, target->account_id, NULL);
      fill_section (self, section, account, target->visibility);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), wanted->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sections_box), wanted->len > 0);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  WcAudienceView *self = user_data;

  self->update_idle = 0;
  update_sections (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* After the current signal: a tag popover that caused the change must not
 * be destroyed while its action runs. */
static void
queue_update (WcAudienceView *self)
{
  if (self->update_idle == 0)
    self->update_idle = g_idle_add (update_idle_cb, self);
}

static void
flush_update (WcAudienceView *self)
{
  if (self->update_idle != 0)
    update_sections (self, FALSE);
}

static void
on_findings_changed (WcAudienceView *self)
{
  queue_update (self);
}

static void
on_identity_changed (WcAudienceView *self)
{
  /* The identity's colour may have changed. */
  g_ptr_array_set_size (self->sections, 0);
  queue_update (self);
}

static gboolean
refresh_ages_cb (gpointer user_data)
{
  WcAudienceView *self = user_data;

  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->audience != NULL && section->age_label != NULL)
        update_age (section);
    }
  return G_SOURCE_CONTINUE;
}

static void
wc_audience_view_map (GtkWidget *widget)
{
  WcAudienceView *self = WC_AUDIENCE_VIEW (widget);

  GTK_WIDGET_CLASS (wc_audience_view_parent_class)->map (widget);
  refresh_ages_cb (self);
  if (self->age_source == 0)
    self->age_source = g_timeout_add_seconds (AGE_REFRESH_SECONDS, refresh_ages_cb, self);
}

static void
wc_audience_view_unmap (GtkWidget *widget)
{
  WcAudienceView *self = WC_AUDIENCE_VIEW (widget);

  g_clear_handle_id (&self->age_source, g_source_remove);
  GTK_WIDGET_CLASS (wc_audience_view_parent_class)->unmap (widget);
}

static void
wc_audience_view_dispose (GObject *object)
{
  WcAudienceView *self = WC_AUDIENCE_VIEW (object);

  wc_audience_view_set_editor (self, NULL);
  wc_audience_view_set_application (self, NULL);
  g_clear_handle_id (&self->update_idle, g_source_remove);
  g_clear_handle_id (&self->age_source, g_source_remove);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_AUDIENCE_VIEW);

  G_OBJECT_CLASS (wc_audience_view_parent_class)->dispose (object);
}

static void
wc_audience_view_class_init (WcAudienceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_audience_view_dispose;
  widget_class->map = wc_audience_view_map;
  widget_class->unmap = wc_audience_view_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-audience-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAudienceView, title_label);
  gtk_widget_class_bind_template_child (widget_class, WcAudienceView, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, WcAudienceView, sections_box);
}

static void
wc_audience_view_init (WcAudienceView *self)
{
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "audience-view");
  update_sections (self, TRUE);
}

/**
 * wc_audience_view_new:
 *
 * Returns: (transfer floating): the view, empty until it has an editor
 */
GtkWidget *
wc_audience_view_new (void)
{
  return g_object_new (WC_TYPE_AUDIENCE_VIEW, NULL);
}

/**
 * wc_audience_view_set_application:
 * @application: (nullable): for the store, the identities' colours and tagging
 */
void
wc_audience_view_set_application (WcAudienceView *self,
                                  WcApplication  *application)
{
  g_return_if_fail (WC_IS_AUDIENCE_VIEW (self));

  if (self->application == application)
    return;
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_set_object (&self->application, application);
  if (application != NULL)
    g_signal_connect_object (application, "identity-changed",
                             G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
  if (self->sections != NULL)
    {
      g_ptr_array_set_size (self->sections, 0);
      update_sections (self, TRUE);
    }
}

/**
 * wc_audience_view_set_editor:
 * @editor: (nullable): the open draft's editor
 */
void
wc_audience_view_set_editor (WcAudienceView *self,
                             WcDraftEditor  *editor)
{
  g_return_if_fail (WC_IS_AUDIENCE_VIEW (self));

  if (self->editor == editor)
    return;
  if (self->editor != NULL)
    g_signal_handlers_disconnect_by_data (self->editor, self);
  g_set_object (&self->editor, editor);
  if (editor != NULL)
    g_signal_connect_object (editor, "findings-changed",
                             G_CALLBACK (on_findings_changed), self, G_CONNECT_SWAPPED);
  if (self->sections != NULL)
    update_sections (self, TRUE);
}

/**
 * wc_audience_view_get_editor:
 *
 * Returns: (transfer none) (nullable): the editor
 */
WcDraftEditor *
wc_audience_view_get_editor (WcAudienceView *self)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), NULL);
  return self->editor;
}

guint
wc_audience_view_get_n_sections (WcAudienceView *self)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), 0);
  flush_update (self);
  return self->sections->len;
}

/**
 * wc_audience_view_get_section_account:
 *
 * Returns: the account of the @n-th section, or -1
 */
gint64
wc_audience_view_get_section_account (WcAudienceView *self,
                                      guint           n)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), -1);
  flush_update (self);
  if (n >= self->sections->len)
    return -1;
  return ((Section *) g_ptr_array_index (self->sections, n))->account_id;
}

/**
 * wc_audience_view_get_rings:
 *
 * Returns: (transfer none) (nullable): the picture of @account_id's audience
 */
WcAudienceRings *
wc_audience_view_get_rings (WcAudienceView *self,
                            gint64          account_id)
{
  Section *section;

  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), NULL);
  flush_update (self);
  section = find_section (self, account_id);
  return section != NULL ? section->rings : NULL;
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/**
 * wc_audience_view_dup_text:
 *
 * Returns: (transfer full) (nullable): every text the section of
 *   @account_id shows, one label a line
 */
char *
wc_audience_view_dup_text (WcAudienceView *self,
                           gint64          account_id)
{
  Section *section;
  GString *text;

  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), NULL);
  flush_update (self);
  section = find_section (self, account_id);
  if (section == NULL)
    return NULL;
  text = g_string_new (NULL);
  collect_text (section->box, text);
  return g_string_free (text, FALSE);
}

/**
 * wc_audience_view_get_tag_popover:
 * @ref: (nullable): a flagged person's handle, or %NULL for "Tag an Account"
 *
 * Returns: (transfer none) (nullable): the popover that tags that person
 */
GtkPopover *
wc_audience_view_get_tag_popover (WcAudienceView *self,
                                  gint64          account_id,
                                  const char     *ref)
{
  Section *section;

  g_return_val_if_fail (WC_IS_AUDIENCE_VIEW (self), NULL);
  flush_update (self);
  section = find_section (self, account_id);
  if (section == NULL)
    return NULL;
  return g_hash_table_lookup (section->popovers, ref != NULL ? ref : "");
}
