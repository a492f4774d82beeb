/* cc-transform-row.h — one value transform of a field mapping (trim,
 * lower, upper, default, concat, date-format) with its parameters. */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-edit-row.h"

G_BEGIN_DECLS

#define CC_TYPE_TRANSFORM_ROW (cc_transform_row_get_type ())
G_DECLARE_FINAL_TYPE (CcTransformRow, cc_transform_row, CC, TRANSFORM_ROW, CcEditRow)

/* The transforms, by their JSON "op" (NULL-terminated), and their names. */
const char * const *cc_transform_row_ops      (void);
const char         *cc_transform_row_op_label (const char *op);

CcTransformRow *cc_transform_row_new         (const char     *op);
/* @transform: {"op": …, parameters}. */
void            cc_transform_row_load        (CcTransformRow *self,
                                              JsonObject     *transform);
JsonObject     *cc_transform_row_collect     (CcTransformRow *self);
const char     *cc_transform_row_get_op      (CcTransformRow *self);
/* The widget of a parameter ("value", "fields", "separator", "format"),
 * or the row itself. */
GtkWidget      *cc_transform_row_get_widget  (CcTransformRow *self,
                                              const char     *member);

G_END_DECLS
