/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-core-enums.h"
#include "wc-outbox-private.h"
#include "wc-util.h"

struct _WcOutboxEntry
{
  GObject          parent_instance;

  gint64           id;
  gint64           draft_id;
  gint64           account_id;
  WcIdentityKind   identity;
  WcOutboxState    state;
  gint64           due_at;
  WcOutboxContent *content;
  WcOutboxContent *pending_content;
  WcOutboxMedia   *media;
  char            *idempotency_key;
  guint            attempts;
  gint64           next_attempt_at;
  char            *remote_id;
  char            *remote_url;
  char            *reason;
  gint64           created_at;
  gint64           updated_at;
  gint64           sent_at;
};

G_DEFINE_FINAL_TYPE (WcOutboxEntry, wc_outbox_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DRAFT_ID,
  PROP_ACCOUNT_ID,
  PROP_IDENTITY,
  PROP_STATE,
  PROP_DUE_AT,
  PROP_ATTEMPTS,
  PROP_NEXT_ATTEMPT_AT,
  PROP_REMOTE_ID,
  PROP_REMOTE_URL,
  PROP_REASON,
  PROP_SENT_AT,
  PROP_IDEMPOTENCY_KEY,
  PROP_CONTENT_CHANGED_DUMMY,  /* not installed */
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- States ----------------------------------------------------------- */

static const char * const state_names[] = {
  [WC_OUTBOX_STATE_SCHEDULED] = "scheduled",
  [WC_OUTBOX_STATE_SERVER_SCHEDULED] = "server-scheduled",
  [WC_OUTBOX_STATE_SENDING] = "sending",
  [WC_OUTBOX_STATE_SENT] = "sent",
  [WC_OUTBOX_STATE_FAILED] = "failed",
  [WC_OUTBOX_STATE_HELD] = "held",
  [WC_OUTBOX_STATE_CANCELLED] = "cancelled",
};

#define S(x) (1u << WC_OUTBOX_STATE_##x)

/* The legal moves, by the state an entry leaves. Beyond the first sketch:
 *  - sending → server-scheduled: handing a post to the server to schedule
 *    is an attempt like any other (its answer can be lost too), so it runs
 *    in "sending" and the same reconciliation covers it;
 *  - scheduled → sent and held → sent: a manual network's post the user
 *    marked done;
 *  - held → held is not a move; sent is final. */
static const guint moves[] = {
  [WC_OUTBOX_STATE_SCHEDULED] = S (SENDING) | S (SERVER_SCHEDULED) | S (HELD) | S (CANCELLED) | S (SENT),
  [WC_OUTBOX_STATE_SERVER_SCHEDULED] = S (SENT) | S (CANCELLED) | S (SCHEDULED) | S (FAILED),
  [WC_OUTBOX_STATE_SENDING] = S (SENT) | S (FAILED) | S (SCHEDULED) | S (SERVER_SCHEDULED),
  [WC_OUTBOX_STATE_SENT] = 0,
  [WC_OUTBOX_STATE_FAILED] = S (SCHEDULED) | S (CANCELLED),
  [WC_OUTBOX_STATE_HELD] = S (SCHEDULED) | S (SENDING) | S (CANCELLED) | S (SENT),
  [WC_OUTBOX_STATE_CANCELLED] = S (SCHEDULED) | S (HELD),
};

#undef S

const char *
wc_outbox_state_to_string (WcOutboxState state)
{
  g_return_val_if_fail (state <= WC_OUTBOX_STATE_CANCELLED, NULL);
  return state_names[state];
}

gboolean
wc_outbox_state_from_string (const char    *string,
                             WcOutboxState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (string, state_names[i]) == 0)
      {
        if (state != NULL)
          *state = (WcOutboxState) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * wc_outbox_state_can_move:
 *
 * Returns: whether an entry in @from may go to @to
 */
gboolean
wc_outbox_state_can_move (WcOutboxState from,
                          WcOutboxState to)
{
  if (from > WC_OUTBOX_STATE_CANCELLED || to > WC_OUTBOX_STATE_CANCELLED)
    return FALSE;
  return (moves[from] & (1u << to)) != 0;
}

gboolean
wc_outbox_state_is_pending (WcOutboxState state)
{
  return state == WC_OUTBOX_STATE_SCHEDULED || state == WC_OUTBOX_STATE_SERVER_SCHEDULED
         || state == WC_OUTBOX_STATE_SENDING || state == WC_OUTBOX_STATE_HELD;
}

const char *
wc_outbox_state_get_label (WcOutboxState state)
{
  switch (state)
    {
    case WC_OUTBOX_STATE_SCHEDULED:
      return _("Scheduled");
    case WC_OUTBOX_STATE_SERVER_SCHEDULED:
      return _("Scheduled on the server");
    case WC_OUTBOX_STATE_SENDING:
      return _("Sending");
    case WC_OUTBOX_STATE_SENT:
      return _("Sent");
    case WC_OUTBOX_STATE_FAILED:
      return _("Failed");
    case WC_OUTBOX_STATE_HELD:
      return _("Held for you");
    case WC_OUTBOX_STATE_CANCELLED:
      return _("Cancelled");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* --- Content ---------------------------------------------------------- */

static WcAttachment *
attachment_copy (const WcAttachment *from)
{
  WcAttachment *to = g_new0 (WcAttachment, 1);

  to->path = g_strdup (from->path);
  to->alt_text = g_strdup (from->alt_text ? from->alt_text : "");
  to->clinical = from->clinical;
  to->consent_at = from->consent_at;
  to->source = g_strdup (from->source);
  return to;
}

static WcOutboxContent *
content_new (void)
{
  WcOutboxContent *content = g_new0 (WcOutboxContent, 1);

  content->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) wc_attachment_free);
  return content;
}

/**
 * wc_outbox_content_new_from_draft:
 * @account_id: one of the draft's targets
 *
 * Returns: (transfer full): the post as it is now for that target; the
 *   attachments still point at the draft's images (the store copies them
 *   when the entry is added)
 */
WcOutboxContent *
wc_outbox_content_new_from_draft (WcDraft *draft,
                                  gint64   account_id)
{
  WcOutboxContent *content;
  const WcDraftTarget *target;
  GPtrArray *attachments;

  g_return_val_if_fail (WC_IS_DRAFT (draft), NULL);

  target = wc_draft_find_target (draft, account_id);
  content = content_new ();
  content->text = g_strdup (wc_draft_get_text (draft) ? wc_draft_get_text (draft) : "");
  content->content_warning = g_strdup (wc_draft_get_content_warning (draft) ? wc_draft_get_content_warning (draft) : "");
  content->visibility = g_strdup (target != NULL && target->visibility != NULL ? target->visibility : "public");
  content->language = *wc_draft_get_language (draft) != '\0' ? g_strdup (wc_draft_get_language (draft)) : NULL;
  content->reply_policy = wc_draft_get_reply_policy (draft);
  attachments = wc_draft_get_attachments (draft);
  for (guint i = 0; i < attachments->len; i++)
    g_ptr_array_add (content->attachments, attachment_copy (g_ptr_array_index (attachments, i)));
  return content;
}

WcOutboxContent *
wc_outbox_content_copy (const WcOutboxContent *content)
{
  WcOutboxContent *copy;

  g_return_val_if_fail (content != NULL, NULL);

  copy = content_new ();
  copy->text = g_strdup (content->text);
  copy->content_warning = g_strdup (content->content_warning);
  copy->visibility = g_strdup (content->visibility);
  copy->language = g_strdup (content->language);
  copy->reply_policy = content->reply_policy;
  for (guint i = 0; content->attachments != NULL && i < content->attachments->len; i++)
    g_ptr_array_add (copy->attachments, attachment_copy (g_ptr_array_index (content->attachments, i)));
  return copy;
}

void
wc_outbox_content_free (WcOutboxContent *content)
{
  if (content == NULL)
    return;
  g_free (content->text);
  g_free (content->content_warning);
  g_free (content->visibility);
  g_free (content->language);
  g_clear_pointer (&content->attachments, g_ptr_array_unref);
  g_free (content);
}

/**
 * wc_outbox_content_equal:
 *
 * Returns: whether @a and @b would post the same, comparing attachments by
 *   alt text and flags (their paths differ between copies)
 */
gboolean
wc_outbox_content_equal (const WcOutboxContent *a,
                         const WcOutboxContent *b)
{
  guint na, nb;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_strcmp0 (a->text, b->text) != 0
      || g_strcmp0 (a->content_warning ? a->content_warning : "", b->content_warning ? b->content_warning : "") != 0
      || g_strcmp0 (a->visibility, b->visibility) != 0
      || g_strcmp0 (a->language, b->language) != 0
      || a->reply_policy != b->reply_policy)
    return FALSE;
  na = a->attachments ? a->attachments->len : 0;
  nb = b->attachments ? b->attachments->len : 0;
  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      WcAttachment *x = g_ptr_array_index (a->attachments, i);
      WcAttachment *y = g_ptr_array_index (b->attachments, i);

      if (g_strcmp0 (x->alt_text, y->alt_text) != 0 || x->clinical != y->clinical)
        return FALSE;
    }
  return TRUE;
}

