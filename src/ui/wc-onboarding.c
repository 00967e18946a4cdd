/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-onboarding"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-onboarding.h"

struct _WcOnboarding
{
  AdwWindow          parent_instance;

  gboolean           finished;
  guint              page;      /* the page shown or being scrolled to */

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  AdwCarousel       *carousel;
  GtkWidget         *welcome_page;
  GtkWidget         *professional_page;
  GtkWidget         *personal_page;
  GtkWidget         *done_page;
  WcIdentityEditor  *professional_editor;
  WcIdentityEditor  *personal_editor;
  GtkStack          *forward_stack;
  GtkWidget         *next_button;
  GtkWidget         *start_button;
};

G_DEFINE_FINAL_TYPE (WcOnboarding, wc_onboarding, ADW_TYPE_WINDOW)

static WcApplication *
get_app (WcOnboarding *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return WC_IS_APPLICATION (app) ? WC_APPLICATION (app) : NULL;
}

static guint
get_current_page (WcOnboarding *self)
{
  return self->page;
}

static GtkWidget *
get_editor_page (WcOnboarding   *self,
                 WcIdentityKind  kind)
{
  return kind == WC_IDENTITY_PERSONAL ? self->personal_page : self->professional_page;
}

static void
update_buttons (WcOnboarding *self)
{
  guint page = get_current_page (self);
  guint n_pages = adw_carousel_get_n_pages (self->carousel);
  gboolean last = page + 1 >= n_pages;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.back", page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.next", !last);
  gtk_stack_set_visible_child (self->forward_stack, last ? self->start_button : self->next_button);
}

static void
go_to_page (WcOnboarding *self,
            GtkWidget    *page)
{
  for (guint i = 0; i < adw_carousel_get_n_pages (self->carousel); i++)
    {
      if (adw_carousel_get_nth_page (self->carousel, i) == page)
        {
          self->page = i;
          break;
        }
    }

  adw_carousel_scroll_to (self->carousel, page, TRUE);
  update_buttons (self);
}

static void
set_onboarding_done (WcOnboarding *self)
{
  WcApplication *app = get_app (self);

  if (app != NULL)
    g_settings_set_boolean (wc_application_get_settings (app), "onboarding-done", TRUE);
}

static void
load_identities (WcOnboarding *self)
{
  WcApplication *app = get_app (self);
  WcStore *store = app != NULL ? wc_application_get_store (app) : NULL;

  if (store == NULL)
    return;

  for (WcIdentityKind kind = WC_IDENTITY_PERSONAL; kind <= WC_IDENTITY_PROFESSIONAL; kind++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcIdentity) identity = wc_store_load_identity (store, kind, &error);

      if (identity == NULL)
        {
          g_debug ("Cannot load the %s identity, editing the defaults: %s",
                   wc_identity_kind_to_string (kind), error->message);
          continue;
        }

      wc_identity_editor_set_identity (wc_onboarding_get_editor (self, kind), identity);
    }
}

