/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-follower-sync.h"
#include "wc-keyring.h"
#include "wc-sign-in-dialog.h"
#include "wc-store-connect.h"

#define NETWORK "mastodon"

struct _WcSignInDialog
{
  AdwWindow              parent_instance;

  /* template */
  AdwWindowTitle        *window_title;
  GtkLabel              *error_label;
  GtkStack              *stack;
  AdwEntryRow           *server_row;
  GtkLabel              *browser_label;
  GtkSpinner            *browser_spinner;
  GtkLabel              *code_label;
  AdwEntryRow           *code_row;
  GtkLabel              *token_label;
  AdwEntryRow           *token_row;
  GtkSpinner            *working_spinner;
  GtkLabel              *working_label;
  GtkWidget             *back_button;

  WcApplication         *application;
  WcIdentityKind         identity;
  gint64                 connect_id;     /* the described account to connect, or -1 */
  gint64                 account_id;     /* the account signed in to, once done */

  SoupSession           *session;
  GCancellable          *cancellable;    /* of the current step */
  WcMastodonOpenUriFunc  opener;
  gpointer               opener_data;

  char                  *base_url;
  WcMastodonApp         *known_app;
  WcMastodonOobSignIn   *oob;
  char                  *authorize_url;
  gboolean               finishing;
};

G_DEFINE_FINAL_TYPE (WcSignInDialog, wc_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the sign-in has to finish: the account as the server reports it. */
typedef struct
{
  WcSignInDialog        *dialog;
  WcApplication         *application;  /* held: the dialog drops its own on dispose */
  SoupSession           *session;      /* held, to withdraw the token after dispose */
  GCancellable          *cancellable;  /* cancelled when the dialog closes */
  WcMastodonCredentials *credentials;
  WcAccount             *account;
  gboolean               is_new;
} Finish;

static void
finish_free (Finish *finish)
{
  g_clear_object (&finish->dialog);
  g_clear_object (&finish->application);
  g_clear_object (&finish->session);
  g_clear_object (&finish->cancellable);
  g_clear_pointer (&finish->credentials, wc_mastodon_credentials_free);
  g_clear_object (&finish->account);
  g_free (finish);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Finish, finish_free)

static void
show_error (WcSignInDialog *self,
            const char     *message)
{
  /* Disposed: a late answer has no one to tell. */
  if (self->error_label == NULL)
    return;
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *dup_host (const char *base_url);

/* The network's message, except that a server that cannot be reached
 * now is not "tried again later" here: the user is waiting. */
static void
show_network_error (WcSignInDialog *self,
                    const GError   *error)
{
  g_autofree char *host = NULL;
  g_autofree char *message = NULL;

  if (!g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER) || self->base_url == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_debug ("Sign-in failed for now: %s", error->message);
  host = dup_host (self->base_url);
  /* Translators: %s is a server, e.g. "med.example" */
  message = g_strdup_printf (_("Whitecoat could not reach %s, or the server is busy. "
                               "Check the address and your connection, then try again."), host);
  show_error (self, message);
}

static void
show_page (WcSignInDialog *self,
           const char     *page)
{
  gboolean browser = g_str_equal (page, "browser");
  gboolean working = g_str_equal (page, "working");

  if (self->stack == NULL)
    return;
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->browser_spinner, browser);
  gtk_spinner_set_spinning (self->working_spinner, working);
  gtk_widget_set_visible (self->back_button, !g_str_equal (page, "server") && !working);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.continue", g_str_equal (page, "server"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit-code", g_str_equal (page, "code"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit-token", g_str_equal (page, "token"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.use-code", browser);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.use-token", browser);
}

static void
show_working (WcSignInDialog *self,
              const char     *message)
{
  gtk_label_set_text (self->working_label, message);
  show_page (self, "working");
}

/* A new step: whatever the previous one still waits for is given up. */
static GCancellable *
new_step (WcSignInDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static char *
dup_host (const char *base_url)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup (base_url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
on_uri_shown (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;
  g_debug ("No browser: %s", error->message);
  show_error (self, _("Whitecoat could not open a web browser. Copy the sign-in address into a browser "
                      "yourself, or enter a code instead."));
}

static void
open_uri (const char *uri,
          gpointer    user_data)
{
  WcSignInDialog *self = user_data;

  if (uri != self->authorize_url)
    {
      g_free (self->authorize_url);
      self->authorize_url = g_strdup (uri);
    }

  /* The browser page only once there is a page to sign in on. */
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "working") && self->oob == NULL)
    show_page (self, "browser");

  if (self->opener != NULL)
    self->opener (uri, self->opener_data);
  else
    gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->cancellable,
                       on_uri_shown, g_object_ref (self));
}

