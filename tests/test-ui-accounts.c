/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-account-dialog.h"
#include "wc-accounts-view.h"
#include "wc-application.h"
#include "wc-test-ui.h"
#include "wc-window.h"

typedef struct
{
  WcApplication  *app;
  WcWindow       *window;
  WcAccountsView *view;
  WcStore        *store;
} Fixture;

/* See test-ui-window.c: registered, never run, an id of its own. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n_apps;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++n_apps);

  fixture->app = g_object_new (WC_TYPE_APPLICATION,
                               "application-id", id,
                               "resource-base-path", "/io/github/whitecoat/Whitecoat",
                               "flags", G_APPLICATION_NON_UNIQUE,
                               NULL);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  wc_test_ui_reset_settings (wc_application_get_settings (fixture->app));

  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  g_assert_null (wc_application_get_moved_aside_path (fixture->app));

  fixture->window = wc_window_new (fixture->app);
  fixture->view = WC_ACCOUNTS_VIEW (wc_window_get_accounts_view (fixture->window));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wc_test_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  wc_test_ui_iterate ();

  g_clear_object (&fixture->app);
}

static guint
count_accounts (Fixture        *fixture,
                WcIdentityKind  kind)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = wc_store_list_accounts (fixture->store, kind, &error);
  g_assert_no_error (error);

  return accounts->len;
}

static WcAccountDialog *
open_dialog (Fixture        *fixture,
             WcIdentityKind  kind)
{
  WcAccountDialog *dialog;

  dialog = wc_account_dialog_new (fixture->app, GTK_WINDOW (fixture->window), kind, NULL);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
on_saved (WcAccountDialog *dialog,
          WcAccount       *account,
          gpointer         user_data)
{
  WcAccount **out = user_data;

  g_set_object (out, account);
}

static void
test_add_account (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WcAccount) saved = NULL;
  WcAccountDialog *dialog;

  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 0);
  g_assert_true (wc_accounts_view_is_empty_state (fixture->view));

  /* The view's "Add Account" opens the dialog for the active identity. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "accounts.add", NULL);
  dialog = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (wc_account_dialog_get_identity (dialog), ==, WC_IDENTITY_PROFESSIONAL);
  g_assert_false (wc_account_dialog_is_editing (dialog));

  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), &saved);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  wc_account_dialog_set_network (dialog, "mastodon");
  g_assert_true (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_SERVER));
  g_assert_false (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME));
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, "@Dr_Jansen@med-mastodon.example");
  /* The server follows the handle until the user types one. */
  g_assert_cmpstr (wc_account_dialog_get_field (dialog, WC_ACCOUNT_ERROR_SERVER),
                   ==, "https://med-mastodon.example");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_DISPLAY_NAME, "Dr. Anna Jansen");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_PROFILE_URL,
                              "https://med-mastodon.example/@dr_jansen");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wc_test_ui_iterate ();

  g_assert_null (dialog);
  g_assert_nonnull (saved);
  g_assert_cmpint (wc_account_get_id (saved), >=, 0);
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PERSONAL), ==, 0);

  /* The view follows. */
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 1);
  g_assert_false (wc_accounts_view_is_empty_state (fixture->view));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (wc_accounts_view_get_row (fixture->view, 0))),
                   ==, "Dr. Anna Jansen");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (wc_accounts_view_get_row (fixture->view, 0)),
                            "Mastodon"));
  g_assert_cmpint (wc_accounts_view_get_row_account_id (fixture->view, 0), ==, wc_account_get_id (saved));
}

static void
test_cross_link_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WcAccount) expected_account = NULL;
  g_autoptr(GError) expected = NULL;
  g_autoptr(GtkWidget) ref = NULL;
  WcAccountDialog *dialog;

  dialog = open_dialog (fixture, WC_IDENTITY_PROFESSIONAL);
  wc_account_dialog_set_network (dialog, "bluesky");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, "dr-jansen.bsky.social");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);

  /* What the store says about the same account in the other identity. */
  expected_account = wc_account_new (WC_IDENTITY_PERSONAL, "bluesky");
  wc_account_set_handle (expected_account, "dr-jansen.bsky.social");
  g_assert_false (wc_store_add_account (fixture->store, expected_account, &expected));
  g_assert_error (expected, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK);

  /* The same account, typed differently, in the personal identity. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-identity", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "accounts.add", NULL);
  dialog = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (wc_account_dialog_get_identity (dialog), ==, WC_IDENTITY_PERSONAL);
  ref = g_object_ref (GTK_WIDGET (dialog));

  wc_account_dialog_set_network (dialog, "bluesky");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, " Dr-Jansen.bsky.social ");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wc_test_ui_iterate ();

  /* Refused, said at the handle in the store's words, nothing stored. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (wc_account_dialog_get_error (dialog, WC_ACCOUNT_ERROR_HANDLE), ==, expected->message);
  g_assert_nonnull (strstr (expected->message, "cannot belong to both identities"));
  g_assert_null (wc_account_dialog_get_error (dialog, WC_ACCOUNT_ERROR_SERVER));
  g_assert_null (wc_account_dialog_get_general_error (dialog));
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PERSONAL), ==, 0);
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 0);

  /* Typing in the field takes the message away. */
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, "anna.example.org");
  g_assert_null (wc_account_dialog_get_error (dialog, WC_ACCOUNT_ERROR_HANDLE));

  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  g_assert_finalize_object (g_steal_pointer (&ref));
}

