/* test-allowance.c — Campaign's API allowance, end to end: the settings
 * and their checks, the per-second cap shared by two running workflows
 * (counted where the calls arrive, by the emulator), and a daily budget
 * that stops the calls at its size, survives a restart and starts again
 * when the day changes (on a clock the test moves).
 */
#include <errno.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cc-error.h"
#include "cc-test-admin.h"
#include "cc-test-sandbox.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "store-fixture.h"

#define DEADLINE 120
#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

#define INGRESS_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 2, \"mappings\": [ {" \
  "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] } ] }"

static CcRateLimiter *
limiter_of (EngineFixture *fixture)
{
  return cc_api_allowance_get_limiter (cc_engine_get_campaign_allowance (fixture->engine));
}

static void
set_campaign (EngineFixture *fixture,
              const char    *key,
              const char    *value,
              GError       **error)
{
  g_autoptr(GVariant) settings = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, key, "s", value);
  settings = g_variant_ref_sink (g_variant_dict_end (&dict));
  cc_engine_set_connection (fixture->engine, "campaign", settings, error);
}

static gint64
emulator_calls (EngineFixture *fixture,
                const char    *member)
{
  return cc_test_admin_count (fixture->acs, "/_sandbox/calls", member);
}

/* --- the settings ------------------------------------------------------------ */

