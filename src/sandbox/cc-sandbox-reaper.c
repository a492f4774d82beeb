/* cc-sandbox-reaper.c — closes the server end of connections that their
 * clients closed while idle.
 *
 * Both emulators keep connections alive, as the real services do. But
 * libsoup 3.2's server never notices when a client closes a kept-alive
 * connection between two requests (fixed upstream in 3.3): the socket
 * stays in CLOSE_WAIT, one descriptor per client connection, until the
 * sandbox stops. The reaper remembers the socket of every answered
 * request and, once a second, closes those whose peer has gone: a peek
 * that reads end-of-file (or a reset) and no data. A socket libsoup
 * closed itself is simply forgotten. Everything runs on the sandbox
 * thread, the same that drives the servers, so a socket cannot be closed
 * under a request that is being read.
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "cc-sandbox-reaper.h"

#define REAP_INTERVAL_S 1

struct _CcSandboxReaper
{
  SoupServer *server;
  gulong      finished_id;
  GPtrArray  *sockets;     /* GSocket*, each once */
  GSource    *timer;
};

static void
on_request_finished (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  CcSandboxReaper *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_ptr_array_find (self->sockets, socket, NULL))
    g_ptr_array_add (self->sockets, g_object_ref (socket));
}

/* TRUE when the peer of @socket has closed it (or reset it) and nothing
 * is left to read. */
static gboolean
peer_gone (GSocket *socket)
{
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n == 0)
    return TRUE;
  return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

guint
cc_sandbox_reaper_reap (CcSandboxReaper *self)
{
  guint reaped = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = self->sockets->len; i > 0; i--)
    {
      GSocket *socket = g_ptr_array_index (self->sockets, i - 1);

      if (g_socket_is_closed (socket))
        g_ptr_array_remove_index_fast (self->sockets, i - 1);
      else if (peer_gone (socket))
        {
          g_socket_close (socket, NULL);
          g_ptr_array_remove_index_fast (self->sockets, i - 1);
          reaped++;
        }
    }
  return reaped;
}

static gboolean
on_timer (gpointer user_data)
{
  cc_sandbox_reaper_reap (user_data);
  return G_SOURCE_CONTINUE;
}

CcSandboxReaper *
cc_sandbox_reaper_new (SoupServer *server)
{
  CcSandboxReaper *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self = g_new0 (CcSandboxReaper, 1);
  self->server = g_object_ref (server);
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->finished_id = g_signal_connect (server, "request-finished",
                                        G_CALLBACK (on_request_finished), self);
  self->timer = g_timeout_source_new_seconds (REAP_INTERVAL_S);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
  return self;
}

void
cc_sandbox_reaper_free (CcSandboxReaper *self)
{
  if (self == NULL)
    return;
  g_source_destroy (self->timer);
  g_source_unref (self->timer);
  g_signal_handler_disconnect (self->server, self->finished_id);
  g_ptr_array_unref (self->sockets);
  g_object_unref (self->server);
  g_free (self);
}
