/* dv-customize.c — the metadata writes of the Web API, as Microsoft's
 * "Create and update table definitions using the Web API" and "Work with
 * alternate keys" describe them:
 *
 *   POST EntityDefinitions                       a table (with its primary
 *                                                name column, and more)
 *   PUT  EntityDefinitions(<key>)                the whole definition again:
 *                                                the emulator applies
 *                                                ChangeTrackingEnabled
 *   POST EntityDefinitions(<key>)/Attributes     a column
 *   POST EntityDefinitions(<key>)/Keys           an alternate key, whose
 *                                                index is Pending a moment,
 *                                                then Active (or Failed)
 *
 * Each needs its customization privilege (prvCreateEntity, prvWriteEntity,
 * prvCreateAttribute, prvCreateEntityKey). A MSCRM.SolutionUniqueName
 * header must name an unmanaged solution. Column types the emulator does
 * not model are answered 501, never accepted and dropped.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* How long a new key's index stays Pending (Dataverse builds it in the
 * background). */
#define KEY_INDEX_DELAY_MS 100
/* Documented: at most ten alternate keys per table, sixteen columns per key. */
#define MAX_KEYS        10
#define MAX_KEY_COLUMNS 16

/* INFER: the codes of these refusals are not documented; Dataverse's
 * generic ones are used. */
#define CODE_INVALID    "0x80048d19"
#define CODE_DUPLICATE  "0x80044363"
#define CODE_NOT_FOUND  "0x80040217"

static void
invalid (DvResponse *resp,
         const char *message)
{
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID, "%s", message);
}

/* The body as a JSON object, or NULL with a 400. */
static JsonObject *
read_body (DvRequest  *req,
           DvResponse *resp)
{
  JsonObject *body = dv_request_json_object (req);

  if (body == NULL)
    invalid (resp, "The request body must be a JSON object (a metadata definition).");
  return body;
}

static const char *
get_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *obj,
          const char *member,
          gboolean    fallback)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

/* The first localized label of a Label member: what the emulator keeps. */
static const char *
get_label (JsonObject *obj,
           const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);
  JsonNode *labels;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  labels = json_object_get_member (json_node_get_object (node), "LocalizedLabels");
  if (labels == NULL || !JSON_NODE_HOLDS_ARRAY (labels)
      || json_array_get_length (json_node_get_array (labels)) == 0)
    return NULL;
  node = json_array_get_element (json_node_get_array (labels), 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? get_string (json_node_get_object (node), "Label") : NULL;
}

/* A custom schema name carries its publisher's prefix: "new_Name". */
static gboolean
check_schema_name (const char *name,
                   DvResponse *resp)
{
  const char *underscore = name ? strchr (name, '_') : NULL;

  if (name == NULL || *name == '\0')
    {
      invalid (resp, "SchemaName is required.");
      return FALSE;
    }
  if (underscore == NULL || underscore == name || underscore[1] == '\0'
      || !g_ascii_isalpha (name[0]))
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID,
                         "The schema name '%s' must start with a customization prefix followed "
                         "by an underscore, such as 'new_'.", name);
      return FALSE;
    }
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      {
        dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID,
                           "The schema name '%s' may hold only letters, digits and underscores.",
                           name);
        return FALSE;
      }
  return TRUE;
}

/* MSCRM.SolutionUniqueName, when sent, names an unmanaged solution. */
static gboolean
check_solution (DvServer   *self,
                DvRequest  *req,
                DvResponse *resp)
{
  const char *name = soup_message_headers_get_one (req->headers, "MSCRM.SolutionUniqueName");
  DvTable *solutions = dv_server_table_by_name (self, "solution");

  if (name == NULL)
    return TRUE;
  for (GSequenceIter *it = g_sequence_get_begin_iter (solutions->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      DvRow *row = g_sequence_get (it);
      const char *unique = json_object_get_string_member_with_default (row->data, "uniquename", NULL);

      if (unique == NULL || g_ascii_strcasecmp (unique, name) != 0)
        continue;
      if (json_object_get_boolean_member_with_default (row->data, "ismanaged", FALSE))
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID,
                             "The solution '%s' is managed: components cannot be added to it.", name);
          return FALSE;
        }
      return TRUE;
    }
  dv_response_error (resp, SOUP_STATUS_NOT_FOUND, CODE_NOT_FOUND,
                     "solution With UniqueName = %s Does Not Exist", name);
  return FALSE;
}

/* Solutions and publishers cannot be customized. */
static gboolean
check_customizable (DvTable    *table,
                    DvResponse *resp)
{
  if (table->customizable)
    return TRUE;
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID,
                     "The entity '%s' is not customizable.", table->logical_name);
  return FALSE;
}

