/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Screening follow requests (wc-screening) from synthetic data in a real
 * store: roster names in other orders, with accents, initials and
 * particles; handles and e-mail addresses; tags; professional markers in
 * bios and fields; followers of the professional accounts; weak signals;
 * and the store functions of the requests (wc-store-requests). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "wc-roster.h"
#include "wc-screening.h"
#include "wc-store-requests.h"

static const guint8 test_key[WC_HASHER_KEY_SIZE] = {
  7, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
  2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5,
};

typedef struct
{
  char     *dir;
  char     *path;
  WcStore  *store;
  WcHasher *hasher;
  gint64    professional_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcIdentity) professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;

  f->dir = g_dir_make_tmp ("whitecoat-screening-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  f->hasher = wc_hasher_new (test_key, sizeof test_key);

  /* The roster: names with a middle name, accents, a particle. */
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, "Anna Maria Jansen", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, "Zoë Müller", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, "Jan de Vries", NULL, NULL, &error));
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, NULL, "@pieter@social.example", NULL, &error));
  g_assert_true (wc_roster_add_entry (f->store, f->hasher, NULL, NULL, "K.Bakker@Mail.example", &error));
  g_assert_no_error (error);

  /* Markers of the professional identity, and one of the personal one
   * that must not be looked for. */
  wc_identity_set_name (professional, "Dr. E. Smit");
  wc_identity_add_marker (professional, WC_MARKER_ORGANISATION, "St. Elsewhere Hospital");
  wc_identity_add_marker (professional, WC_MARKER_SPECIALTY, "Cardiology");
  wc_identity_add_marker (professional, WC_MARKER_TITLE, "Dr.");
  g_assert_true (wc_store_save_identity (f->store, professional, &error));
  g_assert_no_error (error);

  /* A professional account and who follows it. */
  wc_account_set_handle (account, "@drsmit@med.example");
  wc_account_set_server (account, "https://med.example");
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  f->professional_id = wc_account_get_id (account);
  snapshot = wc_follower_snapshot_new (f->professional_id, 1700000000);
  wc_follower_snapshot_add_hashed (snapshot, f->hasher, "colleague@med.example", "Chris Colleague");
  wc_follower_snapshot_add_hashed (snapshot, f->hasher, "fan@other.example", "A Fan");
  wc_follower_snapshot_set_complete (snapshot, TRUE);
  g_assert_true (wc_store_save_follower_snapshot (f->store, snapshot, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  wc_hasher_unref (f->hasher);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static WcScreener *
load (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WcScreener *screener = wc_screener_new_from_store (f->store, f->hasher, &error);

  g_assert_no_error (error);
  g_assert_nonnull (screener);
  return screener;
}

/* No reason may repeat the person's name or handle. */
static void
assert_reasons_clean (WcScreening *screening,
                      const char  *forbidden)
{
  GPtrArray *signals = wc_screening_get_signals (screening);
  g_auto(GStrv) words = g_strsplit_set (forbidden, " ,.@", -1);

  for (guint i = 0; i < signals->len; i++)
    {
      WcScreeningSignal *signal = g_ptr_array_index (signals, i);

      g_assert_nonnull (signal->reason);
      g_assert_cmpuint (strlen (signal->reason), >, 10);
      for (guint w = 0; words[w] != NULL; w++)
        if (strlen (words[w]) > 3)
          g_assert_null (strstr (signal->reason, words[w]));
    }
}

static WcScreening *
screen_name (WcScreener *screener,
             const char *name)
{
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  WcScreening *screening;

  subject.display_name = name;
  screening = wc_screener_screen (screener, &subject);
  assert_reasons_clean (screening, name);
  return screening;
}

static void
assert_name (WcScreener         *screener,
             const char         *name,
             WcScreeningVerdict  verdict,
             gboolean            roster)
{
  g_autoptr(WcScreening) screening = screen_name (screener, name);

  if (wc_screening_get_verdict (screening) != verdict
      || wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME) != roster)
    g_error ("“%s”: expected %s (roster %d), got %s (roster %d)", name,
             wc_screening_verdict_to_string (verdict), roster,
             wc_screening_verdict_to_string (wc_screening_get_verdict (screening)),
             wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME));
}

