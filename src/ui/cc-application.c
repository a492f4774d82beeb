/* cc-application.c — application-wide actions and the main window's life. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-application.h"
#include "cc-window.h"

struct _CcApplication
{
  AdwApplication  parent_instance;

  CcEngine       *engine;
};

G_DEFINE_FINAL_TYPE (CcApplication, cc_application, ADW_TYPE_APPLICATION)

CcApplication *
cc_application_new (void)
{
  return g_object_new (CC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", APP_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

CcEngine *
cc_application_get_engine (CcApplication *self)
{
  g_return_val_if_fail (CC_IS_APPLICATION (self), NULL);
  return self->engine;
}

static void
cc_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (cc_window_new (CC_APPLICATION (app)));
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Campaign Connector developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Campaign Connector"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         /* Translators: your name(s), shown in the About window */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/campaignconnector/campaign-connector",
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
cc_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "about", about_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  CcApplication *self = CC_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (cc_application_parent_class)->startup (app);

  self->engine = cc_engine_new (NULL, NULL, &error);
  if (self->engine == NULL)
    {
      g_printerr ("campaign-connector: %s\n", error->message);
      g_application_quit (app);
      return;
    }

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions,
                                   G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
cc_application_shutdown (GApplication *app)
{
  CcApplication *self = CC_APPLICATION (app);

  if (self->engine != NULL)
    cc_engine_shutdown (self->engine);
  g_clear_object (&self->engine);

  G_APPLICATION_CLASS (cc_application_parent_class)->shutdown (app);
}

static void
cc_application_class_init (CcApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->shutdown = cc_application_shutdown;
  app_class->activate = cc_application_activate;
  app_class->startup = cc_application_startup;
}

static void
cc_application_init (CcApplication *self)
{
}