static void
answer_created (DvServer   *self,
                DvResponse *resp,
                const char *path)
{
  g_autofree char *url = g_strconcat (self->api_root, "/", path, NULL);

  resp->status = SOUP_STATUS_NO_CONTENT;
  soup_message_headers_replace (resp->headers, "OData-EntityId", url);
}

/* ---- columns ------------------------------------------------------------- */

/* A column definition read from an AttributeMetadata body. The strings
 * point into the body. */
typedef struct
{
  DvColumnSpec spec;
  gboolean     primary_name;
} ColumnDefinition;

static const struct
{
  const char *type;       /* the derived metadata type */
  DvType      column;
} column_types[] = {
  { "StringAttributeMetadata", DV_TYPE_STRING },
  { "MemoAttributeMetadata", DV_TYPE_MEMO },
  { "DateTimeAttributeMetadata", DV_TYPE_DATETIME },
  { "BooleanAttributeMetadata", DV_TYPE_BOOLEAN },
  { "IntegerAttributeMetadata", DV_TYPE_INTEGER },
};

/* The derived type a body names by @odata.type, or else by AttributeType. */
static const char *
attribute_type (JsonObject *body)
{
  const char *cast = get_string (body, "@odata.type");
  const char *type = get_string (body, "AttributeType");

  if (cast != NULL)
    return g_str_has_prefix (cast, "#") ? cast + 1 : cast;
  return type;
}

static gboolean
read_column_type (JsonObject       *body,
                  ColumnDefinition *def,
                  DvResponse       *resp)
{
  const char *type = attribute_type (body);
  const char *stem = type ? strrchr (type, '.') : NULL;
  const char *format = get_string (body, "Format");

  stem = stem ? stem + 1 : type;
  for (guint i = 0; stem != NULL && i < G_N_ELEMENTS (column_types); i++)
    {
      gsize len = strlen (column_types[i].type) - strlen ("AttributeMetadata");

      if (strcmp (stem, column_types[i].type) != 0 && strncmp (stem, column_types[i].type, len) != 0)
        continue;
      def->spec.type = column_types[i].column;
      if (def->spec.type == DV_TYPE_DATETIME && g_strcmp0 (format, "DateOnly") == 0)
        def->spec.type = DV_TYPE_DATE;
      return TRUE;
    }
  if (stem == NULL)
    invalid (resp, "The attribute needs an @odata.type (such as "
                   "Microsoft.Dynamics.CRM.StringAttributeMetadata) or an AttributeType.");
  else
    dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x8006088a",
                       "The emulator does not create columns of type '%s'.", stem);
  return FALSE;
}

static DvRequiredLevel
read_required_level (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "RequiredLevel");
  const char *value = node && JSON_NODE_HOLDS_OBJECT (node)
                      ? get_string (json_node_get_object (node), "Value") : NULL;

  if (g_strcmp0 (value, "ApplicationRequired") == 0)
    return DV_REQUIRED_APPLICATION;
  if (g_strcmp0 (value, "Recommended") == 0)
    return DV_REQUIRED_RECOMMENDED;
  return DV_REQUIRED_NONE;
}

/* Reads an AttributeMetadata body; @custom: its name needs a prefix
 * (an activity's Subject does not). FALSE with the answer in @resp. */
static gboolean
read_column (JsonObject       *body,
             gboolean          custom,
             ColumnDefinition *def,
             DvResponse       *resp)
{
  JsonNode *length = json_object_get_member (body, "MaxLength");

  memset (def, 0, sizeof *def);
  def->spec.schema = get_string (body, "SchemaName");
  def->spec.display = get_label (body, "DisplayName");
  def->primary_name = get_bool (body, "IsPrimaryName", FALSE);
  if ((custom && !check_schema_name (def->spec.schema, resp)) || !read_column_type (body, def, resp))
    return FALSE;
  if (def->spec.schema == NULL || def->spec.display == NULL)
    {
      invalid (resp, "An attribute needs a SchemaName and a DisplayName.");
      return FALSE;
    }
  def->spec.flags = custom ? DV_COLUMN_CUSTOM : 0;
  def->spec.required = read_required_level (body);
  if (def->spec.type == DV_TYPE_STRING || def->spec.type == DV_TYPE_MEMO)
    {
      gint64 max = length && JSON_NODE_HOLDS_VALUE (length) ? json_node_get_int (length) : 100;

      if (max < 1 || max > (def->spec.type == DV_TYPE_STRING ? 4000 : 1048576))
        {
          invalid (resp, "MaxLength is out of range for this type of column.");
          return FALSE;
        }
      def->spec.max_length = (guint) max;
    }
  return TRUE;
}

