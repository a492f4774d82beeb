/* cc-filter-row.h — one filter condition of a table mapping: field,
 * comparison, value. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "cc-dataverse-client.h"
#include "cc-edit-row.h"

G_BEGIN_DECLS

#define CC_TYPE_FILTER_ROW (cc_filter_row_get_type ())
G_DECLARE_FINAL_TYPE (CcFilterRow, cc_filter_row, CC, FILTER_ROW, CcEditRow)

CcFilterRow *cc_filter_row_new        (void);
/* @condition: {"field": …, "op": …, "value": …}. */
void         cc_filter_row_load       (CcFilterRow            *self,
                                       JsonObject             *condition);
JsonObject  *cc_filter_row_collect    (CcFilterRow            *self);
/* The source table's schema (borrowed; NULL = unknown): field choices and
 * the type that decides how the value is written. */
void         cc_filter_row_set_table  (CcFilterRow            *self,
                                       const CcDataverseTable *table);
/* "field", "op" or "value"; anything else gives the row. */
GtkWidget   *cc_filter_row_get_widget (CcFilterRow            *self,
                                       const char             *member);

G_END_DECLS
