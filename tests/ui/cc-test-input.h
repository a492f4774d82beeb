/* cc-test-input.h — a user's keyboard and mouse on the test's X server. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Presses @keys (xdotool syntax: "Tab", "ctrl+e") on the keyboard: they
 * go to the window with the focus, through GTK's own key handling. */
void cc_test_input_press_keys    (const char *keys);

/* Gives @window the keyboard focus, as a click on it would, and waits
 * until it is active. (Xvfb has no window manager: nothing gives the
 * focus back to a window when a dialog over it closes.) */
void cc_test_input_focus_window  (GtkWindow  *window);

/* Moves the pointer over the middle of @widget, as a user's mouse. */
void cc_test_input_hover         (GtkWidget  *widget);

G_END_DECLS
