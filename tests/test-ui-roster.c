/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wc-roster-page.h"
#include "wc-test-ui.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
};

typedef struct
{
  WcApplication *app;
  WcHasher      *hasher;
  WcStore       *store;
  GtkWindow     *window;
  WcRosterPage  *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = wc_test_ui_create_app ();
  fixture->hasher = wc_hasher_new (test_key, sizeof test_key);
  wc_application_set_hasher (fixture->app, fixture->hasher);
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);

  fixture->window = GTK_WINDOW (adw_preferences_window_new ());
  fixture->page = WC_ROSTER_PAGE (wc_roster_page_new (fixture->app));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (fixture->window), ADW_PREFERENCES_PAGE (fixture->page));
  gtk_window_present (fixture->window);
  wc_test_ui_iterate ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wc_test_ui_destroy_toplevels ();
  g_clear_pointer (&fixture->hasher, wc_hasher_unref);
  g_clear_object (&fixture->app);
}

static guint
count_all (Fixture *fixture)
{
  return wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_NAME)
         + wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_HANDLE)
         + wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_EMAIL);
}

static GFile *
write_csv (const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static AdwMessageDialog *
open_and_wait (Fixture *fixture,
               GFile   *file)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  wc_roster_page_open_file (fixture->page, file);
  while (wc_roster_page_get_preview (fixture->page) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  wc_test_ui_iterate ();
  return ADW_MESSAGE_DIALOG (wc_roster_page_get_preview (fixture->page));
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
dup_dialog_text (AdwMessageDialog *dialog)
{
  GString *text = g_string_new (adw_message_dialog_get_heading (dialog));

  g_string_append_c (text, '\n');
  g_string_append (text, adw_message_dialog_get_body (dialog));
  g_string_append_c (text, '\n');
  collect_text (adw_message_dialog_get_extra_child (dialog), text);
  return g_string_free (text, FALSE);
}

/* A bad row: its line number is shown, Import is off, and even a forced
 * response imports nothing. */
static void
test_import_bad_row (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv ("bad-roster.csv",
                                     "name,handle,e-mail\n"
                                     "Anna Jansen,@anna@med.example,anna@mail.example\n"
                                     "Piet Bakker,,not an address\n"
                                     "Johanna de Vries,,\n");
  AdwMessageDialog *dialog = open_and_wait (fixture, file);
  g_autofree char *text = dup_dialog_text (dialog);

  g_assert_nonnull (strstr (text, "Nothing Can Be Imported Yet"));
  g_assert_nonnull (strstr (text, "Line 3: the e-mail address is not valid."));
  /* The good rows are previewed, shortened. */
  g_assert_nonnull (strstr (text, "A… J… · @a…@med.example · a…@mail.example"));
  g_assert_null (strstr (text, "Anna Jansen"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "import"));

  adw_message_dialog_response (dialog, "import");
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_all (fixture), ==, 0);
  g_assert_cmpstr (wc_roster_page_get_counts_text (fixture->page), ==, "Nothing: the roster is empty.");
}

/* A good file: previewed, then imported whole; the count follows. */
static void
test_import_good_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv ("good-roster.csv",
                                     "Anna Jansen,@anna@med.example,anna@mail.example\n"
                                     "Johanna de Vries,,\n"
                                     ",@piet@social.example,\n");
  AdwMessageDialog *dialog = open_and_wait (fixture, file);
  g_autofree char *text = dup_dialog_text (dialog);
  g_autofree char *hash = NULL;
  GtkWidget *check;

  g_assert_nonnull (strstr (text, "Import 3 Entries?"));
  g_assert_nonnull (strstr (text, "Line 2"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "import"));

  adw_message_dialog_response (dialog, "import");
  wc_test_ui_iterate ();
  g_assert_cmpuint (wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_HANDLE), ==, 2);
  g_assert_cmpuint (wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_EMAIL), ==, 1);
  g_assert_cmpuint (wc_store_count_roster_hashes (fixture->store, WC_ROSTER_KIND_NAME), >, 2);
  g_assert_nonnull (strstr (wc_roster_page_get_counts_text (fixture->page), "2 handles · 1 e-mail address · names in "));

  hash = wc_hasher_hash_handle (fixture->hasher, "piet@social.example");
  g_assert_true (wc_store_roster_contains (fixture->store, WC_ROSTER_KIND_HANDLE, hash));

  /* Shown in full only when asked. */
  dialog = open_and_wait (fixture, file);
  check = gtk_widget_get_last_child (adw_message_dialog_get_extra_child (dialog));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  {
    g_autofree char *full = dup_dialog_text (dialog);

    g_assert_nonnull (strstr (full, "Anna Jansen · @anna@med.example · anna@mail.example"));
  }
  adw_message_dialog_response (dialog, "cancel");
  wc_test_ui_iterate ();
}

