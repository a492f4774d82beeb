/* cc-rate-limiter.c — calls per second and per UTC day (cc-rate-limiter.h).
 *
 * The per-second cap paces the calls on a schedule: slot k at
 * CC_RATE_LIMITER_WINDOW_US / cap after slot k - 1. Bursts (the cap's
 * worth of calls at once, then a pause) would meet the same count per
 * second on paper, but the service takes a burst one request after the
 * other, so the tail of one and the head of the next can land within one
 * second at its end; paced calls arrive about as they were sent.
 *
 * A call that takes its slot late (its thread woke a little late) keeps
 * the schedule, so that lateness does not add up and the pace stays the
 * cap's 93 %; late by more than CATCH_UP_US (no call was waiting), the
 * schedule starts again from it. Any cap + 1 calls in a row thus span at
 * least the window less CATCH_UP_US.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-http.h"
#include "cc-rate-limiter.h"

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
/* A caller that the budget holds back looks again this often: a changed
 * budget, or a new day on a clock a test moves, is seen within it. */
#define BUDGET_RECHECK_US G_USEC_PER_SEC
/* How late a call may take its slot and keep the schedule (see above). */
#define CATCH_UP_US (10 * 1000)
/* Calls counted ahead in the state database at a time: at least a
 * second's worth, so that the database is written about once a second.
 * Under a cap that is the cap; without one the step doubles while the
 * writes come less than a second apart (up to MAX_RESERVE_CALLS), and
 * starts again from RESERVE_CALLS after a quieter second. Each write is
 * a commit of this limiter's own connection, and a commit makes every
 * other connection to the database drop its page cache: writing every
 * 100 calls, a first load at 5,000 records a second read 3.4 pages a
 * record from disk, against 1.9 with this. A crash counts at most one
 * step of calls that were never made. */
#define RESERVE_CALLS 100
#define MAX_RESERVE_CALLS 10000

struct _CcRateLimiter
{
  GObject        parent_instance;

  GMutex         lock;
  const CcClock *clock;
  char          *service;
  CcStore       *store;           /* own connection; NULL: memory only */

  guint          max_per_second;
  guint64        daily_budget;

  gint64         spacing;         /* µs from one call's slot to the next; 0: no cap */
  gint64         next_call;       /* the next call's slot (monotonic) */

  gint64         day;             /* UTC day of the counts below, -1 none */
  guint64        used;            /* calls granted that day */
  guint64        counted;         /* calls the database has for it (≥ used) */
  guint64        reserve;         /* calls counted ahead at the last write */
  gint64         counted_at;      /* when the count was last written ahead (monotonic) */

  GHashTable    *waiting;         /* tag → callers waiting for the budget */
};

G_DEFINE_FINAL_TYPE (CcRateLimiter, cc_rate_limiter, G_TYPE_OBJECT)

static void
cc_rate_limiter_finalize (GObject *object)
{
  CcRateLimiter *self = CC_RATE_LIMITER (object);

  g_free (self->service);
  g_clear_object (&self->store);
  g_hash_table_unref (self->waiting);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cc_rate_limiter_parent_class)->finalize (object);
}

static void
cc_rate_limiter_class_init (CcRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_rate_limiter_finalize;
}

