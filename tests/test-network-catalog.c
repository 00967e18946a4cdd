/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "wc-network-catalog.h"

static const char * const expected_networks[] = {
  "mastodon", "bluesky", "facebook", "x", "linkedin", "instagram",
  "researchgate", "pinterest", "threads", "other",
};

static void
test_catalog_every_file_parses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetworkCatalog) catalog =
    wc_network_catalog_new_from_resource ("/io/github/whitecoat/Whitecoat/core/networks", &error);
  GPtrArray *list;

  g_assert_no_error (error);
  g_assert_nonnull (catalog);

  list = wc_network_catalog_list (catalog);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected_networks));
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (wc_network_info_get_id (g_ptr_array_index (list, i)), ==, expected_networks[i]);
}

static void
test_catalog_required_fields (void)
{
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  GPtrArray *list = wc_network_catalog_list (catalog);

  for (guint i = 0; i < list->len; i++)
    {
      WcNetworkInfo *info = g_ptr_array_index (list, i);
      GPtrArray *audience = wc_network_info_get_audience_options (info);
      g_autoptr(GError) error = NULL;
      g_autofree char *icon = g_strdup_printf ("wc-network-%s-symbolic", wc_network_info_get_id (info));

      g_test_message ("network %s", wc_network_info_get_id (info));
      g_assert_cmpstr (wc_network_info_get_icon_name (info), ==, icon);
      if (wc_network_info_get_is_custom (info))
        {
          /* "Other" takes the site's address from the account. */
          g_assert_cmpstr (wc_network_info_get_website (info), ==, "{url}");
          g_assert_cmpstr (wc_network_info_get_privacy_url (info), ==, "{url}");
        }
      else
        {
          g_assert_true (g_str_has_prefix (wc_network_info_get_website (info), "https://"));
          g_assert_true (g_str_has_prefix (wc_network_info_get_privacy_url (info), "https://"));
        }
      g_assert_cmpuint (audience->len, >, 0);
      for (guint j = 0; j < audience->len; j++)
        {
          WcAudienceOption *option = g_ptr_array_index (audience, j);

          g_assert_cmpstr (option->id, !=, "");
          g_assert_cmpstr (option->label, !=, "");
          g_assert_cmpstr (option->description, !=, "");
        }

      /* The example handle a data file gives must pass its own pattern. */
      g_assert_true (wc_network_info_validate_handle (info, wc_network_info_get_handle_example (info), &error));
      g_assert_no_error (error);

      /* Only Mastodon and Bluesky have an API a personal account can use. */
      g_assert_cmpint (wc_network_info_get_has_api (info), ==,
                       g_str_equal (wc_network_info_get_id (info), "mastodon") ||
                       g_str_equal (wc_network_info_get_id (info), "bluesky"));
      g_assert_cmpint (wc_network_info_get_needs_server (info), ==, wc_network_info_get_has_api (info));
      g_assert_cmpint (wc_network_info_get_is_custom (info), ==,
                       g_str_equal (wc_network_info_get_id (info), "other"));
      if (wc_network_info_get_needs_server (info))
        g_assert_true (g_str_has_prefix (wc_network_info_get_default_server (info), "https://"));
    }
}

static void
test_catalog_facts (void)
{
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  WcNetworkInfo *mastodon = wc_network_catalog_lookup (catalog, "mastodon");
  WcNetworkInfo *bluesky = wc_network_catalog_lookup (catalog, "bluesky");
  GPtrArray *audience;

  g_assert_nonnull (mastodon);
  g_assert_cmpuint (wc_network_info_get_char_limit (mastodon), ==, 500);
  audience = wc_network_info_get_audience_options (mastodon);
  g_assert_cmpuint (audience->len, ==, 4);
  g_assert_cmpstr (((WcAudienceOption *) g_ptr_array_index (audience, 0))->id, ==, "public");
  g_assert_cmpstr (((WcAudienceOption *) g_ptr_array_index (audience, 3))->id, ==, "direct");

  g_assert_nonnull (bluesky);
  g_assert_cmpuint (wc_network_info_get_char_limit (bluesky), ==, 300);

  g_assert_null (wc_network_catalog_lookup (catalog, "myspace"));
  g_assert_null (wc_network_catalog_lookup (catalog, NULL));
}

static void
test_info_rejects_bad_files (void)
{
  const char *bad[] = {
    "",
    "[]",
    "{ \"id\": \"x\" ",
    /* no handle */
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":false,\"needs_server\":false,\"is_custom\":false,\"char_limit\":1,"
    "\"audience\":[{\"id\":\"p\",\"label\":\"P\",\"description\":\"D\"}]}",
    /* pattern that does not compile */
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":false,\"needs_server\":false,\"is_custom\":false,\"char_limit\":1,"
    "\"handle\":{\"pattern\":\"([\",\"example\":\"e\",\"hint\":\"h\",\"lowercase\":true},"
    "\"audience\":[{\"id\":\"p\",\"label\":\"P\",\"description\":\"D\"}]}",
    /* empty audience */
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":false,\"needs_server\":false,\"is_custom\":false,\"char_limit\":1,"
    "\"handle\":{\"pattern\":\".\",\"example\":\"e\",\"hint\":\"h\",\"lowercase\":true},\"audience\":[]}",
    /* negative limit */
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":false,\"needs_server\":false,\"is_custom\":false,\"char_limit\":-5,"
    "\"handle\":{\"pattern\":\".\",\"example\":\"e\",\"hint\":\"h\",\"lowercase\":true},"
    "\"audience\":[{\"id\":\"p\",\"label\":\"P\",\"description\":\"D\"}]}",
    /* needs a server but has no default */
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":true,\"needs_server\":true,\"is_custom\":false,\"char_limit\":5,"
    "\"handle\":{\"pattern\":\".\",\"example\":\"e\",\"hint\":\"h\",\"lowercase\":true},"
    "\"audience\":[{\"id\":\"p\",\"label\":\"P\",\"description\":\"D\"}]}",
  };
  const char *good =
    "{\"id\":\"a\",\"name\":\"A\",\"icon\":\"i\",\"website\":\"https://a\",\"privacy_url\":\"https://a\","
    "\"has_api\":false,\"needs_server\":false,\"is_custom\":false,\"char_limit\":5,"
    "\"handle\":{\"pattern\":\"^[a-z]+$\",\"example\":\"e\",\"hint\":\"h\",\"lowercase\":true},"
    "\"audience\":[{\"id\":\"p\",\"label\":\"P\",\"description\":\"D\"}]}";
  g_autoptr(WcNetworkInfo) info = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WcNetworkInfo) bad_info = wc_network_info_new_from_json (bad[i], -1, &error);

      g_test_message ("bad file %u", i);
      g_assert_null (bad_info);
      g_assert_error (error, WC_NETWORK_CATALOG_ERROR, WC_NETWORK_CATALOG_ERROR_INVALID);
    }

  info = wc_network_info_new_from_json (good, -1, NULL);
  g_assert_nonnull (info);
  g_assert_true (wc_network_info_validate_handle (info, "@Abc", NULL));
  g_assert_false (wc_network_info_validate_handle (info, "ab1", NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/network-catalog/every-file-parses", test_catalog_every_file_parses);
  g_test_add_func ("/network-catalog/required-fields", test_catalog_required_fields);
  g_test_add_func ("/network-catalog/facts", test_catalog_facts);
  g_test_add_func ("/network-catalog/rejects-bad-files", test_info_rejects_bad_files);

  return g_test_run ();
}
