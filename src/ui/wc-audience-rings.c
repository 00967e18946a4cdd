/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "wc-audience-rings.h"

/* The disc never grows beyond MAX_DISC (it says no more when bigger) and
 * shrinks down to MIN_DISC, so that it fits a 360 px phone beside its
 * margins. */
#define MAX_DISC        200
#define MIN_DISC        120
#define LEGEND_SPACING  12
#define MAX_DOTS        48   /* per ring: the list below names everyone */
#define GOLDEN_ANGLE    2.39996322972865332

struct _WcAudienceRings
{
  GtkWidget   parent_instance;

  GtkWidget  *legend;       /* GtkFlowBox */
  WcAudience *audience;
  GdkRGBA     accent;
  char       *label;
  char       *description;
};

G_DEFINE_FINAL_TYPE (WcAudienceRings, wc_audience_rings, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AUDIENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours that keep their contrast on the light and on the dark
 * background, and stay apart from the identities' blue and green (GNOME
 * palette: red, purple, orange, brown, and a teal far enough from green). */
static const char * const tag_colors[WC_PERSON_N_TAGS][2] = {
  [WC_PERSON_TAG_PATIENT]   = { "#c01c28", "#ff7b63" },
  [WC_PERSON_TAG_COLLEAGUE] = { "#813d9c", "#dc8add" },
  [WC_PERSON_TAG_EMPLOYER]  = { "#c64600", "#ffa348" },
  [WC_PERSON_TAG_PRESS]     = { "#865e3c", "#cdab8f" },
  [WC_PERSON_TAG_FAMILY]    = { "#0b6e78", "#62c4cc" },
};

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/**
 * wc_person_tag_get_color:
 * @dark: whether it goes on a dark background
 * @color: (out): the colour
 */
void
wc_person_tag_get_color (WcPersonTag  tag,
                         gboolean     dark,
                         GdkRGBA     *color)
{
  g_return_if_fail ((guint) tag < WC_PERSON_N_TAGS);
  gdk_rgba_parse (color, tag_colors[tag][dark ? 1 : 0]);
}

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
  /* gtk_widget_get_color() is GTK 4.10. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
set_source_alpha (cairo_t       *cr,
                  const GdkRGBA *color,
                  double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* A dot with a rim of the background's colour, so that it stands out on
 * any fill. */
static void
draw_dot (cairo_t       *cr,
          double         x,
          double         y,
          double         radius,
          const GdkRGBA *color,
          gboolean       dark)
{
  cairo_arc (cr, x, y, radius + 1.5, 0, 2 * G_PI);
  if (dark)
    cairo_set_source_rgb (cr, 0.12, 0.12, 0.12);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
}

static void
stroke_reach (cairo_t       *cr,
              WcReach        reach,
              const GdkRGBA *accent,
              const GdkRGBA *fg)
{
  static const double dash[] = { 3.0, 3.0 };

  switch (reach)
    {
    case WC_REACH_YES:
      cairo_set_line_width (cr, 1.5);
      gdk_cairo_set_source_rgba (cr, accent);
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    case WC_REACH_UNKNOWN:
      cairo_set_line_width (cr, 1.2);
      set_source_alpha (cr, fg, 0.6);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      break;
    case WC_REACH_NO:
    default:
      cairo_set_line_width (cr, 1.0);
      set_source_alpha (cr, fg, 0.35);
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* --- Swatches ------------------------------------------------------------ */

static void
draw_tag_swatch (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  GdkRGBA color;
  gboolean dark = is_dark ();

  wc_person_tag_get_color (GPOINTER_TO_INT (user_data), dark, &color);
  draw_dot (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1.5, &color, dark);
}

static void
on_dark_changed (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
}

static void
follow_dark (GtkWidget *widget)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), widget, G_CONNECT_SWAPPED);
}

/**
 * wc_tag_swatch_new:
 *
 * Returns: (transfer floating): a dot of @tag's colour
 */
GtkWidget *
wc_tag_swatch_new (WcPersonTag tag)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 12);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_tag_swatch, GINT_TO_POINTER (tag), NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  follow_dark (area);
  return area;
}

typedef struct
{
  WcReach reach;
  GdkRGBA accent;
} ReachSwatch;

