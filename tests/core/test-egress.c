/* test-egress.c — "Campaign to Microsoft Dynamics 365" against the
 * sandbox: the configuration, every event type onto the right contact,
 * partial batch failures, missing contacts, replays, the marketing
 * history fallback, a target column removed while it runs, and writes
 * spread over two application users. (The kill -9 test is
 * test-egress-crash.c.) */
#include "cc-egress-config.h"
#include "cc-error.h"
#include "cc-sandbox-seed.h"
#include "cc-test-admin.h"
#include "cc-test-json.h"
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 120

static const char * const entity_sets[] = {
  "new_emailsends", "new_emailopens", "new_emailclicks", "new_emailbounces",
};

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

static void
test_config_default (void)
{
  g_autoptr(JsonNode) node = cc_egress_config_default ();
  g_autoptr(CcEgressConfig) config = NULL;
  g_autoptr(CcEgressConfig) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(GError) error = NULL;

  config = cc_egress_config_parse (node, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    g_assert_true (config->targets[i].enabled);
  g_assert_cmpstr (config->targets[CC_EGRESS_EVENT_CLICK].table, ==, "new_emailclick");
  g_assert_cmpint (config->source, ==, CC_EGRESS_SOURCE_JOURNAL);
  g_assert_cmpuint (config->batch_size, ==, CC_EGRESS_DEFAULT_BATCH_SIZE);
  g_assert_cmpuint (config->write_concurrency, ==, 2);
  g_assert_cmpint (config->missing_contact, ==, CC_EGRESS_MISSING_ERROR_LOG);
  g_assert_cmpstr (config->fields[CC_EGRESS_FIELD_CONTACT], ==, "externalId");
  g_assert_cmpstr (config->columns[CC_EGRESS_COLUMN_EVENT_ID], ==, "new_campaigneventid");

  /* parse (to_json (c)) == c */
  written = cc_egress_config_to_json (config);
  g_assert_true (json_node_equal (written, node));
  again = cc_egress_config_parse (written, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->journal_limit, ==, config->journal_limit);
}

static void
test_config_custom (void)
{
  g_autoptr(JsonNode) node = json_from_string (
    "{\"event-types\": {\"open\": {\"enabled\": false}, \"click\": {\"table\": \"new_clicks\"}},"
    " \"source\": \"history\", \"batch-size\": 1000, \"write-concurrency\": 16,"
    " \"missing-contact\": \"skip\", \"journal-limit\": 1, \"poll-interval\": 3600,"
    " \"event-fields\": {\"contact\": \"profile.externalId\"},"
    " \"target-columns\": {\"tracking-url\": \"\", \"subject\": \"new_subject\"}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcEgressConfig) config = cc_egress_config_parse (node, &error);

  g_assert_no_error (error);
  g_assert_false (config->targets[CC_EGRESS_EVENT_OPEN].enabled);
  g_assert_cmpstr (config->targets[CC_EGRESS_EVENT_OPEN].table, ==, "new_emailopen");
  g_assert_cmpstr (config->targets[CC_EGRESS_EVENT_CLICK].table, ==, "new_clicks");
  g_assert_cmpint (config->source, ==, CC_EGRESS_SOURCE_HISTORY);
  g_assert_cmpuint (config->batch_size, ==, 1000);
  g_assert_cmpint (config->missing_contact, ==, CC_EGRESS_MISSING_SKIP);
  g_assert_cmpstr (config->fields[CC_EGRESS_FIELD_CONTACT], ==, "profile.externalId");
  g_assert_cmpstr (config->fields[CC_EGRESS_FIELD_ID], ==, "id");
  g_assert_cmpstr (config->columns[CC_EGRESS_COLUMN_TRACKING_URL], ==, "");
  g_assert_cmpstr (config->columns[CC_EGRESS_COLUMN_SUBJECT], ==, "new_subject");
}

static void
test_config_refused (void)
{
  static const CcTestRefusal cases[] = {
    { "[]", "The configuration must be" },
    { "{\"batch-size\": 0}", "batch-size: " },
    { "{\"batch-size\": 1001}", "batch-size: " },
    { "{\"batch-size\": \"100\"}", "batch-size: " },
    { "{\"batch-size\": 10.5}", "batch-size: " },
    { "{\"write-concurrency\": 17}", "write-concurrency: " },
    { "{\"journal-limit\": 0}", "journal-limit: " },
    { "{\"poll-interval\": 0}", "poll-interval: " },
    { "{\"source\": \"pipeline\"}", "source: " },
    { "{\"missing-contact\": \"drop\"}", "missing-contact: " },
    { "{\"batchsize\": 10}", "batchsize: unknown member" },
    { "{\"event-types\": {\"opened\": {}}}", "event-types.opened: unknown member" },
    { "{\"event-types\": {\"open\": {\"enable\": true}}}", "event-types.open.enable: unknown member" },
    { "{\"event-types\": {\"open\": {\"enabled\": 1}}}", "event-types.open.enabled: " },
    { "{\"event-types\": {\"open\": {\"table\": \"New_Open\"}}}", "event-types.open.table: " },
    { "{\"event-types\": {\"open\": {\"table\": \"\"}}}", "event-types.open.table: " },
    { "{\"event-types\": {\"send\": {\"enabled\": false}, \"open\": {\"enabled\": false},"
      " \"click\": {\"enabled\": false}, \"bounce\": {\"enabled\": false}}}", "event-types: " },
    { "{\"event-fields\": {\"contact\": \"\"}}", "event-fields.contact: " },
    { "{\"event-fields\": {\"contact\": \"a..b\"}}", "event-fields.contact: " },
    { "{\"event-fields\": {\"who\": \"x\"}}", "event-fields.who: unknown member" },
    { "{\"target-columns\": {\"event-id\": \"\"}}", "target-columns.event-id: " },
    { "{\"target-columns\": {\"subject\": \"\"}}", "target-columns.subject: " },
    { "{\"target-columns\": {\"time\": \"subject\"}}", "target-columns.time: " },
    { "{\"target-columns\": {\"time\": \"Event Date\"}}", "target-columns.time: " },
  };

  cc_test_assert_refusals ((CcTestParseFunc) cc_egress_config_parse, cases, G_N_ELEMENTS (cases),
                           CC_ERROR, CC_ERROR_INVALID_CONFIG);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static gint64
event_rows (const char *dv)
{
  g_autoptr(JsonNode) stats = cc_test_admin (dv, "GET", "/_sandbox/stats", NULL);
  JsonObject *tables = json_object_get_object_member (json_node_get_object (stats), "tables");
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entity_sets); i++)
    total += json_object_get_int_member (tables, entity_sets[i]);
  return total;
}

typedef struct
{
  const char *dv;
  CcWorkflow *workflow;
  gint64      rows;
  gint64      seen;
} RowsWait;

static gboolean
rows_reached (gpointer data)
{
  RowsWait *wait = data;

  if (wait->workflow != NULL)
    g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  wait->seen = event_rows (wait->dv);
  return wait->seen >= wait->rows
         && (wait->workflow == NULL || cc_workflow_get_backlog (wait->workflow) == 0);
}

static void
wait_rows (const char *dv,
           CcWorkflow *workflow,
           gint64      rows)
{
  RowsWait wait = { dv, workflow, rows, 0 };

  if (!cc_test_wait_until (rows_reached, &wait, DEADLINE))
    g_error ("%" G_GINT64_FORMAT " event rows, expected %" G_GINT64_FORMAT
             " (status %s, last error “%s”)", wait.seen, rows,
             workflow ? cc_workflow_status_to_string (cc_workflow_get_status (workflow)) : "-",
             workflow ? cc_workflow_get_last_error (workflow) : "");
}

/* Every row of every activity table, by its Campaign event id (each id
 * must appear exactly once across all tables). */
static GHashTable *
rows_by_event_id (const char *dv)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (entity_sets); i++)
    {
      g_autofree char *path = g_strconcat ("/_sandbox/tables/", entity_sets[i], NULL);
      g_autoptr(JsonNode) answer = cc_test_admin (dv, "GET", path, NULL);
      JsonArray *value = json_object_get_array_member (json_node_get_object (answer), "value");

      for (guint j = 0; j < json_array_get_length (value); j++)
        {
          JsonObject *row = json_array_get_object_element (value, j);
          const char *id = json_object_get_string_member (row, "new_campaigneventid");

          g_assert_nonnull (id);
          if (g_hash_table_contains (rows, id))
            g_error ("event %s has more than one row", id);
          json_object_set_string_member (row, "@set", entity_sets[i]);
          g_hash_table_insert (rows, g_strdup (id), json_object_ref (row));
        }
    }
  return rows;
}

