/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-outbox.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* The outbox table. Every call is one transaction; a move the state machine
 * does not allow, or one from a state the entry is no longer in, is refused
 * with WC_STORE_ERROR_INVALID and changes nothing.
 *
 * An entry's images are its own: when entries are added, each attachment is
 * re-encoded without metadata, in memory, and sealed with the data key into
 * the store's images folder ("outbox-<key>-<batch>-<n>.sealed"; uploads open
 * them in memory, wc_crypto_unseal_data()), so deleting or editing the draft
 * later does not touch them. They are deleted when the entry is sent, and
 * when a cancelled entry is purged.
 *
 * An entry's content (the post as scheduled) is sealed in the database; the
 * calls that read or write it fail with WC_STORE_ERROR_LOCKED until the
 * store has its data key (wc_store_set_data_key()). */

/* Which fields of a WcOutboxUpdate to write. */
typedef enum /*< flags >*/
{
  WC_OUTBOX_FIELD_NONE            = 0,
  WC_OUTBOX_FIELD_DUE_AT          = 1 << 0,
  WC_OUTBOX_FIELD_ATTEMPTS        = 1 << 1,
  WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT = 1 << 2,
  WC_OUTBOX_FIELD_REMOTE_ID       = 1 << 3,
  WC_OUTBOX_FIELD_REMOTE_URL      = 1 << 4,
  WC_OUTBOX_FIELD_REASON          = 1 << 5,
  WC_OUTBOX_FIELD_SENT_AT         = 1 << 6,
  WC_OUTBOX_FIELD_CONTENT         = 1 << 7,
  WC_OUTBOX_FIELD_IDEMPOTENCY_KEY = 1 << 8,
  WC_OUTBOX_FIELD_PENDING_CONTENT = 1 << 9,
  WC_OUTBOX_FIELD_MEDIA           = 1 << 10,
} WcOutboxFields;

/* Three rules hold whatever an update says:
 *  - a change waiting for a withdrawal (pending content) exists only in
 *    state "server-scheduled": a move to any other state drops it, so the
 *    move that ends the wait writes it as the content in the same update;
 *  - media are the uploads of the content: new content without new media
 *    drops them;
 *  - images of new content or pending content that are the entry's own
 *    already (pending content becoming the content) are kept as they are,
 *    not copied again; the others are copied as for new entries. Images
 *    the entry no longer uses are deleted once the update is committed. */

typedef struct
{
  WcOutboxFields         fields;
  gint64                 due_at;
  guint                  attempts;
  gint64                 next_attempt_at;  /* 0 = none */
  const char            *remote_id;        /* NULL clears */
  const char            *remote_url;
  const char            *reason;
  gint64                 sent_at;
  const WcOutboxContent *content;          /* images copied as for new entries */
  const char            *idempotency_key;  /* a new key, once a server copy is gone */
  const WcOutboxContent *pending_content;  /* NULL clears; server-scheduled only */
  const WcOutboxMedia   *media;            /* NULL clears */
} WcOutboxUpdate;

/* Stores new entries (state "scheduled"), all or none, and gives them
 * their ids. Copies their images first (blocking: re-encoding). */
gboolean       wc_store_add_outbox_entries     (WcStore              *self,
                                                GPtrArray            *entries,
                                                GError              **error);
/* Moves @entry from its state to @to and writes @update (nullable), if the
 * row is still in the state @entry shows; then updates @entry in place. */
gboolean       wc_store_move_outbox_entry      (WcStore              *self,
                                                WcOutboxEntry        *entry,
                                                WcOutboxState         to,
                                                const WcOutboxUpdate *update,
                                                GError              **error);
/* Writes @update without a change of state, under the same check. */
gboolean       wc_store_update_outbox_entry    (WcStore              *self,
                                                WcOutboxEntry        *entry,
                                                const WcOutboxUpdate *update,
                                                GError              **error);
WcOutboxEntry *wc_store_get_outbox_entry       (WcStore              *self,
                                                gint64                id,
                                                GError              **error);
/* Due in [@from, @to), ordered by due time then id; every state. */
GPtrArray     *wc_store_list_outbox            (WcStore              *self,
                                                gint64                from,
                                                gint64                to,
                                                GError              **error);
/* Scheduled, due at or before @now, and not waiting for a retry later
 * than @now; ordered by due time. */
GPtrArray     *wc_store_list_outbox_due        (WcStore              *self,
                                                gint64                now,
                                                GError              **error);
GPtrArray     *wc_store_list_outbox_in_state   (WcStore              *self,
                                                WcOutboxState         state,
                                                GError              **error);
GPtrArray     *wc_store_list_outbox_for_draft  (WcStore              *self,
                                                gint64                draft_id,
                                                GError              **error);
/* Every entry that is not cancelled, ordered by due time (the scheduled
 * view's model). */
GPtrArray     *wc_store_list_outbox_active     (WcStore              *self,
                                                GError              **error);
/* When the next scheduled entry needs the scheduler: its due time, or its
 * next attempt when that is later. FALSE when nothing is scheduled. */
gboolean       wc_store_get_next_outbox_time   (WcStore              *self,
                                                gint64               *at,
                                                GError              **error);
/* Deletes cancelled entries last changed before @before, with their
 * images, and the images of sent entries. Returns how many rows went. */
guint          wc_store_purge_outbox           (WcStore              *self,
                                                gint64                before,
                                                GError              **error);
guint          wc_store_count_outbox           (WcStore              *self);

G_END_DECLS
