/* test-http.c — CcHttp's retry, throttling, token and error policy,
 * against the in-process sandbox with its fault knobs.
 *
 * Each test starts its own sandbox on free loopback ports and talks to
 * the emulated Dataverse Web API through a CcHttp and an Entra token
 * source, the way the Dataverse client does. Backoffs are shortened so
 * the retries are quick; Retry-After is the server's and is honoured in
 * full.
 */
#include <string.h>

#include "cc-error.h"
#include "cc-http.h"
#include "cc-json-scan.h"
#include "cc-throttle.h"
#include "cc-token-source.h"
#include "cc-sandbox.h"
#include "cc-test-server.h"
#include "client-fixture.h"

typedef struct
{
  CcSandbox     *sandbox;
  CcHttp        *http;
  CcTokenSource *tokens;
  char          *api_url;     /* a small GET on the Web API */
} Fixture;

static void
set_faults (Fixture    *fixture,
            const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  g_assert_true (cc_sandbox_faults_set_json (cc_sandbox_get_faults (fixture->sandbox),
                                             json_node_get_object (node), &error));
  g_assert_no_error (error);
}

static CcTokenSource *
entra_source (CcSandbox  *sandbox,
              const char *tenant,
              const char *client_id,
              const char *secret)
{
  g_autofree char *token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token",
                                                cc_sandbox_get_dataverse_url (sandbox),
                                                tenant);

  return cc_token_source_new_entra (token_url, client_id, secret,
                                    cc_sandbox_get_dataverse_url (sandbox));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  CcHttpOptions http_options;

  fixture->sandbox = client_fixture_start_sandbox (20, 0);
  cc_http_options_init (&http_options, CC_HTTP_SERVICE_DYNAMICS);
  http_options.max_attempts = 40;
  http_options.backoff_base_ms = 5;
  http_options.backoff_cap_ms = 50;
  fixture->http = cc_http_new (&http_options);
  fixture->tokens = entra_source (fixture->sandbox, CC_SANDBOX_TENANT,
                                  CC_SANDBOX_CLIENT_ID, CC_SANDBOX_SECRET);
  fixture->api_url = g_strdup_printf ("%s/api/data/v9.2/contacts?$select=firstname,lastname",
                                      cc_sandbox_get_dataverse_url (fixture->sandbox));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->tokens);
  g_clear_object (&fixture->http);
  cc_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->api_url);
}

static CcHttpRequest *
api_request (Fixture *fixture)
{
  CcHttpRequest *request = cc_http_request_new ("GET", fixture->api_url);

  cc_http_request_set_header (request, "Accept", "application/json");
  cc_http_request_set_header (request, "OData-MaxVersion", "4.0");
  cc_http_request_set_header (request, "OData-Version", "4.0");
  cc_http_request_set_expect_json (request, TRUE);
  cc_http_request_set_token_source (request, fixture->tokens);
  return request;
}

/* Sends the API request and checks that a real collection came back. */
static void
assert_api_get_works (Fixture *fixture)
{
  g_autoptr(CcHttpRequest) request = api_request (fixture);
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;

  response = cc_http_send (fixture->http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 200);
  root = cc_http_response_dup_object (response);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "value")), ==, 20);
}

static gpointer
scan_collection (GBytes *body)
{
  const char * const none[] = { NULL };

  return cc_json_scan_rows (body, "value", none);
}

/* A request whose caller scans the answer: a sound one is never parsed
 * (no tree of it is built); a damaged one is retried as any answer that
 * does not parse, until a sound one comes. */
