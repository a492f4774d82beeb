/* cc-replacement-row.c — "when Dynamics 365 says X, write Y".
 *
 * For picklists and Booleans the Dynamics 365 side is a list of the
 * values the column can hold (shown with their labels); for other columns
 * it is typed. "from" is always text, compared with the source value's
 * string form; "to" is written with the JSON type the Campaign field
 * expects.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-json-member.h"
#include "cc-replacement-row.h"

struct _CcReplacementRow
{
  CcEditRow      parent_instance;

  GStrv          values;      /* what each dropdown item stands for */
  JsonNodeType   to_node_type;
  GType          to_value_type;

  GtkEntry      *from_entry;
  GtkDropDown   *from_dropdown;
  GtkEntry      *to_entry;
};

G_DEFINE_FINAL_TYPE (CcReplacementRow, cc_replacement_row, CC_TYPE_EDIT_ROW)

CcReplacementRow *
cc_replacement_row_new (void)
{
  return g_object_new (CC_TYPE_REPLACEMENT_ROW, NULL);
}

char *
cc_replacement_row_dup_from (CcReplacementRow *self)
{
  guint selected;

  g_return_val_if_fail (CC_IS_REPLACEMENT_ROW (self), NULL);

  if (self->values == NULL)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
  selected = gtk_drop_down_get_selected (self->from_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (self->values))
    return g_strdup ("");
  return g_strdup (self->values[selected]);
}

void
cc_replacement_row_set_from_choices (CcReplacementRow   *self,
                                     const char * const *values,
                                     const char * const *labels)
{
  g_autofree char *current = NULL;
  g_autoptr(GStrvBuilder) kept = NULL;
  g_autoptr(GtkStringList) shown = NULL;
  guint selected = 0;
  guint n = 0;

  g_return_if_fail (CC_IS_REPLACEMENT_ROW (self));

  current = cc_replacement_row_dup_from (self);
  g_clear_pointer (&self->values, g_strfreev);

  if (values == NULL || values[0] == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), current);
      gtk_widget_set_visible (GTK_WIDGET (self->from_entry), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->from_dropdown), FALSE);
      return;
    }

  kept = g_strv_builder_new ();
  shown = gtk_string_list_new (NULL);
  for (guint i = 0; values[i] != NULL; i++, n++)
    {
      const char *label = labels != NULL ? labels[i] : NULL;
      g_autofree char *text = label != NULL && *label != '\0'
                              ? g_strdup_printf ("%s — %s", values[i], label)
                              : g_strdup (values[i]);

      g_strv_builder_add (kept, values[i]);
      gtk_string_list_append (shown, text);
      if (g_strcmp0 (values[i], current) == 0)
        selected = n;
    }
  /* A value the column no longer offers stays visible as it is. */
  if (*current != '\0' && !g_strv_contains (values, current))
    {
      g_strv_builder_add (kept, current);
      gtk_string_list_append (shown, current);
      selected = n;
    }
  self->values = g_strv_builder_end (kept);
  gtk_drop_down_set_model (self->from_dropdown, G_LIST_MODEL (shown));
  gtk_drop_down_set_selected (self->from_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->from_entry), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->from_dropdown), TRUE);
}

void
cc_replacement_row_load (CcReplacementRow *self,
                         JsonObject       *replacement)
{
  JsonNode *from, *to;
  g_autofree char *to_text = NULL;

  g_return_if_fail (CC_IS_REPLACEMENT_ROW (self));

  from = json_object_get_member (replacement, "from");
  to = json_object_get_member (replacement, "to");

  if (from != NULL && JSON_NODE_HOLDS_VALUE (from))
    {
      g_autofree char *text = NULL;

      if (json_node_get_value_type (from) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (from));
      else
        text = json_to_string (from, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), text);
    }

  self->to_node_type = to != NULL ? json_node_get_node_type (to) : JSON_NODE_VALUE;
  self->to_value_type = to != NULL && JSON_NODE_HOLDS_VALUE (to) ? json_node_get_value_type (to)
                                                                 : G_TYPE_STRING;
  if (to == NULL || JSON_NODE_HOLDS_NULL (to))
    to_text = g_strdup ("");
  else if (JSON_NODE_HOLDS_VALUE (to) && json_node_get_value_type (to) == G_TYPE_STRING)
    to_text = g_strdup (json_node_get_string (to));
  else
    to_text = json_to_string (to, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to_text);
}

static gboolean
is_numeric_type (const char *type)
{
  static const char * const numeric[] = {
    "long", "int", "short", "byte", "double", "float", "decimal", "int64", "number", NULL,
  };
  return type != NULL && g_strv_contains (numeric, type);
}

static JsonNode *
to_node (CcReplacementRow *self,
         const char       *text,
         const char       *target_type)
{
  JsonNode *node = NULL;

  if (is_numeric_type (target_type)
      || (target_type == NULL && (self->to_value_type == G_TYPE_INT64
                                  || self->to_value_type == G_TYPE_DOUBLE)))
    node = cc_json_member_parse_number (text);
  else if (g_strcmp0 (target_type, "boolean") == 0
           || (target_type == NULL && self->to_value_type == G_TYPE_BOOLEAN))
    node = cc_json_member_parse_boolean (text);
  else if (*text == '\0' && self->to_node_type == JSON_NODE_NULL)
    node = json_node_init_null (json_node_alloc ());

  /* Anything else is text: the engine says if the field wants otherwise. */
  return node != NULL ? node : json_node_init_string (json_node_alloc (), text);
}

JsonObject *
cc_replacement_row_collect (CcReplacementRow *self,
                            const char       *target_type)
{
  JsonObject *replacement = json_object_new ();
  g_autofree char *from = NULL;

  g_return_val_if_fail (CC_IS_REPLACEMENT_ROW (self), NULL);

  from = cc_replacement_row_dup_from (self);
  json_object_set_string_member (replacement, "from", from);
  json_object_set_member (replacement, "to",
                          to_node (self, gtk_editable_get_text (GTK_EDITABLE (self->to_entry)),
                                   target_type));
  return replacement;
}

GtkWidget *
cc_replacement_row_get_widget (CcReplacementRow *self,
                               const char       *member)
{
  g_return_val_if_fail (CC_IS_REPLACEMENT_ROW (self), NULL);

  if (g_strcmp0 (member, "from") == 0)
    return self->values != NULL ? GTK_WIDGET (self->from_dropdown) : GTK_WIDGET (self->from_entry);
  if (g_strcmp0 (member, "to") == 0)
    return GTK_WIDGET (self->to_entry);
  return GTK_WIDGET (self);
}

static void
cc_replacement_row_finalize (GObject *object)
{
  CcReplacementRow *self = CC_REPLACEMENT_ROW (object);

  g_clear_pointer (&self->values, g_strfreev);

  G_OBJECT_CLASS (cc_replacement_row_parent_class)->finalize (object);
}

static void
cc_replacement_row_class_init (CcReplacementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cc_replacement_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-replacement-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcReplacementRow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CcReplacementRow, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CcReplacementRow, to_entry);
}

static void
cc_replacement_row_init (CcReplacementRow *self)
{
  self->to_node_type = JSON_NODE_VALUE;
  self->to_value_type = G_TYPE_STRING;
  gtk_widget_init_template (GTK_WIDGET (self));
}
