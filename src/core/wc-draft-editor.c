/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-draft-editor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wc-clock.h"
#include "wc-draft-editor.h"
#include "wc-image-strip.h"
#include "wc-store-connect.h"
#include "wc-util.h"

struct _WcDraftEditor
{
  GObject         parent_instance;

  WcStore        *store;
  WcChecker      *checker;
  WcDraft        *draft;

  /* What the checks know besides the draft */
  WcIdentity     *own;
  WcIdentity     *other;
  GPtrArray      *own_accounts;    /* WcAccount */
  GPtrArray      *other_accounts;  /* WcAccount */
  GStrv           other_texts;

  /* When it goes out, for the duty-hours check */
  WcClock        *clock;           /* nullable: "now" unknown, no timing check for Post Now */
  gint64          scheduled_at;    /* UTC seconds; 0 = not scheduled, it goes out now */
  WcDutyHours     duty;

  /* Who can see it */
  WcHasher        *hasher;         /* nullable: the keyring may answer late */
  WcRosterMatcher *roster;         /* nullable: no roster, or no hasher */
  GHashTable      *tags;           /* person tags: hash → WcPersonTag */
  GHashTable      *audiences;      /* account id → TargetAudience */
  char            *mentions_key;   /* the mentions the audiences were computed with */

  /* The limits of the target accounts' servers */
  GHashTable      *server_limits;  /* account id → WcServerLimits, read once per target */

  GHashTable     *reports;         /* path → WcImageReport, or absent while inspecting */
  GHashTable     *inspecting;      /* paths being inspected */
  GPtrArray      *dismissals;      /* WcDismissal */
  GPtrArray      *findings;        /* WcFinding, visible ones */
  GCancellable   *cancellable;

  guint           save_source;
  guint           check_source;
  guint           dirty : 1;
  guint           can_publish : 1;
};

G_DEFINE_FINAL_TYPE (WcDraftEditor, wc_draft_editor, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-draft-editor-error-quark, wc_draft_editor_error)

enum {
  PROP_0,
  PROP_CAN_PUBLISH,
  PROP_BUSY,
  PROP_DIRTY,
  N_PROPS
};

enum {
  FINDINGS_CHANGED,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_save  (WcDraftEditor *self);
static void schedule_check (WcDraftEditor *self);
static void inspect_images (WcDraftEditor *self);

static gboolean
is_dismissed (WcDraftEditor *self,
              WcFinding     *finding)
{
  for (guint i = 0; i < self->dismissals->len; i++)
    {
      WcDismissal *dismissal = g_ptr_array_index (self->dismissals, i);

      if (g_str_equal (dismissal->check_id, wc_finding_get_id (finding))
          && dismissal->attachment == wc_finding_get_attachment (finding))
        return TRUE;
    }
  return FALSE;
}

static void
set_dirty (WcDraftEditor *self,
           gboolean       dirty)
{
  if (self->dirty != !!dirty)
    {
      self->dirty = !!dirty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  return wc_finding_compare (*(WcFinding **) a, *(WcFinding **) b);
}

/* --- Who can see it ------------------------------------------------------ */

/* What is known about one target account, read once from the store, and
 * its audience for one visibility. */
typedef struct
{
  gint64              account_id;
  WcAccountState     *state;       /* nullable: never read */
  WcFollowerSnapshot *snapshot;    /* nullable: never read */
  char               *visibility;
  WcAudience         *audience;    /* nullable until computed */
  guint               generation;  /* bumped whenever a computation starts */
  gboolean            computing;   /* a worker thread is at it */
} TargetAudience;

/* Above this many followers an audience is computed in a worker thread:
 * 100,000 take about 9 ms here, so this keeps every computation on the
 * main thread well inside a frame, also on a slower machine. */
#define AUDIENCE_THREAD_THRESHOLD 30000

static void
target_audience_free (TargetAudience *entry)
{
  g_clear_pointer (&entry->state, wc_account_state_free);
  g_clear_pointer (&entry->snapshot, wc_follower_snapshot_unref);
  g_clear_pointer (&entry->audience, wc_audience_unref);
  g_free (entry->visibility);
  g_free (entry);
}

static GRegex *
get_mention_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* "@anna", "@anna@med.example", "@anna.bsky.social"; not an e-mail
       * address (a letter before the "@") nor a path in a link. */
      GRegex *new_regex = g_regex_new ("(?<![\\w@/.])@\\w[\\w.-]*(?:@\\w[\\w-]*(?:\\.\\w[\\w-]*)+)?",
                                       G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (new_regex != NULL);
      g_once_init_leave (&regex, new_regex);
    }
  return regex;
}

/* The handles mentioned in the text, each once, without trailing dots. */
static GPtrArray *
find_mentions (const char *text)
{
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *mentions = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (get_mention_regex (), text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *ref = g_match_info_fetch (match, 0);
      gsize len = strlen (ref);
      gboolean seen = FALSE;

      while (len > 1 && (ref[len - 1] == '.' || ref[len - 1] == '-'))
        ref[--len] = '\0';
      for (guint i = 0; i < mentions->len && !seen; i++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (mentions, i), ref) == 0;
      if (!seen)
        g_ptr_array_add (mentions, g_steal_pointer (&ref));
      g_match_info_next (match, NULL);
    }
  return mentions;
}

static WcAccount *
find_own_account (WcDraftEditor *self,
                  gint64         account_id)
{
  for (guint i = 0; self->own_accounts && i < self->own_accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (self->own_accounts, i);

      if (wc_account_get_id (account) == account_id)
        return account;
    }
  return NULL;
}

static TargetAudience *
ensure_target_audience (WcDraftEditor *self,
                        gint64         account_id)
{
  TargetAudience *entry = g_hash_table_lookup (self->audiences, &account_id);
  g_autoptr(GError) error = NULL;

  if (entry != NULL)
    return entry;

  entry = g_new0 (TargetAudience, 1);
  entry->account_id = account_id;
  entry->state = wc_store_load_account_state (self->store, account_id, &error);
  if (error != NULL && !g_error_matches (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND))
    g_debug ("Cannot read the state of account %" G_GINT64_FORMAT ": %s", account_id, error->message);
  g_clear_error (&error);
  entry->snapshot = wc_store_load_follower_snapshot (self->store, account_id, &error);
  if (error != NULL && !g_error_matches (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND))
    g_debug ("Cannot read the followers of account %" G_GINT64_FORMAT ": %s", account_id, error->message);
  g_hash_table_insert (self->audiences, &entry->account_id, entry);
  return entry;
}

/* Two targets may raise the same warning: it is shown once, as the
 * weightier of the two. */
static void
merge_finding (GPtrArray *all,
               WcFinding *finding)
{
  for (guint k = 0; k < all->len; k++)
    {
      WcFinding *other = g_ptr_array_index (all, k);

      if (!g_str_equal (wc_finding_get_id (other), wc_finding_get_id (finding)))
        continue;
      if (wc_finding_get_severity (finding) > wc_finding_get_severity (other))
        {
          /* The array's free function drops the weaker one. */
          g_ptr_array_insert (all, k, wc_finding_ref (finding));
          g_ptr_array_remove_index (all, k + 1);
        }
      return;
    }
  g_ptr_array_add (all, wc_finding_ref (finding));
}

static void run_checks (WcDraftEditor *self);

typedef struct
{
  gint64              account_id;
  guint               generation;
  WcAccountState     *state;
  WcFollowerSnapshot *snapshot;
  GHashTable         *tags;
  WcIdentityKind      identity;
  char               *network;
  char               *visibility;
  GPtrArray          *refs;    /* the mentions, copied */
  GPtrArray          *hashes;
} AudienceJob;

static void
audience_job_free (AudienceJob *job)
{
  g_clear_pointer (&job->state, wc_account_state_free);
  g_clear_pointer (&job->snapshot, wc_follower_snapshot_unref);
  g_clear_pointer (&job->tags, g_hash_table_unref);
  g_free (job->network);
  g_free (job->visibility);
  g_clear_pointer (&job->refs, g_ptr_array_unref);
  g_clear_pointer (&job->hashes, g_ptr_array_unref);
  g_free (job);
}

/* Only copies and references cross to the thread; the tags table is
 * replaced, never changed, when the user tags someone. */
static void
audience_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AudienceJob *job = task_data;
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (WcMention));
  WcAudienceMentions mentions;

  for (guint i = 0; i < job->refs->len; i++)
    {
      WcMention mention = { g_ptr_array_index (job->refs, i),
                            i < job->hashes->len ? g_ptr_array_index (job->hashes, i) : NULL };
      g_array_append_val (items, mention);
    }
  mentions.items = (const WcMention *) (gpointer) items->data;
  mentions.n_items = items->len;

  g_task_return_pointer (task,
                         wc_audience_compute (job->state, job->snapshot, job->tags, job->identity,
                                              job->network, job->visibility, &mentions),
                         (GDestroyNotify) wc_audience_unref);
}