static void
test_roster_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WcScreener) screener = load (f);

  /* Full names, in any order, any case, with or without accents. */
  assert_name (screener, "Anna Maria Jansen", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Anna Jansen", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Maria Jansen", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Jansen, Anna", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "ANNA JANSEN", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Zoe Muller", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Müller, Zoë", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Vries, Jan de", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "jan DE vries", WC_SCREENING_LOOKS_LIKE, TRUE);
  /* Inside a longer display name. */
  assert_name (screener, "🌻 Anna Jansen (she/her)", WC_SCREENING_LOOKS_LIKE, TRUE);
  assert_name (screener, "Zoë Müller | runner", WC_SCREENING_LOOKS_LIKE, TRUE);

  /* Initials say less: "may be". */
  assert_name (screener, "A. Jansen", WC_SCREENING_MAY_BE, TRUE);
  assert_name (screener, "A.M. Jansen", WC_SCREENING_MAY_BE, TRUE);
  assert_name (screener, "J. de Vries", WC_SCREENING_MAY_BE, TRUE);

  /* Other people, and single words of a name. */
  assert_name (screener, "Anna Pietersen", WC_SCREENING_NO_SIGN, FALSE);
  assert_name (screener, "Jansen", WC_SCREENING_NO_SIGN, FALSE);
  assert_name (screener, "Anna", WC_SCREENING_NO_SIGN, FALSE);
  assert_name (screener, "B. Jansen", WC_SCREENING_NO_SIGN, FALSE);
  assert_name (screener, "Zoë Meyer", WC_SCREENING_NO_SIGN, FALSE);
}

static void
test_roster_handle_email (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WcScreener) screener = load (f);
  const char *handles[] = { "pieter@social.example", "@Pieter@social.example", "https://social.example/@pieter" };

  for (guint i = 0; i < G_N_ELEMENTS (handles); i++)
    {
      WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
      g_autoptr(WcScreening) screening = NULL;

      subject.handle = handles[i];
      subject.display_name = "P.";
      screening = wc_screener_screen (screener, &subject);
      g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_HANDLE));
      g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
      assert_reasons_clean (screening, "pieter social example");
    }

  {
    WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
    g_autoptr(WcScreening) screening = NULL;

    subject.email = "mailto:k.bakker@mail.EXAMPLE";
    screening = wc_screener_screen (screener, &subject);
    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_EMAIL));
    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
  }
  {
    WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
    g_autoptr(WcScreening) screening = NULL;

    subject.handle = "pieter@elsewhere.example";
    subject.email = "k.bakker@other.example";
    screening = wc_screener_screen (screener, &subject);
    g_assert_cmpuint (wc_screening_get_signals (screening)->len, ==, 0);
    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_NO_SIGN);
  }
}

static void
test_markers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WcScreener) screener = load (f);
  const char * const fields[] = { "Clinic", "<a href=\"https://x.example\">Cardiología at ST ELSEWHERE hospital</a>", NULL };
  struct {
    const char         *display_name;
    const char         *note;
    const char * const *fields;
    WcScreeningVerdict  verdict;
    const char         *where;
  } cases[] = {
    { "Kim", "<p>Grateful patient of St Elsewhere Hospital &amp; its nurses</p>", NULL,
      WC_SCREENING_MAY_BE, "bio" },
    { "Kim at St. Elsewhere Hospital", NULL, NULL, WC_SCREENING_MAY_BE, "display name" },
    { "Kim", NULL, fields, WC_SCREENING_MAY_BE, "profile fields" },
    { "Kim", "<p>cardiology</p>", NULL, WC_SCREENING_MAY_BE, "bio" },
    /* A title marker is not looked for; "Elsewhere" alone is not the marker. */
    { "Dr. Kim", "<p>Lives elsewhere. Hospital radio DJ.</p>", NULL, WC_SCREENING_NO_SIGN, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
      g_autoptr(WcScreening) screening = NULL;

      subject.display_name = cases[i].display_name;
      subject.note = cases[i].note;
      subject.fields = cases[i].fields;
      screening = wc_screener_screen (screener, &subject);
      g_assert_cmpint (wc_screening_get_verdict (screening), ==, cases[i].verdict);
      g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_PROFESSIONAL_MARKER) == (cases[i].where != NULL));
      if (cases[i].where != NULL)
        {
          WcScreeningSignal *signal = g_ptr_array_index (wc_screening_get_signals (screening), 0);

          g_assert_nonnull (strstr (signal->reason, cases[i].where));
        }
    }
}