static void
draw_reach_swatch (GtkDrawingArea *area,
                   cairo_t        *cr,
                   int             width,
                   int             height,
                   gpointer        user_data)
{
  ReachSwatch *swatch = user_data;
  double radius = MIN (width, height) / 2.0 - 1.0;
  GdkRGBA fg;

  get_foreground (GTK_WIDGET (area), &fg);
  if (swatch->reach == WC_REACH_YES)
    {
      cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
      set_source_alpha (cr, &swatch->accent, 0.45);
      cairo_fill (cr);
    }
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  stroke_reach (cr, swatch->reach, &swatch->accent, &fg);
}

/**
 * wc_reach_swatch_new:
 * @accent: the identity's colour
 *
 * Returns: (transfer floating): a small ring drawn as the picture draws a
 *   ring of that reach
 */
GtkWidget *
wc_reach_swatch_new (WcReach        reach,
                     const GdkRGBA *accent)
{
  GtkWidget *area = gtk_drawing_area_new ();
  ReachSwatch *swatch = g_new0 (ReachSwatch, 1);

  swatch->reach = reach;
  swatch->accent = *accent;
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 14);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_reach_swatch, swatch, g_free);
  gtk_accessible_update_state (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  return area;
}

/* --- The picture --------------------------------------------------------- */

static double
ring_radius (double disc,
             int    ring)
{
  /* The innermost ring is a little wider than the others: it holds the
   * mentioned people, who matter most. */
  return disc / 2.0 * (ring + 1.4) / (WC_N_RINGS + 0.4);
}

static void
draw_ring_dots (cairo_t    *cr,
                double      cx,
                double      cy,
                double      disc,
                int         ring,
                const WcPersonTag *tags,
                guint       n,
                gboolean    dark)
{
  double inner = ring > 0 ? ring_radius (disc, ring - 1) : 0;
  double outer = ring_radius (disc, ring);
  double band = outer - inner;
  double dot = CLAMP (disc / 50.0, 3.0, 4.5);
  double offset = ring * 0.9;

  n = MIN (n, MAX_DOTS);
  for (guint i = 0; i < n; i++)
    {
      GdkRGBA color;
      /* Spread evenly round the ring and across its width; the same
       * audience always gives the same picture. */
      double angle = offset + i * GOLDEN_ANGLE - G_PI / 2;
      double spread = fmod ((i + 1) * 0.6180339887, 1.0);
      double r = ring == 0
                 ? (n == 1 ? 0 : outer * (0.35 + 0.3 * spread))
                 : inner + band * (0.3 + 0.4 * spread);

      wc_person_tag_get_color (tags[i], dark, &color);
      draw_dot (cr, cx + r * cos (angle), cy + r * sin (angle), dot, &color, dark);
    }
}

static void
collect_ring_tags (WcAudience *audience,
                   int         ring,
                   GArray     *tags)
{
  guint n_flagged = 0;
  const WcFlaggedPerson *flagged = wc_audience_get_flagged (audience, ring, &n_flagged);

  g_array_set_size (tags, 0);
  for (guint i = 0; i < n_flagged; i++)
    g_array_append_val (tags, flagged[i].tag);

  /* "Anyone" holds the tagged people who are neither mentioned nor
   * followers: counted, not named. */
  if (n_flagged == 0)
    for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
      for (guint i = wc_audience_get_n_tagged (audience, ring, t); i > 0; i--)
        g_array_append_val (tags, t);
}

static int
get_disc_size (int width)
{
  return CLAMP (width, MIN_DISC, MAX_DISC);
}

static void
wc_audience_rings_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (widget);
  int width = gtk_widget_get_width (widget);
  int disc = MIN (get_disc_size (width), width);
  double cx = width / 2.0;
  double cy = disc / 2.0;
  gboolean dark = is_dark ();
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (WcPersonTag));
  cairo_t *cr;
  GdkRGBA fg;

  if (disc <= 0)
    return;

  get_foreground (widget, &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, disc));

  /* Widest first, so that the narrower ones lie on top: where several
   * reached rings overlap, the colour deepens towards the centre. */
  for (int r = WC_N_RINGS - 1; r >= 0; r--)
    {
      WcReach reach = self->audience != NULL ? wc_audience_get_reach (self->audience, r) : WC_REACH_UNKNOWN;
      double radius = ring_radius (disc, r) - 1.0;

      if (reach == WC_REACH_YES)
        {
          cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
          set_source_alpha (cr, &self->accent, 0.16);
          cairo_fill (cr);
        }
      cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
      stroke_reach (cr, reach, &self->accent, &fg);
    }

  for (int r = 0; self->audience != NULL && r < WC_N_RINGS; r++)
    {
      collect_ring_tags (self->audience, r, tags);
      draw_ring_dots (cr, cx, cy, disc, r, (const WcPersonTag *) (gpointer) tags->data, tags->len, dark);
    }

  cairo_destroy (cr);

  gtk_widget_snapshot_child (widget, self->legend, snapshot);
}

