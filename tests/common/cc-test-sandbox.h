/* cc-test-sandbox.h — campaign-connector-sandbox as a process of its own,
 * for tests whose engine must die while the data it wrote lives on. */
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
/* Ends it with SIGTERM, waits for it and frees. */
void           cc_test_sandbox_free  (CcTestSandbox      *sandbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcTestSandbox, cc_test_sandbox_free)

G_END_DECLS
