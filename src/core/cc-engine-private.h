/* cc-engine-private.h — what CcEngine shares with CcWorkflow only. */
#pragma once

#include "cc-engine.h"
#include "cc-runner.h"

G_BEGIN_DECLS

/* Fills the connection part of @setup (settings and, in sandbox mode, the
 * in-memory secrets: "" for a removed one, never NULL, so that nothing is
 * looked up in the keyring). The pointers stay valid until the engine
 * changes a connection; cc_runner_new copies them at once. */
void cc_engine_fill_runner_setup (CcEngine      *self,
                                  CcRunnerSetup *setup);
/* A workflow failed: the engine emits ::workflow-failed (the window turns
 * it into a notification). */
void cc_engine_notify_failed     (CcEngine      *self,
                                  CcWorkflow    *workflow);

G_END_DECLS
