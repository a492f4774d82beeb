/* dv-entra.c — the Microsoft Entra ID side: the v2.0 token
 * endpoint for the client-credentials grant (with Entra's error bodies),
 * and the bearer check every Web API request passes (notes §1).
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

/* Expired tokens are forgotten once this many are held. */
#define TOKENS_PRUNE_AT 1024

/* ---- Entra ID ------------------------------------------------------------ */

static void
entra_error (SoupServerMessage *msg,
             guint              status,
             const char        *error,
             guint              aadsts,
             const char        *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  g_autofree char *trace = g_uuid_string_random ();
  g_autofree char *correlation = g_uuid_string_random ();
  g_autofree char *full = g_strdup_printf ("AADSTS%u: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
                                           aadsts, description, trace, correlation, stamp);
  g_autofree char *uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u", aadsts);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, full);
  json_builder_set_member_name (b, "error_codes");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, aadsts);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, stamp);
  json_builder_set_member_name (b, "trace_id");
  json_builder_add_string_value (b, trace);
  json_builder_set_member_name (b, "correlation_id");
  json_builder_add_string_value (b, correlation);
  json_builder_set_member_name (b, "error_uri");
  json_builder_add_string_value (b, uri);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store, no-cache");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static char *
new_access_token (void)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  /* Opaque to clients, as Entra's tokens are meant to be for them. */
  return g_strdup_printf ("sbx.%s.%s", a, b);
}

/* Keeps the token table bounded when a client asks for many tokens; an
 * expired token then reads as unknown (InvalidAuthTicket), which a client
 * handles the same way. */
static void
forget_expired_tokens (DvServer *self)
{
  GHashTableIter iter;
  gpointer token;
  gint64 now = g_get_monotonic_time ();

  if (g_hash_table_size (self->tokens) < TOKENS_PRUNE_AT)
    return;
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &token))
    if (((DvToken *) token)->expiry <= now)
      g_hash_table_iter_remove (&iter);
}

static gboolean
scope_matches (DvServer *self,
               const char        *scope)
{
  g_autofree char *with_slash = g_strconcat (self->base_url, "/.default", NULL);
  g_autofree char *without = g_strconcat (self->base_url, ".default", NULL);

  /* The resource is the environment URL, with or without its slash. */
  return scope != NULL && (g_str_equal (scope, with_slash) || g_str_equal (scope, without));
}

/* What a token request says about who asks: the form's fields, with
 * client id and secret also accepted as HTTP Basic credentials. */
typedef struct
{
  GHashTable *form;
  char       *basic_id;
  char       *basic_secret;
  const char *client_id;
  const char *secret;
  const char *scope;
  const char *grant;
} Credentials;

static void
credentials_clear (Credentials *credentials)
{
  g_clear_pointer (&credentials->form, g_hash_table_unref);
  g_clear_pointer (&credentials->basic_id, g_free);
  g_clear_pointer (&credentials->basic_secret, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Credentials, credentials_clear)

static void
read_credentials (SoupServerMessage *msg,
                  Credentials       *credentials)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *text = g_strndup (body->data ? body->data : "", body->length);

  credentials->form = soup_form_decode (text);
  credentials->client_id = g_hash_table_lookup (credentials->form, "client_id");
  credentials->secret = g_hash_table_lookup (credentials->form, "client_secret");
  credentials->scope = g_hash_table_lookup (credentials->form, "scope");
  credentials->grant = g_hash_table_lookup (credentials->form, "grant_type");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (auth + 6, &len);
      g_autofree char *pair = g_strndup ((const char *) decoded, len);
      char *colon = strchr (pair, ':');

      if (colon == NULL)
        return;
      *colon = '\0';
      credentials->basic_id = g_uri_unescape_string (pair, NULL);
      credentials->basic_secret = g_uri_unescape_string (colon + 1, NULL);
      if (credentials->client_id == NULL)
        credentials->client_id = credentials->basic_id;
      if (credentials->secret == NULL)
        credentials->secret = credentials->basic_secret;
    }
}

/* Answers the error Entra ID gives for the first thing wrong with
 * @credentials, in its order of checks; FALSE when nothing is. */
