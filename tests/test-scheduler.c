/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "wc-test-scheduler.h"

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_common (f, 5);
  wc_scheduler_start (f->scheduler);
}

static JsonObject *
status_at (Fixture *f,
           guint    index)
{
  g_autoptr(JsonArray) statuses = wc_mastodon_server_dup_statuses (f->server, "alice");

  g_assert_cmpuint (index, <, json_array_get_length (statuses));
  return json_object_ref (json_array_get_object_element (statuses, index));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
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

static void
test_post_now (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Wash your hands", 0);
  g_autoptr(JsonObject) status = NULL;

  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  status = status_at (f, 0);
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, wc_outbox_entry_get_remote_id (entry));
  g_assert_cmpstr (json_object_get_string_member (status, "url"), ==, wc_outbox_entry_get_remote_url (entry));
  g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, "public");
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->sent, 0) == entry);
  g_assert_cmpint (wc_outbox_entry_get_sent_at (entry), ==, T0);
  g_assert_cmpuint (count_publishes (f), ==, 1);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  /* The model holds the same object. */
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (f->scheduler)), ==, 1);
  {
    g_autoptr(WcOutboxEntry) item = g_list_model_get_item (wc_scheduler_get_entries (f->scheduler), 0);

    g_assert_true (item == entry);
  }
  /* Nothing more happens later. */
  pass_time (f, 3600, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* The draft's language reaches Mastodon as the status's language; a draft
 * that says none sends none (the server then guesses, as it would for any
 * client). Who may reply has no Mastodon equivalent and changes nothing. */
static void
test_language (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WcDraft) with = make_draft (f, "Händewaschen rettet Leben");
  g_autoptr(WcDraft) without = make_draft (f, "Wash your hands");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint with_language = 0;

  wc_draft_set_language (with, "de");
  wc_draft_set_reply_policy (with, WC_REPLY_POLICY_NOBODY);
  wc_draft_set_language (without, "");
  g_assert_true (wc_store_save_draft (f->store, with, &error));
  g_assert_true (wc_store_save_draft (f->store, without, &error));
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, with, 0, &error));
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, without, 0, &error));
  g_assert_no_error (error);
  wait_idle (f);

  g_assert_cmpuint (server_statuses (f), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) status = status_at (f, i);
      const char *text = json_object_get_string_member (status, "content");

      if (strstr (text, "Händewaschen") != NULL)
        {
          g_assert_cmpstr (json_object_get_string_member (status, "language"), ==, "de");
          with_language++;
        }
      else
        g_assert_true (json_object_get_null_member (status, "language"));
    }
  g_assert_cmpuint (with_language, ==, 1);
}

static void
test_server_scheduled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Grand rounds at noon", T0 + 3600);
  g_autoptr(JsonArray) scheduled = NULL;
  JsonObject *params;

  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (scheduled), ==, 1);
  params = json_object_get_object_member (json_array_get_object_element (scheduled, 0), "params");
  g_assert_cmpstr (json_object_get_string_member (params, "text"), ==, "Grand rounds at noon");
  g_assert_true (json_node_is_null (json_object_get_member (params, "idempotency")));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scheduled, 0), "idempotency_key"),
                   ==, wc_outbox_entry_get_idempotency_key (entry));
  g_assert_cmpuint (server_statuses (f), ==, 0);

  /* Whitecoat does not post it itself: the server does, at its time. */
  pass_time (f, 3590, 600);
  g_assert_cmpuint (server_statuses (f), ==, 0);
  pass_time (f, 200, 20);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_nonnull (wc_outbox_entry_get_remote_url (entry));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (count_publishes (f), ==, 1);
}

static void
test_reschedule (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Journal club moved", T0 + 3600);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) scheduled = NULL;
  g_autoptr(GDateTime) when = NULL;
  const char *remote_id;

  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  remote_id = wc_outbox_entry_get_remote_id (entry);

  /* Two hours later: moved on the server with PUT, same id. */
  g_assert_true (wc_scheduler_reschedule (f->scheduler, entry, T0 + 7200, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpint (wc_outbox_entry_get_due_at (entry), ==, T0 + 7200);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (entry), ==, remote_id);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "PUT", "/api/v1/scheduled_statuses/"), ==, 1);
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  when = g_date_time_new_from_iso8601 (json_object_get_string_member (json_array_get_object_element (scheduled, 0), "scheduled_at"), NULL);
  g_assert_cmpint (g_date_time_to_unix (when), ==, T0 + 7200);

  /* Two minutes ahead is too close for the server: withdrawn, sent from here. */
  g_assert_true (wc_scheduler_reschedule (f->scheduler, entry, T0 + 120, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (server_scheduled (f), ==, 0);
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));
  pass_time (f, 100, 50);
  g_assert_cmpuint (server_statuses (f), ==, 0);
  pass_time (f, 40, 10);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  {
    g_autoptr(JsonObject) status = status_at (f, 0);
    g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (status, "created_at"), NULL);

    g_assert_cmpint (g_date_time_to_unix (created), >=, T0 + 120);
  }
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* "Post now" on an entry the server holds: withdrawn there, sent from here,
 * once. has-local-work follows. */
