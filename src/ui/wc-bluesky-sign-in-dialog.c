/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wc-bluesky.h"
#include "wc-bluesky-sign-in-dialog.h"
#include "wc-follower-sync.h"
#include "wc-keyring.h"
#include "wc-mastodon.h"

/* Signing in to Bluesky (or any AT Protocol server) with a handle or an
 * e-mail address and an app password (NETWORKS.md §2): the session's tokens
 * go to the keyring, never the password; the account keeps its handle, its
 * server (the PDS) and its DID as the remote id. */

#define NETWORK "bluesky"

struct _WcBlueskySignInDialog
{
  AdwWindow       parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkLabel       *error_label;
  GtkStack       *stack;
  AdwEntryRow    *identifier_row;
  AdwEntryRow    *password_row;
  GtkWidget      *warning_box;
  GtkLabel       *warning_label;
  GtkLinkButton  *app_passwords_link;
  AdwEntryRow    *server_row;
  GtkSpinner     *working_spinner;
  GtkLabel       *working_label;

  WcApplication  *application;
  WcIdentityKind  identity;
  gint64          connect_id;   /* the described account to connect, or -1 */
  gint64          account_id;   /* the account signed in to, once done */
  SoupSession    *session;
  GCancellable   *cancellable;  /* of the current step; cancelled on close */
  char           *plc_url;
};

