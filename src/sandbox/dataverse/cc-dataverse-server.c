/* cc-dataverse-server.c — the Dataverse emulator's HTTP entry point: the
 * Entra ID token endpoint, bearer authentication, service protection
 * limits, routing of Web API requests, and the response helpers the other
 * files of the emulator use.
 */
#include "config.h"

#include <string.h>

#include "cc-dataverse-private.h"

#define API_ROOT_PATH "/api/data/v9.2"

/* ---- responses ---------------------------------------------------------- */

DvResponse *
dv_response_new (void)
{
  DvResponse *resp = g_new0 (DvResponse, 1);

  resp->status = SOUP_STATUS_NONE;
  resp->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return resp;
}

void
dv_response_free (DvResponse *resp)
{
  if (resp == NULL)
    return;
  soup_message_headers_unref (resp->headers);
  g_free (resp->content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp->entity_url);
  g_free (resp);
}

void
dv_response_set_json (DvResponse *resp,
                      guint       status,
                      JsonNode   *root,
                      gboolean    collection)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *data;

  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);
  resp->status = status;
  g_free (resp->content_type);
  resp->content_type = g_strdup (collection
                                 ? "application/json; odata.metadata=minimal; odata.streaming=true"
                                 : "application/json; odata.metadata=minimal");
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_bytes_new_take (data, len);
}

void
dv_response_set_text (DvResponse *resp,
                      guint       status,
                      const char *content_type,
                      const char *text)
{
  resp->status = status;
  g_free (resp->content_type);
  resp->content_type = g_strdup (content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_bytes_new (text, strlen (text));
}

void
dv_response_error (DvResponse *resp,
                   guint       status,
                   const char *code,
                   const char *format,
                   ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  /* An error replaces whatever a handler had prepared. */
  soup_message_headers_remove (resp->headers, "Preference-Applied");
  soup_message_headers_remove (resp->headers, "OData-EntityId");
  dv_response_set_json (resp, status, root, FALSE);
}

void
dv_response_add_preference (DvResponse *resp,
                            const char *preference)
{
  soup_message_headers_append (resp->headers, "Preference-Applied", preference);
}

/* ---- small helpers ------------------------------------------------------ */

char *
dv_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
dv_is_guid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

char *
dv_server_entity_url (CcDataverseServer *self,
                      DvTable           *table,
                      const char        *id)
{
  return g_strdup_printf ("%s/%s(%s)", self->api_root, table->entity_set, id);
}

/* ---- requests ----------------------------------------------------------- */

/* Splits a Prefer header into its preferences, keeping quoted commas. */
static void
parse_prefer (DvPrefer   *prefer,
              const char *header)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = header; ; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted))
        {
          g_ptr_array_add (items, g_strstrip (g_string_free (cur, FALSE)));
          if (*p == '\0')
            break;
          cur = g_string_new (NULL);
          continue;
        }
      if (*p == '"')
        quoted = !quoted;
      g_string_append_c (cur, *p);
    }

  for (guint i = 0; i < items->len; i++)
    {
      char *item = g_ptr_array_index (items, i);
      char *eq = strchr (item, '=');
      g_autofree char *name = g_strstrip (g_strndup (item, eq ? (gsize) (eq - item) : strlen (item)));
      g_autofree char *value = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;

      if (value != NULL && value[0] == '"')
        {
          gsize len = strlen (value);

          memmove (value, value + 1, len);
          if (len >= 2 && value[len - 2] == '"')
            value[len - 2] = '\0';
        }

      if (g_ascii_strcasecmp (name, "return") == 0)
        prefer->return_representation = g_strcmp0 (value, "representation") == 0;
      else if (g_ascii_strcasecmp (name, "odata.track-changes") == 0)
        prefer->track_changes = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.continue-on-error") == 0
               || g_ascii_strcasecmp (name, "continue-on-error") == 0)
        prefer->continue_on_error = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.maxpagesize") == 0 && value != NULL)
        {
          gint64 n = g_ascii_strtoll (value, NULL, 10);

          /* Larger values are not honoured (notes §4). */
          if (n > 0)
            prefer->maxpagesize = (int) MIN (n, DV_MAX_PAGE_SIZE);
        }
      else if (g_ascii_strcasecmp (name, "odata.include-annotations") == 0 && value != NULL)
        {
          gboolean all = strstr (value, "*") != NULL && (g_str_equal (value, "*") || strstr (value, ".*") != NULL);

          g_free (prefer->annotations);
          prefer->annotations = g_strdup (value);
          prefer->formatted_values = g_str_equal (value, "*")
                                     || strstr (value, "FormattedValue") != NULL
                                     || strstr (value, "OData.Community.Display.V1.*") != NULL;
          prefer->lookup_annotations = g_str_equal (value, "*")
                                       || strstr (value, "lookuplogicalname") != NULL
                                       || strstr (value, "associatednavigationproperty") != NULL
                                       || (all && strstr (value, "Microsoft.Dynamics.CRM.*") != NULL);
          prefer->total_count = g_str_equal (value, "*")
                                || strstr (value, "totalrecordcount") != NULL
                                || (all && strstr (value, "Microsoft.Dynamics.CRM.*") != NULL);
        }
    }
}

