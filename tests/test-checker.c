/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "wc-checker.h"

static WcChecker *checker;

static GPtrArray *
check (const WcCheckContext *context,
       const char           *text)
{
  return wc_checker_check_text (checker, context, text);
}

static WcFinding *
find (GPtrArray  *findings,
      const char *id)
{
  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (findings, i)), id))
      return g_ptr_array_index (findings, i);
  return NULL;
}

static char *
span_text (const char *text,
           WcFinding  *finding,
           guint       index)
{
  guint n;
  const WcSpan *spans = wc_finding_get_spans (finding, &n);

  g_assert_cmpuint (index, <, n);
  return g_strndup (text + spans[index].start, spans[index].end - spans[index].start);
}

static WcIdentity *
professional_identity (void)
{
  WcIdentity *identity = wc_identity_new (WC_IDENTITY_PROFESSIONAL);

  wc_identity_set_name (identity, "Dr. Anna Jansen");
  wc_identity_add_marker (identity, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (identity, WC_MARKER_TITLE, "Dr.");
  wc_identity_add_marker (identity, WC_MARKER_SPECIALTY, "kindergeneeskunde");
  wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "Sint-Elisabeth Ziekenhuis");
  wc_identity_add_marker (identity, WC_MARKER_DOMAIN, "praktijkjansen.nl");
  return identity;
}

static WcIdentity *
personal_identity (void)
{
  WcIdentity *identity = wc_identity_new (WC_IDENTITY_PERSONAL);

  wc_identity_set_name (identity, "Annie");
  wc_identity_add_marker (identity, WC_MARKER_NICKNAME, "Annie J");
  wc_identity_add_marker (identity, WC_MARKER_FAMILY_NAME, "de Boer");
  return identity;
}

static void
test_definitions (void)
{
  const char *ids[] = {
    "identity.clinical-in-personal", "crosslink.marker", "crosslink.account", "crosspost.similar",
    "phi.date-of-birth", "phi.full-date", "phi.age-over-89", "phi.phone", "phi.email",
    "phi.postcode", "phi.address", "phi.record-number", "phi.bsn", "phi.nhs-number", "phi.ssn",
    "phi.patient-name", "phi.room-bed", "phi.rare-condition", "limit.length", "limit.bytes",
    "limit.alt-text", "limit.images", "timing.duty-hours", "image.gps", "image.metadata",
    "image.caption", "image.thumbnail", "image.dicom", "image.unreadable", "image.consent",
    "image.source", "phi.roster-name", "audience.tagged-in-personal", "audience.personal-public",
    "audience.professional-followers-only", "audience.employer",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(WcFinding) finding = NULL;
      const WcRule *rule;

      g_test_message ("check %s", ids[i]);
      g_assert_true (wc_checker_has_check (checker, ids[i]));
      finding = wc_checker_make_finding (checker, ids[i], FALSE, NULL);
      rule = wc_checker_lookup_rule (checker, wc_finding_get_rule (finding));
      g_assert_nonnull (rule);
      g_assert_nonnull (rule->title);
      g_assert_nonnull (rule->sources);
      g_assert_cmpstr (wc_finding_get_message (finding), !=, "");
      g_assert_cmpuint (wc_finding_get_resolutions (finding), !=, WC_RESOLUTION_NONE);
    }
  g_assert_false (wc_checker_has_check (checker, "no.such-check"));
}

