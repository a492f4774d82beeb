/* dv-query.c — reading: query options ($select, $filter,
 * $orderby, $top, $count), server-driven paging with an opaque
 * $skiptoken, single rows and /$count. The initial read of a tracked query
 * is served here too; deltaLinks are in dv-delta.c.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

void
dv_query_clear (DvQuery *q)
{
  g_clear_pointer (&q->select, g_ptr_array_unref);
  g_clear_pointer (&q->expand, g_ptr_array_unref);
  g_clear_pointer (&q->filter, dv_odata_filter_free);
  g_clear_pointer (&q->order, g_array_unref);
  g_clear_pointer (&q->state.keys, json_array_unref);
}

/* ---- paging cookie ------------------------------------------------------ */

char *
dv_paging_encode (const DvPagingState *state)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *b64 = NULL;

  json_object_set_int_member (obj, "p", state->page);
  json_object_set_int_member (obj, "s", (gint64) state->after_seq);
  if (state->keys != NULL)
    json_object_set_array_member (obj, "k", json_array_ref (state->keys));
  json_object_set_boolean_member (obj, "t", state->tracking);
  json_object_set_boolean_member (obj, "d", state->delta);
  json_object_set_int_member (obj, "v", state->snapshot);
  json_object_set_int_member (obj, "ph", state->phase);
  json_object_set_int_member (obj, "av", state->after_version);
  root = json_node_init_object (json_node_alloc (), obj);
  json = json_to_string (root, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  /* Shaped like the real paging cookie; only we read what is inside. */
  return g_strdup_printf ("<cookie pagenumber=\"%" G_GINT64_FORMAT "\" pagingcookie=\"%s\" istracking=\"%s\" />",
                          state->page, b64, state->tracking || state->delta ? "True" : "False");
}

static gboolean
decode_state (const char  *token,
              DvPagingState *state)
{
  const char *start = strstr (token, "pagingcookie=\"");
  const char *end;
  g_autofree char *b64 = NULL;
  g_autofree guchar *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  JsonObject *obj;
  JsonNode *keys;

  if (start == NULL)
    return FALSE;
  start += strlen ("pagingcookie=\"");
  end = strchr (start, '"');
  if (end == NULL)
    return FALSE;
  b64 = g_strndup (start, end - start);
  json = g_base64_decode (b64, &len);
  if (len == 0 || !json_parser_load_from_data (parser, (const char *) json, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  obj = json_node_get_object (json_parser_get_root (parser));
  state->page = json_object_get_int_member_with_default (obj, "p", 2);
  state->after_seq = (guint64) json_object_get_int_member_with_default (obj, "s", 0);
  state->tracking = json_object_get_boolean_member_with_default (obj, "t", FALSE);
  state->delta = json_object_get_boolean_member_with_default (obj, "d", FALSE);
  state->snapshot = json_object_get_int_member_with_default (obj, "v", 0);
  state->phase = json_object_get_int_member_with_default (obj, "ph", 0);
  state->after_version = json_object_get_int_member_with_default (obj, "av", 0);
  keys = json_object_get_member (obj, "k");
  if (keys != NULL && JSON_NODE_HOLDS_ARRAY (keys))
    state->keys = json_array_ref (json_node_get_array (keys));
  return TRUE;
}

/* The request's own URL with one option replaced, as an absolute link. */
char *
dv_link_with (DvServer *self,
           DvRequest         *req,
           const char        *name,
           const char        *value)
{
  GString *url = g_string_new (self->api_root);
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_autofree char *encoded_name = g_strconcat ("%24", name + 1, "=", NULL);
  g_autofree char *plain_name = g_strconcat (name, "=", NULL);
  char sep = '?';

  g_string_append_printf (url, "/%s", req->raw_path);
  if (req->raw_query != NULL)
    {
      g_auto(GStrv) items = g_strsplit (req->raw_query, "&", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          if (items[i][0] == '\0' || g_str_has_prefix (items[i], plain_name)
              || g_ascii_strncasecmp (items[i], encoded_name, strlen (encoded_name)) == 0)
            continue;
          g_string_append_printf (url, "%c%s", sep, items[i]);
          sep = '&';
        }
    }
  g_string_append_printf (url, "%c%s=%s", sep, name, escaped);
  return g_string_free (url, FALSE);
}

/* ---- query options ------------------------------------------------------ */

static gboolean
resolve_column (const char  *property,
                DvOdataType *type,
                const char **enum_type,
                gpointer     user_data)
{
  DvColumn *column = dv_table_column (user_data, property);

  if (column == NULL)
    return FALSE;
  *type = dv_column_odata_type (column);
  return TRUE;
}

static JsonNode *
lookup_column (gconstpointer row,
               const char   *property,
               gpointer      user_data)
{
  return json_object_get_member (((const DvRow *) row)->data, property);
}

static gboolean
parse_orderby (DvTable    *table,
               const char *text,
               DvQuery      *q,
               DvResponse *resp)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  q->order = g_array_new (FALSE, FALSE, sizeof (DvOrderKey));
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (g_strstrip (items[i]), " ", -1);
      DvOrderKey key = { NULL, FALSE };
      guint n = g_strv_length (words);

      if (n == 0 || words[0][0] == '\0')
        continue;
      key.column = dv_table_column (table, words[0]);
      if (key.column == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Could not find a property named '%s' on type '" DV_NAMESPACE ".%s'.",
                             words[0], table->logical_name);
          return FALSE;
        }
      if (n > 2 || (n == 2 && !g_str_equal (words[1], "asc") && !g_str_equal (words[1], "desc")))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Syntax error in $orderby: '%s' must be a property optionally "
                             "followed by 'asc' or 'desc'.", items[i]);
          return FALSE;
        }
      key.descending = n == 2 && g_str_equal (words[1], "desc");
      g_array_append_val (q->order, key);
    }
  return TRUE;
}

