/* cc-combo-choices.h — combo rows that show their choices whole. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Every AdwComboRow under @root (of a GtkStringList) shows the chosen value
 * under its title and lists its choices without cutting them. */
void cc_combo_choices_show_whole (GtkWidget *root);

G_END_DECLS
