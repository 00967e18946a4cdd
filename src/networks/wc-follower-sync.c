/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-follower-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-follower-sync.h"
#include "wc-store-connect.h"

/* One reading of one account, shared by everyone who asked for it. */
typedef struct
{
  gint64              account_id;
  GPtrArray          *tasks;        /* of GTask, waiting for the result */
  WcAccount          *account;
  WcMastodon         *mastodon;
  WcBluesky          *bluesky;
  WcAccountState     *state;        /* Bluesky: what was read before the followers */
  WcFollowerSnapshot *progress;     /* the followers so far, as last reported */
  char               *cursor;       /* where to resume them */
  gint64              checkpointed; /* monotonic µs of the last checkpoint */
} Job;

struct _WcFollowerSync
{
  GObject       parent_instance;

  WcStore      *store;
  WcHasher     *hasher;
  guint         interval;
  guint         checkpoint_interval;
  guint         timeout_id;
  guint         start_id;
  GQueue        queue;          /* of Job */
  Job          *current;
  GCancellable *cancellable;    /* of the current job; stop cancels it */
  GHashTable   *notes;          /* account id → char * */
  GHashTable   *limits;         /* account id → WcMastodonInstance */
};

G_DEFINE_FINAL_TYPE (WcFollowerSync, wc_follower_sync, G_TYPE_OBJECT)

enum {
  UPDATED,
  ACCOUNT_CHANGED,
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (WcFollowerSync *self);

static void
job_free (Job *job)
{
  g_clear_pointer (&job->tasks, g_ptr_array_unref);
  g_clear_object (&job->account);
  g_clear_object (&job->mastodon);
  g_clear_object (&job->bluesky);
  g_clear_pointer (&job->state, wc_account_state_free);
  g_clear_pointer (&job->progress, wc_follower_snapshot_unref);
  g_free (job->cursor);
  g_free (job);
}

static gint64 *
dup_id (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static void
finish_job (WcFollowerSync     *self,
            WcFollowerSnapshot *snapshot,
            const GError       *error)
{
  Job *job = self->current;

  self->current = NULL;
  g_clear_object (&self->cancellable);

  for (guint i = 0; i < job->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (job->tasks, i);

      if (snapshot != NULL)
        g_task_return_pointer (task, wc_follower_snapshot_ref (snapshot),
                               (GDestroyNotify) wc_follower_snapshot_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  job_free (job);

  /* Let the callbacks run before the next account starts. */
  if (!g_queue_is_empty (&self->queue))
    g_idle_add_once ((GSourceOnceFunc) pump, self);
}

/* Keeps the followers read so far; after a restart the fetch resumes from
 * the cursor instead of reading everyone again. */
static void
checkpoint (WcFollowerSync *self,
            Job            *job)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || job->progress == NULL || job->cursor == NULL)
    return;
  if (!wc_store_save_follower_progress (self->store, job->progress, job->cursor, &error))
    g_debug ("Could not keep the followers read so far: %s", error->message);
  job->checkpointed = g_get_monotonic_time ();
}

static void
on_progress (WcFollowerSnapshot *snapshot,
             const char         *next_cursor,
             gpointer            user_data)
{
  WcFollowerSync *self = user_data;
  Job *job = self->current;

  if (job == NULL)
    return;
  if (job->progress != snapshot)
    {
      g_clear_pointer (&job->progress, wc_follower_snapshot_unref);
      job->progress = wc_follower_snapshot_ref (snapshot);
    }
  g_free (job->cursor);
  job->cursor = g_strdup (next_cursor);

  if (next_cursor != NULL
      && g_get_monotonic_time () - job->checkpointed >= (gint64) self->checkpoint_interval * G_USEC_PER_SEC)
    checkpoint (self, job);

  {
    guint n = 0;

    wc_follower_snapshot_get_followers (snapshot, &n);
    g_signal_emit (self, signals[PROGRESS], 0, job->account_id, n,
                   wc_follower_snapshot_get_followers_count (snapshot));
  }
}

/* A token the server no longer accepts: the account is shown as needing
 * a new sign-in. */
static void
mark_disconnected (WcFollowerSync *self,
                   Job            *job)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || job->account == NULL || !wc_account_is_connected (job->account))
    return;
  wc_account_set_connected_at (job->account, 0);
  if (!wc_store_update_account (self->store, job->account, &error))
    g_debug ("Could not mark the account as signed out: %s", error->message);
  else
    g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, job->account_id);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WcFollowerSync) self = user_data;
  Job *job = self->current;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;

  if (WC_IS_BLUESKY (source))
    snapshot = wc_bluesky_fetch_followers_finish (WC_BLUESKY (source), result, &error);
  else
    snapshot = wc_mastodon_fetch_followers_finish (WC_MASTODON (source), result, &note, &error);
  if (snapshot == NULL)
    {
      g_debug ("Reading followers of account %" G_GINT64_FORMAT " stopped: %s",
               job->account_id, error->message);
      checkpoint (self, job);
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        mark_disconnected (self, job);
      finish_job (self, NULL, error);
      return;
    }

  if (self->store != NULL && !wc_store_save_follower_snapshot (self->store, snapshot, &error))
    {
      finish_job (self, NULL, error);
      return;
    }
  /* Bluesky has no account-level follower count besides the list's. */
  if (self->store != NULL && job->state != NULL)
    {
      g_autoptr(GError) state_error = NULL;

      job->state->followers_count = wc_follower_snapshot_get_followers_count (snapshot);
      if (!wc_store_save_account_state (self->store, job->state, &state_error))
        g_debug ("Could not keep the account's state: %s", state_error->message);
    }
  if (note != NULL)
    g_hash_table_insert (self->notes, dup_id (job->account_id), g_steal_pointer (&note));
  else
    g_hash_table_remove (self->notes, &job->account_id);

  g_signal_emit (self, signals[UPDATED], 0, job->account_id);
  finish_job (self, snapshot, NULL);
}

