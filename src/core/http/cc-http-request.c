/* cc-http-request.c — a request as the caller builds it: method, URL,
 * headers, body, and how cc_http_send() is to treat it (JSON expected,
 * whether it may be sent again, the token source that signs it, a
 * classifier of its answers, the API allowance it counts against).
 */
#include "config.h"

#include <string.h>

#include "cc-http-private.h"

CcHttpRequest *
cc_http_request_new (const char *method,
                     const char *url)
{
  CcHttpRequest *request;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  request = g_new0 (CcHttpRequest, 1);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  /* GET, PUT, DELETE are so by HTTP, and the connector's PATCHes set
   * values by key; a POST creates something unless its caller says. */
  request->repeatable = !g_str_equal (method, "POST");
  return request;
}

void
cc_http_request_set_repeatable (CcHttpRequest *request,
                                gboolean       repeatable)
{
  g_return_if_fail (request != NULL);
  request->repeatable = repeatable;
}

void
cc_http_request_free (CcHttpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->url);
  soup_message_headers_unref (request->headers);
  g_free (request->content_type);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->limiter_tag);
  g_free (request);
}

const char *
cc_http_request_get_method (CcHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->method;
}

const char *
cc_http_request_get_url (CcHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->url;
}

void
cc_http_request_set_header (CcHttpRequest *request,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  if (value == NULL)
    soup_message_headers_remove (request->headers, name);
  else
    soup_message_headers_replace (request->headers, name, value);
}

/* Replaces the body with @body (taken). */
static void
take_body (CcHttpRequest *request,
           const char    *content_type,
           GBytes        *body)
{
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  request->body = body;
}

void
cc_http_request_set_body (CcHttpRequest *request,
                          const char    *content_type,
                          GBytes        *body)
{
  g_return_if_fail (request != NULL);

  take_body (request, content_type, body ? g_bytes_ref (body) : NULL);
}

void
cc_http_request_set_json_body (CcHttpRequest *request,
                               JsonNode      *node)
{
  g_autofree char *text = NULL;
  gsize len;

  g_return_if_fail (request != NULL);
  g_return_if_fail (node != NULL);

  text = json_to_string (node, FALSE);
  len = strlen (text);
  take_body (request, "application/json", g_bytes_new_take (g_steal_pointer (&text), len));
}

void
cc_http_request_set_form_body (CcHttpRequest *request,
                               const char    *first_name,
                               ...)
{
  va_list args;
  char *form;

  g_return_if_fail (request != NULL);

  va_start (args, first_name);
  form = soup_form_encode_valist (first_name, args);
  va_end (args);

  take_body (request, "application/x-www-form-urlencoded",
             g_bytes_new_take (form, strlen (form)));
}

void
cc_http_request_set_expect_json (CcHttpRequest *request,
                                 gboolean       expect_json)
{
  g_return_if_fail (request != NULL);
  request->expect_json = !!expect_json;
}

void
cc_http_request_set_expect_json_member (CcHttpRequest *request,
                                        const char    *name)
{
  g_return_if_fail (request != NULL && name != NULL);
  request->expect_json = TRUE;
  request->json_member = name;
}

void
cc_http_request_set_expect_json_scan (CcHttpRequest  *request,
                                      CcHttpBodyScan  scan,
                                      GDestroyNotify  free_func)
{
  g_return_if_fail (request != NULL && scan != NULL);
  request->expect_json = TRUE;
  request->body_scan = scan;
  request->body_scan_free = free_func;
}

void
cc_http_request_set_carries_secret (CcHttpRequest *request,
                                    gboolean       carries_secret)
{
  g_return_if_fail (request != NULL);
  request->carries_secret = !!carries_secret;
}

void
cc_http_request_set_token_source (CcHttpRequest *request,
                                  CcTokenSource *source)
{
  g_return_if_fail (request != NULL);
  request->token_source = source;
}

void
cc_http_request_set_classifier (CcHttpRequest      *request,
                                CcHttpClassifyFunc  func,
                                gpointer            user_data)
{
  g_return_if_fail (request != NULL);
  request->classify = func;
  request->classify_data = user_data;
}

void
cc_http_request_set_limiter (CcHttpRequest *request,
                             CcRateLimiter *limiter,
                             const char    *tag,
                             gboolean       wait_for_budget)
{
  g_return_if_fail (request != NULL);

  request->limiter = limiter;
  g_free (request->limiter_tag);
  request->limiter_tag = g_strdup (tag);
  request->wait_for_budget = wait_for_budget;
}

void
cc_http_request_set_throttle (CcHttpRequest *request,
                              CcThrottle    *throttle)
{
  g_return_if_fail (request != NULL);

  request->throttle = throttle;
}

void
cc_http_request_set_yield_when_held (CcHttpRequest *request,
                                     gboolean       yield)
{
  g_return_if_fail (request != NULL);

  request->yield_when_held = yield;
}

char *
cc_http_url_get_path (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *q;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL)
    return g_strdup (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");

  /* Not a URL we could parse: still never show its query. */
  q = strpbrk (url, "?#");
  return q ? g_strndup (url, q - url) : g_strdup (url);
}