static const char *
regarding_of (JsonObject *row)
{
  const char *id = json_object_get_string_member_with_default (row, "_regardingobjectid_value", NULL);

  return id ? id : json_object_get_string_member_with_default (row, "regardingobjectid", NULL);
}

/* Checks the row of one seeded event: the right table, the right contact,
 * every column. */
static void
assert_event_row (GHashTable *rows,
                  JsonObject *event)
{
  const char *id = json_object_get_string_member (event, "id");
  const char *type = json_object_get_string_member (event, "type");
  JsonObject *row = g_hash_table_lookup (rows, id);
  g_autofree char *set = g_strdup_printf ("new_email%ss", type);
  g_autofree char *subject = g_strdup_printf ("%s / %s",
                                              json_object_get_string_member (event, "campaignId"),
                                              json_object_get_string_member (event, "deliveryId"));
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (json_object_get_string_member (event, "timestamp"), NULL);
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");

  if (row == NULL)
    g_error ("event %s (%s) was not written", id, type);
  g_assert_cmpstr (json_object_get_string_member (row, "@set"), ==, set);
  g_assert_cmpstr (regarding_of (row), ==, json_object_get_string_member (event, "externalId"));
  g_assert_cmpstr (json_object_get_string_member (row, "subject"), ==, subject);
  g_assert_cmpstr (json_object_get_string_member (row, "new_campaignname"), ==,
                   json_object_get_string_member (event, "campaignName"));
  g_assert_cmpstr (json_object_get_string_member (row, "new_deliveryname"), ==,
                   json_object_get_string_member (event, "deliveryName"));
  g_assert_cmpstr (json_object_get_string_member (row, "new_eventdate"), ==, date);
  g_assert_cmpstr (json_object_get_string_member (row, "new_mirrorpageurl"), ==,
                   json_object_get_string_member (event, "mirrorPageUrl"));
  if (g_str_equal (type, "click"))
    g_assert_cmpstr (json_object_get_string_member (row, "new_trackingurl"), ==,
                     json_object_get_string_member (event, "trackingUrl"));
  else
    g_assert_null (json_object_get_string_member_with_default (row, "new_trackingurl", NULL));
}