static DvColumn *
add_column (DvTable                *table,
            const ColumnDefinition *def)
{
  g_autofree char *logical = g_ascii_strdown (def->spec.schema, -1);
  DvColumnSpec spec = def->spec;

  spec.name = logical;
  return dv_table_add_column (table, &spec);
}

static gboolean
check_new_column (DvTable                *table,
                  const ColumnDefinition *def,
                  DvResponse             *resp)
{
  g_autofree char *logical = g_ascii_strdown (def->spec.schema, -1);

  if (dv_table_column_by_name (table, logical) == NULL)
    return TRUE;
  dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_DUPLICATE,
                     "An attribute with the specified name '%s' already exists on the entity '%s'.",
                     def->spec.schema, table->logical_name);
  return FALSE;
}

void
dv_handle_create_attribute (DvServer   *self,
                            DvRequest  *req,
                            DvResponse *resp,
                            DvTable    *table)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *path = NULL;
  ColumnDefinition def;
  DvColumn *column;

  if (!dv_require_customization (self, "prvCreateAttribute", resp)
      || !check_customizable (table, resp)
      || !check_solution (self, req, resp)
      || (body = read_body (req, resp)) == NULL
      || !read_column (body, TRUE, &def, resp)
      || !check_new_column (table, &def, resp))
    return;
  if (def.primary_name)
    {
      invalid (resp, "A table's primary name column is created with the table.");
      return;
    }
  column = add_column (table, &def);
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')/Attributes(%s)",
                          table->logical_name, column->metadata_id);
  answer_created (self, resp, path);
}

/* ---- tables -------------------------------------------------------------- */

/* The Attributes of a new table: one primary name (an activity's is
 * Subject), perhaps more columns. NULL with the answer in @resp. */
static GArray *
read_table_columns (JsonObject *body,
                    gboolean    is_activity,
                    DvResponse *resp)
{
  JsonNode *node = json_object_get_member (body, "Attributes");
  JsonArray *attributes = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GArray) columns = g_array_new (FALSE, TRUE, sizeof (ColumnDefinition));
  guint n_primary = 0;

  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonNode *element = json_array_get_element (attributes, i);
      ColumnDefinition def;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          invalid (resp, "Attributes must hold AttributeMetadata objects.");
          return NULL;
        }
      if (!read_column (json_node_get_object (element),
                        !(is_activity && get_bool (json_node_get_object (element), "IsPrimaryName", FALSE)),
                        &def, resp))
        return NULL;
      n_primary += def.primary_name;
      g_array_append_val (columns, def);
    }
  if (n_primary != 1 || g_array_index (columns, ColumnDefinition, 0).spec.type != DV_TYPE_STRING)
    {
      invalid (resp, "The entity must include exactly one StringAttributeMetadata with "
                     "IsPrimaryName true in Attributes.");
      return NULL;
    }
  return g_steal_pointer (&columns);
}

static const ColumnDefinition *
primary_of (GArray *columns)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_array_index (columns, ColumnDefinition, i).primary_name)
      return &g_array_index (columns, ColumnDefinition, i);
  return NULL;
}

/* What Microsoft's "Custom activities" requires of an activity table. */
static gboolean
check_activity (JsonObject             *body,
                const ColumnDefinition *primary,
                DvResponse             *resp)
{
  const char *ownership = get_string (body, "OwnershipType");

  if (g_ascii_strcasecmp (primary->spec.schema, "Subject") != 0)
    invalid (resp, "A custom activity's primary name attribute must have the SchemaName 'Subject'.");
  else if (get_bool (body, "IsMailMergeEnabled", FALSE))
    invalid (resp, "Mail merge cannot be enabled on a custom activity.");
  else if (g_strcmp0 (ownership, "UserOwned") != 0 && g_strcmp0 (ownership, "TeamOwned") != 0)
    invalid (resp, "A custom activity must be owned by a user or a team (OwnershipType "
                   "UserOwned or TeamOwned).");
  else
    return TRUE;
  return FALSE;
}