static void
fetch_followers (WcFollowerSync *self,
                 Job            *job)
{
  g_autoptr(WcFollowerSnapshot) resumed = NULL;
  g_autofree char *cursor = NULL;

  if (self->store != NULL)
    resumed = wc_store_load_follower_progress (self->store, job->account_id, &cursor, NULL);
  if (resumed != NULL)
    {
      guint n = 0;

      wc_follower_snapshot_get_followers (resumed, &n);
      g_debug ("Resuming the followers of account %" G_GINT64_FORMAT " after %u", job->account_id, n);
      job->progress = wc_follower_snapshot_ref (resumed);
      job->cursor = g_strdup (cursor);
    }
  job->checkpointed = g_get_monotonic_time ();

  if (job->bluesky != NULL)
    wc_bluesky_fetch_followers_async (job->bluesky, self->hasher, resumed, cursor,
                                      on_progress, self, self->cancellable,
                                      on_fetched, g_object_ref (self));
  else
    wc_mastodon_fetch_followers_async (job->mastodon, self->hasher, resumed, cursor,
                                       on_progress, self, self->cancellable,
                                       on_fetched, g_object_ref (self));
}

/* Bluesky: whether the account asks apps to hide it from logged-out
 * visitors goes into the account's state, next to what the walkthrough
 * stored there (declared settings, the reply default). Its limits are the
 * network's own (the catalog's): there is no server configuration. */
static void
on_logged_out_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WcFollowerSync) self = user_data;
  Job *job = self->current;
  g_autoptr(GError) error = NULL;
  WcTristate restricted;

  restricted = wc_bluesky_get_logged_out_restricted_finish (WC_BLUESKY (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        mark_disconnected (self, job);
      finish_job (self, NULL, error);
      return;
    }

  if (self->store != NULL)
    job->state = wc_store_load_account_state (self->store, job->account_id, NULL);
  if (job->state == NULL)
    job->state = wc_account_state_new (job->account_id);
  job->state->account_id = job->account_id;
  job->state->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  job->state->logged_out_restricted = restricted;
  /* Everything on Bluesky is public: nobody approves followers, posts
   * have no other visibility, and the follower list is open. */
  job->state->locked = WC_TRISTATE_NO;
  job->state->hide_collections = WC_TRISTATE_NO;
  if (self->store != NULL)
    {
      g_autoptr(GError) state_error = NULL;

      if (!wc_store_save_account_state (self->store, job->state, &state_error))
        g_debug ("Could not keep the account's state: %s", state_error->message);
    }
  fetch_followers (self, job);
}

static void
limits_from_instance (const WcMastodonInstance *instance,
                      WcServerLimits           *limits)
{
  limits->max_characters = instance->max_characters;
  limits->chars_per_url = instance->chars_per_url;
  limits->max_media = instance->max_media;
  limits->description_limit = instance->description_limit;
}

/* Keeps the server's limits for the checks, also after a restart. */
static void
save_limits (WcFollowerSync           *self,
             WcAccount                *account,
             const WcMastodonInstance *instance)
{
  g_autoptr(GError) error = NULL;
  WcServerLimits limits;

  if (self->store == NULL || account == NULL || wc_account_get_server (account) == NULL)
    return;
  limits_from_instance (instance, &limits);
  if (!wc_store_save_server_config (self->store, wc_account_get_network (account),
                                    wc_account_get_server (account), &limits, &error))
    g_debug ("Could not keep the server's limits: %s", error->message);
}

