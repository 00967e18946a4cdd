/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-account-dialog.h"
#include "wc-accounts-view.h"
#include "wc-bluesky.h"
#include "wc-bluesky-sign-in-dialog.h"
#include "wc-connection.h"
#include "wc-keyring.h"
#include "wc-mastodon.h"
#include "wc-network-catalog.h"
#include "wc-sign-in-dialog.h"
#include "wc-store-connect.h"

struct _WcAccountsView
{
  AdwBin               parent_instance;

  /* template */
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  AdwPreferencesGroup *group;

  WcApplication       *application;
  GPtrArray           *rows;
  char                *title;

  /* Rows are built when the view is shown, not while it sits hidden in the
   * stack: a hundred accounts must not slow down the start. */
  gboolean              dirty;
};

G_DEFINE_FINAL_TYPE (WcAccountsView, wc_accounts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  WcAccountsView *view;
  gint64          account_id;
} RemoveData;

/* Removing a connected account: the sign-out on the server comes first. */
typedef struct
{
  WcAccountsView *view;
  WcAccount      *account;
  WcMastodon     *mastodon;
  WcBluesky      *bluesky;
  char           *client_id;
} SignOut;

static void
sign_out_free (SignOut *sign_out)
{
  g_clear_object (&sign_out->view);
  g_clear_object (&sign_out->account);
  g_clear_object (&sign_out->mastodon);
  g_clear_object (&sign_out->bluesky);
  g_free (sign_out->client_id);
  g_free (sign_out);
}

static void
remove_data_free (gpointer data,
                  GClosure *closure)
{
  RemoveData *remove_data = data;

  g_clear_object (&remove_data->view);
  g_free (remove_data);
}

