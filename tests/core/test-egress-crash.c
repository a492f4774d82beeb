/* test-egress-crash.c — kill -9 in the middle of an egress run: a helper
 * process (workflow-crash-helper) runs the engine against a standalone
 * campaign-connector-sandbox, is killed with SIGKILL once part of the
 * events are written, and is started again on the same database. Every
 * event must end up as exactly one row. */
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "cc-test-admin.h"
#include "cc-test-util.h"

#define DEADLINE 120

static const char * const entity_sets[] = {
  "new_emailsends", "new_emailopens", "new_emailclicks", "new_emailbounces",
};

static gint64
event_rows (const char *dv)
{
  g_autoptr(JsonNode) stats = cc_test_admin (dv, "GET", "/_sandbox/stats", NULL);
  JsonObject *tables = json_object_get_object_member (json_node_get_object (stats), "tables");
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entity_sets); i++)
    total += json_object_get_int_member (tables, entity_sets[i]);
  return total;
}

typedef struct
{
  const char *dv;
  gint64      rows;
  gint64      seen;
} RowsWait;

static gboolean
rows_reached (gpointer data)
{
  RowsWait *wait = data;

  wait->seen = event_rows (wait->dv);
  return wait->seen >= wait->rows;
}

/* The number of distinct event ids over all activity tables; fails the
 * test on a second row for one id. */
static guint
count_event_ids (const char *dv)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (entity_sets); i++)
    {
      g_autofree char *path = g_strconcat ("/_sandbox/tables/", entity_sets[i], NULL);
      g_autoptr(JsonNode) answer = cc_test_admin (dv, "GET", path, NULL);
      JsonArray *value = json_object_get_array_member (json_node_get_object (answer), "value");

      for (guint j = 0; j < json_array_get_length (value); j++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (value, j),
                                                          "new_campaigneventid");

          g_assert_nonnull (id);
          if (!g_hash_table_add (ids, g_strdup (id)))
            g_error ("event %s has more than one row", id);
        }
    }
  return g_hash_table_size (ids);
}

#define CRASH_EVENTS 6000

typedef struct
{
  GPid    pid;
  int     out;
} Child;

static char *
build_path (const char *relative)
{
  const char *build = g_getenv ("CC_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, relative, NULL);
}

static GPid
spawn (const char * const *argv,
       int                *out)
{
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return pid;
}

/* "<name> <url>" lines from the sandbox's standard output. */
static char *
read_url (GDataInputStream *lines,
          const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_autofree char *prefix = g_strconcat (name, " ", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  return g_strdup (line + strlen (prefix));
}

static int
wait_child (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static void
test_kill_mid_run (void)
{
  g_autofree char *sandbox = build_path ("src/sandbox/campaign-connector-sandbox");
  g_autofree char *helper = build_path ("tests/core/workflow-crash-helper");
  g_autofree char *dir = g_dir_make_tmp ("cc-egress-crash-XXXXXX", NULL);
  g_autofree char *events = g_strdup_printf ("%d", CRASH_EVENTS);
  const char *sandbox_argv[] = { sandbox, "--dataverse-port", "0", "--campaign-port", "0",
                                 "--contacts", "300", "--events", events, NULL };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *dv = NULL;
  g_autofree char *acs = NULL;
  RowsWait wait = { NULL, 0, 0 };
  GPid sandbox_pid, helper_pid;
  int out, status;

  g_assert_nonnull (dir);
  sandbox_pid = spawn (sandbox_argv, &out);
  stream = g_unix_input_stream_new (out, TRUE);
  lines = g_data_input_stream_new (stream);
  dv = read_url (lines, "dataverse");
  acs = read_url (lines, "campaign");
  wait.dv = dv;

  {
    const char *argv[] = { helper, "egress",
                           "{ \"poll-interval\": 1, \"batch-size\": 50, \"write-concurrency\": 2,"
                           "  \"journal-limit\": 100 }",
                           dv, acs, dir, NULL };

    /* First run: killed without warning once a part is written. */
    helper_pid = spawn (argv, NULL);
    wait.rows = CRASH_EVENTS / 4;
    g_assert_true (cc_test_wait_until (rows_reached, &wait, DEADLINE));
    g_assert_cmpint (kill (helper_pid, SIGKILL), ==, 0);
    status = wait_child (helper_pid);
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
    g_assert_cmpint (event_rows (dv), <, CRASH_EVENTS);

    /* Second run: resumes from the committed position and finishes. */
    helper_pid = spawn (argv, NULL);
    wait.rows = CRASH_EVENTS;
    if (!cc_test_wait_until (rows_reached, &wait, DEADLINE))
      g_error ("%" G_GINT64_FORMAT " rows after the restart, expected %d", wait.seen, CRASH_EVENTS);
    g_assert_cmpint (kill (helper_pid, SIGTERM), ==, 0);
    status = wait_child (helper_pid);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  }

  /* Exactly one row per event. */
  g_assert_cmpuint (count_event_ids (dv), ==, CRASH_EVENTS);
  g_assert_cmpint (event_rows (dv), ==, CRASH_EVENTS);

  kill (sandbox_pid, SIGTERM);
  status = wait_child (sandbox_pid);
  g_assert_true (WIFEXITED (status));

  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/egress/kill-mid-run", test_kill_mid_run);

  return g_test_run ();
}
