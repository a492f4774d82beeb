/* acs-server.h — the Campaign Standard API + IMS + journal emulator. */
#pragma once

#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct _AcsServer AcsServer;

/* Called on the sandbox thread, with that thread's context as the
 * thread-default: adds the handlers to @server and seeds the data. */
AcsServer *acs_server_new  (SoupServer             *server,
                                           const CcSandboxOptions *options,
                                           CcSandboxFaults        *faults,
                                           const char             *base_url);
void              acs_server_free (AcsServer       *self);
/* Leaves out the Campaign items of @items (cc-sandbox-setup.h; the
 * others are not this service's); one that names something the instance
 * does not have is an error, and nothing after it is applied. */
gboolean          acs_server_remove_setup (AcsServer          *self,
                                           const char * const *items,
                                           GError            **error);

G_END_DECLS
