/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-identity.h"

G_BEGIN_DECLS

/* A target: one account of the draft's identity, with the visibility chosen
 * among those its network offers (data/networks/<id>.json "audience"). */
typedef struct
{
  gint64  account_id;
  char   *visibility;
} WcDraftTarget;

/* An image added to a draft. */
typedef struct
{
  char    *path;
  char    *alt_text;
  gboolean clinical;
  gint64   consent_at;  /* when consent and de-identification were confirmed; 0 = not yet */
  char    *source;      /* where a clinical image came from when it is not the user's own; NULL = own */
} WcAttachment;

#define WC_DRAFT_MAX_ATTACHMENTS 20

/* Who may reply to the post, where the network lets the author choose
 * (Bluesky's threadgate). Networks without such a choice ignore it. */
typedef enum
{
  WC_REPLY_POLICY_EVERYONE,
  WC_REPLY_POLICY_FOLLOWING,  /* people the author follows */
  WC_REPLY_POLICY_MENTIONED,  /* people mentioned in the post */
  WC_REPLY_POLICY_NOBODY,
} WcReplyPolicy;

const char     *wc_reply_policy_to_string    (WcReplyPolicy   policy);
gboolean        wc_reply_policy_from_string  (const char     *string,
                                              WcReplyPolicy  *policy);
char           *wc_draft_default_language    (void);

#define WC_TYPE_DRAFT (wc_draft_get_type ())
G_DECLARE_FINAL_TYPE (WcDraft, wc_draft, WC, DRAFT, GObject)

WcDraft        *wc_draft_new                 (WcIdentityKind  identity);
WcDraft        *wc_draft_duplicate           (WcDraft        *self);
gint64          wc_draft_get_id              (WcDraft        *self);
void            wc_draft_set_id              (WcDraft        *self,
                                              gint64          id);
WcIdentityKind  wc_draft_get_identity        (WcDraft        *self);
void            wc_draft_set_identity        (WcDraft        *self,
                                              WcIdentityKind  identity);
const char     *wc_draft_get_text            (WcDraft        *self);
void            wc_draft_set_text            (WcDraft        *self,
                                              const char     *text);
const char     *wc_draft_get_content_warning (WcDraft        *self);
void            wc_draft_set_content_warning (WcDraft        *self,
                                              const char     *content_warning);
WcReplyPolicy   wc_draft_get_reply_policy    (WcDraft        *self);
void            wc_draft_set_reply_policy    (WcDraft        *self,
                                              WcReplyPolicy   policy);
const char     *wc_draft_get_language        (WcDraft        *self);
void            wc_draft_set_language        (WcDraft        *self,
                                              const char     *language);
gint64          wc_draft_get_created_at      (WcDraft        *self);
void            wc_draft_set_created_at      (WcDraft        *self,
                                              gint64          created_at);
gint64          wc_draft_get_updated_at      (WcDraft        *self);
void            wc_draft_set_updated_at      (WcDraft        *self,
                                              gint64          updated_at);

GPtrArray      *wc_draft_get_targets         (WcDraft        *self);
void            wc_draft_set_target          (WcDraft        *self,
                                              gint64          account_id,
                                              const char     *visibility);
gboolean        wc_draft_remove_target       (WcDraft        *self,
                                              gint64          account_id);
void            wc_draft_clear_targets       (WcDraft        *self);
const WcDraftTarget *wc_draft_find_target    (WcDraft        *self,
                                              gint64          account_id);

GPtrArray      *wc_draft_get_attachments     (WcDraft        *self);
WcAttachment   *wc_draft_add_attachment      (WcDraft        *self,
                                              const char     *path);
gboolean        wc_draft_remove_attachment   (WcDraft        *self,
                                              guint           index);
void            wc_draft_attachment_changed  (WcDraft        *self);

char           *wc_draft_dup_title           (WcDraft        *self);

void            wc_draft_target_free         (WcDraftTarget  *target);
void            wc_attachment_free           (WcAttachment   *attachment);

G_END_DECLS
