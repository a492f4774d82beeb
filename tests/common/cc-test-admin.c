/* cc-test-admin.c — plain libsoup calls to the sandbox admin API. */
#include <libsoup/soup.h>

#include "cc-test-admin.h"

/* Sends the request; returns the answer's text (NULL for an empty one)
 * and its HTTP status in *status. */
static char *
admin_send (const char *base_url,
            const char *method,
            const char *path,
            const char *body,
            guint      *status)
{
  static GPrivate sessions = G_PRIVATE_INIT (g_object_unref);
  SoupSession *session = g_private_get (&sessions);
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  /* One session per thread: a fresh one per call would open a connection
   * (and its descriptors) for every poll of a waiting test. */
  if (session == NULL)
    {
      session = soup_session_new ();
      g_private_set (&sessions, session);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* Parses @text (NULL for an empty answer), which must be JSON. */
static JsonNode *
admin_parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

JsonNode *
cc_test_admin (const char *base_url,
               const char *method,
               const char *path,
               const char *body)
{
  guint status;
  g_autofree char *text = admin_send (base_url, method, path, body, &status);

  if (status < 200 || status >= 300)
    g_error ("%s %s answered %u: %s", method, path, status, text ? text : "");
  return admin_parse (text);
}

JsonNode *
cc_test_admin_expect (const char *base_url,
                      const char *method,
                      const char *path,
                      const char *body,
                      guint       expected_status)
{
  guint status;
  g_autofree char *text = admin_send (base_url, method, path, body, &status);

  g_assert_cmpuint (status, ==, expected_status);
  return admin_parse (text);
}

void
cc_test_admin_drop (const char *base_url,
                    const char *method,
                    const char *path,
                    const char *body,
                    guint       expected_status)
{
  g_autoptr(JsonNode) node = cc_test_admin_expect (base_url, method, path, body,
                                                   expected_status);
}

gint64
cc_test_admin_count (const char *base_url,
                     const char *path,
                     const char *member)
{
  g_autoptr(JsonNode) node = cc_test_admin (base_url, "GET", path, NULL);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_int_member (json_node_get_object (node), member ? member : "count");
}

void
cc_test_admin_set_emails (const char *dataverse_url,
                          guint       first,
                          guint       n,
                          const char *email)
{
  g_autoptr(JsonNode) contacts = cc_test_admin (dataverse_url, "GET", "/_sandbox/tables/contacts",
                                                NULL);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (contacts), "value");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "emailaddress1");
  json_builder_add_string_value (builder, email);
  json_builder_end_object (builder);
  body_node = json_builder_get_root (builder);
  body = json_to_string (body_node, FALSE);

  g_assert_cmpuint (first + n, <=, json_array_get_length (rows));
  for (guint i = first; i < first + n; i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (rows, i),
                                                      "contactid");
      g_autofree char *path = g_strdup_printf ("/_sandbox/tables/contacts/%s", id);
      g_autoptr(JsonNode) answer = cc_test_admin (dataverse_url, "PATCH", path, body);
    }
}

void
cc_test_admin_user_counts (const char *dataverse_url,
                           const char *client_id,
                           gint64     *requests,
                           gint64     *throttled)
{
  g_autoptr(JsonNode) answer = cc_test_admin (dataverse_url, "GET", "/_sandbox/users", NULL);
  JsonArray *users = json_object_get_array_member (json_node_get_object (answer), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_str_equal (json_object_get_string_member (user, "client_id"), client_id))
        {
          *requests = json_object_get_int_member (user, "requests");
          *throttled = json_object_get_int_member (user, "throttled");
          return;
        }
    }
  g_error ("the sandbox has no application user %s", client_id);
}
