/* test-dataverse-client.c — CcDataverseClient against the emulated
 * Dataverse Web API: authentication, metadata and key paths. Reads
 * (paged, change-tracked) are in test-dataverse-client-read.c, $batch and
 * single writes in test-dataverse-client-write.c (same binary).
 */
#include <string.h>

#include "cc-error.h"
#include "client-fixture.h"

/* --- metadata ------------------------------------------------------ */

static void
test_table_metadata (ClientFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(CcDataverseTable) contact = NULL;
  g_autoptr(CcDataverseTable) membership = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  const CcDataverseColumn *column;
  gboolean found_lookup = FALSE;

  contact = cc_dataverse_client_get_table (fixture->dataverse, "contact", TRUE, NULL, &error);
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

  membership = cc_dataverse_client_get_table (fixture->dataverse, "new_membership", FALSE, NULL, &error);
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

  tables = cc_dataverse_client_list_tables (fixture->dataverse, NULL, &error);
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
test_unknown_table (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(CcDataverseTable) table = NULL;
  g_autoptr(GError) error = NULL;

  table = cc_dataverse_client_get_table (fixture->dataverse, "new_nothing", FALSE, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_cmpstr (error->message, ==, "Table 'new_nothing' does not exist in Dynamics 365");
}

static void
test_authenticate (ClientFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcDataverseClient) wrong = NULL;
  CcDataverseSettings settings = { 0 };
  g_autofree char *token_url = NULL;

  g_assert_true (cc_dataverse_client_authenticate (fixture->dataverse, NULL, &error));
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

  CLIENT_ADD_DATAVERSE ("/dataverse-client/authenticate", test_authenticate);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/metadata/table", test_table_metadata);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/metadata/unknown-table", test_unknown_table);
  dvc_add_read_tests ();
  dvc_add_write_tests ();
  g_test_add_func ("/dataverse-client/key-paths", test_key_paths);

  return g_test_run ();
}
