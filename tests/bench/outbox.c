/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The outbox with many entries (issue 6): N entries (10,000 by default)
 * spread over a month are stored, then listed the ways the Scheduled view
 * and the scheduler list them, and loaded into the scheduler's model.
 *
 *   outbox [N-ENTRIES]
 *
 * The Scheduled view must open in under 100 ms with 10,000 entries; the
 * listing is the store's part of that. Prints the figures; exits 1 when
 * listing every entry takes 100 ms or more. */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "wc-scheduler.h"
#include "wc-store-outbox.h"

#define START 1788000000

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whitecoat-bench-outbox-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "whitecoat.db", NULL);
  g_autoptr(WcStore) store = NULL;
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(WcClock) clock = wc_clock_new_fake (START);
  g_autoptr(WcScheduler) scheduler = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  double fill_ms, all_ms, day_ms, due_ms, model_ms, all_again_ms;
  gint64 start;

  if (dir == NULL)
    g_error ("No temporary folder: %s", error->message);
  store = wc_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  {
    /* The outbox is sealed: a key of the benchmark's own, not the keyring's. */
    g_autoptr(WcCryptoKey) key = wc_crypto_key_new_random (NULL);

    if (!wc_store_set_data_key (store, key, &error))
      g_error ("Cannot set a data key: %s", error->message);
  }
  wc_account_set_handle (account, "@anna@med.example");
  wc_account_set_server (account, "med.example");
  if (!wc_store_add_account (store, account, &error))
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  for (guint done = 0; done < n;)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < 500 && done < n; i++, done++)
        {
          g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
          g_autoptr(WcOutboxContent) content = NULL;
          g_autofree char *text = g_strdup_printf ("Scheduled post %u: a tip about hand hygiene, vaccination "
                                                   "and the flu season, with a link https://example.org/%u", done, done);

          wc_draft_set_text (draft, text);
          wc_draft_set_target (draft, wc_account_get_id (account), "public");
          content = wc_outbox_content_new_from_draft (draft, wc_account_get_id (account));
          g_ptr_array_add (batch, wc_outbox_entry_new (0, wc_account_get_id (account), WC_IDENTITY_PROFESSIONAL,
                                                       START + g_rand_int_range (rand, 0, 30 * 86400), content));
        }
      if (!wc_store_add_outbox_entries (store, batch, &error))
        g_error ("%s", error->message);
    }
  fill_ms = ms_since (start);

  start = g_get_monotonic_time ();
  all = wc_store_list_outbox_active (store, &error);
  all_ms = ms_since (start);
  g_clear_pointer (&all, g_ptr_array_unref);
  start = g_get_monotonic_time ();
  all = wc_store_list_outbox_active (store, &error);
  all_again_ms = ms_since (start);

  start = g_get_monotonic_time ();
  day = wc_store_list_outbox (store, START + 10 * 86400, START + 11 * 86400, &error);
  day_ms = ms_since (start);

  start = g_get_monotonic_time ();
  due = wc_store_list_outbox_due (store, START + 86400, &error);
  due_ms = ms_since (start);

  start = g_get_monotonic_time ();
  scheduler = wc_scheduler_new (store, clock);
  model_ms = ms_since (start);

  g_print ("outbox: %u entries stored in %.0f ms (batches of 500)\n", n, fill_ms);
  g_print ("list every entry (Scheduled view): %.1f ms first, %.1f ms again (%u entries)\n",
           all_ms, all_again_ms, all->len);
  g_print ("list one day (week view column): %.2f ms (%u entries)\n", day_ms, day->len);
  g_print ("list due at day 1 (scheduler): %.2f ms (%u entries)\n", due_ms, due->len);
  g_print ("scheduler model loaded: %.1f ms (%u items)\n", model_ms,
           g_list_model_get_n_items (wc_scheduler_get_entries (scheduler)));

  g_clear_object (&scheduler);
  wc_store_close (store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return all_ms < 100 ? EXIT_SUCCESS : EXIT_FAILURE;
}