G_DEFINE_FINAL_TYPE (WcBlueskySignInDialog, wc_bluesky_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the sign-in has to finish once the server said yes. */
typedef struct
{
  WcBlueskySignInDialog *dialog;
  WcApplication         *application;  /* held: the dialog drops its own on dispose */
  SoupSession           *session;      /* held, to end the session after dispose */
  GCancellable          *cancellable;  /* cancelled when the dialog closes */
  WcBlueskySession      *bluesky;
  WcAccount             *account;
  char                  *label;
  gboolean               is_new;
  gboolean               access_stored;
} Finish;

static void
finish_free (Finish *finish)
{
  g_clear_object (&finish->dialog);
  g_clear_object (&finish->application);
  g_clear_object (&finish->session);
  g_clear_object (&finish->cancellable);
  g_clear_pointer (&finish->bluesky, wc_bluesky_session_free);
  g_clear_object (&finish->account);
  g_free (finish->label);
  g_free (finish);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Finish, finish_free)

/* --- Showing ------------------------------------------------------------ */

static void
show_error (WcBlueskySignInDialog *self,
            const char            *message)
{
  /* Disposed: a late answer has no one to tell. */
  if (self->error_label == NULL)
    return;
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_page (WcBlueskySignInDialog *self,
           const char            *page,
           const char            *working)
{
  gboolean is_working = g_str_equal (page, "working");

  if (self->stack == NULL)
    return;
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->working_spinner, is_working);
  if (working != NULL)
    gtk_label_set_text (self->working_label, working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bluesky-sign-in.submit", !is_working);
}

static void
update_warning (WcBlueskySignInDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *stripped = g_strstrip (g_strdup (password));

  /* Nothing typed yet is not a wrong password. */
  gtk_widget_set_visible (self->warning_box,
                          *stripped != '\0' && !wc_bluesky_looks_like_app_password (stripped));
}

/* A step of the sign-in: whatever the previous one waits for is given up. */
static GCancellable *
new_step (WcBlueskySignInDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/* --- Ending a session that is not kept ---------------------------------- */

static void
on_unused_session_ended (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(WcBluesky) bluesky = user_data;
  g_autoptr(GError) error = NULL;

  if (!wc_bluesky_sign_out_finish (bluesky, result, &error))
    g_debug ("Could not end the unused Bluesky session: %s", error->message);
}

/* deleteSession for a session Whitecoat does not keep (refused, or the
 * dialog was closed); it holds @http, so it completes after the dialog is
 * gone. */
static void
end_unused_session (SoupSession            *http,
                    WcIdentityKind          identity,
                    const WcBlueskySession *session)
{
  g_autoptr(WcAccount) account = wc_account_new (identity, NETWORK);
  WcBluesky *bluesky;

  wc_account_set_server (account, session->pds_url);
  wc_account_set_remote_id (account, session->did);
  bluesky = wc_bluesky_new (account, http);
  wc_bluesky_set_session (bluesky, session);
  wc_bluesky_sign_out_async (bluesky, NULL, on_unused_session_ended, bluesky);
}

static void
refuse (WcBlueskySignInDialog  *self,
        const WcBlueskySession *session,
        const char             *message)
{
  end_unused_session (self->session, self->identity, session);
  show_error (self, message);
  show_page (self, "form", NULL);
}

/* --- Finishing ---------------------------------------------------------- */

/* The dialog was closed while the tokens were being stored (Escape during
 * the keyring's unlock prompt): nothing of a new sign-in is kept — no row,
 * no keyring item, no session on the server. An account signed in again
 * keeps the new tokens only when the keyring has both in place already. No
 * widget is touched: the dialog may be disposed. */
static void
abandon_sign_in (Finish   *finish,
                 gboolean  stored)
{
  WcStore *store = wc_application_get_store (finish->application);
  gint64 id = wc_account_get_id (finish->account);
  g_autoptr(GError) error = NULL;

  if (!finish->is_new && stored)
    {
      g_debug ("Bluesky sign-in closed after the tokens were stored: keeping them");
      wc_account_set_connected_at (finish->account, g_get_real_time () / G_USEC_PER_SEC);
      if (store != NULL && !wc_store_update_account (store, finish->account, &error))
        g_debug ("Could not mark the account as connected: %s", error->message);
      wc_application_notify_accounts_changed (finish->application);
      return;
    }

  g_debug ("Bluesky sign-in abandoned: ending the session");
  if (finish->is_new)
    {
      /* The keyring may have taken a token before the cancel arrived. */
      wc_keyring_clear_async (id, NULL, NULL, NULL, NULL);
      if (store != NULL && !wc_store_remove_account (store, id, &error))
        g_debug ("Could not remove the abandoned account: %s", error->message);
      wc_application_notify_accounts_changed (finish->application);
    }
  end_unused_session (finish->session, wc_account_get_identity (finish->account), finish->bluesky);
}

/* The keyring refused (locked, dismissed, no Secret Service): there is no
 * safe place for the tokens, so nothing of this sign-in is kept. */
static void
fail_to_store (Finish       *finish,
               const GError *error)
{
  WcBlueskySignInDialog *self = finish->dialog;
  WcStore *store = wc_application_get_store (finish->application);

  if (finish->is_new)
    {
      wc_keyring_clear_async (wc_account_get_id (finish->account), NULL, NULL, NULL, NULL);
      if (store != NULL)
        wc_store_remove_account (store, wc_account_get_id (finish->account), NULL);
    }
  refuse (self, finish->bluesky, error->message);
}

static void
complete (Finish *finish)
{
  WcBlueskySignInDialog *self = finish->dialog;
  WcStore *store = wc_application_get_store (finish->application);
  g_autoptr(GError) error = NULL;
  WcFollowerSync *sync;
  gint64 id = wc_account_get_id (finish->account);

  wc_account_set_connected_at (finish->account, g_get_real_time () / G_USEC_PER_SEC);
  if (store == NULL || !wc_store_update_account (store, finish->account, &error))
    {
      if (finish->is_new)
        wc_keyring_clear_async (id, NULL, NULL, NULL, NULL);
      refuse (self, finish->bluesky,
              error != NULL ? error->message : _("Whitecoat cannot open its database."));
      return;
    }

  self->account_id = id;
  wc_application_notify_accounts_changed (finish->application);

  /* The followers, in the background. */
  sync = wc_application_get_follower_sync (finish->application);
  if (sync != NULL)
    wc_follower_sync_refresh_async (sync, id, NULL, NULL, NULL);

  g_signal_emit (self, signals[SIGNED_IN], 0, finish->account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_refresh_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Finish) finish = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored = wc_keyring_store_finish (result, &error);

  if (g_cancellable_is_cancelled (finish->cancellable))
    {
      abandon_sign_in (finish, stored);
      return;
    }
  if (!stored)
    {
      fail_to_store (finish, error);
      return;
    }
  complete (finish);
}

static void
on_access_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Finish *finish = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored = wc_keyring_store_finish (result, &error);

  if (g_cancellable_is_cancelled (finish->cancellable))
    {
      /* An account signed in again keeps its old tokens only whole. */
      if (!finish->is_new && stored)
        {
          wc_keyring_store_async (wc_account_get_id (finish->account), WC_SECRET_REFRESH_TOKEN, finish->label,
                                  finish->bluesky->refresh_jwt, NULL, on_refresh_stored, finish);
          return;
        }
      abandon_sign_in (finish, FALSE);
      finish_free (finish);
      return;
    }
  if (!stored)
    {
      fail_to_store (finish, error);
      finish_free (finish);
      return;
    }
  wc_keyring_store_async (wc_account_get_id (finish->account), WC_SECRET_REFRESH_TOKEN, finish->label,
                          finish->bluesky->refresh_jwt, finish->is_new ? finish->cancellable : NULL,
                          on_refresh_stored, finish);
}

/* The Bluesky account of the store with this DID or this key, or NULL. */
static WcAccount *
find_account (WcStore    *store,
              const char *did,
              const char *key)
{
  g_autoptr(GPtrArray) accounts = wc_store_list_all_accounts (store, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *other = wc_account_dup_key (account);

      if (g_strcmp0 (wc_account_get_network (account), NETWORK) != 0)
        continue;
      if (g_strcmp0 (wc_account_get_remote_id (account), did) == 0 || g_strcmp0 (other, key) == 0)
        return g_object_ref (account);
    }
  return NULL;
}

/* The store's own words for an account of the other identity. */
static const char *
cross_link_message (WcIdentityKind owner)
{
  return owner == WC_IDENTITY_PERSONAL
         ? _("The same account cannot belong to both identities. It already belongs to your personal identity; adding it here would link the two.")
         : _("The same account cannot belong to both identities. It already belongs to your professional identity; adding it here would link the two.");
}

/* Takes @session. */
static void
finish_sign_in (WcBlueskySignInDialog *self,
                WcBlueskySession      *session)
{
  WcStore *store = wc_application_get_store (self->application);
  g_autoptr(Finish) finish = g_new0 (Finish, 1);
  g_autoptr(WcAccount) signed_in = NULL;
  g_autoptr(WcAccount) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *key = NULL;
  g_autofree char *working = NULL;
  gboolean ok;

  finish->dialog = g_object_ref (self);
  finish->application = g_object_ref (self->application);
  finish->session = g_object_ref (self->session);
  finish->bluesky = session;

  if (store == NULL)
    {
      refuse (self, session, _("Whitecoat cannot open its database, so the account cannot be saved."));
      return;
    }

  /* The handle as the session names it; the catalog shows Bluesky
   * handles without "@". */
  handle = g_strdup (session->handle);
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
          refuse (self, session, error->message);
          return;
        }
      described_key = wc_account_dup_key (existing);
      if (g_strcmp0 (described_key, key) != 0
          && g_strcmp0 (wc_account_get_remote_id (existing), session->did) != 0)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (/* Translators: the first %s is the account signed in to, the
                                      * second the account being connected, e.g. "@anna.bsky.social" */
                                     _("You signed in as %s, but this account is %s. Sign in with an app "
                                       "password of %s, or add %s as another account."),
                                     wc_account_get_handle (signed_in), wc_account_get_handle (existing),
                                     wc_account_get_handle (existing), wc_account_get_handle (signed_in));
          refuse (self, session, message);
          return;
        }
    }
  else
    existing = find_account (store, session->did, key);

  /* The DID is the account, whatever its handle is now: a DID or a handle
   * of the other identity is refused, as the store refuses a handle. */
  if (existing != NULL && wc_account_get_identity (existing) != self->identity)
    {
      refuse (self, session, cross_link_message (wc_account_get_identity (existing)));
      return;
    }

  if (existing != NULL)
    finish->account = g_object_ref (existing);
  else
    {
      finish->account = g_object_ref (signed_in);
      finish->is_new = TRUE;
    }
  wc_account_set_handle (finish->account, handle);
  wc_account_normalize (finish->account);
  wc_account_set_server (finish->account, session->pds_url);
  wc_account_set_remote_id (finish->account, session->did);

  if (finish->is_new)
    ok = wc_store_add_account (store, finish->account, &error);
  else
    ok = wc_store_update_account (store, finish->account, &error);
  if (!ok)
    {
      refuse (self, session, error->message);
      return;
    }

  /* Translators: a keyring item's label; %s is an account, e.g. "@anna@med.example" */
  finish->label = g_strdup_printf (_("Whitecoat sign-in for %s"), handle);
  /* Translators: %s is an account, e.g. "@anna@med.example" */
  working = g_strdup_printf (_("Saving the sign-in for %s…"), handle);
  show_page (self, "working", working);

  /* Closing the dialog from here on abandons the sign-in (see
   * abandon_sign_in()). A new account's keyring writes are cancelled with
   * it; an existing account's are not, so that its keyring items are
   * either the old tokens or the new ones. */
  finish->cancellable = g_object_ref (new_step (self));
  {
    Finish *data = g_steal_pointer (&finish);

    wc_keyring_store_async (wc_account_get_id (data->account), WC_SECRET_ACCESS_TOKEN, data->label,
                            data->bluesky->access_jwt, data->is_new ? data->cancellable : NULL,
                            on_access_stored, data);
  }
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WcBlueskySignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  WcBlueskySession *session = wc_bluesky_sign_in_finish (result, &error);

  if (session == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->application == NULL)
        return;
      show_error (self, error->message);
      show_page (self, "form", NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* A session that arrives after the dialog was closed is not kept. */
  if (self->application == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      end_unused_session (self->session, self->identity, session);
      wc_bluesky_session_free (session);
      return;
    }
  finish_sign_in (self, session);
}

