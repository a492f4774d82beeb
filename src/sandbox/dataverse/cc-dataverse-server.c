/* PLACEHOLDER — replaced by the Dataverse emulator. */
#include "cc-dataverse-server.h"
struct _CcDataverseServer { int unused; };
CcDataverseServer *cc_dataverse_server_new (SoupServer *s, const CcSandboxOptions *o, CcSandboxFaults *f, const char *u) { return g_new0 (CcDataverseServer, 1); }
void cc_dataverse_server_free (CcDataverseServer *self) { g_free (self); }
