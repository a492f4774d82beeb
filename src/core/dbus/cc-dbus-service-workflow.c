/* cc-dbus-service-workflow.c — one Workflow1 object per workflow.
 *
 * Turns Workflow1's calls into calls on the CcWorkflow and mirrors its
 * properties onto the skeleton, so that PropertiesChanged follows them
 * live: status and errors at once, counters coalesced. The methods of the
 * error log are in cc-dbus-service-errors.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-dbus-service-private.h"
#include "cc-error.h"

/* Backlog and counters change many times a second while a workflow runs;
 * a client watching them should not be flooded, so their changes reach
 * the bus at most this often. Status and errors go out at once. */
#define COUNTER_PUSH_INTERVAL_US (G_USEC_PER_SEC / 4)

/* --- Workflow1: properties ------------------------------------------------ */

static void
push_counters (CcDbusWorkflowExport *we)
{
  CcWorkflow *workflow = we->workflow;

  g_clear_handle_id (&we->throttle_id, g_source_remove);
  cc_workflow1_set_backlog (we->skeleton, cc_workflow_get_backlog (workflow));
  cc_workflow1_set_written (we->skeleton, cc_workflow_get_written (workflow));
  cc_workflow1_set_failed (we->skeleton, cc_workflow_get_failed (workflow));
  cc_workflow1_set_error_count (we->skeleton, cc_workflow_get_error_count (workflow));
  cc_workflow1_set_records_per_second (we->skeleton,
                                       cc_workflow_get_records_per_second (workflow));
  cc_workflow1_set_last_activity (we->skeleton, cc_workflow_get_last_activity (workflow));
  we->last_push = g_get_monotonic_time ();
}

/* Everything at once, signalled at once: a client must see every status a
 * workflow goes through (the skeleton alone would merge starting → running
 * into one change if both happen before it emits), and the counters that
 * go with it. */
static void
push_state (CcDbusWorkflowExport *we)
{
  CcWorkflow *workflow = we->workflow;

  cc_workflow1_set_title (we->skeleton, cc_workflow_get_title (workflow));
  cc_workflow1_set_subtitle (we->skeleton, cc_workflow_get_subtitle (workflow));
  cc_workflow1_set_status (we->skeleton,
                           cc_workflow_status_to_string (cc_workflow_get_status (workflow)));
  cc_workflow1_set_pending_changes (we->skeleton, cc_workflow_get_pending_changes (workflow));
  cc_workflow1_set_last_error (we->skeleton, cc_workflow_get_last_error (workflow));
  cc_workflow1_set_waiting (we->skeleton, cc_workflow_get_waiting (workflow));
  cc_workflow1_set_notice (we->skeleton, cc_workflow_get_notice (workflow));
  push_counters (we);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (we->skeleton));
}

static gboolean
on_throttle_elapsed (gpointer user_data)
{
  CcDbusWorkflowExport *we = user_data;

  we->throttle_id = 0;
  push_counters (we);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (we->skeleton));
  return G_SOURCE_REMOVE;
}

static void
counters_changed (CcDbusWorkflowExport *we)
{
  gint64 wait_us;

  if (we->throttle_id != 0)
    return;  /* the pending push will read the newest values */

  wait_us = we->last_push + COUNTER_PUSH_INTERVAL_US - g_get_monotonic_time ();
  if (wait_us <= 0)
    {
      push_counters (we);
      g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (we->skeleton));
      return;
    }
  we->throttle_id = g_timeout_add ((guint) (wait_us / 1000) + 1, on_throttle_elapsed, we);
}

static void
on_workflow_notify (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  static const char * const counters[] = {
    "backlog", "written", "failed", "error-count", "records-per-second", "last-activity", NULL
  };
  CcDbusWorkflowExport *we = user_data;

  if (g_strv_contains (counters, g_param_spec_get_name (pspec)))
    counters_changed (we);
  else
    push_state (we);
}

/* --- Workflow1: methods ------------------------------------------------ */

