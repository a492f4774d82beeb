/* test-dv-write.c — writing to the Dataverse emulator: create,
 * upsert with every guard header, delete, validation errors, lookups by
 * @odata.bind, alternate keys, and $batch (stop on error, continue on
 * error, atomic change sets, Content-ID references, limits).
 */
#include <string.h>

#include "cc-test-util.h"
#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)

static gint64
table_count (DvFixture  *f,
             const char *set)
{
  g_autoptr(DvReply) stats = dv_admin (f, "GET", "stats", NULL);

  return json_object_get_int_member (json_object_get_object_member (dv_reply_object (stats), "tables"), set);
}

static char *
id_from_entity_id (DvReply *reply)
{
  const char *url = soup_message_headers_get_one (reply->headers, "OData-EntityId");
  const char *paren;

  g_assert_nonnull (url);
  paren = strrchr (url, '(');
  g_assert_nonnull (paren);
  return g_strndup (paren + 1, 36);
}

static gboolean
is_utc_stamp (const char *text)
{
  return g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", text, 0, 0);
}

/* ---- create, update, delete --------------------------------------------- */

static void
test_crud (DvFixture     *f,
           gconstpointer  data)
{
  g_autoptr(DvReply) created = dv_api (f, "POST", "contacts",
                                       "{\"firstname\":\"Zoë\",\"lastname\":\"Ødegård\",\"emailaddress1\":"
                                       "\"zoe@example.com\",\"new_tier\":2,\"birthdate\":\"1990-02-03\"}", NULL);
  g_autofree char *id = id_from_entity_id (created);
  g_autofree char *path = g_strdup_printf ("contacts(%s)", id);
  g_autofree char *expected_url = g_strdup_printf ("%scontacts(%s)", f->api, id);
  g_autofree char *etag = NULL;
  g_autofree char *missing = g_strdup ("contacts(11111111-2222-4333-8444-555555555555)");
  JsonObject *row;
  gint64 version;

  g_assert_cmpuint (created->status, ==, 204);
  g_assert_cmpuint (created->length, ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (created->headers, "OData-EntityId"), ==, expected_url);

  {
    g_autoptr(DvReply) got = dv_api (f, "GET", path, NULL, NULL);

    row = dv_reply_object (got);
    g_assert_cmpstr (json_object_get_string_member (row, "fullname"), ==, "Zoë Ødegård");
    g_assert_cmpstr (json_object_get_string_member (row, "birthdate"), ==, "1990-02-03");
    g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "@odata.context"), "#contacts/$entity"));
    g_assert_true (is_utc_stamp (json_object_get_string_member (row, "createdon")));
    g_assert_true (is_utc_stamp (json_object_get_string_member (row, "modifiedon")));
    version = json_object_get_int_member (row, "versionnumber");
    etag = g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
    g_assert_cmpstr (json_object_get_string_member (row, "@odata.etag"), ==, etag);
    g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, etag);
  }
  {
    g_autoptr(DvReply) unchanged = dv_api (f, "GET", path, NULL, "If-None-Match", etag, NULL);

    g_assert_cmpuint (unchanged->status, ==, 304);
  }

  /* return=representation: 201 with the row and no OData-EntityId. */
  {
    g_autoptr(DvReply) rep = dv_api (f, "POST", "contacts?$select=fullname", "{\"lastname\":\"张\",\"firstname\":\"伟\"}",
                                     "Prefer", "return=representation", NULL);

    g_assert_cmpuint (rep->status, ==, 201);
    g_assert_null (soup_message_headers_get_one (rep->headers, "OData-EntityId"));
    g_assert_cmpstr (soup_message_headers_get_list (rep->headers, "Preference-Applied"), ==, "return=representation");
    row = dv_reply_object (rep);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "@odata.context"), "#contacts(fullname)/$entity"));
    g_assert_cmpstr (json_object_get_string_member (row, "fullname"), ==, "张伟");
    g_assert_true (json_object_has_member (row, "contactid"));
    g_assert_false (json_object_has_member (row, "lastname"));
  }

  /* Updates: plain, then guarded by the current and a stale ETag. */
  {
    g_autoptr(DvReply) update = dv_api (f, "PATCH", path, "{\"firstname\":\"Zoe\"}", NULL);
    g_autoptr(DvReply) stale = dv_api (f, "PATCH", path, "{\"firstname\":\"Stale\"}", "If-Match", etag, NULL);
    g_autoptr(DvReply) got = dv_api (f, "GET", path, NULL, NULL);
    g_autofree char *current = NULL;

    g_assert_cmpuint (update->status, ==, 204);
    dv_assert_error (stale, 412, "0x80060882",
                     "The version of the existing record doesn't match the RowVersion property provided.");
    row = dv_reply_object (got);
    g_assert_cmpstr (json_object_get_string_member (row, "fullname"), ==, "Zoe Ødegård");
    g_assert_cmpint (json_object_get_int_member (row, "versionnumber"), >, version);
    current = g_strdup (json_object_get_string_member (row, "@odata.etag"));
    {
      g_autoptr(DvReply) guarded = dv_api (f, "PATCH", path, "{\"telephone1\":\"+45 33 12 34 56\"}",
                                           "If-Match", current, NULL);

      g_assert_cmpuint (guarded->status, ==, 204);
    }
    {
      g_autoptr(DvReply) rep = dv_api (f, "PATCH", path, "{\"mobilephone\":null}", "Prefer", "return=representation", NULL);

      g_assert_cmpuint (rep->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (dv_reply_object (rep), "telephone1"), ==, "+45 33 12 34 56");
      g_assert_true (json_object_get_null_member (dv_reply_object (rep), "mobilephone"));
    }
  }

  /* Guards on create and update-only. */
  {
    g_autoptr(DvReply) create_only = dv_api (f, "PATCH", path, "{\"firstname\":\"X\"}", "If-None-Match", "*", NULL);
    g_autoptr(DvReply) update_only = dv_api (f, "PATCH", missing, "{\"firstname\":\"X\"}", "If-Match", "*", NULL);
    g_autoptr(DvReply) upsert = dv_api (f, "PATCH", missing, "{\"lastname\":\"Upserted\"}", NULL);
    g_autoptr(DvReply) fetched = dv_api (f, "GET", missing, NULL, NULL);

    dv_assert_error (create_only, 412, "0x80040237", "A record with matching key values already exists.");
    dv_assert_error (update_only, 404, "0x80040217",
                     "contact With Id = 11111111-2222-4333-8444-555555555555 Does Not Exist");
    g_assert_cmpuint (upsert->status, ==, 204);
    g_assert_cmpstr (json_object_get_string_member (dv_reply_object (fetched), "lastname"), ==, "Upserted");
  }

  /* Deletes. */
  {
    g_autoptr(DvReply) stale = dv_api (f, "DELETE", path, NULL, "If-Match", etag, NULL);
    g_autoptr(DvReply) gone = dv_api (f, "DELETE", path, NULL, NULL);
    g_autoptr(DvReply) again = dv_api (f, "DELETE", path, NULL, NULL);
    g_autoptr(DvReply) fetched = dv_api (f, "GET", path, NULL, NULL);

    g_assert_cmpuint (stale->status, ==, 412);
    g_assert_cmpuint (gone->status, ==, 204);
    dv_assert_error (again, 404, "0x80040217", "Does Not Exist");
    g_assert_cmpuint (fetched->status, ==, 404);
  }
  g_assert_cmpint (table_count (f, "contacts"), ==, 62);
}

