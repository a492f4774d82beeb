/* cc-optinout-dialog.c — the editor of the Opt-in/Opt-out workflow.
 *
 * Direction (four choices), the field pairs, the conflict policy (only
 * meaningful both ways), where the profile flags are read and written,
 * how often to poll and how many writers run at once.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-json-member.h"
#include "cc-json-read.h"
#include "cc-optinout-config.h"
#include "cc-optinout-dialog.h"
#include "cc-pair-row.h"
#include "cc-picker-row.h"

static const char * const directions[] = {
  "dynamics-to-campaign", "campaign-to-dynamics", "bidirectional", "off",
};
static const char * const policies[] = { "latest", "dynamics", "campaign" };

typedef struct
{
  const char *key;
  const char *title;
  const char *fallback;
} NamedField;

static const NamedField advanced_fields[] = {
  { "campaign-resource", N_("Campaign Resource"), "profileAndServicesExt/profile" },
  { "campaign-key", N_("Field Holding the Dynamics 365 Id"), "externalId" },
  { "key-filter", N_("Filter to Find a Profile by Id"), "byExternalId" },
  { "modified-filter", N_("Filter to Find Changed Profiles"), "byLastModifiedSince" },
};

struct _CcOptinoutDialog
{
  CcEditDialog          parent_instance;

  GPtrArray            *pairs;        /* CcPairRow*, in order */
  GStrv                 boolean_columns;
  GStrv                 boolean_labels;
  CcPickerRow          *advanced_rows[G_N_ELEMENTS (advanced_fields)];

  AdwComboRow          *direction_row;
  AdwComboRow          *conflict_row;
  AdwPreferencesGroup  *pairs_group;
  AdwExpanderRow       *advanced_row;
  AdwActionRow         *poll_row;
  GtkSpinButton        *poll_spin;
  AdwActionRow         *concurrency_row;
  GtkSpinButton        *concurrency_spin;
};

G_DEFINE_FINAL_TYPE (CcOptinoutDialog, cc_optinout_dialog, CC_TYPE_EDIT_DIALOG)

CcOptinoutDialog *
cc_optinout_dialog_new (CcEngine   *engine,
                        CcWorkflow *workflow)
{
  return g_object_new (CC_TYPE_OPTINOUT_DIALOG, "engine", engine, "workflow", workflow, NULL);
}

static guint
index_of (const char * const *words,
          guint               n_words,
          const char         *word)
{
  for (guint i = 0; i < n_words; i++)
    if (g_strcmp0 (words[i], word) == 0)
      return i;
  return 0;
}

static const char *
current_direction (CcOptinoutDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->direction_row);

  return directions[MIN (selected, G_N_ELEMENTS (directions) - 1)];
}

static void
on_direction_changed (CcOptinoutDialog *self)
{
  const char *direction;

  /* Also called while the template is still being built. */
  if (self->direction_row == NULL || self->conflict_row == NULL || self->pairs == NULL)
    return;
  direction = current_direction (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->conflict_row), g_str_equal (direction, "bidirectional"));
  for (guint i = 0; i < self->pairs->len; i++)
    cc_pair_row_set_direction (g_ptr_array_index (self->pairs, i), direction);
}

static void
on_pair_remove (CcPairRow        *row,
                CcOptinoutDialog *self)
{
  g_ptr_array_remove (self->pairs, row);
  adw_preferences_group_remove (self->pairs_group, GTK_WIDGET (row));
}

static CcPairRow *
add_pair (CcOptinoutDialog *self,
          const char       *dynamics,
          const char       *campaign)
{
  CcPairRow *row = cc_pair_row_new ();

  cc_pair_row_set_pair (row, dynamics, campaign);
  cc_pair_row_set_direction (row, current_direction (self));
  if (self->boolean_columns != NULL)
    cc_pair_row_set_dynamics_choices (row, (const char * const *) self->boolean_columns,
                                      (const char * const *) self->boolean_labels);
  g_signal_connect (row, "remove", G_CALLBACK (on_pair_remove), self);
  g_ptr_array_add (self->pairs, row);
  adw_preferences_group_add (self->pairs_group, GTK_WIDGET (row));
  return row;
}

static void
add_pair_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (widget);
  CcPairRow *row = add_pair (self, "", NULL);

  gtk_widget_grab_focus (cc_pair_row_get_dynamics_widget (row));
}

