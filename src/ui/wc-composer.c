/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-attachment-row.h"
#include "wc-audience-view.h"
#include "wc-bluesky.h"
#include "wc-composer.h"
#include "wc-finding-row.h"
#include "wc-limits.h"
#include "wc-network-catalog.h"
#include "wc-schedule-dialog.h"
#include "wc-scheduler.h"
#include "wc-connection.h"
#include "wc-text.h"

/* The Compose view: one draft of the active identity at a time, in a
 * WcDraftEditor that saves it, checks it and resolves its findings. This
 * widget only shows the draft and the findings and forwards what the user
 * does; it holds no rules of its own. */

/* Side by side when the text keeps at least EDITOR_MIN_WIDE pixels beside a
 * PANEL_WIDTH-pixel panel; below that the checks go under the text. */
#define EDITOR_MIN_WIDE  400
#define PANEL_WIDTH      360
#define SPLIT_SPACING    24
#define STACKED_SPACING  24

/* The counters follow the typing at most this often: counting graphemes
 * of a long text is not free. */
#define COUNTERS_DELAY_MS 100

typedef struct
{
  gint64    draft_id;
  gboolean  was_open;
  AdwToast *toast;  /* unowned; the overlay owns it */
} PendingDelete;

struct _WcComposer
{
  AdwBin           parent_instance;

  /* template */
  GtkWidget       *scroller;
  GtkWidget       *action_bar;
  GtkWidget       *lock_box;         /* while the drafts wait for their key */
  guint            lock_grace_source; /* the key has a moment to come unseen */
  gboolean         lock_grace_over;
  GtkSpinner      *lock_spinner;
  GtkWidget       *lock_icon;
  GtkLabel        *lock_label;
  GtkLabel        *lock_detail;
  GtkWidget       *lock_retry_button;
  GtkWidget       *split;
  GtkWidget       *editor_column;
  GtkWidget       *side_panel;
  GtkEntry        *cw_entry;
  GtkTextView     *text_view;
  GtkLabel        *save_label;
  GtkBox          *counters_box;
  GtkFlowBox      *targets_box;
  GtkWidget       *no_accounts_box;
  GtkLabel        *no_accounts_label;
  GtkListBox      *visibility_list;
  GtkListBox      *options_list;
  AdwComboRow     *reply_row;        /* added with ensure_options () */
  AdwComboRow     *language_row;
  GtkLabel        *images_hint;
  GtkListBox      *attachments_list;
  GtkSpinner      *busy_spinner;
  GtkLabel        *checks_summary;
  GtkListBox      *findings_list;
  GtkPopover      *drafts_popover;
  GtkLabel        *drafts_heading;
  GtkListBox      *drafts_list;
  GtkWidget       *post_button;
  GtkWidget       *schedule_button;
  WcAudienceView  *audience_view;

  /* "Scheduled for …": shown while the open draft waits in the outbox */
  GtkWidget       *scheduled_revealer;
  GtkLabel        *scheduled_label;
  GtkWidget       *update_button;
  GtkWidget       *keep_button;
  guint            n_scheduled;
  gboolean         scheduled_edited;
  gboolean         scheduled_kept;

  GtkTextBuffer   *buffer;
  GtkTextTag      *tags[3];          /* by WcSeverity */

  WcApplication   *application;
  WcDraftEditor   *editor;
  GCancellable    *editor_cancellable;
  WcIdentityKind   identity;
  GPtrArray       *accounts;         /* WcAccount of the active identity */
  gint64           last_draft[2];    /* the draft last open per identity */
  PendingDelete   *pending_delete;
  GtkNativeDialog *file_chooser;

  guint            counters_source;
  guint            n_stripping;
  gboolean         loading;
  gboolean         drafts_dirty;
  gboolean         side_by_side;
  guint            targets_idle;
  guint            open_idle;

  /* Who may reply and the language */
  GPtrArray       *language_codes;   /* char*, in the order of language_row's items */
  gboolean         syncing_options;  /* the rows follow the draft: not a user's choice */
  gboolean         reply_chosen;     /* the user chose who may reply in this draft */
};

G_DEFINE_FINAL_TYPE (WcComposer, wc_composer, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void open_draft          (WcComposer *self,
                                 WcDraft    *draft);
static void open_for_identity   (WcComposer *self);
static void refresh_drafts      (WcComposer *self);
static void sync_attachments    (WcComposer *self);
static void update_counters     (WcComposer *self);
static void build_visibility    (WcComposer *self);
static void update_options      (WcComposer *self);
static void fetch_reply_default (WcComposer *self,
                                 WcAccount  *account);
static void update_scheduled_banner (WcComposer *self);
static void build_scheduled_banner (WcComposer *self);
static void note_scheduled_edit (WcComposer *self);

/* --- Layout: side by side, or stacked --------------------------------- */

/* Whether @width holds the editor and the side panel side by side; @panel
 * is then the panel's width. The panel can need more than PANEL_WIDTH (a
 * long word in a finding), and the editor must keep its own minimum. */
static gboolean
fits_side_by_side (GtkWidget *main,
                   GtkWidget *side,
                   int        width,
                   int       *panel)
{
  int side_min = 0, main_min = 0;

  if (side == NULL || width < EDITOR_MIN_WIDE + SPLIT_SPACING + PANEL_WIDTH)
    return FALSE;

  gtk_widget_measure (side, GTK_ORIENTATION_HORIZONTAL, -1, &side_min, NULL, NULL, NULL);
  gtk_widget_measure (main, GTK_ORIENTATION_HORIZONTAL, -1, &main_min, NULL, NULL, NULL);
  *panel = MAX (PANEL_WIDTH, side_min);
  return width - SPLIT_SPACING - *panel >= MAX (main_min, EDITOR_MIN_WIDE);
}

static GtkSizeRequestMode
split_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
split_children (GtkWidget  *widget,
                GtkWidget **main,
                GtkWidget **side)
{
  *main = gtk_widget_get_first_child (widget);
  *side = *main != NULL ? gtk_widget_get_next_sibling (*main) : NULL;
  if (*side != NULL && !gtk_widget_should_layout (*side))
    *side = NULL;
}

static void
split_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *main, *side;
  int main_min = 0, main_nat = 0, side_min = 0, side_nat = 0;
  int panel = PANEL_WIDTH;

  split_children (widget, &main, &side);
  *minimum_baseline = *natural_baseline = -1;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (main, orientation, -1, &main_min, &main_nat, NULL, NULL);
      if (side != NULL)
        gtk_widget_measure (side, orientation, -1, &side_min, &side_nat, NULL, NULL);
      /* The narrow layout is always possible: the minimum is that of the
       * widest child alone. */
      *minimum = MAX (main_min, side_min);
      *natural = side != NULL
                 ? MAX (main_nat, EDITOR_MIN_WIDE) + SPLIT_SPACING + MAX (side_nat, PANEL_WIDTH)
                 : main_nat;
      return;
    }

  if (for_size >= 0 && fits_side_by_side (main, side, for_size, &panel))
    {
      gtk_widget_measure (main, orientation, for_size - SPLIT_SPACING - panel, &main_min, &main_nat, NULL, NULL);
      gtk_widget_measure (side, orientation, panel, &side_min, &side_nat, NULL, NULL);
      *minimum = MAX (main_min, side_min);
      *natural = MAX (main_nat, side_nat);
      return;
    }

  gtk_widget_measure (main, orientation, for_size, &main_min, &main_nat, NULL, NULL);
  if (side != NULL)
    {
      gtk_widget_measure (side, orientation, for_size, &side_min, &side_nat, NULL, NULL);
      *minimum = main_min + STACKED_SPACING + side_min;
      *natural = main_nat + STACKED_SPACING + side_nat;
    }
  else
    {
      *minimum = main_min;
      *natural = main_nat;
    }
}

static void
split_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  WcComposer *self = WC_COMPOSER (gtk_widget_get_ancestor (widget, WC_TYPE_COMPOSER));
  GtkWidget *main, *side;
  int main_min = 0, main_nat = 0, side_min = 0;
  int panel = PANEL_WIDTH;

  split_children (widget, &main, &side);

  if (fits_side_by_side (main, side, width, &panel))
    {
      gtk_widget_size_allocate (main,
                                &(GtkAllocation) { 0, 0, width - SPLIT_SPACING - panel, height },
                                -1);
      gtk_widget_size_allocate (side,
                                &(GtkAllocation) { width - panel, 0, panel, height },
                                -1);
      if (self != NULL)
        self->side_by_side = TRUE;
      return;
    }

  if (self != NULL)
    self->side_by_side = FALSE;

  if (side == NULL)
    {
      gtk_widget_size_allocate (main, &(GtkAllocation) { 0, 0, width, height }, -1);
      return;
    }

  gtk_widget_measure (main, GTK_ORIENTATION_VERTICAL, width, &main_min, &main_nat, NULL, NULL);
  gtk_widget_measure (side, GTK_ORIENTATION_VERTICAL, width, &side_min, NULL, NULL, NULL);
  main_nat = MAX (main_min, MIN (main_nat, height - STACKED_SPACING - side_min));
  gtk_widget_size_allocate (main, &(GtkAllocation) { 0, 0, width, main_nat }, -1);
  gtk_widget_size_allocate (side,
                            &(GtkAllocation) { 0, main_nat + STACKED_SPACING, width,
                                               MAX (side_min, height - main_nat - STACKED_SPACING) },
                            -1);
}

/* --- Helpers ------------------------------------------------------------ */

/* Drafts are sealed in the store: until the keyring gave their key there
 * is nothing to read or save, and the composer is locked. */
static gboolean
is_unlocked (WcComposer *self)
{
  return self->application != NULL && wc_application_get_data_unlocked (self->application);
}

static WcStore *
get_store (WcComposer *self)
{
  return is_unlocked (self) ? wc_application_get_store (self->application) : NULL;
}

static WcDraft *
get_draft (WcComposer *self)
{
  return self->editor != NULL ? wc_draft_editor_get_draft (self->editor) : NULL;
}

static GtkWindow *
get_parent_window (WcComposer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static AdwToast *
show_toast (WcComposer *self,
            const char *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = adw_toast_new (title);

  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", title);
      g_object_unref (toast);
      return NULL;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

static void
show_error_toast (WcComposer *self,
                  const char *what,
                  GError     *error)
{
  /* Translators: the first %s says what failed, the second why. */
  g_autofree char *title = g_strdup_printf (_("%s: %s"), what, error->message);

  show_toast (self, title);
}

static WcNetworkInfo *
lookup_network (WcAccount *account)
{
  return wc_network_catalog_lookup (wc_network_catalog_get_default (),
                                    wc_account_get_network (account));
}

static char *
dup_network_label (WcAccount *account)
{
  WcNetworkInfo *info = lookup_network (account);
  const char *custom = wc_account_get_custom_name (account);

  if (info != NULL && wc_network_info_get_is_custom (info) && custom != NULL && custom[0] != '\0')
    return g_strdup (custom);
  if (info != NULL)
    return g_strdup (wc_network_info_get_name (info));
  return g_strdup (wc_account_get_network (account));
}

static WcAccount *
find_account (WcComposer *self,
              gint64      account_id)
{
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);

      if (wc_account_get_id (account) == account_id)
        return account;
    }
  return NULL;
}

static void
remove_all_children (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else
        gtk_box_remove (GTK_BOX (container), child);
    }
}

/* Byte offsets of the draft's text (what the checks report) to iterators
 * of the buffer (which counts characters). */
static gboolean
span_to_iters (WcComposer   *self,
               const char   *text,
               gsize         length,
               const WcSpan *span,
               GtkTextIter  *start,
               GtkTextIter  *end)
{
  gsize from = span->start;
  gsize to = MIN (span->end, length);

  if (from >= to)
    return FALSE;
  gtk_text_buffer_get_iter_at_offset (self->buffer, start, g_utf8_pointer_to_offset (text, text + from));
  gtk_text_buffer_get_iter_at_offset (self->buffer, end, g_utf8_pointer_to_offset (text, text + to));
  return TRUE;
}

/* The buffer says what the draft says, unless an edit has not reached the
 * editor yet; spans are only meaningful when both agree. */
static gboolean
buffer_matches_draft (WcComposer *self,
                      const char *text)
{
  return (glong) gtk_text_buffer_get_char_count (self->buffer) == g_utf8_strlen (text, -1);
}