/* Refuses the first query option the emulator does not take: $skip (it
 * pages only server-side, notes §3), options and aliases it does not
 * implement, and unknown $options. */
static gboolean
check_options (DvRequest  *req,
               DvResponse *resp)
{
  static const char *known[] = { "$select", "$filter", "$orderby", "$top", "$count",
                                 "$skiptoken", "$deltatoken", "$expand", "$apply", NULL };
  static const char *unimplemented[] = { "fetchXml", "savedQuery", "userQuery", NULL };
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;

      if (g_str_equal (name, "$skip"))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The query parameter $skip is not supported. Use "
                             "Prefer: odata.maxpagesize and follow @odata.nextLink.");
          return FALSE;
        }
      if (g_strv_contains (unimplemented, name) || name[0] == '@')
        {
          /* Real queries, answered by the service; answering them with the
           * whole table would pretend (parameter aliases: "@p1=…"). */
          dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x80060888",
                             "The sandbox does not implement the query %s '%s'.",
                             name[0] == '@' ? "parameter alias" : "option", name);
          return FALSE;
        }
      if (name[0] == '$' && !g_strv_contains (known, name))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The query parameter '%s' is not supported.", name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_filter (DvTable    *table,
              const char *value,
              DvQuery    *q,
              DvResponse *resp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *type_name = g_strconcat (DV_NAMESPACE ".", table->logical_name, NULL);

  q->filter = dv_odata_filter_parse (value, type_name, resolve_column, table, &error);
  if (q->filter != NULL)
    return TRUE;
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888", "%s", error->message);
  return FALSE;
}

/* $top, $count and $skiptoken. */
static gboolean
parse_paging (DvRequest  *req,
              DvQuery    *q,
              DvResponse *resp)
{
  const char *value;

  if ((value = dv_request_get_query (req, "$top")) != NULL)
    {
      char *end = NULL;

      q->top = g_ascii_strtoll (value, &end, 10);
      if (end == value || *end != '\0' || q->top < 0)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Invalid value '%s' for $top: a non-negative integer is expected.", value);
          return FALSE;
        }
    }
  if ((value = dv_request_get_query (req, "$count")) != NULL)
    {
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Invalid value '%s' for $count: 'true' or 'false' is expected.", value);
          return FALSE;
        }
      q->count = g_str_equal (value, "true");
    }
  if ((value = dv_request_get_query (req, "$skiptoken")) != NULL)
    {
      if (!decode_state (value, &q->state))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The $skiptoken is not valid. Follow @odata.nextLink exactly as returned.");
          return FALSE;
        }
      q->has_state = TRUE;
    }
  return TRUE;
}