static void
test_scanned_body (Fixture       *fixture,
                   gconstpointer  data)
{
  CcHttpStats stats;

  set_faults (fixture, "{\"malformed_rate\": 0.5}");
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(CcHttpRequest) request = api_request (fixture);
      g_autoptr(CcHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      CcJsonRows *rows;

      cc_http_request_set_expect_json_scan (request, scan_collection,
                                            (GDestroyNotify) cc_json_rows_free);
      response = cc_http_send (fixture->http, request, NULL, &error);
      g_assert_no_error (error);
      g_assert_null (response->json);
      rows = response->scanned_body;
      g_assert_nonnull (rows);
      g_assert_cmpuint (rows->rows->len, ==, 20);
      g_assert_nonnull (cc_json_row_get_string (g_ptr_array_index (rows->rows, 0), "lastname"));
    }
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.retries, >, 0);
}

static void
authenticate (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = cc_token_source_get_token (fixture->tokens, fixture->http, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
}

static void
test_plain_get (Fixture       *fixture,
                gconstpointer  data)
{
  CcHttpStats stats;

  assert_api_get_works (fixture);
  cc_http_get_stats (fixture->http, &stats);
  /* One token request, one API request, nothing retried. */
  g_assert_cmpuint (stats.requests, ==, 2);
  g_assert_cmpuint (stats.retries, ==, 0);
  g_assert_cmpuint (cc_token_source_get_fetch_count (fixture->tokens), ==, 1);

  /* The token is cached. */
  assert_api_get_works (fixture);
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.requests, ==, 3);
  g_assert_cmpuint (cc_token_source_get_fetch_count (fixture->tokens), ==, 1);
}

static void
run_with_fault (Fixture    *fixture,
                const char *knobs)
{
  CcSandboxFaults *faults = cc_sandbox_get_faults (fixture->sandbox);
  guint64 injected_before;
  CcHttpStats stats;

  authenticate (fixture);
  injected_before = cc_sandbox_faults_get_injected (faults, CC_SANDBOX_SERVICE_DATAVERSE);
  set_faults (fixture, knobs);

  for (guint i = 0; i < 20; i++)
    assert_api_get_works (fixture);

  cc_http_get_stats (fixture->http, &stats);
  /* Faults really happened, and every one of them was retried away. */
  g_assert_cmpuint (cc_sandbox_faults_get_injected (faults, CC_SANDBOX_SERVICE_DATAVERSE),
                    >, injected_before);
  g_assert_cmpuint (stats.retries, >, 0);
  g_assert_cmpuint (stats.requests, ==, 1 + 20 + stats.retries);
}

static void
test_error_rate (Fixture       *fixture,
                 gconstpointer  data)
{
  run_with_fault (fixture, "{\"error_rate\": 0.5}");
}

static void
test_drop_rate (Fixture       *fixture,
                gconstpointer  data)
{
  run_with_fault (fixture, "{\"drop_rate\": 0.5}");
}

static void
test_malformed_rate (Fixture       *fixture,
                     gconstpointer  data)
{
  run_with_fault (fixture, "{\"malformed_rate\": 0.5}");
}

static void
test_throttle_storm_honours_retry_after (Fixture       *fixture,
                                         gconstpointer  data)
{
  CcHttpStats stats;
  gint64 start;
  gint64 elapsed_ms;

  authenticate (fixture);
  set_faults (fixture, "{\"throttle_storm\": 2, \"retry_after\": 1}");

  start = g_get_monotonic_time ();
  assert_api_get_works (fixture);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.throttled, ==, 2);
  g_assert_cmpuint (stats.retries, ==, 2);
  /* Two answers of Retry-After: 1 — far longer than our 50 ms backoff cap. */
  g_assert_cmpint (elapsed_ms, >=, 2000);
}

static void
test_attempts_run_out (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CcHttpRequest) request = api_request (fixture);
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  CcHttpStats before, after;

  authenticate (fixture);
  cc_http_set_retry_policy (fixture->http, 3, 5, 20);
  set_faults (fixture, "{\"error_rate\": 1.0}");

  cc_http_get_stats (fixture->http, &before);
  response = cc_http_send (fixture->http, request, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CC_ERROR, CC_ERROR_TRANSIENT);
  cc_http_get_stats (fixture->http, &after);
  g_assert_cmpuint (after.requests - before.requests, ==, 3);
  /* Says who, what and why. */
  g_assert_nonnull (strstr (error->message, "Dynamics 365"));
  g_assert_nonnull (strstr (error->message, "GET /api/data/v9.2/contacts"));
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_null (strstr (error->message, "$select"));
}

