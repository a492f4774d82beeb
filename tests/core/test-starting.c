/* test-starting.c — Starting never lasts without a word: while both
 * services answer only 503, a workflow keeps trying (a transient failure
 * is no reason to fail), and past its deadline its LastError says why it
 * is not running yet; once the services answer again it runs, and the
 * message is gone.
 */
#include <string.h>

#include "cc-sandbox.h"
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 60

static void
set_faults (EngineFixture *fixture,
            const char    *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (fixture->sandbox),
                                             json_node_get_object (node), &error));
  g_assert_no_error (error);
}

static gboolean
says_why (gpointer user_data)
{
  return *cc_workflow_get_last_error (user_data) != '\0';
}

static void
test_says_why (EngineFixture *fixture,
               gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  const char *said;

  cc_workflow_set_starting_deadline (workflow, 1);
  set_faults (fixture, "{\"error_rate\": 1}");
  g_assert_true (cc_workflow_start (workflow, &error));
  g_assert_no_error (error);

  g_assert_true (cc_test_wait_until (says_why, workflow, DEADLINE));
  said = cc_workflow_get_last_error (workflow);
  g_test_message ("%s", said);
  g_assert_cmpint (cc_workflow_get_status (workflow), ==, CC_WORKFLOW_STARTING);
  g_assert_true (g_str_has_prefix (said, "Not running after 1 second: "));
  g_assert_nonnull (strstr (said, "keeps trying"));

  set_faults (fixture, "{\"reset\": true}");
  engine_fixture_wait_status (workflow, CC_WORKFLOW_RUNNING, DEADLINE);
  g_assert_cmpstr (cc_workflow_get_last_error (workflow), ==, "");
  engine_fixture_stop (workflow);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ENGINE_TEST_ADD ("/starting/says-why", 20, test_says_why);

  return g_test_run ();
}
