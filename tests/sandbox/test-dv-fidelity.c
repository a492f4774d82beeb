/* test-dv-fidelity.c — behaviour of the Dataverse emulator that a
 * third-party Web API client relies on: a kept-alive connection after
 * 204 answers, honest 501s for query kinds the emulator does not
 * implement, single-property reads and writes, and $expand of lookups.
 */
#include <string.h>

#include "cc-test-util.h"
#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)

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
  g_autofree char *id = dv_first_contact_id (f);
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

/* ---- single properties ------------------------------------------------- */

static JsonObject *
get_row (DvFixture  *f,
         const char *path)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", path, NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_ref (dv_reply_object (reply));
}

static void
test_single_property (DvFixture     *f,
                      gconstpointer  data)
{
  g_autofree char *id = dv_first_contact_id (f);
  g_autofree char *row_path = g_strdup_printf ("contacts(%s)", id);
  g_autofree char *lastname = g_strdup_printf ("contacts(%s)/lastname", id);
  g_autofree char *raw = g_strdup_printf ("contacts(%s)/lastname/$value", id);
  g_autofree char *phone = g_strdup_printf ("contacts(%s)/telephone1", id);
  g_autofree char *expected_context = g_strdup_printf ("%s$metadata#contacts(%s)/lastname", f->api, id);
  g_autoptr(JsonObject) before = get_row (f, row_path);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(DvReply) put = NULL;
  g_autoptr(DvReply) got = NULL;
  g_autoptr(DvReply) text = NULL;
  g_autoptr(DvReply) cleared = NULL;
  g_autoptr(DvReply) null_value = NULL;

  put = dv_api (f, "PUT", lastname, "{\"value\":\"Nguyen\"}", NULL);
  g_assert_cmpuint (put->status, ==, 204);

  got = dv_api (f, "GET", lastname, NULL, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (got), "value"), ==, "Nguyen");
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (got), "@odata.context"), ==, expected_context);
  text = dv_api (f, "GET", raw, NULL, NULL);
  g_assert_cmpuint (text->status, ==, 200);
  g_assert_cmpstr (text->text, ==, "Nguyen");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (text->headers, NULL), "text/plain"));

  cleared = dv_api (f, "DELETE", phone, NULL, NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  null_value = dv_api (f, "GET", phone, NULL, NULL);
  g_assert_cmpuint (null_value->status, ==, 204);

  /* A real update: a new version, the name composed again. */
  after = get_row (f, row_path);
  g_assert_true (json_object_get_null_member (after, "telephone1"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (after, "fullname"), " Nguyen"));
  g_assert_cmpstr (json_object_get_string_member (after, "@odata.etag"), !=,
                   json_object_get_string_member (before, "@odata.etag"));
}

static void
test_single_property_refusals (DvFixture     *f,
                               gconstpointer  data)
{
  g_autofree char *id = dv_first_contact_id (f);
  g_autofree char *fullname = g_strdup_printf ("contacts(%s)/fullname", id);
  g_autofree char *state = g_strdup_printf ("contacts(%s)/statecode", id);
  g_autofree char *first = g_strdup_printf ("contacts(%s)/firstname", id);
  g_autofree char *nope = g_strdup_printf ("contacts(%s)/nope", id);
  g_autoptr(DvReply) read_only = dv_api (f, "PUT", fullname, "{\"value\":\"X\"}", NULL);
  g_autoptr(DvReply) required = dv_api (f, "DELETE", state, NULL, NULL);
  g_autoptr(DvReply) no_value = dv_api (f, "PUT", first, "{\"firstname\":\"X\"}", NULL);
  g_autoptr(DvReply) too_long = dv_api (f, "PUT", first, "{\"value\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", NULL);
  g_autoptr(DvReply) unknown = dv_api (f, "PUT", nope, "{\"value\":1}", NULL);
  g_autoptr(DvReply) missing = dv_api (f, "PUT", "contacts(00000000-0000-0000-0000-000000000001)/firstname",
                                       "{\"value\":\"X\"}", NULL);
  g_autoptr(DvReply) patch = dv_api (f, "PATCH", first, "{\"value\":\"X\"}", NULL);

  dv_assert_error (read_only, 400, "0x80048d19", "is read-only");
  dv_assert_error (required, 400, "0x80048d19", "cannot be cleared");
  dv_assert_error (no_value, 400, "0x80048d19", "{\"value\": …}");
  dv_assert_error (too_long, 400, "0x80044331", "maximum allowed length of '50'");
  dv_assert_error (unknown, 404, "0x80060888", "'nope'");
  dv_assert_error (missing, 404, "0x80040217", "Does Not Exist");
  dv_assert_error (patch, 405, "0x80060888", "PATCH");
}