static void
apply_underlines (WcComposer *self)
{
  GPtrArray *findings = wc_draft_editor_get_findings (self->editor);
  const char *text = wc_draft_get_text (get_draft (self));
  gsize length = strlen (text);
  GtkTextIter start, end;

  /* Once over the whole buffer, then only where the findings are: cheap
   * however many findings there are. */
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  for (guint i = 0; i < G_N_ELEMENTS (self->tags); i++)
    gtk_text_buffer_remove_tag (self->buffer, self->tags[i], &start, &end);

  if (!buffer_matches_draft (self, text))
    return;

  for (guint i = 0; i < findings->len; i++)
    {
      WcFinding *finding = g_ptr_array_index (findings, i);
      GtkTextTag *tag = self->tags[MIN (wc_finding_get_severity (finding), WC_SEVERITY_BLOCKER)];
      guint n_spans = 0;
      const WcSpan *spans = wc_finding_get_spans (finding, &n_spans);

      for (guint j = 0; j < n_spans; j++)
        if (span_to_iters (self, text, length, &spans[j], &start, &end))
          gtk_text_buffer_apply_tag (self->buffer, tag, &start, &end);
    }
}

static char *
dup_image_label (WcComposer *self,
                 int         index)
{
  GPtrArray *attachments = wc_draft_get_attachments (get_draft (self));
  g_autofree char *name = NULL;

  if (index < 0 || (guint) index >= attachments->len)
    return NULL;
  name = wc_attachment_dup_display_name (((WcAttachment *) g_ptr_array_index (attachments, index))->path);
  /* Translators: which image a finding is about: its number and its name. */
  return g_strdup_printf (_("Image %d · %s"), index + 1, name);
}

static void
update_findings_rows (WcComposer *self)
{
  GPtrArray *findings = wc_draft_editor_get_findings (self->editor);
  WcChecker *checker = wc_application_get_checker (self->application);
  WcIdentityKind identity = wc_draft_get_identity (get_draft (self));
  guint i;

  /* Rows that would look the same are kept, so that a burst of typing does
   * not rebuild the list nor take the focus away from it. */
  for (i = 0; i < findings->len; i++)
    {
      WcFinding *finding = g_ptr_array_index (findings, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->findings_list, i);
      g_autofree char *image = dup_image_label (self, wc_finding_get_attachment (finding));

      if (row != NULL && wc_finding_row_matches (WC_FINDING_ROW (row), finding, identity, image))
        {
          wc_finding_row_set_finding (WC_FINDING_ROW (row), finding);
          continue;
        }

      while ((row = gtk_list_box_get_row_at_index (self->findings_list, i)) != NULL)
        gtk_list_box_remove (self->findings_list, GTK_WIDGET (row));

      for (; i < findings->len; i++)
        {
          WcFinding *new_finding = g_ptr_array_index (findings, i);
          g_autofree char *new_image = dup_image_label (self, wc_finding_get_attachment (new_finding));
          const WcRule *rule = checker != NULL
                               ? wc_checker_lookup_rule (checker, wc_finding_get_rule (new_finding))
                               : NULL;

          gtk_list_box_append (self->findings_list,
                               wc_finding_row_new (new_finding, rule, i, identity, new_image));
        }
      break;
    }

  {
    GtkListBoxRow *row;

    while ((row = gtk_list_box_get_row_at_index (self->findings_list, findings->len)) != NULL)
      gtk_list_box_remove (self->findings_list, GTK_WIDGET (row));
  }

  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), findings->len > 0);
}

static void
update_summary (WcComposer *self)
{
  GPtrArray *findings = wc_draft_editor_get_findings (self->editor);
  guint counts[3] = { 0, 0, 0 };
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *text = NULL;
  gboolean busy = wc_draft_editor_get_busy (self->editor) || self->n_stripping > 0;

  for (guint i = 0; i < findings->len; i++)
    counts[MIN (wc_finding_get_severity (g_ptr_array_index (findings, i)), WC_SEVERITY_BLOCKER)]++;

  if (counts[WC_SEVERITY_BLOCKER] > 0)
    {
      g_autofree char *part = g_strdup_printf (ngettext ("%u blocker", "%u blockers", counts[WC_SEVERITY_BLOCKER]),
                                               counts[WC_SEVERITY_BLOCKER]);
      g_strv_builder_add (parts, part);
    }
  if (counts[WC_SEVERITY_WARNING] > 0)
    {
      g_autofree char *part = g_strdup_printf (ngettext ("%u warning", "%u warnings", counts[WC_SEVERITY_WARNING]),
                                               counts[WC_SEVERITY_WARNING]);
      g_strv_builder_add (parts, part);
    }
  if (counts[WC_SEVERITY_INFO] > 0)
    {
      g_autofree char *part = g_strdup_printf (ngettext ("%u note", "%u notes", counts[WC_SEVERITY_INFO]),
                                               counts[WC_SEVERITY_INFO]);
      g_strv_builder_add (parts, part);
    }
  strv = g_strv_builder_end (parts);

  if (strv[0] != NULL)
    text = g_strjoinv (" · ", strv);
  else if (busy)
    text = g_strdup (_("Checking the images…"));
  else
    text = g_strdup (_("Nothing to report. The checks run again as you write."));

  gtk_label_set_text (self->checks_summary, text);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
}

static void
update_publish_state (WcComposer *self)
{
  gboolean can = self->editor != NULL && wc_draft_editor_get_can_publish (self->editor);
  gboolean busy = self->editor != NULL && wc_draft_editor_get_busy (self->editor);
  const char *why = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.post-now", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.schedule", can);

  if (!can)
    why = busy || self->n_stripping > 0
          ? _("Whitecoat is still checking the images")
          : _("A blocker is left: resolve it, or override it with a reason, under Checks");

  gtk_widget_set_tooltip_text (self->post_button, why != NULL ? why : _("Post this draft now"));
  gtk_widget_set_tooltip_text (self->schedule_button, why != NULL ? why : _("Choose when to post this draft"));
}

static void
update_save_state (WcComposer *self)
{
  WcDraft *draft = get_draft (self);
  const char *text;

  if (draft == NULL)
    text = "";
  else if (wc_draft_editor_get_dirty (self->editor))
    text = _("Saving…");
  else if (wc_draft_get_id (draft) < 0)
    text = _("New draft, saved as soon as you write");
  else
    text = _("Saved");

  gtk_label_set_text (self->save_label, text);
}

/* --- Targets, audience, counters --------------------------------------- */

/* With more accounts than this, only the chosen ones are shown as chips
 * and the others are a click away: a hundred chips help nobody and would
 * slow down the start. */
#define MAX_CHIPS 12

static void build_targets (WcComposer *self);

static gboolean
is_bluesky (WcAccount *account)
{
  return g_strcmp0 (wc_account_get_network (account), "bluesky") == 0;
}

static gboolean
has_bluesky_target (WcComposer *self)
{
  WcDraft *draft = get_draft (self);

  for (guint i = 0; draft != NULL && self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);

      if (is_bluesky (account) && wc_draft_find_target (draft, wc_account_get_id (account)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The account's postInteractionSettingsPref as one of the composer's
 * choices. Combinations the choice cannot say (followers, or several
 * rules) keep the widest one it can: a default never silences more
 * people than the user asked for. */
static WcReplyPolicy
reply_policy_from_rule (WcBlueskyReplyRule rule)
{
  if (rule == WC_BLUESKY_REPLY_ANYONE || (rule & WC_BLUESKY_REPLY_FOLLOWERS) != 0)
    return WC_REPLY_POLICY_EVERYONE;
  if (rule & WC_BLUESKY_REPLY_FOLLOWING)
    return WC_REPLY_POLICY_FOLLOWING;
  if (rule & WC_BLUESKY_REPLY_MENTIONED)
    return WC_REPLY_POLICY_MENTIONED;
  return WC_REPLY_POLICY_NOBODY;
}

typedef struct
{
  WcComposer    *self;   /* weak */
  WcDraftEditor *editor; /* the editor it was asked for: the draft may change */
} ReplyDefaultData;

static void
reply_default_data_free (ReplyDefaultData *data)
{
  g_clear_weak_pointer (&data->self);
  g_clear_object (&data->editor);
  g_free (data);
}

static void
on_reply_default (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ReplyDefaultData *data = user_data;
  g_autoptr(GError) error = NULL;
  WcBlueskyReplyRule rule = wc_bluesky_get_reply_default_finish (WC_BLUESKY (source), result, &error);
  WcComposer *self = data->self;

  if (error != NULL)
    g_debug ("No default for who may reply: %s", error->message);
  else if (self != NULL && self->editor == data->editor && !self->reply_chosen)
    {
      wc_draft_editor_set_reply_policy (self->editor, reply_policy_from_rule (rule));
      update_options (self);
    }
  reply_default_data_free (data);
}

static void
on_reply_default_connection (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  ReplyDefaultData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  if (network == NULL || !WC_IS_BLUESKY (network) || data->self == NULL || data->self->editor != data->editor)
    {
      if (error != NULL)
        g_debug ("No default for who may reply: %s", error->message);
      reply_default_data_free (data);
      return;
    }
  wc_bluesky_get_reply_default_async (WC_BLUESKY (network), data->self->editor_cancellable,
                                      on_reply_default, data);
}

/* Asks the account for its default who-can-reply; while it is unknown, or
 * when it cannot be read (signed out, offline), the draft keeps what it
 * has: everyone, unless the user chose. */
static void
fetch_reply_default (WcComposer *self,
                     WcAccount  *account)
{
  ReplyDefaultData *data = g_new0 (ReplyDefaultData, 1);

  g_set_weak_pointer (&data->self, self);
  data->editor = g_object_ref (self->editor);
  wc_connection_open_async (account, self->editor_cancellable, on_reply_default_connection, data);
}

static void
set_target_active (WcComposer *self,
                   gint64      account_id,
                   gboolean    active)
{
  WcAccount *account = find_account (self, account_id);

  if (self->editor == NULL || account == NULL)
    return;
  if (active == (wc_draft_find_target (get_draft (self), account_id) != NULL))
    return;

  if (active)
    {
      WcNetworkInfo *info = lookup_network (account);
      GPtrArray *options = info != NULL ? wc_network_info_get_audience_options (info) : NULL;
      const char *visibility = options != NULL && options->len > 0
                               ? ((WcAudienceOption *) g_ptr_array_index (options, 0))->id
                               : NULL;
      gboolean first_bluesky = is_bluesky (account) && !has_bluesky_target (self);

      wc_draft_editor_set_target (self->editor, account_id, visibility);
      /* Who may reply starts from the account's own default, as the
       * official app does, unless the user already chose. */
      if (first_bluesky && !self->reply_chosen)
        fetch_reply_default (self, account);
    }
  else
    {
      wc_draft_editor_remove_target (self->editor, account_id);
    }

  build_visibility (self);
  update_counters (self);
}

static gboolean
rebuild_targets_idle (gpointer user_data)
{
  WcComposer *self = user_data;

  self->targets_idle = 0;
  build_targets (self);
  return G_SOURCE_REMOVE;
}

static void
on_target_toggled (GtkToggleButton *button,
                   WcComposer      *self)
{
  gint64 account_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "wc-account-id");

  set_target_active (self, account_id, gtk_toggle_button_get_active (button));

  /* With many accounts only chosen ones have chips: an unchosen chip goes,
   * once its own signal is over. */
  if (self->accounts != NULL && self->accounts->len > MAX_CHIPS && self->targets_idle == 0)
    self->targets_idle = g_idle_add (rebuild_targets_idle, self);
}

static void
on_account_check_toggled (GtkCheckButton *check,
                          WcComposer     *self)
{
  gint64 account_id = *(gint64 *) g_object_get_data (G_OBJECT (check), "wc-account-id");

  set_target_active (self, account_id, gtk_check_button_get_active (check));
}

/* The list of every account, made when the popover first opens. */
static void
on_accounts_popover_show (GtkPopover *popover,
                          WcComposer *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);

  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);
      gint64 id = wc_account_get_id (account);
      g_autofree char *title = wc_account_dup_title (account);
      g_autofree char *network = dup_network_label (account);
      /* Translators: an account in the list of targets, e.g. "Dr. Anna Jansen (Mastodon)". */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), title, network);
      GtkWidget *check = gtk_check_button_new_with_label (label);

      g_object_set_data_full (G_OBJECT (check), "wc-account-id", g_memdup2 (&id, sizeof id), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   wc_draft_find_target (get_draft (self), id) != NULL);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_account_check_toggled), self, 0);
      gtk_list_box_append (GTK_LIST_BOX (list), check);
    }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_popover_set_child (popover, scrolled);
}