static void
audience_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  WcDraftEditor *self = WC_DRAFT_EDITOR (source);
  AudienceJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  WcAudience *audience = g_task_propagate_pointer (G_TASK (result), &error);
  TargetAudience *entry;

  if (audience == NULL)
    return;  /* cancelled with the editor */

  entry = g_hash_table_lookup (self->audiences, &job->account_id);
  /* An answer to an older question is dropped. */
  if (entry == NULL || entry->generation != job->generation)
    {
      wc_audience_unref (audience);
      return;
    }
  entry->computing = FALSE;
  g_clear_pointer (&entry->audience, wc_audience_unref);
  entry->audience = audience;
  run_checks (self);
}

static void
compute_audience_in_thread (WcDraftEditor            *self,
                            TargetAudience           *entry,
                            WcIdentityKind            identity,
                            const char               *network,
                            const WcAudienceMentions *mentions)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, audience_done, NULL);
  AudienceJob *job = g_new0 (AudienceJob, 1);

  job->account_id = entry->account_id;
  job->generation = entry->generation;
  job->state = entry->state ? wc_account_state_copy (entry->state) : NULL;
  job->snapshot = entry->snapshot ? wc_follower_snapshot_ref (entry->snapshot) : NULL;
  job->tags = self->tags ? g_hash_table_ref (self->tags) : NULL;
  job->identity = identity;
  job->network = g_strdup (network);
  job->visibility = g_strdup (entry->visibility);
  job->refs = g_ptr_array_new_with_free_func (g_free);
  job->hashes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < mentions->n_items; i++)
    {
      g_ptr_array_add (job->refs, g_strdup (mentions->items[i].ref));
      g_ptr_array_add (job->hashes, g_strdup (mentions->items[i].hash));
    }

  entry->computing = TRUE;
  g_task_set_source_tag (task, compute_audience_in_thread);
  g_task_set_task_data (task, job, (GDestroyNotify) audience_job_free);
  g_task_run_in_thread (task, audience_thread);
}

/* Whether an audience is still being computed in a worker thread. */
static gboolean
audiences_pending (WcDraftEditor *self)
{
  GHashTableIter iter;
  TargetAudience *entry;

  g_hash_table_iter_init (&iter, self->audiences);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->computing)
      return TRUE;
  return FALSE;
}

/* The audiences of the targets, and their warnings as findings, appended
 * to @all (one finding per check, the weightiest). An audience is computed
 * again only when what it depends on changed: typing alone never does. */
