/* test-ctl.c — campaign-connector-ctl against a real headless engine that
 * talks to emulators (in this process) through connections set up with
 * the ctl itself. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cc-sandbox.h"
#include "cc-test-admin.h"
#include "cc-test-engine.h"
#include "cc-test-util.h"

/* Enough contacts that the backlog is seen to drain over a few seconds. */
#define SANDBOX_CONTACTS 2000

typedef struct
{
  CcSandbox    *sandbox;
  CcTestEngine *engine;
} Fixture;

/* What PropertiesChanged said about ingress's backlog. */
typedef struct
{
  guint   signals;
  guint64 highest;
} BacklogWatch;

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *signal,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  BacklogWatch *watch = user_data;
  g_autoptr(GVariant) changed = NULL;
  guint64 backlog;

  g_variant_get (parameters, "(&s@a{sv}@as)", NULL, &changed, NULL);
  if (g_variant_lookup (changed, "Backlog", "t", &backlog))
    {
      watch->signals++;
      watch->highest = MAX (watch->highest, backlog);
    }
}

/* An error is one line, named after the program. */
static void
assert_one_error_line (const char *err)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "campaign-connector-ctl: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const args[] = { "--headless", NULL };
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = SANDBOX_CONTACTS;
  fixture->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (fixture->sandbox, &error));
  g_assert_no_error (error);
  fixture->engine = cc_test_engine_start (args, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cc_test_engine_quit (fixture->engine);
  g_clear_pointer (&fixture->engine, cc_test_engine_free);
  cc_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* The ingress object of `status ingress --json`. */
static JsonObject *
ingress_status (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", "ingress", "--json", NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_object_ref (json_array_get_object_element (array, 0));
}

static gboolean
ingress_drained (gpointer user_data)
{
  g_autoptr(JsonObject) status = ingress_status ();

  g_assert_cmpstr (json_object_get_string_member (status, "Status"), ==, "running");
  return json_object_get_int_member (status, "Backlog") == 0
         && json_object_get_int_member (status, "Written") >= SANDBOX_CONTACTS;
}

static void
test_end_to_end (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *dataverse = cc_sandbox_get_dataverse_url (fixture->sandbox);
  const char *campaign = cc_sandbox_get_campaign_url (fixture->sandbox);
  g_autofree char *url = g_strconcat ("url=", dataverse, NULL);
  g_autofree char *token_url = g_strconcat ("token-url=", dataverse,
                                            "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autofree char *api_url = g_strconcat ("api-url=", campaign, NULL);
  g_autofree char *ims_url = g_strconcat ("ims-url=", campaign, "/ims/token/v3", NULL);
  g_autofree char *journal_url = g_strconcat ("journal-url=", campaign, "/events/journal", NULL);
  g_autofree char *config_file = g_build_filename (fixture->engine->root, "ingress.json", NULL);
  g_autofree char *bad_file = g_build_filename (fixture->engine->root, "bad.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  BacklogWatch watch = { 0, 0 };
  gint64 started;
  double seconds;
  guint subscription;

  /* Dynamics 365 with a wrong secret first: the test says what the
   * server answered, in one line, and fails. */
  g_assert_cmpint (cc_test_ctl ("not-the-secret\n", NULL, NULL, "connection", "set", "dynamics", url,
                                "tenant=" CC_SANDBOX_TENANT, "client-id=" CC_SANDBOX_CLIENT_ID,
                                token_url, "--secret", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "test", "dynamics", NULL), ==, 1);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  /* The right secret only: the other settings stay. */
  g_assert_cmpint (cc_test_ctl (CC_SANDBOX_SECRET "\n", NULL, NULL, "connection", "set", "dynamics",
                                "--secret", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "test", "dynamics", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "contact"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cc_test_ctl (CC_SANDBOX_SECRET "\n", NULL, NULL, "connection", "set", "campaign",
                                "org=" CC_SANDBOX_ORG, "api-key=" CC_SANDBOX_API_KEY, api_url, ims_url,
                                journal_url, "--secret", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "connection", "test", "campaign", NULL), ==, 0);

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "get", "dynamics", NULL), ==, 0);
  g_assert_nonnull (strstr (out, CC_SANDBOX_TENANT));
  g_assert_nonnull (strstr (out, "stored in the keyring"));
  g_assert_null (strstr (out, CC_SANDBOX_SECRET));
  g_clear_pointer (&out, g_free);

  /* Start, wait until it runs, and watch the backlog drain. */
  subscription = g_dbus_connection_signal_subscribe (fixture->engine->bus, CC_TEST_BUS_NAME,
                                                     "org.freedesktop.DBus.Properties",
                                                     "PropertiesChanged",
                                                     CC_TEST_PATH "/workflows/ingress", NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &watch, NULL);
  started = g_get_monotonic_time ();
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "start", "ingress", "--wait", "--timeout", "90",
                                NULL), ==, 0);
  status = ingress_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "Status"), ==, "running");
  g_assert_true (cc_test_wait_until (ingress_drained, NULL, 90));

  /* The backlog was seen live, and its changes were coalesced: at most
   * four a second (+ the ones that go out with a status change). */
  seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_test_message ("%u Backlog changes in %.1f s, highest %" G_GUINT64_FORMAT,
                  watch.signals, seconds, watch.highest);
  g_assert_cmpuint (watch.highest, >, 0);
  g_assert_cmpfloat (watch.signals, <=, 4.0 * seconds + 4.0);
  g_dbus_connection_signal_unsubscribe (fixture->engine->bus, subscription);

  /* The table for people. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ID"));
  g_assert_nonnull (strstr (out, "BACKLOG"));
  g_assert_nonnull (strstr (out, "\ningress "));
  g_assert_nonnull (strstr (out, "Running"));
  g_assert_nonnull (strstr (out, "\noptinout "));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "list", "--json", NULL), ==, 0);
  parsed = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (parsed)), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&parsed, json_node_unref);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "errors", "ingress", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "history", "ingress", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"start\""));
  g_clear_pointer (&out, g_free);

  /* Configuration round trip; refusals in one line. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "config", "get", "ingress", NULL), ==, 0);
  parsed = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (config_file, out, -1, NULL));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "config", "set", "ingress", config_file, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_true (g_file_set_contents (bad_file, "{ \"mappings\": [", -1, NULL));
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "config", "set", "ingress", bad_file, NULL), ==, 1);
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "JSON"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "config", "set", "ingress", "/nonexistent.json",
                                NULL), ==, 1);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "replay", "ingress", "all", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "replay", "ingress", "soon", NULL), ==, 1);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "stop", "ingress", "--wait", NULL), ==, 0);
  g_clear_pointer (&status, json_object_unref);
  status = ingress_status ();
  g_assert_cmpstr (json_object_get_string_member (status, "Status"), ==, "stopped");

  /* An unknown workflow: failed (1), said in one line. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "start", "foo", NULL), ==, 1);
  g_assert_cmpstr (err, ==, "campaign-connector-ctl: workflow “foo” not found\n");
  g_clear_pointer (&err, g_free);

  /* quit ends the engine. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "quit", NULL), ==, 0);
  g_assert_true (cc_test_engine_wait_exit (fixture->engine, 60));
  g_assert_cmpint (fixture->engine->exit_status, ==, 0);
}

/* Both connections set up with the ctl, pointing at the sandbox. */
static void
connect_both (Fixture *fixture)
{
  const char *dataverse = cc_sandbox_get_dataverse_url (fixture->sandbox);
  const char *campaign = cc_sandbox_get_campaign_url (fixture->sandbox);
  g_autofree char *url = g_strconcat ("url=", dataverse, NULL);
  g_autofree char *token_url = g_strconcat ("token-url=", dataverse,
                                            "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autofree char *api_url = g_strconcat ("api-url=", campaign, NULL);
  g_autofree char *ims_url = g_strconcat ("ims-url=", campaign, "/ims/token/v3", NULL);
  g_autofree char *journal_url = g_strconcat ("journal-url=", campaign, "/events/journal", NULL);

  g_assert_cmpint (cc_test_ctl (CC_SANDBOX_SECRET "\n", NULL, NULL, "connection", "set", "dynamics", url,
                                "tenant=" CC_SANDBOX_TENANT, "client-id=" CC_SANDBOX_CLIENT_ID,
                                token_url, "--secret", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (CC_SANDBOX_SECRET "\n", NULL, NULL, "connection", "set", "campaign",
                                "org=" CC_SANDBOX_ORG, "api-key=" CC_SANDBOX_API_KEY, api_url, ims_url,
                                journal_url, "--secret", NULL), ==, 0);
}

static gboolean
has_notice (gpointer data)
{
  CcTestEngine *engine = data;
  g_autoptr(GVariant) notice = cc_test_get_property (engine->bus, CC_TEST_PATH "/workflows/optinout",
                                                     CC_TEST_WORKFLOW, "Notice");

  return *g_variant_get_string (notice, NULL) != '\0';
}

/* A notice of a run (Contact has no change tracking: it is polled) is
 * Workflow1's Notice, and `status` prints it under the table. */
static void
test_notice (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) off = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonObject *optinout;
  const char *notice;

  connect_both (fixture);
  off = cc_test_admin (cc_sandbox_get_dataverse_url (fixture->sandbox), "POST",
                       "/_sandbox/tables/contacts/change-tracking", "{\"enabled\": false}");
  g_assert_true (has_notice (fixture->engine) == FALSE);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "start", "optinout", "--wait", "--timeout", "90",
                                NULL), ==, 0);
  g_assert_true (cc_test_wait_until (has_notice, fixture->engine, 90));

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", "optinout", "--json", NULL), ==, 0);
  parsed = json_from_string (out, &error);
  g_assert_no_error (error);
  optinout = json_array_get_object_element (json_node_get_array (parsed), 0);
  g_assert_cmpstr (json_object_get_string_member (optinout, "Status"), ==, "running");
  notice = json_object_get_string_member (optinout, "Notice");
  g_assert_nonnull (strstr (notice, "“contact”"));
  g_assert_nonnull (strstr (notice, "Track changes"));
  g_clear_pointer (&out, g_free);

  /* Under the table, named by its workflow. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\noptinout: "));
  g_assert_nonnull (strstr (strstr (out, "\noptinout: "), "Track changes"));
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "stop", "optinout", "--wait", NULL), ==, 0);
}

/* The hour of ingress's activity over D-Bus, as the window's graph reads
 * it: a sample with records written. */
