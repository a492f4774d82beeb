/* test-dv-limits.c — the Dataverse emulator's service protection
 * (Microsoft's "Service protection API limits"): the request count and
 * the combined execution time over a sliding window, the concurrency
 * limit, a Retry-After that grows while a throttled client keeps
 * sending, and how a $batch counts; each application user has limits of
 * its own.
 */
#include <stdlib.h>
#include <string.h>

#include "dv-fixture.h"

static void
test_request_limit (DvFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(DvReply) throttled = NULL;
  g_autoptr(DvReply) stats = NULL;
  const char *retry;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(DvReply) ok = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      g_assert_cmpuint (ok->status, ==, 200);
    }
  throttled = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  dv_assert_error (throttled, 429, "0x80072322",
                   "Number of requests exceeded the limit of 5 over time window of 60 seconds");
  retry = soup_message_headers_get_one (throttled->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >=, 1);
  g_assert_cmpint (atoi (retry), <=, 60);

  stats = dv_admin (f, "GET", "stats", NULL);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (dv_reply_object (stats), "requests"),
                                               "throttled"), ==, 1);
}

typedef struct
{
  guint ok;
  guint throttled;
  guint pending;
  char *first_code;
} ConcurrentState;

static void
concurrent_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  ConcurrentState *state = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_assert_nonnull (body);
  if (soup_message_get_status (msg) == 200)
    state->ok++;
  else if (soup_message_get_status (msg) == 429)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      state->throttled++;
      g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), NULL));
      g_free (state->first_code);
      state->first_code = g_strdup (json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "error"),
          "code"));
    }
  state->pending--;
}

static void
test_concurrency_limit (DvFixture     *f,
                        gconstpointer  data)
{
  ConcurrentState state = { 0, };
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  g_autofree char *url = g_strconcat (f->api, "contacts?$top=1", NULL);

  /* Latency keeps the first requests in flight while the others arrive. */
  dv_set_faults (f, "{\"latency_ms\": 400}");
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, concurrent_done, &state);
      state.pending++;
    }
  while (state.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (state.ok + state.throttled, ==, 5);
  g_assert_cmpuint (state.ok, >=, 1);
  g_assert_cmpuint (state.ok, <=, 2);
  g_assert_cmpuint (state.throttled, >=, 3);
  g_assert_cmpstr (state.first_code, ==, "0x80072326");
  g_free (state.first_code);
}

static gint64
retry_after (DvReply *reply)
{
  const char *value = soup_message_headers_get_one (reply->headers, "Retry-After");

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* "If the application continues to send such demanding requests, the
 * duration will be extended": each request sent before the Retry-After
 * has passed makes the wait longer. */
static void
test_retry_after_grows (DvFixture     *f,
                        gconstpointer  data)
{
  gint64 previous = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(DvReply) ok = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      g_assert_cmpuint (ok->status, ==, 200);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(DvReply) throttled = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
      gint64 wait;

      dv_assert_error (throttled, 429, "0x80072322", "Number of requests exceeded the limit of 5");
      wait = retry_after (throttled);
      g_assert_cmpint (wait, >, previous);
      previous = wait;
    }
  /* Twice what was left each time: well beyond the window by now. */
  g_assert_cmpint (previous, >, 60);
}

/* A request that was on its way on another connection when the block
 * began (a client that sends in parallel cannot call it back) is refused
 * with what is left of the wait and extends nothing; the connection that
 * was told to wait and comes back early still extends it. */
static void
test_in_flight_extends_nothing (DvFixture     *f,
                                gconstpointer  data)
{
  SoupSession *told = f->session;
  g_autoptr(DvReply) first = NULL;
  g_autoptr(DvReply) in_flight = NULL;
  g_autoptr(DvReply) again = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(DvReply) ok = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      g_assert_cmpuint (ok->status, ==, 200);
    }
  first = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  dv_assert_error (first, 429, "0x80072322", "Number of requests exceeded the limit of 5");

  /* A session of its own: another connection. */
  f->session = soup_session_new ();
  in_flight = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  g_object_unref (f->session);
  f->session = told;
  dv_assert_error (in_flight, 429, "0x80072322", "Number of requests exceeded the limit of 5");
  g_assert_cmpint (retry_after (in_flight), <=, retry_after (first));

  again = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  dv_assert_error (again, 429, "0x80072322", "Number of requests exceeded the limit of 5");
  g_assert_cmpint (retry_after (again), >, retry_after (first));
}

/* Adds @n reads of single contacts; the ids come from the admin API,
 * which the limits do not see. */
static void
add_reads (GString   *b,
           DvFixture *f,
           guint      n)
{
  g_autoptr(DvReply) ids = dv_admin (f, "GET", "tables/contacts", NULL);
  JsonArray *value = dv_reply_value (ids);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = g_strdup_printf ("contacts(%s)?$select=fullname,emailaddress1",
                                              json_object_get_string_member (
                                                json_array_get_object_element (value, i % 10), "contactid"));

      dv_batch_add (b, "batch_T", "GET", url, NULL, NULL);
    }
}

/* Microsoft documents that a batch "will avoid the number of requests
 * limit" (Service protection API limits, Number of requests): however
 * many operations it holds, it is one request against that count. */
