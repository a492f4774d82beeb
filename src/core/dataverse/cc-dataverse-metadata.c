/* cc-dataverse-metadata.c — tables and columns from EntityDefinitions.
 *
 * The engine checks the live schema at every start (does the table exist,
 * is change tracking on, can each mapped column be read or written, how
 * long may a string be); the UI fills its pickers from the same calls.
 * Option labels are a separate request per column, as the Web API only
 * gives them through a cast to the attribute's metadata type.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-dataverse-client-private.h"
#include "cc-json-read.h"

#define TABLE_SELECT \
  "$select=LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute," \
  "PrimaryNameAttribute,ChangeTrackingEnabled,IsCustomEntity,IsActivity,DisplayName"

static void
option_free (CcDataverseOption *option)
{
  g_free (option->label);
  g_free (option);
}

static void
column_free (CcDataverseColumn *column)
{
  g_free (column->logical_name);
  g_free (column->attribute_type);
  g_free (column->type_name);
  g_strfreev (column->targets);
  g_clear_pointer (&column->options, g_ptr_array_unref);
  g_free (column);
}

static void
key_free (CcDataverseKey *key)
{
  g_free (key->logical_name);
  g_strfreev (key->attributes);
  g_free (key->index_status);
  g_free (key);
}

void
cc_dataverse_table_free (CcDataverseTable *table)
{
  if (table == NULL)
    return;
  g_free (table->logical_name);
  g_free (table->schema_name);
  g_free (table->metadata_id);
  g_clear_pointer (&table->keys, g_ptr_array_unref);
  g_clear_pointer (&table->privileges, g_hash_table_unref);
  g_free (table->entity_set_name);
  g_free (table->primary_id_attribute);
  g_free (table->primary_name_attribute);
  g_free (table->display_name);
  g_clear_pointer (&table->columns, g_ptr_array_unref);
  g_free (table);
}

const CcDataverseColumn *
cc_dataverse_table_find_column (const CcDataverseTable *table,
                                const char             *logical_name)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (logical_name != NULL, NULL);

  for (guint i = 0; table->columns != NULL && i < table->columns->len; i++)
    {
      const CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      if (g_strcmp0 (column->logical_name, logical_name) == 0)
        return column;
    }
  return NULL;
}

const CcDataverseKey *
cc_dataverse_table_find_key (const CcDataverseTable *table,
                             const char             *logical_name)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (logical_name != NULL, NULL);

  for (guint i = 0; table->keys != NULL && i < table->keys->len; i++)
    {
      const CcDataverseKey *key = g_ptr_array_index (table->keys, i);

      if (key->attributes != NULL && g_strv_length (key->attributes) == 1
          && g_strcmp0 (key->attributes[0], logical_name) == 0)
        return key;
    }
  return NULL;
}

const char *
cc_dataverse_column_get_label (const CcDataverseColumn *column,
                               int                      value)
{
  g_return_val_if_fail (column != NULL, NULL);

  for (guint i = 0; column->options != NULL && i < column->options->len; i++)
    {
      const CcDataverseOption *option = g_ptr_array_index (column->options, i);

      if (option->value == value)
        return option->label;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean    fallback)
{
  JsonNode *node;

  if (!json_object_has_member (object, name))
    return fallback;
  node = json_object_get_member (object, name);
  /* Some flags are managed properties: {"Value": true, …}. */
  if (JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_read_boolean (json_node_get_object (node), "Value", fallback);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return fallback;
}

static char *
dup_string (JsonObject *object,
            const char *name)
{
  return g_strdup (cc_json_read_string (object, name));
}

/* {"UserLocalizedLabel":{"Label":…},"LocalizedLabels":[{"Label":…}]} */
static char *
dup_label (JsonObject *object,
           const char *name)
{
  JsonObject *label = cc_json_read_object (object, name);
  JsonObject *user = cc_json_read_object (label, "UserLocalizedLabel");
  JsonArray *labels = cc_json_read_array (label, "LocalizedLabels");
  const char *text = user ? cc_json_read_string (user, "Label") : NULL;

  if (text != NULL)
    return g_strdup (text);
  if (labels != NULL && json_array_get_length (labels) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (labels, 0)))
    return dup_string (json_array_get_object_element (labels, 0), "Label");
  return NULL;
}

