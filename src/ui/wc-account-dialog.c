/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-account-dialog.h"
#include "wc-network-catalog.h"
#include "wc-bluesky-sign-in-dialog.h"
#include "wc-sign-in-dialog.h"

#define N_FIELDS (WC_ACCOUNT_ERROR_CUSTOM_NAME + 1)

struct _WcAccountDialog
{
  AdwWindow          parent_instance;

  /* template */
  AdwWindowTitle    *window_title;
  GtkWidget         *sign_in_group;
  GtkLabel          *general_error_label;
  AdwComboRow       *network_row;
  GtkWidget         *network_error_row;
  GtkLabel          *network_error_label;
  AdwEntryRow       *custom_name_row;
  GtkWidget         *custom_name_error_row;
  GtkLabel          *custom_name_error_label;
  AdwEntryRow       *handle_row;
  GtkWidget         *handle_message_row;
  GtkLabel          *handle_error_label;
  GtkLabel          *handle_hint_label;
  AdwEntryRow       *server_row;
  GtkWidget         *server_error_row;
  GtkLabel          *server_error_label;
  AdwEntryRow       *display_name_row;
  GtkWidget         *display_name_error_row;
  GtkLabel          *display_name_error_label;
  AdwEntryRow       *profile_url_row;
  GtkWidget         *profile_url_error_row;
  GtkLabel          *profile_url_error_label;

  /* Indexed by WcAccountError. */
  GtkWidget         *field_rows[N_FIELDS];
  GtkWidget         *error_rows[N_FIELDS];
  GtkLabel          *error_labels[N_FIELDS];

  GListStore        *networks;
  WcApplication     *application;
  WcIdentityKind     identity;
  gint64             account_id;

  /* Whether the user typed the server: until then it follows the handle
   * ("@name@server") or the network's default server. */
  gboolean           server_edited;
  gboolean           setting_server;
};

G_DEFINE_FINAL_TYPE (WcAccountDialog, wc_account_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
get_network_label (WcNetworkInfo *info)
{
  if (info == NULL)
    return NULL;

  return g_strdup (g_dgettext (GETTEXT_PACKAGE, wc_network_info_get_name (info)));
}

static WcNetworkInfo *
get_selected_network (WcAccountDialog *self)
{
  gpointer item = adw_combo_row_get_selected_item (self->network_row);

  return item != NULL ? WC_NETWORK_INFO (item) : NULL;
}

static void
set_server_text (WcAccountDialog *self,
                 const char      *text)
{
  self->setting_server = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), text != NULL ? text : "");
  self->setting_server = FALSE;
}

/* The row under the handle carries the network's hint or, in its place,
 * what is wrong with the handle (a message that repeats the hint where
 * that helps). */
static void
update_handle_message_row (WcAccountDialog *self)
{
  gboolean has_error = gtk_widget_get_visible (GTK_WIDGET (self->handle_error_label));
  gboolean has_hint = gtk_label_get_text (self->handle_hint_label)[0] != '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->handle_hint_label), has_hint && !has_error);
  gtk_widget_set_visible (self->handle_message_row, has_error || has_hint);
}

static void
clear_error (WcAccountDialog *self,
             WcAccountError   field)
{
  gtk_label_set_text (self->error_labels[field], "");
  gtk_widget_remove_css_class (self->field_rows[field], "error");

  if (field == WC_ACCOUNT_ERROR_HANDLE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->handle_error_label), FALSE);
      update_handle_message_row (self);
    }
  else
    gtk_widget_set_visible (self->error_rows[field], FALSE);
}

static void
clear_errors (WcAccountDialog *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    clear_error (self, i);

  gtk_label_set_text (self->general_error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->general_error_label), FALSE);
}

static void
show_error (WcAccountDialog *self,
            WcAccountError   field,
            const char      *message)
{
  gtk_label_set_text (self->error_labels[field], message);
  gtk_widget_add_css_class (self->field_rows[field], "error");

  if (field == WC_ACCOUNT_ERROR_HANDLE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->handle_error_label), TRUE);
      update_handle_message_row (self);
    }
  else
    gtk_widget_set_visible (self->error_rows[field], TRUE);

  gtk_widget_grab_focus (self->field_rows[field]);
}

