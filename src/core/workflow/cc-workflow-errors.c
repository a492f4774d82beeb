/* cc-workflow-errors.c — a workflow's error log: the records it could not
 * write, counted, listed, grouped by reason, retried and exported as CSV,
 * whole or as far as a CcErrorFilter matches (one reason, one record, or
 * what a search finds).
 *
 * The main thread's database connection answers what the window and the
 * bus ask for; an export, which may read a million entries, runs in a
 * thread with a connection of its own.
 */
#include "config.h"

#include "cc-error-csv.h"
#include "cc-workflow-private.h"

/* An export writes its lines to the stream in chunks of about this size. */
#define EXPORT_CHUNK (64 * 1024)

guint64
cc_workflow_count_errors (CcWorkflow          *self,
                          const CcErrorFilter *filter,
                          GError             **error)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), 0);

  return cc_store_count_errors_matching (self->host.store, cc_workflow_get_id (self), filter,
                                         error);
}

GPtrArray *
cc_workflow_list_errors (CcWorkflow  *self,
                         guint        offset,
                         guint        limit,
                         GError     **error)
{
  return cc_workflow_list_errors_matching (self, NULL, offset, limit, error);
}

GPtrArray *
cc_workflow_list_errors_matching (CcWorkflow          *self,
                                  const CcErrorFilter *filter,
                                  guint                offset,
                                  guint                limit,
                                  GError             **error)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);

  return cc_store_list_errors_matching (self->host.store, cc_workflow_get_id (self), filter,
                                        offset, limit, error);
}

GPtrArray *
cc_workflow_list_error_groups (CcWorkflow          *self,
                               const CcErrorFilter *filter,
                               guint                limit,
                               GError             **error)
{
  g_return_val_if_fail (CC_IS_WORKFLOW (self), NULL);

  return cc_store_list_error_groups (self->host.store, cc_workflow_get_id (self), filter,
                                     limit, error);
}

gint64
cc_workflow_retry_errors (CcWorkflow  *self,
                          gint64       id,
                          GError     **error)
{
  const CcErrorFilter filter = { id, NULL, NULL, NULL };

  return cc_workflow_retry_errors_matching (self, &filter, error);
}

gint64
cc_workflow_retry_errors_matching (CcWorkflow          *self,
                                   const CcErrorFilter *filter,
                                   GError             **error)
{
  gint64 n;

  g_return_val_if_fail (CC_IS_WORKFLOW (self), -1);

  n = cc_store_retry_errors_matching (self->host.store, cc_workflow_get_id (self), filter,
                                      error);
  if (n >= 0)
    {
      /* The backlog grew and the log shrank: say both at once. */
      cc_workflow_count_error_log (self);
      cc_workflow_sample (self);
    }
  return n;
}

/* ---- export -------------------------------------------------------- */

typedef struct
{
  char          *state_path;
  char          *workflow_id;
  CcErrorFilter  filter;      /* its strings owned */
  GOutputStream *stream;
  GString       *chunk;
  gint64         n;
} Export;

static void
export_free (Export *export)
{
  g_free (export->state_path);
  g_free (export->workflow_id);
  cc_error_filter_clear (&export->filter);
  g_clear_object (&export->stream);
  g_string_free (export->chunk, TRUE);
  g_free (export);
}

static gboolean
flush_chunk (Export        *export,
             GCancellable  *cancellable,
             GError       **error)
{
  gboolean ok = g_output_stream_write_all (export->stream, export->chunk->str,
                                           export->chunk->len, NULL, cancellable, error);

  g_string_truncate (export->chunk, 0);
  return ok;
}

typedef struct
{
  Export       *export;
  GCancellable *cancellable;
} ExportStep;

static gboolean
export_entry (const CcErrorEntry  *entry,
              gpointer             user_data,
              GError             **error)
{
  ExportStep *step = user_data;

  cc_error_csv_append_entry (step->export->chunk, entry);
  step->export->n++;
  if (step->export->chunk->len < EXPORT_CHUNK)
    return TRUE;
  return flush_chunk (step->export, step->cancellable, error);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *export = task_data;
  ExportStep step = { export, cancellable };
  g_autoptr(CcStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  store = cc_store_open (export->state_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cc_error_csv_append_header (export->chunk);
  ok = cc_store_foreach_error (store, export->workflow_id, &export->filter, export_entry, &step,
                               &error)
       && flush_chunk (export, cancellable, &error);
  /* Closed either way: a reader of a pipe learns that nothing follows. */
  if (!g_output_stream_close (export->stream, cancellable, ok ? &error : NULL))
    ok = FALSE;
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, export->n);
}

void
cc_workflow_export_errors_async (CcWorkflow          *self,
                                 const CcErrorFilter *filter,
                                 GOutputStream       *stream,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (CC_IS_WORKFLOW (self));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  export = g_new0 (Export, 1);
  export->state_path = g_strdup (self->host.state_path);
  export->workflow_id = g_strdup (cc_workflow_get_id (self));
  cc_error_filter_copy (filter, &export->filter);
  export->stream = g_object_ref (stream);
  export->chunk = g_string_sized_new (EXPORT_CHUNK + 4096);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_workflow_export_errors_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_in_thread);
}

gint64
cc_workflow_export_errors_finish (CcWorkflow    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
