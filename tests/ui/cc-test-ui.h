/* cc-test-ui.h — helpers for tests that open real windows under Xvfb. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget as it is on screen into <artifact dir>/<name>.png and
 * returns the path. Fails the test if nothing could be rendered. */
char     *cc_test_ui_save_png      (GtkWidget  *widget,
                                    const char *name);

/* Waits (main loop running) until @widget is mapped and has been drawn. */
gboolean  cc_test_ui_wait_mapped   (GtkWidget  *widget,
                                    guint       timeout_s);

G_END_DECLS
