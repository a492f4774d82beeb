/* cc-campaign-client-private.h — shared by the files of CcCampaignClient:
 * cc-campaign-client.c (requests, lists), cc-campaign-metadata.c,
 * cc-campaign-records.c and cc-campaign-journal.c (the event journal and
 * the marketing history). */
#pragma once

#include "cc-campaign-client.h"
#include "cc-error.h"

G_BEGIN_DECLS

/* A request with the headers every Campaign call carries and the IMS
 * bearer token. @url is absolute, or relative to the API base URL. */
CcHttpRequest  *cc_campaign_client_new_request (CcCampaignClient  *self,
                                                const char        *method,
                                                const char        *url);
/* Absolute URL for @url (kept when it already is). */
char           *cc_campaign_client_resolve     (CcCampaignClient  *self,
                                                const char        *url);
/* Sends, then turns answers that concern the connection rather than the
 * request (401, 403, the gateway's "check your URI") into a GError. */
CcHttpResponse *cc_campaign_client_send        (CcCampaignClient  *self,
                                                CcHttpRequest     *request,
                                                GCancellable      *cancellable,
                                                GError           **error);
/* Turns an answer that concerns the connection rather than the request
 * (401, 403, the gateway's "check your URI") into an error; returns the
 * others. Takes @answer (NULL: returns NULL). */
CcHttpResponse *cc_campaign_client_check_answer (CcCampaignClient *self,
                                                 CcHttpResponse   *answer,
                                                 GError          **error);
/* An answer as a record call's result (with the record it holds when
 * @want_record). */
CcCampaignResult *cc_campaign_client_result_from (CcHttpResponse  *response,
                                                  gboolean         want_record);
/* @object as the request's JSON body. */
void            cc_campaign_client_set_body    (CcHttpRequest     *request,
                                                JsonObject        *object);
/* GET @url (as cc_campaign_client_new_request() takes it) and send it. */
CcHttpResponse *cc_campaign_client_get         (CcCampaignClient  *self,
                                                const char        *url,
                                                GCancellable      *cancellable,
                                                GError           **error);
/* One path segment: a key or a PKey ('@' may stay literal). */
char           *cc_campaign_client_escape_segment (const char     *segment);
/* The object a successful answer holds, or NULL with an error in the
 * service's words: @not_found for a 404, CC_ERROR_FAILED otherwise. */
JsonObject     *cc_campaign_client_dup_answer  (CcHttpResponse    *response,
                                                CcError            not_found,
                                                GError           **error);
/* A list answer's records and next.href (resolved). */
CcCampaignPage *cc_campaign_client_parse_page  (CcCampaignClient  *self,
                                                CcHttpResponse    *response,
                                                GError           **error);
/* The resource type @resource ("group/name") from the answer to its
 * resourceType request. */
CcCampaignResourceType *cc_campaign_client_read_resource_type (CcCampaignClient  *self,
                                                               const char        *resource,
                                                               CcHttpResponse    *response,
                                                               GError           **error);
/* The filters of a resource from the answer to its filters link
 * (CcCampaignFilter*). */
GPtrArray      *cc_campaign_client_read_filters (CcHttpResponse  *response,
                                                 GError         **error);
/* The journal page from the answer to a read of @url (absolute). */
CcCampaignJournalPage  *cc_campaign_client_read_journal_answer (CcCampaignClient  *self,
                                                                const char        *url,
                                                                CcHttpResponse    *response,
                                                                GError           **error);
/* The journal URL configured, or NULL. */
const char     *cc_campaign_client_get_journal_url (CcCampaignClient *self);

G_END_DECLS
