/* cc-token-source.c — client-credentials tokens from Entra ID or Adobe IMS.
 *
 * Neither grant has a refresh token: a token is simply asked for again
 * before it runs out. Error bodies of both endpoints are turned into one
 * sentence that says what the user has to fix; the secret is scrubbed
 * from anything that could end up in a message.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cc-error.h"
#include "cc-json-read.h"
#include "cc-token-source.h"

struct _CcTokenSource
{
  GObject            parent_instance;

  CcTokenSourceKind  kind;
  char              *url;
  char              *client_id;
  char              *secret;
  char              *scope;

  char              *token;
  gint64             expiry_us;     /* monotonic */
  gint64             renew_at_us;   /* monotonic */
  guint              fetch_count;
};

G_DEFINE_FINAL_TYPE (CcTokenSource, cc_token_source, G_TYPE_OBJECT)

/* Longest margin before expiry at which a token is renewed; short-lived
 * tokens renew at 90 % of their lifetime instead. */
#define RENEW_MARGIN_S 60
/* The longest lifetime believed. */
#define MAX_LIFETIME_S (7 * 24 * 3600)

static void
cc_token_source_finalize (GObject *object)
{
  CcTokenSource *self = CC_TOKEN_SOURCE (object);

  g_free (self->url);
  g_free (self->client_id);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  g_free (self->scope);
  g_free (self->token);

  G_OBJECT_CLASS (cc_token_source_parent_class)->finalize (object);
}

static void
cc_token_source_class_init (CcTokenSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_token_source_finalize;
}

static void
cc_token_source_init (CcTokenSource *self)
{
}

char *
cc_token_source_entra_default_url (const char *tenant)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (tenant != NULL, NULL);

  escaped = g_uri_escape_string (tenant, NULL, FALSE);
  return g_strdup_printf ("https://login.microsoftonline.com/%s/oauth2/v2.0/token", escaped);
}

CcTokenSource *
cc_token_source_new_entra (const char *token_url,
                           const char *client_id,
                           const char *secret,
                           const char *environment_url)
{
  CcTokenSource *self;
  g_autofree char *resource = NULL;

  g_return_val_if_fail (token_url != NULL, NULL);
  g_return_val_if_fail (environment_url != NULL, NULL);

  resource = g_strdup (environment_url);
  while (g_str_has_suffix (resource, "/"))
    resource[strlen (resource) - 1] = '\0';

  self = g_object_new (CC_TYPE_TOKEN_SOURCE, NULL);
  self->kind = CC_TOKEN_SOURCE_ENTRA;
  self->url = g_strdup (token_url);
  self->client_id = g_strdup (client_id ? client_id : "");
  self->secret = g_strdup (secret ? secret : "");
  self->scope = g_strconcat (resource, "/.default", NULL);
  return self;
}

CcTokenSource *
cc_token_source_new_ims (const char *ims_url,
                         const char *client_id,
                         const char *secret,
                         const char *scope)
{
  CcTokenSource *self;

  self = g_object_new (CC_TYPE_TOKEN_SOURCE, NULL);
  self->kind = CC_TOKEN_SOURCE_IMS;
  self->url = g_strdup (ims_url && *ims_url ? ims_url : CC_IMS_DEFAULT_URL);
  self->client_id = g_strdup (client_id ? client_id : "");
  self->secret = g_strdup (secret ? secret : "");
  self->scope = g_strdup (scope && *scope ? scope : CC_IMS_DEFAULT_SCOPE);
  return self;
}

CcTokenSourceKind
cc_token_source_get_kind (CcTokenSource *self)
{
  g_return_val_if_fail (CC_IS_TOKEN_SOURCE (self), CC_TOKEN_SOURCE_ENTRA);
  return self->kind;
}

void
cc_token_source_invalidate (CcTokenSource *self)
{
  g_return_if_fail (CC_IS_TOKEN_SOURCE (self));

  g_clear_pointer (&self->token, g_free);
  self->expiry_us = 0;
  self->renew_at_us = 0;
}

gint64
cc_token_source_get_expiry (CcTokenSource *self)
{
  g_return_val_if_fail (CC_IS_TOKEN_SOURCE (self), 0);
  return self->token ? self->expiry_us : 0;
}

guint
cc_token_source_get_fetch_count (CcTokenSource *self)
{
  g_return_val_if_fail (CC_IS_TOKEN_SOURCE (self), 0);
  return self->fetch_count;
}

