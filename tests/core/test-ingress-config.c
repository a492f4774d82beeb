/* test-ingress-config.c — the ingress configuration: parsing, every
 * validation rule with the path it names, writing back, the default, the
 * columns to read and the checks against live schemas.
 */
#include "config.h"

#include <string.h>

#include "cc-error.h"
#include "cc-test-json.h"
#include "cc-ingress-config.h"

static CcIngressConfig *
parse_quoted (const char *quoted)
{
  g_autoptr (JsonNode) node = cc_test_json_from_quoted (quoted);
  g_autoptr (GError) error = NULL;
  CcIngressConfig *config = cc_ingress_config_parse (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

/* ------------------------------------------------------------------ */
/* Valid configurations                                                */

static void
assert_default_mapping (const CcIngressConfig *config)
{
  static const char * const expected[][2] = {
    { "firstname", "firstName" }, { "lastname", "lastName" }, { "emailaddress1", "email" },
    { "birthdate", "birthDate" }, { "telephone1", "phone" }, { "mobilephone", "mobilePhone" },
  };
  const CcTableMapping *mapping;

  g_assert_cmpuint (config->write_concurrency, ==, 8);
  g_assert_cmpuint (config->page_size, ==, 5000);
  g_assert_cmpuint (config->poll_interval_s, ==, 10);
  g_assert_cmpuint (config->mappings->len, ==, 1);

  mapping = g_ptr_array_index (config->mappings, 0);
  g_assert_cmpstr (mapping->id, ==, "contacts");
  g_assert_cmpstr (mapping->source, ==, "contact");
  g_assert_cmpstr (mapping->target, ==, "profileAndServicesExt/profile");
  g_assert_cmpstr (mapping->target_key, ==, "externalId");
  g_assert_cmpstr (mapping->key_filter, ==, "byExternalId");
  g_assert_true (mapping->apply_deletes);
  g_assert_false (mapping->display_values);
  g_assert_cmpuint (mapping->filters->len, ==, 0);
  g_assert_false (mapping->delete_filtered_out);
  g_assert_null (mapping->parent_mapping);
  g_assert_cmpuint (mapping->fields->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CcFieldMapping *field = g_ptr_array_index (mapping->fields, i);

      g_assert_cmpstr (field->source, ==, expected[i][0]);
      g_assert_cmpstr (field->target, ==, expected[i][1]);
      g_assert_true (field->apply_updates);
      g_assert_cmpuint (field->transforms->len, ==, 0);
      g_assert_cmpuint (field->replacements->len, ==, 0);
    }
  g_assert_true (cc_ingress_config_find_mapping (config, "contacts") == mapping);
  g_assert_null (cc_ingress_config_find_mapping (config, "contact"));
}

static void
test_default_round_trip (void)
{
  g_autoptr (JsonNode) node = cc_ingress_config_default ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CcIngressConfig) config = cc_ingress_config_parse (node, &error);
  g_autoptr (JsonNode) written = NULL;
  g_autoptr (CcIngressConfig) again = NULL;
  g_autoptr (JsonNode) rewritten = NULL;

  g_assert_no_error (error);
  assert_default_mapping (config);

  /* The default is written in the form to_json() gives. */
  written = cc_ingress_config_to_json (config);
  g_assert_true (json_node_equal (written, node));

  again = cc_ingress_config_parse (written, &error);
  g_assert_no_error (error);
  assert_default_mapping (again);
  rewritten = cc_ingress_config_to_json (again);
  g_assert_true (json_node_equal (rewritten, written));
}

/* Everything a mapping can say, twice over: parse, write, parse, write. */
static const char full_config[] =
  "{ 'write-concurrency': 16, 'page-size': 250, 'poll-interval': 60,"
  "  'mappings': ["
  "  { 'id': 'contacts', 'source': 'contact', 'target': 'profileAndServicesExt/profile',"
  "    'target-key': 'externalId', 'key-filter': 'byExternalId',"
  "    'apply-deletes': true, 'picklist-values': 'display',"
  "    'fields': ["
  "      { 'source': 'firstname', 'target': 'firstName', 'apply-updates': false },"
  "      { 'source': 'emailaddress1', 'target': 'email',"
  "        'transforms': [ {'op': 'trim'}, {'op': 'lower'}, {'op': 'upper'} ] },"
  "      { 'source': 'new_tier', 'target': 'cusTier',"
  "        'replacements': [ {'from': '1', 'to': 'bronze'}, {'from': '2', 'to': 2},"
  "                          {'from': 'true', 'to': false}, {'from': 'x', 'to': null} ] },"
  "      { 'source': 'firstname', 'target': 'cusFullName',"
  "        'transforms': [ {'op': 'concat', 'fields': ['firstname', 'lastname'], 'separator': ' '} ] },"
  "      { 'source': 'birthdate', 'target': 'birthDate',"
  "        'transforms': [ {'op': 'date-format', 'format': '%Y-%m-%d'} ] },"
  "      { 'source': 'telephone1', 'target': 'phone',"
  "        'transforms': [ {'op': 'default', 'value': 'n/a'} ] } ],"
  "    'filters': { 'combine': 'or', 'delete-filtered-out': true,"
  "                 'conditions': [ {'field': 'statecode', 'op': 'eq', 'value': 0},"
  "                                 {'field': 'lastname', 'op': 'starts-with', 'value': 'Mü'},"
  "                                 {'field': 'emailaddress1', 'op': 'is-not-null'} ] } },"
  "  { 'id': 'memberships', 'source': 'new_membership', 'target': 'customResources/cusMembership',"
  "    'target-key': 'cusMembershipId',"
  "    'fields': [ { 'source': 'new_name', 'target': 'cusName' } ],"
  "    'parent': { 'mapping': 'contacts', 'field': '_new_contactid_value' } } ] }";

static void
test_full_round_trip (void)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (full_config);
  g_autoptr (JsonNode) written = NULL;
  g_autoptr (CcIngressConfig) again = NULL;
  g_autoptr (JsonNode) rewritten = NULL;
  g_autoptr (GError) error = NULL;
  const CcTableMapping *contacts;
  const CcTableMapping *memberships;
  const CcFieldMapping *field;
  const CcTransform *transform;
  const CcReplacement *replacement;
  const CcFilterCondition *condition;

  g_assert_cmpuint (config->write_concurrency, ==, 16);
  g_assert_cmpuint (config->page_size, ==, 250);
  g_assert_cmpuint (config->poll_interval_s, ==, 60);

  contacts = cc_ingress_config_find_mapping (config, "contacts");
  g_assert_nonnull (contacts);
  g_assert_true (contacts->display_values);
  g_assert_true (contacts->filter_any);
  g_assert_true (contacts->delete_filtered_out);
  g_assert_cmpuint (contacts->filters->len, ==, 3);
  condition = g_ptr_array_index (contacts->filters, 1);
  g_assert_cmpstr (condition->field, ==, "lastname");
  g_assert_cmpint (condition->op, ==, CC_FILTER_STARTS_WITH);
  g_assert_cmpstr (json_node_get_string (condition->value), ==, "Mü");
  condition = g_ptr_array_index (contacts->filters, 2);
  g_assert_cmpint (condition->op, ==, CC_FILTER_IS_NOT_NULL);
  g_assert_null (condition->value);

  field = g_ptr_array_index (contacts->fields, 0);
  g_assert_false (field->apply_updates);
  field = g_ptr_array_index (contacts->fields, 1);
  g_assert_true (field->apply_updates);
  g_assert_cmpuint (field->transforms->len, ==, 3);
  transform = g_ptr_array_index (field->transforms, 2);
  g_assert_cmpint (transform->kind, ==, CC_TRANSFORM_UPPER);
  field = g_ptr_array_index (contacts->fields, 2);
  g_assert_cmpuint (field->replacements->len, ==, 4);
  replacement = g_ptr_array_index (field->replacements, 1);
  g_assert_cmpstr (replacement->from, ==, "2");
  g_assert_cmpint (json_node_get_int (replacement->to), ==, 2);
  replacement = g_ptr_array_index (field->replacements, 3);
  g_assert_true (JSON_NODE_HOLDS_NULL (replacement->to));
  field = g_ptr_array_index (contacts->fields, 3);
  transform = g_ptr_array_index (field->transforms, 0);
  g_assert_cmpint (transform->kind, ==, CC_TRANSFORM_CONCAT);
  g_assert_cmpstrv (transform->fields, ((const char * const[]) { "firstname", "lastname", NULL }));
  g_assert_cmpstr (transform->separator, ==, " ");
  field = g_ptr_array_index (contacts->fields, 4);
  transform = g_ptr_array_index (field->transforms, 0);
  g_assert_cmpint (transform->kind, ==, CC_TRANSFORM_DATE_FORMAT);
  g_assert_cmpstr (transform->format, ==, "%Y-%m-%d");
  field = g_ptr_array_index (contacts->fields, 5);
  transform = g_ptr_array_index (field->transforms, 0);
  g_assert_cmpint (transform->kind, ==, CC_TRANSFORM_DEFAULT);
  g_assert_cmpstr (transform->value, ==, "n/a");

  memberships = cc_ingress_config_find_mapping (config, "memberships");
  g_assert_nonnull (memberships);
  g_assert_cmpstr (memberships->target_key, ==, "cusMembershipId");
  g_assert_null (memberships->key_filter);
  g_assert_false (memberships->apply_deletes);
  g_assert_false (memberships->display_values);
  g_assert_cmpstr (memberships->parent_mapping, ==, "contacts");
  g_assert_cmpstr (memberships->parent_field, ==, "_new_contactid_value");

  written = cc_ingress_config_to_json (config);
  again = cc_ingress_config_parse (written, &error);
  g_assert_no_error (error);
  rewritten = cc_ingress_config_to_json (again);
  g_assert_true (json_node_equal (rewritten, written));
}