static void
test_post_now_from_server (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Now rather than later", T0 + 7200);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (f->scheduler, "notify::has-local-work", G_CALLBACK (on_notify_count), &notified);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  g_assert_cmpuint (notified, ==, 1);

  g_assert_true (wc_scheduler_post_now (f->scheduler, entry, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_scheduled (f), ==, 0);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  pass_time (f, 7300, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

static void
test_content_change (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Version one");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonArray) scheduled = NULL;
  WcOutboxEntry *entry;
  g_autofree char *old_id = NULL;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 3600, &error));
  wait_idle (f);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  old_id = g_strdup (wc_outbox_entry_get_remote_id (entry));

  /* The draft is edited: the entry keeps its content until asked. */
  wc_draft_set_text (draft, "Version two");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Version one");

  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Version two");
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (entry), !=, old_id);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "DELETE", "/api/v1/scheduled_statuses/"), ==, 1);
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (scheduled), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (scheduled, 0), "params"), "text"),
                   ==, "Version two");

  pass_time (f, 3700, 100);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) remote = schedule (f, "On the server", T0 + 3600);
  g_autoptr(WcOutboxEntry) local = schedule (f, "Here", T0 + 120);
  g_autoptr(GError) error = NULL;

  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (remote), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpint (wc_outbox_entry_get_state (local), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (f->scheduler)), ==, 2);

  g_assert_true (wc_scheduler_cancel (f->scheduler, remote, &error));
  g_assert_true (wc_scheduler_cancel (f->scheduler, local, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (remote), ==, WC_OUTBOX_STATE_CANCELLED);
  g_assert_cmpint (wc_outbox_entry_get_state (local), ==, WC_OUTBOX_STATE_CANCELLED);
  g_assert_cmpuint (server_scheduled (f), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (f->scheduler)), ==, 0);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));

  /* Undo: back, and the remote one is scheduled on the server again. */
  g_assert_true (wc_scheduler_uncancel (f->scheduler, local, &error));
  g_assert_true (wc_scheduler_uncancel (f->scheduler, remote, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (local), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpint (wc_outbox_entry_get_state (remote), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpuint (server_scheduled (f), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (wc_scheduler_get_entries (f->scheduler)), ==, 2);

  /* Cancelled for good: nothing is ever posted. */
  g_assert_true (wc_scheduler_cancel (f->scheduler, local, &error));
  g_assert_true (wc_scheduler_cancel (f->scheduler, remote, &error));
  wait_idle (f);
  pass_time (f, 7200, 300);
  g_assert_cmpuint (server_statuses (f), ==, 0);
  g_assert_cmpuint (f->sent->len, ==, 0);
}

/* 26 posts on one day: the server keeps 25; the 26th says so and is sent
 * by Whitecoat itself at its time. */
static void
test_server_limits (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  guint on_server = 0, here = 0;
  WcOutboxEntry *kept_here = NULL;

  for (guint i = 0; i < 26; i++)
    {
      g_autofree char *text = g_strdup_printf ("Tip %u of the day", i);

      g_ptr_array_add (entries, schedule (f, text, T0 + 3600 + i * 60));
    }
  wait_idle (f);
  for (guint i = 0; i < entries->len; i++)
    {
      WcOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SERVER_SCHEDULED)
        on_server++;
      else if (wc_outbox_entry_get_state (entry) == WC_OUTBOX_STATE_SCHEDULED)
        {
          here++;
          kept_here = entry;
        }
    }
  g_assert_cmpuint (on_server, ==, 25);
  g_assert_cmpuint (here, ==, 1);
  g_assert_nonnull (strstr (wc_outbox_entry_get_reason (kept_here), "25"));
  g_assert_nonnull (strstr (wc_outbox_entry_get_reason (kept_here), "day"));
  g_test_message ("The 26th: %s", wc_outbox_entry_get_reason (kept_here));
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));

  pass_time (f, 3600 + 26 * 60 + 120, 60);
  g_assert_cmpuint (server_statuses (f), ==, 26);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (wc_outbox_entry_get_state (g_ptr_array_index (entries, i)), ==, WC_OUTBOX_STATE_SENT);
}

static void
test_transient_retry (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = NULL;
  gint64 first_wait, second_wait;

  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_STATUS_503, 1);
  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_STATUS_429, 1, 120);
  entry = schedule (f, "Retry me", 0);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), ==, 1);
  g_assert_nonnull (wc_outbox_entry_get_reason (entry));
  first_wait = wc_outbox_entry_get_next_attempt_at (entry) - T0;
  g_assert_cmpint (first_wait, >=, 15);
  g_assert_cmpint (first_wait, <=, 30);
  g_assert_cmpuint (server_statuses (f), ==, 0);

  /* Not before its retry time. */
  pass_time (f, first_wait - 1, first_wait);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), ==, 1);
  pass_time (f, 1, 1);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), ==, 2);
  /* The 429 asked for 120 seconds: honoured over the backoff. */
  second_wait = wc_outbox_entry_get_next_attempt_at (entry) - wc_clock_get_now (f->clock);
  g_assert_cmpint (second_wait, >=, 120);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);

  pass_time (f, second_wait + 5, 5);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), ==, 3);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

/* Will not work: failed with the reason, the draft as it was. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "This text is far too long for a server that takes ten");
  g_autoptr(WcDraft) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WcOutboxEntry *entry;

  wc_mastodon_server_set_max_characters (f->server, 10);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, 0, &error));
  wait_idle (f);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);
  g_assert_nonnull (wc_outbox_entry_get_reason (entry));
  g_test_message ("Reason: %s", wc_outbox_entry_get_reason (entry));
  g_assert_cmpuint (f->failed->len, ==, 1);
  g_assert_cmpuint (server_statuses (f), ==, 0);
  again = wc_store_load_draft (f->store, wc_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_draft_get_text (again), ==, "This text is far too long for a server that takes ten");

  /* No retry by itself. */
  pass_time (f, 3600, 600);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), ==, 1);

  /* The user's retry, once the server takes more. */
  wc_mastodon_server_set_max_characters (f->server, 500);
  g_assert_true (wc_scheduler_retry (f->scheduler, entry, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* A short suspend: posted right after the resume. A long one (more than
 * hold-after): held, not posted late. */
static void
test_suspend_and_hold (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) soon = schedule (f, "Soon", T0 + 120);
  g_autoptr(WcOutboxEntry) later = NULL;
  g_autoptr(GError) error = NULL;

  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (soon), ==, WC_OUTBOX_STATE_SCHEDULED);
  /* Suspended for ten minutes. */
  wc_mastodon_server_set_now (f->server, T0 + 600);
  wc_clock_jump (f->clock, T0 + 600);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (soon), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpint (wc_outbox_entry_get_sent_at (soon), ==, T0 + 600);

  later = schedule (f, "Later", T0 + 700);
  wait_idle (f);
  /* Suspended for two hours. */
  wc_mastodon_server_set_now (f->server, T0 + 600 + 7200);
  wc_clock_jump (f->clock, T0 + 600 + 7200);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (later), ==, WC_OUTBOX_STATE_HELD);
  g_assert_cmpuint (f->held->len, ==, 1);
  g_assert_nonnull (wc_outbox_entry_get_reason (later));
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));

  /* The user posts it now. */
  g_assert_true (wc_scheduler_post_now (f->scheduler, later, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (later), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 2);
}

