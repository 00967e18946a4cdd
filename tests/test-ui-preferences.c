/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-application.h"
#include "wc-test-ui.h"
#include "wc-identity-editor.h"
#include "wc-keyring.h"
#include "wc-preferences-window.h"

typedef struct
{
  WcApplication       *app;
  WcStore             *store;
  GSettings           *settings;
  WcPreferencesWindow *prefs;
  guint                n_identity_changed;
  guint                n_data_deleted;
} Fixture;

static void
on_identity_changed (WcApplication  *app,
                     WcIdentityKind  kind,
                     Fixture        *fixture)
{
  fixture->n_identity_changed++;
}

static void
on_data_deleted (WcPreferencesWindow *prefs,
                 Fixture             *fixture)
{
  fixture->n_data_deleted++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = wc_test_ui_create_app ();
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  fixture->settings = wc_application_get_settings (fixture->app);
  g_signal_connect (fixture->app, "identity-changed",
                    G_CALLBACK (on_identity_changed), fixture);

  fixture->prefs = wc_preferences_window_new (fixture->app);
  g_object_add_weak_pointer (G_OBJECT (fixture->prefs), (gpointer *) &fixture->prefs);
  g_signal_connect (fixture->prefs, "data-deleted", G_CALLBACK (on_data_deleted), fixture);
  gtk_window_present (GTK_WINDOW (fixture->prefs));
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

  g_assert_null (fixture->prefs);
  g_signal_handlers_disconnect_by_data (fixture->app, fixture);
  g_clear_object (&fixture->app);
}

static GObject *
get_child (Fixture    *fixture,
           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->prefs),
                                                  WC_TYPE_PREFERENCES_WINDOW,
                                                  name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
has_marker (WcIdentity   *identity,
            WcMarkerKind  kind,
            const char   *value)
{
  g_auto(GStrv) values = wc_identity_dup_marker_values (identity, kind);

  return values != NULL && g_strv_contains ((const char * const *) values, value);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->prefs), action, parameter));
  wc_test_ui_iterate ();
}

/* Every page and the identity subpages fit a phone. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  WcIdentityEditor *editor = wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PERSONAL);
  const char *pages[] = { "identities", "duty-hours", "privacy", "data" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->prefs), pages[i]);
      wc_test_ui_iterate ();
      wc_test_ui_assert_fits_width (GTK_WIDGET (fixture->prefs), 360);
    }

  activate (fixture, "prefs.edit-identity", g_variant_new_string ("personal"));
  wc_identity_editor_set_name (editor, "Anna-Katharina van der Jansen-Oosterhuis, called Annie");
  g_assert_true (wc_identity_editor_add_marker (editor, WC_MARKER_DOMAIN,
                                                "anna-katharina-bakes-sourdough-bread.example.org"));
  wc_test_ui_assert_fits_width (GTK_WIDGET (fixture->prefs), 360);
}

static void
test_builds (Fixture       *fixture,
             gconstpointer  data)
{
  g_assert_true (WC_IS_PREFERENCES_WINDOW (fixture->prefs));
  g_assert_true (WC_IS_IDENTITY_EDITOR (wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PERSONAL)));
  g_assert_true (WC_IS_IDENTITY_EDITOR (wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PROFESSIONAL)));

  /* Settings show their defaults. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (get_child (fixture, "duty_start_spin"))), ==, 480);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_child (fixture, "duty_start_spin"))), ==, "08:00");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (get_child (fixture, "duty_end_spin"))), ==, 1080);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (get_child (fixture, "review_interval_spin"))), ==, 180);
}

/* The nth check button inside @widget, depth first. */
static GtkWidget *
find_check_button (GtkWidget *widget,
                   guint      n)
{
  GPtrArray *found = g_ptr_array_new ();
  GPtrArray *stack = g_ptr_array_new ();
  GtkWidget *result = NULL;

  g_ptr_array_add (stack, widget);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
      GPtrArray *children = g_ptr_array_new ();

      if (GTK_IS_CHECK_BUTTON (w))
        g_ptr_array_add (found, w);
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (children, c);
      while (children->len > 0)
        g_ptr_array_add (stack, g_ptr_array_steal_index (children, children->len - 1));
      g_ptr_array_unref (children);
    }

  if (n < found->len)
    result = g_ptr_array_index (found, n);
  g_ptr_array_unref (found);
  g_ptr_array_unref (stack);

  return result;
}

