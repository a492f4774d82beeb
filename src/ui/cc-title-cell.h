/* cc-title-cell.h — a workflow's name in the table: its title, what it
 * moves, and an information icon while its run has a notice. */
#pragma once

#include <adwaita.h>

#include "cc-workflow-cell.h"

G_BEGIN_DECLS

#define CC_TYPE_TITLE_CELL (cc_title_cell_get_type ())
G_DECLARE_FINAL_TYPE (CcTitleCell, cc_title_cell, CC, TITLE_CELL, CcWorkflowCell)

/* Given its workflow with cc_workflow_cell_set_workflow(). */
CcTitleCell *cc_title_cell_new             (void);
/* The information icon (shown while the workflow has a notice). */
GtkWidget   *cc_title_cell_get_notice_icon (CcTitleCell *self);

G_END_DECLS
