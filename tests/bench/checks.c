/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How long all the checks take on a 5,000-character draft.
 *
 *   checks [RUNS]
 *
 * Runs wc_checker_check_text() RUNS times (200 by default) on a draft in
 * English, Dutch, German and French that names a few dates, a phone number
 * and the other identity's markers, as a real draft might, with Mastodon
 * and Bluesky as targets, and prints the median and the longest run.
 * Target (issue 3): under 5 ms per run on one core. It also times what the
 * composer's character counters cost on the same text, and saving the
 * draft (which the draft editor does on the main loop every half second
 * while the user types) to a database in a temporary folder. */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "wc-checker.h"
#include "wc-limits.h"
#include "wc-store.h"
#include "wc-text.h"

#define TEXT_CHARS 5000

static const char * const paragraphs[] = {
  "Great discussion at grand rounds today about heart failure with preserved ejection fraction. "
  "The new guideline changes how we titrate diuretics; slides at https://example.org/hfpef. ",
  "Vandaag een mooie sessie over longembolie in de huisartsenpraktijk. Denk aan de Wells-score "
  "en vergeet de D-dimeer niet bij oudere patiënten. Congres op 12 september 2026 in Utrecht. ",
  "Heute auf der Station: viele Fragen zur Antikoagulation bei Vorhofflimmern. Die Leitlinie "
  "der ESC ist eindeutig, aber die Umsetzung im Alltag bleibt schwierig. Rückfragen gern an 030 1234567. ",
  "Belle journée au congrès de radiologie à Lyon. L'IRM cardiaque progresse vite, et les "
  "internes posent d'excellentes questions sur la dose et la sécurité des produits de contraste. ",
  "Ran the city marathon in 3:12:45 last Sunday; back in clinic on Monday with sore legs. "
  "Patient born 12-03-1957 asked about statins again, Dr. Anna Jansen answered. ",
};

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static char *
make_text (void)
{
  GString *text = g_string_new (NULL);
  guint n = 0;

  while (g_utf8_strlen (text->str, -1) < TEXT_CHARS)
    g_string_append (text, paragraphs[n++ % G_N_ELEMENTS (paragraphs)]);

  /* Exactly TEXT_CHARS characters. */
  g_string_truncate (text, g_utf8_offset_to_pointer (text->str, TEXT_CHARS) - text->str);
  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcChecker) checker = NULL;
  g_autoptr(WcIdentity) own = wc_identity_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcIdentity) other = wc_identity_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autofree char *text = make_text ();
  g_autofree double *times = NULL;
  const char * const other_texts[] = { "Grand rounds on Thursday: heart failure update", NULL };
  WcNetworkCatalog *catalog = wc_network_catalog_get_default ();
  WcCheckContext context = { 0 };
  guint runs = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 200;
  guint n_findings = 0;
  gint64 start;
  double load_ms, counters_ms;

  if (runs == 0)
    runs = 200;
  times = g_new0 (double, runs);

  start = g_get_monotonic_time ();
  checker = wc_checker_new (&error);
  if (checker == NULL)
    g_error ("Cannot load the checks: %s", error->message);
  load_ms = (g_get_monotonic_time () - start) / 1000.0;

  /* A personal draft that names the professional identity: the identity
   * checks have work to do too. */
  wc_identity_add_marker (other, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (other, WC_MARKER_ORGANISATION, "St. Example Hospital");
  wc_identity_add_marker (other, WC_MARKER_DOMAIN, "jansen-imaging.example");
  wc_identity_add_marker (own, WC_MARKER_NICKNAME, "annie_j");
  g_ptr_array_add (targets, wc_network_catalog_lookup (catalog, "mastodon"));
  g_ptr_array_add (targets, wc_network_catalog_lookup (catalog, "bluesky"));

  context.identity = WC_IDENTITY_PERSONAL;
  context.own = own;
  context.other = other;
  context.targets = targets;
  context.other_texts = other_texts;

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GPtrArray) findings = NULL;

      start = g_get_monotonic_time ();
      findings = wc_checker_check_text (checker, &context, text);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      n_findings = findings->len;
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    {
      gsize bytes = 0;

      wc_limits_mastodon_length (NULL, text, WC_MASTODON_CHARS_PER_URL);
      wc_limits_bluesky_length (text, &bytes);
    }
  counters_ms = (g_get_monotonic_time () - start) / 1000.0 / runs;

  qsort (times, runs, sizeof (double), compare_doubles);
  g_print ("checks on %d chars (%" G_GSIZE_FORMAT " bytes, %u findings): median %.2f ms, max %.2f ms per run (%u runs; target < 5 ms)\n",
           TEXT_CHARS, strlen (text), n_findings, times[runs / 2], times[runs - 1], runs);
  g_print ("loading the check definitions: %.2f ms; Mastodon + Bluesky counters on the same text: %.2f ms\n",
           load_ms, counters_ms);

  {
    g_autofree char *dir = g_dir_make_tmp ("whitecoat-checks-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "whitecoat.db", NULL);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autoptr(WcStore) store = wc_store_open (path, &error);
    g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
    guint n_saves = MIN (runs, 100);

    if (store == NULL)
      g_error ("Cannot open a store: %s", error->message);
    {
      /* Drafts are sealed: a key of the benchmark's own, not the keyring's. */
      g_autoptr(WcCryptoKey) key = wc_crypto_key_new_random (NULL);

      if (!wc_store_set_data_key (store, key, &error))
        g_error ("Cannot set a data key: %s", error->message);
    }
    for (guint i = 0; i < n_saves; i++)
      {
        /* As typing does: a little more text each time. */
        g_autofree char *head = g_strndup (text, strlen (text) - n_saves + i);

        wc_draft_set_text (draft, head);
        start = g_get_monotonic_time ();
        if (!wc_store_save_draft (store, draft, &error))
          g_error ("Cannot save: %s", error->message);
        times[i] = (g_get_monotonic_time () - start) / 1000.0;
      }
    qsort (times, n_saves, sizeof (double), compare_doubles);
    g_print ("saving the draft: median %.2f ms, max %.2f ms per save (%u saves)\n",
             times[n_saves / 2], times[n_saves - 1], n_saves);
    wc_store_close (store);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