static void
test_clinical_in_personal (void)
{
  WcCheckContext personal = { WC_IDENTITY_PERSONAL };
  WcCheckContext professional = { WC_IDENTITY_PROFESSIONAL };
  const char *nl = "Pff, nachtdienst gehad en mijn patiënt was zo lief.";
  const char *de = "Nach dem Bereitschaftsdienst endlich Urlaub!";
  const char *clean = "Lovely day at the beach with the kids, 25 °C and ice cream.";
  g_autoptr(GPtrArray) a = check (&personal, nl);
  g_autoptr(GPtrArray) b = check (&professional, nl);
  g_autoptr(GPtrArray) c = check (&personal, de);
  g_autoptr(GPtrArray) d = check (&personal, clean);
  WcFinding *finding = find (a, "identity.clinical-in-personal");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_nonnull (finding);
  g_assert_cmpint (wc_finding_get_severity (finding), ==, WC_SEVERITY_WARNING);
  g_assert_cmpstr (wc_finding_get_rule (finding), ==, "R1");
  g_assert_true (wc_finding_get_resolutions (finding) & WC_RESOLUTION_MOVE_IDENTITY);
  first = span_text (nl, finding, 0);
  second = span_text (nl, finding, 1);
  g_assert_cmpstr (first, ==, "nachtdienst");
  g_assert_cmpstr (second, ==, "mijn patiënt");

  g_assert_null (find (b, "identity.clinical-in-personal"));
  g_assert_nonnull (find (c, "identity.clinical-in-personal"));
  g_assert_cmpuint (d->len, ==, 0);
}

static void
test_cross_links (void)
{
  g_autoptr(WcIdentity) professional = professional_identity ();
  g_autoptr(WcIdentity) personal = personal_identity ();
  g_autoptr(GPtrArray) professional_accounts = g_ptr_array_new_with_free_func (g_object_unref);
  WcAccount *mastodon = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  WcCheckContext as_personal = { WC_IDENTITY_PERSONAL, personal, professional, professional_accounts };
  WcCheckContext as_professional = { WC_IDENTITY_PROFESSIONAL, professional, personal, NULL };
  const char *party = "Feestje bij het SINT-ELISABETH ziekenhuis, zie praktijkjansen.nl of volg @dr_jansen!";
  const char *lecture = "Lezing door Annie J over de Boer-oorlog.";
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  WcFinding *marker, *account;
  g_autofree char *hospital = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *handle = NULL;

  wc_account_set_handle (mastodon, "@dr_jansen@med.example");
  g_ptr_array_add (professional_accounts, mastodon);

  a = check (&as_personal, party);
  marker = find (a, "crosslink.marker");
  account = find (a, "crosslink.account");
  g_assert_nonnull (marker);
  g_assert_cmpint (wc_finding_get_severity (marker), ==, WC_SEVERITY_BLOCKER);
  hospital = span_text (party, marker, 0);
  domain = span_text (party, marker, 1);
  g_assert_cmpstr (hospital, ==, "SINT-ELISABETH ziekenhuis");
  g_assert_cmpstr (domain, ==, "praktijkjansen.nl");
  g_assert_nonnull (account);
  handle = span_text (party, account, 0);
  g_assert_cmpstr (handle, ==, "@dr_jansen");

  /* The professional identity's own markers are no cross-link there. */
  b = check (&as_professional, party);
  g_assert_null (find (b, "crosslink.marker"));

  /* The personal identity's markers in a professional draft are. */
  c = check (&as_professional, lecture);
  g_assert_nonnull (find (c, "crosslink.marker"));
}

static void
test_specialty_reads_clinical (void)
{
  g_autoptr(WcIdentity) professional = professional_identity ();
  WcCheckContext as_personal = { WC_IDENTITY_PERSONAL, NULL, professional };
  g_autoptr(GPtrArray) findings = check (&as_personal, "Weer een dag kindergeneeskunde achter de rug.");

  g_assert_nonnull (find (findings, "identity.clinical-in-personal"));
  /* A specialty does not reveal who you are: no cross-link. */
  g_assert_null (find (findings, "crosslink.marker"));
}

