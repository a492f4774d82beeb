/* cc-setup-check.h — the setup check of a set of workflows: everything
 * they need of Dynamics 365 and Campaign, checked against the live
 * services, as one report.
 *
 * Each workflow's items come from its kind's check (the one Starting
 * runs); signing in to both services comes first, and a prerequisite two
 * workflows share is one item that names both. Nothing is written to
 * either service.
 */
#pragma once

#include "cc-check-report.h"
#include "cc-workflow-kind.h"

G_BEGIN_DECLS

typedef struct
{
  const CcWorkflowKind *kind;
  JsonNode             *config;     /* the configuration to check (the edited one) */
} CcSetupWorkflow;

/* Runs in the calling thread (it blocks on both services): a report of
 * every prerequisite of @workflows. A configuration that does not parse
 * is a missing item of its own ("config.ID"). */
CcCheckReport *cc_setup_check_run (CcDataverseClient     *dataverse,
                                   CcCampaignClient      *campaign,
                                   const CcSetupWorkflow *workflows,
                                   guint                  n_workflows,
                                   GCancellable          *cancellable);

G_END_DECLS
