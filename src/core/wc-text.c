/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-text"

#include "config.h"

#include <pango/pango.h>

#include "wc-text.h"

struct _WcFoldedText
{
  GString *folded;
  GArray  *starts;  /* gsize: for each folded byte, the original start of its character */
  GArray  *ends;    /* gsize: for each folded byte, the original end of its character */
};

/* Appends the folded form of @c: its canonical decomposition without
 * combining marks, in lower case. */
static void
append_folded_char (GString  *out,
                    gunichar  c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  for (gsize i = 0; i < n; i++)
    {
      GUnicodeType type = g_unichar_type (decomposed[i]);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
          || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (out, g_unichar_tolower (decomposed[i]));
    }
}

/**
 * wc_folded_text_new:
 * @text: valid UTF-8
 *
 * Returns: (transfer full): @text folded for matching
 */
WcFoldedText *
wc_folded_text_new (const char *text)
{
  WcFoldedText *self = g_new0 (WcFoldedText, 1);
  gsize length = strlen (text);

  self->folded = g_string_sized_new (length);
  self->starts = g_array_sized_new (FALSE, FALSE, sizeof (gsize), length);
  self->ends = g_array_sized_new (FALSE, FALSE, sizeof (gsize), length);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gsize before = self->folded->len;
      gsize start = p - text;
      gsize end = g_utf8_next_char (p) - text;

      append_folded_char (self->folded, g_utf8_get_char (p));
      for (gsize i = before; i < self->folded->len; i++)
        {
          g_array_append_val (self->starts, start);
          g_array_append_val (self->ends, end);
        }
    }
  return self;
}

void
wc_folded_text_free (WcFoldedText *self)
{
  if (self == NULL)
    return;
  g_string_free (self->folded, TRUE);
  g_array_unref (self->starts);
  g_array_unref (self->ends);
  g_free (self);
}

const char *
wc_folded_text_get_text (const WcFoldedText *self)
{
  return self->folded->str;
}

/**
 * wc_folded_text_to_original:
 * @folded_start: a byte offset in the folded text
 * @folded_end: the byte after the match in the folded text
 *
 * Returns: the span of the original text the folded bytes came from
 */
WcSpan
wc_folded_text_to_original (const WcFoldedText *self,
                            gsize               folded_start,
                            gsize               folded_end)
{
  WcSpan span = { 0, 0 };

  g_return_val_if_fail (folded_start < folded_end, span);
  g_return_val_if_fail (folded_end <= self->folded->len, span);

  span.start = g_array_index (self->starts, gsize, folded_start);
  span.end = g_array_index (self->ends, gsize, folded_end - 1);
  return span;
}

static gboolean
is_word_char_before (const char *text,
                     gsize       offset)
{
  const char *prev;

  if (offset == 0)
    return FALSE;
  prev = g_utf8_find_prev_char (text, text + offset);
  return prev != NULL && g_unichar_isalnum (g_utf8_get_char (prev));
}

static gboolean
is_word_char_at (const char *text,
                 gsize       offset)
{
  return text[offset] != '\0' && g_unichar_isalnum (g_utf8_get_char (text + offset));
}

/**
 * wc_folded_text_find_words:
 * @folded_needle: a needle already folded with wc_text_fold()
 * @spans: (element-type WcSpan): where the original spans are appended
 *
 * Finds @folded_needle where it stands as whole words.
 *
 * Returns: the number of matches
 */
guint
wc_folded_text_find_words (const WcFoldedText *self,
                           const char         *folded_needle,
                           GArray             *spans)
{
  const char *haystack = self->folded->str;
  gsize needle_length = strlen (folded_needle);
  guint found = 0;

  if (needle_length == 0)
    return 0;

  for (const char *hit = strstr (haystack, folded_needle);
       hit != NULL;
       hit = strstr (hit + 1, folded_needle))
    {
      gsize start = hit - haystack;
      gsize end = start + needle_length;
      WcSpan span;

      /* Only where the needle's own edges are word edges do we require a
       * boundary: "dr." may be followed by a letter. */
      if (g_unichar_isalnum (g_utf8_get_char (folded_needle)) && is_word_char_before (haystack, start))
        continue;
      if (g_unichar_isalnum (g_utf8_get_char (g_utf8_find_prev_char (folded_needle, folded_needle + needle_length)))
          && is_word_char_at (haystack, end))
        continue;

      span = wc_folded_text_to_original (self, start, end);
      g_array_append_val (spans, span);
      found++;
    }
  return found;
}

/**
 * wc_text_fold:
 *
 * Returns: (transfer full): @text without case and accents, with runs of
 *   white space collapsed and trimmed
 */
