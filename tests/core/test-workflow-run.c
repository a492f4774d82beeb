/* test-workflow-run.c — the run every workflow kind shares: each run has
 * a supervisor thread of its own, not a slot of GLib's shared GTask pool,
 * and that thread is gone once the run has ended.
 *
 * The workflows here are of a probe kind that moves nothing. The shared
 * run asks a kind how many workers it needs from the supervisor thread,
 * so that is where the probe notes the thread it is on: its id, and the
 * name it gave itself. Looked at from outside, the supervisor cannot be
 * told apart reliably: on Linux a thread it has just started carries the
 * supervisor's name until it names itself.
 */
#define _GNU_SOURCE   /* gettid () */
#include <unistd.h>

#include <glib/gstdio.h>

#include "cc-test-util.h"
#include "ingress-fixture.h"

#define DEADLINE 60
#define N_PROBES 3

typedef struct
{
  char     *name;   /* the thread's own name, as the kernel keeps it */
  pid_t     tid;
  gboolean  main;   /* the main thread? */
} Sighting;

static GMutex     sightings_lock;
static GPtrArray *sightings;
static GThread   *main_thread;

static void
sighting_free (Sighting *sighting)
{
  g_free (sighting->name);
  g_free (sighting);
}

/* --- the probe kind ------------------------------------------------------ */

