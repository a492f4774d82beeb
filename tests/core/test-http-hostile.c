/* test-http-hostile.c — answers no real service gives, from a server of
 * the test's own: JSON nested a hundred thousand levels deep, a body
 * larger than any page. Every client that reads an answer (a Dataverse
 * page, a $batch, a sign-in, the Campaign API and its event journal)
 * refuses them with an error that names the limit, and never crashes.
 *
 * And where a client secret or a token could leave in clear text: a
 * token URL, an API URL or a next link to another host over plain
 * http://, a redirect there. Every request to a host other than this
 * computer goes through the test's own HTTP proxy (http_proxy), so
 * whatever would leave is seen there: nothing may reach it.
 */
#include <string.h>

#include "cc-error.h"
#include "cc-json-parse.h"
#include "cc-test-server.h"
#include "cc-token-source.h"
#include "client-fixture.h"

/* Deep enough to overflow the stack of a recursive parser many times. */
#define HOSTILE_DEPTH 100000

typedef struct
{
  GBytes       *deep;       /* [[[…]]] */
  CcTestServer *server;
  const char   *status_path; /* answered with 400 and the deep body */
} Fixture;

static GBytes *
nested_arrays (guint depth)
{
  GString *text = g_string_sized_new (2 * depth);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free_to_bytes (text);
}

/* Tokens are granted (but for /bad-token), everything else is answered
 * with the deep body: 200, a multipart $batch whose part holds it, 400. */
static void
hostile_handler (SoupServerMessage *msg,
                 const char        *path,
                 gpointer           data)
{
  Fixture *fixture = data;
  gsize size;
  const char *deep = g_bytes_get_data (fixture->deep, &size);

  if (g_str_has_suffix (path, "/token") || g_str_has_suffix (path, "/token/v3"))
    {
      cc_test_server_answer_json (msg, 200, "{\"access_token\":\"t\",\"expires_in\":3600}");
      return;
    }
  if (g_str_has_suffix (path, "$batch"))
    {
      g_autoptr(GString) body = g_string_new ("--b\r\nContent-Type: application/http\r\n\r\n"
                                              "HTTP/1.1 400 Bad Request\r\n"
                                              "Content-Type: application/json\r\n\r\n");

      g_string_append_len (body, deep, size);
      g_string_append (body, "\r\n--b--\r\n");
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "multipart/mixed; boundary=b", SOUP_MEMORY_COPY,
                                        body->str, body->len);
      return;
    }
  soup_server_message_set_status (msg, g_strcmp0 (path, fixture->status_path) == 0 ? 400 : 200,
                                  NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, deep, size);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->deep = nested_arrays (HOSTILE_DEPTH);
  fixture->server = cc_test_server_start (hostile_handler, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cc_test_server_stop (fixture->server);
  g_bytes_unref (fixture->deep);
}

static CcDataverseClient *
dataverse_client (Fixture    *fixture,
                  const char *token_path)
{
  g_autofree char *token_url = g_strconcat (cc_test_server_get_url (fixture->server),
                                            token_path, NULL);
  CcDataverseSettings settings = {
    .url = cc_test_server_get_url (fixture->server),
    .tenant = "t",
    .client_id = "c",
    .token_url = token_url,
    .secret = "s",
  };
  CcDataverseClient *client = cc_dataverse_client_new (&settings);

  cc_http_set_retry_policy (cc_dataverse_client_get_http (client), 2, 1, 2);
  return client;
}

static CcCampaignClient *
campaign_client (Fixture *fixture)
{
  const char *url = cc_test_server_get_url (fixture->server);
  g_autofree char *ims = g_strconcat (url, "ims/token/v3", NULL);
  g_autofree char *journal = g_strconcat (url, "events/journal", NULL);
  CcCampaignSettings settings = {
    .org = "o",
    .api_key = "k",
    .api_url = url,
    .ims_url = ims,
    .journal_url = journal,
    .secret = "s",
  };
  CcCampaignClient *client = cc_campaign_client_new (&settings);

  cc_http_set_retry_policy (cc_campaign_client_get_http (client), 2, 1, 2);
  return client;
}

/* The error of a refused deep answer: permanent, and it says why. */
static void
assert_depth_refused (const GError *error)
{
  g_autofree char *limit = g_strdup_printf ("%u levels", CC_JSON_MAX_DEPTH);

  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, limit));
}

static void
test_deep_page (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CcDataverseClient) client = dataverse_client (fixture, "token");
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = cc_dataverse_client_read_page (client, "contacts", CC_DATAVERSE_READ_NONE, 0, NULL,
                                        &error);
  g_assert_null (page);
  assert_depth_refused (error);
  g_assert_nonnull (strstr (error->message, "Dynamics 365"));
}