/* --- Keeping the registration ------------------------------------------ */

static void
on_client_secret_stored (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wc_keyring_store_finish (result, &error))
    g_debug ("Could not keep the client secret: %s", error->message);
}

/* Remembers Whitecoat's registration on the server: the client id in the
 * database, the client secret in the keyring only. */
static void
remember_app (WcSignInDialog      *self,
              const WcMastodonApp *app)
{
  WcStore *store = wc_application_get_store (self->application);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *host = NULL;
  WcServerApp row = { 0 };

  if (app == NULL || app->client_id == NULL || store == NULL)
    return;
  if (self->known_app != NULL && g_strcmp0 (self->known_app->client_id, app->client_id) == 0)
    return;

  row.network = (char *) NETWORK;
  row.server = self->base_url;
  row.client_id = app->client_id;
  row.redirect_uris = (char *) "http://127.0.0.1/callback " WC_MASTODON_OOB_REDIRECT;
  row.scopes = (char *) WC_MASTODON_SCOPES;
  if (!wc_store_save_server_app (store, &row, &error))
    {
      g_debug ("Could not remember the registration: %s", error->message);
      return;
    }

  g_clear_pointer (&self->known_app, wc_mastodon_app_free);
  self->known_app = wc_mastodon_app_copy (app);

  if (app->client_secret != NULL)
    {
      host = dup_host (self->base_url);
      /* Translators: a keyring item's label; %s is a server, e.g. "med.example" */
      label = g_strdup_printf (_("Whitecoat registration on %s"), host);
      wc_keyring_store_server_async (NETWORK, self->base_url, WC_SECRET_CLIENT_SECRET, label,
                                     app->client_secret, NULL, on_client_secret_stored, NULL);
    }
}

/* --- Withdrawing a token that is not used ------------------------------- */

static void
on_revoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wc_mastodon_revoke_finish (result, &error))
    g_debug ("Could not withdraw the unused token: %s", error->message);
}

/* Returns whether the token can be withdrawn (it was not pasted). The
 * request holds @session, so it completes after the dialog is gone. */
static gboolean
revoke_unused (SoupSession           *session,
               WcMastodonCredentials *credentials)
{
  if (credentials->app == NULL || credentials->token == NULL)
    return FALSE;
  wc_mastodon_revoke_async (session, credentials->base_url, credentials->app,
                            credentials->token, NULL, on_revoked, NULL);
  return TRUE;
}

static void
refuse (WcSignInDialog        *self,
        WcMastodonCredentials *credentials,
        const char            *message)
{
  g_autofree char *full = NULL;

  if (!revoke_unused (self->session, credentials))
    full = g_strconcat (message, " ",
                        _("Whitecoat cannot withdraw a pasted token: withdraw it in the server’s settings."),
                        NULL);
  self->finishing = FALSE;
  show_error (self, full != NULL ? full : message);
  show_page (self, "server");
}

/* --- Finishing --------------------------------------------------------- */

/* The dialog was closed while the token was being stored (Escape during
 * the keyring's unlock prompt): nothing of a new sign-in is kept — not the
 * row, not the token in the keyring, not the token on the server. An
 * account signed in again keeps the new token only when the keyring has it
 * already in place of the old one. No widget is touched: the dialog may be
 * disposed. */
