/* acs-fixture.c — the in-process sandbox and HTTP helpers of the
 * Campaign Standard emulator tests.
 */
#include <string.h>

#include "acs-fixture.h"

void
acs_response_free (AcsResponse *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r->text);
  g_free (r);
}

AcsResponse *
acs_send (AcsFixture *f,
          const char *method,
          const char *url,
          const char *content_type,
          const char *body,
          const char *api_key,
          const char *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  AcsResponse *r = g_new0 (AcsResponse, 1);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  if (api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Api-Key", api_key);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->text = g_bytes_get_size (bytes) > 0
            ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
            : g_strdup ("");
  if (*r->text != '\0')
    r->json = json_from_string (r->text, NULL);
  return r;
}

AcsResponse *
acs_api (AcsFixture *f,
         const char *method,
         const char *path,
         const char *body)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path)
                                                         : g_strconcat (f->api, "/", path, NULL);

  return acs_send (f, method, url, "application/json", body, CC_SANDBOX_API_KEY, f->token);
}

AcsResponse *
acs_admin (AcsFixture *f,
           const char *method,
           const char *path,
           const char *body)
{
  g_autofree char *url = g_strconcat (f->base, "/_sandbox/", path, NULL);

  return acs_send (f, method, url, "application/json", body, NULL, NULL);
}

AcsResponse *
acs_ims (AcsFixture *f,
         const char *client_id,
         const char *secret)
{
  g_autofree char *url = g_strconcat (f->base, "/ims/token/v3", NULL);
  g_autofree char *form = soup_form_encode ("grant_type", "client_credentials",
                                            "client_id", client_id,
                                            "client_secret", secret,
                                            "scope", "openid,AdobeID,campaign_sdk", NULL);

  return acs_send (f, "POST", url, "application/x-www-form-urlencoded", form, NULL, NULL);
}

JsonObject *
acs_obj (AcsResponse *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

const char *
acs_str (JsonObject *o,
         const char *member)
{
  g_assert_true (json_object_has_member (o, member));
  return json_object_get_string_member (o, member);
}

void
acs_assert_json_type (AcsResponse *r)
{
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                   "application/json;charset=utf-8");
}

void
acs_assert_error (AcsResponse *r,
                  guint        status,
                  const char  *fragment)
{
  g_assert_cmpuint (r->status, ==, status);
  acs_assert_json_type (r);
  g_assert_cmpint (json_object_get_int_member (acs_obj (r), "code"), ==, status);
  if (fragment != NULL)
    g_assert_nonnull (strstr (acs_str (acs_obj (r), "message"), fragment));
}

void
acs_fixture_setup (AcsFixture    *f,
                   gconstpointer  data)
{
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(AcsResponse) r = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = 20;
  options.events = 25;
  f->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (f->sandbox, &error));
  g_assert_no_error (error);
  f->base = cc_sandbox_get_campaign_url (f->sandbox);
  f->api = g_strconcat (f->base, "/", CC_SANDBOX_ORG, "/campaign", NULL);
  f->session = soup_session_new ();
  r = acs_ims (f, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET);
  g_assert_cmpuint (r->status, ==, 200);
  f->token = g_strdup (acs_str (acs_obj (r), "access_token"));
}

void
acs_fixture_teardown (AcsFixture    *f,
                      gconstpointer  data)
{
  g_clear_object (&f->session);
  cc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_free (f->api);
  g_free (f->token);
}

char *
acs_create_profile (AcsFixture *f,
                    const char *json)
{
  g_autoptr(AcsResponse) r = acs_api (f, "POST", "profileAndServicesExt/profile", json);

  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (acs_str (acs_obj (r), "PKey"));
}

gboolean
acs_wait_until (AcsFixture   *f,
                AcsCondition  cond,
                gpointer      data,
                guint         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!cond (f, data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (50 * 1000);
    }
  return TRUE;
}
