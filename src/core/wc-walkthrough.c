/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-walkthrough"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-core-resources.h"
#include "wc-walkthrough.h"

#define RESOURCE_DIR "/io/github/whitecoat/Whitecoat/core/walkthrough/"

struct _WcWalkthrough
{
  GObject    parent_instance;

  char      *network;
  char      *settings_url;
  GPtrArray *steps;  /* of WcWalkthroughStep */
};

G_DEFINE_FINAL_TYPE (WcWalkthrough, wc_walkthrough, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-walkthrough-error-quark, wc_walkthrough_error)

/* The rules of ../shared/GUIDELINES.md that walkthrough steps may name. */
static const WcWalkthroughRule rules[] = {
  { "R1", N_("Keep personal and professional presences separate"), "AMA Opinion 2.3.2; FSMB 2012; KNMG rec. 4; ACP-FSMB 2013" },
  { "R2", N_("Do not accept requests from patients on personal accounts"), "BMA 2011; KNMG rec. 3; GMC 2013; FSMB 2012" },
  { "R3", N_("Post no identifiable patient information"), "AMA Opinion 2.3.2; GMC 2013; FSMB 2012; KNMG rec. 2" },
  { "R5", N_("If you identify yourself as a doctor in public, identify yourself by name"), "GMC 2013" },
  { "R8", N_("Use conservative privacy settings and re-check them regularly"), "BMA 2011; AMA Opinion 2.3.2; GMC 2013" },
  { "R9", N_("Monitor your own online presence"), "AMA Opinion 2.3.2" },
  { "R15", N_("Assume every post is permanent and travels further than intended"), "KNMG rec. 5; AMA Opinion 2.3.2" },
};

/* What the API reads and writes. */
static const char * const read_fields[] = {
  "locked", "discoverable", "indexable", "noindex", "hide_collections",
  "default_visibility", "logged_out_restricted", "reply_default",
};

static const char * const apply_fields[] = {
  "locked", "discoverable", "indexable", "hide_collections", "default_visibility",
  "logged_out_restricted", "reply_default",
};

static gboolean
in_list (const char * const *list,
         guint               n,
         const char         *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (list[i], value) == 0)
      return TRUE;
  return FALSE;
}

static void
value_free (WcWalkthroughValue *value)
{
  g_free (value->id);
  g_free (value->label);
  g_free (value);
}

static void
step_free (WcWalkthroughStep *step)
{
  g_free (step->id);
  g_free (step->title);
  g_free (step->where);
  g_free (step->why);
  g_free (step->rule);
  g_clear_pointer (&step->values, g_ptr_array_unref);
  for (guint i = 0; i < WC_N_IDENTITIES; i++)
    g_free (step->recommended[i]);
  g_free (step->read_field);
  g_free (step->apply_field);
  g_free (step->apply_url);
  g_free (step->confirm_to);
  g_free (step->confirm_title);
  g_free (step->confirm_body);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcWalkthroughStep, step_free)

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
invalid (GError    **error,
         const char *step_id,
         const char *what)
{
  /* For the people who write the definitions, not for users. */
  g_set_error (error, WC_WALKTHROUGH_ERROR, WC_WALKTHROUGH_ERROR_INVALID,
               "Walkthrough step “%s”: %s", step_id ? step_id : "?", what);
  return FALSE;
}

