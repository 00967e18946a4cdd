/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "wc-identity.h"

static void
test_identity_defaults (void)
{
  g_autoptr(WcIdentity) professional = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(WcIdentity) personal = wc_identity_new (WC_IDENTITY_PERSONAL);

  g_assert_cmpint (wc_identity_get_kind (professional), ==, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_identity_get_name (professional), ==, "Professional");
  g_assert_cmpstr (wc_identity_get_color (professional), ==, "#3584e4");
  g_assert_cmpstr (wc_identity_get_name (personal), ==, "Personal");
  g_assert_cmpstr (wc_identity_get_color (personal), ==, "#2ec27e");
  g_assert_cmpuint (wc_identity_get_markers (personal)->len, ==, 0);
  g_assert_true (wc_identity_validate (professional, NULL));
  g_assert_cmpint (wc_identity_kind_other (WC_IDENTITY_PERSONAL), ==, WC_IDENTITY_PROFESSIONAL);

  g_assert_finalize_object (g_steal_pointer (&professional));
  g_assert_finalize_object (g_steal_pointer (&personal));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_identity_notify (void)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  guint notified = 0;

  g_signal_connect (identity, "notify::name", G_CALLBACK (count_notify), &notified);
  wc_identity_set_name (identity, "Dr. Anna Jansen");
  g_assert_cmpuint (notified, ==, 1);
  wc_identity_set_name (identity, "Dr. Anna Jansen");
  g_assert_cmpuint (notified, ==, 1);  /* no change, no notify */
  g_assert_cmpstr (wc_identity_get_name (identity), ==, "Dr. Anna Jansen");
}

static void
test_identity_validate (void)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (WC_IDENTITY_PERSONAL);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (101, 'a');

  wc_identity_set_name (identity, "   ");
  g_assert_false (wc_identity_validate (identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME);
  g_clear_error (&error);

  wc_identity_set_name (identity, "...");
  g_assert_false (wc_identity_validate (identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME);
  g_clear_error (&error);

  wc_identity_set_name (identity, long_name);
  g_assert_false (wc_identity_validate (identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_NAME);
  g_clear_error (&error);

  wc_identity_set_name (identity, "Anna");
  wc_identity_set_color (identity, "blue");
  g_assert_false (wc_identity_validate (identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_COLOR);
  g_clear_error (&error);

  wc_identity_set_color (identity, "#33d17a");
  wc_identity_add_marker (identity, WC_MARKER_NICKNAME, "!!!");
  g_assert_false (wc_identity_validate (identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER);
}

static void
test_marker_validate (void)
{
  const struct {
    WcMarkerKind kind;
    const char *value;
    gboolean valid;
  } cases[] = {
    { WC_MARKER_REAL_NAME, "Anna Jansen", TRUE },
    { WC_MARKER_REAL_NAME, "", FALSE },
    { WC_MARKER_REAL_NAME, "   \t ", FALSE },
    { WC_MARKER_REAL_NAME, "?!.,;", FALSE },
    { WC_MARKER_REAL_NAME, "—–…", FALSE },
    { WC_MARKER_TITLE, "Dr.", TRUE },
    { WC_MARKER_SPECIALTY, "Kindergeneeskunde", TRUE },
    { WC_MARKER_ORGANISATION, "Sint-Elisabeth Ziekenhuis", TRUE },
    { WC_MARKER_ORGANISATION, "line\nbreak", FALSE },
    { WC_MARKER_DOMAIN, "praktijkjansen.nl", TRUE },
    { WC_MARKER_DOMAIN, "https://www.praktijkjansen.nl/contact", TRUE },
    { WC_MARKER_DOMAIN, "praktijkjansen", FALSE },
    { WC_MARKER_DOMAIN, "praktijk jansen.nl", FALSE },
    { WC_MARKER_NICKNAME, "Annie", TRUE },
    { WC_MARKER_FAMILY_NAME, "Ünal", TRUE },
    { WC_MARKER_NICKNAME, "42", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = wc_marker_validate (cases[i].kind, cases[i].value, &error);

      if (valid != cases[i].valid)
        g_error ("marker “%s”: expected %s", cases[i].value, cases[i].valid ? "valid" : "invalid");
      if (!valid)
        {
          g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_marker_too_long (void)
{
  g_autofree char *value = g_strnfill (201, 'x');
  g_autoptr(GError) error = NULL;

  g_assert_false (wc_marker_validate (WC_MARKER_NICKNAME, value, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER);
}

static void
test_marker_normalisation (void)
{
  g_autoptr(WcMarker) domain = wc_marker_new (WC_MARKER_DOMAIN, "  HTTPS://www.PraktijkJansen.nl/contact?x=1 ");
  g_autoptr(WcMarker) name = wc_marker_new (WC_MARKER_REAL_NAME, "  Anna Jansen ");

  g_assert_cmpstr (domain->value, ==, "praktijkjansen.nl");
  g_assert_cmpstr (name->value, ==, "Anna Jansen");
}

static void
test_marker_kinds (void)
{
  guint n = 0;
  const WcMarkerKind *kinds = wc_marker_kinds_for_identity (WC_IDENTITY_PROFESSIONAL, &n);
  WcMarkerKind parsed;

  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (kinds[0], ==, WC_MARKER_REAL_NAME);
  kinds = wc_marker_kinds_for_identity (WC_IDENTITY_PERSONAL, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (kinds[0], ==, WC_MARKER_NICKNAME);

  for (guint i = 0; i < WC_N_MARKER_KINDS; i++)
    {
      g_assert_true (wc_marker_kind_from_string (wc_marker_kind_to_string (i), &parsed));
      g_assert_cmpint (parsed, ==, i);
      g_assert_nonnull (wc_marker_kind_get_label (i));
    }
  g_assert_false (wc_marker_kind_from_string ("shoe-size", &parsed));
}

static void
test_marker_values (void)
{
  g_autoptr(WcIdentity) identity = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  g_auto(GStrv) orgs = NULL;

  wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "Sint-Elisabeth Ziekenhuis");
  wc_identity_add_marker (identity, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "Praktijk Jansen");

  orgs = wc_identity_dup_marker_values (identity, WC_MARKER_ORGANISATION);
  g_assert_cmpuint (g_strv_length (orgs), ==, 2);
  g_assert_cmpstr (orgs[0], ==, "Sint-Elisabeth Ziekenhuis");
  g_assert_cmpstr (orgs[1], ==, "Praktijk Jansen");
}

static void
test_color (void)
{
  g_assert_true (wc_color_is_valid ("#3584e4"));
  g_assert_true (wc_color_is_valid ("#ABCDEF"));
  g_assert_false (wc_color_is_valid ("3584e4"));
  g_assert_false (wc_color_is_valid ("#3584e"));
  g_assert_false (wc_color_is_valid ("#3584e4ff"));
  g_assert_false (wc_color_is_valid ("#zzzzzz"));
  g_assert_false (wc_color_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/identity/defaults", test_identity_defaults);
  g_test_add_func ("/identity/notify", test_identity_notify);
  g_test_add_func ("/identity/validate", test_identity_validate);
  g_test_add_func ("/identity/color", test_color);
  g_test_add_func ("/marker/validate", test_marker_validate);
  g_test_add_func ("/marker/too-long", test_marker_too_long);
  g_test_add_func ("/marker/normalisation", test_marker_normalisation);
  g_test_add_func ("/marker/kinds", test_marker_kinds);
  g_test_add_func ("/marker/values", test_marker_values);

  return g_test_run ();
}