static void
test_validation (DvFixture     *f,
                 gconstpointer  data)
{
  static const char *cases[][4] = {
    { "contacts", "{\"fullname\":\"X\"}", "0x80048d19", "'fullname' is read-only" },
    { "contacts", "{\"createdon\":\"2020-01-01T00:00:00Z\"}", "0x80048d19", "'createdon' is read-only" },
    { "contacts", "{\"versionnumber\":5}", "0x80048d19", "'versionnumber' is read-only" },
    { "contacts", "{\"nickname\":\"X\"}", "0x80048d19", "The property 'nickname' does not exist on type 'Microsoft.Dynamics.CRM.contact'" },
    { "contacts", "{\"new_tier\":\"gold\"}", "0x80048d19", "to the expected type 'Edm.Int32'" },
    { "contacts", "{\"donotemail\":\"yes\"}", "0x80048d19", "to the expected type 'Edm.Boolean'" },
    { "contacts", "{\"birthdate\":\"yesterday\"}", "0x80048d19", "to the expected type 'Edm.Date'" },
    { "contacts", "{\"new_tier\":7}", "0x8004431a", "is outside the valid range. Accepted Values: 1,2,3" },
    { "contacts", "{\"firstname\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ\"}", "0x80044331",
      "The length of the 'firstname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'." },
    { "contacts", "[1,2]", "0x80048d19", "not a JSON object" },
    { "new_memberships", "{\"_new_contactid_value\":\"11111111-2222-4333-8444-555555555555\"}", "0x80048d19",
      "new_contactid@odata.bind" },
    { "new_memberships", "{\"nav@odata.bind\":\"/contacts(11111111-2222-4333-8444-555555555555)\"}", "0x80048d19",
      "An undeclared property 'nav'" },
    { "new_memberships", "{\"new_contactid@odata.bind\":\"/new_memberships(11111111-2222-4333-8444-555555555555)\"}",
      "0x80048d19", "is not a reference to a record of 'contact'" },
    { "new_memberships", "{\"new_contactid@odata.bind\":\"/contacts(11111111-2222-4333-8444-555555555555)\"}",
      "0x80040217", "contact With Id = 11111111-2222-4333-8444-555555555555 Does Not Exist" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DvReply) reply = dv_api (f, "POST", cases[i][0], cases[i][1], NULL);

      dv_assert_error (reply, g_str_equal (cases[i][2], "0x80040217") ? 404 : 400, cases[i][2], cases[i][3]);
    }
  g_assert_cmpint (table_count (f, "contacts"), ==, 60);
  g_assert_cmpint (table_count (f, "new_memberships"), ==, 30);
}

