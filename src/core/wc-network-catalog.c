/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-networks-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wc-core-resources.h"
#include "wc-network-catalog.h"
#include "wc-util.h"

#define CATALOG_RESOURCE_DIR "/io/github/whitecoat/Whitecoat/core/networks"

struct _WcNetworkInfo
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  char      *icon_name;
  char      *website;
  char      *privacy_url;
  char      *default_server;
  char      *handle_example;
  char      *handle_hint;
  char      *handle_prefix;
  GRegex    *handle_regex;
  GPtrArray *audience;  /* WcAudienceOption */
  guint      char_limit;
  guint      max_images;
  guint      has_api : 1;
  guint      needs_server : 1;
  guint      is_custom : 1;
  guint      handle_lowercase : 1;
};

struct _WcNetworkCatalog
{
  GObject    parent_instance;

  GPtrArray *networks;  /* WcNetworkInfo, in the order of the file list */
};

G_DEFINE_FINAL_TYPE (WcNetworkInfo, wc_network_info, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (WcNetworkCatalog, wc_network_catalog, G_TYPE_OBJECT)
G_DEFINE_QUARK (wc-network-catalog-error-quark, wc_network_catalog_error)

/* The order in which networks are offered to the user. */
static const char * const network_order[] = {
  "mastodon", "bluesky", "facebook", "x", "linkedin", "instagram",
  "researchgate", "pinterest", "threads", "other",
};

static void
audience_option_free (WcAudienceOption *option)
{
  g_free (option->id);
  g_free (option->label);
  g_free (option->description);
  g_free (option);
}

static gboolean
get_required_string (JsonObject  *object,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || wc_text_is_blank (json_node_get_string (node)))
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   "missing or empty string member “%s”", member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_required_boolean (JsonObject  *object,
                      const char  *member,
                      gboolean    *out,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   "missing boolean member “%s”", member);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static void
wc_network_info_finalize (GObject *object)
{
  WcNetworkInfo *self = (WcNetworkInfo *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->icon_name);
  g_free (self->website);
  g_free (self->privacy_url);
  g_free (self->default_server);
  g_free (self->handle_example);
  g_free (self->handle_hint);
  g_free (self->handle_prefix);
  g_clear_pointer (&self->handle_regex, g_regex_unref);
  g_clear_pointer (&self->audience, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_network_info_parent_class)->finalize (object);
}

static void
wc_network_info_class_init (WcNetworkInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_network_info_finalize;
}

static void
wc_network_info_init (WcNetworkInfo *self)
{
  self->audience = g_ptr_array_new_with_free_func ((GDestroyNotify) audience_option_free);
}

static gboolean
parse_handle (WcNetworkInfo  *self,
              JsonObject     *root,
              GError        **error)
{
  JsonNode *node = json_object_get_member (root, "handle");
  JsonObject *handle;
  g_autofree char *pattern = NULL;
  g_autoptr(GError) regex_error = NULL;
  gboolean lowercase;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                           "missing object member “handle”");
      return FALSE;
    }
  handle = json_node_get_object (node);

  if (!get_required_string (handle, "pattern", &pattern, error) ||
      !get_required_string (handle, "example", &self->handle_example, error) ||
      !get_required_string (handle, "hint", &self->handle_hint, error) ||
      !get_required_boolean (handle, "lowercase", &lowercase, error))
    return FALSE;

  self->handle_lowercase = lowercase;
  self->handle_prefix = g_strdup (json_object_get_string_member_with_default (handle, "prefix", ""));

  self->handle_regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &regex_error);
  if (self->handle_regex == NULL)
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   "handle pattern does not compile: %s", regex_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_audience (WcNetworkInfo  *self,
                JsonObject     *root,
                GError        **error)
{
  JsonNode *node = json_object_get_member (root, "audience");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                           "missing or empty array member “audience”");
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      WcAudienceOption *option;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                       "audience option %u is not an object", i);
          return FALSE;
        }

      option = g_new0 (WcAudienceOption, 1);
      g_ptr_array_add (self->audience, option);
      if (!get_required_string (json_node_get_object (element), "id", &option->id, error) ||
          !get_required_string (json_node_get_object (element), "label", &option->label, error) ||
          !get_required_string (json_node_get_object (element), "description", &option->description, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * wc_network_info_new_from_json:
 * @json: the contents of a network data file
 * @length: the length of @json, or -1
 * @error: a #WC_NETWORK_CATALOG_ERROR_INVALID error naming what is wrong
 *
 * Returns: (transfer full): the network described by @json
 */
WcNetworkInfo *
wc_network_info_new_from_json (const char  *json,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WcNetworkInfo) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *node;
  gboolean has_api, needs_server, is_custom;

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   "not valid JSON: %s", local_error->message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                           "the document is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);

  self = g_object_new (WC_TYPE_NETWORK_INFO, NULL);

  if (!get_required_string (root, "id", &self->id, error) ||
      !get_required_string (root, "name", &self->name, error) ||
      !get_required_string (root, "icon", &self->icon_name, error) ||
      !get_required_string (root, "website", &self->website, error) ||
      !get_required_string (root, "privacy_url", &self->privacy_url, error) ||
      !get_required_boolean (root, "has_api", &has_api, error) ||
      !get_required_boolean (root, "needs_server", &needs_server, error) ||
      !get_required_boolean (root, "is_custom", &is_custom, error) ||
      !parse_handle (self, root, error) ||
      !parse_audience (self, root, error))
    return NULL;

  self->has_api = has_api;
  self->needs_server = needs_server;
  self->is_custom = is_custom;

  node = json_object_get_member (root, "char_limit");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT32)
    {
      g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                           "missing or negative integer member “char_limit”");
      return NULL;
    }
  self->char_limit = json_node_get_int (node);

  /* Optional: 0 when the network's limit is not known. */
  node = json_object_get_member (root, "max_images");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > 1000)
        {
          g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                               "“max_images” is not a small whole number");
          return NULL;
        }
      self->max_images = json_node_get_int (node);
    }

  if (self->needs_server)
    {
      if (!get_required_string (root, "default_server", &self->default_server, error))
        return NULL;
      if (!wc_url_is_http (self->default_server))
        {
          g_set_error_literal (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                               "“default_server” is not an http(s) URL");
          return NULL;
        }
    }

  if (!g_regex_match_simple ("^[a-z][a-z0-9-]*$", self->id, 0, 0))
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   "network id “%s” is not a lower-case word", self->id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
wc_network_info_get_id (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->id;
}

