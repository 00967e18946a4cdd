/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-mastodon-server"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib-unix.h>

#include "wc-mastodon-server.h"
#include "wc-mastodon-server-enums.h"

/* mastodon-test-server: the test server as a program, so that a person can
 * point Whitecoat at it by hand. It serves on 127.0.0.1 only, until Ctrl+C. */

static int port = 0;
static char *users_option = NULL;
static char **locked_option = NULL;
static char **hidden_option = NULL;
static char **followers_option = NULL;
static char **requests_option = NULL;
static char **faults_option = NULL;
static int media_polls = 1;
static int media_seconds = 0;
static gboolean no_instance_v2 = FALSE;

static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_INT, &port,
    "Port on 127.0.0.1 (default: any free port)", "PORT" },
  { "users", 'u', 0, G_OPTION_ARG_STRING, &users_option,
    "Comma-separated user names (default: alice)", "NAMES" },
  { "locked", 0, 0, G_OPTION_ARG_STRING_ARRAY, &locked_option,
    "Lock these accounts (follows need approval)", "NAMES" },
  { "hide-collections", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hidden_option,
    "Hide the follower lists of these accounts", "NAMES" },
  { "followers", 0, 0, G_OPTION_ARG_STRING_ARRAY, &followers_option,
    "Give a user made-up followers, e.g. alice=1000", "NAME=N" },
  { "follow-requests", 0, 0, G_OPTION_ARG_STRING_ARRAY, &requests_option,
    "Give a user pending follow requests, e.g. alice=5", "NAME=N" },
  { "media-polls", 0, 0, G_OPTION_ARG_INT, &media_polls,
    "Answers 206 before an upload is processed (default 1)", "N" },
  { "media-seconds", 0, 0, G_OPTION_ARG_INT, &media_seconds,
    "Or seconds before an upload is processed (default 0: off)", "S" },
  { "no-instance-v2", 0, 0, G_OPTION_ARG_NONE, &no_instance_v2,
    "Answer 404 to /api/v2/instance, like a server older than 4.0", NULL },
  { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults_option,
    "Inject a fault: [METHOD ]PATH-PREFIX=KIND[:COUNT[:PARAMETER]], KIND one of delay, "
    "status-429, status-500, status-503, drop-after-store, malformed-json, "
    "wrong-content-type, timeout", "SPEC" },
  { NULL }
};

