/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "wc-clock.h"

static GTimeZone *
amsterdam (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Amsterdam");

  if (tz == NULL)
    g_test_skip ("No tzdata for Europe/Amsterdam");
  return tz;
}

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt);
}

static void
test_ordinary_times (void)
{
  g_autoptr(GTimeZone) tz = amsterdam ();

  if (tz == NULL)
    return;
  /* Winter: UTC+1; summer: UTC+2. */
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 1, 15, 8, 0), ==, utc (2026, 1, 15, 7, 0));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 7, 15, 8, 0), ==, utc (2026, 7, 15, 6, 0));
  g_assert_false (wc_clock_local_is_skipped (tz, 2026, 7, 15, 8, 0));
  g_assert_false (wc_clock_local_is_repeated (tz, 2026, 7, 15, 8, 0));
  /* Dates that do not exist. */
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 4, 31, 8, 0), ==, -1);
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 2, 29, 8, 0), ==, -1);
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 13, 1, 8, 0), ==, -1);
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 1, 1, 24, 0), ==, -1);
  /* UTC itself. */
  {
    g_autoptr(GTimeZone) z = g_time_zone_new_utc ();

    g_assert_cmpint (wc_clock_local_to_utc (z, 2026, 3, 29, 2, 30), ==, utc (2026, 3, 29, 2, 30));
  }
}

/* 29 March 2026, 02:00 CET → 03:00 CEST: 02:30 does not exist. It is
 * moved forward by the gap: 03:30 CEST, 01:30 UTC. */
static void
test_dst_gap (void)
{
  g_autoptr(GTimeZone) tz = amsterdam ();
  gint64 at;

  if (tz == NULL)
    return;
  g_assert_true (wc_clock_local_is_skipped (tz, 2026, 3, 29, 2, 30));
  g_assert_false (wc_clock_local_is_repeated (tz, 2026, 3, 29, 2, 30));
  at = wc_clock_local_to_utc (tz, 2026, 3, 29, 2, 30);
  g_assert_cmpint (at, ==, utc (2026, 3, 29, 1, 30));
  {
    g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (at);
    g_autoptr(GDateTime) shown = g_date_time_to_timezone (local, tz);

    g_assert_cmpint (g_date_time_get_hour (shown), ==, 3);
    g_assert_cmpint (g_date_time_get_minute (shown), ==, 30);
  }
  /* The edges: 02:00 is in the gap too; 01:59 and 03:00 are not. */
  g_assert_true (wc_clock_local_is_skipped (tz, 2026, 3, 29, 2, 0));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 3, 29, 2, 0), ==, utc (2026, 3, 29, 1, 0));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 3, 29, 1, 59), ==, utc (2026, 3, 29, 0, 59));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 3, 29, 3, 0), ==, utc (2026, 3, 29, 1, 0));
  /* Never before the wall-clock time before the gap. */
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 3, 29, 2, 30), >, wc_clock_local_to_utc (tz, 2026, 3, 29, 1, 59));
}

/* 25 October 2026, 03:00 CEST → 02:00 CET: 02:30 happens twice. The first
 * one is meant: 02:30 CEST, 00:30 UTC. */
static void
test_dst_overlap (void)
{
  g_autoptr(GTimeZone) tz = amsterdam ();

  if (tz == NULL)
    return;
  g_assert_true (wc_clock_local_is_repeated (tz, 2026, 10, 25, 2, 30));
  g_assert_false (wc_clock_local_is_skipped (tz, 2026, 10, 25, 2, 30));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 10, 25, 2, 30), ==, utc (2026, 10, 25, 0, 30));
  /* Either side of the overlap is one-to-one. */
  g_assert_false (wc_clock_local_is_repeated (tz, 2026, 10, 25, 1, 59));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 10, 25, 1, 59), ==, utc (2026, 10, 24, 23, 59));
  g_assert_false (wc_clock_local_is_repeated (tz, 2026, 10, 25, 3, 0));
  g_assert_cmpint (wc_clock_local_to_utc (tz, 2026, 10, 25, 3, 0), ==, utc (2026, 10, 25, 2, 0));
}

typedef struct
{
  GArray *fired;   /* gint64: the clock's time when each fired */
  WcClock *clock;
  guint   changed;
} Record;

static void
record_fire (gpointer user_data)
{
  Record *record = user_data;
  gint64 now = wc_clock_get_now (record->clock);

  g_array_append_val (record->fired, now);
}

static void
on_changed (WcClock *clock,
            Record  *record)
{
  record->changed++;
}

