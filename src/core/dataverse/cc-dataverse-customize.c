/* cc-dataverse-customize.c — who the client signs in as, what that user
 * may do, and the metadata writes that prepare an environment.
 *
 * The setup check asks WhoAmI and RetrieveUserPrivileges rather than
 * trying a write: a probe that wrote would change the customer's data.
 * Preparing Dynamics 365 creates tables, columns and alternate keys and
 * turns change tracking on through the Web API's metadata operations
 * (Microsoft's "Create and update table definitions using the Web API").
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-dataverse-client-private.h"
#include "cc-json-read.h"

/* GET @path: its object, or NULL with the error (a 4xx in words). */
static JsonObject *
get_answer (CcDataverseClient  *self,
            const char         *path,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(CcHttpRequest) request = cc_dataverse_client_new_request (self, "GET", path);
  g_autoptr(CcHttpResponse) response = NULL;
  JsonObject *object;

  response = cc_http_send (cc_dataverse_client_get_http (self), request, cancellable, error);
  if (response == NULL || !cc_dataverse_client_check_access (self, response, error))
    return NULL;
  if (!cc_http_response_is_success (response))
    {
      g_autofree char *words = cc_http_error_message (CC_HTTP_SERVICE_DYNAMICS, response);

      g_set_error (error, CC_ERROR, CC_ERROR_FAILED, "%s", words);
      return NULL;
    }
  object = cc_http_response_dup_object (response);
  if (object == NULL)
    g_set_error (error, CC_ERROR, CC_ERROR_FAILED,
                 _("Dynamics 365 answered GET %s with something that is not a JSON object"), path);
  return object;
}

char *
cc_dataverse_client_who_am_i (CcDataverseClient  *self,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(JsonObject) answer = NULL;
  const char *user;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);

  answer = get_answer (self, "WhoAmI", cancellable, error);
  if (answer == NULL)
    return NULL;
  user = cc_json_read_string (answer, "UserId");
  if (user == NULL)
    g_set_error_literal (error, CC_ERROR, CC_ERROR_FAILED,
                         _("Dynamics 365 answered WhoAmI without a user id"));
  return g_strdup (user);
}

GHashTable *
cc_dataverse_client_get_privileges (CcDataverseClient  *self,
                                    const char         *user_id,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;
  GHashTable *privileges;
  JsonArray *held;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  path = g_strdup_printf ("systemusers(%s)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()", user_id);
  answer = get_answer (self, path, cancellable, error);
  if (answer == NULL)
    return NULL;
  privileges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  held = cc_json_read_array (answer, "RolePrivileges");
  for (guint i = 0; held != NULL && i < json_array_get_length (held); i++)
    {
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (json_array_get_element (held, i))
                          ? json_array_get_object_element (held, i) : NULL;
      const char *name = cc_json_read_string (entry, "PrivilegeName");
      const char *depth = cc_json_read_string (entry, "Depth");
      const char *known = name ? g_hash_table_lookup (privileges, name) : NULL;

      /* Several roles may grant one privilege: the deepest counts. */
      if (name != NULL && (known == NULL || !cc_dataverse_depth_is_global (known)))
        g_hash_table_replace (privileges, g_strdup (name), g_strdup (depth ? depth : "Basic"));
    }
  return privileges;
}

gboolean
cc_dataverse_depth_is_global (const char *depth)
{
  return g_strcmp0 (depth, "Global") == 0;
}

CcDataverseResult *
cc_dataverse_client_customize (CcDataverseClient  *self,
                               const char         *method,
                               const char         *path,
                               JsonObject         *body,
                               const char         *solution,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(CcHttpRequest) request = NULL;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (CC_IS_DATAVERSE_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && body != NULL, NULL);

  request = cc_dataverse_client_new_request (self, method, path);
  /* A write answers 204 without a body. */
  cc_http_request_set_expect_json (request, FALSE);
  if (solution != NULL)
    cc_http_request_set_header (request, "MSCRM.SolutionUniqueName", solution);
  if (g_str_equal (method, "PUT"))
    cc_http_request_set_header (request, "MSCRM.MergeLabels", "true");
  node = json_node_init_object (json_node_alloc (), body);
  cc_http_request_set_json_body (request, node);
  response = cc_http_send (cc_dataverse_client_get_http (self), request, cancellable, error);
  if (response == NULL || !cc_dataverse_client_check_access (self, response, error))
    return NULL;
  data = g_bytes_get_data (response->body, &len);
  return cc_dataverse_result_new (response->status, response->reason, response->headers, data, len);
}
