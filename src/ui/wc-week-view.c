/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-week-view.h"

/* The week drawn in one snapshot: no widget per entry, so that a busy week
 * costs as little as an empty one. The model is the scheduler's, ordered
 * by due time, so the week's entries are found by bisection. */

#define HEADER_HEIGHT 44
#define CHIP_HEIGHT   24
#define CHIP_GAP      4
#define CHIP_INSET    3
#define MIN_COLUMN    40
#define MIN_CHIPS     4

struct _WcWeekView
{
  GtkWidget   parent_instance;

  GListModel *model;
  GTimeZone  *tz;
  gint64      day_start[8];   /* UTC seconds of each local midnight, and the end */
  GPtrArray  *days[7];        /* WcOutboxEntry */
  GdkRGBA     colors[2];      /* by WcIdentityKind */
  gint64      now;
  guint       recompute_idle;
};

G_DEFINE_FINAL_TYPE (WcWeekView, wc_week_view, GTK_TYPE_WIDGET)

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
get_now (WcWeekView *self)
{
  return self->now > 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
}

static void
set_week (WcWeekView *self,
          gint64      utc)
{
  g_autoptr(GDateTime) at_utc = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at_utc, self->tz);
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) monday = NULL;

  midnight = g_date_time_new (self->tz, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  monday = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (local));
  for (int i = 0; i < 8; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, i);
      /* A day starts at its local midnight, even across a change of clocks. */
      g_autoptr(GDateTime) start = g_date_time_new (self->tz, g_date_time_get_year (day),
                                                    g_date_time_get_month (day),
                                                    g_date_time_get_day_of_month (day), 0, 0, 0);

      self->day_start[i] = g_date_time_to_unix (start);
    }
}

