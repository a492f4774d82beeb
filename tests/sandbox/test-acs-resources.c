/* test-acs-resources.c — the custom resources of the Campaign Standard
 * emulator (cusMembership, not linked to the profile, and cusLoyalty,
 * linked to it), the metadata of its resources and how it answers a
 * duplicate key.
 */
#include <string.h>

#include "acs-fixture.h"

static void
test_custom_resource (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) created = acs_api (f, "POST", "customResources/cusMembership",
                                            "{\"cusMembershipId\":\"m-1\",\"cusName\":\"Gold – Zoë\","
                                            "\"cusLevel\":\"100000001\",\"cusStartDate\":\"2024-02-29\","
                                            "\"cusContactId\":\"c-9\"}");
  g_autoptr(AcsResponse) by_key = NULL, patched = NULL, rekey = NULL, dup = NULL, no_key = NULL;
  g_autoptr(AcsResponse) listed = NULL, dump = NULL, deleted = NULL, gone = NULL, bad_date = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_true (acs_str (acs_obj (created), "PKey")[0] == '@');
  g_assert_cmpstr (acs_str (acs_obj (created), "cusName"), ==, "Gold – Zoë");

  by_key = acs_api (f, "GET", "customResources/cusMembership/m-1", NULL);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (by_key), "PKey"), ==, acs_str (acs_obj (created), "PKey"));
  patched = acs_api (f, "PATCH", "customResources/cusMembership/m-1", "{\"cusLevel\":\"100000002\"}");
  g_assert_cmpuint (patched->status, ==, 200);
  rekey = acs_api (f, "PATCH", "customResources/cusMembership/m-1", "{\"cusMembershipId\":\"m-2\"}");
  acs_assert_error (rekey, 400, "cusMembershipId");
  dup = acs_api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m-1\"}");
  acs_assert_error (dup, 409, "m-1");
  no_key = acs_api (f, "POST", "customResources/cusMembership", "{\"cusName\":\"x\"}");
  acs_assert_error (no_key, 400, "cusMembershipId");
  bad_date = acs_api (f, "POST", "customResources/cusMembership",
                      "{\"cusMembershipId\":\"m-3\",\"cusStartDate\":\"2023-02-29\"}");
  acs_assert_error (bad_date, 400, "cusStartDate");

  listed = acs_api (f, "GET", "customResources/cusMembership/byCusMembershipId?cusMembershipId=m-1", NULL);
  g_assert_cmpstr (acs_str (json_array_get_object_element (json_object_get_array_member (acs_obj (listed), "content"), 0),
                            "cusLevel"), ==, "100000002");
  dump = acs_admin (f, "GET", "resources/cusMembership", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (dump), "count"), ==, 1);

  deleted = acs_api (f, "DELETE", "customResources/cusMembership/m-1", NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  gone = acs_api (f, "GET", "customResources/cusMembership/m-1", NULL);
  acs_assert_error (gone, 404, NULL);
}

/* Adobe documents only that a duplicate key "answers an error": tests
 * choose its status and words through the settings. */
