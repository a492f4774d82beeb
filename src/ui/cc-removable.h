/* cc-removable.h — the "remove" signal of the rows and pages of the edit
 * dialogs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the signal "remove" (no arguments: the user asked to remove this
 * row or page) to @widget_class, and the template callback
 * "on_remove_clicked" that emits it. Call after the template is set. */
void cc_removable_install (GtkWidgetClass *widget_class);

G_END_DECLS
