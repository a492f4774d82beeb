/* test-campaign-client.c — CcCampaignClient against the emulated Campaign
 * Standard API, Adobe IMS and the I/O Events journal: metadata, profile
 * round trips, rejections, paging, the journal and marketing history.
 */
#include <string.h>

#include "cc-error.h"
#include "client-fixture.h"

#define PROFILE "profileAndServicesExt/profile"

static JsonObject *
profile_body (const char *external_id,
              const char *email,
              const char *first,
              const char *last)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "externalId", external_id);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "firstName", first);
  json_object_set_string_member (body, "lastName", last);
  return body;
}

/* --- metadata ------------------------------------------------------ */

static void
test_resource_type (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(CcCampaignResourceType) profile = NULL;
  g_autoptr(CcCampaignResourceType) membership = NULL;
  g_autoptr(CcCampaignResourceType) missing = NULL;
  g_autoptr(GError) error = NULL;
  const CcCampaignField *field;

  g_assert_true (cc_campaign_client_authenticate (fixture->campaign, NULL, &error));
  g_assert_no_error (error);

  profile = cc_campaign_client_get_resource_type (fixture->campaign, PROFILE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->resource, ==, PROFILE);
  field = cc_campaign_resource_type_find_field (profile, "email");
  g_assert_nonnull (field);
  g_assert_cmpstr (field->type, ==, "string");
  g_assert_cmpint (field->length, >, 0);
  g_assert_false (field->read_only);
  field = cc_campaign_resource_type_find_field (profile, "lastModified");
  g_assert_nonnull (field);
  g_assert_true (field->read_only);
  field = cc_campaign_resource_type_find_field (profile, "denyListEmail");
  g_assert_nonnull (field);
  g_assert_cmpstr (field->type, ==, "boolean");
  g_assert_nonnull (cc_campaign_resource_type_find_field (profile, "cusTier"));
  g_assert_nonnull (cc_campaign_resource_type_find_field (profile, "externalId"));
  g_assert_null (cc_campaign_resource_type_find_field (profile, "noSuchField"));

  membership = cc_campaign_client_get_resource_type (fixture->campaign,
                                                     "customResources/cusMembership", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cc_campaign_resource_type_find_field (membership, "cusMembershipId"));
  g_assert_nonnull (cc_campaign_resource_type_find_field (membership, "cusLevel"));

  missing = cc_campaign_client_get_resource_type (fixture->campaign, "customResources/cusNothing",
                                                  NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, CC_ERROR, CC_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "customResources/cusNothing"));
}

/* --- records --------------------------------------------------------- */