/* What a user may leave out, and what it then means. */
static void
test_defaults (void)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (
    "{ 'mappings': [ { 'source': 'contact', 'target': 'profileAndServices/profile',"
    "                  'fields': [ {'source': 'firstname', 'target': 'firstName'} ],"
    "                  'filters': { 'conditions': [ {'field': 'statecode', 'op': 'eq', 'value': 0} ] } } ] }");
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  const CcFieldMapping *field = g_ptr_array_index (mapping->fields, 0);

  g_assert_cmpuint (config->write_concurrency, ==, 8);
  g_assert_cmpuint (config->page_size, ==, 5000);
  g_assert_cmpuint (config->poll_interval_s, ==, 10);
  g_assert_cmpstr (mapping->id, ==, "contact");
  /* A profile carries the Dynamics id in externalId unless told otherwise. */
  g_assert_cmpstr (mapping->target_key, ==, "externalId");
  g_assert_cmpstr (mapping->key_filter, ==, "byExternalId");
  g_assert_false (mapping->apply_deletes);
  g_assert_false (mapping->display_values);
  g_assert_false (mapping->filter_any);
  g_assert_false (mapping->delete_filtered_out);
  g_assert_true (field->apply_updates);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

typedef struct
{
  const char *name;
  const char *json;
  const char *message;   /* the error message starts with this */
} Refusal;

