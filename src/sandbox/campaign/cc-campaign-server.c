/* PLACEHOLDER — replaced by the Campaign emulator. */
#include "cc-campaign-server.h"
struct _CcCampaignServer { int unused; };
CcCampaignServer *cc_campaign_server_new (SoupServer *s, const CcSandboxOptions *o, CcSandboxFaults *f, const char *u) { return g_new0 (CcCampaignServer, 1); }
void cc_campaign_server_free (CcCampaignServer *self) { g_free (self); }
