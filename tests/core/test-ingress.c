/* test-ingress.c — "Microsoft Dynamics 365 to Campaign" against the sandbox:
 * real HTTP on loopback, a real SQLite file, the engine's real threads. */
#include <signal.h>

#include "cc-error.h"
#include "cc-test-admin.h"
#include "cc-test-sandbox.h"
#include "cc-test-util.h"
#include "ingress-fixture.h"

#define DEADLINE 120

/* Fast polling so live changes show up quickly. */
#define CONTACTS_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 8, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"apply-deletes\": true, \"fields\": [" \
  "    {\"source\": \"firstname\", \"target\": \"firstName\"}," \
  "    {\"source\": \"lastname\", \"target\": \"lastName\"}," \
  "    {\"source\": \"emailaddress1\", \"target\": \"email\"}," \
  "    {\"source\": \"birthdate\", \"target\": \"birthDate\"}," \
  "    {\"source\": \"telephone1\", \"target\": \"phone\"}," \
  "    {\"source\": \"mobilephone\", \"target\": \"mobilePhone\"} ] } ] }"

static JsonObject *
index_by (JsonArray  *array,
          const char *key,
          GHashTable *out)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *k = json_object_get_string_member_with_default (o, key, NULL);
      if (k != NULL)
        g_hash_table_insert (out, (gpointer) k, o);
    }
  return NULL;
}

static void
assert_same (JsonObject *contact,
             const char *source,
             JsonObject *profile,
             const char *target)
{
  const char *a = json_object_get_string_member_with_default (contact, source, NULL);
  const char *b = json_object_get_string_member_with_default (profile, target, NULL);

  if (a == NULL || *a == '\0')
    g_assert_true (b == NULL || *b == '\0');
  else
    g_assert_cmpstr (a, ==, b);
}

/* Every contact is a profile with the same values, field by field. */
static guint
assert_profiles_match_contacts (EngineFixture *fixture)
{
  g_autoptr(JsonNode) contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  g_autoptr(JsonNode) profiles = cc_test_admin (fixture->acs, "GET", "/_sandbox/profiles", NULL);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (contacts), "value");
  JsonArray *content = json_object_get_array_member (json_node_get_object (profiles), "content");
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint non_ascii = 0;

  index_by (content, "externalId", by_id);
  g_assert_cmpuint (g_hash_table_size (by_id), ==, json_array_get_length (content));
  g_assert_cmpuint (json_array_get_length (rows), ==, json_array_get_length (content));

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *contact = json_array_get_object_element (rows, i);
      const char *id = json_object_get_string_member (contact, "contactid");
      JsonObject *profile = g_hash_table_lookup (by_id, id);
      const char *last = json_object_get_string_member_with_default (contact, "lastname", "");

      g_assert_nonnull (profile);
      assert_same (contact, "firstname", profile, "firstName");
      assert_same (contact, "lastname", profile, "lastName");
      assert_same (contact, "emailaddress1", profile, "email");
      assert_same (contact, "birthdate", profile, "birthDate");
      assert_same (contact, "telephone1", profile, "phone");
      assert_same (contact, "mobilephone", profile, "mobilePhone");
      if (!g_str_is_ascii (last))
        non_ascii++;
    }
  return non_ascii;
}

static void
fixture_teardown (EngineFixture *fixture, gconstpointer data)
{
  engine_fixture_teardown (fixture);
}

static void
fixture_small (EngineFixture *fixture, gconstpointer data)
{
  engine_fixture_setup (fixture, 200, 60);
}

static void
fixture_large (EngineFixture *fixture, gconstpointer data)
{
  engine_fixture_setup (fixture, 10000, 0);
}

static void
test_initial_load (EngineFixture *fixture,
                   gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_STOPPED);
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_STARTING);

  /* Starting twice is refused. */
  g_assert_false (cc_workflow_start (ingress, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_BUSY);

  engine_fixture_wait_status (ingress, CC_WORKFLOW_RUNNING, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 10000, 300);

  g_assert_cmpuint (assert_profiles_match_contacts (fixture), >, 0);
  g_assert_cmpuint (cc_workflow_get_written (ingress), ==, 10000);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);
  g_assert_cmpstr (cc_workflow_get_last_error (ingress), ==, "");

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

