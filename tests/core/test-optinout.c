/* test-optinout.c — "Opt-in/Opt-out" against the sandbox: the
 * configuration, each direction, conflicts under each policy, no echo
 * loop, and a direction switched while running. */
#include "cc-error.h"
#include "cc-optinout-config.h"
#include "cc-test-admin.h"
#include "cc-test-json.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "optinout-fixture.h"

#define DEADLINE 60

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

static void
test_config_default (void)
{
  g_autoptr(JsonNode) node = cc_optinout_config_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CcOptinoutConfig) config = cc_optinout_config_parse (node, &error);
  g_autoptr(JsonNode) written = NULL;
  const CcOptinoutPair *pair;

  g_assert_no_error (error);
  g_assert_cmpint (config->direction, ==, CC_OPTINOUT_DYNAMICS_TO_CAMPAIGN);
  g_assert_cmpint (config->policy, ==, CC_OPTINOUT_LATEST);
  g_assert_cmpuint (config->pairs->len, ==, 2);
  pair = g_ptr_array_index (config->pairs, 0);
  g_assert_cmpstr (pair->dynamics, ==, "donotbulkemail");
  g_assert_cmpstr (pair->campaign, ==, "denyListEmail");
  pair = g_ptr_array_index (config->pairs, 1);
  g_assert_cmpstr (pair->dynamics, ==, "donotemail");
  g_assert_cmpstr (pair->campaign, ==, "denyList");
  g_assert_cmpstr (config->campaign_resource, ==, "profileAndServicesExt/profile");
  g_assert_cmpstr (config->campaign_key, ==, "externalId");
  g_assert_cmpstr (config->key_filter, ==, "byExternalId");
  g_assert_cmpstr (config->modified_filter, ==, "byLastModifiedSince");
  g_assert_cmpuint (config->poll_interval_s, ==, 10);

  written = cc_optinout_config_to_json (config);
  g_assert_true (json_node_equal (written, node));
}

