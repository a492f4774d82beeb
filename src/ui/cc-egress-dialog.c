/* cc-egress-dialog.c — the editor of the egress workflow.
 *
 * Event types to send and their tables, where events are read from, batch
 * size and parallel requests, what happens to an event whose contact does
 * not exist, and (folded away) the payload field and column names. The
 * configuration starts from what is stored, so members this form does not
 * show survive an edit.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-egress-dialog.h"
#include "cc-json-member.h"
#include "cc-json-read.h"
#include "cc-picker-row.h"

typedef struct
{
  const char *key;
  const char *title;
  const char *fallback;
} NamedField;

static const char * const event_types[] = { "send", "open", "click", "bounce" };
static const char * const default_tables[] = {
  "new_emailsend", "new_emailopen", "new_emailclick", "new_emailbounce",
};

static const NamedField event_fields[] = {
  { "id", N_("Event ID"), "id" },
  { "type", N_("Event type"), "type" },
  { "contact", N_("Contact (Dynamics 365 id)"), "externalId" },
  { "campaign-id", N_("Campaign ID"), "campaignId" },
  { "campaign-name", N_("Campaign name"), "campaignName" },
  { "delivery-id", N_("Delivery ID"), "deliveryId" },
  { "delivery-name", N_("Delivery name"), "deliveryName" },
  { "time", N_("Event time"), "timestamp" },
  { "mirror-page", N_("Mirror page URL"), "mirrorPageUrl" },
  { "tracking-url", N_("Tracking URL"), "trackingUrl" },
};

static const NamedField target_columns[] = {
  { "event-id", N_("Event ID (alternate key)"), "new_campaigneventid" },
  { "subject", N_("Subject"), "subject" },
  { "campaign-name", N_("Campaign name"), "new_campaignname" },
  { "delivery-name", N_("Delivery name"), "new_deliveryname" },
  { "time", N_("Event date"), "new_eventdate" },
  { "mirror-page", N_("Mirror page URL"), "new_mirrorpageurl" },
  { "tracking-url", N_("Tracking URL"), "new_trackingurl" },
};

struct _CcEgressDialog
{
  CcEditDialog     parent_instance;

  CcPickerRow     *table_rows[G_N_ELEMENTS (event_types)];
  CcPickerRow     *event_field_rows[G_N_ELEMENTS (event_fields)];
  CcPickerRow     *target_column_rows[G_N_ELEMENTS (target_columns)];

  AdwExpanderRow  *send_row;
  AdwExpanderRow  *open_row;
  AdwExpanderRow  *click_row;
  AdwExpanderRow  *bounce_row;
  AdwComboRow     *source_row;
  AdwActionRow    *journal_limit_row;
  GtkSpinButton   *journal_limit_spin;
  AdwActionRow    *poll_row;
  GtkSpinButton   *poll_spin;
  AdwActionRow    *batch_row;
  GtkSpinButton   *batch_spin;
  AdwActionRow    *concurrency_row;
  GtkSpinButton   *concurrency_spin;
  AdwComboRow     *missing_row;
  AdwExpanderRow  *event_fields_row;
  AdwExpanderRow  *target_columns_row;
};

G_DEFINE_FINAL_TYPE (CcEgressDialog, cc_egress_dialog, CC_TYPE_EDIT_DIALOG)

CcEgressDialog *
cc_egress_dialog_new (CcEngine   *engine,
                      CcWorkflow *workflow)
{
  return g_object_new (CC_TYPE_EGRESS_DIALOG, "engine", engine, "workflow", workflow, NULL);
}

static AdwExpanderRow *
event_row (CcEgressDialog *self,
           guint           i)
{
  AdwExpanderRow *rows[] = { self->send_row, self->open_row, self->click_row, self->bounce_row };
  return rows[i];
}

static void
update_event_subtitle (CcEgressDialog *self,
                       guint           i)
{
  g_autofree char *table = cc_picker_row_dup_value (self->table_rows[i]);

  adw_expander_row_set_subtitle (event_row (self, i), table);
}

static void
on_table_changed (CcPickerRow    *row,
                  CcEgressDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    if (self->table_rows[i] == row)
      update_event_subtitle (self, i);
}

static void
on_table_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CcEgressDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  const CcDataverseTable *table;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;

  table = cc_schema_loader_get_table_finish (CC_SCHEMA_LOADER (object), result, &error);
  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("event table columns: %s", error->message);
      return;
    }
  cc_schema_loader_table_columns (table, &names, &types);
  for (guint i = 0; i < G_N_ELEMENTS (target_columns); i++)
    cc_picker_row_set_choices (self->target_column_rows[i], (const char * const *) names,
                               (const char * const *) types);
}

static void
on_tables_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CcEgressDialog *self = user_data;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) labels = NULL;
  g_autofree char *first = NULL;

  if (!cc_schema_loader_list_table_names_finish (CC_SCHEMA_LOADER (object), result, FALSE,
                                                 &names, &labels))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    cc_picker_row_set_choices (self->table_rows[i], (const char * const *) names,
                               (const char * const *) labels);

  /* The event tables share their columns: one of them tells the names. */
  first = cc_picker_row_dup_value (self->table_rows[0]);
  if (*first != '\0')
    cc_schema_loader_get_table_async (cc_edit_dialog_get_schema_loader (CC_EDIT_DIALOG (self)),
                                      first,
                                      cc_edit_dialog_get_cancellable (CC_EDIT_DIALOG (self)),
                                      on_table_loaded, self);
}