static WcWalkthroughStep *
parse_step (JsonObject  *object,
            GError     **error)
{
  g_autoptr(WcWalkthroughStep) step = g_new0 (WcWalkthroughStep, 1);
  JsonObject *recommended = object_member (object, "recommended");
  JsonObject *read = object_member (object, "read");
  JsonObject *apply = object_member (object, "apply");
  JsonObject *confirm = object_member (object, "confirm");
  JsonNode *values_node = json_object_get_member (object, "values");
  const char *kind;

  step->id = g_strdup (string_member (object, "id"));
  step->title = g_strdup (string_member (object, "title"));
  step->where = g_strdup (string_member (object, "where"));
  step->why = g_strdup (string_member (object, "why"));
  step->rule = g_strdup (string_member (object, "rule"));
  step->values = g_ptr_array_new_with_free_func ((GDestroyNotify) value_free);

  if (step->id == NULL || *step->id == '\0')
    return invalid (error, NULL, "no id"), NULL;
  if (step->title == NULL || *step->title == '\0' || step->why == NULL || *step->why == '\0'
      || step->where == NULL)
    return invalid (error, step->id, "a title, a place and a reason are needed"), NULL;
  if (wc_walkthrough_lookup_rule (step->rule) == NULL)
    return invalid (error, step->id, "it names no known rule"), NULL;

  if (values_node == NULL || !JSON_NODE_HOLDS_ARRAY (values_node)
      || json_array_get_length (json_node_get_array (values_node)) < 2)
    return invalid (error, step->id, "at least two values are needed"), NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (values_node)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (values_node), i);
      JsonObject *value_object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      WcWalkthroughValue *value;

      if (string_member (value_object, "id") == NULL || string_member (value_object, "label") == NULL)
        return invalid (error, step->id, "a value needs an id and a label"), NULL;
      if (wc_walkthrough_step_lookup_value (step, string_member (value_object, "id")) != NULL)
        return invalid (error, step->id, "a value is listed twice"), NULL;
      value = g_new0 (WcWalkthroughValue, 1);
      value->id = g_strdup (string_member (value_object, "id"));
      value->label = g_strdup (string_member (value_object, "label"));
      g_ptr_array_add (step->values, value);
    }

  for (guint i = 0; i < WC_N_IDENTITIES; i++)
    {
      const char *value = string_member (recommended, wc_identity_kind_to_string (i));

      if (value == NULL || wc_walkthrough_step_lookup_value (step, value) == NULL)
        return invalid (error, step->id, "a recommended value for each identity, from its values, is needed"), NULL;
      step->recommended[i] = g_strdup (value);
    }

  kind = string_member (read, "kind");
  if (g_strcmp0 (kind, "api") == 0)
    {
      step->read = WC_WALKTHROUGH_READ_API;
      step->read_field = g_strdup (string_member (read, "field"));
      step->read_invert = read != NULL && json_object_get_boolean_member_with_default (read, "invert", FALSE);
      if (!in_list (read_fields, G_N_ELEMENTS (read_fields), step->read_field))
        return invalid (error, step->id, "it reads an unknown field"), NULL;
    }
  else if (g_strcmp0 (kind, "ask") == 0)
    step->read = WC_WALKTHROUGH_READ_ASK;
  else if (g_strcmp0 (kind, "crosslink") == 0)
    {
      step->read = WC_WALKTHROUGH_READ_CROSSLINK;
      if (wc_walkthrough_step_lookup_value (step, WC_WALKTHROUGH_SEPARATE) == NULL
          || wc_walkthrough_step_lookup_value (step, WC_WALKTHROUGH_LINKED) == NULL)
        return invalid (error, step->id, "a cross-link step has the values “separate” and “linked”"), NULL;
    }
  else
    return invalid (error, step->id, "read is api, ask or crosslink"), NULL;

  kind = string_member (apply, "kind");
  if (g_strcmp0 (kind, "api") == 0)
    {
      step->apply = WC_WALKTHROUGH_APPLY_API;
      step->apply_field = g_strdup (string_member (apply, "field"));
      if (!in_list (apply_fields, G_N_ELEMENTS (apply_fields), step->apply_field))
        return invalid (error, step->id, "it applies an unknown field"), NULL;
      if (step->read != WC_WALKTHROUGH_READ_API)
        return invalid (error, step->id, "a step applied through the API is read through it too"), NULL;
    }
  else if (g_strcmp0 (kind, "settings-page") == 0)
    {
      step->apply = WC_WALKTHROUGH_APPLY_SETTINGS_PAGE;
      step->apply_url = g_strdup (string_member (apply, "url"));
      if (step->apply_url == NULL
          || !(g_str_has_prefix (step->apply_url, "https://") || g_str_equal (step->apply_url, "{url}")))
        return invalid (error, step->id, "a settings page needs an https:// address"), NULL;
    }
  else
    return invalid (error, step->id, "apply is api or settings-page"), NULL;

  if (confirm != NULL)
    {
      step->confirm_to = g_strdup (string_member (confirm, "to"));
      step->confirm_title = g_strdup (string_member (confirm, "title"));
      step->confirm_body = g_strdup (string_member (confirm, "body"));
      if (wc_walkthrough_step_lookup_value (step, step->confirm_to) == NULL
          || step->confirm_title == NULL || step->confirm_body == NULL)
        return invalid (error, step->id, "a warning needs a value, a title and a text"), NULL;
    }

  return g_steal_pointer (&step);
}

