/* dv-metadata.c — the EntityDefinitions metadata API: tables,
 * their attributes, and option sets through the typed casts, with the
 * $select / $filter / $expand a client uses on them (notes §12, §13).
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"
#include "cc-sandbox-seed.h"

#define CAST_PREFIX DV_NAMESPACE "."

/* ---- metadata objects --------------------------------------------------- */

static JsonObject *
label_object (DvServer *self,
              const char        *text)
{
  JsonObject *label = json_object_new ();
  JsonObject *localized = json_object_new ();
  JsonArray *all = json_array_new ();
  g_autofree char *kind = g_strconcat ("label:", text, NULL);
  g_autofree char *id = cc_sandbox_seed_guid (self->options.seed, kind, 0);

  json_object_set_string_member (localized, "Label", text);
  json_object_set_int_member (localized, "LanguageCode", 1033);
  json_object_set_boolean_member (localized, "IsManaged", TRUE);
  json_object_set_string_member (localized, "MetadataId", id);
  json_object_set_null_member (localized, "HasChanged");
  json_array_add_object_element (all, json_object_ref (localized));
  json_object_set_array_member (label, "LocalizedLabels", all);
  json_object_set_object_member (label, "UserLocalizedLabel", localized);
  return label;
}

static JsonObject *
value_object (const char *value)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "Value", value);
  return obj;
}

static const char *
metadata_kind (DvColumn *column)
{
  static const char *kinds[] = {
    [DV_TYPE_STRING] = "String",
    [DV_TYPE_MEMO] = "Memo",
    [DV_TYPE_UNIQUEIDENTIFIER] = "UniqueIdentifier",
    [DV_TYPE_BOOLEAN] = "Boolean",
    [DV_TYPE_PICKLIST] = "Picklist",
    [DV_TYPE_STATE] = "State",
    [DV_TYPE_STATUS] = "Status",
    [DV_TYPE_DATE] = "DateTime",
    [DV_TYPE_DATETIME] = "DateTime",
    [DV_TYPE_LOOKUP] = "Lookup",
    [DV_TYPE_BIGINT] = "BigInt",
  };
  return kinds[column->type];
}

static JsonObject *
attribute_object (DvServer *self,
                  DvTable           *table,
                  DvColumn          *column)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *odata_type = g_strdup_printf ("#" DV_NAMESPACE ".%sAttributeMetadata",
                                                 metadata_kind (column));
  g_autofree char *type_name = g_strconcat (dv_column_attribute_type (column), "Type", NULL);
  JsonObject *required = json_object_new ();

  json_object_set_string_member (obj, "@odata.type", odata_type);
  json_object_set_string_member (obj, "MetadataId", column->metadata_id);
  json_object_set_string_member (obj, "LogicalName", column->logical_name);
  json_object_set_string_member (obj, "SchemaName", column->schema_name);
  json_object_set_string_member (obj, "EntityLogicalName", table->logical_name);
  json_object_set_string_member (obj, "AttributeType", dv_column_attribute_type (column));
  json_object_set_object_member (obj, "AttributeTypeName", value_object (type_name));
  json_object_set_null_member (obj, "AttributeOf");
  json_object_set_boolean_member (obj, "IsValidForRead", TRUE);
  json_object_set_boolean_member (obj, "IsValidForCreate", column->valid_for_create);
  json_object_set_boolean_member (obj, "IsValidForUpdate", column->valid_for_update);
  json_object_set_boolean_member (obj, "IsPrimaryId", column->is_primary_id);
  json_object_set_boolean_member (obj, "IsPrimaryName", column->is_primary_name);
  json_object_set_boolean_member (obj, "IsCustomAttribute", column->is_custom);
  json_object_set_object_member (obj, "DisplayName", label_object (self, column->display_name));
  json_object_set_string_member (required, "Value",
                                 column->is_primary_id || !column->valid_for_create ? "SystemRequired" : "None");
  json_object_set_boolean_member (required, "CanBeChanged", column->is_custom);
  json_object_set_string_member (required, "ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
  json_object_set_object_member (obj, "RequiredLevel", required);

  switch (column->type)
    {
    case DV_TYPE_STRING:
    case DV_TYPE_MEMO:
      json_object_set_int_member (obj, "MaxLength", column->max_length);
      json_object_set_string_member (obj, "Format", g_str_has_prefix (column->logical_name, "emailaddress")
                                                    ? "Email" : "Text");
      break;
    case DV_TYPE_LOOKUP:
      {
        JsonArray *targets = json_array_new ();

        json_array_add_string_element (targets, column->target);
        json_object_set_array_member (obj, "Targets", targets);
        break;
      }
    case DV_TYPE_DATE:
    case DV_TYPE_DATETIME:
      json_object_set_string_member (obj, "Format", column->type == DV_TYPE_DATE ? "DateOnly" : "DateAndTime");
      json_object_set_object_member (obj, "DateTimeBehavior",
                                     value_object (column->type == DV_TYPE_DATE ? "DateOnly" : "UserLocal"));
      break;
    case DV_TYPE_BIGINT:
      json_object_set_int_member (obj, "MinValue", G_MININT64);
      json_object_set_int_member (obj, "MaxValue", G_MAXINT64);
      break;
    case DV_TYPE_PICKLIST:
    case DV_TYPE_STATE:
    case DV_TYPE_STATUS:
    case DV_TYPE_BOOLEAN:
      json_object_set_null_member (obj, "DefaultFormValue");
      break;
    case DV_TYPE_UNIQUEIDENTIFIER:
    default:
      break;
    }
  return obj;
}

