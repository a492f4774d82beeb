/* test-page-scan.c — a page of Dynamics 365 read in one pass, without a
 * tree: what the reader maps and queues is what it mapped and queued
 * from json-glib's tree, for every input, and what the scan cannot be
 * sure of goes to the parser and meets its error there.
 *
 * The reference is the parser: every page here is read both ways
 * (cc-test-page.h), then each of its rows mapped both ways.
 */
#include "config.h"

#include <string.h>

#include "cc-error.h"
#include "cc-ingress-config.h"
#include "cc-json-parse.h"
#include "cc-json-scan.h"
#include "cc-json-write.h"
#include "cc-mapper.h"
#include "cc-test-json.h"
#include "cc-test-page.h"

#define FORMATTED "@OData.Community.Display.V1.FormattedValue"
#define BOTH (CC_DATAVERSE_READ_TRACK_CHANGES | CC_DATAVERSE_READ_FORMATTED_VALUES)

/* ------------------------------------------------------------------ */
/* Pages written at random                                             */

static const char * const names[] = {
  "contactid", "firstname", "lastname", "new_score", "new_tier", "new_tier" FORMATTED,
  "donotemail", "donotemail" FORMATTED, "_parentcustomerid_value", "@odata.etag", "prénom",
};

static const char * const string_parts[] = {
  "a", "Zoë", " ", "  padded  ", "漢字", "😀", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n",
  "\\r", "\\t", "\\u00e9", "\\u00E9", "\\u0041", "\\uD83D\\uDE00", "\\ud83d\\ude00", "\\u001f",
  "\\u007f", "\\u0001", "\x7f", "1980-10-24", "2026-01-02T03:04:05Z", "Gold", "true",
};

static const char * const numbers[] = {
  "0", "-0", "1", "-1", "42", "3", "999999999999999999", "-999999999999999999", "0.1", "-0.0",
  "1.5", "1e5", "1E5", "2.5E-3", "1e+2", "123456789.123456789", "1e-7", "0.25", "1.0",
};

static const char * const structures[] = {
  "{}", "[]", "[1,\"x\",{\"b\":null}]", "{\"a\":{\"b\":[true,false]}}", "[[[]]]",
};

/* What the scan leaves to the parser, whatever the parser makes of it. */
static const char * const unsure[] = {
  "\"\\u0000\"", "\"x\\ud800y\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "12345678901234567890",
  "9223372036854775808", "01", ".5", "1.", "+1", "\"\\x41\"", "\"\x01\"", "\"\xff\"",
  "\"\xc3\"", "tru", "True", "\"a\tb\"", "1e", "-",
};

static const char * const spaces[] = { "", "", "", " ", "\n", "\t", "\r\n  " };

static void
add_space (GString *page)
{
  g_string_append (page, spaces[g_test_rand_int_range (0, G_N_ELEMENTS (spaces))]);
}

#define PICK(list) (list)[g_test_rand_int_range (0, G_N_ELEMENTS (list))]

static void
add_string (GString *page)
{
  guint parts = g_test_rand_int_range (0, 5);

  g_string_append_c (page, '"');
  for (guint i = 0; i < parts; i++)
    g_string_append (page, PICK (string_parts));
  g_string_append_c (page, '"');
}

/* A value of any type; one the scan is unsure of when @hostile. */
static void
add_value (GString  *page,
           gboolean  hostile)
{
  if (hostile && g_test_rand_int_range (0, 8) == 0)
    {
      g_string_append (page, PICK (unsure));
      return;
    }
  switch (g_test_rand_int_range (0, 8))
    {
    case 0:
    case 1:
      add_string (page);
      break;
    case 2:
      g_string_append (page, PICK (numbers));
      break;
    case 3:
      g_string_append (page, g_test_rand_bit () ? "true" : "false");
      break;
    case 4:
      g_string_append (page, "null");
      break;
    case 5:
      g_string_append (page, PICK (structures));
      break;
    case 6:
      /* Any double, in as many digits as it takes and more. */
      g_string_append_printf (page, g_test_rand_bit () ? "%.*e" : "%.*f",
                              g_test_rand_int_range (1, 25),
                              g_test_rand_double_range (-1e9, 1e9)
                              * (g_test_rand_bit () ? 1e-12 : 1.0));
      break;
    default:
      g_string_append_printf (page, "%d", g_test_rand_int ());
      break;
    }
}

static void
add_member (GString    *page,
            const char *name,
            gboolean    hostile)
{
  add_space (page);
  if (hostile && g_test_rand_int_range (0, 20) == 0)
    g_string_append (page, "\"\\u0063ontactid\"");
  else
    g_string_append_printf (page, "\"%s\"", name);
  add_space (page);
  g_string_append_c (page, ':');
  add_space (page);
  add_value (page, hostile);
  add_space (page);
}

