/* test-dv.c — the Dataverse emulator seen through plain libsoup
 * requests: Entra tokens, authentication, service and metadata documents,
 * service protection, faults and the admin API. Queries and writes are in
 * test-dv-query.c and test-dv-write.c (same binary).
 */
#include <stdlib.h>
#include <string.h>

#include "dv-fixture.h"

#define ADD(path, func) g_test_add (path, DvFixture, NULL, dv_fixture_setup, func, dv_fixture_teardown)

/* ---- Entra ID ------------------------------------------------------------ */

static DvReply *
token_request (DvFixture  *f,
               const char *tenant,
               const char *client_id,
               const char *secret,
               const char *scope,
               const char *basic)
{
  g_autofree char *url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", f->url, tenant);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *body = NULL;

  g_hash_table_insert (form, "grant_type", "client_credentials");
  if (client_id)
    g_hash_table_insert (form, "client_id", (char *) client_id);
  if (secret)
    g_hash_table_insert (form, "client_secret", (char *) secret);
  if (scope)
    g_hash_table_insert (form, "scope", (char *) scope);
  body = soup_form_encode_hash (form);
  if (basic != NULL)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) basic, strlen (basic));
      g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

      return dv_send (f, "POST", url, "application/x-www-form-urlencoded", body, FALSE,
                      "Authorization", value, NULL);
    }
  return dv_send (f, "POST", url, "application/x-www-form-urlencoded", body, FALSE, NULL);
}

static void
test_token_good (DvFixture     *f,
                 gconstpointer  data)
{
  g_autofree char *scope = g_strconcat (f->url, "/.default", NULL);
  g_autofree char *scope_no_slash = g_strconcat (f->url, ".default", NULL);
  const char *variants[][3] = {
    { CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET, NULL },
    { NULL, NULL, CC_SANDBOX_CLIENT_ID ":" CC_SANDBOX_SECRET },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(DvReply) reply = token_request (f, CC_SANDBOX_TENANT, variants[i][0], variants[i][1],
                                                i == 0 ? scope : scope_no_slash, variants[i][2]);
      JsonObject *obj;

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL),
                                       "application/json"));
      obj = dv_reply_object (reply);
      g_assert_cmpstr (json_object_get_string_member (obj, "token_type"), ==, "Bearer");
      g_assert_cmpint (json_object_get_int_member (obj, "expires_in"), ==, 3599);
      g_assert_cmpuint (strlen (json_object_get_string_member (obj, "access_token")), >, 20);
      g_assert_cmpstr (json_object_get_string_member (obj, "access_token"), !=, f->token);
    }
}

static void
assert_entra_error (DvReply    *reply,
                    guint       status,
                    const char *error,
                    gint64      code)
{
  JsonObject *obj = dv_reply_object (reply);
  g_autofree char *prefix = g_strdup_printf ("AADSTS%" G_GINT64_FORMAT ":", code);
  JsonArray *codes;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (json_object_get_string_member (obj, "error"), ==, error);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "error_description"), prefix));
  codes = json_object_get_array_member (obj, "error_codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpint (json_array_get_int_element (codes, 0), ==, code);
  g_assert_true (json_object_has_member (obj, "timestamp"));
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "trace_id")), ==, 36);
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "correlation_id")), ==, 36);
}

static void
test_token_errors (DvFixture     *f,
                   gconstpointer  data)
{
  g_autofree char *scope = g_strconcat (f->url, "/.default", NULL);
  g_autoptr(DvReply) tenant = token_request (f, "other-tenant", CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET, scope, NULL);
  g_autoptr(DvReply) client = token_request (f, CC_SANDBOX_TENANT, "who", CC_SANDBOX_SECRET, scope, NULL);
  g_autoptr(DvReply) secret = token_request (f, CC_SANDBOX_TENANT, CC_SANDBOX_CLIENT_ID, "wrong", scope, NULL);
  g_autoptr(DvReply) bad_scope = token_request (f, CC_SANDBOX_TENANT, CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET,
                                                "https://other.crm.dynamics.com/.default", NULL);

  assert_entra_error (tenant, 400, "invalid_request", 90002);
  assert_entra_error (client, 400, "unauthorized_client", 700016);
  assert_entra_error (secret, 401, "invalid_client", 7000215);
  g_assert_nonnull (strstr (json_object_get_string_member (dv_reply_object (secret), "error_description"),
                            "Invalid client secret provided"));
  assert_entra_error (bad_scope, 400, "invalid_scope", 70011);
}

