/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-crosslink-audit.h"
#include "wc-network-catalog.h"
#include "wc-privacy-health.h"
#include "wc-privacy-settings.h"
#include "wc-privacy-view.h"
#include "wc-profile-fix.h"
#include "wc-store-privacy.h"
#include "wc-window.h"

/* After the first frame, not before: reading settings must not slow the
 * start. Then once a day. */
#define FIRST_CHECK_SECONDS 3
#define CHECK_INTERVAL_SECONDS (24 * 60 * 60)

struct _WcPrivacyView
{
  GtkWidget             parent_instance;

  WcApplication        *application;
  GHashTable           *profiles;     /* account id (gint64 *) → WcProfile read from the network */
  GPtrArray            *findings;     /* of WcCrosslinkFinding */
  GHashTable           *crosslinks;   /* account id → count */
  GHashTable           *summaries;    /* account id → char * */
  GHashTable           *never;        /* account ids never reviewed */
  GArray               *order;        /* gint64 */
  GPtrArray             *group_rows[2];
  GCancellable         *cancellable;
  guint                 pending;
  guint                 first_check_id;
  guint                 daily_check_id;
  gboolean              dirty;
  gboolean              offered;
  char                 *last_notification;
  /* Fixing a cross-link finding: the confirmation shown, and whether a
   * fix is being prepared, confirmed or sent. */
  AdwMessageDialog     *fix_dialog;
  gboolean              fixing;

  GtkStack             *stack;
  GtkWidget            *banner;
  GtkLabel             *banner_label;
  AdwPreferencesGroup  *accounts_group;
  AdwPreferencesGroup  *links_group;
};

G_DEFINE_FINAL_TYPE (WcPrivacyView, wc_privacy_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHECKING,
  PROP_FIXING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { ACCOUNT_ROWS, LINK_ROWS };

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static guint
review_days (WcPrivacyView *self)
{
  return g_settings_get_uint (wc_application_get_settings (self->application), "privacy-review-interval");
}

static gint64 *
id_key (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static void
clear_rows (WcPrivacyView       *self,
            AdwPreferencesGroup *group,
            guint                which)
{
  for (guint i = 0; i < self->group_rows[which]->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->group_rows[which], i));
  g_ptr_array_set_size (self->group_rows[which], 0);
}

static void
add_row (WcPrivacyView       *self,
         AdwPreferencesGroup *group,
         guint                which,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->group_rows[which], row);
}

static char *
format_date (gint64 seconds)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (seconds);

  /* Translators: a date as in "Last reviewed 3 March 2026"; see g_date_time_format() */
  return g_date_time_format (date, _("%-d %B %Y"));
}

static GPtrArray *
load_accounts (WcPrivacyView *self)
{
  WcStore *store = self->application ? wc_application_get_store (self->application) : NULL;

  return store != NULL ? wc_store_list_all_accounts (store, NULL) : NULL;
}

/* --- The audit ---------------------------------------------------------- */

static void
run_audit (WcPrivacyView *self,
           GPtrArray     *accounts)
{
  WcStore *store = wc_application_get_store (self->application);
  g_autoptr(WcIdentity) personal = wc_application_dup_identity (self->application, WC_IDENTITY_PERSONAL);
  g_autoptr(WcIdentity) professional = wc_application_dup_identity (self->application, WC_IDENTITY_PROFESSIONAL);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_profile_free);
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_follower_snapshot_unref);

  for (guint i = 0; i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      gint64 id = wc_account_get_id (account);
      WcProfile *read = g_hash_table_lookup (self->profiles, &id);
      WcProfile *profile = wc_profile_new_for_account (account);
      WcFollowerSnapshot *snapshot;

      /* What the network reported, where it did. */
      if (read != NULL)
        {
          g_free (profile->display_name);
          profile->display_name = g_strdup (read->display_name);
          g_free (profile->note);
          profile->note = g_strdup (read->note);
          for (guint f = 0; f < read->fields->len; f++)
            {
              WcProfileField *field = g_ptr_array_index (read->fields, f);

              wc_profile_add_field (profile, field->name, field->value, field->verified);
            }
          profile->has_avatar_hash = read->has_avatar_hash;
          profile->avatar_hash = read->avatar_hash;
        }
      g_ptr_array_add (profiles, profile);

      snapshot = store != NULL ? wc_store_load_follower_snapshot (store, id, NULL) : NULL;
      if (snapshot != NULL)
        g_ptr_array_add (snapshots, snapshot);
    }

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = wc_crosslink_audit_run (personal, professional, profiles, snapshots);
  g_hash_table_remove_all (self->crosslinks);
  for (guint i = 0; i < accounts->len; i++)
    {
      gint64 id = wc_account_get_id (g_ptr_array_index (accounts, i));

      g_hash_table_insert (self->crosslinks, id_key (id),
                           GUINT_TO_POINTER (wc_crosslink_count_for_account (self->findings, id)));
    }
}

