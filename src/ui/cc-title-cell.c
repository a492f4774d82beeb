/* cc-title-cell.c — a workflow's name in the table.
 *
 * The title wraps on a second line in a narrow window before it is cut,
 * and the cell's tooltip says it all. A notice of the workflow's run
 * (what the user should know that is no failure, such as a table being
 * polled for want of change tracking) shows as an information icon after
 * the title, with the notice as its tooltip and accessible description:
 * there to be found, not alarming. Follows :title, :subtitle and :notice.
 */
#include "config.h"


#include "cc-accessible.h"
#include "cc-title-cell.h"

struct _CcTitleCell
{
  CcWorkflowCell  parent_instance;

  /* Bound, as every child of the template is: GTK 4.8 unparents only
   * the bound ones when the cell goes. */
  GtkWidget      *title_box;
  GtkLabel       *title_label;
  GtkImage       *notice_icon;
  GtkLabel       *subtitle_label;
};

G_DEFINE_FINAL_TYPE (CcTitleCell, cc_title_cell, CC_TYPE_WORKFLOW_CELL)

CcTitleCell *
cc_title_cell_new (void)
{
  return g_object_new (CC_TYPE_TITLE_CELL, NULL);
}

GtkWidget *
cc_title_cell_get_notice_icon (CcTitleCell *self)
{
  g_return_val_if_fail (CC_IS_TITLE_CELL (self), NULL);
  return GTK_WIDGET (self->notice_icon);
}

static void
update_title (CcTitleCell *self)
{
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (self));
  g_autofree char *tip = NULL;

  if (workflow == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
      return;
    }
  gtk_label_set_label (self->title_label, cc_workflow_get_title (workflow));
  gtk_label_set_label (self->subtitle_label, cc_workflow_get_subtitle (workflow));
  tip = g_strdup_printf ("%s\n%s", cc_workflow_get_title (workflow),
                         cc_workflow_get_subtitle (workflow));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tip);
  /* The row is announced by the workflow it shows. */
  cc_accessible_name_list_row (GTK_WIDGET (self), cc_workflow_get_title (workflow));
}

static void
update_notice (CcTitleCell *self)
{
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (self));
  const char *notice = workflow != NULL ? cc_workflow_get_notice (workflow) : "";

  gtk_widget_set_visible (GTK_WIDGET (self->notice_icon), *notice != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->notice_icon), *notice != '\0' ? notice : NULL);
  if (*notice != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->notice_icon),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, notice,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->notice_icon),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
cc_title_cell_workflow_changed (CcWorkflowCell *cell)
{
  if (cc_workflow_cell_get_workflow (cell) != NULL)
    {
      cc_workflow_cell_watch (cell, "title", G_CALLBACK (update_title));
      cc_workflow_cell_watch (cell, "subtitle", G_CALLBACK (update_title));
      cc_workflow_cell_watch (cell, "notice", G_CALLBACK (update_notice));
    }
  update_title (CC_TITLE_CELL (cell));
  update_notice (CC_TITLE_CELL (cell));
}

static void
cc_title_cell_class_init (CcTitleCellClass *klass)
{
  CcWorkflowCellClass *cell_class = CC_WORKFLOW_CELL_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  cell_class->workflow_changed = cc_title_cell_workflow_changed;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-title-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, CcTitleCell, title_box);
  gtk_widget_class_bind_template_child (widget_class, CcTitleCell, title_label);
  gtk_widget_class_bind_template_child (widget_class, CcTitleCell, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, CcTitleCell, subtitle_label);
  gtk_widget_class_set_css_name (widget_class, "cc-title-cell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cc_title_cell_init (CcTitleCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
