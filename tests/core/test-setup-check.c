/* test-setup-check.c — the setup check of every workflow against the
 * emulators, with each prerequisite removed in turn: the check names
 * exactly that item and nothing else, and Starting fails naming it
 * (unless the workflow works without it).
 */
#include <string.h>

#include "cc-error.h"
#include "cc-test-admin.h"
#include "setup-test.h"

typedef struct
{
  const char *name;
  const char *without;     /* the setup item the sandbox lacks; NULL = none */
  const char *missing;     /* the one item the check must find missing */
  const char *workflow;    /* one that needs it */
  gboolean    blocks;      /* whether that workflow then fails Starting */
  const char *config;      /* that workflow's configuration, if not the default */
} Case;

/* Contacts, and a custom table into a custom resource. */
#define MEMBERSHIPS_CONFIG \
  "{\"mappings\": [" \
  "  {\"id\": \"contacts\", \"source\": \"contact\", \"target\": \"profileAndServicesExt/profile\"," \
  "   \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "   \"fields\": [ {\"source\": \"emailaddress1\", \"target\": \"email\"} ] }," \
  "  {\"id\": \"memberships\", \"source\": \"new_membership\"," \
  "   \"target\": \"customResources/cusMembership\", \"target-key\": \"cusMembershipId\"," \
  "   \"key-filter\": \"byCusMembershipId\"," \
  "   \"parent\": { \"mapping\": \"contacts\", \"field\": \"_new_contactid_value\" }," \
  "   \"fields\": [ {\"source\": \"new_name\", \"target\": \"cusName\"}," \
  "                 {\"source\": \"_new_contactid_value\", \"target\": \"cusContactId\"} ] } ] }"

static const Case cases[] = {
  { "complete", NULL, NULL, NULL, FALSE },
  { "filter", "filter:profile.byLastModifiedSince",
    "campaign.filter.profileAndServicesExt/profile.byLastModifiedSince", "optinout", TRUE },
  { "field", "field:profile.mobilePhone",
    "campaign.field.profileAndServicesExt/profile.mobilePhone", "ingress", TRUE },
  { "key-filter", "filter:profile.byExternalId",
    "campaign.filter.profileAndServicesExt/profile.byExternalId", "ingress", TRUE },
  { "key", "key:profile", "campaign.key.profileAndServicesExt/profile.externalId", "ingress", TRUE },
  { "change-tracking", "change-tracking:contact", "dynamics.change-tracking.contact", "ingress", FALSE },
  /* Every table a mapping reads, and every resource's key. */
  { "custom-change-tracking", "change-tracking:new_membership", "dynamics.change-tracking.new_membership",
    "ingress", FALSE, MEMBERSHIPS_CONFIG },
  { "custom-key", "key:cusMembership", "campaign.key.customResources/cusMembership.cusMembershipId",
    "ingress", TRUE, MEMBERSHIPS_CONFIG },
  { "activity-table", "table:new_emailopen", "dynamics.table.new_emailopen", "egress", TRUE },
  { "column", "column:new_emailclick.new_trackingurl",
    "dynamics.column.new_emailclick.new_trackingurl", "egress", TRUE },
  { "alternate-key", "alternate-key:new_emailbounce",
    "dynamics.key.new_emailbounce.new_campaigneventid", "egress", TRUE },
  { "privilege", "privilege:prvCreateActivity", "dynamics.privilege.prvCreateActivity", "egress", TRUE },
  /* Only where Campaign's opt-outs are written to Dynamics 365. */
  { "contact-privilege", "privilege:prvWriteContact", "dynamics.privilege.prvWriteContact", "optinout", TRUE,
    "{\"direction\": \"bidirectional\"}" },
};

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CcCheckReport **report = data;
  g_autoptr(GError) error = NULL;

  *report = cc_engine_check_setup_finish (CC_ENGINE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

CcCheckReport *
check (EngineFixture *fixture,
       const char    *workflow_id)
{
  CcCheckReport *report = NULL;

  cc_engine_check_setup_async (fixture->engine, workflow_id, NULL, on_checked, &report);
  g_assert_true (cc_test_wait_until (is_set, &report, DEADLINE));
  return report;
}

/* Every item but @missing OK; @missing missing, saying what (its label
 * names the thing its id ends with), why, and what to do. */
static void
assert_only_missing (CcCheckReport *report,
                     const char    *missing)
{
  GPtrArray *items = cc_check_report_get_items (report);

  for (guint i = 0; i < items->len; i++)
    {
      const CcCheckItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->id, missing) == 0)
        {
          g_assert_cmpint (item->state, ==, CC_CHECK_MISSING);
          g_assert_nonnull (strstr (item->label, strrchr (item->id, '.') + 1));
          g_assert_nonnull (item->why);
          g_assert_nonnull (item->what_to_do);
          g_assert_cmpuint (strlen (item->what_to_do), >, 20);
        }
      else if (item->state != CC_CHECK_OK)
        g_error ("%s is %s: %s", item->id, cc_check_state_to_string (item->state), item->why);
    }
  if (missing != NULL && cc_check_report_find (report, missing) == NULL)
    {
      for (guint i = 0; i < items->len; i++)
        g_printerr ("%s\n", ((CcCheckItem *) g_ptr_array_index (items, i))->id);
      g_error ("%s is not checked", missing);
    }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  const char *without[] = { c->without, NULL };
  EngineFixture fixture = { 0 };
  g_autoptr(CcCheckReport) all = NULL;
  g_autoptr(CcCheckReport) one = NULL;

  engine_fixture_setup_without (&fixture, 5, 2, c->without ? without : NULL);
  if (c->config != NULL)
    engine_fixture_configure (&fixture, c->workflow, c->config);
  all = check (&fixture, NULL);
  assert_only_missing (all, c->missing);
  /* Both sides signed in, every workflow's tables and resources there. */
  g_assert_cmpint (cc_check_report_find (all, "dynamics.sign-in")->state, ==, CC_CHECK_OK);
  g_assert_nonnull (cc_check_report_find (all, "campaign.journal"));
  g_assert_nonnull (cc_check_report_find (all, "dynamics.table.new_emailsend"));
  g_assert_nonnull (cc_check_report_find (all, "campaign.key.profileAndServicesExt/profile.externalId"));

  if (c->workflow != NULL)
    {
      CcWorkflow *workflow = cc_engine_find_workflow (fixture.engine, c->workflow);
      const CcCheckItem *item;

      one = check (&fixture, c->workflow);
      assert_only_missing (one, c->missing);
      item = cc_check_report_find (one, c->missing);
      g_assert_true (g_strv_contains ((const char * const *) item->workflows, c->workflow));
      g_assert_cmpint (item->blocks_start, ==, c->blocks);

      /* Starting runs the same check. */
      g_assert_true (cc_workflow_start (workflow, NULL));
      engine_fixture_wait_status (workflow, c->blocks ? CC_WORKFLOW_FAILED : CC_WORKFLOW_RUNNING, DEADLINE);
      if (c->blocks)
        g_assert_nonnull (strstr (cc_workflow_get_last_error (workflow), item->why));
      engine_fixture_stop (workflow);
    }
  engine_fixture_teardown (&fixture);
}

