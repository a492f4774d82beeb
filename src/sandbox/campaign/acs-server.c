/* acs-server.c — the Campaign Standard emulator's front door: the
 * routing of every request on the Campaign port, the Adobe I/O gateway's
 * checks (API key, bearer token, organization), the Adobe IMS token
 * endpoint, fault injection and the helpers that write answers.
 *
 * Routes (campaign-api.md §1–§4):
 *   POST /ims/token/v3                 IMS, OAuth server-to-server
 *   GET  /events/journal               I/O Events journal (acs-journal.c)
 *   *    /<org>/campaign/...           the REST API (acs-resources.c)
 *   *    /_sandbox/...                 the admin API (acs-admin.c)
 */
#include "config.h"

#include <string.h>

#include "acs-private.h"

/* IMS issues day-long tokens (campaign-api.md §1). */
#define IMS_DEFAULT_LIFETIME_S 86399
/* Expired tokens are forgotten when this many are held. */
#define TOKENS_PRUNE_AT 1024

/* ---- Answers --------------------------------------------------------- */

void
acs_answer_json (SoupServerMessage *msg,
                         guint              status,
                         JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, ACS_CONTENT_TYPE, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

void
acs_answer_builder (SoupServerMessage *msg,
                            guint              status,
                            JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  acs_answer_json (msg, status, root);
}

void
acs_answer_error (SoupServerMessage *msg,
                          guint              status,
                          const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  acs_answer_builder (msg, status, b);
}

void
acs_answer_gerror (SoupServerMessage *msg,
                           const GError      *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (error->domain == ACS_ERROR && SOUP_STATUS_IS_CLIENT_ERROR (error->code))
    status = error->code;
  else if (error->domain == ACS_ERROR && SOUP_STATUS_IS_SERVER_ERROR (error->code))
    status = error->code;
  acs_answer_error (msg, status, error->message);
}

void
acs_answer_write_error (AcsServer         *self,
                        SoupServerMessage *msg,
                        const GError      *error)
{
  if (!g_error_matches (error, ACS_ERROR, SOUP_STATUS_CONFLICT))
    acs_answer_gerror (msg, error);
  else
    acs_answer_error (msg, self->duplicate_status,
                      self->duplicate_message ? self->duplicate_message : error->message);
}

/* The Adobe I/O gateway refuses with {"error_code","message"}
 * (campaign-api.md §1), not Campaign's {"code","message"}. */
static void
answer_gateway_refusal (SoupServerMessage *msg,
                        guint              status,
                        const char        *error_code,
                        const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error_code");
  json_builder_add_string_value (b, error_code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  acs_answer_builder (msg, status, b);
}

JsonObject *
acs_read_body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body->length == 0
      || !json_parser_load_from_data (parser, body->data, body->length, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST,
                                "The request body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* ---- Opaque strings --------------------------------------------------- */

char *
acs_base64url_encode (const guint8 *data,
                      gsize         len)
{
  char *b64 = g_base64_encode (data, len);
  char *end;

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if ((end = strchr (b64, '=')) != NULL)
    *end = '\0';
  return b64;
}

guint8 *
acs_base64url_decode (const char *text,
                      gsize      *out_len)
{
  gsize len = strlen (text);
  g_autoptr(GString) b64 = NULL;

  if (len == 0 || len > 256 || len % 4 == 1
      || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != len)
    return NULL;
  b64 = g_string_new (text);
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  return g_base64_decode (b64->str, out_len);
}

char *
acs_random_string (const char *prefix,
                   gsize       n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  g_autofree char *b64 = NULL;

  for (gsize i = 0; i < n_bytes; i++)
    bytes[i] = (guint8) g_random_int_range (0, 256);
  b64 = acs_base64url_encode (bytes, n_bytes);
  return g_strconcat (prefix, b64, NULL);
}

/* ---- Query strings ---------------------------------------------------- */

static char *
decode_component (const char *text,
                  gssize      len)
{
  g_autofree char *plus = g_strndup (text, len < 0 ? strlen (text) : (gsize) len);
  char *decoded;

  /* Forms encode a space as '+'. */
  g_strdelimit (plus, "+", ' ');
  decoded = g_uri_unescape_string (plus, NULL);
  return decoded ? decoded : g_steal_pointer (&plus);
}

AcsQuery *
acs_query_parse (const char *raw)
{
  AcsQuery *query = g_new0 (AcsQuery, 1);
  g_auto(GStrv) pairs = NULL;

  query->names = g_ptr_array_new_with_free_func (g_free);
  query->values = g_ptr_array_new_with_free_func (g_free);
  if (raw == NULL || *raw == '\0')
    return query;
  pairs = g_strsplit (raw, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');

      if (*pairs[i] == '\0')
        continue;
      if (eq == NULL)
        {
          g_ptr_array_add (query->names, decode_component (pairs[i], -1));
          g_ptr_array_add (query->values, g_strdup (""));
        }
      else
        {
          g_ptr_array_add (query->names, decode_component (pairs[i], eq - pairs[i]));
          g_ptr_array_add (query->values, decode_component (eq + 1, -1));
        }
    }
  return query;
}

void
acs_query_free (AcsQuery *query)
{
  if (query == NULL)
    return;
  g_ptr_array_unref (query->names);
  g_ptr_array_unref (query->values);
  g_free (query);
}

const char *
acs_query_get (AcsQuery *query,
                       const char      *name)
{
  for (guint i = query->names->len; i > 0; i--)
    if (strcmp (g_ptr_array_index (query->names, i - 1), name) == 0)
      return g_ptr_array_index (query->values, i - 1);
  return NULL;
}

static void
append_param (GString    *out,
              const char *name,
              const char *value)
{
  g_autofree char *n = g_uri_escape_string (name, NULL, FALSE);
  /* '@' is legal in a query and starts Campaign's keys and _lineStart
   * tokens; it stays as it is, as in Adobe's samples. */
  g_autofree char *v = g_uri_escape_string (value, "@", FALSE);

  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%s", n, v);
}

char *
acs_query_build (AcsQuery *query,
                         const char      *name,
                         const char      *value)
{
  GString *out = g_string_new (NULL);
  gboolean placed = FALSE;

  for (guint i = 0; i < query->names->len; i++)
    {
      const char *n = g_ptr_array_index (query->names, i);

      if (name != NULL && strcmp (n, name) == 0)
        {
          if (value != NULL && !placed)
            append_param (out, name, value);
          placed = TRUE;
          continue;
        }
      append_param (out, n, g_ptr_array_index (query->values, i));
    }
  if (name != NULL && value != NULL && !placed)
    append_param (out, name, value);
  return g_string_free (out, FALSE);
}

/* ---- Gateway checks and IMS ------------------------------------------ */

static void
prune_tokens (AcsServer *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer expiry;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &expiry))
    if (*(gint64 *) expiry <= now)
      g_hash_table_iter_remove (&iter);
}

/* IMS answers OAuth errors as {"error","error_description"}. The exact
 * descriptions and the 400/401 split are our reading of IMS and of
 * RFC 6749 §5.2 (INFER): an unknown client id is a bad request, a wrong
 * secret a failed client authentication. */
static void
answer_ims_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *error,
                  const char        *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, description);
  json_builder_end_object (b);
  acs_answer_builder (msg, status, b);
}

