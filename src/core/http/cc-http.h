/* cc-http.h — one HTTP session with the connector's retry and auth policy.
 *
 * Every request to Dynamics 365, Adobe Campaign and their token endpoints
 * goes through a CcHttp, so that retries, Retry-After, timeouts, token
 * renewal and the wording of errors are decided in one place.
 *
 * A CcHttp wraps one SoupSession: create it on the thread that will use it
 * (a run's supervisor or worker thread, a connection test's GTask thread)
 * and use it only there. cc_http_send() blocks and never touches any
 * GMainContext; cc_http_send_async() runs on the thread-default one.
 * Sign-ins (the requests that carry a client secret) go over a second
 * session of their own: a token fetched blocking on a thread whose
 * requests in flight hold every connection the first session may open to
 * the host would wait for one of them for ever, as only that thread's
 * main loop reads their answers and frees them.
 *
 * What cc_http_send() does with an answer:
 *  - transport errors (refused, reset, dropped, timed out), 5xx, 429, and a
 *    2xx whose body does not parse as JSON when the request expects JSON
 *    are transient: the request is sent again after a capped exponential
 *    backoff with jitter, or after the server's Retry-After (seconds or an
 *    HTTP date) on 429/503. The wait ends at once when the GCancellable is
 *    cancelled. When the attempts are used up the call fails with
 *    CC_ERROR_TRANSIENT (the engine retries that later; it is never a
 *    permanent failure);
 *  - 401 on a request that names a token source: the token it was signed
 *    with is dropped (unless another request's 401 already renewed it), a
 *    new one fetched and the request sent once more; a second 401 fails
 *    with CC_ERROR_AUTH_FAILED and the server's words;
 *  - a request that is not repeatable (a POST that creates a record) is
 *    never sent again once the service may have received it: when its
 *    answer is lost after it went out (the connection closed or reset
 *    while waiting, a timeout, a 5xx other than 503, a 2xx that does not
 *    parse), the call fails at once with CC_ERROR_TRANSIENT, and the
 *    caller looks the record up before it tries again. Before it went out
 *    (refused, unreachable), and on 429 and 503, which the services answer
 *    before doing anything, it is retried like any request;
 *  - kept-alive connections are reused for every request, writes
 *    included; libsoup itself only ever resends GET, HEAD, PUT and DELETE
 *    after a reused connection fails, which are repeatable by HTTP;
 *  - a request that carries an access token or a client secret is sent
 *    over https://, or plain http:// to a loopback host, and refused
 *    otherwise (CC_ERROR_INVALID_CONFIG) before anything goes out,
 *    whatever the configuration or a server's link says; it never
 *    follows a redirect (the 3xx is the answer);
 *  - an answer is read up to CC_JSON_MAX_ANSWER bytes (cc-json-parse.h),
 *    and a JSON body nested deeper than CC_JSON_MAX_DEPTH is not parsed:
 *    either fails the call with CC_ERROR_FAILED naming the limit (the
 *    same request would bring the same answer again);
 *  - a request with a rate limiter waits for a call's slot before every
 *    try (cc-rate-limiter.h): an API allowance counts what goes on the
 *    wire, retries included;
 *  - a request with a throttle (cc-throttle.h: the user it is sent as)
 *    waits before every try until the user's back-off has passed; a 429
 *    with a Retry-After holds every request of that throttle, not only
 *    the one that met it;
 *  - any other answer (2xx, 3xx, non-transient 4xx) is returned as a
 *    CcHttpResponse without a GError, so that a rejected record can be
 *    logged by the caller. A per-request classifier can change that
 *    verdict (Campaign answers 500 for some permanent rejections).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CcTokenSource CcTokenSource;
typedef struct _CcRateLimiter CcRateLimiter;
typedef struct _CcThrottle CcThrottle;

/* The service a request goes to; it names the service in error messages
 * and chooses how error bodies are read. Entra ID counts as Dynamics 365,
 * Adobe IMS and the I/O Events journal as Adobe Campaign. */
typedef enum
{
  CC_HTTP_SERVICE_DYNAMICS,
  CC_HTTP_SERVICE_CAMPAIGN,
} CcHttpService;