/* ---- bearer authentication ---------------------------------------------- */

typedef struct
{
  DvFixture *f;
  DvReply   *last;
} ExpiryWait;

static gboolean
token_rejected (gpointer data)
{
  ExpiryWait *wait = data;

  g_clear_pointer (&wait->last, dv_reply_free);
  wait->last = dv_api (wait->f, "GET", "contacts?$top=1", NULL, NULL);
  return wait->last->status == 401;
}

static void
test_auth (DvFixture     *f,
           gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->api, "contacts", NULL);
  g_autofree char *expected_uri = g_strdup_printf ("authorization_uri=%s/%s/oauth2/authorize",
                                                   f->url, CC_SANDBOX_TENANT);
  g_autoptr(DvReply) none = dv_send (f, "GET", url, NULL, NULL, FALSE, NULL);
  g_autoptr(DvReply) bogus = dv_send (f, "GET", url, NULL, NULL, FALSE,
                                      "Authorization", "Bearer not-a-token", NULL);
  g_autoptr(DvReply) good = NULL;
  ExpiryWait wait = { f, NULL };

  dv_assert_error (none, 401, "0x80072243", "RequestIsNotAuthenticated");
  g_assert_nonnull (strstr (soup_message_headers_get_one (none->headers, "WWW-Authenticate"), expected_uri));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (none->headers, "WWW-Authenticate"), "Bearer "));
  dv_assert_error (bogus, 401, "0x80072243", "InvalidAuthTicket");

  /* A token issued while the lifetime knob says 1 s lapses by itself. */
  dv_set_faults (f, "{\"token_lifetime\": 1}");
  g_free (f->token);
  f->token = dv_fetch_token (f);
  good = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  g_assert_cmpuint (good->status, ==, 200);
  g_assert_true (dv_wait_until (token_rejected, &wait, 10000));
  dv_assert_error (wait.last, 401, "0x80072243", "ExpiredAuthTicket");
  dv_reply_free (wait.last);
}

/* ---- service document and metadata -------------------------------------- */

static void
test_service_document (DvFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(DvReply) reply = dv_api (f, "GET", "", NULL, NULL);
  JsonArray *value = dv_reply_value (reply);
  const char *expected[] = { "contacts", "new_memberships", "new_emailsends", "new_emailopens",
                             "new_emailclicks", "new_emailbounces" };

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "OData-Version"), ==, "4.0");
  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          JsonObject *set = json_array_get_object_element (value, i);

          if (g_str_equal (json_object_get_string_member (set, "name"), expected[e]))
            {
              g_assert_cmpstr (json_object_get_string_member (set, "kind"), ==, "EntitySet");
              g_assert_cmpstr (json_object_get_string_member (set, "url"), ==, expected[e]);
              found = TRUE;
            }
        }
      g_assert_true (found);
    }
}

typedef struct
{
  guint    entity_types;
  guint    entity_sets;
  guint    change_tracking;
  gboolean contact_key;
  gboolean in_contact;
} CsdlCounts;

