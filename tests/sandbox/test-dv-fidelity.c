/* test-dv-fidelity.c — behaviour of the Dataverse emulator that a
 * third-party Web API client relies on: a kept-alive connection after
 * 204 answers, honest 501s for query kinds the emulator does not
 * implement, single-property reads and writes, and $expand of lookups.
 */
#include <string.h>

#include "cc-test-util.h"
#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)

static char *
first_contact_id (DvFixture *f)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$select=contactid&$top=1", NULL, NULL);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (dv_reply_value (reply), 0),
                                                  "contactid"));
}

/* ---- one raw connection ------------------------------------------------- */

/* Reads one HTTP/1.1 answer (headers, then a Content-Length body) from
 * @stream; returns its status line and sets @headers_out to the header
 * block, or returns NULL when the server closed the connection first. */
static char *
read_answer (GInputStream  *stream,
             char         **headers_out)
{
  GString *head = g_string_new (NULL);
  const char *length;
  gsize content_length = 0;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (stream, &c, 1, NULL, &error);

      if (n <= 0)
        {
          g_string_free (head, TRUE);
          return NULL;
        }
      g_string_append_c (head, c);
    }
  length = strstr (head->str, "Content-Length: ");
  if (length != NULL)
    content_length = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
  if (content_length > 0)
    {
      g_autofree char *body = g_malloc (content_length);
      gsize got = 0;

      g_assert_true (g_input_stream_read_all (stream, body, content_length, &got, NULL, NULL));
      g_assert_cmpuint (got, ==, content_length);
    }
  *headers_out = g_string_free (head, FALSE);
  return g_strndup (*headers_out, strcspn (*headers_out, "\r"));
}

static void
write_request (GOutputStream *stream,
               const char    *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (stream, text, strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A client that keeps its connection (dynamics-web-api's agent, libsoup,
 * .NET's HttpClient) sends the next request on the socket that carried a
 * 204; the real service answers it there. */
static void
test_keep_alive_after_no_content (DvFixture     *f,
                                  gconstpointer  data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = first_contact_id (f);
  g_autofree char *status = NULL;
  g_autofree char *headers = NULL;
  const char *body = "{\"firstname\":\"Kept\"}";
  GInputStream *in;
  GOutputStream *out;

  g_socket_client_set_timeout (client, 20);
  connection = g_socket_client_connect_to_uri (client, f->url, 80, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *patch = g_strdup_printf ("PATCH /api/data/v9.2/contacts(%s) HTTP/1.1\r\n"
                                                "Host: sandbox\r\nAuthorization: Bearer %s\r\n"
                                                "Content-Type: application/json\r\n"
                                                "Content-Length: %zu\r\n\r\n%s",
                                                id, f->token, strlen (body), body);
      g_autofree char *get = g_strdup_printf ("GET /api/data/v9.2/contacts(%s)?$select=firstname HTTP/1.1\r\n"
                                              "Host: sandbox\r\nAuthorization: Bearer %s\r\n\r\n",
                                              id, f->token);

      write_request (out, patch);
      g_clear_pointer (&headers, g_free);
      g_free (status);
      status = read_answer (in, &headers);
      g_assert_cmpstr (status, ==, "HTTP/1.1 204 No Content");
      g_assert_null (strstr (headers, "Connection: close"));

      write_request (out, get);
      g_clear_pointer (&headers, g_free);
      g_free (status);
      status = read_answer (in, &headers);
      /* NULL here is the connection closed under the client. */
      g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");
    }
}

/* ---- what the emulator does not implement -------------------------------- */

/* FetchXML, saved and user views and parameter aliases are real queries;
 * answering them with the whole table would hide that the emulator cannot
 * run them. Like $apply, they are refused as not implemented. */
static void
test_unimplemented_queries (DvFixture     *f,
                            gconstpointer  data)
{
  const char *paths[] = {
    "contacts?fetchXml=%3Cfetch%3E%3Centity%20name%3D%27contact%27%3E%3Call-attributes%2F%3E%3C%2Fentity%3E%3C%2Ffetch%3E",
    "contacts?fetchXml=not%20xml%20at%20all",
    "contacts?savedQuery=00000000-0000-0000-00aa-000010001001",
    "contacts?userQuery=00000000-0000-0000-00aa-000010001001",
    "contacts?$filter=lastname%20eq%20@p1&@p1='Smith'",
    "contacts/$count?fetchXml=%3Cfetch%2F%3E",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(DvReply) reply = dv_api (f, "GET", paths[i], NULL, NULL);

      dv_assert_error (reply, 501, "0x80060888", "The sandbox does not implement the query");
    }
}

void
dv_add_fidelity_tests (void)
{
  ADD ("/sandbox/dataverse/query/unimplemented", test_unimplemented_queries);
  ADD ("/sandbox/dataverse/connection/keep-alive-after-204", test_keep_alive_after_no_content);
}