const char *
wc_network_info_get_name (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->name;
}

const char *
wc_network_info_get_icon_name (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->icon_name;
}

gboolean
wc_network_info_get_has_api (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), FALSE);
  return self->has_api;
}

gboolean
wc_network_info_get_needs_server (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), FALSE);
  return self->needs_server;
}

gboolean
wc_network_info_get_is_custom (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), FALSE);
  return self->is_custom;
}

/**
 * wc_network_info_get_char_limit:
 *
 * Returns: the default character limit of a post, or 0 when none is known
 */
guint
wc_network_info_get_char_limit (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), 0);
  return self->char_limit;
}

/**
 * wc_network_info_get_privacy_url:
 *
 * Returns: the URL of the network's privacy settings page; "{server}" stands
 *   for the account's server where the network has servers
 */
/**
 * wc_network_info_get_max_images:
 *
 * Returns: how many images a post can carry, or 0 when unknown
 */
guint
wc_network_info_get_max_images (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), 0);
  return self->max_images;
}

const char *
wc_network_info_get_privacy_url (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->privacy_url;
}

const char *
wc_network_info_get_website (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->website;
}

const char *
wc_network_info_get_handle_example (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->handle_example;
}

/**
 * wc_network_info_get_handle_hint:
 *
 * Returns: the translated hint on the form of a handle
 */
const char *
wc_network_info_get_handle_hint (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->handle_hint);
}

const char *
wc_network_info_get_default_server (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->default_server;
}

/**
 * wc_network_info_get_audience_options:
 *
 * Returns: (transfer none) (element-type WcAudienceOption): the audiences a
 *   post can have on this network, narrowest last
 */
GPtrArray *
wc_network_info_get_audience_options (WcNetworkInfo *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);
  return self->audience;
}

/**
 * wc_network_info_normalize_handle:
 * @handle: a handle as the user typed it
 *
 * Brings @handle to the network's canonical form: white space trimmed, a
 * leading "@" replaced by the network's prefix, lower case where the network
 * ignores case.
 *
 * Returns: (transfer full): the canonical handle
 */
char *
wc_network_info_normalize_handle (WcNetworkInfo *self,
                                  const char    *handle)
{
  g_autofree char *stripped = wc_strip_dup (handle);
  const char *bare = stripped;

  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), NULL);

  while (*bare == '@')
    bare++;
  if (*bare == '\0')
    return g_strdup ("");

  if (self->handle_lowercase)
    {
      g_autofree char *lower = g_utf8_strdown (bare, -1);
      return g_strconcat (self->handle_prefix, lower, NULL);
    }
  return g_strconcat (self->handle_prefix, bare, NULL);
}

/**
 * wc_network_info_validate_handle:
 * @handle: a handle as the user typed it
 * @error: a message for the handle field
 *
 * Returns: whether @handle, once normalised, has the network's form
 */
gboolean
wc_network_info_validate_handle (WcNetworkInfo  *self,
                                 const char     *handle,
                                 GError        **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (WC_IS_NETWORK_INFO (self), FALSE);

  if (wc_text_is_blank (handle))
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   _("Type the account’s handle, for example %s."), self->handle_example);
      return FALSE;
    }

  normal = wc_network_info_normalize_handle (self, handle);
  if (!g_utf8_validate (normal, -1, NULL) || wc_text_has_control (normal)
      || !g_regex_match (self->handle_regex, normal, 0, NULL))
    {
      g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                   /* Translators: the first %s is a network name, the second a hint
                    * such as "Write the full address: @name@server", the third an example */
                   _("This is not a valid %s handle. %s, for example %s."),
                   self->name, wc_network_info_get_handle_hint (self), self->handle_example);
      return FALSE;
    }
  return TRUE;
}