static void
show_general_error (WcAccountDialog *self,
                    const char      *message)
{
  gtk_label_set_text (self->general_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->general_error_label), TRUE);
}

static void
show_save_error (WcAccountDialog *self,
                 const GError    *error)
{
  if (error->domain == WC_ACCOUNT_ERROR && error->code >= 0 && error->code < N_FIELDS)
    {
      show_error (self, error->code, error->message);
      return;
    }

  /* The store's own words: the same account cannot belong to both
   * identities, or it is already in this one. */
  if (g_error_matches (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK) ||
      g_error_matches (error, WC_STORE_ERROR, WC_STORE_ERROR_DUPLICATE))
    {
      show_error (self, WC_ACCOUNT_ERROR_HANDLE, error->message);
      return;
    }

  show_general_error (self, error->message);
}

/* "@name@server.example" → "https://server.example" */
static char *
dup_server_from_handle (const char *handle)
{
  g_autofree char *stripped = g_strstrip (g_strdup (handle != NULL ? handle : ""));
  const char *at;

  if (stripped[0] != '@')
    return NULL;

  at = strchr (stripped + 1, '@');
  if (at == NULL || at[1] == '\0' || strchr (at + 1, '/') != NULL)
    return NULL;

  return g_strconcat ("https://", at + 1, NULL);
}

static void
update_handle_hint (WcAccountDialog *self)
{
  WcNetworkInfo *info = get_selected_network (self);
  const char *hint = info != NULL ? wc_network_info_get_handle_hint (info) : NULL;
  const char *example = info != NULL ? wc_network_info_get_handle_example (info) : NULL;
  GString *text = g_string_new (NULL);

  if (hint != NULL && hint[0] != '\0')
    g_string_append (text, hint);

  if (example != NULL && example[0] != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: %s is an example handle, such as @dr_jansen@med-mastodon.example */
      g_string_append_printf (text, _("For example: %s"), example);
    }

  gtk_label_set_text (self->handle_hint_label, text->str);
  update_handle_message_row (self);
  g_string_free (text, TRUE);
}

static void
update_for_network (WcAccountDialog *self)
{
  WcNetworkInfo *info = get_selected_network (self);
  gboolean needs_server = info != NULL && wc_network_info_get_needs_server (info);
  gboolean is_custom = info != NULL && wc_network_info_get_is_custom (info);

  gtk_widget_set_visible (GTK_WIDGET (self->server_row), needs_server);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_name_row), is_custom);
  /* A network Whitecoat can sign in to: offer that rather than a description. */
  gtk_widget_set_visible (self->sign_in_group,
                          info != NULL && (g_strcmp0 (wc_network_info_get_id (info), "mastodon") == 0
                                           || g_strcmp0 (wc_network_info_get_id (info), "bluesky") == 0));

  if (!needs_server)
    clear_error (self, WC_ACCOUNT_ERROR_SERVER);
  if (!is_custom)
    clear_error (self, WC_ACCOUNT_ERROR_CUSTOM_NAME);
  clear_error (self, WC_ACCOUNT_ERROR_NETWORK);
  clear_error (self, WC_ACCOUNT_ERROR_HANDLE);

  if (needs_server && !self->server_edited)
    {
      g_autofree char *from_handle =
        dup_server_from_handle (gtk_editable_get_text (GTK_EDITABLE (self->handle_row)));

      set_server_text (self, from_handle != NULL ? from_handle : wc_network_info_get_default_server (info));
    }

  update_handle_hint (self);
}

static void
on_network_row_selected_notify (WcAccountDialog *self)
{
  update_for_network (self);
}

static void
on_handle_row_changed (WcAccountDialog *self)
{
  WcNetworkInfo *info = get_selected_network (self);

  clear_error (self, WC_ACCOUNT_ERROR_HANDLE);

  if (info != NULL && wc_network_info_get_needs_server (info) && !self->server_edited)
    {
      g_autofree char *from_handle =
        dup_server_from_handle (gtk_editable_get_text (GTK_EDITABLE (self->handle_row)));

      if (from_handle != NULL)
        set_server_text (self, from_handle);
    }
}