static void
test_duty_hours_and_interval (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkSpinButton *start = GTK_SPIN_BUTTON (get_child (fixture, "duty_start_spin"));
  GtkSpinButton *end = GTK_SPIN_BUTTON (get_child (fixture, "duty_end_spin"));
  GtkSpinButton *interval = GTK_SPIN_BUTTON (get_child (fixture, "review_interval_spin"));
  GtkWidget *saturday;
  g_auto(GStrv) days = NULL;

  gtk_spin_button_set_value (start, 7 * 60 + 30);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "duty-start"), ==, 450);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "07:30");

  /* Typed as a time. */
  gtk_editable_set_text (GTK_EDITABLE (end), "21:15");
  gtk_spin_button_update (end);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "duty-end"), ==, 21 * 60 + 15);
  gtk_editable_set_text (GTK_EDITABLE (end), "1700");
  gtk_spin_button_update (end);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "duty-end"), ==, 17 * 60);

  gtk_spin_button_set_value (interval, 90);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "privacy-review-interval"), ==, 90);

  /* And the other way: a changed setting shows. */
  g_settings_set_uint (fixture->settings, "duty-start", 6 * 60);
  g_assert_cmpfloat (gtk_spin_button_get_value (start), ==, 360);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "06:00");

  /* Days: one row each, Monday first, Saturday sixth. */
  saturday = find_check_button (GTK_WIDGET (get_child (fixture, "days_group")), 5);
  g_assert_nonnull (saturday);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (saturday)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (saturday), TRUE);
  days = g_settings_get_strv (fixture->settings, "duty-days");
  g_assert_true (g_strv_contains ((const char * const *) days, "sat"));
  g_assert_true (g_strv_contains ((const char * const *) days, "mon"));
  g_assert_false (g_strv_contains ((const char * const *) days, "sun"));
}

static void
test_identity_saved_on_back (Fixture       *fixture,
                             gconstpointer  data)
{
  WcIdentityEditor *editor = wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcIdentity) stored = NULL;
  g_autoptr(GError) error = NULL;

  activate (fixture, "prefs.edit-identity", g_variant_new_string ("professional"));
  wc_identity_editor_set_name (editor, "Dr. Anna de Vries");
  g_assert_true (wc_identity_editor_add_marker (editor, WC_MARKER_ORGANISATION, "St Mary’s Hospital"));
  wc_identity_editor_set_pending_marker (editor, WC_MARKER_TITLE, "FRCR");
  g_assert_true (wc_identity_editor_get_modified (editor));

  /* Back saves: nothing typed is lost. */
  activate (fixture, "prefs.close-identity", NULL);
  g_assert_false (wc_identity_editor_get_modified (editor));
  g_assert_cmpuint (fixture->n_identity_changed, ==, 1);
  g_assert_null (wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  stored = wc_store_load_identity (fixture->store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_name (stored), ==, "Dr. Anna de Vries");
  g_assert_true (has_marker (stored, WC_MARKER_ORGANISATION, "St Mary’s Hospital"));
  g_assert_true (has_marker (stored, WC_MARKER_TITLE, "FRCR"));
}

