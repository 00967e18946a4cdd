/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-application.h"
#include "wc-test-ui.h"
#include "wc-identity-editor.h"
#include "wc-onboarding.h"

typedef struct
{
  WcApplication *app;
  WcStore       *store;
  GtkWindow     *onboarding;
  guint          n_identity_changed;
} Fixture;

static void
on_identity_changed (WcApplication  *app,
                     WcIdentityKind  kind,
                     Fixture        *fixture)
{
  fixture->n_identity_changed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = wc_test_ui_create_app ();
  fixture->store = wc_application_get_store (fixture->app);
  g_assert_nonnull (fixture->store);
  g_signal_connect (fixture->app, "identity-changed",
                    G_CALLBACK (on_identity_changed), fixture);

  fixture->onboarding = wc_onboarding_new (fixture->app, NULL);
  g_object_add_weak_pointer (G_OBJECT (fixture->onboarding), (gpointer *) &fixture->onboarding);
  gtk_window_present (fixture->onboarding);
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

  g_assert_null (fixture->onboarding);
  g_signal_handlers_disconnect_by_data (fixture->app, fixture);
  g_clear_object (&fixture->app);
}

static WcIdentityEditor *
get_editor (Fixture        *fixture,
            WcIdentityKind  kind)
{
  return wc_onboarding_get_editor (WC_ONBOARDING (fixture->onboarding), kind);
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->onboarding), action, NULL));
  wc_test_ui_iterate ();
}

static gboolean
has_marker (WcIdentity   *identity,
            WcMarkerKind  kind,
            const char   *value)
{
  g_auto(GStrv) values = wc_identity_dup_marker_values (identity, kind);

  return values != NULL && g_strv_contains ((const char * const *) values, value);
}

static gboolean
get_onboarding_done (Fixture *fixture)
{
  return g_settings_get_boolean (wc_application_get_settings (fixture->app), "onboarding-done");
}