gboolean
wc_outbox_content_is_sensitive (const WcOutboxContent *content)
{
  for (guint i = 0; content != NULL && content->attachments != NULL && i < content->attachments->len; i++)
    if (((WcAttachment *) g_ptr_array_index (content->attachments, i))->clinical)
      return TRUE;
  return FALSE;
}

/**
 * wc_outbox_content_to_json:
 *
 * Returns: (transfer full): the content as a JSON object, for the store
 */
char *
wc_outbox_content_to_json (const WcOutboxContent *content)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (content != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, content->text ? content->text : "");
  json_builder_set_member_name (builder, "content_warning");
  json_builder_add_string_value (builder, content->content_warning ? content->content_warning : "");
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, content->visibility ? content->visibility : "public");
  json_builder_set_member_name (builder, "language");
  if (content->language != NULL)
    json_builder_add_string_value (builder, content->language);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reply_policy");
  json_builder_add_string_value (builder, wc_reply_policy_to_string (content->reply_policy));
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; content->attachments != NULL && i < content->attachments->len; i++)
    {
      WcAttachment *attachment = g_ptr_array_index (content->attachments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, attachment->path ? attachment->path : "");
      json_builder_set_member_name (builder, "alt_text");
      json_builder_add_string_value (builder, attachment->alt_text ? attachment->alt_text : "");
      json_builder_set_member_name (builder, "clinical");
      json_builder_add_boolean_value (builder, attachment->clinical);
      json_builder_set_member_name (builder, "consent_at");
      json_builder_add_int_value (builder, attachment->consent_at);
      json_builder_set_member_name (builder, "source");
      if (attachment->source != NULL)
        json_builder_add_string_value (builder, attachment->source);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
invalid_json (GError **error)
{
  g_set_error_literal (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT,
                       _("A scheduled post in the database is damaged and cannot be read."));
  return FALSE;
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/**
 * wc_outbox_content_new_from_json:
 *
 * Returns: (transfer full) (nullable): the content, or %NULL with a
 *   %WC_STORE_ERROR_CORRUPT error
 */
WcOutboxContent *
wc_outbox_content_new_from_json (const char  *json,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcOutboxContent) content = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *attachments = NULL;
  g_autofree char *reply_policy = NULL;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    {
      invalid_json (error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid_json (error);
      return NULL;
    }
  object = json_node_get_object (root);

  content = content_new ();
  content->text = dup_string_member (object, "text");
  content->content_warning = dup_string_member (object, "content_warning");
  content->visibility = dup_string_member (object, "visibility");
  content->language = dup_string_member (object, "language");
  if (content->text == NULL || content->visibility == NULL)
    {
      invalid_json (error);
      return NULL;
    }
  if (content->content_warning == NULL)
    content->content_warning = g_strdup ("");
  /* Entries scheduled before the choice existed let everyone reply; a
   * policy this build does not know is damage, not "everyone". */
  reply_policy = dup_string_member (object, "reply_policy");
  content->reply_policy = WC_REPLY_POLICY_EVERYONE;
  if (reply_policy != NULL && !wc_reply_policy_from_string (reply_policy, &content->reply_policy))
    {
      invalid_json (error);
      return NULL;
    }

  if (json_object_has_member (object, "attachments"))
    {
      JsonNode *node = json_object_get_member (object, "attachments");

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          invalid_json (error);
          return NULL;
        }
      attachments = json_node_get_array (node);
    }
  for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
    {
      JsonNode *node = json_array_get_element (attachments, i);
      JsonObject *item;
      WcAttachment *attachment;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid_json (error);
          return NULL;
        }
      item = json_node_get_object (node);
      attachment = g_new0 (WcAttachment, 1);
      attachment->path = dup_string_member (item, "path");
      attachment->alt_text = dup_string_member (item, "alt_text");
      if (attachment->alt_text == NULL)
        attachment->alt_text = g_strdup ("");
      attachment->clinical = json_object_get_boolean_member_with_default (item, "clinical", FALSE);
      attachment->consent_at = json_object_get_int_member_with_default (item, "consent_at", 0);
      attachment->source = dup_string_member (item, "source");
      g_ptr_array_add (content->attachments, attachment);
      if (attachment->path == NULL)
        {
          invalid_json (error);
          return NULL;
        }
    }
  return g_steal_pointer (&content);
}

