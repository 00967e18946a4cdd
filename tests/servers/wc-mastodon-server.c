/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-mastodon-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <pango/pango.h>

#include "wc-mastodon-server.h"

/* A Mastodon API server of our own, for tests and for trying Whitecoat by
 * hand. It follows the documented behaviour (../../../shared/NETWORKS.md §1)
 * for the subset Whitecoat uses. It runs in a thread of its own with its own
 * main context, so a test may talk to it with synchronous or asynchronous
 * calls alike; every piece of state sits behind one mutex. It listens on
 * 127.0.0.1 only. */

#define DEFAULT_RATE_LIMIT       300
#define DEFAULT_RATE_WINDOW      300
#define IDEMPOTENCY_SECONDS      3600
#define SCHEDULE_MIN_OFFSET      300
#define SCHEDULE_DAILY_LIMIT     25
#define SCHEDULE_TOTAL_LIMIT     300
#define MAX_MEDIA_ATTACHMENTS    4
#define DESCRIPTION_LIMIT        1500
#define IMAGE_SIZE_LIMIT         16777216
#define VIDEO_SIZE_LIMIT         103809024
#define MAX_PROFILE_FIELDS       4
#define CODE_LIFETIME            600
#define URL_PLACEHOLDER          "xxxxxxxxxxxxxxxxxxxxxxx"

static const char * const known_scopes[] = {
  "read", "write", "follow", "push", "profile",
  "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
  "read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
  "read:statuses",
  "write:accounts", "write:blocks", "write:bookmarks", "write:conversations",
  "write:favourites", "write:filters", "write:follows", "write:lists", "write:media",
  "write:mutes", "write:notifications", "write:reports", "write:statuses",
  NULL
};

static const char * const supported_mime_types[] = {
  "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp",
  "image/avif", "video/webm", "video/mp4", "video/quicktime", "video/ogg",
  "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave",
  "audio/ogg", "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm", "audio/flac",
  "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf",
  NULL
};

typedef struct
{
  guint64 follow_id;
  guint64 account_id;
} Edge;

/* Followers and follow requests: an array in follow order for paging, and an
 * index for membership. 100,000 entries cost a few megabytes. */
typedef struct
{
  GArray     *edges;
  GHashTable *index;
} EdgeList;

typedef struct
{
  char   *name;
  char   *value;
  gint64  verified_at;
} Field;

typedef struct
{
  gint64   at;
  gboolean scheduled;
  guint64  id;
} Idempotency;

typedef struct
{
  guint64     id;
  char       *username;
  char       *password;
  char       *display_name;
  char       *note;
  gboolean    locked;
  gboolean    discoverable;
  gboolean    indexable;
  gboolean    hide_collections;
  gboolean    bot;
  char       *privacy;
  gboolean    sensitive;
  char       *language;
  GPtrArray  *fields;
  gint64      created_at;
  EdgeList    followers;
  EdgeList    requests;
  EdgeList    blocks;           /* added for the requests inbox */
  guint       following_count;
  guint       statuses_count;
  GHashTable *idempotency;
} User;

typedef struct
{
  guint64  id;
  char    *name;
  char    *website;
  char    *client_id;
  char    *client_secret;
  GStrv    scopes;
  GStrv    redirect_uris;
  gint64   created_at;
} App;

typedef struct
{
  char     *token;
  App      *app;
  User     *user;
  GStrv     scopes;
  gint64    created_at;
  gboolean  revoked;
  guint     rl_remaining;
  gint64    rl_reset;
} Token;

typedef struct
{
  char     *code;
  App      *app;
  User     *user;
  char     *redirect_uri;
  GStrv     scopes;
  char     *challenge;
  gint64    created_at;
  gboolean  used;
} Grant;

typedef struct
{
  guint64  id;
  User    *user;
  char    *description;
  double   focus_x;
  double   focus_y;
  char    *content_type;
  char    *filename;
  GBytes  *bytes;
  gint64   created_at;
  guint    polls;
  guint    polls_needed;
  gint64   ready_at;
  gboolean processed;
  guint64  status_id;
  guint64  scheduled_id;
} Media;

typedef struct
{
  guint64    id;
  User      *user;
  App       *app;
  char      *text;
  char      *spoiler_text;
  char      *visibility;
  char      *language;
  char      *in_reply_to_id;
  gboolean   sensitive;
  gint64     created_at;
  GPtrArray *media;
} Status;

typedef struct
{
  guint64    id;
  User      *user;
  App       *app;
  gint64     scheduled_at;
  char      *text;
  char      *spoiler_text;
  char      *visibility;
  char      *language;
  char      *in_reply_to_id;
  char      *idempotency;
  gboolean   sensitive;
  gboolean   sensitive_given;
  GPtrArray *media;
} Scheduled;

typedef struct
{
  char            *method;
  char            *path_prefix;
  WcMastodonFault  fault;
  guint            remaining;
  gboolean         unlimited;
  guint            parameter;
} Fault;

typedef enum
{
  PENDING_DELAY,
  PENDING_DROP,
  PENDING_HUNG,
} PendingKind;

typedef struct
{
  WcMastodonServer  *self;
  SoupServerMessage *msg;
  PendingKind        kind;
  GSource           *source;
  gulong             disconnected_id;
  gboolean           disconnected;
} Pending;

typedef struct
{
  char   *filename;
  char   *content_type;
  GBytes *bytes;
} FilePart;

/* Request parameters from the query, a form, a multipart body or JSON,
 * flattened to Rails-style keys: `media_ids[]`, `source[privacy]`,
 * `fields_attributes[0][name]`. */
typedef struct
{
  GHashTable *values;
  GHashTable *files;
} Params;

typedef struct
{
  WcMastodonServer  *self;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  char             **segs;
  guint              n_segs;
  Params            *params;
  Token             *token;
  User              *user;
} Request;

struct _WcMastodonServer
{
  GObject       parent_instance;

  GMutex        lock;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *base_url;
  GMutex        start_lock;
  GCond         start_cond;
  gboolean      start_done;
  GError       *start_error;
  guint         start_port;

  gint64        fake_now;
  gint64        mono_base;
  gboolean      frozen;

  guint         rl_limit;
  guint         rl_window;
  guint         media_polls;
  guint         media_seconds;
  gboolean      instance_v2;
  guint         max_characters;
  gboolean      login_form;
  guint         scheduled_page_max;  /* GET /api/v1/scheduled_statuses: 40 */

  guint64       next_account_id;
  guint64       next_status_id;
  guint64       next_scheduled_id;
  guint64       next_media_id;
  guint64       next_follow_id;
  guint64       next_app_id;

  GPtrArray    *users;
  GHashTable   *users_by_id;
  GHashTable   *users_by_name;
  GPtrArray    *apps;
  GHashTable   *apps_by_client_id;
  App          *token_app;
  GPtrArray    *token_list;
  GHashTable   *tokens;
  GHashTable   *grants;
  GPtrArray    *statuses;
  GHashTable   *statuses_by_id;
  GPtrArray    *scheduled;
  GHashTable   *published_from;
  GPtrArray    *media;
  GHashTable   *media_by_id;
  GPtrArray    *faults;
  GPtrArray    *requests_log;
  GPtrArray    *pending;

  GRegex       *url_regex;
  GRegex       *mention_regex;
};

G_DEFINE_FINAL_TYPE (WcMastodonServer, wc_mastodon_server, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static gint64
now_locked (WcMastodonServer *self)
{
  if (self->frozen)
    return self->fake_now;
  return self->fake_now + (g_get_monotonic_time () - self->mono_base) / G_USEC_PER_SEC;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z");
}

static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

static char *
random_token (void)
{
  guint8 buf[32];

  for (gsize i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) g_random_int_range (0, 256);
  return base64url (buf, sizeof buf);
}

static gboolean
parse_id (const char *text,
          guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, out, NULL);
}

static gboolean
parse_bool (const char *value)
{
  const char * const falsy[] = { "0", "f", "F", "false", "FALSE", "False", "off", "OFF", NULL };

  if (value == NULL || *value == '\0')
    return FALSE;
  return !g_strv_contains (falsy, value);
}

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* --- Status content as Mastodon renders it --------------------------------
 * (app/lib/text_formatter.rb): paragraphs split at blank lines, line
 * breaks as <br />, http(s) links with the "invisible" prefix and the
 * first 30 characters in an "ellipsis" span when longer, hashtags as
 * <a class="mention hashtag">#<span>tag</span></a>, mentions as an h-card
 * showing only "@user" (the domain is dropped). */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

static void
append_escaped (GString    *html,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (html, escaped);
}

/* The length of the link at @p, 0 if there is none. */
static gsize
link_length (const char *p)
{
  gsize n;

  if (!g_str_has_prefix (p, "https://") && !g_str_has_prefix (p, "http://"))
    return 0;
  n = g_str_has_prefix (p, "https://") ? 8 : 7;
  while (p[n] != '\0' && !g_ascii_isspace (p[n]) && p[n] != '<' && p[n] != '>' && p[n] != '"')
    n++;
  while (n > 0 && strchr (".,;:!?'\")", p[n - 1]) != NULL)
    n--;
  return n > 8 ? n : 0;
}

static void
append_link (GString    *html,
             const char *url,
             gsize       length)
{
  gsize prefix = g_str_has_prefix (url, "https://") ? 8 : 7;
  g_autofree char *rest = g_strndup (url + prefix, length - prefix);
  glong chars = g_utf8_strlen (rest, -1);
  const char *cut = chars > 30 ? g_utf8_offset_to_pointer (rest, 30) : rest + strlen (rest);
  g_autofree char *href = g_markup_escape_text (url, length);

  if (g_str_has_prefix (rest, "www."))
    {
      /* URL_PREFIX_REGEX takes "www." into the invisible prefix. */
      prefix += 4;
      g_free (rest);
      rest = g_strndup (url + prefix, length - prefix);
      chars = g_utf8_strlen (rest, -1);
      cut = chars > 30 ? g_utf8_offset_to_pointer (rest, 30) : rest + strlen (rest);
    }
  g_string_append_printf (html, "<a href=\"%s\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
                                "<span class=\"invisible\">", href);
  append_escaped (html, url, prefix);
  g_string_append_printf (html, "</span><span class=\"%s\">", chars > 30 ? "ellipsis" : "");
  append_escaped (html, rest, cut - rest);
  g_string_append (html, "</span><span class=\"invisible\">");
  append_escaped (html, cut, -1);
  g_string_append (html, "</span></a>");
}

static void
render_paragraph (WcMastodonServer *self,
                  GString          *html,
                  const char       *text)
{
  gunichar before = 0;

  for (const char *p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean boundary = before == 0 || (!is_word_char (before) && before != '/' && before != ')');
      gsize n;

      if (c == '\n')
        {
          g_string_append (html, "<br />");
          p++;
          before = c;
          continue;
        }
      if (boundary && (n = link_length (p)) > 0)
        {
          append_link (html, p, n);
          p += n;
          before = 'x';
          continue;
        }
      if (boundary && c == '#')
        {
          const char *q = p + 1;
          gboolean alpha = FALSE;

          while (*q != '\0' && is_word_char (g_utf8_get_char (q)))
            {
              alpha = alpha || !g_unichar_isdigit (g_utf8_get_char (q));
              q = g_utf8_next_char (q);
            }
          if (alpha)
            {
              g_autofree char *tag = g_strndup (p + 1, q - p - 1);
              g_autofree char *lower = g_utf8_strdown (tag, -1);
              g_autofree char *href = g_strdup_printf ("%s/tags/%s", self->base_url, lower);

              g_string_append_printf (html, "<a href=\"%s\" class=\"mention hashtag\" rel=\"tag\">#<span>", href);
              append_escaped (html, tag, -1);
              g_string_append (html, "</span></a>");
              p = q;
              before = 'x';
              continue;
            }
        }
      if (boundary && c == '@')
        {
          const char *q = p + 1;
          const char *domain = NULL, *domain_end = NULL;
          g_autofree char *username = NULL;
          g_autofree char *href = NULL;

          while (g_ascii_isalnum (*q) || *q == '_')
            q++;
          username = g_strndup (p + 1, q - p - 1);
          if (*q == '@' && (g_ascii_isalnum (q[1])))
            {
              domain = q + 1;
              domain_end = domain;
              while (g_ascii_isalnum (*domain_end) || *domain_end == '.' || *domain_end == '-')
                domain_end++;
              while (domain_end > domain && (domain_end[-1] == '.' || domain_end[-1] == '-'))
                domain_end--;
            }
          if (*username != '\0' && domain != NULL)
            {
              /* Another server's account (WebFinger finds it there). */
              g_autofree char *host = g_strndup (domain, domain_end - domain);

              href = g_strdup_printf ("https://%s/@%s", host, username);
              q = domain_end;
            }
          else if (*username != '\0' && g_hash_table_contains (self->users_by_name, username))
            href = g_strdup_printf ("%s/@%s", self->base_url, username);
          if (href != NULL)
            {
              g_string_append_printf (html, "<span class=\"h-card\" translate=\"no\"><a href=\"%s\" "
                                            "class=\"u-url mention\">@<span>", href);
              append_escaped (html, username, -1);
              g_string_append (html, "</span></a></span>");
              p = q;
              before = 'x';
              continue;
            }
        }
      n = g_utf8_next_char (p) - p;
      append_escaped (html, p, n);
      p += n;
      before = c;
    }
}

static char *
render_status_content (WcMastodonServer *self,
                       const char       *text)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autoptr(GRegex) blank = g_regex_new ("\n\\s*\n", 0, 0, NULL);
  g_auto(GStrv) paragraphs = NULL;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  paragraphs = g_regex_split (blank, text, 0);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      if (*paragraphs[i] == '\0')
        continue;
      g_string_append (html, "<p>");
      render_paragraph (self, html, paragraphs[i]);
      g_string_append (html, "</p>");
    }
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static glong
count_graphemes (const char *text)
{
  glong n_chars = g_utf8_strlen (text, -1);
  g_autofree PangoLogAttr *attrs = NULL;
  glong count = 0;

  if (n_chars == 0)
    return 0;
  attrs = g_new0 (PangoLogAttr, n_chars + 1);
  pango_get_log_attrs (text, -1, -1, pango_language_from_string ("en"), attrs, n_chars + 1);
  for (glong i = 0; i < n_chars; i++)
    if (attrs[i].is_cursor_position)
      count++;
  return count;
}

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
node_take_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          gint64      unix_seconds)
{
  g_autofree char *text = format_time (unix_seconds);

  json_object_set_string_member (object, name, text);
}

static void
set_id (JsonObject *object,
        const char *name,
        guint64     id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);

  json_object_set_string_member (object, name, text);
}

static JsonArray *
strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

/* ------------------------------------------------------------------------ */
/* Parameters                                                                */

static void
file_part_free (gpointer data)
{
  FilePart *part = data;

  g_free (part->filename);
  g_free (part->content_type);
  g_clear_pointer (&part->bytes, g_bytes_unref);
  g_free (part);
}

static Params *
params_new (void)
{
  Params *p = g_new0 (Params, 1);

  p->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  p->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, file_part_free);
  return p;
}

static void
params_free (Params *p)
{
  g_hash_table_unref (p->values);
  g_hash_table_unref (p->files);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Params, params_free)

static void
params_add (Params     *p,
            const char *key,
            const char *value)
{
  GPtrArray *values = g_hash_table_lookup (p->values, key);

  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (p->values, g_strdup (key), values);
    }
  g_ptr_array_add (values, g_strdup (value));
}

/* The last value given for @key, as Rails keeps it. */
static const char *
params_get (Params     *p,
            const char *key)
{
  GPtrArray *values = g_hash_table_lookup (p->values, key);

  if (values == NULL || values->len == 0)
    return NULL;
  return g_ptr_array_index (values, values->len - 1);
}

/* The values of `key[]`, or of `key` when no array was sent. */
static GPtrArray *
params_values (Params     *p,
               const char *key)
{
  g_autofree char *array_key = g_strconcat (key, "[]", NULL);
  GPtrArray *values = g_hash_table_lookup (p->values, array_key);

  if (values == NULL)
    values = g_hash_table_lookup (p->values, key);
  return values;
}

static char *
form_unescape (const char *text,
               gssize      len)
{
  g_autofree char *copy = g_strndup (text, len < 0 ? strlen (text) : (gsize) len);
  char *decoded;

  for (char *c = copy; *c != '\0'; c++)
    if (*c == '+')
      *c = ' ';
  decoded = g_uri_unescape_string (copy, NULL);
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    {
      g_free (decoded);
      return g_utf8_make_valid (copy, -1);
    }
  return decoded;
}

static void
params_parse_form (Params     *p,
                   const char *data,
                   gsize       len)
{
  const char *end = data + len;
  const char *pair = data;

  if (data == NULL)
    return;
  while (pair < end)
    {
      const char *amp = memchr (pair, '&', end - pair);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (pair, '=', pair_end - pair);

      if (pair_end > pair)
        {
          g_autofree char *key = form_unescape (pair, (eq != NULL ? eq : pair_end) - pair);
          g_autofree char *value = eq != NULL ? form_unescape (eq + 1, pair_end - eq - 1)
                                              : g_strdup ("");

          if (*key != '\0')
            params_add (p, key, value);
        }
      pair = pair_end + 1;
    }
}

