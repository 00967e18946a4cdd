/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-draft"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wc-core-enums.h"
#include "wc-draft.h"
#include "wc-util.h"

#define TITLE_LENGTH 60

struct _WcDraft
{
  GObject         parent_instance;

  gint64          id;
  WcIdentityKind  identity;
  char           *text;
  char           *content_warning;
  WcReplyPolicy   reply_policy;
  char           *language;     /* ISO 639-1; "" = not said */
  gint64          created_at;
  gint64          updated_at;
  GPtrArray      *targets;      /* WcDraftTarget */
  GPtrArray      *attachments;  /* WcAttachment */
};

G_DEFINE_FINAL_TYPE (WcDraft, wc_draft, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_IDENTITY,
  PROP_TEXT,
  PROP_CONTENT_WARNING,
  PROP_REPLY_POLICY,
  PROP_LANGUAGE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const reply_policy_names[] = {
  [WC_REPLY_POLICY_EVERYONE]  = "everyone",
  [WC_REPLY_POLICY_FOLLOWING] = "following",
  [WC_REPLY_POLICY_MENTIONED] = "mentioned",
  [WC_REPLY_POLICY_NOBODY]    = "nobody",
};

/**
 * wc_reply_policy_to_string:
 *
 * Returns: the policy's name as stored: "everyone", "following",
 *   "mentioned" or "nobody"
 */
const char *
wc_reply_policy_to_string (WcReplyPolicy policy)
{
  g_return_val_if_fail ((guint) policy < G_N_ELEMENTS (reply_policy_names), "everyone");
  return reply_policy_names[policy];
}

/**
 * wc_reply_policy_from_string:
 * @policy: (out): set only when @string is a known name
 *
 * Returns: whether @string names a policy
 */
gboolean
wc_reply_policy_from_string (const char    *string,
                             WcReplyPolicy *policy)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (reply_policy_names); i++)
    if (g_str_equal (string, reply_policy_names[i]))
      {
        *policy = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * wc_draft_default_language:
 *
 * The language a new draft is written in until the user says otherwise:
 * that of the user interface, as the first of g_get_language_names() that
 * is a real language ("de_AT.UTF-8" gives "de"; "C" and "POSIX" none).
 *
 * Returns: (transfer full): an ISO 639-1 code, or "" when there is none
 */
char *
wc_draft_default_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      const char *name = names[i];
      gsize len = strcspn (name, "_.@");

      if (len == 2 && g_ascii_isalpha (name[0]) && g_ascii_isalpha (name[1]))
        return g_ascii_strdown (name, 2);
    }
  return g_strdup ("");
}

/* "changed" is emitted for every change that must reach the database:
 * text, content warning, who may reply, language, identity, targets and
 * attachments. */
static void
emit_changed (WcDraft *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
wc_draft_target_free (WcDraftTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->visibility);
  g_free (target);
}

void
wc_attachment_free (WcAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->path);
  g_free (attachment->alt_text);
  g_free (attachment->source);
  g_free (attachment);
}

static void
wc_draft_finalize (GObject *object)
{
  WcDraft *self = (WcDraft *) object;

  g_free (self->text);
  g_free (self->content_warning);
  g_free (self->language);
  g_ptr_array_unref (self->targets);
  g_ptr_array_unref (self->attachments);

  G_OBJECT_CLASS (wc_draft_parent_class)->finalize (object);
}