static void
test_cross_posting (void)
{
  const char *others[] = {
    "Nieuwe richtlijn hypertensie: streefwaarde onder 130/80 voor de meeste patiënten.",
    NULL,
  };
  WcCheckContext context = { WC_IDENTITY_PERSONAL };
  g_autoptr(GPtrArray) same = NULL;
  g_autoptr(GPtrArray) different = NULL;

  context.other_texts = others;
  same = check (&context, "Nieuwe richtlijn hypertensie: streefwaarde onder 130/80 voor de meeste patiënten!");
  different = check (&context, "Vakantiefoto's van Texel, wat een wind.");
  g_assert_nonnull (find (same, "crosspost.similar"));
  g_assert_null (find (different, "crosspost.similar"));
}

static void
test_length_limits (void)
{
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  WcCheckContext context = { WC_IDENTITY_PROFESSIONAL };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) short_post = NULL;
  g_autoptr(GPtrArray) long_post = NULL;
  g_autoptr(GPtrArray) link_post = NULL;
  guint limits = 0;

  g_ptr_array_add (targets, wc_network_catalog_lookup (catalog, "mastodon"));
  g_ptr_array_add (targets, wc_network_catalog_lookup (catalog, "bluesky"));
  context.targets = targets;

  short_post = check (&context, "Short and sweet.");
  g_assert_null (find (short_post, "limit.length"));

  /* 400 characters: over Bluesky's 300, under Mastodon's 500. */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "abcdefghi ");
  long_post = check (&context, text->str);
  for (guint i = 0; i < long_post->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (long_post, i)), "limit.length"))
      {
        guint n;
        const WcSpan *spans = wc_finding_get_spans (g_ptr_array_index (long_post, i), &n);

        limits++;
        g_assert_nonnull (strstr (wc_finding_get_message (g_ptr_array_index (long_post, i)), "Bluesky"));
        /* Only the 100 characters over Bluesky's 300 are underlined. */
        g_assert_cmpuint (n, ==, 1);
        g_assert_cmpuint (spans[0].start, ==, 300);
        g_assert_cmpuint (spans[0].end, ==, 400);
      }
  g_assert_cmpuint (limits, ==, 1);

  /* 480 characters with a long link: Mastodon counts the link as 23. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 45; i++)
    g_string_append (text, "abcdefghi ");
  g_string_append (text, "https://example.org/");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "path/");
  link_post = check (&context, text->str);
  for (guint i = 0; i < link_post->len; i++)
    if (g_str_equal (wc_finding_get_id (g_ptr_array_index (link_post, i)), "limit.length"))
      g_assert_null (strstr (wc_finding_get_message (g_ptr_array_index (link_post, i)), "Mastodon"));
}

static void
test_image_count (void)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  WcCheckContext context = { WC_IDENTITY_PROFESSIONAL };
  g_autoptr(GPtrArray) four = NULL;
  g_autoptr(GPtrArray) five = NULL;

  g_ptr_array_add (targets, wc_network_catalog_lookup (wc_network_catalog_get_default (), "mastodon"));
  context.targets = targets;
  context.n_images = 4;
  four = check (&context, "Pictures");
  context.n_images = 5;
  five = check (&context, "Pictures");
  g_assert_null (find (four, "limit.images"));
  g_assert_nonnull (find (five, "limit.images"));
}

/* A server that allows 1,000 characters, counts links as 40 or allows 8
 * images: its own limits replace the network's, per target. */