static void
abandon_sign_in (Finish   *finish,
                 gboolean  stored)
{
  WcStore *store = wc_application_get_store (finish->application);
  gint64 id = wc_account_get_id (finish->account);
  g_autoptr(GError) error = NULL;

  if (!finish->is_new && stored)
    {
      g_debug ("Sign-in closed after the token was stored: keeping it for the existing account");
      wc_account_set_connected_at (finish->account, g_get_real_time () / G_USEC_PER_SEC);
      if (store != NULL && !wc_store_update_account (store, finish->account, &error))
        g_debug ("Could not mark the account as connected: %s", error->message);
      wc_application_notify_accounts_changed (finish->application);
      return;
    }

  g_debug ("Sign-in abandoned: withdrawing the unused token");
  if (finish->is_new)
    {
      /* The keyring may have taken the token before the cancel arrived. */
      wc_keyring_clear_async (id, NULL, NULL, NULL, NULL);
      if (store != NULL && !wc_store_remove_account (store, id, &error))
        g_debug ("Could not remove the abandoned account: %s", error->message);
      wc_application_notify_accounts_changed (finish->application);
    }
  revoke_unused (finish->session, finish->credentials);
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Finish) finish = user_data;
  WcSignInDialog *self = finish->dialog;
  WcStore *store;
  WcMastodonProfile *profile = finish->credentials->profile;
  g_autoptr(GError) error = NULL;
  WcFollowerSync *sync;
  gint64 id = wc_account_get_id (finish->account);
  gboolean stored = wc_keyring_store_finish (result, &error);

  if (g_cancellable_is_cancelled (finish->cancellable))
    {
      abandon_sign_in (finish, stored);
      return;
    }

  store = wc_application_get_store (self->application);
  if (!stored)
    {
      /* Without the keyring there is no safe place for the token: nothing
       * of this sign-in is kept. */
      if (finish->is_new && store != NULL)
        wc_store_remove_account (store, id, NULL);
      refuse (self, finish->credentials, error->message);
      return;
    }

  wc_account_set_connected_at (finish->account, g_get_real_time () / G_USEC_PER_SEC);
  if (store == NULL || !wc_store_update_account (store, finish->account, &error))
    {
      refuse (self, finish->credentials,
              error != NULL ? error->message : _("Whitecoat cannot open its database."));
      wc_keyring_clear_async (id, NULL, NULL, NULL, NULL);
      return;
    }

  if (profile->state != NULL)
    {
      profile->state->account_id = id;
      if (!wc_store_save_account_state (store, profile->state, &error))
        g_debug ("Could not keep the account's state: %s", error->message);
      g_clear_error (&error);
    }

  self->account_id = id;
  self->finishing = FALSE;
  wc_application_notify_accounts_changed (self->application);

  /* The followers, the state and the server's limits, in the background. */
  sync = wc_application_get_follower_sync (self->application);
  if (sync != NULL)
    wc_follower_sync_refresh_async (sync, id, NULL, NULL, NULL);

  g_signal_emit (self, signals[SIGNED_IN], 0, finish->account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static WcAccount *
find_account (WcStore    *store,
              const char *key)
{
  g_autoptr(GPtrArray) accounts = wc_store_list_all_accounts (store, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *other = wc_account_dup_key (account);

      if (g_strcmp0 (other, key) == 0)
        return g_object_ref (account);
    }
  return NULL;
}

static void
finish_sign_in (WcSignInDialog        *self,
                WcMastodonCredentials *credentials)
{
  WcStore *store = wc_application_get_store (self->application);
  WcMastodonProfile *profile = credentials->profile;
  g_autoptr(Finish) finish = g_new0 (Finish, 1);
  g_autoptr(WcAccount) signed_in = NULL;
  g_autoptr(WcAccount) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  gboolean ok;

  finish->dialog = g_object_ref (self);
  finish->application = g_object_ref (self->application);
  finish->session = g_object_ref (self->session);
  finish->credentials = credentials;
  self->finishing = TRUE;
  remember_app (self, credentials->app);

  if (store == NULL)
    {
      refuse (self, credentials, _("Whitecoat cannot open its database, so the account cannot be saved."));
      return;
    }

  handle = g_strconcat ("@", profile->handle, NULL);
  signed_in = wc_account_new (self->identity, NETWORK);
  wc_account_set_handle (signed_in, handle);
  wc_account_normalize (signed_in);
  key = wc_account_dup_key (signed_in);

  if (self->connect_id >= 0)
    {
      g_autofree char *described_key = NULL;

      existing = wc_store_get_account (store, self->connect_id, &error);
      if (existing == NULL)
        {
          refuse (self, credentials, error->message);
          return;
        }
      described_key = wc_account_dup_key (existing);
      if (g_strcmp0 (described_key, key) != 0)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (/* Translators: the first %s is the account signed in to, the
                                      * second the account being connected, e.g. "@anna@med.example" */
                                     _("You signed in as %s, but this account is %s. Sign in as %s "
                                       "(sign out in the browser first), or add %s as another account."),
                                     wc_account_get_handle (signed_in), wc_account_get_handle (existing),
                                     wc_account_get_handle (existing), wc_account_get_handle (signed_in));
          refuse (self, credentials, message);
          return;
        }
    }
  else
    existing = find_account (store, key);

  /* The same account in this identity is signed in again; in the other
   * identity the store refuses it with the cross-link message. */
  if (existing != NULL && wc_account_get_identity (existing) == self->identity)
    finish->account = g_object_ref (existing);
  else
    {
      finish->account = g_object_ref (signed_in);
      finish->is_new = TRUE;
    }

  wc_account_set_handle (finish->account, handle);
  wc_account_set_server (finish->account, credentials->base_url);
  wc_account_set_remote_id (finish->account, profile->id);
  if (wc_account_get_display_name (finish->account) == NULL && profile->display_name != NULL
      && *profile->display_name != '\0')
    wc_account_set_display_name (finish->account, profile->display_name);
  if (wc_account_get_profile_url (finish->account) == NULL && profile->url != NULL)
    wc_account_set_profile_url (finish->account, profile->url);

  if (finish->is_new)
    ok = wc_store_add_account (store, finish->account, &error);
  else
    ok = wc_store_update_account (store, finish->account, &error);
  if (!ok)
    {
      refuse (self, credentials, error->message);
      return;
    }

  title = wc_account_dup_title (finish->account);
  /* Translators: a keyring item's label; %s is an account, e.g. "@anna@med.example" */
  label = g_strdup_printf (_("Whitecoat sign-in for %s"), handle);
  /* Translators: %s is an account, e.g. "@anna@med.example" */
  {
    g_autofree char *working = g_strdup_printf (_("Saving the sign-in for %s…"), title);
    show_working (self, working);
  }
  {
    Finish *data = g_steal_pointer (&finish);

    /* Closing the dialog from here on abandons the sign-in (see
     * abandon_sign_in()). A new account's store is cancelled with it; an
     * existing account's is not, so that its keyring item is either the
     * old token or the new one, never unknown. */
    data->cancellable = g_object_ref (new_step (self));
    wc_keyring_store_async (wc_account_get_id (data->account), WC_SECRET_ACCESS_TOKEN, label,
                            credentials->token, data->is_new ? data->cancellable : NULL,
                            on_token_stored, data);
  }
}

