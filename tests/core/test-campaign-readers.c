/* test-campaign-readers.c — every reader of Campaign lists pages by
 * following next.href, never by building a _lineStart of its own.
 *
 * Adobe computes _lineStart on the server; the sandbox hands out opaque
 * tokens and refuses anything else, and counts both. Each workflow that
 * reads a Campaign list is run over more than one page of it, and must
 * read every page with no refusal. */
#include <string.h>

#include "cc-sandbox-seed.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "engine-test.h"

#define DEADLINE 120

static gint64
line_starts (EngineFixture *fixture,
             const char    *which)
{
  g_autoptr(JsonNode) stats = cc_test_admin (fixture->acs, "GET", "/_sandbox/stats", NULL);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats), "requests");
  g_autofree char *member = g_strconcat ("line_starts_", which, NULL);

  return json_object_get_int_member (requests, member);
}

static char *
contact_id (EngineFixture *fixture,
            guint          index)
{
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, index);

  return g_strdup (json_object_get_string_member (contact, "contactid"));
}

/* A profile for each of the first @n contacts, with the contact's flags. */
static void
create_profiles (EngineFixture *fixture,
                 guint          n)
{
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, i);
      g_autofree char *body = g_strdup_printf ("{\"externalId\": \"%s\", \"denyListEmail\": %s}",
                                               json_object_get_string_member (contact, "contactid"),
                                               json_object_get_boolean_member (contact, "donotbulkemail")
                                               ? "true" : "false");

      cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/profiles", body, 201);
    }
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
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  const char    *table;     /* admin path of the Dynamics table to count */
  gint64         rows;
} RowsWait;

static gboolean
rows_reached (gpointer data)
{
  RowsWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return cc_test_admin_count (wait->fixture->dv, wait->table, NULL) >= wait->rows
         && cc_workflow_get_backlog (wait->workflow) == 0;
}

/* Egress from the marketing history: the profiles are walked 100 a page,
 * and a history longer than a page is read page by page. */
static void
test_egress_history (EngineFixture *fixture,
                     gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "egress");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autofree char *busy = contact_id (fixture, 7);
  RowsWait wait = { fixture, workflow, "/_sandbox/tables/new_emailsends", 0 };

  create_profiles (fixture, options->contacts);
  for (guint i = 0; i < options->events; i++)
    {
      g_autoptr(JsonObject) event = cc_sandbox_seed_event (options->seed, i, options->contacts);

      wait.rows += g_str_equal (json_object_get_string_member (event, "type"), "send");
    }
  /* One profile with more messages than a page of its history holds. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"events\": [{\"id\": \"busy-%u\", \"type\": \"send\","
                                                " \"externalId\": \"%s\","
                                                " \"timestamp\": \"2024-07-01T09:%02u:00Z\","
                                                " \"deliveryName\": \"July\","
                                                " \"mirrorPageUrl\": \"https://m.example.com/%u\"}]}",
                                                i, busy, i, i);

      cc_test_admin_drop (fixture->acs, "POST", "/_sandbox/events", event, 200);
    }
  wait.rows += 40;

  engine_fixture_configure (fixture, "egress", "{ \"poll-interval\": 1, \"source\": \"history\" }");
  start (workflow);
  if (!cc_test_wait_until (rows_reached, &wait, DEADLINE))
    g_error ("%" G_GINT64_FORMAT " sends expected in Dynamics 365 (“%s”)", wait.rows,
             cc_workflow_get_last_error (workflow));
  stop (workflow);

  g_assert_cmpint (cc_test_admin_count (fixture->dv, wait.table, NULL), ==, wait.rows);
  /* Two pages of profiles, two of the busy history at least. */
  g_assert_cmpint (line_starts (fixture, "followed"), >=, 2);
  g_assert_cmpint (line_starts (fixture, "refused"), ==, 0);
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  const char    *contact;
} FlagWait;

static gboolean
contact_opted_out (gpointer data)
{
  FlagWait *wait = data;
  g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", wait->contact, NULL);
  g_autoptr(JsonNode) contact = cc_test_admin (wait->fixture->dv, "GET", path, NULL);

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return json_object_get_boolean_member (json_node_get_object (contact), "donotbulkemail");
}

/* Opt-in/Opt-out reads Campaign 500 profiles a page, in lastModified
 * order: a profile changed last is on the second page. */
static void
test_optinout_campaign (EngineFixture *fixture,
                        gconstpointer  data)
{
  CcWorkflow *workflow = cc_engine_find_workflow (fixture->engine, "optinout");
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autofree char *last = contact_id (fixture, options->contacts - 1);
  g_autofree char *path = g_strconcat ("/_sandbox/profiles/", last, NULL);
  g_autofree char *contact_path = g_strconcat ("/_sandbox/tables/contacts/", last, NULL);
  FlagWait wait = { fixture, workflow, last };

  create_profiles (fixture, options->contacts);
  cc_test_admin_drop (fixture->dv, "PATCH", contact_path, "{\"donotbulkemail\": false}", 200);
  cc_test_admin_drop (fixture->acs, "PATCH", path, "{\"denyListEmail\": true}", 200);

  engine_fixture_configure (fixture, "optinout",
                            "{ \"direction\": \"campaign-to-dynamics\", \"poll-interval\": 1 }");
  start (workflow);
  if (!cc_test_wait_until (contact_opted_out, &wait, DEADLINE))
    g_error ("the opt-out of profile %s never reached Dynamics 365 (“%s”)", last,
             cc_workflow_get_last_error (workflow));
  stop (workflow);

  g_assert_cmpint (line_starts (fixture, "followed"), >=, 1);
  g_assert_cmpint (line_starts (fixture, "refused"), ==, 0);
}

/* What the behaviour above cannot prove for readers yet to come: no code
 * of the engine names _lineStart at all, so none can build one. */
static void
test_no_line_start_in_core (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("CC_SOURCE_DIR"), "src", "core", NULL);
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  guint files = 0;

  g_ptr_array_add (dirs, g_strdup (root));
  while (dirs->len > 0)
    {
      g_autofree char *dir_path = g_ptr_array_steal_index (dirs, dirs->len - 1);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *text = NULL;

          if (g_file_test (path, G_FILE_TEST_IS_DIR))
            {
              g_ptr_array_add (dirs, g_steal_pointer (&path));
              continue;
            }
          if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
            continue;
          g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
          if (strstr (text, "_lineStart") != NULL)
            g_error ("%s names _lineStart: follow next.href instead", path);
          files++;
        }
    }
  g_assert_cmpuint (files, >, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/campaign-readers/no-line-start-in-core", test_no_line_start_in_core);
  ENGINE_TEST_ADD ("/campaign-readers/egress-history", 130, test_egress_history);
  ENGINE_TEST_ADD ("/campaign-readers/optinout-campaign", 510, test_optinout_campaign);

  return g_test_run ();
}
