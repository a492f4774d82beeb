/* cc-field-row.c — one field mapping, folded into one expandable row.
 *
 * Folded, the row says "source → target" with both data types and keeps
 * the "apply updates" switch at hand; unfolded, it edits the two fields,
 * the transforms (in order) and the replacements (picked from the
 * column's options for picklists and Booleans).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-field-row.h"
#include "cc-json-member.h"
#include "cc-json-read.h"
#include "cc-picker-row.h"
#include "cc-replacement-row.h"
#include "cc-schema-loader.h"
#include "cc-transform-row.h"
#include "cc-removable.h"

struct _CcFieldRow
{
  AdwExpanderRow                parent_instance;

  const CcDataverseTable       *table;
  const CcCampaignResourceType *type;
  gboolean                      display_values;
  GPtrArray                    *transforms;     /* CcTransformRow* */
  GPtrArray                    *replacements;   /* CcReplacementRow* */

  GtkSwitch                    *updates_switch;
  CcPickerRow                  *source_row;
  CcPickerRow                  *target_row;
  GtkListBox                   *transforms_list;
  GtkListBox                   *replacements_list;
};

enum {
  PROP_0,
  PROP_APPLY_UPDATES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
G_DEFINE_FINAL_TYPE (CcFieldRow, cc_field_row, ADW_TYPE_EXPANDER_ROW)

CcFieldRow *
cc_field_row_new (void)
{
  return g_object_new (CC_TYPE_FIELD_ROW, NULL);
}

char *
cc_field_row_dup_source (CcFieldRow *self)
{
  g_return_val_if_fail (CC_IS_FIELD_ROW (self), NULL);
  return cc_picker_row_dup_value (self->source_row);
}

char *
cc_field_row_dup_target (CcFieldRow *self)
{
  g_return_val_if_fail (CC_IS_FIELD_ROW (self), NULL);
  return cc_picker_row_dup_value (self->target_row);
}

gboolean
cc_field_row_get_apply_updates (CcFieldRow *self)
{
  g_return_val_if_fail (CC_IS_FIELD_ROW (self), TRUE);
  return gtk_switch_get_active (self->updates_switch);
}

void
cc_field_row_set_apply_updates (CcFieldRow *self,
                                gboolean    apply)
{
  g_return_if_fail (CC_IS_FIELD_ROW (self));
  gtk_switch_set_active (self->updates_switch, apply);
}

static void
update_title (CcFieldRow *self)
{
  g_autofree char *source = cc_picker_row_dup_value (self->source_row);
  g_autofree char *target = cc_picker_row_dup_value (self->target_row);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *source_type = cc_picker_row_get_detail (self->source_row);
  const char *target_type = cc_picker_row_get_detail (self->target_row);

  /* Translators: a field mapping, "Dynamics 365 field → Campaign field" */
  title = g_strdup_printf (_("%s → %s"), *source ? source : _("(no field)"),
                           *target ? target : _("(no field)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  if (source_type != NULL || target_type != NULL)
    subtitle = g_strdup_printf (_("%s → %s"), source_type ? source_type : "?",
                                target_type ? target_type : "?");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle ? subtitle : "");
}

static const CcCampaignField *
target_field (CcFieldRow *self)
{
  g_autofree char *target = cc_picker_row_dup_value (self->target_row);

  return self->type != NULL ? cc_campaign_resource_type_find_field (self->type, target) : NULL;
}

/* The values the source column can hold, as replacements compare them:
 * option numbers (or labels with display values) and true/false. */
static void
update_replacement_choices (CcFieldRow *self)
{
  g_autofree char *source = cc_picker_row_dup_value (self->source_row);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) value_list = NULL;
  g_auto(GStrv) label_list = NULL;
  const CcDataverseColumn *column = NULL;

  if (self->table != NULL)
    column = cc_dataverse_table_find_column (self->table, source);

  if (column != NULL && g_strcmp0 (column->attribute_type, "Boolean") == 0)
    {
      const char *yes = cc_dataverse_column_get_label (column, 1);
      const char *no = cc_dataverse_column_get_label (column, 0);

      if (self->display_values && yes != NULL && no != NULL)
        {
          g_strv_builder_add (values, yes);
          g_strv_builder_add (labels, "true");
          g_strv_builder_add (values, no);
          g_strv_builder_add (labels, "false");
        }
      else
        {
          g_strv_builder_add (values, "true");
          g_strv_builder_add (labels, yes ? yes : "");
          g_strv_builder_add (values, "false");
          g_strv_builder_add (labels, no ? no : "");
        }
    }
  else if (column != NULL && column->options != NULL && column->options->len > 0)
    {
      for (guint i = 0; i < column->options->len; i++)
        {
          const CcDataverseOption *option = g_ptr_array_index (column->options, i);
          g_autofree char *number = g_strdup_printf ("%d", option->value);

          if (self->display_values && option->label != NULL)
            {
              g_strv_builder_add (values, option->label);
              g_strv_builder_add (labels, number);
            }
          else
            {
              g_strv_builder_add (values, number);
              g_strv_builder_add (labels, option->label ? option->label : "");
            }
        }
    }
  value_list = g_strv_builder_end (values);
  label_list = g_strv_builder_end (labels);

  for (guint i = 0; i < self->replacements->len; i++)
    cc_replacement_row_set_from_choices (g_ptr_array_index (self->replacements, i),
                                         value_list[0] ? (const char * const *) value_list : NULL,
                                         (const char * const *) label_list);
}

static void
on_source_changed (CcFieldRow *self)
{
  update_title (self);
  update_replacement_choices (self);
}

static void
remove_transform (CcTransformRow *row,
                  CcFieldRow     *self)
{
  g_ptr_array_remove (self->transforms, row);
  gtk_list_box_remove (self->transforms_list, GTK_WIDGET (row));
  gtk_widget_set_visible (GTK_WIDGET (self->transforms_list), self->transforms->len > 0);
}

static CcTransformRow *
add_transform (CcFieldRow *self,
               const char *op)
{
  CcTransformRow *row = cc_transform_row_new (op);

  g_signal_connect (row, "remove", G_CALLBACK (remove_transform), self);
  g_ptr_array_add (self->transforms, row);
  gtk_list_box_append (self->transforms_list, GTK_WIDGET (row));
  gtk_widget_set_visible (GTK_WIDGET (self->transforms_list), TRUE);
  return row;
}

static void
remove_replacement (CcReplacementRow *row,
                    CcFieldRow       *self)
{
  g_ptr_array_remove (self->replacements, row);
  gtk_list_box_remove (self->replacements_list, GTK_WIDGET (row));
  gtk_widget_set_visible (GTK_WIDGET (self->replacements_list), self->replacements->len > 0);
}

static CcReplacementRow *
add_replacement (CcFieldRow *self,
                 JsonObject *replacement)
{
  CcReplacementRow *row = cc_replacement_row_new ();

  if (replacement != NULL)
    cc_replacement_row_load (row, replacement);
  g_signal_connect (row, "remove", G_CALLBACK (remove_replacement), self);
  g_ptr_array_add (self->replacements, row);
  gtk_list_box_append (self->replacements_list, GTK_WIDGET (row));
  gtk_widget_set_visible (GTK_WIDGET (self->replacements_list), TRUE);
  return row;
}

static void
add_transform_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CcFieldRow *self = CC_FIELD_ROW (widget);
  CcTransformRow *row = add_transform (self, g_variant_get_string (parameter, NULL));

