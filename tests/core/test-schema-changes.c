/* test-schema-changes.c — ingress while schemas change under it, through
 * the emulators' schema admin API, with records changed before, during
 * and after each change: nothing is stranded, nothing lost, nothing
 * written twice.
 *
 *  - a Dynamics 365 column ingress reads goes: ingress fails naming it;
 *    once the field is out of the mapping, it goes on from where its read
 *    stood (the stored link's $select is rebuilt, its delta token, paging
 *    cookie or watermark kept) and what changed meanwhile arrives, once —
 *    with change tracking, and polled without it (deletes found by the
 *    sweep);
 *  - a field is added to a mapping: the records already in Campaign get
 *    it at the next start (a backfill, in the history), one call each,
 *    even when its "apply updates" is off;
 *  - a Campaign field ingress writes is taken out or made read-only:
 *    ingress fails at once naming it, with no record in the error log and
 *    every record still queued; once the mapping no longer writes it, they
 *    are all written.
 * The stored positions themselves are checked on a state database of
 * their own.
 */
#include "cc-error.h"
#include "cc-poll-reader.h"
#include "cc-position.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"
#include "store-fixture.h"

#define DEADLINE 90
#define CONTACTS 30

/* @fields: the field mappings, JSON. */
#define INGRESS_CONFIG(fields) \
  "{ \"poll-interval\": 1, \"write-concurrency\": 2, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"apply-deletes\": true, \"fields\": [ " fields " ] } ] }"
#define LAST_NAME "{\"source\": \"lastname\", \"target\": \"lastName\"}"
#define PHONE     "{\"source\": \"telephone1\", \"target\": \"phone\"}"
/* Written on a first load and a replay only. */
#define PHONE_ONCE "{\"source\": \"telephone1\", \"target\": \"phone\", \"apply-updates\": false}"

static CcWorkflow *
ingress_of (EngineFixture *fixture)
{
  return cc_engine_find_workflow (fixture->engine, "ingress");
}

/* The ids of the seeded contacts, in table order. */
static GPtrArray *
contact_ids (EngineFixture *fixture)
{
  g_autoptr(JsonNode) contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (contacts), "value");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                       json_array_get_object_element (rows, i), "contactid")));
  return ids;
}

static void
change_contact (EngineFixture *fixture,
                const char    *id,
                const char    *column,
                const char    *value)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s", id);
  g_autofree char *body = g_strdup_printf ("{\"%s\": \"%s\"}", column, value);
  g_autoptr(JsonNode) row = cc_test_admin (fixture->dv, "PATCH", path, body);
}

static char *
profile_value (EngineFixture *fixture,
               const char    *external_id,
               const char    *field)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/profiles/%s", external_id);
  g_autoptr(JsonNode) profile = cc_test_admin (fixture->acs, "GET", path, NULL);

  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (profile),
                                                               field, NULL));
}

typedef struct
{
  EngineFixture *fixture;
  const char    *id;
  const char    *field;
  const char    *value;
} ValueWait;

static gboolean
has_value (gpointer data)
{
  ValueWait *wait = data;
  g_autofree char *value = profile_value (wait->fixture, wait->id, wait->field);

  return g_strcmp0 (value, wait->value) == 0;
}

static void
wait_value (EngineFixture *fixture,
            const char    *id,
            const char    *field,
            const char    *value)
{
  ValueWait wait = { fixture, id, field, value };

  if (!cc_test_wait_until (has_value, &wait, DEADLINE))
    g_error ("profile %s: %s is not “%s”; ingress %s: %s", id, field, value,
             cc_workflow_status_to_string (cc_workflow_get_status (ingress_of (fixture))),
             cc_workflow_get_last_error (ingress_of (fixture)));
}

static void
start_synced (EngineFixture *fixture)
{
  engine_fixture_start (ingress_of (fixture), DEADLINE);
  engine_fixture_wait_synced (fixture, ingress_of (fixture), fixture->acs, "/_sandbox/profiles",
                              CONTACTS, DEADLINE);
}