/* --- Media ----------------------------------------------------------- */

static GStrv
strv_copy_or_empty (const char * const *strv)
{
  return strv != NULL ? g_strdupv ((char **) strv) : g_new0 (char *, 1);
}

/**
 * wc_outbox_media_new:
 * @ids: (nullable): the uploads posted with
 * @earlier: (nullable): earlier uploads of the same content
 *
 * Returns: (transfer full): the media, with both lists copied (empty, never
 *   %NULL, when not given)
 */
WcOutboxMedia *
wc_outbox_media_new (gint64              uploaded_at,
                     const char * const *ids,
                     const char * const *earlier)
{
  WcOutboxMedia *media = g_new0 (WcOutboxMedia, 1);

  media->uploaded_at = uploaded_at;
  media->ids = strv_copy_or_empty (ids);
  media->earlier = strv_copy_or_empty (earlier);
  return media;
}

WcOutboxMedia *
wc_outbox_media_copy (const WcOutboxMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  return wc_outbox_media_new (media->uploaded_at, (const char * const *) media->ids,
                              (const char * const *) media->earlier);
}

void
wc_outbox_media_free (WcOutboxMedia *media)
{
  if (media == NULL)
    return;
  g_strfreev (media->ids);
  g_strfreev (media->earlier);
  g_free (media);
}

