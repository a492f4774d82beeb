/* workflow-crash-helper.c — runs one workflow of a real engine against a
 * standalone sandbox until SIGTERM, for the tests that kill it with
 * SIGKILL in the middle of a run and start it again.
 *
 * Usage: workflow-crash-helper WORKFLOW CONFIG DATAVERSE-URL CAMPAIGN-URL STATE-DIR
 * CONFIG is the workflow's configuration as JSON text. The engine's
 * configuration file and database live in STATE-DIR, so a run after a
 * kill resumes from what the one before committed.
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

  if (argc != 6)
    {
      g_printerr ("usage: %s WORKFLOW CONFIG DATAVERSE-URL CAMPAIGN-URL STATE-DIR\n", argv[0]);
      return 2;
    }

  config = g_build_filename (argv[5], "config.json", NULL);
  state = g_build_filename (argv[5], "state.db", NULL);
  engine = cc_engine_new (config, state, &error);
  if (engine == NULL)
    g_error ("%s", error->message);
  cc_engine_use_sandbox (engine, argv[3], argv[4]);

  workflow = cc_engine_find_workflow (engine, argv[1]);
  if (workflow == NULL)
    g_error ("no workflow “%s”", argv[1]);
  if (!cc_workflow_set_config (workflow, argv[2], &error)
      || !cc_workflow_start (workflow, &error))
    g_error ("%s", error->message);

  g_unix_signal_add (SIGTERM, on_term, loop);
  g_main_loop_run (loop);

  cc_workflow_stop (workflow);
  cc_workflow_wait_stopped (workflow);
  return 0;
}
