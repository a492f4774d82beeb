/* cc-mapping-editor.c — the page that edits one table mapping: its rows,
 * loading and collecting the configuration, and errors beside fields.
 * The live schemas it offers come from cc-mapping-editor-schema.c.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cc-accessible.h"
#include "cc-combo-choices.h"
#include "cc-json-member.h"
#include "cc-json-read.h"
#include "cc-mapping-editor-private.h"
#include "cc-picker-row.h"
#include "cc-removable.h"

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
G_DEFINE_FINAL_TYPE (CcMappingEditor, cc_mapping_editor, ADW_TYPE_PREFERENCES_PAGE)

CcMappingEditor *
cc_mapping_editor_new (CcSchemaLoader *loader)
{
  CcMappingEditor *self = g_object_new (CC_TYPE_MAPPING_EDITOR, NULL);

  self->loader = g_object_ref (loader);
  /* Its own: a removed mapping must not cancel the others' requests. */
  self->cancellable = g_cancellable_new ();
  return self;
}

const char *
cc_mapping_editor_get_title (CcMappingEditor *self)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), NULL);
  return self->title;
}

gboolean
cc_mapping_editor_get_tables_fixed (CcMappingEditor *self)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), FALSE);
  return self->tables_fixed;
}

guint
cc_mapping_editor_get_n_fields (CcMappingEditor *self)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), 0);
  return self->fields->len;
}

CcFieldRow *
cc_mapping_editor_get_field (CcMappingEditor *self,
                             guint            index)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

guint
cc_mapping_editor_get_n_filters (CcMappingEditor *self)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), 0);
  return self->filters->len;
}

CcFilterRow *
cc_mapping_editor_get_filter (CcMappingEditor *self,
                              guint            index)
{
  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->filters->len, NULL);
  return g_ptr_array_index (self->filters, index);
}

void
cc_mapping_editor_update_title (CcMappingEditor *self)
{
  g_autofree char *source = cc_picker_row_dup_value (self->source_row);
  g_autofree char *target = cc_picker_row_dup_value (self->target_row);
  const char *slash = strrchr (target, '/');
  const char *short_target = slash != NULL ? slash + 1 : target;
  g_autofree char *title = NULL;

  if (*source == '\0' && *target == '\0')
    title = g_strdup (_("New mapping"));
  else
    /* Translators: a table mapping, "Dynamics 365 table → Campaign resource" */
    title = g_strdup_printf (_("%s → %s"), *source ? source : "?", *short_target ? short_target : "?");

  if (g_strcmp0 (title, self->title) == 0)
    return;
  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* ---- rows ---------------------------------------------------------- */

static void
sync_all_updates (CcMappingEditor *self)
{
  gboolean all = self->fields->len > 0;

  for (guint i = 0; i < self->fields->len; i++)
    all = all && cc_field_row_get_apply_updates (g_ptr_array_index (self->fields, i));
  self->syncing_updates = TRUE;
  gtk_switch_set_active (self->all_updates_switch, all);
  self->syncing_updates = FALSE;
}

static void
on_all_updates_changed (CcMappingEditor *self)
{
  gboolean active;

  if (self->syncing_updates || self->fields == NULL)
    return;
  active = gtk_switch_get_active (self->all_updates_switch);
  self->syncing_updates = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    cc_field_row_set_apply_updates (g_ptr_array_index (self->fields, i), active);
  self->syncing_updates = FALSE;
}

static void
on_field_updates_changed (CcMappingEditor *self)
{
  if (!self->syncing_updates)
    sync_all_updates (self);
}

static void
remove_field (CcFieldRow      *row,
              CcMappingEditor *self)
{
  g_ptr_array_remove (self->fields, row);
  adw_preferences_group_remove (self->fields_group, GTK_WIDGET (row));
  sync_all_updates (self);
}

static CcFieldRow *
add_field (CcMappingEditor *self,
           JsonObject      *field)
{
  CcFieldRow *row = cc_field_row_new ();

  if (field != NULL)
    cc_field_row_load (row, field);
  cc_field_row_set_source_table (row, self->table);
  cc_field_row_set_target_type (row, self->type);
  cc_field_row_set_display_values (row, adw_combo_row_get_selected (self->picklist_row) == 1);
  g_signal_connect (row, "remove", G_CALLBACK (remove_field), self);
  /* The header switch says "all on" only when every row is on. */
  g_signal_connect_swapped (row, "notify::apply-updates",
                            G_CALLBACK (on_field_updates_changed), self);
  g_ptr_array_add (self->fields, row);
  adw_preferences_group_add (self->fields_group, GTK_WIDGET (row));
  return row;
}

static void
remove_filter (CcFilterRow     *row,
               CcMappingEditor *self)
{
  g_ptr_array_remove (self->filters, row);
  adw_preferences_group_remove (self->filters_group, GTK_WIDGET (row));
}

static CcFilterRow *
add_filter (CcMappingEditor *self,
            JsonObject      *condition)
{
  CcFilterRow *row = cc_filter_row_new ();

  if (condition != NULL)
    cc_filter_row_load (row, condition);
  cc_filter_row_set_table (row, self->table);
  g_signal_connect (row, "remove", G_CALLBACK (remove_filter), self);
  g_ptr_array_add (self->filters, row);
  adw_preferences_group_add (self->filters_group, GTK_WIDGET (row));
  return row;
}

static void
add_field_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CcMappingEditor *self = CC_MAPPING_EDITOR (widget);
  CcFieldRow *row = add_field (self, NULL);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  sync_all_updates (self);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
add_filter_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CcMappingEditor *self = CC_MAPPING_EDITOR (widget);
  CcFilterRow *row = add_filter (self, NULL);

  gtk_widget_grab_focus (cc_filter_row_get_widget (row, "field"));
}

