/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-accounts-view.h"
#include "wc-composer.h"
#include "wc-privacy-view.h"
#include "wc-requests-view.h"
#include "wc-scheduled-view.h"
#include "wc-window.h"

#define MIN_WIDTH  360
#define MIN_HEIGHT 294

/* How much of the identity's name the header bar always shows. */
/* How much of the identity's name the header shows: all of it up to
 * WIDE_IDENTITY_CHARS when the view switcher fits beside it, and at least
 * NARROW_IDENTITY_CHARS when the switcher has moved to the bottom bar, so
 * that the window still fits a phone with every title button. */
#define WIDE_IDENTITY_CHARS   24
#define NARROW_IDENTITY_CHARS 8

struct _WcWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *identity_button;
  GtkWidget            *identity_dot;
  GtkLabel             *identity_label;
  GtkWidget            *band;
  AdwViewStack         *stack;
  AdwSqueezer          *title_squeezer;
  GtkWidget            *no_switcher;
  AdwViewSwitcherBar   *switcher_bar;
  guint                 identity_width_idle;
  int                   shortened_at_width; /* see update_identity_width () */
  WcComposer           *composer;
  AdwBin               *scheduled_page;
  AdwBin               *requests_page;
  AdwBin               *privacy_page;
  AdwBin               *accounts_page;

  /* Built when shown or asked for, or one by one after the first frame */
  WcScheduledView      *scheduled_view;
  WcRequestsView       *requests_view;
  WcPrivacyView        *privacy_view;
  WcAccountsView       *accounts_view;
  guint                 build_views_idle;

  GtkCssProvider       *css_provider;
  char                 *css_scope;
  char                 *band_color;
  WcIdentityKind        identity;
  gboolean              application_set;
};

G_DEFINE_FINAL_TYPE (WcWindow, wc_window, ADW_TYPE_APPLICATION_WINDOW)

/* The views, in the order of Ctrl+1 … Ctrl+5. */
static const char * const view_names[] = {
  "compose",
  "scheduled",
  "requests",
  "privacy",
  "accounts",
};

static WcApplication *
get_app (WcWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? WC_APPLICATION (app) : NULL;
}

/* The colours are user-chosen; wc_application_dup_identity_color() only
 * hands out validated "#rrggbb" strings, so they are safe inside CSS. */
static void
update_css (WcWindow *self)
{
  WcApplication *app = get_app (self);
  g_autofree char *personal = NULL;
  g_autofree char *professional = NULL;
  g_autofree char *css = NULL;

  if (app == NULL)
    return;

  personal = wc_application_dup_identity_color (app, WC_IDENTITY_PERSONAL);
  professional = wc_application_dup_identity_color (app, WC_IDENTITY_PROFESSIONAL);

  css = g_strdup_printf (".%s.personal .identity-color { background-color: %s; }\n"
                         ".%s.professional .identity-color { background-color: %s; }\n",
                         self->css_scope, personal,
                         self->css_scope, professional);
  gtk_css_provider_load_from_data (self->css_provider, css, -1);

  g_free (self->band_color);
  self->band_color = g_strdup (self->identity == WC_IDENTITY_PERSONAL ? personal : professional);
}

/* Narrow: no view switcher fits in the header bar, so the views are in the
 * bottom bar. */
static gboolean
is_narrow (WcWindow *self)
{
  return adw_squeezer_get_visible_child (self->title_squeezer) == self->no_switcher;
}

/* The view switcher takes all the room the header bar can spare, leaving the
 * identity button its minimum: make that minimum the whole name when wide.
 *
 * Shortening the name can make room for a switcher again, and lengthening
 * it can squeeze the switcher out: so once shortened, the name stays short
 * until the window is wider than it was then. */
static void
update_identity_width (WcWindow *self)
{
  const char *name = gtk_label_get_text (self->identity_label);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int chars = g_utf8_strlen (name, -1);

  if (is_narrow (self))
    self->shortened_at_width = MAX (self->shortened_at_width, MAX (width, 1));
  else if (width > self->shortened_at_width)
    self->shortened_at_width = 0;

  gtk_label_set_width_chars (self->identity_label,
                             MIN (chars, self->shortened_at_width != 0 ? NARROW_IDENTITY_CHARS
                                                                       : WIDE_IDENTITY_CHARS));
}

