/* cc-test-input.c — a user's keyboard and mouse on the X server of the
 * test (Xvfb), through xdotool: the events reach GTK as real ones do. */
#include "config.h"

#include <gdk/x11/gdkx.h>

#include "cc-test-input.h"
#include "cc-test-util.h"

static void
run_xdotool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Whatever GTK sent to the X server (a focus change, a new window) is
   * there before xdotool's requests are. */
  gdk_display_sync (gdk_display_get_default ());
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

void
cc_test_input_press_keys (const char *keys)
{
  const char *argv[] = { "xdotool", "key", "--delay", "20", keys, NULL };

  run_xdotool (argv);
}

void
cc_test_input_hover (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  graphene_point_t point;
  double dx, dy;
  int x = 0, y = 0;
  Window child;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  XTranslateCoordinates (gdk_x11_display_get_xdisplay (display), gdk_x11_surface_get_xid (surface),
                         gdk_x11_display_get_xrootwindow (display),
                         (int) (point.x + dx), (int) (point.y + dy), &x, &y, &child);
  x_text = g_strdup_printf ("%d", x);
  y_text = g_strdup_printf ("%d", y);
  {
    const char *argv[] = { "xdotool", "mousemove", "--sync", x_text, y_text, NULL };

    run_xdotool (argv);
  }
}

static gboolean
window_is_active (gpointer user_data)
{
  return gtk_window_is_active (user_data);
}

void
cc_test_input_focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  {
    const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

    run_xdotool (argv);
  }
  g_assert_true (cc_test_wait_until (window_is_active, window, 30));
}