static void
cc_egress_dialog_load (CcEditDialog *dialog,
                       JsonObject   *root)
{
  CcEgressDialog *self = CC_EGRESS_DIALOG (dialog);
  JsonObject *types = cc_json_read_object (root, "event-types");
  JsonObject *fields = cc_json_read_object (root, "event-fields");
  JsonObject *columns = cc_json_read_object (root, "target-columns");

  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    {
      JsonObject *type = cc_json_read_object (types, event_types[i]);

      adw_expander_row_set_enable_expansion (event_row (self, i),
                                             cc_json_read_boolean (type, "enabled", TRUE));
      gtk_editable_set_text (GTK_EDITABLE (self->table_rows[i]),
                             cc_json_member_string (type, "table", default_tables[i]));
      update_event_subtitle (self, i);
    }

  adw_combo_row_set_selected (self->source_row,
                              g_strcmp0 (cc_json_member_string (root, "source", "journal"),
                                         "history") == 0);
  adw_combo_row_set_selected (self->missing_row,
                              g_strcmp0 (cc_json_member_string (root, "missing-contact",
                                                                "error-log"), "skip") == 0);
  gtk_spin_button_set_value (self->batch_spin, cc_json_read_int (root, "batch-size", 100));
  gtk_spin_button_set_value (self->concurrency_spin,
                             cc_json_read_int (root, "write-concurrency", 2));
  gtk_spin_button_set_value (self->journal_limit_spin,
                             cc_json_read_int (root, "journal-limit", 500));
  gtk_spin_button_set_value (self->poll_spin, cc_json_read_int (root, "poll-interval", 5));

  for (guint i = 0; i < G_N_ELEMENTS (event_fields); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->event_field_rows[i]),
                           cc_json_member_string (fields,
                                                  event_fields[i].key, event_fields[i].fallback));
  for (guint i = 0; i < G_N_ELEMENTS (target_columns); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->target_column_rows[i]),
                           cc_json_member_string (columns, target_columns[i].key,
                                                  target_columns[i].fallback));

  cc_schema_loader_list_tables_async (cc_edit_dialog_get_schema_loader (dialog),
                                      cc_edit_dialog_get_cancellable (dialog),
                                      on_tables_listed, self);
}

static void
set_names (JsonObject        *object,
           const NamedField  *fields,
           guint              n_fields,
           CcPickerRow      **rows)
{
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *value = cc_picker_row_dup_value (rows[i]);
      json_object_set_string_member (object, fields[i].key, value);
    }
}

static JsonNode *
cc_egress_dialog_collect (CcEditDialog  *dialog,
                          GError       **error)
{
  CcEgressDialog *self = CC_EGRESS_DIALOG (dialog);
  g_autoptr(JsonNode) copy = cc_edit_dialog_copy_loaded (dialog);
  JsonObject *root = json_node_get_object (copy);
  JsonObject *types, *fields, *columns;

  types = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    {
      JsonObject *type = json_object_new ();
      g_autofree char *table = cc_picker_row_dup_value (self->table_rows[i]);

      json_object_set_boolean_member (type, "enabled",
                                      adw_expander_row_get_enable_expansion (event_row (self, i)));
      json_object_set_string_member (type, "table", table);
      json_object_set_object_member (types, event_types[i], type);
    }
  json_object_set_object_member (root, "event-types", types);

  json_object_set_string_member (root, "source",
                                 adw_combo_row_get_selected (self->source_row) == 1 ? "history" : "journal");
  json_object_set_int_member (root, "batch-size", gtk_spin_button_get_value_as_int (self->batch_spin));
  json_object_set_int_member (root, "write-concurrency",
                              gtk_spin_button_get_value_as_int (self->concurrency_spin));
  json_object_set_string_member (root, "missing-contact",
                                 adw_combo_row_get_selected (self->missing_row) == 1 ? "skip" : "error-log");
  json_object_set_int_member (root, "journal-limit",
                              gtk_spin_button_get_value_as_int (self->journal_limit_spin));
  json_object_set_int_member (root, "poll-interval", gtk_spin_button_get_value_as_int (self->poll_spin));

  fields = json_object_new ();
  set_names (fields, event_fields, G_N_ELEMENTS (event_fields), self->event_field_rows);
  json_object_set_object_member (root, "event-fields", fields);
  columns = json_object_new ();
  set_names (columns, target_columns, G_N_ELEMENTS (target_columns), self->target_column_rows);
  json_object_set_object_member (root, "target-columns", columns);

  return g_steal_pointer (&copy);
}

