/* cc-ingress-config-json.c — the ingress configuration written back as
 * JSON, and the configuration a fresh install starts with.
 *
 * to_json() writes every setting explicitly, defaults included, so what
 * GetConfig shows is what runs; optional parts that are not in use (no
 * filters, no parent, no transforms) are left out to keep the file short.
 * parse (to_json (c)) gives back c.
 */
#include "config.h"

#include "cc-ingress-config-private.h"
#include "cc-json-write.h"

static void
add_transform (JsonBuilder       *builder,
               const CcTransform *transform)
{
  json_builder_begin_object (builder);
  cc_json_write_string (builder, "op", cc_transform_kind_to_string (transform->kind));
  switch (transform->kind)
    {
    case CC_TRANSFORM_DEFAULT:
      cc_json_write_string (builder, "value", transform->value);
      break;

    case CC_TRANSFORM_CONCAT:
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (guint i = 0; transform->fields[i]; i++)
        json_builder_add_string_value (builder, transform->fields[i]);
      json_builder_end_array (builder);
      cc_json_write_string (builder, "separator", transform->separator);
      break;

    case CC_TRANSFORM_DATE_FORMAT:
      cc_json_write_string (builder, "format", transform->format);
      break;

    case CC_TRANSFORM_TRIM:
    case CC_TRANSFORM_LOWER:
    case CC_TRANSFORM_UPPER:
    default:
      break;
    }
  json_builder_end_object (builder);
}

static void
add_field (JsonBuilder          *builder,
           const CcFieldMapping *field)
{
  json_builder_begin_object (builder);
  cc_json_write_string (builder, "source", field->source);
  cc_json_write_string (builder, "target", field->target);
  cc_json_write_boolean (builder, "apply-updates", field->apply_updates);

  if (field->transforms->len > 0)
    {
      json_builder_set_member_name (builder, "transforms");
      json_builder_begin_array (builder);
      for (guint i = 0; i < field->transforms->len; i++)
        add_transform (builder, g_ptr_array_index (field->transforms, i));
      json_builder_end_array (builder);
    }

  if (field->replacements->len > 0)
    {
      json_builder_set_member_name (builder, "replacements");
      json_builder_begin_array (builder);
      for (guint i = 0; i < field->replacements->len; i++)
        {
          const CcReplacement *replacement = g_ptr_array_index (field->replacements, i);

          json_builder_begin_object (builder);
          cc_json_write_string (builder, "from", replacement->from);
          cc_json_write_node (builder, "to", replacement->to);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_filters (JsonBuilder          *builder,
             const CcTableMapping *mapping)
{
  json_builder_set_member_name (builder, "filters");
  json_builder_begin_object (builder);
  cc_json_write_string (builder, "combine", mapping->filter_any ? "or" : "and");
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mapping->filters->len; i++)
    {
      const CcFilterCondition *condition = g_ptr_array_index (mapping->filters, i);

      json_builder_begin_object (builder);
      cc_json_write_string (builder, "field", condition->field);
      cc_json_write_string (builder, "op", cc_filter_op_to_string (condition->op));
      if (condition->value != NULL)
        cc_json_write_node (builder, "value", condition->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cc_json_write_boolean (builder, "delete-filtered-out", mapping->delete_filtered_out);
  json_builder_end_object (builder);
}

static void
add_mapping (JsonBuilder          *builder,
             const CcTableMapping *mapping)
{
  json_builder_begin_object (builder);
  cc_json_write_string (builder, "id", mapping->id);
  cc_json_write_string (builder, "source", mapping->source);
  cc_json_write_string (builder, "target", mapping->target);
  cc_json_write_string (builder, "target-key", mapping->target_key);
  if (mapping->key_filter != NULL)
    cc_json_write_string (builder, "key-filter", mapping->key_filter);
  cc_json_write_boolean (builder, "apply-deletes", mapping->apply_deletes);
  cc_json_write_string (builder, "picklist-values",
                        mapping->display_values ? "display" : "technical");

  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mapping->fields->len; i++)
    add_field (builder, g_ptr_array_index (mapping->fields, i));
  json_builder_end_array (builder);

  if (mapping->filters->len > 0 || mapping->filter_any || mapping->delete_filtered_out)
    add_filters (builder, mapping);

  if (mapping->parent_mapping != NULL)
    {
      json_builder_set_member_name (builder, "parent");
      json_builder_begin_object (builder);
      cc_json_write_string (builder, "mapping", mapping->parent_mapping);
      cc_json_write_string (builder, "field", mapping->parent_field);
      if (mapping->parent_link != NULL)
        cc_json_write_string (builder, "link", mapping->parent_link);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
cc_ingress_config_to_json (const CcIngressConfig *config)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (config != NULL, NULL);

  json_builder_begin_object (builder);
  cc_json_write_uint (builder, "write-concurrency", config->write_concurrency);
  cc_json_write_uint (builder, "page-size", config->page_size);
  cc_json_write_uint (builder, "poll-interval", config->poll_interval_s);
  json_builder_set_member_name (builder, "mappings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < config->mappings->len; i++)
    add_mapping (builder, g_ptr_array_index (config->mappings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* docs/architecture.md, "Out of the box": contacts into Campaign
 * profiles, keyed by externalId = contactid as Adobe's own integration
 * does, deletes applied, no filter. Written as JSON, in the very form
 * to_json() gives, so that the default is also the example a user copies
 * from. */
static const char default_config[] =
  "{"
  "  \"write-concurrency\": 8,"
  "  \"page-size\": 5000,"
  "  \"poll-interval\": 10,"
  "  \"mappings\": ["
  "    {"
  "      \"id\": \"contacts\","
  "      \"source\": \"contact\","
  "      \"target\": \"profileAndServicesExt/profile\","
  "      \"target-key\": \"externalId\","
  "      \"key-filter\": \"byExternalId\","
  "      \"apply-deletes\": true,"
  "      \"picklist-values\": \"technical\","
  "      \"fields\": ["
  "        { \"source\": \"firstname\", \"target\": \"firstName\", \"apply-updates\": true },"
  "        { \"source\": \"lastname\", \"target\": \"lastName\", \"apply-updates\": true },"
  "        { \"source\": \"emailaddress1\", \"target\": \"email\", \"apply-updates\": true },"
  "        { \"source\": \"birthdate\", \"target\": \"birthDate\", \"apply-updates\": true },"
  "        { \"source\": \"telephone1\", \"target\": \"phone\", \"apply-updates\": true },"
  "        { \"source\": \"mobilephone\", \"target\": \"mobilePhone\", \"apply-updates\": true }"
  "      ]"
  "    }"
  "  ]"
  "}";

JsonNode *
cc_ingress_config_default (void)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (default_config, &error);

  g_assert_no_error (error);
  return node;
}