/* Takes @credentials. */
static void
got_credentials (WcSignInDialog        *self,
                 WcMastodonCredentials *credentials,
                 GError                *error)
{
  if (credentials == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (self->application == NULL)
        return;
      show_network_error (self, error);
      /* Back to where the user can try again or choose another way. */
      if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "working"))
        show_page (self, self->oob != NULL ? "code" : "server");
      return;
    }

  /* A token that arrives after the dialog was closed is not kept. */
  if (self->application == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      revoke_unused (self->session, credentials);
      wc_mastodon_credentials_free (credentials);
      return;
    }

  show_error (self, NULL);
  show_working (self, _("Checking your account…"));
  finish_sign_in (self, credentials);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  WcMastodonCredentials *credentials = wc_mastodon_sign_in_finish (result, &error);

  if (credentials == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_network_error (self, error);
      if (self->authorize_url == NULL)
        {
          /* Not even registered: back to the address. */
          show_page (self, "server");
          return;
        }
      /* The browser page stays, as the code and the token remain possible,
       * but nothing is waited for any more. */
      if (self->browser_spinner != NULL)
        gtk_spinner_set_spinning (self->browser_spinner, FALSE);
      return;
    }
  got_credentials (self, credentials, error);
}

static void
on_oob_completed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  WcMastodonCredentials *credentials = wc_mastodon_sign_in_oob_complete_finish (result, &error);

  got_credentials (self, credentials, error);
}

static void
on_token_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  WcMastodonCredentials *credentials = wc_mastodon_sign_in_with_token_finish (result, &error);

  if (credentials == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_network_error (self, error);
      show_page (self, "token");
      return;
    }
  got_credentials (self, credentials, error);
}

/* --- The steps --------------------------------------------------------- */

