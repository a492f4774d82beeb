/* dv-fixture.c — the in-process sandbox and HTTP helpers of the
 * Dataverse emulator tests.
 */
#include <string.h>

#include "dv-fixture.h"

void
dv_fixture_setup (DvFixture     *f,
                  gconstpointer  data)
{
  const DvFixtureConfig *config = data;
  CcSandboxOptions options;
  g_autoptr(GError) error = NULL;

  cc_sandbox_options_init (&options);
  options.contacts = config && config->contacts ? config->contacts : 60;
  if (config && config->max_requests)
    options.max_requests = config->max_requests;
  if (config && config->window_s)
    options.window_s = config->window_s;
  if (config && config->max_concurrent)
    options.max_concurrent = config->max_concurrent;
  if (config && config->change_retention_days)
    options.change_retention_days = config->change_retention_days;
  if (config && config->max_execution_ms)
    options.max_execution_ms = config->max_execution_ms;

  f->sandbox = cc_sandbox_new (&options);
  g_assert_true (cc_sandbox_start (f->sandbox, &error));
  g_assert_no_error (error);
  f->url = cc_sandbox_get_dataverse_url (f->sandbox);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  f->api = g_strconcat (f->url, "/api/data/v9.2/", NULL);
  /* Parallel requests in the concurrency test need more than libsoup's
   * default two connections per host. */
  f->session = soup_session_new_with_options ("max-conns-per-host", 16, "timeout", 30, NULL);
  f->token = dv_fetch_token (f);
}

void
dv_fixture_teardown (DvFixture     *f,
                     gconstpointer  data)
{
  g_clear_object (&f->session);
  cc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->api, g_free);
  g_clear_pointer (&f->token, g_free);
}

static DvReply *
send_valist (DvFixture  *f,
             const char *method,
             const char *url,
             const char *content_type,
             const char *body,
             gboolean    auth,
             va_list     args)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  DvReply *reply = g_new0 (DvReply, 1);
  const char *name;

  g_assert_nonnull (msg);
  if (auth)
    {
      g_autofree char *value = g_strconcat ("Bearer ", f->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), name,
                                 va_arg (args, const char *));
  if (body != NULL)
    {
      g_autoptr(GBytes) payload = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json",
                                                payload);
    }

  bytes = soup_session_send_and_read (f->session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (bytes != NULL)
    {
      reply->length = g_bytes_get_size (bytes);
      reply->text = g_strndup (g_bytes_get_data (bytes, NULL), reply->length);
      if (reply->length > 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, reply->text, reply->length, NULL))
            reply->json = json_node_copy (json_parser_get_root (parser));
        }
    }
  return reply;
}

DvReply *
dv_send (DvFixture  *f,
         const char *method,
         const char *url,
         const char *content_type,
         const char *body,
         gboolean    auth,
         ...)
{
  DvReply *reply;
  va_list args;

  va_start (args, auth);
  reply = send_valist (f, method, url, content_type, body, auth, args);
  va_end (args);
  return reply;
}

DvReply *
dv_api (DvFixture  *f,
        const char *method,
        const char *path,
        const char *body,
        ...)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (f->api, path, NULL);
  DvReply *reply;
  va_list args;

  va_start (args, body);
  reply = send_valist (f, method, url, "application/json", body, TRUE, args);
  va_end (args);
  return reply;
}

static DvReply *
admin_send (DvFixture  *f,
            const char *method,
            const char *url,
            const char *body,
            ...)
{
  DvReply *reply;
  va_list args;

  va_start (args, body);
  reply = send_valist (f, method, url, "application/json", body, FALSE, args);
  va_end (args);
  return reply;
}

DvReply *
dv_admin (DvFixture  *f,
          const char *method,
          const char *path,
          const char *body)
{
  g_autofree char *url = g_strconcat (f->url, "/_sandbox/", path, NULL);

  return admin_send (f, method, url, body, NULL);
}

