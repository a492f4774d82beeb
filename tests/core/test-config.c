/* test-config.c — the configuration file and the connection settings, as
 * a careless edit or a hostile client would have them: each is refused
 * with one line that names the member (and the setting's label), the
 * file is never written over, and no GLib-CRITICAL is raised on the way
 * (the tests run with G_DEBUG=fatal-criticals).
 */
#include <glib/gstdio.h>
#include <string.h>

#include "cc-config.h"
#include "cc-engine.h"
#include "cc-error.h"
#include "cc-json-check.h"
#include "cc-json-parse.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cc-config-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "config.json", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Loads @text from the fixture's file as an engine does (the file, then
 * what the workflows' configurations say): it must be refused with one
 * line that starts "The configuration file <path> …" and holds @what,
 * and the file must be as it was. */
static void
assert_file_refused (Fixture    *fixture,
                     const char *text,
                     const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcConfig) config = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *start = g_strdup_printf ("The configuration file %s ", fixture->path);

  g_assert_true (g_file_set_contents (fixture->path, text, -1, &error));
  config = cc_config_load (fixture->path, &error);
  if (config != NULL)
    g_assert_false (cc_engine_check_config (config, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, start));
  g_assert_nonnull (strstr (error->message, what));
  g_assert_null (strchr (error->message, '\n'));

  g_assert_true (g_file_get_contents (fixture->path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, text);
}

static void
test_wrong_values (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct
  {
    const char *text;
    const char *what;
  } cases[] = {
    { "[]", "does not hold a JSON object" },
    { "{\"version\": \"1\"}", "version: must be a whole number (1 for this format)" },
    { "{\"Connections\": {}}", "Connections: unknown member (did you mean “connections”?)" },
    { "{\"conections\": {}}", "conections: unknown member (known here: version, connections, " },
    { "{\"connections\": [\"oops\"]}", "connections: must be an object" },
    { "{\"connections\": {\"salesforce\": {}}}", "connections.salesforce: unknown member" },
    { "{\"connections\": {\"dynamics\": 12}}", "connections.dynamics: must be an object" },
    { "{\"connections\": {\"dynamics\": {\"url\": 12}}}",
      "connections.dynamics.url (Environment URL): must be a string" },
    { "{\"connections\": {\"dynamics\": {\"colour\": \"blue\"}}}",
      "connections.dynamics.colour: unknown setting" },
    { "{\"connections\": {\"campaign\": {\"api-key\": \"a b\"}}}",
      "connections.campaign.api-key (API Key (Client ID)): contains a space" },
    { "{\"dynamics-users\": \"c1\"}", "dynamics-users: must be a list of client ids" },
    { "{\"dynamics-users\": [\"c1\", \"c 2\"]}",
      "dynamics-users[1] (Client (Application) ID): contains a space" },
    { "{\"workflows\": []}", "workflows: must be an object" },
    { "{\"workflows\": {\"ingress\": []}}", "workflows.ingress: must be an object" },
    { "{\"workflows\": {\"ingress\": {\"draft\": {}}}}", "workflows.ingress.draft: unknown member" },
    { "{\"workflows\": {\"nope\": {}}}", "workflows.nope: unknown member" },
    { "{\"workflows\": {\"egress\": {\"edited\": {\"batch-size\": \"ten\"}}}}",
      "workflows.egress.edited: batch-size: must be a whole number" },
    { "{\"workflows\": {\"ingress\": {\"applied\": {\"mappings\": {}}}}}",
      "workflows.ingress.applied: mappings: must be a list" },
  };

  g_autoptr(CcConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) users = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_file_refused (fixture, cases[i].text, cases[i].what);

  /* What the engine writes loads again. */
  g_assert_true (g_file_set_contents (fixture->path, "{\"version\": 1, \"dynamics-users\":"
                                      " [\"c1\", \"c2\"]}", -1, &error));
  config = cc_config_load (fixture->path, &error);
  g_assert_no_error (error);
  users = cc_config_get_dynamics_users (config);
  g_assert_cmpuint (g_strv_length (users), ==, 2);
}

/* A secret must never cross a network in clear text: a URL edited to
 * plain http:// to another host is refused at load, naming it. */
static void
test_plain_http (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcConfig) config = NULL;

  assert_file_refused (fixture,
                       "{\"connections\": {\"dynamics\": {\"url\": \"https://org.crm.dynamics.com\","
                       " \"token-url\": \"http://login.example.com/t/oauth2/v2.0/token\"}}}",
                       "connections.dynamics.token-url (Token URL (empty: Microsoft Entra ID "
                       "of the tenant)): “http://login.example.com/t/oauth2/v2.0/token” must "
                       "use https://");
  assert_file_refused (fixture,
                       "{\"connections\": {\"campaign\": {\"journal-url\": \"http://10.0.0.1/j\"}}}",
                       "connections.campaign.journal-url");

  /* To this computer, it may. */
  g_assert_true (g_file_set_contents (fixture->path,
                                      "{\"connections\": {\"dynamics\": "
                                      "{\"url\": \"http://127.0.0.1:8080\"}}}", -1, &error));
  config = cc_config_load (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cc_engine_check_config (config, &error));
}