static void
test_custom_table (EngineFixture *fixture,
                   gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) resources = NULL;
  g_autoptr(JsonNode) rows = NULL;
  JsonArray *content;

  engine_fixture_configure (fixture, "ingress",
    "{ \"poll-interval\": 1, \"mappings\": ["
    "  { \"id\": \"contacts\", \"source\": \"contact\","
    "    \"target\": \"profileAndServicesExt/profile\", \"target-key\": \"externalId\","
    "    \"key-filter\": \"byExternalId\","
    "    \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"},"
    "                  {\"source\": \"emailaddress1\", \"target\": \"email\"} ] },"
    "  { \"id\": \"memberships\", \"source\": \"new_membership\","
    "    \"target\": \"customResources/cusMembership\", \"target-key\": \"cusMembershipId\","
    "    \"key-filter\": \"byCusMembershipId\", \"picklist-values\": \"display\","
    "    \"parent\": { \"mapping\": \"contacts\", \"field\": \"_new_contactid_value\" },"
    "    \"fields\": [ {\"source\": \"new_name\", \"target\": \"cusName\"},"
    "                  {\"source\": \"new_level\", \"target\": \"cusLevel\"},"
    "                  {\"source\": \"new_startdate\", \"target\": \"cusStartDate\"},"
    "                  {\"source\": \"_new_contactid_value\", \"target\": \"cusContactId\"} ] } ] }");

  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/resources/cusMembership",
                              60, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, DEADLINE);

  /* Display values: the picklist's label, not its number. */
  resources = cc_test_admin (fixture->acs, "GET", "/_sandbox/resources/cusMembership", NULL);
  rows = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/new_memberships", NULL);
  content = json_object_get_array_member (json_node_get_object (resources), "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *r = json_array_get_object_element (content, i);
      const char *level = json_object_get_string_member (r, "cusLevel");
      g_assert_true (g_str_equal (level, "Bronze") || g_str_equal (level, "Silver")
                     || g_str_equal (level, "Gold"));
      g_assert_nonnull (json_object_get_string_member (r, "cusMembershipId"));
      g_assert_nonnull (json_object_get_string_member (r, "cusName"));
    }
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rows), "count"), ==, 60);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

typedef struct
{
  const char *acs;
  const char *path;
  const char *field;
  const char *value;   /* NULL: the record must be gone */
} ProfileWait;

/* A change made "in Dynamics 365" through the sandbox's admin API. */
static void
change_contact (EngineFixture *fixture,
                const char    *method,
                const char    *contactid,
                const char    *body)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s", contactid);
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->dv, method, path, body);
}

static gboolean
profile_is (gpointer data)
{
  ProfileWait *wait = data;
  g_autoptr(JsonNode) all = cc_test_admin (wait->acs, "GET", "/_sandbox/profiles", NULL);
  JsonArray *content = json_object_get_array_member (json_node_get_object (all), "content");

  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *p = json_array_get_object_element (content, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (p, "externalId", NULL),
                     wait->path) == 0)
        return wait->value != NULL
               && g_strcmp0 (json_object_get_string_member_with_default (p, wait->field, NULL),
                             wait->value) == 0;
    }
  return wait->value == NULL;
}

static void
wait_profile (EngineFixture *fixture,
              const char    *contactid,
              const char    *field,
              const char    *value)
{
  ProfileWait wait = { fixture->acs, contactid, field, value };

  if (!cc_test_wait_until (profile_is, &wait, DEADLINE))
    g_error ("profile %s: %s never became %s", contactid, field, value ? value : "(deleted)");
}

