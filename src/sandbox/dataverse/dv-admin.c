/* dv-admin.c — the sandbox's own API on the Dataverse port,
 * under /_sandbox/: counters, direct access to the tables (changes made
 * here are real changes: versions move and change tracking sees them),
 * schema and change-tracking switches, the setup to leave out, the
 * application user's privileges, and the shared fault knobs. No auth, no
 * faults, no limits.
 *
 *   POST /_sandbox/setup {"remove": [ITEM, ...]}   (cc-sandbox-setup.h)
 *   GET  /_sandbox/privileges                      {"revoked": [...]}
 *   GET, POST /_sandbox/users                      (dv-users.c)
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-setup.h"

static void
answer (SoupServerMessage *msg,
        guint              status,
        JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
answer_object (SoupServerMessage *msg,
               guint              status,
               JsonObject        *obj)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), obj);

  answer (msg, status, root);
}

static void G_GNUC_PRINTF (3, 4)
answer_error (SoupServerMessage *msg,
              guint              status,
              const char        *format,
              ...)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  json_object_set_string_member (obj, "error", text);
  answer_object (msg, status, obj);
}

static JsonObject *
row_json (DvRow *row)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, row->data);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

static void
answer_row (SoupServerMessage *msg,
            guint              status,
            DvRow             *row)
{
  g_autoptr(JsonObject) obj = row_json (row);

  answer_object (msg, status, obj);
}

static void
handle_stats (DvServer *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  JsonObject *requests = json_object_new ();
  JsonObject *tables = json_object_new ();

  json_object_set_int_member (requests, "total", self->stats.total);
  json_object_set_int_member (requests, "token", self->stats.token);
  json_object_set_int_member (requests, "get", self->stats.get);
  json_object_set_int_member (requests, "post", self->stats.post);
  json_object_set_int_member (requests, "patch", self->stats.patch);
  json_object_set_int_member (requests, "delete", self->stats.delete);
  json_object_set_int_member (requests, "batch", self->stats.batch);
  json_object_set_int_member (requests, "batch_parts", self->stats.batch_parts);
  json_object_set_int_member (requests, "throttled", self->stats.throttled);
  json_object_set_int_member (requests, "faulted",
                              cc_sandbox_faults_get_injected (self->faults, CC_SANDBOX_SERVICE_DATAVERSE));
  for (guint i = 0; i < self->tables->len; i++)
    {
      DvTable *table = g_ptr_array_index (self->tables, i);

      json_object_set_int_member (tables, table->entity_set, g_hash_table_size (table->rows));
    }
  json_object_set_object_member (obj, "requests", requests);
  json_object_set_object_member (obj, "tables", tables);
  answer_object (msg, SOUP_STATUS_OK, obj);
}

static JsonObject *
read_body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Validates an admin body. Unlike the Web API, lookups are set directly
 * through their _<name>_value property, and createdon / modifiedon may be
 * back-dated (as data imports do). */
static JsonObject *
convert_admin_body (DvTable           *table,
                    JsonObject        *body,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonObject) values = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &node))
    {
      DvColumn *column = dv_table_column (table, name);
      JsonNode *converted = NULL;
      DvResponse *resp;

      if (column == NULL)
        {
          answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Table %s has no column '%s'.",
                        table->entity_set, name);
          return NULL;
        }
      if (g_str_equal (name, "versionnumber") || g_str_equal (name, "fullname"))
        {
          answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Column '%s' is computed by the server.", name);
          return NULL;
        }
      resp = dv_response_new ();
      if (!dv_column_convert (table, column, node, &converted, resp))
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (resp->body, NULL),
                                             g_bytes_get_size (resp->body));

          answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Column '%s': %s", name, text);
          dv_response_free (resp);
          return NULL;
        }
      dv_response_free (resp);
      json_object_set_member (values, name, converted);
    }
  return g_steal_pointer (&values);
}

/* POST …/change-tracking {"enabled": true|false}. */
static void
set_change_tracking (DvTable           *table,
                     SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = read_body_object (msg);
  g_autoptr(JsonObject) out = json_object_new ();
  JsonNode *enabled = body ? json_object_get_member (body, "enabled") : NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST || enabled == NULL
      || !JSON_NODE_HOLDS_VALUE (enabled) || json_node_get_value_type (enabled) != G_TYPE_BOOLEAN)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "POST {\"enabled\": true|false}");
      return;
    }
  table->change_tracking = json_node_get_boolean (enabled);
  json_object_set_string_member (out, "table", table->logical_name);
  json_object_set_boolean_member (out, "change_tracking", table->change_tracking);
  answer_object (msg, SOUP_STATUS_OK, out);
}

