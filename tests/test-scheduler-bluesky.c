/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Bluesky through the outbox, against the reference PDS (tests/servers/
 * bluesky; skipped without Node): Bluesky has no server-side scheduling,
 * so Whitecoat sends the post itself at its time, once; the record key
 * comes from the entry, so a retry after a dropped answer, or a restart
 * after dying while sending, finds the record instead of writing a second
 * post. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <png.h>

#include "wc-bluesky.h"
#include "wc-scheduler.h"
#include "wc-store-outbox.h"
#include "wc-test-bluesky.h"
#include "wc-test-key.h"

#define T0 1788000000  /* 2026-08-29 10:40 UTC, the scheduler's fake clock */

static WcTestBluesky *servers;
static char *skip_reason;
static gboolean tried_servers;
static guint account_counter;

typedef struct
{
  char                 *dir;
  char                 *path;
  WcStore              *store;
  WcClock              *clock;
  WcScheduler          *scheduler;
  WcAccount            *account;
  WcBluesky            *client;
  WcTestBlueskyAccount *who;
  GPtrArray            *sent;
  GPtrArray            *reminders;
} Fixture;

static gboolean
need_servers (void)
{
  if (!tried_servers)
    {
      tried_servers = TRUE;
      servers = wc_test_bluesky_start (&skip_reason);
    }
  if (servers == NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
on_signal_record (WcScheduler   *scheduler,
                  WcOutboxEntry *entry,
                  GPtrArray     *into)
{
  g_ptr_array_add (into, g_object_ref (entry));
}

static void
open_scheduler (Fixture *f)
{
  f->scheduler = wc_scheduler_new (f->store, f->clock);
  wc_scheduler_set_network (f->scheduler, wc_account_get_id (f->account), WC_NETWORK (f->client));
  g_signal_connect (f->scheduler, "entry-sent", G_CALLBACK (on_signal_record), f->sent);
  g_signal_connect (f->scheduler, "reminder", G_CALLBACK (on_signal_record), f->reminders);
}

/* A store with one Bluesky account, signed in with its app password, and
 * a scheduler (not started) on a fake clock. */
static void
setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcBlueskySession) session = NULL;
  g_autofree char *name = g_strdup_printf ("sched%u-%x", ++account_counter, g_random_int () & 0xffff);

  f->dir = g_dir_make_tmp ("whitecoat-scheduler-bluesky-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (f->store);

  f->who = wc_test_bluesky_create_account (servers, name);
  wc_bluesky_sign_in_async (servers->session, f->who->handle, f->who->app_password, servers->pds, servers->plc,
                            NULL, store_result, &result);
  session = wc_bluesky_sign_in_finish (await (&result), &error);
  g_assert_no_error (error);

  f->account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "bluesky");
  wc_account_set_handle (f->account, session->handle);
  wc_account_set_server (f->account, session->pds_url);
  wc_account_set_remote_id (f->account, session->did);
  g_assert_true (wc_store_add_account (f->store, f->account, &error));
  g_assert_no_error (error);
  f->client = wc_bluesky_new (f->account, servers->session);
  wc_bluesky_set_session (f->client, session);

  f->clock = wc_clock_new_fake (T0);
  f->sent = g_ptr_array_new_with_free_func (g_object_unref);
  f->reminders = g_ptr_array_new_with_free_func (g_object_unref);
  open_scheduler (f);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static void
teardown (Fixture *f)
{
  if (f->scheduler != NULL)
    {
      wc_scheduler_stop (f->scheduler);
      for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
        ;
      g_assert_finalize_object (f->scheduler);
    }
  g_clear_pointer (&f->sent, g_ptr_array_unref);
  g_clear_pointer (&f->reminders, g_ptr_array_unref);
  g_clear_object (&f->client);
  g_clear_object (&f->account);
  g_clear_object (&f->clock);
  g_clear_pointer (&f->who, wc_test_bluesky_account_free);
  wc_store_close (f->store);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
wait_idle (Fixture *f)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (wc_scheduler_is_busy (f->scheduler))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
pass_time (Fixture *f,
           gint64   seconds,
           gint64   step)
{
  gint64 end = wc_clock_get_now (f->clock) + seconds;

  while (wc_clock_get_now (f->clock) < end)
    {
      wc_clock_advance (f->clock, MIN (step, end - wc_clock_get_now (f->clock)));
      wait_idle (f);
    }
}

static guint
count_posts (Fixture *f)
{
  g_autofree char *query = g_strdup_printf ("repo=%s&collection=app.bsky.feed.post&limit=100", f->who->did);
  guint status;
  g_autoptr(JsonNode) answer = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.listRecords", query,
                                                     NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer), "records"));
}