gboolean
wc_outbox_media_contains (const WcOutboxMedia *media,
                          const char          *id)
{
  return media != NULL && id != NULL
         && (g_strv_contains ((const char * const *) media->ids, id)
             || g_strv_contains ((const char * const *) media->earlier, id));
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

/**
 * wc_outbox_media_to_json:
 *
 * Returns: (transfer full): `{"uploaded_at": …, "ids": […], "earlier": […]}`,
 *   for the store
 */
char *
wc_outbox_media_to_json (const WcOutboxMedia *media)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (media != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uploaded_at");
  json_builder_add_int_value (builder, media->uploaded_at);
  add_strv (builder, "ids", (const char * const *) media->ids);
  add_strv (builder, "earlier", (const char * const *) media->earlier);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static GStrv
strv_member (JsonObject *object,
             const char *name,
             gboolean   *ok)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;

  if (node == NULL)
    return g_strv_builder_end (builder);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *ok = FALSE;
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          *ok = FALSE;
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/**
 * wc_outbox_media_new_from_json:
 *
 * Returns: (transfer full) (nullable): the media, or %NULL with a
 *   %WC_STORE_ERROR_CORRUPT error
 */
WcOutboxMedia *
wc_outbox_media_new_from_json (const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcOutboxMedia) media = NULL;
  JsonObject *object;
  gboolean ok = TRUE;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid_json (error);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  media = g_new0 (WcOutboxMedia, 1);
  media->uploaded_at = json_object_get_int_member_with_default (object, "uploaded_at", 0);
  media->ids = strv_member (object, "ids", &ok);
  media->earlier = strv_member (object, "earlier", &ok);
  if (!ok)
    {
      invalid_json (error);
      return NULL;
    }
  return g_steal_pointer (&media);
}

/* --- The entry -------------------------------------------------------- */

static void
wc_outbox_entry_finalize (GObject *object)
{
  WcOutboxEntry *self = WC_OUTBOX_ENTRY (object);

  g_clear_pointer (&self->content, wc_outbox_content_free);
  g_clear_pointer (&self->pending_content, wc_outbox_content_free);
  g_clear_pointer (&self->media, wc_outbox_media_free);
  g_free (self->idempotency_key);
  g_free (self->remote_id);
  g_free (self->remote_url);
  g_free (self->reason);

  G_OBJECT_CLASS (wc_outbox_entry_parent_class)->finalize (object);
}

static void
wc_outbox_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WcOutboxEntry *self = WC_OUTBOX_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DRAFT_ID:
      g_value_set_int64 (value, self->draft_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;
    case PROP_IDENTITY:
      g_value_set_enum (value, self->identity);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DUE_AT:
      g_value_set_int64 (value, self->due_at);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_NEXT_ATTEMPT_AT:
      g_value_set_int64 (value, self->next_attempt_at);
      break;
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_REMOTE_URL:
      g_value_set_string (value, self->remote_url);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_SENT_AT:
      g_value_set_int64 (value, self->sent_at);
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wc_outbox_entry_class_init (WcOutboxEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = wc_outbox_entry_finalize;
  object_class->get_property = wc_outbox_entry_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DRAFT_ID] = g_param_spec_int64 ("draft-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ACCOUNT_ID] = g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IDENTITY] = g_param_spec_enum ("identity", NULL, NULL, WC_TYPE_IDENTITY_KIND,
                                                 WC_IDENTITY_PERSONAL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, WC_TYPE_OUTBOX_STATE,
                                              WC_OUTBOX_STATE_SCHEDULED, flags);
  properties[PROP_DUE_AT] = g_param_spec_int64 ("due-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NEXT_ATTEMPT_AT] = g_param_spec_int64 ("next-attempt-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_URL] = g_param_spec_string ("remote-url", NULL, NULL, NULL, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_SENT_AT] = g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IDEMPOTENCY_KEY] = g_param_spec_string ("idempotency-key", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, PROP_CONTENT_CHANGED_DUMMY, properties);
}

