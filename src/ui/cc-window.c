/* cc-window.c — the main window. Its layout is data/ui/cc-window.ui. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-window.h"

struct _CcWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwHeaderBar         *header_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkColumnView        *column_view;
};

G_DEFINE_FINAL_TYPE (CcWindow, cc_window, ADW_TYPE_APPLICATION_WINDOW)

CcWindow *
cc_window_new (CcApplication *application)
{
  return g_object_new (CC_TYPE_WINDOW, "application", application, NULL);
}

static void
save_window_state (CcWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
cc_window_close_request (GtkWindow *window)
{
  save_window_state (CC_WINDOW (window));
  return GTK_WINDOW_CLASS (cc_window_parent_class)->close_request (window);
}

static void
cc_window_dispose (GObject *object)
{
  CcWindow *self = CC_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cc_window_parent_class)->dispose (object);
}

static void
cc_window_class_init (CcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cc_window_dispose;
  window_class->close_request = cc_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/cc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, column_view);
}

static void
cc_window_init (CcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}
