/* test-dynamics-users.c — writing as two Dynamics 365 application users
 * against the sandbox's per-user service-protection limits: the
 * opt-in/opt-out writes go round both users, and a user told to wait (429
 * with Retry-After) holds back its own requests only — the other user
 * writes on meanwhile — with nothing lost or written twice, in egress and
 * in opt-in/opt-out. (Egress spread over two users: test-egress.c.)
 *
 * The second user's allowance is used up by the test itself before the
 * workflow starts, so which user is held back, and for about how long
 * (the sandbox's window), is known. */
#include "cc-sandbox.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "optinout-fixture.h"

#define DEADLINE 60

#define SECOND_ID     "second-app"
#define SECOND_SECRET "second-secret"

/* Requests per user and window: room enough for what the first user
 * does in a test, and a window long enough that it writes everything it
 * can while the second waits. */
#define LIMIT    100
#define WINDOW_S 15

/* Adds the second application user, to the sandbox and to the engine. */
static void
add_second_user (EngineFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  cc_test_admin_drop (fixture->dv, "POST", "/_sandbox/users",
                      "{\"client_id\": \"" SECOND_ID "\", \"secret\": \"" SECOND_SECRET "\"}", 201);
  g_assert_true (cc_engine_add_dynamics_user (fixture->engine, SECOND_ID, SECOND_SECRET, &error));
  g_assert_no_error (error);
}

static void
two_users_setup (EngineFixture *fixture,
                 gconstpointer  data)
{
  engine_test_setup (fixture, data);
  add_second_user (fixture);
}

/* The same, on a sandbox that allows each user LIMIT requests per
 * WINDOW_S seconds. */
static void
limited_setup (EngineFixture *fixture,
               gconstpointer  data)
{
  CcSandboxOptions options;

  cc_sandbox_options_init (&options);
  options.contacts = GPOINTER_TO_UINT (data);
  options.memberships = 0;
  options.max_requests = LIMIT;
  options.window_s = WINDOW_S;
  engine_fixture_setup_with (fixture, &options);
  add_second_user (fixture);
}

static gint64
requests_of (EngineFixture *fixture,
             const char    *client_id,
             gint64        *throttled)
{
  gint64 requests = 0, refused = 0;

  cc_test_admin_user_counts (fixture->dv, client_id, &requests, &refused);
  if (throttled != NULL)
    *throttled = refused;
  return requests;
}

/* Sends LIMIT reads as the second user: its next request is refused with
 * a Retry-After of up to WINDOW_S seconds. */
static void
use_up_second_user (EngineFixture *fixture)
{
  g_autofree char *token_url = g_strconcat (fixture->dv, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token",
                                            NULL);
  CcDataverseSettings settings = {
    fixture->dv, CC_SANDBOX_TENANT, SECOND_ID, token_url, SECOND_SECRET, 1, NULL
  };
  g_autoptr(CcDataverseClient) client = cc_dataverse_client_new (&settings);
  g_autofree char *contact = optinout_contact_id (fixture, 0);
  g_autofree char *path = g_strdup_printf ("contacts(%s)", contact);

  for (guint i = 0; i < LIMIT; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CcDataverseResult) read = cc_dataverse_client_get (client, path, NULL, NULL,
                                                                   &error);

      g_assert_no_error (error);
      g_assert_cmpuint (read->status, ==, 200);
    }
  g_assert_cmpint (requests_of (fixture, SECOND_ID, NULL), ==, LIMIT);
}

/* ------------------------------------------------------------------ */
/* Egress                                                              */

static gint64
event_rows (EngineFixture *fixture)
{
  static const char * const sets[] = {
    "new_emailsends", "new_emailopens", "new_emailclicks", "new_emailbounces",
  };
  g_autoptr(JsonNode) stats = cc_test_admin (fixture->dv, "GET", "/_sandbox/stats", NULL);
  JsonObject *tables = json_object_get_object_member (json_node_get_object (stats), "tables");
  gint64 rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    rows += json_object_get_int_member_with_default (tables, sets[i], 0);
  return rows;
}

typedef struct _HeldWait HeldWait;

