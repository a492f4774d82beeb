/* cc-campaign-client.c — CcCampaignClient: requests, list paging.
 *
 * Resource metadata (fields, filters, keys) is in cc-campaign-metadata.c,
 * record lookups and writes in cc-campaign-records.c, the journal and the
 * marketing history in cc-campaign-journal.c.
 * What Campaign does that needs care here: it answers a PATCH of a
 * read-only field with 500 (a permanent rejection, not an outage), and a
 * wrong organization in the URL with a 500/502 "Check your URI" from the
 * gateway, which is a configuration error whatever the record.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-campaign-client-private.h"
#include "cc-json-read.h"

struct _CcCampaignClient
{
  GObject        parent_instance;

  char          *org;
  char          *api_key;
  char          *api_url;      /* no trailing slash */
  char          *base_url;     /* <api-url>/<org>/campaign/ */
  char          *journal_url;
  CcHttp        *http;
  CcTokenSource *tokens;
  CcRateLimiter *limiter;
  char          *limiter_tag;
  gboolean       wait_for_budget;
};

G_DEFINE_FINAL_TYPE (CcCampaignClient, cc_campaign_client, G_TYPE_OBJECT)

static void
cc_campaign_client_finalize (GObject *object)
{
  CcCampaignClient *self = CC_CAMPAIGN_CLIENT (object);

  g_free (self->org);
  g_free (self->api_key);
  g_free (self->api_url);
  g_free (self->base_url);
  g_free (self->journal_url);
  g_clear_object (&self->http);
  g_clear_object (&self->tokens);
  g_clear_object (&self->limiter);
  g_free (self->limiter_tag);

  G_OBJECT_CLASS (cc_campaign_client_parent_class)->finalize (object);
}

static void
cc_campaign_client_class_init (CcCampaignClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_campaign_client_finalize;
}

static void
cc_campaign_client_init (CcCampaignClient *self)
{
}

CcCampaignClient *
cc_campaign_client_new (const CcCampaignSettings *settings)
{
  CcCampaignClient *self;
  CcHttpOptions options;
  g_autofree char *org = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->org != NULL, NULL);

  self = g_object_new (CC_TYPE_CAMPAIGN_CLIENT, NULL);
  self->org = g_strdup (settings->org);
  self->api_key = g_strdup (settings->api_key ? settings->api_key : "");
  self->api_url = g_strdup (settings->api_url && *settings->api_url
                            ? settings->api_url : CC_CAMPAIGN_DEFAULT_API_URL);
  while (g_str_has_suffix (self->api_url, "/"))
    self->api_url[strlen (self->api_url) - 1] = '\0';
  org = g_uri_escape_string (self->org, NULL, FALSE);
  self->base_url = g_strdup_printf ("%s/%s/campaign/", self->api_url, org);
  self->journal_url = settings->journal_url && *settings->journal_url
                      ? g_strdup (settings->journal_url) : NULL;

  cc_http_options_init (&options, CC_HTTP_SERVICE_CAMPAIGN);
  if (settings->max_conns > 0)
    options.max_conns_per_host = settings->max_conns;
  self->http = cc_http_new (&options);
  self->tokens = cc_token_source_new_ims (settings->ims_url, self->api_key,
                                          settings->secret, settings->ims_scope);
  if (settings->limiter != NULL)
    self->limiter = g_object_ref (settings->limiter);
  self->limiter_tag = g_strdup (settings->limiter_tag);
  self->wait_for_budget = settings->wait_for_budget;
  return self;
}

CcHttp *
cc_campaign_client_get_http (CcCampaignClient *self)
{
  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  return self->http;
}

CcTokenSource *
cc_campaign_client_get_token_source (CcCampaignClient *self)
{
  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  return self->tokens;
}

const char *
cc_campaign_client_get_base_url (CcCampaignClient *self)
{
  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  return self->base_url;
}

const char *
cc_campaign_client_get_journal_url (CcCampaignClient *self)
{
  return self->journal_url;
}

gboolean
cc_campaign_client_authenticate (CcCampaignClient  *self,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autofree char *token = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), FALSE);

  cc_token_source_invalidate (self->tokens);
  token = cc_token_source_get_token (self->tokens, self->http, cancellable, error);
  return token != NULL;
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

/* Campaign answers 500 for some rejections of a record ("Cannot update
 * the 'age' property that is read-only"): when a 500 carries a JSON
 * message it is the API speaking, not an outage, so it is returned
 * rather than retried. 502/503/504 are the gateway's and are retried. */
