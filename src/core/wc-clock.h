/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Wall-clock time for the scheduler, injectable so that tests can move it.
 *
 * The system clock reads the real time; its timers are single wakeups at a
 * wall-clock time (UTC seconds), re-armed whenever the clock may have jumped:
 * after resume from suspend (logind's PrepareForSleep(false) on the system
 * bus; no bus is fine), when the wall clock is set (a timerfd with
 * TFD_TIMER_CANCEL_ON_SET) and when the time zone changes (a monitor on
 * /etc/localtime). Each of those emits "changed".
 *
 * The fake clock stands still until wc_clock_advance() or wc_clock_jump()
 * moves it; moving it fires the timers that became due, in order of time,
 * and emits "changed".
 *
 * Signals:
 *   "changed"  (void)  the clock may have jumped, or the time zone changed;
 *                      whoever relies on a computed delay recomputes it
 */

#define WC_TYPE_CLOCK (wc_clock_get_type ())
G_DECLARE_FINAL_TYPE (WcClock, wc_clock, WC, CLOCK, GObject)

typedef void (*WcClockFunc) (gpointer user_data);

WcClock   *wc_clock_new_system       (void);
WcClock   *wc_clock_new_fake         (gint64          start_utc);
gboolean   wc_clock_is_fake          (WcClock        *self);

/* UTC seconds since the epoch. */
gint64     wc_clock_get_now          (WcClock        *self);

/* Calls @func once, from the main context the clock was made in, when the
 * wall clock reaches @at_utc (at once, from an idle, when that has passed).
 * Returns an id > 0 for wc_clock_remove_timer(). @destroy is called on
 * @user_data when the timer has fired or was removed. */
guint      wc_clock_add_timer        (WcClock        *self,
                                      gint64          at_utc,
                                      WcClockFunc     func,
                                      gpointer        user_data,
                                      GDestroyNotify  destroy);
void       wc_clock_remove_timer     (WcClock        *self,
                                      guint           id);

/* Fake clock only. advance: time passes (@seconds >= 0), timers fire on
 * the way in order, as on a machine that stays awake. jump: the clock is
 * set to @utc (forward or back) as after a suspend or a clock change; the
 * timers now due fire, then "changed" is emitted. */
void       wc_clock_advance          (WcClock        *self,
                                      gint64          seconds);
void       wc_clock_jump             (WcClock        *self,
                                      gint64          utc);
/* Emits "changed" as a resume or a time-zone change would. */
void       wc_clock_emit_changed     (WcClock        *self);

/* The "Schedule…" dialog's date and time (in @tz; %NULL = the local time
 * zone) as UTC seconds. Months 1–12, days 1–31, hours 0–23.
 *
 * Defined behaviour where local time is not one-to-one:
 *  - In the gap when clocks go forward (e.g. 02:30 on the last Sunday of
 *    March in Europe/Amsterdam, which does not exist), the time is moved
 *    forward by the length of the gap: 02:30 becomes 03:30 CEST (01:30 UTC).
 *    The post goes out one hour after the wall-clock time before the gap,
 *    never before it.
 *  - In the overlap when clocks go back (e.g. 02:30 on the last Sunday of
 *    October in Europe/Amsterdam, which happens twice), the FIRST occurrence
 *    is meant: 02:30 CEST (00:30 UTC), the earlier one, so a post is never
 *    an hour later than the user could have meant.
 * Returns -1 when the date does not exist (e.g. 31 April). */
gint64     wc_clock_local_to_utc     (GTimeZone      *tz,
                                      int             year,
                                      int             month,
                                      int             day,
                                      int             hour,
                                      int             minute);
/* Whether the local time given is skipped (gap) or repeated (overlap) in
 * @tz, so the dialog can say what will happen. */
gboolean   wc_clock_local_is_skipped  (GTimeZone     *tz,
                                       int            year,
                                       int            month,
                                       int            day,
                                       int            hour,
                                       int            minute);
gboolean   wc_clock_local_is_repeated (GTimeZone     *tz,
                                       int            year,
                                       int            month,
                                       int            day,
                                       int            hour,
                                       int            minute);

G_END_DECLS