static void
params_flatten_json (Params     *p,
                     const char *prefix,
                     JsonNode   *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          {
            g_autofree char *key = prefix != NULL ? g_strdup_printf ("%s[%s]", prefix, name)
                                                  : g_strdup (name);

            params_flatten_json (p, key, member);
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        if (prefix == NULL)
          break;
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (JSON_NODE_HOLDS_OBJECT (element))
              {
                g_autofree char *key = g_strdup_printf ("%s[%u]", prefix, i);

                params_flatten_json (p, key, element);
              }
            else
              {
                g_autofree char *key = g_strdup_printf ("%s[]", prefix);

                params_flatten_json (p, key, element);
              }
          }
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (prefix == NULL)
          break;
        if (type == G_TYPE_STRING)
          params_add (p, prefix, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          params_add (p, prefix, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          {
            g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

            params_add (p, prefix, text);
          }
        else if (type == G_TYPE_DOUBLE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            params_add (p, prefix, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
          }
      }
      break;

    case JSON_NODE_NULL:
      if (prefix != NULL)
        params_add (p, prefix, "");
      break;

    default:
      break;
    }
}

static gboolean
params_parse_multipart (Params             *p,
                        SoupMessageHeaders *headers,
                        GBytes             *body)
{
  SoupMultipart *multipart = soup_multipart_new_from_message (headers, body);

  if (multipart == NULL)
    return FALSE;

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *disposition = NULL;
      GHashTable *disposition_params = NULL;
      const char *name;
      const char *filename;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;
      if (!soup_message_headers_get_content_disposition (part_headers, &disposition,
                                                         &disposition_params))
        continue;

      name = g_hash_table_lookup (disposition_params, "name");
      filename = g_hash_table_lookup (disposition_params, "filename");
      if (name != NULL && filename != NULL)
        {
          FilePart *part = g_new0 (FilePart, 1);
          const char *type = soup_message_headers_get_content_type (part_headers, NULL);

          part->filename = g_strdup (filename);
          part->content_type = g_strdup (type);
          part->bytes = g_bytes_ref (part_body);
          g_hash_table_replace (p->files, g_strdup (name), part);
        }
      else if (name != NULL)
        {
          gsize len;
          const char *data = g_bytes_get_data (part_body, &len);
          g_autofree char *value = g_strndup (data, len);

          params_add (p, name, value);
        }
      g_hash_table_destroy (disposition_params);
    }

  soup_multipart_free (multipart);
  return TRUE;
}

static gboolean
params_parse_body (Params            *p,
                   SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    return TRUE;

  if (type != NULL && g_ascii_strcasecmp (type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, data, len, NULL))
        return FALSE;
      params_flatten_json (p, NULL, json_parser_get_root (parser));
      return TRUE;
    }

  if (type != NULL && g_ascii_strncasecmp (type, "multipart/", 10) == 0)
    return params_parse_multipart (p, headers, bytes);

  params_parse_form (p, data, len);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  json_node_unref (node);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  respond_node (msg, status, node_take_object (object));
}

static void
respond_array (SoupServerMessage *msg,
               guint              status,
               JsonArray         *array)
{
  respond_node (msg, status, node_take_array (array));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *error,
               const char        *description)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  if (description != NULL)
    json_object_set_string_member (object, "error_description", description);
  respond_object (msg, status, object);
}

static void
respond_errorf (SoupServerMessage *msg,
                guint              status,
                const char        *format,
                ...) G_GNUC_PRINTF (3, 4);

static void
respond_errorf (SoupServerMessage *msg,
                guint              status,
                const char        *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  respond_error (msg, status, text, NULL);
}

static void
respond_not_found (SoupServerMessage *msg)
{
  respond_error (msg, 404, "Record not found", NULL);
}

static void
respond_html (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *body_html)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  char *page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                "<title>%s</title></head>\n<body>\n<h1>%s</h1>\n%s\n"
                                "</body></html>\n",
                                escaped_title, escaped_title, body_html);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, strlen (page));
}

/* ------------------------------------------------------------------------ */
/* State                                                                     */

static void
edges_init (EdgeList *list)
{
  list->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  list->index = g_hash_table_new (g_direct_hash, g_direct_equal);
}

static void
edges_clear (EdgeList *list)
{
  g_clear_pointer (&list->edges, g_array_unref);
  g_clear_pointer (&list->index, g_hash_table_unref);
}

static gboolean
edges_contains (EdgeList *list,
                guint64   account_id)
{
  return g_hash_table_contains (list->index, GSIZE_TO_POINTER ((gsize) account_id));
}

static void
edges_add (WcMastodonServer *self,
           EdgeList         *list,
           guint64           account_id)
{
  Edge edge;

  if (edges_contains (list, account_id))
    return;
  edge.follow_id = self->next_follow_id++;
  edge.account_id = account_id;
  g_array_append_val (list->edges, edge);
  g_hash_table_insert (list->index, GSIZE_TO_POINTER ((gsize) account_id),
                       GSIZE_TO_POINTER ((gsize) edge.follow_id));
}

typedef guint64 (*KeyFunc) (gconstpointer list, guint index);

static guint
lower_bound (gconstpointer list,
             guint         n,
             KeyFunc       key,
             guint64       value)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (key (list, mid) < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint64
edge_key (gconstpointer list,
          guint         index)
{
  return g_array_index ((GArray *) list, Edge, index).follow_id;
}

static gboolean
edges_remove (EdgeList *list,
              guint64   account_id)
{
  gpointer value;
  guint64 follow_id;
  guint index;

  if (!g_hash_table_lookup_extended (list->index, GSIZE_TO_POINTER ((gsize) account_id),
                                     NULL, &value))
    return FALSE;
  follow_id = GPOINTER_TO_SIZE (value);
  index = lower_bound (list->edges, list->edges->len, edge_key, follow_id);
  g_assert (index < list->edges->len);
  g_array_remove_index (list->edges, index);
  g_hash_table_remove (list->index, GSIZE_TO_POINTER ((gsize) account_id));
  return TRUE;
}

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static Field *
field_new (const char *name,
           const char *value)
{
  Field *field = g_new0 (Field, 1);

  field->name = g_strdup (name != NULL ? name : "");
  field->value = g_strdup (value != NULL ? value : "");
  return field;
}

static void
user_free (gpointer data)
{
  User *user = data;

  g_free (user->username);
  g_free (user->password);
  g_free (user->display_name);
  g_free (user->note);
  g_free (user->privacy);
  g_free (user->language);
  g_ptr_array_unref (user->fields);
  edges_clear (&user->followers);
  edges_clear (&user->requests);
  edges_clear (&user->blocks);
  g_hash_table_unref (user->idempotency);
  g_free (user);
}

static void
app_free (gpointer data)
{
  App *app = data;

  g_free (app->name);
  g_free (app->website);
  g_free (app->client_id);
  g_free (app->client_secret);
  g_strfreev (app->scopes);
  g_strfreev (app->redirect_uris);
  g_free (app);
}

static void
token_free (gpointer data)
{
  Token *token = data;

  g_free (token->token);
  g_strfreev (token->scopes);
  g_free (token);
}

static void
grant_free (gpointer data)
{
  Grant *grant = data;

  g_free (grant->code);
  g_free (grant->redirect_uri);
  g_strfreev (grant->scopes);
  g_free (grant->challenge);
  g_free (grant);
}

static void
media_free (gpointer data)
{
  Media *media = data;

  g_free (media->description);
  g_free (media->content_type);
  g_free (media->filename);
  g_clear_pointer (&media->bytes, g_bytes_unref);
  g_free (media);
}

static void
status_free (gpointer data)
{
  Status *status = data;

  g_free (status->text);
  g_free (status->spoiler_text);
  g_free (status->visibility);
  g_free (status->language);
  g_free (status->in_reply_to_id);
  g_ptr_array_unref (status->media);
  g_free (status);
}

static void
scheduled_free (gpointer data)
{
  Scheduled *scheduled = data;

  g_free (scheduled->text);
  g_free (scheduled->spoiler_text);
  g_free (scheduled->visibility);
  g_free (scheduled->language);
  g_free (scheduled->in_reply_to_id);
  g_free (scheduled->idempotency);
  g_ptr_array_unref (scheduled->media);
  g_free (scheduled);
}

static void
fault_free (gpointer data)
{
  Fault *fault = data;

  g_free (fault->method);
  g_free (fault->path_prefix);
  g_free (fault);
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_object_unref (pending->msg);
  g_free (pending);
}

static User *
lookup_user (WcMastodonServer *self,
             const char       *username)
{
  User *user = g_hash_table_lookup (self->users_by_name, username);

  if (user == NULL)
    g_critical ("No user named %s on the test server", username);
  return user;
}

static User *
user_by_id (WcMastodonServer *self,
            guint64           id)
{
  return g_hash_table_lookup (self->users_by_id, &id);
}

static gboolean
account_exists (WcMastodonServer *self,
                guint64           id)
{
  return id >= 1 && id < self->next_account_id;
}

static gboolean
strv_is_subset (const char * const *subset,
                const char * const *set)
{
  for (gsize i = 0; subset != NULL && subset[i] != NULL; i++)
    if (!g_strv_contains (set, subset[i]))
      return FALSE;
  return TRUE;
}

static GStrv
split_words (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit_set (text != NULL ? text : "", " \t\r\n", -1);

  for (gsize i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static Token *
token_new (WcMastodonServer *self,
           App              *app,
           User             *user,
           GStrv             scopes)
{
  Token *token = g_new0 (Token, 1);

  token->token = random_token ();
  token->app = app;
  token->user = user;
  token->scopes = scopes;
  token->created_at = now_locked (self);
  g_ptr_array_add (self->token_list, token);
  g_hash_table_insert (self->tokens, token->token, token);
  return token;
}

static App *
app_new (WcMastodonServer *self,
         const char       *name,
         const char       *website,
         GStrv             scopes,
         GStrv             redirect_uris)
{
  App *app = g_new0 (App, 1);

  app->id = self->next_app_id++;
  app->name = g_strdup (name);
  app->website = g_strdup (website);
  app->client_id = random_token ();
  app->client_secret = random_token ();
  app->scopes = scopes;
  app->redirect_uris = redirect_uris;
  app->created_at = now_locked (self);
  g_ptr_array_add (self->apps, app);
  g_hash_table_insert (self->apps_by_client_id, app->client_id, app);
  return app;
}

/* ------------------------------------------------------------------------ */
/* Entities                                                                  */

/* A field's value as Mastodon renders it (html_aware_format, one line):
 * links, hashtags and mentions as in a status, without the paragraph, and
 * a link with rel="me" so that a page linking back verifies it. */
static char *
render_field_value (WcMastodonServer *self,
                    const char       *text)
{
  g_autoptr(GString) html = g_string_new (NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  render_paragraph (self, html, text);
  g_string_replace (html, "rel=\"nofollow noopener\"", "rel=\"nofollow noopener me\"", 0);
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static JsonArray *
user_fields_to_json (WcMastodonServer *self,
                     User             *user,
                     gboolean          html)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < user->fields->len; i++)
    {
      Field *field = g_ptr_array_index (user->fields, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "name", field->name);
      if (html)
        {
          g_autofree char *value = render_field_value (self, field->value);

          json_object_set_string_member (object, "value", value);
        }
      else
        json_object_set_string_member (object, "value", field->value);
      if (field->verified_at != 0)
        set_time (object, "verified_at", field->verified_at);
      else
        json_object_set_null_member (object, "verified_at");
      json_array_add_object_element (array, object);
    }
  return array;
}

static void
add_common_account_members (WcMastodonServer *self,
                            JsonObject       *object,
                            const char       *avatar_name)
{
  g_autofree char *avatar = g_strdup_printf ("%s/avatars/original/%s", self->base_url,
                                             avatar_name);
  g_autofree char *header = g_strdup_printf ("%s/headers/original/missing.png", self->base_url);

  json_object_set_boolean_member (object, "group", FALSE);
  json_object_set_string_member (object, "avatar", avatar);
  json_object_set_string_member (object, "avatar_static", avatar);
  json_object_set_string_member (object, "header", header);
  json_object_set_string_member (object, "header_static", header);
  json_object_set_array_member (object, "emojis", json_array_new ());
}

static JsonObject *
user_to_json (WcMastodonServer *self,
              User             *user,
              gboolean          credential)
{
  JsonObject *object = json_object_new ();
  g_autofree char *url = g_strdup_printf ("%s/@%s", self->base_url, user->username);
  g_autofree char *uri = g_strdup_printf ("%s/users/%s", self->base_url, user->username);
  /* The bio is rendered as a status is: links, mentions, hashtags. */
  g_autofree char *note = render_status_content (self, user->note);
  Status *last = NULL;

  set_id (object, "id", user->id);
  json_object_set_string_member (object, "username", user->username);
  json_object_set_string_member (object, "acct", user->username);
  json_object_set_string_member (object, "display_name", user->display_name);
  json_object_set_boolean_member (object, "locked", user->locked);
  json_object_set_boolean_member (object, "bot", user->bot);
  json_object_set_boolean_member (object, "discoverable", user->discoverable);
  json_object_set_boolean_member (object, "indexable", user->indexable);
  json_object_set_boolean_member (object, "hide_collections", user->hide_collections);
  json_object_set_boolean_member (object, "noindex", !user->indexable);
  set_time (object, "created_at", user->created_at - user->created_at % 86400);
  json_object_set_string_member (object, "note", note);
  json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "uri", uri);
  add_common_account_members (self, object, "missing.png");
  json_object_set_int_member (object, "followers_count", user->followers.edges->len);
  json_object_set_int_member (object, "following_count", user->following_count);
  json_object_set_int_member (object, "statuses_count", user->statuses_count);
  for (guint i = self->statuses->len; i > 0 && last == NULL; i--)
    {
      Status *status = g_ptr_array_index (self->statuses, i - 1);

      if (status->user == user)
        last = status;
    }
  if (last != NULL)
    {
      g_autofree char *stamp = format_time (last->created_at);

      stamp[10] = '\0';
      json_object_set_string_member (object, "last_status_at", stamp);
    }
  else
    json_object_set_null_member (object, "last_status_at");
  json_object_set_array_member (object, "fields", user_fields_to_json (self, user, TRUE));

  if (credential)
    {
      JsonObject *source = json_object_new ();

      json_object_set_string_member (source, "privacy", user->privacy);
      json_object_set_boolean_member (source, "sensitive", user->sensitive);
      set_string_or_null (source, "language", user->language);
      json_object_set_string_member (source, "note", user->note);
      json_object_set_array_member (source, "fields", user_fields_to_json (self, user, FALSE));
      json_object_set_int_member (source, "follow_requests_count", user->requests.edges->len);
      json_object_set_boolean_member (source, "discoverable", user->discoverable);
      json_object_set_boolean_member (source, "indexable", user->indexable);
      json_object_set_boolean_member (source, "hide_collections", user->hide_collections);
      json_object_set_string_member (source, "quote_policy", "public");
      json_object_set_object_member (object, "source", source);
    }
  return object;
}

/* Followers and requesters that are not users of the test server: remote
 * accounts made up from their id, so 100,000 of them cost nothing. */
static JsonObject *
synthetic_account_to_json (WcMastodonServer *self,
                           guint64           id)
{
  JsonObject *object = json_object_new ();
  g_autofree char *username = g_strdup_printf ("follower%" G_GUINT64_FORMAT, id);
  g_autofree char *acct = g_strdup_printf ("%s@remote.test", username);
  g_autofree char *display = g_strdup_printf ("Follower %" G_GUINT64_FORMAT, id);
  g_autofree char *url = g_strdup_printf ("https://remote.test/@%s", username);

  set_id (object, "id", id);
  json_object_set_string_member (object, "username", username);
  json_object_set_string_member (object, "acct", acct);
  json_object_set_string_member (object, "display_name", display);
  json_object_set_boolean_member (object, "locked", FALSE);
  json_object_set_boolean_member (object, "bot", FALSE);
  json_object_set_boolean_member (object, "discoverable", TRUE);
  json_object_set_boolean_member (object, "indexable", FALSE);
  json_object_set_null_member (object, "hide_collections");
  json_object_set_string_member (object, "created_at", "2024-01-01T00:00:00.000Z");
  json_object_set_string_member (object, "note", "");
  json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "uri", url);
  add_common_account_members (self, object, "missing.png");
  json_object_set_int_member (object, "followers_count", 0);
  json_object_set_int_member (object, "following_count", 1);
  json_object_set_int_member (object, "statuses_count", 0);
  json_object_set_null_member (object, "last_status_at");
  json_object_set_array_member (object, "fields", json_array_new ());
  return object;
}

static JsonObject *
account_to_json (WcMastodonServer *self,
                 guint64           id)
{
  User *user = user_by_id (self, id);

  if (user != NULL)
    return user_to_json (self, user, FALSE);
  return synthetic_account_to_json (self, id);
}

static JsonObject *
relationship_to_json (WcMastodonServer *self,
                      User             *me,
                      guint64           id)
{
  JsonObject *object = json_object_new ();
  User *other = user_by_id (self, id);
  gboolean following = other != NULL && edges_contains (&other->followers, me->id);

  set_id (object, "id", id);
  json_object_set_boolean_member (object, "following", following);
  json_object_set_boolean_member (object, "showing_reblogs", following);
  json_object_set_boolean_member (object, "notifying", FALSE);
  json_object_set_null_member (object, "languages");
  json_object_set_boolean_member (object, "followed_by", edges_contains (&me->followers, id));
  json_object_set_boolean_member (object, "blocking", edges_contains (&me->blocks, id));
  json_object_set_boolean_member (object, "blocked_by",
                                  other != NULL && edges_contains (&other->blocks, me->id));
  json_object_set_boolean_member (object, "muting", FALSE);
  json_object_set_boolean_member (object, "muting_notifications", FALSE);
  json_object_set_boolean_member (object, "requested",
                                  other != NULL && edges_contains (&other->requests, me->id));
  json_object_set_boolean_member (object, "requested_by", edges_contains (&me->requests, id));
  json_object_set_boolean_member (object, "domain_blocking", FALSE);
  json_object_set_boolean_member (object, "endorsed", FALSE);
  json_object_set_string_member (object, "note", "");
  return object;
}

static const char *
media_type_name (Media *media)
{
  if (g_str_equal (media->content_type, "image/gif"))
    return "gifv";
  if (g_str_has_prefix (media->content_type, "image/"))
    return "image";
  if (g_str_has_prefix (media->content_type, "video/"))
    return "video";
  if (g_str_has_prefix (media->content_type, "audio/"))
    return "audio";
  return "unknown";
}

static JsonObject *
media_to_json (WcMastodonServer *self,
               Media            *media,
               gboolean          inspect)
{
  JsonObject *object = json_object_new ();
  JsonObject *meta = json_object_new ();
  JsonObject *focus = json_object_new ();
  g_autofree char *url = g_strdup_printf ("%s/system/media_attachments/files/%" G_GUINT64_FORMAT
                                          "/original/%s", self->base_url, media->id,
                                          media->filename);
  g_autofree char *preview = g_strdup_printf ("%s/system/media_attachments/files/%"
                                              G_GUINT64_FORMAT "/small/%s", self->base_url,
                                              media->id, media->filename);

  set_id (object, "id", media->id);
  json_object_set_string_member (object, "type", media_type_name (media));
  set_string_or_null (object, "url", media->processed ? url : NULL);
  json_object_set_string_member (object, "preview_url", preview);
  json_object_set_null_member (object, "remote_url");
  json_object_set_null_member (object, "preview_remote_url");
  json_object_set_null_member (object, "text_url");
  json_object_set_double_member (focus, "x", media->focus_x);
  json_object_set_double_member (focus, "y", media->focus_y);
  json_object_set_object_member (meta, "focus", focus);
  json_object_set_object_member (object, "meta", meta);
  set_string_or_null (object, "description",
                      media->description != NULL && *media->description != '\0'
                      ? media->description : NULL);
  json_object_set_null_member (object, "blurhash");

  if (inspect)
    {
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, media->bytes);

      json_object_set_string_member (object, "username", media->user->username);
      json_object_set_string_member (object, "content_type", media->content_type);
      json_object_set_string_member (object, "filename", media->filename);
      json_object_set_int_member (object, "size", g_bytes_get_size (media->bytes));
      json_object_set_string_member (object, "sha256", sha);
      json_object_set_boolean_member (object, "processed", media->processed);
      if (media->status_id != 0)
        set_id (object, "status_id", media->status_id);
      else
        json_object_set_null_member (object, "status_id");
      if (media->scheduled_id != 0)
        set_id (object, "scheduled_status_id", media->scheduled_id);
      else
        json_object_set_null_member (object, "scheduled_status_id");
    }
  return object;
}