static void
on_instance (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WcFollowerSync) self = user_data;
  Job *job = self->current;
  g_autoptr(GError) error = NULL;
  WcMastodonInstance instance = { 0 };

  if (wc_mastodon_get_instance_finish (WC_MASTODON (source), result, &instance, &error))
    {
      wc_follower_sync_set_limits (self, job->account_id, &instance);
      save_limits (self, job->account, &instance);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_job (self, NULL, error);
      return;
    }
  else
    g_debug ("Could not read the server's limits: %s", error->message);

  fetch_followers (self, job);
}

static void
on_verified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WcFollowerSync) self = user_data;
  Job *job = self->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;

  profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result, &error);
  if (profile == NULL)
    {
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        mark_disconnected (self, job);
      finish_job (self, NULL, error);
      return;
    }

  if (self->store != NULL && profile->state != NULL)
    {
      profile->state->account_id = job->account_id;
      if (!wc_store_save_account_state (self->store, profile->state, &error))
        g_debug ("Could not keep the account's state: %s", error->message);
    }

  wc_mastodon_get_instance_async (job->mastodon, self->cancellable, on_instance, g_object_ref (self));
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WcFollowerSync) self = user_data;
  Job *job = self->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  if (network == NULL)
    {
      if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH))
        mark_disconnected (self, job);
      finish_job (self, NULL, error);
      return;
    }
  if (WC_IS_BLUESKY (network))
    {
      job->bluesky = WC_BLUESKY (g_steal_pointer (&network));
      wc_bluesky_get_logged_out_restricted_async (job->bluesky, self->cancellable, on_logged_out_read,
                                                  g_object_ref (self));
      return;
    }
  if (!WC_IS_MASTODON (network))
    {
      g_autoptr(GError) unsupported =
        g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                             _("Whitecoat cannot read the followers of this network."));
      finish_job (self, NULL, unsupported);
      return;
    }

  job->mastodon = WC_MASTODON (g_steal_pointer (&network));
  wc_mastodon_verify_credentials_async (job->mastodon, self->cancellable, on_verified, g_object_ref (self));
}

static void
pump (WcFollowerSync *self)
{
  g_autoptr(GError) error = NULL;
  Job *job;

  if (self->current != NULL || g_queue_is_empty (&self->queue))
    return;

  job = self->current = g_queue_pop_head (&self->queue);
  self->cancellable = g_cancellable_new ();

  if (self->store == NULL)
    {
      g_set_error_literal (&error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN,
                           _("Whitecoat cannot open its database."));
      finish_job (self, NULL, error);
      return;
    }
  job->account = wc_store_get_account (self->store, job->account_id, &error);
  if (job->account == NULL)
    {
      finish_job (self, NULL, error);
      return;
    }
  if (!wc_account_is_connected (job->account))
    {
      g_autofree char *title = wc_account_dup_title (job->account);

      g_set_error (&error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_AUTH,
                   /* Translators: %s is an account, e.g. "@anna@med.example" */
                   _("Whitecoat is not signed in to %s. Connect it from Accounts."), title);
      finish_job (self, NULL, error);
      return;
    }

  wc_connection_open_async (job->account, self->cancellable, on_opened, g_object_ref (self));
}

static Job *
find_job (WcFollowerSync *self,
          gint64          account_id)
{
  if (self->current != NULL && self->current->account_id == account_id)
    return self->current;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (((Job *) l->data)->account_id == account_id)
      return l->data;
  return NULL;
}

static Job *
queue_job (WcFollowerSync *self,
           gint64          account_id)
{
  Job *job = find_job (self, account_id);

  if (job == NULL)
    {
      job = g_new0 (Job, 1);
      job->account_id = account_id;
      job->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_queue_push_tail (&self->queue, job);
    }
  return job;
}

static void
on_background_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot =
    wc_follower_sync_refresh_finish (WC_FOLLOWER_SYNC (source), result, &error);

  if (snapshot == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Background reading of followers failed: %s", error->message);
}

/* Every connected Mastodon or Bluesky account whose list is older than @max_age
 * seconds, or whose reading was interrupted. */