static void
csdl_start (GMarkupParseContext *context,
            const char          *element,
            const char         **names,
            const char         **values,
            gpointer             data,
            GError             **error)
{
  CsdlCounts *counts = data;
  const char *name = NULL;

  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], "Name") || g_str_equal (names[i], "Term"))
      name = values[i];
  if (g_str_equal (element, "EntityType"))
    {
      counts->entity_types++;
      counts->in_contact = g_strcmp0 (name, "contact") == 0;
    }
  else if (g_str_equal (element, "EntitySet"))
    counts->entity_sets++;
  else if (g_str_equal (element, "PropertyRef") && counts->in_contact)
    counts->contact_key = g_strcmp0 (name, "contactid") == 0;
  else if (g_str_equal (element, "Annotation") && g_strcmp0 (name, "Org.OData.Capabilities.V1.ChangeTracking") == 0)
    counts->change_tracking++;
}

static CsdlCounts
parse_csdl (DvReply *reply)
{
  GMarkupParser parser = { csdl_start, NULL, NULL, NULL, NULL };
  CsdlCounts counts = { 0, };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &counts, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_markup_parse_context_parse (context, reply->text, reply->length, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  return counts;
}

static void
test_metadata (DvFixture     *f,
               gconstpointer  data)
{
  g_autoptr(DvReply) plain = dv_api (f, "GET", "$metadata", NULL, NULL);
  g_autoptr(DvReply) annotated = dv_api (f, "GET", "$metadata?annotations=true", NULL, NULL);
  CsdlCounts counts;

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (plain->headers, NULL),
                                   "application/xml"));
  counts = parse_csdl (plain);
  /* contact, new_membership, the four activities, publisher, solution */
  g_assert_cmpuint (counts.entity_types, ==, 8);
  g_assert_cmpuint (counts.entity_sets, >=, 8);
  g_assert_true (counts.contact_key);
  g_assert_cmpuint (counts.change_tracking, ==, 0);
  g_assert_nonnull (strstr (plain->text, "NavigationProperty Name=\"new_contactid\""));
  g_assert_nonnull (strstr (plain->text, "Name=\"birthdate\" Type=\"Edm.Date\""));

  counts = parse_csdl (annotated);
  g_assert_cmpuint (counts.change_tracking, ==, 8);
}

