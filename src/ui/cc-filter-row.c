/* cc-filter-row.c — one filter condition.
 *
 * The value is typed as text and written with the JSON type the field
 * has in Dynamics 365 (numbers for numbers and option sets, true/false for
 * Booleans), so "statecode equals 0" compares numbers. Without a schema,
 * the value's own look decides, or the type it was loaded with.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-filter-row.h"
#include "cc-json-member.h"
#include "cc-pick-entry.h"

typedef struct
{
  const char *op;
  const char *label;
} Comparison;

static const Comparison comparisons[] = {
  { "eq", N_("equals") },
  { "ne", N_("does not equal") },
  { "gt", N_("is greater than") },
  { "ge", N_("is at least") },
  { "lt", N_("is less than") },
  { "le", N_("is at most") },
  { "contains", N_("contains") },
  { "starts-with", N_("starts with") },
  { "ends-with", N_("ends with") },
  { "is-null", N_("is empty") },
  { "is-not-null", N_("is not empty") },
};

struct _CcFilterRow
{
  CcEditRow                parent_instance;

  const CcDataverseTable  *table;
  GType                    loaded_type;   /* of the value as loaded */
  char                    *unknown_op;    /* an op this version does not know, kept */

  CcPickEntry             *field_entry;
  GtkDropDown             *op_dropdown;
  GtkEntry                *value_entry;
};

G_DEFINE_FINAL_TYPE (CcFilterRow, cc_filter_row, CC_TYPE_EDIT_ROW)

CcFilterRow *
cc_filter_row_new (void)
{
  return g_object_new (CC_TYPE_FILTER_ROW, NULL);
}

static const char *
selected_op (CcFilterRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->op_dropdown);

  if (selected < G_N_ELEMENTS (comparisons))
    return comparisons[selected].op;
  return self->unknown_op ? self->unknown_op : "eq";
}

static gboolean
takes_no_value (const char *op)
{
  return g_str_equal (op, "is-null") || g_str_equal (op, "is-not-null");
}

static void
on_op_changed (CcFilterRow *self)
{
  if (self->value_entry != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->value_entry), !takes_no_value (selected_op (self)));
}

void
cc_filter_row_load (CcFilterRow *self,
                    JsonObject  *condition)
{
  JsonNode *field, *op, *value;
  guint position = 0;

  g_return_if_fail (CC_IS_FILTER_ROW (self));

  field = json_object_get_member (condition, "field");
  op = json_object_get_member (condition, "op");
  value = json_object_get_member (condition, "value");

  if (field != NULL && JSON_NODE_HOLDS_VALUE (field) && json_node_get_value_type (field) == G_TYPE_STRING)
    cc_pick_entry_set_text (self->field_entry, json_node_get_string (field));

  if (op != NULL && JSON_NODE_HOLDS_VALUE (op) && json_node_get_value_type (op) == G_TYPE_STRING)
    {
      const char *word = json_node_get_string (op);

      position = GTK_INVALID_LIST_POSITION;
      for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
        if (g_str_equal (comparisons[i].op, word))
          position = i;
      if (position == GTK_INVALID_LIST_POSITION)
        {
          /* Keep it: the engine will say what is wrong with it. */
          GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->op_dropdown));

          g_free (self->unknown_op);
          self->unknown_op = g_strdup (word);
          gtk_string_list_append (list, word);
          position = G_N_ELEMENTS (comparisons);
        }
    }
  gtk_drop_down_set_selected (self->op_dropdown, position);

  self->loaded_type = G_TYPE_INVALID;
  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      self->loaded_type = json_node_get_value_type (value);
      if (self->loaded_type == G_TYPE_STRING)
        gtk_editable_set_text (GTK_EDITABLE (self->value_entry), json_node_get_string (value));
      else
        {
          g_autofree char *text = json_to_string (value, FALSE);
          gtk_editable_set_text (GTK_EDITABLE (self->value_entry), text);
        }
    }
  on_op_changed (self);
}

static const char *
field_type (CcFilterRow *self,
            const char  *field)
{
  const CcDataverseColumn *column;

  if (self->table == NULL)
    return NULL;
  column = cc_dataverse_table_find_column (self->table, field);
  return column != NULL ? column->attribute_type : NULL;
}

