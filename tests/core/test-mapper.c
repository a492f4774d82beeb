/* test-mapper.c — one table mapping applied to Dynamics 365 rows: values,
 * transforms, replacements, display labels, filters, update subsets.
 */
#include "config.h"

#include <string.h>

#include "cc-error.h"
#include "cc-test-json.h"
#include "cc-json-scan.h"
#include "cc-mapper.h"

#define FORMATTED "@OData.Community.Display.V1.FormattedValue"

static JsonObject *
row_from_quoted (const char *quoted)
{
  g_autoptr (JsonNode) node = cc_test_json_from_quoted (quoted);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* The caller reads the id from the primary key column, as the engine does. */
static const char *
row_id (JsonObject *row)
{
  return json_object_get_string_member_with_default (row, "contactid", "");
}

/* @row as the reader meets it: scanned from a page's text. */
static CcJsonRow *
scan_row (JsonObject *row)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), row);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *page = g_strdup_printf ("{\"value\": [%s]}", text);
  g_autoptr (GBytes) bytes = g_bytes_new (page, strlen (page));
  const char * const names[] = { NULL };
  g_autoptr (CcJsonRows) rows = cc_json_scan_rows (bytes, "value", names);

  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->rows->len, ==, 1);
  return g_ptr_array_steal_index (rows->rows, 0);
}

/* cc_mapper_apply () of @row, scanned, with its id; *out is what the
 * record's JSON text reads back as. */
static CcMapVerdict
apply (const CcTableMapping  *mapping,
       JsonObject            *row,
       JsonObject           **out,
       GError               **error)
{
  g_autoptr (CcJsonRow) scanned = scan_row (row);
  g_autoptr (CcMappedRecord) record = NULL;
  CcMapVerdict verdict = cc_mapper_apply (mapping, row_id (row), scanned, &record, error);

  *out = NULL;
  if (record != NULL)
    {
      g_autofree char *text = cc_mapped_record_to_json (record);
      g_autoptr (JsonNode) node = json_from_string (text, NULL);

      g_assert_nonnull (node);
      *out = json_node_dup_object (node);
    }
  return verdict;
}

static CcIngressConfig *
config_from_quoted (const char *quoted)
{
  g_autoptr (JsonNode) node = cc_test_json_from_quoted (quoted);
  g_autoptr (GError) error = NULL;
  CcIngressConfig *config = cc_ingress_config_parse (node, &error);

  g_assert_no_error (error);
  return config;
}

#define FIELDS(fields) \
  "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'fields': [" fields "]}]}"