/* --- Rows --------------------------------------------------------------- */

typedef struct
{
  WcAccount       *account;
  WcPrivacyHealth *health;
} Entry;

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->account);
  wc_privacy_health_free (entry->health);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(Entry * const *) a;
  const Entry *eb = *(Entry * const *) b;

  return wc_privacy_health_compare (ea->health, eb->health);
}

static char *
step_titles (WcAccount *account,
             GPtrArray *ids)
{
  g_autoptr(WcWalkthrough) walkthrough = wc_walkthrough_load (wc_account_get_network (account), NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; walkthrough != NULL && i < ids->len; i++)
    {
      int index = wc_walkthrough_find_step (walkthrough, g_ptr_array_index (ids, i));

      if (index < 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, wc_walkthrough_step_get_title (wc_walkthrough_get_step (walkthrough, index)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
summary_of (Entry *entry)
{
  const WcPrivacyHealth *health = entry->health;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *score = wc_privacy_health_dup_score_text (health);

  g_string_append (text, score);
  if (health->not_done->len > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u step not done", "%u steps not done",
                                                 health->not_done->len),
                              health->not_done->len);
    }
  g_string_append (text, "\n");
  if (health->last_review > 0)
    {
      g_autofree char *date = format_date (health->last_review);

      /* Translators: %s is a date */
      g_string_append_printf (text, _("Last reviewed %s"), date);
      if (health->review_overdue)
        g_string_append_printf (text, " · %s", _("review due"));
    }
  else
    g_string_append (text, _("Never reviewed"));
  if (health->resume_step != NULL)
    g_string_append_printf (text, " · %s", _("review under way"));
  if (health->drifted->len > 0)
    {
      g_autofree char *titles = step_titles (entry->account, health->drifted);

      g_string_append (text, "\n");
      /* Translators: %s lists settings, e.g. "Require follow requests" */
      g_string_append_printf (text, _("Changed since you set it: %s"), titles);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
account_row (WcPrivacyView *self,
             Entry         *entry,
             const char    *summary)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = wc_account_dup_title (entry->account);
  WcNetworkInfo *info = wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                                   wc_account_get_network (entry->account));
  GtkWidget *icon;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* The same name can be on several accounts: say which one, and which
   * identity it belongs to (the list holds both). */
  {
    g_autofree char *identity = wc_application_dup_identity_name (self->application,
                                                                   wc_account_get_identity (entry->account));
    g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s\n%s",
                                                 info != NULL ? wc_network_info_get_name (info)
                                                              : wc_account_get_network (entry->account),
                                                 wc_account_get_handle (entry->account), identity, summary);

    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  }
  if (info != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                               gtk_image_new_from_icon_name (wc_network_info_get_icon_name (info)));
  if (entry->health->drifted->len > 0 || entry->health->review_overdue)
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, entry->health->drifted->len > 0
                                         ? _("A setting changed since you set it")
                                         : _("Time for a review"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "privacy.review-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", wc_account_get_id (entry->account));
  gtk_widget_add_css_class (row, "property");
  return row;
}

static WcAccount *
find_account (GPtrArray *accounts,
              gint64     id)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    if (wc_account_get_id (g_ptr_array_index (accounts, i)) == id)
      return g_ptr_array_index (accounts, i);
  return NULL;
}

