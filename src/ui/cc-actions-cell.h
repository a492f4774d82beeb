/* cc-actions-cell.h — a workflow row's buttons: Edit, Start/Stop, Details. */
#pragma once

#include <adwaita.h>

#include "cc-workflow-cell.h"

G_BEGIN_DECLS

#define CC_TYPE_ACTIONS_CELL (cc_actions_cell_get_type ())
G_DECLARE_FINAL_TYPE (CcActionsCell, cc_actions_cell, CC, ACTIONS_CELL, CcWorkflowCell)

/* Given its workflow with cc_workflow_cell_set_workflow(). */
CcActionsCell *cc_actions_cell_new             (void);
CcWorkflow    *cc_actions_cell_get_workflow    (CcActionsCell *self);
/* The buttons, for tests that press them like a user. */
GtkButton     *cc_actions_cell_get_toggle_button (CcActionsCell *self);
GtkButton     *cc_actions_cell_get_edit_button   (CcActionsCell *self);
GtkButton     *cc_actions_cell_get_details_button (CcActionsCell *self);

G_END_DECLS
