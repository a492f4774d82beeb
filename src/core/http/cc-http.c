/* cc-http.c — CcHttp: one SoupSession and the retry and auth policy.
 *
 * The rules live in cc-http.h. The waits between attempts poll the
 * GCancellable's file descriptor, so Stop interrupts a long Retry-After at
 * once instead of after it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-http-private.h"
#include "cc-json-parse.h"
#include "cc-rate-limiter.h"
#include "cc-throttle.h"
#include "cc-url.h"
#include "cc-token-source.h"

struct _CcHttp
{
  GObject        parent_instance;

  SoupSession   *session;
  SoupSession   *sign_in_session;  /* the requests that carry a secret */
  CcHttpOptions  options;
  CcHttpStats    stats;
};

G_DEFINE_FINAL_TYPE (CcHttp, cc_http, G_TYPE_OBJECT)

/* RFC 6585; libsoup has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

void
cc_http_options_init (CcHttpOptions *options,
                      CcHttpService  service)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->service = service;
  options->timeout_s = 60;
  options->idle_timeout_s = 60;
  options->max_conns_per_host = 8;
  /* 200 ms doubling to a 30 s cap: eleven waits of on average three
   * quarters of that come to about two minutes before giving up. */
  options->max_attempts = 12;
  options->backoff_base_ms = 200;
  options->backoff_cap_ms = 30000;
  options->retry_after_cap_s = 600;
}

static void
cc_http_finalize (GObject *object)
{
  CcHttp *self = CC_HTTP (object);

  g_clear_object (&self->session);
  g_clear_object (&self->sign_in_session);

  G_OBJECT_CLASS (cc_http_parent_class)->finalize (object);
}

static void
cc_http_class_init (CcHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_http_finalize;
}

static void
cc_http_init (CcHttp *self)
{
}

static SoupSession *
new_session (const CcHttpOptions *options,
             guint                max_conns_per_host)
{
  SoupSession *session = soup_session_new_with_options (
      "timeout", options->timeout_s,
      "idle-timeout", options->idle_timeout_s,
      "max-conns-per-host", (int) max_conns_per_host,
      "max-conns", (int) MAX (10, 2 * max_conns_per_host),
      "user-agent", "CampaignConnector/" PACKAGE_VERSION,
      NULL);

  /* Both services take a bearer token that cc_http_send() sets and renews
   * itself; libsoup's authentication manager (Basic, Digest, NTLM) would
   * only hook every message for nothing. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  return session;
}

CcHttp *
cc_http_new (const CcHttpOptions *options)
{
  CcHttp *self;
  CcHttpOptions defaults;

  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (CC_TYPE_HTTP, NULL);
  cc_http_options_init (&defaults, options->service);
  self->options = *options;
#define DEFAULT_IF_ZERO(field) if (self->options.field == 0) self->options.field = defaults.field
  DEFAULT_IF_ZERO (timeout_s);
  DEFAULT_IF_ZERO (idle_timeout_s);
  DEFAULT_IF_ZERO (max_conns_per_host);
  DEFAULT_IF_ZERO (max_attempts);
  DEFAULT_IF_ZERO (backoff_base_ms);
  DEFAULT_IF_ZERO (backoff_cap_ms);
  DEFAULT_IF_ZERO (retry_after_cap_s);
#undef DEFAULT_IF_ZERO

  self->session = new_session (&self->options, self->options.max_conns_per_host);
  /* One sign-in at a time per thread: its connection is never one the
   * API's requests in flight hold (cc-http.h). */
  self->sign_in_session = new_session (&self->options, 1);
  return self;
}

CcHttpService
cc_http_get_service (CcHttp *self)
{
  g_return_val_if_fail (CC_IS_HTTP (self), CC_HTTP_SERVICE_DYNAMICS);
  return self->options.service;
}

void
cc_http_set_retry_policy (CcHttp *self,
                          guint   max_attempts,
                          guint   backoff_base_ms,
                          guint   backoff_cap_ms)
{
  g_return_if_fail (CC_IS_HTTP (self));

  self->options.max_attempts = MAX (1, max_attempts);
  self->options.backoff_base_ms = MAX (1, backoff_base_ms);
  self->options.backoff_cap_ms = MAX (self->options.backoff_base_ms, backoff_cap_ms);
}

void
cc_http_get_stats (CcHttp      *self,
                   CcHttpStats *stats)
{
  g_return_if_fail (CC_IS_HTTP (self));
  g_return_if_fail (stats != NULL);

  *stats = self->stats;
}