static gboolean
activity_wrote (gpointer data)
{
  CcTestEngine *engine = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) samples = NULL;
  GVariantIter iter;
  gint64 time_us;
  guint64 backlog;
  double rate;

  reply = cc_test_call (engine->bus, CC_TEST_PATH "/workflows/ingress", CC_TEST_WORKFLOW,
                        "GetActivity", g_variant_new ("(s)", "hour"), &error);
  g_assert_no_error (error);
  samples = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, samples);
  while (g_variant_iter_next (&iter, "(xtd)", &time_us, &backlog, &rate))
    if (rate > 0)
      return TRUE;
  return FALSE;
}

/* The activity the window's graph shows, from the shell: the engine kept
 * it while nobody looked. */
static void
test_activity (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *samples;
  gboolean wrote = FALSE;

  connect_both (fixture);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "start", "ingress", "--wait", "--timeout", "90",
                                NULL), ==, 0);
  g_assert_true (cc_test_wait_until (activity_wrote, fixture->engine, 90));

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "activity", "ingress", "--json", NULL), ==, 0);
  parsed = json_from_string (out, &error);
  g_assert_no_error (error);
  samples = json_node_get_array (parsed);
  g_assert_cmpuint (json_array_get_length (samples), >=, 2);
  for (guint i = 0; i < json_array_get_length (samples); i++)
    {
      JsonObject *sample = json_array_get_object_element (samples, i);

      g_assert_cmpint (json_object_get_int_member (sample, "time"), >, 0);
      g_assert_true (json_object_has_member (sample, "backlog"));
      wrote |= json_object_get_double_member (sample, "records-per-second") > 0;
    }
  g_assert_true (wrote);
  g_clear_pointer (&out, g_free);

  /* The day, a minute at a time, for people. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "activity", "ingress", "day", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "TIME"));
  g_assert_nonnull (strstr (out, "RECORDS/S"));

  /* Anything else is refused, by the ctl and by the engine. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "activity", "ingress", "week", NULL), ==, 2);
  assert_one_error_line (err);
  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH "/workflows/ingress",
                        CC_TEST_WORKFLOW, "GetActivity", g_variant_new ("(s)", "week"), &error);
  g_assert_null (reply);
  name = cc_test_error_name (error);
  g_assert_cmpstr (name, ==, "io.github.campaignconnector.Error.InvalidConfig");
  g_assert_nonnull (strstr (error->message, "week"));
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "stop", "ingress", "--wait", NULL), ==, 0);
}

static guint64
error_count (CcTestEngine *engine)
{
  g_autoptr(GVariant) count = cc_test_get_property (engine->bus, CC_TEST_PATH "/workflows/ingress",
                                                    CC_TEST_WORKFLOW, "ErrorCount");

  return g_variant_get_uint64 (count);
}

static gboolean
five_refused (gpointer data)
{
  return error_count (data) == 5;
}

/* The ctl's JSON output of @args as an array. */
static JsonArray *
ctl_json (const char *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cc_test_build_path ("src/cli/campaign-connector-ctl");
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, path);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--json");
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (cc_test_run ((const char * const *) argv->pdata, NULL, NULL, &out, NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (root));
}

