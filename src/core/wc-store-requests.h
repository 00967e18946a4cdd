/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "wc-store.h"

G_BEGIN_DECLS

/* The store's part for follow and friend requests. The doctor's "not a
 * patient" answers are person tags (tag "not-patient", which versions that
 * do not know it skip), and every answer goes to the audit log, described
 * without the person's name. Since schema 7 each request is also kept by
 * the requester's opaque id on the server (never a name or handle): when
 * it was first seen, when a warning was raised about it, and how it was
 * answered, so that a warning is raised once per request, also across
 * restarts. */

#define WC_PERSON_TAG_NOT_PATIENT_ID "not-patient"

gboolean    wc_store_set_not_patient        (WcStore        *self,
                                             const char     *hash,
                                             GError        **error);
GHashTable *wc_store_load_not_patients      (WcStore        *self,
                                             GError        **error);

/* What the doctor did with a request or a follower. */
typedef enum
{
  WC_REQUEST_ANSWER_ACCEPT,
  WC_REQUEST_ANSWER_DECLINE,
  WC_REQUEST_ANSWER_DECLINE_AND_POINT,  /* declined, with a private message pointing to the professional account */
  WC_REQUEST_ANSWER_BLOCK,
  WC_REQUEST_ANSWER_REMOVE_FOLLOWER,
  WC_REQUEST_ANSWER_TAG_PATIENT,
  WC_REQUEST_ANSWER_TAG_NOT_PATIENT,
  WC_REQUEST_ANSWER_CHECKED,            /* a manual check of a typed name, handle or e-mail */
  WC_REQUEST_ANSWER_MUTE,               /* a new follower muted (Bluesky; private) */
} WcRequestAnswer;

const char *wc_request_answer_to_string     (WcRequestAnswer  answer);

/* One line in the audit log (kind "request"). @person_hash is the keyed
 * hash of the person (or NULL); only its first 12 digits are written, so
 * that entries about one person can be told apart without naming them.
 * @verdict is the screening's plain words, @network the network's name. */
gboolean    wc_store_append_request_audit   (WcStore        *self,
                                             gint64          account_id,
                                             WcIdentityKind  identity,
                                             const char     *network,
                                             WcRequestAnswer answer,
                                             const char     *verdict,
                                             const char     *person_hash,
                                             const char     *reason,
                                             GError        **error);

/* What Whitecoat knows of one follow request. */
typedef struct
{
  gint64  account_id;
  char   *remote_id;    /* the requester's account id on the server */
  gint64  first_seen;   /* seconds since the epoch */
  gint64  notified_at;  /* 0: no warning was raised */
  gint64  answered_at;  /* 0: not answered through Whitecoat */
  char   *answer;       /* wc_request_answer_to_string(), or NULL */
} WcFollowRequestRecord;

void                   wc_follow_request_record_free          (WcFollowRequestRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcFollowRequestRecord, wc_follow_request_record_free)

gboolean               wc_store_note_follow_requests          (WcStore         *self,
                                                               gint64           account_id,
                                                               const char * const *remote_ids,
                                                               GError         **error);
gboolean               wc_store_mark_follow_request_notified  (WcStore         *self,
                                                               gint64           account_id,
                                                               const char      *remote_id,
                                                               gboolean        *first_time,
                                                               GError         **error);
gboolean               wc_store_record_follow_request_answer  (WcStore         *self,
                                                               gint64           account_id,
                                                               const char      *remote_id,
                                                               WcRequestAnswer  answer,
                                                               GError         **error);
WcFollowRequestRecord *wc_store_load_follow_request           (WcStore         *self,
                                                               gint64           account_id,
                                                               const char      *remote_id,
                                                               GError         **error);

G_END_DECLS