struct _HeldWait
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  gint64         rows;       /* wanted */
  gint64         waiting;    /* requests of the held user while it waits */
  gint64       (*count)  (HeldWait *wait);   /* what is written, as the sandbox holds it */
};

/* The held user has been refused, and @rows records are written. Fails
 * the test when the held user was let in again first: then what was
 * written waited for it. */
static gboolean
written_while_held (gpointer data)
{
  HeldWait *wait = data;
  gint64 throttled;
  gint64 requests = requests_of (wait->fixture, SECOND_ID, &throttled);

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  if (requests > wait->waiting)
    g_error ("the held user was let in again before the other wrote %" G_GINT64_FORMAT,
             wait->rows);
  return throttled > 0 && wait->count (wait) >= wait->rows;
}

static gint64
count_event_rows (HeldWait *wait)
{
  return event_rows (wait->fixture);
}

static gboolean
all_rows (gpointer data)
{
  HeldWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  /* Written as the workflow counts it, too: the rows are in Dynamics 365
   * before the answer to their batch is settled, and a stop in between
   * gives the batch back to the queue. */
  return event_rows (wait->fixture) >= wait->rows
         && cc_workflow_get_written (wait->workflow) >= (guint64) wait->rows;
}

/* One writer per user, the second held back from the start: the first
 * writes every event but the batch the second waits with, then the
 * second writes that batch once its Retry-After has passed. Every event
 * lands once. */
static void
test_egress_one_held (EngineFixture *fixture,
                      gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  HeldWait wait = { fixture, workflow, options->events - 5, LIMIT, count_event_rows };
  gint64 throttled;

  use_up_second_user (fixture);
  engine_fixture_configure (fixture, "egress",
                            "{ \"poll-interval\": 1, \"batch-size\": 5, \"journal-limit\": 500,"
                            " \"write-concurrency\": 2 }");
  engine_fixture_start (workflow, DEADLINE);
  g_assert_true (cc_test_wait_until (written_while_held, &wait, DEADLINE));
  g_assert_cmpint (requests_of (fixture, SECOND_ID, NULL), ==, LIMIT);

  wait.rows = options->events;
  g_assert_true (cc_test_wait_until (all_rows, &wait, DEADLINE));
  engine_fixture_stop (workflow);

  g_assert_cmpint (event_rows (fixture), ==, options->events);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, options->events);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
  /* The held user wrote its batch after the wait; the other was never
   * refused. */
  g_assert_cmpint (requests_of (fixture, SECOND_ID, NULL), >, LIMIT);
  requests_of (fixture, CC_SANDBOX_CLIENT_ID, &throttled);
  g_assert_cmpint (throttled, ==, 0);
}

/* One writer for both users, the second held back from the start: the
 * batch refused as the second is given back at once and written as the
 * first, which writes every event while the second waits; nothing is
 * written twice. */
static void
test_egress_one_writer_one_held (EngineFixture *fixture,
                                 gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  HeldWait wait = { fixture, workflow, options->events, LIMIT, count_event_rows };
  gint64 throttled;

  use_up_second_user (fixture);
  engine_fixture_configure (fixture, "egress",
                            "{ \"poll-interval\": 1, \"batch-size\": 5, \"journal-limit\": 500,"
                            " \"write-concurrency\": 1 }");
  engine_fixture_start (workflow, DEADLINE);
  g_assert_true (cc_test_wait_until (written_while_held, &wait, DEADLINE));
  g_assert_true (cc_test_wait_until (all_rows, &wait, DEADLINE));
  engine_fixture_stop (workflow);

  g_assert_cmpint (event_rows (fixture), ==, options->events);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, options->events);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
  g_assert_cmpint (requests_of (fixture, CC_SANDBOX_CLIENT_ID, &throttled), >, 0);
  g_assert_cmpint (throttled, ==, 0);
}

/* ------------------------------------------------------------------ */
/* Opt-in/opt-out                                                      */

#define CONTACTS 20
/* The default write-concurrency: contacts in flight at once. */
#define IN_FLIGHT 4

