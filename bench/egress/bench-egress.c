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
 * With --max-requests N the sandbox enforces its per-user request limit
 * instead (N per --window seconds, for each application user), and for
 * each count of --users the workflow runs for --windows whole windows
 * with that many application users: the events written in that span per
 * second, and the share of the users' allowance it used (requests the
 * sandbox admitted ÷ N × windows × users). No raw rate in this mode.
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
static int opt_max_requests = 0;
static int opt_window = 10;
static int opt_windows = 3;
static char *opt_users = NULL;

static const GOptionEntry entries[] = {
  { "sandbox", 0, 0, G_OPTION_ARG_FILENAME, &opt_sandbox, "The campaign-connector-sandbox to run", "PATH" },
  { "events", 'n', 0, G_OPTION_ARG_INT, &opt_events, "Journal events (default 200000)", "N" },
  { "contacts", 0, 0, G_OPTION_ARG_INT, &opt_contacts, "Seeded contacts (default 10000)", "N" },
  { "batch-sizes", 'b', 0, G_OPTION_ARG_STRING, &opt_batch_sizes, "Batch sizes to try (default 10,50,100,200,500,1000)", "LIST" },
  { "concurrency", 'c', 0, G_OPTION_ARG_STRING, &opt_concurrency, "Write concurrencies to try (default 2)", "LIST" },
  { "no-raw", 0, 0, G_OPTION_ARG_NONE, &opt_no_raw, "Do not measure the sandbox's raw $batch rate", NULL },
  { "latency-ms", 0, 0, G_OPTION_ARG_INT, &opt_latency_ms, "Added to every request by the sandbox (default 0)", "MS" },
  { "max-requests", 0, 0, G_OPTION_ARG_INT, &opt_max_requests, "Quota mode: Dataverse requests allowed per user and window", "N" },
  { "window", 0, 0, G_OPTION_ARG_INT, &opt_window, "Quota mode: the window's length, 5 or more (default 10)", "SECONDS" },
  { "windows", 0, 0, G_OPTION_ARG_INT, &opt_windows, "Quota mode: whole windows measured (default 3)", "N" },
  { "users", 0, 0, G_OPTION_ARG_STRING, &opt_users, "Quota mode: application user counts to try (default 1,2)", "LIST" },
  { NULL }
};

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

/* Appends a number to the sandbox's command line @argv; @strings keeps it. */
static void
add_number (GPtrArray *argv,
            GPtrArray *strings,
            gint64     value)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  g_ptr_array_add (strings, text);
  g_ptr_array_add (argv, text);
}

static void
sandbox_start (Sandbox *sandbox)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  int out;

  g_ptr_array_add (argv, opt_sandbox);
  g_ptr_array_add (argv, "--dataverse-port=0");
  g_ptr_array_add (argv, "--campaign-port=0");
  g_ptr_array_add (argv, "--memberships=0");
  g_ptr_array_add (argv, "--contacts");
  add_number (argv, strings, opt_contacts);
  g_ptr_array_add (argv, "--events");
  add_number (argv, strings, opt_events);
  g_ptr_array_add (argv, "--latency-ms");
  add_number (argv, strings, opt_latency_ms);
  /* Service protection off the path, unless it is what is measured:
   * otherwise the benchmark measures the workflow, not the limits the
   * emulator enforces. */
  g_ptr_array_add (argv, "--max-requests");
  add_number (argv, strings, opt_max_requests > 0 ? opt_max_requests : 2000000000);
  g_ptr_array_add (argv, "--window");
  add_number (argv, strings, opt_window);
  if (opt_max_requests == 0)
    g_ptr_array_add (argv, "--max-concurrent=100000");
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
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
  Sandbox      sandbox;
  char        *dir;
  CcEngine    *engine;
  CcWorkflow  *workflow;
  GMainLoop   *loop;
  SoupSession *session;      /* for the sandbox's admin API */
  gint64       clicked;      /* Start, monotonic µs */
  gint64       started;      /* Running */
  gint64       deadline;     /* quota mode: the end of the last window */
  gint64       done;
} Run;

/* Another application user of the sandbox's tenant (index @i, from 1),
 * known to both sides. */
