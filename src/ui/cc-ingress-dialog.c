/* cc-ingress-dialog.c — the editor of the ingress workflow.
 *
 * A sidebar lists the table mappings (each Dynamics 365 table once) next
 * to a "General" page; each mapping is edited on its own page. A refused
 * save opens the page of the mapping the error names.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-ingress-dialog.h"
#include "cc-json-member.h"
#include "cc-json-read.h"

struct _CcIngressDialog
{
  CcEditDialog    parent_instance;

  GPtrArray      *editors;     /* CcMappingEditor*, in configuration order */
  GPtrArray      *rows;        /* their sidebar rows */

  GtkListBox     *sidebar;
  GtkListBoxRow  *general_row;
  GtkStack       *stack;
  AdwActionRow   *page_size_row;
  GtkSpinButton  *page_size_spin;
  AdwActionRow   *poll_row;
  GtkSpinButton  *poll_spin;
  AdwActionRow   *concurrency_row;
  GtkSpinButton  *concurrency_spin;
};

G_DEFINE_FINAL_TYPE (CcIngressDialog, cc_ingress_dialog, CC_TYPE_EDIT_DIALOG)

CcIngressDialog *
cc_ingress_dialog_new (CcEngine   *engine,
                       CcWorkflow *workflow)
{
  return g_object_new (CC_TYPE_INGRESS_DIALOG, "engine", engine, "workflow", workflow, NULL);
}

guint
cc_ingress_dialog_get_n_mappings (CcIngressDialog *self)
{
  g_return_val_if_fail (CC_IS_INGRESS_DIALOG (self), 0);
  return self->editors->len;
}

CcMappingEditor *
cc_ingress_dialog_get_mapping (CcIngressDialog *self,
                               guint            index)
{
  g_return_val_if_fail (CC_IS_INGRESS_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->editors->len, NULL);
  return g_ptr_array_index (self->editors, index);
}

void
cc_ingress_dialog_show_mapping (CcIngressDialog *self,
                                guint            index)
{
  g_return_if_fail (CC_IS_INGRESS_DIALOG (self));
  g_return_if_fail (index < self->rows->len);
  gtk_list_box_select_row (self->sidebar, g_ptr_array_index (self->rows, index));
}

static void
on_row_selected (CcIngressDialog *self,
                 GtkListBoxRow   *row)
{
  guint index;

  if (row == NULL || self->rows == NULL)
    return;
  if (row == self->general_row)
    gtk_stack_set_visible_child_name (self->stack, "general");
  else if (g_ptr_array_find (self->rows, row, &index))
    gtk_stack_set_visible_child (self->stack, g_ptr_array_index (self->editors, index));
}

/* Each mapping can be another's parent: tell every page the ids. */
static void
update_mapping_ids (CcIngressDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < self->editors->len; i++)
    {
      g_autoptr(JsonObject) mapping = cc_mapping_editor_collect (g_ptr_array_index (self->editors, i));
      const char *id = json_object_has_member (mapping, "id")
                       ? json_object_get_string_member (mapping, "id")
                       : json_object_get_string_member (mapping, "source");

      if (id != NULL && *id != '\0')
        g_strv_builder_add (builder, id);
    }
  ids = g_strv_builder_end (builder);
  for (guint i = 0; i < self->editors->len; i++)
    cc_mapping_editor_set_mapping_ids (g_ptr_array_index (self->editors, i),
                                       (const char * const *) ids);
}

static void
remove_mapping (CcMappingEditor *editor,
                CcIngressDialog *self)
{
  guint index;

  if (!g_ptr_array_find (self->editors, editor, &index))
    return;
  gtk_list_box_remove (self->sidebar, g_ptr_array_index (self->rows, index));
  g_ptr_array_remove_index (self->rows, index);
  gtk_stack_remove (self->stack, GTK_WIDGET (editor));
  g_ptr_array_remove_index (self->editors, index);
  gtk_list_box_select_row (self->sidebar, self->general_row);
  update_mapping_ids (self);
}

static CcMappingEditor *
add_mapping (CcIngressDialog *self,
             JsonObject      *mapping,
             gboolean         saved)
{
  CcEditDialog *dialog = CC_EDIT_DIALOG (self);
  CcMappingEditor *editor;
  GtkWidget *row, *label;

  editor = cc_mapping_editor_new (cc_edit_dialog_get_schema_loader (dialog));
  cc_mapping_editor_load (editor, mapping);
  cc_mapping_editor_set_tables_fixed (editor, saved);
  g_signal_connect (editor, "remove", G_CALLBACK (remove_mapping), self);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_bind_property (editor, "mapping-title", label, "label", G_BINDING_SYNC_CREATE);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  gtk_list_box_append (self->sidebar, row);

  gtk_stack_add_child (self->stack, GTK_WIDGET (editor));
  g_ptr_array_add (self->editors, editor);
  g_ptr_array_add (self->rows, row);
  return editor;
}

static void
add_mapping_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (widget);
  g_autoptr(JsonObject) mapping = json_object_new ();

  json_object_set_boolean_member (mapping, "apply-deletes", TRUE);
  json_object_set_string_member (mapping, "picklist-values", "technical");
  add_mapping (self, mapping, FALSE);
  cc_ingress_dialog_show_mapping (self, self->editors->len - 1);
  update_mapping_ids (self);
}

static void
on_replay_response (AdwMessageDialog *message,
                    const char       *response,
                    CcIngressDialog  *self)
{
  CcWorkflow *workflow = cc_edit_dialog_get_workflow (CC_EDIT_DIALOG (self));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "replay") != 0)
    return;
  if (!cc_workflow_replay (workflow, "all", &error))
    {
      cc_edit_dialog_add_toast (CC_EDIT_DIALOG (self), error->message);
      return;
    }
  cc_edit_dialog_add_toast (CC_EDIT_DIALOG (self),
                            _("Every mapped record will be read and written again"));
}

