/* cc-campaign-records.c — one record at a time: find, create, update,
 * delete; blocking, or as asynchronous requests on the calling thread's
 * main context (a writer keeps many in flight on one thread).
 *
 * Both ways build the same request and read the same result: only the
 * sending differs (cc_http_send() or cc_http_send_async()).
 */
#include "config.h"

#include <string.h>

#include "cc-error.h"
#include "cc-campaign-client-private.h"

/* "<resource>/<key>": the path of one record. */
static char *
record_path (const char *resource,
             const char *key)
{
  g_autofree char *escaped = cc_campaign_client_escape_segment (key);

  return g_strdup_printf ("%s/%s", resource, escaped);
}

/* What GET finds a record by: <resource>/<filter>?<param>=<value>, or
 * <resource>/<value> without a filter. */
static char *
find_path (const char *resource,
           const char *filter,
           const char *param,
           const char *value)
{
  g_autofree char *escaped = NULL;

  if (filter == NULL)
    return record_path (resource, value);
  escaped = g_uri_escape_string (value, NULL, FALSE);
  return g_strdup_printf ("%s/%s?%s=%s", resource, filter, param, escaped);
}

/* @method to @path, with @body as JSON unless it is NULL, or else with
 * @text (JSON already) unless that is NULL. Without @want_record, only
 * the answer's PKey is read. */
static CcHttpRequest *
record_request (CcCampaignClient *self,
                const char       *method,
                const char       *path,
                JsonObject       *body,
                const char       *text,
                gboolean          want_record)
{
  CcHttpRequest *request = cc_campaign_client_new_request (self, method, path);

  if (!want_record)
    cc_http_request_set_expect_json_member (request, "PKey");

  if (body != NULL)
    cc_campaign_client_set_body (request, body);
  else if (text != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

      cc_http_request_set_body (request, "application/json", bytes);
    }
  return request;
}

/* Sends @method to @path, with @body as JSON unless it is NULL, and reads
 * the answer as a result (with the record it holds when @want_record). */
static CcCampaignResult *
send_for_result (CcCampaignClient  *self,
                 const char        *method,
                 const char        *path,
                 JsonObject        *body,
                 gboolean           want_record,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(CcHttpRequest) request = record_request (self, method, path, body, NULL,
                                                     want_record);
  g_autoptr(CcHttpResponse) response = NULL;

  response = cc_campaign_client_send (self, request, cancellable, error);
  if (response == NULL)
    return NULL;
  return cc_campaign_client_result_from (response, want_record);
}

CcCampaignResult *
cc_campaign_client_find (CcCampaignClient  *self,
                         const char        *resource,
                         const char        *filter,
                         const char        *param,
                         const char        *value,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (filter == NULL || param != NULL, NULL);

  path = find_path (resource, filter, param, value);
  return send_for_result (self, "GET", path, NULL, TRUE, cancellable, error);
}

CcCampaignResult *
cc_campaign_client_create (CcCampaignClient  *self,
                           const char        *resource,
                           JsonObject        *record,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  return send_for_result (self, "POST", resource, record, TRUE, cancellable, error);
}

CcCampaignResult *
cc_campaign_client_patch (CcCampaignClient  *self,
                          const char        *resource,
                          const char        *key,
                          JsonObject        *fields,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL && key != NULL && fields != NULL, NULL);

  path = record_path (resource, key);
  return send_for_result (self, "PATCH", path, fields, FALSE, cancellable, error);
}

CcCampaignResult *
cc_campaign_client_delete (CcCampaignClient  *self,
                           const char        *resource,
                           const char        *key,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL && key != NULL, NULL);

  path = record_path (resource, key);
  return send_for_result (self, "DELETE", path, NULL, FALSE, cancellable, error);
}

/* ------------------------------------------------------------------ */
/* Asynchronous                                                        */

typedef struct
{
  CcHttpRequest *request;     /* kept until the answer is in */
  gboolean       want_record;
} RecordCall;

static void
record_call_free (RecordCall *call)
{
  cc_http_request_free (call->request);
  g_free (call);
}

static void
on_record_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CcCampaignClient *self = g_task_get_source_object (task);
  RecordCall *call = g_task_get_task_data (task);
  g_autoptr(CcHttpResponse) response = NULL;
  GError *error = NULL;

  response = cc_http_send_finish (CC_HTTP (source), result, &error);
  response = cc_campaign_client_check_answer (self, g_steal_pointer (&response), &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cc_campaign_client_result_from (response, call->want_record),
                           (GDestroyNotify) cc_campaign_result_free);
}

static void
send_for_result_async (CcCampaignClient    *self,
                       const char          *method,
                       const char          *path,
                       JsonObject          *body,
                       const char          *text,
                       gboolean             want_record,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RecordCall *call = g_new0 (RecordCall, 1);

  g_task_set_source_tag (task, send_for_result_async);
  call->request = record_request (self, method, path, body, text, want_record);
  call->want_record = want_record;
  g_task_set_task_data (task, call, (GDestroyNotify) record_call_free);
  cc_http_send_async (cc_campaign_client_get_http (self), call->request, cancellable,
                      on_record_answer, task);
}

void
cc_campaign_client_find_async (CcCampaignClient    *self,
                               const char          *resource,
                               const char          *filter,
                               const char          *param,
                               const char          *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CC_IS_CAMPAIGN_CLIENT (self));
  g_return_if_fail (resource != NULL && value != NULL);
  g_return_if_fail (filter == NULL || param != NULL);

  path = find_path (resource, filter, param, value);
  send_for_result_async (self, "GET", path, NULL, NULL, TRUE, cancellable, callback,
                         user_data);
}

void
cc_campaign_client_create_async (CcCampaignClient    *self,
                                 const char          *resource,
                                 JsonObject          *record,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CC_IS_CAMPAIGN_CLIENT (self));
  g_return_if_fail (resource != NULL && record != NULL);

  send_for_result_async (self, "POST", resource, record, NULL, FALSE, cancellable, callback,
                         user_data);
}

void
cc_campaign_client_create_json_async (CcCampaignClient    *self,
                                      const char          *resource,
                                      const char          *json,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (CC_IS_CAMPAIGN_CLIENT (self));
  g_return_if_fail (resource != NULL && json != NULL);

  send_for_result_async (self, "POST", resource, NULL, json, FALSE, cancellable, callback,
                         user_data);
}

void
cc_campaign_client_patch_async (CcCampaignClient    *self,
                                const char          *resource,
                                const char          *key,
                                JsonObject          *fields,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CC_IS_CAMPAIGN_CLIENT (self));
  g_return_if_fail (resource != NULL && key != NULL && fields != NULL);

  path = record_path (resource, key);
  send_for_result_async (self, "PATCH", path, fields, NULL, FALSE, cancellable, callback,
                         user_data);
}

void
cc_campaign_client_delete_async (CcCampaignClient    *self,
                                 const char          *resource,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CC_IS_CAMPAIGN_CLIENT (self));
  g_return_if_fail (resource != NULL && key != NULL);

  path = record_path (resource, key);
  send_for_result_async (self, "DELETE", path, NULL, NULL, FALSE, cancellable, callback,
                         user_data);
}

CcCampaignResult *
cc_campaign_client_record_finish (CcCampaignClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
