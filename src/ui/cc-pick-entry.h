/* cc-pick-entry.h — an entry for a column name, with a button that picks
 * the name from the live schema when it is known. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CC_TYPE_PICK_ENTRY (cc_pick_entry_get_type ())
G_DECLARE_FINAL_TYPE (CcPickEntry, cc_pick_entry, CC, PICK_ENTRY, GtkWidget)

/* Property :label: the entry's placeholder and accessible name.
 * Signal ::chosen (s): a value was picked (and is now the text). */

/* Known values (from the schema) with optional details (their types);
 * NULL or none: the button hides and the name is typed. Copied. */
void      cc_pick_entry_set_choices (CcPickEntry        *self,
                                     const char * const *values,
                                     const char * const *details);
GtkEntry *cc_pick_entry_get_entry   (CcPickEntry        *self);
/* The text with surrounding blanks removed. */
char     *cc_pick_entry_dup_text    (CcPickEntry        *self);
void      cc_pick_entry_set_text    (CcPickEntry        *self,
                                     const char         *text);

G_END_DECLS