static void
type_entry (Fixture    *fixture,
            const char *name,
            const char *handle,
            const char *email)
{
  gtk_editable_set_text (wc_roster_page_get_entry (fixture->page, WC_ROSTER_KIND_NAME), name);
  gtk_editable_set_text (wc_roster_page_get_entry (fixture->page, WC_ROSTER_KIND_HANDLE), handle);
  gtk_editable_set_text (wc_roster_page_get_entry (fixture->page, WC_ROSTER_KIND_EMAIL), email);
}

static guint people_changed;

static void
count_people_changed (void)
{
  people_changed++;
}

/* One entry in, the same entry out; a typo removes nothing. */
static void
test_single_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *hash = wc_hasher_hash_handle (fixture->hasher, "@kees@social.example");

  people_changed = 0;
  g_signal_connect (fixture->app, "people-changed", G_CALLBACK (count_people_changed), NULL);

  type_entry (fixture, "Kees van Dam", "@kees@social.example", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.add", NULL));
  g_assert_true (wc_store_roster_contains (fixture->store, WC_ROSTER_KIND_HANDLE, hash));
  g_assert_cmpuint (people_changed, ==, 1);
  /* The entries are emptied: nothing lingers on screen. */
  g_assert_cmpstr (gtk_editable_get_text (wc_roster_page_get_entry (fixture->page, WC_ROSTER_KIND_NAME)), ==, "");
  g_assert_nonnull (strstr (wc_roster_page_get_counts_text (fixture->page), "1 handle · 0 e-mail addresses"));

  /* Typed differently: not found, nothing removed. */
  type_entry (fixture, "", "@kees@other.example", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.remove", NULL));
  g_assert_true (wc_store_roster_contains (fixture->store, WC_ROSTER_KIND_HANDLE, hash));
  g_assert_cmpuint (people_changed, ==, 1);

  /* Typed again, in another form of the same handle. */
  type_entry (fixture, "Kees van Dam", "https://social.example/@kees", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.remove", NULL));
  g_assert_false (wc_store_roster_contains (fixture->store, WC_ROSTER_KIND_HANDLE, hash));
  g_assert_cmpuint (count_all (fixture), ==, 0);
  g_assert_cmpuint (people_changed, ==, 2);

  /* Nothing typed: said in words, nothing stored. */
  type_entry (fixture, "", "", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.add", NULL));
  g_assert_cmpuint (count_all (fixture), ==, 0);
}

static void
test_forget (Fixture       *fixture,
             gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_roster_add_entry (fixture->store, fixture->hasher, "Anna Jansen", "@anna@med.example",
                                      "anna@mail.example", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_all (fixture), >, 0);

  /* Cancelled: kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.forget", NULL));
  wc_test_ui_iterate ();
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_all (fixture), >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roster.forget", NULL));
  wc_test_ui_iterate ();
  dialog = wc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "forget");
  wc_test_ui_iterate ();
  g_assert_cmpuint (count_all (fixture), ==, 0);
  g_assert_cmpstr (wc_roster_page_get_counts_text (fixture->page), ==, "Nothing: the roster is empty.");
}

/* Without the keyring's key nothing can be added, and the page says why. */
static void
test_without_hasher (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcRosterPage *page = WC_ROSTER_PAGE (wc_roster_page_new (app));
  GtkWindow *window = GTK_WINDOW (adw_preferences_window_new ());
  g_autoptr(WcHasher) hasher = wc_hasher_new (test_key, sizeof test_key);

  /* The page asks the keyring for the key at once; its answer can only
   * arrive when the main loop runs, so until then there is no key. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (window);
  g_assert_null (wc_application_get_hasher (app));
  gtk_editable_set_text (wc_roster_page_get_entry (page, WC_ROSTER_KIND_NAME), "Anna Jansen");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "roster.add", NULL)
                  && wc_store_count_roster_hashes (wc_application_get_store (app), WC_ROSTER_KIND_NAME) > 0);
  g_assert_cmpuint (wc_store_count_roster_hashes (wc_application_get_store (app), WC_ROSTER_KIND_NAME), ==, 0);

  /* The key arrives: the page works. */
  wc_application_set_hasher (app, hasher);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "roster.add", NULL));
  g_assert_cmpuint (wc_store_count_roster_hashes (wc_application_get_store (app), WC_ROSTER_KIND_NAME), >, 0);

  wc_test_ui_destroy_toplevels ();
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/roster/import-bad-row", Fixture, NULL, fixture_set_up, test_import_bad_row, fixture_tear_down);
  g_test_add ("/ui/roster/import-good-file", Fixture, NULL, fixture_set_up, test_import_good_file, fixture_tear_down);
  g_test_add ("/ui/roster/single-entry", Fixture, NULL, fixture_set_up, test_single_entry, fixture_tear_down);
  g_test_add ("/ui/roster/forget", Fixture, NULL, fixture_set_up, test_forget, fixture_tear_down);
  g_test_add_func ("/ui/roster/without-hasher", test_without_hasher);

  return g_test_run ();
}
