/* test-optinout-schema.c — "Opt-in/Opt-out" when a pair's column or field
 * is changed by an admin while it runs, through the emulators' schema
 * admin API, with flags changed before, during and after each change:
 *
 *  - a Dynamics 365 column of a pair goes, read by change tracking or
 *    polled (Dynamics 365 leads) or by the writers (Campaign leads);
 *  - a Campaign flag of a pair goes, or becomes read-only.
 *
 * Each time the workflow fails at once naming it, logs no contact as an
 * error, keeps what it had queued, and never reads a flag that is gone as
 * "not opted out"; once the pair is out of the configuration it goes on
 * from where it stood and copies every change.
 */
#include "cc-position.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "optinout-fixture.h"

#define DEADLINE 60
#define CONTACTS 6

#define BULK_PAIR "{\"dynamics\": \"donotbulkemail\", \"campaign\": \"denyListEmail\"}"
#define ANY_PAIR  "{\"dynamics\": \"donotemail\", \"campaign\": \"denyList\"}"
/* @direction with the one pair @pair. */
#define ONE_PAIR_CONFIG(direction, pair) \
  "{ \"direction\": \"" direction "\", \"poll-interval\": 1, \"pairs\": [" pair "] }"

static CcWorkflow *
optinout_of (EngineFixture *fixture)
{
  return cc_engine_find_workflow (fixture->engine, "optinout");
}

/* Every contact with a profile that agrees, compared once by @direction. */
static void
start_agreed (EngineFixture *fixture,
              const char    *direction)
{
  g_autofree char *config = g_strdup_printf (
      "{ \"direction\": \"%s\", \"poll-interval\": 1, \"pairs\": [" BULK_PAIR ", " ANY_PAIR "] }",
      direction);

  for (guint i = 0; i < CONTACTS; i++)
    optinout_create_profile (fixture, i, FALSE);
  engine_fixture_configure (fixture, "optinout", config);
  engine_fixture_start (optinout_of (fixture), DEADLINE);
  optinout_wait_compared (fixture, CONTACTS);
  optinout_wait_all_agree (fixture, optinout_of (fixture), CONTACTS);
}

/* Sets @column of contact @index to @value; returns its id. */
static char *
set_contact (EngineFixture *fixture,
             guint          index,
             const char    *column,
             gboolean       value)
{
  g_autofree char *id = optinout_contact_id (fixture, index);
  g_autofree char *body = g_strdup_printf ("{\"%s\": %s}", column, value ? "true" : "false");

  optinout_patch_contact (fixture, id, body);
  return g_steal_pointer (&id);
}

static char *
set_profile (EngineFixture *fixture,
             guint          index,
             const char    *field,
             gboolean       value)
{
  g_autofree char *id = optinout_contact_id (fixture, index);
  g_autofree char *body = g_strdup_printf ("{\"%s\": %s}", field, value ? "true" : "false");

  optinout_patch_profile (fixture, id, body);
  return g_steal_pointer (&id);
}

/* Failed at once, naming @name, with no contact in the error log and at
 * least @queued contacts still queued. */
static void
assert_failed_naming (EngineFixture *fixture,
                      const char    *name,
                      guint64        queued)
{
  CcWorkflow *workflow = optinout_of (fixture);

  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  g_test_message ("last error: %s", cc_workflow_get_last_error (workflow));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (workflow), name));
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (fixture->engine), "optinout", NULL),
                    ==, 0);
  g_assert_cmpuint (cc_workflow_get_backlog (workflow), >=, queued);
}

static gboolean
backlog_empty (gpointer data)
{
  return cc_workflow_get_backlog (data) == 0;
}

static void
assert_no_errors (EngineFixture *fixture)
{
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (fixture->engine), "optinout", NULL),
                    ==, 0);
}

/* --- a Dynamics 365 column goes ------------------------------------------------ */

/* Dynamics 365 leads, read by change tracking (@tracked) or polled: the
 * read fails naming the column; once the pair is gone, the stored
 * position reads on with the other columns, from where it stood. */
