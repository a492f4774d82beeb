/* cc-activity.c — a workflow's recent activity, kept by the engine.
 *
 * Two rings: the last hour at CC_ACTIVITY_FINE_SECONDS, and the last day
 * a minute at a time. Each fine sample also goes into the minute it falls
 * in (the last backlog of the minute, the mean rate); a minute joins the
 * day's ring once the next one begins, and the day's samples end with the
 * minute under way. Both are fixed arrays: a day of a workflow is a few
 * tens of kilobytes, whatever it does.
 */
#include "config.h"

#include "cc-activity.h"

#define FINE_SAMPLES   (3600 / CC_ACTIVITY_FINE_SECONDS)
#define COARSE_SAMPLES (24 * 3600 / CC_ACTIVITY_COARSE_SECONDS)

typedef struct
{
  CcActivitySample *samples;
  guint             size;
  guint             first;     /* the oldest */
  guint             n;
} Ring;

struct _CcActivity
{
  GObject           parent_instance;

  Ring              fine;
  Ring              coarse;
  CcActivitySample  minute;    /* the minute under way */
  guint             minute_n;  /* samples in it */
  gint64            last_time; /* of the last sample; 0 = none yet */
  guint64           last_written;
};

enum {
  SAMPLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcActivity, cc_activity, G_TYPE_OBJECT)

gboolean
cc_activity_span_from_string (const char     *word,
                              CcActivitySpan *span)
{
  if (g_strcmp0 (word, "hour") == 0)
    *span = CC_ACTIVITY_HOUR;
  else if (g_strcmp0 (word, "day") == 0)
    *span = CC_ACTIVITY_DAY;
  else
    return FALSE;
  return TRUE;
}

gint64
cc_activity_span_length (CcActivitySpan span)
{
  return span == CC_ACTIVITY_DAY ? 24 * G_TIME_SPAN_HOUR : G_TIME_SPAN_HOUR;
}

static void
ring_push (Ring                   *ring,
           const CcActivitySample *sample)
{
  if (ring->n < ring->size)
    ring->samples[(ring->first + ring->n++) % ring->size] = *sample;
  else
    {
      ring->samples[ring->first] = *sample;
      ring->first = (ring->first + 1) % ring->size;
    }
}

/* Appends the samples of @ring no older than @since to @out. */
static void
ring_copy_since (const Ring *ring,
                 gint64      since,
                 GArray     *out)
{
  for (guint i = 0; i < ring->n; i++)
    {
      const CcActivitySample *sample = &ring->samples[(ring->first + i) % ring->size];

      if (sample->time_us >= since)
        g_array_append_val (out, *sample);
    }
}

static gint64
minute_of (gint64 time_us)
{
  const gint64 minute = CC_ACTIVITY_COARSE_SECONDS * G_USEC_PER_SEC;

  return time_us - time_us % minute;
}

CcActivity *
cc_activity_new (void)
{
  return g_object_new (CC_TYPE_ACTIVITY, NULL);
}

/* The minute under way as a sample of the day: its mean rate. */
static CcActivitySample
minute_sample (CcActivity *self)
{
  CcActivitySample minute = self->minute;

  minute.records_per_second /= self->minute_n;
  return minute;
}

/* Into the minute @sample falls in; a new minute sends the one under
 * way to the day's ring first. */
static void
add_to_minute (CcActivity             *self,
               const CcActivitySample *sample)
{
  gint64 minute = minute_of (sample->time_us);

  if (self->minute_n > 0 && minute != self->minute.time_us)
    {
      CcActivitySample closed = minute_sample (self);

      ring_push (&self->coarse, &closed);
      self->minute_n = 0;
    }
  if (self->minute_n == 0)
    {
      self->minute.time_us = minute;
      self->minute.records_per_second = 0;
    }
  self->minute.backlog = sample->backlog;
  self->minute.records_per_second += sample->records_per_second;
  self->minute_n++;
}

/* Forgets every sample: times before now's no longer tell the order. */
static void
clear (CcActivity *self)
{
  self->fine.first = self->fine.n = 0;
  self->coarse.first = self->coarse.n = 0;
  self->minute_n = 0;
  self->last_time = 0;
}

void
cc_activity_add (CcActivity *self,
                 gint64      time_us,
                 guint64     backlog,
                 guint64     written)
{
  CcActivitySample sample = { time_us, backlog, 0.0 };

  g_return_if_fail (CC_IS_ACTIVITY (self));

  if (self->last_time != 0 && time_us <= self->last_time)
    clear (self);
  /* The first sample has nothing to measure a rate against; a count that
   * went down (its counters were reset) neither. */
  if (self->last_time != 0 && written >= self->last_written)
    sample.records_per_second = (double) (written - self->last_written) * G_USEC_PER_SEC
                                / (double) (time_us - self->last_time);
  self->last_time = time_us;
  self->last_written = written;

  ring_push (&self->fine, &sample);
  add_to_minute (self, &sample);
  g_signal_emit (self, signals[SAMPLED], 0);
}

GArray *
cc_activity_get_samples (CcActivity     *self,
                         CcActivitySpan  span,
                         gint64          now_us)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (CcActivitySample));
  gint64 since = now_us - cc_activity_span_length (span);

  g_return_val_if_fail (CC_IS_ACTIVITY (self), samples);

  if (span == CC_ACTIVITY_HOUR)
    {
      ring_copy_since (&self->fine, since, samples);
      return samples;
    }
  ring_copy_since (&self->coarse, since, samples);
  if (self->minute_n > 0)
    {
      CcActivitySample minute = minute_sample (self);

      g_array_append_val (samples, minute);
    }
  return samples;
}

static void
cc_activity_finalize (GObject *object)
{
  CcActivity *self = CC_ACTIVITY (object);

  g_free (self->fine.samples);
  g_free (self->coarse.samples);

  G_OBJECT_CLASS (cc_activity_parent_class)->finalize (object);
}

static void
cc_activity_class_init (CcActivityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_activity_finalize;

  signals[SAMPLED] = g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cc_activity_init (CcActivity *self)
{
  self->fine.samples = g_new0 (CcActivitySample, FINE_SAMPLES);
  self->fine.size = FINE_SAMPLES;
  self->coarse.samples = g_new0 (CcActivitySample, COARSE_SAMPLES);
  self->coarse.size = COARSE_SAMPLES;
}
