/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-audience.h"
#include "wc-audit-view.h"
#include "wc-composer.h"
#include "wc-network-catalog.h"
#include "wc-schedule-dialog.h"
#include "wc-scheduled-view.h"
#include "wc-window.h"

/* GTK 4.8 has no list sections, so the list is a flattening model over the
 * scheduler's entries: a WcDayHeading object before the first entry of
 * each day. It is rebuilt on every change of the entries (a linear pass,
 * cheap next to drawing) and tells the list view only the span that
 * differs, so that scrolling position and rows survive. */

/* --- Day headings ------------------------------------------------------ */

#define WC_TYPE_DAY_HEADING (wc_day_heading_get_type ())
G_DECLARE_FINAL_TYPE (WcDayHeading, wc_day_heading, WC, DAY_HEADING, GObject)

struct _WcDayHeading
{
  GObject  parent_instance;
  gint32   key;    /* yyyymmdd, local */
  gint64   noon;   /* UTC seconds of the day's local noon */
};

G_DEFINE_FINAL_TYPE (WcDayHeading, wc_day_heading, G_TYPE_OBJECT)

static void
wc_day_heading_class_init (WcDayHeadingClass *klass)
{
}

static void
wc_day_heading_init (WcDayHeading *self)
{
}

static char *
dup_day_label (GTimeZone *tz,
               gint64     noon,
               gint64     now)
{
  g_autoptr(GDateTime) noon_utc = g_date_time_new_from_unix_utc (noon);
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) day = g_date_time_to_timezone (noon_utc, tz);
  g_autoptr(GDateTime) today = g_date_time_to_timezone (now_utc, tz);
  GDate day_date;
  GDate today_date;
  g_autofree char *date = NULL;
  int diff;

  /* Calendar days, whatever the length of the days between. */
  g_date_clear (&day_date, 1);
  g_date_clear (&today_date, 1);
  g_date_set_dmy (&day_date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                  g_date_time_get_year (day));
  g_date_set_dmy (&today_date, g_date_time_get_day_of_month (today), g_date_time_get_month (today),
                  g_date_time_get_year (today));
  diff = g_date_days_between (&today_date, &day_date);

  if (g_date_time_get_year (day) == g_date_time_get_year (today))
    /* Translators: a day heading in the Scheduled view, see g_date_time_format(). */
    date = g_date_time_format (day, _("%A %-d %B"));
  else
    /* Translators: a day heading in another year, see g_date_time_format(). */
    date = g_date_time_format (day, _("%A %-d %B %Y"));

  if (diff == 0)
    /* Translators: a day heading; %s is the date. */
    return g_strdup_printf (_("Today · %s"), date);
  if (diff == 1)
    /* Translators: a day heading; %s is the date. */
    return g_strdup_printf (_("Tomorrow · %s"), date);
  if (diff == -1)
    /* Translators: a day heading; %s is the date. */
    return g_strdup_printf (_("Yesterday · %s"), date);
  return g_steal_pointer (&date);
}

/* --- The flattening model ---------------------------------------------- */

#define WC_TYPE_DAY_MODEL (wc_day_model_get_type ())
G_DECLARE_FINAL_TYPE (WcDayModel, wc_day_model, WC, DAY_MODEL, GObject)

struct _WcDayModel
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;     /* WcDayHeading or WcOutboxEntry */
  GHashTable *headings;  /* key → WcDayHeading, reused so rows stay put */
  GTimeZone  *tz;
  guint       rebuild_idle;
};

static void wc_day_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WcDayModel, wc_day_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, wc_day_model_list_model_init))

static GType
wc_day_model_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
wc_day_model_get_n_items (GListModel *model)
{
  return WC_DAY_MODEL (model)->items->len;
}

static gpointer
wc_day_model_get_item (GListModel *model,
                       guint       position)
{
  WcDayModel *self = WC_DAY_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
wc_day_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = wc_day_model_get_item_type;
  iface->get_n_items = wc_day_model_get_n_items;
  iface->get_item = wc_day_model_get_item;
}

static WcDayHeading *
ensure_heading (WcDayModel *self,
                gint32      key,
                gint64      noon)
{
  WcDayHeading *heading = g_hash_table_lookup (self->headings, GINT_TO_POINTER (key));

  if (heading == NULL)
    {
      heading = g_object_new (WC_TYPE_DAY_HEADING, NULL);
      heading->key = key;
      heading->noon = noon;
      g_hash_table_insert (self->headings, GINT_TO_POINTER (key), heading);
    }
  return heading;
}

static void
rebuild (WcDayModel *self)
{
  g_autoptr(GPtrArray) old = self->items;
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  gint64 day_start = G_MAXINT64;
  gint64 day_end = G_MININT64;
  gint32 key = 0;
  gint64 noon = 0;
  gint32 last_key = -1;
  guint prefix = 0;
  guint suffix = 0;

  g_ptr_array_set_size (items, 0);
  for (guint i = 0; i < n; i++)
    {
      WcOutboxEntry *entry = g_list_model_get_item (self->source, i);
      gint64 due = wc_outbox_entry_get_due_at (entry);

      if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_CANCELLED)
        {
          g_object_unref (entry);
          continue;
        }

      /* Sorted by time, so a new day is worked out only when the day
       * changes: a few hundred date computations for ten thousand posts. */
      if (due < day_start || due >= day_end)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (due);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->tz);
          g_autoptr(GDateTime) start = g_date_time_new (self->tz, g_date_time_get_year (local),
                                                        g_date_time_get_month (local),
                                                        g_date_time_get_day_of_month (local), 0, 0, 0);
          g_autoptr(GDateTime) next = g_date_time_add_days (start, 1);
          g_autoptr(GDateTime) end = g_date_time_new (self->tz, g_date_time_get_year (next),
                                                      g_date_time_get_month (next),
                                                      g_date_time_get_day_of_month (next), 0, 0, 0);

          day_start = g_date_time_to_unix (start);
          day_end = g_date_time_to_unix (end);
          key = g_date_time_get_year (local) * 10000 + g_date_time_get_month (local) * 100
                + g_date_time_get_day_of_month (local);
          noon = day_start + 12 * 3600;
        }
      if (key != last_key)
        {
          g_ptr_array_add (items, g_object_ref (ensure_heading (self, key, noon)));
          last_key = key;
        }
      g_ptr_array_add (items, entry);
    }
  self->items = items;

  /* Only the span that differs is announced. */
  while (prefix < old->len && prefix < items->len
         && g_ptr_array_index (old, prefix) == g_ptr_array_index (items, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < items->len - prefix
         && g_ptr_array_index (old, old->len - 1 - suffix) == g_ptr_array_index (items, items->len - 1 - suffix))
    suffix++;
  if (old->len - prefix - suffix > 0 || items->len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old->len - prefix - suffix, items->len - prefix - suffix);
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  WcDayModel *self = user_data;

  self->rebuild_idle = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* A burst of changes (the scheduler loading or a draft scheduled to ten
 * accounts) is one rebuild, before the next frame is laid out. */
static void
on_source_items_changed (WcDayModel *self)
{
  if (self->rebuild_idle == 0)
    self->rebuild_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 5, rebuild_idle_cb, self, NULL);
}