#define FIELD "{'source': 'firstname', 'target': 'firstName'}"
#define MAPPING(extra) \
  "{'id': 'contacts', 'source': 'contact', 'target': 'profileAndServicesExt/profile', " \
  "'target-key': 'externalId', 'fields': [" FIELD "]" extra "}"
#define CONFIG(extra) "{'mappings': [" MAPPING ("") "]" extra "}"
#define ONE(mapping) "{'mappings': [" mapping "]}"
#define WITH_FIELD(field) ONE ("{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'fields': [" field "]}")
#define TRANSFORM(t) WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'transforms': [" t "]}")
#define REPLACEMENTS(r) WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'replacements': [" r "]}")
#define CONDITION(c) ONE (MAPPING (", 'filters': {'conditions': [" c "]}"))
#define CHILD(id, source, parent) \
  "{'id': '" id "', 'source': '" source "', 'target': 'customResources/cus" id "', 'target-key': 'cusId'," \
  " 'fields': [{'source': 'new_name', 'target': 'cusName'}]" parent "}"
#define PARENT(mapping) ", 'parent': {'mapping': '" mapping "', 'field': '_new_parentid_value'}"

static const Refusal refusals[] = {
  { "root-not-object", "[]", "configuration: must be a JSON object" },
  { "root-unknown-member", CONFIG (", 'write_concurrency': 4"),
    "write_concurrency: unknown member (did you mean “write-concurrency”?)" },
  { "root-unknown-member-plain", CONFIG (", 'colour': 4"), "colour: unknown member (known here: " },
  { "concurrency-low", CONFIG (", 'write-concurrency': 0"), "write-concurrency: 0 is out of range (1 to 256)" },
  { "concurrency-high", CONFIG (", 'write-concurrency': 257"), "write-concurrency: 257 is out of range (1 to 256)" },
  { "concurrency-type", CONFIG (", 'write-concurrency': '8'"), "write-concurrency: must be a whole number from 1 to 256" },
  { "concurrency-fraction", CONFIG (", 'write-concurrency': 2.5"), "write-concurrency: must be a whole number" },
  { "page-size-high", CONFIG (", 'page-size': 5001"), "page-size: 5001 is out of range (1 to 5000)" },
  { "page-size-low", CONFIG (", 'page-size': 0"), "page-size: 0 is out of range" },
  { "poll-interval-high", CONFIG (", 'poll-interval': 3601"), "poll-interval: 3601 is out of range (1 to 3600)" },
  { "poll-interval-low", CONFIG (", 'poll-interval': -1"), "poll-interval: -1 is out of range" },
  { "mappings-missing", "{}", "mappings: required" },
  { "mappings-type", "{'mappings': {}}", "mappings: must be a list" },
  { "mappings-empty", "{'mappings': []}", "mappings: map at least one Dynamics 365 table" },
  { "mapping-type", "{'mappings': ['contact']}", "mappings[0]: must be an object" },
  { "mapping-unknown-member", ONE (MAPPING (", 'colour': 'red'")), "mappings[0].colour: unknown member" },
  { "mapping-misspelt-member", ONE (MAPPING (", 'applyDeletes': true")),
    "mappings[0].applyDeletes: unknown member (did you mean “apply-deletes”?)" },
  { "source-missing", ONE ("{'target': 'profileAndServicesExt/profile', 'fields': [" FIELD "]}"),
    "mappings[0].source: required" },
  { "source-case", ONE ("{'source': 'Contact', 'target': 'profileAndServicesExt/profile', 'fields': [" FIELD "]}"),
    "mappings[0].source: “Contact” is not a Dynamics 365 logical name; logical names are lower case (“contact”)" },
  { "source-chars", ONE ("{'source': 'new table', 'target': 'profileAndServicesExt/profile', 'fields': [" FIELD "]}"),
    "mappings[0].source: “new table” is not a Dynamics 365 logical name" },
  { "source-empty", ONE ("{'source': '', 'target': 'profileAndServicesExt/profile', 'fields': [" FIELD "]}"),
    "mappings[0].source: must not be empty" },
  { "id-type", ONE ("{'id': 3, 'source': 'contact', 'target': 'profileAndServicesExt/profile', 'fields': [" FIELD "]}"),
    "mappings[0].id: must be a string" },
  { "target-missing", ONE ("{'source': 'contact', 'fields': [" FIELD "]}"), "mappings[0].target: required" },
  { "target-shape", ONE ("{'source': 'contact', 'target': 'profile', 'fields': [" FIELD "]}"),
    "mappings[0].target: “profile” is not a Campaign resource" },
  { "target-key-missing", ONE ("{'source': 'new_membership', 'target': 'customResources/cusMembership', 'fields': [" FIELD "]}"),
    "mappings[0].target-key: required" },
  { "target-key-name", ONE ("{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'target-key': 'external id', 'fields': [" FIELD "]}"),
    "mappings[0].target-key: “external id” is not a Campaign field name" },
  { "key-filter-name", ONE (MAPPING (", 'key-filter': 'externalId'")),
    "mappings[0].key-filter: “externalId” is not a Campaign filter name" },
  { "apply-deletes-type", ONE (MAPPING (", 'apply-deletes': 'yes'")), "mappings[0].apply-deletes: must be true or false" },
  { "picklist-values", ONE (MAPPING (", 'picklist-values': 'labels'")),
    "mappings[0].picklist-values: unknown choice “labels” (use technical, display)" },
  { "fields-missing", ONE ("{'source': 'contact', 'target': 'profileAndServicesExt/profile'}"), "mappings[0].fields: required" },
  { "fields-empty", ONE ("{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'fields': []}"),
    "mappings[0].fields: map at least one field" },
  { "field-type", WITH_FIELD ("'firstname'"), "mappings[0].fields[0]: must be an object" },
  { "field-unknown-member", WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'apply-update': false}"),
    "mappings[0].fields[0].apply-update: unknown member" },
  { "field-source-missing", WITH_FIELD ("{'target': 'firstName'}"), "mappings[0].fields[0].source: required" },
  { "field-source-case", WITH_FIELD ("{'source': 'FirstName', 'target': 'firstName'}"),
    "mappings[0].fields[0].source: “FirstName” is not a Dynamics 365 logical name" },
  { "field-target-missing", WITH_FIELD ("{'source': 'firstname'}"), "mappings[0].fields[0].target: required" },
  { "field-target-name", WITH_FIELD ("{'source': 'firstname', 'target': 'first name'}"),
    "mappings[0].fields[0].target: “first name” is not a Campaign field name" },
  { "field-apply-updates-type", WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'apply-updates': 1}"),
    "mappings[0].fields[0].apply-updates: must be true or false" },
  { "field-target-twice",
    WITH_FIELD (FIELD ", {'source': 'emailaddress1', 'target': 'email'}, {'source': 'emailaddress2', 'target': 'email'}"),
    "mappings[0].fields[2].target: “email” is already the target of mappings[0].fields[1]" },
  { "field-target-is-key", WITH_FIELD (FIELD ", {'source': 'contactid', 'target': 'externalId'}"),
    "mappings[0].fields[1].target: “externalId” is the mapping's target-key" },
  { "table-twice", "{'mappings': [" MAPPING ("") ", " CHILD ("again", "contact", "") "]}",
    "mappings[1].source: table “contact” is already mapped by mappings[0]" },
  { "id-twice",
    "{'mappings': [" MAPPING ("") ", {'id': 'contacts', 'source': 'account', 'target': 'customResources/cusAccount',"
    " 'target-key': 'cusId', 'fields': [{'source': 'name', 'target': 'cusName'}]}]}",
    "mappings[1].id: “contacts” is already the id of mappings[0]" },
  { "transforms-type", WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'transforms': {'op': 'trim'}}"),
    "mappings[0].fields[0].transforms: must be a list" },
  { "transform-type", TRANSFORM ("'trim'"), "mappings[0].fields[0].transforms[0]: must be an object" },
  { "transform-op-missing", TRANSFORM ("{}"), "mappings[0].fields[0].transforms[0].op: required" },
  { "transform-op-unknown", TRANSFORM ("{'op': 'strip'}"),
    "mappings[0].fields[0].transforms[0].op: unknown transform “strip” (use trim, lower, upper, default, concat, date-format)" },
  { "transform-extra-parameter", TRANSFORM ("{'op': 'trim'}, {'op': 'lower', 'format': '%Y'}"),
    "mappings[0].fields[0].transforms[1].format: unknown member" },
  { "default-value-missing", TRANSFORM ("{'op': 'default'}"), "mappings[0].fields[0].transforms[0].value: required" },
  { "default-value-type", TRANSFORM ("{'op': 'default', 'value': 5}"),
    "mappings[0].fields[0].transforms[0].value: must be a string" },
  { "concat-fields-missing", TRANSFORM ("{'op': 'concat'}"), "mappings[0].fields[0].transforms[0].fields: required" },
  { "concat-fields-type", TRANSFORM ("{'op': 'concat', 'fields': 'lastname'}"),
    "mappings[0].fields[0].transforms[0].fields: must be a list" },
  { "concat-fields-empty", TRANSFORM ("{'op': 'concat', 'fields': []}"),
    "mappings[0].fields[0].transforms[0].fields: must name at least one field" },
  { "concat-field-type", TRANSFORM ("{'op': 'concat', 'fields': ['firstname', 2]}"),
    "mappings[0].fields[0].transforms[0].fields[1]: must be a string" },
  { "concat-field-name", TRANSFORM ("{'op': 'concat', 'fields': ['LastName']}"),
    "mappings[0].fields[0].transforms[0].fields[0]: “LastName” is not a Dynamics 365 logical name" },
  { "concat-separator-type", TRANSFORM ("{'op': 'concat', 'fields': ['lastname'], 'separator': 1}"),
    "mappings[0].fields[0].transforms[0].separator: must be a string" },
  { "date-format-missing", TRANSFORM ("{'op': 'date-format'}"), "mappings[0].fields[0].transforms[0].format: required" },
  { "date-format-empty", TRANSFORM ("{'op': 'date-format', 'format': ''}"),
    "mappings[0].fields[0].transforms[0].format: must not be empty" },
  { "date-format-invalid", TRANSFORM ("{'op': 'date-format', 'format': '%Y-%Q'}"),
    "mappings[0].fields[0].transforms[0].format: “%Y-%Q” is not a date format" },
  { "replacements-type", WITH_FIELD ("{'source': 'firstname', 'target': 'firstName', 'replacements': {}}"),
    "mappings[0].fields[0].replacements: must be a list" },
  { "replacement-from-missing", REPLACEMENTS ("{'to': 'x'}"), "mappings[0].fields[0].replacements[0].from: required" },
  { "replacement-from-number", REPLACEMENTS ("{'from': 1, 'to': 'x'}"),
    "mappings[0].fields[0].replacements[0].from: must be a string" },
  { "replacement-to-missing", REPLACEMENTS ("{'from': '1'}"), "mappings[0].fields[0].replacements[0].to: required" },
  { "replacement-to-object", REPLACEMENTS ("{'from': '1', 'to': {'a': 1}}"),
    "mappings[0].fields[0].replacements[0].to: must be a string, a number, true, false or null" },
  { "replacement-unknown-member", REPLACEMENTS ("{'from': '1', 'to': 'x', 'too': 'y'}"),
    "mappings[0].fields[0].replacements[0].too: unknown member" },
  { "replacement-from-twice", REPLACEMENTS ("{'from': '1', 'to': 'a'}, {'from': '1', 'to': 'b'}"),
    "mappings[0].fields[0].replacements[1].from: “1” is already replaced by mappings[0].fields[0].replacements[0]" },
  { "filters-type", ONE (MAPPING (", 'filters': []")), "mappings[0].filters: must be an object" },
  { "filters-unknown-member", ONE (MAPPING (", 'filters': {'combine': 'and', 'condition': []}")),
    "mappings[0].filters.condition: unknown member" },
  { "filters-combine", ONE (MAPPING (", 'filters': {'combine': 'xor'}")),
    "mappings[0].filters.combine: unknown combination “xor” (use and, or)" },
  { "filters-delete-type", ONE (MAPPING (", 'filters': {'delete-filtered-out': 'no'}")),
    "mappings[0].filters.delete-filtered-out: must be true or false" },
  { "conditions-type", ONE (MAPPING (", 'filters': {'conditions': {}}")), "mappings[0].filters.conditions: must be a list" },
  { "condition-field-missing", CONDITION ("{'op': 'eq', 'value': 0}"), "mappings[0].filters.conditions[0].field: required" },
  { "condition-field-name", CONDITION ("{'field': 'StateCode', 'op': 'eq', 'value': 0}"),
    "mappings[0].filters.conditions[0].field: “StateCode” is not a Dynamics 365 logical name" },
  { "condition-op-missing", CONDITION ("{'field': 'statecode', 'value': 0}"), "mappings[0].filters.conditions[0].op: required" },
  { "condition-op-unknown", CONDITION ("{'field': 'statecode', 'op': 'like', 'value': 0}"),
    "mappings[0].filters.conditions[0].op: unknown comparison “like” (use eq, ne, gt, ge, lt, le, contains, "
    "starts-with, ends-with, is-null, is-not-null)" },
  { "condition-value-missing", CONDITION ("{'field': 'statecode', 'op': 'eq'}"),
    "mappings[0].filters.conditions[0].value: eq needs a string, a number, true or false" },
  { "condition-value-object", CONDITION ("{'field': 'statecode', 'op': 'ne', 'value': [0]}"),
    "mappings[0].filters.conditions[0].value: ne needs a string, a number, true or false" },
  { "condition-value-null", CONDITION ("{'field': 'statecode', 'op': 'eq', 'value': null}"),
    "mappings[0].filters.conditions[0].value: cannot be null (test for an empty value with is-null or is-not-null)" },
  { "condition-is-null-value", CONDITION ("{'field': 'statecode', 'op': 'is-null', 'value': 0}"),
    "mappings[0].filters.conditions[0].value: is-null takes no value" },
  { "condition-contains-number", CONDITION ("{'field': 'lastname', 'op': 'contains', 'value': 1}"),
    "mappings[0].filters.conditions[0].value: contains needs a string value" },
  { "condition-gt-boolean", CONDITION ("{'field': 'statecode', 'op': 'gt', 'value': true}"),
    "mappings[0].filters.conditions[0].value: gt needs a number, a date or a string" },
  { "condition-unknown-member", CONDITION ("{'field': 'statecode', 'op': 'eq', 'value': 0, 'values': [1]}"),
    "mappings[0].filters.conditions[0].values: unknown member" },
  { "parent-type", ONE (MAPPING (", 'parent': 'contacts'")), "mappings[0].parent: must be an object" },
  { "parent-mapping-missing", ONE (MAPPING (", 'parent': {'field': '_new_parentid_value'}")),
    "mappings[0].parent.mapping: required" },
  { "parent-field-missing", "{'mappings': [" MAPPING ("") ", " CHILD ("b", "new_b", ", 'parent': {'mapping': 'contacts'}") "]}",
    "mappings[1].parent.field: required" },
  { "parent-unknown", "{'mappings': [" CHILD ("a", "new_a", PARENT ("nope")) "]}",
    "mappings[0].parent.mapping: no mapping has the id “nope”" },
  { "parent-itself", "{'mappings': [" CHILD ("a", "new_a", PARENT ("a")) "]}",
    "mappings[0].parent.mapping: a mapping cannot be its own parent" },
  { "parent-cycle", "{'mappings': [" CHILD ("a", "new_a", PARENT ("b")) ", " CHILD ("b", "new_b", PARENT ("a")) "]}",
    "mappings[0].parent.mapping: the parents form a cycle (a → b → a)" },
  { "parent-too-deep",
    "{'mappings': [" CHILD ("a", "new_a", "") ", " CHILD ("b", "new_b", PARENT ("a")) ", "
    CHILD ("c", "new_c", PARENT ("b")) ", " CHILD ("d", "new_d", PARENT ("c")) "]}",
    "mappings[3].parent.mapping: “d” would sit 4 levels deep; Campaign links resources up to 3 levels" },
  { "parent-link-name",
    "{'mappings': [" MAPPING ("") ", " CHILD ("b", "new_b", ", 'parent': {'mapping': 'contacts', "
    "'field': '_new_contactid_value', 'link': 'the profile'}") "]}",
    "mappings[1].parent.link: “the profile” is not a Campaign field name" },
  { "target-group", ONE ("{'source': 'new_a', 'target': 'campaign/cusA', 'target-key': 'cusId', 'fields': [" FIELD "]}"),
    "mappings[0].target: “campaign/cusA”: a custom resource is under “profileAndServicesExt/cusA” when it is "
    "linked to the profile, else under “customResources/cusA”" },
  { "target-not-custom", ONE ("{'source': 'new_a', 'target': 'profileAndServicesExt/loyalty', 'target-key': 'cusId',"
                              " 'fields': [" FIELD "]}"),
    "mappings[0].target: “profileAndServicesExt/loyalty” is neither the profile nor a custom resource" },
  { "target-profile-custom", ONE ("{'source': 'contact', 'target': 'customResources/profile', 'fields': [" FIELD "]}"),
    "mappings[0].target: profiles are written under “profileAndServicesExt/profile”, not “customResources/profile”" },
  { "target-custom-plain", ONE ("{'source': 'new_a', 'target': 'profileAndServices/cusA', 'target-key': 'cusId',"
                                " 'fields': [" FIELD "]}"),
    "mappings[0].target: “profileAndServices/cusA”: a custom resource is under “profileAndServicesExt/cusA”" },
};

