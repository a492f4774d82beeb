/* test-dataverse-client.c — CcDataverseClient against the emulated
 * Dataverse Web API: metadata, paged and change-tracked reads, $batch,
 * single writes and alternate keys.
 *
 * Changes "made in Dynamics 365" while a reader holds a delta link go
 * through the sandbox's admin API, as a user editing records would.
 */
#include <string.h>

#include "cc-error.h"
#include "cc-dataverse-client.h"
#include "cc-sandbox.h"

#define N_CONTACTS 1234

typedef struct
{
  CcSandbox         *sandbox;
  CcDataverseClient *client;
  SoupSession       *admin;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  CcSandboxOptions options;
  CcDataverseSettings settings = { 0 };
  g_autoptr(GError) error = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = N_CONTACTS;
  fixture->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (fixture->sandbox, &error));
  g_assert_no_error (error);

  settings.url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  settings.tenant = CC_SANDBOX_TENANT;
  settings.client_id = CC_SANDBOX_CLIENT_ID;
  settings.secret = CC_SANDBOX_SECRET;
  /* The sandbox serves Entra's endpoint next to the Web API. */
  {
    g_autofree char *token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", settings.url,
                                                  CC_SANDBOX_TENANT);

    settings.token_url = token_url;
    fixture->client = cc_dataverse_client_new (&settings);
  }
  cc_http_set_retry_policy (cc_dataverse_client_get_http (fixture->client), 20, 5, 50);
  fixture->admin = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->admin);
  cc_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* The sandbox's admin API (/_sandbox/…), no auth. Returns the parsed
 * body (or NULL when empty) and checks the status. */