static gboolean
is_numeric_column (const char *type)
{
  static const char * const numeric[] = {
    "Integer", "BigInt", "Decimal", "Double", "Money", "Picklist", "State", "Status", NULL,
  };
  return type != NULL && g_strv_contains (numeric, type);
}

static JsonNode *
value_node (CcFilterRow *self,
            const char  *field,
            const char  *op,
            const char  *text)
{
  const char *type = field_type (self, field);
  JsonNode *node = NULL;

  /* Text comparisons always compare text. */
  if (g_str_equal (op, "contains") || g_str_equal (op, "starts-with") || g_str_equal (op, "ends-with"))
    return json_node_init_string (json_node_alloc (), text);

  if (is_numeric_column (type))
    node = cc_json_member_parse_number (text);
  else if (g_strcmp0 (type, "Boolean") == 0)
    node = cc_json_member_parse_boolean (text);
  else if (type == NULL)
    {
      if (self->loaded_type == G_TYPE_STRING)
        node = NULL;
      else if (self->loaded_type == G_TYPE_BOOLEAN)
        node = cc_json_member_parse_boolean (text);
      else if (self->loaded_type == G_TYPE_INT64 || self->loaded_type == G_TYPE_DOUBLE)
        node = cc_json_member_parse_number (text);
      else if ((node = cc_json_member_parse_number (text)) == NULL)
        node = cc_json_member_parse_boolean (text);
    }
  return node != NULL ? node : json_node_init_string (json_node_alloc (), text);
}

JsonObject *
cc_filter_row_collect (CcFilterRow *self)
{
  JsonObject *condition = json_object_new ();
  g_autofree char *field = NULL;
  const char *op;

  g_return_val_if_fail (CC_IS_FILTER_ROW (self), NULL);

  field = cc_pick_entry_dup_text (self->field_entry);
  op = selected_op (self);
  json_object_set_string_member (condition, "field", field);
  json_object_set_string_member (condition, "op", op);
  if (!takes_no_value (op))
    json_object_set_member (condition, "value",
                            value_node (self, field, op,
                                        gtk_editable_get_text (GTK_EDITABLE (self->value_entry))));
  return condition;
}

/* The columns a filter can test: those Dynamics 365 lets a query read. */
void
cc_filter_row_set_table (CcFilterRow            *self,
                         const CcDataverseTable *table)
{
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) type_builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;

  g_return_if_fail (CC_IS_FILTER_ROW (self));

  self->table = table;
  for (guint i = 0; table != NULL && table->columns != NULL && i < table->columns->len; i++)
    {
      const CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      if (!column->valid_for_read)
        continue;
      g_strv_builder_add (name_builder, column->logical_name);
      g_strv_builder_add (type_builder, column->attribute_type ? column->attribute_type : "");
    }
  names = g_strv_builder_end (name_builder);
  types = g_strv_builder_end (type_builder);
  cc_pick_entry_set_choices (self->field_entry, (const char * const *) names,
                             (const char * const *) types);
}

GtkWidget *
cc_filter_row_get_widget (CcFilterRow *self,
                          const char  *member)
{
  g_return_val_if_fail (CC_IS_FILTER_ROW (self), NULL);

  if (g_strcmp0 (member, "field") == 0)
    return GTK_WIDGET (cc_pick_entry_get_entry (self->field_entry));
  if (g_strcmp0 (member, "op") == 0)
    return GTK_WIDGET (self->op_dropdown);
  if (g_strcmp0 (member, "value") == 0)
    return GTK_WIDGET (self->value_entry);
  return GTK_WIDGET (self);
}

/* Picked from the schema: what comes next is the comparison's value. */
static void
on_field_chosen (CcFilterRow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
}

static void
cc_filter_row_finalize (GObject *object)
{
  CcFilterRow *self = CC_FILTER_ROW (object);

  g_clear_pointer (&self->unknown_op, g_free);

  G_OBJECT_CLASS (cc_filter_row_parent_class)->finalize (object);
}

static void
cc_filter_row_class_init (CcFilterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cc_filter_row_finalize;

  g_type_ensure (CC_TYPE_PICK_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-filter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcFilterRow, field_entry);
  gtk_widget_class_bind_template_child (widget_class, CcFilterRow, op_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CcFilterRow, value_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_field_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_op_changed);
}

static void
cc_filter_row_init (CcFilterRow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    gtk_string_list_append (labels, _(comparisons[i].label));
  gtk_drop_down_set_model (self->op_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->op_dropdown, 0);
}
