/* test-unattended.c — a headless engine killed with SIGKILL, as an OOM
 * kill or a power cut would end it, and started again as systemd's
 * Restart=on-failure would: it resumes the workflows the user left
 * running, and only those, and nothing is lost or written twice.
 *
 * Everything is real: `campaign-connector --headless` on the test's
 * private bus, driven over D-Bus, writing to a campaign-connector-sandbox
 * of its own (so the data in "Campaign" outlives the engine).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>

#include "cc-sandbox.h"
#include "cc-test-admin.h"
#include "cc-test-engine.h"
#include "cc-test-sandbox.h"
#include "cc-test-util.h"

#define DEADLINE 120
#define CONTACTS 3000
#define INGRESS_PATH CC_TEST_PATH "/workflows/ingress"

static const char * const headless[] = { "--headless", NULL };

/* The default contact mapping, a little parallel: the first load of
 * CONTACTS takes seconds, long enough to be killed several times. */
#define INGRESS_CONFIG \
  "{ \"poll-interval\": 1, \"write-concurrency\": 4, \"mappings\": [ {" \
  "  \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"}," \
  "                {\"source\": \"emailaddress1\", \"target\": \"email\"} ] } ] }"

typedef struct
{
  CcTestSandbox *sandbox;
  CcTestEngine  *engine;
} Fixture;

static void
call (Fixture    *fixture,
      const char *path,
      const char *interface,
      const char *method,
      GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = cc_test_call (fixture->engine->bus, path, interface, method,
                                            parameters, &error);

  g_assert_no_error (error);
}

/* SetConnection with @pairs: key, value, key, value…, NULL. */
static void
set_connection (Fixture            *fixture,
                const char         *system,
                const char * const *pairs)
{
  GVariantBuilder settings;

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; pairs[i] != NULL; i += 2)
    g_variant_builder_add (&settings, "{sv}", pairs[i], g_variant_new_string (pairs[i + 1]));
  call (fixture, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
        g_variant_new ("(sa{sv})", system, &settings));
}

/* Points both connections at the sandbox, over D-Bus. */
static void
set_connections (Fixture *fixture)
{
  const char *dv = fixture->sandbox->dataverse;
  const char *acs = fixture->sandbox->campaign;
  g_autofree char *token_url = g_strconcat (dv, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autofree char *ims_url = g_strconcat (acs, "/ims/token/v3", NULL);
  g_autofree char *journal_url = g_strconcat (acs, "/events/journal", NULL);
  const char * const dynamics[] = {
    "url", dv, "tenant", CC_SANDBOX_TENANT, "client-id", CC_SANDBOX_CLIENT_ID,
    "token-url", token_url, "secret", CC_SANDBOX_SECRET, NULL
  };
  const char * const campaign[] = {
    "org", CC_SANDBOX_ORG, "api-key", CC_SANDBOX_API_KEY, "api-url", acs, "ims-url", ims_url,
    "journal-url", journal_url, "secret", CC_SANDBOX_SECRET, NULL
  };

  set_connection (fixture, "dynamics", dynamics);
  set_connection (fixture, "campaign", campaign);
}

static GVariant *
get_property (Fixture    *fixture,
              const char *name)
{
  return cc_test_get_property (fixture->engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, name);
}

static char *
ingress_status (Fixture *fixture)
{
  g_autoptr(GVariant) status = get_property (fixture, "Status");

  return g_variant_dup_string (status, NULL);
}

typedef struct
{
  Fixture    *fixture;
  const char *status;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;
  g_autofree char *status = ingress_status (wait->fixture);

  g_assert_cmpstr (status, !=, "failed");
  return g_str_equal (status, wait->status);
}

static void
wait_status (Fixture    *fixture,
             const char *status)
{
  StatusWait wait = { fixture, status };
  g_autofree char *log = NULL;

  if (cc_test_wait_until (has_status, &wait, DEADLINE))
    return;
  g_file_get_contents (fixture->engine->log_path, &log, NULL, NULL);
  g_error ("ingress did not become %s:\n%s", status, log ? log : "");
}

static gint64
profiles (Fixture *fixture)
{
  return cc_test_admin_count (fixture->sandbox->campaign, "/_sandbox/stats", "profiles");
}

typedef struct
{
  Fixture *fixture;
  gint64   at_least;
} ProfilesWait;

static gboolean
profiles_reached (gpointer data)
{
  ProfilesWait *wait = data;

  return profiles (wait->fixture) >= wait->at_least;
}

/* SIGKILL: no safe point, no shutdown, nothing flushed. */
static void
kill_engine (Fixture *fixture)
{
  g_subprocess_send_signal (fixture->engine->process, SIGKILL);
  g_assert_true (cc_test_engine_wait_exit (fixture->engine, DEADLINE));
  g_assert_cmpint (fixture->engine->exit_status, ==, 128 + SIGKILL);
}

/* The newest entry of ingress's run history. */
static void
newest_history (Fixture  *fixture,
                char    **kind,
                char    **message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) entries = NULL;

  reply = cc_test_call (fixture->engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "GetHistory",
                        g_variant_new ("(u)", 1), &error);
  g_assert_no_error (error);
  entries = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (entries), ==, 1);
  g_variant_get_child (entries, 0, "(xxsstt)", NULL, NULL, kind, message, NULL, NULL);
}