static void
test_templates_build (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay, *section;
  int minimum = 0;

  for (WcIdentityKind kind = WC_IDENTITY_PERSONAL; kind <= WC_IDENTITY_PROFESSIONAL; kind++)
    {
      GtkWidget *editor = g_object_ref_sink (wc_identity_editor_new (kind));
      g_autoptr(WcIdentity) identity = NULL;

      g_assert_true (WC_IS_IDENTITY_EDITOR (editor));
      g_assert_cmpint (wc_identity_editor_get_kind (WC_IDENTITY_EDITOR (editor)), ==, kind);
      g_assert_false (wc_identity_editor_get_modified (WC_IDENTITY_EDITOR (editor)));

      /* A fresh editor edits the defaults. */
      identity = wc_identity_editor_get_identity (WC_IDENTITY_EDITOR (editor));
      g_assert_cmpstr (wc_identity_get_name (identity), ==, wc_identity_kind_get_label (kind));
      g_assert_cmpstr (wc_identity_get_color (identity), ==, wc_identity_kind_get_default_color (kind));
      g_assert_cmpuint (wc_identity_get_markers (identity)->len, ==, 0);

      g_assert_finalize_object (editor);
    }

  builder = gtk_builder_new_from_resource ("/io/github/whitecoat/Whitecoat/wc-shortcuts-window.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  /* Our shortcuts fit a phone; GtkShortcutsWindow's own search entry
   * (GTK 4.8) is wider than that, which we cannot change. */
  section = gtk_builder_get_object (builder, "shortcuts_section");
  g_assert_true (GTK_IS_SHORTCUTS_SECTION (section));
  gtk_widget_measure (GTK_WIDGET (section), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_onboarding_builds (Fixture       *fixture,
                        gconstpointer  data)
{
  g_assert_true (WC_IS_ONBOARDING (fixture->onboarding));
  g_assert_true (gtk_window_get_modal (fixture->onboarding));
  g_assert_cmpuint (wc_onboarding_get_n_pages (WC_ONBOARDING (fixture->onboarding)), ==, 4);
  g_assert_cmpuint (wc_onboarding_get_page (WC_ONBOARDING (fixture->onboarding)), ==, 0);
  g_assert_nonnull (get_editor (fixture, WC_IDENTITY_PERSONAL));
  g_assert_nonnull (get_editor (fixture, WC_IDENTITY_PROFESSIONAL));
  g_assert_false (get_onboarding_done (fixture));
}

/* Every page fits a phone, also with long markers and a long name. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  WcIdentityEditor *professional = get_editor (fixture, WC_IDENTITY_PROFESSIONAL);

  wc_identity_editor_set_name (professional, "Prof. Dr. Anna-Katharina van der Jansen-Oosterhuis");
  g_assert_true (wc_identity_editor_add_marker (professional, WC_MARKER_ORGANISATION,
                                                "Universitair Medisch Centrum Sint-Radboud-Oosterhuis-Ziekenhuis"));
  g_assert_false (wc_identity_editor_add_marker (professional, WC_MARKER_REAL_NAME, "?!"));

  for (guint i = 0; i < wc_onboarding_get_n_pages (WC_ONBOARDING (fixture->onboarding)); i++)
    {
      wc_test_ui_assert_fits_width (GTK_WIDGET (fixture->onboarding), 360);
      activate (fixture, "onboarding.next");
    }
}

static void
test_sets_up_identities (Fixture       *fixture,
                         gconstpointer  data)
{
  WcIdentityEditor *professional = get_editor (fixture, WC_IDENTITY_PROFESSIONAL);
  WcIdentityEditor *personal = get_editor (fixture, WC_IDENTITY_PERSONAL);
  WcOnboarding *onboarding = WC_ONBOARDING (fixture->onboarding);
  g_autoptr(WcIdentity) stored_professional = NULL;
  g_autoptr(WcIdentity) stored_personal = NULL;
  g_autoptr(GError) error = NULL;

  activate (fixture, "onboarding.next");
  g_assert_cmpuint (wc_onboarding_get_page (onboarding), ==, 1);

  wc_identity_editor_set_name (professional, "Dr. Anna de Vries");
  g_assert_true (wc_identity_editor_set_color (professional, "#9141ac"));
  g_assert_true (wc_identity_editor_add_marker (professional, WC_MARKER_REAL_NAME, "Anna de Vries"));
  g_assert_true (wc_identity_editor_add_marker (professional, WC_MARKER_ORGANISATION, "St Mary’s Hospital"));
  g_assert_true (wc_identity_editor_add_marker (professional, WC_MARKER_DOMAIN, "stmarys.example.org"));
  g_assert_true (wc_identity_editor_add_marker (professional, WC_MARKER_SPECIALTY, "Radiology"));
  g_assert_true (wc_identity_editor_remove_marker (professional, WC_MARKER_SPECIALTY, "Radiology"));
  g_assert_true (wc_identity_editor_get_modified (professional));

  /* The same marker twice is refused at the field. */
  g_assert_false (wc_identity_editor_add_marker (professional, WC_MARKER_REAL_NAME, "anna de vries"));
  g_assert_nonnull (wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME));

  /* The refused text stays in the field, so Next stays on the page... */
  activate (fixture, "onboarding.next");
  g_assert_cmpuint (wc_onboarding_get_page (onboarding), ==, 1);

  /* ...until the field is cleared. */
  wc_identity_editor_set_pending_marker (professional, WC_MARKER_REAL_NAME, "");
  g_assert_null (wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME));
  activate (fixture, "onboarding.next");
  g_assert_cmpuint (wc_onboarding_get_page (onboarding), ==, 2);

  wc_identity_editor_set_name (personal, "Anna");
  g_assert_true (wc_identity_editor_set_color (personal, "#E66100"));
  g_assert_true (wc_identity_editor_add_marker (personal, WC_MARKER_NICKNAME, "annie"));
  /* Typed but not added with Enter: Start must not lose it. */
  wc_identity_editor_set_pending_marker (personal, WC_MARKER_FAMILY_NAME, "  Jansen ");

  activate (fixture, "onboarding.next");
  g_assert_cmpuint (wc_onboarding_get_page (onboarding), ==, 3);

  /* Nothing is stored before Start. */
  stored_professional = wc_store_load_identity (fixture->store, WC_IDENTITY_PROFESSIONAL, NULL);
  g_assert_true (stored_professional == NULL ||
                 g_strcmp0 (wc_identity_get_name (stored_professional), "Dr. Anna de Vries") != 0);
  g_clear_object (&stored_professional);

  activate (fixture, "onboarding.start");
  g_assert_null (fixture->onboarding);
  g_assert_true (get_onboarding_done (fixture));
  g_assert_cmpuint (fixture->n_identity_changed, ==, 2);

  stored_professional = wc_store_load_identity (fixture->store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_name (stored_professional), ==, "Dr. Anna de Vries");
  g_assert_cmpstr (wc_identity_get_color (stored_professional), ==, "#9141ac");
  g_assert_true (has_marker (stored_professional, WC_MARKER_REAL_NAME, "Anna de Vries"));
  g_assert_true (has_marker (stored_professional, WC_MARKER_ORGANISATION, "St Mary’s Hospital"));
  g_assert_true (has_marker (stored_professional, WC_MARKER_DOMAIN, "stmarys.example.org"));
  g_assert_false (has_marker (stored_professional, WC_MARKER_SPECIALTY, "Radiology"));
  g_assert_cmpuint (wc_identity_get_markers (stored_professional)->len, ==, 3);

  stored_personal = wc_store_load_identity (fixture->store, WC_IDENTITY_PERSONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_name (stored_personal), ==, "Anna");
  g_assert_cmpstr (wc_identity_get_color (stored_personal), ==, "#e66100");
  g_assert_true (has_marker (stored_personal, WC_MARKER_NICKNAME, "annie"));
  g_assert_true (has_marker (stored_personal, WC_MARKER_FAMILY_NAME, "Jansen"));
  g_assert_cmpuint (wc_identity_get_markers (stored_personal)->len, ==, 2);
}

