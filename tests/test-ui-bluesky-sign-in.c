/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signing in to Bluesky through the dialog, against the reference PDS and
 * a local PLC directory (tests/servers/bluesky, started with Node; the tests
 * skip without it), with the real keyring and a real store: the app-password
 * warning, a sign-in whose tokens land in the keyring and nowhere in the
 * database file, connecting a described account, a DID or handle of the
 * other identity refused, and removal, which ends the session on the
 * server and clears the keyring. */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-account-dialog.h"
#include "wc-accounts-view.h"
#include "wc-bluesky.h"
#include "wc-bluesky-sign-in-dialog.h"
#include "wc-keyring.h"
#include "wc-store.h"
#include "wc-test-bluesky.h"
#include "wc-test-ui.h"
#include "wc-window.h"

static WcTestBluesky *servers;
static char *skip_reason;
static gboolean tried_servers;
static guint account_counter;

typedef struct
{
  WcApplication  *app;
  WcWindow       *window;
  WcAccountsView *view;
  WcStore        *store;
} Fixture;

static gboolean
need_servers (void)
{
  if (!tried_servers)
    {
      tried_servers = TRUE;
      servers = wc_test_bluesky_start (&skip_reason);
    }
  if (servers == NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static WcTestBlueskyAccount *
new_account (const char *prefix)
{
  g_autofree char *name = g_strdup_printf ("%s%u-%x", prefix, ++account_counter, g_random_int () & 0xffff);

  return wc_test_bluesky_create_account (servers, name);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->app = wc_test_ui_create_app ();
  f->store = wc_application_get_store (f->app);
  g_assert_nonnull (f->store);
  f->window = wc_window_new (f->app);
  f->view = WC_ACCOUNTS_VIEW (wc_window_get_accounts_view (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  wc_test_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = wc_store_list_all_accounts (f->store, NULL);

  /* No keyring item outlives its test. */
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    wc_keyring_clear_async (wc_account_get_id (g_ptr_array_index (accounts, i)), NULL, NULL, NULL, NULL);
  wc_test_ui_wait (100);
  wc_test_ui_destroy_toplevels ();
  g_clear_object (&f->app);
}

/* --- Helpers ------------------------------------------------------------ */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
lookup_secret (gint64       account_id,
               const char  *kind,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;
  char *copy;

  wc_keyring_lookup_async (account_id, kind, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = wc_keyring_lookup_finish (result, error);
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

static void
on_signed_in (WcBlueskySignInDialog *dialog,
              WcAccount             *account,
              gint64                *id)
{
  *id = wc_account_get_id (account);
}

/* Waits until the dialog has signed in (and closed) or shows a message;
 * returns the account signed in to, or -1. */
static gint64
wait_for_dialog (WcBlueskySignInDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 id = -1;
  gulong handler;

  handler = g_signal_connect (dialog, "signed-in", G_CALLBACK (on_signed_in), &id);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  while (dialog != NULL && id < 0 && wc_bluesky_sign_in_dialog_get_error (dialog) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (dialog != NULL)
    {
      if (wc_bluesky_sign_in_dialog_get_error (dialog) != NULL)
        g_test_message ("The dialog says: %s", wc_bluesky_sign_in_dialog_get_error (dialog));
      g_signal_handler_disconnect (dialog, handler);
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
    }
  return id;
}

/* The first widget of @type under @widget, depth first. */
static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_child (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static WcBlueskySignInDialog *
open_from_view (Fixture *f)
{
  WcBlueskySignInDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.sign-in-bluesky", NULL);
  dialog = wc_test_ui_find_toplevel (WC_TYPE_BLUESKY_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

/* Fills the dialog as the user would; the server field names the test PDS
 * (a self-hosted server), and the PLC directory is the local one. */
static void
fill (WcBlueskySignInDialog *dialog,
      WcTestBlueskyAccount  *who,
      gboolean               with_at)
{
  g_autofree char *identifier = g_strconcat (with_at ? "@" : "", who->handle, NULL);

  wc_bluesky_sign_in_dialog_set_identifier (dialog, identifier);
  wc_bluesky_sign_in_dialog_set_password (dialog, who->app_password);
  wc_bluesky_sign_in_dialog_set_server (dialog, servers->pds);
  wc_bluesky_sign_in_dialog_set_plc_url (dialog, servers->plc);
}

static void
assert_not_in_database (Fixture    *f,
                        const char *secret)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (wc_store_get_path (f->store), &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, secret));
}

static void
on_removed (WcAccountsView *view,
            gint64          account_id,
            gint64         *removed)
{
  *removed = account_id;
}

static void
remove_through_view (Fixture *f,
                     gint64   id)
{
  gint64 removed = -1;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gulong handler;
  AdwMessageDialog *confirm;

  handler = g_signal_connect (f->view, "account-removed", G_CALLBACK (on_removed), &removed);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.remove", "x", id);
  confirm = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "withdraws its access"));
  adw_message_dialog_response (confirm, "remove");
  while (removed != id)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (f->view, handler);
}

/* --- Tests -------------------------------------------------------------- */

/* The live warning, without a server: a main password is warned about,
 * with the way to Bluesky's app-password settings; an app password is not. */
static void
test_app_password_warning (Fixture       *f,
                           gconstpointer  data)
{
  WcBlueskySignInDialog *dialog = open_from_view (f);
  GtkLinkButton *link;

  g_assert_null (wc_bluesky_sign_in_dialog_get_warning (dialog));
  wc_bluesky_sign_in_dialog_set_password (dialog, "correct horse battery");
  g_assert_cmpstr (wc_bluesky_sign_in_dialog_get_warning (dialog), ==, wc_bluesky_app_password_warning ());
  link = GTK_LINK_BUTTON (find_child (GTK_WIDGET (dialog), GTK_TYPE_LINK_BUTTON));
  g_assert_nonnull (link);
  g_assert_cmpstr (gtk_link_button_get_uri (link), ==, WC_BLUESKY_APP_PASSWORDS_URL);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (link)));

  wc_bluesky_sign_in_dialog_set_password (dialog, "abcd-2345-efgh-6789");
  g_assert_null (wc_bluesky_sign_in_dialog_get_warning (dialog));
  wc_bluesky_sign_in_dialog_set_password (dialog, "");
  g_assert_null (wc_bluesky_sign_in_dialog_get_warning (dialog));

  /* Empty fields are refused in words, without a request. */
  g_assert_false (wc_bluesky_sign_in_dialog_submit (dialog));
  g_assert_nonnull (wc_bluesky_sign_in_dialog_get_error (dialog));
  g_assert_cmpstr (wc_bluesky_sign_in_dialog_get_page (dialog), ==, "form");
}

/* "Add Account" with Bluesky chosen offers to sign in instead, and takes
 * the handle typed so far along. */
static void
test_describe_then_sign_in (Fixture       *f,
                            gconstpointer  data)
{
  WcAccountDialog *describe;
  WcBlueskySignInDialog *dialog;
  GtkEditable *identifier;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.add", NULL);
  describe = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
  g_assert_nonnull (describe);
  wc_account_dialog_set_network (describe, "bluesky");
  wc_account_dialog_set_field (describe, WC_ACCOUNT_ERROR_HANDLE, "@dr-jansen.bsky.social");
  gtk_widget_activate_action (GTK_WIDGET (describe), "dialog.sign-in", NULL);
  wc_test_ui_iterate ();
  g_assert_null (wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG));
  dialog = wc_test_ui_find_toplevel (WC_TYPE_BLUESKY_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  identifier = GTK_EDITABLE (find_child (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (gtk_editable_get_text (identifier), ==, "dr-jansen.bsky.social");
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
}

static void
test_sign_in_and_remove (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) alice = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *handle = NULL;
  g_autofree char *gone = NULL;
  WcBlueskySignInDialog *dialog;
  guint status = 0;
  gint64 id;

  if (!need_servers ())
    return;
  alice = new_account ("alice");

  /* A wrong password: the message, the form again, nothing stored. */
  dialog = open_from_view (f);
  fill (dialog, alice, TRUE);
  wc_bluesky_sign_in_dialog_set_password (dialog, "wxyz-wxyz-wxyz-wxyz");
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  g_assert_cmpint (wait_for_dialog (dialog), ==, -1);
  g_assert_nonnull (wc_bluesky_sign_in_dialog_get_error (dialog));
  g_assert_null (strstr (wc_bluesky_sign_in_dialog_get_error (dialog), "wxyz"));
  g_assert_cmpstr (wc_bluesky_sign_in_dialog_get_page (dialog), ==, "form");
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);

  /* The app password, pasted with a space. */
  {
    g_autofree char *pasted = g_strdup_printf (" %s ", alice->app_password);

    wc_bluesky_sign_in_dialog_set_password (dialog, pasted);
  }
  g_assert_null (wc_bluesky_sign_in_dialog_get_warning (dialog));
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  id = wait_for_dialog (dialog);
  g_assert_cmpint (id, >, 0);
  wc_test_ui_iterate ();
  g_assert_null (wc_test_ui_find_toplevel (WC_TYPE_BLUESKY_SIGN_IN_DIALOG));

  /* The account as the session names it. */
  account = wc_store_get_account (f->store, id, &error);
  g_assert_no_error (error);
  handle = g_strdup (alice->handle);
  g_assert_cmpstr (wc_account_get_network (account), ==, "bluesky");
  g_assert_cmpstr (wc_account_get_handle (account), ==, handle);
  g_assert_cmpstr (wc_account_get_server (account), ==, servers->pds);
  g_assert_cmpstr (wc_account_get_remote_id (account), ==, alice->did);
  g_assert_true (wc_account_is_connected (account));
  g_assert_cmpint (wc_account_get_identity (account), ==, WC_IDENTITY_PROFESSIONAL);

  /* Both tokens in the real keyring, working on the PDS; neither they nor
   * the password in the database file. */
  access = lookup_secret (id, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_no_error (error);
  refresh = lookup_secret (id, WC_SECRET_REFRESH_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (access, !=, alice->app_password);
  g_assert_cmpstr (refresh, !=, alice->app_password);
  answer = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.server.getSession", NULL, NULL, access, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "did"), ==, alice->did);
  g_clear_pointer (&answer, json_node_unref);
  assert_not_in_database (f, access);
  assert_not_in_database (f, refresh);
  assert_not_in_database (f, alice->app_password);

  /* The row says it is connected, as for Mastodon. */
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (f->view), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (wc_accounts_view_get_row (f->view, 0)), "· Connected"));

  /* Removing ends the session on the server and clears the keyring. */
  remove_through_view (f, id);
  answer = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.server.refreshSession", NULL, NULL,
                                 refresh, &status);
  g_assert_cmpuint (status, >=, 400);
  g_assert_cmpuint (status, <, 500);
  gone = lookup_secret (id, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_null (gone);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  gone = lookup_secret (id, WC_SECRET_REFRESH_TOKEN, &error);
  g_assert_null (gone);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
}

/* "Connect" on an account added by description signs in to that account. */
static void
test_connect_described (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) bea = NULL;
  g_autoptr(WcAccount) described = NULL;
  g_autoptr(WcAccount) connected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *handle = NULL;
  WcBlueskySignInDialog *dialog;
  GtkEditable *identifier;

  if (!need_servers ())
    return;
  bea = new_account ("bea");
  handle = g_strconcat ("@", bea->handle, NULL);
  described = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
  wc_account_set_handle (described, handle);
  g_assert_true (wc_store_add_account (f->store, described, &error));
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (f->app);
  wc_test_ui_iterate ();
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (wc_accounts_view_get_row (f->view, 0)), "· Not connected"));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.connect", "x", wc_account_get_id (described));
  dialog = wc_test_ui_find_toplevel (WC_TYPE_BLUESKY_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  identifier = GTK_EDITABLE (find_child (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (gtk_editable_get_text (identifier), ==, bea->handle);
  fill (dialog, bea, FALSE);
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  g_assert_cmpint (wait_for_dialog (dialog), ==, wc_account_get_id (described));

  connected = wc_store_get_account (f->store, wc_account_get_id (described), &error);
  g_assert_true (wc_account_is_connected (connected));
  g_assert_cmpstr (wc_account_get_remote_id (connected), ==, bea->did);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (wc_accounts_view_get_row (f->view, 0)), "· Connected"));
}

/* An account of the other identity, by its handle or by its DID (the handle
 * changed since), is refused with the store's cross-link message; nothing
 * is stored for it. */
static void
test_cross_link_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) carol = NULL;
  g_autoptr(WcTestBlueskyAccount) dan = NULL;
  g_autoptr(WcAccount) renamed = NULL;
  g_autoptr(GError) error = NULL;
  WcBlueskySignInDialog *dialog;
  gint64 personal;

  if (!need_servers ())
    return;
  carol = new_account ("carol");
  dan = new_account ("dan");

  /* Carol signs in to her personal identity. */
  dialog = wc_bluesky_sign_in_dialog_new (f->app, GTK_WINDOW (f->window), WC_IDENTITY_PERSONAL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  fill (dialog, carol, FALSE);
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  personal = wait_for_dialog (dialog);
  g_assert_cmpint (personal, >, 0);

  /* …and then to her professional one: refused by handle. */
  dialog = open_from_view (f);
  fill (dialog, carol, FALSE);
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  g_assert_cmpint (wait_for_dialog (dialog), ==, -1);
  g_assert_nonnull (strstr (wc_bluesky_sign_in_dialog_get_error (dialog), "cannot belong to both identities"));
  g_assert_nonnull (strstr (wc_bluesky_sign_in_dialog_get_error (dialog), "personal identity"));
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Dan's personal account was stored under an older handle: the DID
   * still names him. */
  renamed = wc_account_new (WC_IDENTITY_PERSONAL, "bluesky");
  wc_account_set_handle (renamed, "@dans-old-handle.test");
  wc_account_set_remote_id (renamed, dan->did);
  g_assert_true (wc_store_add_account (f->store, renamed, &error));
  g_assert_no_error (error);
  dialog = open_from_view (f);
  fill (dialog, dan, FALSE);
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  g_assert_cmpint (wait_for_dialog (dialog), ==, -1);
  g_assert_nonnull (strstr (wc_bluesky_sign_in_dialog_get_error (dialog), "cannot belong to both identities"));
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PERSONAL), ==, 2);
}

