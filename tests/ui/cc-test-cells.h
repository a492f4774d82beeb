/* cc-test-cells.h — the main window's cells of one workflow, found by the
 * workflow's id, and labels found by their text. */
#pragma once

#include "cc-actions-cell.h"
#include "cc-status-cell.h"
#include "cc-title-cell.h"

G_BEGIN_DECLS

/* The cell of @type (a CcWorkflowCell) of workflow @id under @root, or
 * NULL. */
GtkWidget     *cc_test_cells_find           (GtkWidget  *root,
                                             GType       type,
                                             const char *id);
/* The actions (Start/Stop…) cell of workflow @id under @root, or NULL. */
CcActionsCell *cc_test_cells_find_actions   (GtkWidget  *root,
                                             const char *id);
/* The status cell of workflow @id under @root, or NULL. */
CcStatusCell  *cc_test_cells_find_status    (GtkWidget  *root,
                                             const char *id);
/* The title cell of workflow @id under @root, or NULL. */
CcTitleCell   *cc_test_cells_find_title     (GtkWidget  *root,
                                             const char *id);
/* A CcTestUiMatch for GtkLabels: the label's text is @user_data. */
gboolean       cc_test_cells_label_has_text (GtkWidget  *widget,
                                             gpointer    user_data);
/* A CcTestCondition: the rows of the three workflows are shown in the
 * window @window. */
gboolean       cc_test_cells_rows_shown     (gpointer    window);

G_END_DECLS
