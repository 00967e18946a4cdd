/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-roster.h"
#include "wc-roster-page.h"

/* The preview shows at most this many rows: enough to see that the
 * columns were read right. */
#define PREVIEW_MAX_ROWS 200

struct _WcRosterPage
{
  AdwPreferencesPage  parent_instance;

  /* template */
  AdwActionRow       *counts_row;
  AdwActionRow       *keyring_row;
  AdwEntryRow        *name_row;
  AdwEntryRow        *handle_row;
  AdwEntryRow        *email_row;
  GtkLabel           *message_label;

  WcApplication      *application;
  GtkNativeDialog    *file_chooser;
  GtkWindow          *preview;         /* unowned; the dialog owns itself */
  GCancellable       *cancellable;
  char               *counts_text;
};

G_DEFINE_FINAL_TYPE (WcRosterPage, wc_roster_page, ADW_TYPE_PREFERENCES_PAGE)

/* The preview: the parsed file, kept in memory only while it is shown. */
typedef struct
{
  WcRosterPage   *self;
  WcRosterImport *import;
  GtkListBox     *rows_list;
} Preview;

static void
preview_free (gpointer  data,
              GClosure *closure)
{
  Preview *preview = data;

  g_clear_pointer (&preview->import, wc_roster_import_free);
  g_clear_object (&preview->self);
  g_free (preview);
}

static WcStore *
get_store (WcRosterPage *self)
{
  return self->application != NULL ? wc_application_get_store (self->application) : NULL;
}

static WcHasher *
get_hasher (WcRosterPage *self)
{
  return self->application != NULL ? wc_application_get_hasher (self->application) : NULL;
}

static GtkWindow *
get_parent_window (WcRosterPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_toast (WcRosterPage *self,
            const char   *title)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (title));
  else
    g_debug ("No window for the toast: %s", title);
}

static void
show_message (WcRosterPage *self,
              const char   *message,
              gboolean      error)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
update_counts (WcRosterPage *self)
{
  WcStore *store = get_store (self);
  guint names = 0, handles = 0, emails = 0;

  if (store != NULL)
    {
      names = wc_store_count_roster_hashes (store, WC_ROSTER_KIND_NAME);
      handles = wc_store_count_roster_hashes (store, WC_ROSTER_KIND_HANDLE);
      emails = wc_store_count_roster_hashes (store, WC_ROSTER_KIND_EMAIL);
    }

  g_free (self->counts_text);
  if (names + handles + emails == 0)
    self->counts_text = g_strdup (_("Nothing: the roster is empty."));
  else
    {
      g_autofree char *handles_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u handle", "%u handles", handles),
                                                       handles);
      g_autofree char *emails_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u e-mail address",
                                                                   "%u e-mail addresses", emails),
                                                      emails);
      /* A name is kept in several spellings ("Anna Jansen", "Jansen,
       * Anna", "A. Jansen"): counting them would not count patients. */
      g_autofree char *names_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "names in %u spelling",
                                                                  "names in %u spellings", names),
                                                     names);

      /* Translators: the three parts of what the roster holds, e.g. "4
       * handles · 7 e-mail addresses · names in 36 spellings". */
      self->counts_text = g_strdup_printf (_("%s · %s · %s"), handles_text, emails_text, names_text);
    }
  adw_action_row_set_subtitle (self->counts_row, self->counts_text);
}

static void
update_state (WcRosterPage *self)
{
  WcHasher *hasher = get_hasher (self);
  const GError *error = self->application != NULL ? wc_application_get_hasher_error (self->application) : NULL;
  gboolean ready = hasher != NULL && get_store (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roster.import", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roster.add", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roster.remove", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roster.forget", get_store (self) != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), hasher == NULL);
  if (hasher == NULL)
    {
      if (error != NULL)
        adw_action_row_set_subtitle (self->keyring_row, error->message);
      else
        adw_action_row_set_subtitle (self->keyring_row,
                                     _("Whitecoat is waiting for its key from the keyring. Unlock the keyring if it asks you to."));
    }
  update_counts (self);
}

static char *
dup_entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
clear_entries (WcRosterPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->handle_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
}

static void
roster_changed (WcRosterPage *self)
{
  update_counts (self);
  if (self->application != NULL)
    wc_application_notify_people_changed (self->application);
}

/* --- Masking ------------------------------------------------------------- */

/* "Anna Jansen" → "A… J…": enough to see the column is a name, not enough
 * for someone looking over the shoulder. */