static GStrv
split_names (char **values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);

      for (gsize j = 0; parts[j] != NULL; j++)
        {
          g_strstrip (parts[j]);
          if (*parts[j] != '\0')
            g_strv_builder_add (builder, parts[j]);
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_counts (WcMastodonServer  *server,
              char             **values,
              gboolean           requests,
              GError           **error)
{
  g_auto(GStrv) specs = split_names (values);

  for (gsize i = 0; specs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (specs[i], "=", 2);
      guint64 n;

      if (g_strv_length (parts) != 2
          || !g_ascii_string_to_unsigned (parts[1], 10, 0, 10000000, &n, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Expected NAME=N, not “%s”", specs[i]);
          return FALSE;
        }
      if (requests)
        wc_mastodon_server_add_follow_requests (server, parts[0], n);
      else
        wc_mastodon_server_add_followers (server, parts[0], n);
    }
  return TRUE;
}

static gboolean
parse_fault (WcMastodonServer  *server,
             const char        *spec,
             GError           **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (WC_TYPE_MASTODON_FAULT);
  g_auto(GStrv) sides = g_strsplit (spec, "=", 2);
  g_auto(GStrv) target = NULL;
  g_auto(GStrv) action = NULL;
  const char *method = NULL;
  const char *prefix = NULL;
  GEnumValue *value = NULL;
  guint64 count = 0, parameter = 0;
  gboolean ok = g_strv_length (sides) == 2;

  if (ok)
    {
      target = g_strsplit (g_strstrip (sides[0]), " ", 2);
      method = g_strv_length (target) == 2 ? target[0] : NULL;
      prefix = g_strv_length (target) == 2 ? target[1] : target[0];
      action = g_strsplit (sides[1], ":", 3);
      value = g_enum_get_value_by_nick (klass, action[0] != NULL ? action[0] : "");
      ok = value != NULL && prefix != NULL;
    }
  if (ok && action[1] != NULL)
    ok = g_ascii_string_to_unsigned (action[1], 10, 0, G_MAXUINT, &count, NULL)
         && (action[2] == NULL
             || g_ascii_string_to_unsigned (action[2], 10, 0, G_MAXUINT, &parameter, NULL));
  if (!ok)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Cannot understand the fault “%s”", spec);
      return FALSE;
    }

  wc_mastodon_server_add_fault_full (server, method, *prefix != '\0' ? prefix : NULL,
                                     value->value, count, parameter);
  return TRUE;
}

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer data)
{
  /* Publishes the scheduled statuses whose time has come. */
  wc_mastodon_server_advance (data, 0);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) users = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(GStrv) hidden = NULL;
  g_autofree char *base_url = NULL;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— a Mastodon API server for trying Whitecoat");
  g_option_context_set_summary (context,
                                "Serves a small Mastodon API on 127.0.0.1 with made-up users, "
                                "for testing only. Nothing leaves this computer.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("The port must be between 0 and 65535\n");
      return 2;
    }

  server = wc_mastodon_server_new ();
  wc_mastodon_server_set_login_form (server, TRUE);
  wc_mastodon_server_set_media_processing (server, MAX (media_polls, 0), MAX (media_seconds, 0));
  wc_mastodon_server_set_instance_v2 (server, !no_instance_v2);

  {
    char *default_users[] = { (char *) "alice", NULL };

    users = split_names (users_option != NULL ? (char *[]) { users_option, NULL } : default_users);
  }
  locked = split_names (locked_option);
  hidden = split_names (hidden_option);
  for (gsize i = 0; users[i] != NULL; i++)
    {
      WcMastodonUser spec = { 0 };
      g_autofree char *id = NULL;

      spec.username = users[i];
      spec.locked = g_strv_contains ((const char * const *) locked, users[i]);
      spec.hide_collections = g_strv_contains ((const char * const *) hidden, users[i]);
      spec.discoverable = TRUE;
      spec.indexable = TRUE;
      id = wc_mastodon_server_add_user_full (server, &spec);
      if (id == NULL)
        return 2;
    }
  for (gsize i = 0; locked[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) users, locked[i]))
      {
        g_printerr ("--locked names %s, who is not in --users\n", locked[i]);
        return 2;
      }
  if (!parse_counts (server, followers_option, FALSE, &error)
      || !parse_counts (server, requests_option, TRUE, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  for (gsize i = 0; faults_option != NULL && faults_option[i] != NULL; i++)
    if (!parse_fault (server, faults_option[i], &error))
      {
        g_printerr ("%s\n", error->message);
        return 2;
      }

  if (!wc_mastodon_server_start (server, port, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  base_url = wc_mastodon_server_dup_base_url (server);

  g_print ("Mastodon test server at %s\n\n", base_url);
  g_print ("Users (sign in through the browser with these, or paste a token):\n");
  for (gsize i = 0; users[i] != NULL; i++)
    {
      g_autofree char *token = wc_mastodon_server_create_token (server, users[i], NULL);

      /* Made-up credentials of a throw-away local server, printed on purpose. */
      g_print ("  %-12s password %s-password  token %s%s\n", users[i], users[i], token,
               g_strv_contains ((const char * const *) locked, users[i]) ? "  (locked)" : "");
    }
  g_print ("\nIn Whitecoat, add a Mastodon account on server %s.\n", base_url);
  g_print ("Press Ctrl+C to stop.\n");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_timeout_add_seconds (1, on_tick, server);
  g_main_loop_run (loop);

  g_print ("\nStopping.\n");
  wc_mastodon_server_stop (server);
  return 0;
}
