/* test-ingress-flight.c — write-concurrency is requests in flight, not
 * threads: every answer of the sandbox held back, the ingress writers keep
 * hundreds of writes going from a thread or two, and what they write is
 * what a blocking writer would have written, one call per record. */
#include "cc-error.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "ingress-fixture.h"

#define CONTACTS 600
#define DEADLINE 120
/* What issue 16 allows the whole process, the sandbox's thread included. */
#define MAX_THREADS 16

#define FLIGHT_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 256, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"apply-deletes\": true, \"fields\": [" \
  "    {\"source\": \"firstname\", \"target\": \"firstName\"}," \
  "    {\"source\": \"lastname\", \"target\": \"lastName\"}," \
  "    {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }"

/* The threads of this process now. */
static guint
count_threads (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nThreads:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *ingress;
  guint          most_threads;
} Watch;

/* Every contact written, the backlog empty; the most threads seen on the
 * way. */
static gboolean
all_written (gpointer data)
{
  Watch *watch = data;

  watch->most_threads = MAX (watch->most_threads, count_threads ());
  g_assert_cmpint (cc_workflow_get_status (watch->ingress), !=, CC_WORKFLOW_FAILED);
  return cc_test_admin_count (watch->fixture->acs, "/_sandbox/profiles", NULL) == CONTACTS
         && cc_workflow_get_backlog (watch->ingress) == 0;
}

static void
test_in_flight (EngineFixture *fixture,
                gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(JsonNode) latency = json_from_string ("{\"latency_ms\": 300}", NULL);
  g_autoptr(JsonNode) calls = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { fixture, ingress, 0 };
  JsonObject *counted;

  engine_fixture_configure (fixture, "ingress", FLIGHT_CONFIG);
  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (fixture->sandbox),
                                             json_node_get_object (latency), &error));
  g_assert_no_error (error);
  cc_test_admin_drop (fixture->acs, "DELETE", "/_sandbox/calls", NULL, 200);

  engine_fixture_start (ingress, DEADLINE);
  g_assert_true (cc_test_wait_until (all_written, &watch, DEADLINE));

  calls = cc_test_admin (fixture->acs, "GET", "/_sandbox/calls", NULL);
  counted = json_node_get_object (calls);
  /* Each answer took 300 ms: only writes kept in flight together could
   * have met there, far more of them than the process has threads (how
   * many more depends on how fast the reader queues). */
  g_test_message ("%" G_GINT64_FORMAT " in flight at most, %u threads",
                  json_object_get_int_member (counted, "most_in_flight"), watch.most_threads);
  g_assert_cmpint (json_object_get_int_member (counted, "most_in_flight"), >=, 4 * MAX_THREADS);
  g_assert_cmpuint (watch.most_threads, <=, MAX_THREADS);
  /* One create per record, and the profile's resourceType and filters
   * read by the setup check while Starting. */
  g_assert_cmpint (json_object_get_int_member (counted, "count"), ==, CONTACTS + 2);
  g_assert_cmpuint (cc_workflow_get_written (ingress), ==, CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (ingress), ==, 0);

  engine_fixture_stop (ingress);
}

static void
setup (EngineFixture *fixture,
       gconstpointer  data)
{
  engine_fixture_setup (fixture, CONTACTS, 0);
}

static void
teardown (EngineFixture *fixture,
          gconstpointer  data)
{
  engine_fixture_teardown (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ingress-flight/in-flight", EngineFixture, NULL, setup, test_in_flight, teardown);
  return g_test_run ();
}
