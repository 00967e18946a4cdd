/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-draft.h"
#include "wc-identity.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* The outbox: one entry per draft × target account, holding the post as it
 * was when it was scheduled. Every change of state is one transaction, and
 * only the moves wc_outbox_state_can_move() allows are made. */

typedef enum
{
  WC_OUTBOX_STATE_SCHEDULED,         /* Whitecoat will send it, or remind (manual networks) */
  WC_OUTBOX_STATE_SERVER_SCHEDULED,  /* the network holds it and publishes it */
  WC_OUTBOX_STATE_SENDING,           /* an attempt is under way or its answer was lost */
  WC_OUTBOX_STATE_SENT,              /* remote id and URL known (manual: marked done) */
  WC_OUTBOX_STATE_FAILED,            /* will not work; the reason is in plain words */
  WC_OUTBOX_STATE_HELD,              /* found overdue; waits for the user */
  WC_OUTBOX_STATE_CANCELLED,
} WcOutboxState;

const char *wc_outbox_state_to_string   (WcOutboxState  state);
gboolean    wc_outbox_state_from_string (const char    *string,
                                         WcOutboxState *state);
gboolean    wc_outbox_state_can_move    (WcOutboxState  from,
                                         WcOutboxState  to);

/* The post as scheduled: what is sent, whatever happens to the draft later. */
typedef struct
{
  char      *text;
  char      *content_warning;
  char      *visibility;      /* the network's audience id, e.g. "public" */
  char      *language;        /* ISO 639-1, or NULL */
  WcReplyPolicy reply_policy;  /* who may reply where the network lets the author say */
  GPtrArray *attachments;     /* WcAttachment; paths of metadata-free copies */
} WcOutboxContent;

WcOutboxContent *wc_outbox_content_new_from_draft (WcDraft               *draft,
                                                   gint64                 account_id);
WcOutboxContent *wc_outbox_content_copy           (const WcOutboxContent *content);
void             wc_outbox_content_free           (WcOutboxContent       *content);
char            *wc_outbox_content_to_json        (const WcOutboxContent *content);
WcOutboxContent *wc_outbox_content_new_from_json  (const char            *json,
                                                   GError               **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcOutboxContent, wc_outbox_content_free)

#define WC_TYPE_OUTBOX_ENTRY (wc_outbox_entry_get_type ())
G_DECLARE_FINAL_TYPE (WcOutboxEntry, wc_outbox_entry, WC, OUTBOX_ENTRY, GObject)

/* Properties (all readable, notify on change): id, draft-id, account-id,
 * identity, state, due-at (UTC seconds), attempts, next-attempt-at,
 * remote-id, remote-url, reason, sent-at, idempotency-key. */
WcOutboxEntry         *wc_outbox_entry_new                 (gint64           draft_id,
                                                            gint64           account_id,
                                                            WcIdentityKind   identity,
                                                            gint64           due_at,
                                                            WcOutboxContent *content);
gint64                 wc_outbox_entry_get_id              (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_draft_id        (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_account_id      (WcOutboxEntry   *self);
WcIdentityKind         wc_outbox_entry_get_identity        (WcOutboxEntry   *self);
WcOutboxState          wc_outbox_entry_get_state           (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_due_at          (WcOutboxEntry   *self);
const WcOutboxContent *wc_outbox_entry_get_content         (WcOutboxEntry   *self);
const char            *wc_outbox_entry_get_idempotency_key (WcOutboxEntry   *self);
guint                  wc_outbox_entry_get_attempts        (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_next_attempt_at (WcOutboxEntry   *self);
const char            *wc_outbox_entry_get_remote_id       (WcOutboxEntry   *self);
const char            *wc_outbox_entry_get_remote_url      (WcOutboxEntry   *self);
const char            *wc_outbox_entry_get_reason          (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_sent_at         (WcOutboxEntry   *self);

/* Added by the implementation (H2). */

/* The states an entry is still to be posted in: scheduled,
 * server-scheduled, sending, held. */
gboolean               wc_outbox_state_is_pending          (WcOutboxState    state);
/* A label for the UI ("Scheduled", "Scheduled on the server" …). */
const char            *wc_outbox_state_get_label           (WcOutboxState    state);
gboolean               wc_outbox_content_equal             (const WcOutboxContent *a,
                                                            const WcOutboxContent *b);
/* Whether a Mastodon post should be marked sensitive: a clinical image. */
gboolean               wc_outbox_content_is_sensitive      (const WcOutboxContent *content);

/* The images of a Mastodon post as uploaded (added by H1). Media ids are
 * the server's own: a status that carries them is this post. */
typedef struct
{
  gint64  uploaded_at;  /* UTC seconds: when the first of @ids was uploaded */
  GStrv   ids;          /* posted with, in the order of the images; fewer while uploading */
  GStrv   earlier;      /* earlier uploads of the same content, no longer posted with */
} WcOutboxMedia;

WcOutboxMedia *wc_outbox_media_new           (gint64                uploaded_at,
                                              const char * const   *ids,
                                              const char * const   *earlier);
WcOutboxMedia *wc_outbox_media_copy          (const WcOutboxMedia  *media);
void           wc_outbox_media_free          (WcOutboxMedia        *media);
/* Whether @id is one of the uploads, current or earlier. */
gboolean       wc_outbox_media_contains      (const WcOutboxMedia  *media,
                                              const char           *id);
char          *wc_outbox_media_to_json       (const WcOutboxMedia  *media);
WcOutboxMedia *wc_outbox_media_new_from_json (const char           *json,
                                              GError              **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcOutboxMedia, wc_outbox_media_free)

gint64                 wc_outbox_entry_get_created_at      (WcOutboxEntry   *self);
gint64                 wc_outbox_entry_get_updated_at      (WcOutboxEntry   *self);
/* A change of content that waits for the withdrawal of the copy the
 * server holds (Mastodon cannot edit a scheduled status): only ever in
 * state "server-scheduled"; NULL when there is none. */
const WcOutboxContent *wc_outbox_entry_get_pending_content (WcOutboxEntry   *self);
/* What was uploaded for the content as it is (nullable). */
const WcOutboxMedia   *wc_outbox_entry_get_media           (WcOutboxEntry   *self);
/* Copies every field of @from (a fresher copy of the same entry, e.g. read
 * again from the store) into @self, notifying what changed. */
void                   wc_outbox_entry_update_from         (WcOutboxEntry   *self,
                                                            WcOutboxEntry   *from);

G_END_DECLS