static void
wc_day_model_flush (WcDayModel *self)
{
  if (self->rebuild_idle != 0)
    {
      g_clear_handle_id (&self->rebuild_idle, g_source_remove);
      rebuild (self);
    }
}

static void
wc_day_model_dispose (GObject *object)
{
  WcDayModel *self = WC_DAY_MODEL (object);

  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (wc_day_model_parent_class)->dispose (object);
}

static void
wc_day_model_finalize (GObject *object)
{
  WcDayModel *self = WC_DAY_MODEL (object);

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->headings);
  g_time_zone_unref (self->tz);

  G_OBJECT_CLASS (wc_day_model_parent_class)->finalize (object);
}

static void
wc_day_model_class_init (WcDayModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_day_model_dispose;
  object_class->finalize = wc_day_model_finalize;
}

static void
wc_day_model_init (WcDayModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->headings = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->tz = g_time_zone_new_local ();
}

static void
wc_day_model_set_source (WcDayModel *self,
                         GListModel *source)
{
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect_swapped (source, "items-changed", G_CALLBACK (on_source_items_changed), self);
  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  rebuild (self);
}

static guint
wc_day_model_find (WcDayModel *self,
                   gpointer    item)
{
  guint position;

  if (g_ptr_array_find (self->items, item, &position))
    return position;
  return GTK_INVALID_LIST_POSITION;
}

/* --- The view ------------------------------------------------------------ */

typedef struct _WcScheduledRow WcScheduledRow;

struct _WcScheduledView
{
  AdwBin            parent_instance;

  WcApplication    *application;
  WcScheduler      *scheduler;
  WcDayModel       *rows;

  /* template */
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  GtkStack         *mode_stack;
  GtkToggleButton  *list_toggle;
  GtkToggleButton  *week_toggle;
  GtkWidget        *week_bar;
  GtkLabel         *week_title;
  GtkListView      *list_view;
  WcWeekView       *week_view;

  char             *colors[2];
  GHashTable       *accounts;    /* id → WcAccount */
  GHashTable       *audiences;   /* "id:visibility" → summary */
  AdwToast         *undo_toast;
  gboolean          scrolled_to_today;
  gboolean          scrolled_to_end;
};

G_DEFINE_FINAL_TYPE (WcScheduledView, wc_scheduled_view, ADW_TYPE_BIN)

static WcStore *
get_store (WcScheduledView *self)
{
  return self->application != NULL ? wc_application_get_store (self->application) : NULL;
}

static gint64
get_now (WcScheduledView *self)
{
  return self->application != NULL ? wc_application_get_now (self->application)
                                   : g_get_real_time () / G_USEC_PER_SEC;
}

static void
load_accounts (WcScheduledView *self)
{
  WcStore *store = get_store (self);
  g_autoptr(GPtrArray) accounts = NULL;

  g_hash_table_remove_all (self->accounts);
  g_hash_table_remove_all (self->audiences);
  if (store != NULL)
    accounts = wc_store_list_all_accounts (store, NULL);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);

      g_hash_table_insert (self->accounts, g_memdup2 (&(gint64) { wc_account_get_id (account) }, sizeof (gint64)),
                           g_object_ref (account));
    }
}

static WcAccount *
lookup_account (WcScheduledView *self,
                gint64           id)
{
  return g_hash_table_lookup (self->accounts, &id);
}

/* The audience in one line, as the composer showed it, from what Whitecoat
 * last knew of the account. Computed once per account and visibility. */
static const char *
lookup_audience (WcScheduledView *self,
                 WcOutboxEntry   *entry,
                 WcAccount       *account)
{
  const WcOutboxContent *content = wc_outbox_entry_get_content (entry);
  g_autofree char *key = NULL;
  const char *summary;

  if (account == NULL || content == NULL || content->visibility == NULL)
    return NULL;

  key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", wc_account_get_id (account), content->visibility);
  summary = g_hash_table_lookup (self->audiences, key);
  if (summary == NULL)
    {
      WcStore *store = get_store (self);
      WcAccountState *state = store != NULL ? wc_store_load_account_state (store, wc_account_get_id (account), NULL)
                                            : NULL;
      g_autoptr(WcAudience) audience = wc_audience_compute (state, NULL, NULL,
                                                            wc_account_get_identity (account),
                                                            wc_account_get_network (account),
                                                            content->visibility, NULL);
      char *value = g_strdup (audience != NULL && wc_audience_get_summary (audience) != NULL
                              ? wc_audience_get_summary (audience) : "");

      g_clear_pointer (&state, wc_account_state_free);
      g_hash_table_insert (self->audiences, g_steal_pointer (&key), value);
      summary = value;
    }
  return summary;
}

static void
update_css (WcScheduledView *self)
{

  if (self->application != NULL)
    {
      for (WcIdentityKind kind = WC_IDENTITY_PERSONAL; kind <= WC_IDENTITY_PROFESSIONAL; kind++)
        {
          g_free (self->colors[kind]);
          self->colors[kind] = wc_application_dup_identity_color (self->application, kind);
        }
    }

  /* The colours come validated from wc_application_dup_identity_color(). */
  if (self->list_view == NULL)
    return;
  /* Rows draw the swatch in these colours; redraw what is shown. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_first_child (child) != NULL)
      gtk_widget_queue_draw (gtk_widget_get_first_child (child));
  wc_week_view_set_colors (self->week_view, self->colors[WC_IDENTITY_PERSONAL],
                           self->colors[WC_IDENTITY_PROFESSIONAL]);
}

static void
show_toast (WcScheduledView *self,
            const char      *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
show_error (WcScheduledView *self,
            const char      *what,
            GError          *error)
{
  /* Translators: the first %s says what failed, the second why. */
  g_autofree char *title = g_strdup_printf (_("%s: %s"), what, error->message);

  show_toast (self, title);
}

static const char *
describe_state (WcOutboxEntry *entry,
                gboolean       manual)
{
  switch (wc_outbox_entry_get_state (entry))
    {
    case WC_OUTBOX_STATE_SCHEDULED:
      return manual ? _("Reminder") : _("Scheduled, sent by Whitecoat");
    case WC_OUTBOX_STATE_SERVER_SCHEDULED:
      return _("Scheduled on the server");
    case WC_OUTBOX_STATE_SENDING:
      return _("Posting…");
    case WC_OUTBOX_STATE_SENT:
      return manual ? _("Posted by you") : _("Posted");
    case WC_OUTBOX_STATE_FAILED:
      return _("Not posted");
    case WC_OUTBOX_STATE_HELD:
      return _("Held for you");
    case WC_OUTBOX_STATE_CANCELLED:
      return _("Cancelled");
    default:
      return "";
    }
}

/* --- Rows ------------------------------------------------------------------ */

/* A row draws its text itself: a GTK 4.8 list view keeps about two hundred
 * rows alive around what is shown, and a row of a dozen labels and boxes
 * each would cost the view's first frame more than a second. Only the
 * buttons are widgets. */

#define WC_TYPE_SCHEDULED_ROW (wc_scheduled_row_get_type ())
G_DECLARE_FINAL_TYPE (WcScheduledRow, wc_scheduled_row, WC, SCHEDULED_ROW, GtkWidget)