/* A filter that no engine knows, or of the wrong type: refused, named. */
static void
assert_filter_refused (CcTestEngine *engine,
                       GVariant     *filter,
                       const char   *named)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *name = NULL;

  reply = cc_test_call (engine->bus, CC_TEST_PATH "/workflows/ingress", CC_TEST_WORKFLOW,
                        "FindErrors", g_variant_new ("(@a{sv}uu)", filter, 0, 0), &error);
  g_assert_null (reply);
  name = cc_test_error_name (error);
  g_assert_cmpstr (name, ==, "io.github.campaignconnector.Error.InvalidConfig");
  g_assert_nonnull (strstr (error->message, named));
}

/* Records Campaign refuses for two reasons, from the shell: counted in
 * `status`, grouped by reason, searched, narrowed to a record, written
 * out as CSV and retried a reason at a time. */
static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  const char *nobody = "The value 'nobody' of the 'email' property is not valid: "
                       "it is not a valid email address";
  g_autoptr(JsonArray) groups = NULL;
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(JsonArray) one = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *reason_option = g_strconcat ("--reason=", nobody, NULL);
  g_autofree char *record_option = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 count = 0;

  connect_both (fixture);
  cc_test_admin_set_emails (cc_sandbox_get_dataverse_url (fixture->sandbox), 0, 3,
                            "not an address");
  cc_test_admin_set_emails (cc_sandbox_get_dataverse_url (fixture->sandbox), 100, 2, "nobody");
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "start", "ingress", "--wait", "--timeout", "90",
                                NULL), ==, 0);
  g_assert_true (cc_test_wait_until (five_refused, fixture->engine, 90));

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\ningress: 5 records could not be written: "
                                 "campaign-connector-ctl errors ingress --by-reason says why\n"));
  g_clear_pointer (&out, g_free);

  /* Grouped: the largest reason first. */
  groups = ctl_json ("errors", "ingress", "--by-reason", NULL);
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (groups, 0), "count"),
                   ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 1),
                                                  "reason"), ==, nobody);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "errors", "ingress", "--by-reason", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "RECORDS"));
  g_clear_pointer (&out, g_free);

  /* Searched (case aside), then one record. */
  found = ctl_json ("errors", "ingress", "--search=NOBODY", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  record_option = g_strconcat ("--record=", json_object_get_string_member (
                                 json_array_get_object_element (found, 0), "key"), NULL);
  one = ctl_json ("errors", "ingress", record_option, NULL);
  g_assert_cmpuint (json_array_get_length (one), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (one, 0), "reason"),
                   ==, nobody);

  /* A table cut short says how many there are. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "errors", "ingress", "--limit=2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2 of 5 entries shown; --limit=0 shows them all."));
  g_clear_pointer (&out, g_free);

  /* CSV, every entry or one reason's, written by the engine. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "errors", "ingress", "--csv", NULL), ==, 0);
  lines = g_strsplit (out, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_cmpstr (lines[0], ==, "id,failed_at,mapping,record,operation,http_status,reason,payload");
  g_assert_cmpstr (lines[6], ==, "");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "errors", "ingress", "--csv", reason_option, NULL),
                   ==, 0);
  lines = g_strsplit (out, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_nonnull (strstr (lines[1], ",upsert,400,"));
  g_clear_pointer (&out, g_free);

  /* One reason retried, the workflow stopped so that they stay queued. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "stop", "ingress", "--wait", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "retry", "ingress", reason_option, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "2 records are queued again.\n");
  g_clear_pointer (&out, g_free);
  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH "/workflows/ingress", CC_TEST_WORKFLOW,
                        "CountErrors", g_variant_new_parsed ("(@a{sv} {},)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(t)", &count);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "errors", "ingress", reason_option, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "No entry of the error log of “ingress” matches.\n");
  g_clear_pointer (&out, g_free);

  /* Wrong uses: one line, status 2; a filter the engine does not know:
   * refused, named. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "retry", "ingress", "3", "--search=x", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "status", "--reason=x", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "errors", "ingress", "--csv", "--json", NULL), ==, 2);
  assert_one_error_line (err);
  assert_filter_refused (fixture->engine, g_variant_new_parsed ("{'color': <'red'>}"), "color");
  assert_filter_refused (fixture->engine, g_variant_new_parsed ("{'reason': <42>}"), "reason");
}

static void
test_usage (void)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, NULL, NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "frobnicate", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "--frobnicate", "status", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "start", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "status", "--wait", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "config", "set", "ingress", NULL), ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "set", "salesforce", "url=x", NULL),
                   ==, 2);
  assert_one_error_line (err);
  g_clear_pointer (&err, g_free);

  /* A secret is never taken from argv, and never repeated. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "set", "dynamics", "secret=hunter2",
                                NULL), ==, 2);
  assert_one_error_line (err);
  g_assert_null (strstr (err, "hunter2"));
  g_clear_pointer (&err, g_free);

  /* No engine on the bus: failed, in words. */
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "status", NULL), ==, 1);
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "not running"));
}