typedef struct
{
  const char     *name;
  const char     *network;
  const char     *handle;
  const char     *server;       /* NULL: leave as prefilled */
  const char     *profile_url;
  const char     *display_name; /* "LONG": 10,000 characters */
  const char     *custom_name;
  WcAccountError  field;
} BadInput;

static const BadInput bad_inputs[] = {
  { "empty-handle", "mastodon", "", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "blank-handle", "mastodon", "   \t ", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "blank-handle-facebook", "facebook", "  ", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "mastodon-no-server-in-handle", "mastodon", "dr_jansen", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "mastodon-url-as-handle", "mastodon", "https://mastodon.social/@dr_jansen", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "bluesky-no-domain", "bluesky", "jansen", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "bluesky-with-at-server", "bluesky", "@jansen@bsky.social", NULL, NULL, NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
  { "server-ftp", "mastodon", "@dr_jansen@med.example", "ftp://med.example", NULL, NULL, NULL, WC_ACCOUNT_ERROR_SERVER },
  { "server-javascript", "bluesky", "jansen.bsky.social", "javascript:alert(1)", NULL, NULL, NULL, WC_ACCOUNT_ERROR_SERVER },
  { "profile-url-not-http", "facebook", "anna.jansen", NULL, "file:///etc/passwd", NULL, NULL, WC_ACCOUNT_ERROR_PROFILE_URL },
  { "display-name-10000", "mastodon", "@dr_jansen@med.example", NULL, NULL, "LONG", NULL, WC_ACCOUNT_ERROR_DISPLAY_NAME },
  { "other-without-site", "other", "anna", NULL, NULL, NULL, "  ", WC_ACCOUNT_ERROR_CUSTOM_NAME },
};

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  const BadInput *input = data;
  g_autoptr(GtkWidget) ref = NULL;
  g_autofree char *long_name = NULL;
  WcAccountDialog *dialog;
  const char *message;

  dialog = open_dialog (fixture, WC_IDENTITY_PROFESSIONAL);
  ref = g_object_ref (GTK_WIDGET (dialog));

  g_assert_true (wc_account_dialog_set_network (dialog, input->network));
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, input->handle);
  if (input->server != NULL)
    wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_SERVER, input->server);
  if (input->profile_url != NULL)
    wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_PROFILE_URL, input->profile_url);
  if (g_strcmp0 (input->display_name, "LONG") == 0)
    {
      long_name = g_malloc (10001);
      memset (long_name, 'a', 10000);
      long_name[10000] = '\0';
      wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_DISPLAY_NAME, long_name);
    }
  if (input->custom_name != NULL)
    wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME, input->custom_name);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wc_test_ui_iterate ();

  /* The dialog stays, the message is at the field, and only there. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  for (guint f = WC_ACCOUNT_ERROR_NETWORK; f <= WC_ACCOUNT_ERROR_CUSTOM_NAME; f++)
    {
      message = wc_account_dialog_get_error (dialog, f);
      if (f == input->field)
        {
          g_assert_nonnull (message);
          g_assert_cmpstr (message, !=, "");
          g_test_message ("%s: %s", input->name, message);
        }
      else
        {
          g_assert_null (message);
        }
    }
  g_assert_null (wc_account_dialog_get_general_error (dialog));

  /* Nothing stored, in either identity. */
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PERSONAL), ==, 0);
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  g_assert_finalize_object (g_steal_pointer (&ref));
}