GMainContext *
cc_http_thread_context_push (void)
{
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  return context;
}

void
cc_http_thread_context_pop (GMainContext *context)
{
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

#define THREAD_FUNC_KEY "cc-http-thread-func"

static void
run_in_thread_context (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GTaskThreadFunc func = (GTaskThreadFunc) g_object_get_data (G_OBJECT (task), THREAD_FUNC_KEY);
  GMainContext *context = cc_http_thread_context_push ();

  /* What @func made (its sessions) is freed when it returns, inside. */
  func (task, source_object, task_data, cancellable);
  cc_http_thread_context_pop (context);
}

void
cc_http_task_run_in_thread (GTask           *task,
                            GTaskThreadFunc  func)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  g_object_set_data (G_OBJECT (task), THREAD_FUNC_KEY, (gpointer) func);
  g_task_run_in_thread (task, run_in_thread_context);
}

gboolean
cc_http_wait (guint          ms,
              GCancellable  *cancellable,
              GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  GPollFD pfd;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (cancellable == NULL)
    {
      /* Nobody can interrupt this wait, so a plain sleep is the same. */
      g_usleep ((gulong) ms * 1000);
      return TRUE;
    }

  if (!g_cancellable_make_pollfd (cancellable, &pfd))
    {
      /* No fd to wait on (out of descriptors): fall back to short naps
       * so cancellation is still seen within 50 ms. */
      while (g_get_monotonic_time () < deadline)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          g_usleep (MIN (50000, deadline - g_get_monotonic_time ()));
        }
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 remaining_ms;

      if (g_cancellable_is_cancelled (cancellable) || now >= deadline)
        break;
      remaining_ms = (deadline - now + 999) / 1000;
      if (g_poll (&pfd, 1, (int) MIN (remaining_ms, G_MAXINT)) < 0 && errno != EINTR)
        break;
    }
  g_cancellable_release_fd (cancellable);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Transport failures worth another try: the far end went away, did not
 * answer in time, or could not be reached for now. Certificate and
 * protocol errors are not among them. */
static gboolean
is_transient_transport_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
          return FALSE;
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_BROKEN_PIPE:  /* = G_IO_ERROR_CONNECTION_CLOSED */
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_BUSY:
        case G_IO_ERROR_WOULD_BLOCK:
        case G_IO_ERROR_NOT_CONNECTED:
          return TRUE;
        default:
          return FALSE;
        }
    }
  if (error->domain == G_RESOLVER_ERROR)
    /* Offline laptops fail name resolution; treat it like no route. */
    return error->code != G_RESOLVER_ERROR_INTERNAL;
  if (error->domain == SOUP_SESSION_ERROR)
    /* A truncated or garbled answer from a dying server. */
    return error->code == SOUP_SESSION_ERROR_PARSING
      || error->code == SOUP_SESSION_ERROR_ENCODING
      || error->code == SOUP_SESSION_ERROR_MESSAGE_ALREADY_IN_QUEUE;
  return FALSE;
}

/* Seconds from a Retry-After header: delta-seconds or an HTTP date.
 * Returns -1 when absent or unreadable. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      while (end && g_ascii_isspace (*end))
        end++;
      if (end != NULL && *end == '\0')
        return (gint64) MIN (seconds, G_MAXINT32);
      return -1;
    }

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  /* Rounded up: "after this date", not up to a second before it. */
  return MAX (0, (g_date_time_difference (when, now) + G_TIME_SPAN_SECOND - 1)
                 / G_TIME_SPAN_SECOND);
}

/* Capped exponential backoff with "equal jitter": half the step is
 * fixed, half random, so parallel workers spread out but never retry
 * immediately. */
static guint
backoff_ms (CcHttp *self,
            guint   retry)
{
  guint64 step = self->options.backoff_base_ms;
  guint half;

  for (guint i = 0; i < retry && step < self->options.backoff_cap_ms; i++)
    step *= 2;
  step = MIN (step, self->options.backoff_cap_ms);
  half = (guint) (step / 2);
  return half + (half > 0 ? (guint) g_random_int_range (0, (gint32) half + 1) : 0);
}