static void
handle_ims_token (AcsServer  *self,
                  SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *token = NULL;
  const char *grant_type, *client_id, *client_secret;
  gint64 *expiry;
  guint lifetime;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "POST");
      answer_ims_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                        "the token endpoint accepts POST only");
      return;
    }
  text = g_strndup (body->data ? body->data : "", body->length);
  form = soup_form_decode (text);
  grant_type = g_hash_table_lookup (form, "grant_type");
  client_id = g_hash_table_lookup (form, "client_id");
  client_secret = g_hash_table_lookup (form, "client_secret");

  if (grant_type == NULL)
    {
      answer_ims_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "missing grant_type parameter");
      return;
    }
  if (strcmp (grant_type, "client_credentials") != 0)
    {
      answer_ims_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                        "unsupported grant_type parameter");
      return;
    }
  if (client_id == NULL || *client_id == '\0')
    {
      answer_ims_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "missing client_id parameter");
      return;
    }
  if (strcmp (client_id, CC_SANDBOX_API_KEY) != 0)
    {
      answer_ims_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client",
                        "invalid client_id parameter");
      return;
    }
  if (client_secret == NULL || strcmp (client_secret, CC_SANDBOX_SECRET) != 0)
    {
      answer_ims_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                        "invalid client_secret parameter");
      return;
    }
  /* The scope is that of the Developer Console project; any is granted. */

  if (g_hash_table_size (self->tokens) >= TOKENS_PRUNE_AT)
    prune_tokens (self);
  /* Read at issue time, so that a test can shorten it while running. */
  lifetime = cc_sandbox_faults_get_token_lifetime (self->faults, self->token_lifetime_s);
  token = acs_random_string ("sbx.", 32);
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), expiry);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "bearer");
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, lifetime);
  json_builder_end_object (b);
  acs_answer_builder (msg, SOUP_STATUS_OK, b);
}