static void
test_too_deep (Fixture       *fixture,
               gconstpointer  data)
{
  GString *text = g_string_new ("{\"workflows\": ");
  g_autofree char *limit = g_strdup_printf ("%u levels", CC_JSON_MAX_DEPTH);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  assert_file_refused (fixture, text->str, limit);
  g_string_free (text, TRUE);
}

/* Refuses @value for dynamics.@key with a message that starts with
 * @start and holds @what, and keeps the setting as it was. */
static void
assert_setting_refused (const char *key,
                        const char *value,
                        const char *start,
                        const char *what)
{
  g_autoptr(CcConfig) config = cc_config_new_in_memory ();
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (settings, key, value);
  g_assert_false (cc_config_set_connection (config, "dynamics", settings, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, start));
  g_assert_nonnull (strstr (error->message, what));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\r'));
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_assert_false (json_object_has_member (cc_config_get_connection (config, "dynamics"), key));
}

static void
assert_setting_accepted (const char *key,
                         const char *value)
{
  g_autoptr(CcConfig) config = cc_config_new_in_memory ();
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (settings, key, value);
  g_assert_true (cc_config_set_connection (config, "dynamics", settings, &error));
  g_assert_no_error (error);
}

static void
test_urls (void)
{
  const char *url = "dynamics.url (Environment URL): ";

  /* A header smuggled in, a space, no host, a user and password, FTP. */
  assert_setting_refused ("url", "http://127.0.0.1:1/\r\nHost: evil", url,
                          "“http://127.0.0.1:1/\\r\\nHost: evil” contains a control character");
  assert_setting_refused ("url", "https://a b.com/", url, "contains a space");
  assert_setting_refused ("url", "https://", url, "");
  assert_setting_refused ("url", "https:///path", url, "");
  assert_setting_refused ("url", "https://user:pw@org.crm.dynamics.com", url,
                          "user name or password");
  assert_setting_refused ("url", "ftp://org.crm.dynamics.com", url, "not a web address");
  assert_setting_refused ("url", "org.crm.dynamics.com", url, "");
  assert_setting_refused ("url", "http://org.crm.dynamics.com", url, "must use https://");
  assert_setting_refused ("token-url", "https://login.example.com/\t", "dynamics.token-url (Token URL", "control");

  assert_setting_accepted ("url", "https://org.crm4.dynamics.com");
  assert_setting_accepted ("url", "https://org.crm.dynamics.com:443/");
  assert_setting_accepted ("url", "http://localhost:8080");
  assert_setting_accepted ("url", "http://[::1]:8080");
  assert_setting_accepted ("token-url", "https://login.microsoftonline.com/t/oauth2/v2.0/token");
}

static void
test_lengths (void)
{
  g_autofree char *huge = g_strnfill (16 * 1024 * 1024, 'a');
  g_autofree char *long_url = g_strconcat ("https://org.crm.dynamics.com/", huge + 16 * 1024 * 1024 - 3000,
                                           NULL);
  g_autoptr(GError) error = NULL;

  assert_setting_refused ("client-id", huge, "dynamics.client-id (Client (Application) ID): ",
                          "is longer than 256 characters");
  assert_setting_refused ("tenant", "contoso tenant", "dynamics.tenant (Tenant (Directory) ID): ",
                          "contains a space");
  assert_setting_refused ("url", long_url, "dynamics.url (Environment URL): ",
                          "is longer than 2048 characters");

  g_assert_false (cc_config_check_secret ("dynamics", huge, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "dynamics.secret (Client Secret): is longer than 1024 characters");
  g_assert_true (cc_config_check_secret ("dynamics", "a-real-secret~0123456789", NULL));
}

static void
test_names (void)
{
  g_autofree char *huge = g_strnfill (100 * 1024, 'a');
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  char *value = NULL;

  /* A table name of 100 KB is no name: refused before anything reads
   * it, and the message quotes it shortened. */
  g_assert_false (cc_json_check_logical_name ("mappings[0].source", huge, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "mappings[0].source: “aaaa"));
  g_assert_nonnull (strstr (error->message, "…” is longer than 128 characters"));
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);

  /* Any other text of a configuration stops at CC_JSON_MAX_TEXT. */
  text = g_strdup_printf ("{\"separator\": \"%s\"}", huge);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_false (cc_json_check_string (json_node_get_object (node), "fields[0]", "separator",
                                        "", CC_JSON_CHECK_NONE, &value, &error));
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==, "fields[0].separator: is longer than 4096 characters");
  g_assert_null (value);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/config/file/wrong-values", Fixture, NULL, fixture_setup, test_wrong_values,
              fixture_teardown);
  g_test_add ("/config/file/plain-http", Fixture, NULL, fixture_setup, test_plain_http,
              fixture_teardown);
  g_test_add ("/config/file/too-deep", Fixture, NULL, fixture_setup, test_too_deep,
              fixture_teardown);
  g_test_add_func ("/config/settings/urls", test_urls);
  g_test_add_func ("/config/settings/lengths", test_lengths);
  g_test_add_func ("/config/settings/names", test_names);

  return g_test_run ();
}