static void
test_server_limits (void)
{
  WcNetworkInfo *mastodon = wc_network_catalog_lookup (wc_network_catalog_get_default (), "mastodon");
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  WcServerLimits limits[2] = { { 0 } };
  WcCheckContext context = { WC_IDENTITY_PROFESSIONAL };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) link = g_string_new (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  WcFinding *finding;

  for (guint i = 0; i < 70; i++)
    g_string_append (text, "abcdefghi ");
  g_assert_cmpuint (text->len, ==, 700);

  /* One target on a 1,000-character server: 700 characters fit. */
  g_ptr_array_add (targets, mastodon);
  limits[0].max_characters = 1000;
  context.targets = targets;
  findings = check (&context, text->str);
  g_assert_nonnull (find (findings, "limit.length"));
  g_clear_pointer (&findings, g_ptr_array_unref);
  context.target_limits = limits;
  findings = check (&context, text->str);
  g_assert_null (find (findings, "limit.length"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* 1,100 do not, and the message gives the server's limit. */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "abcdefghi ");
  findings = check (&context, text->str);
  finding = find (findings, "limit.length");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "1100 characters of 1000"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Two Mastodon targets: the 1,000-character server and one that said
   * nothing (500): 700 characters are too long for the second only. */
  g_string_truncate (text, 700);
  g_ptr_array_add (targets, mastodon);
  findings = check (&context, text->str);
  finding = find (findings, "limit.length");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "700 characters of 500"));
  g_assert_null (strstr (wc_finding_get_message (finding), "of 1000"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* 470 characters and a long link: 493 where a link counts 23, 510 where
   * it counts 40. */
  g_ptr_array_set_size (targets, 1);
  limits[0].max_characters = 0;
  for (guint i = 0; i < 47; i++)
    g_string_append (link, "abcdefghi ");
  g_string_append (link, "https://example.org/");
  for (guint i = 0; i < 100; i++)
    g_string_append (link, "path/");
  limits[0].chars_per_url = 23;
  findings = check (&context, link->str);
  g_assert_null (find (findings, "limit.length"));
  g_clear_pointer (&findings, g_ptr_array_unref);
  limits[0].chars_per_url = 40;
  findings = check (&context, link->str);
  finding = find (findings, "limit.length");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "510 characters of 500"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A server that takes 8 images. */
  limits[0].chars_per_url = 0;
  limits[0].max_media = 8;
  context.n_images = 5;
  findings = check (&context, "Pictures");
  g_assert_null (find (findings, "limit.images"));
  g_clear_pointer (&findings, g_ptr_array_unref);
  context.n_images = 9;
  findings = check (&context, "Pictures");
  finding = find (findings, "limit.images");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (wc_finding_get_message (finding), "9 images of 8"));
}

static void
test_duty_hours (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  /* Wednesday 2026-12-02 */
  g_autoptr(GDateTime) during = g_date_time_new (utc, 2026, 12, 2, 10, 30, 0);
  g_autoptr(GDateTime) evening = g_date_time_new (utc, 2026, 12, 2, 19, 0, 0);
  g_autoptr(GDateTime) saturday = g_date_time_new (utc, 2026, 12, 5, 10, 30, 0);
  g_autoptr(GDateTime) night = g_date_time_new (utc, 2026, 12, 3, 2, 0, 0);
  WcCheckContext context = { WC_IDENTITY_PERSONAL };
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GPtrArray) d = NULL;
  g_autoptr(GPtrArray) e = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  context.duty.start = 8 * 60;
  context.duty.end = 17 * 60;
  context.duty.days = 0x1f;  /* Monday to Friday */

  context.scheduled_at = during;
  a = check (&context, "Koffie!");
  context.scheduled_at = evening;
  b = check (&context, "Koffie!");
  context.scheduled_at = saturday;
  c = check (&context, "Koffie!");
  g_assert_nonnull (find (a, "timing.duty-hours"));
  g_assert_null (find (b, "timing.duty-hours"));
  g_assert_null (find (c, "timing.duty-hours"));

  /* Night duty from 22:00 to 07:00, starting on weekdays: Thursday 02:00
   * belongs to Wednesday's night. */
  context.duty.start = 22 * 60;
  context.duty.end = 7 * 60;
  context.scheduled_at = night;
  d = check (&context, "Koffie!");
  g_assert_nonnull (find (d, "timing.duty-hours"));

  /* A professional post in duty hours is fine. */
  context.identity = WC_IDENTITY_PROFESSIONAL;
  e = check (&context, "Koffie!");
  g_assert_null (find (e, "timing.duty-hours"));
}

/* The duty hours are read in the time zone of the time given, not in the
 * process's; the finding names its rule and says when the duty ends, and
 * a post sent now counts as much as one scheduled. */
