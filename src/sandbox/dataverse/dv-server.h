/* dv-server.h — the Dataverse Web API + Entra ID emulator. */
#pragma once

#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct _DvServer DvServer;

/* Called on the sandbox thread, with that thread's context as the
 * thread-default: adds the handlers to @server and seeds the tables. */
DvServer *dv_server_new  (SoupServer             *server,
                                             const CcSandboxOptions *options,
                                             CcSandboxFaults        *faults,
                                             const char             *base_url);
void               dv_server_free (DvServer      *self);

G_END_DECLS