static JsonArray *
media_list_to_json (WcMastodonServer *self,
                    GPtrArray        *media,
                    gboolean          inspect)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < media->len; i++)
    json_array_add_object_element (array,
                                   media_to_json (self, g_ptr_array_index (media, i), inspect));
  return array;
}

static JsonObject *
status_to_json (WcMastodonServer *self,
                Status           *status,
                gboolean          inspect)
{
  JsonObject *object = json_object_new ();
  g_autofree char *uri = g_strdup_printf ("%s/users/%s/statuses/%" G_GUINT64_FORMAT,
                                          self->base_url, status->user->username, status->id);
  g_autofree char *url = g_strdup_printf ("%s/@%s/%" G_GUINT64_FORMAT,
                                          self->base_url, status->user->username, status->id);
  g_autofree char *content = render_status_content (self, status->text);

  set_id (object, "id", status->id);
  set_time (object, "created_at", status->created_at);
  set_string_or_null (object, "in_reply_to_id", status->in_reply_to_id);
  json_object_set_null_member (object, "in_reply_to_account_id");
  json_object_set_boolean_member (object, "sensitive", status->sensitive);
  json_object_set_string_member (object, "spoiler_text", status->spoiler_text);
  json_object_set_string_member (object, "visibility", status->visibility);
  set_string_or_null (object, "language", status->language);
  json_object_set_string_member (object, "uri", uri);
  json_object_set_string_member (object, "url", url);
  json_object_set_int_member (object, "replies_count", 0);
  json_object_set_int_member (object, "reblogs_count", 0);
  json_object_set_int_member (object, "favourites_count", 0);
  json_object_set_null_member (object, "edited_at");
  json_object_set_string_member (object, "content", content);
  json_object_set_null_member (object, "reblog");
  if (status->app != NULL)
    {
      JsonObject *app = json_object_new ();

      json_object_set_string_member (app, "name", status->app->name);
      set_string_or_null (app, "website", status->app->website);
      json_object_set_object_member (object, "application", app);
    }
  json_object_set_object_member (object, "account", user_to_json (self, status->user, FALSE));
  json_object_set_array_member (object, "media_attachments",
                                media_list_to_json (self, status->media, inspect));
  json_object_set_array_member (object, "mentions", json_array_new ());
  json_object_set_array_member (object, "tags", json_array_new ());
  json_object_set_array_member (object, "emojis", json_array_new ());
  json_object_set_null_member (object, "card");
  json_object_set_null_member (object, "poll");
  if (inspect)
    json_object_set_string_member (object, "text", status->text);
  return object;
}

static JsonObject *
scheduled_to_json (WcMastodonServer *self,
                   Scheduled        *scheduled,
                   gboolean          inspect)
{
  JsonObject *object = json_object_new ();
  JsonObject *params = json_object_new ();

  set_id (object, "id", scheduled->id);
  set_time (object, "scheduled_at", scheduled->scheduled_at);

  json_object_set_string_member (params, "text", scheduled->text);
  json_object_set_null_member (params, "poll");
  if (scheduled->media->len > 0)
    {
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < scheduled->media->len; i++)
        {
          Media *media = g_ptr_array_index (scheduled->media, i);
          g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, media->id);

          json_array_add_string_element (ids, id);
        }
      json_object_set_array_member (params, "media_ids", ids);
    }
  else
    json_object_set_null_member (params, "media_ids");
  if (scheduled->sensitive_given || scheduled->sensitive)
    json_object_set_boolean_member (params, "sensitive", scheduled->sensitive);
  else
    json_object_set_null_member (params, "sensitive");
  json_object_set_string_member (params, "visibility", scheduled->visibility);
  /* Mastodon clears it in the stored params (PostStatusService
   * #scheduled_options: idempotency: nil), so clients cannot match on it. */
  json_object_set_null_member (params, "idempotency");
  json_object_set_null_member (params, "scheduled_at");
  set_string_or_null (params, "spoiler_text",
                      *scheduled->spoiler_text != '\0' ? scheduled->spoiler_text : NULL);
  if (scheduled->app != NULL)
    json_object_set_int_member (params, "application_id", scheduled->app->id);
  else
    json_object_set_null_member (params, "application_id");
  set_string_or_null (params, "in_reply_to_id", scheduled->in_reply_to_id);
  set_string_or_null (params, "language", scheduled->language);
  json_object_set_boolean_member (params, "with_rate_limit", FALSE);
  json_object_set_object_member (object, "params", params);
  json_object_set_array_member (object, "media_attachments",
                                media_list_to_json (self, scheduled->media, inspect));
  if (inspect)
    {
      json_object_set_string_member (object, "username", scheduled->user->username);
      /* The key the server keeps beside it (Redis in Mastodon). */
      set_string_or_null (object, "idempotency_key", scheduled->idempotency);
    }
  return object;
}

static JsonObject *
app_to_json (App      *app,
             gboolean  with_secret)
{
  JsonObject *object = json_object_new ();
  g_autofree char *joined = g_strjoinv ("\n", app->redirect_uris);

  set_id (object, "id", app->id);
  json_object_set_string_member (object, "name", app->name);
  set_string_or_null (object, "website", app->website);
  json_object_set_array_member (object, "scopes",
                                strv_to_array ((const char * const *) app->scopes));
  json_object_set_array_member (object, "redirect_uris",
                                strv_to_array ((const char * const *) app->redirect_uris));
  json_object_set_string_member (object, "redirect_uri", joined);
  json_object_set_string_member (object, "client_id", app->client_id);
  if (with_secret)
    {
      json_object_set_string_member (object, "client_secret", app->client_secret);
      json_object_set_int_member (object, "client_secret_expires_at", 0);
    }
  return object;
}

/* ------------------------------------------------------------------------ */
/* Statuses                                                                  */

static Media *
lookup_media (WcMastodonServer *self,
              const char       *text)
{
  guint64 id;

  if (!parse_id (text, &id))
    return NULL;
  return g_hash_table_lookup (self->media_by_id, &id);
}

static gboolean
media_check_processed (WcMastodonServer *self,
                       Media            *media,
                       gboolean          is_poll)
{
  if (!media->processed)
    {
      gboolean by_time = media->ready_at != 0 && now_locked (self) >= media->ready_at;
      gboolean by_polls = media->polls_needed > 0 && is_poll && media->polls >= media->polls_needed;

      if (by_time || by_polls)
        media->processed = TRUE;
      else if (is_poll)
        media->polls++;
    }
  return media->processed;
}

static Status *
publish_status (WcMastodonServer *self,
                User             *user,
                App              *app,
                const char       *text,
                const char       *spoiler_text,
                const char       *visibility,
                const char       *language,
                const char       *in_reply_to_id,
                gboolean          sensitive,
                gint64            created_at,
                GPtrArray        *media)
{
  Status *status = g_new0 (Status, 1);

  status->id = self->next_status_id++;
  status->user = user;
  status->app = app;
  status->text = g_strdup (text != NULL ? text : "");
  status->spoiler_text = g_strdup (spoiler_text != NULL ? spoiler_text : "");
  status->visibility = g_strdup (visibility);
  status->language = g_strdup (language);
  status->in_reply_to_id = g_strdup (in_reply_to_id);
  status->sensitive = sensitive || *status->spoiler_text != '\0';
  status->created_at = created_at;
  status->media = g_ptr_array_new ();
  for (guint i = 0; media != NULL && i < media->len; i++)
    {
      Media *m = g_ptr_array_index (media, i);

      m->status_id = status->id;
      m->scheduled_id = 0;
      g_ptr_array_add (status->media, m);
    }
  user->statuses_count++;
  g_ptr_array_add (self->statuses, status);
  g_hash_table_insert (self->statuses_by_id, &status->id, status);
  g_debug ("Published status %" G_GUINT64_FORMAT, status->id);
  return status;
}

static gint
compare_scheduled_time (gconstpointer a,
                        gconstpointer b)
{
  const Scheduled *sa = *(Scheduled * const *) a;
  const Scheduled *sb = *(Scheduled * const *) b;

  if (sa->scheduled_at != sb->scheduled_at)
    return sa->scheduled_at < sb->scheduled_at ? -1 : 1;
  return sa->id < sb->id ? -1 : (sa->id > sb->id ? 1 : 0);
}

/* Scheduled statuses become statuses once the clock has passed their time.
 * Called before every request and whenever the clock moves. */
static void
publish_due (WcMastodonServer *self)
{
  gint64 now = now_locked (self);
  g_autoptr(GPtrArray) due = g_ptr_array_new ();

  for (guint i = 0; i < self->scheduled->len; i++)
    {
      Scheduled *scheduled = g_ptr_array_index (self->scheduled, i);

      if (scheduled->scheduled_at <= now)
        g_ptr_array_add (due, scheduled);
    }
  g_ptr_array_sort (due, compare_scheduled_time);

  for (guint i = 0; i < due->len; i++)
    {
      Scheduled *scheduled = g_ptr_array_index (due, i);
      Status *status = publish_status (self, scheduled->user, scheduled->app, scheduled->text,
                                       scheduled->spoiler_text, scheduled->visibility,
                                       scheduled->language, scheduled->in_reply_to_id,
                                       scheduled->sensitive, scheduled->scheduled_at,
                                       scheduled->media);
      guint64 *key = g_new (guint64, 1);

      *key = scheduled->id;
      g_hash_table_insert (self->published_from, key, GSIZE_TO_POINTER ((gsize) status->id));
      g_ptr_array_remove (self->scheduled, scheduled);
    }
}

/* As StatusLengthValidator counts: grapheme clusters of the content warning
 * and the text together, every URL as 23, a mention as its local part. */
static glong
status_length (WcMastodonServer *self,
               const char       *spoiler_text,
               const char       *text)
{
  g_autofree char *joined = g_strconcat (spoiler_text != NULL ? spoiler_text : "",
                                         text != NULL ? text : "", NULL);
  g_autofree char *no_urls = g_regex_replace_literal (self->url_regex, joined, -1, 0,
                                                      URL_PLACEHOLDER, 0, NULL);
  g_autofree char *no_mentions = NULL;

  if (no_urls == NULL)
    return count_graphemes (joined);
  no_mentions = g_regex_replace (self->mention_regex, no_urls, -1, 0, "@\\1", 0, NULL);
  return count_graphemes (no_mentions != NULL ? no_mentions : no_urls);
}

static gboolean
status_visible_to (Status *status,
                   User   *viewer)
{
  if (g_str_equal (status->visibility, "public") || g_str_equal (status->visibility, "unlisted"))
    return TRUE;
  if (viewer == status->user)
    return TRUE;
  if (viewer != NULL && g_str_equal (status->visibility, "private"))
    return edges_contains (&status->user->followers, viewer->id);
  return FALSE;
}

static guint
count_scheduled (WcMastodonServer *self,
                 User             *user,
                 gint64            day,
                 Scheduled        *except)
{
  guint count = 0;

  for (guint i = 0; i < self->scheduled->len; i++)
    {
      Scheduled *scheduled = g_ptr_array_index (self->scheduled, i);

      if (scheduled->user != user || scheduled == except)
        continue;
      if (day < 0 || scheduled->scheduled_at / 86400 == day)
        count++;
    }
  return count;
}

/* Returns an error message, or NULL when @scheduled_at is acceptable. */
static char *
check_schedule (WcMastodonServer *self,
                User             *user,
                gint64            scheduled_at,
                Scheduled        *except)
{
  if (scheduled_at < now_locked (self) + SCHEDULE_MIN_OFFSET)
    return g_strdup ("Validation failed: Scheduled at The scheduled date must be in the future");
  if (count_scheduled (self, user, -1, except) >= SCHEDULE_TOTAL_LIMIT)
    return g_strdup_printf ("Validation failed: You have exceeded the limit of %d scheduled "
                            "posts (over_total_limit)", SCHEDULE_TOTAL_LIMIT);
  if (count_scheduled (self, user, scheduled_at / 86400, except) >= SCHEDULE_DAILY_LIMIT)
    return g_strdup_printf ("Validation failed: You have exceeded the limit of %d scheduled "
                            "posts for that day (over_daily_limit)", SCHEDULE_DAILY_LIMIT);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Requests: authentication, scopes, rate limits, pagination                */

static void
set_rate_limit_headers (WcMastodonServer  *self,
                        SoupServerMessage *msg,
                        guint              remaining,
                        gint64             reset)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *limit = g_strdup_printf ("%u", self->rl_limit);
  g_autofree char *left = g_strdup_printf ("%u", remaining);
  g_autofree char *stamp = format_time (reset);

  soup_message_headers_replace (headers, "X-RateLimit-Limit", limit);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", left);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", stamp);
}

static void
respond_too_many (WcMastodonServer  *self,
                  SoupServerMessage *msg,
                  gint64             retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (retry_after, 1));

  set_rate_limit_headers (self, msg, 0, now_locked (self) + MAX (retry_after, 1));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  respond_error (msg, 429, "Too many requests", NULL);
}

static void
respond_invalid_token (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate",
                                "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", "
                                "error_description=\"The access token is invalid\"");
  respond_error (msg, 401, "The access token is invalid", NULL);
}

/* Returns FALSE when it has answered the request already. */
static gboolean
authenticate (Request *req)
{
  WcMastodonServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  Token *token;
  gint64 now;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return TRUE;

  token = g_hash_table_lookup (self->tokens, auth + 7);
  if (token == NULL || token->revoked)
    {
      respond_invalid_token (req->msg);
      return FALSE;
    }

  now = now_locked (self);
  if (now >= token->rl_reset)
    {
      token->rl_reset = now + self->rl_window;
      token->rl_remaining = self->rl_limit;
    }
  if (token->rl_remaining == 0)
    {
      respond_too_many (self, req->msg, token->rl_reset - now);
      return FALSE;
    }
  token->rl_remaining--;
  set_rate_limit_headers (self, req->msg, token->rl_remaining, token->rl_reset);

  req->token = token;
  req->user = token->user;
  return TRUE;
}

