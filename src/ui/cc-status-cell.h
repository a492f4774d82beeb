/* cc-status-cell.h — a workflow's status in the table: icon and word. */
#pragma once

#include <adwaita.h>

#include "cc-workflow-cell.h"

G_BEGIN_DECLS

#define CC_TYPE_STATUS_CELL (cc_status_cell_get_type ())
G_DECLARE_FINAL_TYPE (CcStatusCell, cc_status_cell, CC, STATUS_CELL, CcWorkflowCell)

/* Given its workflow with cc_workflow_cell_set_workflow(). */
CcStatusCell *cc_status_cell_new              (void);
CcWorkflow   *cc_status_cell_get_workflow     (CcStatusCell *self);

/* The width (with the cell's own margins) the cell needs to show any of the
 * four statuses in the current language and style without ellipsizing the
 * word: Failed counted with its error button. Measures the cell as it lays
 * out, so it should be in its window; call it outside of size allocation. */
int           cc_status_cell_get_needed_width (CcStatusCell *self);

G_END_DECLS