typedef enum
{
  TONE_NORMAL,
  TONE_ERROR,
  TONE_WARNING,
  TONE_SUCCESS,
} Tone;

#define ROW_PAD_START   12
#define ROW_PAD_END     6
#define ROW_PAD_Y       8
#define HEADING_PAD_TOP 18
#define SWATCH_WIDTH    4
#define ICON_SIZE       16
#define COLUMN_GAP      10
#define LINE_GAP        2
#define MENU_AREA       34  /* the drawn "⋮" that opens the menu */

/* Icons are drawn, not widgets; one paintable per name for all rows. */
static GdkPaintable *
lookup_icon (GtkWidget  *widget,
             const char *name)
{
  static GHashTable *icons;
  GdkPaintable *icon;

  if (icons == NULL)
    icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  icon = g_hash_table_lookup (icons, name);
  if (icon == NULL)
    {
      icon = GDK_PAINTABLE (gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (widget)),
                                                        name, NULL, ICON_SIZE, gtk_widget_get_scale_factor (widget),
                                                        GTK_TEXT_DIR_NONE, 0));
      g_hash_table_insert (icons, g_strdup (name), icon);
    }
  return icon;
}

struct _WcScheduledRow
{
  GtkWidget           parent_instance;

  WcScheduledView    *view;      /* unowned */
  GObject            *item;

  gboolean            heading;
  WcIdentityKind      identity;
  Tone                tone;
  PangoLayout        *title;     /* heading, or time and account */
  PangoLayout        *text;
  PangoLayout        *state;
  PangoLayout        *audience;
  gboolean            has_audience;
  GdkPaintable       *icon;            /* the network's, shared */
  guint               enabled;         /* bits of row_action_names */
  int                 last_width;      /* of the last allocation */
  guint               resize_idle;
  gboolean            enabled_known;
  GtkWidget          *primary_button;  /* made when a row first needs it */
};

G_DEFINE_FINAL_TYPE (WcScheduledRow, wc_scheduled_row, GTK_TYPE_WIDGET)

static void scheduled_view_run_action (WcScheduledView *self,
                                       const char      *action,
                                       WcOutboxEntry   *entry);

/* Class actions, enabled per row: no action objects for each of the rows. */
static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (widget);

  if (row->view == NULL || !WC_IS_OUTBOX_ENTRY (row->item))
    return;
  scheduled_view_run_action (row->view, action_name + strlen ("row."), WC_OUTBOX_ENTRY (row->item));
}

static const char * const row_action_names[] = {
  "post-now", "reschedule", "edit", "open", "retry", "mark-done", "cancel",
};

static void
set_enabled (WcScheduledRow *row,
             const char     *name,
             gboolean        enabled)
{
  char full[32];
  guint bit = 0;

  for (guint i = 0; i < G_N_ELEMENTS (row_action_names); i++)
    if (g_str_equal (row_action_names[i], name))
      bit = 1u << i;
  /* Only real changes: a bound row is rebound often while scrolling. */
  if (((row->enabled & bit) != 0) == enabled && row->enabled_known)
    return;
  row->enabled = enabled ? row->enabled | bit : row->enabled & ~bit;
  g_snprintf (full, sizeof full, "row.%s", name);
  gtk_widget_action_set_enabled (GTK_WIDGET (row), full, enabled);
}

/* "<b>bold</b>  rest", rest dimmed; attributes rather than markup, which
 * would be parsed for every row bound while scrolling. */