static void
test_duty_hours_timing (void)
{
  g_autoptr(GTimeZone) amsterdam = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  /* Wednesday 2 December 2026, 09:30 in Amsterdam = 08:30 UTC. */
  g_autoptr(GDateTime) morning = g_date_time_new (amsterdam, 2026, 12, 2, 9, 30, 0);
  g_autoptr(GDateTime) morning_utc = g_date_time_to_timezone (morning, utc);
  g_autoptr(GDateTime) late = g_date_time_new (amsterdam, 2026, 12, 2, 23, 15, 0);
  g_autoptr(GDateTime) end = NULL;
  WcCheckContext context = { WC_IDENTITY_PERSONAL };
  const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", NULL };
  const char * const odd[] = { "sun", "nonsense", "sat", NULL };
  g_autoptr(WcFinding) scheduled = NULL;
  g_autoptr(WcFinding) now = NULL;
  g_autoptr(WcFinding) night = NULL;

  g_assert_nonnull (amsterdam);
  g_assert_cmpuint (wc_duty_days_from_strv (weekdays), ==, 0x1f);
  g_assert_cmpuint (wc_duty_days_from_strv (odd), ==, 0x60);
  g_assert_cmpuint (wc_duty_days_from_strv (NULL), ==, 0);

  context.duty.start = 9 * 60;
  context.duty.end = 17 * 60 + 30;
  context.duty.days = wc_duty_days_from_strv (weekdays);

  /* 09:30 on duty in Amsterdam is 08:30 in UTC: before the duty there. */
  g_assert_true (wc_duty_hours_contain (&context.duty, morning));
  g_assert_false (wc_duty_hours_contain (&context.duty, morning_utc));
  end = wc_duty_hours_get_end (&context.duty, morning);
  g_assert_nonnull (end);
  g_assert_cmpint (g_date_time_get_day_of_month (end), ==, 2);
  g_assert_cmpint (g_date_time_get_hour (end), ==, 17);
  g_assert_cmpint (g_date_time_get_minute (end), ==, 30);
  g_clear_pointer (&end, g_date_time_unref);
  g_assert_null (wc_duty_hours_get_end (&context.duty, morning_utc));

  context.scheduled_at = morning;
  scheduled = wc_checker_check_timing (checker, &context);
  g_assert_nonnull (scheduled);
  g_assert_cmpstr (wc_finding_get_id (scheduled), ==, "timing.duty-hours");
  g_assert_cmpstr (wc_finding_get_rule (scheduled), ==, "R1");
  g_assert_cmpint (wc_finding_get_severity (scheduled), ==, WC_SEVERITY_WARNING);
  g_assert_nonnull (strstr (wc_finding_get_message (scheduled), "goes out inside your duty hours"));
  g_assert_nonnull (strstr (wc_finding_get_message (scheduled), "09:00–17:30"));
  g_assert_nonnull (strstr (wc_finding_get_message (scheduled), "after 17:30"));
  g_assert_null (strstr (wc_finding_get_message (scheduled), "Posted now"));
  /* Nothing in the text to select: only a dismissal with a reason. */
  g_assert_cmpint (wc_finding_get_resolutions (scheduled), ==, WC_RESOLUTION_DISMISS);

  context.posting_now = TRUE;
  now = wc_checker_check_timing (checker, &context);
  g_assert_nonnull (now);
  g_assert_nonnull (strstr (wc_finding_get_message (now), "Posted now"));

  context.scheduled_at = morning_utc;
  g_assert_null (wc_checker_check_timing (checker, &context));
  context.posting_now = FALSE;

  /* Night duty from 22:00 on Wednesdays: 23:15 ends the next morning. */
  context.duty.start = 22 * 60;
  context.duty.end = 7 * 60;
  context.duty.days = 1u << 2;
  context.scheduled_at = late;
  end = wc_duty_hours_get_end (&context.duty, late);
  g_assert_nonnull (end);
  g_assert_cmpint (g_date_time_get_day_of_month (end), ==, 3);
  g_assert_cmpint (g_date_time_get_hour (end), ==, 7);
  night = wc_checker_check_timing (checker, &context);
  g_assert_nonnull (night);
  g_assert_nonnull (strstr (wc_finding_get_message (night), "22:00–07:00"));

  /* No duty days, or a start equal to the end: no duty hours at all. */
  context.duty.days = 0;
  g_assert_null (wc_checker_check_timing (checker, &context));
  context.duty.days = 0x7f;
  context.duty.end = context.duty.start;
  g_assert_null (wc_checker_check_timing (checker, &context));

  /* Not for the professional identity. */
  context.duty.end = 7 * 60;
  g_clear_pointer (&night, wc_finding_unref);
  night = wc_checker_check_timing (checker, &context);
  g_assert_nonnull (night);
  context.identity = WC_IDENTITY_PROFESSIONAL;
  g_assert_null (wc_checker_check_timing (checker, &context));
}

