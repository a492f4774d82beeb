/* cc-dbus-service-users.c — the Dynamics 365 connection's application
 * users on the bus: Manager1.AddDynamicsUser, .ListDynamicsUsers and
 * .RemoveDynamicsUser. A secret only ever comes in; nothing here logs or
 * returns one.
 */
#include "config.h"

#include "cc-dbus-service-private.h"

static gboolean
handle_add (CcManager1            *skeleton,
            GDBusMethodInvocation *invocation,
            const char            *client_id,
            const char            *secret,
            gpointer               user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!cc_dbus_service_check_engine (user_data, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  g_debug ("D-Bus: AddDynamicsUser %s", client_id);
  ok = cc_engine_add_dynamics_user (cc_dbus_service_get_engine (user_data), client_id, secret,
                                    &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

static gboolean
handle_list (CcManager1            *skeleton,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  g_auto(GStrv) users = NULL;

  if (!cc_dbus_service_check_engine (user_data, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  users = cc_engine_list_dynamics_users (cc_dbus_service_get_engine (user_data));
  cc_manager1_complete_list_dynamics_users (skeleton, invocation, (const char * const *) users);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove (CcManager1            *skeleton,
               GDBusMethodInvocation *invocation,
               const char            *client_id,
               gpointer               user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!cc_dbus_service_check_engine (user_data, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  g_debug ("D-Bus: RemoveDynamicsUser %s", client_id);
  ok = cc_engine_remove_dynamics_user (cc_dbus_service_get_engine (user_data), client_id,
                                       &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

void
cc_dbus_service_connect_users (CcDbusService *self,
                               CcManager1    *skeleton)
{
  g_signal_connect (skeleton, "handle-add-dynamics-user", G_CALLBACK (handle_add), self);
  g_signal_connect (skeleton, "handle-list-dynamics-users", G_CALLBACK (handle_list), self);
  g_signal_connect (skeleton, "handle-remove-dynamics-user", G_CALLBACK (handle_remove), self);
}