static void
compute_audiences (WcDraftEditor *self,
                   GPtrArray     *all)
{
  GPtrArray *targets = wc_draft_get_targets (self->draft);
  g_autoptr(GPtrArray) refs = find_mentions (wc_draft_get_text (self->draft));
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (WcMention));
  g_autofree char *key = NULL;
  WcAudienceMentions mentions;
  WcIdentityKind identity = wc_draft_get_identity (self->draft);

  g_ptr_array_add (refs, NULL);
  key = g_strjoinv ("\n", (char **) refs->pdata);
  g_ptr_array_remove_index (refs, refs->len - 1);
  if (g_strcmp0 (key, self->mentions_key) != 0)
    {
      GHashTableIter iter;
      TargetAudience *entry;

      g_hash_table_iter_init (&iter, self->audiences);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        g_clear_pointer (&entry->audience, wc_audience_unref);
      g_free (self->mentions_key);
      self->mentions_key = g_steal_pointer (&key);
    }

  for (guint i = 0; i < refs->len; i++)
    {
      WcMention mention = { g_ptr_array_index (refs, i), NULL };

      if (self->hasher != NULL)
        {
          char *hash = wc_hasher_hash_handle (self->hasher, mention.ref);

          g_ptr_array_add (hashes, hash);
          mention.hash = hash;
        }
      g_array_append_val (items, mention);
    }
  mentions.items = (const WcMention *) (gpointer) items->data;
  mentions.n_items = items->len;

  for (guint i = 0; i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);
      WcAccount *account = find_own_account (self, target->account_id);
      TargetAudience *entry;
      g_autoptr(GPtrArray) findings = NULL;

      if (account == NULL)
        continue;
      entry = ensure_target_audience (self, target->account_id);
      if ((entry->audience == NULL && !entry->computing)
          || g_strcmp0 (entry->visibility, target->visibility) != 0)
        {
          guint n_followers = 0;

          g_clear_pointer (&entry->audience, wc_audience_unref);
          g_free (entry->visibility);
          entry->visibility = g_strdup (target->visibility);
          entry->generation++;
          if (entry->snapshot != NULL)
            wc_follower_snapshot_get_followers (entry->snapshot, &n_followers);

          if (n_followers > AUDIENCE_THREAD_THRESHOLD)
            compute_audience_in_thread (self, entry, identity, wc_account_get_network (account), &mentions);
          else
            entry->audience = wc_audience_compute (entry->state, entry->snapshot, self->tags, identity,
                                                   wc_account_get_network (account), target->visibility,
                                                   &mentions);
        }
      if (entry->audience == NULL)
        continue;  /* still computing: the checks run again when it is done */

      findings = wc_audience_make_findings (entry->audience, self->checker);
      for (guint j = 0; j < findings->len; j++)
        merge_finding (all, g_ptr_array_index (findings, j));
    }
}

static void
load_roster (WcDraftEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->roster, wc_roster_matcher_unref);
  if (self->hasher == NULL)
    return;
  self->roster = wc_roster_matcher_new_from_store (self->store, self->hasher, &error);
  if (self->roster == NULL)
    g_debug ("Cannot read the roster: %s", error->message);
  else if (wc_roster_matcher_is_empty (self->roster))
    g_clear_pointer (&self->roster, wc_roster_matcher_unref);
}

/* Tags, roster and what the networks told: read again from the store. */
static void
load_people (WcDraftEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->audiences);
  g_hash_table_remove_all (self->server_limits);
  g_clear_pointer (&self->tags, g_hash_table_unref);

  self->tags = wc_store_load_person_tags (self->store, &error);
  if (self->tags == NULL)
    g_debug ("Cannot read the person tags: %s", error->message);
  load_roster (self);
}

/* The limits of a target account's server, read from the store the first
 * time the account is a target (and again after reload_people), not on
 * every keystroke. */
static const WcServerLimits *
lookup_server_limits (WcDraftEditor *self,
                      gint64         account_id)
{
  WcServerLimits *limits = g_hash_table_lookup (self->server_limits, &account_id);

  if (limits == NULL)
    {
      gint64 *key = g_memdup2 (&account_id, sizeof account_id);

      limits = g_new0 (WcServerLimits, 1);
      wc_store_load_account_server_limits (self->store, account_id, limits);
      g_hash_table_insert (self->server_limits, key, limits);
    }
  return limits;
}

