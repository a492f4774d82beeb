/* cc-ingress-config.c — reading and validating the ingress configuration.
 *
 * The JSON is edited by people, by hand or through the window, so every
 * refusal names the offending member by its path
 * ("mappings[0].fields[2].target: …") and says what would be accepted.
 * Unknown members are refused as well: a misspelt "apply-update" must not
 * silently leave updates on. Writing the JSON back and the default
 * configuration live in cc-ingress-config-json.c; the checks against the
 * live schemas in cc-ingress-config-schema.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cc-error.h"
#include "cc-ingress-config-private.h"
#include "cc-write-pump.h"

/* Campaign links custom resources up to three levels deep. */
#define MAX_PARENT_LEVELS 3

static const char * const transform_names[] = {
  [CC_TRANSFORM_TRIM] = "trim",
  [CC_TRANSFORM_LOWER] = "lower",
  [CC_TRANSFORM_UPPER] = "upper",
  [CC_TRANSFORM_DEFAULT] = "default",
  [CC_TRANSFORM_CONCAT] = "concat",
  [CC_TRANSFORM_DATE_FORMAT] = "date-format",
};

static const char * const filter_op_names[] = {
  [CC_FILTER_EQ] = "eq",
  [CC_FILTER_NE] = "ne",
  [CC_FILTER_GT] = "gt",
  [CC_FILTER_GE] = "ge",
  [CC_FILTER_LT] = "lt",
  [CC_FILTER_LE] = "le",
  [CC_FILTER_CONTAINS] = "contains",
  [CC_FILTER_STARTS_WITH] = "starts-with",
  [CC_FILTER_ENDS_WITH] = "ends-with",
  [CC_FILTER_IS_NULL] = "is-null",
  [CC_FILTER_IS_NOT_NULL] = "is-not-null",
};

const char *
cc_transform_kind_to_string (CcTransformKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (transform_names), NULL);

  return transform_names[kind];
}

