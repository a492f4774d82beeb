/* test-dv-customize.c — the Dataverse emulator's metadata writes (tables,
 * columns, alternate keys, change tracking, in a solution), the
 * application user's privileges with the errors a missing one brings,
 * WhoAmI and RetrieveUserPrivileges, and the setup it can be started
 * without.
 */
#include <string.h>

#include "dv-fixture.h"

#define ADD(path, func) g_test_add ("/sandbox/dataverse/customize/" path, DvFixture, NULL, \
                                    dv_fixture_setup, func, dv_fixture_teardown)

#define LABEL(text) "{\"LocalizedLabels\": [{\"Label\": \"" text "\", \"LanguageCode\": 1033}]}"

/* A custom activity as Microsoft documents one. */
#define ACTIVITY_TABLE(schema, primary) \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.EntityMetadata\", \"SchemaName\": \"" schema "\"," \
  " \"DisplayName\": " LABEL ("Email Send") ", \"DisplayCollectionName\": " LABEL ("Email Sends") "," \
  " \"OwnershipType\": \"UserOwned\", \"IsActivity\": true, \"HasActivities\": false," \
  " \"HasNotes\": false, \"IsAvailableOffline\": true," \
  " \"Attributes\": [{\"@odata.type\": \"Microsoft.Dynamics.CRM.StringAttributeMetadata\"," \
  " \"AttributeType\": \"String\", \"SchemaName\": \"" primary "\", \"IsPrimaryName\": true," \
  " \"MaxLength\": 200, \"DisplayName\": " LABEL ("Subject") "," \
  " \"RequiredLevel\": {\"Value\": \"None\"}}]}"

#define STRING_COLUMN(schema) \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.StringAttributeMetadata\", \"AttributeType\": \"String\"," \
  " \"SchemaName\": \"" schema "\", \"MaxLength\": 100, \"DisplayName\": " LABEL ("Event ID") "," \
  " \"RequiredLevel\": {\"Value\": \"None\"}}"

#define EVENT_KEY \
  "{\"SchemaName\": \"new_CampaignEventIdKey\", \"DisplayName\": " LABEL ("Campaign Event ID") "," \
  " \"KeyAttributes\": [\"new_campaigneventid\"]}"

static void
remove_setup (DvFixture  *f,
              const char *items)
{
  g_autofree char *body = g_strdup_printf ("{\"remove\": [%s]}", items);
  g_autoptr(DvReply) reply = dv_admin (f, "POST", "setup", body);

  g_assert_cmpuint (reply->status, ==, 200);
}

static DvReply *
in_solution (DvFixture  *f,
             const char *method,
             const char *path,
             const char *body)
{
  return dv_api (f, method, path, body, "MSCRM.SolutionUniqueName", "Default", NULL);
}

static const char *
key_status (DvFixture *f)
{
  g_autoptr(DvReply) keys = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailsend')/Keys"
                                    "?$select=KeyAttributes,EntityKeyIndexStatus", NULL, NULL);
  JsonArray *value = dv_reply_value (keys);
  JsonObject *key;

  if (json_array_get_length (value) != 1)
    return "none";
  key = json_array_get_object_element (value, 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (key, "KeyAttributes"), 0),
                   ==, "new_campaigneventid");
  return g_intern_string (json_object_get_string_member (key, "EntityKeyIndexStatus"));
}

static gboolean
key_is_active (gpointer data)
{
  return g_str_equal (key_status (data), "Active");
}

/* The four steps Prepare takes for one event table, then the table in use:
 * upsert by the key, regarding a contact. */