static void
run_checks (WcDraftEditor *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GArray) target_limits = g_array_new (FALSE, TRUE, sizeof (WcServerLimits));
  GPtrArray *attachments = wc_draft_get_attachments (self->draft);
  GPtrArray *draft_targets = wc_draft_get_targets (self->draft);
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  WcCheckContext context = { 0 };
  g_autoptr(GDateTime) goes_out = NULL;
  gboolean can_publish = TRUE;

  g_clear_handle_id (&self->check_source, g_source_remove);

  for (guint i = 0; i < draft_targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (draft_targets, i);

      for (guint j = 0; self->own_accounts && j < self->own_accounts->len; j++)
        {
          WcAccount *account = g_ptr_array_index (self->own_accounts, j);
          const WcServerLimits *limits;
          WcNetworkInfo *info;
          gboolean seen = FALSE;

          if (wc_account_get_id (account) != target->account_id)
            continue;
          info = wc_network_catalog_lookup (catalog, wc_account_get_network (account));
          if (info == NULL)
            continue;
          /* One check per network and set of server limits: two accounts
           * on servers with different limits are checked apart. */
          limits = lookup_server_limits (self, target->account_id);
          for (guint k = 0; k < targets->len && !seen; k++)
            seen = g_ptr_array_index (targets, k) == info
                   && memcmp (&g_array_index (target_limits, WcServerLimits, k), limits, sizeof *limits) == 0;
          if (!seen)
            {
              g_ptr_array_add (targets, info);
              g_array_append_vals (target_limits, limits, 1);
            }
        }
    }

  context.identity = wc_draft_get_identity (self->draft);
  context.own = self->own;
  context.other = self->other;
  context.other_accounts = self->other_accounts;
  context.targets = targets;
  context.target_limits = (const WcServerLimits *) (gpointer) target_limits->data;
  context.content_warning = wc_draft_get_content_warning (self->draft);
  context.other_texts = (const char * const *) self->other_texts;
  context.n_images = attachments->len;
  context.roster = self->roster;
  /* In the local time zone, as Preferences shows the duty hours. */
  if (self->scheduled_at > 0)
    goes_out = g_date_time_new_from_unix_local (self->scheduled_at);
  else if (self->clock != NULL)
    goes_out = g_date_time_new_from_unix_local (wc_clock_get_now (self->clock));
  context.scheduled_at = goes_out;
  context.posting_now = self->scheduled_at <= 0;
  context.duty = self->duty;

  all = wc_checker_check_text (self->checker, &context, wc_draft_get_text (self->draft));
  compute_audiences (self, all);

  for (guint i = 0; i < attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (attachments, i);
      WcImageReport *report = g_hash_table_lookup (self->reports, attachment->path);
      g_autoptr(GPtrArray) image_findings = NULL;

      if (report == NULL)
        continue;  /* still being inspected: not publishable yet, see below */
      image_findings = wc_checker_check_image (self->checker, report, i, attachment);
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&image_findings));
    }

  g_ptr_array_set_size (self->findings, 0);
  for (guint i = 0; i < all->len; i++)
    {
      WcFinding *finding = g_ptr_array_index (all, i);

      if (is_dismissed (self, finding))
        continue;
      g_ptr_array_add (self->findings, wc_finding_ref (finding));
      if (wc_finding_get_severity (finding) == WC_SEVERITY_BLOCKER)
        can_publish = FALSE;
    }
  g_ptr_array_sort (self->findings, compare_findings);

  /* An image not yet inspected, or an audience not yet known, may hide
   * anything. */
  if (g_hash_table_size (self->inspecting) > 0 || audiences_pending (self))
    can_publish = FALSE;

  if (self->can_publish != can_publish)
    {
      self->can_publish = can_publish;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_PUBLISH]);
    }
  g_signal_emit (self, signals[FINDINGS_CHANGED], 0);
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  WcDraftEditor *self = user_data;

  self->check_source = 0;
  run_checks (self);
  return G_SOURCE_REMOVE;
}

/* Once per burst of typing: every change restarts the wait. */
static void
schedule_check (WcDraftEditor *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (WC_DRAFT_EDITOR_CHECK_DELAY_MS, check_timeout_cb, self);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  WcDraftEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;
  if (!wc_draft_editor_save_now (self, &error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);
  return G_SOURCE_REMOVE;
}

/* The first change after a save starts the clock; later changes do not
 * restart it, so nothing waits longer than the delay to reach the disk. */
static void
schedule_save (WcDraftEditor *self)
{
  set_dirty (self, TRUE);
  if (self->save_source == 0)
    self->save_source = g_timeout_add (WC_DRAFT_EDITOR_SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
changed (WcDraftEditor *self)
{
  schedule_save (self);
  schedule_check (self);
}

static void
inspect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  WcImageReport *report = wc_image_inspect_file (path, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) wc_image_report_unref);
}

static void
inspect_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WcDraftEditor *self = WC_DRAFT_EDITOR (source);
  g_autoptr(GError) error = NULL;
  const char *path = g_task_get_task_data (G_TASK (result));
  WcImageReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (report == NULL)
    {
      /* A file that vanished or cannot be read is reported as unreadable:
       * the image cannot be checked, so it cannot be posted. */
      g_debug ("Cannot inspect an image: %s", error->message);
      report = wc_image_report_new_unreadable ();
    }

  g_hash_table_replace (self->reports, g_strdup (path), report);
  g_hash_table_remove (self->inspecting, path);
  if (g_hash_table_size (self->inspecting) == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  run_checks (self);
}

/* Images are inspected off the main thread, once per file. */
static void
inspect_images (WcDraftEditor *self)
{
  GPtrArray *attachments = wc_draft_get_attachments (self->draft);
  gboolean was_busy = g_hash_table_size (self->inspecting) > 0;

  for (guint i = 0; i < attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autoptr(GTask) task = NULL;

      if (g_hash_table_contains (self->reports, attachment->path)
          || g_hash_table_contains (self->inspecting, attachment->path))
        continue;

      g_hash_table_add (self->inspecting, g_strdup (attachment->path));
      task = g_task_new (self, self->cancellable, inspect_done, NULL);
      g_task_set_source_tag (task, inspect_images);
      g_task_set_task_data (task, g_strdup (attachment->path), g_free);
      g_task_run_in_thread (task, inspect_thread);
    }

  if (!was_busy && g_hash_table_size (self->inspecting) > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
load_context (WcDraftEditor *self)
{
  WcIdentityKind kind = wc_draft_get_identity (self->draft);
  WcIdentityKind other = wc_identity_kind_other (kind);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  g_clear_object (&self->own);
  g_clear_object (&self->other);
  g_clear_pointer (&self->own_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->other_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->other_texts, g_strfreev);

  self->own = wc_store_load_identity (self->store, kind, NULL);
  self->other = wc_store_load_identity (self->store, other, NULL);
  if (self->own == NULL)
    self->own = wc_identity_new (kind);
  if (self->other == NULL)
    self->other = wc_identity_new (other);
  self->own_accounts = wc_store_list_accounts (self->store, kind, NULL);
  self->other_accounts = wc_store_list_accounts (self->store, other, NULL);

  drafts = wc_store_list_drafts (self->store, other, NULL);
  for (guint i = 0; drafts && i < drafts->len; i++)
    g_strv_builder_add (texts, wc_draft_get_text (g_ptr_array_index (drafts, i)));
  self->other_texts = g_strv_builder_end (texts);

  load_people (self);
}

static gboolean
check_index (WcDraftEditor  *self,
             guint           index,
             GError        **error)
{
  if (index < wc_draft_get_attachments (self->draft)->len)
    return TRUE;
  g_set_error_literal (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_NO_IMAGE,
                       _("The image is no longer part of the draft."));
  return FALSE;
}

static void
wc_draft_editor_dispose (GObject *object)
{
  WcDraftEditor *self = (WcDraftEditor *) object;
  g_autoptr(GError) error = NULL;

  /* Nothing is lost when the composer closes: save what is pending. */
  if (self->dirty && self->store != NULL && !wc_draft_editor_save_now (self, &error))
    g_warning ("Could not save the draft: %s", error->message);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->checker);
  g_clear_object (&self->clock);
  g_clear_object (&self->draft);
  g_clear_object (&self->own);
  g_clear_object (&self->other);

  G_OBJECT_CLASS (wc_draft_editor_parent_class)->dispose (object);
}

static void
wc_draft_editor_finalize (GObject *object)
{
  WcDraftEditor *self = (WcDraftEditor *) object;

  g_clear_pointer (&self->own_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->other_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->other_texts, g_strfreev);
  g_clear_pointer (&self->reports, g_hash_table_unref);
  g_clear_pointer (&self->inspecting, g_hash_table_unref);
  g_clear_pointer (&self->dismissals, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hasher, wc_hasher_unref);
  g_clear_pointer (&self->roster, wc_roster_matcher_unref);
  g_clear_pointer (&self->tags, g_hash_table_unref);
  g_clear_pointer (&self->audiences, g_hash_table_unref);
  g_clear_pointer (&self->server_limits, g_hash_table_unref);
  g_clear_pointer (&self->mentions_key, g_free);

  G_OBJECT_CLASS (wc_draft_editor_parent_class)->finalize (object);
}

static void
wc_draft_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WcDraftEditor *self = WC_DRAFT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CAN_PUBLISH:
      g_value_set_boolean (value, self->can_publish);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, wc_draft_editor_get_busy (self));
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_draft_editor_class_init (WcDraftEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_draft_editor_dispose;
  object_class->finalize = wc_draft_editor_finalize;
  object_class->get_property = wc_draft_editor_get_property;

  /**
   * WcDraftEditor:can-publish:
   *
   * No blocker is left unresolved and every image has been inspected.
   */
  properties[PROP_CAN_PUBLISH] =
    g_param_spec_boolean ("can-publish", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WcDraftEditor::findings-changed:
   *
   * The checks ran; wc_draft_editor_get_findings() has the new findings.
   */
  signals[FINDINGS_CHANGED] =
    g_signal_new ("findings-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * WcDraftEditor::save-failed:
   * @error: what went wrong, in words for the user
   *
   * Saving failed; the draft stays in memory and is saved again with the
   * next change.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wc_draft_editor_init (WcDraftEditor *self)
{
  self->reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) wc_image_report_unref);
  self->inspecting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dismissals = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_dismissal_free);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_finding_unref);
  self->cancellable = g_cancellable_new ();
  self->can_publish = TRUE;
  self->server_limits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->audiences = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify) target_audience_free);
}