DvRequest *
dv_request_new (const char         *method,
                const char         *path_and_query,
                SoupMessageHeaders *headers,
                GBytes             *body)
{
  DvRequest *req = g_new0 (DvRequest, 1);
  const char *q = strchr (path_and_query, '?');
  const char *prefer;

  req->method = g_strdup (method);
  req->raw_path = q ? g_strndup (path_and_query, q - path_and_query) : g_strdup (path_and_query);
  req->raw_query = q && q[1] ? g_strdup (q + 1) : NULL;
  req->query = req->raw_query ? soup_form_decode (req->raw_query)
                              : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->segments = g_strsplit (req->raw_path, "/", -1);
  for (guint i = 0; req->segments[i] != NULL; i++)
    {
      char *decoded = g_uri_unescape_string (req->segments[i], NULL);

      if (decoded != NULL)
        {
          g_free (req->segments[i]);
          req->segments[i] = decoded;
        }
    }
  req->headers = headers ? soup_message_headers_ref (headers)
                         : soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  req->body = body ? g_bytes_ref (body) : g_bytes_new_static ("", 0);

  prefer = soup_message_headers_get_list (req->headers, "Prefer");
  if (prefer != NULL)
    parse_prefer (&req->prefer, prefer);
  return req;
}

void
dv_request_free (DvRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->method);
  g_strfreev (req->segments);
  g_free (req->raw_path);
  g_free (req->raw_query);
  g_hash_table_unref (req->query);
  soup_message_headers_unref (req->headers);
  g_bytes_unref (req->body);
  g_free (req->prefer.annotations);
  g_clear_pointer (&req->content_ids, g_hash_table_unref);
  g_free (req);
}

const char *
dv_request_get_query (DvRequest  *req,
                      const char *name)
{
  return g_hash_table_lookup (req->query, name);
}

/* ---- routing ------------------------------------------------------------ */

static void
method_not_allowed (DvRequest  *req,
                    DvResponse *resp)
{
  dv_response_error (resp, SOUP_STATUS_METHOD_NOT_ALLOWED, "0x80060888",
                     "The HTTP method '%s' is not allowed on this resource.", req->method);
}