static void
set_markup_text (PangoLayout *layout,
                 const char  *bold,
                 const char  *rest)
{
  g_autofree char *text = g_strconcat (bold, rest != NULL ? "  " : "", rest, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *attr = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

  attr->start_index = 0;
  attr->end_index = strlen (bold);
  pango_attr_list_insert (attrs, attr);
  if (rest != NULL)
    {
      attr = pango_attr_foreground_alpha_new (65535 * 60 / 100);
      attr->start_index = strlen (bold);
      attr->end_index = G_MAXUINT;
      pango_attr_list_insert (attrs, attr);
    }
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

static void
fill_entry (WcScheduledRow *row)
{
  WcScheduledView *self = row->view;
  WcOutboxEntry *entry = WC_OUTBOX_ENTRY (row->item);
  WcOutboxState state = wc_outbox_entry_get_state (entry);
  WcAccount *account = lookup_account (self, wc_outbox_entry_get_account_id (entry));
  WcNetworkInfo *info = account != NULL
                        ? wc_network_catalog_lookup (wc_network_catalog_get_default (), wc_account_get_network (account))
                        : NULL;
  gboolean manual = info == NULL || !wc_network_info_get_has_api (info);
  const WcOutboxContent *content = wc_outbox_entry_get_content (entry);
  const char *audience = lookup_audience (self, entry, account);
  const char *reason = wc_outbox_entry_get_reason (entry);
  gboolean due_passed = wc_outbox_entry_get_due_at (entry) <= get_now (self);
  g_autoptr(GDateTime) due_utc = g_date_time_new_from_unix_utc (wc_outbox_entry_get_due_at (entry));
  g_autoptr(GDateTime) due = g_date_time_to_local (due_utc);
  g_autofree char *time = g_date_time_format (due, "%H:%M");
  g_autofree char *account_text = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *first_line = NULL;
  g_autofree char *accessible = NULL;
  const char *primary = NULL;

  row->identity = wc_outbox_entry_get_identity (entry);
  row->icon = lookup_icon (GTK_WIDGET (row), info != NULL ? wc_network_info_get_icon_name (info)
                                                          : "network-server-symbolic");

  if (account != NULL)
    {
      const char *custom = wc_account_get_custom_name (account);
      const char *network = custom != NULL && custom[0] != '\0' ? custom
                            : info != NULL ? wc_network_info_get_name (info) : wc_account_get_network (account);

      /* Translators: the network, then the account's handle. */
      account_text = g_strdup_printf (_("%s · %s"), network,
                                      wc_account_get_handle (account) != NULL ? wc_account_get_handle (account) : "");
    }
  else
    account_text = g_strdup (_("A removed account"));
  set_markup_text (row->title, time, account_text);

  if (content != NULL && content->text != NULL)
    {
      const char *end = strchr (content->text, '\n');

      first_line = end != NULL ? g_strndup (content->text, end - content->text) : g_strdup (content->text);
    }
  pango_layout_set_text (row->text, first_line != NULL && first_line[0] != '\0' ? first_line : _("(No text)"), -1);

  if ((state == WC_OUTBOX_STATE_FAILED || state == WC_OUTBOX_STATE_HELD) && reason != NULL && reason[0] != '\0')
    /* Translators: a state, then its reason in plain words. */
    state_text = g_strdup_printf (_("%s: %s"), describe_state (entry, manual), reason);
  else if (state == WC_OUTBOX_STATE_SCHEDULED && !manual && wc_outbox_entry_get_attempts (entry) > 0)
    /* Translators: %u is a number of attempts so far. */
    state_text = g_strdup_printf (ngettext ("Will try again (%u attempt so far)", "Will try again (%u attempts so far)",
                                            wc_outbox_entry_get_attempts (entry)),
                                  wc_outbox_entry_get_attempts (entry));
  else if (state == WC_OUTBOX_STATE_SCHEDULED && manual && due_passed)
    state_text = g_strdup (_("Time to post it yourself"));
  else
    state_text = g_strdup (describe_state (entry, manual));
  pango_layout_set_text (row->state, state_text, -1);

  row->has_audience = audience != NULL && audience[0] != '\0';
  pango_layout_set_text (row->audience, row->has_audience ? audience : "", -1);

  if (state == WC_OUTBOX_STATE_FAILED)
    row->tone = TONE_ERROR;
  else if (state == WC_OUTBOX_STATE_HELD || (state == WC_OUTBOX_STATE_SCHEDULED && manual && due_passed))
    row->tone = TONE_WARNING;
  else if (state == WC_OUTBOX_STATE_SENT)
    row->tone = TONE_SUCCESS;
  else
    row->tone = TONE_NORMAL;

  set_enabled (row, "post-now", state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_SERVER_SCHEDULED
                                || state == WC_OUTBOX_STATE_HELD);
  set_enabled (row, "reschedule", state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_SERVER_SCHEDULED
                                  || state == WC_OUTBOX_STATE_HELD || state == WC_OUTBOX_STATE_FAILED);
  set_enabled (row, "edit", wc_outbox_entry_get_draft_id (entry) > 0 && state != WC_OUTBOX_STATE_SENDING);
  set_enabled (row, "open", state == WC_OUTBOX_STATE_SENT && wc_outbox_entry_get_remote_url (entry) != NULL);
  set_enabled (row, "retry", state == WC_OUTBOX_STATE_FAILED);
  set_enabled (row, "mark-done", manual && (state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_HELD));
  set_enabled (row, "cancel", state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_SERVER_SCHEDULED
                              || state == WC_OUTBOX_STATE_HELD || state == WC_OUTBOX_STATE_FAILED);

  if (state == WC_OUTBOX_STATE_FAILED)
    primary = "retry";
  else if (state == WC_OUTBOX_STATE_HELD && !manual)
    primary = "post-now";
  else if (manual && due_passed && (state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_HELD))
    primary = "mark-done";
  else if (state == WC_OUTBOX_STATE_SENT && wc_outbox_entry_get_remote_url (entry) != NULL)
    primary = "open";

  /* Most rows have none: made when first needed. */
  if (primary != NULL && row->primary_button == NULL)
    {
      row->primary_button = gtk_button_new ();
      gtk_widget_set_parent (row->primary_button, GTK_WIDGET (row));
    }
  if (row->primary_button != NULL)
    gtk_widget_set_visible (row->primary_button, primary != NULL);
  if (primary != NULL)
    {
      g_autofree char *name = g_strconcat ("row.", primary, NULL);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (row->primary_button), name);
      gtk_button_set_label (GTK_BUTTON (row->primary_button),
                            g_str_equal (primary, "retry") ? _("Retry")
                            : g_str_equal (primary, "post-now") ? _("Post Now")
                            : g_str_equal (primary, "mark-done") ? _("Posted")
                            : _("Open"));
    }

  row->enabled_known = TRUE;
  accessible = g_strjoin (". ", time, account_text, first_line != NULL ? first_line : "", state_text,
                          row->has_audience ? audience : "", NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
fill_row (WcScheduledRow *row)
{
  row->heading = WC_IS_DAY_HEADING (row->item);
  if ((row->heading || row->item == NULL) && row->primary_button != NULL)
    gtk_widget_set_visible (row->primary_button, FALSE);

  if (row->heading)
    {
      g_autofree char *label = dup_day_label (row->view->rows->tz, WC_DAY_HEADING (row->item)->noon,
                                              get_now (row->view));

      set_markup_text (row->title, label, NULL);
      row->tone = TONE_NORMAL;
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      for (guint i = 0; i < G_N_ELEMENTS (row_action_names); i++)
        set_enabled (row, row_action_names[i], FALSE);
      row->enabled_known = TRUE;
    }
  else if (row->item != NULL)
    fill_entry (row);

  gtk_widget_queue_resize (GTK_WIDGET (row));
  gtk_widget_queue_draw (GTK_WIDGET (row));
}

static void
on_entry_notify (WcScheduledRow *row)
{
  fill_row (row);
}

static void
wc_scheduled_row_set_item (WcScheduledRow *row,
                           GObject        *item)
{
  if (row->item != NULL && WC_IS_OUTBOX_ENTRY (row->item))
    g_signal_handlers_disconnect_by_func (row->item, on_entry_notify, row);
  g_set_object (&row->item, item);
  if (item != NULL && WC_IS_OUTBOX_ENTRY (item))
    g_signal_connect_swapped (item, "notify", G_CALLBACK (on_entry_notify), row);
  if (item != NULL)
    fill_row (row);
}

/* Everything in one string, for tests: what the row shows. */
static char *
wc_scheduled_row_dup_text (WcScheduledRow *row)
{
  if (row->heading)
    return g_strdup (pango_layout_get_text (row->title));
  return g_strjoin ("\n", pango_layout_get_text (row->title), pango_layout_get_text (row->text),
                    pango_layout_get_text (row->state), pango_layout_get_text (row->audience), NULL);
}

static int
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* The width left for the text, beside the swatch, the icon and the buttons. */
static int
text_width (WcScheduledRow *row,
            int             width)
{
  int buttons = MENU_AREA;
  int natural;

  if (row->primary_button != NULL && gtk_widget_get_visible (row->primary_button))
    {
      gtk_widget_measure (row->primary_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      buttons += natural + 6;
    }
  return MAX (40, width - ROW_PAD_START - SWATCH_WIDTH - COLUMN_GAP - ICON_SIZE - COLUMN_GAP - buttons - ROW_PAD_END - 6);
}

static int
entry_height (WcScheduledRow *row,
              int             width)
{
  int w = text_width (row, width) * PANGO_SCALE;
  int height;

  pango_layout_set_width (row->title, w);
  pango_layout_set_width (row->text, w);
  pango_layout_set_width (row->state, w);
  pango_layout_set_width (row->audience, w);
  height = layout_height (row->title) + LINE_GAP + layout_height (row->text) + LINE_GAP + layout_height (row->state);
  if (row->has_audience)
    height += LINE_GAP + layout_height (row->audience);
  return height + 2 * ROW_PAD_Y;
}

static void
wc_scheduled_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Narrow is fine: every line but the state is cut with an ellipsis. */
      *minimum = 200;
      *natural = 480;
      return;
    }

  if (row->heading)
    {
      pango_layout_set_width (row->title, (MAX (for_size, 200) - 2 * ROW_PAD_START) * PANGO_SCALE);
      *minimum = *natural = HEADING_PAD_TOP + layout_height (row->title) + 6;
    }
  else if (row->item != NULL)
    {
      int buttons = 0;

      /* GTK 4.8's list view asks for the height without a width: the
       * width the row had last, or the list's, is the best guess; a wrong
       * guess is corrected after the allocation. */
      int width = for_size > 0 ? for_size
                  : row->last_width > 0 ? row->last_width
                  : gtk_widget_get_width (GTK_WIDGET (row->view->list_view)) > 0
                    ? gtk_widget_get_width (GTK_WIDGET (row->view->list_view)) : 480;

      *minimum = *natural = entry_height (row, width);
      if (row->primary_button != NULL && gtk_widget_get_visible (row->primary_button))
        gtk_widget_measure (row->primary_button, GTK_ORIENTATION_VERTICAL, -1, &buttons, NULL, NULL, NULL);
      *minimum = *natural = MAX (*minimum, buttons + 2 * ROW_PAD_Y);

    }
  else
    *minimum = *natural = 0;
}

static gboolean
resize_idle_cb (gpointer user_data)
{
  WcScheduledRow *row = user_data;

  row->resize_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (row));
  return G_SOURCE_REMOVE;
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        height)
{
  int width, child_height;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height, NULL, NULL);
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, (height - child_height) / 2, width, child_height }, -1);
}