static SoupMessage *
build_message (CcHttpRequest  *request,
               const char     *token,
               GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  SoupMessage *message;

  uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_autofree char *path = cc_http_url_get_path (request->url);

      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("“%s” is not a valid web address"), path);
      return NULL;
    }

  message = soup_message_new_from_uri (request->method, uri);
  /* A redirect would take the secret (a 307 keeps the body) or the token
   * wherever the server points; the services never redirect these. */
  if (token != NULL || request->carries_secret)
    soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup opens a fresh connection for every request it does not know to
   * be idempotent; with this flag it reuses kept-alive ones for writes too:
   * one handshake per worker, not per record. The flag never makes libsoup
   * resend anything (it resends only GET, HEAD, PUT and DELETE, by their
   * method); whether a request may go out again is cc_http_send's call. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (message, request->content_type, request->body);
  return message;
}

static void
set_last_problem (CcHttpSend *send,
                  char       *problem)
{
  g_free (send->last_problem);
  send->last_problem = problem;
}

void
cc_http_send_init (CcHttpSend    *send,
                   CcHttp        *self,
                   CcHttpRequest *request)
{
  memset (send, 0, sizeof *send);
  send->self = self;
  send->request = request;
  send->service_name = cc_http_service_get_name (self->options.service);
  send->path = cc_http_url_get_path (request->url);
  send->retry_after = -1;
  send->attempt = 1;
}

void
cc_http_send_clear (CcHttpSend *send)
{
  g_clear_pointer (&send->path, g_free);
  g_clear_pointer (&send->last_problem, g_free);
}

SoupSession *
cc_http_get_session (CcHttp        *self,
                     CcHttpRequest *request)
{
  return request->carries_secret ? self->sign_in_session : self->session;
}

/* No answer came: cancelled, a failure that another try would not mend,
 * or a transient one. */
CcHttpTry
cc_http_send_judge_error (CcHttpSend    *send,
                          const GError  *local_error,
                          GCancellable  *cancellable,
                          GError       **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      return CC_HTTP_TRY_FAILED;
    }
  if (!is_transient_transport_error (local_error))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("%s could not be reached for %s %s: %s"),
                   send->service_name, send->request->method, send->path, local_error->message);
      return CC_HTTP_TRY_FAILED;
    }
  set_last_problem (send, g_strdup (local_error->message));
  return CC_HTTP_TRY_AGAIN;
}

/* 401 on a signed request: the token may have expired early or been
 * revoked, so one fresh token, one more try; a second 401 is an answer. */
static CcHttpTry
judge_unauthorized (CcHttpSend      *send,
                    CcHttpResponse  *response,
                    GError         **error)
{
  g_autofree char *words = NULL;

  if (!send->renewed_token)
    {
      CcTokenSource *tokens = send->request->token_source;

      send->renewed_token = TRUE;
      send->self->stats.auth_renewals++;
      /* Only the token this try was signed with: when another request's
       * 401 has renewed it since, the fresh one is kept. Otherwise every
       * request in flight on the thread would each fetch a token of its
       * own, one blocking round trip after the other. */
      if (cc_token_source_get_fetch_count (tokens) == send->token_fetch)
        cc_token_source_invalidate (tokens);
      g_debug ("%s: 401 on %s %s, renewing the token", send->service_name,
               send->request->method, send->path);
      return CC_HTTP_TRY_RENEW;
    }
  words = cc_http_response_dup_server_message (response);
  g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED,
               send->self->options.service == CC_HTTP_SERVICE_DYNAMICS
               ? _("%s refused a fresh access token for %s %s (%s). Check that the app registration has an application user with a security role in the environment.")
               : _("%s refused a fresh access token for %s %s (%s). Check the API key and that the integration has access to the organization."),
               send->service_name, send->request->method, send->path,
               words ? words : _("401 Unauthorized"));
  return CC_HTTP_TRY_FAILED;
}

/* A 2xx answer to a request that expects JSON: final when its body is
 * JSON (or there is none); a failure when it is out of the bounds of
 * cc-json-parse.h, which the same request would only bring again;
 * transient when it is broken (cut short, say). */
static CcHttpTry
judge_json_body (CcHttpSend      *send,
                 CcHttpResponse  *response,
                 GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) bounds_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *member = NULL;
  gsize len;
  const char *data = g_bytes_get_data (response->body, &len);

  if (!send->request->expect_json || !SOUP_STATUS_IS_SUCCESSFUL (response->status)
      || response->status == SOUP_STATUS_NO_CONTENT || len == 0)
    return CC_HTTP_TRY_DONE;
  /* Sound as far as the one member the caller reads goes: no tree. */
  if (send->request->json_member != NULL
      && cc_http_response_scan_member (response, send->request->json_member, &member))
    return CC_HTTP_TRY_DONE;
  if (send->request->body_scan != NULL
      && cc_http_response_scan_body (response, send->request->body_scan,
                                     send->request->body_scan_free))
    return CC_HTTP_TRY_DONE;
  node = cc_http_response_get_json (response, &local_error);
  if (node != NULL)
    return CC_HTTP_TRY_DONE;
  if (!cc_json_check_bounds (data, len, CC_JSON_MAX_ANSWER, &bounds_error)
      && cc_json_error_is_bounds (bounds_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return CC_HTTP_TRY_FAILED;
    }
  return CC_HTTP_TRY_AGAIN;
}

