/* cc-mapping-editor-private.h — what the files of CcMappingEditor share. */
#pragma once

#include "cc-mapping-editor.h"
#include "cc-picker-row.h"

G_BEGIN_DECLS

struct _CcMappingEditor
{
  AdwPreferencesPage            parent_instance;

  CcSchemaLoader               *loader;
  GCancellable                 *cancellable;
  JsonObject                   *loaded;
  GPtrArray                    *fields;      /* CcFieldRow* */
  GPtrArray                    *filters;     /* CcFilterRow* */
  const CcDataverseTable       *table;
  const CcCampaignResourceType *type;
  char                         *title;
  gboolean                      tables_fixed;
  gboolean                      syncing_updates;
  guint                         table_timeout;
  guint                         resource_timeout;

  AdwPreferencesGroup          *tables_group;
  CcPickerRow                  *source_row;
  CcPickerRow                  *target_row;
  AdwPreferencesGroup          *keys_group;
  AdwActionRow                 *primary_key_row;
  CcPickerRow                  *target_key_row;
  CcPickerRow                  *key_filter_row;
  AdwPreferencesGroup          *fields_group;
  GtkSwitch                    *all_updates_switch;
  AdwPreferencesGroup          *filters_group;
  AdwPreferencesGroup          *filter_options_group;
  AdwComboRow                  *combine_row;
  AdwActionRow                 *delete_filtered_row;
  GtkSwitch                    *delete_filtered_switch;
  AdwActionRow                 *apply_deletes_row;
  GtkSwitch                    *apply_deletes_switch;
  AdwComboRow                  *picklist_row;
  AdwPreferencesGroup          *advanced_group;
  CcPickerRow                  *id_row;
  CcPickerRow                  *parent_mapping_row;
  CcPickerRow                  *parent_field_row;
  CcPickerRow                  *parent_link_row;
};

/* cc-mapping-editor.c */
void cc_mapping_editor_update_title    (CcMappingEditor *self);

/* cc-mapping-editor-schema.c */
/* Follows the table and resource names as they are typed. */
void cc_mapping_editor_watch_schemas   (CcMappingEditor *self);
/* Asks for the list of tables (after a load). */
void cc_mapping_editor_load_schemas    (CcMappingEditor *self);

G_END_DECLS