static gboolean
budget_used_up (gpointer data)
{
  CcTestEngine *engine = data;
  g_autoptr(GVariant) waiting = cc_test_get_property (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                                                      "CampaignWaitingUntil");

  return g_variant_get_int64 (waiting) > 0;
}

/* Campaign's API allowance from the shell: set with `connection set`,
 * checked (one line naming the setting), and shown by `status` and on
 * Manager1. */
static void
test_allowance (Fixture       *fixture,
                gconstpointer  data)
{
  const char *campaign = cc_sandbox_get_campaign_url (fixture->sandbox);
  g_autofree char *api_url = g_strconcat ("api-url=", campaign, NULL);
  g_autofree char *ims_url = g_strconcat ("ims-url=", campaign, "/ims/token/v3", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GVariant) cap = NULL;
  g_autoptr(GVariant) budget = NULL;
  g_autoptr(GVariant) today = NULL;
  g_autoptr(GVariant) waiting = NULL;

  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "set", "campaign",
                                "max-calls-per-second=ten", NULL), ==, 1);
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "campaign.max-calls-per-second (Most API Calls per Second"));
  g_assert_nonnull (strstr (err, "“ten” is not a whole number"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "set", "campaign",
                                "daily-call-budget=-1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "campaign.daily-call-budget ("));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "connection", "set", "campaign",
                                "max-calls-per-second=7", "daily-call-budget=5000", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "get", "campaign", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "max-calls-per-second"));
  g_assert_nonnull (strstr (out, "5000"));
  g_clear_pointer (&out, g_free);

  cap = cc_test_get_property (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                              "CampaignMaxCallsPerSecond");
  budget = cc_test_get_property (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                                 "CampaignDailyBudget");
  today = cc_test_get_property (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                                "CampaignCallsToday");
  waiting = cc_test_get_property (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER,
                                  "CampaignWaitingUntil");
  g_assert_cmpuint (g_variant_get_uint32 (cap), ==, 7);
  g_assert_cmpuint (g_variant_get_uint64 (budget), ==, 5000);
  g_assert_cmpuint (g_variant_get_uint64 (today), ==, 0);
  g_assert_cmpint (g_variant_get_int64 (waiting), ==, 0);

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Campaign API calls today (UTC): 0 of 5000"));
  g_assert_nonnull (strstr (out, "Campaign API calls per second: at most 7"));
  g_assert_null (strstr (out, "used up"));
  g_clear_pointer (&out, g_free);

  /* A budget of one call: the connection test makes it, and the next
   * test says at once that the day's allowance is used up. */
  g_assert_cmpint (cc_test_ctl (CC_SANDBOX_SECRET "\n", NULL, NULL, "connection", "set", "campaign",
                                "org=" CC_SANDBOX_ORG, "api-key=" CC_SANDBOX_API_KEY, api_url, ims_url,
                                "daily-call-budget=1", "--secret", NULL), ==, 0);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "connection", "test", "campaign", NULL), ==, 0);
  g_assert_true (cc_test_wait_until (budget_used_up, fixture->engine, 30));
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "test", "campaign", NULL), ==, 1);
  assert_one_error_line (err);
  g_assert_nonnull (strstr (err, "allowance of 1 Campaign API call is used up"));
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Campaign API calls today (UTC): 1 of 1"));
  g_assert_nonnull (strstr (out, "Today’s allowance is used up: workflows that call Campaign wait until"));
}

