/* test-engine-sandbox.c — connections in sandbox mode live in memory only:
 * changing them leaves the keyring and the configuration file alone, and
 * the engine runs with what was set. */
#include <libsecret/secret.h>
#include <string.h>

#include "cc-error.h"
#include "cc-secrets.h"
#include "cc-test-util.h"
#include "ingress-fixture.h"

#define DEADLINE 60

/* The emulators' client secret (see campaign-connector-sandbox). */
#define SANDBOX_SECRET "sandbox-secret"

/* One small mapping, polled often, so a run gets going at once. */
#define CONTACTS_CONFIG \
  "{ \"poll-interval\": 1, \"mappings\": [ {" \
  "  \"id\": \"contacts\", \"source\": \"contact\"," \
  "  \"target\": \"profileAndServicesExt/profile\"," \
  "  \"target-key\": \"externalId\", \"key-filter\": \"byExternalId\"," \
  "  \"fields\": [ {\"source\": \"lastname\", \"target\": \"lastName\"} ] } ] }"

static void
fixture_small (EngineFixture *fixture,
               gconstpointer  data)
{
  engine_fixture_setup (fixture, 20, 0);
}

static void
fixture_teardown (EngineFixture *fixture,
                  gconstpointer  data)
{
  engine_fixture_teardown (fixture);
}

static char *
config_path (EngineFixture *fixture)
{
  return g_build_filename (fixture->dir, "config.json", NULL);
}

static char *
read_config (EngineFixture *fixture)
{
  g_autofree char *path = config_path (fixture);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* No item of the application's schema at all, and nothing to look up. */
static void
assert_keyring_empty (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  const char * const systems[] = { "dynamics", "campaign" };

  items = secret_password_search_sync (cc_secrets_get_schema (), SECRET_SEARCH_ALL, NULL,
                                       &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 0);
  g_list_free_full (items, g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (systems); i++)
    {
      g_autofree char *secret = cc_secrets_lookup (systems[i], NULL, &error);

      g_assert_null (secret);
      g_assert_error (error, CC_ERROR, CC_ERROR_NO_SECRET);
      g_clear_error (&error);
    }
}

static gboolean
set_one (CcEngine    *engine,
         const char  *system,
         const char  *key,
         const char  *value,
         GError     **error)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) settings = NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", key, g_variant_new_string (value));
  settings = g_variant_ref_sink (g_variant_builder_end (&builder));
  return cc_engine_set_connection (engine, system, settings, error);
}

static GVariant *
get_connection (CcEngine   *engine,
                const char *system)
{
  g_autoptr(GError) error = NULL;
  GVariant *connection = cc_engine_get_connection (engine, system, &error);

  g_assert_no_error (error);
  g_assert_nonnull (connection);
  return connection;
}

static gboolean
secret_stored (CcEngine   *engine,
               const char *system)
{
  g_autoptr(GVariant) connection = get_connection (engine, system);
  gboolean stored = FALSE;

  g_assert_true (g_variant_lookup (connection, "secret-stored", "b", &stored));
  return stored;
}

static char *
dup_setting (CcEngine   *engine,
             const char *system,
             const char *key)
{
  g_autoptr(GVariant) connection = get_connection (engine, system);
  char *value = NULL;

  if (!g_variant_lookup (connection, key, "s", &value))
    return NULL;
  return value;
}

/* Starts @workflow and waits until it is Failed; returns its last error. */
static char *
run_until_failed (CcWorkflow *workflow)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cc_workflow_start (workflow, &error));
  g_assert_no_error (error);
  engine_fixture_wait_status (workflow, CC_WORKFLOW_FAILED, DEADLINE);
  return g_strdup (cc_workflow_get_last_error (workflow));
}

static void
run_then_stop (CcWorkflow *workflow)
{
  engine_fixture_start (workflow, DEADLINE);
  engine_fixture_stop (workflow);
}