/* The catalog */

static void
wc_network_catalog_finalize (GObject *object)
{
  WcNetworkCatalog *self = (WcNetworkCatalog *) object;

  g_clear_pointer (&self->networks, g_ptr_array_unref);

  G_OBJECT_CLASS (wc_network_catalog_parent_class)->finalize (object);
}

static void
wc_network_catalog_class_init (WcNetworkCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wc_network_catalog_finalize;
}

static void
wc_network_catalog_init (WcNetworkCatalog *self)
{
  self->networks = g_ptr_array_new_with_free_func (g_object_unref);
}

static int
compare_by_order (gconstpointer a,
                  gconstpointer b)
{
  WcNetworkInfo *info_a = *(WcNetworkInfo **) a;
  WcNetworkInfo *info_b = *(WcNetworkInfo **) b;
  guint pos_a = G_N_ELEMENTS (network_order);
  guint pos_b = G_N_ELEMENTS (network_order);

  for (guint i = 0; i < G_N_ELEMENTS (network_order); i++)
    {
      if (g_str_equal (network_order[i], info_a->id))
        pos_a = i;
      if (g_str_equal (network_order[i], info_b->id))
        pos_b = i;
    }
  if (pos_a != pos_b)
    return pos_a < pos_b ? -1 : 1;
  return g_strcmp0 (info_a->id, info_b->id);
}

/**
 * wc_network_catalog_new_from_resource:
 * @resource_dir: a GResource folder holding one <id>.json file per network
 * @error: names the file and what is wrong with it
 *
 * Returns: (transfer full): a catalog of every network in @resource_dir
 */
WcNetworkCatalog *
wc_network_catalog_new_from_resource (const char  *resource_dir,
                                      GError     **error)
{
  g_autoptr(WcNetworkCatalog) self = g_object_new (WC_TYPE_NETWORK_CATALOG, NULL);
  g_auto(GStrv) children = NULL;

  /* Referencing the resource keeps the linker from dropping it from the
   * static library. */
  (void) wc_core_get_resource ();

  children = g_resources_enumerate_children (resource_dir, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (children == NULL)
    return NULL;

  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *expected_id = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(WcNetworkInfo) info = NULL;

      if (!g_str_has_suffix (children[i], ".json"))
        continue;

      path = g_build_path ("/", resource_dir, children[i], NULL);
      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;

      info = wc_network_info_new_from_json (g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes), &local_error);
      if (info == NULL)
        {
          g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                       "%s: %s", children[i], local_error->message);
          return NULL;
        }

      expected_id = g_strndup (children[i], strlen (children[i]) - strlen (".json"));
      if (!g_str_equal (expected_id, info->id))
        {
          g_set_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID,
                       "%s: id “%s” does not match the file name", children[i], info->id);
          return NULL;
        }

      g_ptr_array_add (self->networks, g_steal_pointer (&info));
    }

  g_ptr_array_sort (self->networks, compare_by_order);
  return g_steal_pointer (&self);
}

/**
 * wc_network_catalog_get_default:
 *
 * The networks compiled into Whitecoat. The data files are tested, so a file
 * that does not parse is a programming error here.
 *
 * Returns: (transfer none): the default catalog
 */
WcNetworkCatalog *
wc_network_catalog_get_default (void)
{
  static WcNetworkCatalog *catalog;

  if (g_once_init_enter (&catalog))
    {
      g_autoptr(GError) error = NULL;
      WcNetworkCatalog *loaded = wc_network_catalog_new_from_resource (CATALOG_RESOURCE_DIR, &error);

      if (loaded == NULL)
        g_error ("The network data compiled into Whitecoat is broken: %s", error->message);
      g_once_init_leave (&catalog, loaded);
    }
  return catalog;
}

/**
 * wc_network_catalog_lookup:
 * @id: a network id such as "mastodon"
 *
 * Returns: (transfer none) (nullable): the network, or %NULL if unknown
 */
WcNetworkInfo *
wc_network_catalog_lookup (WcNetworkCatalog *self,
                           const char       *id)
{
  g_return_val_if_fail (WC_IS_NETWORK_CATALOG (self), NULL);

  for (guint i = 0; id != NULL && i < self->networks->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (self->networks, i);

      if (g_str_equal (info->id, id))
        return info;
    }
  return NULL;
}

/**
 * wc_network_catalog_list:
 *
 * Returns: (transfer none) (element-type WcNetworkInfo): every network, in
 *   the order they are offered to the user
 */
GPtrArray *
wc_network_catalog_list (WcNetworkCatalog *self)
{
  g_return_val_if_fail (WC_IS_NETWORK_CATALOG (self), NULL);
  return self->networks;
}
