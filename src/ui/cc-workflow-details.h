/* cc-workflow-details.h — one workflow up close: live counters, a graph
 * of the last hour or day, the run history, the error log and Replay. */
#pragma once

#include <adwaita.h>

#include "cc-engine.h"
#include "cc-error-log.h"

G_BEGIN_DECLS

#define CC_TYPE_WORKFLOW_DETAILS (cc_workflow_details_get_type ())
G_DECLARE_FINAL_TYPE (CcWorkflowDetails, cc_workflow_details, CC, WORKFLOW_DETAILS, AdwWindow)

CcWorkflowDetails *cc_workflow_details_new              (CcEngine          *engine,
                                                         CcWorkflow        *workflow);
CcWorkflow        *cc_workflow_details_get_workflow     (CcWorkflowDetails *self);
/* "activity", "history" or "errors". */
void               cc_workflow_details_show_page        (CcWorkflowDetails *self,
                                                         const char        *name);
/* Reads the history and the error log again. */
void               cc_workflow_details_refresh          (CcWorkflowDetails *self);
guint              cc_workflow_details_get_n_history    (CcWorkflowDetails *self);
/* The Error Log page. */
CcErrorLog        *cc_workflow_details_get_error_log    (CcWorkflowDetails *self);

G_END_DECLS