/* A server could echo what it was sent; never let the secret through. */
static char *
scrub_secret (CcTokenSource *self,
              const char    *text)
{
  g_auto(GStrv) pieces = NULL;

  if (self->secret == NULL || strlen (self->secret) < 3 || strstr (text, self->secret) == NULL)
    return g_strdup (text);
  pieces = g_strsplit (text, self->secret, -1);
  return g_strjoinv ("•••", pieces);
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_ascii_strdown (haystack, -1);
  n = g_ascii_strdown (needle, -1);
  return strstr (h, n) != NULL;
}

static char *
entra_refusal (CcTokenSource  *self,
               CcHttpResponse *response,
               const char     *code,
               const char     *words)
{
  const char *service = cc_http_service_get_name (CC_HTTP_SERVICE_DYNAMICS);
  char *message = NULL;

  if (g_strcmp0 (code, "AADSTS7000215") == 0)
    message = g_strdup_printf (_("%s rejected the client secret (%s). Check the client secret in the connection settings."),
                               service, words);
  else if (g_strcmp0 (code, "AADSTS7000222") == 0)
    message = g_strdup_printf (_("%s rejected the client secret because it has expired (%s). Create a new client secret for the app registration and enter it in the connection settings."),
                               service, words);
  else if (g_strcmp0 (code, "AADSTS700016") == 0)
    message = g_strdup_printf (_("%s does not know the client id “%s” (%s). Check the client id and the tenant in the connection settings."),
                               service, self->client_id, words);
  else if (g_strcmp0 (code, "AADSTS90002") == 0 || g_strcmp0 (code, "AADSTS900023") == 0)
    message = g_strdup_printf (_("%s does not know the tenant (%s). Check the tenant in the connection settings."),
                               service, words);
  else if (g_strcmp0 (code, "AADSTS70011") == 0 || g_strcmp0 (code, "AADSTS500011") == 0)
    message = g_strdup_printf (_("%s refused the scope “%s” (%s). Check the environment URL in the connection settings."),
                               service, self->scope, words);
  else if (words != NULL)
    message = g_strdup_printf (_("%s refused the sign-in (%s). Check the tenant, client id and client secret in the connection settings."),
                               service, words);
  else
    message = g_strdup_printf (_("%s sign-in answered %u %s to %s %s. Check the token URL, tenant, client id and client secret in the connection settings."),
                               service, response->status, response->reason,
                               response->method, response->path);

  return message;
}

static char *
ims_refusal (CcTokenSource  *self,
             CcHttpResponse *response,
             const char     *code,
             const char     *words)
{
  const char *service = cc_http_service_get_name (CC_HTTP_SERVICE_CAMPAIGN);
  char *message = NULL;

  if (contains_ci (words, "client_secret") || contains_ci (words, "secret"))
    message = g_strdup_printf (_("%s rejected the client secret (%s). Check the client secret in the connection settings."),
                               service, words);
  else if (contains_ci (words, "client_id") || contains_ci (words, "client id"))
    message = g_strdup_printf (_("%s does not know the API key “%s” (%s). Check the API key (client id) in the connection settings."),
                               service, self->client_id, words);
  else if (g_strcmp0 (code, "invalid_scope") == 0)
    message = g_strdup_printf (_("%s refused the scope “%s” (%s). Check the IMS scope in the connection settings."),
                               service, self->scope, words);
  else if (words != NULL)
    message = g_strdup_printf (_("%s refused the sign-in (%s). Check the API key and client secret in the connection settings."),
                               service, words);
  else
    message = g_strdup_printf (_("%s sign-in answered %u %s to %s %s. Check the IMS URL, API key and client secret in the connection settings."),
                               service, response->status, response->reason,
                               response->method, response->path);

  return message;
}

/* The client-credentials request, as each endpoint documents it. */
static CcHttpRequest *
token_request (CcTokenSource *self)
{
  CcHttpRequest *request = cc_http_request_new ("POST", self->url);

  cc_http_request_set_header (request, "Accept", "application/json");
  cc_http_request_set_expect_json (request, TRUE);
  /* A second token request only issues a second token; none is stored. */
  cc_http_request_set_repeatable (request, TRUE);
  cc_http_request_set_carries_secret (request, TRUE);
  if (self->kind == CC_TOKEN_SOURCE_ENTRA)
    cc_http_request_set_form_body (request,
                                   "client_id", self->client_id,
                                   "client_secret", self->secret,
                                   "grant_type", "client_credentials",
                                   "scope", self->scope,
                                   NULL);
  else
    cc_http_request_set_form_body (request,
                                   "grant_type", "client_credentials",
                                   "client_id", self->client_id,
                                   "client_secret", self->secret,
                                   "scope", self->scope,
                                   NULL);
  return request;
}

