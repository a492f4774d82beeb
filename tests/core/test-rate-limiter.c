/* test-rate-limiter.c — Campaign's API allowance, on a clock the test
 * moves: the per-second cap in every window, the share of the cap it
 * grants while there is work, the daily budget and the new day, the
 * count that outlives the engine, and callers that wait.
 */
#include "cc-error.h"
#include "cc-rate-limiter.h"
#include "cc-test-util.h"
#include "store-fixture.h"

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
/* 2026-01-31 23:00:00 UTC: an hour before a new day. */
#define LATE_EVENING_US (G_GINT64_CONSTANT (1769900400) * G_USEC_PER_SEC)

typedef struct
{
  CcClock clock;
  GMutex  lock;        /* a waiting thread reads what the test moves */
  gint64  monotonic;
  gint64  real;
} FakeClock;

static gint64
fake_read (const CcClock *clock,
           gboolean       real)
{
  FakeClock *fake = (FakeClock *) clock;
  gint64 now;

  g_mutex_lock (&fake->lock);
  now = real ? fake->real : fake->monotonic;
  g_mutex_unlock (&fake->lock);
  return now;
}

static gint64
fake_monotonic (const CcClock *clock)
{
  return fake_read (clock, FALSE);
}

static gint64
fake_real (const CcClock *clock)
{
  return fake_read (clock, TRUE);
}

static void
fake_init (FakeClock *fake)
{
  fake->clock = (CcClock) { fake_monotonic, fake_real };
  g_mutex_init (&fake->lock);
  fake->monotonic = 1000 * G_USEC_PER_SEC;
  fake->real = LATE_EVENING_US;
}

/* Both clocks move by @us. */
static void
fake_advance (FakeClock *fake,
              gint64     us)
{
  g_mutex_lock (&fake->lock);
  fake->monotonic += us;
  fake->real += us;
  g_mutex_unlock (&fake->lock);
}

static CcRateLimiter *
new_limiter (const char *state_path,
             FakeClock  *fake)
{
  g_autoptr(GError) error = NULL;
  CcRateLimiter *limiter = cc_rate_limiter_new ("campaign", state_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (limiter);
  cc_rate_limiter_set_clock (limiter, &fake->clock);
  return limiter;
}

static guint64
calls_today (CcRateLimiter *limiter)
{
  CcRateLimiterState state;

  cc_rate_limiter_get_state (limiter, &state);
  return state.calls_today;
}

/* --- per second ------------------------------------------------------------ */

/* As much work as there is time: ten seconds of callers that take every
 * slot the moment it frees. The calls are paced: no window of one second
 * (any, not only whole seconds) holds more than the cap, and at least
 * 90 % of the cap goes. */
static void
test_cap (void)
{
  const guint cap = 10;
  const gint64 spacing = CC_RATE_LIMITER_WINDOW_US / cap;
  const gint64 run_us = 10 * G_USEC_PER_SEC;
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autoptr(GArray) grants = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start, ready_at, last;
  CcRateHold hold;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, cap, 0);
  start = fake.monotonic;

  while (fake.monotonic < start + run_us)
    {
      if (cc_rate_limiter_try_acquire (limiter, &ready_at, &hold))
        {
          g_array_append_val (grants, fake.monotonic);
          continue;
        }
      g_assert_cmpint (hold, ==, CC_RATE_HOLD_RATE);
      /* Held back until the next slot: a spacing after the last call
       * (10 ms less after a pause, see test_late_calls), never longer. */
      last = g_array_index (grants, gint64, grants->len - 1);
      g_assert_cmpint (ready_at - last, <=, spacing);
      g_assert_cmpint (ready_at - last, >=, spacing - 10 * 1000);
      fake_advance (&fake, ready_at - fake.monotonic);
    }

  g_assert_cmpint (g_array_index (grants, gint64, 0), ==, start);
  for (guint i = cap; i < grants->len; i++)
    g_assert_cmpint (g_array_index (grants, gint64, i) - g_array_index (grants, gint64, i - cap),
                     >=, G_USEC_PER_SEC);
  g_assert_cmpuint (grants->len, >=, cap * 10 * 9 / 10);
  g_assert_cmpuint (grants->len, <=, cap * 10);
}

/* A call that takes its slot a little late keeps the schedule, so that
 * the pace does not fall behind; one that comes long after starts it
 * again, and never lets two calls closer than the spacing less 10 ms. */
