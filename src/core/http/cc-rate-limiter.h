/* cc-rate-limiter.h — a service's API allowance: calls per second and
 * calls per UTC day, shared by everything that calls it.
 *
 * Adobe Campaign Standard does not throttle: the customer's contract sets
 * a most engine calls per second and a daily allowance, and keeping under
 * them is the client's job (campaign-api.md §5). One CcRateLimiter per
 * Campaign connection is shared by every workflow, reader and writer, on
 * any thread:
 *
 *  - per second: the calls are paced, cap of them per
 *    CC_RATE_LIMITER_WINDOW_US, so no 1-second span ever holds more than
 *    the cap. The window is 7 % longer than a second so that the
 *    network's jitter (a new connection's handshake, a busy server)
 *    cannot squeeze more than the cap into one second where the calls
 *    arrive; while there is work, the calls go at 93 % of the cap;
 *  - per day: at most daily-budget calls from midnight to midnight UTC.
 *    The day's count is kept in the state database (a restart does not
 *    start the day afresh). It is written ahead of the calls, a block of
 *    calls at a time: a crash can count a few calls that were never made,
 *    never miss one that was, so the budget is never exceeded.
 *
 * 0 means no cap (no budget). Both limits can change at any time.
 *
 * Callers that block use cc_rate_limiter_acquire(); code that keeps many
 * asynchronous requests in flight asks cc_rate_limiter_try_acquire() and,
 * when no call may go now, schedules itself for the time it answers
 * instead of sleeping.
 */
#pragma once

#include <gio/gio.h>

#include "cc-clock.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* The span that holds max-per-second calls at the most: 1 s, and 70 ms
 * for the network's jitter. */
#define CC_RATE_LIMITER_WINDOW_US (G_USEC_PER_SEC + 70 * 1000)

/* What holds a call back. */
typedef enum
{
  CC_RATE_HOLD_NONE,
  CC_RATE_HOLD_RATE,     /* the per-second cap: a fraction of a second */
  CC_RATE_HOLD_BUDGET,   /* today's budget is used up: until midnight UTC */
} CcRateHold;

typedef struct
{
  guint    max_per_second;   /* 0 = no cap */
  guint64  daily_budget;     /* 0 = none */
  guint64  calls_today;      /* granted since midnight UTC */
  gboolean used_up;          /* the budget holds every call back */
  gint64   renews_at;        /* unix µs of the next midnight UTC */
} CcRateLimiterState;

#define CC_TYPE_RATE_LIMITER (cc_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (CcRateLimiter, cc_rate_limiter, CC, RATE_LIMITER, GObject)

/* @service names the count in the state database at @state_path (NULL:
 * the count lives in memory only). Reads today's count; NULL with @error
 * when the database cannot be opened. */
CcRateLimiter *cc_rate_limiter_new         (const char          *service,
                                            const char          *state_path,
                                            GError             **error);
void           cc_rate_limiter_set_limits  (CcRateLimiter       *self,
                                            guint                max_per_second,
                                            guint64              daily_budget);
/* For tests: the clock the limiter reads (NULL = the system's). It must
 * outlive the limiter. */
void           cc_rate_limiter_set_clock   (CcRateLimiter       *self,
                                            const CcClock       *clock);

/* Takes a call's slot now and returns TRUE, or returns FALSE and says
 * what holds it back and when (@clock's monotonic µs) a slot is free.
 * Limits may change and days end meanwhile: a caller held back by the
 * budget asks again at least once a minute. Thread-safe; never blocks
 * for long (it writes the day's count now and then). */
gboolean       cc_rate_limiter_try_acquire (CcRateLimiter       *self,
                                            gint64              *ready_at,
                                            CcRateHold          *hold);
/* Waits until a call's slot is taken. While the budget holds it back,
 * @tag (e.g. a workflow's id) counts as waiting
 * (cc_rate_limiter_is_waiting). With @wait_for_budget FALSE (someone
 * waits for the answer: a connection test) a used-up budget fails at once
 * with CC_ERROR_TRANSIENT saying when it renews. FALSE with
 * G_IO_ERROR_CANCELLED when @cancellable is cancelled first. */
gboolean       cc_rate_limiter_acquire     (CcRateLimiter       *self,
                                            const char          *tag,
                                            gboolean             wait_for_budget,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* As cc_rate_limiter_acquire(), without blocking the calling thread:
 * when no call may go now, a timeout on the thread-default main context
 * asks again when the limiter says a slot is free. For code that keeps
 * many asynchronous requests in flight on one thread. */
void           cc_rate_limiter_acquire_async  (CcRateLimiter       *self,
                                               const char          *tag,
                                               gboolean             wait_for_budget,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       cc_rate_limiter_acquire_finish (CcRateLimiter       *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Whether a caller tagged @tag waits for the daily budget now. */
gboolean       cc_rate_limiter_is_waiting  (CcRateLimiter       *self,
                                            const char          *tag);
void           cc_rate_limiter_get_state   (CcRateLimiter       *self,
                                            CcRateLimiterState  *state);
/* Writes today's exact count (at a clean shutdown: no calls counted ahead
 * are left over). */
gboolean       cc_rate_limiter_flush       (CcRateLimiter       *self,
                                            GError             **error);

G_END_DECLS
