/* optinout-fixture.c — what the opt-in/opt-out tests share: the seeded
 * contacts and their profiles in the sandbox, and waiting until both
 * sides agree. */
#include <string.h>

#include "cc-optinout-private.h"
#include "cc-sandbox-seed.h"
#include "cc-test-admin.h"
#include "cc-test-util.h"
#include "optinout-fixture.h"

#define DEADLINE 60

void
optinout_switch_tracking (EngineFixture *fixture,
                          gboolean       on)
{
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->dv, "POST",
                                              "/_sandbox/tables/contacts/change-tracking",
                                              on ? "{\"enabled\": true}" : "{\"enabled\": false}");

  g_assert_cmpint (json_object_get_boolean_member (json_node_get_object (answer),
                                                   "change_tracking"), ==, on);
}

char *
optinout_contact_id (EngineFixture *fixture,
                     guint          index)
{
  const CcSandboxOptions *options = cc_sandbox_get_options (fixture->sandbox);
  g_autoptr(JsonObject) contact = cc_sandbox_seed_contact (options->seed, index);

  return g_strdup (json_object_get_string_member (contact, "contactid"));
}

JsonObject *
optinout_get_contact (EngineFixture *fixture,
                      const char    *id)
{
  g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", id, NULL);
  g_autoptr(JsonNode) node = cc_test_admin (fixture->dv, "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

JsonObject *
optinout_get_profile (EngineFixture *fixture,
                      const char    *id)
{
  g_autofree char *path = g_strconcat ("/_sandbox/profiles/", id, NULL);
  g_autoptr(JsonNode) node = cc_test_admin (fixture->acs, "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

gboolean
optinout_flag (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node);
}

void
optinout_patch_contact (EngineFixture *fixture,
                        const char    *id,
                        const char    *body)
{
  g_autofree char *path = g_strconcat ("/_sandbox/tables/contacts/", id, NULL);
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->dv, "PATCH", path, body);
}

void
optinout_patch_profile (EngineFixture *fixture,
                        const char    *id,
                        const char    *body)
{
  g_autofree char *path = g_strconcat ("/_sandbox/profiles/", id, NULL);
  g_autoptr(JsonNode) answer = cc_test_admin (fixture->acs, "PATCH", path, body);
}

void
optinout_create_profile (EngineFixture *fixture,
                         guint          index,
                         gboolean       opposite)
{
  g_autofree char *id = optinout_contact_id (fixture, index);
  g_autoptr(JsonObject) contact = optinout_get_contact (fixture, id);
  g_autofree char *body = NULL;
  gboolean bulk = optinout_flag (contact, "donotbulkemail") != opposite;
  gboolean any = optinout_flag (contact, "donotemail") != opposite;
  g_autoptr(JsonNode) answer = NULL;

  body = g_strdup_printf ("{\"externalId\": \"%s\", \"email\": \"%s\", \"denyListEmail\": %s,"
                          " \"denyList\": %s}",
                          id, json_object_get_string_member (contact, "emailaddress1"),
                          bulk ? "true" : "false", any ? "true" : "false");
  answer = cc_test_admin (fixture->acs, "POST", "/_sandbox/profiles", body);
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  const char    *contact;
  const char    *dynamics;      /* column */
  const char    *campaign;      /* flag */
  gboolean       dynamics_value;
  gboolean       campaign_value;
} ValuesWait;

static gboolean
values_reached (gpointer data)
{
  ValuesWait *wait = data;
  g_autoptr(JsonObject) contact = optinout_get_contact (wait->fixture, wait->contact);
  g_autoptr(JsonObject) profile = optinout_get_profile (wait->fixture, wait->contact);

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  return optinout_flag (contact, wait->dynamics) == wait->dynamics_value
         && optinout_flag (profile, wait->campaign) == wait->campaign_value;
}

void
optinout_wait_values (EngineFixture *fixture,
                      CcWorkflow    *workflow,
                      const char    *id,
                      const char    *dynamics,
                      gboolean       dynamics_value,
                      const char    *campaign,
                      gboolean       campaign_value)
{
  ValuesWait wait = { fixture, workflow, id, dynamics, campaign, dynamics_value, campaign_value };

  if (!cc_test_wait_until (values_reached, &wait, DEADLINE))
    g_error ("contact %s: expected %s=%d and %s=%d (status %s, “%s”)", id, dynamics,
             dynamics_value, campaign, campaign_value,
             cc_workflow_status_to_string (cc_workflow_get_status (workflow)),
             cc_workflow_get_last_error (workflow));
}

typedef struct
{
  EngineFixture *fixture;
  CcWorkflow    *workflow;
  guint          n;
} AllWait;

static gboolean
all_agree (gpointer data)
{
  AllWait *wait = data;

  g_assert_cmpint (cc_workflow_get_status (wait->workflow), !=, CC_WORKFLOW_FAILED);
  for (guint i = 0; i < wait->n; i++)
    {
      g_autofree char *id = optinout_contact_id (wait->fixture, i);
      g_autoptr(JsonObject) contact = optinout_get_contact (wait->fixture, id);
      g_autoptr(JsonObject) profile = optinout_get_profile (wait->fixture, id);

      if (optinout_flag (contact, "donotbulkemail") != optinout_flag (profile, "denyListEmail")
          || optinout_flag (contact, "donotemail") != optinout_flag (profile, "denyList"))
        return FALSE;
    }
  return cc_workflow_get_backlog (wait->workflow) == 0;
}

void
optinout_wait_all_agree (EngineFixture *fixture,
                         CcWorkflow    *workflow,
                         guint          n)
{
  AllWait wait = { fixture, workflow, n };

  if (!cc_test_wait_until (all_agree, &wait, DEADLINE))
    g_error ("the flags of %u contacts and profiles never agreed (status %s, “%s”)", n,
             cc_workflow_status_to_string (cc_workflow_get_status (workflow)),
             cc_workflow_get_last_error (workflow));
}

gboolean
optinout_has_state (EngineFixture *fixture,
                    const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = cc_store_map_get (cc_engine_get_store (fixture->engine),
                                             CC_OPTINOUT_STATE_SPACE, id, &error);

  g_assert_no_error (error);
  return state != NULL;
}

typedef struct
{
  EngineFixture *fixture;
  guint          n;
} ComparedWait;

static gboolean
all_compared (gpointer data)
{
  ComparedWait *wait = data;

  for (guint i = 0; i < wait->n; i++)
    {
      g_autofree char *id = optinout_contact_id (wait->fixture, i);

      if (!optinout_has_state (wait->fixture, id))
        return FALSE;
    }
  return TRUE;
}

void
optinout_wait_compared (EngineFixture *fixture,
                        guint          n)
{
  ComparedWait wait = { fixture, n };

  g_assert_true (cc_test_wait_until (all_compared, &wait, DEADLINE));
}

guint
optinout_count_history (CcWorkflow *workflow,
                        const char *kind,
                        const char *needle,
                        const char *needle2)
{
  g_autoptr(GPtrArray) history = cc_workflow_list_history (workflow, 0, NULL);
  guint n = 0;

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      CcHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_str_equal (entry->kind, kind) && entry->message != NULL
          && (needle == NULL || strstr (entry->message, needle) != NULL)
          && (needle2 == NULL || strstr (entry->message, needle2) != NULL))
        n++;
    }
  return n;
}