/**
 * wc_draft_editor_new:
 * @store: where the draft is kept
 * @checker: the checks, shared by every editor
 * @draft: a stored draft, or a new one (id -1), saved on its first change
 *
 * Returns: (transfer full): an editor; the checks have run once
 */
WcDraftEditor *
wc_draft_editor_new (WcStore   *store,
                     WcChecker *checker,
                     WcDraft   *draft)
{
  WcDraftEditor *self;

  g_return_val_if_fail (WC_IS_STORE (store), NULL);
  g_return_val_if_fail (WC_IS_CHECKER (checker), NULL);
  g_return_val_if_fail (WC_IS_DRAFT (draft), NULL);

  self = g_object_new (WC_TYPE_DRAFT_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->checker = g_object_ref (checker);
  self->draft = g_object_ref (draft);

  if (wc_draft_get_id (draft) >= 0)
    {
      g_autoptr(GPtrArray) dismissals = wc_store_list_dismissals (store, wc_draft_get_id (draft), NULL);

      if (dismissals != NULL)
        g_ptr_array_extend_and_steal (self->dismissals, g_steal_pointer (&dismissals));
    }

  load_context (self);
  inspect_images (self);
  run_checks (self);
  return self;
}

WcDraft *
wc_draft_editor_get_draft (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), NULL);
  return self->draft;
}

WcStore *
wc_draft_editor_get_store (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), NULL);
  return self->store;
}

void
wc_draft_editor_set_text (WcDraftEditor *self,
                          const char    *text)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (g_strcmp0 (wc_draft_get_text (self->draft), text ? text : "") == 0)
    return;
  wc_draft_set_text (self->draft, text);
  changed (self);
}

void
wc_draft_editor_set_content_warning (WcDraftEditor *self,
                                     const char    *content_warning)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (g_strcmp0 (wc_draft_get_content_warning (self->draft), content_warning ? content_warning : "") == 0)
    return;
  wc_draft_set_content_warning (self->draft, content_warning);
  changed (self);
}

/**
 * wc_draft_editor_set_target:
 * @account_id: an account of the draft's identity
 * @visibility: an audience option of the account's network
 *
 * Accounts of the other identity are ignored: a draft never targets both.
 */