static void
on_accounts_popover_closed (GtkPopover *popover,
                            WcComposer *self)
{
  gtk_popover_set_child (popover, NULL);
  if (self->targets_idle == 0)
    self->targets_idle = g_idle_add (rebuild_targets_idle, self);
}

static GtkWidget *
create_more_accounts_button (WcComposer *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  /* Translators: %u is the number of accounts of the identity (more than 12). */
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Choose among %u account…",
                                                         "Choose among %u accounts…", self->accounts->len),
                                            self->accounts->len);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_add_css_class (button, "target-chip");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_accounts_popover_show), self, 0);
  g_signal_connect_object (popover, "closed", G_CALLBACK (on_accounts_popover_closed), self, 0);
  return button;
}

static GtkWidget *
create_target_chip (WcComposer *self,
                    WcAccount  *account)
{
  gint64 id = wc_account_get_id (account);
  WcNetworkInfo *info = lookup_network (account);
  g_autofree char *title = wc_account_dup_title (account);
  g_autofree char *network = dup_network_label (account);
  g_autofree char *tooltip = NULL;
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon;
  GtkWidget *label;

  icon = gtk_image_new_from_icon_name (info != NULL && wc_network_info_get_icon_name (info) != NULL
                                       ? wc_network_info_get_icon_name (info)
                                       : "network-server-symbolic");
  gtk_widget_add_css_class (icon, "network-icon");
  gtk_box_append (GTK_BOX (box), icon);

  label = gtk_label_new (title);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_box_append (GTK_BOX (box), label);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "target-chip");
  /* As wide as its name, not as the flow box's column. */
  gtk_widget_set_halign (button, GTK_ALIGN_START);

  /* Translators: a target account's network and handle, e.g. "Mastodon · @anna@med.example". */
  tooltip = g_strdup_printf (_("%s · %s"), network, wc_account_get_handle (account));
  gtk_widget_set_tooltip_text (button, tooltip);

  g_object_set_data_full (G_OBJECT (button), "wc-account-id", g_memdup2 (&id, sizeof id), g_free);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                wc_draft_find_target (get_draft (self), id) != NULL);
  g_signal_connect_object (button, "toggled", G_CALLBACK (on_target_toggled), self, 0);

  return button;
}

static void
build_targets (WcComposer *self)
{
  gboolean many;

  g_clear_handle_id (&self->targets_idle, g_source_remove);
  remove_all_children (GTK_WIDGET (self->targets_box));

  if (self->editor == NULL)
    return;

  many = self->accounts != NULL && self->accounts->len > MAX_CHIPS;
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);
      GtkWidget *chip;

      if (many && wc_draft_find_target (get_draft (self), wc_account_get_id (account)) == NULL)
        continue;

      chip = create_target_chip (self, account);
      gtk_flow_box_append (self->targets_box, chip);
      /* The toggle takes the focus; its flow box child need not. */
      gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
    }

  if (many)
    {
      GtkWidget *more = create_more_accounts_button (self);

      gtk_flow_box_append (self->targets_box, more);
      gtk_widget_set_focusable (gtk_widget_get_parent (more), FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->targets_box), self->accounts != NULL && self->accounts->len > 0);
  gtk_widget_set_visible (self->no_accounts_box, self->accounts == NULL || self->accounts->len == 0);
  gtk_label_set_text (self->no_accounts_label,
                      self->identity == WC_IDENTITY_PERSONAL
                      ? _("Your personal identity has no accounts yet. Add them under Accounts to choose where this goes.")
                      : _("Your professional identity has no accounts yet. Add them under Accounts to choose where this goes."));

  build_visibility (self);
}

/* The network under the account, and what the chosen audience means there
 * in the tooltip: at 360 px a subtitle that long would squeeze the choice. */
static void
update_visibility_subtitle (AdwComboRow *row,
                            WcAccount   *account)
{
  WcNetworkInfo *info = lookup_network (account);
  GPtrArray *options = info != NULL ? wc_network_info_get_audience_options (info) : NULL;
  guint selected = adw_combo_row_get_selected (row);
  g_autofree char *network = dup_network_label (account);
  WcAudienceOption *option = NULL;

  if (options != NULL && selected < options->len)
    option = g_ptr_array_index (options, selected);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), network);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               option != NULL && option->description != NULL
                               ? g_dgettext (GETTEXT_PACKAGE, option->description)
                               : NULL);
}

static void
on_visibility_selected (AdwComboRow *row,
                        GParamSpec  *pspec,
                        WcComposer  *self)
{
  gint64 account_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "wc-account-id");
  WcAccount *account = find_account (self, account_id);
  WcNetworkInfo *info = account != NULL ? lookup_network (account) : NULL;
  GPtrArray *options = info != NULL ? wc_network_info_get_audience_options (info) : NULL;
  guint selected = adw_combo_row_get_selected (row);

  if (self->editor == NULL || options == NULL || selected >= options->len)
    return;

  wc_draft_editor_set_target (self->editor, account_id,
                              ((WcAudienceOption *) g_ptr_array_index (options, selected))->id);
  update_visibility_subtitle (row, account);
}

static void
build_visibility (WcComposer *self)
{
  WcDraft *draft = get_draft (self);
  guint n_rows = 0;

  remove_all_children (GTK_WIDGET (self->visibility_list));
  if (draft == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->visibility_list), FALSE);
      update_options (self);
      return;
    }

  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->accounts, i);
      gint64 id = wc_account_get_id (account);
      const WcDraftTarget *target = wc_draft_find_target (draft, id);
      WcNetworkInfo *info = lookup_network (account);
      GPtrArray *options = info != NULL ? wc_network_info_get_audience_options (info) : NULL;
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autofree char *title = NULL;
      GtkWidget *row;
      guint selected = 0;

      if (target == NULL)
        continue;

      for (guint j = 0; options != NULL && j < options->len; j++)
        {
          WcAudienceOption *option = g_ptr_array_index (options, j);

          gtk_string_list_append (labels, g_dgettext (GETTEXT_PACKAGE, option->label));
          if (g_strcmp0 (option->id, target->visibility) == 0)
            selected = j;
        }

      title = wc_account_dup_title (account);
      row = adw_combo_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "wc-account-id", g_memdup2 (&id, sizeof id), g_free);
      g_object_set_data_full (G_OBJECT (row), "wc-network", g_strdup (wc_account_get_network (account)), g_free);
      update_visibility_subtitle (ADW_COMBO_ROW (row), account);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_visibility_selected), self, 0);

      gtk_list_box_append (self->visibility_list, row);
      n_rows++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->visibility_list), n_rows > 0);
  update_options (self);
}

/* A short list of common languages, the user's own and the draft's;
 * names in the user's language. */
static const struct {
  const char *code;
  const char *name;
} common_languages[] = {
  { "en", N_("English") },
  { "de", N_("German") },
  { "fr", N_("French") },
  { "es", N_("Spanish") },
  { "it", N_("Italian") },
  { "nl", N_("Dutch") },
  { "pt", N_("Portuguese") },
  { "pl", N_("Polish") },
  { "sv", N_("Swedish") },
  { "da", N_("Danish") },
  { "nb", N_("Norwegian Bokmål") },
  { "fi", N_("Finnish") },
  { "cs", N_("Czech") },
  { "el", N_("Greek") },
  { "tr", N_("Turkish") },
  { "ru", N_("Russian") },
  { "uk", N_("Ukrainian") },
  { "ar", N_("Arabic") },
  { "he", N_("Hebrew") },
  { "hi", N_("Hindi") },
  { "zh", N_("Chinese") },
  { "ja", N_("Japanese") },
  { "ko", N_("Korean") },
};

static void
add_language (WcComposer    *self,
              GtkStringList *labels,
              const char    *code)
{
  g_autofree char *label = NULL;

  for (guint i = 0; i < self->language_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->language_codes, i), code))
      return;

  for (guint i = 0; i < G_N_ELEMENTS (common_languages) && label == NULL; i++)
    if (g_str_equal (common_languages[i].code, code))
      label = g_strdup (_(common_languages[i].name));
  if (label == NULL && *code == '\0')
    label = g_strdup (_("Not Specified"));
  if (label == NULL)
    /* Translators: a language without a name in Whitecoat's list; %s is its ISO 639-1 code, e.g. "eo". */
    label = g_strdup_printf (_("Language “%s”"), code);

  g_ptr_array_add (self->language_codes, g_strdup (code));
  gtk_string_list_append (labels, label);
}

/* The language row's items: none, the draft's and the user's own
 * languages first, then the common ones. */
static void
build_languages (WcComposer *self,
                 WcDraft    *draft)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *own = wc_draft_default_language ();

  g_clear_pointer (&self->language_codes, g_ptr_array_unref);
  self->language_codes = g_ptr_array_new_with_free_func (g_free);
  add_language (self, labels, "");
  add_language (self, labels, wc_draft_get_language (draft));
  add_language (self, labels, own);
  for (guint i = 0; i < G_N_ELEMENTS (common_languages); i++)
    add_language (self, labels, common_languages[i].code);
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (labels));
}

static void on_reply_selected    (AdwComboRow *row,
                                  GParamSpec  *pspec,
                                  WcComposer  *self);
static void on_language_selected (AdwComboRow *row,
                                  GParamSpec  *pspec,
                                  WcComposer  *self);

/* The option rows are needed only once a draft has somewhere to go, so
 * they are not built with every window. */
static void
ensure_options (WcComposer *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->reply_row != NULL)
    return;

  builder = gtk_builder_new_from_resource ("/io/github/whitecoat/Whitecoat/wc-composer-options.ui");
  self->reply_row = ADW_COMBO_ROW (gtk_builder_get_object (builder, "reply_row"));
  self->language_row = ADW_COMBO_ROW (gtk_builder_get_object (builder, "language_row"));
  gtk_list_box_append (self->options_list, GTK_WIDGET (self->reply_row));
  gtk_list_box_append (self->options_list, GTK_WIDGET (self->language_row));
  g_signal_connect (self->reply_row, "notify::selected", G_CALLBACK (on_reply_selected), self);
  g_signal_connect (self->language_row, "notify::selected", G_CALLBACK (on_language_selected), self);
}

/* The rows follow the draft: who may reply (only when it goes to
 * Bluesky, the one network here that lets the author say) and the
 * language (whenever it goes anywhere). */
static void
update_options (WcComposer *self)
{
  WcDraft *draft = get_draft (self);
  const char *language;
  guint selected = 0;

  if (draft == NULL || wc_draft_get_targets (draft)->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->options_list), FALSE);
      return;
    }

  ensure_options (self);
  self->syncing_options = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->reply_row), has_bluesky_target (self));
  adw_combo_row_set_selected (self->reply_row, wc_draft_get_reply_policy (draft));

  language = wc_draft_get_language (draft);
  if (self->language_codes == NULL)
    build_languages (self, draft);
  for (guint i = 0; i < self->language_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->language_codes, i), language))
      selected = i;
  adw_combo_row_set_selected (self->language_row, selected);
  self->syncing_options = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->options_list), TRUE);
}

static void
on_reply_selected (AdwComboRow *row,
                   GParamSpec  *pspec,
                   WcComposer  *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing_options || self->editor == NULL || selected > WC_REPLY_POLICY_NOBODY)
    return;

  self->reply_chosen = TRUE;
  if (wc_draft_get_reply_policy (get_draft (self)) == (WcReplyPolicy) selected)
    return;
  wc_draft_editor_set_reply_policy (self->editor, selected);
  note_scheduled_edit (self);
}

static void
on_language_selected (AdwComboRow *row,
                      GParamSpec  *pspec,
                      WcComposer  *self)
{
  guint selected = adw_combo_row_get_selected (row);
  const char *code;

  if (self->syncing_options || self->editor == NULL || self->language_codes == NULL
      || selected >= self->language_codes->len)
    return;

  code = g_ptr_array_index (self->language_codes, selected);
  if (g_strcmp0 (wc_draft_get_language (get_draft (self)), code) == 0)
    return;
  wc_draft_editor_set_language (self->editor, code);
  note_scheduled_edit (self);
}