  gtk_widget_grab_focus (cc_transform_row_get_widget (row, "value"));
}

static void
add_replacement_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CcFieldRow *self = CC_FIELD_ROW (widget);

  add_replacement (self, NULL);
  update_replacement_choices (self);
}

void
cc_field_row_load (CcFieldRow *self,
                   JsonObject *field)
{
  JsonNode *node;
  JsonArray *array;

  g_return_if_fail (CC_IS_FIELD_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->source_row),
                         cc_json_member_string (field, "source", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->target_row),
                         cc_json_member_string (field, "target", ""));
  node = json_object_get_member (field, "apply-updates");
  gtk_switch_set_active (self->updates_switch,
                         node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_boolean (node));

  array = cc_json_read_array (field, "transforms");
  if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *transform;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          transform = json_node_get_object (item);
          cc_transform_row_load (add_transform (self, cc_json_member_string (transform, "op", "")),
                                 transform);
        }
    }

  array = cc_json_read_array (field, "replacements");
  if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (item))
            add_replacement (self, json_node_get_object (item));
        }
    }
  update_title (self);
  update_replacement_choices (self);
}

JsonObject *
cc_field_row_collect (CcFieldRow *self)
{
  JsonObject *field = json_object_new ();
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  const CcCampaignField *campaign_field;

  g_return_val_if_fail (CC_IS_FIELD_ROW (self), NULL);

  source = cc_picker_row_dup_value (self->source_row);
  target = cc_picker_row_dup_value (self->target_row);
  json_object_set_string_member (field, "source", source);
  json_object_set_string_member (field, "target", target);
  json_object_set_boolean_member (field, "apply-updates", gtk_switch_get_active (self->updates_switch));

  if (self->transforms->len > 0)
    {
      JsonArray *transforms = json_array_new ();

      for (guint i = 0; i < self->transforms->len; i++)
        json_array_add_object_element (transforms,
                                       cc_transform_row_collect (g_ptr_array_index (self->transforms, i)));
      json_object_set_array_member (field, "transforms", transforms);
    }

  campaign_field = target_field (self);
  if (self->replacements->len > 0)
    {
      JsonArray *replacements = json_array_new ();

      for (guint i = 0; i < self->replacements->len; i++)
        json_array_add_object_element (replacements,
                                       cc_replacement_row_collect (g_ptr_array_index (self->replacements, i),
                                                                   campaign_field ? campaign_field->type
                                                                                  : NULL));
      json_object_set_array_member (field, "replacements", replacements);
    }
  return field;
}