static void
test_late_calls (void)
{
  const gint64 spacing = CC_RATE_LIMITER_WINDOW_US / 5;
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  gint64 slot, ready_at;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 5, 0);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, &slot, NULL));

  /* 4 ms late for its slot: the next slot is still a spacing later. */
  fake_advance (&fake, slot + 4000 - fake.monotonic);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, &ready_at, NULL));
  g_assert_cmpint (ready_at, ==, slot + spacing);

  /* Long idle: the schedule starts again from the call that comes. */
  fake_advance (&fake, 10 * G_USEC_PER_SEC);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, &ready_at, NULL));
  g_assert_cmpint (ready_at - fake.monotonic, ==, spacing - 10 * 1000);
}

/* A new cap holds at once: the next call waits the new spacing after the
 * last one; no cap lets it go. */
static void
test_cap_changed (void)
{
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  gint64 ready_at, last;
  CcRateHold hold;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 10, 0);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  last = fake.monotonic;
  fake_advance (&fake, 10 * 1000);

  cc_rate_limiter_set_limits (limiter, 2, 0);
  g_assert_false (cc_rate_limiter_try_acquire (limiter, &ready_at, &hold));
  g_assert_cmpint (hold, ==, CC_RATE_HOLD_RATE);
  /* (The first call after a pause may be followed 10 ms sooner.) */
  g_assert_cmpint (ready_at, ==, last + CC_RATE_LIMITER_WINDOW_US / 2 - 10 * 1000);

  cc_rate_limiter_set_limits (limiter, 0, 0);
  for (guint i = 0; i < 1000; i++)
    g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
}

/* --- per day ---------------------------------------------------------------- */

static void
test_budget_and_new_day (void)
{
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  CcRateLimiterState state;
  gint64 ready_at;
  CcRateHold hold;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 0, 5);

  for (guint i = 0; i < 5; i++)
    g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, &ready_at, &hold));
  g_assert_cmpint (hold, ==, CC_RATE_HOLD_BUDGET);
  /* Asked again within a second: a new budget or a new day is seen. */
  g_assert_cmpint (ready_at, >, fake.monotonic);
  g_assert_cmpint (ready_at, <=, fake.monotonic + G_USEC_PER_SEC);
  cc_rate_limiter_get_state (limiter, &state);
  g_assert_true (state.used_up);
  g_assert_cmpuint (state.calls_today, ==, 5);
  g_assert_cmpint (state.renews_at, ==, (LATE_EVENING_US / DAY_US + 1) * DAY_US);

  /* Still the same day a second before midnight. */
  fake_advance (&fake, state.renews_at - fake.real - G_USEC_PER_SEC);
  g_assert_false (cc_rate_limiter_try_acquire (limiter, NULL, &hold));
  g_assert_cmpint (hold, ==, CC_RATE_HOLD_BUDGET);

  /* Midnight UTC: a new allowance. */
  fake_advance (&fake, G_USEC_PER_SEC);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  cc_rate_limiter_get_state (limiter, &state);
  g_assert_false (state.used_up);
  g_assert_cmpuint (state.calls_today, ==, 1);

  /* A larger budget lets the day go on. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  cc_rate_limiter_set_limits (limiter, 0, 6);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
}

/* The day's count is in the state database: a restart does not give the
 * day's allowance again. Dropped without a flush (a crash), the next
 * limiter may count a few calls that were never made, never fewer than
 * were. */
static void
test_count_survives (void)
{
  g_autofree char *dir = store_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "state.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcRateLimiter) first = NULL;
  g_autoptr(CcRateLimiter) second = NULL;
  g_autoptr(CcRateLimiter) third = NULL;
  g_autoptr(CcRateLimiter) fourth = NULL;
  FakeClock fake;

  fake_init (&fake);
  first = new_limiter (path, &fake);
  cc_rate_limiter_set_limits (first, 0, 1000);
  for (guint i = 0; i < 10; i++)
    g_assert_true (cc_rate_limiter_try_acquire (first, NULL, NULL));

  /* Killed: what the database counted ahead stands. */
  second = new_limiter (path, &fake);
  g_assert_cmpuint (calls_today (second), >=, 10);
  g_assert_cmpuint (calls_today (second), <=, 10 + 100);

  /* Shut down cleanly: exact. */
  g_assert_true (cc_rate_limiter_flush (first, &error));
  g_assert_no_error (error);
  third = new_limiter (path, &fake);
  g_assert_cmpuint (calls_today (third), ==, 10);

  /* A used-up budget stays used up after a restart, even a crash. */
  cc_rate_limiter_set_limits (third, 0, 12);
  g_assert_true (cc_rate_limiter_try_acquire (third, NULL, NULL));
  g_assert_true (cc_rate_limiter_try_acquire (third, NULL, NULL));
  g_assert_false (cc_rate_limiter_try_acquire (third, NULL, NULL));
  fourth = new_limiter (path, &fake);
  cc_rate_limiter_set_limits (fourth, 0, 12);
  g_assert_cmpuint (calls_today (fourth), ==, 12);
  g_assert_false (cc_rate_limiter_try_acquire (fourth, NULL, NULL));

  /* The next day starts from nothing. */
  fake_advance (&fake, DAY_US);
  g_assert_cmpuint (calls_today (fourth), ==, 0);
  g_assert_true (cc_rate_limiter_try_acquire (fourth, NULL, NULL));

  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&third);
  g_clear_object (&fourth);
  store_remove_tree (dir);
}

