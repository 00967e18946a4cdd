/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "wc-limits.h"
#include "wc-text.h"

static void
test_fold (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Patiënt", "patient" },
    { "  Sint-Élisabeth   Ziekenhuis ", "sint-elisabeth ziekenhuis" },
    { "MÜLLER", "muller" },
    { "Ça va", "ca va" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = wc_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_find_words_maps_back (void)
{
  const char *text = "Gisteren in het Sint-Élisabeth ZIEKENHUIS, niet in sint-elisabethziekenhuis.";
  g_autoptr(WcFoldedText) folded = wc_folded_text_new (text);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  g_autofree char *needle = wc_text_fold ("sint-elisabeth ziekenhuis");
  WcSpan span;

  g_assert_cmpuint (wc_folded_text_find_words (folded, needle, spans), ==, 1);
  span = g_array_index (spans, WcSpan, 0);
  g_assert_cmpint (strncmp (text + span.start, "Sint-Élisabeth ZIEKENHUIS", span.end - span.start), ==, 0);
  g_assert_cmpuint (span.end - span.start, ==, strlen ("Sint-Élisabeth ZIEKENHUIS"));
}

static void
test_find_words_boundaries (void)
{
  g_autoptr(WcFoldedText) folded = wc_folded_text_new ("Annie, Annielou and annie.");
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));

  g_assert_cmpuint (wc_folded_text_find_words (folded, "annie", spans), ==, 2);
  g_assert_cmpuint (g_array_index (spans, WcSpan, 0).start, ==, 0);
  g_assert_cmpuint (g_array_index (spans, WcSpan, 1).start, ==, 20);
  g_assert_cmpuint (wc_folded_text_find_words (folded, "", spans), ==, 0);
}

static void
test_graphemes (void)
{
  g_assert_cmpuint (wc_text_count_graphemes ("", -1), ==, 0);
  g_assert_cmpuint (wc_text_count_graphemes ("hello", -1), ==, 5);
  /* e + combining acute */
  g_assert_cmpuint (wc_text_count_graphemes ("e\xcc\x81t\xc3\xa9", -1), ==, 3);
  /* thumbs up with a skin tone, and a family of four joined with ZWJ */
  g_assert_cmpuint (wc_text_count_graphemes ("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", -1), ==, 1);
  g_assert_cmpuint (wc_text_count_graphemes ("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6", -1), ==, 1);
  /* CJK */
  g_assert_cmpuint (wc_text_count_graphemes ("医学", -1), ==, 2);
}

static void
test_grapheme_offset (void)
{
  const char *text = "e\xcc\x81t\xc3\xa9 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd!";

  g_assert_cmpuint (wc_text_grapheme_offset (text, 0), ==, 0);
  g_assert_cmpuint (wc_text_grapheme_offset (text, 1), ==, 3);   /* after e + combining acute */
  g_assert_cmpuint (wc_text_grapheme_offset (text, 4), ==, 7);   /* the emoji with its skin tone */
  g_assert_cmpuint (wc_text_grapheme_offset (text, 5), ==, 15);  /* "!" */
  g_assert_cmpuint (wc_text_grapheme_offset (text, 9), ==, strlen (text));
  g_assert_cmpuint (wc_text_grapheme_offset ("", 3), ==, 0);
}

static void
test_shorten_links (void)
{
  g_autofree char *a = wc_text_shorten_links ("See https://example.org/a/very/long/path/to/article?x=1 now.");
  g_autofree char *b = wc_text_shorten_links ("Short https://example.org/about and http://x.example/");
  g_autofree char *c = wc_text_shorten_links ("no links, just https:// text");

  g_assert_cmpstr (a, ==, "See example.org/a/very/long/... now.");
  g_assert_cmpstr (b, ==, "Short example.org/about and x.example");
  g_assert_cmpstr (c, ==, "no links, just https:// text");
}

static void
test_mastodon_length (void)
{
  /* A link counts 23, however long. */
  g_assert_cmpuint (wc_limits_mastodon_length (NULL, "https://example.org/a/very/long/path/indeed/yes", 23), ==, 23);
  g_assert_cmpuint (wc_limits_mastodon_length (NULL, "Read https://example.org.", 23), ==, 5 + 23 + 1);
  /* A mention counts only as @user. */
  g_assert_cmpuint (wc_limits_mastodon_length (NULL, "Hi @anna@mastodon.social!", 23), ==, 3 + 5 + 1);
  /* The content warning counts too. */
  g_assert_cmpuint (wc_limits_mastodon_length ("CW", "text", 23), ==, 6);
  /* Graphemes, not bytes. */
  g_assert_cmpuint (wc_limits_mastodon_length (NULL, "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd ok", 23), ==, 4);
}

static void
test_bluesky_length (void)
{
  gsize bytes = 0;

  g_assert_cmpuint (wc_limits_bluesky_length ("héllo https://example.org/a/very/long/path/to/article", &bytes), ==,
                    6 + strlen ("example.org/a/very/long/..."));
  g_assert_cmpuint (bytes, ==, 7 + strlen ("example.org/a/very/long/..."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/find-words-maps-back", test_find_words_maps_back);
  g_test_add_func ("/text/find-words-boundaries", test_find_words_boundaries);
  g_test_add_func ("/text/graphemes", test_graphemes);
  g_test_add_func ("/text/shorten-links", test_shorten_links);
  g_test_add_func ("/text/grapheme-offset", test_grapheme_offset);
  g_test_add_func ("/limits/mastodon-length", test_mastodon_length);
  g_test_add_func ("/limits/bluesky-length", test_bluesky_length);

  return g_test_run ();
}