/* --- Actions ------------------------------------------------------------ */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  wc_bluesky_sign_in_dialog_submit (WC_BLUESKY_SIGN_IN_DIALOG (widget));
}

/* --- The object --------------------------------------------------------- */

static gboolean
wc_bluesky_sign_in_dialog_close_request (GtkWindow *window)
{
  WcBlueskySignInDialog *self = WC_BLUESKY_SIGN_IN_DIALOG (window);

  /* Cancel works at every step: nothing is kept (see abandon_sign_in()). */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (wc_bluesky_sign_in_dialog_parent_class)->close_request (window);
}

static void
wc_bluesky_sign_in_dialog_dispose (GObject *object)
{
  WcBlueskySignInDialog *self = WC_BLUESKY_SIGN_IN_DIALOG (object);

  /* Cancelled, but kept until finalize, as the session is: a callback that
   * still arrives sees the step cancelled and ends the session. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_BLUESKY_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (wc_bluesky_sign_in_dialog_parent_class)->dispose (object);
}

static void
wc_bluesky_sign_in_dialog_finalize (GObject *object)
{
  WcBlueskySignInDialog *self = WC_BLUESKY_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_free (self->plc_url);

  G_OBJECT_CLASS (wc_bluesky_sign_in_dialog_parent_class)->finalize (object);
}

static void
wc_bluesky_sign_in_dialog_class_init (WcBlueskySignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wc_bluesky_sign_in_dialog_dispose;
  object_class->finalize = wc_bluesky_sign_in_dialog_finalize;
  window_class->close_request = wc_bluesky_sign_in_dialog_close_request;

  /**
   * WcBlueskySignInDialog::signed-in:
   * @account: the account as stored, connected
   *
   * The sign-in is complete; the dialog closes.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-bluesky-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, identifier_row);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, warning_box);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, warning_label);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, app_passwords_link);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, working_spinner);
  gtk_widget_class_bind_template_child (widget_class, WcBlueskySignInDialog, working_label);

  gtk_widget_class_install_action (widget_class, "bluesky-sign-in.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wc_bluesky_sign_in_dialog_init (WcBlueskySignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connect_id = -1;
  self->account_id = -1;
  self->session = wc_mastodon_default_session ();

  gtk_label_set_text (self->warning_label, wc_bluesky_app_password_warning ());
  gtk_link_button_set_uri (self->app_passwords_link, WC_BLUESKY_APP_PASSWORDS_URL);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (update_warning), self);
  g_signal_connect_swapped (self->identifier_row, "entry-activated",
                            G_CALLBACK (wc_bluesky_sign_in_dialog_submit), self);
  g_signal_connect_swapped (self->password_row, "entry-activated",
                            G_CALLBACK (wc_bluesky_sign_in_dialog_submit), self);
  g_signal_connect_swapped (self->server_row, "entry-activated",
                            G_CALLBACK (wc_bluesky_sign_in_dialog_submit), self);
  show_page (self, "form", NULL);
}

/**
 * wc_bluesky_sign_in_dialog_new:
 * @application: the application, for the store
 * @parent: (nullable): the window the dialog belongs to
 * @identity: the identity the account is added to
 * @account: (nullable): a described Bluesky account to connect, or %NULL to
 *   add one by signing in
 *
 * Returns: (transfer none): a new dialog; it is destroyed when it closes
 */
WcBlueskySignInDialog *
wc_bluesky_sign_in_dialog_new (WcApplication  *application,
                               GtkWindow      *parent,
                               WcIdentityKind  identity,
                               WcAccount      *account)
{
  WcBlueskySignInDialog *self;

  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (account == NULL || WC_IS_ACCOUNT (account), NULL);

  self = g_object_new (WC_TYPE_BLUESKY_SIGN_IN_DIALOG, "transient-for", parent, NULL);
  self->application = g_object_ref (application);
  self->identity = account != NULL ? wc_account_get_identity (account) : identity;

  adw_window_title_set_subtitle (self->window_title,
                                 self->identity == WC_IDENTITY_PERSONAL
                                 ? _("Personal identity")
                                 : _("Professional identity"));
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In to Bluesky"));

  if (account != NULL)
    {
      self->connect_id = wc_account_get_id (account);
      wc_bluesky_sign_in_dialog_set_identifier (self, wc_account_get_handle (account));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->identifier_row));
  return self;
}

