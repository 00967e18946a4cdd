/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "wc-application.h"
#include "wc-application-private.h"
#include "wc-core-enums.h"
#include "wc-keyring.h"
#include "wc-onboarding.h"
#include "wc-preferences-window.h"
#include "wc-window.h"

/* Developer aid for tests/bench/startup: print the time of the first frame
 * and the resident memory at that moment, then quit. */
#define BENCH_ENV "WHITECOAT_BENCH_EXIT_AFTER_FIRST_FRAME"

struct _WcApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  WcStore        *store;
  WcChecker      *checker;
  char           *moved_aside_path;
  GError         *store_error;
  WcIdentityKind  active_identity;
  GtkWindow      *preferences;
  WcHasher       *hasher;
  GError         *hasher_error;
  GCancellable   *hasher_cancellable;  /* while loading */
  WcFollowerSync *follower_sync;
  GCancellable   *data_key_cancellable;  /* while the keyring is asked */
  GError         *data_error;

  guint           store_tried : 1;
  guint           data_unlocked : 1;
  guint           store_problem_shown : 1;
  guint           bench : 1;
  guint           hasher_problem_shown : 1;
};

G_DEFINE_FINAL_TYPE (WcApplication, wc_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACTIVE_IDENTITY,
  PROP_HASHER,
  PROP_DATA_UNLOCKED,
  PROP_DATA_UNLOCKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  IDENTITY_CHANGED,
  ACCOUNTS_CHANGED,
  PEOPLE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
read_vm_rss_kb (void)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;

  line = strstr (contents, "VmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static void
on_frame_clock_after_paint (GdkFrameClock *frame_clock,
                            gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (frame_clock,
                                        on_frame_clock_after_paint,
                                        user_data);

  g_print ("first-frame %" G_GINT64_FORMAT " rss-kb %" G_GINT64_FORMAT "\n",
           now, read_vm_rss_kb ());
  fflush (stdout);

  g_application_quit (G_APPLICATION (self));
}

static void
watch_first_frame (WcApplication *self,
                   GtkWindow     *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkFrameClock *frame_clock;

  if (surface == NULL)
    {
      g_warning ("The main window has no surface; cannot watch the first frame");
      return;
    }

  frame_clock = gdk_surface_get_frame_clock (surface);
  g_signal_connect_object (frame_clock, "after-paint",
                           G_CALLBACK (on_frame_clock_after_paint),
                           self, 0);
}

static void
show_store_problem (WcApplication *self,
                    GtkWindow     *parent)
{
  GtkWidget *dialog;

  if (self->store_problem_shown)
    return;

  if (self->store_error != NULL)
    {
      dialog = adw_message_dialog_new (parent,
                                       _("Whitecoat Cannot Save Anything"),
                                       NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("Whitecoat could not create its database, so accounts and settings "
                                        "you enter now will not be kept.\n\n%s"),
                                      self->store_error->message);
    }
  else if (self->moved_aside_path != NULL)
    {
      dialog = adw_message_dialog_new (parent,
                                       _("Whitecoat Started With an Empty Database"),
                                       NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("Whitecoat could not read its database, so it put the old file "
                                        "aside and started with a new, empty one. Nothing was deleted: "
                                        "the old file is kept at\n\n%s"),
                                      self->moved_aside_path);
    }
  else
    {
      return;
    }

  self->store_problem_shown = TRUE;
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Once, in plain words: without the keyring Whitecoat still works, but
 * cannot keep person tags or a patient roster. */
static void
show_hasher_problem (WcApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  if (self->hasher_error == NULL || self->hasher_problem_shown || parent == NULL
      || g_error_matches (self->hasher_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->hasher_problem_shown = TRUE;
  dialog = adw_message_dialog_new (parent, _("Person Tags and the Patient Roster Are Off"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nEverything else works. Whitecoat keeps the people you tag and your "
                                    "patient roster only in a form locked with a key from your keyring, so it "
                                    "cannot use them until the keyring can be opened. Start Whitecoat again to "
                                    "try once more."),
                                  self->hasher_error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
hasher_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WcApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcHasher) hasher = wc_hasher_load_finish (result, &error);

  g_clear_object (&self->hasher_cancellable);
  if (hasher == NULL)
    {
      /* The message is for the user; the keyring's details are in the
       * debug log of whitecoat-keyring. */
      g_debug ("No hashing key: %s", error->message);
      if (self->hasher == NULL)
        {
          g_clear_error (&self->hasher_error);
          self->hasher_error = g_steal_pointer (&error);
          show_hasher_problem (self);
        }
      return;
    }
  if (self->hasher == NULL)
    wc_application_set_hasher (self, hasher);
}

/* Whether the store (the one open now) has its data key. */
static void
update_data_unlocked (WcApplication *self)
{
  gboolean unlocked = self->store != NULL && wc_store_has_data_key (self->store);

  if (self->data_unlocked == unlocked)
    return;
  self->data_unlocked = unlocked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_UNLOCKED]);
}

static void
data_key_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WcApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcCryptoKey) key = wc_keyring_load_data_key_finish (result, &error);

  /* Cancelled: the application is going away, or its store was replaced
   * and the key is asked for again. */
  if (key == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->data_key_cancellable);

  if (key != NULL && self->store == NULL)
    error = self->store_error != NULL ? g_error_copy (self->store_error)
                                      : g_error_new_literal (WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                                                             _("Whitecoat cannot open its database."));
  else if (key != NULL && !wc_store_set_data_key (self->store, key, &error)
           && wc_store_has_data_key (self->store))
    {
      /* The key is set; only sealing what an older version left in
       * plaintext failed. It is tried again at the next start. */
      g_message ("Could not seal every old draft: %s", error->message);
      g_clear_error (&error);
    }

  g_clear_error (&self->data_error);
  if (error != NULL)
    {
      /* The keyring's detail is in its debug log; this is for the user. */
      g_debug ("Drafts stay locked: %s", error->message);
      self->data_error = g_steal_pointer (&error);
    }
  update_data_unlocked (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_UNLOCKING]);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* One preferences window at a time. */
  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (wc_preferences_window_new (self));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }

  if (parent != NULL && parent != self->preferences)
    gtk_window_set_transient_for (self->preferences, parent);
  gtk_window_present (self->preferences);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  WcApplication *self = WC_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Whitecoat"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Whitecoat developers"),
                        "comments", _("Keep your personal and professional identities apart on social media, "
                                      "and see who will be able to read a post before it goes out."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your name(s) here, one per line. */
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        "modal", TRUE,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* app.show-view("requests"): a notification's click, for instance, brings
 * the window forward at that page (compose, scheduled, requests, privacy,
 * accounts), opening a window if Whitecoat ran without one. */
static void
show_view_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  static const char * const views[] = { "compose", "scheduled", "requests", "privacy", "accounts", NULL };
  WcApplication *self = WC_APPLICATION (user_data);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!g_strv_contains (views, name))
    {
      g_debug ("No view called “%s”", name);
      return;
    }
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL && !WC_IS_WINDOW (window);
       l = l->next)
    window = l->data;
  if (!WC_IS_WINDOW (window))
    {
      window = GTK_WINDOW (wc_window_new (self));
      wc_application_scheduling_after_first_frame (self, window);
    }
  adw_view_stack_set_visible_child_name (wc_window_get_view_stack (WC_WINDOW (window)), name);
  gtk_window_present (window);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "show-view", show_view_action, "s" },
};

