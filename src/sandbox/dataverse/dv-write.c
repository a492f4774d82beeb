/* dv-write.c — writing: POST (create), PATCH (upsert, with the
 * If-Match / If-None-Match guards), DELETE, and lookups set through
 * <navprop>@odata.bind (notes §6, §7). Keys are resolved in dv-keys.c.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

#define PAYLOAD_ERROR "Error identified in Payload provided by the user for Entity :'%s', For more " \
                      "information on this error please follow this help link "                     \
                      "https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : "     \
                      "Microsoft.OData.ODataException: "

void
dv_not_found (DvTable    *table,
              const char *id,
              JsonObject *key_values,
              DvResponse *resp)
{
  if (key_values != NULL)
    dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80040217",
                       "A record with the specified key values does not exist in %s entity",
                       table->logical_name);
  else
    dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80040217",
                       "%s With Id = %s Does Not Exist", table->logical_name, id);
}

static void
duplicate_record (DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_PRECONDITION_FAILED, "0x80040237",
                     "A record with matching key values already exists.");
}

/* Resolves the value of a "<navprop>@odata.bind" to a row id of the
 * lookup's target: "/contacts(<id>)", "contacts(<id>)", an absolute URL,
 * or "$n" for an earlier part of the same $batch. */
gboolean
dv_resolve_bind (DvServer    *self,
                 DvRequest   *req,
                 DvTable     *table,
                 DvColumn    *column,
                 JsonNode    *node,
                 JsonNode   **out,
                 DvResponse  *resp)
{
  DvTable *target = dv_server_table_by_name (self, column->target);
  const char *ref;
  const char *paren;
  g_autofree char *set = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) alt = NULL;
  DvRow *row = NULL;
  gsize len;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      /* INFER: a null bind clears the lookup, like a DELETE of its $ref. */
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    goto bad;
  /* Linking two rows takes Append on this one and AppendTo on the other. */
  if (!dv_require (self, table, "Append", resp)
      || (target != NULL && !dv_require (self, target, "AppendTo", resp)))
    return FALSE;
  ref = json_node_get_string (node);
  if (ref[0] == '$' && req->content_ids != NULL)
    {
      const char *url = g_hash_table_lookup (req->content_ids, ref + 1);

      if (url == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Content-ID Reference: '%s' does not exist in the batch context.", ref);
          return FALSE;
        }
      ref = url;
    }
  if (g_str_has_prefix (ref, self->api_root))
    ref += strlen (self->api_root);
  else if (g_str_has_prefix (ref, DV_API_PATH))
    ref += strlen (DV_API_PATH) - 1;
  while (*ref == '/')
    ref++;

  paren = strchr (ref, '(');
  len = strlen (ref);
  if (paren == NULL || len < 3 || ref[len - 1] != ')')
    goto bad;
  set = g_strndup (ref, paren - ref);
  key = g_strndup (paren + 1, len - (paren - ref) - 2);
  if (target == NULL || !g_str_equal (set, target->entity_set))
    goto bad;
  if (!dv_resolve_key (target, key, &row, &id, &alt, resp))
    return FALSE;
  if (row == NULL)
    {
      dv_not_found (target, id, alt, resp);
      return FALSE;
    }
  *out = json_node_init_string (json_node_alloc (), row->id);
  return TRUE;

bad:
  {
    g_autofree char *literal = json_to_string (node, FALSE);

    dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                       PAYLOAD_ERROR "The value %s of '%s@odata.bind' is not a reference to a "
                       "record of '%s'; expected \"/%s(<id>)\".",
                       table->entity_set, literal, column->navprop, column->target,
                       target ? target->entity_set : column->target);
    return FALSE;
  }
}

void
dv_body_not_object (DvTable    *table,
                    DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                     PAYLOAD_ERROR "The request body is not a JSON object.", table->entity_set);
}

/* Validates a request body into column values. @row is the row being
 * updated, NULL for a create. */
