/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signing in to Mastodon through the dialog, against the Mastodon test
 * server (tests/servers/), with the real keyring and a real store: the
 * loopback redirect (the test plays the browser), the out-of-band code, a
 * pasted token, a refused cross-link whose token is withdrawn, connecting
 * an account added by description, cancelling, and removing an account,
 * which withdraws the token on the server and clears the keyring — also
 * when the server cannot be reached. */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <string.h>

#include "wc-account-dialog.h"
#include "wc-accounts-view.h"
#include "wc-keyring.h"
#include "wc-mastodon-server.h"
#include "wc-sign-in-dialog.h"
#include "wc-store-connect.h"
#include "wc-test-ui.h"
#include "wc-unlock-warning.h"
#include "wc-walkthrough-dialog.h"
#include "wc-window.h"

typedef struct
{
  WcApplication    *app;
  WcWindow         *window;
  WcAccountsView   *view;
  WcStore          *store;
  WcMastodonServer *server;
  char             *base;
  char             *host;
  char             *alice_id;
} Fixture;

/* --- The browser the test plays ----------------------------------------- */

typedef struct
{
  char       *authorize_url;
  const char *user;
  gboolean    follow;        /* FALSE: the browser never comes back */
  GThread    *thread;
  guint       loopback_status;
} Browser;

static gpointer
browser_thread (gpointer data)
{
  Browser *b = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (b->authorize_url, "&test_user=", b->user, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) back = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  /* The test server approves at once for ?test_user=, and redirects to
   * Whitecoat's loopback listener. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  g_clear_pointer (&body, g_bytes_unref);

  back = soup_message_new ("GET", location);
  body = soup_session_send_and_read (session, back, NULL, NULL);
  b->loopback_status = back != NULL ? soup_message_get_status (back) : 0;
  return NULL;
}

static void
open_in_browser (const char *uri,
                 gpointer    user_data)
{
  Browser *b = user_data;

  g_free (b->authorize_url);
  b->authorize_url = g_strdup (uri);
  if (b->follow && b->thread == NULL)
    b->thread = g_thread_new ("browser", browser_thread, b);
}

static void
browser_clear (Browser *b)
{
  if (b->thread != NULL)
    g_thread_join (b->thread);
  b->thread = NULL;
  g_clear_pointer (&b->authorize_url, g_free);
}

/* --- Fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  f->server = wc_mastodon_server_new ();
  f->alice_id = wc_mastodon_server_add_user (f->server, "alice", NULL);
  g_free (wc_mastodon_server_add_user (f->server, "bob", NULL));
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  f->host = g_strdup (g_uri_get_host (uri));

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
  wc_keyring_clear_server_async ("mastodon", f->base, NULL, NULL, NULL, NULL);
  wc_test_ui_wait (100);

  wc_test_ui_destroy_toplevels ();
  g_clear_object (&f->app);
  wc_mastodon_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->base);
  g_free (f->host);
  g_free (f->alice_id);
}

/* --- Helpers ------------------------------------------------------------ */

static WcSignInDialog *
open_sign_in (Fixture *f)
{
  WcSignInDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.sign-in", NULL);
  dialog = wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

static void
on_signed_in (WcSignInDialog *dialog,
              WcAccount      *account,
              gint64         *id)
{
  *id = wc_account_get_id (account);
}

/* Waits until the dialog has signed in (and closed) or shows a message;
 * returns the account signed in to, or -1. */
static gint64
wait_for_dialog (WcSignInDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 id = -1;
  gulong handler;

  handler = g_signal_connect (dialog, "signed-in", G_CALLBACK (on_signed_in), &id);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  while (dialog != NULL && id < 0 && wc_sign_in_dialog_get_error (dialog) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (dialog != NULL)
    {
      if (wc_sign_in_dialog_get_error (dialog) != NULL)
        g_test_message ("The dialog says: %s", wc_sign_in_dialog_get_error (dialog));
      g_signal_handler_disconnect (dialog, handler);
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
    }
  return id;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
lookup_token (gint64   account_id,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;
  char *copy;

  wc_keyring_lookup_async (account_id, WC_SECRET_ACCESS_TOKEN, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = wc_keyring_lookup_finish (result, error);
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

/* The token as the server knows it: -1 unknown, 0 valid, 1 revoked. */
static int
token_state (Fixture    *f,
             const char *token)
{
  g_autoptr(JsonArray) tokens = wc_mastodon_server_dup_tokens (f->server);

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *object = json_array_get_object_element (tokens, i);

      if (g_strcmp0 (json_object_get_string_member (object, "access_token"), token) == 0)
        return json_object_get_boolean_member (object, "revoked") ? 1 : 0;
    }
  return -1;
}

static guint
count_tokens (Fixture  *f,
              gboolean  revoked)
{
  g_autoptr(JsonArray) tokens = wc_mastodon_server_dup_tokens (f->server);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    if (json_object_get_boolean_member (json_array_get_object_element (tokens, i), "revoked") == revoked)
      n++;
  return n;
}

static void
wait_until_revoked (Fixture    *f,
                    const char *token)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (token_state (f, token) != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      wc_test_ui_wait (20);
    }
}

static const char *
row_subtitle (Fixture *f,
              guint    index)
{
  return adw_action_row_get_subtitle (wc_accounts_view_get_row (f->view, index));
}

/* The database file never holds the token. */
static void
assert_not_in_database (Fixture    *f,
                        const char *token)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (wc_store_get_path (f->store), &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, token));
}

/* Signs in through the loopback redirect; returns the account id. */
static gint64
sign_in_loopback (Fixture        *f,
                  WcSignInDialog *dialog,
                  const char     *user)
{
  Browser b = { .user = user, .follow = TRUE };
  gint64 id;

  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  if (g_str_equal (wc_sign_in_dialog_get_page (dialog), "server"))
    wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));
  id = wait_for_dialog (dialog);
  browser_clear (&b);
  g_assert_cmpuint (b.loopback_status, ==, 200);
  return id;
}