static void
on_picklist_changed (CcMappingEditor *self)
{
  gboolean display;

  if (self->fields == NULL || self->picklist_row == NULL)
    return;
  display = adw_combo_row_get_selected (self->picklist_row) == 1;
  for (guint i = 0; i < self->fields->len; i++)
    cc_field_row_set_display_values (g_ptr_array_index (self->fields, i), display);
}

/* ---- load and collect ---------------------------------------------- */

void
cc_mapping_editor_load (CcMappingEditor *self,
                        JsonObject      *mapping)
{
  JsonObject *filters = cc_json_read_object (mapping, "filters");
  JsonObject *parent = cc_json_read_object (mapping, "parent");
  JsonArray *fields = cc_json_read_array (mapping, "fields");
  JsonArray *conditions = cc_json_read_array (filters, "conditions");

  g_return_if_fail (CC_IS_MAPPING_EDITOR (self));

  g_clear_pointer (&self->loaded, json_object_unref);
  self->loaded = mapping ? json_object_ref (mapping) : json_object_new ();

  gtk_editable_set_text (GTK_EDITABLE (self->id_row), cc_json_member_string (mapping, "id", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->source_row),
                         cc_json_member_string (mapping, "source", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->target_row),
                         cc_json_member_string (mapping, "target", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->target_key_row),
                         cc_json_member_string (mapping, "target-key", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->key_filter_row),
                         cc_json_member_string (mapping, "key-filter", ""));
  gtk_switch_set_active (self->apply_deletes_switch,
                         cc_json_read_boolean (mapping, "apply-deletes", TRUE));
  adw_combo_row_set_selected (self->picklist_row,
                              g_str_equal (cc_json_member_string (mapping, "picklist-values", ""),
                                           "display"));

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonNode *item = json_array_get_element (fields, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        add_field (self, json_node_get_object (item));
    }
  sync_all_updates (self);

  adw_combo_row_set_selected (self->combine_row,
                              g_str_equal (cc_json_member_string (filters, "combine", ""), "or"));
  gtk_switch_set_active (self->delete_filtered_switch,
                         cc_json_read_boolean (filters, "delete-filtered-out", FALSE));
  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonNode *item = json_array_get_element (conditions, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        add_filter (self, json_node_get_object (item));
    }

  gtk_editable_set_text (GTK_EDITABLE (self->parent_mapping_row),
                         cc_json_member_string (parent, "mapping", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->parent_field_row),
                         cc_json_member_string (parent, "field", ""));
  gtk_editable_set_text (GTK_EDITABLE (self->parent_link_row),
                         cc_json_member_string (parent, "link", ""));

  cc_mapping_editor_update_title (self);
  cc_mapping_editor_load_schemas (self);
}

static void
set_or_remove (JsonObject *object,
               const char *member,
               const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
  else if (json_object_has_member (object, member))
    json_object_remove_member (object, member);
}