static gboolean
store_has_people (WcApplication *self)
{
  WcStore *store = wc_application_get_store (self);
  g_autoptr(GHashTable) tags = NULL;

  if (store == NULL)
    return FALSE;
  for (WcRosterKind kind = WC_ROSTER_KIND_NAME; kind <= WC_ROSTER_KIND_EMAIL; kind++)
    if (wc_store_count_roster_hashes (store, kind) > 0)
      return TRUE;
  tags = wc_store_load_person_tags (store, NULL);
  return tags != NULL && g_hash_table_size (tags) > 0;
}

static void
wc_application_activate (GApplication *application)
{
  WcApplication *self = WC_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* Started by autostart with posts waiting: no window, only the scheduler. */
  if (wc_application_scheduling_activate_background (self))
    return;

  window = GTK_WINDOW (wc_window_new (self));
  gtk_window_present (window);
  wc_application_scheduling_after_first_frame (self, window);

  if (self->bench)
    {
      watch_first_frame (self, window);
      return;
    }

  if (!g_settings_get_boolean (self->settings, "onboarding-done"))
    gtk_window_present (wc_onboarding_new (self, window));

  /* Last, so that it sits on top of the onboarding. */
  show_store_problem (self, window);

  /* The key of the tags and the roster comes from the keyring: asked for
   * at start only when there are tags or a roster to use it on, so that a
   * user who keeps neither is not asked for a keyring. The Patients page
   * and tagging ask for it when they are used. */
  if (store_has_people (self))
    wc_application_load_hasher (self);

  /* Followers of connected accounts: resumed, then every few hours. */
  wc_follower_sync_start (wc_application_get_follower_sync (self));
}

