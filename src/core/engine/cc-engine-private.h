/* cc-engine-private.h — what the files of the engine share: cc-engine.c
 * (workflows, connections), cc-engine-setup.c (the setup check and
 * "Prepare Dynamics 365") and cc-engine-users.c (the Dynamics 365
 * connection's application users). */
#pragma once

#include "cc-engine.h"
#include "cc-run.h"

G_BEGIN_DECLS

/* A run that only carries the connection settings and secrets to a
 * worker thread, for a job that is no workflow's (a connection test, a
 * setup check); @name stands in for the workflow id. */
CcRun *cc_engine_new_connection_run (CcEngine   *self,
                                     const char *name);

/* Where the connections live (the configuration file, or in sandbox mode
 * the in-memory settings), and in sandbox mode the extra application
 * users' secrets (client id → secret; NULL in normal mode). */
CcConfig   *cc_engine_get_connections_config   (CcEngine   *self);
GHashTable *cc_engine_get_sandbox_user_secrets (CcEngine   *self);

/* cc-engine-users.c: the extra application users' part of a run's
 * setup, and every user's back-off (@dynamics: the connection's
 * settings). Its pointers stay valid until the next fill. */
void        cc_engine_fill_users               (CcEngine   *self,
                                                JsonObject *dynamics,
                                                CcRunSetup *setup);

G_END_DECLS
