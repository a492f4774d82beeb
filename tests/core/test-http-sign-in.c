/* test-http-sign-in.c — a thread that keeps requests in flight signs in
 * again without waiting for them.
 *
 * A writer thread runs its requests asynchronously on one session, and
 * fetches a token blocking when one runs out. The requests in flight hold
 * every connection the session may open to the host, and only the
 * thread's own main loop can read their answers and free one: a sign-in
 * that waited for one of those connections would wait forever. The
 * test's own server holds the API's answers until the second token is
 * issued, so that the connections are all in use when the token runs out.
 */
#include "cc-http.h"
#include "cc-token-source.h"
#include "cc-test-server.h"
#include "cc-test-util.h"
#include "client-fixture.h"

/* Requests in flight when the token runs out: the session's every
 * connection to the host. */
#define HELD 2
#define DEADLINE 30

typedef struct
{
  /* the server's thread only */
  GPtrArray    *held;           /* SoupServerMessage*, answered after the second token */
  /* atomic */
  gint          tokens_issued;
  gint          api_calls;
  gint          done;
  /* the client's thread only, and set before it sends */
  GMainContext *client_context;
  CcTestServer *server;
  ClientFlight  flight;
} SignIn;

static void
answer_api (SoupServerMessage *msg)
{
  cc_test_server_answer_json (msg, 200, "{\"value\":[]}");
}

static void
handler (SoupServerMessage *msg,
         const char        *path,
         gpointer           data)
{
  SignIn *sign_in = data;

  if (g_strcmp0 (path, "/token") == 0)
    {
      gint issued = g_atomic_int_add (&sign_in->tokens_issued, 1) + 1;
      g_autofree char *body = NULL;

      body = g_strdup_printf ("{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                              "\"access_token\":\"token-%d\"}", issued);
      cc_test_server_answer_json (msg, 200, body);
      if (issued < 2)
        return;
      for (guint i = 0; i < sign_in->held->len; i++)
        {
          SoupServerMessage *held = g_ptr_array_index (sign_in->held, i);

          answer_api (held);
          soup_server_message_unpause (held);
        }
      g_ptr_array_set_size (sign_in->held, 0);
      return;
    }

  g_atomic_int_inc (&sign_in->api_calls);
  /* The client's thread waits for its requests to arrive here. */
  g_main_context_wakeup (sign_in->client_context);
  if (g_atomic_int_get (&sign_in->tokens_issued) >= 2)
    {
      answer_api (msg);
      return;
    }
  soup_server_message_pause (msg);
  g_ptr_array_add (sign_in->held, g_object_ref (msg));
}

static CcHttpRequest *
send_api (CcHttp        *http,
          CcTokenSource *tokens,
          SignIn        *sign_in)
{
  g_autofree char *url = g_strconcat (cc_test_server_get_url (sign_in->server), "api", NULL);
  CcHttpRequest *request = cc_http_request_new ("GET", url);

  cc_http_request_set_expect_json (request, TRUE);
  cc_http_request_set_token_source (request, tokens);
  cc_http_send_async (http, request, NULL, client_flight_on_sent, &sign_in->flight);
  return request;
}

/* The client's thread, with a main context of its own as a writer's. */
static gpointer
client_thread (gpointer data)
{
  SignIn *sign_in = data;
  GMainContext *context = cc_http_thread_context_push ();
  g_autofree char *token_url = g_strconcat (cc_test_server_get_url (sign_in->server), "token",
                                            NULL);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_http_request_free);
  g_autoptr(CcTokenSource) tokens = NULL;
  g_autoptr(CcHttp) http = NULL;
  CcHttpOptions options;

  cc_http_options_init (&options, CC_HTTP_SERVICE_DYNAMICS);
  options.max_conns_per_host = HELD;
  http = cc_http_new (&options);
  sign_in->client_context = context;
  tokens = cc_token_source_new_entra (token_url, "id", "secret",
                                      cc_test_server_get_url (sign_in->server));

  for (guint i = 0; i < HELD; i++)
    g_ptr_array_add (requests, send_api (http, tokens, sign_in));
  while (g_atomic_int_get (&sign_in->api_calls) < HELD)
    g_main_context_iteration (context, TRUE);

  /* Every connection is in use, and the next request needs a token. */
  cc_token_source_invalidate (tokens);
  g_ptr_array_add (requests, send_api (http, tokens, sign_in));
  while (sign_in->flight.ended < HELD + 1)
    g_main_context_iteration (context, TRUE);

  g_clear_object (&http);
  cc_http_thread_context_pop (context);
  g_atomic_int_set (&sign_in->done, TRUE);
  return NULL;
}

static gboolean
client_done (gpointer data)
{
  SignIn *sign_in = data;

  return g_atomic_int_get (&sign_in->done);
}

static void
test_sign_in_beside_requests_in_flight (void)
{
  SignIn sign_in = { 0 };
  GThread *thread;

  sign_in.held = g_ptr_array_new_with_free_func (g_object_unref);
  sign_in.server = cc_test_server_start (handler, &sign_in);
  thread = g_thread_new ("client", client_thread, &sign_in);

  if (!cc_test_wait_until (client_done, &sign_in, DEADLINE))
    g_error ("the client's thread is stuck: %d API calls arrived, %d tokens were issued",
             g_atomic_int_get (&sign_in.api_calls), g_atomic_int_get (&sign_in.tokens_issued));
  g_thread_join (thread);
  cc_test_server_stop (sign_in.server);

  g_assert_cmpuint (sign_in.flight.ok, ==, HELD + 1);
  g_assert_cmpint (sign_in.tokens_issued, ==, 2);
  g_assert_cmpint (sign_in.api_calls, ==, HELD + 1);
  g_ptr_array_unref (sign_in.held);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/sign-in/beside-requests-in-flight",
                   test_sign_in_beside_requests_in_flight);

  return g_test_run ();
}
