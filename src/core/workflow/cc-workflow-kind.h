/* cc-workflow-kind.h — what makes the three workflows different, and the
 * one way a workflow of any kind runs.
 *
 * CcWorkflow is the same object for all three; a CcWorkflowKind supplies
 * its title, its default configuration and how it reads one, the replay
 * markers, and the two steps of a run that are its own: the Starting
 * checks (prepare) and the work (worker). cc_workflow_kind_run() does the
 * rest the same way for every kind:
 *
 *   1. parse the applied configuration (a bad one fails Starting);
 *   2. open the state database and a client of each service;
 *   3. sign in to both services, run the kind's setup check (the very
 *      check "campaign-connector-ctl check" runs) and prepare, retried
 *      with backoff while that fails with CC_ERROR_TRANSIENT (a timeout,
 *      a 5xx, throttling): only a real problem fails Starting, and the
 *      first missing prerequisite is one;
 *   4. release the leases a run that died still holds: those records are
 *      written once more, which the idempotent upserts make harmless;
 *   5. drop the connections of step 2, announce Running;
 *   6. run the kind's workers until the run is cancelled or one fails.
 *
 * Everything a run needs to carry on is in the state database (queue,
 * cursors, maps), never in memory only: a run started after a crash, or
 * by an engine that resumes the workflows that were running, takes up
 * where the last one stopped.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-check.h"
#include "cc-run.h"
#include "cc-store.h"

G_BEGIN_DECLS

/* What the Starting checks are made through: made by the shared run for
 * prepare only, and dropped before the workers start (each worker makes
 * its own: a SoupSession belongs to the thread that made it). */
typedef struct
{
  CcStore           *store;
  CcDataverseClient *dataverse;
  CcCampaignClient  *campaign;
  CcCheck           *check;      /* the setup check just run: the tables and
                                  * resources it read, for prepare to plan with */
} CcRunConnections;

typedef struct
{
  const char *id;
  const char *title;      /* N_(): translated where shown */
  const char *subtitle;   /* N_(): what moves, which way */

  /* --- the configuration ----------------------------------------------- */

  JsonNode *(*default_config) (void);
  /* Parses and validates a configuration: the kind's own structure, or
   * NULL with CC_ERROR_INVALID_CONFIG naming the field. */
  gpointer  (*parse)          (JsonNode       *config,
                               GError        **error);
  /* Writes a parsed configuration back, every default spelled out (so
   * that two configurations that mean the same compare equal). */
  JsonNode *(*to_json)        (gconstpointer   config);
  GDestroyNotify free_config;
  /* Marks the data of the parsed @config to read again (@since: "all" or
   * an ISO-8601 time), through @store, for the next or the current run. */
  gboolean  (*replay)         (gconstpointer   config,
                               CcStore        *store,
                               const char     *since,
                               GError        **error);

  /* --- a run (see the top of this file), off the main thread ------------ */

  /* How many workers a run of the parsed @config has; which one does what
   * is the kind's to say (in @worker). 0: the configuration asks for
   * nothing to move, and the run is Running at once, connects to nothing
   * and waits to be stopped. */
  guint     (*count_workers)  (gconstpointer   config);
  /* The setup check of the parsed @config, once signed in (cc-check.h):
   * an item for each prerequisite, in @check's report. The setup check
   * of the window, the ctl and D-Bus runs it, and so does Starting, which
   * fails on the first missing item. Adds nothing when @config asks for
   * nothing to move. */
  void      (*check)          (gconstpointer            config,
                               CcCheck                 *check);
  /* Starting, once the check found nothing missing: resolves what the
   * workers need from what the check read. Returns the run's state,
   * which the workers share and @free_state frees (@config outlives it),
   * or NULL with the error: CC_ERROR_TRANSIENT has prepare called again
   * after a backoff, anything else fails Starting. */
  gpointer  (*prepare)        (CcRun                   *run,
                               gpointer                 config,
                               const CcRunConnections  *connections,
                               GError                 **error);
  GDestroyNotify free_state;
  /* Worker @index (0 to count_workers - 1) with the state prepare
   * returned as user data. Each worker has a thread of its own with a
   * GMainContext of its own pushed as thread-default: it may block on
   * synchronous requests, or iterate that context to keep several
   * asynchronous requests in flight. It works until the run is cancelled
   * (then returns TRUE) or returns FALSE with the error that fails the
   * run, which cancels the other workers. */
  CcRunWorkerFunc worker;
} CcWorkflowKind;

/* Runs @kind's workflow with @run's setup, as above, in the calling
 * thread (a thread of the run's own: it blocks until the run ends).
 * Returns FALSE with the error that failed the run; a run that is
 * cancelled (stopped) is no failure. */
gboolean cc_workflow_kind_run (const CcWorkflowKind  *kind,
                               CcRun                 *run,
                               GError               **error);

G_END_DECLS
