/* test-optinout-config.c — opt-in/opt-out's "write-concurrency": the
 * setting accepted, refused and written back, and runs against the
 * sandbox (every answer held back a little) with one write in flight and
 * with eight, each delivering every change with as many contacts in
 * flight as configured, from one writer thread. */
#include "cc-error.h"
#include "cc-optinout-config.h"
#include "cc-sandbox-seed.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "cc-write-pump.h"
#include "ingress-fixture.h"

#define DEADLINE 60
#define CONTACTS 10
/* Held back this long, the writes of contacts in flight together meet at
 * the sandbox. */
#define LATENCY "{\"latency_ms\": 100}"


/* ------------------------------------------------------------------ */
/* Configuration                                                       */

static CcOptinoutConfig *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return cc_optinout_config_parse (node, error);
}

static gint64
written_concurrency (const CcOptinoutConfig *config)
{
  g_autoptr(JsonNode) node = cc_optinout_config_to_json (config);
  JsonObject *root = json_node_get_object (node);

  g_assert_true (json_object_has_member (root, "write-concurrency"));
  return json_object_get_int_member (root, "write-concurrency");
}

static void
test_config_default (void)
{
  g_autoptr(JsonNode) node = cc_optinout_config_default ();
  g_autoptr(CcOptinoutConfig) config = NULL;
  g_autoptr(CcOptinoutConfig) older = NULL;
  g_autoptr(GError) error = NULL;

  /* A new workflow shows the setting with its default. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "write-concurrency"),
                   ==, 4);
  config = cc_optinout_config_parse (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (config->write_concurrency, ==, CC_OPTINOUT_DEFAULT_WRITE_CONCURRENCY);

  /* A configuration from before the setting keeps four writers. */
  older = parse ("{\"direction\": \"bidirectional\", \"poll-interval\": 5}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (older->write_concurrency, ==, 4);
  g_assert_cmpint (written_concurrency (older), ==, 4);
}

static void
test_config_accepted (void)
{
  static const guint values[] = { 1, 2, 8, 64, 256 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"write-concurrency\": %u}", values[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CcOptinoutConfig) config = parse (json, &error);
      g_autoptr(JsonNode) written = NULL;
      g_autoptr(CcOptinoutConfig) again = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (config->write_concurrency, ==, values[i]);
      g_assert_cmpint (written_concurrency (config), ==, values[i]);

      /* What is written back reads back the same. */
      written = cc_optinout_config_to_json (config);
      again = cc_optinout_config_parse (written, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (again->write_concurrency, ==, values[i]);
    }
}

static void
test_config_refused (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"write-concurrency\": 0}", "write-concurrency: 0 is out of range (1 to 256)" },
    { "{\"write-concurrency\": 257}", "write-concurrency: 257 is out of range (1 to 256)" },
    { "{\"write-concurrency\": -3}", "write-concurrency: -3 is out of range (1 to 256)" },
    { "{\"write-concurrency\": 4.5}", "write-concurrency: must be a whole number from 1 to 256" },
    { "{\"write-concurrency\": \"8\"}", "write-concurrency: must be a whole number from 1 to 256" },
    { "{\"write-concurrency\": null}", "write-concurrency: must be a whole number from 1 to 256" },
    { "{\"write-concurrency\": [8]}", "write-concurrency: must be a whole number from 1 to 256" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CcOptinoutConfig) config = parse (cases[i].json, &error);

      g_assert_null (config);
      g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    /* A misspelling is not taken for the setting. */
    g_autoptr(GError) error = NULL;
    g_autoptr(CcOptinoutConfig) config = parse ("{\"writeConcurrency\": 8}", &error);

    g_assert_null (config);
    g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
    g_assert_true (g_str_has_prefix (error->message, "writeConcurrency: unknown member"));
    g_assert_nonnull (strstr (error->message, "write-concurrency"));
  }
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */

/* The workflow's worker threads now alive, by name ("cc-optinout-<i>",
 * as cc_run_workers() names them): two readers and the writer threads. */
static guint
count_workers (void)
{
  g_auto(GStrv) names = cc_test_list_threads ();
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *index;

      if (!g_str_has_prefix (names[i], "cc-optinout-"))
        continue;
      index = names[i] + strlen ("cc-optinout-");
      if (*index != '\0' && strspn (index, "0123456789") == strlen (index))
        n++;
    }
  return n;
}

typedef struct
{
  guint n;
} WorkersWait;

static gboolean
workers_are (gpointer data)
{
  return count_workers () == ((WorkersWait *) data)->n;
}

