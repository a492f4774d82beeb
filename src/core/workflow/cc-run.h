/* cc-run.h — one run of a workflow: what its threads share.
 *
 * A CcRun is made on the main thread when a workflow starts and handed
 * to the run's threads: its supervisor (cc_workflow_kind_run()) and the
 * workers that one starts (cc_run_workers()). It carries copies of
 * everything they need (the applied configuration, the connection
 * settings, the database path), so no worker ever touches a main-thread
 * object. Workers report back only through the functions below: status
 * changes are posted to the main context, counters are atomics that the
 * main thread samples.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-store.h"

G_BEGIN_DECLS

typedef struct _CcRun CcRun;

/* Called on the main context when the run's workers reach Running, with
 * the run, so that a notice from a run that has ended can be told apart. */
typedef void (*CcRunRunningFunc) (CcRun    *run,
                                  gpointer  user_data);

typedef struct
{
  const char *workflow_id;
  JsonNode   *config;             /* the applied configuration (copied) */
  JsonObject *dynamics;           /* connection settings (copied) */
  JsonObject *campaign;
  const char *dynamics_secret;    /* NULL: looked up in the keyring by the worker */
  const char *campaign_secret;
  /* The Dynamics 365 connection's extra application users: their client
   * ids (NULL-terminated; NULL: none) and, in sandbox mode, their secrets
   * index for index (NULL: looked up in the keyring by the worker). */
  const char * const *dynamics_users;
  const char * const *dynamics_user_secrets;
  /* Each application user's back-off (cc-throttle.h), the connection's
   * own client id first, then the extra users in order: shared by every
   * run that writes as them (references are kept). NULL: the run makes
   * its own. */
  CcThrottle * const *dynamics_throttles;
  const char *state_path;         /* the SQLite database */
  /* The Campaign connection's API allowance, shared by every run (a
   * reference is kept; NULL: none). */
  CcRateLimiter *campaign_limiter;
  /* Someone waits for the answer (a connection test): a used-up daily
   * allowance fails a call at once instead of waiting for the next day. */
  gboolean    interactive;
} CcRunSetup;

CcRun             *cc_run_new                  (const CcRunSetup  *setup,
                                                CcRunRunningFunc   running_func,
                                                gpointer           user_data,
                                                GDestroyNotify     destroy);
CcRun             *cc_run_ref                  (CcRun         *self);
void               cc_run_unref                (CcRun         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcRun, cc_run_unref)

const char        *cc_run_get_workflow_id      (CcRun         *self);
JsonNode          *cc_run_get_config           (CcRun         *self);
GCancellable      *cc_run_get_cancellable      (CcRun         *self);
gboolean           cc_run_is_cancelled         (CcRun         *self);
void               cc_run_cancel               (CcRun         *self);

/* --- for worker threads ------------------------------------------------ */

CcStore           *cc_run_open_store           (CcRun         *self,
                                                GError       **error);
CcDataverseClient *cc_run_new_dataverse_client (CcRun         *self,
                                                guint          max_conns,
                                                GError       **error);
/* How many application users the Dynamics 365 connection has: its own
 * client id (user 0) and the extra ones. */
guint              cc_run_count_dynamics_users (CcRun         *self);
/* A client that signs in as application @user, with a token of its own
 * and the user's 429/Retry-After back-off (shared by every client of the
 * user, in this run and the engine's others). */
CcDataverseClient *cc_run_new_dataverse_client_as (CcRun       *self,
                                                   guint        user,
                                                   guint        max_conns,
                                                   GError     **error);
/* The clients of writer @share of @n_shares: the application users
 * spread over the writers (each user in one writer when there are fewer
 * users than writers; one user each, in turn, when there are more). */
GPtrArray         *cc_run_new_dataverse_clients (CcRun        *self,
                                                 guint         share,
                                                 guint         n_shares,
                                                 guint         max_conns,
                                                 GError      **error);
/* The next of @clients (from cc_run_new_dataverse_clients) in turn,
 * passing over users held back by a 429 while another is free: the
 * other users' limits are not the held one's. When all are held, the one
 * free first. */