static CcDataverseTable *
parse_table (JsonObject *object)
{
  CcDataverseTable *table = g_new0 (CcDataverseTable, 1);

  table->logical_name = dup_string (object, "LogicalName");
  table->schema_name = dup_string (object, "SchemaName");
  table->metadata_id = dup_string (object, "MetadataId");
  table->entity_set_name = dup_string (object, "EntitySetName");
  table->primary_id_attribute = dup_string (object, "PrimaryIdAttribute");
  table->primary_name_attribute = dup_string (object, "PrimaryNameAttribute");
  table->display_name = dup_label (object, "DisplayName");
  table->change_tracking = get_bool (object, "ChangeTrackingEnabled", FALSE);
  table->is_custom = get_bool (object, "IsCustomEntity", FALSE);
  table->is_activity = get_bool (object, "IsActivity", FALSE);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
  table->privileges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return table;
}

static GStrv
dup_strings (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

/* The alternate keys ($expand=Keys) and the privileges of a table. */
static void
parse_keys_and_privileges (CcDataverseTable *table,
                           JsonObject       *object)
{
  JsonArray *keys = cc_json_read_array (object, "Keys");
  JsonArray *privileges = cc_json_read_array (object, "Privileges");

  for (guint i = 0; keys != NULL && i < json_array_get_length (keys); i++)
    {
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (json_array_get_element (keys, i))
                          ? json_array_get_object_element (keys, i) : NULL;
      CcDataverseKey *key;

      if (entry == NULL)
        continue;
      key = g_new0 (CcDataverseKey, 1);
      key->logical_name = dup_string (entry, "LogicalName");
      key->attributes = dup_strings (cc_json_read_array (entry, "KeyAttributes"));
      key->index_status = dup_string (entry, "EntityKeyIndexStatus");
      g_ptr_array_add (table->keys, key);
    }
  for (guint i = 0; privileges != NULL && i < json_array_get_length (privileges); i++)
    {
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (json_array_get_element (privileges, i))
                          ? json_array_get_object_element (privileges, i) : NULL;
      const char *type = cc_json_read_string (entry, "PrivilegeType");
      const char *name = cc_json_read_string (entry, "Name");

      if (type != NULL && name != NULL)
        g_hash_table_replace (table->privileges, g_strdup (type), g_strdup (name));
    }
}

static CcDataverseColumn *
parse_column (JsonObject *object)
{
  CcDataverseColumn *column = g_new0 (CcDataverseColumn, 1);
  JsonObject *type_name = cc_json_read_object (object, "AttributeTypeName");
  JsonArray *targets = cc_json_read_array (object, "Targets");

  column->logical_name = dup_string (object, "LogicalName");
  column->attribute_type = dup_string (object, "AttributeType");
  if (type_name != NULL)
    column->type_name = dup_string (type_name, "Value");
  column->valid_for_read = get_bool (object, "IsValidForRead", TRUE);
  column->valid_for_create = get_bool (object, "IsValidForCreate", FALSE);
  column->valid_for_update = get_bool (object, "IsValidForUpdate", FALSE);
  column->max_length = (int) CLAMP (cc_json_read_int (object, "MaxLength", -1), -1, G_MAXINT);

  if (targets != NULL)
    {
      GStrvBuilder *builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (targets); i++)
        {
          JsonNode *node = json_array_get_element (targets, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (node));
        }
      column->targets = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  return column;
}

CcDataverseTable *
cc_dataverse_table_read (JsonObject *definition)
{
  g_autoptr(CcDataverseTable) table = parse_table (definition);
  JsonArray *attributes = cc_json_read_array (definition, "Attributes");

  if (table->logical_name == NULL)
    return NULL;
  parse_keys_and_privileges (table, definition);
  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (attributes, i)))
      g_ptr_array_add (table->columns, parse_column (json_array_get_object_element (attributes, i)));
  return g_steal_pointer (&table);
}