static JsonObject *
option_set_object (DvServer *self,
                   DvTable           *table,
                   DvColumn          *column)
{
  JsonObject *set = json_object_new ();
  g_autofree char *kind = g_strdup_printf ("optionset:%s.%s", table->logical_name, column->logical_name);
  g_autofree char *id = cc_sandbox_seed_guid (self->options.seed, kind, 0);
  g_autofree char *name = g_strdup_printf ("%s_%s", table->logical_name, column->logical_name);

  json_object_set_string_member (set, "MetadataId", id);
  json_object_set_string_member (set, "Name", name);
  json_object_set_boolean_member (set, "IsGlobal", FALSE);
  if (column->type == DV_TYPE_BOOLEAN)
    {
      JsonObject *t = json_object_new ();
      JsonObject *f = json_object_new ();

      json_object_set_string_member (set, "OptionSetType", "Boolean");
      json_object_set_int_member (t, "Value", 1);
      json_object_set_object_member (t, "Label", label_object (self, column->true_label));
      json_object_set_int_member (f, "Value", 0);
      json_object_set_object_member (f, "Label", label_object (self, column->false_label));
      json_object_set_object_member (set, "TrueOption", t);
      json_object_set_object_member (set, "FalseOption", f);
    }
  else
    {
      JsonArray *options = json_array_new ();

      json_object_set_string_member (set, "OptionSetType", metadata_kind (column));
      for (guint i = 0; i < column->n_options; i++)
        {
          JsonObject *option = json_object_new ();

          json_object_set_int_member (option, "Value", column->options[i].value);
          json_object_set_object_member (option, "Label", label_object (self, column->options[i].label));
          json_object_set_null_member (option, "Color");
          json_object_set_boolean_member (option, "IsManaged", !column->is_custom);
          json_array_add_object_element (options, option);
        }
      json_object_set_array_member (set, "Options", options);
    }
  return set;
}

static JsonObject *
entity_object (DvServer *self,
               DvTable           *table)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *collection = g_strconcat (table->logical_name, "s", NULL);
  g_autofree char *collection_schema = g_strconcat (table->schema_name, "s", NULL);
  guint index = 0;

  g_ptr_array_find (self->tables, table, &index);
  json_object_set_string_member (obj, "MetadataId", table->metadata_id);
  json_object_set_string_member (obj, "LogicalName", table->logical_name);
  json_object_set_string_member (obj, "SchemaName", table->schema_name);
  json_object_set_string_member (obj, "EntitySetName", table->entity_set);
  json_object_set_string_member (obj, "LogicalCollectionName", collection);
  json_object_set_string_member (obj, "CollectionSchemaName", collection_schema);
  json_object_set_string_member (obj, "PrimaryIdAttribute", table->primary_id);
  json_object_set_string_member (obj, "PrimaryNameAttribute", table->primary_name);
  json_object_set_boolean_member (obj, "ChangeTrackingEnabled", table->change_tracking);
  json_object_set_boolean_member (obj, "IsCustomEntity", table->is_custom);
  json_object_set_boolean_member (obj, "IsActivity", table->is_activity);
  json_object_set_string_member (obj, "OwnershipType", "UserOwned");
  json_object_set_int_member (obj, "ObjectTypeCode", table->is_custom ? 10000 + (gint64) index : 2);
  json_object_set_object_member (obj, "DisplayName", label_object (self, table->display_name));
  return obj;
}