static JsonNode *
admin (Fixture    *fixture,
       const char *method,
       const char *path,
       const char *body,
       guint       expected_status)
{
  g_autofree char *url = g_strconcat (cc_sandbox_get_dataverse_url (fixture->sandbox),
                                      "/_sandbox/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (fixture->admin, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return json_from_string (text, NULL);
}

/* For calls whose answer only matters by its status. */
static void
admin_drop (Fixture    *fixture,
            const char *method,
            const char *path,
            const char *body,
            guint       expected_status)
{
  g_autoptr(JsonNode) node = admin (fixture, method, path, body, expected_status);
}

static guint
admin_count (Fixture    *fixture,
             const char *entity_set)
{
  g_autofree char *path = g_strconcat ("tables/", entity_set, NULL);
  g_autoptr(JsonNode) node = admin (fixture, "GET", path, NULL, 200);

  return (guint) json_object_get_int_member (json_node_get_object (node), "count");
}

/* --- metadata ------------------------------------------------------ */

static void
test_table_metadata (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CcDataverseTable) contact = NULL;
  g_autoptr(CcDataverseTable) membership = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  const CcDataverseColumn *column;
  gboolean found_lookup = FALSE;

  contact = cc_dataverse_client_get_table (fixture->client, "contact", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->logical_name, ==, "contact");
  g_assert_cmpstr (contact->entity_set_name, ==, "contacts");
  g_assert_cmpstr (contact->primary_id_attribute, ==, "contactid");
  g_assert_true (contact->change_tracking);
  g_assert_false (contact->is_custom);

  column = cc_dataverse_table_find_column (contact, "firstname");
  g_assert_nonnull (column);
  g_assert_cmpstr (column->attribute_type, ==, "String");
  g_assert_cmpint (column->max_length, ==, 50);
  g_assert_true (column->valid_for_read && column->valid_for_create && column->valid_for_update);

  /* Composed by the server: readable, never writable. */
  column = cc_dataverse_table_find_column (contact, "fullname");
  g_assert_nonnull (column);
  g_assert_true (column->valid_for_read);
  g_assert_false (column->valid_for_create);
  g_assert_false (column->valid_for_update);

  column = cc_dataverse_table_find_column (contact, "new_tier");
  g_assert_nonnull (column);
  g_assert_cmpstr (column->attribute_type, ==, "Picklist");
  g_assert_nonnull (column->options);
  g_assert_cmpstr (cc_dataverse_column_get_label (column, 1), ==, "Bronze");
  g_assert_cmpstr (cc_dataverse_column_get_label (column, 3), ==, "Gold");
  g_assert_null (cc_dataverse_column_get_label (column, 42));

  column = cc_dataverse_table_find_column (contact, "donotbulkemail");
  g_assert_nonnull (column);
  g_assert_cmpstr (column->attribute_type, ==, "Boolean");
  /* A two-option set: labels for false and true. */
  g_assert_nonnull (column->options);
  g_assert_cmpuint (column->options->len, ==, 2);
  g_assert_nonnull (cc_dataverse_column_get_label (column, 0));
  g_assert_nonnull (cc_dataverse_column_get_label (column, 1));
  g_assert_cmpstr (cc_dataverse_column_get_label (column, 0), !=,
                   cc_dataverse_column_get_label (column, 1));
  g_assert_null (cc_dataverse_table_find_column (contact, "no_such_column"));

  membership = cc_dataverse_client_get_table (fixture->client, "new_membership", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (membership->entity_set_name, ==, "new_memberships");
  g_assert_cmpstr (membership->primary_id_attribute, ==, "new_membershipid");
  g_assert_true (membership->is_custom);
  for (guint i = 0; i < membership->columns->len; i++)
    {
      const CcDataverseColumn *c = g_ptr_array_index (membership->columns, i);

      /* Options were not asked for. */
      g_assert_null (c->options);
      if (g_strcmp0 (c->attribute_type, "Lookup") == 0)
        {
          found_lookup = TRUE;
          g_assert_nonnull (c->targets);
          g_assert_true (g_strv_contains ((const char * const *) c->targets, "contact"));
        }
    }
  g_assert_true (found_lookup);

  tables = cc_dataverse_client_list_tables (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, >=, 6);
  for (guint i = 1; i < tables->len; i++)
    {
      CcDataverseTable *a = g_ptr_array_index (tables, i - 1);
      CcDataverseTable *b = g_ptr_array_index (tables, i);

      g_assert_cmpstr (a->logical_name, <, b->logical_name);
      g_assert_nonnull (b->entity_set_name);
    }
}

static void
test_unknown_table (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CcDataverseTable) table = NULL;
  g_autoptr(GError) error = NULL;

  table = cc_dataverse_client_get_table (fixture->client, "new_nothing", FALSE, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_cmpstr (error->message, ==, "Table 'new_nothing' does not exist in Dynamics 365");
}

/* --- reading --------------------------------------------------------- */

static const char * const contact_columns[] = {
  "firstname", "lastname", "emailaddress1", "telephone1", "donotbulkemail", NULL
};

/* Reads every page from @url; returns the delta link. Each row's id goes
 * into @ids, and must not be there yet. */
static char *
read_all (Fixture    *fixture,
          const char *first_url,
          guint       page_size,
          GHashTable *ids,
          GPtrArray  *deleted,
          guint      *n_pages)
{
  g_autofree char *url = g_strdup (first_url);
  g_autofree char *delta = NULL;

  *n_pages = 0;
  while (url != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CcDataversePage) page = NULL;

      page = cc_dataverse_client_read_page (fixture->client, url,
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
          JsonObject *row = g_ptr_array_index (page->rows, i);
          const char *id = json_object_get_string_member (row, "contactid");

          g_assert_nonnull (id);
          g_assert_true (json_object_has_member (row, "@odata.etag"));
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
full_read (Fixture *fixture,
           guint    page_size)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = NULL;
  char *delta;
  guint pages;

  url = cc_dataverse_client_build_query_url (fixture->client, "contacts", contact_columns, NULL);
  delta = read_all (fixture, url, page_size, ids, NULL, &pages);
  g_assert_cmpuint (g_hash_table_size (ids), ==, N_CONTACTS);
  g_assert_cmpuint (pages, ==, (N_CONTACTS + page_size - 1) / page_size);
  g_assert_nonnull (delta);
  return delta;
}

static void
test_full_read (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *delta = full_read (fixture, 500);
  g_autofree char *url = NULL;

  url = cc_dataverse_client_build_query_url (fixture->client, "contacts", contact_columns, NULL);
  g_assert_true (g_str_has_prefix (url, cc_dataverse_client_get_api_root (fixture->client)));
  g_assert_nonnull (strstr (url, "contacts?$select=firstname,lastname,emailaddress1"));
}

static void
test_filtered_read (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *url = NULL;
  JsonArray *rows;

  all = admin (fixture, "GET", "tables/contacts", NULL, 200);
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
  url = cc_dataverse_client_build_query_url (fixture->client, "contacts", contact_columns,
                                             "lastname eq 'O''Brien +1' or statecode eq 0");
  g_assert_null (strstr (url, " "));
  g_assert_nonnull (strstr (url, "%2B1"));
  page = cc_dataverse_client_read_page (fixture->client, url, CC_DATAVERSE_READ_NONE, 0,
                                        NULL, &error);
  g_assert_no_error (error);
  /* No seeded contact has that last name: exactly the active ones come
   * back, in one page of the default 5000, with no delta link. */
  g_assert_cmpuint (page->rows->len, ==, g_hash_table_size (active));
  for (guint i = 0; i < page->rows->len; i++)
    g_assert_true (g_hash_table_contains (active,
                                          json_object_get_string_member (g_ptr_array_index (page->rows, i),
                                                                         "contactid")));
  g_assert_null (page->next_link);
  g_assert_null (page->delta_link);
}

static void
test_formatted_values (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *columns[] = { "firstname", "new_tier", NULL };
  g_autoptr(CcDataversePage) plain = NULL;
  g_autoptr(CcDataversePage) formatted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = cc_dataverse_client_build_query_url (fixture->client, "contacts", columns,
                                             "new_tier eq 3");
  plain = cc_dataverse_client_read_page (fixture->client, url, CC_DATAVERSE_READ_NONE, 50,
                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->rows->len, >, 0);
  g_assert_false (json_object_has_member (g_ptr_array_index (plain->rows, 0),
                                          "new_tier@OData.Community.Display.V1.FormattedValue"));

  formatted = cc_dataverse_client_read_page (fixture->client, url,
                                             CC_DATAVERSE_READ_FORMATTED_VALUES, 50, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (formatted->rows->len, ==, plain->rows->len);
  /* Each Gold row carries its label next to its value. */
  for (guint i = 0; i < formatted->rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (formatted->rows, i);

      g_assert_cmpint (json_object_get_int_member (row, "new_tier"), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (row, "new_tier@OData.Community.Display.V1.FormattedValue"),
                       ==, "Gold");
    }
}

static void
test_delta (Fixture       *fixture,
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

  all = admin (fixture, "GET", "tables/contacts", NULL, 200);
  rows = json_object_get_array_member (json_node_get_object (all), "value");
  updated_id = g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 10), "contactid"));
  deleted_id = g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 20), "contactid"));

  created = admin (fixture, "POST", "tables/contacts",
                   "{\"firstname\":\"Zoë\",\"lastname\":\"Søren\",\"emailaddress1\":\"zoe@example.com\"}",
                   201);
  created_id = json_object_get_string_member (json_node_get_object (created), "contactid");
  update_path = g_strdup_printf ("tables/contacts/%s", updated_id);
  g_clear_pointer (&all, json_node_unref);
  all = admin (fixture, "PATCH", update_path, "{\"lastname\":\"Łukasz\"}", 200);
  delete_path = g_strdup_printf ("tables/contacts/%s", deleted_id);
  admin_drop (fixture, "DELETE", delete_path, NULL, 204);

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
test_expired_delta (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *delta = full_read (fixture, 5000);
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;

  admin_drop (fixture, "POST", "expire-delta-tokens", "{}", 200);
  page = cc_dataverse_client_read_page (fixture->client, delta, CC_DATAVERSE_READ_TRACK_CHANGES,
                                        5000, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_EXPIRED_CURSOR);
  g_assert_nonnull (strstr (error->message, "contacts"));
}