static guint
count_publishes (Fixture *f)
{
  g_autoptr(GPtrArray) audit = wc_store_list_audit (f->store, NULL);
  guint n = 0;

  for (guint i = 0; audit != NULL && i < audit->len; i++)
    n += g_str_equal (((WcAuditEntry *) g_ptr_array_index (audit, i))->kind, "publish");
  return n;
}

static WcOutboxEntry *
schedule_draft (Fixture *f,
                WcDraft *draft,
                gint64   due_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  wc_draft_set_target (draft, wc_account_get_id (f->account), "public");
  g_assert_true (wc_store_save_draft (f->store, draft, &error));
  g_assert_no_error (error);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, due_at, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

static char *
entry_rkey (WcOutboxEntry *entry)
{
  return wc_bluesky_rkey_for_key (wc_outbox_entry_get_idempotency_key (entry),
                                  wc_outbox_entry_get_created_at (entry) * G_USEC_PER_SEC);
}

static void
write_png (const char *path)
{
  png_image image = { .version = PNG_IMAGE_VERSION, .width = 64, .height = 48, .format = PNG_FORMAT_RGB };
  guint8 pixels[64 * 48 * 3];

  for (gsize i = 0; i < sizeof pixels; i++)
    pixels[i] = (guint8) (i * 7);
  g_assert_true (png_image_write_to_file (&image, path, FALSE, pixels, 0, NULL));
}

/* Scheduled for ten minutes ahead: kept by Whitecoat (never handed to a
 * server), not sent a moment early, sent once at its time with the
 * content mapped to the post. */
static void
test_at_its_time (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autofree char *image = NULL;
  g_autofree char *rkey = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *record, *embed, *labels;
  guint status;

  if (!need_servers ())
    return;
  setup (f);
  wc_scheduler_start (f->scheduler);
  image = g_build_filename (f->dir, "scan.png", NULL);
  write_png (image);
  draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  wc_draft_set_text (draft, "Case discussion tonight #MedEd");
  wc_draft_set_content_warning (draft, "Medical image");
  {
    WcAttachment *attachment = wc_draft_add_attachment (draft, image);

    g_free (attachment->alt_text);
    attachment->alt_text = g_strdup ("A test pattern standing in for a scan");
  }
  entry = schedule_draft (f, draft, T0 + 600);
  wait_idle (f);

  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));
  pass_time (f, 590, 60);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (count_posts (f), ==, 0);
  g_assert_cmpuint (f->reminders->len, ==, 0);

  pass_time (f, 20, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpint (wc_outbox_entry_get_sent_at (entry), ==, T0 + 600);
  g_assert_cmpuint (count_posts (f), ==, 1);
  rkey = entry_rkey (entry);
  uri = g_strdup_printf ("at://%s/app.bsky.feed.post/%s", f->who->did, rkey);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (entry), ==, uri);
  g_assert_true (g_str_has_prefix (wc_outbox_entry_get_remote_url (entry), "https://bsky.app/profile/"));
  g_assert_true (g_str_has_suffix (wc_outbox_entry_get_remote_url (entry), rkey));
  g_test_message ("sent as %s", wc_outbox_entry_get_remote_id (entry));

  /* The record as the PDS keeps it. */
  query = g_strdup_printf ("repo=%s&collection=app.bsky.feed.post&rkey=%s", f->who->did, rkey);
  answer = wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.getRecord", query, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  record = json_object_get_object_member (json_node_get_object (answer), "value");
  g_assert_cmpstr (json_object_get_string_member (record, "text"), ==, "Case discussion tonight #MedEd");
  g_assert_true (json_object_has_member (record, "facets"));
  labels = json_object_get_object_member (record, "labels");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (labels, "values"), 0), "val"), ==, "graphic-media");
  embed = json_object_get_object_member (record, "embed");
  g_assert_cmpstr (json_object_get_string_member (embed, "$type"), ==, "app.bsky.embed.images");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (embed, "images"), 0), "alt"),
                   ==, "A test pattern standing in for a scan");

  /* Once. */
  pass_time (f, 3600, 300);
  g_assert_cmpuint (count_posts (f), ==, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (count_publishes (f), ==, 1);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  teardown (f);
}

static JsonNode *
get_record (Fixture    *f,
            const char *collection,
            const char *rkey,
            guint      *status)
{
  g_autofree char *query = g_strdup_printf ("repo=%s&collection=%s&rkey=%s", f->who->did, collection, rkey);

  return wc_test_bluesky_xrpc (servers, "GET", "com.atproto.repo.getRecord", query, NULL, NULL, status);
}

/* Who may reply and the language chosen in the draft reach the PDS: the
 * threadgate (same record key as the post) and the post's langs, read
 * back from the repository. Everyone writes no threadgate at all. */