static gboolean
parse_query (DvTable    *table,
             DvRequest  *req,
             DvQuery    *q,
             DvResponse *resp)
{
  const char *value;

  q->top = -1;
  if (!check_options (req, resp))
    return FALSE;
  if ((value = dv_request_get_query (req, "$select")) != NULL
      && (q->select = dv_parse_select (table, value, resp)) == NULL)
    return FALSE;
  if ((value = dv_request_get_query (req, "$filter")) != NULL
      && !parse_filter (table, value, q, resp))
    return FALSE;
  if ((value = dv_request_get_query (req, "$orderby")) != NULL
      && !parse_orderby (table, value, q, resp))
    return FALSE;
  if (!parse_paging (req, q, resp))
    return FALSE;
  q->deltatoken = dv_request_get_query (req, "$deltatoken");
  return TRUE;
}

/* The options change tracking refuses (notes §5), and the table's switch. */
gboolean
dv_check_tracking (DvTable    *table,
                DvRequest  *req,
                DvResponse *resp)
{
  static const char *refused[] = { "$filter", "$orderby", "$expand", "$top" };

  if (!table->change_tracking)
    {
      /* INFER: the service's exact words are not documented. */
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "Change tracking is not enabled for the entity '%s'. Enable "
                         "ChangeTrackingEnabled on the table to request changes.",
                         table->logical_name);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (dv_request_get_query (req, refused[i]) != NULL)
      {
        dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                           "The \"%s\" query parameter isn't supported when Change Tracking is enabled.",
                           refused[i]);
        return FALSE;
      }
  return TRUE;
}

/* $apply is refused as not implemented; $expand (after the change
 * tracking check, which refuses it first) is parsed here. */
static gboolean
check_shaping (DvTable    *table,
               DvQuery    *q,
               DvRequest  *req,
               DvResponse *resp)
{
  const char *expand = dv_request_get_query (req, "$expand");

  if (dv_request_get_query (req, "$apply") != NULL)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x80060888",
                         "The sandbox does not implement the query option $apply.");
      return FALSE;
    }
  return expand == NULL || (q->expand = dv_parse_expand (table->server, table, expand, resp)) != NULL;
}

/* ---- ordering ----------------------------------------------------------- */

typedef struct
{
  DvRow  *row;
  char  **folded;   /* per order key: casefolded string, or NULL */
} SortItem;

static int
compare_key (DvOrderKey   *key,
             JsonNode   *a,
             const char *fa,
             JsonNode   *b,
             const char *fb)
{
  int cmp;

  if (dv_column_odata_type (key->column) == DV_ODATA_TYPE_STRING
      && a != NULL && !JSON_NODE_HOLDS_NULL (a) && b != NULL && !JSON_NODE_HOLDS_NULL (b))
    cmp = strcmp (fa ? fa : "", fb ? fb : "");
  else
    cmp = dv_odata_compare_values (dv_column_odata_type (key->column), a, b);
  return key->descending ? -cmp : cmp;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const SortItem *x = a, *y = b;
  GArray *order = data;

  for (guint i = 0; i < order->len; i++)
    {
      DvOrderKey *key = &g_array_index (order, DvOrderKey, i);
      int cmp = compare_key (key,
                             json_object_get_member (x->row->data, key->column->property), x->folded[i],
                             json_object_get_member (y->row->data, key->column->property), y->folded[i]);

      if (cmp != 0)
        return cmp;
    }
  return x->row->seq < y->row->seq ? -1 : x->row->seq > y->row->seq ? 1 : 0;
}

static char *
fold_value (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_utf8_casefold (json_node_get_string (node), -1);
}

