/* dv-metadata.c — the EntityDefinitions metadata API: tables, their
 * attributes (with option sets through the typed casts) and alternate
 * keys, with the $select / $filter / $expand a client uses on them (notes
 * §12, §13). The objects themselves are built in dv-metadata-objects.c.
 *
 * Routes:
 *   EntityDefinitions[(key)]
 *   EntityDefinitions(key)/Attributes[(key)][/<cast>[/OptionSet]]
 *   EntityDefinitions(key)/Keys[(key)]
 * where a key is LogicalName='x' or a MetadataId. The relationship
 * navigations exist in Dataverse but not here: they answer 501.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

#define CAST_PREFIX DV_NAMESPACE "."

static const char *const relationship_navigations[] = {
  "ManyToOneRelationships", "OneToManyRelationships", "ManyToManyRelationships", NULL
};

static const char *const option_set_properties[] = {
  "MetadataId", "Name", "IsGlobal", "OptionSetType", "Options", "TrueOption", "FalseOption", NULL
};

/* ---- query options ------------------------------------------------------ */

static void
unknown_property (DvResponse *resp,
                  const char *name,
                  const char *type_name)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                     "Could not find a property named '%s' on type '" DV_NAMESPACE ".%s'.",
                     name, type_name);
}

static void
not_implemented (DvResponse *resp,
                 const char *what)
{
  dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x80060888",
                     "The sandbox does not implement the metadata navigation '%s'.", what);
}

