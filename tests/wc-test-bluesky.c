/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "wc-test-bluesky.h"

static char *
checksum_of_files (const char * const *paths)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (paths[i], &contents, &length, NULL))
        return NULL;
      g_checksum_update (checksum, (const guchar *) contents, length);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  return g_file_get_contents (from, &contents, &length, NULL)
         && g_file_set_contents (to, contents, length, NULL);
}

static gboolean
node_is_usable (char **skip_reason)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *version = NULL;
  const char *argv[] = { "node", "--version", NULL };
  int major;

  if (node == NULL || npm == NULL)
    {
      *skip_reason = g_strdup ("Node.js and npm are not installed, so the Bluesky tests cannot start "
                               "their PDS (Debian: apt install nodejs npm)");
      return FALSE;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &version, NULL, NULL, NULL)
      || version == NULL || version[0] != 'v')
    {
      *skip_reason = g_strdup ("`node --version` did not run");
      return FALSE;
    }
  major = atoi (version + 1);
  if (major < 18)
    {
      *skip_reason = g_strdup_printf ("Node.js %s is too old for @atproto/pds 0.4 (18 or newer)", g_strstrip (version));
      return FALSE;
    }
  return TRUE;
}

/* npm ci into the build directory, once per lockfile. */
static char *
ensure_installed (char **skip_reason)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *source = g_build_filename (srcdir ? srcdir : ".", "servers", "bluesky", NULL);
  g_autofree char *target = g_build_filename (builddir ? builddir : ".", "bluesky-servers", NULL);
  g_autofree char *src_package = g_build_filename (source, "package.json", NULL);
  g_autofree char *src_lock = g_build_filename (source, "package-lock.json", NULL);
  g_autofree char *src_start = g_build_filename (source, "start.js", NULL);
  g_autofree char *dst_package = g_build_filename (target, "package.json", NULL);
  g_autofree char *dst_lock = g_build_filename (target, "package-lock.json", NULL);
  g_autofree char *dst_start = g_build_filename (target, "start.js", NULL);
  g_autofree char *stamp_path = g_build_filename (target, ".installed", NULL);
  g_autofree char *lock_path = g_build_filename (target, ".lock", NULL);
  g_autofree char *log_path = g_build_filename (target, "npm-ci.log", NULL);
  g_autofree char *npm_cache = g_build_filename (target, "npm-cache", NULL);
  g_autofree char *marker = g_build_filename (target, "node_modules", "@atproto", "pds", "package.json", NULL);
  const char *files[] = { src_package, src_lock, NULL };
  g_autofree char *want = checksum_of_files (files);
  g_autofree char *have = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) npm = NULL;
  g_autoptr(GError) error = NULL;
  int lock_fd;

  if (want == NULL)
    {
      *skip_reason = g_strdup_printf ("%s is missing", src_lock);
      return NULL;
    }
  if (!node_is_usable (skip_reason))
    return NULL;

  g_mkdir_with_parents (target, 0755);
  /* Tests may run in parallel: one installs, the others wait. */
  lock_fd = g_open (lock_path, O_RDWR | O_CREAT, 0644);
  if (lock_fd >= 0)
    flock (lock_fd, LOCK_EX);

  g_file_get_contents (stamp_path, &have, NULL, NULL);
  if (g_strcmp0 (have, want) != 0 || !g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      g_printerr ("# Installing the Bluesky test servers with npm ci into %s (once per lockfile)\n", target);
      g_unlink (stamp_path);
      if (!copy_file (src_package, dst_package) || !copy_file (src_lock, dst_lock))
        {
          *skip_reason = g_strdup_printf ("could not copy the package files into %s", target);
          goto out;
        }
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_set_cwd (launcher, target);
      g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
      g_subprocess_launcher_take_stderr_fd (launcher, dup (STDERR_FILENO));
      /* Without a prebuilt better-sqlite3 (no internet but the registry),
       * node-gyp builds it against the installed headers. */
      /* Tests run with a throw-away HOME: npm's cache lives beside the
       * packages, so that a new lockfile downloads only what changed. */
      g_subprocess_launcher_setenv (launcher, "HOME", target, TRUE);
      g_subprocess_launcher_setenv (launcher, "npm_config_cache", npm_cache, TRUE);
      g_subprocess_launcher_setenv (launcher, "npm_config_update_notifier", "false", TRUE);
      if (g_file_test ("/usr/include/node/node.h", G_FILE_TEST_EXISTS))
        g_subprocess_launcher_setenv (launcher, "npm_config_nodedir", "/usr", TRUE);
      npm = g_subprocess_launcher_spawn (launcher, &error, "npm", "ci", "--no-audit", "--no-fund",
                                         "--loglevel=error", NULL);
      if (npm == NULL || !g_subprocess_wait_check (npm, NULL, &error))
        {
          *skip_reason = g_strdup_printf ("npm ci failed (%s); see %s", error->message, log_path);
          goto out;
        }
      g_file_set_contents (stamp_path, want, -1, NULL);
    }
  if (!copy_file (src_start, dst_start))
    *skip_reason = g_strdup_printf ("could not copy %s", src_start);

out:
  if (lock_fd >= 0)
    {
      flock (lock_fd, LOCK_UN);
      close (lock_fd);
    }
  return *skip_reason == NULL ? g_steal_pointer (&target) : NULL;
}

