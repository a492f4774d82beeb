/* dv-property.c — one property of one row (notes §7): read it
 * (GET <set>(<key>)/<column>, or its raw /$value), set it (PUT with
 * {"value": …}), clear it (DELETE); and a lookup through its navigation
 * property: the related row (GET <set>(<key>)/<navprop>), its reference
 * (GET …/$ref), set with PUT …/$ref {"@odata.id": url}, cleared with
 * DELETE …/$ref.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

static void
not_writable (DvTable    *table,
              DvColumn   *column,
              const char *why,
              DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                     "The property '%s' of '" DV_NAMESPACE ".%s' %s.",
                     column->property, table->logical_name, why);
}

/* Writes @value (taken) into @column of @row as an update would:
 * versions move, change tracking sees it, alternate keys stay unique. */
static void
write_column (DvTable    *table,
              DvRow      *row,
              DvColumn   *column,
              JsonNode   *value,
              DvResponse *resp)
{
  g_autoptr(JsonObject) changes = json_object_new ();

  json_object_set_member (changes, column->property, value);
  if (dv_table_key_conflict (table, row, changes) != NULL)
    {
      dv_response_error (resp, SOUP_STATUS_PRECONDITION_FAILED, "0x80040237",
                         "A record with matching key values already exists.");
      return;
    }
  dv_table_update (table, row, changes);
  resp->status = SOUP_STATUS_NO_CONTENT;
}

/* ---- a column ----------------------------------------------------------- */

static void
get_column (DvServer   *self,
            DvRequest  *req,
            DvResponse *resp,
            DvTable    *table,
            DvRow      *row,
            DvColumn   *column,
            gboolean    raw)
{
  JsonNode *value = json_object_get_member (row->data, column->property);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = NULL;

  /* A null property has no representation (OData: 204). */
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      resp->status = SOUP_STATUS_NO_CONTENT;
      return;
    }
  if (raw)
    {
      g_autofree char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                              ? g_strdup (json_node_get_string (value))
                              : json_to_string (value, FALSE);

      dv_response_set_text (resp, SOUP_STATUS_OK, "text/plain", text);
      return;
    }
  out = json_object_new ();
  context = g_strdup_printf ("%s/$metadata#%s(%s)/%s", self->api_root, table->entity_set, row->id,
                             column->property);
  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_member (out, "value", json_node_ref (value));
  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}

/* Why @column cannot be set or cleared on its own, or NULL. */
static const char *
why_not_writable (DvColumn *column,
                  gboolean  clearing)
{
  if (column->type == DV_TYPE_LOOKUP)
    return "is a lookup: set it through its navigation property's $ref";
  if (!column->valid_for_update)
    return "is read-only";
  if (clearing && column->required_level == DV_REQUIRED_SYSTEM)
    return "is required and cannot be cleared";
  return NULL;
}

static void
put_column (DvRequest  *req,
            DvResponse *resp,
            DvTable    *table,
            DvRow      *row,
            DvColumn   *column)
{
  g_autoptr(JsonObject) body = dv_request_json_object (req);
  const char *why = why_not_writable (column, FALSE);
  JsonNode *converted = NULL;
  JsonNode *value;

  if (body == NULL)
    {
      dv_body_not_object (table, resp);
      return;
    }
  if ((value = json_object_get_member (body, "value")) == NULL || json_object_get_size (body) != 1)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                         "A single property is set with a body {\"value\": …} and nothing else.");
      return;
    }
  if (why != NULL)
    {
      not_writable (table, column, why, resp);
      return;
    }
  if (dv_column_convert (table, column, value, &converted, resp))
    write_column (table, row, column, converted, resp);
}

static void
delete_column (DvResponse *resp,
               DvTable    *table,
               DvRow      *row,
               DvColumn   *column)
{
  const char *why = why_not_writable (column, TRUE);

  if (why != NULL)
    {
      not_writable (table, column, why, resp);
      return;
    }
  write_column (table, row, column, json_node_new (JSON_NODE_NULL), resp);
}

/* ---- a lookup through its navigation property -------------------------- */

