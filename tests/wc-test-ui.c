/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-test"

#include "config.h"

#include <locale.h>

#include "wc-test-ui.h"

/* G_TEST_OPTION_ISOLATE_DIRS also points XDG_DATA_DIRS to /dev/null. Read
 * what GTK needs from the system data directories before g_test_init():
 * the MIME database (GdkPixbuf needs it to recognise SVG icons) and the
 * icon theme. Both are read once and kept. */
static void
load_system_data (void)
{
  g_autofree char *type = g_content_type_guess ("icon.svg", NULL, 0, NULL);
  g_autoptr(GtkIconPaintable) icon = NULL;

  icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                     "avatar-default-symbolic", NULL, 16, 1,
                                     GTK_TEXT_DIR_NONE, 0);
  g_assert_nonnull (type);
  g_assert_nonnull (icon);
}

/**
 * wc_test_ui_init:
 *
 * What gtk_test_init() does, but with G_TEST_OPTION_ISOLATE_DIRS (which
 * gtk_test_init() ignores): the database goes under a temporary
 * XDG_DATA_HOME, fresh for every test.
 */
void
wc_test_ui_init (int    *argc,
                 char ***argv)
{
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_init ();
  adw_init ();
  load_system_data ();
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/**
 * wc_test_ui_reset_settings:
 *
 * The memory settings backend lives as long as the process: every test
 * starts from the defaults.
 */
void
wc_test_ui_reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/**
 * wc_test_ui_create_app:
 *
 * The application is registered but never run: the tests build the windows
 * themselves and drive them through their actions. A registered
 * GtkApplication stays exported on the session bus until it shuts down, so
 * every test uses an id of its own (with the real resource base path), and
 * is non-unique so that tests running side by side do not find each other.
 *
 * Returns: (transfer full): the application
 */
WcApplication *
wc_test_ui_create_app (void)
{
  static guint n_apps;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++n_apps);
  WcApplication *app;

  app = g_object_new (WC_TYPE_APPLICATION,
                      "application-id", id,
                      "resource-base-path", "/io/github/whitecoat/Whitecoat",
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  wc_test_ui_reset_settings (wc_application_get_settings (app));

  return app;
}

/* Runs what is pending in the main context, without blocking. */
void
wc_test_ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main context for @ms milliseconds, for timeouts to fire. */
void
wc_test_ui_wait (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

void
wc_test_ui_destroy_toplevels (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);
  wc_test_ui_iterate ();
}

/**
 * wc_test_ui_find_toplevel:
 *
 * Returns: (transfer none) (nullable): a visible toplevel of @type
 */
gpointer
wc_test_ui_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gpointer found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

/* Asserts that nothing in @window asks for more than @width pixels. */
void
wc_test_ui_assert_fits_width (GtkWidget *window,
                              int        width)
{
  GtkWidget *parts[] = {
    gtk_window_get_child (GTK_WINDOW (window)),
    gtk_window_get_titlebar (GTK_WINDOW (window)),
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      int minimum = 0;

      if (parts[i] == NULL)
        continue;

      gtk_widget_measure (parts[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, width);
    }
}