/* --- Tests --------------------------------------------------------------- */

static void
test_loopback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcServerApp) app = NULL;
  g_autoptr(JsonArray) apps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *handle = g_strdup_printf ("@alice@%s", f->host);
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  g_assert_cmpstr (wc_sign_in_dialog_get_page (dialog), ==, "server");

  /* Something that is not a server says so and goes nowhere. */
  wc_sign_in_dialog_set_server (dialog, "@alice@");
  g_assert_false (wc_sign_in_dialog_start (dialog));
  g_assert_nonnull (wc_sign_in_dialog_get_error (dialog));
  g_assert_cmpstr (wc_sign_in_dialog_get_page (dialog), ==, "server");

  id = sign_in_loopback (f, dialog, "alice");
  g_assert_cmpint (id, >, 0);
  g_assert_null (wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG));

  account = wc_store_get_account (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_account_get_handle (account), ==, handle);
  g_assert_cmpstr (wc_account_get_server (account), ==, f->base);
  g_assert_cmpstr (wc_account_get_remote_id (account), ==, f->alice_id);
  g_assert_true (wc_account_is_connected (account));
  g_assert_cmpint (wc_account_get_identity (account), ==, WC_IDENTITY_PROFESSIONAL);

  /* The token is in the real keyring, valid on the server, and nowhere in
   * the database. */
  token = lookup_token (id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (token_state (f, token), ==, 0);
  assert_not_in_database (f, token);

  /* Registered once; the client id is remembered per server. */
  apps = wc_mastodon_server_dup_apps (f->server);
  g_assert_cmpuint (json_array_get_length (apps), ==, 1);
  app = wc_store_load_server_app (f->store, "mastodon", f->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (app->client_id, ==,
                   json_object_get_string_member (json_array_get_object_element (apps, 0), "client_id"));

  /* The client secret is in the keyring, kept per server, and nowhere in
   * the database; the account's own lookups do not find it. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    const char *expected = json_object_get_string_member (json_array_get_object_element (apps, 0),
                                                          "client_secret");
    char *secret;

    wc_keyring_lookup_server_async ("mastodon", f->base, WC_SECRET_CLIENT_SECRET, NULL, store_result, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    secret = wc_keyring_lookup_finish (result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, expected);
    assert_not_in_database (f, secret);
    secret_password_free (secret);
    g_clear_object (&result);

    wc_keyring_lookup_async (id, WC_SECRET_CLIENT_SECRET, NULL, store_result, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (wc_keyring_lookup_finish (result, &error));
    g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The row says it is connected. */
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (f->view), ==, 1);
  g_assert_nonnull (strstr (row_subtitle (f, 0), "· Connected"));

  /* Signing in again (from the row's menu) reuses the registration and
   * updates the same account. */
  {
    g_autofree char *second = NULL;
    g_autoptr(JsonArray) again = NULL;

    gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.connect", "x", id);
    dialog = wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG);
    g_assert_nonnull (dialog);
    wc_sign_in_dialog_set_server (dialog, f->base);
    g_assert_cmpint (sign_in_loopback (f, dialog, "alice"), ==, id);
    again = wc_mastodon_server_dup_apps (f->server);
    g_assert_cmpuint (json_array_get_length (again), ==, 1);
    second = lookup_token (id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (second, !=, token);
    g_assert_cmpuint (wc_accounts_view_get_n_accounts (f->view), ==, 1);
  }

  /* Editing the description keeps the connection; what the server named
   * cannot be edited. */
  {
    g_autoptr(WcAccount) edited = NULL;
    WcAccountDialog *edit;

    gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.edit", "x", id);
    edit = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
    g_assert_nonnull (edit);
    wc_account_dialog_set_field (edit, WC_ACCOUNT_ERROR_DISPLAY_NAME, "Dr Alice");
    g_assert_true (wc_account_dialog_save (edit));
    edited = wc_store_get_account (f->store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (wc_account_get_display_name (edited), ==, "Dr Alice");
    g_assert_true (wc_account_is_connected (edited));
    g_assert_cmpstr (wc_account_get_remote_id (edited), ==, f->alice_id);
  }
}

static void
test_out_of_band (Fixture       *f,
                  gconstpointer  data)
{
  Browser b = { .user = "alice", .follow = FALSE };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  const char *start, *end;
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));
  while (!g_str_equal (wc_sign_in_dialog_get_page (dialog), "browser") || b.authorize_url == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Every step fits a phone-sized window. */
  wc_test_ui_assert_fits_width (GTK_WIDGET (dialog), 360);

  /* The browser does not come back: the user asks for a code. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.use-code", NULL);
  while (!g_str_equal (wc_sign_in_dialog_get_page (dialog), "code"))
    {
      g_assert_null (wc_sign_in_dialog_get_error (dialog));
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (strstr (b.authorize_url, "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"));
  wc_test_ui_assert_fits_width (GTK_WIDGET (dialog), 360);

  /* An empty code is refused in words. */
  wc_sign_in_dialog_submit_code (dialog, "  ");
  g_assert_nonnull (wc_sign_in_dialog_get_error (dialog));

  /* The server shows the code; the user pastes it. */
  url = g_strconcat (b.authorize_url, "&test_user=alice", NULL);
  msg = soup_message_new ("GET", url);
  page = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  start = strstr (html, "<code id=\"code\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"code\">");
  end = strstr (start, "</code>");
  code = g_strndup (start, end - start);

  /* Pasted with the spaces and the line break a copy from a web page takes
   * along: they are not part of the code. */
  {
    g_autofree char *pasted = g_strdup_printf ("  %s \n", code);

    wc_sign_in_dialog_submit_code (dialog, pasted);
  }
  id = wait_for_dialog (dialog);
  g_assert_cmpint (id, >, 0);
  account = wc_store_get_account (f->store, id, &error);
  g_assert_true (wc_account_is_connected (account));
  token = lookup_token (id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (token_state (f, token), ==, 0);
  g_assert_nonnull (strstr (row_subtitle (f, 0), "· Connected"));
  browser_clear (&b);
}

static void
test_pasted_token (Fixture       *f,
                   gconstpointer  data)
{
  Browser b = { .user = "alice", .follow = FALSE };
  g_autofree char *made = wc_mastodon_server_create_token (f->server, "alice", WC_MASTODON_SCOPES);
  g_autofree char *pasted = g_strdup_printf ("  %s\n", made);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));
  while (!g_str_equal (wc_sign_in_dialog_get_page (dialog), "browser"))
    g_main_context_iteration (NULL, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.use-token", NULL);
  g_assert_cmpstr (wc_sign_in_dialog_get_page (dialog), ==, "token");
  wc_test_ui_assert_fits_width (GTK_WIDGET (dialog), 360);

  /* A token the server does not know: "sign in again" in words, no token
   * in the message, still on the token page. */
  wc_sign_in_dialog_submit_token (dialog, "wc-not-a-token-7e1f");
  while (wc_sign_in_dialog_get_error (dialog) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (strstr (wc_sign_in_dialog_get_error (dialog), "wc-not-a-token-7e1f"));
  g_assert_cmpstr (wc_sign_in_dialog_get_page (dialog), ==, "token");
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);

  wc_sign_in_dialog_submit_token (dialog, pasted);
  id = wait_for_dialog (dialog);
  g_assert_cmpint (id, >, 0);
  token = lookup_token (id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, made);
  g_assert_nonnull (strstr (row_subtitle (f, 0), "· Connected"));
  browser_clear (&b);
}