/* What the Adobe I/O gateway checks before Campaign sees a call: the API
 * key, then the bearer token. Answers and returns FALSE on refusal. */
static gboolean
check_gateway (AcsServer  *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *api_key = soup_message_headers_get_one (headers, "X-Api-Key");
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *token = NULL;
  gint64 *expiry;

  if (api_key == NULL || strcmp (api_key, CC_SANDBOX_API_KEY) != 0)
    {
      answer_gateway_refusal (msg, SOUP_STATUS_FORBIDDEN, "403000", "Api Key is invalid");
      return FALSE;
    }
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      token = authorization + 7;
      while (*token == ' ')
        token++;
    }
  expiry = token ? g_hash_table_lookup (self->tokens, token) : NULL;
  if (expiry != NULL && *expiry <= g_get_monotonic_time ())
    {
      g_hash_table_remove (self->tokens, token);
      expiry = NULL;
    }
  if (expiry == NULL)
    {
      answer_gateway_refusal (msg, SOUP_STATUS_UNAUTHORIZED, "401013", "Oauth token is not valid");
      return FALSE;
    }
  return TRUE;
}

/* ---- Routing ---------------------------------------------------------- */

/* The segments of the path as sent (the server leaves it encoded), each
 * percent-decoded after the split: "%2F" is a slash inside a segment,
 * never a separator. Empty segments are dropped. NULL when a segment does
 * not decode. */
static char **
split_path (const char *path)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; raw[i] != NULL; i++)
    {
      char *segment;

      if (*raw[i] == '\0')
        continue;
      segment = g_uri_unescape_string (raw[i], NULL);
      if (segment == NULL)
        return NULL;
      g_ptr_array_add (out, segment);
    }
  g_ptr_array_add (out, NULL);
  g_ptr_array_set_free_func (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Runs the shared fault knobs on an emulated request; TRUE when the fault
 * answered it. */
static gboolean
suffer_faults (AcsServer  *self,
               SoupServerMessage *msg)
{
  guint64 before = cc_sandbox_faults_get_injected (self->faults, CC_SANDBOX_SERVICE_CAMPAIGN);
  gboolean answered = cc_sandbox_faults_apply (self->faults, msg, CC_SANDBOX_SERVICE_CAMPAIGN);

  if (cc_sandbox_faults_get_injected (self->faults, CC_SANDBOX_SERVICE_CAMPAIGN) > before)
    {
      if (answered && soup_server_message_get_status (msg) == 429)
        self->stats.throttled++;
      else
        self->stats.faulted++;
    }
  return answered;
}

static void
count_method (AcsServer  *self,
              SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  if (method == SOUP_METHOD_GET)
    self->stats.get++;
  else if (method == SOUP_METHOD_POST)
    self->stats.post++;
  else if (method == ACS_METHOD_PATCH)
    self->stats.patch++;
  else if (method == SOUP_METHOD_DELETE)
    self->stats.delete_++;
}

/* A call is in flight from its arrival until its answer is sent (or its
 * connection dropped): with added latency, that shows how many requests
 * a client keeps going at once. */
static void
on_call_finished (SoupServerMessage *msg,
                  gpointer           user_data)
{
  AcsServer *self = user_data;

  self->calls_in_flight--;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *unused_query,
                 gpointer           user_data)
{
  AcsServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_auto(GStrv) segments = split_path (g_uri_get_path (uri));
  g_autoptr(AcsQuery) query = NULL;
  guint n;

  if (segments != NULL && segments[0] != NULL && strcmp (segments[0], "_sandbox") == 0)
    {
      /* The admin API is never faulted, throttled or counted. */
      acs_handle_admin (self, msg, segments + 1);
      return;
    }

  self->stats.total++;
  n = segments != NULL ? g_strv_length (segments) : 0;
  /* A call of the Campaign API counts as it arrives, whatever the answer
   * (a fault, a refusal): Adobe counts what reaches it. */
  if (n >= 2 && strcmp (segments[1], "campaign") == 0)
    {
      gint64 now = g_get_monotonic_time ();

      g_array_append_val (self->call_times, now);
      self->calls_in_flight++;
      self->most_in_flight = MAX (self->most_in_flight, self->calls_in_flight);
      g_signal_connect (msg, "finished", G_CALLBACK (on_call_finished), self);
    }
  if (suffer_faults (self, msg))
    return;

  if (segments == NULL)
    {
      acs_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The request path does not decode");
      return;
    }
  query = acs_query_parse (g_uri_get_query (uri));

  if (n == 3 && strcmp (segments[0], "ims") == 0 && strcmp (segments[1], "token") == 0
      && strcmp (segments[2], "v3") == 0)
    {
      self->stats.token++;
      handle_ims_token (self, msg);
    }
  else if (n == 2 && strcmp (segments[0], "events") == 0 && strcmp (segments[1], "journal") == 0)
    {
      self->stats.journal++;
      if (check_gateway (self, msg))
        acs_handle_journal (self, msg, query);
    }
  else if (n >= 2 && strcmp (segments[1], "campaign") == 0)
    {
      count_method (self, msg);
      if (!check_gateway (self, msg))
        return;
      if (strcmp (segments[0], CC_SANDBOX_ORG) != 0)
        {
          /* Documented: what a wrong organization id in the URL gets. */
          acs_answer_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                    "Oops. Something went wrong. Check your URI and try again.");
          return;
        }
      acs_handle_api (self, msg, segments + 2, query);
    }
  else
    acs_answer_error (msg, SOUP_STATUS_NOT_FOUND,
                              "Unknown path: the API is under /<organization>/campaign/");
}

