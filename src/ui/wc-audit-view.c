/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "wc-audit-view.h"
#include "wc-network-catalog.h"

/* --- One entry as an object for the list ------------------------------- */

#define WC_TYPE_AUDIT_ITEM (wc_audit_item_get_type ())
G_DECLARE_FINAL_TYPE (WcAuditItem, wc_audit_item, WC, AUDIT_ITEM, GObject)

struct _WcAuditItem
{
  GObject       parent_instance;
  WcAuditEntry *entry;
};

G_DEFINE_FINAL_TYPE (WcAuditItem, wc_audit_item, G_TYPE_OBJECT)

static void
wc_audit_item_finalize (GObject *object)
{
  g_clear_pointer (&WC_AUDIT_ITEM (object)->entry, wc_audit_entry_free);
  G_OBJECT_CLASS (wc_audit_item_parent_class)->finalize (object);
}

static void
wc_audit_item_class_init (WcAuditItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_audit_item_finalize;
}

static void
wc_audit_item_init (WcAuditItem *self)
{
}

/* --- The window ------------------------------------------------------------ */

struct _WcAuditView
{
  AdwWindow             parent_instance;

  WcApplication        *application;
  GListStore           *store;
  GtkFilterListModel   *filtered;
  GtkCustomFilter      *filter;
  GtkDropDown          *identity_drop;
  GtkDropDown          *account_drop;
  GtkDropDown          *kind_drop;
  GtkDropDown          *period_drop;
  GtkStack             *stack;
  GtkLabel             *count_label;
  GtkListView          *list_view;
  GtkNativeDialog      *chooser;
  GHashTable           *account_names;  /* id → title */
  GArray               *account_ids;    /* gint64, by position in the drop-down after "All" */
  GPtrArray            *kinds;          /* char *, by position after "All" */

  int                   identity;       /* -1 all */
  gint64                account_id;     /* -1 all */
  char                 *kind;           /* NULL all */
  WcAuditPeriod         period;
  gboolean              syncing;
};

G_DEFINE_FINAL_TYPE (WcAuditView, wc_audit_view, ADW_TYPE_WINDOW)

static const char *
kind_label (const char *kind)
{
  static const struct { const char *kind; const char *label; } labels[] = {
    { "publish", N_("Published") },
    { "override", N_("Warning overridden") },
    { "consent", N_("Consent recorded") },
    { "request", N_("Request answered") },
    { "setting", N_("Privacy setting changed") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (kind, labels[i].kind) == 0)
      return _(labels[i].label);
  return kind;
}

static gint64
period_start (WcAuditPeriod period)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) start = NULL;

  switch (period)
    {
    case WC_AUDIT_PERIOD_TODAY:
      start = g_date_time_ref (midnight);
      break;
    case WC_AUDIT_PERIOD_WEEK:
      start = g_date_time_add_days (midnight, -6);
      break;
    case WC_AUDIT_PERIOD_MONTH:
      start = g_date_time_add_days (midnight, -29);
      break;
    case WC_AUDIT_PERIOD_YEAR:
      start = g_date_time_add_years (midnight, -1);
      break;
    case WC_AUDIT_PERIOD_ANY:
    default:
      return G_MININT64;
    }
  return g_date_time_to_unix (start);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  WcAuditView *self = user_data;
  WcAuditEntry *entry = WC_AUDIT_ITEM (item)->entry;

  if (self->identity >= 0 && (!entry->has_identity || (int) entry->identity != self->identity))
    return FALSE;
  if (self->account_id >= 0 && entry->account_id != self->account_id)
    return FALSE;
  if (self->kind != NULL && g_strcmp0 (entry->kind, self->kind) != 0)
    return FALSE;
  if (self->period != WC_AUDIT_PERIOD_ANY && entry->at < period_start (self->period))
    return FALSE;
  return TRUE;
}