static JsonObject *
convert_body (DvServer *self,
              DvRequest         *req,
              DvTable           *table,
              DvRow             *row,
              DvResponse        *resp)
{
  g_autoptr(JsonObject) body = dv_request_json_object (req);
  g_autoptr(JsonObject) values = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (body == NULL)
    {
      dv_body_not_object (table, resp);
      return NULL;
    }

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *at = strchr (name, '@');
      DvColumn *column;
      JsonNode *converted = NULL;

      if (at != NULL)
        {
          g_autofree char *nav = g_strndup (name, at - name);

          /* Other instance annotations (@odata.type, …) carry nothing here. */
          if (!g_str_equal (at, "@odata.bind"))
            continue;
          column = g_hash_table_lookup (table->columns_by_navprop, nav);
          if (column == NULL)
            {
              dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                                 PAYLOAD_ERROR "An undeclared property '%s' which only has property "
                                 "annotations in the payload but no property value was found in the "
                                 "payload. In OData, only declared navigation properties and declared "
                                 "named streams can be represented as properties without values.",
                                 table->entity_set, nav);
              return NULL;
            }
          if (!dv_resolve_bind (self, req, table, column, node, &converted, resp))
            return NULL;
          json_object_set_member (values, column->property, converted);
          continue;
        }

      column = dv_table_column (table, name);
      if (column == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                             PAYLOAD_ERROR "The property '%s' does not exist on type '" DV_NAMESPACE
                             ".%s'. Make sure to only use property names that are defined by the "
                             "type or mark the type as open type.",
                             table->entity_set, name, table->logical_name);
          return NULL;
        }
      if (column->type == DV_TYPE_LOOKUP)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                             PAYLOAD_ERROR "The property '%s' is read-only; set the lookup with "
                             "'%s@odata.bind'.", table->entity_set, name, column->navprop);
          return NULL;
        }
      if (column->is_primary_id && row != NULL)
        {
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
              && g_ascii_strcasecmp (json_node_get_string (node), row->id) == 0)
            continue;
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                             PAYLOAD_ERROR "The primary key '%s' cannot be changed.",
                             table->entity_set, name);
          return NULL;
        }
      if (row == NULL ? !column->valid_for_create : !column->valid_for_update)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80048d19",
                             PAYLOAD_ERROR "The property '%s' is read-only and cannot be set on "
                             "type '" DV_NAMESPACE ".%s'.",
                             table->entity_set, name, table->logical_name);
          return NULL;
        }
      if (!dv_column_convert (table, column, node, &converted, resp))
        return NULL;
      if (column->is_primary_id && JSON_NODE_HOLDS_NULL (converted))
        {
          json_node_unref (converted);
          continue;
        }
      json_object_set_member (values, column->property, converted);
    }
  return g_steal_pointer (&values);
}

static void
answer_written (DvServer *self,
                DvRequest         *req,
                DvResponse        *resp,
                DvTable           *table,
                DvRow             *row,
                gboolean           created)
{
  g_autofree char *url = dv_server_entity_url (self, table, row->id);

  g_free (resp->entity_url);
  resp->entity_url = g_strdup (url);
  if (req->prefer.return_representation)
    {
      g_autoptr(GPtrArray) select = NULL;
      g_autofree char *context = NULL;
      g_autoptr(JsonNode) root = NULL;
      const char *text = dv_request_get_query (req, "$select");

      if (text != NULL && (select = dv_parse_select (table, text, resp)) == NULL)
        return;
      context = dv_context_url (self, table, select, NULL, "/$entity");
      root = json_node_init_object (json_node_alloc (),
                                    dv_row_to_json (table, row, select, &req->prefer, context));
      json_object_unref (json_node_get_object (root));
      /* INFER: an upsert that creates answers 201 like a POST. */
      dv_response_set_json (resp, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, root, FALSE);
      dv_response_add_preference (resp, "return=representation");
      return;
    }
  resp->status = SOUP_STATUS_NO_CONTENT;
  soup_message_headers_replace (resp->headers, "OData-EntityId", url);
}

/* A row created through its alternate key has the key's values; a body
 * that gives another value for a key column contradicts the URL. */