typedef struct
{
  CcSandboxFaults *faults;
  GCancellable    *cancellable;
} CancelData;

static gpointer
cancel_when_throttled (gpointer data)
{
  CancelData *cancel = data;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* As soon as the 429 has been served the client is in its wait. */
  while (cc_sandbox_faults_get_injected (cancel->faults, CC_SANDBOX_SERVICE_DATAVERSE) == 0
         && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_cancellable_cancel (cancel->cancellable);
  return NULL;
}

static void
test_cancel_interrupts_backoff (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CcHttpRequest) request = api_request (fixture);
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelData cancel = { cc_sandbox_get_faults (fixture->sandbox), cancellable };
  GThread *thread;
  gint64 start;

  authenticate (fixture);
  set_faults (fixture, "{\"throttle_storm\": 1, \"retry_after\": 30}");

  thread = g_thread_new ("cancel", cancel_when_throttled, &cancel);
  start = g_get_monotonic_time ();
  response = cc_http_send (fixture->http, request, cancellable, &error);
  g_thread_join (thread);

  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Well before the 30 s the server asked for. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

static gboolean
wait_for_time (gint64 monotonic_us,
               guint  timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < monotonic_us)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (10000);
    }
  return TRUE;
}

static void
test_short_token_is_renewed (Fixture       *fixture,
                             gconstpointer  data)
{
  CcHttpStats stats;
  gint64 expiry;

  set_faults (fixture, "{\"token_lifetime\": 2}");
  assert_api_get_works (fixture);
  g_assert_cmpuint (cc_token_source_get_fetch_count (fixture->tokens), ==, 1);
  expiry = cc_token_source_get_expiry (fixture->tokens);
  g_assert_cmpint (expiry, >, g_get_monotonic_time ());
  g_assert_cmpint (expiry, <=, g_get_monotonic_time () + 2 * G_USEC_PER_SEC);

  /* Past the token's life: the client must renew before sending rather
   * than present a dead token. */
  g_assert_true (wait_for_time (expiry + 100000, 10));
  assert_api_get_works (fixture);
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (cc_token_source_get_fetch_count (fixture->tokens), ==, 2);
  g_assert_cmpuint (stats.auth_renewals, ==, 0);
}

static void
test_second_401_fails (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CcTokenSource) wrong_audience = NULL;
  g_autoptr(CcHttpRequest) request = api_request (fixture);
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ims_url = cc_sandbox_get_ims_url (fixture->sandbox);
  CcHttpStats stats;

  /* A perfectly good token — for Adobe Campaign. Dataverse refuses it,
   * the client renews once, is refused again and gives up. */
  wrong_audience = cc_token_source_new_ims (ims_url, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET, NULL);
  cc_http_request_set_token_source (request, wrong_audience);

  response = cc_http_send (fixture->http, request, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "Dynamics 365"));
  g_assert_nonnull (strstr (error->message, "GET /api/data/v9.2/contacts"));
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.auth_renewals, ==, 1);
  g_assert_cmpuint (cc_token_source_get_fetch_count (wrong_audience), ==, 2);
}

/* --- a server of the test's own, for answers the sandbox never gives:
 * a token revoked behind the client's back, Retry-After as an HTTP date. */

typedef struct
{
  guint  tokens_issued;
  guint  api_calls;
  guint  busy_calls;
  gint64 busy_until;    /* the Retry-After date, unix seconds */
  gint64 retried_at;    /* when the retry came, unix µs */
} LocalCounts;

