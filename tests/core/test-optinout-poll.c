/* test-optinout-poll.c — "Opt-in/Opt-out" when the Dynamics 365 contact
 * table has no change tracking: Contact is polled by modifiedon and swept
 * for deleted contacts (cc-poll-reader.h). Opt-outs set on either side
 * reach the other exactly once, the window and the history say that the
 * slower way is in use, a change of the table's change tracking between
 * two runs is taken in stride, and a kill -9 in the middle of a poll
 * loses and repeats nothing.
 */
#include <glib/gstdio.h>
#include <signal.h>

#include "cc-optinout-private.h"
#include "cc-test-admin.h"
#include "cc-test-sandbox.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "optinout-fixture.h"

#define DEADLINE 60

static gboolean
has_notice (gpointer data)
{
  return *cc_workflow_get_notice (data) != '\0';
}

/* The notice (window) and the history entry of a polled Contact. The
 * notice shows with the workflow's next sample of its run. */
static void
assert_polling_said (CcWorkflow *workflow)
{
  g_assert_true (cc_test_wait_until (has_notice, workflow, DEADLINE));
  g_assert_nonnull (strstr (cc_workflow_get_notice (workflow), "“contact”"));
  g_assert_nonnull (strstr (cc_workflow_get_notice (workflow), "Track changes"));
  g_assert_cmpuint (optinout_count_history (workflow, "notice", "“contact”", "Track changes"),
                    >, 0);
  /* A notice, not a failure. */
  g_assert_cmpint (cc_workflow_get_status (workflow), ==, CC_WORKFLOW_RUNNING);
  g_assert_cmpstr (cc_workflow_get_last_error (workflow), ==, "");
}

static gboolean
written_at_least (gpointer data)
{
  return cc_workflow_get_written (data) >= 2;
}

/* Both ways: an opt-out set in Dynamics 365 reaches Campaign, one set in
 * Campaign reaches Dynamics 365, each with one write, and neither comes
 * back. */