static void
test_entity_definitions (DvFixture     *f,
                         gconstpointer  data)
{
  g_autoptr(DvReply) one = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName,EntitySetName,"
                                   "PrimaryIdAttribute&$filter=LogicalName%20eq%20'contact'", NULL, NULL);
  g_autoptr(DvReply) tracked = dv_api (f, "GET", "EntityDefinitions?$select=LogicalName"
                                       "&$filter=ChangeTrackingEnabled%20eq%20true", NULL, NULL);
  g_autoptr(DvReply) entity = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_membership')?"
                                      "$select=LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,"
                                      "PrimaryNameAttribute,ChangeTrackingEnabled,IsCustomEntity"
                                      "&$expand=Attributes($select=LogicalName,AttributeType)",
                                      NULL, NULL);
  /* Targets belongs to LookupAttributeMetadata, not to the base type. */
  g_autoptr(DvReply) derived = dv_api (f, "GET", "EntityDefinitions(LogicalName='new_membership')?"
                                       "$select=LogicalName&$expand=Attributes($select=LogicalName,Targets)",
                                       NULL, NULL);
  g_autoptr(DvReply) attrs = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes", NULL, NULL);
  g_autoptr(DvReply) picklist = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                        "(LogicalName='new_tier')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
                                        "?$select=LogicalName&$expand=OptionSet", NULL, NULL);
  g_autoptr(DvReply) bad_select = dv_api (f, "GET", "EntityDefinitions?$select=Nope", NULL, NULL);
  JsonArray *value;
  JsonObject *obj, *attr, *option_set, *option, *label;

  value = dv_reply_value (one);
  g_assert_cmpuint (json_array_get_length (value), ==, 1);
  obj = json_array_get_object_element (value, 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "EntitySetName"), ==, "contacts");
  g_assert_cmpstr (json_object_get_string_member (obj, "PrimaryIdAttribute"), ==, "contactid");
  g_assert_true (json_object_has_member (obj, "MetadataId"));
  g_assert_false (json_object_has_member (obj, "SchemaName"));

  g_assert_cmpuint (json_array_get_length (dv_reply_value (tracked)), ==, 6);

  obj = dv_reply_object (entity);
  g_assert_cmpuint (entity->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj, "SchemaName"), ==, "new_Membership");
  g_assert_cmpstr (json_object_get_string_member (obj, "EntitySetName"), ==, "new_memberships");
  g_assert_cmpstr (json_object_get_string_member (obj, "PrimaryNameAttribute"), ==, "new_name");
  g_assert_true (json_object_get_boolean_member (obj, "IsCustomEntity"));
  g_assert_true (json_object_get_boolean_member (obj, "ChangeTrackingEnabled"));
  attr = dv_find_by (json_object_get_array_member (obj, "Attributes"), "LogicalName", "new_contactid");
  g_assert_nonnull (attr);
  g_assert_cmpstr (json_object_get_string_member (attr, "AttributeType"), ==, "Lookup");
  g_assert_false (json_object_has_member (attr, "IsValidForCreate"));
  dv_assert_error (derived, 400, "0x80060888",
                   "Could not find a property named 'Targets' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'");

  value = dv_reply_value (attrs);
  attr = dv_find_by (value, "LogicalName", "firstname");
  g_assert_cmpstr (json_object_get_string_member (attr, "AttributeType"), ==, "String");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (attr, "AttributeTypeName"), "Value"),
                   ==, "StringType");
  g_assert_cmpint (json_object_get_int_member (attr, "MaxLength"), ==, 50);
  g_assert_true (json_object_get_boolean_member (attr, "IsValidForCreate"));
  attr = dv_find_by (value, "LogicalName", "fullname");
  g_assert_false (json_object_get_boolean_member (attr, "IsValidForUpdate"));
  attr = dv_find_by (value, "LogicalName", "donotbulkemail");
  g_assert_cmpstr (json_object_get_string_member (attr, "AttributeType"), ==, "Boolean");
  attr = dv_find_by (value, "LogicalName", "versionnumber");
  g_assert_cmpstr (json_object_get_string_member (attr, "AttributeType"), ==, "BigInt");

  obj = dv_reply_object (picklist);
  g_assert_cmpuint (picklist->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj, "LogicalName"), ==, "new_tier");
  option_set = json_object_get_object_member (obj, "OptionSet");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (option_set, "Options")), ==, 3);
  option = json_array_get_object_element (json_object_get_array_member (option_set, "Options"), 2);
  g_assert_cmpint (json_object_get_int_member (option, "Value"), ==, 3);
  label = json_object_get_object_member (json_object_get_object_member (option, "Label"), "UserLocalizedLabel");
  g_assert_cmpstr (json_object_get_string_member (label, "Label"), ==, "Gold");
  g_assert_cmpint (json_object_get_int_member (label, "LanguageCode"), ==, 1033);

  dv_assert_error (bad_select, 400, "0x80060888", "Could not find a property named 'Nope'");
}

/* ---- faults ------------------------------------------------------------- */

static gint64
stat_of (DvFixture  *f,
         const char *name)
{
  g_autoptr(DvReply) stats = dv_admin (f, "GET", "stats", NULL);

  return json_object_get_int_member (json_object_get_object_member (dv_reply_object (stats), "requests"), name);
}