static void
test_wrong_secret (EngineFixture *fixture,
                   gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonObject *root;
  JsonObject *connections;

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  assert_keyring_empty ();
  before = read_config (fixture);

  g_assert_true (set_one (fixture->engine, "dynamics", "secret", "wrong", &error));
  g_assert_no_error (error);

  assert_keyring_empty ();
  after = read_config (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (secret_stored (fixture->engine, "dynamics"));
  g_assert_true (cc_engine_is_configured (fixture->engine));

  /* The run uses the secret that was set, and the emulator refuses it. */
  message = run_until_failed (ingress);
  g_assert_nonnull (strstr (message, "AADSTS7000215"));
  g_assert_null (strstr (message, "wrong"));

  g_assert_true (set_one (fixture->engine, "dynamics", "secret", SANDBOX_SECRET, &error));
  g_assert_no_error (error);
  run_then_stop (ingress);

  /* Starting saved the workflow's configuration, but no connection went
   * into the file, and still nothing into the keyring. */
  assert_keyring_empty ();
  g_clear_pointer (&after, g_free);
  after = read_config (fixture);
  g_assert_null (strstr (after, "wrong"));
  g_assert_null (strstr (after, SANDBOX_SECRET));
  saved = json_from_string (after, &error);
  g_assert_no_error (error);
  root = json_node_get_object (saved);
  if (json_object_has_member (root, "connections"))
    {
      connections = json_object_get_object_member (root, "connections");
      g_assert_cmpuint (json_object_get_size (connections), ==, 0);
    }
}

static void
test_get_connection (EngineFixture *fixture,
                     gconstpointer  data)
{
  CcWorkflow *ingress = cc_engine_find_workflow (fixture->engine, "ingress");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) connection = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *value = NULL;
  g_autofree char *message = NULL;
  g_autofree char *config = config_path (fixture);
  g_autofree char *state = g_build_filename (fixture->dir, "state.db", NULL);

  engine_fixture_configure (fixture, "ingress", CONTACTS_CONFIG);
  before = read_config (fixture);

  /* The emulators' settings to begin with. */
  value = dup_setting (fixture->engine, "dynamics", "tenant");
  g_assert_cmpstr (value, ==, "sandbox-tenant");
  g_clear_pointer (&value, g_free);
  g_assert_true (secret_stored (fixture->engine, "dynamics"));
  g_assert_true (secret_stored (fixture->engine, "campaign"));

  /* A changed setting shows, and is what the engine uses: the emulator
   * knows no such application. */
  g_assert_true (set_one (fixture->engine, "dynamics", "client-id", "other-client", &error));
  g_assert_no_error (error);
  value = dup_setting (fixture->engine, "dynamics", "client-id");
  g_assert_cmpstr (value, ==, "other-client");
  g_clear_pointer (&value, g_free);
  value = dup_setting (fixture->engine, "dynamics", "url");
  g_assert_cmpstr (value, ==, fixture->dv);
  g_clear_pointer (&value, g_free);
  after = read_config (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  message = run_until_failed (ingress);
  g_assert_nonnull (strstr (message, "other-client"));
  g_clear_pointer (&message, g_free);
  g_assert_true (set_one (fixture->engine, "dynamics", "client-id", "sandbox-client", &error));
  g_assert_no_error (error);

  /* A new secret: said to be there, never given back. */
  g_assert_true (set_one (fixture->engine, "campaign", "secret", "s3cr3t-sandbox", &error));
  g_assert_no_error (error);
  connection = get_connection (fixture->engine, "campaign");
  g_assert_false (g_variant_lookup (connection, "secret", "s", NULL));
  printed = g_variant_print (connection, TRUE);
  g_assert_null (strstr (printed, "s3cr3t-sandbox"));
  g_assert_null (strstr (printed, SANDBOX_SECRET));
  g_assert_true (secret_stored (fixture->engine, "campaign"));

  /* Checked as in normal mode, the field named; nothing changes then. */
  g_assert_false (set_one (fixture->engine, "dynamics", "url", "ftp://example.com", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "dynamics.url"));
  g_clear_error (&error);
  g_assert_false (set_one (fixture->engine, "campaign", "colour", "blue", &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "campaign.colour"));
  g_clear_error (&error);
  value = dup_setting (fixture->engine, "dynamics", "url");
  g_assert_cmpstr (value, ==, fixture->dv);
  g_clear_pointer (&value, g_free);

  /* An empty value removes a setting, or the secret. */
  g_assert_true (set_one (fixture->engine, "dynamics", "tenant", "", &error));
  g_assert_no_error (error);
  value = dup_setting (fixture->engine, "dynamics", "tenant");
  g_assert_null (value);
  g_assert_false (cc_engine_is_configured (fixture->engine));
  g_assert_true (set_one (fixture->engine, "dynamics", "tenant", "sandbox-tenant", &error));
  g_assert_no_error (error);
  g_assert_true (cc_engine_is_configured (fixture->engine));

  g_assert_true (set_one (fixture->engine, "dynamics", "secret", "", &error));
  g_assert_no_error (error);
  g_assert_false (secret_stored (fixture->engine, "dynamics"));
  g_assert_true (secret_stored (fixture->engine, "campaign"));
  g_assert_false (cc_engine_is_configured (fixture->engine));
  /* Without a secret the run fails; the real keyring is not asked. */
  message = run_until_failed (ingress);
  g_test_message ("without a secret: %s", message);
  g_assert_cmpstr (message, !=, "");
  g_clear_pointer (&message, g_free);

  assert_keyring_empty ();
  after = read_config (fixture);
  g_assert_null (strstr (after, "other-client"));
  g_assert_null (strstr (after, "s3cr3t-sandbox"));

  /* A new engine on the same files starts from the emulators' settings. */
  cc_workflow_stop (ingress);
  g_clear_object (&fixture->engine);
  fixture->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (fixture->engine, fixture->dv, fixture->acs);
  value = dup_setting (fixture->engine, "dynamics", "tenant");
  g_assert_cmpstr (value, ==, "sandbox-tenant");
  g_assert_true (secret_stored (fixture->engine, "dynamics"));
  g_assert_true (cc_engine_is_configured (fixture->engine));
  run_then_stop (cc_engine_find_workflow (fixture->engine, "ingress"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/engine-sandbox/wrong-secret", EngineFixture, NULL,
              fixture_small, test_wrong_secret, fixture_teardown);
  g_test_add ("/engine-sandbox/get-connection", EngineFixture, NULL,
              fixture_small, test_get_connection, fixture_teardown);
  return g_test_run ();
}
