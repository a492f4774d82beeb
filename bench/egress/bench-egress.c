/* bench-egress.c — throughput of the egress workflow against the
 * standalone sandbox, and the sandbox's own $batch rate beside it.
 *
 * For each write concurrency and batch size asked for, a fresh
 * campaign-connector-sandbox is started with N journal events; an engine
 * in this process runs the egress workflow until every event is a row in
 * Dynamics 365, and the events per second from Start to the last row are
 * printed. Right after, under the same load, the same upserts are sent
 * straight from Dataverse clients (no journal, no queue, no database):
 * as fast as the sandbox takes $batch parts, the ceiling the workflow is
 * measured against. With --latency-ms N the sandbox adds N ms to every
 * request, as a remote service would, for both measurements.
 *
 * Not a test: run by hand, see bench/egress/run.sh and bench/README.md.
 */
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cc-dataverse-client.h"
#include "cc-engine.h"
#include "cc-sandbox-seed.h"

static char *opt_sandbox = NULL;
static int opt_events = 200000;
static int opt_contacts = 10000;
static char *opt_batch_sizes = NULL;
static char *opt_concurrency = NULL;
static gboolean opt_no_raw = FALSE;
static int opt_latency_ms = 0;

static const GOptionEntry entries[] = {
  { "sandbox", 0, 0, G_OPTION_ARG_FILENAME, &opt_sandbox, "The campaign-connector-sandbox to run", "PATH" },
  { "events", 'n', 0, G_OPTION_ARG_INT, &opt_events, "Journal events (default 200000)", "N" },
  { "contacts", 0, 0, G_OPTION_ARG_INT, &opt_contacts, "Seeded contacts (default 10000)", "N" },
  { "batch-sizes", 'b', 0, G_OPTION_ARG_STRING, &opt_batch_sizes, "Batch sizes to try (default 10,50,100,200,500,1000)", "LIST" },
  { "concurrency", 'c', 0, G_OPTION_ARG_STRING, &opt_concurrency, "Write concurrencies to try (default 2)", "LIST" },
  { "no-raw", 0, 0, G_OPTION_ARG_NONE, &opt_no_raw, "Do not measure the sandbox's raw $batch rate", NULL },
  { "latency-ms", 0, 0, G_OPTION_ARG_INT, &opt_latency_ms, "Added to every request by the sandbox (default 0)", "MS" },
  { NULL }
};

/* ------------------------------------------------------------------ */
/* The sandbox process                                                 */

typedef struct
{
  GPid  pid;
  char *dataverse;
  char *campaign;
} Sandbox;

static char *
read_url (GDataInputStream *lines,
          const char       *name)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
  g_autofree char *prefix = g_strconcat (name, " ", NULL);

  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("the sandbox did not print its %s URL", name);
  return g_strdup (line + strlen (prefix));
}