static void
test_deep_sign_in (Fixture       *fixture,
                   gconstpointer  data)
{
  /* "sign-in" is answered with the deep body, not a token. */
  g_autoptr(CcDataverseClient) client = dataverse_client (fixture, "sign-in");
  g_autoptr(GError) error = NULL;

  g_assert_false (cc_dataverse_client_authenticate (client, NULL, &error));
  assert_depth_refused (error);
}

static void
test_deep_error_body (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CcDataverseClient) client = dataverse_client (fixture, "token");
  g_autoptr(CcDataverseResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* An error answer's body is only read for the server's words: without
   * them the message is the status. */
  fixture->status_path = "/api/data/v9.2/contacts(1)";
  result = cc_dataverse_client_get (client, "contacts(1)", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 400);
  g_assert_cmpstr (result->message, ==, "400 Bad Request");
}

static void
test_deep_batch_part (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CcDataverseClient) client = dataverse_client (fixture, "token");
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_dataverse_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  CcDataverseResult *result;

  g_ptr_array_add (ops, cc_dataverse_op_new ("PATCH", "contacts(1)", body));
  results = cc_dataverse_client_batch (client, ops, CC_DATAVERSE_BATCH_CONTINUE_ON_ERROR, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpuint (result->status, ==, 400);
  g_assert_cmpstr (result->message, ==, "400 Bad Request");
}

static void
test_deep_campaign_page (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CcCampaignClient) client = campaign_client (fixture);
  g_autoptr(CcCampaignPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = cc_campaign_client_read_page (client, "profileAndServicesExt/profile", NULL, &error);
  g_assert_null (page);
  assert_depth_refused (error);
  g_assert_nonnull (strstr (error->message, "Adobe Campaign"));
}

static void
test_deep_journal (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CcCampaignClient) client = campaign_client (fixture);
  g_autoptr(CcCampaignJournalPage) page = NULL;
  g_autofree char *url = cc_campaign_client_build_journal_url (client, NULL, 0);
  g_autoptr(GError) error = NULL;

  page = cc_campaign_client_read_journal (client, url, NULL, &error);
  g_assert_null (page);
  assert_depth_refused (error);
}

/* --- an answer larger than any page ---------------------------------- */

#define CHUNK (1024 * 1024)

/* More than CC_JSON_MAX_ANSWER, in chunks that all share one buffer: the
 * server holds a megabyte, whatever it sends. */
static void
huge_handler (SoupServerMessage *msg,
              const char        *path,
              gpointer           data)
{
  g_autoptr(GBytes) chunk = NULL;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  char *spaces = g_malloc (CHUNK);

  if (g_str_has_suffix (path, "/token"))
    {
      cc_test_server_answer_json (msg, 200, "{\"access_token\":\"t\",\"expires_in\":3600}");
      g_free (spaces);
      return;
    }
  memset (spaces, ' ', CHUNK);
  chunk = g_bytes_new_take (spaces, CHUNK);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     GPOINTER_TO_INT (data));
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  for (guint i = 0; i <= CC_JSON_MAX_ANSWER / CHUNK + 1; i++)
    soup_message_body_append_bytes (body, chunk);
  soup_message_body_complete (body);
}

static void
assert_huge_refused (SoupEncoding encoding)
{
  g_autoptr(CcTestServer) server = cc_test_server_start (huge_handler,
                                                         GINT_TO_POINTER (encoding));
  g_autofree char *token_url = g_strconcat (cc_test_server_get_url (server), "token", NULL);
  g_autofree char *most = g_format_size (CC_JSON_MAX_ANSWER);
  CcDataverseSettings settings = {
    .url = cc_test_server_get_url (server),
    .client_id = "c",
    .token_url = token_url,
    .secret = "s",
  };
  g_autoptr(CcDataverseClient) client = cc_dataverse_client_new (&settings);
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = cc_dataverse_client_read_page (client, "contacts", CC_DATAVERSE_READ_NONE, 0, NULL,
                                        &error);
  g_assert_null (page);
  g_assert_error (error, CC_ERROR, CC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, most));
  /* Refused at once, not fetched again and again. */
  g_assert_cmpuint (cc_test_server_get_requests (server), ==, 2);
}

static void
test_huge_answer (void)
{
  /* Announced in Content-Length, and streamed without a length. */
  assert_huge_refused (SOUP_ENCODING_CONTENT_LENGTH);
  assert_huge_refused (SOUP_ENCODING_CHUNKED);
}

/* --- secrets and tokens over plain http:// ------------------------------ */

/* The proxy every request to another host goes through: it sees what
 * would have left this computer. */
static CcTestServer *proxy;

static void
proxy_handler (SoupServerMessage *msg,
               const char        *path,
               gpointer           data)
{
  g_test_message ("the proxy was sent %s %s", soup_server_message_get_method (msg), path);
  cc_test_server_answer_json (msg, 200, "{\"access_token\":\"stolen\",\"value\":[]}");
}

/* A token endpoint on this computer, an API that links to, or redirects
 * to, another host over plain http://. */
