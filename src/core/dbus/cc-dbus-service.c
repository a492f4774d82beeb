/* cc-dbus-service.c — the object tree on the bus, and Manager1.
 *
 * The skeletons come from gdbus-codegen (data/dbus). This file exports
 * them and turns Manager1's calls into engine calls; the Workflow1 objects
 * are in cc-dbus-service-workflow.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-dbus-service-private.h"
#include "cc-error.h"

struct _CcDbusService
{
  GObject                   parent_instance;

  GDBusConnection          *connection;
  GDBusObjectManagerServer *manager;
  CcManager1               *manager_skeleton;
  guint                     subtree_id;

  CcEngine                 *engine;
  GPtrArray                *exports;   /* CcDbusWorkflowExport* */
  guint                     quit_id;
  CcApiAllowance           *allowance; /* the engine's, followed */
  gulong                    allowance_id;
};

enum {
  QUIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CcDbusService, cc_dbus_service, G_TYPE_OBJECT)

/* --- errors ------------------------------------------------------------ */

/* Engine errors carry their CC_ERROR code across the bus (the domain is
 * registered with GDBus); anything else becomes Error.Failed rather than
 * GDBus's generic "unmapped GError" name, which no client could act on. */
void
cc_dbus_service_return_error (GDBusMethodInvocation *invocation,
                              const GError          *error)
{
  if (error->domain == CC_ERROR)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_dbus_error (invocation,
                                                cc_error_dbus_name (CC_ERROR_FAILED),
                                                error->message);
}

/* The empty tuple is what the generated cc_*_complete_*() of a method
 * without out-arguments sends, so one function serves them all. */
gboolean
cc_dbus_service_complete (GDBusMethodInvocation *invocation,
                          gboolean               ok,
                          const GError          *error)
{
  if (ok)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("()"));
  else
    cc_dbus_service_return_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
cc_dbus_service_check_engine (CcDbusService         *self,
                              GDBusMethodInvocation *invocation)
{
  if (self->engine != NULL)
    return TRUE;
  g_dbus_method_invocation_return_dbus_error (invocation,
                                              cc_error_dbus_name (CC_ERROR_FAILED),
                                              _("The engine is not running"));
  return FALSE;
}

char *
cc_dbus_service_workflow_path (const char *id)
{
  g_autofree char *element = g_strdup (id);

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  g_strcanon (element, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_", '_');
  return g_strconcat (CC_DBUS_SERVICE_WORKFLOWS "/", element, NULL);
}

/* Leaves the bus, then goes. */
static void
withdraw_export (gpointer data)
{
  CcDbusWorkflowExport *we = data;
  CcDbusService *self = we->service;

  if (self->manager != NULL)
    g_dbus_object_manager_server_unexport (self->manager,
                                           g_dbus_object_get_object_path (G_DBUS_OBJECT (we->object)));
  cc_dbus_workflow_export_free (we);
}

/* --- paths no object claims ------------------------------------------------ */

/* GDBus hands calls to .../workflows/<anything> here when no exported
 * object takes them, in two cases:
 * - the workflow exists but was not exported yet when the call arrived
 *   (the bus name is taken before the engine is made): it is served now,
 *   as the skeleton would have;
 * - the workflow does not exist: Error.NotFound, like every other unknown
 *   name, rather than a bare UnknownObject. */

static CcDbusWorkflowExport *
find_export (CcDbusService *self,
             const char    *object_path)
{
  for (guint i = 0; i < self->exports->len; i++)
    {
      CcDbusWorkflowExport *we = g_ptr_array_index (self->exports, i);

      if (g_strcmp0 (g_dbus_object_get_object_path (G_DBUS_OBJECT (we->object)), object_path) == 0)
        return we;
    }
  return NULL;
}

static void
subtree_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  CcDbusWorkflowExport *we = find_export (user_data, object_path);
  g_autofree char *id = NULL;

  if (we != NULL)
    {
      GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (we->skeleton);

      g_dbus_interface_skeleton_get_vtable (skeleton)->method_call (connection, sender,
                                                                    object_path,
                                                                    interface_name,
                                                                    method_name, parameters,
                                                                    invocation, skeleton);
      return;
    }

  id = g_path_get_basename (object_path);
  g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_NOT_FOUND,
                                         _("Workflow “%s” not found"), id);
}

