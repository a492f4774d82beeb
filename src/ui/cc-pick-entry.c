/* cc-pick-entry.c — type a column name, or pick it from the schema.
 *
 * The name stays plain text, so that a row can be written while the
 * service is unreachable; the button shows only once the schema has
 * values to offer.
 */
#include "config.h"

#include "cc-choice-popover.h"
#include "cc-pick-entry.h"

struct _CcPickEntry
{
  GtkWidget         parent_instance;

  GtkEntry         *entry;
  GtkMenuButton    *pick_button;
  CcChoicePopover  *popover;
};

enum {
  PROP_0,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcPickEntry, cc_pick_entry, GTK_TYPE_WIDGET)

void
cc_pick_entry_set_choices (CcPickEntry        *self,
                           const char * const *values,
                           const char * const *details)
{
  g_return_if_fail (CC_IS_PICK_ENTRY (self));

  cc_choice_popover_set_choices (self->popover, values, details);
  gtk_widget_set_visible (GTK_WIDGET (self->pick_button),
                          cc_choice_popover_get_n_choices (self->popover) > 0);
}

GtkEntry *
cc_pick_entry_get_entry (CcPickEntry *self)
{
  g_return_val_if_fail (CC_IS_PICK_ENTRY (self), NULL);
  return self->entry;
}

char *
cc_pick_entry_dup_text (CcPickEntry *self)
{
  g_return_val_if_fail (CC_IS_PICK_ENTRY (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

void
cc_pick_entry_set_text (CcPickEntry *self,
                        const char  *text)
{
  g_return_if_fail (CC_IS_PICK_ENTRY (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
}

static void
on_chosen (CcPickEntry *self,
           const char  *value)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), value);
  g_signal_emit (self, signals[CHOSEN], 0, value);
}

static void
set_label (CcPickEntry *self,
           const char  *label)
{
  gtk_entry_set_placeholder_text (self->entry, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
cc_pick_entry_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CcPickEntry *self = CC_PICK_ENTRY (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      set_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
cc_pick_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (CC_PICK_ENTRY (widget)->entry));
}

static void
cc_pick_entry_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_PICK_ENTRY);

  G_OBJECT_CLASS (cc_pick_entry_parent_class)->dispose (object);
}

static void
cc_pick_entry_class_init (CcPickEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_pick_entry_dispose;
  object_class->set_property = cc_pick_entry_set_property;
  widget_class->grab_focus = cc_pick_entry_grab_focus;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CC_TYPE_CHOICE_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-pick-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPickEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, CcPickEntry, pick_button);
  gtk_widget_class_bind_template_child (widget_class, CcPickEntry, popover);
  gtk_widget_class_bind_template_callback (widget_class, on_chosen);
}

static void
cc_pick_entry_init (CcPickEntry *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