static char *
add_user (Run  *run,
          guint i)
{
  g_autofree char *url = g_strconcat (run->sandbox.dataverse, "/_sandbox/users", NULL);
  g_autofree char *client_id = g_strdup_printf ("bench-user-%u", i + 1);
  g_autofree char *secret = g_strdup_printf ("bench-secret-%u", i + 1);
  g_autofree char *body = g_strdup_printf ("{\"client_id\": \"%s\", \"secret\": \"%s\"}",
                                           client_id, secret);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (run->session, msg, NULL, &error);
  if (answer == NULL || soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    g_error ("the sandbox did not add the application user %s", client_id);
  if (!cc_engine_add_dynamics_user (run->engine, client_id, secret, &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&client_id);
}

/* A fresh sandbox, and an engine with @users application users whose
 * egress workflow is set up and started. */
static void
run_begin (Run   *run,
           guint  batch_size,
           guint  concurrency,
           guint  users)
{
  g_autofree char *config_path = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;

  memset (run, 0, sizeof *run);
  run->dir = g_dir_make_tmp ("cc-bench-egress-XXXXXX", NULL);
  run->loop = g_main_loop_new (NULL, FALSE);
  run->session = soup_session_new ();
  config_path = g_build_filename (run->dir, "config.json", NULL);
  state_path = g_build_filename (run->dir, "state.db", NULL);
  sandbox_start (&run->sandbox);

  run->engine = cc_engine_new (config_path, state_path, &error);
  if (run->engine == NULL)
    g_error ("%s", error->message);
  cc_engine_use_sandbox (run->engine, run->sandbox.dataverse, run->sandbox.campaign);
  for (guint i = 1; i < users; i++)
    g_free (add_user (run, i));
  run->workflow = cc_engine_find_workflow (run->engine, "egress");
  config = g_strdup_printf ("{ \"batch-size\": %u, \"write-concurrency\": %u, "
                            "\"journal-limit\": 1000, \"poll-interval\": 1 }",
                            batch_size, concurrency);
  if (!cc_workflow_set_config (run->workflow, config, &error))
    g_error ("%s", error->message);

  run->clicked = g_get_monotonic_time ();
  if (!cc_workflow_start (run->workflow, &error))
    g_error ("%s", error->message);
}

static void
remove_tree (const char *dir)
{
  static const char * const names[] = { "config.json", "state.db", "state.db-wal", "state.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
run_end (Run *run)
{
  cc_workflow_stop (run->workflow);
  cc_workflow_wait_stopped (run->workflow);
  g_clear_object (&run->engine);
  sandbox_stop (&run->sandbox);
  remove_tree (run->dir);
  g_clear_pointer (&run->dir, g_free);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->session);
}

/* Polls until every event is a row or, in quota mode, the last window
 * has ended. */
static gboolean
on_poll (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (run->started == 0 && cc_workflow_get_status (run->workflow) == CC_WORKFLOW_RUNNING)
    run->started = now;
  if (cc_workflow_get_status (run->workflow) == CC_WORKFLOW_FAILED)
    g_error ("the workflow failed: %s", cc_workflow_get_last_error (run->workflow));
  if (run->deadline > 0 ? now >= run->deadline
                        : event_rows (run->session, run->sandbox.dataverse) >= opt_events)
    {
      run->done = now;
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
run_wait (Run *run)
{
  g_timeout_add (run->deadline > 0 ? 5 : 50, on_poll, run);
  g_main_loop_run (run->loop);
  g_debug ("Starting took %.2f s", (run->started - run->clicked) / (double) G_USEC_PER_SEC);
}

static double
measure_workflow (guint batch_size,
                  guint concurrency)
{
  Run run;
  double seconds;

  run_begin (&run, batch_size, concurrency, 1);
  run_wait (&run);
  seconds = (run.done - run.clicked) / (double) G_USEC_PER_SEC;
  run_end (&run);
  return opt_events / seconds;
}

/* ------------------------------------------------------------------ */
/* Under the per-user request limit                                    */

typedef struct
{
  double events_per_s;
  gint64 admitted;      /* requests the sandbox admitted, all users */
  gint64 throttled;     /* and refused with 429 */
  double share;         /* admitted ÷ allowed */
} Quota;

/* Prints each application user's requests as the sandbox counted them,
 * and adds them up in @quota. */
static void
count_requests (Run   *run,
                guint  users,
                Quota *quota)
{
  g_autofree char *url = g_strconcat (run->sandbox.dataverse, "/_sandbox/users", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (run->session, msg, NULL, NULL);
  g_autoptr(JsonNode) root = body ? json_from_string (g_bytes_get_data (body, NULL), NULL) : NULL;
  gint64 allowed = (gint64) opt_max_requests * opt_windows;
  JsonArray *list;

  if (root == NULL)
    g_error ("the sandbox did not list its application users");
  list = json_object_get_array_member (json_node_get_object (root), "users");
  for (guint i = 0; i < json_array_get_length (list) && i < users; i++)
    {
      JsonObject *user = json_array_get_object_element (list, i);
      gint64 admitted = json_object_get_int_member (user, "requests");
      gint64 throttled = json_object_get_int_member (user, "throttled");

      g_print ("  %-16s %6" G_GINT64_FORMAT " requests of %" G_GINT64_FORMAT
               " allowed (%5.1f %%), %" G_GINT64_FORMAT " refused with 429\n",
               json_object_get_string_member (user, "client_id"), admitted, allowed,
               100.0 * admitted / allowed, throttled);
      quota->admitted += admitted;
      quota->throttled += throttled;
    }
  quota->share = (double) quota->admitted / (allowed * users);
}

/* The workflow with @users application users for opt_windows whole
 * windows from Start: what it wrote, and how much of the users'
 * allowance it used. */
static Quota
measure_quota (guint batch_size,
               guint concurrency,
               guint users)
{
  Run run;
  Quota quota = { 0 };
  gint64 rows;
  double seconds;

  run_begin (&run, batch_size, concurrency, users);
  /* The sandbox counts whole seconds: a window it lets pass is between
   * window - 1 and window seconds long, and the (windows + 1)th could
   * begin up to a second early. Ending the span 1.5 s short of the last
   * window keeps it out, so that a client that used all it could has
   * used windows × the limit per user. */
  run.deadline = run.clicked + (gint64) (opt_windows * opt_window * 1000 - 1500) * 1000;
  run_wait (&run);
  rows = event_rows (run.session, run.sandbox.dataverse);
  seconds = (run.done - run.clicked) / (double) G_USEC_PER_SEC;
  quota.events_per_s = rows / seconds;
  g_print ("users %u  concurrency %u  batch %u  %" G_GINT64_FORMAT " events in %.1f s "
           "(%d windows of %d s): %.1f events/s\n", users, concurrency, batch_size, rows, seconds,
           opt_windows, opt_window, quota.events_per_s);
  count_requests (&run, users, &quota);
  g_print ("  quota used: %.1f %% of %u x %d x %d requests\n", 100.0 * quota.share, users,
           opt_max_requests, opt_windows);
  run_end (&run);
  return quota;
}

static void
quota_mode (GArray *sizes,
            GArray *concurrencies)
{
  g_autoptr(GArray) counts = parse_list (opt_users ? opt_users : "1,2");
  guint size = g_array_index (sizes, guint, 0);
  guint concurrency = g_array_index (concurrencies, guint, 0);
  guint most = 0;
  Quota first = { 0 };

  for (guint i = 0; i < counts->len; i++)
    most = MAX (most, g_array_index (counts, guint, i));
  /* As many events as the users' allowance could take, and a window
   * more: the journal never runs dry. */
  opt_events = most * opt_max_requests * (opt_windows + 1) * size;

  for (guint i = 0; i < counts->len; i++)
    {
      guint users = g_array_index (counts, guint, i);
      Quota quota = measure_quota (size, concurrency, users);

      if (i == 0)
        first = quota;
      else
        g_print ("%u users vs %u: %.2f x the events/s\n", users, g_array_index (counts, guint, 0),
                 quota.events_per_s / first.events_per_s);
    }
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
  if (opt_sandbox == NULL || opt_events < 1 || opt_contacts < 1 || opt_latency_ms < 0
      || opt_max_requests < 0 || opt_window < 5 || opt_windows < 1)
    {
      g_printerr ("bench-egress: --sandbox PATH is required (and counts must be positive)\n");
      return 2;
    }
  sizes = parse_list (opt_batch_sizes ? opt_batch_sizes : "10,50,100,200,500,1000");
  concurrencies = parse_list (opt_concurrency ? opt_concurrency : "2");
  if (opt_max_requests > 0)
    {
      quota_mode (sizes, concurrencies);
      return 0;
    }

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
