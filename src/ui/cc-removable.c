/* cc-removable.c — the "remove" signal of the rows and pages of the edit
 * dialogs.
 *
 * A row never removes itself: its dialog keeps the list of rows in the
 * order the configuration is written, so it is told, and does it.
 */
#include "config.h"

#include "cc-removable.h"

static void
on_remove_clicked (GtkWidget *self)
{
  g_signal_emit_by_name (self, "remove");
}

void
cc_removable_install (GtkWidgetClass *widget_class)
{
  g_signal_new ("remove", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_remove_clicked",
                                                G_CALLBACK (on_remove_clicked));
}