static void
wc_scheduled_row_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (widget);
  int x = width - ROW_PAD_END - MENU_AREA;
  int natural;

  if (row->heading)
    pango_layout_set_width (row->title, (width - 2 * ROW_PAD_START) * PANGO_SCALE);
  if (row->heading || row->item == NULL)
    return;

  row->last_width = width;
  if (entry_height (row, width) != height && row->resize_idle == 0)
    row->resize_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 5, resize_idle_cb, row, NULL);
  if (row->primary_button != NULL && gtk_widget_get_visible (row->primary_button))
    {
      gtk_widget_measure (row->primary_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      x -= natural + 6;
      allocate_child (row->primary_button, x, height);
    }
}

static GdkRGBA
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color))
    gdk_rgba_parse (&color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             int            x,
             int            y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_icon (GtkSnapshot   *snapshot,
           GdkPaintable  *icon,
           int            x,
           int            y,
           const GdkRGBA *color)
{
  if (icon == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  if (GTK_IS_SYMBOLIC_PAINTABLE (icon))
    gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON_SIZE, ICON_SIZE,
                                              color, 1);
  else
    gdk_paintable_snapshot (icon, snapshot, ICON_SIZE, ICON_SIZE);
  gtk_snapshot_restore (snapshot);
}

static void
wc_scheduled_row_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int x = ROW_PAD_START + SWATCH_WIDTH + COLUMN_GAP + ICON_SIZE + COLUMN_GAP;
  int y = ROW_PAD_Y;
  GdkRGBA fg, dim, tone;
  GdkRGBA swatch;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.55;

  if (row->heading)
    {
      draw_layout (snapshot, row->title, ROW_PAD_START, HEADING_PAD_TOP, &fg);
      return;
    }
  if (row->item == NULL)
    return;

  switch (row->tone)
    {
    case TONE_ERROR:
      tone = lookup_color (widget, "error_color", "#c01c28");
      break;
    case TONE_WARNING:
      tone = lookup_color (widget, "warning_color", "#9c6e03");
      break;
    case TONE_SUCCESS:
      tone = lookup_color (widget, "success_color", "#1b8553");
      break;
    case TONE_NORMAL:
    default:
      tone = fg;
      break;
    }
  if (row->tone == TONE_ERROR || row->tone == TONE_WARNING)
    {
      GdkRGBA background = tone;

      background.alpha = 0.10;
      gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }

  gdk_rgba_parse (&swatch, row->view->colors[row->identity == WC_IDENTITY_PERSONAL ? WC_IDENTITY_PERSONAL
                                                                                   : WC_IDENTITY_PROFESSIONAL]);
  {
    GskRoundedRect rounded;

    gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (ROW_PAD_START, ROW_PAD_Y, SWATCH_WIDTH,
                                                                    height - 2 * ROW_PAD_Y), 2);
    gtk_snapshot_push_rounded_clip (snapshot, &rounded);
    gtk_snapshot_append_color (snapshot, &swatch, &rounded.bounds);
    gtk_snapshot_pop (snapshot);
  }

  draw_layout (snapshot, row->title, x, y, &fg);
  y += layout_height (row->title) + LINE_GAP;
  draw_layout (snapshot, row->text, x, y, &fg);
  y += layout_height (row->text) + LINE_GAP;
  draw_layout (snapshot, row->state, x, y, &tone);
  y += layout_height (row->state) + LINE_GAP;
  if (row->has_audience)
    draw_layout (snapshot, row->audience, x, y, &dim);

  draw_icon (snapshot, row->icon, ROW_PAD_START + SWATCH_WIDTH + COLUMN_GAP, ROW_PAD_Y + 2, &fg);
  draw_icon (snapshot, lookup_icon (widget, "view-more-symbolic"),
             width - ROW_PAD_END - MENU_AREA + (MENU_AREA - ICON_SIZE) / 2, (height - ICON_SIZE) / 2, &fg);
  if (row->primary_button != NULL && gtk_widget_get_visible (row->primary_button))
    gtk_widget_snapshot_child (widget, row->primary_button, snapshot);
}

static GMenuModel *
get_row_menu (void)
{
  static GMenu *menu;

  if (menu == NULL)
    {
      static const struct { const char *label; const char *action; } items[] = {
        { N_("Post _Now"), "row.post-now" },
        { N_("_Reschedule…"), "row.reschedule" },
        { N_("_Edit Draft"), "row.edit" },
        { N_("_Open Post"), "row.open" },
        { N_("Re_try"), "row.retry" },
        { N_("_Mark as Posted"), "row.mark-done" },
        { N_("_Cancel Post"), "row.cancel" },
      };

      menu = g_menu_new ();
      for (guint i = 0; i < G_N_ELEMENTS (items); i++)
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), items[i].action);

          g_menu_item_set_attribute (item, "hidden-when", "s", "action-disabled");
          g_menu_append_item (menu, item);
        }
    }
  return G_MENU_MODEL (menu);
}

static void
on_menu_closed (GtkPopover *popover)
{
  /* After the action ran: the popover goes when idle. */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_unparent, popover);
}

/* The menu is made when it is opened, not with each row; @x, @y: where it
 * points, or -1 for the drawn "⋮". */
static void
wc_scheduled_row_popup_menu_at (WcScheduledRow *row,
                                double          x,
                                double          y)
{
  GtkWidget *popover;
  int width = gtk_widget_get_width (GTK_WIDGET (row));
  int height = gtk_widget_get_height (GTK_WIDGET (row));
  GdkRectangle rect;

  if (!WC_IS_OUTBOX_ENTRY (row->item))
    return;
  if (x < 0)
    rect = (GdkRectangle) { width - ROW_PAD_END - MENU_AREA, 0, MENU_AREA, height };
  else
    rect = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  popover = gtk_popover_menu_new_from_model (get_row_menu ());
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  g_signal_connect (popover, "closed", G_CALLBACK (on_menu_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
wc_scheduled_row_popup_menu (WcScheduledRow *row)
{
  wc_scheduled_row_popup_menu_at (row, -1, -1);
}

static void
on_row_released (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 WcScheduledRow  *row)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == GDK_BUTTON_SECONDARY)
    wc_scheduled_row_popup_menu_at (row, x, y);
  else if (x >= gtk_widget_get_width (GTK_WIDGET (row)) - ROW_PAD_END - MENU_AREA)
    wc_scheduled_row_popup_menu (row);
}

static void
wc_scheduled_row_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (widget);

  GTK_WIDGET_CLASS (wc_scheduled_row_parent_class)->css_changed (widget, change);
  /* The font may have changed: the layouts follow the widget's context. */
  pango_layout_context_changed (row->title);
  pango_layout_context_changed (row->text);
  pango_layout_context_changed (row->state);
  pango_layout_context_changed (row->audience);
  gtk_widget_queue_resize (widget);
}