/* ---- Life cycle ------------------------------------------------------- */

/* A custom resource's table, its links (to the profile, for those the
 * admin linked to it) resolved. */
static AcsTable *
new_custom_table (AcsServer         *self,
                  const AcsResource *resource)
{
  AcsTable *table = acs_table_new (resource);

  for (guint i = 0; i < resource->n_fields; i++)
    {
      const AcsField *field = &resource->fields[i];
      g_autofree char *href = NULL;

      if (field->type != ACS_FIELD_LINK)
        continue;
      g_assert (g_strcmp0 (field->link_target, ACS_PROFILE) == 0);
      href = g_strdup_printf ("%s/profileAndServicesExt/%s", self->api_base, field->link_target);
      acs_table_link (table, field->name, self->profiles, href);
    }
  return table;
}

AcsServer *
acs_server_new (SoupServer             *server,
                        const CcSandboxOptions *options,
                        CcSandboxFaults        *faults,
                        const char             *base_url)
{
  AcsServer *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (faults != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_new0 (AcsServer, 1);
  self->server = g_object_ref (server);
  self->faults = faults;
  self->base_url = g_strdup (base_url);
  self->api_base = g_strdup_printf ("%s/%s/campaign", base_url, CC_SANDBOX_ORG);
  self->token_lifetime_s = options->token_lifetime_s ? options->token_lifetime_s
                                                     : IMS_DEFAULT_LIFETIME_S;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->resources = acs_resources_new ();
  /* Campaign starts empty: the ingress workflow fills it. */
  self->profiles = acs_table_new (g_ptr_array_index (self->resources, 0));
  self->custom_tables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) acs_table_free);
  for (guint i = 1; i < self->resources->len; i++)
    {
      const AcsResource *resource = g_ptr_array_index (self->resources, i);

      g_hash_table_insert (self->custom_tables, (gpointer) resource->name,
                           new_custom_table (self, resource));
    }
  self->journal = acs_journal_new (options->seed, options->events, options->contacts);
  /* XtkBigTableThreshold's documented default. */
  self->big_table_threshold = 100000;
  acs_paging_init_key (self, options->seed);
  self->duplicate_status = SOUP_STATUS_CONFLICT;
  self->metadata_keys = TRUE;
  self->call_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  soup_server_add_handler (server, "/", server_callback, self, NULL);
  return self;
}

void
acs_server_free (AcsServer *self)
{
  if (self == NULL)
    return;
  soup_server_remove_handler (self->server, "/");
  g_clear_object (&self->server);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->profiles, acs_table_free);
  g_clear_pointer (&self->custom_tables, g_hash_table_unref);
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_clear_pointer (&self->journal, acs_journal_free);
  g_free (self->base_url);
  g_free (self->api_base);
  g_free (self->duplicate_message);
  g_clear_pointer (&self->call_times, g_array_unref);
  g_free (self);
}