static void
on_server_row_changed (WcAccountDialog *self)
{
  clear_error (self, WC_ACCOUNT_ERROR_SERVER);

  if (!self->setting_server)
    self->server_edited = TRUE;
}

static void
on_entry_row_changed (GtkEditable     *editable,
                      WcAccountDialog *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (self->field_rows[i] == GTK_WIDGET (editable))
      clear_error (self, i);
}

static void
network_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
network_item_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  WcNetworkInfo *info = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  g_autofree char *name = get_network_label (info);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), wc_network_info_get_icon_name (info));
  gtk_label_set_text (GTK_LABEL (label), name);
}

static void
setup_network_row (WcAccountDialog *self)
{
  GPtrArray *networks = wc_network_catalog_list (wc_network_catalog_get_default ());
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) expression = NULL;

  self->networks = g_list_store_new (WC_TYPE_NETWORK_INFO);
  for (guint i = 0; networks != NULL && i < networks->len; i++)
    g_list_store_append (self->networks, g_ptr_array_index (networks, i));

  g_signal_connect (factory, "setup", G_CALLBACK (network_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (network_item_bind), NULL);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (get_network_label),
                                            NULL, NULL);
  adw_combo_row_set_expression (self->network_row, expression);
  adw_combo_row_set_factory (self->network_row, factory);
  adw_combo_row_set_model (self->network_row, G_LIST_MODEL (self->networks));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  wc_account_dialog_save (WC_ACCOUNT_DIALOG (widget));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WcAccountDialog *self = WC_ACCOUNT_DIALOG (widget);
  g_autoptr(WcAccount) account = NULL;
  WcSignInDialog *dialog;
  WcStore *store = wc_application_get_store (self->application);

  /* Connecting the account being edited, or signing in to a new one with
   * the address typed so far. */
  if (self->account_id >= 0 && store != NULL)
    account = wc_store_get_account (store, self->account_id, NULL);
  if (get_selected_network (self) != NULL
      && g_strcmp0 (wc_network_info_get_id (get_selected_network (self)), "bluesky") == 0)
    {
      WcBlueskySignInDialog *bluesky;

      if (account != NULL && g_strcmp0 (wc_account_get_network (account), "bluesky") != 0)
        g_clear_object (&account);
      bluesky = wc_bluesky_sign_in_dialog_new (self->application,
                                               gtk_window_get_transient_for (GTK_WINDOW (self)),
                                               self->identity, account);
      if (account == NULL)
        wc_bluesky_sign_in_dialog_set_identifier (bluesky, gtk_editable_get_text (GTK_EDITABLE (self->handle_row)));
      gtk_window_present (GTK_WINDOW (bluesky));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  dialog = wc_sign_in_dialog_new (self->application,
                                  gtk_window_get_transient_for (GTK_WINDOW (self)),
                                  self->identity, account);
  if (account == NULL)
    wc_sign_in_dialog_set_server (dialog, gtk_editable_get_text (GTK_EDITABLE (self->handle_row)));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
wc_account_dialog_dispose (GObject *object)
{
  WcAccountDialog *self = WC_ACCOUNT_DIALOG (object);

  g_clear_object (&self->application);
  g_clear_object (&self->networks);

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (wc_account_dialog_parent_class)->dispose (object);
}

static void
wc_account_dialog_class_init (WcAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_account_dialog_dispose;

  /**
   * WcAccountDialog::saved:
   * @account: the account as stored
   *
   * The account was stored; the dialog closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, WC_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, network_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, network_error_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, network_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, custom_name_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, custom_name_error_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, custom_name_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, handle_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, handle_message_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, handle_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, handle_hint_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, server_error_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, server_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, display_name_error_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, display_name_error_label);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, profile_url_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, profile_url_error_row);
  gtk_widget_class_bind_template_child (widget_class, WcAccountDialog, profile_url_error_label);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "dialog.sign-in", NULL, sign_in_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_account_dialog_init (WcAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->account_id = -1;
  self->identity = WC_IDENTITY_PROFESSIONAL;

  self->field_rows[WC_ACCOUNT_ERROR_NETWORK] = GTK_WIDGET (self->network_row);
  self->field_rows[WC_ACCOUNT_ERROR_HANDLE] = GTK_WIDGET (self->handle_row);
  self->field_rows[WC_ACCOUNT_ERROR_SERVER] = GTK_WIDGET (self->server_row);
  self->field_rows[WC_ACCOUNT_ERROR_PROFILE_URL] = GTK_WIDGET (self->profile_url_row);
  self->field_rows[WC_ACCOUNT_ERROR_DISPLAY_NAME] = GTK_WIDGET (self->display_name_row);
  self->field_rows[WC_ACCOUNT_ERROR_CUSTOM_NAME] = GTK_WIDGET (self->custom_name_row);

  self->error_rows[WC_ACCOUNT_ERROR_NETWORK] = self->network_error_row;
  self->error_rows[WC_ACCOUNT_ERROR_HANDLE] = self->handle_message_row;
  self->error_rows[WC_ACCOUNT_ERROR_SERVER] = self->server_error_row;
  self->error_rows[WC_ACCOUNT_ERROR_PROFILE_URL] = self->profile_url_error_row;
  self->error_rows[WC_ACCOUNT_ERROR_DISPLAY_NAME] = self->display_name_error_row;
  self->error_rows[WC_ACCOUNT_ERROR_CUSTOM_NAME] = self->custom_name_error_row;

  self->error_labels[WC_ACCOUNT_ERROR_NETWORK] = self->network_error_label;
  self->error_labels[WC_ACCOUNT_ERROR_HANDLE] = self->handle_error_label;
  self->error_labels[WC_ACCOUNT_ERROR_SERVER] = self->server_error_label;
  self->error_labels[WC_ACCOUNT_ERROR_PROFILE_URL] = self->profile_url_error_label;
  self->error_labels[WC_ACCOUNT_ERROR_DISPLAY_NAME] = self->display_name_error_label;
  self->error_labels[WC_ACCOUNT_ERROR_CUSTOM_NAME] = self->custom_name_error_label;

  setup_network_row (self);

  g_signal_connect_swapped (self->network_row, "notify::selected",
                            G_CALLBACK (on_network_row_selected_notify), self);
  g_signal_connect_swapped (self->handle_row, "changed",
                            G_CALLBACK (on_handle_row_changed), self);
  g_signal_connect_swapped (self->server_row, "changed",
                            G_CALLBACK (on_server_row_changed), self);
  g_signal_connect (self->custom_name_row, "changed",
                    G_CALLBACK (on_entry_row_changed), self);
  g_signal_connect (self->display_name_row, "changed",
                    G_CALLBACK (on_entry_row_changed), self);
  g_signal_connect (self->profile_url_row, "changed",
                    G_CALLBACK (on_entry_row_changed), self);

  update_for_network (self);
}

/**
 * wc_account_dialog_new:
 * @application: the application, for the store
 * @parent: (nullable): the window the dialog belongs to
 * @identity: the identity the account is added to
 * @account: (nullable): the account to edit, or %NULL to add one
 *
 * Returns: (transfer none): a new dialog; it is destroyed when it closes
 */
WcAccountDialog *
wc_account_dialog_new (WcApplication  *application,
                       GtkWindow      *parent,
                       WcIdentityKind  identity,
                       WcAccount      *account)
{
  WcAccountDialog *self;

  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (account == NULL || WC_IS_ACCOUNT (account), NULL);

  self = g_object_new (WC_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->application = g_object_ref (application);
  self->identity = account != NULL ? wc_account_get_identity (account) : identity;

  adw_window_title_set_title (self->window_title,
                              account != NULL ? _("Edit Account") : _("Add Account"));
  adw_window_title_set_subtitle (self->window_title,
                                 self->identity == WC_IDENTITY_PERSONAL
                                 ? _("Personal identity")
                                 : _("Professional identity"));
  gtk_window_set_title (GTK_WINDOW (self),
                        account != NULL ? _("Edit Account") : _("Add Account"));

  if (account != NULL)
    {
      self->account_id = wc_account_get_id (account);
      wc_account_dialog_set_network (self, wc_account_get_network (account));
      wc_account_dialog_set_field (self, WC_ACCOUNT_ERROR_CUSTOM_NAME, wc_account_get_custom_name (account));
      wc_account_dialog_set_field (self, WC_ACCOUNT_ERROR_HANDLE, wc_account_get_handle (account));
      wc_account_dialog_set_field (self, WC_ACCOUNT_ERROR_SERVER, wc_account_get_server (account));
      wc_account_dialog_set_field (self, WC_ACCOUNT_ERROR_DISPLAY_NAME, wc_account_get_display_name (account));
      wc_account_dialog_set_field (self, WC_ACCOUNT_ERROR_PROFILE_URL, wc_account_get_profile_url (account));

      /* Signed in, the account is the one the server named: its network,
       * handle and server are no longer a description to edit. */
      if (wc_account_is_connected (account))
        {
          gtk_widget_set_sensitive (GTK_WIDGET (self->network_row), FALSE);
          gtk_widget_set_sensitive (GTK_WIDGET (self->handle_row), FALSE);
          gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), FALSE);
          gtk_widget_set_visible (self->sign_in_group, FALSE);
        }
    }

  gtk_widget_grab_focus (account != NULL ? GTK_WIDGET (self->handle_row) : GTK_WIDGET (self->network_row));

  return self;
}

/**
 * wc_account_dialog_get_identity:
 * @self: a #WcAccountDialog
 *
 * Returns: the identity the account belongs to
 */
WcIdentityKind
wc_account_dialog_get_identity (WcAccountDialog *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), WC_IDENTITY_PROFESSIONAL);

  return self->identity;
}