static void
test_fake_advance (void)
{
  g_autoptr(WcClock) clock = wc_clock_new_fake (1000);
  Record record = { g_array_new (FALSE, FALSE, sizeof (gint64)), clock, 0 };
  guint removed;

  g_signal_connect (clock, "changed", G_CALLBACK (on_changed), &record);
  g_assert_true (wc_clock_is_fake (clock));
  g_assert_cmpint (wc_clock_get_now (clock), ==, 1000);
  wc_clock_add_timer (clock, 1300, record_fire, &record, NULL);
  wc_clock_add_timer (clock, 1100, record_fire, &record, NULL);
  removed = wc_clock_add_timer (clock, 1200, record_fire, &record, NULL);
  wc_clock_remove_timer (clock, removed);

  wc_clock_advance (clock, 50);
  g_assert_cmpuint (record.fired->len, ==, 0);
  wc_clock_advance (clock, 500);
  g_assert_cmpint (wc_clock_get_now (clock), ==, 1550);
  /* Each at its own time, in order; the removed one never. */
  g_assert_cmpuint (record.fired->len, ==, 2);
  g_assert_cmpint (g_array_index (record.fired, gint64, 0), ==, 1100);
  g_assert_cmpint (g_array_index (record.fired, gint64, 1), ==, 1300);
  g_assert_cmpuint (record.changed, ==, 0);

  /* A time already past fires from an idle, not at once. */
  wc_clock_add_timer (clock, 10, record_fire, &record, NULL);
  g_assert_cmpuint (record.fired->len, ==, 2);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (record.fired->len, ==, 3);
  g_array_unref (record.fired);
}

/* Suspend and resume, and the clock set back and forth: a jump fires the
 * timers now due and says the clock changed. */
static void
test_fake_jumps (void)
{
  g_autoptr(WcClock) clock = wc_clock_new_fake (10000);
  Record record = { g_array_new (FALSE, FALSE, sizeof (gint64)), clock, 0 };

  g_signal_connect (clock, "changed", G_CALLBACK (on_changed), &record);
  wc_clock_add_timer (clock, 12000, record_fire, &record, NULL);
  wc_clock_add_timer (clock, 20000, record_fire, &record, NULL);

  /* Set back: nothing fires, but the clock changed. */
  wc_clock_jump (clock, 5000);
  g_assert_cmpuint (record.fired->len, ==, 0);
  g_assert_cmpuint (record.changed, ==, 1);

  /* A long suspend: resumed past the first timer. */
  wc_clock_jump (clock, 15000);
  g_assert_cmpuint (record.fired->len, ==, 1);
  g_assert_cmpint (g_array_index (record.fired, gint64, 0), ==, 15000);
  g_assert_cmpuint (record.changed, ==, 2);

  wc_clock_emit_changed (clock);
  g_assert_cmpuint (record.changed, ==, 3);
  wc_clock_advance (clock, 5000);
  g_assert_cmpuint (record.fired->len, ==, 2);
  g_array_unref (record.fired);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
fire_quit (gpointer user_data)
{
  Record *record = user_data;
  gint64 now = g_get_real_time ();

  g_array_append_val (record->fired, now);
}

/* The system clock: real time, and a timer at a wall-clock second fires
 * at (not before) that second. */
static void
test_system_clock (void)
{
  g_autoptr(WcClock) clock = wc_clock_new_system ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Record record = { g_array_new (FALSE, FALSE, sizeof (gint64)), clock, 0 };
  gint64 now = wc_clock_get_now (clock);
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;
  gint64 at;

  g_assert_false (wc_clock_is_fake (clock));
  g_assert_cmpint (ABS (now - real), <=, 1);
  at = now + 2;
  wc_clock_add_timer (clock, at, fire_quit, &record, NULL);
  g_timeout_add_seconds (6, quit_loop, loop);
  while (record.fired->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_array_index (record.fired, gint64, 0), >=, at * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (record.fired, gint64, 0), <, (at + 2) * G_USEC_PER_SEC);
  g_array_unref (record.fired);
}

static void
on_changed_quit (WcClock *clock,
                 gpointer user_data)
{
  *(guint *) user_data += 1;
}

/* logind's PrepareForSleep(false) on the system bus re-arms: the test
 * plays logind on a bus of its own (the session bus of the test, given as
 * the system bus). */
static void
test_system_resume (void)
{
  const char *session = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autoptr(GDBusConnection) logind = NULL;
  g_autoptr(WcClock) clock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint changed = 0;
  gint64 deadline;

  if (session == NULL)
    {
      g_test_skip ("No D-Bus session bus to play the system bus");
      return;
    }
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", session, TRUE);
  logind = g_dbus_connection_new_for_address_sync (session,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                   | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (logind, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  clock = wc_clock_new_system ();
  g_signal_connect (clock, "changed", G_CALLBACK (on_changed_quit), &changed);
  /* Let the clock connect and subscribe. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  /* Going to sleep is not a resume. */
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (logind, NULL, NULL);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (changed == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  /* Once: the "going to sleep" signal did nothing. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (changed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/ordinary", test_ordinary_times);
  g_test_add_func ("/clock/dst-gap", test_dst_gap);
  g_test_add_func ("/clock/dst-overlap", test_dst_overlap);
  g_test_add_func ("/clock/fake-advance", test_fake_advance);
  g_test_add_func ("/clock/fake-jumps", test_fake_jumps);
  g_test_add_func ("/clock/system", test_system_clock);
  g_test_add_func ("/clock/system-resume", test_system_resume);

  return g_test_run ();
}