static GtkWidget *
row_button (const char *label,
            const char *action,
            GVariant   *target)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

/* "Fix…" where the API can remove the finding; otherwise the page where
 * the user fixes it, where there is one. */
static void
add_fix_button (GtkWidget          *row,
                WcAccount          *account,
                WcCrosslinkFinding *finding,
                guint               index)
{
  g_autofree char *url = NULL;
  GtkWidget *button;

  if (account == NULL)
    return;
  if (wc_profile_fix_can_fix (account, finding))
    {
      button = row_button (_("_Fix…"), "privacy.fix-finding", g_variant_new_uint32 (index));
      gtk_widget_set_tooltip_text (button, _("Remove it from the profile through the network, after you have seen "
                                             "the change"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else if ((url = wc_profile_fix_dup_settings_url (account, finding)) != NULL)
    {
      button = row_button (_("Open Settings _Page"), "privacy.open-settings", g_variant_new_string (url));
      gtk_widget_add_css_class (button, "flat");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
}

static void
fill_links (WcPrivacyView *self)
{
  g_autoptr(GPtrArray) accounts = NULL;

  clear_rows (self, self->links_group, LINK_ROWS);
  if (self->findings == NULL || self->findings->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing links your identities"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("No profile names or links the other identity, and no names, pictures or "
                                     "handles are shared."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("object-select-symbolic"));
      add_row (self, self->links_group, LINK_ROWS, row);
      return;
    }
  for (guint i = 0; i < self->findings->len; i++)
    {
      WcCrosslinkFinding *finding = g_ptr_array_index (self->findings, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (finding->kind == WC_CROSSLINK_LINK
                                                      ? "insert-link-symbolic" : "dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), finding->fix);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (accounts == NULL)
        accounts = load_accounts (self);
      add_fix_button (row, find_account (accounts, finding->account_id), finding, i);
      add_row (self, self->links_group, LINK_ROWS, row);
    }
}

/**
 * wc_privacy_view_reload:
 *
 * Rebuilds the view from the store and the last profiles read.
 */
void
wc_privacy_view_reload (WcPrivacyView *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  WcStore *store;
  guint never = 0;

  g_return_if_fail (WC_IS_PRIVACY_VIEW (self));

  self->dirty = FALSE;
  if (self->application == NULL)
    return;
  store = wc_application_get_store (self->application);
  accounts = load_accounts (self);
  g_array_set_size (self->order, 0);
  g_hash_table_remove_all (self->summaries);
  g_hash_table_remove_all (self->never);
  clear_rows (self, self->accounts_group, ACCOUNT_ROWS);

  if (accounts == NULL || accounts->len == 0)
    {
      g_clear_pointer (&self->findings, g_ptr_array_unref);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "list");

  run_audit (self, accounts);
  for (guint i = 0; i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      gint64 id = wc_account_get_id (account);
      WcPrivacyHealth *health = wc_privacy_health_load (store, account,
                                                        GPOINTER_TO_INT (g_hash_table_lookup (self->crosslinks, &id)),
                                                        now_seconds (), review_days (self), NULL);
      Entry *entry;

      if (health == NULL)
        continue;
      entry = g_new0 (Entry, 1);
      entry->account = g_object_ref (account);
      entry->health = health;
      g_ptr_array_add (entries, entry);
      if (health->last_review == 0)
        {
          never++;
          g_hash_table_add (self->never, id_key (id));
        }
    }
  g_ptr_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      gint64 id = wc_account_get_id (entry->account);
      char *summary = summary_of (entry);

      g_array_append_val (self->order, id);
      g_hash_table_insert (self->summaries, id_key (id), summary);
      add_row (self, self->accounts_group, ACCOUNT_ROWS, account_row (self, entry, summary));
    }

  if (never > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The privacy settings of %u account were never reviewed. "
                                                            "The walkthrough takes a few minutes per account.",
                                                            "The privacy settings of %u accounts were never reviewed. "
                                                            "The walkthrough takes a few minutes per account.",
                                                            never),
                                               never);

      gtk_label_set_text (self->banner_label, text);
    }
  gtk_widget_set_visible (self->banner, never > 0);
  fill_links (self);
}

/* --- Notifications ------------------------------------------------------ */

static void
send_notifications (WcPrivacyView *self)
{
  g_autoptr(GPtrArray) accounts = load_accounts (self);
  WcStore *store = wc_application_get_store (self->application);
  g_autoptr(GString) overdue = g_string_new (NULL);
  g_autoptr(GString) drifted = g_string_new (NULL);
  guint n_overdue = 0, n_drifted = 0;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(WcPrivacyHealth) health = wc_privacy_health_load (store, account, -1, now_seconds (),
                                                                  review_days (self), NULL);
      g_autofree char *title = wc_account_dup_title (account);

      if (health == NULL)
        continue;
      if (health->review_overdue)
        {
          g_string_append_printf (overdue, "%s%s", n_overdue++ ? ", " : "", title);
        }
      if (health->drifted->len > 0)
        {
          g_autofree char *titles = step_titles (account, health->drifted);

          /* Translators: 1: an account, 2: settings */
          g_string_append_printf (drifted, n_drifted++ ? "; %s: %s" : "%s: %s", title, titles);
        }
    }

  g_clear_pointer (&self->last_notification, g_free);
  if (n_drifted > 0)
    {
      g_autoptr(GNotification) notification = g_notification_new (_("A Privacy Setting Changed"));
      g_autofree char *body = g_strdup_printf (_("Changed since you set it — %s"), drifted->str);

      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.show-view", "s", "privacy");
      wc_application_send_notification (self->application, "privacy-drift", notification);
      self->last_notification = g_steal_pointer (&body);
    }
  if (n_overdue > 0)
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Time to Review Your Privacy Settings"));
      /* Translators: 1: a number of days, 2: accounts */
      g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "More than %u day since the last review of %s.",
                                                            "More than %u days since the last review of %s.",
                                                            review_days (self)),
                                               review_days (self), overdue->str);

      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.show-view", "s", "privacy");
      wc_application_send_notification (self->application, "privacy-review", notification);
      if (self->last_notification == NULL)
        self->last_notification = g_steal_pointer (&body);
      else
        {
          char *both = g_strconcat (self->last_notification, "\n", body, NULL);

          g_free (self->last_notification);
          self->last_notification = both;
        }
    }
}