static void
on_carousel_page_changed (WcOnboarding *self,
                          guint         index)
{
  self->page = index;
  update_buttons (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcOnboarding *self = WC_ONBOARDING (widget);
  guint page = get_current_page (self);

  if (page > 0)
    go_to_page (self, adw_carousel_get_nth_page (self->carousel, page - 1));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcOnboarding *self = WC_ONBOARDING (widget);
  guint page = get_current_page (self);
  GtkWidget *current = adw_carousel_get_nth_page (self->carousel, page);

  /* Problems are shown at their field before moving on; nothing is saved
   * until Start. */
  if (current == self->professional_page &&
      !wc_identity_editor_validate (self->professional_editor, NULL))
    return;

  if (current == self->personal_page &&
      !wc_identity_editor_validate (self->personal_editor, NULL))
    return;

  if (page + 1 < adw_carousel_get_n_pages (self->carousel))
    go_to_page (self, adw_carousel_get_nth_page (self->carousel, page + 1));
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcOnboarding *self = WC_ONBOARDING (widget);

  self->finished = TRUE;
  set_onboarding_done (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcOnboarding *self = WC_ONBOARDING (widget);
  WcApplication *app = get_app (self);
  WcStore *store = app != NULL ? wc_application_get_store (app) : NULL;
  static const WcIdentityKind order[] = { WC_IDENTITY_PROFESSIONAL, WC_IDENTITY_PERSONAL };

  if (store == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Whitecoat cannot save anything: its database could not be created")));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      WcIdentityEditor *editor = wc_onboarding_get_editor (self, order[i]);
      g_autoptr(GError) error = NULL;

      if (!wc_identity_editor_apply (editor, store, &error))
        {
          go_to_page (self, get_editor_page (self, order[i]));

          /* Field problems are shown at the field; anything else here. */
          if (error->domain != WC_IDENTITY_ERROR)
            adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }

      wc_application_notify_identity_changed (app, order[i]);
    }

  self->finished = TRUE;
  set_onboarding_done (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
wc_onboarding_close_request (GtkWindow *window)
{
  WcOnboarding *self = WC_ONBOARDING (window);

  /* Closing the window any other way counts as Skip: it should not come
   * back at every start. */
  if (!self->finished)
    {
      self->finished = TRUE;
      set_onboarding_done (self);
    }

  return GTK_WINDOW_CLASS (wc_onboarding_parent_class)->close_request (window);
}

static void
wc_onboarding_constructed (GObject *object)
{
  WcOnboarding *self = WC_ONBOARDING (object);

  G_OBJECT_CLASS (wc_onboarding_parent_class)->constructed (object);

  update_buttons (self);
}

static void
wc_onboarding_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WC_TYPE_ONBOARDING);

  G_OBJECT_CLASS (wc_onboarding_parent_class)->dispose (object);
}

static void
wc_onboarding_class_init (WcOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = wc_onboarding_constructed;
  object_class->dispose = wc_onboarding_dispose;
  window_class->close_request = wc_onboarding_close_request;

  g_type_ensure (WC_TYPE_IDENTITY_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-onboarding.ui");
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, carousel);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, professional_page);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, personal_page);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, done_page);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, professional_editor);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, personal_editor);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, forward_stack);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, next_button);
  gtk_widget_class_bind_template_child (widget_class, WcOnboarding, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_carousel_page_changed);

  gtk_widget_class_install_action (widget_class, "onboarding.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "onboarding.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "onboarding.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "onboarding.start", NULL, start_action);
}

static void
wc_onboarding_init (WcOnboarding *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wc_onboarding_new:
 * @app: the application, for its store and settings
 * @parent: (nullable): the window the onboarding sits on
 *
 * Creates the first-start introduction: the idea, both identities, done.
 * Skip keeps the defaults; Start saves both identities. Either way the
 * "onboarding-done" setting is set.
 *
 * Returns: (transfer none): a new modal window; present it
 */
GtkWindow *
wc_onboarding_new (WcApplication *app,
                   GtkWindow     *parent)
{
  WcOnboarding *self;

  g_return_val_if_fail (WC_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (WC_TYPE_ONBOARDING,
                       "application", app,
                       "transient-for", parent,
                       NULL);

  /* "application" is set after construction: load here. */
  load_identities (self);

  return GTK_WINDOW (self);
}

/**
 * wc_onboarding_get_editor:
 * @self: a #WcOnboarding
 * @kind: which identity
 *
 * Returns: (transfer none): the editor of @kind's page
 */
WcIdentityEditor *
wc_onboarding_get_editor (WcOnboarding   *self,
                          WcIdentityKind  kind)
{
  g_return_val_if_fail (WC_IS_ONBOARDING (self), NULL);

  return kind == WC_IDENTITY_PERSONAL ? self->personal_editor : self->professional_editor;
}

/**
 * wc_onboarding_get_page:
 * @self: a #WcOnboarding
 *
 * Returns: the index of the page shown (or being scrolled to)
 */
guint
wc_onboarding_get_page (WcOnboarding *self)
{
  g_return_val_if_fail (WC_IS_ONBOARDING (self), 0);

  return get_current_page (self);
}

/**
 * wc_onboarding_get_n_pages:
 * @self: a #WcOnboarding
 *
 * Returns: the number of pages
 */
guint
wc_onboarding_get_n_pages (WcOnboarding *self)
{
  g_return_val_if_fail (WC_IS_ONBOARDING (self), 0);

  return adw_carousel_get_n_pages (self->carousel);
}
