/* cc-transform-row.c — one transform of a field mapping.
 *
 * The row shows only the parameters its transform takes: a default value,
 * the fields and separator of a concatenation, or a date format.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-json-member.h"
#include "cc-json-read.h"
#include "cc-transform-row.h"

static const char * const ops[] = {
  "trim", "lower", "upper", "default", "concat", "date-format", NULL,
};

struct _CcTransformRow
{
  CcEditRow      parent_instance;

  char          *op;

  GtkLabel      *op_label;
  GtkEntry      *value_entry;
  GtkEntry      *fields_entry;
  GtkEntry      *separator_entry;
  GtkEntry      *format_entry;
  GtkWidget     *spacer;
};

G_DEFINE_FINAL_TYPE (CcTransformRow, cc_transform_row, CC_TYPE_EDIT_ROW)

const char * const *
cc_transform_row_ops (void)
{
  return ops;
}

const char *
cc_transform_row_op_label (const char *op)
{
  if (g_strcmp0 (op, "trim") == 0)
    return _("Trim spaces");
  if (g_strcmp0 (op, "lower") == 0)
    return _("Lower case");
  if (g_strcmp0 (op, "upper") == 0)
    return _("Upper case");
  if (g_strcmp0 (op, "default") == 0)
    return _("Default value");
  if (g_strcmp0 (op, "concat") == 0)
    return _("Join fields");
  if (g_strcmp0 (op, "date-format") == 0)
    return _("Date format");
  return op;
}

CcTransformRow *
cc_transform_row_new (const char *op)
{
  CcTransformRow *self = g_object_new (CC_TYPE_TRANSFORM_ROW,
                                       "title", cc_transform_row_op_label (op),
                                       NULL);
  gboolean has_params;

  self->op = g_strdup (op);
  gtk_label_set_label (self->op_label, cc_transform_row_op_label (op));
  gtk_widget_set_visible (GTK_WIDGET (self->value_entry), g_str_equal (op, "default"));
  gtk_widget_set_visible (GTK_WIDGET (self->fields_entry), g_str_equal (op, "concat"));
  gtk_widget_set_visible (GTK_WIDGET (self->separator_entry), g_str_equal (op, "concat"));
  gtk_widget_set_visible (GTK_WIDGET (self->format_entry), g_str_equal (op, "date-format"));
  has_params = g_str_equal (op, "default") || g_str_equal (op, "concat")
               || g_str_equal (op, "date-format");
  gtk_widget_set_visible (self->spacer, !has_params);
  if (g_str_equal (op, "concat"))
    gtk_editable_set_text (GTK_EDITABLE (self->separator_entry), " ");
  return self;
}

const char *
cc_transform_row_get_op (CcTransformRow *self)
{
  g_return_val_if_fail (CC_IS_TRANSFORM_ROW (self), NULL);
  return self->op;
}

void
cc_transform_row_load (CcTransformRow *self,
                       JsonObject     *transform)
{
  JsonArray *array;

  g_return_if_fail (CC_IS_TRANSFORM_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->value_entry),
                         cc_json_member_string (transform, "value", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->format_entry),
                         cc_json_member_string (transform, "format", ""));
  if (json_object_has_member (transform, "separator"))
    gtk_editable_set_text (GTK_EDITABLE (self->separator_entry),
                           cc_json_member_string (transform, "separator", ""));

  array = cc_json_read_array (transform, "fields");
  if (array != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (text->len > 0)
            g_string_append (text, ", ");
          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_string_append (text, json_node_get_string (item));
        }
      gtk_editable_set_text (GTK_EDITABLE (self->fields_entry), text->str);
    }
}

JsonObject *
cc_transform_row_collect (CcTransformRow *self)
{
  JsonObject *transform = json_object_new ();

  g_return_val_if_fail (CC_IS_TRANSFORM_ROW (self), NULL);

  json_object_set_string_member (transform, "op", self->op);
  if (g_str_equal (self->op, "default"))
    json_object_set_string_member (transform, "value",
                                   gtk_editable_get_text (GTK_EDITABLE (self->value_entry)));
  else if (g_str_equal (self->op, "date-format"))
    json_object_set_string_member (transform, "format",
                                   gtk_editable_get_text (GTK_EDITABLE (self->format_entry)));
  else if (g_str_equal (self->op, "concat"))
    {
      g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->fields_entry)),
                                        ",", -1);
      JsonArray *fields = json_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            json_array_add_string_element (fields, parts[i]);
        }
      json_object_set_array_member (transform, "fields", fields);
      /* The separator keeps its blanks: " " is the usual one. */
      json_object_set_string_member (transform, "separator",
                                     gtk_editable_get_text (GTK_EDITABLE (self->separator_entry)));
    }
  return transform;
}

GtkWidget *
cc_transform_row_get_widget (CcTransformRow *self,
                             const char     *member)
{
  g_return_val_if_fail (CC_IS_TRANSFORM_ROW (self), NULL);

  if (g_strcmp0 (member, "value") == 0)
    return GTK_WIDGET (self->value_entry);
  if (member != NULL && g_str_has_prefix (member, "fields"))
    return GTK_WIDGET (self->fields_entry);
  if (g_strcmp0 (member, "separator") == 0)
    return GTK_WIDGET (self->separator_entry);
  if (g_strcmp0 (member, "format") == 0)
    return GTK_WIDGET (self->format_entry);
  return GTK_WIDGET (self);
}

static void
cc_transform_row_finalize (GObject *object)
{
  CcTransformRow *self = CC_TRANSFORM_ROW (object);

  g_clear_pointer (&self->op, g_free);

  G_OBJECT_CLASS (cc_transform_row_parent_class)->finalize (object);
}

static void
cc_transform_row_class_init (CcTransformRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cc_transform_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-transform-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, op_label);
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, fields_entry);
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, separator_entry);
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, format_entry);
  gtk_widget_class_bind_template_child (widget_class, CcTransformRow, spacer);
}

static void
cc_transform_row_init (CcTransformRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