gint64
wc_bluesky_sign_in_dialog_get_account_id (WcBlueskySignInDialog *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self), -1);
  return self->account_id;
}

void
wc_bluesky_sign_in_dialog_set_identifier (WcBlueskySignInDialog *self,
                                          const char            *identifier)
{
  const char *bare = identifier != NULL ? identifier : "";

  g_return_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self));
  /* "@name.bsky.social" as Whitecoat shows handles: the server wants it bare. */
  while (*bare == '@')
    bare++;
  gtk_editable_set_text (GTK_EDITABLE (self->identifier_row), bare);
}

void
wc_bluesky_sign_in_dialog_set_password (WcBlueskySignInDialog *self,
                                        const char            *password)
{
  g_return_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
}

void
wc_bluesky_sign_in_dialog_set_server (WcBlueskySignInDialog *self,
                                      const char            *server)
{
  g_return_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
}

void
wc_bluesky_sign_in_dialog_set_plc_url (WcBlueskySignInDialog *self,
                                       const char            *plc_url)
{
  g_return_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self));
  g_free (self->plc_url);
  self->plc_url = g_strdup (plc_url);
}

/**
 * wc_bluesky_sign_in_dialog_submit:
 *
 * What "Sign In" does.
 *
 * Returns: whether the sign-in started (the fields were filled)
 */
