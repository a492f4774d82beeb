/* cc-workflow-cell.h — the base of a table cell that shows one workflow. */
#pragma once

#include <adwaita.h>

#include "cc-workflow.h"

G_BEGIN_DECLS

#define CC_TYPE_WORKFLOW_CELL (cc_workflow_cell_get_type ())
G_DECLARE_DERIVABLE_TYPE (CcWorkflowCell, cc_workflow_cell, CC, WORKFLOW_CELL, GtkWidget)

struct _CcWorkflowCellClass
{
  GtkWidgetClass parent_class;

  /* After :workflow changed, to another workflow or to NULL: watch the
   * new one's properties and show it. */
  void (*workflow_changed) (CcWorkflowCell *self);
};

CcWorkflow *cc_workflow_cell_get_workflow (CcWorkflowCell *self);
void        cc_workflow_cell_set_workflow (CcWorkflowCell *self,
                                           CcWorkflow     *workflow);
/* Calls @callback with the cell as its one argument whenever @property of
 * the current workflow changes, until the cell is given another one. */
void        cc_workflow_cell_watch        (CcWorkflowCell *self,
                                           const char     *property,
                                           GCallback       callback);

G_END_DECLS
