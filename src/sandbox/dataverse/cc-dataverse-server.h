/* cc-dataverse-server.h — the Dataverse Web API + Entra ID emulator. */
#pragma once

#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct _CcDataverseServer CcDataverseServer;

/* Called on the sandbox thread, with that thread's context as the
 * thread-default: adds the handlers to @server and seeds the tables. */
CcDataverseServer *cc_dataverse_server_new  (SoupServer             *server,
                                             const CcSandboxOptions *options,
                                             CcSandboxFaults        *faults,
                                             const char             *base_url);
void               cc_dataverse_server_free (CcDataverseServer      *self);

G_END_DECLS
