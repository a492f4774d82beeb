/* test-acs.c — the Campaign Standard emulator, spoken to with plain
 * libsoup requests: Adobe IMS, the gateway's checks and requests as
 * Adobe's SDK and gateways shape them. Profiles, the
 * custom resource, the journal and the admin API are in
 * test-acs-profiles.c, test-acs-resources.c and
 * test-acs-journal.c (same binary).
 */
#include <string.h>

#include "acs-fixture.h"

/* ---- IMS and the gateway ---------------------------------------------- */

static void
test_ims (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) good = acs_ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_autoptr(AcsResponse) bad_id = acs_ims (f, "someone-else", CC_SANDBOX_SECRET);
  g_autoptr(AcsResponse) bad_secret = acs_ims (f, CC_SANDBOX_API_KEY, "wrong");
  g_autofree char *url = g_strconcat (f->base, "/ims/token/v3", NULL);
  g_autoptr(AcsResponse) bad_grant = acs_send (f, "POST", url, "application/x-www-form-urlencoded",
                                               "grant_type=password&client_id=sandbox-api-key",
                                               NULL, NULL);

  g_assert_cmpuint (good->status, ==, 200);
  acs_assert_json_type (good);
  g_assert_cmpstr (acs_str (acs_obj (good), "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (acs_obj (good), "expires_in"), >, 0);
  g_assert_cmpstr (acs_str (acs_obj (good), "access_token"), !=, f->token);

  g_assert_cmpuint (bad_id->status, ==, 400);
  g_assert_cmpstr (acs_str (acs_obj (bad_id), "error"), ==, "invalid_client");
  g_assert_nonnull (strstr (acs_str (acs_obj (bad_id), "error_description"), "client_id"));
  g_assert_cmpuint (bad_secret->status, ==, 401);
  g_assert_cmpstr (acs_str (acs_obj (bad_secret), "error"), ==, "invalid_client");
  g_assert_cmpuint (bad_grant->status, ==, 400);
  g_assert_cmpstr (acs_str (acs_obj (bad_grant), "error"), ==, "unsupported_grant_type");
}

static gboolean
token_refused (AcsFixture *f, gpointer data)
{
  g_autofree char *url = g_strconcat (f->api, "/profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) r = acs_send (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, data);

  return r->status == 401;
}

static void
test_gateway (AcsFixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->api, "/profileAndServices/profile", NULL);
  g_autofree char *wrong_org = g_strconcat (f->base, "/other-org/campaign/profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) ok = acs_send (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
  g_autoptr(AcsResponse) no_token = acs_send (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, NULL);
  g_autoptr(AcsResponse) bad_token = acs_send (f, "GET", url, NULL, NULL, CC_SANDBOX_API_KEY, "nope");
  g_autoptr(AcsResponse) no_key = acs_send (f, "GET", url, NULL, NULL, NULL, f->token);
  g_autoptr(AcsResponse) bad_key = acs_send (f, "GET", url, NULL, NULL, "other-key", f->token);
  g_autoptr(AcsResponse) org = acs_send (f, "GET", wrong_org, NULL, NULL, CC_SANDBOX_API_KEY, f->token);
  g_autoptr(JsonObject) knobs = json_object_new ();
  g_autoptr(AcsResponse) short_lived = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *short_token = NULL;

  g_assert_cmpuint (ok->status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      AcsResponse *r = i == 0 ? no_token : bad_token;

      g_assert_cmpuint (r->status, ==, 401);
      acs_assert_json_type (r);
      g_assert_cmpstr (acs_str (acs_obj (r), "error_code"), ==, "401013");
      g_assert_cmpstr (acs_str (acs_obj (r), "message"), ==, "Oauth token is not valid");
    }
  g_assert_cmpuint (no_key->status, ==, 403);
  g_assert_cmpuint (bad_key->status, ==, 403);
  g_assert_cmpstr (acs_str (acs_obj (bad_key), "error_code"), ==, "403000");
  acs_assert_error (org, 500, "Oops. Something went wrong. Check your URI and try again.");

  /* A token outlives its expires_in by nothing. */
  json_object_set_int_member (knobs, "token_lifetime", 1);
  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (f->sandbox), knobs, &error));
  short_lived = acs_ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_assert_cmpint (json_object_get_int_member (acs_obj (short_lived), "expires_in"), ==, 1);
  short_token = g_strdup (acs_str (acs_obj (short_lived), "access_token"));
  g_assert_true (acs_wait_until (f, token_refused, short_token, 15));
  g_assert_false (token_refused (f, f->token));
}