/* ---- EntityDefinitions queries ------------------------------------------ */

static const char *entity_properties[] = {
  "MetadataId", "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName",
  "CollectionSchemaName", "PrimaryIdAttribute", "PrimaryNameAttribute", "ChangeTrackingEnabled",
  "IsCustomEntity", "IsActivity", "OwnershipType", "ObjectTypeCode", "DisplayName", "Attributes", NULL
};

static const char *attribute_properties[] = {
  "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "AttributeType",
  "AttributeTypeName", "AttributeOf", "IsValidForRead", "IsValidForCreate", "IsValidForUpdate",
  "IsPrimaryId", "IsPrimaryName", "IsCustomAttribute", "DisplayName", "RequiredLevel", "MaxLength",
  "Format", "Targets", "DateTimeBehavior", "MinValue", "MaxValue", "DefaultFormValue",
  "OptionSet", "GlobalOptionSet", NULL
};

static void
unknown_property (DvResponse *resp,
                  const char *name,
                  const char *type_name)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                     "Could not find a property named '%s' on type '" DV_NAMESPACE ".%s'.",
                     name, type_name);
}

/* Splits "a,b(x;y),c" at top-level commas (or @sep). */
static GPtrArray *
split_top (const char *text,
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

typedef struct
{
  char       *name;
  GHashTable *options;   /* nested query options, e.g. $select */
} Expand;

static void
expand_free (Expand *expand)
{
  g_free (expand->name);
  g_hash_table_unref (expand->options);
  g_free (expand);
}

static GPtrArray *
parse_expand (const char *text)
{
  GPtrArray *expands = g_ptr_array_new_with_free_func ((GDestroyNotify) expand_free);
  g_autoptr(GPtrArray) items = split_top (text ? text : "", ',');

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *paren = strchr (item, '(');
      Expand *expand = g_new0 (Expand, 1);

      expand->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (paren != NULL && item[strlen (item) - 1] == ')')
        {
          g_autofree char *inner = g_strndup (paren + 1, strlen (paren) - 2);
          g_autoptr(GPtrArray) opts = split_top (inner, ';');

          expand->name = g_strndup (item, paren - item);
          for (guint k = 0; k < opts->len; k++)
            {
              const char *opt = g_ptr_array_index (opts, k);
              const char *eq = strchr (opt, '=');

              if (eq != NULL)
                g_hash_table_insert (expand->options, g_strndup (opt, eq - opt), g_strdup (eq + 1));
            }
        }
      else
        expand->name = g_strdup (item);
      g_ptr_array_add (expands, expand);
    }
  return expands;
}

/* Keeps the members $select names (plus @odata.type and MetadataId, which
 * always come back); answers 400 for a name the type does not have. */
static JsonObject *
select_members (JsonObject         *full,
                const char         *select,
                const char *const  *known,
                const char         *type_name,
                DvResponse         *resp)
{
  g_autoptr(GPtrArray) names = NULL;
  JsonObject *out;

  if (select == NULL)
    return json_object_ref (full);
  names = split_top (select, ',');
  out = json_object_new ();
  if (json_object_has_member (full, "@odata.type"))
    json_object_set_string_member (out, "@odata.type", json_object_get_string_member (full, "@odata.type"));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      JsonNode *node;

      if (!g_strv_contains (known, name))
        {
          unknown_property (resp, name, type_name);
          json_object_unref (out);
          return NULL;
        }
      if ((node = json_object_get_member (full, name)) != NULL)
        json_object_set_member (out, name, json_node_copy (node));
    }
  json_object_set_string_member (out, "MetadataId", json_object_get_string_member (full, "MetadataId"));
  return out;
}

typedef struct
{
  GPtrArray         *objects;
  const char *const *known;
} FilterScope;