/* --- callers that wait ------------------------------------------------------ */

typedef struct
{
  CcRateLimiter *limiter;
  GCancellable  *cancellable;
  gboolean       done;      /* atomic */
  gboolean       ok;
  GError        *error;
} Waiter;

static gpointer
wait_in_thread (gpointer data)
{
  Waiter *waiter = data;

  waiter->ok = cc_rate_limiter_acquire (waiter->limiter, "ingress", TRUE, waiter->cancellable,
                                        &waiter->error);
  g_atomic_int_set (&waiter->done, TRUE);
  return NULL;
}

static gboolean
waiter_done (gpointer data)
{
  return g_atomic_int_get (&((Waiter *) data)->done);
}

static gboolean
ingress_waits (gpointer data)
{
  return cc_rate_limiter_is_waiting (data, "ingress");
}

static void
test_waiting (void)
{
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  GThread *thread;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 0, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (cc_rate_limiter_acquire (limiter, "ingress", TRUE, NULL, &error));
  g_assert_no_error (error);

  /* Someone who waits for the answer hears at once why there is none. */
  g_assert_false (cc_rate_limiter_acquire (limiter, "test", FALSE, NULL, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_TRANSIENT);
  g_assert_nonnull (strstr (error->message, "midnight UTC"));
  g_clear_error (&error);

  /* A worker waits for the new day, and says so meanwhile. */
  waiter.limiter = limiter;
  thread = g_thread_new ("waiter", wait_in_thread, &waiter);
  g_assert_true (cc_test_wait_until (ingress_waits, limiter, 30));
  g_assert_false (cc_rate_limiter_is_waiting (limiter, "egress"));
  g_assert_false (g_atomic_int_get (&waiter.done));
  fake_advance (&fake, DAY_US);
  g_assert_true (cc_test_wait_until (waiter_done, &waiter, 30));
  g_thread_join (thread);
  g_assert_no_error (waiter.error);
  g_assert_true (waiter.ok);
  g_assert_false (cc_rate_limiter_is_waiting (limiter, "ingress"));
  g_assert_cmpuint (calls_today (limiter), ==, 1);
}

/* Stop: a wait for the next day ends at once. */
static void
test_cancelled (void)
{
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { 0 };
  GThread *thread;

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 0, 1);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));

  waiter.limiter = limiter;
  waiter.cancellable = cancellable;
  thread = g_thread_new ("waiter", wait_in_thread, &waiter);
  g_assert_true (cc_test_wait_until (ingress_waits, limiter, 30));
  g_cancellable_cancel (cancellable);
  g_assert_true (cc_test_wait_until (waiter_done, &waiter, 30));
  g_thread_join (thread);
  g_assert_false (waiter.ok);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&waiter.error);
  g_assert_false (cc_rate_limiter_is_waiting (limiter, "ingress"));
  g_assert_cmpuint (calls_today (limiter), ==, 1);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Acquired;

static void
on_acquired (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Acquired *acquired = user_data;

  acquired->ok = cc_rate_limiter_acquire_finish (CC_RATE_LIMITER (source), result,
                                                 &acquired->error);
  acquired->done = TRUE;
}

static gboolean
acquired_done (gpointer data)
{
  return ((Acquired *) data)->done;
}

/* Many requests in flight on one thread: an acquisition that must wait
 * returns at once and ends on the thread's main context — granted when
 * the slot comes, refused at once when nobody may wait for the budget,
 * cancelled at once by Stop — and counts as waiting meanwhile. */