static void
show_toast (WcAccountsView *self,
            const char     *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    return;

  toast = adw_toast_new (title);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static GtkWindow *
get_parent_window (WcAccountsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
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
get_network_icon (WcAccount *account)
{
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (account));

  if (info != NULL && wc_network_info_get_icon_name (info) != NULL)
    return wc_network_info_get_icon_name (info);

  return "network-server-symbolic";
}

/* The network and the handle, so that two accounts with the same display
 * name can be told apart; the handle is left out when it is the title. */
static gboolean
can_connect (WcAccount *account)
{
  return g_strcmp0 (wc_account_get_network (account), "mastodon") == 0
         || g_strcmp0 (wc_account_get_network (account), "bluesky") == 0;
}

static char *
dup_subtitle (WcAccount *account)
{
  g_autofree char *network = dup_network_label (account);
  g_autofree char *title = wc_account_dup_title (account);
  const char *handle = wc_account_get_handle (account);
  g_autofree char *line = NULL;

  if (handle != NULL && handle[0] != '\0' && g_strcmp0 (handle, title) != 0)
    {
      /* Translators: an account's network and handle, e.g. "Mastodon · @anna@mastodon.social". */
      line = g_strdup_printf (_("%s · %s"), network, handle);
    }
  else
    line = g_steal_pointer (&network);

  if (!can_connect (account))
    return g_steal_pointer (&line);

  /* Translators: an account's network and handle, then whether Whitecoat
   * is signed in to it, e.g. "Mastodon · @anna@med.example · Connected" */
  return g_strdup_printf (_("%s · %s"), line,
                          wc_account_is_connected (account) ? _("Connected") : _("Not connected"));
}

static GMenuModel *
create_connected_menu (gint64 id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) refresh = g_menu_item_new (_("_Refresh Followers"), NULL);
  g_autoptr(GMenuItem) again = g_menu_item_new (_("_Sign In Again"), NULL);

  g_menu_item_set_action_and_target_value (refresh, "accounts.refresh-followers", g_variant_new_int64 (id));
  g_menu_item_set_action_and_target_value (again, "accounts.connect", g_variant_new_int64 (id));
  g_menu_append_item (menu, refresh);
  g_menu_append_item (menu, again);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_row (WcAccountsView *self,
            WcAccount      *account)
{
  gint64 id = wc_account_get_id (account);
  g_autofree char *title = wc_account_dup_title (account);
  g_autofree char *subtitle = dup_subtitle (account);
  GtkWidget *row;
  GtkWidget *icon;
  GtkWidget *button;

  row = adw_action_row_new ();
  /* Handles and names are user text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "wc-account-id",
                          g_memdup2 (&id, sizeof id), g_free);

  icon = gtk_image_new_from_icon_name (get_network_icon (account));
  gtk_widget_add_css_class (icon, "network-icon");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (can_connect (account) && !wc_account_is_connected (account))
    {
      button = gtk_button_new_with_mnemonic (_("_Connect"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Sign in, so that Whitecoat can publish and read your followers"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "accounts.connect");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else if (can_connect (account))
    {
      g_autoptr(GMenuModel) menu = create_connected_menu (id);

      button = gtk_menu_button_new ();
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Connection"));
      gtk_widget_add_css_class (button, "flat");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  button = gtk_button_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Edit Account"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "accounts.edit");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Account"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "accounts.remove");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
clear_rows (WcAccountsView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
refresh (WcAccountsView *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  WcIdentityKind kind;
  WcStore *store;

  clear_rows (self);

  if (self->application == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  kind = wc_application_get_active_identity (self->application);

  g_free (self->title);
  self->title = wc_application_dup_identity_name (self->application, kind);
  adw_preferences_group_set_title (self->group, self->title);
  adw_preferences_group_set_description (self->group,
                                         kind == WC_IDENTITY_PERSONAL
                                         ? _("Accounts of your personal identity")
                                         : _("Accounts of your professional identity"));

  adw_status_page_set_description (self->empty_page,
                                   kind == WC_IDENTITY_PERSONAL
                                   ? _("Add the accounts you use privately. An account belongs to one identity only.")
                                   : _("Add the accounts you use as a doctor. An account belongs to one identity only."));

  store = wc_application_get_store (self->application);
  if (store != NULL)
    accounts = wc_store_list_accounts (store, kind, &error);

  if (accounts == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot list accounts: %s", error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      GtkWidget *row = create_row (self, g_ptr_array_index (accounts, i));

      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, accounts->len > 0 ? "list" : "empty");
}

static void
queue_refresh (WcAccountsView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = FALSE;
      refresh (self);
    }
  else
    self->dirty = TRUE;
}

static void
ensure_fresh (WcAccountsView *self)
{
  if (self->dirty)
    {
      self->dirty = FALSE;
      refresh (self);
    }
}

static void
on_app_changed (WcAccountsView *self)
{
  queue_refresh (self);
}

static void
open_dialog (WcAccountsView *self,
             WcAccount      *account)
{
  WcAccountDialog *dialog;

  if (self->application == NULL)
    return;

  dialog = wc_account_dialog_new (self->application,
                                  get_parent_window (self),
                                  wc_application_get_active_identity (self->application),
                                  account);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (WC_ACCOUNTS_VIEW (widget), NULL);
}

static void
open_bluesky_sign_in (WcAccountsView *self,
                      WcAccount      *account)
{
  WcBlueskySignInDialog *dialog;

  if (self->application == NULL)
    return;

  dialog = wc_bluesky_sign_in_dialog_new (self->application, get_parent_window (self),
                                          wc_application_get_active_identity (self->application),
                                          account);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_sign_in (WcAccountsView *self,
              WcAccount      *account)
{
  WcSignInDialog *dialog;

  if (self->application == NULL)
    return;
  if (account != NULL && g_strcmp0 (wc_account_get_network (account), "bluesky") == 0)
    {
      open_bluesky_sign_in (self, account);
      return;
    }

  dialog = wc_sign_in_dialog_new (self->application, get_parent_window (self),
                                  wc_application_get_active_identity (self->application),
                                  account);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_sign_in (WC_ACCOUNTS_VIEW (widget), NULL);
}

static void
bluesky_sign_in_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  open_bluesky_sign_in (WC_ACCOUNTS_VIEW (widget), NULL);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (widget);
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  WcStore *store;

  if (self->application == NULL || (store = wc_application_get_store (self->application)) == NULL)
    return;

  account = wc_store_get_account (store, g_variant_get_int64 (parameter), &error);
  if (account == NULL)
    {
      show_toast (self, error->message);
      refresh (self);
      return;
    }
  open_sign_in (self, account);
}

static void
on_followers_refreshed (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(WcAccountsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  WcFollowerSync *sync = WC_FOLLOWER_SYNC (source);
  g_autofree char *message = NULL;
  const char *note;
  guint n = 0;

  snapshot = wc_follower_sync_refresh_finish (sync, result, &error);
  if (snapshot == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  note = wc_follower_sync_get_note (sync, wc_follower_snapshot_get_account_id (snapshot));
  if (note != NULL)
    {
      show_toast (self, note);
      return;
    }
  wc_follower_snapshot_get_followers (snapshot, &n);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: %u is a number of followers */
                                          "Followers read: %u",
                                          "Followers read: %u", n), n);
  show_toast (self, message);
}

