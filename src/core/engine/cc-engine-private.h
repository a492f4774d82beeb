/* cc-engine-private.h — what the files of the engine share: cc-engine.c
 * (workflows, connections) and cc-engine-setup.c (the setup check and
 * "Prepare Dynamics 365"). */
#pragma once

#include "cc-engine.h"
#include "cc-run.h"

G_BEGIN_DECLS

/* A run that only carries the connection settings and secrets to a
 * worker thread, for a job that is no workflow's (a connection test, a
 * setup check); @name stands in for the workflow id. */
CcRun *cc_engine_new_connection_run (CcEngine   *self,
                                     const char *name);

G_END_DECLS
