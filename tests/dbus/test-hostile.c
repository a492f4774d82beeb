/* test-hostile.c — what any client on the session bus, or a careless
 * edit of config.json, can throw at the real engine: it refuses it with
 * one clear line and carries on (or, at start-up, exits 1), and never
 * crashes. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cc-test-engine.h"
#include "cc-test-util.h"

#define ERROR_PREFIX "io.github.campaignconnector.Error."
#define INGRESS_PATH CC_TEST_PATH "/workflows/ingress"

/* Deep enough to overflow the stack of a recursive parser many times. */
#define HOSTILE_DEPTH 100000

static char *
nested_arrays (guint depth)
{
  GString *text = g_string_sized_new (2 * depth);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Calls and expects the D-Bus error Error.@name; returns its message. */
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
  return g_strdup (error->message);
}

/* The engine still answers. */
static void
assert_alive (CcTestEngine *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = cc_test_call (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW,
                                            "GetConfig", NULL, &error);

  g_assert_no_error (error);
  g_assert_false (engine->exited);
}

static void
test_deep_set_config (void)
{
  static const char * const args[] = { "--headless", "--sandbox", NULL };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, FALSE);
  g_autofree char *deep = nested_arrays (HOSTILE_DEPTH);
  g_autofree char *message = NULL;

  message = expect_error (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig",
                          g_variant_new ("(s)", deep), "InvalidConfig");
  g_assert_nonnull (strstr (message, "64 levels"));
  assert_alive (engine);
  cc_test_engine_quit (engine);
}

/* Runs `campaign-connector --headless` on a configuration file holding
 * @text; it must exit 1 with one line on stderr, which is returned. */
static char *
start_with_config (const char *text)
{
  g_autofree char *program = cc_test_build_path ("src/ui/campaign-connector");
  const char *argv[] = { program, "--headless", NULL };
  g_autofree char *root = g_dir_make_tmp ("cc-hostile-XXXXXX", NULL);
  g_autofree char *config_home = g_build_filename (root, "config", NULL);
  g_autofree char *folder = g_build_filename (config_home, "campaign-connector", NULL);
  g_autofree char *path = g_build_filename (folder, "config.json", NULL);
  g_autofree char *data_home = g_build_filename (root, "data", NULL);
  g_autofree char *err = NULL;
  g_autofree char *kept = NULL;
  g_auto(GStrv) envp = cc_test_engine_environ (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config_home, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data_home, TRUE);

  g_assert_cmpint (cc_test_run (argv, envp, NULL, NULL, &err), ==, 1);
  g_strstrip (err);
  g_assert_null (strchr (err, '\n'));
  g_assert_nonnull (strstr (err, path));

  /* Nothing was written over the user's file. */
  g_file_get_contents (path, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, text);
  return g_steal_pointer (&err);
}

static void
test_deep_config_file (void)
{
  g_autofree char *deep = nested_arrays (HOSTILE_DEPTH);
  g_autofree char *text = g_strdup_printf ("{\"version\": 1, \"workflows\": %s}", deep);
  g_autofree char *err = start_with_config (text);

  g_assert_nonnull (strstr (err, "64 levels"));
}

/* A value of the wrong type, a section of the wrong shape, a token URL
 * over plain http:// to another host: refused at start-up, naming the
 * member, and the user's file is left as it is. */
static void
test_wrong_config_file (void)
{
  static const struct
  {
    const char *text;
    const char *what;
  } cases[] = {
    { "{\"version\": 1, \"connections\": {\"dynamics\": {\"url\": 12}}}",
      "connections.dynamics.url (Environment URL): must be a string" },
    { "{\"version\": 1, \"connections\": [\"oops\"]}", "connections: must be an object" },
    { "{\"version\": 1, \"connections\": {\"dynamics\": "
      "{\"token-url\": \"http://login.example.com/t/oauth2/v2.0/token\"}}}",
      "connections.dynamics.token-url" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = start_with_config (cases[i].text);

      g_assert_nonnull (strstr (err, cases[i].what));
    }
}

/* SetConnection with @key = @value on @system; returns the refusal. */
static char *
refuse_setting (CcTestEngine *engine,
                const char   *system,
                const char   *key,
                const char   *value)
{
  GVariantBuilder settings;

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", key, g_variant_new_string (value));
  return expect_error (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                       g_variant_new ("(sa{sv})", system, &settings), "InvalidConfig");
}

/* Names of any length, URLs with a request smuggled in: refused with a
 * short message that names the field, nothing stored. */
static void
test_bounds (void)
{
  static const char * const args[] = { "--headless", NULL };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, FALSE);
  g_autofree char *huge = g_strnfill (16 * 1024 * 1024, 'a');
  g_autofree char *name = g_strnfill (1000, 'a');
  g_autofree char *config = g_strdup_printf ("{\"mappings\": [{\"source\": \"%s\", "
                                             "\"target\": \"profileAndServicesExt/profile\"}]}",
                                             name);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) stored = NULL;
  gboolean secret_stored = TRUE;

  message = expect_error (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig",
                          g_variant_new ("(s)", config), "InvalidConfig");
  g_assert_nonnull (strstr (message, "mappings[0].source"));
  g_assert_nonnull (strstr (message, "longer than 128 characters"));
  g_assert_cmpuint (strlen (message), <, 300);
  g_clear_pointer (&message, g_free);
  g_clear_pointer (&config, g_free);
  config = g_strdup_printf ("{\"mappings\": [{\"source\": \"contact\", \"target\": \"%s\"}]}",
                            huge);
  message = expect_error (engine->bus, INGRESS_PATH, CC_TEST_WORKFLOW, "SetConfig",
                          g_variant_new ("(s)", config), "InvalidConfig");
  g_assert_cmpstr (message, ==, "The configuration cannot be read: it is 16.8\u00a0MB, more than "
                                "the 1.0\u00a0MB Campaign Connector accepts");
  g_clear_pointer (&message, g_free);

  message = refuse_setting (engine, "dynamics", "client-id", huge);
  g_assert_cmpstr (message, ==, "dynamics.client-id (Client (Application) ID): is longer than "
                                "256 characters");
  g_clear_pointer (&message, g_free);
  message = refuse_setting (engine, "dynamics", "secret", huge);
  g_assert_cmpstr (message, ==, "dynamics.secret (Client Secret): is longer than 1024 characters");
  g_clear_pointer (&message, g_free);
  message = refuse_setting (engine, "dynamics", "url", "http://127.0.0.1:1/\r\nHost: evil");
  g_assert_cmpstr (message, ==, "dynamics.url (Environment URL): “http://127.0.0.1:1/\\r\\nHost: "
                                "evil” contains a control character");
  g_clear_pointer (&message, g_free);
  message = refuse_setting (engine, "campaign", "api-url", "https://a b.com/");
  g_assert_true (g_str_has_prefix (message, "campaign.api-url (API Base URL): "));
  g_clear_pointer (&message, g_free);

  stored = cc_test_call (engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetConnection",
                         g_variant_new ("(s)", "dynamics"), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (g_variant_get_child_value (stored, 0), "secret-stored", "b",
                                   &secret_stored));
  g_assert_false (secret_stored);
  g_assert_false (cc_test_tree_contains (engine->root, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  cc_test_engine_quit (engine);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dbus/hostile/deep-set-config", test_deep_set_config);
  g_test_add_func ("/dbus/hostile/deep-config-file", test_deep_config_file);
  g_test_add_func ("/dbus/hostile/wrong-config-file", test_wrong_config_file);
  g_test_add_func ("/dbus/hostile/bounds", test_bounds);

  return g_test_run ();
}
