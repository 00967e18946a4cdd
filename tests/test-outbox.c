/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <png.h>
#include <sqlite3.h>
#include <stdio.h>

#include "wc-outbox.h"
#include "wc-store-outbox.h"
#include "wc-store.h"
#include "wc-test-key.h"

#define N_STATES 7
#define PNG_MARKER "Dr Outboxmarker"

typedef struct
{
  char    *dir;
  char    *path;
  WcStore *store;
  gint64   account_id;
  gint64   draft_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcAccount) account = wc_account_new (WC_IDENTITY_PROFESSIONAL, "mastodon");
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);

  f->dir = g_dir_make_tmp ("whitecoat-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "whitecoat.db", NULL);
  f->store = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (f->store);

  wc_account_set_handle (account, "@anna@med.example");
  wc_account_set_server (account, "med.example");
  g_assert_true (wc_store_add_account (f->store, account, &error));
  g_assert_no_error (error);
  f->account_id = wc_account_get_id (account);

  wc_draft_set_text (draft, "Hand hygiene saves lives.");
  wc_draft_set_target (draft, f->account_id, "unlisted");
  g_assert_true (wc_store_save_draft (f->store, draft, &error));
  g_assert_no_error (error);
  f->draft_id = wc_draft_get_id (draft);
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
  wc_store_close (f->store);
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static WcOutboxContent *
make_content (const char *text)
{
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PROFESSIONAL);

  wc_draft_set_text (draft, text);
  wc_draft_set_content_warning (draft, "Clinical");
  wc_draft_set_target (draft, 1, "private");
  return wc_outbox_content_new_from_draft (draft, 1);
}