static void
add_option (GPtrArray  *options,
            JsonObject *object)
{
  gint64 value = cc_json_read_int (object, "Value", G_MININT64);
  CcDataverseOption *option;

  /* An option is a whole number that fits an int, as Dataverse's are. */
  if (value < G_MININT || value > G_MAXINT)
    return;
  option = g_new0 (CcDataverseOption, 1);
  option->value = (int) value;
  option->label = dup_label (object, "Label");
  if (option->label == NULL)
    option->label = g_strdup_printf ("%d", option->value);
  g_ptr_array_add (options, option);
}

void
cc_dataverse_column_read_options (CcDataverseColumn *column,
                                  JsonObject        *attribute)
{
  JsonObject *set = cc_json_read_object (attribute, "OptionSet");
  GPtrArray *options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
  JsonArray *array;

  g_clear_pointer (&column->options, g_ptr_array_unref);
  column->options = options;
  if (set == NULL)
    set = cc_json_read_object (attribute, "GlobalOptionSet");
  if (set == NULL)
    return;

  array = cc_json_read_array (set, "Options");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      add_option (options, json_array_get_object_element (array, i));
  /* Booleans: a two-option set. */
  add_option (options, cc_json_read_object (set, "FalseOption"));
  add_option (options, cc_json_read_object (set, "TrueOption"));
}

/* The metadata type to cast to for a column's options, or NULL when it
 * has none. */
static const char *
options_cast (const CcDataverseColumn *column)
{
  if (g_strcmp0 (column->type_name, "MultiSelectPicklistType") == 0)
    return "MultiSelectPicklistAttributeMetadata";
  if (g_strcmp0 (column->attribute_type, "Picklist") == 0)
    return "PicklistAttributeMetadata";
  if (g_strcmp0 (column->attribute_type, "State") == 0)
    return "StateAttributeMetadata";
  if (g_strcmp0 (column->attribute_type, "Status") == 0)
    return "StatusAttributeMetadata";
  if (g_strcmp0 (column->attribute_type, "Boolean") == 0)
    return "BooleanAttributeMetadata";
  return NULL;
}

static char *
quote_name (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, "'", -1);
  g_autofree char *doubled = g_strjoinv ("''", parts);

  return g_uri_escape_string (doubled, "'", FALSE);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static JsonObject *
get_object (CcDataverseClient  *self,
            const char         *path,
            CcHttpResponse    **out_response,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  JsonObject *object;

  request = cc_dataverse_client_new_request (self, "GET", path);
  response = cc_http_send (cc_dataverse_client_get_http (self), request, cancellable, error);
  if (response == NULL)
    return NULL;
  if (!cc_dataverse_client_check_access (self, response, error))
    return NULL;
  if (!cc_http_response_is_success (response))
    {
      *out_response = g_steal_pointer (&response);
      return NULL;
    }

  object = cc_http_response_dup_object (response);
  if (object == NULL)
    g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                 _("Dynamics 365 answered GET %s with something that is not a JSON object"),
                 response->path);
  return object;
}

/* GET @path, a definition of table @logical_name: NULL with CC_ERROR_SCHEMA
 * when there is no such table. */
static JsonObject *
get_definition (CcDataverseClient  *self,
                const char         *path,
                const char         *logical_name,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(CcHttpResponse) failed = NULL;
  g_autofree char *message = NULL;
  JsonObject *object = get_object (self, path, &failed, cancellable, error);

  if (failed == NULL)
    return object;
  if (failed->status == SOUP_STATUS_NOT_FOUND)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Table '%s' does not exist in Dynamics 365"), logical_name);
      return NULL;
    }
  message = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, failed);
  g_set_error (error, CC_ERROR, CC_ERROR_FAILED, "%s", message);
  return NULL;
}

