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

/**
 * wc_test_ui_unlock_data:
 *
 * Drafts and scheduled posts are sealed with a key from the keyring: the
 * application asks for it after its first frame, tests that read or write
 * them ask here, through the same call, and wait (up to 10 s) for it.
 */
void
wc_test_ui_unlock_data (WcApplication *app)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  wc_application_unlock_data (app);
  while (!wc_application_get_data_unlocked (app) && wc_application_get_data_error (app) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_null (wc_application_get_data_error (app));
  g_assert_true (wc_application_get_data_unlocked (app));
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

/* --- A notification server on the test's session bus ------------------- */

static GPtrArray *notifications;  /* WcTestNotification */
static GArray *closed;            /* guint32 */
static guint notifications_object;
static guint32 last_notification_id;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
test_notification_free (gpointer data)
{
  WcTestNotification *notification = data;

  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification);
}

static void
on_notifications_method_call (GDBusConnection       *connection,
                              const char            *sender,
                              const char            *object_path,
                              const char            *interface_name,
                              const char            *method_name,
                              GVariant              *parameters,
                              GDBusMethodInvocation *invocation,
                              gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      WcTestNotification *notification = g_new0 (WcTestNotification, 1);
      g_autoptr(GVariant) hints = NULL;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &notification->replaces_id, NULL,
                     NULL, NULL, &notification->actions, &hints, NULL);
      g_variant_get_child (parameters, 3, "s", &notification->summary);
      g_variant_get_child (parameters, 4, "s", &notification->body);
      if (!g_variant_lookup (hints, "urgency", "y", &notification->urgency))
        notification->urgency = 1;
      /* Like a real server: a replaced notification keeps its id. */
      notification->id = notification->replaces_id != 0 ? notification->replaces_id : ++last_notification_id;
      g_ptr_array_add (notifications, notification);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 id;

      g_variant_get (parameters, "(u)", &id);
      g_array_append_val (closed, id);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "whitecoat", "1", "1.2"));
}

/**
 * wc_test_ui_start_notification_server:
 *
 * Owns org.freedesktop.Notifications on the session bus (the private one
 * the tests run in) until wc_test_ui_stop_notification_server().
 */
void
wc_test_ui_start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result = 0;

  g_assert_nonnull (bus);
  g_assert_cmpuint (notifications_object, ==, 0);
  if (notifications == NULL)
    {
      notifications = g_ptr_array_new_with_free_func (test_notification_free);
      closed = g_array_new (FALSE, FALSE, sizeof (guint32));
    }
  notifications_object = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                            info->interfaces[0], &vtable,
                                                            NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications",
                                                      G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
}

/* Nobody listens any more: as on a system without a notification daemon. */
void
wc_test_ui_stop_notification_server (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (notifications_object, !=, 0);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ReleaseName",
                                       g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_unregister_object (bus, notifications_object);
  notifications_object = 0;
}

gboolean
wc_test_ui_notification_server_is_running (void)
{
  return notifications_object != 0;
}

void
wc_test_ui_clear_notifications (void)
{
  if (notifications != NULL)
    g_ptr_array_set_size (notifications, 0);
  if (closed != NULL)
    g_array_set_size (closed, 0);
}

GPtrArray *
wc_test_ui_get_notifications (void)
{
  g_assert_nonnull (notifications);
  return notifications;
}

GArray *
wc_test_ui_get_closed_notifications (void)
{
  g_assert_nonnull (closed);
  return closed;
}

WcTestNotification *
wc_test_ui_wait_notification (guint n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_cmpuint (n, >, 0);
  g_assert_nonnull (notifications);
  while (notifications->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return g_ptr_array_index (notifications, n - 1);
}

const char *
wc_test_notification_get_action (const WcTestNotification *notification,
                                 const char               *label)
{
  for (guint i = 0; notification->actions[i] != NULL && notification->actions[i + 1] != NULL; i += 2)
    if (g_str_equal (notification->actions[i + 1], label))
      return notification->actions[i];
  return NULL;
}

/* The ActionInvoked signal, from the owner of the name, as GNOME Shell
 * sends it when a button is pressed. */
void
wc_test_notification_invoke (const WcTestNotification *notification,
                             const char               *action_key)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (action_key);
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                 "ActionInvoked", g_variant_new ("(us)", notification->id, action_key), &error);
  g_assert_no_error (error);
}