static gboolean
refuse_credentials (DvServer          *self,
                    SoupServerMessage *msg,
                    const char        *tenant,
                    const Credentials *credentials)
{
  const char *client_id = credentials->client_id;
  const char *secret = credentials->secret;
  DvUser *user = dv_users_find (self, client_id);
  g_autofree char *d = NULL;

  if (!g_str_equal (tenant, CC_SANDBOX_TENANT))
    {
      d = g_strdup_printf ("Tenant '%s' not found. Check to make sure you have the correct "
                           "tenant ID and are signing into the correct cloud.", tenant);
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 90002, d);
    }
  else if (g_strcmp0 (credentials->grant, "client_credentials") != 0)
    {
      d = g_strdup_printf ("The app requested an unsupported grant type '%s'.",
                           credentials->grant ? credentials->grant : "");
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", 70003, d);
    }
  else if (client_id == NULL || *client_id == '\0')
    entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                 "The request body must contain the following parameter: 'client_id'.");
  else if (user == NULL)
    {
      d = g_strdup_printf ("Application with identifier '%s' was not found in the directory "
                           "'%s'. This can happen if the application has not been installed by "
                           "the administrator of the tenant.", client_id, tenant);
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", 700016, d);
    }
  else if (secret == NULL || *secret == '\0')
    entra_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", 7000216,
                 "'client_assertion', 'client_secret' or 'request' is required for the "
                 "'client_credentials' grant type.");
  else if (!g_str_equal (secret, user->secret))
    {
      d = g_strdup_printf ("Invalid client secret provided. Ensure the secret being sent in the "
                           "request is the client secret value, not the client secret ID, for a "
                           "secret added to app '%s'.", client_id);
      entra_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", 7000215, d);
    }
  else if (!scope_matches (self, credentials->scope))
    {
      d = g_strdup_printf ("The provided value for the input parameter 'scope' is not valid. "
                           "The scope %s is not valid.",
                           credentials->scope ? credentials->scope : "(none)");
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope", 70011, d);
    }
  else
    return FALSE;
  return TRUE;
}

/* Issues a new access token for @user and answers with it. */
static void
issue_token (DvServer          *self,
             DvUser            *user,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = new_access_token ();
  g_autofree char *answer = NULL;
  guint lifetime = cc_sandbox_faults_get_token_lifetime (self->faults,
                                                         self->options.token_lifetime_s);
  DvToken *entry = g_new (DvToken, 1);

  entry->expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  entry->user = user;
  forget_expired_tokens (self);
  g_hash_table_insert (self->tokens, g_strdup (token), entry);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, lifetime);
  json_builder_set_member_name (b, "ext_expires_in");
  json_builder_add_int_value (b, lifetime);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, token);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  answer = json_to_string (root, FALSE);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store, no-cache");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    answer, strlen (answer));
}

void
dv_handle_token (DvServer          *self,
                 SoupServerMessage *msg,
                 const char        *tenant)
{
  g_auto(Credentials) credentials = { 0 };

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      entra_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request", 900561,
                   "The endpoint only accepts POST requests.");
      return;
    }
  read_credentials (msg, &credentials);
  if (!refuse_credentials (self, msg, tenant, &credentials))
    issue_token (self, dv_users_find (self, credentials.client_id), msg);
}

DvUser *
dv_authenticate (DvServer *self,
              SoupServerMessage *msg,
              DvResponse        *resp)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *challenge = g_strdup_printf ("Bearer authorization_uri=%s/%s/oauth2/authorize, resource_id=%s/",
                                                self->base_url, CC_SANDBOX_TENANT, self->base_url);
  const DvToken *token = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    token = g_hash_table_lookup (self->tokens, auth + 7);

  if (token != NULL && token->expiry > g_get_monotonic_time ())
    return token->user;

  soup_message_headers_replace (resp->headers, "WWW-Authenticate", challenge);
  if (auth == NULL)
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "RequestIsNotAuthenticated: the request carries no bearer token.");
  else if (token != NULL)
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "ExpiredAuthTicket: the access token has expired. Request a new token.");
  else
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "InvalidAuthTicket: the access token is not valid for this environment.");
  return NULL;
}
