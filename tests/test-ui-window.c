/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-account-dialog.h"
#include "wc-accounts-view.h"
#include "wc-application.h"
#include "wc-audit-view.h"
#include "wc-privacy-view.h"
#include "wc-scheduled-view.h"
#include "wc-test-ui.h"
#include "wc-preferences-window.h"
#include "wc-walkthrough-dialog.h"
#include "wc-window.h"

static void
destroy_window (gpointer window)
{
  g_autoptr(GtkWidget) ref = g_object_ref (window);

  gtk_window_destroy (GTK_WINDOW (window));
  wc_test_ui_iterate ();
  g_assert_finalize_object (g_steal_pointer (&ref));
}

/* The views whose templates name libadwaita widgets: a widget newer than
 * libadwaita 1.2 in one of them (AdwBanner, AdwToolbarView…) makes
 * building it fail here. */
static void
assert_view_templates_build (WcApplication *app,
                           WcWindow      *window)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "linkedin");
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *view;
  WcAuditView *audit;
  WcWalkthroughDialog *walkthrough;

  view = g_object_ref_sink (g_object_new (WC_TYPE_PRIVACY_VIEW, NULL));
  g_assert_true (WC_IS_PRIVACY_VIEW (view));
  g_assert_false (wc_privacy_view_get_banner_visible (WC_PRIVACY_VIEW (view)));
  g_assert_finalize_object (view);

  view = g_object_ref_sink (wc_scheduled_view_new ());
  g_assert_true (GTK_IS_LIST_VIEW (wc_scheduled_view_get_list_view (WC_SCHEDULED_VIEW (view))));
  g_assert_true (WC_IS_WEEK_VIEW (wc_scheduled_view_get_week_view (WC_SCHEDULED_VIEW (view))));
  g_assert_cmpstr (wc_scheduled_view_get_mode (WC_SCHEDULED_VIEW (view)), ==, "list");
  wc_scheduled_view_set_mode (WC_SCHEDULED_VIEW (view), "week");
  g_assert_cmpstr (wc_scheduled_view_get_mode (WC_SCHEDULED_VIEW (view)), ==, "week");
  g_assert_finalize_object (view);

  audit = wc_audit_view_new (app, GTK_WINDOW (window));
  g_assert_true (WC_IS_AUDIT_VIEW (audit));
  g_assert_cmpuint (wc_audit_view_get_n_shown (audit), ==, 0);
  gtk_window_present (GTK_WINDOW (audit));
  wc_test_ui_iterate ();
  destroy_window (audit);

  /* A network without an API: the first step shows at once. */
  wc_account_set_handle (account, "anna-jansen-md");
  g_assert_true (wc_store_add_account (wc_application_get_store (app), account, &error));
  g_assert_no_error (error);
  g_ptr_array_add (accounts, account);
  walkthrough = wc_walkthrough_dialog_new (app, GTK_WINDOW (window), accounts, NULL);
  g_assert_true (WC_IS_WALKTHROUGH_DIALOG (walkthrough));
  g_assert_nonnull (wc_walkthrough_dialog_get_step_id (walkthrough));
  gtk_window_present (GTK_WINDOW (walkthrough));
  wc_test_ui_iterate ();
  destroy_window (walkthrough);
}

static void
test_templates_build (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcWindow *window;
  GtkWidget *view;
  WcAccountDialog *dialog;

  window = wc_window_new (app);
  g_assert_true (WC_IS_WINDOW (window));
  g_assert_true (WC_IS_ACCOUNTS_VIEW (wc_window_get_accounts_view (window)));
  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  view = g_object_ref_sink (wc_accounts_view_new ());
  g_assert_true (WC_IS_ACCOUNTS_VIEW (view));
  g_assert_finalize_object (view);

  dialog = wc_account_dialog_new (app, GTK_WINDOW (window), WC_IDENTITY_PERSONAL, NULL);
  g_assert_true (WC_IS_ACCOUNT_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  wc_test_ui_iterate ();
  destroy_window (dialog);

  assert_view_templates_build (app, window);

  destroy_window (window);
}

static void
assert_shows_identity (WcApplication  *app,
                       WcWindow       *window,
                       WcIdentityKind  kind)
{
  g_autofree char *title = g_strdup_printf ("Whitecoat — %s", wc_identity_kind_get_label (kind));
  g_autofree char *name = wc_application_dup_identity_name (app, kind);
  g_autofree char *color = wc_application_dup_identity_color (app, kind);
  GSettings *settings = wc_application_get_settings (app);

  g_assert_cmpint (wc_application_get_active_identity (app), ==, kind);
  g_assert_cmpint (g_settings_get_enum (settings, "active-identity"), ==, kind);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);
  g_assert_cmpstr (wc_window_get_identity_text (window), ==, name);
  g_assert_cmpstr (wc_window_get_band_color (window), ==, color);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), wc_identity_kind_to_string (kind)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window),
                                            wc_identity_kind_to_string (wc_identity_kind_other (kind))));
}

