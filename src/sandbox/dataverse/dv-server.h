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
/* Leaves out the Dataverse items of @items (cc-sandbox-setup.h; the
 * others are not this service's); one that names something the
 * environment does not have is an error, and nothing after it is applied. */
gboolean           dv_server_remove_setup (DvServer           *self,
                                           const char * const *items,
                                           GError            **error);

G_END_DECLS