static void
cc_rate_limiter_init (CcRateLimiter *self)
{
  g_mutex_init (&self->lock);
  self->clock = cc_clock_get_system ();
  self->day = -1;
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* --- the day's count (with the lock held) ------------------------------- */

/* Writes @calls as the day's count. A failure is only logged: the count
 * in memory still holds the calls back, and a broken database fails the
 * workflows in its own right. */
static void
write_count (CcRateLimiter *self,
             guint64        calls)
{
  g_autofree char *day = NULL;
  g_autoptr(GError) error = NULL;

  self->counted = calls;
  if (self->store == NULL)
    return;
  day = cc_clock_day_name (self->day);
  if (!cc_store_set_api_calls (self->store, self->service, day, calls, &error))
    g_debug ("%s API calls: %s", self->service, error->message);
}

/* A new UTC day starts from what the database has for it (nothing, unless
 * an earlier engine made calls that day). */
static void
roll_day (CcRateLimiter *self,
          gint64         real_us)
{
  gint64 day = cc_clock_utc_day (real_us);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  guint64 calls = 0;

  if (day == self->day)
    return;
  self->day = day;
  name = cc_clock_day_name (day);
  if (self->store != NULL && !cc_store_get_api_calls (self->store, self->service, name,
                                                      &calls, &error))
    g_debug ("%s API calls: %s", self->service, error->message);
  self->used = self->counted = calls;
}

/* Counts one call, writing a block of calls ahead when the database has
 * no room left for it. */
static void
count_call (CcRateLimiter *self)
{
  guint64 ahead;
  gint64 now;

  self->used++;
  if (self->used <= self->counted)
    return;
  now = self->clock->monotonic_us (self->clock);
  if (self->reserve > 0 && now - self->counted_at < G_USEC_PER_SEC)
    self->reserve = MIN (2 * self->reserve, (guint64) MAX_RESERVE_CALLS);
  else
    self->reserve = RESERVE_CALLS;
  self->counted_at = now;
  ahead = self->used - 1 + MAX (self->reserve, (guint64) self->max_per_second);
  if (self->daily_budget > 0)
    ahead = MIN (ahead, MAX (self->daily_budget, self->used));
  write_count (self, ahead);
}

static gboolean
budget_used_up (CcRateLimiter *self)
{
  return self->daily_budget > 0 && self->used >= self->daily_budget;
}

static gint64
next_midnight (gint64 real_us)
{
  return (cc_clock_utc_day (real_us) + 1) * DAY_US;
}

/* --- the per-second pace (with the lock held) --------------------------- */

/* When the pace lets the next call go (@now if at once). */
static gint64
rate_ready_at (CcRateLimiter *self,
               gint64         now)
{
  return MAX (now, self->next_call);
}

static void
record_grant (CcRateLimiter *self,
              gint64         now)
{
  self->next_call = MAX (self->next_call, now - CATCH_UP_US) + self->spacing;
}

/* --- public ------------------------------------------------------------- */

CcRateLimiter *
cc_rate_limiter_new (const char  *service,
                     const char  *state_path,
                     GError     **error)
{
  g_autoptr(CcRateLimiter) self = NULL;

  g_return_val_if_fail (service != NULL, NULL);

  self = g_object_new (CC_TYPE_RATE_LIMITER, NULL);
  self->service = g_strdup (service);
  if (state_path != NULL && (self->store = cc_store_open (state_path, error)) == NULL)
    return NULL;
  roll_day (self, self->clock->real_us (self->clock));
  return g_steal_pointer (&self);
}

void
cc_rate_limiter_set_limits (CcRateLimiter *self,
                            guint          max_per_second,
                            guint64        daily_budget)
{
  g_return_if_fail (CC_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->lock);
  /* The next call keeps the time the old pace set for it, at most one
   * new spacing after the last call. */
  if (max_per_second != self->max_per_second)
    {
      gint64 spacing = max_per_second > 0 ? CC_RATE_LIMITER_WINDOW_US / max_per_second : 0;

      self->next_call += spacing - self->spacing;
      self->spacing = spacing;
      self->max_per_second = max_per_second;
    }
  self->daily_budget = daily_budget;
  g_mutex_unlock (&self->lock);
}

void
cc_rate_limiter_set_clock (CcRateLimiter *self,
                           const CcClock *clock)
{
  g_return_if_fail (CC_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->lock);
  self->clock = clock != NULL ? clock : cc_clock_get_system ();
  /* A time of the other clock means nothing on this one. */
  self->next_call = 0;
  roll_day (self, self->clock->real_us (self->clock));
  g_mutex_unlock (&self->lock);
}

gboolean
cc_rate_limiter_try_acquire (CcRateLimiter *self,
                             gint64        *ready_at,
                             CcRateHold    *hold)
{
  gint64 now, real, due;
  CcRateHold why = CC_RATE_HOLD_NONE;

  g_return_val_if_fail (CC_IS_RATE_LIMITER (self), FALSE);

  g_mutex_lock (&self->lock);
  now = self->clock->monotonic_us (self->clock);
  real = self->clock->real_us (self->clock);
  roll_day (self, real);

  if (budget_used_up (self))
    {
      why = CC_RATE_HOLD_BUDGET;
      due = now + MIN (next_midnight (real) - real, BUDGET_RECHECK_US);
    }
  else if ((due = rate_ready_at (self, now)) > now)
    why = CC_RATE_HOLD_RATE;
  else
    {
      record_grant (self, now);
      count_call (self);
    }
  g_mutex_unlock (&self->lock);

  if (ready_at != NULL)
    *ready_at = due;
  if (hold != NULL)
    *hold = why;
  return why == CC_RATE_HOLD_NONE;
}

/* Counts @tag among those the budget holds back (@delta +1), or no more. */
static void
mark_waiting (CcRateLimiter *self,
              const char    *tag,
              int            delta)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->waiting, tag)) + delta;
  if (n == 0)
    g_hash_table_remove (self->waiting, tag);
  else
    g_hash_table_insert (self->waiting, g_strdup (tag), GUINT_TO_POINTER (n));
  g_mutex_unlock (&self->lock);
}

