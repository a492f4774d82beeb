/* test-dv-query.c — reading from the Dataverse emulator: $select,
 * $filter (checked against the same predicate evaluated here over the raw
 * rows), $orderby, $top, $count, paging by nextLink, formatted values and
 * change tracking.
 */
#include <string.h>

#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)
#define MAXPAGE(n) "Prefer", "odata.maxpagesize=" #n

static JsonArray *
admin_rows (DvFixture  *f,
            const char *set)
{
  g_autofree char *path = g_strconcat ("tables/", set, NULL);
  g_autoptr(DvReply) reply = dv_admin (f, "GET", path, NULL);

  return json_array_ref (dv_reply_value (reply));
}

static JsonObject *
admin_create (DvFixture  *f,
              const char *set,
              const char *body)
{
  g_autofree char *path = g_strconcat ("tables/", set, NULL);
  g_autoptr(DvReply) reply = dv_admin (f, "POST", path, body);

  g_assert_cmpuint (reply->status, ==, 201);
  return json_object_ref (dv_reply_object (reply));
}

/* ---- $select ------------------------------------------------------------ */

static void
test_select (DvFixture     *f,
             gconstpointer  data)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$select=firstname,emailaddress1", NULL, NULL);
  g_autoptr(DvReply) bad = dv_api (f, "GET", "contacts?$select=firstname,x", NULL, NULL);
  JsonArray *value = dv_reply_value (reply);
  g_autofree char *context = g_strconcat (f->api, "$metadata#contacts(firstname,emailaddress1)", NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Content-Type"), ==,
                   "application/json; odata.metadata=minimal; odata.streaming=true");
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (reply), "@odata.context"), ==, context);
  g_assert_cmpuint (json_array_get_length (value), ==, 60);
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *row = json_array_get_object_element (value, i);
      const char *etag = json_object_get_string_member (row, "@odata.etag");

      g_assert_cmpuint (json_object_get_size (row), ==, 4);
      g_assert_true (g_str_has_prefix (etag, "W/\""));
      g_assert_true (json_object_has_member (row, "firstname"));
      g_assert_nonnull (strchr (json_object_get_string_member (row, "emailaddress1"), '@'));
      g_assert_cmpuint (strlen (json_object_get_string_member (row, "contactid")), ==, 36);
    }
  dv_assert_error (bad, 400, "0x80060888",
                   "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.contact'.");
}

/* ---- $filter ------------------------------------------------------------ */

static gboolean
is_null (JsonObject *row,
         const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gint64
int_of (JsonObject *row,
        const char *name)
{
  return json_object_get_int_member (row, name);
}

static const char *
str_of (JsonObject *row,
        const char *name)
{
  return is_null (row, name) ? NULL : json_object_get_string_member (row, name);
}

static int
casecmp (const char *a,
         const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a ? a : "", -1);
  g_autofree char *fb = g_utf8_casefold (b ? b : "", -1);

  return strcmp (fa, fb);
}

static gboolean
casefold_prefix (const char *text,
                 const char *prefix)
{
  g_autofree char *ft = g_utf8_casefold (text ? text : "", -1);
  g_autofree char *fp = g_utf8_casefold (prefix, -1);

  return g_str_has_prefix (ft, fp);
}

