/* acs-resources.c — the REST resources under /<org>/campaign/:
 * profiles (profileAndServices and its Ext view), the custom resource
 * cusMembership, their metadata, lists with paging, sorting and filters,
 * and create / read / update / delete of one record.
 *
 * Behaviour follows campaign-api.md §2–§3; where the notes are silent the
 * choice is marked INFER.
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

/* Default page as documented; the largest page is not documented, 1000
 * keeps one answer bounded (INFER). */
#define LIST_DEFAULT_LINES 25
#define LIST_MAX_LINES     1000
#define MAX_FILTERS        8

typedef struct
{
  const AcsField *field;
  gboolean               descending;
} OrderKey;

/* What one request addresses: a resource seen through a namespace, with
 * the filters of its path. */
typedef struct
{
  AcsServer         *self;
  const char               *namespace_;
  gboolean                  ext_view;
  gboolean                  by_key;        /* may address a record by its custom key */
  const AcsResource *resource;
  AcsTable          *table;
  char                     *collection_href;
  const AcsFilter   *filters[MAX_FILTERS];
  AcsFilterArg       args[MAX_FILTERS];
  guint                     n_filters;
  GString                  *filter_path;   /* "/byEmail/byText" or "" */
  GArray                   *order;         /* OrderKey */
  GPtrArray                *selected;      /* while collecting */
} Request;

static void
request_clear (Request *req)
{
  for (guint i = 0; i < req->n_filters; i++)
    acs_filter_arg_clear (&req->args[i]);
  g_clear_pointer (&req->collection_href, g_free);
  if (req->filter_path != NULL)
    g_string_free (req->filter_path, TRUE);
  g_clear_pointer (&req->order, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

/* The table of resource @name as @namespace_ serves it, or NULL: the
 * profile in profileAndServices and its Ext view, a custom resource only
 * where it lives (customResources when it is not linked to the profile,
 * profileAndServicesExt when it is). */
static AcsTable *
find_table (AcsServer  *self,
            const char *namespace_,
            const char *name)
{
  AcsTable *table;

  if (strcmp (name, ACS_PROFILE) == 0)
    return strcmp (namespace_, "profileAndServices") == 0
           || strcmp (namespace_, "profileAndServicesExt") == 0 ? self->profiles : NULL;
  table = g_hash_table_lookup (self->custom_tables, name);
  if (table == NULL || strcmp (acs_table_get_resource (table)->home, namespace_) != 0)
    return NULL;
  return table;
}

static gboolean
resolve_resource (AcsServer *self,
                  Request          *req,
                  const char       *namespace_,
                  const char       *name)
{
  req->self = self;
  req->namespace_ = namespace_;
  req->ext_view = strcmp (namespace_, "profileAndServicesExt") == 0;
  req->table = find_table (self, namespace_, name);
  if (req->table == NULL)
    return FALSE;
  req->resource = acs_table_get_resource (req->table);
  /* The custom key addresses records only where it is defined: on the
   * profile's extension and on the custom resources. */
  req->by_key = req->ext_view || strcmp (namespace_, "customResources") == 0;
  req->collection_href = g_strdup_printf ("%s/%s/%s", self->api_base, namespace_, name);
  req->filter_path = g_string_new (NULL);
  return TRUE;
}

static gboolean
record_matches (Request                *req,
                const AcsRecord *record)
{
  for (guint i = 0; i < req->n_filters; i++)
    if (!req->filters[i]->match (record, &req->args[i]))
      return FALSE;
  return TRUE;
}

static void
collect_matching (gpointer data,
                  gpointer user_data)
{
  Request *req = user_data;
  AcsRecord *record = data;

  if (record_matches (req, record))
    g_ptr_array_add (req->selected, record);
}

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const AcsRecord *ra = *(AcsRecord * const *) a;
  const AcsRecord *rb = *(AcsRecord * const *) b;
  GArray *order = user_data;

  for (guint i = 0; i < order->len; i++)
    {
      const OrderKey *key = &g_array_index (order, OrderKey, i);
      const char *name = key->field->name;
      int cmp;

      if (strcmp (name, "PKey") == 0)
        cmp = strcmp (ra->pkey, rb->pkey);
      else if (strcmp (name, "created") == 0)
        cmp = (ra->created_ms > rb->created_ms) - (ra->created_ms < rb->created_ms);
      else if (strcmp (name, "lastModified") == 0)
        cmp = (ra->modified_ms > rb->modified_ms) - (ra->modified_ms < rb->modified_ms);
      else if (key->field->type == ACS_FIELD_BOOLEAN)
        {
          gboolean va = json_object_get_boolean_member_with_default (ra->values, name, FALSE);
          gboolean vb = json_object_get_boolean_member_with_default (rb->values, name, FALSE);

          cmp = (va > vb) - (va < vb);
        }
      else
        cmp = strcmp (acs_record_get_string (ra, name),
                      acs_record_get_string (rb, name));
      if (cmp != 0)
        return key->descending ? -cmp : cmp;
    }
  return (ra->serial > rb->serial) - (ra->serial < rb->serial);
}

/* "_order=email", "_order=email desc", "_order=lastName,firstName desc". */
static gboolean
parse_order (Request     *req,
             const char  *text,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  req->order = g_array_new (FALSE, FALSE, sizeof (OrderKey));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (parts[i]), " \t", -1);
      OrderKey key = { NULL, FALSE };
      guint n_words = 0;

      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          words[n_words++] = words[j];
      if (n_words == 0 || n_words > 2
          || (n_words == 2 && g_ascii_strcasecmp (words[1], "desc") != 0
              && g_ascii_strcasecmp (words[1], "asc") != 0))
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "The parameter '_order' is not valid: use _order=<field> or "
                       "_order=<field> desc");
          return FALSE;
        }
      key.field = acs_resource_find_field (req->resource, words[0], req->ext_view);
      if (key.field == NULL || strcmp (key.field->name, words[0]) != 0)
        {
          g_set_error (error, ACS_ERROR, SOUP_STATUS_BAD_REQUEST,
                       "The parameter '_order' names the unknown field '%s'", words[0]);
          return FALSE;
        }
      key.descending = n_words == 2 && g_ascii_strcasecmp (words[1], "desc") == 0;
      g_array_append_val (req->order, key);
    }
  return TRUE;
}