void
dv_server_execute (CcDataverseServer *self,
                   DvRequest         *req,
                   DvResponse        *resp)
{
  char **segs = req->segments;
  guint n = g_strv_length (segs);
  const char *first = n > 0 ? segs[0] : "";
  const char *paren;
  g_autofree char *set = NULL;
  g_autofree char *key = NULL;
  DvTable *table;

  /* A trailing slash adds an empty last segment; it means nothing. */
  while (n > 1 && segs[n - 1][0] == '\0')
    n--;

  if (n == 0 || (n == 1 && first[0] == '\0'))
    {
      if (g_str_equal (req->method, "GET"))
        dv_handle_service_document (self, req, resp);
      else
        method_not_allowed (req, resp);
      return;
    }
  if (g_str_equal (first, "$metadata"))
    {
      if (g_str_equal (req->method, "GET"))
        dv_handle_metadata (self, req, resp);
      else
        method_not_allowed (req, resp);
      return;
    }
  if (g_str_equal (first, "$batch"))
    {
      if (req->content_ids != NULL)
        dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                           "A batch request cannot contain another batch request.");
      else if (g_str_equal (req->method, "POST"))
        dv_handle_batch (self, req, resp);
      else
        method_not_allowed (req, resp);
      return;
    }
  if (g_str_has_prefix (first, "EntityDefinitions"))
    {
      if (g_str_equal (req->method, "GET"))
        dv_handle_entity_definitions (self, req, resp);
      else
        method_not_allowed (req, resp);
      return;
    }

  paren = strchr (first, '(');
  if (paren != NULL)
    {
      gsize len = strlen (paren);

      if (len < 2 || paren[len - 1] != ')')
        {
          dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                             "Bad Request - Error in query syntax: the key segment '%s' is not closed.",
                             first);
          return;
        }
      set = g_strndup (first, paren - first);
      key = g_strndup (paren + 1, len - 2);
    }
  else
    set = g_strdup (first);

  table = dv_server_table_by_set (self, set);
  if (table == NULL)
    {
      dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                         "Resource not found for the segment '%s'.", set);
      return;
    }

  if (key == NULL)
    {
      if (n == 1 && g_str_equal (req->method, "GET"))
        dv_handle_collection_get (self, req, resp, table);
      else if (n == 1 && g_str_equal (req->method, "POST"))
        dv_handle_create (self, req, resp, table);
      else if (n == 2 && g_str_equal (segs[1], "$count") && g_str_equal (req->method, "GET"))
        dv_handle_count (self, req, resp, table);
      else if (n == 1)
        method_not_allowed (req, resp);
      else
        dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                           "Resource not found for the segment '%s'.", segs[1]);
      return;
    }

  if (n > 1)
    {
      /* Single-property and navigation URLs exist in Dataverse but no
       * workflow of ours uses them. */
      dv_response_error (resp, SOUP_STATUS_NOT_IMPLEMENTED, "0x80060888",
                         "The sandbox does not implement the segment '%s'.", segs[1]);
      return;
    }
  if (g_str_equal (req->method, "GET"))
    dv_handle_entity_get (self, req, resp, table, key);
  else if (g_str_equal (req->method, "PATCH"))
    dv_handle_upsert (self, req, resp, table, key);
  else if (g_str_equal (req->method, "DELETE"))
    dv_handle_delete (self, req, resp, table, key);
  else
    method_not_allowed (req, resp);
}

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

static gboolean
scope_matches (CcDataverseServer *self,
               const char        *scope)
{
  g_autofree char *with_slash = g_strconcat (self->base_url, "/.default", NULL);
  g_autofree char *without = g_strconcat (self->base_url, ".default", NULL);

  /* The resource is the environment URL, with or without its slash. */
  return scope != NULL && (g_str_equal (scope, with_slash) || g_str_equal (scope, without));
}

