/* test-activity.c — a workflow's recent activity as the engine keeps it:
 * the last hour every few seconds, the last day a minute at a time, the
 * rate measured from what was written between two samples. */
#include "config.h"

#include "cc-activity.h"

/* A quarter past noon, 1 December 2026, UTC: on a minute's start. */
#define NOON_US (G_GINT64_CONSTANT (1796127300) * G_USEC_PER_SEC)
#define FINE_US (CC_ACTIVITY_FINE_SECONDS * G_USEC_PER_SEC)

static const CcActivitySample *
sample_at (GArray *samples,
           guint   i)
{
  return &g_array_index (samples, CcActivitySample, i);
}

/* @n samples from @start, CC_ACTIVITY_FINE_SECONDS apart, writing
 * @per_sample records each time and the backlog going down by one. */
static gint64
feed (CcActivity *activity,
      gint64      start,
      guint       n,
      guint64    *written,
      guint64     per_sample)
{
  gint64 time = start;

  for (guint i = 0; i < n; i++)
    {
      time = start + (gint64) i * FINE_US;
      cc_activity_add (activity, time, 10000 - i, *written);
      *written += per_sample;
    }
  return time;
}

static void
test_hour (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  g_autoptr(GArray) samples = NULL;
  guint64 written = 500;
  gint64 last;

  /* Two hours: the hour keeps the last 720 samples (one every 5 s). */
  last = feed (activity, NOON_US, 2 * 720, &written, 50);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_HOUR, last);
  g_assert_cmpuint (samples->len, ==, 720);
  g_assert_cmpint (sample_at (samples, samples->len - 1)->time_us, ==, last);
  g_assert_cmpint (sample_at (samples, 0)->time_us, >, last - G_TIME_SPAN_HOUR);
  for (guint i = 1; i < samples->len; i++)
    g_assert_cmpint (sample_at (samples, i)->time_us, >, sample_at (samples, i - 1)->time_us);
  /* 50 records in 5 s. */
  g_assert_cmpfloat_with_epsilon (sample_at (samples, 0)->records_per_second, 10.0, 1e-9);
  g_assert_cmpuint (sample_at (samples, samples->len - 1)->backlog, ==, 10000 - (2 * 720 - 1));
  g_clear_pointer (&samples, g_array_unref);

  /* Seen ten minutes later, the hour holds fifty minutes of them. */
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_HOUR, last + 10 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (samples->len, ==, 50 * 12 + 1);
}

static void
test_first_sample (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  g_autoptr(GArray) samples = NULL;

  /* An engine that starts with 1,000 written so far did not write them
   * in no time. */
  cc_activity_add (activity, NOON_US, 7, 1000);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_HOUR, NOON_US);
  g_assert_cmpuint (samples->len, ==, 1);
  g_assert_cmpfloat (sample_at (samples, 0)->records_per_second, ==, 0.0);
  g_assert_cmpuint (sample_at (samples, 0)->backlog, ==, 7);
}

static void
test_day (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  g_autoptr(GArray) samples = NULL;
  const guint per_minute = 60 / CC_ACTIVITY_FINE_SECONDS;
  guint64 written = 0;
  gint64 last;

  /* Ten minutes writing 10/s, then ten minutes writing nothing, and two
   * samples into the minute after. */
  last = feed (activity, NOON_US, 10 * per_minute, &written, 50);
  last = feed (activity, last + FINE_US, 10 * per_minute, &written, 0);
  last = feed (activity, last + FINE_US, 2, &written, 0);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_DAY, last);

  /* One a minute, on the minute, ending with the minute under way. */
  g_assert_cmpuint (samples->len, ==, 21);
  for (guint i = 0; i < samples->len; i++)
    g_assert_cmpint (sample_at (samples, i)->time_us, ==, NOON_US + i * G_TIME_SPAN_MINUTE);
  /* The minute's mean rate (its first sample has none to compare with),
   * and its last backlog. */
  g_assert_cmpfloat_with_epsilon (sample_at (samples, 0)->records_per_second,
                                  10.0 * (per_minute - 1) / per_minute, 1e-9);
  g_assert_cmpfloat_with_epsilon (sample_at (samples, 5)->records_per_second, 10.0, 1e-9);
  g_assert_cmpuint (sample_at (samples, 5)->backlog, ==, 10000 - (6 * per_minute - 1));
  /* The first minute of nothing still counts the 50 of its first 5 s. */
  g_assert_cmpfloat_with_epsilon (sample_at (samples, 10)->records_per_second,
                                  10.0 / per_minute, 1e-9);
  g_assert_cmpfloat (sample_at (samples, 15)->records_per_second, ==, 0.0);
}

static void
test_day_bounded (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  g_autoptr(GArray) samples = NULL;
  guint64 written = 0;
  gint64 last;

  /* 25 hours: the day keeps 24 of them, one sample a minute. */
  last = feed (activity, NOON_US, 25 * 720, &written, 5);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_DAY, last);
  g_assert_cmpuint (samples->len, ==, 24 * 60);
  g_assert_cmpint (sample_at (samples, 0)->time_us, >=, last - 24 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (sample_at (samples, samples->len - 1)->time_us, ==,
                   last - last % G_TIME_SPAN_MINUTE);
}

static void
test_clock_set_back (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  g_autoptr(GArray) samples = NULL;
  guint64 written = 0;
  gint64 last;

  last = feed (activity, NOON_US, 100, &written, 5);
  /* An hour earlier: what was kept no longer tells the order. */
  cc_activity_add (activity, last - G_TIME_SPAN_HOUR, 3, written);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_HOUR, last - G_TIME_SPAN_HOUR);
  g_assert_cmpuint (samples->len, ==, 1);
  g_assert_cmpuint (sample_at (samples, 0)->backlog, ==, 3);
  g_clear_pointer (&samples, g_array_unref);
  samples = cc_activity_get_samples (activity, CC_ACTIVITY_DAY, last - G_TIME_SPAN_HOUR);
  g_assert_cmpuint (samples->len, ==, 1);
}

static void
test_span_words (void)
{
  CcActivitySpan span = CC_ACTIVITY_HOUR;

  g_assert_true (cc_activity_span_from_string ("day", &span));
  g_assert_cmpint (span, ==, CC_ACTIVITY_DAY);
  g_assert_true (cc_activity_span_from_string ("hour", &span));
  g_assert_cmpint (span, ==, CC_ACTIVITY_HOUR);
  g_assert_false (cc_activity_span_from_string ("week", &span));
  g_assert_false (cc_activity_span_from_string (NULL, &span));
  g_assert_cmpint (cc_activity_span_length (CC_ACTIVITY_DAY), ==, 24 * G_TIME_SPAN_HOUR);
}

static void
count_sampled (CcActivity *activity,
               guint      *n)
{
  (*n)++;
}

static void
test_sampled_signal (void)
{
  g_autoptr(CcActivity) activity = cc_activity_new ();
  guint n = 0;

  g_signal_connect (activity, "sampled", G_CALLBACK (count_sampled), &n);
  cc_activity_add (activity, NOON_US, 0, 0);
  cc_activity_add (activity, NOON_US + FINE_US, 0, 0);
  g_assert_cmpuint (n, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/activity/hour", test_hour);
  g_test_add_func ("/activity/first-sample", test_first_sample);
  g_test_add_func ("/activity/day", test_day);
  g_test_add_func ("/activity/day-bounded", test_day_bounded);
  g_test_add_func ("/activity/clock-set-back", test_clock_set_back);
  g_test_add_func ("/activity/span-words", test_span_words);
  g_test_add_func ("/activity/sampled", test_sampled_signal);
  return g_test_run ();
}