void
wc_draft_editor_set_target (WcDraftEditor *self,
                            gint64         account_id,
                            const char    *visibility)
{
  gboolean own = FALSE;

  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  for (guint i = 0; self->own_accounts && i < self->own_accounts->len; i++)
    if (wc_account_get_id (g_ptr_array_index (self->own_accounts, i)) == account_id)
      own = TRUE;
  if (!own)
    {
      g_critical ("Account %" G_GINT64_FORMAT " is not one of the draft's identity", account_id);
      return;
    }

  wc_draft_set_target (self->draft, account_id, visibility);
  changed (self);
}

void
wc_draft_editor_remove_target (WcDraftEditor *self,
                               gint64         account_id)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (wc_draft_remove_target (self->draft, account_id))
    changed (self);
}

/**
 * wc_draft_editor_set_reply_policy:
 *
 * Who may reply, on networks that let the author say (Bluesky).
 */
void
wc_draft_editor_set_reply_policy (WcDraftEditor *self,
                                  WcReplyPolicy  policy)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (wc_draft_get_reply_policy (self->draft) == policy)
    return;
  wc_draft_set_reply_policy (self->draft, policy);
  schedule_save (self);
}

/**
 * wc_draft_editor_set_language:
 * @language: (nullable): an ISO 639-1 code; %NULL or "" for none
 */
void
wc_draft_editor_set_language (WcDraftEditor *self,
                              const char    *language)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (g_ascii_strcasecmp (wc_draft_get_language (self->draft), language ? language : "") == 0)
    return;
  wc_draft_set_language (self->draft, language);
  schedule_save (self);
}

/**
 * wc_draft_editor_add_image:
 * @path: an image file
 *
 * Adds the image and starts inspecting it in a worker thread; until that is
 * done the draft cannot be published.
 *
 * Returns: whether it was added
 */
gboolean
wc_draft_editor_add_image (WcDraftEditor  *self,
                           const char     *path,
                           GError        **error)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (wc_draft_get_attachments (self->draft)->len >= WC_DRAFT_MAX_ATTACHMENTS)
    {
      g_set_error (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_TOO_MANY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A draft can hold at most %d image.",
                                "A draft can hold at most %d images.", WC_DRAFT_MAX_ATTACHMENTS),
                   WC_DRAFT_MAX_ATTACHMENTS);
      return FALSE;
    }

  wc_draft_add_attachment (self->draft, path);
  inspect_images (self);
  changed (self);
  run_checks (self);
  return TRUE;
}

gboolean
wc_draft_editor_remove_image (WcDraftEditor  *self,
                              guint           index,
                              GError        **error)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  wc_draft_remove_attachment (self->draft, index);
  changed (self);
  run_checks (self);
  return TRUE;
}

gboolean
wc_draft_editor_set_image_alt_text (WcDraftEditor  *self,
                                    guint           index,
                                    const char     *alt_text,
                                    GError        **error)
{
  WcAttachment *attachment;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  attachment = g_ptr_array_index (wc_draft_get_attachments (self->draft), index);
  if (wc_set_str (&attachment->alt_text, alt_text ? alt_text : ""))
    {
      wc_draft_attachment_changed (self->draft);
      changed (self);
    }
  return TRUE;
}

/**
 * wc_draft_editor_set_image_clinical:
 *
 * Marks the image as clinical (showing a patient or patient material), which
 * asks for consent and de-identification before it can be posted.
 */
gboolean
wc_draft_editor_set_image_clinical (WcDraftEditor  *self,
                                    guint           index,
                                    gboolean        clinical,
                                    GError        **error)
{
  WcAttachment *attachment;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  attachment = g_ptr_array_index (wc_draft_get_attachments (self->draft), index);
  if (attachment->clinical != !!clinical)
    {
      attachment->clinical = !!clinical;
      wc_draft_attachment_changed (self->draft);
      changed (self);
      run_checks (self);
    }
  return TRUE;
}

static void
audit (WcDraftEditor *self,
       const char    *kind,
       const char    *summary,
       const char    *reason)
{
  WcAuditEntry entry = { 0 };
  g_autoptr(GError) error = NULL;

  entry.has_identity = TRUE;
  entry.identity = wc_draft_get_identity (self->draft);
  entry.account_id = -1;
  entry.kind = (char *) kind;
  entry.summary = (char *) summary;
  entry.reason = (char *) reason;
  if (!wc_store_append_audit (self->store, &entry, &error))
    g_warning ("Could not write the audit log: %s", error->message);
}

/**
 * wc_draft_editor_record_consent:
 *
 * Records that the patient consented and that the user confirmed the image
 * is fully de-identified (what the picture shows included). Audited.
 */
gboolean
wc_draft_editor_record_consent (WcDraftEditor  *self,
                                guint           index,
                                GError        **error)
{
  WcAttachment *attachment;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  attachment = g_ptr_array_index (wc_draft_get_attachments (self->draft), index);
  attachment->consent_at = g_get_real_time () / G_USEC_PER_SEC;
  wc_draft_attachment_changed (self->draft);
  if (!wc_draft_editor_save_now (self, error))
    return FALSE;

  summary = g_strdup_printf ("Consent and de-identification confirmed for image %u of draft %" G_GINT64_FORMAT,
                             index + 1, wc_draft_get_id (self->draft));
  audit (self, "consent", summary, NULL);
  run_checks (self);
  return TRUE;
}

/**
 * wc_draft_editor_record_source:
 * @source: where the image came from, in the user's words; %NULL for the
 *   user's own image, "" for someone else's whose origin is not yet known
 */
gboolean
wc_draft_editor_record_source (WcDraftEditor  *self,
                               guint           index,
                               const char     *source,
                               GError        **error)
{
  WcAttachment *attachment;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  attachment = g_ptr_array_index (wc_draft_get_attachments (self->draft), index);
  if (wc_set_str (&attachment->source, source))
    {
      wc_draft_attachment_changed (self->draft);
      changed (self);
      run_checks (self);
    }
  return TRUE;
}

typedef struct
{
  guint  index;
  char  *in_path;
  char  *out_path;
} StripData;