static gboolean
update_identity_width_idle (gpointer user_data)
{
  WcWindow *self = user_data;

  self->identity_width_idle = 0;
  update_identity_width (self);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), is_narrow (self));
  adw_view_switcher_bar_set_reveal (self->switcher_bar, is_narrow (self));
  return G_SOURCE_REMOVE;
}

/* The squeezer changes its child while the header bar is being allocated;
 * resizing the label or revealing the bar then would upset that allocation,
 * so it waits for an idle. */
static void
on_title_squeezer_child_changed (WcWindow *self)
{
  if (self->identity_width_idle == 0)
    self->identity_width_idle = g_idle_add (update_identity_width_idle, self);
}

static void
update_identity (WcWindow *self)
{
  WcApplication *app = get_app (self);
  WcIdentityKind kind;
  WcIdentityKind other;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *accessible = NULL;
  GAction *action;

  if (app == NULL)
    return;

  kind = wc_application_get_active_identity (app);
  other = wc_identity_kind_other (kind);
  self->identity = kind;

  gtk_widget_remove_css_class (GTK_WIDGET (self), wc_identity_kind_to_string (other));
  gtk_widget_add_css_class (GTK_WIDGET (self), wc_identity_kind_to_string (kind));
  update_css (self);

  name = wc_application_dup_identity_name (app, kind);
  gtk_label_set_text (self->identity_label, name);
  update_identity_width (self);

  /* Translators: the window title; %s is "Personal" or "Professional". */
  title = g_strdup_printf (_("Whitecoat — %s"), wc_identity_kind_get_label (kind));
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_widget_set_tooltip_text (self->identity_button,
                               kind == WC_IDENTITY_PERSONAL
                               ? _("Acting as your personal identity. Click to switch to professional.")
                               : _("Acting as your professional identity. Click to switch to personal."));
  /* Translators: read by screen readers on the identity button; %s is the identity's name. */
  accessible = g_strdup_printf (_("Identity: %s. Switch identity"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->identity_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "identity");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action),
                               g_variant_new_string (wc_identity_kind_to_string (kind)));
}

static void
on_app_active_identity_notify (WcApplication *app,
                               GParamSpec    *pspec,
                               WcWindow      *self)
{
  update_identity (self);
}

static void
on_app_identity_changed (WcApplication  *app,
                         WcIdentityKind  kind,
                         WcWindow       *self)
{
  update_identity (self);
}

static void
switch_identity_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  WcWindow *self = WC_WINDOW (user_data);
  WcApplication *app = get_app (self);

  if (app == NULL)
    return;

  wc_application_set_active_identity (app,
                                      wc_identity_kind_other (wc_application_get_active_identity (app)));
}

static void
identity_change_state (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  WcWindow *self = WC_WINDOW (user_data);
  WcApplication *app = get_app (self);
  WcIdentityKind kind;

  if (!wc_identity_kind_from_string (g_variant_get_string (value, NULL), &kind))
    {
      g_warning ("Unknown identity “%s”", g_variant_get_string (value, NULL));
      return;
    }

  if (app != NULL)
    wc_application_set_active_identity (app, kind);
}

static void
view_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  WcWindow *self = WC_WINDOW (user_data);
  const char *name = g_action_get_name (G_ACTION (action));
  guint64 n = 0;

  /* "view-N" selects the Nth view. */
  if (!g_ascii_string_to_unsigned (name + strlen ("view-"), 10,
                                   1, G_N_ELEMENTS (view_names), &n, NULL))
    return;

  adw_view_stack_set_visible_child_name (self->stack, view_names[n - 1]);
}

/* The shortcuts window is built when it is asked for, not with every main
 * window as GtkApplication does with gtk/help-overlay.ui: that would cost
 * the first frame a whole builder file. */
static void
show_help_overlay_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  WcWindow *self = WC_WINDOW (user_data);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/io/github/whitecoat/Whitecoat/wc-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (self));
  gtk_window_set_modal (shortcuts, TRUE);
  gtk_window_present (shortcuts);
}

static const GActionEntry win_entries[] = {
  { "show-help-overlay", show_help_overlay_action },
  { "switch-identity", switch_identity_action },
  { "identity", NULL, "s", "'professional'", identity_change_state },
  { "view-1", view_action },
  { "view-2", view_action },
  { "view-3", view_action },
  { "view-4", view_action },
  { "view-5", view_action },
};

