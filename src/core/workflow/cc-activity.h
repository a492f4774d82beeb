/* cc-activity.h — a workflow's recent activity: its backlog and the
 * records it wrote per second, sampled every few seconds for the last
 * hour and kept a minute at a time for the last day.
 *
 * The engine keeps it for every workflow from the moment it starts,
 * whether a window looks at it or not, so that a graph opened later
 * shows what happened before. It is memory only: a new engine starts
 * with none.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Seconds between two samples of the last hour, and of the last day. */
#define CC_ACTIVITY_FINE_SECONDS   5
#define CC_ACTIVITY_COARSE_SECONDS 60

typedef enum
{
  CC_ACTIVITY_HOUR,   /* the last hour, a sample every CC_ACTIVITY_FINE_SECONDS */
  CC_ACTIVITY_DAY,    /* the last 24 hours, a sample a minute */
} CcActivitySpan;

typedef struct
{
  gint64  time_us;              /* unix time, microseconds (a minute's start) */
  guint64 backlog;              /* at that time (the last of its minute) */
  double  records_per_second;   /* written since the sample before (the minute's mean) */
} CcActivitySample;

/* "hour" or "day" (the D-Bus words); FALSE for anything else. */
gboolean    cc_activity_span_from_string (const char     *word,
                                          CcActivitySpan *span);
/* How far back @span reaches, in microseconds. */
gint64      cc_activity_span_length      (CcActivitySpan  span);

#define CC_TYPE_ACTIVITY (cc_activity_get_type ())
G_DECLARE_FINAL_TYPE (CcActivity, cc_activity, CC, ACTIVITY, GObject)

/* Signal ::sampled: a sample was added (on the thread that added it, the
 * main thread in the engine). */

CcActivity *cc_activity_new         (void);
/* Records the state at @time_us: the backlog then and @written, the
 * workflow's count of records written so far, whose growth since the
 * last sample makes its records per second. A time before the last
 * sample's (the clock was set back) starts the activity afresh. */
void        cc_activity_add         (CcActivity     *self,
                                     gint64          time_us,
                                     guint64         backlog,
                                     guint64         written);
/* CcActivitySample, oldest first, within @span of @now_us. */
GArray     *cc_activity_get_samples (CcActivity     *self,
                                     CcActivitySpan  span,
                                     gint64          now_us);

G_END_DECLS
