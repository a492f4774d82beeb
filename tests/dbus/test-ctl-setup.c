/* test-ctl-setup.c — the setup check and "Prepare Dynamics 365" through a
 * real headless engine: `campaign-connector-ctl check` and `prepare
 * dynamics`, and Manager1.CheckSetup / PrepareDynamics, against emulators
 * started without the activity tables and without a custom filter.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cc-sandbox.h"
#include "cc-test-engine.h"
#include "cc-test-util.h"

typedef struct
{
  CcSandbox    *sandbox;
  CcTestEngine *engine;
} Fixture;

static void
set_connection (Fixture    *fixture,
                const char *system,
                const char *first,
                ...)
{
  GVariantBuilder settings;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  va_list args;

  g_variant_builder_init (&settings, G_VARIANT_TYPE ("a{sv}"));
  va_start (args, first);
  for (name = first; name != NULL; name = va_arg (args, const char *))
    g_variant_builder_add (&settings, "{sv}", name, g_variant_new_string (va_arg (args, const char *)));
  va_end (args);
  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "SetConnection",
                        g_variant_new ("(sa{sv})", system, &settings), &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const args[] = { "--headless", NULL };
  static const char * const without[] = { "activity-tables", "filter:profile.byLastModifiedSince", NULL };
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *ims_url = NULL;
  g_autofree char *journal_url = NULL;
  const char *dv, *acs;

  cc_sandbox_options_init (&options);
  options.contacts = 20;
  options.without = (char **) without;
  fixture->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (fixture->sandbox, &error));
  g_assert_no_error (error);
  fixture->engine = cc_test_engine_start (args, FALSE);

  dv = cc_sandbox_get_dataverse_url (fixture->sandbox);
  acs = cc_sandbox_get_campaign_url (fixture->sandbox);
  token_url = g_strconcat (dv, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  ims_url = g_strconcat (acs, "/ims/token/v3", NULL);
  journal_url = g_strconcat (acs, "/events/journal", NULL);
  set_connection (fixture, "dynamics", "url", dv, "tenant", CC_SANDBOX_TENANT,
                  "client-id", CC_SANDBOX_CLIENT_ID, "token-url", token_url,
                  "secret", CC_SANDBOX_SECRET, NULL);
  set_connection (fixture, "campaign", "org", CC_SANDBOX_ORG, "api-key", CC_SANDBOX_API_KEY,
                  "api-url", acs, "ims-url", ims_url, "journal-url", journal_url,
                  "secret", CC_SANDBOX_SECRET, NULL);
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

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the missing items of `check [ID] --json`, sorted. */
static char *
missing_ids (const char *id,
             int        *status)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *items;

  *status = id ? cc_test_ctl (NULL, &out, NULL, "check", id, "--json", NULL)
               : cc_test_ctl (NULL, &out, NULL, "check", "--json", NULL);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  items = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_nonnull (json_object_get_string_member (item, "label"));
      if (g_str_equal (json_object_get_string_member (item, "state"), "missing"))
        g_ptr_array_add (ids, (gpointer) json_object_get_string_member (item, "id"));
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_check_and_prepare (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *missing = NULL;
  g_autofree char *out = NULL;
  int status;

  missing = missing_ids (NULL, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (missing, ==, "campaign.filter.profileAndServicesExt/profile.byLastModifiedSince "
                                "dynamics.table.new_emailbounce dynamics.table.new_emailclick "
                                "dynamics.table.new_emailopen dynamics.table.new_emailsend");
  g_clear_pointer (&missing, g_free);

  /* For people: the state, the label, why and what to do. */
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "check", "optinout", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "Missing"));
  g_assert_nonnull (strstr (out, "byLastModifiedSince"));
  g_assert_nonnull (strstr (out, "What to do: In Campaign"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "check", "ingress", NULL), ==, 0);

  /* The plan first; without a terminal and without --yes nothing changes. */
  g_assert_cmpint (cc_test_ctl ("y\n", &out, NULL, "prepare", "dynamics", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Create the activity table “new_emailsend”"));
  g_assert_nonnull (strstr (out, "--yes"));
  g_clear_pointer (&out, g_free);
  missing = missing_ids ("egress", &status);
  g_assert_cmpint (status, ==, 1);
  g_clear_pointer (&missing, g_free);

  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "prepare", "dynamics", "--yes", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "done: Create the activity table “new_emailopen”"));
  g_assert_null (strstr (out, "FAILED"));
  g_clear_pointer (&out, g_free);

  missing = missing_ids ("egress", &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (missing, ==, "");
  g_assert_cmpint (cc_test_ctl (NULL, &out, NULL, "prepare", "dynamics", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Nothing to change"));
}

static void
test_bus_refusals (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "CheckSetup",
                        g_variant_new ("(s)", "nothing"), &error);
  g_assert_null (reply);
  name = cc_test_error_name (error);
  g_assert_cmpstr (name, ==, "io.github.campaignconnector.Error.NotFound");
  g_clear_error (&error);
  g_clear_pointer (&name, g_free);

  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "PrepareDynamics",
                        g_variant_new ("(sb)", "Not-a-prefix", FALSE), &error);
  g_assert_null (reply);
  name = cc_test_error_name (error);
  g_assert_cmpstr (name, ==, "io.github.campaignconnector.Error.InvalidConfig");
  g_clear_error (&error);

  reply = cc_test_call (fixture->engine->bus, CC_TEST_PATH, CC_TEST_MANAGER, "PrepareDynamics",
                        g_variant_new ("(sb)", "", FALSE), &error);
  g_assert_no_error (error);
  steps = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (steps), >, 0);

  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "prepare", "campaign", NULL), ==, 2);
  g_assert_cmpint (cc_test_ctl (NULL, NULL, NULL, "check", "--yes", NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dbus/ctl-setup/check-and-prepare", Fixture, NULL,
              fixture_set_up, test_check_and_prepare, fixture_tear_down);
  g_test_add ("/dbus/ctl-setup/refusals", Fixture, NULL,
              fixture_set_up, test_bus_refusals, fixture_tear_down);
  return g_test_run ();
}