static void
assert_no_errors (EngineFixture *fixture)
{
  g_assert_cmpuint (cc_store_count_errors (cc_engine_get_store (fixture->engine), "ingress", NULL),
                    ==, 0);
}

/* The newest history entry of @kind, or NULL. */
static CcHistoryEntry *
find_history (GPtrArray  *history,
              const char *kind)
{
  for (guint i = 0; i < history->len; i++)
    {
      CcHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_str_equal (entry->kind, kind))
        return entry;
    }
  return NULL;
}

typedef struct
{
  CcWorkflow *workflow;
  guint64     at_least;
} WrittenWait;

static gboolean
has_written (gpointer data)
{
  WrittenWait *wait = data;

  return cc_workflow_get_written (wait->workflow) >= wait->at_least;
}

static void
wait_written (CcWorkflow *workflow,
              guint64     at_least)
{
  WrittenWait wait = { workflow, at_least };

  g_assert_true (cc_test_wait_until (has_written, &wait, DEADLINE));
}

/* Exactly @n more records written since @written (the counter is
 * sampled a few times a second), and none refused. */
static void
assert_written_since (EngineFixture *fixture,
                      guint64        written,
                      guint64        n)
{
  wait_written (ingress_of (fixture), written + n);
  g_assert_cmpuint (cc_workflow_get_written (ingress_of (fixture)), ==, written + n);
  assert_no_errors (fixture);
}

/* --- a Dynamics 365 column goes ---------------------------------------------- */

static void
switch_tracking_off (EngineFixture *fixture)
{
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->dv, "POST",
                                              "/_sandbox/tables/contacts/change-tracking",
                                              "{\"enabled\": false}");
}

static void
delete_contact (EngineFixture *fixture,
                const char    *id)
{
  g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s", id);

  cc_test_admin_drop (fixture->dv, "DELETE", path, NULL, 204);
}

/* The column telephone1 goes while ingress runs (@tracked: with change
 * tracking, else polled): it fails naming it. Changed meanwhile: a last
 * name and a deleted contact. Once the phone is out of the mapping,
 * ingress reads on from where it stood: the changes of before, during and
 * after arrive, and nothing else is written. */
static void
dynamics_column_removed (EngineFixture *fixture,
                         gboolean       tracked)
{
  CcWorkflow *ingress = ingress_of (fixture);
  g_autoptr(GPtrArray) ids = contact_ids (fixture);
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  guint64 written;

  if (!tracked)
    switch_tracking_off (fixture);
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME ", " PHONE));
  start_synced (fixture);

  /* Before: written as usual. */
  change_contact (fixture, ids->pdata[0], "lastname", "Before");
  wait_value (fixture, ids->pdata[0], "lastName", "Before");

  /* The column goes: ingress fails at its next read, naming it. */
  gone = cc_test_admin (fixture->dv, "POST", "/_sandbox/schema/contact/columns/telephone1/remove",
                        NULL);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
  g_test_message ("last error: %s", cc_workflow_get_last_error (ingress));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "“telephone1”"));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "mapping “contacts”"));

  /* During: changed while ingress is down. */
  change_contact (fixture, ids->pdata[1], "lastname", "During");
  delete_contact (fixture, ids->pdata[4]);

  /* The field out of the mapping: ingress starts where its read stood,
   * and what changed meanwhile arrives — and nothing else. */
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME));
  written = cc_workflow_get_written (ingress);
  engine_fixture_start (ingress, DEADLINE);
  wait_value (fixture, ids->pdata[1], "lastName", "During");

  /* After: as usual again. */
  change_contact (fixture, ids->pdata[2], "lastname", "After");
  wait_value (fixture, ids->pdata[2], "lastName", "After");
  /* The deleted contact's profile goes too (polled: found by a sweep). */
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS - 1,
                              DEADLINE);
  /* Two updates and a delete: not the table read again. */
  assert_written_since (fixture, written, 3);
  engine_fixture_stop (ingress);
}

