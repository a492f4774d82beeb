/* cc-http-response.c — responses, and how errors are worded.
 *
 * The services answer errors in four documented shapes (Dataverse,
 * Entra ID / IMS, the Campaign API and its gateway); this file reads all
 * of them so that every message the user sees quotes the server's words,
 * names the service and the request, and never shows a request body.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-http-private.h"
#include "cc-json-parse.h"
#include "cc-json-read.h"
#include "cc-json-scan.h"

const char *
cc_http_service_get_name (CcHttpService service)
{
  switch (service)
    {
    case CC_HTTP_SERVICE_DYNAMICS:
      return _("Dynamics 365");
    case CC_HTTP_SERVICE_CAMPAIGN:
      return _("Adobe Campaign");
    default:
      g_return_val_if_reached ("?");
    }
}

CcHttpResponse *
cc_http_response_new_from_parts (CcHttpService       service,
                                 const char         *method,
                                 const char         *url,
                                 guint               status,
                                 const char         *reason,
                                 SoupMessageHeaders *headers,
                                 GBytes             *body)
{
  CcHttpResponse *response = g_new0 (CcHttpResponse, 1);

  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  response->status = status;
  response->reason = g_strdup (reason ? reason : "");
  response->headers = headers ? soup_message_headers_ref (headers)
                              : soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  response->body = body ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  response->method = g_strdup (method);
  response->path = cc_http_url_get_path (url);
  response->service = service;
  return response;
}

CcHttpResponse *
cc_http_response_new (CcHttpRequest *request,
                      CcHttpService  service,
                      SoupMessage   *message,
                      GBytes        *body)
{
  return cc_http_response_new_from_parts (service, request->method, request->url,
                                          soup_message_get_status (message),
                                          soup_message_get_reason_phrase (message),
                                          soup_message_get_response_headers (message), body);
}

void
cc_http_response_free (CcHttpResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->reason);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->method);
  g_free (response->path);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response->scanned);
  if (response->scanned_body != NULL && response->scanned_body_free != NULL)
    response->scanned_body_free (response->scanned_body);
  g_free (response);
}

gboolean
cc_http_response_is_success (CcHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, FALSE);
  return SOUP_STATUS_IS_SUCCESSFUL (response->status);
}

JsonNode *
cc_http_response_get_json (CcHttpResponse  *response,
                           GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  if (response->json != NULL)
    return json_node_ref (response->json);

  data = g_bytes_get_data (response->body, &len);
  response->json = cc_json_parse (data, len, CC_JSON_MAX_ANSWER, &local_error);
  if (response->json == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   cc_json_error_is_bounds (local_error)
                   ? _("%s answered %s %s with a body that cannot be read: %s")
                   : _("%s answered %s %s with a body that is not JSON: %s"),
                   cc_http_service_get_name (response->service),
                   response->method, response->path, local_error->message);
      return NULL;
    }
  return json_node_ref (response->json);
}

gboolean
cc_http_response_scan_member (CcHttpResponse  *response,
                              const char      *name,
                              char           **value)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (response != NULL && name != NULL && value != NULL, FALSE);

  *value = NULL;
  if (response->json != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (response->json))
        return FALSE;
      *value = g_strdup (cc_json_read_string (json_node_get_object (response->json), name));
      return TRUE;
    }
  if (response->scanned_name == NULL || strcmp (response->scanned_name, name) != 0)
    {
      data = g_bytes_get_data (response->body, &len);
      g_clear_pointer (&response->scanned, g_free);
      response->scanned_name = NULL;
      /* The scan keeps to the bounds of nesting itself; the size is
       * checked here, as cc_json_parse() would. */
      if (len > CC_JSON_MAX_ANSWER
          || cc_json_scan_string_member (data, len, name, &response->scanned)
             == CC_JSON_SCAN_UNSURE)
        return FALSE;
      response->scanned_name = name;
    }
  *value = g_strdup (response->scanned);
  return TRUE;
}

gboolean
cc_http_response_scan_body (CcHttpResponse *response,
                            CcHttpBodyScan  scan,
                            GDestroyNotify  free_func)
{
  g_return_val_if_fail (response != NULL && scan != NULL, FALSE);

  if (response->scanned_body == NULL && response->json == NULL)
    {
      response->scanned_body = scan (response->body);
      response->scanned_body_free = free_func;
    }
  return response->scanned_body != NULL;
}