static void
start (CcWorkflow *workflow)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cc_workflow_start (workflow, &error));
  g_assert_no_error (error);
}

static void
stop (CcWorkflow *workflow)
{
  cc_workflow_stop (workflow);
  cc_workflow_wait_stopped (workflow);
  g_assert_cmpint (cc_workflow_get_status (workflow), ==, CC_WORKFLOW_STOPPED);
}

static gboolean
has_history (CcWorkflow *workflow,
             const char *kind,
             const char *needle)
{
  g_autoptr(GPtrArray) history = cc_workflow_list_history (workflow, 0, NULL);

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      CcHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_str_equal (entry->kind, kind) && entry->message != NULL
          && (needle == NULL || strstr (entry->message, needle) != NULL))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  CcWorkflow *workflow;
  guint64     written;
} WrittenWait;

static gboolean
written_reached (gpointer data)
{
  WrittenWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return cc_workflow_get_written (wait->workflow) >= wait->written
         && cc_workflow_get_backlog (wait->workflow) == 0;
}

static gboolean
has_error (gpointer data)
{
  g_autoptr(GPtrArray) errors = cc_workflow_list_errors (data, 0, 0, NULL);

  return errors != NULL && errors->len > 0;
}

static gboolean
has_skip (gpointer data)
{
  return has_history (data, "skip", NULL);
}