static void
update_counters (WcComposer *self)
{
  typedef struct {
    WcNetworkInfo  *info;
    WcServerLimits  limits;
  } Counter;
  WcDraft *draft = get_draft (self);
  g_autoptr(GArray) counters = g_array_new (FALSE, TRUE, sizeof (Counter));
  GPtrArray *targets;
  const char *text;

  g_clear_handle_id (&self->counters_source, g_source_remove);
  remove_all_children (GTK_WIDGET (self->counters_box));
  if (draft == NULL)
    return;

  /* One counter per network and server limits: two Mastodon servers with
   * different limits count differently, as the checks do. */
  text = wc_draft_get_text (draft);
  targets = wc_draft_get_targets (draft);
  for (guint i = 0; i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);
      WcAccount *account = find_account (self, target->account_id);
      Counter counter = { account != NULL ? lookup_network (account) : NULL, { 0 } };
      gboolean known = FALSE;

      if (counter.info == NULL)
        continue;
      if (self->editor != NULL)
        wc_draft_editor_get_server_limits (self->editor, target->account_id, &counter.limits);
      for (guint j = 0; j < counters->len && !known; j++)
        {
          Counter *other = &g_array_index (counters, Counter, j);

          known = other->info == counter.info
                  && memcmp (&other->limits, &counter.limits, sizeof counter.limits) == 0;
        }
      if (!known)
        g_array_append_val (counters, counter);
    }

  for (guint i = 0; i < counters->len; i++)
    {
      const Counter *counter = &g_array_index (counters, Counter, i);
      WcNetworkInfo *info = counter->info;
      const char *id = wc_network_info_get_id (info);
      guint limit = counter->limits.max_characters > 0
                    ? counter->limits.max_characters : wc_network_info_get_char_limit (info);
      guint per_url = counter->limits.chars_per_url > 0
                      ? counter->limits.chars_per_url : WC_MASTODON_CHARS_PER_URL;
      gsize bytes = 0;
      guint length;
      gboolean over;
      g_autofree char *label_text = NULL;
      GtkWidget *label;

      /* Counted as each network counts (../shared/NETWORKS.md). */
      if (g_str_equal (id, "mastodon"))
        length = wc_limits_mastodon_length (wc_draft_get_content_warning (draft), text, per_url);
      else if (g_str_equal (id, "bluesky"))
        length = wc_limits_bluesky_length (text, &bytes);
      else
        length = wc_text_count_graphemes (text, -1);

      over = (limit > 0 && length > limit) || bytes > WC_BLUESKY_MAX_BYTES;
      if (limit > 0)
        /* Translators: a character counter: network, characters used, characters allowed. */
        label_text = g_strdup_printf (_("%s %u/%u"), wc_network_info_get_name (info), length, limit);
      else
        /* Translators: a character counter: network, characters used. */
        label_text = g_strdup_printf (_("%s %u"), wc_network_info_get_name (info), length);

      label = gtk_label_new (label_text);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, over ? "error" : "dim-label");
      g_object_set_data_full (G_OBJECT (label), "wc-network", g_strdup (id), g_free);
      gtk_box_append (self->counters_box, label);
    }
}

static gboolean
counters_timeout_cb (gpointer user_data)
{
  WcComposer *self = user_data;

  self->counters_source = 0;
  update_counters (self);
  return G_SOURCE_REMOVE;
}

static void
queue_counters (WcComposer *self)
{
  if (self->counters_source == 0)
    self->counters_source = g_timeout_add (COUNTERS_DELAY_MS, counters_timeout_cb, self);
}

/* --- Images ------------------------------------------------------------- */

static void
sync_attachments (WcComposer *self)
{
  GPtrArray *attachments = wc_draft_get_attachments (get_draft (self));
  gboolean same = TRUE;
  guint n_rows = 0;
  GtkListBoxRow *row;

  for (row = gtk_list_box_get_row_at_index (self->attachments_list, 0);
       row != NULL;
       row = gtk_list_box_get_row_at_index (self->attachments_list, ++n_rows))
    {
      if (n_rows >= attachments->len
          || g_strcmp0 (wc_attachment_row_get_path (WC_ATTACHMENT_ROW (row)),
                        ((WcAttachment *) g_ptr_array_index (attachments, n_rows))->path) != 0)
        same = FALSE;
    }
  if (n_rows != attachments->len)
    same = FALSE;

  if (same)
    {
      for (guint i = 0; i < n_rows; i++)
        wc_attachment_row_update (WC_ATTACHMENT_ROW (gtk_list_box_get_row_at_index (self->attachments_list, i)));
    }
  else
    {
      remove_all_children (GTK_WIDGET (self->attachments_list));
      for (guint i = 0; i < attachments->len; i++)
        gtk_list_box_append (self->attachments_list, wc_attachment_row_new (self->editor, i));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->attachments_list), attachments->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->images_hint), attachments->len == 0);
}

/* --- The editor's signals ---------------------------------------------- */

static void
on_findings_changed (WcDraftEditor *editor,
                     WcComposer    *self)
{
  apply_underlines (self);
  update_findings_rows (self);
  sync_attachments (self);
  update_summary (self);
  update_publish_state (self);
}

static void
on_save_failed (WcDraftEditor *editor,
                GError        *error,
                WcComposer    *self)
{
  show_error_toast (self, _("The draft could not be saved"), error);
}

static void
on_editor_state_notify (WcDraftEditor *editor,
                        GParamSpec    *pspec,
                        WcComposer    *self)
{
  update_publish_state (self);
  update_save_state (self);
  update_summary (self);
}

static void
close_editor (WcComposer *self)
{
  g_autoptr(GError) error = NULL;
  WcDraft *draft;

  if (self->editor == NULL)
    return;

  draft = get_draft (self);
  /* Only when dirty: wc_draft_editor_save_now() would also store a new
   * draft nobody wrote in, and empty drafts must not pile up. */
  if (wc_draft_editor_get_dirty (self->editor) && !wc_draft_editor_save_now (self->editor, &error))
    show_error_toast (self, _("The draft could not be saved"), error);
  if (wc_draft_get_id (draft) >= 0)
    self->last_draft[wc_draft_get_identity (draft) == WC_IDENTITY_PERSONAL ? 0 : 1] = wc_draft_get_id (draft);

  g_cancellable_cancel (self->editor_cancellable);
  g_clear_object (&self->editor_cancellable);
  g_signal_handlers_disconnect_by_data (self->editor, self);
  if (self->audience_view != NULL)
    wc_audience_view_set_editor (self->audience_view, NULL);
  g_clear_object (&self->editor);
  g_clear_handle_id (&self->counters_source, g_source_remove);
}

static void
load_accounts (WcComposer *self)
{
  /* No database yet means no accounts yet: the first start does not make
   * one before its first frame. */
  WcStore *store = self->application != NULL ? wc_application_peek_store (self->application) : NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  if (store != NULL)
    self->accounts = wc_store_list_accounts (store, self->identity, &error);
  if (self->accounts == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot list the accounts: %s", error->message);
      self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
    }
}

static void
open_draft (WcComposer *self,
            WcDraft    *draft)
{
  WcStore *store = get_store (self);
  WcChecker *checker = self->application != NULL ? wc_application_get_checker (self->application) : NULL;
  GtkTextIter start;

  close_editor (self);
  if (store == NULL || checker == NULL)
    return;

  self->editor = wc_draft_editor_new (store, checker, draft);
  self->editor_cancellable = g_cancellable_new ();
  /* Roster names and mentioned people need the key from the keyring; the
   * audience view follows the editor's findings. */
  wc_draft_editor_set_hasher (self->editor, wc_application_get_hasher (self->application));
  if (self->audience_view != NULL)
    wc_audience_view_set_editor (self->audience_view, self->editor);
  if (wc_draft_get_id (draft) >= 0)
    self->last_draft[wc_draft_get_identity (draft) == WC_IDENTITY_PERSONAL ? 0 : 1] = wc_draft_get_id (draft);

  /* What the draft says, without an undo step and without telling the
   * editor about its own text. */
  self->loading = TRUE;
  gtk_text_buffer_begin_irreversible_action (self->buffer);
  gtk_text_buffer_set_text (self->buffer, wc_draft_get_text (draft), -1);
  gtk_text_buffer_end_irreversible_action (self->buffer);
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_place_cursor (self->buffer, &start);
  gtk_editable_set_text (GTK_EDITABLE (self->cw_entry), wc_draft_get_content_warning (draft));
  self->loading = FALSE;

  g_signal_connect_object (self->editor, "findings-changed", G_CALLBACK (on_findings_changed), self, 0);
  g_signal_connect_object (self->editor, "save-failed", G_CALLBACK (on_save_failed), self, 0);
  g_signal_connect_object (self->editor, "notify::can-publish", G_CALLBACK (on_editor_state_notify), self, 0);
  g_signal_connect_object (self->editor, "notify::busy", G_CALLBACK (on_editor_state_notify), self, 0);
  g_signal_connect_object (self->editor, "notify::dirty", G_CALLBACK (on_editor_state_notify), self, 0);

  /* A saved draft that went to Bluesky, or limited replies, has its
   * policy from when it was written: the account default does not
   * replace it. */
  self->reply_chosen = wc_draft_get_id (draft) >= 0
                       && (has_bluesky_target (self) || wc_draft_get_reply_policy (draft) != WC_REPLY_POLICY_EVERYONE);
  g_clear_pointer (&self->language_codes, g_ptr_array_unref);
  build_targets (self);
  update_counters (self);
  update_save_state (self);
  on_findings_changed (self->editor, self);
  self->scheduled_edited = FALSE;
  self->scheduled_kept = FALSE;
  update_scheduled_banner (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.move-identity", TRUE);
  self->drafts_dirty = TRUE;
  if (gtk_widget_get_visible (GTK_WIDGET (self->drafts_popover)))
    refresh_drafts (self);
}

static void
open_new_draft (WcComposer *self)
{
  g_autoptr(WcDraft) draft = wc_draft_new (self->identity);

  open_draft (self, draft);
}

static gboolean
is_pending_delete (WcComposer *self,
                   gint64      id)
{
  return self->pending_delete != NULL && self->pending_delete->draft_id == id;
}

/* The draft that was open last in this identity, else its latest, else a
 * new one. */
static void
open_for_identity (WcComposer *self)
{
  WcStore *store = get_store (self);
  g_autoptr(WcDraft) draft = NULL;
  gint64 last = self->last_draft[self->identity == WC_IDENTITY_PERSONAL ? 0 : 1];

  if (store == NULL)
    return;

  if (last >= 0 && !is_pending_delete (self, last))
    {
      draft = wc_store_load_draft (store, last, NULL);
      if (draft != NULL && wc_draft_get_identity (draft) != self->identity)
        g_clear_object (&draft);
    }

  if (draft == NULL)
    {
      g_autoptr(GPtrArray) drafts = wc_store_list_drafts (store, self->identity, NULL);

      for (guint i = 0; drafts != NULL && i < drafts->len && draft == NULL; i++)
        if (!is_pending_delete (self, wc_draft_get_id (g_ptr_array_index (drafts, i))))
          draft = g_object_ref (g_ptr_array_index (drafts, i));
    }

  if (draft != NULL)
    open_draft (self, draft);
  else
    open_new_draft (self);
}

static gboolean
open_for_identity_idle (gpointer user_data)
{
  WcComposer *self = user_data;

  self->open_idle = 0;
  open_for_identity (self);
  gtk_text_view_set_editable (self->text_view, TRUE);
  return G_SOURCE_REMOVE;
}

/* Whatever asks for the open draft gets it, even before the idle ran. */
static void
flush_pending_open (WcComposer *self)
{
  if (self->open_idle != 0)
    {
      g_clear_handle_id (&self->open_idle, g_source_remove);
      open_for_identity (self);
      gtk_text_view_set_editable (self->text_view, TRUE);
    }
}

/* --- Drafts list ------------------------------------------------------- */

static char *
format_edited (gint64 updated_at)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seconds = MAX (now - updated_at, 0);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;

  if (seconds < 60)
    return g_strdup (_("Edited just now"));
  if (seconds < 60 * 60)
    return g_strdup_printf (ngettext ("Edited %u minute ago", "Edited %u minutes ago", (guint) (seconds / 60)),
                            (guint) (seconds / 60));
  if (seconds < 24 * 60 * 60)
    return g_strdup_printf (ngettext ("Edited %u hour ago", "Edited %u hours ago", (guint) (seconds / 3600)),
                            (guint) (seconds / 3600));

  when = g_date_time_new_from_unix_local (updated_at);
  date = when != NULL ? g_date_time_format (when, "%x") : g_strdup ("");
  /* Translators: %s is a date. */
  return g_strdup_printf (_("Edited %s"), date);
}