static char *
mask_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_utf8_get_char (words[i]));
      if (g_utf8_strlen (words[i], -1) > 1)
        g_string_append (out, "…");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "@anna@med.example" → "@a…@med.example", "anna@mail.example" →
 * "a…@mail.example", "anna.bsky.social" → "a….bsky.social". */
static char *
mask_address (const char *text)
{
  const char *start = text[0] == '@' ? text + 1 : text;
  const char *rest = strchr (start, '@');
  g_autoptr(GString) out = g_string_new (NULL);

  if (rest == NULL)
    rest = strchr (start, '.');
  if (rest == NULL)
    rest = start + strlen (start);
  if (start != text)
    g_string_append_c (out, '@');
  if (*start != '\0')
    {
      g_string_append_unichar (out, g_utf8_get_char (start));
      if (g_utf8_next_char (start) < rest)
        g_string_append (out, "…");
    }
  g_string_append (out, rest);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* --- The preview --------------------------------------------------------- */

static void
fill_preview_rows (Preview  *preview,
                   gboolean  full)
{
  GPtrArray *rows = wc_roster_import_get_rows (preview->import);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (preview->rows_list))) != NULL)
    gtk_list_box_remove (preview->rows_list, child);

  for (guint i = 0; i < rows->len && i < PREVIEW_MAX_ROWS; i++)
    {
      WcRosterRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      g_autofree char *text = NULL;
      g_autofree char *line = NULL;
      GtkWidget *box, *line_label, *label;

      if (row->name != NULL)
        {
          g_autofree char *shown = full ? g_strdup (row->name) : mask_words (row->name);
          g_strv_builder_add (parts, shown);
        }
      if (row->handle != NULL)
        {
          g_autofree char *shown = full ? g_strdup (row->handle) : mask_address (row->handle);
          g_strv_builder_add (parts, shown);
        }
      if (row->email != NULL)
        {
          g_autofree char *shown = full ? g_strdup (row->email) : mask_address (row->email);
          g_strv_builder_add (parts, shown);
        }
      strv = g_strv_builder_end (parts);
      text = g_strjoinv (" · ", strv);

      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      /* Translators: %u is a line number in the imported file. */
      line = g_strdup_printf (_("Line %u"), row->line);
      line_label = gtk_label_new (line);
      gtk_widget_add_css_class (line_label, "dim-label");
      gtk_widget_add_css_class (line_label, "numeric");
      gtk_widget_add_css_class (line_label, "caption");
      gtk_box_append (GTK_BOX (box), line_label);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_append (preview->rows_list, box);
    }

  if (rows->len > PREVIEW_MAX_ROWS)
    {
      guint more = rows->len - PREVIEW_MAX_ROWS;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more row", "and %u more rows", more),
                                               more);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (preview->rows_list, label);
    }
}

static void
on_show_full_toggled (GtkCheckButton *check,
                      Preview        *preview)
{
  fill_preview_rows (preview, gtk_check_button_get_active (check));
}

static void
on_preview_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Preview          *preview)
{
  WcRosterPage *self = preview->self;
  g_autoptr(GError) error = NULL;
  guint n = wc_roster_import_get_rows (preview->import)->len;
  g_autofree char *toast = NULL;

  if (!g_str_equal (response, "import"))
    return;
  /* Checked again: a response can be emitted while disabled. */
  if (wc_roster_import_get_problems (preview->import)->len > 0 || get_hasher (self) == NULL
      || get_store (self) == NULL)
    {
      g_debug ("Import refused: the file has problems or the keyring is not available");
      return;
    }
  if (!wc_roster_import_store (preview->import, get_store (self), get_hasher (self), &error))
    {
      /* Translators: %s says why the roster could not be imported. */
      g_autofree char *title = g_strdup_printf (_("Nothing was imported: %s"), error->message);

      show_toast (self, title);
      return;
    }

  toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u entry to the roster",
                                        "Imported %u entries to the roster", n),
                           n);
  show_toast (self, toast);
  roster_changed (self);
}

static GtkWidget *
create_problems_list (WcRosterImport *import)
{
  GPtrArray *problems = wc_roster_import_get_problems (import);
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Problems in the file"), -1);
  for (guint i = 0; i < problems->len; i++)
    {
      WcRosterProblem *problem = g_ptr_array_index (problems, i);
      /* The message names the line already. */
      GtkWidget *label = gtk_label_new (problem->message);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (GTK_LIST_BOX (list), label);
    }
  return list;
}

