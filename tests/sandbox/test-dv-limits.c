/* test-dv-limits.c — the Dataverse emulator's service protection
 * (Microsoft's "Service protection API limits"): the request count and
 * the combined execution time over a sliding window, the concurrency
 * limit, a Retry-After that grows while a throttled client keeps
 * sending, and how a $batch counts.
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
  g_test_add ("/sandbox/dataverse/limits/batch-is-one-request", DvFixture, &limited,
              dv_fixture_setup, test_batch_is_one_request, dv_fixture_teardown);
  g_test_add ("/sandbox/dataverse/limits/execution-time", DvFixture, &quick,
              dv_fixture_setup, test_execution_time_limit, dv_fixture_teardown);
}