static void
test_cross_link_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WcAccount) personal = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autofree char *handle = g_strdup_printf ("@alice@%s", f->host);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonArray) tokens = NULL;
  WcSignInDialog *dialog;
  const char *message;
  Browser b = { .user = "alice", .follow = TRUE };

  /* alice is the doctor's personal account already. */
  wc_account_set_handle (personal, handle);
  wc_account_set_server (personal, f->base);
  g_assert_true (wc_store_add_account (f->store, personal, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_application_get_active_identity (f->app), ==, WC_IDENTITY_PROFESSIONAL);

  dialog = open_sign_in (f);
  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));
  g_assert_cmpint (wait_for_dialog (dialog), ==, -1);
  browser_clear (&b);

  message = wc_sign_in_dialog_get_error (dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "cannot belong to both identities"));
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);

  /* The token made for this sign-in is withdrawn on the server, and is not
   * kept for the personal account either. */
  tokens = wc_mastodon_server_dup_tokens (f->server);
  g_assert_cmpuint (json_array_get_length (tokens), ==, 1);
  wait_until_revoked (f, json_object_get_string_member (json_array_get_object_element (tokens, 0),
                                                        "access_token"));
  token = lookup_token (wc_account_get_id (personal), &error);
  g_assert_null (token);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
}