static GtkWidget *
create_draft_row (WcComposer *self,
                  WcDraft    *draft)
{
  gint64 id = wc_draft_get_id (draft);
  WcDraft *current = get_draft (self);
  gboolean is_current = current != NULL && wc_draft_get_id (current) == id;
  g_autofree char *title = wc_draft_dup_title (draft);
  g_autofree char *edited = format_edited (wc_draft_get_updated_at (draft));
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;
  GtkWidget *button;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);

  label = gtk_image_new_from_icon_name ("document-edit-symbolic");
  gtk_widget_set_opacity (label, is_current ? 1.0 : 0.0);
  gtk_widget_set_tooltip_text (label, is_current ? _("Open now") : NULL);
  gtk_box_append (GTK_BOX (box), label);

  gtk_widget_set_hexpand (labels, TRUE);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_box_append (GTK_BOX (labels), label);
  label = gtk_label_new (edited);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_box_append (GTK_BOX (box), labels);

  button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Duplicate Draft"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "composer.duplicate-draft");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  gtk_box_append (GTK_BOX (box), button);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Delete Draft"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "composer.delete-draft");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  gtk_box_append (GTK_BOX (box), button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "wc-draft-id", g_memdup2 (&id, sizeof id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}

static void
refresh_drafts (WcComposer *self)
{
  WcStore *store = get_store (self);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  self->drafts_dirty = FALSE;
  remove_all_children (GTK_WIDGET (self->drafts_list));

  if (self->application == NULL)
    return;

  name = wc_application_dup_identity_name (self->application, self->identity);
  /* Translators: %s is the name of the active identity. */
  heading = g_strdup_printf (_("Drafts · %s"), name);
  gtk_label_set_text (self->drafts_heading, heading);

  if (store != NULL)
    drafts = wc_store_list_drafts (store, self->identity, &error);
  if (drafts == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot list the drafts: %s", error->message);
      return;
    }

  for (guint i = 0; i < drafts->len; i++)
    {
      WcDraft *draft = g_ptr_array_index (drafts, i);

      if (!is_pending_delete (self, wc_draft_get_id (draft)))
        gtk_list_box_append (self->drafts_list, create_draft_row (self, draft));
    }
}

static void
ensure_drafts (WcComposer *self)
{
  if (self->drafts_dirty)
    refresh_drafts (self);
}

static void
on_drafts_popover_show (WcComposer *self)
{
  /* Times and titles move on: read them again every time. */
  refresh_drafts (self);
}

static void
on_drafts_row_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         WcComposer    *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "wc-draft-id");

  if (id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "composer.open-draft", "x", *id);
}

/* --- Text --------------------------------------------------------------- */

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   WcComposer    *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->loading || self->editor == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  wc_draft_editor_set_text (self->editor, text);
  queue_counters (self);
  note_scheduled_edit (self);
}

static void
on_cw_entry_changed (GtkEditable *editable,
                     WcComposer  *self)
{
  if (self->loading || self->editor == NULL)
    return;

  wc_draft_editor_set_content_warning (self->editor, gtk_editable_get_text (editable));
  queue_counters (self);
  note_scheduled_edit (self);
}

static void
select_finding (WcComposer *self,
                WcFinding  *finding)
{
  guint n_spans = 0;
  const WcSpan *spans = wc_finding_get_spans (finding, &n_spans);
  const char *text = wc_draft_get_text (get_draft (self));
  int attachment = wc_finding_get_attachment (finding);
  GtkTextIter start, end;

  if (n_spans > 0 && buffer_matches_draft (self, text)
      && span_to_iters (self, text, strlen (text), &spans[0], &start, &end))
    {
      gtk_text_buffer_select_range (self->buffer, &start, &end);
      gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (self->buffer),
                                    0.1, FALSE, 0, 0);
      return;
    }

  if (attachment >= 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->attachments_list, attachment);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_findings_row_activated (GtkListBox    *list,
                           GtkListBoxRow *row,
                           WcComposer    *self)
{
  if (self->editor != NULL && WC_IS_FINDING_ROW (row))
    select_finding (self, wc_finding_row_get_finding (WC_FINDING_ROW (row)));
}

/* --- Actions ------------------------------------------------------------ */

static WcFinding *
lookup_finding (WcComposer *self,
                GVariant   *parameter)
{
  GPtrArray *findings;
  guint position = g_variant_get_uint32 (parameter);

  if (self->editor == NULL)
    return NULL;
  findings = wc_draft_editor_get_findings (self->editor);
  if (position >= findings->len)
    return NULL;
  return g_ptr_array_index (findings, position);
}

static void
new_draft_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);

  gtk_popover_popdown (self->drafts_popover);
  open_new_draft (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
open_draft_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  gint64 id = g_variant_get_int64 (parameter);
  WcStore *store = get_store (self);
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (self->drafts_popover);
  if (store == NULL)
    return;
  if (get_draft (self) != NULL && wc_draft_get_id (get_draft (self)) == id)
    return;

  draft = wc_store_load_draft (store, id, &error);
  if (draft == NULL)
    {
      show_error_toast (self, _("The draft could not be opened"), error);
      refresh_drafts (self);
      return;
    }
  open_draft (self, draft);
}

static void
duplicate_draft_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  gint64 id = g_variant_get_int64 (parameter);
  WcStore *store = get_store (self);
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(WcDraft) copy = NULL;
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (self->drafts_popover);
  if (store == NULL)
    return;

  /* The copy is made of what was typed up to now. */
  if (self->editor != NULL && wc_draft_get_id (get_draft (self)) == id
      && wc_draft_editor_get_dirty (self->editor)
      && !wc_draft_editor_save_now (self->editor, &error))
    {
      show_error_toast (self, _("The draft could not be duplicated"), error);
      return;
    }

  draft = wc_store_load_draft (store, id, &error);
  if (draft != NULL)
    {
      copy = wc_draft_duplicate (draft);
      if (!wc_store_save_draft (store, copy, &error))
        g_clear_object (&copy);
    }
  if (copy == NULL)
    {
      show_error_toast (self, _("The draft could not be duplicated"), error);
      return;
    }

  open_draft (self, copy);
  show_toast (self, _("Draft duplicated; you are editing the copy"));
}

static void
commit_pending_delete (WcComposer *self)
{
  g_autofree PendingDelete *pending = g_steal_pointer (&self->pending_delete);
  WcStore *store = get_store (self);
  g_autoptr(GError) error = NULL;

  if (pending == NULL)
    return;
  if (store != NULL && !wc_store_delete_draft (store, pending->draft_id, &error))
    g_warning ("Could not delete a draft: %s", error->message);
  if (pending->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (pending->toast), (gpointer *) &pending->toast);
}

static void
on_delete_toast_dismissed (AdwToast   *toast,
                           WcComposer *self)
{
  /* Gone without "Undo": now the draft is deleted for real. */
  if (self->pending_delete != NULL && self->pending_delete->toast == toast)
    commit_pending_delete (self);
}

static void
on_delete_toast_undo (AdwToast   *toast,
                      WcComposer *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "composer.undo-delete", NULL);
}

/* Deleting only hides the draft while the toast offers "Undo"; it leaves
 * the database when the toast goes away, or when the composer closes. */
static void
delete_draft_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  gint64 id = g_variant_get_int64 (parameter);
  WcDraft *current = get_draft (self);
  gboolean was_open = current != NULL && wc_draft_get_id (current) == id;
  PendingDelete *pending;
  AdwToast *previous_toast = NULL;

  if (id < 0)
    return;

  /* One undo at a time: an earlier deletion becomes final. */
  if (self->pending_delete != NULL)
    {
      previous_toast = self->pending_delete->toast;
      commit_pending_delete (self);
      if (previous_toast != NULL)
        adw_toast_dismiss (previous_toast);
    }

  pending = g_new0 (PendingDelete, 1);
  pending->draft_id = id;
  pending->was_open = was_open;
  self->pending_delete = pending;

  if (was_open)
    open_for_identity (self);

  pending->toast = show_toast (self, _("Draft deleted"));
  if (pending->toast != NULL)
    {
      adw_toast_set_button_label (pending->toast, _("_Undo"));
      adw_toast_set_priority (pending->toast, ADW_TOAST_PRIORITY_HIGH);
      g_object_add_weak_pointer (G_OBJECT (pending->toast), (gpointer *) &pending->toast);
      g_signal_connect_object (pending->toast, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
      g_signal_connect_object (pending->toast, "button-clicked", G_CALLBACK (on_delete_toast_undo), self, 0);
    }

  refresh_drafts (self);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  g_autofree PendingDelete *pending = g_steal_pointer (&self->pending_delete);

  if (pending == NULL)
    return;

  if (pending->toast != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (pending->toast), (gpointer *) &pending->toast);
      g_signal_handlers_disconnect_by_data (pending->toast, self);
      adw_toast_dismiss (pending->toast);
    }

  if (pending->was_open && get_store (self) != NULL)
    {
      g_autoptr(WcDraft) draft = wc_store_load_draft (get_store (self), pending->draft_id, NULL);

      if (draft != NULL && wc_draft_get_identity (draft) == self->identity)
        open_draft (self, draft);
    }
  refresh_drafts (self);
}

static void
on_file_chooser_response (GtkNativeDialog *dialog,
                          int              response,
                          WcComposer      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autoptr(GError) error = NULL;

          if (!wc_composer_add_file (self, file, &error))
            {
              show_error_toast (self, _("The image could not be added"), error);
              break;
            }
        }
    }

  g_clear_object (&self->file_chooser);
}

static void
add_image_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();

  if (self->file_chooser != NULL || self->editor == NULL)
    return;

  gtk_file_filter_set_name (images, _("Images and DICOM files"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_filter_add_mime_type (images, "application/dicom");
  gtk_file_filter_add_suffix (images, "dcm");
  gtk_file_filter_add_suffix (images, "DCM");

  native = gtk_file_chooser_native_new (_("Add Images"), get_parent_window (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), images);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  self->file_chooser = GTK_NATIVE_DIALOG (native);
  g_signal_connect_object (native, "response", G_CALLBACK (on_file_chooser_response), self, 0);
  gtk_native_dialog_show (self->file_chooser);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         WcComposer    *self)
{
  g_autoptr(GError) error = NULL;
  GSList *files = NULL;
  GSList *single = NULL;
  gboolean added = FALSE;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    files = gdk_file_list_get_files (g_value_get_boxed (value));
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    files = single = g_slist_prepend (NULL, g_value_get_object (value));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      if (!wc_composer_add_file (self, l->data, &error))
        {
          show_error_toast (self, _("The image could not be added"), error);
          break;
        }
      added = TRUE;
    }

  if (single == NULL)
    g_slist_free (files);
  else
    g_slist_free (single);
  return added;
}

static void
remove_image (WcComposer *self,
              guint       index)
{
  g_autoptr(GError) error = NULL;

  if (self->editor == NULL)
    return;
  if (!wc_draft_editor_remove_image (self->editor, index, &error))
    show_error_toast (self, _("The image could not be removed"), error);
}

static void
remove_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  remove_image (WC_COMPOSER (widget), g_variant_get_uint32 (parameter));
}

typedef struct
{
  WcComposer    *self;
  WcDraftEditor *editor;
  WcFinding     *finding;
  GtkEntry      *entry;
  guint          index;
  char          *path;
} DialogData;

static void
dialog_data_free (gpointer  data,
                  GClosure *closure)
{
  DialogData *dialog_data = data;

  g_clear_object (&dialog_data->self);
  g_clear_object (&dialog_data->editor);
  g_clear_pointer (&dialog_data->finding, wc_finding_unref);
  g_clear_pointer (&dialog_data->path, g_free);
  g_free (dialog_data);
}

static DialogData *
dialog_data_new (WcComposer *self,
                 WcFinding  *finding,
                 guint       index)
{
  DialogData *data = g_new0 (DialogData, 1);
  GPtrArray *attachments = wc_draft_get_attachments (get_draft (self));

  data->self = g_object_ref (self);
  data->editor = g_object_ref (self->editor);
  data->finding = finding != NULL ? wc_finding_ref (finding) : NULL;
  data->index = index;
  if (index < attachments->len)
    data->path = g_strdup (((WcAttachment *) g_ptr_array_index (attachments, index))->path);
  return data;
}