/* ------------------------------------------------------------------ */
/* Runs against the sandbox                                            */

#define FAST_CONFIG "{ \"poll-interval\": 1, \"batch-size\": 25, \"journal-limit\": 50 }"

static void
test_every_type_lands (EngineFixture *fixture,
                       gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(GHashTable) rows = NULL;
  guint per_type[CC_EGRESS_N_EVENTS] = { 0 };

  engine_fixture_configure (fixture, "egress", FAST_CONFIG);
  start (workflow);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_RUNNING, DEADLINE);
  wait_rows (fixture->dv, workflow, options->events);

  rows = rows_by_event_id (fixture->dv);
  g_assert_cmpuint (g_hash_table_size (rows), ==, options->events);
  for (guint i = 0; i < options->events; i++)
    {
      g_autoptr(JsonObject) event = cc_sandbox_seed_event (options->seed, i, options->contacts);
      CcEgressEventType type;

      g_assert_true (cc_egress_event_type_parse (json_object_get_string_member (event, "type"),
                                                 &type));
      per_type[type]++;
      assert_event_row (rows, event);
    }
  /* The seed must exercise every type for this test to mean anything. */
  for (guint i = 0; i < CC_EGRESS_N_EVENTS; i++)
    g_assert_cmpuint (per_type[i], >, 0);
  {
    WrittenWait wait = { workflow, options->events };

    /* The counters are sampled on the main loop: wait for them. */
    g_assert_true (cc_test_wait_until (written_reached, &wait, DEADLINE));
  }
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, options->events);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);

  /* Events arriving while it runs are picked up from where it is. */
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", "{\"generate\": 7}", 200);
  wait_rows (fixture->dv, workflow, options->events + 7);
  stop (workflow);
}

/* A second application user: the writers write as both (each user's
 * requests counted by the sandbox apart), every event lands once, and
 * the list of users never shows a secret. Removed, it is no longer used
 * at the next start. */