static void
test_removed_column (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcDataverseTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  admin_drop (fixture, "POST", "schema/contact/columns/telephone1/remove", "{}", 200);

  table = cc_dataverse_client_get_table (fixture->client, "contact", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cc_dataverse_table_find_column (table, "telephone1"));

  url = cc_dataverse_client_build_query_url (fixture->client, "contacts", contact_columns, NULL);
  page = cc_dataverse_client_read_page (fixture->client, url, CC_DATAVERSE_READ_TRACK_CHANGES,
                                        100, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "'telephone1'"));
  g_assert_nonnull (strstr (error->message, "'contact'"));
}

/* --- writing --------------------------------------------------------- */

static JsonObject *
email_event_body (const char *subject,
                  const char *contact_id,
                  const char *event_id)
{
  JsonObject *body = json_object_new ();
  g_autofree char *bind = NULL;

  json_object_set_string_member (body, "subject", subject);
  if (contact_id != NULL)
    {
      bind = g_strdup_printf ("/contacts(%s)", contact_id);
      json_object_set_string_member (body, "regardingobjectid_contact_new_emailsend@odata.bind", bind);
    }
  if (event_id != NULL)
    json_object_set_string_member (body, "new_campaigneventid", event_id);
  json_object_set_string_member (body, "new_campaignname", "Spring sale");
  return body;
}

