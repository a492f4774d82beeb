/* test-setup-prepare.c — "Prepare Dynamics 365" against the emulator: a
 * plan that lists what is missing and nothing else, applied in a solution;
 * then egress writes every event into the tables it made, and preparing
 * again changes nothing. A prefix other than "new" names the tables and
 * the egress configuration alike.
 */
#include <string.h>

#include "cc-error.h"
#include "cc-test-admin.h"
#include "setup-test.h"

/* The entity sets of the event tables, after their prefix. */
static const char * const set_suffixes[] = {
  "_emailsends", "_emailopens", "_emailclicks", "_emailbounces",
};

typedef struct
{
  CcPreparePlan *plan;
  GError        *error;
  gboolean       done;
} Outcome;

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Outcome *outcome = data;

  outcome->plan = cc_engine_prepare_dynamics_finish (CC_ENGINE (source), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static CcPreparePlan *
prepare (EngineFixture *fixture,
         const char    *prefix,
         gboolean       apply)
{
  Outcome outcome = { 0 };

  cc_engine_prepare_dynamics_async (fixture->engine, prefix, apply, NULL, on_prepared, &outcome);
  g_assert_true (cc_test_wait_until (is_done, &outcome, DEADLINE));
  g_assert_no_error (outcome.error);
  return outcome.plan;
}

static guint
count_steps (CcPreparePlan   *plan,
             CcPrepareAction  action,
             CcPrepareState   state)
{
  guint n = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);

      if (cc_prepare_step_get_action (step) == action && cc_prepare_step_get_state (step) == state)
        n++;
    }
  return n;
}

static void
assert_all_done (CcPreparePlan *plan)
{
  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);

      if (cc_prepare_step_get_state (step) != CC_PREPARE_DONE)
        g_error ("“%s” is not done: %s", cc_prepare_step_get_description (step),
                 cc_prepare_step_get_error (step));
    }
}

static gint64
event_rows (EngineFixture *fixture,
            const char    *prefix)
{
  g_autoptr(JsonNode) stats = cc_test_admin (fixture->dv, "GET", "/_sandbox/stats", NULL);
  JsonObject *tables = json_object_get_object_member (json_node_get_object (stats), "tables");
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (set_suffixes); i++)
    {
      g_autofree char *set = g_strconcat (prefix, set_suffixes[i], NULL);

      total += json_object_get_int_member_with_default (tables, set, 0);
    }
  return total;
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  const char    *prefix;
  gint64         rows;
} RowsWait;

static gboolean
rows_reached (gpointer data)
{
  RowsWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return event_rows (wait->fixture, wait->prefix) >= wait->rows
         && cc_workflow_get_backlog (wait->workflow) == 0;
}

/* Egress on the prepared environment writes every seeded event. */
static void
assert_egress_writes_all (EngineFixture *fixture,
                          const char    *prefix)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  RowsWait wait = { fixture, workflow, prefix, cc_sandbox_get_options (fixture->sandbox)->events };

  engine_fixture_start (workflow, DEADLINE);
  if (!cc_test_wait_until (rows_reached, &wait, DEADLINE))
    g_error ("%" G_GINT64_FORMAT " event rows of %" G_GINT64_FORMAT " (last error “%s”)",
             event_rows (fixture, prefix), wait.rows, cc_workflow_get_last_error (workflow));
  g_assert_cmpint (event_rows (fixture, prefix), ==, wait.rows);
  engine_fixture_stop (workflow);
}