static GVariant *
subtree_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  CcDbusWorkflowExport *we = find_export (user_data, object_path);
  g_autofree char *id = NULL;

  if (we != NULL)
    {
      GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (we->skeleton);

      return g_dbus_interface_skeleton_get_vtable (skeleton)->get_property (connection, sender,
                                                                            object_path,
                                                                            interface_name,
                                                                            property_name,
                                                                            error, skeleton);
    }

  id = g_path_get_basename (object_path);
  g_set_error (error, CC_ERROR, CC_ERROR_NOT_FOUND, _("Workflow “%s” not found"), id);
  return NULL;
}

static const GDBusInterfaceVTable subtree_interface_vtable = {
  subtree_method_call,
  subtree_get_property,
  NULL,
  { 0 }
};

static char **
subtree_enumerate (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   gpointer         user_data)
{
  CcDbusService *self = user_data;
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < self->exports->len; i++)
    {
      CcDbusWorkflowExport *we = g_ptr_array_index (self->exports, i);
      g_ptr_array_add (names, g_path_get_basename (
        g_dbus_object_get_object_path (G_DBUS_OBJECT (we->object))));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

static GDBusInterfaceInfo **
subtree_introspect (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *node,
                    gpointer         user_data)
{
  GPtrArray *infos = g_ptr_array_new ();

  if (node != NULL)
    g_ptr_array_add (infos, g_dbus_interface_info_ref (cc_workflow1_interface_info ()));
  g_ptr_array_add (infos, NULL);
  return (GDBusInterfaceInfo **) g_ptr_array_free (infos, FALSE);
}

static const GDBusInterfaceVTable *
subtree_dispatch (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  *out_user_data = user_data;
  return &subtree_interface_vtable;
}

static const GDBusSubtreeVTable subtree_vtable = {
  subtree_enumerate,
  subtree_introspect,
  subtree_dispatch,
  { 0 }
};

/* --- Manager1 ------------------------------------------------------------ */

static gboolean
handle_list_workflows (CcManager1            *skeleton,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  CcDbusService *self = user_data;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  if (!cc_dbus_service_check_engine (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  for (guint i = 0; i < self->exports->len; i++)
    {
      CcDbusWorkflowExport *we = g_ptr_array_index (self->exports, i);
      g_ptr_array_add (paths, (gpointer) g_dbus_object_get_object_path (G_DBUS_OBJECT (we->object)));
    }
  g_ptr_array_add (paths, NULL);
  cc_manager1_complete_list_workflows (skeleton, invocation, (const char * const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_workflow (CcManager1            *skeleton,
                     GDBusMethodInvocation *invocation,
                     const char            *id,
                     gpointer               user_data)
{
  CcDbusService *self = user_data;
  g_autofree char *path = NULL;

  if (!cc_dbus_service_check_engine (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (cc_engine_find_workflow (self->engine, id) == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_NOT_FOUND,
                                             _("Workflow “%s” not found"), id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = cc_dbus_service_workflow_path (id);
  cc_manager1_complete_get_workflow (skeleton, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_connection (CcManager1            *skeleton,
                       GDBusMethodInvocation *invocation,
                       const char            *system,
                       GVariant              *settings,
                       gpointer               user_data)
{
  CcDbusService *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!cc_dbus_service_check_engine (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  /* Only the name: the settings may hold a secret. */
  g_debug ("D-Bus: SetConnection %s", system);
  ok = cc_engine_set_connection (self->engine, system, settings, &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

static gboolean
handle_get_connection (CcManager1            *skeleton,
                       GDBusMethodInvocation *invocation,
                       const char            *system,
                       gpointer               user_data)
{
  CcDbusService *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;

  if (!cc_dbus_service_check_engine (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  settings = cc_engine_get_connection (self->engine, system, &error);
  if (settings == NULL)
    cc_dbus_service_return_error (invocation, error);
  else
    cc_manager1_complete_get_connection (skeleton, invocation, settings);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_connection_tested (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  CcManager1 *skeleton;

  skeleton = CC_MANAGER1 (g_object_get_data (G_OBJECT (invocation), "cc-skeleton"));
  /* A refusal is the server's answer, not a failure of the call. */
  if (cc_engine_test_connection_finish (CC_ENGINE (object), result, &message, &error))
    cc_manager1_complete_test_connection (skeleton, g_steal_pointer (&invocation), TRUE, message);
  else
    cc_manager1_complete_test_connection (skeleton, g_steal_pointer (&invocation), FALSE,
                                          error->message);
}

static gboolean
handle_test_connection (CcManager1            *skeleton,
                        GDBusMethodInvocation *invocation,
                        const char            *system,
                        gpointer               user_data)
{
  CcDbusService *self = user_data;

  if (!cc_dbus_service_check_engine (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (cc_config_connection_keys (system) == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_NOT_FOUND,
                                             _("Unknown connection “%s”: use “dynamics” or "
                                               "“campaign”"), system);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  g_debug ("D-Bus: TestConnection %s", system);
  g_object_set_data_full (G_OBJECT (invocation), "cc-skeleton", g_object_ref (skeleton),
                          g_object_unref);
  /* The invocation is ours until it is completed, in the callback. */
  cc_engine_test_connection_async (self->engine, system, NULL, on_connection_tested, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
emit_quit (gpointer user_data)
{
  CcDbusService *self = user_data;

  self->quit_id = 0;
  g_signal_emit (self, signals[QUIT_REQUESTED], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
handle_quit (CcManager1            *skeleton,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  CcDbusService *self = user_data;

  g_debug ("D-Bus: Quit");
  cc_manager1_complete_quit (skeleton, invocation);
  /* After the reply is on its way: quitting blocks until every workflow
   * has stopped. */
  if (self->quit_id == 0)
    self->quit_id = g_idle_add (emit_quit, self);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Manager1: Campaign's API allowance ------------------------------------ */

static void
push_allowance (CcDbusService *self)
{
  CcApiAllowance *allowance = self->allowance;
  CcManager1 *skeleton = self->manager_skeleton;
  guint per_second = 0;
  guint64 budget = 0, today = 0;
  gint64 waiting_until = 0;

  if (allowance != NULL)
    {
      per_second = cc_api_allowance_get_max_calls_per_second (allowance);
      budget = cc_api_allowance_get_daily_budget (allowance);
      today = cc_api_allowance_get_calls_today (allowance);
      waiting_until = cc_api_allowance_get_waiting_until (allowance);
    }
  cc_manager1_set_campaign_max_calls_per_second (skeleton, per_second);
  cc_manager1_set_campaign_daily_budget (skeleton, budget);
  cc_manager1_set_campaign_calls_today (skeleton, today);
  cc_manager1_set_campaign_waiting_until (skeleton, waiting_until);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (skeleton));
}

/* Follows @allowance (NULL: none) onto Manager1's properties. */
static void
follow_allowance (CcDbusService  *self,
                  CcApiAllowance *allowance)
{
  if (self->allowance != NULL)
    g_clear_signal_handler (&self->allowance_id, self->allowance);
  g_set_object (&self->allowance, allowance);
  if (allowance != NULL)
    self->allowance_id = g_signal_connect_swapped (allowance, "notify",
                                                   G_CALLBACK (push_allowance), self);
  push_allowance (self);
}

/* --- public --------------------------------------------------------------- */

CcDbusService *
cc_dbus_service_new (void)
{
  return g_object_new (CC_TYPE_DBUS_SERVICE, NULL);
}

gboolean
cc_dbus_service_export (CcDbusService    *self,
                        GDBusConnection  *connection,
                        GError          **error)
{
  g_return_val_if_fail (CC_IS_DBUS_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->manager_skeleton),
                                         connection, CC_DBUS_SERVICE_PATH, error))
    return FALSE;

  self->subtree_id = g_dbus_connection_register_subtree (connection, CC_DBUS_SERVICE_WORKFLOWS,
                                                         &subtree_vtable,
                                                         G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES,
                                                         self, NULL, error);
  if (self->subtree_id == 0)
    {
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->manager_skeleton));
      return FALSE;
    }

  self->connection = g_object_ref (connection);
  g_dbus_object_manager_server_set_connection (self->manager, connection);
  return TRUE;
}

void
cc_dbus_service_unexport (CcDbusService *self)
{
  g_return_if_fail (CC_IS_DBUS_SERVICE (self));

  if (self->connection == NULL)
    return;

  g_dbus_object_manager_server_set_connection (self->manager, NULL);
  if (self->subtree_id != 0)
    g_dbus_connection_unregister_subtree (self->connection, self->subtree_id);
  self->subtree_id = 0;
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->manager_skeleton));
  g_clear_object (&self->connection);
}

void
cc_dbus_service_set_engine (CcDbusService *self,
                            CcEngine      *engine)
{
  GListModel *workflows;

  g_return_if_fail (CC_IS_DBUS_SERVICE (self));
  g_return_if_fail (engine == NULL || CC_IS_ENGINE (engine));

  if (self->engine == engine)
    return;

  g_ptr_array_set_size (self->exports, 0);
  g_clear_object (&self->engine);
  cc_manager1_set_sandbox (self->manager_skeleton, FALSE);
  follow_allowance (self, engine != NULL ? cc_engine_get_campaign_allowance (engine) : NULL);
  if (engine == NULL)
    return;

  self->engine = g_object_ref (engine);
  cc_manager1_set_sandbox (self->manager_skeleton, cc_engine_get_uses_sandbox (engine));

  workflows = cc_engine_get_workflows (engine);
  for (guint i = 0; i < g_list_model_get_n_items (workflows); i++)
    {
      g_autoptr(CcWorkflow) workflow = g_list_model_get_item (workflows, i);
      CcDbusWorkflowExport *we = cc_dbus_workflow_export_new (workflow);

      we->service = self;
      g_ptr_array_add (self->exports, we);
      g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (we->object));
    }
}

CcEngine *
cc_dbus_service_get_engine (CcDbusService *self)
{
  g_return_val_if_fail (CC_IS_DBUS_SERVICE (self), NULL);
  return self->engine;
}

void
cc_dbus_service_set_window_count (CcDbusService *self,
                                  guint          count)
{
  g_return_if_fail (CC_IS_DBUS_SERVICE (self));

  cc_manager1_set_window_count (self->manager_skeleton, count);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (self->manager_skeleton));
}

/* --- GObject -------------------------------------------------------------- */

static void
cc_dbus_service_dispose (GObject *object)
{
  CcDbusService *self = CC_DBUS_SERVICE (object);

  g_clear_handle_id (&self->quit_id, g_source_remove);
  if (self->exports != NULL)
    g_ptr_array_set_size (self->exports, 0);
  cc_dbus_service_unexport (self);
  g_clear_object (&self->engine);
  if (self->allowance != NULL)
    g_clear_signal_handler (&self->allowance_id, self->allowance);
  g_clear_object (&self->allowance);

  G_OBJECT_CLASS (cc_dbus_service_parent_class)->dispose (object);
}

static void
cc_dbus_service_finalize (GObject *object)
{
  CcDbusService *self = CC_DBUS_SERVICE (object);

  g_clear_pointer (&self->exports, g_ptr_array_unref);
  g_clear_object (&self->manager_skeleton);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (cc_dbus_service_parent_class)->finalize (object);
}

static void
cc_dbus_service_class_init (CcDbusServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_dbus_service_dispose;
  object_class->finalize = cc_dbus_service_finalize;

  /**
   * CcDbusService::quit-requested:
   * A client called Manager1.Quit (the reply has been sent).
   */
  signals[QUIT_REQUESTED] = g_signal_new ("quit-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  /* Registers the error domain with GDBus before the first reply. */
  (void) cc_error_quark ();
}

static void
cc_dbus_service_init (CcDbusService *self)
{
  self->exports = g_ptr_array_new_with_free_func ((GDestroyNotify) withdraw_export);
  self->manager = g_dbus_object_manager_server_new (CC_DBUS_SERVICE_PATH);
  self->manager_skeleton = cc_manager1_skeleton_new ();

  cc_manager1_set_version (self->manager_skeleton, PACKAGE_VERSION);
  cc_manager1_set_window_count (self->manager_skeleton, 0);

  g_signal_connect (self->manager_skeleton, "handle-list-workflows",
                    G_CALLBACK (handle_list_workflows), self);
  g_signal_connect (self->manager_skeleton, "handle-get-workflow",
                    G_CALLBACK (handle_get_workflow), self);
  g_signal_connect (self->manager_skeleton, "handle-set-connection",
                    G_CALLBACK (handle_set_connection), self);
  g_signal_connect (self->manager_skeleton, "handle-get-connection",
                    G_CALLBACK (handle_get_connection), self);
  g_signal_connect (self->manager_skeleton, "handle-test-connection",
                    G_CALLBACK (handle_test_connection), self);
  g_signal_connect (self->manager_skeleton, "handle-quit",
                    G_CALLBACK (handle_quit), self);
  cc_dbus_service_connect_setup (self, self->manager_skeleton);
  cc_dbus_service_connect_users (self, self->manager_skeleton);
}