static char *
some_contact_id (Fixture *fixture,
                 guint    index)
{
  g_autoptr(JsonNode) all = admin (fixture, "GET", "tables/contacts", NULL, 200);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (all), "value");

  return g_strdup (json_object_get_string_member (json_array_get_object_element (rows, index),
                                                  "contactid"));
}

static GPtrArray *
mixed_ops (Fixture *fixture)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autofree char *contact = some_contact_id (fixture, 3);
  g_autofree char *too_long = g_strnfill (250, 'x');
  g_autoptr(JsonObject) b1 = email_event_body ("Sent 1", contact, NULL);
  g_autoptr(JsonObject) b2 = email_event_body ("Sent 2", contact, NULL);
  g_autoptr(JsonObject) b3 = email_event_body (too_long, contact, NULL);
  g_autoptr(JsonObject) b4 = email_event_body ("Sent 4", contact, NULL);
  g_autoptr(JsonObject) b5 = json_object_new ();
  CcDataverseOp *op;

  g_ptr_array_add (ops, cc_dataverse_op_new ("POST", "new_emailsends", b1));
  g_ptr_array_add (ops, cc_dataverse_op_new ("POST", "new_emailsends", b2));
  g_ptr_array_add (ops, cc_dataverse_op_new ("POST", "new_emailsends", b3));
  g_ptr_array_add (ops, cc_dataverse_op_new ("POST", "new_emailsends", b4));
  /* An update of a row that does not exist. */
  json_object_set_string_member (b5, "lastname", "Nobody");
  op = cc_dataverse_op_new ("PATCH", "contacts(00000000-0000-0000-0000-00000000dead)", b5);
  op->if_match = g_strdup ("*");
  g_ptr_array_add (ops, op);
  return ops;
}

static void
test_batch_continue_on_error (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const guint expected[] = { 204, 204, 400, 204, 404 };
  CcDataverseResult *bad;

  results = cc_dataverse_client_batch (fixture->client, ops,
                                       CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, ops->len);
  for (guint i = 0; i < results->len; i++)
    {
      CcDataverseResult *result = g_ptr_array_index (results, i);

      g_assert_cmpuint (result->status, ==, expected[i]);
      if (expected[i] == 204)
        {
          g_assert_nonnull (result->entity_id);
          g_assert_cmpuint (strlen (result->entity_id), ==, 36);
          g_assert_null (result->message);
        }
      else
        g_assert_nonnull (result->message);
    }
  bad = g_ptr_array_index (results, 2);
  g_assert_cmpstr (bad->error_code, ==, "0x80044331");
  g_assert_nonnull (strstr (bad->message, "subject"));
  g_assert_cmpuint (admin_count (fixture, "new_emailsends"), ==, 3);
}

