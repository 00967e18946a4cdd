/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-scheduler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-mastodon.h"
#include "wc-network-registry.h"
#include "wc-scheduler.h"
#include "wc-store-outbox.h"

#define RETRY_BASE        30        /* seconds: the first retry-later wait */
#define RETRY_MAX         (5 * 60)  /* the longest wait between attempts */
#define IDEMPOTENCY_SAFE  (50 * 60) /* the server remembers a key for an hour */
#define LOOKUP_PAGES      10        /* pages of 40 statuses read back when looking for a post */
#define CONFIRM_DELAY     60        /* after a server-scheduled time, look for the post */
#define MATCH_SLACK       120       /* seconds of clock difference tolerated when matching */
#define MAX_CONCURRENT    8         /* operations on servers at once */
#define MEDIA_REUSE       (6 * 3600) /* images uploaded this long ago are posted with again;
                                      * Mastodon deletes unused uploads after a day */

struct _WcScheduler
{
  GObject        parent_instance;

  WcStore       *store;
  WcClock       *clock;
  GListStore    *entries;      /* WcOutboxEntry, not cancelled, by due time */
  GHashTable    *by_id;        /* id → WcOutboxEntry (also cancelled ones seen) */
  GHashTable    *busy;         /* id → number of operations under way */
  GHashTable    *reminded;     /* ids of manual entries whose reminder was shown */
  GHashTable    *no_server;    /* ids the server would not schedule: Whitecoat posts them */
  GHashTable    *networks;     /* account id → WcNetwork given by set_network */
  GHashTable    *manual;       /* account id → GINT_TO_POINTER (1 manual, 2 Mastodon, 3 Bluesky) */
  GCancellable  *cancellable;
  gint64         hold_after;
  guint          timer_id;
  gulong         changed_id;
  guint          idle_id;
  guint          reconciling;
  gboolean       started;
  gboolean       has_local_work;
};

G_DEFINE_FINAL_TYPE (WcScheduler, wc_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HAS_LOCAL_WORK,
  PROP_HOLD_AFTER,
  N_PROPS
};

enum {
  ENTRY_SENT,
  ENTRY_FAILED,
  ENTRY_HELD,
  REMINDER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void process       (WcScheduler *self);
static void queue_process (WcScheduler *self);

/* An operation on a server for one entry. */
typedef enum
{
  OP_SEND,          /* publish now */
  OP_SERVER,        /* schedule on the server */
  OP_CONFIRM,       /* a server-scheduled time passed: find the status */
  OP_RECONCILE,     /* left in "sending" by an earlier run */
  OP_WITHDRAW,      /* delete the server copy, then a follow-up */
  OP_RESCHEDULE,    /* move the server copy */
  OP_CHECK,         /* about to be held after failed attempts: was it posted after all? */
} OpKind;

typedef enum
{
  AFTER_NOTHING,
  AFTER_CANCEL,     /* then cancelled */
  AFTER_LOCAL,      /* then scheduled here (post now, content change, too close) */
} After;

typedef struct
{
  WcScheduler   *self;
  WcOutboxEntry *entry;
  OpKind         kind;
  After          after;
  gint64         new_due;
  WcMastodon    *mastodon;
  WcBluesky     *bluesky;
  GPtrArray     *media_ids;  /* the images' uploads to post with, as far as done */
  GPtrArray     *earlier;    /* earlier uploads of the same content */
  gint64         media_at;   /* when the first of media_ids was uploaded */
  gboolean       at_start;   /* a reconciliation that start() waits for */
  gboolean       then_send;  /* OP_CHECK: send when not found (else hold) */
} Op;

static void
op_free (Op *op)
{
  gpointer key = GINT_TO_POINTER ((int) wc_outbox_entry_get_id (op->entry));
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (op->self->busy, key));

  if (count > 1)
    g_hash_table_insert (op->self->busy, key, GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (op->self->busy, key);
  g_clear_object (&op->mastodon);
  g_clear_object (&op->bluesky);
  g_clear_pointer (&op->media_ids, g_ptr_array_unref);
  g_clear_pointer (&op->earlier, g_ptr_array_unref);
  g_object_unref (op->entry);
  if (op->at_start)
    op->self->reconciling--;
  queue_process (op->self);
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static gpointer
id_key (WcOutboxEntry *entry)
{
  return GINT_TO_POINTER ((int) wc_outbox_entry_get_id (entry));
}

/* --- Model ------------------------------------------------------------- */

static int
compare_due (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  WcOutboxEntry *x = (WcOutboxEntry *) a;
  WcOutboxEntry *y = (WcOutboxEntry *) b;
  gint64 dx = wc_outbox_entry_get_due_at (x);
  gint64 dy = wc_outbox_entry_get_due_at (y);

  if (dx != dy)
    return dx < dy ? -1 : 1;
  return wc_outbox_entry_get_id (x) < wc_outbox_entry_get_id (y) ? -1
         : wc_outbox_entry_get_id (x) > wc_outbox_entry_get_id (y);
}

/* Puts @entry where it belongs in the model after a change of state or
 * time: out when cancelled, in by due time otherwise. */
static void
place (WcScheduler   *self,
       WcOutboxEntry *entry)
{
  guint position;
  gboolean present = g_list_store_find (self->entries, entry, &position);
  gboolean wanted = wc_outbox_entry_get_state (entry) != WC_OUTBOX_STATE_CANCELLED;

  if (present && wanted)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
      g_autoptr(WcOutboxEntry) before = position > 0 ? g_list_model_get_item (G_LIST_MODEL (self->entries), position - 1) : NULL;
      g_autoptr(WcOutboxEntry) after = position + 1 < n ? g_list_model_get_item (G_LIST_MODEL (self->entries), position + 1) : NULL;

      if ((before == NULL || compare_due (before, entry, NULL) < 0)
          && (after == NULL || compare_due (entry, after, NULL) < 0))
        return;
    }
  if (present)
    g_list_store_remove (self->entries, position);
  if (wanted)
    g_list_store_insert_sorted (self->entries, entry, compare_due, NULL);
}

/* The object the UI holds for this entry, updated from @fresh. */
static WcOutboxEntry *
adopt (WcScheduler   *self,
       WcOutboxEntry *fresh)
{
  WcOutboxEntry *known = g_hash_table_lookup (self->by_id, id_key (fresh));

  if (known == NULL)
    {
      known = fresh;
      g_hash_table_insert (self->by_id, id_key (fresh), g_object_ref (fresh));
    }
  else
    wc_outbox_entry_update_from (known, fresh);
  place (self, known);
  return known;
}

static void
update_has_local_work (WcScheduler *self)
{
  gboolean local = FALSE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; i < n && !local; i++)
    {
      g_autoptr(WcOutboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      WcOutboxState state = wc_outbox_entry_get_state (entry);

      local = state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_SENDING;
    }
  if (local != self->has_local_work)
    {
      self->has_local_work = local;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_LOCAL_WORK]);
    }
}

/* --- Accounts ---------------------------------------------------------- */

static WcAccount *
load_account (WcScheduler *self,
              gint64       account_id)
{
  return wc_store_get_account (self->store, account_id, NULL);
}

typedef enum
{
  KIND_MANUAL = 1,   /* a reminder at the time */
  KIND_MASTODON,     /* sent by Whitecoat or scheduled on the server */
  KIND_BLUESKY,      /* sent by Whitecoat at the time: no server-side scheduling */
} NetworkKind;

static NetworkKind
kind_of (WcNetwork *network)
{
  if (WC_IS_MASTODON (network))
    return KIND_MASTODON;
  if (WC_IS_BLUESKY (network))
    return KIND_BLUESKY;
  return KIND_MANUAL;
}

static NetworkKind
network_kind (WcScheduler *self,
              gint64       account_id)
{
  gpointer known = g_hash_table_lookup (self->manual, GINT_TO_POINTER ((int) account_id));
  WcNetwork *given = g_hash_table_lookup (self->networks, GINT_TO_POINTER ((int) account_id));
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcNetwork) network = NULL;
  NetworkKind kind;

  if (known != NULL)
    return GPOINTER_TO_INT (known);
  if (given != NULL)
    kind = kind_of (given);
  else
    {
      account = load_account (self, account_id);
      if (account == NULL)
        return KIND_MANUAL;
      wc_network_registry_ensure_builtin ();
      network = wc_network_registry_create (account);
      kind = network != NULL ? kind_of (network) : KIND_MANUAL;
    }
  g_hash_table_insert (self->manual, GINT_TO_POINTER ((int) account_id), GINT_TO_POINTER (kind));
  return kind;
}

static gboolean
is_manual (WcScheduler *self,
           gint64       account_id)
{
  return network_kind (self, account_id) == KIND_MANUAL;
}

