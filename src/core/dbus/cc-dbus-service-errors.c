/* cc-dbus-service-errors.c — Workflow1's error log: read whole or as far
 * as a filter matches (one reason, one record, what a search finds),
 * grouped by reason, retried, and exported as CSV into a file descriptor
 * the client passes. The same calls on the CcWorkflow as the window's. */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>

#include "cc-dbus-service-private.h"
#include "cc-error.h"

/* The CcErrorFilter a client gives as a{sv} of strings — "reason",
 * "record", "search" — into @filter, its strings its own. Anything else
 * is refused, naming it. */
static gboolean
read_filter (GVariant       *dict,
             CcErrorFilter  *filter,
             GError        **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  *filter = (CcErrorFilter) { 0 };
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s@v}", &key, &value))
    {
      g_autoptr(GVariant) boxed = value;
      g_autoptr(GVariant) inner = g_variant_get_variant (boxed);
      const char **field;

      if (g_str_equal (key, "reason"))
        field = &filter->reason;
      else if (g_str_equal (key, "record"))
        field = &filter->key;
      else if (g_str_equal (key, "search"))
        field = &filter->search;
      else
        {
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("filter: “%s” is none of “reason”, “record” and “search”"), key);
          return FALSE;
        }
      if (!g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
        {
          g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                       _("filter.%s: a string, please"), key);
          return FALSE;
        }
      g_free ((char *) *field);
      *field = g_variant_dup_string (inner, NULL);
    }
  return TRUE;
}

/* Reads @dict into @filter, or replies with the refusal (FALSE). */
static gboolean
get_filter (GDBusMethodInvocation *invocation,
            GVariant              *dict,
            CcErrorFilter         *filter)
{
  g_autoptr(GError) error = NULL;

  if (read_filter (dict, filter, &error))
    return TRUE;
  cc_dbus_service_return_error (invocation, error);
  return FALSE;
}

static gboolean
handle_retry_errors (CcWorkflow1           *skeleton,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_debug ("D-Bus: RetryErrors %s", cc_workflow_get_id (we->workflow));
  ok = cc_workflow_retry_errors (we->workflow, 0, &error) >= 0;
  return cc_dbus_service_complete (invocation, ok, error);
}