static void
sandbox_start (Sandbox *sandbox)
{
  g_autofree char *events = g_strdup_printf ("%d", opt_events);
  g_autofree char *contacts = g_strdup_printf ("%d", opt_contacts);
  g_autofree char *latency = g_strdup_printf ("%d", opt_latency_ms);
  /* Service protection off the path: the benchmark measures the
   * workflow, not the limits the emulator enforces. */
  const char *argv[] = { opt_sandbox, "--dataverse-port", "0", "--campaign-port", "0",
                         "--contacts", contacts, "--memberships", "0", "--events", events,
                         "--latency-ms", latency,
                         "--max-requests", "2000000000", "--max-concurrent", "100000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  int out;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &sandbox->pid, NULL, &out, NULL, &error))
    g_error ("%s", error->message);
  stream = g_unix_input_stream_new (out, TRUE);
  lines = g_data_input_stream_new (stream);
  sandbox->dataverse = read_url (lines, "dataverse");
  sandbox->campaign = read_url (lines, "campaign");
}

static void
sandbox_stop (Sandbox *sandbox)
{
  int status;

  kill (sandbox->pid, SIGTERM);
  waitpid (sandbox->pid, &status, 0);
  g_spawn_close_pid (sandbox->pid);
  g_clear_pointer (&sandbox->dataverse, g_free);
  g_clear_pointer (&sandbox->campaign, g_free);
}

/* Rows in the four activity tables, from the admin API. */
static gint64
event_rows (SoupSession *session,
            const char  *dataverse)
{
  static const char * const sets[] = {
    "new_emailsends", "new_emailopens", "new_emailclicks", "new_emailbounces",
  };
  g_autofree char *url = g_strconcat (dataverse, "/_sandbox/stats", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *tables;
  gint64 total = 0;

  if (body == NULL)
    return -1;
  root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  if (root == NULL)
    return -1;
  tables = json_object_get_object_member (json_node_get_object (root), "tables");
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    total += json_object_get_int_member_with_default (tables, sets[i], 0);
  return total;
}

/* ------------------------------------------------------------------ */
/* The workflow                                                        */

typedef struct
{
  GMainLoop   *loop;
  SoupSession *session;
  const char  *dataverse;
  CcWorkflow  *workflow;
  gint64       started;
  gint64       done;
} Run;

static gboolean
on_poll (gpointer data)
{
  Run *run = data;

  if (run->started == 0 && cc_workflow_get_status (run->workflow) == CC_WORKFLOW_RUNNING)
    run->started = g_get_monotonic_time ();
  if (cc_workflow_get_status (run->workflow) == CC_WORKFLOW_FAILED)
    g_error ("the workflow failed: %s", cc_workflow_get_last_error (run->workflow));
  if (event_rows (run->session, run->dataverse) >= opt_events)
    {
      run->done = g_get_monotonic_time ();
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static double
measure_workflow (guint batch_size,
                  guint concurrency)
{
  Sandbox sandbox = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("cc-bench-egress-XXXXXX", NULL);
  g_autofree char *config_path = g_build_filename (dir, "config.json", NULL);
  g_autofree char *state_path = g_build_filename (dir, "state.db", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupSession) session = soup_session_new ();
  Run run = { loop, session, NULL, NULL, 0, 0 };
  gint64 clicked;
  double seconds;

  sandbox_start (&sandbox);
  run.dataverse = sandbox.dataverse;

  engine = cc_engine_new (config_path, state_path, &error);
  if (engine == NULL)
    g_error ("%s", error->message);
  cc_engine_use_sandbox (engine, sandbox.dataverse, sandbox.campaign);
  run.workflow = cc_engine_find_workflow (engine, "egress");
  config = g_strdup_printf ("{ \"batch-size\": %u, \"write-concurrency\": %u, "
                            "\"journal-limit\": 1000, \"poll-interval\": 1 }",
                            batch_size, concurrency);
  if (!cc_workflow_set_config (run.workflow, config, &error))
    g_error ("%s", error->message);

  clicked = g_get_monotonic_time ();
  if (!cc_workflow_start (run.workflow, &error))
    g_error ("%s", error->message);
  g_timeout_add (50, on_poll, &run);
  g_main_loop_run (loop);

  seconds = (run.done - clicked) / (double) G_USEC_PER_SEC;
  g_debug ("Starting took %.2f s", (run.started - clicked) / (double) G_USEC_PER_SEC);

  cc_workflow_stop (run.workflow);
  cc_workflow_wait_stopped (run.workflow);
  g_clear_object (&engine);
  sandbox_stop (&sandbox);

  g_unlink (state_path);
  {
    g_autofree char *wal = g_strconcat (state_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (state_path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (config_path);
  g_rmdir (dir);
  return opt_events / seconds;
}

/* ------------------------------------------------------------------ */
/* The sandbox alone                                                   */

typedef struct
{
  const char    *dataverse;
  guint          batch_size;
  gint          *next;       /* the next event index to send (atomic) */
} RawWriter;

static gpointer
raw_writer (gpointer data)
{
  RawWriter *writer = data;
  g_autofree char *token_url = g_strconcat (writer->dataverse,
                                            "/sandbox-tenant/oauth2/v2.0/token", NULL);
  CcDataverseSettings settings = {
    writer->dataverse, "sandbox-tenant", "sandbox-client", token_url, "sandbox-secret", 1
  };
  g_autoptr(CcDataverseClient) client = cc_dataverse_client_new (&settings);

  for (;;)
    {
      gint first = g_atomic_int_add (writer->next, (gint) writer->batch_size);
      g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) error = NULL;

      if (first >= opt_events)
        break;
      for (gint i = first; i < MIN (opt_events, first + (gint) writer->batch_size); i++)
        {
          g_autoptr(JsonObject) event = cc_sandbox_seed_event (1, i, opt_contacts);
          g_autoptr(JsonObject) body = json_object_new ();
          const char *keys[] = { "new_campaigneventid", NULL };
          const char *values[] = { json_object_get_string_member (event, "id"), NULL };
          g_autofree char *set = g_strdup_printf ("new_email%ss",
                                                  json_object_get_string_member (event, "type"));
          g_autofree char *bind_member = g_strdup_printf ("regardingobjectid_contact_new_email%s@odata.bind",
                                                          json_object_get_string_member (event, "type"));
          g_autofree char *bind = g_strdup_printf ("/contacts(%s)",
                                                   json_object_get_string_member (event, "externalId"));
          g_autofree char *subject = g_strdup_printf ("%s / %s",
                                                      json_object_get_string_member (event, "campaignId"),
                                                      json_object_get_string_member (event, "deliveryId"));
          g_autofree char *path = cc_dataverse_client_build_key_path (set, keys, values);

          json_object_set_string_member (body, "new_campaigneventid", values[0]);
          json_object_set_string_member (body, "subject", subject);
          json_object_set_string_member (body, "new_campaignname",
                                         json_object_get_string_member (event, "campaignName"));
          json_object_set_string_member (body, "new_deliveryname",
                                         json_object_get_string_member (event, "deliveryName"));
          json_object_set_string_member (body, "new_eventdate",
                                         json_object_get_string_member (event, "timestamp"));
          json_object_set_string_member (body, "new_mirrorpageurl",
                                         json_object_get_string_member (event, "mirrorPageUrl"));
          json_object_set_string_member (body, bind_member, bind);
          g_ptr_array_add (ops, cc_dataverse_op_new ("PATCH", path, body));
        }
      results = cc_dataverse_client_batch (client, ops, CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR,
                                           NULL, &error);
      if (results == NULL)
        g_error ("$batch: %s", error->message);
      for (guint i = 0; i < results->len; i++)
        if (!cc_dataverse_result_is_success (g_ptr_array_index (results, i)))
          g_error ("$batch part: %s",
                   ((CcDataverseResult *) g_ptr_array_index (results, i))->message);
    }
  return NULL;
}

static double
measure_raw (guint batch_size,
             guint concurrency)
{
  Sandbox sandbox = { 0 };
  g_autofree GThread **threads = g_new0 (GThread *, concurrency);
  RawWriter writer;
  gint next = 0;
  gint64 begin;
  double seconds;

  sandbox_start (&sandbox);
  writer = (RawWriter) { sandbox.dataverse, batch_size, &next };
  begin = g_get_monotonic_time ();
  for (guint i = 0; i < concurrency; i++)
    threads[i] = g_thread_new ("raw", raw_writer, &writer);
  for (guint i = 0; i < concurrency; i++)
    g_thread_join (threads[i]);
  seconds = (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC;
  sandbox_stop (&sandbox);
  return opt_events / seconds;
}

/* ------------------------------------------------------------------ */

static GArray *
parse_list (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, ",", -1);
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (g_strstrip (words[i]), 10, 1, 1000, &n, NULL))
        {
          g_printerr ("bench-egress: “%s” is not a number from 1 to 1000\n", words[i]);
          exit (2);
        }
      g_array_append_val (numbers, n);
    }
  return numbers;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— egress throughput against the sandbox");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sizes = NULL;
  g_autoptr(GArray) concurrencies = NULL;
  struct rusage usage;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-egress: %s\n", error->message);
      return 2;
    }
  if (opt_sandbox == NULL || opt_events < 1 || opt_contacts < 1 || opt_latency_ms < 0)
    {
      g_printerr ("bench-egress: --sandbox PATH is required (and counts must be positive)\n");
      return 2;
    }
  sizes = parse_list (opt_batch_sizes ? opt_batch_sizes : "10,50,100,200,500,1000");
  concurrencies = parse_list (opt_concurrency ? opt_concurrency : "2");

  for (guint c = 0; c < concurrencies->len; c++)
    for (guint b = 0; b < sizes->len; b++)
      {
        guint size = g_array_index (sizes, guint, b);
        guint concurrency = g_array_index (concurrencies, guint, c);

        double workflow = measure_workflow (size, concurrency);

        if (opt_no_raw)
          g_print ("concurrency %2u  batch %4u  workflow %8.0f events/s\n",
                   concurrency, size, workflow);
        else
          {
            double raw = measure_raw (size, concurrency);

            g_print ("concurrency %2u  batch %4u  workflow %8.0f events/s  "
                     "sandbox $batch %8.0f parts/s  (%3.0f %%)\n",
                     concurrency, size, workflow, raw, 100.0 * workflow / raw);
          }
      }

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS of the engine's process: %ld MiB\n", usage.ru_maxrss / 1024);
  return 0;
}