static void
audit_publish (WcScheduler   *self,
               WcOutboxEntry *entry,
               const char    *how)
{
  g_autoptr(WcAccount) account = load_account (self, wc_outbox_entry_get_account_id (entry));
  /* Translators: in the audit log, in place of an account that has
   * been removed since */
  g_autofree char *title = account != NULL ? wc_account_dup_title (account) : g_strdup (_("a removed account"));
  g_autofree char *summary = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = wc_outbox_entry_get_remote_url (entry);
  WcAuditEntry audit = { 0 };

  /* The summary names the account and the post's address, never its text. */
  if (url != NULL)
    /* Translators: an audit log line: how a post was published ("Posted"),
     * the account ("Mastodon (professional)") and the post's address */
    summary = g_strdup_printf (_("%s: %s %s"), how, title, url);
  else
    /* Translators: an audit log line: how a post was published ("Posted by
     * hand") and the account ("Facebook (personal)") */
    summary = g_strdup_printf (_("%s: %s"), how, title);
  audit.at = wc_clock_get_now (self->clock);
  audit.has_identity = TRUE;
  audit.identity = wc_outbox_entry_get_identity (entry);
  audit.account_id = wc_outbox_entry_get_account_id (entry);
  audit.kind = (char *) "publish";
  audit.summary = summary;
  if (!wc_store_append_audit (self->store, &audit, &error))
    g_warning ("Could not write the audit log: %s", error->message);
}

/* --- Moves ------------------------------------------------------------- */

static gboolean
move (WcScheduler          *self,
      WcOutboxEntry        *entry,
      WcOutboxState         to,
      const WcOutboxUpdate *update,
      GError              **error)
{
  WcOutboxState from = wc_outbox_entry_get_state (entry);

  if (!wc_store_move_outbox_entry (self->store, entry, to, update, error))
    return FALSE;
  g_debug ("Outbox entry %" G_GINT64_FORMAT ": %s → %s at %" G_GINT64_FORMAT " (due %" G_GINT64_FORMAT ")",
           wc_outbox_entry_get_id (entry), wc_outbox_state_to_string (from), wc_outbox_state_to_string (to),
           wc_clock_get_now (self->clock), wc_outbox_entry_get_due_at (entry));
  place (self, entry);
  update_has_local_work (self);
  return TRUE;
}

static void
move_or_warn (WcScheduler          *self,
              WcOutboxEntry        *entry,
              WcOutboxState         to,
              const WcOutboxUpdate *update)
{
  g_autoptr(GError) error = NULL;

  if (!move (self, entry, to, update, &error))
    g_warning ("Outbox entry %" G_GINT64_FORMAT " could not become %s: %s",
               wc_outbox_entry_get_id (entry), wc_outbox_state_to_string (to), error->message);
}

static void
mark_sent_full (WcScheduler   *self,
                WcOutboxEntry *entry,
                const char    *remote_id,
                const char    *remote_url,
                const char    *how,
                const char    *reason)
{
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_REMOTE_URL | WC_OUTBOX_FIELD_SENT_AT
                  | WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.remote_id = remote_id;
  update.remote_url = remote_url;
  update.sent_at = wc_clock_get_now (self->clock);
  update.reason = reason;
  update.next_attempt_at = 0;
  if (!move (self, entry, WC_OUTBOX_STATE_SENT, &update, NULL))
    return;
  g_hash_table_remove (self->reminded, id_key (entry));
  audit_publish (self, entry, how);
  g_signal_emit (self, signals[ENTRY_SENT], 0, entry);
}

static void
mark_sent (WcScheduler   *self,
           WcOutboxEntry *entry,
           const char    *remote_id,
           const char    *remote_url,
           const char    *how)
{
  mark_sent_full (self, entry, remote_id, remote_url, how, NULL);
}

static void
mark_failed (WcScheduler   *self,
             WcOutboxEntry *entry,
             const GError  *error)
{
  const WcOutboxMedia *media = wc_outbox_entry_get_media (entry);
  g_autoptr(WcOutboxMedia) forget = NULL;
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.reason = error->message;
  update.next_attempt_at = 0;
  if (media != NULL && media->ids[0] != NULL)
    {
      /* The uploads may be what the server refused: a retry makes new
       * ones. Kept as earlier, to recognise a post made with them. */
      g_autoptr(GStrvBuilder) earlier = g_strv_builder_new ();
      g_auto(GStrv) all = NULL;

      g_strv_builder_addv (earlier, (const char **) media->earlier);
      g_strv_builder_addv (earlier, (const char **) media->ids);
      all = g_strv_builder_end (earlier);
      forget = wc_outbox_media_new (0, NULL, (const char * const *) all);
      update.fields |= WC_OUTBOX_FIELD_MEDIA;
      update.media = forget;
    }
  if (move (self, entry, WC_OUTBOX_STATE_FAILED, &update, NULL))
    g_signal_emit (self, signals[ENTRY_FAILED], 0, entry);
}

static gint64
backoff (WcScheduler   *self,
         WcOutboxEntry *entry,
         const GError  *error)
{
  guint attempts = MAX (wc_outbox_entry_get_attempts (entry), 1);
  gint64 wait = RETRY_BASE;

  for (guint i = 1; i < attempts && wait < RETRY_MAX; i++)
    wait *= 2;
  wait = MIN (wait, RETRY_MAX);
  /* Jitter: between half and the whole wait, so that many entries that
   * failed together do not come back together. */
  wait = wait / 2 + g_random_int_range (0, (gint32) (wait / 2) + 1);
  return MAX (wait, wc_network_error_get_retry_after (error));
}

/* sending → scheduled, to try again later. */
static void
retry_later (WcScheduler   *self,
             WcOutboxEntry *entry,
             const GError  *error)
{
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_REASON;
  update.next_attempt_at = wc_clock_get_now (self->clock) + backoff (self, entry, error);
  update.reason = error->message;
  move_or_warn (self, entry, WC_OUTBOX_STATE_SCHEDULED, &update);
}

static void
hold (WcScheduler   *self,
      WcOutboxEntry *entry)
{
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.reason = wc_outbox_entry_get_attempts (entry) > 0
                  ? _("The server could not be reached for more than the allowed delay after this post was due, so it waits for you: post it now, choose another time, or cancel it.")
                  : _("Whitecoat was not running when this post was due, so it waits for you: post it now, choose another time, or cancel it.");
  update.next_attempt_at = 0;
  if (move (self, entry, WC_OUTBOX_STATE_HELD, &update, NULL))
    g_signal_emit (self, signals[ENTRY_HELD], 0, entry);
}

/* --- Operations -------------------------------------------------------- */

static Op *
op_new (WcScheduler   *self,
        WcOutboxEntry *entry,
        OpKind         kind)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->entry = g_object_ref (entry);
  op->kind = kind;
  g_hash_table_insert (self->busy, id_key (entry),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->busy, id_key (entry))) + 1));
  return op;
}

static gboolean
is_busy (WcScheduler   *self,
         WcOutboxEntry *entry)
{
  return g_hash_table_contains (self->busy, id_key (entry));
}

static void op_run (Op *op);

static void
on_connection (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data);

static void op_failed (Op           *op,
                       const GError *error);

static void
op_start (Op *op)
{
  WcScheduler *self = op->self;
  gint64 account_id = wc_outbox_entry_get_account_id (op->entry);
  WcNetwork *given = g_hash_table_lookup (self->networks, GINT_TO_POINTER ((int) account_id));
  g_autoptr(WcAccount) account = NULL;

  if (given != NULL)
    {
      op->mastodon = WC_IS_MASTODON (given) ? g_object_ref (WC_MASTODON (given)) : NULL;
      op->bluesky = WC_IS_BLUESKY (given) ? g_object_ref (WC_BLUESKY (given)) : NULL;
      op_run (op);
      return;
    }
  account = load_account (self, account_id);
  if (account == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                                                     _("The account of this post no longer exists."));
      op_failed (op, error);
      return;
    }
  wc_connection_open_async (account, self->cancellable, on_connection, op);
}

static void
on_connection (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  if (network == NULL)
    {
      op_failed (op, error);
      return;
    }
  op->mastodon = WC_IS_MASTODON (network) ? g_object_ref (WC_MASTODON (network)) : NULL;
  op->bluesky = WC_IS_BLUESKY (network) ? g_object_ref (WC_BLUESKY (network)) : NULL;
  op_run (op);
}

/* An operation ends in an error: what becomes of the entry depends on
 * what was tried. Cancelled (the scheduler stopped): left as it is, and a
 * "sending" entry is reconciled at the next start. */