static void
wait_workers (guint n)
{
  WorkersWait wait = { n };

  if (!cc_test_wait_until (workers_are, &wait, DEADLINE))
    g_error ("expected %u opt-in/opt-out threads, found %u", n, count_workers ());
}

static char *
contact_id (EngineFixture *fixture,
            guint          index)
{
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, index);

  return g_strdup (json_object_get_string_member (contact, "contactid"));
}

static JsonObject *
admin_get (const char *base_url,
           const char *prefix,
           const char *id)
{
  g_autofree char *path = g_strconcat (prefix, id, NULL);
  g_autoptr(JsonNode) node = cc_test_admin (base_url, "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

static gboolean
flag (JsonObject *object,
      const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node);
}

/* A profile for each contact whose two flags are the opposite of the
 * contact's: each contact then needs one write to Campaign. */
static void
create_profiles (EngineFixture *fixture)
{
  for (guint i = 0; i < CONTACTS; i++)
    {
      g_autofree char *id = contact_id (fixture, i);
      g_autoptr(JsonObject) contact = admin_get (fixture->dv, "/_sandbox/tables/contacts/", id);
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) answer = NULL;

      body = g_strdup_printf ("{\"externalId\": \"%s\", \"email\": \"%s\", \"denyListEmail\": %s,"
                              " \"denyList\": %s}",
                              id, json_object_get_string_member (contact, "emailaddress1"),
                              flag (contact, "donotbulkemail") ? "false" : "true",
                              flag (contact, "donotemail") ? "false" : "true");
      answer = cc_test_admin (fixture->acs, "POST", "/_sandbox/profiles", body);
    }
}

/* Turns every contact's donotbulkemail over in Dynamics 365. */
static void
flip_contacts (EngineFixture *fixture)
{
  for (guint i = 0; i < CONTACTS; i++)
    {
      g_autofree char *id = contact_id (fixture, i);
      g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", id, NULL);
      g_autoptr(JsonObject) contact = admin_get (fixture->dv, "/_sandbox/tables/contacts/", id);
      g_autoptr(JsonNode) answer = NULL;

      answer = cc_test_admin (fixture->dv, "PATCH", path,
                              flag (contact, "donotbulkemail")
                              ? "{\"donotbulkemail\": false}" : "{\"donotbulkemail\": true}");
    }
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  guint64        written;
} SyncWait;

static gboolean
all_delivered (gpointer data)
{
  SyncWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  if (cc_workflow_get_written (wait->workflow) < wait->written
      || cc_workflow_get_backlog (wait->workflow) != 0)
    return FALSE;
  for (guint i = 0; i < CONTACTS; i++)
    {
      g_autofree char *id = contact_id (wait->fixture, i);
      g_autoptr(JsonObject) contact = admin_get (wait->fixture->dv, "/_sandbox/tables/contacts/", id);
      g_autoptr(JsonObject) profile = admin_get (wait->fixture->acs, "/_sandbox/profiles/", id);

      if (flag (contact, "donotbulkemail") != flag (profile, "denyListEmail")
          || flag (contact, "donotemail") != flag (profile, "denyList"))
        return FALSE;
    }
  return TRUE;
}

static void
wait_delivered (EngineFixture *fixture,
                CcWorkflow    *workflow,
                guint64        written)
{
  SyncWait wait = { fixture, workflow, written };

  if (!cc_test_wait_until (all_delivered, &wait, DEADLINE))
    g_error ("%u contacts and profiles never agreed after %" G_GUINT64_FORMAT " writes "
             "(written %" G_GUINT64_FORMAT ", status %s, “%s”)", CONTACTS, written,
             cc_workflow_get_written (workflow),
             cc_workflow_status_to_string (cc_workflow_get_status (workflow)),
             cc_workflow_get_last_error (workflow));
}

/* Every answer of the sandbox held back, and its count of Campaign calls
 * in flight started afresh. */
static void
hold_answers (EngineFixture *fixture)
{
  g_autoptr(JsonNode) latency = json_from_string (LATENCY, NULL);

  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (fixture->sandbox),
                                             json_node_get_object (latency), NULL));
  cc_test_admin_drop (fixture->acs, "DELETE", "/_sandbox/calls", NULL, 200);
}

/* The most Campaign calls that were in flight at once since
 * hold_answers(): the writers' and the Campaign reader's (one at a time). */
static gint64
most_in_flight (EngineFixture *fixture)
{
  return cc_test_admin_count (fixture->acs, "/_sandbox/calls", "most_in_flight");
}

/* Runs with @data writes in flight: every contact is written once on the
 * first run and once more after a change to each in Dynamics 365, never
 * with more writes in flight than configured, and with as many when
 * there are enough contacts. */