static void
test_profile_round_trip (ClientFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) body = profile_body ("c-0001", "jose.muller@example.com", "José", "Müller");
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(JsonObject) read_only = json_object_new ();
  g_autoptr(CcCampaignResult) created = NULL;
  g_autoptr(CcCampaignResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *pkey = NULL;
  CcHttpStats before, after;

  created = cc_campaign_client_create (fixture->campaign, PROFILE, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_campaign_result_is_success (created));
  g_assert_nonnull (created->pkey);
  g_assert_nonnull (created->record);
  g_assert_cmpstr (json_object_get_string_member (created->record, "lastName"), ==, "Müller");
  pkey = g_strdup (created->pkey);

  /* By the configured filter on the key field… */
  result = cc_campaign_client_find (fixture->campaign, PROFILE, "byExternalId", "externalId",
                                    "c-0001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_nonnull (result->record);
  g_assert_cmpstr (result->pkey, ==, pkey);
  g_assert_cmpstr (json_object_get_string_member (result->record, "firstName"), ==, "José");

  /* …and by the custom key in the path. */
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_find (fixture->campaign, PROFILE, NULL, NULL, "c-0001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->pkey, ==, pkey);

  json_object_set_string_member (change, "lastName", "山田");
  json_object_set_boolean_member (change, "denyListEmail", TRUE);
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_patch (fixture->campaign, PROFILE, pkey, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_campaign_result_is_success (result));
  stored = client_admin (fixture, "GET", "profiles/c-0001", NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "lastName"), ==, "山田");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (stored), "denyListEmail"));

  /* Campaign's 500 for a read-only field is a rejection: returned, and
   * not retried. */
  cc_http_get_stats (cc_campaign_client_get_http (fixture->campaign), &before);
  json_object_set_string_member (read_only, "lastModified", "2020-01-01 00:00:00.000Z");
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_patch (fixture->campaign, PROFILE, pkey, read_only, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 500);
  g_assert_nonnull (strstr (result->message, "read-only"));
  cc_http_get_stats (cc_campaign_client_get_http (fixture->campaign), &after);
  g_assert_cmpuint (after.retries, ==, before.retries);

  /* A second create with the same key is refused. */
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_create (fixture->campaign, PROFILE, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, >=, 400);
  g_assert_cmpuint (result->status, <, 500);
  g_assert_nonnull (result->message);

  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_delete (fixture->campaign, PROFILE, pkey, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_campaign_result_is_success (result));
  client_admin_drop (fixture, "GET", "profiles/c-0001", NULL, 404);

  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_find (fixture->campaign, PROFILE, "byExternalId", "externalId",
                                    "c-0001", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (result->record);
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_find (fixture->campaign, PROFILE, NULL, NULL, "c-0001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_null (result->record);
}

static void
test_invalid_email_rejected (ClientFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) body = profile_body ("c-bad", "not an address", "Zoë", "O'Brien");
  g_autoptr(CcCampaignResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = cc_campaign_client_create (fixture->campaign, PROFILE, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 400);
  g_assert_nonnull (result->message);
  g_assert_nonnull (strstr (result->message, "email"));
  g_assert_null (result->record);
  client_admin_drop (fixture, "GET", "profiles/c-bad", NULL, 404);
}

static void
test_custom_resource (ClientFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(CcCampaignResult) result = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "cusMembershipId", "m-42");
  json_object_set_string_member (body, "cusName", "Gold club");
  json_object_set_string_member (body, "cusLevel", "Gold");
  result = cc_campaign_client_create (fixture->campaign, "customResources/cusMembership", body,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_campaign_result_is_success (result));

  /* Patched by its custom key. */
  json_object_set_string_member (change, "cusLevel", "Silver");
  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_patch (fixture->campaign, "customResources/cusMembership", "m-42",
                                     change, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cc_campaign_result_is_success (result));

  g_clear_pointer (&result, cc_campaign_result_free);
  result = cc_campaign_client_find (fixture->campaign, "customResources/cusMembership",
                                    "byCusMembershipId", "cusMembershipId", "m-42", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result->record);
  g_assert_cmpstr (json_object_get_string_member (result->record, "cusLevel"), ==, "Silver");
}

/* --- lists ----------------------------------------------------------- */

