/* cc-mapping-editor.h — one table mapping of the ingress workflow: a
 * Dynamics 365 table, the Campaign resource it feeds, keys, fields,
 * filters and options. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "cc-edit-dialog.h"
#include "cc-field-row.h"
#include "cc-filter-row.h"
#include "cc-schema-loader.h"

G_BEGIN_DECLS

#define CC_TYPE_MAPPING_EDITOR (cc_mapping_editor_get_type ())
G_DECLARE_FINAL_TYPE (CcMappingEditor, cc_mapping_editor, CC, MAPPING_EDITOR, AdwPreferencesPage)

/* Requests to @loader end with the editor. */
CcMappingEditor *cc_mapping_editor_new              (CcSchemaLoader     *loader);
/* @mapping: one element of the configuration's "mappings". */
void             cc_mapping_editor_load             (CcMappingEditor    *self,
                                                     JsonObject         *mapping);
/* A new object in the configuration's form. */
JsonObject      *cc_mapping_editor_collect          (CcMappingEditor    *self);

/* A mapping's tables cannot change once it was saved (as in Adobe's own
 * integration): the rows become read-only and say why. */
void             cc_mapping_editor_set_tables_fixed (CcMappingEditor    *self,
                                                     gboolean            fixed);
gboolean         cc_mapping_editor_get_tables_fixed (CcMappingEditor    *self);
/* "contact → profile", for the list of mappings. */
const char      *cc_mapping_editor_get_title        (CcMappingEditor    *self);
/* Ids of the other mappings, offered as parents. */
void             cc_mapping_editor_set_mapping_ids  (CcMappingEditor    *self,
                                                     const char * const *ids);

/* Marks what @path (relative to the mapping, e.g. "fields[2].target") is
 * about; always finds a place for the message. */
void             cc_mapping_editor_show_error       (CcMappingEditor    *self,
                                                     CcEditDialog       *dialog,
                                                     const char         *path,
                                                     const char         *message);

/* The rows, in order (for tests and keyboard-free scripting). */
guint            cc_mapping_editor_get_n_fields     (CcMappingEditor    *self);
CcFieldRow      *cc_mapping_editor_get_field        (CcMappingEditor    *self,
                                                     guint               index);
guint            cc_mapping_editor_get_n_filters    (CcMappingEditor    *self);
CcFilterRow     *cc_mapping_editor_get_filter       (CcMappingEditor    *self,
                                                     guint               index);

G_END_DECLS