/* ---- Requests as Adobe's own SDK sends them ------------------------- */

/* The SDK posts JSON as text/plain;charset=UTF-8 and sends no
 * Cache-Control: the real service accepts both, and so must we. */
static void
test_plain_text_bodies (AcsFixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->api, "/profileAndServicesExt/profile", NULL);
  g_autofree char *one = g_strconcat (url, "/sdk-1", NULL);
  g_autoptr(AcsResponse) created = acs_send (f, "POST", url, "text/plain;charset=UTF-8",
                                             "{\"externalId\":\"sdk-1\",\"lastName\":\"Łukasz\"}",
                                             CC_SANDBOX_API_KEY, f->token);
  g_autoptr(AcsResponse) patched = acs_send (f, "PATCH", one, "text/plain;charset=UTF-8",
                                             "{\"firstName\":\"Zoë\"}", CC_SANDBOX_API_KEY, f->token);
  g_autoptr(AcsResponse) got = acs_send (f, "GET", one, NULL, NULL, CC_SANDBOX_API_KEY, f->token);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (patched->status, ==, 200);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (got), "lastName"), ==, "Łukasz");
  g_assert_cmpstr (acs_str (acs_obj (got), "firstName"), ==, "Zoë");
}

/* The path is routed as sent: an encoded slash is data inside a
 * segment, so it never joins two segments into a resource path. */
static void
test_encoded_slash (AcsFixture *f, gconstpointer data)
{
  static const char * const joined[] = {
    "profileAndServices%2Fprofile",
    "profileAndServices%2fprofile",
    "profileAndServicesExt%2Fprofile/slash%2Fkey",
    "profileAndServices/resourceType%2Fprofile",
  };
  g_autoptr(AcsResponse) plain = acs_api (f, "GET", "profileAndServices/profile", NULL);
  g_autoptr(AcsResponse) created = NULL, by_key = NULL, split = NULL, admin = NULL;

  g_assert_cmpuint (plain->status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (joined); i++)
    {
      g_autoptr(AcsResponse) r = acs_api (f, "GET", joined[i], NULL);

      acs_assert_error (r, 404, NULL);
    }
  {
    g_autoptr(AcsResponse) r = acs_api (f, "GET", joined[0], NULL);

    acs_assert_error (r, 404, "'profileAndServices%2Fprofile'");
  }

  /* A key with a slash in it is one segment, written encoded. */
  created = acs_api (f, "POST", "profileAndServicesExt/profile", "{\"externalId\":\"a/b\"}");
  g_assert_cmpuint (created->status, ==, 201);
  by_key = acs_api (f, "GET", "profileAndServicesExt/profile/a%2Fb", NULL);
  g_assert_cmpuint (by_key->status, ==, 200);
  g_assert_cmpstr (acs_str (acs_obj (by_key), "externalId"), ==, "a/b");
  split = acs_api (f, "GET", "profileAndServicesExt/profile/a/b", NULL);
  acs_assert_error (split, 404, NULL);
  admin = acs_admin (f, "GET", "profiles/a%2Fb", NULL);
  g_assert_cmpuint (admin->status, ==, 200);
}

/* ---- the calls of the API, for the allowance tests ---------------------- */

static gint64
calls_member (AcsFixture *f,
              const char *member)
{
  g_autoptr(AcsResponse) r = acs_admin (f, "GET", "calls", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (acs_obj (r), member);
}

/* Every call of the Campaign API counts, answered or refused; IMS, the
 * journal and the admin API do not. */
static void
test_calls (AcsFixture *f, gconstpointer data)
{
  g_autoptr(AcsResponse) cleared = acs_admin (f, "DELETE", "calls", NULL);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) acs_response_free);
  g_autofree char *journal = g_strconcat (f->base, "/events/journal", NULL);

  g_assert_cmpuint (cleared->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (acs_obj (cleared), "count"), ==, 0);

  g_ptr_array_add (answers, acs_api (f, "GET", "profileAndServicesExt/profile", NULL));
  g_ptr_array_add (answers, acs_api (f, "GET", "profileAndServicesExt/profile/nobody", NULL));
  g_ptr_array_add (answers, acs_api (f, "POST", "profileAndServicesExt/profile", "{\"nope\":1}"));
  g_ptr_array_add (answers, acs_ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET));
  g_ptr_array_add (answers, acs_send (f, "GET", journal, NULL, NULL, CC_SANDBOX_API_KEY, f->token));
  g_ptr_array_add (answers, acs_admin (f, "GET", "stats", NULL));

  g_assert_cmpint (calls_member (f, "count"), ==, 3);
  /* Three calls within a few milliseconds: one second holds them all. */
  g_assert_cmpint (calls_member (f, "busiest_second"), ==, 3);
  g_ptr_array_add (answers, acs_admin (f, "DELETE", "calls", NULL));
  g_assert_cmpint (calls_member (f, "count"), ==, 0);
  g_assert_cmpint (calls_member (f, "busiest_second"), ==, 0);
}