static void
test_create_activity_table (DvFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(DvReply) table = NULL;
  g_autoptr(DvReply) column = NULL;
  g_autoptr(DvReply) key = NULL;
  g_autoptr(DvReply) entity = NULL;
  g_autoptr(DvReply) upsert = NULL;
  g_autoptr(DvReply) again = NULL;
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *event = NULL;
  JsonObject *obj;

  remove_setup (f, "\"activity-tables\"");
  table = in_solution (f, "POST", "EntityDefinitions", ACTIVITY_TABLE ("new_EmailSend", "Subject"));
  g_assert_cmpuint (table->status, ==, 204);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (table->headers, "OData-EntityId"), f->api));

  entity = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailsend')?$select=IsActivity,"
                   "ChangeTrackingEnabled,PrimaryNameAttribute,PrimaryIdAttribute,EntitySetName", NULL, NULL);
  obj = dv_reply_object (entity);
  g_assert_true (json_object_get_boolean_member (obj, "IsActivity"));
  g_assert_false (json_object_get_boolean_member (obj, "ChangeTrackingEnabled"));
  g_assert_cmpstr (json_object_get_string_member (obj, "PrimaryNameAttribute"), ==, "subject");
  g_assert_cmpstr (json_object_get_string_member (obj, "PrimaryIdAttribute"), ==, "activityid");
  g_assert_cmpstr (json_object_get_string_member (obj, "EntitySetName"), ==, "new_emailsends");

  column = in_solution (f, "POST", "EntityDefinitions(LogicalName='new_emailsend')/Attributes",
                        STRING_COLUMN ("new_CampaignEventId"));
  g_assert_cmpuint (column->status, ==, 204);
  g_assert_nonnull (strstr (soup_message_headers_get_one (column->headers, "OData-EntityId"), "/Attributes("));
  key = in_solution (f, "POST", "EntityDefinitions(LogicalName='new_emailsend')/Keys", EVENT_KEY);
  g_assert_cmpuint (key->status, ==, 204);
  /* The index is built in the background. */
  g_assert_true (g_str_equal (key_status (f), "Pending") || g_str_equal (key_status (f), "Active"));
  g_assert_true (dv_wait_until (key_is_active, f, 10000));

  event = g_strdup_printf ("{\"subject\": \"s\", \"regardingobjectid_contact_new_emailsend@odata.bind\":"
                           " \"/contacts(%s)\"}", contact);
  upsert = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='e1')", event, NULL);
  again = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='e1')", event, NULL);
  g_assert_cmpuint (upsert->status, ==, 204);
  g_assert_cmpuint (again->status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (upsert->headers, "OData-EntityId"), ==,
                   soup_message_headers_get_one (again->headers, "OData-EntityId"));
}

static void
test_refusals (DvFixture     *f,
               gconstpointer  data)
{
  g_autoptr(DvReply) existing = in_solution (f, "POST", "EntityDefinitions",
                                             ACTIVITY_TABLE ("new_EmailOpen", "Subject"));
  g_autoptr(DvReply) no_prefix = in_solution (f, "POST", "EntityDefinitions",
                                              ACTIVITY_TABLE ("EmailThing", "Subject"));
  g_autoptr(DvReply) not_subject = in_solution (f, "POST", "EntityDefinitions",
                                                ACTIVITY_TABLE ("new_Other", "new_Name"));
  g_autoptr(DvReply) no_solution = dv_api (f, "POST", "EntityDefinitions",
                                           ACTIVITY_TABLE ("new_Other", "Subject"),
                                           "MSCRM.SolutionUniqueName", "nosuchsolution", NULL);
  g_autoptr(DvReply) patch = dv_api (f, "PATCH", "EntityDefinitions(LogicalName='contact')",
                                     "{\"ChangeTrackingEnabled\": true}", NULL);
  g_autoptr(DvReply) money = dv_api (f, "POST", "EntityDefinitions(LogicalName='contact')/Attributes",
                                     "{\"@odata.type\": \"Microsoft.Dynamics.CRM.MoneyAttributeMetadata\","
                                     " \"SchemaName\": \"new_Balance\", \"DisplayName\": " LABEL ("B") "}", NULL);
  g_autoptr(DvReply) duplicate_column = dv_api (f, "POST", "EntityDefinitions(LogicalName='new_emailopen')/Attributes",
                                                STRING_COLUMN ("new_CampaignEventId"), NULL);
  g_autoptr(DvReply) bad_key = dv_api (f, "POST", "EntityDefinitions(LogicalName='contact')/Keys",
                                       "{\"SchemaName\": \"new_K\", \"KeyAttributes\": [\"donotemail\"]}", NULL);
  g_autoptr(DvReply) system_table = dv_api (f, "POST", "EntityDefinitions(LogicalName='solution')/Attributes",
                                            STRING_COLUMN ("new_Tag"), NULL);

  dv_assert_error (existing, 400, "0x80044363", "already exists");
  dv_assert_error (no_prefix, 400, "0x80048d19", "customization prefix");
  dv_assert_error (not_subject, 400, "0x80048d19", "'Subject'");
  dv_assert_error (no_solution, 404, "0x80040217", "nosuchsolution");
  dv_assert_error (patch, 405, "0x80060888", "PUT");
  dv_assert_error (money, 501, "0x8006088a", "MoneyAttributeMetadata");
  dv_assert_error (duplicate_column, 400, "0x80044363", "already exists");
  dv_assert_error (bad_key, 400, "0x80048d19", "donotemail");
  dv_assert_error (system_table, 400, "0x80048d19", "not customizable");
}