static void
strip_data_free (StripData *data)
{
  g_free (data->in_path);
  g_free (data->out_path);
  g_free (data);
}

static void
strip_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StripData *data = task_data;
  GError *error = NULL;
  g_autoptr(WcImageReport) report = NULL;
  g_autofree char *dir = g_path_get_dirname (data->out_path);

  if (g_mkdir_with_parents (dir, 0700) != 0
      || !wc_image_strip_metadata (data->in_path, data->out_path, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     _("Whitecoat could not make a folder for the cleaned image."));
      g_task_return_error (task, error);
      return;
    }

  report = wc_image_inspect_file (data->out_path, &error);
  if (report == NULL)
    {
      g_unlink (data->out_path);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&report), (GDestroyNotify) wc_image_report_unref);
}

/**
 * wc_draft_editor_strip_image_async:
 *
 * Re-encodes the image without any metadata into Whitecoat's own folder
 * (mode 0600) and makes the draft use that copy; the original file is left
 * untouched.
 */
void
wc_draft_editor_strip_image_async (WcDraftEditor       *self,
                                   guint                index,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  WcAttachment *attachment;
  StripData *data;
  g_autofree char *uuid = NULL;
  const char *extension;

  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_draft_editor_strip_image_async);

  if (!check_index (self, index, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  attachment = g_ptr_array_index (wc_draft_get_attachments (self->draft), index);
  extension = g_str_has_suffix (attachment->path, ".png") || g_str_has_suffix (attachment->path, ".PNG")
              ? "png" : "jpg";
  uuid = g_uuid_string_random ();

  data = g_new0 (StripData, 1);
  data->index = index;
  data->in_path = g_strdup (attachment->path);
  {
    g_autofree char *images = wc_store_dup_images_dir (self->store);
    g_autofree char *name = g_strdup_printf ("%s.%s", uuid, extension);

    data->out_path = g_build_filename (images, name, NULL);
  }
  g_task_set_task_data (task, data, (GDestroyNotify) strip_data_free);
  g_task_run_in_thread (task, strip_thread);
}

gboolean
wc_draft_editor_strip_image_finish (WcDraftEditor  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  StripData *data;
  WcImageReport *report;
  GPtrArray *attachments;
  WcAttachment *attachment;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  report = g_task_propagate_pointer (G_TASK (result), error);
  if (report == NULL)
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  attachments = wc_draft_get_attachments (self->draft);
  if (data->index >= attachments->len
      || g_strcmp0 (((WcAttachment *) g_ptr_array_index (attachments, data->index))->path, data->in_path) != 0)
    {
      /* The image was removed or replaced meanwhile: drop the copy. */
      g_unlink (data->out_path);
      wc_image_report_unref (report);
      g_set_error_literal (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_NO_IMAGE,
                           _("The image is no longer part of the draft."));
      return FALSE;
    }

  attachment = g_ptr_array_index (attachments, data->index);
  g_free (attachment->path);
  attachment->path = g_strdup (data->out_path);
  g_hash_table_replace (self->reports, g_strdup (data->out_path), report);
  wc_draft_attachment_changed (self->draft);
  changed (self);
  run_checks (self);
  return TRUE;
}

/**
 * wc_draft_editor_dismiss:
 * @finding: a current finding
 * @reason: why it does not apply, in the user's words; required
 *
 * Dismisses the finding for this draft. Dismissing a blocker overrides it:
 * the draft can then be published. The dismissal and its reason are kept
 * with the draft and written to the audit log.
 *
 * Returns: whether it was dismissed
 */
gboolean
wc_draft_editor_dismiss (WcDraftEditor  *self,
                         WcFinding      *finding,
                         const char     *reason,
                         GError        **error)
{
  WcDismissal *dismissal;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  g_return_val_if_fail (finding != NULL, FALSE);

  if (wc_text_is_blank (reason))
    {
      g_set_error_literal (error, WC_DRAFT_EDITOR_ERROR, WC_DRAFT_EDITOR_ERROR_NO_REASON,
                           _("Say why this does not apply; the reason is kept in the audit log."));
      return FALSE;
    }

  /* The dismissal is kept with the draft, so the draft must be stored. */
  if (wc_draft_get_id (self->draft) < 0)
    set_dirty (self, TRUE);
  if (!wc_draft_editor_save_now (self, error))
    return FALSE;
  if (!wc_store_add_dismissal (self->store, wc_draft_get_id (self->draft), wc_finding_get_id (finding),
                               wc_finding_get_attachment (finding), reason, error))
    return FALSE;

  dismissal = g_new0 (WcDismissal, 1);
  dismissal->check_id = g_strdup (wc_finding_get_id (finding));
  dismissal->attachment = wc_finding_get_attachment (finding);
  dismissal->reason = g_strdup (reason);
  dismissal->at = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (self->dismissals, dismissal);

  /* The summary names the check, never the draft's words. */
  summary = g_strdup_printf ("%s %s (%s) in draft %" G_GINT64_FORMAT,
                             wc_finding_get_severity (finding) == WC_SEVERITY_BLOCKER ? "Overrode" : "Dismissed",
                             wc_finding_get_id (finding), wc_finding_get_rule (finding),
                             wc_draft_get_id (self->draft));
  audit (self, "override", summary, reason);
  run_checks (self);
  return TRUE;
}

/**
 * wc_draft_editor_move_to_identity:
 *
 * Moves the draft to @identity: its targets (accounts of the old identity)
 * are dropped and every check runs again against the new identity.
 */
gboolean
wc_draft_editor_move_to_identity (WcDraftEditor   *self,
                                  WcIdentityKind   identity,
                                  GError         **error)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  if (wc_draft_get_identity (self->draft) == identity)
    return TRUE;

  wc_draft_set_identity (self->draft, identity);
  load_context (self);
  set_dirty (self, TRUE);
  if (!wc_draft_editor_save_now (self, error))
    return FALSE;
  run_checks (self);
  return TRUE;
}