static void
start_browser (WcSignInDialog *self)
{
  g_autofree char *host = dup_host (self->base_url);
  g_autofree char *text = NULL;

  /* Translators: %s is a server, e.g. "med.example" */
  text = g_strdup_printf (_("Sign in to %s in the browser window that opened and allow Whitecoat access. "
                            "This window continues by itself."), host);
  gtk_label_set_text (self->browser_label, text);
  g_free (text);
  /* Translators: %s is a server, e.g. "med.example" */
  text = g_strdup_printf (_("Registering Whitecoat on %s…"), host);
  show_working (self, text);

  wc_mastodon_sign_in_async (self->session, self->base_url, self->known_app, open_uri, self,
                             new_step (self), on_signed_in, g_object_ref (self));
}

static void
on_client_secret (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = wc_keyring_lookup_finish (result, &error);
  const char *client_id = g_object_get_data (G_OBJECT (self), "wc-client-id");

  if (secret == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (secret != NULL && client_id != NULL)
    self->known_app = wc_mastodon_app_new (client_id, secret);
  else
    g_debug ("Registering again: %s", error != NULL ? error->message : "no client id");
  if (secret != NULL)
    secret_password_free (secret);
  g_object_set_data (G_OBJECT (self), "wc-client-id", NULL);

  start_browser (self);
}

static void
open_browser_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (widget);

  if (self->authorize_url != NULL)
    open_uri (self->authorize_url, self);
}

static void
copy_address_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (widget);

  if (self->authorize_url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->authorize_url);
  show_error (self, NULL);
}

static void
on_oob_begun (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  WcMastodonOobSignIn *oob = wc_mastodon_sign_in_oob_begin_finish (result, &error);
  g_autofree char *host = NULL;
  g_autofree char *description = NULL;

  if (oob == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_network_error (self, error);
      show_page (self, "browser");
      return;
    }

  g_clear_pointer (&self->oob, wc_mastodon_oob_sign_in_free);
  self->oob = oob;
  remember_app (self, oob->app);

  host = dup_host (self->base_url);
  /* Translators: %s is a server, e.g. "med.example" */
  description = g_strdup_printf (_("Sign in to %s in the browser and allow Whitecoat access. "
                                   "The server then shows a code: copy it and paste it here."), host);
  gtk_label_set_text (self->code_label, description);
  show_page (self, "code");
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
  open_uri (oob->authorize_url, self);
}

static void
use_code_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  wc_sign_in_dialog_use_code (WC_SIGN_IN_DIALOG (widget));
}

static void
use_token_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  wc_sign_in_dialog_use_token (WC_SIGN_IN_DIALOG (widget));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  wc_sign_in_dialog_start (WC_SIGN_IN_DIALOG (widget));
}

static void
submit_code_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (widget);

  wc_sign_in_dialog_submit_code (self, gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
}