/* The records a list or count request selects, in answer order; NULL
 * when the plain table order can be paged directly. */
static GPtrArray *
select_records (Request *req)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  const char *key = req->resource->key;

  if (req->n_filters == 0 && (req->order == NULL || req->order->len == 0))
    return NULL;

  /* A filter on the custom key is a lookup, not a scan. */
  for (guint i = 0; i < req->n_filters; i++)
    if (key != NULL && strcmp (req->filters[i]->param, key) == 0)
      {
        AcsRecord *record = acs_table_lookup_key (req->table, req->args[i].value);

        if (record != NULL && record_matches (req, record))
          g_ptr_array_add (out, record);
        return g_steal_pointer (&out);
      }

  req->selected = out;
  acs_table_foreach (req->table, collect_matching, req);
  req->selected = NULL;
  if (req->order != NULL && req->order->len > 0)
    g_ptr_array_sort_with_data (out, compare_records, req->order);
  return g_steal_pointer (&out);
}

static void
add_href_member (JsonBuilder *b,
                 const char  *member,
                 const char  *href)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, href);
  json_builder_end_object (b);
}

/* {"count": N} for .../_count */
static void
handle_count (Request           *req,
              SoupServerMessage *msg,
              AcsQuery          *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *order = acs_query_get (query, "_order");

  if (order != NULL && !parse_order (req, order, &error))
    {
      acs_answer_gerror (msg, error);
      return;
    }
  selected = select_records (req);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, selected ? selected->len : acs_table_get_size (req->table));
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
handle_list (Request           *req,
             SoupServerMessage *msg,
             AcsQuery          *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *list_href = g_strconcat (req->collection_href, req->filter_path->str, NULL);
  const char *order = acs_query_get (query, "_order");
  AcsPage page;
  guint64 total, end;
  gboolean big, paging;

  if ((order != NULL && !parse_order (req, order, &error))
      || !acs_paging_read (req->self, list_href, query, LIST_DEFAULT_LINES, LIST_MAX_LINES,
                           &page, &error))
    {
      acs_answer_gerror (msg, error);
      return;
    }

  selected = select_records (req);
  total = selected ? selected->len : acs_table_get_size (req->table);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  end = MIN (total, page.start + page.lines);
  for (guint64 i = page.start; i < end; i++)
    {
      AcsRecord *record = selected ? g_ptr_array_index (selected, i)
                                   : acs_table_nth (req->table, i);

      acs_record_build (req->table, record, req->ext_view, req->collection_href, b);
    }
  json_builder_end_array (b);

  {
    g_autofree char *params = acs_query_build (query, "_lineStart", NULL);
    g_autofree char *count_href = g_strdup_printf ("%s/_count%s%s", list_href,
                                                   *params ? "?" : "", params);

    add_href_member (b, "count", count_href);
  }

  /* Documented: past XtkBigTableThreshold rows a list has no next unless
   * _forcePagination=true. serverSidePagination says whether the server
   * pages this list through next (INFER: its meaning is undocumented). */
  big = acs_table_get_size (req->table) > req->self->big_table_threshold;
  paging = !big || g_strcmp0 (acs_query_get (query, "_forcePagination"), "true") == 0;
  if (paging && end < total)
    {
      g_autofree char *next_href = acs_paging_next_href (req->self, list_href, query, end);

      add_href_member (b, "next", next_href);
    }
  json_builder_set_member_name (b, "serverSidePagination");
  json_builder_add_boolean_value (b, paging);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

static void
answer_record (Request           *req,
               SoupServerMessage *msg,
               guint              status,
               AcsRecord  *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  acs_record_build (req->table, record, req->ext_view, req->collection_href, b);
  acs_answer_builder (msg, status, b);
}

static void
handle_collection (Request           *req,
                   SoupServerMessage *msg,
                   AcsQuery   *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  AcsRecord *record;

  if (method == SOUP_METHOD_GET)
    {
      handle_list (req, msg, query);
      return;
    }
  if (method != SOUP_METHOD_POST || req->n_filters > 0)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                req->n_filters > 0 ? "A filtered list can only be read"
                                                   : "A collection accepts GET and POST");
      return;
    }
  if ((body = acs_read_body_object (msg)) == NULL)
    return;
  record = acs_table_insert (req->table, body, req->ext_view, &error);
  if (record == NULL)
    {
      acs_answer_write_error (req->self, msg, error);
      return;
    }
  answer_record (req, msg, SOUP_STATUS_CREATED, record);
}

