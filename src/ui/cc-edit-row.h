/* cc-edit-row.h — the frame of one row in an edit dialog's list
 * (a filter condition, a value replacement, a transform, a field pair):
 * the row's own widgets on one line with a Remove button, and below them
 * the place where the engine's complaint about the row is written. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CC_TYPE_EDIT_ROW (cc_edit_row_get_type ())
G_DECLARE_DERIVABLE_TYPE (CcEditRow, cc_edit_row, CC, EDIT_ROW, AdwPreferencesRow)

struct _CcEditRowClass
{
  AdwPreferencesRowClass parent_class;
};

/* Properties a subclass's template sets: :content (its widgets, put
 * before the Remove button) and :remove-label (what Remove says, e.g.
 * "Remove Condition"). The row's :title is its accessible name.
 * Signal ::remove: the user asked to remove this row; the dialog that
 * keeps the rows in order does it. */

GtkLabel   *cc_edit_row_get_error_label (CcEditRow *self);
/* The message shown below the row, or NULL when there is none. */
const char *cc_edit_row_get_error       (CcEditRow *self);

G_END_DECLS