static gboolean
token_has_scope (Token      *token,
                 const char *needed)
{
  const char *colon = strchr (needed, ':');

  for (gsize i = 0; token->scopes[i] != NULL; i++)
    {
      const char *scope = token->scopes[i];

      if (g_str_equal (scope, needed))
        return TRUE;
      if (colon != NULL && strlen (scope) == (gsize) (colon - needed)
          && strncmp (scope, needed, colon - needed) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
token_has_any_scope (Token      *token,
                     const char *scope1,
                     const char *scope2)
{
  return token_has_scope (token, scope1) || (scope2 != NULL && token_has_scope (token, scope2));
}

static void
respond_out_of_scope (SoupServerMessage *msg)
{
  respond_error (msg, 403, "This action is outside the authorized scopes", NULL);
}

/* A token with one of the scopes and a user behind it. */
static gboolean
require_user_scope (Request    *req,
                    const char *scope1,
                    const char *scope2)
{
  if (req->token == NULL)
    {
      respond_invalid_token (req->msg);
      return FALSE;
    }
  if (!token_has_any_scope (req->token, scope1, scope2))
    {
      respond_out_of_scope (req->msg);
      return FALSE;
    }
  if (req->user == NULL)
    {
      respond_error (req->msg, 422, "This method requires an authenticated user", NULL);
      return FALSE;
    }
  return TRUE;
}

/* Public endpoints check the scope only when a token was sent. */
static gboolean
authorize_if_got_token (Request    *req,
                        const char *scope1,
                        const char *scope2)
{
  if (req->token != NULL && !token_has_any_scope (req->token, scope1, scope2))
    {
      respond_out_of_scope (req->msg);
      return FALSE;
    }
  return TRUE;
}

static guint
limit_param (Request *req,
             guint    fallback,
             guint    maximum)
{
  const char *text = params_get (req->params, "limit");
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return fallback;
  return MIN ((guint) value, maximum);
}

/* The index range [*lo, *hi) of a list sorted by ascending cursor that makes
 * the page; the page is sent newest (highest) first. */
static void
paginate (Request       *req,
          gconstpointer  list,
          guint          n,
          KeyFunc        key,
          guint          limit,
          guint         *lo,
          guint         *hi)
{
  guint64 max_id = 0, since_id = 0, min_id = 0;
  guint start = 0, end = n;
  gboolean have_max = parse_id (params_get (req->params, "max_id"), &max_id);
  gboolean have_since = parse_id (params_get (req->params, "since_id"), &since_id);
  gboolean have_min = parse_id (params_get (req->params, "min_id"), &min_id);

  if (have_max)
    end = lower_bound (list, n, key, max_id);
  if (have_since)
    start = MIN (lower_bound (list, n, key, since_id + 1), end);
  if (have_min)
    {
      start = MIN (lower_bound (list, n, key, min_id + 1), end);
      end = MIN (end, start + limit);
    }
  else if (end - start > limit)
    start = end - limit;

  *lo = start;
  *hi = end;
}

/* `Link: <…?max_id=N>; rel="next", <…?min_id=M>; rel="prev"`, as Mastodon
 * sends it: next only after a full page, prev unless the page is empty. */
static void
set_link_header (Request  *req,
                 guint     count,
                 guint     limit,
                 guint64   next_max_id,
                 guint64   prev_min_id)
{
  g_autoptr(GString) link = g_string_new (NULL);
  const char *given_limit = params_get (req->params, "limit");
  g_autofree char *limit_part = NULL;

  if (count == 0)
    return;
  if (given_limit != NULL)
    limit_part = g_strdup_printf ("limit=%u&", limit);

  if (count >= limit)
    g_string_append_printf (link, "<%s%s?%smax_id=%" G_GUINT64_FORMAT ">; rel=\"next\", ",
                            req->self->base_url, req->path,
                            limit_part != NULL ? limit_part : "", next_max_id);
  g_string_append_printf (link, "<%s%s?%smin_id=%" G_GUINT64_FORMAT ">; rel=\"prev\"",
                          req->self->base_url, req->path,
                          limit_part != NULL ? limit_part : "", prev_min_id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Link", link->str);
}

static void
respond_edges (Request  *req,
               EdgeList *list)
{
  guint limit = limit_param (req, 40, 80);
  JsonArray *array = json_array_new ();
  guint lo, hi;

  paginate (req, list->edges, list->edges->len, edge_key, limit, &lo, &hi);
  for (guint i = hi; i > lo; i--)
    {
      Edge *edge = &g_array_index (list->edges, Edge, i - 1);

      json_array_add_object_element (array, account_to_json (req->self, edge->account_id));
    }
  if (hi > lo)
    set_link_header (req, hi - lo, limit,
                     g_array_index (list->edges, Edge, lo).follow_id,
                     g_array_index (list->edges, Edge, hi - 1).follow_id);
  respond_array (req->msg, 200, array);
}

static guint64
status_key (gconstpointer list,
            guint         index)
{
  return ((Status *) g_ptr_array_index ((GPtrArray *) list, index))->id;
}

static guint64
scheduled_key (gconstpointer list,
               guint         index)
{
  return ((Scheduled *) g_ptr_array_index ((GPtrArray *) list, index))->id;
}

/* ------------------------------------------------------------------------ */
/* Apps and OAuth                                                            */

static char *
validate_redirect_uri (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (strlen (text) > 2000)
    return g_strdup ("Validation failed: Redirect URI is too long (maximum is 2000 characters)");
  if (g_str_equal (text, "urn:ietf:wg:oauth:2.0:oob"))
    return NULL;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    return g_strdup ("Validation failed: Redirect URI must be an absolute URI.");
  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_fragment (uri) != NULL)
    return g_strdup ("Validation failed: Redirect URI cannot contain a fragment.");
  if (g_ascii_strcasecmp (scheme, "data") == 0 || g_ascii_strcasecmp (scheme, "vbscript") == 0
      || g_ascii_strcasecmp (scheme, "javascript") == 0)
    return g_strdup ("Validation failed: Redirect URI is forbidden by the server.");
  if ((g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
      && (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'))
    return g_strdup ("Validation failed: Redirect URI must be an absolute URI.");
  return NULL;
}

static void
handle_create_app (Request *req)
{
  WcMastodonServer *self = req->self;
  const char *name = params_get (req->params, "client_name");
  const char *website = params_get (req->params, "website");
  GPtrArray *uri_values = g_hash_table_lookup (req->params->values, "redirect_uris[]");
  g_autoptr(GStrvBuilder) uris = g_strv_builder_new ();
  g_auto(GStrv) redirect_uris = NULL;
  g_auto(GStrv) scopes = NULL;
  GPtrArray *scope_values = g_hash_table_lookup (req->params->values, "scopes[]");
  App *app;

  if (is_blank (name))
    {
      respond_error (req->msg, 422, "Validation failed: Application name can't be blank", NULL);
      return;
    }
  if (g_utf8_strlen (name, -1) > 60)
    {
      respond_error (req->msg, 422,
                     "Validation failed: Application name is too long (maximum is 60 characters)",
                     NULL);
      return;
    }
  if (website != NULL && strlen (website) > 2000)
    {
      respond_error (req->msg, 422,
                     "Validation failed: Application website is too long (maximum is 2000 characters)",
                     NULL);
      return;
    }

  if (uri_values != NULL)
    {
      for (guint i = 0; i < uri_values->len; i++)
        if (!is_blank (g_ptr_array_index (uri_values, i)))
          g_strv_builder_add (uris, g_ptr_array_index (uri_values, i));
    }
  else
    {
      g_auto(GStrv) words = split_words (params_get (req->params, "redirect_uris"));

      g_strv_builder_addv (uris, (const char **) words);
    }
  redirect_uris = g_strv_builder_end (uris);
  if (redirect_uris[0] == NULL)
    {
      respond_error (req->msg, 422, "Validation failed: Redirect URI can't be blank", NULL);
      return;
    }
  for (gsize i = 0; redirect_uris[i] != NULL; i++)
    {
      g_autofree char *problem = validate_redirect_uri (redirect_uris[i]);

      if (problem != NULL)
        {
          respond_error (req->msg, 422, problem, NULL);
          return;
        }
    }

  if (scope_values != NULL)
    {
      g_ptr_array_add (scope_values, NULL);
      scopes = g_strdupv ((char **) scope_values->pdata);
      g_ptr_array_remove_index (scope_values, scope_values->len - 1);
    }
  else
    scopes = split_words (params_get (req->params, "scopes"));
  if (scopes[0] == NULL)
    {
      g_strfreev (scopes);
      scopes = g_strsplit ("read", " ", -1);
    }
  if (!strv_is_subset ((const char * const *) scopes, known_scopes))
    {
      respond_error (req->msg, 422, "Validation failed: Scopes must be valid OAuth scopes", NULL);
      return;
    }

  app = app_new (self, name, is_blank (website) ? NULL : website,
                 g_steal_pointer (&scopes), g_steal_pointer (&redirect_uris));
  g_debug ("Registered app %" G_GUINT64_FORMAT, app->id);
  respond_object (req->msg, 200, app_to_json (app, TRUE));
}

static gboolean
host_is_loopback_ip (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (host[0] == '[')
    bare = g_strndup (host + 1, strlen (host) - 2);
  else
    bare = g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Doorkeeper's URIChecker.matches?: the same URI, where the port does not
 * count when both are loopback IP literals (RFC 8252 §7.3); extra query
 * parameters are allowed unless the registered URI has a query itself. */
static gboolean
redirect_uri_matches (const char *requested,
                      const char *registered)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;
  gboolean loopback;

  if (g_str_equal (requested, registered))
    return TRUE;
  a = g_uri_parse (requested, G_URI_FLAGS_NONE, NULL);
  b = g_uri_parse (registered, G_URI_FLAGS_NONE, NULL);
  if (a == NULL || b == NULL)
    return FALSE;
  if (g_uri_get_query (b) != NULL && g_strcmp0 (g_uri_get_query (a), g_uri_get_query (b)) != 0)
    return FALSE;
  loopback = host_is_loopback_ip (g_uri_get_host (a)) && host_is_loopback_ip (g_uri_get_host (b));
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_strcmp0 (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && (loopback || g_uri_get_port (a) == g_uri_get_port (b))
         && g_strcmp0 (g_uri_get_userinfo (a), g_uri_get_userinfo (b)) == 0
         && g_str_equal (g_uri_get_path (a), g_uri_get_path (b));
}

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               const char        *first_name,
               ...) G_GNUC_NULL_TERMINATED;

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               const char        *first_name,
               ...)
{
  g_autoptr(GString) location = g_string_new (redirect_uri);
  gboolean first = strchr (redirect_uri, '?') == NULL;
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          g_string_append_c (location, first ? '?' : '&');
          g_string_append_uri_escaped (location, name, NULL, FALSE);
          g_string_append_c (location, '=');
          g_string_append_uri_escaped (location, value, NULL, FALSE);
          first = FALSE;
        }
      name = va_arg (args, const char *);
    }
  va_end (args);
  soup_server_message_set_redirect (msg, 302, location->str);
}

static void
append_hidden_inputs (GString *html,
                      Params  *params)
{
  const char * const names[] = {
    "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
    "code_challenge_method", "force_login", "lang", NULL
  };

  for (gsize i = 0; names[i] != NULL; i++)
    {
      const char *value = params_get (params, names[i]);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = g_markup_escape_text (value, -1);
      g_string_append_printf (html, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                              names[i], escaped);
    }
}

static void
respond_login_form (Request    *req,
                    App        *app,
                    const char *problem)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *app_name = g_markup_escape_text (app->name, -1);

  g_string_append_printf (html, "<p><b>%s</b> asks for access to your account on this test "
                          "server.</p>\n", app_name);
  if (problem != NULL)
    g_string_append_printf (html, "<p id=\"problem\">%s</p>\n", problem);
  g_string_append (html, "<form method=\"post\" action=\"/oauth/authorize\">\n");
  append_hidden_inputs (html, req->params);
  g_string_append (html, "<p><label>User name <input name=\"username\" autofocus></label></p>\n"
                         "<p><label>Password <input name=\"password\" type=\"password\">"
                         "</label></p>\n<p><button type=\"submit\">Authorize</button></p>\n"
                         "</form>\n<p>Users of this server:");
  for (guint i = 0; i < req->self->users->len; i++)
    {
      User *user = g_ptr_array_index (req->self->users, i);
      g_autofree char *name = g_markup_escape_text (user->username, -1);

      g_string_append_printf (html, " %s", name);
    }
  g_string_append (html, "</p>\n");
  respond_html (req->msg, problem != NULL ? 401 : 200, "Authorize", html->str);
}

static void
respond_oauth_error (Request    *req,
                     const char *redirect_uri,
                     const char *error,
                     const char *description)
{
  if (redirect_uri == NULL || g_str_equal (redirect_uri, "urn:ietf:wg:oauth:2.0:oob"))
    respond_error (req->msg, 400, error, description);
  else
    redirect_with (req->msg, redirect_uri, "error", error, "error_description", description,
                   "state", params_get (req->params, "state"), NULL);
}

static void
handle_authorize (Request *req)
{
  WcMastodonServer *self = req->self;
  const char *client_id = params_get (req->params, "client_id");
  const char *redirect_uri = params_get (req->params, "redirect_uri");
  const char *response_type = params_get (req->params, "response_type");
  const char *challenge = params_get (req->params, "code_challenge");
  const char *method = params_get (req->params, "code_challenge_method");
  const char *test_user = params_get (req->params, "test_user");
  g_auto(GStrv) scopes = split_words (params_get (req->params, "scope"));
  App *app = client_id != NULL ? g_hash_table_lookup (self->apps_by_client_id, client_id) : NULL;
  gboolean matched = FALSE;
  User *user = NULL;
  Grant *grant;

  if (app == NULL)
    {
      respond_error (req->msg, 401, "invalid_client",
                     "Client authentication failed due to unknown client, no client "
                     "authentication included, or unsupported authentication method.");
      return;
    }
  if (redirect_uri == NULL && g_strv_length (app->redirect_uris) == 1)
    redirect_uri = app->redirect_uris[0];
  for (gsize i = 0; redirect_uri != NULL && app->redirect_uris[i] != NULL && !matched; i++)
    matched = redirect_uri_matches (redirect_uri, app->redirect_uris[i]);
  if (!matched)
    {
      respond_error (req->msg, 400, "invalid_redirect_uri",
                     "The requested redirect uri is malformed or doesn't match client redirect URI.");
      return;
    }

  if (g_strcmp0 (response_type, "code") != 0)
    {
      respond_oauth_error (req, redirect_uri, "unsupported_response_type",
                           "The authorization server does not support this response type.");
      return;
    }
  if (scopes[0] == NULL)
    {
      g_strfreev (scopes);
      scopes = g_strsplit ("read", " ", -1);
    }
  if (!strv_is_subset ((const char * const *) scopes, (const char * const *) app->scopes))
    {
      respond_oauth_error (req, redirect_uri, "invalid_scope",
                           "The requested scope is invalid, unknown, or malformed.");
      return;
    }
  if (challenge != NULL && g_strcmp0 (method, "S256") != 0)
    {
      respond_oauth_error (req, redirect_uri, "invalid_request",
                           "The code_challenge_method must be S256.");
      return;
    }

  if (test_user != NULL)
    {
      user = g_hash_table_lookup (self->users_by_name, test_user);
      if (user == NULL)
        {
          respond_error (req->msg, 400, "invalid_request", "No such test user");
          return;
        }
    }
  else if (self->login_form)
    {
      const char *username = params_get (req->params, "username");
      const char *password = params_get (req->params, "password");

      if (g_str_equal (req->method, "GET"))
        {
          respond_login_form (req, app, NULL);
          return;
        }
      user = username != NULL ? g_hash_table_lookup (self->users_by_name, username) : NULL;
      if (user == NULL || g_strcmp0 (password, user->password) != 0)
        {
          respond_login_form (req, app, "Invalid user name or password.");
          return;
        }
    }
  else if (self->users->len > 0)
    user = g_ptr_array_index (self->users, 0);

  if (user == NULL)
    {
      respond_error (req->msg, 400, "invalid_request", "The test server has no users");
      return;
    }

  grant = g_new0 (Grant, 1);
  grant->code = random_token ();
  grant->app = app;
  grant->user = user;
  grant->redirect_uri = g_strdup (redirect_uri);
  grant->scopes = g_steal_pointer (&scopes);
  grant->challenge = g_strdup (challenge);
  grant->created_at = now_locked (self);
  g_hash_table_insert (self->grants, grant->code, grant);

  if (g_str_equal (redirect_uri, "urn:ietf:wg:oauth:2.0:oob"))
    {
      g_autofree char *body = g_strdup_printf ("<p>Copy this authorization code and paste it "
                                               "into the application.</p>\n"
                                               "<p><code id=\"code\">%s</code></p>",
                                               grant->code);

      respond_html (req->msg, 200, "Authorization code", body);
      return;
    }
  redirect_with (req->msg, redirect_uri, "code", grant->code,
                 "state", params_get (req->params, "state"), NULL);
}

/* Client authentication by client_secret_post or client_secret_basic. */
static App *
authenticate_client (Request *req)
{
  WcMastodonServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *client_id = g_strdup (params_get (req->params, "client_id"));
  g_autofree char *client_secret = g_strdup (params_get (req->params, "client_secret"));
  App *app;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize len;
      g_autofree guchar *decoded = g_base64_decode (auth + 6, &len);
      g_autofree char *text = g_strndup ((const char *) decoded, len);
      char *colon = strchr (text, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          g_free (client_id);
          g_free (client_secret);
          client_id = form_unescape (text, -1);
          client_secret = form_unescape (colon + 1, -1);
        }
    }

  if (client_id == NULL)
    return NULL;
  app = g_hash_table_lookup (self->apps_by_client_id, client_id);
  if (app == NULL || g_strcmp0 (app->client_secret, client_secret) != 0)
    return NULL;
  return app;
}

static gboolean
verify_pkce (const char *challenge,
             const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *encoded = NULL;

  if (verifier == NULL)
    return FALSE;
  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);
  encoded = base64url (digest, len);
  return g_str_equal (encoded, challenge);
}

static void
respond_token (Request *req,
               Token   *token)
{
  JsonObject *object = json_object_new ();
  g_autofree char *scope = g_strjoinv (" ", token->scopes);

  json_object_set_string_member (object, "access_token", token->token);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_string_member (object, "scope", scope);
  json_object_set_int_member (object, "created_at", token->created_at);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "no-store");
  respond_object (req->msg, 200, object);
}

static void
handle_token (Request *req)
{
  WcMastodonServer *self = req->self;
  const char *grant_type = params_get (req->params, "grant_type");
  App *app;

  if (grant_type == NULL)
    {
      respond_error (req->msg, 400, "invalid_request",
                     "The request is missing a required parameter: grant_type.");
      return;
    }
  if (!g_str_equal (grant_type, "authorization_code")
      && !g_str_equal (grant_type, "client_credentials"))
    {
      respond_error (req->msg, 400, "unsupported_grant_type",
                     "The authorization grant type is not supported by the authorization server.");
      return;
    }

  app = authenticate_client (req);
  if (app == NULL)
    {
      respond_error (req->msg, 401, "invalid_client",
                     "Client authentication failed due to unknown client, no client "
                     "authentication included, or unsupported authentication method.");
      return;
    }

  if (g_str_equal (grant_type, "client_credentials"))
    {
      g_auto(GStrv) scopes = split_words (params_get (req->params, "scope"));

      if (scopes[0] == NULL)
        {
          g_strfreev (scopes);
          scopes = g_strsplit ("read", " ", -1);
        }
      if (!strv_is_subset ((const char * const *) scopes, (const char * const *) app->scopes))
        {
          respond_error (req->msg, 400, "invalid_scope",
                         "The requested scope is invalid, unknown, or malformed.");
          return;
        }
      respond_token (req, token_new (self, app, NULL, g_steal_pointer (&scopes)));
    }
  else
    {
      const char *code = params_get (req->params, "code");
      Grant *grant = code != NULL ? g_hash_table_lookup (self->grants, code) : NULL;

      if (grant == NULL || grant->used || grant->app != app
          || now_locked (self) - grant->created_at > CODE_LIFETIME
          || g_strcmp0 (params_get (req->params, "redirect_uri"), grant->redirect_uri) != 0
          || (grant->challenge != NULL
              && !verify_pkce (grant->challenge, params_get (req->params, "code_verifier"))))
        {
          respond_error (req->msg, 400, "invalid_grant",
                         "The provided authorization grant is invalid, expired, revoked, does "
                         "not match the redirection URI used in the authorization request, or "
                         "was issued to another client.");
          return;
        }
      grant->used = TRUE;
      respond_token (req, token_new (self, app, grant->user, g_strdupv (grant->scopes)));
    }
}

