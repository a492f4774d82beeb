/* cc-engine-setup.c — the engine's setup check and "Prepare Dynamics
 * 365", run in a worker thread with the connections' settings and
 * secrets, for the window, D-Bus and the ctl alike.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-egress.h"
#include "cc-engine-private.h"
#include "cc-error.h"
#include "cc-setup-check.h"

typedef struct
{
  CcRun           *run;
  GArray          *workflows;    /* CcSetupWorkflow, configurations owned */
  char            *prefix;       /* Prepare only */
  gboolean         apply;
} SetupJob;

static void
setup_job_free (SetupJob *job)
{
  for (guint i = 0; job->workflows != NULL && i < job->workflows->len; i++)
    json_node_unref (g_array_index (job->workflows, CcSetupWorkflow, i).config);
  g_clear_pointer (&job->workflows, g_array_unref);
  g_clear_pointer (&job->run, cc_run_unref);
  g_free (job->prefix);
  g_free (job);
}

static void
add_workflow (SetupJob   *job,
              CcWorkflow *workflow)
{
  CcSetupWorkflow entry = { cc_workflow_get_kind (workflow),
                            json_node_copy (cc_workflow_get_config_node (workflow)) };

  g_array_append_val (job->workflows, entry);
}

/* A job over @workflow_id (NULL: every workflow), with the edited
 * configurations: what will run at the next start. */
static SetupJob *
new_job (CcEngine    *self,
         const char  *workflow_id,
         GError     **error)
{
  SetupJob *job = g_new0 (SetupJob, 1);
  GListModel *workflows = cc_engine_get_workflows (self);

  job->workflows = g_array_new (FALSE, FALSE, sizeof (CcSetupWorkflow));
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);

      if (workflow_id == NULL || g_str_equal (workflow_id, cc_workflow_get_id (workflow)))
        add_workflow (job, workflow);
    }
  if (job->workflows->len == 0)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_NOT_FOUND, _("No workflow “%s”"), workflow_id);
      setup_job_free (job);
      return NULL;
    }
  job->run = cc_engine_new_connection_run (self, "setup");
  return job;
}

/* --- the setup check ------------------------------------------------------- */

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SetupJob *job = task_data;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcCampaignClient) campaign = NULL;
  g_autoptr(GError) error = NULL;

  dataverse = cc_run_new_dataverse_client (job->run, 1, &error);
  if (dataverse != NULL)
    campaign = cc_run_new_campaign_client (job->run, 1, &error);
  if (campaign == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task,
                         cc_setup_check_run (dataverse, campaign,
                                             (const CcSetupWorkflow *) job->workflows->data,
                                             job->workflows->len, cancellable),
                         g_object_unref);
}

void
cc_engine_check_setup_async (CcEngine            *self,
                             const char          *workflow_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SetupJob *job;

  g_return_if_fail (CC_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_engine_check_setup_async);
  if ((job = new_job (self, workflow_id, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) setup_job_free);
  cc_http_task_run_in_thread (task, check_in_thread);
}

CcCheckReport *
cc_engine_check_setup_finish (CcEngine      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Prepare Dynamics 365 ------------------------------------------------- */

static JsonNode *
config_of (SetupJob   *job,
           const char *workflow_id)
{
  for (guint i = 0; i < job->workflows->len; i++)
    {
      CcSetupWorkflow *entry = &g_array_index (job->workflows, CcSetupWorkflow, i);

      if (g_str_equal (entry->kind->id, workflow_id))
        return entry->config;
    }
  return NULL;
}

static void
prepare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SetupJob *job = task_data;
  g_autoptr(CcDataverseClient) dataverse = NULL;
  g_autoptr(CcPreparePlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  dataverse = cc_run_new_dataverse_client (job->run, 1, &error);
  if (dataverse != NULL && cc_dataverse_client_authenticate (dataverse, cancellable, &error))
    plan = cc_prepare_plan_new (dataverse, job->prefix, config_of (job, "ingress"),
                                config_of (job, "egress"), config_of (job, "optinout"),
                                cancellable, &error);
  if (plan == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A failed step says why in the plan, which goes back either way. */
  if (job->apply && !cc_prepare_plan_apply (dataverse, plan, cancellable, &error))
    g_debug ("Prepare Dynamics 365 stopped: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&plan), (GDestroyNotify) cc_prepare_plan_free);
}

void
cc_engine_prepare_dynamics_async (CcEngine            *self,
                                  const char          *prefix,
                                  gboolean             apply,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SetupJob *job;

  g_return_if_fail (CC_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_engine_prepare_dynamics_async);
  job = new_job (self, NULL, &error);
  job->prefix = g_strdup (prefix && *prefix ? prefix : NULL);
  job->apply = apply;
  g_task_set_task_data (task, job, (GDestroyNotify) setup_job_free);
  cc_http_task_run_in_thread (task, prepare_in_thread);
}

/* The last step of an applied plan, on the main thread: the egress
 * workflow names the tables made with the admin's prefix. */
static void
rename_egress_tables (CcEngine      *self,
                      CcPreparePlan *plan)
{
  CcWorkflow *egress = cc_engine_find_workflow (self, cc_egress_kind.id);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);

      if (cc_prepare_step_get_action (step) != CC_PREPARE_RENAME)
        continue;
      if (cc_prepare_step_get_state (step) != CC_PREPARE_PLANNED)
        return;
      if (cc_workflow_set_config_node (egress, plan->egress_config, &error))
        cc_prepare_step_set_state (step, CC_PREPARE_DONE, NULL);
      else
        cc_prepare_step_set_state (step, CC_PREPARE_FAILED, error->message);
    }
}

static gboolean
applied (CcPreparePlan *plan)
{
  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);

      if (cc_prepare_step_get_action (step) != CC_PREPARE_RENAME
          && cc_prepare_step_get_state (step) != CC_PREPARE_DONE)
        return FALSE;
    }
  return TRUE;
}

CcPreparePlan *
cc_engine_prepare_dynamics_finish (CcEngine      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  CcPreparePlan *plan;
  SetupJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  plan = g_task_propagate_pointer (G_TASK (result), error);
  job = g_task_get_task_data (G_TASK (result));
  if (plan != NULL && job->apply && applied (plan))
    rename_egress_tables (self, plan);
  return plan;
}