/* The image the dialog was opened for is still where it was. */
static gboolean
dialog_image_still_there (DialogData  *data,
                          GError     **error)
{
  GPtrArray *attachments = wc_draft_get_attachments (wc_draft_editor_get_draft (data->editor));

  if (data->path != NULL && data->index < attachments->len
      && g_strcmp0 (((WcAttachment *) g_ptr_array_index (attachments, data->index))->path, data->path) == 0)
    return TRUE;
  g_set_error_literal (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_NO_IMAGE,
                       _("The image is no longer part of the draft."));
  return FALSE;
}

static void
on_entry_changed_enable (GtkEditable      *editable,
                         AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (editable), "wc-response");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  adw_message_dialog_set_response_enabled (dialog, response, text[0] != '\0');
}

static GtkWidget *
add_required_entry (AdwMessageDialog *dialog,
                    const char       *response,
                    const char       *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  g_object_set_data (G_OBJECT (entry), "wc-response", (gpointer) response);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_response_enabled (dialog, response, FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed_enable), dialog);
  return entry;
}

static void
on_consent_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DialogData       *data)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "confirm") != 0)
    return;
  if (!dialog_image_still_there (data, &error)
      || !wc_draft_editor_record_consent (data->editor, data->index, &error))
    show_error_toast (data->self, _("The consent could not be recorded"), error);
}

static void
record_consent (WcComposer *self,
                guint       index)
{
  GtkWidget *dialog;

  if (self->editor == NULL)
    return;

  dialog = adw_message_dialog_new (get_parent_window (self), _("Record Consent?"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Confirm both:\n\n"
                                 "• The patient consented to this image being posted.\n"
                                 "• The image is fully de-identified, including what the picture itself shows "
                                 "(burned-in text, faces, wristbands, jewellery, tattoos).\n\n"
                                 "Whitecoat keeps this confirmation, with the date, in the audit log."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", _("_Confirm Both"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_consent_response),
                         dialog_data_new (self, NULL, index), dialog_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
record_consent_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  record_consent (WC_COMPOSER (widget), g_variant_get_uint32 (parameter));
}

static void
finding_edit_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);

  if (finding != NULL)
    select_finding (self, finding);
}

static void
finding_remove_image_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);

  if (finding != NULL && wc_finding_get_attachment (finding) >= 0)
    remove_image (self, wc_finding_get_attachment (finding));
}

static void
strip_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WcComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = wc_draft_editor_strip_image_finish (WC_DRAFT_EDITOR (source), result, &error);

  self->n_stripping--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ok)
    show_toast (self, _("Metadata removed: the draft now uses a clean copy of the image"));
  else
    show_error_toast (self, _("The metadata could not be removed"), error);

  if (self->editor == WC_DRAFT_EDITOR (source))
    {
      update_summary (self);
      update_publish_state (self);
    }
}

static void
finding_strip_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);

  if (finding == NULL || wc_finding_get_attachment (finding) < 0)
    return;

  self->n_stripping++;
  wc_draft_editor_strip_image_async (self->editor, wc_finding_get_attachment (finding),
                                     self->editor_cancellable, strip_done, g_object_ref (self));
  show_toast (self, _("Removing the metadata…"));
  update_summary (self);
  update_publish_state (self);
}

static void
finding_consent_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);

  if (finding != NULL && wc_finding_get_attachment (finding) >= 0)
    record_consent (self, wc_finding_get_attachment (finding));
}

static void
on_source_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DialogData       *data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;

  if (g_strcmp0 (response, "record") != 0)
    return;
  source = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->entry))));
  if (!dialog_image_still_there (data, &error)
      || !wc_draft_editor_record_source (data->editor, data->index, source, &error))
    show_error_toast (data->self, _("The source could not be recorded"), error);
}

static void
finding_source_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);
  DialogData *data;
  GtkWidget *dialog;

  if (finding == NULL || wc_finding_get_attachment (finding) < 0)
    return;

  dialog = adw_message_dialog_new (get_parent_window (self), _("Where Does the Image Come From?"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Name the colleague, journal, atlas or website, so that you can check the "
                                 "source and credit it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "record", _("_Record"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "record", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "record");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = dialog_data_new (self, finding, wc_finding_get_attachment (finding));
  data->entry = GTK_ENTRY (add_required_entry (ADW_MESSAGE_DIALOG (dialog), "record", _("Source")));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_source_response), data, dialog_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_dismiss_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DialogData       *data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "dismiss") != 0)
    return;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->entry))));
  if (!wc_draft_editor_dismiss (data->editor, data->finding, reason, &error))
    show_error_toast (data->self, _("The finding could not be dismissed"), error);
}

static void
finding_dismiss_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcFinding *finding = lookup_finding (self, parameter);
  gboolean blocker;
  g_autofree char *body = NULL;
  DialogData *data;
  GtkWidget *dialog;

  if (finding == NULL)
    return;

  blocker = wc_finding_get_severity (finding) == WC_SEVERITY_BLOCKER;
  dialog = adw_message_dialog_new (get_parent_window (self),
                                   blocker ? _("Override This Blocker?") : _("Dismiss This Finding?"),
                                   NULL);
  /* Translators: %s is what the check found. */
  body = g_strdup_printf (blocker
                          ? _("%s\n\nSay why it does not apply to this post. Whitecoat will then let you post "
                              "it, and keeps your reason in the audit log.")
                          : _("%s\n\nSay why it does not apply to this post. Whitecoat keeps your reason in "
                              "the audit log."),
                          wc_finding_get_message (finding));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "dismiss", blocker ? _("_Override") : _("_Dismiss"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "dismiss",
                                              blocker ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = dialog_data_new (self, finding, G_MAXUINT);
  data->entry = GTK_ENTRY (add_required_entry (ADW_MESSAGE_DIALOG (dialog), "dismiss", _("Reason")));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_dismiss_response), data, dialog_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
move_identity_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  g_autoptr(GError) error = NULL;
  WcIdentityKind other;

  if (self->editor == NULL)
    return;

  other = wc_identity_kind_other (wc_draft_get_identity (get_draft (self)));
  if (!wc_draft_editor_move_to_identity (self->editor, other, &error))
    {
      show_error_toast (self, _("The draft could not be moved"), error);
      return;
    }

  /* The draft stays in front of the user, and Whitecoat now acts as the
   * identity it belongs to: the colours, the accounts offered and the
   * drafts list all follow, so that nothing says "professional" above a
   * personal draft. */
  self->last_draft[other == WC_IDENTITY_PERSONAL ? 0 : 1] = wc_draft_get_id (get_draft (self));
  if (self->application != NULL)
    wc_application_set_active_identity (self->application, other);

  show_toast (self, other == WC_IDENTITY_PERSONAL
                    ? _("Moved to your personal identity, which is now active")
                    : _("Moved to your professional identity, which is now active"));
}

/* --- Posting and scheduling -------------------------------------------- */

/* Entries of the draft that have not gone out yet, failed ones included
 * (their "Retry" sends the updated text), to accounts still among the
 * draft's targets: exactly what wc_scheduler_update_content() changes. */
static guint
count_pending_entries (WcComposer *self,
                       gint64     *first_due)
{
  WcScheduler *scheduler = self->application != NULL ? wc_application_peek_scheduler (self->application) : NULL;
  WcDraft *draft = get_draft (self);
  g_autoptr(GPtrArray) entries = NULL;
  guint n = 0;

  *first_due = 0;
  if (scheduler == NULL || draft == NULL || wc_draft_get_id (draft) < 0)
    return 0;

  entries = wc_scheduler_list_for_draft (scheduler, wc_draft_get_id (draft));
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);

      switch (wc_outbox_entry_get_state (entry))
        {
        case WC_OUTBOX_STATE_SCHEDULED:
        case WC_OUTBOX_STATE_SERVER_SCHEDULED:
        case WC_OUTBOX_STATE_HELD:
        case WC_OUTBOX_STATE_FAILED:
          if (wc_draft_find_target (draft, wc_outbox_entry_get_account_id (entry)) == NULL)
            break;
          if (n == 0 || wc_outbox_entry_get_due_at (entry) < *first_due)
            *first_due = wc_outbox_entry_get_due_at (entry);
          n++;
          break;

        case WC_OUTBOX_STATE_SENDING:
        case WC_OUTBOX_STATE_SENT:
        case WC_OUTBOX_STATE_CANCELLED:
        default:
          break;
        }
    }
  return n;
}

/* The duty-hours check needs when the draft goes out (its first scheduled
 * post, else now) and the duty hours of Preferences. */
static void
sync_timing (WcComposer *self,
             gint64      scheduled_at)
{
  WcDutyHours duty;

  if (self->editor == NULL || self->application == NULL)
    return;
  wc_duty_hours_from_settings (wc_application_get_settings (self->application), &duty);
  wc_draft_editor_set_timing (self->editor, wc_application_get_clock (self->application), scheduled_at, &duty);
}

static void
update_scheduled_banner (WcComposer *self)
{
  gint64 first_due = 0;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  gboolean ask;

  self->n_scheduled = count_pending_entries (self, &first_due);
  sync_timing (self, self->n_scheduled > 0 ? first_due : 0);
  if (self->n_scheduled == 0)
    {
      self->scheduled_edited = FALSE;
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->scheduled_revealer), FALSE);
      gtk_widget_set_visible (self->scheduled_revealer, FALSE);
      return;
    }

  when = wc_format_due_time (NULL, first_due, wc_application_get_now (self->application));
  ask = self->scheduled_edited && !self->scheduled_kept;
  if (ask)
    /* Translators: %u is a number of posts. */
    text = g_strdup_printf (ngettext ("You changed this draft after scheduling it. Update the %u scheduled post "
                                      "too? Until you do, it goes out as it was.",
                                      "You changed this draft after scheduling it. Update the %u scheduled posts "
                                      "too? Until you do, they go out as they were.",
                                      self->n_scheduled),
                            self->n_scheduled);
  else
    /* Translators: the first %s is a time such as "Tomorrow at 08:00"; %u is a number of accounts. */
    text = g_strdup_printf (ngettext ("Scheduled for %s on %u account.",
                                      "Scheduled for %s on %u accounts.",
                                      self->n_scheduled),
                            when, self->n_scheduled);

  gtk_label_set_text (self->scheduled_label, text);
  gtk_widget_set_visible (self->keep_button, ask);
  gtk_widget_set_visible (self->update_button, ask);
  gtk_widget_set_visible (gtk_widget_get_parent (self->update_button), ask);
  gtk_widget_set_visible (self->scheduled_revealer, TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->scheduled_revealer), TRUE);
}

/* The first edit of a draft that waits in the outbox asks, once, whether
 * the scheduled posts should follow. */
static void
note_scheduled_edit (WcComposer *self)
{
  if (self->n_scheduled == 0 || self->scheduled_edited)
    return;
  self->scheduled_edited = TRUE;
  update_scheduled_banner (self);
}

static void
update_scheduled_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  WcScheduler *scheduler = self->application != NULL ? wc_application_get_scheduler (self->application) : NULL;
  g_autoptr(GError) error = NULL;

  if (scheduler == NULL || self->editor == NULL)
    return;
  if (!wc_draft_editor_save_now (self->editor, &error)
      || !wc_scheduler_update_content (scheduler, get_draft (self), &error))
    {
      show_error_toast (self, _("The scheduled posts were not updated"), error);
      return;
    }
  self->scheduled_edited = FALSE;
  self->scheduled_kept = FALSE;
  update_scheduled_banner (self);
  show_toast (self, _("The scheduled posts now have your changes"));
}

static void
keep_scheduled_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);

  /* Asked once per opening of the draft; the banner stays as a reminder. */
  self->scheduled_kept = TRUE;
  update_scheduled_banner (self);
}

static GPtrArray *
dup_target_accounts (WcComposer *self)
{
  GPtrArray *targets = get_draft (self) != NULL ? wc_draft_get_targets (get_draft (self)) : NULL;
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);
      WcAccount *account = find_account (self, target->account_id);

      if (account != NULL)
        g_ptr_array_add (accounts, g_object_ref (account));
    }
  return accounts;
}