static void
test_run (EngineFixture *fixture,
          gconstpointer  data)
{
  guint writers = GPOINTER_TO_UINT (data);
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *config = NULL;

  create_profiles (fixture);
  config = g_strdup_printf ("{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1,"
                            " \"write-concurrency\": %u}", writers);
  engine_fixture_configure (fixture, "optinout", config);
  g_assert_cmpuint (count_workers (), ==, 0);
  hold_answers (fixture);

  engine_fixture_start (workflow, DEADLINE);
  wait_workers (2 + cc_write_pump_count_threads (writers));
  wait_delivered (fixture, workflow, CONTACTS);

  flip_contacts (fixture);
  wait_delivered (fixture, workflow, 2 * CONTACTS);
  g_assert_cmpuint (count_workers (), ==, 2 + cc_write_pump_count_threads (writers));
  g_assert_cmpint (most_in_flight (fixture), <=, writers + 1);
  g_assert_cmpint (most_in_flight (fixture), >=, MIN (writers, CONTACTS));

  engine_fixture_stop (workflow);
  g_assert_cmpuint (count_workers (), ==, 0);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, 2 * CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

/* A new count set while running is a pending change, taken up when the
 * workflow starts again. */
static void
test_pending (EngineFixture *fixture,
              gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");

  create_profiles (fixture);
  engine_fixture_configure (fixture, "optinout",
                            "{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1,"
                            " \"write-concurrency\": 2}");
  hold_answers (fixture);
  engine_fixture_start (workflow, DEADLINE);
  wait_workers (3);
  g_assert_false (cc_workflow_get_pending_changes (workflow));

  engine_fixture_configure (fixture, "optinout",
                            "{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1,"
                            " \"write-concurrency\": 6}");
  g_assert_true (cc_workflow_get_pending_changes (workflow));
  wait_delivered (fixture, workflow, CONTACTS);
  engine_fixture_stop (workflow);
  g_assert_cmpint (most_in_flight (fixture), <=, 3);

  hold_answers (fixture);
  engine_fixture_start (workflow, DEADLINE);
  g_assert_false (cc_workflow_get_pending_changes (workflow));
  wait_workers (3);
  flip_contacts (fixture);
  wait_delivered (fixture, workflow, 2 * CONTACTS);
  engine_fixture_stop (workflow);
  g_assert_cmpint (most_in_flight (fixture), >=, 6);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, 2 * CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

/* A configuration that spells out a default it left out before (as the
 * dialog does on every save) means the same: no pending change. */
static void
test_default_is_no_change (EngineFixture *fixture,
                           gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");

  engine_fixture_configure (fixture, "optinout",
                            "{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1}");
  engine_fixture_start (workflow, DEADLINE);

  engine_fixture_configure (fixture, "optinout",
                            "{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1,"
                            " \"write-concurrency\": 4}");
  g_assert_false (cc_workflow_get_pending_changes (workflow));
  engine_fixture_configure (fixture, "optinout",
                            "{\"direction\": \"dynamics-to-campaign\", \"poll-interval\": 1,"
                            " \"write-concurrency\": 5}");
  g_assert_true (cc_workflow_get_pending_changes (workflow));
  engine_fixture_configure (fixture, "optinout",
                            "{\"poll-interval\": 1, \"direction\": \"dynamics-to-campaign\"}");
  g_assert_false (cc_workflow_get_pending_changes (workflow));

  engine_fixture_stop (workflow);
}

static void
setup (EngineFixture *fixture,
       gconstpointer  data)
{
  engine_fixture_setup (fixture, CONTACTS, 0);
}

static void
teardown (EngineFixture *fixture,
          gconstpointer  data)
{
  engine_fixture_teardown (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/optinout-config/write-concurrency/default", test_config_default);
  g_test_add_func ("/optinout-config/write-concurrency/accepted", test_config_accepted);
  g_test_add_func ("/optinout-config/write-concurrency/refused", test_config_refused);
  g_test_add ("/optinout-config/write-concurrency/one-writer", EngineFixture,
              GUINT_TO_POINTER (1), setup, test_run, teardown);
  g_test_add ("/optinout-config/write-concurrency/eight-writers", EngineFixture,
              GUINT_TO_POINTER (8), setup, test_run, teardown);
  g_test_add ("/optinout-config/write-concurrency/pending", EngineFixture, NULL,
              setup, test_pending, teardown);
  g_test_add ("/optinout-config/write-concurrency/default-is-no-change", EngineFixture, NULL,
              setup, test_default_is_no_change, teardown);

  return g_test_run ();
}