static void
test_both_ways (EngineFixture *fixture,
                gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autofree char *second = optinout_contact_id (fixture, 1);
  gint64 dv_patches, acs_patches;

  optinout_switch_tracking (fixture, FALSE);
  /* Both contacts opted in, and in step with their profiles. */
  optinout_patch_contact (fixture, first, "{\"donotbulkemail\": false}");
  optinout_patch_contact (fixture, second, "{\"donotemail\": false}");
  for (guint i = 0; i < 6; i++)
    optinout_create_profile (fixture, i, FALSE);
  optinout_wait_next_second ();

  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("bidirectional", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_compared (fixture, 6);
  assert_polling_said (workflow);
  dv_patches = optinout_requests (fixture->dv, "patch");
  acs_patches = optinout_requests (fixture->acs, "patch");

  optinout_patch_contact (fixture, first, "{\"donotbulkemail\": true}");
  optinout_patch_profile (fixture, second, "{\"denyList\": true}");
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  optinout_wait_values (fixture, workflow, second, "donotemail", TRUE, "denyList", TRUE);

  /* Three more polls of each side: no write comes back as a change. */
  g_assert_true (cc_test_wait_until (written_at_least, workflow, DEADLINE));
  optinout_wait_reads (fixture->dv, fixture->acs, 3);
  g_assert_cmpint (optinout_requests (fixture->acs, "patch"), ==, acs_patches + 1);
  g_assert_cmpint (optinout_requests (fixture->dv, "patch"), ==, dv_patches + 1);
  g_assert_cmpuint (optinout_count_history (workflow, "conflict", NULL, NULL), ==, 0);
  assert_polling_said (workflow);
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, 2);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

static gboolean
state_forgotten (gpointer data)
{
  EngineFixture *fixture = data;
  g_autofree char *gone = optinout_contact_id (fixture, 0);

  return !optinout_has_state (fixture, gone);
}

/* Contacts 0..2 with their profiles, change tracking off, the workflow
 * running both ways and every contact compared once. */
static void
start_compared (EngineFixture *fixture,
                CcWorkflow    *workflow)
{
  optinout_switch_tracking (fixture, FALSE);
  for (guint i = 0; i < 3; i++)
    optinout_create_profile (fixture, i, FALSE);
  engine_fixture_configure (fixture, "optinout", OPTINOUT_CONFIG ("bidirectional", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_compared (fixture, 3);
}

/* A contact deleted in Dynamics 365: no poll shows it, a sweep finds it,
 * and what the workflow kept about it goes. */
static void
test_deleted_contact (EngineFixture *fixture,
                      gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *gone = optinout_contact_id (fixture, 0);
  g_autofree char *kept = optinout_contact_id (fixture, 1);
  g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", gone, NULL);

  start_compared (fixture, workflow);
  cc_test_admin_drop (fixture->dv, "DELETE", path, NULL, 204);
  g_assert_true (cc_test_wait_until (state_forgotten, fixture, DEADLINE));
  g_assert_true (optinout_has_state (fixture, kept));
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

/* A contact deleted in Dynamics 365 while its profile changed in
 * Campaign, and no sweep due yet to find the deletion: the profile's
 * flags have nowhere to go, which is no error, and the contact's state
 * goes all the same. */
static void
test_deleted_profile_changed (EngineFixture *fixture,
                              gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *gone = optinout_contact_id (fixture, 0);
  g_autofree char *kept = optinout_contact_id (fixture, 1);
  g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", gone, NULL);
  int dv_patches;

  start_compared (fixture, workflow);
  engine_fixture_stop (workflow);

  cc_test_admin_drop (fixture->dv, "DELETE", path, NULL, 204);
  optinout_patch_profile (fixture, gone, "{\"denyList\": true}");
  dv_patches = optinout_requests (fixture->dv, "patch");
  /* An hour between polls: the next sweep is ten hours away. */
  engine_fixture_configure (fixture, "optinout",
                            "{ \"direction\": \"bidirectional\", \"conflict-policy\": \"latest\","
                            " \"poll-interval\": 3600 }");
  engine_fixture_start (workflow, DEADLINE);
  g_assert_true (cc_test_wait_until (state_forgotten, fixture, DEADLINE));
  g_assert_true (optinout_has_state (fixture, kept));
  engine_fixture_stop (workflow);
  g_assert_cmpint (optinout_requests (fixture->dv, "patch"), ==, dv_patches);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

/* Change tracking switched off, then on again, between runs: each run
 * reads Contact the way it can, and a change made while the workflow was
 * stopped arrives either way. */
static void
test_tracking_switched (EngineFixture *fixture,
                        gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  g_autofree char *first = optinout_contact_id (fixture, 0);
  g_autofree char *second = optinout_contact_id (fixture, 1);

  optinout_patch_contact (fixture, first, "{\"donotbulkemail\": false}");
  optinout_patch_contact (fixture, second, "{\"donotbulkemail\": false}");
  for (guint i = 0; i < 3; i++)
    optinout_create_profile (fixture, i, FALSE);
  engine_fixture_configure (fixture, "optinout",
                            OPTINOUT_CONFIG ("dynamics-to-campaign", "latest"));
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_compared (fixture, 3);
  g_assert_cmpstr (cc_workflow_get_notice (workflow), ==, "");
  engine_fixture_stop (workflow);

  optinout_switch_tracking (fixture, FALSE);
  optinout_patch_contact (fixture, first, "{\"donotbulkemail\": true}");
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, first, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  assert_polling_said (workflow);
  engine_fixture_stop (workflow);

  optinout_switch_tracking (fixture, TRUE);
  optinout_patch_contact (fixture, second, "{\"donotbulkemail\": true}");
  engine_fixture_start (workflow, DEADLINE);
  optinout_wait_values (fixture, workflow, second, "donotbulkemail", TRUE, "denyListEmail", TRUE);
  g_assert_cmpstr (cc_workflow_get_notice (workflow), ==, "");
  optinout_wait_all_agree (fixture, workflow, 3);
  engine_fixture_stop (workflow);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
}

/* ------------------------------------------------------------------ */
/* kill -9                                                             */

#define CRASH_CONTACTS 600
#define CRASH_DYNAMICS_CHANGES 300   /* contacts 0..299 opt out in Dynamics 365 */
#define CRASH_CAMPAIGN_CHANGES 100   /* profiles 300..399 opt out in Campaign */

typedef struct
{
  CcTestSandbox *sandbox;
  char          *dir;
  CcStore       *store;     /* the engine's database, read from here */
  GPtrArray     *contacts;  /* JsonObject*: as seeded */
} Crash;

static void
crash_clear (Crash *crash)
{
  g_autoptr(GDir) dir = g_dir_open (crash->dir, 0, NULL);
  const char *name;

  g_clear_object (&crash->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (crash->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (crash->dir);
  g_clear_pointer (&crash->dir, g_free);
  g_clear_pointer (&crash->contacts, g_ptr_array_unref);
  g_clear_pointer (&crash->sandbox, cc_test_sandbox_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Crash, crash_clear)

static GSubprocess *
start_engine (Crash *crash)
{
  /* One writer, and a sandbox that answers a little slowly: a kill then
   * finds changes read and not yet written, and writes under way. */
  return cc_test_sandbox_run_workflow (crash->sandbox, "optinout",
    "{ \"direction\": \"bidirectional\", \"conflict-policy\": \"latest\","
    "  \"poll-interval\": 1, \"write-concurrency\": 1 }", crash->dir);
}

static void
kill_engine (GSubprocess *engine)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (engine, SIGKILL);
  g_subprocess_wait (engine, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (engine));
}

/* Every contact's profile, its flags as the contact's are, and Contact
 * without change tracking. */
static void
crash_setup (Crash *crash)
{
  g_autofree char *count = g_strdup_printf ("%d", CRASH_CONTACTS);
  const char * const args[] = { "--contacts", count, NULL };
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(JsonNode) off = NULL;
  JsonArray *value;

  crash->sandbox = cc_test_sandbox_spawn (args);
  crash->dir = g_dir_make_tmp ("cc-optinout-crash-XXXXXX", NULL);
  g_assert_nonnull (crash->dir);
  off = cc_test_admin (crash->sandbox->dataverse, "POST",
                       "/_sandbox/tables/contacts/change-tracking", "{\"enabled\": false}");

  rows = cc_test_admin (crash->sandbox->dataverse, "GET", "/_sandbox/tables/contacts", NULL);
  value = json_object_get_array_member (json_node_get_object (rows), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, CRASH_CONTACTS);
  crash->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < CRASH_CONTACTS; i++)
    {
      JsonObject *contact = json_array_get_object_element (value, i);
      g_autofree char *body = NULL;

      body = g_strdup_printf ("{\"externalId\": \"%s\", \"email\": \"%s\","
                              " \"denyListEmail\": %s, \"denyList\": %s}",
                              json_object_get_string_member (contact, "contactid"),
                              json_object_get_string_member (contact, "emailaddress1"),
                              optinout_flag (contact, "donotbulkemail") ? "true" : "false",
                              optinout_flag (contact, "donotemail") ? "true" : "false");
      cc_test_admin_drop (crash->sandbox->campaign, "POST", "/_sandbox/profiles", body, 201);
      g_ptr_array_add (crash->contacts, json_object_ref (contact));
    }
}

static const char *
crash_contact_id (Crash *crash,
                  guint  index)
{
  return json_object_get_string_member (g_ptr_array_index (crash->contacts, index), "contactid");
}

/* What each contact's flags must end as. */
static gboolean
expected_flag (Crash      *crash,
               guint       index,
               const char *column)
{
  gboolean seeded = optinout_flag (g_ptr_array_index (crash->contacts, index), column);

  if (g_str_equal (column, "donotbulkemail") && index < CRASH_DYNAMICS_CHANGES)
    return !seeded;
  if (g_str_equal (column, "donotemail") && index >= CRASH_DYNAMICS_CHANGES
      && index < CRASH_DYNAMICS_CHANGES + CRASH_CAMPAIGN_CHANGES)
    return !seeded;
  return seeded;
}

static gboolean
state_complete (gpointer data)
{
  Crash *crash = data;

  for (guint i = 0; i < CRASH_CONTACTS; i++)
    {
      g_autofree char *state = cc_store_map_get (crash->store, CC_OPTINOUT_STATE_SPACE,
                                                 crash_contact_id (crash, i), NULL);
      if (state == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The rows of the admin list at @path (member @member), by @id_member. */
static GHashTable *
index_rows (JsonNode   *list,
            const char *member,
            const char *id_member)
{
  JsonArray *rows = json_object_get_array_member (json_node_get_object (list), member);
  GHashTable *by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_hash_table_insert (by_id, (gpointer) json_object_get_string_member (row, id_member), row);
    }
  return by_id;
}

/* Both sides as expected_flag() says, and nothing left to write. */
static gboolean
all_arrived (gpointer data)
{
  Crash *crash = data;
  g_autoptr(JsonNode) rows = cc_test_admin (crash->sandbox->dataverse, "GET",
                                            "/_sandbox/tables/contacts", NULL);
  g_autoptr(JsonNode) profiles = cc_test_admin (crash->sandbox->campaign, "GET",
                                                "/_sandbox/profiles", NULL);
  g_autoptr(GHashTable) contact_by_id = index_rows (rows, "value", "contactid");
  g_autoptr(GHashTable) profile_by_id = index_rows (profiles, "content", "externalId");

  for (guint i = 0; i < CRASH_CONTACTS; i++)
    {
      JsonObject *contact = g_hash_table_lookup (contact_by_id, crash_contact_id (crash, i));
      JsonObject *profile = g_hash_table_lookup (profile_by_id, crash_contact_id (crash, i));
      gboolean bulk = expected_flag (crash, i, "donotbulkemail");
      gboolean any = expected_flag (crash, i, "donotemail");

      g_assert_nonnull (contact);
      g_assert_nonnull (profile);
      if (optinout_flag (contact, "donotbulkemail") != bulk
          || optinout_flag (profile, "denyListEmail") != bulk
          || optinout_flag (contact, "donotemail") != any
          || optinout_flag (profile, "denyList") != any)
        return FALSE;
    }
  return cc_store_count_backlog (crash->store, "optinout", NULL) == 0;
}

static gboolean
engine_reading (gpointer data)
{
  CcTestSandbox *sandbox = data;

  return optinout_requests (sandbox->dataverse, "get") > 0;
}

typedef struct
{
  const char *campaign;
  gint64      patches;
} PatchesWait;

static gboolean
campaign_patched (gpointer data)
{
  PatchesWait *wait = data;

  return optinout_requests (wait->campaign, "patch") >= wait->patches;
}

/* Sets up the sandbox and starts the engine, its database open here once
 * every contact has been compared. */
static GSubprocess *
crash_start (Crash *crash)
{
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *engine;

  crash_setup (crash);
  engine = start_engine (crash);
  state = g_build_filename (crash->dir, "state.db", NULL);
  /* The engine made its database before it read anything. */
  g_assert_true (cc_test_wait_until (engine_reading, crash->sandbox, DEADLINE));
  crash->store = cc_store_open (state, &error);
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (state_complete, crash, DEADLINE));
  return engine;
}

/* Opt-outs on both sides while the engine polls Contact, killed three
 * times with SIGKILL part way: every opt-out arrives, with exactly one write
 * each, whatever a kill interrupted (a page read and not queued, a
 * contact compared and not settled). */
static void
test_killed_mid_poll (void)
{
  g_auto(Crash) crash = { 0 };
  g_autoptr(GSubprocess) engine = NULL;
  g_autoptr(JsonNode) slow = NULL;
  PatchesWait wait;
  gint64 dv_patches, acs_patches;

  engine = crash_start (&crash);
  slow = cc_test_admin (crash.sandbox->dataverse, "POST", "/_sandbox/faults",
                        "{\"latency_ms\": 4}");
  dv_patches = optinout_requests (crash.sandbox->dataverse, "patch");
  acs_patches = optinout_requests (crash.sandbox->campaign, "patch");

  for (guint i = 0; i < CRASH_DYNAMICS_CHANGES; i++)
    {
      g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", crash_contact_id (&crash, i),
                                           NULL);

      cc_test_admin_drop (crash.sandbox->dataverse, "PATCH", path,
                          expected_flag (&crash, i, "donotbulkemail")
                          ? "{\"donotbulkemail\": true}" : "{\"donotbulkemail\": false}", 200);
    }
  for (guint i = CRASH_DYNAMICS_CHANGES; i < CRASH_DYNAMICS_CHANGES + CRASH_CAMPAIGN_CHANGES; i++)
    {
      g_autofree char *path = g_strconcat ("/_sandbox/profiles/", crash_contact_id (&crash, i), NULL);

      cc_test_admin_drop (crash.sandbox->campaign, "PATCH", path,
                          expected_flag (&crash, i, "donotemail")
                          ? "{\"denyList\": true}" : "{\"denyList\": false}", 200);
    }

  /* Killed soon after the first opt-outs were read, half way, and near
   * the end. */
  for (guint kill_at = 20; kill_at < CRASH_DYNAMICS_CHANGES; kill_at += 130)
    {
      wait = (PatchesWait) { crash.sandbox->campaign, acs_patches + kill_at };
      g_assert_true (cc_test_wait_until (campaign_patched, &wait, DEADLINE));
      kill_engine (engine);
      g_assert_cmpint (optinout_requests (crash.sandbox->campaign, "patch"), <,
                       acs_patches + CRASH_DYNAMICS_CHANGES);
      g_clear_object (&engine);
      engine = start_engine (&crash);
    }

  g_assert_true (cc_test_wait_until (all_arrived, &crash, DEADLINE));
  /* One write per opt-out, and none of them comes back. */
  optinout_wait_reads (crash.sandbox->dataverse, crash.sandbox->campaign, 3);
  g_assert_cmpint (optinout_requests (crash.sandbox->campaign, "patch"), ==,
                   acs_patches + CRASH_DYNAMICS_CHANGES);
  g_assert_cmpint (optinout_requests (crash.sandbox->dataverse, "patch"), ==,
                   dv_patches + CRASH_CAMPAIGN_CHANGES);
  g_assert_cmpuint (cc_store_count_errors (crash.store, "optinout", NULL), ==, 0);

  g_subprocess_send_signal (engine, SIGTERM);
  g_subprocess_wait (engine, NULL, NULL);
}

static gboolean
backlog_empty (gpointer data)
{
  Crash *crash = data;

  return cc_store_count_backlog (crash->store, "optinout", NULL) == 0;
}

/* Queues, as the engine's Campaign reader would have, a read of contact
 * @index's profile that saw both flags the other way round. */
static void
queue_profile_read (Crash *crash,
                    guint  index)
{
  JsonObject *contact = g_ptr_array_index (crash->contacts, index);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_queue_item_free);
  g_autofree char *key = g_ascii_strdown (crash_contact_id (crash, index), -1);
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;

  payload = g_strdup_printf ("{\"side\": \"campaign\", \"read-at\": %" G_GINT64_FORMAT ","
                             " \"time\": \"2020-01-01T00:00:00Z\", \"values\":"
                             " {\"denyListEmail\": %s, \"denyList\": %s}}",
                             g_get_real_time (),
                             optinout_flag (contact, "donotbulkemail") ? "false" : "true",
                             optinout_flag (contact, "donotemail") ? "false" : "true");
  g_ptr_array_add (items, cc_queue_item_new (CC_OPTINOUT_MAPPING, key, CC_QUEUE_OP_UPSERT,
                                             payload, 0));
  g_assert_true (cc_store_enqueue (crash->store, "optinout", items, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A read of a profile queued before a kill, and the write that made it
 * old lost with the engine before it was noted: the services agree, the
 * queued read does not. After the restart the profile is read again, and
 * nothing is written to either side. */
static void
test_read_before_kill (void)
{
  g_auto(Crash) crash = { 0 };
  g_autoptr(GSubprocess) engine = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(GHashTable) contact_by_id = NULL;
  JsonObject *contact, *seeded;
  gint64 dv_patches, acs_patches;

  engine = crash_start (&crash);
  g_assert_true (cc_test_wait_until (backlog_empty, &crash, DEADLINE));
  kill_engine (engine);
  g_clear_object (&engine);

  queue_profile_read (&crash, 0);
  dv_patches = optinout_requests (crash.sandbox->dataverse, "patch");
  acs_patches = optinout_requests (crash.sandbox->campaign, "patch");
  engine = start_engine (&crash);
  g_assert_true (cc_test_wait_until (backlog_empty, &crash, DEADLINE));
  optinout_wait_reads (crash.sandbox->dataverse, crash.sandbox->campaign, 3);

  g_assert_cmpint (optinout_requests (crash.sandbox->dataverse, "patch"), ==, dv_patches);
  g_assert_cmpint (optinout_requests (crash.sandbox->campaign, "patch"), ==, acs_patches);
  rows = cc_test_admin (crash.sandbox->dataverse, "GET", "/_sandbox/tables/contacts", NULL);
  contact_by_id = index_rows (rows, "value", "contactid");
  contact = g_hash_table_lookup (contact_by_id, crash_contact_id (&crash, 0));
  seeded = g_ptr_array_index (crash.contacts, 0);
  g_assert_cmpint (optinout_flag (contact, "donotbulkemail"), ==,
                   optinout_flag (seeded, "donotbulkemail"));
  g_assert_cmpint (optinout_flag (contact, "donotemail"), ==, optinout_flag (seeded, "donotemail"));
  g_assert_cmpuint (cc_store_count_errors (crash.store, "optinout", NULL), ==, 0);

  g_subprocess_send_signal (engine, SIGTERM);
  g_subprocess_wait (engine, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ENGINE_TEST_ADD ("/optinout-poll/both-ways", 8, test_both_ways);
  ENGINE_TEST_ADD ("/optinout-poll/deleted-contact", 4, test_deleted_contact);
  ENGINE_TEST_ADD ("/optinout-poll/deleted-profile-changed", 4, test_deleted_profile_changed);
  ENGINE_TEST_ADD ("/optinout-poll/tracking-switched", 4, test_tracking_switched);
  /* A real engine killed three times: the slow suite (tests/core/meson.build). */
  g_test_add_func ("/optinout-poll/slow/killed-mid-poll", test_killed_mid_poll);
  g_test_add_func ("/optinout-poll/slow/read-before-kill", test_read_before_kill);

  return g_test_run ();
}
