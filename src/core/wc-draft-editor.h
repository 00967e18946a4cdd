/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "wc-audience.h"
#include "wc-checker.h"
#include "wc-clock.h"
#include "wc-draft.h"
#include "wc-store.h"

G_BEGIN_DECLS

/* The life of one draft while it is open in the composer: every change is in
 * the database within WC_DRAFT_EDITOR_SAVE_DELAY_MS, the checks run once per
 * burst of typing (WC_DRAFT_EDITOR_CHECK_DELAY_MS after the last keystroke),
 * images are inspected in a worker thread, and findings are resolved — by an
 * edit, by stripping metadata, by recorded consent or source, by moving the
 * draft to the other identity, or by dismissing them with a reason, which the
 * audit log keeps. The composer only presents this; it holds no rules. */

#define WC_DRAFT_EDITOR_SAVE_DELAY_MS  500
#define WC_DRAFT_EDITOR_CHECK_DELAY_MS 150

#define WC_DRAFT_EDITOR_ERROR (wc_draft_editor_error_quark ())

typedef enum
{
  WC_DRAFT_EDITOR_ERROR_NO_REASON,   /* a dismissal needs a reason */
  WC_DRAFT_EDITOR_ERROR_NO_IMAGE,    /* no attachment at that index */
  WC_DRAFT_EDITOR_ERROR_TOO_MANY,    /* WC_DRAFT_MAX_ATTACHMENTS reached */
} WcDraftEditorError;

GQuark wc_draft_editor_error_quark (void);

#define WC_TYPE_DRAFT_EDITOR (wc_draft_editor_get_type ())
G_DECLARE_FINAL_TYPE (WcDraftEditor, wc_draft_editor, WC, DRAFT_EDITOR, GObject)

WcDraftEditor *wc_draft_editor_new              (WcStore        *store,
                                                 WcChecker      *checker,
                                                 WcDraft        *draft);
WcDraft       *wc_draft_editor_get_draft        (WcDraftEditor  *self);
WcStore       *wc_draft_editor_get_store        (WcDraftEditor  *self);

/* Editing: each of these changes the draft, schedules a save and the checks. */
void           wc_draft_editor_set_text         (WcDraftEditor  *self,
                                                 const char     *text);
void           wc_draft_editor_set_content_warning (WcDraftEditor *self,
                                                    const char    *content_warning);
void           wc_draft_editor_set_target       (WcDraftEditor  *self,
                                                 gint64          account_id,
                                                 const char     *visibility);
void           wc_draft_editor_remove_target    (WcDraftEditor  *self,
                                                 gint64          account_id);
void           wc_draft_editor_set_reply_policy (WcDraftEditor  *self,
                                                 WcReplyPolicy   policy);
void           wc_draft_editor_set_language     (WcDraftEditor  *self,
                                                 const char     *language);
gboolean       wc_draft_editor_add_image        (WcDraftEditor  *self,
                                                 const char     *path,
                                                 GError        **error);
gboolean       wc_draft_editor_remove_image     (WcDraftEditor  *self,
                                                 guint           index,
                                                 GError        **error);
gboolean       wc_draft_editor_set_image_alt_text (WcDraftEditor *self,
                                                   guint          index,
                                                   const char    *alt_text,
                                                   GError       **error);
gboolean       wc_draft_editor_set_image_clinical (WcDraftEditor *self,
                                                   guint          index,
                                                   gboolean       clinical,
                                                   GError       **error);

/* Resolving findings. */
gboolean       wc_draft_editor_record_consent   (WcDraftEditor  *self,
                                                 guint           index,
                                                 GError        **error);
gboolean       wc_draft_editor_record_source    (WcDraftEditor  *self,
                                                 guint           index,
                                                 const char     *source,
                                                 GError        **error);
void           wc_draft_editor_strip_image_async  (WcDraftEditor       *self,
                                                   guint                index,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       wc_draft_editor_strip_image_finish (WcDraftEditor  *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);
gboolean       wc_draft_editor_dismiss          (WcDraftEditor  *self,
                                                 WcFinding      *finding,
                                                 const char     *reason,
                                                 GError        **error);
gboolean       wc_draft_editor_move_to_identity (WcDraftEditor  *self,
                                                 WcIdentityKind  identity,
                                                 GError        **error);

/* Findings: the current ones, most severe first, without dismissed ones. */
GPtrArray     *wc_draft_editor_get_findings     (WcDraftEditor  *self);
gboolean       wc_draft_editor_get_can_publish  (WcDraftEditor  *self);
gboolean       wc_draft_editor_get_busy         (WcDraftEditor  *self);
void           wc_draft_editor_check_now        (WcDraftEditor  *self);
gboolean       wc_draft_editor_save_now         (WcDraftEditor  *self,
                                                 GError        **error);
gboolean       wc_draft_editor_get_dirty        (WcDraftEditor  *self);
void           wc_draft_editor_reload_context   (WcDraftEditor  *self);
void           wc_draft_editor_set_timing       (WcDraftEditor  *self,
                                                 WcClock        *clock,
                                                 gint64          scheduled_at,
                                                 const WcDutyHours *duty);

/* Who can see it: an audience per target, recomputed only when a target,
 * its visibility, the people mentioned or the tags change. The hasher (from
 * the keyring, so it may come late) recognises mentioned people and the
 * patient roster; without it the roster check stays silent. */
void           wc_draft_editor_set_hasher       (WcDraftEditor  *self,
                                                 WcHasher       *hasher);
WcHasher      *wc_draft_editor_get_hasher       (WcDraftEditor  *self);
void           wc_draft_editor_reload_people    (WcDraftEditor  *self);
WcAudience    *wc_draft_editor_get_audience     (WcDraftEditor  *self,
                                                 gint64          account_id);
gboolean       wc_draft_editor_get_server_limits (WcDraftEditor *self,
                                                 gint64          account_id,
                                                 WcServerLimits *limits);

G_END_DECLS