/* A row: an id (mostly), then members in any order, some twice. */
static void
add_row (GString  *page,
         guint     number,
         gboolean  hostile)
{
  guint members = g_test_rand_int_range (0, 12);

  g_string_append_c (page, '{');
  if (g_test_rand_int_range (0, 10) > 0)
    {
      g_string_append_printf (page, "\"contactid\":\"c%u\"", number);
      if (members > 0)
        g_string_append_c (page, ',');
    }
  for (guint i = 0; i < members; i++)
    {
      if (i > 0)
        g_string_append_c (page, ',');
      add_member (page, PICK (names), hostile);
    }
  g_string_append_c (page, '}');
}

static void
add_element (GString  *page,
             guint     number,
             gboolean  hostile)
{
  add_space (page);
  switch (g_test_rand_int_range (0, 12))
    {
    case 0:
      g_string_append_printf (page, "{\"@odata.context\":\"https://x/$metadata#contacts/$deletedEntity\","
                                    "\"id\":\"gone%u\",\"reason\":\"deleted\"}", number);
      break;
    case 1:
      add_value (page, hostile);
      break;
    default:
      add_row (page, number, hostile);
      break;
    }
  add_space (page);
}

/* A page as Dynamics 365 writes one, and as it might be written. */
static GBytes *
random_page (gboolean hostile)
{
  GString *page = g_string_new (NULL);
  guint rows = g_test_rand_int_range (0, 8);

  add_space (page);
  g_string_append (page, "{\"@odata.context\":\"https://org/api/data/v9.2/$metadata#contacts\"");
  if (g_test_rand_bit ())
    g_string_append (page, ",\"@odata.nextLink\":\"https://org/api/data/v9.2/contacts?$skiptoken=%3Ccookie%20page=%222%22%3E\"");
  g_string_append (page, ",\"value\":");
  add_space (page);
  g_string_append_c (page, '[');
  for (guint i = 0; i < rows; i++)
    {
      if (i > 0)
        g_string_append_c (page, ',');
      add_element (page, i, hostile);
    }
  g_string_append_c (page, ']');
  if (g_test_rand_int_range (0, 3) == 0)
    g_string_append (page, ", \"@odata.deltaLink\" : \"https://org/api/data/v9.2/contacts?$deltatoken=9%2101\"");
  if (g_test_rand_int_range (0, 10) == 0)
    g_string_append (page, ",\"@odata.nextLink\":null");
  g_string_append_c (page, '}');
  add_space (page);
  if (hostile && g_test_rand_int_range (0, 10) == 0)
    g_string_prepend (page, "\xef\xbb\xbf");
  if (hostile && g_test_rand_int_range (0, 10) == 0)
    g_string_append (page, "{}");
  return g_string_free_to_bytes (page);
}

/* ------------------------------------------------------------------ */
/* Mapping both ways                                                   */

static CcIngressConfig *
mapping_config (gboolean display_values)
{
  g_autofree char *quoted = g_strdup_printf (
    "{'mappings': [{'source': 'contact', 'target': 'profileAndServicesExt/profile',"
    " 'picklist-values': '%s', 'fields': ["
    "{'source': 'firstname', 'target': 'firstName', 'transforms': [{'op': 'trim'}, {'op': 'upper'}]},"
    "{'source': 'lastname', 'target': 'lastName', 'transforms': [{'op': 'concat', 'fields': ['firstname', 'lastname'], 'separator': ' '}]},"
    "{'source': 'new_score', 'target': 'cusScore'}, {'source': 'firstname', 'target': 'cusFirst'},"
    "{'source': 'donotemail', 'target': 'cusEmail'}, {'source': 'new_tier', 'target': 'cusTierAsIs'},"
    "{'source': 'new_tier', 'target': 'cusTier', 'replacements': [{'from': 'Gold', 'to': 3}, {'from': '1', 'to': 'one'}]},"
    "{'source': 'donotemail', 'target': 'blackList', 'transforms': [{'op': 'default', 'value': 'unknown'}]},"
    "{'source': '_parentcustomerid_value', 'target': 'cusParent'},"
    "{'source': 'lastname', 'target': 'cusLower', 'transforms': [{'op': 'lower'}]}]}]}",
    display_values ? "display" : "technical");
  g_autoptr(JsonNode) node = cc_test_json_from_quoted (quoted);
  g_autoptr(GError) error = NULL;
  CcIngressConfig *config = cc_ingress_config_parse (node, &error);

  g_assert_no_error (error);
  return config;
}

