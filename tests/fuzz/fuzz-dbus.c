/* fuzz-dbus.c — what any client of the session bus can send the engine:
 * every method of Manager1 and Workflow1 that takes arguments (but those
 * that talk to the services), with
 * arguments of the right D-Bus type (GDBus refuses the others before
 * the engine sees them) and any value, through the real service on a
 * real D-Bus connection (peer to peer, in this process).
 *
 * The input is a method number, a workflow number, then the method's
 * arguments serialized as a GVariant of its signature; whatever the
 * bytes, GVariant makes a value of that type of them, as GDBus does with
 * a message it receives. The engine runs in sandbox mode (connections in
 * memory, no keyring) on a configuration and database of its own.
 */
#include <gio/gio.h>
#include <sys/socket.h>

#include "cc-dbus-service.h"
#include "cc-engine.h"
#include "fuzz-input.h"

typedef struct
{
  const char *interface;
  const char *method;
  const char *signature;
} Method;

#define MANAGER  "io.github.campaignconnector.Manager1"
#define WORKFLOW "io.github.campaignconnector.Workflow1"

/* Not CheckSetup, TestConnection nor PrepareDynamics: past the name of
 * a workflow or a system, which GetWorkflow and GetConnection check the
 * same way, they talk to the services for seconds. */
static const Method methods[] = {
  { MANAGER, "SetConnection", "(sa{sv})" },
  { MANAGER, "GetConnection", "(s)" },
  { MANAGER, "GetWorkflow", "(s)" },
  { WORKFLOW, "SetConfig", "(s)" },
  { WORKFLOW, "Replay", "(s)" },
  { WORKFLOW, "RetryError", "(x)" },
  { WORKFLOW, "GetErrors", "(uu)" },
  { WORKFLOW, "GetHistory", "(u)" },
  { WORKFLOW, "GetActivity", "(s)" },
};

static const char * const workflows[] = { "ingress", "egress", "optinout" };

typedef struct
{
  CcEngine        *engine;
  CcDbusService   *service;
  GDBusConnection *server;
  GDBusConnection *client;
} World;

static void
on_connection (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GDBusConnection **connection = user_data;
  g_autoptr(GError) error = NULL;

  *connection = g_dbus_connection_new_finish (result, &error);
  g_assert_no_error (error);
}

/* Both ends of a peer-to-peer connection over a socket pair. */
static void
connect_pair (World *world)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  GSocket *sockets[2];
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      sockets[i] = g_socket_new_from_fd (fds[i], &error);
      g_assert_no_error (error);
    }
  g_dbus_connection_new (G_IO_STREAM (g_socket_connection_factory_create_connection (sockets[0])),
                         guid, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER
                               | G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS,
                         NULL, NULL, on_connection, &world->server);
  g_dbus_connection_new (G_IO_STREAM (g_socket_connection_factory_create_connection (sockets[1])),
                         NULL, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                         NULL, NULL, on_connection, &world->client);
  while (world->server == NULL || world->client == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (sockets[0]);
  g_object_unref (sockets[1]);
}

static World *
world (void)
{
  static World *the_world = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;

  if (the_world != NULL)
    return the_world;
  the_world = g_new0 (World, 1);
  dir = g_dir_make_tmp ("cc-fuzz-dbus-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (dir, "config.json", NULL);
  state = g_build_filename (dir, "state.db", NULL);
  the_world->engine = cc_engine_new (config, state, &error);
  g_assert_no_error (error);
  cc_engine_use_sandbox (the_world->engine, "http://127.0.0.1:9", "http://127.0.0.1:9");
  connect_pair (the_world);
  the_world->service = cc_dbus_service_new ();
  cc_dbus_service_export (the_world->service, the_world->server, &error);
  g_assert_no_error (error);
  cc_dbus_service_set_engine (the_world->service, the_world->engine);
  return the_world;
}

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  /* Refusals are expected; the engine must answer every call. */
  g_assert_true (reply != NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  *done = TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) raw = NULL;
  g_autoptr(GVariant) arguments = NULL;
  const Method *method;
  gboolean done = FALSE;
  World *w;

  cc_fuzz_init ();
  if (size < 2)
    return 0;
  w = world ();
  method = &methods[data[0] % G_N_ELEMENTS (methods)];
  path = g_str_equal (method->interface, MANAGER)
         ? g_strdup (CC_DBUS_SERVICE_PATH)
         : cc_dbus_service_workflow_path (workflows[data[1] % G_N_ELEMENTS (workflows)]);

  bytes = g_bytes_new (data + 2, size - 2);
  raw = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (method->signature), bytes,
                                                      FALSE));
  /* What GDBus makes of a message it receives: a trusted value. */
  arguments = g_variant_get_normal_form (raw);
  g_dbus_connection_call (w->client, NULL, path, method->interface, method->method, arguments,
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_reply, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