static void
test_two_users (EngineFixture *fixture,
                gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_auto(GStrv) users = NULL;
  gint64 own = 0, second = 0, throttled = 0, second_before = 0;

  cc_test_admin_drop (fixture->dv, "POST", "/_sandbox/users",
                      "{\"client_id\": \"second-app\", \"secret\": \"second-secret\"}", 201);
  g_assert_true (cc_engine_add_dynamics_user (fixture->engine, "second-app", "second-secret",
                                              &error));
  g_assert_no_error (error);
  g_assert_false (cc_engine_add_dynamics_user (fixture->engine, "second-app", "x", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  users = cc_engine_list_dynamics_users (fixture->engine);
  g_assert_cmpuint (g_strv_length (users), ==, 1);
  g_assert_cmpstr (users[0], ==, "second-app");

  /* Small batches, so that each writer sends several. */
  engine_fixture_configure (fixture, "egress",
                            "{ \"poll-interval\": 1, \"batch-size\": 5, \"journal-limit\": 50,"
                            " \"write-concurrency\": 2 }");
  start (workflow);
  wait_rows (fixture->dv, workflow, options->events);
  rows = rows_by_event_id (fixture->dv);
  g_assert_cmpuint (g_hash_table_size (rows), ==, options->events);
  stop (workflow);

  cc_test_admin_user_counts (fixture->dv, CC_SANDBOX_CLIENT_ID, &own, &throttled);
  cc_test_admin_user_counts (fixture->dv, "second-app", &second, &throttled);
  g_assert_cmpint (own, >, 0);
  g_assert_cmpint (second, >, 0);

  g_assert_true (cc_engine_remove_dynamics_user (fixture->engine, "second-app", &error));
  g_assert_no_error (error);
  g_assert_false (cc_engine_remove_dynamics_user (fixture->engine, "second-app", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  second_before = second;
  start (workflow);
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", "{\"generate\": 12}", 200);
  wait_rows (fixture->dv, workflow, options->events + 12);
  stop (workflow);
  cc_test_admin_user_counts (fixture->dv, "second-app", &second, &throttled);
  g_assert_cmpint (second, ==, second_before);
}

static char *
event_json (const char *id,
            const char *type,
            const char *contact,
            const char *campaign_id)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"%s\", \"externalId\": \"%s\","
                          " \"campaignId\": \"%s\", \"campaignName\": \"Spring\","
                          " \"deliveryId\": \"DM1\", \"deliveryName\": \"Spring – wave 1\","
                          " \"timestamp\": \"2026-03-01T10:00:00Z\","
                          " \"mirrorPageUrl\": \"https://example.com/m/1\","
                          " \"trackingUrl\": \"https://example.com/t/1\"}",
                          id, type, contact, campaign_id);
}

static char *
first_contact (EngineFixture *fixture)
{
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, 0);

  return g_strdup (json_object_get_string_member (contact, "contactid"));
}

/* One batch: five good events and one whose subject is longer than the
 * column allows. The five land, the sixth is in the error log with
 * Dynamics' reason; nothing blocks. */
static void
test_bad_part (EngineFixture *fixture,
               gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  g_autofree char *contact = first_contact (fixture);
  g_autofree char *long_id = g_strnfill (250, 'C');
  g_autoptr(GString) body = g_string_new ("{\"events\": [");
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GHashTable) rows = NULL;
  CcErrorEntry *entry;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("batch-%u", i);
      g_autofree char *event = event_json (id, i % 2 ? "open" : "click", contact,
                                           i == 3 ? long_id : "OP1");

      g_string_append_printf (body, "%s%s", i ? "," : "", event);
    }
  g_string_append (body, "]}");

  engine_fixture_configure (fixture, "egress", "{ \"poll-interval\": 1, \"batch-size\": 10 }");
  /* Only the six events of this test. */
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", body->str, 200);
  start (workflow);
  wait_rows (fixture->dv, workflow, cc_sandbox_get_options (fixture->sandbox)->events + 5);
  /* The rows show before the writer has read the batch's answer. */
  g_assert_true (cc_test_wait_until (has_error, workflow, DEADLINE));
  rows = rows_by_event_id (fixture->dv);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("batch-%u", i);

      g_assert_true (g_hash_table_contains (rows, id) == (i != 3));
    }

  errors = cc_workflow_list_errors (workflow, 0, 0, NULL);
  g_assert_cmpuint (errors->len, ==, 1);
  entry = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (entry->key, ==, "batch-3");
  g_assert_cmpstr (entry->mapping, ==, "open");
  g_assert_cmpuint (entry->http_status, ==, 400);
  g_assert_nonnull (entry->reason);
  g_assert_cmpstr (entry->reason, !=, "");
  /* Stopped, the counters are read back from the database: exact. */
  stop (workflow);
  g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 1);
}