static gboolean
resolve_member (const char  *property,
                DvOdataType *type,
                gpointer     user_data)
{
  FilterScope *scope = user_data;

  if (!g_strv_contains (scope->known, property))
    return FALSE;
  *type = DV_ODATA_TYPE_NULL;
  for (guint i = 0; i < scope->objects->len; i++)
    {
      JsonNode *node = json_object_get_member (g_ptr_array_index (scope->objects, i), property);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN: *type = DV_ODATA_TYPE_BOOLEAN; return TRUE;
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE: *type = DV_ODATA_TYPE_NUMBER; return TRUE;
        default: *type = DV_ODATA_TYPE_STRING; return TRUE;
        }
    }
  return TRUE;
}

static JsonNode *
lookup_member (gconstpointer row,
               const char   *property,
               gpointer      user_data)
{
  return json_object_get_member ((JsonObject *) row, property);
}

/* Applies $filter to @objects in place. */
static gboolean
filter_objects (GPtrArray         *objects,
                const char        *text,
                const char *const *known,
                const char        *type_name,
                DvResponse        *resp)
{
  FilterScope scope = { objects, known };
  g_autoptr(DvOdataFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full_type = g_strconcat (DV_NAMESPACE ".", type_name, NULL);

  if (text == NULL)
    return TRUE;
  filter = dv_odata_filter_parse (text, full_type, resolve_member, &scope, &error);
  if (filter == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888", "%s", error->message);
      return FALSE;
    }
  for (guint i = objects->len; i > 0; i--)
    if (!dv_odata_filter_match (filter, lookup_member, g_ptr_array_index (objects, i - 1), NULL))
      g_ptr_array_remove_index (objects, i - 1);
  return TRUE;
}

static const char *
cast_of (DvColumn *column)
{
  static char buf[64];

  g_snprintf (buf, sizeof buf, CAST_PREFIX "%sAttributeMetadata", metadata_kind (column));
  return buf;
}

/* One attribute as asked: $select, and with a cast, $expand of OptionSet. */
static JsonObject *
shape_attribute (DvServer *self,
                 DvTable           *table,
                 DvColumn          *column,
                 GHashTable        *options,
                 gboolean           cast,
                 DvResponse        *resp)
{
  g_autoptr(JsonObject) full = attribute_object (self, table, column);
  g_autoptr(GPtrArray) expands = parse_expand (g_hash_table_lookup (options, "$expand"));
  JsonObject *out = select_members (full, g_hash_table_lookup (options, "$select"),
                                    attribute_properties, "AttributeMetadata", resp);

  if (out == NULL)
    return NULL;
  for (guint i = 0; i < expands->len; i++)
    {
      Expand *expand = g_ptr_array_index (expands, i);
      gboolean has_options = column->n_options > 0 || column->type == DV_TYPE_BOOLEAN;

      if (cast && has_options && g_str_equal (expand->name, "OptionSet"))
        {
          g_autoptr(JsonObject) set = option_set_object (self, table, column);
          const char *select = g_hash_table_lookup (expand->options, "$select");
          static const char *set_properties[] = { "MetadataId", "Name", "IsGlobal", "OptionSetType",
                                                  "Options", "TrueOption", "FalseOption", NULL };
          JsonObject *shaped = select_members (set, select, set_properties, "OptionSetMetadata", resp);

          if (shaped == NULL)
            {
              json_object_unref (out);
              return NULL;
            }
          json_object_set_object_member (out, "OptionSet", shaped);
        }
      else if (cast && has_options && g_str_equal (expand->name, "GlobalOptionSet"))
        json_object_set_null_member (out, "GlobalOptionSet");
      else
        {
          unknown_property (resp, expand->name, cast ? cast_of (column) + strlen (CAST_PREFIX)
                                                     : "AttributeMetadata");
          json_object_unref (out);
          return NULL;
        }
    }
  return out;
}

static JsonObject *
shape_entity (DvServer *self,
              DvTable           *table,
              GHashTable        *options,
              DvResponse        *resp)
{
  g_autoptr(JsonObject) full = entity_object (self, table);
  g_autoptr(GPtrArray) expands = parse_expand (g_hash_table_lookup (options, "$expand"));
  JsonObject *out = select_members (full, g_hash_table_lookup (options, "$select"),
                                    entity_properties, "EntityMetadata", resp);

  if (out == NULL)
    return NULL;
  for (guint i = 0; i < expands->len; i++)
    {
      Expand *expand = g_ptr_array_index (expands, i);
      g_autoptr(GPtrArray) attrs = NULL;
      JsonArray *array;

      if (!g_str_equal (expand->name, "Attributes"))
        {
          unknown_property (resp, expand->name, "EntityMetadata");
          json_object_unref (out);
          return NULL;
        }
      attrs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      for (guint c = 0; c < table->columns->len; c++)
        g_ptr_array_add (attrs, attribute_object (self, table, g_ptr_array_index (table->columns, c)));
      if (!filter_objects (attrs, g_hash_table_lookup (expand->options, "$filter"),
                           attribute_properties, "AttributeMetadata", resp))
        {
          json_object_unref (out);
          return NULL;
        }
      array = json_array_new ();
      for (guint a = 0; a < attrs->len; a++)
        {
          JsonObject *shaped = select_members (g_ptr_array_index (attrs, a),
                                               g_hash_table_lookup (expand->options, "$select"),
                                               attribute_properties, "AttributeMetadata", resp);

          if (shaped == NULL)
            {
              json_array_unref (array);
              json_object_unref (out);
              return NULL;
            }
          json_array_add_object_element (array, shaped);
        }
      json_object_set_array_member (out, "Attributes", array);
    }
  return out;
}

/* "LogicalName='x'" or a MetadataId; NULL when there is no such item. */
static char *
key_logical_name (const char *key)
{
  gsize len;

  if (!g_str_has_prefix (key, "LogicalName='"))
    return NULL;
  key += strlen ("LogicalName='");
  len = strlen (key);
  if (len < 1 || key[len - 1] != '\'')
    return NULL;
  return g_strndup (key, len - 1);
}

static gboolean
split_segment (const char  *segment,
               char       **name,
               char       **key)
{
  const char *paren = strchr (segment, '(');
  gsize len = strlen (segment);

  if (paren == NULL)
    {
      *name = g_strdup (segment);
      *key = NULL;
      return TRUE;
    }
  if (segment[len - 1] != ')')
    return FALSE;
  *name = g_strndup (segment, paren - segment);
  *key = g_strndup (paren + 1, len - (paren - segment) - 2);
  return TRUE;
}

static DvTable *
find_table (DvServer *self,
            const char        *key)
{
  g_autofree char *logical = key_logical_name (key);

  if (logical != NULL)
    return dv_server_table_by_name (self, logical);
  for (guint i = 0; i < self->tables->len; i++)
    {
      DvTable *table = g_ptr_array_index (self->tables, i);

      if (g_ascii_strcasecmp (table->metadata_id, key) == 0)
        return table;
    }
  return NULL;
}

static DvColumn *
find_column (DvTable    *table,
             const char *key)
{
  g_autofree char *logical = key_logical_name (key);

  if (logical != NULL)
    return dv_table_column_by_name (table, logical);
  for (guint i = 0; i < table->columns->len; i++)
    {
      DvColumn *column = g_ptr_array_index (table->columns, i);

      if (g_ascii_strcasecmp (column->metadata_id, key) == 0)
        return column;
    }
  return NULL;
}

static void
answer_object (DvResponse *resp,
               JsonObject *obj,
               const char *context)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_set_string_member (out, "@odata.context", context);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (out, name, json_node_copy (node));
  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, FALSE);
}

