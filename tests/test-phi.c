/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wc-phi-detector.h"

/* The examples are invented; none is a real patient. */

static WcPhiDetector *detector;
static JsonArray *examples;

static GArray *
run_detector (const char *text)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (WcHit));

  wc_phi_detector_run (detector, text, hits);
  return hits;
}

static gboolean
hits_contain (GArray     *hits,
              const char *check_id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (g_array_index (hits, WcHit, i).check_id, check_id))
      return TRUE;
  return FALSE;
}

static gboolean
strv_array_contains (JsonArray  *array,
                     const char *value)
{
  guint n = array ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    if (g_str_equal (json_array_get_string_element (array, i), value))
      return TRUE;
  return FALSE;
}

static char *
describe_hits (const char *text,
               GArray     *hits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      const WcHit *hit = &g_array_index (hits, WcHit, i);

      g_string_append_printf (out, "%s%s “%.*s”", i ? ", " : "", hit->check_id,
                              (int) (hit->span.end - hit->span.start),
                              text + hit->span.start);
    }
  if (hits->len == 0)
    g_string_append (out, "nothing");
  return g_string_free (out, FALSE);
}

/* An example's check: every id in "must" is found; nothing in "must_not"
 * is, where "*" in "must_not" means "nothing beyond must". */
static gboolean
check_example (JsonObject *example,
               GString    *mismatches)
{
  const char *text = json_object_get_string_member (example, "text");
  const char *id = json_object_get_string_member (example, "id");
  JsonArray *must = json_object_get_array_member (example, "must");
  JsonArray *must_not = json_object_get_array_member (example, "must_not");
  g_autoptr(GArray) hits = run_detector (text);
  gboolean ok = TRUE;
  gboolean only = strv_array_contains (must_not, "*");

  for (guint i = 0; i < json_array_get_length (must); i++)
    if (!hits_contain (hits, json_array_get_string_element (must, i)))
      ok = FALSE;

  for (guint i = 0; i < hits->len; i++)
    {
      const char *check_id = g_array_index (hits, WcHit, i).check_id;

      if (strv_array_contains (must_not, check_id)
          || (only && !strv_array_contains (must, check_id)))
        ok = FALSE;
    }

  if (!ok)
    {
      g_autofree char *found = describe_hits (text, hits);
      g_autofree char *wanted = json_to_string (json_object_get_member (example, "must"), FALSE);

      g_string_append_printf (mismatches, "\n  %s: “%s”\n    wanted %s, found %s",
                              id, text, wanted, found);
    }

  return ok;
}

static void
test_examples (gconstpointer data)
{
  const char *lang = data;
  g_autoptr(GString) mismatches = g_string_new (NULL);
  guint n = 0, failed = 0;

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *example = json_array_get_object_element (examples, i);

      if (!g_str_equal (json_object_get_string_member (example, "lang"), lang))
        continue;
      n++;
      if (!check_example (example, mismatches))
        failed++;
    }

  g_test_message ("%u examples in “%s”, %u mismatches", n, lang, failed);
  g_assert_cmpuint (n, >=, 30);
  if (failed > 0)
    g_test_fail_printf ("%u of %u “%s” examples mismatch:%s", failed, n, lang, mismatches->str);
}

static void
test_examples_balance (void)
{
  guint positives = 0, clean = 0;

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *example = json_array_get_object_element (examples, i);

      if (json_array_get_length (json_object_get_array_member (example, "must")) > 0)
        positives++;
      else
        clean++;
    }

  g_test_message ("%u positive and %u clean examples", positives, clean);
  g_assert_cmpuint (positives + clean, >=, 150);
  g_assert_cmpuint (clean, >=, positives);
}

static void
test_bsn (void)
{
  g_assert_true (wc_phi_bsn_is_valid ("111222333"));
  g_assert_true (wc_phi_bsn_is_valid ("123456782"));
  g_assert_true (wc_phi_bsn_is_valid ("1234.56.782"));
  g_assert_true (wc_phi_bsn_is_valid ("123 456 782"));
  g_assert_false (wc_phi_bsn_is_valid ("123456789"));
  g_assert_false (wc_phi_bsn_is_valid ("111222334"));
  g_assert_false (wc_phi_bsn_is_valid ("000000000"));
  g_assert_false (wc_phi_bsn_is_valid ("11122233"));
  g_assert_false (wc_phi_bsn_is_valid ("1112223330"));
  g_assert_false (wc_phi_bsn_is_valid ("11122233a"));
  g_assert_false (wc_phi_bsn_is_valid (""));
  g_assert_false (wc_phi_bsn_is_valid (NULL));
}

