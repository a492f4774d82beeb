/* cc-dbus-service-private.h — what the parts of CcDbusService share. */
#pragma once

#include "cc-dbus-generated.h"
#include "cc-dbus-service.h"

G_BEGIN_DECLS

/* One workflow on the bus (cc-dbus-service-workflow.c). */
typedef struct
{
  CcDbusService    *service;   /* unowned: it owns us; set by the service */
  CcWorkflow       *workflow;
  CcObjectSkeleton *object;
  CcWorkflow1      *skeleton;
  gulong            notify_id;
  guint             throttle_id;
  gint64            last_push;  /* monotonic µs of the last counter push */
} CcDbusWorkflowExport;

/* The object for @workflow, its properties filled in and followed; the
 * service exports it. */
CcDbusWorkflowExport *cc_dbus_workflow_export_new  (CcWorkflow           *workflow);
/* Stops following the workflow; the service unexports the object first. */
void                  cc_dbus_workflow_export_free (CcDbusWorkflowExport *we);

/* FALSE (and the invocation answered) when no engine is exported. */
gboolean              cc_dbus_service_check_engine (CcDbusService         *self,
                                                    GDBusMethodInvocation *invocation);
/* Manager1.CheckSetup and .PrepareDynamics (cc-dbus-service-setup.c). */
void                  cc_dbus_service_connect_setup (CcDbusService        *self,
                                                     CcManager1           *skeleton);

/* Manager1.AddDynamicsUser, .ListDynamicsUsers and .RemoveDynamicsUser
 * (cc-dbus-service-users.c). */
void                  cc_dbus_service_connect_users (CcDbusService        *self,
                                                     CcManager1           *skeleton);

/* Replies with @error: engine errors under their own D-Bus names, any
 * other as io.github.campaignconnector.Error.Failed. */
void                  cc_dbus_service_return_error (GDBusMethodInvocation *invocation,
                                                    const GError          *error);
/* Completes a method that returns nothing: with () when @ok, else with
 * @error as above. Returns G_DBUS_METHOD_INVOCATION_HANDLED, for the
 * handler to return. */
gboolean              cc_dbus_service_complete     (GDBusMethodInvocation *invocation,
                                                    gboolean               ok,
                                                    const GError          *error);

/* Connects the methods of Workflow1's error log to @we's workflow
 * (cc-dbus-service-errors.c). */
void                  cc_dbus_workflow_export_handle_errors (CcDbusWorkflowExport *we);

typedef GVariant *(*CcDbusEntryToVariant) (gconstpointer entry);

/* Completes a method that returns a list (GetErrors, GetHistory…): with
 * @entries as the one array of @type (as the generated
 * cc_workflow1_complete_*() would), or with @error when the list could
 * not be read (@entries is NULL). */
gboolean              cc_dbus_service_complete_with_entries (GDBusMethodInvocation *invocation,
                                                             GPtrArray             *entries,
                                                             const GError          *error,
                                                             const char            *type,
                                                             CcDbusEntryToVariant   to_variant);

G_END_DECLS