static void
run_missing_contact (EngineFixture *fixture,
                     const char    *policy)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autofree char *contact = first_contact (fixture);
  g_autofree char *config = g_strdup_printf ("{ \"poll-interval\": 1, \"missing-contact\": \"%s\" }",
                                             policy);
  g_autofree char *good = event_json ("known-contact", "send", contact, "OP1");
  g_autofree char *bad = event_json ("unknown-contact", "send",
                                     "00000000-0000-4000-8000-000000000000", "OP1");
  g_autofree char *body = g_strdup_printf ("{\"events\": [%s, %s]}", bad, good);
  g_autoptr(GPtrArray) errors = NULL;

  engine_fixture_configure (fixture, "egress", config);
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", body, 200);
  start (workflow);
  wait_rows (fixture->dv, workflow, options->events + 1);
  g_assert_true (cc_test_wait_until (g_str_equal (policy, "skip") ? has_skip : has_error,
                                     workflow, DEADLINE));

  stop (workflow);
  errors = cc_workflow_list_errors (workflow, 0, 0, NULL);
  if (g_str_equal (policy, "skip"))
    {
      g_assert_cmpuint (errors->len, ==, 0);
      g_assert_true (has_history (workflow, "skip", "unknown-contact"));
      g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 0);
    }
  else
    {
      CcErrorEntry *entry;

      g_assert_cmpuint (errors->len, ==, 1);
      entry = g_ptr_array_index (errors, 0);
      g_assert_cmpstr (entry->key, ==, "unknown-contact");
      g_assert_cmpuint (entry->http_status, ==, 404);
      g_assert_nonnull (strstr (entry->reason, "does not exist"));
      g_assert_nonnull (strstr (entry->reason, "00000000-0000-4000-8000-000000000000"));
      g_assert_cmpuint (cc_workflow_get_failed (workflow), ==, 1);
    }
  g_assert_cmpint (event_rows (fixture->dv), ==, options->events + 1);
}

static void
test_missing_contact_logged (EngineFixture *fixture,
                             gconstpointer  data)
{
  run_missing_contact (fixture, "error-log");
}

static void
test_missing_contact_skipped (EngineFixture *fixture,
                              gconstpointer  data)
{
  run_missing_contact (fixture, "skip");
}

/* Replay "all" writes every event again — as updates of the same rows;
 * a replay since a time only the events from that time on. */
static void
test_replay (EngineFixture *fixture,
             gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autoptr(JsonObject) middle = cc_sandbox_seed_event (options->seed, options->events / 2,
                                                        options->contacts);
  const char *since = json_object_get_string_member (middle, "timestamp");
  WrittenWait wait = { workflow, 0 };
  guint newer = 0;

  engine_fixture_configure (fixture, "egress", FAST_CONFIG);
  start (workflow);
  wait_rows (fixture->dv, workflow, options->events);

  g_assert_true (cc_workflow_replay (workflow, "all", &error));
  g_assert_no_error (error);
  wait.written = 2 * options->events;
  g_assert_true (cc_test_wait_until (written_reached, &wait, DEADLINE));
  rows = rows_by_event_id (fixture->dv);
  g_assert_cmpuint (g_hash_table_size (rows), ==, options->events);
  g_assert_true (has_history (workflow, "replay", "all"));

  for (guint i = 0; i < options->events; i++)
    {
      g_autoptr(JsonObject) event = cc_sandbox_seed_event (options->seed, i, options->contacts);
      g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 (json_object_get_string_member (event, "timestamp"), NULL);
      g_autoptr(GDateTime) b = g_date_time_new_from_iso8601 (since, NULL);

      newer += g_date_time_compare (a, b) >= 0;
    }
  g_assert_cmpuint (newer, <, options->events);
  g_assert_true (cc_workflow_replay (workflow, since, &error));
  g_assert_no_error (error);
  wait.written = 2 * options->events + newer;
  g_assert_true (cc_test_wait_until (written_reached, &wait, DEADLINE));
  /* Give the reader the time to reach the end of the journal, then
   * nothing older may have been written again. */
  stop (workflow);
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, 2 * options->events + newer);
  g_assert_cmpint (event_rows (fixture->dv), ==, options->events);
}

static gint64
campaign_gets (const char *acs)
{
  g_autoptr(JsonNode) stats = cc_test_admin (acs, "GET", "/_sandbox/stats", NULL);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats), "requests");

  return json_object_get_int_member (requests, "get");
}