static guint
lower_bound (GListModel *model,
             gint64      due)
{
  guint lo = 0;
  guint hi = g_list_model_get_n_items (model);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(WcOutboxEntry) entry = g_list_model_get_item (model, mid);

      if (wc_outbox_entry_get_due_at (entry) < due)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
recompute (WcWeekView *self)
{
  guint n;

  for (int d = 0; d < 7; d++)
    g_ptr_array_set_size (self->days[d], 0);

  if (self->model != NULL)
    {
      n = g_list_model_get_n_items (self->model);
      for (guint i = lower_bound (self->model, self->day_start[0]); i < n; i++)
        {
          g_autoptr(WcOutboxEntry) entry = g_list_model_get_item (self->model, i);
          gint64 due = wc_outbox_entry_get_due_at (entry);
          int d = 0;

          if (due >= self->day_start[7])
            break;
          if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_CANCELLED)
            continue;
          while (d < 6 && due >= self->day_start[d + 1])
            d++;
          g_ptr_array_add (self->days[d], g_object_ref (entry));
        }
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
recompute_idle_cb (gpointer user_data)
{
  WcWeekView *self = user_data;

  self->recompute_idle = 0;
  recompute (self);
  return G_SOURCE_REMOVE;
}

static void
on_items_changed (WcWeekView *self)
{
  /* A burst of changes (a draft scheduled to ten accounts) is one redraw. */
  if (self->recompute_idle == 0)
    self->recompute_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, recompute_idle_cb, self, NULL);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const char    *text,
             double         x,
             double         y,
             int            width,
             int            height,
             const GdkRGBA *color,
             gboolean       center)
{
  int text_width, text_height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (height - text_height) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static guint
chips_that_fit (WcWeekView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  return MAX (1, (height - HEADER_HEIGHT - CHIP_GAP) / (CHIP_HEIGHT + CHIP_GAP));
}

static void
wc_week_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  WcWeekView *self = WC_WEEK_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double column = width / 7.0;
  guint fit = chips_that_fit (self);
  gint64 now = get_now (self);
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg;
  GdkRGBA line;
  GdkRGBA today_bg;
  GdkRGBA error = { 0.88, 0.11, 0.14, 1.0 };
  GdkRGBA warning = { 0.90, 0.38, 0.0, 1.0 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  line = fg;
  line.alpha = 0.15;
  today_bg = (GdkRGBA) { 0.21, 0.52, 0.89, 0.12 };

  for (int d = 0; d < 7; d++)
    {
      double x = d * column;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (self->day_start[d] + 12 * 3600);
      g_autoptr(GDateTime) day = g_date_time_to_timezone (utc, self->tz);
      g_autofree char *weekday = g_date_time_format (day, "%a");
      g_autofree char *number = g_strdup_printf ("%d", g_date_time_get_day_of_month (day));
      GPtrArray *entries = self->days[d];
      gboolean today = now >= self->day_start[d] && now < self->day_start[d + 1];
      PangoAttrList *attrs;

      if (today)
        gtk_snapshot_append_color (snapshot, &today_bg, &GRAPHENE_RECT_INIT (x, 0, column, height));
      if (d > 0)
        gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, 0, 1, height));

      append_text (snapshot, layout, weekday, x, 2, column, 20, &fg, TRUE);
      attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      append_text (snapshot, layout, number, x, 20, column, 20, &fg, TRUE);
      pango_layout_set_attributes (layout, NULL);
      pango_attr_list_unref (attrs);

      for (guint i = 0; i < entries->len && i < fit; i++)
        {
          WcOutboxEntry *entry = g_ptr_array_index (entries, i);
          WcOutboxState state = wc_outbox_entry_get_state (entry);
          double y = HEADER_HEIGHT + i * (CHIP_HEIGHT + CHIP_GAP);
          graphene_rect_t rect = GRAPHENE_RECT_INIT (x + CHIP_INSET, y, column - 2 * CHIP_INSET, CHIP_HEIGHT);
          GskRoundedRect rounded;
          GdkRGBA color;
          GdkRGBA text_color;
          g_autofree char *label = NULL;

          gsk_rounded_rect_init_from_rect (&rounded, &rect, 6);

          if (i + 1 == fit && entries->len > fit)
            {
              /* Translators: more entries than fit in a day of the week view. */
              label = g_strdup_printf (_("+%u"), entries->len - fit + 1);
              append_text (snapshot, layout, label, rect.origin.x, y, rect.size.width, CHIP_HEIGHT, &fg, TRUE);
              break;
            }

          color = self->colors[wc_outbox_entry_get_identity (entry) == WC_IDENTITY_PERSONAL ? 0 : 1];
          if (state == WC_OUTBOX_STATE_SENT)
            color.alpha = 0.45;
          text_color = luminance (&color) > 0.55 || color.alpha < 0.5
                       ? (GdkRGBA) { 0, 0, 0, 0.87 } : (GdkRGBA) { 1, 1, 1, 1 };
          if (color.alpha < 0.5)
            text_color = fg;

          gtk_snapshot_push_rounded_clip (snapshot, &rounded);
          gtk_snapshot_append_color (snapshot, &color, &rect);
          gtk_snapshot_pop (snapshot);
          if (state == WC_OUTBOX_STATE_FAILED || state == WC_OUTBOX_STATE_HELD)
            {
              const GdkRGBA *border = state == WC_OUTBOX_STATE_FAILED ? &error : &warning;
              const float widths[4] = { 2, 2, 2, 2 };
              const GdkRGBA colors[4] = { *border, *border, *border, *border };

              gtk_snapshot_append_border (snapshot, &rounded, widths, colors);
            }

          {
            g_autoptr(GDateTime) due_utc = g_date_time_new_from_unix_utc (wc_outbox_entry_get_due_at (entry));
            g_autoptr(GDateTime) due = g_date_time_to_timezone (due_utc, self->tz);

            label = g_date_time_format (due, "%H:%M");
          }
          /* Narrow columns (a phone) keep the whole time in a smaller size. */
          if (column < 64)
            {
              PangoAttrList *small = pango_attr_list_new ();

              pango_attr_list_insert (small, pango_attr_scale_new (PANGO_SCALE_SMALL));
              pango_layout_set_attributes (layout, small);
              pango_attr_list_unref (small);
            }
          append_text (snapshot, layout, label, rect.origin.x + (column < 64 ? 1 : 4), y,
                       rect.size.width - (column < 64 ? 2 : 8), CHIP_HEIGHT, &text_color, column < 70);
          pango_layout_set_attributes (layout, NULL);
        }
    }

  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, HEADER_HEIGHT - 3, width, 1));
  g_object_unref (layout);
}

