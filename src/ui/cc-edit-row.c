/* cc-edit-row.c — the frame every row of an edit dialog's lists shares.
 *
 * A row never removes itself: its dialog keeps the rows in the order the
 * configuration is written, so the row says ::remove and the dialog does
 * it. Errors about the row are written below it (the edit dialog finds
 * the label through cc_edit_dialog_set_error_label).
 */
#include "config.h"

#include "cc-edit-dialog.h"
#include "cc-edit-row.h"

typedef struct
{
  gboolean   template_disposed;

  GtkBox    *line;
  GtkButton *remove_button;
  GtkLabel  *error_label;
} CcEditRowPrivate;

enum {
  PROP_0,
  PROP_CONTENT,
  PROP_REMOVE_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CcEditRow, cc_edit_row, ADW_TYPE_PREFERENCES_ROW)

GtkLabel *
cc_edit_row_get_error_label (CcEditRow *self)
{
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_ROW (self), NULL);
  return priv->error_label;
}

const char *
cc_edit_row_get_error (CcEditRow *self)
{
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  g_return_val_if_fail (CC_IS_EDIT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (priv->error_label)))
    return NULL;
  return gtk_label_get_label (priv->error_label);
}

static void
set_content (CcEditRow *self,
             GtkWidget *content)
{
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  gtk_widget_set_hexpand (content, TRUE);
  gtk_box_prepend (priv->line, content);
}

static void
set_remove_label (CcEditRow  *self,
                  const char *label)
{
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  gtk_widget_set_tooltip_text (GTK_WIDGET (priv->remove_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* A list row is announced by its name: the title says what the row is. */
static void
update_name (CcEditRow *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                                  -1);
}

static void
on_remove_clicked (CcEditRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
cc_edit_row_dispose (GObject *object)
{
  CcEditRow *self = CC_EDIT_ROW (object);
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  /* The subclass's template, once. Ours is not disposed: GTK 4.8 aborts
   * when a parent class disposes its template after a subclass did, and
   * the row's child (which holds it all) goes with the row. */
  if (!priv->template_disposed)
    {
      priv->template_disposed = TRUE;
      gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
    }
  priv->line = NULL;
  priv->remove_button = NULL;
  priv->error_label = NULL;

  G_OBJECT_CLASS (cc_edit_row_parent_class)->dispose (object);
}

static void
cc_edit_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CcEditRow *self = CC_EDIT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      set_content (self, g_value_get_object (value));
      break;
    case PROP_REMOVE_LABEL:
      set_remove_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_edit_row_class_init (CcEditRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_edit_row_dispose;
  object_class->set_property = cc_edit_row_set_property;

  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOVE_LABEL] =
    g_param_spec_string ("remove-label", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-edit-row.ui");
  gtk_widget_class_bind_template_child_private (widget_class, CcEditRow, line);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditRow, remove_button);
  gtk_widget_class_bind_template_child_private (widget_class, CcEditRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
cc_edit_row_init (CcEditRow *self)
{
  CcEditRowPrivate *priv = cc_edit_row_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  cc_edit_dialog_set_error_label (GTK_WIDGET (self), priv->error_label);
  g_signal_connect (self, "notify::title", G_CALLBACK (update_name), NULL);
}