/* PUT of the definition turns change tracking on; then changes can be
 * followed. */
static void
test_change_tracking (DvFixture     *f,
                      gconstpointer  data)
{
  g_autoptr(DvReply) refused = NULL;
  g_autoptr(DvReply) definition = NULL;
  g_autoptr(DvReply) put = NULL;
  g_autoptr(DvReply) tracked = NULL;
  g_autofree char *body = NULL;
  JsonObject *obj;

  remove_setup (f, "\"change-tracking:new_membership\"");
  refused = dv_api (f, "GET", "new_memberships?$select=new_name", NULL, "Prefer", "odata.track-changes", NULL);
  g_assert_cmpuint (refused->status, ==, 400);

  definition = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_membership')", NULL, NULL);
  obj = dv_reply_object (definition);
  g_assert_false (json_object_get_boolean_member (obj, "ChangeTrackingEnabled"));
  json_object_set_boolean_member (obj, "ChangeTrackingEnabled", TRUE);
  json_object_remove_member (obj, "@odata.context");
  body = json_to_string (definition->json, FALSE);
  put = dv_api (f, "PUT", "EntityDefinitions(LogicalName='new_membership')", body,
                "MSCRM.MergeLabels", "true", NULL);
  g_assert_cmpuint (put->status, ==, 204);

  tracked = dv_api (f, "GET", "new_memberships?$select=new_name", NULL, "Prefer", "odata.track-changes", NULL);
  g_assert_cmpuint (tracked->status, ==, 200);
  g_assert_true (json_object_has_member (dv_reply_object (tracked), "@odata.deltaLink"));
}

