/* cc-actions-cell.c — a workflow row's buttons.
 *
 * Edit (pencil), a Start/Stop button whose label and icon follow the
 * status (Start when stopped or failed, Stop when starting or running) and
 * which warns while edits wait for a restart, and Details. The buttons
 * fire the window's actions with the workflow id as target. The Start/Stop
 * button is as wide as its widest state in the current language, so that
 * the columns stay put when it changes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-actions-cell.h"
#include "cc-tooltips.h"

/* The Start/Stop button is never narrower, whatever its words. */
#define TOGGLE_MIN_WIDTH 96

struct _CcActionsCell
{
  CcWorkflowCell  parent_instance;

  GtkButton   *edit_button;
  GtkButton   *toggle_button;
  GtkImage    *toggle_icon;
  GtkLabel    *toggle_label;
  GtkImage    *pending_icon;
  GtkButton   *details_button;
  guint        width_id;
};

G_DEFINE_FINAL_TYPE (CcActionsCell, cc_actions_cell, CC_TYPE_WORKFLOW_CELL)

CcActionsCell *
cc_actions_cell_new (void)
{
  return g_object_new (CC_TYPE_ACTIONS_CELL, NULL);
}

CcWorkflow *
cc_actions_cell_get_workflow (CcActionsCell *self)
{
  g_return_val_if_fail (CC_IS_ACTIONS_CELL (self), NULL);
  return cc_workflow_cell_get_workflow (CC_WORKFLOW_CELL (self));
}

GtkButton *
cc_actions_cell_get_toggle_button (CcActionsCell *self)
{
  g_return_val_if_fail (CC_IS_ACTIONS_CELL (self), NULL);
  return self->toggle_button;
}

GtkButton *
cc_actions_cell_get_edit_button (CcActionsCell *self)
{
  g_return_val_if_fail (CC_IS_ACTIONS_CELL (self), NULL);
  return self->edit_button;
}

GtkButton *
cc_actions_cell_get_details_button (CcActionsCell *self)
{
  g_return_val_if_fail (CC_IS_ACTIONS_CELL (self), NULL);
  return self->details_button;
}

static void
set_accessible_label (gpointer    widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* Icon-only buttons need a name a screen reader can say, and "Edit" alone
 * does not tell which of the three rows it belongs to. */
static void
update_names (CcActionsCell *self)
{
  g_autofree char *edit = NULL;
  g_autofree char *details = NULL;
  CcWorkflow *workflow = cc_actions_cell_get_workflow (self);
  const char *title;

  if (workflow == NULL)
    return;

  title = cc_workflow_get_title (workflow);
  /* Translators: accessible name of the pencil button; %s is a workflow */
  edit = g_strdup_printf (_("Edit “%s”"), title);
  /* Translators: accessible name of the details button; %s is a workflow */
  details = g_strdup_printf (_("Details of “%s”"), title);
  set_accessible_label (self->edit_button, edit);
  set_accessible_label (self->details_button, details);
}

static void
update_toggle (CcActionsCell *self)
{
  g_autofree char *name = NULL;
  CcWorkflow *workflow = cc_actions_cell_get_workflow (self);
  CcWorkflowStatus status;
  gboolean stop, pending;

  if (workflow == NULL)
    return;

  status = cc_workflow_get_status (workflow);
  stop = status == CC_WORKFLOW_STARTING || status == CC_WORKFLOW_RUNNING;
  pending = cc_workflow_get_pending_changes (workflow);

  gtk_image_set_from_icon_name (self->toggle_icon, stop ? "media-playback-stop-symbolic"
                                                        : "media-playback-start-symbolic");
  gtk_label_set_label (self->toggle_label, stop ? C_("action", "Stop") : C_("action", "Start"));

  /* The warning matters on Stop only: stop + start is what applies the
   * pending edit. */
  gtk_widget_set_visible (GTK_WIDGET (self->pending_icon), stop && pending);
  if (stop && pending)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->toggle_button), "cc-pending");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->toggle_button),
                                   _("Changes take effect after the workflow is stopped "
                                     "and started again"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->toggle_button), "cc-pending");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->toggle_button), NULL);
    }

  if (stop && pending)
    /* Translators: accessible name of the Stop button; %s is a workflow */
    name = g_strdup_printf (_("Stop “%s” (changes are pending)"),
                            cc_workflow_get_title (workflow));
  else if (stop)
    /* Translators: accessible name of the Stop button; %s is a workflow */
    name = g_strdup_printf (_("Stop “%s”"), cc_workflow_get_title (workflow));
  else
    /* Translators: accessible name of the Start button; %s is a workflow */
    name = g_strdup_printf (_("Start “%s”"), cc_workflow_get_title (workflow));
  set_accessible_label (self->toggle_button, name);
}

