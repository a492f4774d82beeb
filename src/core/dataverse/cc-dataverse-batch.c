/* cc-dataverse-batch.c — Dataverse $batch: the multipart request out, one
 * result per operation back.
 *
 * The format is OData 4.0 multipart/mixed (the only one Dataverse
 * documents): every operation is an application/http part; with
 * CC_DATAVERSE_BATCH_ATOMIC they sit in one change set. The answer's
 * boundary is read from its Content-Type, parts come back in request
 * order, change-set answers nested one level down.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-dataverse-client-private.h"

CcDataverseOp *
cc_dataverse_op_new (const char *method,
                     const char *url,
                     JsonObject *body)
{
  CcDataverseOp *op;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  op = g_new0 (CcDataverseOp, 1);
  op->method = g_strdup (method);
  op->url = g_strdup (url);
  op->body = body ? json_object_ref (body) : NULL;
  return op;
}

void
cc_dataverse_op_free (CcDataverseOp *op)
{
  if (op == NULL)
    return;
  g_free (op->method);
  g_free (op->url);
  g_clear_pointer (&op->body, json_object_unref);
  g_free (op->if_match);
  g_free (op->if_none_match);
  g_free (op->content_id);
  g_free (op);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

static char *
content_id_of (CcDataverseOp *op,
               guint          index)
{
  return op->content_id ? g_strdup (op->content_id) : g_strdup_printf ("%u", index + 1);
}

static void
append_operation (CcDataverseClient *self,
                  GString           *out,
                  const char        *boundary,
                  CcDataverseOp     *op,
                  const char        *content_id)
{
  g_autofree char *url = NULL;

  g_string_append_printf (out, "--%s\r\n", boundary);
  g_string_append (out, "Content-Type: application/http\r\n"
                        "Content-Transfer-Encoding: binary\r\n");
  if (content_id != NULL)
    g_string_append_printf (out, "Content-ID: %s\r\n", content_id);
  g_string_append (out, "\r\n");

  /* "$1/…" refers to an earlier operation's result and stays as it is. */
  url = op->url[0] == '$' ? g_strdup (op->url) : cc_dataverse_client_resolve (self, op->url);
  g_string_append_printf (out, "%s %s HTTP/1.1\r\n", op->method, url);
  g_string_append (out, "Accept: application/json\r\n");
  if (op->if_match != NULL)
    g_string_append_printf (out, "If-Match: %s\r\n", op->if_match);
  if (op->if_none_match != NULL)
    g_string_append_printf (out, "If-None-Match: %s\r\n", op->if_none_match);
  if (op->body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *json = NULL;

      json_node_set_object (node, op->body);
      json = json_to_string (node, FALSE);
      g_string_append (out, "Content-Type: application/json; type=entry\r\n\r\n");
      g_string_append (out, json);
      g_string_append (out, "\r\n");
    }
  else
    g_string_append (out, "\r\n");
}

static GBytes *
build_body (CcDataverseClient     *self,
            GPtrArray             *ops,
            CcDataverseBatchFlags  flags,
            const char            *batch_boundary)
{
  GString *out = g_string_sized_new (512 * ops->len);
  gsize len;

  if (flags & CC_DATAVERSE_BATCH_ATOMIC)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *changeset = g_strconcat ("changeset_", uuid, NULL);

      g_string_append_printf (out, "--%s\r\n", batch_boundary);
      g_string_append_printf (out, "Content-Type: multipart/mixed; boundary=%s\r\n\r\n", changeset);
      for (guint i = 0; i < ops->len; i++)
        {
          CcDataverseOp *op = g_ptr_array_index (ops, i);
          /* A change set requires a Content-ID on every part. */
          g_autofree char *content_id = content_id_of (op, i);

          append_operation (self, out, changeset, op, content_id);
        }
      g_string_append_printf (out, "--%s--\r\n", changeset);
    }
  else
    {
      for (guint i = 0; i < ops->len; i++)
        {
          CcDataverseOp *op = g_ptr_array_index (ops, i);

          append_operation (self, out, batch_boundary, op, op->content_id);
        }
    }
  g_string_append_printf (out, "--%s--\r\n", batch_boundary);

  len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), len);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

typedef struct
{
  char              *content_id;
  CcDataverseResult *result;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->content_id);
  g_clear_pointer (&answer->result, cc_dataverse_result_free);
  g_free (answer);
}

/* One application/http part: "HTTP/1.1 204 No Content", headers, a blank
 * line, maybe a body. */