static gboolean
handle_retry_error (CcWorkflow1           *skeleton,
                    GDBusMethodInvocation *invocation,
                    gint64                 id,
                    gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  /* Formatted apart: xgettext cuts a msgid at G_GINT64_FORMAT. */
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  gint64 n;

  g_debug ("D-Bus: RetryError %s %s", cc_workflow_get_id (we->workflow), number);
  /* 0 means "all" to the engine; here it would be a typo, not a wish. */
  if (id <= 0)
    {
      g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                                             _("id: %s is not the number of an error-log entry"),
                                             number);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  n = cc_workflow_retry_errors (we->workflow, id, &error);
  if (n < 0)
    cc_dbus_service_return_error (invocation, error);
  else if (n == 0)
    g_dbus_method_invocation_return_error (invocation, CC_ERROR, CC_ERROR_NOT_FOUND,
                                           _("The error log of “%s” has no entry %s"),
                                           cc_workflow_get_id (we->workflow), number);
  else
    cc_workflow1_complete_retry_error (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_retry_errors_matching (CcWorkflow1           *skeleton,
                              GDBusMethodInvocation *invocation,
                              GVariant              *dict,
                              gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_auto(CcErrorFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 n;

  if (!get_filter (invocation, dict, &filter))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  g_debug ("D-Bus: RetryErrorsMatching %s", cc_workflow_get_id (we->workflow));
  n = cc_workflow_retry_errors_matching (we->workflow, &filter, &error);
  if (n < 0)
    cc_dbus_service_return_error (invocation, error);
  else
    cc_workflow1_complete_retry_errors_matching (skeleton, invocation, (guint64) n);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_count_errors (CcWorkflow1           *skeleton,
                     GDBusMethodInvocation *invocation,
                     GVariant              *dict,
                     gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_auto(CcErrorFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  guint64 n;

  if (!get_filter (invocation, dict, &filter))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  n = cc_workflow_count_errors (we->workflow, &filter, &error);
  if (error != NULL)
    cc_dbus_service_return_error (invocation, error);
  else
    cc_workflow1_complete_count_errors (skeleton, invocation, n);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GVariant *
error_entry_to_variant (gconstpointer data)
{
  const CcErrorEntry *entry = data;

  return g_variant_new ("(xxsssuss)", entry->id, entry->failed_at,
                        entry->mapping ? entry->mapping : "",
                        entry->key ? entry->key : "",
                        cc_queue_op_to_string (entry->op),
                        entry->http_status,
                        entry->reason ? entry->reason : "",
                        entry->payload ? entry->payload : "");
}

static gboolean
handle_get_errors (CcWorkflow1           *skeleton,
                   GDBusMethodInvocation *invocation,
                   guint                  offset,
                   guint                  limit,
                   gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = cc_workflow_list_errors (we->workflow, offset, limit, &error);
  return cc_dbus_service_complete_with_entries (invocation, entries, error, "a(xxsssuss)",
                                                error_entry_to_variant);
}

static gboolean
handle_find_errors (CcWorkflow1           *skeleton,
                    GDBusMethodInvocation *invocation,
                    GVariant              *dict,
                    guint                  offset,
                    guint                  limit,
                    gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_auto(CcErrorFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  if (!get_filter (invocation, dict, &filter))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  entries = cc_workflow_list_errors_matching (we->workflow, &filter, offset, limit, &error);
  return cc_dbus_service_complete_with_entries (invocation, entries, error, "a(xxsssuss)",
                                                error_entry_to_variant);
}

static GVariant *
error_group_to_variant (gconstpointer data)
{
  const CcErrorGroup *group = data;

  return g_variant_new ("(stx)", group->reason ? group->reason : "", group->count,
                        group->last_failed_at);
}

static gboolean
handle_get_error_groups (CcWorkflow1           *skeleton,
                         GDBusMethodInvocation *invocation,
                         GVariant              *dict,
                         guint                  limit,
                         gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_auto(CcErrorFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;

  if (!get_filter (invocation, dict, &filter))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  groups = cc_workflow_list_error_groups (we->workflow, &filter, limit, &error);
  return cc_dbus_service_complete_with_entries (invocation, groups, error, "a(stx)",
                                                error_group_to_variant);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  gint64 n;

  n = cc_workflow_export_errors_finish (CC_WORKFLOW (source), result, &error);
  if (n < 0)
    cc_dbus_service_return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(t)", (guint64) n));
}

/* Replies once everything is written, from a thread that reads the log
 * with a connection of its own: the engine goes on meanwhile. */
static gboolean
handle_export_errors (CcWorkflow1           *skeleton,
                      GDBusMethodInvocation *invocation,
                      GUnixFDList           *fd_list,
                      GVariant              *dict,
                      GVariant              *handle,
                      gpointer               user_data)
{
  CcDbusWorkflowExport *we = user_data;
  g_auto(CcErrorFilter) filter = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  int fd = -1;

  if (!get_filter (invocation, dict, &filter))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (fd_list != NULL)
    fd = g_unix_fd_list_get (fd_list, g_variant_get_handle (handle), &error);
  else
    g_set_error (&error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                 _("fd: no file descriptor came with the call"));
  if (fd < 0)
    {
      cc_dbus_service_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  g_debug ("D-Bus: ExportErrors %s", cc_workflow_get_id (we->workflow));
  stream = g_unix_output_stream_new (fd, TRUE);
  cc_workflow_export_errors_async (we->workflow, &filter, stream, NULL, on_exported,
                                   g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
cc_dbus_workflow_export_handle_errors (CcDbusWorkflowExport *we)
{
  g_signal_connect (we->skeleton, "handle-retry-errors", G_CALLBACK (handle_retry_errors), we);
  g_signal_connect (we->skeleton, "handle-retry-error", G_CALLBACK (handle_retry_error), we);
  g_signal_connect (we->skeleton, "handle-retry-errors-matching",
                    G_CALLBACK (handle_retry_errors_matching), we);
  g_signal_connect (we->skeleton, "handle-count-errors", G_CALLBACK (handle_count_errors), we);
  g_signal_connect (we->skeleton, "handle-get-errors", G_CALLBACK (handle_get_errors), we);
  g_signal_connect (we->skeleton, "handle-find-errors", G_CALLBACK (handle_find_errors), we);
  g_signal_connect (we->skeleton, "handle-get-error-groups",
                    G_CALLBACK (handle_get_error_groups), we);
  g_signal_connect (we->skeleton, "handle-export-errors", G_CALLBACK (handle_export_errors), we);
}