/* The first time accounts are there but never reviewed, offer the
 * walkthrough, once: after that the Privacy view's banner keeps the offer
 * without interrupting every start. */
static void
offer_walkthrough (WcPrivacyView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GSettings *settings = wc_application_get_settings (self->application);
  AdwToast *toast;

  if (self->offered || !gtk_widget_get_visible (self->banner) || !WC_IS_WINDOW (root)
      || !g_settings_get_boolean (settings, "onboarding-done")
      || g_settings_get_boolean (settings, "walkthrough-offered"))
    return;
  self->offered = TRUE;
  g_settings_set_boolean (settings, "walkthrough-offered", TRUE);
  toast = adw_toast_new (_("Some accounts’ privacy settings were never reviewed"));
  adw_toast_set_button_label (toast, _("_Review"));
  adw_toast_set_action_name (toast, "win.privacy-review-unreviewed");
  adw_toast_set_timeout (toast, 10);
  wc_window_add_toast (WC_WINDOW (root), toast);
}

static void
check_done (WcPrivacyView *self)
{
  if (--self->pending > 0)
    return;
  wc_privacy_view_reload (self);
  send_notifications (self);
  offer_walkthrough (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

typedef struct
{
  WcPrivacyView *self;
  gint64         account_id;
} ReadData;

static void
on_avatar_hashed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree ReadData *data = user_data;
  WcPrivacyView *self = data->self;
  g_autoptr(GError) error = NULL;
  gint64 id = data->account_id;
  guint64 hash = 0;
  gboolean ok = wc_privacy_settings_hash_avatar_finish (result, &hash, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok)
    {
      WcProfile *profile = g_hash_table_lookup (self->profiles, &id);

      if (profile != NULL)
        {
          profile->has_avatar_hash = TRUE;
          profile->avatar_hash = hash;
        }
    }
  else
    g_debug ("No avatar hash: %s", error->message);
  check_done (self);
}

static void
on_settings_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ReadData *data = user_data;
  WcPrivacyView *self = data->self;
  gint64 id = data->account_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcPrivacyReading) reading = wc_privacy_settings_read_finish (result, &error);

  g_free (data);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reading == NULL)
    {
      g_debug ("Privacy check of account %" G_GINT64_FORMAT ": %s", id, error->message);
      check_done (self);
      return;
    }
  wc_store_save_account_state (wc_application_get_store (self->application), reading->state, NULL);
  g_hash_table_insert (self->profiles, id_key (id), g_steal_pointer (&reading->profile));
  if (reading->avatar_url != NULL)
    {
      ReadData *avatar = g_new0 (ReadData, 1);

      avatar->self = self;
      avatar->account_id = id;
      self->pending++;
      wc_privacy_settings_hash_avatar_async (reading->avatar_url, self->cancellable, on_avatar_hashed, avatar);
    }
  check_done (self);
}