static void
wc_walkthrough_finalize (GObject *object)
{
  WcWalkthrough *self = WC_WALKTHROUGH (object);

  g_free (self->network);
  g_free (self->settings_url);
  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_walkthrough_parent_class)->finalize (object);
}

static void
wc_walkthrough_class_init (WcWalkthroughClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_walkthrough_finalize;
}

static void
wc_walkthrough_init (WcWalkthrough *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
}

/**
 * wc_walkthrough_new_from_json:
 *
 * Reads and validates one network's definition: every step has an id,
 * a title, a reason, a known rule, at least two values, a recommended
 * value for each identity among them, and a way to read and to apply it.
 *
 * Returns: (transfer full) (nullable): the walkthrough
 */
WcWalkthrough *
wc_walkthrough_new_from_json (const char  *json,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcWalkthrough) self = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *root;
  JsonNode *steps;

  if (!json_parser_load_from_data (parser, json, length, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, WC_WALKTHROUGH_ERROR, WC_WALKTHROUGH_ERROR_INVALID,
                           "A walkthrough is a JSON object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  self = g_object_new (WC_TYPE_WALKTHROUGH, NULL);
  self->network = g_strdup (string_member (root, "network"));
  self->settings_url = g_strdup (string_member (root, "settings_url"));
  steps = json_object_get_member (root, "steps");
  if (self->network == NULL || self->settings_url == NULL || steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps)
      || json_array_get_length (json_node_get_array (steps)) == 0)
    {
      g_set_error_literal (error, WC_WALKTHROUGH_ERROR, WC_WALKTHROUGH_ERROR_INVALID,
                           "A walkthrough needs a network, a settings address and steps");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (steps)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (steps), i);
      WcWalkthroughStep *step;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, NULL, "a step is an object");
          return NULL;
        }
      step = parse_step (json_node_get_object (node), error);
      if (step == NULL)
        return NULL;
      g_ptr_array_add (self->steps, step);
      if (!g_hash_table_add (seen, step->id))
        {
          invalid (error, step->id, "two steps have this id");
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * wc_walkthrough_load:
 * @network_id: "mastodon", "facebook" …
 *
 * Returns: (transfer full) (nullable): the walkthrough of @network_id; the
 *   object is shared between callers and must not be changed
 */
WcWalkthrough *
wc_walkthrough_load (const char  *network_id,
                     GError     **error)
{
  static GMutex lock;
  static GHashTable *cache;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  WcWalkthrough *walkthrough;

  g_return_val_if_fail (network_id != NULL, NULL);

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  walkthrough = g_hash_table_lookup (cache, network_id);
  if (walkthrough != NULL)
    return g_object_ref (walkthrough);

  /* Keeps the resource's object file in the link, which registers it. */
  (void) wc_core_get_resource ();
  path = g_strconcat (RESOURCE_DIR, network_id, ".json", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_debug ("No walkthrough at %s: %s", path, local_error->message);
      g_set_error (error, WC_WALKTHROUGH_ERROR, WC_WALKTHROUGH_ERROR_UNKNOWN,
                   _("Whitecoat has no privacy walkthrough for this network."));
      return NULL;
    }
  walkthrough = wc_walkthrough_new_from_json (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
  if (walkthrough == NULL)
    return NULL;
  if (g_strcmp0 (walkthrough->network, network_id) != 0)
    {
      g_set_error (error, WC_WALKTHROUGH_ERROR, WC_WALKTHROUGH_ERROR_INVALID,
                   "%s describes the network “%s”", path, walkthrough->network);
      g_object_unref (walkthrough);
      return NULL;
    }
  g_hash_table_insert (cache, g_strdup (network_id), g_object_ref (walkthrough));
  return walkthrough;
}

const char *
wc_walkthrough_get_network (WcWalkthrough *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH (self), NULL);
  return self->network;
}

const char *
wc_walkthrough_get_settings_url (WcWalkthrough *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH (self), NULL);
  return self->settings_url;
}