static void
handle_record (Request           *req,
               SoupServerMessage *msg,
               const char        *id)
{
  const char *method = soup_server_message_get_method (msg);
  AcsRecord *record = acs_table_lookup (req->table, id, req->by_key);
  g_autoptr(GError) error = NULL;

  if (method != SOUP_METHOD_GET && method != ACS_METHOD_PATCH && method != SOUP_METHOD_DELETE)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                "A record accepts GET, PATCH and DELETE");
      return;
    }
  if (record == NULL)
    {
      g_autofree char *message = g_strdup_printf ("No record of '%s' matches '%s'",
                                                  req->resource->name, id);

      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, message);
      return;
    }

  if (method == SOUP_METHOD_GET)
    answer_record (req, msg, SOUP_STATUS_OK, record);
  else if (method == ACS_METHOD_PATCH)
    {
      g_autoptr(JsonObject) body = acs_read_body_object (msg);
      g_autoptr(JsonBuilder) b = NULL;
      g_autofree char *href = NULL;

      if (body == NULL)
        return;
      if (!acs_table_update (req->table, record, body, req->ext_view, &error))
        {
          acs_answer_write_error (req->self, msg, error);
          return;
        }
      /* Documented: an update answers the record's PKey and href only. */
      href = g_strconcat (req->collection_href, "/", record->pkey, NULL);
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "PKey");
      json_builder_add_string_value (b, record->pkey);
      json_builder_set_member_name (b, "href");
      json_builder_add_string_value (b, href);
      json_builder_end_object (b);
      acs_answer_builder (msg, SOUP_STATUS_OK, b);
    }
  else
    {
      /* The notes do not give the answer to a delete: an empty 200 is our
       * reading (INFER). */
      acs_table_remove (req->table, record);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, ACS_CONTENT_TYPE, SOUP_MEMORY_STATIC, "", 0);
    }
}