static void
test_config_custom (void)
{
  g_autoptr(JsonNode) node = json_from_string (
    "{\"direction\": \"bidirectional\", \"conflict-policy\": \"campaign\","
    " \"pairs\": [{\"dynamics\": \"new_nosms\", \"campaign\": \"blackListMobile\"},"
    "             {\"dynamics\": \"donotfax\", \"campaign\": \"ccpaOptOut\"}],"
    " \"key-filter\": \"\", \"modified-filter\": \"\", \"poll-interval\": 1}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcOptinoutConfig) config = cc_optinout_config_parse (node, &error);
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *text = NULL;
  const CcOptinoutPair *pair;

  g_assert_no_error (error);
  g_assert_cmpint (config->direction, ==, CC_OPTINOUT_BIDIRECTIONAL);
  g_assert_cmpint (config->policy, ==, CC_OPTINOUT_CAMPAIGN);
  pair = g_ptr_array_index (config->pairs, 0);
  /* The old name is read as the current one. */
  g_assert_cmpstr (pair->campaign, ==, "denyListMobile");
  g_assert_cmpstr (pair->legacy, ==, "blackListMobile");
  g_assert_cmpstr (config->key_filter, ==, "");
  g_assert_cmpstr (config->modified_filter, ==, "");

  written = cc_optinout_config_to_json (config);
  text = json_to_string (written, FALSE);
  g_assert_null (strstr (text, "blackList"));
}

static void
test_config_refused (void)
{
  static const CcTestRefusal cases[] = {
    { "\"x\"", "The configuration must be" },
    { "{\"direction\": \"both\"}", "direction: " },
    { "{\"conflict-policy\": \"newest\"}", "conflict-policy: " },
    { "{\"pairs\": {}}", "pairs: " },
    { "{\"pairs\": []}", "pairs: " },
    { "{\"pairs\": [{\"dynamics\": \"donotemail\"}]}", "pairs[0].campaign: required" },
    { "{\"pairs\": [{\"dynamics\": \"donotemail\", \"campaign\": \"email\"}]}", "pairs[0].campaign: " },
    { "{\"pairs\": [{\"dynamics\": \"DoNotEmail\", \"campaign\": \"denyList\"}]}", "pairs[0].dynamics: " },
    { "{\"pairs\": [{\"dynamics\": \"donotemail\", \"campaign\": \"denyList\", \"x\": 1}]}",
      "pairs[0].x: unknown member" },
    { "{\"pairs\": [{\"dynamics\": \"donotemail\", \"campaign\": \"denyList\"},"
      " {\"dynamics\": \"donotemail\", \"campaign\": \"denyListEmail\"}]}", "pairs[1].dynamics: " },
    { "{\"pairs\": [{\"dynamics\": \"donotemail\", \"campaign\": \"denyList\"},"
      " {\"dynamics\": \"donotbulkemail\", \"campaign\": \"blackList\"}]}", "pairs[1].campaign: " },
    { "{\"campaign-resource\": \"profile\"}", "campaign-resource: " },
    { "{\"campaign-key\": \"external id\"}", "campaign-key: " },
    { "{\"key-filter\": \"ExternalId\"}", "key-filter: " },
    { "{\"modified-filter\": \"by\"}", "modified-filter: " },
    { "{\"poll-interval\": 0}", "poll-interval: " },
    { "{\"poll-interval\": 3601}", "poll-interval: " },
    { "{\"polling\": 5}", "polling: unknown member" },
  };

  cc_test_assert_refusals ((CcTestParseFunc) cc_optinout_config_parse, cases, G_N_ELEMENTS (cases),
                           CC_ERROR, CC_ERROR_INVALID_CONFIG);

  {
    /* With the direction off, no pair is needed. */
    g_autoptr(JsonNode) node = json_from_string ("{\"direction\": \"off\", \"pairs\": []}", NULL);
    g_autoptr(CcOptinoutConfig) config = cc_optinout_config_parse (node, NULL);

    g_assert_nonnull (config);
  }
}

/* ------------------------------------------------------------------ */
/* Directions                                                          */

static gboolean
written_seven (gpointer data)
{
  return cc_workflow_get_written (data) >= 7;
}

static gboolean
has_error (gpointer data)
{
  g_autoptr(GPtrArray) errors = cc_workflow_list_errors (data, 0, 0, NULL);

  return errors != NULL && errors->len > 0;
}

static gboolean
has_skips (gpointer data)
{
  return optinout_count_history (data, "skip", "no Campaign profile", NULL) > 0;
}

static void
test_dynamics_to_campaign (EngineFixture *fixture,
                           gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autoptr(JsonObject) contact = NULL;

  /* Six of eight contacts have a profile, with flags the opposite of the
   * contact's: the first run copies Dynamics 365's. */
  for (guint i = 0; i < 6; i++)
    optinout_create_profile (fixture, i, TRUE);
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("dynamics-to-campaign", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_all_agree (fixture, workflow, 6);
  g_assert_true (cc_test_wait_until (has_skips, workflow, DEADLINE));
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", NULL, NULL), ==, 0);

  /* A change in Dynamics 365 reaches Campaign. */
  contact = optinout_get_contact (fixture, first);
  optinout_patch_contact (fixture, first, optinout_flag (contact, "donotbulkemail")
                                 ? "{\"donotbulkemail\": false}" : "{\"donotbulkemail\": true}");
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", !optinout_flag (contact, "donotbulkemail"),
               "denyListEmail", !optinout_flag (contact, "donotbulkemail"));
  /* Six profiles on the first run, then the change: each one write.
   * (Stopping while a write's answer is on its way would leave it
   * uncounted and written again next time: wait for the count.) */
  g_assert_true (cc_test_wait_until (written_seven, workflow, DEADLINE));
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, 7);
}

