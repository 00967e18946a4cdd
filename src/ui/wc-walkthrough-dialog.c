/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-privacy-health.h"
#include "wc-privacy-settings.h"
#include "wc-store-privacy.h"
#include "wc-unlock-warning.h"
#include "wc-walkthrough-dialog.h"

struct _WcWalkthroughDialog
{
  AdwWindow        parent_instance;

  WcApplication   *application;
  GPtrArray       *accounts;      /* of WcAccount */
  GHashTable      *crosslinks;    /* nullable */
  guint            account_index;

  /* The account under review. */
  WcWalkthrough   *walkthrough;
  GPtrArray       *records;       /* of WcPrivacyStepRecord */
  WcAccountState  *state;         /* nullable */
  gint64           pending_requests;
  guint            step_index;
  gboolean         applied;       /* the step was applied; "Next" goes on */
  char            *current;       /* the current value as shown */
  char            *answer;

  GCancellable    *cancellable;
  gboolean         busy;
  gboolean         finished;

  /* template */
  AdwWindowTitle  *title;
  GtkProgressBar  *progress;
  GtkLabel        *progress_label;
  GtkStack        *pages;
  GtkLabel        *step_title_label;
  GtkLabel        *where_label;
  GtkLabel        *why_label;
  GtkLabel        *rule_label;
  AdwActionRow    *current_row;
  AdwActionRow    *recommended_row;
  GtkWidget       *recommended_icon;
  GtkLabel        *answer_label;
  GtkWidget       *next_button;
  GtkWidget       *apply_button;
  GtkWidget       *open_settings_button;
  GtkWidget       *done_button;
  GtkWidget       *skip_button;
  GtkListBox      *summary_list;
};

G_DEFINE_FINAL_TYPE (WcWalkthroughDialog, wc_walkthrough_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_step (WcWalkthroughDialog *self);
static void start_account (WcWalkthroughDialog *self);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static WcAccount *
current_account (WcWalkthroughDialog *self)
{
  return self->account_index < self->accounts->len ? g_ptr_array_index (self->accounts, self->account_index) : NULL;
}

static const WcWalkthroughStep *
current_step (WcWalkthroughDialog *self)
{
  if (self->walkthrough == NULL || self->finished
      || self->step_index >= wc_walkthrough_get_n_steps (self->walkthrough))
    return NULL;
  return wc_walkthrough_get_step (self->walkthrough, self->step_index);
}

static const WcPrivacyStepRecord *
find_record (WcWalkthroughDialog *self,
             const char          *step_id)
{
  for (guint i = 0; self->records != NULL && i < self->records->len; i++)
    {
      const WcPrivacyStepRecord *record = g_ptr_array_index (self->records, i);

      if (g_strcmp0 (record->step_id, step_id) == 0)
        return record;
    }
  return NULL;
}

static int
crosslinks_for (WcWalkthroughDialog *self,
                WcAccount           *account)
{
  gint64 id = wc_account_get_id (account);
  gpointer value;

  if (self->crosslinks == NULL || !g_hash_table_lookup_extended (self->crosslinks, &id, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

static void
set_busy (WcWalkthroughDialog *self,
          gboolean             busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static gboolean
page_has_focus (WcWalkthroughDialog *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->pages));
}

/* Shows page @name with what it now says. Keyboard focus on the page
 * starts again at its first widget, as when each step was built anew: a
 * button pressed from the keyboard does not stay focused, so that pressing
 * Enter again does not act on the next step as well. */
static void
show_page (WcWalkthroughDialog *self,
           const char          *name,
           gboolean             had_focus)
{
  gtk_stack_set_visible_child_name (self->pages, name);
  if (!had_focus)
    return;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_child_focus (GTK_WIDGET (self->pages), GTK_DIR_TAB_FORWARD);
}

static void
update_actions (WcWalkthroughDialog *self)
{
  const WcWalkthroughStep *step = current_step (self);
  WcAccount *account = current_account (self);
  gboolean as_recommended = FALSE;
  gboolean api = FALSE;

  if (step != NULL)
    {
      as_recommended = g_strcmp0 (self->current,
                                  wc_walkthrough_step_get_recommended (step, wc_account_get_identity (account))) == 0;
      api = step->apply == WC_WALKTHROUGH_APPLY_API;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.apply",
                                 step != NULL && !self->busy && api && !as_recommended && !self->applied);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.done",
                                 step != NULL && !self->busy && !api);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.skip",
                                 step != NULL && !self->busy && !self->applied);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.next",
                                 step != NULL && !self->busy && (as_recommended || self->applied));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.back",
                                 step != NULL && !self->busy && self->step_index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "walkthrough.open-settings",
                                 step != NULL && step->apply == WC_WALKTHROUGH_APPLY_SETTINGS_PAGE);
}

