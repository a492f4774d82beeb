/* cc-application.c — one engine per session: the window, or none.
 *
 * The first `campaign-connector` of a session becomes the primary
 * instance: it creates the engine, exports it on the bus under the
 * application id and runs it, with a window or (--headless) without one.
 * Any later `campaign-connector` hands its command line to that instance,
 * which then opens its window on the same engine.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cc-accessible.h"
#include "cc-application.h"
#include "cc-dbus-service.h"
#include "cc-sandbox.h"
#include "cc-window.h"

struct _CcApplication
{
  AdwApplication  parent_instance;

  CcEngine       *engine;
  CcSandbox      *sandbox;
  CcDbusService  *service;

  /* From this process's own command line (the primary's startup needs
   * them before any command line reaches it). */
  gboolean        headless;
  gboolean        use_sandbox;

  /* Headless on a machine without a display: GTK is never initialised,
   * and the GTK parts of GtkApplication are bypassed. */
  gboolean        no_display;
  gboolean        held;
  gboolean        startup_failed;
  guint           sigterm_id;
  guint           sigint_id;
};

G_DEFINE_FINAL_TYPE (CcApplication, cc_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the sync engine without a window, until stopped (SIGTERM or Quit over D-Bus)"), NULL },
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Connect to built-in emulators of both services, with sample data and separate settings"),
    NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

CcApplication *
cc_application_new (void)
{
  return g_object_new (CC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", APP_PATH,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

CcEngine *
cc_application_get_engine (CcApplication *self)
{
  g_return_val_if_fail (CC_IS_APPLICATION (self), NULL);
  return self->engine;
}

/* GApplication's own implementation of a vfunc, for the no-display case. */
static GApplicationClass *
base_class (void)
{
  return G_APPLICATION_CLASS (g_type_class_peek (G_TYPE_APPLICATION));
}

/* --- the engine on the bus ----------------------------------------------- */

/* The D-Bus service is part of the core library where that library is
 * built with it (it then carries CC_HAVE_DBUS_SERVICE, which comes with
 * the generated D-Bus code); without it the application still runs, with
 * GApplication's own bus presence only. */

#ifdef CC_HAVE_DBUS_SERVICE
static void
on_quit_requested (CcDbusService *service,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}
#endif

static gboolean
service_export (CcApplication    *self,
                GDBusConnection  *connection,
                GError          **error)
{
#ifdef CC_HAVE_DBUS_SERVICE
  self->service = cc_dbus_service_new ();
  g_signal_connect_object (self->service, "quit-requested",
                           G_CALLBACK (on_quit_requested), self, 0);
  if (!cc_dbus_service_export (self->service, connection, error))
    {
      g_clear_object (&self->service);
      return FALSE;
    }
#endif
  return TRUE;
}

static void
service_unexport (CcApplication *self)
{
#ifdef CC_HAVE_DBUS_SERVICE
  if (self->service != NULL)
    {
      cc_dbus_service_set_engine (self->service, NULL);
      cc_dbus_service_unexport (self->service);
      g_clear_object (&self->service);
    }
#endif
}

static void
service_set_engine (CcApplication *self,
                    CcEngine      *engine)
{
#ifdef CC_HAVE_DBUS_SERVICE
  if (self->service != NULL)
    cc_dbus_service_set_engine (self->service, engine);
#endif
}

static void
service_set_window_count (CcApplication *self,
                          guint          count)
{
#ifdef CC_HAVE_DBUS_SERVICE
  if (self->service != NULL)
    cc_dbus_service_set_window_count (self->service, count);
#endif
}

/* --- window tracking ---------------------------------------------------- */

static void
update_window_count (CcApplication *self)
{
  guint count = 0;

  if (!self->no_display)
    count = g_list_length (gtk_application_get_windows (GTK_APPLICATION (self)));
  service_set_window_count (self, count);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  update_window_count (CC_APPLICATION (app));
}

static void
on_window_removed (GtkApplication *app,
                   GtkWindow      *window,
                   gpointer        user_data)
{
  update_window_count (CC_APPLICATION (app));
}

/* --- actions ------------------------------------------------------------ */

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

static gboolean
on_quit_signal (gpointer user_data)
{
  g_debug ("signal received: stopping");
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* --- life cycle ----------------------------------------------------------- */

static gboolean
cc_application_dbus_register (GApplication     *app,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  CcApplication *self = CC_APPLICATION (app);

  if (!G_APPLICATION_CLASS (cc_application_parent_class)->dbus_register (app, connection,
                                                                         object_path, error))
    return FALSE;

  /* Exported before the name is taken, so a client that sees the name
   * finds the objects; the workflows follow in startup. */
  return service_export (self, connection, error);
}

static void
cc_application_dbus_unregister (GApplication    *app,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  service_unexport (CC_APPLICATION (app));

  G_APPLICATION_CLASS (cc_application_parent_class)->dbus_unregister (app, connection,
                                                                      object_path);
}

static gboolean
create_engine (CcApplication  *self,
               GError        **error)
{
  g_autofree char *config_path = NULL;
  g_autofree char *state_path = NULL;

  /* The sandbox keeps its own settings and state, so trying it out never
   * touches the real connections, queues or cursors. */
  if (self->use_sandbox)
    {
      config_path = g_build_filename (g_get_user_config_dir (), "campaign-connector",
                                      "sandbox", "config.json", NULL);
      state_path = g_build_filename (g_get_user_data_dir (), "campaign-connector",
                                     "sandbox", "state.db", NULL);
    }

  self->engine = cc_engine_new (config_path, state_path, error);
  if (self->engine == NULL)
    return FALSE;

  if (self->use_sandbox)
    {
      CcSandboxOptions sandbox_options;

      cc_sandbox_options_init (&sandbox_options);
      self->sandbox = cc_sandbox_new (&sandbox_options);
      if (!cc_sandbox_start (self->sandbox, error))
        {
          g_clear_object (&self->sandbox);
          g_clear_object (&self->engine);
          return FALSE;
        }
      cc_engine_use_sandbox (self->engine,
                             cc_sandbox_get_dataverse_url (self->sandbox),
                             cc_sandbox_get_campaign_url (self->sandbox));
    }
  return TRUE;
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

  /* A server has no display, and GTK cannot start without one; headless
   * does not need it. */
  if (self->headless && !gtk_init_check ())
    {
      g_debug ("no display: running without GTK");
      self->no_display = TRUE;
      base_class ()->startup (app);
    }
  else
    {
      G_APPLICATION_CLASS (cc_application_parent_class)->startup (app);
    }

  /* SIGTERM (systemd, kill) and SIGINT (Ctrl+C) stop the workflows at a
   * safe point before the process ends, in every mode. */
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions,
                                   G_N_ELEMENTS (actions), app);
  if (!self->no_display)
    {
      cc_accessible_install ();
      gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
      g_signal_connect_after (app, "window-added", G_CALLBACK (on_window_added), NULL);
      g_signal_connect_after (app, "window-removed", G_CALLBACK (on_window_removed), NULL);
    }

  if (!create_engine (self, &error))
    {
      /* command_line turns this into exit status 1. */
      g_printerr ("campaign-connector: %s\n", error->message);
      self->startup_failed = TRUE;
      return;
    }

  service_set_engine (self, self->engine);
  cc_engine_resume (self->engine);
}

static void
cc_application_shutdown (GApplication *app)
{
  CcApplication *self = CC_APPLICATION (app);

  /* Blocks until every workflow has reached a safe point; the objects stay
   * on the bus meanwhile, so clients see them stop. */
  if (self->engine != NULL)
    cc_engine_shutdown (self->engine);
  service_set_engine (self, NULL);
  g_clear_object (&self->engine);
  if (self->sandbox != NULL)
    cc_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);

  if (self->no_display)
    base_class ()->shutdown (app);
  else
    G_APPLICATION_CLASS (cc_application_parent_class)->shutdown (app);
}

/* GtkApplication prepares its display before every remote call; there is
 * none to prepare without GTK. */
static void
cc_application_before_emit (GApplication *app,
                            GVariant     *platform_data)
{
  if (CC_APPLICATION (app)->no_display)
    base_class ()->before_emit (app, platform_data);
  else
    G_APPLICATION_CLASS (cc_application_parent_class)->before_emit (app, platform_data);
}

static void
cc_application_after_emit (GApplication *app,
                           GVariant     *platform_data)
{
  if (CC_APPLICATION (app)->no_display)
    base_class ()->after_emit (app, platform_data);
  else
    G_APPLICATION_CLASS (cc_application_parent_class)->after_emit (app, platform_data);
}

/* The window keeps its size in GSettings, and GSettings aborts the whole
 * process at the first lookup of a schema that is not installed (a build
 * run from its tree without meson devenv). Looked up first, a missing one
 * is a message instead, and the engine keeps running. */
static char *
dup_missing_schema_message (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    return NULL;
  return g_strdup_printf (_("the settings schema %s is not installed, so the window cannot "
                            "open; install Campaign Connector, or run it from its build tree "
                            "with “meson devenv -C _build campaign-connector”"),
                          APP_ID);
}

static void
cc_application_activate (GApplication *app)
{
  CcApplication *self = CC_APPLICATION (app);
  g_autofree char *missing = NULL;
  GtkWindow *window;

  if (self->no_display || self->engine == NULL)
    return;

  missing = dup_missing_schema_message ();
  if (missing != NULL)
    {
      g_printerr ("campaign-connector: %s\n", missing);
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (cc_window_new (self));
  gtk_window_present (window);
}

/* Runs in this process, before it knows whether it is the primary. */
static int
cc_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CcApplication *self = CC_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("campaign-connector %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->headless = g_variant_dict_contains (options, "headless");
  self->use_sandbox = g_variant_dict_contains (options, "sandbox");

  /* A window is asked for: fail before any engine starts. */
  if (!self->headless)
    {
      g_autofree char *missing = dup_missing_schema_message ();

      if (missing != NULL)
        {
          g_printerr ("campaign-connector: %s\n", missing);
          return 1;
        }
    }
  return -1;
}

/* Runs in the primary instance, for its own command line and for every
 * later `campaign-connector` of the session (then remote). */
static int
cc_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  CcApplication *self = CC_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  gboolean remote = g_application_command_line_get_is_remote (command_line);
  gboolean headless = g_variant_dict_contains (options, "headless");
  gboolean sandbox = g_variant_dict_contains (options, "sandbox");

  if (self->startup_failed)
    return 1;

  if (remote && sandbox && !cc_engine_get_uses_sandbox (self->engine))
    g_application_command_line_printerr (command_line, "campaign-connector: %s\n",
                                         _("already running with the real connections; "
                                           "--sandbox has no effect"));

  if (headless)
    {
      if (remote)
        {
          g_application_command_line_printerr (command_line, "campaign-connector: %s\n",
                                               _("the engine is already running"));
          return 1;
        }
      if (!self->held)
        {
          g_application_hold (app);
          self->held = TRUE;
        }
      g_debug ("running headless%s", self->use_sandbox ? " on the sandbox" : "");
      return 0;
    }

  if (self->no_display)
    {
      g_application_command_line_printerr (command_line, "campaign-connector: %s\n",
                                           _("the running engine has no display, so it "
                                             "cannot show a window"));
      return 1;
    }

  g_application_activate (app);
  return 0;
}

static void
cc_application_class_init (CcApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->dbus_register = cc_application_dbus_register;
  app_class->dbus_unregister = cc_application_dbus_unregister;
  app_class->startup = cc_application_startup;
  app_class->shutdown = cc_application_shutdown;
  app_class->before_emit = cc_application_before_emit;
  app_class->after_emit = cc_application_after_emit;
  app_class->activate = cc_application_activate;
  app_class->handle_local_options = cc_application_handle_local_options;
  app_class->command_line = cc_application_command_line;
}

static void
cc_application_init (CcApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Sync Microsoft Dynamics 365 and Adobe Campaign "
                                              "Standard. A second start opens the window of the "
                                              "running engine."));
}