static void
test_professional_followers (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WcScreener) screener = load (f);
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  g_autoptr(WcScreening) follows = NULL;
  g_autoptr(WcScreening) both = NULL;
  g_autoptr(WcScreening) stranger = NULL;
  WcScreeningSignal *signal;

  subject.display_name = "Chris Colleague";
  subject.handle = "@Colleague@med.example";
  follows = wc_screener_screen (screener, &subject);
  g_assert_cmpint (wc_screening_get_verdict (follows), ==, WC_SCREENING_MAY_BE);
  g_assert_true (wc_screening_has_signal (follows, WC_SIGNAL_FOLLOWS_PROFESSIONAL));
  signal = g_ptr_array_index (wc_screening_get_signals (follows), 0);
  g_assert_nonnull (strstr (signal->reason, "drsmit@med.example"));

  /* Follows the professional account and mentions the hospital: two medium
   * signals make "looks like". */
  subject.note = "Treated at St. Elsewhere Hospital";
  both = wc_screener_screen (screener, &subject);
  g_assert_cmpint (wc_screening_get_verdict (both), ==, WC_SCREENING_LOOKS_LIKE);

  subject.note = NULL;
  subject.handle = "colleague@elsewhere.example";
  stranger = wc_screener_screen (screener, &subject);
  g_assert_cmpint (wc_screening_get_verdict (stranger), ==, WC_SCREENING_NO_SIGN);
  g_assert_false (wc_screening_has_signal (stranger, WC_SIGNAL_FOLLOWS_PROFESSIONAL));

  /* Contacts added directly. */
  wc_screener_add_professional_contact (screener, "stranger@x.example", WC_SIGNAL_INTERACTED_PROFESSIONAL,
                                        "@drsmit@med.example");
  subject.handle = "https://x.example/@stranger";
  {
    g_autoptr(WcScreening) interacted = wc_screener_screen (screener, &subject);

    g_assert_true (wc_screening_has_signal (interacted, WC_SIGNAL_INTERACTED_PROFESSIONAL));
    g_assert_cmpint (wc_screening_get_verdict (interacted), ==, WC_SCREENING_MAY_BE);
  }
}

