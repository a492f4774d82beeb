/* cc-test-admin.c — plain libsoup calls to the sandbox admin API. */
#include <libsoup/soup.h>

#include "cc-test-admin.h"

JsonNode *
cc_test_admin (const char *base_url,
               const char *method,
               const char *path,
               const char *body)
{
  static GPrivate sessions = G_PRIVATE_INIT (g_object_unref);
  SoupSession *session = g_private_get (&sessions);
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

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
  data = g_bytes_get_data (answer, &size);
  if (soup_message_get_status (msg) < 200 || soup_message_get_status (msg) >= 300)
    g_error ("%s %s answered %u: %.*s", method, path, soup_message_get_status (msg),
             (int) size, data);
  if (size == 0)
    return NULL;
  {
    g_autofree char *text = g_strndup (data, size);
    JsonNode *node = json_from_string (text, &error);

    g_assert_no_error (error);
    return node;
  }
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
