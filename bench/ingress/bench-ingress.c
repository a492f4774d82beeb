/* bench-ingress.c — the ingress workflow's throughput and peak memory,
 * and the Campaign API calls it spends per record.
 *
 * Runs the engine's real "Dynamics 365 to Campaign" workflow in this
 * process against a sandbox in another process (bench/ingress/run.sh
 * starts it), until every contact is written, and prints one line of
 * JSON: records, seconds, records per second, and the peak RSS and the
 * engine's CPU time (user + system, every thread) per record of the first
 * load (from the start of the process to its last record: the changes
 * after it are the benchmark's own calls of the sandbox's admin API, in
 * this process too), and the Campaign API calls per
 * record that the sandbox counted for the first load. With
 * --updates N it then changes N contacts in Dynamics 365 and waits until
 * they are written again: the calls per record of updates. With
 * --max-calls-per-second N the connection's cap is N, and the line says
 * what share of it the first load used. With --latency-ms N (the
 * sandbox's own added latency) it says what share of the ceiling
 * concurrency / latency the first load reached while it wrote (from a
 * tenth of the records written to nine tenths). Every line gives the most
 * threads the process had, and the engine's CPU time per record over that
 * same stretch of the first load (engine_cpu_us_per_record_steady), which
 * leaves out what a run costs whatever its size. */
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cc-engine.h"
#include "cc-sandbox-seed.h"

/* One call to a sandbox's admin API; the answer, parsed. */
static JsonNode *
admin (SoupSession *session,
       const char  *base,
       const char  *method,
       const char  *path,
       const char  *body)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  /* (g_assert() is compiled out of the release build the benchmark uses.) */
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL || soup_message_get_status (msg) >= 300)
    {
      g_printerr ("bench-ingress: %s %s: %s\n", method, path,
                  error ? error->message : soup_message_get_reason_phrase (msg));
      exit (1);
    }
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  node = json_from_string (text, &error);
  if (node == NULL)
    {
      g_printerr ("bench-ingress: %s %s: %s: %s\n", method, path, error->message, text);
      exit (1);
    }
  return node;
}

/* The Campaign API calls the sandbox has counted so far, and (@seconds,
 * may be NULL) the time from the first to the last. */
static gint64
campaign_calls (SoupSession *session,
                const char  *campaign,
                double      *seconds)
{
  g_autoptr(JsonNode) calls = admin (session, campaign, "GET", "/_sandbox/calls", NULL);
  JsonObject *object = json_node_get_object (calls);

  if (seconds != NULL)
    *seconds = json_object_get_double_member (object, "seconds");
  return json_object_get_int_member (object, "count");
}

/* The threads of this process now. */
static guint
count_threads (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "\nThreads:")) == NULL)
    return 0;
  return (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
}

/* The CPU time (user + system, every thread) of this process so far, µs. */
static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* A point of a run: when, the CPU time so far, and the records done;
 * us 0: not reached. */
typedef struct
{
  gint64  us;
  gint64  cpu_us;
  guint64 done;
} Mark;

static void
mark (Mark    *m,
      guint64  done)
{
  m->us = g_get_monotonic_time ();
  m->cpu_us = cpu_us ();
  m->done = done;
}

/* What wait_written() saw on the way. */
typedef struct
{
  guint most_threads;
  Mark  steady_from;   /* when a tenth of the target was written */
  Mark  steady_to;     /* when nine tenths were */
} Watch;

typedef struct
{
  GMainLoop *loop;
  gint64     target;
  Watch     *watch;
} Waiting;

static gint64
count_done (CcWorkflow *ingress)
{
  return (gint64) cc_workflow_get_written (ingress) + (gint64) cc_workflow_get_failed (ingress);
}

/* Notes where the workflow stands each time its counters change (the
 * engine samples them four times a second). */
