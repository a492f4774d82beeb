/* test-lost-answers.c — a request whose answer is lost after the service
 * carried it out, for each kind of request the connector sends that is
 * not a read: token requests, Dataverse $batch, Campaign profile and
 * custom-resource creates, and the ingress workflow that makes them.
 *
 * The sandbox's "lose_answers" fault carries a request out and then
 * closes its connection instead of answering. What must hold: nothing
 * the connector writes ever exists twice. A request that can be repeated
 * without effect (a token request, a $batch of upserts by key) is sent
 * again at once; a create is never sent blindly again, and the workflow
 * looks the record up before it tries again.
 */
#include <string.h>

#include "cc-error.h"
#include "cc-test-admin.h"
#include "client-fixture.h"
#include "engine-test.h"

#define DEADLINE 120
#define PROFILE "profileAndServicesExt/profile"
#define MEMBERSHIP "customResources/cusMembership"

static void
lose_answers (const char *base_url,
              guint       count,
              const char *target)
{
  g_autofree char *knobs = g_strdup_printf ("{\"lose_answers\": %u, \"lose_answers_to\": \"%s\"}",
                                            count, target);

  cc_test_admin_drop (base_url, "POST", "/_sandbox/faults", knobs, 200);
}

static gint64
request_count (const char *base_url,
               const char *kind)
{
  g_autoptr(JsonNode) stats = cc_test_admin (base_url, "GET", "/_sandbox/stats", NULL);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (stats), "requests"),
                                     kind);
}

/* ---- token requests ----------------------------------------------------- */

/* A second token request issues a second token and stores nothing: it is
 * sent again, and the client is signed in. */
static void
test_entra_token (ClientFixture *fixture,
                  gconstpointer  data)
{
  const char *url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  g_autoptr(GError) error = NULL;

  lose_answers (url, 1, "POST /" CC_SANDBOX_TENANT "/oauth2/v2.0/token");
  g_assert_true (cc_dataverse_client_authenticate (fixture->dataverse, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (request_count (url, "token"), ==, 2);
}

static void
test_ims_token (ClientFixture *fixture,
                gconstpointer  data)
{
  const char *url = cc_sandbox_get_campaign_url (fixture->sandbox);
  g_autoptr(GError) error = NULL;

  lose_answers (url, 1, "POST /ims/token/v3");
  g_assert_true (cc_campaign_client_authenticate (fixture->campaign, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (request_count (url, "token"), ==, 2);
}

/* ---- Dataverse $batch --------------------------------------------------- */

static char *
some_contact (ClientFixture *fixture)
{
  g_autoptr(JsonNode) rows = client_admin (fixture, "GET", "tables/contacts", NULL, 200);
  JsonObject *first = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (rows), "value"), 0);

  return g_strdup (json_object_get_string_member (first, "contactid"));
}

static CcDataverseOp *
event_op (const char *method,
          const char *event_id,
          const char *contact)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *bind = g_strdup_printf ("/contacts(%s)", contact);
  g_autofree char *path = g_str_equal (method, "POST")
                          ? g_strdup ("new_emailsends")
                          : g_strdup_printf ("new_emailsends(new_campaigneventid='%s')", event_id);

  json_object_set_string_member (body, "subject", "Sent");
  json_object_set_string_member (body, "regardingobjectid_contact_new_emailsend@odata.bind", bind);
  if (g_str_equal (method, "POST"))
    json_object_set_string_member (body, "new_campaigneventid", event_id);
  return cc_dataverse_op_new (method, path, body);
}

static gint64
events_with_id (ClientFixture *fixture,
                const char    *event_id)
{
  g_autoptr(JsonNode) rows = client_admin (fixture, "GET", "tables/new_emailsends", NULL, 200);
  JsonArray *value = json_object_get_array_member (json_node_get_object (rows), "value");
  gint64 n = 0;

  for (guint i = 0; i < json_array_get_length (value); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (value, i),
                                                               "new_campaigneventid", NULL), event_id) == 0)
      n++;
  return n;
}

/* Egress writes events as upserts by their alternate key: a batch of
 * them sent twice writes each event once. */