void
test_prepare_activity_tables (void)
{
  const char *without[] = { "activity-tables", "change-tracking:contact", NULL };
  EngineFixture fixture = { 0 };
  g_autoptr(CcPreparePlan) plan = NULL;
  g_autoptr(CcPreparePlan) applied = NULL;
  g_autoptr(CcPreparePlan) again = NULL;
  g_autoptr(CcCheckReport) report = NULL;
  CcWorkflow *egress;

  engine_fixture_setup_without (&fixture, 10, 0, without);
  egress = cc_engine_find_workflow (fixture.engine, "egress");
  /* Starting fails naming what is missing. */
  g_assert_true (cc_workflow_start (egress, NULL));
  engine_fixture_wait_status (egress, CC_WORKFLOW_FAILED, DEADLINE);
  g_assert_nonnull (strstr (cc_workflow_get_last_error (egress), "new_emailsend"));

  /* The plan: the solution (the default publisher has "new"), four
   * tables, their six columns each, four keys, change tracking on
   * contact; nothing is done yet. */
  plan = prepare (&fixture, NULL, FALSE);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_CREATE_PUBLISHER, CC_PREPARE_PLANNED), ==, 0);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_CREATE_SOLUTION, CC_PREPARE_PLANNED), ==, 1);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_CREATE_TABLE, CC_PREPARE_PLANNED), ==, 4);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_CREATE_COLUMN, CC_PREPARE_PLANNED), ==, 24);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_CREATE_KEY, CC_PREPARE_PLANNED), ==, 4);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_TRACK_CHANGES, CC_PREPARE_PLANNED), ==, 1);
  g_assert_cmpuint (count_steps (plan, CC_PREPARE_RENAME, CC_PREPARE_PLANNED), ==, 0);
  g_assert_cmpint (event_rows (&fixture, "new"), ==, 0);
  report = check (&fixture, NULL);
  g_assert_cmpuint (cc_check_report_count (report, CC_CHECK_MISSING), ==, 5);

  applied = prepare (&fixture, NULL, TRUE);
  assert_all_done (applied);
  g_assert_cmpuint (applied->steps->len, ==, plan->steps->len);
  /* Nothing is missing any more: tables, columns, keys, change tracking. */
  g_clear_object (&report);
  report = check (&fixture, NULL);
  g_assert_cmpuint (cc_check_report_count (report, CC_CHECK_MISSING), ==, 0);
  g_assert_cmpuint (cc_check_report_count (report, CC_CHECK_CANNOT_TELL), ==, 0);

  /* Preparing again changes nothing. */
  again = prepare (&fixture, NULL, TRUE);
  g_assert_cmpuint (again->steps->len, ==, 0);

  assert_egress_writes_all (&fixture, "new");
  engine_fixture_teardown (&fixture);
}

/* Another prefix: its publisher, its tables, and egress names them. */
void
test_prepare_with_prefix (void)
{
  const char *without[] = { "activity-tables", NULL };
  EngineFixture fixture = { 0 };
  g_autoptr(CcPreparePlan) applied = NULL;
  g_autoptr(CcPreparePlan) again = NULL;
  g_autoptr(JsonNode) config = NULL;
  CcWorkflow *egress;
  JsonObject *types;

  engine_fixture_setup_without (&fixture, 6, 0, without);
  applied = prepare (&fixture, "acme", TRUE);
  assert_all_done (applied);
  g_assert_cmpuint (count_steps (applied, CC_PREPARE_CREATE_PUBLISHER, CC_PREPARE_DONE), ==, 1);
  g_assert_cmpuint (count_steps (applied, CC_PREPARE_RENAME, CC_PREPARE_DONE), ==, 1);

  egress = cc_engine_find_workflow (fixture.engine, "egress");
  config = json_node_copy (cc_workflow_get_config_node (egress));
  types = json_object_get_object_member (json_node_get_object (config), "event-types");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (types, "click"), "table"),
                   ==, "acme_emailclick");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (config),
                                                                                 "target-columns"),
                                                  "event-id"),
                   ==, "acme_campaigneventid");

  again = prepare (&fixture, "acme", FALSE);
  g_assert_cmpuint (again->steps->len, ==, 0);
  assert_egress_writes_all (&fixture, "acme");
  engine_fixture_teardown (&fixture);
}

/* A missing customization privilege stops at that step with
 * Dynamics 365's words; what came before stays done. */
void
test_prepare_refused (void)
{
  const char *without[] = { "activity-tables", "privilege:prvCreateEntityKey", NULL };
  EngineFixture fixture = { 0 };
  g_autoptr(CcPreparePlan) applied = NULL;
  g_autoptr(CcPreparePlan) bad = NULL;
  CcPrepareStep *failed = NULL;
  Outcome outcome = { 0 };

  engine_fixture_setup_without (&fixture, 2, 0, without);
  applied = prepare (&fixture, NULL, TRUE);
  for (guint i = 0; i < applied->steps->len && failed == NULL; i++)
    if (cc_prepare_step_get_state (g_ptr_array_index (applied->steps, i)) == CC_PREPARE_FAILED)
      failed = g_ptr_array_index (applied->steps, i);
  g_assert_nonnull (failed);
  g_assert_cmpint (cc_prepare_step_get_action (failed), ==, CC_PREPARE_CREATE_KEY);
  g_assert_nonnull (strstr (cc_prepare_step_get_error (failed), "prvCreateEntityKey"));
  g_assert_cmpuint (count_steps (applied, CC_PREPARE_CREATE_TABLE, CC_PREPARE_DONE), ==, 1);

  cc_engine_prepare_dynamics_async (fixture.engine, "Bad-Prefix", FALSE, NULL, on_prepared, &outcome);
  g_assert_true (cc_test_wait_until (is_done, &outcome, DEADLINE));
  g_assert_error (outcome.error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_clear_error (&outcome.error);
  engine_fixture_teardown (&fixture);
}