typedef struct
{
  const char *acs;
  gint64      gets;
} GetsWait;

static gboolean
gets_reached (gpointer data)
{
  GetsWait *wait = data;

  return campaign_gets (wait->acs) >= wait->gets;
}

/* The documented slow path: each profile's marketing history. It lists
 * the messages sent, so it yields sends only: an open, a click or a
 * bounce is not history. */
static void
test_history_source (EngineFixture *fixture,
                     gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) deliveries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) rows = NULL;
  guint n_expected = 0, n_tracked = 0;

  /* Profiles of the first three contacts: their events are the ones the
   * history can reach. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, i);
      const char *id = json_object_get_string_member (contact, "contactid");
      g_autofree char *body = g_strdup_printf ("{\"externalId\": \"%s\", \"email\": \"%s\"}", id,
                                               json_object_get_string_member (contact, "emailaddress1"));

      cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/profiles", body, 201);
      g_hash_table_add (expected, g_strdup (id));
    }
  for (guint i = 0; i < options->events; i++)
    {
      g_autoptr(JsonObject) event = cc_sandbox_seed_event (options->seed, i, options->contacts);

      if (!g_hash_table_contains (expected, json_object_get_string_member (event, "externalId")))
        continue;
      if (!g_str_equal (json_object_get_string_member (event, "type"), "send"))
        {
          n_tracked++;
          continue;
        }
      n_expected++;
      g_hash_table_insert (deliveries, g_strdup (json_object_get_string_member (event, "mirrorPageUrl")),
                           g_strdup (json_object_get_string_member (event, "deliveryName")));
    }
  g_assert_cmpuint (n_expected, >, 0);
  g_assert_cmpuint (n_tracked, >, 0);

  engine_fixture_configure (fixture, "egress", "{ \"poll-interval\": 1, \"source\": \"history\" }");
  start (workflow);
  wait_rows (fixture->dv, workflow, n_expected);
  stop (workflow);

  rows = rows_by_event_id (fixture->dv);
  g_assert_cmpuint (g_hash_table_size (rows), ==, n_expected);
  {
    GHashTableIter iter;
    JsonObject *row;

    g_hash_table_iter_init (&iter, rows);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
      {
        const char *mirror = json_object_get_string_member (row, "new_mirrorpageurl");

        g_assert_true (g_hash_table_contains (expected, regarding_of (row)));
        g_assert_cmpstr (json_object_get_string_member (row, "@set"), ==, "new_emailsends");
        g_assert_cmpstr (json_object_get_string_member (row, "new_deliveryname"), ==,
                         g_hash_table_lookup (deliveries, mirror));
      }
  }

  /* A second run walks every history again and finds nothing new: no
   * event is queued twice. */
  {
    GetsWait gets = { fixture->acs, campaign_gets (fixture->acs) + 7 };

    start (workflow);
    g_assert_true (cc_test_wait_until (gets_reached, &gets, DEADLINE));
    stop (workflow);
  }
  g_assert_cmpuint (cc_workflow_get_written (workflow), ==, n_expected);
}

/* Posts @n "open" events of @contact, with ids "<prefix>-<i>". */
static void
post_opens (EngineFixture *fixture,
            const char    *prefix,
            guint          n,
            const char    *contact)
{
  g_autoptr(GString) body = g_string_new ("{\"events\": [");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, i);
      g_autofree char *event = event_json (id, "open", contact, "OP1");

      g_string_append_printf (body, "%s%s", i ? "," : "", event);
    }
  g_string_append (body, "]}");
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", body->str, 200);
}

/* A target column is removed from Dynamics 365 while egress writes to it:
 * egress fails at once naming it, with nothing in the error log and the
 * refused events still queued. Once the settings no longer name the
 * column, every event of before, during and after lands, once. */
