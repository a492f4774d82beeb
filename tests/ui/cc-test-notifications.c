/* cc-test-notifications.c — a stand-in for the desktop's notification
 * server (org.gtk.Notifications, which GApplication uses when it finds it
 * on the bus), recording what it is sent. */
#include "config.h"

#include "cc-test-notifications.h"
#include "cc-test-util.h"

#define TIMEOUT 60

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  CcTestNotifications *notifications = user_data;

  if (g_str_equal (method, "AddNotification"))
    {
      const char *app_id, *id, *title = NULL;
      g_autoptr(GVariant) body = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &body);
      g_variant_lookup (body, "title", "&s", &title);
      g_ptr_array_add (notifications->ids, g_strdup (id));
      g_ptr_array_add (notifications->titles, g_strdup (title ? title : ""));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((CcTestNotifications *) user_data)->owned = TRUE;
}

static gboolean
notifications_ready (gpointer user_data)
{
  return ((CcTestNotifications *) user_data)->owned;
}

void
cc_test_notifications_start (CcTestNotifications *notifications)
{
  static const char xml[] =
    "<node><interface name='org.gtk.Notifications'>"
    "<method name='AddNotification'><arg type='s'/><arg type='s'/><arg type='a{sv}'/></method>"
    "<method name='RemoveNotification'><arg type='s'/><arg type='s'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { on_notification_call };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;

  notifications->ids = g_ptr_array_new_with_free_func (g_free);
  notifications->titles = g_ptr_array_new_with_free_func (g_free);
  notifications->object_id = g_dbus_connection_register_object (bus, "/org/gtk/Notifications",
                                                                info->interfaces[0], &vtable,
                                                                notifications, NULL, &error);
  g_assert_no_error (error);
  notifications->owner_id = g_bus_own_name_on_connection (bus, "org.gtk.Notifications",
                                                          G_BUS_NAME_OWNER_FLAGS_NONE,
                                                          on_name_acquired, NULL,
                                                          notifications, NULL);
  g_assert_true (cc_test_wait_until (notifications_ready, notifications, TIMEOUT));
}

void
cc_test_notifications_stop (CcTestNotifications *notifications)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_bus_unown_name (notifications->owner_id);
  g_dbus_connection_unregister_object (bus, notifications->object_id);
  g_clear_pointer (&notifications->ids, g_ptr_array_unref);
  g_clear_pointer (&notifications->titles, g_ptr_array_unref);
}

gboolean
cc_test_notifications_any (gpointer notifications)
{
  return ((CcTestNotifications *) notifications)->ids->len > 0;
}
