/* ingress-crash-helper.c — runs the ingress workflow until killed.
 *
 * test-ingress starts this as a real process, kills it with SIGKILL in the
 * middle of a run, and starts it again on the same state database.
 * Usage: ingress-crash-helper DATAVERSE_URL CAMPAIGN_URL DIR */
#include "cc-engine.h"

int
main (int argc, char **argv)
{
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  CcWorkflow *ingress;

  if (argc != 4)
    {
      g_printerr ("usage: %s DATAVERSE_URL CAMPAIGN_URL DIR\n", argv[0]);
      return 2;
    }
  config = g_build_filename (argv[3], "config.json", NULL);
  state = g_build_filename (argv[3], "state.db", NULL);
  engine = cc_engine_new (config, state, &error);
  if (engine == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  cc_engine_use_sandbox (engine, argv[1], argv[2]);
  ingress = cc_engine_find_workflow (engine, "ingress");
  if (!cc_workflow_set_config (ingress,
        "{ \"poll-interval\": 1, \"write-concurrency\": 8, \"mappings\": [ {"
        "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\","
        "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\","
        "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"},"
        "                {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }", &error)
      || !cc_workflow_start (ingress, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_main_loop_run (loop);
  return 0;
}
