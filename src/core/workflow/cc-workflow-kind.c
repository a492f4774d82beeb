/* cc-workflow-kind.c — the one way a workflow of any kind runs: what
 * cc-workflow-kind.h lists, step by step, around the kind's prepare and
 * workers.
 */
#include "config.h"

#include "cc-error.h"
#include "cc-workflow-kind.h"

/* The longest backoff between two tries of prepare: the 8th retry's. */
#define MAX_BACKOFF_ATTEMPT 8

/* A configuration that moves nothing: Running, as the user asked, until
 * stopped. */
static void
idle_until_stopped (CcRun *run)
{
  cc_run_set_running (run);
  while (cc_run_sleep (run, 60 * 1000))
    ;
}

/* Signs in to both services and runs the kind's setup check; then, with
 * nothing missing, has the kind plan its run from what the check read. */
static gpointer
authenticate_and_prepare (const CcWorkflowKind    *kind,
                          CcRun                   *run,
                          gpointer                 config,
                          const CcRunConnections  *connections,
                          GError                 **error)
{
  g_autoptr(CcCheckReport) report = cc_check_report_new ();
  g_autoptr(CcCheck) check = cc_check_new (connections->dataverse, connections->campaign, report,
                                           cc_run_get_cancellable (run));
  CcRunConnections checked = *connections;

  cc_check_set_workflow (check, kind->id);
  cc_check_sign_in (check);
  kind->check (config, check);
  if (!cc_check_report_to_error (report, error))
    return NULL;
  checked.check = check;
  return kind->prepare (run, config, &checked, error);
}

/* Signs in and prepares until that succeeds, fails for a reason other than a
 * transient one, or the run is stopped while waiting to try again (then
 * NULL without an error). */
static gpointer
prepare_with_retry (const CcWorkflowKind    *kind,
                    CcRun                   *run,
                    gpointer                 config,
                    const CcRunConnections  *connections,
                    GError                 **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local = NULL;
      gpointer state = authenticate_and_prepare (kind, run, config, connections, &local);

      if (state != NULL)
        return state;
      if (!g_error_matches (local, CC_ERROR, CC_ERROR_TRANSIENT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_debug ("%s starting: %s; retrying", kind->id, local->message);
      cc_run_set_starting_problem (run, local);
      if (!cc_run_sleep (run, cc_run_backoff_ms (MIN (attempt, MAX_BACKOFF_ATTEMPT))))
        return NULL;
    }
}

/* Steps 2 to 4: returns the run's state, or NULL with @error set when
 * Starting failed, or without when the run was stopped meanwhile. */
static gpointer
start (const CcWorkflowKind  *kind,
       CcRun                 *run,
       gpointer               config,
       GError               **error)
{
  g_autoptr(CcStore) store = NULL;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  CcRunConnections connections;
  gpointer state;

  store = cc_run_open_store (run, error);
  if (store == NULL)
    return NULL;
  dataverse = cc_run_new_dataverse_client (run, 1, error);
  if (dataverse == NULL)
    return NULL;
  campaign = cc_run_new_campaign_client (run, 1, error);
  if (campaign == NULL)
    return NULL;

  connections = (CcRunConnections) { store, dataverse, campaign };
  state = prepare_with_retry (kind, run, config, &connections, error);
  if (state == NULL)
    return NULL;

  if (!cc_store_release_all (store, cc_run_get_workflow_id (run), error))
    {
      kind->free_state (state);
      return NULL;
    }
  return state;
}

gboolean
cc_workflow_kind_run (const CcWorkflowKind  *kind,
                      CcRun                 *run,
                      GError               **error)
{
  g_autoptr(GError) local = NULL;
  gpointer config;
  gpointer state = NULL;
  guint n_workers;
  gboolean ok = TRUE;

  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (run != NULL, FALSE);

  config = kind->parse (cc_run_get_config (run), error);
  if (config == NULL)
    return FALSE;

  n_workers = kind->count_workers (config);
  if (n_workers == 0)
    idle_until_stopped (run);
  else
    state = start (kind, run, config, &local);

  if (state != NULL)
    {
      cc_run_set_running (run);
      ok = cc_run_workers (run, n_workers, kind->worker, state, error);
      kind->free_state (state);
    }
  else if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      ok = FALSE;
    }
  kind->free_config (config);
  return ok;
}
