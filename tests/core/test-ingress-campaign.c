/* test-ingress-campaign.c — "Microsoft Dynamics 365 to Campaign" against
 * the ways Campaign answers that Adobe leaves open: a duplicate key,
 * answered with whatever status the service chooses. */
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ingress-campaign/duplicate-key/409", EngineFixture, &conflict,
              fixture_setup, test_duplicate_key, fixture_teardown);
  g_test_add ("/ingress-campaign/duplicate-key/500", EngineFixture, &server_error,
              fixture_setup, test_duplicate_key, fixture_teardown);

  return g_test_run ();
}
