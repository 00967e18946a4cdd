/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The audience of a large account (issue 4): a synthetic snapshot of
 * 100,000 followers and 10,000 person tags is stored and loaded through the
 * store; then the audience is computed, the first time right after loading
 * and then again, and the memory the snapshot takes is measured.
 *
 *   audience [N-FOLLOWERS [N-TAGS]]
 *
 * Targets: the audience in under 30 ms, the first computation included;
 * under 50 MB for the snapshot. Prints the figures; exits 1 when a target
 * is missed. */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <glib/gstdio.h>
#include <malloc.h>
#include <stdlib.h>

#include "wc-audience.h"
#include "wc-store.h"

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

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  static const guint8 key[WC_HASHER_KEY_SIZE] = { 42 };
  guint n_followers = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint n_tags = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("whitecoat-bench-audience-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "whitecoat.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = NULL;
  g_autoptr(WcHasher) hasher = wc_hasher_new (key, sizeof key);
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PERSONAL, "mastodon");
  g_autoptr(WcAccountState) state = NULL;
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(WcFollowerSnapshot) loaded = NULL;
  gint64 start, rss_before_load, rss_after_load;
  double build_ms, hash_ms = 0, save_ms, load_ms, tags_ms, first_ms, later_ms = 0, later_max = 0;
  guint later_runs = 20;
  gsize snapshot_bytes;
  gboolean ok = TRUE;

  store = wc_store_open (path, &error);
  if (store == NULL)
    g_error ("Cannot open %s: %s", path, error->message);
  wc_account_set_handle (account, "@bench@med.example");
  wc_account_set_server (account, "https://med.example");
  if (!wc_store_add_account (store, account, &error))
    g_error ("Cannot add the account: %s", error->message);

  /* Seed: the followers with their hashes, and the tags. */
  {
    g_autoptr(WcFollowerSnapshot) snapshot = wc_follower_snapshot_new (wc_account_get_id (account),
                                                                       g_get_real_time () / G_USEC_PER_SEC - 7200);
    g_autoptr(WcAccountState) seed_state = wc_account_state_new (wc_account_get_id (account));
    guint every = n_tags > 0 ? MAX (n_followers / n_tags, 1) : G_MAXUINT;
    guint tagged = 0;

    start = g_get_monotonic_time ();
    for (guint i = 0; i < n_followers; i++)
      {
        g_autofree char *ref = g_strdup_printf ("follower%u@server%u.example", i, i % 997);
        g_autofree char *name = g_strdup_printf ("Follower Number %u", i);
        gint64 hash_start = g_get_monotonic_time ();
        g_autofree char *hash = wc_hasher_hash_handle (hasher, ref);

        hash_ms += ms_since (hash_start);
        wc_follower_snapshot_add (snapshot, ref, name, hash);
        if (i % every == 0 && tagged < n_tags)
          {
            if (!wc_store_set_person_tag (store, hash, tagged % WC_PERSON_N_TAGS, &error))
              g_error ("Cannot tag: %s", error->message);
            tagged++;
          }
      }
    build_ms = ms_since (start);
    wc_follower_snapshot_set_followers_count (snapshot, n_followers);

    start = g_get_monotonic_time ();
    if (!wc_store_save_follower_snapshot (store, snapshot, &error))
      g_error ("Cannot save the snapshot: %s", error->message);
    save_ms = ms_since (start);

    seed_state->locked = WC_TRISTATE_NO;
    seed_state->followers_count = n_followers;
    seed_state->default_visibility = g_strdup ("public");
    if (!wc_store_save_account_state (store, seed_state, &error))
      g_error ("Cannot save the state: %s", error->message);
  }

  /* Start from a fresh store, as after a restart. */
  g_clear_object (&store);
  malloc_trim (0);
  store = wc_store_open (path, &error);
  if (store == NULL)
    g_error ("Cannot reopen %s: %s", path, error->message);

  rss_before_load = read_status_kb ("VmRSS");
  start = g_get_monotonic_time ();
  loaded = wc_store_load_follower_snapshot (store, wc_account_get_id (account), &error);
  if (loaded == NULL)
    g_error ("Cannot load the snapshot: %s", error->message);
  load_ms = ms_since (start);
  rss_after_load = read_status_kb ("VmRSS");
  snapshot_bytes = wc_follower_snapshot_get_memory_size (loaded);

  start = g_get_monotonic_time ();
  tags = wc_store_load_person_tags (store, &error);
  if (tags == NULL)
    g_error ("Cannot load the tags: %s", error->message);
  tags_ms = ms_since (start);
  state = wc_store_load_account_state (store, wc_account_get_id (account), &error);
  if (state == NULL)
    g_error ("Cannot load the state: %s", error->message);

  start = g_get_monotonic_time ();
  {
    g_autoptr(WcAudience) audience = wc_audience_compute (state, loaded, tags, WC_IDENTITY_PERSONAL,
                                                          "mastodon", "private", NULL);
    first_ms = ms_since (start);
    g_print ("audience: %s\n", wc_audience_get_summary (audience));
  }

  for (guint i = 0; i < later_runs; i++)
    {
      const char *visibility = (const char *[]) { "public", "unlisted", "private", "direct" }[i % 4];
      g_autoptr(WcAudience) audience = NULL;
      double ms;

      start = g_get_monotonic_time ();
      audience = wc_audience_compute (state, loaded, tags, WC_IDENTITY_PERSONAL, "mastodon", visibility, NULL);
      ms = ms_since (start);
      later_ms += ms;
      later_max = MAX (later_max, ms);
    }
  later_ms /= later_runs;

  g_print ("followers: %u, tags: %u\n", n_followers, g_hash_table_size (tags));
  g_print ("build snapshot (incl. hashing %.1f ms): %.1f ms\n", hash_ms, build_ms);
  g_print ("save snapshot (one transaction): %.1f ms\n", save_ms);
  g_print ("load snapshot (one query): %.1f ms\n", load_ms);
  g_print ("load tags: %.1f ms\n", tags_ms);
  g_print ("first audience after loading: %.2f ms (target < 30 ms)\n", first_ms);
  g_print ("later audiences: %.2f ms on average, %.2f ms at most (%u runs)\n", later_ms, later_max, later_runs);
  g_print ("snapshot memory: %.1f MB counted, RSS %+.1f MB on loading (target < 50 MB)\n",
           snapshot_bytes / 1e6, (rss_after_load - rss_before_load) / 1024.0);
  g_print ("VmRSS %.1f MB, VmHWM %.1f MB at the end\n",
           read_status_kb ("VmRSS") / 1024.0, read_status_kb ("VmHWM") / 1024.0);

  if (first_ms >= 30 || later_max >= 30)
    {
      g_print ("MISSED: the audience took 30 ms or more\n");
      ok = FALSE;
    }
  if (snapshot_bytes >= 50 * 1000 * 1000 || (rss_after_load - rss_before_load) >= 50 * 1024)
    {
      g_print ("MISSED: the snapshot takes 50 MB or more\n");
      ok = FALSE;
    }

  g_clear_object (&store);
  remove_dir (dir);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
