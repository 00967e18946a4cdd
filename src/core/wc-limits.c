/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-limits"

#include "config.h"

#include "wc-limits.h"
#include "wc-text.h"

/**
 * wc_limits_mastodon_length:
 * @content_warning: (nullable): the content warning, which counts too
 * @chars_per_url: what a link counts for, as the server's configuration says
 *
 * Counts as Mastodon does: grapheme clusters of content warning and text
 * together, every link as @chars_per_url, a mention as its "@user" part only.
 *
 * Returns: the length Mastodon will see
 */
guint
wc_limits_mastodon_length (const char *content_warning,
                           const char *text,
                           guint       chars_per_url)
{
  static GRegex *mention;
  g_autoptr(GString) counted = g_string_new (NULL);
  g_autofree char *without_mentions = NULL;
  guint urls = 0;
  gsize pos = 0;

  if (g_once_init_enter (&mention))
    g_once_init_leave (&mention,
                       g_regex_new ("(?<![\\w/])(@[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
                                    G_REGEX_OPTIMIZE, 0, NULL));

  /* Links first: a link may hold an @. */
  while (TRUE)
    {
      const char *http = strstr (text + pos, "http");
      const char *end;

      if (http == NULL)
        break;
      if (!(g_str_has_prefix (http, "http://") || g_str_has_prefix (http, "https://"))
          || (http > text && g_ascii_isalnum (http[-1]))
          || !g_ascii_isalnum (strstr (http, "://")[3]))
        {
          g_string_append_len (counted, text + pos, http + 4 - (text + pos));
          pos = http + 4 - text;
          continue;
        }
      end = http;
      while (*end && !g_ascii_isspace (*end))
        end++;
      while (end > http && strchr (".,;:!?)]'", end[-1]) != NULL)
        end--;
      g_string_append_len (counted, text + pos, http - (text + pos));
      urls++;
      pos = end - text;
    }
  g_string_append (counted, text + pos);

  without_mentions = g_regex_replace (mention, counted->str, -1, 0, "\\1", 0, NULL);

  return wc_text_count_graphemes (content_warning ? content_warning : "", -1)
         + wc_text_count_graphemes (without_mentions, -1)
         + urls * chars_per_url;
}

/**
 * wc_limits_bluesky_length:
 * @bytes: (out) (optional): the UTF-8 size of the stored text
 *
 * Counts as Bluesky's app does: grapheme clusters after shortening the text
 * of links.
 *
 * Returns: the length Bluesky will see
 */
guint
wc_limits_bluesky_length (const char *text,
                          gsize      *bytes)
{
  g_autofree char *shortened = wc_text_shorten_links (text);

  if (bytes != NULL)
    *bytes = strlen (shortened);
  return wc_text_count_graphemes (shortened, -1);
}