static void
test_paging (ClientFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = NULL;
  const char *params[] = { "text", "pager", NULL };
  guint pages = 0;

  for (guint i = 0; i < 130; i++)
    {
      g_autofree char *id = g_strdup_printf ("p-%03u", i);
      g_autofree char *email = g_strdup_printf ("pager.%u@example.com", i);
      g_autoptr(JsonObject) body = profile_body (id, email, "Søren", "Pager");
      g_autoptr(CcCampaignResult) result = NULL;
      g_autoptr(GError) error = NULL;

      result = cc_campaign_client_create (fixture->campaign, PROFILE, body, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (cc_campaign_result_is_success (result));
    }

  url = cc_campaign_client_build_list_url (fixture->campaign, PROFILE, "byText", params,
                                           "externalId desc", 40);
  g_assert_nonnull (strstr (url, "_forcePagination=true"));
  g_assert_nonnull (strstr (url, "_lineCount=40"));
  g_assert_nonnull (strstr (url, "_order=externalId%20desc"));

  while (url != NULL)
    {
      g_autoptr(CcCampaignPage) page = NULL;
      g_autoptr(GError) error = NULL;

      page = cc_campaign_client_read_page (fixture->campaign, url, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->records->len, <=, 40);
      pages++;
      for (guint i = 0; i < page->records->len; i++)
        {
          const char *id = json_object_get_string_member (g_ptr_array_index (page->records, i),
                                                          "externalId");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }
      g_free (url);
      url = g_steal_pointer (&page->next_url);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 130);
  g_assert_cmpuint (pages, >=, 4);
}

/* --- journal and history ------------------------------------------- */

static void
test_journal (ClientFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = cc_campaign_client_build_journal_url (fixture->campaign, NULL, 10);
  g_autofree char *resume = NULL;
  g_autoptr(CcCampaignJournalPage) after = NULL;
  g_autoptr(GError) error = NULL;
  gboolean empty = FALSE;
  guint pages = 0;

  g_assert_nonnull (strstr (url, "limit=10"));
  while (!empty)
    {
      g_autoptr(CcCampaignJournalPage) page = NULL;

      page = cc_campaign_client_read_journal (fixture->campaign, url, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page->next_url);
      g_assert_cmpuint (page->events->len, <=, 10);
      g_assert_cmpuint (++pages, <, 100);
      for (guint i = 0; i < page->events->len; i++)
        {
          CcCampaignJournalEvent *event = g_ptr_array_index (page->events, i);

          g_assert_false (g_hash_table_contains (positions, event->position));
          g_hash_table_add (positions, g_strdup (event->position));
          g_assert_nonnull (json_object_get_string_member (event->event, "type"));
          g_assert_nonnull (json_object_get_string_member (event->event, "externalId"));
        }
      empty = page->events->len == 0;
      g_free (url);
      url = g_steal_pointer (&page->next_url);
    }
  g_assert_cmpuint (g_hash_table_size (positions), ==, N_EVENTS);

  /* The 204's next URL asks again from the same place: new events show
   * up there, and only those. */
  client_admin_drop (fixture, "POST", "events", "{\"generate\": 3}", 200);
  after = cc_campaign_client_read_journal (fixture->campaign, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->events->len, ==, 3);
  for (guint i = 0; i < after->events->len; i++)
    g_assert_false (g_hash_table_contains (positions,
                                           ((CcCampaignJournalEvent *) g_ptr_array_index (after->events, i))->position));
  g_assert_nonnull (after->last_position);

  /* Resuming from a stored position. */
  resume = cc_campaign_client_build_journal_url (fixture->campaign, after->last_position, 0);
  {
    g_autoptr(CcCampaignJournalPage) nothing = NULL;

    nothing = cc_campaign_client_read_journal (fixture->campaign, resume, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (nothing->events->len, ==, 0);
  }
}

static void
test_journal_bad_position (ClientFixture *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = cc_campaign_client_build_journal_url (fixture->campaign, "not-a-position", 5);
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = cc_campaign_client_read_journal (fixture->campaign, url, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_EXPIRED_CURSOR);
}

/* The history lists the messages sent to a profile: its sends, read
 * through every page of events.href. */
static void
test_history (ClientFixture *fixture,
              gconstpointer  data)
{
  g_autofree char *url = cc_campaign_client_build_journal_url (fixture->campaign, NULL, 1000);
  g_autoptr(CcCampaignJournalPage) all = NULL;
  g_autoptr(CcCampaignResult) created = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *external_id = NULL;
  guint expected = 0;

  all = cc_campaign_client_read_journal (fixture->campaign, url, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->events->len; i++)
    {
      JsonObject *event = ((CcCampaignJournalEvent *) g_ptr_array_index (all->events, i))->event;

      if (g_strcmp0 (json_object_get_string_member (event, "type"), "send") != 0)
        continue;
      if (external_id == NULL)
        external_id = json_object_get_string_member (event, "externalId");
      if (g_strcmp0 (json_object_get_string_member (event, "externalId"), external_id) == 0)
        expected++;
    }
  g_assert_cmpuint (expected, >=, 1);

  /* More sends than one page of the history holds (25 by default). */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"events\":[{\"id\":\"more-%u\",\"type\":\"send\","
                                                "\"externalId\":\"%s\",\"timestamp\":\"2024-06-01T08:%02u:00Z\","
                                                "\"deliveryName\":\"June\",\"mirrorPageUrl\":\"https://m.example.com/%u\"}]}",
                                                i, external_id, i, i);

      client_admin_drop (fixture, "POST", "events", event, 200);
    }
  expected += 30;

  body = profile_body (external_id, "history@example.com", "Łukasz", "François");
  created = cc_campaign_client_create (fixture->campaign, PROFILE, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created->pkey);

  events = cc_campaign_client_get_history (fixture->campaign, created->pkey, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, expected);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (events, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "category"), ==, "email");
      g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, "outbound");
    }
}