typedef struct
{
  char       *name;
  GHashTable *options;   /* nested query options: $select, $filter */
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
  g_autoptr(GPtrArray) items = dv_split_outside_parens (text ? text : "", ',');

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *paren = strchr (item, '(');
      Expand *expand = g_new0 (Expand, 1);

      expand->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (paren != NULL && item[strlen (item) - 1] == ')')
        {
          g_autofree char *inner = g_strndup (paren + 1, strlen (paren) - 2);
          g_autoptr(GPtrArray) opts = dv_split_outside_parens (inner, ';');

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

/* Whether @name is a property of the type: one of @known, or when @known
 * is NULL, a member of @full (its type's every property). */
static gboolean
is_known (const char *const *known,
          JsonObject        *full,
          const char        *name)
{
  if (known != NULL)
    return g_strv_contains (known, name);
  return json_object_has_member (full, name) || g_strv_contains (relationship_navigations, name)
         || g_str_equal (name, "Attributes") || g_str_equal (name, "Keys");
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
  names = dv_split_outside_parens (select, ',');
  out = json_object_new ();
  if (json_object_has_member (full, "@odata.type"))
    json_object_set_string_member (out, "@odata.type", json_object_get_string_member (full, "@odata.type"));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      JsonNode *node;

      if (!is_known (known, full, name))
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

/* The member at @path ("a" or "a/b") of @obj, or NULL. */
static JsonNode *
member_at (JsonObject *obj,
           const char *path)
{
  g_auto(GStrv) steps = g_strsplit (path, "/", -1);
  JsonNode *node = NULL;

  for (guint i = 0; steps[i] != NULL; i++)
    {
      if (obj == NULL || (node = json_object_get_member (obj, steps[i])) == NULL)
        return NULL;
      obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

static gboolean
resolve_member (const char  *property,
                DvOdataType *type,
                const char **enum_type,
                gpointer     user_data)
{
  FilterScope *scope = user_data;
  g_autofree char *first = g_strndup (property, strcspn (property, "/"));
  JsonObject *sample = scope->objects->len > 0 ? g_ptr_array_index (scope->objects, 0) : NULL;

  *type = DV_ODATA_TYPE_NULL;
  *enum_type = dv_metadata_enum_type (property);
  /* With nothing to filter and no list of names, any name will do: the
   * answer is empty either way. */
  if (sample == NULL && scope->known == NULL)
    return TRUE;
  if (!is_known (scope->known, sample, first))
    return FALSE;
  for (guint i = 0; i < scope->objects->len; i++)
    {
      JsonNode *node = member_at (g_ptr_array_index (scope->objects, i), property);

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
  return member_at ((JsonObject *) row, property);
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

/* Filters then selects @objects into a JSON array; NULL with a 400. */
static JsonArray *
shape_all (GPtrArray         *objects,
           GHashTable        *options,
           const char *const *known,
           const char        *type_name,
           DvResponse        *resp)
{
  JsonArray *array;

  if (!filter_objects (objects, g_hash_table_lookup (options, "$filter"), known, type_name, resp))
    return NULL;
  array = json_array_new ();
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *shaped = select_members (g_ptr_array_index (objects, i),
                                           g_hash_table_lookup (options, "$select"),
                                           known, type_name, resp);

      if (shaped == NULL)
        {
          json_array_unref (array);
          return NULL;
        }
      json_array_add_object_element (array, shaped);
    }
  return array;
}

/* ---- the objects a request names --------------------------------------- */

static GPtrArray *
attribute_objects (DvServer   *self,
                   DvTable    *table,
                   const char *cast)
{
  GPtrArray *attrs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < table->columns->len; i++)
    {
      DvColumn *column = g_ptr_array_index (table->columns, i);
      g_autofree char *type = dv_attribute_cast (column);

      if (cast == NULL || g_str_equal (cast, type))
        g_ptr_array_add (attrs, dv_attribute_metadata (self, table, column));
    }
  return attrs;
}

static GPtrArray *
key_objects (DvServer *self,
             DvTable  *table)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < table->keys->len; i++)
    g_ptr_array_add (keys, dv_key_metadata (self, table, g_ptr_array_index (table->keys, i)));
  return keys;
}

/* One attribute as asked: $select, and with a cast, $expand of OptionSet. */
static JsonObject *
shape_attribute (DvServer   *self,
                 DvTable    *table,
                 DvColumn   *column,
                 GHashTable *options,
                 gboolean    cast,
                 DvResponse *resp)
{
  g_autoptr(JsonObject) full = dv_attribute_metadata (self, table, column);
  g_autoptr(GPtrArray) expands = parse_expand (g_hash_table_lookup (options, "$expand"));
  g_autofree char *cast_name = dv_attribute_cast (column);
  /* Without a cast only the base type's properties can be named. */
  const char *const *known = cast ? NULL : dv_attribute_base_properties;
  JsonObject *out = select_members (full, g_hash_table_lookup (options, "$select"), known,
                                    cast ? cast_name + strlen (CAST_PREFIX) : "AttributeMetadata", resp);

  if (out == NULL)
    return NULL;
  for (guint i = 0; i < expands->len; i++)
    {
      Expand *expand = g_ptr_array_index (expands, i);
      gboolean has_options = dv_column_has_options (column);

      if (cast && has_options && g_str_equal (expand->name, "OptionSet"))
        {
          g_autoptr(JsonObject) set = dv_option_set_metadata (self, table, column);
          JsonObject *shaped = select_members (set, g_hash_table_lookup (expand->options, "$select"),
                                               option_set_properties, "OptionSetMetadata", resp);

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
          unknown_property (resp, expand->name, cast ? cast_name + strlen (CAST_PREFIX)
                                                     : "AttributeMetadata");
          json_object_unref (out);
          return NULL;
        }
    }
  return out;
}

static JsonObject *
shape_entity (DvServer   *self,
              DvTable    *table,
              GHashTable *options,
              DvResponse *resp)
{
  g_autoptr(JsonObject) full = dv_entity_metadata (self, table);
  g_autoptr(GPtrArray) expands = parse_expand (g_hash_table_lookup (options, "$expand"));
  JsonObject *out = select_members (full, g_hash_table_lookup (options, "$select"), NULL,
                                    "EntityMetadata", resp);

  for (guint i = 0; out != NULL && i < expands->len; i++)
    {
      Expand *expand = g_ptr_array_index (expands, i);
      g_autoptr(GPtrArray) objects = NULL;
      JsonArray *array = NULL;

      if (g_str_equal (expand->name, "Attributes"))
        {
          objects = attribute_objects (self, table, NULL);
          array = shape_all (objects, expand->options, dv_attribute_base_properties,
                             "AttributeMetadata", resp);
        }
      else if (g_str_equal (expand->name, "Keys"))
        {
          objects = key_objects (self, table);
          array = shape_all (objects, expand->options, NULL, "EntityKeyMetadata", resp);
        }
      else if (g_strv_contains (relationship_navigations, expand->name))
        not_implemented (resp, expand->name);
      else
        unknown_property (resp, expand->name, "EntityMetadata");

      if (array == NULL)
        g_clear_pointer (&out, json_object_unref);
      else
        json_object_set_array_member (out, expand->name, array);
    }
  return out;
}

/* ---- keys of the URL ---------------------------------------------------- */

/* "LogicalName='x'" → x; NULL otherwise (a MetadataId, or nonsense). */
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
find_table (DvServer   *self,
            const char *key)
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

static DvKey *
find_key (DvTable    *table,
          const char *text)
{
  g_autofree char *logical = key_logical_name (text);

  for (guint i = 0; i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);

      if (logical ? g_str_equal (key->logical_name, logical)
                  : g_ascii_strcasecmp (key->metadata_id, text) == 0)
        return key;
    }
  return NULL;
}

/* ---- answers ------------------------------------------------------------ */

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
resource_not_found (DvResponse *resp,
                    const char *segment)
{
  dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                     "Resource not found for the segment '%s'.", segment);
}

/* ---- Attributes --------------------------------------------------------- */

static void
handle_one_attribute (DvServer   *self,
                      DvRequest  *req,
                      DvResponse *resp,
                      DvTable    *table,
                      const char *key,
                      const char *cast,
                      gboolean    option_set)
{
  DvColumn *column = find_column (table, key);
  g_autofree char *type = NULL;
  g_autofree char *context = NULL;
  g_autoptr(JsonObject) shaped = NULL;

  if (column == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80041102",
                         "Could not find attribute %s on entity %s.", key, table->logical_name);
      return;
    }
  type = dv_attribute_cast (column);
  if (cast != NULL && !g_str_equal (cast, type))
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "The attribute '%s' is not of type '%s'.", column->logical_name, cast);
      return;
    }
  if (option_set)
    {
      g_autoptr(JsonObject) set = NULL;

      if (!dv_column_has_options (column))
        {
          resource_not_found (resp, "OptionSet");
          return;
        }
      set = dv_option_set_metadata (self, table, column);
      shaped = select_members (set, dv_request_get_query (req, "$select"), option_set_properties,
                               "OptionSetMetadata", resp);
      if (shaped == NULL)
        return;
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Attributes(%s)/%s/OptionSet/$entity",
                                 self->api_root, table->logical_name, column->metadata_id, cast);
      answer_object (resp, shaped, context);
      return;
    }
  shaped = shape_attribute (self, table, column, req->query, cast != NULL, resp);
  if (shaped == NULL)
    return;
  context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Attributes%s%s/$entity",
                             self->api_root, table->logical_name, cast ? "/" : "", cast ? cast : "");
  answer_object (resp, shaped, context);
}