static void
test_switch_identity (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  g_autofree char *professional_name = NULL;
  g_autofree char *personal_name = NULL;
  g_autoptr(GVariant) state = NULL;
  WcWindow *window;

  window = wc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  /* Professional by default, with its blue. */
  assert_shows_identity (app, window, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Whitecoat — Professional");
  g_assert_cmpstr (wc_window_get_band_color (window), ==, "#3584e4");
  professional_name = g_strdup (wc_window_get_identity_text (window));

  /* One action switches everything the user sees. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-identity", NULL);
  assert_shows_identity (app, window, WC_IDENTITY_PERSONAL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Whitecoat — Personal");
  g_assert_cmpstr (wc_window_get_band_color (window), ==, "#2ec27e");
  personal_name = g_strdup (wc_window_get_identity_text (window));
  g_assert_cmpstr (personal_name, !=, professional_name);

  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "identity");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "personal");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-identity", NULL);
  assert_shows_identity (app, window, WC_IDENTITY_PROFESSIONAL);

  /* The stateful action picks an identity by name. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "identity",
                                      g_variant_new_string ("personal"));
  assert_shows_identity (app, window, WC_IDENTITY_PERSONAL);

  /* So does the setting. */
  g_settings_set_enum (wc_application_get_settings (app), "active-identity", WC_IDENTITY_PROFESSIONAL);
  assert_shows_identity (app, window, WC_IDENTITY_PROFESSIONAL);

  destroy_window (window);
}

static void
test_identity_colors (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  WcStore *store;
  WcWindow *window;

  window = wc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  store = wc_application_get_store (app);
  g_assert_nonnull (store);

  identity = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  wc_identity_set_name (identity, "Dr. Anna Jansen");
  wc_identity_set_color (identity, "#c01c28");
  wc_store_save_identity (store, identity, &error);
  g_assert_no_error (error);
  wc_application_notify_identity_changed (app, WC_IDENTITY_PROFESSIONAL);

  g_assert_cmpstr (wc_window_get_band_color (window), ==, "#c01c28");
  g_assert_cmpstr (wc_window_get_identity_text (window), ==, "Dr. Anna Jansen");
  g_assert_cmpstr (wc_accounts_view_get_title (WC_ACCOUNTS_VIEW (wc_window_get_accounts_view (window))),
                   ==, "Dr. Anna Jansen");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-identity", NULL);
  g_assert_cmpstr (wc_window_get_band_color (window), ==, "#2ec27e");

  destroy_window (window);
}

static void
test_views (void)
{
  static const char * const names[] = { "compose", "scheduled", "requests", "privacy", "accounts" };
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcWindow *window;
  AdwViewStack *stack;

  window = wc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  stack = wc_window_get_view_stack (window);

  for (int round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *action = g_strdup_printf ("win.view-%u", i + 1);
        g_autofree char *accel = g_strdup_printf ("<Control>%u", i + 1);
        g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

        gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
        g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, names[i]);
        g_assert_true (g_strv_contains ((const char * const *) accels, accel));
      }

  destroy_window (window);
}

/* Only the Compose view is part of the first frame; the others are built
 * after it, without being shown, so that their background work starts. */
