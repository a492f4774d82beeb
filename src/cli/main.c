/* main.c — campaign-connector-ctl: drives a running engine over D-Bus.
 *
 * Exit status: 0 done, 1 the operation failed, 2 the command line was
 * wrong. Every error is one line on stderr.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cc-ctl.h"

#define ENGINE_NAME "io.github.campaignconnector.CampaignConnector"
#define ENGINE_PATH "/io/github/campaignconnector/CampaignConnector"

/* Signing in to a service on SetConnection or TestConnection may take a
 * while when it is slow or retried. */
#define CALL_TIMEOUT_MS (120 * 1000)

typedef struct
{
  const char       *name;
  CcCtlCommandFunc  func;
  /* Which of --json, --wait, --secret, the error-log filter (--reason,
   * --record, --search), --by-reason/--csv and --yes/--prefix it takes. */
  gboolean          json;
  gboolean          wait;
  gboolean          secret;
  gboolean          filter;
  gboolean          errors_view;
  gboolean          prepare;
} Command;

static const Command commands[] = {
  { "list", cc_ctl_list, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "status", cc_ctl_status, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "start", cc_ctl_start, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE },
  { "stop", cc_ctl_stop, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE },
  { "config", cc_ctl_config, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "replay", cc_ctl_replay, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "errors", cc_ctl_errors, TRUE, FALSE, FALSE, TRUE, TRUE, FALSE },
  { "retry", cc_ctl_retry, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE },
  { "history", cc_ctl_history, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "activity", cc_ctl_activity, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "connection", cc_ctl_connection, TRUE, FALSE, TRUE, FALSE, FALSE, FALSE },
  { "check", cc_ctl_check, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE },
  { "prepare", cc_ctl_prepare, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE },
  { "quit", cc_ctl_quit, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
};

static const char *
describe_commands (void)
{
  return _("Commands:\n"
           "  list                              the workflows\n"
           "  status [ID]                       status, backlog and counters\n"
           "  start ID [--wait]                 start a workflow (--wait: until it runs)\n"
           "  stop ID [--wait]                  stop a workflow (--wait: until it stopped)\n"
           "  config get ID                     print the configuration (JSON)\n"
           "  config set ID FILE                set the configuration from FILE (- = stdin)\n"
           "  replay ID all|TIME                read again what changed since TIME (ISO-8601)\n"
           "  errors ID                         the error log (--reason, --record, --search:\n"
           "                                    what matches; --by-reason: grouped with\n"
           "                                    counts; --csv: as CSV)\n"
           "  retry ID [ERROR]                  queue failed records again (all, one, or\n"
           "                                    what --reason, --record or --search match)\n"
           "  history ID                        starts, stops, failures and replays\n"
           "  activity ID [hour|day]            backlog and records per second of the last\n"
           "                                    hour (every 5 s) or day (every minute)\n"
           "  connection set SYSTEM KEY=VALUE…  set up “dynamics” or “campaign”\n"
           "                                    (--secret: read the client secret from\n"
           "                                    stdin, or ask for it)\n"
           "  connection get SYSTEM             the stored settings (never the secret)\n"
           "  connection test SYSTEM            sign in and report what the server said\n"
           "  connection users                  the Dynamics 365 application users besides\n"
           "                                    its client-id (never a secret)\n"
           "  connection add-user CLIENT_ID     add one: its secret is read from stdin, or\n"
           "                                    asked for\n"
           "  connection remove-user CLIENT_ID  remove one, and its secret\n"
           "  check [ID]                        what the workflows need of both services, and\n"
           "                                    what to do about what is missing (exit status\n"
           "                                    0 only when nothing is)\n"
           "  prepare dynamics                  create what the workflows need in Dynamics 365\n"
           "                                    (shows the plan, then asks; --yes: apply;\n"
           "                                    --prefix: the customization prefix, default new)\n"
           "  quit                              stop every workflow and end the engine\n"
           "\n"
           "Keys for dynamics: url, tenant, client-id, token-url.\n"
           "Keys for campaign: org, api-key, api-url, ims-url, ims-scope, journal-url.\n"
           "\n"
           "Exit status: 0 done, 1 the operation failed, 2 wrong usage.");
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

static int
run (int    argc,
     char **argv)
{
  CcCtl ctl = { NULL, NULL, FALSE, FALSE, FALSE, 300, 50, FALSE, NULL,
                NULL, NULL, NULL, FALSE, FALSE };
  g_autofree char *reason = NULL;
  g_autofree char *record = NULL;
  g_autofree char *search = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &ctl.json,
      N_("Print JSON for scripts (list, status, errors, history, activity, connection get, "
         "check, prepare)"),
      NULL },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &ctl.wait,
      N_("Wait until the workflow is running (start) or stopped (stop)"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &ctl.timeout_s,
      N_("Give up waiting after SECONDS (default 300; 0 = never)"), N_("SECONDS") },
    { "secret", 's', 0, G_OPTION_ARG_NONE, &ctl.secret,
      N_("Also set the client secret, read from stdin or asked for (connection set)"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &ctl.limit,
      N_("Show at most N entries (errors, history; default 50; 0 = all)"), N_("N") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &ctl.yes,
      N_("Apply the plan without asking (prepare)"), NULL },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &ctl.prefix,
      N_("The customization prefix of what is created (prepare; default new)"), N_("PREFIX") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Only the errors of exactly this reason (errors, retry)"), N_("TEXT") },
    { "record", 0, 0, G_OPTION_ARG_STRING, &record,
      N_("Only the errors of this record id (errors, retry)"), N_("ID") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only the errors whose reason, record id or mapping holds TEXT (errors, retry)"),
      N_("TEXT") },
    { "by-reason", 0, 0, G_OPTION_ARG_NONE, &ctl.by_reason,
      N_("One line per reason, with how many records failed for it (errors)"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &ctl.csv,
      N_("Print the errors as CSV, every one that matches (errors)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcManager1) manager = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  const Command *command;
  int status;

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Drive the Campaign Connector engine that runs in "
                                           "this session."));
  g_option_context_set_description (context, describe_commands ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cc_ctl_usage (NULL, "%s", error->message);

  ctl.reason = reason;
  ctl.record = record;
  ctl.search = search;

  if (version)
    {
      g_print ("%s %s\n", CC_CTL_PROGRAM, PACKAGE_VERSION);
      return CC_CTL_EXIT_OK;
    }
  if (argc < 2)
    return cc_ctl_usage (NULL, _("which command?"));

  command = find_command (argv[1]);
  if (command == NULL)
    return cc_ctl_usage (NULL, _("unknown command “%s”"), argv[1]);
  if (ctl.json && !command->json)
    return cc_ctl_usage (NULL, _("“%s” does not print JSON"), command->name);
  if (ctl.wait && !command->wait)
    return cc_ctl_usage (NULL, _("--wait is for start and stop"));
  if (ctl.secret && !command->secret)
    return cc_ctl_usage (NULL, _("--secret is for “connection set”"));
  if ((ctl.yes || ctl.prefix != NULL) && !command->prepare)
    return cc_ctl_usage (NULL, _("--yes and --prefix are for “prepare dynamics”"));
  if ((ctl.reason != NULL || ctl.record != NULL || ctl.search != NULL) && !command->filter)
    return cc_ctl_usage (NULL, _("--reason, --record and --search are for “errors” and “retry”"));
  if ((ctl.by_reason || ctl.csv) && !command->errors_view)
    return cc_ctl_usage (NULL, _("--by-reason and --csv are for “errors”"));
  if (ctl.timeout_s < 0 || ctl.limit < 0)
    return cc_ctl_usage (NULL, _("--timeout and --limit cannot be negative"));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    return cc_ctl_fail (_("no session bus: %s"), error->message);

  /* Calls may start the engine through bus activation, where it is
   * installed as a D-Bus service. */
  manager = cc_manager1_proxy_new_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES
                                             | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                        ENGINE_NAME, ENGINE_PATH, NULL, &error);
  if (manager == NULL)
    return cc_ctl_fail_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (manager), CALL_TIMEOUT_MS);

  ctl.bus = bus;
  ctl.manager = manager;
  status = command->func (&ctl, argc - 2, (const char **) argv + 2);
  g_free (ctl.prefix);

  /* Make sure whatever the command sent has left before we exit. */
  g_dbus_connection_flush_sync (bus, NULL, NULL);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CC_LOCALEDIR");

  /* CC_LOCALEDIR lets an uninstalled build find its translations. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return run (argc, argv);
}