static void
test_campaign_to_dynamics (EngineFixture *fixture,
                           gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  CcErrorEntry *entry;

  for (guint i = 0; i < 5; i++)
    optinout_create_profile (fixture, i, TRUE);
  /* A profile naming a contact Dynamics 365 does not have. */
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/profiles",
                      "{\"externalId\": \"00000000-0000-4000-8000-00000000abcd\","
                      " \"email\": \"nobody@example.com\", \"denyList\": true}", 201);

  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("campaign-to-dynamics", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_all_agree (fixture, workflow, 5);

  /* A change in Campaign reaches Dynamics 365. */
  profile = optinout_get_profile (fixture, first);
  optinout_patch_profile (fixture, first, optinout_flag (profile, "denyList")
                                 ? "{\"denyList\": false}" : "{\"denyList\": true}");
  optinout_wait_values (fixture, workflow, first, "donotemail", !optinout_flag (profile, "denyList"),
               "denyList", !optinout_flag (profile, "denyList"));
  g_assert_true (cc_test_wait_until (has_error, workflow, DEADLINE));
  engine_fixture_stop (workflow);

  errors = cc_workflow_list_errors (workflow, 0, 0, NULL);
  g_assert_cmpuint (errors->len, ==, 1);
  entry = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (entry->key, ==, "00000000-0000-4000-8000-00000000abcd");
  g_assert_cmpuint (entry->http_status, ==, 404);
  g_assert_nonnull (strstr (entry->reason, "does not exist"));
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 1);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Off: the workflow runs and moves nothing, and asks neither side. */
static void
test_off (EngineFixture *fixture,
          gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);

  optinout_create_profile (fixture, 0, TRUE);
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("off", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  /* A negative result needs some time to show: three poll intervals. */
  cc_test_wait_until (never, NULL, 3);
  g_assert_cmpint (optinout_requests (fixture->dv, "total"), ==, 0);
  g_assert_cmpint (optinout_requests (fixture->acs, "total"), ==, 0);
  engine_fixture_stop (workflow);
  {
    g_autoptr(JsonObject) contact = optinout_get_contact (fixture, first);
    g_autoptr(JsonObject) profile = optinout_get_profile (fixture, first);

    g_assert_true (optinout_flag (contact, "donotemail") != optinout_flag (profile, "denyList"));
  }
}

/* ------------------------------------------------------------------ */
/* Conflicts                                                           */

static gboolean
four_conflicts (gpointer data)
{
  return optinout_count_history (data, "conflict", NULL, NULL) >= 4;
}

/* Contacts 0 and 1 disagree with their profiles and have never been in
 * step: both sides "changed", a conflict for each pair. Contact 0 is
 * modified after its profile, contact 1 (seeded long ago) before. With
 * @tracking FALSE, Contact has no change tracking and is polled: the
 * modification times compared are the same. */
