/* dv-server.c — the Dataverse emulator's HTTP entry point: what
 * arrives on the port goes to the admin API, the Entra token endpoint or the
 * Web API; Web API requests pass faults, authentication and the service
 * protection limits, then are routed to the file that serves them.
 */
#include "config.h"

#include <string.h>

#include "dv-private.h"

#define API_ROOT_PATH "/api/data/v9.2"

/* ---- routing ------------------------------------------------------------ */

/* GET-only resources. */
static void
execute_get_only (DvServer    *self,
                  DvRequest   *req,
                  DvResponse  *resp,
                  void       (*handle) (DvServer   *self,
                                        DvRequest  *req,
                                        DvResponse *resp))
{
  if (g_str_equal (req->method, "GET"))
    handle (self, req, resp);
  else
    dv_response_method_not_allowed (resp, req);
}

/* The service's own resources ($metadata, $batch, EntityDefinitions):
 * FALSE when @first names none of them. */
static gboolean
execute_service_resource (DvServer   *self,
                          DvRequest  *req,
                          DvResponse *resp,
                          const char *first)
{
  if (g_str_equal (first, "$metadata"))
    execute_get_only (self, req, resp, dv_handle_metadata);
  else if (g_str_has_prefix (first, "EntityDefinitions"))
    dv_handle_entity_definitions (self, req, resp);
  else if (g_str_equal (first, "WhoAmI") || g_str_equal (first, "WhoAmI()"))
    execute_get_only (self, req, resp, dv_handle_who_am_i);
  else if (!g_str_equal (first, "$batch"))
    return FALSE;
  else if (req->content_ids != NULL)
    dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                       "A batch request cannot contain another batch request.");
  else if (g_str_equal (req->method, "POST"))
    dv_handle_batch (self, req, resp);
  else
    dv_response_method_not_allowed (resp, req);
  return TRUE;
}

/* "contacts(<key>)" into the entity set and the key (NULL without one). */
static gboolean
split_key_segment (const char  *segment,
                   char       **set,
                   char       **key,
                   DvResponse  *resp)
{
  const char *paren = strchr (segment, '(');
  gsize len;

  if (paren == NULL)
    {
      *set = g_strdup (segment);
      return TRUE;
    }
  len = strlen (paren);
  if (len < 2 || paren[len - 1] != ')')
    {
      dv_response_error (resp, SOUP_STATUS_BAD_REQUEST, "0x80060888",
                         "Bad Request - Error in query syntax: the key segment '%s' is not closed.",
                         segment);
      return FALSE;
    }
  *set = g_strndup (segment, paren - segment);
  *key = g_strndup (paren + 1, len - 2);
  return TRUE;
}

/* The privilege a request on a table's rows needs, when its method says
 * it; NULL for PATCH, an update or a create as the row exists or not. */
static const char *
privilege_of (DvRequest *req,
              guint      n)
{
  if (g_str_equal (req->method, "GET"))
    return "Read";
  if (n > 1)
    return "Write";       /* a single property or a lookup reference */
  if (g_str_equal (req->method, "POST"))
    return "Create";
  if (g_str_equal (req->method, "DELETE"))
    return "Delete";
  return NULL;
}

/* A request on the collection @table: GET, POST, or GET of /$count. */
static void
execute_on_collection (DvServer    *self,
                       DvRequest   *req,
                       DvResponse  *resp,
                       DvTable     *table,
                       char       **segs,
                       guint        n)
{
  const char *privilege = privilege_of (req, 1);

  if (privilege != NULL && !dv_require (self, table, privilege, resp))
    return;
  if (n == 1 && g_str_equal (req->method, "GET"))
    dv_handle_collection_get (self, req, resp, table);
  else if (n == 1 && g_str_equal (req->method, "POST"))
    dv_handle_create (self, req, resp, table);
  else if (n == 2 && g_str_equal (segs[1], "$count") && g_str_equal (req->method, "GET"))
    dv_handle_count (self, req, resp, table);
  else if (n == 1)
    dv_response_method_not_allowed (resp, req);
  else
    dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                       "Resource not found for the segment '%s'.", segs[1]);
}

/* A request on the row @key of @table, or on one of its properties. */
static void
execute_on_row (DvServer    *self,
                DvRequest   *req,
                DvResponse  *resp,
                DvTable     *table,
                const char  *key,
                char       **segs,
                guint        n)
{
  const char *privilege = privilege_of (req, n);

  if (privilege != NULL && !dv_require (self, table, privilege, resp))
    return;
  if (n > 1)
    dv_handle_property (self, req, resp, table, key, segs + 1, n - 1);
  else if (g_str_equal (req->method, "GET"))
    dv_handle_entity_get (self, req, resp, table, key);
  else if (g_str_equal (req->method, "PATCH"))
    dv_handle_upsert (self, req, resp, table, key);
  else if (g_str_equal (req->method, "DELETE"))
    dv_handle_delete (self, req, resp, table, key);
  else
    dv_response_method_not_allowed (resp, req);
}

