/* cc-mapping-editor-schema.c — the live schemas of a table mapping.
 *
 * Names are plain text so a mapping can be written offline; when the
 * services answer, the table's columns and the resource's fields become
 * pickable and every field row shows both data types. Requests wait until
 * the user stops typing a table or resource name.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-mapping-editor-private.h"

#define SCHEMA_DELAY_MS 400

static void
apply_table (CcMappingEditor        *self,
             const CcDataverseTable *table)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;
  g_autofree char *source = cc_picker_row_dup_value (self->source_row);

  self->table = table;
  if (table != NULL)
    {
      adw_action_row_set_subtitle (self->primary_key_row, table->primary_id_attribute);
      cc_schema_loader_table_columns (table, &names, &types);
    }
  else if (*source != '\0')
    {
      /* Dataverse names the primary key <table>id. */
      g_autofree char *guess = g_strdup_printf (_("%sid (assumed: the table’s schema could not be read)"),
                                                source);
      adw_action_row_set_subtitle (self->primary_key_row, guess);
    }
  else
    adw_action_row_set_subtitle (self->primary_key_row, "");

  cc_picker_row_set_choices (self->parent_field_row, (const char * const *) names,
                             (const char * const *) types);
  for (guint i = 0; i < self->fields->len; i++)
    cc_field_row_set_source_table (g_ptr_array_index (self->fields, i), table);
  for (guint i = 0; i < self->filters->len; i++)
    cc_filter_row_set_table (g_ptr_array_index (self->filters, i), table);
}

static void
on_table_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CcMappingEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  const CcDataverseTable *table;

  table = cc_schema_loader_get_table_finish (CC_SCHEMA_LOADER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("table schema: %s", error->message);
  apply_table (self, table);
}

static gboolean
load_table (gpointer user_data)
{
  CcMappingEditor *self = user_data;
  g_autofree char *source = cc_picker_row_dup_value (self->source_row);

  self->table_timeout = 0;
  if (*source == '\0')
    apply_table (self, NULL);
  else
    cc_schema_loader_get_table_async (self->loader, source, self->cancellable,
                                      on_table_loaded, self);
  return G_SOURCE_REMOVE;
}

/* The links of the resource, each with the resource it points at: what
 * a record can link its parent through. */
static void
offer_links (CcMappingEditor              *self,
             const CcCampaignResourceType *type)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) targets = g_strv_builder_new ();
  g_auto(GStrv) name_list = NULL;
  g_auto(GStrv) target_list = NULL;

  for (guint i = 0; type != NULL && type->fields != NULL && i < type->fields->len; i++)
    {
      const CcCampaignField *field = g_ptr_array_index (type->fields, i);

      if (g_strcmp0 (field->type, "link") != 0)
        continue;
      g_strv_builder_add (names, field->name);
      g_strv_builder_add (targets, field->target ? field->target : "");
    }
  name_list = g_strv_builder_end (names);
  target_list = g_strv_builder_end (targets);
  cc_picker_row_set_choices (self->parent_link_row, (const char * const *) name_list,
                             (const char * const *) target_list);
}

static void
apply_type (CcMappingEditor              *self,
            const CcCampaignResourceType *type)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) types = NULL;

  self->type = type;
  if (type != NULL)
    cc_schema_loader_resource_fields (type, FALSE, &names, &types);
  cc_picker_row_set_choices (self->target_key_row, (const char * const *) names,
                             (const char * const *) types);
  offer_links (self, type);
  for (guint i = 0; i < self->fields->len; i++)
    cc_field_row_set_target_type (g_ptr_array_index (self->fields, i), type);
}

static void
on_resource_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CcMappingEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  const CcCampaignResourceType *type;

  type = cc_schema_loader_get_resource_finish (CC_SCHEMA_LOADER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("resource schema: %s", error->message);
  apply_type (self, type);
}

static gboolean
load_resource (gpointer user_data)
{
  CcMappingEditor *self = user_data;
  g_autofree char *target = cc_picker_row_dup_value (self->target_row);

  self->resource_timeout = 0;
  if (*target == '\0')
    apply_type (self, NULL);
  else
    cc_schema_loader_get_resource_async (self->loader, target, self->cancellable,
                                         on_resource_loaded, self);
  return G_SOURCE_REMOVE;
}

static void
on_tables_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CcMappingEditor *self = user_data;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) labels = NULL;

  /* Without change tracking a table cannot be read incrementally. */
  if (!cc_schema_loader_list_table_names_finish (CC_SCHEMA_LOADER (object), result, TRUE,
                                                 &names, &labels))
    return;
  cc_picker_row_set_choices (self->source_row, (const char * const *) names,
                             (const char * const *) labels);
}

static void
on_source_changed (CcMappingEditor *self)
{
  cc_mapping_editor_update_title (self);
  g_clear_handle_id (&self->table_timeout, g_source_remove);
  self->table_timeout = g_timeout_add (SCHEMA_DELAY_MS, load_table, self);
}

static void
on_target_changed (CcMappingEditor *self)
{
  cc_mapping_editor_update_title (self);
  g_clear_handle_id (&self->resource_timeout, g_source_remove);
  self->resource_timeout = g_timeout_add (SCHEMA_DELAY_MS, load_resource, self);
}

void
cc_mapping_editor_watch_schemas (CcMappingEditor *self)
{
  g_signal_connect_swapped (self->source_row, "changed", G_CALLBACK (on_source_changed), self);
  g_signal_connect_swapped (self->target_row, "changed", G_CALLBACK (on_target_changed), self);
}

void
cc_mapping_editor_load_schemas (CcMappingEditor *self)
{
  cc_schema_loader_list_tables_async (self->loader, self->cancellable, on_tables_listed, self);
}