static void
test_target_column_removed (EngineFixture *fixture,
                            gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  CcStore *store = cc_engine_get_store (fixture->engine);
  gint64 seeded = cc_sandbox_get_options (fixture->sandbox)->events;
  g_autofree char *contact = first_contact (fixture);
  g_autoptr(GHashTable) rows = NULL;
  const char *error;

  engine_fixture_configure (fixture, "egress", FAST_CONFIG);
  start (workflow);
  post_opens (fixture, "before", 2, contact);
  wait_rows (fixture->dv, workflow, seeded + 2);

  cc_test_admin_drop (fixture->dv, "POST",
                      "/_sandbox/schema/new_emailopen/columns/new_deliveryname/remove", NULL, 200);
  post_opens (fixture, "during", 3, contact);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  error = cc_workflow_get_last_error (workflow);
  g_test_message ("last error: %s", error);
  g_assert_nonnull (strstr (error, "“new_deliveryname”"));
  g_assert_nonnull (strstr (error, "“new_emailopen”"));
  g_assert_cmpuint (cc_store_count_errors (store, "egress", NULL), ==, 0);
  g_assert_cmpuint (cc_store_count_backlog (store, "egress", NULL), >=, 1);
  post_opens (fixture, "meanwhile", 2, contact);

  engine_fixture_configure (fixture, "egress",
                            "{ \"poll-interval\": 1, \"batch-size\": 25, \"journal-limit\": 50,"
                            "  \"target-columns\": {\"delivery-name\": \"\"} }");
  start (workflow);
  post_opens (fixture, "after", 2, contact);
  wait_rows (fixture->dv, workflow, seeded + 9);
  stop (workflow);

  rows = rows_by_event_id (fixture->dv);
  g_assert_cmpuint (g_hash_table_size (rows), ==, seeded + 9);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *during = g_strdup_printf ("during-%u", i);
      JsonObject *row = g_hash_table_lookup (rows, during);

      g_assert_nonnull (row);
      g_assert_false (json_object_has_member (row, "new_deliveryname"));
    }
  g_assert_true (g_hash_table_contains (rows, "meanwhile-1"));
  g_assert_true (g_hash_table_contains (rows, "after-1"));
  g_assert_cmpuint (cc_store_count_errors (store, "egress", NULL), ==, 0);
}

/* A journal URL that answers nothing sensible fails Starting with words. */
static void
test_schema_refused (EngineFixture *fixture,
                     gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");

  engine_fixture_configure (fixture, "egress",
                            "{ \"event-types\": {\"open\": {\"table\": \"new_emailopened\"}} }");
  start (workflow);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  g_assert_nonnull (strstr (cc_workflow_get_last_error (workflow), "new_emailopened"));

  engine_fixture_configure (fixture, "egress",
                            "{ \"target-columns\": {\"time\": \"new_eventtime\"} }");
  start (workflow);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  g_assert_nonnull (strstr (cc_workflow_get_last_error (workflow), "new_eventtime"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/egress/config/default", test_config_default);
  g_test_add_func ("/egress/config/custom", test_config_custom);
  g_test_add_func ("/egress/config/refused", test_config_refused);
  ENGINE_TEST_ADD ("/egress/every-type-lands", 40, test_every_type_lands);
  ENGINE_TEST_ADD ("/egress/bad-part", 10, test_bad_part);
  ENGINE_TEST_ADD ("/egress/missing-contact/error-log", 5, test_missing_contact_logged);
  ENGINE_TEST_ADD ("/egress/missing-contact/skip", 5, test_missing_contact_skipped);
  ENGINE_TEST_ADD ("/egress/replay", 30, test_replay);
  ENGINE_TEST_ADD ("/egress/history", 20, test_history_source);
  ENGINE_TEST_ADD ("/egress/schema-refused", 5, test_schema_refused);
  ENGINE_TEST_ADD ("/egress/target-column-removed", 5, test_target_column_removed);
  ENGINE_TEST_ADD ("/egress/two-users", 10, test_two_users);

  return g_test_run ();
}