static void
test_faults (DvFixture     *f,
             gconstpointer  data)
{
  gint64 start;

  /* 5xx, on the Web API and on the token endpoint, never on /_sandbox/. */
  dv_set_faults (f, "{\"error_rate\": 1}");
  {
    g_autoptr(DvReply) api = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
    g_autofree char *url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", f->url, CC_SANDBOX_TENANT);
    g_autoptr(DvReply) token = dv_send (f, "POST", url, "application/x-www-form-urlencoded", "a=b", FALSE, NULL);
    g_autoptr(DvReply) admin = dv_admin (f, "GET", "stats", NULL);

    g_assert_cmpuint (api->status, ==, 503);
    g_assert_true (json_object_has_member (json_object_get_object_member (dv_reply_object (api), "error"), "code"));
    g_assert_cmpuint (token->status, ==, 503);
    g_assert_cmpuint (admin->status, ==, 200);
  }

  /* A 429 storm of exactly two requests. */
  dv_set_faults (f, "{\"reset\": true, \"throttle_storm\": 2, \"retry_after\": 3}");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      if (i < 2)
        {
          g_assert_cmpuint (reply->status, ==, 429);
          g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "3");
        }
      else
        g_assert_cmpuint (reply->status, ==, 200);
    }

  /* A dropped connection is a transport error, not an HTTP status. */
  dv_set_faults (f, "{\"reset\": true, \"drop_rate\": 1}");
  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

    g_assert_nonnull (reply->error);
    g_assert_cmpuint (reply->status, ==, 0);
  }

  /* A lost answer: the write is applied, the client sees the connection
   * close; only the request the knob names, and only as often as it says. */
  dv_set_faults (f, "{\"reset\": true, \"lose_answers\": 1, \"lose_answers_to\": \"POST /api/data/v9.2/contacts\"}");
  {
    g_autoptr(DvReply) read = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
    g_autoptr(DvReply) lost = dv_api (f, "POST", "contacts", "{\"lastname\":\"Lost answer\"}", NULL);
    g_autoptr(DvReply) found = dv_api (f, "GET", "contacts?$filter=lastname%20eq%20'Lost%20answer'", NULL, NULL);
    g_autoptr(DvReply) second = dv_api (f, "POST", "contacts", "{\"lastname\":\"Answered\"}", NULL);
    g_autoptr(DvReply) knobs = dv_admin (f, "GET", "faults", NULL);

    g_assert_cmpuint (read->status, ==, 200);
    g_assert_nonnull (lost->error);
    g_assert_cmpuint (lost->status, ==, 0);
    g_assert_cmpuint (json_array_get_length (dv_reply_value (found)), ==, 1);
    g_assert_cmpuint (second->status, ==, 204);
    g_assert_cmpint (json_object_get_int_member (dv_reply_object (knobs), "lose_answers"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (dv_reply_object (knobs), "lose_answers_to"), ==,
                     "POST /api/data/v9.2/contacts");
  }

  /* Truncated: a 200 whose body is no longer JSON. */
  dv_set_faults (f, "{\"reset\": true, \"malformed_rate\": 1}");
  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$top=3", NULL, NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_no_error (reply->error);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (reply->length, >, 0);
    g_assert_cmpint (soup_message_headers_get_content_length (reply->headers), ==, reply->length);
    g_assert_null (reply->json);
    g_assert_false (json_parser_load_from_data (parser, reply->text, reply->length, NULL));
  }

  /* Latency is added to the answer. */
  dv_set_faults (f, "{\"reset\": true, \"latency_ms\": 300}");
  start = g_get_monotonic_time ();
  {
    g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  }

  dv_set_faults (f, "{\"reset\": true}");
  /* 1 (5xx api) + 1 (5xx token) + 2 (storm) + drop + malformed. */
  g_assert_cmpint (stat_of (f, "faulted"), >=, 6);
  {
    g_autoptr(DvReply) bad = dv_admin (f, "POST", "faults", "{\"error_rate\": 7}");

    g_assert_cmpuint (bad->status, ==, 400);
  }
}

/* ---- admin API ---------------------------------------------------------- */

