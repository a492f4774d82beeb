/* test-ingress-campaign.c — "Microsoft Dynamics 365 to Campaign" into the
 * Campaign resources and answers Adobe documents loosely: a duplicate key
 * answered with whatever status the service chooses, and a Dynamics 365
 * custom table written into a custom resource linked to the profile. */
#include <string.h>
#include <glib/gstdio.h>

#include "cc-sandbox-seed.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "ingress-fixture.h"

#define DEADLINE   120
#define N_CONTACTS 150

#define CONTACTS_CONFIG \
  "{ \"poll-interval\": 1, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"}," \
  "              {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }"

typedef struct
{
  guint       status;
  const char *message;
} DuplicateAnswer;

static const DuplicateAnswer conflict = { 409, "A record with this key already exists" };
static const DuplicateAnswer server_error = { 500, "Duplicate key value violates a unique constraint" };

static void
fixture_setup (EngineFixture *fixture,
               gconstpointer  data)
{
  engine_fixture_setup (fixture, N_CONTACTS, 0);
}

static void
fixture_teardown (EngineFixture *fixture,
                  gconstpointer  data)
{
  engine_fixture_teardown (fixture);
}

/* The engine's state is lost (a new machine, a deleted database): a new
 * engine on an empty state database, the same configuration. */
static void
lose_state (EngineFixture *fixture)
{
  g_autofree char *config = g_build_filename (fixture->dir, "config.json", NULL);
  g_autofree char *state = g_build_filename (fixture->dir, "state.db", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->engine);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (state, suffixes[i], NULL);

      g_unlink (path);
    }
  fixture->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (fixture->engine, fixture->dv, fixture->acs);
}

typedef struct
{
  CcWorkflow *workflow;
  guint64     written;
} WrittenWait;

static gboolean
all_written (gpointer data)
{
  WrittenWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return cc_workflow_get_written (wait->workflow) + cc_workflow_get_failed (wait->workflow)
           >= wait->written
         && cc_workflow_get_backlog (wait->workflow) == 0;
}

static void
wait_written (CcWorkflow *workflow,
              guint64     written)
{
  WrittenWait wait = { workflow, written };

  if (!cc_test_wait_until (all_written, &wait, DEADLINE))
    g_error ("%" G_GUINT64_FORMAT " written, %" G_GUINT64_FORMAT " failed, backlog %"
             G_GUINT64_FORMAT "; expected %" G_GUINT64_FORMAT " written",
             cc_workflow_get_written (workflow), cc_workflow_get_failed (workflow),
             cc_workflow_get_backlog (workflow), written);
}

static gint64
campaign_requests (EngineFixture *fixture,
                   const char    *method)
{
  g_autoptr(JsonNode) stats = cc_test_admin (fixture->acs, "GET", "/_sandbox/stats", NULL);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (stats),
                                                                    "requests"), method);
}

/* Every profile of Campaign, by externalId; each id once. */
static GHashTable *
profiles_by_contact (EngineFixture *fixture)
{
  g_autoptr(JsonNode) all = cc_test_admin (fixture->acs, "GET", "/_sandbox/profiles", NULL);
  JsonArray *content = json_object_get_array_member (json_node_get_object (all), "content");
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *profile = json_array_get_object_element (content, i);
      const char *id = json_object_get_string_member (profile, "externalId");

      g_assert_false (g_hash_table_contains (out, id));
      g_hash_table_insert (out, g_strdup (id), json_object_ref (profile));
    }
  return out;
}

/* Every profile is already in Campaign and the engine remembers none of
 * them: each create is refused as a duplicate, however Campaign words
 * that, and the record is found by its key and updated. Nothing fails,
 * nothing is created twice. */