static gboolean
take_key_values (DvTable    *table,
                 JsonObject *values,
                 JsonObject *key_values,
                 DvResponse *resp)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, key_values);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *given = json_object_get_member (values, name);

      if (given != NULL && !dv_key_values_equal (given, node))
        {
          dv_invalid_key (table, resp);
          return FALSE;
        }
      json_object_set_member (values, name, json_node_copy (node));
    }
  return TRUE;
}

void
dv_handle_create (DvServer *self,
                  DvRequest         *req,
                  DvResponse        *resp,
                  DvTable           *table)
{
  g_autoptr(JsonObject) values = convert_body (self, req, table, NULL, resp);
  const char *id;
  DvRow *row;

  if (values == NULL)
    return;
  id = json_object_get_string_member_with_default (values, table->primary_id, NULL);
  if ((id != NULL && dv_table_row (table, id) != NULL) || dv_table_key_conflict (table, NULL, values) != NULL)
    {
      duplicate_record (resp);
      return;
    }
  row = dv_table_insert (table, id, values);
  answer_written (self, req, resp, table, row, TRUE);
}

void
dv_handle_upsert (DvServer *self,
                  DvRequest         *req,
                  DvResponse        *resp,
                  DvTable           *table,
                  const char        *key)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) alt = NULL;
  g_autoptr(JsonObject) values = NULL;
  const char *if_match = soup_message_headers_get_one (req->headers, "If-Match");
  const char *if_none_match = soup_message_headers_get_one (req->headers, "If-None-Match");
  DvRow *row;

  if (!dv_resolve_key (table, key, &row, &id, &alt, resp)
      || !dv_require (self, table, row ? "Write" : "Create", resp))
    return;

  if (if_none_match != NULL && g_str_equal (if_none_match, "*") && row != NULL)
    {
      duplicate_record (resp);
      return;
    }
  if (if_match != NULL)
    {
      g_autofree char *etag = row ? dv_row_etag (row) : NULL;

      if (row == NULL)
        {
          dv_not_found (table, id, alt, resp);
          return;
        }
      if (!g_str_equal (if_match, "*") && !g_str_equal (if_match, etag))
        {
          dv_response_error (resp, SOUP_STATUS_PRECONDITION_FAILED, "0x80060882",
                             "The version of the existing record doesn't match the RowVersion "
                             "property provided.");
          return;
        }
    }

  values = convert_body (self, req, table, row, resp);
  if (values == NULL)
    return;

  if (alt != NULL && row == NULL && !take_key_values (table, values, alt, resp))
    return;
  if (dv_table_key_conflict (table, row, values) != NULL)
    {
      duplicate_record (resp);
      return;
    }

  if (row != NULL)
    {
      dv_table_update (table, row, values);
      answer_written (self, req, resp, table, row, FALSE);
    }
  else
    {
      const char *body_id = json_object_get_string_member_with_default (values, table->primary_id, NULL);

      if (id != NULL && body_id != NULL && g_ascii_strcasecmp (id, body_id) != 0)
        {
          dv_invalid_key (table, resp);
          return;
        }
      if (body_id != NULL && dv_table_row (table, body_id) != NULL)
        {
          duplicate_record (resp);
          return;
        }
      row = dv_table_insert (table, id ? id : body_id, values);
      answer_written (self, req, resp, table, row, TRUE);
    }
}

void
dv_handle_delete (DvServer *self,
                  DvRequest         *req,
                  DvResponse        *resp,
                  DvTable           *table,
                  const char        *key)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) alt = NULL;
  g_autofree char *etag = NULL;
  const char *if_match = soup_message_headers_get_one (req->headers, "If-Match");
  DvRow *row;

  if (!dv_resolve_key (table, key, &row, &id, &alt, resp))
    return;
  if (row == NULL)
    {
      dv_not_found (table, id, alt, resp);
      return;
    }
  etag = dv_row_etag (row);
  if (if_match != NULL && !g_str_equal (if_match, "*") && !g_str_equal (if_match, etag))
    {
      dv_response_error (resp, SOUP_STATUS_PRECONDITION_FAILED, "0x80060882",
                         "The version of the existing record doesn't match the RowVersion "
                         "property provided.");
      return;
    }
  dv_table_delete (table, row);
  resp->status = SOUP_STATUS_NO_CONTENT;
}