static gboolean p_state1 (JsonObject *r) { return int_of (r, "statecode") == 1; }
static gboolean p_state_ne0 (JsonObject *r) { return int_of (r, "statecode") != 0; }
static gboolean p_tier_gt1 (JsonObject *r) { return !is_null (r, "new_tier") && int_of (r, "new_tier") > 1; }
static gboolean p_tier_ge2 (JsonObject *r) { return !is_null (r, "new_tier") && int_of (r, "new_tier") >= 2; }
static gboolean p_tier_lt3 (JsonObject *r) { return !is_null (r, "new_tier") && int_of (r, "new_tier") < 3; }
static gboolean p_tier_le1 (JsonObject *r) { return !is_null (r, "new_tier") && int_of (r, "new_tier") <= 1; }
static gboolean p_donotemail (JsonObject *r) { return json_object_get_boolean_member (r, "donotemail"); }
static gboolean p_bulk_active (JsonObject *r)
{
  return !json_object_get_boolean_member (r, "donotbulkemail") && int_of (r, "statecode") == 0;
}
static gboolean p_tier_null (JsonObject *r) { return is_null (r, "new_tier"); }
static gboolean p_tier_not_null (JsonObject *r) { return !is_null (r, "new_tier"); }
static gboolean p_obrien (JsonObject *r) { return g_strcmp0 (str_of (r, "lastname"), "O'Brien") == 0; }
static gboolean p_mueller (JsonObject *r) { return casecmp (str_of (r, "lastname"), "Müller") == 0; }
static gboolean p_contains (JsonObject *r) { return strstr (str_of (r, "emailaddress1"), ".1") != NULL; }
static gboolean p_starts (JsonObject *r) { return casefold_prefix (str_of (r, "lastname"), "m"); }
static gboolean p_ends (JsonObject *r) { return g_str_has_suffix (str_of (r, "emailaddress1"), "example.org"); }
static gboolean p_not_starts (JsonObject *r) { return !casefold_prefix (str_of (r, "firstname"), "J"); }
static gboolean p_grouped (JsonObject *r)
{
  return (p_tier_le1 (r) || (!is_null (r, "new_tier") && int_of (r, "new_tier") == 3)) && !p_state1 (r);
}
static gboolean p_eighties (JsonObject *r)
{
  const char *d = str_of (r, "birthdate");

  return d != NULL && strcmp (d, "1980-01-01") >= 0 && strcmp (d, "1990-01-01") < 0;
}
static gboolean p_created (JsonObject *r) { return strcmp (str_of (r, "createdon"), "2025-01-01T00:30:00Z") >= 0; }
static gboolean p_modified (JsonObject *r) { return strcmp (str_of (r, "modifiedon"), "2025-01-01T00:10:00Z") < 0; }
static gboolean p_same_names (JsonObject *r) { return casecmp (str_of (r, "firstname"), str_of (r, "lastname")) == 0; }

static void
test_filter (DvFixture     *f,
             gconstpointer  data)
{
  static const struct
  {
    const char *filter;
    gboolean  (*predicate) (JsonObject *row);
  } cases[] = {
    { "statecode eq 1", p_state1 },
    { "statecode ne 0", p_state_ne0 },
    { "new_tier gt 1", p_tier_gt1 },
    { "new_tier ge 2", p_tier_ge2 },
    { "new_tier lt 3", p_tier_lt3 },
    { "new_tier le 1", p_tier_le1 },
    { "donotemail eq true", p_donotemail },
    { "donotbulkemail eq false and statecode eq 0", p_bulk_active },
    { "new_tier eq null", p_tier_null },
    { "new_tier ne null", p_tier_not_null },
    { "lastname eq 'O''Brien'", p_obrien },
    { "lastname eq 'MÜLLER'", p_mueller },
    { "contains(emailaddress1,'.1')", p_contains },
    { "startswith(lastname,'m')", p_starts },
    { "endswith(emailaddress1,'EXAMPLE.ORG')", p_ends },
    { "not startswith(firstname,'J')", p_not_starts },
    { "(new_tier le 1 or new_tier eq 3) and not (statecode eq 1)", p_grouped },
    { "birthdate ge 1980-01-01 and birthdate lt 1990-01-01", p_eighties },
    { "createdon ge 2025-01-01T00:30:00Z", p_created },
    { "modifiedon lt 2025-01-01T01:10:00+01:00", p_modified },
    { "firstname eq lastname", p_same_names },
  };
  g_autoptr(JsonObject) a = admin_create (f, "contacts", "{\"firstname\":\"Seán\",\"lastname\":\"O'Brien\","
                                          "\"emailaddress1\":\"sean.obrien@example.org\",\"donotemail\":true,"
                                          "\"birthdate\":\"1984-05-06\"}");
  g_autoptr(JsonObject) b = admin_create (f, "contacts", "{\"firstname\":\"Ng\",\"lastname\":\"NG\","
                                          "\"emailaddress1\":\"ng@example.net\",\"new_tier\":3}");
  g_autoptr(JsonObject) c = admin_create (f, "contacts", "{\"firstname\":\"Jörg\",\"lastname\":\"Müller\","
                                          "\"emailaddress1\":\"joerg.mueller.1@example.com\"}");
  g_autoptr(JsonArray) rows = admin_rows (f, "contacts");
  guint total = json_array_get_length (rows);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = dv_escape (cases[i].filter);
      g_autofree char *path = g_strconcat ("contacts?$select=contactid&$filter=", escaped, NULL);
      g_autoptr(DvReply) reply = dv_api (f, "GET", path, NULL, NULL);
      g_autoptr(GHashTable) got = g_hash_table_new (g_str_hash, g_str_equal);
      JsonArray *value;
      guint expected = 0;

      if (reply->status != 200)
        g_error ("%s: %u %s", cases[i].filter, reply->status, reply->text);
      value = dv_reply_value (reply);
      for (guint k = 0; k < json_array_get_length (value); k++)
        g_hash_table_add (got, (char *) json_object_get_string_member (json_array_get_object_element (value, k),
                                                                       "contactid"));
      g_assert_cmpuint (g_hash_table_size (got), ==, json_array_get_length (value));
      for (guint k = 0; k < total; k++)
        {
          JsonObject *row = json_array_get_object_element (rows, k);

          if (cases[i].predicate (row))
            {
              expected++;
              if (!g_hash_table_contains (got, json_object_get_string_member (row, "contactid")))
                g_error ("%s: missing %s", cases[i].filter, json_object_get_string_member (row, "contactid"));
            }
        }
      /* Every case must select some rows but not all, or it proves nothing. */
      if (expected == 0 || expected == total)
        g_error ("%s: %u of %u rows match; the case is not discriminating", cases[i].filter, expected, total);
      g_assert_cmpuint (json_array_get_length (value), ==, expected);
    }

  /* A GUID literal is unquoted. */
  {
    g_autofree char *path = g_strdup_printf ("contacts?$filter=contactid%%20eq%%20%s",
                                             json_object_get_string_member (b, "contactid"));
    g_autoptr(DvReply) reply = dv_api (f, "GET", path, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (dv_reply_value (reply)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (dv_reply_value (reply), 0),
                                                    "lastname"), ==, "NG");
  }

  {
    g_autoptr(DvReply) syntax = dv_api (f, "GET", "contacts?$filter=firstname%20eq", NULL, NULL);
    g_autoptr(DvReply) quote = dv_api (f, "GET", "contacts?$filter=firstname%20eq%20'open", NULL, NULL);
    g_autoptr(DvReply) types = dv_api (f, "GET", "contacts?$filter=firstname%20eq%205", NULL, NULL);
    g_autoptr(DvReply) unknown = dv_api (f, "GET", "contacts?$filter=nope%20eq%201", NULL, NULL);

    dv_assert_error (syntax, 400, "0x80060888", "Syntax error at position 12");
    dv_assert_error (quote, 400, "0x80060888", "unterminated string literal");
    dv_assert_error (types, 400, "0x80060888", "incompatible types");
    dv_assert_error (unknown, 400, "0x80060888", "Could not find a property named 'nope'");
  }
}