/* Maps @row through a one-mapping configuration; returns the record. */
static JsonObject *
map_row (const char *config_json,
         const char *row_json)
{
  g_autoptr (CcIngressConfig) config = config_from_quoted (config_json);
  g_autoptr (JsonObject) row = row_from_quoted (row_json);
  g_autoptr (GError) error = NULL;
  JsonObject *out = NULL;

  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);

  g_assert_cmpint (apply (mapping, row, &out, &error), ==, CC_MAP_UPSERT);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_string_member (JsonObject *record,
                      const char *name,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (record, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_null_member (JsonObject *record,
                    const char *name)
{
  JsonNode *node = json_object_get_member (record, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
}

/* One field, one transform list, one source value. */
static JsonObject *
transform (const char *transforms,
           const char *row)
{
  g_autofree char *config = g_strdup_printf (
    FIELDS ("{'source': 'lastname', 'target': 'lastName', 'transforms': [%s]}"), transforms);

  return map_row (config, row);
}

static void
assert_transform (const char *transforms,
                  const char *row,
                  const char *expected)
{
  g_autoptr (JsonObject) record = transform (transforms, row);

  if (expected == NULL)
    assert_null_member (record, "lastName");
  else
    assert_string_member (record, "lastName", expected);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static void
test_default_mapping (void)
{
  g_autoptr (JsonNode) node = cc_ingress_config_default ();
  g_autoptr (CcIngressConfig) config = cc_ingress_config_parse (node, NULL);
  g_autoptr (JsonObject) row = row_from_quoted (
    "{'@odata.etag': 'W/\\'1\\'', 'contactid': '0b3c2f5e-0000-4000-8000-000000000001',"
    " 'firstname': '山田 太郎', 'lastname': 'Müller', 'emailaddress1': 'zoë@example.com',"
    " 'birthdate': '1980-10-24', 'telephone1': null, 'mobilephone': '+49 170 0000000'}");
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  g_autoptr (JsonObject) out = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (apply (mapping, row, &out, &error), ==, CC_MAP_UPSERT);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (out), ==, 7);
  assert_string_member (out, "externalId", "0b3c2f5e-0000-4000-8000-000000000001");
  assert_string_member (out, "firstName", "山田 太郎");
  assert_string_member (out, "lastName", "Müller");
  assert_string_member (out, "email", "zoë@example.com");
  assert_string_member (out, "birthDate", "1980-10-24");
  assert_null_member (out, "phone");
  assert_string_member (out, "mobilePhone", "+49 170 0000000");
  g_assert_false (json_object_has_member (out, "@odata.etag"));
}

/* A column that is not in the row reads as null; numbers and booleans
 * keep their JSON type. */
static void
test_value_types (void)
{
  g_autoptr (JsonObject) out = map_row (
    FIELDS ("{'source': 'firstname', 'target': 'firstName'}, {'source': 'new_score', 'target': 'cusScore'},"
            " {'source': 'new_ratio', 'target': 'cusRatio'}, {'source': 'donotemail', 'target': 'denyList'}"),
    "{'contactid': 'c1', 'new_score': 42, 'new_ratio': 0.25, 'donotemail': true}");

  assert_null_member (out, "firstName");
  g_assert_cmpint (json_object_get_int_member (out, "cusScore"), ==, 42);
  g_assert_cmpfloat (json_object_get_double_member (out, "cusRatio"), ==, 0.25);
  g_assert_true (json_object_get_boolean_member (out, "denyList"));
}

static void
test_empty_id (void)
{
  g_autoptr (CcIngressConfig) config =
    config_from_quoted (FIELDS ("{'source': 'firstname', 'target': 'firstName'}"));
  g_autoptr (JsonObject) row = row_from_quoted ("{'firstname': 'Ann'}");
  g_autoptr (GError) error = NULL;
  JsonObject *out = NULL;

  apply (g_ptr_array_index (config->mappings, 0), row, &out, &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_REJECTED);
  g_assert_null (out);
}

/* ------------------------------------------------------------------ */
/* Transforms                                                          */

static void
test_transform_trim (void)
{
  assert_transform ("{'op': 'trim'}", "{'contactid': 'c1', 'lastname': '  Müller\\t\\n'}", "Müller");
  /* Ideographic and no-break spaces too, as pasted from documents. */
  assert_transform ("{'op': 'trim'}", "{'contactid': 'c1', 'lastname': '\u3000山田\u00a0'}", "山田");
  assert_transform ("{'op': 'trim'}", "{'contactid': 'c1', 'lastname': '\uFEFFLee\u2007'}", "Lee");
  assert_transform ("{'op': 'trim'}", "{'contactid': 'c1', 'lastname': '   '}", "");
  assert_transform ("{'op': 'trim'}", "{'contactid': 'c1', 'lastname': null}", NULL);
}

static void
test_transform_case (void)
{
  assert_transform ("{'op': 'lower'}", "{'contactid': 'c1', 'lastname': 'ÉMILE@Example.COM'}", "émile@example.com");
  assert_transform ("{'op': 'upper'}", "{'contactid': 'c1', 'lastname': 'straße'}", "STRASSE");
  assert_transform ("{'op': 'upper'}", "{'contactid': 'c1', 'lastname': '山田 太郎'}", "山田 太郎");
  assert_transform ("{'op': 'lower'}", "{'contactid': 'c1'}", NULL);
}

static void
test_transform_default (void)
{
  assert_transform ("{'op': 'default', 'value': 'n/a'}", "{'contactid': 'c1', 'lastname': null}", "n/a");
  assert_transform ("{'op': 'default', 'value': 'n/a'}", "{'contactid': 'c1'}", "n/a");
  assert_transform ("{'op': 'default', 'value': 'n/a'}", "{'contactid': 'c1', 'lastname': ''}", "n/a");
  assert_transform ("{'op': 'default', 'value': 'n/a'}", "{'contactid': 'c1', 'lastname': 'Doe'}", "Doe");
  /* Order matters: blanks become empty, then the default applies. */
  assert_transform ("{'op': 'trim'}, {'op': 'default', 'value': 'n/a'}", "{'contactid': 'c1', 'lastname': ' '}", "n/a");
  assert_transform ("{'op': 'default', 'value': 'n/a'}, {'op': 'upper'}", "{'contactid': 'c1'}", "N/A");
}

static void
test_transform_concat (void)
{
  const char *concat = "{'op': 'concat', 'fields': ['firstname', 'lastname'], 'separator': ' '}";

  assert_transform (concat, "{'contactid': 'c1', 'firstname': 'Zoë', 'lastname': 'Müller'}", "Zoë Müller");
  /* Empty parts are left out rather than leaving a stray separator. */
  assert_transform (concat, "{'contactid': 'c1', 'firstname': null, 'lastname': 'Müller'}", "Müller");
  assert_transform (concat, "{'contactid': 'c1', 'firstname': '', 'lastname': '山田'}", "山田");
  assert_transform (concat, "{'contactid': 'c1'}", NULL);
  /* The field's own source takes its value as transformed so far. */
  assert_transform ("{'op': 'trim'}, {'op': 'upper'}, {'op': 'concat', 'fields': ['lastname', 'firstname'], 'separator': ', '}",
                    "{'contactid': 'c1', 'firstname': 'Ann', 'lastname': ' Lee '}", "LEE, Ann");
  /* Without a separator, and with numbers in the parts. */
  assert_transform ("{'op': 'concat', 'fields': ['new_prefix', 'new_number']}",
                    "{'contactid': 'c1', 'new_prefix': 'M-', 'new_number': 42}", "M-42");
}

static void
test_transform_date_format (void)
{
  assert_transform ("{'op': 'date-format', 'format': '%d/%m/%Y %H:%M'}",
                    "{'contactid': 'c1', 'lastname': '2026-01-02T03:04:05Z'}", "02/01/2026 03:04");
  assert_transform ("{'op': 'date-format', 'format': '%Y%m%d'}",
                    "{'contactid': 'c1', 'lastname': '1980-10-24'}", "19801024");
  /* Written in UTC whatever the offset read. */
  assert_transform ("{'op': 'date-format', 'format': '%Y-%m-%d %H:%M'}",
                    "{'contactid': 'c1', 'lastname': '2026-01-02T01:00:00+02:00'}", "2026-01-01 23:00");
  assert_transform ("{'op': 'date-format', 'format': '%Y-%m-%d %H:%M:%S'}",
                    "{'contactid': 'c1', 'lastname': '2019-09-25 23:20:35.000Z'}", "2019-09-25 23:20:35");
  assert_transform ("{'op': 'date-format', 'format': '%Y'}", "{'contactid': 'c1', 'lastname': null}", NULL);
  assert_transform ("{'op': 'date-format', 'format': '%Y'}, {'op': 'default', 'value': 'none'}",
                    "{'contactid': 'c1'}", "none");
}

static void
assert_date_rejected (const char *value)
{
  g_autofree char *row_json = g_strdup_printf ("{'contactid': 'c1', 'birthdate': %s}", value);
  g_autoptr (CcIngressConfig) config = config_from_quoted (
    FIELDS ("{'source': 'firstname', 'target': 'firstName'},"
            " {'source': 'birthdate', 'target': 'birthDate', 'transforms': [{'op': 'date-format', 'format': '%Y'}]}"));
  g_autoptr (JsonObject) row = row_from_quoted (row_json);
  g_autoptr (GError) error = NULL;
  JsonObject *out = NULL;

  apply (g_ptr_array_index (config->mappings, 0), row, &out, &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_REJECTED);
  g_assert_true (g_str_has_prefix (error->message, "Field “birthdate” (to “birthDate”)"));
  g_assert_null (out);
}

static void
test_transform_date_rejected (void)
{
  assert_date_rejected ("'tomorrow'");
  assert_date_rejected ("'1980-02-30'");
  assert_date_rejected ("19801024");
  assert_date_rejected ("true");
}

/* ------------------------------------------------------------------ */
/* Replacements and display values                                     */

static void
assert_replaced (const char *value,
                 const char *expected_json)
{
  g_autofree char *row_json = g_strdup_printf ("{'contactid': 'c1', 'new_tier': %s}", value);
  g_autoptr (JsonObject) out = NULL;
  g_autoptr (JsonNode) expected = cc_test_json_from_quoted (expected_json);
  g_autoptr (GError) error = NULL;
  g_autoptr (CcIngressConfig) config = NULL;
  g_autoptr (JsonObject) row = row_from_quoted (row_json);

  /* A duplicate "from" is refused by the parser, so build the config
   * without the repeated entry. */
  config = config_from_quoted (FIELDS (
    "{'source': 'new_tier', 'target': 'cusTier', 'replacements': ["
    "{'from': '1', 'to': 'bronze'}, {'from': '2.5', 'to': 'silver'}, {'from': 'true', 'to': false},"
    "{'from': 'Gold', 'to': 3}, {'from': 'none', 'to': null}]}"));
  g_assert_cmpint (apply (g_ptr_array_index (config->mappings, 0), row,
                                    &out, &error),
                   ==, CC_MAP_UPSERT);
  g_assert_no_error (error);
  if (!json_node_equal (json_object_get_member (out, "cusTier"), expected))
    g_error ("%s should become %s", value, expected_json);
}

static void
test_replacements (void)
{
  assert_replaced ("1", "'bronze'");
  assert_replaced ("'1'", "'bronze'");
  assert_replaced ("2.5", "'silver'");
  assert_replaced ("true", "false");
  assert_replaced ("'Gold'", "3");
  assert_replaced ("'none'", "null");
  /* No match, a different case, and null are left alone. */
  assert_replaced ("7", "7");
  assert_replaced ("'gold'", "'gold'");
  assert_replaced ("null", "null");
  assert_replaced ("false", "false");
}

/* Replacements come before transforms. */
static void
test_replacement_then_transform (void)
{
  g_autoptr (JsonObject) out = map_row (
    FIELDS ("{'source': 'new_tier', 'target': 'cusTier', 'replacements': [{'from': '1', 'to': '  Bronze '}],"
            " 'transforms': [{'op': 'trim'}, {'op': 'upper'}]}"),
    "{'contactid': 'c1', 'new_tier': 1}");

  assert_string_member (out, "cusTier", "BRONZE");
}

static const char display_row[] =
  "{'contactid': 'c1', 'new_tier': 2, 'new_tier" FORMATTED "': 'Gold',"
  " 'donotemail': true, 'donotemail" FORMATTED "': 'Do Not Allow',"
  " 'birthdate': '1980-10-24', 'birthdate" FORMATTED "': '10/24/1980',"
  " '_parentcustomerid_value': 'a1', '_parentcustomerid_value" FORMATTED "': 'Contoso'}";

#define DISPLAY_FIELDS \
  "{'source': 'new_tier', 'target': 'cusTier'}, {'source': 'donotemail', 'target': 'denyList'}," \
  " {'source': 'birthdate', 'target': 'birthDate'}, {'source': '_parentcustomerid_value', 'target': 'cusAccount'}"

static void
test_display_values (void)
{
  g_autoptr (JsonObject) technical = map_row (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile',"
    " 'picklist-values': 'technical', 'fields': [" DISPLAY_FIELDS "]}]}", display_row);
  g_autoptr (JsonObject) display = map_row (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile',"
    " 'picklist-values': 'display', 'fields': [" DISPLAY_FIELDS "]}]}", display_row);
  g_autoptr (JsonObject) replaced = map_row (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile', 'picklist-values': 'display',"
    " 'fields': [{'source': 'new_tier', 'target': 'cusTier', 'replacements': [{'from': 'Gold', 'to': 'G'}]}]}]}",
    display_row);

  g_assert_cmpint (json_object_get_int_member (technical, "cusTier"), ==, 2);
  g_assert_true (json_object_get_boolean_member (technical, "denyList"));
  assert_string_member (technical, "birthDate", "1980-10-24");

  assert_string_member (display, "cusTier", "Gold");
  assert_string_member (display, "denyList", "Do Not Allow");
  /* Dates and lookups keep their values: only choices and yes/no
   * columns are shown by label. */
  assert_string_member (display, "birthDate", "1980-10-24");
  assert_string_member (display, "cusAccount", "a1");

  /* Replacements see the label. */
  assert_string_member (replaced, "cusTier", "G");
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

/* Does @row pass the filter made of @conditions combined with @combine? */
static gboolean
passes (const char *combine,
        const char *conditions,
        const char *row_json)
{
  g_autofree char *config_json = g_strdup_printf (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile',"
    " 'fields': [{'source': 'firstname', 'target': 'firstName'}],"
    " 'filters': {'combine': '%s', 'conditions': [%s]}}]}", combine, conditions);
  g_autoptr (CcIngressConfig) config = config_from_quoted (config_json);
  g_autoptr (JsonObject) row = row_from_quoted (row_json);
  g_autoptr (JsonObject) out = NULL;
  g_autoptr (GError) error = NULL;
  CcMapVerdict verdict;

  verdict = apply (g_ptr_array_index (config->mappings, 0), row,
                             &out, &error);
  g_assert_no_error (error);
  g_assert_true ((verdict == CC_MAP_UPSERT) == (out != NULL));
  return verdict == CC_MAP_UPSERT;
}

static gboolean
one (const char *field,
     const char *op,
     const char *value,
     const char *row_json)
{
  g_autofree char *condition = value != NULL
    ? g_strdup_printf ("{'field': '%s', 'op': '%s', 'value': %s}", field, op, value)
    : g_strdup_printf ("{'field': '%s', 'op': '%s'}", field, op);

  return passes ("and", condition, row_json);
}

static const char person[] =
  "{'contactid': 'c1', 'statecode': 0, 'statecode" FORMATTED "': 'Active', 'new_score': 10,"
  " 'new_ratio': 0.5, 'new_code': '10', 'lastname': 'Müller', 'firstname': null,"
  " 'donotemail': false, 'birthdate': '1980-10-24', 'modifiedon': '2026-01-02T03:04:05Z'}";

static void
test_filter_comparisons (void)
{
  g_assert_true (one ("statecode", "eq", "0", person));
  g_assert_false (one ("statecode", "eq", "1", person));
  g_assert_true (one ("statecode", "ne", "1", person));
  g_assert_false (one ("statecode", "ne", "0", person));

  /* Numerically, not as text: 10 > 9. */
  g_assert_true (one ("new_score", "gt", "9", person));
  g_assert_false (one ("new_score", "gt", "10", person));
  g_assert_true (one ("new_score", "ge", "10", person));
  g_assert_false (one ("new_score", "ge", "11", person));
  g_assert_true (one ("new_score", "lt", "11", person));
  g_assert_false (one ("new_score", "lt", "10", person));
  g_assert_true (one ("new_score", "le", "10", person));
  g_assert_false (one ("new_score", "le", "9.5", person));
  g_assert_true (one ("new_ratio", "lt", "1", person));
  g_assert_true (one ("new_ratio", "eq", "0.5", person));
  /* A number written as a string on either side still compares as one. */
  g_assert_true (one ("new_score", "gt", "'9'", person));
  g_assert_true (one ("new_code", "gt", "9", person));

  /* Dates as ISO strings. */
  g_assert_true (one ("birthdate", "lt", "'1990-01-01'", person));
  g_assert_false (one ("birthdate", "gt", "'1990-01-01'", person));
  g_assert_true (one ("modifiedon", "ge", "'2026-01-02T00:00:00Z'", person));
  g_assert_false (one ("modifiedon", "lt", "'2026-01-01'", person));

  /* Booleans. */
  g_assert_true (one ("donotemail", "eq", "false", person));
  g_assert_false (one ("donotemail", "eq", "true", person));
  g_assert_true (one ("donotemail", "ne", "true", person));
  g_assert_true (one ("donotemail", "eq", "'false'", person));
}

static void
test_filter_text (void)
{
  /* Case-insensitive, as Dataverse compares, non-ASCII included. */
  g_assert_true (one ("lastname", "eq", "'MÜLLER'", person));
  g_assert_true (one ("lastname", "ne", "'Muller'", person));
  g_assert_true (one ("lastname", "gt", "'m'", person));
  g_assert_true (one ("lastname", "contains", "'ÜLL'", person));
  g_assert_false (one ("lastname", "contains", "'xyz'", person));
  g_assert_true (one ("lastname", "starts-with", "'mü'", person));
  g_assert_false (one ("lastname", "starts-with", "'ller'", person));
  g_assert_true (one ("lastname", "ends-with", "'LER'", person));
  g_assert_false (one ("lastname", "ends-with", "'mü'", person));
  /* A choice compared with a word is compared by its label. */
  g_assert_true (one ("statecode", "eq", "'active'", person));
  g_assert_false (one ("statecode", "eq", "'Inactive'", person));
  g_assert_true (one ("statecode", "starts-with", "'act'", person));
  /* Without a label, a number's text. */
  g_assert_true (one ("new_score", "starts-with", "'1'", person));
}

static void
test_filter_nulls (void)
{
  /* firstname is null, emailaddress1 absent: both are null. */
  g_assert_true (one ("firstname", "is-null", NULL, person));
  g_assert_true (one ("emailaddress1", "is-null", NULL, person));
  g_assert_false (one ("lastname", "is-null", NULL, person));
  g_assert_true (one ("lastname", "is-not-null", NULL, person));
  g_assert_false (one ("firstname", "is-not-null", NULL, person));
  g_assert_false (one ("emailaddress1", "is-not-null", NULL, person));

  /* Null equals nothing, differs from everything, orders with nothing. */
  g_assert_false (one ("firstname", "eq", "'Ann'", person));
  g_assert_true (one ("firstname", "ne", "'Ann'", person));
  g_assert_false (one ("firstname", "gt", "''", person));
  g_assert_false (one ("firstname", "le", "'zzz'", person));
  g_assert_false (one ("firstname", "contains", "''", person));
  g_assert_false (one ("emailaddress1", "starts-with", "'a'", person));
}

static void
test_filter_combine (void)
{
  const char *both_true = "{'field': 'statecode', 'op': 'eq', 'value': 0}, {'field': 'lastname', 'op': 'is-not-null'}";
  const char *one_true = "{'field': 'statecode', 'op': 'eq', 'value': 1}, {'field': 'lastname', 'op': 'is-not-null'}";
  const char *last_false = "{'field': 'lastname', 'op': 'is-not-null'}, {'field': 'statecode', 'op': 'eq', 'value': 1}";
  const char *none_true = "{'field': 'statecode', 'op': 'eq', 'value': 1}, {'field': 'lastname', 'op': 'is-null'}";

  g_assert_true (passes ("and", both_true, person));
  g_assert_false (passes ("and", one_true, person));
  g_assert_false (passes ("and", none_true, person));
  g_assert_false (passes ("and", last_false, person));
  g_assert_true (passes ("or", last_false, person));
  g_assert_true (passes ("or", both_true, person));
  g_assert_true (passes ("or", one_true, person));
  g_assert_false (passes ("or", none_true, person));
  /* No condition filters nothing out, whichever the combination. */
  g_assert_true (passes ("and", "", person));
  g_assert_true (passes ("or", "", person));
}

/* A row that stops matching is filtered out; whether Campaign's copy is
 * deleted then is the mapping's delete-filtered-out. */
static void
test_filtered_out_verdict (void)
{
  g_autoptr (CcIngressConfig) config = config_from_quoted (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile',"
    " 'fields': [{'source': 'lastname', 'target': 'lastName'}],"
    " 'filters': {'conditions': [{'field': 'statecode', 'op': 'eq', 'value': 0}], 'delete-filtered-out': true}}]}");
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  g_autoptr (JsonObject) active = row_from_quoted ("{'contactid': 'c1', 'statecode': 0, 'lastname': 'Lee'}");
  g_autoptr (JsonObject) inactive = row_from_quoted ("{'contactid': 'c1', 'statecode': 1, 'lastname': 'Lee'}");
  g_autoptr (JsonObject) out = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (mapping->delete_filtered_out);
  g_assert_cmpint (apply (mapping, active, &out, &error), ==, CC_MAP_UPSERT);
  g_assert_no_error (error);
  assert_string_member (out, "lastName", "Lee");
  g_clear_pointer (&out, json_object_unref);

  g_assert_cmpint (apply (mapping, inactive, &out, &error),
                   ==, CC_MAP_FILTERED_OUT);
  g_assert_no_error (error);
  g_assert_null (out);
}

/* ------------------------------------------------------------------ */
/* Updates                                                             */

static void
test_update_fields (void)
{
  g_autoptr (CcIngressConfig) config = config_from_quoted (
    FIELDS ("{'source': 'firstname', 'target': 'firstName', 'apply-updates': false},"
            " {'source': 'lastname', 'target': 'lastName'},"
            " {'source': 'emailaddress1', 'target': 'email', 'apply-updates': true}"));
  const CcTableMapping *mapping = g_ptr_array_index (config->mappings, 0);
  g_autoptr (JsonObject) row = row_from_quoted (
    "{'contactid': 'c1', 'firstname': 'Ann', 'lastname': null, 'emailaddress1': 'ann@example.com'}");
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (JsonObject) update = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (apply (mapping, row, &record, &error), ==, CC_MAP_UPSERT);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (record), ==, 4);

  update = cc_mapper_update_fields (mapping, record);
  g_assert_cmpuint (json_object_get_size (update), ==, 2);
  g_assert_false (json_object_has_member (update, "firstName"));
  g_assert_false (json_object_has_member (update, "externalId"));
  assert_null_member (update, "lastName");
  assert_string_member (update, "email", "ann@example.com");
  /* The record itself is left whole. */
  g_assert_cmpuint (json_object_get_size (record), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mapper/default-mapping", test_default_mapping);
  g_test_add_func ("/mapper/value-types", test_value_types);
  g_test_add_func ("/mapper/empty-id", test_empty_id);
  g_test_add_func ("/mapper/transform/trim", test_transform_trim);
  g_test_add_func ("/mapper/transform/case", test_transform_case);
  g_test_add_func ("/mapper/transform/default", test_transform_default);
  g_test_add_func ("/mapper/transform/concat", test_transform_concat);
  g_test_add_func ("/mapper/transform/date-format", test_transform_date_format);
  g_test_add_func ("/mapper/transform/date-rejected", test_transform_date_rejected);
  g_test_add_func ("/mapper/replacements", test_replacements);
  g_test_add_func ("/mapper/replacement-then-transform", test_replacement_then_transform);
  g_test_add_func ("/mapper/display-values", test_display_values);
  g_test_add_func ("/mapper/filter/comparisons", test_filter_comparisons);
  g_test_add_func ("/mapper/filter/text", test_filter_text);
  g_test_add_func ("/mapper/filter/nulls", test_filter_nulls);
  g_test_add_func ("/mapper/filter/combine", test_filter_combine);
  g_test_add_func ("/mapper/filtered-out", test_filtered_out_verdict);
  g_test_add_func ("/mapper/update-fields", test_update_fields);

  return g_test_run ();
}
