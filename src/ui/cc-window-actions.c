/* cc-window-actions.c — what the main window can do: start, stop, edit,
 * look at a workflow or its error log, set up the connections.
 *
 * The row buttons use these actions with the workflow id as target, and
 * the keyboard shortcuts act on the selected row, so every action is
 * reachable without a pointer. Focus inside a row selects that row, so
 * that the row a shortcut acts on is always the one the keyboard is in.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-questions.h"
#include "cc-window-private.h"
#include "cc-workflow-cell.h"

CcWorkflow *
cc_window_get_selected (CcWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static CcWorkflow *
find_workflow (CcWindow *self,
               GVariant *parameter)
{
  return cc_engine_find_workflow (self->engine, g_variant_get_string (parameter, NULL));
}

static void
start_workflow (CcWindow   *self,
                CcWorkflow *workflow)
{
  g_autoptr(GError) error = NULL;

  if (!cc_workflow_start (workflow, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a workflow's title, then the reason */
      message = g_strdup_printf (_("Could not start “%s”: %s"),
                                 cc_workflow_get_title (workflow), error->message);
      cc_window_add_toast (self, message);
    }
}

static void
on_stop_response (AdwMessageDialog *dialog,
                  const char       *response,
                  CcWorkflow       *workflow)
{
  if (g_str_equal (response, "stop"))
    cc_workflow_stop (workflow);
}

/* Stopping is what applies pending edits (at the next start), and what
 * drops them from use until then: the window asks first. */
static void
stop_workflow (CcWindow   *self,
               CcWorkflow *workflow)
{
  AdwMessageDialog *dialog;

  if (!cc_workflow_get_pending_changes (workflow))
    {
      cc_workflow_stop (workflow);
      return;
    }
  dialog = cc_questions_stop_pending (GTK_WINDOW (self), workflow);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_stop_response), workflow, 0);
}

/* Start when stopped or failed, Stop when starting or running: the row's
 * button follows the same rule for its label. */
static void
toggle_workflow (CcWindow   *self,
                 CcWorkflow *workflow)
{
  switch (cc_workflow_get_status (workflow))
    {
    case CC_WORKFLOW_STOPPED:
    case CC_WORKFLOW_FAILED:
      start_workflow (self, workflow);
      break;
    case CC_WORKFLOW_STARTING:
    case CC_WORKFLOW_RUNNING:
    default:
      stop_workflow (self, workflow);
      break;
    }
}

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  CcWorkflow *workflow = find_workflow (self, parameter);

  if (workflow != NULL)
    toggle_workflow (self, workflow);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  CcWorkflow *workflow = find_workflow (self, parameter);

  if (workflow != NULL)
    start_workflow (self, workflow);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  CcWorkflow *workflow = find_workflow (self, parameter);

  if (workflow != NULL)
    stop_workflow (self, workflow);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cc_window_open_editor (CC_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cc_window_open_details (CC_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
errors_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cc_window_open_error_log (CC_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
connections_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cc_window_open_connections (CC_WINDOW (widget));
}

static void
selected_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  CcWorkflow *workflow = cc_window_get_selected (self);

  if (workflow == NULL || gtk_stack_get_visible_child_name (self->stack) == NULL
      || !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "workflows"))
    return;

  if (g_str_equal (action_name, "win.edit-selected"))
    cc_window_open_editor (self, cc_workflow_get_id (workflow));
  else if (g_str_equal (action_name, "win.details-selected"))
    cc_window_open_details (self, cc_workflow_get_id (workflow));
  else if (g_str_equal (action_name, "win.toggle-selected"))
    toggle_workflow (self, workflow);
}

static void
on_row_activate (GtkColumnView *column_view,
                 guint          position,
                 CcWindow      *self)
{
  g_autoptr(CcWorkflow) workflow = g_list_model_get_item (cc_engine_get_workflows (self->engine),
                                                          position);

  if (workflow != NULL)
    cc_window_open_details (self, cc_workflow_get_id (workflow));
}

/* The workflow of the row that holds @widget, or NULL. */
static CcWorkflow *
row_workflow (GtkWidget *widget)
{
  GtkWidget *cell = gtk_widget_get_ancestor (widget, CC_TYPE_WORKFLOW_CELL);

  return cell != NULL ? cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (cell)) : NULL;
}

static void
on_focus_changed (CcWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GListModel *workflows = cc_engine_get_workflows (self->engine);
  CcWorkflow *workflow;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)))
    return;
  if ((workflow = row_workflow (focus)) == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) item = g_list_model_get_item (workflows, i);

      if (item == workflow)
        gtk_single_selection_set_selected (self->selection, i);
    }
}

void
cc_window_connect_rows (CcWindow *self)
{
  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (on_row_activate), self, 0);
  g_signal_connect_object (self, "notify::focus-widget",
                           G_CALLBACK (on_focus_changed), self, G_CONNECT_SWAPPED);
}

void
cc_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.connections", NULL, connections_action);
  gtk_widget_class_install_action (widget_class, "win.toggle", "s", toggle_action);
  gtk_widget_class_install_action (widget_class, "win.start", "s", start_action);
  gtk_widget_class_install_action (widget_class, "win.stop", "s", stop_action);
  gtk_widget_class_install_action (widget_class, "win.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "win.details", "s", details_action);
  gtk_widget_class_install_action (widget_class, "win.errors", "s", errors_action);
  gtk_widget_class_install_action (widget_class, "win.edit-selected", NULL, selected_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-selected", NULL, selected_action);
  gtk_widget_class_install_action (widget_class, "win.details-selected", NULL, selected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.connections", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.edit-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.toggle-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.details-selected", NULL);
}
