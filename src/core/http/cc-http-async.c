/* cc-http-async.c — cc_http_send_async(): the rules of cc_http_send()
 * without blocking the thread.
 *
 * A writer that keeps many requests in flight runs them all on its own
 * thread's main context: each request here is a chain of callbacks — take
 * the API allowance's slot (cc_rate_limiter_acquire_async when it is not
 * free at once), send, read what has come of the answer without blocking
 * (up to CC_JSON_MAX_ANSWER) and wait on a poll source for the rest,
 * close it without blocking, judge it — and the waits between tries are
 * timeouts on that context, never sleeps. What a try comes to is decided
 * by the same functions as the blocking loop's (cc-http.c), so both
 * follow cc-http.h to the letter.
 *
 * Fetching a token is the one step that blocks: it happens once an hour
 * or after a 401, and holds the thread's other requests for one round
 * trip to the identity provider.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-http-private.h"
#include "cc-json-parse.h"
#include "cc-rate-limiter.h"
#include "cc-throttle.h"

typedef struct
{
  CcHttpSend    send;
  SoupMessage  *message;       /* of the try under way */
  GInputStream *stream;
  GByteArray   *buffer;
  GBytes       *body;
} AsyncSend;

static void
async_send_free (AsyncSend *data)
{
  cc_http_send_clear (&data->send);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data);
}

static void start_try (GTask *task);

/* Ends the task (and drops the reference the chain holds) with @error. */
static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
on_retry_due (gpointer user_data)
{
  start_try (user_data);
  return G_SOURCE_REMOVE;
}

/* A cancellable source needs a callback; the timeout it wakes does the work. */
static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  return G_SOURCE_REMOVE;
}

/* Waits @delay_ms on the task's context, or less when it is cancelled. */
static void
retry_after (GTask *task,
             guint  delay_ms)
{
  g_autoptr(GSource) timeout = g_timeout_source_new (delay_ms);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_source_set_static_name (timeout, "[cc] http retry");
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancelled, G_SOURCE_FUNC (on_cancelled), NULL, NULL);
      g_source_add_child_source (timeout, cancelled);
    }
  g_source_set_callback (timeout, on_retry_due, task, NULL);
  g_source_attach (timeout, g_task_get_context (task));
}

/* What the try came to: the answer, an error, or another try. */
static void
conclude (GTask     *task,
          CcHttpTry  verdict)
{
  AsyncSend *data = g_task_get_task_data (task);
  CcHttpResponse *response = NULL;
  GError *error = NULL;
  guint delay;

  if (verdict != CC_HTTP_TRY_FAILED)
    verdict = cc_http_send_conclude (&data->send, data->message, verdict, data->body,
                                     &response, &error);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_bytes_unref);
  switch (verdict)
    {
    case CC_HTTP_TRY_DONE:
      g_task_return_pointer (task, response, (GDestroyNotify) cc_http_response_free);
      g_object_unref (task);
      return;
    case CC_HTTP_TRY_RENEW:
      data->send.attempt++;
      start_try (task);
      return;
    case CC_HTTP_TRY_AGAIN:
      if (!cc_http_send_next_try (&data->send, &delay, &error))
        fail (task, error);
      else
        retry_after (task, delay);
      return;
    case CC_HTTP_TRY_FAILED:
    default:
      fail (task, error);
      return;
    }
}

/* A transport error ends the try: @local_error is judged. */
static void
conclude_error (GTask  *task,
                GError *local_error)
{
  AsyncSend *data = g_task_get_task_data (task);
  GError *error = NULL;
  CcHttpTry verdict;

  verdict = cc_http_send_judge_error (&data->send, local_error,
                                      g_task_get_cancellable (task), &error);
  g_error_free (local_error);
  if (verdict == CC_HTTP_TRY_FAILED)
    {
      g_clear_object (&data->message);
      fail (task, error);
      return;
    }
  conclude (task, verdict);
}

static void read_available (GTask *task);

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  AsyncSend *data = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  data->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
  conclude (task, CC_HTTP_TRY_DONE);
}

static gboolean
on_readable (GObject  *stream,
             gpointer  user_data)
{
  read_available (user_data);
  return G_SOURCE_REMOVE;
}