static void
update_count (WcAuditView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  /* Translators: %u are numbers of entries in the activity log. */
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u entry", "%u of %u entries", total), n, total);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  /* Translators: the time of an entry in the activity log, see g_date_time_format(). */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static const char *
account_name (WcAuditView *self,
              gint64       id)
{
  return id >= 0 ? g_hash_table_lookup (self->account_names, &id) : NULL;
}

/* --- Rows ------------------------------------------------------------------ */

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          WcAuditView              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *kind = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_add_css_class (kind, "heading");
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_widget_set_hexpand (kind, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (kind), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_box_append (GTK_BOX (top), kind);
  gtk_box_append (GTK_BOX (top), time);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (summary), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (detail), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         WcAuditView              *self)
{
  WcAuditEntry *entry = WC_AUDIT_ITEM (gtk_list_item_get_item (item))->entry;
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *top = gtk_widget_get_first_child (box);
  GtkWidget *summary = gtk_widget_get_next_sibling (top);
  GtkWidget *detail = gtk_widget_get_next_sibling (summary);
  g_autofree char *time = format_time (entry->at);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *account = account_name (self, entry->account_id);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (top)), kind_label (entry->kind));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (top)), time);
  gtk_label_set_text (GTK_LABEL (summary), entry->summary);

  if (entry->has_identity)
    g_string_append (text, wc_identity_kind_get_label (entry->identity));
  if (account != NULL)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, account);
    }
  if (entry->reason != NULL && entry->reason[0] != '\0')
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: the reason the user gave, in the activity log. */
      g_string_append_printf (text, _("Reason: %s"), entry->reason);
    }
  gtk_label_set_text (GTK_LABEL (detail), text->str);
  gtk_widget_set_visible (detail, text->len > 0);
}

/* --- Filters ---------------------------------------------------------------- */

static void
on_filter_changed (WcAuditView *self)
{
  guint identity, account, kind;

  /* Also while the template is built, before there is a filter. */
  if (self->syncing || self->filter == NULL)
    return;

  identity = gtk_drop_down_get_selected (self->identity_drop);
  account = gtk_drop_down_get_selected (self->account_drop);
  kind = gtk_drop_down_get_selected (self->kind_drop);

  self->identity = identity == 1 ? WC_IDENTITY_PERSONAL : identity == 2 ? WC_IDENTITY_PROFESSIONAL : -1;
  self->account_id = account >= 1 && account - 1 < self->account_ids->len
                     ? g_array_index (self->account_ids, gint64, account - 1) : -1;
  g_clear_pointer (&self->kind, g_free);
  if (kind >= 1 && kind - 1 < self->kinds->len)
    self->kind = g_strdup (g_ptr_array_index (self->kinds, kind - 1));
  self->period = gtk_drop_down_get_selected (self->period_drop);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
fill_drop (GtkDropDown *drop,
           GPtrArray   *labels)
{
  g_ptr_array_add (labels, NULL);
  gtk_drop_down_set_model (drop, G_LIST_MODEL (gtk_string_list_new ((const char * const *) labels->pdata)));
  gtk_drop_down_set_selected (drop, 0);
}

/* Before the entries: their rows show the accounts' names. */
static void
load_accounts (WcAuditView *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  WcStore *store = wc_application_get_store (self->application);
  g_autoptr(GPtrArray) accounts = store != NULL ? wc_store_list_all_accounts (store, NULL) : NULL;

  self->syncing = TRUE;

  g_hash_table_remove_all (self->account_names);
  g_array_set_size (self->account_ids, 0);
  labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (labels, g_strdup (_("All accounts")));
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      gint64 id = wc_account_get_id (account);
      WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                       wc_account_get_network (account));
      const char *custom = wc_account_get_custom_name (account);
      const char *network = custom != NULL && custom[0] != '\0' ? custom
                            : info != NULL ? wc_network_info_get_name (info) : wc_account_get_network (account);
      /* Translators: an account in the activity log: the network, then the handle. */
      char *title = g_strdup_printf (_("%s · %s"), network,
                                     wc_account_get_handle (account) != NULL ? wc_account_get_handle (account) : "");

      g_hash_table_insert (self->account_names, g_memdup2 (&id, sizeof id), title);
      g_array_append_val (self->account_ids, id);
      g_ptr_array_add (labels, g_strdup (title));
    }
  fill_drop (self->account_drop, labels);
  self->syncing = FALSE;
}