static void
test_identity_saved_on_close (Fixture       *fixture,
                              gconstpointer  data)
{
  WcIdentityEditor *editor = wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PERSONAL);
  g_autoptr(WcIdentity) stored = NULL;

  activate (fixture, "prefs.edit-identity", g_variant_new_string ("personal"));
  g_assert_true (wc_identity_editor_set_color (editor, "#865e3c"));
  g_assert_true (wc_identity_editor_add_marker (editor, WC_MARKER_NICKNAME, "annie"));

  gtk_window_close (GTK_WINDOW (fixture->prefs));
  wc_test_ui_iterate ();
  g_assert_null (fixture->prefs);

  stored = wc_application_dup_identity (fixture->app, WC_IDENTITY_PERSONAL);
  g_assert_cmpstr (wc_identity_get_color (stored), ==, "#865e3c");
  g_assert_true (has_marker (stored, WC_MARKER_NICKNAME, "annie"));
}

static void
test_bad_marker_not_saved (Fixture       *fixture,
                           gconstpointer  data)
{
  WcIdentityEditor *editor = wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcIdentity) stored = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  activate (fixture, "prefs.edit-identity", g_variant_new_string ("professional"));
  wc_identity_editor_set_name (editor, "Dr. D");
  g_assert_false (wc_identity_editor_add_marker (editor, WC_MARKER_REAL_NAME, "!?!"));
  g_assert_nonnull (wc_identity_editor_get_marker_error (editor, WC_MARKER_REAL_NAME));

  /* Save refuses, with the message at the field. */
  wc_identity_editor_set_pending_marker (editor, WC_MARKER_REAL_NAME, ".,;");
  g_assert_false (wc_preferences_window_save_identity (fixture->prefs, WC_IDENTITY_PROFESSIONAL, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER);
  g_assert_nonnull (wc_identity_editor_get_marker_error (editor, WC_MARKER_REAL_NAME));

  /* Back cannot save either: it asks, and Discard drops the edits. */
  activate (fixture, "prefs.close-identity", NULL);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();

  g_assert_false (wc_identity_editor_get_modified (editor));
  g_assert_cmpuint (fixture->n_identity_changed, ==, 0);
  stored = wc_application_dup_identity (fixture->app, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_identity_get_name (stored), ==, wc_identity_kind_get_label (WC_IDENTITY_PROFESSIONAL));
  g_assert_cmpuint (wc_identity_get_markers (stored)->len, ==, 0);
}

typedef struct
{
  GAsyncResult *result;
} Await;

static void
await_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Await *await = user_data;

  await->result = g_object_ref (result);
}