guint
wc_walkthrough_get_n_steps (WcWalkthrough *self)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH (self), 0);
  return self->steps->len;
}

const WcWalkthroughStep *
wc_walkthrough_get_step (WcWalkthrough *self,
                         guint          index)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

int
wc_walkthrough_find_step (WcWalkthrough *self,
                          const char    *step_id)
{
  g_return_val_if_fail (WC_IS_WALKTHROUGH (self), -1);

  for (guint i = 0; i < self->steps->len; i++)
    if (g_strcmp0 (((WcWalkthroughStep *) g_ptr_array_index (self->steps, i))->id, step_id) == 0)
      return i;
  return -1;
}

const char *
wc_walkthrough_step_get_recommended (const WcWalkthroughStep *step,
                                     WcIdentityKind           identity)
{
  g_return_val_if_fail (step != NULL && identity < WC_N_IDENTITIES, NULL);
  return step->recommended[identity];
}

const WcWalkthroughValue *
wc_walkthrough_step_lookup_value (const WcWalkthroughStep *step,
                                  const char              *value_id)
{
  g_return_val_if_fail (step != NULL, NULL);

  for (guint i = 0; value_id != NULL && i < step->values->len; i++)
    {
      const WcWalkthroughValue *value = g_ptr_array_index (step->values, i);

      if (g_str_equal (value->id, value_id))
        return value;
    }
  return NULL;
}

const char *
wc_walkthrough_step_get_value_label (const WcWalkthroughStep *step,
                                     const char              *value_id)
{
  const WcWalkthroughValue *value = wc_walkthrough_step_lookup_value (step, value_id);

  return value != NULL ? g_dgettext (GETTEXT_PACKAGE, value->label) : value_id;
}

const char *
wc_walkthrough_step_get_title (const WcWalkthroughStep *step)
{
  return g_dgettext (GETTEXT_PACKAGE, step->title);
}

const char *
wc_walkthrough_step_get_why (const WcWalkthroughStep *step)
{
  return g_dgettext (GETTEXT_PACKAGE, step->why);
}

const char *
wc_walkthrough_step_get_where (const WcWalkthroughStep *step)
{
  return *step->where != '\0' ? g_dgettext (GETTEXT_PACKAGE, step->where) : "";
}

static char *
tristate_value (WcTristate value,
                gboolean   invert)
{
  if (value == WC_TRISTATE_UNKNOWN)
    return NULL;
  return g_strdup ((value == WC_TRISTATE_YES) != invert ? WC_WALKTHROUGH_ON : WC_WALKTHROUGH_OFF);
}

/* A string the network layer keeps in declared_settings (read through an
 * API but without a column of its own). */