static void
test_onboarding_edits_stored_identity (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcIdentity) edited = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *second;

  wc_identity_set_name (identity, "Dr. B");
  wc_identity_add_marker (identity, WC_MARKER_TITLE, "FRCR");
  g_assert_true (wc_store_save_identity (fixture->store, identity, &error));
  g_assert_no_error (error);

  second = wc_onboarding_new (fixture->app, NULL);
  edited = wc_identity_editor_get_identity (wc_onboarding_get_editor (WC_ONBOARDING (second),
                                                                      WC_IDENTITY_PROFESSIONAL));
  g_assert_cmpstr (wc_identity_get_name (edited), ==, "Dr. B");
  g_assert_true (has_marker (edited, WC_MARKER_TITLE, "FRCR"));
  gtk_window_destroy (second);
}

static void
test_skip_keeps_defaults (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(WcIdentity) professional = NULL;
  g_autoptr(WcIdentity) personal = NULL;

  activate (fixture, "onboarding.next");
  wc_identity_editor_set_name (get_editor (fixture, WC_IDENTITY_PROFESSIONAL), "Not saved");
  g_assert_true (wc_identity_editor_add_marker (get_editor (fixture, WC_IDENTITY_PROFESSIONAL),
                                                WC_MARKER_REAL_NAME, "Not Saved Either"));

  activate (fixture, "onboarding.skip");
  g_assert_null (fixture->onboarding);
  g_assert_true (get_onboarding_done (fixture));
  g_assert_cmpuint (fixture->n_identity_changed, ==, 0);

  professional = wc_application_dup_identity (fixture->app, WC_IDENTITY_PROFESSIONAL);
  personal = wc_application_dup_identity (fixture->app, WC_IDENTITY_PERSONAL);
  g_assert_cmpstr (wc_identity_get_name (professional), ==, wc_identity_kind_get_label (WC_IDENTITY_PROFESSIONAL));
  g_assert_cmpstr (wc_identity_get_color (professional), ==, wc_identity_kind_get_default_color (WC_IDENTITY_PROFESSIONAL));
  g_assert_cmpuint (wc_identity_get_markers (professional)->len, ==, 0);
  g_assert_cmpstr (wc_identity_get_name (personal), ==, wc_identity_kind_get_label (WC_IDENTITY_PERSONAL));
  g_assert_cmpstr (wc_identity_get_color (personal), ==, wc_identity_kind_get_default_color (WC_IDENTITY_PERSONAL));
  g_assert_cmpuint (wc_identity_get_markers (personal)->len, ==, 0);
}

static void
test_close_counts_as_skip (Fixture       *fixture,
                           gconstpointer  data)
{
  gtk_window_close (fixture->onboarding);
  wc_test_ui_iterate ();
  g_assert_null (fixture->onboarding);
  g_assert_true (get_onboarding_done (fixture));
}

static const struct
{
  const char *name;
  const char *value;
} bad_markers[] = {
  { "punctuation", "?!…" },
  { "blank", "   " },
  { "too-long", NULL },   /* 10,000 characters, made in the test */
};

