/* test-dataverse-client-write.c — CcDataverseClient's writes against the
 * emulated Web API: $batch (continue-on-error, stop at the first error,
 * atomic change sets), upserts by alternate key and single writes.
 */
#include <string.h>

#include "cc-error.h"
#include "client-fixture.h"

static guint
admin_count (ClientFixture *fixture,
             const char    *entity_set)
{
  g_autofree char *path = g_strconcat ("tables/", entity_set, NULL);
  g_autoptr(JsonNode) node = client_admin (fixture, "GET", path, NULL, 200);

  return (guint) json_object_get_int_member (json_node_get_object (node), "count");
}

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
some_contact_id (ClientFixture *fixture,
                 guint          index)
{
  g_autoptr(JsonNode) all = client_admin (fixture, "GET", "tables/contacts", NULL, 200);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (all), "value");

  return g_strdup (json_object_get_string_member (json_array_get_object_element (rows, index),
                                                  "contactid"));
}

static GPtrArray *
mixed_ops (ClientFixture *fixture)
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
test_batch_continue_on_error (ClientFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const guint expected[] = { 204, 204, 400, 204, 404 };
  CcDataverseResult *bad;

  results = cc_dataverse_client_batch (fixture->dataverse, ops,
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
test_batch_stops_at_error (ClientFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  CcDataverseResult *bad;

  results = cc_dataverse_client_batch (fixture->dataverse, ops, CC_DATAVERSE_BATCH_NONE, NULL, &error);
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
test_batch_atomic (ClientFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ops = mixed_ops (fixture);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) good = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contact = some_contact_id (fixture, 7);

  /* One bad part: nothing of the change set is applied. */
  results = cc_dataverse_client_batch (fixture->dataverse, ops, CC_DATAVERSE_BATCH_ATOMIC, NULL, &error);
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
  results = cc_dataverse_client_batch (fixture->dataverse, good, CC_DATAVERSE_BATCH_ATOMIC, NULL, &error);
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
test_alternate_key_upsert (ClientFixture *fixture,
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
  result = cc_dataverse_client_upsert (fixture->dataverse, path, first, CC_DATAVERSE_UPSERT_ANY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_dataverse_result_is_success (result));
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_upsert (fixture->dataverse, path, second, CC_DATAVERSE_UPSERT_ANY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_dataverse_result_is_success (result));

  rows = client_admin (fixture, "GET", "tables/new_emailsends", NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rows), "count"), ==, 1);
  row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (rows),
                                                                     "value"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "subject"), ==, "Second");
  g_assert_cmpstr (json_object_get_string_member (row, "new_campaigneventid"), ==, "evt O'Brien ü");

  /* Create-only on an existing key is a rejection, not an error. */
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_upsert (fixture->dataverse, path, first, CC_DATAVERSE_UPSERT_CREATE_ONLY,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 412);
  g_assert_nonnull (result->message);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_get (fixture->dataverse, path, columns, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (result->body, "subject"), ==, "Second");

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->dataverse, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_get (fixture->dataverse, path, columns, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_null (result->body);
}

static void
test_single_writes (ClientFixture *fixture,
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
  result = cc_dataverse_client_create (fixture->dataverse, "contacts", body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  g_assert_nonnull (result->entity_id);

  path = cc_dataverse_client_build_id_path ("contacts", result->entity_id);
  admin_path = g_strdup_printf ("tables/contacts/%s", result->entity_id);
  json_object_set_boolean_member (change, "donotbulkemail", TRUE);
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_update (fixture->dataverse, path, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  row = client_admin (fixture, "GET", admin_path, NULL, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (row), "donotbulkemail"));

  /* Rejections come back as results. */
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_update (fixture->dataverse,
                                       "contacts(00000000-0000-0000-0000-00000000beef)",
                                       change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_nonnull (result->message);
  g_assert_cmpuint (admin_count (fixture, "contacts"), ==, N_CONTACTS + 1);

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_create (fixture->dataverse, "new_emailsends", orphan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_cmpstr (result->error_code, ==, "0x80040217");

  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->dataverse, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 204);
  g_clear_pointer (&result, cc_dataverse_result_free);
  result = cc_dataverse_client_delete (fixture->dataverse, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
}

void
dvc_add_write_tests (void)
{
  CLIENT_ADD_DATAVERSE ("/dataverse-client/batch/continue-on-error", test_batch_continue_on_error);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/batch/stops-at-error", test_batch_stops_at_error);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/batch/atomic", test_batch_atomic);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/write/alternate-key", test_alternate_key_upsert);
  CLIENT_ADD_DATAVERSE ("/dataverse-client/write/single", test_single_writes);
}