/* A lookup through its navigation property: the related row, its
 * reference, and setting or clearing it with $ref. */
static void
test_lookup_reference (DvFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(DvReply) first = dv_api (f, "GET", "new_memberships?$select=_new_contactid_value&$top=1", NULL, NULL);
  JsonObject *membership = json_array_get_object_element (dv_reply_value (first), 0);
  const char *id = json_object_get_string_member (membership, "new_membershipid");
  g_autofree char *contact = g_strdup (json_object_get_string_member (membership, "_new_contactid_value"));
  g_autofree char *other = NULL;
  g_autofree char *nav = g_strdup_printf ("new_memberships(%s)/new_contactid", id);
  g_autofree char *ref = g_strdup_printf ("new_memberships(%s)/new_contactid/$ref", id);
  g_autofree char *row_path = g_strdup_printf ("new_memberships(%s)?$select=_new_contactid_value", id);
  g_autofree char *expected_url = g_strdup_printf ("%scontacts(%s)", f->api, contact);
  g_autofree char *body = NULL;
  g_autoptr(DvReply) related = NULL;
  g_autoptr(DvReply) got_ref = NULL;
  g_autoptr(DvReply) cleared = NULL;
  g_autoptr(DvReply) empty = NULL;
  g_autoptr(DvReply) set = NULL;
  g_autoptr(DvReply) others = NULL;
  g_autoptr(JsonObject) row = NULL;

  related = dv_api (f, "GET", nav, NULL, NULL);
  g_assert_cmpuint (related->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (related), "contactid"), ==, contact);
  got_ref = dv_api (f, "GET", ref, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (got_ref), "@odata.id"), ==, expected_url);

  cleared = dv_api (f, "DELETE", ref, NULL, NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  row = get_row (f, row_path);
  g_assert_true (json_object_get_null_member (row, "_new_contactid_value"));
  empty = dv_api (f, "GET", nav, NULL, NULL);
  g_assert_cmpuint (empty->status, ==, 204);

  others = dv_api (f, "GET", "contacts?$select=contactid&$top=2", NULL, NULL);
  other = g_strdup (json_object_get_string_member (json_array_get_object_element (dv_reply_value (others), 1),
                                                   "contactid"));
  body = g_strdup_printf ("{\"@odata.id\":\"%scontacts(%s)\"}", f->api, other);
  set = dv_api (f, "PUT", ref, body, NULL);
  g_assert_cmpuint (set->status, ==, 204);
  g_clear_pointer (&row, json_object_unref);
  row = get_row (f, row_path);
  g_assert_cmpstr (json_object_get_string_member (row, "_new_contactid_value"), ==, other);
}

/* ---- $expand of lookups ------------------------------------------------- */

static char *
create_send_event (DvFixture  *f,
                   const char *key,
                   const char *contact)
{
  g_autofree char *body = contact
    ? g_strdup_printf ("{\"subject\":\"Sent %s\",\"regardingobjectid_contact_new_emailsend@odata.bind\":"
                       "\"/contacts(%s)\"}", key, contact)
    : g_strdup_printf ("{\"subject\":\"Sent %s\"}", key);
  g_autofree char *path = g_strdup_printf ("new_emailsends(new_campaigneventid='%s')", key);
  g_autoptr(DvReply) reply = dv_api (f, "PATCH", path, body, NULL);
  const char *url = soup_message_headers_get_one (reply->headers, "OData-EntityId");

  g_assert_cmpuint (reply->status, ==, 204);
  return g_strndup (strrchr (url, '(') + 1, 36);
}