/**
 * wc_privacy_view_check_now:
 *
 * Reads the settings and profiles of connected accounts through their
 * networks, stores what they report, reruns the audit and notifies.
 */
void
wc_privacy_view_check_now (WcPrivacyView *self)
{
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_if_fail (WC_IS_PRIVACY_VIEW (self));

  if (self->application == NULL || self->pending > 0)
    return;
  accounts = load_accounts (self);
  self->pending = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      ReadData *data;

      if (!wc_privacy_settings_can_read (account) || !wc_account_is_connected (account))
        continue;
      data = g_new0 (ReadData, 1);
      data->self = self;
      data->account_id = wc_account_get_id (account);
      self->pending++;
      wc_privacy_settings_read_async (account, self->cancellable, on_settings_read, data);
    }
  check_done (self);
}

gboolean
wc_privacy_view_get_checking (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), FALSE);
  return self->pending > 0;
}

static gboolean
first_check_cb (gpointer user_data)
{
  WcPrivacyView *self = user_data;

  self->first_check_id = 0;
  wc_privacy_view_check_now (self);
  return G_SOURCE_REMOVE;
}

static gboolean
daily_check_cb (gpointer user_data)
{
  wc_privacy_view_check_now (user_data);
  return G_SOURCE_CONTINUE;
}

/* --- Actions ------------------------------------------------------------ */

WcWalkthroughDialog *
wc_privacy_view_open_walkthrough (WcPrivacyView *self,
                                  GPtrArray     *accounts)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  WcWalkthroughDialog *dialog;

  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  if (self->application == NULL || accounts == NULL || accounts->len == 0)
    return NULL;
  dialog = wc_walkthrough_dialog_new (self->application, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                      accounts, self->crosslinks);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (wc_privacy_view_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
open_for_ids (WcPrivacyView *self,
              gboolean       only_unreviewed,
              gint64         only_id)
{
  g_autoptr(GPtrArray) accounts = load_accounts (self);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->dirty || self->order->len == 0)
    wc_privacy_view_reload (self);
  /* Worst first, as listed. */
  for (guint o = 0; o < self->order->len; o++)
    {
      gint64 id = g_array_index (self->order, gint64, o);

      for (guint i = 0; accounts != NULL && i < accounts->len; i++)
        {
          WcAccount *account = g_ptr_array_index (accounts, i);
          if (wc_account_get_id (account) != id || (only_id > 0 && id != only_id))
            continue;
          if (only_unreviewed && !g_hash_table_contains (self->never, &id))
            continue;
          g_ptr_array_add (chosen, g_object_ref (account));
        }
    }
  wc_privacy_view_open_walkthrough (self, chosen);
}