static void
test_lookups (DvFixture     *f,
              gconstpointer  data)
{
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *long_subject = g_strnfill (201, 's');
  g_autofree char *body = NULL;

  /* Relative with and without a slash, and absolute. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *ref = g_strdup_printf ("%s%scontacts(%s)", i == 2 ? f->api : "", i == 0 ? "/" : "", contact);
      g_autofree char *json = g_strdup_printf ("{\"new_name\":\"Linked %u\",\"new_level\":100000001,"
                                               "\"new_contactid@odata.bind\":\"%s\"}", i, ref);
      g_autoptr(DvReply) reply = dv_api (f, "POST", "new_memberships", json, "Prefer", "return=representation", NULL);

      g_assert_cmpuint (reply->status, ==, 201);
      g_assert_cmpstr (json_object_get_string_member (dv_reply_object (reply), "_new_contactid_value"), ==, contact);
    }

  /* An activity regarding a contact, and the documented length error. */
  body = g_strdup_printf ("{\"subject\":\"Opened\",\"regardingobjectid_contact_new_emailopen@odata.bind\":"
                          "\"/contacts(%s)\",\"new_eventdate\":\"2026-01-02T03:04:05Z\"}", contact);
  {
    g_autoptr(DvReply) ok = dv_api (f, "POST", "new_emailopens", body, "Prefer", "return=representation", NULL);
    g_autofree char *too_long = g_strdup_printf ("{\"subject\":\"%s\"}", long_subject);
    g_autoptr(DvReply) bad = dv_api (f, "POST", "new_emailopens", too_long, NULL);

    g_assert_cmpuint (ok->status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (dv_reply_object (ok), "_regardingobjectid_value"), ==, contact);
    dv_assert_error (bad, 400, "0x80044331",
                     "A validation error occurred.  The length of the 'subject' attribute of the "
                     "'new_emailopen' entity exceeded the maximum allowed length of '200'.");
  }
}