static void
test_views_built_after_first_frame (void)
{
  static const char * const lazy[] = { "scheduled", "requests", "privacy", "accounts" };
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcWindow *window = wc_window_new (app);
  AdwViewStack *stack = wc_window_get_view_stack (window);
  gboolean all_built = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (lazy); i++)
    {
      GtkWidget *page = adw_view_stack_get_child_by_name (stack, lazy[i]);

      g_assert_true (ADW_IS_BIN (page));
      g_assert_null (adw_bin_get_child (ADW_BIN (page)));
    }

  gtk_window_present (GTK_WINDOW (window));
  for (guint tries = 0; tries < 250 && !all_built; tries++)
    {
      all_built = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (lazy); i++)
        all_built &= adw_bin_get_child (ADW_BIN (adw_view_stack_get_child_by_name (stack, lazy[i]))) != NULL;
      if (!all_built)
        wc_test_ui_wait (20);
    }
  g_assert_true (all_built);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "compose");
  g_assert_true (adw_bin_get_child (ADW_BIN (adw_view_stack_get_child_by_name (stack, "requests")))
                 == wc_window_get_requests_view (window));

  destroy_window (window);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The views are in the header bar when they fit, with labels beside or
 * under their icons, and in a bar at the bottom when they do not; the name
 * of the identity and the switcher do not take turns at the room. */
static void
test_view_switchers (void)
{
  static const struct {
    int                   width;
    gboolean              in_header;
    AdwViewSwitcherPolicy policy;
  } cases[] = {
    { 1200, TRUE, ADW_VIEW_SWITCHER_POLICY_WIDE },
    { 720, TRUE, ADW_VIEW_SWITCHER_POLICY_NARROW },
    { 360, FALSE, 0 },
  };

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcApplication) app = wc_test_ui_create_app ();
      AdwViewSwitcherBar *bar;
      AdwSqueezer *squeezer;
      GtkWidget *shown = NULL;
      guint changes = 0;
      WcWindow *window;

      g_settings_set_int (wc_application_get_settings (app), "window-width", cases[i].width);
      window = wc_window_new (app);
      squeezer = (AdwSqueezer *) find_descendant (GTK_WIDGET (window), ADW_TYPE_SQUEEZER);
      bar = (AdwViewSwitcherBar *) find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);
      g_assert_nonnull (squeezer);
      g_assert_nonnull (bar);

      gtk_window_present (GTK_WINDOW (window));
      /* Settle, then count how often the header changes in half a second:
       * a layout that does not settle keeps changing. */
      for (int j = 0; j < 25; j++)
        wc_test_ui_wait (20);
      shown = adw_squeezer_get_visible_child (squeezer);
      for (int j = 0; j < 25; j++)
        {
          wc_test_ui_wait (20);
          if (adw_squeezer_get_visible_child (squeezer) != shown)
            {
              changes++;
              shown = adw_squeezer_get_visible_child (squeezer);
            }
        }

      g_test_message ("width %d (window %d): %s in the header bar, bottom bar %s, %u changes",
                      cases[i].width, gtk_widget_get_width (GTK_WIDGET (window)), G_OBJECT_TYPE_NAME (shown),
                      gtk_widget_get_visible (GTK_WIDGET (bar)) ? "shown" : "hidden", changes);
      g_assert_cmpuint (changes, ==, 0);
      g_assert_cmpint (ADW_IS_VIEW_SWITCHER (shown), ==, cases[i].in_header);
      if (cases[i].in_header)
        g_assert_cmpint (adw_view_switcher_get_policy (ADW_VIEW_SWITCHER (shown)), ==, cases[i].policy);
      g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (bar)), ==, !cases[i].in_header);
      g_assert_cmpint (adw_view_switcher_bar_get_reveal (bar), ==, !cases[i].in_header);
      wc_test_ui_assert_fits_width (GTK_WIDGET (window), cases[i].width);

      destroy_window (window);
    }
}

static void
test_accels (void)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "win.switch-identity", "<Shift><Control>i" },
    { "win.show-help-overlay", "<Control>question" },
  };
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i].action);
      guint key, wanted_key;
      GdkModifierType mods, wanted_mods;

      g_assert_nonnull (accels);
      g_assert_nonnull (accels[0]);
      g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
      g_assert_true (gtk_accelerator_parse (expected[i].accel, &wanted_key, &wanted_mods));
      g_assert_cmpuint (gdk_keyval_to_lower (key), ==, gdk_keyval_to_lower (wanted_key));
      g_assert_cmpuint (mods, ==, wanted_mods);
    }

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
}

