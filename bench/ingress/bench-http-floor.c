/* bench-http-floor.c — what libsoup alone costs per profile POST.
 *
 * As many threads as the workflow has writers, each with a SoupSession of
 * its own (keep-alive, as the engine's clients), send the profile POST of
 * a first load again and again, and nothing else: no queue, no database,
 * no mapping. It prints one line of JSON: requests, seconds, requests per
 * second and the client's CPU time per request. Beside wrk's raw rate and
 * the workflow's figures (bench/ingress/run.sh), it tells how much of the
 * engine's time per record the HTTP stack takes.
 *
 * With --async, one thread keeps --concurrency POSTs in flight on one
 * session instead (libsoup's asynchronous API, as the engine's writers
 * use it): the floor of that way of sending. */
#include <sys/resource.h>
#include <unistd.h>

#include <libsoup/soup.h>

typedef struct
{
  const char *url;
  const char *authorization;
  guint       requests;
  guint       thread;
  gboolean    failed;
} Sender;

/* The @i'th profile POST of @sender. */
static SoupMessage *
new_post (Sender *sender,
          guint   i)
{
  SoupMessage *message = soup_message_new (SOUP_METHOD_POST, sender->url);
  g_autofree char *body = g_strdup_printf (
    "{\"externalId\":\"floor-%d-%u-%u\",\"firstName\":\"Floor\",\"lastName\":\"Bench %u\","
    "\"email\":\"floor.%d.%u.%u@example.com\",\"birthDate\":\"1980-10-24\","
    "\"phone\":\"+49 30 1234567\",\"mobilePhone\":\"+49 170 1234567\"}",
    (int) getpid (), sender->thread, i, i, (int) getpid (), sender->thread, i);
  gsize length = strlen (body);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), length);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_append (headers, "Authorization", sender->authorization);
  soup_message_headers_append (headers, "X-Api-Key", "sandbox-api-key");
  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  return message;
}

static SoupSession *
new_session (guint max_conns)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 60,
                                                        "max-conns-per-host", (int) max_conns,
                                                        "max-conns", (int) MAX (10, 2 * max_conns),
                                                        NULL);

  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  return session;
}

static gpointer
send_profiles (gpointer data)
{
  Sender *sender = data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();

  /* As the engine's workers do: sources in a context of this thread's own. */
  g_main_context_push_thread_default (context);
  session = new_session (2);

  for (guint i = 0; i < sender->requests && !sender->failed; i++)
    {
      g_autoptr(SoupMessage) message = new_post (sender, i);
      g_autoptr(GBytes) answer = soup_session_send_and_read (session, message, NULL, NULL);

      if (answer == NULL || soup_message_get_status (message) != SOUP_STATUS_CREATED)
        sender->failed = TRUE;
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* --async: one session, every POST in flight from this thread. */
typedef struct
{
  Sender      *sender;
  SoupSession *session;
  guint        started;
  guint        ended;
} Flight;

static void send_next (Flight *flight);

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SoupMessage *message = user_data;
  Flight *flight = g_object_get_data (G_OBJECT (message), "flight");
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                                NULL);

  if (answer == NULL || soup_message_get_status (message) != SOUP_STATUS_CREATED)
    flight->sender->failed = TRUE;
  g_object_unref (message);
  flight->ended++;
  send_next (flight);
}

static void
send_next (Flight *flight)
{
  SoupMessage *message;

  if (flight->started == flight->sender->requests || flight->sender->failed)
    return;
  message = new_post (flight->sender, flight->started++);
  g_object_set_data (G_OBJECT (message), "flight", flight);
  soup_session_send_and_read_async (flight->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_answer, message);
}

static void
send_in_flight (Sender *sender,
                guint   in_flight)
{
  g_autoptr(SoupSession) session = new_session (in_flight);
  Flight flight = { sender, session, 0, 0 };

  for (guint i = 0; i < in_flight; i++)
    send_next (&flight);
  while (flight.ended < flight.started)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("— libsoup's cost per profile POST");
  g_autofree char *campaign = NULL;
  g_autofree char *token = NULL;
  int requests = 100000;
  int concurrency = 8;
  gboolean async = FALSE;
  const GOptionEntry entries[] = {
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, "Campaign URL of the sandbox", "URL" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "IMS access token", "TOKEN" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests, "Requests in all", "N" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Threads, one session each", "N" },
    { "async", 0, 0, G_OPTION_ARG_NONE, &async, "One thread, --concurrency POSTs in flight", NULL },
    { NULL },
  };
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autofree Sender *senders = NULL;
  g_autofree GThread **threads = NULL;
  struct rusage usage;
  gint64 start;
  double seconds, cpu_seconds;
  guint sent;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || !campaign || !token
      || concurrency < 1 || requests < concurrency)
    {
      g_printerr ("bench-http-floor: %s\n",
                  error ? error->message : "--campaign and --token are needed");
      return 2;
    }

  url = g_strconcat (campaign, "/sandbox-org/campaign/profileAndServicesExt/profile", NULL);
  authorization = g_strconcat ("Bearer ", token, NULL);
  senders = g_new0 (Sender, concurrency);
  threads = g_new0 (GThread *, concurrency);
  start = g_get_monotonic_time ();
  if (async)
    {
      senders[0] = (Sender) { url, authorization, (guint) requests, 0, FALSE };
      send_in_flight (&senders[0], (guint) concurrency);
      sent = (guint) requests;
      concurrency = 1;
    }
  else
    {
      for (int i = 0; i < concurrency; i++)
        {
          senders[i] = (Sender) { url, authorization, (guint) (requests / concurrency), (guint) i,
                                  FALSE };
          threads[i] = g_thread_new ("sender", send_profiles, &senders[i]);
        }
      for (int i = 0; i < concurrency; i++)
        g_thread_join (threads[i]);
      sent = (guint) (requests / concurrency) * (guint) concurrency;
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  for (int i = 0; i < concurrency; i++)
    if (senders[i].failed)
      {
        g_printerr ("bench-http-floor: a POST was not answered with 201 Created\n");
        return 1;
      }
  getrusage (RUSAGE_SELF, &usage);
  cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  g_print ("{\"requests\": %u, \"seconds\": %.2f, \"requests_per_second\": %.0f"
           ", \"client_cpu_us_per_request\": %.0f}\n",
           sent, seconds, sent / seconds, cpu_seconds * 1e6 / sent);
  return 0;
}