static void
handle_revoke (Request *req)
{
  WcMastodonServer *self = req->self;
  const char *value = params_get (req->params, "token");
  Token *token = value != NULL ? g_hash_table_lookup (self->tokens, value) : NULL;
  App *app = authenticate_client (req);

  if (token != NULL && (app == NULL || token->app != app))
    {
      respond_error (req->msg, 403, "unauthorized_client",
                     "You are not authorized to revoke this token");
      return;
    }
  if (token != NULL && !token->revoked)
    {
      token->revoked = TRUE;
      g_debug ("Revoked a token of app %" G_GUINT64_FORMAT, token->app->id);
    }
  respond_object (req->msg, 200, json_object_new ());
}

static void
handle_server_metadata (Request *req)
{
  WcMastodonServer *self = req->self;
  JsonObject *object = json_object_new ();
  const char * const grant_types[] = { "authorization_code", "client_credentials", NULL };
  const char * const auth_methods[] = { "client_secret_basic", "client_secret_post", NULL };
  const char * const response_types[] = { "code", NULL };
  const char * const methods[] = { "S256", NULL };
  g_autofree char *authorize = g_strconcat (self->base_url, "/oauth/authorize", NULL);
  g_autofree char *token = g_strconcat (self->base_url, "/oauth/token", NULL);
  g_autofree char *revoke = g_strconcat (self->base_url, "/oauth/revoke", NULL);
  g_autofree char *apps = g_strconcat (self->base_url, "/api/v1/apps", NULL);

  json_object_set_string_member (object, "issuer", self->base_url);
  json_object_set_string_member (object, "authorization_endpoint", authorize);
  json_object_set_string_member (object, "token_endpoint", token);
  json_object_set_string_member (object, "revocation_endpoint", revoke);
  json_object_set_string_member (object, "app_registration_endpoint", apps);
  json_object_set_array_member (object, "scopes_supported", strv_to_array (known_scopes));
  json_object_set_array_member (object, "response_types_supported", strv_to_array (response_types));
  json_object_set_array_member (object, "code_challenge_methods_supported", strv_to_array (methods));
  json_object_set_array_member (object, "grant_types_supported", strv_to_array (grant_types));
  json_object_set_array_member (object, "token_endpoint_auth_methods_supported",
                                strv_to_array (auth_methods));
  respond_object (req->msg, 200, object);
}

/* ------------------------------------------------------------------------ */
/* Accounts                                                                  */

static void
handle_verify_credentials (Request *req)
{
  if (!require_user_scope (req, "read:accounts", "profile"))
    return;
  respond_object (req->msg, 200, user_to_json (req->self, req->user, TRUE));
}

static void
accept_all_requests (WcMastodonServer *self,
                     User             *user)
{
  g_autoptr(GArray) edges = g_array_copy (user->requests.edges);

  for (guint i = 0; i < edges->len; i++)
    {
      guint64 account_id = g_array_index (edges, Edge, i).account_id;
      User *follower = user_by_id (self, account_id);

      edges_remove (&user->requests, account_id);
      edges_add (self, &user->followers, account_id);
      if (follower != NULL)
        follower->following_count++;
    }
}

static gint
compare_field_index (gconstpointer a,
                     gconstpointer b)
{
  guint64 ia = *(const guint64 *) a;
  guint64 ib = *(const guint64 *) b;

  return ia < ib ? -1 : (ia > ib ? 1 : 0);
}

/* fields_attributes[N][name|value]; returns FALSE when none were sent. */
static gboolean
collect_fields (Request   *req,
                GPtrArray *fields)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, req->params->values);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;
      guint64 index;
      g_autofree char *number = NULL;
      const char *close;

      if (!g_str_has_prefix (name, "fields_attributes"))
        continue;
      any = TRUE;
      if (!g_str_has_prefix (name, "fields_attributes["))
        continue;
      close = strchr (name + 18, ']');
      if (close == NULL)
        continue;
      number = g_strndup (name + 18, close - name - 18);
      if (!g_ascii_string_to_unsigned (number, 10, 0, 1000, &index, NULL))
        continue;
      for (guint i = 0; i < indices->len; i++)
        if (g_array_index (indices, guint64, i) == index)
          {
            index = G_MAXUINT64;
            break;
          }
      if (index != G_MAXUINT64)
        g_array_append_val (indices, index);
    }
  g_array_sort (indices, compare_field_index);

  for (guint i = 0; i < indices->len; i++)
    {
      guint64 index = g_array_index (indices, guint64, i);
      g_autofree char *name_key = g_strdup_printf ("fields_attributes[%" G_GUINT64_FORMAT "][name]",
                                                   index);
      g_autofree char *value_key = g_strdup_printf ("fields_attributes[%" G_GUINT64_FORMAT
                                                    "][value]", index);
      const char *name = params_get (req->params, name_key);
      const char *value = params_get (req->params, value_key);

      if (is_blank (name) && is_blank (value))
        continue;
      g_ptr_array_add (fields, field_new (name, value));
    }
  return any;
}

static void
handle_update_credentials (Request *req)
{
  WcMastodonServer *self = req->self;
  User *user;
  const char *display_name, *note, *privacy, *language, *value;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (field_free);
  gboolean have_fields;
  gboolean was_locked;

  if (!require_user_scope (req, "write:accounts", NULL))
    return;
  user = req->user;

  display_name = params_get (req->params, "display_name");
  note = params_get (req->params, "note");
  privacy = params_get (req->params, "source[privacy]");
  language = params_get (req->params, "source[language]");
  have_fields = collect_fields (req, fields);

  if (display_name != NULL && g_utf8_strlen (display_name, -1) > 30)
    {
      respond_error (req->msg, 422,
                     "Validation failed: Display name is too long (maximum is 30 characters)",
                     NULL);
      return;
    }
  if (note != NULL && g_utf8_strlen (note, -1) > 500)
    {
      respond_error (req->msg, 422, "Validation failed: Bio is too long (maximum is 500 characters)",
                     NULL);
      return;
    }
  if (privacy != NULL && !g_str_equal (privacy, "public") && !g_str_equal (privacy, "unlisted")
      && !g_str_equal (privacy, "private"))
    {
      respond_error (req->msg, 422, "Validation failed: Posting privacy is not included in the list",
                     NULL);
      return;
    }
  if (fields->len > MAX_PROFILE_FIELDS)
    {
      respond_errorf (req->msg, 422, "Validation failed: Fields is too long (maximum is %d)",
                      MAX_PROFILE_FIELDS);
      return;
    }
  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = g_ptr_array_index (fields, i);

      if (g_utf8_strlen (field->name, -1) > 255 || g_utf8_strlen (field->value, -1) > 255)
        {
          respond_error (req->msg, 422, "Validation failed: Fields is invalid", NULL);
          return;
        }
    }

  was_locked = user->locked;
  if (display_name != NULL)
    replace_str (&user->display_name, display_name);
  if (note != NULL)
    replace_str (&user->note, note);
  if ((value = params_get (req->params, "locked")) != NULL)
    user->locked = parse_bool (value);
  if ((value = params_get (req->params, "bot")) != NULL)
    user->bot = parse_bool (value);
  if ((value = params_get (req->params, "discoverable")) != NULL)
    user->discoverable = parse_bool (value);
  if ((value = params_get (req->params, "indexable")) != NULL)
    user->indexable = parse_bool (value);
  if ((value = params_get (req->params, "hide_collections")) != NULL)
    user->hide_collections = parse_bool (value);
  if (privacy != NULL)
    replace_str (&user->privacy, privacy);
  if ((value = params_get (req->params, "source[sensitive]")) != NULL)
    user->sensitive = parse_bool (value);
  if (language != NULL)
    {
      g_free (user->language);
      user->language = *language != '\0' ? g_strdup (language) : NULL;
    }
  if (have_fields)
    {
      /* A field keeps its verification only while it stays the same. */
      for (guint i = 0; i < fields->len; i++)
        {
          Field *field = g_ptr_array_index (fields, i);

          for (guint j = 0; j < user->fields->len; j++)
            {
              Field *old = g_ptr_array_index (user->fields, j);

              if (g_str_equal (old->name, field->name) && g_str_equal (old->value, field->value))
                field->verified_at = old->verified_at;
            }
        }
      g_ptr_array_unref (user->fields);
      user->fields = g_steal_pointer (&fields);
    }

  /* As UpdateAccountService does: unlocking accepts every pending request. */
  if (was_locked && !user->locked)
    accept_all_requests (self, user);

  respond_object (req->msg, 200, user_to_json (self, user, TRUE));
}

static gboolean
lookup_account_segment (Request *req,
                        guint64 *id)
{
  if (!parse_id (req->segs[3], id) || !account_exists (req->self, *id))
    {
      respond_not_found (req->msg);
      return FALSE;
    }
  return TRUE;
}

static void
handle_account (Request *req)
{
  guint64 id;

  if (!lookup_account_segment (req, &id))
    return;
  respond_object (req->msg, 200, account_to_json (req->self, id));
}

static void
handle_account_statuses (Request *req)
{
  WcMastodonServer *self = req->self;
  g_autoptr(GPtrArray) visible = g_ptr_array_new ();
  User *owner;
  guint64 id;
  guint limit, lo, hi;
  JsonArray *array;

  if (!authorize_if_got_token (req, "read:statuses", NULL))
    return;
  if (!lookup_account_segment (req, &id))
    return;
  owner = user_by_id (self, id);
  for (guint i = 0; owner != NULL && i < self->statuses->len; i++)
    {
      Status *status = g_ptr_array_index (self->statuses, i);

      if (status->user == owner && status_visible_to (status, req->user)
          && (!g_str_equal (status->visibility, "direct") || req->user == owner))
        g_ptr_array_add (visible, status);
    }

  limit = limit_param (req, 20, 40);
  paginate (req, visible, visible->len, status_key, limit, &lo, &hi);
  array = json_array_new ();
  for (guint i = hi; i > lo; i--)
    json_array_add_object_element (array,
                                   status_to_json (self, g_ptr_array_index (visible, i - 1), FALSE));
  if (hi > lo)
    set_link_header (req, hi - lo, limit, status_key (visible, lo), status_key (visible, hi - 1));
  respond_array (req->msg, 200, array);
}

static void
handle_followers (Request *req)
{
  WcMastodonServer *self = req->self;
  User *owner;
  guint64 id;

  if (!authorize_if_got_token (req, "read:accounts", NULL))
    return;
  if (!lookup_account_segment (req, &id))
    return;
  owner = user_by_id (self, id);
  if (owner == NULL || (owner->hide_collections && req->user != owner))
    {
      respond_array (req->msg, 200, json_array_new ());
      return;
    }
  respond_edges (req, &owner->followers);
}

static void
handle_relationships (Request *req)
{
  GPtrArray *ids;
  JsonArray *array;

  if (!require_user_scope (req, "read:follows", "follow"))
    return;
  ids = params_values (req->params, "id");
  array = json_array_new ();
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      guint64 id;

      if (parse_id (g_ptr_array_index (ids, i), &id) && account_exists (req->self, id))
        json_array_add_object_element (array, relationship_to_json (req->self, req->user, id));
    }
  respond_array (req->msg, 200, array);
}

static void
handle_remove_from_followers (Request *req)
{
  guint64 id;
  User *follower;

  if (!require_user_scope (req, "write:follows", "follow"))
    return;
  if (!lookup_account_segment (req, &id))
    return;
  if (edges_remove (&req->user->followers, id) && (follower = user_by_id (req->self, id)) != NULL)
    follower->following_count--;
  respond_object (req->msg, 200, relationship_to_json (req->self, req->user, id));
}

/* A block ends the follow both ways and drops a pending request, as on
 * Mastodon. */
static void
handle_block (Request *req)
{
  WcMastodonServer *self = req->self;
  guint64 id;
  User *other;

  if (!require_user_scope (req, "write:blocks", "follow"))
    return;
  if (!lookup_account_segment (req, &id))
    return;
  if (!edges_contains (&req->user->blocks, id))
    edges_add (self, &req->user->blocks, id);
  edges_remove (&req->user->requests, id);
  other = user_by_id (self, id);
  if (edges_remove (&req->user->followers, id) && other != NULL)
    other->following_count--;
  if (other != NULL)
    {
      edges_remove (&other->requests, req->user->id);
      if (edges_remove (&other->followers, req->user->id))
        req->user->following_count--;
    }
  respond_object (req->msg, 200, relationship_to_json (self, req->user, id));
}

static void
handle_follow_requests (Request *req)
{
  if (!require_user_scope (req, "read:follows", "follow"))
    return;
  respond_edges (req, &req->user->requests);
}

static void
handle_follow_request_decision (Request  *req,
                                gboolean  authorize)
{
  WcMastodonServer *self = req->self;
  guint64 id;

  if (!require_user_scope (req, "write:follows", "follow"))
    return;
  if (!parse_id (req->segs[3], &id) || !edges_remove (&req->user->requests, id))
    {
      respond_not_found (req->msg);
      return;
    }
  if (authorize)
    {
      User *follower = user_by_id (self, id);

      edges_add (self, &req->user->followers, id);
      if (follower != NULL)
        follower->following_count++;
    }
  respond_object (req->msg, 200, relationship_to_json (self, req->user, id));
}

/* ------------------------------------------------------------------------ */
/* Instance                                                                  */

static JsonObject *
statuses_configuration (WcMastodonServer *self)
{
  JsonObject *statuses = json_object_new ();

  json_object_set_int_member (statuses, "max_characters", self->max_characters);
  json_object_set_int_member (statuses, "max_media_attachments", MAX_MEDIA_ATTACHMENTS);
  json_object_set_int_member (statuses, "characters_reserved_per_url", 23);
  return statuses;
}

static JsonObject *
media_configuration (gboolean v2)
{
  JsonObject *media = json_object_new ();

  json_object_set_array_member (media, "supported_mime_types",
                                strv_to_array (supported_mime_types));
  if (v2)
    json_object_set_int_member (media, "description_limit", DESCRIPTION_LIMIT);
  json_object_set_int_member (media, "image_size_limit", IMAGE_SIZE_LIMIT);
  json_object_set_int_member (media, "image_matrix_limit", 33177600);
  json_object_set_int_member (media, "video_size_limit", VIDEO_SIZE_LIMIT);
  json_object_set_int_member (media, "video_frame_rate_limit", 120);
  json_object_set_int_member (media, "video_matrix_limit", 8294400);
  return media;
}

static JsonObject *
polls_configuration (void)
{
  JsonObject *polls = json_object_new ();

  json_object_set_int_member (polls, "max_options", 4);
  json_object_set_int_member (polls, "max_characters_per_option", 50);
  json_object_set_int_member (polls, "min_expiration", 300);
  json_object_set_int_member (polls, "max_expiration", 2629746);
  return polls;
}

static char *
instance_domain (WcMastodonServer *self)
{
  return g_strdup (self->base_url + strlen ("http://"));
}

static void
handle_instance_v2 (Request *req)
{
  WcMastodonServer *self = req->self;
  JsonObject *object, *configuration, *accounts, *urls, *usage, *users, *registrations;
  JsonObject *api_versions, *contact, *thumbnail, *translation;
  g_autofree char *domain = NULL;
  g_autofree char *thumbnail_url = NULL;
  const char * const languages[] = { "en", NULL };

  if (!self->instance_v2)
    {
      respond_error (req->msg, 404, "Record not found", NULL);
      return;
    }

  domain = instance_domain (self);
  thumbnail_url = g_strconcat (self->base_url, "/packs/media/images/preview.png", NULL);
  object = json_object_new ();
  json_object_set_string_member (object, "domain", domain);
  json_object_set_string_member (object, "title", "Whitecoat test server");
  json_object_set_string_member (object, "version", "4.4.0");
  json_object_set_string_member (object, "source_url", "https://github.com/mastodon/mastodon");
  json_object_set_string_member (object, "description",
                                 "A Mastodon API server for testing Whitecoat.");
  usage = json_object_new ();
  users = json_object_new ();
  json_object_set_int_member (users, "active_month", self->users->len);
  json_object_set_object_member (usage, "users", users);
  json_object_set_object_member (object, "usage", usage);
  thumbnail = json_object_new ();
  json_object_set_string_member (thumbnail, "url", thumbnail_url);
  json_object_set_object_member (object, "thumbnail", thumbnail);
  json_object_set_array_member (object, "languages", strv_to_array (languages));

  configuration = json_object_new ();
  urls = json_object_new ();
  json_object_set_null_member (urls, "streaming");
  json_object_set_object_member (configuration, "urls", urls);
  accounts = json_object_new ();
  json_object_set_int_member (accounts, "max_featured_tags", 10);
  json_object_set_int_member (accounts, "max_pinned_statuses", 5);
  json_object_set_int_member (accounts, "max_profile_fields", MAX_PROFILE_FIELDS);
  json_object_set_object_member (configuration, "accounts", accounts);
  json_object_set_object_member (configuration, "statuses", statuses_configuration (self));
  json_object_set_object_member (configuration, "media_attachments", media_configuration (TRUE));
  json_object_set_object_member (configuration, "polls", polls_configuration ());
  translation = json_object_new ();
  json_object_set_boolean_member (translation, "enabled", FALSE);
  json_object_set_object_member (configuration, "translation", translation);
  json_object_set_object_member (object, "configuration", configuration);

  registrations = json_object_new ();
  json_object_set_boolean_member (registrations, "enabled", FALSE);
  json_object_set_boolean_member (registrations, "approval_required", FALSE);
  json_object_set_null_member (registrations, "message");
  json_object_set_object_member (object, "registrations", registrations);
  api_versions = json_object_new ();
  json_object_set_int_member (api_versions, "mastodon", 6);
  json_object_set_object_member (object, "api_versions", api_versions);
  contact = json_object_new ();
  json_object_set_string_member (contact, "email", "admin@example.invalid");
  json_object_set_null_member (contact, "account");
  json_object_set_object_member (object, "contact", contact);
  json_object_set_array_member (object, "rules", json_array_new ());
  respond_object (req->msg, 200, object);
}