static GtkSizeRequestMode
wc_audience_rings_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
wc_audience_rings_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (widget);
  int legend_min = 0, legend_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->legend, orientation, -1, &legend_min, &legend_nat, NULL, NULL);
      *minimum = MAX (MIN_DISC, legend_min);
      *natural = MAX (MAX_DISC, legend_nat);
    }
  else
    {
      int width = for_size >= 0 ? for_size : MAX_DISC;
      int disc = get_disc_size (width);

      gtk_widget_measure (self->legend, orientation, width, &legend_min, &legend_nat, NULL, NULL);
      *minimum = disc + LEGEND_SPACING + legend_min;
      *natural = disc + LEGEND_SPACING + legend_nat;
    }
}

static void
wc_audience_rings_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (widget);
  int disc = MIN (get_disc_size (width), width);
  int legend_height = 0;

  gtk_widget_measure (self->legend, GTK_ORIENTATION_VERTICAL, width, &legend_height, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->legend,
                            &(GtkAllocation) { 0, disc + LEGEND_SPACING, width,
                                               MAX (legend_height, height - disc - LEGEND_SPACING) },
                            -1);
}

/* --- Legend and words ---------------------------------------------------- */

static void
add_legend_item (WcAudienceRings *self,
                 GtkWidget       *swatch,
                 const char      *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  gtk_flow_box_append (GTK_FLOW_BOX (self->legend), box);
  gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
}

static void
build_legend (WcAudienceRings *self)
{
  GtkWidget *child;
  gboolean reach[3] = { FALSE, FALSE, FALSE };
  gboolean present[WC_PERSON_N_TAGS] = { FALSE, };
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (WcPersonTag));

  while ((child = gtk_widget_get_first_child (self->legend)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->legend), child);

  if (self->audience == NULL)
    return;

  for (int r = 0; r < WC_N_RINGS; r++)
    {
      reach[wc_audience_get_reach (self->audience, r)] = TRUE;
      collect_ring_tags (self->audience, r, tags);
      for (guint i = 0; i < tags->len; i++)
        present[g_array_index (tags, WcPersonTag, i)] = TRUE;
    }

  if (reach[WC_REACH_YES])
    add_legend_item (self, wc_reach_swatch_new (WC_REACH_YES, &self->accent), _("Reached"));
  if (reach[WC_REACH_NO])
    add_legend_item (self, wc_reach_swatch_new (WC_REACH_NO, &self->accent), _("Not reached"));
  if (reach[WC_REACH_UNKNOWN])
    add_legend_item (self, wc_reach_swatch_new (WC_REACH_UNKNOWN, &self->accent), _("Unknown"));
  for (guint t = 0; t < WC_PERSON_N_TAGS; t++)
    if (present[t])
      add_legend_item (self, wc_tag_swatch_new (t), wc_person_tag_get_label (t));
}

static void
update_accessible (WcAudienceRings *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->description, g_free);

  if (self->audience == NULL)
    {
      self->label = g_strdup (_("Who can see this: not known yet"));
      self->description = g_strdup ("");
    }
  else
    {
      /* Translators: %s is the one-line summary of an audience, e.g.
       * "Public: anyone, including search engines". */
      self->label = g_strdup_printf (_("Who can see this: %s"), wc_audience_get_summary (self->audience));
      for (int r = 0; r < WC_N_RINGS; r++)
        {
          g_autofree char *text = wc_audience_dup_ring_text (self->audience, r);

          if (description->len > 0)
            g_string_append_c (description, '\n');
          g_string_append (description, text);
        }
      self->description = g_string_free (g_steal_pointer (&description), FALSE);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

/* --- Overrides ----------------------------------------------------------- */

static void
wc_audience_rings_dispose (GObject *object)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (object);

  g_clear_pointer (&self->legend, gtk_widget_unparent);
  g_clear_pointer (&self->audience, wc_audience_unref);

  G_OBJECT_CLASS (wc_audience_rings_parent_class)->dispose (object);
}