static char *
value_text (const WcWalkthroughStep *step,
            const char              *value)
{
  if (value == NULL)
    return g_strdup (step->read == WC_WALKTHROUGH_READ_API
                     ? _("Not read yet")
                     : _("Not known yet: check it on the settings page"));
  return g_strdup (wc_walkthrough_step_get_value_label (step, value));
}

static void
show_values (WcWalkthroughDialog     *self,
             const WcWalkthroughStep *step,
             WcAccount               *account)
{
  WcIdentityKind identity = wc_account_get_identity (account);
  const char *recommended = wc_walkthrough_step_get_recommended (step, identity);
  g_autofree char *now = value_text (step, self->current);
  g_autofree char *recommended_title = NULL;

  adw_action_row_set_subtitle (self->current_row, now);

  /* Translators: %s is "personal" or "professional" */
  recommended_title = g_strdup_printf (_("Recommended for your %s identity"),
                                       identity == WC_IDENTITY_PERSONAL ? _("personal") : _("professional"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recommended_row), recommended_title);
  adw_action_row_set_subtitle (self->recommended_row, wc_walkthrough_step_get_value_label (step, recommended));
  gtk_widget_set_visible (self->recommended_icon, g_strcmp0 (self->current, recommended) == 0);
}

static void
save_review (WcWalkthroughDialog *self,
             gboolean             finished)
{
  WcStore *store = wc_application_get_store (self->application);
  WcAccount *account = current_account (self);
  const WcWalkthroughStep *step = current_step (self);
  g_autoptr(WcPrivacyReview) review = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || account == NULL)
    return;
  review = wc_store_load_privacy_review (store, wc_account_get_id (account), NULL);
  if (review == NULL)
    {
      review = g_new0 (WcPrivacyReview, 1);
      review->account_id = wc_account_get_id (account);
    }
  /* A review is under way from its first step until its last. */
  if (review->started_at == 0 || review->finished_at >= review->started_at)
    review->started_at = now_seconds ();
  g_free (review->current_step);
  review->current_step = finished || step == NULL ? NULL : g_strdup (step->id);
  if (finished)
    review->finished_at = MAX (now_seconds (), review->started_at);
  if (!wc_store_save_privacy_review (store, review, &error))
    g_warning ("Cannot save where the privacy review stands: %s", error->message);
}

static void
show_finished (WcWalkthroughDialog *self)
{
  WcStore *store = wc_application_get_store (self->application);
  GSettings *settings = wc_application_get_settings (self->application);
  gboolean had_focus = page_has_focus (self);
  GtkWidget *child;

  self->finished = TRUE;
  g_clear_pointer (&self->current, g_free);
  adw_window_title_set_subtitle (self->title, "");
  gtk_progress_bar_set_fraction (self->progress, 1.0);
  gtk_label_set_text (self->progress_label, _("Done"));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_list))) != NULL)
    gtk_list_box_remove (self->summary_list, child);
  for (guint i = 0; i < self->accounts->len && store != NULL; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);
      g_autoptr(WcPrivacyHealth) health = wc_privacy_health_load (store, account, crosslinks_for (self, account),
                                                                  now_seconds (),
                                                                  g_settings_get_uint (settings, "privacy-review-interval"),
                                                                  NULL);
      g_autofree char *title = wc_account_dup_title (account);
      g_autofree char *score = health ? wc_privacy_health_dup_score_text (health) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), score ? score : "");
      gtk_list_box_append (self->summary_list, row);
    }
  show_page (self, "finished", had_focus);
  update_actions (self);
}