char *
wc_text_fold (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      append_folded_char (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * wc_text_count_graphemes:
 * @text: UTF-8 text
 * @length: its length in bytes, or -1
 *
 * Counts user-perceived characters (extended grapheme clusters) as Pango
 * finds them: an emoji with a skin tone, or a letter with a combining accent,
 * counts once.
 *
 * Returns: the number of grapheme clusters
 */
guint
wc_text_count_graphemes (const char *text,
                         gssize      length)
{
  g_autofree PangoLogAttr *attrs = NULL;
  int n_chars;
  guint count = 0;

  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return 0;

  n_chars = g_utf8_strlen (text, length);
  attrs = g_new0 (PangoLogAttr, n_chars + 1);
  pango_get_log_attrs (text, length, -1, pango_language_from_string ("C"), attrs, n_chars + 1);

  /* A cluster starts at every cursor position but the one after the end. */
  for (int i = 0; i < n_chars; i++)
    if (attrs[i].is_cursor_position)
      count++;
  return count;
}

/**
 * wc_text_grapheme_offset:
 * @text: UTF-8 text
 * @index: a grapheme cluster index
 *
 * Returns: the byte offset where the @index-th grapheme cluster starts, or
 *   the length of @text when it has fewer
 */
gsize
wc_text_grapheme_offset (const char *text,
                         guint       index)
{
  g_autofree PangoLogAttr *attrs = NULL;
  gsize length = strlen (text);
  int n_chars;
  guint seen = 0;
  const char *p = text;

  if (length == 0)
    return 0;

  n_chars = g_utf8_strlen (text, length);
  attrs = g_new0 (PangoLogAttr, n_chars + 1);
  pango_get_log_attrs (text, length, -1, pango_language_from_string ("C"), attrs, n_chars + 1);

  for (int i = 0; i < n_chars; i++, p = g_utf8_next_char (p))
    if (attrs[i].is_cursor_position && seen++ == index)
      return p - text;
  return length;
}

/* Where a URL starts and ends in @text, from @from on. */
static gboolean
find_url (const char  *text,
          gsize        from,
          gsize       *start,
          gsize       *end)
{
  const char *http = strstr (text + from, "http");

  while (http != NULL)
    {
      const char *p = http;

      if ((g_str_has_prefix (p, "http://") || g_str_has_prefix (p, "https://"))
          && (p == text || !g_ascii_isalnum (p[-1])))
        {
          const char *q = strstr (p, "://") + 3;

          if (!g_ascii_isalnum (*q))
            {
              http = strstr (q, "http");
              continue;
            }
          while (*q && !g_ascii_isspace (*q) && *q != '<' && *q != '>' && *q != '"')
            q++;
          /* Trailing punctuation belongs to the sentence. */
          while (q > p && strchr (".,;:!?)]'", q[-1]) != NULL)
            q--;
          *start = p - text;
          *end = q - text;
          return TRUE;
        }
      http = strstr (http + 1, "http");
    }
  return FALSE;
}

/* The link text Bluesky's app shows: host and up to 13 characters of the
 * rest, with "..." when the rest is longer than 15. */
static char *
short_link (const char *url,
            gsize       length)
{
  g_autofree char *copy = g_strndup (url, length);
  const char *host = strstr (copy, "://") + 3;
  const char *rest = host + strcspn (host, "/?#");
  g_autofree char *host_part = g_strndup (host, rest - host);
  g_autofree char *path = g_strdup (g_str_equal (rest, "/") ? "" : rest);

  if (g_utf8_strlen (path, -1) > 15)
    {
      g_autofree char *head = g_utf8_substring (path, 0, 13);
      return g_strconcat (host_part, head, "...", NULL);
    }
  return g_strconcat (host_part, path, NULL);
}

/**
 * wc_text_find_link:
 * @text: UTF-8 text
 * @from: a byte offset to search from
 * @start: (out): where the next http(s) link starts
 * @end: (out): where it ends (trailing punctuation excluded)
 *
 * Finds links exactly as wc_text_shorten_links() does, so that a caller
 * can mark them (Bluesky's link facets).
 *
 * Returns: whether a link was found
 */
gboolean
wc_text_find_link (const char *text,
                   gsize       from,
                   gsize      *start,
                   gsize      *end)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return find_url (text, from, start, end);
}

/**
 * wc_text_shorten_links:
 *
 * Returns: (transfer full): @text with every http(s) link written as
 *   Bluesky's app displays and stores it
 */
char *
wc_text_shorten_links (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize pos = 0, start, end;

  while (find_url (text, pos, &start, &end))
    {
      g_autofree char *link = short_link (text + start, end - start);

      g_string_append_len (out, text + pos, start - pos);
      g_string_append (out, link);
      pos = end;
    }
  g_string_append (out, text + pos);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