/**
 * wc_account_dialog_is_editing:
 * @self: a #WcAccountDialog
 *
 * Returns: whether the dialog edits a stored account
 */
gboolean
wc_account_dialog_is_editing (WcAccountDialog *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), FALSE);

  return self->account_id >= 0;
}

/**
 * wc_account_dialog_set_network:
 * @self: a #WcAccountDialog
 * @network: a network id, such as "mastodon"
 *
 * Returns: whether @network is known and now selected
 */
gboolean
wc_account_dialog_set_network (WcAccountDialog *self,
                               const char      *network)
{
  guint n;

  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->networks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WcNetworkInfo) info = g_list_model_get_item (G_LIST_MODEL (self->networks), i);

      if (g_strcmp0 (wc_network_info_get_id (info), network) == 0)
        {
          adw_combo_row_set_selected (self->network_row, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * wc_account_dialog_get_network:
 * @self: a #WcAccountDialog
 *
 * Returns: (nullable): the id of the chosen network
 */
const char *
wc_account_dialog_get_network (WcAccountDialog *self)
{
  WcNetworkInfo *info;

  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), NULL);

  info = get_selected_network (self);

  return info != NULL ? wc_network_info_get_id (info) : NULL;
}

/**
 * wc_account_dialog_set_field:
 * @self: a #WcAccountDialog
 * @field: which field
 * @text: (nullable): the text to put in it
 *
 * Fills in a field as if the user typed @text. For
 * %WC_ACCOUNT_ERROR_NETWORK, @text is a network id.
 */