/* Whether @item sorts after the position a cookie recorded. */
static gboolean
item_after_state (SortItem    *item,
                  GArray      *order,
                  DvPagingState *state)
{
  for (guint i = 0; i < order->len; i++)
    {
      DvOrderKey *key = &g_array_index (order, DvOrderKey, i);
      JsonNode *mine = json_object_get_member (item->row->data, key->column->property);
      JsonNode *theirs = state->keys && i < json_array_get_length (state->keys)
                         ? json_array_get_element (state->keys, i) : NULL;
      g_autofree char *folded = fold_value (theirs);
      int cmp = compare_key (key, mine, item->folded[i], theirs, folded);

      if (cmp != 0)
        return cmp > 0;
    }
  return item->row->seq > state->after_seq;
}

/* ---- collection reads --------------------------------------------------- */

typedef struct
{
  GPtrArray *rows;     /* DvRow* of this page */
  gboolean   more;
  guint      total;    /* matching rows, when counted */
} Page;

static guint
count_matches (DvTable       *table,
               DvOdataFilter *filter)
{
  GSequenceIter *it;
  guint n = 0;

  if (filter == NULL)
    return g_hash_table_size (table->rows);
  for (it = g_sequence_get_begin_iter (table->order); !g_sequence_iter_is_end (it);
       it = g_sequence_iter_next (it))
    if (dv_odata_filter_match (filter, lookup_column, g_sequence_get (it), NULL))
      n++;
  return n;
}

static void
collect_default_order (DvTable *table,
                       DvQuery   *q,
                       guint    page_size,
                       Page    *page)
{
  GSequenceIter *it;

  if (q->has_state)
    {
      DvRow probe = { 0, };

      probe.seq = q->state.after_seq;
      /* The first row created after the last one returned. */
      it = g_sequence_search (table->order, &probe, dv_row_compare_seq, NULL);
    }
  else
    it = g_sequence_get_begin_iter (table->order);

  for (; !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      DvRow *row = g_sequence_get (it);

      if (q->filter != NULL && !dv_odata_filter_match (q->filter, lookup_column, row, NULL))
        continue;
      if (page->rows->len == page_size)
        {
          page->more = TRUE;
          break;
        }
      g_ptr_array_add (page->rows, row);
    }
}

static void
collect_ordered (DvTable *table,
                 DvQuery   *q,
                 guint    page_size,
                 Page    *page)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (SortItem));
  GSequenceIter *it;
  guint start = 0;

  for (it = g_sequence_get_begin_iter (table->order); !g_sequence_iter_is_end (it);
       it = g_sequence_iter_next (it))
    {
      DvRow *row = g_sequence_get (it);
      SortItem item;

      if (q->filter != NULL && !dv_odata_filter_match (q->filter, lookup_column, row, NULL))
        continue;
      item.row = row;
      /* Fold strings once per row, not once per comparison. */
      item.folded = g_new0 (char *, q->order->len + 1);
      for (guint k = 0; k < q->order->len; k++)
        item.folded[k] = fold_value (json_object_get_member (row->data,
                                                             g_array_index (q->order, DvOrderKey, k).column->property));
      g_array_append_val (items, item);
    }
  page->total = items->len;

  g_array_sort_with_data (items, compare_items, q->order);
  if (q->has_state)
    while (start < items->len
           && !item_after_state (&g_array_index (items, SortItem, start), q->order, &q->state))
      start++;
  for (guint i = start; i < items->len; i++)
    {
      if (page->rows->len == page_size)
        {
          page->more = TRUE;
          break;
        }
      g_ptr_array_add (page->rows, g_array_index (items, SortItem, i).row);
    }
  for (guint i = 0; i < items->len; i++)
    {
      char **folded = g_array_index (items, SortItem, i).folded;

      /* Not g_strfreev(): a key that is not a string leaves a NULL hole. */
      for (guint k = 0; k < q->order->len; k++)
        g_free (folded[k]);
      g_free (folded);
    }
}