static void
test_duplicate_key_answer (AcsFixture *f, gconstpointer data)
{
  g_autofree char *keyless = acs_create_profile (f, "{\"email\":\"nokey@example.com\"}");
  g_autofree char *keyless_path = g_strconcat ("profileAndServicesExt/profile/", keyless, NULL);
  g_autofree char *first = acs_create_profile (f, "{\"externalId\":\"d-1\"}");
  g_autoptr(AcsResponse) dup = NULL, set = NULL, dup500 = NULL, patch500 = NULL, custom500 = NULL;
  g_autoptr(AcsResponse) bad_status = NULL, bad_message = NULL, unchanged = NULL, reset = NULL, dup_again = NULL;
  g_autoptr(AcsResponse) custom = acs_api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m-1\"}");

  dup = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"d-1\"}");
  acs_assert_error (dup, 409, "d-1");

  set = acs_admin (f, "POST", "settings",
                   "{\"duplicate_key_status\":500,\"duplicate_key_message\":\"Duplicate key\"}");
  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (acs_obj (set), "duplicate_key_status"), ==, 500);
  dup500 = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"d-1\"}");
  acs_assert_error (dup500, 500, NULL);
  g_assert_cmpstr (acs_str (acs_obj (dup500), "message"), ==, "Duplicate key");
  patch500 = acs_api (f, "PATCH", keyless_path, "{\"externalId\":\"d-1\"}");
  acs_assert_error (patch500, 500, NULL);
  g_assert_cmpstr (acs_str (acs_obj (patch500), "message"), ==, "Duplicate key");
  custom500 = acs_api (f, "POST", "customResources/cusMembership", "{\"cusMembershipId\":\"m-1\"}");
  acs_assert_error (custom500, 500, NULL);
  /* Other refusals keep their own answers. */
  {
    g_autoptr(AcsResponse) invalid = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"email\":\"x\"}");

    acs_assert_error (invalid, 400, "'email'");
  }

  bad_status = acs_admin (f, "POST", "settings", "{\"duplicate_key_status\":200}");
  g_assert_cmpuint (bad_status->status, ==, 400);
  bad_message = acs_admin (f, "POST", "settings", "{\"duplicate_key_status\":400,\"duplicate_key_message\":7}");
  g_assert_cmpuint (bad_message->status, ==, 400);
  unchanged = acs_admin (f, "GET", "settings", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (unchanged), "duplicate_key_status"), ==, 500);

  reset = acs_admin (f, "POST", "settings", "{\"duplicate_key_status\":409,\"duplicate_key_message\":null}");
  g_assert_true (json_object_get_null_member (acs_obj (reset), "duplicate_key_message"));
  dup_again = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"d-1\"}");
  acs_assert_error (dup_again, 409, "already exists");
  g_assert_cmpuint (custom->status, ==, 201);
}

static const char *
link_pkey (JsonObject *record,
           const char *link)
{
  if (!json_object_has_member (record, link))
    return NULL;
  return acs_str (json_object_get_object_member (record, link), "PKey");
}

/* A custom resource the admin linked to the profile, driven as Adobe's
 * SDK drives one (create, list, get, update, delete under
 * profileAndServicesExt/<cusResource>): each record links to a profile. */
