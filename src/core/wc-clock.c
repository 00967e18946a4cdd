/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-clock"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "wc-clock.h"

typedef struct
{
  guint           id;
  gint64          at;
  WcClockFunc     func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} Timer;

struct _WcClock
{
  GObject          parent_instance;

  gboolean         fake;
  gint64           fake_now;

  GMainContext    *context;
  GPtrArray       *timers;        /* Timer, unsorted; few */
  guint            next_id;
  GSource         *idle;          /* fires timers already due */

  /* System clock */
  int              timerfd;
  GSource         *timerfd_source;
  GDBusConnection *system_bus;
  guint            sleep_subscription;
  GFileMonitor    *localtime_monitor;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (WcClock, wc_clock, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void arm (WcClock *self);

static void
timer_free (Timer *timer)
{
  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static Timer *
steal_earliest_due (WcClock *self,
                    gint64   now)
{
  Timer *found = NULL;
  guint index = 0;

  for (guint i = 0; i < self->timers->len; i++)
    {
      Timer *timer = g_ptr_array_index (self->timers, i);

      if (timer->at <= now && (found == NULL || timer->at < found->at
                               || (timer->at == found->at && timer->id < found->id)))
        {
          found = timer;
          index = i;
        }
    }
  if (found != NULL)
    g_ptr_array_steal_index (self->timers, index);
  return found;
}

static gboolean
earliest (WcClock *self,
          gint64  *at)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->timers->len; i++)
    {
      Timer *timer = g_ptr_array_index (self->timers, i);

      if (!any || timer->at < *at)
        *at = timer->at;
      any = TRUE;
    }
  return any;
}

/* Fires every timer due at @now, earliest first; a callback may add or
 * remove timers. */
static void
fire_due (WcClock *self,
          gint64   now)
{
  Timer *timer;

  g_object_ref (self);
  while ((timer = steal_earliest_due (self, now)) != NULL)
    {
      timer->func (timer->user_data);
      timer_free (timer);
    }
  arm (self);
  g_object_unref (self);
}

static gboolean
on_idle (gpointer user_data)
{
  WcClock *self = user_data;

  g_clear_pointer (&self->idle, g_source_unref);
  fire_due (self, wc_clock_get_now (self));
  return G_SOURCE_REMOVE;
}

static void
queue_idle (WcClock *self)
{
  if (self->idle != NULL)
    return;
  self->idle = g_idle_source_new ();
  g_source_set_callback (self->idle, on_idle, self, NULL);
  g_source_attach (self->idle, self->context);
}

/* The system clock: one absolute CLOCK_REALTIME timerfd armed for the
 * earliest timer. Being absolute, it fires after a resume when its time
 * passed during the sleep; TFD_TIMER_CANCEL_ON_SET makes it wake up when
 * someone sets the clock. Without timers it waits a day, only to notice
 * clock changes. */
static void
arm (WcClock *self)
{
  struct itimerspec spec = { 0 };
  gint64 at;

  if (self->fake || self->timerfd < 0)
    return;
  if (!earliest (self, &at))
    at = wc_clock_get_now (self) + 24 * 3600;
  spec.it_value.tv_sec = MAX (at, 1);
  if (timerfd_settime (self->timerfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) < 0)
    g_debug ("Could not arm the wall-clock timer: %s", g_strerror (errno));
}

static gboolean
on_timerfd (int          fd,
            GIOCondition condition,
            gpointer     user_data)
{
  WcClock *self = user_data;
  guint64 expirations;
  gboolean changed = FALSE;

  if (read (fd, &expirations, sizeof expirations) < 0 && errno == ECANCELED)
    changed = TRUE;

  g_object_ref (self);
  fire_due (self, wc_clock_get_now (self));
  if (changed)
    {
      g_debug ("The wall clock was set");
      g_signal_emit (self, signals[CHANGED], 0);
    }
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  WcClock *self = user_data;
  gboolean going_to_sleep = TRUE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (going_to_sleep)
    return;
  g_debug ("Resumed from suspend");
  fire_due (self, wc_clock_get_now (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WcClock) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      /* In a sandbox or a test there may be no system bus: the timerfd
       * still catches a resume once its time has passed. */
      g_debug ("No system bus, so no suspend notifications: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_prepare_for_sleep, self, NULL);
}

static void
on_localtime_changed (GFileMonitor      *monitor,
                      GFile             *file,
                      GFile             *other,
                      GFileMonitorEvent  event,
                      gpointer           user_data)
{
  WcClock *self = user_data;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      && event != G_FILE_MONITOR_EVENT_CREATED
      && event != G_FILE_MONITOR_EVENT_DELETED
      && event != G_FILE_MONITOR_EVENT_RENAMED
      && event != G_FILE_MONITOR_EVENT_MOVED_IN)
    return;
  g_debug ("The time zone changed");
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
start_system (WcClock *self)
{
  g_autoptr(GFile) localtime = g_file_new_for_path ("/etc/localtime");

  self->timerfd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (self->timerfd >= 0)
    {
      self->timerfd_source = g_unix_fd_source_new (self->timerfd, G_IO_IN);
      g_source_set_callback (self->timerfd_source, G_SOURCE_FUNC (on_timerfd), self, NULL);
      g_source_attach (self->timerfd_source, self->context);
      arm (self);
    }
  else
    g_warning ("No wall-clock timer: %s", g_strerror (errno));

  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, g_object_ref (self));

  /* WATCH_MOVES: /etc/localtime is a symlink that timedated replaces. */
  self->localtime_monitor = g_file_monitor_file (localtime, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->localtime_monitor != NULL)
    g_signal_connect (self->localtime_monitor, "changed", G_CALLBACK (on_localtime_changed), self);
}

static void
wc_clock_dispose (GObject *object)
{
  WcClock *self = WC_CLOCK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
  if (self->localtime_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->localtime_monitor, self);
      g_file_monitor_cancel (self->localtime_monitor);
      g_clear_object (&self->localtime_monitor);
    }
  if (self->timerfd_source != NULL)
    {
      g_source_destroy (self->timerfd_source);
      g_clear_pointer (&self->timerfd_source, g_source_unref);
    }
  if (self->timerfd >= 0)
    close (self->timerfd);
  self->timerfd = -1;
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  if (self->timers != NULL)
    g_ptr_array_set_size (self->timers, 0);

  G_OBJECT_CLASS (wc_clock_parent_class)->dispose (object);
}

static void
wc_clock_finalize (GObject *object)
{
  WcClock *self = WC_CLOCK (object);

  g_clear_pointer (&self->timers, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (wc_clock_parent_class)->finalize (object);
}

static void
wc_clock_class_init (WcClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wc_clock_dispose;
  object_class->finalize = wc_clock_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wc_clock_init (WcClock *self)
{
  self->timers = g_ptr_array_new_with_free_func ((GDestroyNotify) timer_free);
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->timerfd = -1;
  self->next_id = 1;
}

/**
 * wc_clock_new_system:
 *
 * Returns: (transfer full): the real wall clock
 */
WcClock *
wc_clock_new_system (void)
{
  WcClock *self = g_object_new (WC_TYPE_CLOCK, NULL);

  start_system (self);
  return self;
}

/**
 * wc_clock_new_fake:
 * @start_utc: the time it shows, UTC seconds
 *
 * Returns: (transfer full): a clock that moves only when told
 */
WcClock *
wc_clock_new_fake (gint64 start_utc)
{
  WcClock *self = g_object_new (WC_TYPE_CLOCK, NULL);

  self->fake = TRUE;
  self->fake_now = start_utc;
  return self;
}

gboolean
wc_clock_is_fake (WcClock *self)
{
  g_return_val_if_fail (WC_IS_CLOCK (self), FALSE);
  return self->fake;
}

/**
 * wc_clock_get_now:
 *
 * Returns: UTC seconds since the epoch
 */
gint64
wc_clock_get_now (WcClock *self)
{
  g_return_val_if_fail (WC_IS_CLOCK (self), 0);

  if (self->fake)
    return self->fake_now;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * wc_clock_add_timer:
 * @at_utc: when, in UTC seconds
 *
 * Returns: the timer's id
 */
guint
wc_clock_add_timer (WcClock        *self,
                    gint64          at_utc,
                    WcClockFunc     func,
                    gpointer        user_data,
                    GDestroyNotify  destroy)
{
  Timer *timer;

  g_return_val_if_fail (WC_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  timer = g_new0 (Timer, 1);
  timer->id = self->next_id++;
  if (self->next_id == 0)
    self->next_id = 1;
  timer->at = at_utc;
  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;
  g_ptr_array_add (self->timers, timer);

  if (at_utc <= wc_clock_get_now (self))
    queue_idle (self);
  else
    arm (self);
  return timer->id;
}

void
wc_clock_remove_timer (WcClock *self,
                       guint    id)
{
  g_return_if_fail (WC_IS_CLOCK (self));

  for (guint i = 0; i < self->timers->len; i++)
    {
      Timer *timer = g_ptr_array_index (self->timers, i);

      if (timer->id == id)
        {
          g_ptr_array_remove_index_fast (self->timers, i);
          arm (self);
          return;
        }
    }
}

/**
 * wc_clock_advance:
 * @seconds: how much time passes
 *
 * Fake clock: moves forward, firing each timer at its own time on the way.
 */
void
wc_clock_advance (WcClock *self,
                  gint64   seconds)
{
  gint64 target;
  Timer *timer;

  g_return_if_fail (WC_IS_CLOCK (self));
  g_return_if_fail (self->fake);
  g_return_if_fail (seconds >= 0);

  target = self->fake_now + seconds;
  g_object_ref (self);
  while ((timer = steal_earliest_due (self, target)) != NULL)
    {
      self->fake_now = MAX (self->fake_now, timer->at);
      timer->func (timer->user_data);
      timer_free (timer);
    }
  self->fake_now = target;
  g_object_unref (self);
}

/**
 * wc_clock_jump:
 * @utc: the new time
 *
 * Fake clock: set at once, as after a suspend or when the user sets the
 * clock; the timers now due fire, then "changed" is emitted.
 */
void
wc_clock_jump (WcClock *self,
               gint64   utc)
{
  g_return_if_fail (WC_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  self->fake_now = utc;
  g_object_ref (self);
  fire_due (self, utc);
  g_signal_emit (self, signals[CHANGED], 0);
  g_object_unref (self);
}

void
wc_clock_emit_changed (WcClock *self)
{
  g_return_if_fail (WC_IS_CLOCK (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* --- Local time ------------------------------------------------------- */

static gint64
naive_seconds (int year,
               int month,
               int day,
               int hour,
               int minute)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return utc != NULL ? g_date_time_to_unix (utc) : G_MININT64;
}

static gint32
offset_at (GTimeZone *tz,
           gint64     utc)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);

  return interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;
}

/* Every UTC time that shows as @naive on the wall clock of @tz, earliest
 * first: none in a gap, two in an overlap. Offsets in use within a day
 * either side are the only candidates. */
static guint
candidates (GTimeZone *tz,
            gint64     naive,
            gint64     found[3])
{
  gint32 offsets[3];
  guint n = 0;

  offsets[0] = offset_at (tz, naive - 86400);
  offsets[1] = offset_at (tz, naive);
  offsets[2] = offset_at (tz, naive + 86400);

  for (guint i = 0; i < 3; i++)
    {
      gint64 utc = naive - offsets[i];
      gboolean seen = FALSE;

      if (offset_at (tz, utc) != offsets[i])
        continue;
      for (guint j = 0; j < n; j++)
        seen |= found[j] == utc;
      if (!seen)
        found[n++] = utc;
    }
  /* Sort the few found, earliest first. */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && found[j] < found[j - 1]; j--)
      {
        gint64 swap = found[j];
        found[j] = found[j - 1];
        found[j - 1] = swap;
      }
  return n;
}

static GTimeZone *
zone_or_local (GTimeZone *tz)
{
  return tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
}

/**
 * wc_clock_local_to_utc:
 * @tz: (nullable): the time zone; %NULL for the local one
 *
 * See the header for the behaviour in a gap (moved forward by the gap) and
 * in an overlap (the first occurrence).
 *
 * Returns: UTC seconds, or -1 when the date does not exist
 */
gint64
wc_clock_local_to_utc (GTimeZone *tz,
                       int        year,
                       int        month,
                       int        day,
                       int        hour,
                       int        minute)
{
  g_autoptr(GTimeZone) zone = NULL;
  gint64 naive;
  gint64 found[3];

  if (year < 1 || year > 9999 || month < 1 || month > 12 || hour < 0 || hour > 23
      || minute < 0 || minute > 59 || day < 1
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return -1;

  zone = zone_or_local (tz);
  naive = naive_seconds (year, month, day, hour, minute);
  if (naive == G_MININT64)
    return -1;
  if (candidates (zone, naive, found) > 0)
    return found[0];

  /* In the gap: read the wall clock with the offset from before the gap,
   * which lands as far after the gap's start as the time was. */
  return naive - offset_at (zone, naive - 86400);
}

gboolean
wc_clock_local_is_skipped (GTimeZone *tz,
                           int        year,
                           int        month,
                           int        day,
                           int        hour,
                           int        minute)
{
  g_autoptr(GTimeZone) zone = NULL;
  gint64 found[3];
  gint64 naive;

  if (wc_clock_local_to_utc (tz, year, month, day, hour, minute) < 0)
    return FALSE;
  zone = zone_or_local (tz);
  naive = naive_seconds (year, month, day, hour, minute);
  return candidates (zone, naive, found) == 0;
}

gboolean
wc_clock_local_is_repeated (GTimeZone *tz,
                            int        year,
                            int        month,
                            int        day,
                            int        hour,
                            int        minute)
{
  g_autoptr(GTimeZone) zone = NULL;
  gint64 found[3];
  gint64 naive;

  if (wc_clock_local_to_utc (tz, year, month, day, hour, minute) < 0)
    return FALSE;
  zone = zone_or_local (tz);
  naive = naive_seconds (year, month, day, hour, minute);
  return candidates (zone, naive, found) > 1;
}