static void
test_connect_described (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WcAccount) described = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcAccount) connected = NULL;
  g_autofree char *handle = g_strdup_printf ("@alice@%s", f->host);
  g_autoptr(GError) error = NULL;
  WcSignInDialog *dialog;
  gint64 id;

  wc_account_set_handle (described, handle);
  wc_account_set_server (described, f->base);
  wc_account_set_display_name (described, "Dr Alice");
  g_assert_true (wc_store_add_account (f->store, described, &error));
  wc_application_notify_accounts_changed (f->app);
  g_assert_nonnull (strstr (row_subtitle (f, 0), "· Not connected"));

  /* Signed in as someone else: refused, and the described account stays
   * as it was. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.connect", "x", wc_account_get_id (described));
  dialog = wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_cmpint (sign_in_loopback (f, dialog, "bob"), ==, -1);
  g_assert_nonnull (strstr (wc_sign_in_dialog_get_error (dialog), "but this account is"));
  {
    g_autoptr(JsonArray) tokens = wc_mastodon_server_dup_tokens (f->server);

    g_assert_cmpuint (json_array_get_length (tokens), ==, 1);
    wait_until_revoked (f, json_object_get_string_member (json_array_get_object_element (tokens, 0),
                                                          "access_token"));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.connect", "x", wc_account_get_id (described));
  dialog = wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG);
  wc_sign_in_dialog_set_server (dialog, f->base);
  id = sign_in_loopback (f, dialog, "alice");
  g_assert_cmpint (id, ==, wc_account_get_id (described));

  connected = wc_store_get_account (f->store, id, &error);
  g_assert_true (wc_account_is_connected (connected));
  g_assert_cmpstr (wc_account_get_display_name (connected), ==, "Dr Alice");
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (f->view), ==, 1);
  g_assert_nonnull (strstr (row_subtitle (f, 0), "· Connected"));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  Browser b = { .user = "alice", .follow = FALSE };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *location_copy = NULL;
  const char *location;
  WcSignInDialog *dialog;

  dialog = open_sign_in (f);
  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));
  while (b.authorize_url == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The user cancels while the browser is open. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wc_test_ui_wait (100);
  g_assert_null (wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG));

  /* The browser comes back too late: the listener is gone, nothing is
   * stored. */
  url = g_strconcat (b.authorize_url, "&test_user=alice", NULL);
  msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  location_copy = g_strdup (location);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  msg = soup_message_new ("GET", location_copy);
  g_assert_nonnull (msg);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_nonnull (error);
  wc_test_ui_wait (100);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  browser_clear (&b);
}