static void
save_window_state (WcWindow *self)
{
  WcApplication *app = get_app (self);
  GSettings *settings;
  int width = 0;
  int height = 0;

  if (app == NULL)
    return;

  settings = wc_application_get_settings (app);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

static void
restore_window_state (WcWindow *self)
{
  GSettings *settings = wc_application_get_settings (get_app (self));
  int width = g_settings_get_int (settings, "window-width");
  int height = g_settings_get_int (settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (width, MIN_WIDTH),
                               MAX (height, MIN_HEIGHT));

  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
wc_window_close_request (GtkWindow *window)
{
  save_window_state (WC_WINDOW (window));

  return GTK_WINDOW_CLASS (wc_window_parent_class)->close_request (window);
}

/* The views other than Compose are not part of the first frame: each is
 * built when it is shown or asked for, and the others one per idle after
 * the first frame, so that their background work (polling requests,
 * privacy checks) starts soon after Whitecoat does. */
typedef struct
{
  const char *name;
  GType     (*get_type)        (void);
  void      (*set_application) (gpointer view, WcApplication *application);
  gsize       page_offset;
  gsize       view_offset;
} LazyView;

#define LAZY_VIEW(name, type, set_app) \
  { #name, type, (void (*) (gpointer, WcApplication *)) set_app, \
    G_STRUCT_OFFSET (WcWindow, name##_page), G_STRUCT_OFFSET (WcWindow, name##_view) }

static const LazyView lazy_views[] = {
  LAZY_VIEW (scheduled, wc_scheduled_view_get_type, wc_scheduled_view_set_application),
  LAZY_VIEW (requests, wc_requests_view_get_type, wc_requests_view_set_application),
  LAZY_VIEW (privacy, wc_privacy_view_get_type, wc_privacy_view_set_application),
  LAZY_VIEW (accounts, wc_accounts_view_get_type, wc_accounts_view_set_application),
};

static GtkWidget *
ensure_view (WcWindow       *self,
             const LazyView *lazy)
{
  GtkWidget **view = &G_STRUCT_MEMBER (GtkWidget *, self, lazy->view_offset);
  AdwBin *page = G_STRUCT_MEMBER (AdwBin *, self, lazy->page_offset);
  WcApplication *app;

  if (*view != NULL)
    return *view;

  *view = g_object_new (lazy->get_type (), NULL);
  adw_bin_set_child (page, *view);
  app = self->application_set ? get_app (self) : NULL;
  if (app != NULL)
    lazy->set_application (*view, app);
  return *view;
}

static GtkWidget *
ensure_view_by_name (WcWindow   *self,
                     const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (lazy_views); i++)
    if (g_str_equal (lazy_views[i].name, name))
      return ensure_view (self, &lazy_views[i]);
  return NULL;
}

static void
on_visible_child_name (WcWindow *self)
{
  ensure_view_by_name (self, adw_view_stack_get_visible_child_name (self->stack));
}

static gboolean
build_views_idle_cb (gpointer user_data)
{
  WcWindow *self = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (lazy_views); i++)
    if (G_STRUCT_MEMBER (GtkWidget *, self, lazy_views[i].view_offset) == NULL)
      {
        ensure_view (self, &lazy_views[i]);
        return G_SOURCE_CONTINUE;
      }

  self->build_views_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock *frame_clock,
                WcWindow      *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_frame, self);
  if (self->build_views_idle == 0)
    self->build_views_idle = g_idle_add_full (G_PRIORITY_LOW, build_views_idle_cb, self, NULL);
}

static void
wc_window_realize (GtkWidget *widget)
{
  WcWindow *self = WC_WINDOW (widget);

  GTK_WIDGET_CLASS (wc_window_parent_class)->realize (widget);

  g_signal_connect_object (gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (self))),
                           "after-paint", G_CALLBACK (on_first_frame), self, 0);
}

/* GtkWindow:application is not a construct property, so the window
 * connects to its application once it is set rather than in constructed(). */
static void
on_application_notify (WcWindow   *self,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  WcApplication *app = get_app (self);

  if (app == NULL || self->application_set)
    return;

  self->application_set = TRUE;

  restore_window_state (self);

  g_signal_connect_object (app, "notify::active-identity",
                           G_CALLBACK (on_app_active_identity_notify),
                           self, 0);
  g_signal_connect_object (app, "identity-changed",
                           G_CALLBACK (on_app_identity_changed),
                           self, 0);

  wc_composer_set_application (self->composer, app);
  for (guint i = 0; i < G_N_ELEMENTS (lazy_views); i++)
    {
      GtkWidget *view = G_STRUCT_MEMBER (GtkWidget *, self, lazy_views[i].view_offset);

      if (view != NULL)
        lazy_views[i].set_application (view, app);
    }
  update_identity (self);
}