void
dv_add_preferences (DvRequest  *req,
                 DvResponse *resp,
                 gboolean    tracking)
{
  if (req->prefer.maxpagesize > 0)
    {
      g_autofree char *p = g_strdup_printf ("odata.maxpagesize=%d", req->prefer.maxpagesize);

      dv_response_add_preference (resp, p);
    }
  if (tracking)
    dv_response_add_preference (resp, "odata.track-changes");
  if (req->prefer.annotations != NULL)
    {
      g_autofree char *p = g_strdup_printf ("odata.include-annotations=\"%s\"", req->prefer.annotations);

      dv_response_add_preference (resp, p);
    }
}

/* The rows of this page in the order and to the size the query asks
 * for; $top with odata.maxpagesize: $top is ignored (notes §3). */
static void
collect_page (DvTable   *table,
              DvRequest *req,
              DvQuery   *q,
              guint      page_size,
              Page      *page)
{
  gboolean top_mode = q->top >= 0 && req->prefer.maxpagesize == 0;

  if (top_mode)
    page_size = (guint) MIN (q->top, DV_MAX_PAGE_SIZE);
  page->rows = g_ptr_array_new ();
  if (q->order != NULL && q->order->len > 0)
    collect_ordered (table, q, page_size, page);
  else
    {
      collect_default_order (table, q, page_size, page);
      if (q->count || req->prefer.total_count)
        page->total = count_matches (table, q->filter);
    }
  if (top_mode)
    page->more = FALSE;
}

/* @odata.count and the CRM total record count, as asked for. */
static void
set_counts (JsonObject *out,
            DvRequest  *req,
            DvQuery    *q,
            const Page *page)
{
  if (q->count)
    json_object_set_int_member (out, "@odata.count", MIN (page->total, DV_COUNT_LIMIT));
  if (req->prefer.total_count)
    {
      json_object_set_int_member (out, "@Microsoft.Dynamics.CRM.totalrecordcount",
                                  q->count ? (gint64) MIN (page->total, DV_COUNT_LIMIT) : -1);
      json_object_set_boolean_member (out, "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded",
                                      q->count && page->total > DV_COUNT_LIMIT);
    }
}

/* The nextLink after @page: where its last row stands in the order, in
 * the same snapshot. */
static char *
next_page_link (DvServer   *self,
                DvRequest  *req,
                DvQuery    *q,
                gboolean    tracking,
                const Page *page)
{
  DvPagingState next = { 0, };
  DvRow *last = g_ptr_array_index (page->rows, page->rows->len - 1);
  g_autofree char *cookie = NULL;

  next.page = q->has_state ? q->state.page + 1 : 2;
  next.after_seq = last->seq;
  next.tracking = tracking;
  next.snapshot = q->has_state ? q->state.snapshot : self->version;
  if (q->order != NULL && q->order->len > 0)
    {
      next.keys = json_array_new ();
      for (guint k = 0; k < q->order->len; k++)
        {
          const char *property = g_array_index (q->order, DvOrderKey, k).column->property;
          JsonNode *v = json_object_get_member (last->data, property);

          json_array_add_element (next.keys, v ? json_node_copy (v) : json_node_new (JSON_NODE_NULL));
        }
    }
  cookie = dv_paging_encode (&next);
  g_clear_pointer (&next.keys, json_array_unref);
  return dv_link_with (self, req, "$skiptoken", cookie);
}

/* Answers with @page: the context, the counts, the rows (expanded), and
 * the nextLink or, when change tracking, the deltaLink. */
static void
answer_page (DvServer   *self,
             DvRequest  *req,
             DvResponse *resp,
             DvTable    *table,
             DvQuery    *q,
             gboolean    tracking,
             const Page *page)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonArray) value = json_array_sized_new (page->rows->len);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = dv_context_url (self, table, q->select, q->expand, NULL);
  g_autofree char *link = NULL;

  json_object_set_string_member (out, "@odata.context", context);
  set_counts (out, req, q, page);
  for (guint i = 0; i < page->rows->len; i++)
    {
      DvRow *row = g_ptr_array_index (page->rows, i);
      JsonObject *obj = dv_row_to_json (table, row, q->select, &req->prefer, NULL);

      dv_expand_apply (self, q->expand, row, &req->prefer, obj);
      json_array_add_object_element (value, obj);
    }
  json_object_set_array_member (out, "value", json_array_ref (value));

  if (page->more)
    {
      link = next_page_link (self, req, q, tracking, page);
      json_object_set_string_member (out, "@odata.nextLink", link);
    }
  else if (tracking)
    {
      link = dv_delta_link (self, table, req, q->has_state ? q->state.snapshot : self->version);
      json_object_set_string_member (out, "@odata.deltaLink", link);
    }

  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, TRUE);
  dv_add_preferences (req, resp, tracking);
}