static void
show_step (WcWalkthroughDialog *self)
{
  const WcWalkthroughStep *step = current_step (self);
  WcAccount *account = current_account (self);
  const WcWalkthroughRule *rule;
  g_autofree char *progress = NULL;
  g_autofree char *rule_text = NULL;
  g_autofree char *title = NULL;
  guint n;
  gboolean as_recommended;
  gboolean had_focus;

  if (step == NULL)
    return;

  had_focus = page_has_focus (self);
  n = wc_walkthrough_get_n_steps (self->walkthrough);
  title = wc_account_dup_title (account);
  adw_window_title_set_subtitle (self->title, title);
  /* Translators: "Step 3 of 7" */
  progress = g_strdup_printf (_("Step %u of %u"), self->step_index + 1, n);
  if (self->accounts->len > 1)
    {
      /* Translators: 1: "Step 3 of 7", 2: "account 2 of 4" */
      g_autofree char *with_accounts = g_strdup_printf (_("%s · account %u of %u"), progress,
                                                        self->account_index + 1, self->accounts->len);

      g_free (progress);
      progress = g_steal_pointer (&with_accounts);
    }
  gtk_label_set_text (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress,
                                 (self->account_index + (double) self->step_index / n) / self->accounts->len);

  g_free (self->current);
  self->current = wc_privacy_health_current_value (step, find_record (self, step->id), self->state,
                                                   crosslinks_for (self, account));
  as_recommended = g_strcmp0 (self->current,
                              wc_walkthrough_step_get_recommended (step, wc_account_get_identity (account))) == 0;

  gtk_label_set_text (self->step_title_label, wc_walkthrough_step_get_title (step));
  gtk_label_set_text (self->where_label, wc_walkthrough_step_get_where (step));
  gtk_widget_set_visible (GTK_WIDGET (self->where_label), *wc_walkthrough_step_get_where (step) != '\0');
  gtk_label_set_text (self->why_label, wc_walkthrough_step_get_why (step));
  rule = wc_walkthrough_lookup_rule (step->rule);
  /* Translators: 1: a rule id such as "R8", 2: the rule, 3: who says so */
  rule_text = g_strdup_printf (_("%s: %s (%s)"), rule->id, wc_walkthrough_rule_get_title (rule), rule->sources);
  gtk_label_set_text (self->rule_label, rule_text);

  show_values (self, step, account);

  gtk_label_set_text (self->answer_label, self->answer != NULL ? self->answer : "");
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label), self->answer != NULL);
  set_css_class (GTK_WIDGET (self->answer_label), "success", self->answer != NULL && self->applied);
  set_css_class (GTK_WIDGET (self->answer_label), "error", self->answer != NULL && !self->applied);

  gtk_widget_set_visible (self->next_button, self->applied || as_recommended);
  gtk_widget_set_visible (self->apply_button,
                          step->apply == WC_WALKTHROUGH_APPLY_API && !self->applied && !as_recommended);
  gtk_widget_set_visible (self->open_settings_button, step->apply == WC_WALKTHROUGH_APPLY_SETTINGS_PAGE);
  gtk_widget_set_visible (self->done_button, step->apply == WC_WALKTHROUGH_APPLY_SETTINGS_PAGE);
  set_css_class (self->done_button, "suggested-action", !as_recommended);
  gtk_widget_set_visible (self->skip_button, !self->applied);
  show_page (self, "step", had_focus);

  save_review (self, FALSE);
  update_actions (self);
}

static void
advance (WcWalkthroughDialog *self)
{
  self->applied = FALSE;
  g_clear_pointer (&self->answer, g_free);
  self->step_index++;
  if (self->step_index < wc_walkthrough_get_n_steps (self->walkthrough))
    {
      show_step (self);
      return;
    }
  save_review (self, TRUE);
  self->account_index++;
  if (self->account_index < self->accounts->len)
    start_account (self);
  else
    show_finished (self);
}