static void
dynamics_column_read (EngineFixture *fixture,
                      gboolean       tracked)
{
  CcWorkflow *workflow = optinout_of (fixture);
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autofree char *meanwhile = NULL;
  g_autofree char *after = NULL;
  g_autofree char *position = NULL;
  g_auto(GStrv) select = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(GError) error = NULL;

  if (!tracked)
    cc_test_admin_drop (fixture->dv, "POST", "/_sandbox/tables/contacts/change-tracking",
                        "{\"enabled\": false}", 200);
  start_agreed (fixture, "dynamics-to-campaign");
  before = set_contact (fixture, 0, "donotbulkemail", TRUE);
  optinout_wait_values (fixture, workflow, before, "donotbulkemail", TRUE, "denyListEmail", TRUE);

  gone = cc_test_admin (fixture->dv, "POST", "/_sandbox/schema/contact/columns/donotemail/remove",
                        NULL);
  during = set_contact (fixture, 1, "donotbulkemail", TRUE);
  assert_failed_naming (fixture, "donotemail", 0);
  meanwhile = set_contact (fixture, 2, "donotbulkemail", TRUE);

  engine_fixture_configure (fixture, "optinout",
                            ONE_PAIR_CONFIG ("dynamics-to-campaign", BULK_PAIR));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, during, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  optinout_wait_values (fixture, workflow, meanwhile, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  after = set_contact (fixture, 3, "donotbulkemail", TRUE);
  optinout_wait_values (fixture, workflow, after, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  assert_no_errors (fixture);
  if (!tracked)
    {
      engine_fixture_stop (workflow);
      return;
    }

  /* The stored link: the change feed's token, the columns read now. */
  position = cc_store_get_cursor (cc_engine_get_store (fixture->engine), "optinout", "dynamics",
                                  &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (position, "delta "));
  g_assert_nonnull (strstr (position, "$deltatoken="));
  select = cc_position_dup_select (cc_engine_get_store (fixture->engine), "optinout", "dynamics",
                                   &error);
  g_assert_nonnull (select);
  g_assert_false (g_strv_contains ((const char * const *) select, "donotemail"));
  g_assert_true (g_strv_contains ((const char * const *) select, "donotbulkemail"));
  engine_fixture_stop (workflow);
}

static void
test_dynamics_column_read (EngineFixture *fixture,
                           gconstpointer  data)
{
  dynamics_column_read (fixture, TRUE);
}

static void
test_dynamics_column_read_polled (EngineFixture *fixture,
                                  gconstpointer  data)
{
  dynamics_column_read (fixture, FALSE);
}

/* Campaign leads: the writers read each contact before they write to it,
 * and that read names the column that is gone. */
static void
test_dynamics_column_written (EngineFixture *fixture,
                              gconstpointer  data)
{
  CcWorkflow *workflow = optinout_of (fixture);
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autofree char *meanwhile = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) gone = NULL;

  start_agreed (fixture, "campaign-to-dynamics");
  before = set_profile (fixture, 0, "denyList", TRUE);
  optinout_wait_values (fixture, workflow, before, "donotemail", TRUE, "denyList", TRUE);

  gone = cc_test_admin (fixture->dv, "POST",
                        "/_sandbox/schema/contact/columns/donotbulkemail/remove", NULL);
  during = set_profile (fixture, 1, "denyList", TRUE);
  assert_failed_naming (fixture, "donotbulkemail", 1);
  meanwhile = set_profile (fixture, 2, "denyList", TRUE);

  engine_fixture_configure (fixture, "optinout",
                            ONE_PAIR_CONFIG ("campaign-to-dynamics", ANY_PAIR));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, during, "donotemail", TRUE, "denyList", TRUE);
  optinout_wait_values (fixture, workflow, meanwhile, "donotemail", TRUE, "denyList", TRUE);
  after = set_profile (fixture, 3, "denyList", TRUE);
  optinout_wait_values (fixture, workflow, after, "donotemail", TRUE, "denyList", TRUE);
  assert_no_errors (fixture);
  engine_fixture_stop (workflow);
}

/* --- a Campaign flag goes, or becomes read-only ------------------------------- */

