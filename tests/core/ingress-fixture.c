/* ingress-fixture.c — shared set-up of the engine tests. */
#include <glib/gstdio.h>

#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "ingress-fixture.h"

void
engine_fixture_setup (EngineFixture *fixture,
                      guint          contacts,
                      guint          memberships)
{
  engine_fixture_setup_without (fixture, contacts, memberships, NULL);
}

void
engine_fixture_setup_without (EngineFixture      *fixture,
                              guint               contacts,
                              guint               memberships,
                              const char * const *without)
{
  CcSandboxOptions options;

  cc_sandbox_options_init (&options);
  options.contacts = contacts;
  options.memberships = memberships;
  options.without = (char **) without;
  engine_fixture_setup_with (fixture, &options);
}

void
engine_fixture_setup_with (EngineFixture          *fixture,
                           const CcSandboxOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;

  fixture->dir = g_dir_make_tmp ("cc-engine-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->sandbox = cc_sandbox_new (options);
  g_assert_true (cc_sandbox_start (fixture->sandbox, &error));
  g_assert_no_error (error);
  fixture->dv = cc_sandbox_get_dataverse_url (fixture->sandbox);
  fixture->acs = cc_sandbox_get_campaign_url (fixture->sandbox);

  config = g_build_filename (fixture->dir, "config.json", NULL);
  state = g_build_filename (fixture->dir, "state.db", NULL);
  fixture->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (fixture->engine, fixture->dv, fixture->acs);
}

void
engine_fixture_teardown (EngineFixture *fixture)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->engine);
  cc_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

void
engine_fixture_restart (EngineFixture *fixture,
                        gboolean       clean)
{
  g_autofree char *config = g_build_filename (fixture->dir, "config.json", NULL);
  g_autofree char *state = g_build_filename (fixture->dir, "state.db", NULL);
  g_autoptr(GError) error = NULL;

  if (clean)
    cc_engine_shutdown (fixture->engine);
  g_clear_object (&fixture->engine);
  fixture->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (fixture->engine, fixture->dv, fixture->acs);
}

void
engine_fixture_configure (EngineFixture *fixture,
                          const char    *workflow_id,
                          const char    *json)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, workflow_id);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (workflow);
  g_assert_true (cc_workflow_set_config (workflow, json, &error));
  g_assert_no_error (error);
}

typedef struct
{
  CcWorkflow       *workflow;
  CcWorkflowStatus  status;
  GThread          *main_thread;
  gboolean          off_main;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;

  return cc_workflow_get_status (wait->workflow) == wait->status;
}

/* A workflow changes only on the main thread; a worker that changed it
 * would race with everything listening (and with the wait itself). */
static void
on_status (CcWorkflow *workflow,
           GParamSpec *pspec,
           StatusWait *wait)
{
  if (g_thread_self () != wait->main_thread)
    wait->off_main = TRUE;
}

void
engine_fixture_wait_status (CcWorkflow       *workflow,
                            CcWorkflowStatus  status,
                            guint             timeout_s)
{
  StatusWait wait = { workflow, status, g_thread_self (), FALSE };
  gulong handler = g_signal_connect (workflow, "notify::status", G_CALLBACK (on_status), &wait);
  gboolean reached = cc_test_wait_until (has_status, &wait, timeout_s);

  g_signal_handler_disconnect (workflow, handler);
  g_assert_false (wait.off_main);
  if (!reached)
    g_error ("workflow %s is %s (last error: %s), expected %s",
             cc_workflow_get_id (workflow),
             cc_workflow_status_to_string (cc_workflow_get_status (workflow)),
             cc_workflow_get_last_error (workflow), cc_workflow_status_to_string (status));
}

void
engine_fixture_start (CcWorkflow *workflow,
                      guint       timeout_s)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cc_workflow_start (workflow, &error));
  g_assert_no_error (error);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_RUNNING, timeout_s);
}

void
engine_fixture_stop (CcWorkflow *workflow)
{
  cc_workflow_stop (workflow);
  cc_workflow_wait_stopped (workflow);
  g_assert_cmpint (cc_workflow_get_status (workflow), ==, CC_WORKFLOW_STOPPED);
}

typedef struct
{
  CcWorkflow *workflow;
  CcStore    *store;
  const char *base_url;
  const char *path;
  gint64      count;
  gint64      seen;
} SyncWait;

static gboolean
is_synced (gpointer data)
{
  SyncWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  wait->seen = cc_test_admin_count (wait->base_url, wait->path, NULL);
  /* The backlog as the workflow shows it is sampled: it reads 0 until
   * the first sample after the first page was queued. The database's
   * own count tells that the last record written is also settled. */
  return wait->seen == wait->count && cc_workflow_get_backlog (wait->workflow) == 0
         && cc_store_count_backlog (wait->store, cc_workflow_get_id (wait->workflow), NULL) == 0;
}

void
engine_fixture_wait_synced (EngineFixture *fixture,
                            CcWorkflow    *workflow,
                            const char    *base_url,
                            const char    *path,
                            gint64         count,
                            guint          timeout_s)
{
  SyncWait wait = { workflow, cc_engine_get_store (fixture->engine), base_url, path, count, -1 };

  if (!cc_test_wait_until (is_synced, &wait, timeout_s))
    g_error ("%s: %" G_GINT64_FORMAT " records, backlog %" G_GUINT64_FORMAT
             "; expected %" G_GINT64_FORMAT " and an empty backlog",
             path, wait.seen, cc_workflow_get_backlog (workflow), count);
}
