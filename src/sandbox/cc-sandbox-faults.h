/* cc-sandbox-faults.h — fault injection shared by both emulators.
 *
 * One CcSandboxFaults is owned by a CcSandbox and consulted by every
 * emulated API request (token endpoints included, the /_sandbox/ admin API
 * never). Its knobs may be read and changed from any thread (a mutex guards
 * them); carrying a fault out (cc_sandbox_faults_apply) happens on the
 * sandbox's own thread, inside a SoupServer handler.
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

/* Service names understood by cc_sandbox_faults_apply(): they choose the
 * shape of the 5xx and 429 bodies. */
#define CC_SANDBOX_SERVICE_DATAVERSE "dataverse"
#define CC_SANDBOX_SERVICE_CAMPAIGN  "campaign"

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
 *   "token_lifetime": s      expires_in of newly issued tokens (both services;
 *                            0 = the sandbox's configured lifetime)
 *   "lose_answers": N        the next N requests that "lose_answers_to" names
 *                            are carried out, then their connection is closed
 *                            without the answer: a write applied whose answer
 *                            the client never sees
 *   "lose_answers_to": "…"   "METHOD" or "METHOD /path-prefix" (e.g. "POST
 *                            /sandbox-org/campaign/profileAndServicesExt/");
 *                            "" or null = any request
 *   "reset": true            all knobs back to zero first
 * A knob of the wrong type or out of range fails with G_IO_ERROR_INVALID_DATA
 * and changes nothing. Thread-safe. */
gboolean         cc_sandbox_faults_set_json (CcSandboxFaults        *faults,
                                             JsonObject             *knobs,
                                             GError                **error);
/* The current knobs, every member present. Thread-safe. */
JsonObject      *cc_sandbox_faults_to_json  (CcSandboxFaults        *faults);

/* Draws what the next request suffers (consumes one request of a storm).
 * Thread-safe. */
void             cc_sandbox_faults_decide   (CcSandboxFaults        *faults,
                                             CcSandboxFaultDecision *out);
guint            cc_sandbox_faults_get_token_lifetime (CcSandboxFaults *faults,
                                                       guint            fallback_s);

/* Call at the START of every emulated-API handler, before doing any work.
 * It decides what this request suffers and carries it out:
 *  - a lost answer lets the handler run and answer, then closes the
 *    connection instead of sending that answer (returns FALSE);
 *  - 5xx, 429 and drop are done at once and the request is not executed
 *    (a gateway refuses before the service sees it): returns TRUE, and the
 *    handler must return without touching @msg again;
 *  - otherwise returns FALSE and the handler answers as usual. Latency and
 *    truncation are then carried out after the handler returns: @msg is
 *    paused here and unpaused from a timeout on the thread-default main
 *    context, which first cuts a 200 answer's body in half if the decision
 *    was "malformed". A handler that pauses @msg itself must therefore not
 *    call this function (answer it with the fault-free path instead).
 * It also works when called after the handler has set its answer: 5xx/429
 * then replace it, and a malformed 200 is truncated immediately.
 * @service is CC_SANDBOX_SERVICE_DATAVERSE or CC_SANDBOX_SERVICE_CAMPAIGN. */
gboolean         cc_sandbox_faults_apply    (CcSandboxFaults        *faults,
                                             SoupServerMessage      *msg,
                                             const char             *service);

/* How many faults (5xx, 429, drop, malformed; not latency) were injected
 * into requests of @service so far. Thread-safe. */
guint64          cc_sandbox_faults_get_injected (CcSandboxFaults    *faults,
                                                 const char         *service);

/* Serves the shared admin resource /_sandbox/faults: GET answers the
 * knobs, POST applies a JSON object of knobs and answers the knobs (400 on
 * a bad body). Both emulators route that path here. */
void             cc_sandbox_faults_handle_admin (CcSandboxFaults    *faults,
                                                 SoupServerMessage  *msg);

G_END_DECLS
