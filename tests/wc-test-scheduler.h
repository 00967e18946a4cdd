/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by test-scheduler.c and test-scheduler-soak.c: a store with one
 * Mastodon account on the test server, a fake clock that the server
 * follows, and a scheduler. */

#include <glib/gstdio.h>

#include "wc-mastodon-server.h"
#include "wc-mastodon.h"
#include "wc-scheduler.h"
#include "wc-store-outbox.h"
#include "wc-test-key.h"

#define T0 1788000000  /* 2026-08-29 10:40 UTC */

typedef struct
{
  char             *dir;
  char             *path;
  WcMastodonServer *server;
  char             *base;
  char             *alice_id;
  char             *token;
  WcStore          *store;
  WcClock          *clock;
  WcScheduler      *scheduler;
  WcAccount        *account;
  WcMastodon       *mastodon;
  SoupSession      *session;
  GPtrArray        *sent;
  GPtrArray        *failed;
  GPtrArray        *held;
  GPtrArray        *reminders;
} Fixture;

static void
on_signal_record (WcScheduler   *scheduler,
                  WcOutboxEntry *entry,
                  GPtrArray     *into)
{
  g_ptr_array_add (into, g_object_ref (entry));
}

static void
fixture_open_scheduler (Fixture *f)
{
  f->scheduler = wc_scheduler_new (f->store, f->clock);
  wc_scheduler_set_network (f->scheduler, wc_account_get_id (f->account), WC_NETWORK (f->mastodon));
  g_signal_connect (f->scheduler, "entry-sent", G_CALLBACK (on_signal_record), f->sent);
  g_signal_connect (f->scheduler, "entry-failed", G_CALLBACK (on_signal_record), f->failed);
  g_signal_connect (f->scheduler, "entry-held", G_CALLBACK (on_signal_record), f->held);
  g_signal_connect (f->scheduler, "reminder", G_CALLBACK (on_signal_record), f->reminders);
}

static void
fixture_setup_common (Fixture *f,
                      guint    timeout)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("whitecoat-scheduler-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (f->store);

  f->server = wc_mastodon_server_new ();
  wc_mastodon_server_set_now (f->server, T0);
  wc_mastodon_server_set_rate_limit (f->server, 1000000, 300);
  f->alice_id = wc_mastodon_server_add_user (f->server, "alice", NULL);
  g_assert_true (wc_mastodon_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = wc_mastodon_server_dup_base_url (f->server);
  f->token = wc_mastodon_server_create_token (f->server, "alice", WC_MASTODON_SCOPES);

  f->account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  wc_account_set_server (f->account, f->base);
  wc_account_set_handle (f->account, "@alice@127.0.0.1");
  wc_account_set_remote_id (f->account, f->alice_id);
  g_assert_true (wc_store_add_account (f->store, f->account, &error));
  g_assert_no_error (error);

  f->session = soup_session_new_with_options ("timeout", timeout, NULL);
  f->mastodon = wc_mastodon_new (f->account, f->session);
  wc_mastodon_set_access_token (f->mastodon, f->token);

  f->clock = wc_clock_new_fake (T0);
  f->sent = g_ptr_array_new_with_free_func (g_object_unref);
  f->failed = g_ptr_array_new_with_free_func (g_object_unref);
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  f->reminders = g_ptr_array_new_with_free_func (g_object_unref);
  fixture_open_scheduler (f);
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
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->scheduler != NULL)
    {
      wc_scheduler_stop (f->scheduler);
      /* Cancelled calls finish in the main loop. */
      for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
        ;
      g_assert_finalize_object (f->scheduler);
    }
  g_clear_pointer (&f->sent, g_ptr_array_unref);
  g_clear_pointer (&f->failed, g_ptr_array_unref);
  g_clear_pointer (&f->held, g_ptr_array_unref);
  g_clear_pointer (&f->reminders, g_ptr_array_unref);
  g_clear_object (&f->mastodon);
  g_clear_object (&f->session);
  g_clear_object (&f->account);
  g_clear_object (&f->clock);
  wc_store_close (f->store);
  g_clear_object (&f->store);
  wc_mastodon_server_stop (f->server);
  g_clear_object (&f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->base);
  g_free (f->alice_id);
  g_free (f->token);
}

/* Runs the main loop until the scheduler has nothing under way. */
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

/* Time passes for Whitecoat and the server alike, in steps of @step
 * seconds, the scheduler finishing its work after each. */
static void
pass_time (Fixture *f,
           gint64   seconds,
           gint64   step)
{
  gint64 end = wc_clock_get_now (f->clock) + seconds;

  while (wc_clock_get_now (f->clock) < end)
    {
      gint64 next = MIN (end, wc_clock_get_now (f->clock) + step);

      wc_mastodon_server_set_now (f->server, next);
      wc_clock_advance (f->clock, next - wc_clock_get_now (f->clock));
      wait_idle (f);
    }
}

static WcDraft *
make_draft (Fixture    *f,
            const char *text)
{
  WcDraft *draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);
  g_autoptr(GError) error = NULL;

  wc_draft_set_text (draft, text);
  wc_draft_set_target (draft, wc_account_get_id (f->account), "public");
  g_assert_true (wc_store_save_draft (f->store, draft, &error));
  g_assert_no_error (error);
  return draft;
}

G_GNUC_UNUSED static WcOutboxEntry *
schedule (Fixture    *f,
          const char *text,
          gint64      due_at)
{
  g_autoptr(WcDraft) draft = make_draft (f, text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (wc_scheduler_schedule_draft (f->scheduler, draft, due_at, &error));
  g_assert_no_error (error);
  entries = wc_scheduler_list_for_draft (f->scheduler, wc_draft_get_id (draft));
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

static guint
count_and_free (JsonArray *array)
{
  guint n = json_array_get_length (array);

  json_array_unref (array);
  return n;
}

G_GNUC_UNUSED static guint
server_statuses (Fixture *f)
{
  return count_and_free (wc_mastodon_server_dup_statuses (f->server, "alice"));
}

G_GNUC_UNUSED static guint
server_scheduled (Fixture *f)
{
  return count_and_free (wc_mastodon_server_dup_scheduled_statuses (f->server, "alice"));
}