static CcDataverseResult *
parse_http_part (GBytes  *part,
                 GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (part, &len);
  const char *end_crlf = NULL;
  const char *end_lf = NULL;
  const char *head_end;
  const char *body;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *head_copy = NULL;
  guint status = 0;

  /* Skip blank lines some servers put before the status line. */
  while (len > 0 && (*data == '\r' || *data == '\n'))
    data++, len--;

  end_crlf = g_strstr_len (data, len, "\r\n\r\n");
  end_lf = g_strstr_len (data, len, "\n\n");
  /* The header block handed to libsoup keeps its last line's end but
   * not the blank line. */
  if (end_crlf != NULL && (end_lf == NULL || end_crlf < end_lf))
    {
      head_end = end_crlf + 2;
      body = end_crlf + 4;
    }
  else if (end_lf != NULL)
    {
      head_end = end_lf + 1;
      body = end_lf + 2;
    }
  else
    {
      head_end = data + len;
      body = data + len;
    }

  /* A part that is only a status line still needs its line end. */
  if (head_end == data + len)
    head_copy = g_strdup_printf ("%.*s\r\n", (int) len, data);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (!soup_headers_parse_response (head_copy ? head_copy : data,
                                    head_copy ? (int) strlen (head_copy) : (int) (head_end - data),
                                    headers, NULL, &status, &reason))
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("Dynamics 365 answered a $batch with a part that is not an HTTP response"));
      return NULL;
    }
  return cc_dataverse_result_new (status, reason, headers, body, data + len - body);
}

static gboolean
is_multipart (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, "multipart/mixed") == 0;
}

static gboolean
parse_multipart (SoupMessageHeaders *headers,
                 GBytes             *body,
                 GPtrArray          *answers,
                 guint               depth,
                 GError            **error)
{
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) copy = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  gboolean pad = len < 2 || data[len - 2] != '\r' || data[len - 1] != '\n';
  char *text = g_malloc (len + 3);

  /* libsoup only sees a closing delimiter that has something after it,
   * and a change set's body ends right at its "--boundary--" (the line
   * end belongs to the outer delimiter): give it one. And libsoup 3.2
   * looks for the end of a part's headers with strstr (), past the end
   * of the body when it holds none: a NUL after the last byte stops it. */
  if (len > 0)
    memcpy (text, data, len);
  if (pad)
    memcpy (text + len, "\r\n", 2);
  text[len + (pad ? 2 : 0)] = '\0';
  copy = g_bytes_new_take (text, len + (pad ? 2 : 0));

  multipart = soup_multipart_new_from_message (headers, copy);
  if (multipart == NULL)
    {
      g_debug ("Unreadable $batch answer (%s): %.*s",
               soup_message_headers_get_content_type (headers, NULL),
               (int) MIN (g_bytes_get_size (body), 4000), (const char *) g_bytes_get_data (body, NULL));
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("Dynamics 365 answered a $batch with a multipart body that cannot be read"));
      return FALSE;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers = NULL;
      GBytes *part_body = NULL;
      Answer *answer;
      CcDataverseResult *result;

      soup_multipart_get_part (multipart, i, &part_headers, &part_body);
      /* libsoup 3.2 can cut a part that ends before it starts out of a
       * malformed body: its length wraps around. */
      if (g_bytes_get_size (part_body) > len)
        {
          g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                       _("Dynamics 365 answered a $batch with a multipart body that cannot be read"));
          return FALSE;
        }

      if (is_multipart (part_headers))
        {
          /* A change set's answers; change sets do not nest further. */
          if (depth > 0 || !parse_multipart (part_headers, part_body, answers, depth + 1, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                             _("Dynamics 365 answered a $batch with nested change sets"));
              return FALSE;
            }
          continue;
        }

      result = parse_http_part (part_body, error);
      if (result == NULL)
        return FALSE;
      answer = g_new0 (Answer, 1);
      answer->content_id = g_strdup (soup_message_headers_get_one (part_headers, "Content-ID"));
      answer->result = result;
      g_ptr_array_add (answers, answer);
    }
  return TRUE;
}

/* Puts each answer with its operation: by Content-ID where the answer
 * carries one that matches, else in order. */