static void
op_failed (Op           *op,
           const GError *error)
{
  g_autoptr(Op) owned = op;
  WcScheduler *self = op->self;
  WcOutboxEntry *entry = op->entry;
  gboolean transient = wc_network_error_is_transient (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Outbox entry %" G_GINT64_FORMAT ": %s failed (%s %d)", wc_outbox_entry_get_id (entry),
           op->kind == OP_SEND ? "sending" : "a server call", g_quark_to_string (error->domain), error->code);

  switch (op->kind)
    {
    case OP_SEND:
      if (transient)
        retry_later (self, entry, error);
      else
        mark_failed (self, entry, error);
      break;

    case OP_SERVER:
      if (transient)
        retry_later (self, entry, error);
      else if (g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED))
        {
          /* The server's limits (25 a day, 300 in all) or its 5 minutes:
           * Whitecoat posts it itself at the time, and says why. */
          WcOutboxUpdate update = { 0 };
          g_autofree char *reason = NULL;

          g_hash_table_add (self->no_server, id_key (entry));
          update.fields = WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_ATTEMPTS;
          reason = g_strdup_printf (_("%s Until then, Whitecoat will send it itself at its time, while it runs."),
                                    error->message);
          update.reason = reason;
          update.next_attempt_at = 0;
          update.attempts = 0;
          move_or_warn (self, entry, WC_OUTBOX_STATE_SCHEDULED, &update);
        }
      else
        mark_failed (self, entry, error);
      break;

    case OP_RECONCILE:
      if (transient)
        {
          /* Cannot tell yet: stays "sending"; try again later. */
          WcOutboxUpdate update = { 0 };

          update.fields = WC_OUTBOX_FIELD_REASON;
          update.reason = error->message;
          wc_store_update_outbox_entry (self->store, entry, &update, NULL);
        }
      else
        mark_failed (self, entry, error);
      break;

    case OP_CHECK:
      {
        /* Cannot tell: looked at again later, still not sent blindly. */
        WcOutboxUpdate update = { 0 };

        update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_REASON;
        update.next_attempt_at = wc_clock_get_now (self->clock) + backoff (self, entry, error);
        update.reason = error->message;
        wc_store_update_outbox_entry (self->store, entry, &update, NULL);
      }
      break;

    case OP_WITHDRAW:
      if (wc_outbox_entry_get_pending_content (entry) != NULL)
        {
          /* New content waits for this withdrawal: tried again later,
           * with the server copy (and its old content) left as it is. */
          WcOutboxUpdate update = { 0 };

          update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_REASON;
          update.next_attempt_at = wc_clock_get_now (self->clock)
                                   + (transient ? backoff (self, entry, error) : RETRY_MAX);
          update.reason = error->message;
          wc_store_update_outbox_entry (self->store, entry, &update, NULL);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case OP_CONFIRM:
    case OP_RESCHEDULE:
      {
        WcOutboxUpdate update = { 0 };

        update.fields = WC_OUTBOX_FIELD_REASON;
        update.reason = error->message;
        wc_store_update_outbox_entry (self->store, entry, &update, NULL);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static GDateTime *
date_time_utc (gint64 at)
{
  return g_date_time_new_from_unix_utc (at);
}

static void post_status (Op *op);

/* A NULL-terminated array of @strings' pointers (borrowed). */
static GPtrArray *
terminated (GPtrArray *strings)
{
  GPtrArray *copy = g_ptr_array_sized_new (strings->len + 1);

  for (guint i = 0; i < strings->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (strings, i));
  g_ptr_array_add (copy, NULL);
  return copy;
}

/* Stores what is uploaded so far, at once: after a crash the next attempt
 * posts with these instead of uploading again, and a post made with them
 * is recognised by them. */
static void
remember_media (Op *op)
{
  g_autoptr(GPtrArray) ids = terminated (op->media_ids);
  g_autoptr(GPtrArray) earlier = terminated (op->earlier);
  g_autoptr(WcOutboxMedia) media = wc_outbox_media_new (op->media_at, (const char * const *) ids->pdata,
                                                        (const char * const *) earlier->pdata);
  g_autoptr(GError) error = NULL;
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_MEDIA;
  update.media = media;
  if (!wc_store_update_outbox_entry (op->self->store, op->entry, &update, &error))
    g_warning ("Could not store the uploads of a post: %s", error->message);
}

/* The uploads an earlier attempt made for this content are posted with
 * again while the server surely keeps them; older ones are only
 * remembered, to recognise a post made with them. */
static void
start_media (Op *op)
{
  const WcOutboxContent *content = wc_outbox_entry_get_content (op->entry);
  const WcOutboxMedia *stored = wc_outbox_entry_get_media (op->entry);
  guint n_images = content->attachments != NULL ? content->attachments->len : 0;
  gboolean reuse;

  op->media_ids = g_ptr_array_new_with_free_func (g_free);
  op->earlier = g_ptr_array_new_with_free_func (g_free);
  op->media_at = 0;
  if (stored == NULL)
    return;
  reuse = stored->ids[0] != NULL && g_strv_length (stored->ids) <= n_images
          && wc_clock_get_now (op->self->clock) - stored->uploaded_at < MEDIA_REUSE;
  for (guint i = 0; stored->earlier[i] != NULL; i++)
    g_ptr_array_add (op->earlier, g_strdup (stored->earlier[i]));
  for (guint i = 0; stored->ids[i] != NULL; i++)
    g_ptr_array_add (reuse ? op->media_ids : op->earlier, g_strdup (stored->ids[i]));
  if (reuse)
    {
      op->media_at = stored->uploaded_at;
      g_debug ("Outbox entry %" G_GINT64_FORMAT ": posting with %u earlier uploads",
               wc_outbox_entry_get_id (op->entry), op->media_ids->len);
    }
}

static void
on_media (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;
  char *media_id = wc_mastodon_upload_media_finish (WC_MASTODON (source), result, &error);

  if (media_id == NULL)
    {
      op_failed (op, error);
      return;
    }
  g_ptr_array_add (op->media_ids, media_id);
  if (op->media_at == 0)
    op->media_at = wc_clock_get_now (op->self->clock);
  remember_media (op);
  post_status (op);
}

static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  WcScheduler *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) posted = wc_mastodon_post_status_finish (WC_MASTODON (source), result, &error);

  if (posted == NULL)
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }

  if (posted->scheduled)
    {
      WcOutboxUpdate update = { 0 };

      update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
      update.remote_id = posted->id;
      update.reason = NULL;
      update.next_attempt_at = 0;
      move_or_warn (self, op->entry, WC_OUTBOX_STATE_SERVER_SCHEDULED, &update);
    }
  else
    /* Translators: in the audit log, a post Whitecoat published */
    mark_sent (self, op->entry, posted->id, posted->url, _("Posted"));
}

/* Uploads the next image, or posts when all are up. */
static void
post_status (Op *op)
{
  const WcOutboxContent *content = wc_outbox_entry_get_content (op->entry);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  WcMastodonPost post = { 0 };

  if (op->media_ids == NULL)
    start_media (op);
  if (content->attachments != NULL && op->media_ids->len < content->attachments->len)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, op->media_ids->len);

      wc_mastodon_upload_media_async (op->mastodon, attachment->path, attachment->alt_text,
                                      op->self->cancellable, on_media, op);
      return;
    }

  /* Not g_ptr_array_copy(): the copy would free the ids too. */
  ids = terminated (op->media_ids);
  post.text = content->text;
  post.spoiler_text = content->content_warning;
  post.visibility = content->visibility;
  post.language = content->language != NULL && *content->language != '\0' ? content->language : NULL;
  post.sensitive = wc_outbox_content_is_sensitive (content);
  post.media_ids = (const char * const *) ids->pdata;
  if (op->kind == OP_SERVER)
    {
      when = date_time_utc (wc_outbox_entry_get_due_at (op->entry));
      post.scheduled_at = when;
    }
  wc_mastodon_post_status_async (op->mastodon, &post, wc_outbox_entry_get_idempotency_key (op->entry),
                                 op->self->cancellable, on_posted, op);
}

/* Whether @status carries media this entry uploaded for its content, and
 * only those. */
static gboolean
has_our_media (WcOutboxEntry    *entry,
               WcMastodonStatus *status)
{
  const WcOutboxMedia *media = wc_outbox_entry_get_media (entry);

  if (media == NULL || status->media_ids == NULL || status->media_ids[0] == NULL)
    return FALSE;
  for (guint i = 0; status->media_ids[i] != NULL; i++)
    if (!wc_outbox_media_contains (media, status->media_ids[i]))
      return FALSE;
  return TRUE;
}

/* Whether @status (published, or scheduled on the server) is this entry's
 * post, leaving time aside. Mastodon media ids are the server's own, and
 * every upload for the content is stored before it can be posted with:
 * when the entry has images and knows its uploads, they decide (two posts
 * alike in text are told apart). Otherwise its text, content warning and
 * number of attachments. */
static gboolean
same_post (WcScheduler      *self,
           WcOutboxEntry    *entry,
           WcMastodonStatus *status)
{
  const WcOutboxContent *content = wc_outbox_entry_get_content (entry);
  const WcOutboxMedia *media = wc_outbox_entry_get_media (entry);
  g_autofree char *want = NULL;
  guint n_media = content->attachments != NULL ? content->attachments->len : 0;

  if (n_media > 0 && media != NULL && (media->ids[0] != NULL || media->earlier[0] != NULL))
    return has_our_media (entry, status);
  want = wc_mastodon_normalize_text (content->text, FALSE);
  return g_str_equal (status->text, want)
         && g_strcmp0 (status->spoiler_text ? status->spoiler_text : "",
                       content->content_warning ? content->content_warning : "") == 0
         && (status->media_ids != NULL ? g_strv_length (status->media_ids) : 0) == n_media;
}