/* Overdue after failed attempts: before holding it, the scheduler looks
 * whether a lost answer hid a post that was made. */
static void
test_check_before_hold (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) stored = NULL;
  g_autoptr(WcOutboxEntry) never = NULL;

  wc_scheduler_set_hold_after (f->scheduler, 120);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DROP_AFTER_STORE, 1);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_STATUS_503, 1000);
  stored = schedule (f, "Stored, answer lost", 0);
  wait_idle (f);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (stored), ==, WC_OUTBOX_STATE_SCHEDULED);
  pass_time (f, 600, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (stored), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpuint (f->held->len, ==, 0);

  never = schedule (f, "Never reached", 0);
  pass_time (f, 600, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (never), ==, WC_OUTBOX_STATE_HELD);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (never), >, 1);
  g_assert_nonnull (strstr (wc_outbox_entry_get_reason (never), "could not be reached"));
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

static void
on_posted_direct (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Another client posts: statuses Whitecoat did not make. */
static void
post_direct (Fixture    *f,
             const char *text)
{
  GAsyncResult *result = NULL;
  g_autoptr(WcMastodonPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uuid_string_random ();
  WcMastodonPost post = { 0 };

  post.text = text;
  post.visibility = "public";
  wc_mastodon_post_status_async (f->mastodon, &post, key, NULL, on_posted_direct, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  posted = wc_mastodon_post_status_finish (f->mastodon, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
}

/* An answer lost, then the server unreachable for longer than it keeps
 * idempotency keys (an hour), meanwhile 60 other posts: before sending
 * again, the scheduler pages back through the account's statuses, finds
 * the post, and does not post it twice. */
static void
test_key_expired_lookup (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autofree char *statuses_path = g_strdup_printf ("/api/v1/accounts/%s/statuses", f->alice_id);

  wc_scheduler_set_hold_after (f->scheduler, 3 * 3600);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DROP_AFTER_STORE, 1);
  entry = schedule (f, "Lost answer, long outage", 0);
  wait_idle (f);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);

  /* Others post 60 times; then the server fails every post for long. */
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = g_strdup_printf ("Someone else's post %u", i);

      post_direct (f, text);
    }
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_STATUS_503, 1000);
  pass_time (f, 45 * 60, 60);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SCHEDULED);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (entry), >, 5);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", statuses_path), ==, 0);

  /* Near the end of the server's hour: looked up, found two pages back. */
  pass_time (f, 30 * 60, 60);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", statuses_path), >=, 2);
  g_assert_cmpuint (server_statuses (f), ==, 61);
  {
    g_autoptr(JsonObject) first = status_at (f, 0);

    g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "Lost answer, long outage");
    g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, wc_outbox_entry_get_remote_id (entry));
  }
  wc_mastodon_server_clear_faults (f->server);
  pass_time (f, 3600, 300);
  g_assert_cmpuint (server_statuses (f), ==, 61);
}

/* The clock set back: a post is not sent before its (wall-clock) time. */
static void
test_clock_set_back (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Not early", T0 + 200);

  wait_idle (f);
  wc_mastodon_server_set_now (f->server, T0 - 3600);
  wc_clock_jump (f->clock, T0 - 3600);
  wait_idle (f);
  /* An hour ahead again: handed to the server to schedule. */
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  pass_time (f, 3600 + 150, 60);
  g_assert_cmpuint (server_statuses (f), ==, 0);
  pass_time (f, 150, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  {
    g_autoptr(JsonObject) status = status_at (f, 0);
    g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (status, "created_at"), NULL);

    g_assert_cmpint (g_date_time_to_unix (created), >=, T0 + 200);
  }
}

static void
test_manual_reminder (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WcAccount) facebook = wc_account_new (WC_IDENTITY_PROFESSIONAL, "facebook");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WcOutboxEntry *entry;

  wc_account_set_handle (facebook, "anna.jansen.md");
  g_assert_true (wc_store_add_account (f->store, facebook, &error));
  g_assert_no_error (error);
  wc_draft_set_text (draft, "By hand");
  wc_draft_set_target (draft, wc_account_get_id (facebook), "public");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 3600, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  wait_idle (f);
  g_assert_true (wc_scheduler_get_has_local_work (f->scheduler));
  pass_time (f, 3500, 500);
  g_assert_cmpuint (f->reminders->len, ==, 0);
  pass_time (f, 200, 50);
  g_assert_cmpuint (f->reminders->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->reminders, 0) == entry);
  /* Once. */
  pass_time (f, 600, 60);
  g_assert_cmpuint (f->reminders->len, ==, 1);

  /* Snoozed: again in ten minutes. */
  g_assert_true (wc_scheduler_snooze (f->scheduler, entry, 600, &error));
  g_assert_no_error (error);
  pass_time (f, 540, 60);
  g_assert_cmpuint (f->reminders->len, ==, 1);
  pass_time (f, 120, 60);
  g_assert_cmpuint (f->reminders->len, ==, 2);

  g_assert_true (wc_scheduler_mark_done (f->scheduler, entry, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_publishes (f), ==, 1);
  g_assert_false (wc_scheduler_get_has_local_work (f->scheduler));
  /* A Mastodon entry cannot be marked done by hand. */
  {
    g_autoptr(WcOutboxEntry) other = schedule (f, "API", T0 + 99999);

    g_assert_false (wc_scheduler_mark_done (f->scheduler, other, &error));
    g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
  }
}

