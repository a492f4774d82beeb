/* dv-batch.c — $batch (notes §8): multipart/mixed requests with
 * change sets, Content-ID references, stop-at-first-error or
 * odata.continue-on-error, atomic change sets (undone through the undo
 * log), and the multipart answer with parts in request order.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

typedef struct
{
  char               *method;
  char               *url;
  char               *content_id;
  SoupMessageHeaders *headers;
  GBytes             *body;
} BatchOp;

typedef struct
{
  GPtrArray *ops;            /* BatchOp* */
  gboolean   is_changeset;
} BatchItem;

static void
batch_op_free (BatchOp *op)
{
  g_free (op->method);
  g_free (op->url);
  g_free (op->content_id);
  soup_message_headers_unref (op->headers);
  g_bytes_unref (op->body);
  g_free (op);
}

static void
batch_item_free (BatchItem *item)
{
  g_ptr_array_unref (item->ops);
  g_free (item);
}

/* ---- parsing ------------------------------------------------------------ */

/* The next line of [*p, end), without its CR LF or LF. */
static gboolean
next_line (const char **p,
           const char  *end,
           const char **line,
           gsize       *len)
{
  const char *nl;

  if (*p >= end)
    return FALSE;
  nl = memchr (*p, '\n', end - *p);
  *line = *p;
  *len = (nl ? nl : end) - *p;
  *p = nl ? nl + 1 : end;
  if (*len > 0 && (*line)[*len - 1] == '\r')
    (*len)--;
  return TRUE;
}

/* Reads "Name: value" lines up to a blank line into @headers. */
static void
read_headers (const char         **p,
              const char          *end,
              SoupMessageHeaders  *headers)
{
  const char *line;
  gsize len;

  while (next_line (p, end, &line, &len) && len > 0)
    {
      const char *colon = memchr (line, ':', len);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_strstrip (g_strndup (line, colon - line));
      value = g_strstrip (g_strndup (colon + 1, len - (colon - line) - 1));
      soup_message_headers_append (headers, name, value);
    }
}

/* Splits a multipart body into its parts (each without the line break
 * that belongs to the next delimiter). */
static GPtrArray *
split_multipart (const char *data,
                 gsize       size,
                 const char *boundary)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *delim = g_strconcat ("--", boundary, NULL);
  gsize dlen = strlen (delim);
  const char *end = data + size;
  const char *p = data;
  const char *part_start = NULL;

  for (;;)
    {
      const char *hit = NULL;

      /* A delimiter starts a line. */
      for (const char *q = p; q + dlen <= end; q++)
        {
          q = memchr (q, '-', end - q);
          if (q == NULL || q + dlen > end)
            break;
          if (memcmp (q, delim, dlen) == 0 && (q == data || q[-1] == '\n'))
            {
              hit = q;
              break;
            }
        }
      if (hit == NULL)
        break;
      if (part_start != NULL)
        {
          const char *part_end = hit;

          if (part_end > part_start && part_end[-1] == '\n')
            part_end--;
          if (part_end > part_start && part_end[-1] == '\r')
            part_end--;
          g_ptr_array_add (parts, g_bytes_new (part_start, part_end - part_start));
        }
      p = hit + dlen;
      if (p + 2 <= end && p[0] == '-' && p[1] == '-')
        break;
      /* Skip the rest of the delimiter line. */
      while (p < end && *p != '\n')
        p++;
      if (p < end)
        p++;
      part_start = p;
    }
  return parts;
}

static char *
boundary_of (SoupMessageHeaders *headers)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);

  if (type == NULL || g_ascii_strcasecmp (type, "multipart/mixed") != 0 || params == NULL)
    return NULL;
  return g_strdup (g_hash_table_lookup (params, "boundary"));
}

/* Parses one application/http part into an operation. */
static BatchOp *
parse_op (GBytes             *part,
          SoupMessageHeaders *part_headers,
          const char         *after_headers)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (part, &size);
  const char *end = data + size;
  const char *p = after_headers;
  const char *line;
  gsize len;
  g_auto(GStrv) words = NULL;
  g_autofree char *request_line = NULL;
  BatchOp *op;

  /* Skip blank lines before the request line. */
  do
    {
      if (!next_line (&p, end, &line, &len))
        return NULL;
    }
  while (len == 0);
  request_line = g_strndup (line, len);
  words = g_strsplit (request_line, " ", 3);
  if (g_strv_length (words) < 2)
    return NULL;

  op = g_new0 (BatchOp, 1);
  op->method = g_ascii_strup (words[0], -1);
  op->url = g_strdup (words[1]);
  op->content_id = g_strdup (soup_message_headers_get_one (part_headers, "Content-ID"));
  op->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  read_headers (&p, end, op->headers);
  op->body = g_bytes_new (p, end - p);
  return op;
}