static void
on_counters (CcWorkflow *ingress,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Waiting *waiting = user_data;
  Watch *watch = waiting->watch;
  gint64 done = count_done (ingress);

  watch->most_threads = MAX (watch->most_threads, count_threads ());
  if (watch->steady_from.us == 0 && done >= waiting->target / 10)
    mark (&watch->steady_from, (guint64) done);
  if (watch->steady_to.us == 0 && done >= waiting->target - waiting->target / 10)
    mark (&watch->steady_to, (guint64) done);
  if (cc_workflow_get_status (ingress) == CC_WORKFLOW_FAILED)
    {
      g_printerr ("bench-ingress: failed: %s\n", cc_workflow_get_last_error (ingress));
      exit (1);
    }
  if (done >= waiting->target)
    g_main_loop_quit (waiting->loop);
}

/* Runs the main loop until the workflow has written @target records (or
 * fails: then exits). It waits for the workflow's notifications rather
 * than look every few milliseconds: a timer of the benchmark's own would
 * wake this process, and count as the engine's CPU, 50 times a second —
 * at 80 records a second, as much as a good part of a record's cost. */
static void
wait_written (CcWorkflow *ingress,
              GMainLoop  *loop,
              gint64      target,
              Watch      *watch)
{
  Waiting waiting = { loop, target, watch };
  gulong handlers[3];

  handlers[0] = g_signal_connect (ingress, "notify::written", G_CALLBACK (on_counters), &waiting);
  handlers[1] = g_signal_connect (ingress, "notify::failed", G_CALLBACK (on_counters), &waiting);
  handlers[2] = g_signal_connect (ingress, "notify::status", G_CALLBACK (on_counters), &waiting);
  on_counters (ingress, NULL, &waiting);
  if (count_done (ingress) < target)
    g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (ingress, handlers[i]);
  /* Written counts whole leases at a time: a short run may pass nine
   * tenths only with its last lease. */
  if (watch->steady_to.us == 0 && watch->steady_from.us != 0)
    mark (&watch->steady_to, (guint64) count_done (ingress));
}

/* The sandbox's --seed as run.sh starts it (its default): the seeded
 * contacts, and so their ids, follow from it. */
#define SANDBOX_SEED 1

/* Changes the last name of the first @n seeded contacts. Their ids come
 * from the seed: reading them from the sandbox would parse every contact
 * in this process, the engine's, and count that against its peak memory
 * and its CPU per record (4.3 GiB at a million contacts). */