static void
wc_audience_rings_finalize (GObject *object)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (object);

  g_free (self->label);
  g_free (self->description);

  G_OBJECT_CLASS (wc_audience_rings_parent_class)->finalize (object);
}

static void
wc_audience_rings_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (object);

  switch (prop_id)
    {
    case PROP_AUDIENCE:
      g_value_set_boxed (value, self->audience);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_audience_rings_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WcAudienceRings *self = WC_AUDIENCE_RINGS (object);

  switch (prop_id)
    {
    case PROP_AUDIENCE:
      wc_audience_rings_set_audience (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_audience_rings_class_init (WcAudienceRingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_audience_rings_dispose;
  object_class->finalize = wc_audience_rings_finalize;
  object_class->get_property = wc_audience_rings_get_property;
  object_class->set_property = wc_audience_rings_set_property;

  widget_class->snapshot = wc_audience_rings_snapshot;
  widget_class->get_request_mode = wc_audience_rings_get_request_mode;
  widget_class->measure = wc_audience_rings_measure;
  widget_class->size_allocate = wc_audience_rings_size_allocate;

  properties[PROP_AUDIENCE] =
    g_param_spec_boxed ("audience", NULL, NULL,
                        WC_TYPE_AUDIENCE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "audience-rings");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wc_audience_rings_init (WcAudienceRings *self)
{
  gdk_rgba_parse (&self->accent, wc_identity_kind_get_default_color (WC_IDENTITY_PROFESSIONAL));

  self->legend = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->legend), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->legend), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->legend), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->legend), 4);
  gtk_widget_add_css_class (self->legend, "audience-legend");
  gtk_widget_set_parent (self->legend, GTK_WIDGET (self));

  follow_dark (GTK_WIDGET (self));
  update_accessible (self);
}

/* --- Public API ---------------------------------------------------------- */

/**
 * wc_audience_rings_new:
 *
 * Returns: (transfer floating): the picture, empty until it has an audience
 */
GtkWidget *
wc_audience_rings_new (void)
{
  return g_object_new (WC_TYPE_AUDIENCE_RINGS, NULL);
}

/**
 * wc_audience_rings_get_audience:
 *
 * Returns: (transfer none) (nullable): the audience shown
 */
WcAudience *
wc_audience_rings_get_audience (WcAudienceRings *self)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_RINGS (self), NULL);
  return self->audience;
}

/**
 * wc_audience_rings_set_audience:
 * @audience: (nullable): who can see the post
 */
void
wc_audience_rings_set_audience (WcAudienceRings *self,
                                WcAudience      *audience)
{
  g_return_if_fail (WC_IS_AUDIENCE_RINGS (self));

  if (self->audience == audience)
    return;

  g_clear_pointer (&self->audience, wc_audience_unref);
  if (audience != NULL)
    self->audience = wc_audience_ref (audience);

  build_legend (self);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIENCE]);
}

/**
 * wc_audience_rings_set_accent:
 * @accent: the identity's colour: the reached rings are filled with it
 */
void
wc_audience_rings_set_accent (WcAudienceRings *self,
                              const GdkRGBA   *accent)
{
  g_return_if_fail (WC_IS_AUDIENCE_RINGS (self));
  g_return_if_fail (accent != NULL);

  if (gdk_rgba_equal (&self->accent, accent))
    return;
  self->accent = *accent;
  build_legend (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * wc_audience_rings_get_label:
 *
 * Returns: the accessible label: the audience's summary
 */
const char *
wc_audience_rings_get_label (WcAudienceRings *self)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_RINGS (self), NULL);
  return self->label;
}

/**
 * wc_audience_rings_get_description:
 *
 * Returns: the accessible description: every ring in words, one a line,
 *   narrowest first (wc_audience_dup_ring_text())
 */
const char *
wc_audience_rings_get_description (WcAudienceRings *self)
{
  g_return_val_if_fail (WC_IS_AUDIENCE_RINGS (self), NULL);
  return self->description;
}