static void
test_refusal (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autoptr (JsonNode) node = cc_test_json_from_quoted (refusal->json);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcIngressConfig) config = cc_ingress_config_parse (node, &error);

  g_assert_null (config);
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  if (!g_str_has_prefix (error->message, refusal->message))
    g_error ("%s: expected a message starting with\n  %s\nbut got\n  %s",
             refusal->name, refusal->message, error->message);
}

/* Three levels of linked resources are what Campaign allows: accepted. */
static void
test_three_levels (void)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (
    "{'mappings': [" CHILD ("a", "new_a", "") ", " CHILD ("b", "new_b", PARENT ("a")) ", "
    CHILD ("c", "new_c", PARENT ("b")) "]}");

  g_assert_cmpuint (config->mappings->len, ==, 3);
  g_assert_cmpstr (cc_ingress_config_find_mapping (config, "c")->parent_mapping, ==, "b");
}

#define LINKED_CONFIG \
  "{'mappings': [" MAPPING ("") ", {'id': 'loyalty', 'source': 'new_membership'," \
  " 'target': 'profileAndServicesExt/cusLoyalty', 'target-key': 'cusLoyaltyId'," \
  " 'fields': [{'source': 'new_name', 'target': 'cusName'}]," \
  " 'parent': {'mapping': 'contacts', 'field': '_new_contactid_value', 'link': 'profile'}}]}"

