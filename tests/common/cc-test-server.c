/* cc-test-server.c — a loopback HTTP server on a thread of its own. */
#include <string.h>

#include "cc-test-server.h"

struct _CcTestServer
{
  GMainContext        *context;
  GMainLoop           *loop;
  SoupServer          *server;
  GThread             *thread;
  char                *url;
  GMutex               lock;
  GCond                cond;
  CcTestServerHandler  handler;
  gpointer             user_data;
  guint                requests;
};

static void
serve (SoupServer        *soup_server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           data)
{
  CcTestServer *server = data;

  g_atomic_int_inc (&server->requests);
  server->handler (msg, path, server->user_data);
}

static gpointer
server_thread (gpointer data)
{
  CcTestServer *server = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, serve, server, NULL);
  g_assert_true (soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);

  g_mutex_lock (&server->lock);
  server->url = g_uri_to_string (uris->data);
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);
  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

CcTestServer *
cc_test_server_start (CcTestServerHandler handler,
                      gpointer            user_data)
{
  CcTestServer *server = g_new0 (CcTestServer, 1);

  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->handler = handler;
  server->user_data = user_data;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("test-server", server_thread, server);
  g_mutex_lock (&server->lock);
  while (server->url == NULL)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  return server;
}

const char *
cc_test_server_get_url (CcTestServer *server)
{
  return server->url;
}

guint
cc_test_server_get_requests (CcTestServer *server)
{
  return (guint) g_atomic_int_get (&server->requests);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
cc_test_server_stop (CcTestServer *server)
{
  if (server == NULL)
    return;
  /* Quit from the server's own loop: a g_main_loop_quit () from here
   * before the thread enters g_main_loop_run () would be lost. */
  g_main_context_invoke (server->context, quit_loop, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_free (server->url);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

void
cc_test_server_answer_json (SoupServerMessage *msg,
                            guint              status,
                            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}
