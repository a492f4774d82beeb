/* cc-run.h — one run of a workflow: what its worker threads share.
 *
 * A CcRunner is made on the main thread when a workflow starts and handed
 * to the worker threads. It carries copies of everything they need (the
 * applied configuration, the connection settings, the database path), so
 * no worker ever touches a main-thread object. Workers report back only
 * through the functions below: status changes are posted to the main
 * context, counters are atomics that the main thread samples.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-store.h"

G_BEGIN_DECLS

typedef struct _CcRunner CcRunner;

/* Called on the main context when the run's workers reach Running, with
 * the run, so that a notice from a run that has ended can be told apart. */
typedef void (*CcRunnerRunningFunc) (CcRunner *runner,
                                     gpointer  user_data);

typedef struct
{
  const char *workflow_id;
  JsonNode   *config;             /* the applied configuration (copied) */
  JsonObject *dynamics;           /* connection settings (copied) */
  JsonObject *campaign;
  const char *dynamics_secret;    /* NULL: looked up in the keyring by the worker */
  const char *campaign_secret;
  const char *state_path;         /* the SQLite database */
} CcRunnerSetup;

CcRunner          *cc_runner_new                  (const CcRunnerSetup *setup,
                                                   CcRunnerRunningFunc  running_func,
                                                   gpointer             user_data,
                                                   GDestroyNotify       destroy);
CcRunner          *cc_runner_ref                  (CcRunner        *self);
void               cc_runner_unref                (CcRunner        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcRunner, cc_runner_unref)

const char        *cc_runner_get_workflow_id      (CcRunner        *self);
JsonNode          *cc_runner_get_config           (CcRunner        *self);
GCancellable      *cc_runner_get_cancellable      (CcRunner        *self);
gboolean           cc_runner_is_cancelled         (CcRunner        *self);
void               cc_runner_cancel               (CcRunner        *self);

/* --- for worker threads ------------------------------------------------ */

CcStore           *cc_runner_open_store           (CcRunner        *self,
                                                   GError         **error);
CcDataverseClient *cc_runner_new_dataverse_client (CcRunner        *self,
                                                   guint            max_conns,
                                                   GError         **error);
CcCampaignClient  *cc_runner_new_campaign_client  (CcRunner        *self,
                                                   guint            max_conns,
                                                   GError         **error);

/* Posts "Running" to the main context (once). */
void               cc_runner_set_running          (CcRunner        *self);

/* Records the run's error (the first one wins) and cancels every worker.
 * A cancellation error is not recorded. */
void               cc_runner_fail                 (CcRunner        *self,
                                                   const GError    *error);
/* A copy of the recorded error, or NULL. */
GError            *cc_runner_dup_error            (CcRunner        *self);

void               cc_runner_add_written          (CcRunner        *self,
                                                   guint            n);
void               cc_runner_add_failed           (CcRunner        *self,
                                                   guint            n);
/* Commits what a writer settled about its lease (cc_store_settle()),
 * adds its counts to this run's, and clears @batch — also on failure,
 * when every item of the lease stays leased for the next run. */
gboolean           cc_runner_settle               (CcRunner        *self,
                                                   CcStore         *store,
                                                   CcStoreBatch    *batch,
                                                   GError         **error);
/* Counters since this run started. */
guint64            cc_runner_get_written          (CcRunner        *self);
guint64            cc_runner_get_failed           (CcRunner        *self);

/* Sleeps @ms unless cancelled first; FALSE when cancelled. */
gboolean           cc_runner_sleep                (CcRunner        *self,
                                                   guint            ms);
/* Capped exponential backoff with jitter for the @attempt'th retry. */
guint              cc_runner_backoff_ms           (guint            attempt);

typedef gboolean (*CcRunnerWorkerFunc) (CcRunner  *runner,
                                        guint      index,
                                        gpointer   user_data,
                                        GError   **error);

/* Runs @func in @n threads of their own and waits for all of them. A
 * worker that returns FALSE fails the run (cc_runner_fail), which cancels
 * the others. Returns FALSE with the run's error if any worker failed. */
gboolean           cc_runner_run_workers          (CcRunner           *self,
                                                   guint               n,
                                                   CcRunnerWorkerFunc  func,
                                                   gpointer            user_data,
                                                   GError            **error);

G_END_DECLS