/**
 * wc_test_bluesky_start:
 *
 * Returns: the running servers, or %NULL with @skip_reason. With
 *   WHITECOAT_REQUIRE_NODE=1 in the environment (CI), a missing Node or a
 *   failed install aborts instead.
 */
WcTestBluesky *
wc_test_bluesky_start (char **skip_reason)
{
  g_autofree char *dir = ensure_installed (skip_reason);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  WcTestBluesky *servers;
  JsonObject *object;

  if (dir == NULL)
    {
      if (g_strcmp0 (g_getenv ("WHITECOAT_REQUIRE_NODE"), "1") == 0)
        g_error ("WHITECOAT_REQUIRE_NODE=1 but: %s", *skip_reason);
      return NULL;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_take_stderr_fd (launcher, dup (STDERR_FILENO));
  g_subprocess_launcher_setenv (launcher, "LOG_ENABLED", "false", TRUE);
  servers = g_new0 (WcTestBluesky, 1);
  servers->process = g_subprocess_launcher_spawn (launcher, &error, "node", "start.js", NULL);
  g_assert_no_error (error);

  /* The script prints one line of JSON once everything listens. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (servers->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("The Bluesky test servers did not start (see the messages above)");
  g_assert_true (json_parser_load_from_data (parser, line, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  servers->pds = g_strdup (json_object_get_string_member (object, "pds"));
  servers->plc = g_strdup (json_object_get_string_member (object, "plc"));
  servers->appview = g_strdup (json_object_get_string_member (object, "appview"));
  servers->session = soup_session_new_with_options ("timeout", 60, NULL);
  g_printerr ("# Bluesky test servers: PDS %s, PLC %s, app view %s\n", servers->pds, servers->plc, servers->appview);
  return servers;
}

void
wc_test_bluesky_stop (WcTestBluesky *servers)
{
  g_autoptr(GError) error = NULL;

  if (servers == NULL)
    return;
  /* The script stops when its stdin closes. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (servers->process), NULL, NULL);
  g_subprocess_wait (servers->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&servers->process);
  g_clear_object (&servers->session);
  g_free (servers->pds);
  g_free (servers->plc);
  g_free (servers->appview);
  g_free (servers);
}

JsonNode *
wc_test_bluesky_xrpc (WcTestBluesky *servers,
                      const char    *method,
                      const char    *nsid,
                      const char    *query,
                      const char    *json_body,
                      const char    *token,
                      guint         *status)
{
  g_autofree char *url = g_strdup_printf ("%s/xrpc/%s%s%s", servers->pds, nsid, query ? "?" : "", query ? query : "");
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  g_assert_nonnull (msg);
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  answer = soup_session_send_and_read (servers->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  data = g_bytes_get_data (answer, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (json_parser_get_root (parser));
}

void
wc_test_bluesky_control (WcTestBluesky *servers,
                         const char    *path_and_query)
{
  g_autofree char *url = g_strconcat (servers->appview, path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = soup_session_send_and_read (servers->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

WcTestBlueskyAccount *
wc_test_bluesky_create_account (WcTestBluesky *servers,
                                const char    *name)
{
  WcTestBlueskyAccount *account = g_new0 (WcTestBlueskyAccount, 1);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) app_password = NULL;
  JsonObject *object;
  guint status;

  account->handle = g_strdup_printf ("%s.test", name);
  account->password = g_strdup_printf ("main-%08x%08x", g_random_int (), g_random_int ());
  body = g_strdup_printf ("{\"handle\":\"%s\",\"email\":\"%s@example.com\",\"password\":\"%s\"}",
                          account->handle, name, account->password);
  created = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.server.createAccount", NULL, body, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  object = json_node_get_object (created);
  account->did = g_strdup (json_object_get_string_member (object, "did"));
  account->access_jwt = g_strdup (json_object_get_string_member (object, "accessJwt"));
  account->refresh_jwt = g_strdup (json_object_get_string_member (object, "refreshJwt"));

  app_password = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.server.createAppPassword", NULL,
                                       "{\"name\":\"Whitecoat test\"}", account->access_jwt, &status);
  g_assert_cmpuint (status, ==, 200);
  account->app_password = g_strdup (json_object_get_string_member (json_node_get_object (app_password), "password"));
  return account;
}

void
wc_test_bluesky_account_free (WcTestBlueskyAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->handle);
  g_free (account->did);
  g_free (account->password);
  g_free (account->app_password);
  g_free (account->access_jwt);
  g_free (account->refresh_jwt);
  g_free (account);
}

void
wc_test_bluesky_follow (WcTestBluesky        *servers,
                        WcTestBlueskyAccount *follower,
                        const char           *subject_did)
{
  /* Followed now: the requests inbox lists only recent new followers. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  g_autofree char *body = g_strdup_printf ("{\"repo\":\"%s\",\"collection\":\"app.bsky.graph.follow\","
                                           "\"record\":{\"$type\":\"app.bsky.graph.follow\",\"subject\":\"%s\","
                                           "\"createdAt\":\"%s\"}}",
                                           follower->did, subject_did, created);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = wc_test_bluesky_xrpc (servers, "POST", "com.atproto.repo.createRecord", NULL, body,
                                 follower->access_jwt, &status);
  g_assert_cmpuint (status, ==, 200);
}
