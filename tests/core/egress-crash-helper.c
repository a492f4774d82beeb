/* egress-crash-helper.c — runs the egress workflow against a standalone
 * sandbox until SIGTERM, for the kill -9 test (test-egress-crash.c).
 *
 * Usage: egress-crash-helper DATAVERSE-URL CAMPAIGN-URL STATE-DIR
 * The configuration and the database live in STATE-DIR, so a second run
 * after a kill resumes from what the first one committed.
 */
#include <glib-unix.h>

#include "cc-engine.h"

static gboolean
on_term (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;
  CcWorkflow *workflow;

  if (argc != 4)
    {
      g_printerr ("usage: %s DATAVERSE-URL CAMPAIGN-URL STATE-DIR\n", argv[0]);
      return 2;
    }

  config = g_build_filename (argv[3], "config.json", NULL);
  state = g_build_filename (argv[3], "state.db", NULL);
  engine = cc_engine_new (config, state, &error);
  if (engine == NULL)
    g_error ("%s", error->message);
  cc_engine_use_sandbox (engine, argv[1], argv[2]);

  workflow = cc_engine_find_workflow (engine, "egress");
  if (!cc_workflow_set_config (workflow,
                               "{ \"poll-interval\": 1, \"batch-size\": 50, "
                               "\"write-concurrency\": 2, \"journal-limit\": 100 }",
                               &error)
      || !cc_workflow_start (workflow, &error))
    g_error ("%s", error->message);

  g_unix_signal_add (SIGTERM, on_term, loop);
  g_main_loop_run (loop);

  cc_workflow_stop (workflow);
  cc_workflow_wait_stopped (workflow);
  return 0;
}