static void
test_alternate_key (DvFixture     *f,
                    gconstpointer  data)
{
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *body = g_strdup_printf ("{\"subject\":\"OP1000 DM2001\",\"new_campaignname\":\"Spring Sale 2026\","
                                           "\"regardingobjectid_contact_new_emailsend@odata.bind\":\"/contacts(%s)\","
                                           "\"new_eventdate\":\"2026-01-02T03:04:05+01:00\"}", contact);
  g_autoptr(DvReply) created = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='evt-1')", body, NULL);
  g_autoptr(DvReply) got = dv_api (f, "GET", "new_emailsends(new_campaigneventid='evt-1')", NULL, NULL);
  g_autoptr(DvReply) updated = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='evt-1')",
                                       "{\"subject\":\"changed\"}", NULL);
  g_autoptr(DvReply) guarded = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='evt-1')",
                                       "{\"subject\":\"x\"}", "If-None-Match", "*", NULL);
  g_autoptr(DvReply) duplicate = dv_api (f, "POST", "new_emailsends",
                                         "{\"subject\":\"dup\",\"new_campaigneventid\":\"evt-1\"}", NULL);
  g_autoptr(DvReply) quoted = dv_api (f, "PATCH", "new_emailsends(new_campaigneventid='it''s')", "{\"subject\":\"q\"}", NULL);
  g_autoptr(DvReply) not_key = dv_api (f, "GET", "new_emailsends(subject='q')", NULL, NULL);
  g_autofree char *id = id_from_entity_id (created);
  g_autofree char *id2 = id_from_entity_id (updated);
  JsonObject *row;

  g_assert_cmpuint (created->status, ==, 204);
  row = dv_reply_object (got);
  g_assert_cmpstr (json_object_get_string_member (row, "activityid"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (row, "new_campaigneventid"), ==, "evt-1");
  g_assert_cmpstr (json_object_get_string_member (row, "new_eventdate"), ==, "2026-01-02T02:04:05Z");
  g_assert_cmpstr (json_object_get_string_member (row, "_regardingobjectid_value"), ==, contact);
  g_assert_cmpuint (updated->status, ==, 204);
  g_assert_cmpstr (id2, ==, id);
  dv_assert_error (guarded, 412, "0x80040237", "A record with matching key values already exists.");
  dv_assert_error (duplicate, 412, "0x80040237", "A record with matching key values already exists.");
  g_assert_cmpuint (quoted->status, ==, 204);
  dv_assert_error (not_key, 400, "0x80060888", "The key in the request URI is not valid");
  g_assert_cmpint (table_count (f, "new_emailsends"), ==, 2);

  {
    g_autoptr(DvReply) q = dv_api (f, "GET", "new_emailsends?$filter=new_campaigneventid%20eq%20'it''s'", NULL, NULL);
    g_autoptr(DvReply) del = dv_api (f, "DELETE", "new_emailsends(new_campaigneventid='evt-1')", NULL, NULL);
    g_autoptr(DvReply) after = dv_api (f, "GET", "new_emailsends(new_campaigneventid='evt-1')", NULL, NULL);

    g_assert_cmpuint (json_array_get_length (dv_reply_value (q)), ==, 1);
    g_assert_cmpuint (del->status, ==, 204);
    dv_assert_error (after, 404, "0x80040217", "does not exist in new_emailsend entity");
  }
}

/* ---- $batch ------------------------------------------------------------- */

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  char               *content_id;
  gboolean            in_changeset;
} BatchPart;

static void
batch_part_free (BatchPart *part)
{
  soup_message_headers_unref (part->headers);
  g_free (part->body);
  g_free (part->content_id);
  g_free (part);
}

static void
collect_parts (SoupMessageHeaders *headers,
               GBytes             *body,
               gboolean            in_changeset,
               GPtrArray          *out)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

  g_assert_nonnull (multipart);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      const char *type;

      g_assert_true (soup_multipart_get_part (multipart, i, &part_headers, &part_body));
      type = soup_message_headers_get_content_type (part_headers, NULL);
      if (g_str_equal (type, "multipart/mixed"))
        {
          /* As in the documented answers, the change set's closing
           * delimiter is directly followed by the batch's next one;
           * libsoup's parser wants a byte after it. */
          g_autoptr(GByteArray) padded = g_byte_array_new ();
          g_autoptr(GBytes) nested = NULL;

          g_byte_array_append (padded, g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          g_byte_array_append (padded, (const guint8 *) "\r\n", 2);
          nested = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
          collect_parts (part_headers, nested, TRUE, out);
        }
      else
        {
          BatchPart *part = g_new0 (BatchPart, 1);
          gsize len = 0;
          const char *data = g_bytes_get_data (part_body, &len);
          const char *blank = g_strstr_len (data, len, "\r\n\r\n");
          SoupHTTPVersion version;
          char *reason = NULL;

          g_assert_cmpstr (type, ==, "application/http");
          g_assert_nonnull (blank);
          part->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
          g_assert_true (soup_headers_parse_response (data, blank - data + 4, part->headers,
                                                      &version, &part->status, &reason));
          g_free (reason);
          part->body = g_strndup (blank + 4, len - (blank + 4 - data));
          part->content_id = g_strdup (soup_message_headers_get_one (part_headers, "Content-ID"));
          part->in_changeset = in_changeset;
          g_ptr_array_add (out, part);
        }
    }
}