static void
wc_outbox_entry_init (WcOutboxEntry *self)
{
}

/**
 * wc_outbox_entry_new:
 * @draft_id: the draft it came from, or 0
 * @due_at: UTC seconds
 * @content: (transfer none): copied
 *
 * Returns: (transfer full): a new entry, not yet stored, in state
 *   "scheduled", with a fresh idempotency key
 */
WcOutboxEntry *
wc_outbox_entry_new (gint64           draft_id,
                     gint64           account_id,
                     WcIdentityKind   identity,
                     gint64           due_at,
                     WcOutboxContent *content)
{
  WcOutboxEntry *self;

  g_return_val_if_fail (content != NULL, NULL);

  self = g_object_new (WC_TYPE_OUTBOX_ENTRY, NULL);
  self->draft_id = draft_id;
  self->account_id = account_id;
  self->identity = identity;
  self->due_at = due_at;
  self->state = WC_OUTBOX_STATE_SCHEDULED;
  self->content = wc_outbox_content_copy (content);
  self->idempotency_key = g_uuid_string_random ();
  return self;
}

gint64
wc_outbox_entry_get_id (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->id;
}

gint64
wc_outbox_entry_get_draft_id (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->draft_id;
}

gint64
wc_outbox_entry_get_account_id (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->account_id;
}