static void
refresh_followers_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (widget);

  if (self->application == NULL)
    return;
  show_toast (self, _("Reading followers…"));
  wc_follower_sync_refresh_async (wc_application_get_follower_sync (self->application),
                                  g_variant_get_int64 (parameter), NULL,
                                  on_followers_refreshed, g_object_ref (self));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (widget);
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  WcStore *store;

  if (self->application == NULL)
    return;

  store = wc_application_get_store (self->application);
  if (store == NULL)
    return;

  account = wc_store_get_account (store, g_variant_get_int64 (parameter), &error);
  if (account == NULL)
    {
      show_toast (self, error->message);
      refresh (self);
      return;
    }

  open_dialog (self, account);
}

static void
on_keyring_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wc_keyring_clear_finish (result, &error))
    g_debug ("Could not clear the account's secrets: %s", error->message);
}

/* Removes the row; @note (nullable) says what went wrong on the server. */
static void
remove_locally (WcAccountsView *self,
                gint64          account_id,
                const char     *note)
{
  g_autoptr(GError) error = NULL;
  WcStore *store;

  if (self->application == NULL)
    return;

  store = wc_application_get_store (self->application);
  if (store == NULL || !wc_store_remove_account (store, account_id, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why, in a sentence from the store. */
      message = g_strdup_printf (_("The account could not be removed: %s"),
                                 error != NULL ? error->message : _("the database is not available."));
      show_toast (self, message);
      return;
    }

  /* Whatever the network: no secret of a removed account stays behind. */
  wc_keyring_clear_async (account_id, NULL, NULL, on_keyring_cleared, NULL);

  wc_application_notify_accounts_changed (self->application);
  if (note != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what is left to do on the server. */
      message = g_strdup_printf (_("Account removed. %s"), note);
      show_toast (self, message);
    }
  else
    show_toast (self, _("Account removed"));
  g_signal_emit_by_name (self, "account-removed", account_id);
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SignOut *sign_out = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_mastodon_sign_out_finish (WC_MASTODON (source), result, &error))
    g_debug ("Sign-out was incomplete: %s", error->message);
  /* A server that cannot be reached does not keep the account here: it is
   * removed all the same, and the message says what is left to do. */
  remove_locally (sign_out->view, wc_account_get_id (sign_out->account),
                  error != NULL ? error->message : NULL);
  sign_out_free (sign_out);
}

static void
on_client_secret_for_sign_out (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  SignOut *sign_out = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonApp) app = NULL;
  char *secret = wc_keyring_lookup_finish (result, &error);

  if (secret != NULL && sign_out->client_id != NULL)
    app = wc_mastodon_app_new (sign_out->client_id, secret);
  if (secret != NULL)
    secret_password_free (secret);
  wc_mastodon_sign_out_async (sign_out->mastodon, app, NULL, on_signed_out, sign_out);
}