static void
test_linked_custom_resource (AcsFixture *f, gconstpointer data)
{
  g_autofree char *anna = acs_create_profile (f, "{\"externalId\":\"c-anna\"}");
  g_autofree char *ben = acs_create_profile (f, "{\"externalId\":\"c-ben\"}");
  g_autofree char *body = g_strdup_printf ("{\"cusLoyaltyId\":\"l-1\",\"cusName\":\"Gold – Zoë\","
                                           "\"cusLevel\":\"Gold\",\"profile\":{\"PKey\":\"%s\"}}", anna);
  g_autoptr(AcsResponse) created = acs_api (f, "POST", "profileAndServicesExt/cusLoyalty", body);
  g_autoptr(AcsResponse) second = acs_api (f, "POST", "profileAndServicesExt/cusLoyalty",
                                           "{\"cusLoyaltyId\":\"l-2\",\"cusName\":\"Alpha\"}");
  g_autoptr(AcsResponse) listed = NULL, got = NULL, by_key = NULL, relinked = NULL, after = NULL;
  g_autoptr(AcsResponse) unknown = NULL, not_link = NULL, unlinked = NULL, dump = NULL, deleted = NULL;
  g_autoptr(AcsResponse) gone = NULL, filtered = NULL;
  g_autofree char *path = NULL, *relink = NULL, *unknown_body = NULL;
  JsonArray *content;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (link_pkey (acs_obj (created), "profile"), ==, anna);
  g_assert_true (g_str_has_suffix (acs_str (json_object_get_object_member (acs_obj (created), "profile"), "href"),
                                   anna));
  g_assert_cmpuint (second->status, ==, 201);
  g_assert_null (link_pkey (acs_obj (second), "profile"));
  path = g_strconcat ("profileAndServicesExt/cusLoyalty/", acs_str (acs_obj (created), "PKey"), NULL);

  /* getAllCustomResources: the SDK leaves an empty filter path. */
  listed = acs_api (f, "GET", "profileAndServicesExt/cusLoyalty/?_lineCount=1&_order=cusName", NULL);
  g_assert_cmpuint (listed->status, ==, 200);
  content = json_object_get_array_member (acs_obj (listed), "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 1);
  g_assert_cmpstr (acs_str (json_array_get_object_element (content, 0), "cusName"), ==, "Alpha");
  g_assert_true (json_object_has_member (acs_obj (listed), "next"));
  filtered = acs_api (f, "GET", "profileAndServicesExt/cusLoyalty/byCusLoyaltyId?cusLoyaltyId=l-1", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (acs_obj (filtered), "content")), ==, 1);

  got = acs_api (f, "GET", path, NULL);
  g_assert_cmpstr (acs_str (acs_obj (got), "cusName"), ==, "Gold – Zoë");
  by_key = acs_api (f, "GET", "profileAndServicesExt/cusLoyalty/l-1", NULL);
  g_assert_cmpstr (acs_str (acs_obj (by_key), "PKey"), ==, acs_str (acs_obj (created), "PKey"));

  relink = g_strdup_printf ("{\"cusLevel\":\"Silver\",\"profile\":{\"PKey\":\"%s\"}}", ben);
  relinked = acs_api (f, "PATCH", path, relink);
  g_assert_cmpuint (relinked->status, ==, 200);
  after = acs_api (f, "GET", path, NULL);
  g_assert_cmpstr (link_pkey (acs_obj (after), "profile"), ==, ben);
  g_assert_cmpstr (acs_str (acs_obj (after), "cusLevel"), ==, "Silver");

  unknown_body = g_strdup ("{\"profile\":{\"PKey\":\"@nobody\"}}");
  unknown = acs_api (f, "PATCH", path, unknown_body);
  acs_assert_error (unknown, 400, "'profile'");
  not_link = acs_api (f, "PATCH", path, "{\"profile\":\"c-ben\"}");
  acs_assert_error (not_link, 400, "PKey");
  unlinked = acs_api (f, "PATCH", path, "{\"profile\":null}");
  g_assert_cmpuint (unlinked->status, ==, 200);
  dump = acs_admin (f, "GET", "resources/cusLoyalty", NULL);
  g_assert_cmpint (json_object_get_int_member (acs_obj (dump), "count"), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_null (link_pkey (json_array_get_object_element (json_object_get_array_member (acs_obj (dump), "content"), i),
                              "profile"));

  deleted = acs_api (f, "DELETE", path, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  gone = acs_api (f, "GET", path, NULL);
  acs_assert_error (gone, 404, NULL);
}

/* Linked custom resources are served under profileAndServicesExt only,
 * the others under customResources only, as Adobe documents. */
static void
test_linked_resources_index (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) index = acs_api (f, "GET", "profileAndServicesExt", NULL);
  g_autoptr(AcsResponse) meta = acs_api (f, "GET", "profileAndServicesExt/resourceType/cusLoyalty", NULL);
  const char * const elsewhere[] = {
    "customResources/cusLoyalty",
    "customResources/resourceType/cusLoyalty",
    "profileAndServicesExt/cusMembership",
    "profileAndServices/cusLoyalty",
  };
  JsonObject *entry, *profile_field, *content;

  g_assert_cmpuint (index->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (index), "apiName"), ==, "resourceType");
  g_assert_false (json_object_has_member (acs_obj (index), "cusMembership"));
  entry = json_object_get_object_member (acs_obj (index), "cusLoyalty");
  g_assert_cmpstr (acs_str (entry, "type"), ==, "collection");
  g_assert_cmpstr (acs_str (entry, "data"), ==, "/profileAndServicesExt/cusLoyalty/");
  {
    g_autoptr(AcsResponse) described = acs_api (f, "GET", acs_str (entry, "href"), NULL);

    g_assert_cmpuint (described->status, ==, 200);
  }

  g_assert_cmpuint (meta->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (meta), "key"), ==, "cusLoyaltyId");
  content = json_object_get_object_member (acs_obj (meta), "content");
  profile_field = json_object_get_object_member (content, "profile");
  g_assert_cmpstr (acs_str (profile_field, "type"), ==, "link");
  g_assert_cmpstr (acs_str (profile_field, "resTarget"), ==, "profile");

  for (guint i = 0; i < G_N_ELEMENTS (elsewhere); i++)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "GET", elsewhere[i], NULL);

      acs_assert_error (r, 404, NULL);
    }
}