/* A custom resource linked to the profile: its records link to their
 * contact's profile through parent.link. */
static void
test_linked_resource (void)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (LINKED_CONFIG);
  const CcTableMapping *loyalty = cc_ingress_config_find_mapping (config, "loyalty");
  g_autoptr (JsonNode) written = cc_ingress_config_to_json (config);
  JsonObject *parent = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (written), "mappings"), 1),
    "parent");

  g_assert_cmpstr (loyalty->target, ==, "profileAndServicesExt/cusLoyalty");
  g_assert_cmpstr (loyalty->parent_link, ==, "profile");
  g_assert_cmpstr (loyalty->parent_target, ==, "profileAndServicesExt/profile");
  g_assert_cmpstr (json_object_get_string_member (parent, "link"), ==, "profile");
  g_assert_null (cc_ingress_config_find_mapping (config, "contacts")->parent_link);
}

/* ------------------------------------------------------------------ */
/* Columns and schemas                                                 */

static void
test_source_columns (void)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (full_config);
  const CcTableMapping *contacts_mapping = cc_ingress_config_find_mapping (config, "contacts");
  const CcTableMapping *memberships_mapping = cc_ingress_config_find_mapping (config, "memberships");
  g_auto (GStrv) contacts = cc_table_mapping_source_columns (contacts_mapping);
  g_auto (GStrv) memberships = cc_table_mapping_source_columns (memberships_mapping);

  /* lastname only feeds the concat and a filter; statecode only a filter. */
  g_assert_cmpstrv (contacts, ((const char * const[]) {
    "birthdate", "emailaddress1", "firstname", "lastname", "new_tier", "statecode", "telephone1", NULL }));
  g_assert_cmpstrv (memberships,
                    ((const char * const[]) { "_new_contactid_value", "new_name", NULL }));
}