static void
test_threadgate_and_langs (void)
{
  static const struct {
    WcReplyPolicy  policy;
    const char    *language;
    const char    *rule;      /* the one allow rule; NULL: empty allow list or no gate */
  } cases[] = {
    { WC_REPLY_POLICY_NOBODY,    "de", NULL },
    { WC_REPLY_POLICY_FOLLOWING, "fr", "app.bsky.feed.threadgate#followingRule" },
    { WC_REPLY_POLICY_MENTIONED, "",   "app.bsky.feed.threadgate#mentionRule" },
    { WC_REPLY_POLICY_EVERYONE,  "nl", NULL },
  };
  Fixture fixture = { 0 }, *f = &fixture;
  WcOutboxEntry *entries[G_N_ELEMENTS (cases)];

  if (!need_servers ())
    return;
  setup (f);
  wc_scheduler_start (f->scheduler);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
      g_autofree char *text = g_strdup_printf ("Reply rule %u", i);

      wc_draft_set_text (draft, text);
      wc_draft_set_reply_policy (draft, cases[i].policy);
      wc_draft_set_language (draft, cases[i].language);
      entries[i] = schedule_draft (f, draft, T0 + 60);
    }
  pass_time (f, 120, 30);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rkey = entry_rkey (entries[i]);
      g_autoptr(JsonNode) post = NULL;
      g_autoptr(JsonNode) gate = NULL;
      JsonObject *record;
      guint status = 0;

      g_test_message ("case %u: %s, \"%s\"", i, wc_reply_policy_to_string (cases[i].policy), cases[i].language);
      g_assert_cmpint (wc_outbox_entry_get_state (entries[i]), ==, WC_OUTBOX_STATE_SENT);

      post = get_record (f, "app.bsky.feed.post", rkey, &status);
      g_assert_cmpuint (status, ==, 200);
      record = json_object_get_object_member (json_node_get_object (post), "value");
      if (*cases[i].language != '\0')
        {
          JsonArray *langs = json_object_get_array_member (record, "langs");

          g_assert_cmpuint (json_array_get_length (langs), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (langs, 0), ==, cases[i].language);
        }
      else
        g_assert_false (json_object_has_member (record, "langs"));

      gate = get_record (f, "app.bsky.feed.threadgate", rkey, &status);
      if (cases[i].policy == WC_REPLY_POLICY_EVERYONE)
        {
          g_assert_cmpuint (status, !=, 200);
        }
      else
        {
          g_autofree char *post_uri = g_strdup_printf ("at://%s/app.bsky.feed.post/%s", f->who->did, rkey);
          JsonObject *value;
          JsonArray *allow;

          g_assert_cmpuint (status, ==, 200);
          value = json_object_get_object_member (json_node_get_object (gate), "value");
          g_assert_cmpstr (json_object_get_string_member (value, "post"), ==, post_uri);
          allow = json_object_get_array_member (value, "allow");
          if (cases[i].rule == NULL)
            g_assert_cmpuint (json_array_get_length (allow), ==, 0);
          else
            {
              g_assert_cmpuint (json_array_get_length (allow), ==, 1);
              g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (allow, 0), "$type"),
                               ==, cases[i].rule);
            }
        }
      g_object_unref (entries[i]);
    }
  g_assert_cmpuint (count_posts (f), ==, G_N_ELEMENTS (cases));
  teardown (f);
}

/* The PDS writes the post and the connection closes before the answer:
 * the retry, with the same record key, finds it; one post. */