static void
test_settings (EngineFixture *fixture,
               gconstpointer  data)
{
  static const char * const refused[] = { "ten", "-1", "1.5", " 5", "5 ", "+5", "1e3",
                                          "100001" };
  CcApiAllowance *allowance = cc_engine_get_campaign_allowance (fixture->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) stored = NULL;
  const char *value = NULL;

  set_campaign (fixture, "max-calls-per-second", "8", &error);
  g_assert_no_error (error);
  set_campaign (fixture, "daily-call-budget", "250000", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cc_api_allowance_get_max_calls_per_second (allowance), ==, 8);
  g_assert_cmpuint (cc_api_allowance_get_daily_budget (allowance), ==, 250000);

  /* Each refusal names the setting and what is wrong, and changes nothing. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      set_campaign (fixture, "max-calls-per-second", refused[i], &error);
      g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
      g_assert_true (g_str_has_prefix (error->message, "campaign.max-calls-per-second ("));
      g_assert_nonnull (strstr (error->message, refused[i]));
      g_clear_error (&error);
    }
  set_campaign (fixture, "daily-call-budget", "-3", &error);
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "campaign.daily-call-budget ("));
  g_clear_error (&error);
  stored = cc_engine_get_connection (fixture->engine, "campaign", &error);
  g_assert_true (g_variant_lookup (stored, "max-calls-per-second", "&s", &value));
  g_assert_cmpstr (value, ==, "8");
  g_assert_cmpuint (cc_api_allowance_get_max_calls_per_second (allowance), ==, 8);

  /* 0 or empty: no limit. */
  set_campaign (fixture, "max-calls-per-second", "0", &error);
  set_campaign (fixture, "daily-call-budget", "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cc_api_allowance_get_max_calls_per_second (allowance), ==, 0);
  g_assert_cmpuint (cc_api_allowance_get_daily_budget (allowance), ==, 0);
}

/* A configuration file edited by hand into a budget the engine cannot
 * honour is refused, saying where; a JSON number is as good as a string. */
static void
test_settings_file (void)
{
  static const char * const files[] = { "config.json", "state.db", "state.db-wal",
                                        "state.db-shm" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cc-allowance-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  g_autofree char *state = g_build_filename (dir, "state.db", NULL);
  g_autoptr(CcConfig) bad = NULL;
  g_autoptr(CcConfig) good = NULL;
  g_autoptr(CcEngine) engine = NULL;
  g_autoptr(GVariant) shown = NULL;
  const char *text = NULL;
  guint64 budget = 0;

  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"connections\": {\"campaign\":"
                                      " {\"daily-call-budget\": \"lots\"}}}", -1, NULL));
  bad = cc_config_load (path, &error);
  g_assert_null (bad);
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "campaign.daily-call-budget (Daily API Call Budget"));
  g_assert_nonnull (strstr (error->message, "“lots” is not a whole number"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"connections\": {\"campaign\":"
                                      " {\"daily-call-budget\": 5000}}}", -1, NULL));
  good = cc_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (cc_config_get_connection_count (good, "campaign", "daily-call-budget", &budget,
                                                 &error));
  g_assert_cmpuint (budget, ==, 5000);

  /* … and shown as its digits, as the engine writes it. */
  engine = cc_engine_new (path, state, &error);
  g_assert_no_error (error);
  shown = cc_engine_get_connection (engine, "campaign", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (shown, "daily-call-budget", "&s", &text));
  g_assert_cmpstr (text, ==, "5000");
  g_clear_object (&engine);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (dir, files[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

/* --- the per-second cap ------------------------------------------------------- */

typedef struct
{
  EngineFixture *fixture;
  gint64         contacts;
} Synced;

static gboolean
ingress_synced (gpointer data)
{
  Synced *synced = data;
  CcWorkflow *ingress = cc_engine_find_workflow (synced->fixture->engine, "ingress");

  g_assert_cmpint (cc_workflow_get_status (ingress), !=, CC_WORKFLOW_FAILED);
  return cc_test_admin_count (synced->fixture->acs, "/_sandbox/stats", "profiles")
         == synced->contacts;
}

/* Waits until every contact is a profile; says where ingress is if not. */
static void
wait_synced (Synced *synced)
{
  CcWorkflow *ingress = cc_engine_find_workflow (synced->fixture->engine, "ingress");

  if (cc_test_wait_until (ingress_synced, synced, DEADLINE))
    return;
  g_error ("%" G_GINT64_FORMAT " profiles of %" G_GINT64_FORMAT "; ingress %s, backlog %"
           G_GUINT64_FORMAT ", waiting “%s”; %" G_GINT64_FORMAT " calls",
           cc_test_admin_count (synced->fixture->acs, "/_sandbox/stats", "profiles"),
           synced->contacts, cc_workflow_status_to_string (cc_workflow_get_status (ingress)),
           cc_workflow_get_backlog (ingress), cc_workflow_get_waiting (ingress),
           cc_test_admin_count (synced->fixture->acs, "/_sandbox/calls", "count"));
}

/* Two workflows that both call Campaign, as fast as they can, under a
 * cap of 20: the emulator (a process of its own, whose threads a busy
 * machine does not stall) never sees more than 20 calls arrive within
 * any one second. */
static void
test_cap_two_workflows (void)
{
  const guint cap = 20;
  const char * const sandbox_args[] = {
    "--contacts", "80", "--memberships", "0", "--events", "0", NULL
  };
  g_autoptr(CcTestSandbox) sandbox = cc_test_sandbox_spawn_prompt (sandbox_args);
  g_autoptr(GError) error = NULL;
  EngineFixture fixture = { 0 };
  CcWorkflow *ingress, *optinout;
  Synced synced = { &fixture, 80 };
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;

  fixture.dir = g_dir_make_tmp ("cc-allowance-XXXXXX", &error);
  g_assert_no_error (error);
  fixture.dv = sandbox->dataverse;
  fixture.acs = sandbox->campaign;
  config = g_build_filename (fixture.dir, "config.json", NULL);
  state = g_build_filename (fixture.dir, "state.db", NULL);
  fixture.engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (fixture.engine, fixture.dv, fixture.acs);
  ingress = cc_engine_find_workflow (fixture.engine, "ingress");
  optinout = cc_engine_find_workflow (fixture.engine, "optinout");

  set_campaign (&fixture, "max-calls-per-second", "20", &error);
  g_assert_no_error (error);
  engine_fixture_configure (&fixture, "ingress", INGRESS_CONFIG);
  g_assert_true (cc_workflow_start (ingress, &error));
  g_assert_true (cc_workflow_start (optinout, &error));
  g_assert_no_error (error);
  wait_synced (&synced);

  /* Both made calls: ingress one per profile and one for the schema,
   * opt-in/out the rest. */
  g_test_message ("%" G_GINT64_FORMAT " calls, at most %" G_GINT64_FORMAT " within a second",
                  emulator_calls (&fixture, "count"), emulator_calls (&fixture, "busiest_second"));
  g_assert_cmpint (emulator_calls (&fixture, "count"), >, synced.contacts + 2);
  g_assert_cmpint (emulator_calls (&fixture, "busiest_second"), <=, cap);
  g_assert_cmpint (cc_workflow_get_status (optinout), ==, CC_WORKFLOW_RUNNING);
  engine_fixture_stop (ingress);
  engine_fixture_stop (optinout);

  g_clear_object (&fixture.engine);
  store_remove_tree (fixture.dir);
  g_free (fixture.dir);
}

/* --- the daily budget ----------------------------------------------------------- */

/* The system's clocks, the date moved on by @days. */
typedef struct
{
  CcClock clock;
  gint    days;     /* atomic: the workers read it */
} MovedClock;

static gint64
moved_monotonic (const CcClock *clock)
{
  return g_get_monotonic_time ();
}

static gint64
moved_real (const CcClock *clock)
{
  return g_get_real_time () + g_atomic_int_get (&((MovedClock *) clock)->days) * DAY_US;
}

static gboolean
waits_for_budget (gpointer data)
{
  CcWorkflow *workflow = data;

  g_assert_cmpint (cc_workflow_get_status (workflow), !=, CC_WORKFLOW_FAILED);
  return *cc_workflow_get_waiting (workflow) != '\0';
}

static gboolean
egress_done (gpointer data)
{
  CcWorkflow *egress = data;

  g_assert_cmpint (cc_workflow_get_status (egress), !=, CC_WORKFLOW_FAILED);
  return cc_workflow_get_written (egress) > 0 && cc_workflow_get_backlog (egress) == 0;
}

/* A budget of 60 a day for 100 contacts: ingress stops at exactly 60
 * calls, Running, its backlog waiting and the reason said; the count
 * survives a restart; the journal (not the Campaign API) does not count;
 * on the next day it goes on, and every contact arrives once. */
static void
test_budget (EngineFixture *fixture,
             gconstpointer  data)
{
  const gint64 budget = 60;
  const gint64 contacts = GPOINTER_TO_UINT (data);
  MovedClock moved = { { moved_monotonic, moved_real }, 0 };
  g_autoptr(GError) error = NULL;
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  CcWorkflow *egress = cc_engine_find_workflow (fixture->engine, "egress");
  CcApiAllowance *allowance;
  Synced synced = { fixture, contacts };
  gint64 day_one;

  cc_rate_limiter_set_clock (limiter_of (fixture), &moved.clock);
  set_campaign (fixture, "daily-call-budget", "60", &error);
  g_assert_no_error (error);
  cc_test_admin_drop (fixture->acs, "DELETE", "/_sandbox/calls", NULL, 200);

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG);
  engine_fixture_start (ingress, DEADLINE);
  g_assert_true (cc_test_wait_until (waits_for_budget, ingress, DEADLINE));
  g_assert_nonnull (strstr (cc_workflow_get_waiting (ingress), "60"));
  g_assert_cmpint (cc_workflow_get_status (ingress), ==, CC_WORKFLOW_RUNNING);
  g_assert_cmpint (emulator_calls (fixture, "count"), ==, budget);
  allowance = cc_engine_get_campaign_allowance (fixture->engine);
  cc_api_allowance_refresh (allowance);
  g_assert_cmpuint (cc_api_allowance_get_calls_today (allowance), ==, budget);
  g_assert_cmpint (cc_api_allowance_get_waiting_until (allowance), >, g_get_real_time ());

  /* The journal is Adobe I/O Events, not the Campaign API: egress runs. */
  engine_fixture_start (egress, DEADLINE);
  g_assert_true (cc_test_wait_until (egress_done, egress, DEADLINE));
  g_assert_cmpint (emulator_calls (fixture, "count"), ==, budget);
  g_assert_cmpuint (cc_workflow_get_backlog (ingress), >, 0);

  /* Killed and started again the same day: still used up, nothing sent. */
  engine_fixture_restart (fixture, FALSE);
  cc_rate_limiter_set_clock (limiter_of (fixture), &moved.clock);
  set_campaign (fixture, "daily-call-budget", "60", &error);
  g_assert_no_error (error);
  cc_engine_resume (fixture->engine);
  ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  allowance = cc_engine_get_campaign_allowance (fixture->engine);
  g_assert_cmpuint (cc_api_allowance_get_calls_today (allowance), >=, budget);
  g_assert_true (cc_test_wait_until (waits_for_budget, ingress, DEADLINE));
  g_assert_cmpint (emulator_calls (fixture, "count"), ==, budget);
  day_one = emulator_calls (fixture, "count");

  /* Midnight UTC: the rest goes, within the new day's budget. */
  g_atomic_int_set (&moved.days, 1);
  wait_synced (&synced);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_RUNNING, DEADLINE);
  cc_api_allowance_refresh (allowance);
  g_assert_cmpint (emulator_calls (fixture, "count"),
                   ==, day_one + (gint64) cc_api_allowance_get_calls_today (allowance));
  g_assert_cmpuint (cc_api_allowance_get_calls_today (allowance), <=, budget);
  g_assert_cmpint (cc_api_allowance_get_waiting_until (allowance), ==, 0);
  engine_fixture_stop (ingress);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The cap is timed where the calls arrive: a machine busy with other
   * work must not hold a call back between the moment the engine lets it
   * go and the moment it is sent, while the next ones go on time. The
   * engine's threads (all made from here on) have a higher priority where
   * that is allowed; elsewhere the test runs as it is. */
  if (setpriority (PRIO_PROCESS, 0, -10) != 0)
    g_test_message ("running at normal priority: %s", g_strerror (errno));

  ENGINE_TEST_ADD ("/allowance/settings", 10, test_settings);
  g_test_add_func ("/allowance/settings-file", test_settings_file);
  g_test_add_func ("/allowance/cap-two-workflows", test_cap_two_workflows);
  ENGINE_TEST_ADD ("/allowance/budget", 100, test_budget);

  return g_test_run ();
}