/* What the reader queues of @row: the record's JSON text, or the error. */
static char *
map_row (const CcTableMapping *mapping,
         CcJsonRow            *row)
{
  const char *id = cc_json_row_get_string (row, "contactid");
  g_autoptr(CcMappedRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  CcMapVerdict verdict;

  if (id == NULL)
    return g_strdup ("(no id)");
  verdict = cc_mapper_apply (mapping, id, row, &record, &error);
  if (error != NULL)
    return g_strdup_printf ("(error) %s", error->message);
  if (verdict == CC_MAP_FILTERED_OUT)
    return g_strdup ("(filtered out)");
  return cc_mapped_record_to_json (record);
}

/* Every row of @body mapped from its scan and from the parser's tree:
 * the same text. And that text is what json-glib writes of its own
 * reading of it: the record is written as json_to_string () would. */
static void
assert_same_payloads (GBytes               *body,
                      const CcTableMapping *mapping)
{
  g_autoptr(CcJsonRows) rows = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char * const none[] = { NULL };
  JsonArray *value;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  rows = cc_json_scan_rows (body, "value", none);
  g_assert_nonnull (rows);
  root = cc_json_parse (data, length, CC_JSON_MAX_ANSWER, NULL);
  value = json_object_get_array_member (json_node_get_object (root), "value");
  for (guint i = 0, r = 0; i < json_array_get_length (value); i++)
    {
      JsonNode *element = json_array_get_element (value, i);
      g_autoptr(CcJsonRow) tree = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *payload = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      tree = cc_json_row_new_for_object (json_node_get_object (element));
      expected = map_row (mapping, tree);
      payload = map_row (mapping, g_ptr_array_index (rows->rows, r++));
      g_assert_cmpstr (payload, ==, expected);
      if (payload[0] == '{')
        {
          g_autoptr(JsonNode) reread = json_from_string (payload, NULL);
          g_autofree char *rewritten = json_to_string (reread, FALSE);

          g_assert_cmpstr (payload, ==, rewritten);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

/* Pages as Dynamics 365 writes them, in every spacing and order: the
 * scan reads each itself, as the parser reads it, and every row maps to
 * the same record. */
static void
test_generated (void)
{
  g_autoptr(CcIngressConfig) plain = mapping_config (FALSE);
  g_autoptr(CcIngressConfig) display = mapping_config (TRUE);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GBytes) page = random_page (FALSE);

      if (!cc_test_page_compare (page, BOTH))
        g_error ("page %u was left to the parser: %s", i,
                 (const char *) g_bytes_get_data (page, NULL));
      cc_test_page_compare (page, CC_DATAVERSE_READ_NONE);
      assert_same_payloads (page, g_ptr_array_index (plain->mappings, 0));
      assert_same_payloads (page, g_ptr_array_index (display->mappings, 0));
    }
}

/* What the scan cannot be sure of goes to the parser: the same rows, or
 * the same error. */
static void
test_hostile (void)
{
  guint scanned = 0;

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GBytes) page = random_page (TRUE);

      scanned += cc_test_page_compare (page, BOTH);
    }
  /* Some were sure, so both ways were compared on them too. */
  g_assert_cmpuint (scanned, >, 0);
  g_assert_cmpuint (scanned, <, 3000);
}

static void
compare_text (const char *text,
              gsize       length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);

  cc_test_page_compare (bytes, BOTH);
}

/* A page cut short at every byte, and with every byte replaced by one
 * that breaks it another way. */
static void
test_damaged (void)
{
  static const char replacements[] = "\"\\{}[],:0e-. \x01\xff\x80";

  for (guint n = 0; n < 20; n++)
    {
      g_autoptr(GBytes) page = random_page (n % 2 == 1);
      gsize length;
      const char *data = g_bytes_get_data (page, &length);
      g_autofree char *copy = g_memdup2 (data, length);

      for (gsize cut = 0; cut < length; cut++)
        compare_text (data, cut);
      for (gsize at = 0; at < length; at++)
        for (guint r = 0; r < sizeof replacements - 1; r++)
          {
            copy[at] = replacements[r];
            compare_text (copy, length);
            copy[at] = data[at];
          }
    }
}

/* Nesting up to the bound is read; one level more is the parser's
 * refusal. */
static void
test_deep (void)
{
  for (guint depth = 60; depth <= 66; depth++)
    {
      /* The page, "value" and the row are three levels. */
      guint inner = depth - 3;
      g_autoptr(GString) page = g_string_new ("{\"value\":[{\"contactid\":\"c\",\"x\":");
      g_autoptr(GBytes) bytes = NULL;

      for (guint i = 0; i < inner; i++)
        g_string_append_c (page, '[');
      for (guint i = 0; i < inner; i++)
        g_string_append_c (page, ']');
      g_string_append (page, "}]}");
      bytes = g_bytes_new (page->str, page->len);
      g_assert_true (cc_test_page_compare (bytes, BOTH) == (depth <= CC_JSON_MAX_DEPTH));
    }
}

