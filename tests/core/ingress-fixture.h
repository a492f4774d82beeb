/* ingress-fixture.h — an engine on an in-process sandbox, for engine tests. */
#pragma once

#include "cc-engine.h"
#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  char      *dir;
  CcSandbox *sandbox;
  CcEngine  *engine;
  const char *dv;      /* sandbox URLs */
  const char *acs;
} EngineFixture;

/* @contacts seeded contacts; the engine uses the sandbox's connections. */
void        engine_fixture_setup     (EngineFixture *fixture,
                                      guint          contacts,
                                      guint          memberships);
/* The same, on a sandbox started without the setup items @without
 * (cc-sandbox-setup.h; NULL = everything set up). */
void        engine_fixture_setup_without (EngineFixture      *fixture,
                                          guint               contacts,
                                          guint               memberships,
                                          const char * const *without);
/* The same, on a sandbox started with @options. */
void        engine_fixture_setup_with (EngineFixture          *fixture,
                                       const CcSandboxOptions *options);
void        engine_fixture_teardown  (EngineFixture *fixture);

/* Replaces the engine with a new one on the same files, as the next
 * process would be (after cc_engine_shutdown() when @clean, else as after
 * a kill), on the same sandbox. As a process would, the caller then sets
 * it up and has it resume (cc_engine_resume()). */
void        engine_fixture_restart   (EngineFixture *fixture,
                                      gboolean       clean);
/* Applies @json as @workflow_id's configuration (must be valid). */
void        engine_fixture_configure (EngineFixture *fixture,
                                      const char    *workflow_id,
                                      const char    *json);
/* Waits until @workflow reaches @status (fails the test after @timeout_s). */
void        engine_fixture_wait_status (CcWorkflow       *workflow,
                                        CcWorkflowStatus  status,
                                        guint             timeout_s);
/* Starts @workflow and waits until it is Running (fails the test after
 * @timeout_s). */
void        engine_fixture_start       (CcWorkflow       *workflow,
                                        guint             timeout_s);
/* Stops @workflow and waits until it is Stopped. */
void        engine_fixture_stop        (CcWorkflow       *workflow);
/* Waits until the admin count at @path reaches @count and the backlog of
 * @workflow is 0. */
void        engine_fixture_wait_synced (EngineFixture *fixture,
                                        CcWorkflow    *workflow,
                                        const char    *base_url,
                                        const char    *path,
                                        gint64         count,
                                        guint          timeout_s);

G_END_DECLS