static void
review_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_for_ids (WC_PRIVACY_VIEW (widget), FALSE, 0);
}

static void
review_unreviewed_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  open_for_ids (WC_PRIVACY_VIEW (widget), TRUE, 0);
}

static void
review_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  open_for_ids (WC_PRIVACY_VIEW (widget), FALSE, g_variant_get_int64 (parameter));
}

/* --- Fixing a finding through the API ----------------------------------- */

typedef struct
{
  WcPrivacyView *self;
  WcAccount     *account;
  WcProfileFix  *fix;
} FixData;

static void
fix_data_free (FixData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->account);
  wc_profile_fix_free (data->fix);
  g_free (data);
}

static void
set_fixing (WcPrivacyView *self,
            gboolean       fixing)
{
  if (self->fixing == fixing)
    return;
  self->fixing = fixing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIXING]);
}

static GtkWindow *
parent_window (WcPrivacyView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The network's own words (WC_NETWORK_ERROR messages are written for the
 * user), under a heading that says nothing was lost. */
static void
show_error (WcPrivacyView *self,
            const char    *heading,
            const GError  *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
text_block (const char *title,
            const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *body = gtk_label_new (text);

  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (card, "card");
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_widget_set_margin_top (body, 8);
  gtk_widget_set_margin_bottom (body, 8);
  gtk_box_append (GTK_BOX (card), body);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), card);
  return box;
}

static void
on_fix_applied (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FixData *data = user_data;
  WcPrivacyView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcProfile) profile = wc_profile_fix_apply_finish (result, &error);
  gint64 id = wc_account_get_id (data->account);
  GtkRoot *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fix_data_free (data);
      return;
    }
  if (profile == NULL)
    show_error (self, _("The Profile Was Not Changed"), error);
  else
    {
      WcProfile *old = g_hash_table_lookup (self->profiles, &id);

      /* The avatar did not change: keep its hash. */
      if (old != NULL)
        {
          profile->has_avatar_hash = old->has_avatar_hash;
          profile->avatar_hash = old->avatar_hash;
        }
      g_hash_table_insert (self->profiles, id_key (id), g_steal_pointer (&profile));
      wc_privacy_view_reload (self);
      root = gtk_widget_get_root (GTK_WIDGET (self));
      if (WC_IS_WINDOW (root))
        wc_window_add_toast (WC_WINDOW (root), adw_toast_new (_("Removed from your profile")));
    }
  set_fixing (self, FALSE);
  fix_data_free (data);
}

static void
on_fix_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  FixData *data = user_data;
  WcPrivacyView *self = data->self;

  if (self->fix_dialog == dialog)
    self->fix_dialog = NULL;
  if (g_strcmp0 (response, "remove") != 0 || self->application == NULL)
    {
      set_fixing (self, FALSE);
      fix_data_free (data);
      return;
    }
  wc_profile_fix_apply_async (data->account, data->fix, wc_application_get_store (self->application),
                              self->cancellable, on_fix_applied, data);
}

