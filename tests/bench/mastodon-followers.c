/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The followers of a large Mastodon account (issue 5): the Mastodon test
 * server (in its own thread, on 127.0.0.1) gets N synthetic followers, and
 * the client reads them all, 80 a page through the Link header, into a
 * hashed follower snapshot, as the app does in the background.
 *
 *   mastodon-followers [N-FOLLOWERS]
 *
 * Targets: under 60 s and under 100 MB peak memory (VmHWM; the process also
 * holds the test server). Prints the figures; exits 1 when a target is
 * missed. */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <stdlib.h>

#include "wc-mastodon-server.h"
#include "wc-mastodon.h"

/* VmRSS or VmHWM of this process, in kB. */
static gint64
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_ascii_strtoll (lines[i] + strlen (field) + 1, NULL, 10);
  return -1;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
on_progress (WcFollowerSnapshot *snapshot,
             const char         *next_cursor,
             gpointer            user_data)
{
  guint *pages = user_data;

  (*pages)++;
}

int
main (int   argc,
      char *argv[])
{
  guint n_followers = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(WcMastodonServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcMastodon) mastodon = NULL;
  g_autoptr(WcHasher) hasher = NULL;
  g_autoptr(WcFollowerSnapshot) snapshot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *token = NULL;
  guint8 key[WC_HASHER_KEY_SIZE] = { 0 };
  gint64 rss_before, start;
  double seconds;
  double peak_mb;
  guint pages = 0;
  guint n = 0;
  gboolean ok = TRUE;

  /* Loopback only: no proxy resolver from the desktop. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  server = wc_mastodon_server_new ();
  g_free (wc_mastodon_server_add_user (server, "alice", NULL));
  wc_mastodon_server_add_followers (server, "alice", n_followers);
  /* Paging is not throttled here: the benchmark measures the client. */
  wc_mastodon_server_set_rate_limit (server, G_MAXUINT, 300);
  if (!wc_mastodon_server_start (server, 0, &error))
    g_error ("Cannot start the test server: %s", error->message);
  base = wc_mastodon_server_dup_base_url (server);
  token = wc_mastodon_server_create_token (server, "alice", WC_MASTODON_SCOPES);

  session = wc_mastodon_default_session ();
  account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_server (account, base);
  mastodon = wc_mastodon_new (account, session);
  wc_mastodon_set_access_token (mastodon, token);
  for (guint i = 0; i < sizeof key; i++)
    key[i] = i;
  hasher = wc_hasher_new (key, sizeof key);

  rss_before = read_status_kb ("VmRSS");
  start = g_get_monotonic_time ();
  wc_mastodon_fetch_followers_async (mastodon, hasher, NULL, NULL, on_progress, &pages, NULL,
                                     store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  snapshot = wc_mastodon_fetch_followers_finish (mastodon, result, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (snapshot == NULL)
    g_error ("Fetching the followers failed: %s", error->message);
  wc_follower_snapshot_get_followers (snapshot, &n);
  peak_mb = read_status_kb ("VmHWM") / 1024.0;

  g_print ("%u followers in %u pages (%s) in %.1f s (%.1f ms a page)\n",
           n, pages, wc_follower_snapshot_get_complete (snapshot) ? "complete" : "INCOMPLETE",
           seconds, pages > 0 ? seconds * 1000.0 / pages : 0.0);
  g_print ("Snapshot %.1f MB; VmRSS %.1f MB before, %.1f MB after; VmHWM %.1f MB\n",
           wc_follower_snapshot_get_memory_size (snapshot) / (1024.0 * 1024.0),
           rss_before / 1024.0, read_status_kb ("VmRSS") / 1024.0, peak_mb);

  if (n != n_followers || !wc_follower_snapshot_get_complete (snapshot))
    {
      g_print ("MISSED: expected %u followers, complete\n", n_followers);
      ok = FALSE;
    }
  if (seconds >= 60)
    {
      g_print ("MISSED: 60 s or more\n");
      ok = FALSE;
    }
  if (peak_mb >= 100)
    {
      g_print ("MISSED: 100 MB or more at peak\n");
      ok = FALSE;
    }

  g_clear_object (&mastodon);
  g_clear_object (&session);
  wc_mastodon_server_stop (server);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
