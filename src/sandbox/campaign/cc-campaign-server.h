/* cc-campaign-server.h — the Campaign Standard API + IMS + journal emulator. */
#pragma once

#include <libsoup/soup.h>

#include "cc-sandbox.h"

G_BEGIN_DECLS

typedef struct _CcCampaignServer CcCampaignServer;

/* Called on the sandbox thread, with that thread's context as the
 * thread-default: adds the handlers to @server and seeds the data. */
CcCampaignServer *cc_campaign_server_new  (SoupServer             *server,
                                           const CcSandboxOptions *options,
                                           CcSandboxFaults        *faults,
                                           const char             *base_url);
void              cc_campaign_server_free (CcCampaignServer       *self);

G_END_DECLS
