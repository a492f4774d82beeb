/* cc-failed-cell.h — a workflow's Failed count in the table: a link to
 * its error log once anything failed. */
#pragma once

#include <adwaita.h>

#include "cc-workflow-cell.h"

G_BEGIN_DECLS

#define CC_TYPE_FAILED_CELL (cc_failed_cell_get_type ())
G_DECLARE_FINAL_TYPE (CcFailedCell, cc_failed_cell, CC, FAILED_CELL, CcWorkflowCell)

/* Given its workflow with cc_workflow_cell_set_workflow(). */
CcFailedCell *cc_failed_cell_new        (void);
/* The button that opens the error log (shown once anything failed). */
GtkButton    *cc_failed_cell_get_button (CcFailedCell *self);

G_END_DECLS