static void
rebuild_kinds (WcAuditView *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const known[] = { "publish", "override", "consent", "request", "setting" };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  self->syncing = TRUE;
  g_ptr_array_set_size (self->kinds, 0);
  labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (labels, g_strdup (_("All kinds")));
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_ptr_array_add (self->kinds, g_strdup (known[i]));
      g_hash_table_add (seen, (gpointer) known[i]);
      g_ptr_array_add (labels, g_strdup (kind_label (known[i])));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcAuditItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (!g_hash_table_contains (seen, item->entry->kind))
        {
          g_hash_table_add (seen, item->entry->kind);
          g_ptr_array_add (self->kinds, g_strdup (item->entry->kind));
          g_ptr_array_add (labels, g_strdup (kind_label (item->entry->kind)));
        }
    }
  fill_drop (self->kind_drop, labels);

  self->syncing = FALSE;
}

/* --- Export ------------------------------------------------------------------ */

static void
append_csv_field (GString    *csv,
                  const char *value,
                  gboolean    last)
{
  const char *v = value != NULL ? value : "";

  /* RFC 4180; and a leading = + - @ is quoted away so that a spreadsheet
   * does not run it as a formula. */
  g_string_append_c (csv, '"');
  if (strchr ("=+-@", v[0]) != NULL && v[0] != '\0')
    g_string_append_c (csv, '\'');
  for (const char *p = v; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
  g_string_append (csv, last ? "\r\n" : ",");
}

static char *
format_iso (gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format_iso8601 (local);
}

static gboolean
write_file (GFile       *file,
            const char  *contents,
            GError     **error)
{
  return g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

/**
 * wc_audit_view_export_csv:
 * @file: where to write
 *
 * Writes the entries shown (the filters apply) as CSV.
 */
gboolean
wc_audit_view_export_csv (WcAuditView  *self,
                          GFile        *file,
                          GError      **error)
{
  g_autoptr(GString) csv = g_string_new ("time,identity,account,kind,summary,reason\r\n");
  guint n;

  g_return_val_if_fail (WC_IS_AUDIT_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcAuditItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      WcAuditEntry *entry = item->entry;
      g_autofree char *time = format_iso (entry->at);

      append_csv_field (csv, time, FALSE);
      append_csv_field (csv, entry->has_identity ? wc_identity_kind_to_string (entry->identity) : "", FALSE);
      append_csv_field (csv, account_name (self, entry->account_id), FALSE);
      append_csv_field (csv, entry->kind, FALSE);
      append_csv_field (csv, entry->summary, FALSE);
      append_csv_field (csv, entry->reason, TRUE);
    }
  return write_file (file, csv->str, error);
}

/**
 * wc_audit_view_export_json:
 * @file: where to write
 *
 * Writes the entries shown (the filters apply) as a JSON array.
 */
gboolean
wc_audit_view_export_json (WcAuditView  *self,
                           GFile        *file,
                           GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n;

  g_return_val_if_fail (WC_IS_AUDIT_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcAuditItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      WcAuditEntry *entry = item->entry;
      g_autofree char *time = format_iso (entry->at);
      const char *account = account_name (self, entry->account_id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "identity");
      if (entry->has_identity)
        json_builder_add_string_value (builder, wc_identity_kind_to_string (entry->identity));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "account_id");
      if (entry->account_id >= 0)
        json_builder_add_int_value (builder, entry->account_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "account");
      if (account != NULL)
        json_builder_add_string_value (builder, account);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, entry->kind);
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, entry->summary);
      json_builder_set_member_name (builder, "reason");
      if (entry->reason != NULL)
        json_builder_add_string_value (builder, entry->reason);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return write_file (file, text, error);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     WcAuditView     *self)
{
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "json"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;
  if (!(json ? wc_audit_view_export_json (self, file, &error) : wc_audit_view_export_csv (self, file, &error)))
    {
      GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self), _("The Log Was Not Exported"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (alert));
    }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcAuditView *self = WC_AUDIT_VIEW (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (json ? _("Export the Activity Log as JSON")
                                              : _("Export the Activity Log as CSV"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     json ? "whitecoat-activity.json" : "whitecoat-activity.csv");
  g_object_set_data (G_OBJECT (chooser), "json", GINT_TO_POINTER (json));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* --- Overrides ---------------------------------------------------------------- */

static void
wc_audit_view_dispose (GObject *object)
{
  WcAuditView *self = WC_AUDIT_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_AUDIT_VIEW);

  G_OBJECT_CLASS (wc_audit_view_parent_class)->dispose (object);
}

static void
wc_audit_view_finalize (GObject *object)
{
  WcAuditView *self = WC_AUDIT_VIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->filtered);
  g_hash_table_unref (self->account_names);
  g_array_unref (self->account_ids);
  g_ptr_array_unref (self->kinds);
  g_free (self->kind);

  G_OBJECT_CLASS (wc_audit_view_parent_class)->finalize (object);
}