static void
test_weak_signals (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WcScreener) screener = load (f);
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  g_autoptr(WcScreening) fresh = NULL;
  g_autoptr(WcScreening) old = NULL;
  g_autoptr(WcScreening) follows = NULL;

  wc_screener_set_now (screener, 1800000000);
  subject.display_name = "Someone New";
  subject.handle = "new@x.example";
  subject.created_at = 1800000000 - 3 * 24 * 3600;
  subject.statuses_count = 0;
  fresh = wc_screener_screen (screener, &subject);
  g_assert_true (wc_screening_has_signal (fresh, WC_SIGNAL_NEW_ACCOUNT));
  g_assert_true (wc_screening_has_signal (fresh, WC_SIGNAL_EMPTY_ACCOUNT));
  /* Weak signals are shown but decide nothing. */
  g_assert_cmpint (wc_screening_get_verdict (fresh), ==, WC_SCREENING_NO_SIGN);

  subject.created_at = 1800000000 - 400 * 24 * 3600;
  subject.statuses_count = 12;
  old = wc_screener_screen (screener, &subject);
  g_assert_cmpuint (wc_screening_get_signals (old)->len, ==, 0);

  /* With a medium signal, the weak ones stay "may be" and come last. */
  subject.handle = "fan@other.example";
  subject.statuses_count = 0;
  follows = wc_screener_screen (screener, &subject);
  g_assert_cmpint (wc_screening_get_verdict (follows), ==, WC_SCREENING_MAY_BE);
  g_assert_cmpint (((WcScreeningSignal *) g_ptr_array_index (wc_screening_get_signals (follows), 0))->kind, ==,
                   WC_SIGNAL_FOLLOWS_PROFESSIONAL);
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  g_autofree char *hash = NULL;
  g_autofree char *colleague_hash = NULL;
  g_autoptr(GHashTable) tags = NULL;

  subject.display_name = "Anna Jansen";
  subject.handle = "anna@social.example";

  {
    g_autoptr(WcScreener) screener = load (f);
    g_autoptr(WcScreening) screening = wc_screener_screen (screener, &subject);

    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
    hash = wc_screener_dup_person_hash (screener, &subject);
    g_assert_true (wc_hash_is_valid (hash));
    g_assert_cmpstr (hash, ==, wc_screening_get_person_hash (screening));
    {
      g_autofree char *by_handle = wc_hasher_hash_handle (f->hasher, "@Anna@social.example");

      /* The same key the audience's tags use. */
      g_assert_cmpstr (hash, ==, by_handle);
    }
  }

  /* "Not a patient" wins over the roster. */
  g_assert_true (wc_store_set_not_patient (f->store, hash, &error));
  g_assert_no_error (error);
  {
    g_autoptr(WcScreener) screener = load (f);
    g_autoptr(WcScreening) screening = wc_screener_screen (screener, &subject);

    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_TAGGED_NOT_PATIENT));
    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME));
    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_NO_SIGN);
  }
  /* The person tags of other versions do not see it. */
  tags = wc_store_load_person_tags (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 0);

  /* A patient tag replaces it, and makes a stranger "looks like". */
  g_assert_true (wc_store_set_person_tag (f->store, hash, WC_PERSON_TAG_PATIENT, &error));
  {
    g_autoptr(WcScreener) screener = load (f);
    g_autoptr(WcScreening) screening = NULL;
    g_autoptr(GHashTable) not_patients = wc_store_load_not_patients (f->store, &error);

    g_assert_cmpuint (g_hash_table_size (not_patients), ==, 0);
    subject.display_name = "Totally Different";
    screening = wc_screener_screen (screener, &subject);
    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_TAGGED_PATIENT));
    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
  }

  /* A colleague tag clears the medium signals, not the roster. */
  colleague_hash = wc_hasher_hash_handle (f->hasher, "colleague@med.example");
  g_assert_true (wc_store_set_person_tag (f->store, colleague_hash, WC_PERSON_TAG_COLLEAGUE, &error));
  {
    g_autoptr(WcScreener) screener = load (f);
    g_autoptr(WcScreening) screening = NULL;
    WcScreeningSubject colleague = WC_SCREENING_SUBJECT_INIT;

    colleague.handle = "colleague@med.example";
    colleague.display_name = "Chris";
    screening = wc_screener_screen (screener, &colleague);
    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_TAGGED_OTHER));
    g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_FOLLOWS_PROFESSIONAL));
    g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_NO_SIGN);
  }

  /* A name-only subject is keyed by its words. */
  {
    g_autoptr(WcScreener) screener = load (f);
    WcScreeningSubject typed = WC_SCREENING_SUBJECT_INIT;
    g_autofree char *name_hash = NULL;
    g_autofree char *expected = wc_hasher_hash (f->hasher, "kim de boer");

    typed.display_name = "Kim  de Boer!";
    name_hash = wc_screener_dup_person_hash (screener, &typed);
    g_assert_cmpstr (name_hash, ==, expected);
  }
}

static void
test_without_hasher (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScreener) screener = wc_screener_new_from_store (f->store, NULL, &error);
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  g_autoptr(WcScreening) screening = NULL;

  g_assert_no_error (error);
  g_assert_false (wc_screener_get_has_hasher (screener));
  subject.display_name = "Anna Jansen";
  subject.handle = "colleague@med.example";
  subject.note = "cardiology fan";
  screening = wc_screener_screen (screener, &subject);
  /* No roster without the key; followers and markers still. */
  g_assert_false (wc_screening_has_signal (screening, WC_SIGNAL_ROSTER_NAME));
  g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_FOLLOWS_PROFESSIONAL));
  g_assert_true (wc_screening_has_signal (screening, WC_SIGNAL_PROFESSIONAL_MARKER));
  g_assert_cmpint (wc_screening_get_verdict (screening), ==, WC_SCREENING_LOOKS_LIKE);
  g_assert_null (wc_screening_get_person_hash (screening));
}