static void
handle_token (CcDataverseServer *self,
              SoupServerMessage *msg,
              const char        *tenant)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *text = NULL;
  g_autofree char *basic_id = NULL;
  g_autofree char *basic_secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *client_id, *secret, *scope, *grant;
  guint lifetime;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      entra_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request", 900561,
                   "The endpoint only accepts POST requests.");
      return;
    }

  text = g_strndup (body->data ? body->data : "", body->length);
  form = soup_form_decode (text);
  client_id = g_hash_table_lookup (form, "client_id");
  secret = g_hash_table_lookup (form, "client_secret");
  scope = g_hash_table_lookup (form, "scope");
  grant = g_hash_table_lookup (form, "grant_type");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (auth + 6, &len);
      g_autofree char *pair = g_strndup ((const char *) decoded, len);
      char *colon = strchr (pair, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          basic_id = g_uri_unescape_string (pair, NULL);
          basic_secret = g_uri_unescape_string (colon + 1, NULL);
          if (client_id == NULL)
            client_id = basic_id;
          if (secret == NULL)
            secret = basic_secret;
        }
    }

  if (!g_str_equal (tenant, CC_SANDBOX_TENANT))
    {
      g_autofree char *d = g_strdup_printf ("Tenant '%s' not found. Check to make sure you have the "
                                            "correct tenant ID and are signing into the correct cloud.",
                                            tenant);
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 90002, d);
      return;
    }
  if (g_strcmp0 (grant, "client_credentials") != 0)
    {
      g_autofree char *d = g_strdup_printf ("The app requested an unsupported grant type '%s'.",
                                            grant ? grant : "");
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", 70003, d);
      return;
    }
  if (client_id == NULL || *client_id == '\0')
    {
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'client_id'.");
      return;
    }
  if (!g_str_equal (client_id, CC_SANDBOX_CLIENT_ID))
    {
      g_autofree char *d = g_strdup_printf ("Application with identifier '%s' was not found in the "
                                            "directory '%s'. This can happen if the application has "
                                            "not been installed by the administrator of the tenant.",
                                            client_id, tenant);
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", 700016, d);
      return;
    }
  if (secret == NULL || *secret == '\0')
    {
      entra_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", 7000216,
                   "'client_assertion', 'client_secret' or 'request' is required for the "
                   "'client_credentials' grant type.");
      return;
    }
  if (!g_str_equal (secret, CC_SANDBOX_SECRET))
    {
      g_autofree char *d = g_strdup_printf ("Invalid client secret provided. Ensure the secret being "
                                            "sent in the request is the client secret value, not the "
                                            "client secret ID, for a secret added to app '%s'.",
                                            client_id);
      entra_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", 7000215, d);
      return;
    }
  if (!scope_matches (self, scope))
    {
      g_autofree char *d = g_strdup_printf ("The provided value for the input parameter 'scope' is "
                                            "not valid. The scope %s is not valid.",
                                            scope ? scope : "(none)");
      entra_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope", 70011, d);
      return;
    }

  lifetime = cc_sandbox_faults_get_token_lifetime (self->faults, self->options.token_lifetime_s);
  token = new_access_token ();
  g_hash_table_insert (self->tokens, g_strdup (token),
                       g_memdup2 (&(gint64) { g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC },
                                  sizeof (gint64)));

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

/* ---- Web API entry ------------------------------------------------------ */

static void
send_response (SoupServerMessage *msg,
               DvResponse        *resp)
{
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, resp->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (out, name, value);
  soup_message_headers_replace (out, "OData-Version", "4.0");
  soup_server_message_set_status (msg, resp->status, resp->status == 429 ? "Too Many Requests" : NULL);
  if (resp->body != NULL && resp->content_type != NULL)
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (resp->body, &len);

      soup_server_message_set_response (msg, resp->content_type, SOUP_MEMORY_COPY, data, len);
    }
}

/* Checks the bearer token; on failure answers 401 and returns FALSE. */
static gboolean
authenticate (CcDataverseServer *self,
              SoupServerMessage *msg,
              DvResponse        *resp)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *challenge = g_strdup_printf ("Bearer authorization_uri=%s/%s/oauth2/authorize, resource_id=%s/",
                                                self->base_url, CC_SANDBOX_TENANT, self->base_url);
  const gint64 *expiry = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    expiry = g_hash_table_lookup (self->tokens, auth + 7);

  if (expiry != NULL && *expiry > g_get_monotonic_time ())
    return TRUE;

  soup_message_headers_replace (resp->headers, "WWW-Authenticate", challenge);
  if (auth == NULL)
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "RequestIsNotAuthenticated: the request carries no bearer token.");
  else if (expiry != NULL)
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "ExpiredAuthTicket: the access token has expired. Request a new token.");
  else
    dv_response_error (resp, SOUP_STATUS_UNAUTHORIZED, "0x80072243",
                       "InvalidAuthTicket: the access token is not valid for this environment.");
  return FALSE;
}

