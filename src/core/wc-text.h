/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "wc-finding.h"

G_BEGIN_DECLS

/* Text as the checks compare it: case and accents folded away, with a map
 * back to the byte offsets of the original, so that a match found in the
 * folded text underlines the right words in the draft. */
typedef struct _WcFoldedText WcFoldedText;

WcFoldedText *wc_folded_text_new      (const char         *text);
void          wc_folded_text_free     (WcFoldedText       *self);
const char   *wc_folded_text_get_text (const WcFoldedText *self);
WcSpan        wc_folded_text_to_original (const WcFoldedText *self,
                                          gsize               folded_start,
                                          gsize               folded_end);
guint         wc_folded_text_find_words (const WcFoldedText *self,
                                         const char         *folded_needle,
                                         GArray             *spans);

char   *wc_text_fold             (const char *text);
guint   wc_text_count_graphemes  (const char *text,
                                  gssize      length);
char   *wc_text_shorten_links    (const char *text);
gboolean wc_text_find_link       (const char *text,
                                  gsize       from,
                                  gsize      *start,
                                  gsize      *end);
gsize   wc_text_grapheme_offset  (const char *text,
                                  guint       index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcFoldedText, wc_folded_text_free)

G_END_DECLS