static void
run_conflict (EngineFixture *fixture,
              const char    *policy,
              gboolean       tracking,
              gboolean       first_dynamics_wins,
              gboolean       second_dynamics_wins)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *config = g_strdup_printf (OPTINOUT_CONFIG ("bidirectional", "%s"), policy);
  g_autofree char *id0 = optinout_contact_id (fixture, 0);
  g_autofree char *id1 = optinout_contact_id (fixture, 1);
  g_autoptr(JsonObject) contact0 = NULL;
  g_autoptr(JsonObject) contact1 = NULL;
  g_autoptr(JsonObject) profile0 = NULL;
  g_autoptr(JsonObject) profile1 = NULL;
  g_autoptr(JsonObject) after0 = NULL;
  g_autoptr(JsonObject) after1 = NULL;

  if (!tracking)
    optinout_switch_tracking (fixture, FALSE);
  optinout_create_profile (fixture, 0, TRUE);
  optinout_create_profile (fixture, 1, TRUE);
  optinout_create_profile (fixture, 2, FALSE);
  optinout_wait_next_second ();
  optinout_patch_contact (fixture, id0, "{\"telephone1\": \"+49 30 1234567\"}");

  contact0 = optinout_get_contact (fixture, id0);
  contact1 = optinout_get_contact (fixture, id1);
  profile0 = optinout_get_profile (fixture, id0);
  profile1 = optinout_get_profile (fixture, id1);

  engine_fixture_configure (fixture, "optinout", config);
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_all_agree (fixture, workflow, 3);
  /* The history is written once the writes are answered. */
  g_assert_true (cc_test_wait_until (four_conflicts, workflow, DEADLINE));
  engine_fixture_stop (workflow);

  after0 = optinout_get_contact (fixture, id0);
  after1 = optinout_get_contact (fixture, id1);
  g_assert_cmpint (optinout_flag (after0, "donotemail"), ==,
                   first_dynamics_wins ? optinout_flag (contact0, "donotemail") : optinout_flag (profile0, "denyList"));
  g_assert_cmpint (optinout_flag (after0, "donotbulkemail"), ==,
                   first_dynamics_wins ? optinout_flag (contact0, "donotbulkemail")
                                       : optinout_flag (profile0, "denyListEmail"));
  g_assert_cmpint (optinout_flag (after1, "donotemail"), ==,
                   second_dynamics_wins ? optinout_flag (contact1, "donotemail") : optinout_flag (profile1, "denyList"));

  /* One conflict per contact and pair, naming the contact, the fields,
   * both values and the winner. */
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id0, "donotemail ↔ denyList"), ==, 1);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id0, "donotbulkemail ↔ denyListEmail"), ==, 1);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id1, NULL), ==, 2);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", NULL, NULL), ==, 4);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id0,
                                   first_dynamics_wins ? "Dynamics 365 wins" : "Campaign wins"), ==, 2);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id1,
                                   second_dynamics_wins ? "Dynamics 365 wins" : "Campaign wins"), ==, 2);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", id0, policy), ==, 2);
}

static void
test_conflict_latest (EngineFixture *fixture,
                      gconstpointer  data)
{
  run_conflict (fixture, "latest", TRUE, TRUE, FALSE);
}

static void
test_conflict_latest_polled (EngineFixture *fixture,
                             gconstpointer  data)
{
  run_conflict (fixture, "latest", FALSE, TRUE, FALSE);
}

static void
test_conflict_dynamics (EngineFixture *fixture,
                        gconstpointer  data)
{
  run_conflict (fixture, "dynamics", TRUE, TRUE, TRUE);
}

static void
test_conflict_campaign (EngineFixture *fixture,
                        gconstpointer  data)
{
  run_conflict (fixture, "campaign", TRUE, FALSE, FALSE);
}

/* ------------------------------------------------------------------ */
/* Echo                                                                */

/* Both ways: a change on one side is written to the other once, and the
 * write coming back is recognised — three more poll cycles write
 * nothing. */
