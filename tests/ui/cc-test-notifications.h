/* cc-test-notifications.h — a stand-in notification server on the
 * test's session bus. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint      owner_id;
  guint      object_id;
  gboolean   owned;
  GPtrArray *ids;      /* notification ids received */
  GPtrArray *titles;
} CcTestNotifications;

/* Owns org.gtk.Notifications on the session bus (waits until it does). */
void     cc_test_notifications_start (CcTestNotifications *notifications);
void     cc_test_notifications_stop  (CcTestNotifications *notifications);
/* A CcTestCondition: a notification came. */
gboolean cc_test_notifications_any   (gpointer             notifications);

G_END_DECLS
