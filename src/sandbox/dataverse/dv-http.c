/* dv-http.c — one Web API request and its answer, independent of
 * how they travel (a SoupServerMessage or a $batch part): the Prefer
 * header, decoded path segments and query options, and the helpers that
 * build JSON and error answers.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* ---- responses ---------------------------------------------------------- */

DvResponse *
dv_response_new (void)
{
  DvResponse *resp = g_new0 (DvResponse, 1);

  resp->status = SOUP_STATUS_NONE;
  resp->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return resp;
}

void
dv_response_free (DvResponse *resp)
{
  if (resp == NULL)
    return;
  soup_message_headers_unref (resp->headers);
  g_free (resp->content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp->entity_url);
  g_free (resp);
}

void
dv_response_set_json (DvResponse *resp,
                      guint       status,
                      JsonNode   *root,
                      gboolean    collection)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *data;

  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);
  resp->status = status;
  g_free (resp->content_type);
  resp->content_type = g_strdup (collection
                                 ? "application/json; odata.metadata=minimal; odata.streaming=true"
                                 : "application/json; odata.metadata=minimal");
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_bytes_new_take (data, len);
}

void
dv_response_set_text (DvResponse *resp,
                      guint       status,
                      const char *content_type,
                      const char *text)
{
  resp->status = status;
  g_free (resp->content_type);
  resp->content_type = g_strdup (content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_bytes_new (text, strlen (text));
}

void
dv_response_error (DvResponse *resp,
                   guint       status,
                   const char *code,
                   const char *format,
                   ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  /* An error replaces whatever a handler had prepared. */
  soup_message_headers_remove (resp->headers, "Preference-Applied");
  soup_message_headers_remove (resp->headers, "OData-EntityId");
  dv_response_set_json (resp, status, root, FALSE);
}

void
dv_response_method_not_allowed (DvResponse *resp,
                                DvRequest  *req)
{
  dv_response_error (resp, SOUP_STATUS_METHOD_NOT_ALLOWED, "0x80060888",
                     "The HTTP method '%s' is not allowed on this resource.", req->method);
}

void
dv_response_add_preference (DvResponse *resp,
                            const char *preference)
{
  soup_message_headers_append (resp->headers, "Preference-Applied", preference);
}

/* ---- small helpers ------------------------------------------------------ */

char *
dv_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
dv_is_guid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

char *
dv_server_entity_url (DvServer *self,
                      DvTable           *table,
                      const char        *id)
{
  return g_strdup_printf ("%s/%s(%s)", self->api_root, table->entity_set, id);
}

/* ---- requests ----------------------------------------------------------- */

/* Splits a Prefer header into its preferences, keeping quoted commas. */
static void
parse_prefer (DvPrefer   *prefer,
              const char *header)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = header; ; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted))
        {
          g_ptr_array_add (items, g_strstrip (g_string_free (cur, FALSE)));
          if (*p == '\0')
            break;
          cur = g_string_new (NULL);
          continue;
        }
      if (*p == '"')
        quoted = !quoted;
      g_string_append_c (cur, *p);
    }

  for (guint i = 0; i < items->len; i++)
    {
      char *item = g_ptr_array_index (items, i);
      char *eq = strchr (item, '=');
      g_autofree char *name = g_strstrip (g_strndup (item, eq ? (gsize) (eq - item) : strlen (item)));
      g_autofree char *value = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;

      if (value != NULL && value[0] == '"')
        {
          gsize len = strlen (value);

          memmove (value, value + 1, len);
          if (len >= 2 && value[len - 2] == '"')
            value[len - 2] = '\0';
        }

      if (g_ascii_strcasecmp (name, "return") == 0)
        prefer->return_representation = g_strcmp0 (value, "representation") == 0;
      else if (g_ascii_strcasecmp (name, "odata.track-changes") == 0)
        prefer->track_changes = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.continue-on-error") == 0
               || g_ascii_strcasecmp (name, "continue-on-error") == 0)
        prefer->continue_on_error = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.maxpagesize") == 0 && value != NULL)
        {
          gint64 n = g_ascii_strtoll (value, NULL, 10);

          /* Larger values are not honoured (notes §4). */
          if (n > 0)
            prefer->maxpagesize = (int) MIN (n, DV_MAX_PAGE_SIZE);
        }
      else if (g_ascii_strcasecmp (name, "odata.include-annotations") == 0 && value != NULL)
        {
          gboolean all = strstr (value, "*") != NULL && (g_str_equal (value, "*") || strstr (value, ".*") != NULL);

          g_free (prefer->annotations);
          prefer->annotations = g_strdup (value);
          prefer->formatted_values = g_str_equal (value, "*")
                                     || strstr (value, "FormattedValue") != NULL
                                     || strstr (value, "OData.Community.Display.V1.*") != NULL;
          prefer->lookup_annotations = g_str_equal (value, "*")
                                       || strstr (value, "lookuplogicalname") != NULL
                                       || strstr (value, "associatednavigationproperty") != NULL
                                       || (all && strstr (value, "Microsoft.Dynamics.CRM.*") != NULL);
          prefer->total_count = g_str_equal (value, "*")
                                || strstr (value, "totalrecordcount") != NULL
                                || (all && strstr (value, "Microsoft.Dynamics.CRM.*") != NULL);
        }
    }
}

DvRequest *
dv_request_new (const char         *method,
                const char         *path_and_query,
                SoupMessageHeaders *headers,
                GBytes             *body)
{
  DvRequest *req = g_new0 (DvRequest, 1);
  const char *q = strchr (path_and_query, '?');
  const char *prefer;

  req->method = g_strdup (method);
  req->raw_path = q ? g_strndup (path_and_query, q - path_and_query) : g_strdup (path_and_query);
  req->raw_query = q && q[1] ? g_strdup (q + 1) : NULL;
  req->query = req->raw_query ? soup_form_decode (req->raw_query)
                              : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->segments = g_strsplit (req->raw_path, "/", -1);
  for (guint i = 0; req->segments[i] != NULL; i++)
    {
      char *decoded = g_uri_unescape_string (req->segments[i], NULL);

      if (decoded != NULL)
        {
          g_free (req->segments[i]);
          req->segments[i] = decoded;
        }
    }
  req->headers = headers ? soup_message_headers_ref (headers)
                         : soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  req->body = body ? g_bytes_ref (body) : g_bytes_new_static ("", 0);

  prefer = soup_message_headers_get_list (req->headers, "Prefer");
  if (prefer != NULL)
    parse_prefer (&req->prefer, prefer);
  return req;
}

void
dv_request_free (DvRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->method);
  g_strfreev (req->segments);
  g_free (req->raw_path);
  g_free (req->raw_query);
  g_hash_table_unref (req->query);
  soup_message_headers_unref (req->headers);
  g_bytes_unref (req->body);
  g_free (req->prefer.annotations);
  g_clear_pointer (&req->content_ids, g_hash_table_unref);
  g_free (req);
}

GPtrArray *
dv_split_outside_parens (const char *text,
                         char        sep)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  int depth = 0;
  const char *start = text;

  for (const char *p = text; ; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      if (*p == '\0' || (*p == sep && depth == 0))
        {
          char *item = g_strstrip (g_strndup (start, p - start));

          if (*item != '\0')
            g_ptr_array_add (items, item);
          else
            g_free (item);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return items;
}

JsonObject *
dv_request_json_object (DvRequest *req)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (req->body, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

const char *
dv_request_get_query (DvRequest  *req,
                      const char *name)
{
  return g_hash_table_lookup (req->query, name);
}