static void
test_dynamics_column_removed (EngineFixture *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) select = NULL;
  g_autofree char *position = NULL;

  dynamics_column_removed (fixture, TRUE);

  /* The stored link: the new columns, the change feed's token. */
  position = cc_store_get_cursor (cc_engine_get_store (fixture->engine), "ingress",
                                  "read/contacts", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (position, "delta "));
  g_assert_nonnull (strstr (position, "$deltatoken="));
  select = cc_position_dup_select (cc_engine_get_store (fixture->engine), "ingress",
                                   "read/contacts", &error);
  g_assert_cmpstrv (select, ((const char * const []) { "contactid", "lastname", NULL }));
}

static void
test_dynamics_column_removed_polled (EngineFixture *fixture,
                                     gconstpointer  data)
{
  dynamics_column_removed (fixture, FALSE);
}

/* --- a filter reads another column ------------------------------------------------ */

#define FILTERED_CONFIG(condition) \
  "{ \"poll-interval\": 1, \"write-concurrency\": 2, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"apply-deletes\": true, \"filters\": { \"delete-filtered-out\": true," \
  "  \"conditions\": [ " condition " ] }, \"fields\": [ " LAST_NAME " ] } ] }"

/* The mapping's filter moves from one column to another between two runs
 * (every seeded contact passes both): the change feed goes on from its
 * token with the new column in its $select — the change made meanwhile
 * arrives, the table is not read again — and the new filter is what
 * decides from then on. */
static void
test_filter_column_changed (EngineFixture *fixture,
                            gconstpointer  data)
{
  CcWorkflow *ingress = ingress_of (fixture);
  g_autoptr(GPtrArray) ids = contact_ids (fixture);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) select = NULL;
  g_autofree char *position = NULL;
  guint64 written;

  engine_fixture_configure (fixture, "ingress", FILTERED_CONFIG (
    "{\"field\": \"emailaddress1\", \"op\": \"is-not-null\"}"));
  start_synced (fixture);
  engine_fixture_stop (ingress);

  change_contact (fixture, ids->pdata[0], "lastname", "During");
  engine_fixture_configure (fixture, "ingress", FILTERED_CONFIG (
    "{\"field\": \"mobilephone\", \"op\": \"ne\", \"value\": \"none\"}"));
  written = cc_workflow_get_written (ingress);
  engine_fixture_start (ingress, DEADLINE);
  wait_value (fixture, ids->pdata[0], "lastName", "During");

  /* Filtered out by the new column: its profile goes. */
  change_contact (fixture, ids->pdata[1], "mobilephone", "none");
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS - 1,
                              DEADLINE);
  /* An update and a delete: not the table read again. */
  assert_written_since (fixture, written, 2);
  engine_fixture_stop (ingress);

  position = cc_store_get_cursor (cc_engine_get_store (fixture->engine), "ingress",
                                  "read/contacts", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (position, "delta "));
  select = cc_position_dup_select (cc_engine_get_store (fixture->engine), "ingress",
                                   "read/contacts", &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) select, "mobilephone"));
  g_assert_false (g_strv_contains ((const char * const *) select, "emailaddress1"));
}

/* --- the stored positions ----------------------------------------------------- */

#define API "https://org.example/api/data/v9.2/"

static void
assert_cursor (CcStore    *store,
               const char *workflow,
               const char *name,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = cc_store_get_cursor (store, workflow, name, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, expected);
}

/* Each kind of stored read position takes the new columns and keeps its
 * place; a sweep's, which reads the primary key alone, and a poll's
 * between reads, which has no URL, stay as they are. */