static void
test_who_am_i_and_privileges (DvFixture     *f,
                              gconstpointer  data)
{
  g_autoptr(DvReply) me = dv_api (f, "GET", "WhoAmI", NULL, NULL);
  g_autoptr(DvReply) privileges = NULL;
  g_autoptr(DvReply) other = NULL;
  g_autofree char *path = NULL;
  const char *user;
  JsonArray *held;
  JsonObject *read_contact;

  g_assert_cmpuint (me->status, ==, 200);
  user = json_object_get_string_member (dv_reply_object (me), "UserId");
  g_assert_nonnull (user);
  g_assert_nonnull (json_object_get_string_member (dv_reply_object (me), "BusinessUnitId"));

  remove_setup (f, "\"privilege:prvWriteContact\"");
  path = g_strdup_printf ("systemusers(%s)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()", user);
  privileges = dv_api (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (privileges->status, ==, 200);
  held = json_object_get_array_member (dv_reply_object (privileges), "RolePrivileges");
  read_contact = dv_find_by (held, "PrivilegeName", "prvReadContact");
  g_assert_nonnull (read_contact);
  g_assert_cmpstr (json_object_get_string_member (read_contact, "Depth"), ==, "Global");
  g_assert_nonnull (dv_find_by (held, "PrivilegeName", "prvCreateActivity"));
  g_assert_nonnull (dv_find_by (held, "PrivilegeName", "prvCreateEntity"));
  g_assert_null (dv_find_by (held, "PrivilegeName", "prvWriteContact"));

  other = dv_api (f, "GET", "systemusers(00000000-0000-0000-0000-000000000001)/"
                  "Microsoft.Dynamics.CRM.RetrieveUserPrivileges()", NULL, NULL);
  g_assert_cmpuint (other->status, ==, 404);
}

/* What a missing privilege does: the documented 403, naming it. */
static void
test_missing_privileges (DvFixture     *f,
                         gconstpointer  data)
{
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *path = g_strdup_printf ("contacts(%s)", contact);
  g_autofree char *event = g_strdup_printf ("{\"subject\": \"s\", \"new_campaigneventid\": \"e9\","
                                            " \"regardingobjectid_contact_new_emailclick@odata.bind\":"
                                            " \"/contacts(%s)\"}", contact);
  g_autoptr(DvReply) read = NULL;
  g_autoptr(DvReply) write = NULL;
  g_autoptr(DvReply) append = NULL;
  g_autoptr(DvReply) entity = NULL;
  g_autoptr(DvReply) key = NULL;

  remove_setup (f, "\"privilege:prvWriteContact\", \"privilege:prvAppendToContact\","
                " \"privilege:prvCreateEntity\", \"privilege:prvCreateEntityKey\"");
  read = dv_api (f, "GET", path, NULL, NULL);
  write = dv_api (f, "PATCH", path, "{\"firstname\": \"x\"}", "If-Match", "*", NULL);
  append = dv_api (f, "POST", "new_emailclicks", event, NULL);
  entity = in_solution (f, "POST", "EntityDefinitions", ACTIVITY_TABLE ("new_Other", "Subject"));
  key = dv_api (f, "POST", "EntityDefinitions(LogicalName='contact')/Keys",
                "{\"SchemaName\": \"new_EmailKey\", \"KeyAttributes\": [\"emailaddress1\"]}", NULL);

  g_assert_cmpuint (read->status, ==, 200);
  dv_assert_error (write, 403, "0x80040220", "is missing prvWriteContact privilege");
  dv_assert_error (append, 403, "0x80040220", "prvAppendToContact");
  dv_assert_error (entity, 403, "0x80040220", "prvCreateEntity");
  dv_assert_error (key, 403, "0x80040220", "prvCreateEntityKey");
}

static void
test_setup_items (DvFixture     *f,
                  gconstpointer  data)
{
  g_autoptr(DvReply) columns = NULL;
  g_autoptr(DvReply) keys = NULL;
  g_autoptr(DvReply) tables = NULL;
  g_autoptr(DvReply) revoked = NULL;
  g_autoptr(DvReply) unknown = dv_admin (f, "POST", "setup", "{\"remove\": [\"privilege:prvFlyContact\"]}");
  g_autoptr(DvReply) nonsense = dv_admin (f, "POST", "setup", "{\"remove\": [\"column:contact\"]}");

  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_nonnull (strstr (unknown->text, "prvFlyContact"));
  g_assert_cmpuint (nonsense->status, ==, 400);

  remove_setup (f, "\"column:contact.telephone1\", \"alternate-key:new_emailbounce\","
                " \"privilege:prvDeleteContact\"");
  columns = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='telephone1')",
                    NULL, NULL);
  keys = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_emailbounce')/Keys", NULL, NULL);
  g_assert_cmpuint (columns->status, ==, 404);
  g_assert_cmpuint (json_array_get_length (dv_reply_value (keys)), ==, 0);
  revoked = dv_admin (f, "GET", "privileges", NULL);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (dv_reply_object (revoked),
                                                                                 "revoked"), 0),
                   ==, "prvDeleteContact");

  remove_setup (f, "\"activity-tables\"");
  tables = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName&$filter=IsActivity%20eq%20true", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (dv_reply_value (tables)), ==, 0);
}

void
dv_add_customize_tests (void)
{
  ADD ("create-activity-table", test_create_activity_table);
  ADD ("refusals", test_refusals);
  ADD ("change-tracking", test_change_tracking);
  ADD ("who-am-i-and-privileges", test_who_am_i_and_privileges);
  ADD ("missing-privileges", test_missing_privileges);
  ADD ("setup-items", test_setup_items);
}