static GAsyncResult *
await_result (Await *await)
{
  while (await->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return await->result;
}

static void
test_delete_all (Fixture       *fixture,
                 gconstpointer  data)
{
  WcIdentityEditor *editor = wc_preferences_window_get_editor (fixture->prefs, WC_IDENTITY_PROFESSIONAL);
  g_autofree char *path = g_strdup (wc_store_get_path (fixture->store));
  g_autoptr(WcStore) old_store = g_object_ref (fixture->store);
  g_autoptr(WcStore) other = NULL;
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(WcCryptoKey) old_key = NULL;
  g_autoptr(WcCryptoKey) new_key = NULL;
  Await stored = { NULL }, looked_up = { NULL }, key_loaded = { NULL };
  AdwMessageDialog *dialog;
  gboolean have_keyring;
  guint64 deadline;

  /* Something in the store and, if there is one, in the keyring. */
  activate (fixture, "prefs.edit-identity", g_variant_new_string ("professional"));
  wc_identity_editor_set_name (editor, "Dr. E");
  g_assert_true (wc_identity_editor_add_marker (editor, WC_MARKER_REAL_NAME, "Erika Example"));
  activate (fixture, "prefs.close-identity", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  have_keyring = g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
  if (have_keyring)
    {
      wc_keyring_store_async (1, WC_SECRET_ACCESS_TOKEN, "Whitecoat test", "not-a-real-token",
                              NULL, await_cb, &stored);
      have_keyring = wc_keyring_store_finish (await_result (&stored), &keyring_error);
      g_clear_object (&stored.result);
      if (!have_keyring)
        g_printerr ("# keyring not usable: %s\n", keyring_error->message);
    }
  if (have_keyring)
    {
      /* The drafts' key, from the keyring. */
      wc_test_ui_unlock_data (fixture->app);
      wc_keyring_load_data_key_async (FALSE, NULL, await_cb, &key_loaded);
      old_key = wc_keyring_load_data_key_finish (await_result (&key_loaded), &error);
      g_clear_object (&key_loaded.result);
      g_assert_no_error (error);
    }

  /* Cancel keeps everything. */
  activate (fixture, "prefs.delete-all", NULL);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->prefs));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  g_assert_cmpuint (fixture->n_data_deleted, ==, 0);
  identity = wc_store_load_identity (fixture->store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_name (identity), ==, "Dr. E");
  g_clear_object (&identity);

  /* Confirmed: the database goes, a fresh one comes. */
  activate (fixture, "prefs.delete-all", NULL);
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (fixture->n_data_deleted == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->n_data_deleted, ==, 1);

  /* The drafts' key went with the keyring items; once they are gone the
   * fresh database gets a new one (never the deleted data's key). */
  if (have_keyring)
    {
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!wc_application_get_data_unlocked (fixture->app) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (wc_application_get_data_unlocked (fixture->app));
      wc_keyring_load_data_key_async (FALSE, NULL, await_cb, &key_loaded);
      new_key = wc_keyring_load_data_key_finish (await_result (&key_loaded), &error);
      g_clear_object (&key_loaded.result);
      g_assert_no_error (error);
      g_assert_false (wc_crypto_key_equal (new_key, old_key));
    }

  /* The old store is closed; the app has a new, empty one at the same place. */
  g_assert_cmpint (wc_store_get_schema_version (old_store), ==, -1);
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  g_assert_true (fixture->store != old_store);
  g_assert_cmpstr (wc_store_get_path (fixture->store), ==, path);

  identity = wc_store_load_identity (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_true (identity == NULL || g_strcmp0 (wc_identity_get_name (identity), "Dr. E") != 0);
  g_assert_true (identity == NULL || wc_identity_get_markers (identity)->len == 0);
  g_clear_object (&identity);

  /* What was deleted is not in the file either. */
  g_clear_object (&old_store);
  wc_store_close (fixture->store);
  other = wc_store_open (path, &error);
  g_assert_no_error (error);
  identity = wc_store_load_identity (other, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_true (identity == NULL || g_strcmp0 (wc_identity_get_name (identity), "Dr. E") != 0);
  g_clear_object (&identity);

  /* The editors show the defaults again. */
  identity = wc_identity_editor_get_identity (editor);
  g_assert_cmpstr (wc_identity_get_name (identity), ==, wc_identity_kind_get_label (WC_IDENTITY_PROFESSIONAL));
  g_assert_cmpuint (wc_identity_get_markers (identity)->len, ==, 0);

  if (!have_keyring)
    {
      g_test_skip ("No Secret Service on this session bus, so the keyring part was not checked; "
                   "build-aux/test starts one");
      return;
    }

  wc_keyring_lookup_async (1, WC_SECRET_ACCESS_TOKEN, NULL, await_cb, &looked_up);
  secret = wc_keyring_lookup_finish (await_result (&looked_up), &error);
  g_clear_object (&looked_up.result);
  g_assert_error (error, WC_KEYRING_ERROR, WC_KEYRING_ERROR_NOT_FOUND);
  g_assert_null (secret);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui/preferences/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("builds", test_builds);
  ADD ("narrow", test_narrow);
  ADD ("duty-hours-and-interval", test_duty_hours_and_interval);
  ADD ("identity-saved-on-back", test_identity_saved_on_back);
  ADD ("identity-saved-on-close", test_identity_saved_on_close);
  ADD ("bad-marker-not-saved", test_bad_marker_not_saved);
  ADD ("delete-all", test_delete_all);

#undef ADD

  return g_test_run ();
}
