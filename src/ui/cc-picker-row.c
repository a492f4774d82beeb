/* cc-picker-row.c — type a name, or pick it from the live schema.
 *
 * Names stay plain text so that a mapping can be written while a service
 * is unreachable; when the schema is known, the row offers its values and
 * shows the data type of the one typed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-choice-popover.h"
#include "cc-picker-row.h"

struct _CcPickerRow
{
  AdwEntryRow       parent_instance;

  GtkLabel         *detail_label;
  GtkLabel         *error_label;
  GtkMenuButton    *pick_button;
  CcChoicePopover  *popover;
};

G_DEFINE_FINAL_TYPE (CcPickerRow, cc_picker_row, ADW_TYPE_ENTRY_ROW)

CcPickerRow *
cc_picker_row_new (const char *title)
{
  return g_object_new (CC_TYPE_PICKER_ROW, "title", title, NULL);
}

const char *
cc_picker_row_get_detail (CcPickerRow *self)
{
  const char *detail;

  g_return_val_if_fail (CC_IS_PICKER_ROW (self), NULL);

  detail = cc_choice_popover_lookup (self->popover, gtk_editable_get_text (GTK_EDITABLE (self)));
  return detail != NULL && *detail != '\0' ? detail : NULL;
}

static void
update_detail (CcPickerRow *self)
{
  const char *detail = cc_picker_row_get_detail (self);

  gtk_label_set_label (self->detail_label, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);
}

void
cc_picker_row_set_choices (CcPickerRow        *self,
                           const char * const *values,
                           const char * const *details)
{
  g_return_if_fail (CC_IS_PICKER_ROW (self));

  cc_choice_popover_set_choices (self->popover, values, details);
  gtk_widget_set_visible (GTK_WIDGET (self->pick_button),
                          cc_choice_popover_get_n_choices (self->popover) > 0);
  update_detail (self);
}

guint
cc_picker_row_get_n_choices (CcPickerRow *self)
{
  g_return_val_if_fail (CC_IS_PICKER_ROW (self), 0);
  return cc_choice_popover_get_n_choices (self->popover);
}

void
cc_picker_row_set_error (CcPickerRow *self,
                         const char  *message)
{
  g_return_if_fail (CC_IS_PICKER_ROW (self));

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

const char *
cc_picker_row_get_error (CcPickerRow *self)
{
  g_return_val_if_fail (CC_IS_PICKER_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

char *
cc_picker_row_dup_value (CcPickerRow *self)
{
  g_return_val_if_fail (CC_IS_PICKER_ROW (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self))));
}

static void
on_chosen (CcPickerRow *self,
           const char  *value)
{
  gtk_editable_set_text (GTK_EDITABLE (self), value);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_changed (CcPickerRow *self)
{
  update_detail (self);
  /* Typing again is the answer to the error; keep it until the next
   * save says otherwise, but stop shouting. */
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
}

static void
cc_picker_row_class_init (CcPickerRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (CC_TYPE_CHOICE_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-picker-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPickerRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CcPickerRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CcPickerRow, pick_button);
  gtk_widget_class_bind_template_child (widget_class, CcPickerRow, popover);
  gtk_widget_class_bind_template_callback (widget_class, on_chosen);
}

static void
cc_picker_row_init (CcPickerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "changed", G_CALLBACK (on_changed), NULL);
}