static void
wc_draft_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  WcDraft *self = WC_DRAFT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_IDENTITY:
      g_value_set_enum (value, self->identity);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_CONTENT_WARNING:
      g_value_set_string (value, self->content_warning);
      break;
    case PROP_REPLY_POLICY:
      g_value_set_uint (value, self->reply_policy);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_draft_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  WcDraft *self = WC_DRAFT (object);

  switch (prop_id)
    {
    case PROP_ID:
      wc_draft_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_IDENTITY:
      wc_draft_set_identity (self, g_value_get_enum (value));
      break;
    case PROP_TEXT:
      wc_draft_set_text (self, g_value_get_string (value));
      break;
    case PROP_CONTENT_WARNING:
      wc_draft_set_content_warning (self, g_value_get_string (value));
      break;
    case PROP_REPLY_POLICY:
      wc_draft_set_reply_policy (self, g_value_get_uint (value));
      break;
    case PROP_LANGUAGE:
      wc_draft_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_draft_class_init (WcDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wc_draft_finalize;
  object_class->get_property = wc_draft_get_property;
  object_class->set_property = wc_draft_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_IDENTITY] = g_param_spec_enum ("identity", NULL, NULL, WC_TYPE_IDENTITY_KIND,
                                                 WC_IDENTITY_PROFESSIONAL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", flags);
  properties[PROP_CONTENT_WARNING] = g_param_spec_string ("content-warning", NULL, NULL, "", flags);
  /* A WcReplyPolicy; a plain number keeps the core's enum list unchanged. */
  properties[PROP_REPLY_POLICY] = g_param_spec_uint ("reply-policy", NULL, NULL, WC_REPLY_POLICY_EVERYONE,
                                                     WC_REPLY_POLICY_NOBODY, WC_REPLY_POLICY_EVERYONE, flags);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WcDraft::changed:
   *
   * Something that is saved changed: text, content warning, who may reply,
   * language, identity, targets or attachments.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wc_draft_init (WcDraft *self)
{
  self->id = -1;
  self->text = g_strdup ("");
  self->content_warning = g_strdup ("");
  self->reply_policy = WC_REPLY_POLICY_EVERYONE;
  self->language = wc_draft_default_language ();
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_draft_target_free);
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_attachment_free);
  self->created_at = self->updated_at = g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * wc_draft_new:
 * @identity: the identity the draft is written as
 *
 * Returns: (transfer full): an empty draft, not yet stored (id -1)
 */
WcDraft *
wc_draft_new (WcIdentityKind identity)
{
  return g_object_new (WC_TYPE_DRAFT, "identity", identity, NULL);
}

/**
 * wc_draft_duplicate:
 *
 * Returns: (transfer full): a copy with everything but the id and dates
 */
WcDraft *
wc_draft_duplicate (WcDraft *self)
{
  WcDraft *copy;

  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);

  copy = wc_draft_new (self->identity);
  wc_draft_set_text (copy, self->text);
  wc_draft_set_content_warning (copy, self->content_warning);
  wc_draft_set_reply_policy (copy, self->reply_policy);
  wc_draft_set_language (copy, self->language);
  for (guint i = 0; i < self->targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (self->targets, i);
      wc_draft_set_target (copy, target->account_id, target->visibility);
    }
  for (guint i = 0; i < self->attachments->len; i++)
    {
      WcAttachment *from = g_ptr_array_index (self->attachments, i);
      WcAttachment *to = wc_draft_add_attachment (copy, from->path);

      g_free (to->alt_text);
      to->alt_text = g_strdup (from->alt_text);
      to->clinical = from->clinical;
      to->consent_at = from->consent_at;
      to->source = g_strdup (from->source);
    }
  return copy;
}

gint64
wc_draft_get_id (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), -1);
  return self->id;
}

void
wc_draft_set_id (WcDraft *self,
                 gint64   id)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

WcIdentityKind
wc_draft_get_identity (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), WC_IDENTITY_PERSONAL);
  return self->identity;
}

/**
 * wc_draft_set_identity:
 *
 * Moves the draft to @identity. Its targets belong to the old identity's
 * accounts, so they are dropped: a draft never targets both identities.
 */
void
wc_draft_set_identity (WcDraft        *self,
                       WcIdentityKind  identity)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  if (self->identity != identity)
    {
      self->identity = identity;
      g_ptr_array_set_size (self->targets, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
      emit_changed (self);
    }
}

const char *
wc_draft_get_text (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  return self->text;
}

void
wc_draft_set_text (WcDraft    *self,
                   const char *text)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  if (wc_set_str (&self->text, text ? text : ""))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
      emit_changed (self);
    }
}

const char *
wc_draft_get_content_warning (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  return self->content_warning;
}

void
wc_draft_set_content_warning (WcDraft    *self,
                              const char *content_warning)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  if (wc_set_str (&self->content_warning, content_warning ? content_warning : ""))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_WARNING]);
      emit_changed (self);
    }
}

WcReplyPolicy
wc_draft_get_reply_policy (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), WC_REPLY_POLICY_EVERYONE);
  return self->reply_policy;
}

/**
 * wc_draft_set_reply_policy:
 *
 * Who may reply, on networks that let the author say (Bluesky).
 */
void
wc_draft_set_reply_policy (WcDraft       *self,
                           WcReplyPolicy  policy)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  g_return_if_fail (policy <= WC_REPLY_POLICY_NOBODY);

  if (self->reply_policy != policy)
    {
      self->reply_policy = policy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_POLICY]);
      emit_changed (self);
    }
}

/**
 * wc_draft_get_language:
 *
 * Returns: the ISO 639-1 code of the language the post is written in, or ""
 */
const char *
wc_draft_get_language (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  return self->language;
}

/**
 * wc_draft_set_language:
 * @language: (nullable): an ISO 639-1 code; %NULL or "" for none
 */
void
wc_draft_set_language (WcDraft    *self,
                       const char *language)
{
  g_autofree char *lower = NULL;

  g_return_if_fail (WC_IS_DRAFT (self));

  lower = g_ascii_strdown (language != NULL ? language : "", -1);
  if (wc_set_str (&self->language, lower))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
      emit_changed (self);
    }
}

