/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() arrived in GLib 2.76, after our floor. */
static inline gboolean
wc_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;
  return TRUE;
}

char     *wc_strip_dup        (const char *text);
gboolean  wc_text_is_blank    (const char *text);
gboolean  wc_text_has_control (const char *text);
gboolean  wc_url_is_http      (const char *url);

G_END_DECLS