static void
test_dropped_answer (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(WcOutboxEntry) entry = NULL;

  if (!need_servers ())
    return;
  setup (f);
  wc_scheduler_start (f->scheduler);
  draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  wc_draft_set_text (draft, "Exactly once through the outbox");
  wc_test_bluesky_control (servers, "/_test/drop-next?nsid=com.atproto.repo.applyWrites");
  entry = schedule_draft (f, draft, 0);
  wait_idle (f);
  g_test_message ("after the dropped answer: %s, %u attempt(s), reason %s",
                  wc_outbox_state_to_string (wc_outbox_entry_get_state (entry)), wc_outbox_entry_get_attempts (entry),
                  wc_outbox_entry_get_reason (entry) ? wc_outbox_entry_get_reason (entry) : "none");
  g_assert_cmpuint (count_posts (f), ==, 1);

  pass_time (f, 600, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_posts (f), ==, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (count_publishes (f), ==, 1);
  pass_time (f, 3600, 300);
  g_assert_cmpuint (count_posts (f), ==, 1);

  /* An earlier attempt wrote the post and its answer was lost for good
   * (the client's own look-up failed too), so the entry waits to be
   * retried: the retry, with the same record key, finds the post. */
  {
    g_autoptr(WcDraft) second = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
    g_autoptr(WcOutboxEntry) again = NULL;
    g_autoptr(GPtrArray) audit = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(WcBlueskyPosted) earlier = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *rkey = NULL;
    WcBlueskyPost post = { .text = "Exactly once, the scheduler retrying" };
    WcOutboxUpdate update = { .fields = WC_OUTBOX_FIELD_ATTEMPTS | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT,
                              .attempts = 1, .next_attempt_at = wc_clock_get_now (f->clock) + 60 };
    WcAuditEntry *last;

    wc_draft_set_text (second, "Exactly once, the scheduler retrying");
    wc_scheduler_stop (f->scheduler);
    again = schedule_draft (f, second, 0);
    g_assert_true (wc_store_update_outbox_entry (f->store, again, &update, &error));
    g_assert_no_error (error);
    rkey = entry_rkey (again);
    wc_bluesky_publish_async (f->client, &post, rkey, NULL, store_result, &result);
    earlier = wc_bluesky_publish_finish (f->client, await (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_posts (f), ==, 2);

    wc_scheduler_start (f->scheduler);
    wait_idle (f);
    g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SCHEDULED);
    pass_time (f, 600, 10);
    g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SENT);
    g_assert_cmpuint (wc_outbox_entry_get_attempts (again), ==, 2);
    g_assert_cmpstr (wc_outbox_entry_get_remote_id (again), ==, earlier->uri);
    g_assert_cmpuint (count_posts (f), ==, 2);
    g_assert_cmpuint (count_publishes (f), ==, 2);
    audit = wc_store_list_audit (f->store, NULL);
    last = g_ptr_array_index (audit, audit->len - 1);
    g_test_message ("audit: %s", last->summary);
    g_assert_nonnull (strstr (last->summary, "found after a lost answer"));
  }
  teardown (f);
}

/* Whitecoat died while sending (the entry stays "sending"): on start it
 * looks the record up by its key before anything else. Written: sent,
 * nothing new. Not written: sent then, once. */
static void
test_reconcile_after_crash (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(WcDraft) draft = NULL;
  g_autoptr(WcDraft) other = NULL;
  g_autoptr(WcOutboxEntry) written = NULL;
  g_autoptr(WcOutboxEntry) unwritten = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(WcBlueskyPosted) posted = NULL;
  g_autofree char *rkey = NULL;
  WcBlueskyPost post = { .text = "Written before the crash" };
  WcOutboxUpdate update = { .fields = WC_OUTBOX_FIELD_ATTEMPTS | WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT,
                            .attempts = 1, .next_attempt_at = T0 };
  gint64 written_id, unwritten_id;
  WcOutboxEntry *entry;

  if (!need_servers ())
    return;
  setup (f);
  draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  wc_draft_set_text (draft, "Written before the crash");
  written = schedule_draft (f, draft, 0);
  other = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  wc_draft_set_text (other, "Not written before the crash");
  unwritten = schedule_draft (f, other, 0);
  written_id = wc_outbox_entry_get_id (written);
  unwritten_id = wc_outbox_entry_get_id (unwritten);

  /* What the run that died did: both "sending", one written. */
  g_assert_true (wc_store_move_outbox_entry (f->store, written, WC_OUTBOX_STATE_SENDING, &update, &error));
  g_assert_no_error (error);
  g_assert_true (wc_store_move_outbox_entry (f->store, unwritten, WC_OUTBOX_STATE_SENDING, &update, &error));
  g_assert_no_error (error);
  rkey = entry_rkey (written);
  wc_bluesky_publish_async (f->client, &post, rkey, NULL, store_result, &result);
  posted = wc_bluesky_publish_finish (f->client, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_posts (f), ==, 1);
  g_clear_object (&written);
  g_clear_object (&unwritten);
  g_assert_finalize_object (g_steal_pointer (&f->scheduler));

  open_scheduler (f);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  entry = wc_scheduler_lookup (f->scheduler, written_id);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (entry), ==, posted->uri);
  entry = wc_scheduler_lookup (f->scheduler, unwritten_id);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_posts (f), ==, 2);
  pass_time (f, 3600, 300);
  g_assert_cmpuint (count_posts (f), ==, 2);
  g_assert_cmpuint (f->sent->len, ==, 2);
  teardown (f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scheduler-bluesky/at-its-time", test_at_its_time);
  g_test_add_func ("/scheduler-bluesky/threadgate-and-langs", test_threadgate_and_langs);
  g_test_add_func ("/scheduler-bluesky/dropped-answer", test_dropped_answer);
  g_test_add_func ("/scheduler-bluesky/reconcile-after-crash", test_reconcile_after_crash);
  status = g_test_run ();
  if (servers != NULL)
    wc_test_bluesky_stop (servers);
  g_free (skip_reason);
  return status;
}