static GPtrArray *
match_answers (GPtrArray             *ops,
               GPtrArray             *answers,
               CcDataverseBatchFlags  flags)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_full (ops->len, (GDestroyNotify) cc_dataverse_result_free);
  g_auto(GStrv) ids = g_new0 (char *, ops->len + 1);
  gboolean any_failed = FALSE;
  guint next = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      g_ptr_array_add (results, NULL);
      ids[i] = content_id_of (g_ptr_array_index (ops, i), i);
    }

  for (guint a = 0; a < answers->len; a++)
    {
      Answer *answer = g_ptr_array_index (answers, a);
      guint slot = G_MAXUINT;

      if (answer->content_id != NULL)
        for (guint i = 0; i < ops->len; i++)
          if (results->pdata[i] == NULL && g_strcmp0 (ids[i], answer->content_id) == 0)
            {
              slot = i;
              break;
            }
      if (slot == G_MAXUINT)
        {
          while (next < ops->len && results->pdata[next] != NULL)
            next++;
          if (next >= ops->len)
            break;
          slot = next;
        }

      if (!cc_dataverse_result_is_success (answer->result))
        any_failed = TRUE;
      answer->result->content_id = g_strdup (ids[slot]);
      results->pdata[slot] = g_steal_pointer (&answer->result);
    }

  for (guint i = 0; i < ops->len; i++)
    {
      CcDataverseResult *result;

      if (results->pdata[i] != NULL)
        continue;
      result = g_new0 (CcDataverseResult, 1);
      result->content_id = g_strdup (ids[i]);
      if ((flags & CC_DATAVERSE_BATCH_ATOMIC) && any_failed)
        result->message = g_strdup (_("Not applied: another operation of the same change set failed"));
      else
        result->message = g_strdup (_("Not executed: the batch stopped at an earlier error"));
      results->pdata[i] = result;
    }
  return g_steal_pointer (&results);
}

/* The service refused the batch as a whole (e.g. it stopped at the first
 * failing operation without odata.continue-on-error): which operation
 * failed cannot be told, so every result carries that answer. */
static GPtrArray *
whole_batch_failed (GPtrArray      *ops,
                    CcHttpResponse *response)
{
  GPtrArray *results = g_ptr_array_new_full (ops->len, (GDestroyNotify) cc_dataverse_result_free);
  gsize len;
  const char *data = g_bytes_get_data (response->body, &len);

  for (guint i = 0; i < ops->len; i++)
    {
      CcDataverseResult *result = cc_dataverse_result_new (response->status, response->reason,
                                                           NULL, data, len);

      result->content_id = content_id_of (g_ptr_array_index (ops, i), i);
      g_ptr_array_add (results, result);
    }
  return results;
}

GPtrArray *
cc_dataverse_client_read_batch_answer (GPtrArray             *ops,
                                       CcDataverseBatchFlags  flags,
                                       CcHttpResponse        *response,
                                       GError               **error)
{
  g_autoptr(GPtrArray) answers = NULL;

  if (!is_multipart (response->headers) && SOUP_STATUS_IS_CLIENT_ERROR (response->status))
    return whole_batch_failed (ops, response);
  if (!is_multipart (response->headers))
    {
      g_autofree char *message = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, response);

      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("%s (expected a multipart answer)"), message);
      return NULL;
    }

  answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free);
  if (!parse_multipart (response->headers, response->body, answers, 0, error))
    return NULL;
  return match_answers (ops, answers, flags);
}

/* A batch may be sent again when every operation may: upserts, updates
 * and deletes by key (GET, PATCH, PUT, DELETE), not a create (POST). */
static gboolean
ops_repeatable (GPtrArray *ops)
{
  for (guint i = 0; i < ops->len; i++)
    if (g_ascii_strcasecmp (((CcDataverseOp *) g_ptr_array_index (ops, i))->method, "POST") == 0)
      return FALSE;
  return TRUE;
}

GPtrArray *
cc_dataverse_client_batch (CcDataverseClient     *self,
                           GPtrArray             *ops,
                           CcDataverseBatchFlags  flags,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *content_type = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (ops != NULL, NULL);

  if (ops->len == 0 || ops->len > CC_DATAVERSE_MAX_BATCH_OPS)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                   _("A Dynamics 365 batch holds 1 to %u operations, not %u"),
                   CC_DATAVERSE_MAX_BATCH_OPS, ops->len);
      return NULL;
    }

  uuid = g_uuid_string_random ();
  boundary = g_strconcat ("batch_", uuid, NULL);
  body = build_body (self, ops, flags, boundary);
  content_type = g_strdup_printf ("multipart/mixed; boundary=%s", boundary);

  request = cc_dataverse_client_new_request (self, "POST", "$batch");
  cc_http_request_set_expect_json (request, FALSE);
  cc_http_request_set_repeatable (request, ops_repeatable (ops));
  cc_http_request_set_body (request, content_type, body);
  if (flags & CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR)
    cc_http_request_set_header (request, "Prefer", "odata.continue-on-error");
  cc_http_request_set_yield_when_held (request, (flags & CC_DATAVERSE_BATCH_YIELD_WHEN_HELD) != 0);

  response = cc_http_send (cc_dataverse_client_get_http (self), request, cancellable, error);
  if (response == NULL)
    return NULL;
  if (!cc_dataverse_client_check_access (self, response, error))
    return NULL;
  return cc_dataverse_client_read_batch_answer (ops, flags, response, error);
}