static void
on_fix_prepared (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FixData *data = user_data;
  WcPrivacyView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *extra;
  const WcProfileFix *fix;

  data->fix = wc_profile_fix_prepare_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->application == NULL)
    {
      fix_data_free (data);
      return;
    }
  if (data->fix == NULL)
    {
      show_error (self, _("The Profile Cannot Be Changed"), error);
      set_fixing (self, FALSE);
      fix_data_free (data);
      return;
    }

  fix = data->fix;
  if (fix->kind == WC_PROFILE_FIX_REMOVE_FIELD)
    /* Translators: 1: where in the profile, e.g. field “Website”, 2: an account */
    body = g_strdup_printf (_("Whitecoat will send the profile fields of %2$s without the %1$s. Nothing is sent "
                              "until you choose Remove."),
                            fix->where, fix->handle);
  else
    /* Translators: 1: a word, link or account, 2: an account */
    body = g_strdup_printf (_("Whitecoat will send the bio of %2$s without “%1$s”. Nothing is sent until you "
                              "choose Remove."),
                            fix->evidence, fix->handle);
  dialog = adw_message_dialog_new (parent_window (self),
                                   fix->kind == WC_PROFILE_FIX_REMOVE_FIELD ? _("Remove the Field?")
                                                                            : _("Change the Bio?"),
                                   body);
  extra = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (extra),
                  text_block (_("Now"), *fix->before != '\0' ? fix->before : _("(empty)")));
  gtk_box_append (GTK_BOX (extra),
                  text_block (_("After the change"),
                              *fix->after != '\0' ? fix->after
                                                  : fix->kind == WC_PROFILE_FIX_REMOVE_FIELD ? _("(no fields)")
                                                                                            : _("(empty bio)")));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_fix_response), data);
  self->fix_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fix_finding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WcPrivacyView *self = WC_PRIVACY_VIEW (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GPtrArray) accounts = NULL;
  WcCrosslinkFinding *finding;
  WcAccount *account;
  FixData *data;

  if (self->fixing || self->application == NULL || self->findings == NULL || index >= self->findings->len)
    return;
  finding = g_ptr_array_index (self->findings, index);
  accounts = load_accounts (self);
  account = find_account (accounts, finding->account_id);
  if (account == NULL || !wc_profile_fix_can_fix (account, finding))
    return;
  set_fixing (self, TRUE);
  data = g_new0 (FixData, 1);
  data->self = g_object_ref (self);
  data->account = g_object_ref (account);
  /* The profile is read again now: the fix is planned on what the server
   * holds, not on what the last check saw. */
  wc_profile_fix_prepare_async (account, finding, self->cancellable, on_fix_prepared, data);
}

static void
open_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gtk_show_uri (parent_window (WC_PRIVACY_VIEW (widget)), g_variant_get_string (parameter, NULL),
                GDK_CURRENT_TIME);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  wc_privacy_view_check_now (WC_PRIVACY_VIEW (widget));
}

/* The toast and the notification reach the view through actions of the
 * window and the application. */
static void
win_review_unreviewed (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  WcPrivacyView *self = user_data;
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);

  if (stack != NULL)
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "privacy");
  open_for_ids (self, TRUE, 0);
}

static void
on_accounts_changed (WcPrivacyView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    wc_privacy_view_reload (self);
  else
    self->dirty = TRUE;
}

static void
on_root_changed (WcPrivacyView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_APPLICATION_WINDOW (root)
      && g_action_map_lookup_action (G_ACTION_MAP (root), "privacy-review-unreviewed") == NULL)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new ("privacy-review-unreviewed", NULL);

      g_signal_connect_object (action, "activate", G_CALLBACK (win_review_unreviewed), self, 0);
      g_action_map_add_action (G_ACTION_MAP (root), G_ACTION (action));
    }
}

/* --- The object --------------------------------------------------------- */

static void
wc_privacy_view_map (GtkWidget *widget)
{
  WcPrivacyView *self = WC_PRIVACY_VIEW (widget);

  GTK_WIDGET_CLASS (wc_privacy_view_parent_class)->map (widget);
  if (self->dirty)
    wc_privacy_view_reload (self);
}

static void
wc_privacy_view_dispose (GObject *object)
{
  WcPrivacyView *self = WC_PRIVACY_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->first_check_id, g_source_remove);
  g_clear_handle_id (&self->daily_check_id, g_source_remove);
  g_clear_object (&self->application);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_PRIVACY_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (wc_privacy_view_parent_class)->dispose (object);
}

static void
wc_privacy_view_finalize (GObject *object)
{
  WcPrivacyView *self = WC_PRIVACY_VIEW (object);

  g_hash_table_unref (self->profiles);
  g_hash_table_unref (self->crosslinks);
  g_hash_table_unref (self->summaries);
  g_hash_table_unref (self->never);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_array_unref (self->order);
  g_ptr_array_unref (self->group_rows[0]);
  g_ptr_array_unref (self->group_rows[1]);
  g_free (self->last_notification);

  G_OBJECT_CLASS (wc_privacy_view_parent_class)->finalize (object);
}

