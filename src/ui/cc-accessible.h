/* cc-accessible.h — names for assistive technologies where GTK 4.8 and
 * libadwaita 1.2 leave none, or a doubled one. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Once per process, before the first window: every widget realized from
 * then on is given the name it lacks (see cc-accessible.c). */
void cc_accessible_install         (void);

/* Names @button again after its label (with a mnemonic) changed: the
 * name it was given when it was realized is the old label's. */
void cc_accessible_rename_button   (GtkWidget     *button);

/* Names @row (a row of a GtkListView or GtkColumnView, found from a
 * widget inside it) for assistive technologies: GTK 4.8 gives list rows
 * no name of their own. */
void cc_accessible_name_list_row   (GtkWidget     *inside_row,
                                    const char    *name);

/* Names the parts of @view GTK 4.8 leaves unnamed: the row of column
 * headers and the list of rows. */
void cc_accessible_name_column_view (GtkColumnView *view,
                                     const char    *name);

/* Names the list of rows of @group, a group without a title (which
 * libadwaita names its list by). */
void cc_accessible_name_group_list (AdwPreferencesGroup *group,
                                    const char          *name);

G_END_DECLS
