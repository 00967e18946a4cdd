/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-outbox.h"

G_BEGIN_DECLS

/* For the store (wc-store-outbox.c), which is the only writer of an
 * entry's persistent fields. Each setter notifies only on a real change. */

void _wc_outbox_entry_set_id              (WcOutboxEntry   *self,
                                           gint64           id);
void _wc_outbox_entry_set_draft_id        (WcOutboxEntry   *self,
                                           gint64           draft_id);
void _wc_outbox_entry_set_state           (WcOutboxEntry   *self,
                                           WcOutboxState    state);
void _wc_outbox_entry_set_due_at          (WcOutboxEntry   *self,
                                           gint64           due_at);
void _wc_outbox_entry_set_idempotency_key (WcOutboxEntry   *self,
                                           const char      *key);
void _wc_outbox_entry_set_attempts        (WcOutboxEntry   *self,
                                           guint            attempts);
void _wc_outbox_entry_set_next_attempt_at (WcOutboxEntry   *self,
                                           gint64           at);
void _wc_outbox_entry_set_remote_id       (WcOutboxEntry   *self,
                                           const char      *remote_id);
void _wc_outbox_entry_set_remote_url      (WcOutboxEntry   *self,
                                           const char      *remote_url);
void _wc_outbox_entry_set_reason          (WcOutboxEntry   *self,
                                           const char      *reason);
void _wc_outbox_entry_set_sent_at         (WcOutboxEntry   *self,
                                           gint64           sent_at);
void _wc_outbox_entry_set_updated_at      (WcOutboxEntry   *self,
                                           gint64           updated_at);
/* Account, identity and creation time, set once when a row is read. */
void _wc_outbox_entry_set_row_identity    (WcOutboxEntry   *self,
                                           gint64           account_id,
                                           WcIdentityKind   identity,
                                           gint64           created_at);
/* Takes @content. */
void _wc_outbox_entry_take_content        (WcOutboxEntry   *self,
                                           WcOutboxContent *content);
/* Take @content (nullable) and @media (nullable). */
void _wc_outbox_entry_take_pending_content (WcOutboxEntry   *self,
                                            WcOutboxContent *content);
void _wc_outbox_entry_take_media          (WcOutboxEntry   *self,
                                           WcOutboxMedia   *media);

G_END_DECLS
