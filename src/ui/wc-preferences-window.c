/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-keyring.h"
#include "wc-preferences-window.h"
#include "wc-roster-page.h"

/* The subpage that edits one identity. */
typedef struct
{
  GtkWidget        *page;     /* owned */
  WcIdentityEditor *editor;
  GtkWidget        *save_button;
} IdentitySubpage;

struct _WcPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  WcApplication        *app;
  GSettings            *settings;

  IdentitySubpage       subpages[WC_N_IDENTITIES];
  IdentitySubpage      *current;
  char                 *colors[WC_N_IDENTITIES];
  GPtrArray            *day_buttons;
  gboolean              syncing_days;
  gboolean              deleting;

  /* Template widgets */
  AdwActionRow         *professional_row;
  AdwActionRow         *personal_row;
  GtkDrawingArea       *professional_dot;
  GtkDrawingArea       *personal_dot;
  GtkAdjustment        *duty_start_adjustment;
  GtkAdjustment        *duty_end_adjustment;
  GtkAdjustment        *review_interval_adjustment;
  GtkSpinButton        *duty_start_spin;
  GtkSpinButton        *duty_end_spin;
  GtkSpinButton        *review_interval_spin;
  AdwPreferencesGroup  *days_group;
  AdwActionRow         *database_row;
  WcRosterPage         *patients_page;
};

G_DEFINE_FINAL_TYPE (WcPreferencesWindow, wc_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_APP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DATA_DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GSettings nicks of the days, Monday first, as in the schema. */
static const char * const day_ids[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

typedef struct
{
  WcPreferencesWindow *self;
  GError              *database_error;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->self);
  g_clear_error (&data->database_error);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static IdentitySubpage *
get_subpage (WcPreferencesWindow *self,
             WcIdentityKind       kind)
{
  return &self->subpages[kind == WC_IDENTITY_PERSONAL ? WC_IDENTITY_PERSONAL : WC_IDENTITY_PROFESSIONAL];
}

static void
draw_dot (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        user_data)
{
  const char *color = user_data ? *(char **) user_data : NULL;
  GdkRGBA rgba;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return;

  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill (cr);
}

static void
update_identity_row (WcPreferencesWindow *self,
                     WcIdentityKind       kind)
{
  AdwActionRow *row = kind == WC_IDENTITY_PERSONAL ? self->personal_row : self->professional_row;
  GtkDrawingArea *dot = kind == WC_IDENTITY_PERSONAL ? self->personal_dot : self->professional_dot;
  g_autofree char *name = wc_application_dup_identity_name (self->app, kind);

  g_free (self->colors[kind]);
  self->colors[kind] = wc_application_dup_identity_color (self->app, kind);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (row, wc_identity_kind_get_label (kind));
  gtk_widget_queue_draw (GTK_WIDGET (dot));
}

static void
load_identity (WcPreferencesWindow *self,
               WcIdentityKind       kind)
{
  g_autoptr(WcIdentity) identity = wc_application_dup_identity (self->app, kind);

  wc_identity_editor_set_identity (get_subpage (self, kind)->editor, identity);
}

static void
update_database_row (WcPreferencesWindow *self)
{
  WcStore *store = wc_application_get_store (self->app);
  g_autofree char *path = NULL;

  if (store != NULL)
    path = g_strdup (wc_store_get_path (store));
  else
    path = wc_store_dup_default_path ();

  adw_action_row_set_subtitle (self->database_row, path);
}

static void
on_identity_changed (WcApplication       *app,
                     WcIdentityKind       kind,
                     WcPreferencesWindow *self)
{
  IdentitySubpage *subpage = get_subpage (self, kind);

  update_identity_row (self, kind);

  /* Never overwrite what the user is typing. */
  if (!wc_identity_editor_get_modified (subpage->editor))
    load_identity (self, kind);
}

static void
on_editor_modified_changed (WcIdentityEditor *editor,
                            GParamSpec       *pspec,
                            GtkWidget        *save_button)
{
  gtk_widget_set_sensitive (save_button, wc_identity_editor_get_modified (editor));
}

static void
build_subpage (WcPreferencesWindow *self,
               WcIdentityKind       kind)
{
  IdentitySubpage *subpage = get_subpage (self, kind);
  GtkWidget *box, *header, *back, *scrolled, *clamp, *content;
  AdwWindowTitle *title;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  title = ADW_WINDOW_TITLE (adw_window_title_new (kind == WC_IDENTITY_PERSONAL
                                                    ? _("Personal Identity")
                                                    : _("Professional Identity"),
                                                  NULL));
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (title));

  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "prefs.close-identity");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);

  subpage->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (subpage->save_button, "suggested-action");
  gtk_widget_set_sensitive (subpage->save_button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (subpage->save_button), "prefs.save-identity");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), subpage->save_button);

  gtk_box_append (GTK_BOX (box), header);

  subpage->editor = WC_IDENTITY_EDITOR (wc_identity_editor_new (kind));
  g_signal_connect_object (subpage->editor, "notify::modified",
                           G_CALLBACK (on_editor_modified_changed),
                           subpage->save_button, 0);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (subpage->editor));

  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), content);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);

  subpage->page = g_object_ref_sink (box);
}

