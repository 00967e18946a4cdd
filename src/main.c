/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "wc-application.h"
#include "wc-check-command.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WcApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* `whitecoat check …` runs the checks on files without a window. */
  if (argc >= 2 && g_strcmp0 (argv[1], "check") == 0)
    return wc_check_command_main (argc - 1, argv + 1);

  app = wc_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
