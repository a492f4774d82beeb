/* main.c — campaign-connector-sandbox: both emulators as a standalone
 * server on loopback, for tests, benchmarks and demos. Prints one line per
 * service URL, then serves until SIGTERM or SIGINT.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "cc-sandbox.h"
#include "cc-sandbox-setup.h"

#define PROGRAM "campaign-connector-sandbox"

typedef struct
{
  gint64 dataverse_port;
  gint64 campaign_port;
  gint64 contacts;
  gint64 memberships;
  gint64 events;
  gint64 seed;
  gint64 token_lifetime;
  gint64 max_requests;
  gint64 window;
  gint64 max_concurrent;
  gint64 max_execution;
  gint64 change_retention;
  double error_rate;
  double throttle_rate;
  double drop_rate;
  double malformed_rate;
  gint64 latency_ms;
  char **without;
} Flags;

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* Checks one whole-number flag; on failure fills @error naming it. */
static gboolean
check_range (const char  *name,
             gint64       value,
             gint64       min,
             gint64       max,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
               ", not %" G_GINT64_FORMAT, name, min, max, value);
  return FALSE;
}

static gboolean
check_rate (const char  *name,
            double       value,
            GError     **error)
{
  if (value >= 0.0 && value <= 1.0)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--%s must be between 0 and 1, not %g", name, value);
  return FALSE;
}

static gboolean
validate (Flags   *f,
          GError **error)
{
  return check_range ("dataverse-port", f->dataverse_port, 0, 65535, error)
         && check_range ("campaign-port", f->campaign_port, 0, 65535, error)
         && check_range ("contacts", f->contacts, 0, 10000000, error)
         && check_range ("memberships", f->memberships, -1, 10000000, error)
         && check_range ("events", f->events, -1, 100000000, error)
         && check_range ("seed", f->seed, 0, G_MAXINT64, error)
         && check_range ("token-lifetime", f->token_lifetime, 1, 31536000, error)
         && check_range ("max-requests", f->max_requests, 1, G_MAXINT32, error)
         && check_range ("window", f->window, 1, 86400, error)
         && check_range ("max-concurrent", f->max_concurrent, 1, 100000, error)
         && check_range ("max-execution-ms", f->max_execution, 1, G_MAXINT32, error)
         && check_range ("change-retention-days", f->change_retention, 1, 365, error)
         && check_range ("latency-ms", f->latency_ms, 0, 600000, error)
         && check_rate ("error-rate", f->error_rate, error)
         && check_rate ("throttle-rate", f->throttle_rate, error)
         && check_rate ("drop-rate", f->drop_rate, error)
         && check_rate ("malformed-rate", f->malformed_rate, error)
         && cc_sandbox_setup_check ((const char * const *) f->without, error);
}