/* Contacts whose flags are their profile's now. */
static gint64
count_agreeing (HeldWait *wait)
{
  gint64 agreeing = 0;

  for (guint i = 0; i < CONTACTS; i++)
    {
      g_autofree char *id = optinout_contact_id (wait->fixture, i);
      g_autoptr(JsonObject) contact = optinout_get_contact (wait->fixture, id);
      g_autoptr(JsonObject) profile = optinout_get_profile (wait->fixture, id);

      if (optinout_flag (contact, "donotbulkemail") == optinout_flag (profile, "denyListEmail")
          && optinout_flag (contact, "donotemail") == optinout_flag (profile, "denyList"))
        agreeing++;
    }
  return agreeing;
}

static gboolean
written_at_least (gpointer data)
{
  HeldWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return cc_workflow_get_written (wait->workflow) >= (guint64) wait->rows;
}

/* Each contact's profile says the opposite of the contact, and Campaign
 * leads: every contact is read and written in Dynamics 365 once. */
static CcWorkflow *
start_campaign_to_dynamics (EngineFixture *fixture)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");

  for (guint i = 0; i < CONTACTS; i++)
    optinout_create_profile (fixture, i, TRUE);
  engine_fixture_configure (fixture, "optinout",
                            OPTINOUT_CONFIG ("campaign-to-dynamics", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  return workflow;
}

/* The contacts go round both users: the sandbox counts reads and writes
 * of the second, and each contact is written once. */
static void
test_optinout_two_users (EngineFixture *fixture,
                         gconstpointer  data)
{
  CcWorkflow *workflow = start_campaign_to_dynamics (fixture);
  HeldWait wait = { fixture, workflow, CONTACTS, 0, NULL };
  gint64 throttled;

  optinout_wait_all_agree (fixture, workflow, CONTACTS);
  g_assert_true (cc_test_wait_until (written_at_least, &wait, DEADLINE));
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);

  /* A read and a write for each of about half the contacts. */
  g_assert_cmpint (requests_of (fixture, SECOND_ID, &throttled), >=, CONTACTS / 2);
  g_assert_cmpint (throttled, ==, 0);
}

/* The second user held back from the start: the contacts it had taken
 * wait for its Retry-After, the first user takes all the others
 * meanwhile (not every other one), and in the end every contact is
 * written once. */
static void
test_optinout_one_held (EngineFixture *fixture,
                        gconstpointer  data)
{
  CcWorkflow *workflow;
  HeldWait wait = { fixture, NULL, CONTACTS - IN_FLIGHT, LIMIT, count_agreeing };
  gint64 throttled;

  use_up_second_user (fixture);
  workflow = start_campaign_to_dynamics (fixture);
  wait.workflow = workflow;
  /* The second user took some of the first contacts in flight before
   * its first 429 came back; every other contact goes to the first user
   * while the second is held. */
  g_assert_true (cc_test_wait_until (written_while_held, &wait, DEADLINE));
  g_assert_cmpint (requests_of (fixture, SECOND_ID, NULL), ==, LIMIT);

  optinout_wait_all_agree (fixture, workflow, CONTACTS);
  wait.rows = CONTACTS;
  g_assert_true (cc_test_wait_until (written_at_least, &wait, DEADLINE));
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, CONTACTS);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
  g_assert_cmpint (requests_of (fixture, SECOND_ID, NULL), >, LIMIT);
  requests_of (fixture, CC_SANDBOX_CLIENT_ID, &throttled);
  g_assert_cmpint (throttled, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dynamics-users/egress/one-held", EngineFixture, GUINT_TO_POINTER (50),
              limited_setup, test_egress_one_held, engine_test_teardown);
  g_test_add ("/dynamics-users/egress/one-writer-one-held", EngineFixture, GUINT_TO_POINTER (50),
              limited_setup, test_egress_one_writer_one_held, engine_test_teardown);
  g_test_add ("/dynamics-users/optinout/two-users", EngineFixture, GUINT_TO_POINTER (CONTACTS),
              two_users_setup, test_optinout_two_users, engine_test_teardown);
  g_test_add ("/dynamics-users/optinout/one-held", EngineFixture, GUINT_TO_POINTER (CONTACTS),
              limited_setup, test_optinout_one_held, engine_test_teardown);

  return g_test_run ();
}
