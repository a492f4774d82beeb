/* test-dbus-service.c — the real `campaign-connector --headless` on the bus:
 * its object tree, live properties, errors and the secrecy of secrets. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>

#include "cc-test-engine.h"
#include "cc-test-util.h"

#define ERROR_PREFIX "io.github.campaignconnector.Error."
#define INGRESS_PATH CC_TEST_PATH "/workflows/ingress"

/* The sandbox seeds this many contacts by default; the default ingress
 * configuration moves every one of them. */
#define SANDBOX_CONTACTS 200

static const struct
{
  const char *name;
  const char *type;
} workflow_properties[] = {
  { "Id", "s" }, { "Title", "s" }, { "Subtitle", "s" }, { "Status", "s" },
  { "Backlog", "t" }, { "PendingChanges", "b" }, { "LastError", "s" },
  { "Written", "t" }, { "Failed", "t" }, { "ErrorCount", "t" }, { "RecordsPerSecond", "d" },
  { "LastActivity", "x" }, { "Waiting", "s" }, { "Notice", "s" },
};

typedef struct
{
  CcTestEngine *engine;
} Fixture;

static void
fixture_set_up_sandbox (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const args[] = { "--headless", "--sandbox", NULL };

  fixture->engine = cc_test_engine_start (args, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cc_test_engine_quit (fixture->engine);
  g_clear_pointer (&fixture->engine, cc_test_engine_free);
}

/* Calls and expects the D-Bus error io.github.campaignconnector.Error.@name;
 * returns the message (without GDBus's decoration). */
static char *
expect_error (GDBusConnection *bus,
              const char      *path,
              const char      *interface,
              const char      *method,
              GVariant        *parameters,
              const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *expected = g_strconcat (ERROR_PREFIX, name, NULL);

  reply = cc_test_call (bus, path, interface, method, parameters, &error);
  if (reply != NULL)
    g_error ("%s.%s on %s succeeded; expected %s", interface, method, path, expected);
  remote = cc_test_error_name (error);
  g_assert_cmpstr (remote, ==, expected);
  g_dbus_error_strip_remote_error (error);
  g_assert_cmpstr (error->message, !=, "");
  return g_strdup (error->message);
}

/* --- the object tree ------------------------------------------------------- */

static GDBusNodeInfo *
introspect (GDBusConnection *bus,
            const char      *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *xml;
  GDBusNodeInfo *node;

  reply = cc_test_call (bus, path, "org.freedesktop.DBus.Introspectable", "Introspect",
                        NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  return node;
}

static gboolean
node_has_child (GDBusNodeInfo *node,
                const char    *name)
{
  for (guint i = 0; node->nodes != NULL && node->nodes[i] != NULL; i++)
    if (g_strcmp0 (node->nodes[i]->path, name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_tree (Fixture       *fixture,
           gconstpointer  data)
{
  static const char * const ids[] = { "ingress", "egress", "optinout" };
  GDBusConnection *bus = fixture->engine->bus;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GVariant) listed = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) version = NULL;
  g_autoptr(GVariant) sandbox = NULL;
  g_autoptr(GVariant) windows = NULL;
  g_autoptr(GDBusNodeInfo) root = NULL;
  g_autoptr(GDBusNodeInfo) workflows = NULL;
  g_autofree const char **paths = NULL;

  /* The object manager: exactly the three workflows, every property. */
  objects = cc_test_call (bus, CC_TEST_PATH, "org.freedesktop.DBus.ObjectManager",
                          "GetManagedObjects", NULL, &error);
  g_assert_no_error (error);
  dict = g_variant_get_child_value (objects, 0);
  g_assert_cmpuint (g_variant_n_children (dict), ==, G_N_ELEMENTS (ids));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *path = g_strconcat (CC_TEST_PATH "/workflows/", ids[i], NULL);
      g_autoptr(GVariant) interfaces = g_variant_lookup_value (dict, path,
                                                               G_VARIANT_TYPE ("a{sa{sv}}"));
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) id = NULL;
      g_autoptr(GVariant) status = NULL;

      g_assert_nonnull (interfaces);
      properties = g_variant_lookup_value (interfaces, CC_TEST_WORKFLOW, G_VARIANT_TYPE_VARDICT);
      g_assert_nonnull (properties);
      g_assert_cmpuint (g_variant_n_children (properties), ==, G_N_ELEMENTS (workflow_properties));
      for (guint p = 0; p < G_N_ELEMENTS (workflow_properties); p++)
        {
          g_autoptr(GVariant) value =
            g_variant_lookup_value (properties, workflow_properties[p].name,
                                    G_VARIANT_TYPE (workflow_properties[p].type));
          if (value == NULL)
            g_error ("%s lacks %s (%s)", path, workflow_properties[p].name,
                     workflow_properties[p].type);
        }
      id = g_variant_lookup_value (properties, "Id", G_VARIANT_TYPE_STRING);
      g_assert_cmpstr (g_variant_get_string (id, NULL), ==, ids[i]);
      status = g_variant_lookup_value (properties, "Status", G_VARIANT_TYPE_STRING);
      g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "stopped");
    }

  /* ListWorkflows gives the same objects, in display order. */
  listed = cc_test_call (bus, CC_TEST_PATH, CC_TEST_MANAGER, "ListWorkflows", NULL, &error);
  g_assert_no_error (error);
  g_variant_get (listed, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 3);
  g_assert_cmpstr (paths[0], ==, INGRESS_PATH);
  g_assert_cmpstr (paths[1], ==, CC_TEST_PATH "/workflows/egress");
  g_assert_cmpstr (paths[2], ==, CC_TEST_PATH "/workflows/optinout");

  /* Introspection finds the interfaces and walks down to the workflows. */
  root = introspect (bus, CC_TEST_PATH);
  g_assert_nonnull (g_dbus_node_info_lookup_interface (root, CC_TEST_MANAGER));
  g_assert_nonnull (g_dbus_node_info_lookup_interface (root, "org.freedesktop.DBus.ObjectManager"));
  g_assert_true (node_has_child (root, "workflows"));
  workflows = introspect (bus, CC_TEST_PATH "/workflows");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (node_has_child (workflows, ids[i]));

  version = cc_test_get_property (bus, CC_TEST_PATH, CC_TEST_MANAGER, "Version");
  g_assert_cmpstr (g_variant_get_string (version, NULL), ==, PACKAGE_VERSION);
  sandbox = cc_test_get_property (bus, CC_TEST_PATH, CC_TEST_MANAGER, "Sandbox");
  g_assert_true (g_variant_get_boolean (sandbox));
  windows = cc_test_get_property (bus, CC_TEST_PATH, CC_TEST_MANAGER, "WindowCount");
  g_assert_cmpuint (g_variant_get_uint32 (windows), ==, 0);
}