void
wc_account_dialog_set_field (WcAccountDialog *self,
                             WcAccountError   field,
                             const char      *text)
{
  g_return_if_fail (WC_IS_ACCOUNT_DIALOG (self));
  g_return_if_fail (field < N_FIELDS);

  if (field == WC_ACCOUNT_ERROR_NETWORK)
    {
      wc_account_dialog_set_network (self, text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->field_rows[field]), text != NULL ? text : "");
}

/**
 * wc_account_dialog_get_field:
 * @self: a #WcAccountDialog
 * @field: which field
 *
 * Returns: (nullable): the field's text; for %WC_ACCOUNT_ERROR_NETWORK the
 *   network id
 */
const char *
wc_account_dialog_get_field (WcAccountDialog *self,
                             WcAccountError   field)
{
  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);

  if (field == WC_ACCOUNT_ERROR_NETWORK)
    return wc_account_dialog_get_network (self);

  return gtk_editable_get_text (GTK_EDITABLE (self->field_rows[field]));
}

/**
 * wc_account_dialog_get_field_visible:
 * @self: a #WcAccountDialog
 * @field: which field
 *
 * Returns: whether the form shows @field for the chosen network
 */
gboolean
wc_account_dialog_get_field_visible (WcAccountDialog *self,
                                     WcAccountError   field)
{
  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), FALSE);
  g_return_val_if_fail (field < N_FIELDS, FALSE);

  return gtk_widget_get_visible (self->field_rows[field]);
}