static DvRow *
related_row (DvServer *self,
             DvRow    *row,
             DvColumn *column)
{
  JsonNode *value = json_object_get_member (row->data, column->property);
  DvTable *target = dv_server_table_by_name (self, column->target);

  if (target == NULL || value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  return dv_table_row (target, json_node_get_string (value));
}

static void
get_related (DvServer   *self,
             DvRequest  *req,
             DvResponse *resp,
             DvRow      *row,
             DvColumn   *column,
             gboolean    ref)
{
  DvTable *target = dv_server_table_by_name (self, column->target);
  DvRow *related = related_row (self, row, column);
  g_autoptr(GPtrArray) select = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *context = NULL;
  const char *text = dv_request_get_query (req, "$select");
  JsonObject *out;

  if (related == NULL)
    {
      resp->status = SOUP_STATUS_NO_CONTENT;
      return;
    }
  if (ref)
    {
      g_autofree char *url = dv_server_entity_url (self, target, related->id);

      out = json_object_new ();
      context = g_strconcat (self->api_root, "/$metadata#$ref", NULL);
      json_object_set_string_member (out, "@odata.context", context);
      json_object_set_string_member (out, "@odata.id", url);
    }
  else
    {
      if (text != NULL && (select = dv_parse_select (target, text, resp)) == NULL)
        return;
      context = dv_context_url (self, target, select, NULL, "/$entity");
      out = dv_row_to_json (target, related, select, &req->prefer, context);
    }
  root = json_node_init_object (json_node_alloc (), out);
  json_object_unref (out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}

static void
put_reference (DvServer   *self,
               DvRequest  *req,
               DvResponse *resp,
               DvTable    *table,
               DvRow      *row,
               DvColumn   *column)
{
  g_autoptr(JsonObject) body = dv_request_json_object (req);
  JsonNode *reference = body ? json_object_get_member (body, "@odata.id") : NULL;
  JsonNode *id = NULL;

  if (reference == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                         "A reference is set with a body {\"@odata.id\": \"<url of the row>\"}.");
      return;
    }
  if (!column->valid_for_update)
    {
      not_writable (table, column, "is read-only", resp);
      return;
    }
  if (dv_resolve_bind (self, req, table, column, reference, &id, resp))
    write_column (table, row, column, id, resp);
}

static void
handle_navigation (DvServer   *self,
                   DvRequest  *req,
                   DvResponse *resp,
                   DvTable    *table,
                   DvRow      *row,
                   DvColumn   *column,
                   gboolean    ref)
{
  if (g_str_equal (req->method, "GET"))
    get_related (self, req, resp, row, column, ref);
  else if (ref && g_str_equal (req->method, "PUT"))
    put_reference (self, req, resp, table, row, column);
  else if (ref && g_str_equal (req->method, "DELETE"))
    write_column (table, row, column, json_node_new (JSON_NODE_NULL), resp);
  else
    dv_response_method_not_allowed (resp, req);
}

void
dv_handle_property (DvServer   *self,
                    DvRequest  *req,
                    DvResponse *resp,
                    DvTable    *table,
                    const char *key,
                    char      **rest,
                    guint       n_rest)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) key_values = NULL;
  DvColumn *column = dv_table_column (table, rest[0]);
  DvColumn *lookup = g_hash_table_lookup (table->columns_by_navprop, rest[0]);
  const char *last = rest[n_rest - 1];
  DvRow *row;

  if ((column == NULL && lookup == NULL) || n_rest > 2
      || (n_rest == 2 && !g_str_equal (last, column ? "$value" : "$ref")))
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                         "Resource not found for the segment '%s'.",
                         column || lookup ? last : rest[0]);
      return;
    }
  if (!dv_resolve_key (table, key, &row, &id, &key_values, resp))
    return;
  if (row == NULL)
    {
      dv_not_found (table, id, key_values, resp);
      return;
    }

  if (lookup != NULL)
    handle_navigation (self, req, resp, table, row, lookup, n_rest == 2);
  else if (g_str_equal (req->method, "GET"))
    get_column (self, req, resp, table, row, column, n_rest == 2);
  else if (n_rest == 1 && g_str_equal (req->method, "PUT"))
    put_column (req, resp, table, row, column);
  else if (n_rest == 1 && g_str_equal (req->method, "DELETE"))
    delete_column (resp, table, row, column);
  else
    dv_response_method_not_allowed (resp, req);
}
