/* cc-sandbox-faults.h — fault injection shared by both emulators.
 *
 * One CcSandboxFaults is owned by a CcSandbox and consulted by every
 * emulated API request (token endpoints included, the /_sandbox/ admin API
 * never). It is only touched from the sandbox's own thread, except through
 * cc_sandbox_faults_set_json(), which is thread-safe.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CcSandboxFaults CcSandboxFaults;

typedef enum
{
  CC_SANDBOX_FAULT_NONE,
  CC_SANDBOX_FAULT_ERROR_5XX,   /* answer 503 (Dataverse) / 502 (Campaign gateway) */
  CC_SANDBOX_FAULT_THROTTLE,    /* answer 429 with Retry-After */
  CC_SANDBOX_FAULT_DROP,        /* close the connection without an answer */
  CC_SANDBOX_FAULT_MALFORMED,   /* answer 200 with a truncated JSON body */
} CcSandboxFaultKind;

/* What a request should suffer. latency_ms applies in addition to kind. */
typedef struct
{
  CcSandboxFaultKind kind;
  guint              latency_ms;
  guint              retry_after_s;
} CcSandboxFaultDecision;

CcSandboxFaults *cc_sandbox_faults_new      (guint64                 seed);
void             cc_sandbox_faults_free     (CcSandboxFaults        *faults);

/* Knobs, as JSON object members (all optional; absent = unchanged):
 *   "error_rate": 0..1       share of requests answered with a 5xx
 *   "throttle_rate": 0..1    share of requests answered 429
 *   "throttle_storm": N      the next N requests are all answered 429
 *   "retry_after": seconds   Retry-After on 429 (default 1)
 *   "drop_rate": 0..1        share of requests whose connection is dropped
 *   "malformed_rate": 0..1   share of 200 answers sent truncated
 *   "latency_ms": N          added to every request
 *   "token_lifetime": s      expires_in of newly issued tokens (both services)
 *   "reset": true            all knobs back to zero first
 */
gboolean         cc_sandbox_faults_set_json (CcSandboxFaults        *faults,
                                             JsonObject             *knobs,
                                             GError                **error);
JsonObject      *cc_sandbox_faults_to_json  (CcSandboxFaults        *faults);

void             cc_sandbox_faults_decide   (CcSandboxFaults        *faults,
                                             CcSandboxFaultDecision *out);
guint            cc_sandbox_faults_get_token_lifetime (CcSandboxFaults *faults,
                                                       guint            fallback_s);

/* Carries out a decision on a message that a handler has fully answered
 * (or is about to answer). Returns TRUE when the fault replaced the answer
 * and the handler must not touch @msg again. Latency is applied by pausing
 * the message on the thread-default main context. */
gboolean         cc_sandbox_faults_apply    (CcSandboxFaults        *faults,
                                             SoupServerMessage      *msg,
                                             const char             *service);

G_END_DECLS