WcIdentityKind
wc_outbox_entry_get_identity (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), WC_IDENTITY_PERSONAL);
  return self->identity;
}

WcOutboxState
wc_outbox_entry_get_state (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), WC_OUTBOX_STATE_SCHEDULED);
  return self->state;
}

gint64
wc_outbox_entry_get_due_at (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->due_at;
}

/**
 * wc_outbox_entry_get_content:
 *
 * Returns: (transfer none): the post as scheduled
 */
const WcOutboxContent *
wc_outbox_entry_get_content (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->content;
}

/**
 * wc_outbox_entry_get_pending_content:
 *
 * Returns: (transfer none) (nullable): the change that waits for the
 *   server copy's withdrawal
 */
const WcOutboxContent *
wc_outbox_entry_get_pending_content (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->pending_content;
}

/**
 * wc_outbox_entry_get_media:
 *
 * Returns: (transfer none) (nullable): the uploads for the content
 */
const WcOutboxMedia *
wc_outbox_entry_get_media (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->media;
}

const char *
wc_outbox_entry_get_idempotency_key (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->idempotency_key;
}

guint
wc_outbox_entry_get_attempts (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->attempts;
}

gint64
wc_outbox_entry_get_next_attempt_at (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->next_attempt_at;
}

const char *
wc_outbox_entry_get_remote_id (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->remote_id;
}

const char *
wc_outbox_entry_get_remote_url (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->remote_url;
}

const char *
wc_outbox_entry_get_reason (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), NULL);
  return self->reason;
}

gint64
wc_outbox_entry_get_sent_at (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->sent_at;
}

gint64
wc_outbox_entry_get_created_at (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->created_at;
}

gint64
wc_outbox_entry_get_updated_at (WcOutboxEntry *self)
{
  g_return_val_if_fail (WC_IS_OUTBOX_ENTRY (self), 0);
  return self->updated_at;
}

#define SET_INT(field, prop)                                            \
  G_STMT_START {                                                        \
    if (self->field != field)                                           \
      {                                                                 \
        self->field = field;                                            \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
      }                                                                 \
  } G_STMT_END

#define SET_STR(field, prop)                                            \
  G_STMT_START {                                                        \
    if (wc_set_str (&self->field, field))                               \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);     \
  } G_STMT_END

void
_wc_outbox_entry_set_id (WcOutboxEntry *self,
                         gint64         id)
{
  SET_INT (id, PROP_ID);
}

void
_wc_outbox_entry_set_draft_id (WcOutboxEntry *self,
                               gint64         draft_id)
{
  SET_INT (draft_id, PROP_DRAFT_ID);
}

void
_wc_outbox_entry_set_state (WcOutboxEntry *self,
                            WcOutboxState  state)
{
  SET_INT (state, PROP_STATE);
}

void
_wc_outbox_entry_set_due_at (WcOutboxEntry *self,
                             gint64         due_at)
{
  SET_INT (due_at, PROP_DUE_AT);
}

void
_wc_outbox_entry_set_idempotency_key (WcOutboxEntry *self,
                                      const char    *idempotency_key)
{
  SET_STR (idempotency_key, PROP_IDEMPOTENCY_KEY);
}