static void
test_live_changes_and_filter (EngineFixture *fixture,
                              gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) contacts = NULL;
  const char *new_id, *first_id, *second_id;
  JsonArray *rows;
  guint active = 0;

  /* Only active contacts go to Campaign; one that becomes inactive is
   * deleted there. */
  engine_fixture_configure (fixture, "ingress",
    "{ \"poll-interval\": 1, \"mappings\": [ {"
    "  \"id\": \"contacts\", \"source\": \"contact\","
    "  \"target\": \"profileAndServicesExt/profile\", \"target-key\": \"externalId\","
    "  \"key-filter\": \"byExternalId\", \"apply-deletes\": true,"
    "  \"filters\": { \"combine\": \"and\", \"delete-filtered-out\": true,"
    "               \"conditions\": [ {\"field\": \"statecode\", \"op\": \"eq\", \"value\": 0} ] },"
    "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"},"
    "                {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }");

  contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  rows = json_object_get_array_member (json_node_get_object (contacts), "value");
  first_id = second_id = NULL;
  for (guint i = 0; i < json_array_get_length (rows) && second_id == NULL; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      if (json_object_get_int_member (row, "statecode") != 0)
        continue;
      if (first_id == NULL)
        first_id = json_object_get_string_member (row, "contactid");
      else
        second_id = json_object_get_string_member (row, "contactid");
    }
  /* Make one inactive before the start: it must never arrive. */
  change_contact (fixture, "PATCH", second_id, "{\"statecode\": 1, \"statuscode\": 2}");

  /* The seed has inactive contacts of its own. */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (json_object_get_int_member (json_array_get_object_element (rows, i), "statecode") == 0)
      active++;
  g_assert_cmpuint (active, >, 100);

  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", active - 1,
                              DEADLINE);
  wait_profile (fixture, second_id, "lastName", NULL);

  /* Create, update and delete in Dynamics while running. */
  created = cc_test_admin (fixture->dv, "POST", "/_sandbox/tables/contacts",
                           "{\"firstname\": \"Zoë\", \"lastname\": \"Łukasiewicz\","
                           " \"emailaddress1\": \"zoe.lukasiewicz@example.com\", \"statecode\": 0}");
  new_id = json_object_get_string_member (json_node_get_object (created), "contactid");
  wait_profile (fixture, new_id, "lastName", "Łukasiewicz");

  change_contact (fixture, "PATCH", new_id, "{\"lastname\": \"Müller\"}");
  wait_profile (fixture, new_id, "lastName", "Müller");

  change_contact (fixture, "DELETE", new_id, NULL);
  wait_profile (fixture, new_id, "lastName", NULL);

  /* The filter, live: inactive → deleted from Campaign. */
  change_contact (fixture, "PATCH", first_id, "{\"statecode\": 1, \"statuscode\": 2}");
  wait_profile (fixture, first_id, "lastName", NULL);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", active - 2,
                              DEADLINE);

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

/* A table without change tracking: polled by modifiedon for creates and
 * updates, swept for deletes. */
static void
test_without_change_tracking (EngineFixture *fixture,
                              gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) off = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) contacts = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const char *new_id, *old_id;

  off = cc_test_admin (fixture->dv, "POST", "/_sandbox/tables/contacts/change-tracking",
                       "{\"enabled\": false}");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (off), "change_tracking"));
  contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  old_id = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (contacts),
                                                                 "value"), 7),
    "contactid");

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_no_error (error);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, DEADLINE);

  created = cc_test_admin (fixture->dv, "POST", "/_sandbox/tables/contacts",
                           "{\"firstname\": \"Åsa\", \"lastname\": \"Nyström\","
                           " \"emailaddress1\": \"asa.nystrom@example.com\"}");
  new_id = json_object_get_string_member (json_node_get_object (created), "contactid");
  wait_profile (fixture, new_id, "lastName", "Nyström");
  change_contact (fixture, "PATCH", new_id, "{\"lastname\": \"Nyström-Berg\"}");
  wait_profile (fixture, new_id, "lastName", "Nyström-Berg");

  /* Deleted in Dynamics: no change feed says so; the sweep finds it. */
  change_contact (fixture, "DELETE", old_id, NULL);
  change_contact (fixture, "DELETE", new_id, NULL);
  wait_profile (fixture, old_id, "lastName", NULL);
  wait_profile (fixture, new_id, "lastName", NULL);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 199, DEADLINE);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);
  /* Said in the window and in the history, not as a failure. */
  g_assert_nonnull (strstr (cc_workflow_get_notice (ingress), "“contact”"));
  history = cc_workflow_list_history (ingress, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((CcHistoryEntry *) g_ptr_array_index (history, history->len - 2))->kind, ==,
                   "notice");

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