static void
local_handler (SoupServerMessage *msg,
               const char        *path,
               gpointer           data)
{
  LocalCounts *counts = data;
  const char *auth;

  if (g_strcmp0 (path, "/token") == 0)
    {
      g_autofree char *body = NULL;

      counts->tokens_issued++;
      body = g_strdup_printf ("{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                              "\"access_token\":\"token-%u\"}", counts->tokens_issued);
      cc_test_server_answer_json (msg, 200, body);
      return;
    }

  if (g_strcmp0 (path, "/busy") == 0)
    {
      /* Busy once, with the wait given as a date two seconds ahead. */
      if (counts->busy_calls++ == 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
          g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

          counts->busy_until = g_date_time_to_unix (later);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", date);
          cc_test_server_answer_json (msg, 503, "{\"error\":{\"code\":\"\",\"message\":\"Busy\"}}");
          return;
        }
      counts->retried_at = g_get_real_time ();
      cc_test_server_answer_json (msg, 200, "{\"value\":[]}");
      return;
    }

  counts->api_calls++;
  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Authorization");
  /* The first token was "revoked" on the server side. */
  if (g_strcmp0 (auth, "Bearer token-1") == 0 || auth == NULL)
    {
      cc_test_server_answer_json (msg, 401, "{\"error\":{\"code\":\"0x80072243\",\"message\":\"ExpiredAuthTicket\"}}");
      return;
    }
  cc_test_server_answer_json (msg, 200, "{\"value\":[]}");
}

/* Starts the test's own server, and returns a token source for it and,
 * in @api_url, the URL of its API. */
static CcTokenSource *
start_local_server (LocalCounts   *counts,
                    CcTestServer **server,
                    char         **api_url)
{
  g_autofree char *token_url = NULL;

  *server = cc_test_server_start (local_handler, counts);
  token_url = g_strconcat (cc_test_server_get_url (*server), "token", NULL);
  *api_url = g_strconcat (cc_test_server_get_url (*server), "api/data/v9.2/contacts", NULL);
  return cc_token_source_new_entra (token_url, "id", "secret", cc_test_server_get_url (*server));
}

static void
test_401_renews_once (Fixture       *fixture,
                      gconstpointer  data)
{
  LocalCounts counts = { 0 };
  CcTestServer *server;
  g_autoptr(CcTokenSource) tokens = NULL;
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_url = NULL;
  CcHttpStats stats;

  tokens = start_local_server (&counts, &server, &api_url);
  request = cc_http_request_new ("GET", api_url);
  cc_http_request_set_expect_json (request, TRUE);
  cc_http_request_set_token_source (request, tokens);

  response = cc_http_send (fixture->http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.auth_renewals, ==, 1);
  g_assert_cmpuint (cc_token_source_get_fetch_count (tokens), ==, 2);

  cc_test_server_stop (server);
  g_assert_cmpuint (counts.api_calls, ==, 2);
  g_assert_cmpuint (counts.tokens_issued, ==, 2);
}

/* Many requests in flight on one thread, all signed with the revoked
 * token: the first 401 renews it, and the others try again with that one
 * rather than each fetching a token of its own. */
#define IN_FLIGHT 8

static void
test_401_in_flight_renews_once (Fixture       *fixture,
                                gconstpointer  data)
{
  LocalCounts counts = { 0 };
  CcTestServer *server;
  g_autoptr(CcTokenSource) tokens = NULL;
  g_autofree char *api_url = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_http_request_free);
  ClientFlight flight = { 0 };

  tokens = start_local_server (&counts, &server, &api_url);
  for (guint i = 0; i < IN_FLIGHT; i++)
    {
      /* The caller keeps a request until its send ends. */
      CcHttpRequest *request = cc_http_request_new ("GET", api_url);

      g_ptr_array_add (requests, request);
      cc_http_request_set_expect_json (request, TRUE);
      cc_http_request_set_token_source (request, tokens);
      cc_http_send_async (fixture->http, request, NULL, client_flight_on_sent, &flight);
    }
  while (flight.ended < IN_FLIGHT)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (flight.ok, ==, IN_FLIGHT);
  g_assert_cmpuint (cc_token_source_get_fetch_count (tokens), ==, 2);
  cc_test_server_stop (server);
  g_assert_cmpuint (counts.tokens_issued, ==, 2);
  g_assert_cmpuint (counts.api_calls, ==, 2 * IN_FLIGHT);
}