static void
test_positions (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const columns[] = { "contactid", "lastname", "modifiedon", NULL };
  CcPollSetup setup = {
    .workflow_id = "ingress", .table = "contact", .entity_set = "contacts",
    .primary_key = "contactid", .columns = columns, .poll_interval_s = 1,
    .cursor_name = "read/polled", .sweep_name = "sweep/polled", .version_space = "v",
    .seen_space = "s", .known_space = "k",
  };
  g_autoptr(CcPollReader) poll = cc_poll_reader_new (&setup);
  g_autoptr(GError) error = NULL;
  struct { const char *name, *before, *after; } cases[] = {
    { "read/tracked",
      "delta " API "contacts?$select=contactid,lastname,telephone1&$deltatoken=91%2108",
      "delta " API "contacts?$select=contactid,lastname,modifiedon&$deltatoken=91%2108" },
    { "replay/tracked",
      "page 2024-05-01T10:00:00Z " API "contacts?%24select=telephone1&%24skiptoken=%3Cc%3E",
      "page 2024-05-01T10:00:00Z " API "contacts?$select=contactid,lastname,modifiedon"
      "&%24skiptoken=%3Cc%3E" },
    { "replay/pending", "all", "all" },
    { "sweep/polled", "page " API "contacts?$select=contactid&$skiptoken=%3Cc%3E",
      "page " API "contacts?$select=contactid&$skiptoken=%3Cc%3E" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (cc_store_set_cursor (fixture->store, "ingress", cases[i].name,
                                          cases[i].before, &error));
      if (!g_str_has_prefix (cases[i].name, "sweep/"))
        g_assert_true (cc_position_refit_select (fixture->store, "ingress", cases[i].name,
                                                 columns, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cc_position_refit_select (fixture->store, "ingress", "read/none", columns,
                                           &error));

  /* A poll between reads, then in the middle of one. */
  g_assert_true (cc_store_set_cursor (fixture->store, "ingress", "read/polled",
                                      "poll 2024-05-01T10:00:00Z", &error));
  g_assert_true (cc_poll_reader_refit (poll, fixture->store, &error));
  assert_cursor (fixture->store, "ingress", "read/polled", "poll 2024-05-01T10:00:00Z");
  g_assert_true (cc_store_set_cursor (fixture->store, "ingress", "read/polled",
                                      "poll 2024-05-01T10:00:00Z " API "contacts"
                                      "?$select=contactid,telephone1,modifiedon"
                                      "&$filter=modifiedon%20ge%202024-05-01T10:00:00Z"
                                      "&$orderby=modifiedon%20asc&$skiptoken=%3Cc%3E", &error));
  g_assert_true (cc_poll_reader_refit (poll, fixture->store, &error));
  g_assert_no_error (error);
  assert_cursor (fixture->store, "ingress", "read/polled",
                 "poll 2024-05-01T10:00:00Z " API "contacts"
                 "?$select=contactid,lastname,modifiedon"
                 "&$filter=modifiedon%20ge%202024-05-01T10:00:00Z"
                 "&$orderby=modifiedon%20asc&$skiptoken=%3Cc%3E");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_cursor (fixture->store, "ingress", cases[i].name, cases[i].after);
  assert_cursor (fixture->store, "ingress", "read/none", NULL);
}

/* --- a field is added ------------------------------------------------------------ */

typedef struct
{
  EngineFixture *fixture;
  JsonArray     *contacts;
} PhonesWait;

/* Every profile has its contact's phone. */
static gboolean
phones_written (gpointer data)
{
  PhonesWait *wait = data;

  for (guint i = 0; i < json_array_get_length (wait->contacts); i++)
    {
      JsonObject *contact = json_array_get_object_element (wait->contacts, i);
      const char *id = json_object_get_string_member (contact, "contactid");
      const char *phone = json_object_get_string_member_with_default (contact, "telephone1", NULL);
      g_autofree char *written = profile_value (wait->fixture, id, "phone");

      if (phone != NULL && g_strcmp0 (written, phone) != 0)
        return FALSE;
    }
  return TRUE;
}

static guint
count_history (CcWorkflow *workflow,
               const char *kind)
{
  g_autoptr(GPtrArray) history = cc_workflow_list_history (workflow, 0, NULL);
  guint n = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    n += g_str_equal (((CcHistoryEntry *) g_ptr_array_index (history, i))->kind, kind);
  return n;
}

/* The phone is mapped once the profiles are in Campaign, to be written on
 * a first load only: at the next start every profile gets it, in the one
 * call each takes, beside the changes of before, during and after. */
static void
test_field_added_is_backfilled (EngineFixture *fixture,
                                gconstpointer  data)
{
  CcWorkflow *ingress = ingress_of (fixture);
  g_autoptr(GPtrArray) ids = contact_ids (fixture);
  g_autoptr(JsonNode) contacts = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  PhonesWait wait = { fixture, NULL };
  CcHistoryEntry *backfill;
  gint64 calls;

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME));
  start_synced (fixture);
  engine_fixture_stop (ingress);
  change_contact (fixture, ids->pdata[0], "lastname", "Before");

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME ", " PHONE_ONCE));
  cc_test_admin_drop (fixture->acs, "DELETE", "/_sandbox/calls", NULL, 200);
  engine_fixture_start (ingress, DEADLINE);
  change_contact (fixture, ids->pdata[1], "lastname", "During");
  contacts = cc_test_admin (fixture->dv, "GET", "/_sandbox/tables/contacts", NULL);
  wait.contacts = json_object_get_array_member (json_node_get_object (contacts), "value");
  g_assert_true (cc_test_wait_until (phones_written, &wait, DEADLINE));
  wait_value (fixture, ids->pdata[0], "lastName", "Before");
  wait_value (fixture, ids->pdata[1], "lastName", "During");
  change_contact (fixture, ids->pdata[2], "lastname", "After");
  wait_value (fixture, ids->pdata[2], "lastName", "After");
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS,
                              DEADLINE);
  /* One call per profile, one for each change not made one with its
   * profile's backfill, one for the schema. */
  calls = cc_test_admin_count (fixture->acs, "/_sandbox/calls", "count");
  g_test_message ("%" G_GINT64_FORMAT " Campaign calls", calls);
  g_assert_cmpint (calls, >=, CONTACTS);
  g_assert_cmpint (calls, <=, CONTACTS + 4);
  assert_no_errors (fixture);

  history = cc_workflow_list_history (ingress, 0, &error);
  g_assert_no_error (error);
  backfill = find_history (history, "backfill");
  g_assert_nonnull (backfill);
  g_assert_nonnull (strstr (backfill->message, "“contacts”"));
  g_assert_nonnull (strstr (backfill->message, "(phone)"));
  g_assert_cmpuint (count_history (ingress, "backfill"), ==, 2);   /* begun, read */

  /* Started again: nothing new, nothing backfilled again. */
  engine_fixture_stop (ingress);
  engine_fixture_start (ingress, DEADLINE);
  engine_fixture_stop (ingress);
  g_assert_cmpuint (count_history (ingress, "backfill"), ==, 2);
}

