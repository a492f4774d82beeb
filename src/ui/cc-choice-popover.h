/* cc-choice-popover.h — a searchable list of known values to pick from. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CC_TYPE_CHOICE_POPOVER (cc_choice_popover_get_type ())
G_DECLARE_FINAL_TYPE (CcChoicePopover, cc_choice_popover, CC, CHOICE_POPOVER, GtkPopover)

CcChoicePopover *cc_choice_popover_new         (void);
/* @values: what is picked; @details (NULL or parallel to @values): a
 * second line, e.g. the data type. Copied. */
void             cc_choice_popover_set_choices (CcChoicePopover    *self,
                                                const char * const *values,
                                                const char * const *details);
guint            cc_choice_popover_get_n_choices (CcChoicePopover  *self);
/* The detail of @value, or NULL when it is not one of the choices. */
const char      *cc_choice_popover_lookup      (CcChoicePopover    *self,
                                                const char         *value);

G_END_DECLS