gboolean
wc_bluesky_sign_in_dialog_submit (WcBlueskySignInDialog *self)
{
  g_autofree char *identifier = NULL;
  g_autofree char *password = NULL;
  g_autofree char *server = NULL;
  const char *bare;

  g_return_val_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self), FALSE);
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "form"))
    return FALSE;

  identifier = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->identifier_row))));
  password = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row))));
  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  bare = identifier;
  while (*bare == '@')
    bare++;

  if (*bare == '\0')
    {
      show_error (self, _("Type your handle, such as “name.bsky.social”, or the e-mail address of your account."));
      gtk_widget_grab_focus (GTK_WIDGET (self->identifier_row));
      return FALSE;
    }
  if (*password == '\0')
    {
      show_error (self, _("Paste an app password made in Bluesky’s settings."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return FALSE;
    }

  show_error (self, NULL);
  show_page (self, "working", _("Signing in…"));
  wc_bluesky_sign_in_async (self->session, bare, password, *server != '\0' ? server : NULL, self->plc_url,
                            new_step (self), on_signed_in, g_object_ref (self));
  /* The request has its own copy: this one does not linger in memory. */
  memset (password, 0, strlen (password));
  return TRUE;
}

const char *
wc_bluesky_sign_in_dialog_get_page (WcBlueskySignInDialog *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
wc_bluesky_sign_in_dialog_get_error (WcBlueskySignInDialog *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

const char *
wc_bluesky_sign_in_dialog_get_warning (WcBlueskySignInDialog *self)
{
  g_return_val_if_fail (WC_IS_BLUESKY_SIGN_IN_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (self->warning_box))
    return NULL;
  return gtk_label_get_text (self->warning_label);
}