static void
handle_metadata (AcsServer  *self,
                 SoupServerMessage *msg,
                 char             **segments)
{
  guint n = g_strv_length (segments);
  g_auto(Request) req = { 0 };
  g_autoptr(JsonNode) root = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Metadata is read-only");
      return;
    }
  if (n < 3 || n > 4 || (n == 4 && strcmp (segments[3], "filters") != 0)
      || !resolve_resource (self, &req, segments[0], segments[2]))
    {
      acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, "Unknown resource type");
      return;
    }
  if (n == 4)
    root = acs_resource_filters_json (req.resource, self->api_base, req.namespace_,
                                              req.ext_view);
  else
    {
      root = acs_resource_metadata (req.table, req.resource, self->api_base, req.namespace_,
                                    req.ext_view);
      /* The metadata Adobe documents names no key: tests see the client
       * cope without it. */
      if (!self->metadata_keys)
        json_object_remove_member (json_node_get_object (root), "key");
    }
  acs_answer_json (msg, SOUP_STATUS_OK, root);
}

/* 404, quoting the path as sent: a slash inside a segment stays "%2F". */
static void
answer_unknown (SoupServerMessage  *msg,
                char              **segments)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *message = NULL;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (segments[i], "@", FALSE);

      g_string_append_printf (path, "%s%s", i > 0 ? "/" : "", escaped);
    }
  message = g_strdup_printf ("Unknown resource '%s'", path->str);
  acs_answer_error (msg, SOUP_STATUS_NOT_FOUND, message);
}

static gboolean
looks_like_filter (const char *segment)
{
  return g_str_has_prefix (segment, "by") && g_ascii_isupper (segment[2]);
}

/* segments: <namespace>/<resource or resourceType or history>/... */
void
acs_handle_api (AcsServer  *self,
                        SoupServerMessage *msg,
                        char             **segments,
                        AcsQuery   *query)
{
  guint n = g_strv_length (segments);
  g_auto(Request) req = { 0 };
  g_autoptr(GError) error = NULL;
  guint i;

  /* JSON is the default representation; a ".json" suffix asks for it
   * explicitly (documented). */
  if (n > 0 && g_str_has_suffix (segments[n - 1], ".json") && strlen (segments[n - 1]) > 5)
    segments[n - 1][strlen (segments[n - 1]) - 5] = '\0';

  if (n >= 2 && strcmp (segments[1], "resourceType") == 0)
    {
      handle_metadata (self, msg, segments);
      return;
    }
  if (n == 1 && strcmp (segments[0], "profileAndServicesExt") == 0
      && soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    {
      g_autoptr(JsonNode) index = acs_linked_resources_json (self->api_base, self->resources);

      acs_answer_json (msg, SOUP_STATUS_OK, index);
      return;
    }
  if (n >= 2 && strcmp (segments[1], "history") == 0
      && (strcmp (segments[0], "profileAndServices") == 0
          || strcmp (segments[0], "profileAndServicesExt") == 0))
    {
      acs_handle_history (self, msg, segments[0], segments + 2, query);
      return;
    }
  if (n < 2 || !resolve_resource (self, &req, segments[0], segments[1]))
    {
      answer_unknown (msg, segments);
      return;
    }

  for (i = 2; i < n && looks_like_filter (segments[i]); i++)
    {
      const AcsFilter *filter = acs_resource_find_filter (req.resource, segments[i],
                                                                         req.ext_view);

      if (filter == NULL)
        {
          g_autofree char *message = g_strdup_printf ("Unknown filter '%s' on '%s/%s'%s",
                                                      segments[i], segments[0], segments[1],
                                                      req.ext_view ? ""
                                                      : "; custom filters are under profileAndServicesExt");

          acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
      if (req.n_filters == MAX_FILTERS)
        {
          acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Too many chained filters");
          return;
        }
      if (!acs_filter_prepare (filter, acs_query_get (query, filter->param),
                                       &req.args[req.n_filters], &error))
        {
          acs_answer_gerror (msg, error);
          return;
        }
      req.filters[req.n_filters++] = filter;
      g_string_append_printf (req.filter_path, "/%s", filter->name);
    }

  if (i == n)
    handle_collection (&req, msg, query);
  else if (i == n - 1 && strcmp (segments[i], "_count") == 0)
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
        acs_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "A count can only be read");
      else
        handle_count (&req, msg, query);
    }
  else if (i == n - 1 && req.n_filters == 0)
    handle_record (&req, msg, segments[i]);
  else
    answer_unknown (msg, segments);
}
