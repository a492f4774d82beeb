/* cc-sandbox.h — both emulated services, on loopback, in their own thread.
 *
 * A CcSandbox runs an emulator of the Dataverse Web API (with the Entra ID
 * token endpoint) and one of the Campaign Standard API (with Adobe IMS and
 * an I/O Events journal) on two SoupServers bound to 127.0.0.1. Both serve
 * from one private thread with its own GMainContext, so a test can talk to
 * them with synchronous libsoup calls from its main thread.
 */
#pragma once

#include <gio/gio.h>

#include "cc-sandbox-faults.h"

G_BEGIN_DECLS

/* For memberships and events: derive the count from contacts. */
#define CC_SANDBOX_AUTO G_MAXUINT

/* cc_sandbox_options_init() fills in the defaults; cc_sandbox_new() then
 * resolves CC_SANDBOX_AUTO and the 0 = default fields, so emulators always
 * see concrete numbers. */
typedef struct
{
  guint   dataverse_port;     /* 0 = any free port */
  guint   campaign_port;      /* 0 = any free port */
  guint   contacts;           /* seeded contacts (default 200) */
  guint   memberships;        /* seeded new_membership rows (default CC_SANDBOX_AUTO = contacts / 2) */
  guint   events;             /* seeded journal events (default CC_SANDBOX_AUTO = contacts * 2) */
  guint64 seed;               /* random seed (default 1) */
  guint   token_lifetime_s;   /* expires_in of issued tokens (0 = 3599) */
  guint   max_requests;       /* Dataverse service protection: requests per window (0 = 6000) */
  guint   window_s;           /* ... window length in seconds (0 = 300) */
  guint   max_concurrent;     /* ... concurrent requests (0 = 52) */
  guint   max_execution_ms;   /* ... combined execution time per window (0 = 1200000) */
  guint   change_retention_days; /* Dataverse change-tracking tokens older than this
                                  * expire (0 = 7, the documented default of
                                  * Organization.ExpireChangeTrackingInDays) */
  char  **without;            /* setup items to leave out (cc-sandbox-setup.h),
                               * NULL-terminated; NULL = everything set up.
                               * Copied by cc_sandbox_new(), checked by
                               * cc_sandbox_start() */
} CcSandboxOptions;

#define CC_SANDBOX_TENANT          "sandbox-tenant"
#define CC_SANDBOX_CLIENT_ID       "sandbox-client"
#define CC_SANDBOX_SECRET          "sandbox-secret"
#define CC_SANDBOX_ORG             "sandbox-org"
#define CC_SANDBOX_API_KEY         "sandbox-api-key"

#define CC_TYPE_SANDBOX (cc_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (CcSandbox, cc_sandbox, CC, SANDBOX, GObject)

void             cc_sandbox_options_init       (CcSandboxOptions       *options);

CcSandbox       *cc_sandbox_new                (const CcSandboxOptions *options);
/* Binds both ports and starts serving; returns once both listen. */
gboolean         cc_sandbox_start              (CcSandbox              *self,
                                                GError                **error);
/* Stops serving and joins the thread. Also done on finalize. */
void             cc_sandbox_stop               (CcSandbox              *self);

/* "http://127.0.0.1:PORT" — the Dataverse environment URL; the Web API is
 * at <url>/api/data/v9.2/ and Entra at <url>/<tenant>/oauth2/v2.0/token. */
const char      *cc_sandbox_get_dataverse_url  (CcSandbox              *self);
/* "http://127.0.0.1:PORT" — the API base (instead of https://mc.adobe.io):
 * the API is at <url>/<org>/campaign/, IMS at <url>/ims/token/v3 and the
 * journal at <url>/events/journal. */
const char      *cc_sandbox_get_campaign_url   (CcSandbox              *self);
char            *cc_sandbox_get_journal_url    (CcSandbox              *self);
char            *cc_sandbox_get_ims_url        (CcSandbox              *self);

CcSandboxFaults *cc_sandbox_get_faults         (CcSandbox              *self);
/* The resolved options the emulators run with. */
const CcSandboxOptions *cc_sandbox_get_options (CcSandbox              *self);

G_END_DECLS