/**
 * wc_draft_editor_get_findings:
 *
 * Returns: (transfer none) (element-type WcFinding): the findings not
 *   dismissed, most severe first
 */
GPtrArray *
wc_draft_editor_get_findings (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), NULL);
  return self->findings;
}

gboolean
wc_draft_editor_get_can_publish (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  return self->can_publish;
}

gboolean
wc_draft_editor_get_busy (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  return g_hash_table_size (self->inspecting) > 0;
}

gboolean
wc_draft_editor_get_dirty (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  return self->dirty;
}

/**
 * wc_draft_editor_check_now:
 *
 * Runs the checks now instead of after the pause in typing.
 */
void
wc_draft_editor_check_now (WcDraftEditor *self)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));
  run_checks (self);
}

/**
 * wc_draft_editor_save_now:
 *
 * Saves pending changes at once. A new draft that was never changed is not
 * stored: empty drafts do not pile up.
 */
gboolean
wc_draft_editor_save_now (WcDraftEditor  *self,
                          GError        **error)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->dirty)
    return TRUE;
  if (!wc_store_save_draft (self->store, self->draft, error))
    return FALSE;
  set_dirty (self, FALSE);
  return TRUE;
}

/**
 * wc_draft_editor_reload_context:
 *
 * Reads identities, markers and accounts again, after the user changed them.
 */
void
wc_draft_editor_reload_context (WcDraftEditor *self)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));
  load_context (self);
  run_checks (self);
}

/**
 * wc_draft_editor_set_timing:
 * @clock: (nullable): the time now, for a draft that is not scheduled
 * @scheduled_at: when the draft is scheduled to go out, UTC seconds; 0 when
 *   it is not (Post Now would send it at once)
 * @duty: (nullable): the duty hours; %NULL for none
 *
 * What the duty-hours check needs: when the post goes out, and the duty
 * hours. The checks run again at once when something changed.
 */
void
wc_draft_editor_set_timing (WcDraftEditor     *self,
                            WcClock           *clock,
                            gint64             scheduled_at,
                            const WcDutyHours *duty)
{
  WcDutyHours none = { 0 };

  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));
  g_return_if_fail (clock == NULL || WC_IS_CLOCK (clock));

  if (duty == NULL)
    duty = &none;
  if (self->clock == clock && self->scheduled_at == MAX (scheduled_at, 0)
      && memcmp (&self->duty, duty, sizeof *duty) == 0)
    return;
  g_set_object (&self->clock, clock);
  self->scheduled_at = MAX (scheduled_at, 0);
  self->duty = *duty;
  run_checks (self);
}

/**
 * wc_draft_editor_set_hasher:
 * @hasher: (nullable): the keyed hash of person tags and the roster
 *
 * With the hasher, names on the patient roster become findings and the
 * people mentioned are recognised among the tagged ones. The checks run
 * again at once.
 */
void
wc_draft_editor_set_hasher (WcDraftEditor *self,
                            WcHasher      *hasher)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));

  if (self->hasher == hasher)
    return;
  g_clear_pointer (&self->hasher, wc_hasher_unref);
  if (hasher != NULL)
    self->hasher = wc_hasher_ref (hasher);
  load_roster (self);
  /* Mentioned people are recognised by their hashes now: compute again,
   * unless nobody is mentioned. */
  if (self->mentions_key != NULL && self->mentions_key[0] != '\0')
    g_clear_pointer (&self->mentions_key, g_free);
  run_checks (self);
}

/**
 * wc_draft_editor_get_hasher:
 *
 * Returns: (transfer none) (nullable): the hasher
 */
WcHasher *
wc_draft_editor_get_hasher (WcDraftEditor *self)
{
  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), NULL);
  return self->hasher;
}

/**
 * wc_draft_editor_reload_people:
 *
 * Reads the person tags, the roster, the account states and the follower
 * snapshots again, after the user tagged someone or changed the roster, or
 * a network told something new; the checks and audiences follow at once.
 */
void
wc_draft_editor_reload_people (WcDraftEditor *self)
{
  g_return_if_fail (WC_IS_DRAFT_EDITOR (self));
  load_people (self);
  run_checks (self);
}

/**
 * wc_draft_editor_get_audience:
 * @account_id: a target of the draft
 *
 * Returns: (transfer none) (nullable): who can see the draft on that
 *   account, as of the last run of the checks; %NULL when it is not a target
 */
WcAudience *
wc_draft_editor_get_audience (WcDraftEditor *self,
                              gint64         account_id)
{
  TargetAudience *entry;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), NULL);

  if (wc_draft_find_target (self->draft, account_id) == NULL)
    return NULL;
  entry = g_hash_table_lookup (self->audiences, &account_id);
  return entry != NULL ? entry->audience : NULL;
}

/**
 * wc_draft_editor_get_server_limits:
 * @account_id: an account of the draft's identity
 * @limits: (out): the limits of the account's server as last read, each
 *   member 0 where the network's default applies
 *
 * What the checks use for the account: the composer's counters show the
 * same. Read from the store once per account, again after
 * wc_draft_editor_reload_people().
 *
 * Returns: whether the server ever told its limits
 */
gboolean
wc_draft_editor_get_server_limits (WcDraftEditor  *self,
                                   gint64          account_id,
                                   WcServerLimits *limits)
{
  const WcServerLimits *known;

  g_return_val_if_fail (WC_IS_DRAFT_EDITOR (self), FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  known = lookup_server_limits (self, account_id);
  *limits = *known;
  return known->max_characters > 0 || known->chars_per_url > 0
         || known->max_media > 0 || known->description_limit > 0;
}