static void
test_retry_after_date (Fixture       *fixture,
                       gconstpointer  data)
{
  LocalCounts counts = { 0 };
  CcTestServer *server;
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  CcHttpStats stats;

  server = cc_test_server_start (local_handler, &counts);
  url = g_strconcat (cc_test_server_get_url (server), "busy", NULL);
  request = cc_http_request_new ("GET", url);

  response = cc_http_send (fixture->http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  cc_http_get_stats (fixture->http, &stats);
  g_assert_cmpuint (stats.retries, ==, 1);
  cc_test_server_stop (server);
  g_assert_cmpuint (counts.busy_calls, ==, 2);
  /* The retry came at the date or after it, which the 50 ms backoff cap
   * alone would never wait for; measured by the server's clock, so a
   * slow machine cannot make it pass or fail. */
  g_assert_cmpint (counts.retried_at, >=, counts.busy_until * G_USEC_PER_SEC);
}

/* --- one user's back-off, shared by its clients --------------------- */

typedef struct
{
  guint  held_calls;
  gint64 held_until;    /* the 429's Retry-After, by the server's clock */
  gint64 held_at;       /* when the user's next request came */
  gint64 free_at;       /* when another user's request came */
} HoldCounts;

static void
hold_handler (SoupServerMessage *msg,
              const char        *path,
              gpointer           data)
{
  HoldCounts *counts = data;

  if (g_strcmp0 (path, "/free") == 0)
    counts->free_at = g_get_monotonic_time ();
  else if (counts->held_calls++ == 0)
    {
      counts->held_until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "2");
      cc_test_server_answer_json (msg, 429, "{\"error\":{\"code\":\"0x80072322\","
                                            "\"message\":\"Number of requests exceeded\"}}");
      return;
    }
  else
    counts->held_at = g_get_monotonic_time ();
  cc_test_server_answer_json (msg, 200, "{\"value\":[]}");
}

static CcHttpResponse *
send_as (CcThrottle   *user,
         CcHttp       *http,
         CcTestServer *server,
         const char   *path,
         GError      **error)
{
  g_autofree char *url = g_strconcat (cc_test_server_get_url (server), path, NULL);
  g_autoptr(CcHttpRequest) request = cc_http_request_new ("GET", url);

  cc_http_request_set_throttle (request, user);
  return cc_http_send (http, request, NULL, error);
}

/* A 429 met by one client of a user holds the user's requests from its
 * other clients (another session, another thread) until the Retry-After
 * has passed, and nobody else's. */
static void
test_throttle_is_the_users (void)
{
  HoldCounts counts = { 0 };
  CcTestServer *server = cc_test_server_start (hold_handler, &counts);
  g_autoptr(CcThrottle) user = cc_throttle_new ();
  g_autoptr(CcThrottle) other_user = cc_throttle_new ();
  g_autoptr(CcHttp) gives_up = NULL;
  g_autoptr(CcHttp) http = NULL;
  g_autoptr(CcHttp) other_http = NULL;
  g_autoptr(CcHttpResponse) refused = NULL;
  g_autoptr(CcHttpResponse) other = NULL;
  g_autoptr(CcHttpResponse) later = NULL;
  g_autoptr(GError) error = NULL;
  CcHttpOptions options;

  cc_http_options_init (&options, CC_HTTP_SERVICE_DYNAMICS);
  http = cc_http_new (&options);
  other_http = cc_http_new (&options);
  options.max_attempts = 1;
  gives_up = cc_http_new (&options);

  refused = send_as (user, gives_up, server, "held", &error);
  g_assert_null (refused);
  g_assert_error (error, CC_ERROR, CC_ERROR_TRANSIENT);
  g_clear_error (&error);
  g_assert_cmpuint (cc_throttle_get_wait_ms (user), >, 0);

  other = send_as (other_user, other_http, server, "free", &error);
  g_assert_no_error (error);
  later = send_as (user, http, server, "held", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->status, ==, 200);
  cc_test_server_stop (server);

  /* By the server's clock: a slow machine cannot make it pass. */
  g_assert_cmpint (counts.held_at, >=, counts.held_until);
  g_assert_cmpint (counts.free_at, <, counts.held_until);
}