static gboolean
fetch_options (CcDataverseClient  *self,
               const char         *quoted_table,
               CcDataverseColumn  *column,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(CcHttpResponse) failed = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *quoted_column = NULL;
  g_autofree char *path = NULL;
  const char *cast = options_cast (column);

  if (cast == NULL)
    return TRUE;

  quoted_column = quote_name (column->logical_name);
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')/Attributes(LogicalName='%s')"
                          "/Microsoft.Dynamics.CRM.%s?$select=LogicalName&$expand=OptionSet",
                          quoted_table, quoted_column, cast);
  object = get_object (self, path, &failed, cancellable, error);
  if (object == NULL && failed == NULL)
    return FALSE;
  if (failed != NULL)
    {
      /* Labels are only for display: a column whose options cannot be
       * read keeps its raw values rather than failing the whole table. */
      g_autofree char *message = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, failed);

      g_debug ("No option labels for %s: %s", column->logical_name, message);
      return TRUE;
    }

  cc_dataverse_column_read_options (column, object);
  return TRUE;
}

CcDataverseTable *
cc_dataverse_client_get_table (CcDataverseClient  *self,
                               const char         *logical_name,
                               gboolean            with_options,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(CcDataverseTable) table = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (logical_name != NULL, NULL);

  quoted = quote_name (logical_name);
  /* No $select inside the $expand: MaxLength and Targets only exist on
   * the derived attribute types, and selecting them on the base type is
   * refused. */
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')?" TABLE_SELECT ",MetadataId,Privileges"
                          "&$expand=Attributes,Keys($select=LogicalName,KeyAttributes,EntityKeyIndexStatus)",
                          quoted);
  object = get_definition (self, path, logical_name, cancellable, error);
  if (object == NULL)
    return NULL;

  table = cc_dataverse_table_read (object);
  if (table == NULL || table->entity_set_name == NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_SCHEMA,
                   _("Table '%s' does not exist in Dynamics 365"), logical_name);
      return NULL;
    }

  for (guint i = 0; with_options && i < table->columns->len; i++)
    {
      CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      if (!fetch_options (self, quoted, column, cancellable, error))
        return NULL;
    }

  return g_steal_pointer (&table);
}

JsonObject *
cc_dataverse_client_get_definition (CcDataverseClient  *self,
                                    const char         *logical_name,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  g_autofree char *quoted = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (logical_name != NULL, NULL);

  quoted = quote_name (logical_name);
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')", quoted);
  return get_definition (self, path, logical_name, cancellable, error);
}

static int
compare_tables (gconstpointer a,
                gconstpointer b)
{
  const CcDataverseTable *ta = *(const CcDataverseTable **) a;
  const CcDataverseTable *tb = *(const CcDataverseTable **) b;

  return g_strcmp0 (ta->logical_name, tb->logical_name);
}

GPtrArray *
cc_dataverse_client_list_tables (CcDataverseClient  *self,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  g_autoptr(CcHttpResponse) failed = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  JsonArray *value;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);

  object = get_object (self, "EntityDefinitions?" TABLE_SELECT, &failed, cancellable, error);
  if (object == NULL && failed == NULL)
    return NULL;
  if (failed != NULL)
    {
      g_autofree char *message = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, failed);

      g_set_error (error, CC_ERROR, CC_ERROR_FAILED, "%s", message);
      return NULL;
    }

  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_table_free);
  value = cc_json_read_array (object, "value");
  for (guint i = 0; value != NULL && i < json_array_get_length (value); i++)
    {
      CcDataverseTable *table;

      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (value, i)))
        continue;
      table = cc_dataverse_table_read (json_array_get_object_element (value, i));
      if (table != NULL)
        g_ptr_array_add (tables, table);
    }
  g_ptr_array_sort (tables, compare_tables);
  return g_steal_pointer (&tables);
}