void
dv_handle_collection_get (DvServer   *self,
                          DvRequest  *req,
                          DvResponse *resp,
                          DvTable    *table)
{
  DvQuery q = { 0, };
  Page page = { 0, };
  gboolean tracking;
  guint page_size;

  if (!parse_query (table, req, &q, resp))
    goto out;

  tracking = req->prefer.track_changes || (q.has_state && (q.state.tracking || q.state.delta));
  if ((tracking || q.deltatoken != NULL) && !dv_check_tracking (table, req, resp))
    goto out;
  if (!check_shaping (table, &q, req, resp))
    goto out;

  page_size = req->prefer.maxpagesize > 0 ? (guint) req->prefer.maxpagesize : DV_MAX_PAGE_SIZE;
  if (q.deltatoken != NULL)
    dv_serve_delta (self, req, resp, table, &q, page_size);
  else
    {
      collect_page (table, req, &q, page_size, &page);
      answer_page (self, req, resp, table, &q, tracking, &page);
    }

out:
  g_clear_pointer (&page.rows, g_ptr_array_unref);
  dv_query_clear (&q);
}

/* ---- /$count and single rows -------------------------------------------- */

void
dv_handle_count (DvServer *self,
                 DvRequest         *req,
                 DvResponse        *resp,
                 DvTable           *table)
{
  DvQuery q = { 0, };
  g_autofree char *text = NULL;
  guint64 n;

  if (!parse_query (table, req, &q, resp))
    goto out;
  if (q.deltatoken != NULL)
    {
      if (!dv_check_tracking (table, req, resp) || !dv_count_changes (self, table, q.deltatoken, &n, resp))
        goto out;
    }
  else
    n = count_matches (table, q.filter);

  /* /$count answers at most 5000, like $count=true (notes §3). */
  text = g_strdup_printf ("%" G_GUINT64_FORMAT, MIN (n, DV_COUNT_LIMIT));
  dv_response_set_text (resp, SOUP_STATUS_OK, "text/plain; charset=utf-8", text);

out:
  dv_query_clear (&q);
}

void
dv_handle_entity_get (DvServer *self,
                      DvRequest         *req,
                      DvResponse        *resp,
                      DvTable           *table,
                      const char        *key)
{
  DvQuery q = { 0, };
  DvRow *row = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) alt = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *context = NULL;
  const char *if_none_match;
  JsonObject *obj;
  g_autoptr(JsonNode) root = NULL;

  if (!dv_resolve_key (table, key, &row, &id, &alt, resp))
    goto out;
  if (row == NULL)
    {
      dv_not_found (table, id, alt, resp);
      goto out;
    }
  if (!parse_query (table, req, &q, resp) || !check_shaping (table, &q, req, resp))
    goto out;

  etag = dv_row_etag (row);
  if_none_match = soup_message_headers_get_one (req->headers, "If-None-Match");
  /* Not with $expand or annotations: the answer has more than the row. */
  if (if_none_match != NULL && g_str_equal (if_none_match, etag) && req->prefer.annotations == NULL
      && q.expand == NULL)
    {
      resp->status = SOUP_STATUS_NOT_MODIFIED;
      goto out;
    }

  context = dv_context_url (self, table, q.select, q.expand, "/$entity");
  obj = dv_row_to_json (table, row, q.select, &req->prefer, context);
  dv_expand_apply (self, q.expand, row, &req->prefer, obj);
  root = json_node_init_object (json_node_alloc (), obj);
  json_object_unref (obj);
  soup_message_headers_replace (resp->headers, "ETag", etag);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
  if (req->prefer.annotations != NULL)
    dv_add_preferences (req, resp, FALSE);

out:
  dv_query_clear (&q);
}