/* --- Crash recovery ---------------------------------------------------- */

static char *
db_state (const char *path,
          gint64      id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *state = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT state FROM outbox WHERE id = %" G_GINT64_FORMAT, id);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_busy_timeout (db, 1000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return state;
}

static const char *self_path;

/* The child: a scheduler on the same database, killed while it sends. */
static int
run_child (char **argv)
{
  const char *path = argv[2];
  const char *base = argv[3];
  const char *token = argv[4];
  gint64 account_id = g_ascii_strtoll (argv[5], NULL, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (path, &error);
  g_autoptr(WcAccount) account = NULL;
  g_autoptr(WcClock) clock = wc_clock_new_fake (T0);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(WcMastodon) mastodon = NULL;
  g_autoptr(WcScheduler) scheduler = NULL;

  g_assert_no_error (error);
  wc_test_store_unlock (store);
  account = wc_store_get_account (store, account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_account_get_server (account), ==, base);
  mastodon = wc_mastodon_new (account, session);
  wc_mastodon_set_access_token (mastodon, token);
  scheduler = wc_scheduler_new (store, clock);
  wc_scheduler_set_network (scheduler, account_id, WC_NETWORK (mastodon));
  wc_scheduler_start (scheduler);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static void
crash_while_sending (Fixture         *f,
                     WcMastodonFault  fault,
                     gboolean         stored_before_kill)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Survives a crash");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, wc_account_get_id (f->account));
  const char *argv[] = { self_path, "--child", f->path, f->base, f->token, account_id, NULL };
  GPid pid;
  gint64 entry_id;
  gint64 deadline;
  int status;
  WcOutboxEntry *entry;

  /* The parent's scheduler does not run: the child sends. */
  wc_scheduler_stop (f->scheduler);
  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", fault, 1, 1500);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, 0, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry_id = wc_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  g_clear_object (&f->scheduler);

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  /* Until the child is in the middle of it: "sending", request made. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *state = db_state (f->path, entry_id);

      if (g_strcmp0 (state, "sending") == 0
          && wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses") >= 1)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);

  if (stored_before_kill)
    {
      /* The delayed request takes effect on the server after all. */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (server_statuses (f) == 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (20000);
        }
    }
  else
    g_assert_cmpuint (server_statuses (f), ==, 0);
  {
    g_autofree char *state = db_state (f->path, entry_id);

    g_assert_cmpstr (state, ==, "sending");
  }

  /* Restarted: reconciled before any retry, no duplicate. */
  wc_mastodon_server_clear_faults (f->server);
  fixture_open_scheduler (f);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  entry = wc_scheduler_lookup (f->scheduler, entry_id);
  g_assert_nonnull (entry);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  {
    g_autoptr(JsonObject) posted = status_at (f, 0);

    g_assert_cmpstr (json_object_get_string_member (posted, "id"), ==, wc_outbox_entry_get_remote_id (entry));
  }
  /* When the post was made, only the lookup was needed: no second POST. */
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"),
                    ==, stored_before_kill ? 1 : 2);
  pass_time (f, 3600, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

static void
test_crash_after_store (Fixture       *f,
                        gconstpointer  data)
{
  crash_while_sending (f, WC_MASTODON_FAULT_DELAY, TRUE);
}

static void
test_crash_before_store (Fixture       *f,
                         gconstpointer  data)
{
  crash_while_sending (f, WC_MASTODON_FAULT_TIMEOUT, FALSE);
}

/* --- Review fixes (F1) ------------------------------------------------- */

/* Real Mastodon HTML (TextFormatter): a hashtag, a mention of another
 * server's account (shown without its domain), a long link split into
 * "invisible" and "ellipsis" spans, paragraphs and a line break. */
static void
test_normalize_mastodon_html (void)
{
  const char *sent = "Grand rounds #MedEd with @bob@other.example & @alice:\n"
                     "https://www.example.org/a/very/long/path/to/the/slides.pdf\n\n"
                     "Line one\nline two (mail me at a@b.example).";
  const char *html = "<p>Grand rounds <a href=\"https://social.example/tags/meded\" class=\"mention hashtag\" "
                     "rel=\"tag\">#<span>MedEd</span></a> with <span class=\"h-card\" translate=\"no\"><a "
                     "href=\"https://other.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> "
                     "&amp; <span class=\"h-card\" translate=\"no\"><a href=\"https://social.example/@alice\" "
                     "class=\"u-url mention\">@<span>alice</span></a></span>:<br /><a "
                     "href=\"https://www.example.org/a/very/long/path/to/the/slides.pdf\" target=\"_blank\" "
                     "rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://www.</span>"
                     "<span class=\"ellipsis\">example.org/a/very/long/path/t</span><span class=\"invisible\">"
                     "o/the/slides.pdf</span></a></p><p>Line one<br />line two (mail me at a@b.example).</p>";
  g_autofree char *a = wc_mastodon_normalize_text (sent, FALSE);
  g_autofree char *b = wc_mastodon_normalize_text (html, TRUE);
  g_autofree char *c = wc_mastodon_normalize_text ("<p>one</p><p>two</p>", TRUE);
  g_autofree char *d = wc_mastodon_normalize_text ("<p>one<span>two</span></p>", TRUE);

  g_test_message ("normalized: %s", b);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, ==, "Grand rounds #MedEd with @bob & @alice: https://www.example.org/a/very/long/path/to/the/slides.pdf "
                          "Line one line two (mail me at a@b.example).");
  /* Only <br> and paragraphs separate words. */
  g_assert_cmpstr (c, ==, "one two");
  g_assert_cmpstr (d, ==, "onetwo");
}