static void
answer_collection (DvResponse *resp,
                   JsonArray  *value,
                   const char *context)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = NULL;

  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_array_member (out, "value", json_array_ref (value));
  root = json_node_init_object (json_node_alloc (), out);
  dv_response_set_json (resp, SOUP_STATUS_OK, root, TRUE);
}

static void
handle_attributes (DvServer *self,
                   DvRequest         *req,
                   DvResponse        *resp,
                   DvTable           *table,
                   const char        *key,
                   const char        *cast)
{
  g_autofree char *context = NULL;

  if (cast != NULL && !g_str_has_prefix (cast, CAST_PREFIX))
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                         "Resource not found for the segment '%s'.", cast);
      return;
    }

  if (key != NULL)
    {
      DvColumn *column = find_column (table, key);
      g_autoptr(JsonObject) shaped = NULL;

      if (column == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80041102",
                             "Could not find attribute %s on entity %s.", key, table->logical_name);
          return;
        }
      if (cast != NULL && !g_str_equal (cast, cast_of (column)))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "The attribute '%s' is not of type '%s'.", column->logical_name, cast);
          return;
        }
      shaped = shape_attribute (self, table, column, req->query, cast != NULL, resp);
      if (shaped == NULL)
        return;
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Attributes%s%s/$entity",
                                 self->api_root, table->logical_name, cast ? "/" : "", cast ? cast : "");
      answer_object (resp, shaped, context);
      return;
    }

  {
    g_autoptr(GPtrArray) columns = g_ptr_array_new ();
    g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    g_autoptr(JsonArray) value = json_array_new ();

    for (guint i = 0; i < table->columns->len; i++)
      {
        DvColumn *column = g_ptr_array_index (table->columns, i);

        if (cast != NULL && !g_str_equal (cast, cast_of (column)))
          continue;
        g_ptr_array_add (columns, column);
        g_ptr_array_add (attrs, attribute_object (self, table, column));
      }
    if (!filter_objects (attrs, dv_request_get_query (req, "$filter"), attribute_properties,
                         "AttributeMetadata", resp))
      return;
    for (guint i = 0; i < attrs->len; i++)
      {
        const char *logical = json_object_get_string_member (g_ptr_array_index (attrs, i), "LogicalName");
        JsonObject *shaped = shape_attribute (self, table, dv_table_column_by_name (table, logical),
                                              req->query, cast != NULL, resp);

        if (shaped == NULL)
          return;
        json_array_add_object_element (value, shaped);
      }
    context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Attributes%s%s",
                               self->api_root, table->logical_name, cast ? "/" : "", cast ? cast : "");
    answer_collection (resp, value, context);
  }
}