static void
replay_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (widget);
  GtkWidget *message;

  message = adw_message_dialog_new (GTK_WINDOW (self), _("Replay Every Mapped Table?"),
                                    _("Every Dynamics 365 record of the mapped tables is read "
                                      "again and written to Campaign with all its fields. A "
                                      "running workflow starts at once; a stopped one at its "
                                      "next start."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "replay", _("_Replay"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "replay",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
  g_signal_connect_object (message, "response", G_CALLBACK (on_replay_response), self, 0);
  gtk_window_present (GTK_WINDOW (message));
}

static void
cc_ingress_dialog_load (CcEditDialog *dialog,
                        JsonObject   *root)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (dialog);
  JsonArray *array = cc_json_read_array (root, "mappings");

  gtk_spin_button_set_value (self->page_size_spin, cc_json_read_int (root, "page-size", 5000));
  gtk_spin_button_set_value (self->poll_spin, cc_json_read_int (root, "poll-interval", 10));
  gtk_spin_button_set_value (self->concurrency_spin,
                             cc_json_read_int (root, "write-concurrency", 8));

  if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          /* Everything loaded was saved once: its tables are fixed. */
          if (JSON_NODE_HOLDS_OBJECT (item))
            add_mapping (self, json_node_get_object (item), TRUE);
        }
    }
  update_mapping_ids (self);

  /* The editor opens where its settings begin; the mappings are a click
   * (or Down) away in the sidebar. */
  gtk_list_box_select_row (self->sidebar, self->general_row);
}

static JsonNode *
cc_ingress_dialog_collect (CcEditDialog  *dialog,
                           GError       **error)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (dialog);
  JsonNode *copy = cc_edit_dialog_copy_loaded (dialog);
  JsonObject *root = json_node_get_object (copy);
  JsonArray *mappings = json_array_new ();

  json_object_set_int_member (root, "page-size", gtk_spin_button_get_value_as_int (self->page_size_spin));
  json_object_set_int_member (root, "poll-interval", gtk_spin_button_get_value_as_int (self->poll_spin));
  json_object_set_int_member (root, "write-concurrency",
                              gtk_spin_button_get_value_as_int (self->concurrency_spin));
  for (guint i = 0; i < self->editors->len; i++)
    json_array_add_object_element (mappings,
                                   cc_mapping_editor_collect (g_ptr_array_index (self->editors, i)));
  json_object_set_array_member (root, "mappings", mappings);
  return copy;
}

static gboolean
cc_ingress_dialog_show_error (CcEditDialog *dialog,
                              const char   *path,
                              const char   *message)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (dialog);
  g_autofree char *name = NULL;
  const char *rest;
  int index;

  cc_edit_dialog_path_head (path, &name, &index, &rest);
  if (g_str_equal (name, "mappings") && index >= 0 && (guint) index < self->editors->len)
    {
      cc_ingress_dialog_show_mapping (self, index);
      cc_mapping_editor_show_error (g_ptr_array_index (self->editors, index), dialog, rest, message);
      return TRUE;
    }

  gtk_list_box_select_row (self->sidebar, self->general_row);
  return CC_EDIT_DIALOG_CLASS (cc_ingress_dialog_parent_class)->show_error (dialog, path, message);
}

static void
cc_ingress_dialog_dispose (GObject *object)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (object);

  if (self->editors != NULL)
    g_ptr_array_set_size (self->editors, 0);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);
  if (gtk_widget_get_template_child (GTK_WIDGET (object), CC_TYPE_INGRESS_DIALOG, "sidebar") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_INGRESS_DIALOG);

  G_OBJECT_CLASS (cc_ingress_dialog_parent_class)->dispose (object);
}

static void
cc_ingress_dialog_finalize (GObject *object)
{
  CcIngressDialog *self = CC_INGRESS_DIALOG (object);

  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_ingress_dialog_parent_class)->finalize (object);
}

static void
cc_ingress_dialog_class_init (CcIngressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CcEditDialogClass *dialog_class = CC_EDIT_DIALOG_CLASS (klass);

  object_class->dispose = cc_ingress_dialog_dispose;
  object_class->finalize = cc_ingress_dialog_finalize;
  dialog_class->load = cc_ingress_dialog_load;
  dialog_class->collect = cc_ingress_dialog_collect;
  dialog_class->show_error = cc_ingress_dialog_show_error;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-ingress-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, general_row);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, page_size_row);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, page_size_spin);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, poll_row);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, concurrency_row);
  gtk_widget_class_bind_template_child (widget_class, CcIngressDialog, concurrency_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);

  gtk_widget_class_install_action (widget_class, "ingress.add-mapping", NULL, add_mapping_action);
  gtk_widget_class_install_action (widget_class, "ingress.replay", NULL, replay_action);
}

static void
cc_ingress_dialog_init (CcIngressDialog *self)
{
  CcEditDialog *dialog = CC_EDIT_DIALOG (self);

  self->editors = g_ptr_array_new ();
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  cc_edit_dialog_register_field (dialog, "page-size", GTK_WIDGET (self->page_size_row));
  cc_edit_dialog_register_field (dialog, "poll-interval", GTK_WIDGET (self->poll_row));
  cc_edit_dialog_register_field (dialog, "write-concurrency", GTK_WIDGET (self->concurrency_row));
  cc_edit_dialog_register_field (dialog, "mappings", GTK_WIDGET (self->sidebar));
}