JsonObject *
cc_mapping_editor_collect (CcMappingEditor *self)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *id = NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_key = NULL;
  g_autofree char *key_filter = NULL;
  g_autofree char *parent_mapping = NULL;
  g_autofree char *parent_field = NULL;
  g_autofree char *parent_link = NULL;
  JsonObject *mapping;
  JsonArray *fields;

  g_return_val_if_fail (CC_IS_MAPPING_EDITOR (self), NULL);

  copy = cc_edit_dialog_copy_object (self->loaded);
  mapping = json_object_ref (json_node_get_object (copy));

  id = cc_picker_row_dup_value (self->id_row);
  source = cc_picker_row_dup_value (self->source_row);
  target = cc_picker_row_dup_value (self->target_row);
  target_key = cc_picker_row_dup_value (self->target_key_row);
  key_filter = cc_picker_row_dup_value (self->key_filter_row);
  parent_mapping = cc_picker_row_dup_value (self->parent_mapping_row);
  parent_field = cc_picker_row_dup_value (self->parent_field_row);
  parent_link = cc_picker_row_dup_value (self->parent_link_row);

  set_or_remove (mapping, "id", id);
  json_object_set_string_member (mapping, "source", source);
  json_object_set_string_member (mapping, "target", target);
  json_object_set_string_member (mapping, "target-key", target_key);
  set_or_remove (mapping, "key-filter", key_filter);
  json_object_set_boolean_member (mapping, "apply-deletes",
                                  gtk_switch_get_active (self->apply_deletes_switch));
  json_object_set_string_member (mapping, "picklist-values",
                                 adw_combo_row_get_selected (self->picklist_row) == 1
                                 ? "display" : "technical");

  fields = json_array_new ();
  for (guint i = 0; i < self->fields->len; i++)
    json_array_add_object_element (fields, cc_field_row_collect (g_ptr_array_index (self->fields, i)));
  json_object_set_array_member (mapping, "fields", fields);

  if (self->filters->len > 0)
    {
      JsonObject *filters = json_object_new ();
      JsonArray *conditions = json_array_new ();

      json_object_set_string_member (filters, "combine",
                                     adw_combo_row_get_selected (self->combine_row) == 1 ? "or" : "and");
      for (guint i = 0; i < self->filters->len; i++)
        json_array_add_object_element (conditions,
                                       cc_filter_row_collect (g_ptr_array_index (self->filters, i)));
      json_object_set_array_member (filters, "conditions", conditions);
      json_object_set_boolean_member (filters, "delete-filtered-out",
                                      gtk_switch_get_active (self->delete_filtered_switch));
      json_object_set_object_member (mapping, "filters", filters);
    }
  else if (json_object_has_member (mapping, "filters"))
    json_object_remove_member (mapping, "filters");

  if (*parent_mapping != '\0' || *parent_field != '\0')
    {
      JsonObject *parent = json_object_new ();

      json_object_set_string_member (parent, "mapping", parent_mapping);
      json_object_set_string_member (parent, "field", parent_field);
      set_or_remove (parent, "link", parent_link);
      json_object_set_object_member (mapping, "parent", parent);
    }
  else if (json_object_has_member (mapping, "parent"))
    json_object_remove_member (mapping, "parent");

  return mapping;
}

void
cc_mapping_editor_set_tables_fixed (CcMappingEditor *self,
                                    gboolean         fixed)
{
  g_return_if_fail (CC_IS_MAPPING_EDITOR (self));

  self->tables_fixed = fixed;
  gtk_editable_set_editable (GTK_EDITABLE (self->source_row), !fixed);
  gtk_editable_set_editable (GTK_EDITABLE (self->target_row), !fixed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !fixed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), !fixed);
  adw_preferences_group_set_description (self->tables_group,
                                         fixed ? _("The tables of a saved mapping cannot change. "
                                                   "To map other tables, remove this mapping and "
                                                   "add a new one.")
                                               : NULL);
}

void
cc_mapping_editor_set_mapping_ids (CcMappingEditor    *self,
                                   const char * const *ids)
{
  g_return_if_fail (CC_IS_MAPPING_EDITOR (self));
  cc_picker_row_set_choices (self->parent_mapping_row, ids, NULL);
}