/* The user-facing name: "Dynamics 365" or "Adobe Campaign" (translated). */
const char *cc_http_service_get_name (CcHttpService service);

/* ------------------------------------------------------------------ */
/* Responses                                                           */

typedef struct
{
  guint               status;     /* HTTP status */
  char               *reason;     /* reason phrase, may be empty */
  SoupMessageHeaders *headers;    /* response headers */
  GBytes             *body;       /* never NULL (may be empty) */
  char               *method;     /* of the request, for messages */
  char               *path;       /* of the request, without the query */
  CcHttpService       service;
  JsonNode           *json;       /* the parsed body when the request expected
                                   * JSON and it parsed, else NULL */
  const char         *scanned_name;  /* the member a scan found, or NULL */
  char               *scanned;       /* its value, or NULL: absent */
  gpointer            scanned_body;  /* what a CcHttpBodyScan made of the body */
  GDestroyNotify      scanned_body_free;
} CcHttpResponse;

/* Reads a whole body in one pass, without a tree, into what its caller
 * wants of it; NULL when it cannot be sure the body is sound JSON (the
 * body is then parsed, and judged, as any other). */
typedef gpointer (*CcHttpBodyScan) (GBytes *body);

/* An answer made from its parts rather than received, for what reads
 * answers without sending (the fuzz targets). @headers and @body may be
 * NULL (none, empty). */
CcHttpResponse *cc_http_response_new_from_parts (CcHttpService       service,
                                                 const char         *method,
                                                 const char         *url,
                                                 guint               status,
                                                 const char         *reason,
                                                 SoupMessageHeaders *headers,
                                                 GBytes             *body);
void        cc_http_response_free      (CcHttpResponse  *response);
/* The body parsed as JSON (a new reference; parsed once); fails with
 * CC_ERROR_FAILED when it is not JSON. */
JsonNode   *cc_http_response_get_json  (CcHttpResponse  *response,
                                        GError         **error);
/* The string member @name (static) of the body's top-level object, in
 * @value (NULL when it is absent or no string): from the parsed body if
 * there is one, else from a scan of the text that is kept. FALSE when the
 * body must be parsed to tell (it may be damaged, or no object). */
gboolean    cc_http_response_scan_member (CcHttpResponse  *response,
                                          const char      *name,
                                          char           **value);
/* What @scan makes of the body (kept in scanned_body, freed with
 * @free_func), unless the body was parsed already: whether it did. */
gboolean    cc_http_response_scan_body  (CcHttpResponse  *response,
                                         CcHttpBodyScan   scan,
                                         GDestroyNotify   free_func);
/* Same, but only when the root is an object; NULL (no error) otherwise. */
JsonObject *cc_http_response_dup_object (CcHttpResponse *response);
gboolean    cc_http_response_is_success (CcHttpResponse *response);

/* The server's own words from a documented error body, or NULL:
 *   Dataverse {"error":{"code","message"}}  → "message (code)" / "message"
 *   Entra, IMS {"error","error_description"} → "error_description" / "error"
 *   Campaign {"code","message"} / {"error_code","message"} → "message"
 * Falls back to a short plain-text body. Never includes the request body. */
char       *cc_http_response_dup_server_message (CcHttpResponse *response);
/* The service's error code from the body ("0x80044352", "AADSTS7000215",
 * "invalid_client", "401013", …) or NULL. For Entra the AADSTS code is
 * taken from the front of error_description. */
char       *cc_http_response_dup_error_code    (CcHttpResponse *response);

/* One line for a human: which service, which request (method and path,
 * no query), the status and the server's words, e.g.
 * "Dynamics 365 answered 404 Not Found to PATCH /api/data/v9.2/contacts(…):
 * contact With Id = … Does Not Exist". */
char       *cc_http_error_message (CcHttpService   service,
                                   CcHttpResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcHttpResponse, cc_http_response_free)

/* ------------------------------------------------------------------ */
/* Requests                                                            */

typedef struct _CcHttpRequest CcHttpRequest;

typedef enum
{
  CC_HTTP_VERDICT_DEFAULT,    /* use the rules above */
  CC_HTTP_VERDICT_TRANSIENT,  /* retry it */
  CC_HTTP_VERDICT_FINAL,      /* return it to the caller as a response */
} CcHttpVerdict;

