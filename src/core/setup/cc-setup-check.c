/* cc-setup-check.c — the setup check of several workflows (see
 * cc-setup-check.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-setup-check.h"

/* One workflow's items, from its kind's own check. */
static void
check_workflow (CcCheck               *check,
                const CcSetupWorkflow *workflow)
{
  const CcWorkflowKind *kind = workflow->kind;
  g_autoptr(GError) error = NULL;
  gpointer config;

  cc_check_set_workflow (check, kind->id);
  config = kind->parse (workflow->config, &error);
  if (config == NULL)
    {
      g_autofree char *id = g_strconcat ("config.", kind->id, NULL);
      g_autofree char *label = g_strdup_printf (_("Configuration of “%s”"), _(kind->title));

      cc_check_report_missing (cc_check_get_report (check), id, label, error->code, error->message,
                               _("Fix the workflow’s configuration in its edit dialog."));
      return;
    }
  kind->check (config, check);
  kind->free_config (config);
}

CcCheckReport *
cc_setup_check_run (CcDataverseClient     *dataverse,
                    CcCampaignClient      *campaign,
                    const CcSetupWorkflow *workflows,
                    guint                  n_workflows,
                    GCancellable          *cancellable)
{
  g_autoptr(CcCheckReport) report = cc_check_report_new ();
  g_autoptr(CcCheck) check = cc_check_new (dataverse, campaign, report, cancellable);

  g_return_val_if_fail (workflows != NULL || n_workflows == 0, NULL);

  /* Signing in is every workflow's first prerequisite. */
  for (guint i = 0; i < n_workflows; i++)
    {
      cc_check_set_workflow (check, workflows[i].kind->id);
      cc_check_sign_in (check);
    }
  for (guint i = 0; i < n_workflows; i++)
    check_workflow (check, &workflows[i]);
  return g_steal_pointer (&report);
}