static CcHttpVerdict
classify (CcHttpResponse *response,
          gpointer        user_data)
{
  g_autoptr(JsonObject) root = NULL;

  if (response->status != SOUP_STATUS_INTERNAL_SERVER_ERROR)
    return CC_HTTP_VERDICT_DEFAULT;
  root = cc_http_response_dup_object (response);
  if (root != NULL && cc_json_read_string (root, "message") != NULL)
    return CC_HTTP_VERDICT_FINAL;
  return CC_HTTP_VERDICT_DEFAULT;
}

char *
cc_campaign_client_resolve (CcCampaignClient *self,
                            const char       *url)
{
  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
    return g_strdup (url);
  if (url[0] == '/')
    return g_strconcat (self->api_url, url, NULL);
  return g_strconcat (self->base_url, url, NULL);
}

CcHttpRequest *
cc_campaign_client_new_request (CcCampaignClient *self,
                                const char       *method,
                                const char       *url)
{
  g_autofree char *absolute = cc_campaign_client_resolve (self, url);
  CcHttpRequest *request = cc_http_request_new (method, absolute);

  cc_http_request_set_header (request, "Accept", "application/json");
  cc_http_request_set_header (request, "X-Api-Key", self->api_key);
  cc_http_request_set_header (request, "Content-Type", "application/json");
  cc_http_request_set_header (request, "Cache-Control", "no-cache");
  cc_http_request_set_expect_json (request, TRUE);
  cc_http_request_set_token_source (request, self->tokens);
  cc_http_request_set_classifier (request, classify, NULL);
  cc_http_request_set_limiter (request, self->limiter, self->limiter_tag, self->wait_for_budget);
  return request;
}

CcHttpResponse *
cc_campaign_client_check_answer (CcCampaignClient  *self,
                                 CcHttpResponse    *answer,
                                 GError           **error)
{
  g_autoptr(CcHttpResponse) response = answer;
  g_autofree char *words = NULL;
  g_autofree char *message = NULL;

  if (response == NULL)
    return NULL;
  if (response->status != SOUP_STATUS_UNAUTHORIZED
      && response->status != SOUP_STATUS_FORBIDDEN
      && response->status < 500)
    return g_steal_pointer (&response);

  words = cc_http_response_dup_server_message (response);
  message = cc_http_error_message (CC_HTTP_SERVICE_CAMPAIGN, response);
  if (response->status == SOUP_STATUS_UNAUTHORIZED || response->status == SOUP_STATUS_FORBIDDEN)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED,
                   _("%s. Check the API key and that the integration is allowed to use the organization “%s”."),
                   message, self->org);
      return NULL;
    }
  if (words != NULL && strstr (words, "Check your URI") != NULL)
    {
      g_set_error (error, CC_ERROR, CC_ERROR_INVALID_CONFIG,
                   _("%s. Check the organization “%s” and the API URL in the connection settings."),
                   message, self->org);
      return NULL;
    }
  return g_steal_pointer (&response);
}

CcHttpResponse *
cc_campaign_client_send (CcCampaignClient  *self,
                         CcHttpRequest     *request,
                         GCancellable      *cancellable,
                         GError           **error)
{
  return cc_campaign_client_check_answer (self, cc_http_send (self->http, request, cancellable, error), error);
}

CcHttpResponse *
cc_campaign_client_get (CcCampaignClient  *self,
                        const char        *url,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(CcHttpRequest) request = cc_campaign_client_new_request (self, "GET", url);

  return cc_campaign_client_send (self, request, cancellable, error);
}

void
cc_campaign_client_set_body (CcHttpRequest *request,
                             JsonObject    *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  cc_http_request_set_json_body (request, node);
}

char *
cc_campaign_client_escape_segment (const char *segment)
{
  /* PKeys start with '@', which may stay literal in a path. */
  return g_uri_escape_string (segment, "@", FALSE);
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

void
cc_campaign_result_free (CcCampaignResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_clear_pointer (&result->record, json_object_unref);
  g_free (result->pkey);
  g_free (result);
}

gboolean
cc_campaign_result_is_success (const CcCampaignResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);
  return SOUP_STATUS_IS_SUCCESSFUL (result->status);
}

/* A list answer holds its records in "content"; a single record is the
 * object itself. */
static JsonObject *
first_record (JsonObject *root)
{
  JsonArray *content = cc_json_read_array (root, "content");

  if (root == NULL)
    return NULL;
  if (content == NULL)
    return json_object_ref (root);
  if (json_array_get_length (content) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (content, 0)))
    return json_object_ref (json_array_get_object_element (content, 0));
  return NULL;
}