/* GET: every row, in insertion order. */
static void
list_rows (DvTable           *table,
           SoupServerMessage *msg)
{
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *rows = json_array_sized_new (g_hash_table_size (table->rows));

  for (GSequenceIter *it = g_sequence_get_begin_iter (table->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    json_array_add_object_element (rows, row_json (g_sequence_get (it)));
  json_object_set_array_member (out, "value", rows);
  json_object_set_int_member (out, "count", g_hash_table_size (table->rows));
  answer_object (msg, SOUP_STATUS_OK, out);
}

/* POST: a new row, refused when its id or an alternate key is taken. */
static void
add_row (DvTable           *table,
         SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = read_body_object (msg);
  g_autoptr(JsonObject) values = NULL;
  const char *id;

  if (body == NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object (a row).");
      return;
    }
  if ((values = convert_admin_body (table, body, msg)) == NULL)
    return;
  id = json_object_get_string_member_with_default (values, table->primary_id, NULL);
  if ((id != NULL && dv_table_row (table, id) != NULL) || dv_table_key_conflict (table, NULL, values) != NULL)
    {
      answer_error (msg, SOUP_STATUS_CONFLICT, "A row with this key already exists.");
      return;
    }
  answer_row (msg, SOUP_STATUS_CREATED, dv_table_insert (table, id, values));
}

/* PATCH: changed columns of @row, refused when an alternate key is
 * taken. */
static void
change_row (DvTable           *table,
            DvRow             *row,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = read_body_object (msg);
  g_autoptr(JsonObject) values = NULL;

  if (body == NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object of changed columns.");
      return;
    }
  if ((values = convert_admin_body (table, body, msg)) == NULL)
    return;
  json_object_remove_member (values, table->primary_id);
  if (dv_table_key_conflict (table, row, values) != NULL)
    {
      answer_error (msg, SOUP_STATUS_CONFLICT, "Another row has this alternate key.");
      return;
    }
  dv_table_update (table, row, values);
  answer_row (msg, SOUP_STATUS_OK, row);
}

/* GET, PATCH or DELETE of the row @id. */
static void
handle_row (DvTable           *table,
            const char        *id,
            SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  DvRow *row = dv_table_row (table, id);

  if (row == NULL)
    answer_error (msg, SOUP_STATUS_NOT_FOUND, "No row %s in %s.", id, table->entity_set);
  else if (method == SOUP_METHOD_GET)
    answer_row (msg, SOUP_STATUS_OK, row);
  else if (method == SOUP_METHOD_DELETE)
    {
      dv_table_delete (table, row);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (method, "PATCH"))
    change_row (table, row, msg);
  else
    answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed here.");
}

static void
handle_table (DvServer          *self,
              SoupServerMessage *msg,
              char             **parts,
              guint              n)
{
  const char *method = soup_server_message_get_method (msg);
  DvTable *table = dv_server_table_by_set (self, parts[0]);

  if (table == NULL)
    answer_error (msg, SOUP_STATUS_NOT_FOUND, "No table with the entity set '%s'.", parts[0]);
  else if (n == 2 && g_str_equal (parts[1], "change-tracking"))
    set_change_tracking (table, msg);
  else if (n == 1 && method == SOUP_METHOD_GET)
    list_rows (table, msg);
  else if (n == 1 && method == SOUP_METHOD_POST)
    add_row (table, msg);
  else if (n != 2)
    answer_error (msg, SOUP_STATUS_NOT_FOUND, "No such admin resource.");
  else
    handle_row (table, parts[1], msg);
}

/* The four email-event activity tables Adobe's solution would add. */
static const char *const activity_tables[] = {
  "new_emailsend", "new_emailopen", "new_emailclick", "new_emailbounce", NULL
};

static gboolean
remove_item (gpointer                   server,
             const CcSandboxSetupItem  *item,
             GError                   **error)
{
  DvServer *self = server;
  DvTable *table = item->object ? dv_server_table_by_name (self, item->object) : NULL;

  switch (item->kind)
    {
    case CC_SANDBOX_SETUP_ACTIVITY_TABLES:
      for (guint i = 0; activity_tables[i] != NULL; i++)
        if ((table = dv_server_table_by_name (self, activity_tables[i])) != NULL)
          dv_server_remove_table (self, table);
      return TRUE;
    case CC_SANDBOX_SETUP_PRIVILEGE:
      if (dv_revoke_privilege (self, item->object))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Dataverse has no privilege '%s' to take away", item->object);
      return FALSE;
    case CC_SANDBOX_SETUP_TABLE:
    case CC_SANDBOX_SETUP_ALTERNATE_KEY:
    case CC_SANDBOX_SETUP_CHANGE_TRACKING:
    case CC_SANDBOX_SETUP_COLUMN:
      break;
    case CC_SANDBOX_SETUP_CUSTOM_FILTERS:
    case CC_SANDBOX_SETUP_FILTER:
    case CC_SANDBOX_SETUP_FIELD:
    case CC_SANDBOX_SETUP_KEY:
    default:
      return TRUE;
    }

  if (table == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Dataverse has no table '%s'",
                   item->object);
      return FALSE;
    }
  if (item->kind == CC_SANDBOX_SETUP_TABLE)
    dv_server_remove_table (self, table);
  else if (item->kind == CC_SANDBOX_SETUP_CHANGE_TRACKING)
    table->change_tracking = FALSE;
  else if (item->kind == CC_SANDBOX_SETUP_ALTERNATE_KEY)
    g_ptr_array_set_size (table->keys, 0);
  else if (!dv_table_remove_column (table, item->member))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Dataverse table '%s' has no column '%s' to leave out", item->object, item->member);
      return FALSE;
    }
  return TRUE;
}

