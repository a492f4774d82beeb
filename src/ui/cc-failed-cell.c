/* cc-failed-cell.c — a workflow's Failed count in the table.
 *
 * 0 is a number like the others. Once a record failed, the count is a
 * button that opens the workflow's error log (win.errors), and while the
 * log holds records that wait to be retried it is in the warning colour,
 * so that failures are seen and one click away. Both forms sit in a
 * stack as wide as the wider, so the column does not move when one
 * replaces the other. Follows :failed and :error-count.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-failed-cell.h"

struct _CcFailedCell
{
  CcWorkflowCell  parent_instance;

  GtkStack       *stack;
  GtkLabel       *zero_label;
  GtkButton      *button;
  GtkLabel       *count_label;
};

G_DEFINE_FINAL_TYPE (CcFailedCell, cc_failed_cell, CC_TYPE_WORKFLOW_CELL)

CcFailedCell *
cc_failed_cell_new (void)
{
  return g_object_new (CC_TYPE_FAILED_CELL, NULL);
}

GtkButton *
cc_failed_cell_get_button (CcFailedCell *self)
{
  g_return_val_if_fail (CC_IS_FAILED_CELL (self), NULL);
  return self->button;
}

static void
update (CcFailedCell *self)
{
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (self));
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;
  guint64 failed, in_log;

  if (workflow == NULL)
    {
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->zero_label));
      return;
    }
  failed = cc_workflow_get_failed (workflow);
  in_log = cc_workflow_get_error_count (workflow);
  /* %' groups digits as the user's locale does. */
  count = g_strdup_printf ("%'" G_GUINT64_FORMAT, failed);
  gtk_label_set_label (self->zero_label, count);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child (self->stack, failed > 0 || in_log > 0 ? GTK_WIDGET (self->button)
                                                                     : GTK_WIDGET (self->zero_label));
  if (in_log > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");

  /* Translators: accessible name of the Failed count, a button; %s is
   * the count */
  name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record failed: show the error log",
                                       "%s records failed: show the error log", (gulong) failed),
                          count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
}

static void
cc_failed_cell_workflow_changed (CcWorkflowCell *cell)
{
  CcFailedCell *self = CC_FAILED_CELL (cell);
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (cell);

  if (workflow != NULL)
    {
      cc_workflow_cell_watch (cell, "failed", G_CALLBACK (update));
      cc_workflow_cell_watch (cell, "error-count", G_CALLBACK (update));
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->button), "s",
                                        cc_workflow_get_id (workflow));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "win.errors");
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), NULL);
  update (self);
}

static void
cc_failed_cell_class_init (CcFailedCellClass *klass)
{
  CcWorkflowCellClass *cell_class = CC_WORKFLOW_CELL_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  cell_class->workflow_changed = cc_failed_cell_workflow_changed;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-failed-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, CcFailedCell, stack);
  gtk_widget_class_bind_template_child (widget_class, CcFailedCell, zero_label);
  gtk_widget_class_bind_template_child (widget_class, CcFailedCell, button);
  gtk_widget_class_bind_template_child (widget_class, CcFailedCell, count_label);
  gtk_widget_class_set_css_name (widget_class, "cc-failed-cell");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cc_failed_cell_init (CcFailedCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