static void
test_column_free (CcDataverseColumn *column)
{
  g_free (column->logical_name);
  g_free (column);
}

static CcDataverseTable *
make_table (const char * const *columns)
{
  CcDataverseTable *table = g_new0 (CcDataverseTable, 1);

  table->logical_name = g_strdup ("contact");
  table->entity_set_name = g_strdup ("contacts");
  table->primary_id_attribute = g_strdup ("contactid");
  table->change_tracking = TRUE;
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) test_column_free);
  for (guint i = 0; columns[i]; i++)
    {
      CcDataverseColumn *column = g_new0 (CcDataverseColumn, 1);

      column->logical_name = g_strdup (columns[i]);
      column->valid_for_read = TRUE;
      g_ptr_array_add (table->columns, column);
    }
  return table;
}

static void
test_field_free (CcCampaignField *field)
{
  g_free (field->name);
  g_free (field->type);
  g_free (field->target);
  g_free (field);
}

/* Names ending in "!" are read-only. */
static CcCampaignResourceType *
make_type (const char * const *fields)
{
  CcCampaignResourceType *type = g_new0 (CcCampaignResourceType, 1);

  type->resource = g_strdup ("profileAndServicesExt/profile");
  type->name = g_strdup ("profile");
  type->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) test_field_free);
  for (guint i = 0; fields[i]; i++)
    {
      CcCampaignField *field = g_new0 (CcCampaignField, 1);
      gsize len = strlen (fields[i]);

      field->read_only = fields[i][len - 1] == '!';
      field->name = g_strndup (fields[i], field->read_only ? len - 1 : len);
      g_ptr_array_add (type->fields, field);
    }
  return type;
}