/**
 * wc_account_dialog_get_error:
 * @self: a #WcAccountDialog
 * @field: which field
 *
 * Returns: (nullable): the message shown at @field, or %NULL
 */
const char *
wc_account_dialog_get_error (WcAccountDialog *self,
                             WcAccountError   field)
{
  GtkLabel *label;

  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);

  label = self->error_labels[field];
  if (!gtk_widget_get_visible (GTK_WIDGET (label)) ||
      !gtk_widget_get_visible (self->error_rows[field]))
    return NULL;

  return gtk_label_get_text (label);
}

/**
 * wc_account_dialog_get_general_error:
 * @self: a #WcAccountDialog
 *
 * Returns: (nullable): a message that belongs to no field, or %NULL
 */
const char *
wc_account_dialog_get_general_error (WcAccountDialog *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->general_error_label)))
    return NULL;

  return gtk_label_get_text (self->general_error_label);
}

/**
 * wc_account_dialog_save:
 * @self: a #WcAccountDialog
 *
 * Stores the account as described, or shows at the field what is wrong and
 * stores nothing. On success emits #WcAccountDialog::saved, tells the
 * application that the accounts changed and closes the dialog.
 *
 * Returns: whether the account was stored
 */
gboolean
wc_account_dialog_save (WcAccountDialog *self)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  WcNetworkInfo *info;
  WcStore *store;
  gboolean ok;

  g_return_val_if_fail (WC_IS_ACCOUNT_DIALOG (self), FALSE);

  clear_errors (self);

  info = get_selected_network (self);
  if (info == NULL)
    {
      show_error (self, WC_ACCOUNT_ERROR_NETWORK, _("Choose the network of the account."));
      return FALSE;
    }

  account = wc_account_new (self->identity, wc_network_info_get_id (info));
  if (self->account_id >= 0)
    wc_account_set_id (account, self->account_id);

  /* The connection is not part of the description: an edit keeps it. */
  store = wc_application_get_store (self->application);
  if (self->account_id >= 0 && store != NULL)
    {
      g_autoptr(WcAccount) stored = wc_store_get_account (store, self->account_id, NULL);

      if (stored != NULL)
        {
          wc_account_set_remote_id (account, wc_account_get_remote_id (stored));
          wc_account_set_connected_at (account, wc_account_get_connected_at (stored));
        }
    }

  wc_account_set_handle (account, gtk_editable_get_text (GTK_EDITABLE (self->handle_row)));
  if (wc_network_info_get_needs_server (info))
    wc_account_set_server (account, gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  if (wc_network_info_get_is_custom (info))
    wc_account_set_custom_name (account, gtk_editable_get_text (GTK_EDITABLE (self->custom_name_row)));
  wc_account_set_display_name (account, gtk_editable_get_text (GTK_EDITABLE (self->display_name_row)));
  wc_account_set_profile_url (account, gtk_editable_get_text (GTK_EDITABLE (self->profile_url_row)));

  store = wc_application_get_store (self->application);
  if (store == NULL)
    {
      show_general_error (self, _("Whitecoat cannot open its database, so the account cannot be saved."));
      return FALSE;
    }

  if (self->account_id >= 0)
    ok = wc_store_update_account (store, account, &error);
  else
    ok = wc_store_add_account (store, account, &error);

  if (!ok)
    {
      show_save_error (self, error);
      return FALSE;
    }

  g_signal_emit (self, signals[SAVED], 0, account);
  wc_application_notify_accounts_changed (self->application);
  gtk_window_destroy (GTK_WINDOW (self));

  return TRUE;
}