/* Whether another entry of the same account already claims @remote_id. */
static gboolean
claimed_by_other (WcScheduler   *self,
                  WcOutboxEntry *entry,
                  GPtrArray     *others,
                  const char    *remote_id)
{
  for (guint j = 0; others != NULL && j < others->len; j++)
    {
      WcOutboxEntry *other = g_ptr_array_index (others, j);

      if (wc_outbox_entry_get_id (other) != wc_outbox_entry_get_id (entry)
          && wc_outbox_entry_get_account_id (other) == wc_outbox_entry_get_account_id (entry)
          && g_strcmp0 (wc_outbox_entry_get_remote_id (other), remote_id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Finding a post whose answer was lost, or a server-scheduled post after
 * its time: the account's recent statuses by media, or text, and time. A
 * status that another entry already claims is not this one. */
static WcMastodonStatus *
find_status (WcScheduler   *self,
             WcOutboxEntry *entry,
             GPtrArray     *statuses,
             gint64         not_before)
{
  g_autoptr(GPtrArray) sent = wc_store_list_outbox_in_state (self->store, WC_OUTBOX_STATE_SENT, NULL);
  gint64 now = wc_clock_get_now (self->clock);

  for (guint i = 0; i < statuses->len; i++)
    {
      WcMastodonStatus *status = g_ptr_array_index (statuses, i);

      if (status->created_at < not_before - MATCH_SLACK
          || status->created_at > now + MATCH_SLACK
          || !same_post (self, entry, status))
        continue;
      if (!claimed_by_other (self, entry, sent, status->id))
        return status;
    }
  return NULL;
}

/* A leftover "sending" entry among the server's scheduled statuses: their
 * params.idempotency is null in Mastodon, so by its time, and by its media
 * or text. */
static WcMastodonStatus *
find_scheduled (WcScheduler   *self,
                WcOutboxEntry *entry,
                GPtrArray     *scheduled)
{
  g_autoptr(GPtrArray) others = wc_store_list_outbox_in_state (self->store, WC_OUTBOX_STATE_SERVER_SCHEDULED, NULL);
  gint64 due = wc_outbox_entry_get_due_at (entry);

  for (guint i = 0; i < scheduled->len; i++)
    {
      WcMastodonStatus *status = g_ptr_array_index (scheduled, i);

      if (ABS (status->created_at - due) > 1 || !same_post (self, entry, status))
        continue;
      if (!claimed_by_other (self, entry, others, status->id))
        return status;
    }
  return NULL;
}

static void
on_reconcile_scheduled (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);
static void begin_send (WcScheduler   *self,
                        WcOutboxEntry *entry,
                        OpKind         kind);
static void on_reconcile_statuses (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data);

static void
look_back (Op *op)
{
  wc_mastodon_list_own_statuses_since_async (op->mastodon, wc_outbox_entry_get_due_at (op->entry) - MATCH_SLACK,
                                             LOOKUP_PAGES, op->self->cancellable, on_reconcile_statuses, op);
}

static void
on_reconcile_statuses (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  WcScheduler *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = wc_mastodon_list_own_statuses_finish (WC_MASTODON (source), result, &error);
  WcMastodonStatus *found;
  WcOutboxUpdate update = { 0 };

  if (statuses == NULL)
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }

  found = find_status (self, op->entry, statuses, wc_outbox_entry_get_due_at (op->entry));
  if (op->kind == OP_CHECK)
    {
      if (found != NULL)
        /* Translators: in the audit log, a post whose answer was lost,
         * found on the server after attempts that seemed to fail */
        mark_sent (self, op->entry, found->id, found->url, _("Posted (found after failed attempts)"));
      else if (op->then_send)
        begin_send (self, op->entry, OP_SEND);
      else
        hold (self, op->entry);
      return;
    }
  if (op->kind == OP_CONFIRM)
    {
      if (found != NULL)
        {
          /* If a change was waiting for the withdrawal, it came too late:
           * what went out is the earlier version, and it is not posted a
           * second time (the move to "sent" drops the change). */
          gboolean late = wc_outbox_entry_get_pending_content (op->entry) != NULL;
          const char *reason = late ? _("The server had already published the earlier version of this post, so the change was not posted.")
                                    : NULL;

          /* Translators: in the audit log, a post the server published at
           * the time it was scheduled on the server */
          mark_sent_full (self, op->entry, found->id, found->url, _("Published by the server"), reason);
          return;
        }
      /* Neither scheduled nor published: someone withdrew it on the
       * server. It waits here again (held when it is overdue), with a new
       * key, since the old one belongs to the withdrawn copy. */
      {
        g_autofree char *key = g_uuid_string_random ();
        const WcOutboxContent *waiting = wc_outbox_entry_get_pending_content (op->entry);
        g_autoptr(WcOutboxContent) pending = waiting != NULL ? wc_outbox_content_copy (waiting) : NULL;

        update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_REASON | WC_OUTBOX_FIELD_IDEMPOTENCY_KEY
                        | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
        update.remote_id = NULL;
        update.reason = _("The post was no longer scheduled on the server.");
        update.idempotency_key = key;
        update.next_attempt_at = 0;
        if (pending != NULL)
          {
            update.fields |= WC_OUTBOX_FIELD_CONTENT;
            update.content = pending;
          }
        g_hash_table_add (self->no_server, id_key (op->entry));
        /* The change, if one waited, becomes the post in the same step. */
        move_or_warn (self, op->entry, WC_OUTBOX_STATE_SCHEDULED, &update);
      }
      return;
    }

  if (found != NULL)
    {
      /* Translators: in the audit log, a post found on the server after
       * Whitecoat stopped while sending it (its answer was lost) */
      mark_sent (self, op->entry, found->id, found->url, _("Posted (found after a lost answer)"));
      return;
    }
  /* Not posted. Trying again with the same key is safe: within the
   * server's hour it answers with the original if it did store one. */
  update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.next_attempt_at = 0;
  move_or_warn (self, op->entry, WC_OUTBOX_STATE_SCHEDULED, &update);
}

static void
on_reconcile_scheduled (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Op *op = user_data;
  WcScheduler *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scheduled = wc_mastodon_list_scheduled_finish (WC_MASTODON (source), result, &error);
  const char *remote_id = wc_outbox_entry_get_remote_id (op->entry);
  WcMastodonStatus *found;

  if (scheduled == NULL)
    {
      op_failed (op, error);
      return;
    }
  for (guint i = 0; i < scheduled->len; i++)
    {
      WcMastodonStatus *status = g_ptr_array_index (scheduled, i);

      if (op->kind == OP_CONFIRM && g_strcmp0 (status->id, remote_id) == 0)
        {
          /* Still waiting on the server (its clock, or its queue). */
          g_autoptr(Op) done = op;
          return;
        }
    }
  if (op->kind == OP_RECONCILE && (found = find_scheduled (self, op->entry, scheduled)) != NULL)
    {
      g_autoptr(Op) done = op;
      WcOutboxUpdate update = { 0 };

      update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
      update.remote_id = found->id;
      update.next_attempt_at = 0;
      move_or_warn (self, op->entry, WC_OUTBOX_STATE_SERVER_SCHEDULED, &update);
      return;
    }
  look_back (op);
}

static void
on_withdrawn (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  WcScheduler *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(WcOutboxContent) pending = NULL;
  WcOutboxUpdate update = { 0 };

  if (!wc_mastodon_cancel_scheduled_finish (WC_MASTODON (source), result, &error)
      && !g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND))
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }
  if (error != NULL && wc_outbox_entry_get_due_at (op->entry) <= wc_clock_get_now (self->clock))
    {
      /* Gone because it was published: find it rather than post twice.
       * The entry still has the content the server had (a change waits
       * beside it), so that is what is looked for. */
      op->kind = OP_CONFIRM;
      look_back (g_steal_pointer (&op));
      return;
    }

  if (wc_outbox_entry_get_pending_content (op->entry) != NULL)
    pending = wc_outbox_content_copy (wc_outbox_entry_get_pending_content (op->entry));
  update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_IDEMPOTENCY_KEY | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.remote_id = NULL;
  update.idempotency_key = key;
  update.next_attempt_at = 0;
  if (op->after == AFTER_LOCAL && op->new_due != 0)
    {
      update.fields |= WC_OUTBOX_FIELD_DUE_AT;
      update.due_at = op->new_due;
    }
  if (pending != NULL && op->after != AFTER_CANCEL)
    {
      /* Withdrawn: now the new content is the post, in the same step that
       * drops it as a waiting change. */
      update.fields |= WC_OUTBOX_FIELD_CONTENT | WC_OUTBOX_FIELD_REASON;
      update.content = pending;
      update.reason = NULL;
    }
  move_or_warn (self, op->entry,
                op->after == AFTER_CANCEL ? WC_OUTBOX_STATE_CANCELLED : WC_OUTBOX_STATE_SCHEDULED,
                &update);
}

static void
on_rescheduled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonPosted) posted = wc_mastodon_reschedule_finish (WC_MASTODON (source), result, &error);
  WcOutboxUpdate update = { 0 };

  if (posted == NULL)
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }
  update.fields = WC_OUTBOX_FIELD_DUE_AT | WC_OUTBOX_FIELD_REASON;
  update.due_at = posted->scheduled_at ? posted->scheduled_at : op->new_due;
  update.reason = NULL;
  if (!wc_store_update_outbox_entry (op->self->store, op->entry, &update, &error))
    g_warning ("Could not store the new time: %s", error->message);
  place (op->self, op->entry);
}