void
_wc_outbox_entry_set_attempts (WcOutboxEntry *self,
                               guint          attempts)
{
  SET_INT (attempts, PROP_ATTEMPTS);
}

void
_wc_outbox_entry_set_next_attempt_at (WcOutboxEntry *self,
                                      gint64         next_attempt_at)
{
  SET_INT (next_attempt_at, PROP_NEXT_ATTEMPT_AT);
}

void
_wc_outbox_entry_set_remote_id (WcOutboxEntry *self,
                                const char    *remote_id)
{
  SET_STR (remote_id, PROP_REMOTE_ID);
}

void
_wc_outbox_entry_set_remote_url (WcOutboxEntry *self,
                                 const char    *remote_url)
{
  SET_STR (remote_url, PROP_REMOTE_URL);
}

void
_wc_outbox_entry_set_reason (WcOutboxEntry *self,
                             const char    *reason)
{
  SET_STR (reason, PROP_REASON);
}

void
_wc_outbox_entry_set_sent_at (WcOutboxEntry *self,
                              gint64         sent_at)
{
  SET_INT (sent_at, PROP_SENT_AT);
}

void
_wc_outbox_entry_set_updated_at (WcOutboxEntry *self,
                                 gint64         updated_at)
{
  self->updated_at = updated_at;
}

void
_wc_outbox_entry_take_content (WcOutboxEntry   *self,
                               WcOutboxContent *content)
{
  g_clear_pointer (&self->content, wc_outbox_content_free);
  self->content = content;
}

void
_wc_outbox_entry_take_pending_content (WcOutboxEntry   *self,
                                       WcOutboxContent *content)
{
  g_clear_pointer (&self->pending_content, wc_outbox_content_free);
  self->pending_content = content;
}

void
_wc_outbox_entry_take_media (WcOutboxEntry *self,
                             WcOutboxMedia *media)
{
  g_clear_pointer (&self->media, wc_outbox_media_free);
  self->media = media;
}

/**
 * wc_outbox_entry_update_from:
 * @from: the same entry, read again
 */
void
wc_outbox_entry_update_from (WcOutboxEntry *self,
                             WcOutboxEntry *from)
{
  g_return_if_fail (WC_IS_OUTBOX_ENTRY (self));
  g_return_if_fail (WC_IS_OUTBOX_ENTRY (from));

  if (self == from)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  _wc_outbox_entry_set_id (self, from->id);
  _wc_outbox_entry_set_draft_id (self, from->draft_id);
  self->account_id = from->account_id;
  self->identity = from->identity;
  self->created_at = from->created_at;
  self->updated_at = from->updated_at;
  _wc_outbox_entry_set_due_at (self, from->due_at);
  _wc_outbox_entry_set_idempotency_key (self, from->idempotency_key);
  _wc_outbox_entry_set_attempts (self, from->attempts);
  _wc_outbox_entry_set_next_attempt_at (self, from->next_attempt_at);
  _wc_outbox_entry_set_remote_id (self, from->remote_id);
  _wc_outbox_entry_set_remote_url (self, from->remote_url);
  _wc_outbox_entry_set_reason (self, from->reason);
  _wc_outbox_entry_set_sent_at (self, from->sent_at);
  _wc_outbox_entry_take_content (self, wc_outbox_content_copy (from->content));
  _wc_outbox_entry_take_pending_content (self, from->pending_content != NULL
                                               ? wc_outbox_content_copy (from->pending_content) : NULL);
  _wc_outbox_entry_take_media (self, from->media != NULL ? wc_outbox_media_copy (from->media) : NULL);
  /* Last, so that a handler of "notify::state" sees the rest updated. */
  _wc_outbox_entry_set_state (self, from->state);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_wc_outbox_entry_set_row_identity (WcOutboxEntry  *self,
                                   gint64          account_id,
                                   WcIdentityKind  identity,
                                   gint64          created_at)
{
  self->account_id = account_id;
  self->identity = identity;
  self->created_at = created_at;
}