static char *
declared_string (const WcAccountState *state,
                 const char           *member)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonNode *node;

  if (state->declared_settings == NULL || *state->declared_settings == '\0')
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, state->declared_settings, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  node = json_object_get_member (json_node_get_object (root), member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/**
 * wc_walkthrough_step_read_state:
 * @state: (nullable): what the network reported
 *
 * Returns: (transfer full) (nullable): the current value of @step
 */
char *
wc_walkthrough_step_read_state (const WcWalkthroughStep *step,
                                const WcAccountState    *state)
{
  const char *field;

  g_return_val_if_fail (step != NULL, NULL);

  if (step->read != WC_WALKTHROUGH_READ_API || state == NULL || state->taken_at == 0)
    return NULL;
  field = step->read_field;
  if (g_str_equal (field, "locked"))
    return tristate_value (state->locked, step->read_invert);
  if (g_str_equal (field, "discoverable"))
    return tristate_value (state->discoverable, step->read_invert);
  if (g_str_equal (field, "indexable"))
    return tristate_value (state->indexable, step->read_invert);
  if (g_str_equal (field, "noindex"))
    return tristate_value (state->noindex, step->read_invert);
  if (g_str_equal (field, "hide_collections"))
    return tristate_value (state->hide_collections, step->read_invert);
  if (g_str_equal (field, "logged_out_restricted"))
    return tristate_value (state->logged_out_restricted, step->read_invert);
  if (g_str_equal (field, "default_visibility"))
    return g_strdup (state->default_visibility);
  if (g_str_equal (field, "reply_default"))
    return declared_string (state, WC_DECLARED_REPLY_DEFAULT);
  return NULL;
}

gboolean
wc_walkthrough_step_needs_confirm (const WcWalkthroughStep *step,
                                   const char              *current,
                                   const char              *target)
{
  g_return_val_if_fail (step != NULL, FALSE);

  /* Unknown counts as "could be different": the warning is cheap, the
   * side effect (every pending request accepted) is not. */
  return step->confirm_to != NULL && g_strcmp0 (target, step->confirm_to) == 0
         && g_strcmp0 (current, step->confirm_to) != 0;
}

const WcWalkthroughRule *
wc_walkthrough_lookup_rule (const char *rule_id)
{
  for (guint i = 0; rule_id != NULL && i < G_N_ELEMENTS (rules); i++)
    if (g_str_equal (rules[i].id, rule_id))
      return &rules[i];
  return NULL;
}

const char *
wc_walkthrough_rule_get_title (const WcWalkthroughRule *rule)
{
  return g_dgettext (GETTEXT_PACKAGE, rule->title);
}

char *
wc_walkthrough_expand_url (const char *template_,
                           WcAccount  *account)
{
  g_autoptr(GString) url = g_string_new (template_);
  const char *server = account != NULL ? wc_account_get_server (account) : NULL;
  const char *handle = account != NULL ? wc_account_get_handle (account) : NULL;
  const char *profile = account != NULL ? wc_account_get_profile_url (account) : NULL;
  g_autofree char *host = NULL;
  g_autofree char *bare_handle = NULL;

  g_return_val_if_fail (template_ != NULL, NULL);

  if (server != NULL && *server != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        host = g_uri_get_port (uri) > 0
               ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
               : g_strdup (g_uri_get_host (uri));
      else
        host = g_strdup (server);
    }
  else if (handle != NULL && strrchr (handle + 1, '@') != NULL)
    host = g_strdup (strrchr (handle + 1, '@') + 1);

  if (handle != NULL)
    {
      const char *start = handle[0] == '@' ? handle + 1 : handle;
      const char *at = strchr (start, '@');

      bare_handle = at != NULL ? g_strndup (start, at - start) : g_strdup (start);
    }

  g_string_replace (url, "{server}", host ? host : "", 0);
  g_string_replace (url, "{handle}", bare_handle ? bare_handle : "", 0);
  g_string_replace (url, "{url}", profile ? profile : "", 0);
  return g_string_free (g_steal_pointer (&url), FALSE);
}
