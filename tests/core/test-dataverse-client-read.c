/* test-dataverse-client-read.c — CcDataverseClient's reads against the
 * emulated Web API: full and filtered paged reads, formatted values, and
 * change tracking (delta links, expired tokens, removed columns).
 *
 * Changes "made in Dynamics 365" while a reader holds a delta link go
 * through the sandbox's admin API, as a user editing records would.
 */
#include <string.h>

#include "cc-error.h"
#include "client-fixture.h"

static const char * const contact_columns[] = {
  "firstname", "lastname", "emailaddress1", "telephone1", "donotbulkemail", NULL
};

/* Reads every page from @url; returns the delta link. Each row's id goes
 * into @ids, and must not be there yet. */
static char *
read_all (ClientFixture *fixture,
          const char    *first_url,
          guint          page_size,
          GHashTable    *ids,
          GPtrArray     *deleted,
          guint         *n_pages)
{
  g_autofree char *url = g_strdup (first_url);
  g_autofree char *delta = NULL;

  *n_pages = 0;
  while (url != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CcDataversePage) page = NULL;

      page = cc_dataverse_client_read_page (fixture->dataverse, url,
                                            CC_DATAVERSE_READ_TRACK_CHANGES, page_size,
                                            NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      (*n_pages)++;
      g_assert_cmpuint (page->rows->len, <=, page_size);
      /* The delta link comes with the last page only. */
      g_assert_true ((page->next_link == NULL) == (page->delta_link != NULL));

      for (guint i = 0; i < page->rows->len; i++)
        {
          CcJsonRow *row = g_ptr_array_index (page->rows, i);
          const char *id = cc_json_row_get_string (row, "contactid");

          g_assert_nonnull (id);
          g_assert_true (cc_json_row_has_member (row, "@odata.etag"));
          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_add (ids, g_strdup (id));
        }
      for (guint i = 0; deleted != NULL && i < page->deleted_ids->len; i++)
        g_ptr_array_add (deleted, g_strdup (g_ptr_array_index (page->deleted_ids, i)));

      g_free (url);
      url = g_steal_pointer (&page->next_link);
      if (page->delta_link != NULL)
        delta = g_steal_pointer (&page->delta_link);
    }
  return g_steal_pointer (&delta);
}

static char *
full_read (ClientFixture *fixture,
           guint          page_size)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = NULL;
  char *delta;
  guint pages;

  url = cc_dataverse_client_build_query_url (fixture->dataverse, "contacts", contact_columns, NULL);
  delta = read_all (fixture, url, page_size, ids, NULL, &pages);
  g_assert_cmpuint (g_hash_table_size (ids), ==, N_CONTACTS);
  g_assert_cmpuint (pages, ==, (N_CONTACTS + page_size - 1) / page_size);
  g_assert_nonnull (delta);
  return delta;
}

static void
test_full_read (ClientFixture *fixture,
                gconstpointer  data)
{
  g_autofree char *delta = full_read (fixture, 500);
  g_autofree char *url = NULL;

  url = cc_dataverse_client_build_query_url (fixture->dataverse, "contacts", contact_columns, NULL);
  g_assert_true (g_str_has_prefix (url, cc_dataverse_client_get_api_root (fixture->dataverse)));
  g_assert_nonnull (strstr (url, "contacts?$select=firstname,lastname,emailaddress1"));
}

static void
test_filtered_read (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *url = NULL;
  JsonArray *rows;

  all = client_admin (fixture, "GET", "tables/contacts", NULL, 200);
  rows = json_object_get_array_member (json_node_get_object (all), "value");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_get_int_member (row, "statecode") == 0)
        g_hash_table_add (active, (gpointer) json_object_get_string_member (row, "contactid"));
    }
  g_assert_cmpuint (g_hash_table_size (active), >, 0);
  g_assert_cmpuint (g_hash_table_size (active), <, N_CONTACTS);

  /* A filter value with a quote, a space and a '+' must survive the URL. */
  url = cc_dataverse_client_build_query_url (fixture->dataverse, "contacts", contact_columns,
                                             "lastname eq 'O''Brien +1' or statecode eq 0");
  g_assert_null (strstr (url, " "));
  g_assert_nonnull (strstr (url, "%2B1"));
  page = cc_dataverse_client_read_page (fixture->dataverse, url, CC_DATAVERSE_READ_NONE, 0,
                                        NULL, &error);
  g_assert_no_error (error);
  /* No seeded contact has that last name: exactly the active ones come
   * back, in one page of the default 5000, with no delta link. */
  g_assert_cmpuint (page->rows->len, ==, g_hash_table_size (active));
  for (guint i = 0; i < page->rows->len; i++)
    g_assert_true (g_hash_table_contains (active,
                                          cc_json_row_get_string (g_ptr_array_index (page->rows, i),
                                                                         "contactid")));
  g_assert_null (page->next_link);
  g_assert_null (page->delta_link);
}