/* A refused sign-in, in words the user can act on; the secret never
 * shows, even when the server quotes it. */
static void
set_sign_in_error (CcTokenSource   *self,
                   CcHttpResponse  *response,
                   GError         **error)
{
  g_autofree char *code = cc_http_response_dup_error_code (response);
  g_autofree char *raw_words = cc_http_response_dup_server_message (response);
  g_autofree char *words = NULL;
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;

  /* IMS's description does not repeat its error code; Entra's does. */
  if (raw_words != NULL && code != NULL && strstr (raw_words, code) == NULL)
    words = g_strdup_printf ("%s: %s", code, raw_words);
  else
    words = g_strdup (raw_words);
  message = self->kind == CC_TOKEN_SOURCE_ENTRA ? entra_refusal (self, response, code, words)
                                                 : ims_refusal (self, response, code, words);
  /* The server's words, its reason phrase, anything it echoed. */
  clean = scrub_secret (self, message);
  g_set_error_literal (error, CC_ERROR, CC_ERROR_AUTH_FAILED, clean);
}

/* Keeps @token, to be renewed a margin before it expires: its lifetime
 * counts from @sent_at, when we asked (it was issued no earlier). */
static void
keep_token (CcTokenSource *self,
            const char    *token,
            gint64         lifetime_s,
            gint64         sent_at)
{
  gint64 margin_us;

  if (lifetime_s <= 0)
    lifetime_s = 3600;  /* both services document about an hour or more */
  /* Neither issues tokens for more than a day; a larger number is not
   * theirs (and would overflow the clock below). */
  lifetime_s = MIN (lifetime_s, MAX_LIFETIME_S);
  margin_us = MIN ((gint64) RENEW_MARGIN_S * G_USEC_PER_SEC, lifetime_s * G_USEC_PER_SEC / 10);

  g_free (self->token);
  self->token = g_strdup (token);
  self->expiry_us = sent_at + lifetime_s * G_USEC_PER_SEC;
  self->renew_at_us = self->expiry_us - margin_us;
  self->fetch_count++;
}

gboolean
cc_token_source_read_answer (CcTokenSource   *self,
                             CcHttpResponse  *response,
                             gint64           sent_at,
                             GError         **error)
{
  g_autoptr(JsonObject) root = NULL;
  const char *service = cc_http_service_get_name (response->service);
  const char *token;

  g_return_val_if_fail (CC_IS_TOKEN_SOURCE (self), FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (!cc_http_response_is_success (response))
    {
      set_sign_in_error (self, response, error);
      return FALSE;
    }

  root = cc_http_response_dup_object (response);
  token = root ? cc_json_read_string (root, "access_token") : NULL;
  if (token == NULL || *token == '\0')
    {
      g_set_error (error, CC_ERROR, CC_ERROR_AUTH_FAILED,
                   _("%s sign-in answered %s %s without an access token. Check the token URL in the connection settings."),
                   service, response->method, response->path);
      return FALSE;
    }

  /* Entra's v1 endpoint sends the lifetime as a string. */
  keep_token (self, token, cc_json_read_int (root, "expires_in", -1), sent_at);
  g_debug ("%s: new token, %" G_GINT64_FORMAT " s", service,
           (self->expiry_us - sent_at) / G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
fetch_token (CcTokenSource  *self,
             CcHttp         *http,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(CcHttpRequest) request = token_request (self);
  g_autoptr(CcHttpResponse) response = NULL;
  gint64 sent_at;

  sent_at = g_get_monotonic_time ();
  response = cc_http_send (http, request, cancellable, error);
  if (response == NULL)
    return FALSE;
  return cc_token_source_read_answer (self, response, sent_at, error);
}

char *
cc_token_source_get_token (CcTokenSource  *self,
                           CcHttp         *http,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (CC_IS_TOKEN_SOURCE (self), NULL);
  g_return_val_if_fail (CC_IS_HTTP (http), NULL);

  if (self->token == NULL || g_get_monotonic_time () >= self->renew_at_us)
    {
      if (!fetch_token (self, http, cancellable, error))
        return NULL;
    }
  return g_strdup (self->token);
}