static gboolean
handle_start (CcWorkflow1           *skeleton,
              GDBusMethodInvocation *invocation,
              gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_debug ("D-Bus: Start %s", cc_workflow_get_id (we->workflow));
  ok = cc_workflow_start (we->workflow, &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

static gboolean
handle_stop (CcWorkflow1           *skeleton,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;

  g_debug ("D-Bus: Stop %s", cc_workflow_get_id (we->workflow));
  cc_workflow_stop (we->workflow);
  cc_workflow1_complete_stop (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_config (CcWorkflow1           *skeleton,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autofree char *json = cc_workflow_get_config (we->workflow);

  cc_workflow1_complete_get_config (skeleton, invocation, json);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_config (CcWorkflow1           *skeleton,
                   GDBusMethodInvocation *invocation,
                   const char            *json,
                   gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_debug ("D-Bus: SetConfig %s", cc_workflow_get_id (we->workflow));
  ok = cc_workflow_set_config (we->workflow, json, &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

static gboolean
handle_replay (CcWorkflow1           *skeleton,
               GDBusMethodInvocation *invocation,
               const char            *since,
               gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_debug ("D-Bus: Replay %s since %s", cc_workflow_get_id (we->workflow), since);
  ok = cc_workflow_replay (we->workflow, since, &error);
  return cc_dbus_service_complete (invocation, ok, error);
}

gboolean
cc_dbus_service_complete_with_entries (GDBusMethodInvocation *invocation,
                                       GPtrArray             *entries,
                                       const GError          *error,
                                       const char            *type,
                                       CcDbusEntryToVariant   to_variant)
{
  GVariantBuilder builder;
  GVariant *array;

  if (entries == NULL)
    {
      cc_dbus_service_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE (type));
  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add_value (&builder, to_variant (g_ptr_array_index (entries, i)));
  array = g_variant_builder_end (&builder);
  g_dbus_method_invocation_return_value (invocation, g_variant_new_tuple (&array, 1));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GVariant *
history_entry_to_variant (gconstpointer data)
{
  const CcHistoryEntry *entry = data;

  return g_variant_new ("(xxsstt)", entry->id, entry->at,
                        entry->kind ? entry->kind : "",
                        entry->message ? entry->message : "",
                        entry->written, entry->failed);
}

static gboolean
handle_get_history (CcWorkflow1           *skeleton,
                    GDBusMethodInvocation *invocation,
                    guint                  limit,
                    gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = cc_workflow_list_history (we->workflow, limit, &error);
  return cc_dbus_service_complete_with_entries (invocation, entries, error, "a(xxsstt)",
                                                history_entry_to_variant);
}

static gboolean
handle_get_activity (CcWorkflow1           *skeleton,
                     GDBusMethodInvocation *invocation,
                     const char            *word,
                     gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GArray) samples = NULL;
  GVariantBuilder builder;
  CcActivitySpan span;

  if (!cc_activity_span_from_string (word, &span))
    {
      g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                                             _("span: “%s” is neither “hour” nor “day”"), word);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  samples = cc_activity_get_samples (cc_workflow_get_activity (we->workflow), span,
                                     g_get_real_time ());
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(xtd)"));
  for (guint i = 0; i < samples->len; i++)
    {
      const CcActivitySample *sample = &g_array_index (samples, CcActivitySample, i);

      g_variant_builder_add (&builder, "(xtd)", sample->time_us, sample->backlog,
                             sample->records_per_second);
    }
  cc_workflow1_complete_get_activity (skeleton, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Workflow1: objects --------------------------------------------------- */

void
cc_dbus_workflow_export_free (CcDbusWorkflowExport *we)
{
  g_clear_signal_handler (&we->notify_id, we->workflow);
  g_clear_handle_id (&we->throttle_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (we->skeleton, we);
  g_clear_object (&we->skeleton);
  g_clear_object (&we->object);
  g_clear_object (&we->workflow);
  g_free (we);
}

CcDbusWorkflowExport *
cc_dbus_workflow_export_new (CcWorkflow *workflow)
{
  CcDbusWorkflowExport *we = g_new0 (CcDbusWorkflowExport, 1);
  g_autofree char *path = cc_dbus_service_workflow_path (cc_workflow_get_id (workflow));

  we->workflow = g_object_ref (workflow);
  we->object = cc_object_skeleton_new (path);
  we->skeleton = cc_workflow1_skeleton_new ();

  cc_workflow1_set_id (we->skeleton, cc_workflow_get_id (workflow));
  push_state (we);

  g_signal_connect (we->skeleton, "handle-start", G_CALLBACK (handle_start), we);
  g_signal_connect (we->skeleton, "handle-stop", G_CALLBACK (handle_stop), we);
  g_signal_connect (we->skeleton, "handle-get-config", G_CALLBACK (handle_get_config), we);
  g_signal_connect (we->skeleton, "handle-set-config", G_CALLBACK (handle_set_config), we);
  g_signal_connect (we->skeleton, "handle-replay", G_CALLBACK (handle_replay), we);
  g_signal_connect (we->skeleton, "handle-get-history", G_CALLBACK (handle_get_history), we);
  g_signal_connect (we->skeleton, "handle-get-activity", G_CALLBACK (handle_get_activity), we);
  cc_dbus_workflow_export_handle_errors (we);
  we->notify_id = g_signal_connect (workflow, "notify", G_CALLBACK (on_workflow_notify), we);

  cc_object_skeleton_set_workflow1 (we->object, we->skeleton);
  return we;
}