static void
test_formatted_values (ClientFixture *fixture,
                       gconstpointer  data)
{
  const char *columns[] = { "firstname", "new_tier", NULL };
  g_autoptr(CcDataversePage) plain = NULL;
  g_autoptr(CcDataversePage) formatted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = cc_dataverse_client_build_query_url (fixture->dataverse, "contacts", columns,
                                             "new_tier eq 3");
  plain = cc_dataverse_client_read_page (fixture->dataverse, url, CC_DATAVERSE_READ_NONE, 50,
                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->rows->len, >, 0);
  g_assert_false (cc_json_row_has_member (g_ptr_array_index (plain->rows, 0),
                                          "new_tier@OData.Community.Display.V1.FormattedValue"));

  formatted = cc_dataverse_client_read_page (fixture->dataverse, url,
                                             CC_DATAVERSE_READ_FORMATTED_VALUES, 50, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (formatted->rows->len, ==, plain->rows->len);
  /* Each Gold row carries its label next to its value. */
  for (guint i = 0; i < formatted->rows->len; i++)
    {
      CcJsonRow *row = g_ptr_array_index (formatted->rows, i);

      g_assert_cmpint (json_node_get_int (cc_json_row_get_member (row, "new_tier")), ==, 3);
      g_assert_cmpstr (cc_json_row_get_string (row, "new_tier@OData.Community.Display.V1.FormattedValue"),
                       ==, "Gold");
    }
}

static void
test_delta (ClientFixture *fixture,
            gconstpointer  data)
{
  g_autofree char *delta = full_read (fixture, 1000);
  g_autofree char *next_delta = NULL;
  g_autofree char *last_delta = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) none = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) no_deletes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) created = NULL;
  JsonArray *rows;
  g_autofree char *update_path = NULL;
  g_autofree char *delete_path = NULL;
  g_autofree char *updated_id = NULL;
  g_autofree char *deleted_id = NULL;
  const char *created_id;
  guint pages;

  all = client_admin (fixture, "GET", "tables/contacts", NULL, 200);
  rows = json_object_get_array_member (json_node_get_object (all), "value");
  updated_id = g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 10), "contactid"));
  deleted_id = g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 20), "contactid"));

  created = client_admin (fixture, "POST", "tables/contacts",
                          "{\"firstname\":\"Zoë\",\"lastname\":\"Søren\",\"emailaddress1\":\"zoe@example.com\"}",
                          201);
  created_id = json_object_get_string_member (json_node_get_object (created), "contactid");
  update_path = g_strdup_printf ("tables/contacts/%s", updated_id);
  g_clear_pointer (&all, json_node_unref);
  all = client_admin (fixture, "PATCH", update_path, "{\"lastname\":\"Łukasz\"}", 200);
  delete_path = g_strdup_printf ("tables/contacts/%s", deleted_id);
  client_admin_drop (fixture, "DELETE", delete_path, NULL, 204);

  next_delta = read_all (fixture, delta, 1000, ids, deleted, &pages);
  g_assert_nonnull (next_delta);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
  g_assert_true (g_hash_table_contains (ids, created_id));
  g_assert_true (g_hash_table_contains (ids, updated_id));
  g_assert_cmpuint (deleted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (deleted, 0), ==, deleted_id);

  /* Nothing changed since: an empty page and yet another delta link. */
  last_delta = read_all (fixture, next_delta, 1000, none, no_deletes, &pages);
  g_assert_nonnull (last_delta);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
  g_assert_cmpuint (no_deletes->len, ==, 0);
}

static void
test_expired_delta (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autofree char *delta = full_read (fixture, 5000);
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;

  client_admin_drop (fixture, "POST", "expire-delta-tokens", "{}", 200);
  page = cc_dataverse_client_read_page (fixture->dataverse, delta, CC_DATAVERSE_READ_TRACK_CHANGES,
                                        5000, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_EXPIRED_CURSOR);
  g_assert_nonnull (strstr (error->message, "contacts"));
}

static void
test_removed_column (ClientFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcDataverseTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  client_admin_drop (fixture, "POST", "schema/contact/columns/telephone1/remove", "{}", 200);

  table = cc_dataverse_client_get_table (fixture->dataverse, "contact", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cc_dataverse_table_find_column (table, "telephone1"));

  url = cc_dataverse_client_build_query_url (fixture->dataverse, "contacts", contact_columns, NULL);
  page = cc_dataverse_client_read_page (fixture->dataverse, url, CC_DATAVERSE_READ_TRACK_CHANGES,
                                        100, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "'telephone1'"));
  g_assert_nonnull (strstr (error->message, "'contact'"));
}