static void
queue_stale (WcFollowerSync *self,
             gint64          max_age)
{
  g_autoptr(GPtrArray) accounts = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->store == NULL)
    return;
  accounts = wc_store_list_all_accounts (self->store, NULL);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      WcAccount *account = g_ptr_array_index (accounts, i);
      gint64 id = wc_account_get_id (account);
      g_autofree char *cursor = NULL;
      g_autoptr(WcFollowerSnapshot) progress = NULL;

      if (!wc_follower_sync_can_read (account)
          || !wc_account_is_connected (account) || find_job (self, id) != NULL)
        continue;
      progress = wc_store_load_follower_progress (self->store, id, &cursor, NULL);
      if (progress == NULL && now - wc_store_get_followers_taken_at (self->store, id) < max_age)
        continue;
      wc_follower_sync_refresh_async (self, id, NULL, on_background_done, NULL);
    }
}

/**
 * wc_follower_sync_can_read:
 *
 * Returns: whether the service can read the account's followers (Mastodon
 *   and Bluesky), once signed in
 */
gboolean
wc_follower_sync_can_read (WcAccount *account)
{
  const char *network = account != NULL ? wc_account_get_network (account) : NULL;

  return g_strcmp0 (network, "mastodon") == 0 || g_strcmp0 (network, "bluesky") == 0;
}

static gboolean
on_timeout (gpointer user_data)
{
  WcFollowerSync *self = user_data;

  /* A little less than the interval, so that a list read a moment after
   * the last tick is not skipped for a whole round. */
  queue_stale (self, self->interval - MIN (self->interval / 10, 600));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_start (gpointer user_data)
{
  WcFollowerSync *self = user_data;

  self->start_id = 0;
  queue_stale (self, self->interval);
  return G_SOURCE_REMOVE;
}

static void
wc_follower_sync_dispose (GObject *object)
{
  WcFollowerSync *self = WC_FOLLOWER_SYNC (object);

  wc_follower_sync_stop (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->hasher, wc_hasher_unref);

  G_OBJECT_CLASS (wc_follower_sync_parent_class)->dispose (object);
}

static void
wc_follower_sync_finalize (GObject *object)
{
  WcFollowerSync *self = WC_FOLLOWER_SYNC (object);

  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  g_clear_pointer (&self->limits, g_hash_table_unref);

  G_OBJECT_CLASS (wc_follower_sync_parent_class)->finalize (object);
}

static void
wc_follower_sync_class_init (WcFollowerSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_follower_sync_dispose;
  object_class->finalize = wc_follower_sync_finalize;

  /**
   * WcFollowerSync::updated:
   * @account_id: the account whose followers, state or limits were stored
   */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * WcFollowerSync::progress:
   * @account_id: the account being read
   * @n_read: followers read so far
   * @n_total: followers the server counts, or -1
   *
   * After every page; stopping the service from here keeps what was read.
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_UINT, G_TYPE_INT64);

  /**
   * WcFollowerSync::account-changed:
   * @account_id: an account the server no longer accepted the sign-in of;
   *   it is now stored as not connected
   */
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
wc_follower_sync_init (WcFollowerSync *self)
{
  self->interval = WC_FOLLOWER_SYNC_DEFAULT_INTERVAL;
  self->checkpoint_interval = 20;
  g_queue_init (&self->queue);
  self->notes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->limits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/**
 * wc_follower_sync_new:
 * @store: (nullable): where snapshots are kept
 *
 * Returns: (transfer full): a service that does nothing until started or
 *   asked
 */
WcFollowerSync *
wc_follower_sync_new (WcStore *store)
{
  WcFollowerSync *self = g_object_new (WC_TYPE_FOLLOWER_SYNC, NULL);

  wc_follower_sync_set_store (self, store);
  return self;
}

/**
 * wc_follower_sync_set_store:
 *
 * Changes the store, e.g. after "Delete all Whitecoat data"; a reading in
 * progress is cancelled.
 */
void
wc_follower_sync_set_store (WcFollowerSync *self,
                            WcStore        *store)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  if (self->store == store)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->store, store);
  /* What was read went with the old store. */
  g_hash_table_remove_all (self->limits);
}

/**
 * wc_follower_sync_set_hasher:
 * @hasher: (nullable): so that followers carry the keyed hash of their
 *   handle and the audience recognises tagged people
 */
void
wc_follower_sync_set_hasher (WcFollowerSync *self,
                             WcHasher       *hasher)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  if (hasher != NULL)
    wc_hasher_ref (hasher);
  g_clear_pointer (&self->hasher, wc_hasher_unref);
  self->hasher = hasher;
}

/**
 * wc_follower_sync_set_interval:
 * @seconds: how often every connected account is read again while running
 */
