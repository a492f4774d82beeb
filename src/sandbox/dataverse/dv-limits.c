/* dv-limits.c — service protection (notes §9, Microsoft's "Service
 * protection API limits"): per application user (dv-users.c), over a
 * sliding window,
 *   - the number of requests (6000 per 300 s): a $batch is one request,
 *     as documented ("a batch … will avoid the number of requests
 *     limit");
 *   - the combined execution time (1,200,000 ms per 300 s), which is what
 *     counters batching: a batch's execution time is that of every
 *     operation in it;
 *   - the number of concurrent requests (52), refused at once.
 * The first two only bite once exceeded; then every request is refused
 * until the Retry-After has passed, and "if the application continues to
 * send such demanding requests, the duration will be extended": each
 * request that comes back early doubles what is left of the wait (INFER:
 * the factor and the cap are not documented). Coming back early means
 * sent after the client was told to wait: on a connection that has
 * carried a 429 of this block already (HTTP/1.1 sends a connection's
 * next request after its answer). A request that was on its way on
 * another connection when the block began is refused with what is left,
 * and extends nothing: Microsoft advises clients to send in parallel (up
 * to the concurrent-request limit), and such a client cannot call back
 * what it had sent (INFER as well).
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* The longest wait a client that keeps sending can reach. */
#define MAX_RETRY_AFTER_S 3600

struct _DvLimits
{
  guint    window_s;
  guint64 *counts;       /* accepted requests per second, a ring of window_s slots */
  gint64  *exec_us;      /* their execution time */
  gint64  *stamps;       /* the second each slot counts */
  gint64   blocked_until_us;   /* monotonic; 0 = not blocked */
  guint    block;        /* the current block's id, unique in the process */
  char    *code;         /* the limit that blocked: its error code ... */
  char    *message;      /* ... and message */
};

DvLimits *
dv_limits_new (guint window_s)
{
  DvLimits *limits = g_new0 (DvLimits, 1);

  limits->window_s = window_s;
  limits->counts = g_new0 (guint64, window_s);
  limits->exec_us = g_new0 (gint64, window_s);
  limits->stamps = g_new0 (gint64, window_s);
  return limits;
}

void
dv_limits_free (DvLimits *limits)
{
  if (limits == NULL)
    return;
  g_free (limits->counts);
  g_free (limits->exec_us);
  g_free (limits->stamps);
  g_free (limits->code);
  g_free (limits->message);
  g_free (limits);
}

/* The slot of second @now_s, emptied when it last counted another second. */
static guint
slot_for (DvLimits *limits,
          gint64    now_s)
{
  guint slot = (guint) (now_s % limits->window_s);

  if (limits->stamps[slot] != now_s)
    {
      limits->stamps[slot] = now_s;
      limits->counts[slot] = 0;
      limits->exec_us[slot] = 0;
    }
  return slot;
}

typedef struct
{
  guint64 requests;
  gint64  exec_us;
  gint64  oldest_s;      /* the oldest second that still counts */
} WindowTotals;

/* A sliding window at one-second resolution, in constant memory however
 * many requests a benchmark sends. */
static void
window_totals (DvLimits     *limits,
               gint64        now_s,
               WindowTotals *totals)
{
  totals->requests = 0;
  totals->exec_us = 0;
  totals->oldest_s = now_s;
  for (guint i = 0; i < limits->window_s; i++)
    if (limits->stamps[i] > now_s - limits->window_s && (limits->counts[i] > 0 || limits->exec_us[i] > 0))
      {
        totals->requests += limits->counts[i];
        totals->exec_us += limits->exec_us[i];
        totals->oldest_s = MIN (totals->oldest_s, limits->stamps[i]);
      }
}

static void
refuse (DvResponse *resp,
        gint64      retry_s,
        const char *code,
        const char *message)
{
  g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, retry_s);

  soup_message_headers_replace (resp->headers, "Retry-After", retry);
  dv_response_error (resp, 429, code, "%s", message);
}

#define TOLD_KEY "cc-dv-limits-told"

