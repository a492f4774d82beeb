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
  gboolean            repeatable;     /* sending it twice does what once does */
  CcTokenSource      *token_source;   /* not owned */
  CcHttpClassifyFunc  classify;
  gpointer            classify_data;
  CcRateLimiter      *limiter;        /* not owned */
  char               *limiter_tag;
  gboolean            wait_for_budget;
};

/* "/api/data/v9.2/contacts" from an absolute URL: path only, no query. */
char           *cc_http_url_get_path (const char     *url);

CcHttpResponse *cc_http_response_new (CcHttpRequest  *request,
                                      CcHttpService   service,
                                      SoupMessage    *message,
                                      GBytes         *body);

G_END_DECLS