static void
test_nhs_number (void)
{
  g_assert_true (wc_phi_nhs_number_is_valid ("9434765919"));
  g_assert_true (wc_phi_nhs_number_is_valid ("943 476 5919"));
  g_assert_true (wc_phi_nhs_number_is_valid ("943-476-5919"));
  g_assert_true (wc_phi_nhs_number_is_valid ("4010232137"));
  g_assert_false (wc_phi_nhs_number_is_valid ("9434765918"));
  g_assert_false (wc_phi_nhs_number_is_valid ("943476591"));
  g_assert_false (wc_phi_nhs_number_is_valid ("0000000000"));
  /* The first nine digits give a check digit of 10: no valid number. */
  g_assert_false (wc_phi_nhs_number_is_valid ("1000000010"));
  g_assert_false (wc_phi_nhs_number_is_valid ("1000000000"));
  g_assert_false (wc_phi_nhs_number_is_valid ("943/476/5919"));
}

static void
test_ssn (void)
{
  g_assert_true (wc_phi_ssn_is_valid ("123-45-6789"));
  g_assert_true (wc_phi_ssn_is_valid ("078-05-1120"));
  g_assert_true (wc_phi_ssn_is_valid ("899-99-9999"));
  g_assert_false (wc_phi_ssn_is_valid ("000-12-3456"));
  g_assert_false (wc_phi_ssn_is_valid ("666-12-3456"));
  g_assert_false (wc_phi_ssn_is_valid ("900-12-3456"));
  g_assert_false (wc_phi_ssn_is_valid ("987-65-4321"));
  g_assert_false (wc_phi_ssn_is_valid ("123-00-4567"));
  g_assert_false (wc_phi_ssn_is_valid ("123-45-0000"));
  g_assert_false (wc_phi_ssn_is_valid ("123-45-678"));
}

static void
assert_spans_valid (const char *text,
                    GArray     *hits)
{
  gsize len = strlen (text);

  for (guint i = 0; i < hits->len; i++)
    {
      const WcHit *hit = &g_array_index (hits, WcHit, i);

      g_assert_nonnull (hit->check_id);
      g_assert_true (g_str_has_prefix (hit->check_id, "phi."));
      g_assert_cmpuint (hit->span.start, <, hit->span.end);
      g_assert_cmpuint (hit->span.end, <=, len);
      g_assert_true (((guchar) text[hit->span.start] & 0xC0) != 0x80);
      g_assert_true (hit->span.end == len || ((guchar) text[hit->span.end] & 0xC0) != 0x80);
      if (i > 0)
        g_assert_cmpuint (g_array_index (hits, WcHit, i - 1).span.start, <=, hit->span.start);
    }
}

static void
test_spans (void)
{
  static const char * const extra[] = {
    "",
    "é",
    "Ünïcödé: Mme Dubois, 72 ans — née le 1er février 1950 à Orléans ✓",
    "Herr Müller (54) wohnt in der Hauptstraße 5, 10115 Berlin 🙂 Tel. +49 30 1234567",
    "📞 06-12345678 · ✉ k.bakker@ziggo.nl · 📍 Kerkstraat 12, 1234 AB Amsterdam",
    "Patiënt J. de Vries\u00a0(93 jaar) kamer 12\u00a0bed 4, BSN 111222333",
  };
  guint n_hits = 0;

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *example = json_array_get_object_element (examples, i);
      const char *text = json_object_get_string_member (example, "text");
      g_autoptr(GArray) hits = run_detector (text);

      assert_spans_valid (text, hits);
      n_hits += hits->len;
    }

  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autoptr(GArray) hits = run_detector (extra[i]);

      assert_spans_valid (extra[i], hits);
      n_hits += hits->len;
    }

  g_assert_cmpuint (n_hits, >, 0);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));

  wc_phi_detector_run (detector, "born 12/03/1957 \xff\xfe", hits);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_appends (void)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (WcHit));
  WcHit first = { "other.check", { 0, 1 }, FALSE };
  const char *text = "DOB 1957-03-12";

  g_array_append_val (hits, first);
  wc_phi_detector_run (detector, text, hits);

  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (g_array_index (hits, WcHit, 0).check_id, ==, "other.check");
  g_assert_cmpstr (g_array_index (hits, WcHit, 1).check_id, ==, "phi.date-of-birth");
  g_assert_cmpuint (g_array_index (hits, WcHit, 1).span.start, ==, 4);
  g_assert_cmpuint (g_array_index (hits, WcHit, 1).span.end, ==, strlen (text));
}

static const WcHit *
find_hit (GArray     *hits,
          const char *check_id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (g_array_index (hits, WcHit, i).check_id, check_id))
      return &g_array_index (hits, WcHit, i);
  return NULL;
}