static void
test_batch_is_one_request (DvFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(DvReply) batch = NULL;
  g_autoptr(DvReply) throttled = NULL;

  /* One request of the five, however many operations it holds. */
  add_reads (b, f, 60);
  batch = dv_batch_send (f, b, NULL);
  g_assert_cmpuint (batch->status, ==, 200);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(DvReply) ok = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      g_assert_cmpuint (ok->status, ==, 200);
    }
  throttled = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  dv_assert_error (throttled, 429, "0x80072322", "Number of requests exceeded the limit of 5");
}

/* What counters batching is the execution-time limit: the time of every
 * operation in a batch counts, and once the window's budget is spent
 * further requests are refused with the documented error. */
static void
test_execution_time_limit (DvFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(DvReply) batch = NULL;
  g_autoptr(DvReply) throttled = NULL;

  add_reads (b, f, 1000);
  batch = dv_batch_send (f, b, NULL);
  g_assert_cmpuint (batch->status, ==, 200);
  throttled = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);
  dv_assert_error (throttled, 429, "0x80072321",
                   "Combined execution time of incoming requests exceeded limit of 1 milliseconds over "
                   "time window of 60 seconds.");
  g_assert_cmpint (retry_after (throttled), >=, 1);
}

/* Sends requests with the fixture's token until the first 429; returns
 * how many went through. */
static guint
send_until_throttled (DvFixture *f)
{
  for (guint sent = 0; sent < 100; sent++)
    {
      g_autoptr(DvReply) reply = dv_api (f, "GET", "contacts?$top=1", NULL, NULL);

      if (reply->status == 429)
        {
          dv_assert_error (reply, 429, "0x80072322", "Number of requests exceeded the limit of 5");
          return sent;
        }
      g_assert_cmpuint (reply->status, ==, 200);
    }
  g_assert_not_reached ();
}

static JsonObject *
user_counts (DvReply    *users,
             const char *client_id)
{
  JsonObject *user = dv_find_by (json_object_get_array_member (dv_reply_object (users), "users"),
                                 "client_id", client_id);

  g_assert_nonnull (user);
  return user;
}

/* Dataverse evaluates its limits per user: a second application user,
 * registered through the admin API, has a budget of its own, and signs
 * in only with its own secret. */
static void
test_per_user (DvFixture     *f,
               gconstpointer  data)
{
  g_autoptr(DvReply) added = NULL;
  g_autoptr(DvReply) again = NULL;
  g_autoptr(DvReply) users = NULL;
  g_autoptr(DvReply) wrong = NULL;
  g_autofree char *scope = g_strconcat (f->url, "/.default", NULL);
  g_autofree char *token_url = g_strconcat (f->url, "/" CC_SANDBOX_TENANT "/oauth2/v2.0/token",
                                            NULL);
  g_autofree char *form = soup_form_encode ("grant_type", "client_credentials",
                                            "client_id", "second-app", "client_secret",
                                            CC_SANDBOX_SECRET, "scope", scope, NULL);

  wrong = dv_send (f, "POST", token_url, "application/x-www-form-urlencoded", form, FALSE, NULL);
  g_assert_cmpuint (wrong->status, ==, 400);   /* no such application yet */
  added = dv_admin (f, "POST", "users", "{\"client_id\": \"second-app\", \"secret\": \"s2\"}");
  g_assert_cmpuint (added->status, ==, 201);
  again = dv_admin (f, "POST", "users", "{\"client_id\": \"second-app\", \"secret\": \"s3\"}");
  g_assert_cmpuint (again->status, ==, 409);
  g_clear_pointer (&wrong, dv_reply_free);
  wrong = dv_send (f, "POST", token_url, "application/x-www-form-urlencoded", form, FALSE, NULL);
  g_assert_cmpuint (wrong->status, ==, 401);   /* another user's secret */

  g_assert_cmpuint (send_until_throttled (f), ==, 5);
  g_free (f->token);
  f->token = dv_fetch_token_for (f, "second-app", "s2");
  g_assert_cmpuint (send_until_throttled (f), ==, 5);

  users = dv_admin (f, "GET", "users", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dv_reply_object (users),
                                                                         "users")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (user_counts (users, CC_SANDBOX_CLIENT_ID),
                                               "requests"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (user_counts (users, "second-app"), "requests"),
                   ==, 5);
  g_assert_cmpint (json_object_get_int_member (user_counts (users, "second-app"), "throttled"),
                   ==, 1);
  g_assert_false (json_object_has_member (user_counts (users, "second-app"), "secret"));
}

void
dv_add_limits_tests (void)
{
  static const DvFixtureConfig limited = { 0, 5, 60, 0 };
  static const DvFixtureConfig narrow = { 0, 0, 0, 2 };
  static const DvFixtureConfig quick = { 0, 0, 60, 0, 0, 1 };

  g_test_add ("/sandbox/dataverse/limits/requests", DvFixture, &limited,
              dv_fixture_setup, test_request_limit, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/concurrent", DvFixture, &narrow,
              dv_fixture_setup, test_concurrency_limit, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/retry-after-grows", DvFixture, &limited,
              dv_fixture_setup, test_retry_after_grows, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/in-flight-extends-nothing", DvFixture, &limited,
              dv_fixture_setup, test_in_flight_extends_nothing, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/batch-is-one-request", DvFixture, &limited,
              dv_fixture_setup, test_batch_is_one_request, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/execution-time", DvFixture, &quick,
              dv_fixture_setup, test_execution_time_limit, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/per-user", DvFixture, &limited,
              dv_fixture_setup, test_per_user, dv_fixture_teardown);
}