static GPtrArray *
batch_parts (DvReply *reply)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_part_free);
  g_autoptr(GBytes) body = g_bytes_new (reply->text, reply->length);

  g_assert_no_error (reply->error);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply->headers, "Content-Type"),
                                   "multipart/mixed; boundary=batchresponse_"));
  collect_parts (reply->headers, body, FALSE, parts);
  return parts;
}

static GString *
three_creates (void)
{
  GString *b = g_string_new (NULL);
  g_autofree char *long_subject = g_strnfill (250, 'x');
  g_autofree char *bad = g_strdup_printf ("{\"subject\":\"%s\"}", long_subject);

  dv_batch_add (b, "batch_T", "POST", "/api/data/v9.2/contacts", "{\"lastname\":\"First\"}", NULL);
  dv_batch_add (b, "batch_T", "POST", "/api/data/v9.2/new_emailsends", bad, NULL);
  dv_batch_add (b, "batch_T", "POST", "contacts", "{\"lastname\":\"Third\"}", NULL);
  return b;
}

static void
test_batch_errors (DvFixture     *f,
                   gconstpointer  data)
{
  /* Default: stop at the first failure, the batch answers 400. */
  {
    g_autoptr(GString) b = three_creates ();
    g_autoptr(DvReply) reply = dv_batch_send (f, b, NULL);
    g_autoptr(GPtrArray) parts = batch_parts (reply);
    BatchPart *failed;

    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_cmpuint (parts->len, ==, 2);
    g_assert_cmpuint (((BatchPart *) parts->pdata[0])->status, ==, 204);
    g_assert_nonnull (soup_message_headers_get_one (((BatchPart *) parts->pdata[0])->headers, "OData-EntityId"));
    failed = parts->pdata[1];
    g_assert_cmpuint (failed->status, ==, 400);
    g_assert_nonnull (strstr (failed->body, "\"code\":\"0x80044331\""));
    g_assert_cmpint (table_count (f, "contacts"), ==, 61);
  }
  /* odata.continue-on-error: 200 and every part with its own status. */
  {
    g_autoptr(GString) b = three_creates ();
    g_autoptr(DvReply) reply = dv_batch_send (f, b, "odata.continue-on-error");
    g_autoptr(GPtrArray) parts = batch_parts (reply);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_list (reply->headers, "Preference-Applied"), ==, "odata.continue-on-error");
    g_assert_cmpuint (parts->len, ==, 3);
    g_assert_cmpuint (((BatchPart *) parts->pdata[0])->status, ==, 204);
    g_assert_cmpuint (((BatchPart *) parts->pdata[1])->status, ==, 400);
    g_assert_cmpuint (((BatchPart *) parts->pdata[2])->status, ==, 204);
    g_assert_cmpint (table_count (f, "contacts"), ==, 63);
  }
  /* Too many parts, and a GET inside a change set. */
  {
    GString *b = g_string_new (NULL);
    g_autoptr(DvReply) reply = NULL;

    for (guint i = 0; i < 1001; i++)
      dv_batch_add (b, "batch_T", "GET", "contacts?$top=1", NULL, NULL);
    reply = dv_batch_send (f, b, NULL);
    dv_assert_error (reply, 400, "0x80060888", "maximum number of requests in a batch is 1000");
    g_string_free (b, TRUE);
  }
  {
    g_autoptr(GString) b = g_string_new ("--batch_T\r\nContent-Type: multipart/mixed; boundary=changeset_C\r\n\r\n");
    g_autoptr(DvReply) reply = NULL;
    g_autoptr(GPtrArray) parts = NULL;

    dv_batch_add (b, "changeset_C", "GET", "contacts?$top=1", NULL, "1");
    g_string_append (b, "--changeset_C--\r\n");
    reply = dv_batch_send (f, b, NULL);
    parts = batch_parts (reply);
    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_nonnull (strstr (((BatchPart *) parts->pdata[0])->body, "GET requests are not allowed inside a change set"));
  }
}

