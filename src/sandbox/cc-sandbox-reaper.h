/* cc-sandbox-reaper.h — closes the server end of connections that their
 * clients closed while idle.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CcSandboxReaper CcSandboxReaper;

/* Watches the connections of @server; runs on the thread-default main
 * context of the caller, which must be the one @server runs on. */
CcSandboxReaper *cc_sandbox_reaper_new    (SoupServer      *server);
void             cc_sandbox_reaper_free   (CcSandboxReaper *self);
/* Closes, now, every watched connection whose client has gone; returns
 * how many. (A timer does this every second.) */
guint            cc_sandbox_reaper_reap   (CcSandboxReaper *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcSandboxReaper, cc_sandbox_reaper_free)

G_END_DECLS
