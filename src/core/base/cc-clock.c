/* cc-clock.c — the system's clock, and UTC days. */
#include "config.h"

#include "cc-clock.h"

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

static gint64
system_monotonic_us (const CcClock *clock)
{
  return g_get_monotonic_time ();
}

static gint64
system_real_us (const CcClock *clock)
{
  return g_get_real_time ();
}

const CcClock *
cc_clock_get_system (void)
{
  static const CcClock system = { system_monotonic_us, system_real_us };

  return &system;
}

gint64
cc_clock_utc_day (gint64 real_us)
{
  /* Rounded down, also before 1970. */
  return real_us >= 0 ? real_us / DAY_US : -((-real_us + DAY_US - 1) / DAY_US);
}

char *
cc_clock_day_name (gint64 day)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (day * 86400);

  return g_date_time_format (date, "%Y-%m-%d");
}