/* Signing in: a refused secret is the one item missing on that side, and
 * nothing of that side is checked further. */
static void
test_sign_in (void)
{
  EngineFixture fixture = { 0 };
  g_autoptr(CcCheckReport) report = NULL;
  g_autoptr(GVariantBuilder) settings = g_variant_builder_new (G_VARIANT_TYPE ("a{sv}"));
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  engine_fixture_setup (&fixture, 5, 2);
  g_variant_builder_add (settings, "{sv}", "secret", g_variant_new_string ("wrong"));
  g_assert_true (cc_engine_set_connection (fixture.engine, "campaign",
                                           g_variant_builder_end (settings), &error));
  g_assert_no_error (error);
  report = check (&fixture, NULL);
  g_assert_cmpint (cc_check_report_find (report, "campaign.sign-in")->state, ==, CC_CHECK_MISSING);
  items = cc_check_report_get_items (report);
  for (guint i = 0; i < items->len; i++)
    {
      const CcCheckItem *item = g_ptr_array_index (items, i);

      g_assert_false (g_str_has_prefix (item->id, "campaign.") && !g_str_equal (item->id, "campaign.sign-in"));
      if (g_str_has_prefix (item->id, "dynamics."))
        g_assert_cmpint (item->state, ==, CC_CHECK_OK);
    }
  engine_fixture_teardown (&fixture);
}

/* A role that may not read the tables' definitions: each table is
 * missing, with the application user to fix; Campaign's side is not
 * concerned. */
static void
test_metadata_refused (void)
{
  const char *without[] = { "privilege:prvReadEntity", NULL };
  EngineFixture fixture = { 0 };
  g_autoptr(CcCheckReport) report = NULL;
  const CcCheckItem *item;

  engine_fixture_setup_without (&fixture, 5, 2, without);
  report = check (&fixture, "ingress");
  item = cc_check_report_find (report, "dynamics.table.contact");
  g_assert_nonnull (item);
  g_assert_cmpint (item->state, ==, CC_CHECK_MISSING);
  g_assert_cmpint (item->error_code, ==, CC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (item->why, "prvReadEntity"));
  g_assert_nonnull (strstr (item->what_to_do, "application user"));
  g_assert_true (item->blocks_start);
  g_assert_cmpint (cc_check_report_find (report, "campaign.sign-in")->state, ==, CC_CHECK_OK);
  engine_fixture_teardown (&fixture);
}

/* The one item missing and the workflow that needs it failing Starting
 * with its words. */