static void
on_bluesky_signed_out (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SignOut *sign_out = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_bluesky_sign_out_finish (WC_BLUESKY (source), result, &error))
    g_debug ("Bluesky sign-out was incomplete: %s", error->message);
  remove_locally (sign_out->view, wc_account_get_id (sign_out->account),
                  error != NULL ? error->message : NULL);
  sign_out_free (sign_out);
}

static void on_connection_for_sign_out (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data);

static void
on_unreadable_response (AdwMessageDialog *dialog,
                        const char       *response,
                        SignOut          *sign_out)
{
  WcAccountsView *self = sign_out->view;

  if (g_strcmp0 (response, "retry") == 0 && self->application != NULL)
    {
      wc_connection_open_async (sign_out->account, NULL, on_connection_for_sign_out, sign_out);
      return;
    }
  if (g_strcmp0 (response, "remove") == 0 && self->application != NULL)
    {
      g_autofree char *network = dup_network_label (sign_out->account);
      g_autofree char *note = NULL;

      /* Translators: %s is a network, e.g. "Mastodon" */
      note = g_strdup_printf (_("Whitecoat’s access was not withdrawn: withdraw it yourself in your "
                                "%s account’s settings."), network);
      remove_locally (self, wc_account_get_id (sign_out->account), note);
    }
  sign_out_free (sign_out);
}

/* The sign-in could not be read (the keyring is locked, or its prompt was
 * dismissed): the token may still be valid on the server, and only the user
 * can withdraw it now. They choose: try again, or remove here only. */
static void
ask_unreadable (SignOut      *sign_out,
                const GError *error)
{
  WcAccountsView *self = sign_out->view;
  g_autofree char *title = wc_account_dup_title (sign_out->account);
  g_autofree char *network = dup_network_label (sign_out->account);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (get_parent_window (self), _("Whitecoat’s Access Cannot Be Withdrawn"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: the first %s is the keyring's message, the second an
                                   * account, e.g. "@anna@med.example", the third a network */
                                  _("%s\n\nWithout the sign-in, Whitecoat cannot withdraw its access to %s, "
                                    "so it would stay valid on the server. Try again and unlock the keyring "
                                    "when asked, or remove the account here only and then withdraw "
                                    "Whitecoat’s access yourself in your %s account’s settings."),
                                  error->message, title, network);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep the Account"),
                                    "remove", _("_Remove Here Only"),
                                    "retry", _("_Try Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retry", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "retry");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_unreadable_response), sign_out);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_connection_for_sign_out (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  SignOut *sign_out = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);
  WcStore *store;
  g_autoptr(WcServerApp) app = NULL;

  if (sign_out->view->application == NULL)
    {
      sign_out_free (sign_out);
      return;
    }
  if (network == NULL)
    {
      /* Only a sign-in that is not in the keyring (which the connection
       * reports as "sign in again") leaves nothing to withdraw. */
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        {
          g_debug ("No sign-in to withdraw: %s", error->message);
          remove_locally (sign_out->view, wc_account_get_id (sign_out->account), NULL);
          sign_out_free (sign_out);
          return;
        }
      ask_unreadable (sign_out, error);
      return;
    }
  if (WC_IS_BLUESKY (network))
    {
      sign_out->bluesky = WC_BLUESKY (g_steal_pointer (&network));
      wc_bluesky_sign_out_async (sign_out->bluesky, NULL, on_bluesky_signed_out, sign_out);
      return;
    }
  if (!WC_IS_MASTODON (network))
    {
      remove_locally (sign_out->view, wc_account_get_id (sign_out->account), NULL);
      sign_out_free (sign_out);
      return;
    }

  sign_out->mastodon = WC_MASTODON (g_steal_pointer (&network));
  store = wc_application_get_store (sign_out->view->application);
  if (store != NULL)
    app = wc_store_load_server_app (store, "mastodon",
                                    wc_mastodon_get_base_url (sign_out->mastodon), NULL);
  if (app == NULL)
    {
      /* A pasted token: sign-out says it cannot be withdrawn from here. */
      wc_mastodon_sign_out_async (sign_out->mastodon, NULL, NULL, on_signed_out, sign_out);
      return;
    }
  sign_out->client_id = g_strdup (app->client_id);
  wc_keyring_lookup_server_async ("mastodon", app->server, WC_SECRET_CLIENT_SECRET, NULL,
                                  on_client_secret_for_sign_out, sign_out);
}