static void
test_edit_pending_until_restart (EngineFixture *fixture,
                                 gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autofree char *applied_before = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *applied_after = NULL;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_RUNNING, DEADLINE);
  applied_before = json_to_string (cc_workflow_get_applied_config (ingress), FALSE);
  g_assert_false (cc_workflow_get_pending_changes (ingress));

  /* A bad edit is refused with the field named, and changes nothing. */
  g_assert_false (cc_workflow_set_config (ingress,
    "{ \"mappings\": [ { \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\","
    "  \"target-key\": \"externalId\", \"fields\": ["
    "  {\"source\": \"firstname\", \"target\": \"email\"},"
    "  {\"source\": \"lastname\", \"target\": \"email\"} ] } ] }", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "mappings[0].fields[1].target"));
  g_clear_error (&error);
  g_assert_false (cc_workflow_get_pending_changes (ingress));

  engine_fixture_configure (fixture, "ingress",
    "{ \"poll-interval\": 2, \"mappings\": [ { \"source\": \"contact\","
    "  \"target\": \"profileAndServicesExt/profile\", \"target-key\": \"externalId\","
    "  \"key-filter\": \"byExternalId\","
    "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] } ] }");
  g_assert_true (cc_workflow_get_pending_changes (ingress));
  applied_after = json_to_string (cc_workflow_get_applied_config (ingress), FALSE);
  g_assert_cmpstr (applied_after, ==, applied_before);
  edited = cc_workflow_get_config (ingress);
  g_assert_nonnull (strstr (edited, "\"poll-interval\" : 2"));

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
  g_assert_true (cc_workflow_get_pending_changes (ingress));

  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_false (cc_workflow_get_pending_changes (ingress));
  g_clear_pointer (&applied_after, g_free);
  applied_after = json_to_string (cc_workflow_get_applied_config (ingress), FALSE);
  g_assert_cmpstr (applied_after, !=, applied_before);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_RUNNING, DEADLINE);
  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

static void
test_wrong_secret_fails (EngineFixture *fixture,
                         gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(CcEngine) real = NULL;
  g_autofree char *config = g_build_filename (fixture->dir, "real.json", NULL);
  g_autofree char *token = g_strconcat (fixture->dv, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autofree char *journal = g_strconcat (fixture->acs, "/events/journal", NULL);
  g_autofree char *ims = g_strconcat (fixture->acs, "/ims/token/v3", NULL);
  g_autoptr(JsonNode) latency = json_from_string ("{\"latency_ms\": 50}", NULL);
  g_autoptr(GVariant) dynamics = NULL;
  g_autoptr(GVariant) campaign = NULL;
  GVariantDict dict;
  guint64 backlog;

  /* Fill the queue a little, then stop: those records must survive. */
  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  cc_sandbox_faults_set_json (cc_sandbox_get_faults (fixture->sandbox),
                              json_node_get_object (latency), NULL);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_RUNNING, DEADLINE);
  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
  backlog = cc_store_count_backlog (cc_engine_get_store (fixture->engine), "ingress", NULL);

  /* The same database, real connections through the keyring, a wrong secret. */
  real = cc_engine_new (config, cc_engine_get_state_path (fixture->engine), &error);
  g_assert_no_error (error);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "url", "s", fixture->dv);
  g_variant_dict_insert (&dict, "tenant", "s", CC_SANDBOX_TENANT);
  g_variant_dict_insert (&dict, "client-id", "s", CC_SANDBOX_CLIENT_ID);
  g_variant_dict_insert (&dict, "token-url", "s", token);
  g_variant_dict_insert (&dict, "secret", "s", "not-the-secret");
  dynamics = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_assert_true (cc_engine_set_connection (real, "dynamics", dynamics, &error));
  g_assert_no_error (error);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "org", "s", CC_SANDBOX_ORG);
  g_variant_dict_insert (&dict, "api-key", "s", CC_SANDBOX_API_KEY);
  g_variant_dict_insert (&dict, "api-url", "s", fixture->acs);
  g_variant_dict_insert (&dict, "ims-url", "s", ims);
  g_variant_dict_insert (&dict, "journal-url", "s", journal);
  g_variant_dict_insert (&dict, "secret", "s", CC_SANDBOX_SECRET);
  campaign = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_assert_true (cc_engine_set_connection (real, "campaign", campaign, &error));
  g_assert_no_error (error);

  ingress = cc_engine_find_workflow (real, "ingress");
  engine_fixture_configure (&(EngineFixture) { .engine = real }, "ingress", CONTACTS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);

  g_test_message ("last error: %s", cc_workflow_get_last_error (ingress));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "AADSTS7000215"));
  g_assert_null (strstr (cc_workflow_get_last_error (ingress), "not-the-secret"));
  g_assert_cmpuint (cc_store_count_backlog (cc_engine_get_store (real), "ingress", NULL), ==, backlog);

  /* Failed → Starting again is allowed (and fails again the same way). */
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
}

