/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "wc-account.h"

static WcAccount *
make_account (const char *network,
              const char *handle,
              const char *server)
{
  WcAccount *account = wc_account_new (WC_IDENTITY_PROFESSIONAL, network);

  wc_account_set_handle (account, handle);
  wc_account_set_server (account, server);
  return account;
}

static void
assert_field_error (WcAccount      *account,
                    WcAccountError  field)
{
  g_autoptr(GError) error = NULL;

  wc_account_normalize (account);
  g_assert_false (wc_account_validate (account, &error));
  g_assert_error (error, WC_ACCOUNT_ERROR, field);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_account_properties (void)
{
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, "facebook");
  g_autofree char *title = NULL;

  g_assert_cmpint (wc_account_get_id (account), ==, -1);
  g_assert_cmpint (wc_account_get_identity (account), ==, WC_IDENTITY_PERSONAL);
  g_assert_cmpstr (wc_account_get_network (account), ==, "facebook");

  wc_account_set_handle (account, "anna.jansen.75");
  title = wc_account_dup_title (account);
  g_assert_cmpstr (title, ==, "anna.jansen.75");

  wc_account_set_display_name (account, "Anna");
  g_free (title);
  title = wc_account_dup_title (account);
  g_assert_cmpstr (title, ==, "Anna");

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_account_mastodon (void)
{
  g_autoptr(WcAccount) account = make_account ("mastodon", "  Dr_Jansen@Med-Mastodon.Example ", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  wc_account_normalize (account);
  g_assert_cmpstr (wc_account_get_handle (account), ==, "@dr_jansen@med-mastodon.example");
  /* The server comes from the handle when none is given. */
  g_assert_cmpstr (wc_account_get_server (account), ==, "https://med-mastodon.example");
  g_assert_true (wc_account_validate (account, &error));
  g_assert_no_error (error);

  key = wc_account_dup_key (account);
  g_assert_cmpstr (key, ==, "mastodon:@dr_jansen@med-mastodon.example");
}

static void
test_account_mastodon_explicit_server (void)
{
  g_autoptr(WcAccount) account = make_account ("mastodon", "@anna@jansen.example", "social.jansen.example/");

  wc_account_normalize (account);
  /* A server may serve handles of another domain; it is kept. */
  g_assert_cmpstr (wc_account_get_server (account), ==, "https://social.jansen.example");
  g_assert_true (wc_account_validate (account, NULL));
}

static void
test_account_bluesky (void)
{
  g_autoptr(WcAccount) account = make_account ("bluesky", "@Dr-Jansen.bsky.social", "");

  wc_account_normalize (account);
  g_assert_cmpstr (wc_account_get_handle (account), ==, "dr-jansen.bsky.social");
  g_assert_cmpstr (wc_account_get_server (account), ==, "https://bsky.social");
  g_assert_true (wc_account_validate (account, NULL));
}

static void
test_account_manual_has_no_server (void)
{
  g_autoptr(WcAccount) account = make_account ("x", "Dr_Jansen", "https://example.org");

  wc_account_normalize (account);
  g_assert_cmpstr (wc_account_get_handle (account), ==, "@dr_jansen");
  g_assert_null (wc_account_get_server (account));
  g_assert_true (wc_account_validate (account, NULL));
}

static void
test_account_bad_handles (void)
{
  const struct {
    const char *network;
    const char *handle;
  } cases[] = {
    { "mastodon", "" },
    { "mastodon", "    " },
    { "mastodon", "dr_jansen" },             /* no server */
    { "mastodon", "@dr_jansen@" },
    { "mastodon", "@dr jansen@mastodon.social" },
    { "mastodon", "https://mastodon.social/@dr_jansen" },
    { "bluesky", "drjansen" },               /* no domain */
    { "bluesky", "dr_jansen.bsky.social" },  /* underscore */
    { "bluesky", "@dr-jansen@bsky.social" },
    { "bluesky", "dr-jansen.bsky.social." },
    { "x", "@this_is_far_too_long_for_x" },
    { "x", "@dr-jansen" },
    { "instagram", "@dr..jansen" },
    { "facebook", "ab" },
    { "other", "   " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcAccount) account = make_account (cases[i].network, cases[i].handle, NULL);

      if (g_strcmp0 (cases[i].network, "other") == 0)
        wc_account_set_custom_name (account, "Doximity");
      g_test_message ("%s: “%s”", cases[i].network, cases[i].handle);
      assert_field_error (account, WC_ACCOUNT_ERROR_HANDLE);
    }
}

static void
test_account_good_handles (void)
{
  const struct {
    const char *network;
    const char *handle;
    const char *normal;
  } cases[] = {
    { "mastodon", "@dr.jansen@mastodon.social", "@dr.jansen@mastodon.social" },
    { "bluesky", "anna.example.nl", "anna.example.nl" },
    { "facebook", "anna.jansen.75", "anna.jansen.75" },
    { "x", "@DrJansen", "@drjansen" },
    { "linkedin", "anna-jansen-md", "anna-jansen-md" },
    { "instagram", "dr.jansen", "@dr.jansen" },
    { "researchgate", "Anna_Jansen", "Anna_Jansen" },
    { "pinterest", "drjansen", "@drjansen" },
    { "threads", "@dr.jansen", "@dr.jansen" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcAccount) account = make_account (cases[i].network, cases[i].handle, NULL);
      g_autoptr(GError) error = NULL;

      wc_account_normalize (account);
      g_assert_cmpstr (wc_account_get_handle (account), ==, cases[i].normal);
      if (!wc_account_validate (account, &error))
        g_error ("%s “%s”: %s", cases[i].network, cases[i].handle, error->message);
    }
}

static void
test_account_bad_server (void)
{
  const char *servers[] = {
    "ftp://mastodon.social",
    "javascript:alert(1)",
    "https://",
    "mastodon social",
    "file:///etc/passwd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(WcAccount) account = make_account ("mastodon", "@anna@mastodon.social", servers[i]);

      g_test_message ("server “%s”", servers[i]);
      assert_field_error (account, WC_ACCOUNT_ERROR_SERVER);
    }
}

static void
test_account_bad_profile_url (void)
{
  g_autoptr(WcAccount) account = make_account ("facebook", "anna.jansen.75", NULL);

  wc_account_set_profile_url (account, "facebook.com/anna");
  assert_field_error (account, WC_ACCOUNT_ERROR_PROFILE_URL);

  wc_account_set_profile_url (account, "   ");
  wc_account_normalize (account);
  g_assert_null (wc_account_get_profile_url (account));
  g_assert_true (wc_account_validate (account, NULL));

  wc_account_set_profile_url (account, "https://www.facebook.com/anna.jansen.75");
  wc_account_normalize (account);
  g_assert_true (wc_account_validate (account, NULL));
}

static void
test_account_long_display_name (void)
{
  g_autoptr(WcAccount) account = make_account ("x", "@dr_jansen", NULL);
  g_autofree char *name = g_strnfill (10000, 'a');

  wc_account_set_display_name (account, name);
  assert_field_error (account, WC_ACCOUNT_ERROR_DISPLAY_NAME);

  wc_account_set_display_name (account, "two\nlines");
  assert_field_error (account, WC_ACCOUNT_ERROR_DISPLAY_NAME);
}

static void
test_account_other (void)
{
  g_autoptr(WcAccount) account = make_account ("other", "anna-jansen", NULL);
  g_autoptr(WcAccount) other_site = make_account ("other", "anna-jansen", NULL);
  g_autofree char *key = NULL;
  g_autofree char *other_key = NULL;

  assert_field_error (account, WC_ACCOUNT_ERROR_CUSTOM_NAME);

  wc_account_set_custom_name (account, " Doximity ");
  wc_account_set_profile_url (account, "https://www.doximity.com/pub/anna-jansen");
  wc_account_normalize (account);
  g_assert_cmpstr (wc_account_get_custom_name (account), ==, "Doximity");
  g_assert_true (wc_account_validate (account, NULL));

  wc_account_set_custom_name (other_site, "Sermo");
  key = wc_account_dup_key (account);
  other_key = wc_account_dup_key (other_site);
  g_assert_cmpstr (key, !=, other_key);
}

static void
test_account_unknown_network (void)
{
  g_autoptr(WcAccount) account = make_account ("myspace", "tom", NULL);

  assert_field_error (account, WC_ACCOUNT_ERROR_NETWORK);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/account/properties", test_account_properties);
  g_test_add_func ("/account/mastodon", test_account_mastodon);
  g_test_add_func ("/account/mastodon-explicit-server", test_account_mastodon_explicit_server);
  g_test_add_func ("/account/bluesky", test_account_bluesky);
  g_test_add_func ("/account/manual-has-no-server", test_account_manual_has_no_server);
  g_test_add_func ("/account/bad-handles", test_account_bad_handles);
  g_test_add_func ("/account/good-handles", test_account_good_handles);
  g_test_add_func ("/account/bad-server", test_account_bad_server);
  g_test_add_func ("/account/bad-profile-url", test_account_bad_profile_url);
  g_test_add_func ("/account/long-display-name", test_account_long_display_name);
  g_test_add_func ("/account/other", test_account_other);
  g_test_add_func ("/account/unknown-network", test_account_unknown_network);

  return g_test_run ();
}