static void
wc_privacy_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, wc_privacy_view_get_checking (WC_PRIVACY_VIEW (object)));
      break;
    case PROP_FIXING:
      g_value_set_boolean (value, wc_privacy_view_get_fixing (WC_PRIVACY_VIEW (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_privacy_view_class_init (WcPrivacyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_privacy_view_dispose;
  object_class->finalize = wc_privacy_view_finalize;
  object_class->get_property = wc_privacy_view_get_property;
  widget_class->map = wc_privacy_view_map;

  properties[PROP_CHECKING] = g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FIXING] = g_param_spec_boolean ("fixing", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "privacy.review-all", NULL, review_all_action);
  gtk_widget_class_install_action (widget_class, "privacy.review-unreviewed", NULL, review_unreviewed_action);
  gtk_widget_class_install_action (widget_class, "privacy.review-account", "x", review_account_action);
  gtk_widget_class_install_action (widget_class, "privacy.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "privacy.fix-finding", "u", fix_finding_action);
  gtk_widget_class_install_action (widget_class, "privacy.open-settings", "s", open_settings_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whitecoat/Whitecoat/wc-privacy-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WcPrivacyView, stack);
  gtk_widget_class_bind_template_child (widget_class, WcPrivacyView, banner);
  gtk_widget_class_bind_template_child (widget_class, WcPrivacyView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, WcPrivacyView, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, WcPrivacyView, links_group);
}

static void
wc_privacy_view_init (WcPrivacyView *self)
{
  self->cancellable = g_cancellable_new ();
  self->profiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) wc_profile_free);
  self->crosslinks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->summaries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->never = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->order = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->group_rows[0] = g_ptr_array_new ();
  self->group_rows[1] = g_ptr_array_new ();
  self->dirty = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::root", G_CALLBACK (on_root_changed), NULL);
}

/**
 * wc_privacy_view_set_application:
 *
 * Connects the view to @application. The first check runs a few seconds
 * later, once the window has drawn; then every day.
 */
void
wc_privacy_view_set_application (WcPrivacyView *self,
                                 WcApplication *application)
{
  g_return_if_fail (WC_IS_PRIVACY_VIEW (self));
  g_return_if_fail (self->application == NULL);

  self->application = g_object_ref (application);
  g_signal_connect_object (application, "accounts-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "identity-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "people-changed", G_CALLBACK (on_accounts_changed), self,
                           G_CONNECT_SWAPPED);

  self->first_check_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, FIRST_CHECK_SECONDS,
                                                     first_check_cb, self, NULL);
  self->daily_check_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, CHECK_INTERVAL_SECONDS,
                                                     daily_check_cb, self, NULL);
}

GArray *
wc_privacy_view_dup_account_order (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  return g_array_copy (self->order);
}

const char *
wc_privacy_view_get_account_summary (WcPrivacyView *self,
                                     gint64         account_id)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  return g_hash_table_lookup (self->summaries, &account_id);
}

GPtrArray *
wc_privacy_view_get_findings (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  return self->findings;
}

gboolean
wc_privacy_view_get_banner_visible (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->banner);
}

const char *
wc_privacy_view_get_last_notification (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  return self->last_notification;
}

/**
 * wc_privacy_view_get_fixing:
 *
 * Returns: whether a fix is being prepared, waits for the user's word or
 *   is being sent
 */
gboolean
wc_privacy_view_get_fixing (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), FALSE);
  return self->fixing;
}

/**
 * wc_privacy_view_get_fix_dialog:
 *
 * Returns: (transfer none) (nullable): the confirmation of a fix while it
 *   is shown
 */
AdwMessageDialog *
wc_privacy_view_get_fix_dialog (WcPrivacyView *self)
{
  g_return_val_if_fail (WC_IS_PRIVACY_VIEW (self), NULL);
  return self->fix_dialog;
}