/* The fixtures of the odata fuzz target: answers as the sandbox and
 * Dynamics 365 wrote them. */
static void
test_fixtures (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("CC_SOURCE_DIR"), "tests", "fuzz", "corpus",
                                           "odata", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint pages = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      const char *body;
      gsize length;

      g_assert_true (g_file_get_contents (path, &text, &length, NULL));
      body = strstr (text, "\r\n\r\n");
      body = body != NULL ? body + 4 : (body = strstr (text, "\n\n")) != NULL ? body + 2 : text;
      {
        g_autoptr(GBytes) bytes = g_bytes_new (body, length - (body - text));
        gboolean scanned = cc_test_page_compare (bytes, BOTH);

        if (g_str_has_prefix (name, "page-"))
          {
            g_assert_true (scanned);
            pages++;
          }
      }
    }
  g_assert_cmpuint (pages, >=, 2);
}

/* A member named twice counts by its last value, as json-glib keeps
 * it: in the row, in the page's links, and in the "value" array. */
static void
test_duplicates (void)
{
  static const char text[] =
    "{\"value\":[{\"contactid\":\"first\",\"lastname\":\"A\",\"contactid\":\"second\",\"lastname\":null}],"
    "\"@odata.nextLink\":\"one\",\"@odata.nextLink\":\"two\"}";
  static const char replaced[] = "{\"value\":[{\"contactid\":\"c\"}],\"value\":7}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GBytes) replaced_bytes = g_bytes_new_static (replaced, sizeof replaced - 1);
  const char * const links[] = { "@odata.nextLink", NULL };
  g_autoptr(CcJsonRows) rows = cc_json_scan_rows (bytes, "value", links);
  g_autoptr(CcJsonRows) none = cc_json_scan_rows (replaced_bytes, "value", links);
  CcJsonRow *row;

  g_assert_true (cc_test_page_compare (bytes, BOTH));
  g_assert_nonnull (rows);
  row = g_ptr_array_index (rows->rows, 0);
  g_assert_cmpstr (cc_json_row_get_string (row, "contactid"), ==, "second");
  g_assert_true (JSON_NODE_HOLDS_NULL (cc_json_row_get_member (row, "lastname")));
  g_assert_cmpstr (rows->strings[0], ==, "two");
  g_assert_nonnull (none);
  g_assert_cmpuint (none->rows->len, ==, 0);
  g_assert_true (cc_test_page_compare (replaced_bytes, BOTH));
}

/* The record's text is json-glib's, value by value: every escape, every
 * byte of UTF-8, whole numbers and doubles as the generator writes them. */
static void
test_writer (void)
{
  static const double doubles[] = { 0.1, -0.0, 1e20, 1e300, 5e-324, 1.5, 100000.0,
                                    123456789.12345679, -2.5e-3, 1.0 };

  for (guint c = 1; c < 256; c++)
    {
      char text[4] = { 'a', (char) c, 'z', '\0' };
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
      g_autofree char *expected = json_to_string (node, FALSE);
      g_autoptr(GString) written = g_string_new (NULL);

      cc_json_write_text_node (written, node);
      g_assert_cmpstr (written->str, ==, expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (doubles) + 1000; i++)
    {
      double value = i < G_N_ELEMENTS (doubles) ? doubles[i]
                     : g_test_rand_double_range (-1e6, 1e6) * (g_test_rand_bit () ? 1e-9 : 1e12);
      g_autoptr(JsonNode) number = json_node_init_double (json_node_alloc (), value);
      guint64 bits = ((guint64) (guint32) g_test_rand_int () << 32) ^ i;
      g_autoptr(JsonNode) whole = json_node_init_int (json_node_alloc (), (gint64) bits);
      g_autofree char *expected_number = json_to_string (number, FALSE);
      g_autofree char *expected_whole = json_to_string (whole, FALSE);
      g_autoptr(GString) written = g_string_new (NULL);

      cc_json_write_text_node (written, number);
      g_assert_cmpstr (written->str, ==, expected_number);
      g_string_truncate (written, 0);
      cc_json_write_text_node (written, whole);
      g_assert_cmpstr (written->str, ==, expected_whole);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/page-scan/fixtures", test_fixtures);
  g_test_add_func ("/page-scan/generated", test_generated);
  g_test_add_func ("/page-scan/hostile", test_hostile);
  g_test_add_func ("/page-scan/damaged", test_damaged);
  g_test_add_func ("/page-scan/deep", test_deep);
  g_test_add_func ("/page-scan/duplicates", test_duplicates);
  g_test_add_func ("/page-scan/writer", test_writer);
  return g_test_run ();
}