static void
test_removed_field_fails_starting (EngineFixture *fixture,
                                   gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) gone = NULL;

  engine_fixture_configure (fixture, "ingress",
    "{ \"mappings\": [ { \"source\": \"contact\","
    "  \"target\": \"profileAndServicesExt/profile\", \"target-key\": \"externalId\","
    "  \"key-filter\": \"byExternalId\","
    "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"},"
    "                {\"source\": \"new_tier\", \"target\": \"cusTier\"} ] } ] }");
  gone = cc_test_admin (fixture->dv, "POST", "/_sandbox/schema/contact/columns/new_tier/remove", NULL);

  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
  g_test_message ("last error: %s", cc_workflow_get_last_error (ingress));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "new_tier"));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "contact"));
  g_assert_cmpint (cc_test_admin_count (fixture->acs, "/_sandbox/profiles", NULL), ==, 0);
}

static void
test_faults_every_record_once (EngineFixture *fixture,
                               gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) knobs = NULL;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  knobs = cc_test_admin (fixture->acs, "POST", "/_sandbox/faults",
                         "{\"error_rate\": 0.05, \"drop_rate\": 0.03, \"throttle_storm\": 40,"
                         " \"retry_after\": 1, \"token_lifetime\": 2}");
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, 240);

  {
    g_autoptr(JsonNode) off = cc_test_admin (fixture->acs, "POST", "/_sandbox/faults", "{\"reset\": true}");
  }
  assert_profiles_match_contacts (fixture);
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (fixture->engine), "ingress", NULL), ==, 0);
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

static gboolean
failed_once (gpointer data)
{
  return cc_workflow_get_failed (data) == 1;
}

static gboolean
error_log_empty (gpointer data)
{
  return cc_store_count_errors (cc_engine_get_store (data), "ingress", NULL) == 0;
}

static void
test_rejected_record_to_error_log (EngineFixture *fixture,
                                   gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) contacts = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  CcErrorEntry *entry;
  const char *bad_id;

  contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  bad_id = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (contacts), "value"), 5),
    "contactid");
  change_contact (fixture, "PATCH", bad_id, "{\"emailaddress1\": \"not an address\"}");

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 199, DEADLINE);

  errors = cc_workflow_list_errors (ingress, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 1);
  entry = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (entry->key, ==, bad_id);
  g_assert_cmpuint (entry->http_status, ==, 400);
  g_assert_nonnull (strstr (entry->reason, "email"));
  g_assert_nonnull (strstr (entry->payload, "not an address"));
  /* The counters are sampled from the workers a few times a second. */
  g_assert_true (cc_test_wait_until (failed_once, ingress, DEADLINE));

  /* Retry puts it back in the queue; still invalid, it returns to the log. */
  g_assert_cmpint (cc_workflow_retry_errors (ingress, 0, &error), ==, 1);
  g_assert_no_error (error);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 199, DEADLINE);
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (fixture->engine), "ingress", NULL), ==, 1);

  /* Fixed in Dynamics, the change is delivered, and its write supersedes
   * the entry in the error log. */
  change_contact (fixture, "PATCH", bad_id, "{\"emailaddress1\": \"fixed@example.com\"}");
  wait_profile (fixture, bad_id, "email", "fixed@example.com");
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, DEADLINE);
  g_assert_true (cc_test_wait_until (error_log_empty, fixture->engine, DEADLINE));

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

static void
test_replay_refills_backlog (EngineFixture *fixture,
                             gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  guint64 written;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, DEADLINE);
  written = cc_workflow_get_written (ingress);

  g_assert_false (cc_workflow_replay (ingress, "yesterday", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  g_assert_true (cc_workflow_replay (ingress, "all", &error));
  g_assert_no_error (error);
  /* Written again, idempotently: 200 more writes, still 200 profiles. */
  while (cc_workflow_get_written (ingress) < written + 200)
    {
      g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
      g_main_context_iteration (NULL, TRUE);
    }
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", 200, DEADLINE);

  history = cc_workflow_list_history (ingress, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((CcHistoryEntry *) g_ptr_array_index (history, 0))->kind, ==, "replay");

  cc_workflow_stop (ingress);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_STOPPED, DEADLINE);
}