static void
on_remove_dialog_response (AdwMessageDialog *dialog,
                           const char       *response,
                           RemoveData       *data)
{
  WcAccountsView *self = data->view;
  g_autoptr(WcAccount) account = NULL;
  WcStore *store;

  if (g_strcmp0 (response, "remove") != 0 || self->application == NULL)
    return;

  store = wc_application_get_store (self->application);
  if (store != NULL)
    account = wc_store_get_account (store, data->account_id, NULL);

  if (account != NULL && can_connect (account) && wc_account_is_connected (account))
    {
      SignOut *sign_out = g_new0 (SignOut, 1);

      sign_out->view = g_object_ref (self);
      sign_out->account = g_object_ref (account);
      wc_connection_open_async (account, NULL, on_connection_for_sign_out, sign_out);
      return;
    }

  remove_locally (self, data->account_id, NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *network = NULL;
  RemoveData *data;
  GtkWidget *dialog;
  WcStore *store;

  if (self->application == NULL)
    return;

  store = wc_application_get_store (self->application);
  if (store == NULL)
    return;

  account = wc_store_get_account (store, id, &error);
  if (account == NULL)
    {
      show_toast (self, error->message);
      refresh (self);
      return;
    }

  title = wc_account_dup_title (account);
  network = dup_network_label (account);

  dialog = adw_message_dialog_new (get_parent_window (self), _("Remove Account?"), NULL);
  if (can_connect (account) && wc_account_is_connected (account))
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    /* Translators: first %s is the account, second the network. */
                                    _("“%s” will no longer be listed in Whitecoat, and Whitecoat withdraws "
                                      "its access on %s and forgets the sign-in. Your account and posts stay."),
                                    title, network);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    /* Translators: first %s is the account, second the network. */
                                    _("“%s” will no longer be listed in Whitecoat. "
                                      "Nothing changes on %s itself."),
                                    title, network);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (RemoveData, 1);
  data->view = g_object_ref (self);
  data->account_id = id;
  g_signal_connect_data (dialog, "response",
                         G_CALLBACK (on_remove_dialog_response),
                         data, remove_data_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
wc_accounts_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wc_accounts_view_parent_class)->map (widget);
  ensure_fresh (WC_ACCOUNTS_VIEW (widget));
}