static void
wc_scheduled_row_dispose (GObject *object)
{
  WcScheduledRow *row = WC_SCHEDULED_ROW (object);

  wc_scheduled_row_set_item (row, NULL);
  g_clear_handle_id (&row->resize_idle, g_source_remove);
  g_clear_pointer (&row->primary_button, gtk_widget_unparent);
  {
    GtkWidget *child;

    /* An open menu. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (row))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&row->title);
  g_clear_object (&row->text);
  g_clear_object (&row->state);
  g_clear_object (&row->audience);

  G_OBJECT_CLASS (wc_scheduled_row_parent_class)->dispose (object);
}

static void
wc_scheduled_row_class_init (WcScheduledRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_scheduled_row_dispose;
  widget_class->measure = wc_scheduled_row_measure;
  widget_class->size_allocate = wc_scheduled_row_size_allocate;
  widget_class->snapshot = wc_scheduled_row_snapshot;
  widget_class->css_changed = wc_scheduled_row_css_changed;
  gtk_widget_class_set_css_name (widget_class, "scheduledrow");
  for (guint i = 0; i < G_N_ELEMENTS (row_action_names); i++)
    {
      g_autofree char *name = g_strconcat ("row.", row_action_names[i], NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, row_action);
    }
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static PangoLayout *
make_layout (WcScheduledRow *row,
             gboolean        small,
             gboolean        wrap)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (row), NULL);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  if (wrap)
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  else
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static void
wc_scheduled_row_init (WcScheduledRow *row)
{
  row->title = make_layout (row, FALSE, FALSE);
  row->text = make_layout (row, FALSE, FALSE);
  /* A failure's reason is what the user acts on: never cut. */
  row->state = make_layout (row, TRUE, TRUE);
  row->audience = make_layout (row, TRUE, FALSE);

  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
    g_signal_connect (click, "released", G_CALLBACK (on_row_released), row);
    gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (click));
  }
}

/* --- The list ------------------------------------------------------------ */

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  WcScheduledView          *self)
{
  WcScheduledRow *row = g_object_new (WC_TYPE_SCHEDULED_ROW, NULL);

  row->view = self;
  gtk_list_item_set_child (item, GTK_WIDGET (row));
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 WcScheduledView          *self)
{

  GObject *object = gtk_list_item_get_item (item);

  gtk_list_item_set_activatable (item, WC_IS_OUTBOX_ENTRY (object));
  wc_scheduled_row_set_item (WC_SCHEDULED_ROW (gtk_list_item_get_child (item)), object);
}

static void
on_factory_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   WcScheduledView          *self)
{
  wc_scheduled_row_set_item (WC_SCHEDULED_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
scroll_to (WcScheduledView *self,
           guint            position)
{
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* The first day that is not over, so that the past is above the fold.
 * Scrolling to an item only brings it into view; coming from the end
 * (one frame earlier) puts the heading at the top. Returns whether it
 * is done. */
static gboolean
scroll_to_today (WcScheduledView *self,
                 gboolean         from_end)
{
  GPtrArray *items = self->rows->items;
  gint64 now = get_now (self);
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now_utc, self->rows->tz);
  gint32 today = g_date_time_get_year (local) * 10000 + g_date_time_get_month (local) * 100
                 + g_date_time_get_day_of_month (local);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      if (WC_IS_DAY_HEADING (item) && WC_DAY_HEADING (item)->key >= today)
        {
          if (i == 0)
            return TRUE;
          scroll_to (self, from_end ? items->len - 1 : i);
          return !from_end;
        }
    }
  return TRUE;
}

/* The list can scroll only once it has been laid out: the first frame
 * with a height does it. */
static gboolean
scroll_to_today_tick (GtkWidget     *widget,
                      GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  WcScheduledView *self = user_data;

  if (gtk_widget_get_height (widget) <= 0)
    return G_SOURCE_CONTINUE;
  if (!scroll_to_today (self, !self->scrolled_to_end))
    {
      self->scrolled_to_end = TRUE;
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_REMOVE;
}

static void
update_page (WcScheduledView *self)
{
  gboolean empty = self->rows->items->len == 0;

  if (self->stack == NULL)
    return;
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "content");
  if (!empty && !self->scrolled_to_today && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->scrolled_to_today = TRUE;
      gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), scroll_to_today_tick, self, NULL);
    }
}

static void
on_rows_changed (WcScheduledView *self)
{
  update_page (self);
}

static void
on_list_activate (GtkListView     *list,
                  guint            position,
                  WcScheduledView *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  /* Activating a row opens its menu: everything there is one step away. */
  if (WC_IS_OUTBOX_ENTRY (item))
    {
      GtkWidget *row = NULL;

      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *inner = gtk_widget_get_first_child (child);

          if (WC_IS_SCHEDULED_ROW (inner) && WC_SCHEDULED_ROW (inner)->item == item)
            row = inner;
        }
      if (row != NULL)
        wc_scheduled_row_popup_menu (WC_SCHEDULED_ROW (row));
    }
}

/* --- Actions on entries ---------------------------------------------------- */

typedef struct
{
  WcScheduledView *view;
  WcOutboxEntry   *entry;
} EntryData;

static void
entry_data_free (gpointer  data,
                 GClosure *closure)
{
  EntryData *d = data;

  g_clear_object (&d->view);
  g_clear_object (&d->entry);
  g_free (d);
}

static EntryData *
entry_data_new (WcScheduledView *self,
                WcOutboxEntry   *entry)
{
  EntryData *d = g_new0 (EntryData, 1);

  d->view = g_object_ref (self);
  d->entry = g_object_ref (entry);
  return d;
}

static void
on_undo_clicked (AdwToast  *toast,
                 EntryData *d)
{
  g_autoptr(GError) error = NULL;

  if (d->view->scheduler != NULL && !wc_scheduler_uncancel (d->view->scheduler, d->entry, &error))
    show_error (d->view, _("The post could not be restored"), error);
}

static void
on_undo_dismissed (AdwToast        *toast,
                   WcScheduledView *self)
{
  if (self->undo_toast == toast)
    self->undo_toast = NULL;
}

static void
on_reschedule_response (WcScheduleDialog *dialog,
                        const char       *response,
                        EntryData        *d)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "schedule") != 0 || !wc_schedule_dialog_get_valid (dialog)
      || d->view->scheduler == NULL)
    return;
  if (!wc_scheduler_reschedule (d->view->scheduler, d->entry, wc_schedule_dialog_get_due_at (dialog), &error))
    show_error (d->view, _("The post could not be rescheduled"), error);
  else
    {
      g_autofree char *when = wc_format_due_time (NULL, wc_schedule_dialog_get_due_at (dialog), get_now (d->view));
      /* Translators: %s is a time such as "Tomorrow at 08:00". */
      g_autofree char *title = g_strdup_printf (_("Rescheduled for %s"), when);

      show_toast (d->view, title);
    }
}