typedef struct
{
  CcDataverseServer *self;
  SoupServerMessage *msg;
} InFlight;

#define IN_FLIGHT_KEY "cc-dataverse-in-flight"

static void
in_flight_done (gpointer data)
{
  InFlight *flight = data;

  g_hash_table_remove (flight->self->in_flight, flight->msg);
  g_free (flight);
}

static void
on_message_finished (SoupServerMessage *msg,
                     gpointer           data)
{
  g_object_set_data (G_OBJECT (msg), IN_FLIGHT_KEY, NULL);
}

/* Counts @msg as in flight until libsoup is done with it, however it ends
 * (answered, dropped, or the client gone). */
static void
track_in_flight (CcDataverseServer *self,
                 SoupServerMessage *msg)
{
  InFlight *flight = g_new0 (InFlight, 1);

  flight->self = self;
  flight->msg = msg;
  g_hash_table_add (self->in_flight, msg);
  g_object_set_data_full (G_OBJECT (msg), IN_FLIGHT_KEY, flight, in_flight_done);
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), NULL);
}

static void
forget_in_flight (CcDataverseServer *self)
{
  GHashTableIter iter;
  gpointer msg;

  /* Messages can outlive the emulator during shutdown: detach them. */
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, &msg, NULL))
    {
      g_free (g_object_steal_data (msg, IN_FLIGHT_KEY));
      g_signal_handlers_disconnect_by_func (msg, on_message_finished, NULL);
    }
}

/* Service protection (notes §9). A $batch counts as one request here: the
 * real service counts its inner operations against the entitlement, but
 * the per-window limit is a request count we only need to reach in tests. */
static gboolean
check_service_protection (CcDataverseServer *self,
                          DvResponse        *resp)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) self->options.window_s * G_USEC_PER_SEC;

  if (g_hash_table_size (self->in_flight) > self->options.max_concurrent)
    {
      soup_message_headers_replace (resp->headers, "Retry-After", "1");
      dv_response_error (resp, 429, "0x80072326",
                         "Number of concurrent requests exceeded the limit of %u.",
                         self->options.max_concurrent);
      return FALSE;
    }

  while (!g_queue_is_empty (&self->window)
         && GPOINTER_TO_SIZE (g_queue_peek_head (&self->window)) + window <= (gsize) now)
    g_queue_pop_head (&self->window);

  if (g_queue_get_length (&self->window) >= self->options.max_requests)
    {
      gint64 oldest = (gint64) GPOINTER_TO_SIZE (g_queue_peek_head (&self->window));
      gint64 wait_s = (oldest + window - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (wait_s, 1));

      soup_message_headers_replace (resp->headers, "Retry-After", retry);
      dv_response_error (resp, 429, "0x80072322",
                         "Number of requests exceeded the limit of %u over time window of %u seconds.",
                         self->options.max_requests, self->options.window_s);
      return FALSE;
    }
  g_queue_push_tail (&self->window, GSIZE_TO_POINTER ((gsize) now));
  return TRUE;
}

static void
count_method (CcDataverseServer *self,
              DvRequest         *req)
{
  const char *m = req->method;

  if (req->segments[0] != NULL && g_str_equal (req->segments[0], "$batch"))
    self->stats.batch++;
  else if (g_str_equal (m, "GET"))
    self->stats.get++;
  else if (g_str_equal (m, "POST"))
    self->stats.post++;
  else if (g_str_equal (m, "PATCH"))
    self->stats.patch++;
  else if (g_str_equal (m, "DELETE"))
    self->stats.delete++;
}