/* Parses the batch body into items; NULL with a 400 on a bad body. */
static GPtrArray *
parse_batch (DvRequest  *req,
             guint      *n_ops,
             DvResponse *resp)
{
  g_autofree char *boundary = boundary_of (req->headers);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_item_free);
  g_autoptr(GPtrArray) parts = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (req->body, &size);

  *n_ops = 0;
  if (boundary == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "A $batch request needs Content-Type: multipart/mixed with a boundary.");
      return NULL;
    }
  parts = split_multipart (data, size, boundary);
  for (guint i = 0; i < parts->len; i++)
    {
      GBytes *part = g_ptr_array_index (parts, i);
      gsize psize = 0;
      const char *pdata = g_bytes_get_data (part, &psize);
      const char *p = pdata;
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      g_autofree char *cs_boundary = NULL;
      BatchItem *item = g_new0 (BatchItem, 1);

      item->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_op_free);
      g_ptr_array_add (items, item);
      read_headers (&p, pdata + psize, headers);
      cs_boundary = boundary_of (headers);
      if (cs_boundary != NULL)
        {
          g_autoptr(GPtrArray) inner = split_multipart (p, pdata + psize - p, cs_boundary);

          item->is_changeset = TRUE;
          for (guint k = 0; k < inner->len; k++)
            {
              GBytes *ipart = g_ptr_array_index (inner, k);
              gsize isize = 0;
              const char *idata = g_bytes_get_data (ipart, &isize);
              const char *ip = idata;
              g_autoptr(SoupMessageHeaders) iheaders = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
              BatchOp *op;

              read_headers (&ip, idata + isize, iheaders);
              if ((op = parse_op (ipart, iheaders, ip)) == NULL)
                goto bad_part;
              g_ptr_array_add (item->ops, op);
            }
        }
      else
        {
          BatchOp *op = parse_op (part, headers, p);

          if (op == NULL)
            goto bad_part;
          g_ptr_array_add (item->ops, op);
        }
      *n_ops += item->ops->len;
    }
  return g_steal_pointer (&items);

bad_part:
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                     "A part of the $batch request is not a valid HTTP request "
                     "(expected Content-Type: application/http and a request line).");
  return NULL;
}

/* ---- execution ---------------------------------------------------------- */

/* Makes an operation's URL relative to the API root, resolving "$n". */
static char *
relative_url (DvServer *self,
              BatchOp           *op,
              GHashTable        *content_ids,
              DvResponse        *resp)
{
  const char *url = op->url;
  g_autofree char *expanded = NULL;
  const char *api;

  if (url[0] == '$' && g_ascii_isdigit (url[1]))
    {
      const char *rest = url + 1;
      g_autofree char *id = NULL;
      const char *target;

      while (g_ascii_isdigit (*rest))
        rest++;
      id = g_strndup (url + 1, rest - url - 1);
      target = g_hash_table_lookup (content_ids, id);
      if (target == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Content-ID Reference: '$%s' does not exist in the batch context.", id);
          return NULL;
        }
      expanded = g_strconcat (target, rest, NULL);
      url = expanded;
    }

  api = strstr (url, DV_API_PATH);
  if (api != NULL)
    return g_strdup (api + strlen (DV_API_PATH));
  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://") || url[0] == '/')
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "The $batch part URL '%s' is not under " DV_API_PATH ".", url);
      return NULL;
    }
  return g_strdup (url);
}

static DvResponse *
execute_op (DvServer *self,
            BatchOp           *op,
            GHashTable        *content_ids,
            gboolean           in_changeset)
{
  DvResponse *resp = dv_response_new ();
  g_autofree char *rel = NULL;
  DvRequest *sub;

  if (in_changeset && g_str_equal (op->method, "GET"))
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "GET requests are not allowed inside a change set.");
      return resp;
    }
  if ((rel = relative_url (self, op, content_ids, resp)) == NULL)
    return resp;

  sub = dv_request_new (op->method, rel, op->headers, op->body);
  sub->content_ids = g_hash_table_ref (content_ids);
  dv_server_execute (self, sub, resp);
  dv_request_free (sub);

  if (resp->status < 400 && op->content_id != NULL && resp->entity_url != NULL)
    g_hash_table_insert (content_ids, g_strdup (op->content_id), g_strdup (resp->entity_url));
  return resp;
}