static void
test_bad_marker_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *name = data;
  WcIdentityEditor *professional = get_editor (fixture, WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcIdentity) edited = NULL;
  g_autoptr(WcIdentity) stored = NULL;
  g_autofree char *long_value = NULL;
  const char *value = NULL;
  const char *message;

  for (guint i = 0; i < G_N_ELEMENTS (bad_markers); i++)
    if (g_str_equal (bad_markers[i].name, name))
      value = bad_markers[i].value;
  if (value == NULL)
    value = long_value = g_strnfill (10000, 'a');

  activate (fixture, "onboarding.next");

  /* Enter in the field: refused with a message there. */
  g_assert_false (wc_identity_editor_add_marker (professional, WC_MARKER_REAL_NAME, value));
  message = wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_assert_null (wc_identity_editor_get_marker_error (professional, WC_MARKER_TITLE));
  edited = wc_identity_editor_get_identity (professional);
  g_assert_cmpuint (wc_identity_get_markers (edited)->len, ==, 0);

  /* Typing again clears the message. */
  wc_identity_editor_set_pending_marker (professional, WC_MARKER_REAL_NAME, "Anna");
  g_assert_null (wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME));

  if (g_str_equal (name, "blank"))
    return;   /* blank text left in the field is simply ignored by Start */

  /* Left in the field: Next stays on the page and shows the message;
   * Start goes back to the page, shows it and stores nothing. */
  wc_identity_editor_set_name (professional, "Dr. C");
  wc_identity_editor_set_pending_marker (professional, WC_MARKER_REAL_NAME, value);
  activate (fixture, "onboarding.next");
  g_assert_cmpuint (wc_onboarding_get_page (WC_ONBOARDING (fixture->onboarding)), ==, 1);
  g_assert_nonnull (wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME));

  activate (fixture, "onboarding.back");
  g_assert_cmpuint (wc_onboarding_get_page (WC_ONBOARDING (fixture->onboarding)), ==, 0);
  activate (fixture, "onboarding.start");
  g_assert_nonnull (fixture->onboarding);
  g_assert_cmpuint (wc_onboarding_get_page (WC_ONBOARDING (fixture->onboarding)), ==, 1);
  g_assert_nonnull (wc_identity_editor_get_marker_error (professional, WC_MARKER_REAL_NAME));
  g_assert_false (get_onboarding_done (fixture));
  g_assert_cmpuint (fixture->n_identity_changed, ==, 0);

  stored = wc_application_dup_identity (fixture->app, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_identity_get_name (stored), !=, "Dr. C");
  g_assert_cmpuint (wc_identity_get_markers (stored)->len, ==, 0);
}

static void
test_blank_name_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  WcIdentityEditor *personal = get_editor (fixture, WC_IDENTITY_PERSONAL);
  g_autoptr(WcIdentity) stored = NULL;

  wc_identity_editor_set_name (personal, "   ");
  activate (fixture, "onboarding.start");
  g_assert_nonnull (fixture->onboarding);
  g_assert_cmpuint (wc_onboarding_get_page (WC_ONBOARDING (fixture->onboarding)), ==, 2);
  g_assert_nonnull (wc_identity_editor_get_name_error (personal));
  g_assert_false (get_onboarding_done (fixture));

  stored = wc_application_dup_identity (fixture->app, WC_IDENTITY_PERSONAL);
  g_assert_cmpstr (wc_identity_get_name (stored), ==, wc_identity_kind_get_label (WC_IDENTITY_PERSONAL));

  wc_identity_editor_set_name (personal, "Anna");
  g_assert_null (wc_identity_editor_get_name_error (personal));
}

static void
test_bad_color_refused (void)
{
  GtkWidget *editor = g_object_ref_sink (wc_identity_editor_new (WC_IDENTITY_PERSONAL));
  g_autoptr(WcIdentity) identity = NULL;

  g_assert_false (wc_identity_editor_set_color (WC_IDENTITY_EDITOR (editor), "green"));
  g_assert_nonnull (wc_identity_editor_get_color_error (WC_IDENTITY_EDITOR (editor)));
  identity = wc_identity_editor_get_identity (WC_IDENTITY_EDITOR (editor));
  g_assert_cmpstr (wc_identity_get_color (identity), ==, wc_identity_kind_get_default_color (WC_IDENTITY_PERSONAL));

  g_assert_true (wc_identity_editor_set_color (WC_IDENTITY_EDITOR (editor), "#2190a4"));
  g_assert_null (wc_identity_editor_get_color_error (WC_IDENTITY_EDITOR (editor)));

  g_clear_object (&identity);
  g_assert_finalize_object (editor);
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/ui/onboarding/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/ui/onboarding/templates-build", test_templates_build);
  g_test_add_func ("/ui/onboarding/bad-color-refused", test_bad_color_refused);
  ADD ("builds", test_onboarding_builds, NULL);
  ADD ("narrow", test_narrow, NULL);
  ADD ("sets-up-identities", test_sets_up_identities, NULL);
  ADD ("edits-stored-identity", test_onboarding_edits_stored_identity, NULL);
  ADD ("skip-keeps-defaults", test_skip_keeps_defaults, NULL);
  ADD ("close-counts-as-skip", test_close_counts_as_skip, NULL);
  ADD ("blank-name-refused", test_blank_name_refused, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_markers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/onboarding/bad-marker/%s", bad_markers[i].name);

      g_test_add (path, Fixture, bad_markers[i].name, fixture_set_up, test_bad_marker_refused, fixture_tear_down);
    }

#undef ADD

  return g_test_run ();
}