/* Closing the dialog while the token is being stored (Escape during the
 * keyring's unlock prompt): nothing is kept — no row, no keyring item, and
 * the token is withdrawn on the server; no critical on the way. */
static void
test_cancel_while_storing (Fixture       *f,
                           gconstpointer  data)
{
  Browser b = { .user = "alice", .follow = TRUE };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  wc_sign_in_dialog_set_uri_opener (dialog, open_in_browser, &b);
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_true (wc_sign_in_dialog_start (dialog));

  /* The token is exchanged and the row written; the keyring has not
   * answered yet (its answer needs another turn of the main loop). */
  while (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (wc_sign_in_dialog_get_page (dialog), ==, "working");
  g_assert_cmpuint (count_tokens (f, FALSE), ==, 1);
  accounts = wc_store_list_all_accounts (f->store, NULL);
  g_assert_cmpuint (accounts->len, ==, 1);
  id = wc_account_get_id (g_ptr_array_index (accounts, 0));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wc_test_ui_iterate ();
  g_assert_null (dialog);

  /* The token is withdrawn on the server, the row is gone, the keyring
   * holds nothing for it. */
  while (count_tokens (f, FALSE) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      wc_test_ui_wait (20);
    }
  g_assert_cmpuint (count_tokens (f, TRUE), ==, 1);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  wc_test_ui_wait (100);
  token = lookup_token (id, &error);
  g_assert_null (token);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_assert_true (wc_accounts_view_is_empty_state (f->view));
  browser_clear (&b);
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
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
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

static void
test_remove_revokes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *gone = NULL;
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  id = sign_in_loopback (f, dialog, "alice");
  g_assert_cmpint (id, >, 0);
  token = lookup_token (id, &error);
  g_assert_no_error (error);

  remove_through_view (f, id);
  g_assert_cmpint (token_state (f, token), ==, 1);
  g_assert_cmpuint (count_tokens (f, FALSE), ==, 0);
  gone = lookup_token (id, &error);
  g_assert_null (gone);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_true (wc_accounts_view_is_empty_state (f->view));
}

static void
test_remove_unreachable (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *gone = NULL;
  WcSignInDialog *dialog;
  gint64 id;

  dialog = open_sign_in (f);
  id = sign_in_loopback (f, dialog, "alice");
  g_assert_cmpint (id, >, 0);
  token = lookup_token (id, &error);
  g_assert_no_error (error);

  /* The server is down: the account goes all the same, and its secrets. */
  wc_mastodon_server_stop (f->server);
  remove_through_view (f, id);
  gone = lookup_token (id, &error);
  g_assert_null (gone);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_cmpint (token_state (f, token), ==, 0);   /* the server never heard */
}

static void
test_describe_then_sign_in (Fixture       *f,
                            gconstpointer  data)
{
  WcAccountDialog *describe;
  WcSignInDialog *dialog;
  g_autofree char *handle = g_strdup_printf ("@alice@%s", f->host);

  /* "Add Account" with Mastodon chosen offers to sign in instead, and
   * takes the address typed so far along. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "accounts.add", NULL);
  describe = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
  g_assert_nonnull (describe);
  wc_account_dialog_set_network (describe, "mastodon");
  wc_account_dialog_set_field (describe, WC_ACCOUNT_ERROR_HANDLE, handle);
  gtk_widget_activate_action (GTK_WIDGET (describe), "dialog.sign-in", NULL);
  wc_test_ui_iterate ();
  g_assert_null (wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG));
  dialog = wc_test_ui_find_toplevel (WC_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);

  /* "@alice@127.0.0.1" names the server by its host: this test server
   * listens on another port, so sign in at its address. */
  wc_sign_in_dialog_set_server (dialog, f->base);
  g_assert_cmpint (sign_in_loopback (f, dialog, "alice"), >, 0);
  g_assert_cmpuint (wc_store_count_accounts (f->store, WC_IDENTITY_PROFESSIONAL), ==, 1);
}

static void
on_unlock_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  int *answer = user_data;
  g_autoptr(GError) error = NULL;

  *answer = wc_unlock_warning_run_finish (result, &error) ? 1 : 0;
  g_assert_no_error (error);
}