static void
test_batch_stops_at_error (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  CcDataverseResult *bad;

  results = cc_dataverse_client_batch (fixture->client, ops, CC_DATAVERSE_BATCH_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, ops->len);
  /* The third operation fails, so it and what follows are not successes,
   * and the failure is reported with the server's reason. */
  bad = g_ptr_array_index (results, 2);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_nonnull (strstr (bad->message, "subject"));
  for (guint i = 3; i < results->len; i++)
    g_assert_false (cc_dataverse_result_is_success (g_ptr_array_index (results, i)));
  /* The fourth never ran. */
  g_assert_cmpuint (admin_count (fixture, "new_emailsends"), <=, 2);
}

static void
test_batch_atomic (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) good = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contact = some_contact_id (fixture, 7);

  /* One bad part: nothing of the change set is applied. */
  results = cc_dataverse_client_batch (fixture->client, ops, CC_DATAVERSE_BATCH_ATOMIC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, ops->len);
  for (guint i = 0; i < results->len; i++)
    g_assert_false (cc_dataverse_result_is_success (g_ptr_array_index (results, i)));
  g_assert_cmpuint (admin_count (fixture, "new_emailsends"), ==, 0);

  /* All good: all applied, each with its id. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Atomic %u", i);
      g_autoptr(JsonObject) body = email_event_body (subject, contact, NULL);

      g_ptr_array_add (good, cc_dataverse_op_new ("POST", "new_emailsends", body));
    }
  g_clear_pointer (&results, g_ptr_array_unref);
  results = cc_dataverse_client_batch (fixture->client, good, CC_DATAVERSE_BATCH_ATOMIC, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      CcDataverseResult *result = g_ptr_array_index (results, i);

      g_assert_cmpuint (result->status, ==, 204);
      g_assert_nonnull (result->entity_id);
    }
  g_assert_cmpuint (admin_count (fixture, "new_emailsends"), ==, 3);
}

static void
test_alternate_key_upsert (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *keys[] = { "new_campaigneventid", NULL };
  /* Dataverse refuses / < > * % & : \\ ? + in alternate key values in
   * URLs; a quote, a space and non-ASCII text are fine. */
  const char *values[] = { "evt O'Brien ü", NULL };
  g_autofree char *path = cc_dataverse_client_build_key_path ("new_emailsends", keys, values);
  g_autofree char *contact = some_contact_id (fixture, 5);
  g_autoptr(JsonObject) first = email_event_body ("First", contact, NULL);
  g_autoptr(JsonObject) second = email_event_body ("Second", NULL, NULL);
  g_autoptr(CcDataverseResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = NULL;
  JsonObject *row;
  const char *columns[] = { "subject", "new_campaigneventid", NULL };

  g_assert_cmpstr (path, ==, "new_emailsends(new_campaigneventid='evt%20O''Brien%20%C3%BC')");

  /* Upsert creates, then updates the same row. */
  result = cc_dataverse_client_upsert (fixture->client, path, first, CC_DATAVERSE_UPSERT_ANY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_dataverse_result_is_success (result));
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_upsert (fixture->client, path, second, CC_DATAVERSE_UPSERT_ANY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_dataverse_result_is_success (result));

  rows = admin (fixture, "GET", "tables/new_emailsends", NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rows), "count"), ==, 1);
  row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (rows),
                                                                     "value"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "subject"), ==, "Second");
  g_assert_cmpstr (json_object_get_string_member (row, "new_campaigneventid"), ==, "evt O'Brien ü");

  /* Create-only on an existing key is a rejection, not an error. */
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_upsert (fixture->client, path, first, CC_DATAVERSE_UPSERT_CREATE_ONLY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 412);
  g_assert_nonnull (result->message);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_get (fixture->client, path, columns, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (result->body, "subject"), ==, "Second");

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->client, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_get (fixture->client, path, columns, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_null (result->body);
}