static gboolean
record_outcome (WcWalkthroughDialog *self,
                WcPrivacyOutcome     outcome,
                const char          *value)
{
  WcStore *store = wc_application_get_store (self->application);
  const WcWalkthroughStep *step = current_step (self);
  WcAccount *account = current_account (self);
  g_autofree char *summary = NULL;
  const char *label = value != NULL ? wc_walkthrough_step_get_value_label (step, value) : _("unknown");
  g_autoptr(GError) error = NULL;

  if (store == NULL || step == NULL)
    return FALSE;

  switch (outcome)
    {
    case WC_PRIVACY_OUTCOME_APPLIED:
      /* Translators: audit log; 1: a setting, 2: its new value */
      summary = g_strdup_printf (_("Privacy walkthrough: Whitecoat set “%s” to “%s” through the network’s API"),
                                 wc_walkthrough_step_get_title (step), label);
      break;
    case WC_PRIVACY_OUTCOME_DONE:
      summary = g_strdup_printf (_("Privacy walkthrough: you set “%s” to “%s” on the settings page"),
                                 wc_walkthrough_step_get_title (step), label);
      break;
    case WC_PRIVACY_OUTCOME_AS_RECOMMENDED:
      summary = g_strdup_printf (_("Privacy walkthrough: “%s” was already “%s”, as recommended"),
                                 wc_walkthrough_step_get_title (step), label);
      break;
    case WC_PRIVACY_OUTCOME_SKIPPED:
    default:
      summary = g_strdup_printf (_("Privacy walkthrough: you left “%s” as it is (%s)"),
                                 wc_walkthrough_step_get_title (step), label);
      break;
    }

  if (!wc_store_record_privacy_step (store, account, step->id, outcome, value, 0, summary, &error))
    {
      g_free (self->answer);
      self->answer = g_strdup (error->message);
      show_step (self);
      return FALSE;
    }
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = wc_store_list_privacy_steps (store, wc_account_get_id (account), NULL);
  return TRUE;
}

/* --- Reading and applying ----------------------------------------------- */

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(WcWalkthroughDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) reading = wc_privacy_settings_read_finish (result, &error);
  WcStore *store;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  store = wc_application_get_store (self->application);
  if (reading == NULL)
    {
      /* The walkthrough goes on with what is stored; the error says why
       * the values are old. */
      self->answer = g_strdup (error->message);
    }
  else
    {
      if (store != NULL)
        wc_store_save_account_state (store, reading->state, NULL);
      g_clear_pointer (&self->state, wc_account_state_free);
      self->state = g_steal_pointer (&reading->state);
      self->pending_requests = reading->follow_requests;
    }
  show_step (self);
}