/* Waits on the task's context until the answer's stream has more. */
static void
wait_readable (GTask *task)
{
  AsyncSend *data = g_task_get_task_data (task);
  g_autoptr(GSource) source = NULL;

  source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (data->stream),
                                                  g_task_get_cancellable (task));
  g_source_set_static_name (source, "[cc] http answer");
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable), task, NULL);
  g_source_attach (source, g_task_get_context (task));
}

/* Reads what has come of the answer without blocking, and waits for the
 * rest: a poll source, not a GTask for every read. */
static void
read_available (GTask *task)
{
  AsyncSend *data = g_task_get_task_data (task);
  GError *error = NULL;

  for (;;)
    {
      GError *local_error = NULL;
      guint filled = data->buffer->len;
      gsize want = cc_http_read_size (data->message, data->buffer);
      gssize n;

      g_byte_array_set_size (data->buffer, filled + want);
      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (data->stream),
                                                    data->buffer->data + filled, want,
                                                    g_task_get_cancellable (task),
                                                    &local_error);
      g_byte_array_set_size (data->buffer, filled + MAX (n, 0));
      if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_error_free (local_error);
          wait_readable (task);
          return;
        }
      if (n < 0)
        {
          conclude_error (task, local_error);
          return;
        }
      if (data->buffer->len > CC_JSON_MAX_ANSWER)
        {
          cc_http_send_refuse_size (&data->send, data->buffer->len, &error);
          fail (task, error);
          return;
        }
      if (n == 0)
        break;
    }
  /* Read to the end: the connection can serve the next request. Closed
   * without blocking all the same: when the server misbehaves (an answer
   * cut short, a connection dropped) libsoup's close still waits for the
   * message's I/O, and a blocking close would stop every write of the
   * thread meanwhile. */
  g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, on_closed, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  AsyncSend *data = g_task_get_task_data (task);
  GError *local_error = NULL;
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &local_error);
  if (data->stream == NULL)
    {
      conclude_error (task, local_error);
      return;
    }
  if (cc_http_send_check_length (&data->send, data->message, &error) == CC_HTTP_TRY_FAILED)
    {
      fail (task, error);
      return;
    }
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  data->buffer = g_byte_array_new ();
  read_available (task);
}

static void
go_out (GTask *task)
{
  AsyncSend *data = g_task_get_task_data (task);

  cc_http_send_went_out (&data->send, data->message);
  soup_session_send_async (cc_http_get_session (data->send.self, data->send.request),
                           data->message, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                           on_sent, task);
}

static void
on_slot (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!cc_rate_limiter_acquire_finish (CC_RATE_LIMITER (source), result, &error))
    fail (task, error);
  else
    go_out (task);
}

static void
start_try (GTask *task)
{
  AsyncSend *data = g_task_get_task_data (task);
  CcHttpRequest *request = data->send.request;
  GError *error = NULL;
  guint held;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  /* The user's back-off: asked again when it has passed (it may have
   * been extended meanwhile). */
  if (request->throttle != NULL && (held = cc_throttle_get_wait_ms (request->throttle)) > 0)
    {
      retry_after (task, held);
      return;
    }
  data->message = cc_http_send_prepare (&data->send, g_task_get_cancellable (task), &error);
  if (data->message == NULL)
    {
      fail (task, error);
      return;
    }
  /* A slot free now is taken at once; only a call held back waits. */
  if (request->limiter == NULL || cc_rate_limiter_try_acquire (request->limiter, NULL, NULL))
    go_out (task);
  else
    cc_rate_limiter_acquire_async (request->limiter, request->limiter_tag,
                                   request->wait_for_budget, g_task_get_cancellable (task),
                                   on_slot, task);
}

void
cc_http_send_async (CcHttp              *self,
                    CcHttpRequest       *request,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  AsyncSend *data;

  g_return_if_fail (CC_IS_HTTP (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_http_send_async);
  data = g_new0 (AsyncSend, 1);
  cc_http_send_init (&data->send, self, request);
  g_task_set_task_data (task, data, (GDestroyNotify) async_send_free);
  start_try (task);
}

CcHttpResponse *
cc_http_send_finish (CcHttp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