static void
test_rare_condition (void)
{
  const char *with_org = "Patiënte met de ziekte van Pompe, opgenomen op 5 mei 2024 in het Sint Anna Ziekenhuis.";
  const char *no_date = "Patiënte met de ziekte van Pompe, opgenomen in het Sint Anna Ziekenhuis.";
  const char * const orgs[] = { "Sint Anna Ziekenhuis", "Huisartsenpraktijk De Linde", NULL };
  const WcHit *hit;

  {
    g_autoptr(GArray) hits = run_detector (with_org);

    hit = find_hit (hits, "phi.rare-condition");
    g_assert_nonnull (hit);
    g_assert_false (hit->escalate);
  }

  wc_phi_detector_set_own_organisations (detector, orgs);

  {
    g_autoptr(GArray) hits = run_detector (with_org);
    g_autoptr(GArray) no_date_hits = run_detector (no_date);

    g_autofree char *matched = NULL;

    hit = find_hit (hits, "phi.rare-condition");
    g_assert_nonnull (hit);
    g_assert_true (hit->escalate);
    matched = g_strndup (with_org + hit->span.start, hit->span.end - hit->span.start);
    g_assert_cmpstr (matched, ==, "ziekte van Pompe");
    g_assert_null (find_hit (no_date_hits, "phi.rare-condition"));
  }

  wc_phi_detector_set_own_organisations (detector, NULL);

  {
    g_autoptr(GArray) hits = run_detector (with_org);

    hit = find_hit (hits, "phi.rare-condition");
    g_assert_nonnull (hit);
    g_assert_false (hit->escalate);
  }
}

static void
test_bad_vocabulary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"patient_words\": []}", 21);
  g_autoptr(GBytes) not_json = g_bytes_new_static ("{", 1);
  WcPhiDetector *bad;

  bad = wc_phi_detector_new_from_bytes (broken, &error);
  g_assert_null (bad);
  g_assert_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID);
  g_clear_error (&error);

  bad = wc_phi_detector_new_from_bytes (not_json, &error);
  g_assert_null (bad);
  g_assert_error (error, WC_PHI_DETECTOR_ERROR, WC_PHI_DETECTOR_ERROR_INVALID);
}

static void
truncate_utf8 (GString *string,
               gsize    len)
{
  while (len > 0 && len < string->len && ((guchar) string->str[len] & 0xC0) == 0x80)
    len--;
  g_string_truncate (string, len);
  g_assert_true (g_utf8_validate (string->str, -1, NULL));
}

/* Not a timed test (the benchmark in tests/bench/ is): a figure for the log. */
static void
test_speed (void)
{
  g_autoptr(GString) draft = g_string_new (NULL);
  g_autoptr(GString) worst = g_string_new (NULL);
  const guint rounds = 100;
  double elapsed;
  guint i = 0;

  while (draft->len < 5000)
    {
      JsonObject *example = json_array_get_object_element (examples, i++ % json_array_get_length (examples));

      g_string_append (draft, json_object_get_string_member (example, "text"));
      g_string_append (draft, i % 4 == 0 ? "\n\n" : " ");
    }
  truncate_utf8 (draft, 5000);

  /* Shapes that make a careless pattern backtrack: long runs of digits
   * and separators, of capitalised words, of dots. */
  while (worst->len < 5000)
    g_string_append (worst, "0 1 2 3 4 5 6 7 8 9 12.34.56.78 Aaaa Bbbbstraat Cccc-Dddd 1-2-3-4-5 ++(0)(0) ");
  truncate_utf8 (worst, 5000);

  g_test_timer_start ();
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GArray) hits = run_detector (draft->str);
    }
  elapsed = g_test_timer_elapsed ();
  g_test_message ("PHI detection on a %zu-byte draft: %.3f ms per run",
                  draft->len, elapsed * 1000.0 / rounds);

  g_test_timer_start ();
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GArray) hits = run_detector (worst->str);
    }
  elapsed = g_test_timer_elapsed ();
  g_test_message ("PHI detection on a %zu-byte adversarial text: %.3f ms per run",
                  worst->len, elapsed * 1000.0 / rounds);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  detector = wc_phi_detector_new (&error);
  g_assert_no_error (error);

  path = g_test_build_filename (G_TEST_DIST, "phi-examples.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  examples = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "examples");

  g_test_add_func ("/phi/check-digits/bsn", test_bsn);
  g_test_add_func ("/phi/check-digits/nhs-number", test_nhs_number);
  g_test_add_func ("/phi/check-digits/ssn", test_ssn);
  g_test_add_func ("/phi/examples/balance", test_examples_balance);
  g_test_add_data_func ("/phi/examples/en", "en", test_examples);
  g_test_add_data_func ("/phi/examples/nl", "nl", test_examples);
  g_test_add_data_func ("/phi/examples/de", "de", test_examples);
  g_test_add_data_func ("/phi/examples/fr", "fr", test_examples);
  g_test_add_func ("/phi/spans", test_spans);
  g_test_add_func ("/phi/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/phi/appends", test_appends);
  g_test_add_func ("/phi/rare-condition", test_rare_condition);
  g_test_add_func ("/phi/bad-vocabulary", test_bad_vocabulary);
  g_test_add_func ("/phi/speed", test_speed);

  ret = g_test_run ();

  g_assert_finalize_object (detector);
  return ret;
}