static void
edit_draft (WcScheduledView *self,
            WcOutboxEntry   *entry)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  WcStore *store = get_store (self);
  g_autoptr(WcDraft) draft = NULL;
  WcComposer *composer;

  if (!WC_IS_WINDOW (root) || self->application == NULL || store == NULL)
    return;
  draft = wc_store_load_draft (store, wc_outbox_entry_get_draft_id (entry), NULL);
  if (draft == NULL)
    {
      show_toast (self, _("The draft of this post was deleted; the post keeps its text"));
      return;
    }

  /* The draft's identity becomes the active one: the composer writes as it. */
  wc_application_set_active_identity (self->application, wc_draft_get_identity (draft));
  composer = wc_window_get_composer (WC_WINDOW (root));
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.open-draft", "x", wc_draft_get_id (draft));
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (WC_WINDOW (root)), "compose");
}

static void
scheduled_view_run_action (WcScheduledView *self,
                           const char      *action,
                           WcOutboxEntry   *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcOutboxEntry) keep = g_object_ref (entry);

  if (self->scheduler == NULL)
    return;

  if (g_str_equal (action, "cancel"))
    wc_scheduled_view_cancel_entry (self, entry);
  else if (g_str_equal (action, "post-now"))
    {
      if (!wc_scheduler_post_now (self->scheduler, entry, &error))
        show_error (self, _("The post could not be sent"), error);
    }
  else if (g_str_equal (action, "retry"))
    {
      if (!wc_scheduler_retry (self->scheduler, entry, &error))
        show_error (self, _("The post could not be retried"), error);
    }
  else if (g_str_equal (action, "mark-done"))
    {
      if (!wc_scheduler_mark_done (self->scheduler, entry, &error))
        show_error (self, _("The post could not be marked as posted"), error);
    }
  else if (g_str_equal (action, "open"))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      if (wc_outbox_entry_get_remote_url (entry) != NULL)
        gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                      wc_outbox_entry_get_remote_url (entry), GDK_CURRENT_TIME);
    }
  else if (g_str_equal (action, "edit"))
    edit_draft (self, entry);
  else if (g_str_equal (action, "reschedule"))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      WcAccount *account = lookup_account (self, wc_outbox_entry_get_account_id (entry));
      g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
      gint64 now = get_now (self);
      WcScheduleDialog *dialog;

      if (account != NULL)
        g_ptr_array_add (accounts, g_object_ref (account));
      dialog = wc_schedule_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Reschedule Post"), accounts, NULL, now,
                                       MAX (wc_outbox_entry_get_due_at (entry), now + 3600));
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (dialog), "schedule", _("_Reschedule"));
      g_signal_connect_data (dialog, "response", G_CALLBACK (on_reschedule_response),
                             entry_data_new (self, entry), entry_data_free, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_week_entry_activated (WcWeekView      *week,
                         WcOutboxEntry   *entry,
                         WcScheduledView *self)
{
  guint position;

  wc_day_model_flush (self->rows);
  position = wc_day_model_find (self->rows, entry);

  wc_scheduled_view_set_mode (self, "list");
  scroll_to (self, position);
}

/* --- Modes ----------------------------------------------------------------- */

static void
update_week_title (WcScheduledView *self)
{
  g_autofree char *title = NULL;

  if (self->week_view == NULL)
    return;
  title = wc_week_view_dup_title (self->week_view);

  gtk_label_set_text (self->week_title, title);
}

static void
on_mode_toggled (GtkToggleButton *button,
                 WcScheduledView *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  wc_scheduled_view_set_mode (self, button == self->week_toggle ? "week" : "list");
}

static void
on_previous_week (WcScheduledView *self)
{
  wc_week_view_move (self->week_view, -1);
  update_week_title (self);
}

static void
on_next_week (WcScheduledView *self)
{
  wc_week_view_move (self->week_view, 1);
  update_week_title (self);
}

static void
on_this_week (WcScheduledView *self)
{
  wc_week_view_show_week_of (self->week_view, get_now (self));
  update_week_title (self);
}

static void
on_activity_log_clicked (WcScheduledView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->application == NULL)
    return;
  gtk_window_present (GTK_WINDOW (wc_audit_view_new (self->application,
                                                     GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL)));
}

/* --- Overrides ------------------------------------------------------------- */

static void
on_scheduler_ready (WcScheduledView *self)
{
  /* A first scheduler, or a new one after the store was replaced. */
  if (self->scheduler != NULL || gtk_widget_get_mapped (GTK_WIDGET (self)))
    wc_scheduled_view_set_scheduler (self, wc_application_peek_scheduler (self->application));
}

static void
wc_scheduled_view_map (GtkWidget *widget)
{
  WcScheduledView *self = WC_SCHEDULED_VIEW (widget);

  GTK_WIDGET_CLASS (wc_scheduled_view_parent_class)->map (widget);

  /* The outbox is opened when it is first looked at, if not before. */
  if (self->scheduler == NULL && self->application != NULL)
    wc_scheduled_view_set_scheduler (self, wc_application_get_scheduler (self->application));
  update_page (self);
}

