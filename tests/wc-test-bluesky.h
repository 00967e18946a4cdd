/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The Bluesky test servers (tests/servers/bluesky): the reference PDS, an
 * in-memory PLC directory and a small app view, all on 127.0.0.1, started
 * with Node. The npm packages are installed once into the build directory
 * (npm ci, pinned by the lockfile) and reused while the lockfile stays the
 * same. */

typedef struct
{
  GSubprocess *process;
  char        *pds;      /* http://localhost:PORT */
  char        *plc;
  char        *appview;
  SoupSession *session;
} WcTestBluesky;

typedef struct
{
  char *handle;
  char *did;
  char *password;      /* the main password */
  char *app_password;  /* xxxx-xxxx-xxxx-xxxx */
  char *access_jwt;
  char *refresh_jwt;
} WcTestBlueskyAccount;

/* NULL with @skip_reason set when Node, npm or the packages are missing. */
WcTestBluesky        *wc_test_bluesky_start          (char                **skip_reason);
void                  wc_test_bluesky_stop           (WcTestBluesky       *servers);

WcTestBlueskyAccount *wc_test_bluesky_create_account (WcTestBluesky       *servers,
                                                      const char          *name);
void                  wc_test_bluesky_account_free   (WcTestBlueskyAccount *account);

/* A raw XRPC call, to set things up and to check them; aborts the test on a
 * transport failure, returns the status and the parsed answer. */
JsonNode             *wc_test_bluesky_xrpc           (WcTestBluesky       *servers,
                                                      const char          *method,
                                                      const char          *nsid,
                                                      const char          *query,
                                                      const char          *json_body,
                                                      const char          *token,
                                                      guint               *status);
void                  wc_test_bluesky_follow         (WcTestBluesky       *servers,
                                                      WcTestBlueskyAccount *follower,
                                                      const char          *subject_did);
void                  wc_test_bluesky_control        (WcTestBluesky       *servers,
                                                      const char          *path_and_query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcTestBlueskyAccount, wc_test_bluesky_account_free)

G_END_DECLS
