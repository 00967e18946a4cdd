/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wc-test-scheduler.h"

/* 1,000 posts over a simulated day (the fake clock moves in steps of 30
 * seconds; the server follows it), with random faults on the server:
 * 429, 500, 503, timeouts and answers dropped after the post was stored.
 * Each post must appear exactly once, none may be lost, none may appear
 * before its time. The test is bounded by the number of steps, not by
 * wall-clock waiting; the client's timeout is 1 second. */

#define N_POSTS   1000
#define DAY       (24 * 3600)
#define STEP      30

static void
add_random_fault (Fixture *f,
                  GRand   *rand,
                  guint    counts[5])
{
  static const WcMastodonFault faults[] = {
    WC_MASTODON_FAULT_STATUS_429, WC_MASTODON_FAULT_STATUS_500, WC_MASTODON_FAULT_STATUS_503,
    WC_MASTODON_FAULT_TIMEOUT, WC_MASTODON_FAULT_DROP_AFTER_STORE,
  };
  guint which = g_rand_int_range (rand, 0, G_N_ELEMENTS (faults));
  /* Timeouts cost a second of real time each: fewer of them. */
  if (faults[which] == WC_MASTODON_FAULT_TIMEOUT && g_rand_int_range (rand, 0, 4) != 0)
    which = 0;
  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", faults[which], 1,
                                     faults[which] == WC_MASTODON_FAULT_STATUS_429 ? 5 : 0);
  counts[which]++;
}

static void
test_soak (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) due_by_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonArray) statuses = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint32 seed = g_test_rand_int ();
  guint fault_counts[5] = { 0 };
  guint n_faults = 0, duplicates = 0, early = 0, lost = 0, server_side = 0, sent = 0, held = 0, failed = 0;
  guint max_attempts = 0;
  guint posts_at_last_step = 0;
  gint64 started = g_get_monotonic_time ();

  fixture_setup_common (f, 1);
  rand = g_rand_new_with_seed (seed);
  g_test_message ("Seed %u", seed);

  for (guint i = 0; i < N_POSTS; i++)
    {
      g_autofree char *text = g_strdup_printf ("Soak post %u: %08x", i, g_rand_int (rand));
      gint64 due = T0 + g_rand_int_range (rand, 0, DAY);
      g_autoptr(WcDraft) draft = make_draft (f, text);
      g_autoptr(GPtrArray) made = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, due, &error));
      g_assert_no_error (error);
      made = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
      g_ptr_array_add (entries, g_object_ref (g_ptr_array_index (made, 0)));
      g_hash_table_insert (due_by_text, g_steal_pointer (&text), GINT_TO_POINTER ((gint) (due - T0)));
    }
  g_assert_cmpuint (wc_store_count_outbox (f->store), ==, N_POSTS);

  wc_scheduler_start (f->scheduler);
  wait_idle (f);

  /* The day, plus an hour for the last retries. */
  while (wc_clock_get_now (f->clock) < T0 + DAY + 3600)
    {
      gint64 next = wc_clock_get_now (f->clock) + STEP;

      /* About one POST in three meets a fault. A fault waits for the next
       * POST, so one is added only after POSTs were made (one chance in
       * three for each, up to three), never piling up in quiet hours. */
      guint posts = wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses");
      guint made = MIN (posts - posts_at_last_step, 3);

      posts_at_last_step = posts;
      if (made > 0 && wc_clock_get_now (f->clock) < T0 + DAY
          && (guint) g_rand_int_range (rand, 0, 300) < 100 * made)
        {
          add_random_fault (f, rand, fault_counts);
          n_faults++;
        }
      wc_mastodon_server_set_now (f->server, next);
      wc_clock_advance (f->clock, STEP);
      wait_idle (f);
    }
  wc_mastodon_server_clear_faults (f->server);
  pass_time (f, 3600, STEP);

  /* What the server has: each text once, never before its time. */
  statuses = wc_mastodon_server_dup_statuses (f->server, "alice");
  for (guint i = 0; i < json_array_get_length (statuses); i++)
    {
      JsonObject *status = json_array_get_object_element (statuses, i);
      const char *text = json_object_get_string_member (status, "text");
      g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (status, "created_at"), NULL);
      gpointer due;

      g_assert_true (g_hash_table_lookup_extended (due_by_text, text, NULL, &due));
      if (g_hash_table_contains (seen, text))
        duplicates++;
      g_hash_table_add (seen, (gpointer) text);
      if (g_date_time_to_unix (created) < T0 + GPOINTER_TO_INT (due))
        early++;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);

      switch (wc_outbox_entry_get_state (entry))
        {
        case WC_OUTBOX_STATE_SENT:
          sent++;
          if (wc_outbox_entry_get_remote_url (entry) == NULL)
            lost++;
          break;
        case WC_OUTBOX_STATE_HELD:
          held++;
          g_print ("# held: due +%" G_GINT64_FORMAT " s, %u attempts, key %s: %s\n",
                   wc_outbox_entry_get_due_at (entry) - T0, wc_outbox_entry_get_attempts (entry),
                   wc_outbox_entry_get_idempotency_key (entry), wc_outbox_entry_get_reason (entry));
          break;
        case WC_OUTBOX_STATE_FAILED:
          failed++;
          break;
        default:
          lost++;
          break;
        }
      if (!g_hash_table_contains (seen, wc_outbox_entry_get_content (entry)->text))
        lost++;
      max_attempts = MAX (max_attempts, wc_outbox_entry_get_attempts (entry));
    }
  server_side = wc_mastodon_server_count_requests (f->server, "PUT", "/api/v1/scheduled_statuses/");

  g_print ("# soak: %u posts over a simulated day, seed %u, %.1f s\n", N_POSTS, seed,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_print ("# faults injected: %u (429: %u, 500: %u, 503: %u, timeout: %u, dropped after store: %u)\n",
           n_faults, fault_counts[0], fault_counts[1], fault_counts[2], fault_counts[3], fault_counts[4]);
  g_print ("# on the server: %u statuses, %u distinct, %u duplicates, %u before their time\n",
           json_array_get_length (statuses), g_hash_table_size (seen), duplicates, early);
  g_print ("# outbox: %u sent, %u held, %u failed, %u lost; POST requests %u, most attempts %u, PUT %u\n",
           sent, held, failed, lost,
           wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), max_attempts, server_side);

  g_assert_cmpuint (duplicates, ==, 0);
  g_assert_cmpuint (early, ==, 0);
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (held, ==, 0);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (sent, ==, N_POSTS);
  g_assert_cmpuint (json_array_get_length (statuses), ==, N_POSTS);
  g_assert_cmpuint (n_faults, >, 100);

  fixture_teardown (f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scheduler/soak", test_soak);
  return g_test_run ();
}