static void
wc_scheduled_view_dispose (GObject *object)
{
  WcScheduledView *self = WC_SCHEDULED_VIEW (object);

  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_clear_object (&self->application);
  g_clear_object (&self->scheduler);
  if (self->rows != NULL)
    g_signal_handlers_disconnect_by_data (self->rows, self);
  /* Through AdwBin first: the template would unparent its child behind
   * AdwBin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_SCHEDULED_VIEW);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (wc_scheduled_view_parent_class)->dispose (object);
}

static void
wc_scheduled_view_finalize (GObject *object)
{
  WcScheduledView *self = WC_SCHEDULED_VIEW (object);

  g_free (self->colors[0]);
  g_free (self->colors[1]);
  g_hash_table_unref (self->accounts);
  g_hash_table_unref (self->audiences);

  G_OBJECT_CLASS (wc_scheduled_view_parent_class)->finalize (object);
}

static void
wc_scheduled_view_class_init (WcScheduledViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_scheduled_view_dispose;
  object_class->finalize = wc_scheduled_view_finalize;
  widget_class->map = wc_scheduled_view_map;

  g_type_ensure (WC_TYPE_WEEK_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whitecoat/Whitecoat/wc-scheduled-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, list_toggle);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, week_toggle);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, week_bar);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, week_title);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, list_view);
  gtk_widget_class_bind_template_child (widget_class, WcScheduledView, week_view);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_activity_log_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_week);
  gtk_widget_class_bind_template_callback (widget_class, on_next_week);
  gtk_widget_class_bind_template_callback (widget_class, on_this_week);
  gtk_widget_class_bind_template_callback (widget_class, on_week_entry_activated);
}

static void
wc_scheduled_view_init (WcScheduledView *self)
{
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->audiences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->colors[WC_IDENTITY_PERSONAL] = g_strdup (wc_identity_kind_get_default_color (WC_IDENTITY_PERSONAL));
  self->colors[WC_IDENTITY_PROFESSIONAL] = g_strdup (wc_identity_kind_get_default_color (WC_IDENTITY_PROFESSIONAL));

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_object_new (WC_TYPE_DAY_MODEL, NULL);
  g_signal_connect_swapped (self->rows, "items-changed", G_CALLBACK (on_rows_changed), self);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
  update_css (self);
  update_week_title (self);
}

/* --- Public API -------------------------------------------------------------- */

/**
 * wc_scheduled_view_new:
 *
 * Returns: (transfer floating): a new Scheduled view
 */
GtkWidget *
wc_scheduled_view_new (void)
{
  return g_object_new (WC_TYPE_SCHEDULED_VIEW, NULL);
}

static void
on_accounts_changed (WcScheduledView *self)
{
  load_accounts (self);
  /* Rows show the accounts: rebind what is on screen. */
  g_list_model_items_changed (G_LIST_MODEL (self->rows), 0, self->rows->items->len, self->rows->items->len);
}

static void
on_identity_changed (WcScheduledView *self)
{
  update_css (self);
}

/**
 * wc_scheduled_view_set_application:
 *
 * The view shows the application's scheduler once it is mapped.
 */
void
wc_scheduled_view_set_application (WcScheduledView *self,
                                   WcApplication   *application)
{
  g_return_if_fail (WC_IS_SCHEDULED_VIEW (self));
  g_return_if_fail (application == NULL || WC_IS_APPLICATION (application));

  if (self->application == application)
    return;
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_set_object (&self->application, application);
  if (application == NULL)
    return;

  g_signal_connect_object (application, "accounts-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "identity-changed", G_CALLBACK (on_identity_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "scheduler-ready", G_CALLBACK (on_scheduler_ready), self,
                           G_CONNECT_SWAPPED);
  update_css (self);
  if (self->scheduler == NULL && wc_application_peek_scheduler (application) != NULL
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    wc_scheduled_view_set_scheduler (self, wc_application_peek_scheduler (application));
}

/**
 * wc_scheduled_view_set_scheduler:
 * @scheduler: (nullable): whose entries to show
 */
void
wc_scheduled_view_set_scheduler (WcScheduledView *self,
                                 WcScheduler     *scheduler)
{
  GListModel *entries;

  g_return_if_fail (WC_IS_SCHEDULED_VIEW (self));

  if (self->scheduler == scheduler)
    return;
  g_set_object (&self->scheduler, scheduler);
  load_accounts (self);
  entries = scheduler != NULL ? wc_scheduler_get_entries (scheduler) : NULL;
  wc_day_model_set_source (self->rows, entries);
  if (self->week_view != NULL)
    {
      wc_week_view_set_now (self->week_view, get_now (self));
      wc_week_view_set_model (self->week_view, entries);
    }
  update_week_title (self);
  update_page (self);
}

WcScheduler *
wc_scheduled_view_get_scheduler (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  return self->scheduler;
}

/**
 * wc_scheduled_view_set_mode:
 * @mode: "list" or "week"
 */
void
wc_scheduled_view_set_mode (WcScheduledView *self,
                            const char      *mode)
{
  gboolean week;

  g_return_if_fail (WC_IS_SCHEDULED_VIEW (self));

  week = g_strcmp0 (mode, "week") == 0;
  gtk_stack_set_visible_child_name (self->mode_stack, week ? "week" : "list");
  gtk_toggle_button_set_active (week ? self->week_toggle : self->list_toggle, TRUE);
  if (week)
    update_week_title (self);
}

const char *
wc_scheduled_view_get_mode (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->mode_stack);
}

GtkListView *
wc_scheduled_view_get_list_view (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  return self->list_view;
}

WcWeekView *
wc_scheduled_view_get_week_view (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  return self->week_view;
}

/**
 * wc_scheduled_view_get_rows:
 *
 * Returns: (transfer none): the list's rows: WcOutboxEntry, and a day
 *   heading before each day's first
 */
GListModel *
wc_scheduled_view_get_rows (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  wc_day_model_flush (self->rows);
  return G_LIST_MODEL (self->rows);
}

/**
 * wc_scheduled_view_get_row_heading:
 *
 * Returns: (nullable): the heading that row @position shows, or %NULL when
 *   it is an entry
 */
const char *
wc_scheduled_view_get_row_heading (WcScheduledView *self,
                                   guint            position)
{
  gpointer item;
  char *label;

  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);

  wc_day_model_flush (self->rows);
  if (position >= self->rows->items->len)
    return NULL;
  item = g_ptr_array_index (self->rows->items, position);
  if (!WC_IS_DAY_HEADING (item))
    return NULL;
  label = dup_day_label (self->rows->tz, WC_DAY_HEADING (item)->noon, get_now (self));
  g_object_set_data_full (G_OBJECT (item), "label", label, g_free);
  return label;
}

/**
 * wc_scheduled_view_cancel_entry:
 *
 * Cancels @entry and offers to undo it in a toast.
 *
 * Returns: whether it was cancelled
 */
gboolean
wc_scheduled_view_cancel_entry (WcScheduledView *self,
                                WcOutboxEntry   *entry)
{
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), FALSE);

  if (self->scheduler == NULL)
    return FALSE;
  if (!wc_scheduler_cancel (self->scheduler, entry, &error))
    {
      show_error (self, _("The post could not be cancelled"), error);
      return FALSE;
    }

  toast = adw_toast_new (_("Post cancelled"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_clicked),
                         entry_data_new (self, entry), entry_data_free, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_dismissed), self, 0);
  self->undo_toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return TRUE;
}

/**
 * wc_scheduled_view_get_undo_toast:
 *
 * Returns: (transfer none) (nullable): the toast that undoes the last
 *   cancel, while it is shown
 */
AdwToast *
wc_scheduled_view_get_undo_toast (WcScheduledView *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);
  return self->undo_toast;
}

/**
 * wc_scheduled_view_dup_shown_text:
 *
 * Returns: (transfer full): the text of the rows the list view made and
 *   shows, one row after the other, for tests
 */
char *
wc_scheduled_view_dup_shown_text (WcScheduledView *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (WC_IS_SCHEDULED_VIEW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (WC_IS_SCHEDULED_ROW (row) && gtk_widget_get_mapped (row) && WC_SCHEDULED_ROW (row)->item != NULL)
        {
          g_autofree char *part = wc_scheduled_row_dup_text (WC_SCHEDULED_ROW (row));

          g_string_append (text, part);
          g_string_append_c (text, '\n');
        }
    }
  return g_string_free (text, FALSE);
}

/**
 * wc_scheduled_view_get_row_entry:
 * @row: a row widget of the view's list
 *
 * Returns: (transfer none) (nullable): the entry @row shows; %NULL for a
 *   day heading or anything else
 */
WcOutboxEntry *
wc_scheduled_view_get_row_entry (GtkWidget *row)
{
  if (!WC_IS_SCHEDULED_ROW (row) || !WC_IS_OUTBOX_ENTRY (WC_SCHEDULED_ROW (row)->item))
    return NULL;
  return WC_OUTBOX_ENTRY (WC_SCHEDULED_ROW (row)->item);
}