/* The test server renders a status as Mastodon does, and a post with a
 * hashtag, a link and mentions whose answer was lost is found by its text
 * (before holding it), not posted twice. */
static void
test_lost_answer_rich_text (Fixture       *f,
                            gconstpointer  data)
{
  const char *text = "Slides for #MedEd with @alice and @bob@other.example: "
                     "https://www.example.org/a/very/long/path/to/the/slides.pdf\n\nThanks!";
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) status = NULL;
  const char *content;

  wc_scheduler_set_hold_after (f->scheduler, 120);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DROP_AFTER_STORE, 1);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_STATUS_503, 1000);
  entry = schedule (f, text, 0);
  wait_idle (f);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  status = status_at (f, 0);
  content = json_object_get_string_member (status, "content");
  g_test_message ("content: %s", content);
  g_assert_nonnull (strstr (content, "class=\"mention hashtag\" rel=\"tag\">#<span>MedEd</span></a>"));
  g_assert_nonnull (strstr (content, "class=\"u-url mention\">@<span>bob</span></a></span>"));
  g_assert_nonnull (strstr (content, "<span class=\"invisible\">https://www.</span><span class=\"ellipsis\">"));
  g_assert_nonnull (strstr (content, "</p><p>Thanks!</p>"));

  pass_time (f, 600, 10);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (entry), ==, json_object_get_string_member (status, "id"));
  g_assert_cmpuint (f->held->len, ==, 0);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* Left "sending" while handing a post to the server to schedule, and
 * restarted after the server forgot the idempotency key (over an hour):
 * Mastodon's scheduled statuses have params.idempotency null, so the
 * entry is found by its text and time, and not scheduled twice. */
static void
test_reconcile_server_scheduled (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Journal club, #MedEd", T0 + 3 * 3600);
  g_autoptr(JsonArray) scheduled = NULL;
  gint64 id = wc_outbox_entry_get_id (entry);
  gint64 deadline;
  WcOutboxEntry *again;

  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DELAY, 1, 1500);
  while (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENDING);
  /* Whitecoat stops before the answer; the server stores it anyway. */
  wc_scheduler_stop (f->scheduler);
  wait_idle (f);
  g_clear_object (&f->scheduler);
  g_clear_object (&entry);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (server_scheduled (f) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  g_assert_true (json_node_is_null (json_object_get_member (
                   json_object_get_object_member (json_array_get_object_element (scheduled, 0), "params"),
                   "idempotency")));

  /* Back 90 minutes later: the key is forgotten. */
  wc_mastodon_server_set_now (f->server, T0 + 5400);
  wc_clock_jump (f->clock, T0 + 5400);
  fixture_open_scheduler (f);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  again = wc_scheduler_lookup (f->scheduler, id);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (again), ==,
                   json_object_get_string_member (json_array_get_object_element (scheduled, 0), "id"));
  g_assert_cmpuint (server_scheduled (f), ==, 1);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 1);

  pass_time (f, 5400 + 300, 300);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* The draft changed after the server published the post (at its time,
 * before Whitecoat confirmed it): the withdrawal gets 404, the lookup
 * finds what the server has (the old text), and the new version is not
 * posted as well. */
static void
test_update_after_published (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Ward round at nine");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WcOutboxEntry *entry;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 3600, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  pass_time (f, 3600 + 20, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);

  wc_draft_set_text (draft, "Ward round at ten");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  wait_idle (f);
  pass_time (f, 3600, 300);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 1);
  g_assert_nonnull (wc_outbox_entry_get_reason (entry));
  g_test_message ("reason: %s", wc_outbox_entry_get_reason (entry));
}

/* The withdrawal of the server copy fails for a while (503): the new
 * content waits, the withdrawal is tried again, and then the server holds
 * only the new version, which is published once. */
static void
test_update_withdraw_retried (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Clinic closed on Friday");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) scheduled = NULL;
  WcOutboxEntry *entry;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 7200, &error));
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);

  wc_mastodon_server_add_fault (f->server, "DELETE", "/api/v1/scheduled_statuses/", WC_MASTODON_FAULT_STATUS_503, 2);
  wc_draft_set_text (draft, "Clinic closed on Monday");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  wait_idle (f);
  /* Not withdrawn yet: the entry keeps what the server has. */
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Clinic closed on Friday");

  pass_time (f, 900, 30);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "DELETE", "/api/v1/scheduled_statuses/"), ==, 3);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Clinic closed on Monday");
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  g_assert_cmpuint (json_array_get_length (scheduled), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (scheduled, 0), "params"), "text"), ==, "Clinic closed on Monday");

  pass_time (f, 7200, 600);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  {
    g_autoptr(JsonObject) status = status_at (f, 0);

    g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, "Clinic closed on Monday");
  }
}

/* A failed entry takes the draft's change, so that "Retry" sends the
 * corrected text. */
static void
test_update_failed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Much too long for this server");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WcOutboxEntry *entry;

  wc_mastodon_server_set_max_characters (f->server, 12);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, 0, &error));
  wait_idle (f);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);

  wc_draft_set_text (draft, "Short now");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_FAILED);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Short now");

  g_assert_true (wc_scheduler_retry (f->scheduler, entry, &error));
  g_assert_no_error (error);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  {
    g_autoptr(JsonObject) status = status_at (f, 0);

    g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, "Short now");
  }
}

/* --- Kept across restarts (H1) ----------------------------------------- */

/* Whitecoat quits (or dies) and starts again: a new scheduler on the
 * database opened afresh, so nothing carries over but what was stored. */
static void
restart (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  wc_scheduler_stop (f->scheduler);
  while (wc_scheduler_is_busy (f->scheduler))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&f->scheduler));
  wc_store_close (f->store);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (f->store);
  fixture_open_scheduler (f);
}

/* Until the server has had @n requests of that kind: the main loop runs
 * meanwhile, without blocking (the server's thread does not wake it). */