static void
test_fields_per_network (Fixture       *fixture,
                         gconstpointer  data)
{
  WcAccountDialog *dialog = open_dialog (fixture, WC_IDENTITY_PERSONAL);

  g_assert_true (wc_account_dialog_set_network (dialog, "bluesky"));
  g_assert_true (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_SERVER));
  g_assert_cmpstr (wc_account_dialog_get_field (dialog, WC_ACCOUNT_ERROR_SERVER), ==, "https://bsky.social");
  g_assert_false (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME));

  g_assert_true (wc_account_dialog_set_network (dialog, "facebook"));
  g_assert_false (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_SERVER));
  g_assert_false (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME));

  g_assert_true (wc_account_dialog_set_network (dialog, "other"));
  g_assert_true (wc_account_dialog_get_field_visible (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME));

  /* A server the user typed is kept when the handle changes. */
  g_assert_true (wc_account_dialog_set_network (dialog, "mastodon"));
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_SERVER, "https://social.example");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, "@anna@other.example");
  g_assert_cmpstr (wc_account_dialog_get_field (dialog, WC_ACCOUNT_ERROR_SERVER), ==, "https://social.example");

  g_assert_false (wc_account_dialog_set_network (dialog, "no-such-network"));
  g_assert_cmpstr (wc_account_dialog_get_network (dialog), ==, "mastodon");

  /* A custom site with its name is stored. */
  g_assert_true (wc_account_dialog_set_network (dialog, "other"));
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_CUSTOM_NAME, "Doximity");
  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_HANDLE, "anna-jansen");
  g_assert_true (wc_account_dialog_save (dialog));
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PERSONAL), ==, 1);
}

static void
test_view_follows_identity (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *professional = NULL;

  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "linkedin");
  wc_account_set_handle (account, "anna-jansen-md");
  wc_store_add_account (fixture->store, account, &error);
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);

  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 1);
  professional = g_strdup (wc_accounts_view_get_title (fixture->view));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-identity", NULL);
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 0);
  g_assert_true (wc_accounts_view_is_empty_state (fixture->view));
  g_assert_cmpstr (wc_accounts_view_get_title (fixture->view), !=, professional);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-identity", NULL);
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 1);
  g_assert_cmpstr (wc_accounts_view_get_title (fixture->view), ==, professional);
}

static void
test_edit_account (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  WcAccountDialog *dialog;
  gint64 id;

  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_handle (account, "@dr_jansen@med.example");
  wc_store_add_account (fixture->store, account, &error);
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);
  id = wc_accounts_view_get_row_account_id (fixture->view, 0);
  g_assert_cmpint (id, ==, wc_account_get_id (account));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "accounts.edit", "x", id);
  dialog = wc_test_ui_find_toplevel (WC_TYPE_ACCOUNT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (wc_account_dialog_is_editing (dialog));
  g_assert_cmpstr (wc_account_dialog_get_network (dialog), ==, "mastodon");
  g_assert_cmpstr (wc_account_dialog_get_field (dialog, WC_ACCOUNT_ERROR_HANDLE), ==, "@dr_jansen@med.example");
  g_assert_cmpstr (wc_account_dialog_get_field (dialog, WC_ACCOUNT_ERROR_SERVER), ==, "https://med.example");

  wc_account_dialog_set_field (dialog, WC_ACCOUNT_ERROR_DISPLAY_NAME, "Dr. Jansen");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  wc_test_ui_iterate ();

  stored = wc_store_get_account (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_account_get_display_name (stored), ==, "Dr. Jansen");
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (wc_accounts_view_get_row (fixture->view, 0))),
                   ==, "Dr. Jansen");
}

static void
test_remove_account (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *confirm;
  gint64 id;

  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "x");
  wc_account_set_handle (account, "@DrJansen");
  wc_store_add_account (fixture->store, account, &error);
  g_assert_no_error (error);
  wc_application_notify_accounts_changed (fixture->app);
  id = wc_account_get_id (account);

  /* Cancel keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "accounts.remove", "x", id);
  confirm = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "cancel");
  gtk_window_destroy (GTK_WINDOW (confirm));
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 1);

  /* Remove removes it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "accounts.remove", "x", id);
  confirm = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "remove");
  gtk_window_destroy (GTK_WINDOW (confirm));
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_accounts (fixture, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_cmpuint (wc_accounts_view_get_n_accounts (fixture->view), ==, 0);
  g_assert_true (wc_accounts_view_is_empty_state (fixture->view));
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/ui/accounts/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("add", test_add_account, NULL);
  ADD ("cross-link-refused", test_cross_link_refused, NULL);
  ADD ("fields-per-network", test_fields_per_network, NULL);
  ADD ("view-follows-identity", test_view_follows_identity, NULL);
  ADD ("edit", test_edit_account, NULL);
  ADD ("remove", test_remove_account, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/accounts/bad-input/%s", bad_inputs[i].name);

      g_test_add (path, Fixture, &bad_inputs[i], fixture_set_up, test_bad_input, fixture_tear_down);
    }

#undef ADD

  return g_test_run ();
}