void
cc_field_row_set_source_table (CcFieldRow             *self,
                               const CcDataverseTable *table)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;

  g_return_if_fail (CC_IS_FIELD_ROW (self));

  self->table = table;
  if (table != NULL)
    cc_schema_loader_table_columns (table, &names, &types);
  cc_picker_row_set_choices (self->source_row, (const char * const *) names,
                             (const char * const *) types);
  update_title (self);
  update_replacement_choices (self);
}

void
cc_field_row_set_target_type (CcFieldRow                   *self,
                              const CcCampaignResourceType *type)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;

  g_return_if_fail (CC_IS_FIELD_ROW (self));

  self->type = type;
  /* Read-only fields cannot be written: they are not offered. */
  if (type != NULL)
    cc_schema_loader_resource_fields (type, TRUE, &names, &types);
  cc_picker_row_set_choices (self->target_row, (const char * const *) names,
                             (const char * const *) types);
  update_title (self);
}

void
cc_field_row_set_display_values (CcFieldRow *self,
                                 gboolean    display)
{
  g_return_if_fail (CC_IS_FIELD_ROW (self));

  if (self->display_values == display)
    return;
  self->display_values = display;
  update_replacement_choices (self);
}

void
cc_field_row_show_error (CcFieldRow   *self,
                         CcEditDialog *dialog,
                         const char   *path,
                         const char   *message)
{
  g_autofree char *name = NULL;
  const char *rest = NULL;
  GtkWidget *widget = GTK_WIDGET (self);
  int index = -1;

  g_return_if_fail (CC_IS_FIELD_ROW (self));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  cc_edit_dialog_path_head (path != NULL ? path : "", &name, &index, &rest);

  if (g_str_equal (name, "source"))
    widget = GTK_WIDGET (self->source_row);
  else if (g_str_equal (name, "target"))
    widget = GTK_WIDGET (self->target_row);
  else if (g_str_equal (name, "apply-updates"))
    widget = GTK_WIDGET (self->updates_switch);
  else if (g_str_equal (name, "transforms") && index >= 0 && (guint) index < self->transforms->len)
    widget = cc_transform_row_get_widget (g_ptr_array_index (self->transforms, index), rest);
  else if (g_str_equal (name, "replacements") && index >= 0 && (guint) index < self->replacements->len)
    widget = cc_replacement_row_get_widget (g_ptr_array_index (self->replacements, index), rest);

  cc_edit_dialog_mark_error (dialog, widget, message);
}

static void
cc_field_row_dispose (GObject *object)
{
  CcFieldRow *self = CC_FIELD_ROW (object);

  if (self->transforms != NULL)
    g_ptr_array_set_size (self->transforms, 0);
  if (self->replacements != NULL)
    g_ptr_array_set_size (self->replacements, 0);
  if (gtk_widget_get_template_child (GTK_WIDGET (object), CC_TYPE_FIELD_ROW, "source_row") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_FIELD_ROW);

  G_OBJECT_CLASS (cc_field_row_parent_class)->dispose (object);
}

static void
cc_field_row_finalize (GObject *object)
{
  CcFieldRow *self = CC_FIELD_ROW (object);

  g_clear_pointer (&self->transforms, g_ptr_array_unref);
  g_clear_pointer (&self->replacements, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_field_row_parent_class)->finalize (object);
}

static void
cc_field_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CcFieldRow *self = CC_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_APPLY_UPDATES:
      g_value_set_boolean (value, cc_field_row_get_apply_updates (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_field_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CcFieldRow *self = CC_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_APPLY_UPDATES:
      cc_field_row_set_apply_updates (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_updates_switched (CcFieldRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLY_UPDATES]);
}

static void
cc_field_row_class_init (CcFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_field_row_dispose;
  object_class->finalize = cc_field_row_finalize;
  object_class->get_property = cc_field_row_get_property;
  object_class->set_property = cc_field_row_set_property;

  properties[PROP_APPLY_UPDATES] =
    g_param_spec_boolean ("apply-updates", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CC_TYPE_PICKER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcFieldRow, updates_switch);
  gtk_widget_class_bind_template_child (widget_class, CcFieldRow, source_row);
  gtk_widget_class_bind_template_child (widget_class, CcFieldRow, target_row);
  gtk_widget_class_bind_template_child (widget_class, CcFieldRow, transforms_list);
  gtk_widget_class_bind_template_child (widget_class, CcFieldRow, replacements_list);
  /* ::remove: the user asked to remove this field mapping. */
  cc_removable_install (widget_class);

  gtk_widget_class_install_action (widget_class, "field.add-transform", "s", add_transform_action);
  gtk_widget_class_install_action (widget_class, "field.add-replacement", NULL, add_replacement_action);
}

static void
cc_field_row_init (CcFieldRow *self)
{
  self->transforms = g_ptr_array_new ();
  self->replacements = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->source_row, "changed", G_CALLBACK (on_source_changed), self);
  g_signal_connect_swapped (self->target_row, "changed", G_CALLBACK (update_title), self);
  g_signal_connect_swapped (self->updates_switch, "notify::active",
                            G_CALLBACK (on_updates_switched), self);
}
