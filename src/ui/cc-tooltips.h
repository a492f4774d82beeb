/* cc-tooltips.h — tooltips that stay out of the way. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @widget's tooltip text on one line, as wide as the text (GTK 4.8
 * gives a wrapped tooltip twice the width its lines take). The text stays
 * the widget's :tooltip-text. */
void cc_tooltips_one_line          (GtkWidget     *widget);

/* Keeps @button's tooltip away while its popover is open, where it would
 * cover the popover's first items. */
void cc_tooltips_quiet_while_open  (GtkMenuButton *button);

G_END_DECLS