/* --- live properties ------------------------------------------------------- */

typedef struct
{
  GPtrArray *statuses;        /* every Status signalled, in order */
  guint      backlog_signals; /* PropertiesChanged that carried Backlog */
  guint64    backlog;
  guint64    written;
  guint64    failed;
} Watch;

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *signal,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  Watch *watch = user_data;
  g_autoptr(GVariant) changed = NULL;
  const char *name;
  const char *status;

  g_variant_get (parameters, "(&s@a{sv}@as)", &name, &changed, NULL);
  if (g_strcmp0 (name, CC_TEST_WORKFLOW) != 0)
    return;
  if (g_variant_lookup (changed, "Status", "&s", &status))
    g_ptr_array_add (watch->statuses, g_strdup (status));
  if (g_variant_lookup (changed, "Backlog", "t", &watch->backlog))
    watch->backlog_signals++;
  g_variant_lookup (changed, "Written", "t", &watch->written);
  g_variant_lookup (changed, "Failed", "t", &watch->failed);
}

static const char *
last_status (Watch *watch)
{
  return watch->statuses->len > 0
         ? g_ptr_array_index (watch->statuses, watch->statuses->len - 1) : "";
}

static gboolean
is_running_or_failed (gpointer user_data)
{
  const char *status = last_status (user_data);

  return g_str_equal (status, "running") || g_str_equal (status, "failed");
}

static gboolean
is_stopped (gpointer user_data)
{
  return g_str_equal (last_status (user_data), "stopped");
}