/* ---- $orderby, $top, $count ---------------------------------------------- */

static void
test_orderby (DvFixture     *f,
              gconstpointer  data)
{
  g_autoptr(DvReply) by_name = dv_api (f, "GET", "contacts?$select=lastname&$orderby=lastname%20asc,contactid%20desc",
                                       NULL, NULL);
  g_autoptr(DvReply) by_tier = dv_api (f, "GET", "contacts?$select=new_tier,createdon&$orderby=new_tier%20desc,createdon",
                                       NULL, NULL);
  g_autoptr(DvReply) bad = dv_api (f, "GET", "contacts?$orderby=lastname%20sideways", NULL, NULL);
  JsonArray *value = dv_reply_value (by_name);

  for (guint i = 1; i < json_array_get_length (value); i++)
    {
      JsonObject *prev = json_array_get_object_element (value, i - 1);
      JsonObject *cur = json_array_get_object_element (value, i);
      int cmp = casecmp (str_of (prev, "lastname"), str_of (cur, "lastname"));

      g_assert_cmpint (cmp, <=, 0);
      if (cmp == 0)
        g_assert_cmpint (strcmp (str_of (prev, "contactid"), str_of (cur, "contactid")), >, 0);
    }

  value = dv_reply_value (by_tier);
  for (guint i = 1; i < json_array_get_length (value); i++)
    {
      JsonObject *prev = json_array_get_object_element (value, i - 1);
      JsonObject *cur = json_array_get_object_element (value, i);
      /* Descending puts nulls last (they sort first ascending). */
      gint64 a = is_null (prev, "new_tier") ? 0 : int_of (prev, "new_tier");
      gint64 b = is_null (cur, "new_tier") ? 0 : int_of (cur, "new_tier");

      g_assert_cmpint (a, >=, b);
      if (a == b)
        g_assert_cmpint (strcmp (str_of (prev, "createdon"), str_of (cur, "createdon")), <=, 0);
    }
  dv_assert_error (bad, 400, "0x80060888", "$orderby");
}