static void
test_batch_of_upserts (ClientFixture *fixture,
                       gconstpointer  data)
{
  const char *url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  g_autofree char *contact = some_contact (fixture);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "lost-1", "lost-2", "lost-3" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_ptr_array_add (ops, event_op ("PATCH", ids[i], contact));
  lose_answers (url, 1, "POST /api/data/v9.2/$batch");

  results = cc_dataverse_client_batch (fixture->dataverse, ops, CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpuint (((CcDataverseResult *) g_ptr_array_index (results, i))->status, <, 300);
  g_assert_cmpint (request_count (url, "batch"), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (events_with_id (fixture, ids[i]), ==, 1);
}

/* A batch that creates is not sent again: the caller learns that its
 * outcome is unknown, and the one record it made stays one. */
static void
test_batch_with_create (ClientFixture *fixture,
                        gconstpointer  data)
{
  const char *url = cc_sandbox_get_dataverse_url (fixture->sandbox);
  g_autofree char *contact = some_contact (fixture);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (ops, event_op ("POST", "created-once", contact));
  lose_answers (url, 1, "POST /api/data/v9.2/$batch");

  results = cc_dataverse_client_batch (fixture->dataverse, ops, CC_DATAVERSE_BATCH_NONE, NULL, &error);
  g_assert_null (results);
  g_assert_error (error, CC_ERROR, CC_ERROR_TRANSIENT);
  g_assert_nonnull (strstr (error->message, "its answer was lost"));
  g_assert_cmpint (request_count (url, "batch"), ==, 1);
  g_assert_cmpint (events_with_id (fixture, "created-once"), ==, 1);
}

/* ---- Campaign creates --------------------------------------------------- */

static void
assert_create_not_repeated (ClientFixture *fixture,
                            const char    *resource,
                            JsonObject    *record,
                            const char    *admin_path)
{
  const char *url = cc_sandbox_get_campaign_url (fixture->sandbox);
  g_autoptr(CcCampaignResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("POST /" CC_SANDBOX_ORG "/campaign/%s", resource);
  gint64 posts;

  g_assert_true (cc_campaign_client_authenticate (fixture->campaign, NULL, &error));
  posts = request_count (url, "post");
  lose_answers (url, 1, target);

  result = cc_campaign_client_create (fixture->campaign, resource, record, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CC_ERROR, CC_ERROR_TRANSIENT);
  g_assert_nonnull (strstr (error->message, "its answer was lost"));
  /* Sent once; carried out once. */
  g_assert_cmpint (request_count (url, "post"), ==, posts + 1);
  cc_test_admin_drop (url, "GET", admin_path, NULL, 200);
}

static void
test_profile_create (ClientFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) record = json_object_new ();

  json_object_set_string_member (record, "externalId", "lost-answer-profile");
  json_object_set_string_member (record, "email", "lost@example.com");
  json_object_set_string_member (record, "lastName", "Lost");
  assert_create_not_repeated (fixture, PROFILE, record, "/_sandbox/profiles/lost-answer-profile");
}

static void
test_custom_resource_create (ClientFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonNode) all = NULL;
  JsonArray *content;
  guint found = 0;

  json_object_set_string_member (record, "cusMembershipId", "lost-answer-membership");
  json_object_set_string_member (record, "cusName", "Lost");
  assert_create_not_repeated (fixture, MEMBERSHIP, record, "/_sandbox/resources/cusMembership");

  all = cc_test_admin (cc_sandbox_get_campaign_url (fixture->sandbox), "GET",
                       "/_sandbox/resources/cusMembership", NULL);
  content = json_object_get_array_member (json_node_get_object (all), "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (content, i),
                                                               "cusMembershipId", NULL),
                   "lost-answer-membership") == 0)
      found++;
  g_assert_cmpuint (found, ==, 1);
}

/* ---- the ingress workflow ----------------------------------------------- */

#define INGRESS_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 4, \"mappings\": [" \
  "  { \"id\": \"contacts\", \"source\": \"contact\"," \
  "    \"target\": \"profileAndServicesExt/profile\", \"target-key\": \"externalId\"," \
  "    \"key-filter\": \"byExternalId\"," \
  "    \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"}," \
  "                  {\"source\": \"emailaddress1\", \"target\": \"email\"} ] }," \
  "  { \"id\": \"memberships\", \"source\": \"new_membership\"," \
  "    \"target\": \"customResources/cusMembership\", \"target-key\": \"cusMembershipId\"," \
  "    \"key-filter\": \"byCusMembershipId\"," \
  "    \"parent\": { \"mapping\": \"contacts\", \"field\": \"_new_contactid_value\" }," \
  "    \"fields\": [ {\"source\": \"new_name\", \"target\": \"cusName\"}," \
  "                  {\"source\": \"_new_contactid_value\", \"target\": \"cusContactId\"} ] } ] }"

/* Every create whose answer is lost is looked up before it is tried
 * again: Campaign receives exactly one create per record, and every
 * record exists once. */
#define INGRESS_CONTACTS 60
#define INGRESS_MEMBERSHIPS 30

static void
ingress_setup (EngineFixture *fixture,
               gconstpointer  data)
{
  engine_fixture_setup (fixture, INGRESS_CONTACTS, INGRESS_MEMBERSHIPS);
}

static void
test_ingress (EngineFixture *fixture,
              gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  gint64 profiles, memberships;

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  /* The first eight creates, of either kind, lose their answers. */
  lose_answers (fixture->acs, 8, "POST /" CC_SANDBOX_ORG "/campaign/");
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/resources/cusMembership",
                              INGRESS_MEMBERSHIPS, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", INGRESS_CONTACTS,
                              DEADLINE);

  profiles = cc_test_admin_count (fixture->acs, "/_sandbox/profiles", NULL);
  memberships = cc_test_admin_count (fixture->acs, "/_sandbox/resources/cusMembership", NULL);
  g_assert_cmpint (profiles, ==, INGRESS_CONTACTS);
  g_assert_cmpint (memberships, ==, INGRESS_MEMBERSHIPS);
  g_assert_cmpint (cc_test_admin_count (fixture->acs, "/_sandbox/faults", "lose_answers"), ==, 0);
  g_assert_cmpint (request_count (fixture->acs, "post"), ==, profiles + memberships);
  g_assert_cmpuint (cc_workflow_get_written (ingress), ==, profiles + memberships);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  CLIENT_ADD_DATAVERSE ("/lost-answer/token/entra", test_entra_token);
  CLIENT_ADD_CAMPAIGN ("/lost-answer/token/ims", test_ims_token);
  CLIENT_ADD_DATAVERSE ("/lost-answer/dataverse/batch-of-upserts", test_batch_of_upserts);
  CLIENT_ADD_DATAVERSE ("/lost-answer/dataverse/batch-with-create", test_batch_with_create);
  CLIENT_ADD_CAMPAIGN ("/lost-answer/campaign/profile-create", test_profile_create);
  CLIENT_ADD_CAMPAIGN ("/lost-answer/campaign/custom-resource-create", test_custom_resource_create);
  g_test_add ("/lost-answer/ingress", EngineFixture, NULL, ingress_setup, test_ingress, engine_test_teardown);

  return g_test_run ();
}