static void
test_typed (void)
{
  struct { const char *typed; int field; } cases[] = {
    { "anna@example.org", 2 },
    { " Anna.Jansen@Example.ORG ", 2 },
    { "@anna@social.example", 1 },
    { "anna@social", 1 /* no dot: not an address */ },
    { "https://social.example/@anna", 1 },
    { "anna.bsky.social", 1 },
    { "Anna Jansen", 0 },
    { "Jansen, A.", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
      const char *got[3];

      wc_screening_subject_set_typed (&subject, cases[i].typed);
      got[0] = subject.display_name;
      got[1] = subject.handle;
      got[2] = subject.email;
      for (int k = 0; k < 3; k++)
        if ((got[k] != NULL) != (k == cases[i].field))
          g_error ("“%s”: expected field %d", cases[i].typed, cases[i].field);
    }
}

static void
test_html (void)
{
  struct { const char *html; const char *text; } cases[] = {
    { "<p>Hello &amp; welcome</p><p>Second</p>", "Hello & welcome\nSecond" },
    { "Line<br>break<br/>x", "Line\nbreak\nx" },
    { "<a href=\"https://a.example/\" rel=\"me\"><span>a.example</span></a>", "a.example" },
    { "caf&#233; &#x263A; &lt;3 &bogus; &", "café ☺ <3 &bogus; &" },
    { "plain text", "plain text" },
    { "", "" },
    { "<unclosed", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = wc_screening_html_to_text (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *empty = wc_screening_html_to_text (NULL);

    g_assert_cmpstr (empty, ==, "");
  }
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcScreener) screener = load (f);
  WcScreeningSubject subject = WC_SCREENING_SUBJECT_INIT;
  g_autoptr(WcScreening) screening = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  WcAuditEntry *entry;

  subject.display_name = "Anna Maria Jansen";
  subject.handle = "annamaria@social.example";
  subject.note = "St. Elsewhere Hospital";
  screening = wc_screener_screen (screener, &subject);
  summary = wc_screening_dup_summary (screening);
  g_assert_true (g_str_has_prefix (summary, "Looks like a patient: "));
  g_assert_null (strstr (summary, "Jansen"));

  g_assert_true (wc_store_append_request_audit (f->store, f->professional_id, WC_IDENTITY_PERSONAL, "Mastodon",
                                                WC_REQUEST_ANSWER_DECLINE_AND_POINT,
                                                wc_screening_verdict_get_label (wc_screening_get_verdict (screening)),
                                                wc_screening_get_person_hash (screening), summary, &error));
  g_assert_no_error (error);
  g_assert_false (wc_store_set_not_patient (f->store, "Anna Jansen", &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);

  entries = wc_store_list_audit (f->store, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->kind, ==, "request");
  g_assert_true (entry->has_identity);
  g_assert_cmpint (entry->identity, ==, WC_IDENTITY_PERSONAL);
  g_assert_nonnull (strstr (entry->summary, "pointed to the professional account"));
  g_assert_nonnull (strstr (entry->summary, "Looks like a patient"));
  {
    g_autofree char *prefix = g_strndup (wc_screening_get_person_hash (screening), 12);

    g_assert_nonnull (strstr (entry->summary, prefix));
    g_assert_null (strstr (entry->summary, wc_screening_get_person_hash (screening)));
  }
  g_assert_null (strstr (entry->summary, "Jansen"));
  g_assert_null (strstr (entry->summary, "annamaria"));
  g_assert_null (strstr (entry->reason, "Jansen"));

  /* Nothing of the person in the database file in plain text. */
  {
    g_autofree char *bytes = NULL;
    gsize length = 0;

    g_clear_object (&f->store);
    g_assert_true (g_file_get_contents (f->path, &bytes, &length, NULL));
    g_assert_null (g_strstr_len (bytes, length, "Jansen"));
    g_assert_null (g_strstr_len (bytes, length, "annamaria"));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/screening/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("roster-names", test_roster_names);
  ADD ("roster-handle-email", test_roster_handle_email);
  ADD ("markers", test_markers);
  ADD ("professional-followers", test_professional_followers);
  ADD ("weak-signals", test_weak_signals);
  ADD ("tags", test_tags);
  ADD ("without-hasher", test_without_hasher);
  ADD ("audit", test_audit);
#undef ADD
  g_test_add_func ("/screening/typed", test_typed);
  g_test_add_func ("/screening/html", test_html);

  return g_test_run ();
}