void
wc_follower_sync_set_interval (WcFollowerSync *self,
                               guint           seconds)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  g_return_if_fail (seconds > 0);
  self->interval = seconds;
  if (self->timeout_id != 0)
    {
      g_source_remove (self->timeout_id);
      self->timeout_id = g_timeout_add_seconds (self->interval, on_timeout, self);
    }
}

/**
 * wc_follower_sync_set_checkpoint_interval:
 * @seconds: how often a long reading keeps what it read so far (0: after
 *   every page)
 */
void
wc_follower_sync_set_checkpoint_interval (WcFollowerSync *self,
                                          guint           seconds)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  self->checkpoint_interval = seconds;
}

/**
 * wc_follower_sync_start:
 *
 * Soon reads the connected accounts whose lists are stale or were
 * interrupted, then every few hours (the interval) every connected account.
 */
void
wc_follower_sync_start (WcFollowerSync *self)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  if (self->timeout_id != 0)
    return;
  self->timeout_id = g_timeout_add_seconds (self->interval, on_timeout, self);
  /* Not during start-up: the window comes first. */
  self->start_id = g_timeout_add_seconds (5, on_start, self);
}

/**
 * wc_follower_sync_stop:
 *
 * Stops the timer and cancels the reading in progress; what it read so
 * far is kept for the next start.
 */
void
wc_follower_sync_stop (WcFollowerSync *self)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
wc_follower_sync_is_running (WcFollowerSync *self)
{
  g_return_val_if_fail (WC_IS_FOLLOWER_SYNC (self), FALSE);
  return self->timeout_id != 0;
}

/**
 * wc_follower_sync_refresh_async:
 * @account_id: a connected Mastodon or Bluesky account
 * @cancellable: (nullable): unused: a reading is shared by everyone who
 *   asked for it and ends with wc_follower_sync_stop()
 *
 * Reads the account's state, its server's limits (Mastodon) and its
 * followers now
 * (after the readings already queued), resuming an interrupted reading,
 * and stores them.
 */
void
wc_follower_sync_refresh_async (WcFollowerSync      *self,
                                gint64               account_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, wc_follower_sync_refresh_async);
  job = queue_job (self, account_id);
  g_ptr_array_add (job->tasks, g_steal_pointer (&task));
  pump (self);
}

/**
 * wc_follower_sync_refresh_finish:
 *
 * Returns: (transfer full): the stored snapshot (hidden when the server
 *   hides the list; see wc_follower_sync_get_note())
 */
WcFollowerSnapshot *
wc_follower_sync_refresh_finish (WcFollowerSync  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
wc_follower_sync_is_busy (WcFollowerSync *self,
                          gint64          account_id)
{
  g_return_val_if_fail (WC_IS_FOLLOWER_SYNC (self), FALSE);
  return find_job (self, account_id) != NULL;
}

const char *
wc_follower_sync_get_note (WcFollowerSync *self,
                           gint64          account_id)
{
  g_return_val_if_fail (WC_IS_FOLLOWER_SYNC (self), NULL);
  return g_hash_table_lookup (self->notes, &account_id);
}

/**
 * wc_follower_sync_get_limits:
 * @limits: (out): the character limit, URL reserve, media and alt-text
 *   limits of the account's server
 *
 * The composer and the audience read the server's own limits here. Limits
 * not read since Whitecoat started come from the store (read once, then
 * kept in memory).
 *
 * Returns: whether they were ever read
 */
gboolean
wc_follower_sync_get_limits (WcFollowerSync     *self,
                             gint64              account_id,
                             WcMastodonInstance *limits)
{
  WcMastodonInstance *known;

  g_return_val_if_fail (WC_IS_FOLLOWER_SYNC (self), FALSE);
  known = g_hash_table_lookup (self->limits, &account_id);
  if (known == NULL && self->store != NULL)
    {
      WcServerLimits stored;

      if (!wc_store_load_account_server_limits (self->store, account_id, &stored))
        return FALSE;
      known = g_new0 (WcMastodonInstance, 1);
      known->max_characters = stored.max_characters;
      known->chars_per_url = stored.chars_per_url;
      known->max_media = stored.max_media;
      known->description_limit = stored.description_limit;
      g_hash_table_insert (self->limits, dup_id (account_id), known);
    }
  if (known == NULL)
    return FALSE;
  if (limits != NULL)
    *limits = *known;
  return TRUE;
}

void
wc_follower_sync_set_limits (WcFollowerSync           *self,
                             gint64                    account_id,
                             const WcMastodonInstance *limits)
{
  g_return_if_fail (WC_IS_FOLLOWER_SYNC (self));
  g_return_if_fail (limits != NULL);
  g_hash_table_insert (self->limits, dup_id (account_id), g_memdup2 (limits, sizeof *limits));
}