/* --- Bluesky: sent by Whitecoat at the time, exactly once ---------------
 * The record key comes from the entry's idempotency key and creation time,
 * the same on every attempt: a retry after a lost answer finds the record
 * (already_there) instead of writing a second post. */

static char *
bluesky_rkey (WcOutboxEntry *entry)
{
  return wc_bluesky_rkey_for_key (wc_outbox_entry_get_idempotency_key (entry),
                                  wc_outbox_entry_get_created_at (entry) * G_USEC_PER_SEC);
}

static char *
bluesky_post_url (WcBluesky  *bluesky,
                  const char *rkey)
{
  return g_strdup_printf ("https://bsky.app/profile/%s/post/%s", wc_bluesky_get_did (bluesky), rkey);
}

static void
bluesky_mark_sent (Op         *op,
                   const char *rkey,
                   const char *how)
{
  g_autofree char *uri = g_strdup_printf ("at://%s/app.bsky.feed.post/%s", wc_bluesky_get_did (op->bluesky), rkey);
  g_autofree char *url = bluesky_post_url (op->bluesky, rkey);

  mark_sent (op->self, op->entry, uri, url, how);
}

static void
on_bluesky_published (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcBlueskyPosted) posted = wc_bluesky_publish_finish (WC_BLUESKY (source), result, &error);
  g_autofree char *url = NULL;

  if (posted == NULL)
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }
  url = bluesky_post_url (op->bluesky, posted->rkey);
  mark_sent (op->self, op->entry, posted->uri, url,
             posted->already_there
             ? _("Posted (found after a lost answer)")
             : _("Posted"));
}

/* Who may reply, as the threadgate the client writes with the post. */
static WcBlueskyReplyRule
bluesky_reply_rule (WcReplyPolicy policy)
{
  switch (policy)
    {
    case WC_REPLY_POLICY_FOLLOWING:
      return WC_BLUESKY_REPLY_FOLLOWING;
    case WC_REPLY_POLICY_MENTIONED:
      return WC_BLUESKY_REPLY_MENTIONED;
    case WC_REPLY_POLICY_NOBODY:
      return WC_BLUESKY_REPLY_NOBODY;
    case WC_REPLY_POLICY_EVERYONE:
    default:
      return WC_BLUESKY_REPLY_ANYONE;
    }
}

/* The outbox content as a Bluesky post: the text, the language, the
 * images with their alt text, the content warning as the "graphic-media"
 * self-label (Bluesky has no free-text warning; its labels are fixed, and
 * this is the one for clinical pictures), and who may reply as the
 * threadgate written in the same call. Every post is public. */
static void
bluesky_publish (Op *op)
{
  const WcOutboxContent *content = wc_outbox_entry_get_content (op->entry);
  g_autofree char *rkey = bluesky_rkey (op->entry);
  g_autofree WcBlueskyImage *images = NULL;
  const char *langs[2] = { content->language, NULL };
  static const char *graphic[] = { "graphic-media", NULL };
  WcBlueskyPost post = { 0 };
  guint n = content->attachments != NULL ? content->attachments->len : 0;

  images = g_new0 (WcBlueskyImage, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);

      images[i].path = attachment->path;
      images[i].alt = attachment->alt_text;
    }
  post.text = content->text != NULL ? content->text : "";
  post.langs = content->language != NULL && *content->language != '\0' ? langs : NULL;
  post.labels = (content->content_warning != NULL && *content->content_warning != '\0')
                || wc_outbox_content_is_sensitive (content) ? graphic : NULL;
  post.images = n > 0 ? images : NULL;
  post.n_images = n;
  post.reply_rule = bluesky_reply_rule (content->reply_policy);
  /* images is read when the call starts. */
  wc_bluesky_publish_async (op->bluesky, &post, rkey, op->self->cancellable, on_bluesky_published, op);
}

static void
on_bluesky_record (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  WcScheduler *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = wc_bluesky_get_record_finish (WC_BLUESKY (source), result, NULL, &error);
  g_autofree char *rkey = bluesky_rkey (op->entry);

  if (record != NULL)
    {
      bluesky_mark_sent (op, rkey,
                         op->kind == OP_CHECK ? _("Posted (found after failed attempts)")
                                              : _("Posted (found after a lost answer)"));
      return;
    }
  if (!g_error_matches (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND))
    {
      op_failed (g_steal_pointer (&op), error);
      return;
    }
  if (op->kind == OP_CHECK)
    {
      if (op->then_send)
        begin_send (self, op->entry, OP_SEND);
      else
        hold (self, op->entry);
    }
  else
    {
      /* Not written: it waits again (and is held when overdue). */
      WcOutboxUpdate update = { 0 };

      update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
      update.next_attempt_at = 0;
      move_or_warn (self, op->entry, WC_OUTBOX_STATE_SCHEDULED, &update);
    }
}

static void
bluesky_run (Op *op)
{
  WcScheduler *self = op->self;

  switch (op->kind)
    {
    case OP_SEND:
      bluesky_publish (op);
      break;
    case OP_RECONCILE:
    case OP_CHECK:
    case OP_CONFIRM:
      {
        g_autofree char *rkey = bluesky_rkey (op->entry);

        wc_bluesky_get_record_async (op->bluesky, "app.bsky.feed.post", rkey, self->cancellable,
                                     on_bluesky_record, op);
      }
      break;
    case OP_SERVER:
    case OP_WITHDRAW:
    case OP_RESCHEDULE:
    default:
      {
        g_autoptr(GError) error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                                       _("Bluesky cannot schedule posts on the server."));
        op_failed (op, error);
      }
      break;
    }
}