static void
wc_week_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  WcWeekView *self = WC_WEEK_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 7 * MIN_COLUMN;
      *natural = 7 * 120;
    }
  else
    {
      guint most = MIN_CHIPS;

      for (int d = 0; d < 7; d++)
        most = MAX (most, self->days[d]->len);
      *minimum = HEADER_HEIGHT + MIN_CHIPS * (CHIP_HEIGHT + CHIP_GAP) + CHIP_GAP;
      *natural = HEADER_HEIGHT + MIN (most, 40) * (CHIP_HEIGHT + CHIP_GAP) + CHIP_GAP;
    }
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   WcWeekView      *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int d = (int) (x / (width / 7.0));
  int slot;

  if (d < 0 || d > 6 || y < HEADER_HEIGHT)
    return;
  slot = (int) ((y - HEADER_HEIGHT) / (CHIP_HEIGHT + CHIP_GAP));
  if (slot < 0 || (guint) slot >= self->days[d]->len)
    return;
  if ((guint) slot + 1 == chips_that_fit (self) && self->days[d]->len > chips_that_fit (self))
    slot = chips_that_fit (self) - 1;

  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, g_ptr_array_index (self->days[d], slot));
}

static void
wc_week_view_dispose (GObject *object)
{
  WcWeekView *self = WC_WEEK_VIEW (object);

  g_clear_handle_id (&self->recompute_idle, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (wc_week_view_parent_class)->dispose (object);
}

static void
wc_week_view_finalize (GObject *object)
{
  WcWeekView *self = WC_WEEK_VIEW (object);

  for (int d = 0; d < 7; d++)
    g_ptr_array_unref (self->days[d]);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (wc_week_view_parent_class)->finalize (object);
}

static void
wc_week_view_class_init (WcWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_week_view_dispose;
  object_class->finalize = wc_week_view_finalize;
  widget_class->snapshot = wc_week_view_snapshot;
  widget_class->measure = wc_week_view_measure;

  gtk_widget_class_set_css_name (widget_class, "weekview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  /**
   * WcWeekView::entry-activated:
   * @entry: the entry whose chip was clicked
   */
  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, WC_TYPE_OUTBOX_ENTRY);
}

static void
wc_week_view_init (WcWeekView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->tz = g_time_zone_new_local ();
  for (int d = 0; d < 7; d++)
    self->days[d] = g_ptr_array_new_with_free_func (g_object_unref);
  gdk_rgba_parse (&self->colors[0], "#e5a50a");
  gdk_rgba_parse (&self->colors[1], "#1c71d8");
  set_week (self, get_now (self));

  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Posts of the week"),
                                  -1);
}

/**
 * wc_week_view_new:
 *
 * Returns: (transfer floating): a new week view
 */
GtkWidget *
wc_week_view_new (void)
{
  return g_object_new (WC_TYPE_WEEK_VIEW, NULL);
}

/**
 * wc_week_view_set_model:
 * @entries: (nullable): WcOutboxEntry ordered by due time
 */
void
wc_week_view_set_model (WcWeekView *self,
                        GListModel *entries)
{
  g_return_if_fail (WC_IS_WEEK_VIEW (self));

  if (self->model == entries)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, entries);
  if (entries != NULL)
    g_signal_connect_swapped (entries, "items-changed", G_CALLBACK (on_items_changed), self);
  recompute (self);
}