/* --- credentials refused ------------------------------------------ */

static void
assert_auth_failed (Fixture    *fixture,
                    const char *tenant,
                    const char *client_id,
                    const char *secret,
                    const char *code)
{
  g_autoptr(CcTokenSource) tokens = entra_source (fixture->sandbox, tenant, client_id, secret);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = cc_token_source_get_token (tokens, fixture->http, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, code));
  g_assert_nonnull (strstr (error->message, "Dynamics 365"));
  g_assert_nonnull (strstr (error->message, "connection settings"));
  g_assert_null (strstr (error->message, secret));
  g_assert_cmpuint (cc_token_source_get_fetch_count (tokens), ==, 0);
}

static void
test_wrong_credentials (Fixture       *fixture,
                        gconstpointer  data)
{
  assert_auth_failed (fixture, CC_SANDBOX_TENANT, CC_SANDBOX_CLIENT_ID,
                      "not-the-s3cret", "AADSTS7000215");
  assert_auth_failed (fixture, CC_SANDBOX_TENANT, "who-is-this",
                      "not-the-s3cret-either", "AADSTS700016");
  assert_auth_failed (fixture, "no-such-tenant", CC_SANDBOX_CLIENT_ID,
                      CC_SANDBOX_SECRET, "AADSTS90002");
}

static void
test_wrong_ims_secret (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *ims_url = cc_sandbox_get_ims_url (fixture->sandbox);
  g_autoptr(CcTokenSource) tokens = NULL;
  g_autoptr(CcTokenSource) good = NULL;
  g_autoptr(CcHttp) http = NULL;
  CcHttpOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  cc_http_options_init (&options, CC_HTTP_SERVICE_CAMPAIGN);
  http = cc_http_new (&options);

  tokens = cc_token_source_new_ims (ims_url, CC_SANDBOX_API_KEY, "bad-ims-s3cret", NULL);
  token = cc_token_source_get_token (tokens, http, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "Adobe Campaign"));
  g_assert_null (strstr (error->message, "bad-ims-s3cret"));
  g_clear_error (&error);

  good = cc_token_source_new_ims (ims_url, CC_SANDBOX_API_KEY, CC_SANDBOX_SECRET, NULL);
  token = cc_token_source_get_token (good, http, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (cc_token_source_get_expiry (good), >, g_get_monotonic_time ());
}

/* --- error bodies, without a server ------------------------------- */

static CcHttpResponse *
fake_response (CcHttpService  service,
               guint          status,
               const char    *reason,
               const char    *method,
               const char    *path,
               const char    *body)
{
  CcHttpResponse *response = g_new0 (CcHttpResponse, 1);

  response->status = status;
  response->reason = g_strdup (reason);
  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  response->body = g_bytes_new (body, strlen (body));
  response->method = g_strdup (method);
  response->path = g_strdup (path);
  response->service = service;
  return response;
}