static gboolean
check_new_table (DvServer   *self,
                 JsonObject *body,
                 DvResponse *resp)
{
  const char *schema = get_string (body, "SchemaName");
  const char *ownership = get_string (body, "OwnershipType");
  g_autofree char *logical = NULL;

  if (!check_schema_name (schema, resp))
    return FALSE;
  logical = g_ascii_strdown (schema, -1);
  if (dv_server_table_by_name (self, logical) != NULL)
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_DUPLICATE,
                         "An entity with the specified name '%s' already exists.", schema);
      return FALSE;
    }
  if (get_label (body, "DisplayName") == NULL || get_label (body, "DisplayCollectionName") == NULL)
    invalid (resp, "An entity needs a DisplayName and a DisplayCollectionName.");
  else if (ownership == NULL || (strcmp (ownership, "UserOwned") != 0 && strcmp (ownership, "TeamOwned") != 0
                                 && strcmp (ownership, "OrganizationOwned") != 0))
    invalid (resp, "OwnershipType must be UserOwned, TeamOwned or OrganizationOwned.");
  else
    return TRUE;
  return FALSE;
}

static void
add_system_columns (DvTable                *table,
                    const ColumnDefinition *primary)
{
  g_autofree char *logical = g_ascii_strdown (primary->spec.schema, -1);
  DvColumnSpec name = primary->spec;

  name.name = logical;
  name.flags |= DV_COLUMN_NAME;
  dv_table_add_system_columns (table, &name);
}

void
dv_handle_create_entity (DvServer   *self,
                         DvRequest  *req,
                         DvResponse *resp)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GArray) columns = NULL;
  g_autofree char *logical = NULL;
  g_autofree char *path = NULL;
  const ColumnDefinition *primary;
  DvTableSpec spec = { 0 };
  DvTable *table;

  if (!dv_require_customization (self, "prvCreateEntity", resp)
      || !check_solution (self, req, resp)
      || (body = read_body (req, resp)) == NULL
      || !check_new_table (self, body, resp))
    return;
  spec.is_activity = get_bool (body, "IsActivity", FALSE);
  if ((columns = read_table_columns (body, spec.is_activity, resp)) == NULL)
    return;
  primary = primary_of (columns);
  if (spec.is_activity && !check_activity (body, primary, resp))
    return;

  logical = g_ascii_strdown (get_string (body, "SchemaName"), -1);
  spec.logical_name = logical;
  spec.schema_name = get_string (body, "SchemaName");
  spec.display_name = get_label (body, "DisplayName");
  spec.is_custom = TRUE;
  table = dv_server_add_table (self, &spec);
  table->ownership = g_intern_string (get_string (body, "OwnershipType"));
  /* Documented default of a new table: no change tracking. */
  table->change_tracking = get_bool (body, "ChangeTrackingEnabled", FALSE);
  add_system_columns (table, primary);
  for (guint i = 0; i < columns->len; i++)
    if (!g_array_index (columns, ColumnDefinition, i).primary_name)
      add_column (table, &g_array_index (columns, ColumnDefinition, i));

  path = g_strdup_printf ("EntityDefinitions(%s)", table->metadata_id);
  answer_created (self, resp, path);
}

/* PUT replaces the definition (Microsoft: PATCH cannot update one). Of
 * what a definition holds, the emulator models ChangeTrackingEnabled and
 * the display name. */
void
dv_handle_update_entity (DvServer   *self,
                         DvRequest  *req,
                         DvResponse *resp,
                         DvTable    *table)
{
  g_autoptr(JsonObject) body = NULL;
  const char *schema;
  const char *metadata_id;
  const char *display;

  if (!g_str_equal (req->method, "PUT"))
    {
      dv_response_error (resp, SOUP_STATUS_METHOD_NOT_ALLOWED, "0x80060888",
                         "The HTTP method '%s' cannot update a table definition: send the whole "
                         "definition with PUT.", req->method);
      return;
    }
  if (!dv_require_customization (self, "prvWriteEntity", resp)
      || !check_customizable (table, resp)
      || !check_solution (self, req, resp)
      || (body = read_body (req, resp)) == NULL)
    return;
  schema = get_string (body, "SchemaName");
  metadata_id = get_string (body, "MetadataId");
  if ((schema != NULL && g_ascii_strcasecmp (schema, table->schema_name) != 0)
      || (metadata_id != NULL && g_ascii_strcasecmp (metadata_id, table->metadata_id) != 0))
    {
      invalid (resp, "The definition in the body is not the one the URL names.");
      return;
    }
  table->change_tracking = get_bool (body, "ChangeTrackingEnabled", table->change_tracking);
  if ((display = get_label (body, "DisplayName")) != NULL)
    {
      g_free (table->display_name);
      table->display_name = g_strdup (display);
    }
  resp->status = SOUP_STATUS_NO_CONTENT;
}

/* ---- alternate keys ------------------------------------------------------ */