static void
wc_accounts_view_dispose (GObject *object)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (object);

  g_clear_object (&self->application);
  /* The stack is the bin's child: let AdwBin drop it before the template
   * unparents it, or AdwBin would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_ACCOUNTS_VIEW);

  G_OBJECT_CLASS (wc_accounts_view_parent_class)->dispose (object);
}

static void
wc_accounts_view_finalize (GObject *object)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (wc_accounts_view_parent_class)->finalize (object);
}

static void
wc_accounts_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_accounts_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WcAccountsView *self = WC_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      wc_accounts_view_set_application (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_accounts_view_class_init (WcAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_accounts_view_dispose;
  object_class->finalize = wc_accounts_view_finalize;
  object_class->get_property = wc_accounts_view_get_property;
  object_class->set_property = wc_accounts_view_set_property;

  widget_class->map = wc_accounts_view_map;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         WC_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-accounts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcAccountsView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcAccountsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WcAccountsView, group);

  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "accounts.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "accounts.remove", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "accounts.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "accounts.sign-in-bluesky", NULL, bluesky_sign_in_action);
  gtk_widget_class_install_action (widget_class, "accounts.connect", "x", connect_action);
  gtk_widget_class_install_action (widget_class, "accounts.refresh-followers", "x", refresh_followers_action);

  /**
   * WcAccountsView::account-removed:
   * @account_id: the account that is no longer stored
   *
   * After a removal, including the sign-out on the server.
   */
  g_signal_new ("account-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
wc_accounts_view_init (WcAccountsView *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wc_accounts_view_new:
 *
 * Returns: (transfer floating): a new Accounts view
 */
GtkWidget *
wc_accounts_view_new (void)
{
  return g_object_new (WC_TYPE_ACCOUNTS_VIEW, NULL);
}

/**
 * wc_accounts_view_get_application:
 * @self: a #WcAccountsView
 *
 * Returns: (transfer none) (nullable): the application
 */
WcApplication *
wc_accounts_view_get_application (WcAccountsView *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), NULL);

  return self->application;
}

/**
 * wc_accounts_view_set_application:
 * @self: a #WcAccountsView
 * @application: (nullable): the application whose active identity to show
 *
 * The view lists the accounts of the application's active identity and
 * follows it when the identity is switched or accounts change.
 */
void
wc_accounts_view_set_application (WcAccountsView *self,
                                  WcApplication  *application)
{
  g_return_if_fail (WC_IS_ACCOUNTS_VIEW (self));
  g_return_if_fail (application == NULL || WC_IS_APPLICATION (application));

  if (self->application == application)
    return;

  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);

  g_set_object (&self->application, application);

  if (application != NULL)
    {
      g_signal_connect_object (application, "notify::active-identity",
                               G_CALLBACK (on_app_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "accounts-changed",
                               G_CALLBACK (on_app_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "identity-changed",
                               G_CALLBACK (on_app_changed), self, G_CONNECT_SWAPPED);
    }

  queue_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

/**
 * wc_accounts_view_get_n_accounts:
 * @self: a #WcAccountsView
 *
 * Returns: how many accounts are listed
 */
guint
wc_accounts_view_get_n_accounts (WcAccountsView *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), 0);
  ensure_fresh (self);

  return self->rows->len;
}

/**
 * wc_accounts_view_get_row:
 * @self: a #WcAccountsView
 * @index: a row number
 *
 * Returns: (transfer none): the row of the @index-th account
 */
AdwActionRow *
wc_accounts_view_get_row (WcAccountsView *self,
                          guint           index)
{
  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), NULL);
  ensure_fresh (self);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, index);
}

/**
 * wc_accounts_view_get_row_account_id:
 * @self: a #WcAccountsView
 * @index: a row number
 *
 * Returns: the id of the @index-th account
 */
gint64
wc_accounts_view_get_row_account_id (WcAccountsView *self,
                                     guint           index)
{
  gint64 *id;

  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), -1);
  ensure_fresh (self);
  g_return_val_if_fail (index < self->rows->len, -1);

  id = g_object_get_data (g_ptr_array_index (self->rows, index), "wc-account-id");

  return id != NULL ? *id : -1;
}

/**
 * wc_accounts_view_get_title:
 * @self: a #WcAccountsView
 *
 * Returns: (nullable): the title of the list: the identity's name
 */
const char *
wc_accounts_view_get_title (WcAccountsView *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), NULL);
  ensure_fresh (self);

  return self->title;
}

/**
 * wc_accounts_view_is_empty_state:
 * @self: a #WcAccountsView
 *
 * Returns: whether the view shows "No Accounts Yet"
 */
gboolean
wc_accounts_view_is_empty_state (WcAccountsView *self)
{
  g_return_val_if_fail (WC_IS_ACCOUNTS_VIEW (self), FALSE);
  ensure_fresh (self);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}