static void
test_single_writes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(CcDataverseResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) row = NULL;
  g_autofree char *admin_path = NULL;
  g_autoptr(JsonObject) orphan = email_event_body ("Orphan", "00000000-0000-0000-0000-000000000bad", NULL);

  json_object_set_string_member (body, "firstname", "山田");
  json_object_set_string_member (body, "lastname", "太郎");
  json_object_set_string_member (body, "emailaddress1", "taro@example.com");
  result = cc_dataverse_client_create (fixture->client, "contacts", body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  g_assert_nonnull (result->entity_id);

  path = cc_dataverse_client_build_id_path ("contacts", result->entity_id);
  admin_path = g_strdup_printf ("tables/contacts/%s", result->entity_id);
  json_object_set_boolean_member (change, "donotbulkemail", TRUE);
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_update (fixture->client, path, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  row = admin (fixture, "GET", admin_path, NULL, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (row), "donotbulkemail"));

  /* Rejections come back as results. */
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_update (fixture->client,
                                       "contacts(00000000-0000-0000-0000-00000000beef)",
                                       change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_nonnull (result->message);
  g_assert_cmpuint (admin_count (fixture, "contacts"), ==, N_CONTACTS + 1);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_create (fixture->client, "new_emailsends", orphan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_cmpstr (result->error_code, ==, "0x80040217");

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->client, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->client, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
}

static void
test_authenticate (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcDataverseClient) wrong = NULL;
  CcDataverseSettings settings = { 0 };
  g_autofree char *token_url = NULL;

  g_assert_true (cc_dataverse_client_authenticate (fixture->client, NULL, &error));
  g_assert_no_error (error);

  settings.url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", settings.url, CC_SANDBOX_TENANT);
  settings.token_url = token_url;
  settings.client_id = CC_SANDBOX_CLIENT_ID;
  settings.secret = "Wr0ng-Secret";
  wrong = cc_dataverse_client_new (&settings);
  g_assert_false (cc_dataverse_client_authenticate (wrong, NULL, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "AADSTS7000215"));
  g_assert_null (strstr (error->message, "Wr0ng-Secret"));
}

static void
test_key_paths (void)
{
  const char *keys[] = { "firstname", "emailaddress1", NULL };
  const char *values[] = { "Joe", "a&b@example.com", NULL };
  g_autofree char *multi = cc_dataverse_client_build_key_path ("contacts", keys, values);
  g_autofree char *id = cc_dataverse_client_parse_entity_id (
      "https://org.crm.dynamics.com/api/data/v9.2/contacts(7d577253-3ef0-4a0a-bb7f-8335c2596e70)");
  g_autofree char *by_id = cc_dataverse_client_build_id_path ("accounts", "1234");

  g_assert_cmpstr (multi, ==, "contacts(firstname='Joe',emailaddress1='a%26b@example.com')");
  g_assert_cmpstr (id, ==, "7d577253-3ef0-4a0a-bb7f-8335c2596e70");
  g_assert_cmpstr (by_id, ==, "accounts(1234)");
  g_assert_null (cc_dataverse_client_parse_entity_id ("no id here"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/dataverse-client/authenticate", test_authenticate);
  ADD ("/dataverse-client/metadata/table", test_table_metadata);
  ADD ("/dataverse-client/metadata/unknown-table", test_unknown_table);
  ADD ("/dataverse-client/read/full", test_full_read);
  ADD ("/dataverse-client/read/filtered", test_filtered_read);
  ADD ("/dataverse-client/read/formatted-values", test_formatted_values);
  ADD ("/dataverse-client/read/delta", test_delta);
  ADD ("/dataverse-client/read/expired-delta", test_expired_delta);
  ADD ("/dataverse-client/read/removed-column", test_removed_column);
  ADD ("/dataverse-client/batch/continue-on-error", test_batch_continue_on_error);
  ADD ("/dataverse-client/batch/stops-at-error", test_batch_stops_at_error);
  ADD ("/dataverse-client/batch/atomic", test_batch_atomic);
  ADD ("/dataverse-client/write/alternate-key", test_alternate_key_upsert);
  ADD ("/dataverse-client/write/single", test_single_writes);
#undef ADD
  g_test_add_func ("/dataverse-client/key-paths", test_key_paths);

  return g_test_run ();
}
