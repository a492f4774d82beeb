/* cc-test-cells.c — finding the workflow cells of the main window. */
#include "cc-test-cells.h"
#include "cc-test-ui.h"

static gboolean
cell_of (GtkWidget *widget,
         gpointer   user_data)
{
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (widget));

  return workflow != NULL && g_str_equal (cc_workflow_get_id (workflow), user_data);
}

GtkWidget *
cc_test_cells_find (GtkWidget  *root,
                    GType       type,
                    const char *id)
{
  return cc_test_ui_find (root, type, cell_of, (gpointer) id);
}

CcActionsCell *
cc_test_cells_find_actions (GtkWidget  *root,
                            const char *id)
{
  GtkWidget *cell = cc_test_cells_find (root, CC_TYPE_ACTIONS_CELL, id);

  return cell != NULL ? CC_ACTIONS_CELL (cell) : NULL;
}

CcStatusCell *
cc_test_cells_find_status (GtkWidget  *root,
                           const char *id)
{
  GtkWidget *cell = cc_test_cells_find (root, CC_TYPE_STATUS_CELL, id);

  return cell != NULL ? CC_STATUS_CELL (cell) : NULL;
}

CcTitleCell *
cc_test_cells_find_title (GtkWidget  *root,
                          const char *id)
{
  GtkWidget *cell = cc_test_cells_find (root, CC_TYPE_TITLE_CELL, id);

  return cell != NULL ? CC_TITLE_CELL (cell) : NULL;
}

gboolean
cc_test_cells_label_has_text (GtkWidget *widget,
                              gpointer   user_data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), user_data) == 0;
}

gboolean
cc_test_cells_rows_shown (gpointer window)
{
  return cc_test_cells_find_actions (window, "ingress") != NULL
         && cc_test_cells_find_actions (window, "egress") != NULL
         && cc_test_cells_find_actions (window, "optinout") != NULL;
}