static void
wc_audit_view_class_init (WcAuditViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_audit_view_dispose;
  object_class->finalize = wc_audit_view_finalize;

  gtk_widget_class_install_action (widget_class, "audit.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whitecoat/Whitecoat/wc-audit-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, identity_drop);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, account_drop);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, kind_drop);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, period_drop);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, count_label);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcAuditView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_bind);
}

static void
wc_audit_view_init (WcAuditView *self)
{
  self->identity = -1;
  self->account_id = -1;
  self->account_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->account_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->kinds = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (WC_TYPE_AUDIT_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)), GTK_FILTER (self->filter));
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)))));
}

/**
 * wc_audit_view_new:
 * @parent: (nullable): the window it opens from
 *
 * Returns: (transfer none): a new activity log window, loaded
 */
WcAuditView *
wc_audit_view_new (WcApplication *application,
                   GtkWindow     *parent)
{
  WcAuditView *self;

  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);

  self = g_object_new (WC_TYPE_AUDIT_VIEW,
                       "transient-for", parent,
                       "application", application,
                       NULL);
  self->application = g_object_ref (application);
  wc_audit_view_reload (self);
  return self;
}

/**
 * wc_audit_view_reload:
 *
 * Reads the log from the store again.
 */
void
wc_audit_view_reload (WcAuditView *self)
{
  WcStore *store;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (WC_IS_AUDIT_VIEW (self));

  store = wc_application_get_store (self->application);
  if (store != NULL)
    entries = wc_store_list_audit (store, &error);
  if (entries == NULL && error != NULL)
    g_warning ("Cannot read the activity log: %s", error->message);

  /* Newest first. */
  for (guint i = entries != NULL ? entries->len : 0; i > 0; i--)
    {
      WcAuditItem *item = g_object_new (WC_TYPE_AUDIT_ITEM, NULL);

      item->entry = g_ptr_array_steal_index_fast (entries, i - 1);
      g_ptr_array_add (items, item);
    }
  load_accounts (self);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  rebuild_kinds (self);
  on_filter_changed (self);
}

/**
 * wc_audit_view_set_filter:
 * @identity: a #WcIdentityKind, or -1 for both
 * @account_id: an account, or -1 for all
 * @kind: (nullable): "publish", "override", …; %NULL for all
 * @period: how far back
 */
void
wc_audit_view_set_filter (WcAuditView   *self,
                          int            identity,
                          gint64         account_id,
                          const char    *kind,
                          WcAuditPeriod  period)
{
  guint account_pos = 0;
  guint kind_pos = 0;

  g_return_if_fail (WC_IS_AUDIT_VIEW (self));

  for (guint i = 0; i < self->account_ids->len; i++)
    if (g_array_index (self->account_ids, gint64, i) == account_id)
      account_pos = i + 1;
  for (guint i = 0; kind != NULL && i < self->kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (self->kinds, i), kind))
      kind_pos = i + 1;

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->identity_drop, identity == WC_IDENTITY_PERSONAL ? 1
                                                   : identity == WC_IDENTITY_PROFESSIONAL ? 2 : 0);
  gtk_drop_down_set_selected (self->account_drop, account_pos);
  gtk_drop_down_set_selected (self->kind_drop, kind_pos);
  gtk_drop_down_set_selected (self->period_drop, period);
  self->syncing = FALSE;
  on_filter_changed (self);
}

guint
wc_audit_view_get_n_shown (WcAuditView *self)
{
  g_return_val_if_fail (WC_IS_AUDIT_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}
