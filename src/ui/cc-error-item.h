/* cc-error-item.h — one error-log entry as a list item. */
#pragma once

#include <glib-object.h>

#include "cc-store.h"

G_BEGIN_DECLS

#define CC_TYPE_ERROR_ITEM (cc_error_item_get_type ())
G_DECLARE_FINAL_TYPE (CcErrorItem, cc_error_item, CC, ERROR_ITEM, GObject)

/* Takes @entry. */
CcErrorItem        *cc_error_item_new       (CcErrorEntry *entry);
const CcErrorEntry *cc_error_item_get_entry (CcErrorItem  *self);
/* The payload, pretty-printed when it is JSON. */
char               *cc_error_item_dup_payload_text (CcErrorItem *self);

G_END_DECLS