static gboolean
is_drained (gpointer user_data)
{
  Watch *watch = user_data;

  return watch->backlog == 0 && watch->written + watch->failed >= SANDBOX_CONTACTS;
}

static void
assert_statuses (Watch               *watch,
                 const char * const  *expected)
{
  g_ptr_array_add (watch->statuses, NULL);
  g_assert_cmpstrv ((char **) watch->statuses->pdata, expected);
  g_ptr_array_remove_index (watch->statuses, watch->statuses->len - 1);
}

static void
test_start_stop (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const running[] = { "starting", "running", NULL };
  static const char * const stopped[] = { "starting", "running", "stopped", NULL };
  GDBusConnection *bus = fixture->engine->bus;
  Watch watch = { g_ptr_array_new_with_free_func (g_free), 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariant) history = NULL;
  g_autofree char *busy = NULL;
  gint64 started;
  double seconds;
  guint subscription;

  subscription = g_dbus_connection_signal_subscribe (bus, CC_TEST_BUS_NAME,
                                                     "org.freedesktop.DBus.Properties",
                                                     "PropertiesChanged", INGRESS_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &watch, NULL);
  status = cc_test_get_property (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "stopped");

  started = g_get_monotonic_time ();
  reply = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Start", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cc_test_wait_until (is_running_or_failed, &watch, 60));
  if (g_str_equal (last_status (&watch), "failed"))
    {
      g_autoptr(GVariant) last_error = cc_test_get_property (bus, INGRESS_PATH, CC_TEST_WORKFLOW,
                                                     "LastError");
      g_error ("ingress failed: %s", g_variant_get_string (last_error, NULL));
    }
  assert_statuses (&watch, running);

  /* A second start while running is refused. */
  busy = expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Start", NULL, "Busy");

  /* Every seeded contact is written and the backlog drains, live. */
  g_assert_true (cc_test_wait_until (is_drained, &watch, 90));
  g_assert_cmpuint (watch.written, >=, 1);

  /* Backlog changes are coalesced: at most four a second (+ the ones that
   * go out with a status change). */
  seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_test_message ("%u Backlog changes in %.1f s", watch.backlog_signals, seconds);
  g_assert_cmpfloat (watch.backlog_signals, <=, 4.0 * seconds + 4.0);

  g_clear_pointer (&reply, g_variant_unref);
  reply = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Stop", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (is_stopped, &watch, 60));
  assert_statuses (&watch, stopped);

  /* The run is in the history, newest first. */
  history = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "GetHistory",
                          g_variant_new ("(u)", 0), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) entries = g_variant_get_child_value (history, 0);
    const char *kind = NULL;

    g_assert_cmpuint (g_variant_n_children (entries), >=, 2);
    g_variant_get_child (entries, 0, "(xx&s&stt)", NULL, NULL, &kind, NULL, NULL, NULL);
    g_assert_cmpstr (kind, ==, "stop");
  }

  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_ptr_array_unref (watch.statuses);
}