/* --- a Campaign field goes, or becomes read-only ------------------------------ */

static void
campaign_field_changed (EngineFixture *fixture,
                        const char    *change)
{
  CcWorkflow *ingress = ingress_of (fixture);
  g_autoptr(GPtrArray) ids = contact_ids (fixture);
  g_autofree char *admin = g_strdup_printf ("/_sandbox/schema/profile/fields/phone/%s", change);
  g_autoptr(JsonNode) changed = NULL;

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME ", " PHONE));
  start_synced (fixture);
  change_contact (fixture, ids->pdata[0], "lastname", "Before");
  wait_value (fixture, ids->pdata[0], "lastName", "Before");

  /* Campaign's field changes; then records change: their writes are
   * refused, and ingress fails at once naming the field, with nothing
   * in the error log and the records still queued. */
  changed = cc_test_admin (fixture->acs, "POST", admin, NULL);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("During %u", i);

      change_contact (fixture, ids->pdata[i], "lastname", name);
    }
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
  g_test_message ("last error: %s", cc_workflow_get_last_error (ingress));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "“phone”"));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "mapping “contacts”"));
  assert_no_errors (fixture);
  g_assert_cmpuint (cc_workflow_get_backlog (ingress), ==, 5);
  change_contact (fixture, ids->pdata[6], "lastname", "During 6");

  /* The field out of the mapping: every queued record is written. */
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME));
  engine_fixture_start (ingress, DEADLINE);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("During %u", i);

      wait_value (fixture, ids->pdata[i], "lastName", name);
    }
  change_contact (fixture, ids->pdata[7], "lastname", "After");
  wait_value (fixture, ids->pdata[7], "lastName", "After");
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS,
                              DEADLINE);
  assert_no_errors (fixture);
  engine_fixture_stop (ingress);
}