/* An answer came: final, or transient by the rules of cc-http.h (or the
 * request's classifier). */
static CcHttpTry
judge_answer (CcHttpSend      *send,
              CcHttpResponse  *response,
              GError         **error)
{
  CcHttpRequest *request = send->request;
  CcHttpVerdict verdict = CC_HTTP_VERDICT_DEFAULT;

  if (request->classify != NULL)
    verdict = request->classify (response, request->classify_data);
  if (verdict == CC_HTTP_VERDICT_FINAL)
    return CC_HTTP_TRY_DONE;
  if (verdict == CC_HTTP_VERDICT_DEFAULT
      && response->status < 500 && response->status != STATUS_TOO_MANY_REQUESTS)
    {
      CcHttpTry json = judge_json_body (send, response, error);

      if (json != CC_HTTP_TRY_AGAIN)
        return json;
    }

  if (response->status == STATUS_TOO_MANY_REQUESTS)
    send->self->stats.throttled++;
  if (response->status == STATUS_TOO_MANY_REQUESTS
      || response->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    send->retry_after = parse_retry_after (response->headers);
  /* A 429 is about the user the request was sent as: all of its
   * requests wait (a 503 is the service's, and each request backs off). */
  if (response->status == STATUS_TOO_MANY_REQUESTS && send->retry_after >= 0
      && request->throttle != NULL)
    cc_throttle_hold (request->throttle,
                      (guint) MIN (send->retry_after,
                                   (gint64) send->self->options.retry_after_cap_s) * 1000);

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    set_last_problem (send, g_strdup_printf (_("%u %s with a body that is not valid JSON"),
                                             response->status, response->reason));
  else
    {
      g_autofree char *words = cc_http_response_dup_server_message (response);

      set_last_problem (send, g_strdup_printf ("%u %s%s%s", response->status, response->reason,
                                               words ? ": " : "", words ? words : ""));
    }
  return CC_HTTP_TRY_AGAIN;
}

static void
on_wrote_body (SoupMessage *message,
               gpointer     data)
{
  *(gboolean *) data = TRUE;
}

/* Whether the service may have carried out a request that is to be tried
 * again: it went out whole (@delivered) and no answer came, or the answer
 * (@answer) is not one the services give before doing anything (429, 503). */
static gboolean
may_have_been_done (gboolean        delivered,
                    CcHttpResponse *answer)
{
  if (answer == NULL)
    return delivered;
  return answer->status != STATUS_TOO_MANY_REQUESTS
         && answer->status != SOUP_STATUS_SERVICE_UNAVAILABLE;
}

/* A request that is not repeatable may have been carried out, and its
 * answer is lost: it is not sent again. */
static CcHttpTry
outcome_unknown (CcHttpSend  *send,
                 GError     **error)
{
  g_set_error (error, CC_ERROR, CC_ERROR_TRANSIENT,
               _("%s may have carried out %s %s, but its answer was lost (%s); it is not sent "
                 "again before its outcome is looked up"),
               send->service_name, send->request->method, send->path, send->last_problem);
  return CC_HTTP_TRY_FAILED;
}

/* A secret or a token goes over https://, or plain http:// to this
 * computer only, whatever the configuration (or a server's next link)
 * says: checked where requests go out, before anything does. */
static gboolean
credentials_may_go (CcHttpSend  *send,
                    GError     **error)
{
  CcHttpRequest *request = send->request;
  g_autoptr(GUri) uri = NULL;

  if (request->token_source == NULL && !request->carries_secret)
    return TRUE;
  uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || cc_url_may_carry_credentials (uri))
    return TRUE;   /* build_message () refuses what does not parse */
  g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
               request->carries_secret
               ? _("%s %s was not sent: it carries the client secret, which goes to %s over "
                   "https:// only (plain http:// to this computer only). Check the connection "
                   "settings.")
               : _("%s %s was not sent: it carries the access token, which goes to %s over "
                   "https:// only (plain http:// to this computer only). Check the connection "
                   "settings."),
               request->method, send->path, g_uri_get_host (uri));
  return FALSE;
}

