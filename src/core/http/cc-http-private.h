/* cc-http-private.h — what cc-http.c, cc-http-request.c and
 * cc-http-response.c share. */
#pragma once

#include "cc-http.h"

G_BEGIN_DECLS

struct _CcHttpRequest
{
  char               *method;
  char               *url;
  SoupMessageHeaders *headers;
  char               *content_type;
  GBytes             *body;
  gboolean            expect_json;
  const char         *json_member;    /* all the caller reads of it; static */
  CcHttpBodyScan      body_scan;      /* reads it in one pass, or NULL */
  GDestroyNotify      body_scan_free; /* frees what body_scan made */
  gboolean            repeatable;     /* sending it twice does what once does */
  gboolean            carries_secret; /* its body holds a client secret */
  CcTokenSource      *token_source;   /* not owned */
  CcHttpClassifyFunc  classify;
  gpointer            classify_data;
  CcRateLimiter      *limiter;        /* not owned */
  char               *limiter_tag;
  gboolean            wait_for_budget;
  CcThrottle         *throttle;       /* not owned */
  gboolean            yield_when_held; /* a 429 ends the call: another user may take it */
};

/* The most an answer's body is read in at a time. */
#define CC_HTTP_READ_CHUNK (64 * 1024)

/* One request on its way: what one try of it hands to the next. The
 * blocking loop of cc_http_send() and the asynchronous one of
 * cc_http_send_async() (cc-http-async.c) share it and every rule of
 * cc-http.h; only how they wait differs. */
typedef struct
{
  CcHttp        *self;
  CcHttpRequest *request;
  const char    *service_name;
  char          *path;            /* of the request, for messages */
  char          *last_problem;    /* why the last try did not do */
  gint64         retry_after;     /* seconds the server asked to wait, or -1 */
  gboolean       renewed_token;
  guint          token_fetch;     /* the token source's fetch count when signed */
  gboolean       delivered;       /* the try's request went out whole */
  guint          attempt;         /* 1 for the first try */
  guint          retry;           /* retries after a transient failure */
} CcHttpSend;

typedef enum
{
  CC_HTTP_TRY_DONE,     /* the answer is final */
  CC_HTTP_TRY_AGAIN,    /* transient: wait, then try again */
  CC_HTTP_TRY_RENEW,    /* the token was renewed: try again at once */
  CC_HTTP_TRY_FAILED,   /* the error is set */
} CcHttpTry;

void         cc_http_send_init        (CcHttpSend      *send,
                                       CcHttp          *self,
                                       CcHttpRequest   *request);
void         cc_http_send_clear       (CcHttpSend      *send);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcHttpSend, cc_http_send_clear)

/* The session that carries @request: the sign-in session for a request
 * that carries a secret (cc-http.h), else the API's. */
SoupSession *cc_http_get_session      (CcHttp          *self,
                                       CcHttpRequest   *request);
/* One try: the message to put on the wire, signed with the token
 * (fetched when there is none), or NULL with the error. The caller then
 * takes the request's slot of its rate limiter, if any. */
SoupMessage *cc_http_send_prepare     (CcHttpSend      *send,
                                       GCancellable    *cancellable,
                                       GError         **error);
/* Counts @message as sent and watches whether it goes out whole. */
void         cc_http_send_went_out    (CcHttpSend      *send,
                                       SoupMessage     *message);
/* No answer came (@local_error): cancelled, failed for good, or again. */
CcHttpTry    cc_http_send_judge_error (CcHttpSend      *send,
                                       const GError    *local_error,
                                       GCancellable    *cancellable,
                                       GError         **error);
/* An answer's announced length over CC_JSON_MAX_ANSWER fails the try. */
CcHttpTry    cc_http_send_check_length (CcHttpSend     *send,
                                        SoupMessage    *message,
                                        GError        **error);
/* How much the next read of @message's answer into @buffer asks for:
 * what is left of its announced length and one byte more (to meet its
 * end), so that the buffer is sized once; else a chunk that grows with
 * what came, from 4 KiB to CC_HTTP_READ_CHUNK. */
gsize        cc_http_read_size        (SoupMessage     *message,
                                       GByteArray      *buffer);
CcHttpTry    cc_http_send_refuse_size (CcHttpSend      *send,
                                       guint64          size,
                                       GError         **error);
/* What the try came to once its answer is read (@verdict DONE, with
 * @body) or its transport failed transiently (@verdict AGAIN): the
 * answer in *@response when it is final. */
CcHttpTry    cc_http_send_conclude    (CcHttpSend      *send,
                                       SoupMessage     *message,
                                       CcHttpTry        verdict,
                                       GBytes          *body,
                                       CcHttpResponse **response,
                                       GError         **error);
/* After a try that is to be made again: FALSE with CC_ERROR_TRANSIENT
 * when the attempts are used up, else the wait before the next one. */
gboolean     cc_http_send_next_try    (CcHttpSend      *send,
                                       guint           *delay_ms,
                                       GError         **error);

/* "/api/data/v9.2/contacts" from an absolute URL: path only, no query. */
char           *cc_http_url_get_path (const char     *url);

CcHttpResponse *cc_http_response_new (CcHttpRequest  *request,
                                      CcHttpService   service,
                                      SoupMessage    *message,
                                      GBytes         *body);

G_END_DECLS
