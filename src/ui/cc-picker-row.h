/* cc-picker-row.h — an entry row that can also pick from known values,
 * shows the value's type, and says beside itself what is wrong with it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CC_TYPE_PICKER_ROW (cc_picker_row_get_type ())
G_DECLARE_FINAL_TYPE (CcPickerRow, cc_picker_row, CC, PICKER_ROW, AdwEntryRow)

CcPickerRow *cc_picker_row_new          (const char         *title);
/* Known values (e.g. from a live schema) with optional details (their
 * types); NULL values = type freely, nothing to pick. Copied. */
void         cc_picker_row_set_choices  (CcPickerRow        *self,
                                         const char * const *values,
                                         const char * const *details);
guint        cc_picker_row_get_n_choices (CcPickerRow       *self);
/* The detail of the current text when it is one of the choices. */
const char  *cc_picker_row_get_detail   (CcPickerRow        *self);
/* Shown beside the text in the error colour; NULL clears it. */
void         cc_picker_row_set_error    (CcPickerRow        *self,
                                         const char         *message);
const char  *cc_picker_row_get_error    (CcPickerRow        *self);
/* The text with surrounding blanks removed. */
char        *cc_picker_row_dup_value    (CcPickerRow        *self);

G_END_DECLS