static void
handle_instance_v1 (Request *req)
{
  WcMastodonServer *self = req->self;
  JsonObject *object = json_object_new ();
  JsonObject *configuration = json_object_new ();
  JsonObject *accounts = json_object_new ();
  JsonObject *urls = json_object_new ();
  JsonObject *stats = json_object_new ();
  g_autofree char *domain = instance_domain (self);
  const char * const languages[] = { "en", NULL };

  json_object_set_string_member (object, "uri", domain);
  json_object_set_string_member (object, "title", "Whitecoat test server");
  json_object_set_string_member (object, "short_description",
                                 "A Mastodon API server for testing Whitecoat.");
  json_object_set_string_member (object, "description", "");
  json_object_set_string_member (object, "email", "admin@example.invalid");
  json_object_set_string_member (object, "version", self->instance_v2 ? "4.4.0" : "3.5.3");
  json_object_set_null_member (urls, "streaming_api");
  json_object_set_object_member (object, "urls", urls);
  json_object_set_int_member (stats, "user_count", self->users->len);
  json_object_set_int_member (stats, "status_count", self->statuses->len);
  json_object_set_int_member (stats, "domain_count", 1);
  json_object_set_object_member (object, "stats", stats);
  json_object_set_null_member (object, "thumbnail");
  json_object_set_array_member (object, "languages", strv_to_array (languages));
  json_object_set_boolean_member (object, "registrations", FALSE);
  json_object_set_boolean_member (object, "approval_required", FALSE);
  json_object_set_boolean_member (object, "invites_enabled", FALSE);
  json_object_set_int_member (accounts, "max_featured_tags", 10);
  json_object_set_object_member (configuration, "accounts", accounts);
  json_object_set_object_member (configuration, "statuses", statuses_configuration (self));
  json_object_set_object_member (configuration, "media_attachments", media_configuration (FALSE));
  json_object_set_object_member (configuration, "polls", polls_configuration ());
  json_object_set_object_member (object, "configuration", configuration);
  json_object_set_null_member (object, "contact_account");
  json_object_set_array_member (object, "rules", json_array_new ());
  respond_object (req->msg, 200, object);
}

/* ------------------------------------------------------------------------ */
/* Media                                                                     */

static char *
sniff_content_type (FilePart *part)
{
  gsize len;
  const guchar *data = g_bytes_get_data (part->bytes, &len);
  g_autofree char *guessed = NULL;

  if (part->content_type != NULL && !g_str_equal (part->content_type, "application/octet-stream"))
    return g_ascii_strdown (part->content_type, -1);
  guessed = g_content_type_guess (part->filename, data, len, NULL);
  return g_content_type_get_mime_type (guessed);
}

static gboolean
parse_focus (const char *text,
             double     *x,
             double     *y)
{
  g_auto(GStrv) parts = NULL;
  char *end;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;
  *x = g_ascii_strtod (parts[0], &end);
  if (*end != '\0')
    return FALSE;
  *y = g_ascii_strtod (parts[1], &end);
  if (*end != '\0')
    return FALSE;
  return *x >= -1.0 && *x <= 1.0 && *y >= -1.0 && *y <= 1.0;
}

static void
handle_upload_media (Request  *req,
                     gboolean  synchronous)
{
  WcMastodonServer *self = req->self;
  FilePart *part;
  const char *description = params_get (req->params, "description");
  g_autofree char *type = NULL;
  double x = 0.0, y = 0.0;
  gsize limit;
  Media *media;

  if (!require_user_scope (req, "write:media", NULL))
    return;
  part = g_hash_table_lookup (req->params->files, "file");
  if (part == NULL)
    {
      respond_error (req->msg, 422, "Validation failed: File can't be blank", NULL);
      return;
    }
  type = sniff_content_type (part);
  if (type == NULL || !g_strv_contains (supported_mime_types, type))
    {
      respond_error (req->msg, 422, "Validation failed: File content type is invalid, File file "
                     "type is not supported", NULL);
      return;
    }
  limit = g_str_has_prefix (type, "image/") ? IMAGE_SIZE_LIMIT : VIDEO_SIZE_LIMIT;
  if (g_bytes_get_size (part->bytes) > limit)
    {
      respond_errorf (req->msg, 422, "Validation failed: File file size must be less than %d MB",
                      (int) (limit / (1024 * 1024)));
      return;
    }
  if (description != NULL && g_utf8_strlen (description, -1) > DESCRIPTION_LIMIT)
    {
      respond_errorf (req->msg, 422, "Validation failed: Description is too long (maximum is %d "
                      "characters)", DESCRIPTION_LIMIT);
      return;
    }
  if (!parse_focus (params_get (req->params, "focus"), &x, &y))
    {
      respond_error (req->msg, 422, "Validation failed: Focus is invalid", NULL);
      return;
    }

  media = g_new0 (Media, 1);
  media->id = self->next_media_id++;
  media->user = req->user;
  media->description = g_strdup (description);
  media->focus_x = x;
  media->focus_y = y;
  media->content_type = g_steal_pointer (&type);
  media->filename = g_path_get_basename (part->filename != NULL && *part->filename != '\0'
                                         ? part->filename : "file");
  media->bytes = g_bytes_ref (part->bytes);
  media->created_at = now_locked (self);
  media->polls_needed = self->media_polls;
  media->ready_at = self->media_seconds > 0 ? media->created_at + self->media_seconds : 0;
  media->processed = synchronous || (self->media_polls == 0 && self->media_seconds == 0);
  g_ptr_array_add (self->media, media);
  g_hash_table_insert (self->media_by_id, &media->id, media);
  g_debug ("Stored media %" G_GUINT64_FORMAT " (%s, %" G_GSIZE_FORMAT " bytes)",
           media->id, media->content_type, g_bytes_get_size (media->bytes));

  respond_object (req->msg, media->processed ? 200 : 202, media_to_json (self, media, FALSE));
}

static Media *
lookup_own_unattached_media (Request *req)
{
  Media *media = lookup_media (req->self, req->segs[3]);

  if (media == NULL || media->user != req->user || media->status_id != 0)
    {
      respond_not_found (req->msg);
      return NULL;
    }
  return media;
}

static void
handle_get_media (Request *req)
{
  Media *media;

  if (!require_user_scope (req, "write:media", NULL))
    return;
  if ((media = lookup_own_unattached_media (req)) == NULL)
    return;
  media_check_processed (req->self, media, TRUE);
  respond_object (req->msg, media->processed ? 200 : 206, media_to_json (req->self, media, FALSE));
}

static void
handle_update_media (Request *req)
{
  Media *media;
  const char *description = params_get (req->params, "description");
  double x, y;

  if (!require_user_scope (req, "write:media", NULL))
    return;
  if ((media = lookup_own_unattached_media (req)) == NULL)
    return;
  if (description != NULL && g_utf8_strlen (description, -1) > DESCRIPTION_LIMIT)
    {
      respond_errorf (req->msg, 422, "Validation failed: Description is too long (maximum is %d "
                      "characters)", DESCRIPTION_LIMIT);
      return;
    }
  x = media->focus_x;
  y = media->focus_y;
  if (!parse_focus (params_get (req->params, "focus"), &x, &y))
    {
      respond_error (req->msg, 422, "Validation failed: Focus is invalid", NULL);
      return;
    }
  if (description != NULL)
    replace_str (&media->description, description);
  media->focus_x = x;
  media->focus_y = y;
  media_check_processed (req->self, media, FALSE);
  respond_object (req->msg, media->processed ? 200 : 206, media_to_json (req->self, media, FALSE));
}

static void
handle_delete_media (Request *req)
{
  Media *media;

  if (!require_user_scope (req, "write:media", NULL))
    return;
  if ((media = lookup_own_unattached_media (req)) == NULL)
    return;
  if (media->scheduled_id != 0)
    {
      respond_error (req->msg, 422, "Media attachment is currently used by a status", NULL);
      return;
    }
  respond_object (req->msg, 200, media_to_json (req->self, media, FALSE));
  g_hash_table_remove (req->self->media_by_id, &media->id);
  g_ptr_array_remove (req->self->media, media);
}

/* ------------------------------------------------------------------------ */
/* Statuses and scheduled statuses                                           */

static void
respond_idempotent (Request     *req,
                    Idempotency *idempotency)
{
  WcMastodonServer *self = req->self;
  guint64 status_id = idempotency->id;

  if (idempotency->scheduled)
    {
      for (guint i = 0; i < self->scheduled->len; i++)
        {
          Scheduled *scheduled = g_ptr_array_index (self->scheduled, i);

          if (scheduled->id == idempotency->id)
            {
              respond_object (req->msg, 200, scheduled_to_json (self, scheduled, FALSE));
              return;
            }
        }
      status_id = GPOINTER_TO_SIZE (g_hash_table_lookup (self->published_from, &idempotency->id));
    }

  {
    Status *status = g_hash_table_lookup (self->statuses_by_id, &status_id);

    if (status != NULL)
      respond_object (req->msg, 200, status_to_json (self, status, FALSE));
    else
      respond_not_found (req->msg);
  }
}

static void
remember_idempotency (WcMastodonServer *self,
                      User             *user,
                      const char       *key,
                      gboolean          scheduled,
                      guint64           id)
{
  Idempotency *idempotency;

  if (key == NULL || *key == '\0')
    return;
  idempotency = g_new0 (Idempotency, 1);
  idempotency->at = now_locked (self);
  idempotency->scheduled = scheduled;
  idempotency->id = id;
  g_hash_table_replace (user->idempotency, g_strdup (key), idempotency);
}

static void
handle_post_status (Request *req)
{
  WcMastodonServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *text, *spoiler_text, *visibility, *language, *scheduled_text, *sensitive_text;
  const char *in_reply_to_id;
  GPtrArray *media_ids;
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  gint64 scheduled_at = 0;
  gboolean scheduled = FALSE;
  gboolean sensitive;
  User *user;
  glong length;

  if (!require_user_scope (req, "write:statuses", NULL))
    return;
  user = req->user;

  if (key != NULL && *key != '\0')
    {
      Idempotency *idempotency = g_hash_table_lookup (user->idempotency, key);

      if (idempotency != NULL && now_locked (self) - idempotency->at < IDEMPOTENCY_SECONDS)
        {
          g_debug ("Idempotency-Key seen before; answering with the original");
          respond_idempotent (req, idempotency);
          return;
        }
    }

  text = params_get (req->params, "status");
  spoiler_text = params_get (req->params, "spoiler_text");
  visibility = params_get (req->params, "visibility");
  language = params_get (req->params, "language");
  scheduled_text = params_get (req->params, "scheduled_at");
  sensitive_text = params_get (req->params, "sensitive");
  in_reply_to_id = params_get (req->params, "in_reply_to_id");
  media_ids = params_values (req->params, "media_ids");
  sensitive = parse_bool (sensitive_text);

  if (is_blank (visibility))
    visibility = user->privacy;
  if (!g_str_equal (visibility, "public") && !g_str_equal (visibility, "unlisted")
      && !g_str_equal (visibility, "private") && !g_str_equal (visibility, "direct"))
    {
      respond_errorf (req->msg, 422, "Validation failed: Visibility '%s' is not a valid visibility",
                      visibility);
      return;
    }
  if (is_blank (language))
    language = user->language;
  if (in_reply_to_id != NULL && *in_reply_to_id == '\0')
    in_reply_to_id = NULL;

  if (!is_blank (scheduled_text))
    {
      if (!parse_time (scheduled_text, &scheduled_at))
        {
          respond_error (req->msg, 422, "Validation failed: Scheduled at is invalid", NULL);
          return;
        }
      /* A time at or before now is dropped and the status published at once. */
      scheduled = scheduled_at > now_locked (self);
    }

  if (media_ids != NULL)
    {
      g_autoptr(GString) missing = g_string_new (NULL);
      gboolean other_than_image = FALSE;

      if (media_ids->len > MAX_MEDIA_ATTACHMENTS)
        {
          respond_errorf (req->msg, 422, "Cannot attach more than %d files",
                          MAX_MEDIA_ATTACHMENTS);
          return;
        }
      for (guint i = 0; i < media_ids->len; i++)
        {
          const char *id = g_ptr_array_index (media_ids, i);
          Media *m = lookup_media (self, id);

          if (*id == '\0')
            continue;
          if (m == NULL || m->user != user || m->status_id != 0 || m->scheduled_id != 0)
            {
              g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", id);
              continue;
            }
          if (!g_ptr_array_find (media, m, NULL))
            g_ptr_array_add (media, m);
          if (!g_str_equal (media_type_name (m), "image"))
            other_than_image = TRUE;
        }
      if (missing->len > 0)
        {
          respond_errorf (req->msg, 422, "Media %s not found", missing->str);
          return;
        }
      if (other_than_image && media->len > 1)
        {
          respond_error (req->msg, 422,
                         "Cannot attach a video to a post that already contains images", NULL);
          return;
        }
      for (guint i = 0; i < media->len; i++)
        if (!media_check_processed (self, g_ptr_array_index (media, i), FALSE))
          {
            respond_error (req->msg, 422, "Cannot attach files that have not finished "
                           "processing. Try again in a moment!", NULL);
            return;
          }
    }

  if (is_blank (text) && media->len == 0)
    {
      respond_error (req->msg, 422, "Validation failed: Text can't be blank", NULL);
      return;
    }
  length = status_length (self, spoiler_text, text);
  if (length > (glong) self->max_characters)
    {
      respond_errorf (req->msg, 422, "Validation failed: Text character limit of %u exceeded",
                      self->max_characters);
      return;
    }

  if (scheduled)
    {
      g_autofree char *problem = check_schedule (self, user, scheduled_at, NULL);
      Scheduled *s;

      if (problem != NULL)
        {
          respond_error (req->msg, 422, problem, NULL);
          return;
        }
      s = g_new0 (Scheduled, 1);
      s->id = self->next_scheduled_id++;
      s->user = user;
      s->app = req->token->app;
      s->scheduled_at = scheduled_at;
      s->text = g_strdup (text != NULL ? text : "");
      s->spoiler_text = g_strdup (spoiler_text != NULL ? spoiler_text : "");
      s->visibility = g_strdup (visibility);
      s->language = g_strdup (language);
      s->in_reply_to_id = g_strdup (in_reply_to_id);
      s->idempotency = (key != NULL && *key != '\0') ? g_strdup (key) : NULL;
      s->sensitive = sensitive || (spoiler_text != NULL && *spoiler_text != '\0');
      s->sensitive_given = sensitive_text != NULL;
      s->media = g_ptr_array_new ();
      for (guint i = 0; i < media->len; i++)
        {
          Media *m = g_ptr_array_index (media, i);

          m->scheduled_id = s->id;
          g_ptr_array_add (s->media, m);
        }
      g_ptr_array_add (self->scheduled, s);
      remember_idempotency (self, user, key, TRUE, s->id);
      g_debug ("Scheduled status %" G_GUINT64_FORMAT, s->id);
      respond_object (req->msg, 200, scheduled_to_json (self, s, FALSE));
    }
  else
    {
      Status *status = publish_status (self, user, req->token->app, text, spoiler_text,
                                       visibility, language, in_reply_to_id, sensitive,
                                       now_locked (self), media);

      remember_idempotency (self, user, key, FALSE, status->id);
      respond_object (req->msg, 200, status_to_json (self, status, FALSE));
    }
}

static Status *
lookup_status_segment (Request *req)
{
  guint64 id;
  Status *status = NULL;

  if (parse_id (req->segs[3], &id))
    status = g_hash_table_lookup (req->self->statuses_by_id, &id);
  if (status == NULL || !status_visible_to (status, req->user))
    {
      respond_not_found (req->msg);
      return NULL;
    }
  return status;
}

static void
handle_get_status (Request *req)
{
  Status *status;

  if (!authorize_if_got_token (req, "read:statuses", NULL))
    return;
  if ((status = lookup_status_segment (req)) == NULL)
    return;
  respond_object (req->msg, 200, status_to_json (req->self, status, FALSE));
}

static void
handle_delete_status (Request *req)
{
  WcMastodonServer *self = req->self;
  Status *status;
  JsonObject *object;

  if (!require_user_scope (req, "write:statuses", NULL))
    return;
  if ((status = lookup_status_segment (req)) == NULL)
    return;
  if (status->user != req->user)
    {
      respond_not_found (req->msg);
      return;
    }
  object = status_to_json (self, status, TRUE);
  for (guint i = 0; i < status->media->len; i++)
    ((Media *) g_ptr_array_index (status->media, i))->status_id = 0;
  status->user->statuses_count--;
  g_hash_table_remove (self->statuses_by_id, &status->id);
  g_ptr_array_remove (self->statuses, status);
  respond_object (req->msg, 200, object);
}

static Scheduled *
lookup_scheduled_segment (Request *req)
{
  guint64 id;

  if (parse_id (req->segs[3], &id))
    for (guint i = 0; i < req->self->scheduled->len; i++)
      {
        Scheduled *scheduled = g_ptr_array_index (req->self->scheduled, i);

        if (scheduled->id == id && scheduled->user == req->user)
          return scheduled;
      }
  respond_not_found (req->msg);
  return NULL;
}

static void
handle_list_scheduled (Request *req)
{
  WcMastodonServer *self = req->self;
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  guint limit, lo, hi;
  JsonArray *array;

  if (!require_user_scope (req, "read:statuses", NULL))
    return;
  for (guint i = 0; i < self->scheduled->len; i++)
    {
      Scheduled *scheduled = g_ptr_array_index (self->scheduled, i);

      if (scheduled->user == req->user)
        g_ptr_array_add (mine, scheduled);
    }
  limit = limit_param (req, MIN (20, self->scheduled_page_max), self->scheduled_page_max);
  paginate (req, mine, mine->len, scheduled_key, limit, &lo, &hi);
  array = json_array_new ();
  for (guint i = hi; i > lo; i--)
    json_array_add_object_element (array,
                                   scheduled_to_json (self, g_ptr_array_index (mine, i - 1), FALSE));
  if (hi > lo)
    set_link_header (req, hi - lo, limit, scheduled_key (mine, lo), scheduled_key (mine, hi - 1));
  respond_array (req->msg, 200, array);
}

static void
handle_get_scheduled (Request *req)
{
  Scheduled *scheduled;

  if (!require_user_scope (req, "read:statuses", NULL))
    return;
  if ((scheduled = lookup_scheduled_segment (req)) == NULL)
    return;
  respond_object (req->msg, 200, scheduled_to_json (req->self, scheduled, FALSE));
}