static void
local_handler (SoupServerMessage *msg,
               const char        *path,
               gpointer           data)
{
  if (g_str_has_suffix (path, "/token"))
    {
      cc_test_server_answer_json (msg, 200, "{\"access_token\":\"t\",\"expires_in\":3600}");
      return;
    }
  if (g_str_has_suffix (path, "/redirected"))
    {
      soup_server_message_set_redirect (msg, 307, "http://api.example.test/api/data/v9.2/contacts");
      return;
    }
  cc_test_server_answer_json (msg, 200, "{\"value\":[],\"@odata.nextLink\":"
                                        "\"http://api.example.test/api/data/v9.2/contacts?p=2\"}");
}

static void
assert_refused (const GError *error,
                const char   *what)
{
  g_assert_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, what));
  g_assert_nonnull (strstr (error->message, "example.test"));
}

static void
test_secret_not_sent (void)
{
  g_autoptr(CcTokenSource) tokens = NULL;
  g_autoptr(CcHttp) http = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  CcHttpOptions options;
  CcHttpStats stats;

  cc_http_options_init (&options, CC_HTTP_SERVICE_DYNAMICS);
  options.max_attempts = 2;
  http = cc_http_new (&options);
  tokens = cc_token_source_new_entra ("http://login.example.test/tenant/oauth2/v2.0/token",
                                      "client", "s3cret", "https://org.example.test");
  token = cc_token_source_get_token (tokens, http, NULL, &error);
  g_assert_null (token);
  assert_refused (error, "client secret");
  cc_http_get_stats (http, &stats);
  g_assert_cmpuint (stats.requests, ==, 0);
  g_assert_cmpuint (cc_test_server_get_requests (proxy), ==, 0);
}

static void
test_token_not_sent (void)
{
  g_autoptr(CcTestServer) local = cc_test_server_start (local_handler, NULL);
  g_autofree char *token_url = g_strconcat (cc_test_server_get_url (local), "token", NULL);
  CcDataverseSettings settings = {
    .url = "http://org.example.test",
    .client_id = "c",
    .token_url = token_url,
    .secret = "s",
  };
  g_autoptr(CcDataverseClient) client = cc_dataverse_client_new (&settings);
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(GError) error = NULL;

  /* An environment URL edited to plain http:// (the token itself comes
   * from this computer). */
  page = cc_dataverse_client_read_page (client, "contacts", CC_DATAVERSE_READ_NONE, 0, NULL,
                                        &error);
  g_assert_null (page);
  assert_refused (error, "access token");
  g_assert_cmpuint (cc_test_server_get_requests (proxy), ==, 0);
}

static void
test_next_link_not_followed (void)
{
  g_autoptr(CcTestServer) local = cc_test_server_start (local_handler, NULL);
  g_autofree char *token_url = g_strconcat (cc_test_server_get_url (local), "token", NULL);
  CcDataverseSettings settings = {
    .url = cc_test_server_get_url (local),
    .client_id = "c",
    .token_url = token_url,
    .secret = "s",
  };
  g_autoptr(CcDataverseClient) client = cc_dataverse_client_new (&settings);
  g_autoptr(CcDataversePage) page = NULL;
  g_autoptr(CcDataversePage) next = NULL;
  g_autoptr(CcDataverseResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A server's next link to plain http:// elsewhere is not followed… */
  page = cc_dataverse_client_read_page (client, "contacts", CC_DATAVERSE_READ_NONE, 0, NULL,
                                        &error);
  g_assert_no_error (error);
  next = cc_dataverse_client_read_page (client, page->next_link, CC_DATAVERSE_READ_NONE, 0,
                                        NULL, &error);
  g_assert_null (next);
  assert_refused (error, "access token");

  /* …nor its redirect: the 3xx is the answer. */
  g_clear_error (&error);
  result = cc_dataverse_client_get (client, "redirected", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 307);
  g_assert_cmpuint (cc_test_server_get_requests (proxy), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Set before any request: GIO's proxy resolver reads them. */
  proxy = cc_test_server_start (proxy_handler, NULL);
  g_setenv ("http_proxy", cc_test_server_get_url (proxy), TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http-hostile/deep/dataverse-page", test_deep_page);
  ADD ("/http-hostile/deep/sign-in", test_deep_sign_in);
  ADD ("/http-hostile/deep/error-body", test_deep_error_body);
  ADD ("/http-hostile/deep/batch-part", test_deep_batch_part);
  ADD ("/http-hostile/deep/campaign-page", test_deep_campaign_page);
  ADD ("/http-hostile/deep/journal", test_deep_journal);
#undef ADD
  g_test_add_func ("/http-hostile/huge-answer", test_huge_answer);
  g_test_add_func ("/http-hostile/plain-http/secret", test_secret_not_sent);
  g_test_add_func ("/http-hostile/plain-http/token", test_token_not_sent);
  g_test_add_func ("/http-hostile/plain-http/next-link", test_next_link_not_followed);

  return g_test_run ();
}