static void
wait_for_requests (Fixture    *f,
                   const char *method,
                   const char *path,
                   guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (wc_mastodon_server_count_requests (f->server, method, path) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static const char *
scheduled_text (JsonObject *scheduled)
{
  return json_object_get_string_member (json_object_get_object_member (scheduled, "params"), "text");
}

typedef enum
{
  WITHDRAWAL_FAILS,        /* the server copy is still there at the restart */
  WITHDRAWN_UNRECORDED,    /* the server deletes it; the answer is lost */
} Withdrawal;

/* A change to a post the server holds waits for the withdrawal of the
 * server copy; Whitecoat stops before that is done. After the restart
 * (before the post's time, or 20 minutes after it), the change is not
 * lost: the server publishes only the new text, and only once. */
static void
pending_change_survives (Fixture    *f,
                         Withdrawal  withdrawal,
                         gint64      restart_after)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Grand rounds: sepsis");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = NULL;
  gint64 id;
  WcOutboxEntry *entry;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 7200, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  entry = g_ptr_array_index (entries, 0);
  id = wc_outbox_entry_get_id (entry);
  wait_idle (f);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);

  if (withdrawal == WITHDRAWAL_FAILS)
    wc_mastodon_server_add_fault (f->server, "DELETE", "/api/v1/scheduled_statuses/", WC_MASTODON_FAULT_STATUS_503, 1000);
  else
    wc_mastodon_server_add_fault_full (f->server, "DELETE", "/api/v1/scheduled_statuses/", WC_MASTODON_FAULT_DELAY, 1, 1500);
  wc_draft_set_text (draft, "Grand rounds: sepsis bundles, moved to room 4");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  if (withdrawal == WITHDRAWAL_FAILS)
    wait_idle (f);
  else
    wait_for_requests (f, "DELETE", "/api/v1/scheduled_statuses/", 1);
  /* The change waits: the entry still has what the server had. */
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Grand rounds: sepsis");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Whitecoat stops before the answer; the server deletes its copy all
   * the same. */
  restart (f);
  if (withdrawal == WITHDRAWN_UNRECORDED)
    {
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      while (server_scheduled (f) > 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (20000);
        }
    }
  g_assert_cmpuint (server_scheduled (f), ==, withdrawal == WITHDRAWAL_FAILS ? 1 : 0);
  wc_mastodon_server_clear_faults (f->server);
  wc_mastodon_server_set_now (f->server, T0 + restart_after);
  wc_clock_jump (f->clock, T0 + restart_after);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  pass_time (f, 600, 30);

  entry = wc_scheduler_lookup (f->scheduler, id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Grand rounds: sepsis bundles, moved to room 4");
  if (restart_after < 7200)
    {
      g_autoptr(JsonArray) scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");

      /* Scheduled on the server again, with the new text only. */
      g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
      g_assert_cmpuint (json_array_get_length (scheduled), ==, 1);
      g_assert_cmpstr (scheduled_text (json_array_get_object_element (scheduled, 0)), ==,
                       "Grand rounds: sepsis bundles, moved to room 4");
      pass_time (f, 7200, 600);
    }
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_scheduled (f), ==, 0);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  status = status_at (f, 0);
  g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, "Grand rounds: sepsis bundles, moved to room 4");
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, wc_outbox_entry_get_remote_id (entry));
  pass_time (f, 3600, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

static void
test_pending_change_restart (Fixture       *f,
                             gconstpointer  data)
{
  pending_change_survives (f, WITHDRAWAL_FAILS, 600);
}

static void
test_pending_change_restart_withdrawn (Fixture       *f,
                                       gconstpointer  data)
{
  pending_change_survives (f, WITHDRAWN_UNRECORDED, 600);
}

static void
test_pending_change_restart_late (Fixture       *f,
                                  gconstpointer  data)
{
  pending_change_survives (f, WITHDRAWN_UNRECORDED, 7200 + 1200);
}

/* The server published the earlier version while Whitecoat was not
 * running, a change waiting: after the restart it is recorded as sent,
 * saying the change came too late, and nothing is posted again. */
static void
test_pending_change_restart_published (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(WcDraft) draft = make_draft (f, "Clinic closed on Friday");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = NULL;
  gint64 id;
  WcOutboxEntry *entry;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, T0 + 3600, &error));
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  id = wc_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  g_clear_pointer (&entries, g_ptr_array_unref);
  wait_idle (f);
  wc_mastodon_server_add_fault (f->server, "DELETE", "/api/v1/scheduled_statuses/", WC_MASTODON_FAULT_STATUS_503, 1000);
  wc_draft_set_text (draft, "Clinic closed on Monday");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_scheduler_update_content (f->scheduler, draft, &error));
  g_assert_no_error (error);
  wait_idle (f);

  restart (f);
  /* The server publishes at its time; Whitecoat is back half an hour later. */
  wc_mastodon_server_set_now (f->server, T0 + 3600 + 1800);
  g_assert_cmpuint (server_statuses (f), ==, 1);
  wc_mastodon_server_clear_faults (f->server);
  wc_clock_jump (f->clock, T0 + 3600 + 1800);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  pass_time (f, 600, 30);

  entry = wc_scheduler_lookup (f->scheduler, id);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENT);
  g_assert_nonnull (wc_outbox_entry_get_reason (entry));
  g_assert_cmpuint (server_statuses (f), ==, 1);
  status = status_at (f, 0);
  g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, "Clinic closed on Friday");
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, wc_outbox_entry_get_remote_id (entry));
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 1);
  pass_time (f, 3600, 600);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* A small PNG in the test's folder, as a draft's image. */
static char *
write_image (Fixture    *f,
             const char *name)
{
  static const char png[] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  g_autofree guint8 *bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  gsize length;

  bytes = g_base64_decode (png, &length);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, length, &error));
  g_assert_no_error (error);
  return path;
}