static void
handle_update_scheduled (Request *req)
{
  Scheduled *scheduled;
  const char *text = params_get (req->params, "scheduled_at");
  g_autofree char *problem = NULL;
  gint64 scheduled_at;

  if (!require_user_scope (req, "write:statuses", NULL))
    return;
  if ((scheduled = lookup_scheduled_segment (req)) == NULL)
    return;
  if (!parse_time (text, &scheduled_at))
    {
      respond_error (req->msg, 422, "Validation failed: Scheduled at is invalid", NULL);
      return;
    }
  problem = check_schedule (req->self, req->user, scheduled_at, scheduled);
  if (problem != NULL)
    {
      respond_error (req->msg, 422, problem, NULL);
      return;
    }
  scheduled->scheduled_at = scheduled_at;
  respond_object (req->msg, 200, scheduled_to_json (req->self, scheduled, FALSE));
}

static void
handle_delete_scheduled (Request *req)
{
  Scheduled *scheduled;

  if (!require_user_scope (req, "write:statuses", NULL))
    return;
  if ((scheduled = lookup_scheduled_segment (req)) == NULL)
    return;
  for (guint i = 0; i < scheduled->media->len; i++)
    ((Media *) g_ptr_array_index (scheduled->media, i))->scheduled_id = 0;
  g_ptr_array_remove (req->self->scheduled, scheduled);
  respond_object (req->msg, 200, json_object_new ());
}

/* ------------------------------------------------------------------------ */
/* Routing                                                                   */

static gboolean
route_is (Request    *req,
          const char *method,
          const char *pattern)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n = 0;

  if (!g_str_equal (req->method, method))
    return FALSE;
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (n >= req->n_segs)
        return FALSE;
      if (!g_str_equal (parts[i], "*") && !g_str_equal (parts[i], req->segs[n]))
        return FALSE;
      n++;
    }
  return n == req->n_segs;
}

static void
route (Request *req)
{
  if (route_is (req, "POST", "/api/v1/apps"))
    handle_create_app (req);
  else if (route_is (req, "GET", "/oauth/authorize") || route_is (req, "POST", "/oauth/authorize"))
    handle_authorize (req);
  else if (route_is (req, "POST", "/oauth/token"))
    handle_token (req);
  else if (route_is (req, "POST", "/oauth/revoke"))
    handle_revoke (req);
  else if (route_is (req, "GET", "/.well-known/oauth-authorization-server"))
    handle_server_metadata (req);
  else if (route_is (req, "GET", "/api/v1/accounts/verify_credentials"))
    handle_verify_credentials (req);
  else if (route_is (req, "PATCH", "/api/v1/accounts/update_credentials"))
    handle_update_credentials (req);
  else if (route_is (req, "GET", "/api/v1/accounts/relationships"))
    handle_relationships (req);
  else if (route_is (req, "GET", "/api/v1/accounts/*"))
    handle_account (req);
  else if (route_is (req, "GET", "/api/v1/accounts/*/statuses"))
    handle_account_statuses (req);
  else if (route_is (req, "GET", "/api/v1/accounts/*/followers"))
    handle_followers (req);
  else if (route_is (req, "POST", "/api/v1/accounts/*/remove_from_followers"))
    handle_remove_from_followers (req);
  else if (route_is (req, "POST", "/api/v1/accounts/*/block"))
    handle_block (req);
  else if (route_is (req, "GET", "/api/v1/follow_requests"))
    handle_follow_requests (req);
  else if (route_is (req, "POST", "/api/v1/follow_requests/*/authorize"))
    handle_follow_request_decision (req, TRUE);
  else if (route_is (req, "POST", "/api/v1/follow_requests/*/reject"))
    handle_follow_request_decision (req, FALSE);
  else if (route_is (req, "GET", "/api/v2/instance"))
    handle_instance_v2 (req);
  else if (route_is (req, "GET", "/api/v1/instance"))
    handle_instance_v1 (req);
  else if (route_is (req, "POST", "/api/v2/media"))
    handle_upload_media (req, FALSE);
  else if (route_is (req, "POST", "/api/v1/media"))
    handle_upload_media (req, TRUE);
  else if (route_is (req, "GET", "/api/v1/media/*"))
    handle_get_media (req);
  else if (route_is (req, "PUT", "/api/v1/media/*"))
    handle_update_media (req);
  else if (route_is (req, "DELETE", "/api/v1/media/*"))
    handle_delete_media (req);
  else if (route_is (req, "POST", "/api/v1/statuses"))
    handle_post_status (req);
  else if (route_is (req, "GET", "/api/v1/statuses/*"))
    handle_get_status (req);
  else if (route_is (req, "DELETE", "/api/v1/statuses/*"))
    handle_delete_status (req);
  else if (route_is (req, "GET", "/api/v1/scheduled_statuses"))
    handle_list_scheduled (req);
  else if (route_is (req, "GET", "/api/v1/scheduled_statuses/*"))
    handle_get_scheduled (req);
  else if (route_is (req, "PUT", "/api/v1/scheduled_statuses/*"))
    handle_update_scheduled (req);
  else if (route_is (req, "DELETE", "/api/v1/scheduled_statuses/*"))
    handle_delete_scheduled (req);
  else
    respond_not_found (req->msg);
}

static void
dispatch (WcMastodonServer  *self,
          SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_auto(GStrv) parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  g_autoptr(GPtrArray) segs = g_ptr_array_new ();
  g_autoptr(Params) params = params_new ();
  Request req = { 0 };

  for (gsize i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (segs, parts[i]);
  g_ptr_array_add (segs, NULL);

  req.self = self;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (uri);
  req.segs = (char **) segs->pdata;
  req.n_segs = segs->len - 1;
  req.params = params;

  if (query != NULL)
    params_parse_form (params, query, strlen (query));
  if (!params_parse_body (params, msg))
    {
      respond_error (msg, 400, "Error occurred while parsing request parameters.", NULL);
      return;
    }

  /* The OAuth endpoints authenticate the client, not a user's token. */
  if (!(req.n_segs > 0 && g_str_equal (req.segs[0], "oauth")) && !authenticate (&req))
    return;

  route (&req);
}

/* ------------------------------------------------------------------------ */
/* Faults                                                                    */

static Fault *
take_fault (WcMastodonServer *self,
            const char       *method,
            const char       *path,
            Fault            *copy)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);

      if (fault->method != NULL && g_ascii_strcasecmp (fault->method, method) != 0)
        continue;
      if (fault->path_prefix != NULL && !g_str_has_prefix (path, fault->path_prefix))
        continue;
      *copy = *fault;
      copy->method = NULL;
      copy->path_prefix = NULL;
      if (!fault->unlimited && --fault->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      return copy;
    }
  return NULL;
}

static void
on_pending_disconnected (SoupServerMessage *msg,
                         Pending           *pending)
{
  pending->disconnected = TRUE;
}

static Pending *
pending_add (WcMastodonServer  *self,
             SoupServerMessage *msg,
             PendingKind        kind)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->kind = kind;
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_pending_disconnected), pending);
  soup_server_message_pause (msg);
  g_ptr_array_add (self->pending, pending);
  return pending;
}

static gboolean
on_delay_done (gpointer data)
{
  Pending *pending = data;
  WcMastodonServer *self = pending->self;

  g_mutex_lock (&self->lock);
  publish_due (self);
  /* The request takes effect even when the client has given up waiting. */
  dispatch (self, pending->msg);
  if (!pending->disconnected)
    soup_server_message_unpause (pending->msg);
  g_ptr_array_remove (self->pending, pending);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

static gboolean
on_drop_connection (gpointer data)
{
  Pending *pending = data;
  WcMastodonServer *self = pending->self;

  g_mutex_lock (&self->lock);
  if (!pending->disconnected)
    {
      g_autoptr(GIOStream) stream = NULL;

      g_clear_signal_handler (&pending->disconnected_id, pending->msg);
      stream = soup_server_message_steal_connection (pending->msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      g_debug ("Dropped the connection after storing");
    }
  g_ptr_array_remove (self->pending, pending);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

static void
attach_pending_source (WcMastodonServer *self,
                       Pending          *pending,
                       GSource          *source,
                       GSourceFunc       func)
{
  pending->source = source;
  g_source_set_callback (source, func, pending, NULL);
  g_source_attach (source, self->context);
}

static void
corrupt_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *broken = len >= 2 ? g_strndup (data, len / 2) : g_strdup ("{\"");

  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    broken, strlen (broken));
}

static void
apply_fault (WcMastodonServer  *self,
             SoupServerMessage *msg,
             Fault             *fault)
{
  Pending *pending;

  g_debug ("Injecting fault %d", fault->fault);
  switch (fault->fault)
    {
    case WC_MASTODON_FAULT_DELAY:
      pending = pending_add (self, msg, PENDING_DELAY);
      attach_pending_source (self, pending,
                             g_timeout_source_new (fault->parameter > 0 ? fault->parameter : 200),
                             on_delay_done);
      break;

    case WC_MASTODON_FAULT_STATUS_429:
      respond_too_many (self, msg, fault->parameter > 0 ? fault->parameter : 1);
      break;

    case WC_MASTODON_FAULT_STATUS_500:
      respond_error (msg, 500, "We're sorry, but something went wrong on our end.", NULL);
      break;

    case WC_MASTODON_FAULT_STATUS_503:
      respond_error (msg, 503, "Service temporarily unavailable", NULL);
      break;

    case WC_MASTODON_FAULT_DROP_AFTER_STORE:
      dispatch (self, msg);
      pending = pending_add (self, msg, PENDING_DROP);
      attach_pending_source (self, pending, g_idle_source_new (), on_drop_connection);
      break;

    case WC_MASTODON_FAULT_MALFORMED_JSON:
      dispatch (self, msg);
      corrupt_json (msg);
      break;

    case WC_MASTODON_FAULT_WRONG_CONTENT_TYPE:
      dispatch (self, msg);
      respond_html (msg, soup_server_message_get_status (msg), "Welcome",
                    "<p>This network requires you to sign in before you can use it.</p>");
      break;

    case WC_MASTODON_FAULT_TIMEOUT:
      pending_add (self, msg, PENDING_HUNG);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  WcMastodonServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Fault copy;

  g_mutex_lock (&self->lock);
  /* The path only: a query may carry an authorization code. */
  g_debug ("%s %s", method, path);
  g_ptr_array_add (self->requests_log, g_strdup_printf ("%s %s", method, path));
  publish_due (self);
  if (take_fault (self, method, path, &copy) != NULL)
    apply_fault (self, msg, &copy);
  else
    dispatch (self, msg);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------ */
/* The server thread                                                         */

static gpointer
server_thread (gpointer data)
{
  WcMastodonServer *self = data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "WcMastodonTestServer ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  /* Loopback only: the test server is never reachable from the network. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", self->start_port);
  ok = soup_server_listen (self->server, address, 0, &error);
  if (ok)
    {
      GSList *uris = soup_server_get_uris (self->server);

      self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->start_lock);
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  if (ok)
    g_main_loop_run (self->loop);

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->pending, 0);
  g_mutex_unlock (&self->lock);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
wc_mastodon_server_dispose (GObject *object)
{
  WcMastodonServer *self = WC_MASTODON_SERVER (object);

  wc_mastodon_server_stop (self);

  G_OBJECT_CLASS (wc_mastodon_server_parent_class)->dispose (object);
}

static void
wc_mastodon_server_finalize (GObject *object)
{
  WcMastodonServer *self = WC_MASTODON_SERVER (object);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->requests_log, g_ptr_array_unref);
  g_clear_pointer (&self->published_from, g_hash_table_unref);
  g_clear_pointer (&self->scheduled, g_ptr_array_unref);
  g_clear_pointer (&self->statuses_by_id, g_hash_table_unref);
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  g_clear_pointer (&self->media_by_id, g_hash_table_unref);
  g_clear_pointer (&self->media, g_ptr_array_unref);
  g_clear_pointer (&self->grants, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->token_list, g_ptr_array_unref);
  g_clear_pointer (&self->apps_by_client_id, g_hash_table_unref);
  g_clear_pointer (&self->apps, g_ptr_array_unref);
  g_clear_pointer (&self->users_by_name, g_hash_table_unref);
  g_clear_pointer (&self->users_by_id, g_hash_table_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->url_regex, g_regex_unref);
  g_clear_pointer (&self->mention_regex, g_regex_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (wc_mastodon_server_parent_class)->finalize (object);
}

static void
wc_mastodon_server_class_init (WcMastodonServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_mastodon_server_dispose;
  object_class->finalize = wc_mastodon_server_finalize;
}

static void
wc_mastodon_server_init (WcMastodonServer *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);

  self->fake_now = g_get_real_time () / G_USEC_PER_SEC;
  self->mono_base = g_get_monotonic_time ();
  self->rl_limit = DEFAULT_RATE_LIMIT;
  self->rl_window = DEFAULT_RATE_WINDOW;
  self->media_polls = 1;
  self->media_seconds = 0;
  self->instance_v2 = TRUE;
  self->max_characters = 500;
  self->scheduled_page_max = 40;

  self->next_account_id = 1;
  self->next_status_id = 110000000000000001;
  self->next_scheduled_id = 1;
  self->next_media_id = 1;
  self->next_follow_id = 1;
  self->next_app_id = 1;

  self->users = g_ptr_array_new_with_free_func (user_free);
  self->users_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->users_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->apps = g_ptr_array_new_with_free_func (app_free);
  self->apps_by_client_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->token_list = g_ptr_array_new_with_free_func (token_free);
  self->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  self->grants = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, grant_free);
  self->statuses = g_ptr_array_new_with_free_func (status_free);
  self->statuses_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->scheduled = g_ptr_array_new_with_free_func (scheduled_free);
  self->published_from = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->media = g_ptr_array_new_with_free_func (media_free);
  self->media_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->faults = g_ptr_array_new_with_free_func (fault_free);
  self->requests_log = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_ptr_array_new_with_free_func (pending_free);

  /* No G_REGEX_OPTIMIZE: PCRE2's JIT code upsets valgrind, and the texts are short. */
  self->url_regex = g_regex_new ("(?<![\\w@/.])https?://[^\\s<>\"]*[^\\s<>\".,;:!?'\\)\\]]",
                                 G_REGEX_CASELESS, 0, NULL);
  self->mention_regex = g_regex_new ("(?<![=/\\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)"
                                     "(?:@[\\w]+(?:[.-]+[\\w]+)*)?",
                                     G_REGEX_CASELESS, 0, NULL);
  g_assert (self->url_regex != NULL && self->mention_regex != NULL);

  self->token_app = app_new (self, "Test tokens", NULL,
                             g_strsplit ("read write follow push profile", " ", -1),
                             g_strsplit ("urn:ietf:wg:oauth:2.0:oob", " ", -1));
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * wc_mastodon_server_new:
 *
 * Creates a test server with no users. Call wc_mastodon_server_start() to
 * serve it.
 *
 * Returns: (transfer full): a new #WcMastodonServer
 */
WcMastodonServer *
wc_mastodon_server_new (void)
{
  return g_object_new (WC_TYPE_MASTODON_SERVER, NULL);
}

/**
 * wc_mastodon_server_start:
 * @self: a #WcMastodonServer
 * @port: the port to listen on, or 0 for any free port
 * @error: return location for a #GError
 *
 * Starts serving on 127.0.0.1 (never on other interfaces) in a thread of the
 * server's own, so callers may use synchronous or asynchronous clients.
 *
 * Returns: %TRUE when the server listens
 */
gboolean
wc_mastodon_server_start (WcMastodonServer  *self,
                          guint              port,
                          GError           **error)
{
  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start_port = port;
  self->start_done = FALSE;
  self->thread = g_thread_new ("mastodon-test-server", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      wc_mastodon_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * wc_mastodon_server_stop:
 * @self: a #WcMastodonServer
 *
 * Stops serving and closes every connection. The state stays inspectable.
 */
void
wc_mastodon_server_stop (WcMastodonServer *self)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  if (self->thread == NULL)
    return;
  /* Through the server's own context: a plain g_main_loop_quit() before the
   * thread has entered g_main_loop_run() would be lost, and the join would
   * wait for ever. */
  g_main_context_invoke (self->context, quit_loop_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/**
 * wc_mastodon_server_dup_base_url:
 * @self: a #WcMastodonServer
 *
 * Returns: (transfer full) (nullable): the base URL, such as
 *   `http://127.0.0.1:41234`, or %NULL before the server started
 */
char *
wc_mastodon_server_dup_base_url (WcMastodonServer *self)
{
  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), NULL);

  return g_strdup (self->base_url);
}

/**
 * wc_mastodon_server_add_user_full:
 * @self: a #WcMastodonServer
 * @user: what the user is like
 *
 * Adds a local user. The first user is the one the authorize endpoint
 * approves for when no `test_user` parameter names another.
 *
 * Returns: (transfer full): the new account's id
 */
char *
wc_mastodon_server_add_user_full (WcMastodonServer     *self,
                                  const WcMastodonUser *spec)
{
  User *user;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), NULL);
  g_return_val_if_fail (spec != NULL && spec->username != NULL, NULL);

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->users_by_name, spec->username))
    {
      g_mutex_unlock (&self->lock);
      g_critical ("A user named %s exists already", spec->username);
      return NULL;
    }

  user = g_new0 (User, 1);
  user->id = self->next_account_id++;
  user->username = g_strdup (spec->username);
  user->password = spec->password != NULL ? g_strdup (spec->password)
                                          : g_strdup_printf ("%s-password", spec->username);
  user->display_name = g_strdup (spec->display_name != NULL ? spec->display_name : spec->username);
  user->note = g_strdup (spec->note != NULL ? spec->note : "");
  user->locked = spec->locked;
  user->discoverable = spec->discoverable;
  user->indexable = spec->indexable;
  user->hide_collections = spec->hide_collections;
  user->bot = spec->bot;
  user->privacy = g_strdup (spec->privacy != NULL ? spec->privacy : "public");
  user->fields = g_ptr_array_new_with_free_func (field_free);
  for (gsize i = 0; spec->fields != NULL && spec->fields[i] != NULL; i += 2)
    g_ptr_array_add (user->fields, field_new (spec->fields[i], spec->fields[i + 1]));
  user->created_at = now_locked (self);
  edges_init (&user->followers);
  edges_init (&user->requests);
  edges_init (&user->blocks);
  user->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_ptr_array_add (self->users, user);
  g_hash_table_insert (self->users_by_id, &user->id, user);
  g_hash_table_insert (self->users_by_name, user->username, user);
  g_mutex_unlock (&self->lock);

  return g_strdup_printf ("%" G_GUINT64_FORMAT, user->id);
}

