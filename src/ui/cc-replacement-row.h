/* cc-replacement-row.h — one field replacement: a Dynamics 365 value and
 * what Campaign receives instead. */
#pragma once

#include <json-glib/json-glib.h>

#include "cc-edit-row.h"

G_BEGIN_DECLS

#define CC_TYPE_REPLACEMENT_ROW (cc_replacement_row_get_type ())
G_DECLARE_FINAL_TYPE (CcReplacementRow, cc_replacement_row, CC, REPLACEMENT_ROW, CcEditRow)

CcReplacementRow *cc_replacement_row_new              (void);
/* @replacement: {"from": "1", "to": "bronze"}. */
void              cc_replacement_row_load             (CcReplacementRow   *self,
                                                       JsonObject         *replacement);
/* @target_type: the Campaign field's type ("long", "boolean", …) or NULL;
 * it decides whether "to" is written as a number, a Boolean or text. */
JsonObject       *cc_replacement_row_collect          (CcReplacementRow   *self,
                                                       const char         *target_type);
/* The values a picklist or Boolean column can hold, with their labels:
 * "from" becomes a list of them. NULL: a text box. */
void              cc_replacement_row_set_from_choices (CcReplacementRow   *self,
                                                       const char * const *values,
                                                       const char * const *labels);
char             *cc_replacement_row_dup_from         (CcReplacementRow   *self);
/* "from" or "to"; anything else gives the row. */
GtkWidget        *cc_replacement_row_get_widget       (CcReplacementRow   *self,
                                                       const char         *member);

G_END_DECLS