static void
on_contact_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CcOptinoutDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  const CcDataverseTable *table;

  table = cc_schema_loader_get_table_finish (CC_SCHEMA_LOADER (object), result, &error);
  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("contact columns: %s", error->message);
      return;
    }

  /* Only a Boolean can mirror a block-list flag. */
  for (guint i = 0; i < table->columns->len; i++)
    {
      const CcDataverseColumn *column = g_ptr_array_index (table->columns, i);

      if (g_strcmp0 (column->attribute_type, "Boolean") != 0)
        continue;
      g_strv_builder_add (names, column->logical_name);
      g_strv_builder_add (labels, column->attribute_type);
    }
  g_clear_pointer (&self->boolean_columns, g_strfreev);
  g_clear_pointer (&self->boolean_labels, g_strfreev);
  self->boolean_columns = g_strv_builder_end (names);
  self->boolean_labels = g_strv_builder_end (labels);
  for (guint i = 0; i < self->pairs->len; i++)
    cc_pair_row_set_dynamics_choices (g_ptr_array_index (self->pairs, i),
                                      (const char * const *) self->boolean_columns,
                                      (const char * const *) self->boolean_labels);
}

static void
cc_optinout_dialog_load (CcEditDialog *dialog,
                         JsonObject   *root)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (dialog);
  JsonArray *array = cc_json_read_array (root, "pairs");

  adw_combo_row_set_selected (self->direction_row,
                              index_of (directions, G_N_ELEMENTS (directions),
                                        cc_json_member_string (root, "direction",
                                                               "dynamics-to-campaign")));
  adw_combo_row_set_selected (self->conflict_row,
                              index_of (policies, G_N_ELEMENTS (policies),
                                        cc_json_member_string (root, "conflict-policy", "latest")));

  if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *pair = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

          add_pair (self, cc_json_member_string (pair, "dynamics", ""),
                    cc_json_member_string (pair, "campaign", NULL));
        }
    }
  else
    {
      /* docs/architecture.md, "Out of the box". */
      add_pair (self, "donotbulkemail", "denyListEmail");
      add_pair (self, "donotemail", "denyList");
    }

  for (guint i = 0; i < G_N_ELEMENTS (advanced_fields); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->advanced_rows[i]),
                           cc_json_member_string (root, advanced_fields[i].key,
                                                  advanced_fields[i].fallback));
  gtk_spin_button_set_value (self->poll_spin,
                             cc_json_read_int (root, "poll-interval", 10));
  gtk_spin_button_set_value (self->concurrency_spin,
                             cc_json_read_int (root, "write-concurrency",
                                               CC_OPTINOUT_DEFAULT_WRITE_CONCURRENCY));
  on_direction_changed (self);

  cc_schema_loader_get_table_async (cc_edit_dialog_get_schema_loader (dialog), "contact",
                                    cc_edit_dialog_get_cancellable (dialog),
                                    on_contact_loaded, self);
}

static JsonNode *
cc_optinout_dialog_collect (CcEditDialog  *dialog,
                            GError       **error)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (dialog);
  JsonNode *copy = cc_edit_dialog_copy_loaded (dialog);
  JsonObject *root = json_node_get_object (copy);
  JsonArray *pairs = json_array_new ();

  json_object_set_string_member (root, "direction", current_direction (self));
  json_object_set_string_member (root, "conflict-policy",
                                 policies[MIN (adw_combo_row_get_selected (self->conflict_row),
                                               G_N_ELEMENTS (policies) - 1)]);
  for (guint i = 0; i < self->pairs->len; i++)
    {
      CcPairRow *row = g_ptr_array_index (self->pairs, i);
      g_autofree char *dynamics = cc_pair_row_dup_dynamics (row);
      JsonObject *pair = json_object_new ();

      json_object_set_string_member (pair, "dynamics", dynamics);
      json_object_set_string_member (pair, "campaign", cc_pair_row_get_campaign (row));
      json_array_add_object_element (pairs, pair);
    }
  json_object_set_array_member (root, "pairs", pairs);

  for (guint i = 0; i < G_N_ELEMENTS (advanced_fields); i++)
    {
      g_autofree char *value = cc_picker_row_dup_value (self->advanced_rows[i]);
      json_object_set_string_member (root, advanced_fields[i].key, value);
    }
  json_object_set_int_member (root, "poll-interval", gtk_spin_button_get_value_as_int (self->poll_spin));
  json_object_set_int_member (root, "write-concurrency",
                              gtk_spin_button_get_value_as_int (self->concurrency_spin));
  return copy;
}