static void
close_current_subpage (WcPreferencesWindow *self)
{
  if (self->current == NULL)
    return;

  self->current = NULL;
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static gboolean
save_subpage (WcPreferencesWindow  *self,
              IdentitySubpage      *subpage,
              GError              **error)
{
  WcStore *store = wc_application_get_store (self->app);
  WcIdentityKind kind = wc_identity_editor_get_kind (subpage->editor);

  if (store == NULL)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                           _("Whitecoat cannot save anything: its database could not be created."));
      return FALSE;
    }

  if (!wc_identity_editor_apply (subpage->editor, store, error))
    return FALSE;

  wc_application_notify_identity_changed (self->app, kind);

  return TRUE;
}

static void
on_discard_dialog_response (AdwMessageDialog    *dialog,
                            const char          *response,
                            WcPreferencesWindow *self)
{
  gboolean close_window = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "wc-close-window"));

  if (g_strcmp0 (response, "discard") != 0 || self->current == NULL)
    return;

  load_identity (self, wc_identity_editor_get_kind (self->current->editor));
  close_current_subpage (self);

  if (close_window)
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Saves the identity being edited, or asks what to do when it cannot be
 * saved. Returns FALSE when the subpage must stay open. */
static gboolean
leave_subpage (WcPreferencesWindow *self,
               gboolean             close_window)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (self->current == NULL)
    return TRUE;

  /* Leaving saves: a careful user expects nothing typed to be lost. */
  if (!wc_identity_editor_get_modified (self->current->editor) ||
      save_subpage (self, self->current, &error))
    {
      if (close_window)
        self->current = NULL;
      else
        close_current_subpage (self);
      return TRUE;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Changes Not Saved"),
                                   error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard Changes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data (G_OBJECT (dialog), "wc-close-window", GINT_TO_POINTER (close_window));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (on_discard_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

static void
edit_identity_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (widget);
  WcIdentityKind kind;

  if (!wc_identity_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    return;

  wc_preferences_window_edit_identity (self, kind);
}

static void
close_identity_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  leave_subpage (WC_PREFERENCES_WINDOW (widget), FALSE);
}

static void
save_identity_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->current == NULL)
    return;

  if (save_subpage (self, self->current, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Saved")));
  else if (error->domain != WC_IDENTITY_ERROR)
    /* Field problems are shown at the field; anything else here. */
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
}

static void
on_keyring_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  WcPreferencesWindow *self = data->self;
  g_autoptr(GError) keyring_error = NULL;

  wc_keyring_clear_finish (result, &keyring_error);

  /* The key of the tags and the roster went with the keyring items: a new
   * one is made for whatever the user tags from now on. */
  wc_application_set_hasher (self->app, NULL);
  wc_application_load_hasher (self->app);
  /* So did the key of the drafts: the fresh database gets a new one. */
  wc_application_unlock_data (self->app);

  self->deleting = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.delete-all", TRUE);

  if (data->database_error == NULL && keyring_error == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("All Whitecoat data was deleted")));
    }
  else
    {
      g_autoptr(GString) body = g_string_new (NULL);
      GtkWidget *dialog;

      if (data->database_error != NULL)
        g_string_append_printf (body, _("The database could not be deleted: %s"),
                                data->database_error->message);
      else
        g_string_append (body, _("The database was deleted."));

      g_string_append (body, "\n\n");

      if (keyring_error != NULL)
        g_string_append_printf (body, _("The keyring could not be cleared: %s"),
                                keyring_error->message);
      else
        g_string_append (body, _("Every password and token was removed from the keyring."));

      dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                       _("Not Everything Was Deleted"),
                                       body->str);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  g_signal_emit (self, signals[DATA_DELETED], 0);
}

