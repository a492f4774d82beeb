/* test-acs.c — the Campaign Standard emulator, spoken to with plain
 * libsoup requests: Adobe IMS and the gateway's checks. Profiles, the
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ACS_ADD ("ims", test_ims);
  ACS_ADD ("gateway", test_gateway);
  acs_add_profile_tests ();
  acs_add_resource_tests ();
  acs_add_journal_tests ();

  return g_test_run ();
}