/* Both ways: a profile read without the flag must not count as "not
 * opted out", which would undo the opt-out in Dynamics 365. */
static void
test_campaign_field_removed (EngineFixture *fixture,
                             gconstpointer  data)
{
  CcWorkflow *workflow = optinout_of (fixture);
  g_autofree char *opted_out = NULL;
  g_autofree char *during = NULL;
  g_autofree char *meanwhile = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonObject) contact = NULL;

  start_agreed (fixture, "bidirectional");
  opted_out = set_contact (fixture, 0, "donotemail", TRUE);
  optinout_wait_values (fixture, workflow, opted_out, "donotemail", TRUE, "denyList", TRUE);

  /* The opted-out contact's profile changes after its flag went: read
   * again, it lacks the flag. */
  gone = cc_test_admin (fixture->acs, "POST", "/_sandbox/schema/profile/fields/denyList/remove",
                        NULL);
  during = set_profile (fixture, 0, "denyListEmail", TRUE);
  assert_failed_naming (fixture, "denyList", 0);
  contact = optinout_get_contact (fixture, opted_out);
  g_assert_true (optinout_flag (contact, "donotemail"));
  meanwhile = set_contact (fixture, 2, "donotbulkemail", TRUE);

  engine_fixture_configure (fixture, "optinout", ONE_PAIR_CONFIG ("bidirectional", BULK_PAIR));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, during, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  optinout_wait_values (fixture, workflow, meanwhile, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  after = set_contact (fixture, 3, "donotbulkemail", TRUE);
  optinout_wait_values (fixture, workflow, after, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  g_clear_pointer (&contact, json_object_unref);
  contact = optinout_get_contact (fixture, opted_out);
  g_assert_true (optinout_flag (contact, "donotemail"));
  assert_no_errors (fixture);
  engine_fixture_stop (workflow);
}

static void
test_campaign_field_read_only (EngineFixture *fixture,
                               gconstpointer  data)
{
  CcWorkflow *workflow = optinout_of (fixture);
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autofree char *meanwhile = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) changed = NULL;

  start_agreed (fixture, "dynamics-to-campaign");
  before = set_contact (fixture, 0, "donotemail", TRUE);
  optinout_wait_values (fixture, workflow, before, "donotemail", TRUE, "denyList", TRUE);

  changed = cc_test_admin (fixture->acs, "POST",
                           "/_sandbox/schema/profile/fields/denyListEmail/read-only", NULL);
  during = set_contact (fixture, 1, "donotbulkemail", TRUE);
  assert_failed_naming (fixture, "denyListEmail", 1);
  meanwhile = set_contact (fixture, 2, "donotemail", TRUE);

  engine_fixture_configure (fixture, "optinout",
                            ONE_PAIR_CONFIG ("dynamics-to-campaign", ANY_PAIR));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, meanwhile, "donotemail", TRUE, "denyList", TRUE);
  after = set_contact (fixture, 3, "donotemail", TRUE);
  optinout_wait_values (fixture, workflow, after, "donotemail", TRUE, "denyList", TRUE);
  /* The contact queued when the flag became read-only was compared on
   * the pair that is left: nothing to write, nothing refused. */
  g_assert_true (cc_test_wait_until (backlog_empty, workflow, DEADLINE));
  assert_no_errors (fixture);
  engine_fixture_stop (workflow);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ENGINE_TEST_ADD ("/optinout-schema/dynamics-column-read", CONTACTS, test_dynamics_column_read);
  ENGINE_TEST_ADD ("/optinout-schema/dynamics-column-read-polled", CONTACTS,
                   test_dynamics_column_read_polled);
  ENGINE_TEST_ADD ("/optinout-schema/dynamics-column-written", CONTACTS,
                   test_dynamics_column_written);
  ENGINE_TEST_ADD ("/optinout-schema/campaign-field-removed", CONTACTS,
                   test_campaign_field_removed);
  ENGINE_TEST_ADD ("/optinout-schema/campaign-field-read-only", CONTACTS,
                   test_campaign_field_read_only);

  return g_test_run ();
}