/* Lets a caller reclassify an answer before the retry rules apply. */
typedef CcHttpVerdict (*CcHttpClassifyFunc) (CcHttpResponse *response,
                                             gpointer        user_data);

/* @url is absolute. */
CcHttpRequest *cc_http_request_new            (const char         *method,
                                               const char         *url);
void           cc_http_request_free           (CcHttpRequest      *request);
const char    *cc_http_request_get_method     (CcHttpRequest      *request);
const char    *cc_http_request_get_url        (CcHttpRequest      *request);
/* Replaces a header of that name. */
void           cc_http_request_set_header     (CcHttpRequest      *request,
                                               const char         *name,
                                               const char         *value);
void           cc_http_request_set_body       (CcHttpRequest      *request,
                                               const char         *content_type,
                                               GBytes             *body);
/* Serialises @node as the body, Content-Type application/json. */
void           cc_http_request_set_json_body  (CcHttpRequest      *request,
                                               JsonNode           *node);
/* application/x-www-form-urlencoded from a NULL-terminated list of
 * name, value pairs. The body is never shown in any message. */
void           cc_http_request_set_form_body  (CcHttpRequest      *request,
                                               const char         *first_name,
                                               ...) G_GNUC_NULL_TERMINATED;
/* Whether sending @request twice does what sending it once does (default:
 * every method but POST). A token request and a $batch of upserts by key
 * are; a POST that creates a record is not. See cc_http_send(). */
void           cc_http_request_set_repeatable (CcHttpRequest     *request,
                                               gboolean           repeatable);
/* A 2xx answer (other than 204) must parse as JSON, else it is transient. */
void           cc_http_request_set_expect_json (CcHttpRequest     *request,
                                                gboolean           expect_json);
/* As cc_http_request_set_expect_json (TRUE), for a caller that reads
 * only the string member @name (a static string) of the answer's
 * top-level object: the answer is scanned for it (cc-json-scan.h), and
 * parsed only when the scan cannot tell whether it is sound. Read the
 * member with cc_http_response_scan_member(). */
void           cc_http_request_set_expect_json_member (CcHttpRequest *request,
                                                       const char    *name);
/* As cc_http_request_set_expect_json (TRUE), for a caller that reads the
 * whole answer with @scan: the answer is parsed only when the scan
 * cannot tell whether it is sound. Read what it made from the
 * response's scanned_body. */
void           cc_http_request_set_expect_json_scan (CcHttpRequest  *request,
                                                     CcHttpBodyScan  scan,
                                                     GDestroyNotify  free_func);
/* The body holds a client secret (a token request): like a request
 * with a token, it is sent over https:// only, or plain http:// to a
 * loopback host, and never follows a redirect. */
void           cc_http_request_set_carries_secret (CcHttpRequest  *request,
                                                   gboolean        carries_secret);
/* Sends "Authorization: Bearer <token>" from @source (not owned; it must
 * outlive the request) and renews the token on 401, once. */
void           cc_http_request_set_token_source (CcHttpRequest    *request,
                                                 CcTokenSource    *source);
void           cc_http_request_set_classifier (CcHttpRequest      *request,
                                               CcHttpClassifyFunc  func,
                                               gpointer            user_data);
/* Every time the request goes on the wire (retries too), it first takes a
 * call's slot of @limiter (not owned; it must outlive the request; NULL:
 * none), as cc_rate_limiter_acquire() with @tag and @wait_for_budget. */
void           cc_http_request_set_limiter    (CcHttpRequest      *request,
                                               CcRateLimiter      *limiter,
                                               const char         *tag,
                                               gboolean            wait_for_budget);

/* The user the request is sent as: its back-off (not owned; it must
 * outlive the request; NULL: the request's own back-off only). */
void           cc_http_request_set_throttle   (CcHttpRequest      *request,
                                               CcThrottle         *throttle);
/* With @yield, a 429 that holds the request's throttle ends the call at
 * once with CC_ERROR_TRANSIENT instead of waiting out its Retry-After:
 * for a caller that has another user to send it as. */
void           cc_http_request_set_yield_when_held (CcHttpRequest *request,
                                                    gboolean       yield);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcHttpRequest, cc_http_request_free)