CcDataverseClient *cc_run_next_dataverse_client (GPtrArray    *clients,
                                                 guint        *turn);
/* A Campaign client whose calls count against the connection's API
 * allowance, tagged with the workflow's id (cc_run_is_waiting_for_budget). */
CcCampaignClient  *cc_run_new_campaign_client  (CcRun         *self,
                                                guint          max_conns,
                                                GError       **error);
/* Whether one of the run's Campaign calls waits for the next UTC day
 * because the daily API allowance is used up. Any thread. */
gboolean           cc_run_is_waiting_for_budget (CcRun        *self);
/* The allowance the run's Campaign calls count against, or NULL. */
CcRateLimiter     *cc_run_get_campaign_limiter (CcRun         *self);

/* Posts "Running" to the main context (once). */
void               cc_run_set_running          (CcRun         *self);

/* Something the user should know about this run that is no failure (e.g.
 * that a slower way of reading is in use), in words they can act on:
 * shown with the workflow (cc_workflow_get_notice()). The same notice
 * given twice is kept once. */
void               cc_run_add_notice           (CcRun         *self,
                                                const char    *notice);
/* The notices so far, one per line, in the order given; NULL when there
 * is none. */
char              *cc_run_dup_notices          (CcRun         *self);

/* Why Starting has not succeeded yet: the last transient failure of
 * signing in or checking the services, which Starting tries again
 * (NULL: none). The workflow says it once Starting takes too long. */
void               cc_run_set_starting_problem (CcRun         *self,
                                                const GError  *problem);
char              *cc_run_dup_starting_problem (CcRun         *self);

/* Records the run's error (the first one wins) and cancels every worker.
 * A cancellation error is not recorded. */
void               cc_run_fail                 (CcRun         *self,
                                                const GError  *error);
/* A copy of the recorded error, or NULL. */
GError            *cc_run_dup_error            (CcRun         *self);

/* Commits what a writer settled about its lease (cc_store_settle()),
 * adds its counts to this run's (never later than the commit shows in
 * the backlog), and clears @batch — also on failure, when every item of
 * the lease stays leased for the next run. */
gboolean           cc_run_settle               (CcRun         *self,
                                                CcStore       *store,
                                                CcStoreBatch  *batch,
                                                GError       **error);
/* Counters since this run started. */
guint64            cc_run_get_written          (CcRun         *self);
guint64            cc_run_get_failed           (CcRun         *self);

/* Sleeps @ms unless cancelled first; FALSE when cancelled. */
gboolean           cc_run_sleep                (CcRun         *self,
                                                guint          ms);
/* Capped exponential backoff with jitter for the @attempt'th retry. */
guint              cc_run_backoff_ms           (guint          attempt);

/* One step of a reader: reads what there is to read now, and sets *idle
 * when there was nothing new. */
typedef gboolean (*CcRunStepFunc) (gpointer   user_data,
                                   gboolean  *idle,
                                   GError   **error);

/* Calls @step until the run is cancelled: after a transient error
 * (CC_ERROR_TRANSIENT) again after a backoff, after an idle step again
 * after @idle_ms. Any other error ends it: FALSE with that error. Being
 * cancelled is no error. @what names the caller in debug messages. */
gboolean           cc_run_poll                 (CcRun          *self,
                                                const char     *what,
                                                CcRunStepFunc   step,
                                                gpointer        user_data,
                                                guint           idle_ms,
                                                GError        **error);

typedef gboolean (*CcRunWorkerFunc) (CcRun     *run,
                                     guint      index,
                                     gpointer   user_data,
                                     GError   **error);

/* Runs @func in @n threads of their own and waits for all of them. A
 * worker that returns FALSE fails the run (cc_run_fail), which cancels
 * the others. Returns FALSE with the run's error if any worker failed. */
gboolean           cc_run_workers              (CcRun            *self,
                                                guint             n,
                                                CcRunWorkerFunc   func,
                                                gpointer          user_data,
                                                GError          **error);

G_END_DECLS