static void
wc_application_startup (GApplication *application)
{
  WcApplication *self = WC_APPLICATION (application);
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.switch-identity", { "<Control><Shift>i", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.view-1", { "<Control>1", NULL } },
    { "win.view-2", { "<Control>2", NULL } },
    { "win.view-3", { "<Control>3", NULL } },
    { "win.view-4", { "<Control>4", NULL } },
    { "win.view-5", { "<Control>5", NULL } },
  };

  /* AdwApplication loads style.css from the resource base path here. */
  G_APPLICATION_CLASS (wc_application_parent_class)->startup (application);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);
}

static void
wc_application_dispose (GObject *object)
{
  WcApplication *self = WC_APPLICATION (object);

  if (self->preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
  self->preferences = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->checker);
  g_cancellable_cancel (self->hasher_cancellable);
  g_clear_object (&self->hasher_cancellable);
  g_cancellable_cancel (self->data_key_cancellable);
  g_clear_object (&self->data_key_cancellable);
  g_clear_pointer (&self->hasher, wc_hasher_unref);
  wc_application_scheduling_dispose (self);
  if (self->follower_sync != NULL)
    wc_follower_sync_stop (self->follower_sync);
  g_clear_object (&self->follower_sync);

  G_OBJECT_CLASS (wc_application_parent_class)->dispose (object);
}

static void
wc_application_finalize (GObject *object)
{
  WcApplication *self = WC_APPLICATION (object);

  g_clear_pointer (&self->moved_aside_path, g_free);
  g_clear_error (&self->store_error);
  g_clear_error (&self->hasher_error);
  g_clear_error (&self->data_error);

  G_OBJECT_CLASS (wc_application_parent_class)->finalize (object);
}