/* ------------------------------------------------------------------ */
/* The session                                                         */

typedef struct
{
  CcHttpService service;
  guint         timeout_s;          /* I/O timeout; 0 = 60 */
  guint         idle_timeout_s;     /* keep-alive idle timeout; 0 = 60 */
  guint         max_conns_per_host; /* 0 = 8 */
  guint         max_attempts;       /* sends per request incl. the first;
                                     * 0 = 12 (about 2.5 minutes of backoff) */
  guint         backoff_base_ms;    /* first backoff; 0 = 200 */
  guint         backoff_cap_ms;     /* longest backoff; 0 = 30000 */
  guint         retry_after_cap_s;  /* longest Retry-After honoured; 0 = 600 */
} CcHttpOptions;

typedef struct
{
  guint64 requests;   /* requests put on the wire (retries included) */
  guint64 retries;    /* sends that were retries of a transient failure */
  guint64 throttled;  /* 429 answers seen */
  guint64 auth_renewals; /* tokens renewed after a 401 */
} CcHttpStats;

#define CC_TYPE_HTTP (cc_http_get_type ())
G_DECLARE_FINAL_TYPE (CcHttp, cc_http, CC, HTTP, GObject)

/* Defaults for every field. */
void            cc_http_options_init (CcHttpOptions   *options,
                                      CcHttpService    service);
CcHttp         *cc_http_new          (const CcHttpOptions *options);
CcHttpService   cc_http_get_service  (CcHttp          *self);
/* Changes the retry policy of later sends (tests use small values). */
void            cc_http_set_retry_policy (CcHttp      *self,
                                          guint        max_attempts,
                                          guint        backoff_base_ms,
                                          guint        backoff_cap_ms);

/* Sends @request with the policy described at the top of this file.
 * Returns the final answer, or NULL with CC_ERROR_TRANSIENT (attempts used
 * up), CC_ERROR_AUTH_FAILED (401 twice, or the token source failed),
 * G_IO_ERROR_CANCELLED, or CC_ERROR_FAILED (a request that cannot be sent,
 * e.g. a malformed URL). @request may be sent again afterwards. */
CcHttpResponse *cc_http_send         (CcHttp          *self,
                                      CcHttpRequest   *request,
                                      GCancellable    *cancellable,
                                      GError         **error);

/* As cc_http_send(), without blocking: every wait (the API allowance's
 * slot, the answer, the time between tries) is spent on the
 * thread-default main context of the caller, which must keep iterating
 * it. @request must stay alive and unchanged until @callback has run.
 * Many such requests may be in flight on one CcHttp at once, up to its
 * max_conns_per_host on the wire and the others queued by libsoup. */
void            cc_http_send_async   (CcHttp              *self,
                                      CcHttpRequest       *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
CcHttpResponse *cc_http_send_finish  (CcHttp              *self,
                                      GAsyncResult        *result,
                                      GError             **error);

/* Counters since creation. */
void            cc_http_get_stats    (CcHttp          *self,
                                      CcHttpStats     *stats);

/* A main context of the calling thread's own, pushed as its
 * thread-default. Every thread but the main one runs inside one while it
 * makes, uses and frees a CcHttp: libsoup binds a session's connections,
 * timers and queue sources to the thread-default context of the thread
 * that uses it, and a thread without one has the global default context,
 * which the main thread dispatches. Then the main thread would run a
 * session's callbacks while the thread that owns it frees it. Pop it with
 * cc_http_thread_context_pop() once every CcHttp made meanwhile is gone. */
GMainContext   *cc_http_thread_context_push (void);
void            cc_http_thread_context_pop  (GMainContext    *context);
/* g_task_run_in_thread() with @func inside a thread context of its own
 * (cc_http_thread_context_push()), for a task that makes a CcHttp. */
void            cc_http_task_run_in_thread  (GTask           *task,
                                             GTaskThreadFunc  func);

/* Waits @ms milliseconds unless @cancellable is cancelled first (then
 * returns FALSE with G_IO_ERROR_CANCELLED). Shared by the engine's own
 * retry loops. */
gboolean        cc_http_wait         (guint            ms,
                                      GCancellable    *cancellable,
                                      GError         **error);

G_END_DECLS
