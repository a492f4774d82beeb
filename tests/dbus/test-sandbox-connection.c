/* test-sandbox-connection.c — `campaign-connector --headless --sandbox` on
 * the bus: SetConnection changes the sandbox's connections in memory only,
 * never the keyring or a configuration file, and the engine uses them. */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "cc-test-engine.h"
#include "cc-test-util.h"

#define INGRESS_PATH CC_TEST_PATH "/workflows/ingress"
#define DEADLINE     60

static const SecretSchema schema = {
  "io.github.campaignconnector.CampaignConnector.Secret", SECRET_SCHEMA_NONE,
  { { "system", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void
assert_keyring_empty (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 0);
  g_list_free_full (items, g_object_unref);
}

static void
set_connection (GDBusConnection *bus,
                const char      *system,
                const char      *key,
                const char      *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder settings;

  g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&settings, "{sv}", key, g_variant_new_string (value));
  reply = cc_test_call (bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                        g_variant_new ("(sa{sv})", system, &settings), &error);
  g_assert_no_error (error);
}

static GVariant *
get_connection (GDBusConnection *bus,
                const char      *system)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = cc_test_call (bus, CC_TEST_PATH, CC_TEST_MANAGER, "GetConnection",
                        g_variant_new ("(s)", system), &error);
  g_assert_no_error (error);
  return g_variant_get_child_value (reply, 0);
}

static char *
get_string_property (GDBusConnection *bus,
                     const char      *name)
{
  g_autoptr(GVariant) value = cc_test_get_property (bus, INGRESS_PATH, CC_TEST_WORKFLOW, name);

  return g_variant_dup_string (value, NULL);
}

typedef struct
{
  GDBusConnection *bus;
  const char      *status;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;
  g_autofree char *status = get_string_property (wait->bus, "Status");

  return g_ascii_strcasecmp (status, wait->status) == 0;
}

static void
call_workflow (GDBusConnection *bus,
               const char      *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = cc_test_call (bus, INGRESS_PATH, CC_TEST_WORKFLOW, method, NULL, &error);
  g_assert_no_error (error);
}

static void
wait_status (GDBusConnection *bus,
             const char      *status)
{
  StatusWait wait = { bus, status };

  if (!cc_test_wait_until (has_status, &wait, DEADLINE))
    {
      g_autofree char *now = get_string_property (bus, "Status");
      g_autofree char *last = get_string_property (bus, "LastError");

      g_error ("ingress is %s (last error: %s), expected %s", now, last, status);
    }
}

static void
test_set_connection (void)
{
  static const char * const args[] = { "--headless", "--sandbox", NULL };
  g_autoptr(CcTestEngine) engine = cc_test_engine_start (args, FALSE);
  g_autoptr(GVariant) connection = NULL;
  g_autofree char *sandbox_dir = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *last_error = NULL;
  const char *client_id = NULL;
  gboolean stored = FALSE;

  assert_keyring_empty ();

  /* A changed setting shows; the secret only as "secret-stored". */
  set_connection (engine->bus, "dynamics", "client-id", "other-client");
  set_connection (engine->bus, "dynamics", "secret", "wrong");
  connection = get_connection (engine->bus, "dynamics");
  g_assert_true (g_variant_lookup (connection, "client-id", "&s", &client_id));
  g_assert_cmpstr (client_id, ==, "other-client");
  g_assert_true (g_variant_lookup (connection, "secret-stored", "b", &stored));
  g_assert_true (stored);
  g_assert_false (g_variant_lookup (connection, "secret", "s", NULL));
  printed = g_variant_print (connection, TRUE);
  g_assert_null (strstr (printed, "wrong"));
  assert_keyring_empty ();

  /* The engine runs with the wrong secret, and the emulator refuses it. */
  set_connection (engine->bus, "dynamics", "client-id", "sandbox-client");
  call_workflow (engine->bus, "Start");
  wait_status (engine->bus, "failed");
  last_error = get_string_property (engine->bus, "LastError");
  g_assert_nonnull (strstr (last_error, "AADSTS7000215"));

  /* The emulators' secret again: it runs. */
  set_connection (engine->bus, "dynamics", "secret", "sandbox-secret");
  call_workflow (engine->bus, "Start");
  wait_status (engine->bus, "running");
  call_workflow (engine->bus, "Stop");
  wait_status (engine->bus, "stopped");

  /* Neither the keyring nor any configuration file saw the connection,
   * also once the engine has written everything out and ended. */
  cc_test_engine_quit (engine);
  assert_keyring_empty ();
  config_dir = g_build_filename (engine->root, "config", NULL);
  g_assert_false (cc_test_tree_contains (config_dir, "other-client"));
  g_assert_false (cc_test_tree_contains (config_dir, "wrong"));
  g_assert_false (cc_test_tree_contains (config_dir, "sandbox-client"));
  sandbox_dir = g_build_filename (engine->root, "data", NULL);
  g_assert_false (cc_test_tree_contains (sandbox_dir, "other-client"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dbus/sandbox/set-connection", test_set_connection);
  return g_test_run ();
}
