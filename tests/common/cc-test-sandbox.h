/* cc-test-sandbox.h — campaign-connector-sandbox as a process of its own,
 * for tests whose engine must die while the data it wrote lives on; and
 * that engine, a process too. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *dataverse;   /* URLs, as the sandbox printed them */
  char        *campaign;
} CcTestSandbox;

/* Starts $CC_BUILD_DIR/src/sandbox/campaign-connector-sandbox on free
 * loopback ports with @args (NULL-terminated, may be NULL) after the port
 * options, and waits until it has printed both URLs. */
CcTestSandbox *cc_test_sandbox_spawn (const char * const *args);
/* The same, for a test that times the calls where they arrive: the
 * sandbox's threads run ahead of every other thread of the machine
 * (SCHED_FIFO, where that is allowed, else a higher priority where that
 * is), so that a machine busy with other work cannot stall them and bunch
 * up the calls they stamp. */
CcTestSandbox *cc_test_sandbox_spawn_prompt (const char * const *args);
/* Starts $CC_BUILD_DIR/tests/core/workflow-crash-helper: an engine of
 * its own that runs @workflow with @config (JSON text) against @sandbox,
 * with its configuration file and database in @dir, until SIGTERM (it
 * then stops the workflow cleanly) or SIGKILL. */
GSubprocess   *cc_test_sandbox_run_workflow (CcTestSandbox *sandbox,
                                             const char    *workflow,
                                             const char    *config,
                                             const char    *dir);
/* Ends it with SIGTERM, waits for it and frees. */
void           cc_test_sandbox_free  (CcTestSandbox      *sandbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTestSandbox, cc_test_sandbox_free)

G_END_DECLS