static void
test_expand_lookup (DvFixture     *f,
                    gconstpointer  data)
{
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *linked = create_send_event (f, "e-1", contact);
  g_autofree char *unlinked = create_send_event (f, "e-2", NULL);
  g_autofree char *contact_url = g_strdup_printf ("%scontacts(%s)", f->api, contact);
  g_autofree char *one_path = g_strdup_printf ("new_emailsends(%s)?$select=subject"
                                               "&$expand=regardingobjectid_contact_new_emailsend"
                                               "($select=fullname,emailaddress1)", linked);
  g_autoptr(DvReply) list = dv_api (f, "GET", "new_emailsends?$select=subject"
                                    "&$expand=regardingobjectid_contact_new_emailsend($select=fullname)",
                                    NULL, NULL);
  g_autoptr(DvReply) one = dv_api (f, "GET", one_path, NULL, NULL);
  g_autoptr(DvReply) refs = dv_api (f, "GET", "new_emailsends?$select=subject"
                                    "&$expand=regardingobjectid_contact_new_emailsend/$ref", NULL, NULL);
  g_autoptr(DvReply) membership = dv_api (f, "GET", "new_memberships?$select=new_name&$top=1"
                                          "&$expand=new_contactid($select=lastname)", NULL, NULL);
  JsonArray *value = dv_reply_value (list);
  JsonObject *contact_obj;
  JsonObject *row;

  g_assert_cmpuint (json_array_get_length (value), ==, 2);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (dv_reply_object (list), "@odata.context"),
                                   "$metadata#new_emailsends(subject,regardingobjectid_contact_new_emailsend(fullname))"));
  for (guint i = 0; i < 2; i++)
    {
      row = json_array_get_object_element (value, i);
      if (g_str_equal (json_object_get_string_member (row, "activityid"), unlinked))
        {
          g_assert_true (json_object_get_null_member (row, "regardingobjectid_contact_new_emailsend"));
          continue;
        }
      contact_obj = json_object_get_object_member (row, "regardingobjectid_contact_new_emailsend");
      g_assert_nonnull (contact_obj);
      g_assert_cmpstr (json_object_get_string_member (contact_obj, "contactid"), ==, contact);
      g_assert_true (json_object_has_member (contact_obj, "fullname"));
      g_assert_false (json_object_has_member (contact_obj, "emailaddress1"));
      g_assert_false (json_object_has_member (contact_obj, "@odata.etag"));
      /* Only what $select names, plus the key. */
      g_assert_false (json_object_has_member (row, "_regardingobjectid_value"));
    }

  contact_obj = json_object_get_object_member (dv_reply_object (one), "regardingobjectid_contact_new_emailsend");
  g_assert_true (json_object_has_member (contact_obj, "emailaddress1"));
  g_assert_cmpstr (json_object_get_string_member (dv_reply_object (one), "subject"), ==, "Sent e-1");

  value = dv_reply_value (refs);
  for (guint i = 0; i < 2; i++)
    {
      row = json_array_get_object_element (value, i);
      if (!json_object_get_null_member (row, "regardingobjectid_contact_new_emailsend"))
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                           row, "regardingobjectid_contact_new_emailsend"), "@odata.id"), ==, contact_url);
    }

  row = json_array_get_object_element (dv_reply_value (membership), 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (row, "new_contactid"), "lastname"));
}

static void
test_expand_refusals (DvFixture     *f,
                      gconstpointer  data)
{
  g_autoptr(DvReply) unknown = dv_api (f, "GET", "new_emailsends?$expand=nope", NULL, NULL);
  g_autoptr(DvReply) filtered = dv_api (f, "GET", "new_emailsends?$expand=regardingobjectid_contact_new_emailsend"
                                        "($filter=lastname%20eq%20'x')", NULL, NULL);
  g_autoptr(DvReply) bad_select = dv_api (f, "GET", "new_memberships?$expand=new_contactid($select=nope)",
                                          NULL, NULL);
  g_autoptr(DvReply) nested_unknown = dv_api (f, "GET", "new_memberships?$expand=new_contactid($expand=x)",
                                              NULL, NULL);

  dv_assert_error (unknown, 400, "0x80060888", "Could not find a property named 'nope'");
  dv_assert_error (filtered, 400, "0x80060888", "single-valued navigation property");
  dv_assert_error (bad_select, 400, "0x80060888", "Could not find a property named 'nope'");
  dv_assert_error (nested_unknown, 400, "0x80060888", "Could not find a property named 'x' on type "
                   "'Microsoft.Dynamics.CRM.contact'");
}

void
dv_add_fidelity_tests (void)
{
  ADD ("/sandbox/dataverse/property/read-write-clear", test_single_property);
  ADD ("/sandbox/dataverse/property/refusals", test_single_property_refusals);
  ADD ("/sandbox/dataverse/property/lookup-reference", test_lookup_reference);
  ADD ("/sandbox/dataverse/expand/lookup", test_expand_lookup);
  ADD ("/sandbox/dataverse/expand/refusals", test_expand_refusals);
  ADD ("/sandbox/dataverse/query/unimplemented", test_unimplemented_queries);
  ADD ("/sandbox/dataverse/connection/keep-alive-after-204", test_keep_alive_after_no_content);
}
