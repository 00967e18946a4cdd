/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-util"

#include "config.h"

#include "wc-util.h"

/**
 * wc_strip_dup:
 * @text: (nullable): some text
 *
 * Returns: (transfer full): @text without leading and trailing white space;
 *   an empty string for %NULL
 */
char *
wc_strip_dup (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/**
 * wc_text_is_blank:
 *
 * Returns: whether @text is %NULL, empty or only white space
 */
gboolean
wc_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * wc_text_has_control:
 *
 * Returns: whether @text holds a control character such as a line break
 */
gboolean
wc_text_has_control (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/**
 * wc_url_is_http:
 * @url: a URL as typed
 *
 * Returns: whether @url is an absolute http or https URL with a host
 */
gboolean
wc_url_is_http (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || wc_text_has_control (url) || strchr (url, ' ') != NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && host != NULL && *host != '\0';
}