static void
test_duplicate_key (EngineFixture *fixture,
                    gconstpointer  data)
{
  const DuplicateAnswer *answer = data;
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autofree char *settings = g_strdup_printf ("{\"duplicate_key_status\": %u,"
                                               " \"duplicate_key_message\": \"%s\"}",
                                               answer->status, answer->message);
  g_autoptr(GHashTable) profiles = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  gint64 posts, patches;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  engine_fixture_start (ingress, DEADLINE);
  wait_written (ingress, N_CONTACTS);
  engine_fixture_stop (ingress);

  lose_state (fixture);
  ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/settings", settings, 200);
  /* Meanwhile, in Dynamics 365: every third contact is renamed. */
  for (guint i = 0; i < N_CONTACTS; i += 3)
    {
      g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, i);
      g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s",
                                               json_object_get_string_member (contact, "contactid"));
      g_autofree char *body = g_strdup_printf ("{\"lastname\": \"Renamed %u\"}", i);

      cc_test_admin_drop (fixture->dv, "PATCH", path, body, 200);
    }
  posts = campaign_requests (fixture, "post");
  patches = campaign_requests (fixture, "patch");

  engine_fixture_start (ingress, DEADLINE);
  wait_written (ingress, N_CONTACTS);
  engine_fixture_stop (ingress);

  g_assert_cmpuint (cc_workflow_get_written (ingress), ==, N_CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);
  errors = cc_workflow_list_errors (ingress, 0, 0, NULL);
  g_assert_nonnull (errors);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpstr (cc_workflow_get_last_error (ingress), ==, "");

  profiles = profiles_by_contact (fixture);
  g_assert_cmpuint (g_hash_table_size (profiles), ==, N_CONTACTS);
  for (guint i = 0; i < N_CONTACTS; i++)
    {
      g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, i);
      JsonObject *profile = g_hash_table_lookup (profiles,
                                                 json_object_get_string_member (contact, "contactid"));
      g_autofree char *renamed = g_strdup_printf ("Renamed %u", i);

      g_assert_nonnull (profile);
      if (i % 3 == 0)
        g_assert_cmpstr (json_object_get_string_member (profile, "lastName"), ==, renamed);
    }
  /* One refused create and one update a record: the duplicate answer
   * was met every time, and understood. */
  g_assert_cmpint (campaign_requests (fixture, "post") - posts, ==, N_CONTACTS);
  g_assert_cmpint (campaign_requests (fixture, "patch") - patches, ==, N_CONTACTS);
}

#define N_MEMBERSHIPS 40

#define LINKED_CONFIG \
  "{ \"poll-interval\": 1, \"mappings\": [" \
  "  { \"id\": \"contacts\", \"source\": \"contact\"," \
  "    \"target\": \"profileAndServicesExt/profile\"," \
  "    \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] }," \
  "  { \"id\": \"loyalty\", \"source\": \"new_membership\"," \
  "    \"target\": \"profileAndServicesExt/cusLoyalty\", \"target-key\": \"cusLoyaltyId\"," \
  "    \"key-filter\": \"byCusLoyaltyId\", \"apply-deletes\": true," \
  "    \"picklist-values\": \"display\"," \
  "    \"parent\": { \"mapping\": \"contacts\", \"field\": \"_new_contactid_value\"," \
  "                  \"link\": \"profile\" }," \
  "    \"fields\": [ {\"source\": \"new_name\", \"target\": \"cusName\"}," \
  "                  {\"source\": \"new_level\", \"target\": \"cusLevel\"}," \
  "                  {\"source\": \"new_startdate\", \"target\": \"cusStartDate\"} ] } ] }"

static void
fixture_setup_memberships (EngineFixture *fixture,
                           gconstpointer  data)
{
  engine_fixture_setup (fixture, N_CONTACTS, N_MEMBERSHIPS);
}

/* externalId → PKey of every profile. */
static GHashTable *
profile_pkeys (EngineFixture *fixture)
{
  g_autoptr(GHashTable) profiles = profiles_by_contact (fixture);
  GHashTable *pkeys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  const char *id;
  JsonObject *profile;

  g_hash_table_iter_init (&iter, profiles);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &profile))
    g_hash_table_insert (pkeys, g_strdup (id), g_strdup (json_object_get_string_member (profile, "PKey")));
  return pkeys;
}

/* The cusLoyalty record of membership @id, or NULL. */
static JsonObject *
loyalty_record (EngineFixture *fixture,
                const char    *id)
{
  g_autoptr(JsonNode) all = cc_test_admin (fixture->acs, "GET", "/_sandbox/resources/cusLoyalty", NULL);
  JsonArray *content = json_object_get_array_member (json_node_get_object (all), "content");

  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *record = json_array_get_object_element (content, i);

      if (g_strcmp0 (json_object_get_string_member (record, "cusLoyaltyId"), id) == 0)
        return json_object_ref (record);
    }
  return NULL;
}

static const char *
linked_profile (JsonObject *record)
{
  if (record == NULL || !json_object_has_member (record, "profile"))
    return NULL;
  return json_object_get_string_member (json_object_get_object_member (record, "profile"), "PKey");
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  const char    *membership;
  const char    *profile;      /* the PKey it must link to; NULL: the record is gone */
} LinkWait;

static gboolean
link_reached (gpointer data)
{
  LinkWait *wait = data;
  g_autoptr(JsonObject) record = loyalty_record (wait->fixture, wait->membership);

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  if (wait->profile == NULL)
    return record == NULL;
  return g_strcmp0 (linked_profile (record), wait->profile) == 0;
}