char *
dv_first_contact_id (DvFixture *f)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$select=contactid&$top=1", NULL, NULL);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (dv_reply_value (reply), 0),
                                                  "contactid"));
}

JsonObject *
dv_find_by (JsonArray  *array,
            const char *member,
            const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *obj = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (obj, member, NULL), value) == 0)
        return obj;
    }
  return NULL;
}

void
dv_reply_free (DvReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->text);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

JsonObject *
dv_reply_object (DvReply *reply)
{
  g_assert_no_error (reply->error);
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

JsonArray *
dv_reply_value (DvReply *reply)
{
  JsonObject *obj = dv_reply_object (reply);

  g_assert_true (json_object_has_member (obj, "value"));
  return json_object_get_array_member (obj, "value");
}

void
dv_assert_error (DvReply    *reply,
                 guint       status,
                 const char *code,
                 const char *message_part)
{
  JsonObject *error;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  error = json_object_get_object_member (dv_reply_object (reply), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  if (message_part != NULL && strstr (json_object_get_string_member (error, "message"), message_part) == NULL)
    g_error ("error message \"%s\" lacks \"%s\"",
             json_object_get_string_member (error, "message"), message_part);
}

char *
dv_fetch_token (DvFixture *f)
{
  return dv_fetch_token_for (f, CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET);
}

char *
dv_fetch_token_for (DvFixture  *f,
                    const char *client_id,
                    const char *secret)
{
  g_autofree char *url = g_strconcat (f->url, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token", NULL);
  g_autofree char *scope = g_strconcat (f->url, "/.default", NULL);
  g_autofree char *form = NULL;
  g_autoptr(DvReply) reply = NULL;
  JsonObject *obj;

  form = soup_form_encode ("grant_type", "client_credentials",
                           "client_id", client_id,
                           "client_secret", secret,
                           "scope", scope,
                           NULL);
  reply = dv_send (f, "POST", url, "application/x-www-form-urlencoded", form, FALSE, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  obj = dv_reply_object (reply);
  return g_strdup (json_object_get_string_member (obj, "access_token"));
}

void
dv_set_faults (DvFixture  *f,
               const char *json)
{
  g_autoptr(DvReply) reply = dv_admin (f, "POST", "faults", json);

  g_assert_cmpuint (reply->status, ==, 200);
}

void
dv_batch_add (GString    *b,
              const char *boundary,
              const char *method,
              const char *url,
              const char *json,
              const char *content_id)
{
  g_string_append_printf (b, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n",
                          boundary);
  if (content_id != NULL)
    g_string_append_printf (b, "Content-ID: %s\r\n", content_id);
  g_string_append_printf (b, "\r\n%s %s HTTP/1.1\r\n", method, url);
  if (json != NULL)
    g_string_append_printf (b, "Content-Type: application/json; type=entry\r\n\r\n%s\r\n", json);
  else
    g_string_append (b, "\r\n");
}

DvReply *
dv_batch_send (DvFixture  *f,
               GString    *b,
               const char *prefer)
{
  g_autofree char *url = g_strconcat (f->api, "$batch", NULL);

  g_string_append (b, "--batch_T--\r\n");
  if (prefer != NULL)
    return dv_send (f, "POST", url, "multipart/mixed; boundary=\"batch_T\"", b->str, TRUE, "Prefer", prefer, NULL);
  return dv_send (f, "POST", url, "multipart/mixed; boundary=\"batch_T\"", b->str, TRUE, NULL);
}

char *
dv_escape (const char *text)
{
  return g_uri_escape_string (text, "'(),:=$", FALSE);
}

gboolean
dv_wait_until (gboolean (*ready) (gpointer data),
               gpointer  data,
               guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (ready (data))
        return TRUE;
      /* Polling a condition, not sleeping instead of one. */
      g_usleep (20 * 1000);
    }
  return ready (data);
}