static void
test_admin_stats (DvFixture     *f,
                  gconstpointer  data)
{
  g_autoptr(DvReply) get1 = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  g_autoptr(DvReply) get2 = dv_api (f, "GET", "new_memberships?$top=1", NULL, NULL);
  g_autoptr(DvReply) post = dv_api (f, "POST", "contacts", "{\"lastname\":\"Stat\"}", NULL);
  const char *entity = soup_message_headers_get_one (post->headers, "OData-EntityId");
  g_autofree char *id = g_strndup (strrchr (entity, '(') + 1, 36);
  g_autofree char *path = g_strdup_printf ("contacts(%s)", id);
  g_autoptr(DvReply) patch = dv_api (f, "PATCH", path, "{\"firstname\":\"A\"}", NULL);
  g_autoptr(DvReply) del = dv_api (f, "DELETE", path, NULL, NULL);
  g_autoptr(DvReply) stats = dv_admin (f, "GET", "stats", NULL);
  g_autoptr(DvReply) table = dv_admin (f, "GET", "tables/new_memberships", NULL);
  g_autoptr(DvReply) missing = dv_admin (f, "GET", "tables/contacts/00000000-0000-0000-0000-000000000000", NULL);
  JsonObject *requests, *tables;

  g_assert_cmpuint (post->status, ==, 204);
  g_assert_cmpuint (patch->status, ==, 204);
  g_assert_cmpuint (del->status, ==, 204);
  requests = json_object_get_object_member (dv_reply_object (stats), "requests");
  tables = json_object_get_object_member (dv_reply_object (stats), "tables");
  /* The fixture fetched one token. */
  g_assert_cmpint (json_object_get_int_member (requests, "token"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "get"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "post"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "patch"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "delete"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "batch"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (requests, "total"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (requests, "throttled"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (requests, "faulted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (tables, "contacts"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (tables, "new_memberships"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (tables, "new_emailsends"), ==, 0);

  g_assert_cmpint (json_object_get_int_member (dv_reply_object (table), "count"), ==, 30);
  g_assert_cmpuint (json_array_get_length (dv_reply_value (table)), ==, 30);
  g_assert_cmpuint (missing->status, ==, 404);
}

static void
test_admin_schema (DvFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(DvReply) before = dv_api (f, "GET", "contacts?$select=telephone1&$top=1", NULL, NULL);
  g_autoptr(DvReply) removed = dv_admin (f, "POST", "schema/contact/columns/telephone1/remove", NULL);
  g_autoptr(DvReply) after = dv_api (f, "GET", "contacts?$select=telephone1&$top=1", NULL, NULL);
  g_autoptr(DvReply) attr = dv_api (f, "GET", "EntityDefinitions(LogicalName='contact')/Attributes"
                                    "(LogicalName='telephone1')", NULL, NULL);
  g_autoptr(DvReply) rows = dv_admin (f, "GET", "tables/contacts", NULL);
  g_autoptr(DvReply) again = dv_admin (f, "POST", "schema/contact/columns/telephone1/remove", NULL);

  g_assert_cmpuint (before->status, ==, 200);
  g_assert_cmpuint (removed->status, ==, 200);
  dv_assert_error (after, 400, "0x80060888",
                   "Could not find a property named 'telephone1' on type 'Microsoft.Dynamics.CRM.contact'.");
  g_assert_cmpuint (attr->status, ==, 404);
  g_assert_false (json_object_has_member (json_array_get_object_element (dv_reply_value (rows), 0), "telephone1"));
  g_assert_cmpuint (again->status, ==, 404);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/sandbox/dataverse/token/good", test_token_good);
  ADD ("/sandbox/dataverse/token/errors", test_token_errors);
  ADD ("/sandbox/dataverse/auth", test_auth);
  ADD ("/sandbox/dataverse/service-document", test_service_document);
  ADD ("/sandbox/dataverse/metadata", test_metadata);
  ADD ("/sandbox/dataverse/entity-definitions", test_entity_definitions);
  ADD ("/sandbox/dataverse/faults", test_faults);
  ADD ("/sandbox/dataverse/admin/stats", test_admin_stats);
  ADD ("/sandbox/dataverse/admin/schema", test_admin_schema);
  dv_add_query_tests ();
  dv_add_paging_tests ();
  dv_add_write_tests ();
  dv_add_fidelity_tests ();
  dv_add_metadata_tests ();
  dv_add_limits_tests ();
  dv_add_customize_tests ();

  return g_test_run ();
}
