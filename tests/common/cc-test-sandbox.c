/* cc-test-sandbox.c — the standalone sandbox as a subprocess, and an
 * engine that works against it. */
#include "cc-test-sandbox.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* "<name> <url>": the value of the line that starts with @name. */
static void
read_url (CcTestSandbox *sandbox,
          const char    *line)
{
  if (g_str_has_prefix (line, "dataverse "))
    sandbox->dataverse = g_strdup (line + strlen ("dataverse "));
  else if (g_str_has_prefix (line, "campaign "))
    sandbox->campaign = g_strdup (line + strlen ("campaign "));
}

/* A test that fails ends at once; its sandbox and engine must not outlive
 * it (they would keep the test's output open, and meson would wait for
 * them). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Runs in the child between fork and exec: only async-signal-safe calls.
 * What is not allowed fails, and the sandbox runs as it would. */
static void
die_with_parent_promptly (gpointer user_data)
{
  struct sched_param param = { .sched_priority = 1 };

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (sched_setscheduler (0, SCHED_FIFO, &param) != 0)
    setpriority (PRIO_PROCESS, 0, -10);
}

static CcTestSandbox *
spawn (const char * const *args,
       GSpawnChildSetupFunc child_setup)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  CcTestSandbox *sandbox = g_new0 (CcTestSandbox, 1);
  const char *build = g_getenv ("CC_BUILD_DIR");

  g_assert_nonnull (build);
  g_ptr_array_add (argv, g_build_filename (build, "src", "sandbox",
                                           "campaign-connector-sandbox", NULL));
  g_ptr_array_add (argv, g_strdup ("--dataverse-port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--campaign-port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  sandbox->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                   &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sandbox->process));
  while (sandbox->dataverse == NULL || sandbox->campaign == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("campaign-connector-sandbox ended before it printed its URLs");
      read_url (sandbox, line);
    }
  return sandbox;
}

CcTestSandbox *
cc_test_sandbox_spawn (const char * const *args)
{
  return spawn (args, die_with_parent);
}

CcTestSandbox *
cc_test_sandbox_spawn_prompt (const char * const *args)
{
  return spawn (args, die_with_parent_promptly);
}

GSubprocess *
cc_test_sandbox_run_workflow (CcTestSandbox *sandbox,
                              const char    *workflow,
                              const char    *config,
                              const char    *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *helper = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *engine;

  g_assert_nonnull (g_getenv ("CC_BUILD_DIR"));
  helper = g_build_filename (g_getenv ("CC_BUILD_DIR"), "tests", "core", "workflow-crash-helper",
                             NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  engine = g_subprocess_launcher_spawn (launcher, &error, helper, workflow, config,
                                        sandbox->dataverse, sandbox->campaign, dir, NULL);
  g_assert_no_error (error);
  return engine;
}

void
cc_test_sandbox_free (CcTestSandbox *sandbox)
{
  if (sandbox == NULL)
    return;
  g_subprocess_send_signal (sandbox->process, SIGTERM);
  g_subprocess_wait (sandbox->process, NULL, NULL);
  g_object_unref (sandbox->process);
  g_free (sandbox->dataverse);
  g_free (sandbox->campaign);
  g_free (sandbox);
}