static void
start_account (WcWalkthroughDialog *self)
{
  WcStore *store = wc_application_get_store (self->application);
  WcAccount *account = current_account (self);
  g_autoptr(WcPrivacyReview) review = NULL;
  g_autoptr(GError) error = NULL;
  int resume;

  g_clear_object (&self->walkthrough);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->state, wc_account_state_free);
  g_clear_pointer (&self->answer, g_free);
  self->pending_requests = -1;
  self->step_index = 0;
  self->applied = FALSE;

  self->walkthrough = wc_walkthrough_load (wc_account_get_network (account), &error);
  if (self->walkthrough == NULL || store == NULL)
    {
      g_debug ("No walkthrough: %s", error ? error->message : "no store");
      self->account_index++;
      if (self->account_index < self->accounts->len)
        start_account (self);
      else
        show_finished (self);
      return;
    }
  self->records = wc_store_list_privacy_steps (store, wc_account_get_id (account), NULL);
  self->state = wc_store_load_account_state (store, wc_account_get_id (account), NULL);
  review = wc_store_load_privacy_review (store, wc_account_get_id (account), NULL);
  /* Resume where the last, unfinished, review stopped. */
  if (review != NULL && review->current_step != NULL && review->finished_at < review->started_at
      && (resume = wc_walkthrough_find_step (self->walkthrough, review->current_step)) >= 0)
    self->step_index = resume;

  if (wc_privacy_settings_can_read (account))
    {
      set_busy (self, TRUE);
      show_page (self, "reading", page_has_focus (self));
      update_actions (self);
      wc_privacy_settings_read_async (account, self->cancellable, on_read, g_object_ref (self));
      return;
    }
  show_step (self);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WcWalkthroughDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) reading = wc_privacy_settings_apply_finish (result, &error);
  const WcWalkthroughStep *step;
  WcStore *store;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  step = current_step (self);
  g_clear_pointer (&self->answer, g_free);
  if (reading == NULL)
    {
      /* Translators: %s is the server's or the network layer's message */
      self->answer = g_strdup_printf (_("Not applied: %s"), error->message);
      show_step (self);
      return;
    }

  store = wc_application_get_store (self->application);
  if (store != NULL)
    wc_store_save_account_state (store, reading->state, NULL);
  g_clear_pointer (&self->state, wc_account_state_free);
  self->state = g_steal_pointer (&reading->state);
  self->pending_requests = reading->follow_requests;
  {
    g_autofree char *now = wc_walkthrough_step_read_state (step, self->state);
    const char *recommended = wc_walkthrough_step_get_recommended (step,
                                                                   wc_account_get_identity (current_account (self)));

    if (g_strcmp0 (now, recommended) == 0)
      {
        /* Translators: %s is a value such as "On" or "Followers only" */
        self->answer = g_strdup_printf (_("Applied. The server now reports: %s."),
                                        wc_walkthrough_step_get_value_label (step, now));
        self->applied = record_outcome (self, WC_PRIVACY_OUTCOME_APPLIED, now);
      }
    else
      self->answer = g_strdup_printf (_("The server did not take the change; it reports: %s."),
                                      now ? wc_walkthrough_step_get_value_label (step, now) : _("nothing"));
  }
  show_step (self);
}

static void
apply_now (WcWalkthroughDialog *self)
{
  const WcWalkthroughStep *step = current_step (self);
  WcAccount *account = current_account (self);

  set_busy (self, TRUE);
  update_actions (self);
  wc_privacy_settings_apply_async (account, step, wc_walkthrough_step_get_recommended (step, wc_account_get_identity (account)),
                                   self->cancellable, on_applied, g_object_ref (self));
}

static void
on_unlock_answered (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WcWalkthroughDialog) self = user_data;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (wc_unlock_warning_run_finish (result, NULL))
    apply_now (self);
  else
    update_actions (self);
}

/* --- Actions ------------------------------------------------------------ */

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);
  const WcWalkthroughStep *step = current_step (self);
  WcAccount *account = current_account (self);

  if (step == NULL || self->busy || step->apply != WC_WALKTHROUGH_APPLY_API)
    return;
  if (wc_walkthrough_step_needs_confirm (step, self->current,
                                         wc_walkthrough_step_get_recommended (step, wc_account_get_identity (account))))
    {
      /* Unlocking makes the server accept every pending request: ask first. */
      set_busy (self, TRUE);
      update_actions (self);
      wc_unlock_warning_run_async (GTK_WINDOW (self), account, self->pending_requests, self->cancellable,
                                   on_unlock_answered, g_object_ref (self));
      return;
    }
  apply_now (self);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);
  const WcWalkthroughStep *step = current_step (self);

  if (step == NULL || self->busy)
    return;
  if (record_outcome (self, WC_PRIVACY_OUTCOME_DONE,
                      wc_walkthrough_step_get_recommended (step, wc_account_get_identity (current_account (self)))))
    advance (self);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);

  if (current_step (self) == NULL || self->busy)
    return;
  if (record_outcome (self, WC_PRIVACY_OUTCOME_SKIPPED, self->current))
    advance (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);

  if (current_step (self) == NULL || self->busy)
    return;
  /* After "Apply" the outcome is recorded already. */
  if (!self->applied && !record_outcome (self, WC_PRIVACY_OUTCOME_AS_RECOMMENDED, self->current))
    return;
  advance (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);

  if (current_step (self) == NULL || self->busy || self->step_index == 0)
    return;
  self->step_index--;
  self->applied = FALSE;
  g_clear_pointer (&self->answer, g_free);
  show_step (self);
}