/* Started again after a kill: Running, without anyone asking. */
static void
restart_and_expect_resumed (Fixture *fixture)
{
  g_autofree char *kind = NULL;
  g_autofree char *message = NULL;
  g_autofree char *status = NULL;

  cc_test_engine_start_again (fixture->engine, headless, FALSE);
  /* Resuming is part of the engine's start-up, before it answers a call. */
  status = ingress_status (fixture);
  g_assert_true (g_str_equal (status, "starting") || g_str_equal (status, "running"));
  newest_history (fixture, &kind, &message);
  g_assert_cmpstr (kind, ==, "start");
  g_assert_cmpstr (message, ==, "resumed");
  wait_status (fixture, "running");
}

static gboolean
drained (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GVariant) backlog = get_property (fixture, "Backlog");

  return profiles (fixture) == CONTACTS && g_variant_get_uint64 (backlog) == 0;
}

/* Every contact is one profile: none missing, none twice. */
static void
assert_each_contact_once (Fixture *fixture)
{
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->sandbox->campaign, "GET",
                                              "/_sandbox/profiles", NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) errors = NULL;
  JsonArray *content = json_object_get_array_member (json_node_get_object (answer), "content");

  g_assert_cmpuint (json_array_get_length (content), ==, CONTACTS);
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *profile = json_array_get_object_element (content, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) json_object_get_string_member (profile,
                                                                                      "externalId")));
    }

  reply = cc_test_call (fixture->engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "GetErrors",
                        g_variant_new ("(uu)", 0, 0), &error);
  g_assert_no_error (error);
  errors = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (errors), ==, 0);
}

static void
test_killed_during_first_load (void)
{
  const char * const sandbox_args[] = {
    "--contacts", G_STRINGIFY (CONTACTS), "--memberships", "0", "--events", "0",
    "--latency-ms", "8", NULL
  };
  /* Where the engine dies: the first load has 0, a quarter, then more
   * than half of the profiles in Campaign. */
  const gint64 kill_at[] = { CONTACTS / 4, CONTACTS * 3 / 5 };
  Fixture fixture = { NULL, NULL };
  g_autofree char *status = NULL;

  fixture.sandbox = cc_test_sandbox_spawn (sandbox_args);
  fixture.engine = cc_test_engine_start (headless, FALSE);
  set_connections (&fixture);
  call (&fixture, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig", g_variant_new ("(s)", INGRESS_CONFIG));

  /* Killed while Starting: the Start that was answered is remembered. */
  call (&fixture, INGRESS_PATH, CC_TEST_WORKFLOW, "Start", NULL);
  kill_engine (&fixture);
  g_assert_cmpint (profiles (&fixture), <, CONTACTS);
  restart_and_expect_resumed (&fixture);

  for (guint i = 0; i < G_N_ELEMENTS (kill_at); i++)
    {
      ProfilesWait wait = { &fixture, kill_at[i] };

      g_assert_true (cc_test_wait_until (profiles_reached, &wait, DEADLINE));
      kill_engine (&fixture);
      /* Killed during the first load, not after it. */
      g_assert_cmpint (profiles (&fixture), <, CONTACTS);
      restart_and_expect_resumed (&fixture);
    }

  g_assert_true (cc_test_wait_until (drained, &fixture, DEADLINE));
  assert_each_contact_once (&fixture);

  /* Stopped by the user, then killed: it stays stopped. */
  call (&fixture, INGRESS_PATH, CC_TEST_WORKFLOW, "Stop", NULL);
  wait_status (&fixture, "stopped");
  kill_engine (&fixture);
  cc_test_engine_start_again (fixture.engine, headless, FALSE);
  status = ingress_status (&fixture);
  g_assert_cmpstr (status, ==, "stopped");

  cc_test_engine_quit (fixture.engine);
  cc_test_engine_free (fixture.engine);
  cc_test_sandbox_free (fixture.sandbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/unattended/killed-during-first-load", test_killed_during_first_load);

  return g_test_run ();
}