static void
handle_web_api (CcDataverseServer *self,
                SoupServerMessage *msg,
                const char        *path)
{
  g_autoptr(GBytes) body = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  /* The path libsoup hands the handler is decoded; the URI keeps it as
   * sent, which key segments with quoted values need. */
  const char *rel = g_uri_get_path (uri) + strlen (API_ROOT_PATH);
  g_autofree char *path_and_query = NULL;
  DvResponse *resp = dv_response_new ();
  DvRequest *req;

  track_in_flight (self, msg);

  if (cc_sandbox_faults_apply (self->faults, msg, CC_SANDBOX_SERVICE_DATAVERSE))
    {
      dv_response_free (resp);
      return;
    }

  if (!authenticate (self, msg, resp))
    goto out;
  if (!check_service_protection (self, resp))
    {
      self->stats.throttled++;
      goto out;
    }

  if (*rel == '/')
    rel++;
  path_and_query = query ? g_strconcat (rel, "?", query, NULL) : g_strdup (rel);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  req = dv_request_new (soup_server_message_get_method (msg), path_and_query,
                        soup_server_message_get_request_headers (msg), body);
  count_method (self, req);
  dv_server_execute (self, req, resp);
  dv_request_free (req);

out:
  send_response (msg, resp);
  dv_response_free (resp);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CcDataverseServer *self = user_data;
  g_auto(GStrv) parts = NULL;

  if (g_str_has_prefix (path, "/_sandbox/"))
    {
      dv_handle_admin (self, msg, path);
      return;
    }

  self->stats.total++;

  parts = g_strsplit (path, "/", -1);
  /* "/<tenant>/oauth2/v2.0/token" splits into "", tenant, oauth2, v2.0, token. */
  if (g_strv_length (parts) == 5 && g_str_equal (parts[2], "oauth2")
      && g_str_equal (parts[3], "v2.0") && g_str_equal (parts[4], "token"))
    {
      self->stats.token++;
      if (cc_sandbox_faults_apply (self->faults, msg, CC_SANDBOX_SERVICE_DATAVERSE))
        return;
      handle_token (self, msg, parts[1]);
      return;
    }

  if (g_str_equal (path, API_ROOT_PATH) || g_str_has_prefix (path, API_ROOT_PATH "/"))
    {
      handle_web_api (self, msg, path);
      return;
    }

  {
    DvResponse *resp = dv_response_new ();

    dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "",
                       "The resource '%s' does not exist on this environment.", path);
    send_response (msg, resp);
    dv_response_free (resp);
  }
}

CcDataverseServer *
cc_dataverse_server_new (SoupServer             *server,
                         const CcSandboxOptions *options,
                         CcSandboxFaults        *faults,
                         const char             *base_url)
{
  CcDataverseServer *self = g_new0 (CcDataverseServer, 1);

  self->server = g_object_ref (server);
  self->options = *options;
  self->faults = faults;
  self->base_url = g_strdup (base_url);
  self->api_root = g_strconcat (base_url, API_ROOT_PATH, NULL);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->window);
  self->in_flight = g_hash_table_new (NULL, NULL);

  dv_tables_create (self);
  dv_tables_seed (self);

  soup_server_add_handler (server, NULL, handle_request, self, NULL);
  return self;
}

void
cc_dataverse_server_free (CcDataverseServer *self)
{
  if (self == NULL)
    return;
  soup_server_remove_handler (self->server, NULL);
  forget_in_flight (self);
  g_hash_table_unref (self->in_flight);
  g_object_unref (self->server);
  g_ptr_array_unref (self->tables);
  g_hash_table_unref (self->tables_by_set);
  g_hash_table_unref (self->tables_by_name);
  g_hash_table_unref (self->tokens);
  g_queue_clear (&self->window);
  g_free (self->base_url);
  g_free (self->api_root);
  g_free (self->org_id);
  g_free (self);
}