JsonObject *
cc_http_response_dup_object (CcHttpResponse *response)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (response != NULL, NULL);

  node = cc_http_response_get_json (response, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Some member as text, whether the service sent it as a string or a
 * number (Campaign's "code" is a number, its "error_code" a string). */
static char *
member_as_text (JsonObject *object,
                const char *name)
{
  JsonNode *node;
  GType type;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return *json_node_get_string (node) ? g_strdup (json_node_get_string (node)) : NULL;
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* Entra descriptions run over several lines (trace and correlation ids,
 * a timestamp): a message line only needs the first. */
static char *
first_line (const char *text)
{
  const char *end = strpbrk (text, "\r\n");
  g_autofree char *line = end ? g_strndup (text, end - text) : g_strdup (text);

  return g_strstrip (g_steal_pointer (&line));
}

char *
cc_http_response_dup_server_message (CcHttpResponse *response)
{
  g_autoptr(JsonObject) root = NULL;
  JsonObject *inner;
  const char *text;
  gsize len;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  root = cc_http_response_dup_object (response);
  if (root != NULL)
    {
      inner = cc_json_read_object (root, "error");

      /* Dataverse: {"error":{"code","message"}} */
      if (inner != NULL && (text = member_string (inner, "message")) != NULL && *text)
        return first_line (text);

      /* Entra ID and IMS: {"error","error_description"} */
      if ((text = member_string (root, "error_description")) != NULL && *text)
        return first_line (text);

      /* Campaign API and gateway: {"code"|"error_code","message"} */
      if ((text = member_string (root, "message")) != NULL && *text)
        return first_line (text);

      if ((text = member_string (root, "error")) != NULL && *text)
        return first_line (text);
      return NULL;
    }

  /* A short plain-text answer (a proxy's, say) is still the server's
   * words; an HTML error page is not worth quoting. */
  data = g_bytes_get_data (response->body, &len);
  if (len > 0 && len <= 300 && g_utf8_validate (data, len, NULL)
      && memchr (data, '<', len) == NULL)
    {
      g_autofree char *copy = g_strndup (data, len);
      g_autofree char *line = first_line (copy);

      if (*line)
        return g_steal_pointer (&line);
    }
  return NULL;
}

char *
cc_http_response_dup_error_code (CcHttpResponse *response)
{
  g_autoptr(JsonObject) root = NULL;
  JsonObject *inner;
  JsonArray *codes;
  const char *text;
  char *code;

  g_return_val_if_fail (response != NULL, NULL);

  root = cc_http_response_dup_object (response);
  if (root == NULL)
    return NULL;

  if ((inner = cc_json_read_object (root, "error")) != NULL)
    return member_as_text (inner, "code");

  /* Entra puts the precise reason at the front of the description
   * ("AADSTS7000215: Invalid client secret provided…") and in error_codes. */
  if ((text = member_string (root, "error_description")) != NULL
      && g_str_has_prefix (text, "AADSTS"))
    {
      gsize n = strlen ("AADSTS");

      while (g_ascii_isdigit (text[n]))
        n++;
      return g_strndup (text, n);
    }
  codes = cc_json_read_array (root, "error_codes");
  if (codes != NULL && json_array_get_length (codes) > 0
      && JSON_NODE_HOLDS_VALUE (json_array_get_element (codes, 0))
      && json_node_get_value_type (json_array_get_element (codes, 0)) == G_TYPE_INT64)
    return g_strdup_printf ("AADSTS%" G_GINT64_FORMAT, json_array_get_int_element (codes, 0));

  if ((code = member_as_text (root, "error_code")) != NULL)
    return code;
  if ((code = member_as_text (root, "error")) != NULL)
    return code;
  return member_as_text (root, "code");
}

char *
cc_http_error_message (CcHttpService   service,
                       CcHttpResponse *response)
{
  g_autofree char *words = NULL;

  g_return_val_if_fail (response != NULL, NULL);

  words = cc_http_response_dup_server_message (response);
  if (words != NULL)
    /* Translators: "Dynamics 365 answered 404 Not Found to PATCH /api/…: <the server's words>" */
    return g_strdup_printf (_("%s answered %u %s to %s %s: %s"),
                            cc_http_service_get_name (service),
                            response->status, response->reason,
                            response->method, response->path, words);
  return g_strdup_printf (_("%s answered %u %s to %s %s"),
                          cc_http_service_get_name (service),
                          response->status, response->reason,
                          response->method, response->path);
}