static void
show_preview (WcRosterPage   *self,
              WcRosterImport *import)
{
  GPtrArray *rows = wc_roster_import_get_rows (import);
  GPtrArray *problems = wc_roster_import_get_problems (import);
  gboolean ok = problems->len == 0 && rows->len > 0;
  Preview *preview = g_new0 (Preview, 1);
  GtkWidget *dialog, *box, *scrolled, *check;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  preview->self = g_object_ref (self);
  preview->import = import;

  if (problems->len > 0)
    {
      heading = g_strdup (_("Nothing Can Be Imported Yet"));
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u row of the file has a problem. Correct it in the file and import it again. Nothing was imported.",
                                           "%u rows of the file have a problem. Correct them in the file and import it again. Nothing was imported.",
                                           problems->len),
                              problems->len);
    }
  else if (rows->len == 0)
    {
      heading = g_strdup (_("Nothing to Import"));
      body = g_strdup (_("The file holds no names, handles or e-mail addresses."));
    }
  else
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Import %u Entry?", "Import %u Entries?", rows->len),
                                 rows->len);
      body = g_strdup (_("Check that the columns were read right. Whitecoat keeps only locked fingerprints of "
                         "these entries, not the file; nothing is sent anywhere."));
    }

  dialog = adw_message_dialog_new (get_parent_window (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", ok ? _("_Cancel") : _("_Close"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import", ok);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), ok ? "import" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (problems->len > 0)
    gtk_box_append (GTK_BOX (box), create_problems_list (import));

  if (rows->len > 0)
    {
      preview->rows_list = GTK_LIST_BOX (gtk_list_box_new ());
      gtk_list_box_set_selection_mode (preview->rows_list, GTK_SELECTION_NONE);
      gtk_widget_add_css_class (GTK_WIDGET (preview->rows_list), "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (preview->rows_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Rows read from the file"), -1);
      fill_preview_rows (preview, FALSE);

      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (preview->rows_list));
      gtk_box_append (GTK_BOX (box), scrolled);

      /* Shortened by default: the roster is seldom read alone. */
      check = gtk_check_button_new_with_mnemonic (_("_Show entries in full"));
      g_signal_connect (check, "toggled", G_CALLBACK (on_show_full_toggled), preview);
      gtk_box_append (GTK_BOX (box), check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_preview_response), preview, preview_free, 0);
  self->preview = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->preview);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WcRosterPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says why the file could not be read. */
          g_autofree char *title = g_strdup_printf (_("The file could not be read: %s"), error->message);

          show_toast (self, title);
        }
      return;
    }

  show_preview (self, wc_roster_parse (contents, length));
  /* The file's text is no longer needed: the preview has its own copy. */
  explicit_bzero (contents, length);
}

static void
on_file_chooser_response (GtkNativeDialog *dialog,
                          int              response,
                          WcRosterPage    *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->file_chooser);
  if (file != NULL)
    wc_roster_page_open_file (self, file);
}