static void
delete_all_data (WcPreferencesWindow *self)
{
  WcStore *store = wc_application_get_store (self->app);
  g_autofree char *path = NULL;
  DeleteData *data;

  self->deleting = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.delete-all", FALSE);

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);

  if (store != NULL)
    {
      path = g_strdup (wc_store_get_path (store));
      wc_store_close (store);
    }
  else
    {
      path = wc_store_dup_default_path ();
    }

  g_debug ("Deleting the database and every keyring item");

  wc_store_delete_database (path, &data->database_error);

  /* A fresh, empty store; every view reloads. */
  wc_application_reload_store (self->app);
  update_database_row (self);

  /* Not cancellable: closing the window must not stop the deletion. */
  wc_keyring_clear_async (-1, NULL, NULL, on_keyring_cleared, data);
}

static void
on_delete_dialog_response (AdwMessageDialog    *dialog,
                           const char          *response,
                           WcPreferencesWindow *self)
{
  if (g_strcmp0 (response, "delete") == 0 && !self->deleting)
    delete_all_data (self);
}

static void
delete_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Delete All Whitecoat Data?"),
                                   _("Your identities, markers and accounts, and every password and token "
                                     "Whitecoat keeps in your keyring, will be removed from this computer. "
                                     "This cannot be undone. What you posted stays on the networks."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete All Data"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (on_delete_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
on_time_spin_output (GtkSpinButton *spin,
                     gpointer       user_data)
{
  int minutes = (int) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

/* Accepts "8", "8:30", "08.30" and "0830". */
static int
on_time_spin_input (GtkSpinButton *spin,
                    double        *new_value,
                    gpointer       user_data)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  g_auto(GStrv) parts = NULL;
  guint64 hours = 0, minutes = 0;

  if (strchr (text, ':') != NULL || strchr (text, '.') != NULL)
    {
      parts = g_strsplit_set (text, ":.", -1);
      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &hours, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minutes, NULL))
        return GTK_INPUT_ERROR;
    }
  else if (strlen (text) > 2)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (text, 10, 0, 2359, &value, NULL))
        return GTK_INPUT_ERROR;
      hours = value / 100;
      minutes = value % 100;
      if (hours > 23 || minutes > 59)
        return GTK_INPUT_ERROR;
    }
  else if (!g_ascii_string_to_unsigned (text, 10, 0, 23, &hours, NULL))
    {
      return GTK_INPUT_ERROR;
    }

  *new_value = (double) (hours * 60 + minutes);

  return TRUE;
}

static void
sync_days (WcPreferencesWindow *self)
{
  g_auto(GStrv) days = g_settings_get_strv (self->settings, "duty-days");

  self->syncing_days = TRUE;
  for (guint i = 0; i < self->day_buttons->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->day_buttons, i),
                                 g_strv_contains ((const char * const *) days, day_ids[i]));
  self->syncing_days = FALSE;
}

static void
on_duty_days_changed (GSettings           *settings,
                      const char          *key,
                      WcPreferencesWindow *self)
{
  sync_days (self);
}

static void
on_day_toggled (GtkCheckButton      *button,
                WcPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) days = NULL;

  if (self->syncing_days)
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->day_buttons->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->day_buttons, i)))
      g_strv_builder_add (builder, day_ids[i]);

  days = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "duty-days", (const char * const *) days);
}

static void
build_day_buttons (WcPreferencesWindow *self)
{
  /* 1 January 2024 was a Monday. */
  g_autoptr(GDateTime) monday = g_date_time_new_local (2024, 1, 1, 12, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (day_ids); i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (monday, i);
      g_autofree char *name = g_date_time_format (day, "%A");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect (check, "toggled", G_CALLBACK (on_day_toggled), self);
      adw_preferences_group_add (self->days_group, row);
      g_ptr_array_add (self->day_buttons, check);
    }
}

/* Scheduling: notifications, when to hold a late post, running in the
 * background. Built here rather than in the template: one page of rows. */
static GtkWidget *
add_switch_row (WcPreferencesWindow *self,
                AdwPreferencesGroup *group,
                const char          *key,
                const char          *title,
                const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (row, key);
  adw_preferences_group_add (group, row);
  return row;
}