static void
test_error_bodies (void)
{
  struct {
    CcHttpService service;
    guint status;
    const char *body;
    const char *words;
    const char *code;
  } cases[] = {
    { CC_HTTP_SERVICE_DYNAMICS, 404,
      "{\"error\":{\"code\":\"0x80040217\",\"message\":\"contact With Id = 1 Does Not Exist\"}}",
      "contact With Id = 1 Does Not Exist", "0x80040217" },
    { CC_HTTP_SERVICE_DYNAMICS, 401,
      "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: x\\r\\nCorrelation ID: y\",\"error_codes\":[7000215]}",
      "AADSTS7000215: Invalid client secret provided.", "AADSTS7000215" },
    { CC_HTTP_SERVICE_DYNAMICS, 400,
      "{\"error\":\"invalid_scope\",\"error_description\":\"The scope is wrong\",\"error_codes\":[70011]}",
      "The scope is wrong", "AADSTS70011" },
    { CC_HTTP_SERVICE_CAMPAIGN, 401,
      "{\"error_code\":\"401013\",\"message\":\"Oauth token is not valid\"}",
      "Oauth token is not valid", "401013" },
    { CC_HTTP_SERVICE_CAMPAIGN, 500,
      "{\"code\":500,\"message\":\"Cannot update the 'age' property that is read-only\"}",
      "Cannot update the 'age' property that is read-only", "500" },
    { CC_HTTP_SERVICE_CAMPAIGN, 400,
      "{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}",
      "invalid client_secret parameter", "invalid_client" },
    { CC_HTTP_SERVICE_CAMPAIGN, 502, "Bad gateway", "Bad gateway", NULL },
    { CC_HTTP_SERVICE_CAMPAIGN, 502, "<html><body>oops</body></html>", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CcHttpResponse) response = fake_response (cases[i].service, cases[i].status,
                                                          "Reason", "PATCH", "/x/y", cases[i].body);
      g_autofree char *words = cc_http_response_dup_server_message (response);
      g_autofree char *code = cc_http_response_dup_error_code (response);
      g_autofree char *line = cc_http_error_message (cases[i].service, response);
      g_autofree char *status = g_strdup_printf ("%u", cases[i].status);

      g_assert_cmpstr (words, ==, cases[i].words);
      g_assert_cmpstr (code, ==, cases[i].code);
      g_assert_nonnull (strstr (line, cc_http_service_get_name (cases[i].service)));
      g_assert_nonnull (strstr (line, "PATCH /x/y"));
      g_assert_nonnull (strstr (line, status));
      if (cases[i].words != NULL)
        g_assert_nonnull (strstr (line, cases[i].words));
      g_assert_null (strchr (line, '\n'));
    }
}

static void
test_wait_cancelled_early (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (cc_http_wait (20, cancellable, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 20000);

  g_cancellable_cancel (cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (cc_http_wait (60000, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/http/plain-get", test_plain_get);
  ADD ("/http/retry/error-rate", test_error_rate);
  ADD ("/http/retry/drop-rate", test_drop_rate);
  ADD ("/http/retry/malformed-rate", test_malformed_rate);
  ADD ("/http/retry/scanned-body", test_scanned_body);
  ADD ("/http/retry/throttle-storm", test_throttle_storm_honours_retry_after);
  ADD ("/http/retry/attempts-run-out", test_attempts_run_out);
  ADD ("/http/retry/cancel-interrupts-backoff", test_cancel_interrupts_backoff);
  ADD ("/http/retry/retry-after-date", test_retry_after_date);
  ADD ("/http/auth/short-token-renewed", test_short_token_is_renewed);
  ADD ("/http/auth/401-renews-once", test_401_renews_once);
  ADD ("/http/auth/401-in-flight-renews-once", test_401_in_flight_renews_once);
  ADD ("/http/auth/second-401-fails", test_second_401_fails);
  ADD ("/http/auth/wrong-credentials", test_wrong_credentials);
  ADD ("/http/auth/wrong-ims-secret", test_wrong_ims_secret);
#undef ADD
  g_test_add_func ("/http/error-bodies", test_error_bodies);
  g_test_add_func ("/http/wait-cancelled", test_wait_cancelled_early);
  g_test_add_func ("/http/throttle-is-the-users", test_throttle_is_the_users);

  return g_test_run ();
}