/* The toggle's natural width showing @word, with or without the
 * warning. */
static int
measure_toggle (CcActionsCell *self,
                const char    *word,
                gboolean       warning)
{
  int width = 0;

  gtk_label_set_label (self->toggle_label, word);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_icon), warning);
  gtk_widget_measure (GTK_WIDGET (self->toggle_button), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &width, NULL, NULL);
  return width;
}

/* As wide as its widest state, measured in each (nothing is drawn in
 * between), then shown as it was. */
static gboolean
keep_toggle_width (gpointer user_data)
{
  CcActionsCell *self = user_data;
  int widest = TOGGLE_MIN_WIDTH;

  self->width_id = 0;
  gtk_widget_set_size_request (GTK_WIDGET (self->toggle_button), -1, -1);
  widest = MAX (widest, measure_toggle (self, C_("action", "Start"), FALSE));
  widest = MAX (widest, measure_toggle (self, C_("action", "Stop"), FALSE));
  widest = MAX (widest, measure_toggle (self, C_("action", "Stop"), TRUE));
  gtk_widget_set_size_request (GTK_WIDGET (self->toggle_button), widest, -1);
  measure_toggle (self, C_("action", "Start"), FALSE);
  update_toggle (self);
  return G_SOURCE_REMOVE;
}

static void
cc_actions_cell_map (GtkWidget *widget)
{
  CcActionsCell *self = CC_ACTIONS_CELL (widget);

  GTK_WIDGET_CLASS (cc_actions_cell_parent_class)->map (widget);
  g_clear_handle_id (&self->width_id, g_source_remove);
  keep_toggle_width (self);
}

/* A new font: measured again once it applies. */
static void
cc_actions_cell_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  CcActionsCell *self = CC_ACTIONS_CELL (widget);

  GTK_WIDGET_CLASS (cc_actions_cell_parent_class)->css_changed (widget, change);
  if (self->width_id == 0 && gtk_widget_get_mapped (widget))
    self->width_id = g_idle_add (keep_toggle_width, self);
}

static void
cc_actions_cell_dispose (GObject *object)
{
  CcActionsCell *self = CC_ACTIONS_CELL (object);

  g_clear_handle_id (&self->width_id, g_source_remove);

  G_OBJECT_CLASS (cc_actions_cell_parent_class)->dispose (object);
}

static void
cc_actions_cell_workflow_changed (CcWorkflowCell *cell)
{
  CcActionsCell *self = CC_ACTIONS_CELL (cell);
  CcWorkflow *workflow = cc_workflow_cell_get_workflow (cell);
  const char *id;

  if (workflow == NULL)
    {
      /* No target, no action: an action with a parameter and no target
       * cannot be activated. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->toggle_button), NULL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->details_button), NULL);
      return;
    }

  id = cc_workflow_get_id (workflow);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "win.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->toggle_button), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->toggle_button), "win.toggle");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->details_button), "s", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->details_button), "win.details");

  cc_workflow_cell_watch (cell, "status", G_CALLBACK (update_toggle));
  cc_workflow_cell_watch (cell, "pending-changes", G_CALLBACK (update_toggle));
  cc_workflow_cell_watch (cell, "title", G_CALLBACK (update_names));
  update_toggle (self);
  update_names (self);
}

static void
cc_actions_cell_class_init (CcActionsCellClass *klass)
{
  CcWorkflowCellClass *cell_class = CC_WORKFLOW_CELL_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  cell_class->workflow_changed = cc_actions_cell_workflow_changed;
  G_OBJECT_CLASS (klass)->dispose = cc_actions_cell_dispose;
  widget_class->map = cc_actions_cell_map;
  widget_class->css_changed = cc_actions_cell_css_changed;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-actions-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, toggle_button);
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, toggle_icon);
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, toggle_label);
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, pending_icon);
  gtk_widget_class_bind_template_child (widget_class, CcActionsCell, details_button);
  gtk_widget_class_set_css_name (widget_class, "cc-actions-cell");
}

static void
cc_actions_cell_init (CcActionsCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cc_tooltips_one_line (GTK_WIDGET (self->toggle_button));
}