static void
open_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (widget);
  const WcWalkthroughStep *step = current_step (self);
  g_autofree char *url = NULL;

  if (step == NULL || step->apply_url == NULL)
    return;
  url = wc_walkthrough_expand_url (step->apply_url, current_account (self));
  if (!g_str_has_prefix (url, "https://"))
    return;
  gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

/* --- The object --------------------------------------------------------- */

static void
wc_walkthrough_dialog_dispose (GObject *object)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (object);

  /* Cancelled, and kept until finalize: callbacks that still arrive see
   * it cancelled and leave the disposed dialog alone. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->application);
  g_clear_object (&self->walkthrough);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->crosslinks, g_hash_table_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->state, wc_account_state_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_WALKTHROUGH_DIALOG);

  G_OBJECT_CLASS (wc_walkthrough_dialog_parent_class)->dispose (object);
}

static void
wc_walkthrough_dialog_finalize (GObject *object)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->current);
  g_free (self->answer);

  G_OBJECT_CLASS (wc_walkthrough_dialog_parent_class)->finalize (object);
}

static void
wc_walkthrough_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  WcWalkthroughDialog *self = WC_WALKTHROUGH_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_walkthrough_dialog_class_init (WcWalkthroughDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_walkthrough_dialog_dispose;
  object_class->finalize = wc_walkthrough_dialog_finalize;
  object_class->get_property = wc_walkthrough_dialog_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "walkthrough.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "walkthrough.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "walkthrough.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "walkthrough.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "walkthrough.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "walkthrough.open-settings", NULL, open_settings_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-walkthrough-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, title);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, pages);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, step_title_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, where_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, why_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, rule_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, recommended_row);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, recommended_icon);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, answer_label);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, open_settings_button);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, skip_button);
  gtk_widget_class_bind_template_child (widget_class, WcWalkthroughDialog, summary_list);
}

static void
wc_walkthrough_dialog_init (WcWalkthroughDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->pending_requests = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wc_walkthrough_dialog_new:
 * @parent: (nullable): the main window
 *
 * Returns: (transfer none): the walkthrough, shown on its first (or
 *   resumed) step; it reads the settings of API accounts first
 */
WcWalkthroughDialog *
wc_walkthrough_dialog_new (WcApplication *application,
                           GtkWindow     *parent,
                           GPtrArray     *accounts,
                           GHashTable    *crosslinks)
{
  WcWalkthroughDialog *self;

  g_return_val_if_fail (WC_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (accounts != NULL && accounts->len > 0, NULL);

  self = g_object_new (WC_TYPE_WALKTHROUGH_DIALOG,
                       "application", application,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->application = g_object_ref (application);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (accounts, i)));
  self->crosslinks = crosslinks != NULL ? g_hash_table_ref (crosslinks) : NULL;
  start_account (self);
  return self;
}

WcAccount *
wc_walkthrough_dialog_get_account (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), NULL);
  return self->finished ? NULL : current_account (self);
}

const char *
wc_walkthrough_dialog_get_step_id (WcWalkthroughDialog *self)
{
  const WcWalkthroughStep *step;

  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), NULL);
  step = current_step (self);
  return step != NULL ? step->id : NULL;
}

guint
wc_walkthrough_dialog_get_step_index (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), 0);
  return self->step_index;
}

gboolean
wc_walkthrough_dialog_get_busy (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), FALSE);
  return self->busy;
}

const char *
wc_walkthrough_dialog_get_current_value (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), NULL);
  return self->current;
}

const char *
wc_walkthrough_dialog_get_answer (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), NULL);
  return self->answer;
}

gboolean
wc_walkthrough_dialog_get_finished (WcWalkthroughDialog *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH_DIALOG (self), FALSE);
  return self->finished;
}