static void
show_message (WcComposer *self,
              const char *heading,
              const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (get_parent_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Saves the draft and runs the checks once more: whatever was typed in
 * the last moment is checked before anything is scheduled. */
static gboolean
ready_to_post (WcComposer *self,
               GPtrArray **accounts)
{
  g_autoptr(GError) error = NULL;
  WcDraft *draft = get_draft (self);

  *accounts = NULL;
  if (self->editor == NULL || self->application == NULL)
    return FALSE;

  if (!wc_draft_editor_save_now (self->editor, &error))
    {
      show_error_toast (self, _("The draft could not be saved"), error);
      return FALSE;
    }
  wc_draft_editor_check_now (self->editor);
  if (wc_draft_editor_get_busy (self->editor) || self->n_stripping > 0)
    {
      show_message (self, _("Still Checking"),
                    _("Whitecoat is still checking the images of this draft. Try again in a moment."));
      return FALSE;
    }
  if (!wc_draft_editor_get_can_publish (self->editor))
    {
      show_message (self, _("A Blocker Is Left"),
                    _("Nothing was posted or scheduled. Resolve the blocker under Checks, or override it "
                      "with a reason."));
      return FALSE;
    }

  *accounts = dup_target_accounts (self);
  if ((*accounts)->len == 0)
    {
      g_clear_pointer (accounts, g_ptr_array_unref);
      show_message (self, _("No Account Chosen"),
                    _("Choose at least one account to post to, under Post to."));
      return FALSE;
    }
  if (wc_draft_get_id (draft) < 0 || wc_application_get_scheduler (self->application) == NULL)
    {
      g_clear_pointer (accounts, g_ptr_array_unref);
      show_message (self, _("Nothing Was Scheduled"),
                    _("Whitecoat cannot save anything at the moment, so it cannot keep a post for later."));
      return FALSE;
    }
  return TRUE;
}

static void
on_scheduled_toast_button (AdwToast   *toast,
                           WcComposer *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.view-2", NULL);
}

static void
schedule_draft_at (WcComposer *self,
                   gint64      due_at,
                   guint       n_accounts)
{
  WcScheduler *scheduler = wc_application_get_scheduler (self->application);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->editor == NULL || scheduler == NULL)
    return;
  if (!wc_scheduler_schedule_draft (scheduler, get_draft (self), due_at, &error))
    {
      show_message (self, due_at == 0 ? _("Nothing Was Posted") : _("Nothing Was Scheduled"), error->message);
      return;
    }

  if (due_at == 0)
    /* Translators: %u is a number of accounts. */
    title = g_strdup_printf (ngettext ("Posting to %u account", "Posting to %u accounts", n_accounts), n_accounts);
  else
    {
      g_autofree char *when = wc_format_due_time (NULL, due_at, wc_application_get_now (self->application));

      /* Translators: %s is a time such as "Tomorrow at 08:00"; %u is a number of accounts. */
      title = g_strdup_printf (ngettext ("Scheduled for %s on %u account", "Scheduled for %s on %u accounts",
                                         n_accounts),
                               when, n_accounts);
    }
  toast = show_toast (self, title);
  if (toast != NULL)
    {
      adw_toast_set_button_label (toast, _("_Show"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_scheduled_toast_button), self, 0);
    }

  /* The draft waits in the outbox as it is; writing goes on in a new one.
   * Opening it again asks before its scheduled posts change. */
  open_new_draft (self);
  refresh_drafts (self);
}

static void
on_post_now_response (AdwMessageDialog *dialog,
                      const char       *response,
                      WcComposer       *self)
{
  g_autoptr(GPtrArray) accounts = NULL;

  if (g_strcmp0 (response, "post") != 0)
    return;
  /* Checked again: the draft may have changed while the dialog was open. */
  if (!ready_to_post (self, &accounts))
    return;
  schedule_draft_at (self, 0, accounts->len);
}

static void
post_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GPtrArray *findings;
  GtkWidget *dialog;

  if (!ready_to_post (self, &accounts))
    return;

  for (guint i = 0; i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *network = dup_network_label (account);
      gboolean manual = wc_route_for_account (account, 0, 0) == WC_ROUTE_REMINDER;

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: one line per account: the network, the handle, and what happens. */
      g_string_append_printf (body, _("• %s %s — %s"), network,
                              wc_account_get_handle (account) != NULL ? wc_account_get_handle (account) : "",
                              manual ? _("you post it yourself; Whitecoat copies the text and opens the site")
                                     : _("posted now"));
    }

  /* Posting now during the duty hours counts as scheduling then: the
   * warning is said where the user confirms the time. */
  findings = wc_draft_editor_get_findings (self->editor);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      WcFinding *finding = g_ptr_array_index (findings, i);
      const WcRule *rule;

      if (g_strcmp0 (wc_finding_get_id (finding), "timing.duty-hours") != 0)
        continue;
      rule = wc_checker_lookup_rule (wc_application_get_checker (self->application), wc_finding_get_rule (finding));
      g_string_append_printf (body, "\n\n%s", wc_finding_get_message (finding));
      if (rule != NULL)
        /* Translators: under a finding: the rule's id and title, e.g. "R1 · Keep … separate". */
        g_string_append_printf (body, _("\n(%s · %s)"), rule->id, g_dgettext (GETTEXT_PACKAGE, rule->title));
    }

  dialog = adw_message_dialog_new (get_parent_window (self),
                                   ngettext ("Post to This Account Now?", "Post to These Accounts Now?",
                                             accounts->len),
                                   body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "post", _("_Post"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "post", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "post");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_post_now_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_schedule_response (WcScheduleDialog *dialog,
                      const char       *response,
                      WcComposer       *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  gint64 due_at = wc_schedule_dialog_get_due_at (dialog);

  if (g_strcmp0 (response, "schedule") != 0 || !wc_schedule_dialog_get_valid (dialog))
    return;
  if (!ready_to_post (self, &accounts))
    return;
  schedule_draft_at (self, due_at, accounts->len);
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);
  g_autoptr(GPtrArray) accounts = NULL;
  WcScheduleDialog *dialog;

  if (!ready_to_post (self, &accounts))
    return;

  dialog = wc_schedule_dialog_new (get_parent_window (self), _("Schedule Post"), accounts, NULL,
                                   wc_application_get_now (self->application), 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_schedule_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- The application's signals ----------------------------------------- */

/* Locked: the page is shown, but greyed out and with nothing to type in,
 * so that nothing can be typed that could not be saved. */
static void
update_lock_state (WcComposer *self)
{
  gboolean unlocked = self->application == NULL || is_unlocked (self);
  const GError *error = self->application != NULL ? wc_application_get_data_error (self->application) : NULL;
  gboolean failed = !unlocked && error != NULL && !wc_application_get_data_unlocking (self->application);

  /* The key usually comes a moment after the first frame: the page is
   * greyed out and the bar says why only when it takes longer, rather
   * than flash on every start. Until then nothing can be typed in. */
  gboolean shown = !unlocked && (failed || self->lock_grace_over);

  gtk_widget_set_visible (self->lock_box, shown);
  gtk_widget_set_sensitive (self->scroller, !shown);
  gtk_widget_set_sensitive (self->action_bar, !shown);
  gtk_editable_set_editable (GTK_EDITABLE (self->cw_entry), unlocked);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_spinner), !unlocked && !failed);
  /* It turns while the keyring is asked, not before (the first frame
   * comes first). */
  gtk_spinner_set_spinning (self->lock_spinner,
                            !unlocked && self->application != NULL
                            && wc_application_get_data_unlocking (self->application));
  gtk_widget_set_visible (self->lock_icon, failed);
  gtk_label_set_text (self->lock_label, failed ? _("Your drafts are locked") : _("Unlocking your drafts…"));
  gtk_label_set_text (self->lock_detail, failed ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->lock_detail), failed);
  gtk_widget_set_visible (self->lock_retry_button, failed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.retry-unlock", failed);
}

#define LOCK_GRACE_MS 750

static gboolean
on_lock_grace_over (gpointer user_data)
{
  WcComposer *self = user_data;

  self->lock_grace_source = 0;
  self->lock_grace_over = TRUE;
  update_lock_state (self);
  return G_SOURCE_REMOVE;
}

/* The store was replaced ("Delete all Whitecoat data"): the open draft
 * went with the old one and cannot be saved anywhere. */
static void
drop_editor (WcComposer *self)
{
  if (self->editor == NULL)
    return;
  g_cancellable_cancel (self->editor_cancellable);
  g_clear_object (&self->editor_cancellable);
  g_signal_handlers_disconnect_by_data (self->editor, self);
  if (self->audience_view != NULL)
    wc_audience_view_set_editor (self->audience_view, NULL);
  g_clear_object (&self->editor);
  g_clear_handle_id (&self->counters_source, g_source_remove);
  self->last_draft[0] = self->last_draft[1] = -1;
  self->loading = TRUE;
  gtk_text_buffer_set_text (self->buffer, "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->cw_entry), "");
  self->loading = FALSE;
}

static void
on_data_lock_changed (WcComposer *self)
{
  update_lock_state (self);
  if (!is_unlocked (self))
    {
      g_clear_handle_id (&self->open_idle, g_source_remove);
      gtk_text_view_set_editable (self->text_view, FALSE);
      drop_editor (self);
      return;
    }
  if (self->editor == NULL)
    {
      /* The draft that was open last, as if nothing had been locked. */
      g_clear_handle_id (&self->open_idle, g_source_remove);
      open_for_identity (self);
      gtk_text_view_set_editable (self->text_view, TRUE);
      self->drafts_dirty = TRUE;
    }
}

static void
retry_unlock_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WcComposer *self = WC_COMPOSER (widget);

  if (self->application != NULL)
    wc_application_unlock_data (self->application);
}

static void
on_active_identity_changed (WcComposer *self)
{
  WcIdentityKind kind = wc_application_get_active_identity (self->application);
  WcDraft *draft = get_draft (self);

  if (kind == self->identity && draft != NULL)
    return;

  self->identity = kind;
  load_accounts (self);

  /* After "Move to the other identity" the open draft already belongs to
   * the new identity: keep it. */
  if (draft != NULL && wc_draft_get_identity (draft) == kind)
    {
      build_targets (self);
      update_counters (self);
      on_findings_changed (self->editor, self);
      refresh_drafts (self);
      return;
    }

  open_for_identity (self);
  refresh_drafts (self);
}

static void
on_accounts_changed (WcComposer *self)
{
  load_accounts (self);
  if (self->editor == NULL)
    return;
  wc_draft_editor_reload_context (self->editor);
  build_targets (self);
  update_counters (self);
}

static void
on_hasher_changed (WcComposer *self)
{
  if (self->editor != NULL)
    wc_draft_editor_set_hasher (self->editor, wc_application_get_hasher (self->application));
}

static void
on_settings_changed (WcComposer *self,
                     const char *key)
{
  if (g_str_has_prefix (key, "duty-"))
    update_scheduled_banner (self);
}

static void
on_people_changed (WcComposer *self)
{
  if (self->editor != NULL)
    wc_draft_editor_reload_people (self->editor);
}

static void
on_identity_changed (WcComposer     *self,
                     WcIdentityKind  kind)
{
  if (self->editor != NULL)
    wc_draft_editor_reload_context (self->editor);
  self->drafts_dirty = TRUE;
}

static void
build_scheduled_banner (WcComposer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("alarm-symbolic");
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->scheduled_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->scheduled_label, TRUE);
  gtk_label_set_xalign (self->scheduled_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scheduled_label), TRUE);
  gtk_box_append (GTK_BOX (top), icon);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->scheduled_label));
  gtk_box_append (GTK_BOX (box), top);

  self->keep_button = gtk_button_new_with_mnemonic (_("_Keep as Scheduled"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->keep_button), "composer.keep-scheduled");
  self->update_button = gtk_button_new_with_mnemonic (_("_Update Scheduled Posts"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->update_button), "composer.update-scheduled");
  gtk_widget_add_css_class (self->update_button, "suggested-action");
  /* Side by side; on a phone their labels wrap. (GtkFlowBox 4.8 can
   * allocate its children less than they need.) */
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? self->keep_button : self->update_button;
      GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));

      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "scheduled-banner");
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_top (top, 12);
  gtk_widget_set_margin_end (top, 12);
  gtk_widget_set_margin_bottom (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_margin_start (buttons, 12);

  self->scheduled_revealer = gtk_revealer_new ();
  gtk_widget_set_visible (self->scheduled_revealer, FALSE);
  gtk_revealer_set_child (GTK_REVEALER (self->scheduled_revealer), box);
  gtk_box_prepend (GTK_BOX (self->editor_column), self->scheduled_revealer);
}

/* --- Overrides ---------------------------------------------------------- */