static void
submit_token_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (widget);

  wc_sign_in_dialog_submit_token (self, gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (widget);

  new_step (self);
  g_clear_pointer (&self->oob, wc_mastodon_oob_sign_in_free);
  show_error (self, NULL);
  show_page (self, "server");
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static gboolean
wc_sign_in_dialog_close_request (GtkWindow *window)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (window);

  /* Cancel works at every step: the listener stops, nothing is kept. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (wc_sign_in_dialog_parent_class)->close_request (window);
}

static void
wc_sign_in_dialog_dispose (GObject *object)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (object);

  /* Cancelled, but kept until finalize, as the session is: a callback that
   * still arrives sees the step cancelled and can withdraw a token. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (wc_sign_in_dialog_parent_class)->dispose (object);
}

static void
wc_sign_in_dialog_finalize (GObject *object)
{
  WcSignInDialog *self = WC_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->authorize_url);
  g_clear_pointer (&self->known_app, wc_mastodon_app_free);
  g_clear_pointer (&self->oob, wc_mastodon_oob_sign_in_free);

  G_OBJECT_CLASS (wc_sign_in_dialog_parent_class)->finalize (object);
}

static void
wc_sign_in_dialog_class_init (WcSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wc_sign_in_dialog_dispose;
  object_class->finalize = wc_sign_in_dialog_finalize;
  window_class->close_request = wc_sign_in_dialog_close_request;

  /**
   * WcSignInDialog::signed-in:
   * @account: the account as stored, connected
   *
   * The sign-in is complete; the dialog closes.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, browser_label);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, browser_spinner);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, token_label);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, working_spinner);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, working_label);
  gtk_widget_class_bind_template_child (widget_class, WcSignInDialog, back_button);

  gtk_widget_class_install_action (widget_class, "sign-in.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "sign-in.open-browser", NULL, open_browser_action);
  gtk_widget_class_install_action (widget_class, "sign-in.copy-address", NULL, copy_address_action);
  gtk_widget_class_install_action (widget_class, "sign-in.use-code", NULL, use_code_action);
  gtk_widget_class_install_action (widget_class, "sign-in.use-token", NULL, use_token_action);
  gtk_widget_class_install_action (widget_class, "sign-in.submit-code", NULL, submit_code_action);
  gtk_widget_class_install_action (widget_class, "sign-in.submit-token", NULL, submit_token_action);
  gtk_widget_class_install_action (widget_class, "sign-in.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_sign_in_dialog_init (WcSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connect_id = -1;
  self->account_id = -1;
  self->session = wc_mastodon_default_session ();

  g_signal_connect_swapped (self->server_row, "entry-activated", G_CALLBACK (wc_sign_in_dialog_start), self);
  g_signal_connect_swapped (self->code_row, "entry-activated", G_CALLBACK (submit_code_action), self);
  g_signal_connect_swapped (self->token_row, "entry-activated", G_CALLBACK (submit_token_action), self);
  show_page (self, "server");
}

/**
 * wc_sign_in_dialog_new:
 * @application: the application, for the store
 * @parent: (nullable): the window the dialog belongs to
 * @identity: the identity the account is added to
 * @account: (nullable): a described Mastodon account to connect, or %NULL
 *   to add one by signing in
 *
 * Returns: (transfer none): a new dialog; it is destroyed when it closes
 */
WcSignInDialog *
wc_sign_in_dialog_new (WcApplication  *application,
                       GtkWindow      *parent,
                       WcIdentityKind  identity,
                       WcAccount      *account)
{
  WcSignInDialog *self;

  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (account == NULL || WC_IS_ACCOUNT (account), NULL);

  self = g_object_new (WC_TYPE_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  self->application = g_object_ref (application);
  self->identity = account != NULL ? wc_account_get_identity (account) : identity;

  adw_window_title_set_subtitle (self->window_title,
                                 self->identity == WC_IDENTITY_PERSONAL
                                 ? _("Personal identity")
                                 : _("Professional identity"));
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In to Mastodon"));

  if (account != NULL)
    {
      self->connect_id = wc_account_get_id (account);
      gtk_editable_set_text (GTK_EDITABLE (self->server_row), wc_account_get_handle (account));
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  return self;
}

void
wc_sign_in_dialog_set_uri_opener (WcSignInDialog        *self,
                                  WcMastodonOpenUriFunc  opener,
                                  gpointer               user_data)
{
  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));
  self->opener = opener;
  self->opener_data = user_data;
}

/**
 * wc_sign_in_dialog_get_account_id:
 *
 * Returns: the account signed in to, or -1 until the sign-in is complete
 */
gint64
wc_sign_in_dialog_get_account_id (WcSignInDialog *self)
{
  g_return_val_if_fail (WC_IS_SIGN_IN_DIALOG (self), -1);
  return self->account_id;
}

void
wc_sign_in_dialog_set_server (WcSignInDialog *self,
                              const char     *text)
{
  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), text != NULL ? text : "");
}

/**
 * wc_sign_in_dialog_start:
 *
 * What "Continue in Browser" does: finds Whitecoat's registration on the
 * typed server (or registers), opens the authorize page and waits for the
 * browser to come back.
 *
 * Returns: whether the server could be read from what was typed
 */