static void
test_findings_sorted (void)
{
  WcCheckContext context = { WC_IDENTITY_PERSONAL };
  g_autoptr(GPtrArray) findings = check (&context, "On call tonight. Patient born 12-03-1957, call 06-12345678.");

  g_assert_cmpuint (findings->len, >=, 2);
  for (guint i = 1; i < findings->len; i++)
    g_assert_cmpint (wc_finding_compare (findings->pdata[i - 1], findings->pdata[i]), <=, 0);
  g_assert_cmpint (wc_finding_get_severity (findings->pdata[0]), ==, WC_SEVERITY_BLOCKER);
  g_assert_cmpint (wc_findings_max_severity (findings), ==, WC_SEVERITY_BLOCKER);
}

static void
test_roster_names (void)
{
  static const guint8 key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  g_autoptr(WcHasher) hasher = wc_hasher_new (key, sizeof key);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) handles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) variants = wc_person_name_variants ("Jan de Vries");
  g_autoptr(WcRosterMatcher) roster = NULL;
  WcCheckContext context = { WC_IDENTITY_PROFESSIONAL };
  const char *text = "Vandaag zag ik J. de Vries weer op de poli.";
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) clean = NULL;
  WcFinding *finding;
  g_autofree char *words = NULL;

  for (guint i = 0; variants[i] != NULL; i++)
    g_hash_table_add (names, wc_hasher_hash (hasher, variants[i]));
  roster = wc_roster_matcher_new (hasher, names, handles);
  context.roster = roster;

  findings = check (&context, text);
  finding = find (findings, "phi.roster-name");
  g_assert_nonnull (finding);
  g_assert_cmpint (wc_finding_get_severity (finding), ==, WC_SEVERITY_BLOCKER);
  words = span_text (text, finding, 0);
  g_assert_cmpstr (words, ==, "J. de Vries");

  clean = check (&context, "De Vries-lezing over vriesdrogen bij Jan Jansen.");
  g_assert_null (find (clean, "phi.roster-name"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  checker = wc_checker_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/checker/definitions", test_definitions);
  g_test_add_func ("/checker/clinical-in-personal", test_clinical_in_personal);
  g_test_add_func ("/checker/cross-links", test_cross_links);
  g_test_add_func ("/checker/specialty-reads-clinical", test_specialty_reads_clinical);
  g_test_add_func ("/checker/cross-posting", test_cross_posting);
  g_test_add_func ("/checker/length-limits", test_length_limits);
  g_test_add_func ("/checker/image-count", test_image_count);
  g_test_add_func ("/checker/server-limits", test_server_limits);
  g_test_add_func ("/checker/duty-hours", test_duty_hours);
  g_test_add_func ("/checker/duty-hours-timing", test_duty_hours_timing);
  g_test_add_func ("/checker/findings-sorted", test_findings_sorted);
  g_test_add_func ("/checker/roster-names", test_roster_names);

  status = g_test_run ();
  g_clear_object (&checker);
  return status;
}