static void
handle_attributes (DvServer   *self,
                   DvRequest  *req,
                   DvResponse *resp,
                   DvTable    *table,
                   const char *key,
                   const char *cast,
                   const char *below_cast)
{
  g_autoptr(GPtrArray) attrs = NULL;
  g_autoptr(JsonArray) value = NULL;
  g_autoptr(JsonArray) shaped = NULL;
  g_autofree char *context = NULL;

  if (cast != NULL && !g_str_has_prefix (cast, CAST_PREFIX))
    {
      resource_not_found (resp, cast);
      return;
    }
  if (below_cast != NULL && (key == NULL || cast == NULL || !g_str_equal (below_cast, "OptionSet")))
    {
      resource_not_found (resp, below_cast);
      return;
    }
  if (key != NULL)
    {
      handle_one_attribute (self, req, resp, table, key, cast, below_cast != NULL);
      return;
    }

  attrs = attribute_objects (self, table, cast);
  if (!filter_objects (attrs, dv_request_get_query (req, "$filter"),
                       cast ? NULL : dv_attribute_base_properties, "AttributeMetadata", resp))
    return;
  value = json_array_new ();
  for (guint i = 0; i < attrs->len; i++)
    {
      const char *logical = json_object_get_string_member (g_ptr_array_index (attrs, i), "LogicalName");
      JsonObject *one = shape_attribute (self, table, dv_table_column_by_name (table, logical),
                                         req->query, cast != NULL, resp);

      if (one == NULL)
        return;
      json_array_add_object_element (value, one);
    }
  context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Attributes%s%s",
                             self->api_root, table->logical_name, cast ? "/" : "", cast ? cast : "");
  answer_collection (resp, value, context);
}

/* ---- Keys --------------------------------------------------------------- */