gint64
wc_draft_get_created_at (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), 0);
  return self->created_at;
}

void
wc_draft_set_created_at (WcDraft *self,
                         gint64   created_at)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  self->created_at = created_at;
}

gint64
wc_draft_get_updated_at (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), 0);
  return self->updated_at;
}

void
wc_draft_set_updated_at (WcDraft *self,
                         gint64   updated_at)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  self->updated_at = updated_at;
}

/**
 * wc_draft_get_targets:
 *
 * Returns: (transfer none) (element-type WcDraftTarget): the targets
 */
GPtrArray *
wc_draft_get_targets (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  return self->targets;
}

/**
 * wc_draft_find_target:
 *
 * Returns: (nullable): the target for @account_id
 */
const WcDraftTarget *
wc_draft_find_target (WcDraft *self,
                      gint64   account_id)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);

  for (guint i = 0; i < self->targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (self->targets, i);

      if (target->account_id == account_id)
        return target;
    }
  return NULL;
}

/**
 * wc_draft_set_target:
 * @account_id: an account of the draft's identity
 * @visibility: an audience option id of the account's network
 *
 * Adds the target, or changes its visibility.
 */
void
wc_draft_set_target (WcDraft    *self,
                     gint64      account_id,
                     const char *visibility)
{
  WcDraftTarget *target;

  g_return_if_fail (WC_IS_DRAFT (self));
  g_return_if_fail (visibility != NULL);

  target = (WcDraftTarget *) wc_draft_find_target (self, account_id);
  if (target != NULL)
    {
      if (wc_set_str (&target->visibility, visibility))
        emit_changed (self);
      return;
    }

  target = g_new0 (WcDraftTarget, 1);
  target->account_id = account_id;
  target->visibility = g_strdup (visibility);
  g_ptr_array_add (self->targets, target);
  emit_changed (self);
}

gboolean
wc_draft_remove_target (WcDraft *self,
                        gint64   account_id)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), FALSE);

  for (guint i = 0; i < self->targets->len; i++)
    {
      WcDraftTarget *target = g_ptr_array_index (self->targets, i);

      if (target->account_id == account_id)
        {
          g_ptr_array_remove_index (self->targets, i);
          emit_changed (self);
          return TRUE;
        }
    }
  return FALSE;
}

void
wc_draft_clear_targets (WcDraft *self)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  if (self->targets->len > 0)
    {
      g_ptr_array_set_size (self->targets, 0);
      emit_changed (self);
    }
}

/**
 * wc_draft_get_attachments:
 *
 * Returns: (transfer none) (element-type WcAttachment): the images, in order
 */
GPtrArray *
wc_draft_get_attachments (WcDraft *self)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  return self->attachments;
}

/**
 * wc_draft_add_attachment:
 * @path: the image file
 *
 * Returns: (transfer none): the new attachment, to fill in; call
 *   wc_draft_attachment_changed() after changing it later
 */
WcAttachment *
wc_draft_add_attachment (WcDraft    *self,
                         const char *path)
{
  WcAttachment *attachment;

  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  attachment = g_new0 (WcAttachment, 1);
  attachment->path = g_strdup (path);
  attachment->alt_text = g_strdup ("");
  g_ptr_array_add (self->attachments, attachment);
  emit_changed (self);
  return attachment;
}

gboolean
wc_draft_remove_attachment (WcDraft *self,
                            guint    index)
{
  g_return_val_if_fail (WC_IS_DRAFT (self), FALSE);

  if (index >= self->attachments->len)
    return FALSE;
  g_ptr_array_remove_index (self->attachments, index);
  emit_changed (self);
  return TRUE;
}

/**
 * wc_draft_attachment_changed:
 *
 * Tells the draft that one of its attachments was changed in place.
 */
void
wc_draft_attachment_changed (WcDraft *self)
{
  g_return_if_fail (WC_IS_DRAFT (self));
  emit_changed (self);
}

/**
 * wc_draft_dup_title:
 *
 * Returns: (transfer full): the first line of the text, shortened, for lists
 */
char *
wc_draft_dup_title (WcDraft *self)
{
  g_autofree char *first = NULL;
  const char *newline;

  g_return_val_if_fail (WC_IS_DRAFT (self), NULL);

  newline = strchr (self->text, '\n');
  first = newline ? g_strndup (self->text, newline - self->text) : g_strdup (self->text);
  g_strstrip (first);

  if (*first == '\0')
    return g_strdup (_("Empty draft"));
  if (g_utf8_strlen (first, -1) > TITLE_LENGTH)
    {
      g_autofree char *head = g_utf8_substring (first, 0, TITLE_LENGTH - 1);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&first);
}