/* The keyring item of extra application user @client_id, or NULL. */
static char *
user_secret (const char *client_id)
{
  static const SecretSchema schema = {
    "io.github.campaignconnector.CampaignConnector.Secret", SECRET_SCHEMA_NONE,
    { { "system", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (&schema, NULL, &error, "system", "dynamics-user",
                                              "client-id", client_id, NULL);

  g_assert_no_error (error);
  return secret;
}

/* The Dynamics 365 connection's application users through the ctl: the
 * secret goes to the keyring only, the list and the configuration file
 * hold the client id, never the secret; repeats, unknown users and a
 * missing secret are refused. */
static void
test_dynamics_users (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *config_path = g_build_filename (fixture->engine->root, "config",
                                                   "campaign-connector", "config.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  g_assert_cmpint (cc_test_ctl ("", NULL, &err, "connection", "add-user", "second-app", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "no secret"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cc_test_ctl ("second-secret\n", &out, NULL, "connection", "add-user",
                                "second-app", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "second-app"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cc_test_ctl ("again\n", NULL, &err, "connection", "add-user", "second-app",
                                NULL), ==, 1);
  g_assert_nonnull (strstr (err, "second-app"));
  g_clear_pointer (&err, g_free);

  stored = user_secret ("second-app");
  g_assert_cmpstr (stored, ==, "second-secret");
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "users", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "second-app\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "users", "--json", NULL), ==, 0);
  parsed = json_from_string (out, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (parsed), 0), ==,
                   "second-app");
  g_assert_null (strstr (out, "second-secret"));
  g_clear_pointer (&out, g_free);
  g_assert_true (cc_test_tree_contains (config_path, "second-app"));
  g_assert_false (cc_test_tree_contains (fixture->engine->root, "second-secret"));

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "connection", "remove-user", "second-app",
                                NULL), ==, 0);
  g_assert_null (user_secret ("second-app"));
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "connection", "users", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (cc_test_ctl (NULL, NULL, &err, "connection", "remove-user", "second-app",
                                NULL), ==, 1);
  g_assert_nonnull (strstr (err, "second-app"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dbus/ctl/usage", test_usage);
  g_test_add ("/dbus/ctl/end-to-end", Fixture, NULL,
              fixture_set_up, test_end_to_end, fixture_tear_down);
  g_test_add ("/dbus/ctl/allowance", Fixture, NULL,
              fixture_set_up, test_allowance, fixture_tear_down);
  g_test_add ("/dbus/ctl/notice", Fixture, NULL,
              fixture_set_up, test_notice, fixture_tear_down);
  g_test_add ("/dbus/ctl/activity", Fixture, NULL,
              fixture_set_up, test_activity, fixture_tear_down);
  g_test_add ("/dbus/ctl/errors", Fixture, NULL,
              fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/dbus/ctl/dynamics-users", Fixture, NULL,
              fixture_set_up, test_dynamics_users, fixture_tear_down);
  return g_test_run ();
}