/* ---- schema changes an admin makes while the emulator runs ------------- */

static JsonObject *
profile_field_metadata (AcsFixture *f,
                        const char *name)
{
  g_autoptr(AcsResponse) r = acs_api (f, "GET", "profileAndServicesExt/resourceType/profile", NULL);
  JsonObject *content = json_object_get_object_member (acs_obj (r), "content");

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_has_member (content, name)
         ? json_object_ref (json_object_get_object_member (content, name)) : NULL;
}

static void
test_schema_changes (AcsFixture *f, gconstpointer data)
{
  g_autofree char *pkey = acs_create_profile (f, "{\"externalId\": \"s-1\", \"cusTier\": \"gold\","
                                                 " \"phone\": \"+1 555\"}");
  g_autofree char *path = g_strdup_printf ("profileAndServicesExt/profile/%s", pkey);
  g_autoptr(AcsResponse) removed = acs_admin (f, "POST", "schema/profile/fields/cusTier/remove", NULL);
  g_autoptr(AcsResponse) read_only = acs_admin (f, "POST", "schema/profile/fields/phone/read-only", NULL);
  g_autoptr(AcsResponse) key = acs_admin (f, "POST", "schema/profile/fields/externalId/remove", NULL);
  g_autoptr(AcsResponse) unknown = acs_admin (f, "POST", "schema/profile/fields/nope/remove", NULL);
  g_autoptr(AcsResponse) record = NULL;
  g_autoptr(AcsResponse) write_removed = NULL;
  g_autoptr(AcsResponse) write_read_only = NULL;
  g_autoptr(AcsResponse) write_other = NULL;
  g_autoptr(JsonObject) tier = NULL;
  g_autoptr(JsonObject) phone = NULL;

  g_assert_cmpuint (removed->status, ==, 200);
  g_assert_cmpuint (read_only->status, ==, 200);
  g_assert_cmpuint (key->status, ==, 404);
  g_assert_cmpuint (unknown->status, ==, 404);

  /* The metadata: one field gone, one read-only. */
  tier = profile_field_metadata (f, "cusTier");
  phone = profile_field_metadata (f, "phone");
  g_assert_null (tier);
  g_assert_nonnull (phone);
  g_assert_true (json_object_get_boolean_member (phone, "readOnly"));

  /* The record no longer shows the field; writes of either are refused,
   * of the others taken. */
  record = acs_api (f, "GET", path, NULL);
  g_assert_false (json_object_has_member (acs_obj (record), "cusTier"));
  write_removed = acs_api (f, "PATCH", path, "{\"cusTier\": \"silver\"}");
  acs_assert_error (write_removed, 400, "cusTier");
  write_read_only = acs_api (f, "PATCH", path, "{\"phone\": \"+1 556\"}");
  acs_assert_error (write_read_only, 500, "Cannot update the 'phone' property that is read-only");
  write_other = acs_api (f, "PATCH", path, "{\"lastName\": \"Still\"}");
  g_assert_cmpuint (write_other->status, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ACS_ADD ("ims", test_ims);
  ACS_ADD ("gateway", test_gateway);
  ACS_ADD ("plain-text-bodies", test_plain_text_bodies);
  ACS_ADD ("encoded-slash", test_encoded_slash);
  ACS_ADD ("calls", test_calls);
  ACS_ADD ("schema-changes", test_schema_changes);
  acs_add_profile_tests ();
  acs_add_resource_tests ();
  acs_add_journal_tests ();
  acs_add_setup_tests ();

  return g_test_run ();
}