gboolean
cc_transform_kind_parse (const char      *word,
                         CcTransformKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (transform_names); i++)
    if (g_strcmp0 (word, transform_names[i]) == 0)
      {
        *kind = (CcTransformKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cc_filter_op_to_string (CcFilterOp op)
{
  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (filter_op_names), NULL);

  return filter_op_names[op];
}

gboolean
cc_filter_op_parse (const char *word,
                    CcFilterOp *op)
{
  for (guint i = 0; i < G_N_ELEMENTS (filter_op_names); i++)
    if (g_strcmp0 (word, filter_op_names[i]) == 0)
      {
        *op = (CcFilterOp) i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void
table_mapping_free (CcTableMapping *mapping)
{
  g_free (mapping->id);
  g_free (mapping->source);
  g_free (mapping->target);
  g_free (mapping->target_key);
  g_free (mapping->key_filter);
  g_clear_pointer (&mapping->fields, g_ptr_array_unref);
  g_clear_pointer (&mapping->filters, g_ptr_array_unref);
  g_free (mapping->parent_mapping);
  g_free (mapping->parent_link);
  g_free (mapping->parent_target);
  g_free (mapping->parent_field);
  g_free (mapping);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTableMapping, table_mapping_free)

void
cc_ingress_config_free (CcIngressConfig *config)
{
  if (config == NULL)
    return;
  g_clear_pointer (&config->mappings, g_ptr_array_unref);
  g_free (config);
}

const CcTableMapping *
cc_ingress_config_find_mapping (const CcIngressConfig *config,
                                const char            *id)
{
  g_return_val_if_fail (config != NULL, NULL);

  for (guint i = 0; i < config->mappings->len; i++)
    {
      const CcTableMapping *mapping = g_ptr_array_index (config->mappings, i);

      if (g_strcmp0 (mapping->id, id) == 0)
        return mapping;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Filters and parent                                                  */

static gboolean
parse_filters (JsonNode       *node,
               const char     *path,
               CcTableMapping *mapping,
               GError        **error)
{
  static const char * const members[] = { "combine", "conditions", "delete-filtered-out", NULL };
  g_autofree char *combine_path = cc_json_check_member_path (path, "combine");
  g_autofree char *conditions_path = cc_json_check_member_path (path, "conditions");
  g_autofree char *combine = NULL;
  JsonObject *object = json_node_get_object (node);
  JsonNode *list;

  if (!cc_json_check_members (object, path, members, error))
    return FALSE;
  if (!cc_json_check_string (object, path, "combine", NULL, CC_JSON_CHECK_NULL_ABSENT, &combine,
                             error))
    return FALSE;
  if (combine == NULL || strcmp (combine, "and") == 0)
    mapping->filter_any = FALSE;
  else if (strcmp (combine, "or") == 0)
    mapping->filter_any = TRUE;
  else
    return cc_json_check_refuse (error, combine_path,
                                 _("unknown combination “%s” (use and, or)"), combine);
  if (!cc_json_check_boolean (object, path, "delete-filtered-out", FALSE,
                              &mapping->delete_filtered_out, error))
    return FALSE;

  if (!cc_json_check_container (object, path, "conditions", JSON_NODE_ARRAY, FALSE, NULL,
                                &list, error))
    return FALSE;
  for (guint i = 0; list && i < json_array_get_length (json_node_get_array (list)); i++)
    {
      g_autofree char *item_path = cc_json_check_index_path (conditions_path, i);
      CcFilterCondition *condition = NULL;

      if (!cc_ingress_parse_condition (json_array_get_element (json_node_get_array (list), i),
                                       item_path, &condition, error))
        return FALSE;
      g_ptr_array_add (mapping->filters, condition);
    }
  return TRUE;
}

static gboolean
parse_parent (JsonNode       *node,
              const char     *path,
              CcTableMapping *mapping,
              GError        **error)
{
  static const char * const members[] = { "mapping", "field", "link", NULL };
  g_autofree char *field_path = cc_json_check_member_path (path, "field");
  g_autofree char *link_path = cc_json_check_member_path (path, "link");
  JsonObject *object = json_node_get_object (node);

  if (!cc_json_check_members (object, path, members, error))
    return FALSE;
  if (!cc_json_check_required_string (object, path, "mapping",
                                      _("the id of the mapping whose records this one links to"),
                                      CC_JSON_CHECK_NONE, &mapping->parent_mapping, error))
    return FALSE;
  if (!cc_json_check_required_string (object, path, "field",
                                      _("the Dynamics 365 field holding the parent's id, "
                                        "e.g. “_new_contactid_value”"),
                                      CC_JSON_CHECK_NONE, &mapping->parent_field, error)
      || !cc_json_check_logical_name (field_path, mapping->parent_field, error))
    return FALSE;
  if (!cc_json_check_string (object, path, "link", NULL, CC_JSON_CHECK_NULL_ABSENT,
                             &mapping->parent_link, error))
    return FALSE;
  if (mapping->parent_link != NULL
      && !cc_ingress_check_campaign_name (link_path, mapping->parent_link, error))
    return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Table mappings                                                      */

/* Profiles carry the Dynamics id in externalId (Adobe's own contract), so
 * a profile mapping may leave its key out; a custom resource has no such
 * convention and must name its key. */
static gboolean
parse_key (JsonObject     *object,
           const char     *path,
           CcTableMapping *mapping,
           GError        **error)
{
  g_autofree char *key_path = cc_json_check_member_path (path, "target-key");
  g_autofree char *filter_path = cc_json_check_member_path (path, "key-filter");
  gboolean profile = cc_ingress_is_profile_resource (mapping->target);
  const char *filter;
  gboolean ok;

  if (profile)
    ok = cc_json_check_string (object, path, "target-key", NULL, CC_JSON_CHECK_NULL_ABSENT,
                               &mapping->target_key, error);
  else
    ok = cc_json_check_required_string (object, path, "target-key",
                                        _("the Campaign field that holds the Dynamics 365 id "
                                          "(a unique key of the resource)"),
                                        CC_JSON_CHECK_NONE, &mapping->target_key, error);
  if (!ok || !cc_json_check_string (object, path, "key-filter", NULL, CC_JSON_CHECK_NULL_ABSENT,
                                    &mapping->key_filter, error))
    return FALSE;
  if (mapping->target_key == NULL)
    {
      mapping->target_key = g_strdup ("externalId");
      if (mapping->key_filter == NULL)
        mapping->key_filter = g_strdup ("byExternalId");
    }
  if (!cc_ingress_check_campaign_name (key_path, mapping->target_key, error))
    return FALSE;

  filter = mapping->key_filter;
  if (!cc_json_check_name_length (filter_path, filter, error))
    return FALSE;
  if (filter != NULL
      && !(g_str_has_prefix (filter, "by") && g_ascii_isupper (filter[2])
           && cc_ingress_is_campaign_name (filter)))
    return cc_json_check_refuse (error, filter_path,
                                 _("“%s” is not a Campaign filter name (filters start with “by”, "
                                   "e.g. “byExternalId”)"),
                                 filter);
  return TRUE;
}

/* No two fields into one Campaign field, and never into the key. */
static gboolean
parse_fields (JsonArray      *fields,
              const char     *fields_path,
              CcTableMapping *mapping,
              GError        **error)
{
  if (json_array_get_length (fields) == 0)
    return cc_json_check_refuse (error, fields_path, _("map at least one field"));

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      g_autofree char *item_path = cc_json_check_index_path (fields_path, i);
      g_autofree char *target_path = cc_json_check_member_path (item_path, "target");
      CcFieldMapping *field = NULL;

      if (!cc_ingress_parse_field (json_array_get_element (fields, i), item_path, &field, error))
        return FALSE;
      g_ptr_array_add (mapping->fields, field);

      if (strcmp (field->target, mapping->target_key) == 0)
        return cc_json_check_refuse (error, target_path,
                                     _("“%s” is the mapping's target-key, which always holds "
                                       "the Dynamics 365 id"),
                                     field->target);
      for (guint j = 0; j < i; j++)
        {
          CcFieldMapping *earlier = g_ptr_array_index (mapping->fields, j);

          if (strcmp (earlier->target, field->target) == 0)
            return cc_json_check_refuse (error, target_path,
                                         _("“%s” is already the target of %s[%u]"),
                                         field->target, fields_path, j);
        }
    }
  return TRUE;
}

/* "technical" (the default) or "display" option values. */
static gboolean
parse_picklist_values (JsonObject      *object,
                       const char      *path,
                       CcTableMapping  *mapping,
                       GError         **error)
{
  g_autofree char *values_path = cc_json_check_member_path (path, "picklist-values");
  g_autofree char *picklist_values = NULL;

  if (!cc_json_check_string (object, path, "picklist-values", NULL, CC_JSON_CHECK_NULL_ABSENT,
                             &picklist_values, error))
    return FALSE;
  if (picklist_values == NULL || strcmp (picklist_values, "technical") == 0)
    mapping->display_values = FALSE;
  else if (strcmp (picklist_values, "display") == 0)
    mapping->display_values = TRUE;
  else
    return cc_json_check_refuse (error, values_path,
                                 _("unknown choice “%s” (use technical, display)"), picklist_values);
  return TRUE;
}

/* The mapping's fields (required), filters and parent. */
static gboolean
parse_parts (JsonObject      *object,
             const char      *path,
             CcTableMapping  *mapping,
             GError         **error)
{
  g_autofree char *fields_path = cc_json_check_member_path (path, "fields");
  g_autofree char *filters_path = cc_json_check_member_path (path, "filters");
  g_autofree char *parent_path = cc_json_check_member_path (path, "parent");
  JsonNode *child;

  if (!cc_json_check_container (object, path, "fields", JSON_NODE_ARRAY, TRUE,
                                _("the list of field mappings, "
                                  "e.g. [{\"source\": \"firstname\", \"target\": \"firstName\"}]"),
                                &child, error)
      || !parse_fields (json_node_get_array (child), fields_path, mapping, error))
    return FALSE;

  if (!cc_json_check_container (object, path, "filters", JSON_NODE_OBJECT, FALSE, NULL,
                                &child, error))
    return FALSE;
  if (child != NULL && !parse_filters (child, filters_path, mapping, error))
    return FALSE;

  if (!cc_json_check_container (object, path, "parent", JSON_NODE_OBJECT, FALSE, NULL,
                                &child, error))
    return FALSE;
  return child == NULL || parse_parent (child, parent_path, mapping, error);
}

static gboolean
parse_mapping (JsonNode        *node,
               const char      *path,
               CcTableMapping **out,
               GError         **error)
{
  static const char * const members[] = {
    "id", "source", "target", "target-key", "key-filter", "apply-deletes",
    "picklist-values", "fields", "filters", "parent", NULL
  };
  g_autoptr (CcTableMapping) mapping = g_new0 (CcTableMapping, 1);
  g_autofree char *source_path = cc_json_check_member_path (path, "source");
  g_autofree char *target_path = cc_json_check_member_path (path, "target");
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return cc_json_check_refuse (error, path, _("must be an object describing one table mapping"));
  object = json_node_get_object (node);
  if (!cc_json_check_members (object, path, members, error))
    return FALSE;

  mapping->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_field_mapping_free);
  mapping->filters = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_filter_condition_free);

  if (!cc_json_check_required_string (object, path, "source",
                                      _("the Dynamics 365 table to read, e.g. “contact”"),
                                      CC_JSON_CHECK_NONE, &mapping->source, error)
      || !cc_json_check_logical_name (source_path, mapping->source, error))
    return FALSE;
  if (!cc_json_check_string (object, path, "id", NULL, CC_JSON_CHECK_NULL_ABSENT, &mapping->id,
                             error))
    return FALSE;
  if (mapping->id == NULL)
    mapping->id = g_strdup (mapping->source);
  if (!cc_json_check_required_string (object, path, "target",
                                      _("the Campaign resource to write, "
                                        "e.g. “profileAndServicesExt/profile”"),
                                      CC_JSON_CHECK_NONE, &mapping->target, error)
      || !cc_ingress_check_campaign_resource (target_path, mapping->target, error))
    return FALSE;
  if (!parse_key (object, path, mapping, error))
    return FALSE;

  if (!cc_json_check_boolean (object, path, "apply-deletes", FALSE,
                              &mapping->apply_deletes, error)
      || !parse_picklist_values (object, path, mapping, error)
      || !parse_parts (object, path, mapping, error))
    return FALSE;

  *out = g_steal_pointer (&mapping);
  return TRUE;
}

static CcTableMapping *
find_mapping (GPtrArray  *mappings,
              const char *id)
{
  for (guint i = 0; i < mappings->len; i++)
    {
      CcTableMapping *mapping = g_ptr_array_index (mappings, i);

      if (strcmp (mapping->id, id) == 0)
        return mapping;
    }
  return NULL;
}

/* Parents must exist, and the chain above each mapping must be short and
 * end: a cycle could never be written. */
static gboolean
check_parents (GPtrArray *mappings,
               GError   **error)
{
  for (guint i = 0; i < mappings->len; i++)
    {
      CcTableMapping *mapping = g_ptr_array_index (mappings, i);
      CcTableMapping *current = mapping;
      CcTableMapping *first_parent;
      g_autofree char *where = NULL;
      g_autoptr (GPtrArray) chain = NULL;

      if (mapping->parent_mapping == NULL)
        continue;
      where = g_strdup_printf ("mappings[%u].parent.mapping", i);
      if (strcmp (mapping->parent_mapping, mapping->id) == 0)
        return cc_json_check_refuse (error, where, _("a mapping cannot be its own parent"));
      first_parent = find_mapping (mappings, mapping->parent_mapping);
      if (first_parent == NULL)
        return cc_json_check_refuse (error, where, _("no mapping has the id “%s”"),
                                     mapping->parent_mapping);
      /* What the parent link must point at (checked while Starting). */
      g_free (mapping->parent_target);
      mapping->parent_target = g_strdup (first_parent->target);

      chain = g_ptr_array_new ();
      g_ptr_array_add (chain, mapping->id);
      while (current->parent_mapping != NULL)
        {
          CcTableMapping *parent = find_mapping (mappings, current->parent_mapping);

          if (parent == NULL)
            break; /* refused when that mapping's turn comes */
          g_ptr_array_add (chain, parent->id);
          if (parent == mapping)
            {
              g_autofree char *cycle = NULL;

              g_ptr_array_add (chain, NULL);
              cycle = g_strjoinv (" → ", (char **) chain->pdata);
              return cc_json_check_refuse (error, where, _("the parents form a cycle (%s)"), cycle);
            }
          if (chain->len > MAX_PARENT_LEVELS)
            return cc_json_check_refuse (error, where,
                                         _("“%s” would sit %u levels deep; Campaign links resources "
                                           "up to %u levels"),
                                         mapping->id, chain->len, MAX_PARENT_LEVELS);
          current = parent;
        }
    }
  return TRUE;
}

/* Each Dynamics 365 table is mapped at most once, and ids name one mapping. */
static gboolean
check_unique (GPtrArray  *mappings,
              guint       index,
              const char *path,
              GError    **error)
{
  CcTableMapping *mapping = g_ptr_array_index (mappings, index);

  for (guint j = 0; j < index; j++)
    {
      CcTableMapping *earlier = g_ptr_array_index (mappings, j);
      g_autofree char *where = NULL;

      if (strcmp (earlier->source, mapping->source) == 0)
        {
          where = cc_json_check_member_path (path, "source");
          return cc_json_check_refuse (error, where, _("table “%s” is already mapped by mappings[%u]"),
                                       mapping->source, j);
        }
      if (strcmp (earlier->id, mapping->id) == 0)
        {
          where = cc_json_check_member_path (path, "id");
          return cc_json_check_refuse (error, where, _("“%s” is already the id of mappings[%u]"),
                                       mapping->id, j);
        }
    }
  return TRUE;
}

CcIngressConfig *
cc_ingress_config_parse (JsonNode *node,
                         GError  **error)
{
  static const char * const members[] = {
    "write-concurrency", "page-size", "poll-interval", "mappings", NULL
  };
  g_autoptr (CcIngressConfig) config = g_new0 (CcIngressConfig, 1);
  JsonObject *object;
  JsonNode *child;
  JsonArray *mappings;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  config->mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) table_mapping_free);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      cc_json_check_refuse (error, "configuration", _("must be a JSON object with a “mappings” list"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!cc_json_check_members (object, NULL, members, error)
      || !cc_json_check_uint (object, NULL, "write-concurrency", 1, CC_WRITE_PUMP_MAX_IN_FLIGHT,
                              CC_INGRESS_DEFAULT_WRITE_CONCURRENCY,
                              &config->write_concurrency, error)
      || !cc_json_check_uint (object, NULL, "page-size", 1, CC_DATAVERSE_MAX_PAGE_SIZE,
                              CC_INGRESS_DEFAULT_PAGE_SIZE, &config->page_size, error)
      || !cc_json_check_uint (object, NULL, "poll-interval", 1, 3600,
                              CC_INGRESS_DEFAULT_POLL_INTERVAL,
                              &config->poll_interval_s, error)
      || !cc_json_check_container (object, NULL, "mappings", JSON_NODE_ARRAY, TRUE,
                                   _("the list of table mappings"), &child, error))
    return NULL;

  mappings = json_node_get_array (child);
  if (json_array_get_length (mappings) == 0)
    {
      cc_json_check_refuse (error, "mappings", _("map at least one Dynamics 365 table"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (mappings); i++)
    {
      g_autofree char *path = cc_json_check_index_path ("mappings", i);
      CcTableMapping *mapping = NULL;

      if (!parse_mapping (json_array_get_element (mappings, i), path, &mapping, error))
        return NULL;
      g_ptr_array_add (config->mappings, mapping);
      if (!check_unique (config->mappings, i, path, error))
        return NULL;
    }
  if (!check_parents (config->mappings, error))
    return NULL;

  return g_steal_pointer (&config);
}