static void
build_scheduling_page (WcPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *notifications = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *timing = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *hold_row = adw_action_row_new ();
  GtkWidget *hold_spin = gtk_spin_button_new_with_range (5, 1440, 5);

  adw_preferences_page_set_title (page, _("Scheduling"));
  adw_preferences_page_set_icon_name (page, "alarm-symbolic");
  gtk_widget_set_name (GTK_WIDGET (page), "scheduling_page");

  adw_preferences_group_set_title (notifications, _("Notifications"));
  adw_preferences_group_set_description (notifications,
                                         _("Notifications name the network and the time, never the text of a post."));
  add_switch_row (self, notifications, "notify-sent", _("A Post Went Out"), NULL);
  add_switch_row (self, notifications, "notify-failed", _("A Post Failed"),
                  _("With the reason, and Retry"));
  add_switch_row (self, notifications, "notify-held", _("A Post Is Held"),
                  _("Found too late to post without asking you"));
  add_switch_row (self, notifications, "notify-reminders", _("Time to Post by Hand"),
                  _("For networks Whitecoat cannot post to, such as Facebook: copies the text and opens the site"));
  adw_preferences_page_add (page, notifications);

  adw_preferences_group_set_title (timing, _("Sending"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hold_row), _("Hold Posts Late by More Than"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (hold_row),
                               _("Minutes. A post that could not go out on time, for instance because this "
                                 "computer was off, waits for you instead of being posted late"));
  gtk_widget_set_valign (hold_spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (hold_row), hold_spin);
  gtk_widget_set_name (hold_row, "hold-after");
  g_settings_bind (self->settings, "hold-after",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (hold_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (timing, hold_row);
  add_switch_row (self, timing, "run-in-background", _("Start in the Background"),
                  _("While posts wait, Whitecoat starts without a window when you log in, so that it can "
                    "send them. Posts kept on the server do not need it"));
  adw_preferences_page_add (page, timing);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

/* Patients → Follow Requests: how often the Requests view checks. */
static void
build_requests_group (WcPreferencesWindow *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (5, 1440, 5);

  adw_preferences_group_set_title (group, _("Follow Requests"));
  adw_preferences_group_set_description (group,
                                         _("While Whitecoat runs, it checks for requests to follow your accounts "
                                           "and warns when one to a personal account seems to come from a patient. "
                                           "Nothing is checked when no personal account can receive requests."));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Check Every"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Minutes"));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Minutes between checks for follow requests"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_widget_set_name (row, "requests-poll-minutes");
  g_settings_bind (self->settings, "requests-poll-minutes",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->patients_page), group);
}

static gboolean
wc_preferences_window_close_request (GtkWindow *window)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (window);

  if (!leave_subpage (self, TRUE))
    return TRUE;

  return GTK_WINDOW_CLASS (wc_preferences_window_parent_class)->close_request (window);
}

static void
wc_preferences_window_constructed (GObject *object)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (wc_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (WC_IS_APPLICATION (self->app));

  self->settings = g_object_ref (wc_application_get_settings (self->app));

  g_settings_bind (self->settings, "duty-start",
                   self->duty_start_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "duty-end",
                   self->duty_end_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "privacy-review-interval",
                   self->review_interval_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);

  build_day_buttons (self);
  sync_days (self);
  build_scheduling_page (self);
  build_requests_group (self);
  g_signal_connect_object (self->settings, "changed::duty-days",
                           G_CALLBACK (on_duty_days_changed), self, 0);

  for (WcIdentityKind kind = WC_IDENTITY_PERSONAL; kind <= WC_IDENTITY_PROFESSIONAL; kind++)
    {
      build_subpage (self, kind);
      load_identity (self, kind);
      update_identity_row (self, kind);
    }

  gtk_drawing_area_set_draw_func (self->professional_dot, draw_dot,
                                  &self->colors[WC_IDENTITY_PROFESSIONAL], NULL);
  gtk_drawing_area_set_draw_func (self->personal_dot, draw_dot,
                                  &self->colors[WC_IDENTITY_PERSONAL], NULL);

  g_signal_connect_object (self->app, "identity-changed",
                           G_CALLBACK (on_identity_changed), self, 0);

  update_database_row (self);
  wc_roster_page_set_application (self->patients_page, self->app);
}

static void
wc_preferences_window_dispose (GObject *object)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_PREFERENCES_WINDOW);

  self->current = NULL;
  for (guint i = 0; i < WC_N_IDENTITIES; i++)
    g_clear_object (&self->subpages[i].page);

  g_clear_object (&self->settings);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (wc_preferences_window_parent_class)->dispose (object);
}