gboolean
wc_sign_in_dialog_start (WcSignInDialog *self)
{
  WcStore *store;
  g_autoptr(WcServerApp) app = NULL;
  g_autofree char *host = NULL;
  g_autofree char *working = NULL;

  g_return_val_if_fail (WC_IS_SIGN_IN_DIALOG (self), FALSE);
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "server"))
    return FALSE;

  show_error (self, NULL);
  g_free (self->base_url);
  self->base_url = wc_mastodon_dup_base_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  if (self->base_url == NULL)
    {
      show_error (self, _("Type your server, such as “med-mastodon.example”, or your full address, such as “@name@med-mastodon.example”."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return FALSE;
    }

  g_clear_pointer (&self->known_app, wc_mastodon_app_free);
  g_clear_pointer (&self->oob, wc_mastodon_oob_sign_in_free);
  g_clear_pointer (&self->authorize_url, g_free);

  host = dup_host (self->base_url);
  /* Translators: %s is a server, e.g. "med.example" */
  working = g_strdup_printf (_("Contacting %s…"), host);
  show_working (self, working);

  store = wc_application_get_store (self->application);
  if (store != NULL)
    app = wc_store_load_server_app (store, NETWORK, self->base_url, NULL);
  /* A registration made for other scopes (an older Whitecoat asked for
   * fewer) would give a token without the new permissions: register again. */
  if (app != NULL && g_strcmp0 (app->scopes, WC_MASTODON_SCOPES) != 0)
    g_clear_pointer (&app, wc_server_app_free);
  if (app != NULL)
    {
      g_object_set_data_full (G_OBJECT (self), "wc-client-id", g_strdup (app->client_id), g_free);
      wc_keyring_lookup_server_async (NETWORK, self->base_url, WC_SECRET_CLIENT_SECRET,
                                      new_step (self), on_client_secret, g_object_ref (self));
      return TRUE;
    }

  start_browser (self);
  return TRUE;
}

/**
 * wc_sign_in_dialog_use_code:
 *
 * Gives up waiting for the browser and signs in with the code the server
 * shows instead (the out-of-band redirect).
 */
void
wc_sign_in_dialog_use_code (WcSignInDialog *self)
{
  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));
  g_return_if_fail (self->base_url != NULL);

  show_error (self, NULL);
  show_working (self, _("Asking the server for a sign-in page…"));
  wc_mastodon_sign_in_oob_begin_async (self->session, self->base_url, self->known_app,
                                       new_step (self), on_oob_begun, g_object_ref (self));
}

void
wc_sign_in_dialog_submit_code (WcSignInDialog *self,
                               const char     *code)
{
  g_autofree char *stripped = g_strstrip (g_strdup (code != NULL ? code : ""));

  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));

  if (self->oob == NULL)
    return;
  if (*stripped == '\0')
    {
      show_error (self, _("Paste the code the server shows after you allowed access."));
      return;
    }
  show_error (self, NULL);
  show_working (self, _("Checking the code…"));
  wc_mastodon_sign_in_oob_complete_async (self->session, self->oob, stripped, new_step (self),
                                          on_oob_completed, g_object_ref (self));
}

/**
 * wc_sign_in_dialog_use_token:
 *
 * Gives up waiting for the browser and asks for an access token made on
 * the server instead.
 */
void
wc_sign_in_dialog_use_token (WcSignInDialog *self)
{
  g_autofree char *host = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));
  g_return_if_fail (self->base_url != NULL);

  new_step (self);
  show_error (self, NULL);
  host = dup_host (self->base_url);
  description = g_strdup_printf (/* Translators: the first %s is a server, the second a list of
                                  * permissions that stays in English, as the server shows it */
                                 _("On %s, open Preferences → Development → New Application, allow “%s”, "
                                   "save it and paste its access token here. Whitecoat keeps it in your keyring only."),
                                 host, WC_MASTODON_SCOPES);
  gtk_label_set_text (self->token_label, description);
  show_page (self, "token");
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

void
wc_sign_in_dialog_submit_token (WcSignInDialog *self,
                                const char     *token)
{
  g_autofree char *stripped = g_strstrip (g_strdup (token != NULL ? token : ""));

  g_return_if_fail (WC_IS_SIGN_IN_DIALOG (self));
  g_return_if_fail (self->base_url != NULL);

  if (*stripped == '\0')
    {
      show_error (self, _("Paste the access token from the server’s settings."));
      return;
    }
  show_error (self, NULL);
  show_working (self, _("Checking the token…"));
  wc_mastodon_sign_in_with_token_async (self->session, self->base_url, stripped, new_step (self),
                                        on_token_checked, g_object_ref (self));
}

const char *
wc_sign_in_dialog_get_page (WcSignInDialog *self)
{
  g_return_val_if_fail (WC_IS_SIGN_IN_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
wc_sign_in_dialog_get_error (WcSignInDialog *self)
{
  g_return_val_if_fail (WC_IS_SIGN_IN_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