gboolean
dv_server_remove_setup (DvServer           *self,
                        const char * const *items,
                        GError            **error)
{
  return cc_sandbox_setup_remove (items, FALSE, remove_item, self, error);
}

/* POST {"remove": [ITEM, ...]}: every item is read before any is applied. */
static void
handle_setup (DvServer          *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = read_body_object (msg);
  g_auto(GStrv) items = NULL;
  g_autoptr(GError) error = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "POST {\"remove\": [\"ITEM\", ...]}");
      return;
    }
  if ((items = cc_sandbox_setup_read_request (body, &error)) == NULL
      || !dv_server_remove_setup (self, (const char * const *) items, &error))
    {
      answer_error (msg, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                         ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  answer_object (msg, SOUP_STATUS_OK, body);
}

/* GET: the privileges the application user's role lacks. */
static void
handle_privileges (DvServer          *self,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (self->revoked), (GCompareFunc) strcmp);
  JsonArray *revoked = json_array_new ();

  for (GList *l = names; l != NULL; l = l->next)
    json_array_add_string_element (revoked, l->data);
  json_object_set_string_member (out, "user_id", self->user_id);
  json_object_set_array_member (out, "revoked", revoked);
  answer_object (msg, SOUP_STATUS_OK, out);
}

void
dv_handle_admin (DvServer *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  const char *rest = path + strlen ("/_sandbox/");
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  guint n = g_strv_length (parts);

  /* Ignore a trailing slash. */
  if (n > 0 && parts[n - 1][0] == '\0')
    n--;

  if (n == 1 && g_str_equal (parts[0], "faults"))
    cc_sandbox_faults_handle_admin (self->faults, msg);
  else if (n == 1 && g_str_equal (parts[0], "setup"))
    handle_setup (self, msg);
  else if (n == 1 && g_str_equal (parts[0], "privileges") && method == SOUP_METHOD_GET)
    handle_privileges (self, msg);
  else if (n == 1 && g_str_equal (parts[0], "users"))
    dv_handle_users (self, msg);
  else if (n == 1 && g_str_equal (parts[0], "stats") && method == SOUP_METHOD_GET)
    handle_stats (self, msg);
  else if (n >= 2 && n <= 3 && g_str_equal (parts[0], "tables"))
    handle_table (self, msg, parts + 1, n - 1);
  else if (n == 1 && g_str_equal (parts[0], "expire-delta-tokens") && method == SOUP_METHOD_POST)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      /* A fresh version marks the boundary: every token handed out so far
       * is below it, every later one at or above it. */
      self->delta_floor = ++self->version;
      json_object_set_int_member (out, "expired_below", self->delta_floor);
      answer_object (msg, SOUP_STATUS_OK, out);
    }
  else if (n == 5 && g_str_equal (parts[0], "schema") && g_str_equal (parts[2], "columns")
           && g_str_equal (parts[4], "remove") && method == SOUP_METHOD_POST)
    {
      DvTable *table = dv_server_table_by_name (self, parts[1]);
      g_autoptr(JsonObject) out = json_object_new ();

      if (table == NULL || !dv_table_remove_column (table, parts[3]))
        {
          answer_error (msg, SOUP_STATUS_NOT_FOUND, "No removable column '%s' on table '%s'.",
                        parts[3], parts[1]);
          return;
        }
      json_object_set_string_member (out, "table", table->logical_name);
      json_object_set_string_member (out, "removed", parts[3]);
      answer_object (msg, SOUP_STATUS_OK, out);
    }
  else
    answer_error (msg, SOUP_STATUS_NOT_FOUND, "No admin resource %s %s.", method, path);
}