static gint64
change_contacts (SoupSession *session,
                 const char  *dataverse,
                 gint64       n)
{
  for (gint64 i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (SANDBOX_SEED, (guint) i);
      g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s",
                                               json_object_get_string_member (contact, "contactid"));
      g_autofree char *body = g_strdup_printf ("{\"lastname\": \"Changed %" G_GINT64_FORMAT "\"}", i);
      g_autoptr(JsonNode) row = admin (session, dataverse, "PATCH", path, body);
    }
  return n;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— ingress benchmark");
  g_autofree char *dataverse = NULL;
  g_autofree char *campaign = NULL;
  gint64 contacts = 100000;
  gint64 updates = 0;
  int concurrency = 8;
  int cap = 0;
  int latency_ms = 0;
  Watch watch = { 0 };
  const GOptionEntry entries[] = {
    { "dataverse", 0, 0, G_OPTION_ARG_STRING, &dataverse, "Dataverse URL of the sandbox", "URL" },
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, "Campaign URL of the sandbox", "URL" },
    { "contacts", 0, 0, G_OPTION_ARG_INT64, &contacts, "Contacts to expect", "N" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Write concurrency", "N" },
    { "updates", 0, 0, G_OPTION_ARG_INT64, &updates, "Contacts to change after the first load", "N" },
    { "max-calls-per-second", 0, 0, G_OPTION_ARG_INT, &cap, "Campaign's cap of calls per second", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "The sandbox's added latency", "MS" },
    { NULL },
  };
  g_autoptr(SoupSession) session = soup_session_new ();
  gint64 first_calls, update_calls = 0, changed = 0;
  double calls_seconds;
  guint64 first_written;
  g_autofree char *dir = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  CcWorkflow *ingress;
  struct rusage usage;
  gint64 start, end, first_cpu_us;
  double seconds;

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
  if (cap > 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", cap);
      g_autoptr(GVariant) settings = g_variant_ref_sink (
        g_variant_new_parsed ("{'max-calls-per-second': <%s>}", text));

      if (!cc_engine_set_connection (engine, "campaign", settings, &error))
        {
          g_printerr ("bench-ingress: %s\n", error->message);
          return 2;
        }
    }
  json_node_unref (admin (session, campaign, "DELETE", "/_sandbox/calls", NULL));

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
  wait_written (ingress, loop, contacts, &watch);
  end = g_get_monotonic_time ();
  seconds = (double) (end - start) / G_USEC_PER_SEC;
  first_cpu_us = cpu_us ();
  getrusage (RUSAGE_SELF, &usage);
  first_calls = campaign_calls (session, campaign, &calls_seconds);
  first_written = cc_workflow_get_written (ingress);

  if (updates > 0)
    {
      changed = change_contacts (session, dataverse, updates);
      wait_written (ingress, loop, contacts + changed, &watch);
      update_calls = campaign_calls (session, campaign, NULL) - first_calls;
    }

  cc_workflow_stop (ingress);
  cc_workflow_wait_stopped (ingress);

  g_print ("{\"records\": %" G_GUINT64_FORMAT ", \"failed\": %" G_GUINT64_FORMAT
           ", \"seconds\": %.2f, \"records_per_second\": %.0f, \"peak_rss_kib\": %ld"
           ", \"engine_cpu_us_per_record\": %.0f"
           ", \"campaign_calls_per_record_first_load\": %.3f",
           first_written, cc_workflow_get_failed (ingress), seconds,
           (double) first_written / seconds, usage.ru_maxrss,
           (double) first_cpu_us / MAX (1, (double) contacts),
           (double) first_calls / MAX (1, (double) contacts));
  if (changed > 0)
    g_print (", \"updates\": %" G_GINT64_FORMAT ", \"campaign_calls_per_record_update\": %.3f",
             changed, (double) update_calls / (double) changed);
  /* The pace while there was work: from the first call to the last, as
   * the sandbox saw them (Starting and the first page read come before). */
  if (cap > 0)
    g_print (", \"max_calls_per_second\": %d, \"calls_per_second\": %.1f"
             ", \"share_of_cap\": %.3f",
             cap, (double) (first_calls - 1) / calls_seconds,
             (double) (first_calls - 1) / calls_seconds / cap);
  /* The same from a tenth of the records written to nine tenths: without
   * what a run costs whatever its size (starting, the first page, the
   * schema, the last lease), which a short run spreads over few records. */
  if (watch.steady_to.done > watch.steady_from.done)
    g_print (", \"engine_cpu_us_per_record_steady\": %.0f",
             (double) (watch.steady_to.cpu_us - watch.steady_from.cpu_us)
             / (double) (watch.steady_to.done - watch.steady_from.done));
  if (latency_ms > 0 && watch.steady_to.us > watch.steady_from.us)
    {
      double ceiling = concurrency * 1000.0 / latency_ms;
      double steady = (double) (watch.steady_to.done - watch.steady_from.done) * G_USEC_PER_SEC
                      / (double) (watch.steady_to.us - watch.steady_from.us);

      g_print (", \"latency_ms\": %d, \"steady_records_per_second\": %.0f"
               ", \"ceiling_records_per_second\": %.0f, \"share_of_ceiling\": %.3f",
               latency_ms, steady, ceiling, steady / ceiling);
    }
  g_print (", \"peak_threads\": %u}\n", watch.most_threads);

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