/**
 * wc_mastodon_server_add_user:
 * @self: a #WcMastodonServer
 * @username: the user name
 * @password: (nullable): the password; %NULL gives "<username>-password"
 *
 * Adds an unlocked, discoverable user with default settings.
 *
 * Returns: (transfer full): the new account's id
 */
char *
wc_mastodon_server_add_user (WcMastodonServer *self,
                             const char       *username,
                             const char       *password)
{
  WcMastodonUser spec = { 0 };

  spec.username = username;
  spec.password = password;
  spec.discoverable = TRUE;
  spec.indexable = TRUE;
  return wc_mastodon_server_add_user_full (self, &spec);
}

/**
 * wc_mastodon_server_set_field_verified:
 * @self: a #WcMastodonServer
 * @username: the user
 * @index: the profile field
 * @verified_at: when the link was verified, or 0 for not verified
 *
 * Marks a profile field as verified (a `rel="me"` link back).
 */
void
wc_mastodon_server_set_field_verified (WcMastodonServer *self,
                                       const char       *username,
                                       guint             index,
                                       gint64            verified_at)
{
  User *user;

  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  user = lookup_user (self, username);
  if (user != NULL && index < user->fields->len)
    ((Field *) g_ptr_array_index (user->fields, index))->verified_at = verified_at;
  g_mutex_unlock (&self->lock);
}

static void
add_synthetic (WcMastodonServer *self,
               const char       *username,
               guint             n,
               gboolean          requests)
{
  User *user;

  g_mutex_lock (&self->lock);
  user = lookup_user (self, username);
  if (user != NULL)
    {
      EdgeList *list = requests ? &user->requests : &user->followers;

      for (guint i = 0; i < n; i++)
        edges_add (self, list, self->next_account_id++);
    }
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_add_followers:
 * @self: a #WcMastodonServer
 * @username: the user
 * @n: how many
 *
 * Adds @n made-up remote followers; 100,000 take well under a second.
 */
void
wc_mastodon_server_add_followers (WcMastodonServer *self,
                                  const char       *username,
                                  guint             n)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  add_synthetic (self, username, n, FALSE);
}

/**
 * wc_mastodon_server_add_follow_requests:
 * @self: a #WcMastodonServer
 * @username: the user
 * @n: how many
 *
 * Adds @n pending follow requests from made-up remote accounts.
 */
void
wc_mastodon_server_add_follow_requests (WcMastodonServer *self,
                                        const char       *username,
                                        guint             n)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  add_synthetic (self, username, n, TRUE);
}

/**
 * wc_mastodon_server_follow:
 * @self: a #WcMastodonServer
 * @follower: the user who follows
 * @target: the user followed
 *
 * Makes one user follow another; the follow is a request when @target is
 * locked.
 */
void
wc_mastodon_server_follow (WcMastodonServer *self,
                           const char       *follower,
                           const char       *target)
{
  User *a, *b;

  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  a = lookup_user (self, follower);
  b = lookup_user (self, target);
  if (a != NULL && b != NULL && !edges_contains (&b->followers, a->id))
    {
      if (b->locked)
        edges_add (self, &b->requests, a->id);
      else
        {
          edges_add (self, &b->followers, a->id);
          a->following_count++;
        }
    }
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_get_follower_count:
 * @self: a #WcMastodonServer
 * @username: the user
 *
 * Returns: how many followers @username has
 */
guint
wc_mastodon_server_get_follower_count (WcMastodonServer *self,
                                       const char       *username)
{
  User *user;
  guint count = 0;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  if ((user = lookup_user (self, username)) != NULL)
    count = user->followers.edges->len;
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * wc_mastodon_server_is_blocking:
 * @self: a #WcMastodonServer
 * @username: the user who may have blocked
 * @other: the user who may be blocked
 *
 * Returns: whether @username blocks @other
 */
gboolean
wc_mastodon_server_is_blocking (WcMastodonServer *self,
                                const char       *username,
                                const char       *other)
{
  User *a, *b;
  gboolean blocking = FALSE;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), FALSE);

  g_mutex_lock (&self->lock);
  a = lookup_user (self, username);
  b = lookup_user (self, other);
  if (a != NULL && b != NULL)
    blocking = edges_contains (&a->blocks, b->id);
  g_mutex_unlock (&self->lock);
  return blocking;
}

/**
 * wc_mastodon_server_get_follow_request_count:
 * @self: a #WcMastodonServer
 * @username: the user
 *
 * Returns: how many follow requests wait for @username
 */
guint
wc_mastodon_server_get_follow_request_count (WcMastodonServer *self,
                                             const char       *username)
{
  User *user;
  guint count = 0;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  if ((user = lookup_user (self, username)) != NULL)
    count = user->requests.edges->len;
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * wc_mastodon_server_create_token:
 * @self: a #WcMastodonServer
 * @username: the user
 * @scopes: (nullable): space-separated scopes; %NULL gives
 *   "read write follow profile"
 *
 * Issues an access token without the OAuth dance, as a user would create
 * one under Preferences → Development.
 *
 * Returns: (transfer full): the access token
 */
char *
wc_mastodon_server_create_token (WcMastodonServer *self,
                                 const char       *username,
                                 const char       *scopes)
{
  User *user;
  char *value = NULL;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  if ((user = lookup_user (self, username)) != NULL)
    {
      Token *token = token_new (self, self->token_app, user,
                                split_words (scopes != NULL ? scopes
                                                            : "read write follow profile"));

      value = g_strdup (token->token);
    }
  g_mutex_unlock (&self->lock);
  return value;
}

/**
 * wc_mastodon_server_get_now:
 * @self: a #WcMastodonServer
 *
 * Returns: the server's clock, in Unix seconds
 */
gint64
wc_mastodon_server_get_now (WcMastodonServer *self)
{
  gint64 now;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  now = now_locked (self);
  g_mutex_unlock (&self->lock);
  return now;
}

/**
 * wc_mastodon_server_set_now:
 * @self: a #WcMastodonServer
 * @unix_seconds: the time to show
 *
 * Sets the server's clock and stops it: from now on it only moves with
 * wc_mastodon_server_advance(). Until this is called the clock follows the
 * real time. Scheduled statuses whose time has come are published.
 */
void
wc_mastodon_server_set_now (WcMastodonServer *self,
                            gint64            unix_seconds)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->fake_now = unix_seconds;
  self->frozen = TRUE;
  publish_due (self);
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_advance:
 * @self: a #WcMastodonServer
 * @seconds: how far to move the clock
 *
 * Moves the server's clock forward and publishes the scheduled statuses
 * whose time has come. Advancing by 0 only publishes.
 */
void
wc_mastodon_server_advance (WcMastodonServer *self,
                            gint64            seconds)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->fake_now += seconds;
  publish_due (self);
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_rate_limit:
 * @self: a #WcMastodonServer
 * @limit: requests per window and token (300 by default)
 * @window_seconds: the window (300 by default)
 *
 * Sets the budget behind the `X-RateLimit-*` headers; a token that has used
 * it up gets 429 with `Retry-After` until the window ends.
 */
void
wc_mastodon_server_set_rate_limit (WcMastodonServer *self,
                                   guint             limit,
                                   guint             window_seconds)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->rl_limit = limit;
  self->rl_window = MAX (window_seconds, 1);
  for (guint i = 0; i < self->token_list->len; i++)
    ((Token *) g_ptr_array_index (self->token_list, i))->rl_reset = 0;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_media_processing:
 * @self: a #WcMastodonServer
 * @polls: how many `GET /api/v1/media/:id` answer 206 before 200 (1 by
 *   default), or 0
 * @seconds: or after how many seconds of the server's clock the media is
 *   processed, or 0
 *
 * Sets how uploads to `/api/v2/media` are processed; whichever condition is
 * met first completes processing. With both 0 an upload is processed at once
 * and answered with 200, as small images are since Mastodon 4.0.
 */
void
wc_mastodon_server_set_media_processing (WcMastodonServer *self,
                                         guint             polls,
                                         guint             seconds)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->media_polls = polls;
  self->media_seconds = seconds;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_instance_v2:
 * @self: a #WcMastodonServer
 * @available: whether `/api/v2/instance` exists
 *
 * Without it the server behaves like one older than 4.0: v2 answers 404.
 */
void
wc_mastodon_server_set_instance_v2 (WcMastodonServer *self,
                                    gboolean          available)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->instance_v2 = available;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_max_characters:
 * @self: a #WcMastodonServer
 * @max_characters: the status length limit (500 by default)
 *
 * Changes the character limit, as forks of Mastodon do.
 */
void
wc_mastodon_server_set_max_characters (WcMastodonServer *self,
                                       guint             max_characters)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->max_characters = max_characters;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_scheduled_page_max:
 * @self: a #WcMastodonServer
 * @max: the most scheduled statuses one page of
 *   `GET /api/v1/scheduled_statuses` holds (40 by default, as Mastodon)
 *
 * Makes pages smaller than Mastodon's, so that a client's limit on the
 * number of pages it reads can be reached.
 */
void
wc_mastodon_server_set_scheduled_page_max (WcMastodonServer *self,
                                           guint             max)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));
  g_return_if_fail (max > 0);

  g_mutex_lock (&self->lock);
  self->scheduled_page_max = max;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_set_login_form:
 * @self: a #WcMastodonServer
 * @enabled: whether to ask for a user name and password
 *
 * With the form, `/oauth/authorize` without `test_user` shows a sign-in page
 * for a person with a browser instead of approving for the first user.
 */
void
wc_mastodon_server_set_login_form (WcMastodonServer *self,
                                   gboolean          enabled)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  self->login_form = enabled;
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_add_fault_full:
 * @self: a #WcMastodonServer
 * @method: (nullable): the HTTP method to match, or %NULL for any
 * @path_prefix: (nullable): the start of the path to match, or %NULL for any
 * @fault: what to do
 * @count: how many matching requests it affects; 0 for all until
 *   wc_mastodon_server_clear_faults()
 * @parameter: milliseconds for %WC_MASTODON_FAULT_DELAY, seconds of
 *   `Retry-After` for %WC_MASTODON_FAULT_STATUS_429; 0 for the default
 *
 * Injects a fault. Faults are tried in the order they were added; the first
 * that matches a request applies.
 */
void
wc_mastodon_server_add_fault_full (WcMastodonServer *self,
                                   const char       *method,
                                   const char       *path_prefix,
                                   WcMastodonFault   fault,
                                   guint             count,
                                   guint             parameter)
{
  Fault *f;

  g_return_if_fail (WC_IS_MASTODON_SERVER (self));
  g_return_if_fail (fault <= WC_MASTODON_FAULT_TIMEOUT);

  f = g_new0 (Fault, 1);
  f->method = g_strdup (method);
  f->path_prefix = g_strdup (path_prefix);
  f->fault = fault;
  f->remaining = count;
  f->unlimited = count == 0;
  f->parameter = parameter;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_add_fault:
 * @self: a #WcMastodonServer
 * @method: (nullable): the HTTP method to match, or %NULL for any
 * @path_prefix: (nullable): the start of the path to match, or %NULL for any
 * @fault: what to do
 * @count: how many matching requests it affects; 0 for all
 *
 * Injects a fault with its default parameter (a 200 ms delay, a 1 s
 * `Retry-After`).
 */
void
wc_mastodon_server_add_fault (WcMastodonServer *self,
                              const char       *method,
                              const char       *path_prefix,
                              WcMastodonFault   fault,
                              guint             count)
{
  wc_mastodon_server_add_fault_full (self, method, path_prefix, fault, count, 0);
}

/**
 * wc_mastodon_server_clear_faults:
 * @self: a #WcMastodonServer
 *
 * Removes every injected fault that has not run out yet.
 */
void
wc_mastodon_server_clear_faults (WcMastodonServer *self)
{
  g_return_if_fail (WC_IS_MASTODON_SERVER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * wc_mastodon_server_dup_statuses:
 * @self: a #WcMastodonServer
 * @username: (nullable): whose statuses, or %NULL for everyone's
 *
 * Returns: (transfer full): the published statuses, oldest first, as Status
 *   entities with the plain `text` added
 */
JsonArray *
wc_mastodon_server_dup_statuses (WcMastodonServer *self,
                                 const char       *username)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), array);

  g_mutex_lock (&self->lock);
  publish_due (self);
  for (guint i = 0; i < self->statuses->len; i++)
    {
      Status *status = g_ptr_array_index (self->statuses, i);

      if (username == NULL || g_str_equal (status->user->username, username))
        json_array_add_object_element (array, status_to_json (self, status, TRUE));
    }
  g_mutex_unlock (&self->lock);
  return array;
}

/**
 * wc_mastodon_server_dup_scheduled_statuses:
 * @self: a #WcMastodonServer
 * @username: (nullable): whose, or %NULL for everyone's
 *
 * Returns: (transfer full): the pending scheduled statuses, in the order
 *   they were created, as ScheduledStatus entities with `username` added
 */
JsonArray *
wc_mastodon_server_dup_scheduled_statuses (WcMastodonServer *self,
                                           const char       *username)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), array);

  g_mutex_lock (&self->lock);
  publish_due (self);
  for (guint i = 0; i < self->scheduled->len; i++)
    {
      Scheduled *scheduled = g_ptr_array_index (self->scheduled, i);

      if (username == NULL || g_str_equal (scheduled->user->username, username))
        json_array_add_object_element (array, scheduled_to_json (self, scheduled, TRUE));
    }
  g_mutex_unlock (&self->lock);
  return array;
}

/**
 * wc_mastodon_server_dup_media:
 * @self: a #WcMastodonServer
 * @username: (nullable): whose uploads, or %NULL for everyone's
 *
 * Returns: (transfer full): the uploads as MediaAttachment entities with
 *   `username`, `content_type`, `filename`, `size`, `sha256`, `processed`,
 *   `status_id` and `scheduled_status_id` added
 */
JsonArray *
wc_mastodon_server_dup_media (WcMastodonServer *self,
                              const char       *username)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), array);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->media->len; i++)
    {
      Media *media = g_ptr_array_index (self->media, i);

      if (username == NULL || g_str_equal (media->user->username, username))
        json_array_add_object_element (array, media_to_json (self, media, TRUE));
    }
  g_mutex_unlock (&self->lock);
  return array;
}

/**
 * wc_mastodon_server_dup_media_bytes:
 * @self: a #WcMastodonServer
 * @media_id: the upload
 *
 * Returns: (transfer full) (nullable): the bytes uploaded, to check for
 *   example that image metadata was stripped
 */
GBytes *
wc_mastodon_server_dup_media_bytes (WcMastodonServer *self,
                                    const char       *media_id)
{
  Media *media;
  GBytes *bytes = NULL;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  if ((media = lookup_media (self, media_id)) != NULL)
    bytes = g_bytes_ref (media->bytes);
  g_mutex_unlock (&self->lock);
  return bytes;
}

/**
 * wc_mastodon_server_dup_apps:
 * @self: a #WcMastodonServer
 *
 * Returns: (transfer full): the registered applications, with their
 *   secrets, except the built-in one behind wc_mastodon_server_create_token()
 */
JsonArray *
wc_mastodon_server_dup_apps (WcMastodonServer *self)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), array);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->apps->len; i++)
    {
      App *app = g_ptr_array_index (self->apps, i);

      if (app != self->token_app)
        json_array_add_object_element (array, app_to_json (app, TRUE));
    }
  g_mutex_unlock (&self->lock);
  return array;
}

/**
 * wc_mastodon_server_dup_tokens:
 * @self: a #WcMastodonServer
 *
 * Returns: (transfer full): every token issued, as objects with
 *   `access_token`, `client_id`, `username` (or null), `scope`,
 *   `created_at` and `revoked`
 */
JsonArray *
wc_mastodon_server_dup_tokens (WcMastodonServer *self)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), array);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->token_list->len; i++)
    {
      Token *token = g_ptr_array_index (self->token_list, i);
      JsonObject *object = json_object_new ();
      g_autofree char *scope = g_strjoinv (" ", token->scopes);

      json_object_set_string_member (object, "access_token", token->token);
      json_object_set_string_member (object, "client_id", token->app->client_id);
      set_string_or_null (object, "username", token->user != NULL ? token->user->username : NULL);
      json_object_set_string_member (object, "scope", scope);
      json_object_set_int_member (object, "created_at", token->created_at);
      json_object_set_boolean_member (object, "revoked", token->revoked);
      json_array_add_object_element (array, object);
    }
  g_mutex_unlock (&self->lock);
  return array;
}

/**
 * wc_mastodon_server_dup_account:
 * @self: a #WcMastodonServer
 * @username: the user
 *
 * Returns: (transfer full) (nullable): the user's CredentialAccount, as
 *   `verify_credentials` would answer
 */
JsonObject *
wc_mastodon_server_dup_account (WcMastodonServer *self,
                                const char       *username)
{
  User *user;
  JsonObject *object = NULL;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  if ((user = lookup_user (self, username)) != NULL)
    object = user_to_json (self, user, TRUE);
  g_mutex_unlock (&self->lock);
  return object;
}

/**
 * wc_mastodon_server_count_requests:
 * @self: a #WcMastodonServer
 * @method: (nullable): the HTTP method, or %NULL for any
 * @path_prefix: (nullable): the start of the path, or %NULL for any
 *
 * Returns: how many requests matching arrived, faults included
 */
guint
wc_mastodon_server_count_requests (WcMastodonServer *self,
                                   const char       *method,
                                   const char       *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (WC_IS_MASTODON_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests_log->len; i++)
    {
      const char *line = g_ptr_array_index (self->requests_log, i);
      const char *space = strchr (line, ' ');

      if (method != NULL && (strlen (method) != (gsize) (space - line)
                             || g_ascii_strncasecmp (line, method, space - line) != 0))
        continue;
      if (path_prefix != NULL && !g_str_has_prefix (space + 1, path_prefix))
        continue;
      count++;
    }
  g_mutex_unlock (&self->lock);
  return count;
}