static void
op_run (Op *op)
{
  WcScheduler *self = op->self;

  if (op->bluesky != NULL)
    {
      bluesky_run (op);
      return;
    }
  if (op->mastodon == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                                     _("Whitecoat cannot post to this network itself."));
      op_failed (op, error);
      return;
    }

  switch (op->kind)
    {
    case OP_SEND:
    case OP_SERVER:
      post_status (op);
      break;
    case OP_RECONCILE:
    case OP_CONFIRM:
      wc_mastodon_list_scheduled_async (op->mastodon, self->cancellable, on_reconcile_scheduled, op);
      break;
    case OP_CHECK:
      look_back (op);
      break;
    case OP_WITHDRAW:
      wc_mastodon_cancel_scheduled_async (op->mastodon, wc_outbox_entry_get_remote_id (op->entry),
                                          self->cancellable, on_withdrawn, op);
      break;
    case OP_RESCHEDULE:
      {
        g_autoptr(GDateTime) when = date_time_utc (op->new_due);

        wc_mastodon_reschedule_async (op->mastodon, wc_outbox_entry_get_remote_id (op->entry), when,
                                      self->cancellable, on_rescheduled, op);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* scheduled|held → sending, then the attempt. The attempt's start is kept
 * in next_attempt_at, for the reconciliation after a crash. */
static void
begin_send (WcScheduler   *self,
            WcOutboxEntry *entry,
            OpKind         kind)
{
  g_autoptr(GError) error = NULL;
  WcOutboxUpdate update = { 0 };

  update.fields = WC_OUTBOX_FIELD_ATTEMPTS | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.attempts = wc_outbox_entry_get_attempts (entry) + 1;
  update.next_attempt_at = wc_clock_get_now (self->clock);
  if (!move (self, entry, WC_OUTBOX_STATE_SENDING, &update, &error))
    {
      g_warning ("Could not start sending: %s", error->message);
      return;
    }
  op_start (op_new (self, entry, kind));
}

/* --- The loop ---------------------------------------------------------- */

static void
on_timer (gpointer user_data)
{
  WcScheduler *self = user_data;

  self->timer_id = 0;
  process (self);
}

static gboolean
on_idle (gpointer user_data)
{
  WcScheduler *self = user_data;

  self->idle_id = 0;
  process (self);
  return G_SOURCE_REMOVE;
}

static void
queue_process (WcScheduler *self)
{
  if (self->idle_id == 0 && self->started)
    self->idle_id = g_idle_add (on_idle, self);
}

static void
arm (WcScheduler *self,
     gint64       at)
{
  if (self->timer_id != 0)
    wc_clock_remove_timer (self->clock, self->timer_id);
  self->timer_id = 0;
  if (at != G_MAXINT64)
    self->timer_id = wc_clock_add_timer (self->clock, at, on_timer, self, NULL);
}

static gboolean
can_schedule_on_server (WcScheduler   *self,
                        WcOutboxEntry *entry,
                        gint64         now)
{
  return network_kind (self, wc_outbox_entry_get_account_id (entry)) == KIND_MASTODON
         && !g_hash_table_contains (self->no_server, id_key (entry))
         && wc_outbox_entry_get_due_at (entry) - now >= WC_SCHEDULER_SERVER_MIN_LEAD
         && wc_outbox_entry_get_next_attempt_at (entry) <= now;
}

/* Looks at every entry that waits, starts what is due, holds what is
 * overdue, and arms one timer for the next thing to do. */
static void
process (WcScheduler *self)
{
  gint64 now, next = G_MAXINT64;
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (!self->started || self->reconciling > 0)
    return;

  now = wc_clock_get_now (self->clock);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (snapshot, g_list_model_get_item (G_LIST_MODEL (self->entries), i));

  for (guint i = 0; i < snapshot->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (snapshot, i);
      gint64 due = wc_outbox_entry_get_due_at (entry);
      gint64 wake = MAX (due, wc_outbox_entry_get_next_attempt_at (entry));

      if (is_busy (self, entry))
        continue;
      /* The rest waits for a free slot: the end of an operation looks
       * again. */
      if (g_hash_table_size (self->busy) >= MAX_CONCURRENT)
        break;

      switch (wc_outbox_entry_get_state (entry))
        {
        case WC_OUTBOX_STATE_SCHEDULED:
          if (is_manual (self, wc_outbox_entry_get_account_id (entry)))
            {
              if (g_hash_table_contains (self->reminded, id_key (entry)))
                break;
              if (now - due > self->hold_after)
                hold (self, entry);
              else if (due <= now)
                {
                  g_hash_table_add (self->reminded, id_key (entry));
                  g_signal_emit (self, signals[REMINDER], 0, entry);
                }
              else
                next = MIN (next, due);
              break;
            }
          if (now - due > self->hold_after)
            {
              /* An attempt whose answer was lost may have posted it: look
               * before holding, so that "Post now" cannot post twice. */
              if (wc_outbox_entry_get_attempts (entry) == 0)
                hold (self, entry);
              else if (wc_outbox_entry_get_next_attempt_at (entry) <= now)
                op_start (op_new (self, entry, OP_CHECK));
              else
                next = MIN (next, wc_outbox_entry_get_next_attempt_at (entry));
            }
          else if (wake <= now && wc_outbox_entry_get_attempts (entry) > 0 && now - due > IDEMPOTENCY_SAFE)
            {
              /* The server may have forgotten the key of an attempt whose
               * answer was lost: look before sending again. */
              Op *op = op_new (self, entry, OP_CHECK);

              op->then_send = TRUE;
              op_start (op);
            }
          else if (wake <= now)
            begin_send (self, entry, OP_SEND);
          else if (can_schedule_on_server (self, entry, now))
            begin_send (self, entry, OP_SERVER);
          else
            next = MIN (next, wake);
          break;

        case WC_OUTBOX_STATE_SERVER_SCHEDULED:
          if (wc_outbox_entry_get_pending_content (entry) != NULL)
            {
              /* A change waits for the server copy's withdrawal, which
               * failed or was cut short by a restart: tried again (after
               * its time, the lookup then finds what the server
               * published). */
              if (wc_outbox_entry_get_next_attempt_at (entry) <= now)
                {
                  Op *op = op_new (self, entry, OP_WITHDRAW);

                  op->after = AFTER_LOCAL;
                  op_start (op);
                }
              else
                next = MIN (next, wc_outbox_entry_get_next_attempt_at (entry));
            }
          else if (due + CONFIRM_DELAY <= now && wc_outbox_entry_get_next_attempt_at (entry) <= now)
            {
              WcOutboxUpdate update = { 0 };

              /* Looked at again in a while if it is not published yet. */
              update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
              update.next_attempt_at = now + RETRY_BASE * 10;
              wc_store_update_outbox_entry (self->store, entry, &update, NULL);
              op_start (op_new (self, entry, OP_CONFIRM));
            }
          else
            next = MIN (next, MAX (due + CONFIRM_DELAY, wc_outbox_entry_get_next_attempt_at (entry)));
          break;

        case WC_OUTBOX_STATE_SENDING:
          /* Left over, and not being sent: an earlier reconciliation could
           * not reach the server. Try it again in a while. */
          if (wc_outbox_entry_get_next_attempt_at (entry) + RETRY_BASE <= now)
            {
              WcOutboxUpdate update = { 0 };

              update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
              update.next_attempt_at = now;
              wc_store_update_outbox_entry (self->store, entry, &update, NULL);
              op_start (op_new (self, entry, OP_RECONCILE));
            }
          else
            next = MIN (next, wc_outbox_entry_get_next_attempt_at (entry) + RETRY_BASE);
          break;

        case WC_OUTBOX_STATE_SENT:
        case WC_OUTBOX_STATE_FAILED:
        case WC_OUTBOX_STATE_HELD:
        case WC_OUTBOX_STATE_CANCELLED:
        default:
          break;
        }
    }
  update_has_local_work (self);
  arm (self, next);
}

static void
on_clock_changed (WcClock *clock,
                  gpointer user_data)
{
  WcScheduler *self = user_data;

  g_debug ("The clock changed: looking at the outbox again");
  process (self);
}

static void
load (WcScheduler *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = wc_store_list_outbox_active (self->store, &error);

  if (active == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return;
    }
  g_list_store_remove_all (self->entries);
  for (guint i = 0; i < active->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (active, i);
      WcOutboxEntry *known = g_hash_table_lookup (self->by_id, id_key (entry));

      if (known != NULL)
        wc_outbox_entry_update_from (known, entry);
      else
        g_hash_table_insert (self->by_id, id_key (entry), g_object_ref (entry));
    }
  /* Already in order of due time. */
  for (guint i = 0; i < active->len; i++)
    {
      WcOutboxEntry *known = g_hash_table_lookup (self->by_id, id_key (g_ptr_array_index (active, i)));

      g_list_store_append (self->entries, known);
    }
}

/* --- Overrides --------------------------------------------------------- */

static void
wc_scheduler_dispose (GObject *object)
{
  WcScheduler *self = WC_SCHEDULER (object);

  wc_scheduler_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (wc_scheduler_parent_class)->dispose (object);
}

static void
wc_scheduler_finalize (GObject *object)
{
  WcScheduler *self = WC_SCHEDULER (object);

  g_clear_object (&self->entries);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->reminded, g_hash_table_unref);
  g_clear_pointer (&self->no_server, g_hash_table_unref);
  g_clear_pointer (&self->networks, g_hash_table_unref);
  g_clear_pointer (&self->manual, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wc_scheduler_parent_class)->finalize (object);
}

static void
wc_scheduler_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WcScheduler *self = WC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_HAS_LOCAL_WORK:
      g_value_set_boolean (value, self->has_local_work);
      break;
    case PROP_HOLD_AFTER:
      g_value_set_int64 (value, self->hold_after);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_scheduler_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WcScheduler *self = WC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_HOLD_AFTER:
      wc_scheduler_set_hold_after (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_scheduler_class_init (WcSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_scheduler_dispose;
  object_class->finalize = wc_scheduler_finalize;
  object_class->get_property = wc_scheduler_get_property;
  object_class->set_property = wc_scheduler_set_property;

  properties[PROP_HAS_LOCAL_WORK] =
    g_param_spec_boolean ("has-local-work", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOLD_AFTER] =
    g_param_spec_int64 ("hold-after", NULL, NULL, 0, G_MAXINT64, 3600,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENTRY_SENT] = g_signal_new ("entry-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_OUTBOX_ENTRY);
  signals[ENTRY_FAILED] = g_signal_new ("entry-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_OUTBOX_ENTRY);
  signals[ENTRY_HELD] = g_signal_new ("entry-held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_OUTBOX_ENTRY);
  signals[REMINDER] = g_signal_new ("reminder", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, WC_TYPE_OUTBOX_ENTRY);
}

static void
wc_scheduler_init (WcScheduler *self)
{
  self->entries = g_list_store_new (WC_TYPE_OUTBOX_ENTRY);
  self->by_id = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->busy = g_hash_table_new (NULL, NULL);
  self->reminded = g_hash_table_new (NULL, NULL);
  self->no_server = g_hash_table_new (NULL, NULL);
  self->networks = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->manual = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  self->hold_after = 3600;
}

/* --- Public ------------------------------------------------------------ */

/**
 * wc_scheduler_new:
 *
 * Returns: (transfer full): a scheduler over the outbox of @store; it reads
 *   the entries at once, and acts after wc_scheduler_start()
 */
WcScheduler *
wc_scheduler_new (WcStore *store,
                  WcClock *clock)
{
  WcScheduler *self;

  g_return_val_if_fail (WC_IS_STORE (store), NULL);
  g_return_val_if_fail (WC_IS_CLOCK (clock), NULL);

  self = g_object_new (WC_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  load (self);
  update_has_local_work (self);
  return self;
}

/**
 * wc_scheduler_start:
 *
 * Entries left in "sending" by an earlier run are looked up on their
 * servers first; only then is anything sent.
 */
void
wc_scheduler_start (WcScheduler *self)
{
  g_autoptr(GPtrArray) sending = NULL;

  g_return_if_fail (WC_IS_SCHEDULER (self));
  if (self->started)
    return;
  self->started = TRUE;
  g_cancellable_reset (self->cancellable);
  self->changed_id = g_signal_connect (self->clock, "changed", G_CALLBACK (on_clock_changed), self);

  /* Cancelled entries stay a day, for undo. */
  wc_store_purge_outbox (self->store, g_get_real_time () / G_USEC_PER_SEC - 24 * 3600, NULL);

  sending = wc_store_list_outbox_in_state (self->store, WC_OUTBOX_STATE_SENDING, NULL);
  for (guint i = 0; sending != NULL && i < sending->len; i++)
    {
      WcOutboxEntry *entry = adopt (self, g_ptr_array_index (sending, i));
      Op *op = op_new (self, entry, OP_RECONCILE);

      op->at_start = TRUE;
      self->reconciling++;
      op_start (op);
    }
  /* The reconciliation ends when every op released its entry's mark. */
  if (self->reconciling == 0)
    process (self);
}

void
wc_scheduler_stop (WcScheduler *self)
{
  g_return_if_fail (WC_IS_SCHEDULER (self));

  if (!self->started)
    return;
  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->changed_id != 0)
    g_signal_handler_disconnect (self->clock, self->changed_id);
  self->changed_id = 0;
  arm (self, G_MAXINT64);
  g_clear_handle_id (&self->idle_id, g_source_remove);
}

/**
 * wc_scheduler_get_entries:
 *
 * Returns: (transfer none): a #GListModel of #WcOutboxEntry
 */
GListModel *
wc_scheduler_get_entries (WcScheduler *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), NULL);
  return G_LIST_MODEL (self->entries);
}

/**
 * wc_scheduler_list_for_draft:
 *
 * Returns: (transfer full) (element-type WcOutboxEntry): the draft's
 *   entries, every state, the same objects as in the model
 */
GPtrArray *
wc_scheduler_list_for_draft (WcScheduler *self,
                             gint64       draft_id)
{
  g_autoptr(GPtrArray) stored = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (WC_IS_SCHEDULER (self), entries);

  stored = wc_store_list_outbox_for_draft (self->store, draft_id, NULL);
  for (guint i = 0; stored != NULL && i < stored->len; i++)
    g_ptr_array_add (entries, g_object_ref (adopt (self, g_ptr_array_index (stored, i))));
  return entries;
}

gboolean
wc_scheduler_get_has_local_work (WcScheduler *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  return self->has_local_work;
}

void
wc_scheduler_set_hold_after (WcScheduler *self,
                             gint64       seconds)
{
  g_return_if_fail (WC_IS_SCHEDULER (self));

  seconds = MAX (seconds, 0);
  if (self->hold_after == seconds)
    return;
  self->hold_after = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD_AFTER]);
  queue_process (self);
}

gint64
wc_scheduler_get_hold_after (WcScheduler *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), 0);
  return self->hold_after;
}

