/* cc-workflow-cell.c — the base of a table cell that shows one workflow.
 *
 * A list view recycles its cells: the same cell shows one workflow, then
 * another, then none. This holds the :workflow property, moves the
 * notify handlers from the old workflow to the new one, and on dispose
 * lets go of the workflow before the subclass's template goes, so that
 * workflow_changed never sees a half-disposed cell.
 */
#include "config.h"

#include "cc-workflow-cell.h"

typedef struct
{
  CcWorkflow *workflow;
  GArray     *handlers;   /* gulong, on workflow */
  gboolean    template_disposed;
} CcWorkflowCellPrivate;

enum {
  PROP_0,
  PROP_WORKFLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CcWorkflowCell, cc_workflow_cell, GTK_TYPE_WIDGET)

CcWorkflow *
cc_workflow_cell_get_workflow (CcWorkflowCell *self)
{
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);

  g_return_val_if_fail (CC_IS_WORKFLOW_CELL (self), NULL);
  return priv->workflow;
}

void
cc_workflow_cell_watch (CcWorkflowCell *self,
                        const char     *property,
                        GCallback       callback)
{
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);
  g_autofree char *signal = NULL;
  gulong handler;

  g_return_if_fail (CC_IS_WORKFLOW_CELL (self));
  g_return_if_fail (priv->workflow != NULL);

  signal = g_strconcat ("notify::", property, NULL);
  handler = g_signal_connect_swapped (priv->workflow, signal, callback, self);
  g_array_append_val (priv->handlers, handler);
}

void
cc_workflow_cell_set_workflow (CcWorkflowCell *self,
                               CcWorkflow     *workflow)
{
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);

  g_return_if_fail (CC_IS_WORKFLOW_CELL (self));
  g_return_if_fail (workflow == NULL || CC_IS_WORKFLOW (workflow));

  if (priv->workflow == workflow)
    return;

  for (guint i = 0; i < priv->handlers->len; i++)
    g_signal_handler_disconnect (priv->workflow, g_array_index (priv->handlers, gulong, i));
  g_array_set_size (priv->handlers, 0);
  g_set_object (&priv->workflow, workflow);

  CC_WORKFLOW_CELL_GET_CLASS (self)->workflow_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKFLOW]);
}

static void
cc_workflow_cell_dispose (GObject *object)
{
  CcWorkflowCell *self = CC_WORKFLOW_CELL (object);
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);

  cc_workflow_cell_set_workflow (self, NULL);
  /* Every cell is built from the template of its own (final) type. */
  if (!priv->template_disposed)
    {
      priv->template_disposed = TRUE;
      gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
    }

  G_OBJECT_CLASS (cc_workflow_cell_parent_class)->dispose (object);
}

static void
cc_workflow_cell_finalize (GObject *object)
{
  CcWorkflowCell *self = CC_WORKFLOW_CELL (object);
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);

  g_array_unref (priv->handlers);

  G_OBJECT_CLASS (cc_workflow_cell_parent_class)->finalize (object);
}

static void
cc_workflow_cell_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CcWorkflowCell *self = CC_WORKFLOW_CELL (object);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      g_value_set_object (value, cc_workflow_cell_get_workflow (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_workflow_cell_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CcWorkflowCell *self = CC_WORKFLOW_CELL (object);

  switch (prop_id)
    {
    case PROP_WORKFLOW:
      cc_workflow_cell_set_workflow (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_workflow_cell_class_init (CcWorkflowCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_workflow_cell_dispose;
  object_class->finalize = cc_workflow_cell_finalize;
  object_class->get_property = cc_workflow_cell_get_property;
  object_class->set_property = cc_workflow_cell_set_property;

  properties[PROP_WORKFLOW] =
    g_param_spec_object ("workflow", NULL, NULL, CC_TYPE_WORKFLOW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cc_workflow_cell_init (CcWorkflowCell *self)
{
  CcWorkflowCellPrivate *priv = cc_workflow_cell_get_instance_private (self);

  priv->handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
}
