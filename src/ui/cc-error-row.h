/* cc-error-row.h — one entry of the error log: reason, HTTP status, when,
 * and the payload on demand, with Retry and Copy Payload. */
#pragma once

#include <gtk/gtk.h>

#include "cc-error-item.h"

G_BEGIN_DECLS

#define CC_TYPE_ERROR_ROW (cc_error_row_get_type ())
G_DECLARE_FINAL_TYPE (CcErrorRow, cc_error_row, CC, ERROR_ROW, GtkWidget)

CcErrorRow  *cc_error_row_new      (void);
CcErrorItem *cc_error_row_get_item (CcErrorRow  *self);
void         cc_error_row_set_item (CcErrorRow  *self,
                                    CcErrorItem *item);

G_END_DECLS
