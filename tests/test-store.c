/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "wc-store.h"
#include "wc-store-connect.h"
#include "wc-store-outbox.h"
#include "wc-store-requests.h"
#include "wc-test-key.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("whitecoat-store-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "sub", "whitecoat.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static WcAccount *
make_account (WcIdentityKind  identity,
              const char     *network,
              const char     *handle)
{
  WcAccount *account = wc_account_new (identity, network);

  wc_account_set_handle (account, handle);
  return account;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static void
test_store_create (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (fixture->path, &error);
  g_autofree char *journal = NULL;
  g_autofree char *fk = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (wc_store_get_schema_version (store), ==, WC_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (wc_store_get_path (store), ==, fixture->path);

  /* The user's own, whatever the umask. */
  {
    GStatBuf st;
    g_autofree char *dir = g_path_get_dirname (fixture->path);

    g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
    g_assert_cmpint (g_stat (dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }

  journal = query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");

  /* Foreign keys are a per-connection setting: check the store's own. */
  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PERSONAL), ==, 0);
  fk = query_text (fixture->path, "SELECT count(*) FROM pragma_foreign_key_list('markers')");
  g_assert_cmpstr (fk, ==, "1");

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_store_default_path (void)
{
  g_autofree char *path = wc_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "whitecoat", "whitecoat.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_store_accounts_crud (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcAccount) mastodon = make_account (WC_IDENTITY_PROFESSIONAL, "mastodon", "dr_jansen@med.example");
  g_autoptr(WcAccount) facebook = make_account (WC_IDENTITY_PERSONAL, "facebook", "anna.jansen.75");
  g_autoptr(WcAccount) loaded = NULL;
  g_autoptr(GPtrArray) professional = NULL;
  g_autoptr(GPtrArray) personal = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  wc_account_set_display_name (mastodon, "Dr. Anna Jansen");
  g_assert_true (wc_store_add_account (store, mastodon, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wc_account_get_id (mastodon), >, 0);
  g_assert_true (wc_store_add_account (store, facebook, &error));
  g_assert_no_error (error);

  professional = wc_store_list_accounts (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (professional->len, ==, 1);
  personal = wc_store_list_accounts (store, WC_IDENTITY_PERSONAL, &error);
  g_assert_cmpuint (personal->len, ==, 1);
  all = wc_store_list_all_accounts (store, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PROFESSIONAL), ==, 1);

  /* Read back: normalised as stored. */
  loaded = wc_store_get_account (store, wc_account_get_id (mastodon), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_account_get_handle (loaded), ==, "@dr_jansen@med.example");
  g_assert_cmpstr (wc_account_get_server (loaded), ==, "https://med.example");
  g_assert_cmpstr (wc_account_get_display_name (loaded), ==, "Dr. Anna Jansen");
  g_assert_cmpint (wc_account_get_identity (loaded), ==, WC_IDENTITY_PROFESSIONAL);

  /* Update */
  wc_account_set_display_name (loaded, "Anna Jansen, GP");
  wc_account_set_profile_url (loaded, "https://med.example/@dr_jansen");
  g_assert_true (wc_store_update_account (store, loaded, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = wc_store_get_account (store, wc_account_get_id (mastodon), NULL);
  g_assert_cmpstr (wc_account_get_display_name (loaded), ==, "Anna Jansen, GP");
  g_assert_cmpstr (wc_account_get_profile_url (loaded), ==, "https://med.example/@dr_jansen");

  /* Delete */
  g_assert_true (wc_store_remove_account (store, wc_account_get_id (mastodon), &error));
  g_assert_no_error (error);
  g_assert_null (wc_store_get_account (store, wc_account_get_id (mastodon), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wc_store_remove_account (store, wc_account_get_id (mastodon), &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wc_store_update_account (store, loaded, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
}

static void
test_store_cross_link_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcAccount) personal = make_account (WC_IDENTITY_PERSONAL, "mastodon", "@anna@social.example");
  g_autoptr(WcAccount) professional = make_account (WC_IDENTITY_PROFESSIONAL, "mastodon", " @Anna@Social.Example ");
  g_autoptr(WcAccount) again = make_account (WC_IDENTITY_PERSONAL, "mastodon", "anna@social.example");
  g_autoptr(WcAccount) other = make_account (WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr_anna@social.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (wc_store_add_account (store, personal, NULL));

  /* The same account, written differently, in the other identity. */
  g_assert_false (wc_store_add_account (store, professional, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_CROSS_LINK);
  g_assert_nonnull (strstr (error->message, "cannot belong to both identities"));
  g_assert_cmpint (wc_account_get_id (professional), ==, -1);
  g_clear_error (&error);

  g_assert_false (wc_store_add_account (store, again, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PROFESSIONAL), ==, 0);
  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PERSONAL), ==, 1);

  /* Moving an account to the other identity by editing is allowed … */
  g_assert_true (wc_store_add_account (store, other, NULL));
  wc_account_set_identity (personal, WC_IDENTITY_PROFESSIONAL);
  g_assert_true (wc_store_update_account (store, personal, &error));
  g_assert_no_error (error);

  /* … but not by editing another account into the same one. */
  wc_account_set_handle (other, "@anna@social.example");
  g_assert_false (wc_store_update_account (store, other, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_DUPLICATE);
}

static void
test_store_bad_input_stores_nothing (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autofree char *long_name = g_strnfill (10000, 'n');
  const struct {
    const char *network;
    const char *handle;
    const char *server;
    const char *display_name;
    WcAccountError field;
  } cases[] = {
    { "mastodon", "", NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
    { "mastodon", "   ", NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
    { "mastodon", "anna", NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
    { "bluesky", "anna", NULL, NULL, WC_ACCOUNT_ERROR_HANDLE },
    { "mastodon", "@anna@social.example", "ftp://social.example", NULL, WC_ACCOUNT_ERROR_SERVER },
    { "x", "@anna", NULL, long_name, WC_ACCOUNT_ERROR_DISPLAY_NAME },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WcAccount) account = make_account (WC_IDENTITY_PERSONAL, cases[i].network, cases[i].handle);
      g_autoptr(GError) error = NULL;

      wc_account_set_server (account, cases[i].server);
      wc_account_set_display_name (account, cases[i].display_name);
      g_assert_false (wc_store_add_account (store, account, &error));
      g_assert_error (error, WC_ACCOUNT_ERROR, cases[i].field);
    }
  g_assert_cmpuint (wc_store_count_accounts (store, WC_IDENTITY_PERSONAL), ==, 0);
}

static void
test_store_identity_round_trip (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcIdentity) identity = NULL;
  g_autoptr(WcIdentity) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *markers;

  /* Nothing saved yet: the defaults. */
  identity = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_color (identity), ==, "#3584e4");

  wc_identity_set_name (identity, "Dr. Anna Jansen");
  wc_identity_set_color (identity, "#1c71d8");
  wc_identity_add_marker (identity, WC_MARKER_REAL_NAME, "Anna Jansen");
  wc_identity_add_marker (identity, WC_MARKER_ORGANISATION, "Sint-Elisabeth Ziekenhuis");
  wc_identity_add_marker (identity, WC_MARKER_DOMAIN, "https://praktijkjansen.nl/");
  g_assert_true (wc_store_save_identity (store, identity, &error));
  g_assert_no_error (error);

  /* Reopen: it is on disk. */
  g_clear_object (&store);
  store = wc_store_open (fixture->path, NULL);
  loaded = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wc_identity_get_name (loaded), ==, "Dr. Anna Jansen");
  g_assert_cmpstr (wc_identity_get_color (loaded), ==, "#1c71d8");
  markers = wc_identity_get_markers (loaded);
  g_assert_cmpuint (markers->len, ==, 3);
  g_assert_cmpint (((WcMarker *) markers->pdata[0])->kind, ==, WC_MARKER_REAL_NAME);
  g_assert_cmpstr (((WcMarker *) markers->pdata[1])->value, ==, "Sint-Elisabeth Ziekenhuis");
  g_assert_cmpstr (((WcMarker *) markers->pdata[2])->value, ==, "praktijkjansen.nl");

  /* The personal identity is untouched. */
  g_clear_object (&loaded);
  loaded = wc_store_load_identity (store, WC_IDENTITY_PERSONAL, NULL);
  g_assert_cmpstr (wc_identity_get_color (loaded), ==, "#2ec27e");
  g_assert_cmpuint (wc_identity_get_markers (loaded)->len, ==, 0);
}

static void
test_store_identity_all_or_nothing (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcIdentity) identity = wc_identity_new (WC_IDENTITY_PERSONAL);
  g_autoptr(WcIdentity) loaded = NULL;
  g_autoptr(GError) error = NULL;

  wc_identity_set_name (identity, "Anna");
  wc_identity_add_marker (identity, WC_MARKER_NICKNAME, "Annie");
  g_assert_true (wc_store_save_identity (store, identity, NULL));

  /* A bad marker among good changes: nothing of the change is saved. */
  wc_identity_set_name (identity, "Anna J.");
  wc_identity_add_marker (identity, WC_MARKER_FAMILY_NAME, "de Vries");
  wc_identity_add_marker (identity, WC_MARKER_NICKNAME, "?!");
  g_assert_false (wc_store_save_identity (store, identity, &error));
  g_assert_error (error, WC_IDENTITY_ERROR, WC_IDENTITY_ERROR_MARKER);

  loaded = wc_store_load_identity (store, WC_IDENTITY_PERSONAL, NULL);
  g_assert_cmpstr (wc_identity_get_name (loaded), ==, "Anna");
  g_assert_cmpuint (wc_identity_get_markers (loaded)->len, ==, 1);
}

/* Fills a database at @version with the data that version can hold, then
 * opens it with the current code and checks nothing was lost. */
static void
test_store_migrations (Fixture       *fixture,
                       gconstpointer  data)
{
  for (int version = 0; version < WC_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s.v%d", fixture->path, version);
      g_autoptr(GError) error = NULL;
      g_autoptr(WcStore) old = wc_store_open_at_version (path, version, &error);
      g_autoptr(WcStore) store = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      g_autoptr(WcIdentity) identity = NULL;
      g_autoptr(WcAccount) account = NULL;
      g_autoptr(GPtrArray) drafts = NULL;
      g_autoptr(WcDraft) again = NULL;
      sqlite3 *db = NULL;

      g_test_message ("from schema %d", version);
      g_assert_no_error (error);
      g_assert_cmpint (wc_store_get_schema_version (old), ==, version);
      g_clear_object (&old);

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      if (version >= 1)
        {
          g_assert_cmpint (sqlite3_exec (db,
            "INSERT INTO identities VALUES ('professional', 'Dr. Jansen', '#1a5fb4');"
            "INSERT INTO accounts (identity, network, handle, server, display_name, account_key, created_at) "
            "VALUES ('professional', 'mastodon', '@dr@med.example', 'https://med.example', 'Dr. J', "
            "'mastodon:@dr@med.example', 1700000000);",
            NULL, NULL, NULL), ==, SQLITE_OK);
        }
      if (version >= 3)
        {
          g_assert_cmpint (sqlite3_exec (db,
            "INSERT INTO drafts (identity, text, created_at, updated_at) "
            "VALUES ('professional', 'Grand rounds at noon', 1700000000, 1700000000);",
            NULL, NULL, NULL), ==, SQLITE_OK);
        }
      if (version >= 6)
        {
          g_assert_cmpint (sqlite3_exec (db,
            "INSERT INTO outbox (account_id, identity, state, due_at, content, idempotency_key, "
            "created_at, updated_at, remote_id) VALUES (1, 'professional', 'server-scheduled', 1800000000, "
            "'{\"text\":\"Journal club\",\"visibility\":\"public\",\"language\":null,\"attachments\":[]}', "
            "'key-1', 1700000000, 1700000000, '42');",
            NULL, NULL, NULL), ==, SQLITE_OK);
        }
      sqlite3_close (db);

      store = wc_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (wc_store_get_schema_version (store), ==, WC_STORE_SCHEMA_VERSION);

      accounts = wc_store_list_accounts (store, WC_IDENTITY_PROFESSIONAL, &error);
      g_assert_no_error (error);
      identity = wc_store_load_identity (store, WC_IDENTITY_PROFESSIONAL, NULL);
      if (version >= 1)
        {
          g_assert_cmpuint (accounts->len, ==, 1);
          g_assert_cmpstr (wc_account_get_display_name (accounts->pdata[0]), ==, "Dr. J");
          g_assert_null (wc_account_get_profile_url (accounts->pdata[0]));
          g_assert_cmpstr (wc_identity_get_name (identity), ==, "Dr. Jansen");
        }
      else
        g_assert_cmpuint (accounts->len, ==, 0);

      /* A draft written before who-may-reply and the language were kept
       * lets everyone reply and says no language; the new columns take
       * values. */
      drafts = wc_store_list_drafts (store, WC_IDENTITY_PROFESSIONAL, &error);
      g_assert_no_error (error);
      if (version >= 3)
        {
          WcDraft *old_draft;

          g_assert_cmpuint (drafts->len, ==, 1);
          old_draft = drafts->pdata[0];
          g_assert_cmpstr (wc_draft_get_text (old_draft), ==, "Grand rounds at noon");
          g_assert_cmpint (wc_draft_get_reply_policy (old_draft), ==, WC_REPLY_POLICY_EVERYONE);
          g_assert_cmpstr (wc_draft_get_language (old_draft), ==, "");
          /* Read as it was written; it is sealed once there is a key. */
          wc_test_store_unlock (store);
          wc_draft_set_reply_policy (old_draft, WC_REPLY_POLICY_MENTIONED);
          wc_draft_set_language (old_draft, "nl");
          g_assert_true (wc_store_save_draft (store, old_draft, &error));
          g_assert_no_error (error);
          again = wc_store_load_draft (store, wc_draft_get_id (old_draft), &error);
          g_assert_no_error (error);
          g_assert_cmpint (wc_draft_get_reply_policy (again), ==, WC_REPLY_POLICY_MENTIONED);
          g_assert_cmpstr (wc_draft_get_language (again), ==, "nl");
        }
      else
        g_assert_cmpuint (drafts->len, ==, 0);

      /* A post scheduled on the server before its waiting change and its
       * uploads were kept (schema 9) has neither, and takes both. */
      if (version >= 6)
        {
          static const char * const ids[] = { "900", NULL };
          g_autoptr(GPtrArray) outbox = wc_store_list_outbox_active (store, &error);
          g_autoptr(WcOutboxContent) change = NULL;
          g_autoptr(WcOutboxMedia) media = wc_outbox_media_new (1700000100, ids, NULL);
          g_autoptr(WcOutboxEntry) reread = NULL;
          WcOutboxUpdate update = { 0 };
          WcOutboxEntry *entry;

          g_assert_no_error (error);
          g_assert_cmpuint (outbox->len, ==, 1);
          entry = outbox->pdata[0];
          g_assert_cmpstr (wc_outbox_entry_get_content (entry)->text, ==, "Journal club");
          g_assert_cmpint (wc_outbox_entry_get_state (entry), ==, WC_OUTBOX_STATE_SERVER_SCHEDULED);
          g_assert_null (wc_outbox_entry_get_pending_content (entry));
          g_assert_null (wc_outbox_entry_get_media (entry));

          if (!wc_store_has_data_key (store))
            wc_test_store_unlock (store);
          change = wc_outbox_content_copy (wc_outbox_entry_get_content (entry));
          g_free (change->text);
          change->text = g_strdup ("Journal club, room 4");
          update.fields = WC_OUTBOX_FIELD_PENDING_CONTENT | WC_OUTBOX_FIELD_MEDIA;
          update.pending_content = change;
          update.media = media;
          g_assert_true (wc_store_update_outbox_entry (store, entry, &update, &error));
          g_assert_no_error (error);
          reread = wc_store_get_outbox_entry (store, wc_outbox_entry_get_id (entry), &error);
          g_assert_no_error (error);
          g_assert_cmpstr (wc_outbox_entry_get_pending_content (reread)->text, ==, "Journal club, room 4");
          g_assert_true (g_strv_equal ((const char * const *) wc_outbox_entry_get_media (reread)->ids, ids));
          g_assert_cmpstr (wc_outbox_entry_get_content (reread)->text, ==, "Journal club");
        }

      /* The migrated database takes everything the current one does. */
      wc_identity_add_marker (identity, WC_MARKER_TITLE, "Dr.");
      g_assert_true (wc_store_save_identity (store, identity, &error));
      g_assert_no_error (error);
      account = make_account (WC_IDENTITY_PERSONAL, "other", "anna");
      wc_account_set_custom_name (account, "Sermo");
      g_assert_true (wc_store_add_account (store, account, &error));
      g_assert_no_error (error);
    }
}

/* Who may reply and the language are kept with the draft, each policy
 * by its own name, and the database refuses a policy it does not know. */
static void
test_store_draft_reply_policy (Fixture       *fixture,
                               gconstpointer  data)
{
  static const WcReplyPolicy policies[] = {
    WC_REPLY_POLICY_NOBODY, WC_REPLY_POLICY_FOLLOWING,
    WC_REPLY_POLICY_MENTIONED, WC_REPLY_POLICY_EVERYONE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (fixture->path, &error);
  g_autoptr(WcDraft) draft = wc_draft_new (WC_IDENTITY_PERSONAL);
  sqlite3 *db = NULL;
  int rc;

  g_assert_no_error (error);
  wc_test_store_unlock (store);
  wc_draft_set_text (draft, "Bonjour");
  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autoptr(WcStore) reopened = NULL;
      g_autoptr(WcDraft) loaded = NULL;
      const char *language = i % 2 ? "FR" : "";

      wc_draft_set_reply_policy (draft, policies[i]);
      wc_draft_set_language (draft, language);
      g_assert_true (wc_store_save_draft (store, draft, &error));
      g_assert_no_error (error);

      reopened = wc_store_open (fixture->path, &error);
      g_assert_no_error (error);
      wc_test_store_unlock (reopened);
      loaded = wc_store_load_draft (reopened, wc_draft_get_id (draft), &error);
      g_assert_no_error (error);
      g_assert_cmpint (wc_draft_get_reply_policy (loaded), ==, policies[i]);
      /* Codes are kept in lower case, as ISO 639-1 writes them. */
      g_assert_cmpstr (wc_draft_get_language (loaded), ==, i % 2 ? "fr" : "");
    }

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "UPDATE drafts SET reply_policy = 'friends'", NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);
}

/* A server's limits survive a restart (a new store on the same file) and
 * reach the accounts on that server only. */
static void
test_store_server_configs (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (fixture->path, &error);
  g_autoptr(WcAccount) here = make_account (WC_IDENTITY_PROFESSIONAL, "mastodon", "@dr@big.example");
  g_autoptr(WcAccount) elsewhere = make_account (WC_IDENTITY_PERSONAL, "mastodon", "@anna@small.example");
  g_autoptr(WcServerConfig) config = NULL;
  WcServerLimits limits = { 1000, 40, 8, 1500 };
  WcServerLimits loaded = { 1, 1, 1, 1 };

  g_assert_no_error (error);
  wc_account_set_server (here, "https://big.example");
  wc_account_set_server (elsewhere, "https://small.example");
  g_assert_true (wc_store_add_account (store, here, &error));
  g_assert_true (wc_store_add_account (store, elsewhere, &error));
  g_assert_no_error (error);

  g_assert_null (wc_store_load_server_config (store, "mastodon", "https://big.example", &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wc_store_load_account_server_limits (store, wc_account_get_id (here), &loaded));
  g_assert_cmpuint (loaded.max_characters, ==, 0);

  g_assert_true (wc_store_save_server_config (store, "mastodon", "https://big.example", &limits, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = wc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  config = wc_store_load_server_config (store, "mastodon", "https://big.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->limits.max_characters, ==, 1000);
  g_assert_cmpuint (config->limits.chars_per_url, ==, 40);
  g_assert_cmpuint (config->limits.max_media, ==, 8);
  g_assert_cmpuint (config->limits.description_limit, ==, 1500);
  g_assert_cmpint (config->fetched_at, >, 1700000000);
  g_assert_true (wc_store_load_account_server_limits (store, wc_account_get_id (here), &loaded));
  g_assert_cmpuint (loaded.max_characters, ==, 1000);
  g_assert_cmpuint (loaded.chars_per_url, ==, 40);
  g_assert_false (wc_store_load_account_server_limits (store, wc_account_get_id (elsewhere), &loaded));
  g_assert_cmpuint (loaded.max_characters, ==, 0);
  /* Another network on the same host is another server. */
  g_assert_null (wc_store_load_server_config (store, "bluesky", "https://big.example", NULL));

  /* Read again: replaced. */
  limits.max_characters = 5000;
  g_assert_true (wc_store_save_server_config (store, "mastodon", "https://big.example", &limits, &error));
  g_assert_true (wc_store_load_account_server_limits (store, wc_account_get_id (here), &loaded));
  g_assert_cmpuint (loaded.max_characters, ==, 5000);
}

/* A warning about a request is raised once, ever: also after a restart;
 * answers are recorded; the rows go with the account. */
static void
test_store_follow_requests (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = wc_store_open (fixture->path, &error);
  g_autoptr(WcAccount) account = make_account (WC_IDENTITY_PERSONAL, "mastodon", "@anna@small.example");
  g_autoptr(WcFollowRequestRecord) record = NULL;
  gboolean first = FALSE;
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (wc_store_add_account (store, account, &error));
  g_assert_no_error (error);
  id = wc_account_get_id (account);

  g_assert_null (wc_store_load_follow_request (store, id, "109", &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    const char *bad[] = { "111", "", NULL };
    const char *seen[] = { "109", "112", NULL };

    g_assert_false (wc_store_note_follow_requests (store, id, bad, &error));
    g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (wc_store_load_follow_request (store, id, "111", NULL));
    g_assert_true (wc_store_note_follow_requests (store, id, seen, &error));
    g_assert_no_error (error);
    g_assert_nonnull (record = wc_store_load_follow_request (store, id, "112", NULL));
    g_clear_pointer (&record, wc_follow_request_record_free);
  }
  record = wc_store_load_follow_request (store, id, "109", &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->first_seen, >, 1700000000);
  g_assert_cmpint (record->notified_at, ==, 0);
  g_assert_null (record->answer);
  g_clear_pointer (&record, wc_follow_request_record_free);

  g_assert_true (wc_store_mark_follow_request_notified (store, id, "109", &first, &error));
  g_assert_true (first);
  g_assert_true (wc_store_mark_follow_request_notified (store, id, "109", &first, &error));
  g_assert_false (first);
  /* Not yet seen: marked and seen at once. */
  g_assert_true (wc_store_mark_follow_request_notified (store, id, "110", &first, &error));
  g_assert_true (first);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = wc_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (wc_store_mark_follow_request_notified (store, id, "109", &first, &error));
  g_assert_false (first);
  {
    const char *again[] = { "109", NULL };

    /* Seen again: what was recorded stays. */
    g_assert_true (wc_store_note_follow_requests (store, id, again, &error));
  }
  record = wc_store_load_follow_request (store, id, "109", &error);
  g_assert_cmpint (record->notified_at, >, 1700000000);
  g_clear_pointer (&record, wc_follow_request_record_free);

  g_assert_true (wc_store_record_follow_request_answer (store, id, "109", WC_REQUEST_ANSWER_DECLINE_AND_POINT,
                                                        &error));
  g_assert_no_error (error);
  record = wc_store_load_follow_request (store, id, "109", &error);
  g_assert_cmpstr (record->answer, ==, "decline-and-point");
  g_assert_cmpint (record->answered_at, >, 1700000000);
  g_assert_cmpint (record->notified_at, >, 1700000000);
  g_clear_pointer (&record, wc_follow_request_record_free);

  g_assert_true (wc_store_remove_account (store, id, &error));
  g_assert_no_error (error);
  g_assert_null (wc_store_load_follow_request (store, id, "109", &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_NOT_FOUND);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

static void
test_store_corrupt_moved_aside (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WcStore) store = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *contents = NULL;
  const char *garbage = "This is not a database, but it is someone's file.";

  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *moved_wal = NULL;

  write_file (fixture->path, garbage, -1);
  /* A log left by a killed process belongs to the old file, not the new one. */
  write_file (wal, "stale write-ahead log", -1);

  g_assert_null (wc_store_open (fixture->path, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  store = wc_store_open_or_recover (fixture->path, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_nonnull (moved);
  g_assert_true (g_str_has_prefix (moved, fixture->path));
  g_assert_nonnull (strstr (moved, "damaged"));

  /* Kept, not deleted, byte for byte. */
  g_assert_true (g_file_get_contents (moved, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);
  moved_wal = g_strconcat (moved, "-wal", NULL);
  g_assert_true (g_file_test (moved_wal, G_FILE_TEST_IS_REGULAR));

  /* And the app goes on with a fresh database. */
  g_assert_cmpint (wc_store_get_schema_version (store), ==, WC_STORE_SCHEMA_VERSION);
  {
    g_autoptr(WcAccount) account = make_account (WC_IDENTITY_PERSONAL, "x", "@anna");
    g_assert_true (wc_store_add_account (store, account, &error));
    g_assert_no_error (error);
  }
}

static void
test_store_damaged_pages_moved_aside (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *moved = NULL;
  gsize length;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *handle = g_strdup_printf ("@user%u", i);
      g_autoptr(WcAccount) account = make_account (WC_IDENTITY_PERSONAL, "x", handle);

      wc_account_set_display_name (account, "A display name long enough to fill a few pages of the file");
      g_assert_true (wc_store_add_account (store, account, NULL));
    }
  g_clear_object (&store);  /* checkpoints the WAL into the file */

  /* Scribble over everything after the header page. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);
  for (gsize i = 4096; i < length; i++)
    contents[i] = (char) (i * 7);
  write_file (fixture->path, contents, length);

  reopened = wc_store_open_or_recover (fixture->path, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_cmpuint (wc_store_count_accounts (reopened, WC_IDENTITY_PERSONAL), ==, 0);
}

static void
test_store_newer_moved_aside (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *version = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (wc_store_open (fixture->path, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);

  store = wc_store_open_or_recover (fixture->path, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (moved, "newer"));
  version = query_text (moved, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "99");
  g_assert_cmpint (wc_store_get_schema_version (store), ==, WC_STORE_SCHEMA_VERSION);
}

static void
test_store_unopenable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "whitecoat.db", NULL);

  /* A folder that cannot be made: its parent is a file. */
  write_file (blocker, "x", -1);
  g_assert_null (wc_store_open_or_recover (path, &moved, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_OPEN);
  g_assert_null (moved);
}

static void
test_store_close_and_delete (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(WcStore) store = wc_store_open (fixture->path, NULL);
  g_autoptr(WcAccount) account = make_account (WC_IDENTITY_PERSONAL, "x", "@anna");
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

  g_autofree char *images = wc_store_dup_images_dir (store);
  g_autofree char *image = g_build_filename (images, "cleaned.jpg", NULL);

  g_assert_true (wc_store_add_account (store, account, NULL));
  write_file (image, "a cleaned clinical image", -1);
  wc_store_close (store);
  g_assert_null (wc_store_list_all_accounts (store, &error));
  g_assert_error (error, WC_STORE_ERROR, WC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (wc_store_delete_database (fixture->path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (images, G_FILE_TEST_EXISTS));
  /* Deleting what is already gone is fine. */
  g_assert_true (wc_store_delete_database (fixture->path, &error));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) g_test_add ("/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("draft-reply-policy", test_store_draft_reply_policy);
  ADD ("create", test_store_create);
  ADD ("accounts-crud", test_store_accounts_crud);
  ADD ("cross-link-refused", test_store_cross_link_refused);
  ADD ("bad-input-stores-nothing", test_store_bad_input_stores_nothing);
  ADD ("identity-round-trip", test_store_identity_round_trip);
  ADD ("identity-all-or-nothing", test_store_identity_all_or_nothing);
  ADD ("migrations", test_store_migrations);
  ADD ("server-configs", test_store_server_configs);
  ADD ("follow-requests", test_store_follow_requests);
  ADD ("corrupt-moved-aside", test_store_corrupt_moved_aside);
  ADD ("damaged-pages-moved-aside", test_store_damaged_pages_moved_aside);
  ADD ("newer-moved-aside", test_store_newer_moved_aside);
  ADD ("unopenable", test_store_unopenable);
  ADD ("close-and-delete", test_store_close_and_delete);
#undef ADD
  g_test_add_func ("/store/default-path", test_store_default_path);

  return g_test_run ();
}