/* --- bad input ------------------------------------------------------------ */

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  const char *nope = CC_TEST_PATH "/workflows/nope";
  GDBusConnection *bus = fixture->engine->bus;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) config = NULL;
  g_autoptr(GVariant) tested = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *broken = NULL;
  const char *json;
  char *message;
  gboolean ok;
  const char *said;
  GVariantBuilder settings;

  /* Manager1 */
  message = expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetWorkflow",
                          g_variant_new ("(s)", "nope"), "NotFound");
  g_assert_nonnull (strstr (message, "nope"));
  g_free (message);

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_free (expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                        g_variant_new ("(sa{sv})", "salesforce", &settings), "NotFound"));

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", "colour", g_variant_new_string ("blue"));
  message = expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                          g_variant_new ("(sa{sv})", "dynamics", &settings), "InvalidConfig");
  g_assert_nonnull (strstr (message, "colour"));
  g_free (message);

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", "tenant", g_variant_new_int32 (5));
  message = expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                          g_variant_new ("(sa{sv})", "dynamics", &settings), "InvalidConfig");
  g_assert_nonnull (strstr (message, "tenant"));
  g_free (message);

  /* Plain http only to loopback: a secret must not cross a network. */
  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", "url", g_variant_new_string ("http://example.com"));
  message = expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                          g_variant_new ("(sa{sv})", "dynamics", &settings), "InvalidConfig");
  g_assert_nonnull (strstr (message, "url"));
  g_free (message);

  g_free (expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetConnection",
                        g_variant_new ("(s)", "nope"), "NotFound"));
  g_free (expect_error (bus, CC_TEST_PATH, CC_TEST_MANAGER, "TestConnection",
                        g_variant_new ("(s)", "nope"), "NotFound"));

  /* Workflow1 on a workflow that does not exist: every method. */
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "Start", NULL, "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "Stop", NULL, "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "GetConfig", NULL, "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "SetConfig",
                        g_variant_new ("(s)", "{}"), "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "Replay",
                        g_variant_new ("(s)", "all"), "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "RetryErrors", NULL, "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "RetryError",
                        g_variant_new ("(x)", (gint64) 1), "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "GetErrors",
                        g_variant_new ("(uu)", 0, 10), "NotFound"));
  g_free (expect_error (bus, nope, CC_TEST_WORKFLOW, "GetHistory",
                        g_variant_new ("(u)", 10), "NotFound"));
  g_free (expect_error (bus, nope, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", CC_TEST_WORKFLOW, "Status"), "NotFound"));

  /* Workflow1 with bad arguments. */
  message = expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig",
                          g_variant_new ("(s)", "{\"mappings\": ["), "InvalidConfig");
  g_assert_nonnull (strstr (message, "JSON"));
  g_free (message);

  /* A valid document with one wrong field: refused, naming the field. */
  config = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "GetConfig", NULL, &error);
  g_assert_no_error (error);
  g_variant_get (config, "(&s)", &json);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  json_object_set_int_member (json_node_get_object (node), "page-size", 0);
  broken = json_to_string (node, FALSE);
  message = expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig",
                          g_variant_new ("(s)", broken), "InvalidConfig");
  g_assert_true (g_str_has_prefix (message, "page-size"));
  g_free (message);

  message = expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Replay",
                          g_variant_new ("(s)", "last tuesday"), "InvalidConfig");
  g_assert_true (g_str_has_prefix (message, "since"));
  g_free (message);

  g_free (expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "RetryError",
                        g_variant_new ("(x)", (gint64) 0), "InvalidConfig"));
  g_free (expect_error (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "RetryError",
                        g_variant_new ("(x)", (gint64) 424242), "NotFound"));

  /* The configuration refused is not the one kept. */
  {
    g_autoptr(GVariant) again = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, "GetConfig",
                                              NULL, &error);
    const char *kept;

    g_assert_no_error (error);
    g_variant_get (again, "(&s)", &kept);
    g_assert_cmpstr (kept, ==, json);
  }

  /* TestConnection answers in words, also when it works. */
  tested = cc_test_call (bus, CC_TEST_PATH, CC_TEST_MANAGER, "TestConnection",
                         g_variant_new ("(s)", "dynamics"), &error);
  g_assert_no_error (error);
  g_variant_get (tested, "(b&s)", &ok, &said);
  g_assert_true (ok);
  g_assert_nonnull (strstr (said, "contact"));
}

/* --- secrets ------------------------------------------------------------- */

