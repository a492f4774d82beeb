/* bench-ingress.c — the ingress workflow's throughput and peak memory.
 *
 * Runs the engine's real "Dynamics 365 to Campaign" workflow in this
 * process against a sandbox in another process (bench/ingress/run.sh
 * starts it), until every contact is written, and prints one line of
 * JSON: records, seconds, records per second, peak RSS, and the engine's
 * CPU time (user + system, every thread) per record. */
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cc-engine.h"

static gboolean
on_tick (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— ingress benchmark");
  g_autofree char *dataverse = NULL;
  g_autofree char *campaign = NULL;
  gint64 contacts = 100000;
  int concurrency = 8;
  const GOptionEntry entries[] = {
    { "dataverse", 0, 0, G_OPTION_ARG_STRING, &dataverse, "Dataverse URL of the sandbox", "URL" },
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, "Campaign URL of the sandbox", "URL" },
    { "contacts", 0, 0, G_OPTION_ARG_INT64, &contacts, "Contacts to expect", "N" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Write concurrency", "N" },
    { NULL },
  };
  g_autofree char *dir = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  CcWorkflow *ingress;
  struct rusage usage;
  gint64 start, end;
  double seconds, cpu_seconds;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !dataverse || !campaign)
    {
      g_printerr ("bench-ingress: %s\n", error ? error->message : "--dataverse and --campaign are needed");
      return 2;
    }

  dir = g_dir_make_tmp ("cc-bench-ingress-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (dir, "config.json", NULL);
  state_path = g_build_filename (dir, "state.db", NULL);
  engine = cc_engine_new (config_path, state_path, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (engine, dataverse, campaign);

  /* The out-of-the-box contact mapping, at the chosen write concurrency. */
  config = g_strdup_printf (
    "{ \"poll-interval\": 1, \"write-concurrency\": %d, \"mappings\": [ {"
    "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\","
    "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\", \"apply-deletes\": true,"
    "  \"fields\": [ {\"source\": \"firstname\", \"target\": \"firstName\"},"
    "    {\"source\": \"lastname\", \"target\": \"lastName\"},"
    "    {\"source\": \"emailaddress1\", \"target\": \"email\"},"
    "    {\"source\": \"birthdate\", \"target\": \"birthDate\"},"
    "    {\"source\": \"telephone1\", \"target\": \"phone\"},"
    "    {\"source\": \"mobilephone\", \"target\": \"mobilePhone\"} ] } ] }", concurrency);
  ingress = cc_engine_find_workflow (engine, "ingress");
  if (!cc_workflow_set_config (ingress, config, &error) || !cc_workflow_start (ingress, &error))
    {
      g_printerr ("bench-ingress: %s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  while ((gint64) cc_workflow_get_written (ingress) + (gint64) cc_workflow_get_failed (ingress)
         < contacts)
    {
      if (cc_workflow_get_status (ingress) == CC_WORKFLOW_FAILED)
        {
          g_printerr ("bench-ingress: failed: %s\n", cc_workflow_get_last_error (ingress));
          return 1;
        }
      g_timeout_add (100, on_tick, loop);
      g_main_loop_run (loop);
    }
  end = g_get_monotonic_time ();
  seconds = (double) (end - start) / G_USEC_PER_SEC;

  cc_workflow_stop (ingress);
  cc_workflow_wait_stopped (ingress);
  getrusage (RUSAGE_SELF, &usage);

  cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  g_print ("{\"records\": %" G_GUINT64_FORMAT ", \"failed\": %" G_GUINT64_FORMAT
           ", \"seconds\": %.2f, \"records_per_second\": %.0f, \"peak_rss_kib\": %ld"
           ", \"engine_cpu_us_per_record\": %.0f}\n",
           cc_workflow_get_written (ingress), cc_workflow_get_failed (ingress), seconds,
           (double) cc_workflow_get_written (ingress) / seconds, usage.ru_maxrss,
           cpu_seconds * 1e6 / MAX (1, (double) contacts));

  g_clear_object (&engine);
  g_unlink (state_path);
  g_unlink (config_path);
  {
    g_autofree char *wal = g_strconcat (state_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (state_path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