static void
test_wrong_secret (ClientFixture *fixture,
                   gconstpointer  data)
{
  CcCampaignSettings settings = { 0 };
  g_autoptr(CcCampaignClient) wrong = NULL;
  g_autoptr(CcCampaignPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ims_url = cc_sandbox_get_ims_url (fixture->sandbox);
  g_autofree char *url = NULL;

  settings.org = CC_SANDBOX_ORG;
  settings.api_key = CC_SANDBOX_API_KEY;
  settings.api_url = cc_sandbox_get_campaign_url (fixture->sandbox);
  settings.ims_url = ims_url;
  settings.secret = "n0t-the-secret";
  wrong = cc_campaign_client_new (&settings);
  url = cc_campaign_client_build_list_url (wrong, PROFILE, NULL, NULL, NULL, 0);
  page = cc_campaign_client_read_page (wrong, url, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED);
  g_assert_null (strstr (error->message, "n0t-the-secret"));
}

static void
test_wrong_org (ClientFixture *fixture,
                gconstpointer  data)
{
  CcCampaignSettings settings = { 0 };
  g_autoptr(CcCampaignClient) wrong = NULL;
  g_autoptr(CcCampaignResourceType) type = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ims_url = cc_sandbox_get_ims_url (fixture->sandbox);

  settings.org = "someone-else";
  settings.api_key = CC_SANDBOX_API_KEY;
  settings.api_url = cc_sandbox_get_campaign_url (fixture->sandbox);
  settings.ims_url = ims_url;
  settings.secret = CC_SANDBOX_SECRET;
  wrong = cc_campaign_client_new (&settings);
  type = cc_campaign_client_get_resource_type (wrong, PROFILE, NULL, &error);
  g_assert_null (type);
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "someone-else"));
}

static void
test_link_header (void)
{
  struct {
    const char *header;
    const char *expected;
  } cases[] = {
    { "<https://e.example/j?since=abc&limit=10>; rel=\"next\"", "https://e.example/j?since=abc&limit=10" },
    { "</events/j?since=x>; rel=next", "http://h:1/events/j?since=x" },
    { "<https://e/a>; rel=\"self\", <https://e/b>; rel=\"next\"", "https://e/b" },
    { "<https://e/a,b>; title=\"x; rel=next, y\"; rel=\"prev next\"", "https://e/a,b" },
    { "<https://e/a>; rel=\"prev\"", NULL },
    { "garbage", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *next = cc_campaign_client_parse_link_next (cases[i].header,
                                                                  "http://h:1/events/journal");

      g_assert_cmpstr (next, ==, cases[i].expected);
    }
  g_assert_null (cc_campaign_client_parse_link_next (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  CLIENT_ADD_CAMPAIGN ("/campaign-client/resource-type", test_resource_type);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/profile-round-trip", test_profile_round_trip);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/invalid-email", test_invalid_email_rejected);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/custom-resource", test_custom_resource);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/paging", test_paging);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/journal", test_journal);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/journal-bad-position", test_journal_bad_position);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/history", test_history);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/wrong-secret", test_wrong_secret);
  CLIENT_ADD_CAMPAIGN ("/campaign-client/wrong-org", test_wrong_org);
  g_test_add_func ("/campaign-client/link-header", test_link_header);

  return g_test_run ();
}