gboolean
wc_scheduler_is_busy (WcScheduler *self)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  return g_hash_table_size (self->busy) > 0 || self->idle_id != 0;
}

/**
 * wc_scheduler_lookup:
 *
 * Returns: (transfer none) (nullable): the entry with that id, if known
 */
WcOutboxEntry *
wc_scheduler_lookup (WcScheduler *self,
                     gint64       entry_id)
{
  WcOutboxEntry *known;
  g_autoptr(WcOutboxEntry) stored = NULL;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), NULL);

  known = g_hash_table_lookup (self->by_id, GINT_TO_POINTER ((int) entry_id));
  if (known != NULL)
    return known;
  stored = wc_store_get_outbox_entry (self->store, entry_id, NULL);
  return stored != NULL ? adopt (self, stored) : NULL;
}

void
wc_scheduler_set_network (WcScheduler *self,
                          gint64       account_id,
                          WcNetwork   *network)
{
  g_return_if_fail (WC_IS_SCHEDULER (self));
  g_return_if_fail (WC_IS_NETWORK (network));

  g_hash_table_replace (self->networks, GINT_TO_POINTER ((int) account_id), g_object_ref (network));
  g_hash_table_remove (self->manual, GINT_TO_POINTER ((int) account_id));
}

static gboolean
refuse_busy (WcScheduler    *self,
             WcOutboxEntry  *entry,
             GError        **error)
{
  if (!is_busy (self, entry))
    return FALSE;
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                       _("Whitecoat is talking to the server about this post. Try again in a moment."));
  return TRUE;
}

/**
 * wc_scheduler_schedule_draft:
 * @due_at: UTC seconds; 0 (or a time passed) = now
 *
 * Returns: whether an entry was stored for every target
 */
gboolean
wc_scheduler_schedule_draft (WcScheduler  *self,
                             WcDraft      *draft,
                             gint64        due_at,
                             GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *targets;
  gint64 now;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_DRAFT (draft), FALSE);

  targets = wc_draft_get_targets (draft);
  if (targets->len == 0)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                           _("Choose at least one account to post to."));
      return FALSE;
    }
  now = wc_clock_get_now (self->clock);
  if (due_at <= 0 || due_at < now)
    due_at = now;

  for (guint i = 0; i < targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (targets, i);
      g_autoptr(WcOutboxContent) content = wc_outbox_content_new_from_draft (draft, target->account_id);

      g_ptr_array_add (entries, wc_outbox_entry_new (wc_draft_get_id (draft), target->account_id,
                                                     wc_draft_get_identity (draft), due_at, content));
    }
  if (!wc_store_add_outbox_entries (self->store, entries, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    adopt (self, g_ptr_array_index (entries, i));
  update_has_local_work (self);
  queue_process (self);
  return TRUE;
}

/**
 * wc_scheduler_update_content:
 *
 * Entries waiting here get the new content at once; one on the server is
 * withdrawn and scheduled again with it (Mastodon cannot edit a scheduled
 * status); entries being sent, sent, failed or cancelled keep theirs.
 */
gboolean
wc_scheduler_update_content (WcScheduler  *self,
                             WcDraft      *draft,
                             GError      **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_DRAFT (draft), FALSE);

  entries = wc_scheduler_list_for_draft (self, wc_draft_get_id (draft));
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);
      WcOutboxState state = wc_outbox_entry_get_state (entry);
      g_autoptr(WcOutboxContent) content = NULL;
      WcOutboxUpdate update = { 0 };

      const WcOutboxContent *pending;

      /* A failed entry takes the change too, so that "Retry" sends the
       * corrected post. */
      if (state != WC_OUTBOX_STATE_SCHEDULED && state != WC_OUTBOX_STATE_HELD
          && state != WC_OUTBOX_STATE_SERVER_SCHEDULED && state != WC_OUTBOX_STATE_FAILED)
        continue;
      if (wc_draft_find_target (draft, wc_outbox_entry_get_account_id (entry)) == NULL)
        continue;
      if (refuse_busy (self, entry, error))
        return FALSE;
      content = wc_outbox_content_new_from_draft (draft, wc_outbox_entry_get_account_id (entry));
      pending = wc_outbox_entry_get_pending_content (entry);
      if (wc_outbox_content_equal (content, pending != NULL ? pending : wc_outbox_entry_get_content (entry))
          && content->attachments->len == 0)
        continue;
      if (state == WC_OUTBOX_STATE_SERVER_SCHEDULED)
        {
          /* Mastodon cannot edit a scheduled status: the server copy is
           * withdrawn first, and only then does the entry take the new
           * content. Until then it keeps the content the server has, so
           * that if the server published it meanwhile, that is what is
           * found, and nothing is posted twice. The change is stored
           * first: a restart in between withdraws and applies it. */
          Op *op;

          update.fields = WC_OUTBOX_FIELD_PENDING_CONTENT;
          update.pending_content = content;
          if (!wc_store_update_outbox_entry (self->store, entry, &update, error))
            return FALSE;
          op = op_new (self, entry, OP_WITHDRAW);
          op->after = AFTER_LOCAL;
          g_hash_table_remove (self->no_server, id_key (entry));
          op_start (op);
          continue;
        }
      update.fields = WC_OUTBOX_FIELD_CONTENT;
      update.content = content;
      if (!wc_store_update_outbox_entry (self->store, entry, &update, error))
        return FALSE;
    }
  queue_process (self);
  return TRUE;
}

