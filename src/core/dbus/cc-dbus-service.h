/* cc-dbus-service.h — the engine on the session bus (docs/dbus.md).
 *
 * Exports, on one GDBusConnection: an org.freedesktop.DBus.ObjectManager
 * and io.github.campaignconnector.Manager1 at CC_DBUS_SERVICE_PATH, and one
 * io.github.campaignconnector.Workflow1 object per workflow at
 * CC_DBUS_SERVICE_PATH/workflows/<id>. Every method calls the same engine
 * functions the window does; engine errors cross the bus as
 * io.github.campaignconnector.Error.<Name>.
 */
#pragma once

#include <gio/gio.h>

#include "cc-engine.h"

G_BEGIN_DECLS

#define CC_DBUS_SERVICE_NAME          "io.github.campaignconnector.CampaignConnector"
#define CC_DBUS_SERVICE_PATH          "/io/github/campaignconnector/CampaignConnector"
#define CC_DBUS_SERVICE_WORKFLOWS     CC_DBUS_SERVICE_PATH "/workflows"

#define CC_TYPE_DBUS_SERVICE (cc_dbus_service_get_type ())
G_DECLARE_FINAL_TYPE (CcDbusService, cc_dbus_service, CC, DBUS_SERVICE, GObject)

CcDbusService *cc_dbus_service_new              (void);

/* Exports the object manager and Manager1 on @connection. Workflow
 * objects follow once an engine is set: an application registers on the
 * bus before it creates its engine. */
gboolean       cc_dbus_service_export           (CcDbusService    *self,
                                                 GDBusConnection  *connection,
                                                 GError          **error);
void           cc_dbus_service_unexport         (CcDbusService    *self);

/* Exports one Workflow1 object per workflow of @engine and follows their
 * properties; NULL withdraws them. */
void           cc_dbus_service_set_engine       (CcDbusService    *self,
                                                 CcEngine         *engine);
CcEngine      *cc_dbus_service_get_engine       (CcDbusService    *self);

/* What Manager1.WindowCount says; the application keeps it current. */
void           cc_dbus_service_set_window_count (CcDbusService    *self,
                                                 guint             count);

/* Workflow paths are built from ids; ids are [a-z0-9_] by construction. */
char          *cc_dbus_service_workflow_path    (const char       *id);

G_END_DECLS