void
cc_mapping_editor_show_error (CcMappingEditor *self,
                              CcEditDialog    *dialog,
                              const char      *path,
                              const char      *message)
{
  g_autofree char *name = NULL;
  const char *rest = NULL;
  GtkWidget *widget = GTK_WIDGET (self->tables_group);
  int index = -1;

  g_return_if_fail (CC_IS_MAPPING_EDITOR (self));

  cc_edit_dialog_path_head (path != NULL ? path : "", &name, &index, &rest);

  if (g_str_equal (name, "fields") && index >= 0 && (guint) index < self->fields->len)
    {
      cc_field_row_show_error (g_ptr_array_index (self->fields, index), dialog, rest, message);
      return;
    }
  if (g_str_equal (name, "filters") && rest != NULL)
    {
      g_autofree char *inner = NULL;
      const char *member = NULL;
      int n = -1;

      cc_edit_dialog_path_head (rest, &inner, &n, &member);
      if (g_str_equal (inner, "conditions") && n >= 0 && (guint) n < self->filters->len)
        widget = cc_filter_row_get_widget (g_ptr_array_index (self->filters, n), member);
      else if (g_str_equal (inner, "combine"))
        widget = GTK_WIDGET (self->combine_row);
      else if (g_str_equal (inner, "delete-filtered-out"))
        widget = GTK_WIDGET (self->delete_filtered_row);
      else
        widget = GTK_WIDGET (self->filters_group);
    }
  else if (g_str_equal (name, "filters"))
    widget = GTK_WIDGET (self->filters_group);
  else if (g_str_equal (name, "parent") && g_strcmp0 (rest, "field") == 0)
    widget = GTK_WIDGET (self->parent_field_row);
  else if (g_str_equal (name, "parent") && g_strcmp0 (rest, "link") == 0)
    widget = GTK_WIDGET (self->parent_link_row);
  else if (g_str_equal (name, "parent"))
    widget = GTK_WIDGET (self->parent_mapping_row);
  else if (g_str_equal (name, "fields"))
    widget = GTK_WIDGET (self->fields_group);
  else if (g_str_equal (name, "id"))
    widget = GTK_WIDGET (self->id_row);
  else if (g_str_equal (name, "source"))
    widget = GTK_WIDGET (self->source_row);
  else if (g_str_equal (name, "target"))
    widget = GTK_WIDGET (self->target_row);
  else if (g_str_equal (name, "target-key"))
    widget = GTK_WIDGET (self->target_key_row);
  else if (g_str_equal (name, "key-filter"))
    widget = GTK_WIDGET (self->key_filter_row);
  else if (g_str_equal (name, "apply-deletes"))
    widget = GTK_WIDGET (self->apply_deletes_row);
  else if (g_str_equal (name, "picklist-values"))
    widget = GTK_WIDGET (self->picklist_row);

  cc_edit_dialog_mark_error (dialog, widget, message);
}

/* ---- life ---------------------------------------------------------- */

static void
cc_mapping_editor_dispose (GObject *object)
{
  CcMappingEditor *self = CC_MAPPING_EDITOR (object);

  g_clear_handle_id (&self->table_timeout, g_source_remove);
  g_clear_handle_id (&self->resource_timeout, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->fields != NULL)
    g_ptr_array_set_size (self->fields, 0);
  if (self->filters != NULL)
    g_ptr_array_set_size (self->filters, 0);
  if (gtk_widget_get_template_child (GTK_WIDGET (self), CC_TYPE_MAPPING_EDITOR, "source_row") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_MAPPING_EDITOR);

  G_OBJECT_CLASS (cc_mapping_editor_parent_class)->dispose (object);
}

static void
cc_mapping_editor_finalize (GObject *object)
{
  CcMappingEditor *self = CC_MAPPING_EDITOR (object);

  g_clear_object (&self->loader);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loaded, json_object_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cc_mapping_editor_parent_class)->finalize (object);
}

static void
cc_mapping_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CcMappingEditor *self = CC_MAPPING_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_mapping_editor_class_init (CcMappingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_mapping_editor_dispose;
  object_class->finalize = cc_mapping_editor_finalize;
  object_class->get_property = cc_mapping_editor_get_property;

  /* AdwPreferencesPage has a "title" of its own; ours is the mapping's. */
  properties[PROP_TITLE] =
    g_param_spec_string ("mapping-title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CC_TYPE_PICKER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-mapping-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, tables_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, source_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, target_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, keys_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, primary_key_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, target_key_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, key_filter_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, fields_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, all_updates_switch);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, filters_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, filter_options_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, combine_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, delete_filtered_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, delete_filtered_switch);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, apply_deletes_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, apply_deletes_switch);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, picklist_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, advanced_group);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, id_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, parent_mapping_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, parent_field_row);
  gtk_widget_class_bind_template_child (widget_class, CcMappingEditor, parent_link_row);
  gtk_widget_class_bind_template_callback (widget_class, on_all_updates_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_picklist_changed);
  /* ::remove: the user asked to remove this mapping. */
  cc_removable_install (widget_class);

  gtk_widget_class_install_action (widget_class, "mapping.add-field", NULL, add_field_action);
  gtk_widget_class_install_action (widget_class, "mapping.add-filter", NULL, add_filter_action);
}

static void
cc_mapping_editor_init (CcMappingEditor *self)
{
  self->fields = g_ptr_array_new ();
  self->filters = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  cc_accessible_name_group_list (self->filter_options_group, _("Filter options"));
  cc_combo_choices_show_whole (GTK_WIDGET (self));

  cc_mapping_editor_watch_schemas (self);
  cc_mapping_editor_update_title (self);
}