static const char * const contact_columns[] = {
  "contactid", "firstname", "lastname", "emailaddress1", "birthdate", "telephone1", "mobilephone",
  "new_tier", "statecode", NULL
};
static const char * const profile_fields[] = {
  "PKey!", "externalId", "firstName", "lastName", "email", "birthDate", "phone", "mobilePhone",
  "cusTier", "created!", NULL
};

/* The schema part of the setup check of @mapping: FALSE with the why of
 * its first missing item, which Starting names. */
static gboolean
check_schema (const CcTableMapping         *mapping,
              const CcDataverseTable       *table,
              const CcCampaignResourceType *type,
              GError                      **error)
{
  g_autoptr (CcCheckReport) report = cc_check_report_new ();
  const CcCheckItem *item;

  cc_table_mapping_check_columns (mapping, table, report);
  cc_table_mapping_check_fields (mapping, type, report);
  item = cc_check_report_first_blocking (report);
  if (item == NULL)
    return TRUE;
  g_assert_nonnull (item->what_to_do);
  g_set_error_literal (error, CC_ERROR, item->error_code, item->why);
  return FALSE;
}

static void
assert_schema_error (const char                   *json,
                     const CcDataverseTable       *table,
                     const CcCampaignResourceType *type,
                     const char                   *message)
{
  g_autoptr (CcIngressConfig) config = parse_quoted (json);
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  g_autoptr (GError) error = NULL;

  g_assert_false (check_schema (mapping, table, type, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_check_schema (void)
{
  g_autoptr (CcDataverseTable) table = make_table (contact_columns);
  g_autoptr (CcCampaignResourceType) type = make_type (profile_fields);
  g_autoptr (JsonNode) node = cc_ingress_config_default ();
  g_autoptr (CcIngressConfig) config = cc_ingress_config_parse (node, NULL);
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  g_autoptr (GError) error = NULL;

  /* The default mapping fits the standard schemas. */
  g_assert_true (check_schema (mapping, table, type, &error));
  g_assert_no_error (error);

  assert_schema_error (WITH_FIELD (FIELD ", {'source': 'new_level', 'target': 'cusTier'}"), table, type,
                       "Field “new_level” no longer exists in Dynamics 365 table “contact”");
  /* A column used only by a filter must exist too. */
  assert_schema_error (ONE (MAPPING (", 'filters': {'conditions': [{'field': 'new_gone', 'op': 'is-null'}]}")),
                       table, type, "Field “new_gone” no longer exists in Dynamics 365 table “contact”");
  assert_schema_error (WITH_FIELD ("{'source': 'new_tier', 'target': 'cusLevel'}"), table, type,
                       "Field “cusLevel” does not exist in Campaign resource “profileAndServicesExt/profile”");
  assert_schema_error (WITH_FIELD ("{'source': 'firstname', 'target': 'firstname'}"), table, type,
                       "Field “firstname” does not exist in Campaign resource “profileAndServicesExt/profile” "
                       "(did you mean “firstName”?)");
  assert_schema_error (WITH_FIELD ("{'source': 'birthdate', 'target': 'created'}"), table, type,
                       "Campaign field “created” is read-only and cannot be written");
  assert_schema_error (ONE ("{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'target-key': 'cusId',"
                            " 'fields': [" FIELD "]}"),
                       table, type,
                       "Field “cusId” does not exist in Campaign resource “profileAndServicesExt/profile”");

  /* Whether a table is read by change tracking is the engine's choice. */
  table->change_tracking = FALSE;
  g_assert_true (check_schema (mapping, table, type, &error));
  g_assert_no_error (error);
}

/* A lookup is selected as _<attribute>_value but described by its attribute. */
static void
test_check_schema_lookup (void)
{
  static const char * const columns[] = { "new_name", "new_contactid", NULL };
  g_autoptr (CcDataverseTable) table = make_table (columns);
  g_autoptr (CcCampaignResourceType) type =
    make_type ((const char * const[]) { "cusId", "cusName", NULL });
  g_autoptr (CcIngressConfig) config = parse_quoted (
    "{'mappings': [" CHILD ("a", "new_a", "") ", "
    CHILD ("b", "contact", ", 'parent': {'mapping': 'a', 'field': '_new_contactid_value'}") "]}");
  const CcTableMapping *child = g_ptr_array_index (config->mappings, 1);
  CcDataverseColumn *lookup = g_ptr_array_index (table->columns, 1);
  g_autoptr (GError) error = NULL;

  g_assert_true (check_schema (child, table, type, &error));
  g_assert_no_error (error);

  lookup->valid_for_read = FALSE;
  g_assert_false (check_schema (child, table, type, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_cmpstr (error->message, ==,
                   "Field “_new_contactid_value” of Dynamics 365 table “contact” cannot be read");
}

/* The link to the parent's record must be a link of the target, to the
 * resource the parent mapping writes; no field may be mapped into a link. */
static void
test_check_schema_link (void)
{
  static const char * const columns[] = { "new_membershipid", "new_name", "new_contactid", NULL };
  g_autoptr (CcDataverseTable) table = make_table (columns);
  g_autoptr (CcCampaignResourceType) type =
    make_type ((const char * const[]) { "cusLoyaltyId", "cusName", "profile", "cusOwner", NULL });
  g_autoptr (CcIngressConfig) config = parse_quoted (LINKED_CONFIG);
  CcTableMapping *loyalty = g_ptr_array_index (config->mappings, 1);
  CcCampaignField *profile = g_ptr_array_index (type->fields, 2);
  CcCampaignField *owner = g_ptr_array_index (type->fields, 3);
  struct { const char *link; const char *message; } cases[] = {
    { "cusName", "Campaign field “cusName” of “profileAndServicesExt/cusLoyalty” is not a link, so it "
                 "cannot point at the parent's record" },
    { "cusGone", "Link “cusGone” does not exist in Campaign resource “profileAndServicesExt/cusLoyalty”" },
    { "cusOwner", "Link “cusOwner” of “profileAndServicesExt/cusLoyalty” points at “cusShop” records, but "
                  "mapping “contacts” writes “profileAndServicesExt/profile”" },
  };
  g_autoptr (GError) error = NULL;

  g_free (table->logical_name);
  table->logical_name = g_strdup ("new_membership");
  profile->type = g_strdup ("link");
  profile->target = g_strdup ("profile");
  owner->type = g_strdup ("link");
  owner->target = g_strdup ("cusShop");

  g_assert_true (check_schema (loyalty, table, type, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_free (loyalty->parent_link);
      loyalty->parent_link = g_strdup (cases[i].link);
      g_assert_false (check_schema (loyalty, table, type, &error));
      g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
    }

  /* A link is no field to map a value into. */
  g_free (loyalty->parent_link);
  loyalty->parent_link = g_strdup ("profile");
  g_free (((CcFieldMapping *) g_ptr_array_index (loyalty->fields, 0))->target);
  ((CcFieldMapping *) g_ptr_array_index (loyalty->fields, 0))->target = g_strdup ("profile");
  g_assert_false (check_schema (loyalty, table, type, &error));
  g_assert_cmpstr (error->message, ==,
                   "Campaign field “profile” of “profileAndServicesExt/cusLoyalty” is a link: it is set "
                   "from the mapping's parent (parent.link), not from a field");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ingress-config/default-round-trip", test_default_round_trip);
  g_test_add_func ("/ingress-config/full-round-trip", test_full_round_trip);
  g_test_add_func ("/ingress-config/defaults", test_defaults);
  g_test_add_func ("/ingress-config/three-levels", test_three_levels);
  g_test_add_func ("/ingress-config/linked-resource", test_linked_resource);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ingress-config/refuse/%s", refusals[i].name);

      g_test_add_data_func (path, &refusals[i], test_refusal);
    }
  g_test_add_func ("/ingress-config/source-columns", test_source_columns);
  g_test_add_func ("/ingress-config/check-schema", test_check_schema);
  g_test_add_func ("/ingress-config/check-schema-lookup", test_check_schema_lookup);
  g_test_add_func ("/ingress-config/check-schema-link", test_check_schema_link);

  return g_test_run ();
}