static void
wait_link (EngineFixture *fixture,
           CcWorkflow    *workflow,
           const char    *membership,
           const char    *profile)
{
  LinkWait wait = { fixture, workflow, membership, profile };

  if (!cc_test_wait_until (link_reached, &wait, DEADLINE))
    g_error ("membership %s never linked to %s (“%s”)", membership, profile ? profile : "(deleted)",
             cc_workflow_get_last_error (workflow));
}

/* Dynamics 365's custom table new_membership, whose rows look up their
 * contact, into cusLoyalty, a custom resource linked to the profile:
 * every record links to its contact's profile, follows when the row moves
 * to another contact, and goes when the row does. */
static void
test_linked_custom_resource (EngineFixture *fixture,
                             gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(JsonNode) rows = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/new_memberships", NULL);
  JsonArray *value = json_object_get_array_member (json_node_get_object (rows), "value");
  g_autoptr(GHashTable) pkeys = NULL;
  JsonObject *moved = json_array_get_object_element (value, 0);
  JsonObject *gone = json_array_get_object_element (value, 1);
  const char *moved_id = json_object_get_string_member (moved, "new_membershipid");
  const char *gone_id = json_object_get_string_member (gone, "new_membershipid");
  const char *new_contact = NULL;
  g_autofree char *moved_path = g_strconcat ("/_sandbox/tables/new_memberships/", moved_id, NULL);
  g_autofree char *gone_path = g_strconcat ("/_sandbox/tables/new_memberships/", gone_id, NULL);
  g_autofree char *body = NULL;

  g_assert_cmpuint (json_array_get_length (value), ==, N_MEMBERSHIPS);
  engine_fixture_configure (fixture, "ingress", LINKED_CONFIG);
  engine_fixture_start (ingress, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/resources/cusLoyalty",
                              N_MEMBERSHIPS, DEADLINE);
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", N_CONTACTS, DEADLINE);

  pkeys = profile_pkeys (fixture);
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *row = json_array_get_object_element (value, i);
      g_autoptr(JsonObject) record = loyalty_record (fixture, json_object_get_string_member (row, "new_membershipid"));
      const char *contact = json_object_get_string_member (row, "_new_contactid_value");

      g_assert_nonnull (record);
      g_assert_cmpstr (json_object_get_string_member (record, "cusName"), ==,
                       json_object_get_string_member (row, "new_name"));
      g_assert_cmpstr (linked_profile (record), ==, g_hash_table_lookup (pkeys, contact));
      if (new_contact == NULL && g_strcmp0 (contact, json_object_get_string_member (moved, "_new_contactid_value")) != 0)
        new_contact = contact;
    }
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);

  /* The membership moves to another contact: its record follows. */
  g_assert_nonnull (new_contact);
  body = g_strdup_printf ("{\"_new_contactid_value\": \"%s\"}", new_contact);
  cc_test_admin_drop (fixture->dv, "PATCH", moved_path, body, 200);
  wait_link (fixture, ingress, moved_id, g_hash_table_lookup (pkeys, new_contact));

  /* Deleted in Dynamics 365: deleted in Campaign. */
  cc_test_admin_drop (fixture->dv, "DELETE", gone_path, NULL, 204);
  wait_link (fixture, ingress, gone_id, NULL);

  engine_fixture_stop (ingress);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);
  g_assert_cmpint (cc_test_admin_count (fixture->acs, "/_sandbox/resources/cusLoyalty", NULL), ==,
                   N_MEMBERSHIPS - 1);
}

/* Asked for where Campaign does not serve it, a linked custom resource
 * fails Starting with words that say where it is. */
static void
test_linked_resource_misplaced (EngineFixture *fixture,
                                gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GString) config = g_string_new (LINKED_CONFIG);
  g_autoptr(GError) error = NULL;

  g_string_replace (config, "profileAndServicesExt/cusLoyalty", "customResources/cusLoyalty", 1);
  engine_fixture_configure (fixture, "ingress", config->str);
  g_assert_true (cc_workflow_start (ingress, &error));
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress),
                            "If it is linked to the profile, it is “profileAndServicesExt/cusLoyalty”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ingress-campaign/duplicate-key/409", EngineFixture, &conflict,
              fixture_setup, test_duplicate_key, fixture_teardown);
  g_test_add ("/ingress-campaign/duplicate-key/500", EngineFixture, &server_error,
              fixture_setup, test_duplicate_key, fixture_teardown);
  g_test_add ("/ingress-campaign/linked-custom-resource", EngineFixture, NULL,
              fixture_setup_memberships, test_linked_custom_resource, fixture_teardown);
  g_test_add ("/ingress-campaign/linked-resource-misplaced", EngineFixture, NULL,
              fixture_setup_memberships, test_linked_resource_misplaced, fixture_teardown);

  return g_test_run ();
}