static void
test_async (void)
{
  FakeClock fake;
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Acquired first = { 0 }, refused = { 0 }, waiting = { 0 }, cancelled = { 0 };

  fake_init (&fake);
  limiter = new_limiter (NULL, &fake);
  cc_rate_limiter_set_limits (limiter, 0, 2);

  cc_rate_limiter_acquire_async (limiter, "ingress", TRUE, NULL, on_acquired, &first);
  g_assert_true (cc_test_wait_until (acquired_done, &first, 30));
  g_assert_no_error (first.error);
  g_assert_true (first.ok);
  g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));

  cc_rate_limiter_acquire_async (limiter, "test", FALSE, NULL, on_acquired, &refused);
  g_assert_true (cc_test_wait_until (acquired_done, &refused, 30));
  g_assert_false (refused.ok);
  g_assert_error (refused.error, CC_ERROR, CC_ERROR_TRANSIENT);
  g_clear_error (&refused.error);

  /* The day's budget is used up: the call returns, the thread goes on. */
  cc_rate_limiter_acquire_async (limiter, "ingress", TRUE, NULL, on_acquired, &waiting);
  g_assert_false (waiting.done);
  g_assert_true (cc_test_wait_until (ingress_waits, limiter, 30));
  g_assert_false (waiting.done);

  cc_rate_limiter_acquire_async (limiter, "ingress", TRUE, cancellable, on_acquired, &cancelled);
  g_cancellable_cancel (cancellable);
  g_assert_true (cc_test_wait_until (acquired_done, &cancelled, 30));
  g_assert_false (cancelled.ok);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);
  g_assert_false (waiting.done);
  g_assert_true (cc_rate_limiter_is_waiting (limiter, "ingress"));

  fake_advance (&fake, DAY_US);
  g_assert_true (cc_test_wait_until (acquired_done, &waiting, 30));
  g_assert_no_error (waiting.error);
  g_assert_true (waiting.ok);
  g_assert_false (cc_rate_limiter_is_waiting (limiter, "ingress"));
  g_assert_cmpuint (calls_today (limiter), ==, 1);
}

/* Without a cap, the count is written ahead about a second's worth of
 * calls at a time, at whatever pace they come: a burst of calls writes it
 * a handful of times, not every hundred calls, and never below the calls
 * made. After a quiet second the step starts small again. */
static void
test_count_ahead_pace (void)
{
  g_autofree char *dir = store_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "state.db", NULL);
  g_autoptr(CcRateLimiter) limiter = NULL;
  g_autoptr(CcRateLimiter) after_crash = NULL;
  gint64 written = 0;
  guint writes = 0;
  FakeClock fake;

  fake_init (&fake);
  limiter = new_limiter (path, &fake);
  cc_rate_limiter_set_limits (limiter, 0, 0);

  /* 20,000 calls within one second: written ahead 100, 200, 400… calls
   * at a time, up to 10,000. */
  for (guint i = 1; i <= 20000; i++)
    {
      gint64 now;

      g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
      if (i % 50 != 1)
        continue;
      now = store_query_int (path, "SELECT calls FROM api_calls");
      g_assert_cmpint (now, >=, i);
      g_assert_cmpint (now, <=, i + 10000);
      if (now != written)
        writes++;
      written = now;
    }
  g_assert_cmpuint (writes, ==, 8);
  g_assert_cmpint (written, ==, 22700);

  /* A second later the next step is 100 calls again. */
  fake_advance (&fake, 2 * G_USEC_PER_SEC);
  for (guint i = 20001; i <= 22701; i++)
    g_assert_true (cc_rate_limiter_try_acquire (limiter, NULL, NULL));
  g_assert_cmpint (store_query_int (path, "SELECT calls FROM api_calls"), ==, 22700 + 100);

  /* Killed: what the database counted ahead stands. */
  after_crash = new_limiter (path, &fake);
  g_assert_cmpuint (calls_today (after_crash), ==, 22800);

  g_clear_object (&limiter);
  g_clear_object (&after_crash);
  store_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rate-limiter/cap", test_cap);
  g_test_add_func ("/rate-limiter/late-calls", test_late_calls);
  g_test_add_func ("/rate-limiter/cap-changed", test_cap_changed);
  g_test_add_func ("/rate-limiter/budget-and-new-day", test_budget_and_new_day);
  g_test_add_func ("/rate-limiter/count-survives", test_count_survives);
  g_test_add_func ("/rate-limiter/count-ahead-pace", test_count_ahead_pace);
  g_test_add_func ("/rate-limiter/waiting", test_waiting);
  g_test_add_func ("/rate-limiter/cancelled", test_cancelled);
  g_test_add_func ("/rate-limiter/async", test_async);

  return g_test_run ();
}
