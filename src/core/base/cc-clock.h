/* cc-clock.h — where the engine reads the time when the date matters.
 *
 * Campaign's daily API allowance starts again at midnight UTC; a test
 * cannot wait for midnight, so whatever counts by the day reads the time
 * through a CcClock, and a test gives it one that it can move forward.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CcClock CcClock;

struct _CcClock
{
  /* Microseconds that never go back (for waits and rates). */
  gint64 (*monotonic_us) (const CcClock *clock);
  /* Microseconds since the Unix epoch, UTC (for the date). */
  gint64 (*real_us)      (const CcClock *clock);
};

/* g_get_monotonic_time() and g_get_real_time(). */
const CcClock *cc_clock_get_system (void);

/* The UTC day @real_us falls in, counted from 1970-01-01 = 0. */
gint64         cc_clock_utc_day    (gint64 real_us);
/* "YYYY-MM-DD" of that day. */
char          *cc_clock_day_name   (gint64 day);

G_END_DECLS