static void
wc_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WcApplication *self = WC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_IDENTITY:
      g_value_set_enum (value, self->active_identity);
      break;

    case PROP_HASHER:
      g_value_set_boxed (value, self->hasher);
      break;

    case PROP_DATA_UNLOCKED:
      g_value_set_boolean (value, self->data_unlocked);
      break;

    case PROP_DATA_UNLOCKING:
      g_value_set_boolean (value, self->data_key_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  WcApplication *self = WC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_IDENTITY:
      wc_application_set_active_identity (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_application_class_init (WcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = wc_application_dispose;
  object_class->finalize = wc_application_finalize;
  object_class->get_property = wc_application_get_property;
  object_class->set_property = wc_application_set_property;

  app_class->activate = wc_application_activate;
  app_class->startup = wc_application_startup;

  /**
   * WcApplication:active-identity:
   *
   * The identity Whitecoat currently acts as. Bound to the
   * "active-identity" setting.
   */
  properties[PROP_ACTIVE_IDENTITY] =
    g_param_spec_enum ("active-identity", NULL, NULL,
                       WC_TYPE_IDENTITY_KIND,
                       WC_IDENTITY_PROFESSIONAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * WcApplication:hasher:
   *
   * The keyed hash of person tags and the roster, once the keyring gave
   * its key; %NULL before.
   */
  properties[PROP_HASHER] =
    g_param_spec_boxed ("hasher", NULL, NULL,
                        WC_TYPE_HASHER,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * WcApplication:data-unlocked:
   *
   * Whether the store has the key that seals drafts and scheduled posts.
   */
  properties[PROP_DATA_UNLOCKED] =
    g_param_spec_boolean ("data-unlocked", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * WcApplication:data-unlocking:
   *
   * Whether the keyring is being asked for that key.
   */
  properties[PROP_DATA_UNLOCKING] =
    g_param_spec_boolean ("data-unlocking", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WcApplication::identity-changed:
   * @kind: the identity whose name, colour or markers were saved
   */
  signals[IDENTITY_CHANGED] =
    g_signal_new ("identity-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, WC_TYPE_IDENTITY_KIND);

  /**
   * WcApplication::accounts-changed:
   *
   * An account was added, changed or removed.
   */
  signals[ACCOUNTS_CHANGED] =
    g_signal_new ("accounts-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * WcApplication::people-changed:
   *
   * Person tags or the patient roster changed, or a network told
   * something new about followers: audiences and checks are out of date.
   */
  signals[PEOPLE_CHANGED] =
    g_signal_new ("people-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
wc_application_init (WcApplication *self)
{
  self->active_identity = WC_IDENTITY_PROFESSIONAL;
  self->bench = g_strcmp0 (g_getenv (BENCH_ENV), "1") == 0;

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "active-identity",
                   self, "active-identity",
                   G_SETTINGS_BIND_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  wc_application_scheduling_init (self);
}

/**
 * wc_application_new:
 *
 * Creates the application: unique, so that only one process opens the store.
 *
 * Returns: (transfer full): a new #WcApplication
 */
WcApplication *
wc_application_new (void)
{
  return g_object_new (WC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * wc_application_get_store:
 * @self: a #WcApplication
 *
 * Returns the store, opening it on first use. A database that cannot be
 * opened is moved aside and a fresh one is created (see
 * wc_application_get_moved_aside_path()).
 *
 * Returns: (transfer none) (nullable): the store, or %NULL when not even a
 *   fresh database could be created
 */
WcStore *
wc_application_get_store (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  if (self->store == NULL && !self->store_tried)
    {
      g_autofree char *path = wc_store_dup_default_path ();

      self->store_tried = TRUE;
      self->store = wc_store_open_or_recover (path,
                                              &self->moved_aside_path,
                                              &self->store_error);
      if (self->store == NULL)
        g_warning ("Cannot open the store: %s", self->store_error->message);
      else if (self->moved_aside_path != NULL)
        g_message ("The database could not be opened; moved it aside to %s",
                   self->moved_aside_path);
    }

  return self->store;
}

/**
 * wc_application_peek_store:
 * @self: a #WcApplication
 *
 * The store, if it is open or there is a database to open. On the very
 * first start there is nothing to read yet, and creating the database can
 * wait until after the first frame: readers that only show what is stored
 * use this; writers use wc_application_get_store().
 *
 * Returns: (transfer none) (nullable): the store, or %NULL when Whitecoat
 *   has no database yet
 */
WcStore *
wc_application_peek_store (WcApplication *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  if (self->store != NULL || self->store_tried)
    return self->store;

  path = wc_store_dup_default_path ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return wc_application_get_store (self);
}

/**
 * wc_application_close_store:
 * @self: a #WcApplication
 *
 * Closes the store, for instance before its file is deleted. The next
 * wc_application_get_store() opens the database again, or a fresh one.
 * Nothing is emitted: call wc_application_notify_accounts_changed() and
 * wc_application_notify_identity_changed() once the file is gone.
 */
void
wc_application_close_store (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  if (self->store != NULL)
    wc_store_close (self->store);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  self->store_tried = FALSE;
  update_data_unlocked (self);
}

/**
 * wc_application_get_moved_aside_path:
 * @self: a #WcApplication
 *
 * Returns: (nullable): where an unreadable database was moved to, or %NULL
 */
const char *
wc_application_get_moved_aside_path (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return self->moved_aside_path;
}

/**
 * wc_application_get_settings:
 * @self: a #WcApplication
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
wc_application_get_settings (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * wc_application_get_active_identity:
 * @self: a #WcApplication
 *
 * Returns: the identity Whitecoat currently acts as
 */
WcIdentityKind
wc_application_get_active_identity (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), WC_IDENTITY_PROFESSIONAL);

  return self->active_identity;
}

/**
 * wc_application_set_active_identity:
 * @self: a #WcApplication
 * @kind: the identity to act as
 *
 * Switches the active identity; every window follows.
 */
void
wc_application_set_active_identity (WcApplication  *self,
                                    WcIdentityKind  kind)
{
  g_return_if_fail (WC_IS_APPLICATION (self));
  g_return_if_fail (kind == WC_IDENTITY_PERSONAL || kind == WC_IDENTITY_PROFESSIONAL);

  if (self->active_identity == kind)
    return;

  self->active_identity = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_IDENTITY]);
}

/**
 * wc_application_notify_identity_changed:
 * @self: a #WcApplication
 * @kind: the identity that was saved
 *
 * Tells every view that an identity's name, colour or markers changed.
 */
void
wc_application_notify_identity_changed (WcApplication  *self,
                                        WcIdentityKind  kind)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  g_signal_emit (self, signals[IDENTITY_CHANGED], 0, kind);
}

/**
 * wc_application_notify_accounts_changed:
 * @self: a #WcApplication
 *
 * Tells every view that an account was added, changed or removed.
 */
void
wc_application_notify_accounts_changed (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  g_signal_emit (self, signals[ACCOUNTS_CHANGED], 0);
}

/**
 * wc_application_dup_identity:
 * @self: a #WcApplication
 * @kind: which identity
 *
 * Returns: (transfer full): the stored identity, or the defaults when it
 *   cannot be read
 */
WcIdentity *
wc_application_dup_identity (WcApplication  *self,
                             WcIdentityKind  kind)
{
  WcStore *store;

  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  store = wc_application_peek_store (self);
  if (store != NULL)
    {
      g_autoptr(GError) error = NULL;
      WcIdentity *identity = wc_store_load_identity (store, kind, &error);

      if (identity != NULL)
        return identity;

      g_debug ("Cannot load the %s identity: %s",
               wc_identity_kind_to_string (kind), error->message);
    }

  return wc_identity_new (kind);
}

/**
 * wc_application_dup_identity_color:
 * @self: a #WcApplication
 * @kind: which identity
 *
 * Returns: (transfer full): the identity's accent colour, "#rrggbb"; the
 *   default colour when the stored one is not valid
 */
char *
wc_application_dup_identity_color (WcApplication  *self,
                                   WcIdentityKind  kind)
{
  g_autoptr(WcIdentity) identity = wc_application_dup_identity (self, kind);
  const char *color = wc_identity_get_color (identity);

  if (color == NULL || !wc_color_is_valid (color))
    color = wc_identity_kind_get_default_color (kind);

  return g_strdup (color);
}

/**
 * wc_application_dup_identity_name:
 * @self: a #WcApplication
 * @kind: which identity
 *
 * Returns: (transfer full): the name the user gave the identity, or its
 *   label ("Personal", "Professional") when it has none
 */
char *
wc_application_dup_identity_name (WcApplication  *self,
                                  WcIdentityKind  kind)
{
  g_autoptr(WcIdentity) identity = wc_application_dup_identity (self, kind);
  const char *name = wc_identity_get_name (identity);
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (stripped[0] == '\0')
    return g_strdup (wc_identity_kind_get_label (kind));

  return g_steal_pointer (&stripped);
}

/* --- Added for the preferences window ("Delete all Whitecoat data") --- */

/**
 * wc_application_reload_store:
 * @self: a #WcApplication
 *
 * Drops the current store, which may already be closed (for instance
 * because its file was deleted), and opens a fresh one at the default path.
 * Then tells every view that both identities and the accounts changed.
 */
void
wc_application_reload_store (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  g_clear_object (&self->store);
  g_clear_pointer (&self->moved_aside_path, g_free);
  g_clear_error (&self->store_error);
  self->store_tried = FALSE;

  /* The fresh store is locked. Its key is not asked for here: "Delete all
   * Whitecoat data" clears the keyring after this, and asks once that is
   * done, so that the key of the deleted data is never used again. */
  if (self->data_key_cancellable != NULL)
    {
      g_cancellable_cancel (self->data_key_cancellable);
      g_clear_object (&self->data_key_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_UNLOCKING]);
    }
  g_clear_error (&self->data_error);

  wc_application_get_store (self);
  update_data_unlocked (self);
  wc_application_scheduling_store_changed (self);

  wc_application_notify_identity_changed (self, WC_IDENTITY_PROFESSIONAL);
  wc_application_notify_identity_changed (self, WC_IDENTITY_PERSONAL);
  wc_application_notify_accounts_changed (self);
}

/**
 * wc_application_get_checker:
 * @self: a #WcApplication
 *
 * Returns the checks, loading their definitions on first use; every open
 * draft shares them.
 *
 * Returns: (transfer none) (nullable): the checker, or %NULL when the check
 *   definitions cannot be read
 */
WcChecker *
wc_application_get_checker (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  if (self->checker == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->checker = wc_checker_new (&error);
      if (self->checker == NULL)
        g_warning ("Cannot load the checks: %s", error->message);
    }

  return self->checker;
}

/* --- Added for the audience preview and the patient roster --- */

/**
 * wc_application_get_hasher:
 * @self: a #WcApplication
 *
 * Returns: (transfer none) (nullable): the hasher, or %NULL while the
 *   keyring has not answered or when it cannot be used
 */
WcHasher *
wc_application_get_hasher (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return self->hasher;
}

/**
 * wc_application_get_hasher_error:
 * @self: a #WcApplication
 *
 * Returns: (transfer none) (nullable): why there is no hasher, in words
 *   for the user; %NULL while loading or once loaded
 */
const GError *
wc_application_get_hasher_error (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return self->hasher_error;
}

/**
 * wc_application_load_hasher:
 * @self: a #WcApplication
 *
 * Asks the keyring for the hashing key (making one the first time), unless
 * the hasher is there or on its way. The window does this once it is shown.
 */
void
wc_application_load_hasher (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  if (self->hasher != NULL || self->hasher_cancellable != NULL || self->bench)
    return;

  g_clear_error (&self->hasher_error);
  self->hasher_cancellable = g_cancellable_new ();
  wc_hasher_load_async (self->hasher_cancellable, hasher_loaded_cb, g_object_ref (self));
}

/**
 * wc_application_set_hasher:
 * @self: a #WcApplication
 * @hasher: (nullable): a hasher
 *
 * Sets the hasher, as the keyring's answer does; tests set one with a key
 * of their own.
 */
void
wc_application_set_hasher (WcApplication *self,
                           WcHasher      *hasher)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  if (self->hasher == hasher)
    return;

  g_clear_pointer (&self->hasher, wc_hasher_unref);
  if (hasher != NULL)
    {
      self->hasher = wc_hasher_ref (hasher);
      g_clear_error (&self->hasher_error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HASHER]);
}

/**
 * wc_application_notify_people_changed:
 * @self: a #WcApplication
 *
 * Tells every view that person tags or the roster changed.
 */
void
wc_application_notify_people_changed (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  g_signal_emit (self, signals[PEOPLE_CHANGED], 0);
}

/* --- Added for Mastodon sign-in (follower sync) --- */

static void
on_follower_sync_updated (WcApplication *self)
{
  wc_application_notify_people_changed (self);
}

static void
on_hasher_for_sync (WcApplication *self)
{
  if (self->follower_sync != NULL)
    wc_follower_sync_set_hasher (self->follower_sync, self->hasher);
}

/**
 * wc_application_get_follower_sync:
 * @self: a #WcApplication
 *
 * Returns: (transfer none): the service that keeps the followers, states
 *   and server limits of connected accounts fresh
 */
WcFollowerSync *
wc_application_get_follower_sync (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  if (self->follower_sync == NULL)
    {
      self->follower_sync = wc_follower_sync_new (NULL);
      g_signal_connect_object (self->follower_sync, "updated",
                               G_CALLBACK (on_follower_sync_updated), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->follower_sync, "account-changed",
                               G_CALLBACK (wc_application_notify_accounts_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect (self, "notify::hasher", G_CALLBACK (on_hasher_for_sync), NULL);
    }
  /* The store may have been reloaded ("Delete all Whitecoat data"). */
  wc_follower_sync_set_store (self->follower_sync, wc_application_get_store (self));
  wc_follower_sync_set_hasher (self->follower_sync, self->hasher);
  return self->follower_sync;
}

/* --- Added for encryption at rest --- */

/**
 * wc_application_get_data_unlocked:
 * @self: a #WcApplication
 *
 * Returns: whether drafts and scheduled posts can be read and written
 */
gboolean
wc_application_get_data_unlocked (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), FALSE);

  return self->data_unlocked;
}

/**
 * wc_application_get_data_unlocking:
 * @self: a #WcApplication
 *
 * Returns: whether the keyring is being asked for the key
 */
gboolean
wc_application_get_data_unlocking (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), FALSE);

  return self->data_key_cancellable != NULL;
}

/**
 * wc_application_get_data_error:
 * @self: a #WcApplication
 *
 * Returns: (transfer none) (nullable): why the drafts are still locked
 *   after the last attempt, in words for the user; %NULL while unlocking,
 *   once unlocked, or before the first attempt
 */
const GError *
wc_application_get_data_error (WcApplication *self)
{
  g_return_val_if_fail (WC_IS_APPLICATION (self), NULL);

  return self->data_error;
}

/**
 * wc_application_unlock_data:
 * @self: a #WcApplication
 *
 * Asks the keyring for the key that seals drafts and scheduled posts
 * (making it the first time) and gives it to the store, unless the store
 * has it or it is on its way. Done once the first frame is drawn, and
 * again when the user retries; never in the startup benchmark.
 */
void
wc_application_unlock_data (WcApplication *self)
{
  g_return_if_fail (WC_IS_APPLICATION (self));

  if (self->bench || self->data_unlocked || self->data_key_cancellable != NULL)
    return;

  g_clear_error (&self->data_error);
  self->data_key_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_UNLOCKING]);

  /* Opening the store is part of it: the first start makes the database
   * only now, after its first frame. */
  if (wc_application_get_store (self) != NULL && wc_store_has_data_key (self->store))
    {
      g_clear_object (&self->data_key_cancellable);
      update_data_unlocked (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_UNLOCKING]);
      return;
    }
  wc_keyring_load_data_key_async (TRUE, self->data_key_cancellable, data_key_loaded_cb, g_object_ref (self));
}
