/* cc-token-source.h — OAuth2 client-credentials tokens, cached.
 *
 * A CcTokenSource asks a token endpoint for an access token with the
 * client-credentials grant and keeps it until shortly before it expires:
 *  - Entra ID (Dynamics 365): POST <token-url>, form client_id,
 *    client_secret, grant_type=client_credentials, scope=<env-url>/.default;
 *  - Adobe IMS (Campaign): POST <ims-url>, form grant_type, client_id,
 *    client_secret, scope (comma-separated).
 *
 * The token is renewed when less than min (60 s, 10 % of its lifetime) is
 * left. A refused credential fails with CC_ERROR_AUTH_FAILED and a message
 * that says what to check (secret, client id, tenant, environment URL);
 * transient failures are retried by the CcHttp that carries the request.
 *
 * A token source belongs to the thread that uses it (no locking), like
 * the CcHttp it is used with.
 */
#pragma once

#include "cc-http.h"

G_BEGIN_DECLS

typedef enum
{
  CC_TOKEN_SOURCE_ENTRA,
  CC_TOKEN_SOURCE_IMS,
} CcTokenSourceKind;

#define CC_IMS_DEFAULT_URL   "https://ims-na1.adobelogin.com/ims/token/v3"
#define CC_IMS_DEFAULT_SCOPE "openid,AdobeID,read_organizations,additional_info.projectedProductContext,campaign_sdk,deliverability_service_general"

#define CC_TYPE_TOKEN_SOURCE (cc_token_source_get_type ())
G_DECLARE_FINAL_TYPE (CcTokenSource, cc_token_source, CC, TOKEN_SOURCE, GObject)

/* https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token */
char          *cc_token_source_entra_default_url (const char *tenant);

/* @environment_url is the Dataverse environment URL; the scope becomes
 * "<environment_url without trailing slash>/.default". */
CcTokenSource *cc_token_source_new_entra (const char *token_url,
                                          const char *client_id,
                                          const char *secret,
                                          const char *environment_url);
/* @scope NULL = CC_IMS_DEFAULT_SCOPE. */
CcTokenSource *cc_token_source_new_ims   (const char *ims_url,
                                          const char *client_id,
                                          const char *secret,
                                          const char *scope);

CcTokenSourceKind cc_token_source_get_kind (CcTokenSource *self);

/* The cached token, or a new one from the endpoint (sent through @http,
 * with its retries). Returns a newly allocated string. */
char          *cc_token_source_get_token  (CcTokenSource  *self,
                                           CcHttp         *http,
                                           GCancellable   *cancellable,
                                           GError        **error);
/* Keeps the token of the endpoint's @response to a request sent at
 * @sent_at (monotonic µs), or fails as get_token does with a refusal or
 * an answer without a token. */
gboolean       cc_token_source_read_answer (CcTokenSource  *self,
                                            CcHttpResponse *response,
                                            gint64          sent_at,
                                            GError        **error);
/* Forgets the cached token: the next get_token asks the endpoint. */
void           cc_token_source_invalidate (CcTokenSource  *self);
/* Monotonic time (µs) at which the cached token expires; 0 = none. */
gint64         cc_token_source_get_expiry (CcTokenSource  *self);
/* How many tokens were obtained from the endpoint so far. */
guint          cc_token_source_get_fetch_count (CcTokenSource *self);

G_END_DECLS