static void
assert_blocks (EngineFixture *fixture,
               const char    *workflow_id,
               const char    *missing)
{
  g_autoptr(CcCheckReport) report = check (fixture, workflow_id);
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, workflow_id);
  const CcCheckItem *item;

  assert_only_missing (report, missing);
  item = cc_check_report_find (report, missing);
  g_assert_true (item->blocks_start);
  g_assert_true (cc_workflow_start (workflow, NULL));
  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  g_assert_nonnull (strstr (cc_workflow_get_last_error (workflow), item->why));
  engine_fixture_stop (workflow);
}

/* The journal of an event registration that is not the connection's:
 * missing, with the I/O Events registration to check. */
static void
test_journal (void)
{
  EngineFixture fixture = { 0 };
  g_autoptr(GVariantBuilder) settings = g_variant_builder_new (G_VARIANT_TYPE ("a{sv}"));
  g_autofree char *wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcCheckReport) report = NULL;
  const CcCheckItem *item;

  engine_fixture_setup (&fixture, 5, 2);
  wrong = g_strconcat (fixture.acs, "/events/unregistered", NULL);
  g_variant_builder_add (settings, "{sv}", "journal-url", g_variant_new_string (wrong));
  g_assert_true (cc_engine_set_connection (fixture.engine, "campaign",
                                           g_variant_builder_end (settings), &error));
  g_assert_no_error (error);
  assert_blocks (&fixture, "egress", "campaign.journal");
  report = check (&fixture, NULL);
  item = cc_check_report_find (report, "campaign.journal");
  g_assert_nonnull (strstr (item->what_to_do, "event registration"));
  g_assert_true (g_strv_contains ((const char * const *) item->workflows, "egress"));
  engine_fixture_teardown (&fixture);
}

static const CcCheckItem *
key_item (CcCheckReport *report)
{
  const CcCheckItem *item = cc_check_report_find (report, "campaign.key.profileAndServicesExt/profile.externalId");

  g_assert_nonnull (item);
  return item;
}

/* Metadata that names no key, as Adobe documents it: Campaign is asked
 * for a record by its externalId, which it answers only when that is the
 * profile's key. Without a record to ask for, it cannot tell. */
static void
test_key_probed (void)
{
  EngineFixture fixture = { 0 };
  g_autoptr(CcCheckReport) empty = NULL;
  g_autoptr(CcCheckReport) keyed = NULL;
  g_autoptr(JsonNode) settings = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) removed = NULL;

  engine_fixture_setup (&fixture, 5, 2);
  settings = cc_test_admin (fixture.acs, "POST", "/_sandbox/settings", "{\"metadata_keys\": false}");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (settings), "metadata_keys"));

  empty = check (&fixture, "ingress");
  g_assert_cmpint (key_item (empty)->state, ==, CC_CHECK_CANNOT_TELL);
  g_assert_nonnull (strstr (key_item (empty)->why, "Identification keys"));

  profile = cc_test_admin (fixture.acs, "POST", "/_sandbox/profiles",
                           "{\"externalId\": \"probe-1\", \"email\": \"probe@example.com\"}");
  keyed = check (&fixture, "ingress");
  assert_only_missing (keyed, NULL);
  g_assert_cmpint (key_item (keyed)->state, ==, CC_CHECK_OK);

  removed = cc_test_admin (fixture.acs, "POST", "/_sandbox/setup", "{\"remove\": [\"key:profile\"]}");
  assert_blocks (&fixture, "ingress", "campaign.key.profileAndServicesExt/profile.externalId");
  engine_fixture_teardown (&fixture);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Outcome;

static void
on_refused (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Outcome *outcome = data;

  g_assert_null (cc_engine_check_setup_finish (CC_ENGINE (source), result, &outcome->error));
  outcome->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static void
test_unknown_workflow (void)
{
  EngineFixture fixture = { 0 };
  Outcome outcome = { 0 };

  engine_fixture_setup (&fixture, 1, 0);
  cc_engine_check_setup_async (fixture.engine, "nothing", NULL, on_refused, &outcome);
  g_assert_true (cc_test_wait_until (is_done, &outcome, DEADLINE));
  g_assert_error (outcome.error, CC_ERROR, CC_ERROR_NOT_FOUND);
  g_clear_error (&outcome.error);
  engine_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/setup-check/without/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/setup-check/sign-in", test_sign_in);
  g_test_add_func ("/setup-check/metadata-refused", test_metadata_refused);
  g_test_add_func ("/setup-check/unknown-workflow", test_unknown_workflow);
  g_test_add_func ("/setup-check/journal", test_journal);
  g_test_add_func ("/setup-check/key-probed", test_key_probed);
  g_test_add_func ("/setup-prepare/activity-tables", test_prepare_activity_tables);
  g_test_add_func ("/setup-prepare/prefix", test_prepare_with_prefix);
  g_test_add_func ("/setup-prepare/refused", test_prepare_refused);
  return g_test_run ();
}