static WcOutboxEntry *
add_entry (Fixture    *f,
           gint64      due_at,
           const char *text)
{
  g_autoptr(WcOutboxContent) content = make_content (text);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  WcOutboxEntry *entry = wc_outbox_entry_new (f->draft_id, f->account_id, WC_IDENTITY_PROFESSIONAL, due_at, content);

  g_ptr_array_add (entries, g_object_ref (entry));
  g_assert_true (wc_store_add_outbox_entries (f->store, entries, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_outbox_entry_get_id (entry), >, 0);
  return entry;
}

static char *
db_state (Fixture *f,
          gint64   id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *state = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT state FROM outbox WHERE id = %" G_GINT64_FORMAT, id);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return state;
}

/* The legal moves, written out here independently of the implementation. */
static gboolean
expected_move (WcOutboxState from,
               WcOutboxState to)
{
  static const char * const legal[] = {
    "scheduled>sending", "scheduled>server-scheduled", "scheduled>held", "scheduled>cancelled",
    "scheduled>sent",
    "server-scheduled>sent", "server-scheduled>cancelled", "server-scheduled>scheduled",
    "server-scheduled>failed",
    "sending>sent", "sending>failed", "sending>scheduled", "sending>server-scheduled",
    "failed>scheduled", "failed>cancelled",
    "held>scheduled", "held>sending", "held>cancelled", "held>sent",
    "cancelled>scheduled", "cancelled>held",
    NULL,
  };
  g_autofree char *key = g_strdup_printf ("%s>%s", wc_outbox_state_to_string (from), wc_outbox_state_to_string (to));

  return g_strv_contains (legal, key);
}

static void
test_state_names (void)
{
  for (guint i = 0; i < N_STATES; i++)
    {
      WcOutboxState state;

      g_assert_true (wc_outbox_state_from_string (wc_outbox_state_to_string (i), &state));
      g_assert_cmpint (state, ==, i);
      g_assert_nonnull (wc_outbox_state_get_label (i));
    }
  g_assert_false (wc_outbox_state_from_string ("posted", NULL));
  g_assert_false (wc_outbox_state_from_string (NULL, NULL));
}

static void
test_can_move_table (void)
{
  guint legal = 0;

  for (guint from = 0; from < N_STATES; from++)
    for (guint to = 0; to < N_STATES; to++)
      {
        g_assert_cmpint (wc_outbox_state_can_move (from, to), ==, expected_move (from, to));
        legal += expected_move (from, to);
      }
  g_assert_cmpuint (legal, ==, 21);
  /* Sent is final. */
  for (guint to = 0; to < N_STATES; to++)
    g_assert_false (wc_outbox_state_can_move (WC_OUTBOX_STATE_SENT, to));
}

/* Moves @entry into @state along legal moves found breadth first. */
static void
bring_to (Fixture       *f,
          WcOutboxEntry *entry,
          WcOutboxState  state)
{
  int previous[N_STATES];
  GQueue queue = G_QUEUE_INIT;
  WcOutboxState path[N_STATES];
  guint n = 0;

  for (guint i = 0; i < N_STATES; i++)
    previous[i] = -2;
  previous[wc_outbox_entry_get_state (entry)] = -1;
  g_queue_push_tail (&queue, GUINT_TO_POINTER (wc_outbox_entry_get_state (entry)));
  while (!g_queue_is_empty (&queue))
    {
      guint at = GPOINTER_TO_UINT (g_queue_pop_head (&queue));

      for (guint to = 0; to < N_STATES; to++)
        if (previous[to] == -2 && wc_outbox_state_can_move (at, to))
          {
            previous[to] = (int) at;
            g_queue_push_tail (&queue, GUINT_TO_POINTER (to));
          }
    }
  g_assert_cmpint (previous[state], !=, -2);
  for (int s = (int) state; previous[s] != -1; s = previous[s])
    path[n++] = (WcOutboxState) s;
  while (n > 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (wc_store_move_outbox_entry (f->store, entry, path[--n], NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, state);
}

static void
test_every_move_in_store (Fixture       *f,
                          gconstpointer  data)
{
  guint made = 0, refused = 0;

  for (guint from = 0; from < N_STATES; from++)
    for (guint to = 0; to < N_STATES; to++)
      {
        g_autoptr(WcOutboxEntry) entry = add_entry (f, 1800000000 + from * 10 + to, "Move me");
        g_autoptr(GError) error = NULL;
        g_autofree char *before = NULL;
        g_autofree char *after = NULL;
        WcOutboxUpdate update = { 0 };
        gboolean moved;

        bring_to (f, entry, from);
        before = db_state (f, wc_outbox_entry_get_id (entry));
        update.fields = WC_OUTBOX_FIELD_REASON;
        update.reason = "because";
        moved = wc_store_move_outbox_entry (f->store, entry, to, &update, &error);
        after = db_state (f, wc_outbox_entry_get_id (entry));
        if (expected_move (from, to))
          {
            g_assert_no_error (error);
            g_assert_true (moved);
            g_assert_cmpstr (after, ==, wc_outbox_state_to_string (to));
            g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, to);
            g_assert_cmpstr (wc_outbox_entry_get_reason (entry), ==, "because");
            made++;
          }
        else
          {
            g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
            g_assert_false (moved);
            g_assert_cmpstr (after, ==, before);
            g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, from);
            g_assert_null (wc_outbox_entry_get_reason (entry));
            refused++;
          }
      }
  g_assert_cmpuint (made, ==, 21);
  g_assert_cmpuint (refused, ==, N_STATES * N_STATES - 21);
}

/* A second copy of the same entry that did not see a move is refused: the
 * check and the write are one transaction. */
static void
test_stale_copy_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) entry = add_entry (f, 1800000000, "Twice");
  g_autoptr(WcOutboxEntry) other = wc_store_get_outbox_entry (f->store, wc_outbox_entry_get_id (entry), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;

  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SENDING, NULL, &error));
  g_assert_no_error (error);
  /* The other copy still says "scheduled": it may not start a second send. */
  g_assert_false (wc_store_move_outbox_entry (f->store, other, WC_OUTBOX_STATE_SENDING, NULL, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
  state = db_state (f, wc_outbox_entry_get_id (entry));
  g_assert_cmpstr (state, ==, "sending");
}

static void
test_add_all_or_none (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WcOutboxContent) content = make_content ("All or none");
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (entries, wc_outbox_entry_new (f->draft_id, f->account_id, WC_IDENTITY_PROFESSIONAL, 100, content));
  /* No such account: the second insert fails, so the first goes too. */
  g_ptr_array_add (entries, wc_outbox_entry_new (f->draft_id, 9999, WC_IDENTITY_PROFESSIONAL, 100, content));
  g_assert_false (wc_store_add_outbox_entries (f->store, entries, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (wc_store_count_outbox (f->store), ==, 0);
  g_assert_cmpint (wc_outbox_entry_get_id (g_ptr_array_index (entries, 0)), ==, 0);
}

static void
test_content_json (void)
{
  g_autoptr(WcOutboxContent) content = make_content ("Line one\nLine “two” with ünïcode & <tags>");
  g_autoptr(WcOutboxContent) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  WcAttachment *attachment = g_new0 (WcAttachment, 1);

  attachment->path = g_strdup ("/tmp/x.jpg");
  attachment->alt_text = g_strdup ("A chest X-ray");
  attachment->clinical = TRUE;
  attachment->consent_at = 1700000000;
  attachment->source = g_strdup ("Radiopaedia");
  g_ptr_array_add (content->attachments, attachment);
  content->language = g_strdup ("nl");
  content->reply_policy = WC_REPLY_POLICY_NOBODY;

  json = wc_outbox_content_to_json (content);
  back = wc_outbox_content_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->text, ==, content->text);
  g_assert_cmpstr (back->content_warning, ==, "Clinical");
  g_assert_cmpstr (back->visibility, ==, "private");
  g_assert_cmpstr (back->language, ==, "nl");
  g_assert_cmpint (back->reply_policy, ==, WC_REPLY_POLICY_NOBODY);
  g_assert_cmpuint (back->attachments->len, ==, 1);
  attachment = g_ptr_array_index (back->attachments, 0);
  g_assert_cmpstr (attachment->path, ==, "/tmp/x.jpg");
  g_assert_cmpstr (attachment->alt_text, ==, "A chest X-ray");
  g_assert_true (attachment->clinical);
  g_assert_cmpint (attachment->consent_at, ==, 1700000000);
  g_assert_cmpstr (attachment->source, ==, "Radiopaedia");
  g_assert_true (wc_outbox_content_equal (content, back));
  g_assert_true (wc_outbox_content_is_sensitive (back));

  /* Who may reply is part of what is posted. */
  back->reply_policy = WC_REPLY_POLICY_FOLLOWING;
  g_assert_false (wc_outbox_content_equal (content, back));

  {
    /* Scheduled before the choice existed: everyone may reply. */
    g_autoptr(WcOutboxContent) older = wc_outbox_content_new_from_json ("{\"text\":\"a\",\"visibility\":\"public\",\"language\":null}", &error);

    g_assert_no_error (error);
    g_assert_cmpint (older->reply_policy, ==, WC_REPLY_POLICY_EVERYONE);
    g_assert_null (older->language);
  }

  for (guint i = 0; i < 5; i++)
    {
      static const char * const bad[] = { "", "[]", "{\"visibility\":\"public\"}", "{\"text\":\"a\",\"visibility\":\"public\",\"attachments\":[1]}",
                                           "{\"text\":\"a\",\"visibility\":\"public\",\"reply_policy\":\"friends\"}" };
      g_autoptr(GError) e = NULL;

      g_assert_null (wc_outbox_content_new_from_json (bad[i], &e));
      g_assert_error (e, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT);
    }
}

static void
test_round_trip_and_lists (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) a = add_entry (f, 1000, "First");
  g_autoptr(WcOutboxEntry) b = add_entry (f, 2000, "Second");
  g_autoptr(WcOutboxEntry) c = add_entry (f, 3000, "Third");
  g_autoptr(WcOutboxEntry) loaded = NULL;
  g_autoptr(GPtrArray) range = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) for_draft = NULL;
  g_autoptr(GError) error = NULL;
  WcOutboxUpdate update = { 0 };
  gint64 next = 0;

  g_assert_cmpstr (wc_outbox_entry_get_idempotency_key (a), !=, wc_outbox_entry_get_idempotency_key (b));

  update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_REMOTE_URL | WC_OUTBOX_FIELD_SENT_AT | WC_OUTBOX_FIELD_ATTEMPTS;
  update.remote_id = "109";
  update.remote_url = "https://med.example/@anna/109";
  update.sent_at = 1001;
  update.attempts = 2;
  g_assert_true (wc_store_move_outbox_entry (f->store, a, WC_OUTBOX_STATE_SENDING, NULL, &error));
  g_assert_true (wc_store_move_outbox_entry (f->store, a, WC_OUTBOX_STATE_SENT, &update, &error));
  g_assert_no_error (error);

  loaded = wc_store_get_outbox_entry (f->store, wc_outbox_entry_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wc_outbox_entry_get_state (loaded), ==, WC_OUTBOX_STATE_SENT);
  g_assert_cmpstr (wc_outbox_entry_get_remote_id (loaded), ==, "109");
  g_assert_cmpstr (wc_outbox_entry_get_remote_url (loaded), ==, "https://med.example/@anna/109");
  g_assert_cmpint (wc_outbox_entry_get_sent_at (loaded), ==, 1001);
  g_assert_cmpuint (wc_outbox_entry_get_attempts (loaded), ==, 2);
  g_assert_cmpint (wc_outbox_entry_get_draft_id (loaded), ==, f->draft_id);
  g_assert_cmpint (wc_outbox_entry_get_account_id (loaded), ==, f->account_id);
  g_assert_cmpint (wc_outbox_entry_get_identity (loaded), ==, WC_IDENTITY_PROFESSIONAL);
  g_assert_cmpstr (wc_outbox_entry_get_idempotency_key (loaded), ==, wc_outbox_entry_get_idempotency_key (a));
  g_assert_cmpstr (wc_outbox_entry_get_content (loaded)->text, ==, "First");
  /* Sent is final, for updates too. */
  g_assert_false (wc_store_update_outbox_entry (f->store, loaded, &update, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
  g_clear_error (&error);

  range = wc_store_list_outbox (f->store, 1500, 3000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (range->len, ==, 1);
  g_assert_cmpstr (wc_outbox_entry_get_content (g_ptr_array_index (range, 0))->text, ==, "Second");

  /* Due at 2500: b only (a is sent, c later); a retry waiting past now is not due. */
  due = wc_store_list_outbox_due (f->store, 2500, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (wc_outbox_entry_get_id (g_ptr_array_index (due, 0)), ==, wc_outbox_entry_get_id (b));
  g_clear_pointer (&due, g_ptr_array_unref);
  update.fields = WC_OUTBOX_FIELD_NEXT_ATTEMPT_AT;
  update.next_attempt_at = 2600;
  g_assert_true (wc_store_update_outbox_entry (f->store, b, &update, &error));
  due = wc_store_list_outbox_due (f->store, 2500, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_assert_true (wc_store_get_next_outbox_time (f->store, &next, &error));
  g_assert_cmpint (next, ==, 2600);

  sent = wc_store_list_outbox_in_state (f->store, WC_OUTBOX_STATE_SENT, &error);
  g_assert_cmpuint (sent->len, ==, 1);
  for_draft = wc_store_list_outbox_for_draft (f->store, f->draft_id, &error);
  g_assert_cmpuint (for_draft->len, ==, 3);
  g_assert_cmpint (wc_outbox_entry_get_id (g_ptr_array_index (for_draft, 2)), ==, wc_outbox_entry_get_id (c));
}

static void
write_png_with_text (const char *path)
{
  FILE *file = fopen (path, "wb");
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  png_text text = { .compression = PNG_TEXT_COMPRESSION_NONE, .key = (char *) "Author", .text = (char *) PNG_MARKER };
  guint8 row[8 * 3];

  g_assert_nonnull (file);
  for (guint i = 0; i < sizeof row; i++)
    row[i] = (guint8) (i * 9);
  png_init_io (png, file);
  png_set_IHDR (png, info, 8, 8, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_text (png, info, &text, 1);
  png_write_info (png, info);
  for (guint y = 0; y < 8; y++)
    png_write_row (png, row);
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  fclose (file);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* The entry keeps its content and its own metadata-free images when the
 * draft is edited or deleted; the images go when the entry is sent. */
static void
test_content_survives_draft (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *image = g_build_filename (f->dir, "patient-photo.png", NULL);
  g_autoptr(WcDraft) draft = wc_store_load_draft (f->store, f->draft_id, NULL);
  g_autoptr(WcOutboxContent) content = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WcOutboxEntry) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *images_dir = wc_store_dup_images_dir (f->store);
  WcAttachment *attachment;
  WcOutboxEntry *entry;
  char *copy;

  write_png_with_text (image);
  g_assert_true (file_contains (image, PNG_MARKER));
  attachment = wc_draft_add_attachment (draft, image);
  g_free (attachment->alt_text);
  attachment->alt_text = g_strdup ("Hands");
  wc_draft_set_reply_policy (draft, WC_REPLY_POLICY_MENTIONED);
  wc_draft_set_language (draft, "de");
  content = wc_outbox_content_new_from_draft (draft, f->account_id);
  g_assert_cmpstr (content->visibility, ==, "unlisted");
  g_assert_cmpint (content->reply_policy, ==, WC_REPLY_POLICY_MENTIONED);
  g_assert_cmpstr (content->language, ==, "de");
  entry = wc_outbox_entry_new (f->draft_id, f->account_id, WC_IDENTITY_PROFESSIONAL, 5000, content);
  g_ptr_array_add (entries, entry);
  g_assert_true (wc_store_add_outbox_entries (f->store, entries, &error));
  g_assert_no_error (error);

  copy = ((WcAttachment *) g_ptr_array_index (wc_outbox_entry_get_content (entry)->attachments, 0))->path;
  g_assert_true (g_str_has_prefix (copy, images_dir));
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (copy, PNG_MARKER));

  /* The draft changes, then goes; the original image goes too. */
  wc_draft_set_text (draft, "Something else entirely");
  g_assert_true (wc_store_save_draft (f->store, draft, NULL));
  g_assert_true (wc_store_delete_draft (f->store, f->draft_id, NULL));
  g_unlink (image);

  loaded = wc_store_get_outbox_entry (f->store, wc_outbox_entry_get_id (entry), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_outbox_entry_get_content (loaded)->text, ==, "Hand hygiene saves lives.");
  g_assert_cmpint (wc_outbox_entry_get_content (loaded)->reply_policy, ==, WC_REPLY_POLICY_MENTIONED);
  g_assert_cmpstr (wc_outbox_entry_get_content (loaded)->language, ==, "de");
  g_assert_cmpint (wc_outbox_entry_get_draft_id (loaded), ==, 0);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (((WcAttachment *) g_ptr_array_index (wc_outbox_entry_get_content (loaded)->attachments, 0))->alt_text,
                   ==, "Hands");

  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SENDING, NULL, &error));
  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SENT, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
}

/* The server's ids of a post's uploads, as the store keeps them. */
static void
test_media_json (void)
{
  static const char * const ids[] = { "1091", "1092", NULL };
  static const char * const earlier[] = { "1001", NULL };
  g_autoptr(WcOutboxMedia) media = wc_outbox_media_new (1700000000, ids, earlier);
  g_autoptr(WcOutboxMedia) back = NULL;
  g_autoptr(WcOutboxMedia) none = wc_outbox_media_new (0, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = wc_outbox_media_to_json (media);

  back = wc_outbox_media_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->uploaded_at, ==, 1700000000);
  g_assert_true (g_strv_equal ((const char * const *) back->ids, ids));
  g_assert_true (g_strv_equal ((const char * const *) back->earlier, earlier));
  g_assert_true (wc_outbox_media_contains (back, "1092"));
  g_assert_true (wc_outbox_media_contains (back, "1001"));
  g_assert_false (wc_outbox_media_contains (back, "1093"));
  /* Never NULL lists. */
  g_assert_nonnull (none->ids);
  g_assert_null (none->ids[0]);
  g_assert_null (none->earlier[0]);

  for (guint i = 0; i < 4; i++)
    {
      static const char * const bad[] = { "", "[]", "{\"ids\":\"1\"}", "{\"ids\":[1]}" };
      g_autoptr(GError) e = NULL;

      g_assert_null (wc_outbox_media_new_from_json (bad[i], &e));
      g_assert_error (e, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT);
    }
}

static char *
db_text (Fixture    *f,
         gint64      id,
         const char *column)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM outbox WHERE id = %" G_GINT64_FORMAT, column, id);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static const char *
image_path (const WcOutboxContent *content,
            guint                  index)
{
  g_assert_nonnull (content);
  g_assert_cmpuint (index, <, content->attachments->len);
  return ((WcAttachment *) g_ptr_array_index (content->attachments, index))->path;
}

/* A change that waits for the server copy's withdrawal, and the uploads
 * of a post, are stored with the entry, read back after reopening, and
 * follow the rules: the change with its own image copies, sealed like the
 * content; dropped by a move out of "server-scheduled"; when it becomes
 * the content in the move that ends the wait, its images are kept as they
 * are and the uploads of the earlier content are dropped. */
static void
test_pending_and_media (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const ids[] = { "501", NULL };
  g_autofree char *first_image = g_build_filename (f->dir, "first.png", NULL);
  g_autofree char *second_image = g_build_filename (f->dir, "second.png", NULL);
  g_autoptr(WcOutboxContent) content = make_content ("Ward round at nine");
  g_autoptr(WcOutboxContent) change = make_content ("Ward round at ten");
  g_autoptr(WcOutboxMedia) media = wc_outbox_media_new (1234, ids, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WcOutboxEntry) loaded = NULL;
  g_autoptr(WcStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *old_copy = NULL;
  g_autofree char *new_copy = NULL;
  WcOutboxUpdate update = { 0 };
  WcAttachment *attachment;
  WcOutboxEntry *entry;

  write_png_with_text (first_image);
  write_png_with_text (second_image);
  attachment = g_new0 (WcAttachment, 1);
  attachment->path = g_strdup (first_image);
  attachment->alt_text = g_strdup ("Before");
  g_ptr_array_add (content->attachments, attachment);
  attachment = g_new0 (WcAttachment, 1);
  attachment->path = g_strdup (second_image);
  attachment->alt_text = g_strdup ("After");
  g_ptr_array_add (change->attachments, attachment);

  entry = wc_outbox_entry_new (f->draft_id, f->account_id, WC_IDENTITY_PROFESSIONAL, 5000, content);
  g_ptr_array_add (entries, entry);
  g_assert_true (wc_store_add_outbox_entries (f->store, entries, &error));
  g_assert_no_error (error);
  g_assert_null (wc_outbox_entry_get_pending_content (entry));
  g_assert_null (wc_outbox_entry_get_media (entry));
  old_copy = g_strdup (image_path (wc_outbox_entry_get_content (entry), 0));

  update.fields = WC_OUTBOX_FIELD_REMOTE_ID | WC_OUTBOX_FIELD_MEDIA;
  update.remote_id = "77";
  update.media = media;
  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SERVER_SCHEDULED, &update, &error));
  g_assert_no_error (error);
  memset (&update, 0, sizeof update);
  update.fields = WC_OUTBOX_FIELD_PENDING_CONTENT;
  update.pending_content = change;
  g_assert_true (wc_store_update_outbox_entry (f->store, entry, &update, &error));
  g_assert_no_error (error);

  /* As read by a new run. */
  reopened = wc_store_open (f->path, &error);
  g_assert_no_error (error);
  wc_test_store_unlock (reopened);
  loaded = wc_store_get_outbox_entry (reopened, wc_outbox_entry_get_id (entry), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_outbox_entry_get_content (loaded)->text, ==, "Ward round at nine");
  g_assert_nonnull (wc_outbox_entry_get_pending_content (loaded));
  g_assert_cmpstr (wc_outbox_entry_get_pending_content (loaded)->text, ==, "Ward round at ten");
  g_assert_cmpstr (((WcAttachment *) g_ptr_array_index (wc_outbox_entry_get_pending_content (loaded)->attachments, 0))->alt_text,
                   ==, "After");
  new_copy = g_strdup (image_path (wc_outbox_entry_get_pending_content (loaded), 0));
  g_assert_cmpstr (new_copy, !=, second_image);
  g_assert_cmpstr (new_copy, !=, old_copy);
  g_assert_true (g_file_test (new_copy, G_FILE_TEST_EXISTS));
  g_assert_nonnull (wc_outbox_entry_get_media (loaded));
  g_assert_cmpint (wc_outbox_entry_get_media (loaded)->uploaded_at, ==, 1234);
  g_assert_true (g_strv_equal ((const char * const *) wc_outbox_entry_get_media (loaded)->ids, ids));
  /* The change is sealed as the content is. */
  raw = db_text (f, wc_outbox_entry_get_id (entry), "pending_content");
  g_assert_true (g_str_has_prefix (raw, WC_CRYPTO_PREFIX));
  g_assert_null (strstr (raw, "Ward round"));
  wc_store_close (reopened);

  /* Withdrawn: the change becomes the post. Its image is the same copy,
   * the earlier one goes, and so do the uploads of the earlier content. */
  memset (&update, 0, sizeof update);
  update.fields = WC_OUTBOX_FIELD_CONTENT | WC_OUTBOX_FIELD_REMOTE_ID;
  update.content = wc_outbox_entry_get_pending_content (loaded);
  update.remote_id = NULL;
  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SCHEDULED, &update, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Ward round at ten");
  g_assert_null (wc_outbox_entry_get_pending_content (entry));
  g_assert_null (wc_outbox_entry_get_media (entry));
  g_assert_cmpstr (image_path (wc_outbox_entry_get_content (entry), 0), ==, new_copy);
  g_assert_true (g_file_test (new_copy, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_copy, G_FILE_TEST_EXISTS));
  g_clear_pointer (&raw, g_free);
  raw = db_text (f, wc_outbox_entry_get_id (entry), "pending_content");
  g_assert_null (raw);

  /* A change dropped by a move (cancelled with the post): its copy goes. */
  memset (&update, 0, sizeof update);
  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_SERVER_SCHEDULED, NULL, &error));
  update.fields = WC_OUTBOX_FIELD_PENDING_CONTENT;
  update.pending_content = change;
  g_assert_true (wc_store_update_outbox_entry (f->store, entry, &update, &error));
  g_assert_no_error (error);
  g_clear_pointer (&old_copy, g_free);
  old_copy = g_strdup (image_path (wc_outbox_entry_get_pending_content (entry), 0));
  g_assert_cmpstr (old_copy, !=, new_copy);
  g_assert_true (g_file_test (old_copy, G_FILE_TEST_EXISTS));
  g_assert_true (wc_store_move_outbox_entry (f->store, entry, WC_OUTBOX_STATE_CANCELLED, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (wc_outbox_entry_get_pending_content (entry));
  g_assert_false (g_file_test (old_copy, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_copy, G_FILE_TEST_EXISTS));
}

static void
test_purge_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WcOutboxEntry) keep = add_entry (f, 100, "Keep");
  g_autoptr(WcOutboxEntry) gone = add_entry (f, 200, "Gone");
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_store_move_outbox_entry (f->store, gone, WC_OUTBOX_STATE_CANCELLED, NULL, &error));
  /* Changed just now: a purge of older ones keeps it. */
  g_assert_cmpuint (wc_store_purge_outbox (f->store, g_get_real_time () / G_USEC_PER_SEC - 60, &error), ==, 0);
  g_assert_cmpuint (wc_store_purge_outbox (f->store, g_get_real_time () / G_USEC_PER_SEC + 60, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (wc_store_count_outbox (f->store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox/state-names", test_state_names);
  g_test_add_func ("/outbox/can-move", test_can_move_table);
  g_test_add_func ("/outbox/content-json", test_content_json);
  g_test_add ("/outbox/every-move", Fixture, NULL, fixture_setup, test_every_move_in_store, fixture_teardown);
  g_test_add ("/outbox/stale-copy", Fixture, NULL, fixture_setup, test_stale_copy_refused, fixture_teardown);
  g_test_add ("/outbox/add-all-or-none", Fixture, NULL, fixture_setup, test_add_all_or_none, fixture_teardown);
  g_test_add ("/outbox/round-trip", Fixture, NULL, fixture_setup, test_round_trip_and_lists, fixture_teardown);
  g_test_add ("/outbox/content-survives-draft", Fixture, NULL, fixture_setup, test_content_survives_draft, fixture_teardown);
  g_test_add ("/outbox/purge-cancelled", Fixture, NULL, fixture_setup, test_purge_cancelled, fixture_teardown);
  g_test_add_func ("/outbox/media-json", test_media_json);
  g_test_add ("/outbox/pending-and-media", Fixture, NULL, fixture_setup, test_pending_and_media, fixture_teardown);

  return g_test_run ();
}