/* Whether @msg's connection carried a 429 of the current block. */
static gboolean
was_told (DvLimits          *limits,
          SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), TOLD_KEY))
                           == limits->block;
}

static void
tell (DvLimits          *limits,
      SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), TOLD_KEY, GUINT_TO_POINTER (limits->block));
}

/* Blocks the client for @retry_s seconds, answering the limit it hit. */
static void
block (DvLimits   *limits,
       gint64      now_us,
       gint64      retry_s,
       const char *code,
       const char *message,
       DvResponse *resp)
{
  retry_s = CLAMP (retry_s, 1, MAX_RETRY_AFTER_S);
  limits->blocked_until_us = now_us + retry_s * G_USEC_PER_SEC;
  if (code != limits->code)
    {
      g_free (limits->code);
      g_free (limits->message);
      limits->code = g_strdup (code);
      limits->message = g_strdup (message);
    }
  refuse (resp, retry_s, code, message);
}

/* "1,200,000": the documented message groups thousands. */
static char *
grouped (guint value)
{
  g_autofree char *digits = g_strdup_printf ("%u", value);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* A new block of @retry_s seconds: its own id, and @msg's connection
 * has been told. */
static void
block_anew (DvLimits          *limits,
            SoupServerMessage *msg,
            gint64             now_us,
            gint64             retry_s,
            const char        *code,
            const char        *message,
            DvResponse        *resp)
{
  static guint blocks;

  limits->block = ++blocks;
  block (limits, now_us, retry_s, code, message, resp);
  tell (limits, msg);
}

gboolean
dv_limits_admit (DvServer          *self,
                 DvUser            *user,
                 SoupServerMessage *msg,
                 DvResponse        *resp)
{
  DvLimits *limits = user->limits;
  const CcSandboxOptions *options = &self->options;
  gint64 now_us = g_get_monotonic_time ();
  gint64 now_s = now_us / G_USEC_PER_SEC;
  WindowTotals totals;
  guint slot;

  if (user->in_flight > options->max_concurrent)
    {
      g_autofree char *message = g_strdup_printf ("Number of concurrent requests exceeded the limit of %u.",
                                                  options->max_concurrent);

      /* This limit is immediate and needs no recovery time. */
      refuse (resp, 1, "0x80072326", message);
      return FALSE;
    }

  if (now_us < limits->blocked_until_us)
    {
      gint64 left_s = (limits->blocked_until_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      /* Back before its Retry-After: the wait grows. */
      if (was_told (limits, msg))
        block (limits, now_us, 2 * left_s, limits->code, limits->message, resp);
      else
        refuse (resp, left_s, limits->code, limits->message);
      tell (limits, msg);
      return FALSE;
    }

  slot = slot_for (limits, now_s);
  window_totals (limits, now_s, &totals);
  if (totals.requests >= options->max_requests)
    {
      g_autofree char *message = g_strdup_printf ("Number of requests exceeded the limit of %u over time "
                                                  "window of %u seconds.", options->max_requests,
                                                  options->window_s);

      block_anew (limits, msg, now_us, totals.oldest_s + limits->window_s - now_s, "0x80072322",
                  message, resp);
      return FALSE;
    }
  if (totals.exec_us > (gint64) options->max_execution_ms * 1000)
    {
      g_autofree char *limit = grouped (options->max_execution_ms);
      g_autofree char *message = g_strdup_printf ("Combined execution time of incoming requests exceeded "
                                                  "limit of %s milliseconds over time window of %u seconds. "
                                                  "Decrease number of concurrent requests or reduce the "
                                                  "duration of requests and try again later.",
                                                  limit, options->window_s);

      block_anew (limits, msg, now_us, totals.oldest_s + limits->window_s - now_s, "0x80072321",
                  message, resp);
      return FALSE;
    }

  limits->counts[slot]++;
  return TRUE;
}

void
dv_limits_record (DvUser *user,
                  gint64  exec_us)
{
  DvLimits *limits = user->limits;
  guint slot = slot_for (limits, g_get_monotonic_time () / G_USEC_PER_SEC);

  limits->exec_us[slot] += exec_us;
}