/* An answer larger than any the services give: refused, not read on. */
CcHttpTry
cc_http_send_refuse_size (CcHttpSend  *send,
                          guint64      size,
                          GError     **error)
{
  g_autofree char *most = g_format_size (CC_JSON_MAX_ANSWER);
  g_autofree char *seen = g_format_size (size);

  /* Translators: "Dynamics 365 answered GET /api/data/v9.2/contacts with 70.0 MB or more, more than the 64.0 MB Campaign Connector reads from one answer" */
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
               _("%s answered %s %s with %s or more, more than the %s Campaign Connector reads "
                 "from one answer"),
               send->service_name, send->request->method, send->path, seen, most);
  return CC_HTTP_TRY_FAILED;
}

CcHttpTry
cc_http_send_check_length (CcHttpSend   *send,
                           SoupMessage  *message,
                           GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > CC_JSON_MAX_ANSWER)
    return cc_http_send_refuse_size (send, soup_message_headers_get_content_length (headers),
                                     error);
  return CC_HTTP_TRY_DONE;
}

gsize
cc_http_read_size (SoupMessage *message,
                   GByteArray  *buffer)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  goffset length;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      length = soup_message_headers_get_content_length (headers);
      return length > (goffset) buffer->len ? (gsize) (length - buffer->len) + 1 : 1;
    }
  return CLAMP (buffer->len, 4096, CC_HTTP_READ_CHUNK);
}

/* Sends @message and reads its answer's body into *@body, at most
 * CC_JSON_MAX_ANSWER bytes of it: however much a server sends, no more
 * is held in memory. */
static CcHttpTry
receive (CcHttpSend    *send,
         SoupMessage   *message,
         GCancellable  *cancellable,
         GBytes       **body,
         GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GError) local_error = NULL;

  stream = soup_session_send (cc_http_get_session (send->self, send->request), message,
                              cancellable, &local_error);
  if (stream == NULL)
    return cc_http_send_judge_error (send, local_error, cancellable, error);
  if (cc_http_send_check_length (send, message, error) == CC_HTTP_TRY_FAILED)
    return CC_HTTP_TRY_FAILED;

  buffer = g_byte_array_new ();
  for (;;)
    {
      guint filled = buffer->len;
      gsize want = cc_http_read_size (message, buffer);
      gssize n;

      g_byte_array_set_size (buffer, filled + want);
      n = g_input_stream_read (stream, buffer->data + filled, want, cancellable, &local_error);
      g_byte_array_set_size (buffer, filled + MAX (n, 0));
      if (n < 0)
        return cc_http_send_judge_error (send, local_error, cancellable, error);
      if (n == 0)
        break;
      if (buffer->len > CC_JSON_MAX_ANSWER)
        return cc_http_send_refuse_size (send, buffer->len, error);
    }
  /* Read to the end: the connection can serve the next request. */
  g_input_stream_close (stream, NULL, NULL);
  *body = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  return CC_HTTP_TRY_DONE;
}

SoupMessage *
cc_http_send_prepare (CcHttpSend    *send,
                      GCancellable  *cancellable,
                      GError       **error)
{
  CcHttpRequest *request = send->request;
  g_autofree char *token = NULL;

  send->retry_after = -1;
  send->delivered = FALSE;
  if (!credentials_may_go (send, error))
    return NULL;
  if (request->token_source != NULL)
    {
      token = cc_token_source_get_token (request->token_source, send->self, cancellable, error);
      if (token == NULL)
        return NULL;
      send->token_fetch = cc_token_source_get_fetch_count (request->token_source);
    }
  return build_message (request, token, error);
}

void
cc_http_send_went_out (CcHttpSend  *send,
                       SoupMessage *message)
{
  send->self->stats.requests++;
  /* Once the whole request is out, the service may act on it. */
  g_signal_connect (message, "wrote-body", G_CALLBACK (on_wrote_body), &send->delivered);
}

