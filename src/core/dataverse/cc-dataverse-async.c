/* cc-dataverse-async.c — one record read or updated as an asynchronous
 * request on the thread-default main context (cc_http_send_async()), for
 * writers that keep many in flight on one thread. The request and the
 * result are those of the blocking calls. */
#include "config.h"

#include "cc-dataverse-client-private.h"

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CcDataverseClient *self = g_task_get_source_object (task);
  g_autoptr(CcHttpResponse) response = NULL;
  GError *error = NULL;

  response = cc_http_send_finish (CC_HTTP (source), result, &error);
  if (response == NULL || !cc_dataverse_client_check_access (self, response, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cc_dataverse_result_from (response),
                           (GDestroyNotify) cc_dataverse_result_free);
}

/* Sends @request (taken: it lives as long as the task). */
static void
send_async (CcDataverseClient   *self,
            CcHttpRequest       *request,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, send_async);
  g_task_set_task_data (task, request, (GDestroyNotify) cc_http_request_free);
  cc_http_send_async (cc_dataverse_client_get_http (self), request, cancellable, on_answer, task);
}

void
cc_dataverse_client_get_async (CcDataverseClient   *self,
                               const char          *path,
                               const char * const  *columns,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CC_IS_DATAVERSE_CLIENT (self));
  g_return_if_fail (path != NULL);

  send_async (self, cc_dataverse_client_get_request (self, path, columns), cancellable,
              callback, user_data);
}

void
cc_dataverse_client_update_async (CcDataverseClient   *self,
                                  const char          *path,
                                  JsonObject          *body,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CC_IS_DATAVERSE_CLIENT (self));
  g_return_if_fail (path != NULL && body != NULL);

  send_async (self,
              cc_dataverse_client_upsert_request (self, path, body,
                                                  CC_DATAVERSE_UPSERT_UPDATE_ONLY),
              cancellable, callback, user_data);
}

CcDataverseResult *
cc_dataverse_client_result_finish (CcDataverseClient  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
