/* fuzz-campaign.c — what the Campaign client reads from an answer of the
 * Campaign Standard API: a list page and its next link, a record's
 * result, a resource type with its fields, keys and filters link, a
 * resource's filters, the server's words and error code. */
#include "cc-campaign-client-private.h"
#include "fuzz-input.h"

#define URL "https://mc.example.com/org/campaign/profileAndServicesExt/profile"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CcCampaignClient *campaign;
  g_autoptr(CcHttpResponse) response = NULL;
  g_autoptr(CcCampaignPage) page = NULL;
  g_autoptr(CcCampaignResult) found = NULL;
  g_autoptr(CcCampaignResult) patched = NULL;
  g_autoptr(CcCampaignResourceType) type = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autofree char *words = NULL;
  g_autofree char *code = NULL;

  cc_fuzz_init ();
  campaign = cc_fuzz_campaign_client ();
  response = cc_fuzz_response_new (data, size, CC_HTTP_SERVICE_CAMPAIGN, "GET", URL);
  page = cc_campaign_client_parse_page (campaign, response, NULL);
  found = cc_campaign_client_result_from (response, TRUE);
  patched = cc_campaign_client_result_from (response, FALSE);
  type = cc_campaign_client_read_resource_type (campaign, "profileAndServicesExt/profile",
                                                response, NULL);
  if (type != NULL)
    cc_campaign_resource_type_find_field (type, "email");
  filters = cc_campaign_client_read_filters (response, NULL);
  if (filters != NULL)
    cc_campaign_filters_find (filters, "byEmail");
  words = cc_http_response_dup_server_message (response);
  code = cc_http_response_dup_error_code (response);
  return 0;
}
