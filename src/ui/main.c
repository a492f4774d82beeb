/* main.c — campaign-connector: the window, or the engine headless. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cc-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CcApplication) app = NULL;
  const char *localedir = g_getenv ("CC_LOCALEDIR");

  /* CC_LOCALEDIR lets an uninstalled build find its translations. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