static WcOutboxEntry *
schedule_with_image (Fixture    *f,
                     const char *text,
                     const char *alt_text,
                     gint64      due_at)
{
  g_autoptr(WcDraft) draft = make_draft (f, text);
  g_autofree char *name = g_strdup_printf ("photo-%s.png", alt_text);
  g_autofree char *image = write_image (f, name);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WcAttachment *attachment = wc_draft_add_attachment (draft, image);

  g_free (attachment->alt_text);
  attachment->alt_text = g_strdup (alt_text);
  g_assert_true (wc_store_save_draft (f->store, draft, &error));
  g_assert_no_error (error);
  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, due_at, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

/* The scheduled status on the server whose image has @alt_text as its
 * description: its id, or NULL. */
static char *
scheduled_id_with_image (Fixture    *f,
                         const char *alt_text)
{
  g_autoptr(JsonArray) media = wc_mastodon_server_dup_media (f->server, "alice");

  for (guint i = 0; i < json_array_get_length (media); i++)
    {
      JsonObject *item = json_array_get_object_element (media, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "description", NULL), alt_text) == 0
          && !json_node_is_null (json_object_get_member (item, "scheduled_status_id")))
        return g_strdup (json_object_get_string_member (item, "scheduled_status_id"));
    }
  return NULL;
}

/* Whitecoat stops after uploading a post's image, while handing it to
 * the server to schedule (the server never got that request): after the
 * restart the post is scheduled with the image uploaded the first time,
 * not uploaded again. */
static void
test_media_not_uploaded_again (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = NULL;
  g_autofree char *copy = NULL;
  gint64 id;
  WcOutboxEntry *again;

  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_TIMEOUT, 1);
  entry = schedule_with_image (f, "Our new MRI suite", "An MRI scanner", T0 + 3 * 3600);
  id = wc_outbox_entry_get_id (entry);
  wait_for_requests (f, "POST", "/api/v1/statuses", 1);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENDING);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v2/media"), ==, 1);
  g_clear_object (&entry);

  restart (f);
  wc_mastodon_server_clear_faults (f->server);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  again = wc_scheduler_lookup (f->scheduler, id);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpuint (server_scheduled (f), ==, 1);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v2/media"), ==, 1);
  copy = scheduled_id_with_image (f, "An MRI scanner");
  g_assert_cmpstr (copy, ==, wc_outbox_entry_get_remote_id (again));

  pass_time (f, 3 * 3600 + 300, 600);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

/* Two posts alike in text, time and number of images (one each), both
 * left "sending" when Whitecoat stopped: the server stored the first one's
 * copy, never got the second. Each image's server id tells the two apart,
 * whichever answer comes first after the restart; the second is scheduled
 * with its own image, neither uploaded again. */
static void
test_media_tells_twins_apart (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) first = NULL;
  g_autoptr(WcOutboxEntry) second = NULL;
  g_autofree char *first_copy = NULL;
  g_autofree char *second_copy = NULL;
  gint64 first_id, second_id;
  gint64 deadline;

  /* The first's request is stored on the server after 3 s; the second's
   * never reaches it. */
  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DELAY, 1, 3000);
  first = schedule_with_image (f, "Photo of the week", "Left", T0 + 3 * 3600);
  wait_for_requests (f, "POST", "/api/v1/statuses", 1);
  wc_mastodon_server_add_fault (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_TIMEOUT, 1);
  second = schedule_with_image (f, "Photo of the week", "Right", T0 + 3 * 3600);
  wait_for_requests (f, "POST", "/api/v1/statuses", 2);
  g_assert_cmpint (wc_outbox_entry_get_state (first), ==, WC_OUTBOX_STATE_SENDING);
  g_assert_cmpint (wc_outbox_entry_get_state (second), ==, WC_OUTBOX_STATE_SENDING);
  first_id = wc_outbox_entry_get_id (first);
  second_id = wc_outbox_entry_get_id (second);
  g_clear_object (&first);
  g_clear_object (&second);

  restart (f);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (server_scheduled (f) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  wc_mastodon_server_clear_faults (f->server);
  /* The first entry's look at the server's list answers last. */
  wc_mastodon_server_add_fault_full (f->server, "GET", "/api/v1/scheduled_statuses", WC_MASTODON_FAULT_DELAY, 1, 1000);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);

  first = g_object_ref (wc_scheduler_lookup (f->scheduler, first_id));
  second = g_object_ref (wc_scheduler_lookup (f->scheduler, second_id));
  g_assert_cmpint (wc_outbox_entry_get_state (first), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpint (wc_outbox_entry_get_state (second), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpuint (server_scheduled (f), ==, 2);
  first_copy = scheduled_id_with_image (f, "Left");
  second_copy = scheduled_id_with_image (f, "Right");
  g_assert_nonnull (second_copy);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (first), ==, first_copy);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (second), ==, second_copy);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v2/media"), ==, 2);
}

static void
on_posted_elsewhere (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  WcMastodonPosted **posted = user_data;
  g_autoptr(GError) error = NULL;

  *posted = wc_mastodon_post_status_finish (WC_MASTODON (source), result, &error);
  g_assert_no_error (error);
}

/* A post the account scheduled on the server by other means (its web
 * page, another app). */
static void
schedule_elsewhere (Fixture    *f,
                    const char *text,
                    gint64      at)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (at);
  g_autoptr(WcMastodonPosted) posted = NULL;
  g_autofree char *key = g_uuid_string_random ();
  WcMastodonPost post = { 0 };

  post.text = text;
  post.visibility = "public";
  post.scheduled_at = when;
  wc_mastodon_post_status_async (f->mastodon, &post, key, NULL, on_posted_elsewhere, &posted);
  while (posted == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (posted->scheduled);
}

