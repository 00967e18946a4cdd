/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `whitecoat check [--identity personal|professional] [--json] FILE…`:
 * the draft checks on text files and images, without a window. Exit status
 * 0 when nothing reaches a warning, 1 when something does, 2 on bad input. */

#define WC_CHECK_EXIT_CLEAN     0
#define WC_CHECK_EXIT_FINDINGS  1
#define WC_CHECK_EXIT_BAD_INPUT 2

int wc_check_command_main (int    argc,
                           char **argv);

G_END_DECLS