typedef struct
{
  DvServer *server;
  char     *table;
  char     *key;
} KeyJob;

static void
key_job_free (KeyJob *job)
{
  g_free (job->table);
  g_free (job->key);
  g_free (job);
}

/* The background job that built the index is done. */
static gboolean
activate_key (gpointer data)
{
  KeyJob *job = data;
  DvTable *table = dv_server_table_by_name (job->server, job->table);

  for (guint i = 0; table != NULL && i < table->keys->len; i++)
    {
      DvKey *key = g_ptr_array_index (table->keys, i);

      if (g_str_equal (key->logical_name, job->key) && g_str_equal (key->status, "Pending"))
        key->status = "Active";
    }
  return G_SOURCE_REMOVE;
}

static void
build_index_later (DvServer *self,
                   DvTable  *table,
                   DvKey    *key)
{
  g_autoptr(GSource) source = g_timeout_source_new (KEY_INDEX_DELAY_MS);
  KeyJob *job = g_new0 (KeyJob, 1);

  job->server = self;
  job->table = g_strdup (table->logical_name);
  job->key = g_strdup (key->logical_name);
  g_source_set_callback (source, activate_key, job, (GDestroyNotify) key_job_free);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_ptr_array_add (self->key_jobs, g_source_ref (source));
}

/* The key's columns, checked: ones that exist, of the types a key may
 * use (documented), not too many. NULL with the answer in @resp. */
static GStrv
read_key_columns (DvTable    *table,
                  JsonObject *body,
                  DvResponse *resp)
{
  static const DvType allowed[] = { DV_TYPE_STRING, DV_TYPE_INTEGER, DV_TYPE_DATE,
                                    DV_TYPE_DATETIME, DV_TYPE_LOOKUP, DV_TYPE_PICKLIST };
  JsonNode *node = json_object_get_member (body, "KeyAttributes");
  JsonArray *names = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();
  guint n = names ? json_array_get_length (names) : 0;

  if (n == 0 || n > MAX_KEY_COLUMNS)
    {
      invalid (resp, "KeyAttributes must name one to sixteen columns.");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *name = json_array_get_string_element (names, i);
      DvColumn *column = name ? dv_table_column_by_name (table, name) : NULL;
      gboolean ok = FALSE;

      for (guint k = 0; column != NULL && k < G_N_ELEMENTS (allowed); k++)
        ok = ok || column->type == allowed[k];
      if (!ok)
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_INVALID,
                             "'%s' is not a column of '%s' that a key can use (text, whole "
                             "number, date, lookup or choice).", name ? name : "", table->logical_name);
          return NULL;
        }
      g_strv_builder_add (columns, column->logical_name);
    }
  return g_strv_builder_end (columns);
}

void
dv_handle_create_key (DvServer   *self,
                      DvRequest  *req,
                      DvResponse *resp,
                      DvTable    *table)
{
  g_autoptr(JsonObject) body = NULL;
  g_auto(GStrv) columns = NULL;
  g_autofree char *logical = NULL;
  g_autofree char *path = NULL;
  DvKeySpec spec = { 0 };
  DvKey *key;

  if (!dv_require_customization (self, "prvCreateEntityKey", resp)
      || !check_customizable (table, resp)
      || !check_solution (self, req, resp)
      || (body = read_body (req, resp)) == NULL
      || !check_schema_name (get_string (body, "SchemaName"), resp)
      || (columns = read_key_columns (table, body, resp)) == NULL)
    return;
  logical = g_ascii_strdown (get_string (body, "SchemaName"), -1);
  for (guint i = 0; i < table->keys->len; i++)
    if (g_str_equal (((DvKey *) g_ptr_array_index (table->keys, i))->logical_name, logical))
      {
        dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, CODE_DUPLICATE,
                           "A key with the name '%s' already exists on '%s'.",
                           get_string (body, "SchemaName"), table->logical_name);
        return;
      }
  if (table->keys->len >= MAX_KEYS)
    {
      invalid (resp, "A table can have at most ten alternate keys.");
      return;
    }

  spec.logical_name = logical;
  spec.schema_name = get_string (body, "SchemaName");
  spec.display_name = get_label (body, "DisplayName");
  spec.columns = (const char * const *) columns;
  key = dv_table_add_key (table, &spec);
  if (g_str_equal (key->status, "Active"))
    {
      key->status = "Pending";
      build_index_later (self, table, key);
    }
  path = g_strdup_printf ("EntityDefinitions(LogicalName='%s')/Keys(%s)",
                          table->logical_name, key->metadata_id);
  answer_created (self, resp, path);
}