static void
test_batch_changeset (DvFixture     *f,
                      gconstpointer  data)
{
  g_autofree char *contact = dv_first_contact_id (f);
  g_autofree char *contact_path = g_strdup_printf ("tables/contacts/%s", contact);
  g_autofree char *patch_url = g_strdup_printf ("contacts(%s)", contact);
  g_autoptr(DvReply) before = dv_admin (f, "GET", contact_path, NULL);
  g_autoptr(DvReply) tracked = dv_api (f, "GET", "contacts?$select=lastname", NULL, "Prefer", "odata.track-changes", NULL);
  const char *delta = json_object_get_string_member (dv_reply_object (tracked), "@odata.deltaLink");

  /* A failing change set leaves no trace, not even in change tracking. */
  {
    g_autoptr(GString) b = g_string_new ("--batch_T\r\nContent-Type: multipart/mixed; boundary=changeset_C\r\n\r\n");
    g_autoptr(DvReply) reply = NULL;
    g_autoptr(GPtrArray) parts = NULL;
    g_autoptr(DvReply) after = NULL;
    g_autoptr(DvReply) changes = NULL;

    dv_batch_add (b, "changeset_C", "POST", "contacts", "{\"lastname\":\"Roll\"}", "1");
    dv_batch_add (b, "changeset_C", "PATCH", "$1", "{\"firstname\":\"Back\"}", "2");
    dv_batch_add (b, "changeset_C", "PATCH", patch_url, "{\"lastname\":\"Changed\"}", "3");
    dv_batch_add (b, "changeset_C", "DELETE", "new_memberships(" "00000000-0000-4000-8000-000000000000" ")", NULL, "4");
    g_string_append (b, "--changeset_C--\r\n");
    reply = dv_batch_send (f, b, NULL);
    parts = batch_parts (reply);

    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_cmpuint (parts->len, ==, 1);
    g_assert_cmpuint (((BatchPart *) parts->pdata[0])->status, ==, 404);
    g_assert_cmpstr (((BatchPart *) parts->pdata[0])->content_id, ==, "4");
    g_assert_cmpint (table_count (f, "contacts"), ==, 60);
    after = dv_admin (f, "GET", contact_path, NULL);
    g_assert_cmpstr (json_object_get_string_member (dv_reply_object (after), "lastname"), ==,
                     json_object_get_string_member (dv_reply_object (before), "lastname"));
    g_assert_cmpint (json_object_get_int_member (dv_reply_object (after), "versionnumber"), ==,
                     json_object_get_int_member (dv_reply_object (before), "versionnumber"));
    changes = dv_api (f, "GET", delta, NULL, NULL);
    g_assert_cmpuint (json_array_get_length (dv_reply_value (changes)), ==, 0);
  }

  /* Content-ID references in a URL and in @odata.bind; parts in order. */
  {
    g_autoptr(GString) b = g_string_new ("--batch_T\r\nContent-Type: multipart/mixed; boundary=changeset_C\r\n\r\n");
    g_autofree char *get_url = g_strdup_printf ("%scontacts?$select=firstname&$filter=lastname%%20eq%%20'RefTest'", f->api);
    g_autoptr(DvReply) reply = NULL;
    g_autoptr(GPtrArray) parts = NULL;
    BatchPart *created, *membership, *listed;
    g_autofree char *new_id = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(DvReply) undeclared = NULL;
    JsonObject *row;

    dv_batch_add (b, "changeset_C", "POST", "contacts", "{\"lastname\":\"RefTest\"}", "1");
    dv_batch_add (b, "changeset_C", "POST", "new_memberships?$select=_new_contactid_value",
            "{\"new_name\":\"Ref\",\"new_contactid@odata.bind\":\"$1\"}", "2");
    dv_batch_add (b, "changeset_C", "PATCH", "$1", "{\"firstname\":\"Ref\"}", "3");
    g_string_append (b, "--changeset_C--\r\n");
    dv_batch_add (b, "batch_T", "GET", get_url, NULL, NULL);
    reply = dv_batch_send (f, b, NULL);
    parts = batch_parts (reply);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (parts->len, ==, 4);
    created = parts->pdata[0];
    membership = parts->pdata[1];
    listed = parts->pdata[3];
    g_assert_true (created->in_changeset);
    g_assert_cmpstr (created->content_id, ==, "1");
    g_assert_cmpuint (created->status, ==, 204);
    g_assert_cmpstr (((BatchPart *) parts->pdata[2])->content_id, ==, "3");
    g_assert_cmpuint (((BatchPart *) parts->pdata[2])->status, ==, 204);
    new_id = g_strndup (strrchr (soup_message_headers_get_one (created->headers, "OData-EntityId"), '(') + 1, 36);
    g_assert_nonnull (soup_message_headers_get_one (created->headers, "Location"));
    g_assert_cmpuint (membership->status, ==, 204);
    g_assert_false (listed->in_changeset);
    g_assert_cmpuint (listed->status, ==, 200);
    g_assert_true (json_parser_load_from_data (parser, listed->body, -1, NULL));
    row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                       "value"), 0);
    g_assert_cmpstr (json_object_get_string_member (row, "firstname"), ==, "Ref");
    g_assert_cmpstr (json_object_get_string_member (row, "contactid"), ==, new_id);
    {
      g_autofree char *filter = g_strdup_printf ("new_memberships?$filter=_new_contactid_value%%20eq%%20%s", new_id);
      g_autoptr(DvReply) linked = dv_api (f, "GET", filter, NULL, NULL);

      g_assert_cmpuint (json_array_get_length (dv_reply_value (linked)), ==, 1);
    }

    g_string_assign (b, "--batch_T\r\nContent-Type: multipart/mixed; boundary=changeset_C\r\n\r\n");
    dv_batch_add (b, "changeset_C", "POST", "new_memberships", "{\"new_contactid@odata.bind\":\"$9\"}", "1");
    g_string_append (b, "--changeset_C--\r\n");
    undeclared = dv_batch_send (f, b, NULL);
    g_assert_cmpuint (undeclared->status, ==, 400);
    g_assert_nonnull (strstr (undeclared->text, "Content-ID Reference: '$9' does not exist in the batch context."));
  }
  {
    g_autoptr(DvReply) stats = dv_admin (f, "GET", "stats", NULL);
    JsonObject *requests = json_object_get_object_member (dv_reply_object (stats), "requests");

    g_assert_cmpint (json_object_get_int_member (requests, "batch"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (requests, "batch_parts"), ==, 4 + 4 + 1);
  }
}