static void
handle_keys (DvServer   *self,
             DvRequest  *req,
             DvResponse *resp,
             DvTable    *table,
             const char *key_text)
{
  g_autofree char *context = NULL;

  if (key_text != NULL)
    {
      DvKey *key = find_key (table, key_text);
      g_autoptr(JsonObject) full = NULL;
      g_autoptr(JsonObject) shaped = NULL;

      if (key == NULL)
        {
          dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                             "Could not find key %s on entity %s.", key_text, table->logical_name);
          return;
        }
      full = dv_key_metadata (self, table, key);
      shaped = select_members (full, dv_request_get_query (req, "$select"), NULL, "EntityKeyMetadata", resp);
      if (shaped == NULL)
        return;
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Keys/$entity",
                                 self->api_root, table->logical_name);
      answer_object (resp, shaped, context);
      return;
    }

  {
    g_autoptr(GPtrArray) keys = key_objects (self, table);
    g_autoptr(JsonArray) value = shape_all (keys, req->query, NULL, "EntityKeyMetadata", resp);

    if (value == NULL)
      return;
    context = g_strdup_printf ("%s/$metadata#EntityDefinitions('%s')/Keys",
                               self->api_root, table->logical_name);
    answer_collection (resp, value, context);
  }
}

/* ---- EntityDefinitions -------------------------------------------------- */

static void
handle_entity_set (DvServer   *self,
                   DvRequest  *req,
                   DvResponse *resp)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) value = json_array_new ();
  g_autofree char *context = NULL;
  const char *select = dv_request_get_query (req, "$select");

  for (guint i = 0; i < self->tables->len; i++)
    g_ptr_array_add (entities, dv_entity_metadata (self, g_ptr_array_index (self->tables, i)));
  if (!filter_objects (entities, dv_request_get_query (req, "$filter"), NULL, "EntityMetadata", resp))
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
}

/* A metadata write on @table (dv-customize.c): PUT (or a refused PATCH)
 * of its definition, POST of a column or a key. */
static void
handle_write (DvServer   *self,
              DvRequest  *req,
              DvResponse *resp,
              DvTable    *table,
              char      **segs,
              guint       n)
{
  gboolean post = g_str_equal (req->method, "POST");

  if (n == 1 && (g_str_equal (req->method, "PUT") || g_str_equal (req->method, "PATCH")))
    dv_handle_update_entity (self, req, resp, table);
  else if (n == 2 && post && g_str_equal (segs[1], "Attributes"))
    dv_handle_create_attribute (self, req, resp, table);
  else if (n == 2 && post && g_str_equal (segs[1], "Keys"))
    dv_handle_create_key (self, req, resp, table);
  else
    dv_response_method_not_allowed (resp, req);
}

void
dv_handle_entity_definitions (DvServer   *self,
                              DvRequest  *req,
                              DvResponse *resp)
{
  char **segs = req->segments;
  guint n = g_strv_length (segs);
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *sub_key = NULL;
  const char *select = dv_request_get_query (req, "$select");
  DvTable *table;

  while (n > 1 && segs[n - 1][0] == '\0')
    n--;
  if (!split_segment (segs[0], &name, &key) || !g_str_equal (name, "EntityDefinitions"))
    {
      resource_not_found (resp, segs[0]);
      return;
    }
  /* Reading a definition takes the role's Read privilege on Entity. */
  if (g_str_equal (req->method, "GET") && !dv_require_customization (self, "prvReadEntity", resp))
    return;
  if (key == NULL)
    {
      if (n > 1)
        resource_not_found (resp, segs[1]);
      else if (g_str_equal (req->method, "POST"))
        dv_handle_create_entity (self, req, resp);
      else if (g_str_equal (req->method, "GET"))
        handle_entity_set (self, req, resp);
      else
        dv_response_method_not_allowed (resp, req);
      return;
    }

  table = find_table (self, key);
  if (table == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80041102",
                         "Could not find an entity with the key %s.", key);
      return;
    }

  if (!g_str_equal (req->method, "GET"))
    {
      handle_write (self, req, resp, table, segs, n);
      return;
    }
  if (n == 1)
    {
      g_autoptr(JsonObject) shaped = shape_entity (self, table, req->query, resp);
      g_autofree char *context = NULL;

      if (shaped == NULL)
        return;
      context = g_strdup_printf ("%s/$metadata#EntityDefinitions%s%s%s/$entity", self->api_root,
                                 select ? "(" : "", select ? select : "", select ? ")" : "");
      answer_object (resp, shaped, context);
      return;
    }

  if (!split_segment (segs[1], &sub, &sub_key))
    resource_not_found (resp, segs[1]);
  else if (g_str_equal (sub, "Attributes") && n <= 4)
    handle_attributes (self, req, resp, table, sub_key, n >= 3 ? segs[2] : NULL, n == 4 ? segs[3] : NULL);
  else if (g_str_equal (sub, "Keys") && n == 2)
    handle_keys (self, req, resp, table, sub_key);
  else if (g_strv_contains (relationship_navigations, sub))
    not_implemented (resp, sub);
  else
    resource_not_found (resp, segs[1]);
}
