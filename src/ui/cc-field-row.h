/* cc-field-row.h — one field mapping of a table mapping: source field,
 * target field, transforms, replacements and the "apply updates" switch. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "cc-campaign-client.h"
#include "cc-dataverse-client.h"
#include "cc-edit-dialog.h"

G_BEGIN_DECLS

#define CC_TYPE_FIELD_ROW (cc_field_row_get_type ())
G_DECLARE_FINAL_TYPE (CcFieldRow, cc_field_row, CC, FIELD_ROW, AdwExpanderRow)

CcFieldRow *cc_field_row_new                (void);
/* @field: {"source", "target", "apply-updates", "transforms", "replacements"}. */
void        cc_field_row_load               (CcFieldRow                   *self,
                                             JsonObject                   *field);
JsonObject *cc_field_row_collect            (CcFieldRow                   *self);

gboolean    cc_field_row_get_apply_updates  (CcFieldRow                   *self);
void        cc_field_row_set_apply_updates  (CcFieldRow                   *self,
                                             gboolean                      apply);
char       *cc_field_row_dup_source         (CcFieldRow                   *self);
char       *cc_field_row_dup_target         (CcFieldRow                   *self);

/* Live schemas (borrowed, NULL = unknown): choices and data types. */
void        cc_field_row_set_source_table   (CcFieldRow                   *self,
                                             const CcDataverseTable       *table);
void        cc_field_row_set_target_type    (CcFieldRow                   *self,
                                             const CcCampaignResourceType *type);
/* Picklist replacements compare display labels instead of numbers. */
void        cc_field_row_set_display_values (CcFieldRow                   *self,
                                             gboolean                      display);

/* Marks the part of the row that @path ("target", "transforms[1].format",
 * "replacements[0].from", …) is about. */
void        cc_field_row_show_error         (CcFieldRow                   *self,
                                             CcEditDialog                 *dialog,
                                             const char                   *path,
                                             const char                   *message);

G_END_DECLS