/* Closing the dialog while the tokens are being stored keeps nothing: no
 * row, no keyring item; no critical on the way. */
static void
test_cancel_while_storing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WcTestBlueskyAccount) erin = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 deadline;
  WcBlueskySignInDialog *dialog;
  gint64 id;

  if (!need_servers ())
    return;
  erin = new_account ("erin");
  dialog = open_from_view (f);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  fill (dialog, erin, FALSE);
  g_assert_true (wc_bluesky_sign_in_dialog_submit (dialog));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (dialog);
  accounts = wc_store_list_all_accounts (f->store, NULL);
  id = wc_account_get_id (g_ptr_array_index (accounts, 0));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wc_test_ui_wait (500);
  g_assert_null (dialog);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  token = lookup_secret (id, WC_SECRET_ACCESS_TOKEN, &error);
  g_assert_null (token);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  token = lookup_secret (id, WC_SECRET_REFRESH_TOKEN, &error);
  g_assert_null (token);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  wc_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/bluesky-sign-in/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("app-password-warning", test_app_password_warning);
  ADD ("describe-then-sign-in", test_describe_then_sign_in);
  ADD ("sign-in-and-remove", test_sign_in_and_remove);
  ADD ("connect-described", test_connect_described);
  ADD ("cross-link-refused", test_cross_link_refused);
  ADD ("cancel-while-storing", test_cancel_while_storing);

#undef ADD

  status = g_test_run ();
  if (servers != NULL)
    wc_test_bluesky_stop (servers);
  g_free (skip_reason);
  return status;
}