/* The engine, as a process of its own, running ingress until killed. */
static GSubprocess *
spawn_engine (CcTestSandbox *s,
              const char    *dir)
{
  return cc_test_sandbox_run_workflow (s, "ingress",
    "{ \"poll-interval\": 1, \"write-concurrency\": 8, \"mappings\": [ {"
    "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\","
    "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\","
    "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"},"
    "                {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }",
    dir);
}

typedef struct
{
  const char *acs;
  gint64      at_least;
  GSubprocess *child;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  /* A child that died on its own would leave the count short: the
   * deadline catches it. */
  return cc_test_admin_count (wait->acs, "/_sandbox/stats", "profiles") >= wait->at_least;
}

static gboolean
backlog_empty (gpointer data)
{
  return cc_store_count_backlog (data, "ingress", NULL) == 0;
}

static void
test_killed_mid_run (void)
{
  const char * const sandbox_args[] = { "--contacts", "3000", NULL };
  g_autoptr(CcTestSandbox) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cc-crash-XXXXXX", &error);
  g_autofree char *state = g_build_filename (dir, "state.db", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(JsonNode) profiles = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CcStore) store = NULL;
  CountWait wait;
  JsonArray *content;
  gint64 before_kill;

  s = cc_test_sandbox_spawn (sandbox_args);
  first = spawn_engine (s, dir);
  wait = (CountWait) { s->campaign, 800, first };
  g_assert_true (cc_test_wait_until (count_reached, &wait, DEADLINE));
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (first));
  before_kill = cc_test_admin_count (s->campaign, "/_sandbox/stats", "profiles");
  g_assert_cmpint (before_kill, <, 3000);

  second = spawn_engine (s, dir);
  wait = (CountWait) { s->campaign, 3000, second };
  g_assert_true (cc_test_wait_until (count_reached, &wait, DEADLINE));

  /* Every contact once: no profile twice, none missing. */
  profiles = cc_test_admin (s->campaign, "GET", "/_sandbox/profiles", NULL);
  content = json_object_get_array_member (json_node_get_object (profiles), "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 3000);
  for (guint i = 0; i < json_array_get_length (content); i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) json_object_get_string_member (
                     json_array_get_object_element (content, i), "externalId")));

  /* And the queue drains: nothing left behind, nothing in the error log. */
  store = cc_store_open (state, &error);
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (backlog_empty, store, DEADLINE));
  g_assert_cmpuint (cc_store_count_errors (store, "ingress", NULL), ==, 0);

  g_subprocess_send_signal (second, SIGTERM);
  g_subprocess_wait (second, NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, setup, func) \
  g_test_add (path, EngineFixture, NULL, setup, func, fixture_teardown)

  /* Minutes each: the slow suite (tests/core/meson.build). */
  ADD ("/ingress/slow/initial-load-10000", fixture_large, test_initial_load);
  ADD ("/ingress/custom-table", fixture_small, test_custom_table);
  ADD ("/ingress/live-changes-and-filter", fixture_small, test_live_changes_and_filter);
  ADD ("/ingress/edit-pending-until-restart", fixture_small, test_edit_pending_until_restart);
  ADD ("/ingress/wrong-secret-fails", fixture_small, test_wrong_secret_fails);
  ADD ("/ingress/removed-field-fails-starting", fixture_small, test_removed_field_fails_starting);
  ADD ("/ingress/faults-every-record-once", fixture_small, test_faults_every_record_once);
  ADD ("/ingress/rejected-record-to-error-log", fixture_small, test_rejected_record_to_error_log);
  ADD ("/ingress/without-change-tracking", fixture_small, test_without_change_tracking);
  ADD ("/ingress/replay-refills-backlog", fixture_small, test_replay_refills_backlog);

  g_test_add_func ("/ingress/slow/killed-mid-run", test_killed_mid_run);

  return g_test_run ();
}