void
dv_handle_entity_definitions (DvServer *self,
                              DvRequest         *req,
                              DvResponse        *resp)
{
  char **segs = req->segments;
  guint n = g_strv_length (segs);
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *context = NULL;
  const char *select = dv_request_get_query (req, "$select");
  DvTable *table;

  while (n > 1 && segs[n - 1][0] == '\0')
    n--;
  if (!split_segment (segs[0], &name, &key) || !g_str_equal (name, "EntityDefinitions"))
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                         "Resource not found for the segment '%s'.", segs[0]);
      return;
    }

  if (key == NULL)
    {
      g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(JsonArray) value = json_array_new ();

      if (n > 1)
        {
          dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                             "Resource not found for the segment '%s'.", segs[1]);
          return;
        }
      for (guint i = 0; i < self->tables->len; i++)
        g_ptr_array_add (entities, entity_object (self, g_ptr_array_index (self->tables, i)));
      if (!filter_objects (entities, dv_request_get_query (req, "$filter"), entity_properties,
                           "EntityMetadata", resp))
        return;
      for (guint i = 0; i < entities->len; i++)
        {
          const char *logical = json_object_get_string_member (g_ptr_array_index (entities, i), "LogicalName");
          JsonObject *shaped = shape_entity (self, dv_server_table_by_name (self, logical), req->query, resp);

          if (shaped == NULL)
            return;
          json_array_add_object_element (value, shaped);
        }
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions%s%s%s", self->api_root,
                                 select ? "(" : "", select ? select : "", select ? ")" : "");
      answer_collection (resp, value, context);
      return;
    }

  table = find_table (self, key);
  if (table == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80041102",
                         "Could not find an entity with the key %s.", key);
      return;
    }

  if (n == 1)
    {
      g_autoptr(JsonObject) shaped = shape_entity (self, table, req->query, resp);

      if (shaped == NULL)
        return;
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions%s%s%s/$entity", self->api_root,
                                 select ? "(" : "", select ? select : "", select ? ")" : "");
      answer_object (resp, shaped, context);
      return;
    }

  {
    g_autofree char *sub = NULL;
    g_autofree char *sub_key = NULL;

    if (n > 3 || !split_segment (segs[1], &sub, &sub_key) || !g_str_equal (sub, "Attributes"))
      {
        dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                           "Resource not found for the segment '%s'.", segs[1]);
        return;
      }
    handle_attributes (self, req, resp, table, sub_key, n == 3 ? segs[2] : NULL);
  }
}