static void
test_unlock_warning (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AdwMessageDialog *warning;
  int answer = -1;

  wc_account_set_handle (account, "@anna@med.example");

  /* Unlocking is the destructive answer, and says what happens to the
   * people who are waiting. */
  wc_unlock_warning_run_async (GTK_WINDOW (f->window), account, 3, NULL, on_unlock_answer, &answer);
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (warning), "accepts every follow request"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (warning), "3 people"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (warning), ==, WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (warning, WC_UNLOCK_WARNING_RESPONSE_UNLOCK),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (warning, WC_UNLOCK_WARNING_RESPONSE_UNLOCK);
  wc_test_ui_iterate ();
  g_assert_cmpint (answer, ==, 1);
  wc_test_ui_destroy_toplevels ();

  /* Keeping it locked, and closing from the caller, are both "no". */
  answer = -1;
  wc_unlock_warning_run_async (NULL, account, -1, NULL, on_unlock_answer, &answer);
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (warning, WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  wc_test_ui_iterate ();
  g_assert_cmpint (answer, ==, 0);

  answer = -1;
  wc_unlock_warning_run_async (NULL, account, 0, cancellable, on_unlock_answer, &answer);
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_object_add_weak_pointer (G_OBJECT (warning), (gpointer *) &warning);
  g_cancellable_cancel (cancellable);
  wc_test_ui_iterate ();
  g_assert_cmpint (answer, ==, 0);
  /* Closed by the cancellable, the dialog is not kept alive by it. */
  wc_test_ui_wait (50);
  g_assert_null (warning);

  /* Answered while the caller's cancellable lives on (a walkthrough that
   * stays open): the warning gives the cancellable back and goes. */
  {
    g_autoptr(GCancellable) long_lived = g_cancellable_new ();

    answer = -1;
    wc_unlock_warning_run_async (NULL, account, 0, long_lived, on_unlock_answer, &answer);
    warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_object_add_weak_pointer (G_OBJECT (warning), (gpointer *) &warning);
    adw_message_dialog_response (warning, WC_UNLOCK_WARNING_RESPONSE_UNLOCK);
    wc_test_ui_iterate ();
    g_assert_cmpint (answer, ==, 1);
    wc_test_ui_destroy_toplevels ();
    wc_test_ui_wait (50);
    g_assert_null (warning);
    /* Cancelling later reaches nothing: no second answer. */
    answer = -1;
    g_cancellable_cancel (long_lived);
    wc_test_ui_iterate ();
    g_assert_cmpint (answer, ==, -1);
  }
}

/* The walkthrough is closed while it asks whether to unlock: the warning
 * goes with it as "keep locked", and the answer that still arrives leaves
 * the closed walkthrough alone — nothing is sent, no critical. */
static void
test_walkthrough_closed_during_unlock_warning (Fixture       *f,
                                               gconstpointer  data)
{
  WcMastodonUser carol = { 0 };
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *token = NULL;
  g_autofree char *handle = g_strdup_printf ("@carol@%s", f->host);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  WcWalkthroughDialog *walkthrough;
  AdwMessageDialog *warning;

  carol.username = "carol";
  carol.locked = TRUE;
  carol.privacy = "public";
  g_free (wc_mastodon_server_add_user_full (f->server, &carol));
  wc_mastodon_server_add_follow_requests (f->server, "carol", 2);
  token = wc_mastodon_server_create_token (f->server, "carol", WC_MASTODON_SCOPES);
  wc_account_set_handle (account, handle);
  wc_account_set_server (account, f->base);
  wc_account_set_connected_at (account, 1780000000);
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  wc_keyring_store_async (wc_account_get_id (account), WC_SECRET_ACCESS_TOKEN, "Whitecoat test token",
                          token, NULL, store_result, &stored);
  while (stored == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wc_keyring_store_finish (stored, &error));
  g_assert_no_error (error);

  g_ptr_array_add (accounts, account);
  walkthrough = wc_walkthrough_dialog_new (f->app, GTK_WINDOW (f->window), accounts, NULL);
  gtk_window_present (GTK_WINDOW (walkthrough));
  g_object_add_weak_pointer (G_OBJECT (walkthrough), (gpointer *) &walkthrough);
  wc_test_ui_iterate ();
  while (wc_walkthrough_dialog_get_busy (walkthrough))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (wc_walkthrough_dialog_get_step_id (walkthrough), ==, "locked");

  gtk_widget_activate_action (GTK_WIDGET (walkthrough), "walkthrough.apply", NULL);
  wc_test_ui_iterate ();
  warning = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (warning);
  g_object_add_weak_pointer (G_OBJECT (warning), (gpointer *) &warning);

  /* The answer holds the walkthrough, so destroying the window alone does
   * not dispose it; dispose it as the application's teardown does. */
  gtk_window_destroy (GTK_WINDOW (walkthrough));
  g_object_run_dispose (G_OBJECT (walkthrough));
  wc_test_ui_wait (200);
  g_assert_null (warning);
  g_assert_null (walkthrough);
  state = wc_mastodon_server_dup_account (f->server, "carol");
  g_assert_true (json_object_get_boolean_member (state, "locked"));
  g_assert_cmpuint (wc_mastodon_server_get_follow_request_count (f->server, "carol"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/sign-in/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("loopback", test_loopback);
  ADD ("out-of-band", test_out_of_band);
  ADD ("pasted-token", test_pasted_token);
  ADD ("cross-link-refused", test_cross_link_refused);
  ADD ("connect-described", test_connect_described);
  ADD ("cancel", test_cancel);
  ADD ("cancel-while-storing", test_cancel_while_storing);
  ADD ("remove-revokes", test_remove_revokes);
  ADD ("remove-unreachable", test_remove_unreachable);
  ADD ("describe-then-sign-in", test_describe_then_sign_in);
  ADD ("unlock-warning", test_unlock_warning);
  ADD ("walkthrough-closed-during-unlock-warning", test_walkthrough_closed_during_unlock_warning);

#undef ADD

  return g_test_run ();
}