static JsonObject *
field_of (AcsResponse *r,
          const char *name)
{
  JsonObject *content = json_object_get_object_member (acs_obj (r), "content");

  return json_object_has_member (content, name) ? json_object_get_object_member (content, name) : NULL;
}

static void
test_metadata (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) plain = acs_api (f, "GET", "profileAndServices/resourceType/profile", NULL);
  g_autoptr(AcsResponse) ext = acs_api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  g_autoptr(AcsResponse) custom = acs_api (f, "GET", "customResources/resourceType/cusMembership", NULL);
  g_autoptr(AcsResponse) filters = NULL;
  JsonObject *email = field_of (plain, "email");

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (plain), "name"), ==, "profile");
  g_assert_cmpstr (acs_str (acs_obj (plain), "key"), ==, "PKey");
  g_assert_cmpstr (acs_str (email, "apiName"), ==, "email");
  g_assert_cmpstr (acs_str (email, "type"), ==, "string");
  g_assert_cmpstr (acs_str (email, "dataPolicy"), ==, "email");
  g_assert_cmpint (json_object_get_int_member (email, "length"), >, 0);
  g_assert_cmpstr (acs_str (field_of (plain, "birthDate"), "type"), ==, "date");
  g_assert_cmpstr (acs_str (field_of (plain, "denyListEmail"), "type"), ==, "boolean");
  g_assert_cmpstr (acs_str (field_of (plain, "gender"), "type"), ==, "enumeration");
  g_assert_true (json_object_get_boolean_member (field_of (plain, "lastModified"), "readOnly"));
  g_assert_cmpstr (acs_str (field_of (plain, "lastModified"), "type"), ==, "datetime");
  g_assert_null (field_of (plain, "cusTier"));

  g_assert_nonnull (field_of (ext, "cusTier"));
  g_assert_cmpstr (acs_str (acs_obj (ext), "key"), ==, "externalId");
  g_assert_cmpstr (acs_str (acs_obj (custom), "name"), ==, "cusMembership");
  g_assert_cmpstr (acs_str (acs_obj (custom), "key"), ==, "cusMembershipId");
  g_assert_cmpstr (acs_str (field_of (custom, "cusStartDate"), "type"), ==, "date");

  filters = acs_api (f, "GET", acs_str (json_object_get_object_member (acs_obj (ext), "filters"), "href"), NULL);
  g_assert_cmpuint (filters->status, ==, 200);
  g_assert_nonnull (field_of (filters, "byEmail"));
  g_assert_nonnull (field_of (filters, "byLastModifiedSince"));
}

/* The metadata as Adobe documents it: no member names the key, and a
 * record is still addressed by it. */
static void
test_metadata_without_keys (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) bad = acs_admin (f, "POST", "settings", "{\"metadata_keys\":\"no\"}");
  g_autoptr(AcsResponse) set = acs_admin (f, "POST", "settings", "{\"metadata_keys\":false}");
  g_autoptr(AcsResponse) ext = acs_api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  g_autoptr(AcsResponse) created = acs_api (f, "POST", "profileAndServicesExt/profile",
                                            "{\"externalId\":\"meta-1\",\"email\":\"m@example.com\"}");
  g_autoptr(AcsResponse) by_key = acs_api (f, "GET", "profileAndServicesExt/profile/meta-1", NULL);

  acs_assert_error (bad, 400, "metadata_keys");
  g_assert_cmpuint (set->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (acs_obj (set), "metadata_keys"));
  g_assert_cmpuint (ext->status, ==, 200);
  g_assert_false (json_object_has_member (acs_obj (ext), "key"));
  g_assert_nonnull (field_of (ext, "externalId"));
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (by_key), "PKey"), ==, acs_str (acs_obj (created), "PKey"));
}

void
acs_add_resource_tests (void)
{
  ACS_ADD ("custom-resource", test_custom_resource);
  ACS_ADD ("metadata", test_metadata);
  ACS_ADD ("metadata-without-keys", test_metadata_without_keys);
  ACS_ADD ("duplicate-key-answer", test_duplicate_key_answer);
  ACS_ADD ("linked-custom-resource", test_linked_custom_resource);
  ACS_ADD ("linked-resources-index", test_linked_resources_index);
}