/* --- Actions ------------------------------------------------------------- */

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcRosterPage *self = WC_ROSTER_PAGE (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import a Patient Roster"), get_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  WcRosterPage *self = WC_ROSTER_PAGE (widget);
  g_autofree char *name = dup_entry_text (self->name_row);
  g_autofree char *handle = dup_entry_text (self->handle_row);
  g_autofree char *email = dup_entry_text (self->email_row);
  g_autoptr(GError) error = NULL;

  if (get_hasher (self) == NULL || get_store (self) == NULL)
    return;
  if (!wc_roster_add_entry (get_store (self), get_hasher (self), name, handle, email, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  clear_entries (self);
  show_message (self, _("Added to the roster."), FALSE);
  roster_changed (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcRosterPage *self = WC_ROSTER_PAGE (widget);
  g_autofree char *name = dup_entry_text (self->name_row);
  g_autofree char *handle = dup_entry_text (self->handle_row);
  g_autofree char *email = dup_entry_text (self->email_row);
  g_autoptr(GArray) hashes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (get_hasher (self) == NULL || get_store (self) == NULL)
    return;

  /* Only fingerprints can be compared: say so when nothing matches. */
  hashes = wc_roster_entry_hashes (get_hasher (self), name, handle, email);
  for (guint i = 0; i < hashes->len && !found; i++)
    {
      WcRosterHash *hash = &g_array_index (hashes, WcRosterHash, i);

      found = wc_store_roster_contains (get_store (self), hash->kind, hash->hash);
    }
  if (hashes->len > 0 && !found)
    {
      show_message (self, _("Not on the roster. Type the entry exactly as it was added."), TRUE);
      return;
    }

  if (!wc_roster_remove_entry (get_store (self), get_hasher (self), name, handle, email, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  clear_entries (self);
  show_message (self, _("Removed from the roster."), FALSE);
  roster_changed (self);
}

static void
on_forget_response (AdwMessageDialog *dialog,
                    const char       *response,
                    WcRosterPage     *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "forget") || get_store (self) == NULL)
    return;
  if (!wc_roster_forget (get_store (self), &error))
    {
      /* Translators: %s says why the roster could not be removed. */
      g_autofree char *title = g_strdup_printf (_("The roster could not be forgotten: %s"), error->message);

      show_toast (self, title);
      return;
    }
  show_toast (self, _("The roster is forgotten"));
  roster_changed (self);
}

static void
forget_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcRosterPage *self = WC_ROSTER_PAGE (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (get_parent_window (self),
                                   _("Forget the Patient Roster?"),
                                   _("Every entry is removed from this computer. This cannot be undone; you can "
                                     "import your file again later. Your person tags stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Overrides ----------------------------------------------------------- */

static void
wc_roster_page_dispose (GObject *object)
{
  WcRosterPage *self = WC_ROSTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  if (self->preview != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preview), (gpointer *) &self->preview);
  self->preview = NULL;
  wc_roster_page_set_application (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ROSTER_PAGE);

  G_OBJECT_CLASS (wc_roster_page_parent_class)->dispose (object);
}

static void
wc_roster_page_finalize (GObject *object)
{
  WcRosterPage *self = WC_ROSTER_PAGE (object);

  g_free (self->counts_text);

  G_OBJECT_CLASS (wc_roster_page_parent_class)->finalize (object);
}

static void
wc_roster_page_class_init (WcRosterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_roster_page_dispose;
  object_class->finalize = wc_roster_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-roster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, counts_row);
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, handle_row);
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, WcRosterPage, message_label);

  gtk_widget_class_install_action (widget_class, "roster.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "roster.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "roster.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "roster.forget", NULL, forget_action);
}

static void
wc_roster_page_init (WcRosterPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_state (self);
}

/**
 * wc_roster_page_new:
 *
 * Returns: (transfer floating): the Patients page
 */
GtkWidget *
wc_roster_page_new (WcApplication *application)
{
  WcRosterPage *self = g_object_new (WC_TYPE_ROSTER_PAGE, NULL);

  wc_roster_page_set_application (self, application);
  return GTK_WIDGET (self);
}

void
wc_roster_page_set_application (WcRosterPage  *self,
                                WcApplication *application)
{
  g_return_if_fail (WC_IS_ROSTER_PAGE (self));

  if (self->application == application)
    return;
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_set_object (&self->application, application);
  if (application != NULL)
    {
      g_signal_connect_object (application, "notify::hasher",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "people-changed",
                               G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);
      /* The roster needs the key from the keyring. */
      wc_application_load_hasher (application);
    }
  if (self->counts_row != NULL)
    update_state (self);
}

/**
 * wc_roster_page_open_file:
 * @file: a CSV file
 *
 * Reads @file and shows what was read, with the problems and their line
 * numbers; nothing is stored until the user confirms.
 */
void
wc_roster_page_open_file (WcRosterPage *self,
                          GFile        *file)
{
  g_return_if_fail (WC_IS_ROSTER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, self->cancellable, on_file_loaded, g_object_ref (self));
}

/**
 * wc_roster_page_get_entry:
 *
 * Returns: (transfer none): where a single entry's name, handle or e-mail
 *   is typed
 */
GtkEditable *
wc_roster_page_get_entry (WcRosterPage *self,
                          WcRosterKind  kind)
{
  g_return_val_if_fail (WC_IS_ROSTER_PAGE (self), NULL);

  switch (kind)
    {
    case WC_ROSTER_KIND_NAME:
      return GTK_EDITABLE (self->name_row);
    case WC_ROSTER_KIND_HANDLE:
      return GTK_EDITABLE (self->handle_row);
    case WC_ROSTER_KIND_EMAIL:
      return GTK_EDITABLE (self->email_row);
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * wc_roster_page_get_counts_text:
 *
 * Returns: what the page says the roster holds
 */
const char *
wc_roster_page_get_counts_text (WcRosterPage *self)
{
  g_return_val_if_fail (WC_IS_ROSTER_PAGE (self), NULL);
  return self->counts_text;
}

/**
 * wc_roster_page_get_preview:
 *
 * Returns: (transfer none) (nullable): the import preview, while shown
 */
GtkWindow *
wc_roster_page_get_preview (WcRosterPage *self)
{
  g_return_val_if_fail (WC_IS_ROSTER_PAGE (self), NULL);
  return self->preview;
}
