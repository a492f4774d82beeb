/* test-workflow-run.c — the run every workflow kind shares: each run has
 * a supervisor thread of its own, not a slot of GLib's shared GTask pool,
 * and that thread is gone once the run has ended. */
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 60

static const char * const workflow_ids[] = { "ingress", "egress", "optinout" };

/* How many threads of this process are named @name. */
static guint
count_threads (const char *name)
{
  g_auto(GStrv) names = cc_test_list_threads ();
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      n++;
  return n;
}

static char *
supervisor_name (const char *workflow_id)
{
  return g_strdup_printf ("cc-%s-run", workflow_id);
}

static gboolean
no_supervisors (gpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (workflow_ids); i++)
    {
      g_autofree char *name = supervisor_name (workflow_ids[i]);

      if (count_threads (name) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
test_supervisor_thread (EngineFixture *fixture,
                        gconstpointer  data)
{
  g_assert_true (no_supervisors (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (workflow_ids); i++)
    engine_fixture_start (cc_engine_find_workflow (fixture->engine, workflow_ids[i]), DEADLINE);

  /* All three running at once: one supervisor each. */
  for (guint i = 0; i < G_N_ELEMENTS (workflow_ids); i++)
    {
      g_autofree char *name = supervisor_name (workflow_ids[i]);

      g_assert_cmpuint (count_threads (name), ==, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (workflow_ids); i++)
    engine_fixture_stop (cc_engine_find_workflow (fixture->engine, workflow_ids[i]));
  /* Joined when its result came in; the kernel lets go of a thread's
   * name just after it is joined. */
  g_assert_true (cc_test_wait_until (no_supervisors, NULL, DEADLINE));
}

/* A second run of a workflow gets a supervisor of its own again. */
static void
test_supervisor_per_run (EngineFixture *fixture,
                         gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");

  for (guint run = 0; run < 2; run++)
    {
      engine_fixture_start (ingress, DEADLINE);
      g_assert_cmpuint (count_threads ("cc-ingress-run"), ==, 1);
      engine_fixture_stop (ingress);
      g_assert_true (cc_test_wait_until (no_supervisors, NULL, DEADLINE));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ENGINE_TEST_ADD ("/workflow-run/supervisor-thread", 10, test_supervisor_thread);
  ENGINE_TEST_ADD ("/workflow-run/supervisor-per-run", 10, test_supervisor_per_run);

  return g_test_run ();
}
