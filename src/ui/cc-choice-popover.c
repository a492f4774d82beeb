/* cc-choice-popover.c — pick a table, a resource or a field by name.
 *
 * The values come from the live schemas; the list filters as the user
 * types, and Enter picks the first match.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cc-choice-popover.h"

struct _CcChoicePopover
{
  GtkPopover       parent_instance;

  GHashTable      *details;   /* value → detail ("" when none) */

  GtkSearchEntry  *search_entry;
  GtkListBox      *list_box;
};

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcChoicePopover, cc_choice_popover, GTK_TYPE_POPOVER)

CcChoicePopover *
cc_choice_popover_new (void)
{
  return g_object_new (CC_TYPE_CHOICE_POPOVER, NULL);
}

static GtkWidget *
make_row (const char *value,
          const char *detail)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);
  if (detail != NULL && *detail != '\0')
    {
      GtkWidget *sub = gtk_label_new (detail);

      gtk_label_set_xalign (GTK_LABEL (sub), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Announced as the value, with its type as the description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, value,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail ? detail : "",
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "cc-value", g_strdup (value), g_free);
  g_object_set_data_full (G_OBJECT (row), "cc-detail", g_strdup (detail ? detail : ""), g_free);
  return row;
}

void
cc_choice_popover_set_choices (CcChoicePopover    *self,
                               const char * const *values,
                               const char * const *details)
{
  GtkWidget *child;

  g_return_if_fail (CC_IS_CHOICE_POPOVER (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->details);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *detail = details != NULL ? details[i] : NULL;

      if (g_hash_table_contains (self->details, values[i]))
        continue;
      g_hash_table_insert (self->details, g_strdup (values[i]), g_strdup (detail ? detail : ""));
      gtk_list_box_append (self->list_box, make_row (values[i], detail));
    }
}

guint
cc_choice_popover_get_n_choices (CcChoicePopover *self)
{
  g_return_val_if_fail (CC_IS_CHOICE_POPOVER (self), 0);
  return g_hash_table_size (self->details);
}

const char *
cc_choice_popover_lookup (CcChoicePopover *self,
                          const char      *value)
{
  g_return_val_if_fail (CC_IS_CHOICE_POPOVER (self), NULL);
  return value != NULL ? g_hash_table_lookup (self->details, value) : NULL;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  CcChoicePopover *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *value = g_object_get_data (G_OBJECT (row), "cc-value");
  const char *detail = g_object_get_data (G_OBJECT (row), "cc-detail");
  g_autofree char *needle = NULL;
  g_autofree char *hay = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  hay = g_utf8_casefold (value, -1);
  if (strstr (hay, needle) != NULL)
    return TRUE;
  g_free (hay);
  hay = g_utf8_casefold (detail, -1);
  return strstr (hay, needle) != NULL;
}

static void
choose (CcChoicePopover *self,
        GtkListBoxRow   *row)
{
  const char *value = g_object_get_data (G_OBJECT (row), "cc-value");

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[CHOSEN], 0, value);
}

static void
on_row_activated (CcChoicePopover *self,
                  GtkListBoxRow   *row)
{
  choose (self, row);
}

static void
on_search_changed (CcChoicePopover *self)
{
  gtk_list_box_invalidate_filter (self->list_box);
}

static void
on_search_activate (CcChoicePopover *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_child_visible (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      {
        choose (self, GTK_LIST_BOX_ROW (child));
        return;
      }
}

static void
cc_choice_popover_show (GtkWidget *widget)
{
  CcChoicePopover *self = CC_CHOICE_POPOVER (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  GTK_WIDGET_CLASS (cc_choice_popover_parent_class)->show (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
cc_choice_popover_finalize (GObject *object)
{
  CcChoicePopover *self = CC_CHOICE_POPOVER (object);

  g_clear_pointer (&self->details, g_hash_table_unref);

  G_OBJECT_CLASS (cc_choice_popover_parent_class)->finalize (object);
}

static void
cc_choice_popover_class_init (CcChoicePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cc_choice_popover_finalize;
  widget_class->show = cc_choice_popover_show;

  /**
   * CcChoicePopover::chosen:
   * @value: the value picked
   */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-choice-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, CcChoicePopover, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CcChoicePopover, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
}

static void
cc_choice_popover_init (CcChoicePopover *self)
{
  self->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list_box, filter_row, self, NULL);
}