static void
wc_composer_dispose (GObject *object)
{
  WcComposer *self = WC_COMPOSER (object);

  g_clear_handle_id (&self->lock_grace_source, g_source_remove);
  /* Nothing typed is lost, and a deletion nobody undid is carried out. */
  close_editor (self);
  if (self->pending_delete != NULL && self->pending_delete->toast != NULL)
    g_signal_handlers_disconnect_by_data (self->pending_delete->toast, self);
  commit_pending_delete (self);

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  g_clear_handle_id (&self->counters_source, g_source_remove);
  g_clear_handle_id (&self->targets_idle, g_source_remove);
  g_clear_handle_id (&self->open_idle, g_source_remove);

  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_clear_object (&self->application);

  self->audience_view = NULL;
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WC_TYPE_COMPOSER);

  G_OBJECT_CLASS (wc_composer_parent_class)->dispose (object);
}

static void
wc_composer_finalize (GObject *object)
{
  WcComposer *self = WC_COMPOSER (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->language_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_composer_parent_class)->finalize (object);
}

static void
wc_composer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WcComposer *self = WC_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_composer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WcComposer *self = WC_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      wc_composer_set_application (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_composer_class_init (WcComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wc_composer_dispose;
  object_class->finalize = wc_composer_finalize;
  object_class->get_property = wc_composer_get_property;
  object_class->set_property = wc_composer_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         WC_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whitecoat/Whitecoat/wc-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, WcComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, action_bar);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_box);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_spinner);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_icon);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_label);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_detail);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, lock_retry_button);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, split);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, editor_column);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, side_panel);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, cw_entry);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, save_label);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, counters_box);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, targets_box);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, no_accounts_box);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, no_accounts_label);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, visibility_list);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, options_list);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, images_hint);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, attachments_list);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, checks_summary);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, findings_list);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, drafts_popover);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, drafts_heading);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, drafts_list);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, post_button);
  gtk_widget_class_bind_template_child (widget_class, WcComposer, schedule_button);

  gtk_widget_class_install_action (widget_class, "composer.retry-unlock", NULL, retry_unlock_action);
  gtk_widget_class_install_action (widget_class, "composer.new-draft", NULL, new_draft_action);
  gtk_widget_class_install_action (widget_class, "composer.open-draft", "x", open_draft_action);
  gtk_widget_class_install_action (widget_class, "composer.duplicate-draft", "x", duplicate_draft_action);
  gtk_widget_class_install_action (widget_class, "composer.delete-draft", "x", delete_draft_action);
  gtk_widget_class_install_action (widget_class, "composer.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "composer.add-image", NULL, add_image_action);
  gtk_widget_class_install_action (widget_class, "composer.remove-image", "u", remove_image_action);
  gtk_widget_class_install_action (widget_class, "composer.record-consent", "u", record_consent_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-edit", "u", finding_edit_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-remove-image", "u", finding_remove_image_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-strip", "u", finding_strip_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-consent", "u", finding_consent_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-source", "u", finding_source_action);
  gtk_widget_class_install_action (widget_class, "composer.finding-dismiss", "u", finding_dismiss_action);
  gtk_widget_class_install_action (widget_class, "composer.move-identity", NULL, move_identity_action);
  gtk_widget_class_install_action (widget_class, "composer.post-now", NULL, post_now_action);
  gtk_widget_class_install_action (widget_class, "composer.schedule", NULL, schedule_action);
  gtk_widget_class_install_action (widget_class, "composer.update-scheduled", NULL, update_scheduled_action);
  gtk_widget_class_install_action (widget_class, "composer.keep-scheduled", NULL, keep_scheduled_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "composer.new-draft", NULL);
}

static void
wc_composer_init (WcComposer *self)
{
  GtkDropTarget *drop;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  self->identity = WC_IDENTITY_PROFESSIONAL;
  self->last_draft[0] = self->last_draft[1] = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "composer");

  gtk_widget_set_layout_manager (self->split,
                                 gtk_custom_layout_new (split_request_mode, split_measure, split_allocate));

  /* Who can see it, below the checks. */
  self->audience_view = WC_AUDIENCE_VIEW (wc_audience_view_new ());
  gtk_box_append (GTK_BOX (self->side_panel), GTK_WIDGET (self->audience_view));

  self->buffer = gtk_text_view_get_buffer (self->text_view);
  /* Created in this order so that a blocker's underline wins where
   * findings overlap. */
  self->tags[WC_SEVERITY_INFO] =
    gtk_text_buffer_create_tag (self->buffer, "finding-info",
                                "underline", PANGO_UNDERLINE_ERROR,
                                "underline-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 1.0 },
                                NULL);
  self->tags[WC_SEVERITY_WARNING] =
    gtk_text_buffer_create_tag (self->buffer, "finding-warning",
                                "underline", PANGO_UNDERLINE_ERROR,
                                "underline-rgba", &(GdkRGBA) { 0.90, 0.38, 0.0, 1.0 },
                                NULL);
  self->tags[WC_SEVERITY_BLOCKER] =
    gtk_text_buffer_create_tag (self->buffer, "finding-blocker",
                                "underline", PANGO_UNDERLINE_ERROR,
                                "underline-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, 1.0 },
                                NULL);

  g_signal_connect (self->buffer, "changed", G_CALLBACK (on_buffer_changed), self);
  g_signal_connect (self->cw_entry, "changed", G_CALLBACK (on_cw_entry_changed), self);
  g_signal_connect (self->findings_list, "row-activated", G_CALLBACK (on_findings_row_activated), self);
  g_signal_connect (self->drafts_list, "row-activated", G_CALLBACK (on_drafts_row_activated), self);
  g_signal_connect_swapped (self->drafts_popover, "show", G_CALLBACK (on_drafts_popover_show), self);

  /* Files dropped anywhere on the page, the text included, become images;
   * dropped text still goes into the text. */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_list_box_set_placeholder (self->drafts_list, NULL);
  {
    GtkWidget *placeholder = gtk_label_new (_("No saved drafts in this identity"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_list_box_set_placeholder (self->drafts_list, placeholder);
  }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.post-now", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.schedule", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.move-identity", FALSE);

  build_scheduled_banner (self);
}

/* --- Public API --------------------------------------------------------- */

/**
 * wc_composer_new:
 *
 * Returns: (transfer floating): a new Compose view
 */
GtkWidget *
wc_composer_new (void)
{
  return g_object_new (WC_TYPE_COMPOSER, NULL);
}

WcApplication *
wc_composer_get_application (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  return self->application;
}

/**
 * wc_composer_set_application:
 * @application: (nullable): the application whose active identity to write as
 *
 * The composer shows a draft of the application's active identity and
 * follows it when the identity is switched.
 */
void
wc_composer_set_application (WcComposer    *self,
                             WcApplication *application)
{
  g_return_if_fail (WC_IS_COMPOSER (self));
  g_return_if_fail (application == NULL || WC_IS_APPLICATION (application));

  if (self->application == application)
    return;

  close_editor (self);
  if (self->application != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->application, self);
      g_signal_handlers_disconnect_by_data (wc_application_get_settings (self->application), self);
    }
  g_set_object (&self->application, application);
  if (self->audience_view != NULL)
    wc_audience_view_set_application (self->audience_view, application);

  if (application != NULL)
    {
      g_signal_connect_object (application, "notify::active-identity",
                               G_CALLBACK (on_active_identity_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "accounts-changed",
                               G_CALLBACK (on_accounts_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "identity-changed",
                               G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "notify::hasher",
                               G_CALLBACK (on_hasher_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "people-changed",
                               G_CALLBACK (on_people_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (wc_application_get_settings (application), "changed",
                               G_CALLBACK (on_settings_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "notify::data-unlocked",
                               G_CALLBACK (on_data_lock_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "notify::data-unlocking",
                               G_CALLBACK (update_lock_state), self, G_CONNECT_SWAPPED);
      self->identity = wc_application_get_active_identity (application);
      load_accounts (self);
      /* The window shows first; the draft follows right after the first
       * frame, and nothing typed in between is lost: the text waits. While
       * the drafts are locked it waits for their key. */
      gtk_text_view_set_editable (self->text_view, FALSE);
      g_clear_handle_id (&self->open_idle, g_source_remove);
      if (is_unlocked (self))
        self->open_idle = g_idle_add (open_for_identity_idle, self);
      g_clear_handle_id (&self->lock_grace_source, g_source_remove);
      self->lock_grace_over = FALSE;
      self->lock_grace_source = g_timeout_add (LOCK_GRACE_MS, on_lock_grace_over, self);
      self->drafts_dirty = TRUE;
    }
  update_lock_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

/**
 * wc_composer_get_editor:
 *
 * Returns: (transfer none) (nullable): the editor of the open draft
 */
WcDraftEditor *
wc_composer_get_editor (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->editor;
}

/**
 * wc_composer_add_file:
 * @file: an image or DICOM file
 *
 * Adds @file to the open draft, as the file chooser and a drop do.
 */
gboolean
wc_composer_add_file (WcComposer  *self,
                      GFile       *file,
                      GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (WC_IS_COMPOSER (self), FALSE);
  flush_pending_open (self);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->editor == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("No draft is open."));
      return FALSE;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be added."));
      return FALSE;
    }

  return wc_draft_editor_add_image (self->editor, path, error);
}

/**
 * wc_composer_get_side_panel:
 *
 * Returns: (transfer none): the panel beside the text
 */
GtkBox *
wc_composer_get_side_panel (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return GTK_BOX (self->side_panel);
}

GtkTextView *
wc_composer_get_text_view (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->text_view;
}

GtkEntry *
wc_composer_get_content_warning_entry (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->cw_entry;
}

GtkListBox *
wc_composer_get_findings_list (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->findings_list;
}

GtkListBox *
wc_composer_get_attachments_list (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->attachments_list;
}

GtkFlowBox *
wc_composer_get_targets_box (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->targets_box;
}

GtkListBox *
wc_composer_get_visibility_list (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  return self->visibility_list;
}

AdwComboRow *
wc_composer_get_reply_row (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  ensure_options (self);
  return self->reply_row;
}

AdwComboRow *
wc_composer_get_language_row (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  ensure_options (self);
  return self->language_row;
}

/**
 * wc_composer_get_language_code:
 * @position: an item of the language row
 *
 * Returns: (nullable): its ISO 639-1 code; "" for "Not specified"
 */
const char *
wc_composer_get_language_code (WcComposer *self,
                               guint       position)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);
  if (self->language_codes == NULL || position >= self->language_codes->len)
    return NULL;
  return g_ptr_array_index (self->language_codes, position);
}

/**
 * wc_composer_get_counter:
 * @network: a network id, e.g. "mastodon"
 *
 * Returns: (transfer none) (nullable): the character counter of @network,
 *   shown while an account of it is a target
 */
GtkLabel *
wc_composer_get_counter (WcComposer *self,
                         const char *network)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  flush_pending_open (self);

  if (self->counters_source != 0)
    update_counters (self);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->counters_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "wc-network"), network) == 0)
      return GTK_LABEL (child);
  return NULL;
}

/**
 * wc_composer_get_n_drafts:
 *
 * Returns: how many drafts the drafts list shows
 */
guint
wc_composer_get_n_drafts (WcComposer *self)
{
  guint n = 0;

  g_return_val_if_fail (WC_IS_COMPOSER (self), 0);
  flush_pending_open (self);

  ensure_drafts (self);
  while (gtk_list_box_get_row_at_index (self->drafts_list, n) != NULL)
    n++;
  return n;
}

/**
 * wc_composer_get_nth_draft_id:
 *
 * Returns: the id of the @n-th draft in the list, or -1
 */
gint64
wc_composer_get_nth_draft_id (WcComposer *self,
                              guint       n)
{
  GtkListBoxRow *row;
  gint64 *id;

  g_return_val_if_fail (WC_IS_COMPOSER (self), -1);
  flush_pending_open (self);

  ensure_drafts (self);
  row = gtk_list_box_get_row_at_index (self->drafts_list, n);
  id = row != NULL ? g_object_get_data (G_OBJECT (row), "wc-draft-id") : NULL;
  return id != NULL ? *id : -1;
}

/**
 * wc_composer_get_side_by_side:
 *
 * Returns: whether the checks were last laid out beside the text
 */
gboolean
wc_composer_get_side_by_side (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), FALSE);
  flush_pending_open (self);
  return self->side_by_side;
}

/**
 * wc_composer_get_lock_box:
 *
 * Returns: (transfer none): the bar shown while the drafts are locked
 */
GtkWidget *
wc_composer_get_lock_box (WcComposer *self)
{
  g_return_val_if_fail (WC_IS_COMPOSER (self), NULL);
  return self->lock_box;
}
