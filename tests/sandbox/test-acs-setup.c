/* test-acs-setup.c — the Campaign emulator without parts of the
 * customer's setup (POST /_sandbox/setup, cc-sandbox-setup.h): what
 * Campaign then says and does without them.
 */
#include <string.h>

#include "acs-fixture.h"

static JsonObject *
member_object (AcsResponse *r,
               const char  *group,
               const char  *name)
{
  JsonObject *content = json_object_get_object_member (acs_obj (r), group);

  return json_object_has_member (content, name) ? json_object_get_object_member (content, name) : NULL;
}

static AcsResponse *
filters_of (AcsFixture *f,
            const char *resource_type)
{
  g_autoptr(AcsResponse) meta = acs_api (f, "GET", resource_type, NULL);

  g_assert_cmpuint (meta->status, ==, 200);
  return acs_api (f, "GET", acs_str (json_object_get_object_member (acs_obj (meta), "filters"), "href"), NULL);
}

static void
remove_setup (AcsFixture *f,
              const char *items)
{
  g_autofree char *body = g_strdup_printf ("{\"remove\": [%s]}", items);
  g_autoptr(AcsResponse) r = acs_admin (f, "POST", "setup", body);

  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_without_custom_filters (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) before = filters_of (f, "profileAndServicesExt/resourceType/profile");
  g_autoptr(AcsResponse) after = NULL;
  g_autoptr(AcsResponse) by_id = NULL;

  g_assert_nonnull (member_object (before, "content", "byExternalId"));
  remove_setup (f, "\"custom-filters\"");

  after = filters_of (f, "profileAndServicesExt/resourceType/profile");
  g_assert_null (member_object (after, "content", "byExternalId"));
  g_assert_null (member_object (after, "content", "byLastModifiedSince"));
  g_assert_nonnull (member_object (after, "content", "byEmail"));
  by_id = acs_api (f, "GET", "profileAndServicesExt/profile/byExternalId?externalId=x", NULL);
  acs_assert_error (by_id, 400, "Unknown filter 'byExternalId'");
}

/* Without an identification key the field stays, Campaign no longer
 * says it is the key, and two records may hold one value. */
static void
test_without_key (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) meta = NULL;
  g_autoptr(AcsResponse) first = NULL;
  g_autoptr(AcsResponse) second = NULL;
  g_autoptr(AcsResponse) by_key = NULL;

  remove_setup (f, "\"key:profile\"");
  meta = acs_api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  g_assert_cmpstr (acs_str (acs_obj (meta), "key"), ==, "PKey");
  g_assert_nonnull (member_object (meta, "content", "externalId"));

  first = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\": \"dup\", \"email\": \"a@example.com\"}");
  second = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\": \"dup\", \"email\": \"b@example.com\"}");
  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpuint (second->status, ==, 201);
  g_assert_cmpstr (acs_str (acs_obj (first), "PKey"), !=, acs_str (acs_obj (second), "PKey"));
  /* Nor does the value address a record any more. */
  by_key = acs_api (f, "GET", "profileAndServicesExt/profile/dup", NULL);
  acs_assert_error (by_key, 404, NULL);
}

static void
test_without_field_and_filter (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) meta = NULL;
  g_autoptr(AcsResponse) filters = NULL;
  g_autoptr(AcsResponse) write = NULL;

  remove_setup (f, "\"field:profileAndServicesExt/profile.cusTier\", \"filter:cusMembership.byCusMembershipId\"");
  meta = acs_api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  g_assert_null (member_object (meta, "content", "cusTier"));
  g_assert_nonnull (member_object (meta, "content", "email"));
  write = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"cusTier\": \"gold\"}");
  acs_assert_error (write, 400, "cusTier");
  filters = filters_of (f, "customResources/resourceType/cusMembership");
  g_assert_null (member_object (filters, "content", "byCusMembershipId"));
}

static void
test_setup_refusals (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) unknown = acs_admin (f, "POST", "setup", "{\"remove\": [\"nonsense\"]}");
  g_autoptr(AcsResponse) no_field = acs_admin (f, "POST", "setup", "{\"remove\": [\"field:profile.nope\"]}");
  g_autoptr(AcsResponse) no_resource = acs_admin (f, "POST", "setup", "{\"remove\": [\"key:cusNothing\"]}");
  g_autoptr(AcsResponse) not_a_list = acs_admin (f, "POST", "setup", "{\"remove\": \"custom-filters\"}");

  acs_assert_error (unknown, 400, "Unknown setup item 'nonsense'");
  acs_assert_error (no_field, 404, "has no field 'nope'");
  acs_assert_error (no_resource, 404, "no resource 'cusNothing'");
  acs_assert_error (not_a_list, 400, NULL);
}

/* The same items at start (CcSandboxOptions.without). */
static void
test_started_without (void)
{
  const char *without[] = { "custom-filters", "key:cusMembership", "privilege:prvWriteContact", NULL };
  CcSandboxOptions options;
  g_autoptr(CcSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = 2;
  options.without = (char **) without;
  sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (sandbox, &error));
  g_assert_no_error (error);
  cc_sandbox_stop (sandbox);
  g_clear_object (&sandbox);

  without[0] = "field:profile.nothing";
  sandbox = cc_sandbox_new (&options);
  g_assert_false (cc_sandbox_start (sandbox, &error));
  g_assert_nonnull (strstr (error->message, "has no field 'nothing'"));
}

void
acs_add_setup_tests (void)
{
  ACS_ADD ("setup/without-custom-filters", test_without_custom_filters);
  ACS_ADD ("setup/without-key", test_without_key);
  ACS_ADD ("setup/without-field-and-filter", test_without_field_and_filter);
  ACS_ADD ("setup/refusals", test_setup_refusals);
  g_test_add_func ("/sandbox/campaign/setup/started-without", test_started_without);
}