static guint
count_toplevels (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      n++;
  g_list_free (toplevels);

  return n;
}

static void
destroy_toplevels (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  wc_test_ui_iterate ();
}

static void
test_app_actions (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  WcWindow *window = wc_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_cmpuint (count_toplevels (ADW_TYPE_ABOUT_WINDOW), ==, 1);

  /* Preferences open once, however often asked for. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_cmpuint (count_toplevels (WC_TYPE_PREFERENCES_WINDOW), ==, 1);

  /* The shortcuts window is built on demand, for this window. */
  g_assert_cmpuint (count_toplevels (GTK_TYPE_SHORTCUTS_WINDOW), ==, 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  g_assert_cmpuint (count_toplevels (GTK_TYPE_SHORTCUTS_WINDOW), ==, 1);
  {
    GtkWindow *shortcuts = wc_test_ui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);

    g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  }

  destroy_toplevels ();
}

static void
test_narrow (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  WcAccountDialog *dialog;
  WcStore *store;
  WcWindow *window;
  int width_request = 0;

  /* A long identity name and a long account must not widen the window. */
  store = wc_application_get_store (app);
  identity = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  wc_identity_set_name (identity, "Prof. Dr. Anna-Katharina van der Jansen-Oosterhuis");
  wc_store_save_identity (store, identity, &error);
  g_assert_no_error (error);

  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_handle (account, "@a_very_long_handle_for_a_doctor@a-very-long-server-name.example");
  wc_account_set_display_name (account, "Anna-Katharina van der Jansen-Oosterhuis, Radiology");
  wc_store_add_account (store, account, &error);
  g_assert_no_error (error);

  /* Phones and GNOME show only the close button; the default layout of a
   * bare X server (minimize, maximize, close) alone would need 370 px. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  g_settings_set_int (wc_application_get_settings (app), "window-width", 360);
  window = wc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  /* Let the window reach its size, so that the narrow layout (window
   * title, bottom view switcher) is what gets measured. */
  for (int i = 0; i < 10; i++)
    {
      wc_test_ui_iterate ();
      g_usleep (10000);
    }

  gtk_widget_get_size_request (GTK_WIDGET (window), &width_request, NULL);
  g_assert_cmpint (width_request, ==, 360);
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *action = g_strdup_printf ("win.view-%d", i);

      gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
      wc_test_ui_assert_fits_width (GTK_WIDGET (window), 360);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-identity", NULL);
  wc_test_ui_assert_fits_width (GTK_WIDGET (window), 360);

  dialog = wc_account_dialog_new (app, GTK_WINDOW (window), WC_IDENTITY_PROFESSIONAL, account);
  gtk_window_present (GTK_WINDOW (dialog));
  wc_test_ui_assert_fits_width (GTK_WIDGET (dialog), 360);
  destroy_window (dialog);

  destroy_window (window);
}

static void
test_window_size (void)
{
  g_autoptr(WcApplication) app = wc_test_ui_create_app ();
  GSettings *settings = wc_application_get_settings (app);
  WcWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);

  window = wc_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  gtk_window_present (GTK_WINDOW (window));
  wc_test_ui_iterate ();
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  wc_test_ui_iterate ();
  gtk_window_close (GTK_WINDOW (window));
  wc_test_ui_iterate ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 480);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  wc_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/window/templates-build", test_templates_build);
  g_test_add_func ("/ui/window/switch-identity", test_switch_identity);
  g_test_add_func ("/ui/window/identity-colors", test_identity_colors);
  g_test_add_func ("/ui/window/views", test_views);
  g_test_add_func ("/ui/window/views-built-after-first-frame", test_views_built_after_first_frame);
  g_test_add_func ("/ui/window/accels", test_accels);
  g_test_add_func ("/ui/window/app-actions", test_app_actions);
  g_test_add_func ("/ui/window/narrow", test_narrow);
  g_test_add_func ("/ui/window/view-switchers", test_view_switchers);
  g_test_add_func ("/ui/window/size", test_window_size);

  return g_test_run ();
}