static void
test_top_count (DvFixture     *f,
                gconstpointer  data)
{
  g_autoptr(DvReply) top = dv_api (f, "GET", "contacts?$top=5", NULL, NULL);
  g_autoptr(DvReply) top_paged = dv_api (f, "GET", "contacts?$top=5", NULL, MAXPAGE (10), NULL);
  g_autoptr(DvReply) count = dv_api (f, "GET", "contacts?$select=contactid&$count=true&$filter=statecode%20eq%200",
                                     NULL, "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,"
                                     "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\"", NULL);
  g_autoptr(DvReply) plain = dv_api (f, "GET", "contacts/$count", NULL, NULL);
  g_autoptr(DvReply) filtered = dv_api (f, "GET", "contacts/$count?$filter=statecode%20eq%201", NULL, NULL);
  g_autoptr(DvReply) skip = dv_api (f, "GET", "contacts?$skip=10", NULL, NULL);
  JsonObject *obj;
  gint64 active;

  g_assert_cmpuint (json_array_get_length (dv_reply_value (top)), ==, 5);
  g_assert_false (json_object_has_member (dv_reply_object (top), "@odata.nextLink"));
  /* $top is ignored when a page size is asked for. */
  g_assert_cmpuint (json_array_get_length (dv_reply_value (top_paged)), ==, 10);
  g_assert_true (json_object_has_member (dv_reply_object (top_paged), "@odata.nextLink"));

  obj = dv_reply_object (count);
  active = json_object_get_int_member (obj, "@odata.count");
  g_assert_cmpint (active, ==, json_array_get_length (dv_reply_value (count)));
  g_assert_cmpint (active, >, 0);
  g_assert_cmpint (json_object_get_int_member (obj, "@Microsoft.Dynamics.CRM.totalrecordcount"), ==, active);
  g_assert_false (json_object_get_boolean_member (obj, "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"));

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (plain->headers, "Content-Type"), "text/plain"));
  g_assert_cmpstr (plain->text, ==, "60");
  g_assert_cmpint (g_ascii_strtoll (filtered->text, NULL, 10), ==, 60 - active);
  dv_assert_error (skip, 400, "0x80060888", "$skip is not supported");
}

/* ---- formatted values --------------------------------------------------- */

static void
test_formatted_values (DvFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", "new_memberships?$select=new_level,_new_contactid_value,new_startdate",
                                     NULL, "Prefer", "odata.include-annotations=\"*\"", NULL);
  g_autoptr(DvReply) contacts = dv_api (f, "GET", "contacts?$select=new_tier,donotbulkemail,statecode&$filter=new_tier%20eq%203",
                                        NULL, "Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"",
                                        NULL);
  JsonObject *row = json_array_get_object_element (dv_reply_value (reply), 0);
  const char *contact_id = json_object_get_string_member (row, "_new_contactid_value");
  g_autofree char *path = g_strconcat ("tables/contacts/", contact_id, NULL);
  g_autoptr(DvReply) contact = dv_admin (f, "GET", path, NULL);
  static const char *levels[] = { "Bronze", "Silver", "Gold" };
  guint level = json_object_get_int_member (row, "new_level") - 100000000;

  g_assert_cmpstr (json_object_get_string_member (row, "_new_contactid_value@OData.Community.Display.V1.FormattedValue"),
                   ==, json_object_get_string_member (dv_reply_object (contact), "fullname"));
  g_assert_cmpstr (json_object_get_string_member (row, "_new_contactid_value@Microsoft.Dynamics.CRM.lookuplogicalname"),
                   ==, "contact");
  g_assert_cmpstr (json_object_get_string_member (row, "_new_contactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"),
                   ==, "new_contactid");
  g_assert_cmpstr (json_object_get_string_member (row, "new_level@OData.Community.Display.V1.FormattedValue"),
                   ==, levels[level]);
  g_assert_nonnull (strchr (json_object_get_string_member (row, "new_startdate@OData.Community.Display.V1.FormattedValue"), '/'));

  row = json_array_get_object_element (dv_reply_value (contacts), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "new_tier@OData.Community.Display.V1.FormattedValue"), ==, "Gold");
  g_assert_cmpstr (json_object_get_string_member (row, "donotbulkemail@OData.Community.Display.V1.FormattedValue"), ==,
                   json_object_get_boolean_member (row, "donotbulkemail") ? "Do Not Allow" : "Allow");
  g_assert_true (json_object_has_member (row, "statecode@OData.Community.Display.V1.FormattedValue"));
}

void
dv_add_query_tests (void)
{
  ADD ("/sandbox/dataverse/query/select", test_select);
  ADD ("/sandbox/dataverse/query/filter", test_filter);
  ADD ("/sandbox/dataverse/query/orderby", test_orderby);
  ADD ("/sandbox/dataverse/query/top-count-skip", test_top_count);
  ADD ("/sandbox/dataverse/query/formatted-values", test_formatted_values);
}