static JsonNode *
probe_default_config (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

static gpointer
probe_parse (JsonNode  *config,
             GError   **error)
{
  return json_node_copy (config);
}

static JsonNode *
probe_to_json (gconstpointer config)
{
  return json_node_copy ((JsonNode *) config);
}

/* Called on the run's supervisor thread: notes it, and asks for no
 * worker, so the run is Running until stopped without connecting to
 * anything. */
static guint
probe_count_workers (gconstpointer config)
{
  Sighting *sighting = g_new0 (Sighting, 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents ("/proc/thread-self/comm", &sighting->name, NULL, &error));
  g_assert_no_error (error);
  g_strchomp (sighting->name);
  sighting->tid = gettid ();
  sighting->main = g_thread_self () == main_thread;

  g_mutex_lock (&sightings_lock);
  g_ptr_array_add (sightings, sighting);
  g_mutex_unlock (&sightings_lock);
  return 0;
}

static const CcWorkflowKind probe_kind = {
  .title = "Probe",
  .subtitle = "Moves nothing",
  .default_config = probe_default_config,
  .parse = probe_parse,
  .to_json = probe_to_json,
  .free_config = (GDestroyNotify) json_node_unref,
  .count_workers = probe_count_workers,
};

/* --- the fixture: probe workflows on a state database of their own ------- */

typedef struct
{
  char           *dir;
  char           *state_path;
  CcConfig       *config;
  CcStore        *store;
  CcWorkflowKind  kinds[N_PROBES];
  char           *ids[N_PROBES];
  CcWorkflow     *workflows[N_PROBES];
} RunFixture;

/* The probe connects to nothing: the run needs no connection settings. */
static void
fill_no_connections (gpointer    host,
                     CcRunSetup *setup)
{
}

static void
run_fixture_setup (RunFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;

  fixture->dir = g_dir_make_tmp ("cc-run-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->state_path = g_build_filename (fixture->dir, "state.db", NULL);
  config_path = g_build_filename (fixture->dir, "config.json", NULL);
  fixture->config = cc_config_load (config_path, &error);
  g_assert_no_error (error);
  fixture->store = cc_store_open (fixture->state_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_PROBES; i++)
    {
      const CcWorkflowHost host = {
        .config = fixture->config,
        .store = fixture->store,
        .state_path = fixture->state_path,
        .fill_setup = fill_no_connections,
      };

      fixture->ids[i] = g_strdup_printf ("probe%u", i);
      fixture->kinds[i] = probe_kind;
      fixture->kinds[i].id = fixture->ids[i];
      fixture->workflows[i] = cc_workflow_new (&fixture->kinds[i], &host);
    }

  main_thread = g_thread_self ();
  sightings = g_ptr_array_new_with_free_func ((GDestroyNotify) sighting_free);
}

static const char * const files[] = { "config.json", "state.db", "state.db-wal", "state.db-shm" };

static void
run_fixture_teardown (RunFixture    *fixture,
                      gconstpointer  data)
{
  for (guint i = 0; i < N_PROBES; i++)
    {
      g_clear_object (&fixture->workflows[i]);
      g_clear_pointer (&fixture->ids[i], g_free);
    }
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->config);
  g_clear_pointer (&sightings, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, files[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->state_path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* --- what is checked ----------------------------------------------------- */

static guint
count_sightings (void)
{
  guint n;

  g_mutex_lock (&sightings_lock);
  n = sightings->len;
  g_mutex_unlock (&sightings_lock);
  return n;
}

static Sighting *
sighting_at (guint index)
{
  Sighting *sighting;

  g_mutex_lock (&sightings_lock);
  g_assert_cmpuint (index, <, sightings->len);
  sighting = g_ptr_array_index (sightings, index);
  g_mutex_unlock (&sightings_lock);
  return sighting;
}

static gboolean
thread_alive (pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d", (int) tid);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
thread_gone (gpointer tid)
{
  return !thread_alive ((pid_t) GPOINTER_TO_INT (tid));
}

/* @sighting was made on a thread the workflow started for its run: named
 * after it, which neither the main thread nor a GTask pool thread
 * ("pool-…") is. */
static void
assert_supervisor (const Sighting *sighting,
                   CcWorkflow     *workflow)
{
  g_autofree char *name = g_strdup_printf ("cc-%s-run", cc_workflow_get_id (workflow));

  g_assert_false (sighting->main);
  g_assert_cmpstr (sighting->name, ==, name);
}

static void
test_supervisor_thread (RunFixture    *fixture,
                        gconstpointer  data)
{
  for (guint i = 0; i < N_PROBES; i++)
    engine_fixture_start (fixture->workflows[i], DEADLINE);

  /* All three running at once: a live supervisor each, three threads. */
  g_assert_cmpuint (count_sightings (), ==, N_PROBES);
  for (guint i = 0; i < N_PROBES; i++)
    {
      Sighting *sighting = sighting_at (i);

      assert_supervisor (sighting, fixture->workflows[i]);
      g_assert_true (thread_alive (sighting->tid));
      for (guint j = 0; j < i; j++)
        g_assert_cmpint (sighting->tid, !=, sighting_at (j)->tid);
    }

  for (guint i = 0; i < N_PROBES; i++)
    engine_fixture_stop (fixture->workflows[i]);
  /* Joined before the workflow is Stopped; the kernel lets go of the
   * thread just after that (a pool thread would stay for the next job). */
  for (guint i = 0; i < N_PROBES; i++)
    g_assert_true (cc_test_wait_until (thread_gone, GINT_TO_POINTER (sighting_at (i)->tid),
                                       DEADLINE));
}

/* A second run of a workflow gets a supervisor of its own again. */
static void
test_supervisor_per_run (RunFixture    *fixture,
                         gconstpointer  data)
{
  CcWorkflow *workflow = fixture->workflows[0];

  for (guint run = 0; run < 2; run++)
    {
      engine_fixture_start (workflow, DEADLINE);
      g_assert_cmpuint (count_sightings (), ==, run + 1);
      assert_supervisor (sighting_at (run), workflow);
      engine_fixture_stop (workflow);
      g_assert_true (cc_test_wait_until (thread_gone, GINT_TO_POINTER (sighting_at (run)->tid),
                                         DEADLINE));
    }
  g_assert_cmpint (sighting_at (0)->tid, !=, sighting_at (1)->tid);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/workflow-run/supervisor-thread", RunFixture, NULL,
              run_fixture_setup, test_supervisor_thread, run_fixture_teardown);
  g_test_add ("/workflow-run/supervisor-per-run", RunFixture, NULL,
              run_fixture_setup, test_supervisor_per_run, run_fixture_teardown);

  return g_test_run ();
}
