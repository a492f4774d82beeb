/* test-window.c — the application opens its main window, for real. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-application.h"
#include "cc-test-ui.h"
#include "cc-test-util.h"
#include "cc-window.h"

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  GtkWindow *window;
  g_autofree char *png = NULL;

  /* The default activate handler ran first and presented the window. */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CC_IS_WINDOW (window));
  g_assert_true (cc_test_ui_wait_mapped (GTK_WIDGET (window), 30));

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Campaign Connector");
  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));

  png = cc_test_ui_save_png (GTK_WIDGET (window), "main-window");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  gtk_window_close (window);
}

static void
test_window_opens (void)
{
  g_autoptr(CcApplication) app = cc_application_new ();
  int status;

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/window/opens", test_window_opens);
  return g_test_run ();
}
