/* test-engine-resume.c — which workflows an engine starts by itself: the
 * ones the user started and neither stopped nor saw fail, whatever way
 * the previous engine ended. (A real engine killed with SIGKILL is
 * tests/dbus/test-unattended.c.)
 *
 * An engine that is dropped without cc_engine_shutdown() ends like a
 * process that is killed: its workflows stop, and nothing else is
 * written.
 */
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 60

#define INGRESS_CONFIG \
  "{ \"poll-interval\": 1, \"mappings\": [ {" \
  "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] } ] }"

/* The next engine, which resumes what the user wants running. */
static void
restart (EngineFixture *fixture,
         gboolean       clean)
{
  engine_fixture_restart (fixture, clean);
  cc_engine_resume (fixture->engine);
}

static CcWorkflow *
workflow (EngineFixture *fixture,
          const char    *id)
{
  return cc_engine_find_workflow (fixture->engine, id);
}

static CcWorkflowStatus
status_of (EngineFixture *fixture,
           const char    *id)
{
  return cc_workflow_get_status (workflow (fixture, id));
}

static void
assert_newest_history (CcWorkflow *workflow,
                       const char *kind,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = cc_workflow_list_history (workflow, 1, &error);
  CcHistoryEntry *newest;

  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  newest = g_ptr_array_index (history, 0);
  g_assert_cmpstr (newest->kind, ==, kind);
  g_assert_cmpstr (newest->message, ==, message);
}

/* Started, then the engine is gone (killed or shut down): the next one
 * starts it again, and only it. */
static void
test_started_is_resumed (EngineFixture *fixture,
                         gconstpointer  data)
{
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  engine_fixture_start (workflow (fixture, "ingress"), DEADLINE);

  restart (fixture, FALSE);
  g_assert_cmpint (status_of (fixture, "ingress"), ==, CC_WORKFLOW_STARTING);
  g_assert_cmpint (status_of (fixture, "egress"), ==, CC_WORKFLOW_STOPPED);
  g_assert_cmpint (status_of (fixture, "optinout"), ==, CC_WORKFLOW_STOPPED);
  assert_newest_history (workflow (fixture, "ingress"), "start", "resumed");
  engine_fixture_wait_status (workflow (fixture, "ingress"), CC_WORKFLOW_RUNNING, DEADLINE);

  restart (fixture, TRUE);
  engine_fixture_wait_status (workflow (fixture, "ingress"), CC_WORKFLOW_RUNNING, DEADLINE);
  g_assert_cmpint (status_of (fixture, "egress"), ==, CC_WORKFLOW_STOPPED);
}

/* Stopped by the user after a clean restart, then the engine is killed:
 * the next one leaves it stopped. */
static void
test_stopped_is_not_resumed (EngineFixture *fixture,
                             gconstpointer  data)
{
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  engine_fixture_start (workflow (fixture, "ingress"), DEADLINE);
  engine_fixture_start (workflow (fixture, "optinout"), DEADLINE);

  restart (fixture, TRUE);
  engine_fixture_wait_status (workflow (fixture, "ingress"), CC_WORKFLOW_RUNNING, DEADLINE);
  engine_fixture_wait_status (workflow (fixture, "optinout"), CC_WORKFLOW_RUNNING, DEADLINE);
  engine_fixture_stop (workflow (fixture, "ingress"));

  restart (fixture, FALSE);
  g_assert_cmpint (status_of (fixture, "ingress"), ==, CC_WORKFLOW_STOPPED);
  g_assert_cmpint (status_of (fixture, "optinout"), ==, CC_WORKFLOW_STARTING);
  engine_fixture_wait_status (workflow (fixture, "optinout"), CC_WORKFLOW_RUNNING, DEADLINE);
}

/* Failed: it needs a person, so no engine starts it by itself; started
 * again by the user, it is resumed again. */
static void
test_failed_is_not_resumed (EngineFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(GVariant) wrong = NULL;
  g_autoptr(GError) error = NULL;
  GVariantDict dict;

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "secret", "s", "not-the-secret");
  wrong = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_assert_true (cc_engine_set_connection (fixture->engine, "dynamics", wrong, &error));
  g_assert_no_error (error);
  g_assert_true (cc_workflow_start (workflow (fixture, "ingress"), &error));
  engine_fixture_wait_status (workflow (fixture, "ingress"), CC_WORKFLOW_FAILED, DEADLINE);

  /* The sandbox's own secret again: only a start would now succeed. */
  restart (fixture, FALSE);
  g_assert_cmpint (status_of (fixture, "ingress"), ==, CC_WORKFLOW_STOPPED);
  restart (fixture, TRUE);
  g_assert_cmpint (status_of (fixture, "ingress"), ==, CC_WORKFLOW_STOPPED);

  engine_fixture_start (workflow (fixture, "ingress"), DEADLINE);
  restart (fixture, FALSE);
  engine_fixture_wait_status (workflow (fixture, "ingress"), CC_WORKFLOW_RUNNING, DEADLINE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ENGINE_TEST_ADD ("/engine-resume/started-is-resumed", 20, test_started_is_resumed);
  ENGINE_TEST_ADD ("/engine-resume/stopped-is-not-resumed", 20, test_stopped_is_not_resumed);
  ENGINE_TEST_ADD ("/engine-resume/failed-is-not-resumed", 20, test_failed_is_not_resumed);

  return g_test_run ();
}