static void
append_part (GString    *out,
             const char *boundary,
             const char *content_id,
             DvResponse *resp)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (out, "--%s\r\nContent-Type: application/http\r\n"
                               "Content-Transfer-Encoding: binary\r\n", boundary);
  if (content_id != NULL)
    g_string_append_printf (out, "Content-ID: %s\r\n", content_id);
  g_string_append_printf (out, "\r\nHTTP/1.1 %u %s\r\n", resp->status,
                          resp->status == 429 ? "Too Many Requests" : soup_status_get_phrase (resp->status));
  if (resp->content_type != NULL)
    g_string_append_printf (out, "Content-Type: %s\r\n", resp->content_type);
  g_string_append (out, "OData-Version: 4.0\r\n");
  if (resp->status == SOUP_STATUS_NO_CONTENT && resp->entity_url != NULL)
    g_string_append_printf (out, "Location: %s\r\n", resp->entity_url);
  soup_message_headers_iter_init (&iter, resp->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append (out, "\r\n");
  if (resp->body != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (resp->body, &len);

      g_string_append_len (out, data, len);
    }
  g_string_append (out, "\r\n");
}

/* Runs a request outside a change set and appends its answer; FALSE when
 * it failed. */
static gboolean
run_single (DvServer    *self,
            BatchItem   *item,
            GHashTable  *content_ids,
            GString     *out,
            const char  *boundary)
{
  BatchOp *op = g_ptr_array_index (item->ops, 0);
  DvResponse *part = execute_op (self, op, content_ids, FALSE);
  gboolean ok = part->status < 400;

  append_part (out, boundary, op->content_id, part);
  dv_response_free (part);
  return ok;
}

/* Runs a change set, all or nothing: its answers in a part of their own,
 * or, when one request fails, everything undone and only that request's
 * error. FALSE when it failed. */
static gboolean
run_changeset (DvServer    *self,
               BatchItem   *item,
               GHashTable  *content_ids,
               GString     *out,
               const char  *boundary)
{
  g_autofree char *cs_uuid = g_uuid_string_random ();
  g_autofree char *cs_boundary = g_strconcat ("changesetresponse_", cs_uuid, NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) dv_response_free);
  DvUndoLog *undo = dv_undo_begin (self);
  DvResponse *failure = NULL;
  BatchOp *failed_op = NULL;

  self->undo = undo;
  for (guint k = 0; k < item->ops->len && failure == NULL; k++)
    {
      BatchOp *op = g_ptr_array_index (item->ops, k);
      DvResponse *part = execute_op (self, op, content_ids, TRUE);

      g_ptr_array_add (parts, part);
      if (part->status >= 400)
        {
          failure = part;
          failed_op = op;
        }
    }
  self->undo = NULL;

  if (failure != NULL)
    {
      dv_undo_rollback (self, undo);
      for (guint k = 0; k < item->ops->len; k++)
        {
          BatchOp *op = g_ptr_array_index (item->ops, k);

          if (op->content_id != NULL)
            g_hash_table_remove (content_ids, op->content_id);
        }
      append_part (out, boundary, failed_op->content_id, failure);
    }
  else
    {
      g_string_append_printf (out, "--%s\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n",
                              boundary, cs_boundary);
      for (guint k = 0; k < parts->len; k++)
        append_part (out, cs_boundary, ((BatchOp *) g_ptr_array_index (item->ops, k))->content_id,
                     g_ptr_array_index (parts, k));
      g_string_append_printf (out, "--%s--\r\n", cs_boundary);
    }
  dv_undo_free (undo);
  return failure == NULL;
}

void
dv_handle_batch (DvServer   *self,
                 DvRequest  *req,
                 DvResponse *resp)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) content_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = g_strconcat ("batchresponse_", uuid, NULL);
  gboolean continue_on_error = req->prefer.continue_on_error;
  GString *out;
  guint status = SOUP_STATUS_OK;
  guint n_ops = 0;

  items = parse_batch (req, &n_ops, resp);
  if (items == NULL)
    return;
  self->stats.batch_parts += n_ops;
  if (n_ops > DV_MAX_BATCH_PARTS)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "The batch has %u requests; the maximum number of requests in a batch is %u.",
                         n_ops, DV_MAX_BATCH_PARTS);
      return;
    }

  out = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      BatchItem *item = g_ptr_array_index (items, i);
      gboolean ok = item->is_changeset ? run_changeset (self, item, content_ids, out, boundary)
                                       : run_single (self, item, content_ids, out, boundary);

      /* By default the batch stops at a failure and answers 400 (notes
       * §8). INFER: the parts that already ran stay in the answer ahead
       * of the failure, so a client can tell what happened. */
      if (!ok && !continue_on_error)
        {
          status = SOUP_STATUS_BAD_REQUEST;
          break;
        }
    }
  g_string_append_printf (out, "--%s--\r\n", boundary);

  resp->status = status;
  g_free (resp->content_type);
  resp->content_type = g_strdup_printf ("multipart/mixed; boundary=%s", boundary);
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_string_free_to_bytes (out);
  if (continue_on_error)
    dv_response_add_preference (resp, "odata.continue-on-error");
}