static void
set_used_up_error (CcRateLimiter  *self,
                   GError        **error)
{
  CcRateLimiterState state;
  g_autofree char *budget = NULL;

  cc_rate_limiter_get_state (self, &state);
  budget = g_strdup_printf ("%'" G_GUINT64_FORMAT, state.daily_budget);
  g_set_error (error, CC_ERROR, CC_ERROR_TRANSIENT,
               g_dngettext (GETTEXT_PACKAGE,
                            "Today’s allowance of %s Campaign API call is used up; it renews "
                            "at midnight UTC.",
                            "Today’s allowance of %s Campaign API calls is used up; it renews "
                            "at midnight UTC.",
                            (gulong) state.daily_budget),
               budget);
}

gboolean
cc_rate_limiter_acquire (CcRateLimiter  *self,
                         const char     *tag,
                         gboolean        wait_for_budget,
                         GCancellable   *cancellable,
                         GError        **error)
{
  const char *who = tag != NULL ? tag : "";
  gboolean marked = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (CC_IS_RATE_LIMITER (self), FALSE);

  for (;;)
    {
      gint64 ready_at;
      CcRateHold hold;
      gint64 wait_us;

      if (cc_rate_limiter_try_acquire (self, &ready_at, &hold))
        break;
      if (hold == CC_RATE_HOLD_BUDGET && !wait_for_budget)
        {
          set_used_up_error (self, error);
          ok = FALSE;
          break;
        }
      if ((hold == CC_RATE_HOLD_BUDGET) != marked)
        {
          marked = !marked;
          mark_waiting (self, who, marked ? 1 : -1);
        }
      wait_us = ready_at - self->clock->monotonic_us (self->clock);
      if (!cc_http_wait ((guint) CLAMP ((wait_us + 999) / 1000, 1, G_MAXINT), cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }
  if (marked)
    mark_waiting (self, who, -1);
  return ok;
}

/* One asynchronous acquisition: the task, and whether its tag is counted
 * among those the budget holds back. */
typedef struct
{
  char     *tag;
  gboolean  wait_for_budget;
  gboolean  marked;
  GSource  *timeout;
} Acquisition;

static void
acquisition_free (Acquisition *acquisition)
{
  g_free (acquisition->tag);
  g_free (acquisition);
}

static void try_acquisition (GTask *task);

static gboolean
on_acquisition_due (gpointer data)
{
  GTask *task = data;
  Acquisition *acquisition = g_task_get_task_data (task);

  g_clear_pointer (&acquisition->timeout, g_source_unref);
  try_acquisition (task);
  return G_SOURCE_REMOVE;
}

/* The parent timeout does the work (a cancellable source needs a
 * callback of its own). */
static gboolean
on_cancelled_child (GCancellable *cancellable,
                    gpointer      data)
{
  return G_SOURCE_REMOVE;
}

/* Ends @task: with @error, or granted when it is NULL. */
static void
end_acquisition (GTask  *task,
                 GError *error)
{
  CcRateLimiter *self = g_task_get_source_object (task);
  Acquisition *acquisition = g_task_get_task_data (task);

  if (acquisition->marked)
    mark_waiting (self, acquisition->tag, -1);
  acquisition->marked = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Takes a slot now, or schedules the next look for when the limiter
 * says one is free. Holds a reference on @task until it ends. */
static void
try_acquisition (GTask *task)
{
  CcRateLimiter *self = g_task_get_source_object (task);
  Acquisition *acquisition = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 ready_at, wait_us;
  CcRateHold hold;

  if (g_task_return_error_if_cancelled (task))
    {
      if (acquisition->marked)
        mark_waiting (self, acquisition->tag, -1);
      acquisition->marked = FALSE;
      g_object_unref (task);
      return;
    }
  if (cc_rate_limiter_try_acquire (self, &ready_at, &hold))
    {
      end_acquisition (task, NULL);
      return;
    }
  if (hold == CC_RATE_HOLD_BUDGET && !acquisition->wait_for_budget)
    {
      set_used_up_error (self, &error);
      end_acquisition (task, error);
      return;
    }
  if ((hold == CC_RATE_HOLD_BUDGET) != acquisition->marked)
    {
      acquisition->marked = !acquisition->marked;
      mark_waiting (self, acquisition->tag, acquisition->marked ? 1 : -1);
    }
  wait_us = ready_at - self->clock->monotonic_us (self->clock);
  acquisition->timeout = g_timeout_source_new ((guint) CLAMP ((wait_us + 999) / 1000, 1,
                                                              G_MAXINT));
  g_source_set_static_name (acquisition->timeout, "[cc] API allowance slot");
  /* A cancelled wait ends at once rather than at its slot: the child
   * source makes the timeout dispatch early. */
  if (g_task_get_cancellable (task) != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (g_task_get_cancellable (task));

      g_source_set_callback (cancelled, G_SOURCE_FUNC (on_cancelled_child), NULL, NULL);
      g_source_add_child_source (acquisition->timeout, cancelled);
    }
  g_source_set_callback (acquisition->timeout, on_acquisition_due, task, NULL);
  g_source_attach (acquisition->timeout, g_task_get_context (task));
}

void
cc_rate_limiter_acquire_async (CcRateLimiter       *self,
                               const char          *tag,
                               gboolean             wait_for_budget,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Acquisition *acquisition;

  g_return_if_fail (CC_IS_RATE_LIMITER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_rate_limiter_acquire_async);
  acquisition = g_new0 (Acquisition, 1);
  acquisition->tag = g_strdup (tag != NULL ? tag : "");
  acquisition->wait_for_budget = wait_for_budget;
  g_task_set_task_data (task, acquisition, (GDestroyNotify) acquisition_free);
  try_acquisition (task);
}

gboolean
cc_rate_limiter_acquire_finish (CcRateLimiter  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cc_rate_limiter_is_waiting (CcRateLimiter *self,
                            const char    *tag)
{
  gboolean waiting;

  g_return_val_if_fail (CC_IS_RATE_LIMITER (self), FALSE);

  g_mutex_lock (&self->lock);
  waiting = g_hash_table_contains (self->waiting, tag != NULL ? tag : "");
  g_mutex_unlock (&self->lock);
  return waiting;
}

void
cc_rate_limiter_get_state (CcRateLimiter      *self,
                           CcRateLimiterState *state)
{
  gint64 real;

  g_return_if_fail (CC_IS_RATE_LIMITER (self));
  g_return_if_fail (state != NULL);

  g_mutex_lock (&self->lock);
  real = self->clock->real_us (self->clock);
  roll_day (self, real);
  state->max_per_second = self->max_per_second;
  state->daily_budget = self->daily_budget;
  state->calls_today = self->used;
  state->used_up = budget_used_up (self);
  state->renews_at = next_midnight (real);
  g_mutex_unlock (&self->lock);
}

gboolean
cc_rate_limiter_flush (CcRateLimiter  *self,
                       GError        **error)
{
  g_autofree char *day = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (CC_IS_RATE_LIMITER (self), FALSE);

  g_mutex_lock (&self->lock);
  if (self->store != NULL && self->counted != self->used)
    {
      day = cc_clock_day_name (self->day);
      ok = cc_store_set_api_calls (self->store, self->service, day, self->used, error);
      if (ok)
        self->counted = self->used;
    }
  g_mutex_unlock (&self->lock);
  return ok;
}
