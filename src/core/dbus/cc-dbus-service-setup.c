/* cc-dbus-service-setup.c — Manager1.CheckSetup and
 * Manager1.PrepareDynamics: the engine's setup check and "Prepare
 * Dynamics 365" on the bus (the shapes are in the interface XML).
 */
#include "config.h"

#include "cc-dbus-service-private.h"

static const char * const action_words[] = {
  [CC_PREPARE_CREATE_PUBLISHER] = "create-publisher",
  [CC_PREPARE_CREATE_SOLUTION] = "create-solution",
  [CC_PREPARE_CREATE_TABLE] = "create-table",
  [CC_PREPARE_CREATE_COLUMN] = "create-column",
  [CC_PREPARE_CREATE_KEY] = "create-key",
  [CC_PREPARE_TRACK_CHANGES] = "track-changes",
  [CC_PREPARE_RENAME] = "rename",
};

static const char * const state_words[] = {
  [CC_PREPARE_PLANNED] = "planned",
  [CC_PREPARE_DONE] = "done",
  [CC_PREPARE_FAILED] = "failed",
};

static void
add_string (GVariantBuilder *builder,
            const char      *name,
            const char      *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", name, g_variant_new_string (value));
}

static GVariant *
check_items (CcCheckReport *report)
{
  GPtrArray *items = cc_check_report_get_items (report);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < items->len; i++)
    {
      const CcCheckItem *item = g_ptr_array_index (items, i);

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{sv}"));
      add_string (&builder, "id", item->id);
      add_string (&builder, "label", item->label);
      add_string (&builder, "state", cc_check_state_to_string (item->state));
      add_string (&builder, "what-to-do", item->what_to_do);
      add_string (&builder, "why", item->why);
      g_variant_builder_add (&builder, "{sv}", "workflows",
                             g_variant_new_strv ((const char * const *) item->workflows, -1));
      g_variant_builder_add (&builder, "{sv}", "blocks-start",
                             g_variant_new_boolean (item->state == CC_CHECK_MISSING && item->blocks_start));
      g_variant_builder_close (&builder);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
plan_steps (CcPreparePlan *plan)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < plan->steps->len; i++)
    {
      CcPrepareStep *step = g_ptr_array_index (plan->steps, i);

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{sv}"));
      add_string (&builder, "action", action_words[cc_prepare_step_get_action (step)]);
      add_string (&builder, "description", cc_prepare_step_get_description (step));
      add_string (&builder, "state", state_words[cc_prepare_step_get_state (step)]);
      add_string (&builder, "error", cc_prepare_step_get_error (step));
      g_variant_builder_close (&builder);
    }
  return g_variant_builder_end (&builder);
}

/* The invocation rides along as the user data; the skeleton on it. */
static CcManager1 *
skeleton_of (GDBusMethodInvocation *invocation)
{
  return CC_MANAGER1 (g_object_get_data (G_OBJECT (invocation), "cc-skeleton"));
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  CcManager1 *skeleton = skeleton_of (invocation);
  g_autoptr(CcCheckReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* Completing the invocation gives it up. */
  report = cc_engine_check_setup_finish (CC_ENGINE (object), result, &error);
  if (report == NULL)
    cc_dbus_service_return_error (invocation, error);
  else
    cc_manager1_complete_check_setup (skeleton, invocation, check_items (report));
}

static gboolean
handle_check_setup (CcManager1            *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char            *workflow,
                    gpointer               user_data)
{
  CcEngine *engine = cc_dbus_service_get_engine (user_data);

  if (!cc_dbus_service_check_engine (user_data, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  g_debug ("D-Bus: CheckSetup %s", workflow);
  g_object_set_data_full (G_OBJECT (invocation), "cc-skeleton", g_object_ref (skeleton), g_object_unref);
  /* The invocation is ours until it is completed, in the callback. */
  cc_engine_check_setup_async (engine, *workflow ? workflow : NULL, NULL, on_checked, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_prepared (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  CcManager1 *skeleton = skeleton_of (invocation);
  g_autoptr(CcPreparePlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = cc_engine_prepare_dynamics_finish (CC_ENGINE (object), result, &error);
  if (plan == NULL)
    cc_dbus_service_return_error (invocation, error);
  else
    cc_manager1_complete_prepare_dynamics (skeleton, invocation, plan_steps (plan));
}

static gboolean
handle_prepare_dynamics (CcManager1            *skeleton,
                         GDBusMethodInvocation *invocation,
                         const char            *prefix,
                         gboolean               apply,
                         gpointer               user_data)
{
  CcEngine *engine = cc_dbus_service_get_engine (user_data);

  if (!cc_dbus_service_check_engine (user_data, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  g_debug ("D-Bus: PrepareDynamics %s%s", prefix, apply ? " (apply)" : "");
  g_object_set_data_full (G_OBJECT (invocation), "cc-skeleton", g_object_ref (skeleton), g_object_unref);
  cc_engine_prepare_dynamics_async (engine, prefix, apply, NULL, on_prepared, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
cc_dbus_service_connect_setup (CcDbusService *self,
                               CcManager1    *skeleton)
{
  g_signal_connect (skeleton, "handle-check-setup", G_CALLBACK (handle_check_setup), self);
  g_signal_connect (skeleton, "handle-prepare-dynamics", G_CALLBACK (handle_prepare_dynamics), self);
}
