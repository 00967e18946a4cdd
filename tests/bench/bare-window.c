/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The yardstick of tests/bench/startup: the least a libadwaita application
 * can show — a window with a header bar and a label. It follows the same
 * first-frame protocol as Whitecoat: after the first frame of its window is
 * painted it prints
 *
 *   first-frame <g_get_monotonic_time () in µs> rss-kb <VmRSS in kB>
 *
 * and quits. */

#define G_LOG_DOMAIN "whitecoat-bench"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long
read_vm_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;

  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint, user_data);

  g_print ("first-frame %" G_GINT64_FORMAT " rss-kb %ld\n", now, read_vm_rss_kb ());
  fflush (stdout);

  g_application_quit (app);
}

static void
on_window_map (GtkWidget *window,
               gpointer   user_data)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), user_data);
}

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *label;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  /* The same size as Whitecoat's main window by default. */
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  label = gtk_label_new ("A bare libadwaita window");
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  g_signal_connect (window, "map", G_CALLBACK (on_window_map), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.whitecoat.Whitecoat.BenchBareWindow",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