static void
wc_window_dispose (GObject *object)
{
  WcWindow *self = WC_WINDOW (object);

  g_clear_handle_id (&self->identity_width_idle, g_source_remove);
  g_clear_handle_id (&self->build_views_idle, g_source_remove);

  if (self->css_provider != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->css_provider));
      g_clear_object (&self->css_provider);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_WINDOW);

  G_OBJECT_CLASS (wc_window_parent_class)->dispose (object);
}

static void
wc_window_finalize (GObject *object)
{
  WcWindow *self = WC_WINDOW (object);

  g_clear_pointer (&self->css_scope, g_free);
  g_clear_pointer (&self->band_color, g_free);

  G_OBJECT_CLASS (wc_window_parent_class)->finalize (object);
}

static void
wc_window_class_init (WcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wc_window_dispose;
  object_class->finalize = wc_window_finalize;

  widget_class->realize = wc_window_realize;
  window_class->close_request = wc_window_close_request;

  g_type_ensure (WC_TYPE_COMPOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, identity_button);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, identity_dot);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, identity_label);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, band);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, title_squeezer);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, no_switcher);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, scheduled_page);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, privacy_page);
  gtk_widget_class_bind_template_child (widget_class, WcWindow, accounts_page);
}

static void
wc_window_init (WcWindow *self)
{
  static guint n_windows;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->title_squeezer, "notify::visible-child",
                            G_CALLBACK (on_title_squeezer_child_changed), self);
  g_signal_connect_swapped (self, "notify::default-width",
                            G_CALLBACK (on_title_squeezer_child_changed), self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (on_visible_child_name), self);

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (on_application_notify), NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   win_entries, G_N_ELEMENTS (win_entries),
                                   self);

  /* One provider per window, scoped by a class of its own, so that a window
   * going away takes its colours with it. */
  self->css_scope = g_strdup_printf ("wc-window-%u", ++n_windows);
  gtk_widget_add_css_class (GTK_WIDGET (self), self->css_scope);
  self->css_provider = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->css_provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/**
 * wc_window_new:
 * @application: the application
 *
 * Returns: (transfer full): a new main window
 */
WcWindow *
wc_window_new (WcApplication *application)
{
  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);

  return g_object_new (WC_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * wc_window_add_toast:
 * @self: a #WcWindow
 * @toast: (transfer full): the toast
 *
 * Shows @toast over the window's content.
 */
void
wc_window_add_toast (WcWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (WC_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * wc_window_get_view_stack:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the stack of views
 */
AdwViewStack *
wc_window_get_view_stack (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return self->stack;
}

/**
 * wc_window_get_composer:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the Compose view
 */
WcComposer *
wc_window_get_composer (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return self->composer;
}

/**
 * wc_window_get_requests_view:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the Requests view
 */
GtkWidget *
wc_window_get_requests_view (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return ensure_view_by_name (self, "requests");
}

/**
 * wc_window_get_scheduled_view:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the Scheduled view, built if it was not yet
 */
GtkWidget *
wc_window_get_scheduled_view (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return ensure_view_by_name (self, "scheduled");
}

/**
 * wc_window_get_privacy_view:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the Privacy view, built if it was not yet
 */
GtkWidget *
wc_window_get_privacy_view (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return ensure_view_by_name (self, "privacy");
}

/**
 * wc_window_get_accounts_view:
 * @self: a #WcWindow
 *
 * Returns: (transfer none): the Accounts view
 */
GtkWidget *
wc_window_get_accounts_view (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return ensure_view_by_name (self, "accounts");
}

/**
 * wc_window_get_identity_text:
 * @self: a #WcWindow
 *
 * Returns: the identity name shown in the header bar
 */
const char *
wc_window_get_identity_text (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->identity_label);
}

/**
 * wc_window_get_band_color:
 * @self: a #WcWindow
 *
 * Returns: (nullable): the colour of the identity band, "#rrggbb"
 */
const char *
wc_window_get_band_color (WcWindow *self)
{
  g_return_val_if_fail (WC_IS_WINDOW (self), NULL);

  return self->band_color;
}
