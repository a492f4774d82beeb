/* cc-schema-loader.h — the live schemas the edit dialogs offer to pick
 * from: Dynamics 365 tables and columns, Campaign resources and fields.
 *
 * Each request runs in a worker thread with a client made in that thread;
 * answers are kept for the loader's life, so a dialog asks each question
 * once. When a service is not connected, requests fail and the dialogs
 * fall back to typed names.
 */
#pragma once

#include <gio/gio.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_TYPE_SCHEMA_LOADER (cc_schema_loader_get_type ())
G_DECLARE_FINAL_TYPE (CcSchemaLoader, cc_schema_loader, CC, SCHEMA_LOADER, GObject)

/* Takes the engine's connection settings as they are now. */
CcSchemaLoader               *cc_schema_loader_new                 (CcEngine        *engine);

/* Every table (no columns), sorted. The array belongs to the loader. */
void                          cc_schema_loader_list_tables_async   (CcSchemaLoader  *self,
                                                                    GCancellable    *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer         user_data);
GPtrArray                    *cc_schema_loader_list_tables_finish  (CcSchemaLoader  *self,
                                                                    GAsyncResult    *result,
                                                                    GError         **error);
/* The same list as picker choices: names and display names (free with
 * g_strfreev), only the change-tracked tables when @tracked_only. FALSE
 * when the list could not be read; the reason, unless cancelled, goes to
 * the debug log (the dialogs then take typed names). */
gboolean                      cc_schema_loader_list_table_names_finish (CcSchemaLoader *self,
                                                                        GAsyncResult   *result,
                                                                        gboolean        tracked_only,
                                                                        GStrv          *names,
                                                                        GStrv          *labels);

/* One table with its columns and option labels. Belongs to the loader. */
void                          cc_schema_loader_get_table_async     (CcSchemaLoader  *self,
                                                                    const char      *logical_name,
                                                                    GCancellable    *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer         user_data);
const CcDataverseTable       *cc_schema_loader_get_table_finish    (CcSchemaLoader  *self,
                                                                    GAsyncResult    *result,
                                                                    GError         **error);

/* One Campaign resource type ("profileAndServicesExt/profile", …).
 * Belongs to the loader. */
void                          cc_schema_loader_get_resource_async  (CcSchemaLoader  *self,
                                                                    const char      *resource,
                                                                    GCancellable    *cancellable,
                                                                    GAsyncReadyCallback callback,
                                                                    gpointer         user_data);
const CcCampaignResourceType *cc_schema_loader_get_resource_finish (CcSchemaLoader  *self,
                                                                    GAsyncResult    *result,
                                                                    GError         **error);

/* Names and type words for pickers; free with g_strfreev. With
 * @writable_only, the fields a field mapping can write: neither read-only
 * ones nor links. */
void                          cc_schema_loader_table_columns       (const CcDataverseTable       *table,
                                                                    GStrv                        *names,
                                                                    GStrv                        *types);
void                          cc_schema_loader_resource_fields     (const CcCampaignResourceType *type,
                                                                    gboolean                      writable_only,
                                                                    GStrv                        *names,
                                                                    GStrv                        *types);

G_END_DECLS