int
main (int    argc,
      char **argv)
{
  Flags f = {
    .contacts = 200, .memberships = -1, .events = -1, .seed = 1, .token_lifetime = 3599,
    .max_requests = 6000, .window = 300, .max_concurrent = 52,
    .max_execution = 1200000, .change_retention = 7,
  };
  const GOptionEntry entries[] = {
    { "dataverse-port", 0, 0, G_OPTION_ARG_INT64, &f.dataverse_port, "Port of the Dataverse emulator (0 = any free port)", "N" },
    { "campaign-port", 0, 0, G_OPTION_ARG_INT64, &f.campaign_port, "Port of the Campaign emulator (0 = any free port)", "M" },
    { "contacts", 0, 0, G_OPTION_ARG_INT64, &f.contacts, "Seeded contacts (default 200)", "K" },
    { "memberships", 0, 0, G_OPTION_ARG_INT64, &f.memberships, "Seeded new_membership rows (default contacts / 2)", "K" },
    { "events", 0, 0, G_OPTION_ARG_INT64, &f.events, "Seeded email events (default contacts × 2)", "E" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &f.seed, "Random seed of the generated data (default 1)", "S" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT64, &f.token_lifetime, "Lifetime of issued tokens (default 3599)", "SECONDS" },
    { "max-requests", 0, 0, G_OPTION_ARG_INT64, &f.max_requests, "Dataverse requests allowed per window (default 6000)", "N" },
    { "window", 0, 0, G_OPTION_ARG_INT64, &f.window, "Length of that window (default 300)", "SECONDS" },
    { "max-concurrent", 0, 0, G_OPTION_ARG_INT64, &f.max_concurrent, "Concurrent Dataverse requests allowed (default 52)", "N" },
    { "max-execution-ms", 0, 0, G_OPTION_ARG_INT64, &f.max_execution, "Combined execution time of Dataverse requests allowed per window (default 1200000)", "MS" },
    { "change-retention-days", 0, 0, G_OPTION_ARG_INT64, &f.change_retention, "Days a Dataverse change-tracking token stays valid (default 7)", "DAYS" },
    { "error-rate", 0, 0, G_OPTION_ARG_DOUBLE, &f.error_rate, "Share of requests answered with a 5xx", "R" },
    { "throttle-rate", 0, 0, G_OPTION_ARG_DOUBLE, &f.throttle_rate, "Share of requests answered 429", "R" },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &f.drop_rate, "Share of connections dropped without an answer", "R" },
    { "malformed-rate", 0, 0, G_OPTION_ARG_DOUBLE, &f.malformed_rate, "Share of 200 answers sent with a truncated body", "R" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT64, &f.latency_ms, "Latency added to every request", "N" },
    { "without", 0, 0, G_OPTION_ARG_STRING_ARRAY, &f.without,
      "Leave out a piece of the customer's setup (repeatable): activity-tables, table:TABLE, "
      "alternate-key:TABLE, change-tracking:TABLE, column:TABLE.COLUMN, privilege:NAME, "
      "custom-filters, filter:RESOURCE.FILTER, field:RESOURCE.FIELD, key:RESOURCE", "ITEM" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonObject) knobs = NULL;
  CcSandboxOptions options;

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Emulates the Dataverse Web API (with Entra ID) and the Adobe Campaign "
                                "Standard API (with IMS and an I/O Events journal) on 127.0.0.1.\n"
                                "Prints \"dataverse URL\" and \"campaign URL\", then serves until "
                                "SIGTERM or SIGINT.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !validate (&f, &error))
    {
      fprintf (stderr, "%s: %s (see --help)\n", PROGRAM, error->message);
      return 2;
    }
  if (argc > 1)
    {
      fprintf (stderr, "%s: unexpected argument '%s' (see --help)\n", PROGRAM, argv[1]);
      return 2;
    }

  cc_sandbox_options_init (&options);
  options.dataverse_port = (guint) f.dataverse_port;
  options.campaign_port = (guint) f.campaign_port;
  options.contacts = (guint) f.contacts;
  options.memberships = f.memberships < 0 ? CC_SANDBOX_AUTO : (guint) f.memberships;
  options.events = f.events < 0 ? CC_SANDBOX_AUTO : (guint) f.events;
  options.seed = (guint64) f.seed;
  options.token_lifetime_s = (guint) f.token_lifetime;
  options.max_requests = (guint) f.max_requests;
  options.window_s = (guint) f.window;
  options.max_concurrent = (guint) f.max_concurrent;
  options.max_execution_ms = (guint) f.max_execution;
  options.change_retention_days = (guint) f.change_retention;
  options.without = f.without;
  sandbox = cc_sandbox_new (&options);
  g_clear_pointer (&f.without, g_strfreev);

  knobs = json_object_new ();
  json_object_set_double_member (knobs, "error_rate", f.error_rate);
  json_object_set_double_member (knobs, "throttle_rate", f.throttle_rate);
  json_object_set_double_member (knobs, "drop_rate", f.drop_rate);
  json_object_set_double_member (knobs, "malformed_rate", f.malformed_rate);
  json_object_set_int_member (knobs, "latency_ms", f.latency_ms);
  if (!cc_sandbox_faults_set_json (cc_sandbox_get_faults (sandbox), knobs, &error)
      || !cc_sandbox_start (sandbox, &error))
    {
      fprintf (stderr, "%s: %s\n", PROGRAM, error->message);
      return 1;
    }

  printf ("dataverse %s\n", cc_sandbox_get_dataverse_url (sandbox));
  printf ("campaign %s\n", cc_sandbox_get_campaign_url (sandbox));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  cc_sandbox_stop (sandbox);
  return 0;
}