static void
test_secret (void)
{
  static const char * const args[] = { "--headless", NULL };
  /* Unique enough that finding it anywhere means it leaked. */
  const char *secret = "Zq8-unique-client-secret-4711";
  const SecretSchema schema = {
    "io.github.campaignconnector.CampaignConnector.Secret", SECRET_SCHEMA_NONE,
    { { "system", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *log = NULL;
  g_autofree char *printed = NULL;
  GVariantBuilder settings;
  gboolean secret_stored = TRUE;
  const char *url = NULL;

  before = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetConnection",
                         g_variant_new ("(s)", "dynamics"), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) dict = g_variant_get_child_value (before, 0);

    g_assert_true (g_variant_lookup (dict, "secret-stored", "b", &secret_stored));
    g_assert_false (secret_stored);
  }

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", "url",
                         g_variant_new_string ("https://contoso.crm.dynamics.com"));
  g_variant_builder_add (&settings, "{sv}", "tenant", g_variant_new_string ("contoso-tenant"));
  g_variant_builder_add (&settings, "{sv}", "client-id", g_variant_new_string ("contoso-app"));
  g_variant_builder_add (&settings, "{sv}", "secret", g_variant_new_string (secret));
  reply = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                        g_variant_new ("(sa{sv})", "dynamics", &settings), &error);
  g_assert_no_error (error);

  /* In the keyring... */
  stored = secret_password_lookup_sync (&schema, NULL, &error, "system", "dynamics", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, secret);

  /* ...said to be there, but never given back... */
  after = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetConnection",
                        g_variant_new ("(s)", "dynamics"), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) dict = g_variant_get_child_value (after, 0);

    g_assert_true (g_variant_lookup (dict, "secret-stored", "b", &secret_stored));
    g_assert_true (secret_stored);
    g_assert_true (g_variant_lookup (dict, "url", "&s", &url));
    g_assert_cmpstr (url, ==, "https://contoso.crm.dynamics.com");
    g_assert_false (g_variant_lookup (dict, "secret", "s", NULL));
  }
  printed = g_variant_print (after, TRUE);
  g_assert_null (strstr (printed, secret));
  objects = cc_test_call (engine->bus, CC_TEST_PATH, "org.freedesktop.DBus.ObjectManager",
                          "GetManagedObjects", NULL, &error);
  g_assert_no_error (error);
  g_free (printed);
  printed = g_variant_print (objects, TRUE);
  g_assert_null (strstr (printed, secret));

  /* ...and nowhere on disk or in the log, also once the engine has
   * written everything out and ended. */
  cc_test_engine_quit (engine);
  config_path = g_build_filename (engine->root, "config", "campaign-connector", "config.json",
                                  NULL);
  g_assert_true (cc_test_tree_contains (config_path, "contoso-tenant"));
  g_assert_true (g_file_get_contents (engine->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "SetConnection"));
  {
    g_autofree char *db = g_build_filename (engine->root, "data", "campaign-connector",
                                            "state.db", NULL);
    g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  }
  g_assert_false (cc_test_tree_contains (engine->root, secret));
}

/* --- SIGTERM -------------------------------------------------------------- */

static gboolean
is_running (gpointer user_data)
{
  CcTestEngine *engine = user_data;
  g_autoptr(GVariant) status = cc_test_get_property (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW,
                                             "Status");
  return g_str_equal (g_variant_get_string (status, NULL), "running");
}

static void
test_sigterm (Fixture       *fixture,
              gconstpointer  data)
{
  CcTestEngine *engine = fixture->engine;
  Watch watch = { g_ptr_array_new_with_free_func (g_free), 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint subscription;

  subscription = g_dbus_connection_signal_subscribe (engine->bus, CC_TEST_BUS_NAME,
                                                     "org.freedesktop.DBus.Properties",
                                                     "PropertiesChanged", INGRESS_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &watch, NULL);
  reply = cc_test_call (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "Start", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_test_wait_until (is_running, engine, 60));

  /* The workflow stops at a safe point, says so, and the process ends well. */
  g_subprocess_send_signal (engine->process, SIGTERM);
  g_assert_true (cc_test_engine_wait_exit (engine, 60));
  g_assert_cmpint (engine->exit_status, ==, 0);
  g_assert_true (cc_test_wait_until (is_stopped, &watch, 10));

  g_dbus_connection_signal_unsubscribe (engine->bus, subscription);
  g_ptr_array_unref (watch.statuses);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dbus/service/tree", Fixture, NULL,
              fixture_set_up_sandbox, test_tree, fixture_tear_down);
  g_test_add ("/dbus/service/start-stop", Fixture, NULL,
              fixture_set_up_sandbox, test_start_stop, fixture_tear_down);
  g_test_add ("/dbus/service/bad-input", Fixture, NULL,
              fixture_set_up_sandbox, test_bad_input, fixture_tear_down);
  g_test_add ("/dbus/service/sigterm", Fixture, NULL,
              fixture_set_up_sandbox, test_sigterm, fixture_tear_down);
  g_test_add_func ("/dbus/service/secret", test_secret);
  return g_test_run ();
}