gint64
optinout_requests (const char *base_url,
                   const char *member)
{
  g_autoptr(JsonNode) stats = cc_test_admin (base_url, "GET", "/_sandbox/stats", NULL);
  JsonObject *counts = json_object_get_object_member (json_node_get_object (stats), "requests");

  return json_object_get_int_member (counts, member);
}

typedef struct
{
  const char *dv;
  const char *acs;
  gint64      dv_gets;
  gint64      acs_gets;
} ReadsWait;

static gboolean
reads_done (gpointer data)
{
  ReadsWait *wait = data;

  return optinout_requests (wait->dv, "get") >= wait->dv_gets
         && optinout_requests (wait->acs, "get") >= wait->acs_gets;
}

void
optinout_wait_reads (const char *dv,
                     const char *acs,
                     guint       n)
{
  ReadsWait wait = { dv, acs, optinout_requests (dv, "get") + n, optinout_requests (acs, "get") + n };

  g_assert_true (cc_test_wait_until (reads_done, &wait, DEADLINE));
}

/* The wall clock is in a later second than *@data (µs). */
static gboolean
second_passed (gpointer data)
{
  return g_get_real_time () / G_USEC_PER_SEC > *(gint64 *) data / G_USEC_PER_SEC;
}

void
optinout_wait_next_second (void)
{
  gint64 now = g_get_real_time ();

  g_assert_true (cc_test_wait_until (second_passed, &now, 5));
}