static GPtrArray *
list_scheduled (Fixture  *f,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wc_mastodon_list_scheduled_async (f->mastodon, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wc_mastodon_list_scheduled_finish (f->mastodon, result, error);
}

/* The server lists scheduled statuses newest first, 40 at most a page;
 * the client follows the pages. */
static void
test_list_scheduled_pages (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) scheduled = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 85; i++)
    {
      g_autofree char *text = g_strdup_printf ("Reminder %u", i);

      schedule_elsewhere (f, text, T0 + 86400 * (1 + i / 20) + 60 * (i % 20));
    }
  scheduled = list_scheduled (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scheduled->len, ==, 85);
  for (guint i = 0; i < scheduled->len; i++)
    g_hash_table_add (seen, ((WcMastodonStatus *) g_ptr_array_index (scheduled, i))->id);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 85);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/scheduled_statuses"), ==, 3);
}

/* The client reads at most ten pages (Mastodon's 300 scheduled statuses
 * fill eight): a server whose list goes on beyond that gets an error, not
 * half a list in which a post that is there would look withdrawn. */
static void
test_list_scheduled_too_many (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) scheduled = NULL;
  g_autoptr(GError) error = NULL;

  wc_mastodon_server_set_scheduled_page_max (f->server, 5);
  for (guint i = 0; i < 51; i++)
    {
      g_autofree char *text = g_strdup_printf ("Reminder %u", i);

      schedule_elsewhere (f, text, T0 + 86400 * (1 + i / 20) + 60 * (i % 20));
      if (i == 44)
        {
          /* Nine full pages and an empty one: all read. */
          scheduled = list_scheduled (f, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (scheduled->len, ==, 45);
          g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/scheduled_statuses"), ==, 10);
          g_clear_pointer (&scheduled, g_ptr_array_unref);
        }
    }
  scheduled = list_scheduled (f, &error);
  g_assert_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE);
  g_assert_null (scheduled);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "GET", "/api/v1/scheduled_statuses"), ==, 20);
}

/* Left "sending" while handing a post to the server to schedule, and back
 * after the server forgot the key: 45 newer posts were scheduled on the
 * server meanwhile (another app), so its copy is not on the first page of
 * the list. It is found all the same, and not scheduled twice. */
static void
test_reconcile_beyond_first_page (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = schedule (f, "Journal club, #MedEd", T0 + 3 * 3600);
  g_autoptr(JsonArray) scheduled = NULL;
  g_autofree char *copy = NULL;
  gint64 id = wc_outbox_entry_get_id (entry);
  gint64 deadline;
  WcOutboxEntry *again;

  wc_mastodon_server_add_fault_full (f->server, "POST", "/api/v1/statuses", WC_MASTODON_FAULT_DELAY, 1, 1500);
  while (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SENDING);
  g_clear_object (&entry);
  restart (f);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (server_scheduled (f) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  scheduled = wc_mastodon_server_dup_scheduled_statuses (f->server, "alice");
  copy = g_strdup (json_object_get_string_member (json_array_get_object_element (scheduled, 0), "id"));

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("Ward news %u", i);

      schedule_elsewhere (f, text, T0 + 86400 * (1 + i / 20) + 60 * (i % 20));
    }
  g_assert_cmpuint (server_scheduled (f), ==, 46);

  /* Back 90 minutes later: the key is forgotten. */
  wc_mastodon_server_set_now (f->server, T0 + 5400);
  wc_clock_jump (f->clock, T0 + 5400);
  wc_scheduler_start (f->scheduler);
  wait_idle (f);
  again = wc_scheduler_lookup (f->scheduler, id);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (again), ==, copy);
  g_assert_cmpuint (server_scheduled (f), ==, 46);
  g_assert_cmpuint (wc_mastodon_server_count_requests (f->server, "POST", "/api/v1/statuses"), ==, 1 + 45);

  /* After its time: confirmed published, once. */
  pass_time (f, 5400 + 300, 300);
  g_assert_cmpint (wc_outbox_entry_get_state (again), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (server_statuses (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 6 && g_str_equal (argv[1], "--child"))
    return run_child (argv);

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/scheduler/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("language", test_language);
  ADD ("post-now", test_post_now);
  ADD ("server-scheduled", test_server_scheduled);
  ADD ("reschedule", test_reschedule);
  ADD ("post-now-from-server", test_post_now_from_server);
  ADD ("content-change", test_content_change);
  ADD ("cancel", test_cancel);
  ADD ("server-limits", test_server_limits);
  ADD ("transient-retry", test_transient_retry);
  ADD ("failed", test_failed);
  ADD ("suspend-and-hold", test_suspend_and_hold);
  ADD ("clock-set-back", test_clock_set_back);
  ADD ("check-before-hold", test_check_before_hold);
  ADD ("key-expired-lookup", test_key_expired_lookup);
  ADD ("manual-reminder", test_manual_reminder);
  ADD ("crash-after-store", test_crash_after_store);
  ADD ("crash-before-store", test_crash_before_store);
  ADD ("lost-answer-rich-text", test_lost_answer_rich_text);
  ADD ("reconcile-server-scheduled", test_reconcile_server_scheduled);
  ADD ("update-after-published", test_update_after_published);
  ADD ("update-withdraw-retried", test_update_withdraw_retried);
  ADD ("update-failed", test_update_failed);
  ADD ("pending-change-restart", test_pending_change_restart);
  ADD ("pending-change-restart-withdrawn", test_pending_change_restart_withdrawn);
  ADD ("pending-change-restart-late", test_pending_change_restart_late);
  ADD ("pending-change-restart-published", test_pending_change_restart_published);
  ADD ("media-not-uploaded-again", test_media_not_uploaded_again);
  ADD ("media-tells-twins-apart", test_media_tells_twins_apart);
  ADD ("list-scheduled-pages", test_list_scheduled_pages);
  ADD ("list-scheduled-too-many", test_list_scheduled_too_many);
  ADD ("reconcile-beyond-first-page", test_reconcile_beyond_first_page);
#undef ADD
  g_test_add_func ("/scheduler/normalize-mastodon-html", test_normalize_mastodon_html);

  return g_test_run ();
}