static void
test_campaign_field_removed (EngineFixture *fixture,
                             gconstpointer  data)
{
  campaign_field_changed (fixture, "remove");
}

static void
test_campaign_field_read_only (EngineFixture *fixture,
                               gconstpointer  data)
{
  campaign_field_changed (fixture, "read-only");
}

static gboolean
has_profiles (gpointer data)
{
  EngineFixture *fixture = data;

  return cc_test_admin_count (fixture->acs, "/_sandbox/profiles", NULL) >= 2;
}

/* The phone field goes from Campaign in the middle of a first load (its
 * requests slowed down): ingress fails naming it, and once the phone is
 * out of the mapping every profile is created, once, with nothing in the
 * error log — also those queued with the phone and never sent. */
static void
test_campaign_field_removed_first_load (EngineFixture *fixture,
                                        gconstpointer  data)
{
  CcWorkflow *ingress = ingress_of (fixture);
  g_autoptr(GPtrArray) ids = contact_ids (fixture);
  g_autoptr(JsonNode) changed = NULL;

  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/faults", "{\"latency_ms\": 300}", 200);
  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME ", " PHONE));
  engine_fixture_start (ingress, DEADLINE);
  /* (The written counter moves when a lease of 64 is settled.) */
  g_assert_true (cc_test_wait_until (has_profiles, fixture, DEADLINE));
  changed = cc_test_admin (fixture->acs, "POST", "/_sandbox/schema/profile/fields/phone/remove",
                           NULL);
  engine_fixture_wait_status (ingress, CC_WORKFLOW_FAILED, DEADLINE);
  cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/faults", "{\"latency_ms\": 0}", 200);
  g_test_message ("last error: %s", cc_workflow_get_last_error (ingress));
  g_assert_nonnull (strstr (cc_workflow_get_last_error (ingress), "“phone”"));
  assert_no_errors (fixture);
  g_assert_cmpint (cc_test_admin_count (fixture->acs, "/_sandbox/profiles", NULL), <, CONTACTS);

  engine_fixture_configure (fixture, "ingress", INGRESS_CONFIG (LAST_NAME));
  engine_fixture_start (ingress, DEADLINE);
  change_contact (fixture, ids->pdata[0], "lastname", "After");
  wait_value (fixture, ids->pdata[0], "lastName", "After");
  engine_fixture_wait_synced (fixture, ingress, fixture->acs, "/_sandbox/profiles", CONTACTS,
                              DEADLINE);
  assert_no_errors (fixture);
  engine_fixture_stop (ingress);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/schema/ingress/positions", Fixture, NULL, store_fixture_setup, test_positions,
              store_fixture_teardown);
  ENGINE_TEST_ADD ("/schema/ingress/dynamics-column-removed", CONTACTS,
                   test_dynamics_column_removed);
  ENGINE_TEST_ADD ("/schema/ingress/dynamics-column-removed-polled", CONTACTS,
                   test_dynamics_column_removed_polled);
  ENGINE_TEST_ADD ("/schema/ingress/filter-column-changed", CONTACTS, test_filter_column_changed);
  ENGINE_TEST_ADD ("/schema/ingress/field-added-is-backfilled", CONTACTS,
                   test_field_added_is_backfilled);
  ENGINE_TEST_ADD ("/schema/ingress/campaign-field-removed", CONTACTS,
                   test_campaign_field_removed);
  ENGINE_TEST_ADD ("/schema/ingress/campaign-field-read-only", CONTACTS,
                   test_campaign_field_read_only);
  ENGINE_TEST_ADD ("/schema/ingress/campaign-field-removed-first-load", CONTACTS,
                   test_campaign_field_removed_first_load);

  return g_test_run ();
}