static void
wc_preferences_window_finalize (GObject *object)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (object);

  for (guint i = 0; i < WC_N_IDENTITIES; i++)
    g_free (self->colors[i]);
  g_clear_pointer (&self->day_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_preferences_window_parent_class)->finalize (object);
}

static void
wc_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APP:
      g_value_set_object (value, self->app);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  WcPreferencesWindow *self = WC_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APP:
      self->app = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_preferences_window_class_init (WcPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = wc_preferences_window_constructed;
  object_class->dispose = wc_preferences_window_dispose;
  object_class->finalize = wc_preferences_window_finalize;
  object_class->get_property = wc_preferences_window_get_property;
  object_class->set_property = wc_preferences_window_set_property;
  window_class->close_request = wc_preferences_window_close_request;

  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         WC_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WcPreferencesWindow::data-deleted:
   *
   * "Delete all Whitecoat data" has finished, successfully or not; the
   * application has a fresh store.
   */
  signals[DATA_DELETED] =
    g_signal_new ("data-deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (WC_TYPE_IDENTITY_EDITOR);
  g_type_ensure (WC_TYPE_ROSTER_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, professional_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, personal_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, professional_dot);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, personal_dot);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, duty_start_adjustment);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, duty_end_adjustment);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, review_interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, duty_start_spin);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, duty_end_spin);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, review_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, days_group);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, WcPreferencesWindow, patients_page);
  gtk_widget_class_bind_template_callback (widget_class, on_time_spin_input);
  gtk_widget_class_bind_template_callback (widget_class, on_time_spin_output);

  gtk_widget_class_install_action (widget_class, "prefs.edit-identity", "s", edit_identity_action);
  gtk_widget_class_install_action (widget_class, "prefs.close-identity", NULL, close_identity_action);
  gtk_widget_class_install_action (widget_class, "prefs.save-identity", NULL, save_identity_action);
  gtk_widget_class_install_action (widget_class, "prefs.delete-all", NULL, delete_all_action);
}

static void
wc_preferences_window_init (WcPreferencesWindow *self)
{
  self->day_buttons = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wc_preferences_window_new:
 * @app: the application, for its settings and store
 *
 * Returns: (transfer none): a new preferences window; present it
 */
WcPreferencesWindow *
wc_preferences_window_new (WcApplication *app)
{
  g_return_val_if_fail (WC_IS_APPLICATION (app), NULL);

  return g_object_new (WC_TYPE_PREFERENCES_WINDOW,
                       "app", app,
                       NULL);
}

/**
 * wc_preferences_window_get_editor:
 * @self: a #WcPreferencesWindow
 * @kind: which identity
 *
 * Returns: (transfer none): the editor of @kind's subpage
 */
WcIdentityEditor *
wc_preferences_window_get_editor (WcPreferencesWindow *self,
                                  WcIdentityKind       kind)
{
  g_return_val_if_fail (WC_IS_PREFERENCES_WINDOW (self), NULL);

  return get_subpage (self, kind)->editor;
}

/**
 * wc_preferences_window_edit_identity:
 * @self: a #WcPreferencesWindow
 * @kind: which identity
 *
 * Opens the subpage that edits @kind, as its row does.
 */
void
wc_preferences_window_edit_identity (WcPreferencesWindow *self,
                                     WcIdentityKind       kind)
{
  IdentitySubpage *subpage;

  g_return_if_fail (WC_IS_PREFERENCES_WINDOW (self));

  subpage = get_subpage (self, kind);
  if (self->current == subpage)
    return;

  if (self->current != NULL && !leave_subpage (self, FALSE))
    return;

  self->current = subpage;
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), subpage->page);
}

/**
 * wc_preferences_window_save_identity:
 * @self: a #WcPreferencesWindow
 * @kind: which identity
 * @error: return location for an error
 *
 * Saves @kind's editor, as its Save button does.
 *
 * Returns: %TRUE if it was saved
 */
gboolean
wc_preferences_window_save_identity (WcPreferencesWindow  *self,
                                     WcIdentityKind        kind,
                                     GError              **error)
{
  g_return_val_if_fail (WC_IS_PREFERENCES_WINDOW (self), FALSE);

  return save_subpage (self, get_subpage (self, kind), error);
}