/* A stored link with its $select set anew: the rest of it, the paging
 * cookie or the delta token, is kept as it was. */
static void
test_set_select (void)
{
  const char * const columns[] = { "contactid", "new_tier", NULL };
  g_autofree char *delta = cc_dataverse_url_set_select (
      "https://org.example/api/data/v9.2/contacts?$select=contactid,telephone1"
      "&$deltatoken=919042%2108%2f22%2f2017", columns);
  g_autofree char *encoded = cc_dataverse_url_set_select (
      "https://org.example/api/data/v9.2/contacts?%24select=telephone1&%24skiptoken=%3Ccookie%3E",
      columns);
  g_autofree char *none = cc_dataverse_url_set_select (
      "https://org.example/api/data/v9.2/contacts?$filter=statecode%20eq%200", columns);
  g_autofree char *bare = cc_dataverse_url_set_select ("https://org.example/api/data/v9.2/contacts",
                                                       columns);

  g_assert_cmpstr (delta, ==, "https://org.example/api/data/v9.2/contacts"
                              "?$select=contactid,new_tier&$deltatoken=919042%2108%2f22%2f2017");
  g_assert_cmpstr (encoded, ==, "https://org.example/api/data/v9.2/contacts"
                                "?$select=contactid,new_tier&%24skiptoken=%3Ccookie%3E");
  g_assert_cmpstr (none, ==, "https://org.example/api/data/v9.2/contacts"
                             "?$filter=statecode%20eq%200&$select=contactid,new_tier");
  g_assert_cmpstr (bare, ==, "https://org.example/api/data/v9.2/contacts?$select=contactid,new_tier");
  g_assert_null (cc_dataverse_url_set_select ("page 2024-01-01", columns));
  {
    g_auto(GStrv) selected = cc_dataverse_url_dup_select (encoded);
    g_auto(GStrv) spaced = cc_dataverse_url_dup_select ("https://o/contacts?%24select=a%2Cb&x=1");

    g_assert_cmpstrv (selected, columns);
    g_assert_cmpstrv (spaced, ((const char * const []) { "a", "b", NULL }));
    g_assert_null (cc_dataverse_url_dup_select ("https://o/contacts"));
    g_assert_null (cc_dataverse_url_dup_select ("https://o/contacts?$filter=x"));
  }
}

/* A delta link whose columns changed (one removed from the table and no
 * longer selected, one added) reads on from where it stood, with the new
 * columns: the change made meanwhile, and nothing else. */
static void
test_delta_new_select (ClientFixture *fixture,
                       gconstpointer  data)
{
  const char * const columns[] = { "lastname", "new_tier", NULL };
  g_autofree char *delta = full_read (fixture, 5000);
  g_autofree char *refitted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;
  CcJsonRow *row;

  all = client_admin (fixture, "GET", "tables/contacts", NULL, 200);
  id = g_strdup (json_object_get_string_member (
         json_array_get_object_element (json_object_get_array_member (json_node_get_object (all),
                                                                      "value"), 3),
         "contactid"));
  client_admin_drop (fixture, "POST", "schema/contact/columns/telephone1/remove", "{}", 200);
  path = g_strdup_printf ("tables/contacts/%s", id);
  changed = client_admin (fixture, "PATCH", path, "{\"lastname\":\"Meanwhile\"}", 200);

  refitted = cc_dataverse_url_set_select (delta, columns);
  g_assert_nonnull (strstr (refitted, "$deltatoken="));
  page = cc_dataverse_client_read_page (fixture->dataverse, refitted,
                                        CC_DATAVERSE_READ_TRACK_CHANGES, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->rows->len, ==, 1);
  row = g_ptr_array_index (page->rows, 0);
  g_assert_cmpstr (cc_json_row_get_string (row, "contactid"), ==, id);
  g_assert_cmpstr (cc_json_row_get_string (row, "lastname"), ==, "Meanwhile");
  g_assert_true (cc_json_row_has_member (row, "new_tier"));
  g_assert_false (cc_json_row_has_member (row, "telephone1"));
  g_assert_false (cc_json_row_has_member (row, "firstname"));
  g_assert_nonnull (page->delta_link);
}

void
dvc_add_read_tests (void)
{
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/full", test_full_read);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/filtered", test_filtered_read);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/formatted-values", test_formatted_values);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/delta", test_delta);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/expired-delta", test_expired_delta);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/removed-column", test_removed_column);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/read/delta-new-select", test_delta_new_select);
  g_test_add_func ("/dataverse-client/read/set-select", test_set_select);
}