static void
test_no_echo (EngineFixture *fixture,
              gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autofree char *second = optinout_contact_id (fixture, 1);
  g_autoptr(JsonObject) contact = NULL;
  g_autoptr(JsonObject) profile = NULL;
  gint64 dv_patches, acs_patches;
  gboolean bulk, any;

  /* Profiles that disagree, settled by the policy on the first run:
   * when they agree, the first comparison is over. */
  for (guint i = 0; i < 4; i++)
    optinout_create_profile (fixture, i, TRUE);
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("bidirectional", "dynamics"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_all_agree (fixture, workflow, 4);

  contact = optinout_get_contact (fixture, first);
  bulk = !optinout_flag (contact, "donotbulkemail");
  optinout_patch_contact (fixture, first, bulk ? "{\"donotbulkemail\": true}" : "{\"donotbulkemail\": false}");
  profile = optinout_get_profile (fixture, second);
  any = !optinout_flag (profile, "denyList");
  optinout_patch_profile (fixture, second, any ? "{\"denyList\": true}" : "{\"denyList\": false}");
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", bulk, "denyListEmail", bulk);
  optinout_wait_values (fixture, workflow, second, "donotemail", any, "denyList", any);

  dv_patches = optinout_requests (fixture->dv, "patch");
  acs_patches = optinout_requests (fixture->acs, "patch");
  optinout_wait_reads (fixture->dv, fixture->acs, 3);
  g_assert_cmpint (optinout_requests (fixture->dv, "patch"), ==, dv_patches);
  g_assert_cmpint (optinout_requests (fixture->acs, "patch"), ==, acs_patches);
  g_assert_cmpuint (cc_workflow_get_backlog (workflow), ==, 0);
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", bulk, "denyListEmail", bulk);
  optinout_wait_values (fixture, workflow, second, "donotemail", any, "denyList", any);
  engine_fixture_stop (workflow);
  /* The first run's conflicts (4 contacts, 2 pairs), none since. */
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", NULL, NULL), ==, 8);
}

/* ------------------------------------------------------------------ */
/* Switching direction while running                                   */

static void
test_switch_pending (EngineFixture *fixture,
                     gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autofree char *second = optinout_contact_id (fixture, 1);
  g_autoptr(JsonObject) contact = NULL;
  g_autoptr(JsonObject) profile = NULL;
  g_autoptr(JsonNode) applied = NULL;
  gboolean bulk, any;

  for (guint i = 0; i < 3; i++)
    optinout_create_profile (fixture, i, FALSE);
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("dynamics-to-campaign", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_all_agree (fixture, workflow, 3);

  /* The edit waits: the run goes on one way. */
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("campaign-to-dynamics", "latest"));
  g_assert_true (cc_workflow_get_pending_changes (workflow));
  applied = json_node_copy (cc_workflow_get_applied_config (workflow));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (applied), "direction"), ==,
                   "dynamics-to-campaign");
  contact = optinout_get_contact (fixture, first);
  bulk = !optinout_flag (contact, "donotbulkemail");
  optinout_patch_contact (fixture, first, bulk ? "{\"donotbulkemail\": true}" : "{\"donotbulkemail\": false}");
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", bulk, "denyListEmail", bulk);

  /* Stop + start applies it: now Campaign leads. */
  engine_fixture_stop (workflow);
  g_assert_true (cc_workflow_get_pending_changes (workflow));
  engine_fixture_start (workflow, DEADLINE);
  g_assert_false (cc_workflow_get_pending_changes (workflow));
  profile = optinout_get_profile (fixture, second);
  any = !optinout_flag (profile, "denyList");
  optinout_patch_profile (fixture, second, any ? "{\"denyList\": true}" : "{\"denyList\": false}");
  optinout_wait_values (fixture, workflow, second, "donotemail", any, "denyList", any);
  engine_fixture_stop (workflow);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/optinout/config/default", test_config_default);
  g_test_add_func ("/optinout/config/custom", test_config_custom);
  g_test_add_func ("/optinout/config/refused", test_config_refused);
  ENGINE_TEST_ADD ("/optinout/dynamics-to-campaign", 8, test_dynamics_to_campaign);
  ENGINE_TEST_ADD ("/optinout/campaign-to-dynamics", 6, test_campaign_to_dynamics);
  ENGINE_TEST_ADD ("/optinout/off", 3, test_off);
  ENGINE_TEST_ADD ("/optinout/conflict/latest", 4, test_conflict_latest);
  ENGINE_TEST_ADD ("/optinout/conflict/latest-polled", 4, test_conflict_latest_polled);
  ENGINE_TEST_ADD ("/optinout/conflict/dynamics", 4, test_conflict_dynamics);
  ENGINE_TEST_ADD ("/optinout/conflict/campaign", 4, test_conflict_campaign);
  ENGINE_TEST_ADD ("/optinout/no-echo", 6, test_no_echo);
  ENGINE_TEST_ADD ("/optinout/switch-pending", 4, test_switch_pending);

  return g_test_run ();
}