CcHttpTry
cc_http_send_conclude (CcHttpSend      *send,
                       SoupMessage     *message,
                       CcHttpTry        verdict,
                       GBytes          *body,
                       CcHttpResponse **response,
                       GError         **error)
{
  CcHttpRequest *request = send->request;
  g_autoptr(CcHttpResponse) answer = NULL;

  if (verdict == CC_HTTP_TRY_DONE)
    {
      answer = cc_http_response_new (request, send->self->options.service, message, body);
      if (answer->status == SOUP_STATUS_UNAUTHORIZED && request->token_source != NULL)
        return judge_unauthorized (send, answer, error);
      verdict = judge_answer (send, answer, error);
    }

  if (verdict == CC_HTTP_TRY_AGAIN && !request->repeatable
      && may_have_been_done (send->delivered, answer))
    return outcome_unknown (send, error);
  if (verdict == CC_HTTP_TRY_DONE)
    *response = g_steal_pointer (&answer);
  return verdict;
}

/* Puts @request on the wire once; *@response is the answer when it is
 * final. */
static CcHttpTry
try_once (CcHttpSend       *send,
          GCancellable     *cancellable,
          CcHttpResponse  **response,
          GError          **error)
{
  CcHttpRequest *request = send->request;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  CcHttpTry verdict;
  guint held;

  /* The user's back-off first: another request may have met a 429. */
  while (request->throttle != NULL && (held = cc_throttle_get_wait_ms (request->throttle)) > 0)
    if (!cc_http_wait (held, cancellable, error))
      return CC_HTTP_TRY_FAILED;
  message = cc_http_send_prepare (send, cancellable, error);
  if (message == NULL)
    return CC_HTTP_TRY_FAILED;
  if (request->limiter != NULL
      && !cc_rate_limiter_acquire (request->limiter, request->limiter_tag,
                                   request->wait_for_budget, cancellable, error))
    return CC_HTTP_TRY_FAILED;

  cc_http_send_went_out (send, message);
  verdict = receive (send, message, cancellable, &body, error);
  if (verdict == CC_HTTP_TRY_FAILED)
    return verdict;
  return cc_http_send_conclude (send, message, verdict, body, response, error);
}

/* How long to wait before the next try: what the server asked for, with
 * a little jitter so that parallel workers do not come back in the same
 * millisecond; else the backoff of the @retry'th retry. */
static guint
retry_delay (CcHttpSend *send,
             guint       retry)
{
  CcHttpOptions *options = &send->self->options;

  if (send->retry_after >= 0)
    return (guint) MIN (send->retry_after, (gint64) options->retry_after_cap_s) * 1000
           + (guint) g_random_int_range (0, 100);
  return backoff_ms (send->self, retry);
}

/* Whether the try that was refused holds its user back, and the caller
 * would rather send it as another user than wait. */
static gboolean
yields (CcHttpSend *send)
{
  CcHttpRequest *request = send->request;

  return request->yield_when_held && request->throttle != NULL && send->retry_after >= 0
         && cc_throttle_get_wait_ms (request->throttle) > 0;
}

gboolean
cc_http_send_next_try (CcHttpSend  *send,
                       guint       *delay_ms,
                       GError     **error)
{
  CcHttpOptions *options = &send->self->options;

  if (send->attempt >= options->max_attempts || yields (send))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_TRANSIENT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s did not answer %s %s properly after %u attempt (%s); it will be tried again later",
                                "%s did not answer %s %s properly after %u attempts (%s); it will be tried again later",
                                send->attempt),
                   send->service_name, send->request->method, send->path, send->attempt,
                   send->last_problem);
      return FALSE;
    }

  *delay_ms = retry_delay (send, send->retry++);
  g_debug ("%s: %s %s failed (%s), attempt %u of %u, retrying in %u ms",
           send->service_name, send->request->method, send->path, send->last_problem,
           send->attempt, options->max_attempts, *delay_ms);
  send->attempt++;
  send->self->stats.retries++;
  return TRUE;
}

CcHttpResponse *
cc_http_send (CcHttp         *self,
              CcHttpRequest  *request,
              GCancellable   *cancellable,
              GError        **error)
{
  g_auto(CcHttpSend) send = { 0 };

  g_return_val_if_fail (CC_IS_HTTP (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cc_http_send_init (&send, self, request);
  for (;;)
    {
      CcHttpResponse *response = NULL;
      CcHttpTry verdict = try_once (&send, cancellable, &response, error);
      guint delay;

      if (verdict == CC_HTTP_TRY_DONE)
        return response;
      if (verdict == CC_HTTP_TRY_FAILED)
        return NULL;
      if (verdict == CC_HTTP_TRY_RENEW)
        {
          send.attempt++;
          continue;
        }
      if (!cc_http_send_next_try (&send, &delay, error)
          || !cc_http_wait (delay, cancellable, error))
        return NULL;
    }
}