/* A libsoup client opens a new connection for a POST or PATCH it has not
 * marked idempotent, and closes idle ones to stay within its limit: the
 * sandbox (in this process) keeps connections alive, but must close its
 * end of each one the client closed (within a second or two), not keep
 * it for ever. */
static void
test_many_writes (DvFixture     *f,
                  gconstpointer  data)
{
  guint before = cc_test_count_descriptors ();

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"lastname\":\"Many %u\"}", i);
      g_autoptr(DvReply) created = dv_api (f, "POST", "contacts", body, NULL);
      g_autofree char *id = id_from_entity_id (created);
      g_autofree char *path = g_strdup_printf ("contacts(%s)", id);
      g_autoptr(DvReply) patched = dv_api (f, "PATCH", path, "{\"firstname\":\"M\"}", NULL);

      g_assert_cmpuint (patched->status, ==, 204);
    }
  g_assert_true (cc_test_wait_until (cc_test_descriptors_below, GUINT_TO_POINTER (before + 50), 30));
  g_assert_cmpint (table_count (f, "contacts"), ==, 210);
}

void
dv_add_write_tests (void)
{
  ADD ("/sandbox/dataverse/write/crud", test_crud);
  ADD ("/sandbox/dataverse/write/validation", test_validation);
  ADD ("/sandbox/dataverse/write/lookups", test_lookups);
  ADD ("/sandbox/dataverse/write/alternate-key", test_alternate_key);
  ADD ("/sandbox/dataverse/write/many", test_many_writes);
  ADD ("/sandbox/dataverse/batch/errors", test_batch_errors);
  ADD ("/sandbox/dataverse/batch/changeset", test_batch_changeset);
}