CcCampaignResult *
cc_campaign_client_result_from (CcHttpResponse *response,
                                gboolean        want_record)
{
  CcCampaignResult *result = g_new0 (CcCampaignResult, 1);
  g_autoptr(JsonObject) root = NULL;

  result->status = response->status;
  /* A write's answer is the whole record, and a writer wants only its
   * PKey: a tree of it would cost more than the request. */
  if (!want_record && cc_http_response_is_success (response)
      && cc_http_response_scan_member (response, "PKey", &result->pkey))
    return result;
  root = cc_http_response_dup_object (response);

  if (!cc_http_response_is_success (response))
    {
      result->message = cc_http_response_dup_server_message (response);
      if (result->message == NULL)
        result->message = g_strdup_printf ("%u %s", response->status, response->reason);
      return result;
    }

  if (root != NULL)
    {
      if (want_record)
        result->record = first_record (root);
      result->pkey = g_strdup (cc_json_read_string (
result->record ? result->record : root, "PKey"));
    }
  return result;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

void
cc_campaign_page_free (CcCampaignPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_free (page->next_url);
  g_free (page);
}

char *
cc_campaign_client_build_list_url (CcCampaignClient   *self,
                                   const char         *resource,
                                   const char         *filter_path,
                                   const char * const *filter_params,
                                   const char         *order,
                                   guint               line_count)
{
  GString *url;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);

  url = g_string_new (self->base_url);
  g_string_append (url, resource);
  if (filter_path != NULL && *filter_path != '\0')
    g_string_append_printf (url, "/%s", filter_path);
  g_string_append_c (url, '?');
  for (guint i = 0; filter_params != NULL && filter_params[i] != NULL && filter_params[i + 1] != NULL; i += 2)
    {
      g_autofree char *name = g_uri_escape_string (filter_params[i], NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (filter_params[i + 1], NULL, FALSE);

      g_string_append_printf (url, "%s=%s&", name, value);
    }
  g_string_append_printf (url, "_lineCount=%u", line_count > 0 ? line_count : 25);
  if (order != NULL && *order != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (order, NULL, FALSE);

      g_string_append_printf (url, "&_order=%s", escaped);
    }
  /* Without it, tables over XtkBigTableThreshold rows answer one page and
   * no next link. */
  g_string_append (url, "&_forcePagination=true");
  return g_string_free (url, FALSE);
}

JsonObject *
cc_campaign_client_dup_answer (CcHttpResponse  *response,
                               CcError          not_found,
                               GError         **error)
{
  JsonObject *root = NULL;
  g_autofree char *message = NULL;

  if (cc_http_response_is_success (response))
    root = cc_http_response_dup_object (response);
  if (root != NULL)
    return root;
  message = cc_http_error_message (CC_HTTP_SERVICE_CAMPAIGN, response);
  g_set_error (error, CC_ERROR,
               response->status == SOUP_STATUS_NOT_FOUND ? (gint) not_found : CC_ERROR_FAILED,
               "%s", message);
  return NULL;
}

CcCampaignPage *
cc_campaign_client_parse_page (CcCampaignClient  *self,
                               CcHttpResponse    *response,
                               GError           **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(CcCampaignPage) page = NULL;
  JsonArray *content;
  JsonObject *next;

  root = cc_campaign_client_dup_answer (response, CC_ERROR_SCHEMA, error);
  if (root == NULL)
    return NULL;

  page = g_new0 (CcCampaignPage, 1);
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  content = cc_json_read_array (root, "content");
  for (guint i = 0; content != NULL && i < json_array_get_length (content); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (content, i)))
      g_ptr_array_add (page->records, json_object_ref (json_array_get_object_element (content, i)));

  next = cc_json_read_object (root, "next");
  if (next != NULL)
    {
      const char *href = cc_json_read_string (next, "href");

      if (href != NULL && *href != '\0')
        page->next_url = cc_campaign_client_resolve (self, href);
    }
  return g_steal_pointer (&page);
}

CcCampaignPage *
cc_campaign_client_read_page (CcCampaignClient  *self,
                              const char        *url,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(CcHttpResponse) response = NULL;

  g_return_val_if_fail (CC_IS_CAMPAIGN_CLIENT (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  response = cc_campaign_client_get (self, url, cancellable, error);
  if (response == NULL)
    return NULL;
  return cc_campaign_client_parse_page (self, response, error);
}