static gboolean
cc_egress_dialog_show_error (CcEditDialog *dialog,
                             const char   *path,
                             const char   *message)
{
  CcEgressDialog *self = CC_EGRESS_DIALOG (dialog);

  /* Folded rows open so that the marked field can be seen. */
  if (g_str_has_prefix (path, "event-fields"))
    adw_expander_row_set_expanded (self->event_fields_row, TRUE);
  else if (g_str_has_prefix (path, "target-columns"))
    adw_expander_row_set_expanded (self->target_columns_row, TRUE);

  return CC_EDIT_DIALOG_CLASS (cc_egress_dialog_parent_class)->show_error (dialog, path, message);
}

static CcPickerRow *
add_picker (AdwExpanderRow *parent,
            const char     *title)
{
  CcPickerRow *row = cc_picker_row_new (title);

  adw_expander_row_add_row (parent, GTK_WIDGET (row));
  return row;
}

static void
build_rows (CcEgressDialog *self)
{
  CcEditDialog *dialog = CC_EDIT_DIALOG (self);

  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("event-types.%s", event_types[i]);
      g_autofree char *table_path = g_strdup_printf ("event-types.%s.table", event_types[i]);

      self->table_rows[i] = add_picker (event_row (self, i), _("Dynamics 365 Table"));
      g_signal_connect (self->table_rows[i], "changed", G_CALLBACK (on_table_changed), self);
      cc_edit_dialog_register_field (dialog, path, GTK_WIDGET (event_row (self, i)));
      cc_edit_dialog_register_field (dialog, table_path, GTK_WIDGET (self->table_rows[i]));
    }
  cc_edit_dialog_register_field (dialog, "event-types", gtk_widget_get_ancestor (GTK_WIDGET (self->send_row), ADW_TYPE_PREFERENCES_GROUP));

  for (guint i = 0; i < G_N_ELEMENTS (event_fields); i++)
    {
      g_autofree char *path = g_strdup_printf ("event-fields.%s", event_fields[i].key);

      self->event_field_rows[i] = add_picker (self->event_fields_row, _(event_fields[i].title));
      cc_edit_dialog_register_field (dialog, path, GTK_WIDGET (self->event_field_rows[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (target_columns); i++)
    {
      g_autofree char *path = g_strdup_printf ("target-columns.%s", target_columns[i].key);

      self->target_column_rows[i] = add_picker (self->target_columns_row, _(target_columns[i].title));
      cc_edit_dialog_register_field (dialog, path, GTK_WIDGET (self->target_column_rows[i]));
    }
  cc_edit_dialog_register_field (dialog, "event-fields", GTK_WIDGET (self->event_fields_row));
  cc_edit_dialog_register_field (dialog, "target-columns", GTK_WIDGET (self->target_columns_row));
  cc_edit_dialog_register_field (dialog, "source", GTK_WIDGET (self->source_row));
  cc_edit_dialog_register_field (dialog, "batch-size", GTK_WIDGET (self->batch_row));
  cc_edit_dialog_register_field (dialog, "write-concurrency", GTK_WIDGET (self->concurrency_row));
  cc_edit_dialog_register_field (dialog, "missing-contact", GTK_WIDGET (self->missing_row));
  cc_edit_dialog_register_field (dialog, "journal-limit", GTK_WIDGET (self->journal_limit_row));
  cc_edit_dialog_register_field (dialog, "poll-interval", GTK_WIDGET (self->poll_row));
}

static void
cc_egress_dialog_dispose (GObject *object)
{
  if (gtk_widget_get_template_child (GTK_WIDGET (object), CC_TYPE_EGRESS_DIALOG, "send_row") != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_EGRESS_DIALOG);

  G_OBJECT_CLASS (cc_egress_dialog_parent_class)->dispose (object);
}

static void
cc_egress_dialog_class_init (CcEgressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CcEditDialogClass *dialog_class = CC_EDIT_DIALOG_CLASS (klass);

  object_class->dispose = cc_egress_dialog_dispose;
  dialog_class->load = cc_egress_dialog_load;
  dialog_class->collect = cc_egress_dialog_collect;
  dialog_class->show_error = cc_egress_dialog_show_error;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-egress-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, send_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, open_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, click_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, bounce_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, journal_limit_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, journal_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, poll_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, batch_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, concurrency_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, missing_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, event_fields_row);
  gtk_widget_class_bind_template_child (widget_class, CcEgressDialog, target_columns_row);
}

static void
cc_egress_dialog_init (CcEgressDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_rows (self);
}