/**
 * wc_week_view_set_colors:
 * @personal: "#rrggbb"
 * @professional: "#rrggbb"
 */
void
wc_week_view_set_colors (WcWeekView *self,
                         const char *personal,
                         const char *professional)
{
  g_return_if_fail (WC_IS_WEEK_VIEW (self));

  gdk_rgba_parse (&self->colors[0], personal);
  gdk_rgba_parse (&self->colors[1], professional);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * wc_week_view_set_now:
 * @now: UTC seconds; 0 for the real time
 *
 * Which day is today, and the week shown first.
 */
void
wc_week_view_set_now (WcWeekView *self,
                      gint64      now)
{
  g_return_if_fail (WC_IS_WEEK_VIEW (self));

  self->now = now;
  set_week (self, get_now (self));
  recompute (self);
}

gint64
wc_week_view_get_week_start (WcWeekView *self)
{
  g_return_val_if_fail (WC_IS_WEEK_VIEW (self), 0);
  return self->day_start[0];
}

/**
 * wc_week_view_show_week_of:
 * @utc: any time in the week to show
 */
void
wc_week_view_show_week_of (WcWeekView *self,
                           gint64      utc)
{
  g_return_if_fail (WC_IS_WEEK_VIEW (self));

  set_week (self, utc);
  recompute (self);
}

/**
 * wc_week_view_move:
 * @weeks: how many weeks forward (negative: back)
 */
void
wc_week_view_move (WcWeekView *self,
                   int         weeks)
{
  g_return_if_fail (WC_IS_WEEK_VIEW (self));

  /* Midday of Monday, so that a change of clocks cannot land on Sunday. */
  wc_week_view_show_week_of (self, self->day_start[0] + 12 * 3600 + (gint64) weeks * 7 * 24 * 3600);
}

/**
 * wc_week_view_dup_title:
 *
 * Returns: (transfer full): the week in words, e.g. "30 Nov – 6 Dec 2026"
 */
char *
wc_week_view_dup_title (WcWeekView *self)
{
  g_autoptr(GDateTime) first_utc = NULL;
  g_autoptr(GDateTime) last_utc = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (WC_IS_WEEK_VIEW (self), NULL);

  first_utc = g_date_time_new_from_unix_utc (self->day_start[0] + 12 * 3600);
  last_utc = g_date_time_new_from_unix_utc (self->day_start[6] + 12 * 3600);
  first = g_date_time_to_timezone (first_utc, self->tz);
  last = g_date_time_to_timezone (last_utc, self->tz);
  /* Translators: the first day of a week, see g_date_time_format(). */
  from = g_date_time_format (first, _("%-d %b"));
  /* Translators: the last day of a week, see g_date_time_format(). */
  to = g_date_time_format (last, _("%-d %b %Y"));
  /* Translators: a week, from its first to its last day. */
  return g_strdup_printf (_("%s – %s"), from, to);
}

guint
wc_week_view_get_n_in_day (WcWeekView *self,
                           guint       day)
{
  g_return_val_if_fail (WC_IS_WEEK_VIEW (self), 0);
  g_return_val_if_fail (day < 7, 0);

  if (self->recompute_idle != 0)
    {
      g_clear_handle_id (&self->recompute_idle, g_source_remove);
      recompute (self);
    }
  return self->days[day]->len;
}

/**
 * wc_week_view_get_entry:
 *
 * Returns: (transfer none): the @n-th entry drawn on @day
 */
WcOutboxEntry *
wc_week_view_get_entry (WcWeekView *self,
                        guint       day,
                        guint       n)
{
  g_return_val_if_fail (n < wc_week_view_get_n_in_day (self, day), NULL);

  return g_ptr_array_index (self->days[day], n);
}