static gboolean
cc_optinout_dialog_show_error (CcEditDialog *dialog,
                               const char   *path,
                               const char   *message)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (dialog);
  g_autofree char *name = NULL;
  const char *rest;
  int index;

  cc_edit_dialog_path_head (path, &name, &index, &rest);
  if (g_str_equal (name, "pairs") && index >= 0 && (guint) index < self->pairs->len)
    {
      CcPairRow *row = g_ptr_array_index (self->pairs, index);
      GtkWidget *widget = GTK_WIDGET (row);

      if (g_strcmp0 (rest, "dynamics") == 0)
        widget = cc_pair_row_get_dynamics_widget (row);
      else if (g_strcmp0 (rest, "campaign") == 0)
        widget = cc_pair_row_get_campaign_widget (row);
      cc_edit_dialog_mark_error (dialog, widget, message);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (advanced_fields); i++)
    if (g_str_equal (name, advanced_fields[i].key))
      adw_expander_row_set_expanded (self->advanced_row, TRUE);

  return CC_EDIT_DIALOG_CLASS (cc_optinout_dialog_parent_class)->show_error (dialog, path, message);
}

static void
cc_optinout_dialog_dispose (GObject *object)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (object);

  if (self->pairs != NULL)
    g_ptr_array_set_size (self->pairs, 0);
  if (gtk_widget_get_template_child (GTK_WIDGET (object), CC_TYPE_OPTINOUT_DIALOG, "direction_row") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_OPTINOUT_DIALOG);

  G_OBJECT_CLASS (cc_optinout_dialog_parent_class)->dispose (object);
}

static void
cc_optinout_dialog_finalize (GObject *object)
{
  CcOptinoutDialog *self = CC_OPTINOUT_DIALOG (object);

  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_clear_pointer (&self->boolean_columns, g_strfreev);
  g_clear_pointer (&self->boolean_labels, g_strfreev);

  G_OBJECT_CLASS (cc_optinout_dialog_parent_class)->finalize (object);
}

static void
cc_optinout_dialog_class_init (CcOptinoutDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CcEditDialogClass *dialog_class = CC_EDIT_DIALOG_CLASS (klass);

  object_class->dispose = cc_optinout_dialog_dispose;
  object_class->finalize = cc_optinout_dialog_finalize;
  dialog_class->load = cc_optinout_dialog_load;
  dialog_class->collect = cc_optinout_dialog_collect;
  dialog_class->show_error = cc_optinout_dialog_show_error;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-optinout-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, direction_row);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, conflict_row);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, pairs_group);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, poll_row);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, concurrency_row);
  gtk_widget_class_bind_template_child (widget_class, CcOptinoutDialog, concurrency_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_direction_changed);

  gtk_widget_class_install_action (widget_class, "optinout.add-pair", NULL, add_pair_action);
}

static void
cc_optinout_dialog_init (CcOptinoutDialog *self)
{
  CcEditDialog *dialog = CC_EDIT_DIALOG (self);

  self->pairs = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (advanced_fields); i++)
    {
      self->advanced_rows[i] = cc_picker_row_new (_(advanced_fields[i].title));
      adw_expander_row_add_row (self->advanced_row, GTK_WIDGET (self->advanced_rows[i]));
      cc_edit_dialog_register_field (dialog, advanced_fields[i].key,
                                     GTK_WIDGET (self->advanced_rows[i]));
    }
  cc_edit_dialog_register_field (dialog, "direction", GTK_WIDGET (self->direction_row));
  cc_edit_dialog_register_field (dialog, "conflict-policy", GTK_WIDGET (self->conflict_row));
  cc_edit_dialog_register_field (dialog, "pairs", GTK_WIDGET (self->pairs_group));
  cc_edit_dialog_register_field (dialog, "poll-interval", GTK_WIDGET (self->poll_row));
  cc_edit_dialog_register_field (dialog, "write-concurrency", GTK_WIDGET (self->concurrency_row));
}