void
dv_server_execute (DvServer   *self,
                   DvRequest  *req,
                   DvResponse *resp)
{
  char **segs = req->segments;
  guint n = g_strv_length (segs);
  const char *first = n > 0 ? segs[0] : "";
  g_autofree char *set = NULL;
  g_autofree char *key = NULL;
  DvTable *table;

  /* A trailing slash adds an empty last segment; it means nothing. */
  while (n > 1 && segs[n - 1][0] == '\0')
    n--;

  if (n == 0 || (n == 1 && first[0] == '\0'))
    {
      execute_get_only (self, req, resp, dv_handle_service_document);
      return;
    }
  if (execute_service_resource (self, req, resp, first)
      || !split_key_segment (first, &set, &key, resp))
    return;
  if (g_str_equal (set, "systemusers"))
    {
      dv_handle_system_user (self, req, resp, key, segs + 1);
      return;
    }
  table = dv_server_table_by_set (self, set);
  if (table == NULL)
    dv_response_error (resp, SOUP_STATUS_NOT_FOUND, "0x80060888",
                       "Resource not found for the segment '%s'.", set);
  else if (key == NULL)
    execute_on_collection (self, req, resp, table, segs, n);
  else
    execute_on_row (self, req, resp, table, key, segs, n);
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

typedef struct
{
  DvServer *self;
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
track_in_flight (DvServer *self,
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
forget_in_flight (DvServer *self)
{
  GHashTableIter iter;
  gpointer msg;

  /* Messages can outlive the emulator during shutdown: detach them. */
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, &msg, NULL))
    {
      g_free (g_object_steal_data (msg, IN_FLIGHT_KEY));
      g_signal_handlers_disconnect_by_func (msg, on_message_finished, NULL);
      dv_user_forget (msg);
    }
}

static void
count_method (DvServer *self,
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
handle_web_api (DvServer *self,
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
  DvUser *user;
  gint64 started;

  track_in_flight (self, msg);

  if (cc_sandbox_faults_apply (self->faults, msg, CC_SANDBOX_SERVICE_DATAVERSE))
    {
      dv_response_free (resp);
      return;
    }

  user = dv_authenticate (self, msg, resp);
  if (user == NULL)
    goto out;
  dv_user_track (user, msg);
  if (!dv_limits_admit (self, user, msg, resp))
    {
      self->stats.throttled++;
      user->throttled++;
      goto out;
    }
  user->requests++;

  if (*rel == '/')
    rel++;
  path_and_query = query ? g_strconcat (rel, "?", query, NULL) : g_strdup (rel);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  req = dv_request_new (soup_server_message_get_method (msg), path_and_query,
                        soup_server_message_get_request_headers (msg), body);
  count_method (self, req);
  started = g_get_monotonic_time ();
  dv_server_execute (self, req, resp);
  dv_limits_record (user, g_get_monotonic_time () - started);
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
  DvServer *self = user_data;
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
      dv_handle_token (self, msg, parts[1]);
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

static void
destroy_source (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

DvServer *
dv_server_new (SoupServer             *server,
                         const CcSandboxOptions *options,
                         CcSandboxFaults        *faults,
                         const char             *base_url)
{
  DvServer *self = g_new0 (DvServer, 1);

  self->server = g_object_ref (server);
  self->options = *options;
  self->faults = faults;
  self->base_url = g_strdup (base_url);
  self->api_root = g_strconcat (base_url, API_ROOT_PATH, NULL);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  dv_users_init (self);
  self->in_flight = g_hash_table_new (NULL, NULL);
  self->key_jobs = g_ptr_array_new_with_free_func (destroy_source);
  dv_security_init (self);

  dv_tables_create (self);
  dv_tables_seed (self);

  soup_server_add_handler (server, NULL, handle_request, self, NULL);
  return self;
}

void
dv_server_free (DvServer *self)
{
  if (self == NULL)
    return;
  soup_server_remove_handler (self->server, NULL);
  forget_in_flight (self);
  g_hash_table_unref (self->in_flight);
  g_ptr_array_unref (self->key_jobs);
  dv_security_clear (self);
  g_object_unref (self->server);
  g_ptr_array_unref (self->tables);
  g_hash_table_unref (self->tables_by_set);
  g_hash_table_unref (self->tables_by_name);
  g_hash_table_unref (self->tokens);
  dv_users_clear (self);
  g_free (self->base_url);
  g_free (self->api_root);
  g_free (self->org_id);
  g_free (self);
}