/**
 * wc_scheduler_post_now:
 *
 * Sends a scheduled, held (or, after withdrawing it, server-scheduled)
 * entry now.
 */
gboolean
wc_scheduler_post_now (WcScheduler    *self,
                       WcOutboxEntry  *entry,
                       GError        **error)
{
  WcOutboxState state;
  gint64 now;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  if (refuse_busy (self, entry, error))
    return FALSE;
  state = wc_outbox_entry_get_state (entry);
  now = wc_clock_get_now (self->clock);

  if (state == WC_OUTBOX_STATE_SERVER_SCHEDULED)
    {
      Op *op = op_new (self, entry, OP_WITHDRAW);

      op->after = AFTER_LOCAL;
      op->new_due = now;
      g_hash_table_add (self->no_server, id_key (entry));
      op_start (op);
      return TRUE;
    }
  if (state == WC_OUTBOX_STATE_FAILED)
    return wc_scheduler_retry (self, entry, error);
  if (state != WC_OUTBOX_STATE_SCHEDULED && state != WC_OUTBOX_STATE_HELD)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                           _("This post cannot be sent now in its present state."));
      return FALSE;
    }
  if (is_manual (self, wc_outbox_entry_get_account_id (entry)))
    {
      WcOutboxUpdate update = { 0 };

      update.fields = WC_OUTBOX_FIELD_DUE_AT;
      update.due_at = now;
      if (state == WC_OUTBOX_STATE_HELD
          ? !move (self, entry, WC_OUTBOX_STATE_SCHEDULED, &update, error)
          : !wc_store_update_outbox_entry (self->store, entry, &update, error))
        return FALSE;
      g_hash_table_remove (self->reminded, id_key (entry));
      place (self, entry);
      queue_process (self);
      return TRUE;
    }

  /* Its time is now: the post goes out as it is, not late. */
  {
    WcOutboxUpdate update = { 0 };

    update.fields = WC_OUTBOX_FIELD_DUE_AT | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
    update.due_at = now;
    update.next_attempt_at = 0;
    if (!wc_store_update_outbox_entry (self->store, entry, &update, error))
      return FALSE;
  }
  g_hash_table_add (self->no_server, id_key (entry));
  begin_send (self, entry, OP_SEND);
  return wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SENDING
         || wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SENT;
}

/**
 * wc_scheduler_reschedule:
 * @due_at: UTC seconds
 *
 * A new time. On the server it is moved there (PUT) when it stays at
 * least WC_SCHEDULER_SERVER_MIN_LEAD ahead, withdrawn to be sent from here
 * otherwise. A held or failed entry is scheduled again.
 */
gboolean
wc_scheduler_reschedule (WcScheduler    *self,
                         WcOutboxEntry  *entry,
                         gint64          due_at,
                         GError        **error)
{
  WcOutboxState state;
  WcOutboxUpdate update = { 0 };
  gint64 now;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  if (refuse_busy (self, entry, error))
    return FALSE;
  now = wc_clock_get_now (self->clock);
  due_at = MAX (due_at, now);
  state = wc_outbox_entry_get_state (entry);

  if (state == WC_OUTBOX_STATE_SERVER_SCHEDULED)
    {
      Op *op;

      if (due_at - now >= WC_SCHEDULER_SERVER_MIN_LEAD)
        {
          op = op_new (self, entry, OP_RESCHEDULE);
          op->new_due = due_at;
        }
      else
        {
          op = op_new (self, entry, OP_WITHDRAW);
          op->after = AFTER_LOCAL;
          op->new_due = due_at;
          g_hash_table_add (self->no_server, id_key (entry));
        }
      op_start (op);
      return TRUE;
    }

  update.fields = WC_OUTBOX_FIELD_DUE_AT | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_REASON;
  update.due_at = due_at;
  update.next_attempt_at = 0;
  update.reason = NULL;
  g_hash_table_remove (self->no_server, id_key (entry));
  g_hash_table_remove (self->reminded, id_key (entry));
  if (state == WC_OUTBOX_STATE_SCHEDULED)
    {
      if (!wc_store_update_outbox_entry (self->store, entry, &update, error))
        return FALSE;
    }
  else if (state == WC_OUTBOX_STATE_HELD || state == WC_OUTBOX_STATE_FAILED
           || state == WC_OUTBOX_STATE_CANCELLED)
    {
      if (!wc_store_move_outbox_entry (self->store, entry, WC_OUTBOX_STATE_SCHEDULED, &update, error))
        return FALSE;
    }
  else
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                           _("This post cannot get another time in its present state."));
      return FALSE;
    }
  place (self, entry);
  update_has_local_work (self);
  queue_process (self);
  return TRUE;
}

/**
 * wc_scheduler_cancel:
 *
 * Cancels a waiting entry; one on the server is deleted there first.
 */
gboolean
wc_scheduler_cancel (WcScheduler    *self,
                     WcOutboxEntry  *entry,
                     GError        **error)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  if (refuse_busy (self, entry, error))
    return FALSE;
  if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SERVER_SCHEDULED)
    {
      Op *op;

      /* A change waiting for a withdrawal is dropped with the post, at
       * once: a failed withdrawal must not apply it after all. */
      if (wc_outbox_entry_get_pending_content (entry) != NULL)
        {
          WcOutboxUpdate update = { 0 };

          update.fields = WC_OUTBOX_FIELD_PENDING_CONTENT;
          update.pending_content = NULL;
          if (!wc_store_update_outbox_entry (self->store, entry, &update, error))
            return FALSE;
        }
      op = op_new (self, entry, OP_WITHDRAW);
      op->after = AFTER_CANCEL;
      op_start (op);
      return TRUE;
    }
  if (!move (self, entry, WC_OUTBOX_STATE_CANCELLED, NULL, error))
    return FALSE;
  g_hash_table_remove (self->reminded, id_key (entry));
  queue_process (self);
  return TRUE;
}

gboolean
wc_scheduler_uncancel (WcScheduler    *self,
                       WcOutboxEntry  *entry,
                       GError        **error)
{
  gint64 now;
  WcOutboxUpdate update = { 0 };

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  now = wc_clock_get_now (self->clock);
  update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.next_attempt_at = 0;
  g_hash_table_remove (self->no_server, id_key (entry));
  if (!move (self, entry,
             wc_outbox_entry_get_due_at (entry) < now ? WC_OUTBOX_STATE_HELD : WC_OUTBOX_STATE_SCHEDULED,
             &update, error))
    return FALSE;
  queue_process (self);
  return TRUE;
}

gboolean
wc_scheduler_retry (WcScheduler    *self,
                    WcOutboxEntry  *entry,
                    GError        **error)
{
  WcOutboxUpdate update = { 0 };
  gint64 now;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  if (wc_outbox_entry_get_state (entry) != WC_OUTBOX_STATE_FAILED)
    return wc_scheduler_post_now (self, entry, error);
  now = wc_clock_get_now (self->clock);
  /* Retried by the user: its time is now, whatever it was. */
  update.fields = WC_OUTBOX_FIELD_DUE_AT | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT | WC_OUTBOX_FIELD_REASON
                  | WC_OUTBOX_FIELD_ATTEMPTS;
  update.due_at = MAX (wc_outbox_entry_get_due_at (entry), now);
  update.next_attempt_at = 0;
  update.reason = NULL;
  update.attempts = 0;
  if (!move (self, entry, WC_OUTBOX_STATE_SCHEDULED, &update, error))
    return FALSE;
  queue_process (self);
  return TRUE;
}

gboolean
wc_scheduler_mark_done (WcScheduler    *self,
                        WcOutboxEntry  *entry,
                        GError        **error)
{
  WcOutboxState state;

  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (entry), FALSE);

  state = wc_outbox_entry_get_state (entry);
  if (!is_manual (self, wc_outbox_entry_get_account_id (entry))
      || (state != WC_OUTBOX_STATE_SCHEDULED && state != WC_OUTBOX_STATE_HELD))
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID,
                           _("Only a post Whitecoat reminded you of can be marked as done."));
      return FALSE;
    }
  /* Translators: in the audit log, a post to a network without an API
   * that the user marked as done after posting it themselves */
  mark_sent (self, entry, NULL, NULL, _("Posted by hand"));
  if (wc_outbox_entry_get_state (entry) != WC_OUTBOX_STATE_SENT)
    {
      g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED,
                           _("Whitecoat could not record the post as done."));
      return FALSE;
    }
  queue_process (self);
  return TRUE;
}

gboolean
wc_scheduler_snooze (WcScheduler    *self,
                     WcOutboxEntry  *entry,
                     gint64          seconds,
                     GError        **error)
{
  g_return_val_if_fail (WC_IS_SCHEDULER (self), FALSE);
  return wc_scheduler_reschedule (self, entry, wc_clock_get_now (self->clock) + MAX (seconds, 60), error);
}
